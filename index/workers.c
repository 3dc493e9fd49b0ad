/*
 * workers.c - workers and employers: linking documents to them, and a
 * worker's history.
 *
 * A document is linked to a worker by its primary worker_ssn; without one,
 * by national_id.  A worker first known only by national ID gains the SSN
 * when a document shows both.  Attributes (name, mother, birth date) keep
 * the first value seen; every spelling of the name is kept in worker_names
 * with its search key and skeleton.  Employers are found by number, else
 * (no number on the document) by exact name.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

/* The primary values doc_relink needs. */
enum {
  RL_SSN,
  RL_NID,
  RL_NAME,
  RL_MOTHER,
  RL_BIRTH,
  RL_EMP_NUMBER,
  RL_EMP_NAME,
  RL_COUNT
};
static const char *const relink_names[RL_COUNT] = {
    "worker_ssn", "national_id", "worker_name", "mother_name",
    "birth_date", "employer_number", "employer_name"};

static int read_primaries(struct index_db *db, int64_t doc_id,
                          char *v[RL_COUNT])
{
  static const char SQL[] =
      "SELECT name, value FROM fields WHERE document_id = ?1 AND seq = 0"
      " AND candidate = 0 AND value IS NOT NULL AND value <> ''";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    for(int i = 0; name && i < RL_COUNT; i++) {
      if(strcmp(name, relink_names[i]) == 0 && !v[i]) {
        v[i] = db_col_dup(st, 1);
        if(!v[i]) {
          db_done(st);
          return DAFTAR_ENOMEM;
        }
      }
    }
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading fields");
  return DAFTAR_OK;
}

/* Runs a query returning one id (or none: *id = 0). */
static int query_id(struct index_db *db, sqlite3_stmt *st, int64_t *id)
{
  int rc = sqlite3_step(st);

  *id = 0;
  if(rc == SQLITE_ROW) {
    *id = sqlite3_column_int64(st, 0);
    rc = DAFTAR_OK;
  }
  else if(rc == SQLITE_DONE)
    rc = DAFTAR_OK;
  else
    rc = db_sqlerr(db, rc, "looking up");
  db_done(st);
  return rc;
}

static int worker_find(struct index_db *db, const char *ssn, const char *nid,
                       int64_t *id)
{
  static const char SQL_SSN[] = "SELECT id FROM workers WHERE ssn = ?1";
  /* A worker known only by national ID may be the same person. */
  static const char SQL_NID[] =
      "SELECT id FROM workers WHERE national_id = ?1"
      " AND (ssn IS NULL OR ?2 IS NULL) ORDER BY id LIMIT 1";
  sqlite3_stmt *st;
  int rc;

  *id = 0;
  if(ssn) {
    st = db_stmt(db, SQL_SSN);
    if(!st)
      return DAFTAR_EDB;
    db_bind_text(st, 1, ssn);
    rc = query_id(db, st, id);
    if(rc || *id)
      return rc;
  }
  if(!nid)
    return DAFTAR_OK;
  st = db_stmt(db, SQL_NID);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, nid);
  db_bind_text(st, 2, ssn);
  return query_id(db, st, id);
}

static int worker_upsert(struct index_db *db, char *v[RL_COUNT],
                         int64_t *id)
{
  static const char SQL_INSERT[] =
      "INSERT INTO workers(ssn, national_id, name, mother_name, birth_date)"
      " VALUES(?1, ?2, ?3, ?4, ?5)";
  static const char SQL_FILL[] =
      "UPDATE workers SET ssn = coalesce(ssn, ?2),"
      " national_id = coalesce(national_id, ?3), name = coalesce(name, ?4),"
      " mother_name = coalesce(mother_name, ?5),"
      " birth_date = coalesce(birth_date, ?6) WHERE id = ?1";
  sqlite3_stmt *st;
  int rc;

  rc = worker_find(db, v[RL_SSN], v[RL_NID], id);
  if(rc)
    return rc;
  if(*id == 0) {
    st = db_stmt(db, SQL_INSERT);
    if(!st)
      return DAFTAR_EDB;
    for(int i = 0; i < 5; i++)
      db_bind_text(st, i + 1, v[RL_SSN + i]);
    rc = db_step_done(db, st, "recording the worker");
    if(rc == DAFTAR_OK)
      *id = sqlite3_last_insert_rowid(db->sql);
    return rc;
  }
  st = db_stmt(db, SQL_FILL);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, *id);
  for(int i = 0; i < 5; i++)
    db_bind_text(st, i + 2, v[RL_SSN + i]);
  return db_step_done(db, st, "updating the worker");
}

