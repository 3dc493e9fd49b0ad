/*
 * bench_search.c - builds a synthetic archive through index/'s API and
 * measures search latency (issue 6).
 *
 *   index-bench --archive DIR --docs N [--words W] [--seed S] [--runs R]
 * (--docs 0 measures an archive built before, with the same --seed.)
 *
 * Each document has one page of W words of generated prose (Zipf-like word
 * frequencies over a made-up Arabic-script vocabulary, one word present in
 * every page), a worker (name from pools of Arabic and Sorani names,
 * 10-digit SSN, 12-digit national ID) and an employer.  Not OCR: the text
 * is clean.  Reports build time, database size and p50/p99 latency of:
 * a rare name, a full-name phrase, an ID number, a prefix, a fuzzy name
 * (one dot error, found by the skeleton fallback) and the common word.
 * Prints personal-looking data nowhere: all of it is synthetic.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core.h"
#include "index.h"

#define VOCAB 4000
#define BATCH_DOCS 1000
#define QUERY_KINDS 6

static const char *const first_names[] = {
    "محمد", "علي", "حسن", "حسين", "أحمد", "عمر", "خالد", "سعيد", "كريم",
    "جعفر", "عباس", "ياسين", "فاضل", "ناصر", "سالار", "ئاراس", "دیار",
    "هێمن", "شوان", "ڕێبوار", "کاوە", "بەختیار", "فاطمة", "زينب", "مريم",
    "سروە", "ژیلا", "نەسرین", "هاوڕێ", "دلشاد", "سامان", "پێشەوا"};
static const char *const last_names[] = {
    "الجبوري", "العبيدي", "الدليمي", "التميمي", "حسن", "قادر", "عزيز",
    "مصطفى", "ئەحمەد", "مەحمود", "کەریم", "ڕەسوڵ", "عەبدوڵڵا", "صالح",
    "إبراهيم", "يوسف", "جاسم", "كاظم", "نوري", "رشيد"};
static const char letters[][3] = {"ب", "ت", "س", "ر", "م", "ن", "ل", "ك",
                                  "ق", "ف", "ع", "د", "ه", "و", "ي", "ا",
                                  "ج", "ح", "ش", "ز"};

static uint64_t rng_state;

static uint64_t rng(void)
{
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static size_t pick(size_t n)
{
  return (size_t)(rng() % n);
}

static char vocab[VOCAB][32];

static void make_vocab(void)
{
  for(int i = 0; i < VOCAB; i++) {
    size_t len = 3 + pick(4), k = 0;
    for(size_t j = 0; j < len; j++) {
      const char *l = letters[pick(sizeof(letters) / sizeof(letters[0]))];
      memcpy(vocab[i] + k, l, strlen(l));
      k += strlen(l);
    }
    vocab[i][k] = '\0';
  }
  snprintf(vocab[0], sizeof(vocab[0]), "العمل"); /* in every page */
}

/* Zipf-ish: small ranks much more often. */
static const char *word(void)
{
  double u = (double)(rng() % 1000000) / 1000000.0;
  size_t r = (size_t)(u * u * u * (VOCAB - 1)) + 1;
  return vocab[r];
}

