/*
 * lang.c - which language a page is in, and which model reads it best.
 *
 * Arabic and Sorani share the script; what tells them apart cheaply are
 * the letters only Sorani uses.  The Arabic-script model reads them (except
 * ڤ, and ە often comes out as ه), so a page read once with it already says
 * which language it is.  The model choice is a separate function so a
 * trained Sorani model (ckb.traineddata) slots in without other changes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recognize_int.h"
#include "sorani_lexicon.h"

/* Sorani text has these in nearly every word; Arabic text never, so a few
 * are enough, but misread specks should not flip a long Arabic page. */
#define LANG_MIN_SORANI_LETTERS 2
#define LANG_MIN_SORANI_SHARE 0.015
/* Known Sorani words that make a text with no other sign Sorani. */
#define LANG_MIN_SORANI_WORDS 2
#define LANG_PATH_MAX 4096
/* Where Debian's tesseract-ocr 5 looks when TESSDATA_PREFIX is unset. */
#define LANG_DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"

static int is_sorani_letter(uint32_t cp) {
  switch(cp) {
  case 0x0695: /* ڕ */
  case 0x06B5: /* ڵ */
  case 0x06C6: /* ۆ */
  case 0x06CE: /* ێ */
  case 0x06D5: /* ە */
  case 0x06A4: /* ڤ */
    return 1;
  default:
    return 0;
  }
}

static int is_arabic_letter(uint32_t cp) {
  return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D5) ||
         (cp >= 0x06FA && cp <= 0x06FF);
}

static void lex_count_known(const char *text, long *words, long *known);

/* Letters Sorani writes all the time and Arabic only in a few foreign
 * names: پ چ ژ گ. */
static int is_sorani_common(uint32_t cp) {
  return cp == 0x067E || cp == 0x0686 || cp == 0x0698 || cp == 0x06AF;
}

const char *ocr_lang_detect(const char *text) {
  if(!text)
    return "ar";
  size_t n = strlen(text), i = 0, adv = 0;
  long letters = 0, sorani = 0, hints = 0, arabic = 0;
  uint32_t prev = 0, prev2 = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    i += adv;
    if(is_arabic_letter(cp))
      letters++;
    if(is_sorani_letter(cp))
      sorani++;
    /* Sorani hints the Arabic model leaves even when it misses the six
     * letters: پ چ ژ گ, and ە written as heh + ZWNJ. */
    if(is_sorani_common(cp) || (cp == 0x200C && prev == 0x0647))
      hints++;
    /* Arabic's own: ة, and the article ال opening a word. */
    if(cp == 0x0629 ||
       (cp == 0x0644 && prev == 0x0627 &&
        (prev2 == 0 || !text_is_word_char(prev2))))
      arabic++;
    prev2 = prev;
    prev = cp;
  }
  if(sorani >= LANG_MIN_SORANI_LETTERS &&
     (double)sorani >= LANG_MIN_SORANI_SHARE * (double)letters)
    return "ckb";
  /* A line or a short page: one Sorani sign and nothing Arabic.  Arabic
   * form pages carry ة and ال many times (6-11 and 11-16 on each
   * benchmark page), Sorani ones none (a misread ة at most, 0-3). */
  if(arabic == 0 && sorani + hints >= 1)
    return "ckb";
  /* No sign either way (the Arabic model read "ناوی کریکار و شوینی کار"
   * in Noto Sans Arabic): Sorani when most words are Sorani words. */
  if(arabic == 0) {
    long words = 0, known = 0;
    lex_count_known(text, &words, &known);
    if(known >= LANG_MIN_SORANI_WORDS && 2 * known >= words)
      return "ckb";
  }
  return "ar";
}

static int is_word_end(const char *s, size_t n) {
  if(n == 0)
    return 1;
  size_t adv = 0;
  uint32_t cp = utf8_decode(s, n, &adv);
  return !text_is_word_char(cp) || cp == 0x200C;
}

/* Whether a tanween followed by s[0..n) ends its word: tanween marks only
 * a word's last letter, or the letter before a final alef or alef maksura
 * (شكرًا هدًى); other harakat may follow it.  Anywhere else it is a
 * misreading (the Arabic model wrote المنشأًة for المنشأة, seed 7 light). */
static int tanween_ends_word(const char *s, size_t n) {
  size_t i = 0, adv = 0;
  int alef = 0;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(cp >= 0x064B && cp <= 0x0652) {
      i += adv ? adv : 1;
      continue;
    }
    if(!alef && (cp == 0x0627 || cp == 0x0649)) {
      alef = 1;
      i += adv ? adv : 1;
      continue;
    }
    break;
  }
  return is_word_end(s + i, n - i);
}

/* Letters that do not join the next one: a ZWNJ after them is noise. */
static int joins_left(uint32_t cp) {
  switch(cp) {
  case 0x0622: case 0x0623: case 0x0625: case 0x0627: /* alefs */
  case 0x062F: case 0x0630: case 0x0631: case 0x0632: /* د ذ ر ز */
  case 0x0698: case 0x0695: case 0x0648: case 0x0624: /* ژ ڕ و ؤ */
  case 0x06C6: case 0x06D5: case 0x0629:              /* ۆ ە ة */
    return 0;
  default:
    return 1;
  }
}

