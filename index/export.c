/*
 * export.c - documents as JSON: the export lines (issue 2's contract) and
 * the viewer's document record.
 *
 * Export line (one per document, documents in id order):
 *   {"source": ..., "file_no": ..., "batch": ..., "doc_type": ...,
 *    "pages": [{"n": 1, "text": ..., "confidence": 87.50,
 *               "raw_text": ...}],
 *    "fields": {"worker_name": {"value": ..., "confidence": 91.00,
 *               "page": 1, "bbox": [x0, y0, x1, y1]}, ...},
 *    "id": 7}
 * Only primary fields appear (not candidates); "bbox" is null for a value
 * not read from a page (a correction); a corrected field adds
 * "locked": true; a name the employer or worker register settled
 * (employers.c, workers.c: rule ending "+employer" or "+worker") adds
 * "read": the page's own reading.  A page not
 * recognized yet has null text and confidence.
 * "raw_text" (the model's reading before the letter correction, issue 8)
 * appears only on pages the correction changed.
 *
 * Duplicates (the same scan recorded again, in another batch or folder)
 * are exported too, so every source the operator gave has its line; the
 * line adds "duplicate_of": {"id": ..., "source": ..., "batch": ...} and,
 * when the duplicate has no pages of its own, shows the first document's
 * pages and fields (the scan is byte-identical).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

static int put_member(dbuf *b, const char *key, int first)
{
  int rc = first ? DAFTAR_OK : dbuf_puts(b, ", ");

  if(!rc)
    rc = json_put_str(b, key);
  if(!rc)
    rc = dbuf_puts(b, ": ");
  return rc;
}

static int put_col_str(dbuf *b, sqlite3_stmt *st, int i)
{
  return json_put_str(b, (const char *)sqlite3_column_text(st, i));
}

static int put_col_real(dbuf *b, sqlite3_stmt *st, int i)
{
  if(sqlite3_column_type(st, i) == SQLITE_NULL)
    return dbuf_puts(b, "null");
  return json_put_real(b, sqlite3_column_double(st, i));
}

static int put_bbox(dbuf *b, sqlite3_stmt *st, int page_col)
{
  if(sqlite3_column_int(st, page_col) <= 0)
    return dbuf_puts(b, "null");
  return dbuf_printf(b, "[%d, %d, %d, %d]",
                     sqlite3_column_int(st, page_col + 1),
                     sqlite3_column_int(st, page_col + 2),
                     sqlite3_column_int(st, page_col + 3),
                     sqlite3_column_int(st, page_col + 4));
}

/* The document whose pages and fields show for doc_id: itself, or the
 * first document of its scan when it is a duplicate without pages. */
static int content_doc(struct index_db *db, int64_t doc_id, int64_t *cid)
{
  static const char SQL[] =
      "SELECT CASE WHEN d.duplicate_of IS NOT NULL AND NOT EXISTS("
      " SELECT 1 FROM pages p WHERE p.document_id = d.id)"
      " THEN d.duplicate_of ELSE d.id END FROM documents d WHERE d.id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    *cid = sqlite3_column_int64(st, 0);
    rc = DAFTAR_OK;
  }
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no document %lld",
                 (long long)doc_id);
  else
    rc = db_sqlerr(db, rc, "reading the document");
  db_done(st);
  return rc;
}

/* Finishes a row loop: SQLITE_DONE is success. */
static int loop_end(struct index_db *db, sqlite3_stmt *st, int rc,
                    const char *what)
{
  db_done(st);
  if(rc == SQLITE_DONE)
    return DAFTAR_OK;
  if(rc > 0)
    return db_sqlerr(db, rc, what);
  return rc;
}

/* ---- export ---------------------------------------------------------------- */

static int export_pages(struct index_db *db, int64_t cid, dbuf *b)
{
  static const char SQL[] =
      "SELECT p.n, p.text, p.confidence, r.text FROM pages p"
      " LEFT JOIN page_raw_text r ON r.page_id = p.id"
      " WHERE p.document_id = ?1 ORDER BY p.n";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, cid);
  rc = dbuf_putc(b, '[');
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_puts(b, first ? "{" : ", {");
    first = 0;
    if(!rc)
      rc = put_member(b, "n", 1);
    if(!rc)
      rc = json_put_int(b, sqlite3_column_int64(st, 0));
    if(!rc)
      rc = put_member(b, "text", 0);
    if(!rc)
      rc = put_col_str(b, st, 1);
    if(!rc)
      rc = put_member(b, "confidence", 0);
    if(!rc)
      rc = put_col_real(b, st, 2);
    if(!rc && sqlite3_column_type(st, 3) != SQLITE_NULL) {
      rc = put_member(b, "raw_text", 0);
      if(!rc)
        rc = put_col_str(b, st, 3);
    }
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  rc = loop_end(db, st, rc, "reading pages");
  return rc ? rc : dbuf_putc(b, ']');
}

