/* pages.c - the HTML pages: search, worker, document, errors.
 *
 * Pages are rendered on the server from the same data the JSON API serves,
 * so they work without script; app.js only adds conveniences (zoom, linking
 * a field row to its box).  Every value from the archive goes through
 * vout_esc(); CSP forbids inline script and style, so boxes over the page
 * image are SVG rectangles in page pixels (the viewBox scales them with the
 * image), not positioned elements. */
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* Wraps a finished body in the shell and hands it to r. */
void viewer_html_finish(vreq *rq, vresp *r, unsigned status, const char *title,
                        vout *body)
{
  vout page;
  if(body->err) {
    vout_free(body);
    vresp_json_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    return;
  }
  vout_init(&page);
  html_page(&page, rq, title, dbuf_cstr(&body->b));
  vout_free(body);
  vresp_take(r, status, HTML_TYPE, &page);
}

void vresp_html_error(vresp *r, const vreq *rq, unsigned status)
{
  enum vmsg m = status == MHD_HTTP_NOT_FOUND      ? M_NOT_FOUND
                : status == MHD_HTTP_BAD_REQUEST  ? M_BAD_REQUEST
                : status == MHD_HTTP_URI_TOO_LONG ? M_BAD_REQUEST
                : status == MHD_HTTP_FORBIDDEN    ? M_FORBIDDEN
                                                  : M_ERROR;
  vout body;
  vout_init(&body);
  vout_printf(&body, "<h1 class=\"error\">%u · ", status);
  vout_esc(&body, vmsg(rq->lang, m));
  vout_puts(&body, "</h1>\n<p><a href=\"/\">");
  vout_esc(&body, vmsg(rq->lang, M_SEARCH));
  vout_puts(&body, "</a></p>\n");
  viewer_html_finish((vreq *)rq, r, status, vmsg(rq->lang, m), &body);
}

/* <dt>label</dt><dd>value</dd>, skipped when value is empty. */
static void put_dl_row(vout *o, const char *label, const char *value,
                       const char *cls)
{
  if(!value || !*value)
    return;
  vout_printf(o, "<dt>");
  vout_esc(o, label);
  vout_printf(o, "</dt><dd class=\"%s\" dir=\"auto\">", cls);
  vout_esc(o, value);
  vout_puts(o, "</dd>\n");
}

/* 1 when s is a worker number we can link to. */
static int is_number(const char *s)
{
  char folded[VIEWER_NUMBER_MAX + 1];
  return s && !viewer_parse_number(s, strlen(s), folded);
}

/* ---- search -------------------------------------------------------------- */

static void search_form(vout *o, const vreq *rq, const char *q)
{
  vout_puts(o, "<form class=\"search\" action=\"/\" method=\"get\" "
               "role=\"search\">\n<input type=\"search\" name=\"q\" "
               "dir=\"auto\" autofocus value=\"");
  vout_esc(o, q);
  vout_puts(o, "\" placeholder=\"");
  vout_esc(o, vmsg(rq->lang, M_QUERY_HINT));
  vout_puts(o, "\" aria-label=\"");
  vout_esc(o, vmsg(rq->lang, M_SEARCH));
  vout_puts(o, "\">\n<button type=\"submit\">");
  vout_esc(o, vmsg(rq->lang, M_SEARCH));
  vout_puts(o, "</button>\n</form>\n");
}

static void search_hit(vout *o, const vreq *rq, const index_hit *h,
                       const char *q)
{
  vout_printf(o, "<li class=\"hit\">\n<p class=\"hit-head\">"
                 "<a class=\"doc\" href=\"/document/%lld?q=",
              (long long)h->doc_id);
  vout_urlenc(o, q);
  vout_puts(o, "\" dir=\"auto\">");
  vout_esc(o, h->source);
  vout_puts(o, "</a> <span class=\"doc-type\">");
  vout_esc(o, vlang_doc_type(rq->lang, h->doc_type));
  vout_puts(o, "</span> <span class=\"file-no\">");
  vout_esc(o, vmsg(rq->lang, M_FILE_NO));
  vout_puts(o, ": ");
  vout_esc(o, h->file_no);
  vout_puts(o, "</span></p>\n<p class=\"snippet\" dir=\"auto\">");
  vout_snippet(o, h->snippet);
  vout_puts(o, "</p>\n</li>\n");
}

