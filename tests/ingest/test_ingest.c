/*
 * test_ingest.c - the ingest suite: real TIFF/PNG/JPEG files and zip/tar
 * archives built in each test, ingested into a fresh archive in a fresh
 * temp dir.  Every refusal test feeds the hostile input, then checks the
 * return code, the reason, the quarantine record (and the kept bytes), that
 * the good file beside it was ingested, and that nothing changed outside
 * the archive directory.
 */
#define _GNU_SOURCE /* asprintf */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "fixtures.h"
#include "index.h"
#include "ingest.h"

#define PAGE_W 240
#define PAGE_H 320

static char T[256];      /* the test's temp dir */
static char IN[300];     /* T/in: the batch */
static char ARCH[300];   /* T/archive */
static char *outside_before; /* listing of T without archive/ */

static void setup(void)
{
  char work[300];

  snprintf(T, sizeof(T), "/tmp/daftar-ingest-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(T));
  snprintf(IN, sizeof(IN), "%s/in", T);
  snprintf(ARCH, sizeof(ARCH), "%s/archive", T);
  snprintf(work, sizeof(work), "%s/work", T);
  ck_assert_int_eq(mkdir(IN, 0755), 0);
  ck_assert_int_eq(mkdir(work, 0755), 0);
  /* A fresh working directory: a relative path written by mistake would
   * land here and be seen. */
  ck_assert_int_eq(chdir(work), 0);
  outside_before = NULL;
}

static void teardown(void)
{
  if(chdir("/") == 0)
    fx_rm_rf(T);
  free(outside_before);
}

/* ---- helpers ------------------------------------------------------------- */

static char *in_path(const char *rel)
{
  char *p, *slash;

  ck_assert_int_ne(asprintf(&p, "%s/%s", IN, rel), -1);
  slash = strrchr(p, '/');
  *slash = '\0';
  ck_assert_int_eq(file_mkdirs(p), DAFTAR_OK);
  *slash = '/';
  return p;
}

static char *make_tiff(const char *rel, int bps, int spp, int comp,
                       int pages, unsigned seed)
{
  char *p = in_path(rel);
  ck_assert_int_eq(fx_write_tiff(p, PAGE_W, PAGE_H, bps, spp, comp, pages,
                                 seed), 0);
  return p;
}

/* The good file that sits beside each hostile one: must be ingested. */
static char *make_good_tiff(void)
{
  return make_tiff("01234/doc-01.tif", 1, 1, COMPRESSION_CCITTFAX4, 1, 1);
}

static char *tiff_bytes(int comp, unsigned seed, size_t *len)
{
  char *p, *data;
  int bps = comp == COMPRESSION_CCITTFAX4 ? 1 : 8;

  ck_assert_int_ne(asprintf(&p, "%s/scratch-%u.tif", T, seed), -1);
  ck_assert_int_eq(fx_write_tiff(p, PAGE_W, PAGE_H, bps, 1, comp, 1, seed),
                   0);
  ck_assert_int_eq(fx_read_file(p, &data, len), 0);
  unlink(p);
  free(p);
  return data;
}

static void snapshot_outside(void)
{
  free(outside_before);
  outside_before = fx_tree(T, "archive");
  ck_assert_ptr_nonnull(outside_before);
}

/* Nothing under T changed except archive/, no "evil" file anywhere. */
static void assert_nothing_outside(void)
{
  char *now = fx_tree(T, "archive");

  ck_assert_ptr_nonnull(outside_before);
  ck_assert_str_eq(now, outside_before);
  free(now);
  ck_assert_int_eq(fx_tree_has_name(T, "evil"), 0);
  ck_assert_int_ne(access("/tmp/evil", F_OK), 0);
}

static int run_ingest(const char *path, const ingest_options *o,
                      ingest_summary *s)
{
  struct index_db *db = NULL;
  int rc;

  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  rc = ingest_run(db, path, o, s);
  index_close(db);
  return rc;
}

/* run_ingest, checking that nothing changed outside the archive. */
static int run_ingest_contained(const char *path, const ingest_options *o,
                                ingest_summary *s)
{
  int rc;

  snapshot_outside();
  rc = run_ingest(path, o, s);
  assert_nothing_outside();
  return rc;
}

static void opts_default(ingest_options *o)
{
  ingest_options_default(o);
  o->operator_name = "tester";
}

static int same_file(const char *a, const char *b)
{
  char *da, *db;
  size_t la, lb;
  int same;

  if(fx_read_file(a, &da, &la))
    return 0;
  if(fx_read_file(b, &db, &lb)) {
    free(da);
    return 0;
  }
  same = la == lb && !memcmp(da, db, la);
  free(da);
  free(db);
  return same;
}

/* The document recorded for source with the content of file. */
static void get_doc(const char *source, const char *file, index_document *d)
{
  struct index_db *db = NULL;
  char sha[SHA256_HEX_LEN + 1];

  ck_assert_int_eq(sha256_file_hex(file, sha), DAFTAR_OK);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  memset(d, 0, sizeof(*d));
  ck_assert_int_eq(index_document_find_by_source(db, source, sha, d),
                   DAFTAR_OK);
  index_close(db);
}

static void assert_stored_identical(const char *file)
{
  char sha[SHA256_HEX_LEN + 1];
  char *obj;

  ck_assert_int_eq(sha256_file_hex(file, sha), DAFTAR_OK);
  obj = ingest_object_path(ARCH, sha);
  ck_assert_ptr_nonnull(obj);
  ck_assert_msg(same_file(obj, file), "stored master differs from %s", file);
  free(obj);
}

/* Finds the refusal of batch whose reason contains all of want (NULL
 * terminated), checks its quarantine: kept bytes equal to expect (len
 * expect_len) when expect is given, no quarantine when expect is NULL and
 * expect_len is 0.  Returns the number of refusals in the batch. */
static size_t assert_refusal(int64_t batch, const char *source,
                             const char *const *want, const void *expect,
                             size_t expect_len)
{
  struct index_db *db = NULL;
  index_refusal *r = NULL;
  size_t n = 0, i, k;
  int found = 0;

  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(index_refusal_list(db, batch, &r, &n), DAFTAR_OK);
  for(i = 0; i < n && !found; i++) {
    int all = 1;
    for(k = 0; want[k]; k++)
      if(!strstr(r[i].reason, want[k]))
        all = 0;
    if(!all || (source && strcmp(r[i].source, source)))
      continue;
    found = 1;
    ck_assert_ptr_null(strchr(r[i].reason, '\n'));
    if(expect) {
      char *q, *data;
      size_t len;
      ck_assert_ptr_nonnull(r[i].quarantine);
      ck_assert_ptr_nonnull(r[i].sha256);
      ck_assert_int_ne(asprintf(&q, "%s/%s", ARCH, r[i].quarantine), -1);
      ck_assert_int_eq(fx_read_file(q, &data, &len), 0);
      ck_assert_uint_eq(len, expect_len);
      ck_assert(len == 0 || !memcmp(data, expect, len));
      free(data);
      free(q);
    } else if(expect_len == 0) {
      ck_assert_ptr_null(r[i].quarantine);
    }
  }
  if(!found) {
    for(i = 0; i < n; i++)
      fprintf(stderr, "refusal: %s | %s\n", r[i].source, r[i].reason);
  }
  ck_assert_msg(found, "no refusal with the expected reason (%s...)",
                want[0]);
  index_refusals_free(r, n);
  index_close(db);
  return n;
}

#define WANT(...) ((const char *const[]){__VA_ARGS__, NULL})

static void assert_refusal_file(int64_t batch, const char *source,
                                const char *const *want, const char *file)
{
  char *data;
  size_t len;

  ck_assert_int_eq(fx_read_file(file, &data, &len), 0);
  assert_refusal(batch, source, want, data, len);
  free(data);
}

/* ---- directories --------------------------------------------------------- */

START_TEST(ingest_stores_directory_batch)
{
  char *a = make_good_tiff();
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 2, 2);
  char *c = make_tiff("05678/doc-01.tif", 8, 3, COMPRESSION_JPEG, 1, 3);
  ingest_options o;
  ingest_summary s;
  index_document d;
  struct index_db *db = NULL;
  index_batch bt;

  opts_default(&o);
  o.label = "first";
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, &o, &s), DAFTAR_OK);
  assert_nothing_outside();
  ck_assert_int_eq(s.files, 3);
  ck_assert_int_eq(s.documents, 3);
  ck_assert_int_eq(s.pages, 4);
  ck_assert_int_eq(s.refused, 0);
  ck_assert_int_eq(s.duplicates, 0);
  assert_stored_identical(a);
  assert_stored_identical(b);
  assert_stored_identical(c);
  get_doc("01234/doc-02.tif", b, &d);
  ck_assert_str_eq(d.file_no, "01234");
  ck_assert_int_eq(d.page_count, 2);
  ck_assert_int_eq(d.duplicate_of, 0);
  index_document_clear(&d);
  get_doc("05678/doc-01.tif", c, &d);
  ck_assert_str_eq(d.file_no, "05678");
  index_document_clear(&d);

  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(index_batch_get(db, s.batch_id, &bt), DAFTAR_OK);
  ck_assert_str_eq(bt.label, "first");
  ck_assert_str_eq(bt.operator_name, "tester");
  ck_assert_str_eq(bt.status, "done");
  ck_assert_int_eq(bt.documents, 3);
  ck_assert_int_eq(bt.pages, 4);
  ck_assert_ptr_nonnull(bt.ended);
  index_batch_clear(&bt);
  ck_assert_int_eq(index_integrity_check(db), DAFTAR_OK);
  index_close(db);
  /* No temp file is left in the store. */
  {
    char tmpdir[400];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", ARCH);
    ck_assert_uint_eq(fx_count_files(tmpdir), 0);
  }
  free(a);
  free(b);
  free(c);
}
END_TEST

