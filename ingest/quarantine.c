/*
 * quarantine.c - refused inputs, kept.
 *
 * The bytes of a refused file go to ARCHIVE/quarantine/<sha256> (named by
 * content, so a hostile name never reaches the file system) and the reason
 * beside them in <sha256>.reason, one line; the database has the same reason
 * with the batch and the source.  Both are written temp -> fsync -> rename.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest_int.h"

int quarantine_put(ingest_ctx *c, ingest_staged *st, const char *reason,
                   char **rel)
{
  dbuf path = DBUF_INIT, note = DBUF_INIT;
  char *relpath = NULL;
  int rc;

  *rel = NULL;
  rc = dbuf_printf(&path, "%s/%s/%s", c->archive_dir, INGEST_QUARANTINE_DIR,
                   st->sha256);
  if(rc)
    goto out;
  relpath = file_join(INGEST_QUARANTINE_DIR, st->sha256);
  if(!relpath) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  rc = store_move(st, dbuf_cstr(&path));
  if(rc)
    goto out;
  rc = dbuf_puts(&path, ".reason");
  if(!rc)
    rc = dbuf_printf(&note, "%s\n", reason);
  if(!rc)
    rc = store_write_file(c, dbuf_cstr(&path), note.data, note.len);
  if(rc)
    goto out;
  *rel = relpath;
  relpath = NULL;
out:
  free(relpath);
  dbuf_free(&path);
  dbuf_free(&note);
  return rc;
}