/* The worker a hit belongs to, "" when none is linked. */
static const char *hit_worker(const index_hit *h)
{
  return h->worker_ssn && is_number(h->worker_ssn) ? h->worker_ssn : "";
}

static void group_head(vout *o, const vreq *rq, const index_hit *h)
{
  const char *ssn = hit_worker(h);
  vout_puts(o, "<li class=\"worker-group\">\n<h3>");
  if(!*ssn) {
    vout_esc(o, vmsg(rq->lang, M_NO_WORKER));
  } else {
    vout_puts(o, "<a class=\"worker\" href=\"/worker/");
    vout_urlenc(o, ssn);
    vout_puts(o, "\"><bdi>");
    vout_esc(o, h->worker_name ? h->worker_name : ssn);
    vout_puts(o, "</bdi></a> <bdi class=\"number\">");
    vout_esc(o, ssn);
    vout_puts(o, "</bdi>");
  }
  vout_puts(o, "</h3>\n<ol class=\"hits\">\n");
}

/* Results grouped by worker: groups in the order of their best hit, hits
 * best first inside a group, documents with no worker last. */
static void search_groups(vout *o, const vreq *rq, const index_hit *hits,
                          size_t n, const char *q)
{
  unsigned char *done = calloc(n ? n : 1, 1);
  size_t i, j;
  int pass;
  if(!done) {
    o->err = DAFTAR_ENOMEM;
    return;
  }
  vout_puts(o, "<ol class=\"groups\">\n");
  for(pass = 0; pass < 2; pass++) {
    for(i = 0; i < n; i++) {
      const char *w = hit_worker(&hits[i]);
      if(done[i] || (pass == 0) != (*w != '\0'))
        continue;
      group_head(o, rq, &hits[i]);
      for(j = i; j < n; j++) {
        if(done[j] || strcmp(hit_worker(&hits[j]), w))
          continue;
        search_hit(o, rq, &hits[j], q);
        done[j] = 1;
      }
      vout_puts(o, "</ol>\n</li>\n");
    }
  }
  vout_puts(o, "</ol>\n");
  free(done);
}

static void search_paging(vout *o, const vreq *rq, const viewer_query *sq,
                          size_t n)
{
  if(sq->offset == 0 && n < (size_t)sq->limit)
    return;
  vout_puts(o, "<nav class=\"paging\">");
  if(sq->offset > 0) {
    int prev = sq->offset > sq->limit ? sq->offset - sq->limit : 0;
    vout_puts(o, "<a rel=\"prev\" href=\"/?q=");
    vout_urlenc(o, sq->q);
    vout_printf(o, "&amp;offset=%d\">", prev);
    vout_esc(o, vmsg(rq->lang, M_PREV));
    vout_puts(o, "</a> ");
  }
  if(n == (size_t)sq->limit && sq->offset + sq->limit <= VIEWER_OFFSET_MAX) {
    vout_puts(o, "<a rel=\"next\" href=\"/?q=");
    vout_urlenc(o, sq->q);
    vout_printf(o, "&amp;offset=%d\">", sq->offset + sq->limit);
    vout_esc(o, vmsg(rq->lang, M_NEXT));
    vout_puts(o, "</a>");
  }
  vout_puts(o, "</nav>\n");
}

void page_search(vreq *rq, vresp *r)
{
  viewer_query sq;
  index_hit *hits = NULL;
  size_t n = 0;
  vout o;
  int rc;

  if(viewer_search_params(rq, &sq)) {
    vresp_html_error(r, rq, MHD_HTTP_BAD_REQUEST);
    return;
  }
  rc = viewer_search_run(rq, &sq, &hits, &n);
  if(rc && !(rc == DAFTAR_EINVAL && sq.why[0])) {
    vresp_html_error(r, rq, viewer_status_of(rc));
    return;
  }
  vout_init(&o);
  vout_puts(&o, "<h1>");
  vout_esc(&o, vmsg(rq->lang, M_SEARCH));
  vout_puts(&o, "</h1>\n");
  search_form(&o, rq, sq.q);
  if(rc) { /* refused by the index: the form again, with the reason */
    vout_puts(&o, "<p class=\"error\" role=\"alert\">");
    vout_esc(&o, vmsg(rq->lang, M_QUERY_REFUSED));
    vout_puts(&o, ": <span lang=\"en\" dir=\"ltr\">");
    vout_esc(&o, sq.why);
    vout_puts(&o, "</span></p>\n");
    viewer_html_finish(rq, r, MHD_HTTP_BAD_REQUEST,
                       vmsg(rq->lang, M_SEARCH), &o);
    return;
  }
  if(*sq.q) {
    vout_puts(&o, "<section class=\"results\">\n<h2>");
    vout_esc(&o, vmsg(rq->lang, M_RESULTS));
    vout_puts(&o, "</h2>\n");
    if(n == 0) {
      vout_puts(&o, "<p class=\"empty\">");
      vout_esc(&o, vmsg(rq->lang, M_NO_RESULTS));
      vout_puts(&o, "</p>\n");
    } else {
      search_groups(&o, rq, hits, n, sq.q);
    }
    search_paging(&o, rq, &sq, n);
    vout_puts(&o, "</section>\n");
  }
  index_hits_free(hits, n);
  viewer_html_finish(rq, r, MHD_HTTP_OK, vmsg(rq->lang, M_SEARCH), &o);
}

