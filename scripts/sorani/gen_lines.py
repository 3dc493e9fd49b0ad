#!/usr/bin/python3
"""gen_lines.py - line samples rendered by the project's own shaper.

text2image renders a page in one font and strips every word holding a
character that font lacks: the Noto Arabic fonts have no / ( ) % (Naskh and
Kufi no - either), so the dates and numbers of daftar's forms would reach
the model only in Amiri, DejaVu Sans and Unikurd Web.  daftar's generator
(daftar-gen, Pango) renders those characters from a fallback font, as real
documents do.  This script renders the lines of a text file that hold digits
or those characters with `daftar-gen line`, one font per line (round
robin), writes a WordStr box file whose text is the line in visual order
(visual.py; text2image's truth is in that order), and makes the .lstmf with
`tesseract LINE.tif LINE --psm 13 lstm.train`.  Existing .lstmf are kept
(resumable).  The one-line .lstmf files are then bundled, --bundle lines per
file (an .lstmf is a uint32 count followed by the serialized lines), because
lstmtraining takes its samples round robin over files: one file per line
would give these lines most of the training.  Prints the bundles made, one
path per line.

With --degrade LEVELS (e.g. "heavy,light") every line of the text (not
only those needing a fallback font; --all does that without degrading) is
rendered scanned like daftar-gen's batch pages: line i gets level
LEVELS[i % n], scan resolution DPIS[(i // n) % m] (--dpis, default
"300,200") and daftar-gen seed --seed + i, so the samples are a pure
function of the text and the options.  The degraded line has dust far from
the text, so its box is the ink box of the same line rendered clean at 300
dpi (the degradation never moves the text), scaled to the scan resolution.

Usage: gen_lines.py --gen DAFTAR_GEN --text FILE --out DIR [--max N]
                    [--fonts "A,B"] [--jobs N] [--nice N] [--bundle N]
                    [--all] [--degrade LEVELS [--dpis "300,200"] [--seed N]]
                    [--sizes "14,12,16"]

Line i is drawn at point size SIZES[i % n] (--sizes, default 14,12,16,13,15).
"""
import argparse
import concurrent.futures
import os
import re
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from visual import visual  # noqa: E402  pylint: disable=wrong-import-position

NEEDS_FALLBACK = re.compile(r"[0-9٠-٩۰-۹/()%\-]")
SIZES = [14, 12, 16, 13, 15]   # points, at 300 dpi
ROTATIONS = ["0", "0.4", "-0.3", "0", "0.2", "-0.5"]  # degrees


def tiff_ink_box(path, pad=6):
    """Size and ink bounding box (x0, y0, x1, y1 from the top left) of an
    uncompressed 8-bit grey TIFF (daftar-gen line --compression none)."""
    with open(path, "rb") as f:
        data = f.read()
    e = "<" if data[:2] == b"II" else ">"
    off = struct.unpack(e + "I", data[4:8])[0]
    n = struct.unpack(e + "H", data[off:off + 2])[0]
    tags = {}
    for i in range(n):
        ent = data[off + 2 + 12 * i: off + 14 + 12 * i]
        tag, typ, cnt = struct.unpack(e + "HHI", ent[:8])
        size = {3: 2, 4: 4}.get(typ, 1)
        if cnt * size <= 4:
            raw = ent[8:8 + cnt * size]
        else:
            voff = struct.unpack(e + "I", ent[8:12])[0]
            raw = data[voff:voff + cnt * size]
        fmt = {3: "H", 4: "I"}.get(typ, "B")
        tags[tag] = list(struct.unpack(e + fmt * cnt, raw))
    w, h = tags[256][0], tags[257][0]
    if tags.get(259, [1])[0] != 1 or tags.get(258, [8])[0] != 8:
        raise RuntimeError(path + ": not an uncompressed 8-bit TIFF")
    white_is_zero = tags.get(262, [1])[0] == 0
    pix = b"".join(data[o:o + c] for o, c in zip(tags[273], tags[279]))
    x0, y0, x1, y1 = w, h, -1, -1
    for y in range(h):
        row = pix[y * w:(y + 1) * w]
        dark = [x for x, v in enumerate(row) if (v > 128 if white_is_zero else v < 128)]
        if dark:
            y0, y1 = min(y0, y), y
            x0, x1 = min(x0, dark[0]), max(x1, dark[-1])
    if x1 < 0:
        raise RuntimeError(path + ": blank image")
    return w, h, max(0, x0 - pad), max(0, y0 - pad), min(w - 1, x1 + pad), min(h - 1, y1 + pad)


def tiff_size(path):
    """Width and height of a TIFF's first image (tags 256, 257)."""
    with open(path, "rb") as f:
        data = f.read()
    e = "<" if data[:2] == b"II" else ">"
    off = struct.unpack(e + "I", data[4:8])[0]
    n = struct.unpack(e + "H", data[off:off + 2])[0]
    size = {}
    for i in range(n):
        ent = data[off + 2 + 12 * i: off + 14 + 12 * i]
        tag, typ = struct.unpack(e + "HH", ent[:4])
        if tag in (256, 257):
            size[tag] = struct.unpack(e + ("H" if typ == 3 else "I"),
                                      ent[8:10] if typ == 3 else ent[8:12])[0]
    return size[256], size[257]


