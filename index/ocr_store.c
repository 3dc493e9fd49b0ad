/*
 * ocr_store.c - storing a page's recognition result.
 *
 * One write group per page: the page row (text, confidence, ALTO, hOCR,
 * state 'done'), the model's reading before the letter correction when
 * that changed it (page_raw_text), its words (replaced whole), the
 * document marked for (re-)extraction, and the document's search row
 * rebuilt so the new text is searchable at once, before extraction runs.  Fields are not touched here:
 * locked ones stay locked, and extraction replaces the unlocked ones.
 */
#include <string.h>

#include "index_int.h"

static int page_document(struct index_db *db, int64_t page_id,
                         int64_t *doc_id)
{
  static const char SQL[] = "SELECT document_id FROM pages WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    *doc_id = sqlite3_column_int64(st, 0);
    rc = DAFTAR_OK;
  }
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no page %lld", (long long)page_id);
  else
    rc = db_sqlerr(db, rc, "reading the page");
  db_done(st);
  return rc;
}

static int store_words(struct index_db *db, int64_t page_id,
                       const daftar_word *w, size_t n)
{
  static const char SQL_DELETE[] = "DELETE FROM words WHERE page_id = ?1";
  static const char SQL_INSERT[] =
      "INSERT INTO words(page_id, idx, text, x0, y0, x1, y1, conf, block,"
      " para, line) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  sqlite3_stmt *st = db_stmt(db, SQL_DELETE);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  rc = db_step_done(db, st, "replacing words");
  for(size_t i = 0; rc == DAFTAR_OK && i < n; i++) {
    if(!w[i].text)
      continue;
    st = db_stmt(db, SQL_INSERT);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, page_id);
    sqlite3_bind_int64(st, 2, (int64_t)i);
    db_bind_text(st, 3, w[i].text);
    sqlite3_bind_int(st, 4, w[i].box.x0);
    sqlite3_bind_int(st, 5, w[i].box.y0);
    sqlite3_bind_int(st, 6, w[i].box.x1);
    sqlite3_bind_int(st, 7, w[i].box.y1);
    sqlite3_bind_double(st, 8, w[i].conf);
    sqlite3_bind_int(st, 9, w[i].block);
    sqlite3_bind_int(st, 10, w[i].para);
    sqlite3_bind_int(st, 11, w[i].line);
    rc = db_step_done(db, st, "storing words");
  }
  return rc;
}

static int mark_for_extraction(struct index_db *db, int64_t doc_id)
{
  static const char SQL[] =
      "UPDATE documents SET extract_state = 'pending' WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_step_done(db, st, "marking the document");
}

static int store_page_row(struct index_db *db, int64_t page_id,
                          const index_ocr_result *r)
{
  static const char SQL[] =
      "UPDATE pages SET ocr_state = 'done', ocr_error = NULL,"
      " ocr_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), text = ?2,"
      " confidence = ?3, lang = ?4, rotation = ?5, skew = ?6,"
      " needs_review = ?7, alto = ?8, hocr = ?9 WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  db_bind_text(st, 2, r->text ? r->text : "");
  sqlite3_bind_double(st, 3, r->confidence);
  db_bind_text(st, 4, r->lang);
  sqlite3_bind_int(st, 5, r->rotation);
  sqlite3_bind_double(st, 6, r->skew);
  sqlite3_bind_int(st, 7, r->needs_review ? 1 : 0);
  db_bind_text(st, 8, r->alto);
  db_bind_text(st, 9, r->hocr);
  return db_step_done(db, st, "storing the OCR result");
}

/* Replaces the page's raw reading: a row only when it differs from the
 * corrected text (most Arabic pages come out of the correction as read). */
static int store_raw_text(struct index_db *db, int64_t page_id,
                          const index_ocr_result *r)
{
  static const char SQL_DELETE[] =
      "DELETE FROM page_raw_text WHERE page_id = ?1";
  static const char SQL_INSERT[] =
      "INSERT INTO page_raw_text(page_id, text) VALUES(?1, ?2)";
  sqlite3_stmt *st = db_stmt(db, SQL_DELETE);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  rc = db_step_done(db, st, "replacing the raw reading");
  if(rc || !r->raw_text || strcmp(r->raw_text, r->text ? r->text : "") == 0)
    return rc;
  st = db_stmt(db, SQL_INSERT);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  db_bind_text(st, 2, r->raw_text);
  return db_step_done(db, st, "storing the raw reading");
}

int index_page_store_ocr(struct index_db *db, int64_t page_id,
                         const index_ocr_result *r)
{
  int64_t doc_id = 0;
  int rc;

  if(!r || (r->nwords && !r->words))
    return db_fail(db, DAFTAR_EINVAL, "OCR result missing");
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = page_document(db, page_id, &doc_id);
  if(!rc)
    rc = store_page_row(db, page_id, r);
  if(!rc)
    rc = store_raw_text(db, page_id, r);
  if(!rc)
    rc = store_words(db, page_id, r->words, r->nwords);
  if(!rc)
    rc = mark_for_extraction(db, doc_id);
  if(!rc)
    rc = fts_refresh(db, doc_id);
  return db_write_end(db, rc);
}

int index_page_mark_failed(struct index_db *db, int64_t page_id,
                           const char *reason)
{
  static const char SQL[] =
      "UPDATE pages SET ocr_state = 'failed', ocr_error = ?2,"
      " ocr_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, page_id);
  db_bind_text(st, 2, reason ? reason : "unknown");
  rc = db_step_done(db, st, "marking the page failed");
  if(rc == DAFTAR_OK && sqlite3_changes(db->sql) == 0)
    return db_fail(db, DAFTAR_ENOTFOUND, "no page %lld",
                   (long long)page_id);
  return rc;
}