/* ---- worker ---------------------------------------------------------------- */

/* A name variant is a string, or an object with "name"/"value". */
static const char *variant_text(const vjson *v)
{
  if(v->type == VJ_STR)
    return v->str;
  if(v->type == VJ_OBJ)
    return vjson_str(v, "name") ? vjson_str(v, "name")
                                : vjson_str(v, "value");
  return NULL;
}

static void worker_identity(vout *o, const vreq *rq, const vjson *w)
{
  const vjson *names = vjson_get(w, "names"), *v;
  vout_puts(o, "<section class=\"identity\">\n<h2>");
  vout_esc(o, vmsg(rq->lang, M_IDENTITY));
  vout_puts(o, "</h2>\n<dl>\n");
  put_dl_row(o, vlang_field(rq->lang, "worker_name"), vjson_str(w, "name"),
             "name");
  put_dl_row(o, vlang_field(rq->lang, "worker_ssn"), vjson_str(w, "ssn"),
             "number");
  put_dl_row(o, vlang_field(rq->lang, "national_id"),
             vjson_str(w, "national_id"), "number");
  put_dl_row(o, vlang_field(rq->lang, "mother_name"),
             vjson_str(w, "mother_name"), "name");
  put_dl_row(o, vlang_field(rq->lang, "birth_date"),
             vjson_str(w, "birth_date"), "date");
  vout_puts(o, "</dl>\n");
  if(names && names->type == VJ_ARR && names->child) {
    vout_puts(o, "<h3>");
    vout_esc(o, vmsg(rq->lang, M_NAME_VARIANTS));
    vout_puts(o, "</h3>\n<ul class=\"names\">\n");
    for(v = names->child; v; v = v->next) {
      const char *t = variant_text(v);
      if(!t)
        continue;
      vout_puts(o, "<li dir=\"auto\">");
      vout_esc(o, t);
      vout_puts(o, "</li>\n");
    }
    vout_puts(o, "</ul>\n");
  }
  vout_puts(o, "</section>\n");
}

static void table_head(vout *o, const vreq *rq, const enum vmsg *msgs,
                       size_t nmsgs, const char *const *fields, size_t nf)
{
  size_t i;
  vout_puts(o, "<thead><tr>");
  for(i = 0; i < nmsgs; i++) {
    vout_puts(o, "<th>");
    vout_esc(o, vmsg(rq->lang, msgs[i]));
    vout_puts(o, "</th>");
  }
  for(i = 0; i < nf; i++) {
    vout_puts(o, "<th>");
    vout_esc(o, vlang_field(rq->lang, fields[i]));
    vout_puts(o, "</th>");
  }
  vout_puts(o, "</tr></thead>\n");
}

