/*
 * tiff_check.c - decode every page of a TIFF once, with bounded memory.
 *
 * A TIFF is accepted only when every directory (page) is complete: its size
 * is within the limits (checked from the header, before any pixel buffer is
 * allocated, so a 100-byte file declaring 100000 x 100000 pixels costs
 * nothing), its codec is available, and every strip or tile decodes without
 * an error or a codec warning.  libtiff's own allocations are capped through
 * TIFFOpenOptionsSetMaxSingleMemAlloc, and its messages are routed into the
 * refusal reason through per-handle handlers: nothing reaches stderr.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tiffio.h>

#include "ingest_int.h"

#define TIFF_MSG_MAX 300

/* Messages of one open handle.  Warnings count only while pixels are being
 * decoded: a codec warning there means damaged data (libtiff fills the rest
 * of a short strip and warns), while warnings about unknown tags while
 * reading a directory are harmless. */
typedef struct tiff_msgs {
  int errors;
  int decode_warnings;
  int decoding;
  char first[TIFF_MSG_MAX];
} tiff_msgs;

static void tiff_msg_keep(tiff_msgs *m, const char *module, const char *fmt,
                          va_list ap)
{
  size_t k = 0;

  if(m->first[0])
    return;
  if(module && *module) {
    int n = snprintf(m->first, sizeof(m->first), "%s: ", module);
    k = n < 0 ? 0 : (size_t)n < sizeof(m->first) ? (size_t)n
                                                 : sizeof(m->first) - 1;
  }
  vsnprintf(m->first + k, sizeof(m->first) - k, fmt, ap);
}

static int tiff_on_error(TIFF *tif, void *ud, const char *module,
                         const char *fmt, va_list ap)
{
  tiff_msgs *m = ud;

  (void)tif;
  m->errors++;
  tiff_msg_keep(m, module, fmt, ap);
  return 1; /* handled: do not call the global (stderr) handler */
}

static int tiff_on_warning(TIFF *tif, void *ud, const char *module,
                           const char *fmt, va_list ap)
{
  tiff_msgs *m = ud;

  (void)tif;
  if(m->decoding) {
    m->decode_warnings++;
    tiff_msg_keep(m, module, fmt, ap);
  }
  return 1;
}

static const char *tiff_compression_name(uint16_t c)
{
  switch(c) {
  case COMPRESSION_NONE: return "none";
  case COMPRESSION_CCITTRLE: return "ccitt-rle";
  case COMPRESSION_CCITTFAX3: return "g3";
  case COMPRESSION_CCITTFAX4: return "g4";
  case COMPRESSION_LZW: return "lzw";
  case COMPRESSION_OJPEG: return "ojpeg";
  case COMPRESSION_JPEG: return "jpeg";
  case COMPRESSION_ADOBE_DEFLATE:
  case COMPRESSION_DEFLATE: return "deflate";
  case COMPRESSION_PACKBITS: return "packbits";
  case COMPRESSION_LZMA: return "lzma";
  case COMPRESSION_ZSTD: return "zstd";
  case COMPRESSION_WEBP: return "webp";
  default: return "other";
  }
}

int ingest_check_dims(const ingest_options *o, int64_t w, int64_t h,
                      int page, dbuf *why)
{
  if(w <= 0 || h <= 0) {
    dbuf_printf(why, "page %d has no pixels (%lld x %lld)", page,
                (long long)w, (long long)h);
    return DAFTAR_EREFUSED;
  }
  if(w > o->max_page_side || h > o->max_page_side ||
     w * h > o->max_page_pixels) {
    dbuf_printf(why, "page %d declares %lld x %lld pixels, over the limit "
                "(%d per side, %lld in all): a decompression bomb or a "
                "damaged header", page, (long long)w, (long long)h,
                o->max_page_side, (long long)o->max_page_pixels);
    return DAFTAR_EREFUSED;
  }
  return DAFTAR_OK;
}

static int tiff_refuse(dbuf *why, const tiff_msgs *m, const char *what,
                       int page)
{
  if(page > 0)
    dbuf_printf(why, "%s (page %d)", what, page);
  else
    dbuf_puts(why, what);
  if(m->first[0])
    dbuf_printf(why, ": %s", m->first);
  return DAFTAR_EREFUSED;
}

