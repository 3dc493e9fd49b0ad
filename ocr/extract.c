/*
 * extract.c - worker and employer fields from a recognized layout.
 *
 * Input: a document's words with boxes (master-page pixels), in
 * Tesseract's reading order.  Tesseract's line ids are not trusted to make
 * form lines: a table row is often several blocks (one per cell), and a
 * label with its value may land in two.  So:
 *
 *   1. frame: the direction in which the Arabic words of each Tesseract
 *      line follow one another is the page's reading direction (right to
 *      left when upright); all geometry is done in that upright frame, so
 *      skewed and quarter-turned scans read like upright ones.
 *   2. tokens: each word, with bidi marks removed, is cut at colons and
 *      dotted leaders ("الولادة:١٩٦٣" -> "الولادة" ":" "١٩٦٣"); pieces get a
 *      share of the word's box.
 *   3. lines: tokens of a page whose boxes overlap vertically by at least
 *      LINE_OVERLAP of the smaller height are one line; a line is read right
 *      to left (x descending): that is the logical order of an RTL form,
 *      label first, value after it.  Specks (tiny boxes of scan noise) are
 *      dropped.
 *   4. labels: every run of 1..LABEL_MAX_WORDS tokens is compared with the
 *      label table on normalized keys; an error costs 1, an error that only
 *      moves dots (ب/ن, خ/ح) costs 1/2; one error is allowed per
 *      LABEL_CHARS_PER_ERROR characters, and the label's first and last
 *      words must be there (a colon OCR read between two of them is
 *      passed over).  The best-scoring label wins (length counts,
 *      errors count against), so "رقم الضمان الاجتماعي" is preferred over
 *      "رقم الضمان" and "اسم الأم" over a two-error "اسم العامل".
 *   5. values: the tokens after a label up to the next label on its line,
 *      after a colon (label-colon), a dotted leader (label-leader), a wide
 *      gap (label-cell: the next table cell) or nothing (label-adjacent).  A
 *      value also ends at a second wide gap or a leader.  A label with
 *      nothing after it takes its value from the line below when that line
 *      is close, holds no label and is not a row of its own (label-below).  Then it is parsed
 *      by the field's type: names (cut at a comma, spelled for their
 *      language), dates, numbers and IDs (read from the digit-bearing
 *      tokens, letters that look like Arabic-Indic digits read as digits).
 *   6. prose: tokens that are neither label nor value still yield ID-shaped
 *      numbers (10 digits: worker_ssn, 12: national_id), dates named by a
 *      nearby word (born, started, left) and names after "السيد" and the
 *      like; these are candidates (candidate = 1, low confidence), never
 *      facts.
 *   7. doc_type: a title heading a line, else the form's rows (labels that
 *      begin a line, with or without a value OCR kept, and facts): end_date:
 *      termination, start_date (or birth_date, mother_name rows):
 *      registration, monthly_wage: wage_change; else "other".
 *
 * One fact per name is returned (the more confident when a label appears
 * twice); candidates (distinct values, at most MAX_CANDIDATES) only for
 * names without a fact, after the facts.  A date or number that does not
 * parse is kept as a candidate with its raw text, value NULL and low
 * confidence.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_int.h"

/* A gap wider than this many line heights separates table cells. */
#define CELL_GAP_HEIGHTS 1.5
/* One OCR error tolerated per this many label characters. */
#define LABEL_CHARS_PER_ERROR 5
/* Score of a label match: 2 x characters - ERROR_WEIGHT x half-errors. */
#define ERROR_WEIGHT 4
/* Words a number may follow inside its value ("بالرقم 123"). */
#define VALUE_SKIP_WORDS 2
/* A title must be at least this share of its line's words to type the
 * document (3/5: "تابع" before a four-word title still counts). */
#define HEADING_SHARE_NUM 3
#define HEADING_SHARE_DEN 5
/* Candidates kept per document (prose, unparsed values). */
#define MAX_CANDIDATES 16
/* Tokens a value may have. */
#define VALUE_MAX_TOKENS 12
/* Words of a name after "السيد" in a letter (a name, father's and
 * grandfather's: the usual triple name), and the fewest taken. */
#define PROSE_NAME_WORDS 3
#define PROSE_NAME_MIN_WORDS 2
/* Tokens before a prose date searched for a word that names it. */
#define PROSE_CONTEXT_TOKENS 4
/* Confidence factors. */
#define CONF_UNPARSED 0.3f   /* a date or number that does not parse */
#define CONF_ID_LENGTH 0.6f  /* an ID of unexpected length */
#define CONF_NAME_DIGITS 0.7f /* a person's name with digits in it */
#define CONF_CANDIDATE 0.4f  /* prose candidates */
#define CONF_LOOKALIKE 0.8f  /* letters read as the digits they resemble */
#define CONF_TRUNCATED 0.5f  /* a number in a box made for twice as many */
/* Width of a digit as a share of its box height (Naskh and Latin digits
 * measured on generated forms: 0.45-0.6). */
#define DIGIT_WIDTH_SHARE 0.55
#define CONF_PER_HALF_ERROR 0.05f /* per half-error in the label */
#define CONF_BELOW 0.9f /* a value on the line below its label */
/* The line under a label is its value's line when it begins within this
 * many line heights of the label's line (forms here keep about one line
 * height between rows). */
#define BELOW_GAP_HEIGHTS 1.5
/* Expected lengths of identity numbers. */
#define NATIONAL_ID_DIGITS 12
#define WORKER_SSN_DIGITS 10
#define EMPLOYER_NO_MIN_DIGITS 3
#define EMPLOYER_NO_MAX_DIGITS 15

enum field_type { FT_NAME, FT_PERSON, FT_DATE, FT_NUMBER, FT_ID };

typedef struct match {
  size_t start, end; /* positions in the line */
  const extract_label *label;
  int half_errors;
} match;

/* ---- labels -------------------------------------------------------------- */

static size_t size_diff(size_t a, size_t b)
{
  return a > b ? a - b : b - a;
}

#define AFFIX_MAX_CPS 256

/* Decodes n bytes of s into at most max code points; returns the count,
 * or max + 1 when s has more. */
static size_t decode_cps(const char *s, size_t n, uint32_t *out, size_t max)
{
  size_t i = 0, k = 0, adv;
  while(i < n) {
    if(k == max)
      return max + 1;
    out[k++] = utf8_decode(s + i, n - i, &adv);
    i += adv;
  }
  return k;
}

/* Does the span begin (prefix) or end with something close to word (n
 * bytes, wcps code points)?  Keeps a label from matching text that lacks
 * one of its words ("الضمان الاجتماعي" is not "رقم الضمان الاجتماعي")
 * while a word OCR glued to the next still counts.  The span's first (or
 * last) wcps-1 .. wcps+1 code points may differ from the word by a third of
 * its letters (at least one).  One dynamic-programming table gives the
 * distance to every prefix at once.  1 yes, 0 no. */
static int affix_close_at(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb, int limit);

/* Errors allowed in a label's first or last word: a third of its letters,
 * at least one. */
static int affix_limit(size_t wcps)
{
  return (int)(wcps / 3) > 1 ? (int)(wcps / 3) : 1;
}

static int affix_close(const char *span, size_t span_cps, const char *word,
                       size_t n, int limit, int prefix)
{
  uint32_t a[AFFIX_MAX_CPS], b[AFFIX_MAX_CPS];
  size_t na = decode_cps(span, strlen(span), a, AFFIX_MAX_CPS);
  size_t nb = decode_cps(word, n, b, AFFIX_MAX_CPS), i;

  (void)span_cps;
  if(na > AFFIX_MAX_CPS || nb > AFFIX_MAX_CPS || nb == 0)
    return 1; /* too long to matter here: the whole-label distance decides */
  if(!prefix) { /* a suffix is the prefix of both strings reversed */
    for(i = 0; i < na / 2; i++) {
      uint32_t t = a[i];
      a[i] = a[na - 1 - i];
      a[na - 1 - i] = t;
    }
    for(i = 0; i < nb / 2; i++) {
      uint32_t t = b[i];
      b[i] = b[nb - 1 - i];
      b[nb - 1 - i] = t;
    }
  }
  /* OCR may put junk before the first word ("ڕڕرێکەوتی": a rule or
   * stamp edge read as letters); skipped letters count as errors */
  for(i = 0; prefix && (int)i <= limit && i < na; i++)
    if(affix_close_at(a + i, na - i, b, nb, limit - (int)i))
      return 1;
  return prefix ? 0 : affix_close_at(a, na, b, nb, limit);
}

/* affix_close on decoded code points: does a begin with something within
 * limit edits of b (b's length -limit .. +1)? */
