/* html.c - the HTML writer: escaping, snippets, the page shell. */
#include <stdarg.h>
#include <string.h>

#include "viewer_int.h"

void vout_init(vout *o)
{
  dbuf_init(&o->b, VIEWER_HTML_MAX);
  o->err = DAFTAR_OK;
}

void vout_free(vout *o)
{
  dbuf_free(&o->b);
}

void vout_putn(vout *o, const char *s, size_t n)
{
  if(!o->err && n)
    o->err = dbuf_append(&o->b, s, n);
}

void vout_puts(vout *o, const char *s)
{
  if(s)
    vout_putn(o, s, strlen(s));
}

void vout_printf(vout *o, const char *fmt, ...)
{
  va_list ap;
  if(o->err)
    return;
  va_start(ap, fmt);
  o->err = dbuf_vprintf(&o->b, fmt, ap);
  va_end(ap);
}

/* The replacement for one byte, or NULL when it goes through as is. */
static const char *html_entity(char c)
{
  switch(c) {
  case '&': return "&amp;";
  case '<': return "&lt;";
  case '>': return "&gt;";
  case '"': return "&quot;";
  case '\'': return "&#39;";
  default: return NULL;
  }
}

void vout_escn(vout *o, const char *s, size_t n)
{
  size_t i, run = 0;
  if(!s)
    return;
  for(i = 0; i < n; i++) {
    const char *ent = html_entity(s[i]);
    if(!ent)
      continue;
    vout_putn(o, s + run, i - run);
    vout_puts(o, ent);
    run = i + 1;
  }
  vout_putn(o, s + run, n - run);
}

void vout_esc(vout *o, const char *s)
{
  if(s)
    vout_escn(o, s, strlen(s));
}

/* Escaping happens piece by piece between the markers, so no byte of the
 * snippet ever reaches the page unescaped; only the marks we write are
 * markup. */
void vout_snippet(vout *o, const char *s)
{
  size_t i, run = 0;
  int open = 0;
  if(!s)
    return;
  for(i = 0; s[i]; i++) {
    const char *tag = NULL;
    if(s[i] == '[' && !open)
      tag = "<mark>", open = 1;
    else if(s[i] == ']' && open)
      tag = "</mark>", open = 0;
    if(!tag)
      continue;
    vout_escn(o, s + run, i - run);
    vout_puts(o, tag);
    run = i + 1;
  }
  vout_escn(o, s + run, i - run);
  if(open)
    vout_puts(o, "</mark>");
}

