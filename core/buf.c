/* buf.c - dbuf, the growable byte buffer with a ceiling, and array_grow. */
#include <stdlib.h>
#include <string.h>

#include "core.h"

void dbuf_init(dbuf *b, size_t max)
{
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max;
}

void dbuf_free(dbuf *b)
{
  if(!b)
    return;
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void dbuf_reset(dbuf *b)
{
  b->len = 0;
  if(b->data)
    b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminating NUL. */
static int dbuf_reserve(dbuf *b, size_t n)
{
  size_t max = b->max ? b->max : DBUF_DEFAULT_MAX;
  size_t need, cap;
  char *p;

  if(n > max || b->len > max - n)
    return DAFTAR_ELIMIT;
  need = b->len + n + 1;
  if(need <= b->cap)
    return DAFTAR_OK;
  cap = b->cap ? b->cap : 64;
  while(cap < need)
    cap = cap > SIZE_MAX / 2 ? need : cap * 2;
  p = realloc(b->data, cap);
  if(!p)
    return DAFTAR_ENOMEM;
  b->data = p;
  b->cap = cap;
  return DAFTAR_OK;
}

int dbuf_append(dbuf *b, const void *p, size_t n)
{
  int rc = dbuf_reserve(b, n);
  if(rc)
    return rc;
  if(n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return DAFTAR_OK;
}

int dbuf_puts(dbuf *b, const char *s)
{
  return dbuf_append(b, s, strlen(s));
}

int dbuf_putc(dbuf *b, char c)
{
  return dbuf_append(b, &c, 1);
}

int dbuf_vprintf(dbuf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  int n, rc;

  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if(n < 0)
    return DAFTAR_EINVAL;
  rc = dbuf_reserve(b, (size_t)n);
  if(rc)
    return rc;
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return DAFTAR_OK;
}

int dbuf_printf(dbuf *b, const char *fmt, ...)
{
  va_list ap;
  int rc;

  va_start(ap, fmt);
  rc = dbuf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

const char *dbuf_cstr(dbuf *b)
{
  return b->data ? b->data : "";
}

char *dbuf_take(dbuf *b)
{
  char *p = b->data;
  if(!p)
    p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void *array_grow(void *array, size_t *cap, size_t elem, size_t first)
{
  size_t ncap = *cap ? *cap * 2 : first;
  void *p;

  if(elem == 0 || ncap < *cap || ncap > SIZE_MAX / elem)
    return NULL;
  p = realloc(array, ncap * elem);
  if(p)
    *cap = ncap;
  return p;
}