static int affix_close_at(const uint32_t *a, size_t na, const uint32_t *b,
                          size_t nb, int limit)
{
  int row[AFFIX_MAX_CPS + 2], best = -1;
  size_t cols, i, j;

  cols = na < nb + 1 ? na : nb + 1;
  for(j = 0; j <= cols; j++)
    row[j] = (int)j;
  for(i = 1; i <= nb; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for(j = 1; j <= cols; j++) {
      int up = row[j], v = diag + (a[j - 1] != b[i - 1]);
      if(up + 1 < v)
        v = up + 1;
      if(row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      row[j] = v;
      diag = up;
    }
  }
  /* a span that lacks up to `limit` of the word's first letters still
   * counts ("گاداری" for "ئاگاداری": the ئا faded) */
  for(j = nb > (size_t)limit ? nb - (size_t)limit : 1;
      j <= cols && j <= nb + 1; j++)
    if(best < 0 || row[j] < best)
      best = row[j];
  if(best < 0) /* the span is shorter than the word's window */
    best = row[cols];
  return best <= limit;
}

/* Letters after a label's first word that make it distinctive on their
 * own ("المباشرة", "لەدایکبوون"). */
#define LABEL_REST_MIN_CPS 6

/* Does the span end with the label's words after the first, exactly and
 * distinctive enough?  Then the first word may be damaged more ("تار
 * المباشرة": تاريخ cut short): half its letters instead of a third.  The
 * whole-label distance still bounds the errors. */
static int rest_exact(const char *key, const extract_label *lab)
{
  const char *rest = lab->key + lab->first_bytes;
  size_t klen = strlen(key), rlen = strlen(rest), rcps = 0;

  for(const char *p = rest; *p; p++)
    rcps += ((unsigned char)*p & 0xC0) != 0x80;
  return rlen > 0 && rcps > LABEL_REST_MIN_CPS && klen > rlen &&
         !strcmp(key + klen - rlen, rest);
}

/* Half-errors between a span and a label, or -1 when beyond tolerance;
 * -2 on ENOMEM. */
static int label_cost(const char *key, const char *skel, size_t cps,
                      const extract_label *lab)
{
  size_t allowed = lab->key_cps / LABEL_CHARS_PER_ERROR;
  int d, ds, first, last;

  if(size_diff(cps, lab->key_cps) > allowed)
    return -1;
  d = text_edit_distance(key, lab->key);
  if(d < 0)
    return -2;
  if(d == 0)
    return 0;
  if((size_t)d > 2 * allowed)
    return -1;
  ds = text_edit_distance(skel, lab->skel);
  if(ds < 0)
    return -2;
  if((size_t)(d + ds) > 2 * allowed)
    return -1;
  first = affix_close(key, cps, lab->key, lab->first_bytes,
                      affix_limit(lab->first_cps), 1);
  if(!first && rest_exact(key, lab))
    first = affix_close(key, cps, lab->key, lab->first_bytes,
                        (int)(lab->first_cps + 1) / 2, 1);
  last = first && affix_close(key, cps, lab->key + lab->last_off,
                              strlen(lab->key + lab->last_off),
                              affix_limit(lab->last_cps), 0);
  return first && last ? d + ds : -1;
}

/* Appends token t to a span's key and skeleton, a space before it unless
 * it is the first. */
static int span_append(dbuf *key, dbuf *skel, const token *t)
{
  int rc = DAFTAR_OK;

  if(key->len > 0) {
    rc = dbuf_putc(key, ' ');
    if(!rc)
      rc = dbuf_putc(skel, ' ');
  }
  if(!rc)
    rc = dbuf_puts(key, t->key);
  if(!rc)
    rc = dbuf_puts(skel, t->skel);
  return rc;
}

/* The best label starting at position pos of line l, if any. */
static int best_label_at(layout *L, const extract_labels *T, size_t l,
                         size_t pos, match *best, int *found)
{
  dbuf key = DBUF_INIT, skel = DBUF_INIT;
  size_t cps = 0, ntok = L->lines[l].ntok;
  long best_score = 0;
  int rc = DAFTAR_OK;
  unsigned char *start_ok = NULL;
  token *t0 = layout_tok(L, l, pos);

  *found = 0;
  if(t0->kind != TOK_TEXT || !*t0->key)
    return DAFTAR_OK;
  /* Which labels can start here at all: the first word must be close to
   * the start of this token (unless the token is shorter than that word,
   * when OCR may have split it).  Saves most of the edit distances. */
  start_ok = malloc(T->n + 1);
  if(!start_ok)
    return DAFTAR_ENOMEM;
  for(size_t j = 0; j < T->n; j++) {
    const extract_label *lab = &T->v[j];
    int ok = 1;
    if(t0->key_cps + 1 >= lab->first_cps)
      ok = affix_close(t0->key, t0->key_cps, lab->key, lab->first_bytes,
                       (int)(lab->first_cps + 1) / 2, 1);
    start_ok[j] = (unsigned char)ok;
  }
  for(size_t k = 1; k <= LABEL_MAX_WORDS && pos + k <= ntok; k++) {
    token *t = layout_tok(L, l, pos + k - 1);
    /* A colon between a label's words is a speck OCR read there
     * ("ژمارەئ:خاوەنکار", bench-extract seed 11 heavy, 44635/doc-02):
     * passed over when a word follows it. */
    if(t->kind == TOK_COLON && k > 1 && pos + k < ntok &&
       layout_tok(L, l, pos + k)->kind == TOK_TEXT)
      continue;
    if(t->kind != TOK_TEXT || !*t->key)
      break;
    cps += key.len > 0;
    rc = span_append(&key, &skel, t);
    if(rc)
      goto out;
    cps += t->key_cps;
    for(size_t j = 0; j < T->n; j++) {
      const extract_label *lab = &T->v[j];
      int cost;
      long score;
      if(!start_ok[j])
        continue;
      cost = label_cost(key.data, skel.data, cps, lab);
      if(cost == -2) {
        rc = DAFTAR_ENOMEM;
        goto out;
      }
      if(cost < 0)
        continue;
      score = 2 * (long)lab->key_cps - ERROR_WEIGHT * (long)cost;
      if(!*found || score > best_score) {
        *found = 1;
        best_score = score;
        best->start = pos;
        best->end = pos + k;
        best->label = lab;
        best->half_errors = cost;
      }
    }
  }
out:
  free(start_ok);
  dbuf_free(&key);
  dbuf_free(&skel);
  return rc;
}

/* All label matches of line l, left to right in logical order. */
static int find_labels(layout *L, const extract_labels *T, size_t l,
                       match **out, size_t *nout)
{
  size_t ntok = L->lines[l].ntok, pos = 0;
  match *m = NULL;
  int rc = DAFTAR_OK, found;

  *out = NULL;
  *nout = 0;
  m = malloc((ntok + 1) * sizeof(*m));
  if(!m)
    return DAFTAR_ENOMEM;
  while(pos < ntok) {
    rc = best_label_at(L, T, l, pos, &m[*nout], &found);
    if(rc) {
      free(m);
      return rc;
    }
    if(found) {
      for(size_t k = m[*nout].start; k < m[*nout].end; k++)
        layout_tok(L, l, k)->use = USE_LABEL;
      pos = m[*nout].end;
      (*nout)++;
    }
    else
      pos++;
  }
  *out = m;
  return DAFTAR_OK;
}

/* ---- values -------------------------------------------------------------- */

static enum field_type field_type_of(const char *name)
{
  if(!strcmp(name, "birth_date") || !strcmp(name, "start_date") ||
     !strcmp(name, "end_date"))
    return FT_DATE;
  if(!strcmp(name, "monthly_wage"))
    return FT_NUMBER;
  if(!strcmp(name, "national_id") || !strcmp(name, "worker_ssn") ||
     !strcmp(name, "employer_number"))
    return FT_ID;
  if(!strcmp(name, "employer_name"))
    return FT_NAME;
  return FT_PERSON;
}

/* Appends the word characters of s as words separated by one space
 * (punctuation, tatweel and bidi marks dropped). */
static int put_clean_words(dbuf *out, const char *s, int *digits)
{
  size_t n = strlen(s), i = 0, adv;
  int pending = out->len > 0, rc = DAFTAR_OK;

  while(i < n && !rc) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    int keep = text_is_word_char(cp) && cp != 0x640 && cp != 0x200E &&
               cp != 0x200F && cp != 0x61C;
    if(keep) {
      if(pending)
        rc = dbuf_putc(out, ' ');
      pending = 0;
      if(!rc)
        rc = dbuf_append(out, s + i, adv);
      if((cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
         (cp >= 0x6F0 && cp <= 0x6F9))
        *digits = 1;
    }
    else if(cp != 0x640 && out->len > 0)
      pending = 1;
    i += adv;
  }
  return rc;
}

static int has_digit(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if((cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
       (cp >= 0x6F0 && cp <= 0x6F9))
      return 1;
    i += adv;
  }
  return 0;
}

/* Does s hold a letter (a word character that is not a digit)? */
static int has_letter(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(text_is_word_char(cp) && !((cp >= '0' && cp <= '9') ||
                                  (cp >= 0x660 && cp <= 0x669) ||
                                  (cp >= 0x6F0 && cp <= 0x6F9)))
      return 1;
    i += adv;
  }
  return 0;
}

/* Appends the digits and number separators of s (letters, currency and
 * surrounding punctuation dropped). */
static int put_numeric(dbuf *out, const char *s)
{
  size_t n = strlen(s), i = 0, adv, start = out->len;
  int rc = DAFTAR_OK;

  while(i < n && !rc) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    int digit = (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
                (cp >= 0x6F0 && cp <= 0x6F9);
    int sep = cp == ',' || cp == '.' || cp == 0x66B || cp == 0x66C ||
              cp == 0x60C;
    if(digit || (sep && out->len > start))
      rc = dbuf_append(out, s + i, adv);
    i += adv;
  }
  /* a trailing separator ("450,000.") is punctuation */
  while(!rc && out->len > start) {
    unsigned char c = (unsigned char)out->data[out->len - 1];
    if(c == ',' || c == '.')
      out->len--;
    else if(out->len - start >= 2 &&
            ((unsigned char)out->data[out->len - 2] == 0xD9 &&
             (c == 0xAB || c == 0xAC))) /* ٫ ٬ */
      out->len -= 2;
    else if(out->len - start >= 2 &&
            (unsigned char)out->data[out->len - 2] == 0xD8 && c == 0x8C)
      out->len -= 2; /* ، */
    else
      break;
  }
  if(!rc && out->data)
    out->data[out->len] = '\0';
  return rc;
}

