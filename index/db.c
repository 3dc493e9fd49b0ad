/*
 * db.c - opening the archive database: pragmas, schema and migrations,
 * write groups, the statement cache and error messages.
 *
 * Durability: WAL with synchronous=NORMAL.  A commit is durable against a
 * process crash; after a power loss the last few commits may be lost but the
 * database stays consistent.  That is enough here because every writer is
 * re-runnable: ingest skips what is recorded (and the page store itself is
 * fsynced before the record is written), OCR and extraction redo what is
 * pending.  FULL would add an fsync per transaction (one per page during OCR)
 * for no state that cannot be rebuilt.
 *
 * Schema versions live in PRAGMA user_version; migrations[] applies each
 * step in one IMMEDIATE transaction, so concurrent openers serialize and a
 * crash never leaves half a schema.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

/* Version 1: the whole first schema. */
static const char SCHEMA_V1[] =
    "CREATE TABLE batches("
    " id INTEGER PRIMARY KEY, label TEXT, operator TEXT, host TEXT,"
    " source TEXT, started TEXT NOT NULL, ended TEXT,"
    " status TEXT NOT NULL DEFAULT 'running',"
    " files INTEGER NOT NULL DEFAULT 0, documents INTEGER NOT NULL DEFAULT 0,"
    " pages INTEGER NOT NULL DEFAULT 0, bytes INTEGER NOT NULL DEFAULT 0,"
    " duplicates INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,"
    " skipped INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE masters("
    " sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, format TEXT,"
    " pages INTEGER NOT NULL, added TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE employers("
    " id INTEGER PRIMARY KEY, number TEXT UNIQUE, name TEXT);"
    "CREATE INDEX employers_name ON employers(name);"
    "CREATE TABLE workers("
    " id INTEGER PRIMARY KEY, ssn TEXT UNIQUE, national_id TEXT, name TEXT,"
    " mother_name TEXT, birth_date TEXT);"
    "CREATE INDEX workers_nid ON workers(national_id);"
    /* Every spelling a worker's name was seen in, with its search key and
     * dotless skeleton (for fuzzy name lookups). */
    "CREATE TABLE worker_names("
    " worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, key TEXT NOT NULL, skeleton TEXT NOT NULL,"
    " PRIMARY KEY(worker_id, name)) WITHOUT ROWID;"
    "CREATE INDEX worker_names_key ON worker_names(key);"
    "CREATE INDEX worker_names_skeleton ON worker_names(skeleton);"
    "CREATE TABLE documents("
    " id INTEGER PRIMARY KEY,"
    " batch_id INTEGER NOT NULL REFERENCES batches(id),"
    " source TEXT NOT NULL, file_no TEXT,"
    " sha256 TEXT NOT NULL REFERENCES masters(sha256),"
    " doc_type TEXT NOT NULL DEFAULT 'other' CHECK(doc_type IN"
    "  ('registration','termination','wage_change','other')),"
    " page_count INTEGER NOT NULL DEFAULT 0,"
    " duplicate_of INTEGER REFERENCES documents(id),"
    " worker_id INTEGER REFERENCES workers(id),"
    " employer_id INTEGER REFERENCES employers(id),"
    " extract_state TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK(extract_state IN ('pending','done')),"
    " added TEXT NOT NULL,"
    " UNIQUE(batch_id, source));"
    "CREATE INDEX documents_sha ON documents(sha256);"
    "CREATE INDEX documents_source ON documents(source);"
    "CREATE INDEX documents_worker ON documents(worker_id);"
    "CREATE INDEX documents_employer ON documents(employer_id);"
    "CREATE INDEX documents_file ON documents(file_no);"
    "CREATE TABLE pages("
    " id INTEGER PRIMARY KEY,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " n INTEGER NOT NULL, master_page INTEGER NOT NULL,"
    " width INTEGER, height INTEGER, xres INTEGER, yres INTEGER,"
    " bits INTEGER, compression TEXT,"
    " ocr_state TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK(ocr_state IN ('pending','done','failed')),"
    " ocr_error TEXT, ocr_at TEXT,"
    " text TEXT, confidence REAL, lang TEXT, rotation INTEGER, skew REAL,"
    " needs_review INTEGER NOT NULL DEFAULT 0, alto TEXT, hocr TEXT,"
    " UNIQUE(document_id, n));"
    "CREATE INDEX pages_state ON pages(ocr_state);"
    "CREATE TABLE words("
    " page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,"
    " idx INTEGER NOT NULL, text TEXT NOT NULL,"
    " x0 INTEGER, y0 INTEGER, x1 INTEGER, y1 INTEGER, conf REAL,"
    " block INTEGER, para INTEGER, line INTEGER,"
    " PRIMARY KEY(page_id, idx)) WITHOUT ROWID;"
    /* Fields: seq 0 is the document's value for name; seq 1.. are further
     * candidates for the same name (prose may offer several).  A locked row
     * (an archivist's correction) is never replaced by extraction. */
    "CREATE TABLE fields("
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0,"
    " value TEXT, raw TEXT, confidence REAL, page INTEGER,"
    " x0 INTEGER, y0 INTEGER, x1 INTEGER, y1 INTEGER,"
    " rule TEXT, candidate INTEGER NOT NULL DEFAULT 0,"
    " locked INTEGER NOT NULL DEFAULT 0, corrected_by TEXT, corrected_at TEXT,"
    " old_value TEXT,"
    " PRIMARY KEY(document_id, name, seq)) WITHOUT ROWID;"
    "CREATE INDEX fields_value ON fields(name, value);"
    /* Settings of the archive itself, e.g. which tokenizer built doc_fts. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE refusals("
    " id INTEGER PRIMARY KEY, batch_id INTEGER REFERENCES batches(id),"
    " source TEXT NOT NULL, reason TEXT NOT NULL, sha256 TEXT,"
    " quarantine TEXT, at TEXT NOT NULL);"
    "CREATE INDEX refusals_batch ON refusals(batch_id);"
    "CREATE TABLE events("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, type TEXT NOT NULL,"
    " outcome TEXT NOT NULL, agent TEXT, batch_id INTEGER, object TEXT,"
    " detail TEXT);"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events"
    " BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
    /* rowid = documents.id.  names: worker and mother names; employer:
     * employer name and number; ids: SSN, national ID, file number. */
    "CREATE VIRTUAL TABLE doc_fts USING fts5("
    " names, employer, ids, text, tokenize = 'daftar');"
    "INSERT INTO doc_fts(doc_fts, rank)"
    " VALUES('rank', 'bm25(10.0, 4.0, 10.0, 1.0)');";