/* Vowel letters that follow a medial h (ا ە ێ ۆ). */
static int is_h_vowel(uint32_t cp) {
  return cp == 0x0627 || cp == 0x06C6 || cp == 0x06CE || cp == 0x06D5;
}

/* An apostrophe, backquote or single guillemet at the start or end of an
 * Arabic-script word is a speck the model read so: neither Arabic nor
 * Sorani in this script writes one there, and the word is then missed
 * by search ('دائرة 'دەستەبەری کاروباری' الأم' on the heavy bench pages,
 * seeds 7, 11 and 23: 11 words in 16 batches).  Quotes (" “ ” « ») and
 * marks between two letters are left alone. */
static int stray_quote(uint32_t prev, uint32_t cp, const char *rest,
                       size_t n) {
  if(cp != '\'' && cp != '`' && cp != 0x2039 && cp != 0x203A)
    return 0;
  size_t adv = 0;
  uint32_t next = n > 0 ? utf8_decode(rest, n, &adv) : 0;
  int before = prev != 0 && text_is_word_char(prev);
  int after = next != 0 && text_is_word_char(next);
  return (is_arabic_letter(prev) && !after) ||
         (is_arabic_letter(next) && !before);
}

/* The Arabic-script model writes Persian keheh and yeh for Arabic kaf and
 * yeh, Arabic kaf/yeh/alef maksura for Sorani's, Sorani ە as heh (alone,
 * or followed by ZWNJ: an old Kurdish encoding), h as ھ, and stray
 * shadda.  Each language has one spelling: map to it.  Sorani rules, each
 * measured on 7 light / 7 heavy generated Sorani pages (CER without the
 * rule -> with it, docs/OCR.md): ك -> ک, ي ى -> ی, heh+ZWNJ and
 * word-final heh -> ە, a medial heh not followed by a vowel letter -> ە,
 * ھ -> ه, a word-initial r -> ڕ, no harakat, no ZWNJ after a letter that
 * does not join, and ړ ټ ې ۋ (Pashto and Uyghur letters) -> ڕ ێ ێ ڤ.
 * (ئ before a word-initial vowel letter measured worse, 7.35% -> 7.40%
 * and 13.15% -> 13.29%, and was dropped.)  Writes 0..2 code points to
 * out. */
static int fix_letter(int ckb, uint32_t prev, uint32_t cp, const char *rest,
                      size_t n, size_t *skip, uint32_t out[2]) {
  size_t adv = 0;
  int word_start = prev == 0 || !text_is_word_char(prev) || prev == 0x200C;
  *skip = 0;
  out[0] = cp;
  if(stray_quote(prev, cp, rest, n))
    return 0;
  if(!ckb) {
    if(cp == 0x06A9 || cp == 0x06AA) /* ک ڪ */
      out[0] = 0x0643;
    else if(cp == 0x06CC) /* ی */
      out[0] = 0x064A;
    else if(cp == 0x200C) /* ZWNJ: Arabic has none; the model puts it for a space */
      out[0] = ' ';
    else if(cp >= 0x064B && cp <= 0x064D && !tanween_ends_word(rest, n))
      return 0; /* tanween inside a word: the model's, as in المنشأًة */
    return 1;
  }
  if(cp >= 0x064B && cp <= 0x0652) /* harakat */
    return 0;
  if(cp == 0x200C && !joins_left(prev))
    return 0;
  if(cp == 0x06BE) /* ھ: the model's h; Sorani text here writes ه */
    out[0] = cp = 0x0647;
  /* Inside a word, h is followed by a vowel letter (سەرهەنگ وازهێنان
   * دهۆک); before anything else the model's ه is ە (ژمارهی, ڕێکهوتی). */
  if(cp == 0x0647 && !word_start && n > 0) {
    uint32_t nx = utf8_decode(rest, n, &adv);
    if(text_is_word_char(nx) && nx != 0x200C && !is_h_vowel(nx)) {
      out[0] = 0x06D5;
      return 1;
    }
  }
  switch(cp) {
  case 0x0643: /* ك */
    out[0] = 0x06A9;
    break;
  case 0x064A: /* ي */
  case 0x0649: /* ى */
    out[0] = 0x06CC;
    break;
  case 0x0693: /* ړ */
    out[0] = 0x0695;
    break;
  /* Letters of other Arabic-script alphabets that Sorani (and Arabic)
   * never write, which the Arabic-script model gives for Sorani ones
   * (sixth session, heavy bench pages): ټ and ې for ێ (کرټکار, پټشەوا on
   * a 200-dpi DejaVu Sans form), ۋ for ڤ (هەۋاڵ). */
  case 0x067C: /* ټ */
  case 0x06D0: /* ې */
    out[0] = 0x06CE;
    break;
  case 0x06CB: /* ۋ */
    out[0] = 0x06A4;
    break;
  case 0x0631: /* ر */
    if(word_start)
      out[0] = 0x0695;
    break;
  /* ئ begins a syllable in Sorani and never ends a word: at a word's end
   * it is the model's ی or ێ (ژمارەئ, نوئ on heavy bench pages), which
   * the lexicon then settles. */
  case 0x0626: /* ئ */
    if(!word_start && is_word_end(rest, n))
      out[0] = 0x06CC;
    break;
  case 0x0647: /* ه */
    if(n > 0 && utf8_decode(rest, n, &adv) == 0x200C) {
      *skip = adv;
      out[0] = 0x06D5;
    } else if(is_word_end(rest, n)) {
      out[0] = 0x06D5;
    }
    break;
  default:
    break;
  }
  return 1;
}

