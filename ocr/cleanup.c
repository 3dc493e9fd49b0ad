/*
 * cleanup.c - the derivative Tesseract reads: gray, 300 dpi, background
 * normalized, upright, deskewed, table rules and dotted leaders whitened.
 *
 * The master PIX is never written to: every step makes a new image.  The
 * derivative stays 8 bpp and Tesseract thresholds it itself; the binary
 * masks made here only decide what to whiten.  Despeckling is deliberately
 * limited to isolated specks: the dots of Arabic letters are small
 * components too (FIELD-NOTES: removing every component under 6x6 px nearly
 * doubled the CER), but never far from their letter.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "recognize_int.h"

/* pixBackgroundNormSimple maps the background to 200; the derivative is
 * then stretched so that background is white (255): Tesseract's Otsu
 * would otherwise split gray background from the white brought in by
 * rotation.  Ink is what stays clearly darker than the background. */
#define PREP_BG_NORM_VALUE 200
#define PREP_INK_THRESHOLD 190
/* Skew search: Leptonica sweeps +-7 deg; corrections beyond the issue's
 * +-5 deg range are distrusted, as are tiny ones (not worth resampling).
 * Measured on the 115 pages of the bench batches (seeds 7, 11, 23; light
 * and heavy; forms and letters): pixFindSkew's angle was within 0.07 deg
 * of the generator's on every page, at confidences from 2.36 up; unskewed
 * clean pages gave -0.02 deg.  At 2.5 the sparse second page of a 200-dpi
 * Amiri form (44635/doc-01, seed 11, 2.65 deg light, 4.41 heavy, at 2.36-
 * 2.49) stayed skewed: its lines merged in the row profile, the leader
 * finder took a 143 px line height, and with it the digits of ۳۷۵,۰۰۰ for
 * leader dots. */
#define PREP_SKEW_MAX_DEG 5.5f
#define PREP_SKEW_MIN_DEG 0.05f
#define PREP_SKEW_MIN_CONF 2.0f

/* Table rules at 300 dpi: a horizontal rule is far longer than any joined
 * Arabic word's baseline run; a vertical rule is taller than two lines. */
#define RULE_H_MIN_LEN 360
#define RULE_V_MIN_LEN 150
#define RULE_MAX_THICK 9 /* rules thicker than this are not rules */
#define RULE_PAD 2       /* whiten this many px around a rule (antialias) */

/* Sauvola at 300 dpi: a window about two strokes wide of text height. */
#define SAUVOLA_WINDOW 25
#define SAUVOLA_FACTOR 0.34f

/* Text lines by row profile (300 dpi). */
#define LINE_ROW_MIN_INK 3 /* black pixels for a row to belong to a line */
#define LINE_ROW_INK_DIV 250 /* ... and at least width/250 of them */
#define LINE_GAP 6         /* rows: dots above a letter stay with its line */
#define LINE_MIN_H 12      /* rows: a speck row is not a line */
/* Bands: lines closer than BAND_GAP_MAX with heights within
 * BAND_HEIGHT_JUMP of each other are read together. */
#define BAND_GAP_MAX 90
#define BAND_HEIGHT_JUMP 1.5
#define BAND_PAD 16

/* Specks: only isolated ones go.  A letter's dots and an Arabic-Indic
 * zero always have ink (their letter, the next digit) within
 * SPECK_ISOLATION px at 300 dpi; scanner dust usually has none. */
#define SPECK_MAX 8
#define SPECK_ISOLATION 24
/* ... but a zero (٠ ۰ are 5-9 px dots) can stand farther than that from
 * the next digit in a wide font (DejaVu Sans at 14 pt: 32 px): 3 of the 5
 * zeros of ٣٢٠٠٠٠٠٦٩٦٤٤ were erased as dust.  A zero next to another digit
 * is never isolated, so an erased zero always has a zero beside it: an
 * isolated speck stays when it is in a row of specks alike (size within
 * SPECK_ROW_TOL px, centres within half their height, gaps up to
 * SPECK_ROW_REACH) one of which has text (a component bigger than a
 * speck) on its rows within SPECK_ROW_REACH px.  Looser rules kept dust:
 * any ink on a speck's rows within reach kept ~55 dust specks per heavy
 * 200-dpi page (heavy CER 13.8% -> 16.8%), text alone 1-14 (-> 14.6%). */
