/*
 * gen.h - internals of daftar-gen, the synthetic scan generator.
 *
 * daftar-gen makes the project's test data: forms and letters in Arabic
 * and Sorani, shaped by Pango (HarfBuzz) and drawn by Cairo onto an A4
 * page, degraded like a scan (skew, blur, noise, faded ink, 200 dpi,
 * quarter turns) by Leptonica, written as TIFF, with the ground truth
 * (page text and the ten export fields) beside them in truth.jsonl.
 *
 * The stages, one file each:
 *   gen_rng.c      a small seeded PRNG (never rand(): output must depend
 *                  on --seed alone, byte for byte);
 *   gen_content.c  workers, their documents and the form/letter texts;
 *   gen_render.c   a document page or one text line -> 8 bpp PIX at 300 dpi;
 *   gen_scan.c     degradation and TIFF writing;
 *   gen_main.c     the command line (batch and line modes).
 *
 * Everything a document shows is decided by gen_content.c before any
 * drawing, so the truth never depends on rendering details, except the
 * line breaks of wrapped letter paragraphs, which the renderer reports.
 *
 * Errors: DAFTAR_OK or a negative daftar_err; messages go to daftar_log
 * and never contain generated personal data (it is synthetic, but the
 * habit matters).
 */
#ifndef DAFTAR_GEN_H
#define DAFTAR_GEN_H

#include <stdint.h>

#include <leptonica/allheaders.h>

#include "core.h"

/* ---- PRNG -------------------------------------------------------------- */

/* splitmix64: tiny, fast, good enough for test data, identical everywhere. */
typedef struct gen_rng {
  uint64_t state;
} gen_rng;

/* Seeds r from the batch seed and two stream numbers (file, document), so
 * each document's randomness does not depend on how many numbers earlier
 * documents drew. */
void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream1,
                  uint64_t stream2);
uint64_t gen_rng_next(gen_rng *r);
/* Uniform in [0, n); n > 0. */
uint32_t gen_rng_below(gen_rng *r, uint32_t n);
/* Uniform in [lo, hi], inclusive. */
int gen_rng_range(gen_rng *r, int lo, int hi);
/* Uniform in [0, 1). */
double gen_rng_unit(gen_rng *r);
/* 1 with probability p. */
int gen_rng_chance(gen_rng *r, double p);

/* ---- content ----------------------------------------------------------- */

enum gen_lang { GEN_LANG_AR = 0, GEN_LANG_CKB, GEN_NLANG };
enum gen_digits {
  GEN_DIGITS_ASCII = 0,
  GEN_DIGITS_ARABIC_INDIC,
  GEN_DIGITS_PERSIAN,
  GEN_NDIGITS
};
enum gen_layout {
  GEN_LAYOUT_COLON = 0,
  GEN_LAYOUT_LEADER,
  GEN_LAYOUT_TABLE,
  GEN_NLAYOUT
};
enum gen_date_fmt {
  GEN_DATE_DMY_PADDED = 0, /* 05/03/1990 */
  GEN_DATE_DMY,            /* 5/3/1990 */
  GEN_DATE_ISO,            /* 1990-03-05 */
  GEN_NDATE_FMT
};
enum gen_doc_type {
  GEN_DOC_REGISTRATION = 0,
  GEN_DOC_WAGE_CHANGE,
  GEN_DOC_TERMINATION,
  GEN_DOC_OTHER,
  GEN_NDOC_TYPE
};
/* The export contract's fields, in DAFTAR_FIELD_NAMES order. */
enum gen_field_id {
  GEN_F_WORKER_NAME = 0,
  GEN_F_MOTHER_NAME,
  GEN_F_BIRTH_DATE,
  GEN_F_NATIONAL_ID,
  GEN_F_WORKER_SSN,
  GEN_F_EMPLOYER_NAME,
  GEN_F_EMPLOYER_NUMBER,
  GEN_F_START_DATE,
  GEN_F_END_DATE,
  GEN_F_MONTHLY_WAGE,
  GEN_NFIELD
};

#define GEN_VALUE_MAX 256       /* one label or field value, UTF-8 bytes */
#define GEN_TEXT_MAX 2048       /* one paragraph */
#define GEN_PAGE_ITEMS_MAX 24   /* items on one page */
#define GEN_DOC_PAGES_MAX 2     /* pages in one document */
#define GEN_DOCS_PER_FILE_MAX 20
#define GEN_FILES_MAX 10000

const char *gen_lang_name(enum gen_lang l);        /* "ar", "ckb" */
const char *gen_digits_name(enum gen_digits d);    /* "ascii", ... */
const char *gen_layout_name(enum gen_layout l);    /* "colon", ... */
const char *gen_doc_type_name(enum gen_doc_type t);
const char *gen_field_name(enum gen_field_id f);

typedef struct gen_date {
  int y, m, d;
} gen_date;

/* One worker and the facts of their paper file.  Wages: wage[0] at
 * registration, wage[k] after the k-th wage change. */
typedef struct gen_worker {
  enum gen_lang lang;
  char name[GEN_VALUE_MAX];   /* first + father + grandfather */
  char mother[GEN_VALUE_MAX]; /* first + her father */
  gen_date birth, start, end;
  char national_id[13];       /* 12 digits */
  char ssn[11];               /* 10 digits */
  char employer_name[GEN_VALUE_MAX];
  char employer_number[8];    /* 7 digits */
  long wage[GEN_DOCS_PER_FILE_MAX + 1];
} gen_worker;

