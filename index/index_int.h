/*
 * index_int.h - what the files of index/ share; nothing outside index/
 * includes it.
 *
 * The handle owns one SQLite connection, a cache of prepared statements
 * keyed by the address of their SQL text (each statement is a static
 * string in the file that uses it, so the address is its identity), and the
 * last error message.  Statements handed out by db_stmt() are reset and
 * unbound; callers reset them again when done (db_done) so no read
 * transaction stays open behind their back.
 */
#ifndef DAFTAR_INDEX_INT_H
#define DAFTAR_INDEX_INT_H

#include <sqlite3.h>

#include "index.h"

#define INDEX_STMT_CACHE_MAX 1024 /* distinct cached statements per handle */
#define INDEX_ERRMSG_MAX 512

struct index_stmt_slot {
  const char *sql;
  sqlite3_stmt *st;
};

struct index_db {
  sqlite3 *sql;
  char *dir;
  int explicit_txn;          /* index_begin() is active */
  char err[INDEX_ERRMSG_MAX];
  struct index_stmt_slot *cache; /* grows; every static SQL text of index/ */
  size_t ncache, capcache;
  /* Bulk loading (bulk.c): between index_bulk_begin and index_bulk_end
   * fts_refresh only drops the document's search row; the end indexes
   * every document left without one. */
  int bulk;
  /* Linkage (workers.c): documents re-linked because a worker they were
   * proposed for went away, nested at most WORKER_RELINK_DEPTH_MAX deep. */
  int relink_depth;
};

/* ---- db.c ---------------------------------------------------------------- */

