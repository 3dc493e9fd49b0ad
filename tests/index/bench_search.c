/*
 * bench_search.c - builds a synthetic archive through index/'s API and
 * measures search latency (issue 6).
 *
 *   index-bench --archive DIR --docs N [--words W] [--seed S] [--runs R]
 *               [--api] [--no-optimize] [--add N] [--finish]
 * (--docs 0 measures an archive built before, with the same --seed;
 * --finish first completes a bulk load that was cut short.)
 * By default the archive is loaded in bulk mode (index_bulk_begin/end:
 * the search rows are made once per document at the end, FTS5 automerge
 * off while loading, then 'optimize'); --api loads through the ordinary
 * write path instead.  --add N then adds N more documents the ordinary way
 * (one transaction, no rebuild) and reports what that cost.  Peak RSS is
 * the process's (getrusage).
 *
 * Each document has one page of W words of generated prose (Zipf-like word
 * frequencies over a made-up Arabic-script vocabulary, one word present in
 * every page), a worker (name from pools of Arabic and Sorani names; one
 * document in 100 with a rare surname; 12-digit SSN and national ID),
 * birth and start dates, and an employer.  Not OCR: the text
 * is clean.  Reports build time, database size and p50/p99 latency of:
 * a rare name, two parts of a name as a phrase ("name phrase": from pools
 * of 32 and 20 names, so it is on 1 page in 640, a common name rather than
 * a selective query), the full name of three parts as a phrase (1 page in
 * 20,480), an ID number, prefixes of 2 and 3 letters, a fuzzy name (one dot
 * error, found by the skeleton fallback) in two and three parts, a rare
 * name with a date range, a rare and a common word, and the viewer's
 * grouped answers.
 * Prints personal-looking data nowhere: all of it is synthetic.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "core.h"
#include "index.h"

#define VOCAB 4000
#define BATCH_DOCS 10000 /* documents per transaction */
#define QUERY_KINDS 13
#define RARE_EVERY 100 /* one document in RARE_EVERY has a rare surname */
#define RARE_DOCS 10   /* documents per rare surname, about */

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
static long rare_names = 100; /* distinct rare surnames: docs / 1000 */

/* Rare surname j: "ال" and 5 letters drawn from a hash of j. */
static void rare_name(long j, char *out, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15ULL * (uint64_t)(j + 1);
  size_t k = 0;

  snprintf(out, n, "ال");
  k = strlen(out);
  for(int i = 0; i < 5 && k + 3 < n; i++) {
    const char *l = letters[h % (sizeof(letters) / sizeof(letters[0]))];
    h = h / 20 + 0x2545F4914F6CDD1DULL * (uint64_t)(i + 1);
    memcpy(out + k, l, strlen(l));
    k += strlen(l);
  }
  out[k] = '\0';
}

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

/* 12-digit IDs scattered over the space (i times a prime, modulo): IDs
 * issued one after another would be one digit apart, which the linkage of
 * issue 5 rightly treats as possible misreadings to propose, not link. */
#define ID_BASE 100000000000ULL
#define ID_SPAN 900000000000ULL

static unsigned long long ssn_of(long i)
{
  return ID_BASE + ((unsigned long long)i * 2654435761ULL) % ID_SPAN;
}

static unsigned long long nid_of(long i)
{
  return ID_BASE + ((unsigned long long)i * 4294967291ULL + 12345) % ID_SPAN;
}

