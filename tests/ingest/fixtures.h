/*
 * fixtures.h - real inputs for the ingest suite, built in the test: TIFFs
 * written by libtiff (every compression, multi-page), TIFF headers crafted
 * byte by byte (truncated strips, absurd dimensions), PNG/JPEG through
 * Leptonica, zip/tar archives through libarchive's writer (hostile entries
 * included), and a listing of a directory tree to prove nothing was written
 * where it should not be.
 */
#ifndef DAFTAR_TEST_INGEST_FIXTURES_H
#define DAFTAR_TEST_INGEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

/* Writes a TIFF of pages x (w x h) with the given libtiff compression
 * (COMPRESSION_*).  bps 1 (bilevel), 8 (gray) or spp 3 (RGB, bps 8).
 * seed varies the content so files differ. */
int fx_write_tiff(const char *path, int w, int h, int bps, int spp,
                  int compression, int pages, unsigned seed);

/* One page of 8-bit gray in tile x tile tiles (w, h multiples of tile). */
int fx_write_tiled_tiff(const char *path, int w, int h, int tile,
                        int compression);

/* A little-endian TIFF, its IFD right after the header and the strip data
 * last: 8-bit gray, uncompressed, w x h, with data_len bytes of strip data
 * actually present (the header always declares w*h). */
int fx_write_crafted_tiff(const char *path, uint32_t w, uint32_t h,
                          size_t data_len);

/* PNG or JPEG page through Leptonica ("png" / "jpg"). */
int fx_write_image(const char *path, const char *fmt, int w, int h);

int fx_read_file(const char *path, char **data, size_t *len);
int fx_write_file(const char *path, const void *data, size_t len);
int fx_truncate(const char *path, double keep);

/* Archive entries for fx_write_archive. */
enum fx_type { FX_REG, FX_DIR, FX_SYMLINK, FX_HARDLINK, FX_CHARDEV };

typedef struct fx_entry {
  const char *name;
  enum fx_type type;
  const void *data; /* FX_REG */
  size_t len;
  const char *link; /* FX_SYMLINK, FX_HARDLINK */
} fx_entry;

/* format: "zip", "tar", "tar.gz"; passphrase non-NULL encrypts (zip). */
int fx_write_archive(const char *path, const char *format,
                     const fx_entry *e, size_t n, const char *passphrase);

/* Sorted "relative-path size\n" lines of every entry under dir, skipping
 * the subtree named skip (relative to dir; NULL for none). */
char *fx_tree(const char *dir, const char *skip);
/* 1 if a file or link called name exists anywhere under dir. */
int fx_tree_has_name(const char *dir, const char *name);
int fx_rm_rf(const char *dir);
size_t fx_count_files(const char *dir);

#endif
