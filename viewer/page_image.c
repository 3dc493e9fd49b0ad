/* page_image.c - a page of a stored master as PNG at screen width.
 *
 * index/ says which master and which page in it hold page n of a document;
 * ingest/ decodes it (Leptonica PIX); we scale it down to the width asked
 * (default VIEWER_IMAGE_WIDTH; bilevel scans through pixScaleToGray, which
 * averages instead of dropping pixels) and encode PNG in memory.
 *
 * Masters never change (content-addressed), so a small cache keyed by
 * (sha256, master page, width) can never serve a stale image.  It is bounded
 * by entries and bytes and evicts the least recently used.  A page painted
 * over for a role that sees national IDs masked (mask.c) depends on the
 * document's fields too: it is cached under the document's id as well. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <leptonica/allheaders.h>
#include <microhttpd.h>

#include "ingest.h"
#include "viewer_int.h"

#define PNG_TYPE "image/png"
#define PNG_CACHE_CONTROL "private, max-age=3600"

typedef struct cache_entry {
  char sha256[SHA256_HEX_LEN + 1];
  int page;
  int width;
  int64_t masked_doc; /* 0: the page as scanned; else painted for it */
  unsigned char *png; /* NULL: empty slot */
  size_t len;
  uint64_t used;      /* tick of the last hit, for LRU */
} cache_entry;

struct page_cache {
  pthread_mutex_t mu;
  cache_entry e[VIEWER_IMAGE_CACHE_ENTRIES];
  size_t bytes;
  uint64_t tick;
};

int page_cache_new(struct page_cache **out)
{
  struct page_cache *c = calloc(1, sizeof(*c));
  if(!c)
    return DAFTAR_ENOMEM;
  if(pthread_mutex_init(&c->mu, NULL)) {
    free(c);
    return DAFTAR_ENOMEM;
  }
  *out = c;
  return DAFTAR_OK;
}

