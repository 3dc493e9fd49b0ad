/* server.c - viewer_serve(): the libmicrohttpd daemon and its threads.
 *
 * The daemon runs a thread pool (MHD_USE_INTERNAL_POLLING_THREAD +
 * MHD_OPTION_THREAD_POOL_SIZE) with explicit connection, timeout and memory
 * limits.  A pool thread opens its index handle on its first request and
 * keeps it in a pthread key whose destructor closes it when the pool thread
 * ends (MHD_stop_daemon joins them), so a request never opens the database.
 *
 * viewer_stop() only sets a flag and writes one byte to a pipe, both
 * async-signal-safe; viewer_serve() waits on that pipe in its own thread. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "viewer.h"
#include "viewer_int.h"

#define VIEWER_STOP_POLL_MS 500
#define VIEWER_LANG_COOKIE "daftar_lang"
#define VIEWER_LANG_COOKIE_AGE_S (365 * 24 * 3600)
#define VIEWER_URL_MAX 128
/* Between the limit and limit + spare, requests get a 503; MHD closes
 * connections past that (it splits its limit across the pool's threads). */
#define VIEWER_CONNECTION_SPARE VIEWER_CONNECTION_LIMIT
#define VIEWER_RETRY_AFTER_S "5"

static const char security_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'";

struct viewer_server {
  const char *archive_dir;
  pthread_key_t db_key;
  struct page_cache *cache;
  struct auth_throttle *throttle;
  atomic_int connections; /* open now (on_connection) */
  int tls;      /* HTTPS: cookies get Secure */
  char *tls_cert; /* PEM text, heap */
  char *tls_key;
};

/* Per-connection state of a request with a body (POST). */
typedef struct vconn {
  dbuf body;
  int too_big;
} vconn;

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t stop_fd = -1;

void viewer_stop(void)
{
  int fd = stop_fd;
  stop_requested = 1;
  if(fd >= 0) {
    char c = 1;
    ssize_t w = write(fd, &c, 1);
    (void)w; /* a full pipe already holds a wake-up */
  }
}

static void on_signal(int sig)
{
  (void)sig;
  viewer_stop();
}

/* ---- per-thread index handles --------------------------------------------- */

static void thread_db_close(void *p)
{
  index_close(p);
}

struct index_db *viewer_thread_db(vreq *rq)
{
  struct index_db *db = pthread_getspecific(rq->srv->db_key);
  int rc;
  if(db)
    return db;
  rc = index_open(rq->srv->archive_dir, &db);
  if(rc) {
    daftar_log(DLOG_ERROR, "viewer: cannot open the archive index: %s",
               db ? index_errmsg(db) : daftar_strerror(rc));
    index_close(db);
    return NULL;
  }
  if(pthread_setspecific(rq->srv->db_key, db)) {
    index_close(db);
    return NULL;
  }
  return db;
}

const char *viewer_archive_dir(const vreq *rq)
{
  return rq->srv->archive_dir;
}

struct page_cache *viewer_page_cache(vreq *rq)
{
  return rq->srv->cache;
}

struct auth_throttle *viewer_throttle(vreq *rq)
{
  return rq->srv->throttle;
}

int viewer_is_tls(const vreq *rq)
{
  return rq->srv->tls;
}

const char *vreq_arg(const vreq *rq, const char *name)
{
  return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* ---- responses ----------------------------------------------------------- */

void vresp_take(vresp *r, unsigned status, const char *ctype, vout *o)
{
  if(o->err) {
    vout_free(o);
    vresp_json_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal error");
    return;
  }
  r->status = status;
  r->ctype = ctype;
  r->len = o->b.len;
  r->body = (unsigned char *)dbuf_take(&o->b);
  r->body_free = NULL;
}

void vresp_json_error(vresp *r, unsigned status, const char *msg)
{
  vout o;
  vout_init(&o);
  vout_puts(&o, "{\"error\": ");
  if(!o.err)
    o.err = json_put_str(&o.b, msg);
  vout_puts(&o, "}\n");
  r->status = status;
  r->ctype = "application/json; charset=utf-8";
  r->body_free = NULL;
  if(o.err) {
    /* Out of memory: an empty body still carries the status. */
    vout_free(&o);
    r->body = NULL;
    r->len = 0;
    return;
  }
  r->len = o.b.len;
  r->body = (unsigned char *)dbuf_take(&o.b);
}

/* The language: ?lang= (remembered in a cookie), the cookie, then the
 * browser's first Accept-Language choice; Sorani when none of ours. */
static void pick_language(vreq *rq)
{
  const char *accept;
  int l = vlang_parse(vreq_arg(rq, "lang"));
  if(l >= 0) {
    rq->lang = (enum vlang)l;
    rq->set_lang_cookie = 1;
    return;
  }
  l = vlang_parse(MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
                                              VIEWER_LANG_COOKIE));
  if(l >= 0) {
    rq->lang = (enum vlang)l;
    return;
  }
  rq->lang = VLANG_CKB;
  accept = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                       MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
  if(accept && !strncmp(accept, "ar", 2))
    rq->lang = VLANG_AR;
  else if(accept && !strncmp(accept, "en", 2))
    rq->lang = VLANG_EN;
}

