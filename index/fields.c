/*
 * fields.c - extracted fields and archivists' corrections.
 *
 * Rows of a name: seq 0 is the document's value for that name when it is
 * not a candidate; seq 1.. (and a seq 0 with candidate = 1 when extraction
 * found no fact) are further candidates, e.g. several names in a letter's
 * prose.  The "primary" value of a name is seq 0 with candidate = 0; only
 * primaries feed worker links, the search row and the export.
 *
 * A correction replaces the primary, keeps the value it replaced in
 * old_value, records who and when, and locks the row: extraction never
 * replaces a locked name (not even its candidates).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

static int doc_type_valid(const char *t)
{
  return strcmp(t, "registration") == 0 || strcmp(t, "termination") == 0 ||
         strcmp(t, "wage_change") == 0 || strcmp(t, "other") == 0;
}

static int doc_set_type(struct index_db *db, int64_t doc_id,
                        const char *doc_type)
{
  static const char SQL[] =
      "UPDATE documents SET doc_type = ?2, extract_state = 'done'"
      " WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, doc_type);
  rc = db_step_done(db, st, "storing the document type");
  if(rc == DAFTAR_OK && sqlite3_changes(db->sql) == 0)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no document %lld",
                 (long long)doc_id);
  return rc;
}

static int field_is_locked(struct index_db *db, int64_t doc_id,
                           const char *name, int *locked)
{
  static const char SQL[] =
      "SELECT 1 FROM fields WHERE document_id = ?1 AND name = ?2"
      " AND locked = 1 LIMIT 1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, name);
  rc = sqlite3_step(st);
  *locked = rc == SQLITE_ROW;
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading fields");
  return DAFTAR_OK;
}

static int field_next_seq(struct index_db *db, int64_t doc_id,
                          const char *name, int *seq)
{
  static const char SQL[] =
      "SELECT coalesce(max(seq) + 1, 0) FROM fields"
      " WHERE document_id = ?1 AND name = ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, name);
  rc = sqlite3_step(st);
  *seq = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
  db_done(st);
  if(rc != SQLITE_ROW)
    return db_sqlerr(db, rc, "reading fields");
  return DAFTAR_OK;
}

static int field_insert(struct index_db *db, int64_t doc_id,
                        const daftar_field *f, int seq)
{
  static const char SQL[] =
      "INSERT INTO fields(document_id, name, seq, value, raw, confidence,"
      " page, x0, y0, x1, y1, rule, candidate)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, f->name);
  sqlite3_bind_int(st, 3, seq);
  db_bind_text(st, 4, f->value);
  db_bind_text(st, 5, f->raw);
  sqlite3_bind_double(st, 6, f->confidence);
  sqlite3_bind_int(st, 7, f->page);
  sqlite3_bind_int(st, 8, f->box.x0);
  sqlite3_bind_int(st, 9, f->box.y0);
  sqlite3_bind_int(st, 10, f->box.x1);
  sqlite3_bind_int(st, 11, f->box.y1);
  db_bind_text(st, 12, f->rule[0] ? f->rule : NULL);
  sqlite3_bind_int(st, 13, f->candidate ? 1 : 0);
  return db_step_done(db, st, "storing a field");
}

/* Stores fields[] with candidate == pass, skipping locked names. */
static int store_pass(struct index_db *db, int64_t doc_id,
                      const daftar_field *f, size_t n, int pass)
{
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    int locked = 0, seq = 0;
    if((f[i].candidate ? 1 : 0) != pass)
      continue;
    rc = field_is_locked(db, doc_id, f[i].name, &locked);
    if(rc || locked)
      continue;
    rc = field_next_seq(db, doc_id, f[i].name, &seq);
    if(!rc)
      rc = field_insert(db, doc_id, &f[i], seq);
  }
  return rc;
}

int index_document_store_fields(struct index_db *db, int64_t doc_id,
                                const char *doc_type, const daftar_field *f,
                                size_t n)
{
  static const char SQL_CLEAR[] =
      "DELETE FROM fields WHERE document_id = ?1 AND name NOT IN"
      " (SELECT name FROM fields WHERE document_id = ?1 AND locked = 1)";
  sqlite3_stmt *st;
  int rc;

  if(!doc_type)
    doc_type = "other";
  if(!doc_type_valid(doc_type))
    return db_fail(db, DAFTAR_EINVAL, "unknown doc_type");
  for(size_t i = 0; i < n; i++) {
    if(!f[i].name[0] || memchr(f[i].name, '\0', DAFTAR_NAME_MAX) == NULL)
      return db_fail(db, DAFTAR_EINVAL, "field %zu has no name", i);
    if(f[i].rule[0] && memchr(f[i].rule, '\0', DAFTAR_NAME_MAX) == NULL)
      return db_fail(db, DAFTAR_EINVAL, "field %zu: rule too long", i);
  }
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = doc_set_type(db, doc_id, doc_type);
  if(rc)
    goto out;
  st = db_stmt(db, SQL_CLEAR);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  sqlite3_bind_int64(st, 1, doc_id);
  rc = db_step_done(db, st, "replacing fields");
  if(!rc)
    rc = store_pass(db, doc_id, f, n, 0);
  if(!rc)
    rc = store_pass(db, doc_id, f, n, 1);
  if(!rc)
    rc = doc_relink(db, doc_id);
out:
  return db_write_end(db, rc);
}

