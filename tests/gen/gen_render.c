/*
 * gen_render.c - draw document pages and text lines with Pango and Cairo.
 *
 * Text is shaped by Pango (HarfBuzz underneath), so joining, lam-alef
 * ligatures, marks and bidi are those of a real typesetter.  Each label,
 * value and line is its own layout placed by measured extents; the page
 * direction is RTL, so a value with no strong letters (a date, a number)
 * takes the page's direction like it would in a word processor.
 *
 * Pages are drawn into an A8 Cairo surface (ink coverage) and copied into
 * an 8 bpp Leptonica PIX as 255 - coverage: white paper, black ink.
 *
 * Geometry (300 dpi): 2 cm margins, rows 1.9 line heights apart.  In the
 * truth text a field reads "label: value" (colon layout) or "label value"
 * (dotted leader and table: the dots and rules are graphics, not text).
 */
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "gen.h"

#define MARGIN_PX 236        /* 2 cm at 300 dpi */
#define TOP_PX 260
#define ROW_FACTOR 1.6       /* row pitch in line heights */
#define RULE_PX 3.0          /* table rule width */
#define DOT_PITCH_PX 16.0    /* dotted leader spacing */
#define DOT_RADIUS_PX 2.6
#define LEADER_MIN_PX 180    /* shortest dotted leader */
#define CELL_PAD_PX 30

static const char *const font_candidates[] = {
    "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "DejaVu Sans"};
#define NFONT_CANDIDATES 4

typedef struct renderer {
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *ctx;
  const char *font;
} renderer;

/* ---- fonts ------------------------------------------------------------- */

int gen_fonts_available(const char ***out)
{
  static const char *avail[NFONT_CANDIDATES];
  static int navail = -1;
  PangoFontMap *map;
  PangoFontFamily **families = NULL;
  int nfam = 0, i, j;

  if(navail >= 0) {
    *out = avail;
    return navail;
  }
  map = pango_cairo_font_map_get_default();
  pango_font_map_list_families(map, &families, &nfam);
  navail = 0;
  for(i = 0; i < NFONT_CANDIDATES; i++)
    for(j = 0; j < nfam; j++)
      if(strcmp(pango_font_family_get_name(families[j]),
                font_candidates[i]) == 0) {
        avail[navail++] = font_candidates[i];
        break;
      }
  g_free(families);
  *out = avail;
  return navail;
}

/* ---- renderer set-up --------------------------------------------------- */

static void renderer_close(renderer *rd);

static int renderer_open(renderer *rd, int w, int h, int dpi,
                         const char *font)
{
  memset(rd, 0, sizeof(*rd));
  rd->surface = cairo_image_surface_create(CAIRO_FORMAT_A8, w, h);
  if(cairo_surface_status(rd->surface) != CAIRO_STATUS_SUCCESS)
    goto fail;
  rd->cr = cairo_create(rd->surface);
  if(cairo_status(rd->cr) != CAIRO_STATUS_SUCCESS)
    goto fail;
  rd->ctx = pango_cairo_create_context(rd->cr);
  if(rd->ctx == NULL)
    goto fail;
  pango_cairo_context_set_resolution(rd->ctx, dpi);
  pango_context_set_base_dir(rd->ctx, PANGO_DIRECTION_RTL);
  cairo_set_source_rgba(rd->cr, 0, 0, 0, 1);
  rd->font = font;
  return DAFTAR_OK;
fail:
  daftar_log(DLOG_ERROR, "daftar-gen: cannot set up Cairo/Pango drawing");
  renderer_close(rd);
  memset(rd, 0, sizeof(*rd));
  return DAFTAR_ENOMEM;
}

static void renderer_close(renderer *rd)
{
  if(rd->ctx != NULL)
    g_object_unref(rd->ctx);
  if(rd->cr != NULL)
    cairo_destroy(rd->cr);
  if(rd->surface != NULL)
    cairo_surface_destroy(rd->surface);
}

/* Copies the A8 coverage into a new 8 bpp PIX as 255 - coverage. */
static PIX *renderer_to_pix(renderer *rd, int dpi)
{
  int w, h, stride, y, wpl;
  unsigned char *src;
  l_uint32 *dst;
  PIX *pix;

  cairo_surface_flush(rd->surface);
  w = cairo_image_surface_get_width(rd->surface);
  h = cairo_image_surface_get_height(rd->surface);
  stride = cairo_image_surface_get_stride(rd->surface);
  src = cairo_image_surface_get_data(rd->surface);
  pix = pixCreate(w, h, 8);
  if(pix == NULL)
    return NULL;
  dst = pixGetData(pix);
  wpl = pixGetWpl(pix);
  for(y = 0; y < h; y++)
    memcpy(dst + (size_t)y * (size_t)wpl, src + (size_t)y * (size_t)stride,
           (size_t)w);
  /* Leptonica keeps bytes big-endian within 32-bit words. */
  pixEndianByteSwap(pix);
  pixInvert(pix, pix);
  pixSetResolution(pix, dpi, dpi);
  return pix;
}

/* ---- text placement ---------------------------------------------------- */

static PangoLayout *make_layout(renderer *rd, const char *text, double pt,
                                int bold)
{
  PangoLayout *lay = pango_layout_new(rd->ctx);
  PangoFontDescription *fd = pango_font_description_new();

  pango_font_description_set_family(fd, rd->font);
  pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
  pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
                                             : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(lay, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(lay, text, -1);
  return lay;
}

static int layout_width(PangoLayout *lay)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents(lay, NULL, &logical);
  return logical.width;
}

static double layout_baseline(PangoLayout *lay)
{
  return pango_layout_get_baseline(lay) / (double)PANGO_SCALE;
}

/* Draws lay with its logical box's left edge at x and baseline at y. */
static void show_at(renderer *rd, PangoLayout *lay, double x, double y)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents(lay, NULL, &logical);
  cairo_move_to(rd->cr, x - logical.x, y - layout_baseline(lay));
  pango_cairo_show_layout(rd->cr, lay);
}

