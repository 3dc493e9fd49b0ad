/* fixtures.c - inputs for the ingest suite; see fixtures.h. */
#define _GNU_SOURCE /* nftw flags */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "fixtures.h"

#define FX_MAX_TREE_LINES 100000

/* A page that looks vaguely like text: rows of dark blocks on white, so
 * every codec has something to compress. */
static void fx_fill_row(unsigned char *row, int w, int y, int bps, int spp,
                        unsigned seed)
{
  int x, s;
  int line = (y / 12) % 3 != 2; /* two text rows, one blank */

  if(bps == 1) {
    memset(row, 0, (size_t)(w + 7) / 8); /* min-is-white: 0 = white */
    for(x = 0; x < w && line; x++) {
      unsigned v = (unsigned)(x * 7 + y * 3) ^ seed;
      if((v % 17) < 5)
        row[x / 8] |= (unsigned char)(0x80 >> (x % 8));
    }
    return;
  }
  for(x = 0; x < w; x++)
    for(s = 0; s < spp; s++) {
      unsigned v = (unsigned)(x * 7 + y * 3 + s * 11) ^ seed;
      row[x * spp + s] = (unsigned char)(line && (v % 17) < 5 ? 20 + v % 40
                                                               : 245);
    }
}

int fx_write_tiff(const char *path, int w, int h, int bps, int spp,
                  int compression, int pages, unsigned seed)
{
  TIFF *tif = TIFFOpen(path, "w");
  size_t rowbytes = bps == 1 ? (size_t)(w + 7) / 8 : (size_t)w * (size_t)spp;
  unsigned char *row = malloc(rowbytes);
  int p, y, rc = 0;

  if(!tif || !row) {
    free(row);
    if(tif)
      TIFFClose(tif);
    return -1;
  }
  for(p = 0; p < pages && !rc; p++) {
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, (uint16_t)bps);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)spp);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
                 spp == 3 ? PHOTOMETRIC_RGB
                          : bps == 1 ? PHOTOMETRIC_MINISWHITE
                                     : PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, (uint16_t)compression);
    if(compression == COMPRESSION_JPEG)
      TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 75);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP,
                 (uint32_t)(compression == COMPRESSION_JPEG ? 16 : 32));
    TIFFSetField(tif, TIFFTAG_XRESOLUTION, 300.0f);
    TIFFSetField(tif, TIFFTAG_YRESOLUTION, 300.0f);
    TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    if(pages > 1) {
      TIFFSetField(tif, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
      TIFFSetField(tif, TIFFTAG_PAGENUMBER, (uint16_t)p, (uint16_t)pages);
    }
    for(y = 0; y < h; y++) {
      fx_fill_row(row, w, y, bps, spp, seed + (unsigned)p);
      if(TIFFWriteScanline(tif, row, (uint32_t)y, 0) < 0) {
        rc = -1;
        break;
      }
    }
    if(!rc && !TIFFWriteDirectory(tif))
      rc = -1;
  }
  TIFFClose(tif);
  free(row);
  return rc;
}

int fx_write_tiled_tiff(const char *path, int w, int h, int tile,
                        int compression)
{
  TIFF *tif = TIFFOpen(path, "w");
  unsigned char *buf = malloc((size_t)tile * (size_t)tile);
  int x, y, i, rc = 0;

  if(!tif || !buf) {
    free(buf);
    if(tif)
      TIFFClose(tif);
    return -1;
  }
  TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
  TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
  TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, (uint16_t)8);
  TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, (uint16_t)1);
  TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
  TIFFSetField(tif, TIFFTAG_COMPRESSION, (uint16_t)compression);
  TIFFSetField(tif, TIFFTAG_TILEWIDTH, (uint32_t)tile);
  TIFFSetField(tif, TIFFTAG_TILELENGTH, (uint32_t)tile);
  for(y = 0; y < h && !rc; y += tile)
    for(x = 0; x < w && !rc; x += tile) {
      for(i = 0; i < tile * tile; i++)
        buf[i] = (unsigned char)((i % tile + x) ^ (i / tile + y));
      if(TIFFWriteTile(tif, buf, (uint32_t)x, (uint32_t)y, 0, 0) < 0)
        rc = -1;
    }
  TIFFClose(tif);
  free(buf);
  return rc;
}

static void put16(unsigned char *p, uint16_t v)
{
  p[0] = (unsigned char)(v & 0xff);
  p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
  put16(p, (uint16_t)(v & 0xffff));
  put16(p + 2, (uint16_t)(v >> 16));
}

