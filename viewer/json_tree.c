/* json_tree.c - reads the JSON index/ produces back into a tree.
 *
 * The viewer renders worker and document pages from the same JSON the API
 * serves, so the page and the API can never disagree.  The input is ours,
 * but the reader is still strict and bounded (depth, no trailing bytes):
 * a malformed document is an error, never a crash. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "viewer_int.h"

typedef struct jreader {
  const char *p, *end;
  int depth;
} jreader;

static void skip_ws(jreader *r)
{
  while(r->p < r->end &&
        (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static int hex_value(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static int read_hex4(jreader *r, uint32_t *cp)
{
  int i;
  *cp = 0;
  if(r->end - r->p < 4)
    return DAFTAR_EINVAL;
  for(i = 0; i < 4; i++) {
    int v = hex_value(r->p[i]);
    if(v < 0)
      return DAFTAR_EINVAL;
    *cp = (*cp << 4) | (uint32_t)v;
  }
  r->p += 4;
  return DAFTAR_OK;
}

/* One \u escape (with its surrogate pair) appended as UTF-8. */
static int read_unicode_escape(jreader *r, dbuf *out)
{
  uint32_t cp, lo;
  char utf8[4];
  if(read_hex4(r, &cp))
    return DAFTAR_EINVAL;
  if(cp >= 0xD800 && cp <= 0xDBFF) {
    if(r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
      return DAFTAR_EINVAL;
    r->p += 2;
    if(read_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
      return DAFTAR_EINVAL;
    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
  } else if(cp >= 0xDC00 && cp <= 0xDFFF) {
    return DAFTAR_EINVAL;
  }
  if(cp == 0)
    cp = 0xFFFD; /* no NUL inside C strings */
  return dbuf_append(out, utf8, utf8_encode(cp, utf8));
}

static int read_string(jreader *r, char **out)
{
  dbuf b = DBUF_INIT;
  int rc = DAFTAR_OK;
  r->p++; /* opening quote */
  while(r->p < r->end && *r->p != '"' && !rc) {
    char c = *r->p++;
    if((unsigned char)c < 0x20) {
      rc = DAFTAR_EINVAL;
    } else if(c != '\\') {
      rc = dbuf_putc(&b, c);
    } else if(r->p >= r->end) {
      rc = DAFTAR_EINVAL;
    } else {
      c = *r->p++;
      switch(c) {
      case '"': case '\\': case '/': rc = dbuf_putc(&b, c); break;
      case 'b': rc = dbuf_putc(&b, '\b'); break;
      case 'f': rc = dbuf_putc(&b, '\f'); break;
      case 'n': rc = dbuf_putc(&b, '\n'); break;
      case 'r': rc = dbuf_putc(&b, '\r'); break;
      case 't': rc = dbuf_putc(&b, '\t'); break;
      case 'u': rc = read_unicode_escape(r, &b); break;
      default: rc = DAFTAR_EINVAL; break;
      }
    }
  }
  if(!rc && r->p >= r->end)
    rc = DAFTAR_EINVAL;
  if(rc) {
    dbuf_free(&b);
    return rc;
  }
  r->p++; /* closing quote */
  dbuf_cstr(&b);
  *out = b.data ? dbuf_take(&b) : strdup("");
  return *out ? DAFTAR_OK : DAFTAR_ENOMEM;
}

static int read_number(jreader *r, vjson *v)
{
  const char *start = r->p;
  char *endp;
  size_t n;
  while(r->p < r->end && strchr("+-0123456789.eE", *r->p))
    r->p++;
  n = (size_t)(r->p - start);
  if(!n)
    return DAFTAR_EINVAL;
  v->str = strndup(start, n);
  if(!v->str)
    return DAFTAR_ENOMEM;
  errno = 0;
  v->num = strtod(v->str, &endp);
  if(*endp || errno == ERANGE)
    return DAFTAR_EINVAL;
  v->type = VJ_NUM;
  return DAFTAR_OK;
}

static int read_literal(jreader *r, const char *word, enum vjson_type t,
                        vjson *v)
{
  size_t n = strlen(word);
  if((size_t)(r->end - r->p) < n || memcmp(r->p, word, n))
    return DAFTAR_EINVAL;
  r->p += n;
  v->type = t;
  return DAFTAR_OK;
}

static int read_value(jreader *r, vjson *v);

/* Elements of an array or members of an object, up to the closing c. */
static int read_children(jreader *r, vjson *v, char close)
{
  vjson **tail = &v->child;
  int rc;
  if(++r->depth > VIEWER_JSON_DEPTH_MAX)
    return DAFTAR_ELIMIT;
  r->p++;
  skip_ws(r);
  if(r->p < r->end && *r->p == close) {
    r->p++;
    r->depth--;
    return DAFTAR_OK;
  }
  for(;;) {
    vjson *kid = calloc(1, sizeof(*kid));
    if(!kid)
      return DAFTAR_ENOMEM;
    *tail = kid;
    tail = &kid->next;
    skip_ws(r);
    if(close == '}') {
      if(r->p >= r->end || *r->p != '"')
        return DAFTAR_EINVAL;
      rc = read_string(r, &kid->key);
      if(rc)
        return rc;
      skip_ws(r);
      if(r->p >= r->end || *r->p != ':')
        return DAFTAR_EINVAL;
      r->p++;
    }
    rc = read_value(r, kid);
    if(rc)
      return rc;
    skip_ws(r);
    if(r->p < r->end && *r->p == ',') {
      r->p++;
      continue;
    }
    if(r->p < r->end && *r->p == close) {
      r->p++;
      r->depth--;
      return DAFTAR_OK;
    }
    return DAFTAR_EINVAL;
  }
}

static int read_value(jreader *r, vjson *v)
{
  skip_ws(r);
  if(r->p >= r->end)
    return DAFTAR_EINVAL;
  switch(*r->p) {
  case '{':
    v->type = VJ_OBJ;
    return read_children(r, v, '}');
  case '[':
    v->type = VJ_ARR;
    return read_children(r, v, ']');
  case '"':
    v->type = VJ_STR;
    return read_string(r, &v->str);
  case 't':
    return read_literal(r, "true", VJ_TRUE, v);
  case 'f':
    return read_literal(r, "false", VJ_FALSE, v);
  case 'n':
    return read_literal(r, "null", VJ_NULL, v);
  default:
    return read_number(r, v);
  }
}

int vjson_parse(const char *text, size_t n, vjson **out)
{
  jreader r = {text, text + n, 0};
  vjson *v = calloc(1, sizeof(*v));
  int rc;
  *out = NULL;
  if(!v)
    return DAFTAR_ENOMEM;
  rc = read_value(&r, v);
  skip_ws(&r);
  if(!rc && r.p != r.end)
    rc = DAFTAR_EINVAL;
  if(rc) {
    vjson_free(v);
    return rc;
  }
  *out = v;
  return DAFTAR_OK;
}

void vjson_free(vjson *v)
{
  while(v) {
    vjson *next = v->next;
    vjson_free(v->child);
    free(v->key);
    free(v->str);
    free(v);
    v = next;
  }
}

const vjson *vjson_get(const vjson *obj, const char *key)
{
  const vjson *k;
  if(!obj || obj->type != VJ_OBJ)
    return NULL;
  for(k = obj->child; k; k = k->next)
    if(k->key && !strcmp(k->key, key))
      return k;
  return NULL;
}

const char *vjson_str(const vjson *obj, const char *key)
{
  const vjson *v = vjson_get(obj, key);
  if(!v || (v->type != VJ_STR && v->type != VJ_NUM))
    return NULL;
  return v->str;
}

double vjson_num(const vjson *obj, const char *key, double def)
{
  const vjson *v = vjson_get(obj, key);
  return v && v->type == VJ_NUM ? v->num : def;
}

/* ---- writing a tree back (after masking) ------------------------------------------ */

static int write_value(const vjson *v, dbuf *out, int depth)
{
  const vjson *c;
  int rc = DAFTAR_OK;
  if(depth > VIEWER_JSON_DEPTH_MAX)
    return DAFTAR_EINVAL;
  switch(v->type) {
  case VJ_NULL: return dbuf_puts(out, "null");
  case VJ_FALSE: return dbuf_puts(out, "false");
  case VJ_TRUE: return dbuf_puts(out, "true");
  case VJ_NUM: return dbuf_puts(out, v->str ? v->str : "0");
  case VJ_STR: return json_put_str(out, v->str ? v->str : "");
  case VJ_ARR:
  case VJ_OBJ:
    rc = dbuf_putc(out, v->type == VJ_ARR ? '[' : '{');
    for(c = v->child; !rc && c; c = c->next) {
      if(c != v->child)
        rc = dbuf_putc(out, ',');
      if(!rc && v->type == VJ_OBJ) {
        rc = json_put_str(out, c->key ? c->key : "");
        if(!rc)
          rc = dbuf_putc(out, ':');
      }
      if(!rc)
        rc = write_value(c, out, depth + 1);
    }
    return rc ? rc : dbuf_putc(out, v->type == VJ_ARR ? ']' : '}');
  }
  return DAFTAR_EINVAL;
}

int vjson_write(const vjson *v, dbuf *out)
{
  int rc = write_value(v, out, 0);
  return rc ? rc : dbuf_putc(out, '\n');
}
