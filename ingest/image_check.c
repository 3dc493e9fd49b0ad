/*
 * image_check.c - PNG and JPEG pages, decoded once, a row at a time.
 *
 * libpng and libjpeg are used directly rather than through Leptonica: the
 * header is read before any pixel buffer exists (so the page-size limits
 * hold against a lying header), rows are decoded into one row buffer (memory
 * stays bounded by the width), and both libraries' messages go into the
 * refusal reason through their error managers instead of stderr.
 *
 * JPEG: any libjpeg warning while decoding ("Premature end of JPEG file":
 * libjpeg fills the missing rows with gray) refuses the page.
 * PNG: errors refuse (truncation, bad CRC on image data); warnings about
 * ancillary chunks (colour profiles) are harmless and ignored.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "ingest_int.h"

#define IMAGE_MSG_MAX 200
#define PNG_METERS_PER_INCH 0.0254

int ingest_pages_add(ingest_pages *pg, const index_page_info *p)
{
  if(pg->n == pg->cap) {
    int cap = pg->cap ? pg->cap * 2 : 4;
    index_page_info *np = realloc(pg->page, (size_t)cap * sizeof(*np));
    if(!np)
      return DAFTAR_ENOMEM;
    pg->page = np;
    pg->cap = cap;
  }
  pg->page[pg->n++] = *p;
  return DAFTAR_OK;
}

void ingest_pages_free(ingest_pages *pg)
{
  free(pg->page);
  memset(pg, 0, sizeof(*pg));
}

/* ---- JPEG ---------------------------------------------------------------- */

typedef struct jpeg_guard {
  struct jpeg_error_mgr pub; /* first: libjpeg sees only this */
  jmp_buf jb;
  int warnings;
  char msg[JMSG_LENGTH_MAX];
} jpeg_guard;

static void jpeg_on_error(j_common_ptr ci)
{
  jpeg_guard *g = (jpeg_guard *)ci->err;

  if(!g->msg[0])
    (*ci->err->format_message)(ci, g->msg);
  longjmp(g->jb, 1);
}

static void jpeg_on_message(j_common_ptr ci, int level)
{
  jpeg_guard *g = (jpeg_guard *)ci->err;

  if(level >= 0)
    return; /* trace messages */
  g->warnings++;
  if(!g->msg[0])
    (*ci->err->format_message)(ci, g->msg);
}

static int jpeg_res(const struct jpeg_decompress_struct *ci, UINT16 d)
{
  if(ci->density_unit == 1)
    return d;
  if(ci->density_unit == 2)
    return (int)(d * 2.54 + 0.5);
  return 0;
}

static int jpeg_check(FILE *fp, const ingest_options *o, index_page_info *p,
                      dbuf *why)
{
  struct jpeg_decompress_struct ci;
  jpeg_guard g;
  JSAMPARRAY row;
  volatile int rc = DAFTAR_OK;

  memset(&g, 0, sizeof(g));
  ci.err = jpeg_std_error(&g.pub);
  g.pub.error_exit = jpeg_on_error;
  g.pub.emit_message = jpeg_on_message;
  jpeg_create_decompress(&ci);
  if(setjmp(g.jb)) {
    dbuf_printf(why, "truncated or corrupt JPEG: %s", g.msg);
    rc = DAFTAR_EREFUSED;
    goto out;
  }
  ci.mem->max_memory_to_use = (long)INGEST_MAX_ALLOC;
  jpeg_stdio_src(&ci, fp);
  jpeg_read_header(&ci, TRUE);
  rc = ingest_check_dims(o, ci.image_width, ci.image_height, 1, why);
  if(rc)
    goto out;
  jpeg_start_decompress(&ci);
  row = (*ci.mem->alloc_sarray)((j_common_ptr)&ci, JPOOL_IMAGE,
                                ci.output_width *
                                    (JDIMENSION)ci.output_components, 1);
  while(ci.output_scanline < ci.output_height && !g.warnings)
    jpeg_read_scanlines(&ci, row, 1);
  if(!g.warnings)
    jpeg_finish_decompress(&ci);
  if(g.warnings) {
    dbuf_printf(why, "truncated or corrupt JPEG: %s", g.msg);
    rc = DAFTAR_EREFUSED;
    goto out;
  }
  memset(p, 0, sizeof(*p));
  p->n = 1;
  p->width = (int)ci.image_width;
  p->height = (int)ci.image_height;
  p->xres = jpeg_res(&ci, ci.X_density);
  p->yres = jpeg_res(&ci, ci.Y_density);
  p->bits = 8 * ci.num_components;
  p->compression = "jpeg";
out:
  jpeg_destroy_decompress(&ci);
  return rc;
}

