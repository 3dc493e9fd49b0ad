/*
 * test_index.c - the index suite: schema, storage round trips, the
 * "daftar" tokenizer (every folding rule, both directions), search with
 * hostile input, filters and the skeleton fallback, export, workers, events.
 *
 * Each test makes its own archive under /tmp and removes it.  JSON output
 * is parsed back with SQLite's JSON functions on a private in-memory
 * connection (no JSON library needed).
 */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "fixture.h"
#include "index.h"
#include "test_rank.h"

/* ---- fixtures -------------------------------------------------------------- */

/* archive, db, batch_id, setup() and teardown(): fixture.c */

/* Splits text at spaces into words with made-up boxes on page `page`. */
static daftar_word *make_words(const char *text, int page, size_t *n)
{
  daftar_word *w = calloc(strlen(text) + 1, sizeof(*w));
  const char *p = text;
  size_t k = 0;

  ck_assert_ptr_nonnull(w);
  while(*p) {
    const char *e = strchr(p, ' ');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if(len) {
      w[k].text = strndup(p, len);
      w[k].page = page;
      w[k].line = 1;
      w[k].box = (daftar_box){1000 - (int)k * 100, 50, 1090 - (int)k * 100,
                              90};
      w[k].conf = 90.0f;
      k++;
    }
    p += len;
    if(*p == ' ')
      p++;
  }
  *n = k;
  return w;
}

/* A document of npages pages with the given texts, recognized. */
static int64_t add_doc(const char *source, const char *file_no,
                       const char *const *texts, int npages)
{
  char sha[SHA256_HEX_LEN + 1];
  index_document d = {0};
  int64_t id = 0;

  ck_assert_int_eq(sha256_hex(source, strlen(source), sha), DAFTAR_OK);
  ck_assert_int_eq(index_master_put(db, sha, 1234, "tiff", npages),
                   DAFTAR_OK);
  d.batch_id = batch_id;
  d.source = (char *)source;
  d.file_no = (char *)file_no;
  d.sha256 = sha;
  d.page_count = npages;
  ck_assert_int_eq(index_document_add(db, &d, &id), DAFTAR_OK);
  for(int i = 0; i < npages; i++) {
    index_page_info p = {i + 1, 2480, 3508, 300, 300, 1, "g4"};
    ck_assert_int_eq(index_page_add(db, id, &p), DAFTAR_OK);
  }
  if(texts) {
    index_page_ref *refs;
    size_t nrefs;
    ck_assert_int_eq(index_pages_pending(db, 0, &refs, &nrefs), DAFTAR_OK);
    for(size_t i = 0; i < nrefs; i++) {
      index_ocr_result r = {0};
      size_t nw;
      daftar_word *w;
      if(refs[i].document_id != id)
        continue;
      w = make_words(texts[refs[i].n - 1], refs[i].n, &nw);
      r.text = texts[refs[i].n - 1];
      r.confidence = 87.5f;
      r.lang = "Arabic";
      r.alto = "<alto/>";
      r.hocr = "<html/>";
      r.words = w;
      r.nwords = nw;
      ck_assert_int_eq(index_page_store_ocr(db, refs[i].page_id, &r),
                       DAFTAR_OK);
      daftar_words_free(w, nw);
    }
    index_page_refs_free(refs, nrefs);
  }
  return id;
}

static int64_t add_text_doc(const char *source, const char *text)
{
  const char *texts[1] = {text};
  return add_doc(source, "00001", texts, 1);
}

/* Stores fields given as name, value pairs (NULL-terminated). */
static void store_fields(int64_t doc, const char *doc_type,
                         const char *const *kv)
{
  daftar_field f[16];
  size_t n = 0;

  memset(f, 0, sizeof(f));
  for(; kv[0]; kv += 2, n++) {
    snprintf(f[n].name, sizeof(f[n].name), "%s", kv[0]);
    f[n].value = (char *)kv[1];
    f[n].raw = (char *)kv[1];
    f[n].confidence = 91.0f;
    f[n].page = 1;
    f[n].box = (daftar_box){100, 200, 300, 240};
    snprintf(f[n].rule, sizeof(f[n].rule), "label-colon");
  }
  ck_assert_int_eq(index_document_store_fields(db, doc, doc_type, f, n),
                   DAFTAR_OK);
}

/* Runs query; returns rc, fills ids (up to 16). */
static int search(const char *q, int64_t ids[16], size_t *n)
{
  index_hit *h = NULL;
  size_t k = 0;
  int rc = index_search(db, q, 16, 0, &h, &k);

  *n = k;
  for(size_t i = 0; i < k && i < 16; i++)
    ids[i] = h[i].doc_id;
  index_hits_free(h, k);
  return rc;
}

static int found(const char *q, int64_t id)
{
  int64_t ids[16];
  size_t n;

  ck_assert_int_eq(search(q, ids, &n), DAFTAR_OK);
  for(size_t i = 0; i < n; i++)
    if(ids[i] == id)
      return 1;
  return 0;
}

/* Where id stands in the results of q (0 first), -1 when absent. */
static int rank_of(const char *q, int64_t id)
{
  int64_t ids[16];
  size_t n;

  ck_assert_int_eq(search(q, ids, &n), DAFTAR_OK);
  for(size_t i = 0; i < n; i++)
    if(ids[i] == id)
      return (int)i;
  return -1;
}

static size_t count_hits(const char *q)
{
  int64_t ids[16];
  size_t n;

  ck_assert_int_eq(search(q, ids, &n), DAFTAR_OK);
  return n;
}

/* json_extract(json, path) as text (heap), NULL for JSON null/absent;
 * fails the test when json is not valid. */
static char *json_get(const char *json, const char *path)
{
  sqlite3 *m;
  sqlite3_stmt *st;
  char *out = NULL;

  ck_assert_int_eq(sqlite3_open(":memory:", &m), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(m, "SELECT json_valid(?1),"
                                         " json_extract(?1, ?2)",
                                      -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
  ck_assert_msg(sqlite3_column_int(st, 0) == 1, "not JSON: %.200s", json);
  if(sqlite3_column_type(st, 1) != SQLITE_NULL)
    out = strdup((const char *)sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  sqlite3_close(m);
  return out;
}

static void assert_json_eq(const char *json, const char *path,
                           const char *want)
{
  char *got = json_get(json, path);

  if(!want)
    ck_assert_msg(got == NULL, "%s: want null, got %s", path, got);
  else {
    ck_assert_msg(got != NULL, "%s: missing in %.300s", path, json);
    ck_assert_str_eq(got, want);
  }
  free(got);
}

/* A raw connection to the archive's database, for checks that go around
 * the API on purpose. */
static sqlite3 *raw_open(void)
{
  char path[128];
  sqlite3 *s;

  snprintf(path, sizeof(path), "%s/%s", archive, INDEX_DB_NAME);
  ck_assert_int_eq(sqlite3_open(path, &s), SQLITE_OK);
  sqlite3_busy_timeout(s, 5000);
  return s;
}

static int64_t raw_count(sqlite3 *s, const char *sql)
{
  sqlite3_stmt *st;
  int64_t v = -1;

  ck_assert_int_eq(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
  if(sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Closes the archive, rewinds its schema to version (so the steps after
 * it run again over their own result) and opens it again. */
static void reopen_from_version(int version)
{
  char sql[48];
  sqlite3 *raw;

  index_close(db);
  db = NULL;
  raw = raw_open();
  snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
  ck_assert_int_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(raw);
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
}

/* ---- schema ---------------------------------------------------------------- */

/* Step 8 (why a document is linked) runs again over its own result
 * (user_version rewound) and keeps what it holds. */
START_TEST(index_migration_adds_document_links)
{
  int64_t a = add_text_doc("a.tif", "كريم");
  sqlite3 *raw = raw_open();
  char sql[96];
  snprintf(sql, sizeof(sql), "INSERT INTO document_links(document_id, rule)"
                             " VALUES(%lld, 'ssn')", (long long)a);
  ck_assert_int_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
  /* Only the rules linkage writes. */
  ck_assert_int_eq(sqlite3_exec(raw, "UPDATE document_links SET rule = 'x'",
                                NULL, NULL, NULL),
                   SQLITE_CONSTRAINT);
  sqlite3_close(raw);
  reopen_from_version(7);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "PRAGMA user_version"), 9);
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM document_links"), 1);
  sqlite3_close(raw);
}
END_TEST

/* Step 9 (employer readings) fills the readings of an archive made
 * before it, and runs again over its own result. */
START_TEST(index_migration_adds_employer_readings)
{
  static const char *const kv[] = {
      "worker_ssn", "1001", "employer_number", "2565098", "employer_name",
      "مطبعة الحكمة", NULL};
  int64_t a = add_text_doc("a.tif", "كريم");
  sqlite3 *raw;

  store_fields(a, "registration", kv);
  raw = raw_open();
  ck_assert_int_eq(sqlite3_exec(raw, "DROP TABLE employer_readings;"
                                     " DROP TABLE employer_settled;",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  reopen_from_version(8);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "PRAGMA user_version"), 9);
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM employer_readings"
                                  " WHERE name = 'مطبعة الحكمة'"),
                   1);
  sqlite3_close(raw);
  reopen_from_version(8);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM employer_readings"),
                   1);
  sqlite3_close(raw);
}
END_TEST

START_TEST(index_creates_schema_and_reopens)
{
  index_stats s;
  sqlite3 *raw;
  char *path;

  ck_assert_int_eq(index_integrity_check(db), DAFTAR_OK);
  ck_assert_str_eq(index_archive_dir(db), archive);
  path = file_join(archive, INDEX_DB_NAME);
  ck_assert_int_eq(access(path, F_OK), 0);
  free(path);
  index_close(db);
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
  ck_assert_int_eq(index_stats_get(db, &s), DAFTAR_OK);
  ck_assert_int_eq(s.batches, 1);
  ck_assert_int_eq(s.documents, 0);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "PRAGMA user_version"), 9); /* 7: prefixes */
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM sqlite_master WHERE"
                                  " name IN ('batches','masters','documents',"
                                  "'pages','words','fields','workers',"
                                  "'worker_names','employers','refusals',"
                                  "'events','doc_fts','meta',"
                                  "'worker_name_grams','doc_fts_src',"
                                  "'doc_fts_view')"),
                   16);
  sqlite3_close(raw);
}
END_TEST

