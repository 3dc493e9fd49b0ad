/* api.c - the JSON API and the built-in assets.
 *
 * The JSON bodies are exactly what index/ writes (the search results are
 * the objects of `daftar search --json`), so the CLI, the API and the pages
 * agree by construction. */
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define ASSET_CACHE "public, max-age=3600"

unsigned viewer_status_of(int rc)
{
  switch(rc) {
  case DAFTAR_ENOTFOUND: return MHD_HTTP_NOT_FOUND;
  case DAFTAR_EINVAL:
  case DAFTAR_EREFUSED: return MHD_HTTP_BAD_REQUEST;
  default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

int viewer_search_params(const vreq *rq, viewer_query *sq)
{
  const char *limit = vreq_arg(rq, "limit");
  const char *offset = vreq_arg(rq, "offset");
  long v;

  sq->q = vreq_arg(rq, "q");
  sq->why[0] = '\0';
  sq->limit = VIEWER_RESULTS_DEFAULT;
  sq->offset = 0;
  if(!sq->q)
    sq->q = "";
  if(strlen(sq->q) > VIEWER_QUERY_MAX || !utf8_valid(sq->q, strlen(sq->q)))
    return DAFTAR_EINVAL;
  if(limit) {
    if(viewer_parse_int(limit, 1, VIEWER_RESULTS_MAX, &v))
      return DAFTAR_EINVAL;
    sq->limit = (int)v;
  }
  if(offset) {
    if(viewer_parse_int(offset, 0, VIEWER_OFFSET_MAX, &v))
      return DAFTAR_EINVAL;
    sq->offset = (int)v;
  }
  return DAFTAR_OK;
}

int viewer_search_run(vreq *rq, viewer_query *sq, index_hit **hits,
                      size_t *n)
{
  struct index_db *db;
  const char *p;
  int rc;

  *hits = NULL;
  *n = 0;
  for(p = sq->q; *p == ' '; p++)
    ;
  if(!*p)
    return DAFTAR_OK; /* an empty box: nothing asked, nothing found */
  db = viewer_thread_db(rq);
  if(!db)
    return DAFTAR_EDB;
  rc = auth_read_begin(rq);
  if(rc)
    return rc;
  rc = index_search(db, sq->q, sq->limit, sq->offset, hits, n);
  if(rc == DAFTAR_EINVAL)
    snprintf(sq->why, sizeof(sq->why), "%s", index_errmsg(db));
  else if(rc)
    daftar_log(DLOG_ERROR, "viewer: search failed: %s", index_errmsg(db));
  rc = auth_read_end(rq, rc, "search", NULL, sq->q);
  if(!rc && viewer_masks_ids(rq))
    rc = viewer_mask_hits(*hits, *n);
  if(rc && *hits) {
    index_hits_free(*hits, *n);
    *hits = NULL;
    *n = 0;
  }
  return rc;
}

void api_search(vreq *rq, vresp *r)
{
  viewer_query sq;
  index_hit *hits;
  size_t n;
  vout o;
  int rc;

  if(viewer_search_params(rq, &sq)) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad query parameters");
    return;
  }
  rc = viewer_search_run(rq, &sq, &hits, &n);
  if(rc) {
    vresp_json_error(r, viewer_status_of(rc),
                     rc == DAFTAR_EINVAL && sq.why[0] ? sq.why
                                                      : "search failed");
    return;
  }
  vout_init(&o);
  o.err = index_hits_json(hits, n, &o.b);
  index_hits_free(hits, n);
  vresp_take(r, MHD_HTTP_OK, JSON_TYPE, &o);
}

/* Shared by the worker and document routes: one index call into JSON. */
static void api_reply(vresp *r, int rc, vout *o)
{
  if(rc) {
    vout_free(o);
    vresp_json_error(r, viewer_status_of(rc),
                     rc == DAFTAR_ENOTFOUND ? "not found" : "lookup failed");
    return;
  }
  vresp_take(r, MHD_HTTP_OK, JSON_TYPE, o);
}

int viewer_worker_json(vreq *rq, const char *number, vout *o)
{
  struct index_db *db = viewer_thread_db(rq);
  int rc;
  if(!db)
    return DAFTAR_EDB;
  rc = auth_read_begin(rq);
  if(rc)
    return rc;
  rc = index_worker_json(db, number, &o->b);
  if(rc && rc != DAFTAR_ENOTFOUND)
    daftar_log(DLOG_ERROR, "viewer: worker lookup failed: %s",
               index_errmsg(db));
  rc = auth_read_end(rq, rc, "view_worker", number, NULL);
  return rc;
}

int viewer_document_json(vreq *rq, int64_t id, vout *o)
{
  char ids[24];
  struct index_db *db = viewer_thread_db(rq);
  int rc;
  if(!db)
    return DAFTAR_EDB;
  rc = auth_read_begin(rq);
  if(rc)
    return rc;
  rc = index_document_json(db, id, &o->b);
  if(rc && rc != DAFTAR_ENOTFOUND)
    daftar_log(DLOG_ERROR, "viewer: document %lld lookup failed: %s",
               (long long)id, index_errmsg(db));
  snprintf(ids, sizeof(ids), "%lld", (long long)id);
  rc = auth_read_end(rq, rc, "view_document", ids, NULL);
  return rc;
}

void api_worker(vreq *rq, vresp *r, const char *number)
{
  vout o;
  int rc;
  vout_init(&o);
  rc = viewer_worker_json(rq, number, &o);
  if(!rc && viewer_masks_ids(rq))
    rc = viewer_mask_json(&o.b);
  api_reply(r, rc, &o);
}

void api_document(vreq *rq, vresp *r, int64_t id)
{
  vout o;
  int rc;
  vout_init(&o);
  rc = viewer_document_json(rq, id, &o);
  if(!rc && viewer_masks_ids(rq))
    rc = viewer_mask_json(&o.b);
  api_reply(r, rc, &o);
}

/* ---- assets ----------------------------------------------------------------- */

const viewer_asset *viewer_asset_find(const char *name)
{
  size_t i;
  for(i = 0; i < viewer_nassets; i++)
    if(!strcmp(viewer_assets[i].name, name))
      return &viewer_assets[i];
  return NULL;
}

static const char *asset_type(const char *name)
{
  const char *dot = strrchr(name, '.');
  if(!dot)
    return NULL;
  if(!strcmp(dot, ".js"))
    return "text/javascript; charset=utf-8";
  if(!strcmp(dot, ".css"))
    return "text/css; charset=utf-8";
  if(!strcmp(dot, ".svg"))
    return "image/svg+xml";
  return NULL; /* templates (.html) are not served as files */
}

void asset_serve(vreq *rq, vresp *r, const char *name)
{
  const viewer_asset *a = viewer_asset_find(name);
  const char *type = asset_type(name);
  if(!a || !type) {
    vresp_html_error(r, rq, MHD_HTTP_NOT_FOUND);
    return;
  }
  r->status = MHD_HTTP_OK;
  r->ctype = type;
  r->cache = ASSET_CACHE;
  r->body = (unsigned char *)a->data;
  r->len = a->len;
  r->body_free = viewer_static_body;
}

void viewer_static_body(void *p)
{
  (void)p; /* compiled-in data: nothing to free */
}
