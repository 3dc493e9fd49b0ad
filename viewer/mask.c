/* mask.c - identity numbers hidden from roles that do not need them.
 *
 * Who sees what (docs/API.md, "Masking"): archivists see every number in
 * full (they compare values with the scan and correct them); staff see the
 * social-security number in full (the archive's own key for a worker's
 * account: pages are addressed by it and enquiries quote it) but national
 * ID numbers as ••••••••1234 (a state-wide identity number, useful for
 * impersonation, that answering about a contribution history does not
 * need); operators and admins see no record contents at all.
 *
 * What is masked for staff, in pages and API alike:
 * - structured values: a worker's "national_id", a document's national_id
 *   field (value, raw, old value) and candidates for it;
 * - free text (recognized page text, search snippets): every run of
 *   VIEWER_MASK_RUN_MIN or more digits (ASCII, Arabic-Indic or Persian)
 *   except a social-security number shown on the same record, since a
 *   national ID misread by OCR or not extracted is still a national ID;
 *   and, whatever its length, any run equal to the record's own national
 *   ID value (an OCR misreading can make it short);
 * - the page image: the national_id field's box and every recognized word
 *   the free-text rule masks are painted over.
 * The last VIEWER_MASK_SHOWN digits stay (in their own script) so a clerk
 * can confirm a number a caller reads out. */
#include <stdlib.h>
#include <string.h>

#include "viewer_int.h"

#define MASK_GLYPH "\xe2\x80\xa2" /* U+2022 BULLET */
#define RUN_DIGITS_MAX 64         /* longer runs are masked without compare */
#define KEEP_MAX 16               /* SSNs shown in full on one record */
#define SECRET_MAX 16             /* national ID digit runs of one record */
#define SECRET_DIGITS_MIN 3       /* shorter runs are not looked for */

int viewer_masks_ids(const vreq *rq)
{
  return rq->session.active && !strcmp(rq->session.role, "staff");
}

/* Bytes of the digit at s (0 when none) and its ASCII value in *d. */
static size_t digit_at(const char *s, size_t n, char *d)
{
  const unsigned char *u = (const unsigned char *)s;
  if(n >= 1 && u[0] >= '0' && u[0] <= '9') {
    *d = (char)u[0];
    return 1;
  }
  /* U+0660..0669: D9 A0..A9; U+06F0..06F9: DB B0..B9 */
  if(n >= 2 && u[0] == 0xD9 && u[1] >= 0xA0 && u[1] <= 0xA9) {
    *d = (char)('0' + (u[1] - 0xA0));
    return 2;
  }
  if(n >= 2 && u[0] == 0xDB && u[1] >= 0xB0 && u[1] <= 0xB9) {
    *d = (char)('0' + (u[1] - 0xB0));
    return 2;
  }
  return 0;
}

typedef struct keep_list {
  const char *num[KEEP_MAX]; /* ASCII digits, belonging to the tree */
  size_t n;
  /* The record's own national ID (each digit run of its values, folded to
   * ASCII): masked in free text whatever its length, as an OCR misreading
   * may have made it short. */
  char secret[SECRET_MAX][RUN_DIGITS_MAX + 1];
  size_t nsecret;
} keep_list;

static int secret(const keep_list *k, const char *ascii)
{
  size_t i;
  for(i = 0; k && i < k->nsecret; i++)
    if(!strcmp(k->secret[i], ascii))
      return 1;
  return 0;
}

static int kept(const keep_list *k, const char *ascii)
{
  size_t i;
  for(i = 0; k && i < k->n; i++)
    if(!strcmp(k->num[i], ascii))
      return 1;
  return 0;
}

/* Copies s to out, masking each digit run of at least min digits that is
 * not kept: all but its last VIEWER_MASK_SHOWN digits become bullets. */
