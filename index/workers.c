/*
 * workers.c - workers: linking documents to them and to their employer (the
 * decision itself is linkage.c's), rebuilding a worker from its
 * documents, and `daftar worker`.
 *
 * A worker is derived from the documents linked to it: its name, mother's
 * name and birth date are those of its earliest document that has them
 * (a correction is the document's value, so corrections count); every
 * spelling of the name is kept in worker_names with its search key and
 * skeleton; spells and wage points are rebuilt (history.c).  A worker left
 * with no documents and no part in a merge is removed.  SSN and national
 * ID are the worker's keys: set when it is made, filled when a document
 * shows one the worker lacks.  Employers and their names are
 * employers.c's.
 *
 * The worker's name is settled from its documents' readings as an
 * employer's is (settle.c): a correction first, else the majority, else
 * on a tie the reading that holds the others' ink ("ياسين منير مهدي"
 * over "ياسين منير مدي", a stacked مه the scan lost), else the one read
 * clearly more confidently.  A document whose reading is a near variant
 * of the settled name shows it: its reading is kept in old_value,
 * "+worker" is added to its rule, and the reading stays one of the
 * worker's searchable names.  Linkage always sees the readings (this
 * document's through read_primaries, the others' in linkage.c: both by
 * WORKER_READING_SQL); a document left with no worker shows its own
 * reading again.
 * Nothing is stored but the fields: a worker's documents are
 * few, and settling them again on every rebuild follows merges, splits
 * and corrections without a second record to keep in step.
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
  RL_COUNT
};
static const char *const relink_names[RL_COUNT] = {
    "worker_ssn", "national_id", "worker_name", "mother_name",
    "birth_date", "employer_number"};

static int read_primaries(struct index_db *db, int64_t doc_id,
                          char *v[RL_COUNT])
{
  /* The name as the page reads it, not as the worker register shows it:
   * linkage compares readings. */
  static const char SQL[] =
      "SELECT f.name, CASE WHEN f.name = 'worker_name' THEN "
      WORKER_READING_SQL " ELSE f.value END FROM fields f"
      " WHERE f.document_id = ?1 AND f.seq = 0 AND f.candidate = 0"
      " AND f.value IS NOT NULL AND f.value <> ''";
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

/* ---- the worker's name settled from its documents' readings ------------- */

/* A worker_name field as read and as shown now. */
struct name_row {
  char *reading, *value;
};

static void name_rows_free(struct name_row *r, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    free(r[i].reading);
    free(r[i].value);
  }
  free(r);
}

/* The worker's name variants as its documents read them, and each
 * field's reading beside what it shows now. */
static int worker_readings(struct index_db *db, int64_t worker_id,
                           struct settle_variant **v, size_t *n,
                           struct name_row **rows, size_t *nrows)
{
  static const char SQL[] =
      "SELECT " WORKER_READING_SQL ", f.locked, f.confidence, f.value"
      " FROM documents d CROSS JOIN fields f ON f.document_id = d.id"
      " WHERE d.worker_id = ?1 AND d.duplicate_of IS NULL"
      " AND f.name = 'worker_name' AND f.seq = 0 AND f.candidate = 0"
      " AND f.value <> '' ORDER BY d.id";
  sqlite3_stmt *st = db_stmt(db, SQL);
  size_t cap = 0, rcap = 0;
  int rc = SQLITE_DONE, err = DAFTAR_OK;

  *v = NULL;
  *n = 0;
  *rows = NULL;
  *nrows = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  while(!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    if(!name)
      continue;
    err = settle_variant_add(v, n, &cap, name, sqlite3_column_int(st, 1),
                             sqlite3_column_double(st, 2));
    if(!err && *nrows == rcap) {
      struct name_row *p = array_grow(*rows, &rcap, sizeof(*p), 8);
      if(p)
        *rows = p;
      else
        err = DAFTAR_ENOMEM;
    }
    if(!err) {
      struct name_row *r = &(*rows)[(*nrows)++];
      r->reading = idx_strdup(name);
      r->value = db_col_dup(st, 3);
      if(!r->reading || !r->value)
        err = DAFTAR_ENOMEM;
    }
  }
  db_done(st);
  if(!err && rc != SQLITE_DONE)
    err = db_sqlerr(db, rc, "reading the worker's names");
  if(err) {
    settle_variants_free(*v, *n);
    name_rows_free(*rows, *nrows);
    *v = NULL;
    *n = 0;
    *rows = NULL;
    *nrows = 0;
  }
  return err;
}

