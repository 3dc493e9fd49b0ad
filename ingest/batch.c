/*
 * batch.c - one ingest run: a batch row, then every input file taken once.
 *
 * For each file (ingest_take): stream it into ARCHIVE/tmp while hashing,
 * then decide:
 *   skipped    the same source with the same SHA-256 is already recorded
 *              (a re-run): nothing is written;
 *   duplicate  the same SHA-256 is recorded under another source: a document
 *              row linked to the first (duplicate_of), no second copy and no
 *              second set of pages (OCR reads the scan once);
 *   stored     every page decodes: the master goes to objects/, and the
 *              master, document, pages and events are one transaction;
 *   refused    the bytes go to quarantine/, the reason to the database and
 *              the summary; the run goes on and ends DAFTAR_EREFUSED.
 *
 * The master is renamed into the store before the transaction commits: a
 * crash in between leaves an unrecorded object, which the next run finds
 * already stored and records.  Never the other way round.
 *
 * file_no is the folder holding the document ("01234/doc-01.tif" ->
 * "01234"; "batch-7/01234/doc-01.tif", as in a zip made of the batch folder,
 * -> "01234" too).  A file without a folder (a single file given on the
 * command line, or one at the root of a batch) takes the name of the folder
 * or archive it came from: for "/scans/01234/doc.tif" given directly, source
 * is "doc.tif" and file_no "01234".
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest_int.h"

#define INGEST_HOST_MAX 256
#define INGEST_PROGRESS_WIDTH 30
#define INGEST_PROGRESS_EVERY_S 0.2 /* seconds between redraws */
/* Files at the root of a batch that describe it rather than belong to it
 * (the generator's truth.jsonl, a manifest, notes): skipped, not refused. */
static const char *const sidecar_ext[] = {".jsonl", ".json", ".csv", ".txt",
                                          ".md"};

void ingest_options_default(ingest_options *o)
{
  memset(o, 0, sizeof(*o));
  o->max_file_bytes = INGEST_MAX_FILE_BYTES;
  o->max_page_pixels = INGEST_MAX_PAGE_PIXELS;
  o->max_page_side = INGEST_MAX_PAGE_SIDE;
  o->max_pages_per_file = INGEST_MAX_PAGES_PER_FILE;
  o->max_entries = INGEST_MAX_ENTRIES;
  o->max_total_bytes = INGEST_MAX_TOTAL_BYTES;
  o->max_ratio = INGEST_MAX_RATIO;
}

/* ---- names --------------------------------------------------------------- */

int ingest_is_sidecar(const char *source)
{
  size_t n = strlen(source), i;

  if(strchr(source, '/'))
    return 0;
  for(i = 0; i < sizeof(sidecar_ext) / sizeof(sidecar_ext[0]); i++) {
    size_t k = strlen(sidecar_ext[i]);
    if(n > k && !strcmp(source + n - k, sidecar_ext[i]))
      return 1;
  }
  return 0;
}

int ingest_name_is_safe(const char *name, const char **problem)
{
  const char *p = name, *seg = name;

  if(!name || !*name) {
    *problem = "empty name";
    return 0;
  }
  if(name[0] == '/') {
    *problem = "absolute path";
    return 0;
  }
  for(;; p++) {
    if(*p == '/' || *p == '\0') {
      size_t len = (size_t)(p - seg);
      if(len == 2 && seg[0] == '.' && seg[1] == '.') {
        *problem = "path with '..' (would escape the batch)";
        return 0;
      }
      if(len == 0 && *p == '/') {
        *problem = "path with an empty component";
        return 0;
      }
      if(len == 1 && seg[0] == '.') {
        *problem = "path with a '.' component";
        return 0;
      }
      if(*p == '\0')
        break;
      seg = p + 1;
    } else if(*p == '\\') {
      *problem = "path with a backslash";
      return 0;
    } else if((unsigned char)*p < 0x20 || *p == 0x7f) {
      *problem = "path with control characters";
      return 0;
    }
  }
  if(!utf8_valid(name, strlen(name))) {
    *problem = "path that is not UTF-8";
    return 0;
  }
  return 1;
}

