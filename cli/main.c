/*
 * main.c - `daftar`: dispatch to a subcommand, global help and version.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ocr.h"

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} commands[] = {
  {"run", cmd_run, "ingest + ocr + extract + index PATH... in one go"},
  {"ingest", cmd_ingest, "accept batches (directory, zip, tar, TIFF) into the archive"},
  {"ocr", cmd_ocr, "recognize every page not yet recognized"},
  {"extract", cmd_extract, "fill worker and employer fields of recognized documents"},
  {"search", cmd_search, "find documents and workers"},
  {"worker", cmd_worker, "a worker's history by social-security number or national ID"},
  {"export", cmd_export, "one JSON object per document (--format jsonl)"},
  {"serve", cmd_serve, "the web viewer"},
  {"user", cmd_user, "viewer accounts: add, list, disable, passwd"},
  {"audit", cmd_audit, "the viewer's audit log: verify the chain, list rows"},
  {"verify", cmd_verify, "re-hash stored masters (fixity check)"},
  {"batches", cmd_batches, "list batches"},
  {"batch", cmd_batch, "one batch with its refusals"},
  {"identity", cmd_identity, "link suggestions, merges and splits of workers"},
  {"events", cmd_events, "the append-only event log (PREMIS style)"},
};

static void usage(FILE *out)
{
  fprintf(out,
          "usage: daftar [--archive DIR] COMMAND [OPTIONS] [ARGS]\n"
          "\n"
          "daftar turns scanned social-security files (Arabic and Sorani)\n"
          "into a searchable archive.\n"
          "\n"
          "Commands:\n");
  for(size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\n"
          "Every command takes --archive DIR (default $DAFTAR_ARCHIVE, else\n"
          "./archive): the directory holding the database and the page store.\n"
          "`daftar COMMAND --help` describes a command.\n"
          "\n"
          "Exit status: 0 success, 1 failure, 2 usage error, 3 some input was\n"
          "refused (the rest was processed; see the summary).\n");
}

void cli_common_init(cli_common *c)
{
  const char *env = getenv("DAFTAR_ARCHIVE");

  c->archive = env && *env ? env : CLI_DEFAULT_ARCHIVE;
  c->json = 0;
  c->quiet = 0;
}

void cli_error(const char *what, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  fprintf(stderr, "daftar: %s: %s\n", what, msg);
}

int cli_open_archive(const cli_common *c, struct index_db **db)
{
  int rc = index_open(c->archive, db);

  if(rc) {
    cli_error(c->archive, "cannot open archive: %s",
              *db ? index_errmsg(*db) : daftar_strerror(rc));
    index_close(*db);
    *db = NULL;
  }
  return rc;
}

long cli_parse_long(const char *s, long min, long max)
{
  char *end;
  long v;

  if(!s || !*s)
    return -1;
  errno = 0;
  v = strtol(s, &end, 10);
  if(errno || *end || v < min || v > max)
    return -1;
  return v;
}

int main(int argc, char **argv)
{
  int i = 1;

  /* A global --archive before the command is moved into the environment so
   * that every subcommand sees it the same way. */
  while(i < argc && argv[i][0] == '-') {
    if(!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return CLI_OK;
    }
    if(!strcmp(argv[i], "--version")) {
      printf("daftar %s\n", DAFTAR_VERSION);
      return CLI_OK;
    }
    if(!strcmp(argv[i], "--archive") && i + 1 < argc) {
      setenv("DAFTAR_ARCHIVE", argv[i + 1], 1);
      i += 2;
      continue;
    }
    if(!strncmp(argv[i], "--archive=", 10)) {
      setenv("DAFTAR_ARCHIVE", argv[i] + 10, 1);
      i++;
      continue;
    }
    fprintf(stderr, "daftar: unknown option '%s'\n", argv[i]);
    usage(stderr);
    return CLI_USAGE;
  }
  if(i >= argc) {
    usage(stderr);
    return CLI_USAGE;
  }
  /* Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT when the program
   * loads: commands that recognize pages re-execute themselves with it set
   * to 1, since parallelism comes from daftar's own workers. */
  if(!strcmp(argv[i], "ocr") || !strcmp(argv[i], "run"))
    ocr_exec_with_thread_limit(argv);
  for(size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
    if(!strcmp(argv[i], commands[c].name))
      return commands[c].run(argc - i, argv + i);
  fprintf(stderr, "daftar: unknown command '%s'\n", argv[i]);
  usage(stderr);
  return CLI_USAGE;
}
