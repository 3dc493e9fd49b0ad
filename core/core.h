/*
 * core.h - the few things every daftar module shares.
 *
 * Nothing here knows about scans, OCR or the database.  It holds:
 *   - error codes (daftar_err) and their one-line names;
 *   - dbuf, a growable byte buffer with a ceiling (every buffer that grows
 *     from outside input has one: see DBUF_DEFAULT_MAX);
 *   - logging to stderr with a level (never log personal data or secrets);
 *   - UTF-8 decoding/encoding and Arabic-script text normalization
 *     (the search key, the dotless skeleton, digit folding, bidi stripping);
 *   - file helpers: read with a size cap, atomic write (temp, fsync, rename,
 *     fsync(dir)), mkdir -p;
 *   - SHA-256 (libsodium) as lowercase hex;
 *   - a JSON string writer (escaping) for export and the web API.
 *
 * Ownership: functions that return heap memory say so; free() it.
 * Threads: everything here is reentrant except daftar_log_set_level().
 * Errors: DAFTAR_OK (0) or a negative daftar_err.
 */
#ifndef DAFTAR_CORE_H
#define DAFTAR_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- errors ------------------------------------------------------------ */

enum daftar_err {
  DAFTAR_OK = 0,
  DAFTAR_ENOMEM = -1,    /* allocation failed */
  DAFTAR_EIO = -2,       /* read/write/fsync failed (errno kept) */
  DAFTAR_EINVAL = -3,    /* bad argument or malformed value */
  DAFTAR_EREFUSED = -4,  /* input refused (bad or hostile); reason given */
  DAFTAR_EDB = -5,       /* database error */
  DAFTAR_ENOTFOUND = -6, /* no such record or file */
  DAFTAR_ELIMIT = -7,    /* a configured limit was reached */
  DAFTAR_EOCR = -8,      /* OCR engine failed */
  DAFTAR_EEXIST = -9     /* already present (not always an error) */
};

/* A short fixed English name for an error code ("out of memory"). */
const char *daftar_strerror(int err);

/* ---- growable buffer ---------------------------------------------------- */

#define DBUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)

/* data is always NUL-terminated when len > 0 or after dbuf_cstr(). */
typedef struct dbuf {
  char *data;
  size_t len;
  size_t cap;
  size_t max; /* ceiling; 0 means DBUF_DEFAULT_MAX */
} dbuf;

#define DBUF_INIT {NULL, 0, 0, 0}