static char *file_no_of(const ingest_ctx *c, const char *source)
{
  const char *last = strrchr(source, '/'), *start;

  if(!last)
    return strdup(c->default_file_no ? c->default_file_no : "");
  start = last;
  while(start > source && start[-1] != '/')
    start--;
  return strndup(start, (size_t)(last - start));
}

/* ---- formats ------------------------------------------------------------- */

enum ingest_format ingest_sniff(const unsigned char *h, size_t n)
{
  if(n >= 4 && ((h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) &&
                 h[3] == 0) ||
                (h[0] == 'M' && h[1] == 'M' && h[2] == 0 &&
                 (h[3] == 42 || h[3] == 43))))
    return INGEST_FMT_TIFF;
  if(n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8))
    return INGEST_FMT_PNG;
  if(n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
    return INGEST_FMT_JPEG;
  if((n >= 4 && (!memcmp(h, "PK\x03\x04", 4) || !memcmp(h, "PK\x05\x06", 4) ||
                 !memcmp(h, "\x28\xb5\x2f\xfd", 4) ||
                 !memcmp(h, "Rar!", 4))) ||
     (n >= 2 && h[0] == 0x1f && h[1] == 0x8b) ||
     (n >= 3 && !memcmp(h, "BZh", 3)) ||
     (n >= 6 && (!memcmp(h, "\xfd" "7zXZ\0", 6) ||
                 !memcmp(h, "7z\xbc\xaf\x27\x1c", 6))) ||
     (n >= 262 && !memcmp(h + 257, "ustar", 5)))
    return INGEST_FMT_ARCHIVE;
  return INGEST_FMT_UNKNOWN;
}

/* ---- reasons, refusals, events ------------------------------------------- */

/* "<where>: <why>" as one printable line of bounded length. */
static char *reason_line(const char *where, const char *why)
{
  dbuf b = DBUF_INIT;
  size_t i;

  if(dbuf_printf(&b, "%s: %s", where, why && *why ? why : "refused")) {
    dbuf_free(&b);
    return NULL;
  }
  for(i = 0; i < b.len; i++)
    if((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
      b.data[i] = ' ';
  if(b.len > INGEST_REASON_MAX) {
    /* Cut at a UTF-8 boundary. */
    size_t cut = INGEST_REASON_MAX;
    while(cut > 0 && ((unsigned char)b.data[cut] & 0xc0) == 0x80)
      cut--;
    b.data[cut] = '\0';
    b.len = cut;
  }
  return dbuf_take(&b);
}

static int record_refusal(ingest_ctx *c, const char *source,
                          const char *reason, const char *sha,
                          const char *qrel)
{
  int rc;

  c->s->refused++;
  daftar_log(DLOG_WARN, "refused %s", reason);
  rc = index_refusal_add(c->db, c->s->batch_id, source, reason, sha, qrel);
  if(!rc)
    rc = index_event_add(c->db, "quarantine", "failure", c->agent,
                         c->s->batch_id, sha ? sha : source, reason);
  if(rc)
    daftar_log(DLOG_ERROR, "ingest: cannot record a refusal: %s",
               index_errmsg(c->db));
  return rc;
}

int ingest_refuse(ingest_ctx *c, const char *source, const char *where,
                  const char *why)
{
  char *reason = reason_line(where, why);
  int rc;

  if(!reason)
    return DAFTAR_ENOMEM;
  rc = record_refusal(c, source, reason, NULL, NULL);
  free(reason);
  return rc;
}

static int refuse_staged(ingest_ctx *c, const char *source,
                         const char *where, const char *why,
                         ingest_staged *st)
{
  char *reason = reason_line(where, why);
  char *qrel = NULL;
  int rc;

  if(!reason)
    return DAFTAR_ENOMEM;
  rc = quarantine_put(c, st, reason, &qrel);
  if(!rc)
    rc = record_refusal(c, source, reason, st->sha256, qrel);
  free(qrel);
  free(reason);
  return rc;
}

/* ---- progress ------------------------------------------------------------ */

static double elapsed_s(const ingest_ctx *c)
{
  struct timespec now;

  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - c->started.tv_sec) +
         (double)(now.tv_nsec - c->started.tv_nsec) / 1e9;
}

static void progress_show(ingest_ctx *c, int final)
{
  const ingest_summary *s = c->s;
  double t = elapsed_s(c), rate = t > 0 ? (double)s->pages / t : 0;
  int64_t done = s->files;

  if(!c->progress_on ||
     (!final && t - c->progress_at < INGEST_PROGRESS_EVERY_S))
    return;
  c->progress_at = t;
  if(c->total_hint > 0) {
    int fill = (int)(INGEST_PROGRESS_WIDTH * done / c->total_hint), i;
    double fps = t > 0 ? (double)done / t : 0;
    double eta = fps > 0 ? (double)(c->total_hint - done) / fps : 0;
    fputs("\r[", stderr);
    for(i = 0; i < INGEST_PROGRESS_WIDTH; i++)
      fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %lld/%lld files, %lld pages, %.1f pages/s, ETA %ds ",
            (long long)done, (long long)c->total_hint, (long long)s->pages,
            rate, (int)eta);
  } else {
    fprintf(stderr, "\r%lld files, %lld pages, %.1f pages/s ",
            (long long)done, (long long)s->pages, rate);
  }
  if(final)
    fputc('\n', stderr);
  fflush(stderr);
}

