/*
 * identity.c - the archivist's side of identity linkage: the suggestion
 * queue, accepting and rejecting, merging and splitting workers, undo.
 *
 * Decisions live in link_suggestions (status accepted or rejected) and are
 * applied by re-linking the document (doc_relink), so the rules of
 * linkage.c stay the one place that decides.  An accepted row is moved to
 * the top of the id order, so the latest decision about a document wins.
 * A split is a set of accepted rows (reason "split") to a new worker;
 * undoing it deletes them and re-links.  A merge records worker_merged
 * (from -> into) and moves the documents; undoing it moves back the
 * documents it moved.  Both are rows of worker_changes with the moved
 * document ids, who and when.  Events name ids, never personal data.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define IDENTITY_DOCS_MAX 100000 /* documents one merge or split may move */

static int event(struct index_db *db, const char *user, const char *object,
                 const char *detail)
{
  return index_event_add(db, "identity linkage", "success", user, 0, object,
                         detail);
}

static int user_ok(struct index_db *db, const char *user)
{
  if(!user || !*user)
    return db_fail(db, DAFTAR_EINVAL, "a decision needs a user");
  return DAFTAR_OK;
}

/* ---- the queue -------------------------------------------------------------- */

void index_link_suggestions_free(index_link_suggestion *s, size_t n)
{
  if(!s)
    return;
  for(size_t i = 0; i < n; i++) {
    free(s[i].reason);
    free(s[i].detail);
    free(s[i].explain);
    free(s[i].status);
    free(s[i].source);
    free(s[i].worker_ssn);
    free(s[i].worker_name);
  }
  free(s);
}

int index_link_suggestions_list(struct index_db *db, const char *status,
                                int limit, int offset,
                                index_link_suggestion **out, size_t *n)
{
  static const char SQL[] =
      "SELECT s.id, s.document_id, s.worker_id, s.score, s.reason, s.detail,"
      " s.explain, s.status, d.source, w.ssn, w.name"
      " FROM link_suggestions s JOIN documents d ON d.id = s.document_id"
      " JOIN workers w ON w.id = s.worker_id WHERE s.status = ?1"
      " ORDER BY s.score DESC, s.id LIMIT ?2 OFFSET ?3";
  index_link_suggestion *v = NULL;
  size_t k = 0;
  sqlite3_stmt *st;
  int rc;

  *out = NULL;
  *n = 0;
  if(!status)
    status = "pending";
  if(strcmp(status, "pending") != 0 && strcmp(status, "accepted") != 0 &&
     strcmp(status, "rejected") != 0)
    return db_fail(db, DAFTAR_EINVAL,
                   "status is pending, accepted or rejected");
  if(limit < 1 || limit > INDEX_SEARCH_LIMIT_MAX || offset < 0)
    return db_fail(db, DAFTAR_EINVAL, "limit 1..%d, offset >= 0",
                   INDEX_SEARCH_LIMIT_MAX);
  v = calloc((size_t)limit, sizeof(*v));
  st = db_stmt(db, SQL);
  if(!v || !st) {
    free(v);
    return st ? db_fail(db, DAFTAR_ENOMEM, "out of memory") : DAFTAR_EDB;
  }
  db_bind_text(st, 1, status);
  sqlite3_bind_int(st, 2, limit);
  sqlite3_bind_int(st, 3, offset);
  while(k < (size_t)limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    index_link_suggestion *s = &v[k++];
    s->id = sqlite3_column_int64(st, 0);
    s->document_id = sqlite3_column_int64(st, 1);
    s->worker_id = sqlite3_column_int64(st, 2);
    s->score = sqlite3_column_int(st, 3);
    s->reason = db_col_dup(st, 4);
    s->detail = db_col_dup(st, 5);
    s->explain = db_col_dup(st, 6);
    s->status = db_col_dup(st, 7);
    s->source = db_col_dup(st, 8);
    s->worker_ssn = db_col_dup(st, 9);
    s->worker_name = db_col_dup(st, 10);
    if(!s->reason || !s->detail || !s->explain || !s->status || !s->source) {
      rc = SQLITE_NOMEM;
      break;
    }
  }
  db_done(st);
  if(rc != SQLITE_DONE && rc != SQLITE_ROW) {
    index_link_suggestions_free(v, k);
    return db_sqlerr(db, rc, "reading link suggestions");
  }
  *out = v;
  *n = k;
  return DAFTAR_OK;
}

