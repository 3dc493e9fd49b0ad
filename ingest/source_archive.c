/*
 * source_archive.c - zip, tar and tar.gz batches, streamed through libarchive.
 *
 * Nothing is extracted: each entry's data is streamed into ARCHIVE/tmp by
 * ingest_take, and its name is only ever a label (the source), never a path
 * on disk.  Entries are refused before their data is read when they are
 * links (symbolic or hard), devices, fifos or sockets, encrypted, or named
 * with an absolute path, a ".." component, a backslash or control
 * characters.  Folders are skipped.
 *
 * Bombs: the entry count, the bytes of the batch and each entry's ratio of
 * produced to consumed bytes are checked as the data streams (the sizes an
 * archive declares are not trusted).  Any of them, an unreadable stream, or
 * a refusal in the middle of an entry's data stops the archive: skipping
 * the rest of an entry would mean decompressing it all.  What came before
 * stays ingested.
 */
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "ingest_int.h"

#define ARCHIVE_BLOCK ((size_t)64 * 1024)

typedef struct entry_reader {
  struct archive *a;
  const ingest_options *o;
  int64_t raw_start; /* compressed bytes consumed when the entry began */
  int64_t produced;
  int eof;           /* the entry was read to its end */
  int failed;        /* the stream broke */
} entry_reader;

static int entry_read(void *state, void *buf, size_t cap, size_t *got,
                      dbuf *why)
{
  entry_reader *er = state;
  la_ssize_t n;
  int64_t consumed;

  *got = 0;
  n = archive_read_data(er->a, buf, cap);
  if(n < 0) {
    er->failed = 1;
    dbuf_printf(why, "archive data unreadable: %s",
                archive_error_string(er->a) ? archive_error_string(er->a)
                                            : "unknown error");
    return DAFTAR_ELIMIT;
  }
  if(n == 0) {
    er->eof = 1;
    return DAFTAR_OK;
  }
  er->produced += n;
  consumed = archive_filter_bytes(er->a, -1) - er->raw_start;
  if(consumed < 1)
    consumed = 1;
  if(er->produced >= INGEST_RATIO_MIN_BYTES &&
     er->produced / consumed > er->o->max_ratio) {
    dbuf_printf(why, "compression ratio over %d:1 (an archive bomb?); "
                "the rest of the archive was not read", er->o->max_ratio);
    return DAFTAR_ELIMIT;
  }
  *got = (size_t)n;
  return DAFTAR_OK;
}

/* Why an entry is refused before its data is read; NULL if it is not. */
static const char *entry_problem(struct archive_entry *e, const char *name)
{
  const char *problem = NULL;
  mode_t type = archive_entry_filetype(e);

  if(archive_entry_hardlink(e))
    return "hard link (links are refused)";
  if(type == AE_IFLNK || archive_entry_symlink(e))
    return "symbolic link (links are refused)";
  if(!ingest_name_is_safe(name, &problem))
    return problem;
  if(type == AE_IFDIR)
    return NULL;
  if(type != AE_IFREG)
    return "device, fifo or socket (not a regular file)";
  if(archive_entry_is_encrypted(e))
    return "encrypted entry";
  return NULL;
}

/* Reads a skipped entry to its end under the same caps (letting libarchive
 * skip it would decompress it without any). */
static int drain_entry(ingest_ctx *c, const char *name, const char *where,
                       entry_reader *er)
{
  char *buf = malloc(INGEST_CHUNK);
  dbuf why = DBUF_INIT;
  int64_t size = 0;
  int rc = DAFTAR_OK;

  if(!buf)
    return DAFTAR_ENOMEM;
  while(!er->eof) {
    size_t got = 0;
    rc = entry_read(er, buf, INGEST_CHUNK, &got, &why);
    size += (int64_t)got;
    c->total_bytes += (int64_t)got;
    if(!rc && (size > c->o.max_file_bytes ||
               c->total_bytes > c->o.max_total_bytes)) {
      dbuf_puts(&why, "larger than the size limits; the rest of the "
                "archive was not read");
      rc = DAFTAR_ELIMIT;
    }
    if(rc)
      break;
  }
  if(rc == DAFTAR_ELIMIT)
    rc = ingest_refuse(c, name, where, dbuf_cstr(&why));
  free(buf);
  dbuf_free(&why);
  return rc;
}

