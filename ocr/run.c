/*
 * run.c - recognize every pending page of an archive with N workers.
 *
 * State lives per page in the database (pending / done / failed), so a run
 * killed at any point continues where it stopped: the next run lists only
 * pages still pending or failed.  Each worker has its own Tesseract engine
 * and its own index handle, both made before any thread starts (a model
 * that cannot load fails the run at once, not N times later).  A page that
 * fails is marked failed with its reason and the run goes on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "recognize_int.h"

#define RUN_MAX_JOBS 64
#define RUN_REASON_MAX 320
#define RUN_BAR_WIDTH 30

typedef struct run_state {
  pthread_mutex_t mu;
  const char *archive;
  index_page_ref *refs;
  size_t n, next;
  int64_t recognized, failed;
  double t0;
  int progress;
} run_state;

typedef struct worker {
  run_state *st;
  struct ocr_engine *engine;
  struct index_db *db;
  pthread_t tid;
  int started;
} worker;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Called with st->mu held. */
static void progress_draw(run_state *st) {
  if(!st->progress)
    return;
  size_t done = (size_t)(st->recognized + st->failed);
  double el = now_seconds() - st->t0;
  double rate = el > 0 ? (double)done / el : 0;
  double eta = rate > 0 ? (double)(st->n - done) / rate : 0;
  int fill = st->n ? (int)((double)RUN_BAR_WIDTH * (double)done / (double)st->n) : 0;
  char bar[RUN_BAR_WIDTH + 1];
  for(int i = 0; i < RUN_BAR_WIDTH; i++)
    bar[i] = i < fill ? '#' : '.';
  bar[RUN_BAR_WIDTH] = '\0';
  int em = (int)(eta / 60), es = (int)eta % 60;
  fprintf(stderr, "\rocr [%s] %zu/%zu pages  %.2f pages/s  ETA %d:%02d  %s",
          bar, done, st->n, rate, em, es,
          st->failed ? "(some failed)" : "");
  if(done == st->n)
    fputc('\n', stderr);
  fflush(stderr);
}

static int store_result(struct index_db *db, int64_t page_id,
                        const ocr_page_result *r) {
  index_ocr_result ir = {
      .text = r->text,
      .confidence = r->confidence,
      .lang = r->lang,
      .rotation = r->rotation,
      .skew = r->skew,
      .needs_review = r->needs_review,
      .alto = r->alto,
      .hocr = r->hocr,
      .words = r->words,
      .nwords = r->nwords,
      .raw_text = r->raw_text,
  };
  return index_page_store_ocr(db, page_id, &ir);
}

/* Recognizes and stores one page; on failure records why. */
static int do_page(worker *w, const index_page_ref *ref) {
  char reason[RUN_REASON_MAX];
  struct Pix *pix = NULL;
  ocr_page_result r;
  memset(&r, 0, sizeof(r));
  int rc = ingest_page_read(w->st->archive, ref->sha256, ref->n, &pix);
  if(rc) {
    snprintf(reason, sizeof(reason), "page image unreadable: %s",
             daftar_strerror(rc));
    goto fail;
  }
  rc = ocr_engine_recognize(w->engine, pix, ref->n, &r);
  pixDestroy(&pix);
  if(rc) {
    snprintf(reason, sizeof(reason), "recognition failed: %s (%s)",
             daftar_strerror(rc), ocr_engine_errmsg(w->engine));
    goto fail;
  }
  rc = store_result(w->db, ref->page_id, &r);
  ocr_page_result_clear(&r);
  if(rc) {
    snprintf(reason, sizeof(reason), "storing the result failed: %s",
             index_errmsg(w->db));
    goto fail;
  }
  return DAFTAR_OK;
fail:
  daftar_log(DLOG_WARN, "ocr: %s page %d: %s",
             ref->source ? ref->source : "?", ref->n, reason);
  if(index_page_mark_failed(w->db, ref->page_id, reason))
    daftar_log(DLOG_ERROR, "ocr: cannot mark page %lld failed: %s",
               (long long)ref->page_id, index_errmsg(w->db));
  return rc;
}

