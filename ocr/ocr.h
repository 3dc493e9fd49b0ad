/*
 * ocr.h - pages to text, and text to fields.
 *
 * Recognition: a stored master page is cleaned with Leptonica (orientation
 * checked, deskewed, background normalized, binarized, form rules and dotted
 * leaders removed; the master itself is never changed) and read by Tesseract
 * through its C API with the Arabic-script model.  One engine per worker
 * thread, created once, reused for every page.  Each page yields text in
 * logical order without bidi marks, words with boxes and confidences, ALTO
 * and hOCR, stored through index/.
 *
 * Extraction: worker and employer fields are found in the recognized layout
 * (words with boxes, not flat text): a known label (Arabic or Sorani,
 * tolerant of OCR errors), then its value on the label's line on the value
 * side (left, in right-to-left forms), after a colon, a dotted leader or in
 * the next table cell.  Values are normalized (dates YYYY-MM-DD, ASCII
 * digits).  Documents are typed from titles and labels.
 *
 * Ownership: ocr_engine_open() creates, ocr_engine_close() frees (NULL is
 * fine).  ocr_page_result and ocr_extraction have *_clear().
 * Threads: one engine per thread; ocr_run() makes its own.
 * Errors: DAFTAR_OK or a negative daftar_err.
 */
#ifndef DAFTAR_OCR_H
#define DAFTAR_OCR_H

#include "core.h"
#include "index.h"

struct Pix;
struct ocr_engine;

#define OCR_DEFAULT_LANG "Arabic"
/* Sorani pages, when models/ckb.traineddata is installed (scripts/setup.sh). */
#define OCR_SORANI_MODELS "ckb+" OCR_DEFAULT_LANG
#define OCR_REVIEW_THRESHOLD 70.0f /* mean confidence under it: review */
#define OCR_TARGET_DPI 300

typedef struct ocr_options {
  const char *tessdata;   /* NULL: Tesseract's default */
  const char *lang;       /* NULL: OCR_DEFAULT_LANG */
  int psm;                /* page segmentation mode; 0: daftar's choice */
  int jobs;               /* worker threads; 0: number of cores */
  int redo;               /* re-recognize every page */
  int progress;           /* progress bar on stderr */
  float review_threshold; /* 0: OCR_REVIEW_THRESHOLD */
} ocr_options;

void ocr_options_default(ocr_options *o);

typedef struct ocr_page_result {
  char *text;
  float confidence;
  char lang[32];    /* detected language: "ar" or "ckb" (ocr_lang_detect) */
  int rotation;
  float skew;
  int needs_review;
  char *alto;
  char *hocr;
  daftar_word *words;
  size_t nwords;
  char model[32];   /* Tesseract model that produced the text ("Arabic") */
  char *raw_text;   /* (recognition helper) the text as the model read it,
                       before ocr_lang_fix_letters; stored by index/ beside
                       text when they differ, exported as "raw_text" */
} ocr_page_result;

int ocr_engine_open(const ocr_options *o, struct ocr_engine **out);
void ocr_engine_close(struct ocr_engine *e);
/* Recognizes one page image (any depth; not modified).  Boxes are in the
 * coordinates of the given image.  page is stored in each word. */
int ocr_engine_recognize(struct ocr_engine *e, struct Pix *page, int page_no,
                         ocr_page_result *out);
void ocr_page_result_clear(ocr_page_result *r);

/* ---- recognition: additions (recognition helper) ---------------------------
 * Coordinates.  Word boxes (daftar_word.box) are in pixels of the image
 * given to ocr_engine_recognize -- the master page as stored, NOT turned
 * upright: the upscale, quarter/half turns and deskew are undone.  A viewer
 * that shows the page turned upright by `rotation` degrees clockwise turns
 * the boxes with it.  ALTO (v4) and hOCR are written by daftar from the
 * words, so they use the same master pixels (one document per page).
 * rotation: degrees clockwise (0, 90, 180, 270) that made the page upright.
 * skew: degrees the upright page was rotated (Leptonica sign: positive is
 * clockwise) to straighten its lines: minus the page's own skew.
 * Latin letters are never output (blacklisted: on these forms they are
 * misread Arabic-Indic digits); ASCII digits are.  docs/OCR.md has the
 * pipeline and what each step was measured to do. */

/* Cleanup steps, for measurements and tests (ocr_engine_recognize does all). */
#define OCR_PREP_DESKEW 0x1
#define OCR_PREP_RULES 0x2  /* table rules whitened */
#define OCR_PREP_LEADERS 0x4 /* dotted leaders whitened */
#define OCR_PREP_ORIENT 0x8 /* 90/180/270 detection */
#define OCR_PREP_SPECKS 0x10 /* pepper noise and isolated specks whitened */
#define OCR_PREP_BANDS 0x20 /* read bands of similar lines one at a time */
#define OCR_PREP_SAUVOLA 0x40 /* binarize with Sauvola (measured: not better
                                 than Tesseract's own; off by default) */
#define OCR_PREP_REPAIR 0x80 /* parts of lines a band read left out are read
                                on their own (psm 7, then 13) */
#define OCR_PREP_ALL                                                           \
  (OCR_PREP_DESKEW | OCR_PREP_RULES | OCR_PREP_LEADERS | OCR_PREP_ORIENT |    \
   OCR_PREP_SPECKS | OCR_PREP_BANDS | OCR_PREP_REPAIR)