#define SPECK_ROW_REACH 48
#define SPECK_ROW_TOL 2 /* px */
/* Pepper noise (1-3 px) goes wherever it is: a letter's dot is 4 px or
 * more at 300 dpi from 8 pt up (measured: heavy scans carry ~12,000
 * 1x1/2x2 specks per page, dense enough that none is isolated). */
#define SPECK_TINY 3

/* Dotted leaders, relative to the text's line height (a period is about
 * 0.12 of it, periods sit about 0.2 of it apart, measured at 12-32 pt). */
#define LEADER_DOT_MIN 2
#define LEADER_DOT_MAX_SHARE 0.22
#define LEADER_MAX_GAP_SHARE 0.45
#define LEADER_Y_TOL_SHARE 0.04
#define LEADER_MIN_DOTS 5      /* fewer in a row could be letters' dots */
#define LEADER_GAP_TOL 0.35f   /* spacing may vary by this fraction */
/* Text around a chain: within this many line heights left and right. */
#define LEADER_NEAR_SHARE 2.0
/* A leader dot's centre is on the baseline (within its own size); an
 * Arabic-Indic zero's is about a quarter of the line height above it. */
#define LEADER_ABOVE_SHARE 0.12
#define LINE_H_DEFAULT 60      /* 12 pt at 300 dpi, when no line is found */

typedef struct leader_geom {
  int dot_max, max_gap, y_tol;
} leader_geom;

static float page_dpi(PIX *page) {
  l_int32 xres = pixGetXRes(page);
  return xres > 0 ? (float)xres : (float)OCR_ASSUMED_DPI;
}

/* Gray at OCR_TARGET_DPI (upscaled when lower; higher is kept). */
static PIX *prep_gray(PIX *page, float *scale) {
  PIX *g = pixConvertTo8(page, 0);
  if(!g)
    return NULL;
  float dpi = page_dpi(page);
  *scale = 1.0f;
  if(dpi < OCR_MIN_DPI) {
    float s = (float)OCR_TARGET_DPI / dpi;
    if(s > OCR_MAX_SCALE)
      s = OCR_MAX_SCALE;
    PIX *up = pixScaleGrayLI(g, s, s);
    pixDestroy(&g);
    if(!up)
      return NULL;
    g = up;
    *scale = s;
  }
  PIX *n = pixBackgroundNormSimple(g, NULL, NULL);
  if(n) { /* fails on tiny images: keep the unnormalized gray then */
    pixDestroy(&g);
    g = n;
    pixGammaTRC(g, g, 1.0f, 0, PREP_BG_NORM_VALUE);
  }
  pixSetResolution(g, OCR_TARGET_DPI, OCR_TARGET_DPI);
  return g;
}

PIX *prep_binarize(PIX *gray) {
  return pixThresholdToBinary(gray, PREP_INK_THRESHOLD);
}

static int turn(PIX **gray, PIX **bin, int quads) {
  if(quads == 0)
    return 0;
  PIX *g = pixRotateOrth(*gray, quads);
  PIX *b = pixRotateOrth(*bin, quads);
  if(!g || !b) {
    pixDestroy(&g);
    pixDestroy(&b);
    return -1;
  }
  pixDestroy(gray);
  pixDestroy(bin);
  *gray = g;
  *bin = b;
  return 0;
}

