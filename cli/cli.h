/*
 * cli.h - the `daftar` command: shared pieces of the subcommands.
 *
 * cli/ parses argv and calls the modules; it holds no logic of its own.
 * Each subcommand is a function taking its own argc/argv (argv[0] is the
 * subcommand's name) and returning the process exit status:
 *   CLI_OK 0, CLI_FAIL 1, CLI_USAGE 2, CLI_REFUSED 3 (the run finished, but
 *   some input was refused: see the summary and `daftar batch ID`).
 */
#ifndef DAFTAR_CLI_H
#define DAFTAR_CLI_H

#include <getopt.h>

#include "core.h"
#include "index.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_REFUSED = 3 };

#define CLI_DEFAULT_ARCHIVE "./archive"

/* Options every subcommand takes. */
typedef struct cli_common {
  const char *archive; /* --archive, $DAFTAR_ARCHIVE, or ./archive */
  int json;            /* --json where the command has it */
  int quiet;
} cli_common;

/* Sets the defaults (reads $DAFTAR_ARCHIVE). */
void cli_common_init(cli_common *c);
/* Opens the archive database, printing the reason on failure. */
int cli_open_archive(const cli_common *c, struct index_db **db);
/* "daftar: <what>: <reason>" on stderr. */
void cli_error(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Parses a positive int option value; -1 when not a number in [min,max]. */
long cli_parse_long(const char *s, long min, long max);

/* ---- option parsing shared by the subcommands ---- */
#define CLI_MAX_OPTIONS 16

typedef struct cli_command_spec {
  const char *synopsis;          /* "[--json] NUMBER" */
  const char *help;              /* paragraphs, each line ending in \n */
  const struct option *options;  /* the command's own, NULL-terminated */
  int takes_json;
  int operands;                  /* CLI_OPERANDS_*: checked by cli_parse() */
} cli_command_spec;

/* How many operands a command takes (0: the command checks itself). */
enum { CLI_OPERANDS_NONE = 1, CLI_OPERANDS_ONE, CLI_OPERANDS_SOME };

/* Parses argv.  Returns 0 (and *first_arg, the first operand), 1 when help
 * was printed (exit CLI_OK), -1 on a usage error (message printed). */
int cli_parse(int argc, char **argv, const cli_command_spec *spec,
              cli_common *c,
              int (*on_opt)(void *arg, int opt, const char *val), void *arg,
              int *first_arg);

#define CLI_PARSE_OR_RETURN(argc, argv, spec, c, on_opt, arg, first)         \
  do {                                                                        \
    int r_ = cli_parse(argc, argv, spec, c, on_opt, arg, first);              \
    if(r_ > 0)                                                                \
      return CLI_OK;                                                          \
    if(r_ < 0)                                                                \
      return CLI_USAGE;                                                       \
  } while(0)

int cmd_ingest(int argc, char **argv);
int cmd_ocr(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_batches(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_identity(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* cmd_user.c (added by the viewer helper): accounts and the audit log. */
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);

#endif /* DAFTAR_CLI_H */
