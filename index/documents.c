/*
 * documents.c - documents and their pages: recording (ingest), lookups,
 * the work lists of OCR and extraction, and the search row of a document.
 *
 * A document is one scanned file of a batch (one master TIFF); its page n
 * is directory n-1 of that master.  A scan already recorded elsewhere is
 * recorded again as a document with duplicate_of set to the first one.
 *
 * The search row (doc_fts, rowid = documents.id) is rebuilt whole by
 * fts_refresh() whenever something it shows changes: after each page's OCR
 * result (so text is searchable before extraction runs) and after fields
 * are stored or corrected (names, IDs, employer).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define DOC_COLUMNS                                                           \
  "d.id, d.batch_id, d.source, d.file_no, d.sha256, d.doc_type,"              \
  " d.page_count, coalesce(d.duplicate_of, 0), b.label"

static int doc_from_row(sqlite3_stmt *st, index_document *d)
{
  memset(d, 0, sizeof(*d));
  d->id = sqlite3_column_int64(st, 0);
  d->batch_id = sqlite3_column_int64(st, 1);
  d->source = db_col_dup(st, 2);
  d->file_no = db_col_dup(st, 3);
  d->sha256 = db_col_dup(st, 4);
  d->doc_type = db_col_dup(st, 5);
  d->page_count = sqlite3_column_int(st, 6);
  d->duplicate_of = sqlite3_column_int64(st, 7);
  d->batch_label = db_col_dup(st, 8);
  if(!d->source || !d->sha256 || !d->doc_type) {
    index_document_clear(d);
    return DAFTAR_ENOMEM;
  }
  return DAFTAR_OK;
}

void index_document_clear(index_document *d)
{
  if(!d)
    return;
  free(d->source);
  free(d->file_no);
  free(d->sha256);
  free(d->doc_type);
  free(d->batch_label);
  memset(d, 0, sizeof(*d));
}

/* Runs a one-row document query whose parameters are already bound. */
static int doc_fetch(struct index_db *db, sqlite3_stmt *st,
                     index_document *out)
{
  int rc = sqlite3_step(st);

  if(rc == SQLITE_ROW)
    rc = doc_from_row(st, out);
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no such document");
  else
    rc = db_sqlerr(db, rc, "reading the document");
  db_done(st);
  return rc;
}

int index_document_find_by_sha(struct index_db *db, const char *sha256,
                               index_document *out)
{
  static const char SQL[] =
      "SELECT " DOC_COLUMNS " FROM documents d JOIN batches b"
      " ON b.id = d.batch_id WHERE d.sha256 = ?1 AND d.duplicate_of IS NULL"
      " ORDER BY d.id LIMIT 1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  memset(out, 0, sizeof(*out));
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, sha256);
  return doc_fetch(db, st, out);
}

int index_document_find_by_source(struct index_db *db, const char *source,
                                  const char *sha256, index_document *out)
{
  static const char SQL[] =
      "SELECT " DOC_COLUMNS " FROM documents d JOIN batches b"
      " ON b.id = d.batch_id WHERE d.source = ?1 AND d.sha256 = ?2"
      " ORDER BY d.id LIMIT 1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  memset(out, 0, sizeof(*out));
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, source);
  db_bind_text(st, 2, sha256);
  return doc_fetch(db, st, out);
}

int index_document_get(struct index_db *db, int64_t id, index_document *out)
{
  static const char SQL[] =
      "SELECT " DOC_COLUMNS " FROM documents d JOIN batches b"
      " ON b.id = d.batch_id WHERE d.id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  memset(out, 0, sizeof(*out));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  return doc_fetch(db, st, out);
}

static int doc_type_known(const char *t)
{
  return strcmp(t, "registration") == 0 || strcmp(t, "termination") == 0 ||
         strcmp(t, "wage_change") == 0 || strcmp(t, "other") == 0;
}

