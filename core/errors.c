/* errors.c - names of daftar_err codes. */
#include "core.h"

const char *daftar_strerror(int err)
{
  switch(err) {
  case DAFTAR_OK: return "ok";
  case DAFTAR_ENOMEM: return "out of memory";
  case DAFTAR_EIO: return "input/output error";
  case DAFTAR_EINVAL: return "invalid argument";
  case DAFTAR_EREFUSED: return "input refused";
  case DAFTAR_EDB: return "database error";
  case DAFTAR_ENOTFOUND: return "not found";
  case DAFTAR_ELIMIT: return "limit reached";
  case DAFTAR_EOCR: return "OCR engine error";
  case DAFTAR_EEXIST: return "already exists";
  }
  return "unknown error";
}
