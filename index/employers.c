/*
 * employers.c - the employer register the archive builds from its own
 * readings (issue 5: employers by registration number, every name variant
 * kept).
 *
 * An employer is found by its number, else (no number on the document) by
 * its exact name.  Each document that shows a number and a name adds its
 * reading of the name to employer_readings (an archivist's correction is
 * that document's reading, marked corrected).  From the readings of one
 * number the register settles the employer's name by settle.c's rules (a
 * correction first, else the majority, else on a tie the reading that
 * holds the others' ink).  A document whose reading is a near variant of
 * the settled name shows that name: its reading stays in old_value and
 * "+employer" is added to its rule.  Locked (corrected) fields are never
 * rewritten.
 *
 * The decision is kept in employer_settled, so that a new reading that
 * does not change it settles only its own document; when it changes,
 * every document of the employer is settled again and re-indexed (the
 * search row carries the employer's name).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define SETTLE_RULE_MARK "+employer"

/* ---- finding or adding the employer --------------------------------------- */

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
  rc = db_query_id(db, st, id, "reading employers");
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

/* ---- a document's reading ------------------------------------------------- */

struct reading {
  char *name; /* NULL: the document shows no employer name */
  double confidence;
  int corrected;
};

/* The name as the document reads it: the correction when locked, else the
 * extracted value (kept in old_value while the register settles it). */
static int reading_of(struct index_db *db, int64_t doc_id, struct reading *r)
{
  static const char SQL[] =
      "SELECT CASE WHEN f.locked = 0 AND f.old_value IS NOT NULL"
      "  AND f.rule LIKE '%" SETTLE_RULE_MARK "' THEN f.old_value"
      "  ELSE f.value END, f.confidence, f.locked"
      " FROM fields f JOIN documents d ON d.id = f.document_id"
      " WHERE f.document_id = ?1 AND f.name = 'employer_name' AND f.seq = 0"
      " AND f.candidate = 0 AND f.value <> '' AND d.duplicate_of IS NULL";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  memset(r, 0, sizeof(*r));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
    r->name = db_col_dup(st, 0);
    r->confidence = sqlite3_column_double(st, 1);
    r->corrected = sqlite3_column_int(st, 2);
    if(!r->name) {
      db_done(st);
      return DAFTAR_ENOMEM;
    }
  }
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading the employer name");
  return DAFTAR_OK;
}

/* Records (or, without employer or name, forgets) the document's reading;
 * *prev gets the employer it counted for before (0: none). */
static int reading_store(struct index_db *db, int64_t doc_id,
                         int64_t employer_id, const struct reading *r,
                         int64_t *prev)
{
  static const char SQL_PREV[] =
      "SELECT employer_id FROM employer_readings WHERE document_id = ?1";
  static const char SQL_PUT[] =
      "INSERT INTO employer_readings(document_id, employer_id, name,"
      " confidence, corrected) VALUES(?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT(document_id) DO UPDATE SET employer_id = ?2, name = ?3,"
      " confidence = ?4, corrected = ?5";
  static const char SQL_DROP[] =
      "DELETE FROM employer_readings WHERE document_id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL_PREV);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = db_query_id(db, st, prev, "reading employer readings");
  if(rc)
    return rc;
  if(!employer_id || !r->name) {
    st = db_stmt(db, SQL_DROP);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, doc_id);
    return db_step_done(db, st, "forgetting an employer reading");
  }
  st = db_stmt(db, SQL_PUT);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  sqlite3_bind_int64(st, 2, employer_id);
  db_bind_text(st, 3, r->name);
  sqlite3_bind_double(st, 4, r->confidence);
  sqlite3_bind_int(st, 5, r->corrected);
  return db_step_done(db, st, "recording an employer reading");
}

/* ---- the settled name ------------------------------------------------------ */

/* The employer's name variants, first read first. */
static int variants_load(struct index_db *db, int64_t employer_id,
                         struct settle_variant **out, size_t *n)
{
  static const char SQL[] =
      "SELECT name, count(*), max(corrected), max(confidence)"
      " FROM employer_readings WHERE employer_id = ?1 GROUP BY name"
      " ORDER BY min(document_id)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  struct settle_variant *v = NULL;
  size_t cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, employer_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(*n == cap) {
      struct settle_variant *p = array_grow(v, &cap, sizeof(*p), 8);
      if(!p) {
        rc = SQLITE_NOMEM;
        break;
      }
      v = p;
    }
    v[*n].name = db_col_dup(st, 0);
    v[*n].docs = sqlite3_column_int(st, 1);
    v[*n].corrected = sqlite3_column_int(st, 2);
    v[*n].confidence = sqlite3_column_double(st, 3);
    if(!v[*n].name) {
      rc = SQLITE_NOMEM;
      break;
    }
    (*n)++;
  }
  db_done(st);
  if(rc != SQLITE_DONE) {
    settle_variants_free(v, *n);
    *n = 0;
    return rc == SQLITE_NOMEM ? DAFTAR_ENOMEM
                              : db_sqlerr(db, rc, "reading employer names");
  }
  *out = v;
  return DAFTAR_OK;
}