/* Version 2: name trigrams for fuzzy name search (names.c).  Archives made
 * at version 1 get theirs from backfill_grams(). */
static const char SCHEMA_V2[] =
    "CREATE TABLE worker_name_grams("
    " gram TEXT NOT NULL,"
    " worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,"
    " PRIMARY KEY(gram, worker_id)) WITHOUT ROWID;";

/* Version 3 (worker histories and identity linkage, issue 5; history.c,
 * linkage.c).  Every statement is IF NOT EXISTS: archives opened while
 * this step was an empty placeholder recorded version 3 without these
 * tables, and schema_migrate() runs the step again for them.
 * - spells, spell_sources, wage_points: derived from the primary (or
 *   corrected) fields of a worker's documents, rebuilt whole per worker;
 *   every fact names its document, page and box (spell_sources).
 * - worker_merged: worker_id was merged into into_id (reversible).
 * - worker_changes: merges and splits with what they moved, for undo.
 * - link_suggestions: proposed document-to-worker links with the score
 *   and its breakdown; accepted and rejected rows are the archivists'
 *   decisions and outlive re-extraction. */
static const char SCHEMA_V3[] =
    "CREATE TABLE IF NOT EXISTS spells("
    " id INTEGER PRIMARY KEY,"
    " worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " employer_id INTEGER REFERENCES employers(id),"
    " start_date TEXT, end_date TEXT,"
    " first_day TEXT, last_day TEXT);"
    "CREATE INDEX IF NOT EXISTS spells_worker ON spells(worker_id, seq);"
    "CREATE TABLE IF NOT EXISTS spell_sources("
    " spell_id INTEGER NOT NULL REFERENCES spells(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL, field TEXT NOT NULL,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " page INTEGER, x0 INTEGER, y0 INTEGER, x1 INTEGER, y1 INTEGER,"
    " corrected INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS spell_sources_spell"
    " ON spell_sources(spell_id);"
    "CREATE TABLE IF NOT EXISTS wage_points("
    " id INTEGER PRIMARY KEY,"
    " worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,"
    " spell_id INTEGER REFERENCES spells(id) ON DELETE CASCADE,"
    " date TEXT, wage TEXT NOT NULL, kind TEXT NOT NULL,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " page INTEGER, x0 INTEGER, y0 INTEGER, x1 INTEGER, y1 INTEGER,"
    " corrected INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS wage_points_worker ON wage_points(worker_id);"
    "CREATE TABLE IF NOT EXISTS worker_merged("
    " worker_id INTEGER PRIMARY KEY REFERENCES workers(id) ON DELETE CASCADE,"
    " into_id INTEGER NOT NULL REFERENCES workers(id));"
    "CREATE INDEX IF NOT EXISTS worker_merged_into ON worker_merged(into_id);"
    "CREATE TABLE IF NOT EXISTS worker_changes("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL CHECK(kind IN ('merge','split')),"
    " worker_id INTEGER NOT NULL, other_id INTEGER NOT NULL,"
    " documents TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,"
    " undone_by TEXT, undone_at TEXT);"
    "CREATE TABLE IF NOT EXISTS link_suggestions("
    " id INTEGER PRIMARY KEY,"
    " document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
    " worker_id INTEGER NOT NULL REFERENCES workers(id) ON DELETE CASCADE,"
    " score INTEGER NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL,"
    " explain TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK(status IN ('pending','accepted','rejected')),"
    " created TEXT NOT NULL, decided_by TEXT, decided_at TEXT,"
    " UNIQUE(document_id, worker_id));"
    "CREATE INDEX IF NOT EXISTS link_suggestions_status"
    " ON link_suggestions(status, score);"
    "CREATE INDEX IF NOT EXISTS link_suggestions_worker"
    " ON link_suggestions(worker_id);"
    /* Linkage looks names up by their skeleton without spaces first (the
     * spelling, spacing and dot variants of one name share it). */
    "CREATE INDEX IF NOT EXISTS worker_names_compact"
    " ON worker_names(replace(skeleton, ' ', ''));";

