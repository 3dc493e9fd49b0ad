/*
 * linkage.c - which worker a document belongs to: numbers first, then
 * names, with an explainable score; what is not settled becomes a
 * suggestion for an archivist (the queue, merges and splits: identity.c).
 *
 * link_document() decides for one document, from its primary (or
 * corrected) identity fields:
 *   1. an archivist's decision (an accepted suggestion, or a split) holds
 *      until it is undone;
 *   2. an SSN that a worker holds links there, unless the documents with
 *      that SSN say otherwise: a clearly different name, a different
 *      birth date without a near-identical name, or a national ID held
 *      by another worker.  Such a conflict links nothing and proposes the
 *      workers involved;
 *   3. a new SSN one edit away from a known SSN whose worker has a
 *      matching name (a misread digit), or a national ID held by a worker
 *      with another SSN, is proposed, never linked silently; a worker
 *      known without an SSN under the same name takes the number when the
 *      match is strong (as in 5), else is proposed;
 *   4. else a national ID links to the worker holding it (same checks);
 *   5. without numbers that decide, names decide: a strong match links
 *      (score >= LINK_AUTO, a full name of at least three parts nearly
 *      the same, nothing that disagrees, clearly ahead of the runner-up),
 *      and so does a four-part name (worker, father, grandfather, family)
 *      that only spelling or one letter's dots tell from the name of
 *      exactly one worker, when no other worker's name comes near enough
 *      to be proposed and nothing disagrees (the directorate files a
 *      loose page by its full four-part name); weaker ones are proposed;
 *   6. a document with a number and nothing to propose starts a worker.
 * Rejected suggestions are remembered: that worker is never proposed for
 * that document again.  Why a document is linked (the rule and the score's
 * explanation) is kept in document_links and shown with the worker's
 * documents.
 *
 * The score (0..100) sums parts that each name their evidence (the
 * "detail" JSON and a one-line "explain"):
 *   name (50): worker + father + grandfather (+ family) aligned part by
 *     part after core's folding (ي/ی/ى, ه/ە/ة, hamza forms, digits),
 *     with compounds joined (عبد الله = عبدالله, ابو بكر, نور الدين), a
 *     part also tried against two adjacent parts written together, and
 *     the names compared without spaces as well; a part scores 1 when
 *     equal, 0.9 when only dots differ (the dotless skeleton), 0.7/0.4
 *     at one/two edits within a budget set by its length, else 0; a
 *     single compared part counts 0.6 of its value; the parts matched in
 *     any order (x 0.8) are a floor;
 *   mother's name (15, -10 when clearly different);
 *   birth date (20 same, 8 one digit off, -25 different);
 *   SSN (25 same, 5 one digit off, -40 different) and national ID
 *   (25, 5, -25);
 *   paper file (20): the document lies in a paper file (its folder,
 *     documents.file_no) that holds other documents of this worker and
 *     of no other worker.  A worker's file is where his papers are kept:
 *     a wage notice whose number was not read, in the file of the worker
 *     with its name, is his (name 50 + file 20 links; the name alone, 50,
 *     is only proposed).  A file shared by several workers (a family's,
 *     or a batch of loose pages, whose folder is the batch's) adds
 *     nothing, and anything that disagrees still outweighs it.
 * Evidence for a worker is the primary fields of its other documents
 * (never the document being linked, which may be re-extracted).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define LINK_AUTO 65            /* score that links without numbers */
#define LINK_NAME_LINK 0.9      /* name similarity needed to link so */
#define LINK_NAME_LINK_PARTS 3  /* name parts compared needed to link so */
#define LINK_SUGGEST 45         /* score worth an archivist's look */
#define LINK_NAME_UNIQUE 0.95   /* a four-part name that links alone */
#define LINK_MARGIN 15          /* lead over the runner-up to link */
#define LINK_NAME_STRONG 0.8    /* name similarity of a "matching name" */
#define LINK_NAME_DIFFERENT 0.5 /* below: a clearly different name */
#define LINK_NAME_NEAR_SAME 0.9 /* tolerates a different birth date */
#define LINK_CANDIDATES 50      /* workers scored by name per document */
#define LINK_EVIDENCE_MAX 64    /* field rows read per worker */
#define LINK_SUGGESTIONS_MAX 5  /* proposals kept per document */
#define LINK_PARTS_MAX 8        /* name parts considered */
#define LINK_PARTS_COMPARED 4   /* worker, father, grandfather, family */
#define LINK_UNORDERED_WEIGHT 0.8 /* parts out of order: never a link alone */
#define LINK_ROOT_DEPTH_MAX 64  /* merge chain followed */
#define LINK_NUMBER_MAX 24      /* digits of a number varied by one edit */

/* Points of the score's parts (see the top of the file). */
#define PTS_NAME 50              /* x name similarity */
#define PTS_MOTHER 15            /* x mother's name similarity */
#define PTS_MOTHER_DIFFERENT (-10)
#define PTS_BIRTH_SAME 20
#define PTS_BIRTH_NEAR 8         /* one digit off */
#define PTS_BIRTH_DIFFERENT (-25)
#define PTS_NUMBER_SAME 25       /* SSN or national ID */
#define PTS_NUMBER_NEAR 5        /* one digit off */
#define PTS_SSN_DIFFERENT (-40)  /* SSNs are unique: another person */
#define PTS_NID_DIFFERENT (-25)
#define PTS_FILE 20              /* in a paper file of this worker alone */

/* ---- names ------------------------------------------------------------------ */

struct name_parts {
  char *p[LINK_PARTS_MAX];
  size_t n;
  dbuf compact; /* parts without spaces */
};

static void name_parts_free(struct name_parts *np)
{
  for(size_t i = 0; i < np->n; i++)
    free(np->p[i]);
  dbuf_free(&np->compact);
  np->n = 0;
}

static int part_is(const char *s, size_t n, const char *word)
{
  return strlen(word) == n && memcmp(s, word, n) == 0;
}

