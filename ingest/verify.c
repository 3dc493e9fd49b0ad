/*
 * verify.c - fixity: re-hash stored masters against their recorded SHA-256.
 *
 * Each master checked gets a "fixity check" event, success or failure, so
 * the event log shows when every master was last proven intact.  Missing or
 * altered masters are named on stderr by their hash (never by content).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest_int.h"

/* DAFTAR_OK intact, DAFTAR_ENOTFOUND missing, DAFTAR_EIO altered or
 * unreadable; detail gets a short description. */
static int verify_one(const char *archive_dir, const char *sha,
                      char *detail, size_t dn)
{
  char hex[SHA256_HEX_LEN + 1];
  char *path = ingest_object_path(archive_dir, sha);
  struct stat sb;
  int rc;

  if(!path)
    return DAFTAR_ENOMEM;
  if(lstat(path, &sb) || !S_ISREG(sb.st_mode)) {
    snprintf(detail, dn, "missing");
    rc = DAFTAR_ENOTFOUND;
  } else if(sha256_file_hex(path, hex)) {
    snprintf(detail, dn, "unreadable");
    rc = DAFTAR_EIO;
  } else if(strcmp(hex, sha)) {
    snprintf(detail, dn, "altered (now sha256 %s)", hex);
    rc = DAFTAR_EIO;
  } else {
    snprintf(detail, dn, "sha256 matches");
    rc = DAFTAR_OK;
  }
  free(path);
  return rc;
}

int ingest_verify(struct index_db *db, int sample, int64_t *checked,
                  int64_t *bad)
{
  const char *archive_dir;
  const char *user = getenv("USER");
  char **shas = NULL;
  size_t n = 0, i;
  int64_t nchecked = 0, nbad = 0;
  int rc;

  if(!db)
    return DAFTAR_EINVAL;
  archive_dir = index_archive_dir(db);
  rc = index_master_list(db, sample, &shas, &n);
  if(rc) {
    daftar_log(DLOG_ERROR, "verify: cannot list masters: %s",
               index_errmsg(db));
    goto out;
  }
  for(i = 0; i < n; i++) {
    char detail[128];
    int vr = verify_one(archive_dir, shas[i], detail, sizeof(detail));

    if(vr == DAFTAR_ENOMEM) {
      rc = vr;
      break;
    }
    nchecked++;
    if(vr) {
      nbad++;
      fprintf(stderr, "daftar: verify: master %s %s\n", shas[i], detail);
    }
    rc = index_event_add(db, "fixity check", vr ? "failure" : "success",
                         user && *user ? user : "unknown", 0, shas[i],
                         detail);
    if(rc) {
      daftar_log(DLOG_ERROR, "verify: cannot record the event: %s",
                 index_errmsg(db));
      break;
    }
  }
  if(!rc && nbad)
    rc = DAFTAR_EIO;
out:
  index_strings_free(shas, n);
  if(checked)
    *checked = nchecked;
  if(bad)
    *bad = nbad;
  return rc;
}
