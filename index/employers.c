/*
 * employers.c - the employer register the archive builds from its own
 * readings (issue 5: employers by registration number, every name variant
 * kept).
 *
 * An employer is found by its number, else (no number on the document) by
 * its exact name.  Each document that shows a number and a name adds its
 * reading of the name to employer_readings (an archivist's correction is
 * that document's reading, marked corrected).  From the readings of one
 * number the register settles the employer's name:
 *
 *   - a corrected reading outranks every machine reading (most documents
 *     first among corrected ones);
 *   - else the variant most documents read;
 *   - on a tie, the variant that holds all the ink of the others (each of
 *     them is it with letters dropped, a mark or hamza lost (ڕ→ر ڵ→ل ۆ→و
 *     ێ→ی, أ→ا) or some of a letter's dots lost (چ→ج→ح, ة→ه, ش→س ...,
 *     ink_lost)) and was read about as confidently as each, or better
 *     (SETTLE_CONF_SLACK).  Degraded
 *     scans lose ink more often than they grow it: of the employer names
 *     misread on the heavy bench scans (seeds 5, 11, 13, 23), الحكمة→الحكة,
 *     ئاسۆ→ئاس, کۆڕەک→کۆرەک, چیمەنتۆی→جیمەنتۆی, ڕەنج→ڕەنح lost ink, each
 *     read less confidently than the name (43-87 against 65-94);
 *     الرافدين→الوافدين and النور→التور did not, and such a tie stays
 *     undecided.  But OCR may add a letter too: کۆڕەک read کۆڕرەک on a
 *     light seed-13 page holds the other's ink, read at 51 against 93;
 *     the confidence keeps it from winning;
 *   - otherwise undecided: every document keeps its reading.
 *
 * A document whose reading is a near variant of the settled name (at most
 * SETTLE_MAX_EDITS edits, and at most one per SETTLE_CHARS_PER_EDIT
 * characters of the name) shows the settled name: its reading stays in
 * old_value and "+employer" is added to its rule.  A far variant (a
 * renamed firm, a misread number that joined two firms) keeps its reading.
 * Locked (corrected) fields are never rewritten.
 *
 * The decision is kept in employer_settled, so that a new reading that
 * does not change it settles only its own document; when it changes,
 * every document of the employer is settled again and re-indexed (the
 * search row carries the employer's name).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define SETTLE_MAX_EDITS 2
#define SETTLE_CHARS_PER_EDIT 4
#define SETTLE_RULE_MARK "+employer"
#define NAME_MAX_CPS 256 /* longer readings are never settled */
/* On a tie, the variant holding the others' ink wins only when its best
 * reading is at most this much less confident than theirs (OCR
 * confidence points).  Set on the bench pages: the added ر of کۆڕرەک
 * (51 against 93) must not win; چیمەنتۆی (93.5 against جیمەنتۆی's
 * 93.8) must. */
#define SETTLE_CONF_SLACK 10.0

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

struct variant {
  char *name;
  int docs, corrected;
  double confidence; /* the best of its documents' */
};

static void variants_free(struct variant *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(v[i].name);
  free(v);
}

/* The employer's name variants, first read first. */
static int variants_load(struct index_db *db, int64_t employer_id,
                         struct variant **out, size_t *n)
{
  static const char SQL[] =
      "SELECT name, count(*), max(corrected), max(confidence)"
      " FROM employer_readings WHERE employer_id = ?1 GROUP BY name"
      " ORDER BY min(document_id)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  struct variant *v = NULL;
  size_t cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, employer_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(*n == cap) {
      struct variant *p = array_grow(v, &cap, sizeof(*p), 8);
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
    variants_free(v, *n);
    *n = 0;
    return rc == SQLITE_NOMEM ? DAFTAR_ENOMEM
                              : db_sqlerr(db, rc, "reading employer names");
  }
  *out = v;
  return DAFTAR_OK;
}

/* The letter a degraded scan leaves of cp when a mark, a hamza or some of
 * its dots are lost (cp itself when none). */
static uint32_t ink_lost(uint32_t cp)
{
  switch(cp) {
  case 0x0695: return 0x0631; /* ڕ -> ر */
  case 0x06B5: return 0x0644; /* ڵ -> ل */
  case 0x06C6: return 0x0648; /* ۆ -> و */
  case 0x06CE: return 0x06CC; /* ێ -> ی */
  case 0x0626: return 0x06CC; /* ئ -> ی */
  case 0x0623: /* أ */
  case 0x0625: /* إ */
  case 0x0622: return 0x0627; /* آ -> ا */
  case 0x0624: return 0x0648; /* ؤ -> و */
  case 0x0629: return 0x0647; /* ة -> ه */
  case 0x0686: return 0x062C; /* چ -> ج */
  case 0x062C: /* ج */
  case 0x062E: return 0x062D; /* خ -> ح */
  case 0x067E: return 0x0628; /* پ -> ب */
  case 0x0698: return 0x0632; /* ژ -> ز */
  case 0x0632: return 0x0631; /* ز -> ر */
  case 0x0634: return 0x0633; /* ش -> س */
  case 0x062B: return 0x062A; /* ث -> ت */
  case 0x06A4: return 0x0641; /* ڤ -> ف */
  case 0x0630: return 0x062F; /* ذ -> د */
  case 0x0636: return 0x0635; /* ض -> ص */
  case 0x0638: return 0x0637; /* ظ -> ط */
  case 0x063A: return 0x0639; /* غ -> ع */
  case 0x064A: /* ي */
  case 0x06CC: return 0x0649; /* ی -> ى */
  default: return cp;
  }
}