/* put_numeric() for each space-separated word of s that has a digit,
 * one space between them. */
static int put_numeric_words(dbuf *out, const char *s)
{
  int rc = DAFTAR_OK;

  while(*s && !rc) {
    const char *sp = strchr(s, ' ');
    size_t len = sp ? (size_t)(sp - s) : strlen(s);
    char *word = strndup(s, len);
    if(!word)
      return DAFTAR_ENOMEM;
    if(has_digit(word)) {
      if(out->len > 0)
        rc = dbuf_putc(out, ' ');
      if(!rc)
        rc = put_numeric(out, word);
    }
    free(word);
    s += len;
    while(*s == ' ')
      s++;
  }
  return rc;
}

static int expected_id_length(const char *name, size_t len)
{
  if(!strcmp(name, "national_id"))
    return len == NATIONAL_ID_DIGITS;
  if(!strcmp(name, "worker_ssn"))
    return len == WORKER_SSN_DIGITS;
  return len >= EMPLOYER_NO_MIN_DIGITS && len <= EMPLOYER_NO_MAX_DIGITS;
}

/* Code points of a name handled by put_spelled (longer names are written
 * letter by letter without the look-around rules). */
#define SPELL_MAX_CPS 512

/* Sorani vowel letters an h (ه) may stand next to and ە never does: two
 * vowels do not meet in Sorani spelling (ەا, ەۆ, ەێ, ەە do not occur). */
static int sorani_vowel(uint32_t cp)
{
  return cp == 0x627 || cp == 0x6C6 || cp == 0x6CE || cp == 0x6D5;
}

/* Is the ه at cps[i] (neither first nor last of its word, no ZWNJ after
 * it) the vowel ە?  The OCR model has no ە of its own and often writes it
 * as a bare ه; an h is a consonant, so it stands next to a vowel: after
 * ا ۆ ێ ە (بەهار, شاهۆ) or before one (فەرهاد, دهۆک, هێمن).  A ە is the
 * vowel between consonants (ڕەوەند, پەروین, چاپخانەی).  In "هه" one of
 * the two is the vowel: the second decides (سەرهەنگ: h then ە; بەهار:
 * ە then h). */
static int sorani_heh_is_e(const uint32_t *cps, size_t n, size_t i)
{
  uint32_t prev = cps[i - 1], next = cps[i + 1];

  if(sorani_vowel(prev))
    return 0;
  if(sorani_vowel(next))
    return 0;
  if(next == 0x647) { /* the next ه: an h there makes this one the vowel */
    if(i + 2 >= n || !text_is_word_char(cps[i + 2]) || cps[i + 2] == 0x200C)
      return 0; /* the next is a final ە */
    return !sorani_heh_is_e(cps, n, i + 1);
  }
  return 1;
}

/* Arabic names that end in ي (a final ی the model writes without dots
 * could be ى or ي; most names are written with ى only when in this list's
 * complement: مصطفى, موسى, ليلى, هدى ...).  Matched on the word with ي. */
static const char *const names_final_yeh[] = {
  "علي", "مهدي", "هادي", "فادي", "ناجي", "سامي", "رامي", "شادي", "حمدي",
  "مجدي", "لطفي", "فتحي", "صبري", "زكي", "تقي", "نقي", "ولي", "راضي",
  "هاني", "غازي", "قاضي", "عوني", "خيري", "حسني", "رمزي", "بدري", "فوزي",
  "صفي", "وصفي", "حلمي", "شوقي", "رشدي", "عدي", "قصي", "لؤي", "نهي",
  "ماضي", "مرعي", "ساري", "باقي", "جودي", "تركي", "مكي", "كاظمي", "راعي",
};

/* Arabic names written with a final ى (alef maqsura), which the model may
 * read as ي: مصطفي for مصطفى on clean Amiri forms.  Matched on the word
 * with ى. */
static const char *const names_final_alef[] = {
  "مصطفى", "موسى", "عيسى", "يحيى", "مرتضى", "مجتبى", "هدى", "منى", "ليلى",
  "سلمى", "بشرى", "يسرى", "سلوى", "نجوى", "لبنى", "ضحى", "ذكرى", "رؤى",
};

/* 1 when word w[0..n), its last letter made last (ی and ک read as ي and
 * ك), is in list. */
static int final_letter_names(const uint32_t *w, size_t n, uint32_t last,
                              const char *const *list, size_t nlist)
{
  char buf[4 * 32], enc[4];
  size_t len = 0;

  if(n > 31)
    return 0;
  for(size_t i = 0; i < n; i++) {
    uint32_t cp = i + 1 == n ? last : w[i];
    if(cp == 0x6CC)
      cp = 0x64A;
    else if(cp == 0x6A9)
      cp = 0x643;
    size_t k = utf8_encode(cp, enc);
    memcpy(buf + len, enc, k);
    len += k;
  }
  buf[len] = '\0';
  for(size_t i = 0; i < nlist; i++)
    if(!strcmp(buf, list[i]))
      return 1;
  return 0;
}

/* Should the final dotless ی of word w[0..n) (Arabic) be ي rather than
 * ى?  Known names ending in ي, and nisba adjectives: a family name with
 * the article (البغدادي, الحسيني) ends in ي. */
static int arabic_final_is_yeh(const uint32_t *w, size_t n)
{
  if(n >= 4 && w[0] == 0x627 && w[1] == 0x644)
    return 1;
  return final_letter_names(w, n, 0x64A, names_final_yeh,
                            sizeof(names_final_yeh) / sizeof(names_final_yeh[0]));
}

/* Writes a name in the spelling of its language.  The Arabic-script OCR
 * model mixes the two: in Sorani it writes ە as ه + ZWNJ or as a bare ه
 * (at the end of a word, and between consonants: sorani_heh_is_e), ی as
 * ي, ک as ك, ه as ھ (a ھ stays an h) and ێ as the Pashto ټ or ې (Sorani
 * has neither); in Arabic it writes ي as ی, with
 * a final dotless ی for ى (or for ي that lost its dots: known names and
 * nisba family names get ي).  Stray ZWNJs are dropped. */
static int put_spelled(dbuf *out, const char *s, int sorani)
{
  uint32_t cps[SPELL_MAX_CPS];
  unsigned char doachashmee[SPELL_MAX_CPS];
  size_t n = strlen(s), i = 0, adv, ncp = 0, word = 0;
  int rc = DAFTAR_OK;
  char enc[4];

  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    i += adv;
    if(ncp == SPELL_MAX_CPS)
      return dbuf_puts(out, s); /* not a name: left as it is */
    doachashmee[ncp] = cp == 0x6BE;
    if(cp == 0x6BE || cp == 0x6C1)
      cp = 0x647; /* ھ, ہ (Urdu heh goal: "الشہري") -> ه */
    cps[ncp++] = cp;
  }
  for(i = 0; i < ncp && !rc; i++) {
    uint32_t cp = cps[i], next = i + 1 < ncp ? cps[i + 1] : 0;
    int final = i + 1 >= ncp || !text_is_word_char(next) || next == 0x200C;
    if(i == 0 || !text_is_word_char(cps[i - 1]))
      word = i;
    if(cp == 0x200C)
      continue;
    if(sorani) {
      if(cp == 0x647 && !doachashmee[i] && next == 0x200C)
        cp = 0x6D5; /* ه‌ -> ە */
      else if(cp == 0x647 && !doachashmee[i] && final && i > word)
        cp = 0x6D5; /* Sorani ends words in ە; a final h is rare */
      else if(cp == 0x647 && !doachashmee[i] && i > word &&
              sorani_heh_is_e(cps, ncp, i))
        cp = 0x6D5;
      else if(cp == 0x64A || cp == 0x649 || cp == 0x6CD)
        cp = 0x6CC; /* ي ى ۍ -> ی */
      else if(cp == 0x67C || cp == 0x6D0)
        cp = 0x6CE; /* ټ ې (Pashto; "ڕټبوار", "پټشەوا") -> ێ */
      else if(cp == 0x643)
        cp = 0x6A9;
      else if(cp == 0x629)
        cp = 0x6D5;
    }
    else {
      if(cp == 0x6CC)
        cp = !final                                     ? 0x64A
             : arabic_final_is_yeh(cps + word, i + 1 - word) ? 0x64A
                                                         : 0x649;
      else if(cp == 0x649 && final &&
              arabic_final_is_yeh(cps + word, i + 1 - word))
        cp = 0x64A; /* علي read as على */
      else if(cp == 0x64A && final &&
              final_letter_names(cps + word, i + 1 - word, 0x649,
                                 names_final_alef,
                                 sizeof(names_final_alef) /
                                     sizeof(names_final_alef[0])))
        cp = 0x649; /* مصطفى read as مصطفي */
      else if(cp == 0x6A9)
        cp = 0x643;
    }
    rc = dbuf_append(out, enc, utf8_encode(cp, enc));
  }
  return rc ? rc : dbuf_append(out, "", 0);
}

