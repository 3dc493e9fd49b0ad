/*
 * ocr_testlib.h - what the check_ocr suites (test_ocr.c, test_sorani.c,
 * test_cleanup.c: one executable) share: a scratch directory and lines
 * rendered by the generator (daftar-gen line, path in DAFTAR_GEN).
 */
#ifndef DAFTAR_OCR_TESTLIB_H
#define DAFTAR_OCR_TESTLIB_H

#include <stddef.h>

/* Makes a new directory <TMPDIR or /tmp>/<name>.XXXXXX into dir (n bytes);
 * exits the program when it cannot (called from fixtures). */
void otl_tmpdir_make(char *dir, size_t n, const char *name);
/* Removes dir and everything below it (nothing when dir is ""). */
void otl_tmpdir_remove(const char *dir);
/* Runs argv[0] with argv (no shell, stdout to /dev/null): its exit
 * status, or -1 when it could not run or did not exit. */
int otl_run(char *const argv[]);
/* Renders text as one line into out (a TIFF); font and size may be NULL
 * (the generator's defaults).  Fails the running test when it cannot. */
void otl_gen_line(const char *text, const char *font, const char *size,
                  const char *out);

#endif
