/*
 * labels.c - the table of form labels and document titles.
 *
 * Built in: the Arabic and Sorani labels of issue 2.  Archivists add more
 * without rebuilding, in ARCHIVE/labels.conf or the file named by
 * $DAFTAR_LABELS.  The format (also in docs/EXTRACTION.md):
 *
 *   # comment; blank lines are ignored
 *   worker_name = اسم العامل الثلاثي
 *   title.registration = استمارة تسجيل عامل
 *
 * One label per line, "NAME = LABEL TEXT", UTF-8.  NAME is one of the
 * field names of the export contract (worker_name, mother_name, birth_date,
 * national_id, worker_ssn, employer_name, employer_number, start_date,
 * end_date, monthly_wage) or title.<doc_type> (title.registration,
 * title.termination, title.wage_change) for a document title.  The text is
 * matched after normalization (letter variants, harakat, digits), so it may
 * be typed with or without hamza and harakat; a trailing colon is ignored.
 * At most LABEL_MAX_WORDS words.  A line that breaks these rules refuses
 * the whole file, naming the file and line: extraction never runs on half a
 * table.  File labels add to the built-in ones (they never remove any).
 */
#include <stdlib.h>
#include <string.h>

#include "extract_int.h"

typedef struct builtin_label {
  const char *name;
  int kind;
  const char *text;
} builtin_label;

static const builtin_label builtin_labels[] = {
  /* Arabic */
  {"worker_name", LABEL_FIELD, "اسم العامل"},
  {"worker_name", LABEL_FIELD, "الاسم الكامل للعامل"},
  {"worker_name", LABEL_FIELD, "اسم المضمون"},
  {"mother_name", LABEL_FIELD, "اسم الأم"},
  {"birth_date", LABEL_FIELD, "تاريخ الولادة"},
  {"birth_date", LABEL_FIELD, "تاريخ الميلاد"},
  {"national_id", LABEL_FIELD, "رقم البطاقة الوطنية"},
  {"national_id", LABEL_FIELD, "رقم الهوية"},
  {"worker_ssn", LABEL_FIELD, "رقم الضمان"},
  {"worker_ssn", LABEL_FIELD, "رقم الضمان الاجتماعي"},
  {"employer_name", LABEL_FIELD, "اسم صاحب العمل"},
  {"employer_name", LABEL_FIELD, "جهة العمل"},
  {"employer_name", LABEL_FIELD, "اسم المنشأة"},
  {"employer_number", LABEL_FIELD, "رقم صاحب العمل"},
  {"employer_number", LABEL_FIELD, "رقم تسجيل المنشأة"},
  {"start_date", LABEL_FIELD, "تاريخ المباشرة"},
  {"start_date", LABEL_FIELD, "تاريخ بدء العمل"},
  {"end_date", LABEL_FIELD, "تاريخ ترك العمل"},
  {"end_date", LABEL_FIELD, "تاريخ انتهاء الخدمة"},
  {"monthly_wage", LABEL_FIELD, "الأجر الشهري"},
  {"monthly_wage", LABEL_FIELD, "الراتب الشهري"},
  /* Sorani */
  {"worker_name", LABEL_FIELD, "ناوی کرێکار"},
  {"worker_name", LABEL_FIELD, "ناوی تەواوی کرێکار"},
  {"mother_name", LABEL_FIELD, "ناوی دایک"},
  {"birth_date", LABEL_FIELD, "ڕێکەوتی لەدایکبوون"},
  {"national_id", LABEL_FIELD, "ژمارەی کارتی نیشتمانی"},
  {"worker_ssn", LABEL_FIELD, "ژمارەی دەستەبەری"},
  {"worker_ssn", LABEL_FIELD, "ژمارەی دەستەبەری کۆمەڵایەتی"},
  {"employer_name", LABEL_FIELD, "ناوی خاوەنکار"},
  {"employer_number", LABEL_FIELD, "ژمارەی خاوەنکار"},
  {"start_date", LABEL_FIELD, "ڕێکەوتی دەستپێکردن"},
  {"end_date", LABEL_FIELD, "ڕێکەوتی وازهێنان"},
  {"monthly_wage", LABEL_FIELD, "مووچەی مانگانە"},
  /* Titles */
  {"registration", LABEL_TITLE, "استمارة تسجيل عامل مضمون"},
  {"registration", LABEL_TITLE, "فۆرمی تۆمارکردنی کرێکار"},
  {"termination", LABEL_TITLE, "إشعار ترك العمل"},
  {"termination", LABEL_TITLE, "ئاگاداری وازهێنان لە کار"},
  {"wage_change", LABEL_TITLE, "إشعار تغيير الأجر"},
  {"wage_change", LABEL_TITLE, "ئاگاداری گۆڕینی مووچە"},
};