static int add_headers(struct MHD_Response *resp, const vreq *rq,
                       const vresp *r)
{
  int ok = 1;
  ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                r->ctype) == MHD_YES;
  ok &= MHD_add_response_header(resp, "Content-Security-Policy",
                                security_csp) == MHD_YES;
  ok &= MHD_add_response_header(resp, "X-Content-Type-Options",
                                "nosniff") == MHD_YES;
  ok &= MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") ==
        MHD_YES;
  ok &= MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES;
  ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                r->cache ? r->cache : "no-store") == MHD_YES;
  if(r->set_cookie[0])
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
                                  r->set_cookie) == MHD_YES;
  if(r->location[0])
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
                                  r->location) == MHD_YES;
  if(r->retry_after) {
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER,
                                  r->retry_after) == MHD_YES;
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
                                  "close") == MHD_YES;
  }
  if(rq->set_lang_cookie) {
    char cookie[96];
    snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; Max-Age=%d; "
             "SameSite=Strict", VIEWER_LANG_COOKIE, vlang_code(rq->lang),
             VIEWER_LANG_COOKIE_AGE_S);
    ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie) ==
          MHD_YES;
  }
  return ok;
}

static enum MHD_Result queue(struct MHD_Connection *conn, const vreq *rq,
                             vresp *r)
{
  struct MHD_Response *resp;
  enum MHD_Result ret;
  void (*release)(void *) = r->body_free ? r->body_free : free;

  if(r->body)
    resp = MHD_create_response_from_buffer_with_free_callback(
        r->len, r->body, release);
  else
    resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if(!resp) {
    if(r->body)
      release(r->body);
    return MHD_NO;
  }
  if(!add_headers(resp, rq, r)) {
    MHD_destroy_response(resp);
    return MHD_NO;
  }
  ret = MHD_queue_response(conn, r->status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* Collects a POST body (at most VIEWER_BODY_MAX bytes) across calls;
 * MHD_YES while more is coming, and *done once the request is complete. */
static enum MHD_Result collect_body(const char *upload, size_t *upload_size,
                                    void **con_cls, int *done)
{
  vconn *c = *con_cls;
  *done = 0;
  if(!c) {
    c = calloc(1, sizeof(*c));
    if(!c)
      return MHD_NO;
    dbuf_init(&c->body, VIEWER_BODY_MAX + 1);
    *con_cls = c;
    return MHD_YES;
  }
  if(*upload_size) {
    if(!c->too_big && dbuf_append(&c->body, upload, *upload_size))
      c->too_big = 1;
    *upload_size = 0;
    return MHD_YES;
  }
  *done = 1;
  return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode why)
{
  vconn *c = *con_cls;
  (void)cls;
  (void)conn;
  (void)why;
  if(!c)
    return;
  if(c->body.data)
    sodium_memzero(c->body.data, c->body.cap); /* may hold a password */
  dbuf_free(&c->body);
  free(c);
  *con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
  vreq rq;
  vresp r;
  int post = !strcmp(method, MHD_HTTP_METHOD_POST);
  (void)version;

  if(post) {
    int done;
    enum MHD_Result ret = collect_body(upload, upload_size, con_cls, &done);
    if(ret != MHD_YES || !done)
      return ret;
  } else if(*upload_size) {
    /* GET and HEAD carry no body: refuse it before it is read. */
    *upload_size = 0;
    return MHD_NO;
  }
  memset(&rq, 0, sizeof(rq));
  memset(&r, 0, sizeof(r));
  rq.conn = conn;
  rq.srv = cls;
  rq.path = url;
  rq.method = method;
  pick_language(&rq);
  if(atomic_load(&rq.srv->connections) > VIEWER_CONNECTION_LIMIT) {
    vresp_json_error(&r, MHD_HTTP_SERVICE_UNAVAILABLE, "too many connections");
    r.retry_after = VIEWER_RETRY_AFTER_S;
    return queue(conn, &rq, &r);
  }

  if(post) {
    vconn *c = *con_cls;
    if(c->too_big) {
      vresp_json_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, "body too large");
      return queue(conn, &rq, &r);
    }
    rq.body = dbuf_cstr(&c->body);
    rq.body_len = c->body.len;
  }
  if(!post && strcmp(method, MHD_HTTP_METHOD_GET) &&
     strcmp(method, MHD_HTTP_METHOD_HEAD))
    vresp_json_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
  else
    viewer_route(&rq, &r);
  return queue(conn, &rq, &r);
}

static int hex_value_of(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes %XX in place, except %00: a NUL would cut the string short and
 * hide what follows from the router, so it stays as the text "%00" and the
 * path is refused as malformed. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
  char *in = s, *out = s;
  (void)cls;
  (void)c;
  while(*in) {
    int hi, lo;
    if(in[0] == '%' && in[1] && in[2] &&
       (hi = hex_value_of(in[1])) >= 0 && (lo = hex_value_of(in[2])) >= 0 &&
       (hi || lo)) {
      *out++ = (char)(hi * 16 + lo);
      in += 3;
    } else {
      *out++ = *in++;
    }
  }
  *out = '\0';
  return (size_t)(out - s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
  char msg[256];
  size_t n;
  (void)cls;
  vsnprintf(msg, sizeof(msg), fmt, ap);
  n = strlen(msg);
  while(n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    msg[--n] = '\0';
  daftar_log(DLOG_WARN, "viewer: %s", msg);
}

/* ---- listening address ------------------------------------------------------ */

typedef struct listen_addr {
  struct addrinfo *ai;
  char host[64]; /* as written, brackets kept for IPv6 */
} listen_addr;

/* "ADDR:PORT" or "[V6ADDR]:PORT"; the port may be 0 (any free port). */
static int listen_parse(const char *spec, listen_addr *la)
{
  struct addrinfo hints;
  char host[64];
  const char *colon, *port, *h = spec;
  size_t hlen;
  long portnum;
  int rc;

  memset(la, 0, sizeof(*la));
  colon = strrchr(spec, ':');
  if(!colon || colon == spec)
    return DAFTAR_EINVAL;
  port = colon + 1;
  if(viewer_parse_int(port, 0, 65535, &portnum))
    return DAFTAR_EINVAL;
  hlen = (size_t)(colon - spec);
  if(hlen >= sizeof(la->host))
    return DAFTAR_EINVAL;
  memcpy(la->host, spec, hlen);
  la->host[hlen] = '\0';
  if(spec[0] == '[') {
    if(hlen < 3 || spec[hlen - 1] != ']')
      return DAFTAR_EINVAL;
    h = spec + 1;
    hlen -= 2;
  }
  memcpy(host, h, hlen);
  host[hlen] = '\0';

  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  rc = getaddrinfo(host, port, &hints, &la->ai);
  if(rc) {
    daftar_log(DLOG_ERROR, "viewer: cannot resolve listen address %s: %s",
               host, gai_strerror(rc));
    return DAFTAR_EINVAL;
  }
  return DAFTAR_OK;
}

/* ---- the server ------------------------------------------------------------ */

/* An archive without accounts stays closed: nobody can log in until an
 * administrator makes the first account. */
static void warn_if_no_accounts(const char *archive_dir)
{
  struct index_db *db = NULL;
  int64_t users = 0;
  if(index_open(archive_dir, &db) == DAFTAR_OK &&
     index_user_count(db, &users) == DAFTAR_OK && users == 0)
    daftar_log(DLOG_WARN, "viewer: this archive has no accounts, so nobody "
               "can log in; add one with `daftar user add NAME --role "
               "admin`");
  index_close(db);
}

static void wait_for_stop(int fd)
{
  struct pollfd p = {fd, POLLIN, 0};
  while(!stop_requested) {
    char drain[16];
    if(poll(&p, 1, VIEWER_STOP_POLL_MS) > 0) {
      ssize_t r = read(fd, drain, sizeof(drain));
      (void)r;
    }
  }
}

/* Counts open connections, so a request beyond VIEWER_CONNECTION_LIMIT
 * gets a 503 instead of a silent close (MHD itself closes only past the
 * limit plus VIEWER_CONNECTION_SPARE). */
static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
  struct viewer_server *srv = cls;
  (void)conn;
  (void)socket_context;
  if(toe == MHD_CONNECTION_NOTIFY_STARTED)
    atomic_fetch_add(&srv->connections, 1);
  else if(toe == MHD_CONNECTION_NOTIFY_CLOSED)
    atomic_fetch_sub(&srv->connections, 1);
}

/* The options both daemons share (the logger goes first, before these). */
#define DAEMON_OPTIONS(srv, la, threads)                                       \
  MHD_OPTION_SOCK_ADDR, (la)->ai->ai_addr,                                     \
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads),                        \
      MHD_OPTION_CONNECTION_LIMIT,                                             \
      (unsigned)(VIEWER_CONNECTION_LIMIT + VIEWER_CONNECTION_SPARE),           \
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)VIEWER_CONNECTION_TIMEOUT_S,    \
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)VIEWER_MEMORY_LIMIT,         \
      MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,                            \
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,                         \
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, (srv), MHD_OPTION_END