/* Folded key of name, split into parts with compounds joined. */
static int name_parts_make(const char *name, struct name_parts *np)
{
  const char *w[LINK_PARTS_MAX];
  size_t wl[LINK_PARTS_MAX], nw = 0;
  dbuf key = DBUF_INIT;
  const char *s;
  int rc;

  memset(np, 0, sizeof(*np));
  rc = text_norm_key(name, strlen(name), &key);
  if(rc)
    goto out;
  s = dbuf_cstr(&key);
  while(*s && nw < LINK_PARTS_MAX) {
    const char *sp = strchr(s, ' ');
    size_t len = sp ? (size_t)(sp - s) : strlen(s);
    if(len) {
      w[nw] = s;
      wl[nw++] = len;
    }
    s += len;
    while(*s == ' ')
      s++;
  }
  for(size_t i = 0; i < nw && rc == DAFTAR_OK; i++) {
    /* عبد/ابو join the next part; الله/الدين join the previous one. */
    int join_next = i + 1 < nw && (part_is(w[i], wl[i], "عبد") ||
                                   part_is(w[i], wl[i], "ابو"));
    int next_is_tail = i + 1 < nw && (part_is(w[i + 1], wl[i + 1], "الله") ||
                                      part_is(w[i + 1], wl[i + 1], "الدين"));
    size_t len = wl[i] + (join_next || next_is_tail ? wl[i + 1] : 0);
    char *p = malloc(len + 1);
    if(!p) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    memcpy(p, w[i], wl[i]);
    if(join_next || next_is_tail) {
      memcpy(p + wl[i], w[i + 1], wl[i + 1]);
      i++;
    }
    p[len] = '\0';
    np->p[np->n++] = p;
    rc = dbuf_puts(&np->compact, p);
  }
  if(!rc)
    rc = dbuf_append(&np->compact, "", 0);
out:
  dbuf_free(&key);
  if(rc)
    name_parts_free(np);
  return rc;
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

/* Similarity of two folded parts and what it rests on. */
static double part_similarity(const char *a, const char *b, const char **why)
{
  dbuf sa = DBUF_INIT, sb = DBUF_INIT;
  size_t la = code_points(a), lb = code_points(b);
  size_t len = la > lb ? la : lb;
  int budget = len <= 3 ? 0 : len <= 6 ? 1 : 2;
  int d, same_skeleton;

  if(strcmp(a, b) == 0) {
    *why = "exact";
    return 1.0;
  }
  same_skeleton = text_norm_skeleton(a, strlen(a), &sa) == DAFTAR_OK &&
                  text_norm_skeleton(b, strlen(b), &sb) == DAFTAR_OK &&
                  strcmp(dbuf_cstr(&sa), dbuf_cstr(&sb)) == 0;
  dbuf_free(&sa);
  dbuf_free(&sb);
  if(same_skeleton) {
    *why = "dots";
    return 0.9;
  }
  d = text_edit_distance(a, b);
  if(d >= 1 && d <= budget) {
    *why = d == 1 ? "one_edit" : "two_edits";
    return d == 1 ? 0.7 : 0.4;
  }
  *why = "different";
  return 0.0;
}

static char *join2(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  char *j = malloc(la + lb + 1);

  if(j) {
    memcpy(j, a, la);
    memcpy(j + la, b, lb + 1);
  }
  return j;
}

/* Similarity of a[i] (joined with a[i+1] when ja) and b[j] (with b[j+1]
 * when jb); -1 on ENOMEM. */
static double aligned_similarity(const struct name_parts *a, size_t i,
                                 int ja, const struct name_parts *b,
                                 size_t j, int jb, const char **why,
                                 char **pa, char **pb)
{
  double s;

  *pa = ja ? join2(a->p[i], a->p[i + 1]) : idx_strdup(a->p[i]);
  *pb = jb ? join2(b->p[j], b->p[j + 1]) : idx_strdup(b->p[j]);
  if(!*pa || !*pb) {
    free(*pa);
    free(*pb);
    *pa = *pb = NULL;
    return -1;
  }
  s = part_similarity(*pa, *pb, why);
  return s;
}

static int detail_pair(dbuf *detail, int first, const char *a, const char *b,
                       const char *why)
{
  int rc = dbuf_puts(detail, first ? "{\"document\":" : ",{\"document\":");

  if(!rc)
    rc = json_put_str(detail, a);
  if(!rc)
    rc = dbuf_puts(detail, ",\"worker\":");
  if(!rc)
    rc = json_put_str(detail, b);
  return rc ? rc : dbuf_printf(detail, ",\"match\":\"%s\"}", why);
}

/* Mean over a's parts (at most LINK_PARTS_COMPARED) of the best
 * similarity to any part of b. */
static double unordered_similarity(const struct name_parts *a,
                                   const struct name_parts *b)
{
  size_t n = a->n < LINK_PARTS_COMPARED ? a->n : LINK_PARTS_COMPARED;
  double sum = 0;

  if(n == 0)
    return 0;
  for(size_t i = 0; i < n; i++) {
    double best = 0;
    for(size_t j = 0; j < b->n && best < 1.0; j++) {
      const char *why;
      double t = part_similarity(a->p[i], b->p[j], &why);
      if(t > best)
        best = t;
    }
    sum += best;
  }
  return sum / (double)n;
}

/* Similarity 0..1 of two names, -1 when either is missing; the parts'
 * verdicts go to detail (a JSON object) when it is not NULL.  full: a
 * worker's full name, where one compared part says little.
 *
 * Parts are aligned left to right (worker, father, grandfather, family):
 * at each step a part is compared with the other name's part, or with it
 * and the next one written together (or the other way round), whichever
 * fits best; so a compound that was not recognised because OCR changed
 * it (عبذ الرحمن, صلاح الذين) still lines up with عبدالرحمن. */
static double name_similarity(const char *a, const char *b, int full,
                              dbuf *detail, size_t *compared)
{
  struct name_parts pa, pb;
  double sum = 0, sim, unordered;
  size_t i = 0, j = 0, steps = 0;
  int spacing, rc = DAFTAR_OK;

  if(!a || !b || name_parts_make(a, &pa))
    return -1;
  if(name_parts_make(b, &pb)) {
    name_parts_free(&pa);
    return -1;
  }
  spacing = pa.n && strcmp(dbuf_cstr(&pa.compact),
                           dbuf_cstr(&pb.compact)) == 0;
  if(detail) {
    rc = dbuf_puts(detail, "{\"document\":");
    if(!rc)
      rc = json_put_str(detail, a);
    if(!rc)
      rc = dbuf_puts(detail, ",\"worker\":");
    if(!rc)
      rc = json_put_str(detail, b);
    if(!rc)
      rc = dbuf_puts(detail, ",\"parts\":[");
  }
  while(i < pa.n && j < pb.n && steps < LINK_PARTS_COMPARED) {
    const char *why, *why2;
    char *sa, *sb, *ta, *tb;
    int ja = 0, jb = 0;
    double best = aligned_similarity(&pa, i, 0, &pb, j, 0, &why, &sa, &sb);
    for(int k = 1; k <= 2 && best >= 0 && best < 1.0; k++) {
      double t;
      if((k == 1 && i + 1 >= pa.n) || (k == 2 && j + 1 >= pb.n))
        continue;
      t = aligned_similarity(&pa, i, k == 1, &pb, j, k == 2, &why2, &ta,
                             &tb);
      if(t > best) {
        free(sa);
        free(sb);
        sa = ta;
        sb = tb;
        best = t;
        why = why2;
        ja = k == 1;
        jb = k == 2;
      }
      else {
        free(ta);
        free(tb);
      }
    }
    if(best < 0) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    if(spacing) {
      best = 1.0;
      why = "exact";
    }
    sum += best;
    if(detail && !rc)
      rc = detail_pair(detail, steps == 0, sa, sb, why);
    free(sa);
    free(sb);
    i += 1 + (size_t)ja;
    j += 1 + (size_t)jb;
    steps++;
  }
  if(steps == 0 || rc)
    sim = rc ? -1 : 0;
  else {
    sim = spacing ? 1.0 : sum / (double)steps;
    if(steps < 2 && full)
      sim *= 0.6; /* one part of a full name says little */
  }
  /* Parts out of order or a stray word (a label read into the name) spoil
   * the alignment: the parts matched in any order give a floor. */
  unordered = rc ? 0 : unordered_similarity(&pa, &pb);
  if(sim >= 0 && steps >= 2 && LINK_UNORDERED_WEIGHT * unordered > sim)
    sim = LINK_UNORDERED_WEIGHT * unordered;
  if(detail && !rc)
    dbuf_printf(detail, "],\"spacing_insensitive_equal\":%s,"
                        "\"unordered_similarity\":%.2f,"
                        "\"similarity\":%.2f}",
                spacing ? "true" : "false", unordered, sim < 0 ? 0.0 : sim);
  name_parts_free(&pa);
  name_parts_free(&pb);
  if(compared)
    *compared = steps;
  return sim;
}

/* ---- numbers and dates ---------------------------------------------------- */

/* "same", "one_digit" or "different". */
static const char *number_verdict(const char *a, const char *b)
{
  if(strcmp(a, b) == 0)
    return "same";
  return text_edit_distance(a, b) == 1 ? "one_digit" : "different";
}

static const char *date_verdict(const char *a, const char *b)
{
  size_t diff = 0;

  if(strcmp(a, b) == 0)
    return "same";
  if(strlen(a) != strlen(b))
    return "different";
  for(size_t i = 0; a[i]; i++)
    diff += a[i] != b[i];
  return diff == 1 ? "one_digit" : "different";
}

/* ---- evidence and score ----------------------------------------------------- */

enum { EV_NAME, EV_MOTHER, EV_BIRTH, EV_NID, EV_SSN, EV_COUNT };
static const char *const ev_fields[EV_COUNT] = {
    "worker_name", "mother_name", "birth_date", "national_id", "worker_ssn"};

struct evidence {
  char *v[EV_COUNT][LINK_EVIDENCE_MAX];
  size_t n[EV_COUNT];
  const char *file_no; /* the document's paper file, when it is the
                        * worker's alone (points to file_buf) */
  char file_buf[64];
};

static void evidence_free(struct evidence *e)
{
  for(int k = 0; k < EV_COUNT; k++)
    for(size_t i = 0; i < e->n[k]; i++)
      free(e->v[k][i]);
  memset(e, 0, sizeof(*e));
}

static int evidence_add(struct evidence *e, int k, const char *v)
{
  char *c;

  if(!v || !*v || e->n[k] == LINK_EVIDENCE_MAX)
    return DAFTAR_OK;
  for(size_t i = 0; i < e->n[k]; i++)
    if(strcmp(e->v[k][i], v) == 0)
      return DAFTAR_OK;
  c = idx_strdup(v);
  if(!c)
    return DAFTAR_ENOMEM;
  e->v[k][e->n[k]++] = c;
  return DAFTAR_OK;
}

/* e->file_no: the document's paper file when other documents there belong
 * to the worker and none to another worker. */
static int evidence_file(struct index_db *db, int64_t worker_id,
                         int64_t doc_id, struct evidence *e)
{
  static const char SQL[] =
      "SELECT me.file_no, min(d.worker_id), max(d.worker_id)"
      " FROM documents me JOIN documents d ON d.file_no = me.file_no"
      " WHERE me.id = ?1 AND me.file_no <> '' AND d.id <> me.id"
      " AND d.duplicate_of IS NULL AND d.worker_id IS NOT NULL";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  e->file_no = NULL;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
     sqlite3_column_int64(st, 1) == worker_id &&
     sqlite3_column_int64(st, 2) == worker_id) {
    snprintf(e->file_buf, sizeof(e->file_buf), "%s",
             (const char *)sqlite3_column_text(st, 0));
    e->file_no = e->file_buf;
  }
  db_done(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE
             ? DAFTAR_OK
             : db_sqlerr(db, rc, "reading a document's paper file");
}

/* What the worker's other documents say; with number_field, only the
 * documents showing that number (the "same number" documents). */
static int evidence_load(struct index_db *db, int64_t worker_id,
                         int64_t doc_id, const char *number_field,
                         const char *number, struct evidence *e)
{
  static const char SQL[] =
      "SELECT f.name, CASE WHEN f.name = 'worker_name' THEN "
      WORKER_READING_SQL " ELSE f.value END FROM documents d"
      " JOIN fields f ON f.document_id = d.id"
      " WHERE d.worker_id = ?1 AND d.id <> ?2 AND d.duplicate_of IS NULL"
      " AND f.seq = 0 AND f.candidate = 0 AND f.value <> ''"
      " AND f.name IN ('worker_name', 'mother_name', 'birth_date',"
      " 'national_id', 'worker_ssn')"
      " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM fields g"
      "  WHERE g.document_id = d.id AND g.name = ?3 AND g.seq = 0"
      "  AND g.candidate = 0 AND g.value = ?4))"
      " ORDER BY d.id LIMIT ?5";
  static const char SQL_KEYS[] =
      "SELECT ssn, national_id FROM workers WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, k;

  memset(e, 0, sizeof(*e));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  sqlite3_bind_int64(st, 2, doc_id);
  db_bind_text(st, 3, number_field);
  db_bind_text(st, 4, number);
  sqlite3_bind_int(st, 5, LINK_EVIDENCE_MAX * EV_COUNT);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(st, 0);
    for(k = 0; name && k < EV_COUNT; k++)
      if(strcmp(name, ev_fields[k]) == 0 &&
         evidence_add(e, k, (const char *)sqlite3_column_text(st, 1))) {
        db_done(st);
        return db_fail(db, DAFTAR_ENOMEM, "linkage: out of memory");
      }
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading a worker's evidence");
  /* The worker's own numbers count even without other documents. */
  st = db_stmt(db, SQL_KEYS);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    rc = evidence_add(e, EV_SSN, (const char *)sqlite3_column_text(st, 0));
    if(!rc)
      rc = evidence_add(e, EV_NID, (const char *)sqlite3_column_text(st, 1));
  }
  else
    rc = rc == SQLITE_DONE ? DAFTAR_OK : db_sqlerr(db, rc, "reading a worker");
  db_done(st);
  return rc ? rc : evidence_file(db, worker_id, doc_id, e);
}