/* ---- corrections --------------------------------------------------------- */

static int is_date_field(const char *name)
{
  return strcmp(name, "birth_date") == 0 || strcmp(name, "start_date") == 0 ||
         strcmp(name, "end_date") == 0;
}

static int is_number_field(const char *name)
{
  return strcmp(name, "national_id") == 0 ||
         strcmp(name, "worker_ssn") == 0 ||
         strcmp(name, "employer_number") == 0 ||
         strcmp(name, "monthly_wage") == 0;
}

static int date_well_formed(const char *s)
{
  /* YYYY-MM-DD with a plausible month and day; full calendar checks are
   * ocr_parse_date's job, which index/ cannot call. */
  int m, d;

  if(strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  for(int i = 0; i < 10; i++)
    if(i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return 0;
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The stored form of a corrected value: bidi marks dropped, digits ASCII,
 * numbers without separators, dates checked. */
static int correction_value(struct index_db *db, const char *name,
                            const char *value, dbuf *out)
{
  dbuf nobidi = DBUF_INIT, digits = DBUF_INIT;
  int rc;

  rc = text_strip_bidi(value, strlen(value), &nobidi);
  if(!rc)
    rc = text_ascii_digits(dbuf_cstr(&nobidi), nobidi.len, &digits);
  if(rc)
    goto out;
  if(is_number_field(name)) {
    rc = idx_norm_number(dbuf_cstr(&digits), out);
    if(!rc && out->len == 0)
      rc = db_fail(db, DAFTAR_EINVAL, "%s: expected a number", name);
  }
  else if(is_date_field(name)) {
    if(!date_well_formed(dbuf_cstr(&digits)))
      rc = db_fail(db, DAFTAR_EINVAL, "%s: expected YYYY-MM-DD", name);
    else
      rc = dbuf_puts(out, dbuf_cstr(&digits));
  }
  else {
    rc = dbuf_puts(out, dbuf_cstr(&nobidi));
    if(!rc && out->len == 0)
      rc = db_fail(db, DAFTAR_EINVAL, "%s: empty value", name);
  }
out:
  dbuf_free(&nobidi);
  dbuf_free(&digits);
  return rc;
}

static int correction_store(struct index_db *db, int64_t doc_id,
                            const char *name, const char *value,
                            const char *user)
{
  /* old_value keeps the value the archivist saw (the machine's, or an
   * earlier correction). */
  static const char SQL[] =
      "INSERT INTO fields(document_id, name, seq, value, confidence, page,"
      " rule, candidate, locked, corrected_by, corrected_at)"
      " VALUES(?1, ?2, 0, ?3, 100.0, 0, 'correction', 0, 1, ?4,"
      " strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
      " ON CONFLICT(document_id, name, seq) DO UPDATE SET"
      " old_value = CASE WHEN candidate = 0 THEN value ELSE old_value END,"
      " value = excluded.value, candidate = 0, locked = 1,"
      " corrected_by = excluded.corrected_by,"
      " corrected_at = excluded.corrected_at";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, value);
  db_bind_text(st, 4, user);
  return db_step_done(db, st, "storing the correction");
}

static int doc_source(struct index_db *db, int64_t doc_id, dbuf *out)
{
  static const char SQL[] = "SELECT source FROM documents WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    rc = dbuf_puts(out, (const char *)sqlite3_column_text(st, 0));
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no document %lld",
                 (long long)doc_id);
  else
    rc = db_sqlerr(db, rc, "reading the document");
  db_done(st);
  return rc;
}

int index_field_correct(struct index_db *db, int64_t doc_id,
                        const char *name, const char *value,
                        const char *user)
{
  dbuf v = DBUF_INIT, source = DBUF_INIT, detail = DBUF_INIT;
  int rc;

  if(!name || !idx_field_name_known(name))
    return db_fail(db, DAFTAR_EINVAL, "unknown field name");
  if(!value || !utf8_valid(value, strlen(value)))
    return db_fail(db, DAFTAR_EINVAL, "%s: value is not valid UTF-8", name);
  if(!user || !*user)
    return db_fail(db, DAFTAR_EINVAL, "a correction needs a user");
  rc = correction_value(db, name, value, &v);
  if(rc)
    goto out_free;
  rc = db_write_begin(db);
  if(rc)
    goto out_free;
  rc = doc_source(db, doc_id, &source);
  if(!rc)
    rc = correction_store(db, doc_id, name, dbuf_cstr(&v), user);
  if(!rc)
    rc = dbuf_printf(&detail, "field %s corrected", name);
  /* The event names the field, never its value (personal data). */
  if(!rc)
    rc = index_event_add(db, "metadata modification", "success", user, 0,
                         dbuf_cstr(&source), dbuf_cstr(&detail));
  if(!rc)
    rc = doc_relink(db, doc_id);
  rc = db_write_end(db, rc);
out_free:
  dbuf_free(&v);
  dbuf_free(&source);
  dbuf_free(&detail);
  return rc;
}