static void *worker_main(void *arg) {
  worker *w = arg;
  run_state *st = w->st;
  for(;;) {
    pthread_mutex_lock(&st->mu);
    size_t i = st->next < st->n ? st->next++ : st->n;
    pthread_mutex_unlock(&st->mu);
    if(i >= st->n)
      break;
    int rc = do_page(w, &st->refs[i]);
    pthread_mutex_lock(&st->mu);
    if(rc)
      st->failed++;
    else
      st->recognized++;
    progress_draw(st);
    pthread_mutex_unlock(&st->mu);
  }
  return NULL;
}

static int jobs_for(const ocr_options *o, size_t pages) {
  long j = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
  if(j < 1)
    j = 1;
  if(j > RUN_MAX_JOBS)
    j = RUN_MAX_JOBS;
  if((size_t)j > pages)
    j = (long)pages;
  return (int)j;
}

static void workers_free(worker *ws, int n) {
  for(int i = 0; i < n; i++) {
    ocr_engine_close(ws[i].engine);
    index_close(ws[i].db);
  }
  free(ws);
}

int ocr_run(const char *archive_dir, const ocr_options *o, ocr_summary *s) {
  ocr_options def;
  if(!o) {
    ocr_options_default(&def);
    o = &def;
  }
  memset(s, 0, sizeof(*s));
  double t0 = now_seconds();
  /* Parallelism is daftar's workers, not OpenMP inside each engine (see
   * ocr_exec_with_thread_limit for why this alone may come too late). */
  setenv("OMP_THREAD_LIMIT", "1", 0);
  struct index_db *db = NULL;
  index_page_ref *refs = NULL;
  size_t n = 0;
  int rc = index_open(archive_dir, &db);
  if(rc) {
    daftar_log(DLOG_ERROR, "ocr: cannot open archive %s: %s", archive_dir,
               db ? index_errmsg(db) : daftar_strerror(rc));
    goto out;
  }
  rc = index_pages_pending(db, o->redo, &refs, &n);
  if(rc) {
    daftar_log(DLOG_ERROR, "ocr: cannot list pages: %s", index_errmsg(db));
    goto out;
  }
  s->pages = (int64_t)n;
  if(n == 0)
    goto out;

  run_state st = {.archive = archive_dir, .refs = refs, .n = n,
                  .t0 = t0, .progress = o->progress && isatty(2)};
  pthread_mutex_init(&st.mu, NULL);
  int jobs = jobs_for(o, n);
  worker *ws = calloc((size_t)jobs, sizeof(*ws));
  if(!ws) {
    rc = DAFTAR_ENOMEM;
    goto out_mutex;
  }
  for(int i = 0; i < jobs; i++) {
    ws[i].st = &st;
    rc = ocr_engine_open(o, &ws[i].engine);
    if(!rc)
      rc = index_open(archive_dir, &ws[i].db);
    if(rc) {
      daftar_log(DLOG_ERROR, "ocr: cannot start worker %d: %s", i + 1,
                 daftar_strerror(rc));
      goto out_workers;
    }
  }
  for(int i = 0; i < jobs; i++) {
    if(pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) == 0)
      ws[i].started = 1;
  }
  int running = 0;
  for(int i = 0; i < jobs; i++) {
    if(ws[i].started) {
      pthread_join(ws[i].tid, NULL);
      running++;
    }
  }
  if(running == 0) {
    daftar_log(DLOG_ERROR, "ocr: could not start any worker thread");
    rc = DAFTAR_ENOMEM;
  }
  s->recognized = st.recognized;
  s->failed = st.failed;
  if(!rc && st.failed > 0)
    rc = DAFTAR_EOCR;
out_workers:
  workers_free(ws, jobs);
out_mutex:
  pthread_mutex_destroy(&st.mu);
out:
  index_page_refs_free(refs, n);
  index_close(db);
  s->seconds = now_seconds() - t0;
  return rc;
}

int ocr_exec_with_thread_limit(char **argv) {
  if(getenv("OMP_THREAD_LIMIT"))
    return DAFTAR_OK;
  if(setenv("OMP_THREAD_LIMIT", "1", 1) != 0)
    return DAFTAR_EIO;
  execv("/proc/self/exe", argv);
  /* exec failed: carry on; OpenMP threads only cost speed. */
  daftar_log(DLOG_DEBUG, "ocr: re-exec for OMP_THREAD_LIMIT failed (%d)",
             errno);
  return DAFTAR_EIO;
}
