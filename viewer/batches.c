/* batches.c - GET /api/batches for operators: progress, counts, refusals.
 *
 * Batches and refusals say which files came in and which were refused and
 * why; they hold no record contents, which is why operators may see them. */
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

int auth_is_operator(const vreq *rq)
{
  return rq->session.active && !strcmp(rq->session.role, "operator");
}

static void put_str_member(vout *o, const char *key, const char *v)
{
  vout_puts(o, ", ");
  if(!o->err)
    o->err = json_put_key(&o->b, key);
  vout_puts(o, " ");
  if(!o->err)
    o->err = json_put_str(&o->b, v);
}

static void put_refusals(vout *o, struct index_db *db, int64_t batch_id)
{
  index_refusal *rf = NULL;
  size_t n = 0, i;
  if(index_refusal_list(db, batch_id, &rf, &n)) {
    o->err = DAFTAR_EDB;
    return;
  }
  vout_puts(o, ", \"refusals\": [");
  for(i = 0; i < n; i++) {
    vout_printf(o, "%s{\"id\": %lld", i ? ", " : "", (long long)rf[i].id);
    put_str_member(o, "source", rf[i].source);
    put_str_member(o, "reason", rf[i].reason);
    put_str_member(o, "at", rf[i].at);
    vout_puts(o, "}");
  }
  vout_puts(o, "]");
  index_refusals_free(rf, n);
}

void api_batches(vreq *rq, vresp *r)
{
  struct index_db *db = viewer_thread_db(rq);
  index_batch *b = NULL;
  size_t n = 0, i;
  vout o;

  if(!db || index_batch_list(db, &b, &n)) {
    vresp_json_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "batches unavailable");
    return;
  }
  vout_init(&o);
  vout_puts(&o, "{\"batches\": [");
  for(i = 0; i < n; i++) {
    vout_printf(&o, "%s{\"id\": %lld", i ? ", " : "", (long long)b[i].id);
    put_str_member(&o, "label", b[i].label);
    put_str_member(&o, "operator", b[i].operator_name);
    put_str_member(&o, "started", b[i].started);
    put_str_member(&o, "ended", b[i].ended);
    put_str_member(&o, "status", b[i].status);
    vout_printf(&o, ", \"files\": %lld, \"documents\": %lld, \"pages\": %lld,"
                    " \"bytes\": %lld, \"duplicates\": %lld, \"refused\": %lld,"
                    " \"skipped\": %lld",
                (long long)b[i].files, (long long)b[i].documents,
                (long long)b[i].pages, (long long)b[i].bytes,
                (long long)b[i].duplicates, (long long)b[i].refused,
                (long long)b[i].skipped);
    put_refusals(&o, db, b[i].id);
    vout_puts(&o, "}");
  }
  vout_puts(&o, "]}\n");
  index_batches_free(b, n);
  vresp_take(r, MHD_HTTP_OK, "application/json; charset=utf-8", &o);
}
