/*
 * history.c - a worker's working life: employment spells, wage points, and
 * the timeline `daftar worker` shows (gaps, overlaps, insured months).
 *
 * Spells are derived, never edited: history_rebuild() reads the primary
 * values of the worker's documents (a correction is the primary, so
 * corrected values are what counts) and replaces the worker's spells,
 * spell_sources and wage_points in the caller's write group.  The rules:
 *   - a registration opens a spell at its start_date with its employer; a
 *     second registration with the same employer and start date is a copy
 *     and only adds its sources;
 *   - a termination closes the spell of that employer that it names by
 *     start_date, else the open spell that started last before its
 *     end_date; with none to close it stands as a spell of its own (start
 *     unknown unless it states one);
 *   - a wage change adds a wage point (date: its start_date, the
 *     effective date, when it has one) to the spell of its employer that
 *     covers that date, else the open one, else the latest one;
 *   - every monthly_wage is a wage point (registration: "start",
 *     wage_change: "change", termination: "end").
 * A spell covers the days from its first known date to its last (start,
 * end, dated wage points): an open spell (no termination on file) is not
 * assumed to run on to today, which the archive cannot know.  Gaps and
 * overlaps compare those covered ranges; a month is insured when at
 * least HIST_MONTH_MIN_DAYS of its days are covered by some spell.
 * Every fact keeps its document, page and box (spell_sources,
 * wage_points).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define HIST_DOCS_MAX 4096      /* documents of one worker considered */
#define HIST_MONTH_MIN_DAYS 15  /* covered days that make a month insured */
#define HIST_DAY_NONE (-1000000000L)

enum { HF_START, HF_END, HF_WAGE, HF_EMP_NAME, HF_EMP_NUMBER, HF_COUNT };
static const char *const hist_field_names[HF_COUNT] = {
    "start_date", "end_date", "monthly_wage", "employer_name",
    "employer_number"};

enum { DT_REGISTRATION, DT_TERMINATION, DT_WAGE_CHANGE, DT_OTHER };

struct hist_fact {
  char *value; /* NULL: the document has no such primary */
  int page;
  daftar_box box;
  int corrected;
};

struct hist_doc {
  int64_t id;
  int type;
  int64_t employer_id; /* 0: none */
  struct hist_fact f[HF_COUNT];
  long start, end; /* day numbers, HIST_DAY_NONE when absent or invalid */
};

struct hist_spell {
  int64_t employer_id;
  long start, end;
  const char *start_s, *end_s; /* owned by the documents */
  long first, last;            /* covered range */
};

struct hist_src { /* one fact behind a spell */
  size_t spell, doc;
  int field;
  const char *role;
};

struct hist_wage {
  long spell; /* -1: no spell to hang it on */
  size_t doc;
  const char *kind;
  const char *date; /* owned by the document; NULL when undated */
};

struct hist_build {
  struct hist_doc *docs;
  size_t ndocs;
  struct hist_spell *spells;
  size_t nspells, capspells;
  struct hist_src *srcs;
  size_t nsrcs, capsrcs;
  struct hist_wage *wages;
  size_t nwages, capwages;
};