/* ---- the Sorani lexicon ------------------------------------------------
 * Pairs told apart by a small mark, which the models confuse: ل/ڵ, ی/ێ,
 * و/ۆ, ه/ە, ر/ڕ, ف/ڤ, ت/ن (dots: the model continued on degraded lines
 * read ڕێکەوتی as ڕێکەونی; light Sorani CER 1.87% -> 1.83%), and ت ن read
 * for ێ, one way (lex_oneway).  Each letter is two UTF-8 bytes, so a word
 * changes in place.  sorani_lexicon[] (scripts/sorani-lexicon, from
 * the training text) lists the words holding one of them.  A word not in
 * it takes the one listed spelling that differs from it in the fewest of
 * these letters (two at most; a tie changes nothing).  Measured
 * on the 7 Sorani pages of `FILES=5 scripts/bench-ocr` (docs/OCR.md):
 * light ckb+Arabic 2.37% -> 2.28% CER, Arabic alone 6.58% -> 5.48%;
 * heavy 15.53% -> 15.21%, Arabic alone 11.37% -> 10.09%. */
#define LEX_WORD_MAX 96   /* bytes; longer runs are not words: left alone */
#define LEX_MAX_LETTERS 32 /* letters with readings in a word, at most */

static const char lex_pairs[][2][3] = {
    {"\xD9\x84", "\xDA\xB5"}, /* ل ڵ */
    {"\xDB\x8C", "\xDB\x8E"}, /* ی ێ */
    {"\xD9\x88", "\xDB\x86"}, /* و ۆ */
    {"\xD9\x87", "\xDB\x95"}, /* ه ە */
    {"\xD8\xB1", "\xDA\x95"}, /* ر ڕ */
    {"\xD9\x81", "\xDA\xA4"}, /* ف ڤ */
    {"\xD8\xAA", "\xD9\x86"}, /* ت ن: the new model misread ڕێکەوتی */
};
#define LEX_NPAIRS (sizeof(lex_pairs) / sizeof(lex_pairs[0]))

static int lex_cmp(const void *key, const void *elem) {
  return strcmp(key, *(const char *const *)elem);
}

static int lex_listed(const char *word) {
  return bsearch(word, sorani_lexicon,
                 sizeof(sorani_lexicon) / sizeof(sorani_lexicon[0]),
                 sizeof(sorani_lexicon[0]), lex_cmp) != NULL;
}

/* Suffixes of Sorani nouns and adjectives (definite, plural, indefinite,
 * ezafe, postpositions), longest first: the lexicon lists the forms its
 * text held, and a letter writes others (نوێی, هاوپێچەکان,
 * زانیارییەکانی, whose stems it lists). */
static const char *const lex_suffixes[] = {
    "یەکانی", "ەکانی", "یەکان", "ەکان", "یەکە", "ەکەی", "ەکە",
    "یەکی",   "یەک",   "ێک",    "ەوە",  "ەی",   "دا",   "ی",
};
#define LEX_STEM_MIN 6 /* bytes: a stem of three letters at least */

/* 1 when the lexicon lists a stem of word before one of lex_suffixes;
 * a stem ending in the suffix's first letter does not count (ە+ەی, ی+ی:
 * the readings ژمارەەی and فۆرمیی are no forms of ژمارە and فۆرم). */
static int lex_known_stem(const char *word) {
  size_t n = strlen(word);
  char stem[LEX_WORD_MAX + 1];
  for(size_t i = 0; i < sizeof(lex_suffixes) / sizeof(lex_suffixes[0]); i++) {
    const char *suf = lex_suffixes[i];
    size_t sl = strlen(suf);
    if(n > LEX_WORD_MAX || n < sl + LEX_STEM_MIN ||
       memcmp(word + n - sl, suf, sl) != 0 ||
       memcmp(word + n - sl - 2, suf, 2) == 0)
      continue;
    memcpy(stem, word, n - sl);
    stem[n - sl] = '\0';
    if(lex_listed(stem))
      return 1;
  }
  return 0;
}

/* 1 when the lexicon lists word or a stem of it (lex_known_stem). */
static int lex_known(const char *word) {
  return lex_listed(word) || lex_known_stem(word);
}