START_TEST(index_open_refuses_newer_schema)
{
  sqlite3 *raw;
  struct index_db *other = NULL;

  index_close(db);
  db = NULL;
  raw = raw_open();
  ck_assert_int_eq(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL,
                                NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  ck_assert_int_eq(index_open(archive, &other), DAFTAR_EDB);
  ck_assert_ptr_null(other);
}
END_TEST

START_TEST(index_reopen_rebuilds_search_after_tokenizer_change)
{
  int64_t id = add_text_doc("a.tif", "مُحَمَّد");
  sqlite3 *raw;

  index_close(db);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT value FROM meta"
                                  " WHERE key = 'tokenizer_version'"),
                   1);
  ck_assert_int_eq(sqlite3_exec(raw, "UPDATE meta SET value = '0'", NULL,
                                NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT value FROM meta"
                                  " WHERE key = 'tokenizer_version'"),
                   1);
  sqlite3_close(raw);
  ck_assert(found("محمد", id));
  ck_assert_int_eq(index_search_optimize(db), DAFTAR_OK);
  ck_assert_int_eq(index_search_rebuild(db), DAFTAR_OK);
  ck_assert(found("محمد", id));
}
END_TEST

START_TEST(index_two_handles_share_an_archive)
{
  struct index_db *b = NULL;
  index_stats s;

  ck_assert_int_eq(index_open(archive, &b), DAFTAR_OK);
  add_text_doc("00001/doc-01.tif", "نص");
  ck_assert_int_eq(index_stats_get(b, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  index_close(b);
  index_close(NULL);
}
END_TEST

START_TEST(index_rollback_discards_grouped_writes)
{
  int64_t b2;

  ck_assert_int_eq(index_begin(db), DAFTAR_OK);
  ck_assert_int_eq(index_begin(db), DAFTAR_EINVAL);
  ck_assert_int_eq(index_batch_create(db, "x", NULL, NULL, NULL, &b2),
                   DAFTAR_OK);
  ck_assert_int_eq(index_rollback(db), DAFTAR_OK);
  ck_assert_int_eq(index_batch_get(db, b2, &(index_batch){0}),
                   DAFTAR_ENOTFOUND);
  ck_assert_int_eq(index_commit(db), DAFTAR_EINVAL);
}
END_TEST

/* ---- ingest records ---------------------------------------------------------- */

START_TEST(index_document_pages_ocr_fields_round_trip)
{
  const char *texts[2] = {"استمارة تسجيل عامل مضمون اسم العامل: علي حسن",
                          "الصفحة الثانية"};
  static const char *const kv[] = {"worker_name", "علي حسن",
                                   "worker_ssn",  "123456789",
                                   "birth_date",  "1963-05-01", NULL};
  index_document d, d2;
  daftar_word *w;
  size_t nw, nids;
  int64_t *ids, id;
  char sha[SHA256_HEX_LEN + 1];
  int mp;
  dbuf js = DBUF_INIT;

  id = add_doc("01234/doc-01.tif", "01234", texts, 2);
  ck_assert_int_eq(index_documents_pending_extract(db, 0, &ids, &nids),
                   DAFTAR_OK);
  ck_assert_int_eq(nids, 1);
  ck_assert_int_eq(ids[0], id);
  free(ids);
  ck_assert_int_eq(index_document_words(db, id, &w, &nw), DAFTAR_OK);
  ck_assert_int_eq(nw, 10);
  ck_assert_str_eq(w[0].text, "استمارة");
  ck_assert_int_eq(w[0].page, 1);
  ck_assert_int_eq(w[8].page, 2);
  ck_assert_int_eq(w[0].box.x0, 1000);
  daftar_words_free(w, nw);

  store_fields(id, "registration", kv);
  ck_assert_int_eq(index_documents_pending_extract(db, 0, &ids, &nids),
                   DAFTAR_OK);
  ck_assert_int_eq(nids, 0);
  free(ids);

  ck_assert_int_eq(index_document_get(db, id, &d), DAFTAR_OK);
  ck_assert_str_eq(d.source, "01234/doc-01.tif");
  ck_assert_str_eq(d.file_no, "01234");
  ck_assert_str_eq(d.doc_type, "registration");
  ck_assert_str_eq(d.batch_label, "test batch");
  ck_assert_int_eq(d.page_count, 2);
  ck_assert_int_eq(index_document_find_by_sha(db, d.sha256, &d2), DAFTAR_OK);
  ck_assert_int_eq(d2.id, id);
  index_document_clear(&d2);
  ck_assert_int_eq(index_document_find_by_source(db, "01234/doc-01.tif",
                                                 d.sha256, &d2),
                   DAFTAR_OK);
  index_document_clear(&d2);
  ck_assert_int_eq(index_document_find_by_source(db, "other.tif", d.sha256,
                                                 &d2),
                   DAFTAR_ENOTFOUND);
  ck_assert_int_eq(index_document_page(db, id, 2, sha, &mp), DAFTAR_OK);
  ck_assert_str_eq(sha, d.sha256);
  ck_assert_int_eq(mp, 1);
  ck_assert_int_eq(index_document_page(db, id, 3, sha, &mp),
                   DAFTAR_ENOTFOUND);
  /* The same source in the same batch again is refused. */
  ck_assert_int_eq(index_document_add(db, &d, NULL), DAFTAR_EEXIST);
  index_document_clear(&d);

  ck_assert_int_eq(index_document_json(db, id, &js), DAFTAR_OK);
  assert_json_eq(js.data, "$.doc_type", "registration");
  assert_json_eq(js.data, "$.pages[1].text", "الصفحة الثانية");
  assert_json_eq(js.data, "$.pages[0].width", "2480");
  assert_json_eq(js.data, "$.fields.worker_name.value", "علي حسن");
  assert_json_eq(js.data, "$.fields.worker_name.bbox[2]", "300");
  assert_json_eq(js.data, "$.fields.worker_name.locked", "0");
  assert_json_eq(js.data, "$.worker.ssn", "123456789");
  dbuf_free(&js);
  ck_assert_int_eq(index_document_json(db, 999, &js), DAFTAR_ENOTFOUND);
  dbuf_free(&js);
}
END_TEST

START_TEST(index_batches_refusals_masters_events)
{
  index_batch b = {0}, *list;
  index_refusal *r;
  char **shas;
  size_t n;

  b.id = batch_id;
  b.status = "refusals";
  b.files = 2;
  b.refused = 1;
  ck_assert_int_eq(index_batch_finish(db, &b), DAFTAR_OK);
  ck_assert_int_eq(index_batch_get(db, batch_id, &b), DAFTAR_OK);
  ck_assert_str_eq(b.status, "refusals");
  ck_assert_ptr_nonnull(b.ended);
  ck_assert_int_eq(b.refused, 1);
  index_batch_clear(&b);
  ck_assert_int_eq(index_batch_list(db, &list, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  index_batches_free(list, n);

  ck_assert_int_eq(index_refusal_add(db, batch_id, "x/bad.tif",
                                     "not a TIFF", NULL, "quarantine/ab"),
                   DAFTAR_OK);
  ck_assert_int_eq(index_refusal_add(db, batch_id, NULL, "r", NULL, NULL),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(index_refusal_list(db, batch_id, &r, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_str_eq(r[0].reason, "not a TIFF");
  ck_assert_ptr_null(r[0].sha256);
  index_refusals_free(r, n);

  add_text_doc("a.tif", "x");
  add_text_doc("b.tif", "y");
  ck_assert_int_eq(index_master_put(db, "short", 1, "tiff", 1),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(index_master_list(db, 0, &shas, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(strlen(shas[0]), SHA256_HEX_LEN);
  index_strings_free(shas, n);
  ck_assert_int_eq(index_master_list(db, 1, &shas, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  index_strings_free(shas, n);
  ck_assert_int_eq(index_event_add(db, "ingestion", "success", "tester",
                                   batch_id, "a.tif", NULL),
                   DAFTAR_OK);
}
END_TEST

START_TEST(index_events_are_append_only)
{
  sqlite3 *raw;
  char *msg = NULL;

  ck_assert_int_eq(index_event_add(db, "fixity check", "success", "t", 0,
                                   "abc", "ok"),
                   DAFTAR_OK);
  raw = raw_open();
  ck_assert_int_ne(sqlite3_exec(raw, "UPDATE events SET outcome = 'failure'",
                                NULL, NULL, &msg),
                   SQLITE_OK);
  ck_assert_ptr_nonnull(strstr(msg, "append-only"));
  sqlite3_free(msg);
  msg = NULL;
  ck_assert_int_ne(sqlite3_exec(raw, "DELETE FROM events", NULL, NULL, &msg),
                   SQLITE_OK);
  ck_assert_ptr_nonnull(strstr(msg, "append-only"));
  sqlite3_free(msg);
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM events"
                                  " WHERE outcome = 'success'"),
                   1);
  sqlite3_close(raw);
}
END_TEST

START_TEST(index_failed_page_is_pending_again)
{
  index_page_ref *refs;
  size_t n;
  int64_t id = add_doc("f.tif", "1", NULL, 1);
  index_stats s;

  ck_assert_int_eq(index_pages_pending(db, 0, &refs, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(refs[0].document_id, id);
  ck_assert_int_eq(index_page_mark_failed(db, refs[0].page_id, "engine"),
                   DAFTAR_OK);
  ck_assert_int_eq(index_page_mark_failed(db, 9999, "engine"),
                   DAFTAR_ENOTFOUND);
  index_page_refs_free(refs, n);
  ck_assert_int_eq(index_stats_get(db, &s), DAFTAR_OK);
  ck_assert_int_eq(s.pages_failed, 1);
  ck_assert_int_eq(index_pages_pending(db, 0, &refs, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  index_page_refs_free(refs, n);
}
END_TEST

/* ---- tokenizer ------------------------------------------------------------- */

/* Each pair is two spellings of one word: a document holding either is
 * found by a query in either. */
static const char *const spelling_pairs[][2] = {
    {"علي", "علی"},                 /* Arabic yeh / Persian-Kurdish yeh */
    {"مصطفى", "مصطفي"},             /* alef maksura / yeh */
    {"كريم", "کریم"},               /* Arabic kaf / keheh */
    {"فاطمة", "فاطمه"},             /* teh marbuta / heh */
    {"نامە", "نامه"},               /* Sorani ae / heh */
    {"أحمد", "احمد"},               /* alef with hamza above */
    {"إبراهيم", "ابراهيم"},         /* alef with hamza below */
    {"آمنة", "امنه"},               /* alef madda */
    {"مُحَمَّد", "محمد"},           /* harakat */
    {"محـــمود", "محمود"},          /* tatweel */
    {"١٩٦٣٠٥٠١", "19630501"},       /* Arabic-Indic digits */
    {"۷۸۹۰۱۲", "789012"},           /* Persian digits */
    {"دەست\xE2\x80\x8Cپێکردن", "دەستپێکردن"}, /* ZWNJ joins */
    {"ﻻبد", "لابد"},                /* lam-alef ligature */
};

START_TEST(index_tokenizer_folds_both_directions)
{
  size_t npairs = sizeof(spelling_pairs) / sizeof(spelling_pairs[0]);
  int64_t a[32], b[32];
  char src[32];

  for(size_t i = 0; i < npairs; i++) {
    snprintf(src, sizeof(src), "a%zu.tif", i);
    a[i] = add_text_doc(src, spelling_pairs[i][0]);
    snprintf(src, sizeof(src), "b%zu.tif", i);
    b[i] = add_text_doc(src, spelling_pairs[i][1]);
  }
  for(size_t i = 0; i < npairs; i++) {
    for(int q = 0; q < 2; q++) {
      const char *query = spelling_pairs[i][q];
      ck_assert_msg(found(query, a[i]) && found(query, b[i]),
                    "pair %zu: %s does not find both spellings", i, query);
      ck_assert_msg(count_hits(query) == 2, "pair %zu: %s finds others", i,
                    query);
    }
  }
}
END_TEST

START_TEST(index_tokenizer_keeps_sorani_letters_apart)
{
  /* ێ and ي are different letters in the key: only the skeleton joins them,
   * so the other spelling comes after every exact hit. */
  int64_t a = add_text_doc("a.tif", "بێ");
  int64_t b = add_text_doc("b.tif", "بي");

  ck_assert_int_eq(rank_of("بێ", a), 0);
  ck_assert_int_eq(rank_of("بێ", b), 1);
  ck_assert_int_eq(rank_of("بي", b), 0);
  ck_assert_int_eq(rank_of("بي", a), 1);
  /* Words split at punctuation, and ASCII is lowercased. */
  a = add_text_doc("c.tif", "رقم:123،عنوان FOO-bar");
  ck_assert(found("123", a));
  ck_assert(found("عنوان", a));
  ck_assert(found("foo", a));
  ck_assert(found("BAR", a));
}
END_TEST

START_TEST(index_tokenizer_indexes_words_without_the_article)
{
  int64_t a = add_text_doc("a.tif", "موظف في الشركة العامة للنفط وبالعمل");
  int64_t b = add_text_doc("b.tif", "عبد الله");

  ck_assert(found("شركة", a));
  ck_assert(found("الشركة", a));
  ck_assert(found("نفط", a));
  ck_assert(found("عمل", a));
  ck_assert(found("\"شركة عامة\"", a)); /* same positions: phrases hold */
  ck_assert(found("شرکه", a));            /* with folding */
  ck_assert(found("سركة", a));            /* and the skeleton fallback */
  /* Too short a rest stays whole: الله is not indexed as له. */
  ck_assert(found("الله", b));
  ck_assert_int_eq(count_hits("له"), 0);
  /* A query with the article asks for it. */
  add_text_doc("c.tif", "شركة صغيرة");
  ck_assert_int_eq(count_hits("الشركة"), 1);
  ck_assert_int_eq(count_hits("شركة"), 2);
}
END_TEST

START_TEST(index_tokenizer_joins_and_splits_name_compounds)
{
  int64_t a = add_text_doc("a.tif", "عبد الله حسن");
  int64_t b = add_text_doc("b.tif", "عبدالله كريم");
  int64_t c = add_text_doc("c.tif", "أبوبكر");

  ck_assert(found("عبدالله", a) && found("عبدالله", b));
  ck_assert(found("عبد الله", a) && found("عبد الله", b));
  ck_assert(found("ابو بكر", c));
  ck_assert(found("عبدالله حسن", a) && !found("عبدالله حسن", b));
  ck_assert_int_eq(count_hits("\"عبد الله\""), 1); /* a phrase as written */
  ck_assert(found("عبداللة", b)); /* with folding (teh marbuta) */
  ck_assert(found("عتدالله", a)); /* and the skeleton fallback (ب read as ت) */
}
END_TEST

START_TEST(index_snippet_marks_original_text)
{
  index_hit *h;
  size_t n;

  add_text_doc("a.tif", "الاسم: مُحَمَّد علي [ملاحظة]");
  ck_assert_int_eq(index_search(db, "محمد", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_msg(strstr(h[0].snippet, "[مُحَمَّد]") != NULL, "snippet: %s",
                h[0].snippet);
  /* The text's own brackets are not markers. */
  ck_assert_ptr_nonnull(strstr(h[0].snippet, "\xEF\xBC\xBBملاحظة"));
  index_hits_free(h, n);
  ck_assert_int_eq(index_search(db, "١٢", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 0);
  index_hits_free(h, n);
  add_text_doc("b.tif", "رقم ١٢٣ هنا");
  ck_assert_int_eq(index_search(db, "123", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_msg(strstr(h[0].snippet, "[١٢٣]") != NULL, "snippet: %s",
                h[0].snippet);
  index_hits_free(h, n);
}
END_TEST

/* ---- search ---------------------------------------------------------------- */

START_TEST(index_search_survives_hostile_queries)
{
  static const char *const hostile[] = {
      "\"unbalanced", "NEAR(", "\"*\"", "*", "", "   ", "(((", ")",
      "a OR", "AND", "NOT", "NOT near", "x:y", "^", "-", "\"\"\"\"",
      "doc_fts", "names : x", "{names ids} : x", "'; DROP TABLE documents; --",
      "\xEE\x80\x80محمد", "near*", "ssn:\"", "name:\"", "محمد\"*",
      "\x01\x02", "a\tb\nc",
  };
  index_stats s;
  int64_t near_doc = add_text_doc("n.tif", "near the gate محمد");

  for(size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
    index_hit *h = NULL;
    size_t n = 0;
    int rc = index_search(db, hostile[i], 10, 0, &h, &n);
    ck_assert_msg(rc == DAFTAR_OK || rc == DAFTAR_EINVAL,
                  "query %zu: rc %d (%s)", i, rc, index_errmsg(db));
    if(rc == DAFTAR_EINVAL) {
      ck_assert_msg(strstr(index_errmsg(db), "fts5") == NULL &&
                        strstr(index_errmsg(db), "syntax") == NULL &&
                        strstr(index_errmsg(db), "SQL") == NULL,
                    "query %zu leaks: %s", i, index_errmsg(db));
    }
    index_hits_free(h, n);
  }
  /* FTS5 keywords are plain words. */
  ck_assert(found("NEAR(", near_doc));
  ck_assert(found("near*", near_doc));
  ck_assert_int_eq(index_search(db, "", 10, 0, &(index_hit *){NULL},
                                &(size_t){0}),
                   DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "no searchable words"));
  ck_assert_int_eq(index_search(db, "\xff\xfe", 10, 0, &(index_hit *){NULL},
                                &(size_t){0}),
                   DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "UTF-8"));
  /* A one-letter prefix (alone or ending a phrase) is refused: it would
   * merge the doclists of a large share of all words. */
  ck_assert_int_eq(index_search(db, "م*", 10, 0, &(index_hit *){NULL},
                                &(size_t){0}),
                   DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "at least 2 letters"));
  ck_assert_int_eq(index_search(db, "\"محمد ع\"*", 10, 0,
                                &(index_hit *){NULL}, &(size_t){0}),
                   DAFTAR_EINVAL);
  ck_assert(found("مح*", near_doc));
  ck_assert_int_eq(index_stats_get(db, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(index_integrity_check(db), DAFTAR_OK);
}
END_TEST

START_TEST(index_search_random_queries_never_fail_raw)
{
  /* Pieces that stress the parser: FTS5 syntax, filters, marks, digits. */
  static const char *const pieces[] = {
      "\"", "*", "(", ")", ":", " ", "  ", "NEAR", "OR", "AND", "NOT", "^",
      "-", "+", "{", "}", "ssn:", "nid:", "born:", "file:", "employer:",
      "name:", "type:", "1963", "..", "١٢٣", "محمد", "عبد", "الله", "ی",
      "\xEE\x80\x80", "\xE2\x80\x8C", "\xD9\x8E", "ـ", "a", "Z", "9",
      "'", ";", "\\", "%", "_", "~", "[", "]", ".",
      "start:", "end:", "date:", "2010-03", "-13", "..2015", "2010..",
  };
  size_t np = sizeof(pieces) / sizeof(pieces[0]);
  uint64_t x = 0x2545F4914F6CDD1DULL;
  char q[512];

  add_text_doc("a.tif", "محمد عبد الله 1963 near");
  for(int i = 0; i < 3000; i++) {
    size_t len = 0;
    int k;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    k = (int)(x % 12);
    q[0] = '\0';
    for(int j = 0; j < k; j++) {
      const char *p = pieces[(x >> (j * 5)) % np];
      size_t pl = strlen(p);
      if(len + pl >= sizeof(q))
        break;
      memcpy(q + len, p, pl + 1);
      len += pl;
    }
    {
      index_hit *h = NULL;
      size_t n = 0;
      int rc = index_search(db, q, 5, 0, &h, &n);
      ck_assert_msg(rc == DAFTAR_OK || rc == DAFTAR_EINVAL,
                    "query \"%s\": rc %d (%s)", q, rc, index_errmsg(db));
      index_hits_free(h, n);
    }
  }
}
END_TEST

START_TEST(index_search_handles_megabyte_queries)
{
  size_t big = 1024 * 1024;
  char *q = malloc(big + 1);
  index_hit *h = NULL;
  size_t n = 0;
  int64_t id = add_text_doc("a.tif", "محمد");
  int rc;

  /* One enormous word: cut at INDEX_QUERY_MAX bytes, searched. */
  for(size_t i = 0; i + 2 <= big; i += 2)
    memcpy(q + i, "\xd9\x85", 2); /* م */
  q[big] = '\0';
  rc = index_search(db, q, 10, 0, &h, &n);
  ck_assert_int_eq(rc, DAFTAR_OK);
  index_hits_free(h, n);
  /* Many words: a clear refusal. */
  for(size_t i = 0; i + 6 <= big; i += 6)
    memcpy(q + i, "\xd9\x85\xd8\xad ", 5), q[i + 5] = ' ';
  rc = index_search(db, q, 10, 0, &h, &n);
  ck_assert_int_eq(rc, DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "too many terms"));
  /* A long query that starts with a real word still finds it. */
  memcpy(q, "محمد ", strlen("محمد "));
  memset(q + strlen("محمد "), ' ', big - strlen("محمد "));
  ck_assert(found(q, id));
  free(q);
}
END_TEST

START_TEST(index_search_phrases_and_prefixes)
{
  int64_t a = add_text_doc("a.tif", "عبد الله حسن كريم");
  int64_t b = add_text_doc("b.tif", "حسن عبد الله");

  ck_assert_int_eq(count_hits("\"عبد الله حسن\""), 1);
  ck_assert(found("\"عبد الله حسن\"", a));
  ck_assert(found("\"الله حسن\"", a));
  ck_assert(!found("\"الله حسن\"", b));
  ck_assert(found("كري*", a));
  ck_assert(found("\"حسن كر\"*", a));
  ck_assert_int_eq(count_hits("عبد حسن"), 2);
  ck_assert_int_eq(count_hits("عبد زيد"), 0);
}
END_TEST

START_TEST(index_search_pages_with_limit_and_offset)
{
  index_hit *h;
  size_t n;
  int64_t seen[3];

  for(int i = 0; i < 3; i++) {
    char src[16];
    snprintf(src, sizeof(src), "%d.tif", i);
    add_text_doc(src, "كلمة");
  }
  ck_assert_int_eq(index_search(db, "كلمة", 2, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  seen[0] = h[0].doc_id;
  seen[1] = h[1].doc_id;
  index_hits_free(h, n);
  ck_assert_int_eq(index_search(db, "كلمة", 2, 2, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  seen[2] = h[0].doc_id;
  index_hits_free(h, n);
  ck_assert(seen[2] != seen[0] && seen[2] != seen[1]);
  /* Out-of-range limits are clamped, not errors. */
  ck_assert_int_eq(index_search(db, "كلمة", 0, -5, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 3);
  index_hits_free(h, n);
  ck_assert_int_eq(index_search(db, "كلمة", 1 << 30, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 3);
  index_hits_free(h, n);
}
END_TEST

START_TEST(index_search_field_filters)
{
  static const char *const kv_a[] = {
      "worker_name", "علي حسن",         "worker_ssn",      "111222333",
      "national_id", "19630000001",     "birth_date",      "1963-05-01",
      "employer_number", "5555",        "employer_name",   "شركة النفط",
      NULL};
  static const char *const kv_b[] = {
      "worker_name", "محمد علي",        "worker_ssn",      "444555666",
      "national_id", "19700000002",     "birth_date",      "1970-12-31",
      "employer_name", "معمل الاسمنت",  NULL};
  const char *ta[1] = {"استمارة تسجيل"};
  const char *tb[1] = {"إشعار ترك العمل"};
  int64_t a = add_doc("00001/doc-01.tif", "00001", ta, 1);
  int64_t b = add_doc("00002/doc-01.tif", "00002", tb, 1);
  int64_t ids[16];
  size_t n;

  store_fields(a, "registration", kv_a);
  store_fields(b, "termination", kv_b);
  ck_assert(found("ssn:111222333", a) && !found("ssn:111222333", b));
  ck_assert(found("ssn:١١١٢٢٢٣٣٣", a));
  ck_assert(found("nid:19700000002", b) && !found("nid:19700000002", a));
  ck_assert(found("file:00002", b) && count_hits("file:00002") == 1);
  ck_assert(found("born:1963", a) && count_hits("born:1963") == 1);
  ck_assert(found("born:1963-05", a) && count_hits("born:1963-05") == 1);
  ck_assert(found("born:1970-12-31", b) && !found("born:1970-12-31", a));
  ck_assert_int_eq(count_hits("born:1960..1975"), 2);
  ck_assert_int_eq(count_hits("born:1964..1969"), 0);
  ck_assert(found("type:termination", b) &&
            count_hits("type:termination") == 1);
  ck_assert(found("employer:5555", a) && count_hits("employer:5555") == 1);
  ck_assert(found("employer:الاسمنت", b) &&
            count_hits("employer:الاسمنت") == 1);
  ck_assert(found("name:علي", a) && found("name:علي", b));
  ck_assert_int_eq(count_hits("علي ssn:444555666"), 1);
  ck_assert(found("ssn: 444555666", b) && count_hits("SSN: 444555666") == 1);
  ck_assert(found("name:عل*", a) && found("employer:\"معمل ال\"*", b));
  ck_assert_int_eq(count_hits("حسن ssn:444555666"), 0);
  /* The SSN and national ID are found as plain words too (ids column). */
  ck_assert(found("111222333", a));
  /* Names rank above a word that only occurs in text. */
  ck_assert_int_eq(search("علي", ids, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(search("born:abc", ids, &n), DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "born:"));
  ck_assert_int_eq(search("ssn:", ids, &n), DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "needs a value"));
  ck_assert_int_eq(search("type:letter", ids, &n), DAFTAR_EINVAL);
  ck_assert_int_eq(search("ssn:---", ids, &n), DAFTAR_EINVAL);
}
END_TEST

START_TEST(index_search_ranks_names_above_text)
{
  static const char *const kv[] = {"worker_name", "سعيد جبار", "worker_ssn",
                                   "777", NULL};
  int64_t text_only = add_text_doc("a.tif", "ذكر سعيد في النص فقط مع كلمات كثيرة");
  int64_t named = add_text_doc("b.tif", "استمارة");
  int64_t ids[16];
  size_t n;

  store_fields(named, "registration", kv);
  ck_assert_int_eq(search("سعيد", ids, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(ids[0], named);
  ck_assert_int_eq(ids[1], text_only);
}
END_TEST

/* Ranking weighs a term by how rare it is (daftar_rank, with frequencies
 * from search's walks): a page with the rare word twice ranks above a page
 * as long with the common word four times and the rare one once.  Were the
 * terms weighed alike, the second page would win. */
START_TEST(index_search_weighs_rare_terms_above_common_ones)
{
  int64_t common_heavy =
      add_text_doc("a.tif", "العمل العمل العمل العمل قرار كلمة");
  int64_t rare_heavy = add_text_doc("b.tif", "العمل قرار قرار كلمة كلمة كلمة");
  int64_t ids[16];
  size_t n;

  for(int i = 0; i < 8; i++) {
    char src[32];
    snprintf(src, sizeof(src), "c%d.tif", i);
    add_text_doc(src, "العمل كلمة");
  }
  ck_assert_int_eq(search("العمل قرار", ids, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(ids[0], rare_heavy);
  ck_assert_int_eq(ids[1], common_heavy);
  ck_assert_int_eq(search("قرار العمل", ids, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(ids[0], rare_heavy);
}
END_TEST

START_TEST(index_search_skeleton_fallback_finds_dot_errors)
{
  int64_t a = add_text_doc("a.tif", "الاسم حسين جعفر");
  int64_t b = add_text_doc("b.tif", "كلمة حسبن اخرى");
  index_hit *h;
  size_t n;

  /* OCR read ي as ب: the exact key finds that spelling first, the
   * skeleton the correct one behind it... */
  ck_assert_int_eq(rank_of("حسبن", b), 0);
  ck_assert_int_eq(rank_of("حسبن", a), 1);
  /* ...and a dot error with no exact match falls back to the skeleton. */
  ck_assert(found("حسىن", a)); /* alef maksura folds to yeh: exact */
  ck_assert(found("جسين", a)); /* ج for ح */
  ck_assert(found("خسبن جعفر", a));
  ck_assert_int_eq(index_search(db, "جعقر", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_msg(strstr(h[0].snippet, "[جعفر]") != NULL, "snippet %s",
                h[0].snippet);
  index_hits_free(h, n);
  /* Prefixes work on skeletons too. */
  ck_assert(found("جعق*", a));
  /* Unrelated words stay unfound. */
  ck_assert_int_eq(count_hits("سلمان"), 0);
}
END_TEST

/* The skeleton fallback ranks only its newest 1,000 matches (skeleton
 * keys collide, so their doclists are long): a name match older than
 * that is not ranked first, as it is when the spelling is exact. */
START_TEST(index_search_skeleton_fallback_ranks_newest_matches)
{
  static const char *const kv[] = {"worker_name", "حسين جعفر", "worker_ssn",
                                    "31", NULL};
  int64_t named = add_text_doc("named.tif", "استمارة");
  int64_t ids[16];
  size_t n;

  store_fields(named, "registration", kv);
  ck_assert_int_eq(index_begin(db), DAFTAR_OK);
  for(int i = 0; i < 1000; i++) {
    char src[32];
    snprintf(src, sizeof(src), "t%04d.tif", i);
    add_text_doc(src, "ذكر حسين في نص طويل بكلمات كثيرة اخرى");
  }
  ck_assert_int_eq(index_commit(db), DAFTAR_OK);
  ck_assert_int_eq(rank_of("حسين", named), 0); /* exact: all ranked */
  ck_assert_int_eq(search("جسين", ids, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 16);
  ck_assert_int_eq(rank_of("جسين", named), -1); /* not in the newest 1,000 */
}
END_TEST

/* A short page of exact prefix hits is filled up with skeleton hits only
 * when a prefix index covers the skeleton prefix ('~' and up to 2
 * letters); a longer one is tried on skeletons only when nothing exact
 * matched. */
START_TEST(index_search_skeleton_supplement_of_prefixes)
{
  int64_t a = add_text_doc("a.tif", "بتسام");
  int64_t b = add_text_doc("b.tif", "تتسام"); /* ت for ب: same skeleton */

  ck_assert_int_eq(count_hits("بت*"), 2);
  ck_assert_int_eq(rank_of("بت*", a), 0);
  ck_assert_int_eq(rank_of("بت*", b), 1);
  ck_assert_int_eq(count_hits("بتس*"), 1);
  ck_assert(found("بتس*", a));
  ck_assert_int_eq(count_hits("نتس*"), 2); /* no exact match: skeleton */
}
END_TEST

/* The viewer's grouped answer keeps the skeleton supplement: a worker
 * whose documents OCR read with a dot error shows after the exact ones. */
START_TEST(index_search_grouped_adds_skeleton_only_workers)
{
  static const char *const kv_a[] = {"worker_name", "حسين جعفر",
                                     "worker_ssn", "5101", NULL};
  static const char *const kv_b[] = {"worker_name", "حسبن جعفر",
                                     "worker_ssn", "5202", NULL};
  int64_t a = add_text_doc("a.tif", "الاسم حسين جعفر");
  int64_t b = add_text_doc("b.tif", "الاسم حسبن جعفر");
  index_group *g;
  size_t ng;

  store_fields(a, "registration", kv_a);
  store_fields(b, "registration", kv_b);
  /* حسبن exactly: worker 5202 first, then 5101 found by the skeleton. */
  ck_assert_int_eq(index_search_grouped(db, "حسبن", 10, 0, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 2);
  ck_assert_str_eq(g[0].ssn, "5202");
  ck_assert_str_eq(g[1].ssn, "5101");
  ck_assert_int_eq(g[1].hits[0].doc_id, a);
  ck_assert(g[1].score > g[0].score);
  ck_assert_msg(strstr(g[1].hits[0].snippet, "[حسين]") != NULL, "snippet %s",
                g[1].hits[0].snippet);
  index_groups_free(g, ng);
  /* Paging reaches the skeleton group on its own. */
  ck_assert_int_eq(index_search_grouped(db, "حسبن", 1, 1, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 1);
  ck_assert_str_eq(g[0].ssn, "5101");
  index_groups_free(g, ng);
}
END_TEST

START_TEST(index_search_lone_number_one_digit_off)
{
  static const char *const kv[] = {"worker_name", "سالار", "worker_ssn",
                                   "3922738168", NULL};
  int64_t id = add_text_doc("a.tif", "فۆرم");
  int64_t other = add_text_doc("b.tif", "3922738160 نص");
  index_hit *h;
  size_t n;

  store_fields(id, "registration", kv);
  ck_assert(found("3922738168", id));
  /* An exact hit elsewhere wins: no neighbours are added. */
  ck_assert(found("3922738160", other) && !found("3922738160", id));
  ck_assert(found("3922738186", id));   /* two digits swapped */
  ck_assert(found("392273868", id));    /* a digit dropped */
  ck_assert(found("39227381688", id));  /* a digit added */
  ck_assert(found("٣٩٢٢٧٣٨١٦٩", id));  /* replaced, Arabic-Indic */
  ck_assert_int_eq(count_hits("3922731111"), 0);
  /* Filters stay exact. */
  ck_assert_int_eq(count_hits("ssn:3922738186"), 0);
  ck_assert_int_eq(index_search(db, "3922738186", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_str_eq(h[0].snippet, "[3922738168]");
  index_hits_free(h, n);
}
END_TEST

START_TEST(index_search_fuzzy_names_beyond_dots)
{
  static const char *const kv1[] = {"worker_name", "كاظم جواد", "worker_ssn",
                                    "11", NULL};
  static const char *const kv2[] = {"worker_name", "عبدالرحمن يوسف",
                                    "worker_ssn", "22", NULL};
  int64_t a = add_text_doc("a.tif", "استمارة");
  int64_t b = add_text_doc("b.tif", "استمارة");
  index_hit *h;
  size_t n;

  store_fields(a, "registration", kv1);
  store_fields(b, "registration", kv2);
  /* ض for ظ is not a dot error (different skeletons): only the edit
   * distance finds it. */
  ck_assert_int_eq(index_search(db, "كاضم جواد", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 1);
  ck_assert_int_eq(h[0].doc_id, a);
  ck_assert_str_eq(h[0].snippet, "[كاظم جواد]");
  ck_assert(h[0].score >= 1000.0);
  index_hits_free(h, n);
  ck_assert(found("عبدالرحمان", b));    /* a letter added */
  ck_assert(found("عبدالرحمن يوسب", b)); /* ف read as ب */
  ck_assert_int_eq(count_hits("سلمان"), 0);
  ck_assert_int_eq(count_hits("كاضم زيد"), 0); /* every part must fit */
  ck_assert_int_eq(count_hits("كاضم ssn:11"), 0); /* filters stay exact */
}
END_TEST

/* Schema step 7 makes the search table again with prefix indexes and
 * indexes every document again; run over its own result (user_version
 * rewound), it leaves the same answers. */
START_TEST(index_migration_adds_prefix_indexes)
{
  int64_t a = add_text_doc("a.tif", "كريم عبدالله مصطفى");
  int64_t b = add_text_doc("b.tif", "كرمانشاه");
  sqlite3 *raw = raw_open();

  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM sqlite_master"
                                  " WHERE name = 'doc_fts'"
                                  " AND sql LIKE '%prefix = ''2 3''%'"),
                   1);
  sqlite3_close(raw);
  reopen_from_version(6);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "PRAGMA user_version"), 9);
  /* Every document has its search row again. */
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM doc_fts_docsize"), 2);
  sqlite3_close(raw);
  ck_assert_int_eq(count_hits("كر*"), 2); /* a prefix index's length */
  ck_assert(found("كري*", a));
  ck_assert(found("كرما*", b));
  ck_assert(found("مصطفى", a));
  ck_assert(!found("مصطفى", b));
}
END_TEST

START_TEST(index_migration_backfills_name_trigrams)
{
  static const char *const kv[] = {"worker_name", "كاظم جواد", "worker_ssn",
                                   "11", NULL};
  int64_t a = add_text_doc("a.tif", "استمارة");
  sqlite3 *raw;

  store_fields(a, "registration", kv);
  index_close(db);
  raw = raw_open();
  ck_assert_int_eq(sqlite3_exec(raw, "DROP TABLE worker_name_grams;"
                                     "PRAGMA user_version = 1",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
  ck_assert(found("كاضم جواد", a));
  /* Schema 4 ran again over its own result: text and names searchable. */
  ck_assert(found("استمارة", a) && found("كاظم", a));
}
END_TEST

START_TEST(index_text_is_searchable_after_ocr_alone)
{
  int64_t id = add_text_doc("a.tif", "ناوی کرێکار: ئاراس");
  ck_assert(found("ئاراس", id));
  ck_assert(found("ناوي", id));
}
END_TEST

START_TEST(index_hits_json_format)
{
  static const char *const kv[] = {"worker_name", "علي \"حسن\"", "worker_ssn",
                                   "123", NULL};
  int64_t a = add_text_doc("a.tif", "علي هنا");
  int64_t b = add_text_doc("b.tif", "علي هناك");
  index_hit *h;
  size_t n;
  dbuf js = DBUF_INIT;
  char path[64];

  store_fields(a, "registration", kv);
  ck_assert_int_eq(index_search(db, "علي", 10, 0, &h, &n), DAFTAR_OK);
  ck_assert_int_eq(n, 2);
  ck_assert_int_eq(index_hits_json(h, n, &js), DAFTAR_OK);
  ck_assert_msg(strncmp(js.data, "{\"results\": [", 13) == 0, "%s", js.data);
  for(size_t i = 0; i < n; i++) {
    char *id;
    snprintf(path, sizeof(path), "$.results[%zu].id", i);
    id = json_get(js.data, path);
    snprintf(path, sizeof(path), "$.results[%zu].worker", i);
    if(strtoll(id, NULL, 10) == b) {
      assert_json_eq(js.data, path, NULL);
    }
    else {
      snprintf(path, sizeof(path), "$.results[%zu].worker.name", i);
      assert_json_eq(js.data, path, "علي \"حسن\"");
      snprintf(path, sizeof(path), "$.results[%zu].source", i);
      assert_json_eq(js.data, path, "a.tif");
      snprintf(path, sizeof(path), "$.results[%zu].doc_type", i);
      assert_json_eq(js.data, path, "registration");
      snprintf(path, sizeof(path), "$.results[%zu].file_no", i);
      assert_json_eq(js.data, path, "00001");
    }
    free(id);
  }
  index_hits_free(h, n);
  dbuf_reset(&js);
  ck_assert_int_eq(index_hits_json(NULL, 0, &js), DAFTAR_OK);
  ck_assert_str_eq(js.data, "{\"results\": []}");
  dbuf_free(&js);
}
END_TEST

/* ---- fields, corrections, workers ------------------------------------------ */

START_TEST(index_correction_locks_field)
{
  static const char *const kv1[] = {"worker_name", "علي حسن", "worker_ssn",
                                    "123", NULL};
  static const char *const kv2[] = {"worker_name", "على حسين", "worker_ssn",
                                    "123", NULL};
  int64_t id = add_text_doc("a.tif", "نص");
  dbuf js = DBUF_INIT;
  sqlite3 *raw;

  store_fields(id, "registration", kv1);
  ck_assert_int_eq(index_field_correct(db, id, "worker_name", "علي حسين",
                                       "archivist1"),
                   DAFTAR_OK);
  store_fields(id, "registration", kv2); /* re-extraction */
  ck_assert_int_eq(index_document_json(db, id, &js), DAFTAR_OK);
  assert_json_eq(js.data, "$.fields.worker_name.value", "علي حسين");
  assert_json_eq(js.data, "$.fields.worker_name.old_value", "علي حسن");
  assert_json_eq(js.data, "$.fields.worker_name.corrected_by", "archivist1");
  assert_json_eq(js.data, "$.fields.worker_name.locked", "1");
  dbuf_free(&js);
  ck_assert(found("name:حسين", id));
  ck_assert_int_eq(index_field_correct(db, id, "birth_date", "1963/05/01",
                                       "a"),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(index_field_correct(db, id, "birth_date", "١٩٦٣-٠٥-٠١",
                                       "a"),
                   DAFTAR_OK);
  ck_assert_int_eq(index_field_correct(db, id, "no_such", "x", "a"),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(index_field_correct(db, id, "worker_name", "x", NULL),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(index_field_correct(db, 999, "worker_name", "x", "a"),
                   DAFTAR_ENOTFOUND);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM events WHERE type ="
                                  " 'metadata modification'"),
                   2);
  sqlite3_close(raw);
}
END_TEST

START_TEST(index_candidates_are_kept_apart)
{
  daftar_field f[3];
  int64_t id = add_text_doc("a.tif", "رسالة");
  dbuf js = DBUF_INIT;

  memset(f, 0, sizeof(f));
  snprintf(f[0].name, sizeof(f[0].name), "worker_name");
  f[0].value = "سعاد";
  f[0].candidate = 1;
  snprintf(f[1].name, sizeof(f[1].name), "worker_name");
  f[1].value = "كاظم";
  snprintf(f[2].name, sizeof(f[2].name), "worker_name");
  f[2].value = "زينب";
  f[2].candidate = 1;
  ck_assert_int_eq(index_document_store_fields(db, id, "other", f, 3),
                   DAFTAR_OK);
  ck_assert_int_eq(index_document_json(db, id, &js), DAFTAR_OK);
  assert_json_eq(js.data, "$.fields.worker_name.value", "كاظم");
  assert_json_eq(js.data, "$.candidates[0].value", "سعاد");
  assert_json_eq(js.data, "$.candidates[1].value", "زينب");
  dbuf_free(&js);
  ck_assert_int_eq(index_document_store_fields(db, id, "letter", f, 3),
                   DAFTAR_EINVAL);
}
END_TEST

START_TEST(index_worker_found_by_ssn_and_national_id)
{
  static const char *const kv1[] = {
      "worker_name", "علي حسن", "worker_ssn", "111", "national_id", "900",
      "start_date", "1990-01-01", "employer_name", "شركة", "employer_number",
      "42", "monthly_wage", "450000", NULL};
  static const char *const kv2[] = {
      "worker_name", "علی حسن", "national_id", "900", "start_date",
      "1980-06-01", "end_date", "1989-12-31", NULL};
  int64_t d1 = add_text_doc("a.tif", "تسجيل");
  int64_t d2 = add_text_doc("b.tif", "ترك");
  dbuf js = DBUF_INIT, txt = DBUF_INIT;

  store_fields(d1, "registration", kv1);
  store_fields(d2, "termination", kv2);
  ck_assert_int_eq(index_worker_json(db, "111", &js), DAFTAR_OK);
  assert_json_eq(js.data, "$.ssn", "111");
  assert_json_eq(js.data, "$.national_id", "900");
  assert_json_eq(js.data, "$.name", "علي حسن");
  ck_assert_ptr_nonnull(strstr(js.data, "علی حسن")); /* the variant */
  /* Sorted by start date: the 1980 document first. */
  {
    char want[32];
    snprintf(want, sizeof(want), "%lld", (long long)d2);
    assert_json_eq(js.data, "$.documents[0].id", want);
  }
  assert_json_eq(js.data, "$.documents[1].employer_name", "شركة");
  assert_json_eq(js.data, "$.documents[1].monthly_wage", "450000");
  assert_json_eq(js.data, "$.documents[0].end_date", "1989-12-31");
  dbuf_reset(&js);
  ck_assert_int_eq(index_worker_json(db, "٩٠٠", &js), DAFTAR_OK);
  assert_json_eq(js.data, "$.ssn", "111");
  dbuf_free(&js);
  ck_assert_int_eq(index_worker_text(db, "900", &txt), DAFTAR_OK);
  ck_assert_ptr_nonnull(strstr(txt.data, "SSN:          111"));
  ck_assert_ptr_nonnull(strstr(txt.data, "b.tif"));
  dbuf_free(&txt);
  ck_assert_int_eq(index_worker_json(db, "222", &js), DAFTAR_ENOTFOUND);
  ck_assert_int_eq(index_worker_json(db, "-", &js), DAFTAR_EINVAL);
  dbuf_free(&js);
}
END_TEST

START_TEST(index_worker_first_known_by_national_id_gains_ssn)
{
  static const char *const kv1[] = {"worker_name", "ئاراس", "national_id",
                                    "555", NULL};
  static const char *const kv2[] = {"worker_name", "ئاراس", "national_id",
                                    "555", "worker_ssn", "999", NULL};
  int64_t d1 = add_text_doc("a.tif", "x");
  int64_t d2 = add_text_doc("b.tif", "y");
  dbuf js = DBUF_INIT;
  index_stats s;

  store_fields(d1, "registration", kv1);
  store_fields(d2, "wage_change", kv2);
  ck_assert_int_eq(index_stats_get(db, &s), DAFTAR_OK);
  ck_assert_int_eq(s.workers, 1);
  ck_assert_int_eq(index_worker_json(db, "999", &js), DAFTAR_OK);
  ck_assert_ptr_nonnull(strstr(js.data, "\"a.tif\""));
  ck_assert_ptr_nonnull(strstr(js.data, "\"b.tif\""));
  dbuf_free(&js);
}
END_TEST

/* ---- export ------------------------------------------------------------------ */

START_TEST(index_export_lines_parse_back)
{
  static const char *const kv[] = {"worker_name", "علي حسن", "worker_ssn",
                                   "123456", "birth_date", "1963-05-01", NULL};
  const char *texts[2] = {"صفحة \"أولى\"\nسطر", "ثانية"};
  int64_t id = add_doc("01234/doc-01.tif", "01234", texts, 2);
  char *buf = NULL, *line2;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  int64_t dup;
  index_document d = {0}, orig;

  store_fields(id, "registration", kv);
  /* The same scan again in another folder: a duplicate without pages. */
  ck_assert_int_eq(index_document_get(db, id, &orig), DAFTAR_OK);
  d.batch_id = batch_id;
  d.source = "09999/copy.tif";
  d.file_no = "09999";
  d.sha256 = orig.sha256;
  d.duplicate_of = id;
  ck_assert_int_eq(index_document_add(db, &d, &dup), DAFTAR_OK);
  index_document_clear(&orig);

  ck_assert_int_eq(index_export_jsonl(db, f), DAFTAR_OK);
  fclose(f);
  line2 = strchr(buf, '\n');
  ck_assert_ptr_nonnull(line2);
  *line2++ = '\0';
  ck_assert_ptr_nonnull(strchr(line2, '\n'));
  *strchr(line2, '\n') = '\0';
  assert_json_eq(buf, "$.source", "01234/doc-01.tif");
  assert_json_eq(buf, "$.file_no", "01234");
  assert_json_eq(buf, "$.batch", "test batch");
  assert_json_eq(buf, "$.doc_type", "registration");
  assert_json_eq(buf, "$.pages[0].n", "1");
  assert_json_eq(buf, "$.pages[0].text", "صفحة \"أولى\"\nسطر");
  assert_json_eq(buf, "$.pages[0].confidence", "87.5");
  assert_json_eq(buf, "$.pages[1].text", "ثانية");
  assert_json_eq(buf, "$.fields.worker_name.value", "علي حسن");
  assert_json_eq(buf, "$.fields.worker_name.confidence", "91.0");
  assert_json_eq(buf, "$.fields.worker_name.page", "1");
  assert_json_eq(buf, "$.fields.worker_name.bbox", "[100,200,300,240]");
  assert_json_eq(buf, "$.fields.birth_date.value", "1963-05-01");
  assert_json_eq(buf, "$.duplicate_of", NULL);
  assert_json_eq(line2, "$.source", "09999/copy.tif");
  assert_json_eq(line2, "$.duplicate_of.source", "01234/doc-01.tif");
  assert_json_eq(line2, "$.fields.worker_ssn.value", "123456");
  assert_json_eq(line2, "$.pages[1].text", "ثانية");
  free(buf);
}
END_TEST


/* ---- grouping, date ranges, storage, bulk loading (issue 6, 2nd pass) ---- */

/* Ids of a query's hits in order (up to 16), with their scores. */
static size_t ranked_ids(const char *q, int limit, int offset, int64_t *ids,
                         double *scores)
{
  index_hit *h = NULL;
  size_t n = 0;

  ck_assert_int_eq(index_search(db, q, limit, offset, &h, &n), DAFTAR_OK);
  ck_assert_uint_le(n, 16);
  for(size_t i = 0; i < n; i++) {
    ids[i] = h[i].doc_id;
    if(scores)
      scores[i] = h[i].score;
  }
  index_hits_free(h, n);
  return n;
}

START_TEST(index_search_groups_documents_by_worker)
{
  static const char *const kv_a[] = {"worker_name", "كريم ناصر",
                                     "worker_ssn", "111", NULL};
  static const char *const kv_b[] = {"worker_name", "سامان عزيز",
                                     "mother_name", "زيباري",
                                     "worker_ssn", "222", NULL};
  static const char *const kv_b2[] = {"worker_name", "سامان عزيز",
                                      "worker_ssn", "222", NULL};
  /* b1: the word in the names column (weight 10): best of all.  a1: the
   * word three times in a short text.  b2: once in a long text: worse
   * than a1, yet it must come right after b1, with its worker.  Ten
   * documents without the word give it a weight (bm25's IDF). */
  int64_t b1 = add_text_doc("b1.tif", "طلب نقل");
  int64_t a1 = add_text_doc("a1.tif", "زيباري زيباري زيباري");
  int64_t b2 = add_text_doc("b2.tif",
                            "زيباري كلمة كلمة كلمة كلمة كلمة كلمة كلمة كلمة"
                            " كلمة كلمة كلمة كلمة كلمة كلمة كلمة كلمة كلمة");
  int64_t a2 = add_text_doc("a2.tif",
                            "زيباري نص نص نص نص نص نص نص نص نص نص نص نص نص"
                            " نص نص نص نص نص نص نص نص نص نص نص نص نص نص");
  int64_t c = add_text_doc("c.tif", "زيباري زيباري");
  int64_t ids[16];
  double sc[16];
  index_group *g = NULL;
  size_t ng;
  dbuf j = DBUF_INIT;
  char *v;

  for(int i = 0; i < 10; i++) {
    char src[32];
    snprintf(src, sizeof(src), "filler-%d.tif", i);
    add_text_doc(src, "نص اخر");
  }
  store_fields(a1, "registration", kv_a);
  store_fields(a2, "registration", kv_a);
  store_fields(b1, "registration", kv_b);
  store_fields(b2, "registration", kv_b2);
  /* The ranking alone would interleave the workers: a1 beats b2. */
  ck_assert_uint_eq(ranked_ids("زيباري", 16, 0, ids, sc), 5);
  ck_assert_int_eq(ids[0], b1);
  ck_assert_int_eq(ids[1], b2);
  ck_assert(sc[2] < sc[1]);
  /* Then the better of worker A's best (a1) and the lone c. */
  ck_assert((ids[2] == a1 && ids[3] == a2 && ids[4] == c) ||
            (ids[2] == c && ids[3] == a1 && ids[4] == a2));
  /* Pages cut the same order. */
  {
    int64_t all[16], page[16];
    memcpy(all, ids, sizeof(all));
    ck_assert_uint_eq(ranked_ids("زيباري", 2, 2, page, NULL), 2);
    ck_assert_int_eq(page[0], all[2]);
    ck_assert_int_eq(page[1], all[3]);
    ck_assert_uint_eq(ranked_ids("زيباري", 2, 4, page, NULL), 1);
    ck_assert_int_eq(page[0], all[4]);
  }
  /* The grouped answer. */
  ck_assert_int_eq(index_search_grouped(db, "زيباري", 10, 0, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 3);
  ck_assert_str_eq(g[0].ssn, "222");
  ck_assert_str_eq(g[0].name, "سامان عزيز");
  ck_assert_uint_eq(g[0].total, 2);
  ck_assert_uint_eq(g[0].nhits, 2);
  ck_assert_int_eq(g[0].hits[0].doc_id, b1);
  ck_assert_int_eq(g[0].hits[1].doc_id, b2);
  ck_assert(g[0].score == g[0].hits[0].score);
  ck_assert(g[0].score <= g[1].score && g[1].score <= g[2].score);
  ck_assert_ptr_nonnull(strstr(g[0].hits[1].snippet, "[زيباري]"));
  for(size_t i = 1; i < 3; i++) {
    if(g[i].ssn) {
      ck_assert_str_eq(g[i].ssn, "111");
      ck_assert_uint_eq(g[i].total, 2);
      ck_assert_int_eq(g[i].hits[0].doc_id, a1);
      ck_assert_int_eq(g[i].hits[1].doc_id, a2);
    }
    else {
      ck_assert_ptr_null(g[i].name);
      ck_assert_uint_eq(g[i].nhits, 1);
      ck_assert_int_eq(g[i].hits[0].doc_id, c);
    }
  }
  ck_assert_int_eq(index_groups_json(g, ng, &j), DAFTAR_OK);
  v = json_get(dbuf_cstr(&j), "$.groups[0].worker.ssn");
  ck_assert_str_eq(v, "222");
  free(v);
  v = json_get(dbuf_cstr(&j), "$.groups[0].total");
  ck_assert_str_eq(v, "2");
  free(v);
  v = json_get(dbuf_cstr(&j), "$.groups[0].results[1].source");
  ck_assert_str_eq(v, "b2.tif");
  free(v);
  v = json_get(dbuf_cstr(&j), "$.groups[2].results[0].id");
  ck_assert_ptr_nonnull(v);
  free(v);
  dbuf_free(&j);
  index_groups_free(g, ng);
  /* Group paging: skip the first worker. */
  ck_assert_int_eq(index_search_grouped(db, "زيباري", 1, 1, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 1);
  ck_assert(g[0].ssn == NULL || strcmp(g[0].ssn, "222") != 0);
  index_groups_free(g, ng);
  /* Nothing found: no groups; a bad query: the same message as search. */
  ck_assert_int_eq(index_search_grouped(db, "غائب", 10, 0, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 0);
  index_groups_free(g, ng);
  ck_assert_int_eq(index_search_grouped(db, "start:2015..2010", 10, 0, &g,
                                        &ng),
                   DAFTAR_EINVAL);
  ck_assert_ptr_null(g);
  /* Fallback answers group too: skeleton keys (ز read as ژ) and fuzzy
   * names (ص for ز: an edit, not a dot), one worker, two documents. */
  ck_assert_int_eq(index_search_grouped(db, "سامان عزيژ", 10, 0, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 1);
  ck_assert_str_eq(g[0].ssn, "222");
  ck_assert_uint_eq(g[0].nhits, 2);
  index_groups_free(g, ng);
  ck_assert_int_eq(index_search_grouped(db, "سامان عزيص", 10, 0, &g, &ng),
                   DAFTAR_OK);
  ck_assert_uint_eq(ng, 1);
  ck_assert_str_eq(g[0].ssn, "222");
  ck_assert_uint_eq(g[0].nhits, 2);
  ck_assert(g[0].score >= 1000.0);
  index_groups_free(g, ng);
}
END_TEST

START_TEST(index_search_date_ranges)
{
  static const char *const kv_a[] = {
      "worker_ssn", "1001", "start_date", "2010-03-15", "end_date",
      "2014-06-30", NULL};
  static const char *const kv_b[] = {"worker_ssn", "1002", "start_date",
                                     "2016-01-01", NULL};
  static const char *const kv_c[] = {"worker_ssn", "1003", "birth_date",
                                     "1963-05-01", "start_date",
                                     "1990-01-01", NULL};
  static const char *const bad[] = {
      "start:2010-13",      "start:2015..2010", "start:..",
      "start:20100",        "date:2010..2011..2012", "end:abc",
      "start:2010-02-32",   "born:1963-00",     "date:2010-5",
      "start:2010-03-16..2010-03-15", "end:..201", "date:2010..x"};
  int64_t a = add_text_doc("a.tif", "استمارة تسجيل");
  int64_t b = add_text_doc("b.tif", "استمارة تسجيل");
  int64_t c = add_text_doc("c.tif", "استمارة");
  int64_t ids[16];
  size_t n;

  store_fields(a, "registration", kv_a);
  store_fields(b, "registration", kv_b);
  store_fields(c, "registration", kv_c);
  ck_assert(found("start:2010..2015", a) && count_hits("start:2010..2015") == 1);
  ck_assert(found("start:2010", a) && count_hits("start:2010") == 1);
  ck_assert(found("start:2016..", b) && count_hits("start:2016..") == 1);
  ck_assert(found("start:..2009", c) && count_hits("start:..2009") == 1);
  ck_assert(found("end:2014", a) && count_hits("end:2014") == 1);
  ck_assert_uint_eq(count_hits("end:2015.."), 0);
  ck_assert(found("date:1963", c) && count_hits("date:1963") == 1);
  ck_assert(found("date:2014-06", a) && count_hits("date:2014-06") == 1);
  ck_assert_uint_eq(count_hits("date:1960..2020"), 3);
  ck_assert_uint_eq(count_hits("start:2010-03-15..2010-03-15"), 1);
  ck_assert(!found("start:2010-03-16..", a));
  ck_assert(found("start:2010-03..2010-03", a));
  /* With words (ranked path) and in other digit styles. */
  ck_assert(found("تسجيل start:2010..2015", a) &&
            count_hits("تسجيل start:2010..2015") == 1);
  ck_assert_uint_eq(count_hits("تسجيل start:1980..1995"), 0);
  ck_assert(found("استمارة date:1963-05-01", c) &&
            count_hits("استمارة date:1963-05-01") == 1);
  ck_assert(found("start:٢٠١٠..٢٠١٥", a));
  ck_assert(found("START: 2016..", b));
  /* born: takes the same forms. */
  ck_assert(found("born:1963-05..1963-06", c));
  ck_assert(found("born:..1970", c) && count_hits("born:..1970") == 1);
  ck_assert_uint_eq(count_hits("born:1964.."), 0);
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    const char *colon = strchr(bad[i], ':');
    char label[16];
    snprintf(label, sizeof(label), "%.*s:", (int)(colon - bad[i]), bad[i]);
    ck_assert_msg(search(bad[i], ids, &n) == DAFTAR_EINVAL, "%s", bad[i]);
    ck_assert_msg(strstr(index_errmsg(db), label) != NULL, "%s: %s", bad[i],
                  index_errmsg(db));
  }
  ck_assert_int_eq(search("start:2015..2010", ids, &n), DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "ends before it starts"));
  ck_assert_int_eq(search("start:..", ids, &n), DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "at least one end"));
}
END_TEST

/* The search row reads the page text from pages (schema 4): a new OCR
 * result must leave no trace of the old text in the index. */
START_TEST(index_search_text_stored_once_stays_consistent)
{
  static const char *const kv[] = {"worker_name", "هاوڕێ دلشاد",
                                   "worker_ssn", "555", NULL};
  int64_t a = add_text_doc("a.tif", "قديم اول");
  index_page_ref *refs;
  size_t nrefs;
  index_ocr_result r = {0};
  sqlite3 *raw;

  store_fields(a, "registration", kv);
  ck_assert(found("قديم", a));
  ck_assert_int_eq(index_pages_pending(db, 1, &refs, &nrefs), DAFTAR_OK);
  ck_assert_uint_eq(nrefs, 1);
  r.text = "جديد ثاني";
  r.confidence = 80.0f;
  ck_assert_int_eq(index_page_store_ocr(db, refs[0].page_id, &r), DAFTAR_OK);
  index_page_refs_free(refs, nrefs);
  ck_assert(found("جديد", a));
  ck_assert_uint_eq(count_hits("قديم"), 0);
  ck_assert_uint_eq(count_hits("اول"), 0);
  ck_assert(found("دلشاد", a)); /* the names survived the new text */
  /* Re-extraction rewrites the names: the old name goes. */
  {
    static const char *const kv2[] = {"worker_name", "ڕێبوار کاوە",
                                      "worker_ssn", "556", NULL};
    store_fields(a, "registration", kv2);
  }
  ck_assert(found("ڕێبوار", a));
  ck_assert(found("جديد ثاني", a));
  /* The text is held once: pages.text, not a second copy in doc_fts. */
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM sqlite_master WHERE"
                                  " name = 'doc_fts_content'"),
                   0);
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM doc_fts_src"
                                  " WHERE names LIKE '%ڕێبوار%'"),
                   1);
  sqlite3_close(raw);
  ck_assert_int_eq(index_search_rebuild(db), DAFTAR_OK);
  ck_assert(found("جديد", a) && count_hits("قديم") == 0);
}
END_TEST

START_TEST(index_bulk_load_indexes_once_at_the_end)
{
  static const char *const kv[] = {"worker_name", "سالار عزيز", "worker_ssn",
                                   "777", NULL};
  int64_t before = add_text_doc("old.tif", "قديمة");
  int64_t a, b;

  ck_assert_int_eq(index_bulk_end(db, 0), DAFTAR_EINVAL);
  ck_assert_ptr_nonnull(strstr(index_errmsg(db), "no bulk load"));
  ck_assert_int_eq(index_begin(db), DAFTAR_OK);
  ck_assert_int_eq(index_bulk_begin(db), DAFTAR_EINVAL);
  ck_assert_int_eq(index_rollback(db), DAFTAR_OK);
  ck_assert_int_eq(index_bulk_begin(db), DAFTAR_OK);
  ck_assert_int_eq(index_bulk_begin(db), DAFTAR_EINVAL);
  a = add_text_doc("a.tif", "حمولة اولى");
  store_fields(a, "registration", kv);
  ck_assert_uint_eq(count_hits("حمولة"), 0); /* not yet indexed */
  ck_assert(found("قديمة", before));         /* older rows stay */
  ck_assert_int_eq(index_bulk_end(db, 1), DAFTAR_OK);
  ck_assert(found("حمولة", a) && found("سالار", a) && found("777", a));
  /* A load cut short (no end) is finished by the next one. */
  ck_assert_int_eq(index_bulk_begin(db), DAFTAR_OK);
  b = add_text_doc("b.tif", "حمولة ثانية");
  index_close(db);
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
  ck_assert(!found("ثانية", b));
  ck_assert_int_eq(index_bulk_begin(db), DAFTAR_OK);
  ck_assert_int_eq(index_bulk_end(db, 0), DAFTAR_OK);
  ck_assert(found("ثانية", b) && found("حمولة", a) && found("قديمة", before));
  ck_assert_uint_eq(count_hits("حمولة"), 2);
}
END_TEST

/* The model's reading before the letter correction (issue 8) is kept
 * beside the corrected text, exported as "raw_text" only where it differs,
 * replaced with the page's next result, and survives schema step 6 running
 * again. */
START_TEST(index_keeps_raw_reading_beside_corrected_text)
{
  const char *texts[2] = {"ناوی کرێکار", "ژمارە"};
  int64_t id = add_doc("05555/doc-01.tif", "05555", texts, 2);
  index_page_ref *refs;
  size_t nrefs;
  index_ocr_result r = {0};
  char *buf = NULL;
  size_t len = 0;
  FILE *f;
  sqlite3 *raw;

  ck_assert_int_eq(index_pages_pending(db, 1, &refs, &nrefs), DAFTAR_OK);
  ck_assert_uint_eq(nrefs, 2);
  for(size_t i = 0; i < nrefs; i++) {
    ck_assert_int_eq(refs[i].document_id, id);
    r.text = texts[refs[i].n - 1];
    r.confidence = 80.0f;
    /* Page 1 was corrected (ي -> ی, ه -> ە), page 2 came out as read. */
    r.raw_text = refs[i].n == 1 ? "ناوي کرێکار" : texts[1];
    ck_assert_int_eq(index_page_store_ocr(db, refs[i].page_id, &r),
                     DAFTAR_OK);
  }
  f = open_memstream(&buf, &len);
  ck_assert_int_eq(index_export_jsonl(db, f), DAFTAR_OK);
  fclose(f);
  assert_json_eq(buf, "$.pages[0].text", "ناوی کرێکار");
  assert_json_eq(buf, "$.pages[0].raw_text", "ناوي کرێکار");
  assert_json_eq(buf, "$.pages[1].text", "ژمارە");
  assert_json_eq(buf, "$.pages[1].raw_text", NULL);
  ck_assert_ptr_null(strstr(buf, "\"raw_text\": \"ژمارە\""));
  free(buf);
  /* Step 6 again over its own result (user_version rewound): kept. */
  reopen_from_version(5);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "PRAGMA user_version"), 9);
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM page_raw_text"), 1);
  sqlite3_close(raw);
  /* A new result without a correction leaves no raw reading behind. */
  for(size_t i = 0; i < nrefs; i++) {
    r.text = texts[refs[i].n - 1];
    r.raw_text = NULL;
    ck_assert_int_eq(index_page_store_ocr(db, refs[i].page_id, &r),
                     DAFTAR_OK);
  }
  index_page_refs_free(refs, nrefs);
  buf = NULL;
  f = open_memstream(&buf, &len);
  ck_assert_int_eq(index_export_jsonl(db, f), DAFTAR_OK);
  fclose(f);
  ck_assert_ptr_null(strstr(buf, "raw_text"));
  free(buf);
  raw = raw_open();
  ck_assert_int_eq(raw_count(raw, "SELECT count(*) FROM page_raw_text"), 0);
  sqlite3_close(raw);
}
END_TEST

static Suite *index_suite(void)
{
  Suite *s = suite_create("index");
  TCase *tc = tcase_create("index");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 30);
  tcase_add_test(tc, index_creates_schema_and_reopens);
  tcase_add_test(tc, index_open_refuses_newer_schema);
  tcase_add_test(tc, index_reopen_rebuilds_search_after_tokenizer_change);
  tcase_add_test(tc, index_two_handles_share_an_archive);
  tcase_add_test(tc, index_rollback_discards_grouped_writes);
  tcase_add_test(tc, index_document_pages_ocr_fields_round_trip);
  tcase_add_test(tc, index_batches_refusals_masters_events);
  tcase_add_test(tc, index_events_are_append_only);
  tcase_add_test(tc, index_failed_page_is_pending_again);
  tcase_add_test(tc, index_tokenizer_folds_both_directions);
  tcase_add_test(tc, index_tokenizer_keeps_sorani_letters_apart);
  tcase_add_test(tc, index_tokenizer_indexes_words_without_the_article);
  tcase_add_test(tc, index_tokenizer_joins_and_splits_name_compounds);
  tcase_add_test(tc, index_snippet_marks_original_text);
  tcase_add_test(tc, index_search_survives_hostile_queries);
  tcase_add_test(tc, index_search_random_queries_never_fail_raw);
  tcase_add_test(tc, index_search_handles_megabyte_queries);
  tcase_add_test(tc, index_search_phrases_and_prefixes);
  tcase_add_test(tc, index_search_pages_with_limit_and_offset);
  tcase_add_test(tc, index_search_field_filters);
  tcase_add_test(tc, index_search_ranks_names_above_text);
  tcase_add_test(tc, index_search_weighs_rare_terms_above_common_ones);
  tcase_add_test(tc, index_search_skeleton_fallback_finds_dot_errors);
  tcase_add_test(tc, index_search_skeleton_supplement_of_prefixes);
  tcase_add_test(tc, index_search_skeleton_fallback_ranks_newest_matches);
  tcase_add_test(tc, index_search_grouped_adds_skeleton_only_workers);
  tcase_add_test(tc, index_search_lone_number_one_digit_off);
  tcase_add_test(tc, index_search_fuzzy_names_beyond_dots);
  tcase_add_test(tc, index_migration_backfills_name_trigrams);
  tcase_add_test(tc, index_migration_adds_prefix_indexes);
  tcase_add_test(tc, index_migration_adds_document_links);
  tcase_add_test(tc, index_migration_adds_employer_readings);
  tcase_add_test(tc, index_text_is_searchable_after_ocr_alone);
  tcase_add_test(tc, index_hits_json_format);
  tcase_add_test(tc, index_correction_locks_field);
  tcase_add_test(tc, index_candidates_are_kept_apart);
  tcase_add_test(tc, index_worker_found_by_ssn_and_national_id);
  tcase_add_test(tc, index_worker_first_known_by_national_id_gains_ssn);
  tcase_add_test(tc, index_export_lines_parse_back);
  tcase_add_test(tc, index_search_groups_documents_by_worker);
  tcase_add_test(tc, index_search_date_ranges);
  tcase_add_test(tc, index_search_text_stored_once_stays_consistent);
  tcase_add_test(tc, index_bulk_load_indexes_once_at_the_end);
  tcase_add_test(tc, index_keeps_raw_reading_beside_corrected_text);
  suite_add_tcase(s, tc);
  suite_add_tcase(s, rank_tcase());
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(index_suite());
  int failed;

  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
