/*
 * bench_linkage.c - identity linkage on generated name variants: how often
 * documents reach the right worker, how often a wrong one (issue 5).
 *
 *   bench-linkage --archive DIR [--workers N] [--variants V] [--seed S]
 *                 [--verbose]    (--verbose lists the documents missed)
 *
 * Builds, through index/'s API, N workers (a registration each: a
 * four-part name from Arabic and Sorani pools, some with compounds such as
 * عبد الله, mother's name, birth date, 10-digit SSN, 12-digit national
 * ID) in a paper file of its own, then for each worker V documents
 * without numbers whose names are variants (ي/ی/ى, ه/ە, ة/ه, ك/ک, joined
 * or split compounds, one dot error: a letter swapped for one of the same
 * dotless shape), with the mother's name and birth date, or only the birth
 * date, or nothing, filed in the worker's paper file; or nothing beside
 * the name, filed in a folder of loose pages shared by all workers; then
 * one document with a misread SSN digit, in the worker's file; then
 * negatives: strangers (fresh names, each in a file of its own) and
 * namesakes (an existing worker's exact name with another mother and
 * birth date, misfiled in that worker's file), and for every worker a page
 * of his brother, who is not in the archive (same father, grandfather and
 * family, another given name), bearing nothing but that name, among the
 * loose pages: the nearest a name alone comes to a worker's without being
 * his.  Every fourth worker is the previous one's brother (same father,
 * grandfather, family and mother), with a file of his own.
 *
 * Reports: precision of automatic links (right worker / all automatic
 * links, negatives included), recall (variants linked to their worker),
 * recall with suggestions (linked, or the right worker proposed), what
 * became of the misread SSNs, and the time per document.  The data is
 * synthetic; nothing personal is printed.
 */
#define _XOPEN_SOURCE 700
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"
#include "index.h"

#define NAME_BYTES 256
#define DEFAULT_WORKERS 1000
#define DEFAULT_VARIANTS 4
#define SHAPES 4
#define LOOSE_FILE "loose" /* a folder of pages from many workers */
#define BROTHER_EVERY 4 /* every 4th worker is the previous one's brother */

static const char *const given[] = {
    "محمد", "علي", "حسن", "حسين", "أحمد", "عمر", "خالد", "سعيد", "كريم",
    "جعفر", "عباس", "ياسين", "فاضل", "ناصر", "عبد الله", "عبد الرحمن",
    "عبد الكريم", "نور الدين", "صلاح الدين", "إبراهيم", "يوسف", "جاسم",
    "كاظم", "مهدي", "صالح", "رشيد", "مصطفى", "حميد", "سلمان", "قاسم",
    "هادي", "زيد", "طه", "ماجد", "فيصل", "وليد", "ئاراس", "دیار", "هێمن",
    "شوان", "ڕێبوار", "کاوە", "بەختیار", "هاوڕێ", "دلشاد", "سامان", "پێشەوا",
    "ئازاد", "سەردار", "کامەران", "فەرهاد", "نەوزاد", "ڕزگار", "جەمال",
    "کەریم", "ڕەسوڵ", "عەبدوڵڵا", "ئەحمەد", "مەحمود", "عومەر"};
static const char *const family[] = {
    "الجبوري", "العبيدي", "الدليمي", "التميمي", "الساعدي", "الربيعي",
    "الخفاجي", "الزبيدي", "الشمري", "الكعبي", "بەرزنجی", "تاڵەبانی",
    "هەورامی", "جاف", "زەنگەنە", "حيدري", "موسوي", "النجار"};
static const char *const mothers[] = {
    "فاطمة", "زينب", "مريم", "خديجة", "سعاد", "نجلاء", "هدى", "سروە",
    "ژیلا", "نەسرین", "گوڵاڵە", "شیرین", "ئامینە", "هەتاو", "رقية", "صبيحة",
    "حليمة", "بدرية", "نادية", "كريمة", "سكينة", "وداد", "بشرى", "أمل"};