/* The digit a letter stands for when OCR misreads an Arabic-Indic or
 * Persian digit inside a number (٧ as V, ٨ as Λ or A, ٥ as o or ه, ١ as
 * l, | or ا), or -1. */
static int lookalike_digit(uint32_t cp)
{
  switch(cp) {
  case 'V': case 'v':
    return 7;
  case 'A': case 0x39B: case 0x2227:
    return 8;
  case 'o': case 'O': case 0x647:
    return 5;
  case 'l': case 'I': case '|': case '!': case 0x627:
    return 1;
  }
  return -1;
}

/* Appends s, with look-alike letters read as the digits they stand for
 * when s is a number with at most one of them per two digits and no other
 * letter; *mapped is set when that happened. */
static int put_lookalikes(dbuf *out, const char *s, int *mapped)
{
  size_t n = strlen(s), i = 0, adv, digits = 0, alike = 0, letters = 0;
  int rc = DAFTAR_OK;

  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if((cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
       (cp >= 0x6F0 && cp <= 0x6F9))
      digits++;
    else if(lookalike_digit(cp) >= 0)
      alike++;
    else if(text_is_word_char(cp))
      letters++;
    i += adv;
  }
  if(alike == 0 || letters > 0 || digits < 2 || 2 * alike > digits)
    return dbuf_puts(out, s);
  for(i = 0; i < n && !rc;) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    int dgt = lookalike_digit(cp);
    rc = dgt >= 0 ? dbuf_putc(out, (char)('0' + dgt))
                  : dbuf_append(out, s + i, adv);
    i += adv;
  }
  *mapped = 1;
  return rc;
}

#define MONTH_DATE_TOKENS 6

/* A date with a month name at the start of v[0..nv): *used tokens. */
static int month_date_tokens(token **v, size_t nv, char out[11],
                             size_t *used, int *found)
{
  const char *keys[MONTH_DATE_TOKENS];
  size_t n = 0;

  while(n < nv && n < MONTH_DATE_TOKENS) {
    keys[n] = v[n]->key;
    n++;
  }
  return extract_month_date(keys, n, out, used, found);
}

/* Do the value's boxes hold far more than its text?  A digit is about
 * DIGIT_WIDTH_SHARE of the box height wide; when the boxes are wide enough
 * for twice the characters read, OCR most likely lost some ("5" read from
 * a ten-digit box). */
static int looks_truncated(token **v, size_t nv)
{
  long width = 0, chars = 0, height = 0;

  for(size_t i = 0; i < nv; i++) {
    const char *p = v[i]->text;
    width += v[i]->g.x1 - v[i]->g.x0;
    if(layout_box_height(&v[i]->g) > height)
      height = layout_box_height(&v[i]->g);
    for(; *p; p++)
      chars += ((unsigned char)*p & 0xC0) != 0x80;
  }
  return height > 0 &&
         (double)width > 2.0 * (double)chars * DIGIT_WIDTH_SHARE *
                             (double)height;
}

/* A field under construction. */
typedef struct draft {
  daftar_field f;
  int ok; /* 1: a field was made */
} draft;

static void draft_clear(draft *d)
{
  free(d->f.value);
  free(d->f.raw);
  memset(d, 0, sizeof(*d));
}

/* How a value was read: the normalized text (empty: none), the factor it
 * puts on the confidence, and whether it is only a candidate. */
typedef struct reading {
  dbuf val;
  float factor;
  int candidate;
  int keep; /* 0: nothing worth a field */
} reading;

static int read_name(token **v, size_t nv, int person, int sorani,
                     reading *r)
{
  dbuf words = DBUF_INIT;
  int rc = DAFTAR_OK, digits = 0, hint;

  for(size_t i = 0; i < nv && !rc; i++)
    rc = put_clean_words(&words, v[i]->text, &digits);
  if(!rc && words.len > 0) {
    hint = layout_lang_hint(words.data);
    rc = put_spelled(&r->val, words.data, hint >= 0 ? hint : sorani);
  }
  r->keep = !rc && r->val.len > 0;
  if(digits && person)
    r->factor *= CONF_NAME_DIGITS;
  dbuf_free(&words);
  return rc;
}

/* num: the value's text left to right; a month-name date, when found,
 * comes in (month_rc, date). */
static int read_date(const char *num, int month_found, int month_rc,
                     const char date_in[11], reading *r)
{
  char date[11];
  int rc, found;

  if(month_found) {
    rc = month_rc;
    found = 1;
    memcpy(date, date_in, sizeof(date));
  }
  else
    rc = extract_find_date(num, date, &found);
  if(rc == DAFTAR_OK && found) {
    r->keep = 1;
    return dbuf_puts(&r->val, date);
  }
  if(rc == DAFTAR_EINVAL || has_digit(num)) {
    /* impossible or garbled: raw kept, no value */
    r->keep = 1;
    r->candidate = 1;
    r->factor *= CONF_UNPARSED;
  }
  return DAFTAR_OK;
}

static int read_number(const char *num, reading *r)
{
  dbuf digits = DBUF_INIT;
  int rc = put_numeric_words(&digits, num);

  if(!rc && digits.len > 0) {
    r->keep = 1;
    if(ocr_parse_number(digits.data, &r->val) != DAFTAR_OK) {
      dbuf_reset(&r->val);
      r->candidate = 1;
      r->factor *= CONF_UNPARSED;
    }
  }
  dbuf_free(&digits);
  return rc;
}

static int read_id(const char *name, const char *num, reading *r)
{
  int rc = extract_digits_only(num, &r->val);

  r->keep = !rc && r->val.len > 0;
  if(r->keep && !expected_id_length(name, r->val.len))
    r->factor *= CONF_ID_LENGTH;
  return rc;
}

/* Numbers, dates and IDs are read from the tokens left to right, with
 * look-alike letters read as digits; out gets that text. */
static int numeric_text(token **v, size_t nv, dbuf *out, reading *r)
{
  int rc = DAFTAR_OK, mapped = 0;

  for(size_t i = nv; i-- > 0 && !rc;) {
    if(i + 1 < nv)
      rc = dbuf_putc(out, ' ');
    if(!rc)
      rc = put_lookalikes(out, v[i]->text, &mapped);
  }
  if(mapped)
    r->factor *= CONF_LOOKALIKE;
  if(looks_truncated(v, nv))
    r->factor *= CONF_TRUNCATED;
  return rc ? rc : dbuf_append(out, "", 0);
}

/* Parses the value tokens v[0..nv) (reading order) for field name into d
 * (d->ok = 0 when they hold nothing for it). */
static int parse_value(const char *name, token **v, size_t nv, int sorani,
                       draft *d)
{
  enum field_type type = field_type_of(name);
  int words = type == FT_NAME || type == FT_PERSON;
  reading r = {DBUF_INIT, 1.0f, 0, 0};
  dbuf raw = DBUF_INIT, num = DBUF_INIT;
  float conf = 0;
  char date[11] = "";
  size_t month_used = 0;
  int rc = DAFTAR_OK, month_found = 0, month_rc = DAFTAR_OK;

  memset(d, 0, sizeof(*d));
  snprintf(d->f.name, sizeof(d->f.name), "%s", name);
  d->f.page = v[0]->page;
  d->f.box = v[0]->box;
  if(type == FT_DATE)
    month_rc = month_date_tokens(v, nv, date, &month_used, &month_found);
  /* raw follows the page: numbers run left to right inside RTL text,
   * words (names, a month's name) are in reading order */
  for(size_t i = 0; i < nv && !rc; i++) {
    token *t = words || month_found ? v[i] : v[nv - 1 - i];
    conf += t->conf;
    d->f.box = daftar_box_union(d->f.box, t->box);
    if(i > 0)
      rc = dbuf_putc(&raw, ' ');
    if(!rc)
      rc = dbuf_puts(&raw, t->text);
  }
  if(!rc && !words)
    rc = numeric_text(v, nv, &num, &r);
  if(rc)
    goto out;
  switch(type) {
  case FT_NAME:
  case FT_PERSON:
    rc = read_name(v, nv, type == FT_PERSON, sorani, &r);
    break;
  case FT_DATE:
    rc = read_date(num.data, month_found, month_rc, date, &r);
    break;
  case FT_NUMBER:
    rc = read_number(num.data, &r);
    break;
  case FT_ID:
    rc = read_id(name, num.data, &r);
    break;
  }
  if(rc || !r.keep)
    goto out;
  d->f.confidence = conf / (float)nv * r.factor;
  d->f.candidate = r.candidate;
  d->f.raw = dbuf_take(&raw);
  d->f.value = r.val.len > 0 ? dbuf_take(&r.val) : NULL;
  if(!d->f.raw) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  d->ok = 1;
out:
  dbuf_free(&raw);
  dbuf_free(&num);
  dbuf_free(&r.val);
  if(rc)
    draft_clear(d);
  return rc;
}

/* Is s only Arabic-Indic or Persian zeros (and dots)?  Those zeros are
 * dots, and OCR reads the dots of a leader as them ("٠٠٠" before a
 * value); between a label and its value they are never the value. */
static int is_dot_zeros(const char *s)
{
  size_t n = strlen(s), i = 0, adv, zeros = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(cp == 0x660 || cp == 0x6F0)
      zeros++;
    else if(cp != '.')
      return 0;
    i += adv;
  }
  return zeros > 0;
}

