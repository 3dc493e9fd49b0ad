/* log.c - leveled messages on stderr.  Callers never pass personal data. */
#include <stdio.h>

#include "core.h"

static enum daftar_log_level log_level = DLOG_WARN;

void daftar_log_set_level(enum daftar_log_level lvl)
{
  log_level = lvl;
}

enum daftar_log_level daftar_log_get_level(void)
{
  return log_level;
}

void daftar_log(enum daftar_log_level lvl, const char *fmt, ...)
{
  static const char *const names[] = {"error", "warning", "info", "debug"};
  char line[2048];
  va_list ap;

  if(lvl > log_level)
    return;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  /* One fputs per message so lines from threads do not interleave. */
  fprintf(stderr, "daftar: %s: %s\n", names[lvl], line);
}
