/*
 * ingest_int.h - what the files of ingest/ share (not a public header).
 *
 * The flow of one input file, whatever its source (directory, archive entry,
 * single file):
 *
 *   source_*.c     lists the input deterministically and refuses hostile
 *                  entries (links, devices, "..", absolute paths, encrypted
 *                  entries) before reading a byte;
 *   page_store.c   streams the bytes through an ingest_reader into
 *                  ARCHIVE/tmp, hashing them (SHA-256 at first contact) and
 *                  enforcing the size caps while streaming;
 *   tiff_check.c / image_check.c
 *                  decode every page of the staged copy once, with bounded
 *                  memory, and describe the pages;
 *   batch.c        decides: skipped (already recorded), duplicate, stored,
 *                  or refused; records each document in one transaction;
 *   quarantine.c   keeps refused bytes under ARCHIVE/quarantine/<sha256>.
 *
 * Everything written goes under the archive directory: ARCHIVE/tmp (staging;
 * emptied of dead runs' leftovers at the start of a run), ARCHIVE/objects
 * and ARCHIVE/quarantine.
 */
#ifndef DAFTAR_INGEST_INT_H
#define DAFTAR_INGEST_INT_H

#include <stdint.h>
#include <time.h>

#include "core.h"
#include "index.h"
#include "ingest.h"

#define INGEST_OBJECTS_DIR "objects"
#define INGEST_QUARANTINE_DIR "quarantine"
#define INGEST_TMP_DIR "tmp"
#define INGEST_TMP_PREFIX "ingest-" /* ingest-<pid>-<start>-<seq> */

#define INGEST_CHUNK ((size_t)64 * 1024)  /* streaming read size */
#define INGEST_SNIFF_BYTES 512            /* kept to recognize the format */
/* The ratio cap is judged only once an entry has produced this much: tiny
 * entries (a white page) compress far better than 200:1 without harm. */
#define INGEST_RATIO_MIN_BYTES ((int64_t)1024 * 1024)
#define INGEST_REASON_MAX 1000 /* bytes of one refusal line */
#define INGEST_MAX_DEPTH 32    /* directory nesting in a batch */
/* Checked documents wait in a group until it is this full (or holds this
 * many bytes), then are stored and recorded together: see
 * store_commit_group().  Bounds open temp files and unrecorded work. */
#define INGEST_GROUP_MAX 32
#define INGEST_GROUP_BYTES ((int64_t)64 * 1024 * 1024)

/* Result of a reader or of staging besides DAFTAR_OK and run failures:
 * DAFTAR_EREFUSED  refuse this input, go on with the next;
 * DAFTAR_ELIMIT    refuse this input and stop reading its source (archive
 *                  bombs, entry caps, unreadable archive stream). */

typedef struct ingest_reader {
  /* Reads up to cap bytes into buf; *got = 0 at the end.  On refusal fills
   * why (one line, no file name: the caller adds it). */
  int (*read)(void *state, void *buf, size_t cap, size_t *got, dbuf *why);
  void *state;
} ingest_reader;

/* Pages found by a check.  compression names are static strings. */
typedef struct ingest_pages {
  index_page_info *page;
  int n, cap;
  const char *format; /* "tiff", "png", "jpeg" */
} ingest_pages;

typedef struct ingest_staged {
  char *tmp_path;                  /* heap; NULL once committed/discarded */
  int fd;                          /* open on tmp_path until kept or dropped;
                                      fsync'ed only when kept */
  char sha256[SHA256_HEX_LEN + 1];
  int64_t size;
  unsigned char head[INGEST_SNIFF_BYTES];
  size_t head_len;
} ingest_staged;

typedef struct ingest_manifest ingest_manifest;

/* A checked document waiting for its group to be stored and recorded. */
typedef struct ingest_pending {
  char *source;
  ingest_staged st;
  ingest_pages pg;
} ingest_pending;