/* Does a token consist of leader characters only? */
static int is_leader_text(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  if(n == 0)
    return 0;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(!layout_is_leader_char(cp) && !layout_is_colon(cp))
      return 0;
    i += adv;
  }
  return 1;
}

/* Is s made only of punctuation that may sit between the digit groups of
 * a number or date ("/", ",", "-")? */
static int is_numeric_punct(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  if(n == 0)
    return 0;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(!(cp == '/' || cp == '-' || cp == '.' || cp == ',' || cp == 0x60D ||
         cp == 0x66B || cp == 0x66C || cp == 0x60C || cp == '\\'))
      return 0;
    i += adv;
  }
  return 1;
}

/* Does the word end a phrase (a comma or full stop after it)? */
static int ends_phrase(const char *s)
{
  size_t n = strlen(s), i = 0, adv;
  uint32_t cp = 0;
  while(i < n) {
    uint32_t c = utf8_decode(s + i, n - i, &adv);
    if(c != 0x200E && c != 0x200F)
      cp = c;
    i += adv;
  }
  return cp == 0x60C || cp == ',' || cp == '.' || cp == 0x61B || cp == ';' ||
         cp == 0x6D4 || cp == '!' || cp == 0x61F || cp == '?';
}

/* Keeps the part of the value tokens v[0..nv) that the field's type can
 * use: for numbers and dates the run of digit groups (after at most
 * VALUE_SKIP_WORDS words such as "بالرقم"), for names the words up to the
 * end of the phrase.  Returns the new count (v is shifted). */
/* No Arabic letter and at most two letters of another script, whatever
 * marks with them: specks OCR read as a Latin letter ("ı⁄٨", confidence
 * 0). */
static int short_junk(const char *s)
{
  size_t n = strlen(s), i = 0, adv, letters = 0;

  if(layout_has_arabic_letter(s))
    return 0;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    letters += text_is_word_char(cp) && !(cp >= '0' && cp <= '9') &&
               !(cp >= 0x660 && cp <= 0x669) && !(cp >= 0x6F0 && cp <= 0x6F9);
    i += adv;
  }
  return letters <= 2;
}

/* Does a token of v[from..nv) hold an Arabic letter? */
static int arabic_after(token **v, size_t from, size_t nv)
{
  for(; from < nv; from++)
    if(layout_has_arabic_letter(v[from]->text))
      return 1;
  return 0;
}

static size_t narrow_value(const char *name, token **v, size_t nv)
{
  enum field_type type = field_type_of(name);
  size_t first = 0, end;

  if(type == FT_NAME || type == FT_PERSON) {
    /* Leader dots read as zeros and glued to a comma ("٠٠،") stand
     * before the name, not in it (06759/doc-02, seed 23, clean); so do
     * specks read as a Latin letter or a digit before an Arabic name
     * ("ı ٨ کۆمپانیای زاگرۆس", 22396/doc-02, seed 13 heavy). */
    while(first < nv && (!has_letter(v[first]->text) ||
                         (short_junk(v[first]->text) &&
                          arabic_after(v, first + 1, nv))))
      first++;
    for(end = first; end < nv; end++)
      if(ends_phrase(v[end]->text)) {
        end++;
        break;
      }
    /* nor is a speck glued to a letter after it ("مطعم الواحة ك5",
     * 41795/doc-02, seed 5 heavy), nor, after a person's name (which has
     * no digits), specks read as digits ("كاظم سعد ٠۰", 22385/doc-01,
     * seed 13 heavy) */
    while(end > first + 1 &&
          ((has_digit(v[end - 1]->text) && has_letter(v[end - 1]->text) &&
            utf8_count(v[end - 1]->text) <= 3) ||
           (type == FT_PERSON && !has_letter(v[end - 1]->text))))
      end--;
    memmove(v, v + first, (end - first) * sizeof(*v));
    return end - first;
  }
  while(first < nv && first <= VALUE_SKIP_WORDS && !has_digit(v[first]->text))
    first++;
  if(first >= nv || !has_digit(v[first]->text))
    return 0;
  if(type == FT_DATE) {
    char date[11];
    size_t used = 0;
    int found = 0;
    month_date_tokens(v + first, nv - first, date, &used, &found);
    if(found) {
      memmove(v, v + first, used * sizeof(*v));
      return used;
    }
  }
  for(end = first; end < nv; end++)
    if(!has_digit(v[end]->text) && !is_numeric_punct(v[end]->text))
      break;
  while(end > first && !has_digit(v[end - 1]->text))
    end--;
  memmove(v, v + first, (end - first) * sizeof(*v));
  return end - first;
}

/* Where a value is looked for: line vl from position pos up to stop;
 * below = 1 when that is the line under the label's. */
typedef struct value_span {
  size_t vl, pos, stop;
  int below;
} value_span;

/* The value of label match m (line l) in span S. */
static int take_value(layout *L, size_t l, const match *m,
                      const value_span *S, draft *d)
{
  token *v[VALUE_MAX_TOKENS];
  size_t nv = 0, pos = S->pos, stop = S->stop, vl = S->vl;
  int colon = 0, leader = 0, label_left = INT32_MAX, rc, lang;
  double cell_gap = CELL_GAP_HEIGHTS * L->lines[vl].height;
  const char *rule;

  memset(d, 0, sizeof(*d));
  for(size_t k = m->start; k < m->end; k++)
    if(layout_tok(L, l, k)->g.x0 < label_left)
      label_left = layout_tok(L, l, k)->g.x0;
  /* colon, leader and garbage between label and value */
  for(; pos < stop; pos++) {
    token *t = layout_tok(L, vl, pos);
    if(t->kind == TOK_COLON)
      colon = 1;
    else if(t->kind == TOK_LEADER || (!*t->key && is_leader_text(t->text)) ||
            is_dot_zeros(t->text))
      leader = 1;
    else if(*t->key && t->use == USE_NONE)
      break;
    else if(*t->key)
      return DAFTAR_OK; /* taken already (a value below two labels) */
    t->use = USE_VALUE;
  }
  if(pos == stop)
    return DAFTAR_OK;
  for(; pos < stop && nv < VALUE_MAX_TOKENS; pos++) {
    token *t = layout_tok(L, vl, pos);
    if(t->kind != TOK_TEXT || t->use != USE_NONE)
      break; /* a leader after a value starts something else */
    if(nv > 0 && v[nv - 1]->g.x0 - t->g.x1 > cell_gap)
      break; /* the next table cell */
    v[nv++] = t;
  }
  if(nv == 0)
    return DAFTAR_OK;
  if(S->below)
    rule = "label-below";
  else if(leader)
    rule = "label-leader";
  else if(colon)
    rule = "label-colon";
  else if(label_left - v[0]->g.x1 > cell_gap)
    rule = "label-cell";
  else
    rule = "label-adjacent";
  if(S->below) {
    /* a line under a label holds nothing but the value: words skipped
     * before a number, or digits in a name, are another row's */
    token *first = v[0];
    int words = field_type_of(m->label->name) == FT_NAME ||
                field_type_of(m->label->name) == FT_PERSON;
    for(size_t k = 0; k < nv && words; k++)
      if(has_digit(v[k]->text))
        return DAFTAR_OK;
    nv = narrow_value(m->label->name, v, nv);
    if(nv == 0 || v[0] != first)
      return DAFTAR_OK;
  }
  else
    nv = narrow_value(m->label->name, v, nv);
  if(nv == 0)
    return DAFTAR_OK;
  /* the value's language: its own letters, else its label's, else the
   * document's */
  lang = m->label->sorani >= 0 ? m->label->sorani : L->sorani;
  rc = parse_value(m->label->name, v, nv, lang, d);
  if(rc || !d->ok)
    return rc;
  for(size_t k = 0; k < nv; k++)
    v[k]->use = USE_VALUE;
  snprintf(d->f.rule, sizeof(d->f.rule), "%s", rule);
  d->f.confidence *= 1.0f - CONF_PER_HALF_ERROR * (float)m->half_errors;
  if(S->below)
    d->f.confidence *= CONF_BELOW;
  return DAFTAR_OK;
}

/* Is the token like a label's first word (one error per four letters)?  A row whose label OCR garbled past recognition is not the
 * value of the row above. */
static int looks_like_label_word(const extract_labels *T, const token *t)
{
  for(size_t j = 0; j < T->n; j++) {
    const extract_label *lab = &T->v[j];
    char *first;
    int d, limit = (int)(lab->first_cps / 4); /* "باسم" is not "اسم" */
    if(lab->kind != LABEL_FIELD ||
       size_diff(t->key_cps, lab->first_cps) > (size_t)limit)
      continue;
    first = strndup(lab->key, lab->first_bytes);
    if(!first)
      return 1; /* out of memory: the cautious answer */
    d = text_edit_distance(t->key, first);
    free(first);
    if(d >= 0 && d <= limit)
      return 1;
  }
  return 0;
}

/* Median top and bottom of a line's kept tokens (specks and second
 * readings are out of the line's range by now). */
/* Tokens of a line sampled for its median top and bottom (a form line
 * has a few dozen at most; a longer one is sampled from its right end). */
#define EDGE_SAMPLE_TOKENS 64