int fx_write_crafted_tiff(const char *path, uint32_t w, uint32_t h,
                          size_t data_len)
{
  enum { NTAGS = 8 };
  static const uint16_t tags[NTAGS] = {256, 257, 258, 259, 262, 273, 278, 279};
  size_t ifd_len = 2 + NTAGS * 12 + 4;
  uint32_t data_off = (uint32_t)(8 + ifd_len);
  uint64_t declared = (uint64_t)w * h;
  unsigned char *buf = calloc(1, data_off + data_len);
  unsigned char *e;
  int i, rc;

  if(!buf)
    return -1;
  memcpy(buf, "II*\0", 4);
  put32(buf + 4, 8);
  put16(buf + 8, NTAGS);
  for(i = 0; i < NTAGS; i++) {
    uint32_t v = 0;
    uint16_t type = 3; /* SHORT */
    e = buf + 10 + i * 12;
    switch(tags[i]) {
    case 256: v = w; type = 4; break;
    case 257: v = h; type = 4; break;
    case 258: v = 8; break;
    case 259: v = 1; break;
    case 262: v = 1; break;
    case 273: v = data_off; type = 4; break;
    case 278: v = h; type = 4; break;
    case 279: v = declared > UINT32_MAX ? UINT32_MAX : (uint32_t)declared;
      type = 4; break;
    }
    put16(e, tags[i]);
    put16(e + 2, type);
    put32(e + 4, 1);
    if(type == 3)
      put16(e + 8, (uint16_t)v);
    else
      put32(e + 8, v);
  }
  put32(buf + 10 + NTAGS * 12, 0); /* no next IFD */
  for(i = 0; (size_t)i < data_len; i++)
    buf[data_off + (size_t)i] = (unsigned char)(i * 31);
  rc = fx_write_file(path, buf, data_off + data_len);
  free(buf);
  return rc;
}

int fx_write_image(const char *path, const char *fmt, int w, int h)
{
  PIX *pix = pixCreate(w, h, 8);
  int rc, y;

  if(!pix)
    return -1;
  pixSetAllArbitrary(pix, 240);
  for(y = 10; y + 10 < h; y += 20)
    pixRasterop(pix, 10, y, w - 20, 6, PIX_SET, NULL, 0, 0);
  pixSetResolution(pix, 300, 300);
  rc = pixWrite(path, pix, !strcmp(fmt, "png") ? IFF_PNG : IFF_JFIF_JPEG);
  pixDestroy(&pix);
  return rc ? -1 : 0;
}

int fx_read_file(const char *path, char **data, size_t *len)
{
  return file_read_all(path, (size_t)1 << 30, data, len) ? -1 : 0;
}

int fx_write_file(const char *path, const void *data, size_t len)
{
  FILE *f = fopen(path, "wb");
  int rc = 0;

  if(!f)
    return -1;
  if(len && fwrite(data, 1, len, f) != len)
    rc = -1;
  if(fclose(f))
    rc = -1;
  return rc;
}

int fx_truncate(const char *path, double keep)
{
  struct stat sb;

  if(stat(path, &sb))
    return -1;
  return truncate(path, (off_t)((double)sb.st_size * keep));
}

int fx_write_archive(const char *path, const char *format,
                     const fx_entry *e, size_t n, const char *passphrase)
{
  struct archive *a = archive_write_new();
  struct archive_entry *ae;
  size_t i;
  int rc = 0;

  if(!a)
    return -1;
  if(!strcmp(format, "zip")) {
    archive_write_set_format_zip(a);
    if(passphrase &&
       (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
        archive_write_set_passphrase(a, passphrase) != ARCHIVE_OK))
      rc = -1;
  } else {
    archive_write_set_format_pax_restricted(a);
    if(!strcmp(format, "tar.gz"))
      archive_write_add_filter_gzip(a);
  }
  if(rc || archive_write_open_filename(a, path) != ARCHIVE_OK) {
    archive_write_free(a);
    return -1;
  }
  for(i = 0; i < n && !rc; i++) {
    ae = archive_entry_new();
    archive_entry_set_pathname(ae, e[i].name);
    archive_entry_set_mtime(ae, 1700000000, 0);
    switch(e[i].type) {
    case FX_REG:
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_perm(ae, 0644);
      archive_entry_set_size(ae, (la_int64_t)e[i].len);
      break;
    case FX_DIR:
      archive_entry_set_filetype(ae, AE_IFDIR);
      archive_entry_set_perm(ae, 0755);
      break;
    case FX_SYMLINK:
      archive_entry_set_filetype(ae, AE_IFLNK);
      archive_entry_set_perm(ae, 0777);
      archive_entry_set_symlink(ae, e[i].link);
      break;
    case FX_HARDLINK:
      archive_entry_set_filetype(ae, AE_IFREG);
      archive_entry_set_perm(ae, 0644);
      archive_entry_set_hardlink(ae, e[i].link);
      archive_entry_set_size(ae, 0);
      break;
    case FX_CHARDEV:
      archive_entry_set_filetype(ae, AE_IFCHR);
      archive_entry_set_perm(ae, 0666);
      archive_entry_set_rdevmajor(ae, 1);
      archive_entry_set_rdevminor(ae, 3);
      break;
    }
    if(archive_write_header(a, ae) < ARCHIVE_WARN)
      rc = -1;
    else if(e[i].type == FX_REG && e[i].len &&
            archive_write_data(a, e[i].data, e[i].len) !=
                (la_ssize_t)e[i].len)
      rc = -1;
    archive_entry_free(ae);
  }
  if(archive_write_close(a) != ARCHIVE_OK)
    rc = -1;
  archive_write_free(a);
  return rc;
}