/* Does a field that reads variant show something else than shown? */
static int shows_other(const struct name_row *rows, size_t nrows,
                       const char *variant, const char *shown)
{
  for(size_t i = 0; i < nrows; i++)
    if(strcmp(rows[i].reading, variant) == 0 &&
       strcmp(rows[i].value, shown) != 0)
      return 1;
  return 0;
}

/* Shows shown in the unlocked worker_name fields of the worker's
 * documents that read variant; the documents rewritten are added to
 * *docs (*n of *cap). */
static int worker_name_show(struct index_db *db, int64_t worker_id,
                            const char *variant, const char *shown,
                            int64_t **docs, size_t *n, size_t *cap)
{
  static const char SQL[] =
      "UPDATE fields AS f SET value = ?3,"
      " old_value = CASE WHEN ?3 = ?2 THEN NULL ELSE ?2 END,"
      " rule = replace(coalesce(rule, ''), '" WORKER_RULE_MARK "', '')"
      "  || CASE WHEN ?3 = ?2 THEN '' ELSE '" WORKER_RULE_MARK "' END"
      " WHERE f.name = 'worker_name' AND f.seq = 0 AND f.candidate = 0"
      " AND f.locked = 0 AND f.value IS NOT ?3 AND " WORKER_READING_SQL " = ?2"
      " AND f.document_id IN (SELECT id FROM documents WHERE worker_id = ?1"
      "  AND duplicate_of IS NULL) RETURNING document_id";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, err = DAFTAR_OK;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  db_bind_text(st, 2, variant);
  db_bind_text(st, 3, shown);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(*n == *cap) {
      int64_t *p = array_grow(*docs, cap, sizeof(*p), 8);
      if(!p) {
        err = DAFTAR_ENOMEM;
        continue; /* the update still runs to its end */
      }
      *docs = p;
    }
    (*docs)[(*n)++] = sqlite3_column_int64(st, 0);
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "settling the worker's name");
  return err;
}

/* Settles the worker's name from its documents' readings (settle.c),
 * shows it in every near reading and indexes again the documents whose
 * field it rewrote. */
static int worker_name_settle(struct index_db *db, int64_t worker_id)
{
  struct settle_variant *v;
  struct name_row *rows;
  int64_t *docs = NULL;
  size_t n, nrows, ndocs = 0, cap = 0;
  const char *name;
  int rc = worker_readings(db, worker_id, &v, &n, &rows, &nrows);

  if(rc)
    return rc;
  name = settle_pick(v, n);
  for(size_t i = 0; i < n && !rc; i++) {
    const char *shown =
        name && settle_near(v[i].name, name) ? name : v[i].name;
    /* Most workers' fields show what they should already: no write. */
    if(shows_other(rows, nrows, v[i].name, shown))
      rc = worker_name_show(db, worker_id, v[i].name, shown, &docs, &ndocs,
                            &cap);
  }
  for(size_t i = 0; i < ndocs && !rc; i++)
    rc = fts_refresh(db, docs[i]);
  free(docs);
  name_rows_free(rows, nrows);
  settle_variants_free(v, n);
  return rc;
}

/* Puts the document's own reading back in its worker_name field. */
static int worker_name_unsettle(struct index_db *db, int64_t doc_id)
{
  static const char SQL[] =
      "UPDATE fields SET value = old_value, old_value = NULL,"
      " rule = replace(rule, '" WORKER_RULE_MARK "', '')"
      " WHERE document_id = ?1 AND name = 'worker_name' AND seq = 0"
      " AND candidate = 0 AND locked = 0 AND old_value IS NOT NULL"
      " AND rule LIKE '%" WORKER_RULE_MARK "'";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_step_done(db, st, "reading the document's name again");
}

/* ---- rebuilding a worker from its documents ------------------------------- */

#define WORKER_NAMES_MAX 256 /* spellings of one worker kept */

#define FIRST_PRIMARY_SQL(field)                                              \
  "(SELECT f.value FROM documents d JOIN fields f ON f.document_id = d.id"   \
  " WHERE d.worker_id = ?1 AND d.duplicate_of IS NULL AND f.name = '" field  \
  "' AND f.seq = 0 AND f.candidate = 0 AND f.value <> ''"                    \
  " ORDER BY d.id LIMIT 1)"

