/*
 * test_cleanup.c - the page cleanup keeps digits: dotted leaders and
 * specks are whitened, the Arabic-Indic and Persian digits next to them
 * (٠ ۰ dots, ١ strokes, the separators ٫ ٬) are not.
 *
 * Pages are lines rendered by the generator (DAFTAR_GEN).  The value's ink
 * is located without the code under test: a line "label .... value" is
 * rendered with the value alone and the label alone in the same font and
 * size; right to left, the value stays at the left margin and the label at
 * the right, pixel for pixel (checked, so a change in the renderer fails
 * loudly instead of testing nothing).  Cleanup runs through prep_page()
 * with the public OCR_PREP_* flags (no engine is needed without
 * OCR_PREP_ORIENT); its result is compared with the same page cleaned with
 * no step at all.
 *
 * Linked into check_ocr; cleanup_suite() is added by test_ocr.c's main.
 */
#define _GNU_SOURCE
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ocr_testlib.h"
#include "recognize_int.h"

#define CL_PATH_LEN 4096
#define CL_TMP_LEN 1024
/* Text, value and label of a line: where the value is, where the leader. */
#define CL_GAP 3          /* px between the value or label and the leader */
#define CL_KEEP_MIN 0.99  /* share of a value's ink that must survive */
#define CL_BORDER 160     /* white added around a line for dust */
#define CL_DUST 6         /* px: a dust speck, well under SPECK_MAX */

static char cl_tmp[CL_TMP_LEN];

/* ---- helpers ----------------------------------------------------------- */

static void cl_render(const char *text, const char *font, const char *size,
                      const char *name, char *out) {
  snprintf(out, CL_PATH_LEN, "%s/%.200s.tif", cl_tmp, name);
  otl_gen_line(text, font, size, out);
}

static PIX *cl_read(const char *path) {
  PIX *p = pixRead(path);
  ck_assert_msg(p != NULL, "cannot read %s", path);
  PIX *g = pixConvertTo8(p, 0);
  pixDestroy(&p);
  ck_assert_ptr_nonnull(g);
  pixSetResolution(g, OCR_TARGET_DPI, OCR_TARGET_DPI);
  return g;
}

/* The page after prep_page with flags, as the ink mask the steps use. */
static PIX *cl_clean(PIX *page, int flags) {
  ocr_prep p;
  ck_assert_int_eq(prep_page(NULL, page, flags, &p), DAFTAR_OK);
  ck_assert_int_eq(p.quarter + p.half, 0);
  ck_assert(p.skew == 0.0f);
  PIX *bin = prep_binarize(p.pix);
  prep_clear(&p);
  ck_assert_ptr_nonnull(bin);
  return bin;
}

static int cl_ink(PIX *bin, BOX *box) {
  l_int32 n = 0;
  pixCountPixelsInRect(bin, box, &n, NULL);
  return n;
}

/* The bounding box of the ink of an image (a value or a label alone). */
static BOX *cl_ink_box(PIX *gray) {
  PIX *b = prep_binarize(gray);
  BOX *box = NULL;
  ck_assert_ptr_nonnull(b);
  ck_assert_int_eq(pixClipToForeground(b, NULL, &box), 0);
  pixDestroy(&b);
  ck_assert_ptr_nonnull(box);
  return box;
}

/* part (rendered alone) is drawn inside line at dx: same pixels in its box. */
static void cl_assert_same_ink(PIX *line, PIX *part, BOX *box, int dx) {
  l_int32 x, y, w, h;
  boxGetGeometry(box, &x, &y, &w, &h);
  PIX *a = prep_binarize(line), *b = prep_binarize(part);
  PIX *d = pixCreate(w, h, 1);
  ck_assert_ptr_nonnull(d);
  pixRasterop(d, 0, 0, w, h, PIX_SRC, a, x + dx, y);
  pixRasterop(d, 0, 0, w, h, PIX_SRC ^ PIX_DST, b, x, y);
  l_int32 diff = 0, ink = 0;
  pixCountPixels(d, &diff, NULL);
  pixCountPixelsInRect(b, box, &ink, NULL);
  ck_assert_msg(ink > 0 && diff * 50 <= ink,
                "the line does not hold the part rendered alone (%d of %d "
                "px differ): the test's geometry no longer holds", diff, ink);
  pixDestroy(&a);
  pixDestroy(&b);
  pixDestroy(&d);
}

/* Every component of the value (in before, inside box) keeps at least
 * half its ink in after, and the value as a whole CL_KEEP_MIN of it. */
