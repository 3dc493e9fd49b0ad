/* review.c - the archivists' review queue.
 *
 * Each doubtful field (index_review_json: unlocked, under the confidence
 * threshold, or a candidate) is shown with the crop of the page where it
 * was read, its value in an input and the CSRF token: Enter saves (and
 * locks) it, so a correct value is confirmed by Enter alone.  app.js moves
 * between items with j/k.  Saving comes back here (next=review).  The
 * pending link suggestions follow (links.c, review_links()). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define JSON_TYPE "application/json; charset=utf-8"

static int review_json(vreq *rq, int offset, vout *o)
{
  struct index_db *db = viewer_thread_db(rq);
  int rc;
  char off[24];
  if(!db)
    return DAFTAR_EDB;
  rc = auth_read_begin(rq); /* the queue shows values: audited like a view */
  if(rc)
    return rc;
  rc = index_review_json(db, VIEWER_REVIEW_CONFIDENCE, VIEWER_REVIEW_PAGE,
                         offset, &o->b);
  if(rc)
    daftar_log(DLOG_ERROR, "viewer: review queue failed: %s",
               index_errmsg(db));
  snprintf(off, sizeof(off), "%d", offset);
  return auth_read_end(rq, rc, "view_review", NULL, off);
}

static int review_offset(const vreq *rq, long *off)
{
  const char *arg = vreq_arg(rq, "offset");
  *off = 0;
  return arg ? viewer_parse_int(arg, 0, VIEWER_OFFSET_MAX, off) : DAFTAR_OK;
}

void api_review(vreq *rq, vresp *r)
{
  long off;
  vout o;
  int rc;
  if(!auth_may_correct(rq)) {
    vresp_json_error(r, MHD_HTTP_FORBIDDEN, "forbidden");
    return;
  }
  if(review_offset(rq, &off)) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad offset");
    return;
  }
  vout_init(&o);
  rc = review_json(rq, (int)off, &o);
  if(rc) {
    vout_free(&o);
    vresp_json_error(r, viewer_status_of(rc), "review unavailable");
    return;
  }
  vresp_take(r, MHD_HTTP_OK, JSON_TYPE, &o);
}

static void review_item(vout *o, const vreq *rq, const vjson *it)
{
  const char *name = vjson_str(it, "name");
  const char *doc = vjson_str(it, "document");
  const vjson *bbox = vjson_get(it, "bbox"), *c;
  const vjson *cand = vjson_get(it, "candidate");
  int64_t id;
  long page = (long)vjson_num(it, "page", 0);

  if(!name || !doc || viewer_parse_id(doc, strlen(doc), &id))
    return;
  vout_puts(o, "<li class=\"review-item\">\n");
  if(page > 0 && bbox && bbox->type == VJ_ARR) {
    vout_printf(o, "<img class=\"crop\" src=\"/api/documents/%lld/pages/"
                   "%ld.png?crop=",
                (long long)id, page);
    for(c = bbox->child; c; c = c->next)
      vout_printf(o, "%s%ld", c == bbox->child ? "" : ",", (long)c->num);
    vout_puts(o, "\" alt=\"");
    vout_esc(o, vlang_field(rq->lang, name));
    vout_puts(o, "\">\n");
  }
  vout_printf(o, "<p class=\"review-head\"><a href=\"/document/%lld\" "
                 "dir=\"auto\">",
              (long long)id);
  vout_esc(o, vjson_str(it, "source"));
  vout_puts(o, "</a> · <strong>");
  vout_esc(o, vlang_field(rq->lang, name));
  vout_printf(o, "</strong> · %.0f", vjson_num(it, "confidence", 0));
  if(cand && cand->type == VJ_TRUE) {
    vout_puts(o, " · ");
    vout_esc(o, vmsg(rq->lang, M_CANDIDATE));
  }
  vout_printf(o, "</p>\n<form class=\"correct\" method=\"post\" "
                 "action=\"/document/%lld/fields/",
              (long long)id);
  vout_esc(o, name);
  vout_puts(o, "\"><input type=\"hidden\" name=\"next\" value=\"review\">"
               "<input type=\"hidden\" name=\"csrf\" value=\"");
  vout_esc(o, rq->session.csrf);
  vout_puts(o, "\"><input name=\"value\" dir=\"auto\" value=\"");
  vout_esc(o, vjson_str(it, "value"));
  vout_puts(o, "\" aria-label=\"");
  vout_esc(o, vlang_field(rq->lang, name));
  vout_puts(o, "\"><button type=\"submit\">✓</button></form>\n</li>\n");
}

void page_review(vreq *rq, vresp *r)
{
  vout json, o;
  vjson *q = NULL;
  const vjson *items, *it;
  long off;
  int rc;

  if(!auth_may_correct(rq)) {
    vresp_html_error(r, rq, MHD_HTTP_FORBIDDEN);
    return;
  }
  if(review_offset(rq, &off)) {
    vresp_html_error(r, rq, MHD_HTTP_BAD_REQUEST);
    return;
  }
  vout_init(&json);
  rc = review_json(rq, (int)off, &json);
  if(!rc)
    rc = vjson_parse(json.b.data ? json.b.data : "", json.b.len, &q);
  vout_free(&json);
  if(rc) {
    vresp_html_error(r, rq, MHD_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }
  items = vjson_get(q, "review");
  vout_init(&o);
  vout_puts(&o, "<h1>");
  vout_esc(&o, vmsg(rq->lang, M_REVIEW));
  vout_puts(&o, "</h1>\n");
  if(!items || !items->child) {
    vout_puts(&o, "<p class=\"empty\">");
    vout_esc(&o, vmsg(rq->lang, M_NOTHING_TO_REVIEW));
    vout_puts(&o, "</p>\n");
  } else {
    vout_puts(&o, "<ol class=\"review\">\n");
    for(it = items->child; it; it = it->next)
      review_item(&o, rq, it);
    vout_puts(&o, "</ol>\n");
  }
  if(review_links(rq, &o)) {
    vout_free(&o);
    vjson_free(q);
    vresp_html_error(r, rq, MHD_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }
  viewer_html_finish(rq, r, MHD_HTTP_OK, vmsg(rq->lang, M_REVIEW), &o);
  vjson_free(q);
}