/* ---- one file ------------------------------------------------------------ */

static int record_document(ingest_ctx *c, const char *source,
                           const ingest_staged *st, const ingest_pages *pg,
                           int64_t duplicate_of, int page_count)
{
  index_document d;
  int64_t doc_id = 0;
  char *file_no = file_no_of(c, source);
  char detail[64];
  int rc, i;

  if(!file_no)
    return DAFTAR_ENOMEM;
  memset(&d, 0, sizeof(d));
  d.batch_id = c->s->batch_id;
  d.source = (char *)source;
  d.file_no = file_no;
  d.sha256 = (char *)st->sha256;
  d.page_count = page_count;
  d.duplicate_of = duplicate_of;
  rc = index_begin(c->db);
  if(rc)
    goto out;
  if(!duplicate_of)
    rc = index_master_put(c->db, st->sha256, st->size, pg->format, pg->n);
  if(!rc)
    rc = index_document_add(c->db, &d, &doc_id);
  for(i = 0; !rc && !duplicate_of && i < pg->n; i++)
    rc = index_page_add(c->db, doc_id, &pg->page[i]);
  snprintf(detail, sizeof(detail), "sha256, %lld bytes",
           (long long)st->size);
  if(!rc)
    rc = index_event_add(c->db, "message digest calculation", "success",
                         c->agent, c->s->batch_id, st->sha256, detail);
  if(!rc)
    rc = index_event_add(c->db, "ingestion", "success", c->agent,
                         c->s->batch_id, source,
                         duplicate_of ? "duplicate of an earlier document"
                                      : "stored");
  if(!rc)
    rc = index_commit(c->db);
  if(rc) {
    daftar_log(DLOG_ERROR, "ingest: cannot record %s: %s", source,
               index_errmsg(c->db));
    index_rollback(c->db);
    goto out;
  }
  manifest_note(c, source, file_no, page_count);
  c->s->documents++;
  c->s->bytes += st->size;
  if(duplicate_of)
    c->s->duplicates++;
  else
    c->s->pages += pg->n;
out:
  free(file_no);
  return rc;
}

static int check_staged(ingest_ctx *c, ingest_staged *st, ingest_pages *pg,
                        dbuf *why)
{
  switch(ingest_sniff(st->head, st->head_len)) {
  case INGEST_FMT_TIFF:
    return tiff_check(st->tmp_path, &c->o, pg, why);
  case INGEST_FMT_PNG:
    return image_check(st->tmp_path, INGEST_FMT_PNG, &c->o, pg, why);
  case INGEST_FMT_JPEG:
    return image_check(st->tmp_path, INGEST_FMT_JPEG, &c->o, pg, why);
  case INGEST_FMT_ARCHIVE:
    dbuf_puts(why, "nested archive (archives inside a batch are refused; "
              "ingest it on its own)");
    return DAFTAR_EREFUSED;
  default:
    dbuf_puts(why, "not an image (TIFF, PNG or JPEG expected)");
    return DAFTAR_EREFUSED;
  }
}