/* Sets the message (printf style) and returns code. */
int db_fail(struct index_db *db, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records "what: <sqlite message>" and maps rc to a daftar_err. */
int db_sqlerr(struct index_db *db, int rc, const char *what);
/* The cached statement for sql (a static string), reset and unbound, or
 * NULL with the error recorded. */
sqlite3_stmt *db_stmt(struct index_db *db, const char *sql);
void db_done(sqlite3_stmt *st);
int db_exec(struct index_db *db, const char *sql);
/* Binds s, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *st, int i, const char *s);
/* A heap copy of column i, NULL for SQL NULL (or on ENOMEM: check with
 * sqlite3_column_type when that matters). */
char *db_col_dup(sqlite3_stmt *st, int i);
/* Steps a query returning one id: *id gets it, or 0 when no row; the
 * statement is done after.  what names the step in an error. */
int db_query_id(struct index_db *db, sqlite3_stmt *st, int64_t *id,
                const char *what);
/* Steps a statement that returns no rows (or whose rows are ignored). */
int db_step_done(struct index_db *db, sqlite3_stmt *st, const char *what);

/* Write groups: the outermost is BEGIN IMMEDIATE (so a writer waits for the
 * lock up front instead of failing on upgrade), inner ones (inside
 * index_begin) are savepoints. */
int db_write_begin(struct index_db *db);
int db_write_end(struct index_db *db, int rc);

/* ---- tokenizer.c --------------------------------------------------------- */

/* Marker code point: a query string that starts with it asks the tokenizer
 * for skeleton keys.  Private use; stripped from user input. */
#define TOK_SKELETON_MARK 0xE000
/* Prefix of skeleton keys in the index: not a word character, so exact
 * keys (made of word characters only) never collide with them. */
#define TOK_SKELETON_PREFIX "~"
/* The longest prefix with an FTS5 prefix index (schema 7: prefix='2 3'),
 * in characters; a longer prefix query merges the doclists it starts. */
#define INDEX_PREFIX_MAX 3
#define TOK_MAX_BYTES 128 /* a longer word is indexed by its first bytes */
/* Bump when the tokenizer or core's folding changes what keys a text
 * yields: index_open() then rebuilds the search rows. */
#define TOK_VERSION 1

int tok_register(fts5_api *api);
/* Number of tokens text yields at query time (0: nothing searchable). */
int tok_count(const char *text, size_t n);
/* Code points of the key of text's last token at query time (0: none). */
int tok_last_length(const char *text, size_t n);

/* ---- rank.c -------------------------------------------------------------- */

/* Registers daftar_rank(doc_fts, FREQS, weights...): bm25 with document
 * frequencies given by the caller (see rank.c). */
int rank_register(fts5_api *api);

/* ---- documents.c / fields.c ---------------------------------------------- */

/* Rebuilds the search row of a document from the database. */
int fts_refresh(struct index_db *db, int64_t doc_id);
/* Rebuilds the search rows of the documents sql returns (a static string:
 * one column, the document id; one parameter, ?1 = id). */
int fts_refresh_each(struct index_db *db, const char *sql, int64_t id);
/* Re-links the document to its worker and employer from its fields and
 * refreshes the search row.  Runs inside the caller's write group. */
int doc_relink(struct index_db *db, int64_t doc_id);

/* ---- bulk.c -------------------------------------------------------------- */

/* fts_refresh in bulk mode: drops doc_id's search row (if any), so that
 * index_bulk_end indexes it. */
int bulk_mark(struct index_db *db, int64_t doc_id);

/* ---- names.c -------------------------------------------------------------- */

struct names_match {
  int64_t worker_id;
  int score;  /* sum of edit distances over the query's parts; 0 best */
  char *name; /* the spelling that matched */
};

/* Records the trigrams of a worker's name key (text_norm_key form). */
int names_store_grams(struct index_db *db, int64_t worker_id,
                      const char *key);
/* Workers whose names are near query_key (text_norm_key form), best
 * first.  *out is heap; names_matches_free(). */
int names_fuzzy(struct index_db *db, const char *query_key,
                struct names_match **out, size_t *n);
void names_matches_free(struct names_match *m, size_t n);
/* Workers whose name trigrams overlap key's most (no verdict), at most
 * max ids into ids[]. */
int names_candidates(struct index_db *db, const char *key, int64_t *ids,
                     size_t max, size_t *n);

/* ---- linkage.c, history.c, workers.c (issue 5: histories, linkage) -------- */

/* A document's identity fields (primary values; NULL when absent). */
struct link_ident {
  const char *ssn, *nid, *name, *mother, *birth;
};

/* Decides the worker of a document (0: none yet, e.g. only proposals were
 * made); may create a worker.  Runs inside the caller's write group. */
int link_document(struct index_db *db, int64_t doc_id,
                  const struct link_ident *id, int64_t *worker);
/* The worker a merged worker now lives in (itself when not merged). */
int link_root(struct index_db *db, int64_t worker_id, int64_t *root);
int link_worker_create(struct index_db *db, const struct link_ident *id,
                       int64_t *worker_id);
/* Rebuilds a worker from its documents: attributes, name variants,
 * spells and wage points; removes a worker left without documents (and
 * not part of a merge).  Inside the caller's write group. */
int worker_rebuild(struct index_db *db, int64_t worker_id);
/* Replaces the worker's spells, spell_sources and wage_points. */
int history_rebuild_spells(struct index_db *db, int64_t worker_id);
/* Appends ,"spells":[...],"gaps":[...],"overlaps":[...],
 * "insured_months":N,"wages":[...] for the worker. */
int history_json(struct index_db *db, int64_t worker_id, dbuf *out);
/* The timeline, gaps, overlaps, insured months and wages as lines. */
int history_text(struct index_db *db, int64_t worker_id, dbuf *out);

/* ---- settle.c: a name settled from many documents' readings ------------- */
struct settle_variant {
  char *name;
  int docs, corrected;
  double confidence; /* the best of its documents' */
};
void settle_variants_free(struct settle_variant *v, size_t n);
/* Counts one document's reading into the variants (*n of *cap). */
int settle_variant_add(struct settle_variant **v, size_t *n, size_t *cap,
                       const char *name, int corrected, double confidence);
/* The settled name among v (NULL: undecided): a correction, else the
 * majority, else the tied reading holding the others' ink (settle.c). */
const char *settle_pick(const struct settle_variant *v, size_t n);
/* 1 when reading is near enough to name to be taken for a misreading. */
int settle_near(const char *reading, const char *name);

/* workers.c settles a worker's name into its documents' worker_name
 * fields, keeping the page's reading in old_value and marking the rule.
 * The reading, as SQL over a fields row aliased f: the page's, or an
 * archivist's correction (a locked field's value).  Linkage compares
 * readings. */
#define WORKER_RULE_MARK "+worker"
#define WORKER_READING_SQL                                                    \
  "CASE WHEN f.locked = 0 AND f.old_value IS NOT NULL"                        \
  " AND f.rule LIKE '%" WORKER_RULE_MARK "' THEN f.old_value ELSE f.value END"

/* ---- employers.c ---------------------------------------------------------- */
/* Finds or adds the document's employer (by number, else by its name as
 * read), records the document's reading of the name and settles the
 * employer's name from all its readings, rewriting the unlocked
 * employer_name fields it settles (their reading kept in old_value). */
int employer_link(struct index_db *db, int64_t doc_id, const char *number,
                  int64_t *employer_id);

/* ---- helpers --------------------------------------------------------------*/

char *idx_strdup(const char *s);
/* ASCII digits and letters of s (other digit styles folded), for IDs. */
int idx_norm_number(const char *s, dbuf *out);
/* 1 when name is one of DAFTAR_FIELD_NAMES. */
int idx_field_name_known(const char *name);
int json_put_int(dbuf *b, int64_t v);
int json_put_real(dbuf *b, double v);

#endif /* DAFTAR_INDEX_INT_H */
