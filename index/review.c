/* review.c - the archivists' queue: extracted values worth a second look.
 *
 * Added by the viewer helper (issue 7).  A field is queued while it is not
 * locked (no archivist has corrected or confirmed it) and either its
 * confidence is under the threshold or it is a low-confidence candidate.
 * Lowest confidence first, so the doubtful ones come up before the rest. */
#include <string.h>

#include "index_int.h"

int index_review_json(struct index_db *db, double min_confidence, int limit,
                      int offset, dbuf *out)
{
  static const char SQL[] =
      "SELECT f.document_id, d.source, f.name, f.seq, f.value, f.raw,"
      " f.confidence, f.page, f.x0, f.y0, f.x1, f.y1, f.candidate"
      " FROM fields f JOIN documents d ON d.id = f.document_id"
      " WHERE f.locked = 0 AND d.duplicate_of IS NULL"
      " AND (f.candidate = 1 OR coalesce(f.confidence, 0) < ?1)"
      " ORDER BY coalesce(f.confidence, 0), f.document_id, f.name, f.seq"
      " LIMIT ?2 OFFSET ?3";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_double(st, 1, min_confidence);
  sqlite3_bind_int(st, 2, limit);
  sqlite3_bind_int(st, 3, offset);
  rc = dbuf_puts(out, "{\"review\": [");
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_printf(out, "%s{\"document\": %lld, \"source\": ",
                     first ? "" : ", ",
                     (long long)sqlite3_column_int64(st, 0));
    first = 0;
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 1));
    if(!rc)
      rc = dbuf_puts(out, ", \"name\": ");
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 2));
    if(!rc)
      rc = dbuf_printf(out, ", \"seq\": %d, \"value\": ",
                       sqlite3_column_int(st, 3));
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 4));
    if(!rc)
      rc = dbuf_puts(out, ", \"raw\": ");
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 5));
    if(!rc)
      rc = dbuf_printf(out, ", \"confidence\": %.1f, \"page\": %d",
                       sqlite3_column_double(st, 6),
                       sqlite3_column_int(st, 7));
    if(!rc && sqlite3_column_type(st, 8) != SQLITE_NULL)
      rc = dbuf_printf(out, ", \"bbox\": [%d, %d, %d, %d]",
                       sqlite3_column_int(st, 8), sqlite3_column_int(st, 9),
                       sqlite3_column_int(st, 10), sqlite3_column_int(st, 11));
    if(!rc)
      rc = dbuf_printf(out, ", \"candidate\": %s}",
                       sqlite3_column_int(st, 12) ? "true" : "false");
  }
  db_done(st);
  if(rc == SQLITE_DONE)
    return dbuf_puts(out, "]}\n");
  return rc < 0 ? rc : db_sqlerr(db, rc, "reading the review queue");
}