void page_cache_free(struct page_cache *c)
{
  size_t i;
  if(!c)
    return;
  for(i = 0; i < VIEWER_IMAGE_CACHE_ENTRIES; i++)
    free(c->e[i].png);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

/* A heap copy of a cached PNG, or NULL (miss or no memory). */
static unsigned char *cache_get(struct page_cache *c, const char *sha, int page,
                                int width, int64_t masked_doc, size_t *len)
{
  unsigned char *copy = NULL;
  size_t i;
  pthread_mutex_lock(&c->mu);
  for(i = 0; i < VIEWER_IMAGE_CACHE_ENTRIES; i++) {
    cache_entry *e = &c->e[i];
    if(!e->png || e->page != page || e->width != width ||
       e->masked_doc != masked_doc || strcmp(e->sha256, sha))
      continue;
    copy = malloc(e->len);
    if(copy) {
      memcpy(copy, e->png, e->len);
      *len = e->len;
      e->used = ++c->tick;
    }
    break;
  }
  pthread_mutex_unlock(&c->mu);
  return copy;
}

static void cache_drop(struct page_cache *c, cache_entry *e)
{
  c->bytes -= e->len;
  free(e->png);
  e->png = NULL;
  e->len = 0;
}

/* The least recently used slot (an empty one first). */
static cache_entry *cache_victim(struct page_cache *c)
{
  cache_entry *v = &c->e[0];
  size_t i;
  for(i = 0; i < VIEWER_IMAGE_CACHE_ENTRIES; i++) {
    if(!c->e[i].png)
      return &c->e[i];
    if(c->e[i].used < v->used)
      v = &c->e[i];
  }
  return v;
}

/* Keeps a copy; a failure only means the next request renders again. */
static void cache_put(struct page_cache *c, const char *sha, int page,
                      int width, int64_t masked_doc, const unsigned char *png,
                      size_t len)
{
  unsigned char *copy;
  cache_entry *e;
  if(len > VIEWER_IMAGE_CACHE_BYTES / 4)
    return;
  copy = malloc(len);
  if(!copy)
    return;
  memcpy(copy, png, len);
  pthread_mutex_lock(&c->mu);
  while(c->bytes + len > VIEWER_IMAGE_CACHE_BYTES) {
    e = cache_victim(c);
    if(!e->png)
      break;
    cache_drop(c, e);
  }
  e = cache_victim(c);
  if(e->png)
    cache_drop(c, e);
  memcpy(e->sha256, sha, sizeof(e->sha256));
  e->page = page;
  e->width = width;
  e->masked_doc = masked_doc;
  e->png = copy;
  e->len = len;
  e->used = ++c->tick;
  c->bytes += len;
  pthread_mutex_unlock(&c->mu);
}

/* Scales pix down to width (never up); a new PIX, or a clone. */
static PIX *scale_to_width(PIX *pix, int width)
{
  l_int32 w = pixGetWidth(pix);
  l_float32 scale;
  if(w <= width)
    return pixClone(pix);
  scale = (l_float32)width / (l_float32)w;
  if(pixGetDepth(pix) == 1)
    return pixScaleToGray(pix, scale);
  return pixScale(pix, scale, scale);
}

/* Replaces *pix by the part inside crop (plus a margin, clipped to the
 * page); a crop outside the page is ENOTFOUND. */
static int crop_pix(PIX **pix, const daftar_box *crop)
{
  l_int32 w = pixGetWidth(*pix), h = pixGetHeight(*pix);
  int x0 = crop->x0 - VIEWER_CROP_MARGIN, y0 = crop->y0 - VIEWER_CROP_MARGIN;
  int x1 = crop->x1 + VIEWER_CROP_MARGIN, y1 = crop->y1 + VIEWER_CROP_MARGIN;
  BOX *box;
  PIX *part;
  if(x0 < 0)
    x0 = 0;
  if(y0 < 0)
    y0 = 0;
  if(x1 > w)
    x1 = w;
  if(y1 > h)
    y1 = h;
  if(x1 <= x0 || y1 <= y0)
    return DAFTAR_ENOTFOUND;
  box = boxCreate(x0, y0, x1 - x0, y1 - y0);
  if(!box)
    return DAFTAR_ENOMEM;
  part = pixClipRectangle(*pix, box, NULL);
  boxDestroy(&box);
  if(!part)
    return DAFTAR_ENOMEM;
  pixDestroy(pix);
  *pix = part;
  return DAFTAR_OK;
}

/* Paints the boxes black (bilevel: ink; gray and colour: 0), before any
 * crop or scaling so no trace of what was under them survives. */
static void paint_boxes(PIX *pix, const daftar_box *b, size_t n)
{
  int op = pixGetDepth(pix) == 1 ? PIX_SET : PIX_CLR;
  size_t i;
  for(i = 0; i < n; i++)
    pixRasterop(pix, b[i].x0, b[i].y0, b[i].x1 - b[i].x0, b[i].y1 - b[i].y0,
                op, NULL, 0, 0);
}

static int render_png(const char *archive, const char *sha, int master_page,
                      int width, const daftar_box *crop,
                      const daftar_box *paint, size_t npaint,
                      unsigned char **png, size_t *len)
{
  PIX *pix = NULL, *scaled;
  l_uint8 *data = NULL;
  size_t size = 0;
  int rc;

  rc = ingest_page_read(archive, sha, master_page, &pix);
  if(rc)
    return rc;
  paint_boxes(pix, paint, npaint);
  if(crop) {
    rc = crop_pix(&pix, crop);
    if(rc) {
      pixDestroy(&pix);
      return rc;
    }
  }
  scaled = scale_to_width(pix, width);
  pixDestroy(&pix);
  if(!scaled)
    return DAFTAR_ENOMEM;
  if(pixWriteMemPng(&data, &size, scaled, 0.0f) || !data) {
    pixDestroy(&scaled);
    return DAFTAR_EIO;
  }
  pixDestroy(&scaled);
  *png = data;
  *len = size;
  return DAFTAR_OK;
}

/* "x0,y0,x1,y1" in master pixels. */
static int parse_crop(const char *s, daftar_box *b)
{
  char part[16];
  int v[4], i;
  for(i = 0; i < 4; i++) {
    size_t len = strcspn(s, ",");
    long x;
    if(len == 0 || len >= sizeof(part) || (i < 3 && s[len] != ',') ||
       (i == 3 && s[len] != '\0'))
      return DAFTAR_EINVAL;
    memcpy(part, s, len);
    part[len] = '\0';
    if(viewer_parse_int(part, 0, INGEST_MAX_PAGE_SIDE, &x))
      return DAFTAR_EINVAL;
    v[i] = (int)x;
    s += len + (i < 3);
  }
  if(v[2] <= v[0] || v[3] <= v[1])
    return DAFTAR_EINVAL;
  b->x0 = v[0];
  b->y0 = v[1];
  b->x1 = v[2];
  b->y1 = v[3];
  return DAFTAR_OK;
}

void page_image_png(vreq *rq, vresp *r, int64_t id, int n)
{
  const char *crop_arg = vreq_arg(rq, "crop");
  daftar_box crop;
  char sha[SHA256_HEX_LEN + 1];
  const char *warg = vreq_arg(rq, "w");
  struct index_db *db;
  unsigned char *png;
  size_t len = 0;
  long width = VIEWER_IMAGE_WIDTH;
  int master_page = 0, rc;
  int64_t masked_doc;
  daftar_box *paint = NULL;
  size_t npaint = 0;

  if(warg && viewer_parse_int(warg, VIEWER_IMAGE_WIDTH_MIN,
                              VIEWER_IMAGE_WIDTH_MAX, &width)) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad width");
    return;
  }
  if(crop_arg && parse_crop(crop_arg, &crop)) {
    vresp_json_error(r, MHD_HTTP_BAD_REQUEST, "bad crop");
    return;
  }
  db = viewer_thread_db(rq);
  if(!db) {
    vresp_json_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "archive unavailable");
    return;
  }
  /* The page's lookup and its audit row are one transaction (rendering,
   * the slow part, comes after the commit and holds no lock). */
  rc = auth_read_begin(rq);
  if(!rc) {
    char object[48];
    rc = index_document_page(db, id, n, sha, &master_page);
    snprintf(object, sizeof(object), "%lld/%d", (long long)id, n);
    rc = auth_read_end(rq, rc, "view_page", object, crop_arg ? "crop" : NULL);
  }
  if(rc) {
    vresp_json_error(r, viewer_status_of(rc),
                     rc == DAFTAR_ENOTFOUND ? "not found" : "lookup failed");
    return;
  }
  /* index/ records the page within the master 0-based (pixReadTiff's
   * directory index: documents.c stores n - 1); ingest_page_read() counts
   * from 1. */
  master_page += 1;
  masked_doc = viewer_masks_ids(rq) ? id : 0;
  /* crops are small and many: rendered each time, never cached */
  png = crop_arg ? NULL
                 : cache_get(viewer_page_cache(rq), sha, master_page,
                             (int)width, masked_doc, &len);
  if(!png && masked_doc) {
    rc = viewer_mask_boxes(rq, id, n, &paint, &npaint);
    if(rc) {
      daftar_log(DLOG_ERROR, "viewer: cannot mask page %d of document %lld: "
                 "%s", n, (long long)id, daftar_strerror(rc));
      vresp_json_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
                       "page image unavailable");
      return;
    }
  }
  if(!png) {
    rc = render_png(viewer_archive_dir(rq), sha, master_page, (int)width,
                    crop_arg ? &crop : NULL, paint, npaint, &png, &len);
    free(paint);
    if(rc) {
      if(!(crop_arg && rc == DAFTAR_ENOTFOUND)) /* a crop off the page */
        daftar_log(DLOG_ERROR, "viewer: cannot render page %d of document "
                   "%lld: %s", n, (long long)id, daftar_strerror(rc));
      vresp_json_error(r, viewer_status_of(rc == DAFTAR_ENOTFOUND && !crop_arg
                                               ? DAFTAR_EIO : rc),
                       "page image unavailable");
      return;
    }
    if(!crop_arg)
      cache_put(viewer_page_cache(rq), sha, master_page, (int)width,
                masked_doc, png, len);
  }
  r->status = MHD_HTTP_OK;
  r->ctype = PNG_TYPE;
  r->cache = PNG_CACHE_CONTROL;
  r->body = png;
  r->len = len;
  r->body_free = lept_free;
}
