/*
 * search.c - user queries: parsed here, never handed raw to MATCH.
 *
 * Syntax (any input is safe; at most INDEX_QUERY_MAX bytes are read):
 *   word            a term; all terms must match (AND)
 *   "two words"     a phrase; an unbalanced quote runs to the end
 *   pre*            a prefix of 2 letters or more (also "a phrase"*)
 *   ssn:NUMBER      the worker's social-security number (exact)
 *   nid:NUMBER      the worker's national ID number (exact)
 *   file:NUMBER     the paper file's number (exact)
 *   employer:X      employer number (digits: exact) or name (searched)
 *   name:X          X searched in worker and mother names only
 *   born:1963  born:1963-05  born:1963-05-01  born:1960..1965
 *   start:, end:, date: (any date field) with the same forms; ranges may
 *               be open (2010.., ..2015) and mix forms (2010-03..2015)
 *   type:registration|termination|wage_change|other
 * Every term is quoted as an FTS5 string (so NEAR, AND, OR, parentheses,
 * column names and stars inside words are plain text) and reaches the
 * "daftar" tokenizer, which folds it like the indexed text.  A term that
 * folds to nothing (punctuation, a lone '*') is dropped; a query left with
 * neither terms nor filters is EINVAL with a message.
 *
 * Ranking: bm25 with column weights names 10, employer 4, ids 10, text 1,
 * computed by daftar_rank (rank.c) from document frequencies that the
 * capped walks of the query's terms estimate (term_freqs), so no query
 * walks a whole doclist; hits grouped by worker (best worker first, see
 * SQL_RANK_TOP).  When the exact keys find nothing, the
 * query is run again on skeleton keys (see tokenizer.c), which finds names
 * whose dots OCR dropped or added; then a name-like query is matched
 * against workers' recorded names by trigrams and edit distance per part
 * (names.c); a lone number (6-24 digits) that still found nothing is tried
 * as an SSN or national ID one digit off.
 *
 * Snippets mark matches with '[' and ']'; brackets that were in the text
 * itself are shown as the fullwidth U+FF3B/U+FF3D so a marker is never
 * ambiguous.  '…' marks cut text; line breaks become spaces.  The snippet
 * comes from the page text when the text matched, else from the best
 * matching column (names, IDs).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define QUERY_TERMS_MAX 32      /* terms and filters together */
/* A prefix this short or longer reads a prefix index (schema 7, '2 3') or
 * starts few words; one letter would merge the doclists of a large share
 * of the vocabulary (in memory, whole). */
#define QUERY_PREFIX_MIN 2
#define SEARCH_LIMIT_DEFAULT 20
#define SNIPPET_TOKENS 16
#define RANK_CAP 5000            /* matches ranked at most (see SQL_RANK_TOP) */
#define WALK_CAP 1000            /* matches a frequency walk reads at most */
/* Matches ranked at most on skeleton keys (the fallback for a spelling
 * that found nothing exact, and the supplement of a short page): their
 * long doclists (dotless keys collide) made fuzzy names the slowest
 * queries at 5M pages. */
#define SKELETON_RANK_CAP 1000
#define FUZZY_SCORE_BASE 1000.0  /* fallback hits' scores start here */
#define SKELETON_SCORE_STEP 1.0  /* skeleton-only hits rank behind exact */
#define FILTER_SNIPPET_CHARS 160 /* text shown when only filters matched */

static const char SKELETON_MARK_UTF8[] = "\xEE\x80\x80"; /* U+E000 */

/* F_BORN, F_START, F_END, F_DATE are date ranges: a = lowest value
 * (inclusive, "" when open), b = the first value past the range (the
 * upper bound with its last character raised: "2015" -> "2016",
 * "2015-09" -> "2015-0:", so every date starting with the upper bound is
 * in; "\x7f" when open).  Stored dates are ISO (YYYY-MM-DD), so plain
 * string comparison is date comparison and can use fields(name, value). */
enum filter_kind {
  F_SSN,
  F_NID,
  F_FILE,
  F_EMPLOYER_NO,
  F_BORN,
  F_START,
  F_END,
  F_DATE,
  F_TYPE
};

struct q_term {
  char *text;         /* user text, U+E000 removed */
  const char *column; /* NULL, "names" or "employer" */
  int prefix;
};

struct q_filter {
  enum filter_kind kind;
  char *a, *b; /* values; b only for date ranges */
};

struct query {
  struct q_term terms[QUERY_TERMS_MAX];
  struct q_filter filters[QUERY_TERMS_MAX];
  size_t nterms, nfilters;
  int non_ascii; /* a term has non-ASCII text: skeleton retry can differ */
  /* A prefix term whose skeleton key no prefix index covers: its skeleton
   * form merges the doclists of every key it starts (twice, ranking and
   * snippets: 0.2 s at 5M pages), so it is tried only when the exact keys
   * find nothing, not to fill up a short page (skeleton_supplement). */
  int long_prefix;
  int any_prefix; /* some term is a prefix */
};

