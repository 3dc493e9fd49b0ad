/* utf8.c - UTF-8 decoding and encoding that never loops on bad input. */
#include "core.h"

uint32_t utf8_decode(const char *s, size_t n, size_t *adv)
{
  const unsigned char *u = (const unsigned char *)s;
  uint32_t cp, min;
  size_t len, i;

  if(n == 0) {
    *adv = 0;
    return 0;
  }
  if(u[0] < 0x80) {
    *adv = 1;
    return u[0];
  }
  if((u[0] & 0xE0) == 0xC0) {
    len = 2;
    cp = u[0] & 0x1F;
    min = 0x80;
  }
  else if((u[0] & 0xF0) == 0xE0) {
    len = 3;
    cp = u[0] & 0x0F;
    min = 0x800;
  }
  else if((u[0] & 0xF8) == 0xF0) {
    len = 4;
    cp = u[0] & 0x07;
    min = 0x10000;
  }
  else
    goto bad;
  if(len > n)
    goto bad;
  for(i = 1; i < len; i++) {
    if((u[i] & 0xC0) != 0x80)
      goto bad;
    cp = (cp << 6) | (u[i] & 0x3F);
  }
  if(cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    goto bad;
  *adv = len;
  return cp;
bad:
  *adv = 1;
  return 0xFFFD;
}

size_t utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;

  if(cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD;
  if(cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if(cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if(cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

int utf8_valid(const char *s, size_t n)
{
  size_t i = 0, adv;
  uint32_t cp;

  while(i < n) {
    cp = utf8_decode(s + i, n - i, &adv);
    /* A malformed sequence decodes as U+FFFD advancing one byte; a real
     * U+FFFD advances three. */
    if(cp == 0 || (cp == 0xFFFD && adv == 1))
      return 0;
    i += adv;
  }
  return 1;
}

size_t utf8_count(const char *s)
{
  size_t n = 0;

  for(; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}
