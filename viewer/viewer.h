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
 * GET /api/documents/{id}/pages/{n}.png, GET /assets/... .
 *
 * Errors: DAFTAR_OK after a clean shutdown, or a negative daftar_err when the
 * server could not start (message on stderr).
 */
#ifndef DAFTAR_VIEWER_H
#define DAFTAR_VIEWER_H

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
} viewer_options;

int viewer_serve(const viewer_options *o);
/* Asks a running viewer_serve() to return (async-signal-safe). */
void viewer_stop(void);

#endif /* DAFTAR_VIEWER_H */
