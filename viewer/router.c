/* router.c - from a request path to a handler.
 *
 * Paths are checked before any handler sees them: too long (414), control
 * bytes, backslashes, "..", or a %00 the decoder kept (400).  Ids and page
 * numbers are plain decimal with a digit ceiling, so a huge or non-numeric
 * id is a 400 and an id that merely does not exist a 404. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "viewer_int.h"

#define ROUTE_SEGMENTS_MAX 6
#define PNG_SUFFIX ".png"

typedef struct segment {
  const char *s;
  size_t n;
} segment;

int viewer_parse_int(const char *s, long min, long max, long *out)
{
  char *end;
  long v;
  size_t i, n;
  if(!s)
    return DAFTAR_EINVAL;
  n = strlen(s);
  if(n == 0 || n > 9)
    return DAFTAR_EINVAL;
  for(i = 0; i < n; i++)
    if(s[i] < '0' || s[i] > '9')
      return DAFTAR_EINVAL;
  errno = 0;
  v = strtol(s, &end, 10);
  if(errno || *end || v < min || v > max)
    return DAFTAR_EINVAL;
  *out = v;
  return DAFTAR_OK;
}

int viewer_parse_id(const char *s, size_t n, int64_t *out)
{
  int64_t v = 0;
  size_t i;
  if(n == 0 || n > VIEWER_ID_DIGITS_MAX)
    return DAFTAR_EINVAL;
  for(i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return DAFTAR_EINVAL;
    v = v * 10 + (s[i] - '0'); /* < 10^15: cannot overflow */
  }
  if(v < 1)
    return DAFTAR_EINVAL;
  *out = v;
  return DAFTAR_OK;
}

int viewer_parse_number(const char *s, size_t n, char *out)
{
  size_t i = 0, len = 0;
  while(i < n) {
    size_t adv;
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    char digit;
    if(cp >= '0' && cp <= '9')
      digit = (char)cp;
    else if(cp >= 0x0660 && cp <= 0x0669)
      digit = (char)('0' + (cp - 0x0660));
    else if(cp >= 0x06F0 && cp <= 0x06F9)
      digit = (char)('0' + (cp - 0x06F0));
    else
      return DAFTAR_EINVAL;
    if(len >= VIEWER_NUMBER_MAX)
      return DAFTAR_EINVAL;
    out[len++] = digit;
    i += adv;
  }
  if(len == 0)
    return DAFTAR_EINVAL;
  out[len] = '\0';
  return DAFTAR_OK;
}

/* 1 when the path is safe to split and look at. */
static int path_is_clean(const char *p)
{
  const unsigned char *c;
  if(p[0] != '/' || strstr(p, "..") || strstr(p, "%00") || strstr(p, "//"))
    return 0;
  for(c = (const unsigned char *)p; *c; c++)
    if(*c < 0x20 || *c == 0x7f || *c == '\\')
      return 0;
  return 1;
}

/* Splits "/a/b/c" into segments; -1 when there are too many. */
static int path_split(const char *p, segment *seg)
{
  int n = 0;
  p++; /* leading '/' */
  if(!*p)
    return 0;
  for(;;) {
    const char *slash = strchr(p, '/');
    size_t len = slash ? (size_t)(slash - p) : strlen(p);
    if(n == ROUTE_SEGMENTS_MAX)
      return -1;
    seg[n].s = p;
    seg[n].n = len;
    n++;
    if(!slash)
      return n;
    p = slash + 1;
  }
}

static int seg_is(const segment *s, const char *word)
{
  size_t n = strlen(word);
  return s->n == n && !memcmp(s->s, word, n);
}

static const char *status_text(unsigned status)
{
  switch(status) {
  case MHD_HTTP_NOT_FOUND: return "not found";
  case MHD_HTTP_URI_TOO_LONG: return "path too long";
  case MHD_HTTP_FORBIDDEN: return "forbidden";
  case MHD_HTTP_SERVICE_UNAVAILABLE: return "archive unavailable";
  default: return "bad request";
  }
}

static void route_error(vreq *rq, vresp *r, int api, unsigned status)
{
  if(api)
    vresp_json_error(r, status, status_text(status));
  else
    vresp_html_error(r, rq, status);
}

/* "{n}.png" -> n */
static int parse_png_page(const segment *s, long *n)
{
  char digits[16];
  size_t sl = strlen(PNG_SUFFIX);
  if(s->n <= sl || s->n - sl >= sizeof(digits) ||
     memcmp(s->s + s->n - sl, PNG_SUFFIX, sl))
    return DAFTAR_EINVAL;
  memcpy(digits, s->s, s->n - sl);
  digits[s->n - sl] = '\0';
  return viewer_parse_int(digits, 1, VIEWER_PAGE_MAX, n);
}