/* Letters of one dotless shape: an OCR dot error swaps within a group. */
static const char *const dot_groups[][5] = {
    {"ب", "ت", "ث", "ن", NULL}, {"ج", "ح", "خ", NULL},
    {"د", "ذ", NULL},           {"ر", "ز", NULL},
    {"س", "ش", NULL},           {"ص", "ض", NULL},
    {"ط", "ظ", NULL},           {"ع", "غ", NULL},
    {"ف", "ق", NULL}};
/* Spelling variants of one letter seen in the files. */
static const char *const swaps[][2] = {
    {"ي", "ی"}, {"ي", "ى"}, {"ه", "ە"}, {"ة", "ه"}, {"ك", "ک"}, {"ی", "ي"},
    {"ە", "ه"}, {"ک", "ك"}};

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

#define PICK(a) ((a)[pick(sizeof(a) / sizeof((a)[0]))])

struct person {
  const char *part[4]; /* given name, father, grandfather, family */
  char name[NAME_BYTES], mother[NAME_BYTES / 2];
  char birth[48], ssn[32], nid[32];
  char file[16]; /* the worker's paper file */
};

/* A new person; with brother, one who shares father, grandfather, family
 * and mother with brother (the hardest namesakes: three of four parts and
 * the mother's name agree). */
static void make_person(struct person *p, long serial,
                        const struct person *brother)
{
  if(brother) {
    do
      p->part[0] = PICK(given);
    while(p->part[0] == brother->part[0]);
    for(int i = 1; i < 4; i++)
      p->part[i] = brother->part[i];
    snprintf(p->mother, sizeof(p->mother), "%s", brother->mother);
  }
  else {
    for(int i = 0; i < 3; i++)
      p->part[i] = PICK(given);
    p->part[3] = PICK(family);
    snprintf(p->mother, sizeof(p->mother), "%s", PICK(mothers));
  }
  snprintf(p->name, sizeof(p->name), "%s %s %s %s", p->part[0], p->part[1],
           p->part[2], p->part[3]);
  snprintf(p->birth, sizeof(p->birth), "%04d-%02d-%02d",
           1930 + (int)pick(60), 1 + (int)pick(12), 1 + (int)pick(28));
  snprintf(p->ssn, sizeof(p->ssn), "%010ld", 1000000000L + serial * 7919L);
  snprintf(p->nid, sizeof(p->nid), "%012ld", 100000000000L + serial * 104729L);
}

/* Replaces the n-th occurrence (0-based) of from in s by to, in place.
 * Returns 1 when done. */
static int replace_nth(char *s, size_t cap, const char *from, const char *to,
                       size_t nth)
{
  char *at = s, tmp[NAME_BYTES * 2];
  size_t lf = strlen(from), lt = strlen(to);

  for(size_t k = 0;; k++) {
    at = strstr(at, from);
    if(!at)
      return 0;
    if(k == nth)
      break;
    at += lf;
  }
  if(strlen(s) - lf + lt + 1 > cap || strlen(s) + 1 > sizeof(tmp))
    return 0;
  snprintf(tmp, sizeof(tmp), "%s", at + lf);
  memcpy(at, to, lt);
  memcpy(at + lt, tmp, strlen(tmp) + 1);
  return 1;
}

static size_t count_of(const char *s, const char *what)
{
  size_t n = 0;

  for(const char *at = strstr(s, what); at; at = strstr(at + 1, what))
    n++;
  return n;
}

static int vary_spacing(char *s, size_t cap)
{
  if(count_of(s, "عبد "))
    return replace_nth(s, cap, "عبد ", "عبد", 0);
  if(count_of(s, " الدين"))
    return replace_nth(s, cap, " الدين", "الدين", 0);
  if(count_of(s, "عبدال"))
    return replace_nth(s, cap, "عبدال", "عبد ال", 0);
  return 0;
}

static int vary_letter(char *s, size_t cap)
{
  for(int tries = 0; tries < 8; tries++) {
    const char *const *sw = swaps[pick(sizeof(swaps) / sizeof(swaps[0]))];
    size_t n = count_of(s, sw[0]);
    if(n && replace_nth(s, cap, sw[0], sw[1], pick(n)))
      return 1;
  }
  return 0;
}