/* Version 4 (search helper, issue 6): the page text was stored twice, in
 * pages.text and in doc_fts's own content.  doc_fts becomes an
 * external-content table over doc_fts_view: the text is read from pages,
 * the small columns (names, employer, ids, as indexed) from doc_fts_src.
 * snippet() and highlight() read the view.  An external-content FTS row
 * must be deleted with exactly the values it was indexed from, so:
 * deleting a doc_fts_src row deletes the FTS row first (trigger), and any
 * change to a page's text first drops its document's doc_fts_src row (and
 * so the FTS row); fts_refresh() inserts a new doc_fts_src row, whose
 * trigger indexes it.  A document has an FTS row exactly when it has a
 * doc_fts_src row.  Old archives: the small columns are copied out of the
 * old table, then everything is indexed again ('rebuild').  The step can
 * run again on its own result (a test rewinds user_version).  Version 7
 * makes the table again, with prefix indexes. */
static const char SCHEMA_V4[] =
    "CREATE TEMP TABLE v4_keep AS"
    " SELECT rowid AS id, names, employer, ids FROM doc_fts;"
    "DROP TRIGGER IF EXISTS pages_text_bu;"
    "DROP TRIGGER IF EXISTS pages_text_bd;"
    "DROP TRIGGER IF EXISTS pages_text_bi;"
    "DROP TABLE doc_fts;"
    "DROP VIEW IF EXISTS doc_fts_view;"
    "DROP TABLE IF EXISTS doc_fts_src;"
    "CREATE TABLE doc_fts_src("
    " id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,"
    " names TEXT, employer TEXT, ids TEXT);"
    "INSERT INTO doc_fts_src(id, names, employer, ids)"
    " SELECT id, names, employer, ids FROM temp.v4_keep;"
    "DROP TABLE temp.v4_keep;"
    "CREATE VIEW doc_fts_view(id, names, employer, ids, text) AS"
    " SELECT s.id, s.names, s.employer, s.ids,"
    " (SELECT group_concat(t, char(10)) FROM (SELECT p.text AS t FROM pages p"
    "  WHERE p.document_id = s.id AND p.text <> '' ORDER BY p.n))"
    " FROM doc_fts_src s;"
    "CREATE VIRTUAL TABLE doc_fts USING fts5("
    " names, employer, ids, text, tokenize = 'daftar',"
    " content = 'doc_fts_view', content_rowid = 'id');"
    "CREATE TRIGGER doc_fts_src_ai AFTER INSERT ON doc_fts_src BEGIN"
    " INSERT INTO doc_fts(rowid, names, employer, ids, text)"
    "  SELECT id, names, employer, ids, text FROM doc_fts_view"
    "  WHERE id = new.id; END;"
    "CREATE TRIGGER doc_fts_src_bd BEFORE DELETE ON doc_fts_src BEGIN"
    " INSERT INTO doc_fts(doc_fts, rowid, names, employer, ids, text)"
    "  SELECT 'delete', id, names, employer, ids, text FROM doc_fts_view"
    "  WHERE id = old.id; END;"
    "CREATE TRIGGER doc_fts_src_bu BEFORE UPDATE ON doc_fts_src BEGIN"
    " SELECT RAISE(ABORT, 'doc_fts_src rows are deleted and inserted'); END;"
    "CREATE TRIGGER pages_text_bu BEFORE UPDATE OF text, document_id, n"
    " ON pages BEGIN DELETE FROM doc_fts_src WHERE id = old.document_id; END;"
    "CREATE TRIGGER pages_text_bd BEFORE DELETE ON pages"
    " BEGIN DELETE FROM doc_fts_src WHERE id = old.document_id; END;"
    "CREATE TRIGGER pages_text_bi BEFORE INSERT ON pages WHEN new.text <> ''"
    " BEGIN DELETE FROM doc_fts_src WHERE id = new.document_id; END;"
    "INSERT INTO doc_fts(doc_fts) VALUES('rebuild');";

