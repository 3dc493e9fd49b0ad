/*
 * index.h - the archive database: the only place daftar speaks SQL.
 *
 * An archive is a directory: ARCHIVE/daftar.db (SQLite, WAL mode) beside the
 * page store that ingest/ owns (ARCHIVE/objects, ARCHIVE/quarantine).  The
 * database records batches, masters (by SHA-256), documents and their pages,
 * OCR results (text, words with boxes, ALTO, hOCR), extracted fields, workers
 * and employers, refusals and an append-only event log; an FTS5 table with
 * daftar's Arabic/Sorani tokenizer ("daftar") makes it searchable.
 *
 * Every write that belongs together is one transaction: a document with its
 * pages, a page with its OCR result and words, a document's fields with the
 * worker links and search row.  A crash leaves all of it or none.
 *
 * Ownership: index_open() creates, index_close() frees (NULL is fine).
 * Strings passed in are copied; strings and arrays handed out are heap and
 * have a matching *_free().
 * Threads: one handle per thread (SQLite connections are not shared); many
 * handles may be open on one archive at once (WAL, busy timeout).
 * Errors: DAFTAR_OK or a negative daftar_err; index_errmsg() has the detail.
 */
#ifndef DAFTAR_INDEX_H
#define DAFTAR_INDEX_H

#include <stdint.h>
#include <stdio.h>

#include "core.h"

struct index_db;

#define INDEX_DB_NAME "daftar.db"
#define INDEX_BUSY_TIMEOUT_MS 30000

/* Opens (creating the directory, database and schema when missing). */
int index_open(const char *archive_dir, struct index_db **out);
void index_close(struct index_db *db);
const char *index_errmsg(const struct index_db *db);
const char *index_archive_dir(const struct index_db *db);

/* Explicit transactions for callers that group several writes (ingest
 * records a document and its pages in one).  Nesting is not supported. */
int index_begin(struct index_db *db);
int index_commit(struct index_db *db);
int index_rollback(struct index_db *db);

/* PRAGMA integrity_check; DAFTAR_OK when the answer is "ok". */
int index_integrity_check(struct index_db *db);

/* ---- batches, masters, documents, pages (ingest) ------------------------ */

typedef struct index_batch {
  int64_t id;
  char *label;
  char *operator_name;
  char *host;
  char *source;   /* the path the operator gave */
  char *started;  /* ISO 8601 UTC */
  char *ended;    /* NULL while running */
  char *status;   /* "running", "done", "refusals", "failed" */
  int64_t files, documents, pages, bytes, duplicates, refused, skipped;
} index_batch;

int index_batch_create(struct index_db *db, const char *label,
                       const char *operator_name, const char *host,
                       const char *source, int64_t *id);
/* Stores counts, status and the end time of b->id. */
int index_batch_finish(struct index_db *db, const index_batch *b);
/* Newest first.  *out is heap; index_batches_free(). */
int index_batch_list(struct index_db *db, index_batch **out, size_t *n);
int index_batch_get(struct index_db *db, int64_t id, index_batch *out);
void index_batch_clear(index_batch *b);
void index_batches_free(index_batch *b, size_t n);

/* A stored original, by content.  Idempotent: an existing sha256 is kept. */
int index_master_put(struct index_db *db, const char *sha256, int64_t size,
                     const char *format, int pages);

typedef struct index_document {
  int64_t id;
  int64_t batch_id;
  char *source;       /* path relative to the batch root: "01234/doc-01.tif" */
  char *file_no;      /* "01234" */
  char *sha256;       /* master */
  char *doc_type;     /* registration, termination, wage_change, other */
  int page_count;
  int64_t duplicate_of; /* 0, or the document first recorded with this scan */
  char *batch_label;
} index_document;

/* The first (non-duplicate) document recorded for a master; ENOTFOUND. */
int index_document_find_by_sha(struct index_db *db, const char *sha256,
                               index_document *out);
/* The document recorded with this source and master in any batch; used to
 * tell a re-run (nothing new) from a duplicate (same scan elsewhere). */
int index_document_find_by_source(struct index_db *db, const char *source,
                                  const char *sha256, index_document *out);
int index_document_add(struct index_db *db, const index_document *d,
                       int64_t *id);
int index_document_get(struct index_db *db, int64_t id, index_document *out);
void index_document_clear(index_document *d);

typedef struct index_page_info {
  int n;               /* 1-based page number within the document */
  int width, height;   /* pixels */
  int xres, yres;      /* dpi; 0 when unknown */
  int bits;            /* bits per pixel after decode (1, 8, 24, 32) */
  const char *compression; /* "g4", "lzw", "jpeg", "none", ... */
} index_page_info;