static const char *const field_names[] = {DAFTAR_FIELD_NAMES};
static const char *const title_types[] = {"registration", "termination",
                                          "wage_change"};

#define TITLE_PREFIX "title."

int labels_is_field_name(const char *name)
{
  for(size_t i = 0; i < DAFTAR_NFIELD_NAMES; i++)
    if(!strcmp(name, field_names[i]))
      return 1;
  return 0;
}

static int is_title_type(const char *name)
{
  for(size_t i = 0; i < sizeof(title_types) / sizeof(title_types[0]); i++)
    if(!strcmp(name, title_types[i]))
      return 1;
  return 0;
}

/* 1 when text has letters only Sorani uses (ی ک ە ێ ۆ ڵ ڕ گ پ چ ژ), 0
 * when it has Arabic-only ة or none; labels are clean typed text, so the
 * Persian-style ی and ک count as Sorani here. */
static int label_is_sorani(const char *text)
{
  size_t n = strlen(text), i = 0, adv;

  while(i < n) {
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    switch(cp) {
    case 0x6CC: case 0x6A9: case 0x6D5: case 0x6CE: case 0x6C6: case 0x6B5:
    case 0x695: case 0x6AF: case 0x67E: case 0x686: case 0x698:
      return 1;
    }
    i += adv;
  }
  return 0;
}

static size_t count_words(const char *key)
{
  size_t n = *key ? 1 : 0;
  for(; *key; key++)
    n += *key == ' ';
  return n;
}

/* Adds one label; EINVAL (with a reason in why) when its text normalizes to
 * nothing or has too many words. */
static int labels_add(extract_labels *t, const char *name, int kind,
                      const char *text, const char **why)
{
  dbuf key = DBUF_INIT, skel = DBUF_INIT;
  extract_label *l;
  int rc;

  rc = text_norm_key(text, strlen(text), &key);
  if(rc)
    goto out;
  rc = text_norm_skeleton(text, strlen(text), &skel);
  if(rc)
    goto out;
  if(key.len == 0) {
    *why = "label has no letters or digits";
    rc = DAFTAR_EINVAL;
    goto out;
  }
  if(count_words(key.data) > LABEL_MAX_WORDS) {
    *why = "label has too many words";
    rc = DAFTAR_EINVAL;
    goto out;
  }
  if(t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    extract_label *v = realloc(t->v, cap * sizeof(*v));
    if(!v) {
      rc = DAFTAR_ENOMEM;
      goto out;
    }
    t->v = v;
    t->cap = cap;
  }
  l = &t->v[t->n++];
  memset(l, 0, sizeof(*l));
  snprintf(l->name, sizeof(l->name), "%s", name);
  l->kind = kind;
  l->sorani = label_is_sorani(text);
  l->key_cps = utf8_count(key.data);
  {
    const char *sp = strchr(key.data, ' '), *last = strrchr(key.data, ' ');
    l->first_bytes = sp ? (size_t)(sp - key.data) : key.len;
    l->last_off = last ? (size_t)(last - key.data) + 1 : 0;
    l->last_cps = utf8_count(key.data + l->last_off);
    l->first_cps = l->key_cps - utf8_count(key.data + l->first_bytes);
  }
  l->key = dbuf_take(&key);
  l->skel = dbuf_take(&skel);
out:
  dbuf_free(&key);
  dbuf_free(&skel);
  return rc;
}

int labels_load_builtin(extract_labels *t)
{
  const char *why = NULL;
  int rc;

  for(size_t i = 0; i < sizeof(builtin_labels) / sizeof(builtin_labels[0]);
      i++) {
    rc = labels_add(t, builtin_labels[i].name, builtin_labels[i].kind,
                    builtin_labels[i].text, &why);
    if(rc)
      return rc;
  }
  return DAFTAR_OK;
}

static int is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r';
}

/* Trims blanks at both ends of [*s, *e). */
static void trim(const char **s, const char **e)
{
  while(*s < *e && is_blank(**s))
    (*s)++;
  while(*e > *s && is_blank((*e)[-1]))
    (*e)--;
}

