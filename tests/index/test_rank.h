/*
 * test_rank.h - the rank test case (test_rank.c), added to check_index.
 */
#ifndef DAFTAR_TEST_INDEX_RANK_H
#define DAFTAR_TEST_INDEX_RANK_H

#include <check.h>

TCase *rank_tcase(void);

#endif