int index_document_add(struct index_db *db, const index_document *d,
                       int64_t *id)
{
  static const char SQL[] =
      "INSERT INTO documents(batch_id, source, file_no, sha256, doc_type,"
      " page_count, duplicate_of, added)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7,"
      " strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
  sqlite3_stmt *st;
  const char *type = d->doc_type ? d->doc_type : "other";
  int rc;

  if(!d->source || !*d->source || !d->sha256)
    return db_fail(db, DAFTAR_EINVAL, "document: source and sha256 needed");
  if(!doc_type_known(type))
    return db_fail(db, DAFTAR_EINVAL, "document: unknown doc_type");
  st = db_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, d->batch_id);
  db_bind_text(st, 2, d->source);
  db_bind_text(st, 3, d->file_no);
  db_bind_text(st, 4, d->sha256);
  db_bind_text(st, 5, type);
  sqlite3_bind_int(st, 6, d->page_count);
  if(d->duplicate_of > 0)
    sqlite3_bind_int64(st, 7, d->duplicate_of);
  rc = db_step_done(db, st, "recording the document");
  if(rc == DAFTAR_OK && id)
    *id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

int index_page_add(struct index_db *db, int64_t doc_id,
                   const index_page_info *p)
{
  static const char SQL[] =
      "INSERT INTO pages(document_id, n, master_page, width, height, xres,"
      " yres, bits, compression) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  sqlite3_stmt *st;

  if(p->n < 1)
    return db_fail(db, DAFTAR_EINVAL, "page numbers start at 1");
  st = db_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  sqlite3_bind_int(st, 2, p->n);
  sqlite3_bind_int(st, 3, p->n - 1);
  sqlite3_bind_int(st, 4, p->width);
  sqlite3_bind_int(st, 5, p->height);
  sqlite3_bind_int(st, 6, p->xres);
  sqlite3_bind_int(st, 7, p->yres);
  sqlite3_bind_int(st, 8, p->bits);
  db_bind_text(st, 9, p->compression);
  return db_step_done(db, st, "recording the page");
}

int index_document_page(struct index_db *db, int64_t doc_id, int n,
                        char sha256[SHA256_HEX_LEN + 1], int *master_page)
{
  static const char SQL[] =
      "SELECT d.sha256, p.master_page FROM pages p JOIN documents d"
      " ON d.id = p.document_id WHERE p.n = ?2 AND d.id = ("
      " SELECT CASE WHEN x.duplicate_of IS NOT NULL AND NOT EXISTS("
      "  SELECT 1 FROM pages q WHERE q.document_id = x.id)"
      " THEN x.duplicate_of ELSE x.id END FROM documents x WHERE x.id = ?1)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  const unsigned char *sha;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  sqlite3_bind_int(st, 2, n);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    sha = sqlite3_column_text(st, 0);
    if(!sha || strlen((const char *)sha) != SHA256_HEX_LEN) {
      rc = db_fail(db, DAFTAR_EDB, "page %d: malformed master", n);
    }
    else {
      memcpy(sha256, sha, SHA256_HEX_LEN + 1);
      *master_page = sqlite3_column_int(st, 1);
      rc = DAFTAR_OK;
    }
  }
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "document %lld has no page %d",
                 (long long)doc_id, n);
  else
    rc = db_sqlerr(db, rc, "reading the page");
  db_done(st);
  return rc;
}

/* ---- work lists ------------------------------------------------------------ */

void index_page_refs_free(index_page_ref *r, size_t n)
{
  if(!r)
    return;
  for(size_t i = 0; i < n; i++)
    free(r[i].source);
  free(r);
}

int index_pages_pending(struct index_db *db, int redo, index_page_ref **out,
                        size_t *n)
{
  static const char SQL_PENDING[] =
      "SELECT p.id, p.document_id, p.n, d.sha256, d.source FROM pages p"
      " JOIN documents d ON d.id = p.document_id"
      " WHERE p.ocr_state IN ('pending', 'failed') ORDER BY p.id";
  static const char SQL_ALL[] =
      "SELECT p.id, p.document_id, p.n, d.sha256, d.source FROM pages p"
      " JOIN documents d ON d.id = p.document_id ORDER BY p.id";
  sqlite3_stmt *st = db_stmt(db, redo ? SQL_ALL : SQL_PENDING);
  index_page_ref *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    index_page_ref *r;
    const unsigned char *sha = sqlite3_column_text(st, 3);
    if(count == cap) {
      index_page_ref *p = array_grow(v, &cap, sizeof(*p), 64);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    r = &v[count++];
    memset(r, 0, sizeof(*r));
    r->page_id = sqlite3_column_int64(st, 0);
    r->document_id = sqlite3_column_int64(st, 1);
    r->n = sqlite3_column_int(st, 2);
    if(sha)
      snprintf(r->sha256, sizeof(r->sha256), "%s", (const char *)sha);
    r->source = db_col_dup(st, 4);
    if(!r->source) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "listing pages to recognize");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  index_page_refs_free(v, count);
  return rc;
}