/* Finds and corrects skew; *deg gets the angle corrected (0 if none). */
static int deskew(PIX **gray, PIX **bin, float *deg) {
  l_float32 angle = 0, conf = 0;
  *deg = 0;
  if(pixFindSkew(*bin, &angle, &conf) != 0)
    return 0; /* no usable text lines: leave the page as it is */
  if(conf < PREP_SKEW_MIN_CONF || fabsf(angle) < PREP_SKEW_MIN_DEG ||
     fabsf(angle) > PREP_SKEW_MAX_DEG)
    return 0;
  /* Same size out: the corners clipped by a few degrees are margin. */
  float rad = angle * (float)M_PI / 180.0f;
  PIX *g = pixRotate(*gray, rad, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  if(!g)
    return -1;
  PIX *b = prep_binarize(g);
  if(!b) {
    pixDestroy(&g);
    return -1;
  }
  pixDestroy(gray);
  pixDestroy(bin);
  *gray = g;
  *bin = b;
  *deg = angle;
  return 0;
}

/* Sets pixels [x0, x1) of row y. */
static void set_span(l_uint32 *data, int wpl, int y, int x0, int x1) {
  l_uint32 *line = data + (size_t)y * (size_t)wpl;
  for(int x = x0; x < x1; x++)
    SET_DATA_BIT(line, x);
}

/* The runs of at least len ON pixels along the rows (across) or the
 * columns (down): what an opening with a 1 x len line gives (Leptonica's
 * pixOpenBrick, whose default boundary condition counts pixels outside
 * the image as OFF), in one pass over the image instead of 2 len
 * rasterops over it.  Zero words are skipped: a page is mostly white. */
PIX *prep_keep_runs(PIX *bin, int across, int len) {
  l_int32 w, h;
  pixGetDimensions(bin, &w, &h, NULL);
  PIX *out = pixCreateTemplate(bin);
  if(!out)
    return NULL;
  int wpl = pixGetWpl(bin);
  l_uint32 *src = pixGetData(bin), *dst = pixGetData(out);
  if(across) {
    for(int y = 0; y < h; y++) {
      const l_uint32 *line = src + (size_t)y * (size_t)wpl;
      int start = -1;
      for(int x = 0; x < w; x++) {
        if((x & 31) == 0) {
          l_uint32 word = line[x >> 5];
          if(word == 0 && start < 0 && x + 32 <= w) {
            x += 31;
            continue;
          }
        }
        if(GET_DATA_BIT(line, x)) {
          if(start < 0)
            start = x;
        } else if(start >= 0) {
          if(x - start >= len)
            set_span(dst, wpl, y, start, x);
          start = -1;
        }
      }
      if(start >= 0 && w - start >= len)
        set_span(dst, wpl, y, start, w);
    }
    return out;
  }
  /* Down the columns: run[x] counts the ON pixels above row y; a word of
   * the row and of the row above both zero has nothing to count or end. */
  int *run = calloc((size_t)w, sizeof(*run));
  if(!run) {
    pixDestroy(&out);
    return NULL;
  }
  for(int y = 0; y <= h; y++) {
    const l_uint32 *line = y < h ? src + (size_t)y * (size_t)wpl : NULL;
    const l_uint32 *above = y > 0 ? src + (size_t)(y - 1) * (size_t)wpl : NULL;
    for(int j = 0; j < wpl; j++) {
      if((!line || line[j] == 0) && (!above || above[j] == 0))
        continue;
      int x1 = 32 * j + 32 < w ? 32 * j + 32 : w;
      for(int x = 32 * j; x < x1; x++) {
        if(line && GET_DATA_BIT(line, x)) {
          run[x]++;
          continue;
        }
        if(run[x] >= len)
          for(int k = y - run[x]; k < y; k++)
            SET_DATA_BIT(dst + (size_t)k * (size_t)wpl, x);
        run[x] = 0;
      }
    }
  }
  free(run);
  return out;
}

int prep_remove_rules(PIX *gray, PIX *bin) {
  int total = 0;
  /* Opening with a long line keeps only long straight runs; a thick
   * residue (a filled box, a logo) is not a rule and is left alone. */
  PIX *h = prep_keep_runs(bin, 1, RULE_H_MIN_LEN);
  PIX *v = prep_keep_runs(bin, 0, RULE_V_MIN_LEN);
  if(!h || !v) {
    pixDestroy(&h);
    pixDestroy(&v);
    return -1;
  }
  PIX *thick_h = prep_keep_runs(h, 0, RULE_MAX_THICK + 1);
  PIX *thick_v = prep_keep_runs(v, 1, RULE_MAX_THICK + 1);
  if(thick_h)
    pixSubtract(h, h, thick_h);
  if(thick_v)
    pixSubtract(v, v, thick_v);
  pixDestroy(&thick_h);
  pixDestroy(&thick_v);
  pixOr(h, h, v);
  pixDestroy(&v);
  PIX *mask = pixDilateBrick(NULL, h, 2 * RULE_PAD + 1, 2 * RULE_PAD + 1);
  pixDestroy(&h);
  if(!mask)
    return -1;
  l_int32 count = 0;
  pixCountPixels(mask, &count, NULL);
  if(count > 0) {
    pixSetMasked(gray, mask, 255);
    pixSubtract(bin, bin, mask);
  }
  pixDestroy(&mask);
  total = count;
  return total;
}

typedef struct dot {
  int x0, y0, x1, y1;
  int cx, cy;
  int next; /* index of the following dot in its row, -1 */
  int prev;
} dot;

static int dot_cmp_x(const void *a, const void *b) {
  const dot *p = a, *q = b;
  return (p->cx > q->cx) - (p->cx < q->cx);
}

/* Links each dot to its nearest right neighbour on the same line. */
static void link_dots(dot *d, int n, const leader_geom *g) {
  for(int i = 0; i < n; i++) {
    int best = -1;
    for(int j = i + 1; j < n && d[j].cx - d[i].cx <= g->max_gap; j++) {
      if(abs(d[j].cy - d[i].cy) > g->y_tol || d[j].cx == d[i].cx)
        continue;
      if(d[j].prev >= 0)
        continue;
      best = j;
      break; /* sorted by x: the first match is the nearest */
    }
    if(best >= 0) {
      d[i].next = best;
      d[best].prev = i;
    }
  }
}

/* A chain is a leader when long enough and evenly spaced. */
static int chain_is_leader(const dot *d, int start, int *len) {
  int n = 0, gmin = 1 << 30, gmax = 0;
  for(int i = start; i >= 0; i = d[i].next) {
    n++;
    if(d[i].next >= 0) {
      int g = d[d[i].next].cx - d[i].cx;
      if(g < gmin)
        gmin = g;
      if(g > gmax)
        gmax = g;
    }
  }
  *len = n;
  if(n < LEADER_MIN_DOTS)
    return 0;
  return (float)(gmax - gmin) <= LEADER_GAP_TOL * (float)gmax;
}

/* Median height of the text lines of bin. */
static int line_height(PIX *bin) {
  text_band lines[PREP_MAX_LINES];
  int n = prep_find_lines(bin, lines, PREP_MAX_LINES);
  if(n == 0)
    return LINE_H_DEFAULT;
  int hs[PREP_MAX_LINES];
  for(int i = 0; i < n; i++) {
    int h = lines[i].bottom - lines[i].top, k = i;
    for(; k > 0 && hs[k - 1] > h; k--) /* insertion sort: n is small */
      hs[k] = hs[k - 1];
    hs[k] = h;
  }
  return hs[n / 2];
}

/* The baseline of the text around a chain of dots: the lower quartile of
 * the bottoms of the components taller than a dot that share the chain's
 * rows within LEADER_NEAR_SHARE line heights on either side (letters and
 * digits stand on the baseline; the quartile, not the median, keeps
 * descenders such as ر و ي out: measured 0-2 px from the leader's centre
 * where the median was up to 10 px off at 61 px lines).  -1 when there is
 * no such text (a leader alone on its line). */
static int chain_text_bottom(const BOXA *all, const dot *d, int start,
                             const leader_geom *g, int lh) {
  int x0 = 1 << 30, x1 = -1, cy = 0, n = 0;
  for(int i = start; i >= 0; i = d[i].next) {
    x0 = d[i].x0 < x0 ? d[i].x0 : x0;
    x1 = d[i].x1 > x1 ? d[i].x1 : x1;
    cy += d[i].cy;
    n++;
  }
  cy /= n;
  int reach = (int)(lh * LEADER_NEAR_SHARE);
  int nb = boxaGetCount((BOXA *)all), m = 0;
  int *bottoms = malloc((size_t)(nb > 0 ? nb : 1) * sizeof(*bottoms));
  if(!bottoms)
    return -1;
  for(int i = 0; i < nb; i++) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry((BOXA *)all, i, &x, &y, &w, &h);
    if(h <= g->dot_max || h > 2 * lh || x + w < x0 - reach || x > x1 + reach)
      continue;
    if(y > cy + lh / 2 || y + h < cy - lh / 2)
      continue;
    int k = m++;
    for(; k > 0 && bottoms[k - 1] > y + h; k--)
      bottoms[k] = bottoms[k - 1];
    bottoms[k] = y + h;
  }
  int r = m > 0 ? bottoms[m / 4] : -1;
  free(bottoms);
  return r;
}