/* "<archive>: entry <name>" for reasons; the name made printable. */
static int entry_where(dbuf *w, const char *archive_name, const char *name)
{
  return dbuf_printf(w, "%s: entry %s", archive_name, name);
}

static int take_entry(ingest_ctx *c, struct archive *a,
                      struct archive_entry *e, const char *archive_name,
                      int *stop)
{
  const char *name = archive_entry_pathname(e);
  const char *problem;
  entry_reader er;
  ingest_reader r = {entry_read, &er};
  dbuf where = DBUF_INIT;
  int rc = DAFTAR_OK;

  if(!name)
    name = "";
  /* "tar -C batch -cf b.tar ." names entries "./01234/doc.tif". */
  while(name[0] == '.' && name[1] == '/')
    name += 2;
  if(!strcmp(name, ".") || (!*name && archive_entry_filetype(e) == AE_IFDIR))
    goto out;
  problem = entry_problem(e, name);
  rc = entry_where(&where, archive_name, name);
  if(rc)
    goto out;
  if(problem) {
    rc = ingest_refuse(c, name, dbuf_cstr(&where), problem);
    goto out;
  }
  if(archive_entry_filetype(e) == AE_IFDIR)
    goto out;
  memset(&er, 0, sizeof(er));
  er.a = a;
  er.o = &c->o;
  er.raw_start = archive_filter_bytes(a, -1);
  if(ingest_is_sidecar(name)) {
    daftar_log(DLOG_INFO, "ingest: %s describes the batch; skipped", name);
    rc = drain_entry(c, name, dbuf_cstr(&where), &er);
    if(!er.eof)
      *stop = 1;
    goto out;
  }
  rc = ingest_take(c, name, dbuf_cstr(&where), &r);
  if(rc == DAFTAR_ELIMIT || (!rc && !er.eof)) {
    /* A cap or a refusal stopped the entry half-read. */
    *stop = 1;
    rc = DAFTAR_OK;
  }
out:
  dbuf_free(&where);
  return rc;
}

static int refuse_archive(ingest_ctx *c, const char *archive_name,
                          struct archive *a, const char *what)
{
  dbuf why = DBUF_INIT;
  int rc;

  dbuf_printf(&why, "%s: %s", what,
              archive_error_string(a) ? archive_error_string(a)
                                      : "unknown error");
  rc = ingest_refuse(c, archive_name, archive_name, dbuf_cstr(&why));
  dbuf_free(&why);
  return rc;
}

int source_archive_run(ingest_ctx *c, const char *path, const char *name)
{
  struct archive *a = archive_read_new();
  struct archive_entry *e;
  int64_t listed = 0;
  int rc = DAFTAR_OK, stop = 0;

  if(!a)
    return DAFTAR_ENOMEM;
  archive_read_support_filter_all(a);
  archive_read_support_format_zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  if(archive_read_open_filename(a, path, ARCHIVE_BLOCK) != ARCHIVE_OK) {
    rc = refuse_archive(c, name, a, "not a readable zip or tar archive");
    goto out;
  }
  while(!rc && !stop) {
    int r = archive_read_next_header(a, &e);

    if(r == ARCHIVE_EOF)
      break;
    if(r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      rc = refuse_archive(c, name, a, listed ? "archive damaged; the rest "
                          "was not read" : "not a readable zip or tar archive");
      break;
    }
    if(++listed > c->o.max_entries) {
      dbuf why = DBUF_INIT;
      dbuf_printf(&why, "more than %lld entries (an archive bomb?); the "
                  "rest was not read", (long long)c->o.max_entries);
      rc = ingest_refuse(c, name, name, dbuf_cstr(&why));
      dbuf_free(&why);
      break;
    }
    c->entries = listed;
    rc = take_entry(c, a, e, name, &stop);
  }
out:
  archive_read_free(a);
  return rc;
}