static void route_api(vreq *rq, vresp *r, const segment *seg, int n)
{
  char number[VIEWER_NUMBER_MAX + 1];
  int64_t id;
  long page;

  if(n == 2 && seg_is(&seg[1], "session")) {
    api_session(rq, r);
  } else if(n == 2 && seg_is(&seg[1], "batches")) {
    if(!auth_is_operator(rq))
      route_error(rq, r, 1, MHD_HTTP_FORBIDDEN);
    else
      api_batches(rq, r);
  } else if(n == 2 && seg_is(&seg[1], "review")) {
    api_review(rq, r);
  } else if(n == 2 && seg_is(&seg[1], "links")) {
    api_links(rq, r);
  } else if(n == 2 && seg_is(&seg[1], "audit")) {
    if(!auth_is_admin(rq))
      route_error(rq, r, 1, MHD_HTTP_FORBIDDEN);
    else
      api_audit(rq, r);
  } else if(!auth_may_read(rq)) {
    route_error(rq, r, 1, MHD_HTTP_FORBIDDEN);
  } else if(n == 2 && seg_is(&seg[1], "search")) {
    api_search(rq, r);
  } else if(n == 3 && seg_is(&seg[1], "workers")) {
    if(viewer_parse_number(seg[2].s, seg[2].n, number))
      route_error(rq, r, 1, MHD_HTTP_BAD_REQUEST);
    else
      api_worker(rq, r, number);
  } else if((n == 3 || n == 5) && seg_is(&seg[1], "documents")) {
    if(viewer_parse_id(seg[2].s, seg[2].n, &id))
      route_error(rq, r, 1, MHD_HTTP_BAD_REQUEST);
    else if(n == 3)
      api_document(rq, r, id);
    else if(!seg_is(&seg[3], "pages"))
      route_error(rq, r, 1, MHD_HTTP_NOT_FOUND);
    else if(parse_png_page(&seg[4], &page))
      route_error(rq, r, 1, MHD_HTTP_BAD_REQUEST);
    else
      page_image_png(rq, r, id, (int)page);
  } else {
    route_error(rq, r, 1, MHD_HTTP_NOT_FOUND);
  }
}

/* Pages and API calls that hold records. */
static void route_records(vreq *rq, vresp *r, const segment *seg, int n)
{
  char number[VIEWER_NUMBER_MAX + 1];
  int64_t id;

  if(n == 1 && seg_is(&seg[0], "review")) {
    page_review(rq, r);
  } else if(n == 1 && seg_is(&seg[0], "batches")) {
    page_batches(rq, r);
  } else if(n == 1 && seg_is(&seg[0], "audit")) {
    page_audit(rq, r);
  } else if(!auth_may_read(rq)) {
    route_error(rq, r, 0, MHD_HTTP_FORBIDDEN);
  } else if(n == 0) {
    page_search(rq, r);
  } else if(n == 2 && seg_is(&seg[0], "worker")) {
    if(viewer_parse_number(seg[1].s, seg[1].n, number))
      route_error(rq, r, 0, MHD_HTTP_BAD_REQUEST);
    else
      page_worker(rq, r, number);
  } else if(n == 2 && seg_is(&seg[0], "document")) {
    if(viewer_parse_id(seg[1].s, seg[1].n, &id))
      route_error(rq, r, 0, MHD_HTTP_BAD_REQUEST);
    else
      page_document(rq, r, id);
  } else {
    route_error(rq, r, 0, MHD_HTTP_NOT_FOUND);
  }
}

/* A field name segment: lowercase letters and '_' only. */
static int parse_field_name(const segment *s, char *out, size_t outlen)
{
  size_t i;
  if(s->n == 0 || s->n >= outlen)
    return DAFTAR_EINVAL;
  for(i = 0; i < s->n; i++)
    if(!((s->s[i] >= 'a' && s->s[i] <= 'z') || s->s[i] == '_'))
      return DAFTAR_EINVAL;
  memcpy(out, s->s, s->n);
  out[s->n] = '\0';
  return DAFTAR_OK;
}

/* POST {/api,}/links/{id}/accept|reject; 0 when the path is not one. */
static int route_post_link(vreq *rq, vresp *r, const segment *seg, int n,
                           int api)
{
  int64_t id;
  int base = api ? 1 : 0;
  if(n != base + 3 || !seg_is(&seg[base], "links") ||
     !(seg_is(&seg[base + 2], "accept") || seg_is(&seg[base + 2], "reject")))
    return 0;
  if(viewer_parse_id(seg[base + 1].s, seg[base + 1].n, &id))
    route_error(rq, r, api, MHD_HTTP_BAD_REQUEST);
  else
    link_decide(rq, r, id, seg_is(&seg[base + 2], "accept"), api);
  return 1;
}