void vout_urlenc(vout *o, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p;
  if(!s)
    return;
  for(p = (const unsigned char *)s; *p; p++) {
    char enc[3];
    if((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
       (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
       *p == '~') {
      vout_putn(o, (const char *)p, 1);
      continue;
    }
    enc[0] = '%';
    enc[1] = hex[*p >> 4];
    enc[2] = hex[*p & 15];
    vout_putn(o, enc, 3);
  }
}

/* ---- the shell ------------------------------------------------------------
 * assets/shell.html holds the document around every page, with @@NAME@@
 * slots.  Slots are filled in order of appearance; unknown names are kept
 * out of the page (they would be a template bug, not data). */

#define SHELL_ASSET "shell.html"

/* The next "@@" in [p, end), or NULL. */
static const char *find_slot_mark(const char *p, const char *end)
{
  for(; p + 1 < end; p++)
    if(p[0] == '@' && p[1] == '@')
      return p;
  return NULL;
}

/* The language switcher keeps the current path and query (minus lang). */
static void shell_lang_links(vout *o, const vreq *rq)
{
  const char *q = vreq_arg(rq, "q");
  const char *page = vreq_arg(rq, "page");
  int l;
  for(l = 0; l < VLANG_COUNT; l++) {
    vout_puts(o, "<a href=\"");
    vout_esc(o, rq->path);
    vout_puts(o, "?lang=");
    vout_puts(o, vlang_code((enum vlang)l));
    if(q) {
      vout_puts(o, "&amp;q=");
      vout_urlenc(o, q);
    }
    if(page) {
      vout_puts(o, "&amp;page=");
      vout_urlenc(o, page);
    }
    vout_printf(o, "\" lang=\"%s\" hreflang=\"%s\"%s>",
                vlang_code((enum vlang)l), vlang_code((enum vlang)l),
                (enum vlang)l == rq->lang ? " aria-current=\"true\"" : "");
    vout_esc(o, vlang_name((enum vlang)l));
    vout_puts(o, "</a>");
  }
}

static void shell_link(vout *o, const char *href, const char *text)
{
  vout_printf(o, "<a class=\"role-link\" href=\"%s\">", href);
  vout_esc(o, text);
  vout_puts(o, "</a>\n");
}

/* Who is logged in, and the logout form (a POST with the CSRF token). */
static void shell_user(vout *o, const vreq *rq)
{
  if(!rq->session.active)
    return;
  if(auth_may_correct(rq))
    shell_link(o, "/review", vmsg(rq->lang, M_REVIEW));
  if(auth_is_operator(rq))
    shell_link(o, "/batches", vmsg(rq->lang, M_BATCHES));
  if(auth_is_admin(rq))
    shell_link(o, "/audit", vmsg(rq->lang, M_AUDIT));
  vout_puts(o, "<span class=\"user\"><bdi>");
  vout_esc(o, rq->session.user);
  vout_puts(o, "</bdi></span>\n<form class=\"logout\" action=\"/logout\" "
               "method=\"post\"><input type=\"hidden\" name=\"csrf\" "
               "value=\"");
  vout_esc(o, rq->session.csrf);
  vout_puts(o, "\"><button type=\"submit\">");
  vout_esc(o, vmsg(rq->lang, M_LOGOUT));
  vout_puts(o, "</button></form>");
}

static void shell_slot(vout *o, const vreq *rq, const char *name, size_t n,
                       const char *title, const char *body)
{
  if(n == 4 && !memcmp(name, "LANG", 4))
    vout_puts(o, vlang_code(rq->lang));
  else if(n == 3 && !memcmp(name, "DIR", 3))
    vout_puts(o, vlang_dir(rq->lang));
  else if(n == 5 && !memcmp(name, "TITLE", 5)) {
    vout_esc(o, title);
    vout_puts(o, " - ");
    vout_esc(o, vmsg(rq->lang, M_APP_NAME));
  } else if(n == 3 && !memcmp(name, "APP", 3))
    vout_esc(o, vmsg(rq->lang, M_APP_NAME));
  else if(n == 6 && !memcmp(name, "SEARCH", 6))
    vout_esc(o, vmsg(rq->lang, M_SEARCH));
  else if(n == 8 && !memcmp(name, "LANGNAME", 8))
    vout_esc(o, vmsg(rq->lang, M_LANGUAGE));
  else if(n == 5 && !memcmp(name, "LANGS", 5))
    shell_lang_links(o, rq);
  else if(n == 4 && !memcmp(name, "USER", 4))
    shell_user(o, rq);
  else if(n == 4 && !memcmp(name, "BODY", 4))
    vout_puts(o, body);
}

void html_page(vout *o, const vreq *rq, const char *title, const char *body)
{
  const viewer_asset *a = viewer_asset_find(SHELL_ASSET);
  const char *p, *end;
  if(!a) {
    o->err = DAFTAR_ENOTFOUND;
    return;
  }
  p = (const char *)a->data;
  end = p + a->len;
  while(p < end) {
    const char *open = find_slot_mark(p, end);
    const char *close;
    if(!open) {
      vout_putn(o, p, (size_t)(end - p));
      break;
    }
    vout_putn(o, p, (size_t)(open - p));
    close = find_slot_mark(open + 2, end);
    if(!close) {
      vout_putn(o, open, (size_t)(end - open));
      break;
    }
    shell_slot(o, rq, open + 2, (size_t)(close - open - 2), title, body);
    p = close + 2;
  }
}
