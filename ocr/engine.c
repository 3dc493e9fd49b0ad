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
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "recognize_int.h"

/* FIELD-NOTES and our own measurement (docs/BENCHMARKS.md): one block reads
 * generated forms better than automatic segmentation. */
#define OCR_DEFAULT_PSM PSM_SINGLE_BLOCK
#define OCR_WORDS_INITIAL 256
#define OCR_JUNK_CONF 25.0f
#define OCR_JUNK_MAX_CHARS 2
/* What the number reader may output: digits of the three styles and the
 * separators of dates and amounts. */
#define OCR_NUMBER_CHARS                                                       \
  "0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668"          \
  "\u0669\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7\u06F8\u06F9"     \
  "/-.,\u066B\u066C"
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
  /* The number reader is optional: without it numbers are read by the
   * default model alone. */
  static const char *const num_models[] = {OCR_NUMBER_MODEL,
                                           OCR_NUMBER_MODEL_FALLBACK};
  for(size_t k = 0; k < sizeof(num_models) / sizeof(*num_models); k++) {
    if(!lang_model_installed(e->tessdata, num_models[k]) ||
       !(e->num = api_open(e->tessdata, num_models[k])))
      continue;
    TessBaseAPISetVariable(e->num, "tessedit_char_whitelist",
                           OCR_NUMBER_CHARS);
    snprintf(e->num_model, sizeof(e->num_model), "%s", num_models[k]);
    break;
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
  if(e->num) {
    TessBaseAPIEnd(e->num);
    TessBaseAPIDelete(e->num);
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

static int digit_value(uint32_t cp);
static int arabic_letter(uint32_t cp);
static int median_of(int *v, size_t n);

/* What a word's symbols say that its own box and text may not: the span
 * their boxes cover and how often each next symbol stands left or right
 * of the one before. */
typedef struct symbol_run {
  int x0, x1;        /* union of the symbols' boxes; x0 > x1: none */
  int rises, falls;  /* next symbol further right / further left */
} symbol_run;

/* Symbols of a word looked at: more than any word has. */
#define WORD_SYMBOLS_MAX 64

/* A symbol is at most this many times its word's median symbol width:
 * the first symbol of a word can reach back over the words read before
 * it (ا of "العمل" 1144-1519 beside symbols 25-35 wide). */
#define SYMBOL_MAX_WIDTHS 2

static symbol_run word_symbols(const TessResultIterator *word) {
  symbol_run s = {1, 0, 0, 0};
  int lft[WORD_SYMBOLS_MAX], rgt[WORD_SYMBOLS_MAX], wid[WORD_SYMBOLS_MAX];
  size_t n = 0;
  TessResultIterator *it = TessResultIteratorCopy(word);
  if(!it)
    return s;
  const TessPageIterator *pit = TessResultIteratorGetPageIteratorConst(it);
  do {
    int l, t, r, b;
    if(TessPageIteratorBoundingBox(pit, RIL_SYMBOL, &l, &t, &r, &b) &&
       n < WORD_SYMBOLS_MAX) {
      lft[n] = l;
      rgt[n] = r;
      wid[n++] = r - l;
    }
  } while(!TessPageIteratorIsAtFinalElement(pit, RIL_WORD, RIL_SYMBOL) &&
          TessResultIteratorNext(it, RIL_SYMBOL));
  TessResultIteratorDelete(it);
  if(n == 0)
    return s;
  int cap = SYMBOL_MAX_WIDTHS * median_of(wid, n); /* sorts wid */
  for(size_t i = 0; i < n; i++) {
    int r = rgt[i] - lft[i] > cap && cap > 0 ? lft[i] + cap : rgt[i];
    if(i == 0 || lft[i] < s.x0)
      s.x0 = lft[i];
    if(i == 0 || r > s.x1)
      s.x1 = r;
    if(i > 0 && lft[i] > lft[i - 1])
      s.rises++;
    else if(i > 0 && lft[i] < lft[i - 1])
      s.falls++;
  }
  return s;
}

/* Marks that ride on the letter before them and move with it. */
static int rides_on_letter(uint32_t cp) {
  return (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 ||
         (cp >= 0x610 && cp <= 0x61A) || (cp >= 0x6D6 && cp <= 0x6ED);
}

/* Arabic-letter word text that Tesseract gave left to right: its symbols'
 * boxes run rightwards ("يعامتجالا", "ةرشابملا": a low-confidence word the
 * model began with a space, 200-dpi heavy forms, bench-extract seed 11).
 * Rewritten in place in reading order, letter by letter with their marks,
 * spaces dropped.  A word with a digit is left as it is: digits run left
 * to right by right. */
static void reverse_ltr_word(char *text, const symbol_run *s) {
  size_t n = strlen(text), i = 0, adv, k = 0, start[64], len[64];
  int arabic = 0;
  if(s->rises < 2 || s->rises <= 2 * s->falls)
    return;
  while(i < n) {
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    if(digit_value(cp) >= 0)
      return;
    arabic |= arabic_letter(cp);
    if(cp == ' ') {
      i += adv;
      continue;
    }
    if(k > 0 && rides_on_letter(cp) && start[k - 1] + len[k - 1] == i) {
      len[k - 1] += adv;
    } else {
      if(k == sizeof(start) / sizeof(start[0]))
        return; /* longer than any word: leave it */
      start[k] = i;
      len[k++] = adv;
    }
    i += adv;
  }
  if(!arabic || k < 2)
    return;
  char *copy = strdup(text);
  if(!copy)
    return; /* kept as read */
  size_t o = 0;
  while(k-- > 0) {
    memcpy(text + o, copy + start[k], len[k]);
    o += len[k];
  }
  text[o] = '\0';
  free(copy);
}

/* Words in reading order with master-pixel boxes; empty words skipped.
 * Block, paragraph and line numbers continue from those already in out
 * (a page is read band by band). */
/* Words being gathered for a page: their capacity, and each word's box in
 * derivative pixels (to find the parts of a line no word covers). */
typedef struct word_acc {
  size_t cap;
  daftar_box *dbox;
} word_acc;

typedef struct word_origin {
  int left, top; /* where the recognized crop's (0, 0) is in the derivative */
  int block, para, line; /* > 0: every word gets these (line by line) */
} word_origin;

static int collect_words(TessBaseAPI *api, const ocr_prep *prep,
                         const word_origin *org, int page_no, word_acc *acc,
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
    if(out->nwords == acc->cap) {
      size_t ncap = acc->cap ? acc->cap * 2 : OCR_WORDS_INITIAL;
      daftar_word *nw = realloc(out->words, ncap * sizeof(*nw));
      if(nw)
        out->words = nw;
      daftar_box *nb = nw ? realloc(acc->dbox, ncap * sizeof(*nb)) : NULL;
      if(!nb) {
        free(text);
        rc = DAFTAR_ENOMEM;
        break;
      }
      acc->dbox = nb;
      acc->cap = ncap;
    }
    int l = 0, t = 0, r = 0, b = 0;
    TessPageIteratorBoundingBox(pit, RIL_WORD, &l, &t, &r, &b);
    symbol_run sym = word_symbols(it);
    reverse_ltr_word(text, &sym);
    /* A word box can reach over the words before it while its symbols do
     * not ("العمل" over "ترك", 1000-1519 for symbols 1000-1170: the line
     * came out "تاريخ العمل ترك", 44656/doc-02 seed 11 heavy): the
     * symbols' span bounds it. */
    if(sym.x0 <= sym.x1 && 2 * (sym.x1 - sym.x0) < r - l) {
      l = sym.x0 > l ? sym.x0 : l;
      r = sym.x1 < r ? sym.x1 : r;
    }
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
    acc->dbox[out->nwords - 1] = (daftar_box){l + org->left, t + org->top,
                                              r + org->left, b + org->top};
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

/* Drops the words of r that drop says 1 for; acc, when not NULL, holds
 * their derivative boxes, which go with them. */
static void drop_words(ocr_page_result *r, word_acc *acc,
                       int (*drop)(const daftar_word *)) {
  size_t k = 0;
  for(size_t i = 0; i < r->nwords; i++) {
    if(drop(&r->words[i])) {
      free(r->words[i].text);
      continue;
    }
    if(acc)
      acc->dbox[k] = acc->dbox[i];
    r->words[k++] = r->words[i];
  }
  r->nwords = k;
}

static void drop_junk_words(ocr_page_result *r, word_acc *acc) {
  drop_words(r, acc, is_junk);
}

/* Empties the reading x (and its boxes' count) for another reading. */
static void clear_reading(ocr_page_result *x, word_acc *xacc) {
  daftar_words_free(x->words, x->nwords);
  x->words = NULL;
  x->nwords = 0;
  xacc->cap = 0;
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
                            const word_origin *org, int page_no,
                            word_acc *acc, ocr_page_result *out) {
  TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
  TessBaseAPISetImage2(api, pix);
  TessBaseAPISetSourceResolution(api, OCR_TARGET_DPI);
  int rc = DAFTAR_OK;
  if(TessBaseAPIRecognize(api, NULL) != 0) {
    engine_error(e, "Tesseract could not recognize the page");
    rc = DAFTAR_EOCR;
    goto out;
  }
  rc = collect_words(api, prep, org, page_no, acc, out);
out:
  TessBaseAPIClear(api);
  return rc;
}

/* Parts of a line no word covers: runs of inked columns outside every
 * word box of the line, joined across gaps under SEG_JOIN_SHARE of the
 * line's height (a word's letter groups), kept when at least
 * 1/SEG_MIN_W_DIV of it wide (narrower: specks, a box's ragged edge). */
#define SEG_JOIN_SHARE 0.5
#define SEG_MIN_W_DIV 2
#define SEG_MAX 32
#define SEG_PAD 12
#define SEG_COVER_MARGIN 4
/* Ink under this share of a part's area is scattered specks, not text
 * (measured on 12 heavy pages: CER 12.7% -> 11.2%, light unchanged).  The
 * area is the part's width times the rows its ink spans: a row of
 * Arabic-Indic zeros (٥٠٠٠٠٠ after a dotted leader) has 3% of ink over
 * the line's whole height, and was passed over. */
#define SEG_MIN_DENSITY 0.05

typedef struct seg {
  int x0, x1;
} seg;

/* Rows from the first to the last holding ink in columns x0..x1 of bin
 * (at least 1). */
static int ink_rows(PIX *bin, int x0, int x1) {
  BOX *b = boxCreate(x0, 0, x1 + 1 - x0, pixGetHeight(bin));
  PIX *part = b ? pixClipRectangle(bin, b, NULL) : NULL;
  NUMA *rows = part ? pixCountPixelsByRow(part, NULL) : NULL;
  boxDestroy(&b);
  pixDestroy(&part);
  int n = rows ? numaGetCount(rows) : 0, top = -1, bottom = -1;
  for(int y = 0; y < n; y++) {
    l_float32 v;
    numaGetFValue(rows, y, &v);
    if(v >= 1) {
      top = top < 0 ? y : top;
      bottom = y;
    }
  }
  numaDestroy(&rows);
  return top < 0 ? pixGetHeight(bin) : bottom + 1 - top;
}

/* The ink mask of line ln of the derivative (its rows, the page's width);
 * NULL when out of memory. */
static PIX *line_ink(const ocr_prep *prep, const text_band *ln) {
  BOX *box = boxCreate(0, ln->top, prep->rot_w, ln->bottom - ln->top);
  PIX *lp = box ? pixClipRectangle(prep->pix, box, NULL) : NULL;
  boxDestroy(&box);
  PIX *bin = lp ? prep_binarize(lp) : NULL;
  pixDestroy(&lp);
  return bin;
}

static int uncovered_runs(PIX *bin, const unsigned char *covered, seg *out,
                          int max) {
  l_int32 w, h;
  pixGetDimensions(bin, &w, &h, NULL);
  NUMA *cols = pixCountPixelsByColumn(bin);
  if(!cols)
    return -1;
  const l_float32 *v = numaGetFArray(cols, L_NOCOPY);
  int join = (int)(h * SEG_JOIN_SHARE), min_w = h / SEG_MIN_W_DIV;
  int n = 0, x = 0;
  while(x < w) {
    while(x < w && (v[x] < 1 || covered[x]))
      x++;
    if(x >= w)
      break;
    int x0 = x, last = x;
    double ink = 0;
    while(x < w && !covered[x] && x - last <= join) {
      if(v[x] >= 1)
        last = x;
      ink += v[x];
      x++;
    }
    if(last + 1 - x0 >= min_w && n < max &&
       ink / ((double)(last + 1 - x0) * ink_rows(bin, x0, last)) >=
           SEG_MIN_DENSITY) {
      out[n].x0 = x0;
      out[n].x1 = last + 1;
      n++;
    }
  }
  numaDestroy(&cols);
  return n;
}

/* Inserts the words of x (read from one segment of a line) into out at
 * pos, with the given numbers; x's words are moved, x is left empty. */
static int insert_words(ocr_page_result *out, word_acc *acc, size_t pos,
                        ocr_page_result *x, const word_acc *xacc, int block,
                        int para, int line) {
  size_t need = out->nwords + x->nwords;
  if(need > acc->cap) {
    size_t ncap = need * 2;
    daftar_word *nw = realloc(out->words, ncap * sizeof(*nw));
    if(nw)
      out->words = nw;
    daftar_box *nb = nw ? realloc(acc->dbox, ncap * sizeof(*nb)) : NULL;
    if(!nb)
      return DAFTAR_ENOMEM;
    acc->dbox = nb;
    acc->cap = ncap;
  }
  size_t k = x->nwords, tail = out->nwords - pos;
  memmove(out->words + pos + k, out->words + pos, tail * sizeof(*out->words));
  memmove(acc->dbox + pos + k, acc->dbox + pos, tail * sizeof(*acc->dbox));
  for(size_t i = 0; i < k; i++) {
    out->words[pos + i] = x->words[i];
    out->words[pos + i].block = block;
    out->words[pos + i].para = para;
    out->words[pos + i].line = line;
    acc->dbox[pos + i] = xacc->dbox[i];
  }
  out->nwords += k;
  x->nwords = 0;
  return DAFTAR_OK;
}

/* 1 when r holds a word not junk with a letter or a digit, or read at
 * SEG_MARK_CONF or more: marks alone read unsure are no reading (a table
 * cell's faded ٨٣٠,٠٠٠ read "," at 0 and "°" at 35, 44640/doc-01 of
 * bench-extract's seed 11, heavy; a line of specks on a heavy page's top
 * read "، ،" at 61 and 71, and the number reader then read it "88 8 88
 * 88"). */
#define SEG_MARK_CONF 50.0f

static int has_letter(const char *t);
static int has_arabic_letter(const char *t);
static size_t digit_count(const char *t);

static int has_real_word(const ocr_page_result *r) {
  for(size_t i = 0; i < r->nwords; i++) {
    const daftar_word *w = &r->words[i];
    if(!is_junk(w) && (has_letter(w->text) || digit_count(w->text) > 0 ||
                       w->conf >= SEG_MARK_CONF))
      return 1;
  }
  return 0;
}

/* 1 when r, which has no real word, holds a mark (a word not junk). */
static int has_mark(const ocr_page_result *r) {
  for(size_t i = 0; i < r->nwords; i++)
    if(!is_junk(&r->words[i]))
      return 1;
  return 0;
}

/* Reads one segment of a line alone: as a text line (psm 7) and, when
 * that finds nothing, as a raw line (psm 13): Tesseract's layout analysis
 * drops some lines whole (measured: a 16 pt Amiri title read as nothing
 * with psm 6 and 7 at 300 dpi, perfectly with psm 13 or scaled by 0.9).
 * When that finds nothing either, the number reader reads it; where the
 * lines read marks alone, the reader's words read under SEG_NUM_MIN_CONF
 * go. */
#define SEG_NUM_MIN_CONF 50.0f

static int read_unsure(const daftar_word *w) {
  return w->conf < SEG_NUM_MIN_CONF;
}

static int read_segment(struct ocr_engine *e, TessBaseAPI *api,
                        const ocr_prep *prep, const text_band *ln, int x0,
                        int x1, int page_no, ocr_page_result *x,
                        word_acc *xacc) {
  BOX *sb = boxCreate(x0, ln->top, x1 - x0, ln->bottom - ln->top);
  PIX *sp = sb ? pixClipRectangle(prep->pix, sb, NULL) : NULL;
  boxDestroy(&sb);
  if(!sp)
    return DAFTAR_ENOMEM;
  word_origin org = {x0, ln->top, 0, 0, 0};
  int rc = recognize_region(e, api, prep, sp, PSM_SINGLE_LINE, &org, page_no,
                            xacc, x);
  int marks = 0; /* marks alone (no letter, no digit) were read */
  if(!rc && !has_real_word(x)) {
    marks = has_mark(x);
    clear_reading(x, xacc);
    rc = recognize_region(e, api, prep, sp, PSM_RAW_LINE, &org, page_no, xacc,
                          x);
  }
  if(!rc && !has_real_word(x) && e->num) {
    marks |= has_mark(x);
    clear_reading(x, xacc);
    rc = recognize_region(e, e->num, prep, sp, PSM_SINGLE_LINE, &org, page_no,
                          xacc, x);
    /* Where marks were read, the reader reads specks as digits too
     * ("6068" at 38 for a strip of dust along a heavy page's top edge);
     * the faded ٨٣٠,٠٠٠ it read at 63. */
    if(!rc && marks)
      drop_words(x, xacc, read_unsure);
  }
  pixDestroy(&sp);
  return rc;
}

static int dcy(const daftar_box *b) { return (b->y0 + b->y1) / 2; }
static int dcx(const daftar_box *b) { return (b->x0 + b->x1) / 2; }

/* After a band is read (its words are out->words[b0..]): every part of a
 * line with ink but no word over it -- a line Tesseract dropped, or the
 * value of a label read alone -- is read on its own and its words put in
 * reading order (right to left within the line).  Lines are then numbered
 * again from first_line. */
static int repair_band(struct ocr_engine *e, TessBaseAPI *api,
                       const ocr_prep *prep, const text_band *bd, size_t b0,
                       int first_line, int page_no, word_acc *acc,
                       ocr_page_result *out) {
  int rc = DAFTAR_OK, fresh = -1;
  unsigned char *covered = calloc((size_t)prep->rot_w, 1);
  if(!covered)
    return DAFTAR_ENOMEM;
  for(int i = 0; i < prep->nlines && rc == DAFTAR_OK; i++) {
    const text_band *ln = &prep->lines[i];
    int mid = (ln->top + ln->bottom) / 2;
    if(mid < bd->top || mid >= bd->bottom)
      continue;
    size_t first = out->nwords, last = out->nwords; /* words on ln */
    for(size_t w = b0; w < out->nwords; w++) {
      const daftar_box *d = &acc->dbox[w];
      if(dcy(d) < ln->top || dcy(d) >= ln->bottom)
        continue;
      if(first == out->nwords)
        first = w;
      last = w;
      if(is_junk(&out->words[w])) /* a speck's reading covers nothing */
        continue;
      int a = d->x0 - SEG_COVER_MARGIN, b = d->x1 + SEG_COVER_MARGIN;
      for(int c = a < 0 ? 0 : a; c < b && c < prep->rot_w; c++)
        covered[c] = 1;
    }
    PIX *bin = line_ink(prep, ln);
    if(!bin) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    seg sg[SEG_MAX];
    int ns = uncovered_runs(bin, covered, sg, SEG_MAX);
    pixDestroy(&bin);
    memset(covered, 0, (size_t)prep->rot_w);
    /* Right to left; positions found again after each insertion. */
    for(int k = ns - 1; k >= 0 && rc == DAFTAR_OK; k--) {
      first = out->nwords;
      last = out->nwords;
      for(size_t w = b0; w < out->nwords; w++) {
        const daftar_box *d = &acc->dbox[w];
        if(dcy(d) < ln->top || dcy(d) >= ln->bottom)
          continue;
        if(first == out->nwords)
          first = w;
        last = w;
      }
      int x0 = sg[k].x0 - SEG_PAD, x1 = sg[k].x1 + SEG_PAD;
      x0 = x0 < 0 ? 0 : x0;
      x1 = x1 > prep->rot_w ? prep->rot_w : x1;
      ocr_page_result x;
      memset(&x, 0, sizeof(x));
      word_acc xacc = {0, NULL};
      rc = read_segment(e, api, prep, ln, x0, x1, page_no, &x, &xacc);
      drop_junk_words(&x, &xacc);
      if(!rc && x.nwords > 0) {
        size_t pos;
        int block, para, line;
        if(first < out->nwords) { /* the line has words: by x, right to left */
          int cx = (sg[k].x0 + sg[k].x1) / 2;
          for(pos = first; pos <= last && dcx(&acc->dbox[pos]) > cx; pos++)
            ;
          const daftar_word *ref = &out->words[first];
          block = ref->block;
          para = ref->para;
          line = ref->line;
        } else { /* a line of its own, before the first word below it */
          for(pos = b0; pos < out->nwords && dcy(&acc->dbox[pos]) < ln->top;
               pos++)
            ;
          const daftar_word *ref = pos < out->nwords ? &out->words[pos]
                                   : pos > 0         ? &out->words[pos - 1]
                                                     : NULL;
          block = ref ? ref->block : 1;
          para = ref ? ref->para : 1;
          line = fresh--;
        }
        rc = insert_words(out, acc, pos, &x, &xacc, block, para, line);
      }
      daftar_words_free(x.words, x.nwords);
      free(xacc.dbox);
    }
  }
  free(covered);
  /* Number the band's lines again in order. */
  int cur = first_line - 1, prev = 0;
  for(size_t w = b0; w < out->nwords; w++) {
    if(w == b0 || out->words[w].line != prev)
      cur++;
    prev = out->words[w].line;
    out->words[w].line = cur;
  }
  return rc;
}

/* The value of a digit of any style (ASCII, Arabic-Indic, Persian); -1
 * for anything else. */
static int digit_value(uint32_t cp) {
  return cp >= '0' && cp <= '9'           ? (int)(cp - '0')
         : cp >= 0x0660 && cp <= 0x0669 ? (int)(cp - 0x0660)
         : cp >= 0x06F0 && cp <= 0x06F9 ? (int)(cp - 0x06F0)
                                        : -1;
}

/* Share of a word's code points that are digits (any style). */
static double digit_share(const char *t) {
  size_t n = strlen(t), i = 0, adv = 0;
  int all = 0, dig = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(t + i, n - i, &adv);
    i += adv;
    all++;
    dig += digit_value(cp) >= 0;
  }
  return all ? (double)dig / all : 0;
}

/* 1 for a letter of the Arabic script (not a digit, separator or mark of
 * punctuation of its blocks). */
static int arabic_letter(uint32_t cp) {
  return (cp >= 0x0620 && cp <= 0x06D3 && digit_value(cp) < 0 &&
          cp != 0x066A && cp != 0x066B && cp != 0x066C) ||
         (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
         (cp >= 0xFE70 && cp <= 0xFEFF);
}

/* 1 when t holds a letter (Latin or Arabic script; digits and marks are
 * not). */
static int has_letter(const char *t) {
  size_t n = strlen(t), i = 0, adv = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(t + i, n - i, &adv);
    i += adv;
    if((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
       arabic_letter(cp))
      return 1;
  }
  return 0;
}

#define NUM_MIN_SHARE 0.5
#define NUM_MIN_SHARE_READ 0.7
#define NUM_MIN_LEN 3

#define NUM_PAD 10
/* A digit is 0.5-0.6 of its height wide. */
#define NUM_DIGIT_W_SHARE 0.6
/* Pieces of one number: adjacent on their line, at most this share of
 * their height apart (measured: the pieces of a number the band read split
 * overlap, or stand up to 0.29 of the digits' height apart; in Amiri, whose
 * ٠ is a small dot between wide side bearings, 0.52: ٦٦٩٧٥٣٩ ٠٥٠٦٥).  Two
 * numbers a space apart may pass too: the space shows in the reading of
 * the whole, which is then refused. */
#define NUM_JOIN_SHARE 0.7
/* Between two pieces, a word read under this confidence is the garbled
 * middle of the number ("944" "س9سق" "ۇخ" "32058" for 320586969644). */
#define NUM_GARBLE_CONF 50.0f

static int is_number_piece(const daftar_word *w) {
  return digit_share(w->text) >= NUM_MIN_SHARE;
}

/* Digit styles of a reading, as bits. */
#define NUM_STYLE_ASCII 0x1
#define NUM_STYLE_ARABIC_INDIC 0x2
#define NUM_STYLE_PERSIAN 0x4

/* The digit style of t when it is a number written in one style: digits
 * and the separators of dates and amounts only, nothing else; else 0. */
static int number_style(const char *t) {
  size_t n = strlen(t), i = 0, adv = 0;
  int style = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(t + i, n - i, &adv);
    i += adv;
    if(cp >= '0' && cp <= '9')
      style |= NUM_STYLE_ASCII;
    else if(cp >= 0x0660 && cp <= 0x0669)
      style |= NUM_STYLE_ARABIC_INDIC;
    else if(cp >= 0x06F0 && cp <= 0x06F9)
      style |= NUM_STYLE_PERSIAN;
    else if(cp != '/' && cp != '-' && cp != '.' && cp != ',' &&
            cp != 0x066B && cp != 0x066C)
      return 0;
  }
  return style == NUM_STYLE_ASCII || style == NUM_STYLE_ARABIC_INDIC ||
                 style == NUM_STYLE_PERSIAN
             ? style
             : 0;
}

/* Arabic-Indic (U+0660..0669, UTF-8 D9 A0..A9) and Persian (U+06F0..06F9,
 * DB B0..B9) digits share the glyphs of 0 1 2 3 7 8 9; only 4 5 6 are
 * drawn differently, and the models pick either style for the shared
 * ones.  A document prints one style, so a reading (unify_eastern_digits)
 * or a whole page (unify_page_digits) is put in the style of its 4 5 6
 * when those are all of one style, or, on a page, NUM_PAGE_STYLE_MIN or
 * more and NUM_PAGE_STYLE_LEAD times as many as the other's (the
 * Arabic-Indic date ١٩٨٨-٠٣-٠٢ of a bench page came out as
 * ۰۲-۰۳-۱۹۸۸).  In place: both are two bytes. */
#define NUM_PAGE_STYLE_MIN 2
#define NUM_PAGE_STYLE_LEAD 4

static void eastern_distinct(const char *t, int *ai, int *pe) {
  for(const unsigned char *u = (const unsigned char *)t; u[0] && u[1]; u++) {
    *ai += u[0] == 0xD9 && u[1] >= 0xA4 && u[1] <= 0xA6;
    *pe += u[0] == 0xDB && u[1] >= 0xB4 && u[1] <= 0xB6;
  }
}

static void to_eastern_style(char *t, int persian) {
  for(unsigned char *u = (unsigned char *)t; u[0] && u[1]; u++) {
    if(persian && u[0] == 0xD9 && u[1] >= 0xA0 && u[1] <= 0xA9) {
      u[0] = 0xDB;
      u[1] = (unsigned char)(u[1] + 0x10);
    } else if(!persian && u[0] == 0xDB && u[1] >= 0xB0 && u[1] <= 0xB9) {
      u[0] = 0xD9;
      u[1] = (unsigned char)(u[1] - 0x10);
    }
  }
}

static void unify_page_digits(ocr_page_result *r) {
  int ai = 0, pe = 0;
  for(size_t i = 0; i < r->nwords; i++)
    eastern_distinct(r->words[i].text, &ai, &pe);
  int lead = ai > pe ? ai : pe, other = ai > pe ? pe : ai;
  if(lead < NUM_PAGE_STYLE_MIN || lead < NUM_PAGE_STYLE_LEAD * other)
    return;
  for(size_t i = 0; i < r->nwords; i++)
    to_eastern_style(r->words[i].text, pe > ai);
}

static void unify_eastern_digits(char *t) {
  int ai = 0, pe = 0;
  eastern_distinct(t, &ai, &pe);
  if(!ai != !pe)
    to_eastern_style(t, pe > 0);
}

static size_t digit_count(const char *t) {
  return (size_t)(digit_share(t) * (double)utf8_count(t) + 0.5);
}

/* Thousands separators of t when t is a grouped number (1-3 digits, then
 * groups of 3 after "," or "٬"), else 0. */
static size_t group_separators(const char *t) {
  size_t len = strlen(t), i = 0, adv = 0, run = 0, seps = 0;
  while(i < len) {
    uint32_t cp = utf8_decode(t + i, len - i, &adv);
    i += adv;
    if(digit_value(cp) >= 0) {
      run++;
      continue;
    }
    if((cp != ',' && cp != 0x066C) || run == 0 || (seps ? run != 3 : run > 3))
      return 0;
    seps++;
    run = 0;
  }
  return seps && run == 3 ? seps : 0;
}

/* 1 when t holds a thousands separator ("," or "٬"). */
static int has_group_mark(const char *t) {
  return strchr(t, ',') != NULL || strstr(t, "\xD9\xAC") != NULL;
}

/* 1 when o is the grouped number g with each thousands separator read
 * as a digit (the same code points elsewhere). */
static int separators_as_digits(const char *g, const char *o) {
  size_t gn = strlen(g), on = strlen(o), i = 0, j = 0, ga = 0, oa = 0;
  while(i < gn && j < on) {
    uint32_t a = utf8_decode(g + i, gn - i, &ga);
    uint32_t b = utf8_decode(o + j, on - j, &oa);
    if(a != b && !((a == ',' || a == 0x066C) && digit_value(b) >= 0))
      return 0;
    i += ga;
    j += oa;
  }
  return i == gn && j == on;
}

/* Separators of a date's parts in t. */
static size_t date_separators(const char *t) {
  size_t n = 0;
  for(; *t; t++)
    n += *t == '/' || *t == '-';
  return n;
}

/* 1 when t is a date extraction reads (ocr_parse_date: d/m/yyyy or
 * yyyy-m-d in any digit style, a real day). */
static int well_formed_date(const char *t) {
  char ymd[11];
  return ocr_parse_date(t, ymd) == DAFTAR_OK;
}

/* 1 when t is a well-formed date and the band's reading a date that is
 * not, whose digits stand in t in the same order: the band read the year
 * of ١٠/٩/١٩٩٢ as one digit ("1۰/۹/۲" at 56) and the page model read the
 * date whole at 51 (13782/doc-02, bench-ocr's seed-7 heavy batch); the
 * end date was then no date.  Such a reading replaces the band's even
 * when less confident. */
static int completes_date(const char *t, const char *band) {
  if(!band || date_separators(band) != 2 || well_formed_date(band) ||
     !well_formed_date(t))
    return 0;
  size_t nb = strlen(band), nt = strlen(t), i = 0, j = 0, ab = 0, at = 0;
  while(i < nb) {
    int d = digit_value(utf8_decode(band + i, nb - i, &ab));
    i += ab;
    if(d < 0)
      continue;
    int found = 0;
    while(j < nt && !found) {
      found = digit_value(utf8_decode(t + j, nt - j, &at)) == d;
      j += at;
    }
    if(!found)
      return 0;
  }
  return 1;
}

/* Reads p with api in page segmentation mode psm; *t gets the reading
 * (bidi marks and the trailing newline gone) when it may be a number:
 * NUM_MIN_LEN code points or more, no space, NUM_MIN_SHARE_READ digits. */
static int read_number_pix(TessBaseAPI *api, PIX *p, int psm, char **t,
                           int *conf) {
  *t = NULL;
  *conf = -1;
  TessBaseAPISetPageSegMode(api, (TessPageSegMode)psm);
  TessBaseAPISetImage2(api, p);
  TessBaseAPISetSourceResolution(api, OCR_TARGET_DPI);
  char *raw = TessBaseAPIRecognize(api, NULL) == 0
                  ? TessBaseAPIGetUTF8Text(api) : NULL;
  int c = TessBaseAPIMeanTextConf(api);
  TessBaseAPIClear(api);
  char *ct = raw ? strip_bidi_dup(raw) : NULL;
  if(raw)
    TessDeleteText(raw);
  if(!ct)
    return raw ? DAFTAR_ENOMEM : DAFTAR_OK;
  char *q = ct + strlen(ct); /* trim the newline Tesseract adds */
  while(q > ct && (q[-1] == '\n' || q[-1] == ' '))
    *--q = '\0';
  if(utf8_count(ct) >= NUM_MIN_LEN && !strchr(ct, ' ') &&
     digit_share(ct) >= NUM_MIN_SHARE_READ) {
    *t = ct;
    *conf = c;
  } else {
    free(ct);
  }
  return DAFTAR_OK;
}

/* The number reader (OCR_NUMBER_MODEL, scripts/train-numbers) reads the
 * digits of the fonts it learnt nearly always right; what it gives for
 * what is no number has shapes of its own. */
#define NUM_READER_MIN_CONF 50
#define NUM_SAME_SHARE 0.8
#define NUM_SAME_MIN 5

/* 1 when t looks like what the reader gives for what is no number: one
 * digit repeated (a rule remnant or a row of specks read as ۷۷۷۷۷۷ or
 * ٠٠٠٠), or a digit other than 0 making most of a long reading
 * (6666660).  Round amounts (1000000) are numbers. */
static int degenerate_number(const char *t) {
  size_t count[10] = {0}, n = 0, len = strlen(t), i = 0, adv = 0;
  while(i < len) {
    int d = digit_value(utf8_decode(t + i, len - i, &adv));
    i += adv;
    if(d >= 0) {
      count[d]++;
      n++;
    }
  }
  size_t top = 0;
  for(int d = 1; d < 10; d++)
    top = count[d] > count[top] ? (size_t)d : top;
  if(n >= 4 && count[top] == n)
    return 1;
  return n >= NUM_SAME_MIN && top != 0 &&
         (double)count[top] >= NUM_SAME_SHARE * (double)n;
}

/* 1 when the number reader's reading nt, read with confidence nc, is
 * taken over the page model's readings of the same box (pt, read with
 * confidence pc; NULL when it read no number) and the band's (band: the
 * word, or the pieces of a run together, read with confidence bc; NULL
 * when none): nt is a number in one digit style, not degenerate, read at
 * NUM_READER_MIN_CONF or more, and either pt says the same, or, against
 * each of pt and band that is a number in one style, nt has more digits,
 * or as many and a higher confidence -- a reading that mixes styles is
 * garbled, and its digit count tells nothing -- and, when the band's is a
 * date in one style, nt is a date too (with agreed, nt read the same
 * as a line and as a raw line, see outweighs).  Measured on the bench pages
 * (docs/OCR.md, "The trained number reader"): taking nt whenever it is a
 * number raised heavy digit CER (19.5% -> 31.3%): the reader read rule
 * remnants as ۷۷۷۷۷۷ and some Amiri digits the page model reads right.
 * The separators of a grouped number count as digits: the band read the
 * ٬ of ٤١٠٬٠٠٠ as a digit (٤٠١٠٠٠١, 44636/doc-01 seed 11 light), and the
 * reader's right reading had one digit fewer. */
/* Digits and group separators of t (a separator read as a digit counts
 * the same). */
static size_t number_len(const char *t) {
  return digit_count(t) + group_separators(t);
}

static int beats(const char *nt, int nc, const char *x, float xc) {
  if(!x || !number_style(x))
    return 1;
  size_t nd = number_len(nt), xd = number_len(x);
  return nd > xd || (nd == xd && (float)nc > xc);
}

/* One digit more is not enough against the reader's two readings agreeing
 * at NUM_AGREED_CONF or more when x was read NUM_AGREED_MARGIN less
 * confidently: the Sorani model read the clean Noto Naskh ۸۲۷۵۴۲۰ as
 * ۸۲۷۵۴۳۲۰ at 68 (its ۴ twice), the reader ۸۲۷۵۴۲۰ at 92 both ways
 * (44635/doc-02, bench-extract's seed 11, clean). */
#define NUM_AGREED_CONF 90
#define NUM_AGREED_MARGIN 20

static int outweighs(const char *nt, int nc, int agreed, const char *x,
                     float xc) {
  if(beats(nt, nc, x, xc))
    return 1;
  return agreed && nc >= NUM_AGREED_CONF &&
         (float)nc >= xc + NUM_AGREED_MARGIN &&
         number_len(x) == number_len(nt) + 1;
}

/* 1 when the number reader's reading nt (confidence nc, its two readings
 * agreed or not) is to replace the page model's reading pt (pc) and the
 * band's (bc).  A band reading shaped as a date keeps a reading without
 * date separators out, unless it is no date at all: the band's "1-10-14"
 * over the clean Noto Naskh SSN ٧٦٠١٩٢٥٠٦٤, which the reader read right
 * both ways at 89 and 81 (42795/doc-01, heavy seed 41 with letters). */
static int prefer_number_reading(const char *nt, int nc, int agreed,
                                 const char *pt, int pc, const char *band,
                                 float bc) {
  if(!number_style(nt) || degenerate_number(nt) || nc < NUM_READER_MIN_CONF)
    return 0;
  if(pt && strcmp(pt, nt) == 0)
    return 1;
  if(!outweighs(nt, nc, agreed, pt, (float)pc) ||
     !outweighs(nt, nc, agreed, band, bc))
    return 0;
  return !band || !number_style(band) || date_separators(band) < 2 ||
         !well_formed_date(band) || date_separators(nt) >= 2;
}

/* The crop the number reader reads: the rows that hold the line of
 * digits, in a white margin.  A word box on a noisy page reaches up and
 * down to specks (measured: 85-96 px tall boxes round 35 px digits on a
 * heavy 200-dpi page), and its sides may cut a digit's edge; the reader
 * learnt lines cut to their ink with a few pixels of paper round them, and
 * read such crops as strings of 5s and 6s.  The run of rows with at least
 * NUM_ROW_SHARE of the inkiest row's dark pixels that holds that row,
 * padded by NUM_ROW_PAD, is kept (clear_neighbours has whitened what lies
 * beyond the word's box), and NUM_MARGIN white pixels are added on every
 * side.  Measured on four numbers of a heavy page: with margins of 0 / 5 /
 * 10 / 20 px, 0 / 2 / 3 / 2 read exactly; cut to the ink on all sides
 * instead, the raw-line reading put "." and "/" into Amiri numbers
 * (٣٥٦٥٤٥.٢٣٥٥) and light-page number recall fell from 92% to 85%.
 * A run thinner than NUM_THIN_SHARE of the word's box, on faded ink, is
 * found again at ink_threshold's level: on the faded seed-11 form the runs
 * at NUM_DARK were 3-13 rows of 49-66 px boxes.  At 0.6 a blurred Amiri
 * ID (22 rows of 65, ink 116, 13783/doc-02 seed 7 heavy) was recut too
 * and read with the leader's dots as 00975391415065.
 * NULL when out of memory. */
#define NUM_ROW_SHARE 0.08
#define NUM_ROW_PAD 5
#define NUM_MARGIN 10
#define NUM_DARK 128
#define NUM_INK_RANK 0.01f  /* share of the crop taken as its ink level */
#define NUM_FADED_INK 160   /* lighter than this, the crop's "ink" is paper */
#define NUM_THIN_SHARE 0.25 /* of the word's height: rows of faded ink */

/* The gray level under which a pixel of the crop p is ink: NUM_DARK, or
 * for faded ink (the darkest NUM_INK_RANK of the crop lighter than
 * NUM_DARK but not paper) halfway between that ink and the paper (the
 * median).  At NUM_DARK alone only the cores of faded digits counted:
 * number_line kept the upper half of a faded Persian national ID (ink
 * 128, 44635/doc-02, seed 11 heavy), which the reader could not read.
 * Without the NUM_FADED_INK bound, crops of a speck or a rule remnant
 * (ink 230-254) turned their paper noise into "5566666666555". */
static int ink_threshold(PIX *p) {
  l_uint32 ink = 0, paper = 255;
  if(pixGetRankValue(p, 1, NUM_INK_RANK, &ink) != 0 ||
     pixGetRankValue(p, 1, 0.5f, &paper) != 0 || ink > NUM_FADED_INK)
    return NUM_DARK;
  int mid = (int)(ink + paper) / 2;
  return mid > NUM_DARK ? mid : NUM_DARK;
}

/* Whitens, in the 8-bit crop p, every ink component lying wholly left or
 * right of columns [x0, x1) (the word's box in p): the pad round a box
 * takes in the end of the label before it ("الرقم"'s م was read as a
 * leading 6), while a digit the box cuts reaches into it and stays. */
static void clear_neighbours(PIX *p, int x0, int x1) {
  PIX *bin = pixThresholdToBinary(p, NUM_DARK);
  PIXA *pa = NULL;
  BOXA *ba = bin ? pixConnComp(bin, &pa, 8) : NULL;
  for(l_int32 i = 0; ba && pa && i < boxaGetCount(ba); i++) {
    l_int32 bx, by, bw, bh;
    if(boxaGetBoxGeometry(ba, i, &bx, &by, &bw, &bh) != 0 ||
       (bx + bw > x0 && bx < x1))
      continue;
    PIX *mask = pixaGetPix(pa, i, L_CLONE);
    if(mask)
      pixPaintThroughMask(p, mask, bx, by, 0xff);
    pixDestroy(&mask);
  }
  boxaDestroy(&ba);
  pixaDestroy(&pa);
  pixDestroy(&bin);
}

/* Whitens, in the 8-bit crop p, a comma left of all the digits: a mark
 * at most NUM_MARK_SHARE of their height tall and wide, NUM_MARK_ASPECT
 * times as tall as wide or more, its foot on their baseline.  In a
 * right-to-left sentence the comma after a number stands at its left
 * ("بالرقم ٩٩٣٣٤٨٠٢٢٤،"); the band's box takes it in and the number reader
 * read it as a leading ٠ or 0 (4 numbers of the letters in bench-ocr's
 * heavy batches, seeds 7, 11 and 23: commas 6-7 px wide, 11-14 tall, by
 * digits 28-38 tall).  The Arabic-Indic and Persian zeros are as small
 * but round (7x7, 8x9: ۰۳/۰۴/۲۰۰۷ on a clean Noto Naskh form lost its
 * first zero without the aspect test) and stand higher. */
#define NUM_MARK_SHARE 0.5
#define NUM_MARK_ASPECT 1.4
#define NUM_MARK_FOOT 0.2
#define NUM_TALL_SHARE 0.6 /* of the tallest component: a digit */
#define NUM_SPECK_SHARE 0.1 /* as tall and wide at most: a speck, ignored */

static void clear_end_mark(PIX *p) {
  PIX *bin = pixThresholdToBinary(p, ink_threshold(p));
  BOXA *ba = bin ? pixConnComp(bin, NULL, 8) : NULL;
  pixDestroy(&bin);
  l_int32 n = ba ? boxaGetCount(ba) : 0, tall = 0, x, y, w, h;
  int top_h = 0, foot = -1, left = INT_MAX, mark = -1;
  for(l_int32 i = 0; i < n; i++)
    if(boxaGetBoxGeometry(ba, i, NULL, NULL, NULL, &h) == 0 && h > top_h)
      top_h = h;
  for(l_int32 i = 0; i < n; i++) {
    if(boxaGetBoxGeometry(ba, i, &x, &y, &w, &h) != 0 ||
       h < NUM_TALL_SHARE * top_h)
      continue;
    tall++;
    left = x < left ? x : left;
    foot = y + h > foot ? y + h : foot;
  }
  for(l_int32 i = 0; tall >= 2 && i < n; i++) {
    if(boxaGetBoxGeometry(ba, i, &x, &y, &w, &h) != 0 || x + w > left ||
       h > NUM_MARK_SHARE * top_h || w > NUM_MARK_SHARE * top_h ||
       h < NUM_MARK_ASPECT * w ||
       foot - (y + h) > NUM_MARK_FOOT * top_h ||
       (h <= NUM_SPECK_SHARE * top_h && w <= NUM_SPECK_SHARE * top_h))
      continue;
    if(mark >= 0) {
      mark = -1; /* two marks: not a lone comma */
      break;
    }
    mark = i;
  }
  if(mark >= 0 && boxaGetBoxGeometry(ba, mark, &x, &y, &w, &h) == 0) {
    BOX *b = boxCreate(x, y, w, h);
    if(b)
      pixSetInRectArbitrary(p, b, 0xff);
    boxDestroy(&b);
  }
  boxaDestroy(&ba);
}

/* 1 when the reading t fills at least NUM_FILL_MIN of the room the line
 * (number_line's crop: NUM_MARGIN round rows padded by NUM_ROW_PAD) has
 * for characters of its height.  The reader read the clean ٨٣٠,٠٠٠ as
 * "262" (psm 13, confidence 64): 3 characters where 7.8 fit. */
#define NUM_FILL_MIN 0.45

static int fills_line(const char *t, PIX *line) {
  int w = pixGetWidth(line) - 2 * NUM_MARGIN;
  int h = pixGetHeight(line) - 2 * (NUM_MARGIN + NUM_ROW_PAD);
  if(w <= 0 || h <= 0)
    return 1;
  double room = (double)w / (NUM_DIGIT_W_SHARE * h);
  return (double)utf8_count(t) >= NUM_FILL_MIN * room;
}

/* The run of p's rows holding its inkiest row, at gray threshold dark
 * (see number_line); 0 when p has no ink. */
static int ink_run(PIX *p, int dark, int *top, int *bottom) {
  l_int32 h = pixGetHeight(p);
  PIX *bin = pixThresholdToBinary(p, dark);
  NUMA *count = bin ? pixCountPixelsByRow(bin, NULL) : NULL;
  pixDestroy(&bin);
  const l_float32 *ink = count ? numaGetFArray(count, L_NOCOPY) : NULL;
  int best = 0, found = 0;
  for(int y = 1; ink && y < h; y++)
    best = ink[y] > ink[best] ? y : best;
  if(ink && ink[best] > 0) {
    l_float32 min = (l_float32)(int)(ink[best] * NUM_ROW_SHARE) + 1;
    *top = *bottom = best;
    while(*top > 0 && ink[*top - 1] >= min)
      (*top)--;
    while(*bottom + 1 < h && ink[*bottom + 1] >= min)
      (*bottom)++;
    found = 1;
  }
  numaDestroy(&count);
  return found;
}

static PIX *number_line(PIX *p, int box_h) {
  l_int32 w = pixGetWidth(p), h = pixGetHeight(p);
  int top = 0, bottom = (int)h - 1;
  if(ink_run(p, NUM_DARK, &top, &bottom)) {
    /* Rows far thinner than the word: faded ink, whose light strokes
     * NUM_DARK misses (ink_threshold). */
    if(bottom + 1 - top < NUM_THIN_SHARE * box_h) {
      int faded = ink_threshold(p);
      if(faded != NUM_DARK)
        ink_run(p, faded, &top, &bottom);
    }
    top = top > NUM_ROW_PAD ? top - NUM_ROW_PAD : 0;
    bottom = bottom + NUM_ROW_PAD < h - 1 ? bottom + NUM_ROW_PAD : (int)h - 1;
  }
  BOX *b = boxCreate(0, top, w, bottom + 1 - top);
  PIX *rows = b ? pixClipRectangle(p, b, NULL) : NULL;
  boxDestroy(&b);
  PIX *q = rows ? pixAddBorder(rows, NUM_MARGIN, 0xff) : NULL;
  pixDestroy(&rows);
  return q;
}

/* 1 when the reading hyp is an Eastern zero (٠ ۰) followed by the reading
 * rest. */
static int zero_before(const char *hyp, const char *rest) {
  return (strncmp(hyp, "\xd9\xa0", 2) == 0 ||
          strncmp(hyp, "\xdb\xb0", 2) == 0) &&
         strcmp(hyp + 2, rest) == 0 && rest[0];
}

/* 1 when the number crop line holds, left of its first digit, the ink of
 * an Eastern zero: its leftmost ink component is a dot (under half the
 * median component's height) whose centre lies at the middle of the
 * digits' rows, where ٠ and ۰ sit (measured on a heavy 200-dpi Noto Sans
 * number: its zeros' centres at 0.58 of the rows, 6-10 px from the next
 * digit, the digits 31 px tall), at a digit's spacing from the next
 * digit.  The raw-line reading puts a zero before numbers whose crop has
 * none there, only a speck of noise above the first digit (۰۴۷۵۱۱۳۹ for
 * ۴۷۵۱۱۳۹) or on the baseline two digits' widths before it (٠١٣٨٦٢٠١٦٨٠
 * for ١٣٨٦٢٠١٦٨٠, its centre at 0.98 of the rows, 22 px away), bench-extract
 * seed 5 heavy. */
#define ZERO_TOP_SHARE 0.3    /* a zero's centre lies between these */
#define ZERO_BOTTOM_SHARE 0.8 /* shares of the digits' rows */
#define ZERO_GAP_SHARE 0.5    /* ... and this close to the next digit */
static int cmp_int(const void *a, const void *b);
static int zero_inked(PIX *line) {
  PIX *bin = pixThresholdToBinary(line, ink_threshold(line));
  BOXA *ba = bin ? pixConnCompBB(bin, 8) : NULL;
  pixDestroy(&bin);
  int n = ba ? boxaGetCount(ba) : 0, inked = 1;
  int *h = n > 0 ? malloc((size_t)n * sizeof(*h)) : NULL;
  if(h) {
    int left = 0;
    l_int32 x, y, w, bh, lx = INT_MAX;
    for(int i = 0; i < n; i++) {
      boxaGetBoxGeometry(ba, i, &x, &y, &w, &bh);
      h[i] = bh;
      if(x < lx) {
        lx = x;
        left = i;
      }
    }
    int lh = h[left];
    qsort(h, (size_t)n, sizeof(*h), cmp_int);
    int med = h[n / 2], top = INT_MAX, bottom = -1;
    for(int i = 0; i < n; i++) { /* the digits' rows */
      boxaGetBoxGeometry(ba, i, &x, &y, &w, &bh);
      if(2 * bh >= med) {
        top = y < top ? y : top;
        bottom = y + bh > bottom ? y + bh : bottom;
      }
    }
    boxaGetBoxGeometry(ba, left, &x, &y, &w, &bh);
    double cy = y + bh / 2.0;
    l_int32 right = x + w, next = INT_MAX, nx, ny, nw, nh;
    for(int i = 0; i < n; i++) { /* the next ink to the right */
      boxaGetBoxGeometry(ba, i, &nx, &ny, &nw, &nh);
      if(i != left && nx >= right && nx < next)
        next = nx;
    }
    inked = 2 * lh < med && bottom > top &&
            cy >= top + ZERO_TOP_SHARE * (bottom - top) &&
            cy <= top + ZERO_BOTTOM_SHARE * (bottom - top) &&
            (next == INT_MAX || next - right <= ZERO_GAP_SHARE * med);
    free(h);
  }
  boxaDestroy(&ba);
  return inked;
}

#define DIGITS_KEY_MAX 64
/* The digits of t by value, as ASCII ("٧٨٣" and "۷۸۳" -> "783"), at most
 * cap - 1 of them. */
static void digit_key(const char *t, char *out, size_t cap) {
  size_t n = 0, len = t ? strlen(t) : 0, i = 0, adv = 0;
  while(i < len && n + 1 < cap) {
    int d = digit_value(utf8_decode(t + i, len - i, &adv));
    i += adv;
    if(d >= 0)
      out[n++] = (char)('0' + d);
  }
  out[n] = '\0';
}

/* 1 when a and b are one reading up to the style of their digits
 * (ASCII, Arabic-Indic, Persian): ۱۳۸۶ and ١٣٨٦. */
static int same_number(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b), i = 0, j = 0, adv_a = 0, adv_b = 0;
  while(i < na && j < nb) {
    uint32_t ca = utf8_decode(a + i, na - i, &adv_a);
    uint32_t cb = utf8_decode(b + j, nb - j, &adv_b);
    int da = digit_value(ca), db = digit_value(cb);
    if(da >= 0 ? da != db : ca != cb)
      return 0;
    i += adv_a;
    j += adv_b;
  }
  return i == na && j == nb;
}

/* The number reader's two readings c[0] and c[1] disagree: 2 or 3 when
 * c[2] (the band's reading) or c[3] (the page model's of the box) lies
 * between them, one digit from each where they are two apart; else -1.
 * Two readings that each err once seldom err at the same digit: on a
 * heavy 200-dpi DejaVu Sans SSN ٧٨٣٠٨٧٨٠٣٥ the reader read ٢٨٣٠٨٧٨٠٣٥ as a
 * line (87) and ٠٧٨٣٠٨٧٨٠٣٥ as a raw line (92), the band ۷۸۳۰۸۷۸۰۳۵
 * (41795/doc-02, bench-extract seed 5 heavy).  Nearest by summed distance
 * alone was tried and not kept: short garbage of the band (.1/7/1) sits
 * near everything. */
static int reading_between(const char *const c[4]) {
  char key[4][DIGITS_KEY_MAX];
  for(int k = 0; k < 4; k++) {
    key[k][0] = '\0';
    if(c[k] && number_style(c[k]) && !degenerate_number(c[k]))
      digit_key(c[k], key[k], sizeof(key[k]));
  }
  if(!key[0][0] || !key[1][0] || text_edit_distance(key[0], key[1]) != 2)
    return -1;
  for(int k = 2; k < 4; k++)
    if(key[k][0] && text_edit_distance(key[k], key[0]) == 1 &&
       text_edit_distance(key[k], key[1]) == 1)
      return k;
  return -1;
}

/* The reading of the box d (derivative pixels, padded by NUM_PAD) as a
 * number (band: the band's reading, with confidence band_conf): the page
 * model's most confident reading as a line (psm 7) and as a raw line
 * (psm 13) that is a number, unless the number reader's
 * reading is preferred (prefer_number_reading; *sure is then 1: it
 * replaces the band's reading whatever the confidences; NUM_SURE_AGREED
 * when the reader read it the same as a line and as a raw line).  *t is
 * NULL when no reading is a number.  With reader_only, the page model
 * does not read the box (a word of letters, which only the reader's
 * reading may replace). */
#define NUM_SURE_AGREED 2
static int read_number_box(struct ocr_engine *e, TessBaseAPI *api,
                           const ocr_prep *prep, const daftar_box *d,
                           const char *band, float band_conf,
                           int reader_only, char **t, int *conf, int *sure) {
  *t = NULL;
  *conf = -1;
  *sure = 0;
  int x0 = d->x0 - NUM_PAD, y0 = d->y0 - NUM_PAD;
  int x1 = d->x1 + NUM_PAD, y1 = d->y1 + NUM_PAD;
  x0 = x0 < 0 ? 0 : x0;
  y0 = y0 < 0 ? 0 : y0;
  x1 = x1 > prep->rot_w ? prep->rot_w : x1;
  y1 = y1 > prep->rot_h ? prep->rot_h : y1;
  BOX *b = boxCreate(x0, y0, x1 - x0, y1 - y0);
  PIX *p = b ? pixClipRectangle(prep->pix, b, NULL) : NULL;
  boxDestroy(&b);
  if(!p)
    return DAFTAR_ENOMEM;
  static const int psms[] = {PSM_SINGLE_LINE, PSM_RAW_LINE};
  int rc = DAFTAR_OK;
  for(int k = 0; k < 2 && !rc && !reader_only; k++) {
    char *ct = NULL;
    int c = -1;
    rc = read_number_pix(api, p, psms[k], &ct, &c);
    if(ct && c > *conf) {
      free(*t);
      *t = ct;
      *conf = c;
    } else {
      free(ct);
    }
  }
  if(!rc && e->num && strcmp(e->num_model, OCR_NUMBER_MODEL) == 0) {
    char *nt = NULL;
    int nc = -1;
    PIX *own = pixCopy(NULL, p);
    if(own) {
      clear_neighbours(own, d->x0 - x0, d->x1 - x0);
      clear_end_mark(own);
    }
    PIX *line = own ? number_line(own, d->y1 - d->y0) : NULL;
    pixDestroy(&own);
    /* Read as a line (psm 7) and as a raw line (psm 13): two readings
     * that agree are taken whatever their confidences (measured: clean
     * Amiri ٤٨٠٥٧١٣٩٢٦ read right both ways, at 0 as a raw line); else the
     * more confident. */
    char *rt[2] = {NULL, NULL};
    int rcf[2] = {-1, -1};
    for(int k = 0; k < 2 && line && !rc; k++) {
      rc = read_number_pix(e->num, line, psms[k], &rt[k], &rcf[k]);
      if(rt[k])
        unify_eastern_digits(rt[k]);
      if(rt[k] && (!number_style(rt[k]) || !fills_line(rt[k], line))) {
        free(rt[k]);
        rt[k] = NULL;
      }
    }
    int agree = rt[0] && rt[1] && strcmp(rt[0], rt[1]) == 0;
    /* The two agree but for a zero before one of them that the crop has
     * no ink for: they agree on the other. */
    for(int k = 0; k < 2 && !agree && rt[0] && rt[1] && !rc; k++) {
      if(zero_before(rt[k], rt[1 - k]) && !zero_inked(line)) {
        free(rt[k]);
        rt[k] = strdup(rt[1 - k]);
        if(!rt[k])
          rc = DAFTAR_ENOMEM;
        agree = rt[k] != NULL;
      }
    }
    pixDestroy(&line);
    if(agree) {
      nt = rt[0];
      nc = rcf[0] > rcf[1] ? rcf[0] : rcf[1];
      nc = nc > NUM_READER_MIN_CONF ? nc : NUM_READER_MIN_CONF;
      free(rt[1]);
    } else {
      /* They disagree: one that the page model's reading or the band's
       * confirms, else the more confident (psm 7 put a 6 before clean
       * 669753905065, which the raw line and the page model read right). */
      int k = rt[0] && (!rt[1] || rcf[0] >= rcf[1]) ? 0 : 1, confirmed = 0;
      for(int j = 0; j < 2; j++)
        if(rt[j] && ((*t && same_number(rt[j], *t)) ||
                     (band && same_number(rt[j], band)))) {
          k = j;
          confirmed = 1;
        }
      /* Not confirmed: the band's or the page model's reading between
       * the two leaves the page's words as read (reading_between). */
      const char *const cand[4] = {rt[0], rt[1], band, *t};
      int m = !confirmed && rt[0] && rt[1] ? reading_between(cand) : -1;
      if(m >= 2) {
        free(rt[0]);
        free(rt[1]);
        if(m == 2) { /* the band's words stay */
          free(*t);
          *t = NULL;
        }
        nt = NULL;
        goto voted;
      }
      nc = rcf[k];
      /* Else a well-formed grouped number beats a reading whose groups
       * are not (the clean Noto Naskh ۷۴۰٬۰۰۰ read ۷۴۰٬۰,۰ at 42 as a line
       * and right at 0 as a raw line, 06752/doc-02 of bench-extract's
       * seed 23), or one that reads its separators as digits (٤١٠٠٠٠٠ at
       * 91 beside ٤١٠,٠٠٠ at 89, 44636/doc-01 of bench-ocr's seed-11
       * heavy batch), at the better confidence and as sure as two
       * readings that agree. */
      int g = rt[0] && group_separators(rt[0]) ? 0 : 1; /* the grouped one */
      if(!confirmed && rt[0] && rt[1] && group_separators(rt[g]) &&
         !group_separators(rt[1 - g]) &&
         (has_group_mark(rt[1 - g]) ||
          separators_as_digits(rt[g], rt[1 - g]))) {
        nc = rcf[0] > rcf[1] ? rcf[0] : rcf[1];
        nc = nc > NUM_READER_MIN_CONF ? nc : NUM_READER_MIN_CONF;
        k = g;
      }
      nt = rt[k];
      free(rt[1 - k]);
    }
  voted:
    if(nt && prefer_number_reading(nt, nc, agree, *t, *conf, band,
                                   band_conf)) {
      free(*t);
      *t = nt;
      *conf = nc;
      *sure = agree ? NUM_SURE_AGREED : 1;
    } else {
      free(nt);
    }
  }
  pixDestroy(&p);
  if(rc) {
    free(*t);
    *t = NULL;
  }
  return rc;
}

/* 1 when word i + 1 may continue a number whose piece word i is: on the
 * same line, its box touching or nearly, and itself a number piece or a
 * garbled reading. */
static int number_continues(const ocr_page_result *r, const word_acc *acc,
                            size_t first, size_t i) {
  const daftar_word *a = &r->words[i], *b = &r->words[i + 1];
  if(a->line != b->line ||
     (!is_number_piece(b) && b->conf >= NUM_GARBLE_CONF))
    return 0;
  /* The gap to the run so far, not to its last piece: the band gives a
   * number's pieces out of order (۹ ٨٠٥۷ ٩ ٣٧٥ for ٨٠٥٩٤٤٩٣٧٥, Amiri,
   * 06759/doc-02 bench-extract seed 23 heavy), and the last one lay 61 px
   * from the piece before it but over the first. */
  int x0 = acc->dbox[first].x0, x1 = acc->dbox[first].x1;
  for(size_t k = first + 1; k <= i; k++) {
    x0 = acc->dbox[k].x0 < x0 ? acc->dbox[k].x0 : x0;
    x1 = acc->dbox[k].x1 > x1 ? acc->dbox[k].x1 : x1;
  }
  const daftar_box *p = &acc->dbox[i], *q = &acc->dbox[i + 1];
  int gap = (x0 > q->x0 ? x0 : q->x0) - (x1 < q->x1 ? x1 : q->x1);
  int h = p->y1 - p->y0 > q->y1 - q->y0 ? p->y1 - p->y0 : q->y1 - q->y0;
  return gap <= (int)(h * NUM_JOIN_SHARE);
}

/* A number word whose box has room for NUM_WIDE_EXTRA more digits than it
 * holds lost some (measured: 6240542 read as "2" in a box 4.2 heights
 * wide). */
#define NUM_WIDE_EXTRA 2

static int wider_than_read(const daftar_word *w, const daftar_box *d) {
  int h = d->y1 - d->y0;
  if(h <= 0)
    return 0;
  double room = (double)(d->x1 - d->x0) / (h * NUM_DIGIT_W_SHARE);
  return room >= (double)(utf8_count(w->text) + NUM_WIDE_EXTRA);
}

/* A number the band read split into pieces (words i..j) is read again as
 * one: cut out whole, it is read as a number more confidently than the
 * pieces' mean, it replaces them.  *merged: 1 when it did. */
static int reread_number_run(struct ocr_engine *e, TessBaseAPI *api,
                             const ocr_prep *prep, word_acc *acc,
                             ocr_page_result *out, size_t i, size_t j,
                             int *merged) {
  *merged = 0;
  daftar_box u = acc->dbox[i];
  double conf_sum = 0;
  size_t len = 0;
  for(size_t k = i; k <= j; k++) {
    const daftar_box *d = &acc->dbox[k];
    u.x0 = d->x0 < u.x0 ? d->x0 : u.x0;
    u.y0 = d->y0 < u.y0 ? d->y0 : u.y0;
    u.x1 = d->x1 > u.x1 ? d->x1 : u.x1;
    u.y1 = d->y1 > u.y1 ? d->y1 : u.y1;
    conf_sum += out->words[k].conf;
    len += utf8_count(out->words[k].text);
  }
  /* Too narrow to hold a number: nothing to read again. */
  if(len < NUM_MIN_LEN &&
     u.x1 - u.x0 < (int)(NUM_MIN_LEN * NUM_DIGIT_W_SHARE * (u.y1 - u.y0)))
    return DAFTAR_OK;
  /* The pieces together, as the band read them. */
  dbuf pieces = DBUF_INIT;
  int rc = DAFTAR_OK;
  for(size_t k = i; k <= j && !rc; k++)
    rc = dbuf_puts(&pieces, out->words[k].text);
  const char *band = rc ? NULL : dbuf_cstr(&pieces);
  char *t = NULL;
  int conf = -1, sure = 0;
  if(!rc && !band)
    rc = DAFTAR_ENOMEM;
  if(!rc)
    rc = read_number_box(e, api, prep, &u, band,
                         (float)(conf_sum / (double)(j + 1 - i)), 0, &t,
                         &conf, &sure);
  dbuf_free(&pieces);
  if(rc || !t)
    return rc;
  if(!sure && (double)conf <= conf_sum / (double)(j + 1 - i)) {
    free(t);
    return DAFTAR_OK;
  }
  daftar_word *w = &out->words[i];
  for(size_t k = i; k <= j; k++)
    free(out->words[k].text);
  w->text = t;
  w->conf = (float)conf;
  w->box = prep_box_to_master(prep, u.x0, u.y0, u.x1, u.y1);
  acc->dbox[i] = u;
  size_t tail = out->nwords - (j + 1);
  memmove(out->words + i + 1, out->words + j + 1, tail * sizeof(*out->words));
  memmove(acc->dbox + i + 1, acc->dbox + j + 1, tail * sizeof(*acc->dbox));
  out->nwords -= j - i;
  *merged = 1;
  return DAFTAR_OK;
}

/* 1 when words i and j of out lie on one line over one place (their
 * derivative boxes overlap by half the narrower). */
static int over_one_place(const ocr_page_result *out, const word_acc *acc,
                          size_t i, size_t j) {
  const daftar_box *a = &acc->dbox[i], *b = &acc->dbox[j];
  int lo = a->x0 > b->x0 ? a->x0 : b->x0, hi = a->x1 < b->x1 ? a->x1 : b->x1;
  int narrow = a->x1 - a->x0 < b->x1 - b->x0 ? a->x1 - a->x0 : b->x1 - b->x0;
  return out->words[i].line == out->words[j].line && 2 * (hi - lo) >= narrow;
}

/* Drops the words of r marked in drop (r->nwords flags, freed here),
 * keeping acc's derivative boxes beside the words. */
static void drop_marked_words(ocr_page_result *r, word_acc *acc,
                              unsigned char *drop) {
  size_t k = 0;
  for(size_t i = 0; i < r->nwords; i++) {
    if(drop[i]) {
      free(r->words[i].text);
      continue;
    }
    acc->dbox[k] = acc->dbox[i];
    r->words[k++] = r->words[i];
  }
  r->nwords = k;
  free(drop);
}

/* Drops a number that is part of a longer number read over the same
 * place, wherever the two stand in the word order: ۰۴۴۶۴۶ beside
 * ۸۸۶۴۰۴۴۶۴۶ (06758/doc-02, bench-extract seed 23 light); on a 200-dpi
 * form (44636/doc-01, seed 11 heavy) the junk "(1٤" over the right end of
 * the national ID was read again as ٩٦٤٤, with a ":" between it and the
 * ID, and the ID was extracted as 3205869696449644. */
static void drop_number_parts(ocr_page_result *out, word_acc *acc) {
  unsigned char *part = out->nwords ? calloc(2 * out->nwords, 1) : NULL;
  if(!part)
    return; /* the parts stay */
  unsigned char *num = part + out->nwords; /* one-style numbers */
  for(size_t i = 0; i < out->nwords; i++)
    num[i] = number_style(out->words[i].text) != 0;
  for(size_t i = 0; i < out->nwords; i++) {
    const char *t = out->words[i].text;
    for(size_t j = 0; j < out->nwords && num[i] && !part[i]; j++)
      part[i] = j != i && num[j] && strlen(out->words[j].text) > strlen(t) &&
                strstr(out->words[j].text, t) && over_one_place(out, acc, i, j);
  }
  drop_marked_words(out, acc, part);
}

/* Two pieces of one number the band read apart, each read again in a
 * box that holds the whole number, both come back as the whole number
 * ("٣١٢٢٤٨٩٦٨٢ ٣١٢٢٤٨٩٦٨٢" on a clean bench page): of adjacent words on
 * one line that are the same number with boxes overlapping by at least
 * half the narrower one, the second goes. */
static void drop_repeated_numbers(ocr_page_result *out, word_acc *acc) {
  size_t n = 0;
  for(size_t i = 0; i < out->nwords; i++) {
    daftar_word *w = &out->words[i];
    if(n > 0) {
      const daftar_word *p = &out->words[n - 1];
      int same_place = over_one_place(out, acc, n - 1, i);
      if(same_place &&
         number_style(w->text) && strcmp(p->text, w->text) == 0) {
        free(w->text);
        continue;
      }
      /* The same number read twice over one place, once garbled
       * ("26/02/198(" beside "26/02/1980", 13784/doc-01 seed 7 heavy):
       * the clean reading stays, over both boxes -- unless it has fewer
       * digits: a leader's dot read "0" beside the wage read "۳۷۵00"
       * (44635/doc-01, seed 11 heavy) is no reading of the wage, which
       * then stays. */
      if(same_place &&
         is_number_piece(p) && is_number_piece(w) &&
         !number_style(p->text) != !number_style(w->text)) {
        daftar_word *keep = &out->words[n - 1];
        daftar_box u = daftar_box_union(keep->box, w->box);
        const char *clean = number_style(w->text) ? w->text : p->text;
        const char *garbled = clean == w->text ? p->text : w->text;
        const char *stays =
            digit_count(clean) >= digit_count(garbled) ? clean : garbled;
        if(stays == w->text) {
          free(keep->text);
          *keep = *w;
          acc->dbox[n - 1] = acc->dbox[i];
        } else {
          free(w->text);
        }
        keep->box = u;
        continue;
      }
    }
    out->words[n] = *w;
    acc->dbox[n++] = acc->dbox[i];
  }
  out->nwords = n;
}

/* The box of word i widened, left and right, over the ink of its rows
 * (bin: the derivative binarized) that no other word of its line covers,
 * across gaps up to NUM_EXTEND_GAP of its height: the band's box of a
 * number may hold only part of it (١,٩٢٠ of a heavy 200-dpi ١,٩٢٠,٠٠٠,
 * its ,٠٠٠ left over, 06758/doc-01 of bench-extract's seed 23).  0 when
 * it does not grow by a digit's width at least. */
#define NUM_EXTEND_GAP 0.5

static int extend_over_ink(PIX *bin, const ocr_page_result *out,
                           const word_acc *acc, size_t i, daftar_box *ext) {
  const daftar_box *d = &acc->dbox[i];
  int h = d->y1 - d->y0, w = (int)pixGetWidth(bin);
  if(h <= 0 || d->y0 < 0 || d->y1 > (int)pixGetHeight(bin))
    return 0;
  BOX *rows = boxCreate(0, d->y0, w, h);
  PIX *strip = rows ? pixClipRectangle(bin, rows, NULL) : NULL;
  boxDestroy(&rows);
  NUMA *cols = strip ? pixCountPixelsByColumn(strip) : NULL;
  pixDestroy(&strip);
  if(!cols)
    return 0;
  const l_float32 *v = numaGetFArray(cols, L_NOCOPY);
  unsigned char *covered = calloc((size_t)w, 1);
  if(!covered) {
    numaDestroy(&cols);
    return 0;
  }
  for(size_t k = 0; k < out->nwords; k++) {
    const daftar_box *o = &acc->dbox[k];
    if(k == i || out->words[k].line != out->words[i].line)
      continue;
    for(int x = o->x0 < 0 ? 0 : o->x0; x < o->x1 && x < w; x++)
      covered[x] = 1;
  }
  int gap_max = (int)(h * NUM_EXTEND_GAP);
  *ext = *d;
  for(int dir = -1; dir <= 1; dir += 2) {
    int x = dir < 0 ? d->x0 - 1 : d->x1, gap = 0;
    for(; x >= 0 && x < w && !covered[x] && gap <= gap_max; x += dir) {
      if(v[x] < 1) {
        gap++;
        continue;
      }
      gap = 0;
      if(dir < 0)
        ext->x0 = x;
      else
        ext->x1 = x + 1;
    }
  }
  free(covered);
  numaDestroy(&cols);
  return (ext->x1 - ext->x0) - (d->x1 - d->x0) >=
         (int)(NUM_DIGIT_W_SHARE * h);
}

/* Number words read again cut out of their line with the default model.
 * First a number the band read split into adjacent pieces (with garbled
 * pieces between them) is read whole: with a dotted leader whitened
 * before it, the band read 393305485482 as "2" ")5485" "39330", digits
 * lost between the pieces that no piece read alone can get back, while
 * the number cut out whole reads exactly.  Then each word of NUM_MIN_LEN
 * code points or more, NUM_MIN_SHARE digits (or a shorter one in a box
 * wide enough for more digits): the most confident reading that is still
 * a number replaces the band's when more confident.  Measured on 12 light
 * pages: digit CER 24.5% -> 20.4%, number recall 45% -> 55%; the pieces
 * read whole: 14 light ASCII-digit pages (seed 11) digit CER 19.5% ->
 * 8.7%, number recall 75% -> 87%.  The Persian model in this role made it
 * worse (its confidence is high on wrong readings of Arabic-Indic ٤ ٥ ٦).
 * The number reader reads each box too, cut to its line of digits in a
 * white margin (number_line), and its reading replaces the others' when
 * prefer_number_reading says so: 12 light / 12 heavy bench pages digit
 * CER 8.97% -> 2.63% / 16.63% -> 12.25%, number recall 81.1% -> 92.5% /
 * 77.4% -> 88.7% (docs/OCR.md). */
static int reread_numbers(struct ocr_engine *e, TessBaseAPI *api,
                          const ocr_prep *prep, word_acc *acc,
                          ocr_page_result *out) {
  size_t run_end = 0; /* a run not merged is not tried again in part */
  PIX *bin = NULL;     /* the derivative binarized, when first needed */
  for(size_t i = 0; i < out->nwords; i++) {
    size_t j = i; /* the run: words i..j */
    while(is_number_piece(&out->words[i]) && j + 1 < out->nwords &&
          number_continues(out, acc, i, j))
      j++;
    if(j > i && j >= run_end) {
      int merged = 0;
      int rc = reread_number_run(e, api, prep, acc, out, i, j, &merged);
      if(rc) {
        pixDestroy(&bin);
        return rc;
      }
      run_end = merged ? i + 1 : j + 1;
      if(merged)
        continue;
    }
    daftar_word *w = &out->words[i];
    /* A garbled word holding a digit, or no letter of the Arabic script,
     * may be a number too: the band read the Amiri ١,١٧٥,٠٠٠ as "°,0" at
     * confidence 0, the Noto Naskh ۲٬۳۲۵٬۰۰۰ as ";.*" (06758/doc-02,
     * seed 23, a clean table form); the Arabic model, which knows Latin
     * letters, read the table cells ٢٨/٧/٢٠٢٤ (06754/doc-01, seed 23
     * heavy) and 5731436295 (a heavy 200-dpi Sorani form) as "é" and
     * "ûıı" at 0. */
    int garbled = w->conf < NUM_GARBLE_CONF &&
                  (digit_share(w->text) > 0 || !has_arabic_letter(w->text));
    /* A word of letters read at low confidence may be a number as well:
     * the band read the DejaVu Sans ۸۲۰٬۰۰۰ of a heavy table form as
     * "ێلل" at 34 (44637/doc-01, seed 11).  The reader's reading is taken
     * only when read the same as a line and as a raw line and shaped as a
     * grouped number or a date: with any sure reading, لەدایکبوون became
     * 99-4-144 and هاویتج 68,814 on the heavy bench pages. */
    int lettered = w->conf < NUM_GARBLE_CONF && !garbled;
    if((digit_share(w->text) < NUM_MIN_SHARE && !garbled && !lettered) ||
       (utf8_count(w->text) < NUM_MIN_LEN &&
        !wider_than_read(w, &acc->dbox[i])))
      continue;
    char *t = NULL;
    int conf = -1, sure = 0;
    int rc = read_number_box(e, api, prep, &acc->dbox[i], w->text, w->conf,
                             lettered, &t, &conf, &sure);
    daftar_box ext;
    if(!rc && !sure && !lettered && !bin && !(bin = prep_binarize(prep->pix)))
      rc = DAFTAR_ENOMEM;
    else if(!rc && !sure && !lettered &&
            extend_over_ink(bin, out, acc, i, &ext)) {
      /* Not read surely: once more over the ink beside the box, by the
       * number reader alone (only its sure reading is taken). */
      char *t2 = NULL;
      int conf2 = -1, sure2 = 0;
      rc = read_number_box(e, api, prep, &ext, w->text, w->conf, 1, &t2,
                           &conf2, &sure2);
      if(!rc && t2 && sure2) {
        free(t);
        t = t2;
        conf = conf2;
        sure = sure2;
        acc->dbox[i] = ext;
        w->box = prep_box_to_master(prep, ext.x0, ext.y0, ext.x1, ext.y1);
      } else {
        free(t2);
      }
    }
    if(rc) {
      free(t);
      pixDestroy(&bin);
      return rc;
    }
    if(t && lettered && !(sure == NUM_SURE_AGREED &&
                          (group_separators(t) || date_separators(t) >= 2))) {
      free(t);
      t = NULL;
    }
    if(!t)
      continue;
    if(sure || (float)conf > w->conf || completes_date(t, w->text)) {
      free(w->text);
      w->text = t;
      w->conf = (float)conf;
    } else {
      free(t);
    }
  }
  pixDestroy(&bin);
  drop_repeated_numbers(out, acc);
  drop_number_parts(out, acc);
  return DAFTAR_OK;
}

/* In a right-to-left line, Arabic-Indic digit groups joined by '-' are
 * laid out right to left (the bidi algorithm joins a '-' between European
 * digits to them, not one between Arabic-Indic digits), and Tesseract
 * gives them in the order they stand on the page, left to right: the date
 * ١٩٨٨-٠٣-٠٢ comes out as ٠٢-٠٣-١٩٨٨, whatever the model.  A word that is
 * only such groups gets them back in their written order, in place.
 * Measured: every Arabic-Indic yyyy-mm-dd date of the bench pages came out
 * reversed (docs/OCR.md). */
#define DATE_GROUPS_MAX 4

static void order_date_groups(char *t) {
  const char *g[DATE_GROUPS_MAX];
  size_t gl[DATE_GROUPS_MAX], n = 0, len = strlen(t);
  const unsigned char *u = (const unsigned char *)t;
  for(size_t i = 0; i < len;) {
    size_t start = i;
    while(i + 1 < len && u[i] == 0xD9 && u[i + 1] >= 0xA0 && u[i + 1] <= 0xA9)
      i += 2;
    if(i == start || n == DATE_GROUPS_MAX)
      return; /* an empty group or something else than these digits */
    g[n] = t + start;
    gl[n++] = i - start;
    if(i < len && u[i++] != '-')
      return;
    if(i == len && u[len - 1] == '-')
      return;
  }
  if(n < 2 || len >= 64)
    return;
  char buf[64];
  size_t o = 0;
  for(size_t k = n; k-- > 0;) {
    memcpy(buf + o, g[k], gl[k]);
    o += gl[k];
    if(k)
      buf[o++] = '-';
  }
  memcpy(t, buf, len);
}

/* A band's line that psm 6 returned as two or more Tesseract lines is
 * read again alone (psm 7), and so is a line read weakly (below) and one
 * the band read less than half of (band_missed_most: on a heavy 200-dpi
 * form the band read the signature line as "نوت ۰" at 72 and 67, and the
 * repair read the rest in pieces; alone it reads whole, 13782/doc-02,
 * seed 7 heavy).
 * Measured on letters (docs/OCR.md, step 9a): Tesseract's layout within a
 * band cuts the short last line of a paragraph, or a lone line, into
 * partial or repeated lines, or shreds it into one-word lines; the same
 * line read alone reads whole.  A profile
 * line more than SPLIT_MAX_H_SHARE times the page's median line height
 * may hold two touching text lines and is left as read. */
#define SPLIT_MAX_H_SHARE 1.5
#define SPLIT_LINE_MIN_CONF 50.0f
/* A line read weakly in its band (mean confidence of its words, by code
 * points, under WEAK_LINE_CONF) is read alone too, and the reading alone
 * kept when WEAK_LINE_GAIN more confident and holding WEAK_LINE_KEEP of
 * the band's code points (junk not counted).  The short closing line of a
 * clean DejaVu Sans letter, مع الشكر والتقدير., came back from its band as
 * "مخ آلشگز والتقلاير." (10 to 69) and reads right alone (13782/doc-03,
 * bench-ocr's seed 7, light).  Without the code points, the line of a
 * faded ID read alone gained confidence by leaving the ID out
 * (44636/doc-01, seed 11 heavy).  A line of one word is left as read:
 * پێویست، at 37 read alone as پێوراست ۰ at 65 (13785/doc-03, seed 7
 * heavy). */
#define WEAK_LINE_CONF 60.0
#define WEAK_LINE_GAIN 10.0
#define WEAK_LINE_KEEP 0.8
#define WEAK_LINE_MIN_WORDS 2

/* Mean confidence of words[first..last] (not junk), by code points, and
 * in *cps their code points; -1 when there is none. */
static double words_conf(const ocr_page_result *r, size_t first, size_t last,
                         double *cps) {
  double sum = 0, n = 0;
  for(size_t i = first; i <= last && i < r->nwords; i++) {
    if(is_junk(&r->words[i]))
      continue;
    double k = (double)utf8_count(r->words[i].text);
    sum += k * r->words[i].conf;
    n += k;
  }
  *cps = n;
  return n > 0 ? sum / n : -1;
}

/* 1 when the reading alone x replaces a weak line's words, read at weak
 * holding cps code points (WEAK_LINE_GAIN, WEAK_LINE_KEEP). */
static int reads_better(const ocr_page_result *x, double weak, double cps) {
  double xcps = 0;
  return x->nwords > 0 &&
         words_conf(x, 0, x->nwords - 1, &xcps) >= weak + WEAK_LINE_GAIN &&
         xcps >= WEAK_LINE_KEEP * cps;
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The median of v[0..n) (sorted in place); 0 when n is 0. */
static int median_of(int *v, size_t n) {
  qsort(v, n, sizeof(*v), cmp_int);
  return n ? v[n / 2] : 0;
}

static int median_line_height(const ocr_prep *prep) {
  int h[PREP_MAX_LINES], n = prep->nlines;
  for(int i = 0; i < n; i++)
    h[i] = prep->lines[i].bottom - prep->lines[i].top;
  return median_of(h, (size_t)n);
}

/* The span [*x0, *x1) of ink on line ln that words b0.. (not junk) leave
 * uncovered, as the repair would read it; 1 when that ink is wider than
 * the ink the words cover (the band read less than half of the line). */
static int band_missed_most(const ocr_prep *prep, const text_band *ln,
                            const ocr_page_result *out, const word_acc *acc,
                            size_t b0, int *x0, int *x1) {
  unsigned char *covered = calloc((size_t)prep->rot_w, 1);
  PIX *bin = covered ? line_ink(prep, ln) : NULL;
  NUMA *cols = bin ? pixCountPixelsByColumn(bin) : NULL;
  int missed = 0;
  if(cols) {
    for(size_t w = b0; w < out->nwords; w++) {
      const daftar_box *d = &acc->dbox[w];
      if(dcy(d) < ln->top || dcy(d) >= ln->bottom || is_junk(&out->words[w]))
        continue;
      int a = d->x0 - SEG_COVER_MARGIN, b = d->x1 + SEG_COVER_MARGIN;
      for(int c = a < 0 ? 0 : a; c < b && c < prep->rot_w; c++)
        covered[c] = 1;
    }
    const l_float32 *v = numaGetFArray(cols, L_NOCOPY);
    int inked = 0, wide = 0;
    for(int c = 0; c < prep->rot_w; c++)
      inked += covered[c] && v[c] >= 1;
    seg sg[SEG_MAX];
    int ns = uncovered_runs(bin, covered, sg, SEG_MAX);
    for(int k = 0; k < ns; k++) {
      wide += sg[k].x1 - sg[k].x0;
      *x0 = sg[k].x0 < *x0 ? sg[k].x0 : *x0;
      *x1 = sg[k].x1 > *x1 ? sg[k].x1 : *x1;
    }
    missed = ns > 0 && wide > inked;
  }
  numaDestroy(&cols);
  pixDestroy(&bin);
  free(covered);
  return missed;
}

static int reread_lines_alone(struct ocr_engine *e, TessBaseAPI *api,
                              const ocr_prep *prep, const text_band *bd,
                              size_t b0, int page_no, word_acc *acc,
                              ocr_page_result *out) {
  int rc = DAFTAR_OK;
  double max_h = SPLIT_MAX_H_SHARE * median_line_height(prep);
  for(int i = 0; i < prep->nlines && rc == DAFTAR_OK; i++) {
    const text_band *ln = &prep->lines[i];
    int mid = (ln->top + ln->bottom) / 2;
    if(mid < bd->top || mid >= bd->bottom || ln->bottom - ln->top > max_h)
      continue;
    size_t first = out->nwords, last = 0, n = 0;
    int lines = 0, prev = 0, x0 = prep->rot_w, x1 = 0;
    int wx0 = prep->rot_w, wx1 = 0; /* the words not junk */
    for(size_t w = b0; w < out->nwords; w++) {
      const daftar_box *d = &acc->dbox[w];
      if(dcy(d) < ln->top || dcy(d) >= ln->bottom)
        continue;
      x0 = d->x0 < x0 ? d->x0 : x0;
      x1 = d->x1 > x1 ? d->x1 : x1;
      if(!is_junk(&out->words[w])) {
        wx0 = d->x0 < wx0 ? d->x0 : wx0;
        wx1 = d->x1 > wx1 ? d->x1 : wx1;
      }
      /* A line counts by a word read with some confidence: a band's
       * extra line of specks (heavy scans) is not a cut line. */
      const daftar_word *wd = &out->words[w];
      if((lines == 0 || wd->line != prev) && !is_junk(wd) &&
         wd->conf >= SPLIT_LINE_MIN_CONF) {
        lines++;
        prev = wd->line;
      }
      if(first == out->nwords)
        first = w;
      last = w;
      n++;
    }
    /* Only a run of words of ln alone, cut into lines or read weakly, is
     * replaced; a line cut into lines may have words of another line
     * among its own (the band read ln's words as rows of one or two, and
     * a piece of the line below between them): those stay. */
    double cps = 0, weak = n > 0 ? words_conf(out, first, last, &cps) : -1;
    int split = lines >= 2;
    if(weak < 0 || (last + 1 - first != n && !split))
      continue;
    /* A line the band read only in part is read alone over all its ink,
     * words and what the repair would read beside them. */
    int mx0 = prep->rot_w, mx1 = 0, missed = 0;
    if(!split && (weak >= WEAK_LINE_CONF || n < WEAK_LINE_MIN_WORDS)) {
      missed = band_missed_most(prep, ln, out, acc, b0, &mx0, &mx1);
      if(!missed)
        continue;
    }
    ocr_page_result x;
    memset(&x, 0, sizeof(x));
    word_acc xacc = {0, NULL};
    /* Only the part the band read: ink beside it is the repair's.  A
     * weak line's words may have cut a letter at its ends (the band's
     * "دير" of مدير), so it is read with half its height round it; when
     * that is no better, with a quarter of it above and below as well
     * (the line's rows had cut the dots under البشرية, read اليشرية; the
     * same rows round مطعم الواحة read it worse). */
    int pad = SEG_PAD;
    if(!split) { /* specks read as junk far out on the line do not count */
      pad = (ln->bottom - ln->top) / 2;
      x0 = wx0 < mx0 ? wx0 : mx0;
      x1 = wx1 > mx1 ? wx1 : mx1;
    }
    x0 = x0 - pad < 0 ? 0 : x0 - pad;
    x1 = x1 + pad > prep->rot_w ? prep->rot_w : x1 + pad;
    rc = read_segment(e, api, prep, ln, x0, x1, page_no, &x, &xacc);
    drop_junk_words(&x, &xacc);
    int better = !rc && (split ? x.nwords > 0 : reads_better(&x, weak, cps));
    if(!rc && !better && !split) {
      text_band rows = *ln;
      rows.top = ln->top - pad / 2 < 0 ? 0 : ln->top - pad / 2;
      rows.bottom = ln->bottom + pad / 2 > prep->rot_h ? prep->rot_h
                                                       : ln->bottom + pad / 2;
      clear_reading(&x, &xacc);
      rc = read_segment(e, api, prep, &rows, x0, x1, page_no, &x, &xacc);
      drop_junk_words(&x, &xacc);
      better = !rc && reads_better(&x, weak, cps);
    }
    if(better) {
      daftar_log(DLOG_DEBUG, "ocr: page %d: rows %d-%d came back as %d "
                 "lines at %.0f; read alone", page_no, ln->top, ln->bottom,
                 lines, weak);
      int block = out->words[first].block, para = out->words[first].para,
          line = out->words[first].line;
      size_t k = first; /* ln's words go, the others move up */
      for(size_t w = first; w <= last; w++) {
        if(dcy(&acc->dbox[w]) >= ln->top && dcy(&acc->dbox[w]) < ln->bottom) {
          free(out->words[w].text);
          continue;
        }
        out->words[k] = out->words[w];
        acc->dbox[k++] = acc->dbox[w];
      }
      size_t tail = out->nwords - (last + 1);
      memmove(out->words + k, out->words + last + 1,
              tail * sizeof(*out->words));
      memmove(acc->dbox + k, acc->dbox + last + 1,
              tail * sizeof(*acc->dbox));
      out->nwords -= n;
      rc = insert_words(out, acc, first, &x, &xacc, block, para, line);
    }
    daftar_words_free(x.words, x.nwords);
    free(xacc.dbox);
  }
  return rc;
}

/* Specks read as words.  Noise that survives the cleanup (on heavy scans:
 * clumps of pepper, dust beside a line, a rule's remnant) comes back as a
 * word of one or two characters: "٠" "۰" "." "ˆ" at a line's end, "ا" for
 * a rule's remnant, "2" far out in the margin.  Such a word goes when one
 * of these holds, each relative to the page's median word height (words
 * of three code points or more; all in derivative pixels, where the page
 * stands upright):
 *  - the word's box is under SPECK_WORD_SHARE of it in both directions (no
 *    letter, digit or dash is that small; a period is, alone it is lost);
 *  - read under SPECK_WORD_CONF, with no word of three code points or more
 *    within SPECK_WORD_GAP of it on its line, or alone on its line and
 *    holding no digit;
 *  - only zeros and dot-like marks (SPECK_MARKS), read under
 *    SPECK_MARK_CONF, standing SPECK_MARK_GAP or more from every other word
 *    of its line (a lone value after "label:" stands about 0.3 from it).
 * Measured on the words of 58 bench pages (seed 7, forms and letters,
 * light and heavy): 126 one- or two-character words that are in no truth,
 * none that is (docs/OCR.md step 10a). */
#define SPECK_WORD_SHARE 0.08
#define SPECK_WORD_CONF 50.0f
#define SPECK_WORD_GAP 3.0
#define SPECK_MARK_CONF 70.0f
#define SPECK_MARK_GAP 0.5
static const char *const speck_marks[] = {
    "\u0660", "\u06F0", "0", ".", ",", "\u060C", ":", "'", "`", "\u02C6"};

/* How many of marks[0..n) t is made of; 0 when t holds anything else. */
static size_t marks_only(const char *t, const char *const *marks, size_t n) {
  size_t count = 0;
  while(*t) {
    size_t k = 0;
    while(k < n && strncmp(t, marks[k], strlen(marks[k])) != 0)
      k++;
    if(k == n)
      return 0;
    t += strlen(marks[k]);
    count++;
  }
  return count;
}

/* 1 when t is made of speck_marks only. */
static int only_speck_marks(const char *t) {
  return marks_only(t, speck_marks,
                    sizeof(speck_marks) / sizeof(*speck_marks)) > 0;
}

static int median_word_height(const ocr_page_result *r, const daftar_box *d) {
  int *h = malloc((r->nwords + 1) * sizeof(*h));
  size_t n = 0;
  if(!h)
    return 0;
  for(size_t i = 0; i < r->nwords; i++)
    if(utf8_count(r->words[i].text) >= 3)
      h[n++] = d[i].y1 - d[i].y0;
  int m = median_of(h, n);
  free(h);
  return m;
}

static int box_gap(const daftar_box *a, const daftar_box *b) {
  int g = a->x0 > b->x1 ? a->x0 - b->x1 : b->x0 - a->x1;
  return g > 0 ? g : 0;
}

/* A dotted leader read as a word: LEADER_WORD_MIN or more code points,
 * all dots, commas or zeros (".................،", a 24-zero "number").
 * The cleanup whitens most leaders (cleanup.c); the rest, left where a
 * leader's dots were uneven or its line height misjudged, came back as
 * such words on 15 of the 116 bench pages.  No number is all zeros and no
 * word all dots. */
#define LEADER_WORD_MIN 4
static const char *const leader_marks[] = {".", ",", "\u060C", "\u0660",
                                           "\u06F0", "0", "\u2026"};

static int is_leader_word(const char *t) {
  return marks_only(t, leader_marks,
                    sizeof(leader_marks) / sizeof(*leader_marks)) >=
         LEADER_WORD_MIN;
}

static int is_speck_word(const ocr_page_result *r, const daftar_box *d,
                         size_t i, int mh) {
  const daftar_word *w = &r->words[i];
  if(utf8_count(w->text) > OCR_JUNK_MAX_CHARS)
    return 0;
  if(d[i].x1 - d[i].x0 < SPECK_WORD_SHARE * mh &&
     d[i].y1 - d[i].y0 < SPECK_WORD_SHARE * mh)
    return 1;
  int mark = w->conf < SPECK_MARK_CONF && only_speck_marks(w->text);
  if(w->conf >= SPECK_WORD_CONF && !mark)
    return 0;
  int others = 0, near = 0, beside = 0;
  for(size_t j = 0; j < r->nwords; j++) {
    if(j == i || r->words[j].line != w->line || is_junk(&r->words[j]))
      continue;
    int gap = box_gap(&d[i], &d[j]);
    others = 1;
    near |= utf8_count(r->words[j].text) >= 3 && gap < SPECK_WORD_GAP * mh;
    beside |= gap < SPECK_MARK_GAP * mh;
  }
  if(mark && !beside)
    return 1;
  if(w->conf >= SPECK_WORD_CONF)
    return 0;
  /* Alone on its line: the top of a letter read as a line of its own
   * ("ص" over ئا, 13783/doc-02 seed 7 heavy); a lone number stays. */
  return others ? !near : digit_share(w->text) == 0;
}

/* A lone alef whose box is wider than tall: an alef is a vertical stroke,
 * so this is a horizontal one, a table rule's or underline's piece the
 * model read as ا.  16 of the 20 lone alefs on bench-extract's heavy
 * 48-form batches (seeds 5, 11, 13) were so, 1.4 to 6 times wider than
 * tall ("صالح كريم كريم ا", 44650/doc-02 of seed 11); the real ones, a
 * letter split off its word, were 0.14 to 0.46.  Derivative boxes: the
 * page upright. */
static int is_rule_read_as_alef(const char *t, const daftar_box *d) {
  static const char *const alefs[] = {"\u0627", "\u0623", "\u0625",
                                      "\u0622"};
  for(size_t k = 0; k < sizeof(alefs) / sizeof(*alefs); k++)
    if(strcmp(t, alefs[k]) == 0)
      return d->x1 - d->x0 > d->y1 - d->y0;
  return 0;
}

/* A dot read before a word that begins with a letter is a speck glued to
 * it (".واژۆ", ".توقيع" on seed 7 heavy forms): no word of Arabic
 * script begins with a full stop. */
static void strip_leading_dots(ocr_page_result *r) {
  for(size_t i = 0; i < r->nwords; i++) {
    char *t = r->words[i].text;
    size_t k = strspn(t, ".");
    size_t n = strlen(t + k), adv = 0;
    if(k == 0 || n == 0 || !arabic_letter(utf8_decode(t + k, n, &adv)))
      continue;
    memmove(t, t + k, n + 1);
  }
}

/* Drops the speck words and the junk ones (is_junk), keeping acc's
 * derivative boxes beside the words. */
static void drop_speck_words(ocr_page_result *r, word_acc *acc) {
  int mh = median_word_height(r, acc->dbox);
  unsigned char *drop = r->nwords ? calloc(r->nwords, 1) : NULL;
  if(!drop)
    return; /* the words stay as read; drop_junk_words still runs */
  for(size_t i = 0; i < r->nwords; i++)
    drop[i] = is_junk(&r->words[i]) || is_leader_word(r->words[i].text) ||
              is_rule_read_as_alef(r->words[i].text, &acc->dbox[i]) ||
              (mh > 0 && is_speck_word(r, acc->dbox, i, mh));
  drop_marked_words(r, acc, drop);
}

/* 1 when t holds a letter of the Arabic script. */
static int has_arabic_letter(const char *t) {
  size_t n = strlen(t), i = 0, adv = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(t + i, n - i, &adv);
    i += adv;
    if(arabic_letter(cp))
      return 1;
  }
  return 0;
}

/* Puts the words of each right-to-left line in reading order, right to
 * left by their boxes' centres.  A word read again (a number, a line a
 * band cut) can come back out of place: on a page skewed 3.7° the wage
 * stood higher than its label and came first ("1650000 الراتب الشهري",
 * 13782/doc-01 p2 seed 7 heavy), and the ID before its label on
 * 13784/doc-01.  A line with no Arabic letter keeps Tesseract's order. */
static void order_rtl_lines(ocr_page_result *r, word_acc *acc) {
  size_t a = 0;
  while(a < r->nwords) {
    size_t b = a + 1;
    int rtl = has_arabic_letter(r->words[a].text);
    while(b < r->nwords && r->words[b].line == r->words[a].line)
      rtl |= has_arabic_letter(r->words[b++].text);
    for(size_t i = a + 1; rtl && i < b; i++) /* insertion sort: stable */
      for(size_t j = i; j > a && dcx(&acc->dbox[j - 1]) < dcx(&acc->dbox[j]);
          j--) {
        daftar_word t = r->words[j];
        daftar_box tb = acc->dbox[j];
        r->words[j] = r->words[j - 1];
        acc->dbox[j] = acc->dbox[j - 1];
        r->words[j - 1] = t;
        acc->dbox[j - 1] = tb;
      }
    a = b;
  }
}

/* One recognition pass over the prepared page into out (cleared first):
 * band by band when cleanup found bands, else the page as one block.
 * Bands are cropped copies: Tesseract 5.3 with SetRectangle on this
 * model read garbage (measured), a cropped image reads right. */
static int recognize_with(struct ocr_engine *e, TessBaseAPI *api,
                          const ocr_prep *prep, int page_no,
                          ocr_page_result *out) {
  int rc = DAFTAR_OK;
  word_acc acc = {0, NULL};
  ocr_page_result_clear(out);
  word_origin org = {0, 0, 0, 0, 0};
  if(prep->nbands == 0)
    rc = recognize_region(e, api, prep, prep->pix, e->psm, &org, page_no,
                          &acc, out);
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
    size_t b0 = out->nwords;
    int first_line = b0 > 0 ? out->words[b0 - 1].line + 1 : 1;
    rc = recognize_region(e, api, prep, band, e->psm, &org, page_no, &acc,
                          out);
    pixDestroy(&band);
    if(!rc)
      rc = reread_lines_alone(e, api, prep, bd, b0, page_no, &acc, out);
    if(!rc && (prep->flags & OCR_PREP_REPAIR))
      rc = repair_band(e, api, prep, bd, b0, first_line, page_no, &acc, out);
  }
  if(!rc)
    rc = reread_numbers(e, api, prep, &acc, out);
  if(!rc) {
    order_rtl_lines(out, &acc);
    drop_speck_words(out, &acc);
    strip_leading_dots(out);
  }
  free(acc.dbox);
  if(rc)
    return rc;
  unify_page_digits(out);
  for(size_t i = 0; i < out->nwords; i++)
    order_date_groups(out->words[i].text);
  drop_junk_words(out, NULL);
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

/* A Sorani page read by both models: a word of the kept reading that the
 * Sorani lexicon does not know takes the other reading's word over the
 * same place (boxes overlapping by MERGE_MIN_IOU) when the lexicon knows
 * that one.  The two models fail on different words: on a faded DejaVu
 * Sans page (13785/doc-01, seed 7 heavy) the Sorani model lost the dots of
 * ت ن ی (وەرارەی, کۆمەلاسەنی) where Arabic read them, while Arabic loses
 * ڵ ێ that the Sorani model reads (docs/OCR.md, "Both readings"). */
#define MERGE_MIN_IOU 0.5
/* ... and when the two readings differ in at most this share of the
 * longer one's code points, and in length by at most 2 or a quarter. */
#define MERGE_MAX_EDIT_SHARE 0.67

/* The area a and b share. */
static double overlap_area(const daftar_box *a, const daftar_box *b) {
  int x0 = a->x0 > b->x0 ? a->x0 : b->x0, x1 = a->x1 < b->x1 ? a->x1 : b->x1;
  int y0 = a->y0 > b->y0 ? a->y0 : b->y0, y1 = a->y1 < b->y1 ? a->y1 : b->y1;
  return x1 > x0 && y1 > y0 ? (double)(x1 - x0) * (y1 - y0) : 0.0;
}

static double box_area(const daftar_box *a) {
  return (double)(a->x1 - a->x0) * (a->y1 - a->y0);
}

static double box_iou(const daftar_box *a, const daftar_box *b) {
  double in = overlap_area(a, b);
  return in > 0 ? in / (box_area(a) + box_area(b) - in) : 0.0;
}

/* Share of a's area that lies inside b. */
static double inside_share(const daftar_box *a, const daftar_box *b) {
  double area = box_area(a);
  return area > 0 ? overlap_area(a, b) / area : 0.0;
}

/* Numbers too: a piece of a number the kept reading read unsure (under
 * NUM_GARBLE_CONF), or a number whose digits it holds in a row, takes the
 * other reading's clean number over it, read at MERGE_SURE_NUM_CONF or
 * more and holding more digits; the kept reading's other pieces under
 * that number go (44635/doc-02, seed 11
 * heavy: "31۵" at 30 where the Sorani model read ۴۵۳۸۱۷۵۴۹۵ at 88).
 * Returns the numbers taken. */
#define MERGE_SURE_NUM_CONF 80.0f

/* The values of t's digits, in order, into v (DIGITS_MAX at most); their
 * number. */
#define DIGITS_MAX 64

static size_t digit_values(const char *t, int *v) {
  size_t n = 0, len = strlen(t), i = 0, adv = 0;
  while(i < len && n < DIGITS_MAX) {
    int d = digit_value(utf8_decode(t + i, len - i, &adv));
    i += adv;
    if(d >= 0)
      v[n++] = d;
  }
  return n;
}

/* 1 when the digits of part, by value, stand in a row in whole's. */
static int digits_within(const char *part, const char *whole) {
  int p[DIGITS_MAX], w[DIGITS_MAX];
  size_t np = digit_values(part, p), nw = digit_values(whole, w);
  for(size_t at = 0; np > 0 && at + np <= nw; at++)
    if(memcmp(p, w + at, np * sizeof(int)) == 0)
      return 1;
  return 0;
}

/* Drops the number pieces on word keep's line that lie under box, the
 * box of the number whole (keep itself stays): those read unsure, those
 * whose digits whole holds in a row, and marks read under
 * MERGE_SURE_NUM_CONF.  Returns keep's new index. */
static size_t drop_pieces_under(ocr_page_result *r, size_t keep,
                                const daftar_box *box, const char *whole) {
  int line = r->words[keep].line;
  size_t k = 0, kept = 0;
  for(size_t j = 0; j < r->nwords; j++) {
    daftar_word *v = &r->words[j];
    int piece = (is_number_piece(v) && (v->conf < NUM_GARBLE_CONF ||
                                        digits_within(v->text, whole))) ||
                (!has_letter(v->text) && digit_count(v->text) == 0 &&
                 v->conf < MERGE_SURE_NUM_CONF);
    if(j != keep && v->line == line && piece &&
       inside_share(&v->box, box) >= 0.5) {
      free(v->text);
      continue;
    }
    if(j == keep)
      kept = k;
    r->words[k++] = *v;
  }
  r->nwords = k;
  return kept;
}

static int take_sure_numbers(ocr_page_result *base,
                             const ocr_page_result *other) {
  int taken = 0;
  for(size_t i = 0; i < base->nwords; i++) {
    daftar_word *w = &base->words[i];
    if(!is_number_piece(w))
      continue;
    /* A number read surely, too, when the other reading holds its digits
     * in a row and more: the Sorani model's box of the clean Amiri
     * 2249394411 left out the last 1, read "(" beside it (224939441 at
     * 91; the Arabic model read it whole at 88; 44639/doc-02,
     * bench-extract's seed 11, clean). */
    int unsure = w->conf < NUM_GARBLE_CONF;
    if(!unsure && !number_style(w->text))
      continue;
    const daftar_word *o = NULL;
    for(size_t j = 0; j < other->nwords && !o; j++)
      if(other->words[j].conf >= MERGE_SURE_NUM_CONF &&
         number_style(other->words[j].text) &&
         digit_count(other->words[j].text) > digit_count(w->text) &&
         inside_share(&w->box, &other->words[j].box) >= 0.5 &&
         (unsure || digits_within(w->text, other->words[j].text)))
        o = &other->words[j];
    if(!o)
      continue;
    char *t = strdup(o->text);
    if(!t)
      continue; /* the piece stays as read */
    free(w->text);
    w->text = t;
    w->conf = o->conf;
    w->box = o->box;
    taken++;
    i = drop_pieces_under(base, i, &o->box, o->text);
  }
  return taken;
}

/* 1 when a and b are the same word misread, not another word over the
 * same place: نیشتەجێبوونی، must not become جیبووتی»› (a Sorani letter,
 * Amiri, seed 7 heavy).  Compared in Sorani spelling, as the lexicon
 * compares them: the Arabic model's لە‌دایكبوون (ZWNJ, ك) is 11 code
 * points to the Sorani model's 8 in لەداشووس, a length apart that
 * refused the known word (13785/doc-01, seed 7 heavy).  -1 when out of
 * memory. */
static int same_word_misread(const char *a, const char *b) {
  char *fa = ocr_lang_fix_letters("ckb", a);
  char *fb = ocr_lang_fix_letters("ckb", b);
  int same = -1;
  if(fa && fb) {
    size_t na = utf8_count(fa), nb = utf8_count(fb);
    int d = text_edit_distance(fa, fb);
    size_t longer = na > nb ? na : nb, diff = na > nb ? na - nb : nb - na;
    same = d >= 0 && d <= MERGE_MAX_EDIT_SHARE * (double)longer &&
           (diff <= 2 || 4 * diff <= longer);
  }
  free(fa);
  free(fb);
  return same;
}

static int take_known_words(ocr_page_result *base,
                            const ocr_page_result *other) {
  int taken = 0;
  for(size_t i = 0; i < base->nwords; i++) {
    daftar_word *w = &base->words[i];
    if(!has_arabic_letter(w->text) || lang_sorani_known(w->text))
      continue;
    const daftar_word *best = NULL;
    double best_iou = MERGE_MIN_IOU;
    for(size_t j = 0; j < other->nwords; j++) {
      double iou = box_iou(&w->box, &other->words[j].box);
      if(iou >= best_iou) {
        best_iou = iou;
        best = &other->words[j];
      }
    }
    if(!best || !has_arabic_letter(best->text) ||
       strcmp(best->text, w->text) == 0 || !lang_sorani_known(best->text))
      continue;
    int same = same_word_misread(w->text, best->text);
    if(same < 0)
      return DAFTAR_ENOMEM;
    if(!same)
      continue;
    char *t = strdup(best->text);
    if(!t)
      return DAFTAR_ENOMEM;
    free(w->text);
    w->text = t;
    w->conf = best->conf;
    taken++;
  }
  taken += take_sure_numbers(base, other);
  if(taken == 0)
    return DAFTAR_OK;
  base->confidence = mean_confidence(base);
  return page_text(base);
}

/* 1 when t is Arabic-script letters only. */
static int letters_only(const char *t) {
  size_t n = strlen(t), i = 0, adv = 0;
  while(i < n) {
    if(!arabic_letter(utf8_decode(t + i, n - i, &adv)))
      return 0;
    i += adv;
  }
  return n > 0;
}

/* Joins two words of a Sorani line that the lexicon knows as one and
 * neither alone: the model put a space after a letter that does not join
 * (ئا گاداری for ئاگاداری on a heavy 200-dpi Amiri form).  Words of
 * letters only; a known part stays apart: joining when one part alone
 * was unknown would also have mended موو چە and بێشکە شکردنی on the
 * bench pages, but joined سەرچاوە to the misread rest of the next word
 * (docs/OCR.md 9f).  Returns the number joined, -1 when out of memory. */
static int join_split_words(ocr_page_result *r) {
  int joined = 0;
  for(size_t i = 0; i + 1 < r->nwords; i++) {
    daftar_word *a = &r->words[i], *b = &r->words[i + 1];
    if(a->line != b->line || !letters_only(a->text) ||
       !letters_only(b->text) || lang_sorani_known(a->text) ||
       lang_sorani_known(b->text))
      continue;
    size_t la = strlen(a->text), lb = strlen(b->text);
    char *ab = malloc(la + lb + 1);
    if(!ab)
      return -1;
    memcpy(ab, a->text, la);
    memcpy(ab + la, b->text, lb + 1);
    char *f = ocr_lang_fix_letters("ckb", ab);
    free(ab);
    if(!f)
      return -1;
    if(!lang_sorani_known(f)) {
      free(f);
      continue;
    }
    free(a->text);
    a->text = f;
    a->conf = a->conf < b->conf ? a->conf : b->conf;
    a->box.x0 = a->box.x0 < b->box.x0 ? a->box.x0 : b->box.x0;
    a->box.y0 = a->box.y0 < b->box.y0 ? a->box.y0 : b->box.y0;
    a->box.x1 = a->box.x1 > b->box.x1 ? a->box.x1 : b->box.x1;
    a->box.y1 = a->box.y1 > b->box.y1 ? a->box.y1 : b->box.y1;
    free(b->text);
    memmove(b, b + 1, (r->nwords - i - 2) * sizeof(*b));
    r->nwords--;
    joined++;
  }
  return joined;
}

/* 1 when the dictionary of api's model (the default model's: Arabic)
 * holds word. */
static int dictionary_knows(const char *word, void *api) {
  return TessBaseAPIIsValidWord((TessBaseAPI *)api, word) != 0;
}

/* Puts text and words in the detected language's spelling.  On a page
 * without «, a » that ends a word is a misread Arabic comma: the Arabic
 * model reads Amiri's ، so (all 8 » on the heavy bench pages with
 * letters, seeds 7, 11, 23: سكنه» تاريخه» 3565452355»; the generator
 * writes no guillemets; the Sorani model reads ، right). */
static int fix_letters(ocr_page_result *r, const char *lang,
                       TessBaseAPI *dict) {
  int arabic = strcmp(lang, "ar") == 0;
  char *t = ocr_lang_fix_letters(lang, r->text);
  if(!t)
    return DAFTAR_ENOMEM;
  lang_comma_for_guillemet(r->text, t);
  if(arabic)
    lang_settle_arabic(t, dictionary_knows, dict);
  /* The page is searched for « once: its words are given "" (no «) or
   * nothing (NULL: leave them). */
  const char *page = strstr(r->text, "\xC2\xAB") ? NULL : "";
  free(r->raw_text);
  r->raw_text = r->text; /* kept: the correction is a guess, the reading is not */
  r->text = t;
  for(size_t i = 0; i < r->nwords; i++) {
    char *w = ocr_lang_fix_letters(lang, r->words[i].text);
    if(!w)
      return DAFTAR_ENOMEM;
    lang_comma_for_guillemet(page, w);
    if(arabic)
      lang_settle_arabic(w, dictionary_knows, dict);
    free(r->words[i].text);
    r->words[i].text = w;
  }
  if(strcmp(lang, "ckb") == 0) {
    int joined = join_split_words(r);
    if(joined < 0)
      return DAFTAR_ENOMEM;
    if(joined > 0)
      return page_text(r);
  }
  return DAFTAR_OK;
}

/* The Sorani model's reading of a page is not kept when it holds fewer than
 * SORANI_DOTS_KEPT of the dots the default model read there (both put in
 * Sorani spelling; a page of SORANI_DOTS_MIN dots or more): on DejaVu Sans
 * letters at 300 dpi it read medial ێ ی پ ت as ن ب, confidently (ننمە for
 * ئێمە, نۆمار for تۆمار), while the Arabic model saw the dots.  Measured on
 * the 67 heavy Sorani pages of seed 31 (docs/OCR.md 9h): the DejaVu Sans
 * letters the Sorani model read at 8-9% CER (the Arabic model: 2-3%) kept
 * 47-81% of the dots; from 86% to 90% the pages read as well or better
 * with the Arabic model but one (0.51% against none); a DejaVu Sans
 * letter of seed 41 kept 89.9% (5.04% CER against 2.52%).  No page of
 * nine batches read worse in all at 0.9 than at 0.85. */
#define SORANI_DOTS_KEPT 0.9
#define SORANI_DOTS_MIN 20

/* 1 when reading (the language's model's) lost dots that base (the default
 * model's, same page) holds; -1 when out of memory. */
static int lost_dots(const ocr_page_result *reading,
                     const ocr_page_result *base) {
  long a = lang_sorani_dots(reading->text ? reading->text : "");
  long b = lang_sorani_dots(base->text ? base->text : "");
  if(a < 0 || b < 0)
    return -1;
  return b >= SORANI_DOTS_MIN && (double)a < SORANI_DOTS_KEPT * (double)b;
}

/* The page's resolution and noise, for the model choice: the scan's own
 * pixels (master), as the cleanup took its resolution. */
static ocr_page_traits page_traits(PIX *page, const ocr_prep *prep) {
  ocr_page_traits t;
  l_int32 xres = pixGetXRes(page);
  double px = (double)pixGetWidth(page) * (double)pixGetHeight(page);
  t.dpi = xres > 0 ? xres : OCR_ASSUMED_DPI;
  t.specks_per_mpx = px > 0 ? 1e6 * (double)prep->specks / px : 0.0;
  return t;
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
  ocr_page_traits traits = page_traits(page, &prep);
  const char *model =
      ocr_model_for_page(lang, e->tessdata, e->model, &traits);
  /* The language's model, read even where the page keeps the default one
   * (noisy low-resolution Sorani scans): its words can still serve
   * take_known_words. */
  const char *second = ocr_model_for_lang(lang, e->tessdata, e->model);
  if(strcmp(lang, "ckb") == 0)
    daftar_log(DLOG_DEBUG, "ocr: page %d: Sorani, %d dpi, %.0f specks per "
               "Mpx: %s %s", page_no, traits.dpi, traits.specks_per_mpx,
               strcmp(model, e->model) == 0 ? "keeps" : "tries", model);
  if(strcmp(second, e->model) != 0) {
    TessBaseAPI *api = api_for_model(e, second);
    ocr_page_result other;
    memset(&other, 0, sizeof(other));
    /* The language's model reads the page again; its reading is kept only
     * when the page may take it (not a noisy low-resolution scan) and it
     * is at least as confident as the default model's: a model trained on
     * light scans (the Sorani one) does worse on heavily degraded pages,
     * and its confidence says so (docs/OCR.md); nor when it lost the
     * dots the default model saw (lost_dots).  Either way the reading
     * not kept lends its known words to the one kept. */
    if(api && recognize_with(e, api, &prep, page_no, &other) == DAFTAR_OK) {
      /* Dots are counted only when the other reading could be kept. */
      int lost = strcmp(model, e->model) != 0 &&
                         other.confidence >= out->confidence
                     ? lost_dots(&other, out)
                     : 1;
      if(lost < 0) {
        ocr_page_result_clear(&other);
        rc = DAFTAR_ENOMEM;
        goto out;
      }
      if(!lost) {
        ocr_page_result t = *out;
        *out = other;
        other = t;
      } else {
        model = e->model;
      }
      rc = take_known_words(out, &other);
    } else {
      if(!api)
        daftar_log(DLOG_WARN, "ocr: model '%s' failed to load; using '%s'",
                   second, e->model);
      model = e->model;
    }
    ocr_page_result_clear(&other);
    if(rc)
      goto out;
  }
  rc = fix_letters(out, lang, e->api);
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
  free(r->raw_text);
  free(r->alto);
  free(r->hocr);
  daftar_words_free(r->words, r->nwords);
  memset(r, 0, sizeof(*r));
}
