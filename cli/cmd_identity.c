/*
 * cmd_identity.c - `daftar identity`: the archivist's identity decisions.
 *
 *   identity suggestions [--json] [--status S] [--limit N]
 *   identity accept|reject SUGGESTION-ID
 *   identity merge INTO FROM          (workers)
 *   identity split WORKER DOC-ID...
 *   identity undo CHANGE-ID
 *
 * A worker is named by social-security number or national ID, or as id:N
 * (the "id" of `daftar worker --json`) for one known by name alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define IDENTITY_DEFAULT_LIMIT 50

typedef struct identity_opts {
  const char *status;
  const char *user;
  long limit;
} identity_opts;

static int identity_opt(void *arg, int opt, const char *val)
{
  identity_opts *o = arg;

  switch(opt) {
  case 's':
    o->status = val;
    return strcmp(val, "pending") && strcmp(val, "accepted") &&
                   strcmp(val, "rejected")
               ? -1
               : 0;
  case 'u':
    o->user = val;
    return 0;
  case 'n':
    o->limit = cli_parse_long(val, 1, INDEX_SEARCH_LIMIT_MAX);
    return o->limit < 0 ? -1 : 0;
  }
  return -1;
}

static const struct option identity_options_spec[] = {
  {"status", required_argument, NULL, 's'},
  {"user", required_argument, NULL, 'u'},
  {"limit", required_argument, NULL, 'n'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec identity_spec = {
  "suggestions [--json] [--status pending|accepted|rejected] [--limit N]\n"
  "       daftar identity accept|reject SUGGESTION-ID [--user NAME]\n"
  "       daftar identity merge INTO FROM [--user NAME]\n"
  "       daftar identity split WORKER DOC-ID... [--user NAME]\n"
  "       daftar identity undo CHANGE-ID [--user NAME]",
  "Identity decisions.  Documents link to workers by number; where numbers\n"
  "conflict or are missing, daftar proposes links by name, mother's name and\n"
  "birth date with an explained score.  Accept or reject a suggestion;\n"
  "merge two workers or split documents off one; undo either by its change\n"
  "id.  Every decision is recorded with --user (default $USER).\n"
  "A WORKER is a social-security number, a national ID, or id:N.\n",
  identity_options_spec, 1, CLI_OPERANDS_SOME,
};

/* A worker argument: a number, or id:N. */
static int worker_arg(struct index_db *db, const char *s, int64_t *id)
{
  if(!strncmp(s, "id:", 3)) {
    long v = cli_parse_long(s + 3, 1, 1L << 62);
    if(v < 0)
      return DAFTAR_EINVAL;
    *id = v;
    return DAFTAR_OK;
  }
  return index_worker_id(db, s, id);
}

static int list_suggestions(struct index_db *db, const cli_common *c,
                            const identity_opts *o)
{
  index_link_suggestion *s = NULL;
  size_t n = 0;
  dbuf out = DBUF_INIT;
  int rc = index_link_suggestions_list(db, o->status, (int)o->limit, 0, &s,
                                       &n);

  if(rc)
    return rc;
  if(c->json) {
    rc = index_link_suggestions_json(s, n, &out);
    if(!rc)
      printf("%s\n", dbuf_cstr(&out));
  }
  else
    for(size_t i = 0; i < n; i++)
      printf("%lld  %3d  %-20s %s -> %s %s\n    %s\n", (long long)s[i].id,
             s[i].score, s[i].reason, s[i].source,
             s[i].worker_ssn ? s[i].worker_ssn : "-",
             s[i].worker_name ? s[i].worker_name : "",
             s[i].explain ? s[i].explain : "");
  index_link_suggestions_free(s, n);
  dbuf_free(&out);
  return rc;
}

/* Runs one action; usage errors return CLI_USAGE, others a daftar_err. */
static int identity_action(struct index_db *db, const cli_common *c,
                           const identity_opts *o, int argc, char **argv)
{
  const char *act = argv[0];
  int64_t a, b, change = 0, made = 0;
  long id;
  int rc;

  if(!strcmp(act, "suggestions"))
    return argc == 1 ? list_suggestions(db, c, o) : CLI_USAGE;
  if(!strcmp(act, "accept") || !strcmp(act, "reject") ||
     !strcmp(act, "undo")) {
    id = argc == 2 ? cli_parse_long(argv[1], 1, 1L << 62) : -1;
    if(id < 0)
      return CLI_USAGE;
    if(!strcmp(act, "accept"))
      return index_link_accept(db, id, o->user);
    if(!strcmp(act, "reject"))
      return index_link_reject(db, id, o->user);
    return index_worker_change_undo(db, id, o->user);
  }
  if(!strcmp(act, "merge")) {
    if(argc != 3)
      return CLI_USAGE;
    rc = worker_arg(db, argv[1], &a);
    if(!rc)
      rc = worker_arg(db, argv[2], &b);
    if(!rc)
      rc = index_worker_merge(db, a, b, o->user, &change);
    if(!rc)
      printf("merged: change %lld (undo: daftar identity undo %lld)\n",
             (long long)change, (long long)change);
    return rc;
  }
  if(!strcmp(act, "split")) {
    int64_t *docs;
    if(argc < 3)
      return CLI_USAGE;
    docs = calloc((size_t)argc, sizeof(*docs));
    if(!docs)
      return DAFTAR_ENOMEM;
    rc = worker_arg(db, argv[1], &a);
    for(int i = 2; !rc && i < argc; i++) {
      id = cli_parse_long(argv[i], 1, 1L << 62);
      rc = id < 0 ? DAFTAR_EINVAL : DAFTAR_OK;
      docs[i - 2] = id;
    }
    if(!rc)
      rc = index_worker_split(db, a, docs, (size_t)argc - 2, o->user, &made,
                              &change);
    free(docs);
    if(!rc)
      printf("split: new worker id:%lld, change %lld\n", (long long)made,
             (long long)change);
    return rc;
  }
  return CLI_USAGE;
}

int cmd_identity(int argc, char **argv)
{
  cli_common c;
  identity_opts o = {NULL, NULL, IDENTITY_DEFAULT_LIMIT};
  struct index_db *db = NULL;
  int first, rc;

  o.user = getenv("USER") ? getenv("USER") : "cli";
  CLI_PARSE_OR_RETURN(argc, argv, &identity_spec, &c, identity_opt, &o,
                      &first);
  if(cli_open_archive(&c, &db))
    return CLI_FAIL;
  rc = identity_action(db, &c, &o, argc - first, argv + first);
  if(rc == CLI_USAGE)
    fprintf(stderr, "usage: daftar identity %s\n", identity_spec.synopsis);
  else if(rc == DAFTAR_ENOTFOUND)
    cli_error(argv[first], "no such suggestion, worker or change");
  else if(rc)
    cli_error(argv[first], "%s (%s)", daftar_strerror(rc), index_errmsg(db));
  index_close(db);
  return rc == CLI_USAGE ? CLI_USAGE : rc ? CLI_FAIL : CLI_OK;
}