/* Ink above and below the baseline of typical body text, in pixels: table
 * rows are centred on the ink, which varies much less between fonts than
 * the fonts' own line heights (Amiri's is nearly twice Noto's). */
static void ink_metrics(renderer *rd, double pt, double *above,
                        double *below)
{
  PangoLayout *lay = make_layout(rd, "ناوی کرێکار اسم الأم ١٢٣", pt, 0);
  PangoRectangle ink;
  double base = layout_baseline(lay);

  pango_layout_get_pixel_extents(lay, &ink, NULL);
  *above = base - ink.y;
  *below = ink.y + ink.height - base;
  g_object_unref(lay);
}

/* ---- form fields ------------------------------------------------------- */

typedef struct field_geom {
  double x_left, x_right; /* text area */
  double label_max;       /* widest label on the page */
  double row;             /* row pitch */
  double lh;              /* line height: 1.25 em */
  double ink_above, ink_below; /* body ink around the baseline */
} field_geom;

static void dotted_leader(renderer *rd, double x0, double x1, double y)
{
  double x;

  for(x = x1 - DOT_PITCH_PX / 2; x > x0; x -= DOT_PITCH_PX) {
    cairo_new_sub_path(rd->cr);
    cairo_arc(rd->cr, x, y, DOT_RADIUS_PX, 0, 2 * G_PI);
  }
  cairo_fill(rd->cr);
}

static void rule(renderer *rd, double x0, double y0, double x1, double y1)
{
  cairo_move_to(rd->cr, x0, y0);
  cairo_line_to(rd->cr, x1, y1);
  cairo_set_line_width(rd->cr, RULE_PX);
  cairo_stroke(rd->cr);
}

/* Draws one field row with baseline y; appends its truth line. */
static int draw_field(renderer *rd, const gen_doc *doc, const gen_item *it,
                      const field_geom *g, double y, dbuf *text)
{
  char label[GEN_VALUE_MAX + 2];
  PangoLayout *lab, *val;
  double lw, vw, value_right;
  int rc;

  if(doc->layout == GEN_LAYOUT_COLON)
    snprintf(label, sizeof(label), "%s:", it->label);
  else
    snprintf(label, sizeof(label), "%s", it->label);
  lab = make_layout(rd, label, doc->body_pt, 0);
  val = make_layout(rd, it->text, doc->body_pt, 0);
  lw = layout_width(lab);
  vw = layout_width(val);
  switch(doc->layout) {
  case GEN_LAYOUT_COLON:
    value_right = g->x_right - lw - g->lh * 0.35;
    break;
  case GEN_LAYOUT_LEADER:
    value_right = g->x_right - g->label_max - LEADER_MIN_PX;
    dotted_leader(rd, value_right + CELL_PAD_PX / 2.0,
                  g->x_right - lw - CELL_PAD_PX / 2.0, y);
    break;
  default: /* table: the label cell is as wide as the widest label */
    value_right = g->x_right - g->label_max - 4 * CELL_PAD_PX;
    break;
  }
  show_at(rd, lab, g->x_right - (doc->layout == GEN_LAYOUT_TABLE
                                     ? CELL_PAD_PX
                                     : 0) - lw, y);
  show_at(rd, val, value_right - vw, y);
  g_object_unref(lab);
  g_object_unref(val);
  rc = dbuf_printf(text, "%s%s%s\n", it->label,
                   doc->layout == GEN_LAYOUT_COLON ? ": " : " ", it->text);
  return rc;
}

