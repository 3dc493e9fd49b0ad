/* links.c - archivists decide the index's link suggestions.
 *
 * What numbers and names could not settle (index/linkage.c: an SSN one
 * digit from a known one, a conflicting SSN or national ID, a weak name
 * match) waits as a suggestion that links nothing.  Archivists see them in
 * the review queue (GET /review, GET /api/links) with the score and its
 * breakdown, and accept or reject each: POST /api/links/{id}/accept|reject
 * with X-CSRF-Token, or the same under /links/ as a form from the review
 * page.  The decision and its audit row are one transaction, as with a
 * correction (edit.c).  Reading the list is audited like a view: it shows
 * names and numbers. */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* Pending suggestions from offset, in one audited read. */
static int links_list(vreq *rq, int offset, index_link_suggestion **s,
                      size_t *n)
{
  struct index_db *db = viewer_thread_db(rq);
  char off[24];
  int rc;
  *s = NULL;
  *n = 0;
  if(!db)
    return DAFTAR_EDB;
  rc = auth_read_begin(rq);
  if(rc)
    return rc;
  rc = index_link_suggestions_list(db, NULL, VIEWER_REVIEW_PAGE, offset, s, n);
  if(rc)
    daftar_log(DLOG_ERROR, "viewer: link suggestions failed: %s",
               index_errmsg(db));
  snprintf(off, sizeof(off), "%d", offset);
  rc = auth_read_end(rq, rc, "view_links", NULL, off);
  if(rc) {
    index_link_suggestions_free(*s, *n);
    *s = NULL;
    *n = 0;
  }
  return rc;
}

void api_links(vreq *rq, vresp *r)
{
  const char *arg = vreq_arg(rq, "offset");
  index_link_suggestion *s = NULL;
  size_t n = 0;
  long off = 0;
  vout o;
  int rc;
  if(!auth_may_correct(rq)) {
    vresp_json_error(r, MHD_HTTP_FORBIDDEN, "forbidden");
    return;
  }
  if(arg && viewer_parse_int(arg, 0, VIEWER_OFFSET_MAX, &off)) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad offset");
    return;
  }
  rc = links_list(rq, (int)off, &s, &n);
  if(rc) {
    vresp_json_error(r, viewer_status_of(rc), "suggestions unavailable");
    return;
  }
  vout_init(&o);
  o.err = index_link_suggestions_json(s, n, &o.b);
  index_link_suggestions_free(s, n);
  vresp_take(r, MHD_HTTP_OK, JSON_TYPE, &o);
}

/* One suggestion on the review page: the document, the worker it would
 * join, why and how sure, and two forms. */
static void link_item(vout *o, const vreq *rq, const index_link_suggestion *s)
{
  static const char *const decisions[] = {"accept", "reject"};
  static const char *const marks[] = {"✓", "✗"};
  size_t i;
  vout_printf(o, "<li class=\"link-item\" data-suggestion=\"%lld\">\n"
                 "<p class=\"review-head\"><a href=\"/document/%lld\" "
                 "dir=\"auto\">",
              (long long)s->id, (long long)s->document_id);
  vout_esc(o, s->source);
  vout_puts(o, "</a> → ");
  if(s->worker_ssn) {
    vout_puts(o, "<a href=\"/worker/");
    vout_urlenc(o, s->worker_ssn);
    vout_puts(o, "\" dir=\"auto\">");
    vout_esc(o, s->worker_name ? s->worker_name : s->worker_ssn);
    vout_puts(o, " (");
    vout_esc(o, s->worker_ssn);
    vout_puts(o, ")</a>");
  } else {
    vout_puts(o, "<bdi>");
    vout_esc(o, s->worker_name ? s->worker_name : "?");
    vout_puts(o, "</bdi>");
  }
  vout_puts(o, " · <code>");
  vout_esc(o, s->reason);
  vout_printf(o, "</code> · %d</p>\n<p class=\"explain\" dir=\"ltr\">",
              s->score);
  vout_esc(o, s->explain);
  vout_puts(o, "</p>\n");
  for(i = 0; i < 2; i++) {
    vout_printf(o, "<form class=\"link-%s\" method=\"post\" "
                   "action=\"/links/%lld/%s\"><input type=\"hidden\" "
                   "name=\"csrf\" value=\"",
                decisions[i], (long long)s->id, decisions[i]);
    vout_esc(o, rq->session.csrf);
    vout_printf(o, "\"><button type=\"submit\" value=\"%s\">%s ",
                decisions[i], marks[i]);
    vout_esc(o, vmsg(rq->lang, i ? M_REJECT : M_ACCEPT));
    vout_puts(o, "</button></form>\n");
  }
  vout_puts(o, "</li>\n");
}

