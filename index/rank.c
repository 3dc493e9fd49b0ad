/*
 * rank.c - daftar_rank(): bm25 with the document frequencies given by the
 * caller, so that ranking a page of hits never walks whole doclists.
 *
 * FTS5's own bm25() computes each phrase's inverse document frequency by
 * running the phrase over the whole index once per query (xQueryPhrase):
 * for a word on every one of 5 million pages that is 80 ms before the
 * first row is scored (measured on the bench archive), and the name
 * phrase, prefix and skeleton queries pay it for every term.  Search
 * already walks each term's newest matches to cap the ranking work, and
 * that walk tells how common the term is.  So:
 *
 *   daftar_rank(doc_fts, FREQS, W0, W1, ...)
 *
 * is bm25 (k1 1.2, b 0.75, column weights W0.., 1.0 when not given) where
 * FREQS is NULL or a text of one item per phrase of the MATCH, separated by
 * spaces: "N" when the phrase is known to be in exactly N documents,
 * "~F" when it is in about the fraction F of them (a capped walk: its
 * matches over the rowid span they covered).  NULL, or a list that does not
 * have one item per phrase, counts the documents exactly, as bm25() does.
 * Scores are negative, lower is better, and equal bm25()'s when the
 * frequencies are exact.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define RANK_K1 1.2
#define RANK_B 0.75
#define RANK_IDF_MIN 1e-6   /* bm25()'s floor for words in most documents */
#define RANK_PHRASES_MAX 64 /* more phrases than a query can hold */

/* What one query's rows share: set up on the first row (xSetAuxdata). */
struct rank_query {
  int nphrase;
  double avgdl;
  double idf[RANK_PHRASES_MAX];
  double freq[RANK_PHRASES_MAX]; /* per row: weighted hits of each phrase */
};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts,
                     void *ctx)
{
  (void)api;
  (void)fts;
  (*(sqlite3_int64 *)ctx)++;
  return SQLITE_OK;
}

/* Document frequencies from FREQS into hits[]: 1 when FREQS has one valid
 * item per phrase, else 0. */
static int freqs_parse(const char *s, int nphrase, sqlite3_int64 nrow,
                       double *hits)
{
  int i = 0;

  if(!s)
    return 0;
  while(*s) {
    char *end;
    int approx = 0;
    double v;
    while(*s == ' ')
      s++;
    if(!*s)
      break;
    if(*s == '~') {
      approx = 1;
      s++;
    }
    v = strtod(s, &end);
    if(end == s || i >= nphrase || !(v >= 0.0))
      return 0;
    hits[i++] = approx ? v * (double)nrow : v;
    s = end;
  }
  return i == nphrase;
}

static struct rank_query *query_setup(const Fts5ExtensionApi *api,
                                      Fts5Context *fts, const char *freqs,
                                      int *rc)
{
  struct rank_query *p;
  sqlite3_int64 nrow = 0, ntoken = 0;
  double hits[RANK_PHRASES_MAX];
  int nphrase = api->xPhraseCount(fts);

  if(nphrase > RANK_PHRASES_MAX) {
    *rc = SQLITE_ERROR;
    return NULL;
  }
  *rc = api->xRowCount(fts, &nrow);
  if(*rc == SQLITE_OK)
    *rc = api->xColumnTotalSize(fts, -1, &ntoken);
  if(*rc != SQLITE_OK)
    return NULL;
  if(nrow < 1)
    nrow = 1;
  if(!freqs_parse(freqs, nphrase, nrow, hits)) {
    for(int i = 0; i < nphrase && *rc == SQLITE_OK; i++) {
      sqlite3_int64 n = 0;
      *rc = api->xQueryPhrase(fts, i, &n, count_row);
      hits[i] = (double)n;
    }
    if(*rc != SQLITE_OK)
      return NULL;
  }
  p = calloc(1, sizeof(*p));
  if(!p) {
    *rc = SQLITE_NOMEM;
    return NULL;
  }
  p->nphrase = nphrase;
  p->avgdl = ntoken > 0 ? (double)ntoken / (double)nrow : 1.0;
  for(int i = 0; i < nphrase; i++) {
    double h = hits[i] > (double)nrow ? (double)nrow : hits[i];
    double idf = log(((double)nrow - h + 0.5) / (h + 0.5));
    p->idf[i] = idf > 0.0 ? idf : RANK_IDF_MIN;
  }
  *rc = api->xSetAuxdata(fts, p, free);
  if(*rc != SQLITE_OK) /* xSetAuxdata freed p */
    return NULL;
  return p;
}

static void daftar_rank(const Fts5ExtensionApi *api, Fts5Context *fts,
                        sqlite3_context *ctx, int nval, sqlite3_value **val)
{
  struct rank_query *p = api->xGetAuxdata(fts, 0);
  int rc = SQLITE_OK, ninst = 0, ncol = api->xColumnCount(fts), dl = 0;
  double score = 0.0;

  if(!p) {
    const char *freqs = nval > 0 ? (const char *)sqlite3_value_text(val[0])
                                 : NULL;
    p = query_setup(api, fts, freqs, &rc);
    if(!p) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  memset(p->freq, 0, sizeof(p->freq[0]) * (size_t)p->nphrase);
  rc = api->xInstCount(fts, &ninst);
  for(int i = 0; i < ninst && rc == SQLITE_OK; i++) {
    int phrase, col, off;
    rc = api->xInst(fts, i, &phrase, &col, &off);
    if(rc == SQLITE_OK && phrase < p->nphrase && col < ncol)
      p->freq[phrase] += col + 1 < nval ? sqlite3_value_double(val[col + 1])
                                        : 1.0;
  }
  if(rc == SQLITE_OK)
    rc = api->xColumnSize(fts, -1, &dl);
  if(rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  for(int i = 0; i < p->nphrase; i++) {
    double f = p->freq[i];
    score += p->idf[i] * f * (RANK_K1 + 1.0) /
             (f + RANK_K1 * (1.0 - RANK_B + RANK_B * (double)dl / p->avgdl));
  }
  sqlite3_result_double(ctx, -score);
}

int rank_register(fts5_api *api)
{
  return api->xCreateFunction(api, "daftar_rank", NULL, daftar_rank, NULL);
}
