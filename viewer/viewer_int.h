/*
 * viewer_int.h - what the viewer's files share; nothing outside viewer/
 * includes it.
 *
 * A request flows: server.c (libmicrohttpd callback, per-thread index
 * handle) -> router.c (path checks, dispatch) -> a handler in api.c, pages.c
 * or page_image.c, which fills a vresp -> server.c adds the security headers
 * and queues it.  HTML is built with vout (a dbuf with a sticky error) and
 * every piece of data goes through vout_esc(); JSON the pages need comes
 * from index/ and is read back with vjson (json_tree.c).
 */
#ifndef DAFTAR_VIEWER_INT_H
#define DAFTAR_VIEWER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"
#include "index.h"
#include "viewer.h"

struct MHD_Connection;

/* ---- limits ---------------------------------------------------------- */

#define VIEWER_PATH_MAX 1024        /* longer request paths: 414 */
#define VIEWER_NUMBER_MAX 32        /* digits of a worker number */
#define VIEWER_ID_DIGITS_MAX 15     /* document ids below 10^15 */
#define VIEWER_PAGE_MAX 2000        /* pages per document (ingest's limit) */
#define VIEWER_RESULTS_DEFAULT 20
#define VIEWER_RESULTS_MAX 100      /* per page of results */
#define VIEWER_OFFSET_MAX 10000
#define VIEWER_QUERY_MAX 512        /* bytes of a query the viewer accepts */
#define VIEWER_IMAGE_WIDTH 1400     /* page images are scaled to this */
#define VIEWER_IMAGE_WIDTH_MIN 200
#define VIEWER_IMAGE_WIDTH_MAX 2400
#define VIEWER_CROP_MARGIN 24        /* pixels around a cropped field */
#define VIEWER_REVIEW_CONFIDENCE 70.0 /* fields under it are reviewed */
#define VIEWER_REVIEW_PAGE 50
#define VIEWER_IMAGE_CACHE_ENTRIES 32
#define VIEWER_IMAGE_CACHE_BYTES ((size_t)48 * 1024 * 1024)
#define VIEWER_HTML_MAX ((size_t)16 * 1024 * 1024)
#define VIEWER_JSON_DEPTH_MAX 32

/* ---- output buffer with a sticky error ---------------------------------- */

typedef struct vout {
  dbuf b;
  int err; /* first error; later writes are skipped */
} vout;