static void add_doc(struct index_db *db, int64_t batch, long i, int words,
                    dbuf *text)
{
  char sha[SHA256_HEX_LEN + 1], src[64], file_no[24], ssn[24], nid[24];
  char emp[24];
  char name[128];
  index_document d = {0};
  index_page_info p = {1, 2480, 3508, 300, 300, 1, "g4"};
  index_ocr_result r = {0};
  daftar_field f[6];
  char born[48], start[48]; /* room for any int, so -Wformat-truncation is quiet */
  int64_t id;

  /* Two documents per paper file, as in the archive. */
  snprintf(file_no, sizeof(file_no), "%06ld", i / 2);
  snprintf(src, sizeof(src), "%s/doc-%02ld.tif", file_no, 1 + i % 2);
  sha256_hex(src, strlen(src), sha);
  snprintf(ssn, sizeof(ssn), "%012llu", ssn_of(i));
  snprintf(nid, sizeof(nid), "%012llu", nid_of(i));
  snprintf(emp, sizeof(emp), "%ld", 5000 + i % 997);
  if(i % RARE_EVERY == RARE_EVERY / 2) {
    char rare[64];
    rare_name((i / RARE_EVERY) % rare_names, rare, sizeof(rare));
    snprintf(name, sizeof(name), "%s %s",
             first_names[pick(sizeof(first_names) / sizeof(first_names[0]))],
             rare);
  }
  else
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
  d.file_no = file_no;
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
  snprintf(born, sizeof(born), "%04d-%02d-%02d", 1930 + (int)pick(50),
           1 + (int)pick(12), 1 + (int)pick(28));
  snprintf(start, sizeof(start), "%04d-%02d-%02d", 1960 + (int)pick(60),
           1 + (int)pick(12), 1 + (int)pick(28));
  snprintf(f[4].name, sizeof(f[4].name), "birth_date");
  f[4].value = born;
  snprintf(f[5].name, sizeof(f[5].name), "start_date");
  f[5].value = start;
  if(index_document_store_fields(db, id, "registration", f, 6))
    fail(db, "fields");
}

/* grouped: index_search_grouped (the viewer's per-worker answer, 20
 * workers; *hits counts workers), else index_search (20 documents). */
static double run_query(struct index_db *db, const char *q, int grouped,
                        size_t *hits)
{
  index_hit *h;
  index_group *g;
  size_t n;
  double t0 = now_ms();

  if(grouped) {
    if(index_search_grouped(db, q, 20, 0, &g, &n))
      fail(db, "grouped search");
    index_groups_free(g, n);
  }
  else {
    if(index_search(db, q, 20, 0, &h, &n))
      fail(db, "search");
    index_hits_free(h, n);
  }
  *hits = n;
  return now_ms() - t0;
}

/* The i-th query of a kind, built from the generator's pools. */
static void make_query(int kind, long docs, char *q, size_t qn)
{
  const char *fn = first_names[pick(sizeof(first_names) /
                                    sizeof(first_names[0]))];
  const char *fn2 = first_names[pick(sizeof(first_names) /
                                     sizeof(first_names[0]))];
  const char *ln = last_names[pick(sizeof(last_names) /
                                   sizeof(last_names[0]))];
  long i = (long)pick((size_t)docs);

  char rare[64];

  rare_name((long)pick((size_t)rare_names), rare, sizeof(rare));
  switch(kind) {
  case 0: snprintf(q, qn, "%s", rare); break;
  case 1: snprintf(q, qn, "\"%s %s\"", fn, ln); break;
  case 2: snprintf(q, qn, "%012llu", ssn_of(i)); break;
  case 3: snprintf(q, qn, "%.4s*", vocab[1 + pick(50)]); break;
  case 4: snprintf(q, qn, "%.6s*", vocab[1 + pick(400)]); break;
  case 5: snprintf(q, qn, "جسين %s", ln); break; /* ح read as ج */
  case 6: snprintf(q, qn, "%s start:%d..%d", rare, 1960 + (int)pick(40),
                   2000 + (int)pick(20)); break;
  case 7: snprintf(q, qn, "%s", vocab[VOCAB - 1 - pick(200)]); break;
  case 8: snprintf(q, qn, "العمل"); break;
  case 9: snprintf(q, qn, "%s %s", fn, ln); break; /* grouped */
  case 10: snprintf(q, qn, "العمل"); break;        /* grouped */
  /* The whole name as written on a form: first, father's, family. */
  case 11: snprintf(q, qn, "\"%s %s %s\"", fn2, fn, ln); break;
  default: snprintf(q, qn, "جسين %s %s", fn, ln); break; /* ح read as ج */
  }
}

/* CPU seconds (user + system) used so far: on a shared machine the wall
 * clock also counts other jobs' time. */