/* Attributes from the earliest document that has each (corrections are
 * the primaries, so they count); kept when no document has one. */
static int worker_attributes(struct index_db *db, int64_t worker_id,
                             int *name_changed)
{
  static const char SQL[] =
      "UPDATE workers SET"
      " name = coalesce(" FIRST_PRIMARY_SQL("worker_name") ", name),"
      " mother_name = coalesce(" FIRST_PRIMARY_SQL("mother_name")
      ", mother_name),"
      " birth_date = coalesce(" FIRST_PRIMARY_SQL("birth_date")
      ", birth_date)"
      " WHERE id = ?1";
  static const char SQL_NAME[] = "SELECT name FROM workers WHERE id = ?1";
  char *before = NULL, *after = NULL;
  sqlite3_stmt *st;
  int rc;

  *name_changed = 0;
  for(int pass = 0; pass < 3; pass++) {
    if(pass == 1) {
      st = db_stmt(db, SQL);
      if(!st)
        return DAFTAR_EDB;
      sqlite3_bind_int64(st, 1, worker_id);
      rc = db_step_done(db, st, "updating the worker");
      if(rc)
        goto out;
      continue;
    }
    st = db_stmt(db, SQL_NAME);
    if(!st) {
      rc = DAFTAR_EDB;
      goto out;
    }
    sqlite3_bind_int64(st, 1, worker_id);
    rc = sqlite3_step(st);
    if(rc == SQLITE_ROW) {
      char **slot = pass == 0 ? &before : &after;
      *slot = db_col_dup(st, 0);
    }
    db_done(st);
    if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
      rc = db_sqlerr(db, rc, "reading the worker");
      goto out;
    }
  }
  rc = DAFTAR_OK;
  *name_changed = (before == NULL) != (after == NULL) ||
                  (before && after && strcmp(before, after) != 0);
out:
  free(before);
  free(after);
  return rc;
}

/* Name variants: every primary worker_name of its documents and the
 * readings settled into them (a merged
 * worker's documents, and so its names, are with the worker it is part
 * of). */
static int worker_names_rebuild(struct index_db *db, int64_t worker_id)
{
  static const char SQL_CLEAR[] =
      "DELETE FROM worker_names WHERE worker_id = ?1";
  static const char SQL_CLEAR_GRAMS[] =
      "DELETE FROM worker_name_grams WHERE worker_id = ?1";
  /* CROSS JOIN keeps documents (by worker) outside: without statistics
   * the planner scanned every worker_name field through fields_value
   * instead, once per document stored (search helper, measured). */
  static const char SQL_NAMES[] =
      "SELECT DISTINCT f.value FROM documents d CROSS JOIN fields f"
      " ON f.document_id = d.id WHERE d.worker_id = ?1"
      " AND d.duplicate_of IS NULL AND f.name = 'worker_name' AND f.seq = 0"
      " AND f.candidate = 0 AND f.value <> ''"
      " UNION SELECT f.old_value FROM documents d CROSS JOIN fields f"
      " ON f.document_id = d.id WHERE d.worker_id = ?1"
      " AND d.duplicate_of IS NULL AND f.name = 'worker_name' AND f.seq = 0"
      " AND f.candidate = 0 AND f.locked = 0 AND f.old_value <> ''"
      " AND f.rule LIKE '%" WORKER_RULE_MARK "' LIMIT ?2";
  char *names[WORKER_NAMES_MAX];
  size_t n = 0;
  sqlite3_stmt *st;
  int rc;

  st = db_stmt(db, SQL_CLEAR);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = db_step_done(db, st, "clearing names");
  st = rc ? NULL : db_stmt(db, SQL_CLEAR_GRAMS);
  if(!rc && !st)
    return DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, worker_id);
    rc = db_step_done(db, st, "clearing name trigrams");
  }
  st = rc ? NULL : db_stmt(db, SQL_NAMES);
  if(!rc && !st)
    return DAFTAR_EDB;
  if(!st)
    return rc;
  sqlite3_bind_int64(st, 1, worker_id);
  sqlite3_bind_int(st, 2, WORKER_NAMES_MAX);
  while(n < WORKER_NAMES_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    names[n] = db_col_dup(st, 0);
    if(names[n])
      n++;
  }
  db_done(st);
  if(rc != SQLITE_DONE && rc != SQLITE_ROW)
    rc = db_sqlerr(db, rc, "reading names");
  else
    rc = DAFTAR_OK;
  for(size_t i = 0; i < n; i++) {
    if(!rc)
      rc = worker_add_name(db, worker_id, names[i]);
    free(names[i]);
  }
  return rc;
}