int index_link_suggestions_json(const index_link_suggestion *s, size_t n,
                                dbuf *out)
{
  int rc = dbuf_puts(out, "{\"suggestions\":[");

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    rc = dbuf_printf(out,
                     "%s{\"id\":%lld,\"document\":%lld,\"worker\":%lld,"
                     "\"score\":%d,\"reason\":",
                     i ? "," : "", (long long)s[i].id,
                     (long long)s[i].document_id, (long long)s[i].worker_id,
                     s[i].score);
    if(!rc)
      rc = json_put_str(out, s[i].reason);
    if(!rc)
      rc = dbuf_puts(out, ",\"status\":");
    if(!rc)
      rc = json_put_str(out, s[i].status);
    if(!rc)
      rc = dbuf_puts(out, ",\"source\":");
    if(!rc)
      rc = json_put_str(out, s[i].source);
    if(!rc)
      rc = dbuf_puts(out, ",\"worker_ssn\":");
    if(!rc)
      rc = json_put_str(out, s[i].worker_ssn);
    if(!rc)
      rc = dbuf_puts(out, ",\"worker_name\":");
    if(!rc)
      rc = json_put_str(out, s[i].worker_name);
    if(!rc)
      rc = dbuf_puts(out, ",\"explain\":");
    if(!rc)
      rc = json_put_str(out, s[i].explain);
    /* detail is JSON made by linkage.c: embedded as it is. */
    if(!rc)
      rc = dbuf_printf(out, ",\"detail\":%s}", s[i].detail);
  }
  return rc ? rc : dbuf_puts(out, "]}");
}

/* ---- decisions ---------------------------------------------------------------- */

static int suggestion_doc(struct index_db *db, int64_t id, int64_t *doc)
{
  static const char SQL[] =
      "SELECT document_id FROM link_suggestions WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *doc = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    *doc = sqlite3_column_int64(st, 0);
  db_done(st);
  if(rc == SQLITE_DONE)
    return db_fail(db, DAFTAR_ENOTFOUND, "no link suggestion %lld",
                   (long long)id);
  return rc == SQLITE_ROW ? DAFTAR_OK
                          : db_sqlerr(db, rc, "reading a link suggestion");
}

static int decide(struct index_db *db, int64_t id, const char *user,
                  int accept)
{
  /* Accepting renumbers the row past every other, so it is the latest
   * decision about its document. */
  static const char SQL_ACCEPT[] =
      "UPDATE link_suggestions SET status = 'accepted', decided_by = ?2,"
      " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'),"
      " id = (SELECT max(id) + 1 FROM link_suggestions) WHERE id = ?1";
  static const char SQL_REJECT[] =
      "UPDATE link_suggestions SET status = 'rejected', decided_by = ?2,"
      " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1";
  char object[64];
  sqlite3_stmt *st;
  int64_t doc;
  int rc;

  rc = user_ok(db, user);
  if(rc)
    return rc;
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = suggestion_doc(db, id, &doc);
  if(rc)
    goto out;
  st = db_stmt(db, accept ? SQL_ACCEPT : SQL_REJECT);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  sqlite3_bind_int64(st, 1, id);
  db_bind_text(st, 2, user);
  rc = db_step_done(db, st, "storing the decision");
  if(!rc)
    rc = doc_relink(db, doc);
  snprintf(object, sizeof(object), "document %lld", (long long)doc);
  if(!rc)
    rc = event(db, user, object,
               accept ? "link suggestion accepted" : "link suggestion rejected");
out:
  return db_write_end(db, rc);
}

int index_link_accept(struct index_db *db, int64_t suggestion_id,
                      const char *user)
{
  return decide(db, suggestion_id, user, 1);
}

int index_link_reject(struct index_db *db, int64_t suggestion_id,
                      const char *user)
{
  return decide(db, suggestion_id, user, 0);
}

/* ---- merges and splits --------------------------------------------------------- */