/* A leader's dots sit on the baseline; Arabic-Indic zeros (٠, a dot at
 * mid-height between other digits) sit well above it.  A chain whose dots
 * are centred more than LEADER_ABOVE_SHARE of the line height above the
 * bottom of the text around it is a number's zeros, not a leader. */
static int chain_on_baseline(const BOXA *all, const dot *d, int start,
                             const leader_geom *g, int lh) {
  int bottom = chain_text_bottom(all, d, start, g, lh);
  if(bottom < 0)
    return 1;
  int cy = 0, n = 0;
  for(int i = start; i >= 0; i = d[i].next, n++)
    cy += d[i].cy;
  cy /= n;
  daftar_log(DLOG_DEBUG, "leaders: chain at y %d, text bottom %d, lh %d",
             cy, bottom, lh);
  return bottom - cy <= (int)(lh * LEADER_ABOVE_SHARE);
}

int prep_remove_leaders(PIX *gray, PIX *bin) {
  int lh = line_height(bin);
  daftar_log(DLOG_DEBUG, "leaders: line height %d", lh);
  leader_geom g = {(int)(lh * LEADER_DOT_MAX_SHARE),
                   (int)(lh * LEADER_MAX_GAP_SHARE),
                   (int)(lh * LEADER_Y_TOL_SHARE)};
  if(g.y_tol < 2)
    g.y_tol = 2;
  BOXA *boxa = pixConnComp(bin, NULL, 8);
  if(!boxa)
    return -1;
  int nb = boxaGetCount(boxa), n = 0, removed = 0;
  dot *d = calloc((size_t)(nb > 0 ? nb : 1), sizeof(*d));
  if(!d) {
    boxaDestroy(&boxa);
    return -1;
  }
  for(int i = 0; i < nb; i++) {
    l_int32 x, y, w, h;
    boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
    if(w < LEADER_DOT_MIN || h < LEADER_DOT_MIN || w > g.dot_max ||
       h > g.dot_max || w > 2 * h || h > 2 * w)
      continue;
    d[n] = (dot){x, y, x + w, y + h, x + w / 2, y + h / 2, -1, -1};
    n++;
  }
  qsort(d, (size_t)n, sizeof(*d), dot_cmp_x);
  link_dots(d, n, &g);
  for(int i = 0; i < n; i++) {
    int len = 0;
    if(d[i].prev >= 0 || !chain_is_leader(d, i, &len) ||
       !chain_on_baseline(boxa, d, i, &g, lh))
      continue;
    for(int k = i; k >= 0; k = d[k].next) {
      BOX *b = boxCreate(d[k].x0 - 1, d[k].y0 - 1, d[k].x1 - d[k].x0 + 2,
                         d[k].y1 - d[k].y0 + 2);
      if(b) {
        pixSetInRectArbitrary(gray, b, 255);
        pixClearInRect(bin, b);
        boxDestroy(&b);
      }
      removed++;
    }
  }
  boxaDestroy(&boxa);
  free(d);
  return removed;
}