static int worker_add_name(struct index_db *db, int64_t worker_id,
                           const char *name)
{
  static const char SQL[] =
      "INSERT OR IGNORE INTO worker_names(worker_id, name, key, skeleton)"
      " VALUES(?1, ?2, ?3, ?4)";
  dbuf key = DBUF_INIT, skel = DBUF_INIT;
  sqlite3_stmt *st;
  int rc;

  rc = text_norm_key(name, strlen(name), &key);
  if(!rc)
    rc = text_norm_skeleton(name, strlen(name), &skel);
  if(rc)
    goto out;
  st = db_stmt(db, SQL);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  sqlite3_bind_int64(st, 1, worker_id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, dbuf_cstr(&key));
  db_bind_text(st, 4, dbuf_cstr(&skel));
  rc = db_step_done(db, st, "recording the name");
  if(!rc && sqlite3_changes(db->sql) > 0)
    rc = names_store_grams(db, worker_id, dbuf_cstr(&key));
out:
  dbuf_free(&key);
  dbuf_free(&skel);
  return rc;
}

static int employer_upsert(struct index_db *db, const char *number,
                           const char *name, int64_t *id)
{
  static const char SQL_BY_NUMBER[] =
      "SELECT id FROM employers WHERE number = ?1";
  static const char SQL_BY_NAME[] =
      "SELECT id FROM employers WHERE name = ?1 ORDER BY id LIMIT 1";
  static const char SQL_INSERT[] =
      "INSERT INTO employers(number, name) VALUES(?1, ?2)";
  static const char SQL_FILL[] =
      "UPDATE employers SET name = coalesce(name, ?2) WHERE id = ?1";
  sqlite3_stmt *st;
  int rc;

  *id = 0;
  if(!number && !name)
    return DAFTAR_OK;
  st = db_stmt(db, number ? SQL_BY_NUMBER : SQL_BY_NAME);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, number ? number : name);
  rc = query_id(db, st, id);
  if(rc)
    return rc;
  if(*id) {
    st = db_stmt(db, SQL_FILL);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, *id);
    db_bind_text(st, 2, name);
    return db_step_done(db, st, "updating the employer");
  }
  st = db_stmt(db, SQL_INSERT);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, number);
  db_bind_text(st, 2, name);
  rc = db_step_done(db, st, "recording the employer");
  if(rc == DAFTAR_OK)
    *id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

static int doc_set_links(struct index_db *db, int64_t doc_id,
                         int64_t worker_id, int64_t employer_id)
{
  static const char SQL[] =
      "UPDATE documents SET worker_id = ?2, employer_id = ?3 WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  if(worker_id)
    sqlite3_bind_int64(st, 2, worker_id);
  if(employer_id)
    sqlite3_bind_int64(st, 3, employer_id);
  return db_step_done(db, st, "linking the document");
}

int doc_relink(struct index_db *db, int64_t doc_id)
{
  char *v[RL_COUNT] = {NULL};
  int64_t worker_id = 0, employer_id = 0;
  int rc;

  rc = read_primaries(db, doc_id, v);
  if(rc)
    goto out;
  if(v[RL_SSN] || v[RL_NID]) {
    rc = worker_upsert(db, v, &worker_id);
    if(!rc && v[RL_NAME])
      rc = worker_add_name(db, worker_id, v[RL_NAME]);
    if(rc)
      goto out;
  }
  rc = employer_upsert(db, v[RL_EMP_NUMBER], v[RL_EMP_NAME], &employer_id);
  if(!rc)
    rc = doc_set_links(db, doc_id, worker_id, employer_id);
  if(!rc)
    rc = fts_refresh(db, doc_id);
out:
  for(int i = 0; i < RL_COUNT; i++)
    free(v[i]);
  return rc;
}

