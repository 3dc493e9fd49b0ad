/* auth.c - accounts, login, sessions, CSRF, roles and the audit trail.
 *
 * Passwords: Argon2id strings from crypto_pwhash_str (interactive limits).
 * An unknown user is checked against a dummy hash so both failures cost
 * the same time and get the same answer.
 *
 * Sessions: 128 random bits in an HttpOnly, SameSite=Strict cookie; the
 * database keeps only their SHA-256.  Each session has its own CSRF token
 * (256 bits) that state-changing requests must echo.  A new token is made
 * at every login; idle and absolute expiry are checked on every request.
 *
 * Throttling: per account, after VIEWER_LOGIN_FREE_TRIES failures the
 * account waits (doubling, capped) and attempts meanwhile fail without a
 * password check; per address, more than VIEWER_ADDR_FAILS_MAX failures in
 * a window answer 429.  Neither tells whether the account exists.
 *
 * Roles, deny by default: staff and archivists read records, archivists
 * also correct; operators see batches, not records; admins manage users and
 * read the audit log (not records: no role has a right it does not need). */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "viewer_int.h"

#define SESSION_TOKEN_BYTES 16 /* 128 bits */
#define CSRF_TOKEN_BYTES 32
#define ADDR_TEXT_MAX 64
#define AUDIT_LIMIT_DEFAULT 100
#define AUDIT_LIMIT_MAX 1000

/* ---- passwords --------------------------------------------------------------- */

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_hash_make(void)
{
  static const char pw[] = "daftar: no such user";
  if(crypto_pwhash_str(dummy_hash, pw, sizeof(pw) - 1,
                       crypto_pwhash_OPSLIMIT_INTERACTIVE,
                       crypto_pwhash_MEMLIMIT_INTERACTIVE))
    dummy_hash[0] = '\0';
}

static int password_hash(const char *password, char out[crypto_pwhash_STRBYTES])
{
  size_t n = strlen(password);
  if(n < VIEWER_PASSWORD_MIN || n > VIEWER_PASSWORD_MAX)
    return DAFTAR_EINVAL;
  if(sodium_init() < 0)
    return DAFTAR_ENOMEM;
  if(crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                       crypto_pwhash_MEMLIMIT_INTERACTIVE))
    return DAFTAR_ENOMEM; /* the only documented failure: out of memory */
  return DAFTAR_OK;
}

/* 1 when password matches hash (or, with hash NULL, spends the same time
 * on the dummy and returns 0). */
static int password_check(const char *hash, const char *password)
{
  size_t n = strlen(password);
  if(sodium_init() < 0)
    return 0;
  if(!hash) {
    pthread_once(&dummy_once, dummy_hash_make);
    /* The answer is known (no); only the time spent matters. */
    if(dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, n) == 0)
      return 0;
    return 0;
  }
  return crypto_pwhash_str_verify(hash, password, n) == 0;
}

static int user_name_ok(const char *name)
{
  size_t n = name ? strlen(name) : 0;
  return n > 0 && n <= VIEWER_USER_NAME_MAX && utf8_valid(name, n) &&
         !strpbrk(name, " \t\r\n:/");
}