START_TEST(ingest_accepts_every_scanner_compression)
{
  static const struct {
    const char *name;
    int comp, bps, spp;
  } cases[] = {
    {"none", COMPRESSION_NONE, 8, 1},
    {"lzw", COMPRESSION_LZW, 8, 3},
    {"deflate", COMPRESSION_ADOBE_DEFLATE, 8, 1},
    {"packbits", COMPRESSION_PACKBITS, 1, 1},
    {"g3", COMPRESSION_CCITTFAX3, 1, 1},
    {"g4", COMPRESSION_CCITTFAX4, 1, 1},
    {"jpeg", COMPRESSION_JPEG, 8, 1},
    {"none", COMPRESSION_NONE, 1, 1},
  };
  size_t i, n = sizeof(cases) / sizeof(cases[0]);
  char *files[16];
  ingest_summary s;
  struct index_db *db = NULL;
  char *png = in_path("00009/page.png"), *jpg = in_path("00009/page.jpg");

  for(i = 0; i < n; i++) {
    char rel[64];
    snprintf(rel, sizeof(rel), "00001/%02zu-%s.tif", i, cases[i].name);
    files[i] = make_tiff(rel, cases[i].bps, cases[i].spp, cases[i].comp, 1,
                         (unsigned)i + 10);
  }
  ck_assert_int_eq(fx_write_image(png, "png", 200, 120), 0);
  ck_assert_int_eq(fx_write_image(jpg, "jpg", 200, 120), 0);
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, (int64_t)n + 2);
  ck_assert_int_eq(s.refused, 0);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  for(i = 0; i < n; i++) {
    PIX *pix = NULL;
    char sha[SHA256_HEX_LEN + 1];
    ck_assert_int_eq(sha256_file_hex(files[i], sha), DAFTAR_OK);
    ck_assert_int_eq(ingest_page_read(ARCH, sha, 1, &pix), DAFTAR_OK);
    ck_assert_int_eq(pixGetWidth(pix), PAGE_W);
    ck_assert_int_eq(pixGetHeight(pix), PAGE_H);
    pixDestroy(&pix);
    assert_stored_identical(files[i]);
    free(files[i]);
  }
  index_close(db);
  assert_stored_identical(png);
  assert_stored_identical(jpg);
  {
    const char *imgs[2] = {png, jpg};
    for(i = 0; i < 2; i++) {
      PIX *pix = NULL;
      char sha[SHA256_HEX_LEN + 1];
      ck_assert_int_eq(sha256_file_hex(imgs[i], sha), DAFTAR_OK);
      ck_assert_int_eq(ingest_page_read(ARCH, sha, 1, &pix), DAFTAR_OK);
      ck_assert_int_eq(pixGetWidth(pix), 200);
      pixDestroy(&pix);
      ck_assert_int_eq(ingest_page_read(ARCH, sha, 2, &pix),
                       DAFTAR_ENOTFOUND);
    }
  }
  free(png);
  free(jpg);
}
END_TEST

START_TEST(ingest_counts_pages_of_multipage_tiff)
{
  char *a = make_tiff("00077/bundle.tif", 1, 1, COMPRESSION_CCITTFAX4, 5, 7);
  ingest_summary s;
  index_document d;
  char sha[SHA256_HEX_LEN + 1];
  PIX *pix = NULL;

  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.pages, 5);
  get_doc("00077/bundle.tif", a, &d);
  ck_assert_int_eq(d.page_count, 5);
  index_document_clear(&d);
  ck_assert_int_eq(sha256_file_hex(a, sha), DAFTAR_OK);
  ck_assert_int_eq(ingest_page_read(ARCH, sha, 5, &pix), DAFTAR_OK);
  pixDestroy(&pix);
  ck_assert_int_ne(ingest_page_read(ARCH, sha, 6, &pix), DAFTAR_OK);
  ck_assert_ptr_null(pix);
  free(a);
}
END_TEST