/* Letters a misread letter may stand for beyond its pair, one way only
 * (the letter on the right is never changed into the one on the left).
 * On heavy 200-dpi pages the models read the medial ێ, whose mark above
 * blurs, as ت or ن (نیشتەجتبوونی, هاویتج, کرنکار); ڕ, whose mark below
 * blurs, as ز (زێکەوتی); پ, which Arabic lacks, as ی or ب (دەستیێکردن,
 * سویاسدا, بێشەوا).  Heavy Sorani bench pages, seed 7: CER 2.74% ->
 * 2.51%, ێ recall 87.5% -> 92.5%; no run worse (docs/OCR.md). */
static const char lex_oneway[][2][3] = {
    {"\xD8\xAA", "\xDB\x8E"}, /* ت -> ێ */
    {"\xD9\x86", "\xDB\x8E"}, /* ن -> ێ */
    {"\xD8\xB2", "\xDA\x95"}, /* ز -> ڕ */
    {"\xD8\xA8", "\xD9\xBE"}, /* ب -> پ */
    {"\xDB\x8C", "\xD9\xBE"}, /* ی -> پ */
};
#define LEX_NONEWAY (sizeof(lex_oneway) / sizeof(lex_oneway[0]))
#define LEX_ALTS_MAX 5 /* a lex_dots group holds up to 5 others */

/* The letters s (2 bytes) may stand for: its pair's other letter and its
 * one-way readings; their number (0 when none). */
static int lex_alts(const char *s, const char *alt[LEX_ALTS_MAX]) {
  int n = 0;
  for(size_t i = 0; i < LEX_NPAIRS && n < LEX_ALTS_MAX; i++)
    for(int j = 0; j < 2; j++)
      if(memcmp(s, lex_pairs[i][j], 2) == 0)
        alt[n++] = lex_pairs[i][!j];
  for(size_t i = 0; i < LEX_NONEWAY && n < LEX_ALTS_MAX; i++)
    if(memcmp(s, lex_oneway[i][0], 2) == 0)
      alt[n++] = lex_oneway[i][1];
  return n;
}

/* Counts the lexicon spellings of word (len bytes) that change the letters
 * at pos[i] and, when j >= 0, pos[j], each to one of its readings; the
 * last one found is copied to found. */
static int lex_tries(int (*known)(const char *), const char *word,
                     size_t len, const size_t *pos,
                     const char *alts[][LEX_ALTS_MAX], const int *nalt, int i,
                     int j, char *found, int hits) {
  char alt[LEX_WORD_MAX + 1];
  for(int a = 0; a < nalt[i]; a++)
    for(int b = 0; b < (j < 0 ? 1 : nalt[j]); b++) {
      memcpy(alt, word, len + 1);
      memcpy(alt + pos[i], alts[i][a], 2);
      if(j >= 0)
        memcpy(alt + pos[j], alts[j][b], 2);
      if(known(alt) && (hits == 0 || strcmp(alt, found) != 0)) {
        memcpy(found, alt, len + 1);
        hits++;
      }
    }
  return hits;
}

/* Letters of one shape that differ in their dots: on heavy pages the
 * models misread them for each other (ژمازەی, بووسف, شلێز, پێوبست).  A
 * word no reading above settles takes the one listed spelling that
 * changes one of its letters for another of the letter's group.  On the
 * sixteen bench batches it changed 14 words, 13 into the truth and one
 * wrong reading into another (docs/OCR.md, "Letters of one shape").  ی
 * and ێ stand only for each other: ب ت ث ن پ may be a misread ی, ی is
 * never made one of them. */
static const struct {
  char letter[3];
  const char *group; /* the other letters, 2 bytes each */
} lex_dots[] = {
    {"ب", "تثنیپ"}, {"ت", "بثنیپ"}, {"ث", "بتنیپ"}, {"ن", "بتثیپ"},
    {"پ", "بتثنی"}, {"ی", "ێ"},     {"ێ", "ی"},     {"ج", "حخچ"},
    {"ح", "جخچ"},   {"خ", "جحچ"},   {"چ", "جحخ"},   {"د", "ذ"},
    {"ذ", "د"},     {"ر", "زژڕ"},   {"ز", "رژڕ"},   {"ژ", "رزڕ"},
    {"ڕ", "رزژ"},   {"س", "ش"},     {"ش", "س"},     {"ص", "ض"},
    {"ض", "ص"},     {"ط", "ظ"},     {"ظ", "ط"},     {"ع", "غ"},
    {"غ", "ع"},     {"ف", "قڤ"},    {"ق", "فڤ"},    {"ڤ", "فق"},
    {"و", "ۆ"},     {"ۆ", "و"},     {"ل", "ڵ"},     {"ڵ", "ل"},
    {"ک", "گ"},     {"گ", "ک"},
};
#define LEX_DOT_MIN_LETTERS 3

/* The letters of s's lex_dots group other than s (pointers into the
 * group, 2 bytes each); their number (0 when s is in no group). */
