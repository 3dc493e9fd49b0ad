#!/usr/bin/python3
"""letter_stats.py - per-letter recall from `lstmeval --verbosity 2` output.

lstmeval at verbosity 2 prints every evaluated line as a Truth:/OCR: pair
(in visual order, which does not matter here).  Each pair is aligned with
difflib; for each of the six Sorani letters Arabic lacks, then every other
character of the truth, the script reports occurrences, how many the model
read right, recall, and what it read instead most often.
"""
import collections
import difflib
import sys

SIX = "ڕڵۆێەڤ"
# ٠١٢٣٧٨٩ and ۰۱۲۳۷۸۹ are the same glyphs in most fonts: no model can tell
# them apart by shape, so the CER is also given with digit styles folded.
FOLD = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def pairs(path):
    truth = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Truth:"):
                if truth is not None:
                    yield truth, ""
                truth = line[len("Truth:"):]
            elif line.startswith("OCR  :") and truth is not None:
                yield truth, line[len("OCR  :"):]
                truth = None
    if truth is not None:
        yield truth, ""


def main(argv):
    if len(argv) != 2:
        print("usage: letter_stats.py LSTMEVAL_LOG", file=sys.stderr)
        return 2
    total = collections.Counter()
    wrong = collections.Counter()
    instead = collections.defaultdict(collections.Counter)
    n_lines = n_err = 0
    chars = errs = errs_folded = 0
    for truth, ocr in pairs(argv[1]):
        n_lines += 1
        n_err += truth != ocr
        total.update(truth)
        chars += len(truth)
        errs += levenshtein(truth, ocr)
        errs_folded += levenshtein(truth.translate(FOLD), ocr.translate(FOLD))
        sm = difflib.SequenceMatcher(None, truth, ocr, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            if op == "equal":
                continue
            seg_o = ocr[j1:j2]
            for k, ch in enumerate(truth[i1:i2]):
                wrong[ch] += 1
                got = seg_o[k] if op == "replace" and k < len(seg_o) else "(none)"
                instead[ch][got] += 1
    print("lines: %d, with an error: %d" % (n_lines, n_err))
    print("CER %.2f%%, with digit styles folded %.2f%% (%d chars)" %
          (100.0 * errs / max(1, chars), 100.0 * errs_folded / max(1, chars), chars))
    print("char\tcount\tright\trecall%\tread instead (top 3)")
    order = list(SIX) + sorted(c for c in total if c not in SIX and c != " ")
    for ch in order:
        n = total[ch]
        if n == 0:
            continue
        w = wrong[ch]
        top = ", ".join("%s:%d" % (k, v) for k, v in instead[ch].most_common(3))
        print("%s\t%d\t%d\t%.1f\t%s" % (ch, n, n - w, 100.0 * (n - w) / n, top))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