static void cl_assert_value_kept(PIX *before, PIX *after, BOX *box,
                                 const char *what) {
  PIX *v = pixClipRectangle(before, box, NULL);
  PIX *w = pixClipRectangle(after, box, NULL);
  ck_assert_ptr_nonnull(v);
  ck_assert_ptr_nonnull(w);
  BOXA *cc = pixConnComp(v, NULL, 8);
  ck_assert_ptr_nonnull(cc);
  int n = boxaGetCount(cc), lost = 0;
  for(int i = 0; i < n; i++) {
    BOX *c = boxaGetBox(cc, i, L_CLONE);
    int had = cl_ink(v, c), has = cl_ink(w, c);
    if(has * 2 < had)
      lost++;
    boxDestroy(&c);
  }
  int had = cl_ink(v, NULL), has = cl_ink(w, NULL);
  ck_assert_msg(lost == 0, "%s: %d of the value's %d components lost", what,
                lost, n);
  ck_assert_msg(has >= CL_KEEP_MIN * had, "%s: value ink %d of %d kept",
                what, has, had);
  boxaDestroy(&cc);
  pixDestroy(&v);
  pixDestroy(&w);
}

/* A white border around a page (room for dust). */
static PIX *cl_framed(PIX *page, int border) {
  PIX *f = pixAddBorder(page, border, 255);
  ck_assert_ptr_nonnull(f);
  pixSetResolution(f, OCR_TARGET_DPI, OCR_TARGET_DPI);
  return f;
}

static void cl_fill(PIX *gray, int x, int y, int w, int h) {
  BOX *b = boxCreate(x, y, w, h);
  ck_assert_ptr_nonnull(b);
  pixSetInRectArbitrary(gray, b, 0);
  boxDestroy(&b);
}

/* ---- fixture ----------------------------------------------------------- */

static void cl_setup(void) {
  otl_tmpdir_make(cl_tmp, sizeof(cl_tmp), "test_cleanup");
}

static void cl_teardown(void) {
  otl_tmpdir_remove(cl_tmp);
}

/* ---- dotted leaders ----------------------------------------------------- */

static const struct {
  const char *label, *value, *font, *size;
} leader_lines[] = {
    /* a row of ٠ right after the leader, its dots' size */
    {"رقم الضمان", "٣٢٠٠٠٠٠٦٩٦٤٤", "Noto Naskh Arabic", "12"},
    /* ٬ between groups of ٠ */
    {"الراتب الشهري", "١٬٠٠٠٬٠٠٠", "Noto Sans Arabic", "12"},
    /* ١ strokes and slashes */
    {"تاريخ الميلاد", "٩/١٠/١٩٩٧", "Noto Sans Arabic", "12"},
    /* Persian digits, the decimal separator ٫ */
    {"ژمارەی دەستەبەری", "۱۰۱٫۵۰", "Noto Naskh Arabic", "14"},
};

/* A dotted leader between a label and a value in Arabic-Indic or Persian
 * digits is whitened; every component of the value keeps its ink. */
START_TEST(cleanup_leader_goes_value_digits_stay) {
  char line[CL_PATH_LEN], val[CL_PATH_LEN], lab[CL_PATH_LEN], text[512];
  snprintf(text, sizeof(text), "%s .............. %s", leader_lines[_i].label,
           leader_lines[_i].value);
  cl_render(text, leader_lines[_i].font, leader_lines[_i].size, "lead", line);
  cl_render(leader_lines[_i].value, leader_lines[_i].font,
            leader_lines[_i].size, "lead-value", val);
  cl_render(leader_lines[_i].label, leader_lines[_i].font,
            leader_lines[_i].size, "lead-label", lab);
  PIX *page = cl_read(line), *vp = cl_read(val), *lp = cl_read(lab);
  BOX *vbox = cl_ink_box(vp), *lbox = cl_ink_box(lp);
  int shift = pixGetWidth(page) - pixGetWidth(lp);
  cl_assert_same_ink(page, vp, vbox, 0);
  cl_assert_same_ink(page, lp, lbox, shift);

  /* the leader: between the value and the label */
  l_int32 vx, vw, lx;
  boxGetGeometry(vbox, &vx, NULL, &vw, NULL);
  boxGetGeometry(lbox, &lx, NULL, NULL, NULL);
  BOX *lead = boxCreate(vx + vw + CL_GAP, 0,
                        lx + shift - CL_GAP - (vx + vw + CL_GAP),
                        pixGetHeight(page));
  ck_assert_ptr_nonnull(lead);

  PIX *before = cl_clean(page, 0);
  PIX *after = cl_clean(page, OCR_PREP_SPECKS | OCR_PREP_RULES |
                                  OCR_PREP_LEADERS);
  ck_assert_msg(cl_ink(before, lead) > 0, "no leader rendered: %s", text);
  ck_assert_msg(cl_ink(after, lead) == 0, "%s: %d px of the leader left",
                text, cl_ink(after, lead));
  cl_assert_value_kept(before, after, vbox, text);

  boxDestroy(&lead);
  boxDestroy(&vbox);
  boxDestroy(&lbox);
  pixDestroy(&before);
  pixDestroy(&after);
  pixDestroy(&page);
  pixDestroy(&vp);
  pixDestroy(&lp);
}
END_TEST