struct link_score {
  int total;
  double name_sim;           /* -1: no names to compare */
  size_t name_parts;         /* name parts compared */
  const char *birth, *ssn, *nid; /* verdicts; NULL when not compared */
  int negative;   /* a number, the birth date or the mother disagrees */
  dbuf detail, explain;
};

static void link_score_free(struct link_score *s)
{
  dbuf_free(&s->detail);
  dbuf_free(&s->explain);
}

/* The best verdict of v against the evidence values ("same" beats
 * "one_digit" beats "different"); NULL when either side is empty. */
static const char *best_verdict(const char *v, char *const *ev, size_t n,
                                int date, const char **against)
{
  const char *best = NULL;

  for(size_t i = 0; v && i < n; i++) {
    const char *w = date ? date_verdict(v, ev[i]) : number_verdict(v, ev[i]);
    if(!best || strcmp(w, "same") == 0 ||
       (strcmp(w, "one_digit") == 0 && strcmp(best, "different") == 0)) {
      best = w;
      *against = ev[i];
    }
  }
  return best;
}

static int verdict_points(const char *verdict, int same, int near, int diff)
{
  if(!verdict)
    return 0;
  if(strcmp(verdict, "same") == 0)
    return same;
  return strcmp(verdict, "one_digit") == 0 ? near : diff;
}

