/*
 * names.c - fuzzy worker names: trigrams for candidates, edit distance per
 * name part for the verdict.
 *
 * Every spelling of a worker's name (worker_names.key, already folded) is
 * split into parts; each part, padded with '^' and '$', yields its
 * code-point trigrams into worker_name_grams.  A query's parts yield theirs;
 * the workers sharing the most trigrams are the candidates (at most
 * FUZZY_CANDIDATES), and a candidate matches when every query part is
 * within a small edit distance of one of its name parts, or of two adjacent
 * parts written together (عبد الله / عبدالله costs nothing that way).  The
 * score is the sum of the distances: 0 is best.
 *
 * This is search's last resort, after exact keys and skeletons found
 * nothing: letters OCR confused beyond dots, a letter dropped or added.
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define NAME_PART_MAX 64      /* code points of one part considered */
#define NAME_PARTS_MAX 8      /* parts of one name or query considered */
#define FUZZY_CANDIDATES 200  /* workers whose names are compared */

/* Allowed edit distance for a query part of n code points. */
static int part_budget(size_t n)
{
  if(n <= 3)
    return 0;
  return n <= 6 ? 1 : 2;
}

/* Splits key (parts separated by one space) into at most NAME_PARTS_MAX
 * heap strings. */
static size_t split_parts(const char *key, char *parts[NAME_PARTS_MAX])
{
  size_t n = 0;

  while(*key && n < NAME_PARTS_MAX) {
    const char *sp = strchr(key, ' ');
    size_t len = sp ? (size_t)(sp - key) : strlen(key);
    if(len) {
      parts[n] = malloc(len + 1);
      if(!parts[n])
        break;
      memcpy(parts[n], key, len);
      parts[n][len] = '\0';
      n++;
    }
    key += len;
    while(*key == ' ')
      key++;
  }
  return n;
}

static void free_parts(char **parts, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(parts[i]);
}

static size_t code_points(const char *s)
{
  size_t i = 0, k = 0, adv, n = strlen(s);

  while(i < n) {
    utf8_decode(s + i, n - i, &adv);
    i += adv;
    k++;
  }
  return k;
}

/* Calls fn for each trigram of "^part$". */
static int part_grams(const char *part, int (*fn)(void *, const char *),
                      void *arg)
{
  uint32_t cp[NAME_PART_MAX + 2];
  size_t n = 0, i = 0, adv, len = strlen(part);
  int rc = DAFTAR_OK;

  cp[n++] = '^';
  while(i < len && n < NAME_PART_MAX + 1) {
    cp[n++] = utf8_decode(part + i, len - i, &adv);
    i += adv;
  }
  cp[n++] = '$';
  for(size_t k = 0; k + 3 <= n && rc == DAFTAR_OK; k++) {
    char gram[16];
    size_t g = 0;
    for(size_t j = 0; j < 3; j++)
      g += utf8_encode(cp[k + j], gram + g);
    gram[g] = '\0';
    rc = fn(arg, gram);
  }
  return rc;
}

/* ---- storing ------------------------------------------------------------- */

struct gram_store {
  struct index_db *db;
  int64_t worker_id;
};

static int store_gram(void *arg, const char *gram)
{
  static const char SQL[] =
      "INSERT OR IGNORE INTO worker_name_grams(gram, worker_id)"
      " VALUES(?1, ?2)";
  struct gram_store *gs = arg;
  sqlite3_stmt *st = db_stmt(gs->db, SQL);

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, gram);
  sqlite3_bind_int64(st, 2, gs->worker_id);
  return db_step_done(gs->db, st, "recording name trigrams");
}

int names_store_grams(struct index_db *db, int64_t worker_id,
                      const char *key)
{
  struct gram_store gs = {db, worker_id};
  char *parts[NAME_PARTS_MAX];
  size_t n = split_parts(key, parts);
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = part_grams(parts[i], store_gram, &gs);
  free_parts(parts, n);
  return rc;
}

/* ---- matching -------------------------------------------------------------- */

static int json_gram(void *arg, const char *gram)
{
  dbuf *json = arg;
  int rc = dbuf_puts(json, json->len > 1 ? ",\"" : "\"");

  if(!rc)
    rc = dbuf_puts(json, gram); /* grams of folded words: no quotes */
  return rc ? rc : dbuf_putc(json, '"');
}

/* Best distance of qp to a name part or two adjacent parts joined; -1 on
 * ENOMEM. */
static int best_part_distance(const char *qp, char **np, size_t nn)
{
  int best = -1;

  for(size_t j = 0; j < nn; j++) {
    int d = text_edit_distance(qp, np[j]);
    if(d < 0)
      return -1;
    if(best < 0 || d < best)
      best = d;
    if(j + 1 < nn) {
      size_t a = strlen(np[j]), b = strlen(np[j + 1]);
      char *joined = malloc(a + b + 1);
      if(!joined)
        return -1;
      memcpy(joined, np[j], a);
      memcpy(joined + a, np[j + 1], b + 1);
      d = text_edit_distance(qp, joined);
      free(joined);
      if(d < 0)
        return -1;
      if(d < best)
        best = d;
    }
  }
  return best;
}

/* Score of a name key against the query parts: the sum of distances, or
 * -1 when some part is too far. */