static int mask_runs(const char *s, size_t min, const keep_list *k, dbuf *out)
{
  size_t n = strlen(s), i = 0;
  int rc = DAFTAR_OK;
  while(!rc && i < n) {
    char ascii[RUN_DIGITS_MAX + 1], d;
    size_t j = i, digits = 0, adv, shown_from, cut;
    while(j < n && (adv = digit_at(s + j, n - j, &d)) > 0) {
      if(digits < RUN_DIGITS_MAX)
        ascii[digits] = d;
      digits++;
      j += adv;
    }
    if(digits == 0) {
      rc = dbuf_putc(out, s[i++]);
      continue;
    }
    ascii[digits < RUN_DIGITS_MAX ? digits : RUN_DIGITS_MAX] = '\0';
    if(digits <= RUN_DIGITS_MAX && !secret(k, ascii) &&
       (digits < min || kept(k, ascii))) {
      rc = dbuf_append(out, s + i, j - i);
      i = j;
      continue;
    }
    shown_from = digits > VIEWER_MASK_SHOWN ? digits - VIEWER_MASK_SHOWN
                                            : digits;
    for(cut = 0; !rc && cut < digits; cut++) {
      adv = digit_at(s + i, n - i, &d);
      rc = cut < shown_from ? dbuf_puts(out, MASK_GLYPH)
                            : dbuf_append(out, s + i, adv);
      i += adv;
    }
  }
  return rc;
}

/* Replaces *s (heap) by its masked copy. */
static int mask_str(char **s, size_t min, const keep_list *k)
{
  dbuf b = DBUF_INIT;
  int rc;
  if(!*s)
    return DAFTAR_OK;
  rc = mask_runs(*s, min, k, &b);
  if(!rc && !dbuf_cstr(&b))
    rc = DAFTAR_ENOMEM;
  if(rc) {
    dbuf_free(&b);
    return rc;
  }
  free(*s);
  *s = dbuf_take(&b);
  return *s ? DAFTAR_OK : DAFTAR_ENOMEM;
}

int viewer_mask_text(char **s, const char *const *keep, size_t nkeep)
{
  keep_list k;
  size_t i;
  k.n = k.nsecret = 0;
  for(i = 0; i < nkeep && k.n < KEEP_MAX; i++)
    if(keep[i])
      k.num[k.n++] = keep[i];
  return mask_str(s, VIEWER_MASK_RUN_MIN, &k);
}

int viewer_mask_value(char **s)
{
  dbuf b = DBUF_INIT;
  size_t n, i = 0, digits = 0, seen = 0, shown_from, adv;
  char d;
  int rc = DAFTAR_OK;
  if(!*s)
    return DAFTAR_OK;
  n = strlen(*s);
  for(i = 0; i < n; i += adv ? adv : 1)
    if((adv = digit_at(*s + i, n - i, &d)) > 0)
      digits++;
  /* a value too short to keep a tail readable is masked whole */
  shown_from = digits > VIEWER_MASK_SHOWN ? digits - VIEWER_MASK_SHOWN
                                          : digits;
  for(i = 0; !rc && i < n; i += adv ? adv : 1) {
    adv = digit_at(*s + i, n - i, &d);
    if(!adv)
      rc = dbuf_putc(&b, (*s)[i]);
    else
      rc = seen++ < shown_from ? dbuf_puts(&b, MASK_GLYPH)
                               : dbuf_append(&b, *s + i, adv);
  }
  if(!rc && !dbuf_cstr(&b))
    rc = DAFTAR_ENOMEM;
  if(rc) {
    dbuf_free(&b);
    return rc;
  }
  free(*s);
  *s = dbuf_take(&b);
  return *s ? DAFTAR_OK : DAFTAR_ENOMEM;
}

/* ---- JSON trees from index/ ---------------------------------------------------- */

static int is_str(const vjson *v)
{
  return v && (v->type == VJ_STR || v->type == VJ_NUM) && v->str;
}

/* Keeps s when it is a plain ASCII number (what index/ stores). */
static void keep_push(keep_list *k, const vjson *s)
{
  if(is_str(s) && k->n < KEEP_MAX && *s->str &&
     strspn(s->str, "0123456789") == strlen(s->str))
    k->num[k->n++] = s->str;
}

/* The social-security numbers of a record: members "ssn" / "worker_ssn"
 * holding a number, and the value of worker_ssn fields (an object keyed
 * "worker_ssn", or one whose "name" is worker_ssn). */
