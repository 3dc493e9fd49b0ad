/* edit.c - archivists correct extracted fields.
 *
 * POST /api/documents/{id}/fields/{name} with JSON {"value": "..."} and the
 * X-CSRF-Token header, or the same path under /document/ as an HTML form
 * (fields value and csrf) from the document page.  The correction and its
 * audit row are one transaction: both land or neither does.  index/ keeps
 * the old value and locks the field against re-extraction. */
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define FIELD_VALUE_MAX 1024

int auth_may_correct(const vreq *rq)
{
  return rq->session.active && !strcmp(rq->session.role, "archivist");
}

/* The new value from a JSON body {"value": "..."}; 0 when found. */
static int json_value(const vreq *rq, char *out, size_t outlen)
{
  vjson *v = NULL;
  const vjson *val;
  int rc = -1;
  if(!rq->body || vjson_parse(rq->body, rq->body_len, &v))
    return -1;
  val = vjson_get(v, "value");
  if(val && val->type == VJ_STR && strlen(val->str) < outlen) {
    memcpy(out, val->str, strlen(val->str) + 1);
    rc = 0;
  }
  vjson_free(v);
  return rc;
}

static void correct_fail(vresp *r, const vreq *rq, int api, unsigned status,
                         const char *msg)
{
  if(api)
    vresp_json_error(r, status, msg);
  else
    vresp_html_error(r, rq, status);
}

/* Stores the correction and its audit row in one transaction. */
static int correct_store(vreq *rq, struct index_db *db, int64_t id,
                         const char *name, const char *value)
{
  char object[64];
  int rc = index_begin(db);
  if(rc)
    return rc;
  rc = index_field_correct(db, id, name, value, rq->session.user);
  if(!rc) {
    char addr[64];
    auth_client_address(rq, addr, sizeof(addr));
    snprintf(object, sizeof(object), "%lld/%s", (long long)id, name);
    /* The audit row names the field; the old value is kept by index/. */
    rc = index_audit_add(db, rq->session.user, "correct", object, NULL, addr);
  }
  if(rc) {
    daftar_log(DLOG_WARN, "viewer: correction refused: %s", index_errmsg(db));
    index_rollback(db);
    return rc;
  }
  return index_commit(db);
}

void field_correct(vreq *rq, vresp *r, int64_t id, const char *name, int api)
{
  char value[FIELD_VALUE_MAX + 1];
  struct index_db *db;
  int rc;

  if(!auth_may_correct(rq)) {
    correct_fail(r, rq, api, MHD_HTTP_FORBIDDEN, "forbidden");
    return;
  }
  if(!auth_csrf_ok(rq)) {
    correct_fail(r, rq, api, MHD_HTTP_FORBIDDEN, "missing or wrong CSRF token");
    return;
  }
  if(api ? json_value(rq, value, sizeof(value))
         : form_field(rq->body ? rq->body : "", "value", value, sizeof(value))) {
    correct_fail(r, rq, api, MHD_HTTP_BAD_REQUEST, "no value");
    return;
  }
  db = viewer_thread_db(rq);
  if(!db) {
    correct_fail(r, rq, api, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable");
    return;
  }
  rc = correct_store(rq, db, id, name, value);
  if(rc) {
    correct_fail(r, rq, api, viewer_status_of(rc),
                 rc == DAFTAR_EINVAL ? "value refused" : "correction failed");
    return;
  }
  if(api) {
    vout o;
    vout_init(&o);
    vout_printf(&o, "{\"document\": %lld, \"field\": ", (long long)id);
    if(!o.err)
      o.err = json_put_str(&o.b, name);
    vout_puts(&o, ", \"locked\": true}\n");
    vresp_take(r, MHD_HTTP_OK, "application/json; charset=utf-8", &o);
    return;
  }
  r->status = MHD_HTTP_SEE_OTHER;
  r->ctype = "text/plain; charset=utf-8";
  {
    char next[16];
    if(rq->body && !form_field(rq->body, "next", next, sizeof(next)) &&
       !strcmp(next, "review"))
      snprintf(r->location, sizeof(r->location), "/review");
    else
      snprintf(r->location, sizeof(r->location), "/document/%lld",
               (long long)id);
  }
}
