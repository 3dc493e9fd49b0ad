/*
 * options.c - the options every subcommand shares, and its help text.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* 0 when the operand count fits spec->operands, else -1 with a message. */
static int check_operands(int count, char **argv, const cli_command_spec *spec)
{
  static const char *const want[] = {NULL, "no operands", "one operand",
                                     "at least one operand"};
  int ok;

  switch(spec->operands) {
  case CLI_OPERANDS_NONE: ok = count == 0; break;
  case CLI_OPERANDS_ONE: ok = count == 1; break;
  case CLI_OPERANDS_SOME: ok = count >= 1; break;
  default: return 0;
  }
  if(ok)
    return 0;
  fprintf(stderr, "daftar %s: takes %s\nusage: daftar %s %s\n", argv[0],
          want[spec->operands], argv[0], spec->synopsis);
  return -1;
}

int cli_parse(int argc, char **argv, const cli_command_spec *spec,
              cli_common *c, int (*on_opt)(void *arg, int opt,
                                           const char *val),
              void *arg, int *first_arg)
{
  struct option longopts[CLI_MAX_OPTIONS + 5];
  size_t n = 0;
  int opt;

  cli_common_init(c);
  for(size_t i = 0; spec->options && spec->options[i].name; i++) {
    if(n >= CLI_MAX_OPTIONS)
      break;
    longopts[n++] = spec->options[i];
  }
  longopts[n++] = (struct option){"archive", required_argument, NULL, 'A'};
  longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
  longopts[n++] = (struct option){"quiet", no_argument, NULL, 'q'};
  longopts[n++] = (struct option){"json", no_argument, NULL, 'J'};
  longopts[n] = (struct option){NULL, 0, NULL, 0};

  optind = 1;
  opterr = 0;
  while((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
    switch(opt) {
    case 'A':
      c->archive = optarg;
      break;
    case 'h':
      printf("usage: daftar %s %s\n\n%s", argv[0], spec->synopsis,
             spec->help);
      printf("\nCommon options:\n"
             "  --archive DIR  the archive (default $DAFTAR_ARCHIVE or "
             "./archive)\n"
             "  --quiet        no progress or summary on stderr\n"
             "  --help         this text\n");
      return 1;
    case 'q':
      c->quiet = 1;
      break;
    case 'J':
      if(!spec->takes_json)
        goto bad;
      c->json = 1;
      break;
    case '?':
      goto bad;
    default:
      if(!on_opt || on_opt(arg, opt, optarg) != 0) {
        fprintf(stderr, "daftar %s: bad value for an option: '%s'\n",
                argv[0], optarg ? optarg : "");
        return -1;
      }
    }
  }
  *first_arg = optind;
  return check_operands(argc - optind, argv, spec);
bad:
  fprintf(stderr, "daftar %s: unknown option '%s'\nusage: daftar %s %s\n",
          argv[0], argv[optind - 1], argv[0], spec->synopsis);
  return -1;
}