static int vary_dots(char *s, size_t cap)
{
  for(int tries = 0; tries < 16; tries++) {
    size_t g = pick(sizeof(dot_groups) / sizeof(dot_groups[0])), k = 0;
    const char *const *grp = dot_groups[g];
    while(grp[k])
      k++;
    size_t from = pick(k), to = pick(k - 1);
    if(to >= from)
      to++;
    size_t n = count_of(s, grp[from]);
    if(n && replace_nth(s, cap, grp[from], grp[to], pick(n)))
      return 1;
  }
  return 0;
}

/* One or two variations, at least one of which changed the name. */
static void vary_name(const char *in, char *out, size_t cap)
{
  int changed = 0;

  snprintf(out, cap, "%s", in);
  for(int round = 0; round < 6 && (!changed || (round < 2 && pick(2)));
      round++) {
    switch(pick(3)) {
    case 0:
      changed |= vary_spacing(out, cap);
      break;
    case 1:
      changed |= vary_letter(out, cap);
      break;
    default:
      changed |= vary_dots(out, cap);
      break;
    }
  }
}

static void misread_digit(const char *in, char *out, size_t cap)
{
  size_t n = strlen(in), at = pick(n);
  char d = (char)('0' + pick(9));

  snprintf(out, cap, "%s", in);
  if(d >= in[at])
    d++;
  out[at] = d;
}

/* ---- the archive --------------------------------------------------------- */

static struct index_db *db;
static int64_t batch;
static long doc_serial;

/* Adds a document to paper file file_no (its folder) with fields kv. */
static int64_t add_document(const char *file_no, const char *doc_type,
                            const char *const *kv)
{
  char source[64], sha[SHA256_HEX_LEN + 1];
  daftar_field f[12];
  index_document d = {0};
  size_t n = 0;
  int64_t id;

  snprintf(source, sizeof(source), "%s/doc-%06ld.tif", file_no,
           doc_serial++);
  if(sha256_hex(source, strlen(source), sha) ||
     index_master_put(db, sha, 1, "tiff", 1))
    return -1;
  d.batch_id = batch;
  d.source = source;
  d.file_no = (char *)file_no;
  d.sha256 = sha;
  d.page_count = 1;
  if(index_document_add(db, &d, &id))
    return -1;
  memset(f, 0, sizeof(f));
  for(; kv[0] && n < 12; kv += 2) {
    if(!kv[1])
      continue;
    snprintf(f[n].name, sizeof(f[n].name), "%s", kv[0]);
    f[n].value = (char *)kv[1];
    f[n].raw = (char *)kv[1];
    f[n].confidence = 90.0f;
    f[n].page = 1;
    n++;
  }
  if(index_document_store_fields(db, id, doc_type, f, n)) {
    fprintf(stderr, "bench-linkage: %s\n", index_errmsg(db));
    return -1;
  }
  return id;
}

/* The SSN of the worker a document is linked to ("" when none). */
static void linked_ssn(sqlite3 *raw, int64_t doc, char *out, size_t cap)
{
  sqlite3_stmt *st;

  out[0] = '\0';
  if(sqlite3_prepare_v2(raw,
                        "SELECT coalesce(w.ssn, '?') FROM documents d"
                        " JOIN workers w ON w.id = d.worker_id"
                        " WHERE d.id = ?1",
                        -1, &st, NULL) != SQLITE_OK)
    return;
  sqlite3_bind_int64(st, 1, doc);
  if(sqlite3_step(st) == SQLITE_ROW)
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* 1 when a pending suggestion proposes the worker with ssn for doc. */
static int proposed(const index_link_suggestion *s, size_t n, int64_t doc,
                    const char *ssn, const char *reason)
{
  for(size_t i = 0; i < n; i++)
    if(s[i].document_id == doc && s[i].worker_ssn &&
       strcmp(s[i].worker_ssn, ssn) == 0 &&
       (!reason || strcmp(s[i].reason, reason) == 0))
      return 1;
  return 0;
}

enum { K_VARIANT, K_MISREAD, K_STRANGER, K_NAMESAKE, K_BROTHER };

struct probe {
  int64_t doc;
  int kind;
  long worker; /* index of the true worker (variants, misreads) */
  int shape;    /* variants: which fields beside the name */
  char ssn[32]; /* the misread SSN */
  char name[NAME_BYTES]; /* the name written on the document */
};

static double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
  fprintf(stderr, "usage: bench-linkage --archive DIR [--workers N]"
                  " [--variants V] [--seed S] [--verbose]\n");
  return 2;
}

