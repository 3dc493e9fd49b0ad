/* test_viewer.c - the web viewer over real HTTP on a real archive.
 *
 * The archive is built once (unchecked fixture, in the parent): a G4 TIFF
 * written with Leptonica is ingested through ingest_run(), then OCR words
 * and fields are stored through index/ as the OCR and extraction stages
 * would (no Tesseract needed).  Each test starts viewer_serve() on port 0 in
 * a thread of its own forked process and talks HTTP over a raw socket.
 * Nothing is served without a session: the "http" case logs its reader in
 * through POST /login before each test and every request carries that
 * cookie (reader_cookie) unless the test sends a Cookie of its own. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <sqlite3.h>

#include "core.h"
#include "index.h"
#include "ingest.h"
#include "viewer.h"
#include "viewer_int.h"

#define HTTP_MAX ((size_t)16 * 1024 * 1024)
#define WORKER_SSN "123456789"
#define WORKER_NAME "أحمد كريم"
#define WORKER_NID "198712345678"
#define WORKER_NID_MASKED "••••••••5678"
#define EMPLOYER_NAME "شركة النور للمقاولات"
#define PAGE_W 800
#define PAGE_H 1000
#define WIDE_W 1800
#define CSP                                                                    \
  "default-src 'self'; script-src 'self'; style-src 'self'; "                  \
  "img-src 'self' data:; frame-ancestors 'none'"

static char tmp_root[64];
static char archive_dir[128];
static int64_t doc_id, wide_doc_id;

/* ---- the archive ----------------------------------------------------------- */

static void write_tiff(const char *path, int w, int h)
{
  PIX *pix = pixCreate(w, h, 1);
  ck_assert_ptr_nonnull(pix);
  pixSetResolution(pix, 300, 300);
  /* a few black bars where the form's lines would be */
  pixRasterop(pix, 100, 100, 600, 40, PIX_SET, NULL, 0, 0);
  pixRasterop(pix, 100, 300, 400, 30, PIX_SET, NULL, 0, 0);
  pixRasterop(pix, 100, 500, 500, 30, PIX_SET, NULL, 0, 0);
  ck_assert_int_eq(pixWrite(path, pix, IFF_TIFF_G4), 0);
  pixDestroy(&pix);
}

static daftar_word make_word(const char *text, int x0, int y0, int line)
{
  daftar_word w;
  memset(&w, 0, sizeof(w));
  w.text = (char *)text;
  w.page = 1;
  w.line = line;
  w.box.x0 = x0;
  w.box.y0 = y0;
  w.box.x1 = x0 + 90;
  w.box.y1 = y0 + 30;
  w.conf = 91.0f;
  return w;
}

static daftar_field make_field(const char *name, const char *value, int y0)
{
  daftar_field f;
  memset(&f, 0, sizeof(f));
  snprintf(f.name, sizeof(f.name), "%s", name);
  f.value = (char *)value;
  f.raw = (char *)value;
  f.confidence = 88.0f;
  f.page = 1;
  f.box.x0 = 100;
  f.box.y0 = y0;
  f.box.x1 = 500;
  f.box.y1 = y0 + 30;
  snprintf(f.rule, sizeof(f.rule), "label-colon");
  return f;
}

static void build_archive(void)
{
  char dir[160], path[200];
  struct index_db *db = NULL;
  ingest_options io;
  ingest_summary s;
  index_page_ref *refs = NULL;
  size_t nrefs = 0, i;
  int64_t page_id = 0;
  static const char text[] =
      "استمارة تسجيل عامل مضمون\n"
      "اسم العامل: " WORKER_NAME "\n"
      "رقم الضمان: " WORKER_SSN "\n"
      "الرقم الوطني: " WORKER_NID "\n"
      "ملاحظة <script>alert(1)</script> مكتوبة\n";
  daftar_word words[7];
  daftar_field fields[6];
  index_ocr_result r;

  snprintf(tmp_root, sizeof(tmp_root), "/tmp/daftar-viewer-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(tmp_root));
  snprintf(archive_dir, sizeof(archive_dir), "%s/archive", tmp_root);
  snprintf(dir, sizeof(dir), "%s/batch/01234", tmp_root);
  ck_assert_int_eq(file_mkdirs(dir), 0);
  snprintf(path, sizeof(path), "%s/doc-01.tif", dir);
  write_tiff(path, PAGE_W, PAGE_H);
  /* a wide scan: served scaled down to the screen width */
  snprintf(dir, sizeof(dir), "%s/batch/01235", tmp_root);
  ck_assert_int_eq(file_mkdirs(dir), 0);
  snprintf(path, sizeof(path), "%s/doc-01.tif", dir);
  write_tiff(path, WIDE_W, 600);

  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  ingest_options_default(&io);
  io.operator_name = "tester";
  snprintf(dir, sizeof(dir), "%s/batch", tmp_root);
  ck_assert_int_eq(ingest_run(db, dir, &io, &s), 0);
  ck_assert_int_eq(s.documents, 2);

  ck_assert_int_eq(index_pages_pending(db, 0, &refs, &nrefs), 0);
  ck_assert_uint_eq(nrefs, 2);
  for(i = 0; i < nrefs; i++) {
    if(!strcmp(refs[i].source, "01234/doc-01.tif")) {
      doc_id = refs[i].document_id;
      page_id = refs[i].page_id;
    } else {
      wide_doc_id = refs[i].document_id;
    }
  }
  ck_assert_int_gt(doc_id, 0);
  ck_assert_int_gt(wide_doc_id, 0);

  words[0] = make_word("اسم", 600, 300, 1);
  words[1] = make_word("العامل", 500, 300, 1);
  words[2] = make_word(WORKER_NAME, 300, 300, 1);
  words[3] = make_word(WORKER_SSN, 300, 500, 2);
  words[4] = make_word("<script>alert(1)</script>", 300, 700, 3);
  words[5] = make_word("مكتوبة", 200, 700, 3);
  words[6] = make_word(WORKER_NID, 300, 400, 4);
  memset(&r, 0, sizeof(r));
  r.text = text;
  r.confidence = 90.0f;
  r.lang = "Arabic";
  r.words = words;
  r.nwords = 7;
  ck_assert_int_eq(index_page_store_ocr(db, page_id, &r), 0);
  index_page_refs_free(refs, nrefs);

  fields[0] = make_field("worker_name", WORKER_NAME, 300);
  fields[1] = make_field("worker_ssn", WORKER_SSN, 500);
  fields[2] = make_field("employer_name", EMPLOYER_NAME, 100);
  fields[3] = make_field("start_date", "2010-03-01", 600);
  fields[4] = make_field("monthly_wage", "450000", 700);
  fields[4].confidence = 40.0f; /* doubtful: goes to the review queue */
  fields[5] = make_field("national_id", WORKER_NID, 400);
  ck_assert_int_eq(index_document_store_fields(db, doc_id, "registration",
                                               fields, 6), 0);
  index_close(db);
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(p);
}

static void remove_archive(void)
{
  if(tmp_root[0])
    nftw(tmp_root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- the server in a thread -------------------------------------------------- */

static pthread_t server_thread;
static pthread_mutex_t ready_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static char server_url[128];
static int server_port;
static int server_rc = 1;
static int server_running;
static const char *server_tls_cert, *server_tls_key; /* NULL: plain HTTP */
/* The session every request carries when the test names no cookie:
 * "daftar_session=<hex>" ("" for none), and its CSRF token. */
static char reader_cookie[96];
static char reader_csrf[80];

static void on_ready(void *arg, const char *url)
{
  (void)arg;
  pthread_mutex_lock(&ready_mu);
  snprintf(server_url, sizeof(server_url), "%s", url);
  pthread_cond_signal(&ready_cv);
  pthread_mutex_unlock(&ready_mu);
}

static void *serve_main(void *arg)
{
  viewer_options o;
  (void)arg;
  memset(&o, 0, sizeof(o));
  o.archive_dir = archive_dir;
  o.listen = "127.0.0.1:0";
  o.threads = 2;
  o.on_ready = on_ready;
  o.tls_cert = server_tls_cert;
  o.tls_key = server_tls_key;
  server_rc = viewer_serve(&o);
  on_ready(NULL, "failed"); /* wakes a waiter if serve never got ready */
  return NULL;
}

static void server_start(void)
{
  const char *colon;
  server_url[0] = '\0'; /* CK_FORK=no runs every test in one process */
  server_rc = 1;
  ck_assert_int_eq(pthread_create(&server_thread, NULL, serve_main, NULL), 0);
  pthread_mutex_lock(&ready_mu);
  while(!server_url[0])
    pthread_cond_wait(&ready_cv, &ready_mu);
  pthread_mutex_unlock(&ready_mu);
  server_running = 1;
  ck_assert_msg(!strncmp(server_url, server_tls_cert ? "https://127.0.0.1:"
                                                     : "http://127.0.0.1:",
                         server_tls_cert ? 18 : 17),
                "bad url %s", server_url);
  colon = strrchr(server_url, ':');
  server_port = (int)strtol(colon + 1, NULL, 10);
  ck_assert_int_gt(server_port, 0);
}

static void server_stop(void)
{
  if(!server_running)
    return;
  server_running = 0;
  reader_cookie[0] = reader_csrf[0] = '\0';
  viewer_stop();
  pthread_join(server_thread, NULL);
  ck_assert_int_eq(server_rc, 0);
}

/* ---- a raw HTTP client ---------------------------------------------------------- */

typedef struct http_resp {
  int status;
  char *head; /* status line and headers */
  char *body;
  size_t body_len;
  char *raw;
} http_resp;

static void http_free(http_resp *r)
{
  free(r->raw);
  memset(r, 0, sizeof(*r));
}

/* Sends request (a full HTTP request text) and reads until EOF. */
static void http_send(const char *request, http_resp *r)
{
  struct sockaddr_in a;
  dbuf in = DBUF_INIT;
  char chunk[4096], *sep;
  size_t off = 0, len = strlen(request), total;
  int fd = socket(AF_INET, SOCK_STREAM, 0);

  memset(r, 0, sizeof(*r));
  ck_assert_int_ge(fd, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)server_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
  while(off < len) {
    ssize_t w = send(fd, request + off, len - off, MSG_NOSIGNAL);
    ck_assert_int_gt(w, 0);
    off += (size_t)w;
  }
  for(;;) {
    ssize_t got = recv(fd, chunk, sizeof(chunk), 0);
    if(got < 0 && errno == EINTR)
      continue;
    if(got <= 0)
      break;
    ck_assert_int_eq(dbuf_append(&in, chunk, (size_t)got), 0);
    ck_assert_uint_lt(in.len, HTTP_MAX);
  }
  close(fd);
  dbuf_cstr(&in);
  total = in.len;
  r->raw = dbuf_take(&in);
  ck_assert_ptr_nonnull(r->raw);
  sep = strstr(r->raw, "\r\n\r\n");
  if(!sep) {
    /* closed without an answer: status 0, which no test expects */
    r->head = r->raw;
    r->body = r->raw + total;
    r->body_len = 0;
    r->status = 0;
    return;
  }
  *sep = '\0';
  r->head = r->raw;
  r->body = sep + 4;
  r->body_len = total - (size_t)(r->body - r->raw);
  ck_assert_int_eq(sscanf(r->head, "HTTP/1.%*d %d", &r->status), 1);
}

/* headers, plus the reader's session cookie when it names no cookie. */
static void with_reader_cookie(const char *headers, char *out, size_t len)
{
  int n;
  headers = headers ? headers : "";
  if(reader_cookie[0] && !strstr(headers, "Cookie:"))
    n = snprintf(out, len, "%sCookie: %s\r\n", headers, reader_cookie);
  else
    n = snprintf(out, len, "%s", headers);
  ck_assert(n >= 0 && (size_t)n < len);
}

static void http_get_h(const char *path, const char *headers, http_resp *r)
{
  char req[8192], hdrs[1024];
  int n;
  with_reader_cookie(headers, hdrs, sizeof(hdrs));
  n = snprintf(req, sizeof(req),
               "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: "
               "close\r\n\r\n",
               path, hdrs);
  ck_assert(n > 0 && (size_t)n < sizeof(req));
  http_send(req, r);
}

static void http_get(const char *path, http_resp *r)
{
  http_get_h(path, NULL, r);
}

/* The value of a header (case-insensitive name), copied into out. */
static int http_header(const http_resp *r, const char *name, char *out,
                       size_t outlen)
{
  const char *p = strstr(r->head, "\r\n");
  size_t n = strlen(name);
  while(p) {
    const char *line = p + 2, *end = strstr(line, "\r\n");
    size_t llen = end ? (size_t)(end - line) : strlen(line);
    if(llen > n && !strncasecmp(line, name, n) && line[n] == ':') {
      const char *v = line + n + 1;
      while(*v == ' ')
        v++;
      snprintf(out, outlen, "%.*s", (int)(llen - (size_t)(v - line)), v);
      return 1;
    }
    p = end;
  }
  return 0;
}

static void assert_security_headers(const http_resp *r)
{
  char v[256];
  ck_assert_msg(http_header(r, "Content-Security-Policy", v, sizeof(v)),
                "no CSP in %s", r->head);
  ck_assert_str_eq(v, CSP);
  ck_assert(http_header(r, "X-Content-Type-Options", v, sizeof(v)));
  ck_assert_str_eq(v, "nosniff");
  ck_assert(http_header(r, "Referrer-Policy", v, sizeof(v)));
  ck_assert_str_eq(v, "no-referrer");
}

static void assert_type(const http_resp *r, const char *prefix)
{
  char v[128];
  ck_assert(http_header(r, "Content-Type", v, sizeof(v)));
  ck_assert_msg(!strncmp(v, prefix, strlen(prefix)), "type %s, want %s", v,
                prefix);
}

#define PW_ADMIN "admin-password-1"
#define PW_STAFF "staff-password-1"
#define PW_OPER "operator-password-1"
#define PW_ARCH "archivist-password-1"

/* The CSRF token of a logged-in session, from /api/session. */
static void session_csrf(const char *cookie, char *csrf, size_t len)
{
  http_resp r;
  const char *p;
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  p = strstr(r.body, "\"csrf\": \"");
  ck_assert_ptr_nonnull(p);
  snprintf(csrf, len, "%.64s", p + 9);
  http_free(&r);
}

static void http_post(const char *path, const char *body, const char *headers,
                      http_resp *r)
{
  dbuf req = DBUF_INIT;
  char hdrs[1024];
  with_reader_cookie(headers, hdrs, sizeof(hdrs));
  ck_assert_int_eq(dbuf_printf(&req,
                               "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s"
                               "Content-Type: application/"
                               "x-www-form-urlencoded\r\nContent-Length: "
                               "%zu\r\nConnection: close\r\n\r\n",
                               path, hdrs, strlen(body)),
                   0);
  ck_assert_int_eq(dbuf_puts(&req, body), 0);
  http_send(dbuf_cstr(&req), r);
  dbuf_free(&req);
}

/* Logs in; fills "Cookie: ...\r\n" into cookie_hdr. */
static void login(const char *user, const char *password, char *cookie_hdr,
                  size_t len)
{
  char body[256], v[256];
  http_resp r;
  char *semi;
  snprintf(body, sizeof(body), "user=%s&password=%s", user, password);
  http_post("/login", body, NULL, &r);
  ck_assert_msg(r.status == 303, "login %s gave %d", user, r.status);
  ck_assert(http_header(&r, "Location", v, sizeof(v)));
  /* each role lands on its own page */
  ck_assert_str_eq(v, !strcmp(user, "op1")      ? "/batches"
                      : !strcmp(user, "admin1") ? "/audit"
                                                : "/");
  ck_assert(http_header(&r, "Set-Cookie", v, sizeof(v)));
  semi = strchr(v, ';');
  ck_assert_ptr_nonnull(semi);
  *semi = '\0';
  int w = snprintf(cookie_hdr, len, "Cookie: %s\r\n", v);
  ck_assert_msg(w > 0 && (size_t)w < len, "session cookie too long");
  http_free(&r);
}

/* The "http" case's reader: a staff account made by the fixture, logged
 * in through the form like a browser; its cookie then goes with every
 * request (with_reader_cookie). */
#define READER_NAME "reader1"
#define PW_READER "reader-password-1"

static void build_archive_with_reader(void)
{
  build_archive();
  ck_assert_int_eq(viewer_user_add(archive_dir, READER_NAME, "staff",
                                   PW_READER), 0);
}

static void server_start_logged_in(void)
{
  char hdr[160];
  server_start();
  login(READER_NAME, PW_READER, hdr, sizeof(hdr));
  /* "Cookie: daftar_session=...\r\n" -> "daftar_session=..." */
  snprintf(reader_cookie, sizeof(reader_cookie), "%.*s",
           (int)(strlen(hdr) - strlen("Cookie: ") - 2), hdr + strlen("Cookie: "));
  session_csrf(hdr, reader_csrf, sizeof(reader_csrf));
}

/* ---- tests: pages ---------------------------------------------------------------- */

START_TEST(viewer_search_page_is_rtl_utf8_html)
{
  http_resp r;
  http_get("/", &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "text/html; charset=utf-8");
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"ckb\" dir=\"rtl\">"));
  ck_assert_ptr_nonnull(strstr(r.body, "<input type=\"search\" name=\"q\""));
  ck_assert_ptr_nonnull(strstr(r.body, "/assets/app.js"));
  ck_assert_ptr_null(strstr(r.body, "<script>")); /* no inline script */
  ck_assert_ptr_null(strstr(r.body, "style=")); /* no inline style */
  http_free(&r);

  http_get("/?lang=ar", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"ar\" dir=\"rtl\">"));
  ck_assert_ptr_nonnull(strstr(r.body, "بحث"));
  http_free(&r);
}
END_TEST