static int name_score(char **qp, size_t nq, const char *name_key)
{
  char *np[NAME_PARTS_MAX];
  size_t nn = split_parts(name_key, np);
  int total = 0;

  for(size_t i = 0; i < nq && total >= 0; i++) {
    int d = best_part_distance(qp[i], np, nn);
    if(d < 0 || d > part_budget(code_points(qp[i])))
      total = -1;
    else
      total += d;
  }
  free_parts(np, nn);
  return total;
}

static int cmp_match(const void *a, const void *b)
{
  const struct names_match *x = a, *y = b;

  if(x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return x->worker_id < y->worker_id ? -1 : x->worker_id > y->worker_id;
}

/* Scores one candidate worker's spellings into m (score -1: none fits). */
static int score_worker(struct index_db *db, char **qp, size_t nq,
                        int64_t worker_id, struct names_match *m)
{
  static const char SQL[] =
      "SELECT name, key FROM worker_names WHERE worker_id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  m->worker_id = worker_id;
  m->score = -1;
  m->name = NULL;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int s = name_score(qp, nq, (const char *)sqlite3_column_text(st, 1));
    if(s >= 0 && (m->score < 0 || s < m->score)) {
      free(m->name);
      m->name = db_col_dup(st, 0);
      m->score = s;
    }
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading names");
  return DAFTAR_OK;
}

void names_matches_free(struct names_match *m, size_t n)
{
  if(!m)
    return;
  for(size_t i = 0; i < n; i++)
    free(m[i].name);
  free(m);
}

int names_fuzzy(struct index_db *db, const char *query_key,
                struct names_match **out, size_t *nout)
{
  static const char SQL[] =
      "SELECT worker_id FROM worker_name_grams"
      " WHERE gram IN (SELECT value FROM json_each(?1))"
      " GROUP BY worker_id ORDER BY count(*) DESC, worker_id LIMIT ?2";
  char *qp[NAME_PARTS_MAX];
  size_t nq = split_parts(query_key, qp), count = 0;
  struct names_match *v = NULL;
  dbuf json = DBUF_INIT;
  sqlite3_stmt *st = NULL;
  int rc = dbuf_putc(&json, '[');

  *out = NULL;
  *nout = 0;
  for(size_t i = 0; i < nq && rc == DAFTAR_OK; i++)
    rc = part_grams(qp[i], json_gram, &json);
  if(!rc)
    rc = dbuf_putc(&json, ']');
  if(rc || nq == 0)
    goto out;
  v = calloc(FUZZY_CANDIDATES, sizeof(*v));
  st = db_stmt(db, SQL);
  if(!v || !st) {
    rc = v ? DAFTAR_EDB : DAFTAR_ENOMEM;
    goto out;
  }
  db_bind_text(st, 1, dbuf_cstr(&json));
  sqlite3_bind_int(st, 2, FUZZY_CANDIDATES);
  {
    /* Candidates first (the statement must be reset before score_worker
     * uses the connection's other cached statements freely). */
    int64_t ids[FUZZY_CANDIDATES];
    size_t nids = 0;
    while(nids < FUZZY_CANDIDATES && (rc = sqlite3_step(st)) == SQLITE_ROW)
      ids[nids++] = sqlite3_column_int64(st, 0);
    db_done(st);
    if(rc != SQLITE_ROW && rc != SQLITE_DONE) {
      rc = db_sqlerr(db, rc, "fuzzy names");
      goto out;
    }
    rc = DAFTAR_OK;
    for(size_t i = 0; i < nids && rc == DAFTAR_OK; i++) {
      rc = score_worker(db, qp, nq, ids[i], &v[count]);
      if(rc == DAFTAR_OK && v[count].score >= 0) {
        count++;
        continue;
      }
      free(v[count].name);
      v[count].name = NULL;
    }
  }
  if(rc)
    goto out;
  qsort(v, count, sizeof(*v), cmp_match);
  *out = v;
  *nout = count;
  v = NULL;
out:
  names_matches_free(v, count);
  dbuf_free(&json);
  free_parts(qp, nq);
  return rc;
}

/* ---- candidates for identity linkage -------------------------------------- */

int names_candidates(struct index_db *db, const char *key, int64_t *ids,
                     size_t max, size_t *n)
{
  static const char SQL[] =
      "SELECT worker_id FROM worker_name_grams"
      " WHERE gram IN (SELECT value FROM json_each(?1))"
      " GROUP BY worker_id ORDER BY count(*) DESC, worker_id LIMIT ?2";
  char *parts[NAME_PARTS_MAX];
  size_t np = split_parts(key, parts);
  dbuf json = DBUF_INIT;
  sqlite3_stmt *st;
  int rc = dbuf_putc(&json, '[');

  *n = 0;
  for(size_t i = 0; i < np && rc == DAFTAR_OK; i++)
    rc = part_grams(parts[i], json_gram, &json);
  if(!rc)
    rc = dbuf_putc(&json, ']');
  free_parts(parts, np);
  if(rc || np == 0) {
    dbuf_free(&json);
    return rc;
  }
  st = db_stmt(db, SQL);
  if(!st) {
    dbuf_free(&json);
    return DAFTAR_EDB;
  }
  db_bind_text(st, 1, dbuf_cstr(&json));
  sqlite3_bind_int64(st, 2, (int64_t)max);
  while(*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
    ids[(*n)++] = sqlite3_column_int64(st, 0);
  db_done(st);
  dbuf_free(&json);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "name candidates");
  return DAFTAR_OK;
}
