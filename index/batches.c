/*
 * batches.c - batches, masters, refusals and the append-only event log.
 *
 * The events table is append-only by construction: triggers RAISE on UPDATE
 * and DELETE, so neither daftar nor a stray SQL shell can rewrite history
 * through SQLite.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ','now')"

int index_batch_create(struct index_db *db, const char *label,
                       const char *operator_name, const char *host,
                       const char *source, int64_t *id)
{
  static const char SQL[] =
      "INSERT INTO batches(label, operator, host, source, started)"
      " VALUES(?1, ?2, ?3, ?4, " NOW_SQL ")";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, label);
  db_bind_text(st, 2, operator_name);
  db_bind_text(st, 3, host);
  db_bind_text(st, 4, source);
  rc = db_step_done(db, st, "recording the batch");
  if(rc == DAFTAR_OK && id)
    *id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

int index_batch_finish(struct index_db *db, const index_batch *b)
{
  static const char SQL[] =
      "UPDATE batches SET ended = " NOW_SQL ", status = coalesce(?2, 'done'),"
      " files = ?3, documents = ?4, pages = ?5, bytes = ?6, duplicates = ?7,"
      " refused = ?8, skipped = ?9 WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, b->id);
  db_bind_text(st, 2, b->status);
  sqlite3_bind_int64(st, 3, b->files);
  sqlite3_bind_int64(st, 4, b->documents);
  sqlite3_bind_int64(st, 5, b->pages);
  sqlite3_bind_int64(st, 6, b->bytes);
  sqlite3_bind_int64(st, 7, b->duplicates);
  sqlite3_bind_int64(st, 8, b->refused);
  sqlite3_bind_int64(st, 9, b->skipped);
  rc = db_step_done(db, st, "finishing the batch");
  if(rc == DAFTAR_OK && sqlite3_changes(db->sql) == 0)
    return db_fail(db, DAFTAR_ENOTFOUND, "no batch %lld", (long long)b->id);
  return rc;
}

#define BATCH_COLUMNS                                                         \
  "id, label, operator, host, source, started, ended, status, files,"         \
  " documents, pages, bytes, duplicates, refused, skipped"

static int batch_from_row(sqlite3_stmt *st, index_batch *b)
{
  memset(b, 0, sizeof(*b));
  b->id = sqlite3_column_int64(st, 0);
  b->label = db_col_dup(st, 1);
  b->operator_name = db_col_dup(st, 2);
  b->host = db_col_dup(st, 3);
  b->source = db_col_dup(st, 4);
  b->started = db_col_dup(st, 5);
  b->ended = db_col_dup(st, 6);
  b->status = db_col_dup(st, 7);
  b->files = sqlite3_column_int64(st, 8);
  b->documents = sqlite3_column_int64(st, 9);
  b->pages = sqlite3_column_int64(st, 10);
  b->bytes = sqlite3_column_int64(st, 11);
  b->duplicates = sqlite3_column_int64(st, 12);
  b->refused = sqlite3_column_int64(st, 13);
  b->skipped = sqlite3_column_int64(st, 14);
  if(!b->started || !b->status)
    return DAFTAR_ENOMEM;
  return DAFTAR_OK;
}

void index_batch_clear(index_batch *b)
{
  if(!b)
    return;
  free(b->label);
  free(b->operator_name);
  free(b->host);
  free(b->source);
  free(b->started);
  free(b->ended);
  free(b->status);
  memset(b, 0, sizeof(*b));
}

void index_batches_free(index_batch *b, size_t n)
{
  if(!b)
    return;
  for(size_t i = 0; i < n; i++)
    index_batch_clear(&b[i]);
  free(b);
}

int index_batch_get(struct index_db *db, int64_t id, index_batch *out)
{
  static const char SQL[] =
      "SELECT " BATCH_COLUMNS " FROM batches WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  memset(out, 0, sizeof(*out));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    rc = batch_from_row(st, out);
    if(rc)
      index_batch_clear(out);
  }
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no batch %lld", (long long)id);
  else
    rc = db_sqlerr(db, rc, "reading the batch");
  db_done(st);
  return rc;
}

int index_batch_list(struct index_db *db, index_batch **out, size_t *n)
{
  static const char SQL[] =
      "SELECT " BATCH_COLUMNS " FROM batches ORDER BY id DESC";
  sqlite3_stmt *st = db_stmt(db, SQL);
  index_batch *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(count == cap) {
      index_batch *p = array_grow(v, &cap, sizeof(*p), 16);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    if(batch_from_row(st, &v[count++]) != DAFTAR_OK) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "listing batches");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  index_batches_free(v, count);
  return rc;
}

int index_master_put(struct index_db *db, const char *sha256, int64_t size,
                     const char *format, int pages)
{
  static const char SQL[] =
      "INSERT INTO masters(sha256, size, format, pages, added)"
      " VALUES(?1, ?2, ?3, ?4, " NOW_SQL ") ON CONFLICT(sha256) DO NOTHING";
  sqlite3_stmt *st;

  if(!sha256 || strlen(sha256) != SHA256_HEX_LEN)
    return db_fail(db, DAFTAR_EINVAL, "master: malformed sha256");
  st = db_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, sha256);
  sqlite3_bind_int64(st, 2, size);
  db_bind_text(st, 3, format);
  sqlite3_bind_int(st, 4, pages);
  return db_step_done(db, st, "recording the master");
}

void index_strings_free(char **s, size_t n)
{
  if(!s)
    return;
  for(size_t i = 0; i < n; i++)
    free(s[i]);
  free(s);
}

int index_master_list(struct index_db *db, int sample, char ***out,
                      size_t *n)
{
  static const char SQL_ALL[] = "SELECT sha256 FROM masters ORDER BY sha256";
  static const char SQL_SAMPLE[] =
      "SELECT sha256 FROM masters ORDER BY random() LIMIT ?1";
  sqlite3_stmt *st = db_stmt(db, sample > 0 ? SQL_SAMPLE : SQL_ALL);
  char **v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  if(sample > 0)
    sqlite3_bind_int(st, 1, sample);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(count == cap) {
      char **p = array_grow(v, &cap, sizeof(*p), 64);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    v[count] = db_col_dup(st, 0);
    if(!v[count]) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
    count++;
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "listing masters");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  index_strings_free(v, count);
  return rc;
}

int index_refusal_add(struct index_db *db, int64_t batch_id,
                      const char *source, const char *reason,
                      const char *sha256, const char *quarantine_rel)
{
  static const char SQL[] =
      "INSERT INTO refusals(batch_id, source, reason, sha256, quarantine, at)"
      " VALUES(?1, ?2, ?3, ?4, ?5, " NOW_SQL ")";
  sqlite3_stmt *st;

  if(!source || !reason)
    return db_fail(db, DAFTAR_EINVAL, "refusal: source and reason needed");
  st = db_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  if(batch_id > 0)
    sqlite3_bind_int64(st, 1, batch_id);
  db_bind_text(st, 2, source);
  db_bind_text(st, 3, reason);
  db_bind_text(st, 4, sha256);
  db_bind_text(st, 5, quarantine_rel);
  return db_step_done(db, st, "recording the refusal");
}

void index_refusals_free(index_refusal *r, size_t n)
{
  if(!r)
    return;
  for(size_t i = 0; i < n; i++) {
    free(r[i].source);
    free(r[i].reason);
    free(r[i].sha256);
    free(r[i].quarantine);
    free(r[i].at);
  }
  free(r);
}

int index_refusal_list(struct index_db *db, int64_t batch_id,
                       index_refusal **out, size_t *n)
{
  static const char SQL_ONE[] =
      "SELECT id, batch_id, source, reason, sha256, quarantine, at"
      " FROM refusals WHERE batch_id = ?1 ORDER BY id";
  static const char SQL_ALL[] =
      "SELECT id, batch_id, source, reason, sha256, quarantine, at"
      " FROM refusals ORDER BY id";
  sqlite3_stmt *st = db_stmt(db, batch_id > 0 ? SQL_ONE : SQL_ALL);
  index_refusal *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  if(batch_id > 0)
    sqlite3_bind_int64(st, 1, batch_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    index_refusal *r;
    if(count == cap) {
      index_refusal *p = array_grow(v, &cap, sizeof(*p), 16);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    r = &v[count++];
    r->id = sqlite3_column_int64(st, 0);
    r->batch_id = sqlite3_column_int64(st, 1);
    r->source = db_col_dup(st, 2);
    r->reason = db_col_dup(st, 3);
    r->sha256 = db_col_dup(st, 4);
    r->quarantine = db_col_dup(st, 5);
    r->at = db_col_dup(st, 6);
    if(!r->source || !r->reason || !r->at) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "listing refusals");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  index_refusals_free(v, count);
  return rc;
}

int index_event_add(struct index_db *db, const char *type,
                    const char *outcome, const char *agent, int64_t batch_id,
                    const char *object, const char *detail)
{
  static const char SQL[] =
      "INSERT INTO events(at, type, outcome, agent, batch_id, object, detail)"
      " VALUES(" NOW_SQL ", ?1, ?2, ?3, ?4, ?5, ?6)";
  sqlite3_stmt *st;

  if(!type || !outcome)
    return db_fail(db, DAFTAR_EINVAL, "event: type and outcome needed");
  st = db_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, type);
  db_bind_text(st, 2, outcome);
  db_bind_text(st, 3, agent);
  if(batch_id > 0)
    sqlite3_bind_int64(st, 4, batch_id);
  db_bind_text(st, 5, object);
  db_bind_text(st, 6, detail);
  return db_step_done(db, st, "recording the event");
}

int index_event_list(struct index_db *db, int64_t batch_id, int limit,
                     index_event **out, size_t *n)
{
  static const char SQL[] =
      "SELECT id, at, type, outcome, agent, batch_id, object, detail"
      " FROM events WHERE ?1 <= 0 OR batch_id = ?1"
      " ORDER BY id DESC LIMIT ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  index_event *v = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, batch_id);
  sqlite3_bind_int(st, 2, limit > 0 ? limit : -1);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    index_event *e;
    if(count == cap) {
      index_event *p = array_grow(v, &cap, sizeof(*p), 32);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        goto fail;
      }
      v = p;
    }
    e = &v[count++];
    e->id = sqlite3_column_int64(st, 0);
    e->at = db_col_dup(st, 1);
    e->type = db_col_dup(st, 2);
    e->outcome = db_col_dup(st, 3);
    e->agent = db_col_dup(st, 4);
    e->batch_id = sqlite3_column_int64(st, 5);
    e->object = db_col_dup(st, 6);
    e->detail = db_col_dup(st, 7);
    if(!e->at || !e->type || !e->outcome) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  if(rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "listing events");
    goto fail;
  }
  db_done(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  db_done(st);
  index_events_free(v, count);
  return rc;
}

void index_events_free(index_event *e, size_t n)
{
  if(!e)
    return;
  for(size_t i = 0; i < n; i++) {
    free(e[i].at);
    free(e[i].type);
    free(e[i].outcome);
    free(e[i].agent);
    free(e[i].object);
    free(e[i].detail);
  }
  free(e);
}
