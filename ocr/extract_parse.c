/*
 * extract_parse.c - dates and numbers as forms print them.
 *
 * Digits may be ASCII, Arabic-Indic (U+0660..) or Persian (U+06F0..), and
 * OCR output carries bidi marks around numbers: both are folded before
 * anything else.
 *
 * Dates: three digit groups; the four-digit group (the year) is first
 * (yyyy-mm-dd) or last (dd/mm/yyyy, d/m/yyyy).  Because the year sits at one
 * end and the month in the middle, a date whose groups come out reversed
 * from right-to-left OCR ("1963/05/01" for "01/05/1963") still reads
 * right.  Impossible dates (31/02, month 13, years outside
 * DATE_YEAR_MIN..DATE_YEAR_MAX) are EINVAL.
 *
 * Numbers: ٬ (and the Arabic comma ، that OCR gives for it) and spaces
 * separate thousands; ٫ is the decimal point.  Latin , and . are ambiguous:
 * when both appear the last one is the decimal point; one kind appearing
 * more than once separates thousands; appearing once, it separates
 * thousands when exactly three digits follow ("12.500" is 12500: wages in
 * dinars have no decimals), else it is the decimal point.
 */
#include <string.h>

#include "extract_int.h"

#define DATE_YEAR_MIN 1900
#define DATE_YEAR_MAX 2100
/* Digits a number may have (wages and IDs are far shorter). */
#define NUMBER_MAX_DIGITS 30
/* Separator characters a date may have between two groups (" / "). */
#define DATE_SEP_MAX 3

/* Folds one code point of a number or date: a digit to '0'..'9', bidi and
 * format marks to 0 (dropped), everything else unchanged. */