/* A speck bigger than pepper: one taken out as dust is kept aside (its
 * pixels) in case it is a zero; one that stayed may start a row of them. */
typedef struct speck {
  int x, y, w, h;
  PIX *gray, *bin; /* its pixels (alone in its box: it was isolated); NULL
                      when it stayed */
  int keep;
} speck;

/* Text (a component bigger than a speck) beside s within SPECK_ROW_REACH
 * px left or right, on the rows just above it and on those just below
 * (a zero floats at mid-height of the digits beside it; dust next to a
 * number mostly does not). */
static int speck_beside_text(PIX *text, const speck *s, l_int32 *tab) {
  l_int32 up = 0, down = 0;
  BOX *a = boxCreate(s->x - SPECK_ROW_REACH, s->y - s->h,
                     s->w + 2 * SPECK_ROW_REACH, s->h);
  BOX *b = boxCreate(s->x - SPECK_ROW_REACH, s->y + s->h,
                     s->w + 2 * SPECK_ROW_REACH, s->h);
  if(a && b) {
    pixCountPixelsInRect(text, a, &up, tab);
    pixCountPixelsInRect(text, b, &down, tab);
  }
  boxDestroy(&a);
  boxDestroy(&b);
  return up > 0 && down > 0;
}

/* a and b are zeros of one number: the same size (within SPECK_ROW_TOL
 * px), centres on one line (within half their height), the gap between
 * them at most SPECK_ROW_REACH. */
static int speck_in_row(const speck *a, const speck *b) {
  int tol = a->h / 2 > SPECK_ROW_TOL ? a->h / 2 : SPECK_ROW_TOL;
  int gap = b->x > a->x ? b->x - (a->x + a->w) : a->x - (b->x + b->w);
  return abs(a->w - b->w) <= SPECK_ROW_TOL &&
         abs(a->h - b->h) <= SPECK_ROW_TOL &&
         abs((2 * b->y + b->h) - (2 * a->y + a->h)) <= 2 * tol &&
         gap <= SPECK_ROW_REACH;
}