int index_documents_pending_extract(struct index_db *db, int all,
                                    int64_t **ids, size_t *n)
{
  /* Ready: has pages, and all of them recognized. */
  static const char SQL_PENDING[] =
      "SELECT d.id FROM documents d WHERE d.extract_state = 'pending'"
      " AND EXISTS(SELECT 1 FROM pages p WHERE p.document_id = d.id)"
      " AND NOT EXISTS(SELECT 1 FROM pages p WHERE p.document_id = d.id"
      "  AND p.ocr_state <> 'done') ORDER BY d.id";
  static const char SQL_ALL[] =
      "SELECT d.id FROM documents d"
      " WHERE EXISTS(SELECT 1 FROM pages p WHERE p.document_id = d.id)"
      " AND NOT EXISTS(SELECT 1 FROM pages p WHERE p.document_id = d.id"
      "  AND p.ocr_state <> 'done') ORDER BY d.id";
  sqlite3_stmt *st = db_stmt(db, all ? SQL_ALL : SQL_PENDING);
  int64_t *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *ids = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(count == cap) {
      int64_t *p = array_grow(v, &cap, sizeof(*p), 64);
      if(!p) {
        db_done(st);
        free(v);
        return DAFTAR_ENOMEM;
      }
      v = p;
    }
    v[count++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    free(v);
    return db_sqlerr(db, rc, "listing documents to extract");
  }
  *ids = v;
  *n = count;
  return DAFTAR_OK;
}

int index_document_words(struct index_db *db, int64_t doc_id,
                         daftar_word **out, size_t *n)
{
  static const char SQL[] =
      "SELECT w.text, p.n, w.block, w.para, w.line, w.x0, w.y0, w.x1, w.y1,"
      " w.conf FROM words w JOIN pages p ON p.id = w.page_id"
      " WHERE p.document_id = ?1 ORDER BY p.n, w.idx";
  sqlite3_stmt *st = db_stmt(db, SQL);
  daftar_word *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    daftar_word *w;
    if(count == cap) {
      daftar_word *p = array_grow(v, &cap, sizeof(*p), 256);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    w = &v[count++];
    memset(w, 0, sizeof(*w));
    w->text = db_col_dup(st, 0);
    if(!w->text) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
    w->page = sqlite3_column_int(st, 1);
    w->block = sqlite3_column_int(st, 2);
    w->para = sqlite3_column_int(st, 3);
    w->line = sqlite3_column_int(st, 4);
    w->box.x0 = sqlite3_column_int(st, 5);
    w->box.y0 = sqlite3_column_int(st, 6);
    w->box.x1 = sqlite3_column_int(st, 7);
    w->box.y1 = sqlite3_column_int(st, 8);
    w->conf = (float)sqlite3_column_double(st, 9);
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "reading words");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  daftar_words_free(v, count);
  return rc;
}

/* ---- the search row ---------------------------------------------------------- */

/* Appends the text of column 0 of every row of st, space separated. */
static int append_rows(struct index_db *db, sqlite3_stmt *st, dbuf *out,
                       const char *sep)
{
  int rc;

  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *t = sqlite3_column_text(st, 0);
    int k;
    if(!t || !*t)
      continue;
    if(out->len)
      k = dbuf_puts(out, sep);
    else
      k = DAFTAR_OK;
    if(!k)
      k = dbuf_puts(out, (const char *)t);
    if(k) {
      db_done(st);
      return k;
    }
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "building the search row");
  return DAFTAR_OK;
}

