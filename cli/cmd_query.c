/*
 * cmd_query.c - `daftar search`, `worker`, `export`, `batches`, `batch`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define CLI_SEARCH_DEFAULT_LIMIT 20

typedef struct query_opts {
  long limit, offset;
  const char *format, *output;
} query_opts;

static int query_opt(void *arg, int opt, const char *val)
{
  query_opts *q = arg;

  switch(opt) {
  case 'n':
    q->limit = cli_parse_long(val, 1, INDEX_SEARCH_LIMIT_MAX);
    return q->limit < 0 ? -1 : 0;
  case 'O':
    q->offset = cli_parse_long(val, 0, 1L << 30);
    return q->offset < 0 ? -1 : 0;
  case 'f':
    q->format = val;
    return 0;
  case 'o':
    q->output = val;
    return 0;
  }
  return -1;
}

static void query_opts_init(query_opts *q)
{
  q->limit = CLI_SEARCH_DEFAULT_LIMIT;
  q->offset = 0;
  q->format = NULL;
  q->output = NULL;
}

/* The operands joined by single spaces: the query as typed. */
static int join_args(int argc, char **argv, dbuf *out)
{
  for(int i = 0; i < argc; i++) {
    int rc = (i ? dbuf_putc(out, ' ') : 0);
    if(!rc)
      rc = dbuf_puts(out, argv[i]);
    if(rc)
      return rc;
  }
  return dbuf_append(out, "", 0);
}

static void print_hits_text(const index_hit *h, size_t n)
{
  if(n == 0) {
    printf("no documents found\n");
    return;
  }
  for(size_t i = 0; i < n; i++) {
    printf("%lld  %s  [%s]", (long long)h[i].doc_id, h[i].source,
           h[i].doc_type ? h[i].doc_type : "other");
    if(h[i].worker_ssn)
      printf("  %s  %s", h[i].worker_ssn,
             h[i].worker_name ? h[i].worker_name : "");
    printf("\n    %s\n", h[i].snippet ? h[i].snippet : "");
  }
}

