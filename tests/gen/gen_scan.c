/*
 * gen_scan.c - make a clean page look scanned, and write it as TIFF.
 *
 * Order, as a page meets a scanner: faded ink (a worn ribbon or copy), the
 * page lying askew, optical blur, the scan resolution, dust and sensor
 * noise, then the quarter turn of a page fed sideways or upside down, and
 * last the scanner's output format (G4 pages are thresholded bitonal).
 *
 * All of it is Leptonica except the noise: Leptonica's noise functions
 * draw from rand(), which would make output depend on more than --seed.
 */
#include "gen.h"

#define FADE_INK_LIFT 110    /* TRC: input -110 -> 0, so black -> ~70 */
#define FADE_PAPER_DROP 20   /* TRC: input 275 -> 255, so white -> ~236 */

static const char *const comp_names[GEN_NCOMP] = {"g4", "lzw", "jpeg",
                                                  "none"};

const char *gen_compression_name(enum gen_compression c)
{
  return comp_names[c];
}

/* Replaces *pix by next (when next is not NULL); returns 0 on success. */
static int step(PIX **pix, PIX *next)
{
  if(next == NULL)
    return DAFTAR_ENOMEM;
  pixDestroy(pix);
  *pix = next;
  return DAFTAR_OK;
}

/* Salt and pepper at random positions: a loop over the chosen pixels
 * only, never over the whole page. */
static void add_noise(PIX *pix, double fraction, gen_rng *r)
{
  l_uint32 w = (l_uint32)pixGetWidth(pix), h = (l_uint32)pixGetHeight(pix);
  double count = fraction * (double)w * (double)h;
  long i, n = (long)count;

  for(i = 0; i < n; i++) {
    l_uint32 x = gen_rng_below(r, w), y = gen_rng_below(r, h);
    /* Dust (dark specks, sometimes 2x2) outnumbers dropouts. */
    l_uint32 v = gen_rng_chance(r, 0.7) ? (l_uint32)gen_rng_range(r, 0, 90)
                                        : 255u;

    pixSetPixel(pix, (l_int32)x, (l_int32)y, v);
    if(v < 255u && gen_rng_chance(r, 0.2) && x + 1 < w && y + 1 < h) {
      pixSetPixel(pix, (l_int32)x + 1, (l_int32)y, v);
      pixSetPixel(pix, (l_int32)x, (l_int32)y + 1, v);
      pixSetPixel(pix, (l_int32)x + 1, (l_int32)y + 1, v);
    }
  }
}

int gen_scan_apply(PIX *pix, const gen_scan *s, gen_rng *r, PIX **out)
{
  PIX *p = pixClone(pix);
  int rc = DAFTAR_OK;

  *out = NULL;
  if(p == NULL)
    return DAFTAR_ENOMEM;
  if(s->faded)
    rc = step(&p, pixGammaTRC(NULL, p, 1.0f, -FADE_INK_LIFT,
                              255 + FADE_PAPER_DROP));
  if(rc == DAFTAR_OK && s->skew_deg != 0.0)
    rc = step(&p, pixRotate(p, (l_float32)(s->skew_deg * 3.14159265358979 /
                                           180.0),
                            L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0));
  if(rc == DAFTAR_OK && s->blur > 0)
    rc = step(&p, pixBlockconv(p, s->blur, s->blur));
  if(rc == DAFTAR_OK && s->dpi != GEN_RENDER_DPI) {
    l_float32 f = (l_float32)s->dpi / (l_float32)GEN_RENDER_DPI;

    rc = step(&p, pixScaleAreaMap(p, f, f));
  }
  if(rc == DAFTAR_OK && s->noise > 0) {
    /* p may still share pixels with the caller's pix (pixClone). */
    rc = step(&p, pixCopy(NULL, p));
    if(rc == DAFTAR_OK)
      add_noise(p, s->noise, r);
  }
  if(rc == DAFTAR_OK && s->rotation != 0)
    rc = step(&p, pixRotateOrth(p, s->rotation / 90));
  if(rc) {
    pixDestroy(&p);
    daftar_log(DLOG_ERROR, "daftar-gen: page degradation failed");
    return rc;
  }
  pixSetResolution(p, s->dpi, s->dpi);
  *out = p;
  return DAFTAR_OK;
}

int gen_scan_write(const char *path, PIX *pix, enum gen_compression c,
                   int dpi, int faded, int page)
{
  static const int iff[GEN_NCOMP] = {IFF_TIFF_G4, IFF_TIFF_LZW, IFF_TIFF_JPEG,
                                     IFF_TIFF};
  PIX *p;
  int rc = DAFTAR_OK;

  if(c == GEN_COMP_G4 && pixGetDepth(pix) != 1)
    p = pixThresholdToBinary(pix, faded ? GEN_G4_THRESHOLD_FADED
                                        : GEN_G4_THRESHOLD);
  else
    p = pixClone(pix);
  if(p == NULL)
    return DAFTAR_ENOMEM;
  pixSetResolution(p, dpi, dpi);
  if(pixWriteTiff(path, p, iff[c], page == 0 ? "w" : "a") != 0) {
    daftar_log(DLOG_ERROR, "daftar-gen: cannot write TIFF %s", path);
    rc = DAFTAR_EIO;
  }
  pixDestroy(&p);
  return rc;
}
