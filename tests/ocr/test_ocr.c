/*
 * test_ocr.c - recognition: cleanup, orientation, deskew, digits, bidi
 * marks, language choice, word boxes, and ocr_run over a real archive
 * (resume after kill, failures recorded, masters untouched).
 *
 * Real components only: pages come from the generator (DAFTAR_GEN), are
 * read by Tesseract with the Arabic-script model, and archives are made by
 * ingest_run.  Pages are few and small so the suite stays near a minute.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "index.h"
#include "ingest.h"
#include "ocr.h"
#include "ocr_testlib.h"
#include "recognize_int.h"

#define PATH_LEN 4096
#define TRUTH_MAX ((size_t)4 * 1024 * 1024)

/* Made once by the unchecked fixture (in the parent, before forks). */
#define TMP_LEN 1024
static char g_tmp[TMP_LEN];
static char g_ar_page[PATH_LEN], g_ckb_page[PATH_LEN];
static char *g_ar_text, *g_ckb_text;

/* ---- helpers ----------------------------------------------------------- */

static const char *gen_path(void) {
  const char *g = getenv("DAFTAR_GEN");
  if(!g || !*g) {
    fprintf(stderr, "test_ocr: DAFTAR_GEN is not set\n");
    exit(1);
  }
  return g;
}

static void tmp_path(char *out, const char *name) {
  snprintf(out, PATH_LEN, "%s/%.2000s", g_tmp, name);
}

static void gen_line(const char *text, const char *out) {
  otl_gen_line(text, NULL, NULL, out);
}

/* A one-document batch in DIR; extra args after "--lang". */
static int gen_batch(const char *dir, const char *lang, const char *seed,
                     const char *files, const char *degrade) {
  char *argv[] = {(char *)gen_path(), "batch", "--out", (char *)dir,
                  "--seed", (char *)seed, "--files", (char *)files,
                  "--docs", "1", "--lang", (char *)lang, "--degrade",
                  (char *)degrade, "--compression", "lzw", NULL};
  return otl_run(argv);
}

/* Copies the JSON string value after "key":" at p (simple escapes and
 * \uXXXX in the BMP, as the generator writes them). */
static char *json_string_at(const char *p) {
  dbuf b = DBUF_INIT;
  for(; *p && *p != '"'; p++) {
    if(*p != '\\') {
      dbuf_putc(&b, *p);
      continue;
    }
    p++;
    switch(*p) {
    case 'n': dbuf_putc(&b, '\n'); break;
    case 't': dbuf_putc(&b, '\t'); break;
    case 'u': {
      char hex[5] = {0};
      memcpy(hex, p + 1, 4);
      char enc[4];
      dbuf_append(&b, enc, utf8_encode((uint32_t)strtoul(hex, NULL, 16), enc));
      p += 4;
      break;
    }
    default: dbuf_putc(&b, *p); break;
    }
  }
  dbuf_cstr(&b);
  return dbuf_take(&b);
}

/* The first document's source and page-1 text from DIR/truth.jsonl. */
static void read_truth(const char *dir, char *page_path, char **text) {
  char path[PATH_LEN];
  snprintf(path, sizeof(path), "%s/truth.jsonl", dir);
  char *all = NULL;
  size_t len = 0;
  ck_assert_int_eq(file_read_all(path, TRUTH_MAX, &all, &len), 0);
  const char *src = strstr(all, "\"source\":\"");
  const char *txt = strstr(all, "\"text\":\"");
  ck_assert_ptr_nonnull(src);
  ck_assert_ptr_nonnull(txt);
  char *source = json_string_at(src + strlen("\"source\":\""));
  snprintf(page_path, PATH_LEN, "%s/%s", dir, source);
  *text = json_string_at(txt + strlen("\"text\":\""));
  free(source);
  free(all);
}

/* Text as compared: no bidi marks, ASCII digits, whitespace runs -> one
 * space. */
static char *norm(const char *s) {
  dbuf a = DBUF_INIT, b = DBUF_INIT, c = DBUF_INIT;
  text_strip_bidi(s, strlen(s), &a);
  text_ascii_digits(dbuf_cstr(&a), a.len, &b);
  const char *p = dbuf_cstr(&b);
  int space = 1;
  for(; *p; p++) {
    if(*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
      if(!space)
        dbuf_putc(&c, ' ');
      space = 1;
    } else {
      dbuf_putc(&c, *p);
      space = 0;
    }
  }
  if(c.len > 0 && c.data[c.len - 1] == ' ')
    c.data[--c.len] = '\0';
  dbuf_free(&a);
  dbuf_free(&b);
  dbuf_cstr(&c);
  return dbuf_take(&c);
}

static size_t code_points(const char *s) {
  size_t n = 0;
  for(; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Character error rate of got against truth, after norm(). */
static double cer(const char *got, const char *truth) {
  char *g = norm(got ? got : ""), *t = norm(truth);
  int d = text_edit_distance(g, t);
  double r = (double)d / (double)(code_points(t) ? code_points(t) : 1);
  free(g);
  free(t);
  return r;
}

static struct ocr_engine *engine(void) {
  ocr_options o;
  ocr_options_default(&o);
  struct ocr_engine *e = NULL;
  ck_assert_int_eq(ocr_engine_open(&o, &e), DAFTAR_OK);
  ck_assert_ptr_nonnull(e);
  return e;
}

static PIX *read_page(const char *path) {
  PIX *p = pixRead(path);
  ck_assert_msg(p != NULL, "cannot read %s", path);
  return p;
}

static int has_bidi_mark(const char *s) {
  return s && (strstr(s, "\xE2\x80\x8E") || strstr(s, "\xE2\x80\x8F") ||
               strstr(s, "\xD8\x9C"));
}

/* ---- fixture ----------------------------------------------------------- */

static void suite_setup(void) {
  otl_tmpdir_make(g_tmp, sizeof(g_tmp), "test_ocr");
  char ar[PATH_LEN], ckb[PATH_LEN];
  tmp_path(ar, "ar");
  tmp_path(ckb, "ckb");
  if(gen_batch(ar, "ar", "3", "1", "none") != 0 ||
     gen_batch(ckb, "ckb", "3", "1", "none") != 0) {
    fprintf(stderr, "test_ocr: daftar-gen failed\n");
    exit(1);
  }
  read_truth(ar, g_ar_page, &g_ar_text);
  read_truth(ckb, g_ckb_page, &g_ckb_text);
}

static void suite_teardown(void) {
  free(g_ar_text);
  free(g_ckb_text);
  otl_tmpdir_remove(g_tmp);
}

/* ---- recognition ------------------------------------------------------- */

START_TEST(ocr_reads_known_arabic_line) {
  char f[PATH_LEN];
  tmp_path(f, "line.tif");
  const char *truth = "الضمان الاجتماعي للعمال في المحافظة";
  gen_line(truth, f);
  struct ocr_engine *e = engine();
  PIX *p = read_page(f);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  double c = cer(r.text, truth);
  ck_assert_msg(c <= 0.05, "CER %.3f: '%s'", c, r.text);
  ck_assert_int_eq((int)r.nwords, 5);
  ck_assert_str_eq(r.lang, "ar");
  ck_assert_str_eq(r.model, "Arabic");
  ck_assert_int_eq(r.needs_review, 0);
  ck_assert_int_eq(r.words[0].page, 1);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

START_TEST(ocr_reads_generated_form_page) {
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ar_page);
  PIX *copy = pixCopy(NULL, p);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 2, &r), DAFTAR_OK);
  double c = cer(r.text, g_ar_text);
  ck_assert_msg(c <= 0.25, "CER %.3f", c);
  l_int32 same = 0;
  pixEqual(p, copy, &same);
  ck_assert_msg(same, "the page image given was modified");
  l_int32 w = pixGetWidth(p), h = pixGetHeight(p);
  ck_assert_uint_gt(r.nwords, 20);
  for(size_t i = 0; i < r.nwords; i++) {
    const daftar_box *b = &r.words[i].box;
    ck_assert_int_eq(r.words[i].page, 2);
    ck_assert(b->x0 >= 0 && b->x0 < b->x1 && b->x1 <= w);
    ck_assert(b->y0 >= 0 && b->y0 < b->y1 && b->y1 <= h);
    ck_assert(r.words[i].line >= 1 && r.words[i].block >= 1);
    ck_assert(r.words[i].conf >= 0 && r.words[i].conf <= 100);
  }
  /* ALTO and hOCR: one document each, a String / ocrx_word per word. */
  ck_assert_ptr_nonnull(strstr(r.alto, "<alto xmlns=\"http://www.loc.gov/standards/alto/ns-v4#\""));
  ck_assert_ptr_nonnull(strstr(r.hocr, "class=\"ocr_page\""));
  size_t strings = 0, spans = 0;
  for(const char *q = r.alto; (q = strstr(q, "<String ")); q++)
    strings++;
  for(const char *q = r.hocr; (q = strstr(q, "class=\"ocrx_word\"")); q++)
    spans++;
  ck_assert_uint_eq(strings, r.nwords);
  ck_assert_uint_eq(spans, r.nwords);
  ck_assert(r.confidence > 50 && r.confidence <= 100);
  ocr_page_result_clear(&r);
  pixDestroy(&copy);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* Each quarter turn of the page comes back upright with the rotation that
 * undid it (degrees clockwise). */
START_TEST(ocr_turns_page_upright) {
  int quads = _i;
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ar_page);
  PIX *turned = pixRotateOrth(p, quads);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, turned, 1, &r), DAFTAR_OK);
  ck_assert_int_eq(r.rotation, (360 - 90 * quads) % 360);
  double c = cer(r.text, g_ar_text);
  ck_assert_msg(c <= 0.25, "turn %d: CER %.3f", quads * 90, c);
  ocr_page_result_clear(&r);
  pixDestroy(&turned);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* The generator's own --rotate (its convention: clockwise turn applied). */
START_TEST(ocr_uprights_generator_rotated_page) {
  char dir[PATH_LEN], page[PATH_LEN];
  tmp_path(dir, "rot270");
  char *argv[] = {(char *)gen_path(), "batch", "--out", dir, "--seed", "5",
                  "--files", "1", "--docs", "1", "--lang", "ar",
                  "--degrade", "light", "--rotate", "270", NULL};
  ck_assert_int_eq(otl_run(argv), 0);
  char *truth = NULL;
  read_truth(dir, page, &truth);
  struct ocr_engine *e = engine();
  PIX *p = read_page(page);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  ck_assert_int_eq(r.rotation, 90);
  double c = cer(r.text, truth);
  ck_assert_msg(c <= 0.30, "CER %.3f", c);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  free(truth);
  ocr_engine_close(e);
}
END_TEST

/* A page turned by a few degrees is measured and straightened: skew is the
 * correction (Leptonica sign), the opposite of the turn. */
START_TEST(ocr_deskews_page) {
  static const float turns[] = {3.0f, -2.0f};
  float deg = turns[_i];
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ar_page);
  PIX *g = pixConvertTo8(p, 0);
  PIX *sk = pixRotate(g, deg * (float)M_PI / 180.0f, L_ROTATE_AREA_MAP,
                      L_BRING_IN_WHITE, 0, 0);
  pixSetResolution(sk, 300, 300);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, sk, 1, &r), DAFTAR_OK);
  ck_assert_msg(fabsf(r.skew + deg) <= 0.5f, "turned %.1f, skew %.2f", deg,
                r.skew);
  ck_assert_int_eq(r.rotation, 0);
  double c = cer(r.text, g_ar_text);
  ck_assert_msg(c <= 0.25, "CER %.3f after deskew", c);
  ocr_page_result_clear(&r);
  pixDestroy(&sk);
  pixDestroy(&g);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* A 200-dpi scan is upscaled for reading; its boxes stay in its own
 * (200-dpi) pixels. */
