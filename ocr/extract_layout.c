/*
 * extract_layout.c - from recognized words to form lines.
 *
 * Words come with boxes in master-page pixels, in Tesseract's reading
 * order.  This file finds each page's upright frame (skew and quarter turns
 * undone from the direction its lines are read in), cuts words into tokens
 * at colons and dotted leaders, groups tokens into lines by vertical
 * overlap (not by Tesseract's ids: table cells come as separate blocks),
 * orders each line right to left and drops specks of scan noise.
 * extract.c reads labels and values from the lines.
 */
#include <stdlib.h>
#include <string.h>

#include "extract_int.h"

/* Summed unit steps between words needed to trust a page's reading
 * direction (about two word pairs that agree). */
#define FRAME_MIN_EVIDENCE 1.5
/* Share of the smaller box height two words must overlap to share a line. */
#define LINE_OVERLAP 0.5
/* A text token smaller than this share of the line height both ways is a
 * speck of scan noise. */
#define SPECK_SHARE 0.3
/* Words of two Tesseract lines overlapping by more than this share of the
 * narrower one are one word read twice. */
#define DUP_OVERLAP 0.4

/* The upright frame of a page: unit vectors of the upright x (rightwards)
 * and y (downwards) axes in master-page coordinates.  Identity for an
 * upright page; a skewed or turned page (boxes are in master pixels) gets
 * its frame from the direction its lines are read in. */
typedef struct page_frame {
  double xx, xy; /* upright x axis */
  double yx, yy; /* upright y axis */
} page_frame;

/* ---- tokens -------------------------------------------------------------- */

int layout_is_colon(uint32_t cp)
{
  return cp == ':' || cp == 0xFF1A || cp == 0xFE13 || cp == 0xFE55 ||
         cp == 0x2236 || cp == 0xA789;
}

/* Characters dotted leaders and their OCR garbage are made of. */
int layout_is_leader_char(uint32_t cp)
{
  return cp == '.' || cp == 0x2026 || cp == 0x640 || cp == '_' ||
         cp == '-' || cp == 0xB7 || cp == 0x2022 || cp == 0x2024 ||
         cp == 0x2025 || cp == 0x22EF || cp == 0x2027 || cp == 0x2219 ||
         cp == 0x6D4 || cp == ',' || cp == 0x60C || cp == 0x2013 ||
         cp == 0x2014 || cp == '=' || cp == '~';
}

static int layout_push(layout *L, token *t)
{
  if(L->ntok == L->cap) {
    size_t cap = L->cap ? L->cap * 2 : 256;
    token *v = realloc(L->tok, cap * sizeof(*v));
    if(!v)
      return DAFTAR_ENOMEM;
    L->tok = v;
    L->cap = cap;
  }
  L->tok[L->ntok++] = *t;
  return DAFTAR_OK;
}

/* ---- page frames ----------------------------------------------------------- */

static const page_frame upright_frame = {1, 0, 0, 1};

/* Bounding box of box mapped by (ax, ay) -> (ax * ux + ay * uy, ...). */
static daftar_box map_box(daftar_box b, double ux, double uy, double vx,
                          double vy)
{
  const double xs[2] = {b.x0, b.x1}, ys[2] = {b.y0, b.y1};
  double lo_x = 0, hi_x = 0, lo_y = 0, hi_y = 0;
  daftar_box r;

  for(int i = 0; i < 4; i++) {
    double x = xs[i & 1], y = ys[i >> 1];
    double nx = x * ux + y * uy, ny = x * vx + y * vy;
    if(i == 0 || nx < lo_x) lo_x = nx;
    if(i == 0 || nx > hi_x) hi_x = nx;
    if(i == 0 || ny < lo_y) lo_y = ny;
    if(i == 0 || ny > hi_y) hi_y = ny;
  }
  r.x0 = (int)lo_x;
  r.x1 = (int)hi_x;
  r.y0 = (int)lo_y;
  r.y1 = (int)hi_y;
  return r;
}