int ocr_engine_recognize_flags(struct ocr_engine *e, struct Pix *page,
                               int page_no, int flags, ocr_page_result *out);
/* The detail of the last failure of e ("no error" when none). */
const char *ocr_engine_errmsg(const struct ocr_engine *e);

/* Language of recognized text: "ckb" when Sorani-only letters (U+0695 ڕ,
 * U+06B5 ڵ, U+06C6 ۆ, U+06CE ێ, U+06D5 ە, U+06A4 ڤ) make up enough of the
 * letters; or, in text without Arabic's ة and word-initial ال, when one
 * Sorani sign shows (those letters, پ چ ژ گ, heh+ZWNJ) or most words are
 * in the Sorani lexicon; else "ar". */
const char *ocr_lang_detect(const char *text);
/* Text with the letters the model confuses across Arabic and Sorani put in
 * lang's spelling (Arabic: ک ی -> ك ي, ZWNJ -> space; Sorani: ك ي ى -> ک ی,
 * heh+ZWNJ, word-final heh and a medial heh not followed by ا ە ێ ۆ -> ە,
 * word-final ئ -> ی,
 * ھ -> ه, ړ and word-initial ر -> ڕ, no harakat, no ZWNJ after a
 * non-joining letter; then a word the Sorani lexicon does not know takes
 * the one known spelling nearest in ل/ڵ ی/ێ و/ۆ ه/ە ر/ڕ ف/ڤ ت/ن, docs/OCR.md).
 * In both languages an apostrophe or single guillemet at a word's edge
 * goes, and a stop, colon or comma between two runs of three letters or
 * more gets a space after it.  Heap (free()), NULL on ENOMEM. */
char *ocr_lang_fix_letters(const char *lang, const char *text);
/* The Tesseract model for a language: "<lang>" when tessdata (NULL: the
 * default directory) has <lang>.traineddata -- a trained Sorani model
 * ckb.traineddata slots in here -- else fallback. */
const char *ocr_model_for_lang(const char *lang, const char *tessdata,
                               const char *fallback);
/* What the cleanup saw of a page that the model choice looks at. */
typedef struct ocr_page_traits {
  int dpi;               /* the scan's resolution (300 when the TIFF has
                            none); under 280 the page was upscaled */
  double specks_per_mpx; /* isolated specks whitened per million pixels of
                            the scan (0 when that step was off) */
} ocr_page_traits;
/* The model for one page: ocr_model_for_lang's, except that a Sorani page
 * scanned under 280 dpi and noisy (at least OCR_NOISY_SPECKS_PER_MPX specks
 * per million scan pixels) keeps fallback (NULL: OCR_DEFAULT_LANG): on such
 * pages the Sorani model reads leader dots and noise as digits and is worse
 * than the Arabic-script model with the Sorani letter correction
 * (docs/OCR.md, "The model for a page").  page NULL: ocr_model_for_lang. */
#define OCR_NOISY_SPECKS_PER_MPX 500.0
const char *ocr_model_for_page(const char *lang, const char *tessdata,
                               const char *fallback,
                               const ocr_page_traits *page);

typedef struct ocr_summary {
  int64_t pages, recognized, failed;
  double seconds;
} ocr_summary;

/* Recognizes every pending page of the archive (or every page with redo),
 * o->jobs threads, each with its own engine and index handle. */
int ocr_run(const char *archive_dir, const ocr_options *o, ocr_summary *s);
/* (recognition helper) ocr_run returns DAFTAR_OK when every page was
 * recognized, DAFTAR_EOCR when some failed (each marked failed with its
 * reason, the rest stored), another error when the run could not start.
 *
 * Debian's Tesseract uses OpenMP, whose runtime reads OMP_THREAD_LIMIT once,
 * when the program loads: setting it inside ocr_run is too late.  A program
 * that runs OCR calls this first thing in main(): when OMP_THREAD_LIMIT is
 * unset it sets it to 1 and re-executes itself (/proc/self/exe) with the
 * same argv; it returns only when nothing needed doing (DAFTAR_OK) or the
 * exec failed (the program may go on, slower). */
int ocr_exec_with_thread_limit(char **argv);

/* ---- extraction ------------------------------------------------------------ */

typedef struct ocr_extraction {
  char doc_type[16]; /* registration, termination, wage_change, other */
  daftar_field *fields;
  size_t nfields;
} ocr_extraction;

/* Finds fields in a document's words (all pages, as index_document_words()
 * returns them). */
int ocr_extract_fields(const daftar_word *words, size_t n,
                       ocr_extraction *out);
void ocr_extraction_clear(ocr_extraction *x);

/* Parsers, exposed for tests and for corrections typed by archivists.
 * Dates: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd (also with - . / separators), any
 * digit style; out gets "YYYY-MM-DD".  Impossible dates are EINVAL. */
int ocr_parse_date(const char *s, char out[11]);
/* Numbers: any digit style, Arabic (٬ ٫) or Latin separators; out gets
 * ASCII digits (and a '.' for a decimal part). */
int ocr_parse_number(const char *s, dbuf *out);

/* Extracts fields for every document that needs it (all with all). */
int ocr_extract_run(struct index_db *db, int all, int64_t *documents);

#endif /* DAFTAR_OCR_H */
