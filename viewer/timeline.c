/* timeline.c - a worker's employment spells, with gaps and overlaps.
 *
 * Built from the worker's documents as index_worker_json lists them: one
 * spell per employer (by number, else name), from its earliest start date
 * to its latest end date (open when no end is recorded), with the latest
 * wage.  Spells are shown in start order; a gap of more than a day between
 * one spell's end and the next start, or a start before an earlier spell
 * ended, is marked.  Dates are the normalized YYYY-MM-DD of extraction;
 * documents without a usable date do not make spells. */
#include <stdlib.h>
#include <string.h>

#include "viewer_int.h"

#define TIMELINE_SPELLS_MAX 200

typedef struct spell {
  const char *employer;  /* display name (borrowed from the JSON tree) */
  const char *key;       /* employer number, else name */
  char start[11], end[11]; /* "" when unknown */
  char wage_date[11];
  const char *wage;
} spell;

/* Days since 1970-01-01 of a YYYY-MM-DD date; 0 on success. */
static int date_days(const char *s, long *out)
{
  long y, m, d, era, yoe, doy, doe;
  int i;
  if(!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  for(i = 0; i < 10; i++)
    if(i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return -1;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
      (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if(m < 1 || m > 12 || d < 1 || d > 31)
    return -1;
  /* days_from_civil (H. Hinnant) */
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  *out = era * 146097 + doe - 719468;
  return 0;
}

static int valid_date(const char *s)
{
  long d;
  return !date_days(s, &d);
}

static spell *spell_for(spell *sp, size_t *n, const vjson *doc)
{
  const char *num = vjson_str(doc, "employer_number");
  const char *name = vjson_str(doc, "employer_name");
  const char *key = num && *num ? num : name;
  size_t i;
  if(!key || !*key)
    return NULL;
  for(i = 0; i < *n; i++)
    if(!strcmp(sp[i].key, key))
      return &sp[i];
  if(*n == TIMELINE_SPELLS_MAX)
    return NULL;
  memset(&sp[*n], 0, sizeof(sp[*n]));
  sp[*n].key = key;
  sp[*n].employer = name && *name ? name : key;
  return &sp[(*n)++];
}

static void spell_add(spell *s, const vjson *doc)
{
  const char *start = vjson_str(doc, "start_date");
  const char *end = vjson_str(doc, "end_date");
  const char *wage = vjson_str(doc, "monthly_wage");
  const char *when = valid_date(start) ? start : end;
  if(valid_date(start) && (!s->start[0] || strcmp(start, s->start) < 0))
    memcpy(s->start, start, 11);
  if(valid_date(end) && (!s->end[0] || strcmp(end, s->end) > 0))
    memcpy(s->end, end, 11);
  /* the wage of the latest dated document wins */
  if(wage && *wage && valid_date(when) &&
     (!s->wage || strcmp(when, s->wage_date) >= 0)) {
    s->wage = wage;
    memcpy(s->wage_date, when, 11);
  }
}

static int spell_cmp(const void *a, const void *b)
{
  const spell *x = a, *y = b;
  return strcmp(x->start, y->start);
}

static void put_spell(vout *o, const vreq *rq, const spell *s, int overlap)
{
  vout_printf(o, "<li class=\"spell%s\"><span class=\"employer\" "
                 "dir=\"auto\">",
              overlap ? " overlap" : "");
  vout_esc(o, s->employer);
  vout_puts(o, "</span> <span class=\"dates\"><bdi>");
  vout_esc(o, s->start);
  vout_puts(o, "</bdi> – <bdi>");
  vout_esc(o, s->end[0] ? s->end : vmsg(rq->lang, M_ONGOING));
  vout_puts(o, "</bdi></span>");
  if(s->wage) {
    vout_puts(o, " <span class=\"wage\">");
    vout_esc(o, vlang_field(rq->lang, "monthly_wage"));
    vout_puts(o, ": <bdi>");
    vout_esc(o, s->wage);
    vout_puts(o, "</bdi></span>");
  }
  if(overlap) {
    vout_puts(o, " <strong class=\"flag\">");
    vout_esc(o, vmsg(rq->lang, M_OVERLAP));
    vout_puts(o, "</strong>");
  }
  vout_puts(o, "</li>\n");
}

void worker_timeline(vout *o, const vreq *rq, const vjson *w)
{
  const vjson *docs = vjson_get(w, "documents"), *d;
  spell *sp = calloc(TIMELINE_SPELLS_MAX, sizeof(*sp));
  size_t n = 0, i;
  char latest_end[11] = "";
  int open_before = 0;

  if(!sp) {
    o->err = DAFTAR_ENOMEM;
    return;
  }
  for(d = docs && docs->type == VJ_ARR ? docs->child : NULL; d; d = d->next) {
    spell *s = spell_for(sp, &n, d);
    if(s)
      spell_add(s, d);
  }
  /* a spell needs a start to be placed in time */
  for(i = 0; i < n;)
    if(!sp[i].start[0])
      sp[i] = sp[--n];
    else
      i++;
  if(n == 0) {
    free(sp);
    return;
  }
  qsort(sp, n, sizeof(*sp), spell_cmp);
  vout_puts(o, "<section class=\"timeline\">\n<h2>");
  vout_esc(o, vmsg(rq->lang, M_EMPLOYMENT));
  vout_puts(o, "</h2>\n<ol class=\"spells\">\n");
  for(i = 0; i < n; i++) {
    long a, b;
    int overlap = i > 0 && (open_before || strcmp(sp[i].start,
                                                  latest_end) <= 0);
    if(i > 0 && !overlap && !date_days(latest_end, &a) &&
       !date_days(sp[i].start, &b) && b - a > 1) {
      vout_puts(o, "<li class=\"gap\">");
      vout_esc(o, vmsg(rq->lang, M_GAP));
      vout_printf(o, ": %ld ", b - a - 1);
      vout_esc(o, vmsg(rq->lang, M_DAYS));
      vout_puts(o, "</li>\n");
    }
    put_spell(o, rq, &sp[i], overlap);
    if(!sp[i].end[0])
      open_before = 1;
    else if(strcmp(sp[i].end, latest_end) > 0)
      memcpy(latest_end, sp[i].end, 11);
  }
  vout_puts(o, "</ol>\n</section>\n");
  free(sp);
}