static daftar_box to_upright(const page_frame *f, daftar_box b)
{
  return map_box(b, f->xx, f->xy, f->yx, f->yy);
}

static daftar_box to_master(const page_frame *f, daftar_box b)
{
  return map_box(b, f->xx, f->yx, f->xy, f->yy);
}

/* Square root by Newton's method: the only use of floating-point math
 * here, not worth a libm dependency in every binary that links ocr/. */
static double root(double v)
{
  double r = v > 1 ? v : 1;
  if(v <= 0)
    return 0;
  for(int i = 0; i < 64; i++) {
    double next = 0.5 * (r + v / r);
    if(next >= r)
      break;
    r = next;
  }
  return r;
}

int layout_has_arabic_letter(const char *s)
{
  size_t n = s ? strlen(s) : 0, i = 0, adv;
  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    if(cp >= 0x620 && cp <= 0x6D5 && !(cp >= 0x660 && cp <= 0x669))
      return 1;
    i += adv;
  }
  return 0;
}

/* The frame of page `page`: Arabic words of one Tesseract line follow
 * each other right to left, so the mean step from a word to the next is
 * the upright -x axis.  Upright when there is nothing to go by. */
static page_frame frame_of_page(const daftar_word *w, size_t n, int page)
{
  double sx = 0, sy = 0, len;
  page_frame f;

  for(size_t i = 1; i < n; i++) {
    const daftar_word *a = &w[i - 1], *b = &w[i];
    double dx, dy, d;
    if(a->page != page || b->page != page || a->block != b->block ||
       a->para != b->para || a->line != b->line ||
       !layout_has_arabic_letter(a->text) ||
       !layout_has_arabic_letter(b->text))
      continue;
    dx = (b->box.x0 + b->box.x1 - a->box.x0 - a->box.x1) / 2.0;
    dy = (b->box.y0 + b->box.y1 - a->box.y0 - a->box.y1) / 2.0;
    d = dx * dx + dy * dy;
    if(d <= 0)
      continue;
    d = root(d);
    sx += dx / d;
    sy += dy / d;
  }
  len = root(sx * sx + sy * sy);
  if(len < FRAME_MIN_EVIDENCE)
    return upright_frame;
  /* reading runs along -x: x = -r; y is x turned a quarter clockwise */
  f.xx = -sx / len;
  f.xy = -sy / len;
  f.yx = -f.xy;
  f.yy = f.xx;
  return f;
}

/* Adds the piece [b0, b1) of text (code points c0..c1 of cps) as a token,
 * with its share of the word's box (right to left, upright). */
static int add_piece(layout *L, const daftar_word *w, const page_frame *f,
                     const char *text, size_t b0, size_t b1, size_t c0,
                     size_t c1, size_t cps, int kind)
{
  dbuf key = DBUF_INIT, skel = DBUF_INIT;
  token t;
  daftar_box g = to_upright(f, w->box);
  long width = (long)g.x1 - g.x0;
  int rc;

  memset(&t, 0, sizeof(t));
  t.kind = kind;
  t.page = w->page;
  t.conf = w->conf;
  t.block = w->block;
  t.para = w->para;
  t.tline = w->line;
  t.box = w->box;
  t.g = g;
  if(cps > 0 && width > 0 && (c0 > 0 || c1 < cps)) {
    t.g.x1 = g.x1 - (int)(width * (long)c0 / (long)cps);
    t.g.x0 = g.x1 - (int)(width * (long)c1 / (long)cps);
    t.box = to_master(f, t.g);
  }
  t.text = strndup(text + b0, b1 - b0);
  if(!t.text)
    return DAFTAR_ENOMEM;
  rc = text_norm_key(t.text, b1 - b0, &key);
  if(!rc)
    rc = text_norm_skeleton(t.text, b1 - b0, &skel);
  if(rc)
    goto fail;
  t.key = dbuf_take(&key);
  t.skel = dbuf_take(&skel);
  if(!t.key || !t.skel) { /* empty buffers hand out NULL */
    free(t.key);
    free(t.skel);
    t.key = strdup("");
    t.skel = strdup("");
    if(!t.key || !t.skel) {
      rc = DAFTAR_ENOMEM;
      goto fail;
    }
  }
  for(const char *p = t.key; *p; p++)
    t.key_cps += ((unsigned char)*p & 0xC0) != 0x80;
  rc = layout_push(L, &t);
  if(rc)
    goto fail;
  return DAFTAR_OK;
fail:
  dbuf_free(&key);
  dbuf_free(&skel);
  free(t.text);
  free(t.key);
  free(t.skel);
  return rc;
}