/* ---- dates ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long days_from_civil(long y, long m, long d)
{
  long era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
  long era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static int month_days(long y, long m)
{
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return m == 2 && leap ? 29 : days[m - 1];
}

/* Day number of "YYYY-MM-DD", or HIST_DAY_NONE for anything else. */
static long parse_day(const char *s)
{
  long y = 0, m, d;

  if(!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return HIST_DAY_NONE;
  for(int i = 0; i < 10; i++)
    if(i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return HIST_DAY_NONE;
  for(int i = 0; i < 4; i++)
    y = y * 10 + (s[i] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if(y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
    return HIST_DAY_NONE;
  return days_from_civil(y, m, d);
}

/* YYYY-MM-DD, in quotes for JSON. */
static int put_day(dbuf *b, long day, int quoted)
{
  long y, m, d;

  civil_from_days(day, &y, &m, &d);
  return dbuf_printf(b, quoted ? "\"%04ld-%02ld-%02ld\"" : "%04ld-%02ld-%02ld",
                     y, m, d);
}

/* Months with at least HIST_MONTH_MIN_DAYS covered days, over sorted,
 * disjoint ranges [a[i], b[i]]. */
static long insured_months(const long *a, const long *b, size_t n)
{
  long count = 0, cur_key = -1, cur_days = 0;

  for(size_t i = 0; i < n; i++) {
    long day = a[i];
    while(day <= b[i]) {
      long y, m, d, key, mend;
      civil_from_days(day, &y, &m, &d);
      key = y * 12 + (m - 1);
      mend = day + (month_days(y, m) - d);
      if(mend > b[i])
        mend = b[i];
      if(key != cur_key) {
        if(cur_days >= HIST_MONTH_MIN_DAYS)
          count++;
        cur_key = key;
        cur_days = 0;
      }
      cur_days += mend - day + 1;
      day = mend + 1;
    }
  }
  if(cur_days >= HIST_MONTH_MIN_DAYS)
    count++;
  return count;
}

/* ---- reading a worker's documents ------------------------------------------- */

static int doc_type_code(const char *t)
{
  if(!t)
    return DT_OTHER;
  if(strcmp(t, "registration") == 0)
    return DT_REGISTRATION;
  if(strcmp(t, "termination") == 0)
    return DT_TERMINATION;
  if(strcmp(t, "wage_change") == 0)
    return DT_WAGE_CHANGE;
  return DT_OTHER;
}

static void hist_build_free(struct hist_build *h)
{
  for(size_t i = 0; i < h->ndocs; i++)
    for(int k = 0; k < HF_COUNT; k++)
      free(h->docs[i].f[k].value);
  free(h->docs);
  free(h->spells);
  free(h->srcs);
  free(h->wages);
  memset(h, 0, sizeof(*h));
}

static int load_docs(struct index_db *db, int64_t worker_id,
                     struct hist_build *h)
{
  static const char SQL_DOCS[] =
      "SELECT id, doc_type, employer_id FROM documents"
      " WHERE worker_id = ?1 AND duplicate_of IS NULL ORDER BY id LIMIT ?2";
  static const char SQL_FIELDS[] =
      "SELECT f.document_id, f.name, f.value, f.page, f.x0, f.y0, f.x1, f.y1,"
      " f.locked FROM documents d JOIN fields f ON f.document_id = d.id"
      " WHERE d.worker_id = ?1 AND d.duplicate_of IS NULL AND f.seq = 0"
      " AND f.candidate = 0 AND f.value IS NOT NULL AND f.value <> ''"
      " AND f.name IN ('start_date', 'end_date', 'monthly_wage',"
      " 'employer_name', 'employer_number')"
      " ORDER BY f.document_id";
  sqlite3_stmt *st = db_stmt(db, SQL_DOCS);
  size_t cap = 0, at = 0;
  int rc;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  sqlite3_bind_int(st, 2, HIST_DOCS_MAX);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    struct hist_doc *d;
    if(h->ndocs == cap) {
      void *p = array_grow(h->docs, &cap, sizeof(*h->docs), 16);
      if(!p) {
        db_done(st);
        return db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
      }
      h->docs = p;
    }
    d = &h->docs[h->ndocs++];
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(st, 0);
    d->type = doc_type_code((const char *)sqlite3_column_text(st, 1));
    d->employer_id = sqlite3_column_int64(st, 2);
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading the worker's documents");
  st = db_stmt(db, SQL_FIELDS);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  /* Both lists are ordered by document id: walk them together. */
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    const char *name = (const char *)sqlite3_column_text(st, 1);
    while(at < h->ndocs && h->docs[at].id < id)
      at++;
    if(at == h->ndocs)
      break;
    if(h->docs[at].id != id || !name)
      continue;
    for(int k = 0; k < HF_COUNT; k++) {
      struct hist_fact *f = &h->docs[at].f[k];
      if(strcmp(name, hist_field_names[k]) != 0 || f->value)
        continue;
      f->value = db_col_dup(st, 2);
      if(!f->value) {
        db_done(st);
        return db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
      }
      f->page = sqlite3_column_int(st, 3);
      f->box.x0 = sqlite3_column_int(st, 4);
      f->box.y0 = sqlite3_column_int(st, 5);
      f->box.x1 = sqlite3_column_int(st, 6);
      f->box.y1 = sqlite3_column_int(st, 7);
      f->corrected = sqlite3_column_int(st, 8);
    }
  }
  db_done(st);
  if(rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_sqlerr(db, rc, "reading the worker's fields");
  for(size_t i = 0; i < h->ndocs; i++) {
    h->docs[i].start = parse_day(h->docs[i].f[HF_START].value);
    h->docs[i].end = parse_day(h->docs[i].f[HF_END].value);
  }
  return DAFTAR_OK;
}

/* ---- building spells ------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
  void *q;

  if(n < *cap)
    return DAFTAR_OK;
  q = array_grow(*p, cap, size, 16);
  if(!q)
    return DAFTAR_ENOMEM;
  *p = q;
  return DAFTAR_OK;
}

static int add_source(struct hist_build *h, size_t spell, size_t doc,
                      int field, const char *role)
{
  if(!h->docs[doc].f[field].value)
    return DAFTAR_OK;
  if(grow((void **)&h->srcs, &h->capsrcs, h->nsrcs, sizeof(*h->srcs)))
    return DAFTAR_ENOMEM;
  h->srcs[h->nsrcs++] = (struct hist_src){spell, doc, field, role};
  return DAFTAR_OK;
}

static int add_wage(struct hist_build *h, long spell, size_t doc,
                    const char *kind, const char *date)
{
  if(!h->docs[doc].f[HF_WAGE].value)
    return DAFTAR_OK;
  if(grow((void **)&h->wages, &h->capwages, h->nwages, sizeof(*h->wages)))
    return DAFTAR_ENOMEM;
  h->wages[h->nwages++] = (struct hist_wage){spell, doc, kind, date};
  return DAFTAR_OK;
}

static int new_spell(struct hist_build *h, const struct hist_doc *d,
                     size_t *out)
{
  struct hist_spell *s;

  if(grow((void **)&h->spells, &h->capspells, h->nspells,
          sizeof(*h->spells)))
    return DAFTAR_ENOMEM;
  s = &h->spells[h->nspells];
  memset(s, 0, sizeof(*s));
  s->employer_id = d->employer_id;
  s->start = d->start;
  s->end = d->end;
  s->start_s = d->start != HIST_DAY_NONE ? d->f[HF_START].value : NULL;
  s->end_s = d->end != HIST_DAY_NONE ? d->f[HF_END].value : NULL;
  *out = h->nspells++;
  return DAFTAR_OK;
}

/* A document without an employer fits any spell, and a spell whose
 * employer was not read fits any document (it takes the document's). */
static int employer_fits(const struct hist_spell *s, const struct hist_doc *d)
{
  return d->employer_id == 0 || s->employer_id == 0 ||
         s->employer_id == d->employer_id;
}

static void employer_adopt(struct hist_spell *s, const struct hist_doc *d)
{
  if(s->employer_id == 0)
    s->employer_id = d->employer_id;
}

/* Sort entries: a key day (absent days sort last) and a tie-breaker, with
 * the index they stand for.  Plain structs keep qsort reentrant (several
 * handles may work in several threads). */
struct sort_entry {
  long key;
  int64_t tie;
  size_t idx;
};

static int cmp_entry(const void *a, const void *b)
{
  const struct sort_entry *x = a, *y = b;

  if(x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->tie < y->tie ? -1 : x->tie > y->tie;
}

static long sort_key(long day)
{
  return day == HIST_DAY_NONE ? -HIST_DAY_NONE : day;
}

/* A registration or termination says something about a spell only with a
 * date or an employer. */
static int doc_has_spell_facts(const struct hist_doc *d)
{
  return d->start != HIST_DAY_NONE || d->end != HIST_DAY_NONE ||
         d->employer_id != 0;
}

static int registration(struct hist_build *h, size_t di)
{
  const struct hist_doc *d = &h->docs[di];
  size_t s = h->nspells;
  int rc;

  if(!doc_has_spell_facts(d))
    return DAFTAR_OK;

  for(size_t i = 0; i < h->nspells && d->start != HIST_DAY_NONE; i++)
    if(h->spells[i].employer_id == d->employer_id &&
       h->spells[i].start == d->start)
      s = i; /* a copy of a registration already seen */
  if(s == h->nspells) {
    rc = new_spell(h, d, &s);
    if(rc)
      return rc;
  }
  else if(h->spells[s].end == HIST_DAY_NONE && d->end != HIST_DAY_NONE) {
    h->spells[s].end = d->end;
    h->spells[s].end_s = d->f[HF_END].value;
  }
  rc = add_source(h, s, di, HF_START, "start");
  if(!rc)
    rc = add_source(h, s, di, HF_END, "end");
  if(!rc)
    rc = add_source(h, s, di, HF_EMP_NAME, "employer");
  if(!rc)
    rc = add_source(h, s, di, HF_EMP_NUMBER, "employer");
  if(!rc)
    rc = add_wage(h, (long)s, di, "start", h->spells[s].start_s);
  return rc;
}

static int termination(struct hist_build *h, size_t di)
{
  const struct hist_doc *d = &h->docs[di];
  size_t s = h->nspells;
  int rc;

  if(!doc_has_spell_facts(d))
    return DAFTAR_OK;

  /* The spell it names by start date; a copy of a termination already
   * applied lands here too (same end). */
  for(size_t i = 0; i < h->nspells && d->start != HIST_DAY_NONE; i++) {
    const struct hist_spell *p = &h->spells[i];
    if(employer_fits(p, d) && p->start == d->start &&
       (p->end == HIST_DAY_NONE || p->end == d->end))
      s = i;
  }
  /* Else the open spell that started last before the end (a termination
   * that names a start date closes only that spell). */
  for(size_t k = 0; s == h->nspells && d->start == HIST_DAY_NONE &&
                    k < h->nspells; k++) {
    const struct hist_spell *p = &h->spells[k];
    if(!employer_fits(p, d) || p->end != HIST_DAY_NONE)
      continue;
    if(d->end != HIST_DAY_NONE && p->start != HIST_DAY_NONE &&
       p->start > d->end)
      continue;
    s = k;
  }
  for(size_t k = s + 1; d->start == HIST_DAY_NONE && s < h->nspells &&
                        k < h->nspells; k++) {
    const struct hist_spell *p = &h->spells[k];
    if(employer_fits(p, d) && p->end == HIST_DAY_NONE &&
       p->start > h->spells[s].start &&
       (d->end == HIST_DAY_NONE || p->start <= d->end))
      s = k;
  }
  if(s == h->nspells) {
    rc = new_spell(h, d, &s);
    if(rc)
      return rc;
  }
  else {
    struct hist_spell *p = &h->spells[s];
    employer_adopt(p, d);
    if(p->end == HIST_DAY_NONE) {
      p->end = d->end;
      p->end_s = d->end != HIST_DAY_NONE ? d->f[HF_END].value : NULL;
    }
    if(p->start == HIST_DAY_NONE && d->start != HIST_DAY_NONE) {
      p->start = d->start;
      p->start_s = d->f[HF_START].value;
    }
  }
  rc = add_source(h, s, di, HF_END, "end");
  if(!rc)
    rc = add_source(h, s, di, HF_START, "start");
  if(!rc && h->spells[s].employer_id == d->employer_id) {
    rc = add_source(h, s, di, HF_EMP_NAME, "employer");
    if(!rc)
      rc = add_source(h, s, di, HF_EMP_NUMBER, "employer");
  }
  if(!rc)
    rc = add_wage(h, (long)s, di, "end", h->spells[s].end_s);
  return rc;
}

static int wage_change(struct hist_build *h, size_t di)
{
  const struct hist_doc *d = &h->docs[di];
  long s = -1, best = HIST_DAY_NONE - 1;
  int pass, rc;

  /* Pass 0: a spell covering the date; 1: an open spell; 2: any spell of
   * the employer.  The latest start wins within a pass. */
  for(pass = 0; pass < 3 && s < 0; pass++) {
    for(size_t k = 0; k < h->nspells; k++) {
      const struct hist_spell *p = &h->spells[k];
      if(!employer_fits(p, d))
        continue;
      if(pass == 0 &&
         (d->start == HIST_DAY_NONE || p->start == HIST_DAY_NONE ||
          p->start > d->start ||
          (p->end != HIST_DAY_NONE && p->end < d->start)))
        continue;
      if(pass == 1 && p->end != HIST_DAY_NONE)
        continue;
      if(s < 0 || p->start > best) {
        best = p->start;
        s = (long)k;
      }
    }
  }
  if(s >= 0) {
    employer_adopt(&h->spells[s], d);
    rc = add_source(h, (size_t)s, di, HF_WAGE, "wage");
    if(!rc)
      rc = add_source(h, (size_t)s, di, HF_START, "wage");
    if(rc)
      return rc;
  }
  return add_wage(h, s, di, "change",
                  d->start != HIST_DAY_NONE ? d->f[HF_START].value : NULL);
}

/* Applies apply to the documents of one type, ordered by their key date
 * (termination: end, else start), then id. */
static int build_type(struct hist_build *h, int type,
                      int (*apply)(struct hist_build *, size_t))
{
  struct sort_entry *e = malloc((h->ndocs ? h->ndocs : 1) * sizeof(*e));
  size_t n = 0;
  int rc = DAFTAR_OK;

  if(!e)
    return DAFTAR_ENOMEM;
  for(size_t i = 0; i < h->ndocs; i++) {
    const struct hist_doc *d = &h->docs[i];
    if(d->type != type)
      continue;
    e[n].key = sort_key(type == DT_TERMINATION ? d->end : d->start);
    e[n].tie = d->id;
    e[n++].idx = i;
  }
  qsort(e, n, sizeof(*e), cmp_entry);
  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++)
    rc = apply(h, e[i].idx);
  free(e);
  return rc;
}

static void widen(long *first, long *last, long day)
{
  if(day == HIST_DAY_NONE)
    return;
  if(*first == HIST_DAY_NONE || day < *first)
    *first = day;
  if(*last == HIST_DAY_NONE || day > *last)
    *last = day;
}

static void cover_ranges(struct hist_build *h)
{
  for(size_t i = 0; i < h->nspells; i++) {
    struct hist_spell *s = &h->spells[i];
    s->first = s->last = HIST_DAY_NONE;
    widen(&s->first, &s->last, s->start);
    widen(&s->first, &s->last, s->end);
  }
  for(size_t i = 0; i < h->nwages; i++)
    if(h->wages[i].spell >= 0 && h->wages[i].date)
      widen(&h->spells[h->wages[i].spell].first,
            &h->spells[h->wages[i].spell].last, parse_day(h->wages[i].date));
}

/* ---- storing ------------------------------------------------------------------ */

static int bind_day(sqlite3_stmt *st, int i, long day)
{
  char s[16];
  long y, m, d;

  if(day == HIST_DAY_NONE)
    return sqlite3_bind_null(st, i);
  civil_from_days(day, &y, &m, &d);
  snprintf(s, sizeof(s), "%04ld-%02ld-%02ld", y, m, d);
  return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void bind_fact(sqlite3_stmt *st, int first, const struct hist_fact *f)
{
  sqlite3_bind_int(st, first, f->page);
  sqlite3_bind_int(st, first + 1, f->box.x0);
  sqlite3_bind_int(st, first + 2, f->box.y0);
  sqlite3_bind_int(st, first + 3, f->box.x1);
  sqlite3_bind_int(st, first + 4, f->box.y1);
  sqlite3_bind_int(st, first + 5, f->corrected);
}

static int store_spells(struct index_db *db, int64_t worker_id,
                        struct hist_build *h, const size_t *order,
                        int64_t *ids)
{
  static const char SQL_SPELL[] =
      "INSERT INTO spells(worker_id, seq, employer_id, start_date, end_date,"
      " first_day, last_day) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  static const char SQL_SOURCE[] =
      "INSERT INTO spell_sources(spell_id, role, field, document_id, page,"
      " x0, y0, x1, y1, corrected)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  static const char SQL_WAGE[] =
      "INSERT INTO wage_points(worker_id, spell_id, date, wage, kind,"
      " document_id, page, x0, y0, x1, y1, corrected)"
      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  sqlite3_stmt *st;
  int rc = DAFTAR_OK;

  for(size_t k = 0; k < h->nspells && rc == DAFTAR_OK; k++) {
    const struct hist_spell *s = &h->spells[order[k]];
    st = db_stmt(db, SQL_SPELL);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, worker_id);
    sqlite3_bind_int64(st, 2, (int64_t)k + 1);
    if(s->employer_id)
      sqlite3_bind_int64(st, 3, s->employer_id);
    db_bind_text(st, 4, s->start_s);
    db_bind_text(st, 5, s->end_s);
    bind_day(st, 6, s->first);
    bind_day(st, 7, s->last);
    rc = db_step_done(db, st, "storing a spell");
    ids[order[k]] = sqlite3_last_insert_rowid(db->sql);
  }
  for(size_t i = 0; i < h->nsrcs && rc == DAFTAR_OK; i++) {
    const struct hist_src *src = &h->srcs[i];
    const struct hist_doc *d = &h->docs[src->doc];
    st = db_stmt(db, SQL_SOURCE);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, ids[src->spell]);
    db_bind_text(st, 2, src->role);
    db_bind_text(st, 3, hist_field_names[src->field]);
    sqlite3_bind_int64(st, 4, d->id);
    bind_fact(st, 5, &d->f[src->field]);
    rc = db_step_done(db, st, "storing a spell's source");
  }
  for(size_t i = 0; i < h->nwages && rc == DAFTAR_OK; i++) {
    const struct hist_wage *w = &h->wages[i];
    const struct hist_doc *d = &h->docs[w->doc];
    st = db_stmt(db, SQL_WAGE);
    if(!st)
      return DAFTAR_EDB;
    sqlite3_bind_int64(st, 1, worker_id);
    if(w->spell >= 0)
      sqlite3_bind_int64(st, 2, ids[w->spell]);
    db_bind_text(st, 3, w->date);
    db_bind_text(st, 4, d->f[HF_WAGE].value);
    db_bind_text(st, 5, w->kind);
    sqlite3_bind_int64(st, 6, d->id);
    bind_fact(st, 7, &d->f[HF_WAGE]);
    rc = db_step_done(db, st, "storing a wage point");
  }
  return rc;
}

int history_rebuild_spells(struct index_db *db, int64_t worker_id)
{
  static const char SQL_CLEAR_WAGES[] =
      "DELETE FROM wage_points WHERE worker_id = ?1";
  static const char SQL_CLEAR_SPELLS[] =
      "DELETE FROM spells WHERE worker_id = ?1";
  struct hist_build h;
  struct sort_entry *entries = NULL;
  size_t *order = NULL;
  int64_t *ids = NULL;
  sqlite3_stmt *st;
  int rc;

  memset(&h, 0, sizeof(h));
  st = db_stmt(db, SQL_CLEAR_WAGES);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = db_step_done(db, st, "clearing wage points");
  if(rc)
    return rc;
  st = db_stmt(db, SQL_CLEAR_SPELLS);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = db_step_done(db, st, "clearing spells");
  if(!rc)
    rc = load_docs(db, worker_id, &h);
  if(!rc)
    rc = build_type(&h, DT_REGISTRATION, registration);
  if(!rc)
    rc = build_type(&h, DT_TERMINATION, termination);
  if(!rc)
    rc = build_type(&h, DT_WAGE_CHANGE, wage_change);
  if(rc)
    goto out;
  cover_ranges(&h);
  /* Spells in timeline order: first covered day (undated last), then the
   * order they were made in. */
  order = malloc((h.nspells ? h.nspells : 1) * sizeof(*order));
  ids = calloc(h.nspells ? h.nspells : 1, sizeof(*ids));
  entries = malloc((h.nspells ? h.nspells : 1) * sizeof(*entries));
  if(!order || !ids || !entries) {
    rc = db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
    goto out;
  }
  for(size_t i = 0; i < h.nspells; i++)
    entries[i] = (struct sort_entry){sort_key(h.spells[i].first), (int64_t)i,
                                     i};
  qsort(entries, h.nspells, sizeof(*entries), cmp_entry);
  for(size_t i = 0; i < h.nspells; i++)
    order[i] = entries[i].idx;
  rc = store_spells(db, worker_id, &h, order, ids);
out:
  if(rc == DAFTAR_ENOMEM)
    db_fail(db, rc, "history: out of memory");
  free(entries);
  free(order);
  free(ids);
  hist_build_free(&h);
  return rc;
}

/* ---- the timeline, read back ------------------------------------------------ */

#define HIST_SPELLS_SHOWN_MAX 2048 /* spells of one worker shown */

struct tl_spell {
  int64_t id;
  long first, last; /* HIST_DAY_NONE when undated */
  int overlap;
  int open;         /* no end date on file */
};

struct timeline {
  struct tl_spell *s;
  size_t n;
};

static int timeline_load(struct index_db *db, int64_t worker_id,
                         struct timeline *t)
{
  static const char SQL[] =
      "SELECT id, first_day, last_day, end_date IS NULL FROM spells"
      " WHERE worker_id = ?1 ORDER BY seq LIMIT ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  size_t cap = 0;
  int rc;

  memset(t, 0, sizeof(*t));
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  sqlite3_bind_int(st, 2, HIST_SPELLS_SHOWN_MAX);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(grow((void **)&t->s, &cap, t->n, sizeof(*t->s))) {
      db_done(st);
      return db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
    }
    t->s[t->n].id = sqlite3_column_int64(st, 0);
    t->s[t->n].first =
        parse_day((const char *)sqlite3_column_text(st, 1));
    t->s[t->n].last = parse_day((const char *)sqlite3_column_text(st, 2));
    t->s[t->n].overlap = 0;
    t->s[t->n].open = sqlite3_column_int(st, 3);
    t->n++;
  }
  db_done(st);
  if(rc != SQLITE_DONE)
    return db_sqlerr(db, rc, "reading spells");
  /* Overlaps: spells are ordered by first day; undated ones come last. */
  for(size_t i = 0; i < t->n; i++)
    for(size_t j = 0; j < i && t->s[i].first != HIST_DAY_NONE; j++)
      if(t->s[j].last != HIST_DAY_NONE && t->s[j].last >= t->s[i].first)
        t->s[i].overlap = t->s[j].overlap = 1;
  return DAFTAR_OK;
}

static long timeline_insured_months(const struct timeline *t)
{
  long *a = malloc((t->n ? t->n : 1) * sizeof(long));
  long *b = malloc((t->n ? t->n : 1) * sizeof(long));
  size_t n = 0;
  long months = -1;

  if(!a || !b)
    goto out;
  /* Spells are sorted by first day: fold them into disjoint ranges. */
  for(size_t i = 0; i < t->n; i++) {
    if(t->s[i].first == HIST_DAY_NONE)
      continue;
    if(n && t->s[i].first <= b[n - 1] + 1) {
      if(t->s[i].last > b[n - 1])
        b[n - 1] = t->s[i].last;
      continue;
    }
    a[n] = t->s[i].first;
    b[n] = t->s[i].last;
    n++;
  }
  months = insured_months(a, b, n);
out:
  free(a);
  free(b);
  return months;
}

static int put_box_json(dbuf *out, sqlite3_stmt *st, int first)
{
  return dbuf_printf(out, "[%d,%d,%d,%d]", sqlite3_column_int(st, first),
                     sqlite3_column_int(st, first + 1),
                     sqlite3_column_int(st, first + 2),
                     sqlite3_column_int(st, first + 3));
}

static int put_kv_str(dbuf *out, const char *key, const unsigned char *v)
{
  int rc = dbuf_putc(out, ',');

  if(!rc)
    rc = json_put_key(out, key);
  return rc ? rc : json_put_str(out, (const char *)v);
}

/* Where a fact comes from, closing its object: document, source, page,
 * box and whether an archivist corrected it, from columns col (document),
 * col + 1 (source), col + 2 (page), col + 3..6 (box), col + 7 (corrected). */
static int put_provenance(dbuf *out, sqlite3_stmt *st, int col)
{
  int rc = dbuf_printf(out, ",\"document\":%lld",
                       (long long)sqlite3_column_int64(st, col));

  if(!rc)
    rc = put_kv_str(out, "source", sqlite3_column_text(st, col + 1));
  if(!rc)
    rc = dbuf_printf(out, ",\"page\":%d,\"box\":",
                     sqlite3_column_int(st, col + 2));
  if(!rc)
    rc = put_box_json(out, st, col + 3);
  if(!rc)
    rc = dbuf_printf(out, ",\"corrected\":%s}",
                     sqlite3_column_int(st, col + 7) ? "true" : "false");
  return rc;
}

static int spell_sources_json(struct index_db *db, int64_t spell_id,
                              dbuf *out)
{
  static const char SQL[] =
      "SELECT s.role, s.field, s.document_id, d.source, s.page, s.x0, s.y0,"
      " s.x1, s.y1, s.corrected FROM spell_sources s"
      " JOIN documents d ON d.id = s.document_id WHERE s.spell_id = ?1"
      " ORDER BY s.document_id, s.rowid";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, spell_id);
  rc = dbuf_puts(out, ",\"sources\":[");
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_puts(out, first ? "{\"role\":" : ",{\"role\":");
    first = 0;
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 0));
    if(!rc)
      rc = put_kv_str(out, "field", sqlite3_column_text(st, 1));
    if(!rc)
      rc = put_provenance(out, st, 2);
  }
  if(rc == SQLITE_DONE)
    rc = dbuf_putc(out, ']');
  else if(rc > 0)
    rc = db_sqlerr(db, rc, "reading a spell's sources");
  db_done(st);
  return rc;
}