START_TEST(ocr_reads_low_resolution_page) {
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ar_page);
  PIX *g = pixConvertTo8(p, 0);
  PIX *low = pixScaleGrayLI(g, 2.0f / 3.0f, 2.0f / 3.0f);
  ck_assert_ptr_nonnull(low);
  pixSetResolution(low, 200, 200);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, low, 1, &r), DAFTAR_OK);
  double c = cer(r.text, g_ar_text);
  ck_assert_msg(c <= 0.25, "CER %.3f at 200 dpi", c);
  l_int32 w = pixGetWidth(low), h = pixGetHeight(low);
  for(size_t i = 0; i < r.nwords; i++)
    ck_assert(r.words[i].box.x1 <= w && r.words[i].box.y1 <= h);
  ocr_page_result_clear(&r);
  pixDestroy(&low);
  pixDestroy(&g);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

static const daftar_word *find_word(const ocr_page_result *r, const char *t) {
  for(size_t i = 0; i < r->nwords; i++)
    if(strcmp(r->words[i].text, t) == 0)
      return &r->words[i];
  return NULL;
}

/* Boxes are in the pixels of the image given, whatever turn undid it. */
START_TEST(ocr_maps_boxes_to_given_image) {
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ar_page);
  PIX *q = pixRotateOrth(p, 1);
  ocr_page_result up, turned;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &up), DAFTAR_OK);
  ck_assert_int_eq(ocr_engine_recognize(e, q, 1, &turned), DAFTAR_OK);
  const char *key = "الاجتماعية";
  const daftar_word *a = find_word(&up, key), *b = find_word(&turned, key);
  ck_assert_msg(a && b, "'%s' not read both times", key);
  /* A clockwise quarter turn sends (x, y) to (h - y, x). */
  int h = pixGetHeight(p);
  daftar_box want = {h - a->box.y1, a->box.x0, h - a->box.y0, a->box.x1};
  ck_assert_msg(abs(b->box.x0 - want.x0) <= 12 && abs(b->box.y0 - want.y0) <= 12 &&
                    abs(b->box.x1 - want.x1) <= 12 && abs(b->box.y1 - want.y1) <= 12,
                "box [%d %d %d %d], want [%d %d %d %d]", b->box.x0, b->box.y0,
                b->box.x1, b->box.y1, want.x0, want.y0, want.x1, want.y1);
  ocr_page_result_clear(&up);
  ocr_page_result_clear(&turned);
  pixDestroy(&q);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* ---- digits and bidi marks ------------------------------------------- */

static const char *digit_lines[] = {
    "الرقم 4805713926",
    "الرقم ٤٨٠٥٧١٣٩٢٦",
    "الرقم ۴۸۰۵۷۱۳۹۲۶",
};