/* The best name similarity of name against the evidence's names, with its
 * detail object written to detail. */
static double best_name(const char *name, char *const *ev, size_t n,
                        int full, dbuf *detail, size_t *compared)
{
  double best = -1;
  size_t at = 0;

  for(size_t i = 0; name && i < n; i++) {
    double s = name_similarity(name, ev[i], full, NULL, NULL);
    if(s > best) {
      best = s;
      at = i;
    }
  }
  if(best >= 0)
    name_similarity(name, ev[at], full, detail, compared);
  return best;
}

static int score_part(struct link_score *s, const char *key, int points,
                      const char *verdict, const char *doc_v,
                      const char *worker_v)
{
  int rc = dbuf_printf(&s->detail, ",\"%s\":{\"points\":%d", key, points);

  if(!rc && verdict)
    rc = dbuf_printf(&s->detail, ",\"match\":\"%s\"", verdict);
  if(!rc)
    rc = dbuf_puts(&s->detail, ",\"document\":");
  if(!rc)
    rc = json_put_str(&s->detail, doc_v);
  if(!rc)
    rc = dbuf_puts(&s->detail, ",\"worker\":");
  if(!rc)
    rc = json_put_str(&s->detail, worker_v);
  if(!rc)
    rc = dbuf_putc(&s->detail, '}');
  if(!rc)
    rc = dbuf_printf(&s->explain, "%s%s %+d (%s)", s->explain.len ? ", " : "",
                     key, points, verdict ? verdict : "missing");
  return rc;
}

static int link_score_compute(const struct link_ident *id,
                              const struct evidence *e, struct link_score *s)
{
  const char *w_birth = NULL, *w_ssn = NULL, *w_nid = NULL;
  dbuf nd = DBUF_INIT, md = DBUF_INIT;
  double msim;
  int name_pts, mother_pts, birth_pts, ssn_pts, nid_pts, file_pts, rc;

  memset(s, 0, sizeof(*s));
  s->name_sim = best_name(id->name, e->v[EV_NAME], e->n[EV_NAME], 1, &nd,
                          &s->name_parts);
  msim = best_name(id->mother, e->v[EV_MOTHER], e->n[EV_MOTHER], 0, &md,
                   NULL);
  s->birth = best_verdict(id->birth, e->v[EV_BIRTH], e->n[EV_BIRTH], 1,
                          &w_birth);
  s->ssn = best_verdict(id->ssn, e->v[EV_SSN], e->n[EV_SSN], 0, &w_ssn);
  s->nid = best_verdict(id->nid, e->v[EV_NID], e->n[EV_NID], 0, &w_nid);
  name_pts = s->name_sim > 0 ? (int)(PTS_NAME * s->name_sim + 0.5) : 0;
  mother_pts = msim < 0 ? 0
               : msim < LINK_NAME_DIFFERENT ? PTS_MOTHER_DIFFERENT
                                            : (int)(PTS_MOTHER * msim + 0.5);
  birth_pts = verdict_points(s->birth, PTS_BIRTH_SAME, PTS_BIRTH_NEAR,
                             PTS_BIRTH_DIFFERENT);
  ssn_pts = verdict_points(s->ssn, PTS_NUMBER_SAME, PTS_NUMBER_NEAR,
                           PTS_SSN_DIFFERENT);
  nid_pts = verdict_points(s->nid, PTS_NUMBER_SAME, PTS_NUMBER_NEAR,
                           PTS_NID_DIFFERENT);
  file_pts = e->file_no ? PTS_FILE : 0;
  s->total = name_pts + mother_pts + birth_pts + ssn_pts + nid_pts + file_pts;
  if(s->total < 0)
    s->total = 0;
  if(s->total > 100)
    s->total = 100;
  /* A clearly different mother's name is someone else's too: with the
   * paper file's points a namesake filed with the worker, born the same
   * day, reached 80 (bench-linkage, seed 1). */
  s->negative = (s->birth && strcmp(s->birth, "different") == 0) ||
                (s->ssn && strcmp(s->ssn, "different") == 0) ||
                (s->nid && strcmp(s->nid, "different") == 0) ||
                mother_pts == PTS_MOTHER_DIFFERENT;
  rc = dbuf_printf(&s->detail, "{\"total\":%d,\"name\":{\"points\":%d",
                   s->total, name_pts);
  if(!rc && nd.len)
    rc = dbuf_printf(&s->detail, ",\"compared\":%s}", dbuf_cstr(&nd));
  else if(!rc)
    rc = dbuf_putc(&s->detail, '}');
  if(!rc)
    rc = dbuf_printf(&s->explain, "name %+d (similarity %.2f)", name_pts,
                     s->name_sim < 0 ? 0.0 : s->name_sim);
  if(!rc)
    rc = dbuf_printf(&s->detail, ",\"mother_name\":{\"points\":%d", mother_pts);
  if(!rc && md.len)
    rc = dbuf_printf(&s->detail, ",\"compared\":%s}", dbuf_cstr(&md));
  else if(!rc)
    rc = dbuf_putc(&s->detail, '}');
  if(!rc)
    rc = dbuf_printf(&s->explain, ", mother %+d", mother_pts);
  if(!rc)
    rc = score_part(s, "birth_date", birth_pts, s->birth, id->birth, w_birth);
  if(!rc)
    rc = score_part(s, "ssn", ssn_pts, s->ssn, id->ssn, w_ssn);
  if(!rc)
    rc = score_part(s, "national_id", nid_pts, s->nid, id->nid, w_nid);
  if(!rc && e->file_no)
    rc = score_part(s, "paper_file", file_pts, "same", e->file_no,
                    e->file_no);
  if(!rc)
    rc = dbuf_putc(&s->detail, '}');
  if(!rc)
    rc = dbuf_printf(&s->explain, " = %d", s->total);
  dbuf_free(&nd);
  dbuf_free(&md);
  return rc;
}

/* ---- workers ------------------------------------------------------------------ */