static const char SQL_SPELLS[] =
    "SELECT s.id, s.seq, s.start_date, s.end_date, e.name, e.number"
    " FROM spells s LEFT JOIN employers e ON e.id = s.employer_id"
    " WHERE s.worker_id = ?1 ORDER BY s.seq LIMIT ?2";

static long spell_months(const struct tl_spell *s)
{
  if(s->first == HIST_DAY_NONE)
    return 0;
  return insured_months(&s->first, &s->last, 1);
}

/* A spell's displayed columns, copied out of the statement (the sources
 * of each are read with another statement afterwards). */
struct spell_row {
  char *start, *end, *emp, *num;
};

static void spell_rows_free(struct spell_row *r, size_t n)
{
  for(size_t i = 0; r && i < n; i++) {
    free(r[i].start);
    free(r[i].end);
    free(r[i].emp);
    free(r[i].num);
  }
  free(r);
}

/* Rows of the worker's spells, one per t->s[] entry (same order). */
static int spell_rows_load(struct index_db *db, int64_t worker_id,
                           const struct timeline *t, struct spell_row **out,
                           size_t *n)
{
  sqlite3_stmt *st = db_stmt(db, SQL_SPELLS);
  struct spell_row *rows = calloc(t->n ? t->n : 1, sizeof(*rows));
  size_t k = 0;
  int rc = SQLITE_DONE;

  *out = NULL;
  *n = 0;
  if(!st || !rows) {
    free(rows);
    return st ? db_fail(db, DAFTAR_ENOMEM, "out of memory") : DAFTAR_EDB;
  }
  sqlite3_bind_int64(st, 1, worker_id);
  sqlite3_bind_int(st, 2, HIST_SPELLS_SHOWN_MAX);
  while(k < t->n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rows[k].start = db_col_dup(st, 2);
    rows[k].end = db_col_dup(st, 3);
    rows[k].emp = db_col_dup(st, 4);
    rows[k].num = db_col_dup(st, 5);
    k++;
  }
  db_done(st);
  if(rc != SQLITE_DONE && rc != SQLITE_ROW) {
    spell_rows_free(rows, k);
    return db_sqlerr(db, rc, "reading spells");
  }
  *out = rows;
  *n = k;
  return DAFTAR_OK;
}