/* 1 when the worker has documents or takes part in a merge. */
static int worker_in_use(struct index_db *db, int64_t worker_id, int *used)
{
  static const char SQL[] =
      "SELECT EXISTS(SELECT 1 FROM documents WHERE worker_id = ?1)"
      " OR EXISTS(SELECT 1 FROM worker_merged WHERE worker_id = ?1"
      "  OR into_id = ?1)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *used = 1;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    *used = sqlite3_column_int(st, 0);
  db_done(st);
  return rc == SQLITE_ROW ? DAFTAR_OK : db_sqlerr(db, rc, "reading a worker");
}

static int docs_refresh(struct index_db *db, int64_t worker_id)
{
  static const char SQL[] =
      "SELECT id FROM documents WHERE worker_id = ?1 ORDER BY id";

  return fts_refresh_each(db, SQL, worker_id);
}

#define WORKER_RELINK_MAX 1000      /* waiting documents re-linked at once */
#define WORKER_RELINK_DEPTH_MAX 4   /* re-links caused by re-links */

/* Removes a worker nothing shows any more, then links again the documents
 * that waited on a proposal of it (the proposal goes with the worker, and
 * without it they may now link, e.g. to the worker that took the number). */
static int worker_remove(struct index_db *db, int64_t worker_id)
{
  static const char SQL_WAITING[] =
      "SELECT DISTINCT document_id FROM link_suggestions WHERE worker_id = ?1"
      " AND status = 'pending' ORDER BY document_id LIMIT ?2";
  static const char SQL_DELETE[] = "DELETE FROM workers WHERE id = ?1";
  int64_t *docs = NULL;
  size_t n = 0;
  sqlite3_stmt *st;
  int rc;

  if(db->relink_depth < WORKER_RELINK_DEPTH_MAX) {
    st = db_stmt(db, SQL_WAITING);
    docs = malloc(WORKER_RELINK_MAX * sizeof(*docs));
    if(!st || !docs) {
      free(docs);
      return st ? db_fail(db, DAFTAR_ENOMEM, "out of memory") : DAFTAR_EDB;
    }
    sqlite3_bind_int64(st, 1, worker_id);
    sqlite3_bind_int(st, 2, WORKER_RELINK_MAX);
    while(n < WORKER_RELINK_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW)
      docs[n++] = sqlite3_column_int64(st, 0);
    db_done(st);
  }
  st = db_stmt(db, SQL_DELETE);
  if(!st) {
    free(docs);
    return DAFTAR_EDB;
  }
  sqlite3_bind_int64(st, 1, worker_id);
  rc = db_step_done(db, st, "removing an empty worker");
  db->relink_depth++;
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = doc_relink(db, docs[i]);
  db->relink_depth--;
  free(docs);
  return rc;
}