START_TEST(ingest_rerun_records_nothing_new)
{
  char *a = make_tiff("01234/doc-01.tif", 1, 1, COMPRESSION_CCITTFAX4, 2, 1);
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 1, 2);
  ingest_summary s1, s2;
  struct index_db *db = NULL;
  index_stats st;
  char objects[400];

  ck_assert_int_eq(run_ingest(IN, NULL, &s1), DAFTAR_OK);
  ck_assert_int_eq(s1.documents, 2);
  snprintf(objects, sizeof(objects), "%s/objects", ARCH);
  ck_assert_uint_eq(fx_count_files(objects), 2);
  ck_assert_int_eq(run_ingest(IN, NULL, &s2), DAFTAR_OK);
  ck_assert_int_ne(s2.batch_id, s1.batch_id);
  ck_assert_int_eq(s2.files, 2);
  ck_assert_int_eq(s2.skipped, 2);
  ck_assert_int_eq(s2.documents, 0);
  ck_assert_int_eq(s2.pages, 0);
  ck_assert_int_eq(s2.duplicates, 0);
  ck_assert_uint_eq(fx_count_files(objects), 2);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(index_stats_get(db, &st), DAFTAR_OK);
  ck_assert_int_eq(st.documents, 2);
  ck_assert_int_eq(st.pages, 3);
  index_close(db);
  free(a);
  free(b);
}
END_TEST

START_TEST(ingest_links_duplicate_across_batches)
{
  char *a = make_good_tiff();
  char *second, *copy;
  char *data;
  size_t len;
  ingest_summary s1, s2;
  index_document first, dup;
  char objects[400];

  ck_assert_int_eq(run_ingest(IN, NULL, &s1), DAFTAR_OK);
  /* The same scan filed under another number, in another batch. */
  ck_assert_int_ne(asprintf(&second, "%s/second", T), -1);
  ck_assert_int_eq(mkdir(second, 0755), 0);
  ck_assert_int_ne(asprintf(&copy, "%s/second/09999", T), -1);
  ck_assert_int_eq(file_mkdirs(copy), DAFTAR_OK);
  free(copy);
  ck_assert_int_ne(asprintf(&copy, "%s/second/09999/doc-07.tif", T), -1);
  ck_assert_int_eq(fx_read_file(a, &data, &len), 0);
  ck_assert_int_eq(fx_write_file(copy, data, len), 0);
  ck_assert_int_eq(run_ingest(second, NULL, &s2), DAFTAR_OK);
  ck_assert_int_eq(s2.documents, 1);
  ck_assert_int_eq(s2.duplicates, 1);
  ck_assert_int_eq(s2.skipped, 0);
  get_doc("01234/doc-01.tif", a, &first);
  get_doc("09999/doc-07.tif", copy, &dup);
  ck_assert_int_eq(dup.duplicate_of, first.id);
  ck_assert_str_eq(dup.file_no, "09999");
  ck_assert_str_eq(dup.sha256, first.sha256);
  snprintf(objects, sizeof(objects), "%s/objects", ARCH);
  ck_assert_uint_eq(fx_count_files(objects), 1);
  index_document_clear(&first);
  index_document_clear(&dup);
  free(data);
  free(a);
  free(second);
  free(copy);
}
END_TEST

START_TEST(ingest_links_duplicate_within_batch)
{
  char *a = make_tiff("01234/doc-01.tif", 8, 1, COMPRESSION_LZW, 2, 1);
  char *b = in_path("05678/doc-01.tif");
  char *data;
  size_t len;
  ingest_summary s;
  index_document first, dup;
  char objects[400];

  ck_assert_int_eq(fx_read_file(a, &data, &len), 0);
  ck_assert_int_eq(fx_write_file(b, data, len), 0);
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 2);
  ck_assert_int_eq(s.duplicates, 1);
  ck_assert_int_eq(s.pages, 2); /* the scan's pages are recorded once */
  get_doc("01234/doc-01.tif", a, &first);
  get_doc("05678/doc-01.tif", b, &dup);
  ck_assert_int_eq(first.duplicate_of, 0);
  ck_assert_int_eq(dup.duplicate_of, first.id);
  ck_assert_int_eq(dup.page_count, 2);
  snprintf(objects, sizeof(objects), "%s/objects", ARCH);
  ck_assert_uint_eq(fx_count_files(objects), 1);
  index_document_clear(&first);
  index_document_clear(&dup);
  free(data);
  free(a);
  free(b);
}
END_TEST