static void worker_documents(vout *o, const vreq *rq, const vjson *w)
{
  static const enum vmsg head[] = {M_DOCUMENT, M_DOC_TYPE, M_LINKED_BY};
  static const char *const cols[] = {"employer_name", "start_date",
                                     "end_date", "monthly_wage"};
  const vjson *docs = vjson_get(w, "documents"), *d;
  size_t i;
  vout_puts(o, "<section class=\"documents\">\n<h2>");
  vout_esc(o, vmsg(rq->lang, M_DOCUMENTS));
  vout_puts(o, "</h2>\n<table class=\"history\">\n");
  table_head(o, rq, head, sizeof(head) / sizeof(head[0]), cols,
             sizeof(cols) / sizeof(cols[0]));
  vout_puts(o, "<tbody>\n");
  for(d = docs && docs->type == VJ_ARR ? docs->child : NULL; d; d = d->next) {
    const char *id = vjson_str(d, "id");
    int64_t did;
    vout_puts(o, "<tr><td>");
    if(id && !viewer_parse_id(id, strlen(id), &did))
      vout_printf(o, "<a href=\"/document/%lld\" dir=\"auto\">",
                  (long long)did);
    else
      vout_puts(o, "<a dir=\"auto\">");
    vout_esc(o, vjson_str(d, "source"));
    vout_puts(o, "</a></td><td>");
    vout_esc(o, vlang_doc_type(rq->lang, vjson_str(d, "doc_type")));
    /* Why it is linked; the score's explanation on hover. */
    vout_puts(o, "</td><td class=\"linked_by\"");
    if(vjson_str(d, "link_explain")) {
      vout_puts(o, " title=\"");
      vout_esc(o, vjson_str(d, "link_explain"));
      vout_puts(o, "\"");
    }
    vout_puts(o, " dir=\"auto\">");
    vout_esc(o, vlang_link_rule(rq->lang, vjson_str(d, "linked_by")));
    vout_puts(o, "</td>");
    for(i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
      vout_printf(o, "<td class=\"%s\" dir=\"auto\">", cols[i]);
      vout_esc(o, vjson_str(d, cols[i]));
      vout_puts(o, "</td>");
    }
    vout_puts(o, "</tr>\n");
  }
  vout_puts(o, "</tbody>\n</table>\n</section>\n");
}

void page_worker(vreq *rq, vresp *r, const char *number)
{
  vout json, o;
  vjson *w = NULL;
  const char *name;
  int rc;

  vout_init(&json);
  rc = viewer_worker_json(rq, number, &json);
  if(!rc)
    rc = vjson_parse(json.b.data ? json.b.data : "", json.b.len, &w);
  if(!rc && viewer_masks_ids(rq))
    rc = viewer_mask_tree(w);
  vout_free(&json);
  if(rc) {
    vjson_free(w); /* NULL unless masking failed */
    vresp_html_error(r, rq, viewer_status_of(rc == DAFTAR_EINVAL
                                                  ? DAFTAR_EDB : rc));
    return;
  }
  vout_init(&o);
  name = vjson_str(w, "name");
  vout_puts(&o, "<h1><span class=\"kind\">");
  vout_esc(&o, vmsg(rq->lang, M_WORKER));
  vout_puts(&o, "</span> <bdi>");
  vout_esc(&o, name ? name : number);
  vout_puts(&o, "</bdi></h1>\n");
  worker_identity(&o, rq, w);
  worker_timeline(&o, rq, w);
  worker_documents(&o, rq, w);
  viewer_html_finish(rq, r, MHD_HTTP_OK, name ? name : vmsg(rq->lang, M_WORKER), &o);
  vjson_free(w);
}

/* ---- document ---------------------------------------------------------------- */

/* Fields come as an object keyed by name, or as an array of objects with
 * "name"; doc_field_next walks either. */
static const vjson *doc_field_first(const vjson *doc)
{
  const vjson *f = vjson_get(doc, "fields");
  return f && (f->type == VJ_OBJ || f->type == VJ_ARR) ? f->child : NULL;
}

static const char *doc_field_name(const vjson *f)
{
  return f->key ? f->key : vjson_str(f, "name");
}

/* The bbox of a field as four ints; 0 when it has none. */
static int field_box(const vjson *f, daftar_box *b)
{
  const vjson *bb = vjson_get(f, "bbox"), *v;
  double c[4];
  int i = 0;
  if(!bb || bb->type != VJ_ARR)
    return 0;
  for(v = bb->child; v && i < 4; v = v->next) {
    if(v->type != VJ_NUM)
      return 0;
    c[i++] = v->num;
  }
  if(i != 4 || c[2] <= c[0] || c[3] <= c[1] || c[0] < 0 || c[1] < 0)
    return 0;
  b->x0 = (int)c[0];
  b->y0 = (int)c[1];
  b->x1 = (int)c[2];
  b->y1 = (int)c[3];
  return 1;
}