/* ---- a worker's history ------------------------------------------------------ */

struct worker_row {
  int64_t id;
  char *ssn, *nid, *name, *mother, *birth;
};

static void worker_row_clear(struct worker_row *w)
{
  free(w->ssn);
  free(w->nid);
  free(w->name);
  free(w->mother);
  free(w->birth);
  memset(w, 0, sizeof(*w));
}

static int worker_lookup(struct index_db *db, const char *number,
                         struct worker_row *w)
{
  /* SSN first: a national ID that happens to equal someone's SSN must not
   * hide that worker. */
  static const char SQL[] =
      "SELECT id, ssn, national_id, name, mother_name, birth_date"
      " FROM workers WHERE ssn = ?1 OR national_id = ?1"
      " ORDER BY (ssn IS ?1) DESC, id LIMIT 1";
  dbuf key = DBUF_INIT;
  sqlite3_stmt *st;
  int rc;

  memset(w, 0, sizeof(*w));
  if(!number)
    return db_fail(db, DAFTAR_EINVAL, "no worker number given");
  rc = idx_norm_number(number, &key);
  if(rc)
    goto out;
  if(key.len == 0) {
    rc = db_fail(db, DAFTAR_EINVAL,
                 "a worker number has digits (SSN or national ID)");
    goto out;
  }
  st = db_stmt(db, SQL);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  db_bind_text(st, 1, dbuf_cstr(&key));
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    w->id = sqlite3_column_int64(st, 0);
    w->ssn = db_col_dup(st, 1);
    w->nid = db_col_dup(st, 2);
    w->name = db_col_dup(st, 3);
    w->mother = db_col_dup(st, 4);
    w->birth = db_col_dup(st, 5);
    rc = DAFTAR_OK;
  }
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND,
                 "no worker with that social-security or national ID number");
  else
    rc = db_sqlerr(db, rc, "looking up the worker");
  db_done(st);
out:
  dbuf_free(&key);
  return rc;
}

#define PRIMARY_SQL(field)                                                    \
  "(SELECT value FROM fields f WHERE f.document_id = d.id AND f.name = '"     \
  field "' AND f.seq = 0 AND f.candidate = 0)"

static const char SQL_HISTORY[] =
    "SELECT d.id, d.source, d.file_no, d.doc_type,"
    " coalesce(" PRIMARY_SQL("employer_name") ", e.name) AS employer,"
    " " PRIMARY_SQL("start_date") " AS start_date,"
    " " PRIMARY_SQL("end_date") " AS end_date,"
    " " PRIMARY_SQL("monthly_wage") " AS wage,"
    " e.number"
    " FROM documents d LEFT JOIN employers e ON e.id = d.employer_id"
    " WHERE d.worker_id = ?1 AND d.duplicate_of IS NULL"
    " ORDER BY coalesce(start_date, end_date, '9999'), d.id";

static const char SQL_NAMES[] =
    "SELECT name FROM worker_names WHERE worker_id = ?1 ORDER BY name";

static int put_str_member(dbuf *b, const char *key, const char *v, int comma)
{
  int rc = comma ? dbuf_putc(b, ',') : DAFTAR_OK;

  if(!rc)
    rc = json_put_key(b, key);
  if(!rc)
    rc = json_put_str(b, v);
  return rc;
}

static int history_json(struct index_db *db, int64_t worker_id, dbuf *out)
{
  static const char *const keys[] = {"source",     "file_no",    "doc_type",
                                     "employer_name", "start_date",
                                     "end_date",   "monthly_wage",
                                     "employer_number"};
  sqlite3_stmt *st = db_stmt(db, SQL_HISTORY);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = dbuf_puts(out, "\"documents\":[");
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_puts(out, first ? "{\"id\":" : ",{\"id\":");
    first = 0;
    if(!rc)
      rc = json_put_int(out, sqlite3_column_int64(st, 0));
    for(int i = 0; !rc && i < 8; i++)
      rc = put_str_member(out, keys[i],
                          (const char *)sqlite3_column_text(st, i + 1), 1);
    if(!rc)
      rc = dbuf_putc(out, '}');
  }
  if(rc == SQLITE_DONE)
    rc = dbuf_putc(out, ']');
  else if(rc > 0)
    rc = db_sqlerr(db, rc, "reading the worker's documents");
  db_done(st);
  return rc;
}