static int export_fields(struct index_db *db, int64_t cid, dbuf *b)
{
  static const char SQL[] =
      "SELECT name, value, confidence, page, x0, y0, x1, y1, locked,"
      " CASE WHEN locked = 0 AND (rule LIKE '%+employer'"
      "  OR rule LIKE '%+worker') THEN old_value END"
      " FROM fields WHERE document_id = ?1 AND seq = 0 AND candidate = 0"
      " ORDER BY name";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, cid);
  rc = dbuf_putc(b, '{');
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = put_member(b, (const char *)sqlite3_column_text(st, 0), first);
    first = 0;
    if(!rc)
      rc = dbuf_putc(b, '{');
    if(!rc)
      rc = put_member(b, "value", 1);
    if(!rc)
      rc = put_col_str(b, st, 1);
    if(!rc)
      rc = put_member(b, "confidence", 0);
    if(!rc)
      rc = put_col_real(b, st, 2);
    if(!rc)
      rc = put_member(b, "page", 0);
    if(!rc)
      rc = json_put_int(b, sqlite3_column_int64(st, 3));
    if(!rc)
      rc = put_member(b, "bbox", 0);
    if(!rc)
      rc = put_bbox(b, st, 3);
    if(!rc && sqlite3_column_int(st, 8))
      rc = dbuf_puts(b, ", \"locked\": true");
    if(!rc && sqlite3_column_type(st, 9) != SQLITE_NULL) {
      rc = put_member(b, "read", 0);
      if(!rc)
        rc = put_col_str(b, st, 9);
    }
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  rc = loop_end(db, st, rc, "reading fields");
  return rc ? rc : dbuf_putc(b, '}');
}

static const char SQL_EXPORT_DOCS[] =
    "SELECT d.id, d.source, d.file_no, b.label, d.duplicate_of,"
    " o.source, ob.label FROM documents d JOIN batches b ON b.id = d.batch_id"
    " LEFT JOIN documents o ON o.id = d.duplicate_of"
    " LEFT JOIN batches ob ON ob.id = o.batch_id ORDER BY d.id";

static int doc_type_of(struct index_db *db, int64_t id, dbuf *out)
{
  static const char SQL[] = "SELECT doc_type FROM documents WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    rc = json_put_str(out, (const char *)sqlite3_column_text(st, 0));
  else
    rc = db_sqlerr(db, rc, "reading the document type");
  db_done(st);
  return rc;
}

static int export_line(struct index_db *db, sqlite3_stmt *d, dbuf *b)
{
  int64_t id = sqlite3_column_int64(d, 0), cid = id;
  int rc;

  rc = content_doc(db, id, &cid);
  if(!rc)
    rc = dbuf_putc(b, '{');
  if(!rc)
    rc = put_member(b, "source", 1);
  if(!rc)
    rc = put_col_str(b, d, 1);
  if(!rc)
    rc = put_member(b, "file_no", 0);
  if(!rc)
    rc = put_col_str(b, d, 2);
  if(!rc)
    rc = put_member(b, "batch", 0);
  if(!rc)
    rc = put_col_str(b, d, 3);
  if(!rc)
    rc = put_member(b, "doc_type", 0);
  if(!rc)
    rc = doc_type_of(db, cid, b);
  if(!rc)
    rc = put_member(b, "pages", 0);
  if(!rc)
    rc = export_pages(db, cid, b);
  if(!rc)
    rc = put_member(b, "fields", 0);
  if(!rc)
    rc = export_fields(db, cid, b);
  if(!rc)
    rc = put_member(b, "id", 0);
  if(!rc)
    rc = json_put_int(b, id);
  if(!rc && sqlite3_column_type(d, 4) != SQLITE_NULL) {
    rc = put_member(b, "duplicate_of", 0);
    if(!rc)
      rc = dbuf_putc(b, '{');
    if(!rc)
      rc = put_member(b, "id", 1);
    if(!rc)
      rc = json_put_int(b, sqlite3_column_int64(d, 4));
    if(!rc)
      rc = put_member(b, "source", 0);
    if(!rc)
      rc = put_col_str(b, d, 5);
    if(!rc)
      rc = put_member(b, "batch", 0);
    if(!rc)
      rc = put_col_str(b, d, 6);
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  if(!rc)
    rc = dbuf_puts(b, "}\n");
  return rc;
}

int index_export_jsonl(struct index_db *db, FILE *out)
{
  sqlite3_stmt *st;
  dbuf line = DBUF_INIT;
  int rc;

  /* One read transaction: the export is a consistent snapshot even while
   * OCR or extraction write. */
  rc = db->explicit_txn ? DAFTAR_OK : db_exec(db, "BEGIN");
  if(rc)
    return rc;
  st = db_stmt(db, SQL_EXPORT_DOCS);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    dbuf_reset(&line);
    rc = export_line(db, st, &line);
    if(rc)
      break;
    if(fwrite(line.data, 1, line.len, out) != line.len) {
      rc = db_fail(db, DAFTAR_EIO, "export: write failed");
      break;
    }
  }
  rc = loop_end(db, st, rc, "exporting");
  if(!rc && fflush(out) != 0)
    rc = db_fail(db, DAFTAR_EIO, "export: write failed");
out:
  if(!db->explicit_txn)
    db_exec(db, rc ? "ROLLBACK" : "COMMIT");
  dbuf_free(&line);
  return rc;
}