static const vjson *doc_page(const vjson *doc, long n)
{
  const vjson *pages = vjson_get(doc, "pages"), *p;
  for(p = pages && pages->type == VJ_ARR ? pages->child : NULL; p; p = p->next)
    if((long)vjson_num(p, "n", 0) == n)
      return p;
  return NULL;
}

/* The linked worker: the record's "worker" object, else the worker_ssn
 * field.  Writes a <dt>/<dd> pair with a link, or nothing. */
static void doc_worker_link(vout *o, const vreq *rq, const vjson *doc)
{
  const vjson *w = vjson_get(doc, "worker"), *f;
  const char *ssn = vjson_str(w, "ssn"), *name = vjson_str(w, "name");
  for(f = doc_field_first(doc); !ssn && f; f = f->next) {
    const char *fname = doc_field_name(f);
    if(fname && !strcmp(fname, "worker_ssn"))
      ssn = vjson_str(f, "value");
  }
  if(!is_number(ssn))
    return;
  vout_puts(o, "<dt>");
  vout_esc(o, vmsg(rq->lang, M_WORKER));
  vout_puts(o, "</dt><dd><a class=\"worker\" href=\"/worker/");
  vout_urlenc(o, ssn);
  vout_puts(o, "\"><bdi>");
  vout_esc(o, name ? name : ssn);
  vout_puts(o, "</bdi></a> <bdi class=\"number\">");
  vout_esc(o, ssn);
  vout_puts(o, "</bdi></dd>\n");
}

static void doc_record(vout *o, const vreq *rq, const vjson *doc)
{
  vout_puts(o, "<dl class=\"record\">\n");
  doc_worker_link(o, rq, doc);
  put_dl_row(o, vmsg(rq->lang, M_SOURCE), vjson_str(doc, "source"), "source");
  put_dl_row(o, vmsg(rq->lang, M_FILE_NO), vjson_str(doc, "file_no"),
             "number");
  put_dl_row(o, vmsg(rq->lang, M_DOC_TYPE),
             vlang_doc_type(rq->lang, vjson_str(doc, "doc_type")), "type");
  put_dl_row(o, vmsg(rq->lang, M_BATCH),
             vjson_str(doc, "batch") ? vjson_str(doc, "batch")
                                     : vjson_str(doc, "batch_label"),
             "batch");
  vout_puts(o, "</dl>\n");
}

static void doc_page_nav(vout *o, const vreq *rq, int64_t id, long count,
                         long cur)
{
  const char *q = vreq_arg(rq, "q");
  long n;
  if(count <= 1)
    return;
  vout_puts(o, "<nav class=\"pages\" aria-label=\"");
  vout_esc(o, vmsg(rq->lang, M_PAGES));
  vout_puts(o, "\">");
  for(n = 1; n <= count && n <= VIEWER_PAGE_MAX; n++) {
    vout_printf(o, "<a href=\"/document/%lld?page=%ld", (long long)id, n);
    if(q && *q) {
      vout_puts(o, "&amp;q=");
      vout_urlenc(o, q);
    }
    vout_printf(o, "\"%s>%ld</a> ", n == cur ? " aria-current=\"page\"" : "",
                n);
  }
  vout_puts(o, "</nav>\n");
}

