/* test_core.c - buffers, UTF-8, Arabic/Sorani normalization, files, SHA-256,
 * JSON strings. */
#define _GNU_SOURCE /* asprintf */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

static char *key_of(const char *s)
{
  dbuf b = DBUF_INIT;
  ck_assert_int_eq(text_norm_key(s, strlen(s), &b), DAFTAR_OK);
  return dbuf_take(&b);
}

static char *skeleton_of(const char *s)
{
  dbuf b = DBUF_INIT;
  ck_assert_int_eq(text_norm_skeleton(s, strlen(s), &b), DAFTAR_OK);
  return dbuf_take(&b);
}

#define ASSERT_SAME_KEY(a, b)                                                 \
  do {                                                                        \
    char *ka_ = key_of(a), *kb_ = key_of(b);                                  \
    ck_assert_str_eq(ka_, kb_);                                               \
    free(ka_);                                                                \
    free(kb_);                                                                \
  } while(0)

#define ASSERT_KEY(s, want)                                                   \
  do {                                                                        \
    char *k_ = key_of(s);                                                     \
    ck_assert_str_eq(k_, want);                                               \
    free(k_);                                                                 \
  } while(0)

START_TEST(dbuf_grows_and_stops_at_ceiling)
{
  dbuf b;
  dbuf_init(&b, 10);
  ck_assert_int_eq(dbuf_puts(&b, "12345"), DAFTAR_OK);
  ck_assert_int_eq(dbuf_printf(&b, "%d", 6789), DAFTAR_OK);
  ck_assert_str_eq(dbuf_cstr(&b), "123456789");
  ck_assert_int_eq(dbuf_puts(&b, "ab"), DAFTAR_ELIMIT);
  ck_assert_uint_eq(b.len, 9);
  dbuf_free(&b);
}
END_TEST

START_TEST(array_grow_doubles_and_refuses_overflow)
{
  size_t cap = 0;
  int *a = array_grow(NULL, &cap, sizeof(int), 4);
  ck_assert_ptr_nonnull(a);
  ck_assert_uint_eq(cap, 4);
  a = array_grow(a, &cap, sizeof(int), 4);
  ck_assert_ptr_nonnull(a);
  ck_assert_uint_eq(cap, 8);
  size_t huge = SIZE_MAX / 2 + 1;
  ck_assert_ptr_null(array_grow(a, &huge, sizeof(int), 4)); /* overflow */
  ck_assert_uint_eq(huge, SIZE_MAX / 2 + 1);                 /* untouched */
  free(a);
}
END_TEST

START_TEST(utf8_decodes_and_rejects_malformed)
{
  size_t adv;
  ck_assert_uint_eq(utf8_decode("\xd8\xb9", 2, &adv), 0x639);
  ck_assert_uint_eq(adv, 2);
  ck_assert_uint_eq(utf8_decode("\xd8", 1, &adv), 0xFFFD);
  ck_assert_uint_eq(adv, 1);
  ck_assert_uint_eq(utf8_decode("\xc0\xaf", 2, &adv), 0xFFFD); /* overlong */
  ck_assert_int_eq(utf8_valid("\xd8\xb9\xd9\x85", 4), 1);
  ck_assert_int_eq(utf8_valid("\xff", 1), 0);
  ck_assert_int_eq(utf8_valid("\xef\xbf\xbd", 3), 1); /* a real U+FFFD */
}
END_TEST

START_TEST(norm_folds_alef_forms)
{
  ASSERT_SAME_KEY("أحمد", "احمد");
  ASSERT_SAME_KEY("إبراهيم", "ابراهيم");
  ASSERT_SAME_KEY("آمنة", "امنة");
}
END_TEST