static void query_clear(struct query *q)
{
  for(size_t i = 0; i < q->nterms; i++)
    free(q->terms[i].text);
  for(size_t i = 0; i < q->nfilters; i++) {
    free(q->filters[i].a);
    free(q->filters[i].b);
  }
  memset(q, 0, sizeof(*q));
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

/* A heap copy of s[0..n) without U+E000 (the tokenizer's skeleton mark). */
static char *copy_without_mark(const char *s, size_t n)
{
  char *out = malloc(n + 1);
  size_t k = 0;

  if(!out)
    return NULL;
  for(size_t i = 0; i < n;) {
    if(n - i >= 3 && memcmp(s + i, SKELETON_MARK_UTF8, 3) == 0) {
      i += 3;
      continue;
    }
    out[k++] = s[i++];
  }
  out[k] = '\0';
  return out;
}

static int query_too_many(struct index_db *db)
{
  return db_fail(db, DAFTAR_EINVAL,
                 "query has too many terms (at most %d)", QUERY_TERMS_MAX);
}

static int add_term(struct index_db *db, struct query *q, const char *s,
                    size_t n, const char *column, int prefix)
{
  char *text = copy_without_mark(s, n);

  if(!text)
    return DAFTAR_ENOMEM;
  if(tok_count(text, strlen(text)) == 0) { /* nothing searchable */
    free(text);
    return DAFTAR_OK;
  }
  if(prefix) {
    int chars = tok_last_length(text, strlen(text));
    if(chars < QUERY_PREFIX_MIN) {
      free(text);
      return db_fail(db, DAFTAR_EINVAL,
                     "a prefix needs at least %d letters before the *",
                     QUERY_PREFIX_MIN);
    }
    /* Its skeleton key is one character longer (TOK_SKELETON_PREFIX). */
    if(chars + 1 > INDEX_PREFIX_MAX)
      q->long_prefix = 1;
    q->any_prefix = 1;
  }
  if(q->nterms == QUERY_TERMS_MAX) {
    free(text);
    return query_too_many(db);
  }
  for(const char *p = text; *p; p++)
    if((unsigned char)*p >= 0x80)
      q->non_ascii = 1;
  q->terms[q->nterms].text = text;
  q->terms[q->nterms].column = column;
  q->terms[q->nterms].prefix = prefix;
  q->nterms++;
  return DAFTAR_OK;
}

static int add_filter(struct index_db *db, struct query *q,
                      enum filter_kind kind, const char *a, const char *b)
{
  struct q_filter *f;

  if(q->nfilters == QUERY_TERMS_MAX)
    return query_too_many(db);
  f = &q->filters[q->nfilters];
  f->kind = kind;
  f->a = idx_strdup(a);
  f->b = b ? idx_strdup(b) : NULL;
  if(!f->a || (b && !f->b)) {
    free(f->a);
    free(f->b);
    return DAFTAR_ENOMEM;
  }
  q->nfilters++;
  return DAFTAR_OK;
}

static int all_digits(const char *s, size_t n)
{
  if(n == 0)
    return 0;
  for(size_t i = 0; i < n; i++)
    if(s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

#define DATE_MAX 10 /* YYYY-MM-DD */
#define DATE_OPEN_HIGH "\x7f" /* above every ISO date */

/* YYYY, YYYY-MM or YYYY-MM-DD with a month 01-12 and a day 01-31. */
static int date_valid(const char *v, size_t n)
{
  if(!(n == 4 || n == 7 || n == 10) || !all_digits(v, 4))
    return 0;
  if(n >= 7) {
    int m;
    if(v[4] != '-' || !all_digits(v + 5, 2))
      return 0;
    m = (v[5] - '0') * 10 + (v[6] - '0');
    if(m < 1 || m > 12)
      return 0;
  }
  if(n == 10) {
    int d;
    if(v[7] != '-' || !all_digits(v + 8, 2))
      return 0;
    d = (v[8] - '0') * 10 + (v[9] - '0');
    if(d < 1 || d > 31)
      return 0;
  }
  return 1;
}

/* A date filter: D (every date starting with D) or LO..HI, either end
 * open (LO.. or ..HI), each end one of the date_valid forms.  Stores the
 * half-open string range [a, b) described at enum filter_kind. */
static int parse_date_range(struct index_db *db, struct query *q,
                            enum filter_kind kind, const char *label,
                            const char *v)
{
  size_t n = strlen(v), lon, hin;
  const char *dots = strstr(v, ".."), *lo = v, *hi = v;
  char a[DATE_MAX + 1], b[DATE_MAX + 1];

  lon = hin = n;
  if(dots) {
    lon = (size_t)(dots - v);
    hi = dots + 2;
    hin = n - lon - 2;
    if(lon == 0 && hin == 0)
      return db_fail(db, DAFTAR_EINVAL, "%s: a range needs at least one end"
                                        " (LO..HI, LO.. or ..HI)", label);
  }
  if((lon && !date_valid(lo, lon)) || (hin && !date_valid(hi, hin)) ||
     (dots && strstr(hi, "..")))
    return db_fail(db, DAFTAR_EINVAL,
                   "%s: expects a date YYYY, YYYY-MM or YYYY-MM-DD (month"
                   " 01-12, day 01-31) or a range LO..HI of those", label);
  memcpy(a, lo, lon);
  a[lon] = '\0';
  if(hin) {
    memcpy(b, hi, hin);
    b[hin] = '\0';
    b[hin - 1]++; /* the first value past every date starting with hi */
  }
  else
    snprintf(b, sizeof(b), "%s", DATE_OPEN_HIGH);
  if(strcmp(a, b) >= 0)
    return db_fail(db, DAFTAR_EINVAL, "%s: the range ends before it starts",
                   label);
  return add_filter(db, q, kind, a, b);
}

static int parse_number_filter(struct index_db *db, struct query *q,
                               enum filter_kind kind, const char *label,
                               const char *v)
{
  dbuf key = DBUF_INIT;
  int rc = idx_norm_number(v, &key);

  if(!rc && key.len == 0)
    rc = db_fail(db, DAFTAR_EINVAL, "%s: expects a number", label);
  if(!rc)
    rc = add_filter(db, q, kind, dbuf_cstr(&key), NULL);
  dbuf_free(&key);
  return rc;
}

static int apply_filter(struct index_db *db, struct query *q,
                        const char *name, const char *v, size_t vn,
                        int prefix)
{
  char *value = copy_without_mark(v, vn);
  dbuf digits = DBUF_INIT;
  int rc = DAFTAR_OK;

  if(!value)
    return DAFTAR_ENOMEM;
  rc = text_ascii_digits(value, strlen(value), &digits);
  if(rc)
    goto out;
  if(strcmp(name, "ssn") == 0)
    rc = parse_number_filter(db, q, F_SSN, "ssn", value);
  else if(strcmp(name, "nid") == 0)
    rc = parse_number_filter(db, q, F_NID, "nid", value);
  else if(strcmp(name, "file") == 0)
    rc = parse_number_filter(db, q, F_FILE, "file", value);
  else if(strcmp(name, "born") == 0)
    rc = parse_date_range(db, q, F_BORN, "born", dbuf_cstr(&digits));
  else if(strcmp(name, "start") == 0)
    rc = parse_date_range(db, q, F_START, "start", dbuf_cstr(&digits));
  else if(strcmp(name, "end") == 0)
    rc = parse_date_range(db, q, F_END, "end", dbuf_cstr(&digits));
  else if(strcmp(name, "date") == 0)
    rc = parse_date_range(db, q, F_DATE, "date", dbuf_cstr(&digits));
  else if(strcmp(name, "name") == 0)
    rc = add_term(db, q, value, strlen(value), "names", prefix);
  else if(strcmp(name, "employer") == 0) {
    dbuf key = DBUF_INIT;
    rc = idx_norm_number(value, &key);
    if(!rc && all_digits(key.data, key.len) && key.len == digits.len)
      rc = add_filter(db, q, F_EMPLOYER_NO, dbuf_cstr(&key), NULL);
    else if(!rc)
      rc = add_term(db, q, value, strlen(value), "employer", prefix);
    dbuf_free(&key);
  }
  else { /* type */
    if(strcmp(value, "registration") && strcmp(value, "termination") &&
       strcmp(value, "wage_change") && strcmp(value, "other"))
      rc = db_fail(db, DAFTAR_EINVAL,
                   "type: expects registration, termination, wage_change "
                   "or other");
    else
      rc = add_filter(db, q, F_TYPE, value, NULL);
  }
out:
  dbuf_free(&digits);
  free(value);
  return rc;
}

/* "ssn:" etc. at s: the filter's name (lowercase) and its length with the
 * colon, or 0. */
static size_t filter_prefix(const char *s, size_t n, char name[16])
{
  static const char *const names[] = {"ssn",  "nid",      "file", "born",
                                      "name", "employer", "type", "start",
                                      "end",  "date"};
  size_t k = 0;

  while(k < n && k < 15 && ((s[k] >= 'a' && s[k] <= 'z') ||
                            (s[k] >= 'A' && s[k] <= 'Z'))) {
    name[k] = (char)(s[k] | 0x20);
    k++;
  }
  name[k] = '\0';
  if(k == 0 || k >= n || s[k] != ':')
    return 0;
  for(size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(strcmp(name, names[i]) == 0)
      return k + 1;
  return 0;
}

/* Reads a phrase (s[*i] is the quote) or a bare word; *i moves past it and
 * any trailing stars (which make it a prefix). */
static void read_value(const char *s, size_t n, size_t *i, size_t *start,
                       size_t *len, int *prefix)
{
  size_t j = *i;

  *prefix = 0;
  if(j < n && s[j] == '"') {
    j++;
    *start = j;
    while(j < n && s[j] != '"')
      j++;
    *len = j - *start;
    if(j < n)
      j++; /* closing quote; an unbalanced one runs to the end */
    while(j < n && s[j] == '*') {
      *prefix = 1;
      j++;
    }
  }
  else {
    *start = j;
    while(j < n && !is_space(s[j]) && s[j] != '"')
      j++;
    *len = j - *start;
    while(*len > 0 && s[*start + *len - 1] == '*') {
      *prefix = 1;
      (*len)--;
    }
  }
  *i = j;
}

/* Cuts q at INDEX_QUERY_MAX bytes without splitting a UTF-8 sequence. */
static size_t query_length(const char *s)
{
  size_t n = strnlen(s, INDEX_QUERY_MAX + 1);

  if(n <= INDEX_QUERY_MAX)
    return n;
  n = INDEX_QUERY_MAX;
  while(n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  return n;
}

static int query_parse(struct index_db *db, const char *s, struct query *q)
{
  size_t n = query_length(s), i = 0;
  int rc = DAFTAR_OK;

  memset(q, 0, sizeof(*q));
  if(!utf8_valid(s, n))
    return db_fail(db, DAFTAR_EINVAL, "query is not valid UTF-8");
  while(i < n && rc == DAFTAR_OK) {
    char name[16];
    size_t start, len, fk;
    int prefix;

    if(is_space(s[i])) {
      i++;
      continue;
    }
    fk = filter_prefix(s + i, n - i, name);
    if(fk) {
      i += fk;
      while(i < n && is_space(s[i])) /* "ssn: 123" means ssn:123 */
        i++;
      read_value(s, n, &i, &start, &len, &prefix);
      if(len == 0)
        return db_fail(db, DAFTAR_EINVAL, "%s: needs a value", name);
      rc = apply_filter(db, q, name, s + start, len, prefix);
      continue;
    }
    read_value(s, n, &i, &start, &len, &prefix);
    if(len > 0)
      rc = add_term(db, q, s + start, len, NULL, prefix);
  }
  if(rc == DAFTAR_OK && q->nterms == 0 && q->nfilters == 0)
    rc = db_fail(db, DAFTAR_EINVAL, "query has no searchable words");
  return rc;
}

/* One term as an FTS5 phrase: a quoted string (quotes doubled), with its
 * column filter and prefix star.  In skeleton mode the string starts with
 * the tokenizer's mark. */
static int term_expr(const struct q_term *t, int skeleton, dbuf *out)
{
  int rc = DAFTAR_OK;

  if(t->column)
    rc = dbuf_printf(out, "%s : ", t->column);
  if(!rc)
    rc = dbuf_putc(out, '"');
  if(!rc && skeleton)
    rc = dbuf_puts(out, SKELETON_MARK_UTF8);
  for(const char *p = t->text; !rc && *p; p++)
    rc = *p == '"' ? dbuf_puts(out, "\"\"") : dbuf_putc(out, *p);
  if(!rc)
    rc = dbuf_puts(out, t->prefix ? "\" *" : "\"");
  return rc;
}

/* The FTS5 expression: the terms' phrases, ANDed. */
static int match_expr(const struct query *q, int skeleton, dbuf *out)
{
  int rc = DAFTAR_OK;

  for(size_t i = 0; i < q->nterms && rc == DAFTAR_OK; i++) {
    if(i)
      rc = dbuf_puts(out, " AND ");
    if(!rc)
      rc = term_expr(&q->terms[i], skeleton, out);
  }
  return rc;
}

#define BIRTH_SQL                                                             \
  "coalesce(w.birth_date, (SELECT value FROM fields f WHERE"                  \
  " f.document_id = d.id AND f.name = 'birth_date' AND f.seq = 0"             \
  " AND f.candidate = 0))"

/* First bound parameter of the filters: 1-8 are fixed (see bind_common
 * and rank_query). */
#define FILTER_PARAM0 9

static int filter_sql(const struct query *q, int fts, dbuf *sql)
{
  int rc = DAFTAR_OK, p = FILTER_PARAM0;

  for(size_t i = 0; i < q->nfilters && rc == DAFTAR_OK; i++, p += 2) {
    const struct q_filter *f = &q->filters[i];
    switch(f->kind) {
    case F_SSN:
      rc = dbuf_printf(sql,
                       " AND (w.ssn = ?%d OR EXISTS(SELECT 1 FROM fields f"
                       " WHERE f.document_id = d.id AND f.name = 'worker_ssn'"
                       " AND f.value = ?%d))", p, p);
      break;
    case F_NID:
      rc = dbuf_printf(sql,
                       " AND (w.national_id = ?%d OR EXISTS(SELECT 1 FROM"
                       " fields f WHERE f.document_id = d.id AND"
                       " f.name = 'national_id' AND f.value = ?%d))", p, p);
      break;
    case F_FILE:
      rc = dbuf_printf(sql, " AND d.file_no = ?%d", p);
      break;
    case F_EMPLOYER_NO:
      rc = dbuf_printf(sql,
                       " AND (e.number = ?%d OR EXISTS(SELECT 1 FROM fields f"
                       " WHERE f.document_id = d.id AND"
                       " f.name = 'employer_number' AND f.value = ?%d))",
                       p, p);
      break;
    case F_BORN:
      rc = dbuf_printf(sql, " AND " BIRTH_SQL " >= ?%d AND " BIRTH_SQL
                            " < ?%d", p, p + 1);
      break;
    case F_START:
    case F_END:
    case F_DATE:
      /* Ranked queries test the few documents that matched (EXISTS, by
       * primary key); filter-only queries start from the date index. */
      rc = dbuf_printf(sql,
                       fts ? " AND EXISTS(SELECT 1 FROM fields f WHERE"
                             " f.document_id = d.id AND f.name IN (%s)"
                             " AND f.seq = 0 AND f.candidate = 0"
                             " AND f.value >= ?%d AND f.value < ?%d)"
                           : " AND d.id IN (SELECT f.document_id FROM fields"
                             " f WHERE f.name IN (%s) AND f.value >= ?%d"
                             " AND f.value < ?%d AND f.seq = 0"
                             " AND f.candidate = 0)",
                       f->kind == F_START ? "'start_date'"
                       : f->kind == F_END
                           ? "'end_date'"
                           : "'birth_date', 'start_date', 'end_date'",
                       p, p + 1);
      break;
    case F_TYPE:
      rc = dbuf_printf(sql, " AND d.doc_type = ?%d", p);
      break;
    }
  }
  return rc;
}

static int bind_filters(const struct query *q, sqlite3_stmt *st)
{
  int p = FILTER_PARAM0;

  for(size_t i = 0; i < q->nfilters; i++, p += 2) {
    if(db_bind_text(st, p, q->filters[i].a) != SQLITE_OK)
      return DAFTAR_EDB;
    if(q->filters[i].b && db_bind_text(st, p + 1, q->filters[i].b))
      return DAFTAR_EDB;
  }
  return DAFTAR_OK;
}

/* Ranked queries run in two steps.  Step 1 (SQL_RANK_*) ranks the
 * matching documents and orders them grouped by worker: a group is a
 * worker's documents (a document linked to no worker is a group of its
 * own, key -id), groups by their best score, documents in a group by
 * score.  It returns only ids and scores for the page asked.  Step 2
 * (SQL_HIT) reads the rows and snippets of those documents, with the same
 * MATCH so snippet() marks the matched words: one statement for all of
 * them, as the MATCH is set up once (a prefix expands to every word it
 * starts; per document that cost 20x, measured).  FTS5 walks the rowid
 * range ?7..?8 without scoring and keeps the listed ids (?9; the unary +
 * stops the IN from becoming one FTS5 lookup per id).  In step 1, ?7 is
 * the ranking cap (see RANK_CAP; -1 with filters) and ?8 the terms'
 * document frequencies for daftar_rank (see term_freqs).  Scores are bm25
 * (lower is better); step 2 scores nothing. */
static const char SQL_RANK_TOP[] =
    "SELECT id, score, grp, min(score) OVER (PARTITION BY grp) AS best"
    " FROM (SELECT d.id AS id, m.score AS score,"
    " coalesce(d.worker_id, -d.id) AS grp"
    " FROM (SELECT rowid AS rid,"
    " daftar_rank(doc_fts, ?8, 10.0, 4.0, 10.0, 1.0) AS score"
    " FROM doc_fts WHERE doc_fts MATCH ?4 ORDER BY rowid DESC LIMIT ?7) m"
    " JOIN documents d ON d.id = m.rid"
    " LEFT JOIN workers w ON w.id = d.worker_id"
    " LEFT JOIN employers e ON e.id = d.employer_id"
    " WHERE d.duplicate_of IS NULL";
static const char SQL_RANK_END[] =
    ") ORDER BY best, grp, score, id LIMIT ?5 OFFSET ?6";
/* Step 2's columns and joins (the WHERE differs, below). */
#define SQL_HIT_HEAD                                                          \
  "SELECT d.id, d.source, d.file_no, d.doc_type, b.label, w.ssn, w.name,"     \
  " snippet(doc_fts, -1, ?1, ?2, '\xE2\x80\xA6', ?3), 0.0,"                   \
  " snippet(doc_fts, 3, ?1, ?2, '\xE2\x80\xA6', ?3)"                          \
  " FROM doc_fts JOIN documents d ON d.id = doc_fts.rowid"                    \
  " JOIN batches b ON b.id = d.batch_id"                                      \
  " LEFT JOIN workers w ON w.id = d.worker_id"
static const char SQL_HIT[] =
    SQL_HIT_HEAD
    " WHERE doc_fts MATCH ?4 AND doc_fts.rowid BETWEEN ?7 AND ?8"
    " AND +doc_fts.rowid IN (SELECT value FROM json_each(?9))";
/* Step 2 for a query without prefixes: one FTS5 lookup per listed id
 * (each seeks the terms' doclists to that rowid).  A page of AND or phrase
 * hits spread over the whole archive made the range walk above evaluate
 * the query over every document again (30 ms of a 70 ms fuzzy name at 5M
 * pages); a prefix, though, is expanded again per lookup. */
static const char SQL_HIT_BY_ID[] =
    SQL_HIT_HEAD
    " WHERE doc_fts MATCH ?4"
    " AND doc_fts.rowid IN (SELECT value FROM json_each(?9))";
/* Filter-only queries: no score; grouped by worker in the order of the
 * documents_worker index (so no sort of every match), documents linked
 * to no worker first. */
static const char SQL_SELECT_PLAIN[] =
    "SELECT d.id, d.source, d.file_no, d.doc_type, b.label, w.ssn, w.name,"
    " (SELECT substr(text, 1, ?3) FROM pages WHERE document_id = d.id"
    "  ORDER BY n LIMIT 1), 0.0, NULL"
    " FROM documents d JOIN batches b ON b.id = d.batch_id"
    " LEFT JOIN workers w ON w.id = d.worker_id"
    " LEFT JOIN employers e ON e.id = d.employer_id"
    " WHERE d.duplicate_of IS NULL";
static const char SQL_SELECT_PLAIN_END[] =
    " ORDER BY d.worker_id, d.id LIMIT ?5 OFFSET ?6";

/* The snippet with our markers: \x01 \x02 from SQLite become [ ], and
 * brackets of the text itself become fullwidth ones. */
static char *snippet_convert(const unsigned char *s)
{
  dbuf b = DBUF_INIT;
  int rc = DAFTAR_OK;

  if(!s)
    return idx_strdup("");
  for(; *s && !rc; s++) {
    switch(*s) {
    case 0x01:
      rc = dbuf_putc(&b, '[');
      break;
    case 0x02:
      rc = dbuf_putc(&b, ']');
      break;
    case '[':
      rc = dbuf_puts(&b, "\xEF\xBC\xBB");
      break;
    case ']':
      rc = dbuf_puts(&b, "\xEF\xBC\xBD");
      break;
    case '\n':
    case '\r':
    case '\t':
      rc = dbuf_putc(&b, ' '); /* one line, for lists and terminals */
      break;
    default:
      rc = dbuf_putc(&b, (char)*s);
    }
  }
  if(!rc)
    rc = dbuf_append(&b, "", 0);
  if(rc) {
    dbuf_free(&b);
    return NULL;
  }
  return dbuf_take(&b);
}

void index_hits_free(index_hit *h, size_t n)
{
  if(!h)
    return;
  for(size_t i = 0; i < n; i++) {
    free(h[i].source);
    free(h[i].file_no);
    free(h[i].doc_type);
    free(h[i].batch);
    free(h[i].worker_ssn);
    free(h[i].worker_name);
    free(h[i].snippet);
  }
  free(h);
}

static int hit_from_row(sqlite3_stmt *st, index_hit *h)
{
  const unsigned char *text_snip;

  memset(h, 0, sizeof(*h));
  h->doc_id = sqlite3_column_int64(st, 0);
  h->source = db_col_dup(st, 1);
  h->file_no = db_col_dup(st, 2);
  h->doc_type = db_col_dup(st, 3);
  h->batch = db_col_dup(st, 4);
  h->worker_ssn = db_col_dup(st, 5);
  h->worker_name = db_col_dup(st, 6);
  /* The page text around a match tells more than the names column: use
   * it whenever the text matched. */
  text_snip = sqlite3_column_text(st, 9);
  if(text_snip && strchr((const char *)text_snip, '\x01'))
    h->snippet = snippet_convert(text_snip);
  else
    h->snippet = snippet_convert(sqlite3_column_text(st, 7));
  h->score = sqlite3_column_double(st, 8);
  if(!h->source || !h->doc_type || !h->snippet)
    return DAFTAR_ENOMEM;
  return DAFTAR_OK;
}

/* Steps st (bound) and collects up to limit hits; finalizes st. */
static int collect_hits(struct index_db *db, sqlite3_stmt *st, int limit,
                        index_hit **out, size_t *n)
{
  index_hit *v = calloc((size_t)limit, sizeof(*v));
  size_t count = 0;
  int rc;

  if(!v) {
    sqlite3_finalize(st);
    return DAFTAR_ENOMEM;
  }
  while((rc = sqlite3_step(st)) == SQLITE_ROW && count < (size_t)limit) {
    if(hit_from_row(st, &v[count++]) != DAFTAR_OK) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  if(rc != SQLITE_DONE && rc != SQLITE_ROW) {
    /* Never the raw message: it could quote the query. */
    daftar_log(DLOG_DEBUG, "search step: %s", sqlite3_errmsg(db->sql));
    rc = db_fail(db, DAFTAR_EDB, "search failed (%s)", sqlite3_errstr(rc));
    goto fail;
  }
  sqlite3_finalize(st);
  *out = v;
  *n = count;
  return DAFTAR_OK;
fail:
  sqlite3_finalize(st);
  index_hits_free(v, count);
  return rc;
}

static int prepare_search(struct index_db *db, const char *sql,
                          sqlite3_stmt **st)
{
  int rc = sqlite3_prepare_v2(db->sql, sql, -1, st, NULL);

  if(rc != SQLITE_OK) {
    daftar_log(DLOG_DEBUG, "search prepare: %s", sqlite3_errmsg(db->sql));
    return db_fail(db, DAFTAR_EDB, "search failed (%s)", sqlite3_errstr(rc));
  }
  return DAFTAR_OK;
}

/* The ranking cap.  bm25 scores every match, which for a word on nearly
 * every page of millions costs seconds; walking a doclist by rowid without
 * scoring is cheap.  So a query without filters ranks only its newest
 * RANK_CAP matches (FTS5 walks the doclists newest first and stops there).
 * Filters are applied inside the ranking step instead, so a filtered query
 * is never cut.  For a query of several terms, a capped walk of each term
 * (WALK_CAP newest matches: enough for a share, and 5x cheaper than
 * RANK_CAP on a common term) estimates how common it is (term_freqs). */
struct walk {
  int count;         /* matches seen, at most WALK_CAP */
  int64_t low, high; /* the rowids they span */
};

static int match_walk(struct index_db *db, const char *match, struct walk *w)
{
  static const char SQL[] =
      "SELECT count(*), min(rowid), max(rowid) FROM (SELECT rowid FROM"
      " doc_fts WHERE doc_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  memset(w, 0, sizeof(*w));
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, match);
  sqlite3_bind_int(st, 2, WALK_CAP);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    w->count = sqlite3_column_int(st, 0);
    w->low = sqlite3_column_int64(st, 1);
    w->high = sqlite3_column_int64(st, 2);
    rc = DAFTAR_OK;
  }
  else {
    daftar_log(DLOG_DEBUG, "search walk: %s", sqlite3_errmsg(db->sql));
    rc = db_fail(db, DAFTAR_EDB, "search failed (%s)", sqlite3_errstr(rc));
  }
  db_done(st);
  return rc;
}

/* One item of daftar_rank's frequency list (rank.c): the exact count, or,
 * when the walk was capped, the share of the rowids it spanned. */
static int freq_item(const struct walk *w, dbuf *out)
{
  const char *sep = out->len ? " " : "";

  if(w->count < WALK_CAP)
    return dbuf_printf(out, "%s%d", sep, w->count);
  return dbuf_printf(out, "%s~%.6g", sep,
                     (double)w->count / (double)(w->high - w->low + 1));
}

/* The document frequencies of the query's terms for daftar_rank, one
 * capped walk per term.  A single term's frequency does not change the
 * order (it scales every score alike): "1", no walk.  *none is set when a
 * term matches nothing, so neither does the query (terms are ANDed). */
static int term_freqs(struct index_db *db, const struct query *q,
                      int skeleton, dbuf *out, int *none)
{
  dbuf expr = DBUF_INIT;
  int rc = DAFTAR_OK;

  *none = 0;
  if(q->nterms == 1)
    return dbuf_puts(out, "1");
  for(size_t i = 0; i < q->nterms && !rc && !*none; i++) {
    struct walk w;
    dbuf_reset(&expr);
    rc = term_expr(&q->terms[i], skeleton, &expr);
    if(!rc)
      rc = dbuf_append(&expr, "", 0);
    if(!rc)
      rc = match_walk(db, dbuf_cstr(&expr), &w);
    if(!rc)
      rc = freq_item(&w, out);
    *none = !rc && w.count == 0;
  }
  dbuf_free(&expr);
  return rc;
}

/* A ranked document of step 1. */
struct ranked {
  int64_t id, grp;
  double score;
};

/* Binds what the filter-only query and step 1 share. */
static int bind_common(struct index_db *db, const struct query *q,
                       sqlite3_stmt *st, const char *match, int64_t p7,
                       int limit, int offset)
{
  db_bind_text(st, 1, "\x01");
  db_bind_text(st, 2, "\x02");
  sqlite3_bind_int(st, 3, match ? SNIPPET_TOKENS : FILTER_SNIPPET_CHARS);
  if(match)
    db_bind_text(st, 4, match);
  sqlite3_bind_int(st, 5, limit);
  sqlite3_bind_int(st, 6, offset);
  sqlite3_bind_int64(st, 7, p7);
  if(bind_filters(q, st) != DAFTAR_OK)
    return db_fail(db, DAFTAR_EDB, "search failed (binding)");
  return DAFTAR_OK;
}

/* A query with filters only: documents in worker order, with the start
 * of their text. */
static int run_plain(struct index_db *db, const struct query *q, int limit,
                     int offset, index_hit **out, size_t *n)
{
  dbuf sql = DBUF_INIT;
  sqlite3_stmt *st = NULL;
  int rc = dbuf_puts(&sql, SQL_SELECT_PLAIN);

  if(!rc)
    rc = filter_sql(q, 0, &sql);
  if(!rc)
    rc = dbuf_puts(&sql, SQL_SELECT_PLAIN_END);
  if(!rc)
    rc = prepare_search(db, dbuf_cstr(&sql), &st);
  if(!rc) {
    rc = bind_common(db, q, st, NULL, 0, limit, offset);
    if(rc)
      sqlite3_finalize(st);
    else
      rc = collect_hits(db, st, limit, out, n);
  }
  dbuf_free(&sql);
  return rc;
}

/* Step 1 for one form of the query (exact or skeleton keys): the ids and
 * scores of the documents at [offset, offset + limit) in grouped order.
 * *match receives the MATCH expression for step 2. */
static int rank_query(struct index_db *db, const struct query *q,
                      int skeleton, int limit, int offset, dbuf *match,
                      struct ranked **out, size_t *n)
{
  dbuf sql = DBUF_INIT, freqs = DBUF_INIT;
  sqlite3_stmt *st = NULL;
  struct ranked *v = NULL;
  size_t count = 0;
  int rc, none = 0;

  *out = NULL;
  *n = 0;
  dbuf_reset(match);
  rc = dbuf_puts(&sql, SQL_RANK_TOP);
  if(!rc)
    rc = filter_sql(q, 1, &sql);
  if(!rc)
    rc = dbuf_puts(&sql, SQL_RANK_END);
  if(!rc)
    rc = match_expr(q, skeleton, match);
  if(!rc)
    rc = dbuf_append(match, "", 0); /* terminated even when empty */
  if(!rc)
    rc = term_freqs(db, q, skeleton, &freqs, &none);
  if(rc || none) /* a term matches nothing: nothing to rank */
    goto out;
  rc = prepare_search(db, dbuf_cstr(&sql), &st);
  if(rc)
    goto out;
  rc = bind_common(db, q, st, dbuf_cstr(match),
                   q->nfilters ? -1
                               : skeleton ? SKELETON_RANK_CAP : RANK_CAP,
                   limit, offset);
  if(!rc && db_bind_text(st, 8, dbuf_cstr(&freqs)) != SQLITE_OK)
    rc = db_fail(db, DAFTAR_EDB, "search failed (binding)");
  v = calloc((size_t)limit, sizeof(*v));
  if(!rc && !v)
    rc = DAFTAR_ENOMEM;
  while(!rc && count < (size_t)limit) {
    int k = sqlite3_step(st);
    if(k == SQLITE_DONE)
      break;
    if(k != SQLITE_ROW) {
      /* Never the raw message: it could quote the query. */
      daftar_log(DLOG_DEBUG, "search step: %s", sqlite3_errmsg(db->sql));
      rc = db_fail(db, DAFTAR_EDB, "search failed (%s)", sqlite3_errstr(k));
      break;
    }
    v[count].id = sqlite3_column_int64(st, 0);
    v[count].score = sqlite3_column_double(st, 1);
    v[count].grp = sqlite3_column_int64(st, 2);
    count++;
  }
  sqlite3_finalize(st);
out:
  dbuf_free(&sql);
  dbuf_free(&freqs);
  if(rc) {
    free(v);
    return rc;
  }
  *out = v;
  *n = count;
  return DAFTAR_OK;
}

/* Step 2: the rows and snippets of r[0..n) into h[0..n) (zeroed), in the
 * order of r. */
static int fill_hits(struct index_db *db, const char *match, int by_id,
                     const struct ranked *r, size_t n, index_hit *h)
{
  dbuf ids = DBUF_INIT;
  sqlite3_stmt *st = NULL;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  size_t got = 0;
  int rc = DAFTAR_OK, k;

  if(n == 0)
    return DAFTAR_OK;
  rc = dbuf_putc(&ids, '[');
  for(size_t i = 0; i < n && !rc; i++) {
    if(r[i].id < lo)
      lo = r[i].id;
    if(r[i].id > hi)
      hi = r[i].id;
    rc = dbuf_printf(&ids, i ? ",%lld" : "%lld", (long long)r[i].id);
  }
  if(!rc)
    rc = dbuf_putc(&ids, ']');
  if(!rc) {
    st = db_stmt(db, by_id ? SQL_HIT_BY_ID : SQL_HIT);
    if(!st)
      rc = DAFTAR_EDB;
  }
  if(rc)
    goto out;
  db_bind_text(st, 1, "\x01");
  db_bind_text(st, 2, "\x02");
  sqlite3_bind_int(st, 3, SNIPPET_TOKENS);
  db_bind_text(st, 4, match);
  sqlite3_bind_int64(st, 7, lo);
  sqlite3_bind_int64(st, 8, hi);
  db_bind_text(st, 9, dbuf_cstr(&ids));
  while(!rc && (k = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(st, 0);
    for(size_t i = 0; i < n; i++) {
      if(r[i].id != id || h[i].source)
        continue;
      rc = hit_from_row(st, &h[i]);
      h[i].score = r[i].score;
      got++;
      break;
    }
  }
  if(!rc && k != SQLITE_DONE) {
    daftar_log(DLOG_DEBUG, "search hit: %s", sqlite3_errmsg(db->sql));
    rc = db_fail(db, DAFTAR_EDB, "search failed (%s)", sqlite3_errstr(k));
  }
  else if(!rc && got != n)
    rc = db_fail(db, DAFTAR_EDB, "search failed (documents vanished)");
  db_done(st);
out:
  dbuf_free(&ids);
  return rc;
}

/* ---- near IDs: one digit wrong ----------------------------------------------
 * A lone number that found nothing is retried as the SSNs and national IDs
 * one edit away (a digit replaced, dropped, added, or two swapped): OCR
 * misreads digits.  The variants (~20 per digit) are looked up through the
 * indexes on fields(name, value) and workers, so this stays cheap.  The
 * ssn:/nid: filters stay exact. */

#define NEAR_ID_MIN 6  /* shorter numbers have too many neighbours */
#define NEAR_ID_MAX 24

static int variant_add(dbuf *json, const char *s, size_t n)
{
  int rc = dbuf_puts(json, json->len > 1 ? ",\"" : "\"");

  if(!rc)
    rc = dbuf_append(json, s, n);
  if(!rc)
    rc = dbuf_putc(json, '"');
  return rc;
}

/* A JSON array of the numbers one edit from digits (n digits). */
static int near_variants(const char *digits, size_t n, dbuf *json)
{
  char v[NEAR_ID_MAX + 2];
  int rc = dbuf_putc(json, '[');

  for(size_t i = 0; !rc && i < n; i++) { /* replace, drop */
    memcpy(v, digits, n);
    for(char c = '0'; !rc && c <= '9'; c++) {
      if(c == digits[i])
        continue;
      v[i] = c;
      rc = variant_add(json, v, n);
    }
    memcpy(v, digits, i);
    memcpy(v + i, digits + i + 1, n - i - 1);
    if(!rc)
      rc = variant_add(json, v, n - 1);
  }
  for(size_t i = 0; !rc && i <= n; i++) { /* add */
    memcpy(v, digits, i);
    memcpy(v + i + 1, digits + i, n - i);
    for(char c = '0'; !rc && c <= '9'; c++) {
      v[i] = c;
      rc = variant_add(json, v, n + 1);
    }
  }
  for(size_t i = 0; !rc && i + 1 < n; i++) { /* swap neighbours */
    if(digits[i] == digits[i + 1])
      continue;
    memcpy(v, digits, n);
    v[i] = digits[i + 1];
    v[i + 1] = digits[i];
    rc = variant_add(json, v, n);
  }
  return rc ? rc : dbuf_putc(json, ']');
}

static const char SQL_NEAR_ID[] =
    "WITH v(value) AS (SELECT value FROM json_each(?1))"
    " SELECT d.id, d.source, d.file_no, d.doc_type, b.label, w.ssn, w.name,"
    " char(1) || coalesce((SELECT f.value FROM fields f"
    "  WHERE f.document_id = d.id AND f.name IN ('worker_ssn', 'national_id')"
    "  AND f.value IN v LIMIT 1), w.ssn) || char(2), ?4, NULL"
    " FROM documents d JOIN batches b ON b.id = d.batch_id"
    " LEFT JOIN workers w ON w.id = d.worker_id"
    " WHERE d.duplicate_of IS NULL AND (d.id IN (SELECT f.document_id"
    "  FROM fields f WHERE f.name IN ('worker_ssn', 'national_id')"
    "  AND f.seq = 0 AND f.value IN v)"
    " OR d.worker_id IN (SELECT id FROM workers WHERE ssn IN v"
    "  OR national_id IN v))"
    " ORDER BY d.worker_id, d.id LIMIT ?2 OFFSET ?3";

/* The number a query is made of, when it is one lone number of a
 * plausible ID length (digits folded to ASCII); else 0. */
static size_t lone_number(const struct query *q, dbuf *digits)
{
  if(q->nterms != 1 || q->nfilters != 0 || q->terms[0].column ||
     q->terms[0].prefix)
    return 0;
  if(text_ascii_digits(q->terms[0].text, strlen(q->terms[0].text), digits))
    return 0;
  if(digits->len < NEAR_ID_MIN || digits->len > NEAR_ID_MAX ||
     !all_digits(digits->data, digits->len))
    return 0;
  return digits->len;
}

static int run_near_id(struct index_db *db, const char *digits, size_t len,
                       int limit, int offset, index_hit **out, size_t *n)
{
  dbuf json = DBUF_INIT;
  sqlite3_stmt *st = NULL;
  int rc = near_variants(digits, len, &json);

  if(!rc)
    rc = prepare_search(db, SQL_NEAR_ID, &st);
  if(!rc) {
    db_bind_text(st, 1, dbuf_cstr(&json));
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int(st, 3, offset);
    sqlite3_bind_double(st, 4, FUZZY_SCORE_BASE);
    rc = collect_hits(db, st, limit, out, n);
  }
  dbuf_free(&json);
  return rc;
}

/* ---- fuzzy names ------------------------------------------------------------
 * Last resort for name queries: workers whose recorded spellings are a few
 * edits from the query (names.c), their documents best worker first. */

#define FUZZY_TERMS_MAX 8

/* The query's words as one name key, when the query looks like a name:
 * plain non-ASCII words, no filters, no prefixes, no column terms. */
static int name_query_key(const struct query *q, dbuf *key)
{
  if(q->nfilters || q->nterms == 0 || q->nterms > FUZZY_TERMS_MAX ||
     !q->non_ascii)
    return 0;
  for(size_t i = 0; i < q->nterms; i++) {
    const struct q_term *t = &q->terms[i];
    if(t->column || t->prefix)
      return 0;
    if(key->len && dbuf_putc(key, ' '))
      return 0;
    if(text_norm_key(t->text, strlen(t->text), key))
      return 0;
  }
  return key->len > 0;
}

static int run_fuzzy_names(struct index_db *db, const char *key, int limit,
                           int offset, index_hit **out, size_t *n)
{
  static const char SQL[] =
      "SELECT d.id, d.source, d.file_no, d.doc_type, b.label, w.ssn, w.name,"
      " char(1) || ?2 || char(2), ?3, NULL"
      " FROM documents d JOIN batches b ON b.id = d.batch_id"
      " JOIN workers w ON w.id = d.worker_id"
      " WHERE d.worker_id = ?1 AND d.duplicate_of IS NULL ORDER BY d.id";
  struct names_match *m = NULL;
  index_hit *v = NULL;
  size_t nm = 0, count = 0;
  long skip = offset;
  int rc;

  rc = names_fuzzy(db, key, &m, &nm);
  if(rc || nm == 0)
    goto out;
  v = calloc((size_t)limit, sizeof(*v));
  if(!v) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  for(size_t i = 0; i < nm && count < (size_t)limit && !rc; i++) {
    sqlite3_stmt *st = db_stmt(db, SQL);
    int k;
    if(!st) {
      rc = DAFTAR_EDB;
      break;
    }
    sqlite3_bind_int64(st, 1, m[i].worker_id);
    db_bind_text(st, 2, m[i].name ? m[i].name : "");
    /* Scores rank after every bm25 score (those are negative). */
    sqlite3_bind_double(st, 3, FUZZY_SCORE_BASE + m[i].score);
    while(count < (size_t)limit && (k = sqlite3_step(st)) == SQLITE_ROW) {
      if(skip > 0) {
        skip--;
        continue;
      }
      if(hit_from_row(st, &v[count++]) != DAFTAR_OK) {
        rc = DAFTAR_ENOMEM;
        break;
      }
    }
    db_done(st);
  }
out:
  names_matches_free(m, nm);
  if(rc) {
    index_hits_free(v, count);
    return rc;
  }
  *out = v;
  *n = count;
  return DAFTAR_OK;
}

/* What one query found: ranked documents (r, with the MATCH expression in
 * match, hits not read yet) or, for filter-only queries and fallbacks,
 * hits already read (h). */
struct answer {
  struct ranked *r;
  size_t nr;
  dbuf match;
  int by_id; /* no prefix term: step 2 looks documents up by id */
  index_hit *h;
  size_t nh;
  /* Skeleton-key hits that the exact keys did not find, ranked after them
   * (first page only): the copies where OCR dropped or added a dot. */
  struct ranked *r2;
  size_t nr2;
  dbuf match2;
  /* Grouped answers append r2 to r (answer_join_skeleton): r[0..nexact)
   * are exact rows, the rest skeleton-only (0: nothing appended). */
  size_t nexact;
};

static void answer_clear(struct answer *a)
{
  free(a->r);
  dbuf_free(&a->match);
  free(a->r2);
  dbuf_free(&a->match2);
  index_hits_free(a->h, a->nh);
  memset(a, 0, sizeof(*a));
}

/* Adds, after a first page of exact hits shorter than limit, the documents
 * that only the skeleton keys find, scored behind every exact hit. */
static int skeleton_supplement(struct index_db *db, const struct query *q,
                               int limit, struct answer *a)
{
  struct ranked *r2 = NULL;
  size_t n2 = 0, kept = 0;
  double worst = 0;
  int rc = rank_query(db, q, 1, limit, 0, &a->match2, &r2, &n2);

  if(rc)
    return rc;
  for(size_t i = 0; i < a->nr; i++)
    if(a->r[i].score > worst)
      worst = a->r[i].score;
  for(size_t i = 0; i < n2 && a->nr + kept < (size_t)limit; i++) {
    int seen = 0;
    for(size_t j = 0; j < a->nr && !seen; j++)
      seen = a->r[j].id == r2[i].id;
    if(seen)
      continue;
    r2[kept] = r2[i];
    /* bm25 scores are negative, lower is better: behind the worst exact. */
    r2[kept].score = worst + SKELETON_SCORE_STEP + (double)kept * 1e-6;
    kept++;
  }
  a->r2 = r2;
  a->nr2 = kept;
  return DAFTAR_OK;
}

/* Parses and runs a query through its attempts (exact keys, skeleton
 * keys, fuzzy names, near IDs), stopping at the first that finds
 * something. */
static int search_core(struct index_db *db, const char *query, int limit,
                       int offset, struct answer *a)
{
  struct query *q;
  int rc;

  memset(a, 0, sizeof(*a));
  if(!query)
    return db_fail(db, DAFTAR_EINVAL, "no query given");
  q = calloc(1, sizeof(*q)); /* large: keep it off the stack */
  if(!q)
    return DAFTAR_ENOMEM;
  rc = query_parse(db, query, q);
  a->by_id = !q->any_prefix;
  if(!rc && q->nterms == 0)
    rc = run_plain(db, q, limit, offset, &a->h, &a->nh);
  else if(!rc) {
    rc = rank_query(db, q, 0, limit, offset, &a->match, &a->r, &a->nr);
    if(!rc && a->nr == 0 && q->non_ascii) {
      free(a->r);
      a->r = NULL;
      rc = rank_query(db, q, 1, limit, offset, &a->match, &a->r, &a->nr);
    }
    else if(!rc && a->nr > 0 && a->nr < (size_t)limit && offset == 0 &&
            q->non_ascii && !q->long_prefix)
      rc = skeleton_supplement(db, q, limit, a);
  }
  if(!rc && a->nr == 0 && a->nh == 0) {
    dbuf key = DBUF_INIT;
    if(name_query_key(q, &key)) {
      index_hits_free(a->h, a->nh);
      a->h = NULL;
      rc = run_fuzzy_names(db, dbuf_cstr(&key), limit, offset, &a->h,
                           &a->nh);
    }
    dbuf_free(&key);
  }
  if(!rc && a->nr == 0 && a->nh == 0) {
    dbuf digits = DBUF_INIT;
    size_t len = lone_number(q, &digits);
    if(len) {
      index_hits_free(a->h, a->nh);
      a->h = NULL;
      rc = run_near_id(db, digits.data, len, limit, offset, &a->h, &a->nh);
    }
    dbuf_free(&digits);
  }
  query_clear(q);
  free(q);
  if(rc)
    answer_clear(a);
  return rc;
}

/* Step 1 and step 2 must see the same database (a page stored between
 * them could take a ranked document out of the MATCH): one read
 * transaction around both, unless the caller has one open. */
static int read_begin(struct index_db *db, int *began)
{
  int rc;

  *began = 0;
  if(db->explicit_txn || !sqlite3_get_autocommit(db->sql))
    return DAFTAR_OK;
  rc = db_exec(db, "BEGIN");
  *began = rc == DAFTAR_OK;
  return rc;
}

static void read_end(struct index_db *db, int began)
{
  char save[INDEX_ERRMSG_MAX];

  if(!began)
    return;
  memcpy(save, db->err, sizeof(save)); /* keep the search's message */
  db_exec(db, "COMMIT");
  memcpy(db->err, save, sizeof(save));
}

static void clamp_page(int *limit, int *offset, int max)
{
  if(*limit <= 0)
    *limit = SEARCH_LIMIT_DEFAULT;
  if(*limit > max)
    *limit = max;
  if(*offset < 0)
    *offset = 0;
}

int index_search(struct index_db *db, const char *query, int limit,
                 int offset, index_hit **out, size_t *n)
{
  struct answer a;
  int rc, began;

  *out = NULL;
  *n = 0;
  clamp_page(&limit, &offset, INDEX_SEARCH_LIMIT_MAX);
  rc = read_begin(db, &began);
  if(!rc)
    rc = search_core(db, query, limit, offset, &a);
  if(rc) {
    read_end(db, began);
    return rc;
  }
  if(a.nr > 0) {
    index_hit *h = calloc(a.nr + a.nr2, sizeof(*h));
    if(!h)
      rc = DAFTAR_ENOMEM;
    else {
      rc = fill_hits(db, dbuf_cstr(&a.match), a.by_id, a.r, a.nr, h);
      if(!rc)
        rc = fill_hits(db, dbuf_cstr(&a.match2), a.by_id, a.r2, a.nr2,
                       h + a.nr);
      if(rc)
        index_hits_free(h, a.nr + a.nr2);
      else {
        *out = h;
        *n = a.nr + a.nr2;
      }
    }
  }
  else {
    *out = a.h;
    *n = a.nh;
    a.h = NULL;
    a.nh = 0;
  }
  answer_clear(&a);
  read_end(db, began);
  return rc;
}

/* ---- grouped results ----------------------------------------------------- */

void index_groups_free(index_group *g, size_t n)
{
  if(!g)
    return;
  for(size_t i = 0; i < n; i++) {
    free(g[i].ssn);
    free(g[i].name);
    index_hits_free(g[i].hits, g[i].nhits);
  }
  free(g);
}

static int same_str(const char *a, const char *b)
{
  return a && b && strcmp(a, b) == 0;
}

/* Group k of the answer: [start, end) of its ranked rows or hits.
 * Consecutive rows of one group key are a group (step 1 ordered them so);
 * hits of the fallbacks group by worker SSN.  Returns 0 past the end. */
static int group_span(const struct answer *a, size_t from, size_t *end)
{
  size_t i = from;

  if(a->nr > 0) {
    if(from >= a->nr)
      return 0;
    while(i < a->nr && a->r[i].grp == a->r[from].grp)
      i++;
  }
  else {
    if(from >= a->nh)
      return 0;
    i++;
    while(i < a->nh && same_str(a->h[i].worker_ssn, a->h[from].worker_ssn))
      i++;
  }
  *end = i;
  return 1;
}

/* The group's worker from its first hit. */
static int group_worker(index_group *g)
{
  if(!g->hits[0].worker_ssn)
    return DAFTAR_OK;
  g->ssn = idx_strdup(g->hits[0].worker_ssn);
  g->name = g->hits[0].worker_name ? idx_strdup(g->hits[0].worker_name)
                                   : NULL;
  if(!g->ssn || (g->hits[0].worker_name && !g->name))
    return DAFTAR_ENOMEM;
  return DAFTAR_OK;
}

/* Group [from, end) of the answer into g.  Hits of the fallbacks move
 * over; ranked rows are read later, for all groups at once (groups_fill):
 * one MATCH set-up instead of one per group (measured: 20 groups of a
 * common word took 390 ms one by one). */
static int group_make(struct answer *a, size_t from, size_t end,
                      index_group *g)
{
  size_t keep = end - from;

  if(keep > INDEX_GROUP_DOCS_MAX)
    keep = INDEX_GROUP_DOCS_MAX;
  memset(g, 0, sizeof(*g));
  g->total = end - from;
  g->hits = calloc(keep, sizeof(*g->hits));
  if(!g->hits)
    return DAFTAR_ENOMEM;
  g->nhits = keep;
  if(a->nr > 0) {
    g->score = a->r[from].score;
    return DAFTAR_OK;
  }
  /* Move the hits out of the answer (it frees what is left). */
  memcpy(g->hits, a->h + from, keep * sizeof(*g->hits));
  memset(a->h + from, 0, keep * sizeof(*g->hits));
  g->score = g->hits[0].score;
  return group_worker(g);
}

/* The skeleton supplement in a grouped answer: the skeleton-only rows of
 * workers the exact rows do not already show become groups of their own,
 * after every exact group (r2 is ordered by group like r). */
static int answer_join_skeleton(struct answer *a)
{
  struct ranked *all;
  size_t n = a->nr;

  if(a->nr2 == 0)
    return DAFTAR_OK;
  all = realloc(a->r, (a->nr + a->nr2) * sizeof(*all));
  if(!all)
    return DAFTAR_ENOMEM;
  a->r = all;
  for(size_t i = 0; i < a->nr2; i++) {
    int shown = 0;
    for(size_t j = 0; j < a->nr && !shown; j++)
      shown = a->r[j].grp == a->r2[i].grp;
    if(!shown)
      a->r[n++] = a->r2[i];
  }
  a->nexact = a->nr;
  a->nr = n;
  return DAFTAR_OK;
}

/* Reads the ranked rows kept in groups g[0..n) (first rows at firsts[])
 * whose rows are exact (skeleton 0) or skeleton-only (1), with one
 * fill_hits (one MATCH set-up), then hands them to their groups. */
static int groups_fill_part(struct index_db *db, struct answer *a,
                            index_group *g, const size_t *firsts, size_t n,
                            int skeleton)
{
  struct ranked *sel;
  index_hit *all;
  size_t total = 0, k = 0;
  int rc;

#define IN_PART(i) ((a->nexact > 0 && firsts[i] >= a->nexact) == skeleton)
  for(size_t i = 0; i < n; i++)
    if(IN_PART(i))
      total += g[i].nhits;
  if(total == 0)
    return DAFTAR_OK;
  sel = calloc(total, sizeof(*sel));
  all = calloc(total, sizeof(*all));
  if(!sel || !all) {
    free(sel);
    free(all);
    return DAFTAR_ENOMEM;
  }
  for(size_t i = 0; i < n; i++)
    for(size_t j = 0; IN_PART(i) && j < g[i].nhits; j++)
      sel[k++] = a->r[firsts[i] + j];
  rc = fill_hits(db, dbuf_cstr(skeleton ? &a->match2 : &a->match), a->by_id,
                 sel,
                 total, all);
  k = 0;
  for(size_t i = 0; i < n; i++) {
    if(!IN_PART(i))
      continue;
    memcpy(g[i].hits, all + k, g[i].nhits * sizeof(*all));
    k += g[i].nhits;
    if(!rc)
      rc = group_worker(&g[i]);
  }
#undef IN_PART
  free(sel);
  free(all); /* its strings now belong to the groups */
  return rc;
}

static int groups_fill(struct index_db *db, struct answer *a,
                       index_group *g, const size_t *firsts, size_t n)
{
  int rc = groups_fill_part(db, a, g, firsts, n, 0);

  return rc ? rc : groups_fill_part(db, a, g, firsts, n, 1);
}

int index_search_grouped(struct index_db *db, const char *query, int limit,
                         int offset, index_group **out, size_t *n)
{
  struct answer a;
  index_group *g = NULL;
  size_t count = 0, from = 0, end = 0, *firsts = NULL;
  long skip;
  int rc, began;

  *out = NULL;
  *n = 0;
  clamp_page(&limit, &offset, INDEX_GROUPS_MAX);
  /* Groups are made of the best INDEX_SEARCH_LIMIT_MAX documents; only
   * the groups returned get their rows and snippets read. */
  rc = read_begin(db, &began);
  if(!rc)
    rc = search_core(db, query, INDEX_SEARCH_LIMIT_MAX, 0, &a);
  if(!rc) {
    rc = answer_join_skeleton(&a);
    if(rc)
      answer_clear(&a);
  }
  if(rc) {
    read_end(db, began);
    return rc;
  }
  g = calloc((size_t)limit, sizeof(*g));
  firsts = calloc((size_t)limit, sizeof(*firsts));
  if(!g || !firsts) {
    free(g);
    free(firsts);
    answer_clear(&a);
    read_end(db, began);
    return DAFTAR_ENOMEM;
  }
  for(skip = offset; skip > 0 && group_span(&a, from, &end); skip--)
    from = end;
  while(!rc && count < (size_t)limit && group_span(&a, from, &end)) {
    firsts[count] = from;
    rc = group_make(&a, from, end, &g[count]);
    count++;
    from = end;
  }
  if(!rc && a.nr > 0)
    rc = groups_fill(db, &a, g, firsts, count);
  free(firsts);
  answer_clear(&a);
  read_end(db, began);
  if(rc) {
    index_groups_free(g, count);
    return rc;
  }
  *out = g;
  *n = count;
  return DAFTAR_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

static int put_member(dbuf *b, const char *key, int first)
{
  int rc = first ? DAFTAR_OK : dbuf_puts(b, ", ");

  if(!rc)
    rc = json_put_str(b, key);
  if(!rc)
    rc = dbuf_puts(b, ": ");
  return rc;
}

static int hit_json(const index_hit *h, dbuf *out)
{
  int rc = dbuf_putc(out, '{');

  if(!rc)
    rc = put_member(out, "id", 1);
  if(!rc)
    rc = json_put_int(out, h->doc_id);
  if(!rc)
    rc = put_member(out, "source", 0);
  if(!rc)
    rc = json_put_str(out, h->source);
  if(!rc)
    rc = put_member(out, "file_no", 0);
  if(!rc)
    rc = json_put_str(out, h->file_no);
  if(!rc)
    rc = put_member(out, "doc_type", 0);
  if(!rc)
    rc = json_put_str(out, h->doc_type);
  if(!rc)
    rc = put_member(out, "worker", 0);
  if(!rc && !h->worker_ssn && !h->worker_name)
    rc = dbuf_puts(out, "null");
  else if(!rc) {
    rc = dbuf_putc(out, '{');
    if(!rc)
      rc = put_member(out, "ssn", 1);
    if(!rc)
      rc = json_put_str(out, h->worker_ssn);
    if(!rc)
      rc = put_member(out, "name", 0);
    if(!rc)
      rc = json_put_str(out, h->worker_name);
    if(!rc)
      rc = dbuf_putc(out, '}');
  }
  if(!rc)
    rc = put_member(out, "snippet", 0);
  if(!rc)
    rc = json_put_str(out, h->snippet);
  if(!rc)
    rc = dbuf_putc(out, '}');
  return rc;
}

int index_hits_json(const index_hit *h, size_t n, dbuf *out)
{
  int rc = dbuf_puts(out, "{\"results\": [");

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    if(i)
      rc = dbuf_puts(out, ", ");
    if(!rc)
      rc = hit_json(&h[i], out);
  }
  if(!rc)
    rc = dbuf_puts(out, "]}");
  return rc;
}

int index_groups_json(const index_group *g, size_t n, dbuf *out)
{
  int rc = dbuf_puts(out, "{\"groups\": [");

  for(size_t i = 0; i < n && rc == DAFTAR_OK; i++) {
    rc = dbuf_puts(out, i ? ", {" : "{");
    if(!rc)
      rc = put_member(out, "worker", 1);
    if(!rc && !g[i].ssn)
      rc = dbuf_puts(out, "null");
    else if(!rc) {
      rc = dbuf_putc(out, '{');
      if(!rc)
        rc = put_member(out, "ssn", 1);
      if(!rc)
        rc = json_put_str(out, g[i].ssn);
      if(!rc)
        rc = put_member(out, "name", 0);
      if(!rc)
        rc = json_put_str(out, g[i].name);
      if(!rc)
        rc = dbuf_putc(out, '}');
    }
    if(!rc)
      rc = put_member(out, "score", 0);
    if(!rc)
      rc = json_put_real(out, g[i].score);
    if(!rc)
      rc = put_member(out, "total", 0);
    if(!rc)
      rc = json_put_int(out, (int64_t)g[i].total);
    if(!rc)
      rc = put_member(out, "results", 0);
    if(!rc)
      rc = dbuf_putc(out, '[');
    for(size_t k = 0; k < g[i].nhits && rc == DAFTAR_OK; k++) {
      if(k)
        rc = dbuf_puts(out, ", ");
      if(!rc)
        rc = hit_json(&g[i].hits[k], out);
    }
    if(!rc)
      rc = dbuf_puts(out, "]}");
  }
  if(!rc)
    rc = dbuf_puts(out, "]}");
  return rc;
}