/* Indexes added to version 4 after archives had passed it: idempotent,
 * run on every open of an archive at version 4 or later (and as part of
 * step 4).  Rebuilding a worker's names (workers.c) deletes its trigrams
 * by worker_id, which the primary key (gram, worker_id) cannot serve: a
 * scan of every trigram per document stored made loading quadratic
 * (measured: the 20,000-page benchmark did not finish in 10 minutes). */
static const char SCHEMA_V4_INDEXES[] =
    "CREATE INDEX IF NOT EXISTS worker_name_grams_worker"
    " ON worker_name_grams(worker_id);";

/* Version 5 (viewer helper, issue 7; index/users.c): accounts, sessions
 * and the hash-chained audit log.  Archives made before this step created
 * these tables on first use, hence IF NOT EXISTS throughout.  Only a
 * password's Argon2id string and a session token's SHA-256 are stored. */
static const char SCHEMA_V5[] =
    "CREATE TABLE IF NOT EXISTS users("
    " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK(role IN"
    "  ('admin', 'operator', 'archivist', 'staff')),"
    " pwhash TEXT NOT NULL, created TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " failed_logins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS sessions("
    " token_sha256 TEXT PRIMARY KEY,"
    " user_id INTEGER NOT NULL REFERENCES users(id),"
    " csrf TEXT NOT NULL, created INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);"
    "CREATE TABLE IF NOT EXISTS audit("
    " id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT,"
    " action TEXT NOT NULL, object TEXT, detail TEXT, address TEXT,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS audit_user ON audit(user, id);"
    "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;";

/* Version 6 (Sorani helper, issue 8; ocr_store.c, export.c): a page's
 * text as the model read it, before the letter correction
 * (ocr_lang_fix_letters), kept beside the corrected pages.text: the
 * correction is a guess, the reading is evidence.  A row only for pages
 * the correction changed.  A table of its own rather than a column: the
 * step can run again on its own result (a test rewinds user_version),
 * which ALTER TABLE ADD COLUMN cannot. */
static const char SCHEMA_V6[] =
    "CREATE TABLE IF NOT EXISTS page_raw_text("
    " page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,"
    " text TEXT NOT NULL);";

/* Version 7 (search, issue 6): FTS5 prefix indexes for prefixes of 2 and 3
 * characters.  Without them a short prefix query merges the doclists of
 * every word it starts, in full, twice per query (ranking, snippets):
 * 0.4-1.5 s at 5 million pages.  With them it reads one doclist, like a
 * word.  Costs about a third more index and twice the indexing time
 * (measured in docs/BENCHMARKS.md, "Search").  The table is made again
 * and every search row indexed again ('rebuild', for a big archive a long
 * step), with the settings of a bulk load: no automerge while it runs,
 * a large pending-terms buffer; then merged into one segment ('optimize')
 * and FTS5's defaults set back.  Ranking is
 * daftar_rank (rank.c), so no 'rank' setting.  The old index is dropped
 * with secure_delete off: it is derived from text the archive keeps, and
 * zeroing its pages writes all of them once more, each also kept in memory
 * as a statement journal (measured: the step's peak RSS 130 MiB with it,
 * 96 without, at 50,000 pages; 5.2 GB of heap after the drop at 5
 * million).  Every connection otherwise runs with secure_delete on. */
static const char SCHEMA_V7[] =
    "PRAGMA secure_delete = OFF;"
    "DROP TABLE IF EXISTS doc_fts;"
    "PRAGMA secure_delete = ON;"
    "CREATE VIRTUAL TABLE doc_fts USING fts5("
    " names, employer, ids, text, tokenize = 'daftar',"
    " content = 'doc_fts_view', content_rowid = 'id', prefix = '2 3');"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('automerge', 0);"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('hashsize', 67108864);"
    "INSERT INTO doc_fts(doc_fts) VALUES('rebuild');"
    "INSERT INTO doc_fts(doc_fts) VALUES('optimize');"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('automerge', 4);"
    "INSERT INTO doc_fts(doc_fts, rank) VALUES('hashsize', 1048576);";

/* Version 8 (identity linkage, issue 5; linkage.c): why a document is
 * linked to its worker, written when linkage links it: the rule (an
 * archivist's decision, the SSN, the national ID, the name, the only
 * worker with its four-part name, a new worker started by its number) and
 * the score's one-line explanation.  No row: not linked, or linked before
 * this version (filled on the next relink). */
static const char SCHEMA_V8[] =
    "CREATE TABLE IF NOT EXISTS document_links("
    " document_id INTEGER PRIMARY KEY"
    "  REFERENCES documents(id) ON DELETE CASCADE,"
    " rule TEXT NOT NULL CHECK(rule IN ('archivist', 'ssn', 'national_id',"
    "  'name', 'unique_name', 'new_worker')),"
    " score INTEGER, explain TEXT);";

/* Version 9 (employers, issue 5; employers.c): each document's reading of
 * its employer's name, by employer number (every variant kept), and the
 * name the register settled from them.  Filled from the fields of
 * existing archives; their fields are settled on their next relink. */
static const char SCHEMA_V9[] =
    "CREATE TABLE IF NOT EXISTS employer_readings("
    " document_id INTEGER PRIMARY KEY"
    "  REFERENCES documents(id) ON DELETE CASCADE,"
    " employer_id INTEGER NOT NULL REFERENCES employers(id),"
    " name TEXT NOT NULL, confidence REAL,"
    " corrected INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS employer_readings_employer"
    " ON employer_readings(employer_id, name, corrected);"
    "CREATE TABLE IF NOT EXISTS employer_settled("
    " employer_id INTEGER PRIMARY KEY"
    "  REFERENCES employers(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL);"
    "INSERT OR IGNORE INTO employer_readings(document_id, employer_id, name,"
    " confidence, corrected)"
    " SELECT d.id, d.employer_id, f.value, f.confidence, f.locked"
    " FROM documents d JOIN employers e ON e.id = d.employer_id"
    " JOIN fields f ON f.document_id = d.id AND f.name = 'employer_name'"
    "  AND f.seq = 0 AND f.candidate = 0"
    " WHERE e.number IS NOT NULL AND f.value <> ''"
    " AND d.duplicate_of IS NULL;";

static const char *const migrations[] = {SCHEMA_V1, SCHEMA_V2, SCHEMA_V3,
                                         SCHEMA_V4, SCHEMA_V5, SCHEMA_V6,
                                         SCHEMA_V7, SCHEMA_V8, SCHEMA_V9};
#define INDEX_SCHEMA_VERSION                                                  \
  ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* ---- errors and helpers ---------------------------------------------------- */

int db_fail(struct index_db *db, int code, const char *fmt, ...)
{
  va_list ap;

  if(db) {
    va_start(ap, fmt);
    vsnprintf(db->err, sizeof(db->err), fmt, ap);
    va_end(ap);
  }
  return code;
}

int db_sqlerr(struct index_db *db, int rc, const char *what)
{
  int code = DAFTAR_EDB;

  if(rc == SQLITE_NOMEM)
    code = DAFTAR_ENOMEM;
  else if((rc & 0xff) == SQLITE_CONSTRAINT)
    code = DAFTAR_EEXIST;
  /* sqlite3_errmsg names tables and columns, never values. */
  return db_fail(db, code, "%s: %s", what,
                 db && db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
}

int db_query_id(struct index_db *db, sqlite3_stmt *st, int64_t *id,
                const char *what)
{
  int rc = sqlite3_step(st);

  *id = 0;
  if(rc == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? DAFTAR_OK
                                             : db_sqlerr(db, rc, what);
  db_done(st);
  return rc;
}

sqlite3_stmt *db_stmt(struct index_db *db, const char *sql)
{
  sqlite3_stmt *st = NULL;
  size_t i;
  int rc;

  for(i = 0; i < db->ncache; i++) {
    if(db->cache[i].sql == sql) {
      st = db->cache[i].st;
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      return st;
    }
  }
  rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                          NULL);
  if(rc != SQLITE_OK) {
    db_sqlerr(db, rc, "prepare");
    return NULL;
  }
  if(db->ncache == db->capcache) {
    size_t ncap = db->capcache ? db->capcache * 2 : 64;
    struct index_stmt_slot *p;
    if(ncap > INDEX_STMT_CACHE_MAX) {
      /* Only a statement built at run time could get here: those must not
       * come through the cache. */
      sqlite3_finalize(st);
      db_fail(db, DAFTAR_ELIMIT, "statement cache full");
      return NULL;
    }
    p = realloc(db->cache, ncap * sizeof(*p));
    if(!p) {
      sqlite3_finalize(st);
      db_fail(db, DAFTAR_ENOMEM, "statement cache: out of memory");
      return NULL;
    }
    db->cache = p;
    db->capcache = ncap;
  }
  db->cache[db->ncache].sql = sql;
  db->cache[db->ncache].st = st;
  db->ncache++;
  return st;
}

void db_done(sqlite3_stmt *st)
{
  if(st)
    sqlite3_reset(st);
}

int db_exec(struct index_db *db, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);

  if(rc != SQLITE_OK) {
    int code = rc == SQLITE_NOMEM ? DAFTAR_ENOMEM : DAFTAR_EDB;
    db_fail(db, code, "%s", msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return code;
  }
  return DAFTAR_OK;
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
  if(!s)
    return sqlite3_bind_null(st, i);
  return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

char *db_col_dup(sqlite3_stmt *st, int i)
{
  const unsigned char *t;

  if(sqlite3_column_type(st, i) == SQLITE_NULL)
    return NULL;
  t = sqlite3_column_text(st, i);
  return t ? idx_strdup((const char *)t) : NULL;
}

int db_step_done(struct index_db *db, sqlite3_stmt *st, const char *what)
{
  int rc;

  while((rc = sqlite3_step(st)) == SQLITE_ROW)
    ;
  if(rc != SQLITE_DONE) {
    int code = db_sqlerr(db, rc, what);
    sqlite3_reset(st);
    return code;
  }
  sqlite3_reset(st);
  return DAFTAR_OK;
}

char *idx_strdup(const char *s)
{
  size_t n;
  char *p;

  if(!s)
    return NULL;
  n = strlen(s);
  p = malloc(n + 1);
  if(p)
    memcpy(p, s, n + 1);
  return p;
}

int idx_norm_number(const char *s, dbuf *out)
{
  dbuf tmp = DBUF_INIT;
  int rc;

  dbuf_reset(out);
  rc = text_ascii_digits(s, strlen(s), &tmp);
  for(size_t i = 0; !rc && i < tmp.len; i++) {
    char c = tmp.data[i];
    if((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
       (c >= 'A' && c <= 'Z'))
      rc = dbuf_putc(out, c);
  }
  if(!rc)
    rc = dbuf_append(out, "", 0);
  dbuf_free(&tmp);
  return rc;
}

int idx_field_name_known(const char *name)
{
  static const char *const names[] = {DAFTAR_FIELD_NAMES};

  for(size_t i = 0; i < DAFTAR_NFIELD_NAMES; i++)
    if(strcmp(name, names[i]) == 0)
      return 1;
  return 0;
}

int json_put_int(dbuf *b, int64_t v)
{
  return dbuf_printf(b, "%lld", (long long)v);
}

int json_put_real(dbuf *b, double v)
{
  if(v != v) /* NaN has no JSON form */
    return dbuf_puts(b, "null");
  return dbuf_printf(b, "%.2f", v);
}

/* ---- write groups -------------------------------------------------------- */

int db_write_begin(struct index_db *db)
{
  return db_exec(db, db->explicit_txn ? "SAVEPOINT idx_write"
                                      : "BEGIN IMMEDIATE");
}

int db_write_end(struct index_db *db, int rc)
{
  char save[INDEX_ERRMSG_MAX];

  if(rc == DAFTAR_OK) {
    rc = db_exec(db, db->explicit_txn ? "RELEASE idx_write" : "COMMIT");
    if(rc == DAFTAR_OK)
      return rc;
  }
  /* Keep the first error's message: the rollback's own is not the news. */
  memcpy(save, db->err, sizeof(save));
  if(db->explicit_txn)
    db_exec(db, "ROLLBACK TO idx_write; RELEASE idx_write");
  else if(!sqlite3_get_autocommit(db->sql))
    db_exec(db, "ROLLBACK");
  memcpy(db->err, save, sizeof(save));
  return rc;
}

int index_begin(struct index_db *db)
{
  int rc;

  if(db->explicit_txn)
    return db_fail(db, DAFTAR_EINVAL, "transaction already open");
  rc = db_exec(db, "BEGIN IMMEDIATE");
  if(rc == DAFTAR_OK)
    db->explicit_txn = 1;
  return rc;
}

int index_commit(struct index_db *db)
{
  int rc;

  if(!db->explicit_txn)
    return db_fail(db, DAFTAR_EINVAL, "no transaction open");
  rc = db_exec(db, "COMMIT");
  if(rc == DAFTAR_OK)
    db->explicit_txn = 0;
  return rc;
}

int index_rollback(struct index_db *db)
{
  int rc = DAFTAR_OK;

  if(!db->explicit_txn)
    return db_fail(db, DAFTAR_EINVAL, "no transaction open");
  if(!sqlite3_get_autocommit(db->sql))
    rc = db_exec(db, "ROLLBACK");
  db->explicit_txn = 0;
  return rc;
}

/* ---- open / close ---------------------------------------------------------- */

/* The search rows hold keys made by the tokenizer and core's folding
 * table: when either changed (TOK_VERSION), every row is tokenized again.
 * Runs inside the open's IMMEDIATE transaction. */
static int tokenizer_check(struct index_db *db)
{
  static const char SQL_GET[] =
      "SELECT value FROM meta WHERE key = 'tokenizer_version'";
  static const char SQL_SET[] =
      "INSERT INTO meta(key, value) VALUES('tokenizer_version', ?1)"
      " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
  char want[16];
  sqlite3_stmt *st = db_stmt(db, SQL_GET);
  const unsigned char *have;
  int rc, same;

  if(!st)
    return DAFTAR_EDB;
  snprintf(want, sizeof(want), "%d", TOK_VERSION);
  rc = sqlite3_step(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
    rc = db_sqlerr(db, rc, "reading the tokenizer version");
    db_done(st);
    return rc;
  }
  have = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
  same = have && strcmp((const char *)have, want) == 0;
  db_done(st);
  if(same)
    return DAFTAR_OK;
  if(have)
    daftar_log(DLOG_INFO, "search index: tokenizer changed, rebuilding");
  rc = db_exec(db, "INSERT INTO doc_fts(doc_fts) VALUES('rebuild')");
  if(rc)
    return rc;
  st = db_stmt(db, SQL_SET);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, want);
  return db_step_done(db, st, "storing the tokenizer version");
}

/* Trigrams for every name recorded before version 2. */
static int backfill_grams(struct index_db *db)
{
  static const char SQL[] = "SELECT worker_id, key FROM worker_names";
  sqlite3_stmt *st = NULL;
  int rc;

  /* Not cached: it runs once, and names_store_grams uses the cache while
   * this statement is stepping. */
  rc = sqlite3_prepare_v2(db->sql, SQL, -1, &st, NULL);
  if(rc != SQLITE_OK)
    return db_sqlerr(db, rc, "name trigrams");
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int k = names_store_grams(db, sqlite3_column_int64(st, 0),
                              (const char *)sqlite3_column_text(st, 1));
    if(k) {
      sqlite3_finalize(st);
      return k;
    }
  }
  sqlite3_finalize(st);
  return rc == SQLITE_DONE ? DAFTAR_OK : db_sqlerr(db, rc, "name trigrams");
}

static int schema_migrate(struct index_db *db)
{
  sqlite3_stmt *st = NULL;
  int version = 0, rc, from;
  char pragma[64];

  rc = db_exec(db, "BEGIN IMMEDIATE");
  if(rc)
    return rc;
  rc = sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL);
  if(rc != SQLITE_OK) {
    rc = db_sqlerr(db, rc, "schema version");
    goto out;
  }
  if(sqlite3_step(st) == SQLITE_ROW)
    version = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  if(version > INDEX_SCHEMA_VERSION) {
    rc = db_fail(db, DAFTAR_EDB,
                 "database schema %d is newer than this daftar (%d)", version,
                 INDEX_SCHEMA_VERSION);
    goto out;
  }
  rc = DAFTAR_OK;
  from = version;
  for(; version < INDEX_SCHEMA_VERSION && rc == DAFTAR_OK; version++)
    rc = db_exec(db, migrations[version]);
  if(!rc && from == 1)
    rc = backfill_grams(db);
  /* Archives that passed version 3 while it was an empty placeholder:
   * its statements are IF NOT EXISTS, so running it again is harmless. */
  if(!rc && from >= 3)
    rc = db_exec(db, SCHEMA_V3);
  if(!rc && version >= 4) /* search helper: see SCHEMA_V4_INDEXES */
    rc = db_exec(db, SCHEMA_V4_INDEXES);
  if(rc)
    goto out;
  snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", version);
  rc = db_exec(db, pragma);
  if(!rc)
    rc = tokenizer_check(db);
out:
  if(rc) {
    char save[INDEX_ERRMSG_MAX];
    memcpy(save, db->err, sizeof(save));
    db_exec(db, "ROLLBACK");
    memcpy(db->err, save, sizeof(save));
    return rc;
  }
  return db_exec(db, "COMMIT");
}

/* Adds the daftar tokenizer (tokenizer.c) and daftar_rank() (rank.c) to
 * the connection's FTS5. */
static int fts_extend(sqlite3 *sql)
{
  sqlite3_stmt *st = NULL;
  fts5_api *api = NULL;
  int rc = sqlite3_prepare_v2(sql, "SELECT fts5(?1)", -1, &st, NULL);

  if(rc != SQLITE_OK)
    return rc;
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  rc = sqlite3_finalize(st);
  if(rc != SQLITE_OK)
    return rc;
  if(!api || api->iVersion < 2)
    return SQLITE_ERROR;
  rc = tok_register(api);
  if(rc == SQLITE_OK)
    rc = rank_register(api);
  return rc;
}

int index_open(const char *archive_dir, struct index_db **out)
{
  struct index_db *db;
  char *path = NULL;
  int rc;

  *out = NULL;
  if(!archive_dir || !*archive_dir)
    return DAFTAR_EINVAL;
  db = calloc(1, sizeof(*db));
  if(!db)
    return DAFTAR_ENOMEM;
  db->dir = idx_strdup(archive_dir);
  path = file_join(archive_dir, INDEX_DB_NAME);
  if(!db->dir || !path) {
    rc = DAFTAR_ENOMEM;
    goto fail;
  }
  rc = file_mkdirs(archive_dir);
  if(rc) {
    daftar_log(DLOG_ERROR, "cannot create archive directory %s",
               archive_dir);
    goto fail;
  }
  rc = sqlite3_open_v2(path, &db->sql,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_NOMUTEX,
                       NULL);
  if(rc != SQLITE_OK) {
    daftar_log(DLOG_ERROR, "cannot open %s: %s", path,
               db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
    rc = DAFTAR_EDB;
    goto fail;
  }
  sqlite3_extended_result_codes(db->sql, 1);
  sqlite3_busy_timeout(db->sql, INDEX_BUSY_TIMEOUT_MS);
  rc = fts_extend(db->sql);
  if(rc != SQLITE_OK) {
    rc = db_sqlerr(db, rc, "registering the daftar tokenizer and rank");
    goto fail_log;
  }
  /* temp_store MEMORY keeps statement journals in memory: in a large
   * transaction (a bulk load) every multi-row statement saves the pages it
   * rewrites, and as files those were 40 GB of write() per 200,000
   * documents (measured, /proc/PID/io).  secure_delete ON: what is deleted
   * (personal data) is overwritten, not left in free pages; Debian's
   * build defaults to it, this makes it the rule everywhere. */
  rc = db_exec(db, "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA temp_store = MEMORY;"
                   "PRAGMA secure_delete = ON;"
                   "PRAGMA foreign_keys = ON;");
  if(rc)
    goto fail_log;
  rc = schema_migrate(db);
  if(rc)
    goto fail_log;
  free(path);
  *out = db;
  return DAFTAR_OK;
fail_log:
  daftar_log(DLOG_ERROR, "cannot open the archive database: %s", db->err);
fail:
  free(path);
  index_close(db);
  return rc;
}

void index_close(struct index_db *db)
{
  if(!db)
    return;
  for(size_t i = 0; i < db->ncache; i++)
    sqlite3_finalize(db->cache[i].st);
  free(db->cache);
  if(db->sql)
    sqlite3_close_v2(db->sql);
  free(db->dir);
  free(db);
}

const char *index_errmsg(const struct index_db *db)
{
  if(!db)
    return "no database handle";
  return db->err[0] ? db->err : "no error";
}

const char *index_archive_dir(const struct index_db *db)
{
  return db ? db->dir : NULL;
}

int index_integrity_check(struct index_db *db)
{
  static const char SQL[] = "PRAGMA integrity_check";
  sqlite3_stmt *st = db_stmt(db, SQL);
  const unsigned char *t;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  rc = sqlite3_step(st);
  if(rc != SQLITE_ROW) {
    rc = db_sqlerr(db, rc, "integrity check");
    db_done(st);
    return rc;
  }
  t = sqlite3_column_text(st, 0);
  if(!t || strcmp((const char *)t, "ok") != 0) {
    db_fail(db, DAFTAR_EDB, "integrity check: %s",
            t ? (const char *)t : "no answer");
    db_done(st);
    return DAFTAR_EDB;
  }
  db_done(st);
  return DAFTAR_OK;
}

int index_stats_get(struct index_db *db, index_stats *out)
{
  static const char SQL[] =
      "SELECT (SELECT count(*) FROM batches),"
      " (SELECT count(*) FROM documents),"
      " (SELECT count(*) FROM pages),"
      " (SELECT count(*) FROM pages WHERE ocr_state = 'done'),"
      " (SELECT count(*) FROM pages WHERE ocr_state = 'failed'),"
      " (SELECT count(*) FROM workers),"
      " (SELECT count(*) FROM refusals)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  memset(out, 0, sizeof(*out));
  if(!st)
    return DAFTAR_EDB;
  rc = sqlite3_step(st);
  if(rc != SQLITE_ROW) {
    rc = db_sqlerr(db, rc, "stats");
    db_done(st);
    return rc;
  }
  out->batches = sqlite3_column_int64(st, 0);
  out->documents = sqlite3_column_int64(st, 1);
  out->pages = sqlite3_column_int64(st, 2);
  out->pages_recognized = sqlite3_column_int64(st, 3);
  out->pages_failed = sqlite3_column_int64(st, 4);
  out->workers = sqlite3_column_int64(st, 5);
  out->refusals = sqlite3_column_int64(st, 6);
  db_done(st);
  return DAFTAR_OK;
}

int index_search_optimize(struct index_db *db)
{
  int rc = db_exec(db, "INSERT INTO doc_fts(doc_fts) VALUES('optimize')");

  return rc ? rc : db_exec(db, "PRAGMA optimize");
}

int index_search_rebuild(struct index_db *db)
{
  return db_exec(db, "INSERT INTO doc_fts(doc_fts) VALUES('rebuild')");
}