static size_t to_cps(const char *s, uint32_t *cp, size_t max)
{
  size_t n = 0, len = strlen(s), adv;

  for(size_t i = 0; i < len; i += adv) {
    if(n == max)
      return max + 1;
    cp[n++] = utf8_decode(s + i, len - i, &adv);
  }
  return n;
}

/* 1 when b is a with ink lost: letters dropped, marks lost (ink_lost),
 * nothing added; a != b. */
static int holds_ink_of(const char *a, const char *b)
{
  uint32_t ca[NAME_MAX_CPS], cb[NAME_MAX_CPS];
  unsigned char ok[NAME_MAX_CPS + 1];
  size_t na = to_cps(a, ca, NAME_MAX_CPS), nb = to_cps(b, cb, NAME_MAX_CPS);

  if(na > NAME_MAX_CPS || nb > NAME_MAX_CPS || nb > na || strcmp(a, b) == 0)
    return 0;
  /* ok[j]: a's first i code points can leave b's first j. */
  memset(ok, 0, sizeof(ok));
  ok[0] = 1;
  for(size_t i = 1; i <= na; i++)
    for(size_t j = nb; j >= 1; j--)
      if(ok[j - 1] && (ca[i - 1] == cb[j - 1] || ink_lost(ca[i - 1]) == cb[j - 1]))
        ok[j] = 1;
  return ok[nb];
}

/* 1 when reading is near enough to name to be taken for a misreading. */
static int near_variant(const char *reading, const char *name)
{
  uint32_t cp[NAME_MAX_CPS];
  size_t n = to_cps(name, cp, NAME_MAX_CPS);
  int d;

  if(n > NAME_MAX_CPS)
    return 0;
  d = text_edit_distance(reading, name);
  return d >= 0 && d <= SETTLE_MAX_EDITS &&
         (size_t)d * SETTLE_CHARS_PER_EDIT <= n;
}

/* The settled name among v (NULL: undecided), as described on top. */
static const char *settled_name(const struct variant *v, size_t n)
{
  size_t best = n;
  int corrected = 0, top = 0;

  for(size_t i = 0; i < n; i++)
    corrected |= v[i].corrected;
  for(size_t i = 0; i < n; i++) {
    if(corrected && !v[i].corrected)
      continue;
    if(best == n || v[i].docs > top) {
      best = i;
      top = v[i].docs;
    }
  }
  if(best == n || corrected)
    return best == n ? NULL : v[best].name;
  /* Ties: the one variant that holds the ink of every other tied one and
   * was read about as confidently as each, or better. */
  for(size_t i = 0; i < n; i++) {
    int holds_all = 1;
    if(v[i].docs != top)
      continue;
    for(size_t j = 0; j < n && holds_all; j++)
      if(j != i && v[j].docs == top)
        holds_all = near_variant(v[j].name, v[i].name) &&
                    holds_ink_of(v[i].name, v[j].name) &&
                    v[i].confidence >= v[j].confidence - SETTLE_CONF_SLACK;
    if(holds_all)
      return v[i].name;
  }
  return NULL;
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
static int settle_variant(struct index_db *db, int64_t employer_id,
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
  const char *shown = name && near_variant(variant, name) ? name : variant;

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
  struct variant *v = NULL;
  size_t n = 0;
  char *before = NULL;
  const char *name;
  int rc, changed;

  rc = variants_load(db, employer_id, &v, &n);
  if(!rc)
    rc = settled_get(db, employer_id, &before);
  if(rc)
    goto out;
  name = settled_name(v, n);
  changed = (name == NULL) != (before == NULL) ||
            (name && strcmp(name, before) != 0);
  if(changed)
    rc = settled_put(db, employer_id, name);
  if(!changed && doc_id) {
    if(!rc && reading)
      rc = settle_variant(db, employer_id, doc_id, reading, name);
    goto out;
  }
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = settle_variant(db, employer_id, 0, v[i].name, name);
  if(!rc)
    rc = employer_refresh(db, employer_id);
out:
  free(before);
  variants_free(v, n);
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
