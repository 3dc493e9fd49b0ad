#!/usr/bin/python3
"""make_text.py - Sorani training and evaluation text for scripts/train-sorani.

Python 3 standard library only.  Reads Sorani (Central Kurdish, ckb) text
that Debian packages carry, adds the project's own text, and writes short
lines (at most --max-chars characters) split deterministically into a
training set and a held-apart evaluation set.

Sources (each optional; missing ones are reported, not fatal):
  --mo FILE_OR_DIR   gettext catalogs of the ckb locale (.mo; a directory is
                     searched recursively for ckb .mo files)
  --locale FILE      glibc locale source (ckb_IQ): day and month names
  --freedict PREFIX  dictd files PREFIX.index + PREFIX.dict.dz of
                     dict-freedict-ckb-kmr (Sorani headwords in Latin
                     script, transliterated to Arabic script, see HAWAR)
  built in           form labels and titles of issue 2, names, places,
                     numbers and dates in ASCII, Arabic-Indic and Persian
                     digits

Determinism: the split into train/eval depends only on each phrase's text
(SHA-256), and the packing of phrases into lines only on --seed, so the same
inputs and seed give byte-identical files.

Outputs in --out: train.txt, eval.txt (one line each), sources.tsv (phrases
and characters per source and split), letters.tsv (count of each character
per split).
"""

import argparse
import gettext
import gzip
import hashlib
import os
import random
import re
import sys
import unicodedata

# ---- the character set the model learns ------------------------------------

# Sorani alphabet (Arabic script) plus the Arabic letters Sorani writing
# keeps in loanwords and names.  Text with anything else is dropped, so the
# model's unicharset stays small and Sorani-specific.
SORANI_LETTERS = "ئابپتجچحخدرڕزژسشعغفڤقکگلڵمنهەوۆیێ"
LOAN_LETTERS = "ءآصضطظثذ"
DIGITS = "0123456789" "٠١٢٣٤٥٦٧٨٩" "۰۱۲۳۴۵۶۷۸۹"
PUNCT = " .،:/-()؟!؛«»%+٫٬,"
ALLOWED = set(SORANI_LETTERS + LOAN_LETTERS + DIGITS + PUNCT)
SIX = "ڕڵۆێەڤ"
RARE_BOOST = 5  # extra copies of training phrases holding ڤ  # the letters Arabic lacks: counted separately

ASCII_D = "0123456789"
ARABIC_D = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_D = "۰۱۲۳۴۵۶۷۸۹"


def to_digits(s, style):
    """Writes the ASCII digits of s in the given style."""
    table = {"ascii": ASCII_D, "arabic": ARABIC_D, "persian": PERSIAN_D}[style]
    return "".join(table[ord(c) - 48] if "0" <= c <= "9" else c for c in s)


