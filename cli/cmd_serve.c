/*
 * cmd_serve.c - `daftar serve`: the web viewer until SIGINT/SIGTERM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "viewer.h"

#define CLI_THREADS_MAX 64

typedef struct serve_opts {
  const char *listen;
  int threads;
  const char *tls_cert, *tls_key;
} serve_opts;

static int serve_opt(void *arg, int opt, const char *val)
{
  serve_opts *s = arg;
  long v;

  switch(opt) {
  case 'l':
    s->listen = val;
    return 0;
  case 't':
    v = cli_parse_long(val, 1, CLI_THREADS_MAX);
    if(v < 0)
      return -1;
    s->threads = (int)v;
    return 0;
  case 'c':
    s->tls_cert = val;
    return 0;
  case 'k':
    s->tls_key = val;
    return 0;
  }
  return -1;
}

static void on_signal(int sig)
{
  (void)sig;
  viewer_stop();
}

static void on_ready(void *arg, const char *url)
{
  const cli_common *c = arg;

  /* stdout, flushed: scripts wait for this line. */
  printf("daftar serve: listening on %s (archive %s)\n", url, c->archive);
  fflush(stdout);
}

static const struct option serve_options_spec[] = {
  {"listen", required_argument, NULL, 'l'},
  {"threads", required_argument, NULL, 't'},
  {"tls-cert", required_argument, NULL, 'c'},
  {"tls-key", required_argument, NULL, 'k'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec serve_spec = {
  "[--listen ADDR:PORT] [--threads N] [--tls-cert F --tls-key F]",
  "Serves the web viewer (search, worker histories, documents) on\n"
  "ADDR:PORT, by default " VIEWER_DEFAULT_LISTEN ".  Port 0 picks a free\n"
  "port.  Stops on Ctrl-C or SIGTERM.  Every page needs an account\n"
  "(`daftar user add`).  --tls-cert and --tls-key (PEM files, both or\n"
  "neither) serve HTTPS; session cookies are then marked Secure.\n",
  serve_options_spec, 0, CLI_OPERANDS_NONE,
};

int cmd_serve(int argc, char **argv)
{
  cli_common c;
  serve_opts s = {NULL, 0, NULL, NULL};
  viewer_options vo;
  struct sigaction sa;
  int first, rc;

  CLI_PARSE_OR_RETURN(argc, argv, &serve_spec, &c, serve_opt, &s, &first);
  if(!s.tls_cert != !s.tls_key) {
    fprintf(stderr, "daftar serve: --tls-cert and --tls-key go together\n");
    return CLI_USAGE;
  }
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  memset(&vo, 0, sizeof(vo));
  vo.archive_dir = c.archive;
  vo.listen = s.listen;
  vo.threads = s.threads;
  vo.tls_cert = s.tls_cert;
  vo.tls_key = s.tls_key;
  vo.on_ready = on_ready;
  vo.on_ready_arg = &c;
  rc = viewer_serve(&vo);
  if(rc) {
    cli_error("serve", "%s", daftar_strerror(rc));
    return CLI_FAIL;
  }
  return CLI_OK;
}
