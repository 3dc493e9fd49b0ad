#!/usr/bin/python3
"""eval_gen.py - the Sorani model on the project's own generated scans.

A quick check for the model recipe, not the OCR benchmark (that is
scripts/bench-ocr, owned by the OCR work): generates Sorani pages with
daftar-gen, recognizes them with the stock tesseract CLI (--psm 6, one
process per document, OMP_THREAD_LIMIT=1) for each model given, and prints
per model: CER (raw, and with digit styles folded), word recall (digits
folded) and the recall of each of ڕ ڵ ۆ ێ ە ڤ.  Also
renders one line per Sorani test word with `daftar-gen line` and counts the
lines read exactly.

Usage: eval_gen.py --gen BUILD/tests/gen/daftar-gen --model ckb=models/ckb.traineddata
                   --model Arabic=/usr/share/tesseract-ocr/5/tessdata/Arabic.traineddata
                   [--combo ckb+Arabic] [--files 3] [--docs 2] [--degrade light]
                   [--seed 7] --out DIR
Text is compared after removing bidi marks and ZWNJ and collapsing white
space; no other normalization (ي/ی, ه/ە count as errors: that is the point).
"""
import argparse
import collections
import difflib
import json
import os
import re
import subprocess
import sys

SIX = "ڕڵۆێەڤ"
# Test words: each of the six letters, several positions and fonts.
LINE_WORDS = ["ڕێبوار", "شۆڕش", "ڕزگار", "هەڵۆ", "دڵشاد", "گوڵاڵە", "ئاسۆ", "گۆران",
              "کۆمەڵایەتی", "ڕێکەوت", "کرێکار", "ئێمە", "مووچەی مانگانە",
              "ناوی خاوەنکار", "ڤیان", "ئاڤێستا", "ڤیدیۆ", "هەڤاڵ"]
LINE_FONTS = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans"]


def clean(s):
    s = re.sub("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\f]", "", s)
    return re.sub(r"\s+", " ", s).strip()


FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def fold_digits(s):
    """Arabic-Indic and Persian digits -> ASCII: ٠١٢٣٧٨٩ and ۰۱۲۳۷۸۹ are the
    same glyphs in most fonts, so no model can tell them apart by shape."""
    return s.translate(FOLD)


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def letter_hits(truth, ocr, total, right):
    sm = difflib.SequenceMatcher(None, truth, ocr, autojunk=False)
    for op, i1, i2, _j1, _j2 in sm.get_opcodes():
        for ch in truth[i1:i2]:
            if ch in SIX:
                total[ch] += 1
                right[ch] += op == "equal"


def ocr(tessdir, lang, image, psm):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    r = subprocess.run(["tesseract", image, "stdout", "--tessdata-dir", tessdir,
                        "-l", lang, "--psm", str(psm)],
                       capture_output=True, text=True, env=env, check=False)
    return r.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True)
    ap.add_argument("--model", action="append", default=[], help="NAME=PATH.traineddata")
    ap.add_argument("--combo", action="append", default=[], help="e.g. ckb+Arabic")
    ap.add_argument("--files", type=int, default=3)
    ap.add_argument("--docs", type=int, default=2)
    ap.add_argument("--degrade", default="light")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--letters", action="store_true")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    tessdir = os.path.join(args.out, "tessdata")
    os.makedirs(tessdir, exist_ok=True)
    langs = []
    for m in args.model:
        name, path = m.split("=", 1)
        link = os.path.join(tessdir, name + ".traineddata")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink(os.path.abspath(path), link)
        langs.append(name)
    langs += args.combo

    batch = os.path.join(args.out, "batch")
    if not os.path.exists(os.path.join(batch, "truth.jsonl")):
        cmd = [args.gen, "batch", "--out", batch, "--seed", str(args.seed), "--files",
               str(args.files), "--docs", str(args.docs), "--lang", "ckb",
               "--degrade", args.degrade]
        if args.letters:
            cmd.append("--letters")
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    docs = []
    with open(os.path.join(batch, "truth.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append((d["source"], clean(" ".join(p["text"] for p in d["pages"]))))

    lines_dir = os.path.join(args.out, "lines")
    os.makedirs(lines_dir, exist_ok=True)
    line_imgs = []
    for i, w in enumerate(LINE_WORDS):
        font = LINE_FONTS[i % len(LINE_FONTS)]
        img = os.path.join(lines_dir, "w%02d.tif" % i)
        if not os.path.exists(img):
            subprocess.run([args.gen, "line", "--text", w, "--out", img, "--font", font],
                           check=True, stdout=subprocess.DEVNULL)
        line_imgs.append((img, w, font))

    print("model\tpages_CER%\tCER_digits_folded%\tword_recall%\t" + "\t".join(SIX) + "\tlines_exact")
    for lang in langs:
        errs = chars = errs_f = 0
        words_t = words_f = 0
        total, right = collections.Counter(), collections.Counter()
        for src, truth in docs:
            got = clean(ocr(tessdir, lang, os.path.join(batch, src), 6))
            errs += levenshtein(truth, got)
            errs_f += levenshtein(fold_digits(truth), fold_digits(got))
            chars += len(truth)
            # Word recall with digits folded: search folds digit styles.
            have = collections.Counter(fold_digits(got).split())
            for w in fold_digits(truth).split():
                words_t += 1
                if have[w] > 0:
                    have[w] -= 1
                    words_f += 1
            letter_hits(truth, got, total, right)
        exact = 0
        for img, w, _font in line_imgs:
            got = clean(ocr(tessdir, lang, img, 7))
            exact += got == w
            letter_hits(w, got, total, right)
        six = "\t".join("%.0f%% (%d)" % (100.0 * right[c] / total[c], total[c]) if total[c] else "-"
                        for c in SIX)
        print("%s\t%.1f\t%.1f\t%.1f\t%s\t%d/%d" % (lang, 100.0 * errs / max(1, chars),
                                             100.0 * errs_f / max(1, chars),
                                             100.0 * words_f / max(1, words_t), six,
                                             exact, len(line_imgs)))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