/* ---- the viewer's document ------------------------------------------------- */

static int doc_header_json(struct index_db *db, int64_t doc_id, dbuf *b)
{
  static const char SQL[] =
      "SELECT d.id, d.source, d.file_no, b.label, d.sha256, d.doc_type,"
      " d.page_count, d.duplicate_of, d.extract_state,"
      " w.ssn, w.national_id, w.name, e.number, e.name, d.worker_id,"
      " d.employer_id"
      " FROM documents d JOIN batches b ON b.id = d.batch_id"
      " LEFT JOIN workers w ON w.id = d.worker_id"
      " LEFT JOIN employers e ON e.id = d.employer_id WHERE d.id = ?1";
  static const char *const keys[] = {"source", "file_no", "batch", "sha256",
                                     "doc_type"};
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc != SQLITE_ROW) {
    rc = rc == SQLITE_DONE
             ? db_fail(db, DAFTAR_ENOTFOUND, "no document %lld",
                       (long long)doc_id)
             : db_sqlerr(db, rc, "reading the document");
    db_done(st);
    return rc;
  }
  rc = put_member(b, "id", 1);
  if(!rc)
    rc = json_put_int(b, sqlite3_column_int64(st, 0));
  for(int i = 0; !rc && i < 5; i++) {
    rc = put_member(b, keys[i], 0);
    if(!rc)
      rc = put_col_str(b, st, i + 1);
  }
  if(!rc)
    rc = put_member(b, "page_count", 0);
  if(!rc)
    rc = json_put_int(b, sqlite3_column_int64(st, 6));
  if(!rc)
    rc = put_member(b, "duplicate_of", 0);
  if(!rc)
    rc = sqlite3_column_type(st, 7) == SQLITE_NULL
             ? dbuf_puts(b, "null")
             : json_put_int(b, sqlite3_column_int64(st, 7));
  if(!rc)
    rc = put_member(b, "extract_state", 0);
  if(!rc)
    rc = put_col_str(b, st, 8);
  if(!rc)
    rc = put_member(b, "worker", 0);
  if(!rc && sqlite3_column_type(st, 14) == SQLITE_NULL)
    rc = dbuf_puts(b, "null");
  else if(!rc) {
    rc = dbuf_putc(b, '{');
    if(!rc)
      rc = put_member(b, "ssn", 1);
    if(!rc)
      rc = put_col_str(b, st, 9);
    if(!rc)
      rc = put_member(b, "national_id", 0);
    if(!rc)
      rc = put_col_str(b, st, 10);
    if(!rc)
      rc = put_member(b, "name", 0);
    if(!rc)
      rc = put_col_str(b, st, 11);
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  if(!rc)
    rc = put_member(b, "employer", 0);
  if(!rc && sqlite3_column_type(st, 15) == SQLITE_NULL)
    rc = dbuf_puts(b, "null");
  else if(!rc) {
    rc = dbuf_putc(b, '{');
    if(!rc)
      rc = put_member(b, "number", 1);
    if(!rc)
      rc = put_col_str(b, st, 12);
    if(!rc)
      rc = put_member(b, "name", 0);
    if(!rc)
      rc = put_col_str(b, st, 13);
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  db_done(st);
  return rc;
}

static int doc_pages_json(struct index_db *db, int64_t cid, dbuf *b)
{
  static const char SQL[] =
      "SELECT n, width, height, text, confidence, ocr_state, needs_review,"
      " rotation, skew, lang FROM pages WHERE document_id = ?1 ORDER BY n";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, cid);
  rc = dbuf_putc(b, '[');
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_puts(b, first ? "{" : ", {");
    first = 0;
    if(!rc)
      rc = dbuf_printf(b, "\"n\": %d, \"width\": %d, \"height\": %d",
                       sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                       sqlite3_column_int(st, 2));
    if(!rc)
      rc = put_member(b, "text", 0);
    if(!rc)
      rc = put_col_str(b, st, 3);
    if(!rc)
      rc = put_member(b, "confidence", 0);
    if(!rc)
      rc = put_col_real(b, st, 4);
    if(!rc)
      rc = put_member(b, "ocr_state", 0);
    if(!rc)
      rc = put_col_str(b, st, 5);
    if(!rc)
      rc = dbuf_printf(b, ", \"needs_review\": %s, \"rotation\": %d",
                       sqlite3_column_int(st, 6) ? "true" : "false",
                       sqlite3_column_int(st, 7));
    if(!rc)
      rc = put_member(b, "skew", 0);
    if(!rc)
      rc = put_col_real(b, st, 8);
    if(!rc)
      rc = put_member(b, "lang", 0);
    if(!rc)
      rc = put_col_str(b, st, 9);
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  rc = loop_end(db, st, rc, "reading pages");
  return rc ? rc : dbuf_putc(b, ']');
}