static double now_ms(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void fail(struct index_db *db, const char *what)
{
  fprintf(stderr, "index-bench: %s: %s\n", what, index_errmsg(db));
  exit(1);
}

static void add_doc(struct index_db *db, int64_t batch, long i, int words,
                    dbuf *text)
{
  char sha[SHA256_HEX_LEN + 1], src[64], ssn[24], nid[24], emp[24];
  char name[128];
  index_document d = {0};
  index_page_info p = {1, 2480, 3508, 300, 300, 1, "g4"};
  index_ocr_result r = {0};
  daftar_field f[4];
  int64_t id;

  snprintf(src, sizeof(src), "%05ld/doc-01.tif", i);
  sha256_hex(src, strlen(src), sha);
  snprintf(ssn, sizeof(ssn), "%010ld", 1000000000L + i * 7);
  snprintf(nid, sizeof(nid), "%012ld", 900000000000L + i * 13);
  snprintf(emp, sizeof(emp), "%ld", 5000 + i % 997);
  snprintf(name, sizeof(name), "%s %s %s",
           first_names[pick(sizeof(first_names) / sizeof(first_names[0]))],
           first_names[pick(sizeof(first_names) / sizeof(first_names[0]))],
           last_names[pick(sizeof(last_names) / sizeof(last_names[0]))]);
  dbuf_reset(text);
  for(int w = 0; w < words; w++) {
    dbuf_puts(text, w == words / 2 ? "العمل" : word());
    dbuf_putc(text, (w % 12) == 11 ? '\n' : ' ');
  }
  if(index_master_put(db, sha, 1000, "tiff", 1))
    fail(db, "master");
  d.batch_id = batch;
  d.source = src;
  d.file_no = src;
  d.file_no[5] = '\0';
  d.sha256 = sha;
  d.page_count = 1;
  if(index_document_add(db, &d, &id))
    fail(db, "document");
  if(index_page_add(db, id, &p))
    fail(db, "page");
  r.text = dbuf_cstr(text);
  r.confidence = 90.0f;
  if(index_page_store_ocr(db, id, &r)) /* page id == doc id here */
    fail(db, "ocr");
  memset(f, 0, sizeof(f));
  snprintf(f[0].name, sizeof(f[0].name), "worker_name");
  f[0].value = name;
  snprintf(f[1].name, sizeof(f[1].name), "worker_ssn");
  f[1].value = ssn;
  snprintf(f[2].name, sizeof(f[2].name), "national_id");
  f[2].value = nid;
  snprintf(f[3].name, sizeof(f[3].name), "employer_number");
  f[3].value = emp;
  if(index_document_store_fields(db, id, "registration", f, 4))
    fail(db, "fields");
}

static double run_query(struct index_db *db, const char *q, size_t *hits)
{
  index_hit *h;
  size_t n;
  double t0 = now_ms();

  if(index_search(db, q, 20, 0, &h, &n))
    fail(db, "search");
  *hits = n;
  index_hits_free(h, n);
  return now_ms() - t0;
}

/* The i-th query of a kind, built from the generator's pools. */
static void make_query(int kind, long docs, char *q, size_t qn)
{
  const char *fn = first_names[pick(sizeof(first_names) /
                                    sizeof(first_names[0]))];
  const char *ln = last_names[pick(sizeof(last_names) /
                                   sizeof(last_names[0]))];
  long i = (long)pick((size_t)docs);

  switch(kind) {
  case 0: snprintf(q, qn, "%s", vocab[VOCAB - 1 - pick(200)]); break;
  case 1: snprintf(q, qn, "\"%s %s\"", fn, ln); break;
  case 2: snprintf(q, qn, "%010ld", 1000000000L + i * 7); break;
  case 3: snprintf(q, qn, "%.4s*", vocab[1 + pick(50)]); break;
  case 4: snprintf(q, qn, "جسين %s", ln); break; /* ح read as ج */
  default: snprintf(q, qn, "العمل"); break;
  }
}

int main(int argc, char **argv)
{
  static const char *const kinds[QUERY_KINDS] = {
      "rare word", "name phrase", "ID number", "prefix", "fuzzy name",
      "common word"};
  const char *archive = NULL;
  long docs = 10000, runs = 50, seed = 1;
  int words = 100;
  struct index_db *db;
  int64_t batch;
  dbuf text = DBUF_INIT;
  double t0, build_ms, *lat;
  struct stat sb;
  char path[4096];

  for(int i = 1; i + 1 < argc; i += 2) {
    if(strcmp(argv[i], "--archive") == 0)
      archive = argv[i + 1];
    else if(strcmp(argv[i], "--docs") == 0)
      docs = strtol(argv[i + 1], NULL, 10);
    else if(strcmp(argv[i], "--words") == 0)
      words = (int)strtol(argv[i + 1], NULL, 10);
    else if(strcmp(argv[i], "--seed") == 0)
      seed = strtol(argv[i + 1], NULL, 10);
    else if(strcmp(argv[i], "--runs") == 0)
      runs = strtol(argv[i + 1], NULL, 10);
  }
  if(!archive || docs < 0 || words < 1 || runs < 1) {
    fprintf(stderr, "usage: index-bench --archive DIR --docs N [--words W]"
                    " [--seed S] [--runs R]\n");
    return 2;
  }
  rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
  make_vocab();
  if(index_open(archive, &db))
    return 1;
  if(index_batch_create(db, "bench", "bench", NULL, NULL, &batch))
    fail(db, "batch");
  t0 = now_ms();
  for(long i = 0; i < docs; i++) {
    if(i % BATCH_DOCS == 0 && index_begin(db))
      fail(db, "begin");
    add_doc(db, batch, i, words, &text);
    if((i % BATCH_DOCS == BATCH_DOCS - 1 || i == docs - 1) &&
       index_commit(db))
      fail(db, "commit");
  }
  if(docs > 0 && index_search_optimize(db))
    fail(db, "optimize");
  build_ms = now_ms() - t0;
  if(docs == 0) {
    index_stats s;
    if(index_stats_get(db, &s))
      fail(db, "stats");
    docs = (long)s.documents;
  }
  snprintf(path, sizeof(path), "%s/%s", archive, INDEX_DB_NAME);
  stat(path, &sb);
  printf("documents %ld, words/page %d: build %.1f s (%.0f docs/s), "
         "database %.1f MiB\n",
         docs, words, build_ms / 1000.0, docs / (build_ms / 1000.0),
         (double)sb.st_size / (1024.0 * 1024.0));
  lat = calloc((size_t)runs, sizeof(*lat));
  for(int k = 0; k < QUERY_KINDS; k++) {
    size_t hits = 0, total = 0;
    char q[256];
    for(long r = 0; r < runs; r++) {
      make_query(k, docs, q, sizeof(q));
      lat[r] = run_query(db, q, &hits);
      total += hits;
    }
    qsort(lat, (size_t)runs, sizeof(*lat), cmp_double);
    printf("%-12s p50 %8.2f ms  p99 %8.2f ms  (mean hits %.1f)\n", kinds[k],
           lat[runs / 2], lat[(runs * 99) / 100 < runs ? (runs * 99) / 100
                                                        : runs - 1],
           (double)total / (double)runs);
  }
  free(lat);
  dbuf_free(&text);
  index_close(db);
  return 0;
}