static int put_member_str(dbuf *out, const char *key, const char *v)
{
  int rc = dbuf_putc(out, ',');

  if(!rc)
    rc = json_put_key(out, key);
  return rc ? rc : json_put_str(out, v);
}

static int put_member_day(dbuf *out, const char *key, long day)
{
  int rc = dbuf_putc(out, ',');

  if(!rc)
    rc = json_put_key(out, key);
  if(rc)
    return rc;
  return day == HIST_DAY_NONE ? dbuf_puts(out, "null") : put_day(out, day, 1);
}

static int spells_json(struct index_db *db, int64_t worker_id,
                       const struct timeline *t, dbuf *out)
{
  struct spell_row *rows;
  size_t k;
  int rc;

  rc = spell_rows_load(db, worker_id, t, &rows, &k);
  if(rc)
    return rc;
  rc = dbuf_puts(out, ",\"spells\":[");
  for(size_t i = 0; i < k && !rc; i++) {
    const struct tl_spell *s = &t->s[i];
    rc = dbuf_printf(out, "%s{\"n\":%zu", i ? "," : "", i + 1);
    if(!rc)
      rc = put_member_str(out, "employer_name", rows[i].emp);
    if(!rc)
      rc = put_member_str(out, "employer_number", rows[i].num);
    if(!rc)
      rc = put_member_str(out, "start_date", rows[i].start);
    if(!rc)
      rc = put_member_str(out, "end_date", rows[i].end);
    if(!rc)
      rc = put_member_day(out, "covered_from", s->first);
    if(!rc)
      rc = put_member_day(out, "covered_to", s->last);
    if(!rc)
      rc = dbuf_printf(out,
                       ",\"months\":%ld,\"open\":%s,\"start_unknown\":%s,"
                       "\"overlap\":%s",
                       spell_months(s), rows[i].end ? "false" : "true",
                       rows[i].start ? "false" : "true",
                       s->overlap ? "true" : "false");
    if(!rc)
      rc = spell_sources_json(db, s->id, out);
    if(!rc)
      rc = dbuf_putc(out, '}');
  }
  if(!rc)
    rc = dbuf_putc(out, ']');
  spell_rows_free(rows, k);
  return rc;
}