static uint32_t fold_numeric(uint32_t cp)
{
  if(cp >= 0x660 && cp <= 0x669)
    return '0' + (cp - 0x660);
  if(cp >= 0x6F0 && cp <= 0x6F9)
    return '0' + (cp - 0x6F0);
  if(cp == 0x200E || cp == 0x200F || cp == 0x61C || cp == 0xFEFF ||
     (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
    return 0;
  return cp;
}

static int is_digit(uint32_t cp)
{
  return cp >= '0' && cp <= '9';
}

static int is_space(uint32_t cp)
{
  return cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x202F ||
         cp == 0x2009;
}

static int is_date_sep(uint32_t cp)
{
  return cp == '/' || cp == '-' || cp == '.' || cp == 0x60D /* ؍ */ ||
         cp == '\\' || cp == 0x2010 || cp == 0x2011 || cp == 0x2013 ||
         cp == 0x2044 /* ⁄ */ || cp == 0x2215 /* ∕ */;
}

/* Decodes s into folded code points (marks dropped); at most max kept. */
static size_t fold_all(const char *s, uint32_t *cps, size_t max)
{
  size_t n = strlen(s), i = 0, k = 0, adv;

  while(i < n && k < max) {
    uint32_t cp = fold_numeric(utf8_decode(s + i, n - i, &adv));
    i += adv;
    if(cp)
      cps[k++] = cp;
  }
  return k;
}

static int days_in_month(int y, int m)
{
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

typedef struct digit_group {
  int value;
  int ndigits;
} digit_group;

/* Three groups to a date; EINVAL unless one end group is a plausible year
 * and the whole is a real day. */
static int date_from_groups(const digit_group g[3], char out[11])
{
  int y, m, d;

  if(g[0].ndigits == 4 && g[1].ndigits <= 2 && g[2].ndigits <= 2) {
    y = g[0].value;
    m = g[1].value;
    d = g[2].value;
  }
  else if(g[2].ndigits == 4 && g[0].ndigits <= 2 && g[1].ndigits <= 2) {
    d = g[0].value;
    m = g[1].value;
    y = g[2].value;
  }
  else
    return DAFTAR_EINVAL;
  if(y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
     d > days_in_month(y, m))
    return DAFTAR_EINVAL;
  /* y, m, d are in range here: exactly "YYYY-MM-DD" */
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
  return DAFTAR_OK;
}

/* Reads a digit group at cps[*i]; 0 when there is none or it is too long
 * to be part of a date. */
static int read_group(const uint32_t *cps, size_t n, size_t *i,
                      digit_group *g)
{
  g->value = 0;
  g->ndigits = 0;
  while(*i < n && is_digit(cps[*i])) {
    if(++g->ndigits > 4)
      return 0;
    g->value = g->value * 10 + (int)(cps[*i] - '0');
    (*i)++;
  }
  return g->ndigits > 0;
}

/* Skips a separator between date groups: one date separator, optionally
 * with spaces around it, or spaces alone when allow_space.  0 if none. */
static int skip_date_sep(const uint32_t *cps, size_t n, size_t *i,
                         int allow_space)
{
  size_t j = *i, seps = 0, spaces = 0;

  while(j < n && j - *i < DATE_SEP_MAX &&
        (is_date_sep(cps[j]) || is_space(cps[j]))) {
    if(is_date_sep(cps[j]))
      seps++;
    else
      spaces++;
    j++;
  }
  if(seps > 1 || (seps == 0 && (!allow_space || spaces == 0)))
    return 0;
  *i = j;
  return 1;
}

int ocr_parse_date(const char *s, char out[11])
{
  uint32_t cps[64];
  size_t n, i = 0;
  digit_group g[3];

  if(!s || !out)
    return DAFTAR_EINVAL;
  n = fold_all(s, cps, sizeof(cps) / sizeof(cps[0]));
  while(n > 0 && is_space(cps[n - 1]))
    n--;
  while(i < n && is_space(cps[i]))
    i++;
  for(int k = 0; k < 3; k++) {
    if(k > 0 && !skip_date_sep(cps, n, &i, 0))
      return DAFTAR_EINVAL;
    if(!read_group(cps, n, &i, &g[k]))
      return DAFTAR_EINVAL;
  }
  if(i != n)
    return DAFTAR_EINVAL;
  return date_from_groups(g, out);
}

int extract_find_date(const char *s, char out[11], int *found)
{
  uint32_t cps[256];
  size_t n = fold_all(s, cps, sizeof(cps) / sizeof(cps[0])), start;
  digit_group g[3];

  *found = 0;
  for(start = 0; start < n; start++) {
    size_t i = start;
    int k;
    if(!is_digit(cps[i]) || (start > 0 && is_digit(cps[start - 1])))
      continue;
    for(k = 0; k < 3; k++) {
      if(k > 0 && !skip_date_sep(cps, n, &i, 1))
        break;
      if(!read_group(cps, n, &i, &g[k]))
        break;
    }
    if(k < 3 || (i < n && is_digit(cps[i])))
      continue;
    if(g[0].ndigits != 4 && g[2].ndigits != 4)
      continue;
    *found = 1;
    return date_from_groups(g, out);
  }
  return DAFTAR_OK;
}

int extract_digits_only(const char *s, dbuf *out)
{
  size_t n = strlen(s), i = 0, adv;
  int rc = DAFTAR_OK;

  while(i < n && !rc) {
    uint32_t cp = fold_numeric(utf8_decode(s + i, n - i, &adv));
    i += adv;
    if(is_digit(cp))
      rc = dbuf_putc(out, (char)cp);
  }
  return rc ? rc : dbuf_append(out, "", 0);
}

/* Separator kinds inside a number. */
enum num_sep {
  SEP_THOUSANDS = 1, /* ٬ ، space */
  SEP_DECIMAL,       /* ٫ */
  SEP_COMMA,         /* Latin , (ambiguous) */
  SEP_DOT            /* Latin . (ambiguous) */
};

static int num_sep_kind(uint32_t cp)
{
  switch(cp) {
  case 0x66C: case 0x60C: case ' ': case 0xA0: case 0x202F: case 0x2009:
  case '\'':
    return SEP_THOUSANDS;
  case 0x66B:
    return SEP_DECIMAL;
  case ',':
    return SEP_COMMA;
  case '.':
    return SEP_DOT;
  }
  return 0;
}

#define NUMBER_MAX_GROUPS 16

/* Turns the ambiguous Latin separators into thousands or decimal. */
static void resolve_latin(int *sep, const int *glen, size_t ngroups)
{
  size_t commas = 0, dots = 0, last_latin = 0, i;

  for(i = 1; i < ngroups; i++) {
    if(sep[i] == SEP_COMMA || sep[i] == SEP_DOT) {
      commas += sep[i] == SEP_COMMA;
      dots += sep[i] == SEP_DOT;
      last_latin = i;
    }
  }
  for(i = 1; i < ngroups; i++) {
    int kind = sep[i], count;
    if(kind != SEP_COMMA && kind != SEP_DOT)
      continue;
    count = (int)(kind == SEP_COMMA ? commas : dots);
    if(commas && dots)
      sep[i] = i == last_latin ? SEP_DECIMAL : SEP_THOUSANDS;
    else if(count > 1)
      sep[i] = SEP_THOUSANDS;
    else
      sep[i] = glen[i] == 3 ? SEP_THOUSANDS : SEP_DECIMAL;
  }
}

int ocr_parse_number(const char *s, dbuf *out)
{
  uint32_t cps[128];
  size_t n, i = 0, ngroups = 0, g, total = 0;
  int sep[NUMBER_MAX_GROUPS], glen[NUMBER_MAX_GROUPS];
  size_t gstart[NUMBER_MAX_GROUPS];
  char digits[NUMBER_MAX_DIGITS + 2];
  size_t nd = 0, int_end;
  int rc;

  if(!s || !out)
    return DAFTAR_EINVAL;
  n = fold_all(s, cps, sizeof(cps) / sizeof(cps[0]));
  while(n > 0 && is_space(cps[n - 1]))
    n--;
  while(i < n && is_space(cps[i]))
    i++;
  /* groups of digits, one separator between two groups */
  while(i < n) {
    if(ngroups == NUMBER_MAX_GROUPS)
      return DAFTAR_EINVAL;
    sep[ngroups] = 0;
    if(ngroups > 0) {
      sep[ngroups] = num_sep_kind(cps[i]);
      if(!sep[ngroups])
        return DAFTAR_EINVAL;
      i++;
    }
    gstart[ngroups] = i;
    while(i < n && is_digit(cps[i]))
      i++;
    glen[ngroups] = (int)(i - gstart[ngroups]);
    if(glen[ngroups] == 0)
      return DAFTAR_EINVAL; /* two separators in a row, or a letter */
    total += (size_t)glen[ngroups];
    ngroups++;
  }
  if(ngroups == 0 || total > NUMBER_MAX_DIGITS)
    return DAFTAR_EINVAL;
  resolve_latin(sep, glen, ngroups);
  /* Only the last separator may be decimal; thousands groups have 3. */
  int_end = ngroups;
  for(g = 1; g < ngroups; g++) {
    if(sep[g] == SEP_DECIMAL) {
      if(g != ngroups - 1)
        return DAFTAR_EINVAL;
      int_end = g;
    }
    else if(glen[g] != 3)
      return DAFTAR_EINVAL;
  }
  for(g = 0; g < int_end; g++)
    for(int k = 0; k < glen[g]; k++)
      digits[nd++] = (char)cps[gstart[g] + (size_t)k];
  /* no leading zeros, but keep one digit */
  {
    size_t z = 0;
    while(z + 1 < nd && digits[z] == '0')
      z++;
    memmove(digits, digits + z, nd - z);
    nd -= z;
  }
  if(int_end < ngroups) {
    size_t fs = gstart[int_end], fl = (size_t)glen[int_end];
    while(fl > 0 && cps[fs + fl - 1] == '0') /* 450000.00 is 450000 */
      fl--;
    if(fl > 0) {
      digits[nd++] = '.';
      for(size_t k = 0; k < fl; k++)
        digits[nd++] = (char)cps[fs + k];
    }
  }
  dbuf_reset(out);
  rc = dbuf_append(out, digits, nd);
  return rc;
}

/* ---- dates with month names ------------------------------------------------
 * Letters and older typed forms write "١٢ آذار ١٩٩٠", "5 كانون الثاني 1987"
 * or "٣ی ئازاری ١٩٩٠".  Iraqi (Syriac) month names, the Egyptian/Gulf ones
 * and the Sorani ones are known; matched on normalized keys, one OCR error
 * allowed in names of five letters or more. */

typedef struct month_name {
  int month;
  const char *text;
} month_name;

static const month_name month_names[] = {
  {1, "كانون الثاني"}, {2, "شباط"}, {3, "آذار"}, {4, "نيسان"}, {5, "أيار"},
  {6, "حزيران"}, {7, "تموز"}, {8, "آب"}, {9, "أيلول"}, {10, "تشرين الأول"},
  {11, "تشرين الثاني"}, {12, "كانون الأول"},
  {1, "يناير"}, {2, "فبراير"}, {3, "مارس"}, {4, "أبريل"}, {5, "مايو"},
  {6, "يونيو"}, {6, "يونيه"}, {7, "يوليو"}, {7, "يوليه"}, {8, "أغسطس"},
  {9, "سبتمبر"}, {10, "أكتوبر"}, {11, "نوفمبر"}, {12, "ديسمبر"},
  {1, "کانوونی دووەم"}, {2, "شوبات"}, {3, "ئازار"}, {4, "نیسان"},
  {5, "ئایار"}, {6, "حوزەیران"}, {7, "تەمموز"}, {8, "ئاب"}, {9, "ئەیلوول"},
  {10, "تشرینی یەکەم"}, {11, "تشرینی دووەم"}, {12, "کانوونی یەکەم"},
};

/* Words that may stand between month and year ("سنة", "عام", "ساڵی"). */
static const char *const year_words[] = {"سنة", "لسنة", "عام", "لعام",
                                         "ساڵی"};

#define MONTH_WORDS_MAX 2

/* A day: one or two digits, perhaps with the Sorani ordinal "ی" ("٣ی"). */
static int day_digits(const char *k, size_t *nd)
{
  size_t i = 0;
  while(k[i] >= '0' && k[i] <= '9')
    i++;
  *nd = i;
  return i >= 1 && i <= 2 && (k[i] == '\0' || !strcmp(k + i, "\xD9\x8A"));
}

/* Word w of a normalized month name (words separated by one space). */
static int month_word(const char *key, size_t w, char *out, size_t cap)
{
  const char *p = key, *e;
  size_t len;

  for(; w > 0; w--) {
    p = strchr(p, ' ');
    if(!p)
      return 0;
    p++;
  }
  e = strchr(p, ' ');
  len = e ? (size_t)(e - p) : strlen(p);
  if(len + 1 > cap)
    return 0;
  memcpy(out, p, len);
  out[len] = '\0';
  return 1;
}

/* Does token key k name word `word` of a month?  A trailing Sorani ezafe
 * "ی" (ئازاری) and one error in words of five letters or more pass. */
static int month_word_matches(const char *k, const char *word)
{
  size_t cps = 0, klen = strlen(k), wlen = strlen(word);
  int d;

  for(const char *p = word; *p; p++)
    cps += ((unsigned char)*p & 0xC0) != 0x80;
  if(!strcmp(k, word))
    return 1;
  /* ي is two bytes in UTF-8 (U+064A: D9 8A) */
  if(klen == wlen + 2 && !strncmp(k, word, wlen) &&
     !strcmp(k + wlen, "\xD9\x8A"))
    return 1;
  if(cps < 5)
    return 0;
  d = text_edit_distance(k, word);
  return d >= 0 && d <= 1;
}

static int key_of(const char *text, dbuf *out)
{
  dbuf_reset(out);
  return text_norm_key(text, strlen(text), out);
}

/* Tries month name m at keys[at..]; returns the words it took, or 0. */
static size_t match_month(const char *const *keys, size_t n, size_t at,
                          const char *mkey)
{
  char word[64];
  size_t w;

  for(w = 0; w < MONTH_WORDS_MAX && month_word(mkey, w, word, sizeof(word));
      w++)
    if(at + w >= n || !month_word_matches(keys[at + w], word))
      return 0;
  return w;
}

int extract_month_date(const char *const *keys, size_t n, char out[11],
                       size_t *used, int *found)
{
  dbuf key = DBUF_INIT;
  digit_group g[3];
  size_t nd = 0, at = 1, taken = 0, i;
  int rc = DAFTAR_OK, month = 0;

  *found = 0;
  *used = 0;
  if(n < 3 || !day_digits(keys[0], &nd))
    return DAFTAR_OK;
  for(i = 0; i < sizeof(month_names) / sizeof(month_names[0]); i++) {
    rc = key_of(month_names[i].text, &key);
    if(rc)
      goto out;
    taken = match_month(keys, n, at, key.data);
    if(taken) {
      month = month_names[i].month;
      break;
    }
  }
  if(!month)
    goto out;
  at += taken;
  for(i = 0; at < n && i < sizeof(year_words) / sizeof(year_words[0]); i++) {
    rc = key_of(year_words[i], &key);
    if(rc)
      goto out;
    if(!strcmp(keys[at], key.data)) {
      at++;
      break;
    }
  }
  /* the year: four digits, perhaps with "م" (Gregorian) glued on */
  if(at >= n || strlen(keys[at]) < 4)
    goto out;
  for(i = 0; i < 4; i++)
    if(keys[at][i] < '0' || keys[at][i] > '9')
      goto out;
  if(keys[at][4] != '\0' && strcmp(keys[at] + 4, "\xD9\x85" /* م */))
    goto out;
  g[0].ndigits = (int)nd;
  g[0].value = 0;
  for(i = 0; i < nd; i++)
    g[0].value = g[0].value * 10 + (keys[0][i] - '0');
  g[1].ndigits = 2;
  g[1].value = month;
  g[2].ndigits = 4;
  g[2].value = 0;
  for(i = 0; i < 4; i++)
    g[2].value = g[2].value * 10 + (keys[at][i] - '0');
  *found = 1;
  *used = at + 1;
  rc = date_from_groups(g, out);
out:
  dbuf_free(&key);
  return rc;
}