void dbuf_init(dbuf *b, size_t max);
void dbuf_free(dbuf *b);
void dbuf_reset(dbuf *b); /* len = 0, memory kept */
int dbuf_append(dbuf *b, const void *p, size_t n);
int dbuf_puts(dbuf *b, const char *s);
int dbuf_putc(dbuf *b, char c);
int dbuf_printf(dbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dbuf_vprintf(dbuf *b, const char *fmt, va_list ap);
/* "" when empty; never NULL. */
const char *dbuf_cstr(dbuf *b);
/* Hands the buffer to the caller (free() it); b is left empty. */
char *dbuf_take(dbuf *b);

/* Grows a heap array of elem-sized items to twice *cap (first when *cap is
 * 0): returns the new array and updates *cap, or NULL (array and *cap
 * untouched) when out of memory or the size would overflow. */
void *array_grow(void *array, size_t *cap, size_t elem, size_t first);

/* ---- logging ------------------------------------------------------------ */

enum daftar_log_level { DLOG_ERROR = 0, DLOG_WARN, DLOG_INFO, DLOG_DEBUG };

void daftar_log_set_level(enum daftar_log_level lvl);
enum daftar_log_level daftar_log_get_level(void);
void daftar_log(enum daftar_log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- UTF-8 -------------------------------------------------------------- */

/* Decodes one code point from s (n bytes available).  *adv gets the bytes
 * consumed (>= 1 when n > 0).  Malformed input yields U+FFFD, advancing one
 * byte, so a loop always terminates. */
uint32_t utf8_decode(const char *s, size_t n, size_t *adv);
/* Writes cp as UTF-8 into out (>= 4 bytes); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);
/* 1 if s (n bytes) is valid UTF-8 with no NUL, else 0. */
int utf8_valid(const char *s, size_t n);
/* Code points of the NUL-terminated s (each byte that begins one). */
size_t utf8_count(const char *s);

/* ---- Arabic-script text --------------------------------------------------
 *
 * One normalization for Arabic and Sorani, used at index time, at query time
 * and for matching form labels:
 *   text_fold_char: presentation forms -> letters (NFKC for the Arabic
 *     blocks), harakat/tatweel/Quranic marks/bidi and format marks removed
 *     (returns 0), alef/yeh/kaf/heh variants folded to one letter, ؤ -> و,
 *     ئ -> ي, Arabic-Indic and Persian digits -> ASCII, ASCII lowercased.
 *   text_skeleton_char: the coarser class for OCR dot errors (ب ت ث ن ي
 *     share one class, ج ح خ, د ذ, ر ز ڕ, س ش, ص ض, ط ظ, ع غ, ف ق ڤ ...).
 * A lam-alef ligature folds to two letters, hence the out array.
 */

/* Folds one code point; writes 0..2 code points to out, returns the count. */
int text_fold_char(uint32_t cp, uint32_t out[2]);
/* Maps an already folded code point to its dotless class. */
uint32_t text_skeleton_char(uint32_t cp);
/* 1 for code points that join a word (letters, digits, marks, ZWNJ). */
int text_is_word_char(uint32_t cp);

/* Appends the folded key of s (n bytes) to out; words separated by one
 * space, punctuation dropped, ZWNJ joins.  */
int text_norm_key(const char *s, size_t n, dbuf *out);
/* The dotless skeleton of s (applies text_norm_key first). */
int text_norm_skeleton(const char *s, size_t n, dbuf *out);
/* Copies s without U+200E/U+200F/U+061C/U+202A-202E/U+2066-2069 marks. */
int text_strip_bidi(const char *s, size_t n, dbuf *out);
/* Arabic-Indic (U+0660..) and Persian (U+06F0..) digits -> ASCII digits. */
int text_ascii_digits(const char *s, size_t n, dbuf *out);
/* Levenshtein distance over code points (not bytes); -1 on ENOMEM. */
int text_edit_distance(const char *a, const char *b);

/* ---- files --------------------------------------------------------------- */

/* Reads a whole file of at most max bytes; *out is heap (NUL-terminated). */
int file_read_all(const char *path, size_t max, char **out, size_t *len);
/* Writes path atomically: path.tmp.<pid> -> fsync -> rename -> fsync(dir). */
int file_write_atomic(const char *path, const void *data, size_t len);
/* fsync() the directory holding path (or dir itself when is_dir). */
int file_fsync_dir(const char *path);
/* mkdir -p with mode 0755; existing directories are fine. */
int file_mkdirs(const char *path);
/* Joins a and b with one '/'; heap result or NULL. */
char *file_join(const char *a, const char *b);

/* ---- SHA-256 (libsodium) ----------------------------------------------- */

#define SHA256_HEX_LEN 64

typedef struct sha256_ctx {
  unsigned char state[128] __attribute__((aligned(64))); /* crypto_hash_sha256_state */
} sha256_ctx;

int sha256_init(sha256_ctx *c);
int sha256_update(sha256_ctx *c, const void *p, size_t n);
/* hex gets 64 lowercase hex digits and a NUL. */
int sha256_final_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1]);
int sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_LEN + 1]);
int sha256_file_hex(const char *path, char hex[SHA256_HEX_LEN + 1]);

/* ---- shared records --------------------------------------------------------
 * A recognized word and an extracted field: made by ocr/, stored by index/,
 * shown by viewer/.  Boxes are in master-page pixels, x0,y0 top-left,
 * x1,y1 exclusive bottom-right. */

typedef struct daftar_box {
  int x0, y0, x1, y1;
} daftar_box;

typedef struct daftar_word {
  char *text;    /* UTF-8, logical order, no bidi marks */
  int page;      /* 1-based page of the document */
  int block;     /* Tesseract block, paragraph and line numbers on the page */
  int para;
  int line;
  daftar_box box;
  float conf;    /* 0..100 */
} daftar_word;

/* Field names of the export contract (issue 2). */
#define DAFTAR_FIELD_NAMES                                                     \
  "worker_name", "mother_name", "birth_date", "national_id", "worker_ssn",    \
      "employer_name", "employer_number", "start_date", "end_date",           \
      "monthly_wage"
#define DAFTAR_NFIELD_NAMES 10
#define DAFTAR_NAME_MAX 32

typedef struct daftar_field {
  char name[DAFTAR_NAME_MAX]; /* one of DAFTAR_FIELD_NAMES */
  char *value;                /* normalized: YYYY-MM-DD, ASCII digits, text */
  char *raw;                  /* as recognized */
  float confidence;           /* 0..100 */
  int page;                   /* 1-based; 0 when not from a page */
  daftar_box box;
  char rule[DAFTAR_NAME_MAX]; /* which rule produced it ("label-colon") */
  int candidate;              /* 1: a low-confidence candidate, not a fact */
} daftar_field;

void daftar_words_free(daftar_word *w, size_t n);
/* The smallest box holding a and b. */
daftar_box daftar_box_union(daftar_box a, daftar_box b);
void daftar_fields_free(daftar_field *f, size_t n);

/* ---- JSON output ------------------------------------------------------- */

/* Appends s as a quoted JSON string (escaping controls, quotes, backslash;
 * invalid UTF-8 becomes U+FFFD).  NULL appends null. */
int json_put_str(dbuf *b, const char *s);
int json_put_strn(dbuf *b, const char *s, size_t n);
/* Appends "key": (with the quotes and colon). */
int json_put_key(dbuf *b, const char *key);

#endif /* DAFTAR_CORE_H */