/* Calls fn for each gap (a, b: the spells around it, 0-based) and each
 * overlap (a before b). */
struct tl_visit {
  int (*gap)(void *arg, size_t a, size_t b, long from, long to);
  int (*overlap)(void *arg, size_t a, size_t b, long from, long to);
  void *arg;
};

static int timeline_walk(const struct timeline *t, const struct tl_visit *v)
{
  long covered = HIST_DAY_NONE;
  size_t by = 0;
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < t->n && rc == DAFTAR_OK; i++) {
    const struct tl_spell *s = &t->s[i];
    if(s->first == HIST_DAY_NONE)
      continue;
    if(covered != HIST_DAY_NONE && s->first > covered + 1)
      rc = v->gap(v->arg, by, i, covered + 1, s->first - 1);
    for(size_t j = 0; j < i && rc == DAFTAR_OK; j++) {
      const struct tl_spell *p = &t->s[j];
      if(p->last != HIST_DAY_NONE && p->last >= s->first)
        rc = v->overlap(v->arg, j, i, s->first,
                        p->last < s->last ? p->last : s->last);
    }
    if(covered == HIST_DAY_NONE || s->last > covered) {
      covered = s->last;
      by = i;
    }
  }
  return rc;
}

struct json_walk {
  dbuf *out;
  int first;
  const struct timeline *t;
};