int fts_refresh(struct index_db *db, int64_t doc_id)
{
  /* Names: the document's own fields and, when linked, the worker's
   * canonical name (so a document whose name was misread is still found
   * under the name the worker is known by). */
  static const char SQL_NAMES[] =
      "SELECT value FROM fields WHERE document_id = ?1 AND seq = 0"
      " AND candidate = 0"
      " AND name IN ('worker_name', 'mother_name')"
      " UNION SELECT w.name FROM documents d JOIN workers w"
      " ON w.id = d.worker_id WHERE d.id = ?1";
  static const char SQL_EMPLOYER[] =
      "SELECT value FROM fields WHERE document_id = ?1 AND seq = 0"
      " AND candidate = 0"
      " AND name IN ('employer_name', 'employer_number')"
      " UNION SELECT e.name FROM documents d JOIN employers e"
      " ON e.id = d.employer_id WHERE d.id = ?1"
      " UNION SELECT e.number FROM documents d JOIN employers e"
      " ON e.id = d.employer_id WHERE d.id = ?1";
  static const char SQL_IDS[] =
      "SELECT value FROM fields WHERE document_id = ?1 AND seq = 0"
      " AND candidate = 0"
      " AND name IN ('worker_ssn', 'national_id')"
      " UNION SELECT file_no FROM documents WHERE id = ?1"
      " UNION SELECT w.ssn FROM documents d JOIN workers w"
      " ON w.id = d.worker_id WHERE d.id = ?1"
      " UNION SELECT w.national_id FROM documents d JOIN workers w"
      " ON w.id = d.worker_id WHERE d.id = ?1";
  /* doc_fts is an external-content table over doc_fts_view (schema
   * version 4): the page text is read from pages, the three small columns
   * from doc_fts_src.  Triggers on doc_fts_src remove the old FTS row (with
   * the values it was made from) and index the new one. */
  static const char SQL_DELETE[] = "DELETE FROM doc_fts_src WHERE id = ?1";
  static const char SQL_INSERT[] =
      "INSERT INTO doc_fts_src(id, names, employer, ids)"
      " VALUES(?1, ?2, ?3, ?4)";
  const char *const parts_sql[] = {SQL_NAMES, SQL_EMPLOYER, SQL_IDS};
  dbuf parts[3] = {DBUF_INIT, DBUF_INIT, DBUF_INIT};
  sqlite3_stmt *st;
  int rc = DAFTAR_OK;

  if(db->bulk)
    return bulk_mark(db, doc_id);
  for(int i = 0; i < 3 && rc == DAFTAR_OK; i++) {
    st = db_stmt(db, parts_sql[i]);
    if(!st) {
      rc = DAFTAR_EDB;
      break;
    }
    sqlite3_bind_int64(st, 1, doc_id);
    rc = append_rows(db, st, &parts[i], " ");
  }
  if(rc)
    goto out;
  st = db_stmt(db, SQL_DELETE);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  sqlite3_bind_int64(st, 1, doc_id);
  rc = db_step_done(db, st, "updating the search row");
  if(rc)
    goto out;
  st = db_stmt(db, SQL_INSERT);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  sqlite3_bind_int64(st, 1, doc_id);
  for(int i = 0; i < 3; i++)
    db_bind_text(st, i + 2, dbuf_cstr(&parts[i]));
  rc = db_step_done(db, st, "updating the search row");
out:
  for(int i = 0; i < 3; i++)
    dbuf_free(&parts[i]);
  return rc;
}

int fts_refresh_each(struct index_db *db, const char *sql, int64_t id)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(n == cap) {
      int64_t *p = array_grow(ids, &cap, sizeof(*p), 16);
      if(!p) {
        db_done(st);
        free(ids);
        return db_fail(db, DAFTAR_ENOMEM, "out of memory");
      }
      ids = p;
    }
    ids[n++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  rc = rc == SQLITE_DONE ? DAFTAR_OK : db_sqlerr(db, rc, "reading documents");
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = fts_refresh(db, ids[i]);
  free(ids);
  return rc;
}