/* What is recorded already: *skipped = 1 when this source has this content
 * (a re-run); else first gets the first document with this content
 * (first->id stays 0 when there is none). */
static int known_before(ingest_ctx *c, const char *source,
                        const ingest_staged *st, int *skipped,
                        index_document *first)
{
  index_document d;
  int rc;

  *skipped = 0;
  memset(&d, 0, sizeof(d));
  rc = index_document_find_by_source(c->db, source, st->sha256, &d);
  if(rc == DAFTAR_OK) {
    *skipped = 1;
    manifest_note(c, source, d.file_no ? d.file_no : "", d.page_count);
    index_document_clear(&d);
    return DAFTAR_OK;
  }
  index_document_clear(&d);
  if(rc != DAFTAR_ENOTFOUND)
    return rc;
  rc = index_document_find_by_sha(c->db, st->sha256, first);
  return rc == DAFTAR_ENOTFOUND ? DAFTAR_OK : rc;
}

static int pending_has(const ingest_ctx *c, const char *sha256)
{
  int i;

  for(i = 0; i < c->npending; i++)
    if(!strcmp(c->pending[i].st.sha256, sha256))
      return 1;
  return 0;
}

/* Moves a checked document into the group; st and pg are left empty. */
static int pending_add(ingest_ctx *c, const char *source, ingest_staged *st,
                       ingest_pages *pg)
{
  ingest_pending *p = &c->pending[c->npending];

  p->source = strdup(source);
  if(!p->source)
    return DAFTAR_ENOMEM;
  store_start_writeback(st);
  p->st = *st;
  p->pg = *pg;
  memset(st, 0, sizeof(*st));
  st->fd = -1;
  memset(pg, 0, sizeof(*pg));
  c->npending++;
  c->pending_bytes += p->st.size;
  return DAFTAR_OK;
}

int ingest_flush(ingest_ctx *c)
{
  ingest_staged *st[INGEST_GROUP_MAX];
  int i, rc;

  if(!c->npending)
    return DAFTAR_OK;
  for(i = 0; i < c->npending; i++)
    st[i] = &c->pending[i].st;
  rc = store_commit_group(c, st, c->npending);
  for(i = 0; i < c->npending; i++) {
    ingest_pending *p = &c->pending[i];
    if(!rc)
      rc = record_document(c, p->source, &p->st, &p->pg, 0, p->pg.n);
    store_discard(&p->st);
    ingest_pages_free(&p->pg);
    free(p->source);
  }
  c->npending = 0;
  c->pending_bytes = 0;
  progress_show(c, 0);
  return rc;
}

int ingest_take(ingest_ctx *c, const char *source, const char *where,
                ingest_reader *r)
{
  ingest_staged st;
  ingest_pages pg;
  index_document first;
  dbuf why = DBUF_INIT;
  int skipped = 0, rc;

  memset(&pg, 0, sizeof(pg));
  memset(&first, 0, sizeof(first));
  c->s->files++;
  rc = store_stage(c, r, &st, &why);
  if(rc == DAFTAR_EREFUSED || rc == DAFTAR_ELIMIT) {
    int stop = rc == DAFTAR_ELIMIT;
    rc = ingest_refuse(c, source, where, dbuf_cstr(&why));
    if(!rc && stop)
      rc = DAFTAR_ELIMIT;
    goto out;
  }
  if(rc)
    goto out;
  if(st.size == 0) {
    rc = refuse_staged(c, source, where, "empty file", &st);
    goto out;
  }
  if(pending_has(c, st.sha256)) {
    /* The same content waits in the group: record the group first so the
     * lookups below see it (a duplicate points at a recorded document). */
    rc = ingest_flush(c);
    if(rc)
      goto out;
  }
  rc = known_before(c, source, &st, &skipped, &first);
  if(rc)
    goto out;
  if(skipped) {
    c->s->skipped++;
    goto out;
  }
  if(first.id) {
    rc = record_document(c, source, &st, &pg, first.id, first.page_count);
    goto out;
  }
  rc = check_staged(c, &st, &pg, &why);
  if(rc == DAFTAR_EREFUSED) {
    rc = refuse_staged(c, source, where, dbuf_cstr(&why), &st);
    goto out;
  }
  if(rc)
    goto out;
  rc = pending_add(c, source, &st, &pg);
  if(!rc && (c->npending == INGEST_GROUP_MAX ||
             c->pending_bytes >= INGEST_GROUP_BYTES))
    rc = ingest_flush(c);
out:
  store_discard(&st);
  ingest_pages_free(&pg);
  index_document_clear(&first);
  dbuf_free(&why);
  progress_show(c, 0);
  return rc;
}

