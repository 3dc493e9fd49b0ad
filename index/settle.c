/*
 * settle.c - how a name read on many documents is settled: the rules the
 * employer register (employers.c, by employer number) and the worker
 * register (workers.c, by worker) share.  No SQL here: the registers read
 * the readings, this file decides.
 *
 * From the variants read (each with how many documents read it, whether
 * an archivist corrected one of them, and its best confidence):
 *
 *   - a corrected reading outranks every machine reading (most documents
 *     first among corrected ones);
 *   - else the variant most documents read;
 *   - on a tie, the variant that holds all the ink of the others (each of
 *     them is it with letters dropped, a mark or hamza lost (ڕ→ر ڵ→ل ۆ→و
 *     ێ→ی, أ→ا) or some of a letter's dots lost (چ→ج→ح, ة→ه, ش→س ...,
 *     ink_lost)) and was read about as confidently as each, or better
 *     (SETTLE_CONF_SLACK).  Degraded scans lose ink more often than they
 *     grow it: of the employer names misread on the heavy bench scans
 *     (seeds 5, 11, 13, 23), الحكمة→الحكة, ئاسۆ→ئاس, کۆڕەک→کۆرەک,
 *     چیمەنتۆی→جیمەنتۆی, ڕەنج→ڕەنح lost ink, each read less confidently
 *     than the name (43-87 against 65-94); الرافدين→الوافدين and
 *     النور→التور did not, and such a tie stays undecided.  But OCR may
 *     add a letter too: کۆڕەک read کۆڕرەک on a light seed-13 page holds
 *     the other's ink, read at 51 against 93; the confidence keeps it
 *     from winning;
 *   - else the tied variant read most confidently, when it leads each
 *     other tied one by SETTLE_CONF_LEAD and they are all near it
 *     (چاپخانەی ڕەنج at 81 over ڕەنچ at 72, ڕەخ at 30: a dot a speck
 *     added, letters lost);
 *   - otherwise undecided: every document keeps its reading.
 *
 * A document whose reading is a near variant of the settled name (at most
 * SETTLE_MAX_EDITS edits, or one per SETTLE_LONG_CHARS_PER_EDIT characters
 * of a long name, and never more than one per SETTLE_CHARS_PER_EDIT) shows
 * the settled name; a far variant (a renamed firm, another name form)
 * keeps its reading.  A long name has more letters to misread: "کۆمپانیای
 * کەلا ویژ بۆ خزمەتگوزاری" is three edits from the 33 letters of the name
 * two other documents read (seed 11 heavy, 44647/doc-01).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#define SETTLE_MAX_EDITS 2
#define SETTLE_CHARS_PER_EDIT 4
#define SETTLE_LONG_CHARS_PER_EDIT 8
#define NAME_MAX_CPS 256 /* longer readings are never settled */
/* On a tie, the variant holding the others' ink wins only when its best
 * reading is at most this much less confident than theirs (OCR
 * confidence points).  Set on the bench pages: the added ر of کۆڕرەک
 * (51 against 93) must not win; چیمەنتۆی (93.5 against جیمەنتۆی's
 * 93.8) must. */
#define SETTLE_CONF_SLACK 10.0
/* On a tie no reading settles by its ink, the reading read this much more
 * confidently than each other tied one (all near it) wins.  Swept on the
 * 48-form bench archives (seeds 5, 11, 13, three scan qualities,
 * re-extracted): 5, 10 and 20 points each gained and 5 the most (14 fields
 * set right, 1 wrong: ئاراس عەمەد at 84 over ئاراس محەمەد at 70); the
 * readings OCR gets wrong are most often its less confident ones. */
#define SETTLE_CONF_LEAD 5.0

void settle_variants_free(struct settle_variant *v, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(v[i].name);
  free(v);
}

int settle_variant_add(struct settle_variant **v, size_t *n, size_t *cap,
                       const char *name, int corrected, double confidence)
{
  size_t i;

  for(i = 0; i < *n && strcmp((*v)[i].name, name) != 0; i++)
    ;
  if(i == *n) {
    if(*n == *cap) {
      struct settle_variant *p = array_grow(*v, cap, sizeof(*p), 8);
      if(!p)
        return DAFTAR_ENOMEM;
      *v = p;
    }
    (*v)[i] = (struct settle_variant){idx_strdup(name), 0, 0, confidence};
    if(!(*v)[i].name)
      return DAFTAR_ENOMEM;
    (*n)++;
  }
  (*v)[i].docs++;
  (*v)[i].corrected |= corrected;
  if(confidence > (*v)[i].confidence)
    (*v)[i].confidence = confidence;
  return DAFTAR_OK;
}

/* The letter a degraded scan leaves of cp when a mark, a hamza or some of
 * its dots are lost (cp itself when none). */