static int lex_dot_alts(const char *s, const char *alt[LEX_ALTS_MAX]) {
  for(size_t g = 0; g < sizeof(lex_dots) / sizeof(lex_dots[0]); g++) {
    if(memcmp(s, lex_dots[g].letter, 2) != 0)
      continue;
    int n = 0;
    for(const char *o = lex_dots[g].group; *o && n < LEX_ALTS_MAX; o += 2)
      alt[n++] = o;
    return n;
  }
  return 0;
}

/* word (len bytes) takes the one listed spelling that changes one letter
 * within its lex_dots group; unchanged when none is or two are. */
static void lex_settle_dots(char *word, size_t len) {
  size_t pos[LEX_WORD_MAX / 2], letters = 0, adv = 0;
  const char *alts[LEX_WORD_MAX / 2][LEX_ALTS_MAX];
  int nalt[LEX_WORD_MAX / 2], k = 0;
  for(size_t i = 0; i < len; i += adv ? adv : 1) {
    utf8_decode(word + i, len - i, &adv);
    letters++;
    if(k < LEX_WORD_MAX / 2 && i + 1 < len &&
       (nalt[k] = lex_dot_alts(word + i, alts[k])) > 0)
      pos[k++] = i;
  }
  if(letters < LEX_DOT_MIN_LETTERS)
    return;
  char found[LEX_WORD_MAX + 1];
  int hits = 0;
  for(int i = 0; i < k; i++)
    hits = lex_tries(lex_listed, word, len, pos, alts, nalt, i, -1, found,
                     hits);
  if(hits == 1)
    memcpy(word, found, len + 1);
}

/* word (NUL-terminated, len bytes) takes the one lexicon spelling that
 * differs from it in the fewest letters that may stand for each other
 * (one, else two); unchanged when it is known, when no spelling is, or
 * when two are at the same distance.  When none settles it, the letters
 * of one shape may (lex_settle_dots). */
static void lex_settle_word(char *word, size_t len) {
  size_t pos[LEX_MAX_LETTERS];
  const char *alts[LEX_MAX_LETTERS][LEX_ALTS_MAX];
  int nalt[LEX_MAX_LETTERS];
  int k = 0;
  for(size_t i = 0; i + 1 < len; i++) {
    const char *a[LEX_ALTS_MAX];
    int na = lex_alts(word + i, a);
    if(na) {
      if(k == LEX_MAX_LETTERS)
        return;
      memcpy(alts[k], a, sizeof(a));
      nalt[k] = na;
      pos[k++] = i++;
    }
  }
  if(k == 0 || len > LEX_WORD_MAX || lex_listed(word))
    return;
  /* Listed spellings first; a word whose stem is listed keeps its form
   * unless one is (گۆرینی, a form of the listed گۆرین, is the listed
   * گۆڕینی misread); then spellings whose stem is listed. */
  int (*const known[])(const char *) = {lex_listed, lex_known_stem};
  for(int pass = 0; pass < 2; pass++) {
    char found[LEX_WORD_MAX + 1];
    int hits = 0;
    if(pass == 1 && lex_known_stem(word))
      return;
    for(int i = 0; i < k; i++)
      hits = lex_tries(known[pass], word, len, pos, alts, nalt, i, -1, found,
                       hits);
    if(hits == 0) /* two letters only when no single one settles it */
      for(int i = 0; i < k; i++)
        for(int j = i + 1; j < k; j++)
          hits = lex_tries(known[pass], word, len, pos, alts, nalt, i, j,
                           found, hits);
    if(hits == 1)
      memcpy(word, found, len + 1);
    if(hits)
      return;
  }
  lex_settle_dots(word, len);
}

/* Words of text (2+ Arabic letters) and how many of them the lexicon
 * knows, read in Sorani spelling (ي ى -> ی, ك -> ک: two bytes each). */
static void lex_count_known(const char *text, long *words, long *known) {
  size_t n = strlen(text), i = 0, adv = 0;
  char w[LEX_WORD_MAX + 1];
  *words = *known = 0;
  while(i < n) {
    size_t start = i, letters = 0;
    while(i < n && is_arabic_letter(utf8_decode(text + i, n - i, &adv))) {
      i += adv;
      letters++;
    }
    if(letters >= 2 && i - start <= LEX_WORD_MAX) {
      memcpy(w, text + start, i - start);
      w[i - start] = '\0';
      for(size_t j = 0; j + 1 < i - start; j++) {
        if(memcmp(w + j, "\xD9\x8A", 2) == 0 ||
           memcmp(w + j, "\xD9\x89", 2) == 0) /* ي ى */
          memcpy(w + j, "\xDB\x8C", 2);
        else if(memcmp(w + j, "\xD9\x83", 2) == 0) /* ك */
          memcpy(w + j, "\xDA\xA9", 2);
      }
      (*words)++;
      *known += lex_known(w);
    }
    if(i == start)
      i += adv ? adv : 1;
  }
}