/* ---- sources given directly ---------------------------------------------- */

int fd_reader_read(void *state, void *buf, size_t cap, size_t *got,
                   dbuf *why)
{
  fd_reader_state *f = state;

  for(;;) {
    ssize_t n = read(f->fd, buf, cap);
    if(n >= 0) {
      *got = (size_t)n;
      return DAFTAR_OK;
    }
    if(errno != EINTR) {
      dbuf_printf(why, "read error: %s", strerror(errno));
      return DAFTAR_EREFUSED;
    }
  }
}

static char *base_name_of(const char *path)
{
  char *tmp = strdup(path), *b;

  if(!tmp)
    return NULL;
  b = strdup(basename(tmp));
  free(tmp);
  return b;
}

static char *parent_name_of(const char *path)
{
  char *tmp = strdup(path), *p;

  if(!tmp)
    return NULL;
  p = base_name_of(dirname(tmp));
  free(tmp);
  return p;
}

/* Reads the first bytes of a file given directly, to tell an archive from
 * an image.  Leaves head_len 0 when unreadable. */
static void sniff_path(const char *path, unsigned char *head, size_t *len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  ssize_t n;

  *len = 0;
  if(fd < 0)
    return;
  n = read(fd, head, INGEST_SNIFF_BYTES);
  if(n > 0)
    *len = (size_t)n;
  close(fd);
}

static int run_single_file(ingest_ctx *c, const char *path)
{
  fd_reader_state fs;
  ingest_reader r = {fd_reader_read, &fs};
  char *source = base_name_of(path);
  int rc;

  if(!source)
    return DAFTAR_ENOMEM;
  fs.fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fs.fd < 0) {
    dbuf why = DBUF_INIT;
    dbuf_printf(&why, "cannot open: %s", strerror(errno));
    rc = ingest_refuse(c, source, source, dbuf_cstr(&why));
    dbuf_free(&why);
    free(source);
    return rc;
  }
  c->total_hint = 1;
  rc = ingest_take(c, source, source, &r);
  close(fs.fd);
  free(source);
  return rc == DAFTAR_ELIMIT ? DAFTAR_OK : rc;
}

/* 1 if path is the archive directory or inside it: ingesting the archive
 * into itself would loop over its own store. */
static int inside_archive(const char *real, const char *archive_dir)
{
  char arch[PATH_MAX];
  size_t n;

  if(!realpath(archive_dir, arch))
    return 0;
  n = strlen(arch);
  return !strncmp(real, arch, n) && (real[n] == '\0' || real[n] == '/');
}

static int run_source(ingest_ctx *c, const char *real)
{
  struct stat sb;
  unsigned char head[INGEST_SNIFF_BYTES];
  size_t hn = 0;
  char *name;
  int rc;

  if(stat(real, &sb))
    return DAFTAR_ENOTFOUND;
  if(S_ISDIR(sb.st_mode)) {
    c->default_file_no = base_name_of(real);
    return c->default_file_no ? source_dir_run(c, real) : DAFTAR_ENOMEM;
  }
  if(!S_ISREG(sb.st_mode)) {
    daftar_log(DLOG_ERROR, "ingest: %s is neither a file nor a directory",
               real);
    return DAFTAR_EINVAL;
  }
  sniff_path(real, head, &hn);
  if(ingest_sniff(head, hn) == INGEST_FMT_ARCHIVE) {
    name = base_name_of(real);
    if(!name)
      return DAFTAR_ENOMEM;
    c->default_file_no = strndup(name, strcspn(name, "."));
    rc = c->default_file_no ? source_archive_run(c, real, name)
                            : DAFTAR_ENOMEM;
    free(name);
    return rc;
  }
  c->default_file_no = parent_name_of(real);
  return c->default_file_no ? run_single_file(c, real) : DAFTAR_ENOMEM;
}