START_TEST(viewer_language_switch_sets_cookie_and_english_is_ltr)
{
  http_resp r;
  char v[128];
  http_get("/?lang=en", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"en\" dir=\"ltr\">"));
  ck_assert(http_header(&r, "Set-Cookie", v, sizeof(v)));
  ck_assert_ptr_nonnull(strstr(v, "daftar_lang=en"));
  ck_assert_ptr_nonnull(strstr(v, "SameSite=Strict"));
  http_free(&r);

  {
    char hdr[160];
    snprintf(hdr, sizeof(hdr), "Cookie: daftar_lang=ar; %s\r\n",
             reader_cookie);
    http_get_h("/", hdr, &r);
  }
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"ar\" dir=\"rtl\">"));
  http_free(&r);

  /* an unknown language is ignored, not echoed */
  http_get("/?lang=%3Cb%3E", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<html lang=\"ckb\" dir=\"rtl\">"));
  ck_assert_ptr_null(strstr(r.body, "<b>"));
  http_free(&r);
}
END_TEST

START_TEST(viewer_search_page_lists_hit_with_marked_snippet)
{
  http_resp r;
  char link[64];
  http_get("/?q=" WORKER_SSN, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(link, sizeof(link), "/document/%lld", (long long)doc_id);
  ck_assert_msg(strstr(r.body, link) != NULL, "no %s in %s", link, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "/worker/" WORKER_SSN));
  ck_assert_ptr_nonnull(strstr(r.body, "<mark>"));
  /* grouped under the worker */
  ck_assert_ptr_nonnull(strstr(r.body, "<li class=\"worker-group\">\n<h3><a "
                                       "class=\"worker\" href=\"/worker/"
                                       WORKER_SSN "\"><bdi>" WORKER_NAME));
  http_free(&r);

  http_get("/?q=zzzznothing", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "class=\"empty\""));
  http_free(&r);
}
END_TEST

START_TEST(viewer_escapes_script_in_snippet)
{
  http_resp r;
  http_get("/?q=alert", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_msg(strstr(r.body, "class=\"snippet\"") != NULL,
                "no hit for alert: %s", r.body);
  ck_assert_ptr_null(strstr(r.body, "<script>alert"));
  ck_assert_ptr_nonnull(strstr(r.body, "&lt;script&gt;"));
  http_free(&r);

  /* the query itself is echoed escaped in the box */
  http_get("/?q=%22%3E%3Cscript%3Ex%3C%2Fscript%3E", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, "<script>x"));
  ck_assert_ptr_nonnull(strstr(r.body, "value=\"&quot;&gt;&lt;script&gt;"));
  http_free(&r);
}
END_TEST

START_TEST(viewer_worker_page_shows_identity_and_documents)
{
  http_resp r;
  char link[64];
  http_get("/worker/" WORKER_SSN "?lang=ar", &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "text/html; charset=utf-8");
  ck_assert_ptr_nonnull(strstr(r.body, WORKER_NAME));
  ck_assert_ptr_nonnull(strstr(r.body, EMPLOYER_NAME));
  ck_assert_ptr_nonnull(strstr(r.body, "2010-03-01"));
  ck_assert_ptr_nonnull(strstr(r.body, "رقم الضمان"));
  /* the employment timeline has the employer's spell */
  ck_assert_ptr_nonnull(strstr(r.body, "<li class=\"spell\"><span "
                                       "class=\"employer\" dir=\"auto\">"
                                       EMPLOYER_NAME "</span>"));
  snprintf(link, sizeof(link), "href=\"/document/%lld\"", (long long)doc_id);
  ck_assert_ptr_nonnull(strstr(r.body, link));
  /* why the document is linked: its SSN started the worker */
  ck_assert_ptr_nonnull(strstr(r.body, "<th>سبب الربط</th>"));
  ck_assert_ptr_nonnull(strstr(r.body, "<td class=\"linked_by\" dir=\"auto\">"
                                       "عامل جديد من هذه الوثيقة</td>"));
  http_free(&r);
}
END_TEST