/* One field's members (without braces); name included when with_name. */
static int field_members(sqlite3_stmt *st, dbuf *b, int with_name)
{
  static const char *const texts[] = {"value", "raw"};
  int rc = DAFTAR_OK, first = 1;

  if(with_name) {
    rc = put_member(b, "name", 1);
    if(!rc)
      rc = put_col_str(b, st, 0);
    first = 0;
  }
  for(int i = 0; !rc && i < 2; i++) {
    rc = put_member(b, texts[i], first);
    first = 0;
    if(!rc)
      rc = put_col_str(b, st, i + 1);
  }
  if(!rc)
    rc = put_member(b, "confidence", 0);
  if(!rc)
    rc = put_col_real(b, st, 3);
  if(!rc)
    rc = put_member(b, "page", 0);
  if(!rc)
    rc = json_put_int(b, sqlite3_column_int64(st, 4));
  if(!rc)
    rc = put_member(b, "bbox", 0);
  if(!rc)
    rc = put_bbox(b, st, 4);
  if(!rc)
    rc = put_member(b, "rule", 0);
  if(!rc)
    rc = put_col_str(b, st, 9);
  if(!rc)
    rc = dbuf_printf(b, ", \"locked\": %s",
                     sqlite3_column_int(st, 10) ? "true" : "false");
  if(!rc)
    rc = put_member(b, "corrected_by", 0);
  if(!rc)
    rc = put_col_str(b, st, 11);
  if(!rc)
    rc = put_member(b, "corrected_at", 0);
  if(!rc)
    rc = put_col_str(b, st, 12);
  if(!rc)
    rc = put_member(b, "old_value", 0);
  if(!rc)
    rc = put_col_str(b, st, 13);
  return rc;
}

static int doc_fields_json(struct index_db *db, int64_t cid, dbuf *b,
                           int candidates)
{
  static const char SQL_PRIMARY[] =
      "SELECT name, value, raw, confidence, page, x0, y0, x1, y1, rule,"
      " locked, corrected_by, corrected_at, old_value FROM fields"
      " WHERE document_id = ?1 AND seq = 0 AND candidate = 0 ORDER BY name";
  static const char SQL_CANDIDATES[] =
      "SELECT name, value, raw, confidence, page, x0, y0, x1, y1, rule,"
      " locked, corrected_by, corrected_at, old_value FROM fields"
      " WHERE document_id = ?1 AND (seq > 0 OR candidate = 1)"
      " ORDER BY name, seq";
  sqlite3_stmt *st = db_stmt(db, candidates ? SQL_CANDIDATES : SQL_PRIMARY);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, cid);
  rc = dbuf_putc(b, candidates ? '[' : '{');
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(candidates)
      rc = dbuf_puts(b, first ? "{" : ", {");
    else {
      rc = put_member(b, (const char *)sqlite3_column_text(st, 0), first);
      if(!rc)
        rc = dbuf_putc(b, '{');
    }
    first = 0;
    if(!rc)
      rc = field_members(st, b, candidates);
    if(!rc)
      rc = dbuf_putc(b, '}');
  }
  rc = loop_end(db, st, rc, "reading fields");
  return rc ? rc : dbuf_putc(b, candidates ? ']' : '}');
}

int index_document_json(struct index_db *db, int64_t doc_id, dbuf *out)
{
  int64_t cid = doc_id;
  int rc;

  rc = content_doc(db, doc_id, &cid);
  if(!rc)
    rc = dbuf_putc(out, '{');
  if(!rc)
    rc = doc_header_json(db, doc_id, out);
  if(!rc)
    rc = put_member(out, "pages", 0);
  if(!rc)
    rc = doc_pages_json(db, cid, out);
  if(!rc)
    rc = put_member(out, "fields", 0);
  if(!rc)
    rc = doc_fields_json(db, cid, out, 0);
  if(!rc)
    rc = put_member(out, "candidates", 0);
  if(!rc)
    rc = doc_fields_json(db, cid, out, 1);
  if(!rc)
    rc = dbuf_putc(out, '}');
  return rc;
}
