/*
 * page_store.c - the content-addressed store of masters.
 *
 * A master lives at ARCHIVE/objects/ab/cdef... (the first two hex digits of
 * its SHA-256 name a folder).  It reaches that name only through
 * ARCHIVE/tmp: streamed there while hashed, checked, flushed to disk,
 * renamed, and the new name flushed, all before the database records it
 * (store_commit_group).  A crash therefore leaves a temp file (removed by
 * the next run), or an object nobody recorded yet (found and recorded by
 * the next run), never a record without its bytes.  Stored masters are
 * never rewritten: a second copy of the same content is dropped.  Temp
 * files carry their writer's pid, so a run removes the leftovers of dead
 * runs without touching a live one's.
 */
#define _GNU_SOURCE /* sync_file_range */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "ingest_int.h"

char *ingest_object_path(const char *archive_dir, const char *sha256)
{
  dbuf b = DBUF_INIT;

  if(!archive_dir || !sha256 || strlen(sha256) != SHA256_HEX_LEN)
    return NULL;
  if(dbuf_printf(&b, "%s/%s/%.2s/%s", archive_dir, INGEST_OBJECTS_DIR,
                 sha256, sha256 + 2)) {
    dbuf_free(&b);
    return NULL;
  }
  return dbuf_take(&b);
}

static char *store_subdir(const char *archive_dir, const char *sub)
{
  return file_join(archive_dir, sub);
}

/* When process pid started (clock ticks since boot, field 22 of
 * /proc/<pid>/stat), 0 when unknown.  With the pid it names a process
 * uniquely: a pid reused by an unrelated process does not keep a dead run's
 * temp files alive. */
static unsigned long long proc_start_time(pid_t pid)
{
  char path[64], buf[1024];
  const char *p;
  unsigned long long start = 0;
  ssize_t n;
  int fd, field;

  snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return 0;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if(n <= 0)
    return 0;
  buf[n] = '\0';
  p = strrchr(buf, ')'); /* the command name may hold spaces */
  if(!p)
    return 0;
  for(field = 2; *p && field < 22; p++)
    if(*p == ' ')
      field++;
  if(field == 22)
    start = strtoull(p, NULL, 10);
  return start;
}

/* Parses "ingest-<pid>-<start>-<seq>"; 0 when name is not ours. */
static int tmp_owner(const char *name, pid_t *pid,
                     unsigned long long *start)
{
  size_t plen = strlen(INGEST_TMP_PREFIX);
  char *end;
  long p;

  if(strncmp(name, INGEST_TMP_PREFIX, plen))
    return 0;
  errno = 0;
  p = strtol(name + plen, &end, 10);
  if(errno || end == name + plen || *end != '-' || p <= 0)
    return 0;
  *pid = (pid_t)p;
  *start = strtoull(end + 1, &end, 10);
  return *end == '-';
}

/* 1 if the run that wrote a temp file is gone. */
static int tmp_writer_gone(pid_t pid, unsigned long long start)
{
  unsigned long long now;

  if(pid == getpid())
    return 0; /* another run in this process, perhaps in another thread */
  if(kill(pid, 0) != 0 && errno == ESRCH)
    return 1;
  now = proc_start_time(pid);
  return start && now && now != start;
}

/* Removes temp files whose writer is gone (kill -9, power loss). */
static int store_clean_tmp(const char *tmpdir)
{
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  int rc = DAFTAR_OK;

  if(!d)
    return DAFTAR_EIO;
  while((e = readdir(d)) != NULL) {
    unsigned long long start = 0;
    pid_t pid = 0;
    char *p;

    if(!tmp_owner(e->d_name, &pid, &start) || !tmp_writer_gone(pid, start))
      continue;
    p = file_join(tmpdir, e->d_name);
    if(!p) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    if(unlink(p) && errno != ENOENT)
      daftar_log(DLOG_WARN, "ingest: cannot remove stale temp file %s", p);
    free(p);
  }
  closedir(d);
  return rc;
}

