/*
 * source_dir.c - a batch directory, listed in a fixed order.
 *
 * The whole tree is listed first (bounded by max_entries and
 * INGEST_MAX_DEPTH), then sorted bytewise by relative path, so two runs over
 * the same batch take files in the same order on any file system.  Nothing
 * is followed: a symbolic link (to a file or a folder) is refused, as are
 * devices, fifos and sockets; folders are opened with O_NOFOLLOW relative to
 * their parent's descriptor.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_int.h"

enum dir_kind { DIR_FILE, DIR_SYMLINK, DIR_SPECIAL, DIR_TOO_DEEP,
                DIR_BADNAME };

typedef struct dir_entry {
  char *rel;
  enum dir_kind kind;
  const char *problem; /* DIR_BADNAME */
} dir_entry;

typedef struct dir_list {
  dir_entry *e;
  size_t n, cap;
  int overflow; /* max_entries reached */
} dir_list;

static int list_add(dir_list *l, const char *rel, enum dir_kind kind,
                    const char *problem)
{
  if(l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    dir_entry *ne = realloc(l->e, cap * sizeof(*ne));
    if(!ne)
      return DAFTAR_ENOMEM;
    l->e = ne;
    l->cap = cap;
  }
  l->e[l->n].rel = strdup(rel);
  if(!l->e[l->n].rel)
    return DAFTAR_ENOMEM;
  l->e[l->n].kind = kind;
  l->e[l->n].problem = problem;
  l->n++;
  return DAFTAR_OK;
}

static void list_free(dir_list *l)
{
  size_t i;

  for(i = 0; i < l->n; i++)
    free(l->e[i].rel);
  free(l->e);
}

static int entry_cmp(const void *a, const void *b)
{
  return strcmp(((const dir_entry *)a)->rel, ((const dir_entry *)b)->rel);
}

/* Lists dirfd (whose path inside the batch is prefix, "" at the root). */
static int list_dir(ingest_ctx *c, int dirfd, const char *prefix, int depth,
                    dir_list *l)
{
  DIR *d = fdopendir(dirfd);
  struct dirent *de;
  int rc = DAFTAR_OK;

  if(!d) {
    close(dirfd);
    return DAFTAR_EIO;
  }
  while(!rc && (de = readdir(d)) != NULL) {
    struct stat sb;
    dbuf rel = DBUF_INIT;
    const char *problem = NULL;

    if(!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
      continue;
    if((int64_t)l->n >= c->o.max_entries) {
      l->overflow = 1;
      break;
    }
    rc = dbuf_printf(&rel, "%s%s%s", prefix, *prefix ? "/" : "",
                     de->d_name);
    if(rc)
      break;
    if(fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW)) {
      rc = list_add(l, rel.data, DIR_SPECIAL, NULL);
    } else if(!ingest_name_is_safe(de->d_name, &problem)) {
      rc = list_add(l, rel.data, DIR_BADNAME, problem);
    } else if(S_ISLNK(sb.st_mode)) {
      rc = list_add(l, rel.data, DIR_SYMLINK, NULL);
    } else if(S_ISREG(sb.st_mode)) {
      rc = list_add(l, rel.data, DIR_FILE, NULL);
    } else if(S_ISDIR(sb.st_mode)) {
      int sub;
      if(depth + 1 > INGEST_MAX_DEPTH) {
        rc = list_add(l, rel.data, DIR_TOO_DEEP, NULL);
      } else {
        sub = openat(dirfd, de->d_name,
                     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        rc = sub < 0 ? list_add(l, rel.data, DIR_SPECIAL, NULL)
                     : list_dir(c, sub, rel.data, depth + 1, l);
      }
    } else {
      rc = list_add(l, rel.data, DIR_SPECIAL, NULL);
    }
    dbuf_free(&rel);
  }
  closedir(d);
  return rc;
}

static int take_file(ingest_ctx *c, const char *root, const char *rel)
{
  fd_reader_state fs;
  ingest_reader r = {fd_reader_read, &fs};
  struct stat sb;
  char *path = file_join(root, rel);
  int rc;

  if(!path)
    return DAFTAR_ENOMEM;
  fs.fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  free(path);
  if(fs.fd < 0 || fstat(fs.fd, &sb) || !S_ISREG(sb.st_mode)) {
    dbuf why = DBUF_INIT;
    dbuf_printf(&why, "cannot be opened as a regular file: %s",
                fs.fd < 0 ? strerror(errno)
                          : "changed while the batch was read");
    if(fs.fd >= 0)
      close(fs.fd);
    rc = ingest_refuse(c, rel, rel, dbuf_cstr(&why));
    dbuf_free(&why);
    return rc;
  }
  rc = ingest_take(c, rel, rel, &r);
  close(fs.fd);
  return rc;
}

static int take_entry(ingest_ctx *c, const char *root, const dir_entry *e)
{
  dbuf why = DBUF_INIT;
  int rc;

  switch(e->kind) {
  case DIR_FILE:
    if(ingest_is_sidecar(e->rel)) {
      daftar_log(DLOG_INFO, "ingest: %s describes the batch; skipped",
                 e->rel);
      return DAFTAR_OK;
    }
    return take_file(c, root, e->rel);
  case DIR_SYMLINK:
    return ingest_refuse(c, e->rel, e->rel,
                         "symbolic link (links are not followed)");
  case DIR_TOO_DEEP:
    dbuf_printf(&why, "folder nested deeper than %d levels; not read",
                INGEST_MAX_DEPTH);
    break;
  case DIR_BADNAME:
    dbuf_printf(&why, "name refused: %s", e->problem);
    break;
  default:
    dbuf_puts(&why, "not a regular file (device, fifo or socket)");
    break;
  }
  rc = ingest_refuse(c, e->rel, e->rel, dbuf_cstr(&why));
  dbuf_free(&why);
  return rc;
}

int source_dir_run(ingest_ctx *c, const char *root)
{
  dir_list l;
  size_t i;
  int fd, rc;

  memset(&l, 0, sizeof(l));
  fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd < 0)
    return DAFTAR_ENOTFOUND;
  rc = list_dir(c, fd, "", 0, &l);
  if(rc)
    goto out;
  qsort(l.e, l.n, sizeof(*l.e), entry_cmp);
  c->total_hint = (int64_t)l.n;
  c->entries = (int64_t)l.n;
  for(i = 0; i < l.n && !rc; i++)
    rc = take_entry(c, root, &l.e[i]);
  if(rc == DAFTAR_ELIMIT)
    rc = DAFTAR_OK; /* a batch-wide cap: the refusal is recorded */
  else if(!rc && l.overflow) {
    dbuf why = DBUF_INIT;
    dbuf_printf(&why, "more than %lld entries; the rest was not read",
                (long long)c->o.max_entries);
    rc = ingest_refuse(c, ".", ".", dbuf_cstr(&why));
    dbuf_free(&why);
  }
out:
  list_free(&l);
  return rc;
}