START_TEST(norm_folds_yeh_kaf_heh_across_arabic_and_sorani)
{
  ASSERT_SAME_KEY("علي", "علی");        /* Arabic yeh / Farsi yeh */
  ASSERT_SAME_KEY("مصطفى", "مصطفی");    /* alef maksura */
  ASSERT_SAME_KEY("كريم", "کریم");       /* Arabic kaf / keheh */
  ASSERT_SAME_KEY("فاطمة", "فاطمە");     /* teh marbuta / Sorani ae */
  ASSERT_SAME_KEY("هاوڕێ", "ھاوڕێ");     /* heh doachashmee */
}
END_TEST

START_TEST(norm_removes_harakat_and_tatweel)
{
  ASSERT_SAME_KEY("مُحَمَّد", "محمد");
  ASSERT_SAME_KEY("محـــمد", "محمد");
}
END_TEST

START_TEST(norm_folds_digits_to_ascii)
{
  ASSERT_KEY("١٢٣٤٥", "12345");
  ASSERT_KEY("۱۲۳۴۵", "12345");
  ASSERT_KEY("٠٥/٠١/١٩٦٣", "05 01 1963");
}
END_TEST

START_TEST(norm_joins_at_zwnj_and_strips_bidi)
{
  ASSERT_SAME_KEY("دەست\u200cپێکردن", "دەستپێکردن");
  ASSERT_SAME_KEY("\u200f١٢٣\u200e", "123");
}
END_TEST

START_TEST(norm_unpresents_forms_and_lam_alef)
{
  /* ﻻ (U+FEFB) is lam + alef; ﺑ (U+FE91) is beh initial. */
  ASSERT_SAME_KEY("\xef\xbb\xbb", "لا");
  ASSERT_SAME_KEY("\xef\xba\x91", "ب");
  ASSERT_SAME_KEY("\xef\xad\xbc", "چ"); /* U+FB7C tcheh initial */
}
END_TEST

START_TEST(norm_keeps_sorani_letters_apart_in_key)
{
  char *a = key_of("ڕێ"), *b = key_of("ري");
  ck_assert_str_ne(a, b);
  free(a);
  free(b);
}
END_TEST

START_TEST(skeleton_joins_dot_errors)
{
  char *a = skeleton_of("حسين"), *b = skeleton_of("حسبن"); /* ي read as ب */
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
  a = skeleton_of("خليل");
  b = skeleton_of("حليل");
  ck_assert_str_eq(a, b);
  free(a);
  free(b);
  a = skeleton_of("ڕەزا");
  b = skeleton_of("رضا");
  ck_assert_str_ne(a, b); /* ز and ض are different skeletons */
  free(a);
  free(b);
}
END_TEST

START_TEST(norm_splits_on_punctuation_lowercases_latin)
{
  ASSERT_KEY("رقم الضمان: ١٢٣", "رقم الضمان 123");
  ASSERT_KEY("  Hello, WORLD!  ", "hello world");
  ASSERT_KEY("", "");
}
END_TEST

START_TEST(strip_bidi_and_ascii_digits)
{
  dbuf b = DBUF_INIT;
  const char *s = "\u200e١٩٦٣\u200f-05";
  ck_assert_int_eq(text_strip_bidi(s, strlen(s), &b), DAFTAR_OK);
  ck_assert_str_eq(dbuf_cstr(&b), "١٩٦٣-05");
  dbuf_reset(&b);
  ck_assert_int_eq(text_ascii_digits("۱۹۶۳-٠٥", strlen("۱۹۶۳-٠٥"), &b), 0);
  ck_assert_str_eq(dbuf_cstr(&b), "1963-05");
  dbuf_free(&b);
}
END_TEST

START_TEST(edit_distance_counts_code_points)
{
  ck_assert_int_eq(text_edit_distance("عبدالله", "عبد الله"), 1);
  ck_assert_int_eq(text_edit_distance("حسين", "حسين"), 0);
  ck_assert_int_eq(text_edit_distance("", "abc"), 3);
  ck_assert_int_eq(text_edit_distance("kitten", "sitting"), 3);
}
END_TEST

