/* json.c - writing JSON strings: escapes, and U+FFFD for bad UTF-8. */
#include <string.h>

#include "core.h"

int json_put_strn(dbuf *b, const char *s, size_t n)
{
  size_t i = 0, adv;
  char enc[4];
  int rc;

  if(!s)
    return dbuf_puts(b, "null");
  rc = dbuf_putc(b, '"');
  while(!rc && i < n) {
    unsigned char c = (unsigned char)s[i];
    if(c == '"' || c == '\\') {
      char esc[2] = {'\\', (char)c};
      rc = dbuf_append(b, esc, 2);
      i++;
    }
    else if(c < 0x20) {
      rc = c == '\n' ? dbuf_puts(b, "\\n")
           : c == '\t' ? dbuf_puts(b, "\\t")
           : c == '\r' ? dbuf_puts(b, "\\r")
                       : dbuf_printf(b, "\\u%04x", c);
      i++;
    }
    else if(c < 0x80) {
      rc = dbuf_putc(b, (char)c);
      i++;
    }
    else {
      uint32_t cp = utf8_decode(s + i, n - i, &adv);
      /* U+2028/2029 break JavaScript string literals: escape them. */
      if(cp == 0x2028 || cp == 0x2029)
        rc = dbuf_printf(b, "\\u%04x", (unsigned)cp);
      else
        rc = dbuf_append(b, enc, utf8_encode(cp, enc));
      i += adv;
    }
  }
  if(!rc)
    rc = dbuf_putc(b, '"');
  return rc;
}

int json_put_str(dbuf *b, const char *s)
{
  return json_put_strn(b, s, s ? strlen(s) : 0);
}

int json_put_key(dbuf *b, const char *key)
{
  int rc = json_put_str(b, key);
  return rc ? rc : dbuf_putc(b, ':');
}