static int gap_json(void *arg, size_t a, size_t b, long from, long to)
{
  struct json_walk *w = arg;
  int rc = dbuf_printf(w->out, "%s{\"after\":%zu,\"before\":%zu,\"from\":",
                       w->first ? "" : ",", a + 1, b + 1);

  w->first = 0;
  if(!rc)
    rc = put_day(w->out, from, 1);
  if(!rc)
    rc = dbuf_puts(w->out, ",\"to\":");
  if(!rc)
    rc = put_day(w->out, to, 1);
  /* After an open spell the gap may be a termination missing from the
   * file rather than time without work. */
  if(!rc)
    rc = dbuf_printf(w->out, ",\"days\":%ld,\"months\":%ld,"
                             "\"after_open\":%s}",
                     to - from + 1, insured_months(&from, &to, 1),
                     w->t->s[a].open ? "true" : "false");
  return rc;
}

static int overlap_json(void *arg, size_t a, size_t b, long from, long to)
{
  struct json_walk *w = arg;
  int rc = dbuf_printf(w->out, "%s{\"spells\":[%zu,%zu],\"from\":",
                       w->first ? "" : ",", a + 1, b + 1);

  w->first = 0;
  if(!rc)
    rc = put_day(w->out, from, 1);
  if(!rc)
    rc = dbuf_puts(w->out, ",\"to\":");
  if(!rc)
    rc = put_day(w->out, to, 1);
  if(!rc)
    rc = dbuf_printf(w->out, ",\"days\":%ld}", to - from + 1);
  return rc;
}

