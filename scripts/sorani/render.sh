#!/usr/bin/env bash
# render.sh - one text chunk in one font -> page image + boxes -> .lstmf.
#
# Called by scripts/train-sorani through xargs, one job per line of its job
# list:  render.sh TEXT OUTBASE FONT PTSIZE EXPOSURE DISTORT
# Skips the job when OUTBASE.lstmf exists (the render step is resumable).
# text2image seeds its degradation with a fixed seed, so a job's output
# depends only on its arguments.
set -euo pipefail

text=$1 outbase=$2 font=$3 ptsize=$4 exposure=$5 distort=$6
[ -s "$outbase.lstmf" ] && exit 0

# One page per chunk: lstm.train keeps the lines of the first page only
# when text2image spills a chunk onto a second page.
text2image --text "$text" --outputbase "$outbase" --font "$font" \
  --fonts_dir /usr/share/fonts --fontconfig_tmpdir "${TMPDIR:-/tmp}" \
  --ptsize "$ptsize" --resolution 300 --xsize 2600 --ysize 6000 \
  --margin 60 --leading 32 --exposure "$exposure" \
  --degrade_image=true --rotate_image=true \
  --distort_image="$distort" --invert=false --white_noise=true \
  --smooth_noise=true --blur=true \
  --strip_unrenderable_words=true --max_pages 1 >"$outbase.log" 2>&1
# --psm 6: the page is one block; lstm.train takes each line's box and
# truth from OUTBASE.box, so no page segmentation is involved.
tesseract "$outbase.tif" "$outbase" --psm 6 lstm.train >>"$outbase.log" 2>&1
[ -s "$outbase.lstmf" ] || { echo "render.sh: no lstmf for $outbase" >&2; exit 1; }
rm -f "$outbase.tif.tmp"
