/*
 * recognize_int.h - internals shared by the recognition half of ocr/
 * (cleanup.c, orient.c, engine.c, lang.c, run.c).  Not a public header:
 * other modules see only ocr.h.
 *
 * A page goes master -> ocr_prep (cleaned derivative) -> Tesseract.  The
 * derivative is upright, deskewed and at OCR_TARGET_DPI; ocr_prep keeps
 * what was done (scale, quarter turns, skew) so word boxes can be mapped
 * back to master pixels (prep_box_to_master).
 */
#ifndef DAFTAR_RECOGNIZE_INT_H
#define DAFTAR_RECOGNIZE_INT_H

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include "ocr.h"

#define OCR_MODEL_MAX 32
#define OCR_ERRMSG_MAX 256
/* Resolution assumed when a TIFF carries none. */
#define OCR_ASSUMED_DPI 300
/* Upscale only below this (a 290-dpi scan is read as is). */
#define OCR_MIN_DPI 280
/* A guard against absurd resolution tags: never scale by more than this. */
#define OCR_MAX_SCALE 4.0f

struct ocr_engine {
  TessBaseAPI *api;           /* the default model (o->lang) */
  char model[OCR_MODEL_MAX];
  TessBaseAPI *alt;           /* a per-language model, loaded on demand */
  char alt_model[OCR_MODEL_MAX];
  TessBaseAPI *num;           /* the number reader: OCR_NUMBER_MODEL (else
                                 OCR_NUMBER_MODEL_FALLBACK), digits and
                                 separators only; NULL when neither is
                                 installed */
  char num_model[OCR_MODEL_MAX];
  char *tessdata;             /* copy of o->tessdata; NULL: default */
  int psm;
  float review_threshold;
  char errmsg[OCR_ERRMSG_MAX];
};

/* The number reader: daftar's own model of digits and separators
 * (scripts/train-numbers, docs/NUMBER-MODEL.md), trained on numbers and
 * dates in the three digit styles in the fonts of these forms, reads the
 * Arabic-Indic and Persian numbers the Arabic-script model misreads.
 * Without it, the Persian model (Debian tesseract-ocr-fas, whose
 * ۰۱۲۳۷۸۹ are drawn like ٠١٢٣٧٨٩) reads only the parts of lines nothing
 * else read.  docs/OCR.md has the measurements. */
#define OCR_NUMBER_MODEL "daftar_num"
#define OCR_NUMBER_MODEL_FALLBACK "fas"

/* ---- cleanup.c ---------------------------------------------------------- */

#define PREP_MAX_LINES 512
#define PREP_MAX_BANDS 64

/* Rows [top, bottom) of the derivative: a text line or a band of them. */
typedef struct text_band {
  int top, bottom;
  double ink;
} text_band;

typedef struct ocr_prep {
  PIX *pix;       /* 8 bpp, upright, deskewed, background-normalized, rules
                     and leaders whitened; what Tesseract reads */
  int flags;      /* OCR_PREP_* asked for */
  int master_w, master_h;
  float scale;    /* derivative pixels per master pixel */
  /* Applied in this order: scale, quarter turn (cw), deskew about the
   * centre, half turn.  Deskew and half turn keep the size. */
  int quarter;    /* 1: turned 90 deg clockwise */
  float skew;     /* degrees, as pixFindSkew reported; 0 when not applied */
  int half;       /* 1: then turned 180 deg */
  int rot_w, rot_h; /* size of pix */
  int rules_removed;   /* pixels whitened as table rules */
  int leader_dots;     /* components whitened as dotted leaders */
  int specks;          /* isolated specks whitened */
  /* Bands of similar lines, recognized one at a time: Tesseract's single
   * block mode drops a line after a much larger title (measured). */
  text_band bands[PREP_MAX_BANDS];
  int nbands;          /* 0: recognize the page as one block */
  /* The text lines themselves (padded into the gaps), for reading line by
   * line. */
  text_band lines[PREP_MAX_LINES];
  int nlines;
} ocr_prep;

/* Builds the derivative of page (not modified).  e is used to verify the
 * orientation by recognizing a strip both ways. */