int link_root(struct index_db *db, int64_t worker_id, int64_t *root)
{
  static const char SQL[] =
      "SELECT into_id FROM worker_merged WHERE worker_id = ?1";
  int64_t at = worker_id;

  for(int depth = 0; depth < LINK_ROOT_DEPTH_MAX && at; depth++) {
    sqlite3_stmt *st = db_stmt(db, SQL);
    int rc;
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, at);
    rc = sqlite3_step(st);
    if(rc == SQLITE_DONE) {
      db_done(st);
      *root = at;
      return DAFTAR_OK;
    }
    if(rc != SQLITE_ROW) {
      db_done(st);
      return db_sqlerr(db, rc, "following a merge");
    }
    at = sqlite3_column_int64(st, 0);
    db_done(st);
  }
  return db_fail(db, DAFTAR_ELIMIT, "merge chain too long");
}

/* One id from a statement with ?1 bound to text (0: none). */
static int id_by_text(struct index_db *db, const char *sql, const char *v,
                      int64_t *id)
{
  sqlite3_stmt *st = db_stmt(db, sql);
  int rc;

  *id = 0;
  if(!v)
    return DAFTAR_OK;
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, v);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    *id = sqlite3_column_int64(st, 0);
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "looking up a worker");
  return DAFTAR_OK;
}

static int worker_by_ssn(struct index_db *db, const char *ssn, int64_t *id)
{
  static const char SQL[] = "SELECT id FROM workers WHERE ssn = ?1";
  return id_by_text(db, SQL, ssn, id);
}

/* The worker holding a national ID, merged ones followed to their root. */
static int worker_by_nid(struct index_db *db, const char *nid, int64_t *id)
{
  static const char SQL[] =
      "SELECT id FROM workers WHERE national_id = ?1 ORDER BY id LIMIT 1";
  int rc = id_by_text(db, SQL, nid, id);

  if(!rc && *id)
    rc = link_root(db, *id, id);
  return rc;
}

static int worker_has_ssn(struct index_db *db, int64_t worker_id, int *has)
{
  static const char SQL[] =
      "SELECT ssn IS NOT NULL FROM workers WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *has = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    *has = sqlite3_column_int(st, 0);
  db_done(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? DAFTAR_OK
                                               : db_sqlerr(db, rc, "reading a worker");
}

/* Gives a worker the document's numbers it lacks (and nobody else has). */
static int worker_fill_numbers(struct index_db *db, int64_t worker_id,
                               const struct link_ident *id)
{
  static const char SQL[] =
      "UPDATE workers SET"
      " ssn = coalesce(ssn, CASE WHEN ?2 IS NOT NULL AND NOT EXISTS"
      "  (SELECT 1 FROM workers o WHERE o.ssn = ?2) THEN ?2 END),"
      " national_id = coalesce(national_id, CASE WHEN ?3 IS NOT NULL AND"
      "  NOT EXISTS (SELECT 1 FROM workers o WHERE o.national_id = ?3)"
      "  THEN ?3 END)"
      " WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  db_bind_text(st, 2, id->ssn);
  db_bind_text(st, 3, id->nid);
  return db_step_done(db, st, "updating the worker");
}

int link_worker_create(struct index_db *db, const struct link_ident *id,
                       int64_t *worker_id)
{
  static const char SQL[] =
      "INSERT INTO workers(ssn, national_id, name, mother_name, birth_date)"
      " VALUES(CASE WHEN ?1 IS NOT NULL AND NOT EXISTS"
      "  (SELECT 1 FROM workers o WHERE o.ssn = ?1) THEN ?1 END,"
      " CASE WHEN ?2 IS NOT NULL AND NOT EXISTS"
      "  (SELECT 1 FROM workers o WHERE o.national_id = ?2) THEN ?2 END,"
      " ?3, ?4, ?5)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, id->ssn);
  db_bind_text(st, 2, id->nid);
  db_bind_text(st, 3, id->name);
  db_bind_text(st, 4, id->mother);
  db_bind_text(st, 5, id->birth);
  rc = db_step_done(db, st, "recording the worker");
  if(!rc)
    *worker_id = sqlite3_last_insert_rowid(db->sql);
  return rc;
}

/* ---- why a document is linked ------------------------------------------------- */

/* Records that doc_id is linked by rule (document_links), with s's total
 * and explanation when a score decided (s NULL: none). */
static int note_link(struct index_db *db, int64_t doc_id, const char *rule,
                     struct link_score *s)
{
  static const char SQL[] =
      "INSERT OR REPLACE INTO document_links(document_id, rule, score,"
      " explain) VALUES(?1, ?2, ?3, ?4)";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  db_bind_text(st, 2, rule);
  if(s) {
    sqlite3_bind_int(st, 3, s->total);
    db_bind_text(st, 4, dbuf_cstr(&s->explain));
  }
  return db_step_done(db, st, "recording why a document is linked");
}

static int forget_link(struct index_db *db, int64_t doc_id)
{
  static const char SQL[] =
      "DELETE FROM document_links WHERE document_id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_step_done(db, st, "clearing why a document was linked");
}

/* ---- decisions and suggestions ------------------------------------------------ */

static int decided_worker(struct index_db *db, int64_t doc_id, int64_t *w)
{
  /* The latest decision wins: accepting renumbers the row to the top. */
  static const char SQL[] =
      "SELECT worker_id FROM link_suggestions WHERE document_id = ?1"
      " AND status = 'accepted' ORDER BY id DESC LIMIT 1";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *w = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    *w = sqlite3_column_int64(st, 0);
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading link decisions");
  return *w ? link_root(db, *w, w) : DAFTAR_OK;
}

static int is_rejected(struct index_db *db, int64_t doc_id, int64_t worker,
                       int *rejected)
{
  /* A rejection of a worker merged into this one counts as well. */
  static const char SQL[] =
      "SELECT worker_id FROM link_suggestions WHERE document_id = ?1"
      " AND status = 'rejected'";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int64_t ids[LINK_SUGGESTIONS_MAX * 4];
  size_t n = 0;
  int rc;

  *rejected = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  while((rc = sqlite3_step(st)) == SQLITE_ROW &&
        n < sizeof(ids) / sizeof(ids[0]))
    ids[n++] = sqlite3_column_int64(st, 0);
  db_done(st);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading link decisions");
  for(size_t i = 0; i < n && !*rejected; i++) {
    int64_t root;
    rc = link_root(db, ids[i], &root);
    if(rc)
      return rc;
    *rejected = root == worker;
  }
  return DAFTAR_OK;
}

struct proposal {
  int64_t worker;
  int score;
  const char *reason;
  char *detail, *explain;
};

struct proposals {
  struct proposal p[LINK_SUGGESTIONS_MAX];
  size_t n;
};

static void proposals_free(struct proposals *ps)
{
  for(size_t i = 0; i < ps->n; i++) {
    free(ps->p[i].detail);
    free(ps->p[i].explain);
  }
  ps->n = 0;
}

static int proposals_has(const struct proposals *ps, int64_t worker)
{
  for(size_t i = 0; i < ps->n; i++)
    if(ps->p[i].worker == worker)
      return 1;
  return 0;
}

/* Keeps the score's texts (taken from s). */
static void proposals_add(struct proposals *ps, int64_t worker,
                          const char *reason, struct link_score *s)
{
  struct proposal *p;

  if(proposals_has(ps, worker) || ps->n == LINK_SUGGESTIONS_MAX)
    return;
  p = &ps->p[ps->n++];
  p->worker = worker;
  p->score = s->total;
  p->reason = reason;
  p->detail = dbuf_take(&s->detail);
  p->explain = dbuf_take(&s->explain);
}

static int proposals_store(struct index_db *db, int64_t doc_id,
                           const struct proposals *ps)
{
  static const char SQL[] =
      "INSERT INTO link_suggestions(document_id, worker_id, score, reason,"
      " detail, explain, status, created)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'pending',"
      " strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
      " ON CONFLICT(document_id, worker_id) DO UPDATE SET"
      " score = excluded.score, reason = excluded.reason,"
      " detail = excluded.detail, explain = excluded.explain"
      " WHERE status = 'pending'";
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < ps->n && rc == DAFTAR_OK; i++) {
    sqlite3_stmt *st = db_stmt(db, SQL);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, doc_id);
    sqlite3_bind_int64(st, 2, ps->p[i].worker);
    sqlite3_bind_int(st, 3, ps->p[i].score);
    db_bind_text(st, 4, ps->p[i].reason);
    db_bind_text(st, 5, ps->p[i].detail ? ps->p[i].detail : "{}");
    db_bind_text(st, 6, ps->p[i].explain ? ps->p[i].explain : "");
    rc = db_step_done(db, st, "storing a link suggestion");
  }
  return rc;
}