static int no_visit(void *arg, size_t a, size_t b, long from, long to)
{
  (void)arg;
  (void)a;
  (void)b;
  (void)from;
  (void)to;
  return DAFTAR_OK;
}

static const char SQL_WAGES[] =
    "SELECT w.date, w.wage, w.kind, sp.seq, e.name, e.number, w.document_id,"
    " d.source, w.page, w.x0, w.y0, w.x1, w.y1, w.corrected"
    " FROM wage_points w JOIN documents d ON d.id = w.document_id"
    " LEFT JOIN spells sp ON sp.id = w.spell_id"
    " LEFT JOIN employers e ON e.id = sp.employer_id"
    " WHERE w.worker_id = ?1"
    " ORDER BY coalesce(w.date, sp.first_day, '9999'), w.date IS NULL,"
    " w.document_id";

static int wages_json(struct index_db *db, int64_t worker_id, dbuf *out)
{
  sqlite3_stmt *st = db_stmt(db, SQL_WAGES);
  int rc, first = 1;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, worker_id);
  rc = dbuf_puts(out, ",\"wages\":[");
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = dbuf_puts(out, first ? "{\"date\":" : ",{\"date\":");
    first = 0;
    if(!rc)
      rc = json_put_str(out, (const char *)sqlite3_column_text(st, 0));
    if(!rc)
      rc = put_kv_str(out, "wage", sqlite3_column_text(st, 1));
    if(!rc)
      rc = put_kv_str(out, "kind", sqlite3_column_text(st, 2));
    if(!rc)
      rc = sqlite3_column_type(st, 3) == SQLITE_NULL
               ? dbuf_puts(out, ",\"spell\":null")
               : dbuf_printf(out, ",\"spell\":%d", sqlite3_column_int(st, 3));
    if(!rc)
      rc = put_kv_str(out, "employer_name", sqlite3_column_text(st, 4));
    if(!rc)
      rc = put_kv_str(out, "employer_number", sqlite3_column_text(st, 5));
    if(!rc)
      rc = put_provenance(out, st, 6);
  }
  if(rc == SQLITE_DONE)
    rc = dbuf_putc(out, ']');
  else if(rc > 0)
    rc = db_sqlerr(db, rc, "reading wage points");
  db_done(st);
  return rc;
}

int history_json(struct index_db *db, int64_t worker_id, dbuf *out)
{
  struct timeline t;
  struct json_walk w;
  struct tl_visit v;
  long months;
  int rc;

  rc = timeline_load(db, worker_id, &t);
  if(rc)
    goto out;
  rc = spells_json(db, worker_id, &t, out);
  w = (struct json_walk){out, 1, &t};
  v = (struct tl_visit){gap_json, no_visit, &w};
  if(!rc)
    rc = dbuf_puts(out, ",\"gaps\":[");
  if(!rc)
    rc = timeline_walk(&t, &v);
  w.first = 1;
  v = (struct tl_visit){no_visit, overlap_json, &w};
  if(!rc)
    rc = dbuf_puts(out, "],\"overlaps\":[");
  if(!rc)
    rc = timeline_walk(&t, &v);
  months = timeline_insured_months(&t);
  if(!rc && months < 0)
    rc = db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
  if(!rc)
    rc = dbuf_printf(out, "],\"insured_months\":%ld", months);
  if(!rc)
    rc = wages_json(db, worker_id, out);
out:
  free(t.s);
  return rc;
}