void vout_init(vout *o);
void vout_free(vout *o);
void vout_puts(vout *o, const char *s);
void vout_putn(vout *o, const char *s, size_t n);
void vout_printf(vout *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* HTML-escapes s (& < > " ' are replaced); NULL writes nothing. */
void vout_esc(vout *o, const char *s);
void vout_escn(vout *o, const char *s, size_t n);
/* Escapes a search snippet, then turns the index's [ ] match markers into
 * <mark></mark> (balanced: an unmatched ] stays text, an open mark closes). */
void vout_snippet(vout *o, const char *s);
/* Percent-encodes s for a URL query value. */
void vout_urlenc(vout *o, const char *s);

/* ---- interface languages ------------------------------------------------ */

enum vlang { VLANG_CKB = 0, VLANG_AR, VLANG_EN, VLANG_COUNT };

enum vmsg {
  M_APP_NAME, M_SEARCH, M_QUERY_HINT, M_RESULTS, M_NO_RESULTS, M_QUERY_REFUSED, M_WORKER,
  M_DOCUMENT, M_IDENTITY, M_NAME_VARIANTS, M_DOCUMENTS, M_PAGE, M_PAGES,
  M_FIELDS, M_TEXT, M_CONFIDENCE, M_VALUE, M_FIELD, M_SOURCE, M_FILE_NO,
  M_BATCH, M_DOC_TYPE, M_NO_WORKER, M_NOT_FOUND, M_BAD_REQUEST, M_ERROR,
  M_PREV, M_NEXT, M_PAGE_IMAGE, M_ZOOM, M_NO_TEXT, M_LOCKED, M_NO_FIELDS, M_READ_AS, M_SETTLED, M_SETTLED_WORKER,
  M_LANGUAGE, M_LOGIN, M_USER, M_PASSWORD, M_LOGIN_FAILED, M_LOGOUT,
  M_TOO_MANY, M_FORBIDDEN, M_NO_ACCOUNTS, M_EMPLOYMENT, M_GAP, M_OVERLAP,
  M_ONGOING, M_DAYS, M_REVIEW, M_NOTHING_TO_REVIEW, M_CANDIDATE, M_BATCHES,
  M_STATUS, M_STARTED, M_ENDED, M_FILES, M_DUPLICATES, M_REFUSED, M_AUDIT,
  M_WHEN, M_ACTION, M_OBJECT, M_DETAIL, M_ADDRESS, M_LINKS, M_ACCEPT,
  M_REJECT, M_LINKED_BY, M_COUNT
};

const char *vlang_code(enum vlang l);    /* "ckb", "ar", "en" */
const char *vlang_dir(enum vlang l);     /* "rtl" or "ltr" */
const char *vlang_name(enum vlang l);    /* in its own script */
/* -1 when code is not one of ours. */
int vlang_parse(const char *code);
const char *vmsg(enum vlang l, enum vmsg m);
/* The label of an export field name or doc_type; name itself if unknown. */
const char *vlang_field(enum vlang l, const char *name);
const char *vlang_doc_type(enum vlang l, const char *doc_type);
/* The label of a linkage rule (document_links.rule); rule if unknown. */
const char *vlang_link_rule(enum vlang l, const char *rule);

/* ---- a small JSON reader for what index/ hands back --------------------- */

enum vjson_type { VJ_NULL, VJ_FALSE, VJ_TRUE, VJ_NUM, VJ_STR, VJ_ARR, VJ_OBJ };

typedef struct vjson {
  enum vjson_type type;
  char *key;            /* member name inside an object, else NULL */
  char *str;            /* string value, or a number's text */
  double num;
  struct vjson *child;  /* first element/member */
  struct vjson *next;   /* next sibling */
} vjson;

/* Parses text (n bytes); *out is heap, vjson_free().  EINVAL on bad JSON. */
int vjson_parse(const char *text, size_t n, vjson **out);
void vjson_free(vjson *v);
const vjson *vjson_get(const vjson *obj, const char *key);
/* The string or number text of obj.key; NULL for anything else. */
const char *vjson_str(const vjson *obj, const char *key);
/* obj.key as a number; def when missing or not a number. */
double vjson_num(const vjson *obj, const char *key, double def);

/* Writes v back as compact JSON (and a newline). */
int vjson_write(const vjson *v, dbuf *out);

/* ---- requests and responses ----------------------------------------------- */

struct viewer_server;

/* The logged-in user of a request (auth.c). */
typedef struct vsession {
  int active;                         /* 1: a live session was presented */
  char user[VIEWER_USER_NAME_MAX + 1];
  char role[16];
  char csrf[INDEX_TOKEN_HEX_LEN + 1];
  char token_sha[SHA256_HEX_LEN + 1];
} vsession;

typedef struct vreq {
  struct MHD_Connection *conn;
  struct viewer_server *srv;
  const char *path;       /* decoded request path */
  const char *method;     /* "GET", "HEAD" or "POST" */
  const char *body;       /* POST body (NUL-terminated), else NULL */
  size_t body_len;
  enum vlang lang;
  int set_lang_cookie;    /* lang came from ?lang=: remember it */
  vsession session;
} vreq;

typedef struct vresp {
  unsigned status;
  const char *ctype;      /* static string */
  const char *cache;      /* Cache-Control value; NULL: no-store */
  unsigned char *body;    /* heap; freed with body_free (free when NULL) */
  size_t len;
  void (*body_free)(void *);
  char set_cookie[192];   /* a Set-Cookie value, "" for none */
  char location[64];      /* a Location for redirects, "" for none */
  const char *retry_after; /* 503 over the connection limit: close after */
} vresp;

/* The index handle of the calling pool thread (opened on first use);
 * NULL when it cannot be opened (logged). */
struct index_db *viewer_thread_db(vreq *rq);
const char *viewer_archive_dir(const vreq *rq);
/* A query argument of the request, NULL when absent. */
const char *vreq_arg(const vreq *rq, const char *name);

/* Hands o's buffer to r (or a 500 when o failed). */
void vresp_take(vresp *r, unsigned status, const char *ctype, vout *o);
/* A small JSON error body {"error": msg}. */
void vresp_json_error(vresp *r, unsigned status, const char *msg);
/* A small HTML error page in the request's language. */
void vresp_html_error(vresp *r, const vreq *rq, unsigned status);

/* ---- accounts (auth.c) -------------------------------------------------------- */

#define VIEWER_BODY_MAX 4096          /* bytes of a POST body */
#define VIEWER_LOGIN_FREE_TRIES 5     /* failures before an account waits */
#define VIEWER_LOGIN_LOCK_S 30        /* first wait; doubles, up to: */
#define VIEWER_LOGIN_LOCK_MAX_S 900
#define VIEWER_ADDR_FAILS_MAX 20      /* failures per address per window */
#define VIEWER_ADDR_WINDOW_S 600
#define VIEWER_ADDR_SLOTS 256
#define VIEWER_SESSION_COOKIE "daftar_session"

struct auth_throttle;
int auth_throttle_new(struct auth_throttle **out);
void auth_throttle_free(struct auth_throttle *t);
struct auth_throttle *viewer_throttle(vreq *rq);
/* 1 when serving HTTPS (cookies are marked Secure). */
int viewer_is_tls(const vreq *rq);

/* Fills rq->session from the cookie (inactive when there is none, it is
 * unknown, expired or its account disabled).  Every route but /login and
 * /assets needs an active one: closed by default, even with no accounts. */
int auth_load(vreq *rq);
/* 1 when the session's role may read record contents. */
int auth_may_read(const vreq *rq);
int auth_is_admin(const vreq *rq);
/* 1 for archivists (a logged-in user: a correction needs a name). */
int auth_may_correct(const vreq *rq);
int auth_is_operator(const vreq *rq);
void auth_client_address(const vreq *rq, char *out, size_t outlen);
/* 1 when the request carries the session's CSRF token (header
 * X-CSRF-Token or form field csrf). */
int auth_csrf_ok(const vreq *rq);
/* Reads of records: auth_read_begin() opens a write transaction,
 * auth_read_end() adds the audit row and commits when rc is DAFTAR_OK
 * (else, or when that fails, rolls back and returns an error): a record
 * is only served once its audit row is committed, with it. */
int auth_read_begin(vreq *rq);
int auth_read_end(vreq *rq, int rc, const char *action, const char *object,
                  const char *detail);
/* An audit row for this request's user (failures are logged, not fatal). */
void auth_audit(vreq *rq, const char *action, const char *object,
                const char *detail);
/* A form field of an urlencoded body, decoded into out; 0 when found. */
int form_field(const char *body, const char *name, char *out, size_t outlen);

void page_login(vreq *rq, vresp *r, unsigned status, enum vmsg note);
void auth_login(vreq *rq, vresp *r);
void auth_logout(vreq *rq, vresp *r);
void api_session(vreq *rq, vresp *r);
void api_audit(vreq *rq, vresp *r);
void api_batches(vreq *rq, vresp *r);

/* ops_pages.c: GET /batches (operators), GET /audit (admins). */
void page_batches(vreq *rq, vresp *r);
void page_audit(vreq *rq, vresp *r);

/* review.c: the archivists' queue (GET /review, GET /api/review). */
void page_review(vreq *rq, vresp *r);
void api_review(vreq *rq, vresp *r);

/* links.c: link suggestions (GET /api/links; POST {/api,}/links/{id}/
 * accept|reject, api: JSON, else form -> 303 /review).  review_links()
 * adds the pending ones to the review page (an audited read). */
void api_links(vreq *rq, vresp *r);
void link_decide(vreq *rq, vresp *r, int64_t id, int accept, int api);
int review_links(vreq *rq, vout *o);

/* edit.c: POST .../documents/{id}/fields/{name} (api: JSON, else form). */
void field_correct(vreq *rq, vresp *r, int64_t id, const char *name, int api);

/* mask.c: national ID numbers shown as ••••••••1234 to roles that do not
 * need them (staff); see the top of mask.c and docs/API.md. */
#define VIEWER_MASK_SHOWN 4     /* trailing digits left readable */
#define VIEWER_MASK_RUN_MIN 8   /* free-text digit runs this long are masked */
/* 1 when this request's role sees national IDs masked. */
int viewer_masks_ids(const vreq *rq);
/* Masks *s (heap, replaced): every digit but the last VIEWER_MASK_SHOWN. */
int viewer_mask_value(char **s);
/* Masks in free text *s every run of VIEWER_MASK_RUN_MIN+ digits that is
 * not one of keep (ASCII digit strings, NULLs skipped). */
int viewer_mask_text(char **s, const char *const *keep, size_t nkeep);
/* A worker or document tree from index/: national_id values, and "text"
 * and "snippet" strings (keeping the record's SSNs). */
int viewer_mask_tree(vjson *root);
/* The same on JSON text, rewritten compact. */
int viewer_mask_json(dbuf *json);
/* The snippets of search hits (keeping each hit's worker SSN). */
int viewer_mask_hits(index_hit *h, size_t n);
/* Boxes (master pixels) to paint over on page `page` of a document: the
 * national_id field and recognized words holding a maskable number.
 * *boxes is heap (free()). */
int viewer_mask_boxes(vreq *rq, int64_t doc_id, int page, daftar_box **boxes,
                      size_t *n);

/* router.c: the one entry from server.c. */
void viewer_route(vreq *rq, vresp *r);

/* Parsers for path segments and arguments: DAFTAR_OK or DAFTAR_EINVAL. */
int viewer_parse_id(const char *s, size_t n, int64_t *out);
int viewer_parse_int(const char *s, long min, long max, long *out);
/* A worker number: ASCII, Arabic-Indic or Persian digits, folded to ASCII
 * into out (VIEWER_NUMBER_MAX + 1 bytes). */
int viewer_parse_number(const char *s, size_t n, char *out);

/* api.c */
#define VIEWER_WHY_MAX 160 /* a refused query's reason */
typedef struct viewer_query {
  const char *q; /* never NULL; belongs to the request */
  int limit, offset;
  /* Set by viewer_search_run when the index refused the query (EINVAL):
   * its reason, for the user (index messages never quote SQL). */
  char why[VIEWER_WHY_MAX];
} viewer_query;

/* HTTP status for a daftar_err (404, 400, else 500). */
unsigned viewer_status_of(int rc);
/* q, limit and offset of the request, checked (EINVAL when bad). */
int viewer_search_params(const vreq *rq, viewer_query *sq);
/* Runs the search (an empty query finds nothing without asking). */
int viewer_search_run(vreq *rq, viewer_query *sq, index_hit **hits,
                      size_t *n);
/* index_worker_json / index_document_json into o->b, logging failures;
 * each read is audited in its own transaction (auth_read_end), as is a
 * search with a query.  The caller masks them (viewer_mask_json for the
 * API, viewer_mask_tree on the parsed tree for pages) when
 * viewer_masks_ids(). */
int viewer_worker_json(vreq *rq, const char *number, vout *o);
int viewer_document_json(vreq *rq, int64_t id, vout *o);
/* A body_free for compiled-in data. */
void viewer_static_body(void *p);
void api_search(vreq *rq, vresp *r);
void api_worker(vreq *rq, vresp *r, const char *number);
void api_document(vreq *rq, vresp *r, int64_t id);

/* pages.c */
void page_search(vreq *rq, vresp *r);
void page_worker(vreq *rq, vresp *r, const char *number);
void page_document(vreq *rq, vresp *r, int64_t id);

/* timeline.c: employment spells of a worker (index_worker_json tree). */
void worker_timeline(vout *o, const vreq *rq, const vjson *w);

/* page_image.c */
void page_image_png(vreq *rq, vresp *r, int64_t id, int n);
struct page_cache;
int page_cache_new(struct page_cache **out);
void page_cache_free(struct page_cache *c);
struct page_cache *viewer_page_cache(vreq *rq);

/* assets (generated at build time from viewer/assets/) */
typedef struct viewer_asset {
  const char *name;             /* "app.js" */
  const unsigned char *data;
  size_t len;
} viewer_asset;
extern const viewer_asset viewer_assets[];
extern const size_t viewer_nassets;
const viewer_asset *viewer_asset_find(const char *name);
void asset_serve(vreq *rq, vresp *r, const char *name);

/* pages.c: wraps body in the shell (title escaped) and hands it to r. */
void viewer_html_finish(vreq *rq, vresp *r, unsigned status, const char *title,
                        vout *body);

/* html.c: the page shell (assets/shell.html) around a body. */
void html_page(vout *o, const vreq *rq, const char *title, const char *body);

#endif /* DAFTAR_VIEWER_INT_H */
