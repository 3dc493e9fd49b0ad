/*
 * extract_int.h - internals shared by the extraction half of ocr/
 * (labels.c, extract_layout.c, extract.c, extract_parse.c, extract_run.c).
 * Not a public header: other modules see only ocr.h.
 *
 * A label table maps label texts (a field's printed label, or a document
 * title) to names.  It starts from the built-in Arabic and Sorani set of
 * issue 2 and grows from label files that archivists edit (labels.c has the
 * format).  Each entry keeps its normalized key (core's text_norm_key) and
 * dotless skeleton, so matching a line against the table costs no
 * normalization per document.
 */
#ifndef DAFTAR_EXTRACT_INT_H
#define DAFTAR_EXTRACT_INT_H

#include "ocr.h"

/* Words a label may span; OCR may also split or merge one word. */
#define LABEL_MAX_WORDS 6
/* Bytes of a label text in a label file. */
#define LABEL_TEXT_MAX 256
/* A label file larger than this is refused (it is a short hand-made list). */
#define LABEL_FILE_MAX ((size_t)1024 * 1024)
/* The archive's own label file, read by ocr_extract_run. */
#define LABEL_FILE_NAME "labels.conf"
/* Environment variable naming one more label file. */
#define LABEL_ENV "DAFTAR_LABELS"

enum label_kind { LABEL_FIELD = 0, LABEL_TITLE = 1 };

typedef struct extract_label {
  char name[DAFTAR_NAME_MAX]; /* field name, or doc_type for a title */
  int kind;                   /* enum label_kind */
  char *key;                  /* text_norm_key of the label */
  char *skel;                 /* text_norm_skeleton of the label */
  size_t key_cps;             /* code points in key */
  size_t first_bytes;         /* key[0..first_bytes) is the first word */
  size_t last_off;            /* key + last_off is the last word */
  size_t first_cps, last_cps; /* their lengths in code points */
  int sorani;                 /* 1 Sorani, 0 Arabic, -1 cannot tell */
} extract_label;

typedef struct extract_labels {
  extract_label *v;
  size_t n, cap;
} extract_labels;

/* The built-in table (issue 2's labels and titles). */
int labels_load_builtin(extract_labels *t);
/* Adds the labels of one file.  A malformed line refuses the whole file
 * with EINVAL and "path:line: reason" in err; a missing file is ENOTFOUND. */
int labels_load_file(extract_labels *t, const char *path, dbuf *err);
/* Built-in, then ARCHIVE/labels.conf when archive_dir is given and the file
 * exists, then the file named by $DAFTAR_LABELS (which must exist). */
int labels_load_default(extract_labels *t, const char *archive_dir,
                        dbuf *err);
void labels_free(extract_labels *t);
/* 1 if name is one of DAFTAR_FIELD_NAMES. */
int labels_is_field_name(const char *name);

/* ---- extract_layout.c: words to lines ------------------------------------ */

enum tok_kind { TOK_TEXT = 0, TOK_COLON, TOK_LEADER };
enum tok_use { USE_NONE = 0, USE_LABEL, USE_VALUE };

/* A word, or a piece of one cut at a colon or leader. */
typedef struct token {
  char *text; /* a piece of a word, bidi marks removed */
  char *key;  /* text_norm_key; "" for punctuation */
  char *skel; /* text_norm_skeleton */
  size_t key_cps;
  int kind; /* enum tok_kind */
  int page;
  daftar_box box; /* in master-page pixels: what a field reports */
  daftar_box g;   /* in upright page coordinates: what geometry uses */
  float conf;
  int block, para, tline; /* Tesseract's ids of the word's line */
  int use; /* enum tok_use */
} token;

/* A form line: tokens of one page that overlap vertically. */
typedef struct xline {
  int page;
  long sum_y0, sum_y1; /* mean extent of the line's tokens */
  size_t ntok;
  size_t first; /* into layout.order */
  int height;   /* median token height */
} xline;

/* A document's tokens and lines; line l is order[first .. first + ntok)
 * of lines[l], right to left. */
typedef struct layout {
  token *tok;
  size_t ntok, cap;
  size_t *order; /* token indices, line by line, right to left */
  int *line_of;  /* line index of each token */
  xline *lines;
  size_t nlines;
  int sorani; /* the document is in Sorani (names are spelled so) */
} layout;

/* Builds the lines of a document's words; layout_free() after, even on
 * failure. */
int layout_build(const daftar_word *words, size_t n, layout *L);
void layout_free(layout *L);
/* Token at position pos (right to left) of line l. */
token *layout_tok(layout *L, size_t l, size_t pos);
int layout_box_height(const daftar_box *b);
int layout_is_colon(uint32_t cp);
/* 1 when s holds a letter of the Arabic script. */
int layout_has_arabic_letter(const char *s);
/* Characters dotted leaders and their OCR garbage are made of. */
int layout_is_leader_char(uint32_t cp);
/* Sorani (1) or Arabic (0) by the letters of s; -1 when it cannot tell. */
int layout_lang_hint(const char *s);

/* ---- extract.c, extract_parse.c ----------------------------------------------- */

/* ocr_extract_fields with a given table. */
int extract_fields_with(const extract_labels *t, const daftar_word *words,
                        size_t n, ocr_extraction *out);

/* Searches s for the first date shape (three digit groups, one of the end
 * groups four digits long, joined by / - . ؍ or spaces).  *found is 0 when
 * there is none; when there is one, the return is DAFTAR_OK (out set) or
 * DAFTAR_EINVAL for an impossible date. */
int extract_find_date(const char *s, char out[11], int *found);
/* A date written with a month name, from normalized token keys in
 * reading order: day, month name (1-2 words), perhaps "سنة", year
 * ("١٢ آذار ١٩٩٠").  *found and *used (tokens taken) are set when the
 * shape is there; the return is DAFTAR_OK (out set) or DAFTAR_EINVAL for
 * an impossible date. */
int extract_month_date(const char *const *keys, size_t n, char out[11],
                       size_t *used, int *found);
/* Appends the ASCII digits of s (any digit style), dropping everything
 * else. */
int extract_digits_only(const char *s, dbuf *out);

#endif /* DAFTAR_EXTRACT_INT_H */