START_TEST(sha256_matches_known_vector)
{
  char hex[SHA256_HEX_LEN + 1];
  ck_assert_int_eq(sha256_hex("abc", 3, hex), DAFTAR_OK);
  ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
}
END_TEST

START_TEST(atomic_write_replaces_and_leaves_no_temp)
{
  char dir[] = "/tmp/daftar-core-XXXXXX", *path, *data;
  size_t len;
  ck_assert_ptr_nonnull(mkdtemp(dir));
  path = file_join(dir, "a/b/c.txt");
  ck_assert_int_eq(file_mkdirs(dir), DAFTAR_OK);
  char *sub = file_join(dir, "a/b");
  ck_assert_int_eq(file_mkdirs(sub), DAFTAR_OK);
  ck_assert_int_eq(file_write_atomic(path, "one", 3), DAFTAR_OK);
  ck_assert_int_eq(file_write_atomic(path, "two!", 4), DAFTAR_OK);
  ck_assert_int_eq(file_read_all(path, 100, &data, &len), DAFTAR_OK);
  ck_assert_uint_eq(len, 4);
  ck_assert_str_eq(data, "two!");
  free(data);
  ck_assert_int_eq(file_read_all(path, 2, &data, &len), DAFTAR_ELIMIT);
  ck_assert_int_eq(file_read_all("/nonexistent/x", 2, &data, &len),
                   DAFTAR_ENOTFOUND);
  /* Only c.txt is in the directory: no temp file left behind. */
  char *cmd = NULL;
  ck_assert_int_ge(asprintf(&cmd, "test $(ls -A %s | wc -l) = 1", sub), 0);
  ck_assert_int_eq(system(cmd), 0);
  free(cmd);
  ck_assert_int_ge(asprintf(&cmd, "rm -rf %s", dir), 0);
  ck_assert_int_eq(system(cmd), 0);
  free(cmd);
  free(sub);
  free(path);
}
END_TEST

START_TEST(json_escapes_controls_and_bad_utf8)
{
  dbuf b = DBUF_INIT;
  ck_assert_int_eq(json_put_str(&b, "a\"b\\c\n\x01\xff\u2028"), DAFTAR_OK);
  ck_assert_str_eq(dbuf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001\xef\xbf\xbd\\u2028\"");
  dbuf_reset(&b);
  ck_assert_int_eq(json_put_str(&b, NULL), DAFTAR_OK);
  ck_assert_str_eq(dbuf_cstr(&b), "null");
  dbuf_free(&b);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("core");
  TCase *tc = tcase_create("core");
  SRunner *sr;
  int failed;

  tcase_add_test(tc, dbuf_grows_and_stops_at_ceiling);
  tcase_add_test(tc, array_grow_doubles_and_refuses_overflow);
  tcase_add_test(tc, utf8_decodes_and_rejects_malformed);
  tcase_add_test(tc, norm_folds_alef_forms);
  tcase_add_test(tc, norm_folds_yeh_kaf_heh_across_arabic_and_sorani);
  tcase_add_test(tc, norm_removes_harakat_and_tatweel);
  tcase_add_test(tc, norm_folds_digits_to_ascii);
  tcase_add_test(tc, norm_joins_at_zwnj_and_strips_bidi);
  tcase_add_test(tc, norm_unpresents_forms_and_lam_alef);
  tcase_add_test(tc, norm_keeps_sorani_letters_apart_in_key);
  tcase_add_test(tc, skeleton_joins_dot_errors);
  tcase_add_test(tc, norm_splits_on_punctuation_lowercases_latin);
  tcase_add_test(tc, strip_bidi_and_ascii_digits);
  tcase_add_test(tc, edit_distance_counts_code_points);
  tcase_add_test(tc, sha256_matches_known_vector);
  tcase_add_test(tc, atomic_write_replaces_and_leaves_no_temp);
  tcase_add_test(tc, json_escapes_controls_and_bad_utf8);
  suite_add_tcase(s, tc);
  sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