/* The page image with the fields of this page drawn over it. */
static void doc_figure(vout *o, const vreq *rq, const vjson *doc, int64_t id,
                       long n, const vjson *page)
{
  long w = page ? (long)vjson_num(page, "width", 0) : 0;
  long h = page ? (long)vjson_num(page, "height", 0) : 0;
  const vjson *f;

  vout_puts(o, "<figure class=\"page-view\">\n<div class=\"page-frame\">\n");
  vout_printf(o, "<img class=\"page-image\" src=\"/api/documents/%lld/pages/"
                 "%ld.png\" alt=\"",
              (long long)id, n);
  vout_esc(o, vmsg(rq->lang, M_PAGE_IMAGE));
  vout_printf(o, " %ld\"", n);
  if(w > 0 && h > 0)
    vout_printf(o, " width=\"%ld\" height=\"%ld\"", w, h);
  vout_puts(o, ">\n");
  if(w > 0 && h > 0) {
    vout_printf(o, "<svg class=\"boxes\" viewBox=\"0 0 %ld %ld\" "
                   "preserveAspectRatio=\"none\" aria-hidden=\"true\">\n",
                w, h);
    for(f = doc_field_first(doc); f; f = f->next) {
      const char *name = doc_field_name(f);
      daftar_box b;
      if(!name || (long)vjson_num(f, "page", 0) != n || !field_box(f, &b))
        continue;
      vout_printf(o, "<rect class=\"box\" x=\"%d\" y=\"%d\" width=\"%d\" "
                     "height=\"%d\" data-field=\"",
                  b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
      vout_esc(o, name);
      vout_puts(o, "\"><title>");
      vout_esc(o, vlang_field(rq->lang, name));
      vout_puts(o, "</title></rect>\n");
    }
    vout_puts(o, "</svg>\n");
  }
  vout_puts(o, "</div>\n<figcaption><button type=\"button\" "
               "class=\"zoom\">");
  vout_esc(o, vmsg(rq->lang, M_ZOOM));
  vout_puts(o, "</button> ");
  vout_esc(o, vmsg(rq->lang, M_PAGE));
  vout_printf(o, " %ld</figcaption>\n</figure>\n", n);
}

static const vjson *doc_field_find(const vjson *doc, const char *name)
{
  const vjson *f;
  for(f = doc_field_first(doc); f; f = f->next) {
    const char *n = doc_field_name(f);
    if(n && !strcmp(n, name))
      return f;
  }
  return NULL;
}

/* What settled the value from other documents, when the index did: the
 * message saying so (rule ending "+employer" or "+worker", the page's
 * reading in old_value; docs/INDEX.md), else -1. */
static int field_settled(const vjson *f)
{
  static const struct {
    const char *mark;
    int msg;
  } by[] = {{"+employer", M_SETTLED}, {"+worker", M_SETTLED_WORKER}};
  const char *rule = f ? vjson_str(f, "rule") : NULL;
  size_t n = rule ? strlen(rule) : 0;

  for(size_t i = 0; rule && i < sizeof(by) / sizeof(by[0]); i++) {
    size_t m = strlen(by[i].mark);
    if(n >= m && strcmp(rule + n - m, by[i].mark) == 0 &&
       vjson_str(f, "old_value"))
      return by[i].msg;
  }
  return -1;
}

/* The value cell: text, or for archivists a form that corrects it, and
 * what the page reads when the value is not the page's reading. */
static void field_value_cell(vout *o, const vreq *rq, int64_t id,
                             const char *name, const vjson *f)
{
  const vjson *locked = f ? vjson_get(f, "locked") : NULL;
  int is_locked = locked && locked->type == VJ_TRUE;
  const char *value = f ? vjson_str(f, "value") : NULL;
  int settled;
  vout_puts(o, "<td class=\"value\" dir=\"auto\">");
  if(auth_may_correct(rq)) {
    vout_printf(o, "<form class=\"correct\" method=\"post\" "
                   "action=\"/document/%lld/fields/", (long long)id);
    vout_esc(o, name);
    vout_puts(o, "\"><input type=\"hidden\" name=\"csrf\" value=\"");
    vout_esc(o, rq->session.csrf);
    vout_puts(o, "\"><input name=\"value\" dir=\"auto\" value=\"");
    vout_esc(o, value);
    vout_puts(o, "\" aria-label=\"");
    vout_esc(o, vlang_field(rq->lang, name));
    vout_puts(o, "\"><button type=\"submit\">✓</button></form>");
  } else {
    vout_esc(o, value);
  }
  if(is_locked) {
    vout_puts(o, " <small class=\"lock\">");
    vout_esc(o, vmsg(rq->lang, M_LOCKED));
    vout_puts(o, "</small>");
  } else if((settled = field_settled(f)) >= 0) {
    /* A register showed its name: say what the page reads. */
    vout_puts(o, " <small class=\"settled\" title=\"");
    vout_esc(o, vmsg(rq->lang, (enum vmsg)settled));
    vout_puts(o, "\">");
    vout_esc(o, vmsg(rq->lang, M_READ_AS));
    vout_puts(o, " <bdi>");
    vout_esc(o, vjson_str(f, "old_value"));
    vout_puts(o, "</bdi></small>");
  }
  vout_puts(o, "</td>");
}

static void field_row(vout *o, const vreq *rq, int64_t id, const char *name,
                      const vjson *f)
{
  const vjson *locked = f ? vjson_get(f, "locked") : NULL;
  vout_puts(o, "<tr data-field=\"");
  vout_esc(o, name);
  vout_printf(o, "\"%s><th scope=\"row\">",
              locked && locked->type == VJ_TRUE ? " class=\"locked\"" : "");
  vout_esc(o, vlang_field(rq->lang, name));
  vout_puts(o, "</th>");
  field_value_cell(o, rq, id, name, f);
  if(f)
    vout_printf(o, "<td class=\"conf\">%.0f</td><td>%ld</td></tr>\n",
                vjson_num(f, "confidence", 0), (long)vjson_num(f, "page", 0));
  else
    vout_puts(o, "<td></td><td></td></tr>\n");
}

static void doc_fields(vout *o, const vreq *rq, const vjson *doc, int64_t id)
{
  static const enum vmsg head[] = {M_FIELD, M_VALUE, M_CONFIDENCE, M_PAGE};
  static const char *const all[] = {DAFTAR_FIELD_NAMES};
  const vjson *f = doc_field_first(doc);
  size_t i;
  vout_puts(o, "<section class=\"fields\">\n<h2>");
  vout_esc(o, vmsg(rq->lang, M_FIELDS));
  vout_puts(o, "</h2>\n");
  if(!f && !auth_may_correct(rq)) {
    vout_puts(o, "<p class=\"empty\">");
    vout_esc(o, vmsg(rq->lang, M_NO_FIELDS));
    vout_puts(o, "</p>\n</section>\n");
    return;
  }
  vout_puts(o, "<table class=\"field-list\">\n");
  table_head(o, rq, head, sizeof(head) / sizeof(head[0]), NULL, 0);
  vout_puts(o, "<tbody>\n");
  if(auth_may_correct(rq)) {
    /* every field of the contract, so a missing one can be filled in */
    for(i = 0; i < DAFTAR_NFIELD_NAMES; i++)
      field_row(o, rq, id, all[i], doc_field_find(doc, all[i]));
  } else {
    for(; f; f = f->next)
      if(doc_field_name(f))
        field_row(o, rq, id, doc_field_name(f), f);
  }
  vout_puts(o, "</tbody>\n</table>\n</section>\n");
}

/* 1 when the folded key of word (n bytes) is one of the query's keys
 * (space-separated in keys). */
static int word_matches(const char *word, size_t n, const char *keys)
{
  dbuf k = DBUF_INIT;
  const char *p = keys;
  int hit = 0;
  if(!*keys || text_norm_key(word, n, &k) || !k.len) {
    dbuf_free(&k);
    return 0;
  }
  while(*p && !hit) {
    const char *sp = strchr(p, ' ');
    size_t len = sp ? (size_t)(sp - p) : strlen(p);
    hit = len == k.len && !memcmp(p, k.data, len);
    p = sp ? sp + 1 : p + len;
  }
  dbuf_free(&k);
  return hit;
}

/* The recognized text, escaped, with words the query asked for marked
 * (compared through text_norm_key, the same folding search uses). */
static void put_text_marked(vout *o, const char *text, const char *q)
{
  dbuf keys = DBUF_INIT;
  size_t i = 0, n = strlen(text), run = 0;
  if(!q || !*q || text_norm_key(q, strlen(q), &keys) || !keys.len) {
    dbuf_free(&keys);
    vout_esc(o, text);
    return;
  }
  while(i < n) {
    size_t adv, j;
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    if(!text_is_word_char(cp)) {
      i += adv;
      continue;
    }
    for(j = i + adv; j < n; j += adv) {
      cp = utf8_decode(text + j, n - j, &adv);
      if(!text_is_word_char(cp))
        break;
    }
    if(word_matches(text + i, j - i, keys.data)) {
      vout_escn(o, text + run, i - run);
      vout_puts(o, "<mark>");
      vout_escn(o, text + i, j - i);
      vout_puts(o, "</mark>");
      run = j;
    }
    i = j;
  }
  vout_escn(o, text + run, n - run);
  dbuf_free(&keys);
}

static void doc_text(vout *o, const vreq *rq, const vjson *page)
{
  const char *text = page ? vjson_str(page, "text") : NULL;
  vout_puts(o, "<section class=\"text\">\n<h2>");
  vout_esc(o, vmsg(rq->lang, M_TEXT));
  vout_puts(o, "</h2>\n");
  if(text && *text) {
    vout_puts(o, "<div class=\"ocr-text\" dir=\"rtl\" lang=\"ar\">");
    put_text_marked(o, text, vreq_arg(rq, "q"));
    vout_puts(o, "</div>\n");
  } else {
    vout_puts(o, "<p class=\"empty\">");
    vout_esc(o, vmsg(rq->lang, M_NO_TEXT));
    vout_puts(o, "</p>\n");
  }
  vout_puts(o, "</section>\n");
}

void page_document(vreq *rq, vresp *r, int64_t id)
{
  const char *page_arg = vreq_arg(rq, "page");
  const char *source;
  vout json, o;
  vjson *doc = NULL;
  long n = 1, count;
  int rc;

  if(page_arg && viewer_parse_int(page_arg, 1, VIEWER_PAGE_MAX, &n)) {
    vresp_html_error(r, rq, MHD_HTTP_BAD_REQUEST);
    return;
  }
  vout_init(&json);
  rc = viewer_document_json(rq, id, &json);
  if(!rc)
    rc = vjson_parse(json.b.data ? json.b.data : "", json.b.len, &doc);
  if(!rc && viewer_masks_ids(rq))
    rc = viewer_mask_tree(doc);
  vout_free(&json);
  if(rc) {
    vjson_free(doc); /* NULL unless masking failed */
    vresp_html_error(r, rq, viewer_status_of(rc == DAFTAR_EINVAL
                                                  ? DAFTAR_EDB : rc));
    return;
  }
  count = (long)vjson_num(doc, "page_count", 0);
  if(count <= 0) {
    const vjson *pages = vjson_get(doc, "pages"), *p;
    for(p = pages ? pages->child : NULL; p; p = p->next)
      count++;
  }
  if(n > count && count > 0) {
    vjson_free(doc);
    vresp_html_error(r, rq, MHD_HTTP_NOT_FOUND);
    return;
  }
  source = vjson_str(doc, "source");
  vout_init(&o);
  vout_puts(&o, "<h1><span class=\"kind\">");
  vout_esc(&o, vmsg(rq->lang, M_DOCUMENT));
  vout_puts(&o, "</span> <bdi>");
  vout_esc(&o, source);
  vout_puts(&o, "</bdi></h1>\n");
  doc_record(&o, rq, doc);
  doc_page_nav(&o, rq, id, count, n);
  vout_puts(&o, "<div class=\"doc-layout\">\n");
  doc_figure(&o, rq, doc, id, n, doc_page(doc, n));
  vout_puts(&o, "<div class=\"doc-side\">\n");
  doc_fields(&o, rq, doc, id);
  doc_text(&o, rq, doc_page(doc, n));
  vout_puts(&o, "</div>\n</div>\n");
  viewer_html_finish(rq, r, MHD_HTTP_OK, source ? source : vmsg(rq->lang, M_DOCUMENT),
              &o);
  vjson_free(doc);
}

/* ---- login ------------------------------------------------------------------ */

void page_login(vreq *rq, vresp *r, unsigned status, enum vmsg note)
{
  vout o;
  vout_init(&o);
  vout_puts(&o, "<h1>");
  vout_esc(&o, vmsg(rq->lang, M_LOGIN));
  vout_puts(&o, "</h1>\n");
  if(note != M_COUNT) {
    vout_printf(&o, "<p class=\"%s\" role=\"alert\">",
                status == MHD_HTTP_OK ? "note" : "error");
    vout_esc(&o, vmsg(rq->lang, note));
    if(note == M_NO_ACCOUNTS)
      vout_puts(&o, " <code dir=\"ltr\">daftar user add NAME --role "
                    "admin</code>");
    vout_puts(&o, "</p>\n");
  }
  vout_puts(&o, "<form class=\"login\" action=\"/login\" method=\"post\">\n"
                "<label>");
  vout_esc(&o, vmsg(rq->lang, M_USER));
  vout_printf(&o, " <input name=\"user\" autocomplete=\"username\" required "
                  "maxlength=\"%d\" dir=\"auto\"></label>\n<label>",
              VIEWER_USER_NAME_MAX);
  vout_esc(&o, vmsg(rq->lang, M_PASSWORD));
  vout_puts(&o, " <input name=\"password\" type=\"password\" "
                "autocomplete=\"current-password\" required></label>\n"
                "<button type=\"submit\">");
  vout_esc(&o, vmsg(rq->lang, M_LOGIN));
  vout_puts(&o, "</button>\n</form>\n");
  viewer_html_finish(rq, r, status, vmsg(rq->lang, M_LOGIN), &o);
}