int prep_remove_specks(PIX *gray, PIX *bin) {
  BOXA *boxa = pixConnComp(bin, NULL, 8);
  /* text: what is bigger than any speck (before anything is removed) */
  PIX *text = pixSelectBySize(bin, SPECK_MAX + 1, SPECK_MAX + 1, 8,
                              L_SELECT_IF_EITHER, L_SELECT_IF_GT, NULL);
  l_int32 *tab = makePixelSumTab8();
  int nb = boxa ? boxaGetCount(boxa) : 0, removed = 0, ns = 0;
  speck *sp = calloc((size_t)(nb > 0 ? nb : 1), sizeof(*sp));
  if(!boxa || !text || !tab || !sp) {
    boxaDestroy(&boxa);
    pixDestroy(&text);
    LEPT_FREE(tab);
    free(sp);
    return -1;
  }
  for(int i = 0; i < nb; i++) {
    l_int32 x, y, w, h, own = 0, around = 0;
    boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
    if(w > SPECK_MAX || h > SPECK_MAX)
      continue;
    int tiny = w <= SPECK_TINY && h <= SPECK_TINY;
    BOX *self = boxCreate(x, y, w, h);
    BOX *near = boxCreate(x - SPECK_ISOLATION, y - SPECK_ISOLATION,
                          w + 2 * SPECK_ISOLATION, h + 2 * SPECK_ISOLATION);
    if(self && near) {
      if(!tiny) {
        pixCountPixelsInRect(bin, self, &own, tab);
        pixCountPixelsInRect(bin, near, &around, tab);
      }
      if(tiny || around == own) { /* noise, or no letter it could dot */
        if(!tiny) /* dust, or a zero: decided below */
          sp[ns++] = (speck){x, y, w, h, pixClipRectangle(gray, self, NULL),
                             pixClipRectangle(bin, self, NULL), 0};
        pixSetInRectArbitrary(gray, self, 255);
        pixClearInRect(bin, self);
        removed++;
      } else if(!tiny) { /* stays: a zero next to a digit may start a row */
        sp[ns++] = (speck){x, y, w, h, NULL, NULL, 0};
      }
    }
    boxDestroy(&self);
    boxDestroy(&near);
  }
  /* Zeros: a row of two or more alike specks one of which is beside a
   * digit.  keep: 1 beside text, 2 in a row that reaches text. */
  for(int i = 0; i < ns; i++)
    sp[i].keep = speck_beside_text(text, &sp[i], tab);
  /* A speck in a row with a component just too big to be one (by
   * SPECK_ROW_TOL) is a zero beside zeros: the last zero of a DejaVu Sans
   * ٨٣٠,٠٠٠ was 8 px and isolated, the others 9-10 px, and the wage read
   * 830 (44640/doc-01, bench-extract's seed-11 light batch). */
  for(int i = 0; i < ns; i++)
    for(int k = 0; k < nb && !sp[i].keep && sp[i].gray; k++) {
      l_int32 x, y, w, h;
      boxaGetBoxGeometry(boxa, k, &x, &y, &w, &h);
      speck z = {x, y, w, h, NULL, NULL, 0};
      if((w > SPECK_MAX || h > SPECK_MAX) && w <= SPECK_MAX + SPECK_ROW_TOL &&
         h <= SPECK_MAX + SPECK_ROW_TOL && speck_in_row(&z, &sp[i]))
        sp[i].keep = 2;
    }
  for(int changed = 1; changed;) {
    changed = 0;
    for(int i = 0; i < ns; i++)
      for(int j = 0; j < ns && sp[i].keep < 2; j++)
        if(j != i && sp[j].keep && speck_in_row(&sp[j], &sp[i])) {
          sp[i].keep = 2;
          if(sp[j].keep == 1)
            sp[j].keep = 2;
          changed = 1;
        }
  }
  for(int i = 0; i < ns; i++) {
    if(sp[i].keep == 2 && sp[i].gray && sp[i].bin) { /* taken out: back in */
      pixRasterop(gray, sp[i].x, sp[i].y, sp[i].w, sp[i].h, PIX_SRC,
                  sp[i].gray, 0, 0);
      pixRasterop(bin, sp[i].x, sp[i].y, sp[i].w, sp[i].h, PIX_SRC | PIX_DST,
                  sp[i].bin, 0, 0);
      removed--;
    }
    pixDestroy(&sp[i].gray);
    pixDestroy(&sp[i].bin);
  }
  free(sp);
  LEPT_FREE(tab);
  pixDestroy(&text);
  boxaDestroy(&boxa);
  return removed;
}

