/*
 * cmd_pipeline.c - `daftar ingest`, `ocr`, `extract`, `run`, `verify`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ingest.h"
#include "ocr.h"

#define CLI_JOBS_MAX 64

typedef struct pipeline_opts {
  ingest_options ingest;
  ocr_options ocr;
  int all;
  long sample;
} pipeline_opts;

static int pipeline_opt(void *arg, int opt, const char *val)
{
  pipeline_opts *p = arg;
  long v;

  switch(opt) {
  case 'o':
    p->ingest.operator_name = val;
    return 0;
  case 'b':
    p->ingest.label = val;
    return 0;
  case 'm':
    p->ingest.manifest = val;
    return 0;
  case 'j':
    v = cli_parse_long(val, 1, CLI_JOBS_MAX);
    if(v < 0)
      return -1;
    p->ocr.jobs = (int)v;
    return 0;
  case 'r':
    p->ocr.redo = 1;
    return 0;
  case 'l':
    p->ocr.lang = val;
    return 0;
  case 'p':
    v = cli_parse_long(val, 0, 13);
    if(v < 0)
      return -1;
    p->ocr.psm = (int)v;
    return 0;
  case 'a':
    p->all = 1;
    return 0;
  case 's':
    p->sample = cli_parse_long(val, 1, 1L << 40);
    return p->sample < 0 ? -1 : 0;
  }
  return -1;
}

static void pipeline_opts_init(pipeline_opts *p)
{
  ingest_options_default(&p->ingest);
  ocr_options_default(&p->ocr);
  p->all = 0;
  p->sample = 0;
}

static void print_ingest_summary(const cli_common *c, const char *path,
                                 const ingest_summary *s, int has_manifest)
{
  if(c->json) {
    printf("{\"path\":");
    dbuf b = DBUF_INIT;
    if(json_put_str(&b, path) == 0)
      fputs(dbuf_cstr(&b), stdout);
    dbuf_free(&b);
    printf(",\"batch_id\":%lld,\"files\":%lld,\"documents\":%lld,"
           "\"pages\":%lld,\"bytes\":%lld,\"duplicates\":%lld,"
           "\"skipped\":%lld,\"refused\":%lld,\"manifest\":{\"missing\":%lld,"
           "\"extra\":%lld,\"page_mismatch\":%lld}}\n",
           (long long)s->batch_id, (long long)s->files,
           (long long)s->documents, (long long)s->pages,
           (long long)s->bytes, (long long)s->duplicates,
           (long long)s->skipped, (long long)s->refused,
           (long long)s->manifest_missing, (long long)s->manifest_extra,
           (long long)s->manifest_mismatch);
    return;
  }
  if(c->quiet)
    return;
  fprintf(stderr,
          "daftar ingest: %s: batch %lld: %lld files, %lld documents, "
          "%lld pages, %lld bytes; %lld duplicates, %lld already recorded, "
          "%lld refused\n",
          path, (long long)s->batch_id, (long long)s->files,
          (long long)s->documents, (long long)s->pages, (long long)s->bytes,
          (long long)s->duplicates, (long long)s->skipped,
          (long long)s->refused);
  if(has_manifest)
    fprintf(stderr,
            "daftar ingest: %s: manifest: %lld documents missing, %lld not "
            "listed, %lld with another page count\n",
            path, (long long)s->manifest_missing,
            (long long)s->manifest_extra, (long long)s->manifest_mismatch);
  if(s->files > 0 && s->documents == 0 && s->duplicates == 0 &&
     s->refused == 0)
    fprintf(stderr, "daftar ingest: %s: nothing new\n", path);
  if(s->refused > 0)
    fprintf(stderr, "daftar ingest: %s: see `daftar batch %lld` for the "
            "refusals\n", path, (long long)s->batch_id);
}

/* Ingests every path; returns the exit status. */
static int run_ingest(const cli_common *c, struct index_db *db,
                      pipeline_opts *p, int npaths, char **paths)
{
  int status = CLI_OK;

  p->ingest.progress = !c->quiet && !c->json && isatty(2);
  for(int i = 0; i < npaths; i++) {
    ingest_summary s;
    int rc;

    memset(&s, 0, sizeof(s));
    rc = ingest_run(db, paths[i], &p->ingest, &s);
    if(rc == DAFTAR_OK || rc == DAFTAR_EREFUSED)
      print_ingest_summary(c, paths[i], &s, p->ingest.manifest != NULL);
    if(rc == DAFTAR_EREFUSED) {
      if(status == CLI_OK)
        status = CLI_REFUSED;
    }
    else if(rc) {
      cli_error(paths[i], "ingest failed: %s (%s)", daftar_strerror(rc),
                index_errmsg(db));
      status = CLI_FAIL;
    }
  }
  return status;
}

static int run_ocr(const cli_common *c, pipeline_opts *p)
{
  ocr_summary s;
  int rc;

  memset(&s, 0, sizeof(s));
  p->ocr.progress = !c->quiet && isatty(2);
  rc = ocr_run(c->archive, &p->ocr, &s);
  if(!c->quiet)
    fprintf(stderr,
            "daftar ocr: %lld pages: %lld recognized, %lld failed in %.1f s\n",
            (long long)s.pages, (long long)s.recognized,
            (long long)s.failed, s.seconds);
  if(rc) {
    cli_error("ocr", "%s", daftar_strerror(rc));
    return CLI_FAIL;
  }
  return s.failed > 0 ? CLI_FAIL : CLI_OK;
}