START_TEST(ingest_single_file_takes_parent_as_file_no)
{
  char *a = make_tiff("04321/scan.tif", 8, 1, COMPRESSION_LZW, 1, 5);
  ingest_summary s;
  index_document d;

  ck_assert_int_eq(run_ingest(a, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  get_doc("scan.tif", a, &d);
  ck_assert_str_eq(d.file_no, "04321");
  index_document_clear(&d);
  free(a);
}
END_TEST

START_TEST(ingest_skips_sidecar_at_batch_root)
{
  char *a = make_good_tiff();
  char *truth = in_path("truth.jsonl");
  ingest_summary s;

  ck_assert_int_eq(fx_write_file(truth, "{}\n", 3), 0);
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 0);
  free(a);
  free(truth);
}
END_TEST

/* ---- refusals of files --------------------------------------------------- */

START_TEST(ingest_refuses_empty_file)
{
  char *good = make_good_tiff();
  char *empty = in_path("01234/doc-02.tif");
  ingest_summary s;

  ck_assert_int_eq(fx_write_file(empty, "", 0), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("01234/doc-02.tif", "empty file"), "", 0);
  assert_stored_identical(good);
  free(good);
  free(empty);
}
END_TEST

START_TEST(ingest_refuses_non_image)
{
  char *good = make_good_tiff();
  char *text = in_path("01234/notes.tif");
  static const char body[] = "this is not a scan\n";
  ingest_summary s;
  struct index_db *db = NULL;
  index_batch bt;

  ck_assert_int_eq(fx_write_file(text, body, sizeof(body) - 1), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal(s.batch_id, "01234/notes.tif",
                 WANT("01234/notes.tif", "not an image"), body,
                 sizeof(body) - 1);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(index_batch_get(db, s.batch_id, &bt), DAFTAR_OK);
  ck_assert_str_eq(bt.status, "refusals");
  ck_assert_int_eq(bt.refused, 1);
  index_batch_clear(&bt);
  index_close(db);
  free(good);
  free(text);
}
END_TEST

START_TEST(ingest_refuses_truncated_strip)
{
  char *good = make_good_tiff();
  char *bad = in_path("01234/doc-02.tif");
  ingest_summary s;

  /* The header declares 200 x 100 pixels; half the strip is there. */
  ck_assert_int_eq(fx_write_crafted_tiff(bad, 200, 100, 200 * 50), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  assert_refusal_file(s.batch_id, "01234/doc-02.tif",
                      WANT("01234/doc-02.tif", "truncated or corrupt TIFF",
                           "Read error on strip"), bad);
  free(good);
  free(bad);
}
END_TEST

START_TEST(ingest_accepts_complete_crafted_tiff)
{
  /* The control for the test above: the same crafted file, complete. */
  char *ok = in_path("01234/doc-02.tif");
  ingest_summary s;

  ck_assert_int_eq(fx_write_crafted_tiff(ok, 200, 100, 200 * 100), 0);
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  free(ok);
}
END_TEST

START_TEST(ingest_refuses_truncated_tiff_file)
{
  char *good = make_good_tiff();
  char *bad = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 3, 9);
  ingest_summary s;

  ck_assert_int_eq(fx_truncate(bad, 0.6), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal_file(s.batch_id, "01234/doc-02.tif",
                      WANT("01234/doc-02.tif", "TIFF"), bad);
  free(good);
  free(bad);
}
END_TEST

START_TEST(ingest_refuses_corrupt_lzw_strip)
{
  char *good = make_good_tiff();
  char *bad = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 1, 4);
  TIFF *tif;
  uint64_t *offs = NULL;
  uint64_t off;
  int fd;
  unsigned char junk[64];
  ingest_summary s;

  tif = TIFFOpen(bad, "r");
  ck_assert_ptr_nonnull(tif);
  ck_assert_int_eq(TIFFGetField(tif, TIFFTAG_STRIPOFFSETS, &offs), 1);
  off = offs[2];
  TIFFClose(tif);
  memset(junk, 0xff, sizeof(junk));
  fd = open(bad, O_WRONLY);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), (off_t)off + 4),
                   (ssize_t)sizeof(junk));
  close(fd);
  ck_assert_int_eq(run_ingest_contained(IN, NULL, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  assert_refusal_file(s.batch_id, "01234/doc-02.tif",
                      WANT("01234/doc-02.tif", "truncated or corrupt TIFF",
                           "strip 3"), bad);
  free(good);
  free(bad);
}
END_TEST

START_TEST(ingest_decodes_tiles_and_refuses_corrupt_tile)
{
  char *good = in_path("01234/tiled.tif"), *bad = in_path("01234/bad.tif");
  TIFF *tif;
  uint64_t *offs = NULL;
  uint64_t off;
  unsigned char junk[48];
  ingest_summary s;
  int fd;

  ck_assert_int_eq(fx_write_tiled_tiff(good, 256, 192, 64, COMPRESSION_LZW),
                   0);
  ck_assert_int_eq(fx_write_tiled_tiff(bad, 256, 192, 64, COMPRESSION_LZW),
                   0);
  tif = TIFFOpen(bad, "r");
  ck_assert_ptr_nonnull(tif);
  ck_assert_int_eq(TIFFIsTiled(tif), 1);
  ck_assert_int_eq(TIFFGetField(tif, TIFFTAG_TILEOFFSETS, &offs), 1);
  off = offs[5];
  TIFFClose(tif);
  memset(junk, 0xff, sizeof(junk));
  fd = open(bad, O_WRONLY);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), (off_t)off + 2),
                   (ssize_t)sizeof(junk));
  close(fd);
  ck_assert_int_eq(run_ingest_contained(IN, NULL, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  assert_stored_identical(good);
  assert_refusal_file(s.batch_id, "01234/bad.tif",
                      WANT("01234/bad.tif", "truncated or corrupt TIFF",
                           "tile 6 of 12"), bad);
  free(good);
  free(bad);
}
END_TEST

START_TEST(ingest_refuses_absurd_dimensions)
{
  char *good = make_good_tiff();
  char *bomb = in_path("01234/doc-02.tif");
  ingest_summary s;
  struct stat sb;

  /* A file of about a hundred bytes declaring 100000 x 100000 pixels. */
  ck_assert_int_eq(fx_write_crafted_tiff(bomb, 100000, 100000, 16), 0);
  ck_assert_int_eq(stat(bomb, &sb), 0);
  ck_assert_int_lt(sb.st_size, 200);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  assert_refusal_file(s.batch_id, "01234/doc-02.tif",
                      WANT("01234/doc-02.tif", "100000 x 100000",
                           "decompression bomb"), bomb);
  free(good);
  free(bomb);
}
END_TEST

START_TEST(ingest_refuses_too_many_pages)
{
  char *good = make_tiff("01234/doc-01.tif", 1, 1, COMPRESSION_CCITTFAX4, 3, 1);
  char *many = make_tiff("01234/doc-02.tif", 1, 1, COMPRESSION_CCITTFAX4, 4, 2);
  ingest_options o;
  ingest_summary s;

  opts_default(&o);
  o.max_pages_per_file = 3;
  ck_assert_int_eq(run_ingest_contained(IN, &o, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.pages, 3);
  assert_refusal_file(s.batch_id, "01234/doc-02.tif",
                      WANT("01234/doc-02.tif", "more than 3 pages"), many);
  free(good);
  free(many);
}
END_TEST

START_TEST(ingest_refuses_truncated_jpeg)
{
  char *good = make_good_tiff();
  char *jpg = in_path("01234/doc-02.jpg");
  ingest_summary s;

  ck_assert_int_eq(fx_write_image(jpg, "jpg", 300, 200), 0);
  ck_assert_int_eq(fx_truncate(jpg, 0.5), 0);
  ck_assert_int_eq(run_ingest_contained(IN, NULL, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  assert_refusal_file(s.batch_id, "01234/doc-02.jpg",
                      WANT("01234/doc-02.jpg", "truncated or corrupt JPEG"),
                      jpg);
  free(good);
  free(jpg);
}
END_TEST

START_TEST(ingest_refuses_symlink_in_directory)
{
  char *good = make_good_tiff();
  char *link = in_path("01234/doc-02.tif");
  ingest_summary s;

  ck_assert_int_eq(symlink("/etc/passwd", link), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 1);
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("01234/doc-02.tif", "symbolic link"), NULL, 0);
  free(good);
  free(link);
}
END_TEST

START_TEST(ingest_refuses_path_inside_archive)
{
  ingest_summary s;
  struct index_db *db = NULL;

  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(ingest_run(db, ARCH, NULL, &s), DAFTAR_EINVAL);
  index_close(db);
}
END_TEST

/* ---- archives ------------------------------------------------------------ */

/* Builds T/<name> from entries preceded by one good TIFF (01234/doc-01.tif),
 * ingests it, checks rc, the good file and nothing outside. */
static void ingest_archive_case(const char *name, const char *format,
                                const fx_entry *extra, size_t nextra,
                                const ingest_options *o, int want_rc,
                                ingest_summary *s, const char *passphrase)
{
  fx_entry e[16];
  size_t len, i;
  char *good = tiff_bytes(COMPRESSION_CCITTFAX4, 1, &len);
  char *path;

  e[0] = (fx_entry){"01234/doc-01.tif", FX_REG, good, len, NULL};
  for(i = 0; i < nextra; i++)
    e[i + 1] = extra[i];
  ck_assert_int_ne(asprintf(&path, "%s/%s", T, name), -1);
  ck_assert_int_eq(fx_write_archive(path, format, e, nextra + 1, passphrase),
                   0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(path, o, s), want_rc);
  assert_nothing_outside();
  ck_assert_int_ge(s->documents, 1);
  {
    struct index_db *db = NULL;
    index_document d;
    char sha[SHA256_HEX_LEN + 1];
    ck_assert_int_eq(sha256_hex(good, len, sha), DAFTAR_OK);
    ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
    memset(&d, 0, sizeof(d));
    ck_assert_int_eq(index_document_find_by_source(db, "01234/doc-01.tif",
                                                   sha, &d), DAFTAR_OK);
    ck_assert_str_eq(d.file_no, "01234");
    index_document_clear(&d);
    index_close(db);
  }
  free(path);
  free(good);
}

START_TEST(ingest_reads_zip_and_tar_gz_batches)
{
  static const char *const formats[] = {"zip", "tar", "tar.gz"};
  size_t l2;
  char *lzw = tiff_bytes(COMPRESSION_LZW, 2, &l2);
  fx_entry extra[] = {
    {"01234", FX_DIR, NULL, 0, NULL},
    {"05678/doc-01.tif", FX_REG, lzw, l2, NULL},
    {"truth.jsonl", FX_REG, "{}\n", 3, NULL},
  };
  ingest_summary s;
  char name[400];

  snprintf(name, sizeof(name), "batch.%s", formats[_i]);
  ingest_archive_case(name, formats[_i], extra, 3, NULL, DAFTAR_OK, &s,
                      NULL);
  ck_assert_int_eq(s.documents, 2);
  ck_assert_int_eq(s.pages, 2);
  ck_assert_int_eq(s.refused, 0);
  /* The same archive again: nothing new. */
  snprintf(name, sizeof(name), "%s/batch.%s", T, formats[_i]);
  ck_assert_int_eq(run_ingest(name, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.skipped, 2);
  ck_assert_int_eq(s.documents, 0);
  free(lzw);
}
END_TEST

START_TEST(ingest_reads_tar_of_batch_folder)
{
  size_t len;
  char *tif = tiff_bytes(COMPRESSION_LZW, 4, &len);
  fx_entry e[] = {
    {"./", FX_DIR, NULL, 0, NULL},
    {"./batch-7/", FX_DIR, NULL, 0, NULL},
    {"./batch-7/01234/", FX_DIR, NULL, 0, NULL},
    {"./batch-7/01234/doc-01.tif", FX_REG, tif, len, NULL},
  };
  char *path;
  ingest_summary s;
  struct index_db *db = NULL;
  index_document d;
  char sha[SHA256_HEX_LEN + 1];

  ck_assert_int_ne(asprintf(&path, "%s/b.tar.gz", T), -1);
  ck_assert_int_eq(fx_write_archive(path, "tar.gz", e, 4, NULL), 0);
  ck_assert_int_eq(run_ingest(path, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(sha256_hex(tif, len, sha), DAFTAR_OK);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  memset(&d, 0, sizeof(d));
  ck_assert_int_eq(index_document_find_by_source(db,
                   "batch-7/01234/doc-01.tif", sha, &d), DAFTAR_OK);
  ck_assert_str_eq(d.file_no, "01234");
  index_document_clear(&d);
  index_close(db);
  free(path);
  free(tif);
}
END_TEST

START_TEST(ingest_refuses_damaged_archive_keeps_what_came_before)
{
  size_t len, big = 256 * 1024, i;
  char *tif = tiff_bytes(COMPRESSION_CCITTFAX4, 1, &len);
  unsigned char *noise = malloc(big);
  unsigned seed = 7;
  char *path;
  ingest_summary s;
  fx_entry e[2];

  ck_assert_ptr_nonnull(noise);
  for(i = 0; i < big; i++) {
    seed = seed * 1103515245u + 12345u;
    noise[i] = (unsigned char)(seed >> 16);
  }
  memcpy(noise, "II*\0", 4);
  e[0] = (fx_entry){"01234/doc-01.tif", FX_REG, tif, len, NULL};
  e[1] = (fx_entry){"01234/doc-02.tif", FX_REG, noise, big, NULL};
  ck_assert_int_ne(asprintf(&path, "%s/cut.tar.gz", T), -1);
  ck_assert_int_eq(fx_write_archive(path, "tar.gz", e, 2, NULL), 0);
  ck_assert_int_eq(fx_truncate(path, 0.7), 0);
  ck_assert_int_eq(run_ingest_contained(path, NULL, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("cut.tar.gz: entry 01234/doc-02.tif",
                      "archive data unreadable"), NULL, 0);
  free(path);
  free(noise);
  free(tif);
}
END_TEST

static void hostile_entry_case(const char *format, const fx_entry *bad,
                               const char *const *want, int keeps_bytes)
{
  ingest_summary s;

  ingest_archive_case("hostile.arc", format, bad, 1, NULL, DAFTAR_EREFUSED,
                      &s, NULL);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal(s.batch_id, bad->name, want,
                 keeps_bytes ? bad->data : NULL, keeps_bytes ? bad->len : 0);
}

START_TEST(ingest_refuses_dotdot_entry)
{
  static const char *const formats[] = {"zip", "tar", "tar.gz"};
  static const char body[] = "escaped\n";
  fx_entry bad = {"../evil", FX_REG, body, sizeof(body) - 1, NULL};
  fx_entry deep = {"01234/../../evil", FX_REG, body, sizeof(body) - 1, NULL};

  hostile_entry_case(formats[_i], &bad,
                     WANT("hostile.arc: entry ../evil", "'..'"), 0);
  teardown();
  setup();
  hostile_entry_case(formats[_i], &deep,
                     WANT("entry 01234/../../evil", "'..'"), 0);
}
END_TEST

START_TEST(ingest_refuses_absolute_entry)
{
  static const char body[] = "absolute\n";
  char name[64];
  fx_entry bad = {NULL, FX_REG, body, sizeof(body) - 1, NULL};

  snprintf(name, sizeof(name), "/tmp/daftar-abs-%ld", (long)getpid());
  bad.name = name;
  hostile_entry_case(_i ? "zip" : "tar", &bad,
                     WANT("hostile.arc: entry /tmp/daftar-abs",
                          "absolute path"), 0);
  ck_assert_int_ne(access(name, F_OK), 0);
}
END_TEST

START_TEST(ingest_refuses_symlink_entry)
{
  fx_entry bad = {"01234/doc-02.tif", FX_SYMLINK, NULL, 0, "/etc/passwd"};

  hostile_entry_case(_i ? "zip" : "tar", &bad,
                     WANT("hostile.arc: entry 01234/doc-02.tif",
                          "symbolic link"), 0);
}
END_TEST

START_TEST(ingest_refuses_hardlink_entry)
{
  fx_entry bad = {"01234/doc-02.tif", FX_HARDLINK, NULL, 0,
                  "01234/doc-01.tif"};

  hostile_entry_case("tar", &bad,
                     WANT("hostile.arc: entry 01234/doc-02.tif",
                          "hard link"), 0);
}
END_TEST

START_TEST(ingest_refuses_device_entry)
{
  fx_entry bad = {"01234/null", FX_CHARDEV, NULL, 0, NULL};

  hostile_entry_case("tar", &bad,
                     WANT("hostile.arc: entry 01234/null", "device"), 0);
}
END_TEST

START_TEST(ingest_refuses_nested_archive)
{
  char *inner_path, *inner;
  size_t len, tl;
  char *tif = tiff_bytes(COMPRESSION_LZW, 3, &tl);
  fx_entry ie = {"01234/doc-09.tif", FX_REG, tif, tl, NULL};
  fx_entry bad = {"01234/more.zip", FX_REG, NULL, 0, NULL};

  ck_assert_int_ne(asprintf(&inner_path, "%s/inner.zip", T), -1);
  ck_assert_int_eq(fx_write_archive(inner_path, "zip", &ie, 1, NULL), 0);
  ck_assert_int_eq(fx_read_file(inner_path, &inner, &len), 0);
  unlink(inner_path);
  bad.data = inner;
  bad.len = len;
  hostile_entry_case("zip", &bad,
                     WANT("hostile.arc: entry 01234/more.zip",
                          "nested archive"), 1);
  free(inner);
  free(inner_path);
  free(tif);
}
END_TEST

START_TEST(ingest_refuses_encrypted_entry)
{
  ingest_summary s;
  size_t tl;
  char *tif = tiff_bytes(COMPRESSION_LZW, 3, &tl);
  fx_entry e = {"01234/doc-01.tif", FX_REG, tif, tl, NULL};
  char *path;

  ck_assert_int_ne(asprintf(&path, "%s/locked.zip", T), -1);
  ck_assert_int_eq(fx_write_archive(path, "zip", &e, 1, "secret"), 0);
  snapshot_outside();
  ck_assert_int_eq(run_ingest(path, NULL, &s), DAFTAR_EREFUSED);
  assert_nothing_outside();
  ck_assert_int_eq(s.documents, 0);
  ck_assert_int_eq(s.refused, 1);
  assert_refusal(s.batch_id, "01234/doc-01.tif",
                 WANT("locked.zip: entry 01234/doc-01.tif", "encrypted"),
                 NULL, 0);
  free(path);
  free(tif);
}
END_TEST

START_TEST(ingest_refuses_zip_bomb_by_ratio)
{
  static const char *const formats[] = {"zip", "tar.gz"};
  size_t big = (size_t)16 * 1024 * 1024;
  char *zeros = calloc(1, big);
  fx_entry bomb[2] = {
    {"01234/doc-02.tif", FX_REG, zeros, big, NULL},
    {"01234/doc-03.tif", FX_REG, zeros, 10, NULL},
  };
  ingest_summary s;
  char tmpdir[400];

  ck_assert_ptr_nonnull(zeros);
  /* The TIFF magic makes it look like a page until it is decoded. */
  memcpy(zeros, "II*\0", 4);
  ingest_archive_case("bomb.arc", formats[_i], bomb, 2, NULL,
                      DAFTAR_EREFUSED, &s, NULL);
  ck_assert_int_eq(s.documents, 1);
  ck_assert_int_eq(s.refused, 1); /* the archive stopped at the bomb */
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("bomb.arc: entry 01234/doc-02.tif",
                      "compression ratio over 200:1"), NULL, 0);
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", ARCH);
  ck_assert_uint_eq(fx_count_files(tmpdir), 0);
  free(zeros);
}
END_TEST

START_TEST(ingest_refuses_entries_over_cap)
{
  fx_entry e[5];
  char *tifs[5];
  char names[5][32];
  size_t len[5];
  ingest_options o;
  ingest_summary s;
  int i;

  for(i = 0; i < 5; i++) {
    tifs[i] = tiff_bytes(COMPRESSION_CCITTFAX4, 20u + (unsigned)i, &len[i]);
    snprintf(names[i], sizeof(names[i]), "0000%d/doc.tif", i + 2);
    e[i] = (fx_entry){names[i], FX_REG, tifs[i], len[i], NULL};
  }
  opts_default(&o);
  o.max_entries = 4; /* the good file and 3 more */
  ingest_archive_case("many.zip", "zip", e, 5, &o, DAFTAR_EREFUSED, &s,
                      NULL);
  ck_assert_int_eq(s.documents, 4);
  assert_refusal(s.batch_id, "many.zip",
                 WANT("many.zip", "more than 4 entries"), NULL, 0);
  for(i = 0; i < 5; i++)
    free(tifs[i]);
}
END_TEST

START_TEST(ingest_refuses_batch_over_total_bytes)
{
  char *a = make_tiff("01234/doc-01.tif", 8, 1, COMPRESSION_NONE, 1, 1);
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_NONE, 1, 2);
  ingest_options o;
  ingest_summary s;
  struct stat sb;

  ck_assert_int_eq(stat(a, &sb), 0);
  opts_default(&o);
  o.max_total_bytes = sb.st_size + 10;
  ck_assert_int_eq(run_ingest_contained(IN, &o, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("01234/doc-02.tif", "bytes in total"), NULL, 0);
  free(a);
  free(b);
}
END_TEST

START_TEST(ingest_refuses_file_over_size_cap)
{
  char *a = make_good_tiff();
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_NONE, 1, 2);
  ingest_options o;
  ingest_summary s;

  opts_default(&o);
  o.max_file_bytes = 20000; /* the G4 page is smaller, the raw one not */
  ck_assert_int_eq(run_ingest_contained(IN, &o, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.documents, 1);
  assert_refusal(s.batch_id, "01234/doc-02.tif",
                 WANT("01234/doc-02.tif", "larger than the limit"), NULL, 0);
  free(a);
  free(b);
}
END_TEST

/* ---- manifest ------------------------------------------------------------ */

START_TEST(ingest_reconciles_manifest)
{
  char *a = make_good_tiff();
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 2, 2);
  char *c = make_tiff("05678/doc-01.tif", 8, 1, COMPRESSION_LZW, 1, 3);
  char *good = in_path("manifest.csv"), *bad;
  static const char ok_csv[] =
    "file_no,document,pages\n01234,doc-01.tif,1\n"
    "01234,\"01234/doc-02.tif\",2\r\n05678,doc-01.tif,1\n";
  static const char bad_csv[] =
    "# scanned 2026-11-20\n01234,doc-01.tif,1\n01234,doc-02.tif,3\n"
    "09999,doc-01.tif,1\n";
  ingest_options o;
  ingest_summary s;

  /* A manifest at the batch root is a sidecar, not a document. */
  ck_assert_int_eq(fx_write_file(good, ok_csv, sizeof(ok_csv) - 1), 0);
  opts_default(&o);
  o.manifest = good;
  ck_assert_int_eq(run_ingest(IN, &o, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 3);
  ck_assert_int_eq(s.manifest_missing + s.manifest_extra +
                   s.manifest_mismatch, 0);

  ck_assert_int_ne(asprintf(&bad, "%s/bad.csv", T), -1);
  ck_assert_int_eq(fx_write_file(bad, bad_csv, sizeof(bad_csv) - 1), 0);
  o.manifest = bad;
  /* A re-run reconciles too: skipped documents count as present. */
  ck_assert_int_eq(run_ingest(IN, &o, &s), DAFTAR_EREFUSED);
  ck_assert_int_eq(s.skipped, 3);
  ck_assert_int_eq(s.refused, 0);
  ck_assert_int_eq(s.manifest_missing, 1);
  ck_assert_int_eq(s.manifest_extra, 1);
  ck_assert_int_eq(s.manifest_mismatch, 1);

  o.manifest = "/nonexistent/manifest.csv";
  ck_assert_int_ne(run_ingest(IN, &o, &s), DAFTAR_OK);
  free(a);
  free(b);
  free(c);
  free(good);
  free(bad);
}
END_TEST

/* ---- fixity -------------------------------------------------------------- */

START_TEST(ingest_verify_catches_flipped_byte)
{
  char *a = make_good_tiff();
  char *b = make_tiff("01234/doc-02.tif", 8, 1, COMPRESSION_LZW, 1, 2);
  char sha[SHA256_HEX_LEN + 1];
  char *obj;
  struct index_db *db = NULL;
  int64_t checked = 0, bad = 0;
  unsigned char c;
  int fd;

  ck_assert_int_eq(run_ingest(IN, NULL, NULL), DAFTAR_OK);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(ingest_verify(db, 0, &checked, &bad), DAFTAR_OK);
  ck_assert_int_eq(checked, 2);
  ck_assert_int_eq(bad, 0);
  /* Flip one bit in the middle of a stored master. */
  ck_assert_int_eq(sha256_file_hex(b, sha), DAFTAR_OK);
  obj = ingest_object_path(ARCH, sha);
  chmod(obj, 0644);
  fd = open(obj, O_RDWR);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(pread(fd, &c, 1, 100), 1);
  c ^= 0x01;
  ck_assert_int_eq(pwrite(fd, &c, 1, 100), 1);
  close(fd);
  ck_assert_int_eq(ingest_verify(db, 0, &checked, &bad), DAFTAR_EIO);
  ck_assert_int_eq(checked, 2);
  ck_assert_int_eq(bad, 1);
  /* A missing master is reported too. */
  ck_assert_int_eq(unlink(obj), 0);
  ck_assert_int_eq(ingest_verify(db, 0, &checked, &bad), DAFTAR_EIO);
  ck_assert_int_eq(bad, 1);
  ck_assert_int_eq(ingest_verify(db, 1, &checked, &bad) == DAFTAR_OK ||
                   bad == 1, 1);
  ck_assert_int_eq(checked, 1);
  index_close(db);
  free(obj);
  free(a);
  free(b);
}
END_TEST

/* ---- crash and resume ---------------------------------------------------- */

#define CRASH_FILES 12
#define CRASH_DOCS 3
#define CRASH_PAGES 3
#define CRASH_ROUNDS 25

/* Runs an ingest of IN into archive in a child process (through the
 * library, or through the `daftar` binary when bin is given) and kills it
 * with SIGKILL after delay_us. */
static void run_in_child_and_kill(const char *archive, const char *bin,
                                  long delay_us)
{
  pid_t pid = fork();
  int status;

  ck_assert_int_ge(pid, 0);
  if(pid == 0) {
    struct index_db *db = NULL;
    if(bin) {
      int null = open("/dev/null", O_WRONLY);
      if(null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
      }
      execl(bin, bin, "--archive", archive, "ingest", "--quiet", IN,
            (char *)NULL);
      _exit(127);
    }
    daftar_log_set_level(DLOG_ERROR);
    if(index_open(archive, &db) == DAFTAR_OK)
      ingest_run(db, IN, NULL, NULL);
    _exit(0);
  }
  usleep((useconds_t)delay_us);
  kill(pid, SIGKILL);
  ck_assert_int_eq(waitpid(pid, &status, 0), pid);
}

START_TEST(ingest_removes_stale_temp_files)
{
  char *a = make_good_tiff();
  char tmpdir[400], dead[500], reused[500], foreign[500];
  struct index_db *db = NULL;

  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  index_close(db);
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", ARCH);
  ck_assert_int_eq(file_mkdirs(tmpdir), DAFTAR_OK);
  /* A run that died, and one whose pid now belongs to a live process
   * started at another time (our parent). */
  snprintf(dead, sizeof(dead), "%s/ingest-999999999-5-0", tmpdir);
  snprintf(reused, sizeof(reused), "%s/ingest-%ld-1-0", tmpdir,
           (long)getppid());
  snprintf(foreign, sizeof(foreign), "%s/not-ours", tmpdir);
  ck_assert_int_eq(fx_write_file(dead, "x", 1), 0);
  ck_assert_int_eq(fx_write_file(reused, "x", 1), 0);
  ck_assert_int_eq(fx_write_file(foreign, "x", 1), 0);
  ck_assert_int_eq(run_ingest(IN, NULL, NULL), DAFTAR_OK);
  ck_assert_int_ne(access(dead, F_OK), 0);
  ck_assert_int_ne(access(reused, F_OK), 0);
  ck_assert_int_eq(access(foreign, F_OK), 0);
  free(a);
}
END_TEST

/* _i == 0: ingest_run in a forked child; _i == 1: `$DAFTAR_BIN ingest`. */
START_TEST(ingest_survives_kill_9_and_resumes)
{
  const char *bin = _i ? getenv("DAFTAR_BIN") : NULL;
  struct timespec t0, t1;
  char probe[400], tmpdir[400], objects[400];
  long full_us;
  unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  int f, d, k;
  ingest_summary s;
  struct index_db *db = NULL;
  index_stats st;
  int64_t checked = 0, bad = 0;

  if(_i)
    ck_assert_msg(bin && access(bin, X_OK) == 0, "DAFTAR_BIN not runnable");
  for(f = 0; f < CRASH_FILES; f++)
    for(d = 0; d < CRASH_DOCS; d++) {
      char rel[64];
      snprintf(rel, sizeof(rel), "%05d/doc-%02d.tif", 100 + f, d + 1);
      free(make_tiff(rel, d == 0 ? 1 : 8, 1,
                     d == 0 ? COMPRESSION_CCITTFAX4 : COMPRESSION_LZW,
                     CRASH_PAGES, (unsigned)(f * 10 + d)));
    }
  /* How long one uninterrupted run takes, into a scratch archive. */
  snprintf(probe, sizeof(probe), "%s/probe", T);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  {
    struct index_db *pdb = NULL;
    ck_assert_int_eq(index_open(probe, &pdb), DAFTAR_OK);
    ck_assert_int_eq(ingest_run(pdb, IN, NULL, NULL), DAFTAR_OK);
    index_close(pdb);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  full_us = (t1.tv_sec - t0.tv_sec) * 1000000L +
            (t1.tv_nsec - t0.tv_nsec) / 1000L;
  if(bin) /* the binary also starts up and opens the database */
    full_us += 50000;
  fprintf(stderr, "kill -9 test (%s): seed %u, one run %ld us\n",
          bin ? "daftar binary" : "library", seed, full_us);
  srand(seed);
  for(k = 0; k < CRASH_ROUNDS; k++)
    run_in_child_and_kill(ARCH, bin, (long)(rand() % (full_us + 1)));

  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.refused, 0);
  ck_assert_int_eq(s.documents + s.skipped, CRASH_FILES * CRASH_DOCS);
  ck_assert_int_eq(index_open(ARCH, &db), DAFTAR_OK);
  ck_assert_int_eq(index_integrity_check(db), DAFTAR_OK);
  ck_assert_int_eq(index_stats_get(db, &st), DAFTAR_OK);
  ck_assert_int_eq(st.documents, CRASH_FILES * CRASH_DOCS);
  ck_assert_int_eq(st.pages, CRASH_FILES * CRASH_DOCS * CRASH_PAGES);
  ck_assert_int_eq(ingest_verify(db, 0, &checked, &bad), DAFTAR_OK);
  ck_assert_int_eq(checked, CRASH_FILES * CRASH_DOCS);
  index_close(db);
  snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", ARCH);
  ck_assert_uint_eq(fx_count_files(tmpdir), 0);
  snprintf(objects, sizeof(objects), "%s/objects", ARCH);
  ck_assert_uint_eq(fx_count_files(objects), CRASH_FILES * CRASH_DOCS);
  /* And once more: nothing new. */
  ck_assert_int_eq(run_ingest(IN, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.skipped, CRASH_FILES * CRASH_DOCS);
  ck_assert_int_eq(s.documents, 0);
}
END_TEST

/* ---- a realistic batch from the generator -------------------------------- */

START_TEST(ingest_generated_batch)
{
  const char *gen = getenv("DAFTAR_GEN");
  char *cmd, *out;
  ingest_summary s;
  int rc;

  ck_assert_msg(gen && access(gen, X_OK) == 0, "DAFTAR_GEN not runnable");
  ck_assert_int_ne(asprintf(&out, "%s/gen", T), -1);
  ck_assert_int_ne(asprintf(&cmd, "'%s' batch --out '%s' --files 2 --docs 2 "
                            "--compression mixed --seed 3 >/dev/null",
                            gen, out), -1);
  rc = system(cmd);
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(run_ingest(out, NULL, &s), DAFTAR_OK);
  ck_assert_int_eq(s.documents, 4);
  ck_assert_int_eq(s.refused, 0);
  {
    /* Every page the generator wrote was recorded. */
    char *truth, *tp, *p;
    size_t tl;
    int64_t pages = 0;
    ck_assert_int_ne(asprintf(&tp, "%s/truth.jsonl", out), -1);
    ck_assert_int_eq(fx_read_file(tp, &truth, &tl), 0);
    for(p = truth; (p = strstr(p, "{\"n\":")) != NULL; p++)
      pages++;
    ck_assert_int_ge(pages, 4);
    ck_assert_int_eq(s.pages, pages);
    free(truth);
    free(tp);
  }
  free(cmd);
  free(out);
}
END_TEST

static Suite *ingest_suite(void)
{
  Suite *s = suite_create("ingest");
  TCase *tc = tcase_create("ingest");

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, ingest_stores_directory_batch);
  tcase_add_test(tc, ingest_accepts_every_scanner_compression);
  tcase_add_test(tc, ingest_counts_pages_of_multipage_tiff);
  tcase_add_test(tc, ingest_rerun_records_nothing_new);
  tcase_add_test(tc, ingest_links_duplicate_across_batches);
  tcase_add_test(tc, ingest_links_duplicate_within_batch);
  tcase_add_test(tc, ingest_single_file_takes_parent_as_file_no);
  tcase_add_test(tc, ingest_skips_sidecar_at_batch_root);
  tcase_add_test(tc, ingest_refuses_empty_file);
  tcase_add_test(tc, ingest_refuses_non_image);
  tcase_add_test(tc, ingest_refuses_truncated_strip);
  tcase_add_test(tc, ingest_accepts_complete_crafted_tiff);
  tcase_add_test(tc, ingest_refuses_truncated_tiff_file);
  tcase_add_test(tc, ingest_refuses_corrupt_lzw_strip);
  tcase_add_test(tc, ingest_decodes_tiles_and_refuses_corrupt_tile);
  tcase_add_test(tc, ingest_refuses_absurd_dimensions);
  tcase_add_test(tc, ingest_refuses_too_many_pages);
  tcase_add_test(tc, ingest_refuses_truncated_jpeg);
  tcase_add_test(tc, ingest_refuses_symlink_in_directory);
  tcase_add_test(tc, ingest_refuses_path_inside_archive);
  tcase_add_loop_test(tc, ingest_reads_zip_and_tar_gz_batches, 0, 3);
  tcase_add_test(tc, ingest_reads_tar_of_batch_folder);
  tcase_add_test(tc, ingest_refuses_damaged_archive_keeps_what_came_before);
  tcase_add_loop_test(tc, ingest_refuses_dotdot_entry, 0, 3);
  tcase_add_loop_test(tc, ingest_refuses_absolute_entry, 0, 2);
  tcase_add_loop_test(tc, ingest_refuses_symlink_entry, 0, 2);
  tcase_add_test(tc, ingest_refuses_hardlink_entry);
  tcase_add_test(tc, ingest_refuses_device_entry);
  tcase_add_test(tc, ingest_refuses_nested_archive);
  tcase_add_test(tc, ingest_refuses_encrypted_entry);
  tcase_add_loop_test(tc, ingest_refuses_zip_bomb_by_ratio, 0, 2);
  tcase_add_test(tc, ingest_refuses_entries_over_cap);
  tcase_add_test(tc, ingest_refuses_batch_over_total_bytes);
  tcase_add_test(tc, ingest_refuses_file_over_size_cap);
  tcase_add_test(tc, ingest_reconciles_manifest);
  tcase_add_test(tc, ingest_verify_catches_flipped_byte);
  tcase_add_test(tc, ingest_removes_stale_temp_files);
  tcase_add_loop_test(tc, ingest_survives_kill_9_and_resumes, 0, 2);
  tcase_add_test(tc, ingest_generated_batch);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(ingest_suite());
  int failed;

  srunner_set_fork_status(sr, CK_FORK);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
