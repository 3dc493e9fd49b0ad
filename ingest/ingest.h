/*
 * ingest.h - accept scanned batches into the archive.
 *
 * A batch is a directory, a zip or tar(.gz) of one, or a single image file,
 * laid out as <batch>/<file-number>/<document>.tif.  Each file is read once:
 * its SHA-256 is taken at first contact, every page is fully decoded (a
 * truncated strip does not pass), and the master is copied into the
 * content-addressed store ARCHIVE/objects/ab/cdef... (temp, flushed to
 * disk, renamed, the name flushed: all before it is recorded); it is never
 * modified afterwards.  The document and its pages are recorded in one
 * transaction through index/.  docs/INGEST.md has the details.
 *
 * Refused inputs (not an image, corrupt, truncated, absurd dimensions,
 * hostile archive entries, archive bombs) are copied to ARCHIVE/quarantine
 * with their reason, listed in the summary, and make the run non-zero; the
 * rest of the batch goes on.  Nothing is written outside the archive.
 *
 * Re-running a batch records nothing new; the same scan in another batch is
 * recorded as a duplicate of the first, stored once.
 *
 * Ownership: summaries are plain values filled by ingest_run() (nothing to
 * free).  Threads: one run per index handle.
 * Errors: DAFTAR_OK, DAFTAR_EREFUSED when anything was refused or the
 * manifest does not reconcile (the rest was ingested), or another negative
 * daftar_err for a failure of the run (details logged through daftar_log).
 *
 * Sources: a document's source is its path relative to the batch root (in
 * an archive, its path inside the archive, a leading "./" dropped); file_no
 * is the folder holding it ("01234/doc-01.tif" -> "01234", also under a
 * wrapper folder "batch/01234/doc-01.tif").  A single file given directly
 * has source = its base name and file_no = its parent folder's name.
 * Files with .jsonl/.json/.csv/.txt/.md at the batch root (the generator's
 * truth.jsonl, a manifest) describe the batch and are skipped.  Archive
 * caps (entries, bytes, ratio) stop the archive at the offending entry.
 */
#ifndef DAFTAR_INGEST_H
#define DAFTAR_INGEST_H

#include <stdint.h>

#include "core.h"
#include "index.h"

struct Pix; /* Leptonica */

/* Limits (all configurable through ingest_options). */
#define INGEST_MAX_FILE_BYTES ((int64_t)512 * 1024 * 1024)
#define INGEST_MAX_PAGE_PIXELS ((int64_t)20000 * 20000)
#define INGEST_MAX_PAGE_SIDE 30000
#define INGEST_MAX_PAGES_PER_FILE 2000
#define INGEST_MAX_ENTRIES 200000
#define INGEST_MAX_TOTAL_BYTES ((int64_t)64 * 1024 * 1024 * 1024)
#define INGEST_MAX_RATIO 200 /* uncompressed / compressed, per entry */
#define INGEST_MAX_ALLOC ((size_t)1024 * 1024 * 1024) /* libtiff single alloc */

typedef struct ingest_options {
  const char *operator_name; /* default: $USER */
  const char *label;         /* default: the batch's base name */
  const char *manifest;      /* optional CSV for reconciliation; NULL.
                                "file number,document,pages" a line */
  int64_t max_file_bytes;
  int64_t max_page_pixels;
  int max_page_side;
  int max_pages_per_file;
  int64_t max_entries;
  int64_t max_total_bytes;
  int max_ratio;
  int progress;              /* 1: progress bar on stderr (a terminal) */
} ingest_options;

/* Fills o with the defaults above. */
void ingest_options_default(ingest_options *o);

typedef struct ingest_summary {
  int64_t batch_id;
  int64_t files, documents, pages, bytes, duplicates, refused, skipped;
  /* Added by ingest: reconciliation against o->manifest (0 without one).
   * Each problem is also logged on its own line; any makes the run
   * DAFTAR_EREFUSED. */
  int64_t manifest_missing, manifest_extra, manifest_mismatch;
} ingest_summary;

/* Ingests one PATH (directory, archive or single file) as one batch. */
int ingest_run(struct index_db *db, const char *path, const ingest_options *o,
               ingest_summary *s);

/* Re-hashes stored masters (all, or a random sample of n), records a fixity
 * event each, and reports missing or altered ones on stderr.  DAFTAR_OK when
 * all match, DAFTAR_EREFUSED-style failure (DAFTAR_EIO) otherwise. */
int ingest_verify(struct index_db *db, int sample, int64_t *checked,
                  int64_t *bad);

/* Path of a stored master: ARCHIVE/objects/ab/cdef...; heap. */
char *ingest_object_path(const char *archive_dir, const char *sha256);

/* Decodes page n (1-based) of a stored master into a Leptonica PIX
 * (caller pixDestroy()s it). */
int ingest_page_read(const char *archive_dir, const char *sha256, int n,
                     struct Pix **out);

#endif /* DAFTAR_INGEST_H */