/* ---- trees ----------------------------------------------------------------
 * nftw has no user pointer: the walk state is file-static (the suite runs
 * each test in its own process). */

static struct {
  const char *root;
  const char *skip;
  size_t root_len;
  char **lines;
  size_t n;
  const char *want;
  int found;
} fx_walk;

static int fx_tree_visit(const char *path, const struct stat *sb, int flag,
                         struct FTW *ftw)
{
  const char *rel = path + fx_walk.root_len;
  char *line;

  (void)flag;
  (void)ftw;
  if(*rel == '/')
    rel++;
  if(!*rel)
    return 0;
  if(fx_walk.skip && !strncmp(rel, fx_walk.skip, strlen(fx_walk.skip)) &&
     (rel[strlen(fx_walk.skip)] == '\0' || rel[strlen(fx_walk.skip)] == '/'))
    return 0;
  if(fx_walk.n >= FX_MAX_TREE_LINES)
    return 1;
  if(asprintf(&line, "%s %lld\n", rel,
              S_ISDIR(sb->st_mode) ? 0LL : (long long)sb->st_size) < 0)
    return 1;
  fx_walk.lines[fx_walk.n++] = line;
  return 0;
}

static int fx_strcmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *fx_tree(const char *dir, const char *skip)
{
  dbuf out = DBUF_INIT;
  size_t i;

  memset(&fx_walk, 0, sizeof(fx_walk));
  fx_walk.root = dir;
  fx_walk.root_len = strlen(dir);
  fx_walk.skip = skip;
  fx_walk.lines = calloc(FX_MAX_TREE_LINES, sizeof(char *));
  if(!fx_walk.lines)
    return NULL;
  nftw(dir, fx_tree_visit, 16, FTW_PHYS);
  qsort(fx_walk.lines, fx_walk.n, sizeof(char *), fx_strcmp);
  for(i = 0; i < fx_walk.n; i++) {
    dbuf_puts(&out, fx_walk.lines[i]);
    free(fx_walk.lines[i]);
  }
  free(fx_walk.lines);
  dbuf_cstr(&out);
  return dbuf_take(&out);
}

static int fx_name_visit(const char *path, const struct stat *sb, int flag,
                         struct FTW *ftw)
{
  (void)sb;
  (void)flag;
  if(!strcmp(path + ftw->base, fx_walk.want)) {
    fx_walk.found = 1;
    return 1;
  }
  return 0;
}

int fx_tree_has_name(const char *dir, const char *name)
{
  memset(&fx_walk, 0, sizeof(fx_walk));
  fx_walk.want = name;
  nftw(dir, fx_name_visit, 16, FTW_PHYS);
  return fx_walk.found;
}

static int fx_rm_visit(const char *path, const struct stat *sb, int flag,
                       struct FTW *ftw)
{
  (void)sb;
  (void)ftw;
  return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int fx_rm_rf(const char *dir)
{
  return nftw(dir, fx_rm_visit, 16, FTW_DEPTH | FTW_PHYS);
}

static size_t fx_count;

static int fx_count_visit(const char *path, const struct stat *sb, int flag,
                          struct FTW *ftw)
{
  (void)path;
  (void)ftw;
  if(flag == FTW_F && S_ISREG(sb->st_mode))
    fx_count++;
  return 0;
}

size_t fx_count_files(const char *dir)
{
  fx_count = 0;
  nftw(dir, fx_count_visit, 16, FTW_PHYS);
  return fx_count;
}
