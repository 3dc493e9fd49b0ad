/*
 * engine.c - one Tesseract engine per worker thread, reused for every page.
 *
 * A page is cleaned (cleanup.c, which also asks this engine to read a strip
 * both ways for orientation), recognized once with the default model, its
 * language detected from the letters read (lang.c), and recognized again
 * only when that language has a better model installed.  Words come from
 * the result iterator at word level in reading order; their boxes are
 * mapped back to master pixels (see ocr.h).
 */
#include <stdlib.h>
#include <string.h>

#include "recognize_int.h"

/* FIELD-NOTES and our own measurement (docs/BENCHMARKS.md): one block reads
 * generated forms better than automatic segmentation. */
#define OCR_DEFAULT_PSM PSM_SINGLE_BLOCK
#define OCR_WORDS_INITIAL 256
#define OCR_JUNK_CONF 25.0f
#define OCR_JUNK_MAX_CHARS 2
#define OCR_BLACKLIST                                                          \
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\\|`~^{}[]<>\u2018\u2019"

static void engine_error(struct ocr_engine *e, const char *what) {
  snprintf(e->errmsg, sizeof(e->errmsg), "%s", what);
}

/* Leptonica's messages are diagnostics about images, never page text:
 * they go to daftar's log at debug level instead of raw stderr. */
static void lept_to_log(const char *msg) {
  size_t n = strlen(msg);
  while(n > 0 && msg[n - 1] == '\n')
    n--;
  daftar_log(DLOG_DEBUG, "leptonica: %.*s", (int)n, msg);
}

void ocr_options_default(ocr_options *o) {
  memset(o, 0, sizeof(*o));
  o->lang = OCR_DEFAULT_LANG;
  o->psm = 0;
  o->jobs = 0;
  o->review_threshold = OCR_REVIEW_THRESHOLD;
}

static TessBaseAPI *api_open(const char *tessdata, const char *model) {
  TessBaseAPI *api = TessBaseAPICreate();
  if(!api)
    return NULL;
  /* Tesseract's tprintf goes to debug_file; keep the terminal clean. */
  TessBaseAPISetVariable(api, "debug_file", "/dev/null");
  if(TessBaseAPIInit3(api, tessdata, model) != 0) {
    TessBaseAPIDelete(api);
    return NULL;
  }
  TessBaseAPISetVariable(api, "debug_file", "/dev/null");
  /* The Arabic-script model also knows Latin; on these forms Latin letters
   * are nearly always misread Arabic-Indic digits (٧ as V, ٨ as A). */
  TessBaseAPISetVariable(api, "tessedit_char_blacklist", OCR_BLACKLIST);
  return api;
}

int ocr_engine_open(const ocr_options *o, struct ocr_engine **out) {
  *out = NULL;
  ocr_options def;
  if(!o) {
    ocr_options_default(&def);
    o = &def;
  }
  const char *model = o->lang ? o->lang : OCR_DEFAULT_LANG;
  if(strlen(model) >= OCR_MODEL_MAX)
    return DAFTAR_EINVAL;
  leptSetStderrHandler(lept_to_log);
  struct ocr_engine *e = calloc(1, sizeof(*e));
  if(!e)
    return DAFTAR_ENOMEM;
  if(o->tessdata && !(e->tessdata = strdup(o->tessdata))) {
    free(e);
    return DAFTAR_ENOMEM;
  }
  snprintf(e->model, sizeof(e->model), "%s", model);
  e->psm = o->psm > 0 ? o->psm : OCR_DEFAULT_PSM;
  e->review_threshold =
      o->review_threshold > 0 ? o->review_threshold : OCR_REVIEW_THRESHOLD;
  e->api = api_open(e->tessdata, e->model);
  if(!e->api) {
    daftar_log(DLOG_ERROR, "ocr: cannot load Tesseract model '%s'", model);
    free(e->tessdata);
    free(e);
    return DAFTAR_EOCR;
  }
  *out = e;
  return DAFTAR_OK;
}

void ocr_engine_close(struct ocr_engine *e) {
  if(!e)
    return;
  if(e->api) {
    TessBaseAPIEnd(e->api);
    TessBaseAPIDelete(e->api);
  }
  if(e->alt) {
    TessBaseAPIEnd(e->alt);
    TessBaseAPIDelete(e->alt);
  }
  free(e->tessdata);
  free(e);
}

const char *ocr_engine_errmsg(const struct ocr_engine *e) {
  return e && e->errmsg[0] ? e->errmsg : "no error";
}

int engine_strip_confidence(struct ocr_engine *e, PIX *pix) {
  TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
  TessBaseAPISetImage2(e->api, pix);
  TessBaseAPISetSourceResolution(e->api, OCR_TARGET_DPI);
  int conf = -1;
  if(TessBaseAPIRecognize(e->api, NULL) == 0)
    conf = TessBaseAPIMeanTextConf(e->api);
  TessBaseAPIClear(e->api);
  return conf;
}

/* The API for a model: the default one, or the alternative (loaded once;
 * a thread keeps at most one alternative, the last language needed). */
static TessBaseAPI *api_for_model(struct ocr_engine *e, const char *model) {
  if(strcmp(model, e->model) == 0)
    return e->api;
  if(e->alt && strcmp(model, e->alt_model) == 0)
    return e->alt;
  if(strlen(model) >= OCR_MODEL_MAX)
    return NULL;
  if(e->alt) {
    TessBaseAPIEnd(e->alt);
    TessBaseAPIDelete(e->alt);
    e->alt = NULL;
  }
  e->alt = api_open(e->tessdata, model);
  if(e->alt)
    snprintf(e->alt_model, sizeof(e->alt_model), "%s", model);
  return e->alt;
}

static char *strip_bidi_dup(const char *s) {
  dbuf b = DBUF_INIT;
  if(text_strip_bidi(s, strlen(s), &b) != DAFTAR_OK) {
    dbuf_free(&b);
    return NULL;
  }
  dbuf_cstr(&b);
  return dbuf_take(&b);
}

/* Words in reading order with master-pixel boxes; empty words skipped.
 * Block, paragraph and line numbers continue from those already in out
 * (a page is read band by band). */
typedef struct word_origin {
  int left, top; /* where the recognized crop's (0, 0) is in the derivative */
  int block, para, line; /* > 0: every word gets these (line by line) */
} word_origin;

static int collect_words(TessBaseAPI *api, const ocr_prep *prep,
                         const word_origin *org, int page_no, size_t *cap,
                         ocr_page_result *out) {
  TessResultIterator *it = TessBaseAPIGetIterator(api);
  if(!it)
    return DAFTAR_OK; /* nothing recognized */
  const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst(it);
  int block = 0, para = 0, line = 0, rc = DAFTAR_OK;
  if(out->nwords > 0) {
    const daftar_word *last = &out->words[out->nwords - 1];
    block = last->block;
    para = last->para;
    line = last->line;
  }
  do {
    if(TessPageIteratorIsAtBeginningOf(pit, RIL_BLOCK))
      block++;
    if(TessPageIteratorIsAtBeginningOf(pit, RIL_PARA))
      para++;
    if(TessPageIteratorIsAtBeginningOf(pit, RIL_TEXTLINE))
      line++;
    char *raw = TessResultIteratorGetUTF8Text(it, RIL_WORD);
    if(!raw)
      continue;
    char *text = strip_bidi_dup(raw);
    TessDeleteText(raw);
    if(!text) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    if(!text[0]) {
      free(text);
      continue;
    }
    if(out->nwords == *cap) {
      size_t ncap = *cap ? *cap * 2 : OCR_WORDS_INITIAL;
      daftar_word *nw = realloc(out->words, ncap * sizeof(*nw));
      if(!nw) {
        free(text);
        rc = DAFTAR_ENOMEM;
        break;
      }
      out->words = nw;
      *cap = ncap;
    }
    int l = 0, t = 0, r = 0, b = 0;
    TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b);
    daftar_word *w = &out->words[out->nwords++];
    memset(w, 0, sizeof(*w));
    w->text = text;
    w->page = page_no;
    w->block = org->line > 0 ? org->block : block;
    w->para = org->line > 0 ? org->para : para;
    w->line = org->line > 0 ? org->line : line;
    w->box = prep_box_to_master(prep, l + org->left, t + org->top,
                                r + org->left, b + org->top);
    w->conf = TessResultIteratorConfidence(it, RIL_WORD);
  } while(TessResultIteratorNext(it, RIL_WORD));
  TessResultIteratorDelete(it);
  return rc;
}

static float mean_confidence(const ocr_page_result *r) {
  if(r->nwords == 0)
    return 0.0f;
  double sum = 0;
  for(size_t i = 0; i < r->nwords; i++)
    sum += r->words[i].conf;
  return (float)(sum / (double)r->nwords);
}

/* 1 for a word of at most OCR_JUNK_MAX_CHARS code points read with
 * confidence under OCR_JUNK_CONF: on scans these are specks and rule
 * remnants read as ")" "٠" "ا", not words (a real one-letter word such as
 * و reads with high confidence). */
static int is_junk(const daftar_word *w) {
  if(w->conf >= OCR_JUNK_CONF)
    return 0;
  size_t n = 0;
  for(const char *p = w->text; *p; p++)
    n += ((unsigned char)*p & 0xC0) != 0x80;
  return n <= OCR_JUNK_MAX_CHARS;
}

static void drop_junk_words(ocr_page_result *r) {
  size_t k = 0;
  for(size_t i = 0; i < r->nwords; i++) {
    if(is_junk(&r->words[i])) {
      free(r->words[i].text);
      continue;
    }
    r->words[k++] = r->words[i];
  }
  r->nwords = k;
}

/* The page text from the words: one line per Tesseract line, words
 * separated by a space, in reading (logical) order. */
static int page_text(ocr_page_result *r) {
  dbuf b = DBUF_INIT;
  int rc = DAFTAR_OK;
  for(size_t i = 0; i < r->nwords && rc == DAFTAR_OK; i++) {
    if(i > 0)
      rc = dbuf_putc(&b, r->words[i].line != r->words[i - 1].line ? '\n' : ' ');
    if(!rc)
      rc = dbuf_puts(&b, r->words[i].text);
  }
  if(!rc && r->nwords > 0)
    rc = dbuf_putc(&b, '\n');
  free(r->text);
  r->text = rc ? NULL : dbuf_take(&b);
  dbuf_free(&b);
  return r->text ? DAFTAR_OK : DAFTAR_ENOMEM;
}

/* Recognizes pix (the whole derivative, or a band of it starting at row
 * top); appends its text and words. */
static int recognize_region(struct ocr_engine *e, TessBaseAPI *api,
                            const ocr_prep *prep, PIX *pix, int psm,
                            const word_origin *org, int page_no, size_t *cap,
                            ocr_page_result *out) {
  TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
  TessBaseAPISetImage2(api, pix);
  TessBaseAPISetSourceResolution(api, OCR_TARGET_DPI);
  int rc = DAFTAR_OK;
  if(TessBaseAPIRecognize(api, NULL) != 0) {
    engine_error(e, "Tesseract could not recognize the page");
    rc = DAFTAR_EOCR;
    goto out;
  }
  rc = collect_words(api, prep, org, page_no, cap, out);
out:
  TessBaseAPIClear(api);
  return rc;
}

/* Segments of a line: runs of inked columns closer than SEG_GAP_SHARE of
 * the line's height to each other belong together (words of a label or a
 * value); a wider gap separates a label from its value, or table cells. */
#define SEG_GAP_SHARE 1.0
#define SEG_MAX 32
#define SEG_PAD 12

typedef struct seg {
  int x0, x1;
} seg;

static int line_segments(PIX *line, seg *out, int max) {
  PIX *bin = prep_binarize(line);
  if(!bin)
    return -1;
  l_int32 w, h;
  pixGetDimensions(bin, &w, &h, NULL);
  NUMA *cols = pixCountPixelsByColumn(bin);
  pixDestroy(&bin);
  if(!cols)
    return -1;
  const l_float32 *v = numaGetFArray(cols, L_NOCOPY);
  double gs = getenv("OCR_EXP_GAP") ? atof(getenv("OCR_EXP_GAP")) : SEG_GAP_SHARE;
  int gap_min = (int)(h * gs), n = 0, x = 0;
  while(x < w) {
    while(x < w && v[x] < 1)
      x++;
    if(x >= w)
      break;
    int x0 = x, last = x;
    while(x < w && x - last <= gap_min) {
      if(v[x] >= 1)
        last = x;
      x++;
    }
    if(n < max) {
      out[n].x0 = x0;
      out[n].x1 = last + 1;
      n++;
    } else {
      out[n - 1].x1 = last + 1;
    }
  }
  numaDestroy(&cols);
  return n;
}

/* Line by line, each line cut into segments read right to left (psm 7). */
static int recognize_segments(struct ocr_engine *e, TessBaseAPI *api,
                              const ocr_prep *prep, int page_no, size_t *cap,
                              ocr_page_result *out) {
  int rc = DAFTAR_OK, band = 0;
  for(int i = 0; i < prep->nlines && rc == DAFTAR_OK; i++) {
    const text_band *ln = &prep->lines[i];
    while(band < prep->nbands && prep->bands[band].bottom <= ln->top)
      band++;
    BOX *box = boxCreate(0, ln->top, prep->rot_w, ln->bottom - ln->top);
    PIX *lp = box ? pixClipRectangle(prep->pix, box, NULL) : NULL;
    boxDestroy(&box);
    if(!lp)
      return DAFTAR_ENOMEM;
    seg sg[SEG_MAX];
    int ns = line_segments(lp, sg, SEG_MAX);
    word_origin org = {0, ln->top, band + 1, band + 1, i + 1};
    for(int k = ns - 1; k >= 0 && rc == DAFTAR_OK; k--) {
      int x0 = sg[k].x0 - SEG_PAD, x1 = sg[k].x1 + SEG_PAD;
      x0 = x0 < 0 ? 0 : x0;
      x1 = x1 > prep->rot_w ? prep->rot_w : x1;
      BOX *sb = boxCreate(x0, 0, x1 - x0, ln->bottom - ln->top);
      PIX *sp = sb ? pixClipRectangle(lp, sb, NULL) : NULL;
      boxDestroy(&sb);
      if(!sp) {
        rc = DAFTAR_ENOMEM;
        break;
      }
      org.left = x0;
      rc = recognize_region(e, api, prep, sp, PSM_SINGLE_LINE, &org, page_no,
                            cap, out);
      pixDestroy(&sp);
    }
    pixDestroy(&lp);
  }
  return rc;
}

/* One recognition pass over the prepared page into out (cleared first):
 * band by band when cleanup found bands, else the page as one block.
 * Bands are cropped copies: Tesseract 5.3 with SetRectangle on this
 * model read garbage (measured), a cropped image reads right. */
static int recognize_with(struct ocr_engine *e, TessBaseAPI *api,
                          const ocr_prep *prep, int page_no,
                          ocr_page_result *out) {
  int rc = DAFTAR_OK;
  size_t cap = 0;
  ocr_page_result_clear(out);
  word_origin org = {0, 0, 0, 0, 0};
  if(getenv("OCR_EXP_SEG") && prep->nlines > 0) {
    rc = recognize_segments(e, api, prep, page_no, &cap, out);
    goto done;
  }
  if(prep->nbands == 0)
    rc = recognize_region(e, api, prep, prep->pix, e->psm, &org, page_no,
                          &cap, out);
  for(int i = 0; i < prep->nbands && rc == DAFTAR_OK; i++) {
    const text_band *bd = &prep->bands[i];
    BOX *box = boxCreate(0, bd->top, prep->rot_w, bd->bottom - bd->top);
    PIX *band = box ? pixClipRectangle(prep->pix, box, NULL) : NULL;
    boxDestroy(&box);
    if(!band) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    org.top = bd->top;
    rc = recognize_region(e, api, prep, band, e->psm, &org, page_no, &cap,
                          out);
    pixDestroy(&band);
  }
done:
  if(rc)
    return rc;
  drop_junk_words(out);
  out->confidence = mean_confidence(out);
  return page_text(out);
}

/* ALTO and hOCR, written once the words are final. */
static int layout_docs(const ocr_prep *prep, int page_no,
                       ocr_page_result *out) {
  dbuf b = DBUF_INIT;
  int rc = layout_alto(out, page_no, prep->master_w, prep->master_h, &b);
  if(!rc && !(out->alto = dbuf_take(&b)))
    rc = DAFTAR_ENOMEM;
  if(!rc)
    rc = layout_hocr(out, page_no, prep->master_w, prep->master_h, &b);
  if(!rc && !(out->hocr = dbuf_take(&b)))
    rc = DAFTAR_ENOMEM;
  dbuf_free(&b);
  return rc;
}

/* Puts text and words in the detected language's spelling. */
static int fix_letters(ocr_page_result *r, const char *lang) {
  char *t = ocr_lang_fix_letters(lang, r->text);
  if(!t)
    return DAFTAR_ENOMEM;
  free(r->text);
  r->text = t;
  for(size_t i = 0; i < r->nwords; i++) {
    char *w = ocr_lang_fix_letters(lang, r->words[i].text);
    if(!w)
      return DAFTAR_ENOMEM;
    free(r->words[i].text);
    r->words[i].text = w;
  }
  return DAFTAR_OK;
}

int ocr_engine_recognize_flags(struct ocr_engine *e, struct Pix *page,
                               int page_no, int flags, ocr_page_result *out) {
  memset(out, 0, sizeof(*out));
  if(!e || !page)
    return DAFTAR_EINVAL;
  e->errmsg[0] = '\0';
  ocr_prep prep;
  int rc = prep_page(e, page, flags, &prep);
  if(rc) {
    engine_error(e, "page cleanup failed (out of memory or bad image)");
    return rc;
  }
  rc = recognize_with(e, e->api, &prep, page_no, out);
  if(rc)
    goto out;
  const char *lang = ocr_lang_detect(out->text);
  const char *model = ocr_model_for_lang(lang, e->tessdata, e->model);
  if(strcmp(model, e->model) != 0) {
    TessBaseAPI *api = api_for_model(e, model);
    if(api) {
      ocr_page_result better;
      memset(&better, 0, sizeof(better));
      if(recognize_with(e, api, &prep, page_no, &better) == DAFTAR_OK) {
        ocr_page_result_clear(out);
        *out = better;
      } else {
        ocr_page_result_clear(&better);
        model = e->model;
      }
    } else {
      daftar_log(DLOG_WARN, "ocr: model '%s' failed to load; using '%s'",
                 model, e->model);
      model = e->model;
    }
  }
  rc = fix_letters(out, lang);
  if(rc)
    goto out;
  snprintf(out->lang, sizeof(out->lang), "%s", lang);
  snprintf(out->model, sizeof(out->model), "%s", model);
  rc = layout_docs(&prep, page_no, out);
  if(rc)
    goto out;
  out->rotation = prep_rotation(&prep);
  out->skew = prep.skew;
  out->needs_review = out->nwords == 0 || out->confidence < e->review_threshold;
out:
  prep_clear(&prep);
  if(rc)
    ocr_page_result_clear(out);
  return rc;
}

int ocr_engine_recognize(struct ocr_engine *e, struct Pix *page, int page_no,
                         ocr_page_result *out) {
  return ocr_engine_recognize_flags(e, page, page_no, OCR_PREP_ALL, out);
}

void ocr_page_result_clear(ocr_page_result *r) {
  if(!r)
    return;
  free(r->text);
  free(r->alto);
  free(r->hocr);
  daftar_words_free(r->words, r->nwords);
  memset(r, 0, sizeof(*r));
}