/* Letter pairs Sorani never writes in a row, which the models emit for
 * one letter (بەڕڕێوەبەری, ڕرێکەوتی on heavy Sorani pages): a letter
 * twice, or a Sorani letter and the Arabic letter it is built on.  Not
 * ەە: a reading that lost the ن of بکەنەوە (بکەەوە) would become the
 * known بکەوە, and the other model's right reading not be taken. */
static const char lex_doubles[][5] = {
    "ڕڕ", "ڕر", "رڕ", "ڵڵ", "ڵل", "لڵ", "ێێ",
};

/* word (len bytes, NUL-terminated) with one letter of a lex_doubles pair
 * dropped, when that makes the one spelling the lexicon knows; returns
 * the new length (len when unchanged). */
static size_t lex_drop_double(char *word, size_t len) {
  char alt[LEX_WORD_MAX + 1], found[LEX_WORD_MAX + 1];
  int hits = 0;
  if(len > LEX_WORD_MAX || lex_known(word))
    return len;
  for(size_t i = 0; i + 4 <= len && hits < 2; i += 2) {
    for(size_t d = 0; d < sizeof(lex_doubles) / sizeof(lex_doubles[0]); d++) {
      if(memcmp(word + i, lex_doubles[d], 4) != 0)
        continue;
      for(size_t k = 0; k < 2 && hits < 2; k++) { /* drop the first, the second */
        memcpy(alt, word, i + 2 * k);
        memcpy(alt + i + 2 * k, word + i + 2 * k + 2, len - i - 2 * k - 2 + 1);
        if(lex_known(alt) && (hits == 0 || strcmp(alt, found) != 0)) {
          memcpy(found, alt, len - 2 + 1);
          hits++;
        }
      }
      break;
    }
  }
  if(hits != 1)
    return len;
  memcpy(word, found, len - 2 + 1);
  return len - 2;
}

/* Every word of s (NUL-terminated) through lex_drop_double, in place. */
static void lex_drop_doubles(char *s) {
  size_t n = strlen(s), i = 0, adv = 0;
  while(i < n) {
    size_t start = i;
    while(i < n && is_arabic_letter(utf8_decode(s + i, n - i, &adv)))
      i += adv;
    if(i - start >= 8 && i - start <= LEX_WORD_MAX) { /* 4 letters or more */
      char w[LEX_WORD_MAX + 1];
      memcpy(w, s + start, i - start);
      w[i - start] = '\0';
      size_t m = lex_drop_double(w, i - start);
      if(m < i - start) {
        memcpy(s + start, w, m);
        memmove(s + start + m, s + i, n - i + 1);
        n -= i - start - m;
        i = start + m;
      }
    }
    if(i == start)
      i += adv ? adv : 1;
  }
}

/* Calls fn on every word of s (n bytes) in place, NUL-terminated for
 * the call: each run of Arabic letters of at most LEX_WORD_MAX bytes, and
 * with plain, only runs of letters U+0621-U+064A (two bytes each).  fn
 * keeps the word's length. */
static void each_word(char *s, size_t n, int plain,
                      void (*fn)(char *word, size_t len, void *ctx),
                      void *ctx) {
  size_t i = 0, adv = 0;
  while(i < n) {
    size_t start = i;
    int basic = 1;
    uint32_t cp;
    while(i < n && is_arabic_letter(cp = utf8_decode(s + i, n - i, &adv))) {
      basic = basic && cp <= 0x064A;
      i += adv;
    }
    if(i > start && i - start <= LEX_WORD_MAX && (basic || !plain)) {
      char save = s[i];
      s[i] = '\0';
      fn(s + start, i - start, ctx);
      s[i] = save;
    }
    if(i == start)
      i += adv ? adv : 1;
  }
}

static void lex_settle_one(char *word, size_t len, void *ctx) {
  (void)ctx;
  lex_settle_word(word, len);
}

/* Every word (run of Arabic letters) of s, in place. */
static void lex_settle(char *s, size_t n) {
  each_word(s, n, 0, lex_settle_one, NULL);
}

/* Letters of the Arabic script in a row that end at s[end] (exclusive),
 * at most max. */
static int letters_before(const char *s, size_t end, int max) {
  int k = 0;
  while(end > 0 && k < max) {
    size_t j = end - 1;
    while(j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80)
      j--;
    size_t adv = 0;
    if(!is_arabic_letter(utf8_decode(s + j, end - j, &adv)))
      break;
    end = j;
    k++;
  }
  return k;
}

/* Letters of the Arabic script in a row at the start of s, at most max. */
static int letters_after(const char *s, size_t n, int max) {
  int k = 0;
  size_t i = 0, adv = 0;
  while(i < n && k < max && is_arabic_letter(utf8_decode(s + i, n - i, &adv))) {
    i += adv;
    k++;
  }
  return k;
}

/* A full stop, colon or comma between two runs of JOINED_MIN letters or
 * more is the end of a word whose space the model lost (ناوی.کرێکار,
 * شؤون.المضمونين, ژمارەئ:خاوەنکار on the heavy bench pages: the truth has
 * none): a space follows it.  Abbreviations (د.ع, م.م) have shorter
 * parts and stay. */