int viewer_role_known(const char *role)
{
  static const char *const roles[] = {INDEX_ROLE_NAMES};
  size_t i;
  for(i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
    if(!strcmp(role, roles[i]))
      return 1;
  return 0;
}

/* ---- accounts for the CLI ---------------------------------------------------------- */

static int with_index(const char *archive_dir, struct index_db **db)
{
  int rc = index_open(archive_dir, db);
  if(rc)
    fprintf(stderr, "daftar: cannot open the archive: %s\n",
            *db ? index_errmsg(*db) : daftar_strerror(rc));
  return rc;
}

static int report(struct index_db *db, int rc, const char *what)
{
  if(rc)
    fprintf(stderr, "daftar: %s: %s\n", what, index_errmsg(db));
  index_close(db);
  return rc;
}

/* An audit row for an account change made on the server (the CLI): no
 * account did it, so the address names the local system user instead. */
static int cli_audit(struct index_db *db, const char *action,
                     const char *name, const char *detail)
{
  char who[ADDR_TEXT_MAX], pwbuf[1024];
  struct passwd pw, *found = NULL;
  if(getpwuid_r(geteuid(), &pw, pwbuf, sizeof(pwbuf), &found) || !found)
    snprintf(who, sizeof(who), "local:uid %u", (unsigned)geteuid());
  else
    snprintf(who, sizeof(who), "local:%s", found->pw_name);
  return index_audit_add(db, NULL, action, name, detail, who);
}

int viewer_user_add(const char *archive_dir, const char *name,
                    const char *role, const char *password)
{
  char hash[crypto_pwhash_STRBYTES];
  struct index_db *db = NULL;
  int rc;
  if(!user_name_ok(name) || !password)
    return DAFTAR_EINVAL;
  rc = password_hash(password, hash);
  if(rc)
    return rc;
  rc = with_index(archive_dir, &db);
  if(!rc) {
    rc = index_user_add(db, name, role, hash);
    if(!rc)
      rc = cli_audit(db, "user_add", name, role);
    rc = report(db, rc, "user add");
  }
  sodium_memzero(hash, sizeof(hash));
  return rc;
}

int viewer_user_passwd(const char *archive_dir, const char *name,
                       const char *password)
{
  char hash[crypto_pwhash_STRBYTES];
  struct index_db *db = NULL;
  int rc;
  if(!user_name_ok(name) || !password)
    return DAFTAR_EINVAL;
  rc = password_hash(password, hash);
  if(rc)
    return rc;
  rc = with_index(archive_dir, &db);
  if(!rc) {
    rc = index_user_set_password(db, name, hash);
    if(!rc)
      rc = cli_audit(db, "user_passwd", name, NULL);
    rc = report(db, rc, "user passwd");
  }
  sodium_memzero(hash, sizeof(hash));
  return rc;
}

int viewer_user_disable(const char *archive_dir, const char *name)
{
  struct index_db *db = NULL;
  int rc;
  if(!user_name_ok(name))
    return DAFTAR_EINVAL;
  rc = with_index(archive_dir, &db);
  if(rc)
    return rc;
  rc = index_user_set_disabled(db, name, 1);
  if(!rc)
    rc = cli_audit(db, "user_disable", name, NULL);
  return report(db, rc, "user disable");
}

int viewer_user_list(const char *archive_dir, FILE *out)
{
  struct index_db *db = NULL;
  index_user *u = NULL;
  size_t n = 0, i;
  int rc = with_index(archive_dir, &db);
  if(rc)
    return rc;
  rc = index_user_list(db, &u, &n);
  for(i = 0; !rc && i < n; i++)
    fprintf(out, "%s\t%s\t%s%s\n", u[i].name, u[i].role, u[i].created,
            u[i].disabled ? "\tdisabled" : "");
  index_users_free(u, n);
  return report(db, rc, "user list");
}

int viewer_user_list_json(const char *archive_dir, FILE *out)
{
  struct index_db *db = NULL;
  index_user *u = NULL;
  dbuf b = DBUF_INIT;
  size_t n = 0, i;
  int rc = with_index(archive_dir, &db);
  if(rc)
    return rc;
  rc = index_user_list(db, &u, &n);
  if(!rc)
    rc = dbuf_puts(&b, "{\"users\": [");
  for(i = 0; !rc && i < n; i++) {
    rc = dbuf_puts(&b, i ? ", {\"name\": " : "{\"name\": ");
    if(!rc)
      rc = json_put_str(&b, u[i].name);
    if(!rc)
      rc = dbuf_puts(&b, ", \"role\": ");
    if(!rc)
      rc = json_put_str(&b, u[i].role);
    if(!rc)
      rc = dbuf_puts(&b, ", \"created\": ");
    if(!rc)
      rc = json_put_str(&b, u[i].created);
    if(!rc)
      rc = dbuf_puts(&b, u[i].disabled ? ", \"disabled\": true}"
                                       : ", \"disabled\": false}");
  }
  if(!rc)
    rc = dbuf_puts(&b, "]}\n");
  if(!rc && fwrite(b.data, 1, b.len, out) != b.len)
    rc = DAFTAR_EIO;
  dbuf_free(&b);
  index_users_free(u, n);
  return report(db, rc, "user list");
}

/* ---- per-address throttle ------------------------------------------------------------ */

typedef struct addr_slot {
  char addr[ADDR_TEXT_MAX];
  int fails;
  time_t window_start;
} addr_slot;

struct auth_throttle {
  pthread_mutex_t mu;
  addr_slot slot[VIEWER_ADDR_SLOTS];
};

int auth_throttle_new(struct auth_throttle **out)
{
  struct auth_throttle *t = calloc(1, sizeof(*t));
  if(!t)
    return DAFTAR_ENOMEM;
  if(pthread_mutex_init(&t->mu, NULL)) {
    free(t);
    return DAFTAR_ENOMEM;
  }
  *out = t;
  return DAFTAR_OK;
}

void auth_throttle_free(struct auth_throttle *t)
{
  if(!t)
    return;
  pthread_mutex_destroy(&t->mu);
  free(t);
}

/* The slot of addr (claiming the oldest when new); call with mu held. */
static addr_slot *throttle_slot(struct auth_throttle *t, const char *addr,
                                time_t now)
{
  addr_slot *oldest = &t->slot[0];
  size_t i;
  for(i = 0; i < VIEWER_ADDR_SLOTS; i++) {
    addr_slot *s = &t->slot[i];
    if(!strcmp(s->addr, addr)) {
      if(now - s->window_start > VIEWER_ADDR_WINDOW_S) {
        s->fails = 0;
        s->window_start = now;
      }
      return s;
    }
    if(s->window_start < oldest->window_start)
      oldest = s;
  }
  snprintf(oldest->addr, sizeof(oldest->addr), "%s", addr);
  oldest->fails = 0;
  oldest->window_start = now;
  return oldest;
}

static int throttle_blocked(struct auth_throttle *t, const char *addr,
                            time_t now)
{
  int blocked;
  pthread_mutex_lock(&t->mu);
  blocked = throttle_slot(t, addr, now)->fails >= VIEWER_ADDR_FAILS_MAX;
  pthread_mutex_unlock(&t->mu);
  return blocked;
}

static void throttle_failed(struct auth_throttle *t, const char *addr,
                            time_t now)
{
  pthread_mutex_lock(&t->mu);
  throttle_slot(t, addr, now)->fails++;
  pthread_mutex_unlock(&t->mu);
}

/* ---- request helpers ---------------------------------------------------------------- */

void auth_client_address(const vreq *rq, char *out, size_t outlen)
{
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  snprintf(out, outlen, "unknown");
  if(!sa)
    return;
  if(getnameinfo(sa, sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                               : sizeof(struct sockaddr_in),
                 out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST))
    snprintf(out, outlen, "unknown");
}

static void random_hex(size_t bytes, char *out)
{
  unsigned char buf[CSRF_TOKEN_BYTES];
  randombytes_buf(buf, bytes);
  sodium_bin2hex(out, bytes * 2 + 1, buf, bytes);
  sodium_memzero(buf, sizeof(buf));
}

static int hex_decode_value(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes one urlencoded value (n bytes) into out; -1 when it does not
 * fit or holds a NUL. */
static int form_decode(const char *s, size_t n, char *out, size_t outlen)
{
  size_t i = 0, o = 0;
  while(i < n) {
    char c = s[i];
    if(c == '%') {
      int hi, lo;
      if(n - i < 3)
        return -1;
      hi = hex_decode_value(s[i + 1]);
      lo = hex_decode_value(s[i + 2]);
      if(hi < 0 || lo < 0)
        return -1;
      c = (char)(hi * 16 + lo);
      i += 3;
    } else {
      if(c == '+')
        c = ' ';
      i++;
    }
    if(c == '\0' || o + 1 >= outlen)
      return -1;
    out[o++] = c;
  }
  out[o] = '\0';
  return 0;
}

int form_field(const char *body, const char *name, char *out, size_t outlen)
{
  size_t nlen = strlen(name);
  const char *p = body;
  while(p && *p) {
    const char *amp = strchr(p, '&');
    size_t len = amp ? (size_t)(amp - p) : strlen(p);
    if(len > nlen && !strncmp(p, name, nlen) && p[nlen] == '=')
      return form_decode(p + nlen + 1, len - nlen - 1, out, outlen);
    p = amp ? amp + 1 : NULL;
  }
  return -1;
}

/* ---- sessions ----------------------------------------------------------------------- */

static int session_cookie(const vreq *rq, char token[SESSION_TOKEN_BYTES * 2 + 1])
{
  const char *c = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND,
                                              VIEWER_SESSION_COOKIE);
  size_t i;
  if(!c || strlen(c) != SESSION_TOKEN_BYTES * 2)
    return -1;
  for(i = 0; i < SESSION_TOKEN_BYTES * 2; i++)
    if(hex_decode_value(c[i]) < 0)
      return -1;
  memcpy(token, c, SESSION_TOKEN_BYTES * 2 + 1);
  return 0;
}

int auth_load(vreq *rq)
{
  char token[SESSION_TOKEN_BYTES * 2 + 1];
  struct index_db *db = viewer_thread_db(rq);
  index_session s;
  int rc;

  memset(&rq->session, 0, sizeof(rq->session));
  if(!db)
    return DAFTAR_EDB;
  if(session_cookie(rq, token))
    return DAFTAR_OK;
  if(sha256_hex(token, strlen(token), rq->session.token_sha))
    return DAFTAR_ENOMEM;
  rc = index_session_get(db, rq->session.token_sha, (int64_t)time(NULL),
                         VIEWER_SESSION_IDLE_S, VIEWER_SESSION_MAX_S, &s);
  if(rc == DAFTAR_ENOTFOUND)
    return DAFTAR_OK;
  if(rc)
    return rc;
  rq->session.active = 1;
  snprintf(rq->session.user, sizeof(rq->session.user), "%s", s.user);
  snprintf(rq->session.role, sizeof(rq->session.role), "%s", s.role);
  memcpy(rq->session.csrf, s.csrf, sizeof(rq->session.csrf));
  index_session_clear(&s);
  return DAFTAR_OK;
}

int auth_may_read(const vreq *rq)
{
  const char *r = rq->session.role;
  return rq->session.active &&
         (!strcmp(r, "staff") || !strcmp(r, "archivist"));
}

int auth_is_admin(const vreq *rq)
{
  return rq->session.active && !strcmp(rq->session.role, "admin");
}

int auth_csrf_ok(const vreq *rq)
{
  char form[INDEX_TOKEN_HEX_LEN + 1];
  const char *hdr = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND,
                                                "X-CSRF-Token");
  const char *given = hdr;
  if(!rq->session.active || !rq->session.csrf[0])
    return 0;
  if(!given && rq->body && !form_field(rq->body, "csrf", form, sizeof(form)))
    given = form;
  return given && strlen(given) == INDEX_TOKEN_HEX_LEN &&
         sodium_memcmp(given, rq->session.csrf, INDEX_TOKEN_HEX_LEN) == 0;
}

