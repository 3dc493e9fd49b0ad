/* fixture.c - a fresh archive per test for the index suites (fixture.h). */
#define _XOPEN_SOURCE 700
#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "core.h"
#include "fixture.h"

char archive[64];
struct index_db *db;
int64_t batch_id;

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

void setup(void)
{
  snprintf(archive, sizeof(archive), "/tmp/daftar-index-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(archive));
  ck_assert_int_eq(index_open(archive, &db), DAFTAR_OK);
  ck_assert_int_eq(index_batch_create(db, "test batch", "tester", "host",
                                      "/in/batch", &batch_id),
                   DAFTAR_OK);
}

void teardown(void)
{
  index_close(db);
  db = NULL;
  nftw(archive, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