/* POST {/api/documents,/document}/{id}/fields/{name} and the link
 * decisions; 405 for the rest. */
static void route_post(vreq *rq, vresp *r, const segment *seg, int n, int api)
{
  char name[DAFTAR_NAME_MAX];
  int64_t id;
  int base = api ? 1 : 0;
  if(route_post_link(rq, r, seg, n, api))
    return;
  if(n != base + 4 ||
     !seg_is(&seg[base], api ? "documents" : "document") ||
     !seg_is(&seg[base + 2], "fields") || (api && !seg_is(&seg[0], "api"))) {
    vresp_json_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
    return;
  }
  if(viewer_parse_id(seg[base + 1].s, seg[base + 1].n, &id) ||
     parse_field_name(&seg[base + 3], name, sizeof(name))) {
    route_error(rq, r, api, MHD_HTTP_BAD_REQUEST);
    return;
  }
  field_correct(rq, r, id, name, api);
}

/* A state-changing request from another site's page is refused.  Browsers
 * say where a request comes from in Sec-Fetch-Site (Fetch Metadata), which
 * our Referrer-Policy: no-referrer does not blank out, and in Origin, which
 * it does: Chromium sends "Origin: null" for our own same-origin form posts.
 * So: with Sec-Fetch-Site, only "same-origin" passes (and a real Origin must
 * still name this host); without it (older browsers, curl) an Origin must
 * name this host (scheme-less compare, as Host carries no scheme) and a
 * "null" one is refused; no Origin at all is not a browser. */
static int origin_ok(const vreq *rq)
{
  const char *origin = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                                   "Origin");
  const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_HOST);
  const char *site = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                                 "Sec-Fetch-Site");
  const char *sep;
  if(site && strcmp(site, "same-origin"))
    return 0;
  if(!origin || (site && !strcmp(origin, "null")))
    return 1;
  sep = strstr(origin, "://");
  return sep && host && !strcmp(sep + 3, host);
}

/* The login form says how to make the first account while there is none
 * (nobody can log in then: the archive stays closed). */
static void route_login(vreq *rq, vresp *r, int post)
{
  struct index_db *db;
  int64_t users = 0;
  if(post) {
    auth_login(rq, r);
    return;
  }
  db = viewer_thread_db(rq);
  if(db && index_user_count(db, &users))
    users = 1; /* unknown: show the plain form */
  page_login(rq, r, MHD_HTTP_OK, db && users == 0 ? M_NO_ACCOUNTS : M_COUNT);
}

void viewer_route(vreq *rq, vresp *r)
{
  segment seg[ROUTE_SEGMENTS_MAX];
  char name[64];
  int api = !strncmp(rq->path, "/api/", 5);
  int post = !strcmp(rq->method, "POST");
  int n;

  if(strlen(rq->path) > VIEWER_PATH_MAX) {
    route_error(rq, r, api, MHD_HTTP_URI_TOO_LONG);
    return;
  }
  if(!path_is_clean(rq->path)) {
    route_error(rq, r, api, MHD_HTTP_BAD_REQUEST);
    return;
  }
  n = path_split(rq->path, seg);
  if(n < 0) {
    route_error(rq, r, api, MHD_HTTP_NOT_FOUND);
    return;
  }
  if(n == 2 && seg_is(&seg[0], "assets") && seg[1].n < sizeof(name)) {
    if(post) {
      vresp_json_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
      return;
    }
    memcpy(name, seg[1].s, seg[1].n);
    name[seg[1].n] = '\0';
    asset_serve(rq, r, name);
    return;
  }
  if(post && !origin_ok(rq)) {
    route_error(rq, r, api, MHD_HTTP_FORBIDDEN);
    return;
  }
  if(auth_load(rq)) {
    route_error(rq, r, api, MHD_HTTP_SERVICE_UNAVAILABLE);
    return;
  }
  if(n == 1 && seg_is(&seg[0], "login")) {
    route_login(rq, r, post);
  } else if(n == 1 && seg_is(&seg[0], "logout") && post) {
    auth_logout(rq, r);
  } else if(!rq->session.active) {
    /* deny by default: nothing below is public, with or without accounts */
    if(api) {
      vresp_json_error(r, MHD_HTTP_UNAUTHORIZED, "login required");
    } else {
      r->status = MHD_HTTP_SEE_OTHER;
      r->ctype = "text/plain; charset=utf-8";
      snprintf(r->location, sizeof(r->location), "/login");
    }
  } else if(post) {
    route_post(rq, r, seg, n, api);
  } else if(api) {
    route_api(rq, r, seg, n);
  } else {
    route_records(rq, r, seg, n);
  }
}