int main(int argc, char **argv)
{
  const char *dir = NULL;
  long nworkers = DEFAULT_WORKERS, nvariants = DEFAULT_VARIANTS;
  unsigned long seed = 1;
  int verbose = 0;
  long shape_n[SHAPES] = {0}, shape_linked[SHAPES] = {0},
       shape_found[SHAPES] = {0};
  static const char *const shape_names[SHAPES] = {
      "name + mother + birth date", "name + birth date",
      "name alone, worker's file", "name alone, loose pages"};
  struct person *people;
  struct probe *probes;
  size_t nprobes = 0, cap;
  index_link_suggestion *sugg = NULL;
  size_t nsugg = 0;
  sqlite3 *raw;
  char path[4096];
  double t0, t_base, t_probe;
  long auto_right = 0, auto_wrong = 0, variants = 0, var_linked = 0,
       var_found = 0, misreads = 0, mis_proposed = 0, mis_linked = 0,
       mis_new = 0, mis_other = 0, negatives = 0, neg_linked = 0, neg_proposed = 0,
       bro_n = 0, bro_linked = 0, bro_proposed = 0;

  for(int i = 1; i < argc; i++) {
    if(strcmp(argv[i], "--archive") == 0 && i + 1 < argc)
      dir = argv[++i];
    else if(strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
      nworkers = strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--variants") == 0 && i + 1 < argc)
      nvariants = strtol(argv[++i], NULL, 10);
    else if(strcmp(argv[i], "--verbose") == 0)
      verbose = 1;
    else if(strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
      seed = strtoul(argv[++i], NULL, 10);
    else
      return usage();
  }
  if(!dir || nworkers < 1 || nworkers > 1000000 || nvariants < 0 ||
     nvariants > 100)
    return usage();
  rng_state = seed * 2654435761UL + 1;
  daftar_log_set_level(DLOG_WARN);
  if(index_open(dir, &db) || index_batch_create(db, "bench-linkage", "bench",
                                                "host", dir, &batch)) {
    fprintf(stderr, "bench-linkage: cannot open %s\n", dir);
    return 1;
  }
  people = calloc((size_t)nworkers, sizeof(*people));
  cap = (size_t)nworkers * (size_t)(nvariants + 4);
  probes = calloc(cap, sizeof(*probes));
  if(!people || !probes)
    return 1;
  t0 = now_s();
  index_begin(db);
  for(long w = 0; w < nworkers; w++) {
    struct person *p = &people[w];
    make_person(p, w, w % BROTHER_EVERY == BROTHER_EVERY - 1 ? p - 1 : NULL);
    const char *kv[] = {"worker_name", p->name,  "mother_name", p->mother,
                        "birth_date",  p->birth, "worker_ssn",  p->ssn,
                        "national_id", p->nid,   NULL};
    snprintf(p->file, sizeof(p->file), "%07ld", w);
    if(add_document(p->file, "registration", kv) < 0)
      return 1;
  }
  index_commit(db);
  t_base = now_s() - t0;
  t0 = now_s();
  index_begin(db);
  for(long w = 0; w < nworkers; w++) {
    struct person *p = &people[w];
    char name[NAME_BYTES], ssn[32];
    for(long v = 0; v < nvariants; v++) {
      /* Shapes: 0 name, mother, birth date; 1 name and birth date; 2 the
       * name alone (a wage-change notice whose SSN was not read), all in
       * the worker's file; 3 the name alone among loose pages. */
      int shape = (int)(v % SHAPES);
      vary_name(p->name, name, sizeof(name));
      const char *kv[] = {"worker_name", name,
                          "birth_date",  shape < 2 ? p->birth : NULL,
                          "mother_name", shape == 0 ? p->mother : NULL,
                          NULL};
      probes[nprobes] = (struct probe){
          add_document(shape == 3 ? LOOSE_FILE : p->file, "wage_change", kv),
                                       K_VARIANT, w, shape, "", ""};
      snprintf(probes[nprobes++].name, NAME_BYTES, "%s", name);
    }
    vary_name(p->name, name, sizeof(name));
    misread_digit(p->ssn, ssn, sizeof(ssn));
    {
      const char *kv[] = {"worker_name", name,     "worker_ssn", ssn,
                          "birth_date",  p->birth, NULL};
      probes[nprobes] = (struct probe){add_document(p->file, "termination",
                                                    kv),
                                       K_MISREAD, w, 0, "", ""};
      snprintf(probes[nprobes].ssn, sizeof(probes[nprobes].ssn), "%s", ssn);
      snprintf(probes[nprobes++].name, NAME_BYTES, "%s", name);
    }
    if(w % 2 == 0) {
      struct person q;
      make_person(&q, nworkers + w, NULL);
      const char *kv[] = {"worker_name", q.name, "mother_name", q.mother,
                          "birth_date", q.birth, NULL};
      char file[16];
      snprintf(file, sizeof(file), "S%07ld", w);
      probes[nprobes++] = (struct probe){add_document(file, "other", kv),
                                         K_STRANGER, -1, 0, "", ""};
    }
    else {
      struct person q;
      make_person(&q, nworkers + w, NULL);
      const char *kv[] = {"worker_name", p->name, "mother_name", q.mother,
                          "birth_date", q.birth, NULL};
      probes[nprobes++] = (struct probe){add_document(p->file, "other", kv),
                                         K_NAMESAKE, -1, 0, "", ""};
    }
    {
      /* His brother, not in the archive: a given name no worker with his
       * father, grandfather and family has. */
      struct person q;
      int taken;
      do {
        make_person(&q, 2 * nworkers + w, p);
        taken = 0;
        for(long k = 0; k < nworkers && !taken; k++)
          taken = strcmp(people[k].name, q.name) == 0;
      } while(taken);
      const char *kv[] = {"worker_name", q.name, NULL};
      probes[nprobes++] = (struct probe){
          add_document(LOOSE_FILE, "wage_change", kv), K_BROTHER, -1, 0, "",
          ""};
    }
  }
  index_commit(db);
  t_probe = now_s() - t0;
  if(index_link_suggestions_list(db, NULL, INDEX_SEARCH_LIMIT_MAX, 0, &sugg,
                                 &nsugg) == DAFTAR_OK &&
     nsugg == INDEX_SEARCH_LIMIT_MAX) {
    /* Read the whole queue. */
    index_link_suggestion *more;
    size_t nmore;
    for(int off = INDEX_SEARCH_LIMIT_MAX;
        index_link_suggestions_list(db, NULL, INDEX_SEARCH_LIMIT_MAX, off,
                                    &more, &nmore) == DAFTAR_OK &&
        nmore > 0;
        off += INDEX_SEARCH_LIMIT_MAX) {
      index_link_suggestion *all =
          realloc(sugg, (nsugg + nmore) * sizeof(*sugg));
      if(!all)
        return 1;
      sugg = all;
      memcpy(sugg + nsugg, more, nmore * sizeof(*more));
      nsugg += nmore;
      free(more);
    }
  }
  snprintf(path, sizeof(path), "%s/%s", dir, INDEX_DB_NAME);
  if(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    return 1;
  for(size_t i = 0; i < nprobes; i++) {
    const struct probe *pr = &probes[i];
    const char *want = pr->worker >= 0 ? people[pr->worker].ssn : NULL;
    char got[32];
    linked_ssn(raw, pr->doc, got, sizeof(got));
    if(pr->kind == K_MISREAD) {
      misreads++;
      if(got[0] && strcmp(got, want) == 0)
        mis_linked++;
      else if(got[0] && strcmp(got, pr->ssn) == 0)
        mis_new++;
      else if(got[0])
        mis_other++;
      if(verbose && !proposed(sugg, nsugg, pr->doc, want, "ssn_one_digit"))
        printf("  misread not proposed: %s / %s\n", pr->name,
               people[pr->worker].name);
      if(proposed(sugg, nsugg, pr->doc, want, "ssn_one_digit"))
        mis_proposed++;
      continue;
    }
    if(pr->kind == K_VARIANT) {
      variants++;
      shape_n[pr->shape]++;
      if(got[0] && strcmp(got, want) == 0) {
        var_linked++;
        auto_right++;
        var_found++;
        shape_linked[pr->shape]++;
        shape_found[pr->shape]++;
      }
      else {
        if(got[0])
          auto_wrong++;
        if(proposed(sugg, nsugg, pr->doc, want, NULL)) {
          var_found++;
          shape_found[pr->shape]++;
        }
        if(verbose && pr->shape == 0)
          printf("  variant not linked: %s / %s\n", pr->name,
                 people[pr->worker].name);
      }
      continue;
    }
    negatives++;
    bro_n += pr->kind == K_BROTHER;
    if(got[0]) {
      neg_linked++;
      bro_linked += pr->kind == K_BROTHER;
      auto_wrong++;
      if(verbose)
        printf("  %s linked to %s\n",
               pr->kind == K_NAMESAKE  ? "namesake"
               : pr->kind == K_BROTHER ? "unseen brother"
                                       : "stranger",
               got);
    }
    for(size_t k = 0; k < nsugg; k++)
      if(sugg[k].document_id == pr->doc) {
        neg_proposed++;
        bro_proposed += pr->kind == K_BROTHER;
        break;
      }
  }
  printf("bench-linkage: %ld workers, %ld variant documents, %ld misread "
         "SSNs, %ld negatives (seed %lu)\n",
         nworkers, variants, misreads, negatives, seed);
  printf("automatic links: precision %.2f%% (%ld right, %ld wrong)\n",
         auto_right + auto_wrong
             ? 100.0 * (double)auto_right / (double)(auto_right + auto_wrong)
             : 100.0,
         auto_right, auto_wrong);
  printf("variants: recall %.2f%% linked, %.2f%% linked or proposed\n",
         100.0 * (double)var_linked / (double)(variants ? variants : 1),
         100.0 * (double)var_found / (double)(variants ? variants : 1));
  for(int k = 0; k < SHAPES; k++)
    if(shape_n[k])
      printf("  %-27s %5ld documents: %6.2f%% linked, %6.2f%% linked or "
             "proposed\n",
             shape_names[k], shape_n[k],
             100.0 * (double)shape_linked[k] / (double)shape_n[k],
             100.0 * (double)shape_found[k] / (double)shape_n[k]);
  printf("misread SSNs: %.2f%% proposed (ssn_one_digit); %ld linked "
         "silently to the right worker, %ld made a worker of their own, %ld "
         "linked to another worker\n",
         100.0 * (double)mis_proposed / (double)(misreads ? misreads : 1),
         mis_linked, mis_new, mis_other);
  printf("negatives: %ld linked (wrong), %ld proposed to an archivist\n",
         neg_linked, neg_proposed);
  printf("  of which unseen brothers' loose pages (name alone): %ld, %ld "
         "linked (wrong), %ld proposed\n",
         bro_n, bro_linked, bro_proposed);
  printf("time: %.2f ms per registration, %.2f ms per probe document\n",
         1000.0 * t_base / (double)nworkers,
         1000.0 * t_probe / (double)(nprobes ? nprobes : 1));
  sqlite3_close(raw);
  index_link_suggestions_free(sugg, nsugg);
  free(people);
  free(probes);
  index_close(db);
  return 0;
}