int store_prepare(const char *archive_dir)
{
  static const char *const subs[] = {INGEST_OBJECTS_DIR,
                                     INGEST_QUARANTINE_DIR, INGEST_TMP_DIR};
  char *tmpdir = NULL;
  size_t i;
  int rc = DAFTAR_OK;

  for(i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
    char *p = store_subdir(archive_dir, subs[i]);
    if(!p)
      return DAFTAR_ENOMEM;
    rc = file_mkdirs(p);
    free(p);
    if(rc)
      return rc;
  }
  tmpdir = store_subdir(archive_dir, INGEST_TMP_DIR);
  if(!tmpdir)
    return DAFTAR_ENOMEM;
  rc = store_clean_tmp(tmpdir);
  free(tmpdir);
  return rc;
}

static int write_all(int fd, const void *p, size_t n)
{
  const char *s = p;

  while(n) {
    ssize_t w = write(fd, s, n);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      return DAFTAR_EIO;
    }
    s += w;
    n -= (size_t)w;
  }
  return DAFTAR_OK;
}

/* Temp names are unique per process (pid and start time) and per file in
 * it (a process-wide counter: runs in several threads do not collide). */
static int tmp_create(ingest_ctx *c, char **path, int *fd)
{
  static atomic_uint seq;
  static _Atomic unsigned long long start; /* same value from any thread */
  dbuf b = DBUF_INIT;
  int rc;

  if(!atomic_load(&start))
    atomic_store(&start, proc_start_time(getpid()));
  rc = dbuf_printf(&b, "%s/%s/%s%ld-%llu-%u", c->archive_dir,
                   INGEST_TMP_DIR, INGEST_TMP_PREFIX, (long)getpid(),
                   atomic_load(&start), atomic_fetch_add(&seq, 1u));
  if(rc) {
    dbuf_free(&b);
    return rc;
  }
  *fd = open(dbuf_cstr(&b), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if(*fd < 0) {
    daftar_log(DLOG_ERROR, "ingest: cannot create %s: %s", dbuf_cstr(&b),
               strerror(errno));
    dbuf_free(&b);
    return DAFTAR_EIO;
  }
  *path = dbuf_take(&b);
  return DAFTAR_OK;
}

/* The size caps, checked as bytes arrive (declared sizes are not trusted). */
static int stage_limits(ingest_ctx *c, int64_t size, dbuf *why)
{
  if(size > c->o.max_file_bytes) {
    dbuf_printf(why, "larger than the limit of %lld bytes per file",
                (long long)c->o.max_file_bytes);
    return DAFTAR_EREFUSED;
  }
  if(c->total_bytes > c->o.max_total_bytes) {
    dbuf_printf(why, "the batch exceeds the limit of %lld bytes in total; "
                "the rest was not read", (long long)c->o.max_total_bytes);
    return DAFTAR_ELIMIT;
  }
  return DAFTAR_OK;
}

int store_stage(ingest_ctx *c, ingest_reader *r, ingest_staged *st,
                dbuf *why)
{
  sha256_ctx h;
  char *buf = NULL;
  int fd = -1;
  int rc;

  memset(st, 0, sizeof(*st));
  st->fd = -1;
  buf = malloc(INGEST_CHUNK);
  if(!buf)
    return DAFTAR_ENOMEM;
  rc = sha256_init(&h);
  if(rc)
    goto out;
  rc = tmp_create(c, &st->tmp_path, &st->fd);
  if(rc)
    goto out;
  fd = st->fd;
  for(;;) {
    size_t got = 0;

    rc = r->read(r->state, buf, INGEST_CHUNK, &got, why);
    if(rc || got == 0)
      break;
    if(st->head_len < INGEST_SNIFF_BYTES) {
      size_t k = INGEST_SNIFF_BYTES - st->head_len;
      if(k > got)
        k = got;
      memcpy(st->head + st->head_len, buf, k);
      st->head_len += k;
    }
    st->size += (int64_t)got;
    c->total_bytes += (int64_t)got;
    rc = stage_limits(c, st->size, why);
    if(rc)
      break;
    rc = sha256_update(&h, buf, got);
    if(rc)
      break;
    rc = write_all(fd, buf, got);
    if(rc) {
      daftar_log(DLOG_ERROR, "ingest: write to %s failed: %s", st->tmp_path,
                 strerror(errno));
      break;
    }
  }
  if(!rc)
    rc = sha256_final_hex(&h, st->sha256);
out:
  free(buf);
  if(rc)
    store_discard(st);
  return rc;
}

void store_discard(ingest_staged *st)
{
  if(st->fd >= 0) {
    close(st->fd);
    st->fd = -1;
  }
  if(st->tmp_path) {
    unlink(st->tmp_path);
    free(st->tmp_path);
    st->tmp_path = NULL;
  }
}

/* Durable before visible: the bytes reach the disk before the name does
 * (files skipped as already recorded are never fsync'ed). */
int store_move(ingest_staged *st, const char *dest)
{
  int rc = fsync(st->fd);

  if(close(st->fd))
    rc = -1;
  st->fd = -1;
  if(rc) {
    daftar_log(DLOG_ERROR, "ingest: fsync %s failed: %s", st->tmp_path,
               strerror(errno));
    return DAFTAR_EIO;
  }
  if(rename(st->tmp_path, dest)) {
    daftar_log(DLOG_ERROR, "ingest: rename to %s failed: %s", dest,
               strerror(errno));
    return DAFTAR_EIO;
  }
  free(st->tmp_path);
  st->tmp_path = NULL;
  return file_fsync_dir(dest);
}

/* Step 2 of a group commit: the staged file takes its object name, unless
 * the object is there already (stored by an earlier run that died before
 * recording it, or twice in this group: same name, same content).  *dir
 * gets the folder to fsync (heap), NULL when nothing was renamed. */
static int store_place(ingest_ctx *c, ingest_staged *st, char **dir,
                       int *new_dir)
{
  char *dest = ingest_object_path(c->archive_dir, st->sha256);
  struct stat sb;
  int rc = DAFTAR_OK;

  *dir = NULL;
  if(!dest)
    return DAFTAR_ENOMEM;
  if(lstat(dest, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == st->size) {
    store_discard(st);
    goto out;
  }
  *dir = strdup(dest);
  if(!*dir) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  (*dir)[strlen(*dir) - (SHA256_HEX_LEN - 2) - 1] = '\0';
  if(stat(*dir, &sb)) {
    rc = file_mkdirs(*dir);
    *new_dir = 1;
    if(rc)
      goto out;
  }
  if(rename(st->tmp_path, dest)) {
    daftar_log(DLOG_ERROR, "ingest: rename to %s failed: %s", dest,
               strerror(errno));
    rc = DAFTAR_EIO;
    goto out;
  }
  free(st->tmp_path);
  st->tmp_path = NULL;
out:
  if(rc) {
    free(*dir);
    *dir = NULL;
  }
  free(dest);
  return rc;
}

/* Makes the data (or names) of a group durable.  syncfs() flushes the
 * whole file system in one call; per-file fsync() cost about 3 ms each on
 * the test machine and was most of the wall time of an ingest.  Where
 * syncfs is missing or fails, every file and folder is fsync'ed. */
static int store_sync_files(ingest_staged *const *st, int n)
{
  int i, rc = DAFTAR_OK;

#ifdef __linux__
  if(n > 0 && syncfs(st[0]->fd) == 0)
    return DAFTAR_OK;
#endif
  for(i = 0; i < n && !rc; i++)
    if(fsync(st[i]->fd)) {
      daftar_log(DLOG_ERROR, "ingest: fsync %s failed: %s", st[i]->tmp_path,
                 strerror(errno));
      rc = DAFTAR_EIO;
    }
  return rc;
}

static int store_sync_dirs(char *const *dirs, int n, const char *objects)
{
  int i, rc = DAFTAR_OK;

#ifdef __linux__
  int fd = open(objects, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd >= 0) {
    int ok = syncfs(fd) == 0;
    close(fd);
    if(ok)
      return DAFTAR_OK;
  }
#endif
  for(i = 0; i < n && !rc; i++)
    rc = file_fsync_dir(dirs[i]);
  if(!rc)
    rc = file_fsync_dir(objects);
  return rc;
}

/* Makes n staged files stored objects, durably, before any of them is
 * recorded: their data reaches the disk, they are renamed into
 * objects/ab/, then the new names reach the disk.  Done for a group: one
 * flush for all instead of two per file. */
int store_commit_group(ingest_ctx *c, ingest_staged *const *st, int n)
{
  char *dirs[INGEST_GROUP_MAX];
  char *objects = NULL;
  int ndirs = 0, new_dir = 0, i, k, rc;

  if(n > INGEST_GROUP_MAX)
    return DAFTAR_EINVAL;
  objects = store_subdir(c->archive_dir, INGEST_OBJECTS_DIR);
  if(!objects)
    return DAFTAR_ENOMEM;
  rc = store_sync_files(st, n);
  for(i = 0; i < n; i++) {
    close(st[i]->fd);
    st[i]->fd = -1;
  }
  for(i = 0; i < n && !rc; i++) {
    char *dir = NULL;
    rc = store_place(c, st[i], &dir, &new_dir);
    if(!dir)
      continue;
    for(k = 0; k < ndirs && strcmp(dirs[k], dir); k++)
      ;
    if(k < ndirs)
      free(dir);
    else
      dirs[ndirs++] = dir;
  }
  if(!rc && ndirs)
    rc = store_sync_dirs(dirs, ndirs, objects);
  for(k = 0; k < ndirs; k++)
    free(dirs[k]);
  free(objects);
  return rc;
}

/* Starts writing a staged file back now, so that the group's fsync finds
 * the data on its way (Linux; elsewhere a no-op). */
void store_start_writeback(ingest_staged *st)
{
#ifdef SYNC_FILE_RANGE_WRITE
  if(st->fd >= 0)
    sync_file_range(st->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
  (void)st;
#endif
}

int store_write_file(ingest_ctx *c, const char *dest, const void *data,
                     size_t len)
{
  ingest_staged st;
  int rc;

  memset(&st, 0, sizeof(st));
  st.fd = -1;
  rc = tmp_create(c, &st.tmp_path, &st.fd);
  if(rc)
    return rc;
  rc = write_all(st.fd, data, len);
  if(!rc)
    rc = store_move(&st, dest);
  store_discard(&st);
  return rc;
}

/* ---- reading stored pages -------------------------------------------------
 * Leptonica reads the master; its and libtiff's messages go to daftar's log
 * (the master passed the ingest checks, so a failure here means damage,
 * which ingest_verify reports). */

/* Leptonica opens TIFFs with libtiff's process-wide handlers, which print
 * to stderr: route them into daftar's log once (a stored master's unknown
 * scanner tags are not news). */
static void page_read_tiff_warning(const char *module, const char *fmt,
                                   va_list ap)
{
  char msg[256];

  vsnprintf(msg, sizeof(msg), fmt, ap);
  daftar_log(DLOG_DEBUG, "libtiff: %s: %s", module ? module : "", msg);
}

static void page_read_tiff_error(const char *module, const char *fmt,
                                 va_list ap)
{
  char msg[256];

  vsnprintf(msg, sizeof(msg), fmt, ap);
  daftar_log(DLOG_WARN, "libtiff: %s: %s", module ? module : "", msg);
}

static void page_read_lept_message(const char *msg)
{
  size_t n = strlen(msg);

  daftar_log(DLOG_DEBUG, "leptonica: %.*s", (int)(n && msg[n - 1] == '\n'
                                                     ? n - 1 : n), msg);
}

static void page_read_init(void)
{
  TIFFSetWarningHandler(page_read_tiff_warning);
  TIFFSetErrorHandler(page_read_tiff_error);
  leptSetStderrHandler(page_read_lept_message);
}

int ingest_page_read(const char *archive_dir, const char *sha256, int n,
                     struct Pix **out)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;

  char *path;
  l_int32 format = IFF_UNKNOWN;
  PIX *pix = NULL;

  if(!out || n < 1)
    return DAFTAR_EINVAL;
  *out = NULL;
  path = ingest_object_path(archive_dir, sha256);
  if(!path)
    return DAFTAR_EINVAL;
  if(access(path, R_OK)) {
    free(path);
    return DAFTAR_ENOTFOUND;
  }
  pthread_once(&once, page_read_init);
  if(findFileFormat(path, &format) == 0) {
    switch(format) {
    case IFF_TIFF: case IFF_TIFF_PACKBITS: case IFF_TIFF_RLE:
    case IFF_TIFF_G3: case IFF_TIFF_G4: case IFF_TIFF_LZW:
    case IFF_TIFF_ZIP: case IFF_TIFF_JPEG:
      pix = pixReadTiff(path, n - 1);
      break;
    default:
      if(n == 1)
        pix = pixRead(path);
      break;
    }
  }
  free(path);
  if(!pix)
    return DAFTAR_ENOTFOUND;
  *out = pix;
  return DAFTAR_OK;
}