#define JOINED_MIN 3

static int joins_two_words(const char *text, size_t at, uint32_t cp,
                           size_t n) {
  if(cp != '.' && cp != ':' && cp != ',' && cp != 0x060C)
    return 0;
  size_t adv = 0;
  utf8_decode(text + at, n - at, &adv);
  return letters_before(text, at, JOINED_MIN) == JOINED_MIN &&
         letters_after(text + at + adv, n - at - adv, JOINED_MIN) ==
             JOINED_MIN;
}

char *ocr_lang_fix_letters(const char *lang, const char *text) {
  int ckb = lang && strcmp(lang, "ckb") == 0;
  size_t n = text ? strlen(text) : 0, i = 0, adv = 0, skip = 0;
  uint32_t prev = 0, out[2];
  dbuf b = DBUF_INIT;
  char enc[4];
  while(i < n) {
    size_t at = i;
    uint32_t cp = utf8_decode(text + i, n - i, &adv);
    i += adv;
    int k = fix_letter(ckb, prev, cp, text + i, n - i, &skip, out);
    if(k == 1 && joins_two_words(text, at, cp, n))
      out[k++] = ' ';
    i += skip;
    for(int j = 0; j < k; j++) {
      if(dbuf_append(&b, enc, utf8_encode(out[j], enc)) != DAFTAR_OK) {
        dbuf_free(&b);
        return NULL;
      }
    }
    prev = cp;
  }
  dbuf_cstr(&b);
  if(ckb && b.data) {
    lex_drop_doubles(b.data);
    b.len = strlen(b.data);
    lex_settle(b.data, b.len);
  }
  return dbuf_take(&b);
}

void lang_comma_for_guillemet(const char *page, char *s) {
  size_t n = s ? strlen(s) : 0, i = 0, adv = 0;
  uint32_t prev = 0;
  if(!page || strstr(page, "\xC2\xAB")) /* « : guillemets are quotes here */
    return;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(cp == 0x00BB && text_is_word_char(prev) && prev != 0x200C)
      memcpy(s + i, "\xD8\x8C", 2); /* ، */
    prev = cp;
    i += adv ? adv : 1;
  }
}

/* Arabic letters of one shape that differ in their dots or hamza: the
 * models misread them for each other on degraded pages (صأحب, فرأس,
 * للمواذ, تشجيل, والحاق).  Each letter with the others it may stand for. */
static const struct {
  char letter[3];
  const char *group; /* the other letters, 2 bytes each */
} ar_dots[] = {
    {"ب", "تثنيى"}, {"ت", "بثنيى"}, {"ث", "بتنيى"}, {"ن", "بتثيى"},
    {"ي", "بتثنى"}, {"ى", "بتثني"}, {"ج", "حخ"},    {"ح", "جخ"},
    {"خ", "جح"},    {"د", "ذ"},     {"ذ", "د"},     {"ر", "ز"},
    {"ز", "ر"},     {"س", "ش"},     {"ش", "س"},     {"ص", "ض"},
    {"ض", "ص"},     {"ط", "ظ"},     {"ظ", "ط"},     {"ع", "غ"},
    {"غ", "ع"},     {"ف", "ق"},     {"ق", "ف"},     {"ه", "ة"},
    {"ة", "ه"},     {"ا", "أإآ"},   {"أ", "اإآ"},   {"إ", "اأآ"},
    {"آ", "اأإ"},   {"و", "ؤ"},     {"ؤ", "و"},
};
#define AR_SETTLE_MIN_LETTERS 4

static const char *ar_dot_group(const char *s) {
  for(size_t g = 0; g < sizeof(ar_dots) / sizeof(ar_dots[0]); g++)
    if(memcmp(s, ar_dots[g].letter, 2) == 0)
      return ar_dots[g].group;
  return NULL;
}

/* 1 when putting alt for the letter at word[pos] would drop the hamza of
 * a word's first letter after the article (الأم, للألبسة): both spellings
 * are in use, and the dictionary knows the plain one better. */
static int ar_drops_article_hamza(const char *word, size_t pos,
                                  const char *alt) {
  return memcmp(alt, "\xD8\xA7", 2) == 0 && /* ا */
         memcmp(word + pos, "\xD8\xA7", 2) != 0 && pos >= 4 &&
         (memcmp(word + pos - 4, "\xD8\xA7\xD9\x84", 4) == 0 || /* ال */
          memcmp(word + pos - 4, "\xD9\x84\xD9\x84", 4) == 0);  /* لل */
}

/* word (len bytes, letters U+0621-U+064A only) takes the one spelling
 * the dictionary (a known callback and its context) accepts that changes
 * one letter within its ar_dots group; unchanged when word is known, or
 * no such spelling is, or two are. */
typedef struct {
  int (*known)(const char *word, void *ctx);
  void *ctx;
} ar_dictionary;