/* Classifies a run of colon/leader characters inside a word: a separator
 * token, or 0 when the run belongs to the word (a date's '.', a kashida). */
static int run_kind(size_t nchars, int colons, int at_edge, int whole,
                    uint32_t first)
{
  if(nchars >= 3)
    return TOK_LEADER; /* "....", "::::", "ـــ" */
  if(colons)
    return TOK_COLON;
  if(nchars >= 2 && at_edge)
    return TOK_LEADER;
  /* a lone dot or tatweel is what is left of a leader; a lone comma or
   * dash is punctuation */
  if(whole && (first == '.' || first == 0x2026 || first == 0x640 ||
               first == '_' || first == 0xB7 || first == 0x2022 ||
               first == 0x2025 || first == 0x22EF))
    return TOK_LEADER;
  return TOK_TEXT;
}

#define WORD_MAX_CPS 512

/* Cuts one word into tokens at colons and leaders. */
static int add_word(layout *L, const daftar_word *w, const page_frame *f)
{
  dbuf clean = DBUF_INIT;
  size_t off[WORD_MAX_CPS + 1], ncp = 0, i, adv, n;
  uint32_t cps[WORD_MAX_CPS];
  size_t piece = 0; /* first code point of the current text piece */
  int rc;

  rc = text_strip_bidi(w->text ? w->text : "", w->text ? strlen(w->text) : 0,
                       &clean);
  if(rc)
    goto out;
  n = clean.len;
  for(i = 0; i < n && ncp < WORD_MAX_CPS;) {
    off[ncp] = i;
    cps[ncp++] = utf8_decode(clean.data + i, n - i, &adv);
    i += adv;
  }
  off[ncp] = i;
  /* trim spaces */
  while(ncp > 0 && (cps[ncp - 1] == ' ' || cps[ncp - 1] == '\t'))
    ncp--;
  while(piece < ncp && (cps[piece] == ' ' || cps[piece] == '\t'))
    piece++;
  if(piece == ncp)
    goto out;
  {
    size_t lo = piece, hi = ncp, total = ncp - piece;
    i = lo;
    while(i < hi) {
      size_t j = i;
      int colons = 0, kind;
      if(!layout_is_colon(cps[i]) && !layout_is_leader_char(cps[i])) {
        i++;
        continue;
      }
      while(j < hi && (layout_is_colon(cps[j]) || layout_is_leader_char(cps[j]))) {
        colons += layout_is_colon(cps[j]);
        j++;
      }
      kind = run_kind(j - i, colons, i == lo || j == hi, i == lo && j == hi,
                      cps[i]);
      if(kind == TOK_TEXT) {
        i = j;
        continue;
      }
      if(i > piece) {
        rc = add_piece(L, w, f, clean.data, off[piece], off[i], piece - lo,
                       i - lo, total, TOK_TEXT);
        if(rc)
          goto out;
      }
      rc = add_piece(L, w, f, clean.data, off[i], off[j], i - lo, j - lo, total,
                     kind);
      if(rc)
        goto out;
      piece = i = j;
    }
    if(piece < hi)
      rc = add_piece(L, w, f, clean.data, off[piece], off[hi], piece - lo,
                     hi - lo, total, TOK_TEXT);
  }
out:
  dbuf_free(&clean);
  return rc;
}