static int clear_pending(struct index_db *db, int64_t doc_id)
{
  static const char SQL[] =
      "DELETE FROM link_suggestions WHERE document_id = ?1"
      " AND status = 'pending'";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_step_done(db, st, "clearing link suggestions");
}

/* Scores worker (a root) against the document: all its other documents,
 * or only those showing number in number_field. */
static int score_worker(struct index_db *db, int64_t doc_id,
                        const struct link_ident *id, int64_t worker,
                        const char *number_field, const char *number,
                        struct link_score *s)
{
  struct evidence e;
  int rc = evidence_load(db, worker, doc_id, number_field, number, &e);

  if(!rc)
    rc = link_score_compute(id, &e, s);
  evidence_free(&e);
  if(rc) {
    link_score_free(s);
    if(rc == DAFTAR_ENOMEM)
      db_fail(db, rc, "linkage: out of memory");
  }
  return rc;
}

/* The documents with the same number say this is someone else. */
static int number_conflict(const struct link_score *s)
{
  if(s->name_sim >= 0 && s->name_sim < LINK_NAME_DIFFERENT)
    return 1;
  return s->birth && strcmp(s->birth, "different") == 0 &&
         s->name_sim >= 0 && s->name_sim < LINK_NAME_NEAR_SAME;
}

/* ---- candidates by name -------------------------------------------------------- */

struct name_candidate {
  int64_t worker;
  struct link_score s;
};

/* How name_candidates looks workers up. */
#define CAND_TRIGRAMS 0x1 /* nobody with the skeleton: ask the trigrams */
#define CAND_NO_SSN 0x2   /* only workers known without an SSN */

static int compact_skeleton_candidates(struct index_db *db, const char *name,
                                       int flags, int64_t *ids, size_t max,
                                       size_t *n)
{
  static const char SQL[] =
      "SELECT DISTINCT worker_id FROM worker_names"
      " WHERE replace(skeleton, ' ', '') = ?1 LIMIT ?2";
  /* A common name is shared by hundreds of workers with SSNs (at 300,000
   * generated documents each bulk-loaded one scored 50 of them, and the
   * load slowed from 0.6 to 1.0 ms per document); a document with a new
   * SSN only asks for those without one, and the limit counts only them. */
  static const char SQL_NO_SSN[] =
      "SELECT DISTINCT n.worker_id FROM worker_names n"
      " JOIN workers w ON w.id = n.worker_id"
      " WHERE replace(n.skeleton, ' ', '') = ?1 AND w.ssn IS NULL LIMIT ?2";
  dbuf skel = DBUF_INIT, compact = DBUF_INIT;
  sqlite3_stmt *st;
  int rc;

  *n = 0;
  rc = text_norm_skeleton(name, strlen(name), &skel);
  for(size_t i = 0; !rc && i < skel.len; i++)
    if(skel.data[i] != ' ')
      rc = dbuf_putc(&compact, skel.data[i]);
  if(!rc)
    rc = dbuf_append(&compact, "", 0);
  st = rc ? NULL : db_stmt(db, flags & CAND_NO_SSN ? SQL_NO_SSN : SQL);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    db_bind_text(st, 1, dbuf_cstr(&compact));
    sqlite3_bind_int64(st, 2, (int64_t)max);
    while(*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
      ids[(*n)++] = sqlite3_column_int64(st, 0);
    db_done(st);
    rc = rc == SQLITE_ROW || rc == SQLITE_DONE
             ? DAFTAR_OK
             : db_sqlerr(db, rc, "looking up names");
  }
  dbuf_free(&skel);
  dbuf_free(&compact);
  return rc;
}

/* Scores the workers whose names look like the document's and keeps those
 * worth proposing, best first, in c[] (at most max). */
static int name_candidates(struct index_db *db, int64_t doc_id,
                           const struct link_ident *id, int flags,
                           struct name_candidate *c, size_t max, size_t *nc)
{
  int64_t ids[LINK_CANDIDATES];
  size_t n = 0;
  dbuf key = DBUF_INIT;
  struct name_parts np;
  int rc;

  *nc = 0;
  if(!id->name)
    return DAFTAR_OK;
  /* The spelling, spacing and dot variants of a name share its skeleton
   * without spaces (an index lookup); only when nobody has it are the
   * trigrams asked (a scan over the workers sharing them). */
  rc = compact_skeleton_candidates(db, id->name, flags, ids, LINK_CANDIDATES,
                                   &n);
  if(!rc && n == 0 && !(flags & CAND_TRIGRAMS))
    return DAFTAR_OK;
  if(!rc && n == 0)
    rc = name_parts_make(id->name, &np);
  if(rc)
    return rc == DAFTAR_ENOMEM ? db_fail(db, rc, "linkage: out of memory")
                               : rc;
  if(n == 0) {
    rc = text_norm_key(id->name, strlen(id->name), &key);
    for(size_t i = 0; !rc && i < np.n; i++)
      rc = dbuf_printf(&key, " %s", np.p[i]);
    name_parts_free(&np);
    if(!rc)
      rc = names_candidates(db, dbuf_cstr(&key), ids, LINK_CANDIDATES, &n);
    dbuf_free(&key);
  }
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    int64_t root;
    int rejected = 0, dup = 0;
    struct link_score s;
    rc = link_root(db, ids[i], &root);
    if(!rc)
      rc = is_rejected(db, doc_id, root, &rejected);
    for(size_t k = 0; k < *nc; k++)
      dup |= c[k].worker == root;
    if(rc || rejected || dup)
      continue;
    rc = score_worker(db, doc_id, id, root, NULL, NULL, &s);
    if(rc)
      break;
    if(s.total < LINK_SUGGEST) {
      link_score_free(&s);
      continue;
    }
    /* Insert by score, dropping the worst when full. */
    size_t at = *nc;
    while(at > 0 && c[at - 1].s.total < s.total)
      at--;
    if(at >= max) {
      link_score_free(&s);
      continue;
    }
    if(*nc == max)
      link_score_free(&c[--*nc].s);
    memmove(&c[at + 1], &c[at], (*nc - at) * sizeof(*c));
    c[at].worker = root;
    c[at].s = s;
    (*nc)++;
  }
  return rc;
}