int worker_rebuild(struct index_db *db, int64_t worker_id)
{
  int used, name_changed = 0, rc;

  rc = worker_in_use(db, worker_id, &used);
  if(rc)
    return rc;
  /* Nothing shows this worker any more (its documents were corrected,
   * re-linked or split off): names, spells and proposals go with it. */
  if(!used)
    return worker_remove(db, worker_id);
  rc = worker_name_settle(db, worker_id);
  if(!rc)
    rc = worker_attributes(db, worker_id, &name_changed);
  if(!rc)
    rc = worker_names_rebuild(db, worker_id);
  if(!rc)
    rc = history_rebuild_spells(db, worker_id);
  /* The search rows carry the worker's name. */
  if(!rc && name_changed)
    rc = docs_refresh(db, worker_id);
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

static int doc_worker(struct index_db *db, int64_t doc_id, int64_t *worker)
{
  static const char SQL[] = "SELECT worker_id FROM documents WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_query_id(db, st, worker, "looking up");
}

int doc_relink(struct index_db *db, int64_t doc_id)
{
  char *v[RL_COUNT] = {NULL};
  struct link_ident ident;
  int64_t worker_id = 0, employer_id = 0, before = 0;
  int rc;

  rc = read_primaries(db, doc_id, v);
  if(!rc)
    rc = doc_worker(db, doc_id, &before);
  if(rc)
    goto out;
  ident = (struct link_ident){v[RL_SSN], v[RL_NID], v[RL_NAME], v[RL_MOTHER],
                              v[RL_BIRTH]};
  rc = link_document(db, doc_id, &ident, &worker_id);
  if(!rc)
    rc = employer_link(db, doc_id, v[RL_EMP_NUMBER], &employer_id);
  if(!rc)
    rc = doc_set_links(db, doc_id, worker_id, employer_id);
  /* Both workers are derived from their documents: rebuild them. */
  if(!rc && before && before != worker_id)
    rc = worker_rebuild(db, before);
  if(!rc && worker_id)
    rc = worker_rebuild(db, worker_id);
  /* A document of no worker shows its own reading (its new worker's
   * rebuild settles it otherwise). */
  if(!rc && !worker_id)
    rc = worker_name_unsettle(db, doc_id);
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
      "SELECT id, ssn, national_id, name, mother_name, birth_date,"
      " (SELECT into_id FROM worker_merged m WHERE m.worker_id = workers.id)"
      " FROM workers WHERE ssn = ?1 OR national_id = ?1"
      " ORDER BY (ssn IS ?1) DESC, id LIMIT 1";
  static const char SQL_BY_ID[] =
      "SELECT id, ssn, national_id, name, mother_name, birth_date, 0"
      " FROM workers WHERE id = ?1";
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
  if(rc == SQLITE_ROW && sqlite3_column_int64(st, 6) != 0) {
    /* Merged into another worker: show that one. */
    int64_t root = sqlite3_column_int64(st, 6);
    db_done(st);
    rc = link_root(db, root, &root);
    if(rc)
      goto out;
    st = db_stmt(db, SQL_BY_ID);
    if(!st) {
      rc = DAFTAR_EDB;
      goto out;
    }
    sqlite3_bind_int64(st, 1, root);
    rc = sqlite3_step(st);
  }
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
    " e.number, l.rule, l.explain"
    " FROM documents d LEFT JOIN employers e ON e.id = d.employer_id"
    " LEFT JOIN document_links l ON l.document_id = d.id"
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

static int documents_json(struct index_db *db, int64_t worker_id, dbuf *out)
{
  static const char *const keys[] = {"source",     "file_no",    "doc_type",
                                     "employer_name", "start_date",
                                     "end_date",   "monthly_wage",
                                     "employer_number", "linked_by",
                                     "link_explain"};
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
    for(size_t i = 0; !rc && i < sizeof(keys) / sizeof(keys[0]); i++)
      rc = put_str_member(out, keys[i],
                          (const char *)sqlite3_column_text(st, (int)i + 1),
                          1);
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
  rc = dbuf_printf(out, "{\"id\":%lld", (long long)w.id);
  if(!rc)
    rc = put_str_member(out, "ssn", w.ssn, 1);
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
    rc = documents_json(db, w.id, out);
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
                        "source, id, linked by):\n");
  st = rc ? NULL : db_stmt(db, SQL_HISTORY);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, w.id);
    while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW)
      rc = dbuf_printf(out, "  %-10s  %-10s  %-12s  %s  %s  %s  #%lld  %s\n",
                       or_dash(sqlite3_column_text(st, 5)),
                       or_dash(sqlite3_column_text(st, 6)),
                       or_dash(sqlite3_column_text(st, 3)),
                       or_dash(sqlite3_column_text(st, 4)),
                       or_dash(sqlite3_column_text(st, 7)),
                       or_dash(sqlite3_column_text(st, 1)),
                       (long long)sqlite3_column_int64(st, 0),
                       or_dash(sqlite3_column_text(st, 9)));
    if(rc == SQLITE_DONE)
      rc = DAFTAR_OK;
    else if(rc > 0)
      rc = db_sqlerr(db, rc, "reading the worker's documents");
    db_done(st);
  }
  if(!rc)
    rc = history_text(db, w.id, out);
  worker_row_clear(&w);
  return rc;
}