void auth_audit(vreq *rq, const char *action, const char *object,
                const char *detail)
{
  char addr[ADDR_TEXT_MAX];
  struct index_db *db = viewer_thread_db(rq);
  if(!db)
    return;
  auth_client_address(rq, addr, sizeof(addr));
  if(index_audit_add(db, rq->session.active ? rq->session.user : NULL,
                     action, object, detail, addr))
    daftar_log(DLOG_ERROR, "viewer: cannot write the audit log: %s",
               index_errmsg(db));
}

/* A read of records and its audit row are one transaction: BEGIN
 * IMMEDIATE before the read, the row and COMMIT after it, so no record
 * leaves the server unless its audit row is committed (and the chain's
 * last hash cannot move in between).  rc: the read's result; a failed read
 * is rolled back unaudited. */
int auth_read_begin(vreq *rq)
{
  struct index_db *db = viewer_thread_db(rq);
  int rc;
  if(!db)
    return DAFTAR_EDB;
  rc = index_begin(db);
  if(rc)
    daftar_log(DLOG_ERROR, "viewer: cannot start a read: %s",
               index_errmsg(db));
  return rc;
}

int auth_read_end(vreq *rq, int rc, const char *action, const char *object,
                  const char *detail)
{
  char addr[ADDR_TEXT_MAX];
  struct index_db *db = viewer_thread_db(rq);
  if(!db)
    return DAFTAR_EDB;
  if(!rc) {
    auth_client_address(rq, addr, sizeof(addr));
    rc = index_audit_add(db, rq->session.active ? rq->session.user : NULL,
                         action, object, detail, addr);
    if(!rc)
      rc = index_commit(db);
    if(rc) {
      daftar_log(DLOG_ERROR, "viewer: cannot write the audit log: %s",
                 index_errmsg(db));
      rc = DAFTAR_EDB; /* never served unaudited */
    }
  }
  if(rc)
    index_rollback(db);
  return rc;
}