/* Decodes every strip or tile of the current directory. */
static int tiff_decode_dir(TIFF *tif, tiff_msgs *m, int page, dbuf *why)
{
  int tiled = TIFFIsTiled(tif);
  uint64_t size = tiled ? TIFFTileSize64(tif) : TIFFStripSize64(tif);
  uint32_t count = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
  uint32_t i;
  void *buf;
  int rc = DAFTAR_OK;

  if(size == 0 || count == 0)
    return tiff_refuse(why, m, "TIFF without image data", page);
  if(size > INGEST_MAX_ALLOC)
    return tiff_refuse(why, m, "TIFF strip or tile too large to decode",
                       page);
  buf = malloc((size_t)size);
  if(!buf)
    return DAFTAR_ENOMEM;
  m->decoding = 1;
  for(i = 0; i < count; i++) {
    tmsize_t got = tiled
      ? TIFFReadEncodedTile(tif, i, buf, (tmsize_t)size)
      : TIFFReadEncodedStrip(tif, i, buf, (tmsize_t)size);
    if(got < 0 || m->errors || m->decode_warnings) {
      char what[80];
      snprintf(what, sizeof(what), "truncated or corrupt TIFF, %s %u of %u",
               tiled ? "tile" : "strip", (unsigned)i + 1, (unsigned)count);
      rc = tiff_refuse(why, m, what, page);
      break;
    }
  }
  m->decoding = 0;
  free(buf);
  return rc;
}

static int tiff_res(TIFF *tif, ttag_t tag, uint16_t unit)
{
  float r = 0;

  if(!TIFFGetField(tif, tag, &r) || !(r > 0) || r > 100000)
    return 0;
  if(unit == RESUNIT_CENTIMETER)
    r *= 2.54f;
  return (int)(r + 0.5f);
}

/* Checks the header fields of the current directory and describes it. */
static int tiff_describe_dir(TIFF *tif, const ingest_options *o,
                             tiff_msgs *m, int page, index_page_info *p,
                             dbuf *why)
{
  uint32_t w = 0, h = 0;
  uint16_t bps = 1, spp = 1, comp = COMPRESSION_NONE, unit = RESUNIT_INCH;
  int rc;

  if(!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) ||
     !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
    return tiff_refuse(why, m, "TIFF page without width or height", page);
  rc = ingest_check_dims(o, w, h, page, why);
  if(rc)
    return rc;
  TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
  TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
  if(!(bps == 1 || bps == 2 || bps == 4 || bps == 8 || bps == 16) ||
     spp < 1 || spp > 4) {
    dbuf_printf(why, "TIFF page %d has an unsupported pixel layout "
                "(%u bits x %u samples)", page, bps, spp);
    return DAFTAR_EREFUSED;
  }
  if(!TIFFIsCODECConfigured(comp)) {
    dbuf_printf(why, "TIFF page %d uses compression %u, which cannot be "
                "decoded here", page, comp);
    return DAFTAR_EREFUSED;
  }
  memset(p, 0, sizeof(*p));
  p->n = page;
  p->width = (int)w;
  p->height = (int)h;
  p->xres = tiff_res(tif, TIFFTAG_XRESOLUTION, unit);
  p->yres = tiff_res(tif, TIFFTAG_YRESOLUTION, unit);
  p->bits = bps * spp;
  p->compression = tiff_compression_name(comp);
  return DAFTAR_OK;
}

int tiff_check(const char *path, const ingest_options *o, ingest_pages *pg,
               dbuf *why)
{
  TIFFOpenOptions *opts;
  TIFF *tif = NULL;
  tiff_msgs m;
  int page = 0, rc = DAFTAR_OK, fd = -1;

  memset(&m, 0, sizeof(m));
  pg->format = "tiff";
  opts = TIFFOpenOptionsAlloc();
  if(!opts)
    return DAFTAR_ENOMEM;
  TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)INGEST_MAX_ALLOC);
  TIFFOpenOptionsSetErrorHandlerExtR(opts, tiff_on_error, &m);
  TIFFOpenOptionsSetWarningHandlerExtR(opts, tiff_on_warning, &m);
  /* Opened by descriptor under an empty name, so libtiff's messages do
   * not repeat the temp file's path (the reason names the source). */
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0) {
    rc = DAFTAR_EIO;
    goto out;
  }
  tif = TIFFFdOpenExt(fd, "", "r", opts);
  if(!tif) {
    rc = tiff_refuse(why, &m, "not a readable TIFF", 0);
    goto out;
  }
  for(;;) {
    index_page_info p;

    page++;
    if(page > o->max_pages_per_file) {
      dbuf_printf(why, "more than %d pages in one file",
                  o->max_pages_per_file);
      rc = DAFTAR_EREFUSED;
      break;
    }
    rc = tiff_describe_dir(tif, o, &m, page, &p, why);
    if(!rc)
      rc = tiff_decode_dir(tif, &m, page, why);
    if(!rc)
      rc = ingest_pages_add(pg, &p);
    if(rc)
      break;
    if(!TIFFReadDirectory(tif)) {
      /* 0 both at the end and on a broken chain; only the latter leaves an
       * error behind. */
      if(m.errors)
        rc = tiff_refuse(why, &m, "corrupt TIFF directory after page",
                         page);
      break;
    }
  }
out:
  if(tif)
    TIFFClose(tif); /* closes fd too */
  else if(fd >= 0)
    close(fd);
  TIFFOpenOptionsFree(opts);
  return rc;
}
