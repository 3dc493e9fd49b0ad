/*
 * fixture.h - the archive the index suites share: each test gets a fresh
 * archive under /tmp with one open handle and one batch, removed after.
 */
#ifndef DAFTAR_TEST_INDEX_FIXTURE_H
#define DAFTAR_TEST_INDEX_FIXTURE_H

#include <stdint.h>

#include "index.h"

extern char archive[64];
extern struct index_db *db;
extern int64_t batch_id;

/* Check fixtures (tcase_add_checked_fixture). */
void setup(void);
void teardown(void);

#endif