static const struct {
  const char *label, *value, *font, *size;
} zero_rows[] = {
    {"رقم الضمان", "٣٢٠٠٠٠٠٦٩٦٤٤", "Noto Naskh Arabic", "12"},
    {"رقم الضمان", "٣٢٠٠٠٠٠٦٩٦٤٤", "Noto Naskh Arabic", "32"},
    {"رقم الضمان", "۳۲۰۰۰۰۰۶۹۶۴۴", "Noto Sans Arabic", "12"},
    {"الأجر الشهري:", "١٬٠٠٠٬٠٠٠", "Noto Sans Arabic", "20"},
};

/* Rows of zeros are not leaders: ٠ and ۰ float at mid-height, a leader's
 * dots rest on the baseline.  Nothing of these lines is whitened. */
START_TEST(cleanup_rows_of_zeros_are_not_leaders) {
  char line[CL_PATH_LEN], val[CL_PATH_LEN], text[512];
  snprintf(text, sizeof(text), "%s %s", zero_rows[_i].label,
           zero_rows[_i].value);
  cl_render(text, zero_rows[_i].font, zero_rows[_i].size, "zeros", line);
  cl_render(zero_rows[_i].value, zero_rows[_i].font, zero_rows[_i].size,
            "zeros-value", val);
  PIX *page = cl_read(line), *vp = cl_read(val);
  BOX *vbox = cl_ink_box(vp);
  cl_assert_same_ink(page, vp, vbox, 0);
  PIX *before = cl_clean(page, 0);
  PIX *after = cl_clean(page, OCR_PREP_LEADERS);
  cl_assert_value_kept(before, after, vbox, text);
  ck_assert_msg(cl_ink(after, NULL) == cl_ink(before, NULL),
                "%s: %d px whitened", text,
                cl_ink(before, NULL) - cl_ink(after, NULL));
  boxDestroy(&vbox);
  pixDestroy(&before);
  pixDestroy(&after);
  pixDestroy(&page);
  pixDestroy(&vp);
}
END_TEST

/* ---- specks ------------------------------------------------------------- */

static const struct {
  const char *label, *value;
} speck_lines[] = {
    {"رقم الضمان", "٣٢٠٠٠٠٠٦٩٦٤٤"},
    {"الراتب الشهري", "۹۷۰٬۰۰۰"},
    {"المبلغ", "٢٠٫٠٥"},
};

/* In DejaVu Sans at 14 pt a ٠ is a 5x6 px dot 32 px from the next digit:
 * speck removal took the zeros in the middle of a row of them for dust
 * (3 of 5 in ٣٢٠٠٠٠٠٦٩٦٤٤).  They stay; dust far from any text still
 * goes. */
START_TEST(cleanup_specks_keep_zeros) {
  char line[CL_PATH_LEN], val[CL_PATH_LEN], text[512];
  snprintf(text, sizeof(text), "%s %s", speck_lines[_i].label,
           speck_lines[_i].value);
  cl_render(text, "DejaVu Sans", "14", "specks", line);
  cl_render(speck_lines[_i].value, "DejaVu Sans", "14", "specks-value", val);
  PIX *line_pix = cl_read(line), *vp = cl_read(val);
  BOX *vbox0 = cl_ink_box(vp);
  cl_assert_same_ink(line_pix, vp, vbox0, 0);
  PIX *page = cl_framed(line_pix, CL_BORDER);
  l_int32 x, y, w, h;
  boxGetGeometry(vbox0, &x, &y, &w, &h);
  BOX *vbox = boxCreate(x + CL_BORDER, y + CL_BORDER, w, h);
  /* dust: in the border, far from the line (and from each other) */
  int W = pixGetWidth(page), H = pixGetHeight(page);
  BOX *dust[] = {boxCreate(CL_BORDER / 2, CL_BORDER / 3, CL_DUST, CL_DUST),
                 boxCreate(W - CL_BORDER / 2, H - CL_BORDER / 3, CL_DUST,
                           CL_DUST)};
  for(size_t i = 0; i < sizeof(dust) / sizeof(dust[0]); i++) {
    ck_assert_ptr_nonnull(dust[i]);
    l_int32 dx, dy;
    boxGetGeometry(dust[i], &dx, &dy, NULL, NULL);
    cl_fill(page, dx, dy, CL_DUST, CL_DUST);
  }
  PIX *before = cl_clean(page, 0);
  PIX *after = cl_clean(page, OCR_PREP_SPECKS);
  for(size_t i = 0; i < sizeof(dust) / sizeof(dust[0]); i++) {
    ck_assert_int_gt(cl_ink(before, dust[i]), 0);
    ck_assert_msg(cl_ink(after, dust[i]) == 0, "dust speck %zu stayed", i);
    boxDestroy(&dust[i]);
  }
  cl_assert_value_kept(before, after, vbox, text);
  boxDestroy(&vbox);
  boxDestroy(&vbox0);
  pixDestroy(&before);
  pixDestroy(&after);
  pixDestroy(&page);
  pixDestroy(&line_pix);
  pixDestroy(&vp);
}
END_TEST