int index_page_add(struct index_db *db, int64_t doc_id,
                   const index_page_info *p);

/* A refused input: the reason, and where its bytes were quarantined
 * (relative to the archive), NULL when nothing could be kept. */
int index_refusal_add(struct index_db *db, int64_t batch_id,
                      const char *source, const char *reason,
                      const char *sha256, const char *quarantine_rel);

typedef struct index_refusal {
  int64_t id, batch_id;
  char *source, *reason, *sha256, *quarantine, *at;
} index_refusal;

int index_refusal_list(struct index_db *db, int64_t batch_id,
                       index_refusal **out, size_t *n);
void index_refusals_free(index_refusal *r, size_t n);

/* Append-only PREMIS-style event: type is "ingestion",
 * "message digest calculation", "fixity check", "quarantine", ...;
 * outcome "success"/"failure"; object a sha256 or source. */
int index_event_add(struct index_db *db, const char *type,
                    const char *outcome, const char *agent, int64_t batch_id,
                    const char *object, const char *detail);

typedef struct index_event {
  int64_t id, batch_id;
  char *at, *type, *outcome, *agent, *object, *detail;
} index_event;

/* The event log, newest first: all events, or one batch's (batch_id > 0);
 * at most limit (<= 0: all).  *out is heap; index_events_free(). */
int index_event_list(struct index_db *db, int64_t batch_id, int limit,
                     index_event **out, size_t *n);
void index_events_free(index_event *e, size_t n);

/* Masters for `daftar verify`: every sha256 (or a random sample of n when
 * sample > 0).  *out is a heap array of heap strings; index_strings_free(). */
int index_master_list(struct index_db *db, int sample, char ***out,
                      size_t *n);
void index_strings_free(char **s, size_t n);

/* ---- OCR ----------------------------------------------------------------- */

typedef struct index_page_ref {
  int64_t page_id;
  int64_t document_id;
  int n;                          /* page within the document */
  char sha256[SHA256_HEX_LEN + 1]; /* master holding the page */
  char *source;
} index_page_ref;

/* Pages still to recognize (ocr_state pending or failed), or with redo every
 * page.  *out is heap; index_page_refs_free(). */
int index_pages_pending(struct index_db *db, int redo, index_page_ref **out,
                        size_t *n);
void index_page_refs_free(index_page_ref *r, size_t n);

typedef struct index_ocr_result {
  const char *text;       /* logical order, no bidi marks */
  float confidence;       /* mean word confidence 0..100 */
  const char *lang;       /* model used, e.g. "Arabic" */
  int rotation;           /* degrees applied to upright the page */
  float skew;             /* degrees corrected */
  int needs_review;       /* confidence under the threshold */
  const char *alto;       /* ALTO XML */
  const char *hocr;       /* hOCR */
  const daftar_word *words;
  size_t nwords;
  const char *raw_text;   /* the model's reading before the letter
                             correction (NULL: same as text); stored, and
                             exported as the page's "raw_text", only when
                             it differs from text */
} index_ocr_result;

/* Stores a page's result, replacing any earlier one, in one transaction;
 * marks the document for (re-)extraction.  Never touches locked fields. */
int index_page_store_ocr(struct index_db *db, int64_t page_id,
                         const index_ocr_result *r);
int index_page_mark_failed(struct index_db *db, int64_t page_id,
                           const char *reason);

/* ---- extraction -------------------------------------------------------- */

/* Documents whose pages are all recognized and whose fields are stale (or
 * every document with all).  *ids is heap (free()). */
int index_documents_pending_extract(struct index_db *db, int all,
                                    int64_t **ids, size_t *n);
/* Every word of a document, pages in order, words in reading order. */
int index_document_words(struct index_db *db, int64_t doc_id,
                         daftar_word **out, size_t *n);

/* Stores doc_type and fields (replacing earlier unlocked ones, keeping
 * locked ones), links the document to its worker (by worker_ssn, else
 * national_id) and employer, and refreshes the search row: one transaction. */
int index_document_store_fields(struct index_db *db, int64_t doc_id,
                                const char *doc_type, const daftar_field *f,
                                size_t n);

/* An archivist's correction: new value, old value kept, who and when,
 * field locked; worker links and the search row rebuilt. */
int index_field_correct(struct index_db *db, int64_t doc_id,
                        const char *name, const char *value,
                        const char *user);

/* ---- search -------------------------------------------------------------- */