static double cpu_s(void)
{
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double peak_rss_mib(void)
{
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_maxrss / 1024.0; /* KiB on Linux */
}

/* daftar.db plus its WAL (what the archive takes on disk). */
static double db_mib(const char *archive)
{
  char path[4096];
  struct stat sb;
  double total = 0;

  snprintf(path, sizeof(path), "%s/%s", archive, INDEX_DB_NAME);
  if(stat(path, &sb) == 0)
    total += (double)sb.st_size;
  snprintf(path, sizeof(path), "%s/%s-wal", archive, INDEX_DB_NAME);
  if(stat(path, &sb) == 0)
    total += (double)sb.st_size;
  return total / (1024.0 * 1024.0);
}

static void load(struct index_db *db, int64_t batch, long from, long to,
                 int words, dbuf *text)
{
  for(long i = from; i < to; i++) {
    if((i - from) % BATCH_DOCS == 0 && index_begin(db))
      fail(db, "begin");
    add_doc(db, batch, i, words, text);
    if(((i - from) % BATCH_DOCS == BATCH_DOCS - 1 || i == to - 1) &&
       index_commit(db))
      fail(db, "commit");
  }
}

static void measure(struct index_db *db, long docs, long runs,
                    const char *const *kinds)
{
  double *lat = calloc((size_t)runs, sizeof(*lat));

  for(int k = 0; k < QUERY_KINDS; k++) {
    size_t hits = 0, total = 0;
    char q[256];
    for(long r = 0; r < runs; r++) {
      make_query(k, docs, q, sizeof(q));
      lat[r] = run_query(db, q, k == 9 || k == 10, &hits);
      total += hits;
    }
    qsort(lat, (size_t)runs, sizeof(*lat), cmp_double);
    printf("%-22s p50 %8.2f ms  p99 %8.2f ms  max %8.2f ms  (mean hits "
           "%.1f)\n",
           kinds[k], lat[runs / 2],
           lat[(runs * 99) / 100 < runs ? (runs * 99) / 100 : runs - 1],
           lat[runs - 1], (double)total / (double)runs);
    fflush(stdout);
  }
  free(lat);
}

int main(int argc, char **argv)
{
  static const char *const kinds[QUERY_KINDS] = {
      "rare name", "name phrase", "ID number", "prefix 2 letters",
      "prefix 3 letters", "fuzzy name (dot)", "rare name + start:range",
      "rare word", "common word", "grouped: name words",
      "grouped: common word", "full name phrase", "fuzzy full name"};
  const char *archive = NULL;
  long docs = 10000, runs = 100, seed = 1, add = 0;
  int words = 100, api = 0, optimize = 1, finish = 0;
  struct index_db *db;
  int64_t batch;
  dbuf text = DBUF_INIT;
  double t0, load_ms = 0, index_ms = 0, opt_ms = 0;

  for(int i = 1; i < argc; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if(strcmp(argv[i], "--api") == 0)
      api = 1;
    else if(strcmp(argv[i], "--no-optimize") == 0)
      optimize = 0;
    else if(strcmp(argv[i], "--finish") == 0)
      finish = 1;
    else if(!v)
      break;
    else if(strcmp(argv[i], "--archive") == 0)
      archive = argv[++i];
    else if(strcmp(argv[i], "--docs") == 0)
      docs = strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--words") == 0)
      words = (int)strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--seed") == 0)
      seed = strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--runs") == 0)
      runs = strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--add") == 0)
      add = strtol(argv[++i], NULL, 10);
  }
  if(!archive || docs < 0 || words < 1 || runs < 1 || add < 0) {
    fprintf(stderr, "usage: index-bench --archive DIR --docs N [--words W]"
                    " [--seed S] [--runs R] [--api] [--no-optimize]"
                    " [--add N]\n");
    return 2;
  }
  rng_state = 0x9E3779B97F4A7C15ULL ^ (uint64_t)seed;
  make_vocab();
  t0 = now_ms();
  if(index_open(archive, &db))
    return 1;
  if(now_ms() - t0 > 1000.0) /* an older archive's schema steps ran */
    printf("open: %.1f s (schema steps)\n", (now_ms() - t0) / 1000.0);
  if(docs > 0) {
    rare_names = docs / (RARE_EVERY * RARE_DOCS) > 10
                     ? docs / (RARE_EVERY * RARE_DOCS)
                     : 10;
    if(index_batch_create(db, "bench", "bench", NULL, NULL, &batch))
      fail(db, "batch");
    double c0 = cpu_s();
    t0 = now_ms();
    if(!api && index_bulk_begin(db))
      fail(db, "bulk begin");
    load(db, batch, 0, docs, words, &text);
    load_ms = now_ms() - t0;
    printf("load: %ld documents in %.1f s wall, %.1f s CPU (%.0f docs/s"
           " wall), peak RSS %.0f MiB\n",
           docs, load_ms / 1000.0, cpu_s() - c0, docs / (load_ms / 1000.0),
           peak_rss_mib());
    fflush(stdout);
    c0 = cpu_s();
    t0 = now_ms();
    if(!api && index_bulk_end(db, 0))
      fail(db, "bulk end");
    index_ms = now_ms() - t0;
    printf("search rows: %.1f s wall, %.1f s CPU (%.0f docs/s wall), peak"
           " RSS %.0f MiB\n",
           index_ms / 1000.0, cpu_s() - c0, docs / (index_ms / 1000.0),
           peak_rss_mib());
    fflush(stdout);
    c0 = cpu_s();
    t0 = now_ms();
    if(optimize && index_search_optimize(db))
      fail(db, "optimize");
    opt_ms = now_ms() - t0;
    printf("optimize: %.1f s wall, %.1f s CPU, peak RSS %.0f MiB\n",
           opt_ms / 1000.0, cpu_s() - c0, peak_rss_mib());
    index_close(db); /* checkpoints the WAL: the size below is the file */
    if(index_open(archive, &db))
      return 1;
  }
  else {
    index_stats s;
    if(finish) {
      /* An archive whose load was cut short (the process killed while
       * loading): the next bulk end indexes what has no search row. */
      double c0 = cpu_s();
      t0 = now_ms();
      if(index_bulk_begin(db) || index_bulk_end(db, 0))
        fail(db, "finishing the bulk load");
      index_ms = now_ms() - t0;
      printf("finish: search rows %.1f s wall, %.1f s CPU\n",
             index_ms / 1000.0, cpu_s() - c0);
      c0 = cpu_s();
      t0 = now_ms();
      if(optimize && index_search_optimize(db))
        fail(db, "optimize");
      opt_ms = now_ms() - t0;
      printf("optimize: %.1f s wall, %.1f s CPU, peak RSS %.0f MiB\n",
             opt_ms / 1000.0, cpu_s() - c0, peak_rss_mib());
      fflush(stdout);
    }
    if(index_stats_get(db, &s))
      fail(db, "stats");
    docs = (long)s.documents;
    rare_names = docs / (RARE_EVERY * RARE_DOCS) > 10
                     ? docs / (RARE_EVERY * RARE_DOCS)
                     : 10;
  }
  if(load_ms + index_ms + opt_ms > 0)
    printf("documents %ld, words/page %d, %s: build %.1f s (%.0f docs/s), ",
           docs, words, api ? "API path" : "bulk",
           (load_ms + index_ms + opt_ms) / 1000.0,
           docs / ((load_ms + index_ms + opt_ms) / 1000.0));
  else /* --docs 0: an archive built before */
    printf("documents %ld, words/page %d, built before, ", docs, words);
  printf("database %.1f MiB (%.2f KiB/page)\n", db_mib(archive),
         db_mib(archive) * 1024.0 / (double)docs);
  fflush(stdout);
  measure(db, docs, runs, kinds);
  if(add > 0) {
    double before = db_mib(archive);
    if(index_batch_create(db, "bench-add", "bench", NULL, NULL, &batch))
      fail(db, "batch");
    double c0 = cpu_s();
    t0 = now_ms();
    load(db, batch, docs, docs + add, words, &text);
    t0 = now_ms() - t0;
    printf("incremental: %ld documents through the ordinary write path"
           " (one transaction, automerge on, no rebuild) in %.2f s wall,"
           " %.2f s CPU (%.0f docs/s wall), database +%.1f MiB\n",
           add, t0 / 1000.0, cpu_s() - c0, add / (t0 / 1000.0),
           db_mib(archive) - before);
    docs += add;
    measure(db, docs, runs / 2 > 10 ? runs / 2 : 10, kinds);
  }
  printf("peak RSS %.0f MiB\n", peak_rss_mib());
  dbuf_free(&text);
  index_close(db);
  return 0;
}