/* Builds worker number index (0-based, < GEN_FILES_MAX) of the batch.
 * SSN and national ID are unique per index by construction. */
void gen_worker_make(uint64_t seed, int index, enum gen_lang lang,
                     gen_worker *w);

/* Decides the document types of one paper file: a registration first,
 * then wage changes, maybe a termination last; one letter at the end
 * when letters is set.  Returns the count written to types. */
int gen_file_plan(gen_rng *r, int ndocs, int letters,
                  enum gen_doc_type types[GEN_DOCS_PER_FILE_MAX + 1]);

enum gen_item_kind {
  GEN_ITEM_HEADER = 0, /* centered line (organization, employer) */
  GEN_ITEM_TITLE,      /* centered bold line (document title) */
  GEN_ITEM_LINE,       /* right-aligned line (addressee, subject) */
  GEN_ITEM_META,       /* left-aligned line (letter number, date) */
  GEN_ITEM_FIELD,      /* label (right) and value (left), per layout */
  GEN_ITEM_PARA,       /* wrapped paragraph */
  GEN_ITEM_SIGN        /* signature caption at the bottom left */
};

typedef struct gen_item {
  enum gen_item_kind kind;
  char label[GEN_VALUE_MAX]; /* GEN_ITEM_FIELD only */
  char text[GEN_TEXT_MAX];   /* the line, paragraph or field value */
} gen_item;

typedef struct gen_page {
  gen_item items[GEN_PAGE_ITEMS_MAX];
  int nitems;
} gen_page;

typedef struct gen_doc {
  enum gen_doc_type type;
  enum gen_lang lang;
  enum gen_digits digits;
  enum gen_layout layout;
  enum gen_date_fmt date_fmt;
  const char *font;   /* Pango family */
  double body_pt;     /* body text size in points */
  gen_page pages[GEN_DOC_PAGES_MAX];
  int npages;
  /* Normalized truth: present[f] says the field is on the document. */
  int present[GEN_NFIELD];
  char truth[GEN_NFIELD][GEN_VALUE_MAX];
} gen_doc;

/* Options for one document's content, decided by the batch plan. */
typedef struct gen_doc_opts {
  enum gen_doc_type type;
  int wage_index;      /* which wage a wage_change shows (>= 1) */
  enum gen_layout layout;
  int two_pages;       /* split a registration over two pages */
  const char *font;
  int digits;          /* enum gen_digits, or -1: chosen per document */
} gen_doc_opts;

/* Fills doc (heap, caller frees) from w; r decides the details. */
int gen_doc_build(const gen_worker *w, const gen_doc_opts *o, gen_rng *r,
                  gen_doc *doc);

/* ---- rendering --------------------------------------------------------- */

#define GEN_RENDER_DPI 300
#define GEN_A4_W 2480 /* A4 at 300 dpi */
#define GEN_A4_H 3508

/* Font families tried, in order; gen_fonts_available() keeps those
 * installed (fontconfig), returns their count and the list. */
int gen_fonts_available(const char ***out);

/* Renders page n (0-based) of doc: *pix is 8 bpp gray, 300 dpi, A4;
 * text gets the page's ground truth (lines in logical order, '\n'). */
int gen_render_page(const gen_doc *doc, int n, PIX **pix, dbuf *text);

/* Renders one line of text (font family, size in points at dpi) with a
 * margin of half the size around it: 8 bpp gray. */
int gen_render_line(const char *text, const char *font, double size_pt,
                    int dpi, PIX **pix);

/* Frees the font caches at exit (no rendering afterwards). */
void gen_render_shutdown(void);

/* ---- scan simulation and output ---------------------------------------- */

enum gen_compression {
  GEN_COMP_G4 = 0, /* binarized, CCITT G4 */
  GEN_COMP_LZW,    /* 8 bpp gray, LZW */
  GEN_COMP_JPEG,   /* 8 bpp gray, JPEG in TIFF */
  GEN_COMP_NONE,   /* 8 bpp gray, uncompressed */
  GEN_NCOMP
};
const char *gen_compression_name(enum gen_compression c);

typedef struct gen_scan {
  double skew_deg;  /* positive: clockwise */
  int rotation;     /* 0, 90, 180, 270: clockwise quarter turns applied */
  int dpi;          /* 300 or 200 (downsampled from 300) */
  int blur;         /* half-width of the box blur; 0: none */
  double noise;     /* fraction of pixels flipped to salt or pepper */
  int faded;        /* raise the ink's gray level and darken the paper */
  enum gen_compression compression;
} gen_scan;

/* Applies s to the 300 dpi page pix (not modified); *out is new. r draws
 * the noise positions. */
int gen_scan_apply(PIX *pix, const gen_scan *s, gen_rng *r, PIX **out);

/* Gray below this is ink in a G4 page.  Above the midpoint of ink and
 * paper, so blurred i'jam dots (a few pixels) survive thresholding; a
 * faded page's lighter ink needs a higher one, as a scanner operator
 * would set. */
#define GEN_G4_THRESHOLD 165
#define GEN_G4_THRESHOLD_FADED 190

/* Writes pix as page (0-based) of the TIFF at path: page 0 creates the
 * file, later pages append.  G4 binarizes an 8 bpp pix first (with a
 * higher threshold for a faded page). */
int gen_scan_write(const char *path, PIX *pix, enum gen_compression c,
                   int dpi, int faded, int page);

#endif /* DAFTAR_GEN_H */