int index_worker_json(struct index_db *db, const char *number, dbuf *out)
{
  struct worker_row w;
  sqlite3_stmt *st;
  int rc, first = 1;

  rc = worker_lookup(db, number, &w);
  if(rc)
    return rc;
  rc = dbuf_putc(out, '{');
  if(!rc)
    rc = put_str_member(out, "ssn", w.ssn, 0);
  if(!rc)
    rc = put_str_member(out, "national_id", w.nid, 1);
  if(!rc)
    rc = put_str_member(out, "name", w.name, 1);
  if(!rc)
    rc = dbuf_puts(out, ",\"names\":[");
  st = rc ? NULL : db_stmt(db, SQL_NAMES);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, w.id);
    while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      rc = first ? DAFTAR_OK : dbuf_putc(out, ',');
      first = 0;
      if(!rc)
        rc = json_put_str(out, (const char *)sqlite3_column_text(st, 0));
    }
    if(rc == SQLITE_DONE)
      rc = dbuf_putc(out, ']');
    else if(rc > 0)
      rc = db_sqlerr(db, rc, "reading names");
    db_done(st);
  }
  if(!rc)
    rc = put_str_member(out, "mother_name", w.mother, 1);
  if(!rc)
    rc = put_str_member(out, "birth_date", w.birth, 1);
  if(!rc)
    rc = dbuf_putc(out, ',');
  if(!rc)
    rc = history_json(db, w.id, out);
  if(!rc)
    rc = dbuf_putc(out, '}');
  worker_row_clear(&w);
  return rc;
}

static const char *or_dash(const unsigned char *s)
{
  return s && *s ? (const char *)s : "-";
}

int index_worker_text(struct index_db *db, const char *number, dbuf *out)
{
  struct worker_row w;
  sqlite3_stmt *st;
  int rc, first = 1;

  rc = worker_lookup(db, number, &w);
  if(rc)
    return rc;
  rc = dbuf_printf(out,
                   "Worker:       %s\nSSN:          %s\nNational ID:  %s\n"
                   "Mother:       %s\nBorn:         %s\n",
                   w.name ? w.name : "-", w.ssn ? w.ssn : "-",
                   w.nid ? w.nid : "-", w.mother ? w.mother : "-",
                   w.birth ? w.birth : "-");
  st = rc ? NULL : db_stmt(db, SQL_NAMES);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, w.id);
    while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
      rc = dbuf_puts(out, first ? "Written as:   " : " / ");
      first = 0;
      if(!rc)
        rc = dbuf_puts(out, or_dash(sqlite3_column_text(st, 0)));
    }
    if(rc == SQLITE_DONE)
      rc = first ? DAFTAR_OK : dbuf_putc(out, '\n');
    else if(rc > 0)
      rc = db_sqlerr(db, rc, "reading names");
    db_done(st);
  }
  if(!rc)
    rc = dbuf_puts(out, "Documents (start, end, type, employer, wage, "
                        "source, id):\n");
  st = rc ? NULL : db_stmt(db, SQL_HISTORY);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, w.id);
    while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW)
      rc = dbuf_printf(out, "  %-10s  %-10s  %-12s  %s  %s  %s  #%lld\n",
                       or_dash(sqlite3_column_text(st, 5)),
                       or_dash(sqlite3_column_text(st, 6)),
                       or_dash(sqlite3_column_text(st, 3)),
                       or_dash(sqlite3_column_text(st, 4)),
                       or_dash(sqlite3_column_text(st, 7)),
                       or_dash(sqlite3_column_text(st, 1)),
                       (long long)sqlite3_column_int64(st, 0));
    if(rc == SQLITE_DONE)
      rc = DAFTAR_OK;
    else if(rc > 0)
      rc = db_sqlerr(db, rc, "reading the worker's documents");
    db_done(st);
  }
  worker_row_clear(&w);
  return rc;
}
