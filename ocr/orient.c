/*
 * orient.c - which way up is the page.
 *
 * Tesseract's OSD (the `osd` model) is unreliable on Arabic, so daftar
 * decides in two cheap steps that need no extra model:
 *   1. vertical or horizontal lines: Leptonica's skew finder scores how
 *      well the row projections line up; text lines give a sharp peak
 *      when they run across the image and none when they run down it.
 *      Comparing the image with its quarter-turned self says which it is.
 *   2. upright or upside down: the densest band of text is recognized
 *      both ways and the more confident reading wins.  Upside-down Arabic
 *      reads as low-confidence garbage, upright text reads well.
 */
#include <string.h>

#include "recognize_int.h"

/* Band recognized for the half-turn test, at 300 dpi: two whole lines. */
#define ORIENT_BAND_LINES 2
#define ORIENT_BAND_MAX_H 400
#define ORIENT_BAND_PAD 12
#define ORIENT_BAND_MIN_INK 200 /* black pixels: less is a blank page */
/* Upright readings at or above this are not worth a second look. */
#define ORIENT_SURE_CONF 60
/* The turned reading must win by this many points to turn the page. */
#define ORIENT_MARGIN 8
/* ... and be at least this confident itself: turned garbage is no proof.
 * Tesseract's single-block mode read nothing (confidence 0) in the upright
 * band of a light 200-dpi Amiri page, a bold title under a line of body
 * text, and the band's turned garbage, at 16, turned the page upside down
 * (bench-extract seed 13, 22391/doc-02: every field lost).  On the 288
 * first pages of bench-extract's seed 5, 11 and 13 batches (light and
 * heavy) the turned readings of the pages that were upside down scored 59
 * to 89. */
#define ORIENT_TURNED_MIN 40
/* Column jumps must beat row jumps by this factor to call lines vertical
 * (a page of horizontal lines measures 3-10x the other way). */
#define ORIENT_VERTICAL_RATIO 1.5
#define ORIENT_SWEEP_DEG 6.0f

/* Differential square sum of the row projection at the best angle within
 * the skew range: text lines running across the image make it jump
 * between full lines and empty gaps; lines running down it average out.
 * Taking the best angle keeps a skewed page from looking line-less. */
static double line_jumps(PIX *small) {
  l_float32 angle = 0, conf = 0, score = 0;
  if(pixFindSkewSweepAndSearchScore(small, &angle, &conf, &score, 1, 1, 0.0f,
                                    ORIENT_SWEEP_DEG, 1.0f, 0.05f))
    return 0;
  return score;
}

int orient_is_vertical(PIX *bin) {
  /* 4x: 300 dpi lines stay apart; the sweep is quick. */
  PIX *small = pixReduceRankBinaryCascade(bin, 1, 1, 0, 0);
  if(!small)
    return 0;
  PIX *turned = pixRotateOrth(small, 1);
  double across = line_jumps(small);
  double down = turned ? line_jumps(turned) : 0;
  pixDestroy(&turned);
  pixDestroy(&small);
  daftar_log(DLOG_DEBUG, "orient: row jumps %.0f column jumps %.0f", across,
             down);
  return down > across * ORIENT_VERTICAL_RATIO;
}

/* The ORIENT_BAND_LINES consecutive lines with the most ink, cut at the
 * gaps so no line is sliced (a sliced line reads badly both ways). */
static int densest_band(PIX *bin, int *top, int *height) {
  l_int32 h;
  pixGetDimensions(bin, NULL, &h, NULL);
  text_band lines[PREP_MAX_LINES];
  int n = prep_find_lines(bin, lines, PREP_MAX_LINES);
  double best = -1;
  int bi = -1, span = n < ORIENT_BAND_LINES ? n : ORIENT_BAND_LINES;
  for(int i = 0; i + span <= n; i++) {
    double ink = 0;
    for(int k = i; k < i + span; k++)
      ink += lines[k].ink;
    if(lines[i + span - 1].bottom - lines[i].top > ORIENT_BAND_MAX_H)
      continue;
    if(ink > best) {
      best = ink;
      bi = i;
    }
  }
  if(bi < 0 || best < ORIENT_BAND_MIN_INK)
    return 0;
  int t = lines[bi].top - ORIENT_BAND_PAD;
  int b = lines[bi + span - 1].bottom + ORIENT_BAND_PAD;
  *top = t < 0 ? 0 : t;
  *height = (b > h ? h : b) - *top;
  return 1;
}

int orient_upside_down(struct ocr_engine *e, PIX *gray, PIX *bin) {
  int top = 0, bh = 0;
  if(!densest_band(bin, &top, &bh))
    return 0;
  l_int32 w;
  pixGetDimensions(gray, &w, NULL, NULL);
  BOX *box = boxCreate(0, top, w, bh);
  if(!box)
    return -1;
  PIX *band = pixClipRectangle(gray, box, NULL);
  boxDestroy(&box);
  if(!band)
    return -1;
  int up = engine_strip_confidence(e, band);
  int q = 0;
  if(up >= 0 && up < ORIENT_SURE_CONF) {
    PIX *turned = pixRotateOrth(band, 2);
    int down = turned ? engine_strip_confidence(e, turned) : -1;
    pixDestroy(&turned);
    daftar_log(DLOG_DEBUG, "orient: band conf upright %d turned %d", up, down);
    if(down > up + ORIENT_MARGIN && down >= ORIENT_TURNED_MIN)
      q = 2;
  }
  pixDestroy(&band);
  return q;
}