static struct MHD_Daemon *daemon_start(struct viewer_server *srv,
                                       const listen_addr *la, int threads)
{
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
  if(la->ai->ai_family == AF_INET6)
    flags |= MHD_USE_IPv6;
  if(srv->tls)
    return MHD_start_daemon(flags | MHD_USE_TLS, 0, NULL, NULL, on_request,
                            srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                            MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert,
                            MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key,
                            DAEMON_OPTIONS(srv, la, threads));
  return MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
                          MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                          DAEMON_OPTIONS(srv, la, threads));
}

/* Reads the PEM files named in o (both or neither). */
static int tls_load(const viewer_options *o, struct viewer_server *srv)
{
  size_t len;
  if(!o->tls_cert && !o->tls_key)
    return DAFTAR_OK;
  if(!o->tls_cert || !o->tls_key) {
    fprintf(stderr, "daftar serve: HTTPS needs both a certificate and a "
            "key\n");
    return DAFTAR_EINVAL;
  }
  if(!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
    fprintf(stderr, "daftar serve: this libmicrohttpd has no TLS\n");
    return DAFTAR_EINVAL;
  }
  if(file_read_all(o->tls_cert, VIEWER_TLS_FILE_MAX, &srv->tls_cert, &len) ||
     file_read_all(o->tls_key, VIEWER_TLS_FILE_MAX, &srv->tls_key, &len)) {
    fprintf(stderr, "daftar serve: cannot read the certificate or key\n");
    return DAFTAR_EIO;
  }
  srv->tls = 1;
  return DAFTAR_OK;
}

