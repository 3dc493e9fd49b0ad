/*
 * ocr_testlib.c - scratch directories and generated lines for the
 * check_ocr suites (ocr_testlib.h).
 */
#define _XOPEN_SOURCE 700
#include "ocr_testlib.h"

#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

void otl_tmpdir_make(char *dir, size_t n, const char *name) {
  const char *base = getenv("TMPDIR");
  snprintf(dir, n, "%s/%s.XXXXXX", base ? base : "/tmp", name);
  if(!mkdtemp(dir)) {
    perror("mkdtemp");
    exit(1);
  }
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(p);
}

void otl_tmpdir_remove(const char *dir) {
  if(dir[0])
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int otl_run(char *const argv[]) {
  pid_t pid = fork();
  if(pid < 0)
    return -1;
  if(pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    if(fd >= 0)
      dup2(fd, 1);
    execv(argv[0], argv);
    _exit(127);
  }
  int st = 0;
  if(waitpid(pid, &st, 0) < 0 || !WIFEXITED(st))
    return -1;
  return WEXITSTATUS(st);
}

void otl_gen_line(const char *text, const char *font, const char *size,
                  const char *out) {
  const char *gen = getenv("DAFTAR_GEN");
  char *argv[12];
  int k = 0;

  ck_assert_msg(gen && *gen, "DAFTAR_GEN is not set");
  argv[k++] = (char *)gen;
  argv[k++] = "line";
  argv[k++] = "--text";
  argv[k++] = (char *)text;
  if(font) {
    argv[k++] = "--font";
    argv[k++] = (char *)font;
  }
  if(size) {
    argv[k++] = "--size";
    argv[k++] = (char *)size;
  }
  argv[k++] = "--out";
  argv[k++] = (char *)out;
  argv[k] = NULL;
  ck_assert_msg(otl_run(argv) == 0, "daftar-gen line failed for '%s'", text);
}