/* ---- login and logout --------------------------------------------------------------- */

static void redirect(vresp *r, const char *to)
{
  r->status = MHD_HTTP_SEE_OTHER;
  r->ctype = "text/plain; charset=utf-8";
  r->body = NULL;
  r->len = 0;
  snprintf(r->location, sizeof(r->location), "%s", to);
}

/* Waiting time after the n-th consecutive failure. */
static int64_t lock_seconds(int fails)
{
  int64_t s = VIEWER_LOGIN_LOCK_S;
  int i;
  if(fails < VIEWER_LOGIN_FREE_TRIES)
    return 0;
  for(i = VIEWER_LOGIN_FREE_TRIES; i < fails && s < VIEWER_LOGIN_LOCK_MAX_S;
      i++)
    s *= 2;
  return s < VIEWER_LOGIN_LOCK_MAX_S ? s : VIEWER_LOGIN_LOCK_MAX_S;
}

/* Checks the credentials: 1 and *u filled when they hold.  Every failure
 * path costs one password check. */
static int login_check(struct index_db *db, const char *name,
                       const char *password, index_user *u, time_t now)
{
  int found = user_name_ok(name) && !index_user_get(db, name, u);
  int ok;
  if(!found) {
    password_check(NULL, password);
    return 0;
  }
  if(u->disabled || u->locked_until > now) {
    password_check(NULL, password);
    return 0;
  }
  ok = password_check(u->pwhash, password);
  if(index_user_login_result(db, u->id, ok,
                             ok ? 0 : now + lock_seconds(u->failed_logins + 1)))
    daftar_log(DLOG_ERROR, "viewer: cannot record a login: %s",
               index_errmsg(db));
  return ok;
}