static void name_candidates_free(struct name_candidate *c, size_t n)
{
  for(size_t i = 0; i < n; i++)
    link_score_free(&c[i].s);
}

/* Proposes the name candidates not proposed yet. */
static void propose_names(struct proposals *ps, struct name_candidate *c,
                          size_t n)
{
  for(size_t i = 0; i < n; i++)
    proposals_add(ps, c[i].worker, "name", &c[i].s);
}

/* ---- SSNs one edit away ---------------------------------------------------------- */

/* Every string one substitution, deletion, insertion or adjacent swap of
 * digits away from number, as a JSON array. */
static int one_edit_variants(const char *number, dbuf *out)
{
  size_t n = strlen(number);
  char buf[LINK_NUMBER_MAX + 2];
  int rc = dbuf_putc(out, '[');
  int first = 1;

#define EMIT(s)                                                               \
  do {                                                                        \
    if(!rc)                                                                   \
      rc = dbuf_printf(out, "%s\"%s\"", first ? "" : ",", (s));               \
    first = 0;                                                                \
  } while(0)
  if(n == 0 || n > LINK_NUMBER_MAX)
    return rc ? rc : dbuf_putc(out, ']');
  for(size_t i = 0; i < n; i++) {
    for(char d = '0'; d <= '9'; d++) {
      if(d == number[i])
        continue;
      memcpy(buf, number, n + 1);
      buf[i] = d;
      EMIT(buf);
    }
    memcpy(buf, number, i);
    memcpy(buf + i, number + i + 1, n - i);
    EMIT(buf);
    if(i + 1 < n && number[i] != number[i + 1]) {
      memcpy(buf, number, n + 1);
      buf[i] = number[i + 1];
      buf[i + 1] = number[i];
      EMIT(buf);
    }
  }
  for(size_t i = 0; i <= n; i++)
    for(char d = '0'; d <= '9'; d++) {
      memcpy(buf, number, i);
      buf[i] = d;
      memcpy(buf + i + 1, number + i, n - i + 1);
      EMIT(buf);
    }
#undef EMIT
  return rc ? rc : dbuf_putc(out, ']');
}

static int propose_near_ssn(struct index_db *db, int64_t doc_id,
                            const struct link_ident *id,
                            struct proposals *ps)
{
  static const char SQL[] =
      "SELECT id FROM workers WHERE ssn IN (SELECT value FROM json_each(?1))"
      " ORDER BY id LIMIT ?2";
  int64_t ids[LINK_SUGGESTIONS_MAX];
  size_t n = 0;
  dbuf json = DBUF_INIT;
  sqlite3_stmt *st;
  int rc;

  for(const char *p = id->ssn; *p; p++)
    if(*p < '0' || *p > '9')
      return DAFTAR_OK; /* only digit strings have digit neighbours */
  rc = one_edit_variants(id->ssn, &json);
  if(rc) {
    dbuf_free(&json);
    return db_fail(db, rc, "linkage: out of memory");
  }
  st = db_stmt(db, SQL);
  if(!st) {
    dbuf_free(&json);
    return DAFTAR_EDB;
  }
  db_bind_text(st, 1, dbuf_cstr(&json));
  sqlite3_bind_int(st, 2, LINK_SUGGESTIONS_MAX);
  while(n < LINK_SUGGESTIONS_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW)
    ids[n++] = sqlite3_column_int64(st, 0);
  db_done(st);
  dbuf_free(&json);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "looking up numbers one digit away");
  rc = DAFTAR_OK;
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    int64_t root;
    int rejected = 0;
    struct link_score s;
    rc = link_root(db, ids[i], &root);
    if(!rc)
      rc = is_rejected(db, doc_id, root, &rejected);
    if(rc || rejected)
      continue;
    rc = score_worker(db, doc_id, id, root, NULL, NULL, &s);
    if(rc)
      break;
    if(s.name_sim >= LINK_NAME_STRONG)
      proposals_add(ps, root, "ssn_one_digit", &s);
    link_score_free(&s);
  }
  return rc;
}

/* ---- the decision ----------------------------------------------------------------- */

/* 1 when the best candidate links on its own. */
static int strong_lead(const struct name_candidate *c, size_t nc)
{
  return nc > 0 && c[0].s.total >= LINK_AUTO && !c[0].s.negative &&
         c[0].s.name_sim >= LINK_NAME_LINK &&
         c[0].s.name_parts >= LINK_NAME_LINK_PARTS &&
         (nc == 1 || c[1].s.total < LINK_SUGGEST ||
          c[0].s.total - c[1].s.total >= LINK_MARGIN);
}

/* 1 when the only candidate carries the document's four-part name, up to
 * spelling and one letter's dots (similarity 0.975 at worst), and nothing
 * disagrees: a loose page found by its full name.  A three-part name, a
 * part edited beyond its dots, or a second worker near enough to be
 * proposed (a brother with a near given name, a namesake) leaves it to
 * an archivist. */
static int unique_full_name(const struct name_candidate *c, size_t nc)
{
  return nc == 1 && !c[0].s.negative &&
         c[0].s.name_parts >= LINK_PARTS_COMPARED &&
         c[0].s.name_sim >= LINK_NAME_UNIQUE;
}

/* A document with an SSN nobody holds, and workers without an SSN whose
 * spelling has the same compact skeleton: the strong one gets the number,
 * weaker ones are proposed.  Only the index lookup, no trigram scan: this
 * runs for every new SSN. */