/* A fixed sequence of pseudo-random numbers (0..32767). */
static int cl_rand(unsigned long *r) {
  *r = *r * 1103515245ul + 12345ul;
  return (int)((*r >> 16) & 0x7fff);
}

/* prep_keep_runs is the opening with a line that rule removal used
 * (pixOpenBrick), pixel for pixel: on an image whose width is not a
 * multiple of 32, with segments of every length around the ones asked
 * for, segments touching each border, crossings and noise. */
START_TEST(cleanup_keep_runs_is_line_opening) {
  const int W = 517, H = 389;
  PIX *p = pixCreate(W, H, 1);
  ck_assert_ptr_nonnull(p);
  unsigned long r = 12345;
  for(int i = 0; i < 400; i++) {
    int len = 1 + cl_rand(&r) % 200, x = cl_rand(&r) % W, y = cl_rand(&r) % H;
    if(i % 7 == 0) /* touching a border */
      x = i % 2 ? (i % 3 ? 0 : W - len) : x;
    if(i % 11 == 0)
      y = i % 2 ? y : (i % 3 ? 0 : H - len);
    int t = 1 + cl_rand(&r) % 3; /* thickness */
    if(i % 2)
      pixRasterop(p, x, y, len, t, PIX_SET, NULL, 0, 0);
    else
      pixRasterop(p, x, y, t, len, PIX_SET, NULL, 0, 0);
  }
  for(int i = 0; i < 3000; i++)
    pixSetPixel(p, cl_rand(&r) % W, cl_rand(&r) % H, 1);
  const int lens[] = {1, 2, 9, 10, 31, 32, 33, 64, 150, 199};
  for(size_t k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
    for(int across = 0; across <= 1; across++) {
      int len = lens[k];
      PIX *want = across ? pixOpenBrick(NULL, p, len, 1)
                         : pixOpenBrick(NULL, p, 1, len);
      PIX *got = prep_keep_runs(p, across, len);
      ck_assert_ptr_nonnull(want);
      ck_assert_ptr_nonnull(got);
      l_int32 same = 0, n = 0;
      pixEqual(want, got, &same);
      pixCountPixels(want, &n, NULL);
      ck_assert_msg(n > 0 || len > 150, "nothing kept at %d", len);
      ck_assert_msg(same, "runs of %d %s differ from the opening", len,
                    across ? "across" : "down");
      pixDestroy(&want);
      pixDestroy(&got);
    }
  }
  pixDestroy(&p);
}
END_TEST

Suite *cleanup_suite(void);

Suite *cleanup_suite(void) {
  Suite *s = suite_create("cleanup");
  TCase *t = tcase_create("digits");
  tcase_add_unchecked_fixture(t, cl_setup, cl_teardown);
  tcase_set_timeout(t, 60);
  tcase_add_loop_test(t, cleanup_leader_goes_value_digits_stay, 0,
                      sizeof(leader_lines) / sizeof(leader_lines[0]));
  tcase_add_loop_test(t, cleanup_rows_of_zeros_are_not_leaders, 0,
                      sizeof(zero_rows) / sizeof(zero_rows[0]));
  tcase_add_loop_test(t, cleanup_specks_keep_zeros, 0,
                      sizeof(speck_lines) / sizeof(speck_lines[0]));
  tcase_add_test(t, cleanup_keep_runs_is_line_opening);
  suite_add_tcase(s, t);
  return s;
}