static int session_start(vreq *rq, vresp *r, struct index_db *db,
                         const index_user *u, time_t now)
{
  char token[SESSION_TOKEN_BYTES * 2 + 1];
  char token_sha[SHA256_HEX_LEN + 1];
  char csrf[INDEX_TOKEN_HEX_LEN + 1];
  int rc;

  random_hex(SESSION_TOKEN_BYTES, token);
  random_hex(CSRF_TOKEN_BYTES, csrf);
  rc = sha256_hex(token, strlen(token), token_sha);
  if(!rc)
    rc = index_session_create(db, token_sha, u->id, csrf, (int64_t)now);
  if(rc)
    return rc;
  /* An old session cookie of this browser is dropped: new token at login. */
  if(rq->session.active && strcmp(rq->session.token_sha, token_sha))
    index_session_delete(db, rq->session.token_sha);
  snprintf(r->set_cookie, sizeof(r->set_cookie),
           "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", VIEWER_SESSION_COOKIE,
           token, viewer_is_tls(rq) ? "; Secure" : "");
  rq->session.active = 1;
  snprintf(rq->session.user, sizeof(rq->session.user), "%s", u->name);
  snprintf(rq->session.role, sizeof(rq->session.role), "%s", u->role);
  sodium_memzero(token, sizeof(token));
  return DAFTAR_OK;
}

