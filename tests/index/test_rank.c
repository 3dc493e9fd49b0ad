/*
 * test_rank.c - daftar_rank (index/rank.c) against FTS5's own bm25(), on an
 * in-memory table with FTS5's default tokenizer: the same scores when the
 * document frequencies are counted or given exactly, the fraction form,
 * and a fall back to counting for any list that does not fit the query.
 * White-box: registers the function through index_int.h.
 */
#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>

#include "index_int.h"
#include "test_rank.h"

static sqlite3 *mem;

static void rank_setup(void)
{
  static const char *const rows[] = {
      "'x y', 'x'",        "'x', 'z z z z'", "'y y y', 'x'",
      "'z', 'z'",          "'x z', 'y'",     "'z z', 'z z z'",
      "'x x x x', 'z'",    "'z', 'x y z'",   "'y', 'z'",
      "'z z z', 'z z y'"};
  sqlite3_stmt *st;
  fts5_api *api = NULL;
  char sql[128];

  ck_assert_int_eq(sqlite3_open(":memory:", &mem), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(mem, "SELECT fts5(?1)", -1, &st, NULL),
                   SQLITE_OK);
  sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
  sqlite3_step(st);
  sqlite3_finalize(st);
  ck_assert_ptr_nonnull(api);
  ck_assert_int_eq(rank_register(api), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(mem, "CREATE VIRTUAL TABLE t USING fts5(a, b)",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  for(size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    snprintf(sql, sizeof(sql), "INSERT INTO t(a, b) VALUES(%s)", rows[i]);
    ck_assert_int_eq(sqlite3_exec(mem, sql, NULL, NULL, NULL), SQLITE_OK);
  }
}

static void rank_teardown(void)
{
  sqlite3_close(mem);
  mem = NULL;
}

/* For every row matching match: daftar_rank(t, freqs, 3.0, 1.0) equals
 * bm25(t, 3.0, 1.0) (freqs NULL: bound as NULL).  Returns the rows seen. */
static int same_as_bm25(const char *match, const char *freqs)
{
  static const char SQL[] =
      "SELECT bm25(t, 3.0, 1.0), daftar_rank(t, ?2, 3.0, 1.0) FROM t"
      " WHERE t MATCH ?1";
  sqlite3_stmt *st;
  int rows = 0, rc;

  ck_assert_int_eq(sqlite3_prepare_v2(mem, SQL, -1, &st, NULL), SQLITE_OK);
  sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
  if(freqs)
    sqlite3_bind_text(st, 2, freqs, -1, SQLITE_STATIC);
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    double want = sqlite3_column_double(st, 0);
    double got = sqlite3_column_double(st, 1);
    ck_assert_msg(fabs(want - got) < 1e-9 * (1.0 + fabs(want)),
                  "%s [%s]: bm25 %.12g, daftar_rank %.12g", match,
                  freqs ? freqs : "NULL", want, got);
    rows++;
  }
  ck_assert_int_eq(rc, SQLITE_DONE);
  sqlite3_finalize(st);
  return rows;
}

START_TEST(rank_counts_like_bm25)
{
  ck_assert_int_eq(same_as_bm25("x", NULL), 6);
  ck_assert_int_eq(same_as_bm25("x AND y", NULL), 4);
  ck_assert_int_eq(same_as_bm25("x OR z", NULL), 10);
  ck_assert_int_eq(same_as_bm25("\"z z\"", NULL), 3);
}
END_TEST

START_TEST(rank_takes_exact_frequencies)
{
  /* x is in 6 of the 10 rows, y in 6, z in 8. */
  ck_assert_int_eq(same_as_bm25("x", "6"), 6);
  ck_assert_int_eq(same_as_bm25("x AND y", "6 6"), 4);
  ck_assert_int_eq(same_as_bm25("x OR z", " 6  8 "), 10);
  /* The fraction form: 0.8 of 10 rows is z's 8. */
  ck_assert_int_eq(same_as_bm25("z", "~0.8"), 8);
  ck_assert_int_eq(same_as_bm25("x AND z", "6 ~0.8"), 4);
}
END_TEST

START_TEST(rank_uses_the_given_frequencies)
{
  /* Told that x is rare, daftar_rank weighs it above bm25's count: the
   * scores differ, so the list is really read. */
  static const char SQL[] =
      "SELECT bm25(t, 3.0, 1.0), daftar_rank(t, '1 6', 3.0, 1.0) FROM t"
      " WHERE t MATCH 'x AND y'";
  sqlite3_stmt *st;
  int rows = 0;

  ck_assert_int_eq(sqlite3_prepare_v2(mem, SQL, -1, &st, NULL), SQLITE_OK);
  while(sqlite3_step(st) == SQLITE_ROW) {
    ck_assert_double_lt(sqlite3_column_double(st, 1),
                        sqlite3_column_double(st, 0));
    rows++;
  }
  sqlite3_finalize(st);
  ck_assert_int_eq(rows, 4);
}
END_TEST

START_TEST(rank_counts_when_the_list_does_not_fit)
{
  static const char *const bad[] = {"",    "6 5 4", "abc", "-1",
                                    "~x",  "6,5",   "~",   "nan"};

  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    ck_assert_int_eq(same_as_bm25("x", bad[i]), 6);
    ck_assert_int_eq(same_as_bm25("x AND y", bad[i]), 4);
  }
}
END_TEST

TCase *rank_tcase(void)
{
  TCase *tc = tcase_create("rank");

  tcase_add_checked_fixture(tc, rank_setup, rank_teardown);
  tcase_add_test(tc, rank_counts_like_bm25);
  tcase_add_test(tc, rank_takes_exact_frequencies);
  tcase_add_test(tc, rank_uses_the_given_frequencies);
  tcase_add_test(tc, rank_counts_when_the_list_does_not_fit);
  return tc;
}
