/* files.c - bounded reads, atomic writes, directories. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

int file_read_all(const char *path, size_t max, char **out, size_t *len)
{
  dbuf b;
  char chunk[65536];
  ssize_t got;
  int fd, rc = DAFTAR_OK;

  *out = NULL;
  *len = 0;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return errno == ENOENT ? DAFTAR_ENOTFOUND : DAFTAR_EIO;
  dbuf_init(&b, max);
  for(;;) {
    got = read(fd, chunk, sizeof(chunk));
    if(got < 0) {
      if(errno == EINTR)
        continue;
      rc = DAFTAR_EIO;
      break;
    }
    if(got == 0)
      break;
    rc = dbuf_append(&b, chunk, (size_t)got);
    if(rc)
      break;
  }
  close(fd);
  if(rc) {
    dbuf_free(&b);
    return rc;
  }
  *len = b.len;
  *out = dbuf_take(&b);
  return DAFTAR_OK;
}

int file_fsync_dir(const char *path)
{
  char *dir = malloc(strlen(path) + 2), *slash;
  int fd, rc = DAFTAR_OK;
  struct stat st;

  if(!dir)
    return DAFTAR_ENOMEM;
  memcpy(dir, path, strlen(path) + 1);
  if(stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    slash = strrchr(dir, '/');
    if(!slash)
      memcpy(dir, ".", 2);
    else if(slash == dir)
      slash[1] = '\0';
    else
      *slash = '\0';
  }
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if(fd < 0 || fsync(fd) != 0)
    rc = DAFTAR_EIO;
  if(fd >= 0)
    close(fd);
  free(dir);
  return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
  const char *p = data;

  while(len > 0) {
    ssize_t w = write(fd, p, len);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      return DAFTAR_EIO;
    }
    p += w;
    len -= (size_t)w;
  }
  return DAFTAR_OK;
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
  dbuf tmp = DBUF_INIT;
  int fd, rc;

  rc = dbuf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
  if(rc)
    return rc;
  fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if(fd < 0) {
    rc = DAFTAR_EIO;
    goto out;
  }
  rc = write_all(fd, data, len);
  if(!rc && fsync(fd) != 0)
    rc = DAFTAR_EIO;
  if(close(fd) != 0 && !rc)
    rc = DAFTAR_EIO;
  if(rc)
    goto out_unlink;
  if(rename(tmp.data, path) != 0) {
    rc = DAFTAR_EIO;
    goto out_unlink;
  }
  rc = file_fsync_dir(path);
  goto out;
out_unlink:
  unlink(tmp.data);
out:
  dbuf_free(&tmp);
  return rc;
}

int file_mkdirs(const char *path)
{
  char *p = strdup(path);
  int rc = DAFTAR_OK;

  if(!p)
    return DAFTAR_ENOMEM;
  for(char *s = p + 1; ; s++) {
    if(*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if(mkdir(p, 0755) != 0 && errno != EEXIST) {
        rc = DAFTAR_EIO;
        break;
      }
      *s = c;
      if(c == '\0')
        break;
    }
  }
  free(p);
  return rc;
}

char *file_join(const char *a, const char *b)
{
  dbuf out = DBUF_INIT;
  size_t la = strlen(a);

  while(*b == '/')
    b++;
  if(dbuf_append(&out, a, la) ||
     ((la == 0 || a[la - 1] != '/') && dbuf_putc(&out, '/')) ||
     dbuf_puts(&out, b)) {
    dbuf_free(&out);
    return NULL;
  }
  return dbuf_take(&out);
}