int prep_page(struct ocr_engine *e, PIX *page, int flags, ocr_prep *out);
void prep_clear(ocr_prep *p);
/* Degrees clockwise that made the page upright: 0, 90, 180, 270. */
int prep_rotation(const ocr_prep *p);
/* Maps a box in derivative pixels to master pixels (clamped). */
daftar_box prep_box_to_master(const ocr_prep *p, int x0, int y0, int x1,
                              int y1);

/* Text lines of a 1 bpp image by its row profile; returns the count. */
int prep_find_lines(PIX *bin, text_band *lines, int max);
/* A 1 bpp ink mask of an 8 bpp normalized image. */
PIX *prep_binarize(PIX *gray);
/* The runs of at least len ON pixels along rows (across != 0) or columns:
 * an opening with a 1 x len line, in one pass; NULL when out of memory. */
PIX *prep_keep_runs(PIX *bin, int across, int len);
/* Whitens long horizontal and vertical rules in gray (1 bpp mask from
 * bin); returns the number of pixels whitened, or -1. */
int prep_remove_rules(PIX *gray, PIX *bin);
/* Whitens rows of small, equally spaced dots on one baseline; returns the
 * number of dots removed, or -1. */
int prep_remove_leaders(PIX *gray, PIX *bin);
/* Whitens small components with no other ink near them (dust, noise);
 * returns the number removed, or -1. */
int prep_remove_specks(PIX *gray, PIX *bin);

/* ---- orient.c ---------------------------------------------------------- */

/* 1 when the text lines of bin run vertically (page turned 90 or 270). */
int orient_is_vertical(PIX *bin);
/* Quarter turns (0 or 2) that make gray upright, by recognizing a strip
 * both ways and keeping the more confident. */
int orient_upside_down(struct ocr_engine *e, PIX *gray, PIX *bin);

/* ---- layout_xml.c ------------------------------------------------------ */

/* One ALTO v4 / hOCR document for a page from r's words (master pixels;
 * the page is w x h). */
int layout_alto(const ocr_page_result *r, int page_no, int w, int h, dbuf *b);
int layout_hocr(const ocr_page_result *r, int page_no, int w, int h, dbuf *b);

/* ---- lang.c ---------------------------------------------------------- */

/* 1 when tessdata (NULL: TESSDATA_PREFIX or Debian's directory) holds
 * <model>.traineddata. */
int lang_model_installed(const char *tessdata, const char *model);
/* 1 when word, put in Sorani spelling (ocr_lang_fix_letters "ckb"), holds
 * Arabic letters and every run of them is in the Sorani lexicon. */
int lang_sorani_known(const char *word);
/* The dots of text's letters, text put in Sorani spelling first (so the
 * Arabic model's ي and the Sorani model's ی weigh the same): ب ن ج خ ذ ز
 * ض ظ غ ف one, ت ق ێ ة two, ث پ چ ژ ش ڤ three.  -1 when out of memory. */
long lang_sorani_dots(const char *text);
/* When page (a page's reading) holds no «, turns each » in s that ends a
 * word (a letter or digit before it) into the Arabic comma ، in place
 * (both are two UTF-8 bytes): the Arabic model reads Amiri's comma as ». */
void lang_comma_for_guillemet(const char *page, char *s);
/* Each word of s (a run of Arabic letters, U+0621-U+064A only, 4 or
 * more) that known(word, ctx) rejects takes, in place, the one spelling it
 * accepts that puts for one letter another of the same shape with other
 * dots or hamza (ب ت ث ن ي ى, ج ح خ, د ذ, ر ز, س ش, ص ض, ط ظ, ع غ, ف ق,
 * ه ة, ا أ إ آ, و ؤ); the hamza of a word's first letter after ال or لل
 * is never dropped.  Words with none or two such spellings stay. */
void lang_settle_arabic(char *s, int (*known)(const char *word, void *ctx),
                        void *ctx);

/* ---- engine.c ---------------------------------------------------------- */

/* Mean confidence of recognizing pix (psm single block), or -1. */
int engine_strip_confidence(struct ocr_engine *e, PIX *pix);

#endif /* DAFTAR_RECOGNIZE_INT_H */