/* Sorani letters Arabic does not use, and the Arabic letter Sorani does
 * not use: enough to tell a document's language. */
static int is_sorani_letter(uint32_t cp)
{
  return cp == 0x6D5 || cp == 0x6CE || cp == 0x6C6 || cp == 0x6B5 ||
         cp == 0x695;
}

/* Sorani in s: 1, Arabic: 0, cannot tell: -1.  Sorani has its own
 * letters; ة is Arabic only. */
int layout_lang_hint(const char *s)
{
  size_t n = strlen(s), i = 0, adv, sorani = 0, arabic = 0;

  while(i < n) {
    uint32_t cp = utf8_decode(s + i, n - i, &adv);
    sorani += is_sorani_letter(cp) ? 1 : 0;
    arabic += cp == 0x629 ? 1 : 0;
    i += adv;
  }
  if(sorani == arabic)
    return -1;
  return sorani > arabic;
}

static int doc_is_sorani(const layout *L)
{
  size_t sorani = 0, arabic = 0;

  for(size_t t = 0; t < L->ntok; t++) {
    const char *s = L->tok[t].text;
    size_t n = strlen(s), i = 0, adv;
    while(i < n) {
      uint32_t cp = utf8_decode(s + i, n - i, &adv);
      sorani += is_sorani_letter(cp) ? 1 : 0;
      arabic += cp == 0x629; /* ة */
      i += adv;
    }
  }
  return sorani > 2 * arabic;
}

/* ---- lines --------------------------------------------------------------- */

int layout_box_height(const daftar_box *b)
{
  return b->y1 > b->y0 ? b->y1 - b->y0 : 1;
}

typedef struct sort_key {
  long a, b, c;
  size_t idx;
} sort_key;