int prep_find_lines(PIX *bin, text_band *lines, int max) {
  l_int32 w, h;
  pixGetDimensions(bin, &w, &h, NULL);
  NUMA *rows = pixCountPixelsByRow(bin, NULL);
  if(!rows)
    return 0;
  const l_float32 *v = numaGetFArray(rows, L_NOCOPY);
  /* Scattered noise puts a few pixels in many rows: a text row has more
   * than a small share of the width inked. */
  l_float32 min_ink = (l_float32)w / LINE_ROW_INK_DIV;
  if(min_ink < LINE_ROW_MIN_INK)
    min_ink = LINE_ROW_MIN_INK;
  int n = 0, y = 0;
  while(y < h && n < max) {
    while(y < h && v[y] < min_ink)
      y++;
    if(y >= h)
      break;
    text_band b = {y, y, 0};
    int gap = 0;
    while(y < h && gap <= LINE_GAP) {
      if(v[y] >= min_ink) {
        gap = 0;
        b.bottom = y + 1;
        b.ink += v[y];
      } else {
        gap++;
      }
      y++;
    }
    if(b.bottom - b.top >= LINE_MIN_H)
      lines[n++] = b;
  }
  numaDestroy(&rows);
  return n;
}

/* Groups lines into bands: a new band starts after a wide gap or where
 * the line height jumps (a title above body text). */
static void find_bands(PIX *bin, ocr_prep *p) {
  text_band lines[PREP_MAX_LINES];
  int n = prep_find_lines(bin, lines, PREP_MAX_LINES);
  l_int32 h;
  pixGetDimensions(bin, NULL, &h, NULL);
  p->nbands = 0;
  for(int i = 0; i < n; i++) {
    text_band *cur = p->nbands ? &p->bands[p->nbands - 1] : NULL;
    int split = !cur;
    if(cur) {
      double hp = lines[i - 1].bottom - lines[i - 1].top;
      double hc = lines[i].bottom - lines[i].top;
      int gap = lines[i].top - lines[i - 1].bottom;
      split = gap > BAND_GAP_MAX || hc > hp * BAND_HEIGHT_JUMP ||
              hp > hc * BAND_HEIGHT_JUMP;
    }
    if(split && p->nbands < PREP_MAX_BANDS) {
      p->bands[p->nbands++] = lines[i];
    } else {
      cur = &p->bands[p->nbands - 1];
      cur->bottom = lines[i].bottom;
      cur->ink += lines[i].ink;
    }
  }
  for(int i = 0; i < n; i++) {
    int up = lines[i].top - BAND_PAD, down = lines[i].bottom + BAND_PAD;
    if(i > 0 && up < lines[i - 1].bottom)
      up = (lines[i - 1].bottom + lines[i].top) / 2;
    if(i + 1 < n && down > lines[i + 1].top)
      down = (lines[i].bottom + lines[i + 1].top) / 2;
    p->lines[i] = (text_band){up < 0 ? 0 : up, down > h ? h : down,
                              lines[i].ink};
  }
  p->nlines = n;
  /* Pad into the gaps so ascenders and dots cut off by the profile
   * threshold stay inside. */
  for(int i = 0; i < p->nbands; i++) {
    int up = p->bands[i].top - BAND_PAD;
    int down = p->bands[i].bottom + BAND_PAD;
    if(i > 0 && up < p->bands[i - 1].bottom)
      up = (p->bands[i - 1].bottom + p->bands[i].top) / 2;
    if(i + 1 < p->nbands && down > p->bands[i + 1].top)
      down = (p->bands[i].bottom + p->bands[i + 1].top) / 2;
    p->bands[i].top = up < 0 ? 0 : up;
    p->bands[i].bottom = down > h ? h : down;
  }
}