static int worker_exists_unmerged(struct index_db *db, int64_t id)
{
  static const char SQL[] =
      "SELECT (SELECT count(*) FROM workers WHERE id = ?1),"
      " (SELECT count(*) FROM worker_merged WHERE worker_id = ?1)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, exists = 0, merged = 0;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    exists = sqlite3_column_int(st, 0);
    merged = sqlite3_column_int(st, 1);
  }
  db_done(st);
  if(rc != SQLITE_ROW)
    return db_sqlerr(db, rc, "reading a worker");
  if(!exists)
    return db_fail(db, DAFTAR_ENOTFOUND, "no worker %lld", (long long)id);
  if(merged)
    return db_fail(db, DAFTAR_EINVAL, "worker %lld is merged into another",
                   (long long)id);
  return DAFTAR_OK;
}

/* The ids of a worker's documents as a JSON array. */
static int worker_docs_json(struct index_db *db, int64_t worker, dbuf *out)
{
  static const char SQL[] =
      "SELECT id FROM documents WHERE worker_id = ?1 ORDER BY id LIMIT ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker);
  sqlite3_bind_int(st, 2, IDENTITY_DOCS_MAX);
  rc = dbuf_putc(out, '[');
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_printf(out, "%s%lld", first ? "" : ",",
                     (long long)sqlite3_column_int64(st, 0));
    first = 0;
  }
  db_done(st);
  if(rc == SQLITE_DONE)
    return dbuf_putc(out, ']');
  return rc > 0 ? db_sqlerr(db, rc, "reading documents") : rc;
}

static int change_record(struct index_db *db, const char *kind, int64_t a,
                         int64_t b, const char *docs, const char *user,
                         int64_t *change_id)
{
  static const char SQL[] =
      "INSERT INTO worker_changes(kind, worker_id, other_id, documents, by,"
      " at) VALUES(?1, ?2, ?3, ?4, ?5,"
      " strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, kind);
  sqlite3_bind_int64(st, 2, a);
  sqlite3_bind_int64(st, 3, b);
  db_bind_text(st, 4, docs);
  db_bind_text(st, 5, user);
  rc = db_step_done(db, st, "recording the change");
  if(!rc && change_id)
    *change_id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

/* Moves the listed documents now on worker `from` to worker `to`, then
 * rebuilds both and the documents' search rows. */
static int move_docs(struct index_db *db, const char *docs, int64_t from,
                     int64_t to)
{
  static const char SQL_MOVE[] =
      "UPDATE documents SET worker_id = ?3 WHERE worker_id = ?2"
      " AND id IN (SELECT value FROM json_each(?1))";
  static const char SQL_IDS[] = "SELECT value FROM json_each(?1)";
  sqlite3_stmt *st = db_stmt(db, SQL_MOVE);
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, docs);
  sqlite3_bind_int64(st, 2, from);
  sqlite3_bind_int64(st, 3, to);
  rc = db_step_done(db, st, "moving documents");
  if(!rc)
    rc = worker_rebuild(db, from);
  if(!rc)
    rc = worker_rebuild(db, to);
  st = rc ? NULL : db_stmt(db, SQL_IDS);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    db_bind_text(st, 1, docs);
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if(n == cap) {
        int64_t *p = array_grow(ids, &cap, sizeof(*p), 16);
        if(!p) {
          rc = SQLITE_NOMEM;
          break;
        }
        ids = p;
      }
      ids[n++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    rc = rc == SQLITE_DONE ? DAFTAR_OK : db_sqlerr(db, rc, "moving documents");
  }
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = fts_refresh(db, ids[i]);
  free(ids);
  return rc;
}

int index_worker_merge(struct index_db *db, int64_t into, int64_t from,
                       const char *user, int64_t *change_id)
{
  static const char SQL_MERGED[] =
      "INSERT INTO worker_merged(worker_id, into_id) VALUES(?1, ?2)";
  dbuf docs = DBUF_INIT;
  char object[64];
  sqlite3_stmt *st;
  int rc;

  rc = user_ok(db, user);
  if(rc)
    return rc;
  if(into == from)
    return db_fail(db, DAFTAR_EINVAL, "a worker cannot be merged into itself");
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = worker_exists_unmerged(db, into);
  if(!rc)
    rc = worker_exists_unmerged(db, from);
  if(!rc)
    rc = worker_docs_json(db, from, &docs);
  st = rc ? NULL : db_stmt(db, SQL_MERGED);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, into);
    rc = db_step_done(db, st, "recording the merge");
  }
  if(!rc)
    rc = change_record(db, "merge", into, from, dbuf_cstr(&docs), user,
                       change_id);
  if(!rc)
    rc = move_docs(db, dbuf_cstr(&docs), from, into);
  snprintf(object, sizeof(object), "worker %lld", (long long)into);
  if(!rc)
    rc = event(db, user, object, "worker merged into this one");
  rc = db_write_end(db, rc);
  dbuf_free(&docs);
  return rc;
}

