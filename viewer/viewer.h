/*
 * viewer.h - the web viewer: search, worker histories, documents.
 *
 * viewer_serve() runs an HTTP server (libmicrohttpd, thread pool) on the
 * archive until SIGINT/SIGTERM.  Pages and assets are compiled into the
 * binary (no outside assets, no CDN); the interface is right-to-left and
 * UTF-8.  Each request opens nothing new: every pool thread keeps its own
 * index handle.
 *
 * Routes: GET / (search page), GET /worker/{number}, GET /document/{id},
 * GET /api/search?q=, GET /api/workers/{number}, GET /api/documents/{id},
 * GET /api/documents/{id}/pages/{n}.png, GET /assets/... ; accounts:
 * GET/POST /login, POST /logout, GET /api/session, GET /api/audit.
 *
 * Errors: DAFTAR_OK after a clean shutdown, or a negative daftar_err when the
 * server could not start (message on stderr).
 */
#ifndef DAFTAR_VIEWER_H
#define DAFTAR_VIEWER_H

#include <stdio.h>

#include "core.h"

#define VIEWER_DEFAULT_LISTEN "127.0.0.1:8080"
#define VIEWER_THREADS 4
#define VIEWER_CONNECTION_LIMIT 256
#define VIEWER_CONNECTION_TIMEOUT_S 30
#define VIEWER_MEMORY_LIMIT ((size_t)256 * 1024)

typedef struct viewer_options {
  const char *archive_dir;
  const char *listen; /* "ADDR:PORT"; NULL: VIEWER_DEFAULT_LISTEN */
  int threads;        /* 0: VIEWER_THREADS */
  /* Set by viewer_serve() once listening (port 0 picks a free port). */
  void (*on_ready)(void *arg, const char *url);
  void *on_ready_arg;
  /* HTTPS: PEM certificate (chain) and private key files, both or neither.
   * Session cookies are then marked Secure. */
  const char *tls_cert;
  const char *tls_key;
} viewer_options;

#define VIEWER_TLS_FILE_MAX ((size_t)1024 * 1024)

int viewer_serve(const viewer_options *o);
/* Asks a running viewer_serve() to return (async-signal-safe). */
void viewer_stop(void);

/* ---- accounts (issue 7) ----------------------------------------------------
 * Every page and API call needs a session (cookie from POST /login); only
 * /login and /assets/ are public.  An archive without accounts is closed
 * to everyone (the login page and the log say how to add the first one).  Passwords are hashed here
 * with Argon2id (libsodium crypto_pwhash_str); callers read them from stdin
 * or a file, never argv.  Roles: admin, operator, archivist, staff.
 * Errors: EINVAL (bad name, role or password length), EEXIST, ENOTFOUND. */

#define VIEWER_PASSWORD_MIN 10
#define VIEWER_PASSWORD_MAX 1024
#define VIEWER_USER_NAME_MAX 64
#define VIEWER_SESSION_IDLE_S (30 * 60)
#define VIEWER_SESSION_MAX_S (12 * 3600)

int viewer_user_add(const char *archive_dir, const char *name,
                    const char *role, const char *password);
int viewer_user_passwd(const char *archive_dir, const char *name,
                       const char *password);
int viewer_user_disable(const char *archive_dir, const char *name);
/* One line per account: name, role, created, "disabled" when so. */
int viewer_user_list(const char *archive_dir, FILE *out);
/* {"users": [{"name", "role", "created", "disabled"}...]} */
int viewer_user_list_json(const char *archive_dir, FILE *out);
/* 1 when role is one of admin, operator, archivist, staff. */
int viewer_role_known(const char *role);

#endif /* DAFTAR_VIEWER_H */