START_TEST(viewer_document_page_shows_image_boxes_fields_text)
{
  http_resp r;
  char path[64], img[96];
  snprintf(path, sizeof(path), "/document/%lld", (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(img, sizeof(img), "src=\"/api/documents/%lld/pages/1.png\"",
           (long long)doc_id);
  ck_assert_ptr_nonnull(strstr(r.body, img));
  ck_assert_ptr_nonnull(strstr(r.body, "viewBox=\"0 0 800 1000\""));
  ck_assert_ptr_nonnull(strstr(r.body, "<rect class=\"box\" x=\"100\" "
                                       "y=\"300\" width=\"400\" height=\"30\" "
                                       "data-field=\"worker_name\""));
  ck_assert_ptr_nonnull(strstr(r.body, "<tr data-field=\"employer_name\""));
  ck_assert_ptr_nonnull(strstr(r.body, EMPLOYER_NAME));
  ck_assert_ptr_nonnull(strstr(r.body, "class=\"ocr-text\""));
  ck_assert_ptr_nonnull(strstr(r.body, "استمارة تسجيل عامل مضمون"));
  ck_assert_ptr_null(strstr(r.body, "<script>alert"));
  ck_assert_ptr_nonnull(strstr(r.body, "/worker/" WORKER_SSN));
  http_free(&r);

  /* the words searched for are marked in the recognized text */
  snprintf(path, sizeof(path), "/document/%lld?q=%%D8%%A3%%D8%%AD%%D9%%85%%D8%%AF",
           (long long)doc_id); /* أحمد */
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "اسم العامل: <mark>أحمد</mark> كريم"));
  http_free(&r);

  /* a page the document does not have */
  snprintf(path, sizeof(path), "/document/%lld?page=7", (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 404);
  http_free(&r);
  snprintf(path, sizeof(path), "/document/%lld?page=x", (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
}
END_TEST

/* ---- tests: API ------------------------------------------------------------------ */

START_TEST(viewer_api_search_returns_result_objects)
{
  http_resp r;
  char id[48];
  http_get("/api/search?q=" WORKER_SSN "&limit=5", &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "application/json");
  assert_security_headers(&r);
  ck_assert_ptr_nonnull(strstr(r.body, "\"results\""));
  ck_assert_ptr_nonnull(strstr(r.body, "01234/doc-01.tif"));
  ck_assert_ptr_nonnull(strstr(r.body, WORKER_SSN));
  snprintf(id, sizeof(id), "%lld", (long long)doc_id);
  ck_assert_ptr_nonnull(strstr(r.body, id));
  http_free(&r);

  http_get("/api/search?q=", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"results\""));
  ck_assert_ptr_null(strstr(r.body, "01234"));
  http_free(&r);
}
END_TEST

START_TEST(viewer_api_search_refuses_bad_parameters)
{
  static const char *const bad[] = {
      "/api/search?q=x&limit=abc", "/api/search?q=x&limit=0",
      "/api/search?q=x&limit=100000", "/api/search?q=x&offset=-1",
      "/api/search?q=x&limit=99999999999999999999", "/api/search?q=%FF%FE",
  };
  http_resp r;
  size_t i;
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    http_get(bad[i], &r);
    ck_assert_msg(r.status == 400, "%s gave %d", bad[i], r.status);
    assert_type(&r, "application/json");
    ck_assert_ptr_nonnull(strstr(r.body, "\"error\""));
    http_free(&r);
  }
}
END_TEST

/* A query the index refuses (a one-letter prefix) is answered with its
 * reason: in the API's error, and on the search page beside the form. */
START_TEST(viewer_search_explains_a_refused_query)
{
  http_resp r;

  http_get("/api/search?q=%D9%85*", &r); /* م* */
  ck_assert_int_eq(r.status, 400);
  assert_type(&r, "application/json");
  ck_assert_msg(strstr(r.body, "at least 2 letters") != NULL, "%s", r.body);
  http_free(&r);
  http_get("/?q=%D9%85*&lang=ar", &r);
  ck_assert_int_eq(r.status, 400);
  assert_type(&r, "text/html; charset=utf-8");
  ck_assert_ptr_nonnull(strstr(r.body, "<input type=\"search\" name=\"q\""));
  ck_assert_ptr_nonnull(strstr(r.body, "تعذّر تنفيذ هذا البحث"));
  ck_assert_msg(strstr(r.body, "at least 2 letters") != NULL, "%s", r.body);
  http_free(&r);
}
END_TEST

START_TEST(viewer_api_worker_json)
{
  http_resp r;
  http_get("/api/workers/" WORKER_SSN, &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "application/json");
  ck_assert_ptr_nonnull(strstr(r.body, "\"ssn\":\"" WORKER_SSN "\""));
  ck_assert_ptr_nonnull(strstr(r.body, WORKER_NAME));
  ck_assert_ptr_nonnull(strstr(r.body, "\"documents\""));
  http_free(&r);

  /* the same number in Arabic-Indic digits (URL-encoded UTF-8) */
  http_get("/api/workers/%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8"
           "%D9%A9",
           &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, WORKER_NAME));
  http_free(&r);
}
END_TEST

START_TEST(viewer_unknown_worker_is_404)
{
  http_resp r;
  http_get("/api/workers/99999999", &r);
  ck_assert_int_eq(r.status, 404);
  assert_type(&r, "application/json");
  assert_security_headers(&r);
  http_free(&r);
  http_get("/worker/99999999", &r);
  ck_assert_int_eq(r.status, 404);
  assert_type(&r, "text/html");
  http_free(&r);
}
END_TEST