static long line_edge(layout *L, size_t l, int bottom)
{
  long v[EDGE_SAMPLE_TOKENS];
  size_t n = 0;

  for(size_t k = 0; k < L->lines[l].ntok && n < sizeof(v) / sizeof(v[0]);
      k++) {
    const token *t = layout_tok(L, l, k);
    long x = bottom ? t->g.y1 : t->g.y0;
    size_t i = n++;
    while(i > 0 && v[i - 1] > x) { /* insertion sort: lines are short */
      v[i] = v[i - 1];
      i--;
    }
    v[i] = x;
  }
  return n ? v[n / 2] : 0;
}

static long line_top(layout *L, size_t l) { return line_edge(L, l, 0); }
static long line_bottom(layout *L, size_t l) { return line_edge(L, l, 1); }

/* The span under label m of line l when the value is written on the next
 * line: that line is on the same page, close below (BELOW_GAP_HEIGHTS),
 * holds no label and does not start like one; the value starts at its
 * first unused word under the label or left of it (not right of the
 * label: another column).  0 when there is none. */
static int span_below(layout *L, const extract_labels *T, size_t l,
                      const match *m, size_t nm_below, value_span *S)
{
  size_t vl = l + 1;
  const xline *a = &L->lines[l], *b;
  long a_y1, b_y0;
  int label_right = INT32_MIN, label_left = INT32_MAX;
  double gap;

  if(vl >= L->nlines || nm_below > 0)
    return 0;
  b = &L->lines[vl];
  if(b->page != a->page || b->ntok == 0 || a->ntok == 0)
    return 0;
  a_y1 = line_bottom(L, l);
  b_y0 = line_top(L, vl);
  if((double)(b_y0 - a_y1) > BELOW_GAP_HEIGHTS * a->height)
    return 0;
  for(size_t k = m->start; k < m->end; k++) {
    const token *t = layout_tok(L, l, k);
    if(t->g.x1 > label_right)
      label_right = t->g.x1;
    if(t->g.x0 < label_left)
      label_left = t->g.x0;
  }
  gap = CELL_GAP_HEIGHTS * b->height;
  for(size_t pos = 0; pos < b->ntok; pos++) {
    const token *t = layout_tok(L, vl, pos);
    if(t->kind != TOK_TEXT)
      return 0; /* "label: value" or a leader: a row of its own */
    if(pos == 0 && looks_like_label_word(T, t))
      return 0;
  }
  for(size_t pos = 0; pos < b->ntok; pos++) {
    token *t = layout_tok(L, vl, pos);
    if(t->g.x0 > label_right)
      continue; /* right of the label: another column */
    if((double)t->g.x1 < (double)label_left - gap)
      return 0; /* nothing under the label */
    S->vl = vl;
    S->pos = pos;
    S->stop = b->ntok;
    S->below = 1;
    return 1;
  }
  return 0;
}

/* ---- choosing -------------------------------------------------------------- */

typedef struct picks {
  draft best[DAFTAR_NFIELD_NAMES]; /* the fact of each name */
  draft cand[MAX_CANDIDATES];      /* candidates, distinct (name, value) */
  size_t ncand;
  char doc_type[16];
  int title_cost; /* half-errors of the title found; -1: none */
  /* field labels that begin a form line (a form's own rows, whether or
   * not OCR kept their values) */
  unsigned char form_label[DAFTAR_NFIELD_NAMES];
} picks;

static const char *const field_names[] = {DAFTAR_FIELD_NAMES};

/* Document types are short fixed words; a longer name is cut, not
 * overflowed. */
static void set_doc_type(picks *P, const char *t)
{
  size_t n = strlen(t);
  if(n >= sizeof(P->doc_type))
    n = sizeof(P->doc_type) - 1;
  memcpy(P->doc_type, t, n);
  P->doc_type[n] = '\0';
}

static int field_index(const char *name)
{
  for(int i = 0; i < DAFTAR_NFIELD_NAMES; i++)
    if(!strcmp(name, field_names[i]))
      return i;
  return -1;
}