typedef struct ingest_ctx {
  struct index_db *db;
  const char *archive_dir;
  ingest_options o;
  ingest_summary *s;
  const char *agent;          /* operator name for events */
  char *default_file_no;      /* for sources without a folder */
  int64_t total_bytes;        /* bytes streamed from the whole batch */
  int64_t entries;            /* entries listed (archive or directory) */
  int64_t total_hint;         /* files to expect, 0 when unknown */
  int progress_on;
  struct timespec started;
  double progress_at;         /* seconds after start of the last redraw */
  ingest_manifest *manifest;  /* NULL without --manifest */
  ingest_pending pending[INGEST_GROUP_MAX];
  int npending;
  int64_t pending_bytes;
} ingest_ctx;

/* batch.c */
/* Stores and records the waiting group; sources call it before they return
 * (ingest_run does too). */
int ingest_flush(ingest_ctx *c);
int ingest_take(ingest_ctx *c, const char *source, const char *where,
                ingest_reader *r);
/* Records a refusal whose bytes could not be (or need not be) kept. */
int ingest_refuse(ingest_ctx *c, const char *source, const char *where,
                  const char *why);
int ingest_is_sidecar(const char *source);
/* 1 if name (a path inside a batch) is safe: relative, no "..", no empty
 * or "." components, no backslash, no control characters. */
int ingest_name_is_safe(const char *name, const char **problem);

enum ingest_format {
  INGEST_FMT_UNKNOWN = 0,
  INGEST_FMT_TIFF,
  INGEST_FMT_PNG,
  INGEST_FMT_JPEG,
  INGEST_FMT_ARCHIVE
};
enum ingest_format ingest_sniff(const unsigned char *head, size_t n);

/* source_dir.c, source_archive.c */
int source_dir_run(ingest_ctx *c, const char *root);
int source_archive_run(ingest_ctx *c, const char *path, const char *name);
/* A reader over an open file descriptor (single files, directory files). */
typedef struct fd_reader_state {
  int fd;
} fd_reader_state;
int fd_reader_read(void *state, void *buf, size_t cap, size_t *got,
                   dbuf *why);

/* page_store.c */

int store_prepare(const char *archive_dir);
/* Streams r into ARCHIVE/tmp.  DAFTAR_OK, or EREFUSED/ELIMIT with why
 * (the partial copy is removed), or EIO/ENOMEM. */
int store_stage(ingest_ctx *c, ingest_reader *r, ingest_staged *st,
                dbuf *why);
/* fsync all, rename into objects/ab/cdef... (unless already stored), fsync
 * the folders: after it returns DAFTAR_OK the objects survive a power loss
 * and may be recorded. */
int store_commit_group(ingest_ctx *c, ingest_staged *const *st, int n);
void store_start_writeback(ingest_staged *st);
void store_discard(ingest_staged *st);
/* Moves a staged file to dest (an absolute path) durably. */
int store_move(ingest_staged *st, const char *dest);
int store_write_file(ingest_ctx *c, const char *dest, const void *data,
                     size_t len);

/* quarantine.c: keeps the staged bytes; *rel gets the path relative to the
 * archive (heap). */
int quarantine_put(ingest_ctx *c, ingest_staged *st, const char *reason,
                   char **rel);

/* manifest.c */
int manifest_load(const char *path, ingest_manifest **out);
void manifest_free(ingest_manifest *m);
/* Accounts for one document of the batch (stored, duplicate or skipped). */
void manifest_note(ingest_ctx *c, const char *source, const char *file_no,
                   int pages);
/* Counts what was never seen, records a "reconciliation" event. */
int manifest_finish(ingest_ctx *c);

/* tiff_check.c, image_check.c.  DAFTAR_OK with pages filled, EREFUSED with
 * why, or ENOMEM. */
int tiff_check(const char *path, const ingest_options *o, ingest_pages *pg,
               dbuf *why);
int image_check(const char *path, enum ingest_format fmt,
                const ingest_options *o, ingest_pages *pg, dbuf *why);
int ingest_pages_add(ingest_pages *pg, const index_page_info *p);
void ingest_pages_free(ingest_pages *pg);
/* Page-size limits shared by both checks. */
int ingest_check_dims(const ingest_options *o, int64_t w, int64_t h,
                      int page, dbuf *why);

#endif /* DAFTAR_INGEST_INT_H */