def normalize(s):
    """Sorani orthography for text from mixed-quality catalogs."""
    s = unicodedata.normalize("NFC", s)
    # Older Sorani spelling writes ە as ه + ZWNJ.
    s = s.replace("\u0647\u200c", "\u06d5").replace("\u0647\u200d", "\u06d5")
    s = s.replace("\u064a", "\u06cc").replace("\u0649", "\u06cc")  # ي ى -> ی
    s = s.replace("\u0643", "\u06a9")  # ك -> ک
    s = s.replace("\u06c0", "\u06d5")  # ۀ -> ە
    s = s.replace("\u0629", "\u06d5")  # ة -> ە (Sorani spelling)
    s = s.replace("\u0623", "\u0626").replace("\u0625", "\u0626")  # أ إ -> ئ
    s = s.replace("?", "؟").replace(";", "؛")
    s = s.replace("…", "...")
    # Harakat, tatweel, joiners and direction marks carry nothing to learn.
    s = re.sub("[\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "", s)
    s = re.sub(r"\s+", " ", s)
    return s.strip()


def has_arabic(s):
    return any("\u0600" <= c <= "\u06ff" for c in s)


# ---- sources ------------------------------------------------------------------

FORMAT_RE = re.compile(r"%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|L|q|j|z|t|I64)?[diouxXeEfgGcsSpn]")
NUMERIC_FORMAT_RE = re.compile(r"%(\d+\$)?[-+ #0']*\d*(\.\d+)?(hh|h|ll|l|L|q|j|z|t|I64)?[diuf]")


def clean_catalog_string(s, rng):
    """One translated message -> list of clean phrases."""
    s = re.sub(r"<[^>]{0,80}>", " ", s)  # markup
    s = re.sub(r"&[a-z]+;", " ", s)
    s = re.sub(r"\{[^}]{0,40}\}", " ", s)  # {name} placeholders
    s = re.sub(r"%[a-zA-Z]", lambda m: m.group(0), s)
    # Numeric conversions become numbers (in a random digit style), the
    # rest disappear: the model should see numbers, not format strings.
    s = NUMERIC_FORMAT_RE.sub(
        lambda m: to_digits(str(rng.randint(1, 999)), rng.choice(["ascii", "arabic", "persian"])), s)
    s = FORMAT_RE.sub(" ", s)
    s = s.replace("%%", "%")
    s = re.sub(r"%[A-Za-z]", " ", s)  # strftime formats
    s = s.replace("_", "")  # mnemonics
    out = []
    for part in re.split(r"[\n\t|]+", s):
        part = normalize(part)
        # Drop tokens in Latin script (program names, units): a Sorani model.
        words = [w for w in part.split(" ") if not re.search(r"[A-Za-z]", w)]
        part = " ".join(words).strip(" .:-/")
        if has_arabic(part):
            out.append(part)
    return out


def find_mo_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                if "/ckb/" not in root + "/" and not root.endswith("/ckb"):
                    if "ckb" not in root.split(os.sep):
                        continue
                for n in names:
                    if n.endswith(".mo"):
                        files.append(os.path.join(root, n))
        elif os.path.isfile(p):
            files.append(p)
    return sorted(set(files))


def read_mo(path):
    """Translated strings of a .mo catalog (what msgunfmt would print)."""
    with open(path, "rb") as fp:
        cat = gettext.GNUTranslations(fp)._catalog  # pylint: disable=protected-access
    msgs = []
    for key in sorted(cat, key=lambda k: (k if isinstance(k, str) else k[0], "" if isinstance(k, str) else str(k[1]))):
        msgid = key if isinstance(key, str) else key[0]
        if msgid == "":
            continue  # header
        msgs.append(cat[key])
    return msgs


def read_locale(path):
    """Quoted strings of a glibc locale source, <Uxxxx> decoded."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for q in re.findall(r'"([^"\n]*)"', text):
        q = re.sub(r"<U([0-9A-Fa-f]{4,6})>", lambda m: chr(int(m.group(1), 16)), q)
        for part in q.split(";"):
            part = normalize(part)
            if has_arabic(part):
                out.append(part)
    return out


# Kurdish Latin (Hawar/Kurdistan Latin) -> Sorani Arabic script.
HAWAR = {
    "a": "ا", "b": "ب", "c": "ج", "ç": "چ", "d": "د", "e": "ە", "ê": "ێ",
    "f": "ف", "g": "گ", "h": "ه", "ḧ": "ح", "i": "", "î": "ی", "j": "ژ",
    "k": "ک", "l": "ل", "ł": "ڵ", "m": "م", "n": "ن", "o": "ۆ", "p": "پ",
    "q": "ق", "r": "ر", "ř": "ڕ", "s": "س", "ş": "ش", "t": "ت", "u": "و",
    "û": "وو", "v": "ڤ", "w": "و", "x": "خ", "ẍ": "غ", "y": "ی", "z": "ز",
    "'": "ع",
}
HAWAR_VOWELS = set("aeêiîouû")


def hawar_word(w):
    """One Latin-script Sorani word -> Arabic script, or None."""
    out = []
    prev_vowel = True  # word start behaves like after a vowel
    for i, ch in enumerate(w):
        if ch not in HAWAR:
            return None
        if ch in HAWAR_VOWELS and prev_vowel:
            # A vowel that opens a syllable sits on a hamza seat (ئ); the
            # short i written alone on it is spelled ئی.
            out.append("ئ" + (HAWAR[ch] or "ی"))
        elif ch == "r" and i == 0:
            out.append("ڕ")  # Sorani writes a word-initial r as ڕ
        else:
            out.append(HAWAR[ch])
        prev_vowel = ch in HAWAR_VOWELS
    return "".join(out)


def read_freedict(prefix):
    """Headwords of a dictd dictionary, transliterated."""
    out = []
    with open(prefix + ".index", encoding="utf-8") as f:
        heads = sorted({line.split("\t")[0].strip() for line in f if line.strip()})
    for h in heads:
        if h.startswith("00"):
            continue  # dictd metadata
        words = [hawar_word(w) for w in h.lower().split()]
        if words and all(words):
            out.append(normalize(" ".join(words)))
    return out


# ---- the project's own text ---------------------------------------------------

# Labels and titles of issue 2 (Sorani forms), and the words around them.
PROJECT_PHRASES = """
ناوی کرێکار|ناوی تەواوی کرێکار|ناوی دایک|ڕێکەوتی لەدایکبوون|ژمارەی کارتی نیشتمانی
ژمارەی دەستەبەری|ژمارەی دەستەبەری کۆمەڵایەتی|ناوی خاوەنکار|ژمارەی خاوەنکار
ڕێکەوتی دەستپێکردن|ڕێکەوتی وازهێنان|مووچەی مانگانە|فۆرمی تۆمارکردنی کرێکار
ئاگاداری وازهێنان لە کار|ئاگاداری گۆڕینی مووچە|وەزارەتی کار و کاروباری کۆمەڵایەتی
بەڕێوەبەرایەتی دەستەبەری کۆمەڵایەتی|بەردەوامی|واژۆ و مۆری خاوەنکار|بابەت|بۆ
بەڕێز|سڵاو و ڕێز|لەگەڵ ڕێزدا|لەگەڵ سوپاسدا|بەڕێوەبەری گشتی|ژمارەی دۆسیە|ڕێکەوت|ژمارە
دینار|دیناری عێراقی|هەرێمی کوردستان|کۆماری عێراق|ناونیشان|گەڕەک|شەقام|خانوو
ژمارەی تەلەفۆن|پیشە|ڕەگەز|نێر|مێ|باری خێزانی|خێزاندار|سەڵت|ژمارەی منداڵ
کۆمپانیا|کارگە|نەخۆشخانە|چێشتخانە|چاپخانە|فرۆشگا|هۆتێل|بیناسازی|بازرگانی|گواستنەوە
کرێکاران|خاوەنکاران|تۆمارکردن|وازهێنان|گۆڕین|مووچە|زیادکردن|کەمکردنەوە|ڕاگرتن
پشتگیری|نوێکردنەوەی زانیاری|بەڵگەنامە|هاوپێچ|دۆسیە|داواکاری|وەڵام|ڕەزامەندی
ڤیدیۆ|ڤیزا|ڤایرۆس|ڤیتامین|ڤۆڵت|ڤیان|ئاڤێستا|ڤەژین|نەڤین|ڤینۆس|ئاڤا|ڕێڤین|ڤەلا
ئاڤەدانی|ڤێرژن|ڤیلا|ڤاگۆن|کاڤان|شەڤین|ڤارین|ڕۆڤان|ئەڤین|هەڤاڵ
""".replace("\n", "|").split("|")

NAMES_MALE = """ئازاد هێمن شۆڕش دڵشاد ڕێبوار کۆسرەت هەڵۆ سەرهەنگ بەختیار ئاراس کاروان
دلێر گۆران نەوزاد ڕزگار هۆشیار ئەحمەد محەمەد عومەر عەلی حەسەن کەریم قادر ڕەحیم سالار
زانا شوان پێشەوا جەمال فەرهاد سیروان ئاسۆ دیار ڕەوەند کامەران هاوڕێ شێرکۆ ئیبراهیم
یووسف بەڵێن ئاکۆ بڕیار ڕێباز دڵێر ئارام هەڵمەت کاوە ڕەشید سەلاح ئیدریس مەسعوود
نەوشیروان ئومێد ڕەنجدەر سۆران بەهادین ئەنوەر ئیسماعیل تاهیر سامان هەژار ڕێکەوت
فەرهەنگ شاخەوان ئاری هیوا ڕۆستەم حەمە ڕەسوڵ مەلا خالید ناسر ئاوات یاسین بێستوون
ڕەئوف جەلال ساڵح مەحموود ئەمین کاکە ڤیان ئەڤین ڕێڤین""".split()
NAMES_FEMALE = """ئامینە خەجێ گوڵاڵە شیرین نەسرین ڕووناک کوێستان فاتیمە زەینەب بەفرین ژیان
ڕۆژان سۆزان پەخشان گەلاوێژ چنوور شادی نازدار هێرۆ لەیلا پەروین گوڵنار ناسک ئاوێنە
شلێر دەریا هەتاو بەهار سروە ڕەنگین ئەڤین ڤیان شەڤین نەڤین ڕێژنە گوڵستان ئاڵا
ڕۆشنا کەژاڵ بەیان شنۆ تریفە هەڵاڵە ژینۆ دیلان سەوزە ڕابیعە حەلیمە خاتوون""".split()
PLACES = """هەولێر سلێمانی دهۆک کەرکووک هەڵەبجە ڕانیە کۆیە زاخۆ ئاکرێ چەمچەماڵ کەلار
پێنجوێن شەقڵاوە سۆران خانەقین ئامێدی قەڵادزێ دووکان دەربەندیخان سەیدسادق کفری مەخموور
ڕەواندز بازیان قەرەداغ شارباژێڕ پشدەر بەردەڕەش گەرمیان خۆشناوەتی سیدەکان چۆمان
مێرگەسۆر بنەسڵاوە عەنکاوە کەسنەزان تەقتەق ئاغجەلەر""".split()
EMPLOYER_KINDS = ["کۆمپانیای", "کارگەی", "نەخۆشخانەی", "چێشتخانەی", "هۆتێلی",
                  "چاپخانەی", "فرۆشگای", "قوتابخانەی", "بانکی", "نووسینگەی"]
EMPLOYER_WHAT = ["بۆ بازرگانی", "بۆ بیناسازی", "بۆ گواستنەوە", "بۆ خزمەتگوزاری",
                 "بۆ کشتوکاڵ", "بۆ پیشەسازی", "", "", ""]
LABELS = ["ناوی کرێکار", "ناوی تەواوی کرێکار", "ناوی دایک", "ڕێکەوتی لەدایکبوون",
          "ژمارەی کارتی نیشتمانی", "ژمارەی دەستەبەری", "ژمارەی دەستەبەری کۆمەڵایەتی",
          "ناوی خاوەنکار", "ژمارەی خاوەنکار", "ڕێکەوتی دەستپێکردن", "ڕێکەوتی وازهێنان",
          "مووچەی مانگانە"]
DATE_LABELS = ["ڕێکەوتی لەدایکبوون", "ڕێکەوتی دەستپێکردن", "ڕێکەوتی وازهێنان", "ڕێکەوت"]
NUMBER_LABELS = ["ژمارەی کارتی نیشتمانی", "ژمارەی دەستەبەری", "ژمارەی خاوەنکار",
                 "ژمارەی دۆسیە", "ژمارە", "ژمارەی تەلەفۆن"]


def project_text(rng, n_generated):
    """Labels, names, places, employers, numbers and dates."""
    out = [normalize(p) for p in PROJECT_PHRASES if p.strip()]
    out += NAMES_MALE + NAMES_FEMALE + PLACES
    styles = ["ascii", "arabic", "persian"]
    seps = [": ", " : ", " ", "..... ", ":.... "]
    for _ in range(n_generated):
        kind = rng.randrange(6)
        style = rng.choice(styles)
        if kind == 0:  # full name, maybe with a label
            name = " ".join([rng.choice(NAMES_MALE + NAMES_FEMALE)] +
                            [rng.choice(NAMES_MALE) for _ in range(rng.randint(1, 2))])
            if rng.random() < 0.5:
                name = rng.choice(LABELS[:3]) + rng.choice(seps) + name
            out.append(name)
        elif kind == 1:  # a date in one of the three formats
            y, m, d = rng.randint(1950, 2025), rng.randint(1, 12), rng.randint(1, 28)
            fmt = rng.randrange(3)
            s = ("%02d/%02d/%04d" % (d, m, y) if fmt == 0 else
                 "%d/%d/%04d" % (d, m, y) if fmt == 1 else "%04d-%02d-%02d" % (y, m, d))
            s = to_digits(s, style)
            if rng.random() < 0.7:
                s = rng.choice(DATE_LABELS) + rng.choice(seps) + s
            out.append(s)
        elif kind == 2:  # an identity or file number
            s = to_digits(str(rng.randint(10 ** (rng.randint(3, 11)), 10 ** 12 - 1)), style)
            out.append(rng.choice(NUMBER_LABELS) + rng.choice(seps) + s)
        elif kind == 3:  # a wage
            v = rng.randint(25, 3000) * 1000
            s = str(v)
            r = rng.random()
            if r < 0.3:
                s = "{:,}".format(v)
            elif r < 0.5:
                s = "{:,}".format(v).replace(",", "٬")
            s = to_digits(s, style)
            if rng.random() < 0.5:
                s += " " + rng.choice(["دینار", "دیناری عێراقی"])
            if rng.random() < 0.6:
                s = "مووچەی مانگانە" + rng.choice(seps) + s
            out.append(s)
        elif kind == 4:  # an employer
            s = rng.choice(EMPLOYER_KINDS) + " " + rng.choice(PLACES + NAMES_MALE)
            what = rng.choice(EMPLOYER_WHAT)
            if what:
                s += " " + what
            if rng.random() < 0.4:
                s = "ناوی خاوەنکار" + rng.choice(seps) + s
            out.append(s)
        else:  # an address
            s = "%s - گەڕەکی %s - شەقامی %s" % (rng.choice(PLACES), rng.choice(PLACES),
                                              to_digits(str(rng.randint(1, 120)), style))
            out.append(s)
    return out


# ---- packing ------------------------------------------------------------------

def chunks(phrase, max_chars):
    """Splits a phrase at spaces into pieces of at most max_chars."""
    words, cur, out = phrase.split(" "), "", []
    for w in words:
        if len(w) > max_chars:
            continue
        if cur and len(cur) + 1 + len(w) > max_chars:
            out.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        out.append(cur)
    return out


def is_eval(phrase, share):
    """Held-apart evaluation: a pure function of the text."""
    h = hashlib.sha256(phrase.encode("utf-8")).digest()
    return int.from_bytes(h[:4], "big") % 100 < share


def pack(phrases, rng, max_chars, n_lines):
    """Random phrases joined into lines of random length <= max_chars."""
    lines = []
    pool = list(phrases)
    if not pool:
        return lines
    order = []
    while len(lines) < n_lines:
        if not order:
            order = list(pool)
            rng.shuffle(order)
        target = rng.randint(max(8, max_chars // 3), max_chars)
        line = order.pop()
        while order and len(line) + 1 + len(order[-1]) <= target:
            sep = " " if rng.random() < 0.85 else rng.choice(["، ", " - ", ": ", " / "])
            line = line + sep + order.pop()
        lines.append(line)
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mo", action="append", default=[])
    ap.add_argument("--locale")
    ap.add_argument("--freedict")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train-lines", type=int, default=4000)
    ap.add_argument("--eval-lines", type=int, default=300)
    ap.add_argument("--eval-share", type=int, default=10, help="percent of phrases held apart")
    ap.add_argument("--max-chars", type=int, default=40)
    ap.add_argument("--generated", type=int, default=3000,
                    help="generated names/dates/numbers phrases")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    sources = {}
    catalog = []
    mo_files = find_mo_files(args.mo)
    for f in mo_files:
        for msg in read_mo(f):
            catalog += clean_catalog_string(msg, rng)
    sources["gettext-ckb"] = catalog
    if args.locale and os.path.isfile(args.locale):
        sources["locale-ckb_IQ"] = read_locale(args.locale)
    if args.freedict and os.path.isfile(args.freedict + ".index"):
        sources["freedict-ckb-kmr"] = read_freedict(args.freedict)
    sources["project"] = project_text(rng, args.generated)

    split = {"train": [], "eval": []}
    stats = []
    for name in sorted(sources):
        seen = set()
        counts = {"train": [0, 0], "eval": [0, 0], "dropped": [0, 0]}
        for p in sources[name]:
            for c in chunks(p, args.max_chars):
                if c in seen:
                    continue
                seen.add(c)
                if not set(c) <= ALLOWED or not (has_arabic(c) or name == "project"):
                    counts["dropped"][0] += 1
                    counts["dropped"][1] += len(c)
                    continue
                part = "eval" if is_eval(c, args.eval_share) else "train"
                split[part].append(c)
                counts[part][0] += 1
                counts[part][1] += len(c)
        stats.append((name, counts))
    # Deduplicate across sources, keep a stable order.
    for part in split:
        split[part] = sorted(set(split[part]))
    train_set = set(split["train"])
    split["eval"] = [p for p in split["eval"] if p not in train_set]

    # The rarest Sorani letters get more samples: ڤ is about 1 in 1000
    # characters of the sources, too few to learn it from.
    weighted = []
    for p in split["train"]:
        weighted += [p] * (1 + RARE_BOOST * ("ڤ" in p) + ("ڵ" in p))
    split["train"] = weighted

    os.makedirs(args.out, exist_ok=True)
    out_lines = {
        "train": pack(split["train"], random.Random(args.seed * 7919 + 1), args.max_chars, args.train_lines),
        "eval": pack(split["eval"], random.Random(args.seed * 7919 + 2), args.max_chars, args.eval_lines),
    }
    for part, lines in out_lines.items():
        with open(os.path.join(args.out, part + ".txt"), "w", encoding="utf-8") as f:
            for line in lines:
                f.write(line + "\n")
    with open(os.path.join(args.out, "sources.tsv"), "w", encoding="utf-8") as f:
        f.write("source\ttrain_phrases\ttrain_chars\teval_phrases\teval_chars\tdropped_phrases\n")
        for name, c in stats:
            f.write("%s\t%d\t%d\t%d\t%d\t%d\n" % (name, c["train"][0], c["train"][1],
                                                c["eval"][0], c["eval"][1], c["dropped"][0]))
        f.write("# mo files: %s\n" % " ".join(os.path.basename(m) for m in mo_files))
    with open(os.path.join(args.out, "letters.tsv"), "w", encoding="utf-8") as f:
        f.write("char\tcodepoint\ttrain\teval\n")
        counts = {}
        for part, lines in out_lines.items():
            for line in lines:
                for ch in line:
                    counts.setdefault(ch, {"train": 0, "eval": 0})[part] += 1
        for ch in sorted(counts):
            f.write("%s\tU+%04X\t%d\t%d\n" % (ch if ch != " " else "SPACE", ord(ch),
                                            counts[ch]["train"], counts[ch]["eval"]))
    for part, lines in out_lines.items():
        six = " ".join("%s:%d" % (ch, sum(line.count(ch) for line in lines)) for ch in SIX)
        print("make_text: %s %d lines, %d chars; %s" % (part, len(lines), sum(len(x) for x in lines), six))
    for name, c in stats:
        print("make_text: %-18s train %5d eval %4d dropped %4d phrases" %
              (name, c["train"][0], c["eval"][0], c["dropped"][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