static void collect_ssns(const vjson *v, keep_list *k)
{
  for(; v; v = v->next) {
    const vjson *name;
    if(v->key && (!strcmp(v->key, "ssn") || !strcmp(v->key, "worker_ssn")))
      keep_push(k, v);
    if(v->type != VJ_OBJ && v->type != VJ_ARR)
      continue;
    name = vjson_get(v, "name");
    if(v->type == VJ_OBJ &&
       ((v->key && !strcmp(v->key, "worker_ssn")) ||
        (is_str(name) && !strcmp(name->str, "worker_ssn"))))
      keep_push(k, vjson_get(v, "value"));
    collect_ssns(v->child, k);
  }
}

/* Each digit run of s (SECRET_DIGITS_MIN or more digits) as a secret. */
static void secret_push(keep_list *k, const vjson *s)
{
  const char *p;
  size_t n, i = 0;
  if(!is_str(s))
    return;
  p = s->str;
  n = strlen(p);
  while(i < n && k->nsecret < SECRET_MAX) {
    char d, *out = k->secret[k->nsecret];
    size_t digits = 0, adv;
    while(i < n && (adv = digit_at(p + i, n - i, &d)) > 0) {
      if(digits < RUN_DIGITS_MAX)
        out[digits++] = d;
      i += adv;
    }
    out[digits] = '\0';
    if(digits >= SECRET_DIGITS_MIN)
      k->nsecret++;
    if(!digits)
      i++;
  }
}

/* The record's national ID values: a "national_id" member, and the value
 * and raw text of national_id fields. */
static void collect_secrets(const vjson *v, keep_list *k)
{
  for(; v; v = v->next) {
    const vjson *name;
    if(v->key && !strcmp(v->key, "national_id"))
      secret_push(k, v);
    if(v->type != VJ_OBJ && v->type != VJ_ARR)
      continue;
    name = vjson_get(v, "name");
    if(v->type == VJ_OBJ &&
       ((v->key && !strcmp(v->key, "national_id")) ||
        (is_str(name) && !strcmp(name->str, "national_id")))) {
      secret_push(k, vjson_get(v, "value"));
      secret_push(k, vjson_get(v, "raw"));
    }
    collect_secrets(v->child, k);
  }
}

/* A field object for national_id: its value, raw and old value. */
static int mask_field_values(vjson *field)
{
  vjson *c;
  int rc = DAFTAR_OK;
  for(c = field->child; !rc && c; c = c->next)
    if(c->key && is_str(c) &&
       (!strcmp(c->key, "value") || !strcmp(c->key, "raw") ||
        !strcmp(c->key, "old_value")))
      rc = viewer_mask_value(&c->str);
  return rc;
}

static int mask_tree(vjson *v, const keep_list *k)
{
  int rc = DAFTAR_OK;
  for(; !rc && v; v = v->next) {
    const vjson *name;
    if(v->key && !strcmp(v->key, "national_id")) {
      if(is_str(v))
        rc = viewer_mask_value(&v->str);
      else if(v->type == VJ_OBJ)
        rc = mask_field_values(v);
      continue;
    }
    if(v->key && is_str(v) &&
       (!strcmp(v->key, "text") || !strcmp(v->key, "snippet"))) {
      rc = mask_str(&v->str, VIEWER_MASK_RUN_MIN, k);
      continue;
    }
    if(v->type != VJ_OBJ && v->type != VJ_ARR)
      continue;
    name = vjson_get(v, "name");
    if(v->type == VJ_OBJ && name && is_str(name) &&
       !strcmp(name->str, "national_id"))
      rc = mask_field_values(v);
    if(!rc)
      rc = mask_tree(v->child, k);
  }
  return rc;
}

int viewer_mask_tree(vjson *root)
{
  keep_list k;
  k.n = k.nsecret = 0;
  collect_ssns(root, &k);
  collect_secrets(root, &k);
  return mask_tree(root, &k);
}

int viewer_mask_json(dbuf *json)
{
  vjson *v = NULL;
  dbuf out = DBUF_INIT;
  int rc = vjson_parse(json->data ? json->data : "", json->len, &v);
  if(!rc)
    rc = viewer_mask_tree(v);
  if(!rc)
    rc = vjson_write(v, &out);
  vjson_free(v);
  if(rc) {
    dbuf_free(&out);
    return rc;
  }
  dbuf_free(json);
  *json = out;
  return DAFTAR_OK;
}

