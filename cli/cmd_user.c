/*
 * cmd_user.c - `daftar user` (accounts of the web viewer) and `daftar audit`
 * (its hash-chained audit log).
 *
 * Passwords never come from argv: a command line shows in `ps` and in shell
 * history.  They are read from --password-file F (its first line) or from
 * stdin (one line; typed twice without echo when stdin is a terminal).
 * `--password` is refused by name, without echoing its value.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "viewer.h"

#define AUDIT_LIST_DEFAULT 100
#define AUDIT_LIST_MAX 100000
/* a line holding the longest password, its line end and a NUL */
#define PASSWORD_LINE_MAX (VIEWER_PASSWORD_MAX + 3)

#define ARGS_MAX 64

/* cli_parse() stops at the first operand ("add"), but these commands read
 * naturally with options after it (`user add NAME --role staff`): copies
 * argv into out with the options first and the operands after, keeping
 * their order.  An option of specs that takes a value keeps the word after
 * it (unless given as --opt=value).  -1 when there are too many words. */
static int options_first(int argc, char **argv, const struct option *spec,
                         char **out)
{
  char *operands[ARGS_MAX];
  int n = 0, nops = 0, i, j;
  if(argc > ARGS_MAX)
    return -1;
  out[n++] = argv[0];
  for(i = 1; i < argc; i++) {
    const char *a = argv[i];
    int takes = !strcmp(a, "--archive");
    if(a[0] != '-' || !strcmp(a, "-")) {
      operands[nops++] = argv[i];
      continue;
    }
    out[n++] = argv[i];
    if(!strcmp(a, "--"))
      break;
    for(j = 0; !takes && spec[j].name; j++)
      takes = spec[j].has_arg == required_argument && !strncmp(a, "--", 2) &&
              !strcmp(a + 2, spec[j].name);
    if(takes && i + 1 < argc)
      out[n++] = argv[++i];
  }
  for(i++; i < argc; i++)
    operands[nops++] = argv[i];
  for(i = 0; i < nops; i++)
    out[n++] = operands[i];
  out[n] = NULL;
  return n;
}

typedef struct user_opts {
  const char *role;
  const char *password_file;
  int password_in_argv; /* --password given: refused */
} user_opts;

static int user_opt(void *arg, int opt, const char *val)
{
  user_opts *u = arg;
  switch(opt) {
  case 'r':
    u->role = val;
    return 0;
  case 'p':
    u->password_file = val;
    return 0;
  case 'P':
    u->password_in_argv = 1; /* val is the secret: never printed */
    return 0;
  }
  return -1;
}

