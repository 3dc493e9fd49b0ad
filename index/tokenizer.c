/*
 * tokenizer.c - the "daftar" FTS5 tokenizer for Arabic and Sorani text.
 *
 * A word is a run of core's word characters (text_is_word_char: letters,
 * digits, harakat, ZWNJ/ZWJ).  Each character is folded with
 * text_fold_char (0..2 code points: harakat, tatweel, ZWNJ vanish, so a
 * Sorani word written with ZWNJ stays one word; variants fold to one letter;
 * every digit style becomes ASCII).  The token carries the ORIGINAL byte
 * offsets of the word (from its first to its last character that yields
 * output), so snippet() and highlight() mark the text as stored.
 *
 * Keys:
 *   - exact key: the folded word.  Emitted in every mode.
 *   - skeleton key: TOK_SKELETON_PREFIX + the dotless skeleton
 *     (text_skeleton_char) of the folded word, emitted colocated
 *     (FTS5_TOKEN_COLOCATED) when indexing (document and aux modes) for
 *     every word holding a non-ASCII character.  It is emitted even when the
 *     skeleton spells like the word, because a query in skeleton mode looks
 *     only at skeleton keys; the prefix keeps the two key spaces apart
 *     (exact keys are made of word characters and '~' is not one).
 *   - without the article: a word starting with ال (or وبال وال ولل بال كال فال لل)
 *     and at least three letters after it is also indexed without it,
 *     colocated (exact and skeleton), so prose finds شركة in الشركة.  No
 *     other stemming: names are matched as written.
 *   - compounds: عبد الله and عبدالله (also ابو) index each other's
 *     spelling, colocated (see emit_compounds).
 * At query time a string that starts with TOK_SKELETON_MARK (U+E000, which
 * search strips from user input) yields skeleton keys instead of exact
 * ones: that is how search retries a query that found nothing, e.g. when OCR
 * dropped a dot.
 */
#include <string.h>

#include "index_int.h"

typedef int (*tok_emit_fn)(void *ctx, int tflags, const char *tok, int n,
                           int start, int end);

/* One word being collected. */
struct tok_word {
  char key[TOK_MAX_BYTES + 4];
  char skel[TOK_MAX_BYTES + 8];
  size_t nkey, nskel;
  int start, end;   /* byte offsets in the input; start < 0: empty word */
  int non_ascii;
  /* The previous word when it was a compound head alone (عبد in عبد الله);
   * kept across word_reset().  nprev_key == 0: none. */
  char prev_key[16], prev_skel[24];
  size_t nprev_key, nprev_skel;
};

static void word_reset(struct tok_word *w)
{
  memcpy(w->skel, TOK_SKELETON_PREFIX, sizeof(TOK_SKELETON_PREFIX) - 1);
  w->nskel = sizeof(TOK_SKELETON_PREFIX) - 1;
  w->nkey = 0;
  w->start = -1;
  w->end = -1;
  w->non_ascii = 0;
}

/* Adds one folded code point; words longer than TOK_MAX_BYTES keep their
 * first bytes (whole code points only). */
static void word_add(struct tok_word *w, uint32_t c)
{
  char enc[4];
  size_t k = utf8_encode(c, enc);
  uint32_t s = text_skeleton_char(c);

  if(c >= 0x80)
    w->non_ascii = 1;
  if(w->nkey + k <= TOK_MAX_BYTES) {
    memcpy(w->key + w->nkey, enc, k);
    w->nkey += k;
    k = utf8_encode(s, enc);
    if(w->nskel + k <= TOK_MAX_BYTES + sizeof(TOK_SKELETON_PREFIX) - 1) {
      memcpy(w->skel + w->nskel, enc, k);
      w->nskel += k;
    }
  }
}

/* Byte offset after the first k code points of s (n bytes). */
static size_t skip_code_points(const char *s, size_t n, size_t k)
{
  size_t i = 0, adv;

  while(k-- > 0 && i < n) {
    utf8_decode(s + i, n - i, &adv);
    i += adv;
  }
  return i;
}

/* The article and the clitics glued to it, folded: when a word starts with
 * one and keeps at least ARTICLE_REST_MIN letters after it, the rest is
 * indexed too (colocated), so شركة finds الشركة and نفط finds للنفط.
 * Longest first.  Not applied at query time: a query with the article asks
 * for it. */
#define ARTICLE_REST_MIN 3
static const struct {
  const char *utf8;
  size_t code_points;
} articles[] = {
    {"\xD9\x88\xD8\xA8\xD8\xA7\xD9\x84", 4}, /* وبال */
    {"\xD9\x88\xD8\xA7\xD9\x84", 3}, /* وال */
    {"\xD9\x88\xD9\x84\xD9\x84", 3}, /* ولل */
    {"\xD8\xA8\xD8\xA7\xD9\x84", 3}, /* بال */
    {"\xD9\x83\xD8\xA7\xD9\x84", 3}, /* كال */
    {"\xD9\x81\xD8\xA7\xD9\x84", 3}, /* فال */
    {"\xD8\xA7\xD9\x84", 2},           /* ال */
    {"\xD9\x84\xD9\x84", 2},           /* لل */
};