static int new_ssn_by_name(struct index_db *db, int64_t doc_id,
                           const struct link_ident *id, struct proposals *ps,
                           int64_t *worker)
{
  struct name_candidate c[LINK_SUGGESTIONS_MAX];
  size_t nc = 0, k = 0;
  int rc;

  rc = name_candidates(db, doc_id, id, CAND_NO_SSN, c, LINK_SUGGESTIONS_MAX,
                       &nc);
  /* Workers with an SSN (the score saw one) are someone else. */
  for(size_t i = 0; !rc && i < nc; i++) {
    if(c[i].s.ssn) {
      link_score_free(&c[i].s);
      continue;
    }
    c[k++] = c[i];
  }
  if(!rc && strong_lead(c, k)) {
    *worker = c[0].worker;
    rc = worker_fill_numbers(db, *worker, id);
    if(!rc)
      rc = note_link(db, doc_id, "name", &c[0].s);
  }
  else if(!rc)
    propose_names(ps, c, k);
  name_candidates_free(c, k);
  return rc;
}

/* The SSN is held by worker (a root): link, or propose on conflict. */
static int link_by_ssn_holder(struct index_db *db, int64_t doc_id,
                              const struct link_ident *id, int64_t holder,
                              struct proposals *ps, int64_t *worker)
{
  struct link_score s;
  int64_t nid_holder = 0;
  int rc, conflict, rejected = 0;

  rc = score_worker(db, doc_id, id, holder, "worker_ssn", id->ssn, &s);
  if(rc)
    return rc;
  rc = worker_by_nid(db, id->nid, &nid_holder);
  if(rc)
    goto out;
  conflict = number_conflict(&s) || (nid_holder && nid_holder != holder);
  if(!conflict) {
    *worker = holder;
    rc = worker_fill_numbers(db, holder, id);
    if(!rc)
      rc = note_link(db, doc_id, "ssn", &s);
    goto out;
  }
  proposals_add(ps, holder, "ssn_conflict", &s);
  if(nid_holder && nid_holder != holder) {
    rc = is_rejected(db, doc_id, nid_holder, &rejected);
    if(!rc && !rejected) {
      link_score_free(&s);
      rc = score_worker(db, doc_id, id, nid_holder, NULL, NULL, &s);
      if(!rc)
        proposals_add(ps, nid_holder, "national_id", &s);
    }
  }
out:
  link_score_free(&s);
  return rc;
}

/* The national ID is held by worker (a root) and the document's SSN (if
 * any) is not known: link, or propose. */
static int link_by_nid_holder(struct index_db *db, int64_t doc_id,
                              const struct link_ident *id, int64_t holder,
                              int ssn_taken, struct proposals *ps,
                              int64_t *worker)
{
  struct link_score s;
  int has_ssn = 0, rc;

  rc = worker_has_ssn(db, holder, &has_ssn);
  if(!rc)
    rc = score_worker(db, doc_id, id, holder, "national_id", id->nid, &s);
  if(rc)
    return rc;
  /* A document with its own SSN whose national ID belongs to a worker with
   * another SSN: one of the numbers is wrong. */
  if((id->ssn && (has_ssn || ssn_taken)) || number_conflict(&s))
    proposals_add(ps, holder, "national_id_conflict", &s);
  else {
    *worker = holder;
    rc = worker_fill_numbers(db, holder, id);
    if(!rc)
      rc = note_link(db, doc_id, "national_id", &s);
  }
  link_score_free(&s);
  return rc;
}

int link_document(struct index_db *db, int64_t doc_id,
                  const struct link_ident *id, int64_t *worker)
{
  struct name_candidate c[LINK_SUGGESTIONS_MAX];
  struct proposals ps;
  int64_t holder = 0;
  size_t nc = 0;
  const char *rule;
  int rc, rejected = 0, ssn_taken = 0;

  *worker = 0;
  memset(&ps, 0, sizeof(ps));
  rc = clear_pending(db, doc_id);
  if(!rc)
    rc = forget_link(db, doc_id);
  if(!rc)
    rc = decided_worker(db, doc_id, worker);
  if(!rc && *worker)
    rc = note_link(db, doc_id, "archivist", NULL);
  if(rc || *worker)
    return rc;
  if(id->ssn) {
    rc = worker_by_ssn(db, id->ssn, &holder);
    ssn_taken = holder != 0;
    if(!rc && holder)
      rc = link_root(db, holder, &holder);
    if(!rc && holder)
      rc = is_rejected(db, doc_id, holder, &rejected);
    if(!rc && holder && !rejected) {
      rc = link_by_ssn_holder(db, doc_id, id, holder, &ps, worker);
      if(!rc && ps.n) {
        rc = name_candidates(db, doc_id, id, CAND_TRIGRAMS, c,
                             LINK_SUGGESTIONS_MAX, &nc);
        if(!rc)
          propose_names(&ps, c, nc);
      }
      goto out;
    }
  }
  if(!rc && id->nid) {
    rc = worker_by_nid(db, id->nid, &holder);
    rejected = 0;
    if(!rc && holder)
      rc = is_rejected(db, doc_id, holder, &rejected);
    if(!rc && holder && !rejected) {
      rc = link_by_nid_holder(db, doc_id, id, holder, ssn_taken, &ps,
                              worker);
      if(rc || *worker)
        goto out;
    }
  }
  if(!rc && id->ssn && !ssn_taken) {
    /* A new SSN: a new worker unless a misread digit or a national ID
     * conflict was proposed, or a worker known without an SSN has this
     * name (the number was missing on that worker's documents). */
    rc = propose_near_ssn(db, doc_id, id, &ps);
    if(!rc && ps.n == 0) {
      rc = new_ssn_by_name(db, doc_id, id, &ps, worker);
      if(!rc && !*worker && ps.n == 0) {
        rc = link_worker_create(db, id, worker);
        if(!rc)
          rc = note_link(db, doc_id, "new_worker", NULL);
      }
      goto out;
    }
    if(!rc)
      rc = name_candidates(db, doc_id, id, CAND_TRIGRAMS, c,
                           LINK_SUGGESTIONS_MAX, &nc);
    if(!rc)
      propose_names(&ps, c, nc);
    goto out;
  }
  if(!rc)
    rc = name_candidates(db, doc_id, id, CAND_TRIGRAMS, c,
                         LINK_SUGGESTIONS_MAX, &nc);
  if(rc)
    goto out;
  /* Names link on their own only for a document without an SSN (an SSN
   * that nobody holds is a new worker's), when nothing else is proposed
   * and the best is clearly ahead, or is the only worker with the full
   * four-part name. */
  rule = id->ssn || ps.n ? NULL
         : strong_lead(c, nc)     ? "name"
         : unique_full_name(c, nc) ? "unique_name"
                                   : NULL;
  if(rule) {
    *worker = c[0].worker;
    rc = worker_fill_numbers(db, *worker, id);
    if(!rc)
      rc = note_link(db, doc_id, rule, &c[0].s);
    goto out;
  }
  propose_names(&ps, c, nc);
  if(ps.n == 0 && (id->ssn || id->nid)) {
    rc = link_worker_create(db, id, worker);
    if(!rc)
      rc = note_link(db, doc_id, "new_worker", NULL);
  }
out:
  if(!rc && !*worker)
    rc = proposals_store(db, doc_id, &ps);
  name_candidates_free(c, nc);
  proposals_free(&ps);
  return rc;
}