/* ---- the timeline as text ---------------------------------------------------- */

static const char *dash(const unsigned char *s)
{
  return s && *s ? (const char *)s : "-";
}

static int gap_text(void *arg, size_t a, size_t b, long from, long to)
{
  struct json_walk *w = arg;
  int rc = dbuf_puts(w->out, "  GAP      ");

  if(!rc)
    rc = put_day(w->out, from, 0);
  if(!rc)
    rc = dbuf_puts(w->out, " .. ");
  if(!rc)
    rc = put_day(w->out, to, 0);
  if(!rc)
    rc = dbuf_printf(w->out, "  (%ld days, between spells %zu and %zu%s)\n",
                     to - from + 1, a + 1, b + 1,
                     w->t->s[a].open ? "; spell before it has no end on file"
                                     : "");
  return rc;
}

static int overlap_text(void *arg, size_t a, size_t b, long from, long to)
{
  struct json_walk *w = arg;
  int rc = dbuf_printf(w->out, "  OVERLAP  spells %zu and %zu: ", a + 1,
                       b + 1);

  if(!rc)
    rc = put_day(w->out, from, 0);
  if(!rc)
    rc = dbuf_puts(w->out, " .. ");
  if(!rc)
    rc = put_day(w->out, to, 0);
  if(!rc)
    rc = dbuf_printf(w->out, " (%ld days)\n", to - from + 1);
  return rc;
}

static int spell_sources_text(struct index_db *db, int64_t spell_id,
                              dbuf *out)
{
  static const char SQL[] =
      "SELECT s.role, s.document_id, d.source, s.page, s.x0, s.y0, s.x1,"
      " s.y1, s.corrected FROM spell_sources s"
      " JOIN documents d ON d.id = s.document_id WHERE s.spell_id = ?1"
      " AND s.field IN ('start_date', 'end_date', 'monthly_wage')"
      " ORDER BY s.document_id, s.rowid";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc = DAFTAR_OK;

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, spell_id);
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW)
    rc = dbuf_printf(out, "             %-6s #%lld %s p%d [%d,%d,%d,%d]%s\n",
                     dash(sqlite3_column_text(st, 0)),
                     (long long)sqlite3_column_int64(st, 1),
                     dash(sqlite3_column_text(st, 2)),
                     sqlite3_column_int(st, 3), sqlite3_column_int(st, 4),
                     sqlite3_column_int(st, 5), sqlite3_column_int(st, 6),
                     sqlite3_column_int(st, 7),
                     sqlite3_column_int(st, 8) ? " (corrected)" : "");
  if(rc == SQLITE_DONE)
    rc = DAFTAR_OK;
  else if(rc > 0)
    rc = db_sqlerr(db, rc, "reading a spell's sources");
  db_done(st);
  return rc;
}

int history_text(struct index_db *db, int64_t worker_id, dbuf *out)
{
  struct timeline t;
  struct json_walk w = {out, 1, NULL};
  struct tl_visit v = {gap_text, overlap_text, &w};
  struct spell_row *rows = NULL;
  sqlite3_stmt *st;
  size_t k = 0;
  long months;
  int rc;

  rc = timeline_load(db, worker_id, &t);
  if(rc)
    return rc;
  w.t = &t;
  rc = spell_rows_load(db, worker_id, &t, &rows, &k);
  if(!rc)
    rc = dbuf_puts(out, "Timeline (n, start, end, employer, months, flags;"
                        " the documents behind each line):\n");
  for(size_t i = 0; i < k && !rc; i++) {
    rc = dbuf_printf(out, "  %2zu  %-10s  %-10s  %s (%s)  %ld months%s%s%s\n",
                     i + 1, rows[i].start ? rows[i].start : "-",
                     rows[i].end ? rows[i].end : "-",
                     rows[i].emp ? rows[i].emp : "-",
                     rows[i].num ? rows[i].num : "-", spell_months(&t.s[i]),
                     rows[i].end ? "" : "  [open]",
                     rows[i].start ? "" : "  [start unknown]",
                     t.s[i].overlap ? "  [overlap]" : "");
    if(!rc)
      rc = spell_sources_text(db, t.s[i].id, out);
  }
  if(!rc)
    rc = timeline_walk(&t, &v);
  months = timeline_insured_months(&t);
  if(!rc && months < 0)
    rc = db_fail(db, DAFTAR_ENOMEM, "history: out of memory");
  if(!rc)
    rc = dbuf_printf(out, "Insured months: %ld\n", months);
  if(!rc)
    rc = dbuf_puts(out, "Wages (date, wage, kind, spell, document):\n");
  st = rc ? NULL : db_stmt(db, SQL_WAGES);
  if(!rc && !st)
    rc = DAFTAR_EDB;
  if(st) {
    sqlite3_bind_int64(st, 1, worker_id);
    while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW)
      rc = dbuf_printf(out, "  %-10s  %12s  %-6s  %s  #%lld %s p%d\n",
                       dash(sqlite3_column_text(st, 0)),
                       dash(sqlite3_column_text(st, 1)),
                       dash(sqlite3_column_text(st, 2)),
                       dash(sqlite3_column_text(st, 3)),
                       (long long)sqlite3_column_int64(st, 6),
                       dash(sqlite3_column_text(st, 7)),
                       sqlite3_column_int(st, 8));
    if(rc == SQLITE_DONE)
      rc = DAFTAR_OK;
    else if(rc > 0)
      rc = db_sqlerr(db, rc, "reading wage points");
    db_done(st);
  }
  spell_rows_free(rows, k);
  free(t.s);
  return rc;
}
