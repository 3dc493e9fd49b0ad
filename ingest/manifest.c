/*
 * manifest.c - reconcile a batch against the operator's manifest.
 *
 * The manifest is CSV, one document a line: file number, document, expected
 * page count ("01234,doc-01.tif,3").  A header line, blank lines and lines
 * starting with '#' are skipped; fields may be quoted.  The document may be
 * given as its name in the file's folder ("doc-01.tif") or as its source
 * ("01234/doc-01.tif").
 *
 * Every document the run accounts for (stored, duplicate, or already
 * recorded) is matched against it.  A manifest line nothing matched is a
 * missing document; a document no line names is an extra one; a page count
 * that differs is a mismatch.  Each problem is logged on its own line and
 * the counts go to the summary and to a "reconciliation" event; any problem
 * makes the run non-zero, like a refusal.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest_int.h"

#define MANIFEST_MAX_BYTES ((size_t)64 * 1024 * 1024)
#define MANIFEST_FIELDS 3

typedef struct manifest_row {
  char *file_no;
  char *document;
  int pages;
  int seen;
  int line;
} manifest_row;

struct ingest_manifest {
  manifest_row *row;
  size_t n, cap;
};

void manifest_free(ingest_manifest *m)
{
  size_t i;

  if(!m)
    return;
  for(i = 0; i < m->n; i++) {
    free(m->row[i].file_no);
    free(m->row[i].document);
  }
  free(m->row);
  free(m);
}

/* Splits one CSV line into at most MANIFEST_FIELDS trimmed fields (in
 * place).  Returns the field count. */
static int csv_split(char *line, char *f[MANIFEST_FIELDS])
{
  int n = 0;
  char *p = line;

  while(n < MANIFEST_FIELDS) {
    char *start, *end;
    while(*p == ' ' || *p == '\t')
      p++;
    if(*p == '"') {
      start = ++p;
      while(*p && *p != '"')
        p++;
      end = p;
      if(*p == '"')
        p++;
      while(*p && *p != ',')
        p++;
    } else {
      start = p;
      while(*p && *p != ',')
        p++;
      end = p;
      while(end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    }
    f[n++] = start;
    if(*p == ',') {
      *end = '\0';
      p++;
    } else {
      *end = '\0';
      break;
    }
  }
  return n;
}

static int parse_pages(const char *s, int *out)
{
  char *end;
  long v;

  if(!*s)
    return -1;
  v = strtol(s, &end, 10);
  if(*end || v < 0 || v > INGEST_MAX_PAGES_PER_FILE * 1000L)
    return -1;
  *out = (int)v;
  return 0;
}

static int manifest_add(ingest_manifest *m, char *f[MANIFEST_FIELDS],
                        int pages, int line)
{
  manifest_row *r;

  if(m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    manifest_row *nr = realloc(m->row, cap * sizeof(*nr));
    if(!nr)
      return DAFTAR_ENOMEM;
    m->row = nr;
    m->cap = cap;
  }
  r = &m->row[m->n];
  memset(r, 0, sizeof(*r));
  r->file_no = strdup(f[0]);
  r->document = strdup(f[1]);
  r->pages = pages;
  r->line = line;
  m->n++;
  return r->file_no && r->document ? DAFTAR_OK : DAFTAR_ENOMEM;
}

int manifest_load(const char *path, ingest_manifest **out)
{
  ingest_manifest *m = calloc(1, sizeof(*m));
  char *data = NULL, *line, *next;
  size_t len;
  int rc, lineno = 0;

  *out = NULL;
  if(!m)
    return DAFTAR_ENOMEM;
  rc = file_read_all(path, MANIFEST_MAX_BYTES, &data, &len);
  if(rc) {
    daftar_log(DLOG_ERROR, "ingest: cannot read the manifest %s", path);
    goto out;
  }
  for(line = data; line && !rc; line = next) {
    char *f[MANIFEST_FIELDS];
    int nf, pages;

    next = strchr(line, '\n');
    if(next)
      *next++ = '\0';
    lineno++;
    if(*line && line[strlen(line) - 1] == '\r')
      line[strlen(line) - 1] = '\0';
    if(!*line || *line == '#')
      continue;
    nf = csv_split(line, f);
    if(nf == MANIFEST_FIELDS && parse_pages(f[2], &pages) == 0 && *f[0] &&
       *f[1]) {
      rc = manifest_add(m, f, pages, lineno);
    } else if(lineno > 1 || m->n) {
      daftar_log(DLOG_ERROR, "ingest: manifest %s line %d: expected "
                 "\"file number,document,pages\"", path, lineno);
      rc = DAFTAR_EINVAL;
    } /* else: the header line */
  }
out:
  free(data);
  if(rc)
    manifest_free(m);
  else
    *out = m;
  return rc;
}

/* 1 if row names the document recorded as source with file_no. */
static int row_matches(const manifest_row *r, const char *source,
                       const char *file_no)
{
  size_t sl = strlen(source), dl = strlen(r->document);
  const char *base = strrchr(source, '/');

  if(strcmp(r->file_no, file_no))
    return 0;
  if(!strcmp(r->document, source))
    return 1;
  if(!strcmp(r->document, base ? base + 1 : source))
    return 1;
  return sl > dl && source[sl - dl - 1] == '/' &&
         !strcmp(source + sl - dl, r->document);
}

void manifest_note(ingest_ctx *c, const char *source, const char *file_no,
                   int pages)
{
  ingest_manifest *m = c->manifest;
  size_t i;

  if(!m)
    return;
  for(i = 0; i < m->n; i++) {
    manifest_row *r = &m->row[i];
    if(r->seen || !row_matches(r, source, file_no))
      continue;
    r->seen = 1;
    if(r->pages != pages) {
      c->s->manifest_mismatch++;
      daftar_log(DLOG_WARN, "manifest: %s has %d pages, the manifest "
                 "(line %d) says %d", source, pages, r->line, r->pages);
    }
    return;
  }
  c->s->manifest_extra++;
  daftar_log(DLOG_WARN, "manifest: %s is not in the manifest", source);
}

int manifest_finish(ingest_ctx *c)
{
  ingest_manifest *m = c->manifest;
  char detail[160];
  size_t i;

  if(!m)
    return DAFTAR_OK;
  for(i = 0; i < m->n; i++) {
    if(m->row[i].seen)
      continue;
    c->s->manifest_missing++;
    daftar_log(DLOG_WARN, "manifest: %s/%s (line %d) is missing from the "
               "batch", m->row[i].file_no, m->row[i].document,
               m->row[i].line);
  }
  snprintf(detail, sizeof(detail), "%lld missing, %lld extra, %lld page "
           "count mismatches", (long long)c->s->manifest_missing,
           (long long)c->s->manifest_extra,
           (long long)c->s->manifest_mismatch);
  return index_event_add(c->db, "reconciliation",
                         c->s->manifest_missing || c->s->manifest_extra ||
                                 c->s->manifest_mismatch
                             ? "failure"
                             : "success",
                         c->agent, c->s->batch_id, c->o.manifest, detail);
}