static void draw_table(renderer *rd, const field_geom *g, double top,
                       int rows)
{
  double x_div = g->x_right - g->label_max - 2 * CELL_PAD_PX;
  double bottom = top + rows * g->row;
  int i;

  for(i = 0; i <= rows; i++)
    rule(rd, g->x_left, top + i * g->row, g->x_right, top + i * g->row);
  rule(rd, g->x_left, top, g->x_left, bottom);
  rule(rd, x_div, top, x_div, bottom);
  rule(rd, g->x_right, top, g->x_right, bottom);
}

/* ---- pages ------------------------------------------------------------- */

static double widest_label(renderer *rd, const gen_page *p, double pt)
{
  double max = 0;
  int i;

  for(i = 0; i < p->nitems; i++) {
    PangoLayout *lay;
    double w;

    if(p->items[i].kind != GEN_ITEM_FIELD)
      continue;
    lay = make_layout(rd, p->items[i].label, pt, 0);
    w = layout_width(lay);
    g_object_unref(lay);
    if(w > max)
      max = w;
  }
  return max;
}

/* Draws a wrapped paragraph whose top is y; appends its visual lines (in
 * logical order each) to text; returns its height. */
static double draw_para(renderer *rd, const char *para, double pt,
                        const field_geom *g, double y, dbuf *text, int *rc)
{
  PangoLayout *lay = make_layout(rd, para, pt, 0);
  PangoRectangle logical;
  GSList *l;

  pango_layout_set_width(lay, (int)((g->x_right - g->x_left) * PANGO_SCALE));
  pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
  pango_layout_set_line_spacing(lay, 1.6f);
  /* The context is RTL like the paragraph, so RIGHT means the right
   * edge (Pango swaps LEFT/RIGHT only when the two differ).  Office
   * letters are typed justified. */
  pango_layout_set_alignment(lay, PANGO_ALIGN_RIGHT);
  pango_layout_set_justify(lay, TRUE);
  pango_layout_get_pixel_extents(lay, NULL, &logical);
  cairo_move_to(rd->cr, g->x_left, y);
  pango_cairo_show_layout(rd->cr, lay);
  for(l = pango_layout_get_lines_readonly(lay); l != NULL; l = l->next) {
    const PangoLayoutLine *line = l->data;
    const char *s = para + line->start_index;
    int n = line->length;

    while(n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
      n--;
    while(n > 0 && s[0] == ' ') {
      s++;
      n--;
    }
    if(n > 0 && *rc == DAFTAR_OK) {
      *rc = dbuf_append(text, s, (size_t)n);
      if(*rc == DAFTAR_OK)
        *rc = dbuf_putc(text, '\n');
    }
  }
  g_object_unref(lay);
  return logical.height;
}

/* Size of a line item relative to the body text. */
static double item_scale(enum gen_item_kind kind)
{
  return kind == GEN_ITEM_TITLE    ? 1.45
         : kind == GEN_ITEM_HEADER ? 1.05
                                   : 1.0;
}

/* Draws a one-line item with baseline y; appends its truth line. */
static int draw_line_item(renderer *rd, const gen_item *it, double pt,
                          const field_geom *g, double y, dbuf *text)
{
  PangoLayout *lay = make_layout(rd, it->text, pt * item_scale(it->kind),
                                 it->kind == GEN_ITEM_TITLE);
  double w = layout_width(lay), x;
  int rc;

  switch(it->kind) {
  case GEN_ITEM_HEADER:
  case GEN_ITEM_TITLE:
    x = (g->x_left + g->x_right - w) / 2;
    break;
  case GEN_ITEM_SIGN:
    x = g->x_left + g->lh;
    break;
  case GEN_ITEM_META:
    x = g->x_left;
    break;
  default:
    x = g->x_right - w;
    break;
  }
  show_at(rd, lay, x, y);
  g_object_unref(lay);
  rc = dbuf_puts(text, it->text);
  return rc ? rc : dbuf_putc(text, '\n');
}

int gen_render_page(const gen_doc *doc, int n, PIX **pix, dbuf *text)
{
  const gen_page *p = &doc->pages[n];
  renderer rd;
  field_geom g;
  double y, table_top = 0;
  int i, rc, table_rows = 0;

  *pix = NULL;
  rc = renderer_open(&rd, GEN_A4_W, GEN_A4_H, GEN_RENDER_DPI, doc->font);
  if(rc)
    goto out;
  g.x_left = MARGIN_PX;
  g.x_right = GEN_A4_W - MARGIN_PX;
  g.lh = doc->body_pt * GEN_RENDER_DPI / 72.0 * 1.25;
  g.row = g.lh * ROW_FACTOR;
  ink_metrics(&rd, doc->body_pt, &g.ink_above, &g.ink_below);
  g.label_max = widest_label(&rd, p, doc->body_pt);
  y = TOP_PX + g.lh;
  for(i = 0; i < p->nitems && rc == DAFTAR_OK; i++) {
    const gen_item *it = &p->items[i];

    switch(it->kind) {
    case GEN_ITEM_FIELD:
      if(doc->layout == GEN_LAYOUT_TABLE && table_rows == 0)
        table_top = y - (g.ink_above - g.ink_below) / 2 - g.row / 2;
      rc = draw_field(&rd, doc, it, &g, y, text);
      table_rows++;
      y += g.row;
      break;
    case GEN_ITEM_PARA:
      y += draw_para(&rd, it->text, doc->body_pt, &g, y - g.lh * 0.8, text,
                     &rc);
      y += g.row * 0.5;
      break;
    case GEN_ITEM_SIGN: /* below the rest, after room for a signature */
      y += g.row * 1.5;
      rc = draw_line_item(&rd, it, doc->body_pt, &g, y, text);
      break;
    default:
      if(it->kind == GEN_ITEM_TITLE) /* the title stands apart */
        y += g.row * 0.5;
      rc = draw_line_item(&rd, it, doc->body_pt, &g, y, text);
      y += g.row * (item_scale(it->kind) - 1);
      y += it->kind == GEN_ITEM_TITLE ? g.row * 1.8 : g.row;
      break;
    }
  }
  if(rc)
    goto out_close;
  if(table_rows > 0 && doc->layout == GEN_LAYOUT_TABLE)
    draw_table(&rd, &g, table_top, table_rows);
  /* The truth is lines joined by '\n': no newline after the last one. */
  if(text->len > 0 && text->data[text->len - 1] == '\n')
    text->data[--text->len] = '\0';
  *pix = renderer_to_pix(&rd, GEN_RENDER_DPI);
  if(*pix == NULL)
    rc = DAFTAR_ENOMEM;
out_close:
  renderer_close(&rd);
out:
  return rc;
}

int gen_render_line(const char *text, const char *font, double size_pt,
                    int dpi, PIX **pix)
{
  renderer probe, rd;
  PangoLayout *lay;
  PangoRectangle logical;
  int rc, margin, w, h;

  *pix = NULL;
  /* Measure on a tiny surface, then draw on one of the right size. */
  rc = renderer_open(&probe, 1, 1, dpi, font);
  if(rc)
    goto out;
  lay = make_layout(&probe, text, size_pt, 0);
  pango_layout_get_pixel_extents(lay, NULL, &logical);
  g_object_unref(lay);
  renderer_close(&probe);
  margin = (int)(size_pt * dpi / 72.0 / 2.0) + 4;
  w = logical.width + 2 * margin;
  h = logical.height + 2 * margin;
  rc = renderer_open(&rd, w, h, dpi, font);
  if(rc)
    goto out;
  lay = make_layout(&rd, text, size_pt, 0);
  cairo_move_to(rd.cr, margin - logical.x, margin - logical.y);
  pango_cairo_show_layout(rd.cr, lay);
  g_object_unref(lay);
  *pix = renderer_to_pix(&rd, dpi);
  if(*pix == NULL)
    rc = DAFTAR_ENOMEM;
  renderer_close(&rd);
out:
  return rc;
}

void gen_render_shutdown(void)
{
  /* Pango's default font map holds the fonts' fontconfig patterns for the
   * process; releasing it keeps leak checkers (ASan) quiet about them.
   * FcFini() would free the rest but asserts at random when Pango's
   * worker thread still holds a cache (measured: 1 run in 4). */
  pango_cairo_font_map_set_default(NULL);
}