typedef struct index_hit {
  int64_t doc_id;
  char *source, *file_no, *doc_type, *batch;
  char *worker_ssn, *worker_name; /* NULL when no worker is linked */
  char *snippet;                  /* with [ ] around matched text */
  double score;                   /* lower is better (bm25) */
} index_hit;

#define INDEX_SEARCH_LIMIT_MAX 1000
#define INDEX_QUERY_MAX 4096 /* bytes of query text considered */

/* Runs a user query (any input is safe).  Best first (bm25; names and IDs
 * weigh more than page text).  Syntax: words (all must match), "phrases",
 * prefix*, and filters ssn:N nid:N file:N employer:N|NAME name:X
 * born:, start:, end:, date: (YYYY[-MM[-DD]] or ranges LO..HI, see the
 * search section below) type:registration|termination|wage_change|other.
 * Hits come grouped by worker (see below).  Arabic/Sorani spellings, harakat and digit styles
 * fold alike; when nothing matches, dotless skeletons are tried (OCR dot
 * errors), then workers' names a few edits away (trigrams + edit distance
 * per name part), then for a lone number the IDs one digit away.  Scores
 * of these fallback hits are >= 1000.  Snippets mark
 * matches with [ and ] (brackets of the text itself come out as U+FF3B and
 * U+FF3D).  EINVAL with a message for an unusable query (empty, only
 * punctuation, more than 32 terms, a malformed filter). */
int index_search(struct index_db *db, const char *query, int limit,
                 int offset, index_hit **out, size_t *n);
void index_hits_free(index_hit *h, size_t n);
/* Maintenance: merge the search index's segments after a bulk load
 * (optimize), or tokenize every row again (rebuild; index_open() does it
 * by itself when the tokenizer's version changed). */
int index_search_optimize(struct index_db *db);
int index_search_rebuild(struct index_db *db);
/* {"results": [...]} exactly as `daftar search --json` prints it. */
int index_hits_json(const index_hit *h, size_t n, dbuf *out);

/* ---- search: grouped results, bulk loading (issue 6) ----------------------
 * Added by the search helper (second pass); implemented in index/search.c
 * and index/bulk.c.
 *
 * index_search() orders its hits so that a worker's documents come
 * together: workers by their best document's score, then that worker's
 * documents best first; a document linked to no worker is a group of its
 * own.  Paging (limit, offset) counts documents in that order.
 *
 * Date filters (beside born:): start:, end: (the document's start_date and
 * end_date fields) and date: (any of birth_date, start_date, end_date);
 * values YYYY, YYYY-MM, YYYY-MM-DD, or a range LO..HI of those, either end
 * open (2010.. or ..2015).  A malformed date or range (month 13, LO after
 * HI, a lone "..") is EINVAL with a message. */

#define INDEX_GROUPS_MAX 200     /* workers per grouped answer */
#define INDEX_GROUP_DOCS_MAX 50  /* documents kept per worker */

typedef struct index_group {
  char *ssn, *name; /* NULL both when the documents have no worker */
  double score;     /* the best (lowest) score among its documents */
  size_t total;     /* its matching documents (more than nhits when cut) */
  index_hit *hits;  /* best first; at most INDEX_GROUP_DOCS_MAX */
  size_t nhits;
} index_group;

/* The same query as index_search, answered per worker: *out holds up to
 * limit groups (<= INDEX_GROUPS_MAX) after skipping offset groups, best
 * worker first.  Groups are formed from the best INDEX_SEARCH_LIMIT_MAX
 * matching documents.  index_groups_free(). */
int index_search_grouped(struct index_db *db, const char *query, int limit,
                         int offset, index_group **out, size_t *n);
void index_groups_free(index_group *g, size_t n);
/* {"groups": [{"worker": {"ssn","name"}|null, "score", "total",
 *  "results": [hit objects as in index_hits_json]}...]} */
int index_groups_json(const index_group *g, size_t n, dbuf *out);

/* Bulk loading (a first import, the benchmark): between begin and end the
 * usual writes (documents, pages, OCR results, fields) only note which
 * documents changed; index_bulk_end() then makes each one's search row
 * once, in large transactions, and merges the search index.  FTS5
 * automerge is off during the load (crisismerge stays on) and restored at
 * the end.  Searches during the load do not see the new documents.
 * Not inside index_begin().  What a load interrupted before its end left
 * unindexed is indexed by the next index_bulk_end(), which indexes every
 * document without a search row. */
int index_bulk_begin(struct index_db *db);
/* merge: 0 leaves the segments for automerge to fold in later (a small
 * batch into a big index: cheap); 1 runs FTS5 'optimize' (one segment:
 * after a first import). */
int index_bulk_end(struct index_db *db, int merge);

/* ---- workers, documents, export ------------------------------------------ */

