/* ops_pages.c - the operators' batches page and the admins' audit page.
 *
 * Both render the JSON their API routes serve (api_batches, index's
 * audit JSON), so page and API agree.  Neither shows record contents:
 * batches list files and refusal reasons; the audit names who did what to
 * which worker number or document id, which is what admins are there to
 * read. */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

static void td(vout *o, const char *v)
{
  vout_puts(o, "<td dir=\"auto\">");
  vout_esc(o, v);
  vout_puts(o, "</td>");
}

static void th_row(vout *o, const vreq *rq, const enum vmsg *m, size_t n)
{
  size_t i;
  vout_puts(o, "<thead><tr>");
  for(i = 0; i < n; i++) {
    vout_puts(o, "<th>");
    vout_esc(o, vmsg(rq->lang, m[i]));
    vout_puts(o, "</th>");
  }
  vout_puts(o, "</tr></thead>\n");
}

/* Runs a JSON-producing route into a tree; 0 on success. */
static int json_of(vreq *rq, void (*route)(vreq *, vresp *), vjson **out)
{
  vresp r;
  int rc;
  memset(&r, 0, sizeof(r));
  route(rq, &r);
  if(r.status != MHD_HTTP_OK || !r.body) {
    free(r.body);
    return DAFTAR_EDB;
  }
  rc = vjson_parse((const char *)r.body, r.len, out);
  free(r.body);
  return rc;
}

static void batch_row(vout *o, const vjson *b)
{
  static const char *const counts[] = {"files", "documents", "pages",
                                       "duplicates", "refused"};
  const vjson *refusals = vjson_get(b, "refusals"), *f;
  size_t i;
  vout_puts(o, "<tr>");
  td(o, vjson_str(b, "label"));
  td(o, vjson_str(b, "status"));
  td(o, vjson_str(b, "started"));
  td(o, vjson_str(b, "ended"));
  for(i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
    td(o, vjson_str(b, counts[i]));
  vout_puts(o, "</tr>\n");
  for(f = refusals && refusals->type == VJ_ARR ? refusals->child : NULL; f;
      f = f->next) {
    vout_puts(o, "<tr class=\"refusal\"><td></td><td colspan=\"3\" "
                 "dir=\"auto\">");
    vout_esc(o, vjson_str(f, "source"));
    vout_puts(o, "</td><td colspan=\"5\" dir=\"auto\">");
    vout_esc(o, vjson_str(f, "reason"));
    vout_puts(o, "</td></tr>\n");
  }
}

void page_batches(vreq *rq, vresp *r)
{
  static const enum vmsg head[] = {M_BATCH, M_STATUS, M_STARTED, M_ENDED,
                                   M_FILES, M_DOCUMENTS, M_PAGES,
                                   M_DUPLICATES, M_REFUSED};
  vjson *j = NULL;
  const vjson *list, *b;
  vout o;
  if(!auth_is_operator(rq)) {
    vresp_html_error(r, rq, MHD_HTTP_FORBIDDEN);
    return;
  }
  if(json_of(rq, api_batches, &j)) {
    vresp_html_error(r, rq, MHD_HTTP_SERVICE_UNAVAILABLE);
    return;
  }
  list = vjson_get(j, "batches");
  vout_init(&o);
  vout_puts(&o, "<h1>");
  vout_esc(&o, vmsg(rq->lang, M_BATCHES));
  vout_puts(&o, "</h1>\n<table class=\"batches\">\n");
  th_row(&o, rq, head, sizeof(head) / sizeof(head[0]));
  vout_puts(&o, "<tbody>\n");
  for(b = list && list->type == VJ_ARR ? list->child : NULL; b; b = b->next)
    batch_row(&o, b);
  vout_puts(&o, "</tbody>\n</table>\n");
  viewer_html_finish(rq, r, MHD_HTTP_OK, vmsg(rq->lang, M_BATCHES), &o);
  vjson_free(j);
}

static void audit_filter_form(vout *o, const vreq *rq)
{
  vout_puts(o, "<form class=\"search\" action=\"/audit\" method=\"get\">"
               "<input name=\"user\" dir=\"auto\" placeholder=\"");
  vout_esc(o, vmsg(rq->lang, M_USER));
  vout_puts(o, "\" value=\"");
  vout_esc(o, vreq_arg(rq, "user"));
  vout_puts(o, "\"><input name=\"action\" placeholder=\"");
  vout_esc(o, vmsg(rq->lang, M_ACTION));
  vout_puts(o, "\" value=\"");
  vout_esc(o, vreq_arg(rq, "action"));
  vout_puts(o, "\"><button type=\"submit\">");
  vout_esc(o, vmsg(rq->lang, M_SEARCH));
  vout_puts(o, "</button></form>\n");
}

void page_audit(vreq *rq, vresp *r)
{
  static const enum vmsg head[] = {M_WHEN, M_USER, M_ACTION, M_OBJECT,
                                   M_DETAIL, M_ADDRESS};
  static const char *const cols[] = {"at", "user", "action", "object",
                                     "detail", "address"};
  vjson *j = NULL;
  const vjson *rows, *a;
  size_t i;
  vout o;
  if(!auth_is_admin(rq)) {
    vresp_html_error(r, rq, MHD_HTTP_FORBIDDEN);
    return;
  }
  if(json_of(rq, api_audit, &j)) {
    vresp_html_error(r, rq, MHD_HTTP_BAD_REQUEST);
    return;
  }
  rows = vjson_get(j, "audit");
  vout_init(&o);
  vout_puts(&o, "<h1>");
  vout_esc(&o, vmsg(rq->lang, M_AUDIT));
  vout_puts(&o, "</h1>\n");
  audit_filter_form(&o, rq);
  vout_puts(&o, "<table class=\"audit\">\n");
  th_row(&o, rq, head, sizeof(head) / sizeof(head[0]));
  vout_puts(&o, "<tbody>\n");
  for(a = rows && rows->type == VJ_ARR ? rows->child : NULL; a; a = a->next) {
    vout_puts(&o, "<tr>");
    for(i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
      td(&o, vjson_str(a, cols[i]));
    vout_puts(&o, "</tr>\n");
  }
  vout_puts(&o, "</tbody>\n</table>\n");
  viewer_html_finish(rq, r, MHD_HTTP_OK, vmsg(rq->lang, M_AUDIT), &o);
  vjson_free(j);
}