static void tls_free(struct viewer_server *srv)
{
  if(srv->tls_key) {
    sodium_memzero(srv->tls_key, strlen(srv->tls_key));
    free(srv->tls_key);
  }
  free(srv->tls_cert);
}

int viewer_serve(const viewer_options *o)
{
  struct viewer_server srv;
  struct sigaction sa, old_int, old_term;
  struct MHD_Daemon *d;
  const union MHD_DaemonInfo *info;
  listen_addr la;
  char url[VIEWER_URL_MAX];
  int pipefd[2];
  int threads, rc;

  if(!o || !o->archive_dir)
    return DAFTAR_EINVAL;
  threads = o->threads > 0 ? o->threads : VIEWER_THREADS;
  rc = listen_parse(o->listen ? o->listen : VIEWER_DEFAULT_LISTEN, &la);
  if(rc) {
    fprintf(stderr, "daftar serve: bad listen address (want ADDR:PORT)\n");
    return rc;
  }
  memset(&srv, 0, sizeof(srv));
  srv.archive_dir = o->archive_dir;
  rc = tls_load(o, &srv);
  if(rc)
    goto out_tls;
  if(pipe(pipefd)) {
    rc = DAFTAR_EIO;
    goto out_tls;
  }
  fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
  rc = page_cache_new(&srv.cache);
  if(rc)
    goto out_pipe;
  rc = auth_throttle_new(&srv.throttle);
  if(rc)
    goto out_cache;
  if(sodium_init() < 0) {
    rc = DAFTAR_ENOMEM;
    goto out_cache;
  }
  warn_if_no_accounts(o->archive_dir);
  if(pthread_key_create(&srv.db_key, thread_db_close)) {
    rc = DAFTAR_ENOMEM;
    goto out_cache;
  }
  stop_requested = 0;
  stop_fd = pipefd[1];

  d = daemon_start(&srv, &la, threads);
  if(!d) {
    fprintf(stderr, "daftar serve: cannot listen on %s: %s\n",
            o->listen ? o->listen : VIEWER_DEFAULT_LISTEN, strerror(errno));
    rc = DAFTAR_EIO;
    goto out_key;
  }
  info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  snprintf(url, sizeof(url), "%s://%s:%u/", srv.tls ? "https" : "http",
           la.host, info ? (unsigned)info->port : 0u);

  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  if(o->on_ready)
    o->on_ready(o->on_ready_arg, url);

  wait_for_stop(pipefd[0]);

  MHD_stop_daemon(d); /* joins the pool: every thread's handle is closed */
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  rc = DAFTAR_OK;
out_key:
  stop_fd = -1;
  pthread_key_delete(srv.db_key);
out_cache:
  auth_throttle_free(srv.throttle);
  page_cache_free(srv.cache);
out_pipe:
  close(pipefd[0]);
  close(pipefd[1]);
out_tls:
  tls_free(&srv);
  freeaddrinfo(la.ai);
  return rc;
}