static void ar_settle_word(char *word, size_t len, void *dict) {
  const ar_dictionary *d = dict;
  char alt[LEX_WORD_MAX + 1], found[LEX_WORD_MAX + 1];
  int hits = 0;
  if(len / 2 < AR_SETTLE_MIN_LETTERS || d->known(word, d->ctx))
    return;
  for(size_t i = 0; i + 1 < len && hits < 2; i += 2) {
    const char *group = ar_dot_group(word + i);
    for(const char *o = group; o && *o && hits < 2; o += 2) {
      if(ar_drops_article_hamza(word, i, o))
        continue;
      memcpy(alt, word, len + 1);
      memcpy(alt + i, o, 2);
      if(d->known(alt, d->ctx)) {
        memcpy(found, alt, len + 1);
        hits++;
      }
    }
  }
  if(hits == 1)
    memcpy(word, found, len + 1);
}

void lang_settle_arabic(char *s, int (*known)(const char *word, void *ctx),
                        void *ctx) {
  ar_dictionary d = {known, ctx};
  if(s)
    each_word(s, strlen(s), 1, ar_settle_word, &d);
}

int lang_sorani_known(const char *word) {
  char *t = ocr_lang_fix_letters("ckb", word);
  long words = 0, known = 0;
  if(t)
    lex_count_known(t, &words, &known);
  free(t);
  return words > 0 && known == words;
}

long lang_sorani_dots(const char *text) {
  static const struct {
    uint32_t cp;
    int dots;
  } dotted[] = {
      {0x0628, 1}, {0x062A, 2}, {0x062B, 3}, {0x0629, 2}, {0x062C, 1},
      {0x062E, 1}, {0x0630, 1}, {0x0632, 1}, {0x0634, 3}, {0x0636, 1},
      {0x0638, 1}, {0x063A, 1}, {0x0641, 1}, {0x0642, 2}, {0x0646, 1},
      {0x064A, 2}, {0x067E, 3}, {0x0686, 3}, {0x0698, 3}, {0x06A4, 3},
      {0x06CE, 2}, /* ب ت ث ة ج خ ذ ز ش ض ظ غ ف ق ن ي پ چ ژ ڤ ێ */
  };
  char *t = ocr_lang_fix_letters("ckb", text);
  long dots = 0;
  size_t n, i = 0, adv = 0;
  if(!t)
    return -1;
  n = strlen(t);
  while(i < n) {
    uint32_t cp = utf8_decode(t + i, n - i, &adv);
    for(size_t k = 0; k < sizeof(dotted) / sizeof(dotted[0]); k++)
      if(dotted[k].cp == cp)
        dots += dotted[k].dots;
    i += adv;
  }
  free(t);
  return dots;
}

static int model_installed(const char *dir, const char *model) {
  char path[LANG_PATH_MAX];
  int len = snprintf(path, sizeof(path), "%s/%s.traineddata", dir, model);
  if(len < 0 || (size_t)len >= sizeof(path))
    return 0;
  return access(path, R_OK) == 0;
}

int lang_model_installed(const char *tessdata, const char *model) {
  const char *dir = tessdata;
  if(!dir)
    dir = getenv("TESSDATA_PREFIX");
  if(!dir)
    dir = LANG_DEFAULT_TESSDATA;
  return model_installed(dir, model);
}

const char *ocr_model_for_lang(const char *lang, const char *tessdata,
                               const char *fallback) {
  if(!fallback)
    fallback = OCR_DEFAULT_LANG;
  if(!lang || strcmp(lang, "ckb") != 0)
    return fallback;
  if(!lang_model_installed(tessdata, "ckb"))
    return fallback;
  /* The trained Sorani model together with the Arabic-script one: measured
   * better than either alone on light scans (docs/BENCHMARKS.md, OCR). */
  return strcmp(fallback, OCR_DEFAULT_LANG) == 0 ? OCR_SORANI_MODELS : "ckb";
}

/* Measured (docs/BENCHMARKS.md, "Per-page model choice for degraded Sorani
 * pages"): on heavy scans at 200 dpi `ckb+Arabic` read 13 of 15 Sorani
 * pages worse than `Arabic` with the correction; light scans at 200 dpi
 * (a sixth of that noise or none) and heavy ones at 300 dpi read better
 * with it.  Of the heavy defects, the pepper noise alone does it (blur
 * and fading alone do not), and the speck count is what measures it. */
static int page_upscaled_and_noisy(const ocr_page_traits *page) {
  return page->dpi < OCR_MIN_DPI &&
         page->specks_per_mpx >= OCR_NOISY_SPECKS_PER_MPX;
}

const char *ocr_model_for_page(const char *lang, const char *tessdata,
                               const char *fallback,
                               const ocr_page_traits *page) {
  const char *model = ocr_model_for_lang(lang, tessdata, fallback);
  if(!page || !lang || strcmp(lang, "ckb") != 0)
    return model;
  if(page_upscaled_and_noisy(page))
    return fallback ? fallback : OCR_DEFAULT_LANG;
  return model;
}