static uint32_t ink_lost(uint32_t cp)
{
  switch(cp) {
  case 0x0695: return 0x0631; /* ڕ -> ر */
  case 0x06B5: return 0x0644; /* ڵ -> ل */
  case 0x06C6: return 0x0648; /* ۆ -> و */
  case 0x06CE: return 0x06CC; /* ێ -> ی */
  case 0x0626: return 0x06CC; /* ئ -> ی */
  case 0x0623: /* أ */
  case 0x0625: /* إ */
  case 0x0622: return 0x0627; /* آ -> ا */
  case 0x0624: return 0x0648; /* ؤ -> و */
  case 0x0629: return 0x0647; /* ة -> ه */
  case 0x0686: return 0x062C; /* چ -> ج */
  case 0x062C: /* ج */
  case 0x062E: return 0x062D; /* خ -> ح */
  case 0x067E: return 0x0628; /* پ -> ب */
  case 0x0698: return 0x0632; /* ژ -> ز */
  case 0x0632: return 0x0631; /* ز -> ر */
  case 0x0634: return 0x0633; /* ش -> س */
  case 0x062B: return 0x062A; /* ث -> ت */
  case 0x06A4: return 0x0641; /* ڤ -> ف */
  case 0x0630: return 0x062F; /* ذ -> د */
  case 0x0636: return 0x0635; /* ض -> ص */
  case 0x0638: return 0x0637; /* ظ -> ط */
  case 0x063A: return 0x0639; /* غ -> ع */
  case 0x064A: /* ي */
  case 0x06CC: return 0x0649; /* ی -> ى */
  default: return cp;
  }
}

static size_t to_cps(const char *s, uint32_t *cp, size_t max)
{
  size_t n = 0, len = strlen(s), adv;

  for(size_t i = 0; i < len; i += adv) {
    if(n == max)
      return max + 1;
    cp[n++] = utf8_decode(s + i, len - i, &adv);
  }
  return n;
}

/* 1 when b is a with ink lost: letters dropped, marks lost (ink_lost),
 * nothing added; a != b. */
static int holds_ink_of(const char *a, const char *b)
{
  uint32_t ca[NAME_MAX_CPS], cb[NAME_MAX_CPS];
  unsigned char ok[NAME_MAX_CPS + 1];
  size_t na = to_cps(a, ca, NAME_MAX_CPS), nb = to_cps(b, cb, NAME_MAX_CPS);

  if(na > NAME_MAX_CPS || nb > NAME_MAX_CPS || nb > na || strcmp(a, b) == 0)
    return 0;
  /* ok[j]: a's first i code points can leave b's first j. */
  memset(ok, 0, sizeof(ok));
  ok[0] = 1;
  for(size_t i = 1; i <= na; i++)
    for(size_t j = nb; j >= 1; j--)
      if(ok[j - 1] && (ca[i - 1] == cb[j - 1] || ink_lost(ca[i - 1]) == cb[j - 1]))
        ok[j] = 1;
  return ok[nb];
}

/* 1 when reading is near enough to name to be taken for a misreading. */
int settle_near(const char *reading, const char *name)
{
  uint32_t cp[NAME_MAX_CPS];
  size_t n = to_cps(name, cp, NAME_MAX_CPS);
  int d;

  if(n > NAME_MAX_CPS)
    return 0;
  d = text_edit_distance(reading, name);
  return d >= 0 &&
         ((size_t)d <= SETTLE_MAX_EDITS ||
          (size_t)d * SETTLE_LONG_CHARS_PER_EDIT <= n) &&
         (size_t)d * SETTLE_CHARS_PER_EDIT <= n;
}

/* Does tied variant a beat tied variant b by its ink: b is near a, is a
 * with ink lost, and a was read about as confidently, or better? */
static int holds_ink_tied(const struct settle_variant *a,
                          const struct settle_variant *b)
{
  return settle_near(b->name, a->name) && holds_ink_of(a->name, b->name) &&
         a->confidence >= b->confidence - SETTLE_CONF_SLACK;
}

/* Does tied variant a beat tied variant b by its confidence: b is near a
 * and a was read SETTLE_CONF_LEAD more confidently? */
static int leads_tied(const struct settle_variant *a,
                      const struct settle_variant *b)
{
  return settle_near(b->name, a->name) &&
         a->confidence >= b->confidence + SETTLE_CONF_LEAD;
}

/* The one variant read by top documents that beats every other one read
 * by as many, or NULL. */
static const char *tie_winner(const struct settle_variant *v, size_t n,
                              int top,
                              int (*beats)(const struct settle_variant *,
                                           const struct settle_variant *))
{
  for(size_t i = 0; i < n; i++) {
    int beats_all = v[i].docs == top;
    for(size_t j = 0; j < n && beats_all; j++)
      if(j != i && v[j].docs == top)
        beats_all = beats(&v[i], &v[j]);
    if(beats_all)
      return v[i].name;
  }
  return NULL;
}

const char *settle_pick(const struct settle_variant *v, size_t n)
{
  const char *name;
  size_t best = n;
  int corrected = 0, top = 0;

  for(size_t i = 0; i < n; i++)
    corrected |= v[i].corrected;
  for(size_t i = 0; i < n; i++) {
    if(corrected && !v[i].corrected)
      continue;
    if(best == n || v[i].docs > top) {
      best = i;
      top = v[i].docs;
    }
  }
  if(best == n || corrected)
    return best == n ? NULL : v[best].name;
  /* Ties: the one variant that holds the ink of every other tied one and
   * was read about as confidently as each, or better; else the one read
   * clearly more confidently than each. */
  name = tie_winner(v, n, top, holds_ink_tied);
  return name ? name : tie_winner(v, n, top, leads_tied);
}