/* A worker by social-security number or national ID, as JSON:
 * {"ssn","national_id","name","names":[...],"mother_name","birth_date",
 *  "documents":[{"id","source","file_no","doc_type","employer_name",
 *  "start_date","end_date","monthly_wage"}...]}.  ENOTFOUND when unknown. */
int index_worker_json(struct index_db *db, const char *number, dbuf *out);
/* The same, as lines for a terminal. */
int index_worker_text(struct index_db *db, const char *number, dbuf *out);

/* ---- workers: histories and identity linkage (issue 5) -------------------
 * Added by the worker-history helper; implemented in index/history.c,
 * index/linkage.c and index/identity.c (rules: docs/INDEX.md, "Workers").
 *
 * index_worker_json() also carries (besides the keys above) "id" (the
 * worker's id, for merges and splits), "spells" (the timeline sorted by
 * start, each with its sources: document, page, box), "gaps", "overlaps",
 * "insured_months" and "wages" (docs/API.md, "Worker JSON").  Spells and
 * wage points are rebuilt from the documents' primary (corrected) values
 * whenever a document's fields are stored or corrected.
 *
 * Documents link to workers by SSN, then national ID, then names (worker,
 * father, grandfather; mother's name; birth date) with a score 0..100 and
 * its breakdown.  What numbers and names cannot settle (an SSN whose
 * documents show someone else, a national ID held by another worker, an
 * SSN one digit from a known one with a matching name, a name match not
 * strong enough) becomes a suggestion and links nothing until an
 * archivist decides.  Decisions outlive re-extraction.  Workers are named
 * by id; merges and splits are recorded and undone by their change id. */

typedef struct index_link_suggestion {
  int64_t id, document_id, worker_id;
  int score;         /* 0..100 */
  char *reason;      /* ssn_conflict, national_id, national_id_conflict,
                        ssn_one_digit, name, split */
  char *detail;      /* the score's breakdown, a JSON object */
  char *explain;     /* the same in one line */
  char *status;      /* pending, accepted, rejected */
  char *source;      /* the document's */
  char *worker_ssn, *worker_name; /* NULL when the worker has none */
} index_link_suggestion;

/* Suggestions with status (NULL: "pending"), best score first; limit
 * 1..INDEX_SEARCH_LIMIT_MAX.  index_link_suggestions_free(). */
int index_link_suggestions_list(struct index_db *db, const char *status,
                                int limit, int offset,
                                index_link_suggestion **out, size_t *n);
void index_link_suggestions_free(index_link_suggestion *s, size_t n);
/* {"suggestions": [{"id","document","worker","score","reason","status",
 *  "source","worker_ssn","worker_name","explain","detail":{...}}...]} */
int index_link_suggestions_json(const index_link_suggestion *s, size_t n,
                                dbuf *out);
/* Accept: the document belongs to that worker (the latest decision about
 * a document wins).  Reject: never propose that worker for it again; the
 * document is linked again without it.  ENOTFOUND, EINVAL (no user). */
int index_link_accept(struct index_db *db, int64_t suggestion_id,
                      const char *user);
int index_link_reject(struct index_db *db, int64_t suggestion_id,
                      const char *user);
/* Worker from becomes part of worker into: its documents move, its
 * numbers find into.  EINVAL when they are the same or either is merged
 * already; ENOTFOUND when unknown. */
int index_worker_merge(struct index_db *db, int64_t into, int64_t from,
                       const char *user, int64_t *change_id);
/* The documents docs[0..n) of worker become a new worker (*new_worker).
 * EINVAL when a document is not that worker's. */
int index_worker_split(struct index_db *db, int64_t worker,
                       const int64_t *docs, size_t n, const char *user,
                       int64_t *new_worker, int64_t *change_id);
/* Undoes a merge or split.  EINVAL when undone already. */
int index_worker_change_undo(struct index_db *db, int64_t change_id,
                             const char *user);
/* The id of the worker with this SSN or national ID (merges followed). */
int index_worker_id(struct index_db *db, const char *number, int64_t *id);

/* A document for the viewer: its record, pages (n, width, height, text,
 * confidence) and fields (value, raw, confidence, page, bbox, rule, locked). */
int index_document_json(struct index_db *db, int64_t doc_id, dbuf *out);
/* Which master and which page in it hold page n of a document.
 * *master_page is the 0-based TIFF directory (TIFFSetDirectory, pixReadTiff),
 * i.e. n - 1 for a document that is one master.  A duplicate recorded
 * without pages of its own answers with its first document's pages. */
