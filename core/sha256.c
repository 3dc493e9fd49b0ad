/* sha256.c - SHA-256 through libsodium, as lowercase hex. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "core.h"

_Static_assert(sizeof(((sha256_ctx *)0)->state) >=
                   sizeof(crypto_hash_sha256_state),
               "sha256_ctx too small for libsodium's state");

static crypto_hash_sha256_state *state_of(sha256_ctx *c)
{
  return (crypto_hash_sha256_state *)(void *)c->state;
}

int sha256_init(sha256_ctx *c)
{
  if(sodium_init() < 0)
    return DAFTAR_EIO;
  return crypto_hash_sha256_init(state_of(c)) == 0 ? DAFTAR_OK : DAFTAR_EIO;
}

int sha256_update(sha256_ctx *c, const void *p, size_t n)
{
  return crypto_hash_sha256_update(state_of(c), p, n) == 0 ? DAFTAR_OK
                                                           : DAFTAR_EIO;
}

int sha256_final_hex(sha256_ctx *c, char hex[SHA256_HEX_LEN + 1])
{
  unsigned char digest[crypto_hash_sha256_BYTES];

  if(crypto_hash_sha256_final(state_of(c), digest) != 0)
    return DAFTAR_EIO;
  sodium_bin2hex(hex, SHA256_HEX_LEN + 1, digest, sizeof(digest));
  return DAFTAR_OK;
}

int sha256_hex(const void *p, size_t n, char hex[SHA256_HEX_LEN + 1])
{
  sha256_ctx c;
  int rc = sha256_init(&c);

  if(!rc)
    rc = sha256_update(&c, p, n);
  if(!rc)
    rc = sha256_final_hex(&c, hex);
  return rc;
}

int sha256_file_hex(const char *path, char hex[SHA256_HEX_LEN + 1])
{
  unsigned char chunk[1 << 16];
  sha256_ctx c;
  ssize_t got;
  int fd, rc;

  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return errno == ENOENT ? DAFTAR_ENOTFOUND : DAFTAR_EIO;
  rc = sha256_init(&c);
  while(!rc) {
    got = read(fd, chunk, sizeof(chunk));
    if(got < 0 && errno == EINTR)
      continue;
    if(got < 0)
      rc = DAFTAR_EIO;
    else if(got == 0)
      break;
    else
      rc = sha256_update(&c, chunk, (size_t)got);
  }
  close(fd);
  if(!rc)
    rc = sha256_final_hex(&c, hex);
  return rc;
}