def one(job):
    idx, text, base, font, gen, nice, degrade, dpi, seed, size = job
    if os.path.exists(base + ".lstmf") and os.path.getsize(base + ".lstmf") > 0:
        return base + ".lstmf"
    pre = ["nice", "-n", str(nice)]
    cmd = pre + [gen, "line", "--text", text, "--out", base + ".tif", "--font", font,
                 "--size", str(size),
                 "--rotate", ROTATIONS[idx % len(ROTATIONS)], "--compression", "none"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # lstm.train crops the line to its box: the box must hug the ink, or
    # the line is scaled down with its margins to the network's 36 px.
    w, h, x0, y0, x1, y1 = tiff_ink_box(base + ".tif")
    if degrade != "none":
        # Same line, same geometry, scanned: the clean render's box, scaled.
        subprocess.run(cmd + ["--degrade", degrade, "--dpi", str(dpi), "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        f = dpi / 300.0
        w2, h2 = tiff_size(base + ".tif")
        if abs(w2 - w * f) > 1.5 or abs(h2 - h * f) > 1.5:
            raise RuntimeError(base + ": scanned size %dx%d, expected %.0fx%.0f" % (w2, h2, w * f, h * f))
        w, h = w2, h2
        x0, y0 = int(x0 * f), int(y0 * f)
        x1, y1 = min(w - 1, int(x1 * f + 0.999)), min(h - 1, int(y1 * f + 0.999))
    bottom, top = h - 1 - y1, h - 1 - y0  # box files count y from the bottom
    with open(base + ".box", "w", encoding="utf-8") as f:
        f.write("WordStr %d %d %d %d 0 #%s\n" % (x0, bottom, x1, top, visual(text)))
        f.write("\t %d %d %d %d 0\n" % (x1, bottom, x1 + 1, top))
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(pre + ["tesseract", base + ".tif", base, "--psm", "13", "lstm.train"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    if not os.path.exists(base + ".lstmf"):
        raise RuntimeError("no lstmf for " + base)
    return base + ".lstmf"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gen", required=True)
    ap.add_argument("--text", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max", type=int, default=0, help="at most N lines (0: all)")
    ap.add_argument("--fonts", default="Noto Naskh Arabic,Noto Sans Arabic")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--nice", type=int, default=0)
    ap.add_argument("--bundle", type=int, default=15, help="lines per output .lstmf")
    ap.add_argument("--all", action="store_true", help="every line, not only those needing a fallback font")
    ap.add_argument("--degrade", default="none", help="levels cycled over the lines, e.g. heavy,light")
    ap.add_argument("--dpis", default="300,200", help="scan resolutions cycled (with --degrade)")
    ap.add_argument("--seed", type=int, default=1, help="daftar-gen seed of line 0 (with --degrade)")
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)),
                    help="point sizes cycled over the lines (default %(default)s)")
    args = ap.parse_args()
    sizes = [int(v) for v in args.sizes.split(",") if v.strip()]
    if not sizes or any(v < 6 or v > 72 for v in sizes):
        ap.error("--sizes takes point sizes from 6 to 72")
    levels = [v.strip() for v in args.degrade.split(",") if v.strip()]
    dpis = [int(v) for v in args.dpis.split(",") if v.strip()]
    if not levels or any(v not in ("none", "light", "heavy") for v in levels) or \
       not dpis or any(v not in (300, 200) for v in dpis):
        ap.error("--degrade takes none|light|heavy, --dpis 300|200")
    every = args.all or levels != ["none"]

    fonts = [f.strip() for f in args.fonts.split(",") if f.strip()]
    with open(args.text, encoding="utf-8") as f:
        lines = [ln.rstrip("\n") for ln in f if every or NEEDS_FALLBACK.search(ln)]
    if args.max:
        lines = lines[:args.max]
    os.makedirs(args.out, exist_ok=True)
    jobs = []
    for i, text in enumerate(lines):
        font = fonts[i % len(fonts)]
        level = levels[i % len(levels)]
        dpi = dpis[(i // len(levels)) % len(dpis)]
        tag = "" if level == "none" else ".%s%d" % (level, dpi)
        base = os.path.join(args.out, "g%05d.%s%s" % (i, font.replace(" ", "_"), tag))
        jobs.append((i, text, base, font, args.gen, args.nice, level, dpi, args.seed + i,
                     sizes[i % len(sizes)]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        made = list(ex.map(one, jobs))
    step = max(1, args.bundle)
    for b in range(0, len(made), step):
        part = made[b:b + step]
        body = b""
        for m in part:
            with open(m, "rb") as f:
                data = f.read()
            if struct.unpack("<I", data[:4])[0] != 1:
                raise RuntimeError(m + ": expected one line")
            body += data[4:]
        out = os.path.join(args.out, "bundle-%04d.lstmf" % (b // step))
        with open(out + ".tmp", "wb") as f:
            f.write(struct.pack("<I", len(part)) + body)
        os.replace(out + ".tmp", out)
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