/* ---- PNG ----------------------------------------------------------------- */

typedef struct png_guard {
  char msg[IMAGE_MSG_MAX];
} png_guard;

static void png_on_error(png_structp png, png_const_charp msg)
{
  png_guard *g = png_get_error_ptr(png);

  if(!g->msg[0])
    snprintf(g->msg, sizeof(g->msg), "%s", msg);
  png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
  (void)png;
  (void)msg;
}

static int png_res(png_structp png, png_infop info, int *x, int *y)
{
  png_uint_32 rx = 0, ry = 0;
  int unit = 0;

  *x = *y = 0;
  if(!png_get_pHYs(png, info, &rx, &ry, &unit) ||
     unit != PNG_RESOLUTION_METER)
    return 0;
  *x = (int)(rx * PNG_METERS_PER_INCH + 0.5);
  *y = (int)(ry * PNG_METERS_PER_INCH + 0.5);
  return 1;
}

static int png_check(FILE *fp, const ingest_options *o, index_page_info *p,
                     dbuf *why)
{
  png_guard g;
  png_structp png;
  png_infop info = NULL;
  unsigned char *volatile row = NULL;
  volatile int rc = DAFTAR_OK;
  png_uint_32 w, h, y;
  int depth, color, interlace, passes, pass;

  memset(&g, 0, sizeof(g));
  png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &g, png_on_error,
                               png_on_warning);
  if(!png)
    return DAFTAR_ENOMEM;
  info = png_create_info_struct(png);
  if(!info) {
    png_destroy_read_struct(&png, NULL, NULL);
    return DAFTAR_ENOMEM;
  }
  if(setjmp(png_jmpbuf(png))) {
    dbuf_printf(why, "truncated or corrupt PNG: %s", g.msg);
    rc = DAFTAR_EREFUSED;
    goto out;
  }
  png_set_user_limits(png, (png_uint_32)o->max_page_side,
                      (png_uint_32)o->max_page_side);
  png_set_chunk_malloc_max(png, INGEST_MAX_ALLOC);
  png_init_io(png, fp);
  png_read_info(png, info);
  png_get_IHDR(png, info, &w, &h, &depth, &color, &interlace, NULL, NULL);
  rc = ingest_check_dims(o, w, h, 1, why);
  if(rc)
    goto out;
  passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  row = malloc(png_get_rowbytes(png, info));
  if(!row) {
    rc = DAFTAR_ENOMEM;
    goto out;
  }
  for(pass = 0; pass < passes; pass++)
    for(y = 0; y < h; y++)
      png_read_row(png, row, NULL);
  png_read_end(png, NULL);
  memset(p, 0, sizeof(*p));
  p->n = 1;
  p->width = (int)w;
  p->height = (int)h;
  png_res(png, info, &p->xres, &p->yres);
  p->bits = depth * png_get_channels(png, info);
  p->compression = "png";
out:
  free(row);
  png_destroy_read_struct(&png, &info, NULL);
  return rc;
}

int image_check(const char *path, enum ingest_format fmt,
                const ingest_options *o, ingest_pages *pg, dbuf *why)
{
  index_page_info p;
  FILE *fp;
  int rc;

  pg->format = fmt == INGEST_FMT_JPEG ? "jpeg" : "png";
  fp = fopen(path, "rb");
  if(!fp)
    return DAFTAR_EIO;
  rc = fmt == INGEST_FMT_JPEG ? jpeg_check(fp, o, &p, why)
                              : png_check(fp, o, &p, why);
  fclose(fp);
  if(!rc)
    rc = ingest_pages_add(pg, &p);
  return rc;
}