/* The decision last applied to the employer's documents. */
static int settled_get(struct index_db *db, int64_t employer_id, char **name)
{
  static const char SQL[] =
      "SELECT name FROM employer_settled WHERE employer_id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *name = NULL;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, employer_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    *name = db_col_dup(st, 0);
    if(!*name)
      rc = SQLITE_NOMEM;
  }
  db_done(st);
  if(rc == SQLITE_NOMEM)
    return DAFTAR_ENOMEM;
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading the employer's name");
  return DAFTAR_OK;
}

/* Records the decision; a settled name is also the employer's name. */
static int settled_put(struct index_db *db, int64_t employer_id,
                       const char *name)
{
  static const char SQL_PUT[] =
      "INSERT INTO employer_settled(employer_id, name) VALUES(?1, ?2)"
      " ON CONFLICT(employer_id) DO UPDATE SET name = ?2";
  static const char SQL_DROP[] =
      "DELETE FROM employer_settled WHERE employer_id = ?1";
  static const char SQL_NAME[] = "UPDATE employers SET name = ?2 WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, name ? SQL_PUT : SQL_DROP);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, employer_id);
  if(name)
    db_bind_text(st, 2, name);
  rc = db_step_done(db, st, "recording the employer's name");
  if(rc || !name)
    return rc;
  st = db_stmt(db, SQL_NAME);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, employer_id);
  db_bind_text(st, 2, name);
  return db_step_done(db, st, "naming the employer");
}

/* Shows name (or, NULL, the reading itself) in the unlocked employer_name
 * fields that read variant: of all the employer's documents (doc_id 0),
 * or of doc_id's alone. */
static int settle_fields(struct index_db *db, int64_t employer_id,
                         int64_t doc_id, const char *variant,
                         const char *name)
{
#define SETTLE_SET                                                            \
  "UPDATE fields SET value = ?3,"                                             \
  " old_value = CASE WHEN ?3 = ?2 THEN NULL ELSE ?2 END,"                     \
  " rule = replace(coalesce(rule, ''), '" SETTLE_RULE_MARK "', '')"           \
  "  || CASE WHEN ?3 = ?2 THEN '' ELSE '" SETTLE_RULE_MARK "' END"            \
  " WHERE name = 'employer_name' AND seq = 0 AND candidate = 0"               \
  " AND locked = 0 AND value IS NOT ?3"
  static const char SQL_ALL[] =
      SETTLE_SET " AND document_id IN (SELECT document_id FROM"
      " employer_readings WHERE employer_id = ?1 AND name = ?2)";
  static const char SQL_DOC[] = SETTLE_SET " AND document_id = ?1";
#undef SETTLE_SET
  sqlite3_stmt *st = db_stmt(db, doc_id ? SQL_DOC : SQL_ALL);
  const char *shown = name && settle_near(variant, name) ? name : variant;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id ? doc_id : employer_id);
  db_bind_text(st, 2, variant);
  db_bind_text(st, 3, shown);
  return db_step_done(db, st, "settling the employer name");
}

/* Every document of the employer gets its search row again. */
static int employer_refresh(struct index_db *db, int64_t employer_id)
{
  static const char SQL[] =
      "SELECT id FROM documents WHERE employer_id = ?1 UNION"
      " SELECT document_id FROM employer_readings WHERE employer_id = ?1";

  return fts_refresh_each(db, SQL, employer_id);
}

/* Settles the employer's name from its readings: the document doc_id
 * (which reads reading) alone when the decision stands, every document
 * when it changed (doc_id 0: always every document). */
static int employer_settle(struct index_db *db, int64_t employer_id,
                           int64_t doc_id, const char *reading)
{
  struct settle_variant *v = NULL;
  size_t n = 0;
  char *before = NULL;
  const char *name;
  int rc, changed;

  rc = variants_load(db, employer_id, &v, &n);
  if(!rc)
    rc = settled_get(db, employer_id, &before);
  if(rc)
    goto out;
  name = settle_pick(v, n);
  changed = (name == NULL) != (before == NULL) ||
            (name && strcmp(name, before) != 0);
  if(changed)
    rc = settled_put(db, employer_id, name);
  if(!changed && doc_id) {
    if(!rc && reading)
      rc = settle_fields(db, employer_id, doc_id, reading, name);
    goto out;
  }
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = settle_fields(db, employer_id, 0, v[i].name, name);
  if(!rc)
    rc = employer_refresh(db, employer_id);
out:
  free(before);
  settle_variants_free(v, n);
  return rc;
}

int employer_link(struct index_db *db, int64_t doc_id, const char *number,
                  int64_t *employer_id)
{
  struct reading r;
  int64_t prev = 0;
  int rc;

  rc = reading_of(db, doc_id, &r);
  if(!rc)
    rc = employer_upsert(db, number, r.name, employer_id);
  /* Only a number says which readings are of one employer. */
  if(!rc)
    rc = reading_store(db, doc_id, number ? *employer_id : 0, &r, &prev);
  if(!rc && prev && prev != *employer_id)
    rc = employer_settle(db, prev, 0, NULL);
  if(!rc && number && *employer_id)
    rc = employer_settle(db, *employer_id, doc_id, r.name);
  free(r.name);
  return rc;
}