int index_document_page(struct index_db *db, int64_t doc_id, int n,
                        char sha256[SHA256_HEX_LEN + 1], int *master_page);

/* One JSON object per document, the export contract of issue 2. */
int index_export_jsonl(struct index_db *db, FILE *out);

/* Counts for summaries: documents, pages, recognized pages, workers. */
typedef struct index_stats {
  int64_t batches, documents, pages, pages_recognized, pages_failed,
      workers, refusals;
} index_stats;
int index_stats_get(struct index_db *db, index_stats *out);

/* ---- accounts, sessions and audit (the viewer, issue 7) ------------------
 * Added by the viewer helper; implemented in index/users.c, which creates
 * its tables on first use (users, sessions, audit).  The database never
 * holds a secret that logs anyone in: passwords arrive as libsodium Argon2id
 * strings (made in viewer/auth.c) and session tokens as their SHA-256 hex.
 * Times are unix seconds.  Audit rows are append-only (triggers) and
 * hash-chained: hash = SHA-256 of the previous hash and the row's fields,
 * so a changed or removed row shows in index_audit_verify(). */

#define INDEX_ROLE_NAMES "admin", "operator", "archivist", "staff"
#define INDEX_TOKEN_HEX_LEN 64

typedef struct index_user {
  int64_t id;
  char *name, *role, *pwhash, *created;
  int disabled;
  int failed_logins;    /* consecutive failures since the last success */
  int64_t locked_until; /* no login before this time; 0: none */
} index_user;

/* EEXIST when the name is taken, EINVAL for an unknown role. */
int index_user_add(struct index_db *db, const char *name, const char *role,
                   const char *pwhash);
/* ENOTFOUND when unknown. */
int index_user_get(struct index_db *db, const char *name, index_user *out);
int index_user_list(struct index_db *db, index_user **out, size_t *n);
void index_user_clear(index_user *u);
void index_users_free(index_user *u, size_t n);
/* Both end the user's sessions.  ENOTFOUND when unknown. */
int index_user_set_password(struct index_db *db, const char *name,
                            const char *pwhash);
int index_user_set_disabled(struct index_db *db, const char *name,
                            int disabled);
/* Accounts, disabled ones included: an archive that has had an account
 * never falls back to an open viewer by disabling them all. */
int index_user_count(struct index_db *db, int64_t *n);
/* After a login attempt: ok resets the failure count, else it grows by one
 * and locked_until is stored. */
int index_user_login_result(struct index_db *db, int64_t user_id, int ok,
                            int64_t locked_until);

typedef struct index_session {
  int64_t user_id;
  char *user, *role;
  char csrf[INDEX_TOKEN_HEX_LEN + 1];
  int64_t created, last_seen;
} index_session;

int index_session_create(struct index_db *db, const char *token_sha256,
                         int64_t user_id, const char *csrf, int64_t now);
/* The live session of a token: ENOTFOUND when unknown, idle longer than
 * idle_s, older than max_s, or its user disabled (such sessions are
 * deleted).  Marks it seen at now. */
int index_session_get(struct index_db *db, const char *token_sha256,
                      int64_t now, int64_t idle_s, int64_t max_s,
                      index_session *out);
void index_session_clear(index_session *s);
int index_session_delete(struct index_db *db, const char *token_sha256);

/* One audit row (user NULL for anonymous, e.g. a failed login). */
int index_audit_add(struct index_db *db, const char *user, const char *action,
                    const char *object, const char *detail,
                    const char *address);
/* Recomputes the chain: DAFTAR_OK when intact, else DAFTAR_EREFUSED with
 * *first_bad the first row that does not match.  *rows counts rows read. */
int index_audit_verify(struct index_db *db, int64_t *rows, int64_t *first_bad);
/* {"audit": [{"id","at","user","action","object","detail","address"}...]},
 * newest first; user and action filter when not NULL. */
int index_audit_json(struct index_db *db, const char *user,
                     const char *action, int limit, int offset, dbuf *out);
/* The same rows for a terminal (`daftar audit list`): one line each,
 * id, at, user, action, object, detail, address separated by tabs ("-"
 * for none).  Added by the viewer helper (second pass). */
int index_audit_text(struct index_db *db, const char *user,
                     const char *action, int limit, int offset, dbuf *out);

/* The archivists' review queue (index/review.c): unlocked fields under
 * min_confidence and candidates, lowest confidence first, as
 * {"review": [{"document","source","name","seq","value","raw","confidence",
 * "page","bbox","candidate"}...]}. */
int index_review_json(struct index_db *db, double min_confidence, int limit,
                      int offset, dbuf *out);

#endif /* DAFTAR_INDEX_H */