START_TEST(viewer_api_document_json)
{
  http_resp r;
  char path[64];
  snprintf(path, sizeof(path), "/api/documents/%lld", (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "application/json");
  ck_assert_ptr_nonnull(strstr(r.body, "01234/doc-01.tif"));
  ck_assert_ptr_nonnull(strstr(r.body, EMPLOYER_NAME));
  ck_assert_ptr_nonnull(strstr(r.body, "worker_name"));
  http_free(&r);

  http_get("/api/documents/987654", &r);
  ck_assert_int_eq(r.status, 404);
  http_free(&r);
}
END_TEST

/* Width of a PNG from its IHDR chunk. */
static unsigned png_width(const http_resp *r)
{
  const unsigned char *b = (const unsigned char *)r->body;
  ck_assert_uint_gt(r->body_len, 24);
  ck_assert_uint_lt(r->body_len, HTTP_MAX);
  return (unsigned)b[16] << 24 | (unsigned)b[17] << 16 |
         (unsigned)b[18] << 8 | b[19];
}

START_TEST(viewer_page_image_is_png)
{
  http_resp r;
  char path[96];
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png",
           (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "image/png");
  assert_security_headers(&r);
  ck_assert_uint_gt(r.body_len, 8);
  ck_assert_int_eq(memcmp(r.body, "\x89PNG\r\n\x1a\n", 8), 0);
  ck_assert_uint_eq(png_width(&r), PAGE_W); /* never scaled up */
  {
    char v[32];
    ck_assert(http_header(&r, "Content-Length", v, sizeof(v)));
    ck_assert_uint_eq(strtoul(v, NULL, 10), r.body_len);
  }
  http_free(&r);

  /* scaled down on request, twice (the second from the cache) */
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?w=400",
           (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(png_width(&r), 400);
  http_free(&r);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(memcmp(r.body, "\x89PNG\r\n\x1a\n", 8), 0);
  ck_assert_uint_eq(png_width(&r), 400);
  http_free(&r);

  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png",
           (long long)wide_doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_uint_eq(png_width(&r), VIEWER_IMAGE_WIDTH);
  http_free(&r);

  snprintf(path, sizeof(path), "/api/documents/%lld/pages/2.png",
           (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 404);
  http_free(&r);
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?w=5",
           (long long)doc_id);
  http_get(path, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
}
END_TEST

/* ---- tests: hostile input and headers ----------------------------------------------- */

START_TEST(viewer_refuses_hostile_paths)
{
  static const char *const bad[] = {
      "/../etc/passwd",
      "/assets/../viewer.h",
      "/assets/%2e%2e/%2e%2e/etc/passwd",
      "/api/documents/..%2F..%2Fetc%2Fpasswd",
      "/api/documents/1%00",
      "/document/1%00.html",
      "/api/documents/abc",
      "/api/documents/-1",
      "/api/documents/0",
      "/api/documents/99999999999999999999999999",
      "/api/documents/1e3",
      "/api/documents/1/pages/0.png",
      "/api/documents/1/pages/x.png",
      "/api/documents/1/pages/1.gif",
      "/api/documents/1/pages/99999999999.png",
      "/api/workers/12a",
      "/api/workers/123456789012345678901234567890123456789",
      "/worker/%3Cscript%3E",
      "/document/1;drop",
      "/assets/shell.html",
      "/assets/nothing.js",
      "/nothing",
      "/api/nothing",
      "//etc/passwd",
      "/a/b/c/d/e/f/g/h",
      "/assets\\..\\x",
  };
  http_resp r;
  char longpath[4096];
  size_t i;
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    http_get(bad[i], &r);
    ck_assert_msg(r.status == 400 || r.status == 404, "%s gave %d", bad[i],
                  r.status);
    assert_security_headers(&r);
    ck_assert_ptr_null(strstr(r.body, "root:"));
    http_free(&r);
  }
  longpath[0] = '/';
  memset(longpath + 1, 'a', sizeof(longpath) - 2);
  longpath[sizeof(longpath) - 1] = '\0';
  http_get(longpath, &r);
  ck_assert_int_eq(r.status, 414);
  http_free(&r);
  /* still serving */
  http_get("/", &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
}
END_TEST

START_TEST(viewer_non_numeric_and_huge_ids_are_400)
{
  http_resp r;
  http_get("/api/documents/abc", &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  http_get("/api/documents/99999999999999999999999999", &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  http_get("/document/abc", &r);
  ck_assert_int_eq(r.status, 400);
  assert_type(&r, "text/html");
  http_free(&r);
  http_get("/api/documents/1%00", &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
}
END_TEST

START_TEST(viewer_security_headers_on_every_response)
{
  static const char *const paths[] = {
      "/", "/?q=x", "/api/search?q=x", "/assets/app.js", "/assets/app.css",
      "/nothing", "/api/documents/abc", "/worker/" WORKER_SSN,
  };
  http_resp r;
  size_t i;
  for(i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
    http_get(paths[i], &r);
    assert_security_headers(&r);
    http_free(&r);
  }
}
END_TEST

START_TEST(viewer_serves_compiled_in_assets)
{
  http_resp r;
  http_get("/assets/app.js", &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "text/javascript");
  ck_assert_ptr_nonnull(strstr(r.body, "use strict"));
  http_free(&r);
  http_get("/assets/app.css", &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "text/css");
  http_free(&r);
}
END_TEST

START_TEST(viewer_refuses_other_methods)
{
  http_resp r;
  char req[512];
  snprintf(req, sizeof(req), "POST / HTTP/1.1\r\nHost: x\r\nCookie: %s\r\n"
           "Content-Length: 3\r\nConnection: close\r\n\r\nabc",
           reader_cookie);
  http_send(req, &r);
  ck_assert(r.status == 405 || r.status == 413 || r.status == 400);
  http_free(&r);
  snprintf(req, sizeof(req), "DELETE /api/documents/1 HTTP/1.1\r\nHost: x\r\n"
           "Cookie: %s\r\nConnection: close\r\n\r\n", reader_cookie);
  http_send(req, &r);
  ck_assert_int_eq(r.status, 405);
  assert_security_headers(&r);
  http_free(&r);
}
END_TEST

/* ---- tests: closed by default ------------------------------------------------------ */

START_TEST(viewer_archive_without_accounts_is_closed)
{
  static const char *const api[] = {
      "/api/search?q=" WORKER_SSN, "/api/workers/" WORKER_SSN,
      "/api/documents/1", "/api/documents/1/pages/1.png", "/api/batches",
      "/api/audit", "/api/review", "/api/session",
  };
  static const char *const pages[] = {
      "/", "/?q=" WORKER_SSN, "/worker/" WORKER_SSN, "/document/1",
      "/batches", "/audit", "/review",
  };
  http_resp r;
  char v[64];
  size_t i;
  for(i = 0; i < sizeof(api) / sizeof(api[0]); i++) {
    http_get(api[i], &r);
    ck_assert_msg(r.status == 401, "%s gave %d", api[i], r.status);
    ck_assert_ptr_null(strstr(r.body, WORKER_SSN));
    ck_assert_ptr_null(strstr(r.body, WORKER_NAME));
    http_free(&r);
  }
  for(i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
    http_get(pages[i], &r);
    ck_assert_msg(r.status == 303, "%s gave %d", pages[i], r.status);
    ck_assert(http_header(&r, "Location", v, sizeof(v)));
    ck_assert_str_eq(v, "/login");
    ck_assert_ptr_null(strstr(r.body, WORKER_NAME));
    http_free(&r);
  }
  /* the login page says how to make the first account */
  http_get("/login?lang=en", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "no accounts yet"));
  ck_assert_ptr_nonnull(strstr(r.body, "<code dir=\"ltr\">daftar user add "
                                       "NAME --role admin</code>"));
  http_free(&r);
  /* nobody gets in */
  http_post("/login", "user=admin&password=admin-password-1", NULL, &r);
  ck_assert_int_eq(r.status, 401);
  ck_assert_ptr_null(strstr(r.head, "daftar_session="));
  http_free(&r);
}
END_TEST

/* ---- tests: units without a server ------------------------------------------------ */

START_TEST(viewer_snippet_escapes_before_marking)
{
  vout o;
  vout_init(&o);
  vout_snippet(&o, "a <b>[x&y]</b> ] [open");
  ck_assert_int_eq(o.err, 0);
  ck_assert_str_eq(dbuf_cstr(&o.b), "a &lt;b&gt;<mark>x&amp;y</mark>&lt;/b&gt;"
                                    " ] <mark>open</mark>");
  vout_free(&o);
}
END_TEST

START_TEST(viewer_json_reader_reads_and_refuses)
{
  vjson *v = NULL;
  static const char ok[] = "{\"a\": [1, 2.5, \"x\\u0041\\n\"], \"b\": {\"c\":"
                           " true}, \"d\": null}";
  const vjson *a;
  char deep[200];
  ck_assert_int_eq(vjson_parse(ok, strlen(ok), &v), 0);
  a = vjson_get(v, "a");
  ck_assert_ptr_nonnull(a);
  ck_assert_int_eq(a->type, VJ_ARR);
  ck_assert_str_eq(a->child->next->next->str, "xA\n");
  ck_assert_int_eq(vjson_get(vjson_get(v, "b"), "c")->type, VJ_TRUE);
  vjson_free(v);
  ck_assert_int_ne(vjson_parse("{\"a\":", 5, &v), 0);
  ck_assert_ptr_null(v);
  ck_assert_int_ne(vjson_parse("[1] x", 5, &v), 0);
  memset(deep, '[', sizeof(deep));
  ck_assert_int_ne(vjson_parse(deep, sizeof(deep), &v), 0);
}
END_TEST

START_TEST(viewer_parsers_refuse_bad_numbers)
{
  int64_t id;
  long v;
  char num[VIEWER_NUMBER_MAX + 1];
  ck_assert_int_eq(viewer_parse_id("42", 2, &id), 0);
  ck_assert_int_eq(id, 42);
  ck_assert_int_ne(viewer_parse_id("0", 1, &id), 0);
  ck_assert_int_ne(viewer_parse_id("4a", 2, &id), 0);
  ck_assert_int_ne(viewer_parse_id("1234567890123456", 16, &id), 0);
  ck_assert_int_ne(viewer_parse_int("", 0, 10, &v), 0);
  ck_assert_int_ne(viewer_parse_int("11", 0, 10, &v), 0);
  ck_assert_int_ne(viewer_parse_int("+1", 0, 10, &v), 0);
  ck_assert_int_eq(viewer_parse_number("۱۲3", strlen("۱۲3"), num), 0);
  ck_assert_str_eq(num, "123");
  ck_assert_int_ne(viewer_parse_number("12 3", 4, num), 0);
}
END_TEST

START_TEST(viewer_serve_refuses_bad_listen_address)
{
  viewer_options o;
  memset(&o, 0, sizeof(o));
  o.archive_dir = archive_dir;
  o.listen = "127.0.0.1:99999";
  ck_assert_int_eq(viewer_serve(&o), DAFTAR_EINVAL);
  o.listen = "nocolon";
  ck_assert_int_eq(viewer_serve(&o), DAFTAR_EINVAL);
  o.listen = "[::1:80";
  ck_assert_int_eq(viewer_serve(&o), DAFTAR_EINVAL);
}
END_TEST


/* ---- tests: accounts ------------------------------------------------------------------ */

static void build_archive_with_accounts(void)
{
  build_archive();
  ck_assert_int_eq(viewer_user_add(archive_dir, "admin1", "admin", PW_ADMIN),
                   0);
  ck_assert_int_eq(viewer_user_add(archive_dir, "staff1", "staff", PW_STAFF),
                   0);
  ck_assert_int_eq(viewer_user_add(archive_dir, "staff2", "staff", PW_STAFF),
                   0);
  ck_assert_int_eq(viewer_user_add(archive_dir, "op1", "operator", PW_OPER),
                   0);
  ck_assert_int_eq(viewer_user_add(archive_dir, "arch1", "archivist",
                                   PW_ARCH), 0);
}

START_TEST(viewer_accounts_require_login)
{
  http_resp r;
  char v[128];
  http_get("/", &r);
  ck_assert_int_eq(r.status, 303);
  ck_assert(http_header(&r, "Location", v, sizeof(v)));
  ck_assert_str_eq(v, "/login");
  assert_security_headers(&r);
  http_free(&r);
  http_get("/api/search?q=" WORKER_SSN, &r);
  ck_assert_int_eq(r.status, 401);
  ck_assert_ptr_null(strstr(r.body, WORKER_SSN));
  http_free(&r);
  http_get("/api/workers/" WORKER_SSN, &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  http_get("/api/documents/1/pages/1.png", &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  http_get("/api/session", &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  /* a forged cookie is no session */
  http_get_h("/api/search?q=x",
             "Cookie: daftar_session=00112233445566778899aabbccddeeff\r\n",
             &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  http_get("/assets/app.css", &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
  http_get("/login", &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<form class=\"login\""));
  http_free(&r);
}
END_TEST

START_TEST(viewer_login_sets_strict_httponly_session)
{
  char cookie[160], v[256];
  http_resp r;
  http_post("/login", "user=staff1&password=" PW_STAFF, NULL, &r);
  ck_assert_int_eq(r.status, 303);
  ck_assert(http_header(&r, "Set-Cookie", v, sizeof(v)));
  ck_assert_msg(!strncmp(v, "daftar_session=", 15), "cookie %s", v);
  ck_assert_uint_eq(strcspn(v + 15, ";"), 32); /* 128 bits in hex */
  ck_assert_ptr_nonnull(strstr(v, "; HttpOnly"));
  ck_assert_ptr_nonnull(strstr(v, "; SameSite=Strict"));
  ck_assert_ptr_nonnull(strstr(v, "; Path=/"));
  http_free(&r);

  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  http_get_h("/?q=" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "/worker/" WORKER_SSN));
  ck_assert_ptr_nonnull(strstr(r.body, "<bdi>staff1</bdi>"));
  http_free(&r);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"user\": \"staff1\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"role\": \"staff\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"csrf\": \""));
  http_free(&r);
}
END_TEST

START_TEST(viewer_wrong_password_and_unknown_user_answer_alike)
{
  http_resp a, b;
  http_post("/login", "user=staff1&password=not-the-password", NULL, &a);
  http_post("/login", "user=nobody&password=not-the-password", NULL, &b);
  ck_assert_int_eq(a.status, 401);
  ck_assert_int_eq(b.status, 401);
  ck_assert_str_eq(a.body, b.body);
  ck_assert_ptr_null(strstr(a.head, "Set-Cookie: daftar_session"));
  http_free(&a);
  http_free(&b);
  http_post("/login", "garbage", NULL, &a);
  ck_assert_int_eq(a.status, 401);
  http_free(&a);
  /* a login posted from another site's page */
  http_post("/login", "user=staff1&password=" PW_STAFF,
            "Origin: http://evil.example\r\n", &a);
  ck_assert_int_eq(a.status, 403);
  ck_assert_ptr_null(strstr(a.head, "daftar_session="));
  http_free(&a);
  http_post("/login", "user=staff1&password=" PW_STAFF,
            "Origin: http://127.0.0.1\r\n", &a);
  ck_assert_int_eq(a.status, 303);
  http_free(&a);
  /* Fetch Metadata: a cross-site post is refused whatever its Origin; our
   * own form posts come with Origin: null (Referrer-Policy: no-referrer)
   * and Sec-Fetch-Site: same-origin, as Chromium sends them */
  http_post("/login", "user=staff1&password=" PW_STAFF,
            "Origin: http://127.0.0.1\r\nSec-Fetch-Site: cross-site\r\n", &a);
  ck_assert_int_eq(a.status, 403);
  http_free(&a);
  http_post("/login", "user=staff1&password=" PW_STAFF, "Origin: null\r\n",
            &a);
  ck_assert_int_eq(a.status, 403);
  http_free(&a);
  http_post("/login", "user=staff1&password=" PW_STAFF,
            "Origin: null\r\nSec-Fetch-Site: same-origin\r\n", &a);
  ck_assert_int_eq(a.status, 303);
  http_free(&a);
  http_post("/login", "user=staff1&password=" PW_STAFF,
            "Origin: http://evil.example\r\nSec-Fetch-Site: same-origin\r\n",
            &a);
  ck_assert_int_eq(a.status, 403);
  http_free(&a);
}
END_TEST

START_TEST(viewer_operator_cannot_read_records)
{
  char cookie[160];
  http_resp r;
  login("op1", PW_OPER, cookie, sizeof(cookie));
  http_get_h("/api/search?q=" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 403);
  ck_assert_ptr_null(strstr(r.body, WORKER_SSN));
  http_free(&r);
  http_get_h("/worker/" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 403);
  ck_assert_ptr_null(strstr(r.body, WORKER_NAME));
  http_free(&r);
  http_get_h("/api/documents/1/pages/1.png", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h("/api/audit", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
}
END_TEST

START_TEST(viewer_audit_records_views_for_admins_only)
{
  char staff[160], admin[160];
  struct index_db *db = NULL;
  int64_t rows = 0, bad = 0;
  http_resp r;
  login("staff1", PW_STAFF, staff, sizeof(staff));
  http_get_h("/worker/" WORKER_SSN, staff, &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
  http_get_h("/api/documents/1/pages/1.png?w=200", staff, &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
  http_post("/login", "user=ghost&password=whatever-it-is", NULL, &r);
  http_free(&r);
  http_get_h("/api/audit", staff, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);

  login("admin1", PW_ADMIN, admin, sizeof(admin));
  http_get_h("/api/audit?limit=50", admin, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"action\": \"view_worker\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"object\": \"" WORKER_SSN "\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"user\": \"staff1\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"action\": \"login_failed\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"action\": \"view_page\", "
                                       "\"object\": \"1/1\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"action\": \"login\""));
  http_free(&r);
  http_get_h("/audit?action=view_worker", admin, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<table class=\"audit\">"));
  ck_assert_ptr_nonnull(strstr(r.body, "<td dir=\"auto\">view_worker</td>"));
  ck_assert_ptr_null(strstr(r.body, "<td dir=\"auto\">login</td>"));
  http_free(&r);
  http_get_h("/api/audit?action=view_worker&user=staff1", admin, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, "\"action\": \"login\""));
  http_free(&r);

  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  ck_assert_int_eq(index_audit_verify(db, &rows, &bad), 0);
  ck_assert_int_ge(rows, 6);
  index_close(db);
}
END_TEST

START_TEST(viewer_logout_needs_csrf_and_ends_session)
{
  char cookie[160], body[128], csrf[80];
  http_resp r;
  const char *p;
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  http_get_h("/api/session", cookie, &r);
  p = strstr(r.body, "\"csrf\": \"");
  ck_assert_ptr_nonnull(p);
  snprintf(csrf, sizeof(csrf), "%.64s", p + 9);
  http_free(&r);

  http_post("/logout", "", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_post("/logout", "csrf=0000000000000000000000000000000000000000000000000"
                       "000000000000000",
            cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 200); /* still logged in */
  http_free(&r);

  snprintf(body, sizeof(body), "csrf=%s", csrf);
  http_post("/logout", body, cookie, &r);
  ck_assert_int_eq(r.status, 303);
  ck_assert_ptr_nonnull(strstr(r.head, "Max-Age=0"));
  http_free(&r);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
}
END_TEST

START_TEST(viewer_login_throttled_per_account)
{
  http_resp r;
  int i;
  for(i = 0; i < VIEWER_LOGIN_FREE_TRIES; i++) {
    http_post("/login", "user=staff2&password=wrong-password-x", NULL, &r);
    ck_assert_int_eq(r.status, 401);
    http_free(&r);
  }
  /* the right password now waits too, with the same answer */
  http_post("/login", "user=staff2&password=" PW_STAFF, NULL, &r);
  ck_assert_int_eq(r.status, 401);
  ck_assert_ptr_null(strstr(r.head, "daftar_session="));
  http_free(&r);
  /* other accounts are not affected */
  http_post("/login", "user=staff1&password=" PW_STAFF, NULL, &r);
  ck_assert_int_eq(r.status, 303);
  http_free(&r);
}
END_TEST

START_TEST(viewer_refuses_big_post_body)
{
  static char body[VIEWER_BODY_MAX * 2];
  http_resp r;
  memset(body, 'a', sizeof(body) - 1);
  http_post("/login", body, NULL, &r);
  ck_assert_int_eq(r.status, 413);
  http_free(&r);
}
END_TEST

START_TEST(viewer_sessions_expire_and_audit_detects_tampering)
{
  struct index_db *db = NULL;
  index_session s;
  index_user u;
  int64_t rows, bad;
  sqlite3 *sql = NULL;
  char path[200];
  static const char tok[] =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  static const char csrf[] =
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  ck_assert_int_eq(index_user_get(db, "staff1", &u), 0);
  ck_assert_int_eq(index_session_create(db, tok, u.id, csrf, 1000), 0);
  ck_assert_int_eq(index_session_get(db, tok, 1000 + 60, 1800, 43200, &s), 0);
  ck_assert_str_eq(s.user, "staff1");
  index_session_clear(&s);
  /* idle too long: gone, and stays gone */
  ck_assert_int_eq(index_session_get(db, tok, 1060 + 1801, 1800, 43200, &s),
                   DAFTAR_ENOTFOUND);
  ck_assert_int_eq(index_session_get(db, tok, 1060, 1800, 43200, &s),
                   DAFTAR_ENOTFOUND);
  /* absolute expiry even when active */
  ck_assert_int_eq(index_session_create(db, tok, u.id, csrf, 1000), 0);
  ck_assert_int_eq(index_session_get(db, tok, 1000 + 43201, 1e9, 43200, &s),
                   DAFTAR_ENOTFOUND);
  index_user_clear(&u);

  ck_assert_int_eq(index_audit_add(db, "x", "test", "1", NULL, NULL), 0);
  ck_assert_int_eq(index_audit_add(db, "x", "test", "2", NULL, NULL), 0);
  ck_assert_int_eq(index_audit_verify(db, &rows, &bad), 0);
  index_close(db);

  /* edit a row behind daftar's back (past the append-only trigger) */
  snprintf(path, sizeof(path), "%s/daftar.db", archive_dir);
  ck_assert_int_eq(sqlite3_open(path, &sql), SQLITE_OK);
  ck_assert_int_ne(sqlite3_exec(sql, "UPDATE audit SET object = '3'"
                                     " WHERE object = '2'", NULL, NULL, NULL),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(sql, "DROP TRIGGER audit_no_update;"
                                     "UPDATE audit SET object = '3'"
                                     " WHERE object = '2'", NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(sql);
  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  ck_assert_int_eq(index_audit_verify(db, &rows, &bad), DAFTAR_EREFUSED);
  ck_assert_int_gt(bad, 0);
  index_close(db);
}
END_TEST

START_TEST(viewer_user_add_refuses_bad_input)
{
  ck_assert_int_eq(viewer_user_add(archive_dir, "x1", "staff", "short"),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(viewer_user_add(archive_dir, "x1", "king", PW_STAFF),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(viewer_user_add(archive_dir, "a b", "staff", PW_STAFF),
                   DAFTAR_EINVAL);
  ck_assert_int_eq(viewer_user_add(archive_dir, "staff1", "staff", PW_STAFF),
                   DAFTAR_EEXIST);
  ck_assert_int_eq(viewer_user_disable(archive_dir, "nobody"),
                   DAFTAR_ENOTFOUND);
}
END_TEST

START_TEST(viewer_archivist_corrects_field_with_csrf)
{
  char cookie[160], csrf[80], hdr[400], path[96];
  http_resp r;
  login("arch1", PW_ARCH, cookie, sizeof(cookie));
  session_csrf(cookie, csrf, sizeof(csrf));
  snprintf(path, sizeof(path), "/api/documents/%lld/fields/end_date",
           (long long)doc_id);

  /* no token, then a wrong one: refused, nothing changed */
  http_post(path, "{\"value\": \"2015-06-30\"}", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %064d\r\n", cookie, 0);
  http_post(path, "{\"value\": \"2015-06-30\"}", hdr, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);

  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %s\r\n", cookie, csrf);
  http_post(path, "{\"value\": \"2015-06-30\"}", hdr, &r);
  ck_assert_msg(r.status == 200, "correction gave %d: %s", r.status, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "\"locked\": true"));
  http_free(&r);

  /* bad names and bodies */
  snprintf(path, sizeof(path), "/api/documents/%lld/fields/no_such_field",
           (long long)doc_id);
  http_post(path, "{\"value\": \"x\"}", hdr, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  snprintf(path, sizeof(path), "/api/documents/%lld/fields/End-Date",
           (long long)doc_id);
  http_post(path, "{\"value\": \"x\"}", hdr, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  snprintf(path, sizeof(path), "/api/documents/%lld/fields/end_date",
           (long long)doc_id);
  http_post(path, "{\"value\": 5}", hdr, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  http_post("/api/documents/987654/fields/end_date", "{\"value\": \"x\"}", hdr,
            &r);
  ck_assert(r.status == 404 || r.status == 400);
  http_free(&r);

  /* the archivist reads it back, locked; the audit has the correction */
  snprintf(path, sizeof(path), "/document/%lld", (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<tr data-field=\"end_date\" "
                                       "class=\"locked\""));
  ck_assert_ptr_nonnull(strstr(r.body, "value=\"2015-06-30\""));
  ck_assert_ptr_nonnull(strstr(r.body, "<form class=\"correct\""));
  http_free(&r);

  /* the HTML form path answers with a redirect */
  snprintf(path, sizeof(path), "/document/%lld/fields/end_date",
           (long long)doc_id);
  snprintf(hdr, sizeof(hdr), "value=2015-07-01&csrf=%s", csrf);
  http_post(path, hdr, cookie, &r);
  ck_assert_int_eq(r.status, 303);
  http_free(&r);
}
END_TEST

START_TEST(viewer_staff_and_admin_cannot_correct)
{
  char cookie[160], csrf[80], hdr[400], path[96];
  http_resp r;
  snprintf(path, sizeof(path), "/api/documents/%lld/fields/end_date",
           (long long)doc_id);
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  session_csrf(cookie, csrf, sizeof(csrf));
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %s\r\n", cookie, csrf);
  http_post(path, "{\"value\": \"2001-01-01\"}", hdr, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  snprintf(path, sizeof(path), "/document/%lld", (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, "<form class=\"correct\""));
  http_free(&r);

  /* admins manage accounts and read the audit, not records */
  login("admin1", PW_ADMIN, cookie, sizeof(cookie));
  http_get_h("/api/search?q=" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
}
END_TEST

START_TEST(viewer_operator_sees_batches)
{
  char cookie[160];
  http_resp r;
  login("op1", PW_OPER, cookie, sizeof(cookie));
  http_get_h("/api/batches", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "application/json");
  ck_assert_ptr_nonnull(strstr(r.body, "\"batches\": [{\"id\": "));
  ck_assert_ptr_nonnull(strstr(r.body, "\"documents\": 2"));
  ck_assert_ptr_nonnull(strstr(r.body, "\"refusals\": []"));
  http_free(&r);
  http_get_h("/batches?lang=en", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<table class=\"batches\">"));
  ck_assert_ptr_nonnull(strstr(r.body, "<th>Refused</th>"));
  ck_assert_ptr_nonnull(strstr(r.body, "class=\"role-link\" "
                                       "href=\"/batches\""));
  http_free(&r);
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  http_get_h("/api/batches", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h("/batches", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  http_get_h("/audit", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
}
END_TEST

/* Runs curl (a real TLS client) and returns its output (heap). */
static char *run_curl(const char *args)
{
  char cmd[1024];
  dbuf out = DBUF_INIT;
  char buf[4096];
  size_t got;
  FILE *p;
  snprintf(cmd, sizeof(cmd), "curl -sk --max-time 20 -D - -o /dev/null %s",
           args);
  p = popen(cmd, "r");
  ck_assert_ptr_nonnull(p);
  while((got = fread(buf, 1, sizeof(buf), p)) > 0)
    ck_assert_int_eq(dbuf_append(&out, buf, got), 0);
  ck_assert_int_eq(pclose(p), 0);
  dbuf_cstr(&out);
  return dbuf_take(&out);
}

START_TEST(viewer_https_marks_session_cookie_secure)
{
  char cert[512], key[512], args[600];
  const char *src = getenv("DAFTAR_SOURCE_DIR");
  char *out;

  if(src) {
    snprintf(cert, sizeof(cert), "%s/tests/viewer/tls-test-cert.pem", src);
    snprintf(key, sizeof(key), "%s/tests/viewer/tls-test-key.pem", src);
  } else {
    snprintf(cert, sizeof(cert), "%.*s/tls-test-cert.pem",
             (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__);
    snprintf(key, sizeof(key), "%.*s/tls-test-key.pem",
             (int)(strrchr(__FILE__, '/') - __FILE__), __FILE__);
  }
  server_stop(); /* the fixture's plain server: one server per process */
  server_tls_cert = cert;
  server_tls_key = key;
  server_start();

  snprintf(args, sizeof(args), "https://127.0.0.1:%d/login", server_port);
  out = run_curl(args);
  ck_assert_msg(strstr(out, "HTTP/1.1 200") != NULL, "curl: %s", out);
  ck_assert_ptr_nonnull(strstr(out, "Content-Security-Policy: "));
  free(out);

  snprintf(args, sizeof(args),
           "-d 'user=staff1&password=" PW_STAFF "' https://127.0.0.1:%d/login",
           server_port);
  out = run_curl(args);
  ck_assert_msg(strstr(out, "HTTP/1.1 303") != NULL, "curl: %s", out);
  ck_assert_ptr_nonnull(strstr(out, "; HttpOnly; SameSite=Strict; Secure"));
  free(out);

  /* both files or neither */
  server_stop();
  server_tls_cert = NULL;
  server_tls_key = NULL;
  {
    viewer_options o;
    memset(&o, 0, sizeof(o));
    o.archive_dir = archive_dir;
    o.listen = "127.0.0.1:0";
    o.tls_cert = cert;
    ck_assert_int_eq(viewer_serve(&o), DAFTAR_EINVAL);
  }
}
END_TEST

START_TEST(viewer_timeline_marks_gaps_and_overlaps)
{
  static const char json[] =
      "{\"documents\": ["
      "{\"id\": 1, \"employer_name\": \"A\", \"employer_number\": \"11\","
      " \"start_date\": \"2010-01-01\", \"end_date\": null,"
      " \"monthly_wage\": \"300000\"},"
      "{\"id\": 2, \"employer_name\": \"A\", \"employer_number\": \"11\","
      " \"start_date\": null, \"end_date\": \"2012-12-31\","
      " \"monthly_wage\": null},"
      "{\"id\": 3, \"employer_name\": \"<B>\", \"employer_number\": null,"
      " \"start_date\": \"2013-03-01\", \"end_date\": \"2014-01-01\","
      " \"monthly_wage\": \"450000\"},"
      "{\"id\": 4, \"employer_name\": \"C\", \"employer_number\": \"33\","
      " \"start_date\": \"2013-12-01\", \"end_date\": null,"
      " \"monthly_wage\": null},"
      "{\"id\": 5, \"employer_name\": \"D\", \"start_date\": \"garbage\"}]}";
  vjson *w = NULL;
  vreq rq;
  vout o;
  const char *a, *b, *c;
  memset(&rq, 0, sizeof(rq));
  rq.lang = VLANG_EN;
  ck_assert_int_eq(vjson_parse(json, strlen(json), &w), 0);
  vout_init(&o);
  worker_timeline(&o, &rq, w);
  ck_assert_int_eq(o.err, 0);
  a = strstr(dbuf_cstr(&o.b), ">A</span>");
  b = strstr(dbuf_cstr(&o.b), ">&lt;B&gt;</span>");
  c = strstr(dbuf_cstr(&o.b), ">C</span>");
  ck_assert_msg(a && b && c && a < b && b < c, "%s", dbuf_cstr(&o.b));
  ck_assert_ptr_nonnull(strstr(dbuf_cstr(&o.b),
                               "<bdi>2010-01-01</bdi> – <bdi>2012-12-31"));
  ck_assert_ptr_nonnull(strstr(dbuf_cstr(&o.b), "Gap: 59 days"));
  ck_assert_ptr_nonnull(strstr(dbuf_cstr(&o.b), "<li class=\"spell overlap\">"
                                                "<span class=\"employer\" "
                                                "dir=\"auto\">C<"));
  ck_assert_ptr_nonnull(strstr(dbuf_cstr(&o.b), "ongoing"));
  ck_assert_ptr_null(strstr(dbuf_cstr(&o.b), ">D<"));
  vout_free(&o);
  vjson_free(w);
}
END_TEST

START_TEST(viewer_review_queue_shows_crop_and_saves)
{
  char cookie[160], csrf[80], body[200], path[128];
  http_resp r;
  const char *p;
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  http_get_h("/review", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);

  login("arch1", PW_ARCH, cookie, sizeof(cookie));
  http_get_h("/review", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "<li class=\"review-item\">"));
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?crop=100,"
           "700,500,730", (long long)doc_id);
  p = strstr(r.body, path);
  ck_assert_msg(p != NULL, "no crop %s in %s", path, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "name=\"value\" dir=\"auto\" "
                                       "value=\"450000\""));
  ck_assert_ptr_nonnull(strstr(r.body, "class=\"role-link\" "
                                       "href=\"/review\"")); /* header */
  http_free(&r);

  /* the crop: the field's box and a margin, as PNG */
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_eq(memcmp(r.body, "\x89PNG\r\n\x1a\n", 8), 0);
  ck_assert_uint_eq(png_width(&r), 400 + 2 * VIEWER_CROP_MARGIN);
  http_free(&r);
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?crop=5,5,1",
           (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?crop=9000,"
           "9000,9500,9500", (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 404);
  http_free(&r);

  /* Enter on the value confirms it: locked, off the queue, back to it */
  session_csrf(cookie, csrf, sizeof(csrf));
  snprintf(body, sizeof(body), "next=review&csrf=%s&value=450000", csrf);
  snprintf(path, sizeof(path), "/document/%lld/fields/monthly_wage",
           (long long)doc_id);
  http_post(path, body, cookie, &r);
  ck_assert_int_eq(r.status, 303);
  ck_assert_ptr_nonnull(strstr(r.head, "Location: /review"));
  http_free(&r);
  http_get_h("/api/review", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "\"review\": ["));
  ck_assert_ptr_null(strstr(r.body, "monthly_wage"));
  http_free(&r);
}
END_TEST

static int connect_idle(void)
{
  struct sockaddr_in a;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ck_assert_int_ge(fd, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)server_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
  return fd;
}

START_TEST(viewer_answers_503_over_connection_limit)
{
  enum { IDLE = VIEWER_CONNECTION_LIMIT + 4 };
  static int fds[IDLE];
  http_resp r;
  char v[32];
  int i;
  for(i = 0; i < IDLE; i++)
    fds[i] = connect_idle();
  /* the pool accepts them in its own time on a busy machine */
  for(i = 0; i < 50; i++) {
    http_get("/", &r);
    if(r.status == 503)
      break;
    /* 200 until the pool has accepted them all; 0 when MHD itself closed
     * one (its per-thread share of the hard limit), never anything else */
    ck_assert(r.status == 200 || r.status == 0);
    http_free(&r);
    usleep(100 * 1000);
  }
  ck_assert_int_eq(r.status, 503);
  ck_assert(http_header(&r, "Retry-After", v, sizeof(v)));
  assert_security_headers(&r);
  http_free(&r);
  for(i = 0; i < IDLE; i++)
    close(fds[i]);
  usleep(300 * 1000);
  http_get("/", &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
}
END_TEST

START_TEST(viewer_disabled_account_loses_session_and_login)
{
  char cookie[160];
  http_resp r;
  ck_assert_int_eq(viewer_user_add(archive_dir, "temp1", "staff", PW_STAFF),
                   0);
  login("temp1", PW_STAFF, cookie, sizeof(cookie));
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
  ck_assert_int_eq(viewer_user_disable(archive_dir, "temp1"), 0);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  http_post("/login", "user=temp1&password=" PW_STAFF, NULL, &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
  /* a new password also ends sessions */
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  ck_assert_int_eq(viewer_user_passwd(archive_dir, "staff1", PW_STAFF), 0);
  http_get_h("/api/session", cookie, &r);
  ck_assert_int_eq(r.status, 401);
  http_free(&r);
}
END_TEST

/* The gray level (0 black .. 255 white) of a PNG's pixel. */
static int png_gray_at(const http_resp *r, int x, int y)
{
  PIX *pix = pixReadMem((const l_uint8 *)r->body, r->body_len), *g;
  l_uint32 v = 0;
  ck_assert_ptr_nonnull(pix);
  g = pixConvertTo8(pix, 0);
  ck_assert_ptr_nonnull(g);
  ck_assert_int_eq(pixGetPixel(g, x, y, &v), 0);
  pixDestroy(&g);
  pixDestroy(&pix);
  return (int)v;
}

START_TEST(viewer_national_id_masked_for_staff_not_archivists)
{
  char staff[160], arch[160], path[96];
  static const char *const masked_paths[] = {
      "/api/workers/" WORKER_SSN, "/worker/" WORKER_SSN,
      "/api/search?q=" WORKER_NID, "/?q=" WORKER_NID,
      "/api/documents/%lld", "/document/%lld",
  };
  http_resp r;
  size_t i;
  login("staff1", PW_STAFF, staff, sizeof(staff));
  login("arch1", PW_ARCH, arch, sizeof(arch));
  for(i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++) {
    snprintf(path, sizeof(path), masked_paths[i], (long long)doc_id);
    const char *results;
    http_get_h(path, staff, &r);
    ck_assert_msg(r.status == 200, "%s gave %d", path, r.status);
    /* the search page echoes what the clerk typed (box, links that carry
     * the query); the text it found must not show the rest */
    results = path[1] == '?' ? strstr(r.body, "<p class=\"snippet\"") : NULL;
    if(results) {
      ck_assert_ptr_nonnull(strstr(results, "</p>"));
      *strstr((char *)results, "</p>") = '\0';
    } else {
      results = r.body;
    }
    ck_assert_msg(strstr(results, WORKER_NID) == NULL, "%s shows the ID: %s",
                  path, results);
    ck_assert_msg(strstr(r.body, WORKER_NID_MASKED) != NULL,
                  "%s: nothing masked in %s", path, r.body);
    /* the social-security number stays readable */
    ck_assert_msg(strstr(r.body, WORKER_SSN) != NULL, "%s: no SSN", path);
    http_free(&r);
    http_get_h(path, arch, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_msg(strstr(r.body, WORKER_NID) != NULL,
                  "%s: archivist does not see the ID", path);
    ck_assert_ptr_null(strstr(r.body, WORKER_NID_MASKED));
    http_free(&r);
  }
  /* the page image: painted over where the ID is written, for staff only */
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png",
           (long long)doc_id);
  http_get_h(path, staff, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_lt(png_gray_at(&r, 300, 415), 128);
  ck_assert_int_lt(png_gray_at(&r, 120, 415), 128); /* the field's box */
  ck_assert_int_gt(png_gray_at(&r, 300, 470), 128); /* below it: paper */
  http_free(&r);
  http_get_h(path, arch, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_gt(png_gray_at(&r, 300, 415), 128);
  http_free(&r);
  /* and a staff crop of that box shows nothing either */
  snprintf(path, sizeof(path), "/api/documents/%lld/pages/1.png?crop=100,"
           "400,500,430", (long long)doc_id);
  http_get_h(path, staff, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_int_lt(png_gray_at(&r, 200 + VIEWER_CROP_MARGIN,
                               15 + VIEWER_CROP_MARGIN), 128);
  http_free(&r);
}
END_TEST

START_TEST(viewer_mask_keeps_last_digits_and_script)
{
  char *s = strdup("رقم ١٩٨٧١٢٣٤٥٦٧٨ و 123456789 و 4500 و 2010-03-01 و "
                   "98765432109");
  const char *keep[] = {"123456789", NULL};
  ck_assert_int_eq(viewer_mask_text(&s, keep, 2), 0);
  ck_assert_str_eq(s, "رقم ••••••••٥٦٧٨ و 123456789 و 4500 و 2010-03-01 و "
                      "•••••••2109");
  free(s);
  s = strdup("12-34");
  ck_assert_int_eq(viewer_mask_value(&s), 0);
  ck_assert_str_eq(s, "••-••"); /* too short to keep a tail: all hidden */
  free(s);
  s = strdup("1987-1234-5678");
  ck_assert_int_eq(viewer_mask_value(&s), 0);
  ck_assert_str_eq(s, "••••-••••-5678");
  free(s);
  {
    /* a record whose national ID the OCR read short: that number is
     * hidden in its text too, other numbers stay */
    static const char doc[] =
        "{\"fields\": {\"national_id\": {\"value\": \"120\", \"raw\": "
        "\"١٢٠\"}, \"worker_ssn\": {\"value\": \"08120930\"}}, \"pages\": "
        "[{\"n\": 1, \"text\": \"رقم 120 و ١٢٠ و 1200 و 08120930\"}]}";
    vjson *v = NULL;
    dbuf out = DBUF_INIT;
    ck_assert_int_eq(vjson_parse(doc, strlen(doc), &v), 0);
    ck_assert_int_eq(viewer_mask_tree(v), 0);
    ck_assert_int_eq(vjson_write(v, &out), 0);
    ck_assert_str_eq(dbuf_cstr(&out),
                     "{\"fields\":{\"national_id\":{\"value\":\"•••\",\"raw\":"
                     "\"•••\"},\"worker_ssn\":{\"value\":\"08120930\"}},\"pages\":"
                     "[{\"n\":1,\"text\":\"رقم ••• و ••• و 1200 و 08120930\"}]}\n");
    dbuf_free(&out);
    vjson_free(v);
    s = NULL;
  }
  free(s);
}
END_TEST

/* Runs sql on the archive's database behind daftar's back. */
static void raw_sql(const char *sql)
{
  sqlite3 *db = NULL;
  char path[200];
  snprintf(path, sizeof(path), "%s/daftar.db", archive_dir);
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

START_TEST(viewer_record_not_served_without_its_audit_row)
{
  char cookie[160], path[64];
  http_resp r;
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  raw_sql("CREATE TRIGGER audit_jammed BEFORE INSERT ON audit"
          " BEGIN SELECT RAISE(ABORT, 'jammed'); END;");
  http_get_h("/api/workers/" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 500);
  ck_assert_ptr_null(strstr(r.body, WORKER_NAME));
  http_free(&r);
  http_get_h("/worker/" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 500);
  ck_assert_ptr_null(strstr(r.body, WORKER_NAME));
  http_free(&r);
  snprintf(path, sizeof(path), "/document/%lld", (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 500);
  ck_assert_ptr_null(strstr(r.body, EMPLOYER_NAME));
  http_free(&r);
  http_get_h("/api/search?q=" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 500);
  ck_assert_ptr_null(strstr(r.body, "01234"));
  http_free(&r);
  raw_sql("DROP TRIGGER audit_jammed;");
  http_get_h("/api/workers/" WORKER_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  http_free(&r);
}
END_TEST

/* ---- tests: the role x route matrix ------------------------------------------- */

enum mx_role { MX_ANON, MX_STAFF, MX_ARCH, MX_OPER, MX_ADMIN, MX_ROLES };

/* One route: method, path (prefix, the document id when with_doc, suffix),
 * whether the request carries the session's X-CSRF-Token, and the status
 * docs/API.md gives each role (anonymous: 401 for the API, 303 to /login for
 * pages; a role without the right: 403). */
typedef struct mx_route {
  const char *method;
  const char *prefix;
  int with_doc;
  const char *suffix;
  int csrf;
  int expect[MX_ROLES];
} mx_route;

#define MX_READERS(anon) {anon, 200, 200, 403, 403}

static const mx_route mx_routes[] = {
    {"GET", "/", 0, NULL, 0, MX_READERS(303)},
    {"GET", "/worker/" WORKER_SSN, 0, NULL, 0, MX_READERS(303)},
    {"GET", "/document/", 1, "", 0, MX_READERS(303)},
    {"GET", "/api/search?q=" WORKER_SSN, 0, NULL, 0, MX_READERS(401)},
    {"GET", "/api/workers/" WORKER_SSN, 0, NULL, 0, MX_READERS(401)},
    {"GET", "/api/documents/", 1, "", 0, MX_READERS(401)},
    {"GET", "/api/documents/", 1, "/pages/1.png", 0, MX_READERS(401)},
    {"GET", "/review", 0, NULL, 0, {303, 403, 200, 403, 403}},
    {"GET", "/api/review", 0, NULL, 0, {401, 403, 200, 403, 403}},
    {"GET", "/api/links", 0, NULL, 0, {401, 403, 200, 403, 403}},
    {"GET", "/batches", 0, NULL, 0, {303, 403, 403, 200, 403}},
    {"GET", "/api/batches", 0, NULL, 0, {401, 403, 403, 200, 403}},
    {"GET", "/audit", 0, NULL, 0, {303, 403, 403, 403, 200}},
    {"GET", "/api/audit", 0, NULL, 0, {401, 403, 403, 403, 200}},
    {"POST", "/api/documents/", 1, "/fields/worker_name", 0,
     {401, 403, 403, 403, 403}},
    {"POST", "/api/documents/", 1, "/fields/worker_name", 1,
     {401, 403, 200, 403, 403}},
};

static const char *const mx_role_names[MX_ROLES] = {
    "anonymous", "staff", "archivist", "operator", "admin"};

START_TEST(viewer_role_route_matrix)
{
  static const char *const users[MX_ROLES][2] = {
      {NULL, NULL},
      {"staff1", PW_STAFF},
      {"arch1", PW_ARCH},
      {"op1", PW_OPER},
      {"admin1", PW_ADMIN}};
  char cookie[MX_ROLES][160], csrf[MX_ROLES][80];
  size_t i;
  int role;

  for(role = 0; role < MX_ROLES; role++) {
    if(!users[role][0]) {
      /* no session, and a token of the right shape that is nobody's */
      cookie[role][0] = '\0';
      snprintf(csrf[role], sizeof(csrf[role]), "%064d", 7);
      continue;
    }
    login(users[role][0], users[role][1], cookie[role], sizeof(cookie[role]));
    session_csrf(cookie[role], csrf[role], sizeof(csrf[role]));
  }
  for(i = 0; i < sizeof(mx_routes) / sizeof(mx_routes[0]); i++) {
    const mx_route *rt = &mx_routes[i];
    for(role = 0; role < MX_ROLES; role++) {
      char path[160], hdr[400], v[128];
      http_resp r;
      if(rt->with_doc)
        snprintf(path, sizeof(path), "%s%lld%s", rt->prefix,
                 (long long)doc_id, rt->suffix);
      else
        snprintf(path, sizeof(path), "%s", rt->prefix);
      int w = snprintf(hdr, sizeof(hdr), "%s%s%s%s", cookie[role],
                       rt->csrf ? "X-CSRF-Token: " : "",
                       rt->csrf ? csrf[role] : "", rt->csrf ? "\r\n" : "");
      ck_assert_msg(w >= 0 && (size_t)w < sizeof(hdr), "headers too long");
      if(!strcmp(rt->method, "POST"))
        /* the value it already has: the shared archive stays as it was */
        http_post(path, "{\"value\": \"" WORKER_NAME "\"}", hdr, &r);
      else
        http_get_h(path, hdr, &r);
      ck_assert_msg(r.status == rt->expect[role], "%s %s%s as %s: %d, want %d",
                    rt->method, path, rt->csrf ? " (csrf)" : "",
                    mx_role_names[role], r.status, rt->expect[role]);
      if(r.status == 303) {
        ck_assert(http_header(&r, "Location", v, sizeof(v)));
        ck_assert_str_eq(v, "/login");
      }
      if(r.status == 401 || r.status == 403) {
        /* a refusal tells nothing of the record (the language links of a
         * refused page repeat the path asked for, so not its SSN) */
        ck_assert_msg(!strstr(r.body, WORKER_NAME) &&
                          !strstr(r.body, WORKER_NID) &&
                          !strstr(r.body, EMPLOYER_NAME),
                      "%s %s as %s tells the record: %s", rt->method, path,
                      mx_role_names[role], r.body);
        if(!strncmp(path, "/api/", 5))
          assert_type(&r, "application/json");
      }
      assert_security_headers(&r);
      http_free(&r);
    }
  }
}
END_TEST

/* ---- tests: link suggestions in the review queue -------------------------------- */

#define LINK_SSN "555000111"
#define LINK_SSN_MISREAD "555000110" /* one digit off: a suggestion */
#define LINK_NAME "ناصر عباس فاضل"
#define LINK2_SSN "666000111"
#define LINK2_SSN_MISREAD "666000110"
#define LINK2_NAME "دلشاد سامان كريم"

/* A document of the fixture's batch in paper file file_no, with fields
 * f[0..n) stored through index/ as extraction would: linkage runs on the
 * store. */
static int64_t fixture_doc(struct index_db *db, const char *source,
                           const char *file_no, const char *doc_type,
                           const daftar_field *f, size_t n)
{
  index_document d, first;
  char sha[SHA256_HEX_LEN + 1];
  int64_t id = 0;
  memset(&d, 0, sizeof(d));
  memset(&first, 0, sizeof(first));
  ck_assert_int_eq(index_document_get(db, doc_id, &first), 0);
  ck_assert_int_eq(sha256_hex(source, strlen(source), sha), 0);
  ck_assert_int_eq(index_master_put(db, sha, 1234, "tiff", 1), 0);
  d.batch_id = first.batch_id;
  d.source = (char *)source;
  d.file_no = (char *)file_no;
  d.sha256 = sha;
  d.page_count = 1;
  ck_assert_int_eq(index_document_add(db, &d, &id), 0);
  index_document_clear(&first);
  ck_assert_int_eq(index_document_store_fields(db, id, doc_type, f, n), 0);
  return id;
}

/* A document with worker fields (name, SSN, a birth date). */
static int64_t link_doc(struct index_db *db, const char *source,
                        const char *doc_type, const char *name,
                        const char *ssn)
{
  daftar_field f[3];
  f[0] = make_field("worker_name", name, 100);
  f[1] = make_field("worker_ssn", ssn, 200);
  f[2] = make_field("birth_date", "1966-06-06", 300);
  return fixture_doc(db, source, "77777", doc_type, f, 3);
}

/* The pending suggestion for document doc (0 when none). */
static int64_t pending_suggestion(int64_t doc)
{
  struct index_db *db = NULL;
  index_link_suggestion *s = NULL;
  size_t n = 0, i;
  int64_t id = 0;
  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  ck_assert_int_eq(index_link_suggestions_list(db, NULL, 100, 0, &s, &n), 0);
  for(i = 0; i < n; i++)
    if(s[i].document_id == doc)
      id = s[i].id;
  index_link_suggestions_free(s, n);
  index_close(db);
  return id;
}

/* A document that names its employer (number and name as read). */
static int64_t employer_doc(struct index_db *db, const char *source,
                            const char *worker_name,
                            const char *employer_name)
{
  daftar_field f[4];
  f[0] = make_field("worker_ssn", "888000111", 100);
  f[1] = make_field("employer_number", "5692292", 200);
  f[2] = make_field("employer_name", employer_name, 300);
  f[3] = make_field("worker_name", worker_name, 400);
  return fixture_doc(db, source, "88888", "registration", f, 4);
}

/* A name the employer or the worker register settled shows what the page
 * reads. */
START_TEST(viewer_document_page_shows_the_settled_employer_reading)
{
  struct index_db *db = NULL;
  int64_t misread;
  http_resp r;
  char path[64], cookie[160];
  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  employer_doc(db, "88888/doc-01.tif", "ياسين منير مهدي", "کۆمپانیای کۆڕەک");
  misread = employer_doc(db, "88888/doc-02.tif", "ياسين منير مدي",
                         "کۆمپانیای کۆرەک");
  index_close(db);
  login("arch1", PW_ARCH, cookie, sizeof(cookie));
  snprintf(path, sizeof(path), "/document/%lld", (long long)misread);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "value=\"کۆمپانیای کۆڕەک\""));
  ck_assert_ptr_nonnull(strstr(r.body, "<small class=\"settled\" title=\""
                                       "ناوی خاوەنکار وەک بەڵگەکانی تری هەمان "
                                       "ژمارە\">لە لاپەڕەکە: <bdi>کۆمپانیای "
                                       "کۆرەک</bdi></small>"));
  ck_assert_ptr_nonnull(strstr(r.body, "value=\"ياسين منير مهدي\""));
  ck_assert_ptr_nonnull(strstr(r.body, "<small class=\"settled\" title=\""
                                       "ناوی کرێکار وەک بەڵگەکانی تری هەمان "
                                       "کرێکار\">لە لاپەڕەکە: <bdi>ياسين منير "
                                       "مدي</bdi></small>"));
  http_free(&r);
  /* The fixture's own document, read as is, has no such note. */
  snprintf(path, sizeof(path), "/document/%lld", (long long)doc_id);
  http_get_h(path, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, "class=\"settled\""));
  http_free(&r);
}
END_TEST

START_TEST(viewer_archivist_decides_link_suggestions)
{
  char cookie[160], csrf[80], hdr[400], path[96], want[256];
  struct index_db *db = NULL;
  int64_t d1, d2, s1, s2;
  http_resp r;

  ck_assert_int_eq(index_open(archive_dir, &db), 0);
  link_doc(db, "77777/doc-01.tif", "registration", LINK_NAME, LINK_SSN);
  d1 = link_doc(db, "77777/doc-02.tif", "termination", LINK_NAME,
                LINK_SSN_MISREAD);
  link_doc(db, "77777/doc-03.tif", "registration", LINK2_NAME, LINK2_SSN);
  d2 = link_doc(db, "77777/doc-04.tif", "termination", LINK2_NAME,
                LINK2_SSN_MISREAD);
  index_close(db);
  s1 = pending_suggestion(d1);
  s2 = pending_suggestion(d2);
  ck_assert_int_gt(s1, 0);
  ck_assert_int_gt(s2, 0);

  /* staff neither see nor decide them */
  login("staff1", PW_STAFF, cookie, sizeof(cookie));
  session_csrf(cookie, csrf, sizeof(csrf));
  http_get_h("/api/links", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  ck_assert_ptr_null(strstr(r.body, LINK_NAME));
  http_free(&r);
  snprintf(path, sizeof(path), "/api/links/%lld/accept", (long long)s1);
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %s\r\n", cookie, csrf);
  http_post(path, "", hdr, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  ck_assert_int_eq(pending_suggestion(d1), s1);

  login("arch1", PW_ARCH, cookie, sizeof(cookie));
  session_csrf(cookie, csrf, sizeof(csrf));
  http_get_h("/api/links", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  assert_type(&r, "application/json");
  snprintf(want, sizeof(want), "{\"id\":%lld,\"document\":%lld,",
           (long long)s1, (long long)d1);
  ck_assert_msg(strstr(r.body, want) != NULL, "no %s in %s", want, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "\"reason\":\"ssn_one_digit\""));
  ck_assert_ptr_nonnull(strstr(r.body, "\"worker_ssn\":\"" LINK_SSN "\""));
  http_free(&r);
  http_get_h("/api/links?offset=x", cookie, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);

  /* the review page lists them with a form per decision, no inline script */
  http_get_h("/review?lang=en", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(want, sizeof(want), "<li class=\"link-item\" "
           "data-suggestion=\"%lld\">", (long long)s1);
  ck_assert_msg(strstr(r.body, want) != NULL, "no %s in %s", want, r.body);
  snprintf(want, sizeof(want), "action=\"/links/%lld/reject\"><input "
           "type=\"hidden\" name=\"csrf\" value=\"%s\">", (long long)s2, csrf);
  ck_assert_msg(strstr(r.body, want) != NULL, "no %s in %s", want, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "<h2>Link suggestions</h2>"));
  ck_assert_ptr_nonnull(strstr(r.body, LINK_NAME " (" LINK_SSN ")"));
  ck_assert_ptr_null(strstr(r.body, "<script>"));
  ck_assert_ptr_null(strstr(r.body, " onclick="));
  http_free(&r);

  /* no token, a wrong one: refused, still pending */
  http_post(path, "", cookie, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %064d\r\n", cookie, 0);
  http_post(path, "", hdr, &r);
  ck_assert_int_eq(r.status, 403);
  http_free(&r);
  ck_assert_int_eq(pending_suggestion(d1), s1);

  /* accept: the misread document joins the worker */
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %s\r\n", cookie, csrf);
  http_post(path, "", hdr, &r);
  ck_assert_msg(r.status == 200, "accept gave %d: %s", r.status, r.body);
  snprintf(want, sizeof(want), "{\"suggestion\": %lld, \"status\": "
           "\"accepted\"}", (long long)s1);
  ck_assert_ptr_nonnull(strstr(r.body, want));
  http_free(&r);
  ck_assert_int_eq(pending_suggestion(d1), 0);
  http_get_h("/api/workers/" LINK_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_nonnull(strstr(r.body, "77777/doc-02.tif"));
  http_free(&r);

  /* reject from the review page's form: back to the queue */
  snprintf(path, sizeof(path), "/links/%lld/reject", (long long)s2);
  snprintf(hdr, sizeof(hdr), "csrf=%s", csrf);
  http_post(path, hdr, cookie, &r);
  ck_assert_int_eq(r.status, 303);
  ck_assert_ptr_nonnull(strstr(r.head, "Location: /review"));
  http_free(&r);
  ck_assert_int_eq(pending_suggestion(d2), 0);
  http_get_h("/api/workers/" LINK2_SSN, cookie, &r);
  ck_assert_int_eq(r.status, 200);
  ck_assert_ptr_null(strstr(r.body, "77777/doc-04.tif"));
  http_free(&r);

  /* unknown and malformed ids */
  snprintf(hdr, sizeof(hdr), "%sX-CSRF-Token: %s\r\n", cookie, csrf);
  http_post("/api/links/987654/accept", "", hdr, &r);
  ck_assert_int_eq(r.status, 404);
  http_free(&r);
  http_post("/api/links/x1/accept", "", hdr, &r);
  ck_assert_int_eq(r.status, 400);
  http_free(&r);
  http_post("/api/links/1/merge", "", hdr, &r);
  ck_assert_int_eq(r.status, 405);
  http_free(&r);

  /* both decisions are in the audit log, with who made them */
  login("admin1", PW_ADMIN, cookie, sizeof(cookie));
  http_get_h("/api/audit?user=arch1&limit=100", cookie, &r);
  ck_assert_int_eq(r.status, 200);
  snprintf(want, sizeof(want), "\"action\": \"link_accept\", \"object\": "
           "\"%lld\"", (long long)s1);
  ck_assert_msg(strstr(r.body, want) != NULL, "no %s in %s", want, r.body);
  snprintf(want, sizeof(want), "\"action\": \"link_reject\", \"object\": "
           "\"%lld\"", (long long)s2);
  ck_assert_msg(strstr(r.body, want) != NULL, "no %s in %s", want, r.body);
  ck_assert_ptr_nonnull(strstr(r.body, "\"action\": \"view_links\""));
  http_free(&r);
}
END_TEST

static Suite *viewer_suite(void)
{
  Suite *s = suite_create("viewer");
  TCase *http = tcase_create("http");
  TCase *unit = tcase_create("unit");
  TCase *acct = tcase_create("accounts");
  TCase *closed = tcase_create("closed");

  tcase_add_unchecked_fixture(http, build_archive_with_reader, remove_archive);
  tcase_add_checked_fixture(http, server_start_logged_in, server_stop);
  tcase_set_timeout(http, 60);
  tcase_add_test(http, viewer_search_page_is_rtl_utf8_html);
  tcase_add_test(http, viewer_language_switch_sets_cookie_and_english_is_ltr);
  tcase_add_test(http, viewer_search_page_lists_hit_with_marked_snippet);
  tcase_add_test(http, viewer_escapes_script_in_snippet);
  tcase_add_test(http, viewer_worker_page_shows_identity_and_documents);
  tcase_add_test(http, viewer_document_page_shows_image_boxes_fields_text);
  tcase_add_test(http, viewer_api_search_returns_result_objects);
  tcase_add_test(http, viewer_api_search_refuses_bad_parameters);
  tcase_add_test(http, viewer_search_explains_a_refused_query);
  tcase_add_test(http, viewer_api_worker_json);
  tcase_add_test(http, viewer_unknown_worker_is_404);
  tcase_add_test(http, viewer_api_document_json);
  tcase_add_test(http, viewer_page_image_is_png);
  tcase_add_test(http, viewer_refuses_hostile_paths);
  tcase_add_test(http, viewer_non_numeric_and_huge_ids_are_400);
  tcase_add_test(http, viewer_security_headers_on_every_response);
  tcase_add_test(http, viewer_serves_compiled_in_assets);
  tcase_add_test(http, viewer_refuses_other_methods);
  tcase_add_test(http, viewer_answers_503_over_connection_limit);
  suite_add_tcase(s, http);

  tcase_add_test(unit, viewer_snippet_escapes_before_marking);
  tcase_add_test(unit, viewer_json_reader_reads_and_refuses);
  tcase_add_test(unit, viewer_parsers_refuse_bad_numbers);
  tcase_add_test(unit, viewer_serve_refuses_bad_listen_address);
  tcase_add_test(unit, viewer_timeline_marks_gaps_and_overlaps);
  tcase_add_test(unit, viewer_mask_keeps_last_digits_and_script);
  suite_add_tcase(s, unit);

  tcase_add_unchecked_fixture(closed, build_archive, remove_archive);
  tcase_add_checked_fixture(closed, server_start, server_stop);
  tcase_set_timeout(closed, 60);
  tcase_add_test(closed, viewer_archive_without_accounts_is_closed);
  suite_add_tcase(s, closed);

  tcase_add_unchecked_fixture(acct, build_archive_with_accounts,
                              remove_archive);
  tcase_add_checked_fixture(acct, server_start, server_stop);
  tcase_set_timeout(acct, 60);
  tcase_add_test(acct, viewer_accounts_require_login);
  tcase_add_test(acct, viewer_login_sets_strict_httponly_session);
  tcase_add_test(acct, viewer_wrong_password_and_unknown_user_answer_alike);
  tcase_add_test(acct, viewer_operator_cannot_read_records);
  tcase_add_test(acct, viewer_audit_records_views_for_admins_only);
  tcase_add_test(acct, viewer_logout_needs_csrf_and_ends_session);
  tcase_add_test(acct, viewer_login_throttled_per_account);
  tcase_add_test(acct, viewer_refuses_big_post_body);
  tcase_add_test(acct, viewer_sessions_expire_and_audit_detects_tampering);
  tcase_add_test(acct, viewer_user_add_refuses_bad_input);
  tcase_add_test(acct, viewer_archivist_corrects_field_with_csrf);
  tcase_add_test(acct, viewer_staff_and_admin_cannot_correct);
  tcase_add_test(acct, viewer_operator_sees_batches);
  tcase_add_test(acct, viewer_review_queue_shows_crop_and_saves);
  tcase_add_test(acct, viewer_disabled_account_loses_session_and_login);
  tcase_add_test(acct, viewer_national_id_masked_for_staff_not_archivists);
  tcase_add_test(acct, viewer_record_not_served_without_its_audit_row);
  tcase_add_test(acct, viewer_https_marks_session_cookie_secure);
  tcase_add_test(acct, viewer_role_route_matrix);
  tcase_add_test(acct, viewer_archivist_decides_link_suggestions);
  tcase_add_test(acct, viewer_document_page_shows_the_settled_employer_reading);
  suite_add_tcase(s, acct);
  return s;
}

int main(void)
{
  SRunner *sr = srunner_create(viewer_suite());
  int failed;
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