static const struct option user_options_spec[] = {
  {"role", required_argument, NULL, 'r'},
  {"password-file", required_argument, NULL, 'p'},
  {"password", required_argument, NULL, 'P'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec user_spec = {
  "add NAME --role admin|operator|archivist|staff [--password-file F]\n"
  "       daftar user list [--json]\n"
  "       daftar user disable NAME\n"
  "       daftar user passwd NAME [--password-file F]",
  "Manages the accounts of the web viewer (`daftar serve`).  Nobody reads\n"
  "the archive without one; make the first with --role admin.\n"
  "\n"
  "Roles: staff search and read; archivists also correct fields; operators\n"
  "see batches, not records; admins read the audit log.\n"
  "\n"
  "The password is the first line of --password-file F, else one line read\n"
  "from stdin (asked twice, without echo, on a terminal); never an\n"
  "argument.  " "At least 10 characters.  A new password or `disable` ends the\n"
  "user's sessions.\n",
  user_options_spec, 1, 0, /* operands checked per action */
};

/* Strips a trailing "\n" or "\r\n"; -1 when line held no line end and
 * more input follows (too long). */
static int chomp(char *line, FILE *f)
{
  size_t n = strlen(line);
  if(n > 0 && line[n - 1] == '\n') {
    line[--n] = '\0';
    if(n > 0 && line[n - 1] == '\r')
      line[--n] = '\0';
    return 0;
  }
  return feof(f) ? 0 : -1;
}

/* One line from f into buf; prompt (on a terminal, echo off) when given. */
static int read_line(FILE *f, const char *prompt, char *buf, size_t len)
{
  struct termios old, quiet;
  int tty = prompt && isatty(fileno(f));
  int rc = 0;

  if(tty) {
    fputs(prompt, stderr);
    fflush(stderr);
    if(tcgetattr(fileno(f), &old) == 0) {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr(fileno(f), TCSAFLUSH, &quiet);
    } else {
      tty = 0;
    }
  }
  if(!fgets(buf, (int)len, f))
    rc = -1;
  else if(chomp(buf, f))
    rc = -2;
  if(tty)
    tcsetattr(fileno(f), TCSAFLUSH, &old);
  return rc;
}

/* The new password into buf (PASSWORD_LINE_MAX bytes); CLI_OK or an exit
 * status, the reason printed. */
static int password_read(const char *cmd, const user_opts *u, char *buf)
{
  char again[PASSWORD_LINE_MAX];
  FILE *f = stdin;
  int rc, tty = 0;

  if(u->password_file) {
    f = fopen(u->password_file, "r");
    if(!f) {
      cli_error(cmd, "cannot read %s: %s", u->password_file, strerror(errno));
      return CLI_FAIL;
    }
  } else {
    tty = isatty(STDIN_FILENO);
  }
  rc = read_line(f, tty ? "Password: " : NULL, buf, PASSWORD_LINE_MAX);
  if(!rc && tty) {
    rc = read_line(f, "Again: ", again, sizeof(again));
    if(!rc && strcmp(buf, again))
      rc = -3;
    explicit_bzero(again, sizeof(again));
  }
  if(f != stdin)
    fclose(f);
  if(!rc && strlen(buf) < VIEWER_PASSWORD_MIN)
    rc = -4;
  if(rc == -1)
    cli_error(cmd, "no password given (--password-file F, or one line on "
                   "stdin)");
  else if(rc == -2)
    cli_error(cmd, "password too long (at most %d bytes)",
              VIEWER_PASSWORD_MAX);
  else if(rc == -3)
    cli_error(cmd, "the passwords differ");
  else if(rc == -4)
    cli_error(cmd, "password too short (at least %d characters)",
              VIEWER_PASSWORD_MIN);
  if(rc)
    explicit_bzero(buf, PASSWORD_LINE_MAX);
  return rc ? CLI_FAIL : CLI_OK;
}

/* Exit status of a viewer_user_* result.  viewer/ has printed the reason
 * of everything but a malformed name (EEXIST "name already taken",
 * ENOTFOUND "no such user", database errors). */
static int user_status(const char *cmd, const char *name, int rc)
{
  (void)name;
  switch(rc) {
  case DAFTAR_OK:
    return CLI_OK;
  case DAFTAR_EINVAL:
    cli_error(cmd, "bad account name (1-%d characters, no spaces, ':' or "
                   "'/')", VIEWER_USER_NAME_MAX);
    return CLI_USAGE;
  default:
    return CLI_FAIL; /* the archive's reason is already on stderr */
  }
}

static int user_set_password(const cli_common *c, const user_opts *u,
                             const char *verb, const char *name)
{
  char password[PASSWORD_LINE_MAX];
  int st = password_read(verb, u, password);
  int rc;
  if(st)
    return st;
  rc = !strcmp(verb, "user add")
           ? viewer_user_add(c->archive, name, u->role, password)
           : viewer_user_passwd(c->archive, name, password);
  explicit_bzero(password, sizeof(password));
  st = user_status(verb, name, rc);
  if(!st && !c->quiet)
    fprintf(stderr, "daftar: %s: %s done\n", verb, name);
  return st;
}

int cmd_user(int argc, char **argv)
{
  cli_common c;
  user_opts u = {NULL, NULL, 0};
  const char *verb, *name;
  char *args[ARGS_MAX + 1];
  int first, rc;

  argc = options_first(argc, argv, user_options_spec, args);
  if(argc < 0) {
    fprintf(stderr, "daftar user: too many arguments\n");
    return CLI_USAGE;
  }
  argv = args;
  CLI_PARSE_OR_RETURN(argc, argv, &user_spec, &c, user_opt, &u, &first);
  if(u.password_in_argv) {
    fprintf(stderr, "daftar user: a password is never taken from the command "
                    "line (it would show in ps and shell history); use "
                    "--password-file F or stdin\n");
    return CLI_USAGE;
  }
  verb = first < argc ? argv[first] : "";
  name = first + 1 < argc ? argv[first + 1] : NULL;
  if(!strcmp(verb, "list") && !name) {
    rc = c.json ? viewer_user_list_json(c.archive, stdout)
                : viewer_user_list(c.archive, stdout);
    return rc ? CLI_FAIL : CLI_OK;
  }
  if(!name || first + 2 < argc || c.json ||
     (strcmp(verb, "add") && strcmp(verb, "disable") &&
      strcmp(verb, "passwd")) ||
     (u.role && strcmp(verb, "add")) ||
     (u.password_file && !strcmp(verb, "disable"))) {
    fprintf(stderr, "usage: daftar user %s\n", user_spec.synopsis);
    return CLI_USAGE;
  }
  if(!strcmp(verb, "add")) {
    if(!u.role || !viewer_role_known(u.role)) {
      fprintf(stderr, "daftar user add: --role must be admin, operator, "
                      "archivist or staff\n");
      return CLI_USAGE;
    }
    return user_set_password(&c, &u, "user add", name);
  }
  if(!strcmp(verb, "passwd"))
    return user_set_password(&c, &u, "user passwd", name);
  rc = user_status("user disable", name,
                   viewer_user_disable(c.archive, name));
  if(!rc && !c.quiet)
    fprintf(stderr, "daftar: user disable: %s done\n", name);
  return rc;
}

/* ---- daftar audit --------------------------------------------------------- */

typedef struct audit_opts {
  const char *user, *action;
  long limit, offset;
} audit_opts;

static int audit_opt(void *arg, int opt, const char *val)
{
  audit_opts *a = arg;
  switch(opt) {
  case 'u':
    a->user = val;
    return 0;
  case 'a':
    a->action = val;
    return 0;
  case 'l':
    a->limit = cli_parse_long(val, 1, AUDIT_LIST_MAX);
    return a->limit < 0 ? -1 : 0;
  case 'o':
    a->offset = cli_parse_long(val, 0, 1L << 30);
    return a->offset < 0 ? -1 : 0;
  }
  return -1;
}

static const struct option audit_options_spec[] = {
  {"user", required_argument, NULL, 'u'},
  {"action", required_argument, NULL, 'a'},
  {"limit", required_argument, NULL, 'l'},
  {"offset", required_argument, NULL, 'o'},
  {NULL, 0, NULL, 0},
};

static const cli_command_spec audit_spec = {
  "verify\n"
  "       daftar audit list [--json] [--user U] [--action A] [--limit N] "
  "[--offset N]",
  "The viewer's audit log: every search, view, correction and login.\n"
  "\n"
  "verify recomputes the hash chain over every row: exit 0 when intact,\n"
  "1 with the first changed row when a row was edited or removed behind\n"
  "daftar's back.  list prints rows newest first (tab-separated: id, time,\n"
  "user, action, object, detail, address; or JSON).\n",
  audit_options_spec, 1, 0, /* operands checked per action */
};

static int audit_verify(const cli_common *c)
{
  struct index_db *db = NULL;
  int64_t rows = 0, bad = 0;
  int rc;
  if(cli_open_archive(c, &db))
    return CLI_FAIL;
  rc = index_audit_verify(db, &rows, &bad);
  if(rc == DAFTAR_OK) {
    printf("audit: %lld rows, chain intact\n", (long long)rows);
  } else if(rc == DAFTAR_EREFUSED) {
    printf("audit: chain broken at row %lld (changed or removed outside "
           "daftar)\n", (long long)bad);
  } else {
    cli_error("audit verify", "%s", index_errmsg(db));
  }
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}

static int audit_list(const cli_common *c, const audit_opts *a)
{
  struct index_db *db = NULL;
  dbuf out = DBUF_INIT;
  int rc;
  if(cli_open_archive(c, &db))
    return CLI_FAIL;
  rc = c->json ? index_audit_json(db, a->user, a->action, (int)a->limit,
                                  (int)a->offset, &out)
               : index_audit_text(db, a->user, a->action, (int)a->limit,
                                  (int)a->offset, &out);
  if(rc)
    cli_error("audit list", "%s", index_errmsg(db));
  else if(out.len)
    fwrite(out.data, 1, out.len, stdout);
  dbuf_free(&out);
  index_close(db);
  return rc ? CLI_FAIL : CLI_OK;
}

int cmd_audit(int argc, char **argv)
{
  cli_common c;
  audit_opts a = {NULL, NULL, AUDIT_LIST_DEFAULT, 0};
  char *args[ARGS_MAX + 1];
  int first;

  argc = options_first(argc, argv, audit_options_spec, args);
  if(argc < 0) {
    fprintf(stderr, "daftar audit: too many arguments\n");
    return CLI_USAGE;
  }
  argv = args;
  CLI_PARSE_OR_RETURN(argc, argv, &audit_spec, &c, audit_opt, &a, &first);
  if(first + 1 == argc && !strcmp(argv[first], "verify") && !c.json &&
     !a.user && !a.action)
    return audit_verify(&c);
  if(first + 1 == argc && !strcmp(argv[first], "list"))
    return audit_list(&c, &a);
  fprintf(stderr, "usage: daftar audit %s\n", audit_spec.synopsis);
  return CLI_USAGE;
}