static size_t count_code_points(const char *s, size_t n)
{
  size_t i = 0, k = 0, adv;

  while(i < n) {
    utf8_decode(s + i, n - i, &adv);
    i += adv;
    k++;
  }
  return k;
}

static int emit_without_article(const struct tok_word *w, tok_emit_fn emit,
                                void *ctx)
{
  const size_t pre = sizeof(TOK_SKELETON_PREFIX) - 1;

  for(size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
    size_t alen = strlen(articles[i].utf8), scut;
    char skel[TOK_MAX_BYTES + 8];
    int rc;

    if(w->nkey <= alen || memcmp(w->key, articles[i].utf8, alen) != 0)
      continue;
    if(count_code_points(w->key + alen, w->nkey - alen) < ARTICLE_REST_MIN)
      return 0; /* الله stays whole */
    rc = emit(ctx, FTS5_TOKEN_COLOCATED, w->key + alen,
              (int)(w->nkey - alen), w->start, w->end);
    /* The skeleton of the rest, behind the marker prefix; skeleton classes
     * map code point to code point, so the article is as many of them. */
    scut = pre + skip_code_points(w->skel + pre, w->nskel - pre,
                                  articles[i].code_points);
    if(rc == 0 && scut < w->nskel) {
      memcpy(skel, TOK_SKELETON_PREFIX, pre);
      memcpy(skel + pre, w->skel + scut, w->nskel - scut);
      rc = emit(ctx, FTS5_TOKEN_COLOCATED, skel, (int)(pre + w->nskel - scut),
                w->start, w->end);
    }
    return rc;
  }
  return 0;
}

/* Name compounds written with or without a space: عبد الله / عبدالله,
 * ابو بكر / ابوبكر.  When indexing, a head followed by a word also yields
 * the joined word (colocated with the second word), and a joined word also
 * yields the head and the rest (colocated), so either spelling finds the
 * other (as separate terms; a quoted phrase keeps its spelling). */
static const char *const compound_heads[] = {
    "\xD8\xB9\xD8\xA8\xD8\xAF", /* عبد */
    "\xD8\xA7\xD8\xA8\xD9\x88", /* ابو */
};
#define COMPOUND_REST_MIN 3

/* Emits prefix+key and its skeleton twin, colocated. */
static int emit_joined(const char *k1, size_t n1, const char *k2, size_t n2,
                       const struct tok_word *w, tok_emit_fn emit, void *ctx)
{
  char buf[TOK_MAX_BYTES + 32];

  if(n1 + n2 > sizeof(buf))
    return 0;
  memcpy(buf, k1, n1);
  memcpy(buf + n1, k2, n2);
  return emit(ctx, FTS5_TOKEN_COLOCATED, buf, (int)(n1 + n2), w->start,
              w->end);
}

static int emit_compounds(struct tok_word *w, tok_emit_fn emit, void *ctx)
{
  const size_t pre = sizeof(TOK_SKELETON_PREFIX) - 1;
  int rc = 0;

  if(w->nprev_key) { /* عبد + الله -> عبدالله */
    rc = emit_joined(w->prev_key, w->nprev_key, w->key, w->nkey, w, emit,
                     ctx);
    if(rc == 0)
      rc = emit_joined(w->prev_skel, w->nprev_skel, w->skel + pre,
                       w->nskel - pre, w, emit, ctx);
  }
  w->nprev_key = w->nprev_skel = 0;
  for(size_t i = 0; rc == 0 && i < sizeof(compound_heads) /
                                       sizeof(compound_heads[0]); i++) {
    const char *h = compound_heads[i];
    size_t hn = strlen(h), hs;
    if(w->nkey < hn || memcmp(w->key, h, hn) != 0)
      continue;
    hs = pre + skip_code_points(w->skel + pre, w->nskel - pre, 3);
    if(w->nkey == hn) { /* a head alone: join it with the next word */
      memcpy(w->prev_key, w->key, hn);
      w->nprev_key = hn;
      memcpy(w->prev_skel, w->skel, hs);
      w->nprev_skel = hs;
      break;
    }
    if(count_code_points(w->key + hn, w->nkey - hn) < COMPOUND_REST_MIN)
      break;
    /* عبدالله -> عبد, الله (and their skeletons) */
    rc = emit(ctx, FTS5_TOKEN_COLOCATED, h, (int)hn, w->start, w->end);
    if(rc == 0)
      rc = emit(ctx, FTS5_TOKEN_COLOCATED, w->key + hn, (int)(w->nkey - hn),
                w->start, w->end);
    if(rc == 0)
      rc = emit(ctx, FTS5_TOKEN_COLOCATED, w->skel, (int)hs, w->start,
                w->end);
    if(rc == 0)
      rc = emit_joined(TOK_SKELETON_PREFIX, pre, w->skel + hs, w->nskel - hs,
                       w, emit, ctx);
    break;
  }
  return rc;
}