int viewer_mask_hits(index_hit *h, size_t n)
{
  size_t i;
  int rc = DAFTAR_OK;
  for(i = 0; !rc && i < n; i++) {
    const char *keep[1];
    keep[0] = h[i].worker_ssn;
    rc = viewer_mask_text(&h[i].snippet, keep, 1);
  }
  return rc;
}

/* ---- boxes to paint over on a page image -------------------------------------- */

/* 1 when a recognized word holds a digit run the free-text rule masks. */
static int word_masked(const char *text, const keep_list *k)
{
  dbuf b = DBUF_INIT;
  int changed;
  if(!text || mask_runs(text, VIEWER_MASK_RUN_MIN, k, &b))
    changed = 1; /* no memory: paint it over rather than show it */
  else
    changed = b.len != strlen(text) || memcmp(b.data, text, b.len);
  dbuf_free(&b);
  return changed;
}

static int box_push(daftar_box **boxes, size_t *n, size_t *cap,
                    const daftar_box *b)
{
  if(*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 8;
    daftar_box *g = realloc(*boxes, nc * sizeof(*g));
    if(!g)
      return DAFTAR_ENOMEM;
    *boxes = g;
    *cap = nc;
  }
  (*boxes)[(*n)++] = *b;
  return DAFTAR_OK;
}

/* The bbox [x0, y0, x1, y1] of a field object on page n, 0 when found. */
static int field_box(const vjson *f, int page, daftar_box *b)
{
  const vjson *bb = vjson_get(f, "bbox"), *c;
  int v[4], i = 0;
  if((int)vjson_num(f, "page", 0) != page || !bb || bb->type != VJ_ARR)
    return -1;
  for(c = bb->child; c && i < 4; c = c->next)
    v[i++] = (int)c->num;
  if(i != 4 || v[2] <= v[0] || v[3] <= v[1])
    return -1;
  b->x0 = v[0];
  b->y0 = v[1];
  b->x1 = v[2];
  b->y1 = v[3];
  return 0;
}

static int national_id_boxes(const vjson *v, int page, daftar_box **boxes,
                             size_t *n, size_t *cap)
{
  int rc = DAFTAR_OK;
  for(; !rc && v; v = v->next) {
    const vjson *name = vjson_get(v, "name");
    daftar_box b;
    if(v->type == VJ_OBJ &&
       ((v->key && !strcmp(v->key, "national_id")) ||
        (name && is_str(name) && !strcmp(name->str, "national_id"))) &&
       !field_box(v, page, &b))
      rc = box_push(boxes, n, cap, &b);
    if(!rc && (v->type == VJ_OBJ || v->type == VJ_ARR))
      rc = national_id_boxes(v->child, page, boxes, n, cap);
  }
  return rc;
}

int viewer_mask_boxes(vreq *rq, int64_t doc_id, int page, daftar_box **boxes,
                      size_t *n)
{
  struct index_db *db = viewer_thread_db(rq);
  vout json;
  vjson *doc = NULL;
  daftar_word *w = NULL;
  size_t nw = 0, i, cap = 0;
  keep_list k;
  int rc;

  *boxes = NULL;
  *n = 0;
  if(!db)
    return DAFTAR_EDB;
  vout_init(&json);
  rc = index_document_json(db, doc_id, &json.b);
  if(!rc)
    rc = vjson_parse(json.b.data ? json.b.data : "", json.b.len, &doc);
  vout_free(&json);
  if(!rc)
    rc = national_id_boxes(doc, page, boxes, n, &cap);
  k.n = k.nsecret = 0;
  if(!rc) {
    collect_ssns(doc, &k);
    collect_secrets(doc, &k);
    rc = index_document_words(db, doc_id, &w, &nw);
  }
  for(i = 0; !rc && i < nw; i++)
    if(w[i].page == page && word_masked(w[i].text, &k))
      rc = box_push(boxes, n, &cap, &w[i].box);
  daftar_words_free(w, nw);
  vjson_free(doc); /* k pointed into it: used up above */
  if(rc) {
    free(*boxes);
    *boxes = NULL;
    *n = 0;
  }
  return rc;
}