static int same_value(const char *a, const char *b)
{
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Keeps a candidate unless the same name and value is held already (then
 * the more confident stays) or the list is full (then the least confident
 * goes).  Takes ownership of d. */
static void offer_candidate(picks *P, draft *d)
{
  size_t i, weakest = 0;

  for(i = 0; i < P->ncand; i++) {
    draft *c = &P->cand[i];
    if(!strcmp(c->f.name, d->f.name) && same_value(c->f.value, d->f.value)) {
      if(d->f.confidence > c->f.confidence) {
        draft_clear(c);
        *c = *d;
        memset(d, 0, sizeof(*d));
      }
      draft_clear(d);
      return;
    }
    if(c->f.confidence < P->cand[weakest].f.confidence)
      weakest = i;
  }
  if(P->ncand < MAX_CANDIDATES) {
    P->cand[P->ncand++] = *d;
    memset(d, 0, sizeof(*d));
    return;
  }
  if(d->f.confidence > P->cand[weakest].f.confidence) {
    draft_clear(&P->cand[weakest]);
    P->cand[weakest] = *d;
    memset(d, 0, sizeof(*d));
    return;
  }
  draft_clear(d);
}

/* Keeps d if it beats the fact held for its name (more confident), or as
 * a candidate; takes ownership either way. */
static void offer(picks *P, draft *d)
{
  int i = field_index(d->f.name);
  draft *held;

  if(i < 0 || !d->ok) {
    draft_clear(d);
    return;
  }
  if(d->f.candidate) {
    offer_candidate(P, d);
    return;
  }
  held = &P->best[i];
  if(!held->ok || d->f.confidence > held->f.confidence) {
    draft_clear(held);
    *held = *d;
    memset(d, 0, sizeof(*d));
    return;
  }
  draft_clear(d);
}

/* ---- prose ---------------------------------------------------------------- */

typedef struct context_word {
  const char *name;
  const char *text; /* a stem: a token's key containing it names the date */
} context_word;

static const context_word context_words[] = {
  {"birth_date", "مواليد"}, {"birth_date", "مولود"}, {"birth_date", "ولاده"},
  {"birth_date", "ميلاد"}, {"birth_date", "تولد"},
  {"birth_date", "لەدایکبوو"},
  {"start_date", "مباشر"}, {"start_date", "باشر"}, {"start_date", "تعيين"},
  {"start_date", "بدء"}, {"start_date", "دەستپێکرد"},
  {"start_date", "دامەزرا"},
  {"end_date", "ترك"}, {"end_date", "انتهاء"}, {"end_date", "استقال"},
  {"end_date", "وازهێنا"}, {"end_date", "وازی"},
};

/* The field a prose date at position pos of line l stands for, from the
 * words before it; NULL when none says. */
static const char *date_context(layout *L, size_t l, size_t pos)
{
  dbuf key = DBUF_INIT;
  const char *name = NULL;

  for(size_t back = 1; back <= PROSE_CONTEXT_TOKENS && back <= pos && !name;
      back++) {
    token *t = layout_tok(L, l, pos - back);
    if(!*t->key)
      continue;
    for(size_t c = 0;
        c < sizeof(context_words) / sizeof(context_words[0]) && !name; c++) {
      dbuf_reset(&key);
      if(text_norm_key(context_words[c].text,
                       strlen(context_words[c].text), &key))
        break;
      if(key.len && strstr(t->key, key.data))
        name = context_words[c].name;
    }
  }
  dbuf_free(&key);
  return name;
}

/* 1 when text is a number of exactly 10 or 12 digits (with punctuation
 * around it at most); *digits gets them. */
static int id_shaped(const char *text, dbuf *digits)
{
  size_t n = strlen(text), i = 0, adv, other = 0;

  while(i < n) {
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    int digit = (cp >= '0' && cp <= '9') || (cp >= 0x660 && cp <= 0x669) ||
                (cp >= 0x6F0 && cp <= 0x6F9);
    if(!digit && text_is_word_char(cp) && cp != 0x200E && cp != 0x200F)
      other++;
    i += adv;
  }
  dbuf_reset(digits);
  if(other || extract_digits_only(text, digits))
    return 0;
  return digits->len == NATIONAL_ID_DIGITS || digits->len == WORKER_SSN_DIGITS;
}

/* A prose candidate from tokens v[0..nv) (reading order). */
static int make_candidate(const char *name, token *const *v, size_t nv,
                          const char *value, draft *d)
{
  dbuf raw = DBUF_INIT;
  float conf = 0;
  int rc = DAFTAR_OK;

  memset(d, 0, sizeof(*d));
  snprintf(d->f.name, sizeof(d->f.name), "%s", name);
  snprintf(d->f.rule, sizeof(d->f.rule), "prose-candidate");
  d->f.page = v[0]->page;
  d->f.box = v[0]->box;
  for(size_t i = 0; i < nv && !rc; i++) {
    if(i > 0)
      rc = dbuf_putc(&raw, ' ');
    if(!rc)
      rc = dbuf_puts(&raw, v[i]->text);
    conf += v[i]->conf;
    d->f.box = daftar_box_union(d->f.box, v[i]->box);
  }
  d->f.value = strdup(value);
  d->f.raw = rc ? NULL : dbuf_take(&raw);
  dbuf_free(&raw);
  if(!d->f.value || !d->f.raw) {
    draft_clear(d);
    return DAFTAR_ENOMEM;
  }
  d->f.candidate = 1;
  d->f.confidence = conf / (float)nv * CONF_CANDIDATE;
  d->ok = 1;
  return DAFTAR_OK;
}

/* A date with a month name starting at position pos of line l (free
 * tokens only); *used tokens, 0 when none. */
static size_t prose_month_date(layout *L, size_t l, size_t pos,
                               token **v, char date[11])
{
  size_t nv = 0, used = 0;
  int found = 0;

  while(pos + nv < L->lines[l].ntok && nv < MONTH_DATE_TOKENS) {
    token *t = layout_tok(L, l, pos + nv);
    if(t->use != USE_NONE || t->kind != TOK_TEXT || !*t->key)
      break;
    v[nv++] = t;
  }
  if(month_date_tokens(v, nv, date, &used, &found) != DAFTAR_OK || !found)
    return 0;
  return used;
}

/* Words that introduce a person's name in letters ("السيد فلان"). */
static const char *const name_intros[] = {
  "السيد", "السيدة", "المضمون", "المضمونة", "العامل", "العاملة", "المدعو",
  "المدعوة", "بەڕێز", "کرێکار", "کرێکاری", "خاتوو", "کاک",
};

static int is_name_intro(const token *t)
{
  dbuf key = DBUF_INIT;
  int yes = 0;

  for(size_t i = 0; i < sizeof(name_intros) / sizeof(name_intros[0]) && !yes;
      i++) {
    dbuf_reset(&key);
    if(text_norm_key(name_intros[i], strlen(name_intros[i]), &key))
      break;
    yes = key.len > 0 && !strcmp(key.data, t->key);
  }
  dbuf_free(&key);
  return yes;
}

/* A name candidate: the PROSE_NAME_WORDS words after an introducing word
 * (fewer at a comma), letters only. */
static int name_candidate(layout *L, size_t l, size_t pos, picks *P)
{
  token *v[PROSE_NAME_WORDS];
  size_t nv = 0;
  draft d;
  int rc;

  for(size_t k = pos + 1; k < L->lines[l].ntok && nv < PROSE_NAME_WORDS;
      k++) {
    token *t = layout_tok(L, l, k);
    if(t->use != USE_NONE || t->kind != TOK_TEXT || !*t->key ||
       has_digit(t->text))
      break;
    v[nv++] = t;
    if(ends_phrase(t->text))
      break;
  }
  if(nv < PROSE_NAME_MIN_WORDS)
    return DAFTAR_OK;
  rc = parse_value("worker_name", v, nv, L->sorani, &d);
  if(rc || !d.ok)
    return rc;
  snprintf(d.f.rule, sizeof(d.f.rule), "prose-candidate");
  d.f.candidate = 1;
  d.f.confidence *= CONF_CANDIDATE;
  offer(P, &d);
  return DAFTAR_OK;
}

/* Candidates from the tokens no label claimed. */
static int prose_candidates(layout *L, picks *P)
{
  dbuf digits = DBUF_INIT;
  draft d;
  char date[11];
  token *span[MONTH_DATE_TOKENS];
  size_t used;
  int rc = DAFTAR_OK, found;

  for(size_t l = 0; l < L->nlines && !rc; l++) {
    for(size_t pos = 0; pos < L->lines[l].ntok && !rc; pos++) {
      token *t = layout_tok(L, l, pos);
      const char *name = NULL;
      if(t->use == USE_NONE && t->kind == TOK_TEXT && is_name_intro(t)) {
        rc = name_candidate(L, l, pos, P);
        continue;
      }
      if(t->use != USE_NONE || t->kind != TOK_TEXT || !has_digit(t->text))
        continue;
      if(id_shaped(t->text, &digits)) {
        name = digits.len == NATIONAL_ID_DIGITS ? "national_id" : "worker_ssn";
        rc = make_candidate(name, &t, 1, digits.data, &d);
      }
      else if(extract_find_date(t->text, date, &found) == DAFTAR_OK &&
              found && (name = date_context(L, l, pos)) != NULL)
        rc = make_candidate(name, &t, 1, date, &d);
      else if((used = prose_month_date(L, l, pos, span, date)) > 0 &&
              (name = date_context(L, l, pos)) != NULL) {
        rc = make_candidate(name, span, used, date, &d);
        for(size_t k = 0; k < used; k++)
          span[k]->use = USE_VALUE;
      }
      if(!rc && name)
        offer(P, &d);
    }
  }
  dbuf_free(&digits);
  return rc;
}

/* ---- the whole document -------------------------------------------------- */

/* Is title match m most of its line?  A title names the document only as
 * a heading ("تابع: إشعار ترك العمل" counts); the same words inside a
 * letter's sentence ("نرفق لكم إشعار ترك العمل الخاص ...") do not. */
static int is_heading(layout *L, size_t l, const match *m)
{
  size_t words = 0;

  for(size_t k = 0; k < L->lines[l].ntok; k++)
    words += *layout_tok(L, l, k)->key ? 1 : 0;
  return (m->end - m->start) * HEADING_SHARE_DEN >=
         words * HEADING_SHARE_NUM;
}

/* ---- a label past recognition, known by its value --------------------------
 *
 * Some labels come back damaged past label_cost's tolerance, the same way
 * on every page of a font: heavy Amiri scans read تاريخ as تار or تارج and
 * ڕێکەوتی as ڕوق or ڕکو, the stacked letters lost, and then "تار انباء
 * الخدمة 11/12/2011" or "ڕکو لەدایکبوون 28/12/1997" named no field (seeds
 * 5, 11, 13 of bench-extract, 48 heavy forms each: 11 dates and IDs so
 * lost).  A line that begins with words and no label, followed by a value
 * of a type only a few fields take (a date; an ID of exactly a worker's
 * SSN or national-ID length), is matched against those fields' labels
 * alone, with a wider tolerance: at most TYPED_MAX_SHARE of the label's
 * letters wrong, counted as label_cost counts them; the words ending with
 * the label's words after its first (what tells one date label from
 * another) with at most half their letters wrong, its last word too
 * ("تاريخ الإصدار", an issue date, is none of the date fields; امونة
 * for الهوية is the national ID's, Amiri, 22399/doc-02 of seed 13); and a clear lead of TYPED_MARGIN half-errors over
 * every other field whose label the words might be.  The first word, the
 * one the font stacks, may be lost to any degree, or missing: a word box
 * Tesseract shrank to a point dropped رقم from "رقم الضمان الاجتماعي"
 * (41845/doc-02 of seed 5).  Only on a form (TYPED_MIN_ROWS rows found
 * the usual way) and on a line that ends with its value: a letter's
 * sentence ("وبطاقته الوطنية (١٩٦١٠٠٤٤٤٥٥٥) قد ترك العمل") yields
 * candidates only.  The value is taken as for any label, its rule "label-typed",
 * its confidence scaled by CONF_TYPED: a label found the usual way
 * elsewhere on the document wins. */
#define TYPED_MAX_SHARE 0.5
#define TYPED_MIN_ROWS 2 /* rows read the usual way: the page is a form */
#define TYPED_MARGIN 2
#define CONF_TYPED 0.6f

/* 1 when a field's value has a type that names the field among few. */
static int typed_field(const char *name)
{
  enum field_type type = field_type_of(name);
  return type == FT_DATE ||
         (type == FT_ID && (!strcmp(name, "national_id") ||
                            !strcmp(name, "worker_ssn")));
}

/* Does the value tokens v[0..nv) read as a fact of field name? */
static int value_fits(const char *name, token *const *v, size_t nv,
                      int sorani, int *fits)
{
  token *w[VALUE_MAX_TOKENS];
  draft d;
  int rc;

  *fits = 0;
  memcpy(w, v, nv * sizeof(*w));
  nv = narrow_value(name, w, nv);
  if(nv == 0)
    return DAFTAR_OK;
  rc = parse_value(name, w, nv, sorani, &d);
  if(!rc && d.ok && !d.f.candidate && d.f.value)
    *fits = field_type_of(name) == FT_DATE ||
            expected_id_length(name, strlen(d.f.value));
  draft_clear(&d);
  return rc;
}

static int typed_label(layout *L, const extract_labels *T, size_t l,
                       picks *P)
{
  size_t ntok = L->lines[l].ntok, span = 0, nv = 0, pos;
  token *v[VALUE_MAX_TOKENS];
  dbuf key = DBUF_INIT, skel = DBUF_INIT;
  const extract_label *by_field[DAFTAR_NFIELD_NAMES] = {NULL}, *best = NULL;
  int cost[DAFTAR_NFIELD_NAMES], best_cost = -1, other_cost = -1;
  int rc = DAFTAR_OK;

  while(span < ntok && span < LABEL_MAX_WORDS) {
    token *t = layout_tok(L, l, span);
    if(t->kind != TOK_TEXT || !*t->key || has_digit(t->text) ||
       t->use != USE_NONE)
      break;
    span++;
  }
  if(span == 0)
    return DAFTAR_OK;
  for(pos = span; pos < ntok && layout_tok(L, l, pos)->kind != TOK_TEXT;
      pos++)
    ;
  for(; pos < ntok && nv < VALUE_MAX_TOKENS; pos++) {
    token *t = layout_tok(L, l, pos);
    if(t->kind != TOK_TEXT || t->use != USE_NONE)
      break;
    v[nv++] = t;
  }
  if(nv == 0 || !has_digit(v[0]->text))
    return DAFTAR_OK;
  /* a form row ends with its value; a sentence goes on */
  for(size_t k = 0; k < nv; k++)
    if(has_letter(v[k]->text) && !has_digit(v[k]->text))
      return DAFTAR_OK;
  for(; pos < ntok; pos++)
    if(has_letter(layout_tok(L, l, pos)->text))
      return DAFTAR_OK;
  for(size_t k = 0; k < span && !rc; k++)
    rc = span_append(&key, &skel, layout_tok(L, l, k));
  for(size_t j = 0; j < T->n && !rc; j++) {
    const extract_label *lab = &T->v[j];
    const char *rest;
    int d, ds, fits;
    if(lab->kind != LABEL_FIELD || !typed_field(lab->name))
      continue;
    d = text_edit_distance(key.data, lab->key);
    ds = d < 0 ? -1 : text_edit_distance(skel.data, lab->skel);
    if(d < 0 || ds < 0) {
      rc = DAFTAR_ENOMEM;
      break;
    }
    rest = lab->key + lab->first_bytes + (lab->key[lab->first_bytes] == ' ');
    if(d + ds > TYPED_MAX_SHARE * 2 * (double)lab->key_cps || !*rest ||
       !affix_close(key.data, 0, rest, strlen(rest),
                    (int)((lab->key_cps - lab->first_cps) / 2), 0) ||
       !affix_close(key.data, 0, lab->key + lab->last_off,
                    strlen(lab->key + lab->last_off),
                    (int)lab->last_cps / 2, 0))
      continue;
    rc = value_fits(lab->name, v, nv,
                    lab->sorani >= 0 ? lab->sorani : L->sorani, &fits);
    if(rc || !fits)
      continue;
    int f = field_index(lab->name);
    if(f >= 0 && (!by_field[f] || d + ds < cost[f])) {
      by_field[f] = lab;
      cost[f] = d + ds;
    }
  }
  for(int f = 0; f < DAFTAR_NFIELD_NAMES; f++)
    if(by_field[f] && (!best || cost[f] < best_cost)) {
      best = by_field[f];
      best_cost = cost[f];
    }
  for(int f = 0; best && f < DAFTAR_NFIELD_NAMES; f++)
    if(by_field[f] && by_field[f] != best &&
       strcmp(by_field[f]->name, best->name) != 0 &&
       (other_cost < 0 || cost[f] < other_cost))
      other_cost = cost[f];
  if(!rc && best &&
     (other_cost < 0 || best_cost + TYPED_MARGIN <= other_cost)) {
    match m = {0, span, best, 0};
    value_span S = {l, span, ntok, 0};
    draft d;
    rc = take_value(L, l, &m, &S, &d);
    if(!rc && d.ok) {
      for(size_t k = 0; k < span; k++)
        layout_tok(L, l, k)->use = USE_LABEL;
      snprintf(d.f.rule, sizeof(d.f.rule), "label-typed");
      d.f.confidence *= CONF_TYPED;
      P->form_label[field_index(best->name)] = 1;
      offer(P, &d);
    }
  }
  dbuf_free(&key);
  dbuf_free(&skel);
  return rc;
}

static int read_lines(layout *L, const extract_labels *T, picks *P)
{
  match **ms = NULL;
  size_t *nms = NULL, form_rows = 0;
  int rc = DAFTAR_OK;

  /* labels of every line first: a value on the line below its label must
   * not be the next row's label */
  ms = calloc(L->nlines + 1, sizeof(*ms));
  nms = calloc(L->nlines + 1, sizeof(*nms));
  if(!ms || !nms) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  for(size_t l = 0; l < L->nlines && !rc; l++) {
    rc = find_labels(L, T, l, &ms[l], &nms[l]);
    for(size_t k = 0; !rc && k < nms[l]; k++)
      form_rows += ms[l][k].start == 0 && ms[l][k].label->kind == LABEL_FIELD;
  }
  for(size_t l = 0; l < L->nlines && !rc; l++) {
    match *m = ms[l];
    size_t nm = nms[l];
    for(size_t k = 0; k < nm && !rc; k++) {
      size_t stop = k + 1 < nm ? m[k + 1].start : L->lines[l].ntok;
      value_span S = {l, m[k].end, stop, 0};
      draft d;
      if(m[k].label->kind == LABEL_TITLE) {
        if(!is_heading(L, l, &m[k]))
          continue;
        if(P->title_cost < 0 || m[k].half_errors < P->title_cost) {
          P->title_cost = m[k].half_errors;
          set_doc_type(P, m[k].label->name);
        }
        continue;
      }
      if(m[k].start == 0 && field_index(m[k].label->name) >= 0)
        P->form_label[field_index(m[k].label->name)] = 1;
      rc = take_value(L, l, &m[k], &S, &d);
      if(!rc && !d.ok && k + 1 == nm &&
         span_below(L, T, l, &m[k], l + 1 < L->nlines ? nms[l + 1] : 0, &S))
        rc = take_value(L, l, &m[k], &S, &d);
      if(!rc)
        offer(P, &d);
    }
    if(!rc && nm == 0 && form_rows >= TYPED_MIN_ROWS)
      rc = typed_label(L, T, l, P);
  }
out:
  for(size_t l = 0; ms && l < L->nlines; l++)
    free(ms[l]);
  free(ms);
  free(nms);
  return rc;
}

static int is_fact(const picks *P, const char *name)
{
  int i = field_index(name);
  return i >= 0 && P->best[i].ok && !P->best[i].f.candidate;
}

/* A fact for name, or its label heading a form row (the value may be lost
 * to OCR, the row still tells which form this is). */
static int has_row(const picks *P, const char *name)
{
  int i = field_index(name);
  return is_fact(P, name) || (i >= 0 && P->form_label[i]);
}

/* Without a title: a form with an end date is a termination, one with a
 * start date (or the birth date and mother's name only a registration
 * asks for) a registration, one with a wage and neither a wage change. */
static void type_from_fields(picks *P)
{
  const char *t = "other";

  if(P->title_cost >= 0)
    return;
  if(has_row(P, "end_date"))
    t = "termination";
  else if(has_row(P, "start_date") ||
          P->form_label[field_index("birth_date")] ||
          P->form_label[field_index("mother_name")])
    t = "registration";
  else if(has_row(P, "monthly_wage"))
    t = "wage_change";
  set_doc_type(P, t);
}

/* Moves the picks into out: facts first, in the contract's order. */
static int hand_out(picks *P, ocr_extraction *out)
{
  size_t n = 0;

  out->fields = calloc(DAFTAR_NFIELD_NAMES + MAX_CANDIDATES,
                       sizeof(*out->fields));
  if(!out->fields)
    return DAFTAR_ENOMEM;
  int had_fact[DAFTAR_NFIELD_NAMES] = {0};

  for(int i = 0; i < DAFTAR_NFIELD_NAMES; i++) {
    draft *d = &P->best[i];
    if(d->ok) {
      had_fact[i] = 1;
      out->fields[n++] = d->f;
      memset(d, 0, sizeof(*d));
    }
  }
  /* candidates of names without a fact, in the contract's order, the more
   * confident first */
  for(int i = 0; i < DAFTAR_NFIELD_NAMES; i++) {
    size_t first = n;
    if(had_fact[i])
      continue;
    for(size_t c = 0; c < P->ncand; c++) {
      draft *d = &P->cand[c];
      if(!d->ok || strcmp(d->f.name, field_names[i]))
        continue;
      size_t k = n++;
      while(k > first && out->fields[k - 1].confidence < d->f.confidence) {
        out->fields[k] = out->fields[k - 1];
        k--;
      }
      out->fields[k] = d->f;
      memset(d, 0, sizeof(*d));
    }
  }
  out->nfields = n;
  memcpy(out->doc_type, P->doc_type, sizeof(out->doc_type));
  return DAFTAR_OK;
}

int extract_fields_with(const extract_labels *T, const daftar_word *words,
                        size_t n, ocr_extraction *out)
{
  layout L;
  picks P;
  int rc;

  if(!out || (n > 0 && !words) || !T)
    return DAFTAR_EINVAL;
  memset(out, 0, sizeof(*out));
  memset(&P, 0, sizeof(P));
  P.title_cost = -1;
  rc = layout_build(words, n, &L);
  if(!rc)
    rc = read_lines(&L, T, &P);
  if(!rc)
    rc = prose_candidates(&L, &P);
  if(!rc) {
    type_from_fields(&P);
    rc = hand_out(&P, out);
  }
  for(int i = 0; i < DAFTAR_NFIELD_NAMES; i++)
    draft_clear(&P.best[i]);
  for(size_t i = 0; i < P.ncand; i++)
    draft_clear(&P.cand[i]);
  layout_free(&L);
  if(rc)
    ocr_extraction_clear(out);
  return rc;
}

int ocr_extract_fields(const daftar_word *words, size_t n,
                       ocr_extraction *out)
{
  extract_labels T = {0};
  dbuf err = DBUF_INIT;
  int rc;

  if(!out)
    return DAFTAR_EINVAL;
  memset(out, 0, sizeof(*out));
  rc = labels_load_default(&T, NULL, &err);
  if(rc) {
    daftar_log(DLOG_ERROR, "labels refused: %s", dbuf_cstr(&err));
    goto out;
  }
  rc = extract_fields_with(&T, words, n, out);
out:
  labels_free(&T);
  dbuf_free(&err);
  return rc;
}

void ocr_extraction_clear(ocr_extraction *x)
{
  if(!x)
    return;
  daftar_fields_free(x->fields, x->nfields);
  memset(x, 0, sizeof(*x));
}