static int word_flush(struct tok_word *w, int index_mode, int skeleton_query,
                      tok_emit_fn emit, void *ctx)
{
  int rc = 0;

  if(w->nkey == 0)
    goto out;
  if(skeleton_query && w->non_ascii)
    rc = emit(ctx, 0, w->skel, (int)w->nskel, w->start, w->end);
  else
    rc = emit(ctx, 0, w->key, (int)w->nkey, w->start, w->end);
  if(rc == 0 && index_mode && w->non_ascii)
    rc = emit(ctx, FTS5_TOKEN_COLOCATED, w->skel, (int)w->nskel, w->start,
              w->end);
  if(rc == 0 && index_mode && w->non_ascii)
    rc = emit_without_article(w, emit, ctx);
  if(rc == 0 && index_mode)
    rc = emit_compounds(w, emit, ctx);
out:
  word_reset(w);
  return rc;
}

static int tok_scan(const char *text, int n, int index_mode, tok_emit_fn emit,
                    void *ctx)
{
  struct tok_word w;
  size_t i = 0, adv, len = n > 0 ? (size_t)n : 0;
  int skeleton_query = 0, rc = 0;

  word_reset(&w);
  w.nprev_key = w.nprev_skel = 0;
  if(!index_mode && len >= 3 && utf8_decode(text, len, &adv) ==
                                    TOK_SKELETON_MARK) {
    skeleton_query = 1;
    i = adv;
  }
  while(i < len && rc == 0) {
    uint32_t cp = utf8_decode(text + i, len - i, &adv), f[2];
    int k;

    if(!text_is_word_char(cp)) {
      rc = word_flush(&w, index_mode, skeleton_query, emit, ctx);
      i += adv;
      continue;
    }
    k = text_fold_char(cp, f);
    if(k > 0) {
      if(w.start < 0)
        w.start = (int)i;
      w.end = (int)(i + adv);
      for(int j = 0; j < k; j++)
        word_add(&w, f[j]);
    }
    i += adv;
  }
  if(rc == 0)
    rc = word_flush(&w, index_mode, skeleton_query, emit, ctx);
  return rc;
}

/* ---- FTS5 glue ----------------------------------------------------------- */

/* The tokenizer has no state: the instance is just a non-NULL marker. */
static int daftar_tok_instance;

static int daftar_create(void *ctx, const char **argv, int argc,
                         Fts5Tokenizer **out)
{
  (void)ctx;
  (void)argv;
  if(argc != 0) /* no options exist; refuse rather than ignore them */
    return SQLITE_ERROR;
  *out = (Fts5Tokenizer *)&daftar_tok_instance;
  return SQLITE_OK;
}

static void daftar_delete(Fts5Tokenizer *t)
{
  (void)t;
}

static int daftar_tokenize(Fts5Tokenizer *t, void *ctx, int flags,
                           const char *text, int n,
                           int (*token)(void *, int, const char *, int, int,
                                        int))
{
  int index_mode = (flags & (FTS5_TOKENIZE_DOCUMENT | FTS5_TOKENIZE_AUX)) != 0;

  (void)t;
  return tok_scan(text, n, index_mode, token, ctx);
}

int tok_register(fts5_api *api)
{
  static fts5_tokenizer tok = {daftar_create, daftar_delete, daftar_tokenize};

  return api->xCreateTokenizer(api, "daftar", NULL, &tok, NULL);
}

static int count_token(void *ctx, int tflags, const char *tok, int n,
                       int start, int end)
{
  (void)tflags;
  (void)tok;
  (void)n;
  (void)start;
  (void)end;
  (*(int *)ctx)++;
  return 0;
}

int tok_count(const char *text, size_t n)
{
  int count = 0;

  if(n > INT32_MAX)
    return 0;
  tok_scan(text, (int)n, 0, count_token, &count);
  return count;
}

/* The last token's key length in code points (the one a trailing '*'
 * makes a prefix). */
static int last_token(void *ctx, int tflags, const char *tok, int n,
                      int start, int end)
{
  int chars = 0;

  (void)tflags;
  (void)start;
  (void)end;
  for(int i = 0; i < n; i++)
    chars += ((unsigned char)tok[i] & 0xC0) != 0x80;
  *(int *)ctx = chars;
  return 0;
}

int tok_last_length(const char *text, size_t n)
{
  int chars = 0;

  if(n > INT32_MAX)
    return 0;
  tok_scan(text, (int)n, 0, last_token, &chars);
  return chars;
}
