/*
 * text_norm.c - one normalization for Arabic and Sorani text.
 *
 * Used for the search index (both at index and at query time) and for
 * matching form labels.  Three layers, each a pure function of one code
 * point:
 *   1. presentation forms (U+FB50-FBFF, U+FE70-FEFF) to their letters: the
 *      part of NFKC that matters for Arabic script (lam-alef gives two);
 *   2. removal of harakat, tatweel, Quranic marks, bidi and format marks;
 *      folding of letter variants (alef, yeh, kaf, heh, hamza carriers) and
 *      of Arabic-Indic and Persian digits to ASCII;
 *   3. (skeleton only) letters that differ only by dots share one class, so
 *      an OCR error that drops or adds a dot still matches.
 * ێ (U+06CE) and ۆ (U+06C6), ڕ, ڵ are distinct Sorani letters and stay apart
 * in the key; the skeleton joins them with their dotless/unmarked relatives.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* Arabic Presentation Forms-B from U+FE80: runs of (count, letter). */
static const struct {
  unsigned char count;
  uint16_t letter;
} forms_b[] = {
  {1, 0x621}, {2, 0x622}, {2, 0x623}, {2, 0x624}, {2, 0x625}, {4, 0x626},
  {2, 0x627}, {4, 0x628}, {2, 0x629}, {4, 0x62A}, {4, 0x62B}, {4, 0x62C},
  {4, 0x62D}, {4, 0x62E}, {2, 0x62F}, {2, 0x630}, {2, 0x631}, {2, 0x632},
  {4, 0x633}, {4, 0x634}, {4, 0x635}, {4, 0x636}, {4, 0x637}, {4, 0x638},
  {4, 0x639}, {4, 0x63A}, {4, 0x641}, {4, 0x642}, {4, 0x643}, {4, 0x644},
  {4, 0x645}, {4, 0x646}, {4, 0x647}, {2, 0x648}, {2, 0x649}, {4, 0x64A},
};

/* Arabic Presentation Forms-A, letters only, in two stretches. */
static const struct {
  unsigned char count;
  uint16_t letter;
} forms_a1[] = { /* from U+FB50 */
  {2, 0x671}, {4, 0x67B}, {4, 0x67E}, {4, 0x680}, {4, 0x67A}, {4, 0x67F},
  {4, 0x679}, {4, 0x6A4}, {4, 0x6A6}, {4, 0x684}, {4, 0x683}, {4, 0x686},
  {4, 0x687}, {2, 0x68D}, {2, 0x68C}, {2, 0x68E}, {2, 0x688}, {2, 0x698},
  {2, 0x691}, {4, 0x6A9}, {4, 0x6AF}, {4, 0x6B3}, {4, 0x6B1}, {2, 0x6BA},
  {4, 0x6BB}, {2, 0x6C0}, {4, 0x6C1}, {4, 0x6BE}, {2, 0x6D2}, {2, 0x6D3},
}, forms_a2[] = { /* from U+FBD3 */
  {4, 0x6AD}, {2, 0x6C7}, {2, 0x6C6}, {2, 0x6C8}, {1, 0x6C7}, {2, 0x6CB},
  {2, 0x6C5}, {2, 0x6C9}, {4, 0x6D0}, {2, 0x649},
};

#define FORMS_LOOKUP(table, first, cp)                                        \
  do {                                                                        \
    uint32_t at_ = (first);                                                   \
    for(size_t i_ = 0; i_ < sizeof(table) / sizeof(table[0]); i_++) {         \
      if(cp < at_ + table[i_].count)                                          \
        return table[i_].letter;                                              \
      at_ += table[i_].count;                                                 \
    }                                                                         \
  } while(0)

/* Letter for a presentation form, or cp itself.  Lam-alef is handled by the
 * caller. */
static uint32_t unpresent(uint32_t cp)
{
  if(cp >= 0xFE80 && cp < 0xFEF5)
    FORMS_LOOKUP(forms_b, 0xFE80, cp);
  else if(cp >= 0xFB50 && cp < 0xFBB2)
    FORMS_LOOKUP(forms_a1, 0xFB50, cp);
  else if(cp >= 0xFBD3 && cp < 0xFBEA)
    FORMS_LOOKUP(forms_a2, 0xFBD3, cp);
  else if(cp >= 0xFBFC && cp <= 0xFBFF)
    return 0x6CC;
  return cp;
}