static int batch_open(ingest_ctx *c, const char *real, const char *path)
{
  char host[INGEST_HOST_MAX] = "";
  char *label = NULL;
  int rc;

  if(gethostname(host, sizeof(host) - 1))
    host[0] = '\0';
  if(!c->o.label) {
    label = base_name_of(real);
    if(!label)
      return DAFTAR_ENOMEM;
  }
  rc = index_batch_create(c->db, c->o.label ? c->o.label : label, c->agent,
                          host, path, &c->s->batch_id);
  if(rc)
    daftar_log(DLOG_ERROR, "ingest: cannot create the batch: %s",
               index_errmsg(c->db));
  free(label);
  return rc;
}

static int batch_close(ingest_ctx *c, int run_rc)
{
  index_batch b;
  const ingest_summary *s = c->s;
  int rc;

  memset(&b, 0, sizeof(b));
  b.id = s->batch_id;
  b.status = run_rc ? "failed"
             : s->refused || s->manifest_missing || s->manifest_extra ||
                     s->manifest_mismatch
                 ? "refusals"
                 : "done";
  b.files = s->files;
  b.documents = s->documents;
  b.pages = s->pages;
  b.bytes = s->bytes;
  b.duplicates = s->duplicates;
  b.refused = s->refused;
  b.skipped = s->skipped;
  rc = index_batch_finish(c->db, &b);
  if(rc)
    daftar_log(DLOG_ERROR, "ingest: cannot close the batch: %s",
               index_errmsg(c->db));
  return rc;
}

int ingest_run(struct index_db *db, const char *path, const ingest_options *o,
               ingest_summary *s)
{
  ingest_ctx c;
  ingest_summary local;
  char real[PATH_MAX];
  const char *user;
  int rc, rc2;

  if(!db || !path)
    return DAFTAR_EINVAL;
  if(!s)
    s = &local;
  memset(s, 0, sizeof(*s));
  memset(&c, 0, sizeof(c));
  c.db = db;
  c.s = s;
  c.archive_dir = index_archive_dir(db);
  if(o)
    c.o = *o;
  else
    ingest_options_default(&c.o);
  user = getenv("USER");
  c.agent = c.o.operator_name ? c.o.operator_name
                              : (user && *user ? user : "unknown");
  c.progress_on = c.o.progress && isatty(STDERR_FILENO);
  clock_gettime(CLOCK_MONOTONIC, &c.started);
  if(!realpath(path, real)) {
    daftar_log(DLOG_ERROR, "ingest: %s: %s", path, strerror(errno));
    return DAFTAR_ENOTFOUND;
  }
  if(inside_archive(real, c.archive_dir)) {
    daftar_log(DLOG_ERROR, "ingest: %s is inside the archive directory",
               path);
    return DAFTAR_EINVAL;
  }
  rc = store_prepare(c.archive_dir);
  if(rc) {
    daftar_log(DLOG_ERROR, "ingest: cannot prepare the store in %s",
               c.archive_dir);
    return rc;
  }
  if(c.o.manifest) {
    rc = manifest_load(c.o.manifest, &c.manifest);
    if(rc)
      return rc;
  }
  rc = batch_open(&c, real, path);
  if(rc)
    goto out;
  rc = run_source(&c, real);
  /* What was checked is stored and recorded even if the run failed. */
  rc2 = ingest_flush(&c);
  if(!rc)
    rc = rc2;
  progress_show(&c, 1);
  if(!rc)
    rc = manifest_finish(&c);
  rc2 = batch_close(&c, rc);
  if(!rc)
    rc = rc2;
  if(!rc && (s->refused || s->manifest_missing || s->manifest_extra ||
             s->manifest_mismatch))
    rc = DAFTAR_EREFUSED;
  if(!rc && s->documents == 0 && s->skipped > 0)
    daftar_log(DLOG_INFO, "ingest: nothing new (%lld files already "
               "recorded)", (long long)s->skipped);
out:
  free(c.default_file_no);
  manifest_free(c.manifest);
  return rc;
}