static int cmp_sort_key(const void *pa, const void *pb)
{
  const sort_key *x = pa, *y = pb;
  if(x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if(x->b != y->b)
    return x->b < y->b ? -1 : 1;
  if(x->c != y->c)
    return x->c < y->c ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_int(const void *pa, const void *pb)
{
  int x = *(const int *)pa, y = *(const int *)pb;
  return (x > y) - (x < y);
}

/* Assigns each token to a line (vertical overlap with the line's mean
 * extent), tokens taken top to bottom. */
static int group_lines(layout *L)
{
  sort_key *keys = NULL;
  size_t i, page_first = 0;
  int rc = DAFTAR_ENOMEM;

  keys = malloc((L->ntok + 1) * sizeof(*keys));
  L->line_of = malloc((L->ntok + 1) * sizeof(*L->line_of));
  L->lines = malloc((L->ntok + 1) * sizeof(*L->lines));
  if(!keys || !L->line_of || !L->lines)
    goto out;
  for(i = 0; i < L->ntok; i++) {
    const daftar_box *b = &L->tok[i].g;
    keys[i] = (sort_key){L->tok[i].page, (long)b->y0 + b->y1, 0, i};
  }
  qsort(keys, L->ntok, sizeof(*keys), cmp_sort_key);
  for(i = 0; i < L->ntok; i++) {
    token *t = &L->tok[keys[i].idx];
    int h = layout_box_height(&t->g), best = -1;
    double best_overlap = 0;
    if(i == 0 || keys[i - 1].a != keys[i].a)
      page_first = L->nlines;
    for(size_t l = page_first; l < L->nlines; l++) {
      xline *x = &L->lines[l];
      long ly0 = x->sum_y0 / (long)x->ntok, ly1 = x->sum_y1 / (long)x->ntok;
      long lh = ly1 > ly0 ? ly1 - ly0 : 1;
      long lo = ly0 > t->g.y0 ? ly0 : t->g.y0;
      long hi = ly1 < t->g.y1 ? ly1 : t->g.y1;
      double overlap = (double)(hi - lo);
      if(overlap >= LINE_OVERLAP * (double)(lh < h ? lh : h) &&
         overlap > best_overlap) {
        best_overlap = overlap;
        best = (int)l;
      }
    }
    if(best < 0) {
      best = (int)L->nlines++;
      memset(&L->lines[best], 0, sizeof(L->lines[best]));
      L->lines[best].page = t->page;
    }
    L->lines[best].sum_y0 += t->g.y0;
    L->lines[best].sum_y1 += t->g.y1;
    L->lines[best].ntok++;
    L->line_of[keys[i].idx] = best;
  }
  rc = DAFTAR_OK;
out:
  free(keys);
  return rc;
}

static int is_speck(const token *t, int line_height)
{
  double limit = SPECK_SHARE * line_height;
  return t->kind == TOK_TEXT && t->g.x1 - t->g.x0 < limit &&
         layout_box_height(&t->g) < limit;
}

/* Are a and b the same ink read twice?  Tesseract sometimes finds two
 * text lines on one (a table row, a stamp over text): words of different
 * Tesseract lines that overlap by more than DUP_OVERLAP of the narrower. */
static int is_duplicate(const token *a, const token *b)
{
  int lo = a->g.x0 > b->g.x0 ? a->g.x0 : b->g.x0;
  int hi = a->g.x1 < b->g.x1 ? a->g.x1 : b->g.x1;
  int wa = a->g.x1 - a->g.x0, wb = b->g.x1 - b->g.x0;

  if(a->kind != TOK_TEXT || b->kind != TOK_TEXT || !*a->key || !*b->key)
    return 0;
  if(a->block == b->block && a->para == b->para && a->tline == b->tline)
    return 0;
  return hi - lo > DUP_OVERLAP * (wa < wb ? wa : wb);
}

/* Sets the line's height (median of its real words: boxes under a quarter
 * of the tallest are left out), drops specks (scan noise that OCR reads as
 * a lone "٠", "1" or ")" and that would otherwise join a value) and keeps
 * the more confident of two readings of the same word. */
static void clean_line(layout *L, xline *x, int *heights)
{
  size_t k, n = 0, kept = 0;
  int tallest = 1;

  for(k = 0; k < x->ntok; k++) {
    int h = layout_box_height(&L->tok[L->order[x->first + k]].g);
    if(h > tallest)
      tallest = h;
  }
  for(k = 0; k < x->ntok; k++) {
    int h = layout_box_height(&L->tok[L->order[x->first + k]].g);
    if(4 * h >= tallest)
      heights[n++] = h;
  }
  qsort(heights, n, sizeof(*heights), cmp_int);
  x->height = n ? heights[n / 2] : tallest;
  for(k = 0; k < x->ntok; k++) {
    size_t idx = L->order[x->first + k];
    token *t = &L->tok[idx];
    if(is_speck(t, x->height))
      continue;
    if(kept > 0) {
      size_t *last = &L->order[x->first + kept - 1];
      if(is_duplicate(&L->tok[*last], t)) {
        if(t->conf > L->tok[*last].conf)
          *last = idx;
        continue;
      }
    }
    L->order[x->first + kept++] = idx;
  }
  x->ntok = kept; /* the rest of the line's range is left unused */
}

static int same_tesseract_line(const token *a, const token *b)
{
  return a->page == b->page && a->block == b->block && a->para == b->para &&
         a->tline == b->tline;
}

static int cmp_size(const void *pa, const void *pb)
{
  size_t x = *(const size_t *)pa, y = *(const size_t *)pb;
  return (x > y) - (x < y);
}

/* Within one Tesseract line, Tesseract's word order is the reading order
 * where boxes overlap and geometry cannot tell: a word's box that
 * swallowed the rest of a leader reaches as far right as the word before
 * it ("شركة النور للتجارة" came out "شركة للتجارة النور").  Only
 * overlapping neighbours are reordered: Tesseract puts a stray speck
 * found right of a label at the end of its line, and geometry is right
 * there.  Tokens are made in input order, so their indices give
 * Tesseract's order. */
static void keep_tesseract_order(layout *L, const xline *x)
{
  size_t *o = L->order + x->first, k = 0;

  while(k < x->ntok) {
    size_t end = k + 1;
    while(end < x->ntok && same_tesseract_line(&L->tok[o[k]], &L->tok[o[end]]) &&
          L->tok[o[end]].g.x1 > L->tok[o[end - 1]].g.x0)
      end++;
    if(end - k > 1)
      qsort(o + k, end - k, sizeof(size_t), cmp_size);
    k = end;
  }
}

/* Orders lines top to bottom and each line's tokens right to left. */
static int order_lines(layout *L)
{
  sort_key *keys = NULL;
  size_t *rank = NULL, *fill = NULL, i;
  xline *sorted = NULL;
  int *heights = NULL, rc = DAFTAR_ENOMEM;

  keys = malloc((L->nlines + L->ntok + 1) * sizeof(*keys));
  rank = malloc((L->nlines + 1) * sizeof(*rank));
  fill = calloc(L->nlines + 1, sizeof(*fill));
  sorted = malloc((L->nlines + 1) * sizeof(*sorted));
  L->order = malloc((L->ntok + 1) * sizeof(*L->order));
  heights = malloc((L->ntok + 1) * sizeof(*heights));
  if(!keys || !rank || !fill || !sorted || !L->order || !heights)
    goto out;
  for(i = 0; i < L->nlines; i++)
    keys[i] = (sort_key){L->lines[i].page,
                         L->lines[i].sum_y0 / (long)L->lines[i].ntok, 0, i};
  qsort(keys, L->nlines, sizeof(*keys), cmp_sort_key);
  for(i = 0; i < L->nlines; i++) {
    rank[keys[i].idx] = i;
    sorted[i] = L->lines[keys[i].idx];
  }
  for(i = 0; i < L->ntok; i++)
    L->line_of[i] = (int)rank[L->line_of[i]];
  memcpy(L->lines, sorted, L->nlines * sizeof(*sorted));
  /* tokens by (line, x1 descending, x0 descending, input order) */
  for(i = 0; i < L->ntok; i++)
    keys[i] = (sort_key){L->line_of[i], -(long)L->tok[i].g.x1,
                         -(long)L->tok[i].g.x0, i};
  qsort(keys, L->ntok, sizeof(*keys), cmp_sort_key);
  for(i = 0; i < L->ntok; i++) {
    size_t l = (size_t)keys[i].a;
    L->order[i] = keys[i].idx;
    if(fill[l]++ == 0)
      L->lines[l].first = i;
  }
  for(i = 0; i < L->nlines; i++) {
    keep_tesseract_order(L, &L->lines[i]);
    clean_line(L, &L->lines[i], heights);
  }
  rc = DAFTAR_OK;
out:
  free(keys);
  free(rank);
  free(fill);
  free(sorted);
  free(heights);
  return rc;
}

void layout_free(layout *L)
{
  for(size_t i = 0; i < L->ntok; i++) {
    free(L->tok[i].text);
    free(L->tok[i].key);
    free(L->tok[i].skel);
  }
  free(L->tok);
  free(L->order);
  free(L->line_of);
  free(L->lines);
  memset(L, 0, sizeof(*L));
}

int layout_build(const daftar_word *words, size_t n, layout *L)
{
  int rc;

  page_frame f = upright_frame;
  int frame_page = 0;

  memset(L, 0, sizeof(*L));
  for(size_t i = 0; i < n; i++) {
    if(i == 0 || words[i].page != frame_page) {
      frame_page = words[i].page;
      f = frame_of_page(words, n, frame_page);
    }
    rc = add_word(L, &words[i], &f);
    if(rc)
      return rc;
  }
  L->sorani = doc_is_sorani(L);
  rc = group_lines(L);
  if(rc)
    return rc;
  return order_lines(L);
}

/* Token at position pos of line l. */
token *layout_tok(layout *L, size_t l, size_t pos)
{
  return &L->tok[L->order[L->lines[l].first + pos]];
}