int prep_page(struct ocr_engine *e, PIX *page, int flags, ocr_prep *out) {
  memset(out, 0, sizeof(*out));
  l_int32 w, h;
  pixGetDimensions(page, &w, &h, NULL);
  out->flags = flags;
  out->master_w = w;
  out->master_h = h;
  PIX *gray = prep_gray(page, &out->scale);
  if(!gray)
    return DAFTAR_ENOMEM;
  PIX *bin = prep_binarize(gray);
  int rc = DAFTAR_ENOMEM;
  if(!bin)
    goto fail;
  /* Specks first: every later step (line profiles for orientation, skew,
   * bands and the leader dots' size) reads a profile that noise blurs. */
  if((flags & OCR_PREP_SPECKS) && (out->specks = prep_remove_specks(gray, bin)) < 0)
    goto fail;
  /* Quarter turns next: skew is only measurable on horizontal lines. */
  if((flags & OCR_PREP_ORIENT) && orient_is_vertical(bin)) {
    out->quarter = 1;
    if(turn(&gray, &bin, 1))
      goto fail;
  }
  if((flags & OCR_PREP_DESKEW) && deskew(&gray, &bin, &out->skew))
    goto fail;
  if((flags & OCR_PREP_RULES) && (out->rules_removed = prep_remove_rules(gray, bin)) < 0)
    goto fail;
  if((flags & OCR_PREP_LEADERS) && (out->leader_dots = prep_remove_leaders(gray, bin)) < 0)
    goto fail;
  if(flags & OCR_PREP_ORIENT) {
    int q = orient_upside_down(e, gray, bin);
    if(q < 0)
      goto fail;
    if(q == 2) {
      if(turn(&gray, &bin, 2))
        goto fail;
      out->half = 1;
    }
  }
  if(flags & OCR_PREP_BANDS)
    find_bands(bin, out);
  if(flags & OCR_PREP_SAUVOLA) {
    PIX *sb = NULL;
    if(pixSauvolaBinarizeTiled(gray, SAUVOLA_WINDOW, SAUVOLA_FACTOR, 1, 1,
                               NULL, &sb) == 0 && sb) {
      PIX *g8 = pixConvert1To8(NULL, sb, 255, 0);
      pixDestroy(&sb);
      if(g8) {
        pixDestroy(&gray);
        gray = g8;
      }
    }
  }
  pixDestroy(&bin);
  pixGetDimensions(gray, &out->rot_w, &out->rot_h, NULL);
  out->pix = gray;
  return DAFTAR_OK;
fail:
  pixDestroy(&bin);
  pixDestroy(&gray);
  return rc;
}

int prep_rotation(const ocr_prep *p) {
  return (p->quarter * 90 + p->half * 180) % 360;
}

typedef struct fpt {
  double x, y;
} fpt;

/* Inverse of each step on one point (continuous pixel-edge coordinates). */
static fpt undo_steps(const ocr_prep *p, fpt a) {
  double w = p->rot_w, h = p->rot_h;
  if(p->half) {
    a.x = w - a.x;
    a.y = h - a.y;
  }
  if(p->skew != 0.0f) {
    /* pixRotate (area map) samples source = c + R(dest - c) with
     * xs = xc + dx cos + dy sin, ys = yc + dy cos - dx sin, c = (w/2, h/2). */
    double rad = (double)p->skew * M_PI / 180.0;
    double c = cos(rad), s = sin(rad);
    double xc = (double)((int)w / 2), yc = (double)((int)h / 2);
    double dx = a.x - xc, dy = a.y - yc;
    a.x = xc + dx * c + dy * s;
    a.y = yc + dy * c - dx * s;
  }
  if(p->quarter) {
    /* A clockwise quarter turn sends source (x, y) to (hs - y, x), where hs,
     * the source height, is the turned width w. */
    fpt b = {a.y, w - a.x};
    a = b;
  }
  a.x /= (double)p->scale;
  a.y /= (double)p->scale;
  return a;
}

static int clampi(double v, int lo, int hi) {
  if(v < lo)
    return lo;
  if(v > hi)
    return hi;
  return (int)lround(v);
}

daftar_box prep_box_to_master(const ocr_prep *p, int x0, int y0, int x1,
                              int y1) {
  fpt c[4] = {{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}};
  double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
  for(int i = 0; i < 4; i++) {
    fpt m = undo_steps(p, c[i]);
    minx = fmin(minx, m.x);
    miny = fmin(miny, m.y);
    maxx = fmax(maxx, m.x);
    maxy = fmax(maxy, m.y);
  }
  daftar_box b = {clampi(minx, 0, p->master_w), clampi(miny, 0, p->master_h),
                  clampi(maxx, 0, p->master_w), clampi(maxy, 0, p->master_h)};
  return b;
}

void prep_clear(ocr_prep *p) {
  if(p->pix)
    pixDestroy(&p->pix);
  memset(p, 0, sizeof(*p));
}