/* Parses one non-comment line into name/kind/text; EINVAL with why. */
static int parse_line(const char *s, const char *e, char *name,
                      size_t name_size, int *kind, char *text,
                      size_t text_size, const char **why)
{
  const char *eq = memchr(s, '=', (size_t)(e - s));
  const char *ns = s, *ne, *ts, *te = e;
  size_t nlen, tlen;

  if(!eq) {
    *why = "expected NAME = LABEL TEXT";
    return DAFTAR_EINVAL;
  }
  ne = eq;
  ts = eq + 1;
  trim(&ns, &ne);
  trim(&ts, &te);
  nlen = (size_t)(ne - ns);
  tlen = (size_t)(te - ts);
  if(nlen == 0 || nlen >= name_size) {
    *why = "missing or overlong name";
    return DAFTAR_EINVAL;
  }
  if(tlen == 0) {
    *why = "missing label text";
    return DAFTAR_EINVAL;
  }
  if(tlen >= text_size) {
    *why = "label text too long";
    return DAFTAR_EINVAL;
  }
  if(!utf8_valid(ts, tlen)) {
    *why = "label text is not valid UTF-8";
    return DAFTAR_EINVAL;
  }
  memcpy(name, ns, nlen);
  name[nlen] = '\0';
  memcpy(text, ts, tlen);
  text[tlen] = '\0';
  if(!strncmp(name, TITLE_PREFIX, strlen(TITLE_PREFIX))) {
    memmove(name, name + strlen(TITLE_PREFIX),
            nlen - strlen(TITLE_PREFIX) + 1);
    if(!is_title_type(name)) {
      *why = "unknown document type (title.registration, title.termination "
             "or title.wage_change)";
      return DAFTAR_EINVAL;
    }
    *kind = LABEL_TITLE;
    return DAFTAR_OK;
  }
  if(!labels_is_field_name(name)) {
    *why = "unknown field name";
    return DAFTAR_EINVAL;
  }
  *kind = LABEL_FIELD;
  return DAFTAR_OK;
}

int labels_load_file(extract_labels *t, const char *path, dbuf *err)
{
  char *data = NULL, name[DAFTAR_NAME_MAX], text[LABEL_TEXT_MAX];
  const char *why = NULL, *p, *end;
  size_t len, before = t->n;
  int rc, lineno = 0, kind;

  rc = file_read_all(path, LABEL_FILE_MAX, &data, &len);
  if(rc) {
    dbuf_printf(err, "%s: %s", path,
                rc == DAFTAR_ELIMIT ? "label file too large"
                                    : daftar_strerror(rc));
    return rc;
  }
  p = data;
  end = data + len;
  if(len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) /* a BOM from Notepad */
    p += 3;
  while(p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end, *ls = p;
    lineno++;
    p = nl ? nl + 1 : end;
    trim(&ls, &le);
    if(ls == le || *ls == '#')
      continue;
    if(memchr(ls, '\0', (size_t)(le - ls))) {
      why = "NUL byte in line";
      rc = DAFTAR_EINVAL;
      goto refuse;
    }
    rc = parse_line(ls, le, name, sizeof(name), &kind, text, sizeof(text),
                    &why);
    if(rc)
      goto refuse;
    rc = labels_add(t, name, kind, text, &why);
    if(rc)
      goto refuse;
  }
  free(data);
  return DAFTAR_OK;
refuse:
  if(rc == DAFTAR_EINVAL)
    dbuf_printf(err, "%s:%d: %s", path, lineno, why);
  else
    dbuf_printf(err, "%s:%d: %s", path, lineno, daftar_strerror(rc));
  /* Drop what this file added: a refused file adds nothing. */
  for(size_t i = before; i < t->n; i++) {
    free(t->v[i].key);
    free(t->v[i].skel);
  }
  t->n = before;
  free(data);
  return rc;
}

int labels_load_default(extract_labels *t, const char *archive_dir,
                        dbuf *err)
{
  const char *env = getenv(LABEL_ENV);
  char *path = NULL;
  int rc;

  rc = labels_load_builtin(t);
  if(rc)
    return rc;
  if(archive_dir) {
    path = file_join(archive_dir, LABEL_FILE_NAME);
    if(!path)
      return DAFTAR_ENOMEM;
    rc = labels_load_file(t, path, err);
    free(path);
    if(rc == DAFTAR_ENOTFOUND) { /* the archive's file is optional */
      dbuf_reset(err);
      rc = DAFTAR_OK;
    }
    if(rc)
      return rc;
  }
  if(env && *env)
    rc = labels_load_file(t, env, err);
  return rc;
}

void labels_free(extract_labels *t)
{
  if(!t)
    return;
  for(size_t i = 0; i < t->n; i++) {
    free(t->v[i].key);
    free(t->v[i].skel);
  }
  free(t->v);
  t->v = NULL;
  t->n = t->cap = 0;
}