/* Re-links each listed document. */
static int relink_listed(struct index_db *db, const int64_t *docs, size_t n)
{
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = doc_relink(db, docs[i]);
  return rc;
}

int index_worker_split(struct index_db *db, int64_t worker,
                       const int64_t *docs, size_t n, const char *user,
                       int64_t *new_worker, int64_t *change_id)
{
  static const char SQL_ON[] =
      "SELECT worker_id FROM documents WHERE id = ?1";
  static const char SQL_DECIDE[] =
      "INSERT INTO link_suggestions(document_id, worker_id, score, reason,"
      " detail, explain, status, created, decided_by, decided_at)"
      " VALUES(?1, ?2, 100, 'split', '{}', 'split off by an archivist',"
      " 'accepted', strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?3,"
      " strftime('%Y-%m-%dT%H:%M:%SZ','now'))";
  struct link_ident none = {NULL, NULL, NULL, NULL, NULL};
  dbuf list = DBUF_INIT;
  char object[64];
  int64_t made = 0;
  int rc;

  rc = user_ok(db, user);
  if(rc)
    return rc;
  if(!docs || n == 0 || n > IDENTITY_DOCS_MAX)
    return db_fail(db, DAFTAR_EINVAL, "a split needs 1..%d documents",
                   IDENTITY_DOCS_MAX);
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = worker_exists_unmerged(db, worker);
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    sqlite3_stmt *st = db_stmt(db, SQL_ON);
    int64_t on = 0;
    if(!st) {
      rc = DAFTAR_EDB;
      break;
    }
    sqlite3_bind_int64(st, 1, docs[i]);
    if(sqlite3_step(st) == SQLITE_ROW)
      on = sqlite3_column_int64(st, 0);
    db_done(st);
    if(on != worker)
      rc = db_fail(db, DAFTAR_EINVAL, "document %lld is not worker %lld's",
                   (long long)docs[i], (long long)worker);
    else
      rc = dbuf_printf(&list, "%s%lld", i ? "," : "[", (long long)docs[i]);
  }
  if(!rc)
    rc = dbuf_putc(&list, ']');
  if(!rc)
    rc = link_worker_create(db, &none, &made);
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    sqlite3_stmt *st = db_stmt(db, SQL_DECIDE);
    if(!st) {
      rc = DAFTAR_EDB;
      break;
    }
    sqlite3_bind_int64(st, 1, docs[i]);
    sqlite3_bind_int64(st, 2, made);
    db_bind_text(st, 3, user);
    rc = db_step_done(db, st, "recording the split");
  }
  if(!rc)
    rc = change_record(db, "split", worker, made, dbuf_cstr(&list), user,
                       change_id);
  if(!rc)
    rc = relink_listed(db, docs, n);
  snprintf(object, sizeof(object), "worker %lld", (long long)worker);
  if(!rc)
    rc = event(db, user, object, "documents split off to a new worker");
  rc = db_write_end(db, rc);
  if(!rc && new_worker)
    *new_worker = made;
  dbuf_free(&list);
  return rc;
}

struct change {
  char kind[8];
  int64_t worker, other;
  char *docs;
  int undone;
};

static int change_load(struct index_db *db, int64_t id, struct change *c)
{
  static const char SQL[] =
      "SELECT kind, worker_id, other_id, documents, undone_at IS NOT NULL"
      " FROM worker_changes WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  memset(c, 0, sizeof(*c));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    snprintf(c->kind, sizeof(c->kind), "%s",
             (const char *)sqlite3_column_text(st, 0));
    c->worker = sqlite3_column_int64(st, 1);
    c->other = sqlite3_column_int64(st, 2);
    c->docs = db_col_dup(st, 3);
    c->undone = sqlite3_column_int(st, 4);
  }
  db_done(st);
  if(rc == SQLITE_DONE)
    return db_fail(db, DAFTAR_ENOTFOUND, "no worker change %lld",
                   (long long)id);
  if(rc != SQLITE_ROW)
    return db_sqlerr(db, rc, "reading a worker change");
  if(!c->docs)
    return db_fail(db, DAFTAR_ENOMEM, "out of memory");
  if(c->undone)
    return db_fail(db, DAFTAR_EINVAL, "change %lld was undone already",
                   (long long)id);
  return DAFTAR_OK;
}