static int run_extract(const cli_common *c, struct index_db *db, int all)
{
  int64_t docs = 0;
  int rc = ocr_extract_run(db, all, &docs);

  if(rc) {
    cli_error("extract", "%s (%s)", daftar_strerror(rc), index_errmsg(db));
    return CLI_FAIL;
  }
  if(!c->quiet)
    fprintf(stderr, "daftar extract: %lld documents\n", (long long)docs);
  return CLI_OK;
}

static const struct option ingest_options_spec[] = {
  {"operator", required_argument, NULL, 'o'},
  {"batch", required_argument, NULL, 'b'},
  {"manifest", required_argument, NULL, 'm'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec ingest_spec = {
  "[--operator NAME] [--batch LABEL] [--manifest CSV] [--json] PATH...",
  "Accepts each PATH as one batch: a batch directory (<file-number>/<doc>.tif),\n"
  "a zip or tar(.gz) of one, or a single TIFF.  Every file is hashed\n"
  "(SHA-256), every page decoded, the master stored untouched in the\n"
  "archive.  Bad or hostile input is refused with its reason and kept in\n"
  "the quarantine; the rest goes on (exit status 3).\n",
  ingest_options_spec, 1, CLI_OPERANDS_SOME,
};

int cmd_ingest(int argc, char **argv)
{
  cli_common c;
  pipeline_opts p;
  struct index_db *db = NULL;
  int first, status;

  pipeline_opts_init(&p);
  CLI_PARSE_OR_RETURN(argc, argv, &ingest_spec, &c, pipeline_opt, &p, &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  status = run_ingest(&c, db, &p, argc - first, argv + first);
  index_close(db);
  return status;
}

static const struct option ocr_options_spec[] = {
  {"jobs", required_argument, NULL, 'j'},
  {"redo", no_argument, NULL, 'r'},
  {"lang", required_argument, NULL, 'l'},
  {"psm", required_argument, NULL, 'p'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec ocr_spec = {
  "[--jobs N] [--redo] [--lang MODEL] [--psm N]",
  "Recognizes every page not yet recognized (a killed run continues where\n"
  "it stopped).  --redo recognizes every page again; archivists'\n"
  "corrections are kept.  --jobs defaults to the number of cores.\n",
  ocr_options_spec, 0, CLI_OPERANDS_NONE,
};

int cmd_ocr(int argc, char **argv)
{
  cli_common c;
  pipeline_opts p;
  int first;

  pipeline_opts_init(&p);
  CLI_PARSE_OR_RETURN(argc, argv, &ocr_spec, &c, pipeline_opt, &p, &first);
  return run_ocr(&c, &p);
}

static const struct option extract_options_spec[] = {
  {"all", no_argument, NULL, 'a'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec extract_spec = {
  "[--all]",
  "Fills worker and employer fields for every recognized document whose\n"
  "fields are not up to date (--all: every document).  Corrected fields\n"
  "are locked and kept.\n",
  extract_options_spec, 0, CLI_OPERANDS_NONE,
};

int cmd_extract(int argc, char **argv)
{
  cli_common c;
  pipeline_opts p;
  struct index_db *db = NULL;
  int first, status;

  pipeline_opts_init(&p);
  CLI_PARSE_OR_RETURN(argc, argv, &extract_spec, &c, pipeline_opt, &p,
                      &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  status = run_extract(&c, db, p.all);
  index_close(db);
  return status;
}

static const struct option run_options_spec[] = {
  {"operator", required_argument, NULL, 'o'},
  {"batch", required_argument, NULL, 'b'},
  {"manifest", required_argument, NULL, 'm'},
  {"jobs", required_argument, NULL, 'j'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec run_spec = {
  "[--operator NAME] [--batch LABEL] [--jobs N] PATH...",
  "The main job: ingest each PATH, recognize the new pages, extract their\n"
  "fields and index them.  Refused input is reported (exit status 3) and\n"
  "the rest is processed.\n",
  run_options_spec, 0, CLI_OPERANDS_SOME,
};

int cmd_run(int argc, char **argv)
{
  cli_common c;
  pipeline_opts p;
  struct index_db *db = NULL;
  int first, status, st;

  pipeline_opts_init(&p);
  CLI_PARSE_OR_RETURN(argc, argv, &run_spec, &c, pipeline_opt, &p, &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  status = run_ingest(&c, db, &p, argc - first, argv + first);
  if(status == CLI_FAIL)
    goto out;
  st = run_ocr(&c, &p);
  if(st != CLI_OK)
    status = st;
  st = run_extract(&c, db, 0);
  if(st != CLI_OK)
    status = st;
out:
  index_close(db);
  return status;
}

static const struct option verify_options_spec[] = {
  {"sample", required_argument, NULL, 's'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec verify_spec = {
  "[--sample N]",
  "Re-hashes the stored masters (all, or N chosen at random) and reports\n"
  "any missing or altered one (exit status 1).  A fixity event is recorded\n"
  "for each check either way.\n",
  verify_options_spec, 0, CLI_OPERANDS_NONE,
};

int cmd_verify(int argc, char **argv)
{
  cli_common c;
  pipeline_opts p;
  struct index_db *db = NULL;
  int64_t checked = 0, bad = 0;
  int first, rc;

  pipeline_opts_init(&p);
  CLI_PARSE_OR_RETURN(argc, argv, &verify_spec, &c, pipeline_opt, &p,
                      &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  rc = ingest_verify(db, (int)p.sample, &checked, &bad);
  index_close(db);
  if(!c.quiet)
    fprintf(stderr, "daftar verify: %lld masters checked, %lld bad\n",
            (long long)checked, (long long)bad);
  if(rc && bad == 0)
    cli_error("verify", "%s", daftar_strerror(rc));
  return rc || bad ? CLI_FAIL : CLI_OK;
}