/* Marks and format characters that carry no letter: removed. */
static int is_removed(uint32_t cp)
{
  return (cp >= 0x64B && cp <= 0x65F) || cp == 0x670 || cp == 0x640 ||
         (cp >= 0x610 && cp <= 0x61A) || (cp >= 0x6D6 && cp <= 0x6DC) ||
         (cp >= 0x6DF && cp <= 0x6E8) || (cp >= 0x6EA && cp <= 0x6ED) ||
         (cp >= 0x8D3 && cp <= 0x8FF) || (cp >= 0xFE70 && cp <= 0xFE7F) ||
         cp == 0x200C || cp == 0x200D || cp == 0x200E || cp == 0x200F ||
         cp == 0x61C || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF || cp == 0xAD;
}

/* Variant letters to the one letter that stands for them in the key. */
static uint32_t fold_letter(uint32_t cp)
{
  switch(cp) {
  case 0x623: case 0x625: case 0x622: case 0x671: case 0x672: case 0x673:
    return 0x627;                     /* alef */
  case 0x649: case 0x6CC: case 0x6D0: case 0x6D2: case 0x6CD: case 0x626:
  case 0x6D3:
    return 0x64A;                     /* yeh (ئ folds here too) */
  case 0x6A9: case 0x6AA:
    return 0x643;                     /* kaf */
  case 0x629: case 0x6D5: case 0x6BE: case 0x6C0: case 0x6C1: case 0x6C2:
    return 0x647;                     /* heh */
  case 0x624:
    return 0x648;                     /* waw */
  }
  if(cp >= 0x660 && cp <= 0x669)
    return '0' + (cp - 0x660);
  if(cp >= 0x6F0 && cp <= 0x6F9)
    return '0' + (cp - 0x6F0);
  if(cp >= 'A' && cp <= 'Z')
    return cp + ('a' - 'A');
  return cp;
}

int text_fold_char(uint32_t cp, uint32_t out[2])
{
  if(cp >= 0xFEF5 && cp <= 0xFEFC) { /* lam-alef ligatures */
    out[0] = 0x644;
    out[1] = 0x627;
    return 2;
  }
  cp = unpresent(cp);
  if(is_removed(cp))
    return 0;
  out[0] = fold_letter(cp);
  return 1;
}

uint32_t text_skeleton_char(uint32_t cp)
{
  switch(cp) {
  case 0x628: case 0x62A: case 0x62B: case 0x646: case 0x64A: case 0x67E:
  case 0x679: case 0x67B: case 0x6CE:
    return 0x66E;                     /* dotless beh: ب ت ث ن ي پ ێ */
  case 0x62C: case 0x62E: case 0x686:
    return 0x62D;                     /* ج خ چ -> ح */
  case 0x630:
    return 0x62F;                     /* ذ -> د */
  case 0x632: case 0x695: case 0x698: case 0x691:
    return 0x631;                     /* ز ڕ ژ -> ر */
  case 0x634:
    return 0x633;                     /* ش -> س */
  case 0x636:
    return 0x635;                     /* ض -> ص */
  case 0x638:
    return 0x637;                     /* ظ -> ط */
  case 0x63A:
    return 0x639;                     /* غ -> ع */
  case 0x642: case 0x6A4: case 0x6A6:
    return 0x641;                     /* ق ڤ -> ف */
  case 0x6AF:
    return 0x643;                     /* گ -> ك */
  case 0x6B5:
    return 0x644;                     /* ڵ -> ل */
  case 0x6C6: case 0x6C7: case 0x6CB: case 0x6C5: case 0x6C9:
    return 0x648;                     /* ۆ ... -> و */
  }
  return cp;
}