static int undo_merge(struct index_db *db, const struct change *c)
{
  static const char SQL[] =
      "DELETE FROM worker_merged WHERE worker_id = ?1 AND into_id = ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, c->other);
  sqlite3_bind_int64(st, 2, c->worker);
  rc = db_step_done(db, st, "undoing the merge");
  if(!rc && sqlite3_changes(db->sql) == 0)
    rc = db_fail(db, DAFTAR_EINVAL, "the merge is no longer in place");
  if(!rc)
    rc = move_docs(db, c->docs, c->worker, c->other);
  return rc;
}

static int undo_split(struct index_db *db, const struct change *c)
{
  static const char SQL_DROP[] =
      "DELETE FROM link_suggestions WHERE worker_id = ?1 AND reason = 'split'"
      " AND document_id IN (SELECT value FROM json_each(?2))";
  static const char SQL_IDS[] = "SELECT value FROM json_each(?1)";
  sqlite3_stmt *st = db_stmt(db, SQL_DROP);
  int64_t *ids = NULL;
  size_t n = 0, cap = 0;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, c->other);
  db_bind_text(st, 2, c->docs);
  rc = db_step_done(db, st, "undoing the split");
  st = rc ? NULL : db_stmt(db, SQL_IDS);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    db_bind_text(st, 1, c->docs);
    while((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if(n == cap) {
        int64_t *p = array_grow(ids, &cap, sizeof(*p), 16);
        if(!p) {
          rc = SQLITE_NOMEM;
          break;
        }
        ids = p;
      }
      ids[n++] = sqlite3_column_int64(st, 0);
    }
    db_done(st);
    rc = rc == SQLITE_DONE ? DAFTAR_OK : db_sqlerr(db, rc, "undoing the split");
  }
  if(!rc)
    rc = relink_listed(db, ids, n);
  free(ids);
  return rc;
}

int index_worker_change_undo(struct index_db *db, int64_t change_id,
                             const char *user)
{
  static const char SQL_DONE[] =
      "UPDATE worker_changes SET undone_by = ?2,"
      " undone_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1";
  struct change c;
  char object[64];
  sqlite3_stmt *st;
  int rc;

  rc = user_ok(db, user);
  if(rc)
    return rc;
  rc = db_write_begin(db);
  if(rc)
    return rc;
  rc = change_load(db, change_id, &c);
  if(!rc)
    rc = strcmp(c.kind, "merge") == 0 ? undo_merge(db, &c)
                                      : undo_split(db, &c);
  st = rc ? NULL : db_stmt(db, SQL_DONE);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, change_id);
    db_bind_text(st, 2, user);
    rc = db_step_done(db, st, "recording the undo");
  }
  snprintf(object, sizeof(object), "worker %lld", (long long)c.worker);
  if(!rc)
    rc = event(db, user, object,
               strcmp(c.kind, "merge") == 0 ? "merge undone" : "split undone");
  rc = db_write_end(db, rc);
  free(c.docs);
  return rc;
}

int index_worker_id(struct index_db *db, const char *number, int64_t *id)
{
  static const char SQL[] =
      "SELECT id FROM workers WHERE ssn = ?1 OR national_id = ?1"
      " ORDER BY (ssn IS ?1) DESC, id LIMIT 1";
  dbuf key = DBUF_INIT;
  sqlite3_stmt *st;
  int rc;

  *id = 0;
  if(!number)
    return db_fail(db, DAFTAR_EINVAL, "no worker number given");
  rc = idx_norm_number(number, &key);
  if(!rc && key.len == 0)
    rc = db_fail(db, DAFTAR_EINVAL, "a worker number has digits");
  st = rc ? NULL : db_stmt(db, SQL);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    db_bind_text(st, 1, dbuf_cstr(&key));
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
      *id = sqlite3_column_int64(st, 0);
      rc = DAFTAR_OK;
    }
    else if(rc == SQLITE_DONE)
      rc = db_fail(db, DAFTAR_ENOTFOUND, "no worker with that number");
    else
      rc = db_sqlerr(db, rc, "looking up the worker");
    db_done(st);
  }
  if(!rc)
    rc = link_root(db, *id, id);
  dbuf_free(&key);
  return rc;
}
