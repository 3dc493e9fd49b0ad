#!/usr/bin/python3
"""make_text.py - the training and evaluation text of daftar's number reader.

Lines of the numbers social-security forms carry, in one digit style per
line (ASCII 0-9, Arabic-Indic U+0660-0669, Persian U+06F0-06F9, as one
document prints them): identity numbers (7, 10, 12 digits and other
lengths), dates (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd), wages with and without
thousands separators (`,`, and `٬` beside the Eastern digits), amounts with
a decimal separator (`.` or `٫`), one to three items per line.  A pure
function of --seed: the evaluation text is made with another seed, and
lines that also occur in the training text are dropped from it.

Usage: make_text.py --seed N --lines N --out FILE [--exclude FILE]
"""
import argparse
import random
import sys

STYLES = {
    "ascii": "0123456789",
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
}


def digits(rng, n, lead_zero=False):
    first = rng.choice("0123456789" if lead_zero else "123456789")
    return first + "".join(rng.choice("0123456789") for _ in range(n - 1))


def date(rng):
    y, m = rng.randint(1940, 2026), rng.randint(1, 12)
    d = rng.randint(1, 28 if m == 2 else 30)
    form = rng.randrange(3)
    if form == 0:
        return "%02d/%02d/%04d" % (d, m, y)
    if form == 1:
        return "%d/%d/%04d" % (d, m, y)
    return "%04d-%02d-%02d" % (y, m, d)


def wage(rng, style):
    w = str(5000 * rng.randint(20, 700))
    seps = ["", ","] if style == "ascii" else ["", ",", "٬"]
    sep = rng.choice(seps)
    if not sep:
        return w
    parts = []
    while len(w) > 3:
        parts.insert(0, w[-3:])
        w = w[:-3]
    return sep.join([w] + parts)


def amount(rng, style):
    # Eastern digits take the Arabic decimal separator: a "." among them
    # looks like the Arabic-Indic zero, which is a dot.
    dec = "." if style == "ascii" else "٫"
    return "%d%s%s" % (rng.randint(1, 9999), dec, digits(rng, rng.randint(1, 3), True))


def item(rng, style):
    kind = rng.choices(["id7", "id10", "id12", "idn", "date", "wage", "amount", "short"],
                       [12, 14, 14, 10, 25, 14, 4, 7])[0]
    if kind == "id7":
        return digits(rng, 7)
    if kind == "id10":
        return digits(rng, 10)
    if kind == "id12":
        return digits(rng, 12)
    if kind == "idn":
        return digits(rng, rng.randint(4, 14))
    if kind == "date":
        return date(rng)
    if kind == "wage":
        return wage(rng, style)
    if kind == "amount":
        return amount(rng, style)
    return digits(rng, rng.randint(1, 3), True)


def line(rng):
    style = rng.choice(list(STYLES))
    n = rng.choices([1, 2, 3], [60, 30, 10])[0]
    text = " ".join(item(rng, style) for _ in range(n))
    return text.translate(str.maketrans("0123456789", STYLES[style]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclude", help="a text whose lines must not be repeated")
    args = ap.parse_args()
    seen = set()
    if args.exclude:
        with open(args.exclude, encoding="utf-8") as f:
            seen = {ln.rstrip("\n") for ln in f}
    rng = random.Random(args.seed)
    out = []
    while len(out) < args.lines:
        t = line(rng)
        if t not in seen:
            seen.add(t)
            out.append(t)
    with open(args.out + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    import os
    os.replace(args.out + ".tmp", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