int review_links(vreq *rq, vout *o)
{
  index_link_suggestion *s = NULL;
  size_t n = 0, i;
  int rc = links_list(rq, 0, &s, &n);
  if(rc)
    return rc;
  vout_puts(o, "<h2>");
  vout_esc(o, vmsg(rq->lang, M_LINKS));
  vout_puts(o, "</h2>\n");
  if(n == 0) {
    vout_puts(o, "<p class=\"empty\">");
    vout_esc(o, vmsg(rq->lang, M_NOTHING_TO_REVIEW));
    vout_puts(o, "</p>\n");
  } else {
    vout_puts(o, "<ol class=\"links\">\n");
    for(i = 0; i < n; i++)
      link_item(o, rq, &s[i]);
    vout_puts(o, "</ol>\n");
  }
  index_link_suggestions_free(s, n);
  return DAFTAR_OK;
}

/* The decision and its audit row, one transaction. */
static int link_store(vreq *rq, struct index_db *db, int64_t id, int accept)
{
  char object[32], addr[64];
  int rc = index_begin(db);
  if(rc)
    return rc;
  rc = accept ? index_link_accept(db, id, rq->session.user)
              : index_link_reject(db, id, rq->session.user);
  if(!rc) {
    auth_client_address(rq, addr, sizeof(addr));
    snprintf(object, sizeof(object), "%lld", (long long)id);
    rc = index_audit_add(db, rq->session.user,
                         accept ? "link_accept" : "link_reject", object, NULL,
                         addr);
  }
  if(rc) {
    daftar_log(DLOG_WARN, "viewer: link decision refused: %s",
               index_errmsg(db));
    index_rollback(db);
    return rc;
  }
  return index_commit(db);
}

static void link_fail(vresp *r, const vreq *rq, int api, unsigned status,
                      const char *msg)
{
  if(api)
    vresp_json_error(r, status, msg);
  else
    vresp_html_error(r, rq, status);
}

void link_decide(vreq *rq, vresp *r, int64_t id, int accept, int api)
{
  struct index_db *db;
  int rc;
  if(!auth_may_correct(rq)) {
    link_fail(r, rq, api, MHD_HTTP_FORBIDDEN, "forbidden");
    return;
  }
  if(!auth_csrf_ok(rq)) {
    link_fail(r, rq, api, MHD_HTTP_FORBIDDEN, "missing or wrong CSRF token");
    return;
  }
  db = viewer_thread_db(rq);
  if(!db) {
    link_fail(r, rq, api, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable");
    return;
  }
  rc = link_store(rq, db, id, accept);
  if(rc) {
    link_fail(r, rq, api, viewer_status_of(rc), "decision failed");
    return;
  }
  if(api) {
    vout o;
    vout_init(&o);
    vout_printf(&o, "{\"suggestion\": %lld, \"status\": \"%s\"}\n",
                (long long)id, accept ? "accepted" : "rejected");
    vresp_take(r, MHD_HTTP_OK, JSON_TYPE, &o);
    return;
  }
  r->status = MHD_HTTP_SEE_OTHER;
  r->ctype = "text/plain; charset=utf-8";
  snprintf(r->location, sizeof(r->location), "/review");
}