void auth_login(vreq *rq, vresp *r)
{
  char name[VIEWER_USER_NAME_MAX + 1], addr[ADDR_TEXT_MAX];
  char *password = NULL;
  struct index_db *db = viewer_thread_db(rq);
  index_user u;
  time_t now = time(NULL);

  memset(&u, 0, sizeof(u));
  if(!db) {
    vresp_html_error(r, rq, MHD_HTTP_SERVICE_UNAVAILABLE);
    return;
  }
  auth_client_address(rq, addr, sizeof(addr));
  if(throttle_blocked(viewer_throttle(rq), addr, now)) {
    page_login(rq, r, MHD_HTTP_TOO_MANY_REQUESTS, M_TOO_MANY);
    return;
  }
  password = sodium_malloc(VIEWER_PASSWORD_MAX + 1);
  if(!password) {
    vresp_html_error(r, rq, MHD_HTTP_INTERNAL_SERVER_ERROR);
    return;
  }
  if(!rq->body || form_field(rq->body, "user", name, sizeof(name)) ||
     form_field(rq->body, "password", password, VIEWER_PASSWORD_MAX + 1))
    name[0] = password[0] = '\0';
  if(!login_check(db, name, password, &u, now)) {
    throttle_failed(viewer_throttle(rq), addr, now);
    auth_audit(rq, "login_failed", user_name_ok(name) ? name : NULL, NULL);
    page_login(rq, r, MHD_HTTP_UNAUTHORIZED, M_LOGIN_FAILED);
  } else if(session_start(rq, r, db, &u, now)) {
    vresp_html_error(r, rq, MHD_HTTP_INTERNAL_SERVER_ERROR);
  } else {
    auth_audit(rq, "login", u.name, NULL);
    /* each role lands on the page it may use */
    redirect(r, !strcmp(u.role, "operator") ? "/batches"
                : !strcmp(u.role, "admin")  ? "/audit"
                                            : "/");
  }
  sodium_free(password);
  index_user_clear(&u);
}

void auth_logout(vreq *rq, vresp *r)
{
  struct index_db *db = viewer_thread_db(rq);
  if(!rq->session.active) {
    redirect(r, "/login");
    return;
  }
  if(!auth_csrf_ok(rq)) {
    vresp_html_error(r, rq, MHD_HTTP_FORBIDDEN);
    return;
  }
  auth_audit(rq, "logout", rq->session.user, NULL);
  if(db)
    index_session_delete(db, rq->session.token_sha);
  snprintf(r->set_cookie, sizeof(r->set_cookie),
           "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
           VIEWER_SESSION_COOKIE);
  redirect(r, "/login");
}

void api_session(vreq *rq, vresp *r)
{
  vout o;
  vout_init(&o);
  if(!rq->session.active) {
    vresp_json_error(r, MHD_HTTP_UNAUTHORIZED, "not logged in");
    vout_free(&o);
    return;
  }
  vout_puts(&o, "{\"user\": ");
  if(!o.err)
    o.err = json_put_str(&o.b, rq->session.user);
  vout_puts(&o, ", \"role\": ");
  if(!o.err)
    o.err = json_put_str(&o.b, rq->session.role);
  vout_puts(&o, ", \"csrf\": ");
  if(!o.err)
    o.err = json_put_str(&o.b, rq->session.csrf);
  vout_puts(&o, "}\n");
  vresp_take(r, MHD_HTTP_OK, "application/json; charset=utf-8", &o);
}

void api_audit(vreq *rq, vresp *r)
{
  const char *limit = vreq_arg(rq, "limit"), *offset = vreq_arg(rq, "offset");
  struct index_db *db = viewer_thread_db(rq);
  long lim = AUDIT_LIMIT_DEFAULT, off = 0;
  vout o;
  int rc;

  if((limit && viewer_parse_int(limit, 1, AUDIT_LIMIT_MAX, &lim)) ||
     (offset && viewer_parse_int(offset, 0, 100000000, &off))) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad query parameters");
    return;
  }
  if(!db) {
    vresp_json_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "archive unavailable");
    return;
  }
  vout_init(&o);
  rc = index_audit_json(db, vreq_arg(rq, "user"), vreq_arg(rq, "action"),
                        (int)lim, (int)off, &o.b);
  if(rc) {
    vout_free(&o);
    vresp_json_error(r, viewer_status_of(rc), "audit unavailable");
    return;
  }
  vresp_take(r, MHD_HTTP_OK, "application/json; charset=utf-8", &o);
}