static const struct option search_options_spec[] = {
  {"limit", required_argument, NULL, 'n'},
  {"offset", required_argument, NULL, 'O'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec search_spec = {
  "[--json] [--limit N] [--offset N] QUERY...",
  "Finds documents and workers, best first, with a snippet ([ ] mark the\n"
  "matched words).  Names match however they were spelled (Arabic or\n"
  "Kurdish letters, harakat, digits in any style) and, failing an exact\n"
  "match, with OCR dot errors.  Filters: ssn:N nid:N file:N employer:TEXT\n"
  "born:YYYY; \"a phrase\"; prefix*.\n",
  search_options_spec, 1, CLI_OPERANDS_SOME,
};

int cmd_search(int argc, char **argv)
{
  cli_common c;
  query_opts q;
  struct index_db *db = NULL;
  index_hit *hits = NULL;
  size_t n = 0;
  dbuf query = DBUF_INIT, out = DBUF_INIT;
  int first, rc, status = CLI_OK;

  query_opts_init(&q);
  CLI_PARSE_OR_RETURN(argc, argv, &search_spec, &c, query_opt, &q, &first);
  if(join_args(argc - first, argv + first, &query)) {
    cli_error("search", "query too long");
    return CLI_USAGE;
  }
  if(cli_open_archive(&c, &db)) {
    dbuf_free(&query);
    return CLI_FAIL;
  }
  rc = index_search(db, dbuf_cstr(&query), (int)q.limit, (int)q.offset,
                    &hits, &n);
  if(rc == DAFTAR_EINVAL) {
    cli_error("search", "%s", index_errmsg(db));
    status = CLI_USAGE;
  }
  else if(rc) {
    cli_error("search", "%s", index_errmsg(db));
    status = CLI_FAIL;
  }
  else if(c.json) {
    if(index_hits_json(hits, n, &out) == 0)
      printf("%s\n", dbuf_cstr(&out));
    else
      status = CLI_FAIL;
  }
  else
    print_hits_text(hits, n);
  index_hits_free(hits, n);
  dbuf_free(&out);
  dbuf_free(&query);
  index_close(db);
  return status;
}

static const cli_command_spec worker_spec = {
  "[--json] NUMBER",
  "A worker's history, by social-security number or national ID (digits in\n"
  "any style): identity, name variants and the documents behind it.\n",
  NULL, 1, CLI_OPERANDS_ONE,
};

int cmd_worker(int argc, char **argv)
{
  cli_common c;
  struct index_db *db = NULL;
  dbuf out = DBUF_INIT;
  int first, rc, status = CLI_OK;

  CLI_PARSE_OR_RETURN(argc, argv, &worker_spec, &c, NULL, NULL, &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  rc = c.json ? index_worker_json(db, argv[first], &out)
              : index_worker_text(db, argv[first], &out);
  if(rc == DAFTAR_ENOTFOUND) {
    cli_error(argv[first], "no worker with this social-security number or "
              "national ID");
    status = CLI_FAIL;
  }
  else if(rc) {
    cli_error("worker", "%s", index_errmsg(db));
    status = CLI_FAIL;
  }
  else
    printf("%s%s", dbuf_cstr(&out),
           out.len && out.data[out.len - 1] == '\n' ? "" : "\n");
  dbuf_free(&out);
  index_close(db);
  return status;
}

static const struct option export_options_spec[] = {
  {"format", required_argument, NULL, 'f'},
  {"output", required_argument, NULL, 'o'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec export_spec = {
  "--format jsonl [--output FILE]",
  "One JSON object per document: source, file_no, batch, doc_type, pages\n"
  "(text, confidence) and fields (value, confidence, page, bbox).  Corrected\n"
  "values are exported.  Without --output, to standard output.\n",
  export_options_spec, 0, CLI_OPERANDS_NONE,
};

int cmd_export(int argc, char **argv)
{
  cli_common c;
  query_opts q;
  struct index_db *db = NULL;
  FILE *out = stdout;
  int first, rc;

  query_opts_init(&q);
  CLI_PARSE_OR_RETURN(argc, argv, &export_spec, &c, query_opt, &q, &first);
  if(!q.format || strcmp(q.format, "jsonl") != 0) {
    fprintf(stderr, "daftar export: --format jsonl is required (the one "
            "format)\nusage: daftar export %s\n", export_spec.synopsis);
    return CLI_USAGE;
  }
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  if(q.output) {
    out = fopen(q.output, "w");
    if(!out) {
      cli_error(q.output, "cannot write");
      index_close(db);
      return CLI_FAIL;
    }
  }
  rc = index_export_jsonl(db, out);
  if(rc)
    cli_error("export", "%s", index_errmsg(db));
  if(out != stdout && fclose(out) != 0 && !rc) {
    cli_error(q.output, "write failed");
    rc = DAFTAR_EIO;
  }
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}

/* ---- batches ------------------------------------------------------------- */

static void batch_json(const index_batch *b, dbuf *o)
{
  dbuf_printf(o, "{\"id\":%lld,\"label\":", (long long)b->id);
  json_put_str(o, b->label);
  dbuf_puts(o, ",\"operator\":");
  json_put_str(o, b->operator_name);
  dbuf_puts(o, ",\"host\":");
  json_put_str(o, b->host);
  dbuf_puts(o, ",\"source\":");
  json_put_str(o, b->source);
  dbuf_puts(o, ",\"started\":");
  json_put_str(o, b->started);
  dbuf_puts(o, ",\"ended\":");
  json_put_str(o, b->ended);
  dbuf_puts(o, ",\"status\":");
  json_put_str(o, b->status);
  dbuf_printf(o,
              ",\"files\":%lld,\"documents\":%lld,\"pages\":%lld,"
              "\"bytes\":%lld,\"duplicates\":%lld,\"skipped\":%lld,"
              "\"refused\":%lld}",
              (long long)b->files, (long long)b->documents,
              (long long)b->pages, (long long)b->bytes,
              (long long)b->duplicates, (long long)b->skipped,
              (long long)b->refused);
}

static void batch_text(const index_batch *b)
{
  printf("%lld  %-20s %-10s %s  %s  files %lld, documents %lld, pages %lld, "
         "duplicates %lld, refused %lld\n",
         (long long)b->id, b->label ? b->label : "",
         b->status ? b->status : "", b->started ? b->started : "",
         b->operator_name ? b->operator_name : "", (long long)b->files,
         (long long)b->documents, (long long)b->pages,
         (long long)b->duplicates, (long long)b->refused);
}

static const cli_command_spec batches_spec = {
  "[--json]", "Lists the batches, newest first, with their counts.\n",
  NULL, 1, CLI_OPERANDS_NONE,
};

int cmd_batches(int argc, char **argv)
{
  cli_common c;
  struct index_db *db = NULL;
  index_batch *b = NULL;
  size_t n = 0;
  dbuf o = DBUF_INIT;
  int first, rc;

  CLI_PARSE_OR_RETURN(argc, argv, &batches_spec, &c, NULL, NULL, &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  rc = index_batch_list(db, &b, &n);
  if(rc)
    cli_error("batches", "%s", index_errmsg(db));
  else if(c.json) {
    dbuf_puts(&o, "{\"batches\":[");
    for(size_t i = 0; i < n; i++) {
      if(i)
        dbuf_putc(&o, ',');
      batch_json(&b[i], &o);
    }
    dbuf_puts(&o, "]}");
    printf("%s\n", dbuf_cstr(&o));
  }
  else
    for(size_t i = 0; i < n; i++)
      batch_text(&b[i]);
  index_batches_free(b, n);
  dbuf_free(&o);
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}

static const cli_command_spec batch_spec = {
  "[--json] ID", "One batch with its counts and every refusal with its "
  "reason.\n", NULL, 1, CLI_OPERANDS_ONE,
};

int cmd_batch(int argc, char **argv)
{
  cli_common c;
  struct index_db *db = NULL;
  index_batch b;
  index_refusal *r = NULL;
  size_t n = 0;
  dbuf o = DBUF_INIT;
  long id;
  int first, rc;

  CLI_PARSE_OR_RETURN(argc, argv, &batch_spec, &c, NULL, NULL, &first);
  id = cli_parse_long(argv[first], 1, 1L << 62);
  if(id < 0) {
    fprintf(stderr, "usage: daftar batch %s\n", batch_spec.synopsis);
    return CLI_USAGE;
  }
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  memset(&b, 0, sizeof(b));
  rc = index_batch_get(db, id, &b);
  if(!rc)
    rc = index_refusal_list(db, id, &r, &n);
  if(rc == DAFTAR_ENOTFOUND)
    cli_error(argv[first], "no such batch");
  else if(rc)
    cli_error("batch", "%s", index_errmsg(db));
  else if(c.json) {
    batch_json(&b, &o);
    o.len--; /* reopen the object to add the refusals */
    dbuf_puts(&o, ",\"refusals\":[");
    for(size_t i = 0; i < n; i++) {
      dbuf_puts(&o, i ? ",{\"source\":" : "{\"source\":");
      json_put_str(&o, r[i].source);
      dbuf_puts(&o, ",\"reason\":");
      json_put_str(&o, r[i].reason);
      dbuf_puts(&o, ",\"sha256\":");
      json_put_str(&o, r[i].sha256);
      dbuf_puts(&o, ",\"quarantine\":");
      json_put_str(&o, r[i].quarantine);
      dbuf_puts(&o, "}");
    }
    dbuf_puts(&o, "]}");
    printf("%s\n", dbuf_cstr(&o));
  }
  else {
    batch_text(&b);
    for(size_t i = 0; i < n; i++)
      printf("  refused: %s: %s\n", r[i].source, r[i].reason);
  }
  index_refusals_free(r, n);
  index_batch_clear(&b);
  dbuf_free(&o);
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}

/* ---- the event log ---------------------------------------------------------- */

typedef struct events_opts {
  long batch, limit;
} events_opts;

static int events_opt(void *arg, int opt, const char *val)
{
  events_opts *e = arg;

  if(opt == 'b')
    return (e->batch = cli_parse_long(val, 1, 1L << 62)) < 0 ? -1 : 0;
  if(opt == 'n')
    return (e->limit = cli_parse_long(val, 1, 1L << 30)) < 0 ? -1 : 0;
  return -1;
}

static const struct option events_options_spec[] = {
  {"batch", required_argument, NULL, 'b'},
  {"limit", required_argument, NULL, 'n'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec events_spec = {
  "[--json] [--batch ID] [--limit N]",
  "The append-only event log (PREMIS style), newest first: ingestion,\n"
  "message digest calculation, fixity check, quarantine, metadata\n"
  "modification, identity linkage; with time, agent, batch and outcome.\n",
  events_options_spec, 1, CLI_OPERANDS_NONE,
};

int cmd_events(int argc, char **argv)
{
  cli_common c;
  events_opts e = {0, 100};
  struct index_db *db = NULL;
  index_event *ev = NULL;
  size_t n = 0;
  dbuf o = DBUF_INIT;
  int first, rc;

  CLI_PARSE_OR_RETURN(argc, argv, &events_spec, &c, events_opt, &e, &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  rc = index_event_list(db, e.batch, (int)e.limit, &ev, &n);
  if(rc)
    cli_error("events", "%s", index_errmsg(db));
  for(size_t i = 0; !rc && i < n; i++) {
    if(!c.json) {
      printf("%s  %-27s %-8s %-10s batch %-4lld %s %s\n", ev[i].at,
             ev[i].type, ev[i].outcome, ev[i].agent ? ev[i].agent : "-",
             (long long)ev[i].batch_id, ev[i].object ? ev[i].object : "",
             ev[i].detail ? ev[i].detail : "");
      continue;
    }
    dbuf_reset(&o);
    dbuf_printf(&o, "{\"id\":%lld,\"at\":", (long long)ev[i].id);
    json_put_str(&o, ev[i].at);
    dbuf_puts(&o, ",\"type\":");
    json_put_str(&o, ev[i].type);
    dbuf_puts(&o, ",\"outcome\":");
    json_put_str(&o, ev[i].outcome);
    dbuf_puts(&o, ",\"agent\":");
    json_put_str(&o, ev[i].agent);
    dbuf_printf(&o, ",\"batch_id\":%lld,\"object\":", (long long)ev[i].batch_id);
    json_put_str(&o, ev[i].object);
    dbuf_puts(&o, ",\"detail\":");
    json_put_str(&o, ev[i].detail);
    dbuf_puts(&o, "}");
    printf("%s\n", dbuf_cstr(&o));
  }
  index_events_free(ev, n);
  dbuf_free(&o);
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}