int text_is_word_char(uint32_t cp)
{
  if(cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 'A' && cp <= 'Z');
  switch(cp) {
  case 0x60C: case 0x61B: case 0x61F: case 0x66A: case 0x66B: case 0x66C:
  case 0x66D: case 0x6D4: case 0x6DD: case 0x6DE: case 0x6E9:
  case 0x60D: case 0x609: case 0x60A:
    return 0;                         /* Arabic punctuation and signs */
  case 0x200C: case 0x200D: case 0x200E: case 0x200F: case 0x61C:
    return 1;                         /* joiners and marks: inside words */
  }
  if((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F) ||
     (cp >= 0x8A0 && cp <= 0x8FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
     (cp >= 0xFE70 && cp <= 0xFEFC))
    return cp >= 0x610; /* U+0600-060F: number signs and punctuation */
  if(cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)
    return 1;                         /* Latin letters with accents */
  return 0;
}

/* Appends the folded form of one word character (0..2 code points). */
static int put_folded(dbuf *out, uint32_t cp, int skeleton, size_t *emitted)
{
  uint32_t f[2];
  char enc[4];
  int k = text_fold_char(cp, f), rc;

  for(int i = 0; i < k; i++) {
    uint32_t c = skeleton ? text_skeleton_char(f[i]) : f[i];
    rc = dbuf_append(out, enc, utf8_encode(c, enc));
    if(rc)
      return rc;
    (*emitted)++;
  }
  return DAFTAR_OK;
}

static int norm_words(const char *s, size_t n, dbuf *out, int skeleton)
{
  size_t i = 0, adv, emitted = 0;
  int pending_space = 0, rc;
  uint32_t cp;

  while(i < n) {
    cp = utf8_decode(s + i, n - i, &adv);
    i += adv;
    if(!text_is_word_char(cp)) {
      pending_space = emitted > 0;
      continue;
    }
    if(pending_space) {
      /* Separate only when the next word yields a letter: a word made of
       * marks alone vanishes without leaving a double space. */
      uint32_t f[2];
      if(text_fold_char(cp, f) > 0) {
        rc = dbuf_putc(out, ' ');
        if(rc)
          return rc;
        pending_space = 0;
      }
    }
    rc = put_folded(out, cp, skeleton, &emitted);
    if(rc)
      return rc;
  }
  return dbuf_append(out, "", 0); /* NUL-terminated even when empty */
}

int text_norm_key(const char *s, size_t n, dbuf *out)
{
  return norm_words(s, n, out, 0);
}

int text_norm_skeleton(const char *s, size_t n, dbuf *out)
{
  return norm_words(s, n, out, 1);
}

static int is_bidi_mark(uint32_t cp)
{
  return cp == 0x200E || cp == 0x200F || cp == 0x61C ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

int text_strip_bidi(const char *s, size_t n, dbuf *out)
{
  size_t i = 0, adv;
  int rc;

  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(!is_bidi_mark(cp)) {
      rc = dbuf_append(out, s + i, adv);
      if(rc)
        return rc;
    }
    i += adv;
  }
  return dbuf_append(out, "", 0);
}

int text_ascii_digits(const char *s, size_t n, dbuf *out)
{
  size_t i = 0, adv;
  int rc;

  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(cp >= 0x660 && cp <= 0x669)
      rc = dbuf_putc(out, (char)('0' + (cp - 0x660)));
    else if(cp >= 0x6F0 && cp <= 0x6F9)
      rc = dbuf_putc(out, (char)('0' + (cp - 0x6F0)));
    else
      rc = dbuf_append(out, s + i, adv);
    if(rc)
      return rc;
    i += adv;
  }
  return dbuf_append(out, "", 0);
}

/* Decodes s into a heap array of code points. */
static uint32_t *decode_all(const char *s, size_t *count)
{
  size_t n = strlen(s), i = 0, k = 0, adv;
  uint32_t *cps = malloc((n + 1) * sizeof(*cps));

  if(!cps)
    return NULL;
  while(i < n) {
    cps[k++] = utf8_decode(s + i, n - i, &adv);
    i += adv;
  }
  *count = k;
  return cps;
}

int text_edit_distance(const char *a, const char *b)
{
  size_t na, nb, i, j;
  uint32_t *ca = decode_all(a, &na), *cb = decode_all(b, &nb);
  int *row = NULL, result = -1;

  if(!ca || !cb)
    goto out;
  row = malloc((nb + 1) * sizeof(*row));
  if(!row)
    goto out;
  for(j = 0; j <= nb; j++)
    row[j] = (int)j;
  for(i = 1; i <= na; i++) {
    int diag = row[0];
    row[0] = (int)i;
    for(j = 1; j <= nb; j++) {
      int up = row[j];
      int best = diag + (ca[i - 1] != cb[j - 1]);
      if(up + 1 < best)
        best = up + 1;
      if(row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  result = row[nb];
out:
  free(ca);
  free(cb);
  free(row);
  return result;
}