/* Digits come back as digits in every style; compared in ASCII. */
START_TEST(ocr_reads_digits_in_three_styles) {
  char f[PATH_LEN];
  tmp_path(f, "digits.tif");
  gen_line(digit_lines[_i], f);
  struct ocr_engine *e = engine();
  PIX *p = read_page(f);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  dbuf b = DBUF_INIT;
  text_ascii_digits(r.text, strlen(r.text), &b);
  char digits[64];
  size_t n = 0;
  for(const char *q = dbuf_cstr(&b); *q && n + 1 < sizeof(digits); q++)
    if(*q >= '0' && *q <= '9')
      digits[n++] = *q;
  digits[n] = '\0';
  /* Arabic-Indic and Persian digits are the model's weak spot (see
   * docs/BENCHMARKS.md): ASCII must be exact, the others near. */
  int d = text_edit_distance(digits, "4805713926");
  ck_assert_msg(d <= (_i == 0 ? 0 : 3), "style %d read '%s' (%s)", _i, digits,
                r.text);
  ck_assert_ptr_nonnull(strstr(r.text, "الرقم"));
  dbuf_free(&b);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* Numbers in each digit style and each font of the forms, read back
 * exactly (as words, compared in ASCII).  The Arabic-script model reads
 * Arabic-Indic ٥ as 0 and ٤ ٦ as Latin shapes or other digits
 * ("٤۸۰0۷۱۱۳۹۲۱" for ٤٨٠٥٧١٣٩٢٦ in Noto Sans Arabic, "11۹۷0۳۹۰0۰7٥" for
 * ٦٦٩٧٥٣٩٠٥٠٦٥ in Noto Naskh Arabic, "47"* " in Amiri); the cases marked
 * "before" failed so until the Sorani model read numbers digits-only
 * (engine.c: read_number_box, prefer_number_reading).  Not here because
 * they still fail: Persian ۴۸۰۵۷۱۳۹۲۶ in Amiri and ۶۶۹۷۵۳۹۰۵۰۶۵ in Noto
 * Naskh Arabic and Amiri, Arabic-Indic ٦٦٩٧٥٣٩٠٥٠٦٥ in Amiri (the band
 * read boxes a few digits or splits the number, and neither model reads
 * it whole); and Persian ۴۸۰۵۷۱۳۹۲۶ in Noto Naskh Arabic, which the
 * Sorani model of iteration 100,000 read right and the one continued on
 * degraded lines (iteration 140,700, kept for its page figures: heavy
 * digit CER 27.8% -> 20.1%, docs/BENCHMARKS.md) reads ۳۸۰۵۷۱۳۹۲۶. */
#define N_AI_1 "\u0664\u0668\u0660\u0665\u0667\u0661\u0663\u0669\u0662\u0666"
#define N_FA_1 "\u06F4\u06F8\u06F0\u06F5\u06F7\u06F1\u06F3\u06F9\u06F2\u06F6"
#define N_AI_2                                                                 \
  "\u0666\u0666\u0669\u0667\u0665\u0663\u0669\u0660\u0665\u0660\u0666\u0665"
#define N_FA_2                                                                 \
  "\u06F6\u06F6\u06F9\u06F7\u06F5\u06F3\u06F9\u06F0\u06F5\u06F0\u06F6\u06F5"
/* Not in the list: Persian 4805713926 in Noto Naskh Arabic, which the
 * number reader of models/daftar_num.training.txt reads ۴۸۰۵۷۱۳۹۲۰ (at
 * confidence 41, so not taken) and the page model in mixed styles; the
 * reader trained on 12-16 pt only read it right (docs/OCR.md, 9c). */
static const struct {
  const char *font, *text, *ascii;
} number_cases[] = {
    {"Noto Naskh Arabic", "4805713926", "4805713926"},
    {"Noto Sans Arabic", "4805713926", "4805713926"},
    {"Amiri", "4805713926", "4805713926"},
    {"DejaVu Sans", "4805713926", "4805713926"},
    {"Noto Naskh Arabic", N_AI_1, "4805713926"}, /* before: ٤۸۰0۷۱۴۹۲٩ */
    {"Noto Sans Arabic", N_AI_1, "4805713926"},  /* before: ٤۸۰0۷۱۱۳۹۲۱ */
    {"Amiri", N_AI_1, "4805713926"},             /* before: 47"* */
    {"DejaVu Sans", N_AI_1, "4805713926"},       /* before: ٤۸۰0۷۱۳۹۲۱ */
    {"Noto Sans Arabic", N_FA_1, "4805713926"},
    {"Amiri", N_FA_1, "4805713926"},             /* ckb reader: ۴۸۳۹۲۶ */
    {"DejaVu Sans", N_FA_1, "4805713926"},
    {"Noto Naskh Arabic", "669753905065", "669753905065"},
    {"Noto Sans Arabic", "669753905065", "669753905065"},
    {"Amiri", "669753905065", "669753905065"},
    {"DejaVu Sans", "669753905065", "669753905065"},
    {"Noto Naskh Arabic", N_AI_2, "669753905065"}, /* before: 11۹۷0۳۹۰0۰7٥ */
    {"Noto Sans Arabic", N_AI_2, "669753905065"},  /* before: 11۹۷0۲۹۰0۰1۰ */
    {"DejaVu Sans", N_AI_2, "669753905065"},       /* before: 11۹۷0۳۹۰0۰710 */
    {"Amiri", N_AI_2, "669753905065"},
    {"Noto Naskh Arabic", N_FA_2, "669753905065"},
    {"Noto Sans Arabic", N_FA_2, "669753905065"},
    {"Amiri", N_FA_2, "669753905065"},
    {"DejaVu Sans", N_FA_2, "669753905065"},
};
#define NUMBER_CASES (int)(sizeof(number_cases) / sizeof(*number_cases))

/* Recognizes page (1-based) of the TIFF f with a fresh engine. */
static void recognize_tif_page(const char *f, int page, ocr_page_result *r) {
  struct ocr_engine *e = engine();
  PIX *p = pixReadTiff(f, page - 1);
  ck_assert_msg(p != NULL, "cannot read %s page %d", f, page);
  ck_assert_int_eq(ocr_engine_recognize(e, p, page, r), DAFTAR_OK);
  pixDestroy(&p);
  ocr_engine_close(e);
}

/* How many of r's words read exactly w. */
static int word_count(const ocr_page_result *r, const char *w) {
  int n = 0;
  for(size_t i = 0; i < r->nwords; i++)
    n += strcmp(r->words[i].text, w) == 0;
  return n;
}

/* Recognizes the page in tif and checks that one of its words is want:
 * after norm() (digits folded to ASCII), or, when exact, only without its
 * bidi marks; what names the case in the failure message. */
static void assert_page_n_has_word(const char *tif, int page,
                                   const char *want, const char *what,
                                   int exact) {
  ocr_page_result r;
  recognize_tif_page(tif, page, &r);
  int found = 0;
  for(size_t i = 0; i < r.nwords; i++) {
    dbuf raw = DBUF_INIT;
    text_strip_bidi(r.words[i].text, strlen(r.words[i].text), &raw);
    char *w = exact ? NULL : norm(r.words[i].text);
    found |= strcmp(exact ? dbuf_cstr(&raw) : w, want) == 0;
    free(w);
    dbuf_free(&raw);
  }
  ck_assert_msg(found, "%s: %s not read as one word:\n%s", what, want,
                r.text);
  ocr_page_result_clear(&r);
}

static void assert_page_has_word(const char *tif, const char *want,
                                 const char *what, int exact) {
  assert_page_n_has_word(tif, 1, want, what, exact);
}

START_TEST(ocr_reads_numbers_in_each_digit_style) {
  char text[128], f[PATH_LEN], name[64];
  ck_assert_int_lt(snprintf(text, sizeof(text), "الرقم %s",
                            number_cases[_i].text),
                   (int)sizeof(text));
  snprintf(name, sizeof(name), "number_%d.tif", _i);
  tmp_path(f, name);
  otl_gen_line(text, number_cases[_i].font, "12", f);
  char what[192];
  snprintf(what, sizeof(what), "%s, %s", number_cases[_i].font,
           number_cases[_i].text);
  assert_page_has_word(f, number_cases[_i].ascii, what, 0);
}
END_TEST

/* An Arabic-Indic date written yyyy-mm-dd comes back in the order and
 * the digit style it was written in.  In a right-to-left line its groups
 * stand right to left, and every model gave them as they stand
 * (٠٢-٠٣-١٩٨٨), often in Persian digits (۰۲-۰۳-۱۹۸۸: the glyphs of
 * ٠ ١ ٢ ٣ ٧ ٨ ٩ are the Persian ones); the ٤ ٥ ٦ of the line's other
 * number tell the page's style. */
static const char *const date_fonts[] = {"Noto Sans Arabic", "DejaVu Sans"};

START_TEST(ocr_keeps_arabic_indic_date_in_order_and_style) {
  const char *date = "\u0661\u0669\u0668\u0668-\u0660\u0663-\u0660\u0662";
  char text[128], f[PATH_LEN], name[64];
  snprintf(text, sizeof(text), "تاريخ %s رقم \u0664\u0665\u0666\u0661\u0662",
           date);
  snprintf(name, sizeof(name), "date_order_%d.tif", _i);
  tmp_path(f, name);
  otl_gen_line(text, date_fonts[_i], "12", f);
  assert_page_has_word(f, date, date_fonts[_i], 1);
}
END_TEST

/* Runs the generator (argv) into dir and checks that the batch is still
 * the one measured: its truth holds text. */
static void gen_batch_holding(char *const argv[], const char *dir,
                              const char *text) {
  char truth[PATH_LEN];
  ck_assert_int_eq(otl_run(argv), 0);
  ck_assert_int_lt(snprintf(truth, sizeof(truth), "%s/truth.jsonl", dir),
                   (int)sizeof(truth));
  char *all = NULL;
  size_t len = 0;
  ck_assert_int_eq(file_read_all(truth, TRUTH_MAX, &all, &len), 0);
  ck_assert_msg(strstr(all, text) != NULL,
                "the generator no longer makes this page");
  free(all);
}

/* Generates bench batch dir (under g_tmp) of `--seed seed --files files
 * --docs 2 --lang mixed --degrade degrade --compression mixed` (and
 * `--letters` with letters), as bench-ocr and bench-extract do, checks it
 * still holds text, and puts the path of its document doc in f. */
static void gen_bench_batch(const char *dir, const char *seed,
                            const char *files, const char *degrade,
                            int letters, const char *text, const char *doc,
                            char f[PATH_LEN]) {
  char d[PATH_LEN];
  ck_assert_int_lt(snprintf(d, sizeof(d), "%s/%s", g_tmp, dir),
                   (int)sizeof(d));
  char *argv[] = {(char *)gen_path(), "batch", "--out", d, "--seed",
                  (char *)seed, "--files", (char *)files, "--docs", "2",
                  "--lang", "mixed", "--degrade", (char *)degrade,
                  "--compression", "mixed", letters ? "--letters" : NULL,
                  NULL};
  char truth[PATH_LEN];
  ck_assert_int_lt(snprintf(truth, sizeof(truth), "%s/truth.jsonl", d),
                   (int)sizeof(truth));
  if(access(truth, F_OK) != 0)
    gen_batch_holding(argv, d, text);
  ck_assert_int_lt(snprintf(f, PATH_LEN, "%s/%s", d, doc), PATH_LEN);
}

static void gen_bench_page(const char *dir, const char *seed,
                           const char *files, const char *degrade,
                           const char *text, const char *doc,
                           char f[PATH_LEN]) {
  gen_bench_batch(dir, seed, files, degrade, 0, text, doc, f);
}

/* A number after a dotted leader comes back whole.  On these clean
 * generated pages (seed 11, ASCII digits) stock Tesseract reads the ID
 * exactly; with the leader whitened the band read split it into pieces
 * and lost digits between them ("2" ")5485" "39330" for 393305485482,
 * "5خ" "3230966" for 323096661725), and re-reading each piece alone could
 * not get them back.  Fixed by reading adjacent number pieces again as one
 * (engine.c: reread_number_run); this test failed before. */
static const struct {
  const char *page, *id;
} leader_ids[] = {
    {"44638/doc-01.tif", "393305485482"}, /* Arabic, 300 dpi */
    {"44635/doc-01.tif", "323096661725"}, /* Sorani, 200 dpi */
};

START_TEST(ocr_reads_number_after_dotted_leader_whole) {
  char dir[PATH_LEN], f[PATH_LEN];
  ck_assert_int_lt(snprintf(dir, sizeof(dir), "%s/leader_ids_%d", g_tmp, _i),
                   (int)sizeof(dir));
  char *argv[] = {(char *)gen_path(), "batch", "--out", dir, "--seed", "11",
                  "--files", "4", "--docs", "1", "--lang", "mixed",
                  "--degrade", "light", "--compression", "mixed", "--digits",
                  "ascii", NULL};
  gen_batch_holding(argv, dir, leader_ids[_i].id);
  ck_assert_int_lt(snprintf(f, sizeof(f), "%s/%s", dir, leader_ids[_i].page),
                   (int)sizeof(f));
  assert_page_has_word(f, leader_ids[_i].id, leader_ids[_i].page, 0);
}
END_TEST

/* 1 when every code point of t is a zero (٠ ۰ 0) or a dot-like mark:
 * what specks of a noisy scan are read as. */
static int speck_text(const char *t) {
  static const char *const marks[] = {"\u0660", "\u06F0", "0", ".", "\u02C6",
                                      "'", "\u060C", ",", "`", ":"};
  if(!*t)
    return 0;
  while(*t) {
    size_t k = 0, n = sizeof(marks) / sizeof(*marks);
    for(; k < n; k++)
      if(strncmp(t, marks[k], strlen(marks[k])) == 0)
        break;
    if(k == n)
      return 0;
    t += strlen(marks[k]);
  }
  return 1;
}

/* Recognizes page (1-based) of document doc of a bench batch (the
 * arguments of gen_bench_page, which generates it once). */
static void read_bench_page(const char *dir, const char *seed,
                            const char *files, const char *degrade,
                            const char *text, const char *doc, int page,
                            ocr_page_result *r) {
  char f[PATH_LEN];
  gen_bench_page(dir, seed, files, degrade, text, doc, f);
  recognize_tif_page(f, page, r);
}

/* Recognizes page (1-based) of FILE/doc-NN.tif in bench-ocr's seed-7
 * heavy batch (generated once into g_tmp/heavy7), checking the batch is
 * still the one measured. */
static void read_heavy7(const char *doc, int page, ocr_page_result *r) {
  read_bench_page("heavy7", "7", "5", "heavy", "اسم العامل: رعد عباس علي", doc,
                  page, r);
}

/* The Arabic model's dictionary settles a dot or hamza misread: on the
 * heavy 200-dpi Noto Naskh form 13784/doc-01 the worker's name فراس came
 * back as فرأس, a word the dictionary lacks; of its spellings with one
 * letter changed within its shape, it holds only فراس (engine.c:
 * fix_letters, lang.c: lang_settle_arabic). */
START_TEST(ocr_settles_misread_name_by_dictionary) {
  ocr_page_result r;
  read_heavy7("13784/doc-01.tif", 1, &r);
  int found = 0;
  for(size_t i = 0; i < r.nwords; i++)
    found |= strcmp(r.words[i].text, "فراس") == 0;
  ck_assert_msg(found && strstr(r.text, "فرأس") == NULL, "%s", r.text);
  ck_assert_ptr_nonnull(strstr(r.raw_text ? r.raw_text : "", "فرأس"));
  ocr_page_result_clear(&r);
}
END_TEST

/* Specks are not words.  The heavy 200-dpi form 13784/doc-01 (pepper
 * noise, G4) came back with 20 words such as "٠" "۰" "." "ˆ" strung
 * along its lines' ends, which its truth never has; with engine.c's
 * drop_speck_words 2 are left ("٠." ":" beside the signature line's
 * dots).  Its fields are still read. */
START_TEST(ocr_drops_specks_read_as_words) {
  ocr_page_result r;
  read_heavy7("13784/doc-01.tif", 1, &r);
  int specks = 0;
  for(size_t i = 0; i < r.nwords; i++)
    specks += speck_text(r.words[i].text);
  ck_assert_msg(specks <= 3, "%d specks read as words:\n%s", specks, r.text);
  ck_assert_ptr_nonnull(strstr(r.text, "3565452355"));
  ck_assert_ptr_nonnull(strstr(r.text, "4258889"));
  ocr_page_result_clear(&r);
}
END_TEST

/* A speck alone on its own line, and a dot glued before a word: on the
 * heavy Amiri form 13783/doc-02 (200 dpi, turned 270°) the top of ئا was
 * read as a line "ص" (confidence 31), and the signature line began
 * ".واژۆ" (engine.c: is_speck_word, strip_leading_dots). */
START_TEST(ocr_drops_lone_specks_and_glued_dots) {
  ocr_page_result r;
  read_heavy7("13783/doc-02.tif", 1, &r);
  for(size_t i = 0; i < r.nwords; i++) {
    ck_assert_msg(strcmp(r.words[i].text, "ص") != 0, "%s", r.text);
    ck_assert_msg(r.words[i].text[0] != '.' || r.words[i].text[1] == '\0' ||
                      (unsigned char)r.words[i].text[1] < 0x80,
                  "%s", r.text);
  }
  ck_assert_msg(strstr(r.text, "واژۆ و مۆری") != NULL, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Pages of the seed-7 heavy batch that read right only with a rule of
 * engine.c: each case names the page, what its text must hold and must
 * not, and (lang, model) when the case is about the model choice.  Each
 * case failed on the code before its rule. */
static const struct {
  const char *name, *doc;
  int page;
  const char *lang, *model; /* NULL: not checked */
  const char *has[2], *lacks;
} heavy7_cases[] = {
    /* order_rtl_lines: on this page, skewed 3.7°, the wage stood higher
     * than its label and came first ("1650000 الراتب الشهري"). */
    {"words of a right-to-left line in reading order", "13782/doc-01.tif",
     2, NULL, NULL, {"الراتب الشهري 1650000", NULL}, NULL},
    /* drop_repeated_numbers: a number read twice over one place, once
     * garbled, is kept once, clean ("26/02/198( 26/02/1980"). */
    {"a number read twice kept once", "13784/doc-01.tif", 1, NULL, NULL,
     {"26/02/1980", NULL}, "26/02/198("},
    /* take_known_words: on this faded DejaVu Sans form the Sorani model
     * lost the dots of ت ن ی ("فۆرمی مۆمارکردمی کرتکار", "زمارەی کارتی
     * سسنماسی") that the Arabic model read. */
    {"known words taken from either model", "13785/doc-01.tif", 1, "ckb",
     NULL, {"فۆرمی تۆمارکردنی کرێکار", "ژمارەی کارتی نیشتمانی"}, NULL},
    /* The same on a noisy 200-dpi Sorani form, which keeps the Arabic
     * model's reading (ocr_model_for_page): the Sorani model still reads
     * it and lends the words the lexicon knows ("ناکاداری" "اوی خاوەنکار"
     * before). */
    {"a noisy Sorani page takes known words", "13781/doc-02.tif", 1, "ckb",
     "Arabic", {"ئاگاداری وازهێنان", "ناوی خاوەنکار"}, NULL},
    /* same_word_misread compares in Sorani spelling: the Arabic model's
     * لە‌دایكبوون (ZWNJ, ك) was too long beside the Sorani model's
     * لەداشووس to count as the same word misread. */
    {"words compared in Sorani spelling", "13785/doc-01.tif", 1, "ckb", NULL,
     {"ڕێکەوتی لەدایکبوون", NULL}, "لەداشووس"},
};
#define HEAVY7_CASES (int)(sizeof(heavy7_cases) / sizeof(*heavy7_cases))

START_TEST(ocr_heavy_page_cases) {
  ocr_page_result r;
  read_heavy7(heavy7_cases[_i].doc, heavy7_cases[_i].page, &r);
  const char *what = heavy7_cases[_i].name;
  if(heavy7_cases[_i].lang)
    ck_assert_msg(strcmp(r.lang, heavy7_cases[_i].lang) == 0, "%s: lang %s",
                  what, r.lang);
  if(heavy7_cases[_i].model)
    ck_assert_msg(strcmp(r.model, heavy7_cases[_i].model) == 0,
                  "%s: model %s", what, r.model);
  for(int k = 0; k < 2 && heavy7_cases[_i].has[k]; k++)
    ck_assert_msg(strstr(r.text, heavy7_cases[_i].has[k]) != NULL,
                  "%s: no \"%s\" in\n%s", what, heavy7_cases[_i].has[k],
                  r.text);
  if(heavy7_cases[_i].lacks)
    ck_assert_msg(strstr(r.text, heavy7_cases[_i].lacks) == NULL,
                  "%s: \"%s\" in\n%s", what, heavy7_cases[_i].lacks, r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Faded digits are read whole: on the same noisy 200-dpi Sorani form the
 * national ID and the start date are pale gray.  The number reader's crop
 * kept only the rows where the ink is darker than mid-gray, the upper half
 * of the digits, and read nothing; the ID was lost and the date came back
 * as ۳/۱۲00۸ (engine.c: ink_threshold, number_line). */
START_TEST(ocr_reads_faded_numbers_whole) {
  static const char *const want[] = {"۳۲۳۰۹۶۶۶۱۷۲۵", "۲۴/۱۲/۱۹۹۸"};
  char f[PATH_LEN];
  gen_bench_page("heavy11", "11", "5", "heavy",
                 "ژمارەی دەستەبەری کۆمەڵایەتی ۴۵۳۸۱۷۵۴۹۵", "44635/doc-02.tif",
                 f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  for(size_t k = 0; k < sizeof(want) / sizeof(*want); k++) {
    int found = 0;
    for(size_t i = 0; i < r.nwords; i++)
      found |= strcmp(r.words[i].text, want[k]) == 0;
    ck_assert_msg(found, "%s not read as one word:\n%s", want[k], r.text);
  }
  ocr_page_result_clear(&r);
}
END_TEST

/* A sparse page is deskewed too: the second page of a 200-dpi Amiri form
 * (bench-ocr's seed-11 light batch, skewed 2.65 deg) holds seven lines,
 * and Leptonica's skew confidence on it (2.49) was under the 2.5 daftar
 * asked for.  Left skewed, its lines merged in the row profile and the
 * page read "دی 00068 مرتی ڕۆان" for ناوی خاوەنکار هۆتێلی ڕۆیاڵ
 * (cleanup.c: PREP_SKEW_MIN_CONF). */
START_TEST(ocr_deskews_sparse_page) {
  ocr_page_result r;
  read_bench_page("light11", "11", "5", "light", "الأجر الشهري: ٤١٠٬٠٠٠",
                  "44635/doc-01.tif", 2, &r);
  ck_assert_msg(fabsf(fabsf(r.skew) - 2.65f) <= 0.3f, "skew %.2f", r.skew);
  ck_assert_msg(strstr(r.text, "ناوی خاوەنکار هۆتێلی ڕۆیاڵ") &&
                    strstr(r.text, "۳۷۵,۰۰۰"),
                "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Numbers on pages of the bench batches (gen_bench_page: dir, seed,
 * files, degrade, a text the batch must hold, the document) that come
 * back as one word on the given page; exact: as written, else digits
 * folded to ASCII. */
static const struct {
  const char *dir, *seed, *files, *degrade, *text, *doc;
  int page;
  const char *want;
  int exact;
} bench_page_words[] = {
    /* A row of Arabic-Indic zeros after a dotted leader is read: ٥٠٠٠٠٠ on a
     * clean Noto Naskh form (bench-extract's seed-11 batch) stood in a part
     * of its line no word covered, but with 3% of ink over the line's whole
     * height it was taken for specks and never read; the part's ink rows are
     * now its height. */
    {"zeros_leader", "11", "6", "none", "الراتب الشهري ٥٠٠٠٠٠",
     "44636/doc-02.tif", 1, "500000", 0},
    /* A noisy 200-dpi Sorani form keeps the Arabic model's reading, in which
     * the SSN came back as "31۵" at confidence 30; the Sorani model's reading
     * of the page held ۴۵۳۸۱۷۵۴۹۵ at 88 over it (bench-ocr's seed-11 heavy
     * batch; engine.c: take_sure_numbers). */
    {"heavy11", "11", "5", "heavy",
     "ژمارەی دەستەبەری کۆمەڵایەتی ۴۵۳۸۱۷۵۴۹۵", "44635/doc-02.tif", 1,
     "4538175495", 0},
    /* A number the band read as marks only is read again: on a clean Noto
     * Naskh table form (bench-extract's seed-23 batch) the wage
     * ۲٬۳۲۵٬۰۰۰ came back as ";.*" at confidence 0, holding no digit, and
     * was never given to the number reader (engine.c: reread_numbers). */
    {"seed23_none", "23", "10", "none", "الراتب الشهري ۲٬۳۲۵٬۰۰۰",
     "06758/doc-02.tif", 1, "۲٬۳۲۵٬۰۰۰", 1},
    /* A grouped number beats a longer reading that took its separator for a
     * digit: on a light 200-dpi Noto Naskh form (bench-ocr's seed-11 light
     * batch) the band read the wage ٤١٠٬٠٠٠ as ٤٠١٠٠٠١ and the number reader
     * read it right both ways, but with one digit fewer it lost (engine.c:
     * beats, group_separators). */
    {"light11", "11", "5", "light", "الأجر الشهري: ٤١٠٬٠٠٠",
     "44636/doc-01.tif", 2, "٤١٠٬٠٠٠", 1},
    /* A number whose pieces the band gave out of order is read whole: on an
     * Amiri leader form (bench-extract's seed-23 heavy batch) the SSN came as
     * ۹ ٨٠٥۷ ٩ ٣٧٥; the last piece lay 61 px from the one before it but over
     * the first, the run stopped there, and the SSN was extracted as
     * 80594499375 (engine.c: number_continues). */
    {"seed23_heavy", "23", "10", "heavy",
     "ژمارەی دەستەبەری ٨٠٥٩٤٤٩٣٧٥", "06759/doc-02.tif", 1, "٨٠٥٩٤٤٩٣٧٥", 1},
    /* A number the band read as letters at low confidence is read again:
     * on a heavy 300-dpi DejaVu Sans table form (bench-ocr's seed-11 heavy
     * batch) the wage ۸۲۰٬۰۰۰ came back as "ێلل" at confidence 34, and
     * extraction found no wage; the number reader reads it the same both
     * ways, as a grouped number (engine.c: reread_numbers). */
    {"heavy11", "11", "5", "heavy", "مووچەی مانگانە ۸۲۰٬۰۰۰",
     "44637/doc-01.tif", 1, "۸۲۰٬۰۰۰", 1},
    /* A zero a little smaller than the others is not dust: on a light
     * DejaVu Sans table form (bench-extract's seed-11 light batch) the last
     * zero of ٨٣٠,٠٠٠ was 8 px, a speck, and 32 px from the zero before it,
     * isolated; its neighbours (9-10 px) were too big to be specks, so no
     * row of specks kept it, and the wage was extracted as 830 (cleanup.c:
     * prep_remove_specks). */
    {"light11_6", "11", "6", "light", "الأجر الشهري ٨٣٠,٠٠٠",
     "44640/doc-01.tif", 1, "٨٣٠,٠٠٠", 1},
    /* Of the number reader's two readings, the well-formed grouped number:
     * on a clean Noto Naskh table form (bench-extract's seed-23 batch) it
     * read the wage ۷۴۰٬۰۰۰ as ۷۴۰٬۰,۰ at 42 as a line and right at 0 as a
     * raw line, took the more confident, and no wage was read (engine.c:
     * read_number_box). */
    {"seed23_none", "23", "10", "none", "الراتب الشهري ۲٬۳۲۵٬۰۰۰",
     "06752/doc-02.tif", 1, "۷۴۰٬۰۰۰", 1},
    /* A number whose box held only part of it is read over the ink beside
     * the box: on a heavy 200-dpi DejaVu Sans leader form (bench-extract's
     * seed-23 heavy batch) the band's box of ١٬٩٢٠٬٠٠٠ held ١,٩٢٠, read
     * "19٢٠", and the wage was extracted as 1920 (engine.c:
     * extend_over_ink). */
    {"seed23_heavy", "23", "10", "heavy", "ژمارەی دەستەبەری ٨٠٥٩٤٤٩٣٧٥",
     "06758/doc-01.tif", 1, "١٬٩٢٠٬٠٠٠", 1},
    /* The reading with a separator beats the one that read the separator
     * as a zero: on a heavy 200-dpi Noto Naskh form (bench-ocr's seed-11
     * heavy batch) the reader read the wage ٤١٠,٠٠٠ as ٤١٠٠٠٠٠ at 91 as a
     * line and right at 89 as a raw line (engine.c: read_number_box,
     * separators_as_digits). */
    {"heavy11", "11", "5", "heavy", "مووچەی مانگانە ۸۲۰٬۰۰۰",
     "44636/doc-01.tif", 2, "٤١٠,٠٠٠", 1},
    /* The reader's two readings agreeing at 92 beat the page model's at 68
     * with one digit more: the Sorani model read the clean Noto Naskh
     * employer number ۸۲۷۵۴۲۰ as ۸۲۷۵۴۳۲۰ (bench-extract's seed-11 batch;
     * engine.c: outweighs). */
    {"zeros_leader", "11", "6", "none", "الراتب الشهري ٥٠٠٠٠٠",
     "44635/doc-02.tif", 1, "۸۲۷۵۴۲۰", 1},
    /* A number read surely by the model kept takes the other model's
     * reading that holds its digits in a row and more: the Sorani model's
     * box of the clean Amiri SSN 2249394411 left out the last 1, read "("
     * beside it, and the Arabic model read it whole (bench-extract's
     * seed-11 batch; engine.c: take_sure_numbers). */
    {"zeros_leader", "11", "6", "none", "الراتب الشهري ٥٠٠٠٠٠",
     "44639/doc-02.tif", 1, "2249394411", 1},
    /* A line part read as marks alone is read by the number reader: the
     * faded table cell ٨٣٠,٠٠٠ of a heavy DejaVu Sans form came back as
     * "," and "°", a reading with no letter or digit that ended the tries
     * (bench-extract's seed-11 heavy batch; engine.c: has_real_word). */
    {"heavy11_6", "11", "6", "heavy", "الأجر الشهري ٨٣٠,٠٠٠",
     "44640/doc-01.tif", 1, "٨٣٠,٠٠٠", 1},
    /* A well-formed date beats a date reading that is not, holding its
     * digits in order: on a heavy 200-dpi DejaVu Sans form (bench-ocr's
     * seed-7 heavy batch) the band read the end date ١٠/٩/١٩٩٢ as "1۰/۹/۲"
     * at 56 and the page model whole at 51 (engine.c: completes_date). */
    {"heavy7", "7", "5", "heavy", "اسم العامل: رعد عباس علي",
     "13782/doc-02.tif", 1, "10/9/1992", 0},
    /* A word of Latin letters read at confidence 0 on an Arabic page is a
     * garbled number: the Arabic model read the table cell ٢٨/٧/٢٠٢٤ of a
     * heavy 300-dpi Noto Sans form (bench-extract's seed-23 heavy batch)
     * as "é", and the start date was not extracted (engine.c:
     * reread_numbers). */
    {"seed23_heavy", "23", "10", "heavy", "ژمارەی دەستەبەری ٨٠٥٩٤٤٩٣٧٥",
     "06754/doc-01.tif", 1, "٢٨/٧/٢٠٢٤", 1},
};

START_TEST(ocr_bench_page_reads_number_whole) {
  char f[PATH_LEN];
  gen_bench_page(bench_page_words[_i].dir, bench_page_words[_i].seed,
                 bench_page_words[_i].files, bench_page_words[_i].degrade,
                 bench_page_words[_i].text, bench_page_words[_i].doc, f);
  assert_page_n_has_word(f, bench_page_words[_i].page,
                         bench_page_words[_i].want, bench_page_words[_i].doc,
                         bench_page_words[_i].exact);
}
END_TEST

/* A clean one-digit reading over the place of a longer, garbled one does
 * not replace it: on a heavy 200-dpi Amiri leader form (bench-ocr's
 * seed-11 heavy batch) the band read the wage ۳۷۵,۰۰۰ as "۳۷۵00" and a
 * leader's dot over its right end as "0"; the "0", a number in one
 * style, was kept and the wage lost (engine.c: drop_repeated_numbers). */
START_TEST(ocr_keeps_longer_number_over_clean_digit) {
  ocr_page_result r;
  read_bench_page("heavy11", "11", "5", "heavy",
                  "ژمارەی دەستەبەری کۆمەڵایەتی ۴۵۳۸۱۷۵۴۹۵", "44635/doc-01.tif",
                  2, &r);
  ck_assert_msg(strstr(r.text, "۳۷۵") != NULL, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A line its band read weakly is read alone: on a light 200-dpi DejaVu
 * Sans letter (bench-ocr's seed-7 light batch with letters) the band
 * read the closing lines as "مخ آلشگز والتقلاير." (confidence 10 to 69)
 * and "دير الموارد الجشرية"; read alone, they come back right.  The
 * second needs a wider cut: the band's words cut off the م of مدير and
 * the line's rows the dot under ب (engine.c: reread_lines_alone). */
START_TEST(ocr_reads_weak_line_alone) {
  char f[PATH_LEN];
  gen_bench_batch("light7_letters", "7", "5", "light", 1,
                  "مطعم الواحة", "13782/doc-03.tif", f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  ck_assert_msg(strstr(r.text, "مع الشكر والتقدير") != NULL &&
                    strstr(r.text, "مدير الموارد البشرية") != NULL,
                "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A line its band read only in part is read alone over all its ink: on
 * a heavy 200-dpi DejaVu Sans form (bench-ocr's seed-7 heavy batch) the
 * band read the signature line توقيع صاحب العمل وختمه as "نوت" and "۰"
 * at 72 and 67, not weak, and the repair read the rest piece by piece:
 * "نوت يع صاحب ۰ ب العمل وختمه" (engine.c: band_missed_most). */
START_TEST(ocr_reads_line_band_read_in_part) {
  ocr_page_result r;
  read_heavy7("13782/doc-02.tif", 1, &r);
  ck_assert_msg(strstr(r.text, "توقيع صاحب العمل وختمه") != NULL, "%s",
                r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A band reading shaped as a date but no date does not keep the number
 * reader's agreeing reading out: on a heavy 300-dpi Noto Naskh form
 * (seed 41, the first paper file of a batch with letters) the band read
 * the SSN ٧٦٠١٩٢٥٠٦٤ as "1-10-14", the page model as "1-014", and the
 * reader right both ways at 89 and 81 (engine.c: prefer_number_reading). */
START_TEST(ocr_reads_number_over_band_reading_shaped_as_date) {
  char f[PATH_LEN];
  gen_bench_batch("heavy41_letters_1", "41", "1", "heavy", 1,
                  "رقم الضمان ٧٦٠١٩٢٥٠٦٤", "42795/doc-01.tif", f);
  assert_page_n_has_word(f, 1, "٧٦٠١٩٢٥٠٦٤", "42795/doc-01", 1);
}
END_TEST

/* A line the band cut into rows of a word or two is read alone, also
 * when a piece of the line below stands among its words: on heavy Sorani
 * letters (seed 31, Sorani only, 300-dpi Noto Sans and 200-dpi Noto Sans)
 * the band read "هەروەها ناوبراو پابەندە بە کاتی فەرمی ..." as 21 rows
 * ("هه" "روه" "ها نا" "وبرا" ...), the "3" of لەگەڵ ڕێزدا between them,
 * and the line was never read alone (engine.c: reread_lines_alone). */
static const char *const rows_letters[] = {"48173/doc-03.tif",
                                           "48168/doc-03.tif"};

/* The path of page (e.g. "48173/doc-03.tif") of the heavy Sorani batch of
 * seed 31 (9 paper files, each with a letter), generated on first use. */
static void sorani31_page(const char *page, char f[PATH_LEN]) {
  char d[PATH_LEN], truth[PATH_LEN];
  ck_assert_int_lt(snprintf(d, sizeof(d), "%s/sorani31", g_tmp),
                   (int)sizeof(d));
  ck_assert_int_lt(snprintf(truth, sizeof(truth), "%s/truth.jsonl", d),
                   (int)sizeof(truth));
  char *argv[] = {(char *)gen_path(), "batch", "--out", d, "--seed", "31",
                  "--files", "9", "--docs", "2", "--lang", "ckb",
                  "--degrade", "heavy", "--compression", "mixed",
                  "--letters", NULL};
  if(access(truth, F_OK) != 0)
    gen_batch_holding(argv, d, "هەروەها ناوبراو پابەندە بە کاتی فەرمی و هیچ");
  ck_assert_int_lt(snprintf(f, PATH_LEN, "%s/%s", d, page), PATH_LEN);
}

START_TEST(ocr_reads_line_cut_into_rows_alone) {
  const char *line = "هەروەها ناوبراو پابەندە بە کاتی فەرمی و هیچ";
  char f[PATH_LEN];
  sorani31_page(rows_letters[_i], f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  int lines = 0;
  for(const char *c = r.text; *c; c++)
    lines += *c == '\n';
  ck_assert_msg(strstr(r.text, line) != NULL && lines <= 12, "%d lines:\n%s",
                lines, r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A Sorani page keeps the Arabic model's reading when the Sorani model,
 * though more confident (85 against 71), lost the dots the Arabic model
 * saw: on a heavy 300-dpi DejaVu Sans letter of the seed-31 batch it read
 * ئێمە, پێدرا بۆ, تۆمار as ننمە, ندرا نۆ, نۆمار, keeping 127 of 156 dots
 * (engine.c: lost_dots). */
/* Where the number reader's two readings each err once, the band's
 * reading between them stays: the heavy 200-dpi DejaVu Sans SSN
 * ٧٨٣٠٨٧٨٠٣٥ read ٢٨٣٠٨٧٨٠٣٥ as a line and ٠٧٨٣٠٨٧٨٠٣٥ as a raw line (the
 * more confident, 92), the band ۷۸۳۰۸۷۸۰۳۵ (engine.c: reading_between;
 * bench-extract seed 5 heavy, its first paper file). */
START_TEST(ocr_keeps_band_number_between_reader_readings) {
  char f[PATH_LEN];
  gen_bench_page("heavy5_1", "5", "1", "heavy", "٧٨٣٠٨٧٨٠٣٥",
                 "41795/doc-02.tif", f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  ck_assert_msg(strstr(r.text, "الاجتماعي: ٧٨٣٠٨٧٨٠٣٥") != NULL, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A zero the raw-line reading puts before a number stays out when the
 * crop holds no zero's dot there, only a speck of noise above the first
 * digit: the heavy 200-dpi Amiri employer number ۴۷۵۱۱۳۹ was read ۴۷۵۱۱۳۹
 * as a line (76) and ۰۴۷۵۱۱۳۹ as a raw line (85) (engine.c: zero_inked;
 * bench-extract seed 5 heavy, its fourth paper file). */
START_TEST(ocr_drops_zero_the_crop_has_no_ink_for) {
  char f[PATH_LEN];
  gen_bench_page("heavy5_4", "5", "4", "heavy", "۴۷۵۱۱۳۹", "41810/doc-01.tif",
                 f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  ck_assert_msg(strstr(r.text, "۴۷۵۱۱۳۹") != NULL &&
                    strstr(r.text, "۰۴۷۵۱۱۳۹") == NULL,
                "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

START_TEST(ocr_keeps_reading_that_saw_the_dots) {
  char f[PATH_LEN];
  sorani31_page("48153/doc-03.tif", f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  ck_assert_str_eq(r.lang, "ckb");
  ck_assert_str_eq(r.model, "Arabic");
  ck_assert_msg(strstr(r.text, "لە لای ئێمە") != NULL &&
                    strstr(r.text, "پێدرا بۆ") != NULL &&
                    strstr(r.text, "ننمە") == NULL,
                "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Pages of the bench batches that once read wrong, each with a phrase
 * it must now read and, where the old reading had one, a phrase it must
 * not.  Words in reading order, letters and words alike: on heavy 200-dpi
 * Noto Naskh forms of bench-extract's seed-11 batch the model began a
 * low-confidence word with a space and gave it left to right, and the
 * first letter of "العمل" got a box reaching back over the two words
 * before it, so the line was put in order as "تاريخ العمل ترك" (engine.c:
 * word_symbols, reverse_ltr_word).  A table rule's piece read as a lone
 * alef, wider than tall, is no word: the worker's name was extracted with
 * it (engine.c: is_rule_read_as_alef).  An upright page stays upright when
 * the half-turn test reads nothing either way: Tesseract's single-block
 * mode read nothing in the upright band of a light 200-dpi Amiri page (a
 * bold title under a line of body text), and the band's turned garbage
 * (confidence 16) turned the page upside down, every field lost (orient.c:
 * ORIENT_TURNED_MIN). */
static const struct {
  const char *dir, *seed, *files, *degrade, *truth, *doc, *want, *not_want;
} fixed_pages[] = {
    {"heavy11_22", "11", "22", "heavy", "صالح كريم كريم", "44650/doc-01.tif",
     "رقم الضمان الاجتماعي", "يعامتجالا"},
    {"heavy11_22", "11", "22", "heavy", "صالح كريم كريم", "44656/doc-02.tif",
     "تاريخ ترك العمل", "العمل ترك"},
    {"heavy11_22", "11", "22", "heavy", "صالح كريم كريم", "44650/doc-02.tif",
     "صالح كريم كريم\n", "كريم ا\n"},
    {"light13_10", "13", "10", "light", "رعد أحمد عمر", "22391/doc-02.tif",
     "الضمان الاجتماعي: ٣٤٠٧٠٦٩٩٣٣", NULL},
};

START_TEST(ocr_reads_pages_once_read_wrong) {
  ocr_page_result r;
  read_bench_page(fixed_pages[_i].dir, fixed_pages[_i].seed,
                  fixed_pages[_i].files, fixed_pages[_i].degrade,
                  fixed_pages[_i].truth, fixed_pages[_i].doc, 1, &r);
  ck_assert_msg(strstr(r.text, fixed_pages[_i].want) != NULL &&
                    (!fixed_pages[_i].not_want ||
                     strstr(r.text, fixed_pages[_i].not_want) == NULL),
                "%s:\n%s", fixed_pages[_i].doc, r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Two words of a Sorani line that the lexicon knows as one, and neither
 * alone, are one word: on a heavy 200-dpi Amiri table form (bench-ocr's
 * seed-7 heavy batch) the title came back as "ئا گاداری وازهێنان لە کار",
 * a space after the alef, which does not join (engine.c:
 * join_split_words). */
START_TEST(ocr_joins_sorani_word_split_by_model) {
  ocr_page_result r;
  read_heavy7("13783/doc-02.tif", 1, &r);
  ck_assert_msg(strstr(r.text, "ئاگاداری وازهێنان") != NULL, "%s", r.text);
  ck_assert_msg(word_count(&r, "ئاگاداری") == 1, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* A dotted leader the cleanup left is not read as a word: on the same
 * page as the out-of-order SSN above (06759/doc-02, seed 23 heavy)
 * ".................،" stood after ناوی کرێکار (engine.c:
 * is_leader_word). */
START_TEST(ocr_drops_leader_read_as_word) {
  ocr_page_result r;
  read_bench_page("seed23_heavy", "23", "10", "heavy",
                  "ژمارەی دەستەبەری ٨٠٥٩٤٤٩٣٧٥", "06759/doc-02.tif", 1, &r);
  for(size_t i = 0; i < r.nwords; i++)
    ck_assert_msg(strstr(r.words[i].text, "....") == NULL,
                  "leader word %s in\n%s", r.words[i].text, r.text);
  ck_assert_msg(strstr(r.text, "ناوی کرێکار هێمن") != NULL, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* The first page of tif reads the number whole once, and its part never
 * as a word of its own. */
static void assert_whole_number_only(const char *tif, const char *whole,
                                     const char *part) {
  ocr_page_result r;
  recognize_tif_page(tif, 1, &r);
  ck_assert_msg(word_count(&r, whole) == 1 && word_count(&r, part) == 0,
                "%s", r.text);
  ocr_page_result_clear(&r);
}

/* Part of a number read over the whole is dropped: on a light Noto Naskh
 * table form (bench-extract's seed-23 batch) the SSN ۸۸۶۴۰۴۴۶۴۶ came
 * with ۰۴۴۶۴۶ read again over its left part, and once the line was put in
 * reading order the SSN was extracted as 8864044646044646 (engine.c:
 * drop_number_parts). */
START_TEST(ocr_keeps_whole_number_over_its_part) {
  char f[PATH_LEN];
  gen_bench_page("seed23_light", "23", "10", "light", "رقم الضمان ۸۸۶۴۰۴۴۶۴۶",
                 "06758/doc-02.tif", f);
  assert_whole_number_only(f, "۸۸۶۴۰۴۴۶۴۶", "۰۴۴۶۴۶");
}
END_TEST

/* Part of a number is dropped wherever it stands in the word order: on
 * a noisy 200-dpi Arabic form (bench-ocr's seed-11 heavy batch) the junk
 * "(1٤" over the right end of the national ID, once faded digits were
 * read (ocr_reads_faded_numbers_whole), came back as ٩٦٤٤ with a ":"
 * between it and the ID, and the ID was extracted as 3205869696449644
 * (engine.c: drop_number_parts). */
START_TEST(ocr_drops_number_part_apart_from_whole) {
  char f[PATH_LEN];
  gen_bench_page("heavy11", "11", "5", "heavy",
                 "ژمارەی دەستەبەری کۆمەڵایەتی ۴۵۳۸۱۷۵۴۹۵", "44636/doc-01.tif",
                 f);
  assert_whole_number_only(f, "٣٢٠٥٨٦٩٦٩٦٤٤", "٩٦٤٤");
}
END_TEST

/* A date taken whole from the other model's reading takes the place of
 * every piece of it: on a heavy 200-dpi Amiri form (bench-ocr's seed-7
 * heavy batch with letters) the kept reading held ٢٨/١١/٢ and 4 beside
 * it, each of which took the other model's 28/11/2014 (engine.c:
 * drop_pieces_under). */
START_TEST(ocr_takes_other_models_number_once) {
  char f[PATH_LEN];
  gen_bench_batch("heavy7_letters", "7", "5", "heavy", 1, "مطعم الواحة",
                  "13783/doc-02.tif", f);
  assert_whole_number_only(f, "28/11/2014", "4");
}
END_TEST

/* The comma or full stop after a number in a right-to-left sentence
 * stands at the number's left and is not one of its digits: the number
 * reader read it as a leading zero on heavy letters (engine.c:
 * clear_end_mark).  Each page reads the number once, and never with the
 * zero. */
static const struct {
  const char *dir, *seed, *text, *doc, *want, *zeroed;
} numbers_before_comma[] = {
    /* Noto Sans Arabic, Arabic-Indic digits, ٩٩٣٣٤٨٠٢٢٤، */
    {"heavy11_letters", "11", "شركة الرافدين للمقاولات", "44636/doc-03.tif",
     "٩٩٣٣٤٨٠٢٢٤", "٠٩٩٣٣٤٨٠٢٢٤"},
    /* DejaVu Sans, Arabic-Indic digits, ٣٠٠١٣٤٢٨٩٧، at a line's start */
    {"heavy7_letters", "7", "مطعم الواحة", "13782/doc-03.tif", "٣٠٠١٣٤٢٨٩٧",
     "٠٣٠٠١٣٤٢٨٩٧"},
};

START_TEST(ocr_reads_comma_after_number_as_no_digit) {
  char f[PATH_LEN];
  gen_bench_batch(numbers_before_comma[_i].dir, numbers_before_comma[_i].seed,
                  "5", "heavy", 1, numbers_before_comma[_i].text,
                  numbers_before_comma[_i].doc, f);
  assert_whole_number_only(f, numbers_before_comma[_i].want,
                           numbers_before_comma[_i].zeroed);
}
END_TEST

/* A number that begins with a zero keeps it: an Arabic-Indic zero is as
 * small as the comma after the number but stands at mid-height, not on
 * the baseline. */
START_TEST(ocr_keeps_leading_zero_before_comma) {
  char f[PATH_LEN];
  tmp_path(f, "leading_zero.tif");
  gen_line("اتصلوا بالرقم ٠٧٥٠٤٨٢٦٣١٩، شكرا", f);
  ocr_page_result r;
  recognize_tif_page(f, 1, &r);
  ck_assert_msg(word_count(&r, "٠٧٥٠٤٨٢٦٣١٩") == 1, "%s", r.text);
  ocr_page_result_clear(&r);
}
END_TEST

/* Tesseract itself wraps the numbers in direction marks; daftar's text,
 * words, ALTO and hOCR have none. */
START_TEST(ocr_strips_bidi_marks) {
  char f[PATH_LEN];
  tmp_path(f, "bidi.tif");
  /* Measured: Tesseract marks Arabic-Indic numbers, not ASCII ones. */
  gen_line(digit_lines[1], f);
  PIX *p = read_page(f);

  TessBaseAPI *api = TessBaseAPICreate();
  TessBaseAPISetVariable(api, "debug_file", "/dev/null");
  ck_assert_int_eq(TessBaseAPIInit3(api, NULL, "Arabic"), 0);
  TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
  TessBaseAPISetImage2(api, p);
  TessBaseAPISetSourceResolution(api, 300);
  char *raw = TessBaseAPIGetUTF8Text(api);
  ck_assert_msg(has_bidi_mark(raw), "stock Tesseract gave no marks: the "
                                    "test would prove nothing");
  TessDeleteText(raw);
  TessBaseAPIEnd(api);
  TessBaseAPIDelete(api);

  struct ocr_engine *e = engine();
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  ck_assert_ptr_nonnull(strstr(r.text, "الرقم"));
  ck_assert(!has_bidi_mark(r.text));
  ck_assert(!has_bidi_mark(r.alto));
  ck_assert(!has_bidi_mark(r.hocr));
  for(size_t i = 0; i < r.nwords; i++)
    ck_assert(!has_bidi_mark(r.words[i].text));
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* Dotted leaders are removed without eating the dots of letters: the line
 * reads clean, and the cleanup whitened the leader's dots (before
 * is_leader_word the line read without the step came out with the leader
 * as text). */
START_TEST(ocr_removes_dotted_leaders_keeps_letter_dots) {
  char f[PATH_LEN];
  tmp_path(f, "leader.tif");
  gen_line("اسم الشخص .............. ثابت", f);
  struct ocr_engine *e = engine();
  PIX *p = read_page(f);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  ck_assert_msg(strstr(r.text, "...") == NULL, "leader read: %s", r.text);
  double c = cer(r.text, "اسم الشخص ثابت");
  ck_assert_msg(c <= 0.10, "CER %.3f: %s", c, r.text);
  ocr_page_result_clear(&r);
  /* The cleanup, not only the leader-word filter after recognition
   * (engine.c: is_leader_word), took the dots away. */
  ocr_prep prep;
  ck_assert_int_eq(prep_page(e, p, OCR_PREP_ALL, &prep), DAFTAR_OK);
  ck_assert_msg(prep.leader_dots >= 10, "cleanup whitened %d leader dots",
                prep.leader_dots);
  prep_clear(&prep);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* Rows of Arabic-Indic zeros are not dotted leaders: a ٠ is a dot at
 * mid-height between digits, a leader's dots sit on the baseline.  Before
 * the baseline check the wage line below came back as ": ‹ «دينار" (every
 * zero whitened) and the number lost all its zeros. */
static const char *zero_lines[] = {
    "الأجر الشهري: ١٬٠٠٠٬٠٠٠ دينار",
    "رقم الضمان ٣٢٠٠٠٠٠٦٩٦٤٤",
};

static int count_zeros(const char *s) {
  dbuf b = DBUF_INIT;
  text_ascii_digits(s, strlen(s), &b);
  int n = 0;
  for(const char *q = dbuf_cstr(&b); *q; q++)
    n += *q == '0';
  dbuf_free(&b);
  return n;
}

START_TEST(ocr_keeps_rows_of_arabic_indic_zeros) {
  char f[PATH_LEN];
  tmp_path(f, "zeros.tif");
  gen_line(zero_lines[_i], f);
  struct ocr_engine *e = engine();
  PIX *p = read_page(f);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  int want = count_zeros(zero_lines[_i]);
  int got = count_zeros(r.text);
  ck_assert_msg(got >= want - 1, "%d of %d zeros read: %s", got, want, r.text);
  ck_assert_msg(strstr(r.text, _i == 0 ? "دينار" : "الضمان"), "%s", r.text);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* Tesseract's layout analysis drops some lines whole: this 16 pt Amiri
 * line (a form title) reads as nothing with psm 6 and 7, perfectly as a
 * raw line.  The repair step reads parts of lines no word covers on their
 * own. */
START_TEST(ocr_reads_line_the_layout_analysis_drops) {
  char f[PATH_LEN];
  tmp_path(f, "title.tif");
  const char *truth = "وزارة العمل والشؤون الاجتماعية - دائرة الضمان الاجتماعي";
  otl_gen_line(truth, "Amiri", "16", f);
  struct ocr_engine *e = engine();
  PIX *p = read_page(f);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize_flags(
                       e, p, 1, OCR_PREP_ALL & ~OCR_PREP_REPAIR, &r),
                   DAFTAR_OK);
  double c = cer(r.text, truth);
  ck_assert_msg(c > 0.5, "read without the repair (CER %.3f): the test "
                         "proves nothing",
                c);
  ocr_page_result_clear(&r);
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  c = cer(r.text, truth);
  ck_assert_msg(c <= 0.05, "CER %.3f: %s", c, r.text);
  ck_assert_uint_ge(r.nwords, 8);
  for(size_t i = 1; i < r.nwords; i++)
    ck_assert_int_eq(r.words[i].line, r.words[0].line);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

/* The short last line of a paragraph (a letter of daftar-gen, Amiri 14 pt,
 * 300 dpi) is a band of its own on the page: the lines of an Amiri
 * paragraph stand more than the bands' 90 px apart.  Read with psm 6 in
 * that page-wide band, Tesseract cut it into some 20 lines of one or two
 * letters (the line rendered alone, not on a page-wide strip, reads
 * whole).  A line a band read as several lines is read alone. */
START_TEST(ocr_reads_short_last_line_of_paragraph_whole) {
  char f[PATH_LEN];
  tmp_path(f, "short-line.tif");
  const char *truth = "بەهۆی گۆڕینی ناونیشانی نیشتەجێبوونی، و بەڵگەنامە "
                      "هاوپێچەکان بخەنە دۆسیەکەیەوە.";
  otl_gen_line(truth, "Amiri", "14", f);
  PIX *line = read_page(f);
  PIX *gray = pixConvertTo8(line, 0);
  /* An A4 page's width at 300 dpi, the line ending at its right margin. */
  PIX *p = pixCreate(2480, 600, 8);
  ck_assert_ptr_nonnull(gray);
  ck_assert_ptr_nonnull(p);
  pixSetAll(p);
  pixSetResolution(p, 300, 300);
  l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
  ck_assert_int_lt(w, 2250);
  pixRasterop(p, 2250 - w, 250, w, h, PIX_SRC, gray, 0, 0);
  struct ocr_engine *e = engine();
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  double c = cer(r.text, truth);
  ck_assert_msg(c <= 0.15, "CER %.3f: %s", c, r.text);
  ck_assert_uint_ge(r.nwords, 8);
  for(size_t i = 1; i < r.nwords; i++)
    ck_assert_msg(r.words[i].line == r.words[0].line,
                  "word %zu on another line: %s", i, r.text);
  ocr_page_result_clear(&r);
  ocr_engine_close(e);
  pixDestroy(&p);
  pixDestroy(&gray);
  pixDestroy(&line);
}
END_TEST

/* ---- language ---------------------------------------------------------- */

START_TEST(ocr_detects_sorani_page) {
  struct ocr_engine *e = engine();
  PIX *p = read_page(g_ckb_page);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  ck_assert_str_eq(r.lang, "ckb");
  /* the Sorani models when installed (scripts/setup.sh), else Arabic */
  ck_assert_str_eq(r.model, ocr_model_for_lang("ckb", NULL, "Arabic"));
  /* Sorani spelling: no Arabic kaf/yeh left, ە restored. */
  ck_assert_ptr_null(strstr(r.text, "ك"));
  ck_assert_ptr_null(strstr(r.text, "ي"));
  ck_assert_ptr_nonnull(strstr(r.text, "ە"));
  /* The reading before the correction is kept beside it; the Arabic model
   * needs the correction, the Sorani model may already spell right. */
  ck_assert_ptr_nonnull(r.raw_text);
  if(!strcmp(r.model, "Arabic"))
    ck_assert_str_ne(r.raw_text, r.text);
  double c = cer(r.text, g_ckb_text);
  ck_assert_msg(c <= 0.25, "CER %.3f", c);
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  p = read_page(g_ar_page);
  ck_assert_int_eq(ocr_engine_recognize(e, p, 1, &r), DAFTAR_OK);
  ck_assert_str_eq(r.lang, "ar");
  ocr_page_result_clear(&r);
  pixDestroy(&p);
  ocr_engine_close(e);
}
END_TEST

START_TEST(ocr_lang_detect_by_letters) {
  ck_assert_str_eq(ocr_lang_detect("ناوی تەواوی کرێکار"), "ckb");
  ck_assert_str_eq(ocr_lang_detect("مووچەی مانگانە ڕێکەوت"), "ckb");
  ck_assert_str_eq(ocr_lang_detect("اسم العامل الكامل"), "ar");
  ck_assert_str_eq(ocr_lang_detect(""), "ar");
  ck_assert_str_eq(ocr_lang_detect(NULL), "ar");
  /* one stray Sorani letter in a long Arabic text does not flip it */
  ck_assert_str_eq(ocr_lang_detect("رقم الضمان الاجتماعي للعامل ە في "
                                   "المحافظة الشمالية والجنوبية"),
                   "ar");
}
END_TEST

START_TEST(ocr_model_choice_takes_a_sorani_model_when_installed) {
  char dir[PATH_LEN], f[PATH_LEN];
  tmp_path(dir, "tessdata");
  ck_assert_int_eq(file_mkdirs(dir), 0);
  ck_assert_str_eq(ocr_model_for_lang("ckb", dir, "Arabic"), "Arabic");
  snprintf(f, sizeof(f), "%.2000s/ckb.traineddata", dir);
  ck_assert_int_eq(file_write_atomic(f, "x", 1), 0);
  ck_assert_str_eq(ocr_model_for_lang("ckb", dir, "Arabic"), "ckb+Arabic");
  ck_assert_str_eq(ocr_model_for_lang("ar", dir, "Arabic"), "Arabic");
  ck_assert_str_eq(ocr_model_for_lang("ckb", dir, NULL), OCR_SORANI_MODELS);
  ck_assert_str_eq(ocr_model_for_lang(NULL, dir, NULL), OCR_DEFAULT_LANG);
}
END_TEST

START_TEST(ocr_fixes_letters_per_language) {
  char *s = ocr_lang_fix_letters("ckb", "كريم سروه ته\xE2\x80\x8Cواو ړزگار");
  ck_assert_str_eq(s, "کریم سروە تەواو ڕزگار");
  free(s);
  /* Sorani spelling rules: initial ڕ, no harakat, no ZWNJ after a letter
   * that does not join; ئ is not added (measured worse). */
  s = ocr_lang_fix_letters("ckb", "اراس رزگار هێّمن ژمارە\xE2\x80\x8Cی کارا");
  ck_assert_str_eq(s, "اراس ڕزگار هێمن ژمارەی کارا");
  free(s);
  /* h: ھ is written ه; a medial ه before a consonant is ە, before a vowel
   * letter it stays h. */
  s = ocr_lang_fix_letters("ckb", "ژمارهی ڕێکهوتی سەرھەنگ وازهێنان دهۆک");
  ck_assert_str_eq(s, "ژمارەی ڕێکەوتی سەرهەنگ وازهێنان دهۆک");
  free(s);
  /* Letters no Sorani (or Arabic) text has, read for Sorani ones. */
  s = ocr_lang_fix_letters("ckb", "کرټکار پټشەوا هاوېچ هەۋاڵ");
  ck_assert_str_eq(s, "کرێکار پێشەوا هاوێچ هەڤاڵ");
  free(s);
  s = ocr_lang_fix_letters("ar", "کریم ولید");
  ck_assert_str_eq(s, "كريم وليد");
  free(s);
  s = ocr_lang_fix_letters("ar", "");
  ck_assert_str_eq(s, "");
  free(s);
}
END_TEST

/* The Arabic model reads Amiri's comma ، as » glued to the word before it
 * (سكنه» on heavy letters): on a page without « that » is a comma; where
 * the page quotes with «», and where » begins a word, it stays. */
START_TEST(ocr_reads_guillemet_after_word_as_comma) {
  char s[] = "عنوان سكنه» والحاق 3565452355» وذلك » هنا";
  char q[] = "قال «نعم» وذهب";
  char w[] = "سكنه»";
  lang_comma_for_guillemet(s, s);
  ck_assert_str_eq(s, "عنوان سكنه، والحاق 3565452355، وذلك » هنا");
  lang_comma_for_guillemet(q, q);
  ck_assert_str_eq(q, "قال «نعم» وذهب");
  lang_comma_for_guillemet("قال «نعم» وذهب سكنه»", w); /* the page decides */
  ck_assert_str_eq(w, "سكنه»");
  lang_comma_for_guillemet(NULL, w);
  ck_assert_str_eq(w, "سكنه»");
}
END_TEST

/* A stand-in for the Arabic model's dictionary (engine.c asks Tesseract's
 * TessBaseAPIIsValidWord): the words it holds. */
static int fake_dictionary(const char *word, void *words) {
  for(const char *const *w = words; *w; w++)
    if(strcmp(*w, word) == 0)
      return 1;
  return 0;
}

/* A word the dictionary lacks takes its one spelling the dictionary holds
 * with one letter of the same shape, other dots or hamza (صأحب, فرأس,
 * للمواذ, والحاق on the heavy bench pages); words it holds, words with two
 * such spellings, words under four letters, letters outside Arabic's
 * (Sorani's), and the hamza of a word's first letter after the article
 * (للألبسة, which the dictionary knows only plain) stay. */
START_TEST(ocr_settles_arabic_word_by_its_dots) {
  const char *dict[] = {"صاحب", "العمل", "فراس", "للمواد", "وإلحاق",
                        "للالبسة", "الام", "طنا", "النور", "البور",
                        "ڕێکەوت", NULL};
  static const struct {
    const char *in, *want;
  } cases[] = {
      {"اسم صأحب العمل: فرأس", "اسم صاحب العمل: فراس"},
      {"شركة البصرة للمواذ ٨٥١١٦٩٨", "شركة البصرة للمواد ٨٥١١٦٩٨"},
      {"والحاق،", "وإلحاق،"},
      {"للألبسة الأم", "للألبسة الأم"}, /* the article's hamza stays */
      {"طيا", "طيا"},                   /* three letters */
      {"التور", "التور"},               /* النور and البور: two */
      {"زێکەوت", "زێکەوت"},             /* ێ: not Arabic's letters */
      {"صاحب 12/3 ..", "صاحب 12/3 .."},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *s = strdup(cases[i].in);
    ck_assert_ptr_nonnull(s);
    lang_settle_arabic(s, fake_dictionary, (void *)dict);
    ck_assert_str_eq(s, cases[i].want);
    free(s);
  }
}
END_TEST

/* Tanween marks a word's last letter (or the one before a final alef or
 * alef maksura); inside a word it is the model's misreading: المنشأًة for
 * المنشأة on a light Amiri form (seed 7), a word search then misses. */
START_TEST(ocr_drops_tanween_inside_arabic_word) {
  char *s = ocr_lang_fix_letters("ar", "رقم تسجيل المنشأًة");
  ck_assert_str_eq(s, "رقم تسجيل المنشأة");
  free(s);
  s = ocr_lang_fix_letters("ar", "شكرًا هدًى كتابٌ مدرسةٍ، ماءً");
  ck_assert_str_eq(s, "شكرًا هدًى كتابٌ مدرسةٍ، ماءً");
  free(s);
}
END_TEST

START_TEST(ocr_engine_open_refuses_missing_model) {
  ocr_options o;
  ocr_options_default(&o);
  o.lang = "no_such_model";
  struct ocr_engine *e = (struct ocr_engine *)1;
  ck_assert_int_eq(ocr_engine_open(&o, &e), DAFTAR_EOCR);
  ck_assert_ptr_null(e);
  char longname[64];
  memset(longname, 'a', sizeof(longname) - 1);
  longname[sizeof(longname) - 1] = '\0';
  o.lang = longname;
  ck_assert_int_eq(ocr_engine_open(&o, &e), DAFTAR_EINVAL);
  ck_assert_ptr_null(e);
  ocr_engine_close(NULL);
  ocr_page_result_clear(NULL);
  /* No page: refused, the result left empty. */
  ocr_options_default(&o);
  ck_assert_int_eq(ocr_engine_open(&o, &e), DAFTAR_OK);
  ocr_page_result r;
  ck_assert_int_eq(ocr_engine_recognize(e, NULL, 1, &r), DAFTAR_EINVAL);
  ck_assert_ptr_null(r.text);
  ck_assert_uint_eq(r.nwords, 0);
  ocr_engine_close(e);
}
END_TEST

/* ---- ocr_run over an archive ------------------------------------------ */

/* A generated batch of `files` one-document files ingested into ARCH. */
static void make_archive(const char *name, const char *seed,
                         const char *files, char *arch) {
  char batch[PATH_LEN];
  snprintf(batch, sizeof(batch), "%s/%.100s-batch", g_tmp, name);
  snprintf(arch, PATH_LEN, "%s/%.100s-archive", g_tmp, name);
  ck_assert_int_eq(gen_batch(batch, "mixed", seed, files, "light"), 0);
  struct index_db *db = NULL;
  ck_assert_int_eq(index_open(arch, &db), DAFTAR_OK);
  ingest_options io;
  ingest_options_default(&io);
  ingest_summary is;
  ck_assert_int_eq(ingest_run(db, batch, &io, &is), DAFTAR_OK);
  ck_assert_int_gt(is.pages, 0);
  index_close(db);
}

static index_stats stats_of(const char *arch) {
  struct index_db *db = NULL;
  index_stats st;
  memset(&st, 0, sizeof(st));
  ck_assert_int_eq(index_open(arch, &db), DAFTAR_OK);
  ck_assert_int_eq(index_stats_get(db, &st), DAFTAR_OK);
  index_close(db);
  return st;
}

/* sha256 of every stored master, concatenated in list order. */
static char *masters_digest(const char *arch) {
  struct index_db *db = NULL;
  char **shas = NULL;
  size_t n = 0;
  dbuf all = DBUF_INIT;
  ck_assert_int_eq(index_open(arch, &db), DAFTAR_OK);
  ck_assert_int_eq(index_master_list(db, 0, &shas, &n), DAFTAR_OK);
  ck_assert_uint_gt(n, 0);
  for(size_t i = 0; i < n; i++) {
    char *path = ingest_object_path(arch, shas[i]);
    char hex[SHA256_HEX_LEN + 1];
    ck_assert_int_eq(sha256_file_hex(path, hex), 0);
    ck_assert_str_eq(hex, shas[i]);
    dbuf_puts(&all, hex);
    free(path);
  }
  index_strings_free(shas, n);
  index_close(db);
  dbuf_cstr(&all);
  return dbuf_take(&all);
}

START_TEST(ocr_run_recognizes_archive_and_leaves_masters) {
  char arch[PATH_LEN];
  make_archive("run", "11", "2", arch);
  char *before = masters_digest(arch);
  ocr_options o;
  ocr_options_default(&o);
  o.jobs = 2;
  ocr_summary s;
  ck_assert_int_eq(ocr_run(arch, &o, &s), DAFTAR_OK);
  index_stats st = stats_of(arch);
  ck_assert_int_eq(s.pages, st.pages);
  ck_assert_int_eq(s.recognized, st.pages);
  ck_assert_int_eq(s.failed, 0);
  ck_assert_int_eq(st.pages_recognized, st.pages);
  char *after = masters_digest(arch);
  ck_assert_str_eq(before, after);
  /* Nothing left to do: a second run lists no page. */
  ck_assert_int_eq(ocr_run(arch, &o, &s), DAFTAR_OK);
  ck_assert_int_eq(s.pages, 0);
  /* The words are stored and come back for extraction. */
  struct index_db *db = NULL;
  ck_assert_int_eq(index_open(arch, &db), DAFTAR_OK);
  daftar_word *w = NULL;
  size_t nw = 0;
  ck_assert_int_eq(index_document_words(db, 1, &w, &nw), DAFTAR_OK);
  ck_assert_uint_gt(nw, 10);
  for(size_t i = 0; i < nw; i++)
    ck_assert(!has_bidi_mark(w[i].text));
  daftar_words_free(w, nw);
  index_close(db);
  free(before);
  free(after);
}
END_TEST

/* A run killed part-way leaves finished pages done; the next run does
 * only the rest. */
START_TEST(ocr_run_resumes_after_kill) {
  char arch[PATH_LEN];
  make_archive("resume", "12", "3", arch);
  int64_t total = stats_of(arch).pages;
  ck_assert_int_ge(total, 3);
  pid_t pid = fork();
  ck_assert_int_ge(pid, 0);
  if(pid == 0) {
    ocr_options o;
    ocr_options_default(&o);
    o.jobs = 1;
    ocr_summary s;
    ocr_run(arch, &o, &s);
    _exit(0);
  }
  int64_t done = 0;
  for(int i = 0; i < 600 && done < 1; i++) { /* up to 60 s */
    usleep(100 * 1000);
    done = stats_of(arch).pages_recognized;
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  done = stats_of(arch).pages_recognized;
  ck_assert_int_ge(done, 1);
  ck_assert_int_lt(done, total);
  ocr_options o;
  ocr_options_default(&o);
  o.jobs = 1;
  ocr_summary s;
  ck_assert_int_eq(ocr_run(arch, &o, &s), DAFTAR_OK);
  ck_assert_int_eq(s.pages, total - done);
  ck_assert_int_eq(s.recognized, total - done);
  ck_assert_int_eq(stats_of(arch).pages_recognized, total);
}
END_TEST

/* A page whose stored image cannot be read is marked failed with its
 * reason; the other pages are recognized and the run says so. */
START_TEST(ocr_run_marks_unreadable_page_failed) {
  char arch[PATH_LEN];
  make_archive("fail", "13", "2", arch);
  int64_t total = stats_of(arch).pages;
  struct index_db *db = NULL;
  char **shas = NULL;
  size_t n = 0;
  ck_assert_int_eq(index_open(arch, &db), DAFTAR_OK);
  ck_assert_int_eq(index_master_list(db, 0, &shas, &n), DAFTAR_OK);
  ck_assert_uint_eq(n, 2);
  index_close(db);
  /* Damage one stored master (only in this throwaway archive). */
  char *path = ingest_object_path(arch, shas[0]);
  chmod(path, 0644);
  ck_assert_int_eq(truncate(path, 64), 0);
  free(path);
  index_strings_free(shas, n);
  ocr_options o;
  ocr_options_default(&o);
  o.jobs = 2;
  ocr_summary s;
  ck_assert_int_eq(ocr_run(arch, &o, &s), DAFTAR_EOCR);
  ck_assert_int_ge(s.failed, 1);
  ck_assert_int_eq(s.recognized + s.failed, total);
  ck_assert_int_ge(s.recognized, 1);
  index_stats st = stats_of(arch);
  ck_assert_int_eq(st.pages_failed, s.failed);
  ck_assert_int_eq(st.pages_recognized, s.recognized);
}
END_TEST

START_TEST(ocr_run_refuses_missing_archive_model) {
  char arch[PATH_LEN];
  make_archive("nomodel", "14", "1", arch);
  ocr_options o;
  ocr_options_default(&o);
  o.lang = "no_such_model";
  ocr_summary s;
  ck_assert_int_eq(ocr_run(arch, &o, &s), DAFTAR_EOCR);
  ck_assert_int_eq(s.recognized, 0);
  index_stats st = stats_of(arch);
  ck_assert_int_eq(st.pages_recognized, 0);
  ck_assert_int_eq(st.pages_failed, 0); /* nothing recorded as failed */
}
END_TEST

static Suite *ocr_suite(void) {
  Suite *s = suite_create("ocr");
  TCase *t = tcase_create("recognition");
  tcase_add_unchecked_fixture(t, suite_setup, suite_teardown);
  tcase_set_timeout(t, 120);
  tcase_add_test(t, ocr_reads_known_arabic_line);
  tcase_add_test(t, ocr_reads_generated_form_page);
  tcase_add_loop_test(t, ocr_turns_page_upright, 0, 4);
  tcase_add_test(t, ocr_uprights_generator_rotated_page);
  tcase_add_loop_test(t, ocr_deskews_page, 0, 2);
  tcase_add_test(t, ocr_deskews_sparse_page);
  tcase_add_test(t, ocr_drops_leader_read_as_word);
  tcase_add_test(t, ocr_keeps_longer_number_over_clean_digit);
  tcase_add_test(t, ocr_reads_weak_line_alone);
  tcase_add_test(t, ocr_reads_line_band_read_in_part);
  tcase_add_test(t, ocr_settles_misread_name_by_dictionary);
  tcase_add_test(t, ocr_reads_number_over_band_reading_shaped_as_date);
  tcase_add_loop_test(t, ocr_reads_line_cut_into_rows_alone, 0,
                      (int)(sizeof(rows_letters) / sizeof(*rows_letters)));
  tcase_add_test(t, ocr_keeps_reading_that_saw_the_dots);
  tcase_add_test(t, ocr_keeps_band_number_between_reader_readings);
  tcase_add_test(t, ocr_drops_zero_the_crop_has_no_ink_for);
  tcase_add_loop_test(
      t, ocr_reads_pages_once_read_wrong, 0,
      (int)(sizeof(fixed_pages) / sizeof(*fixed_pages)));
  tcase_add_test(t, ocr_joins_sorani_word_split_by_model);
  tcase_add_test(t, ocr_takes_other_models_number_once);
  tcase_add_loop_test(
      t, ocr_reads_comma_after_number_as_no_digit, 0,
      (int)(sizeof(numbers_before_comma) / sizeof(*numbers_before_comma)));
  tcase_add_test(t, ocr_keeps_leading_zero_before_comma);
  tcase_add_loop_test(
      t, ocr_bench_page_reads_number_whole, 0,
      (int)(sizeof(bench_page_words) / sizeof(*bench_page_words)));
  tcase_add_test(t, ocr_maps_boxes_to_given_image);
  tcase_add_test(t, ocr_reads_low_resolution_page);
  tcase_add_loop_test(t, ocr_reads_digits_in_three_styles, 0, 3);
  tcase_add_loop_test(t, ocr_reads_numbers_in_each_digit_style, 0,
                      NUMBER_CASES);
  tcase_add_loop_test(t, ocr_keeps_arabic_indic_date_in_order_and_style, 0,
                      (int)(sizeof(date_fonts) / sizeof(*date_fonts)));
  tcase_add_test(t, ocr_drops_specks_read_as_words);
  tcase_add_test(t, ocr_drops_lone_specks_and_glued_dots);
  tcase_add_loop_test(t, ocr_heavy_page_cases, 0, HEAVY7_CASES);
  tcase_add_test(t, ocr_reads_faded_numbers_whole);
  tcase_add_test(t, ocr_drops_number_part_apart_from_whole);
  tcase_add_test(t, ocr_keeps_whole_number_over_its_part);
  tcase_add_test(t, ocr_strips_bidi_marks);
  tcase_add_test(t, ocr_removes_dotted_leaders_keeps_letter_dots);
  tcase_add_loop_test(t, ocr_reads_number_after_dotted_leader_whole, 0, 2);
  tcase_add_loop_test(t, ocr_keeps_rows_of_arabic_indic_zeros, 0, 2);
  tcase_add_test(t, ocr_reads_line_the_layout_analysis_drops);
  tcase_add_test(t, ocr_reads_short_last_line_of_paragraph_whole);
  tcase_add_test(t, ocr_detects_sorani_page);
  tcase_add_test(t, ocr_lang_detect_by_letters);
  tcase_add_test(t, ocr_model_choice_takes_a_sorani_model_when_installed);
  tcase_add_test(t, ocr_fixes_letters_per_language);
  tcase_add_test(t, ocr_reads_guillemet_after_word_as_comma);
  tcase_add_test(t, ocr_settles_arabic_word_by_its_dots);
  tcase_add_test(t, ocr_drops_tanween_inside_arabic_word);
  tcase_add_test(t, ocr_engine_open_refuses_missing_model);
  tcase_add_test(t, ocr_run_recognizes_archive_and_leaves_masters);
  tcase_add_test(t, ocr_run_resumes_after_kill);
  tcase_add_test(t, ocr_run_marks_unreadable_page_failed);
  tcase_add_test(t, ocr_run_refuses_missing_archive_model);
  suite_add_tcase(s, t);
  return s;
}

Suite *sorani_suite(void); /* test_sorani.c */
Suite *cleanup_suite(void); /* test_cleanup.c */

int main(void) {
  daftar_log_set_level(DLOG_ERROR);
  SRunner *sr = srunner_create(ocr_suite());
  srunner_add_suite(sr, sorani_suite());
  srunner_add_suite(sr, cleanup_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
