/*
 * extract_run.c - extraction over an archive: every document whose fields
 * are stale (or every document), words in, fields and doc_type out through
 * index/.  The label table is read once per run (built-in, then
 * ARCHIVE/labels.conf, then $DAFTAR_LABELS); a malformed label file stops
 * the run before anything is written.
 */
#include <stdlib.h>

#include "extract_int.h"

/* One document: words -> fields -> store. */
static int extract_one(struct index_db *db, const extract_labels *T,
                       int64_t id)
{
  daftar_word *words = NULL;
  ocr_extraction x = {0};
  size_t n = 0;
  int rc;

  rc = index_document_words(db, id, &words, &n);
  if(rc) {
    daftar_log(DLOG_ERROR, "document %lld: reading words failed: %s",
               (long long)id, index_errmsg(db));
    return rc;
  }
  rc = extract_fields_with(T, words, n, &x);
  if(rc) {
    daftar_log(DLOG_ERROR, "document %lld: extraction failed: %s",
               (long long)id, daftar_strerror(rc));
    goto out;
  }
  rc = index_document_store_fields(db, id, x.doc_type, x.fields, x.nfields);
  if(rc)
    daftar_log(DLOG_ERROR, "document %lld: storing fields failed: %s",
               (long long)id, index_errmsg(db));
  else
    daftar_log(DLOG_DEBUG, "document %lld: %s, %zu fields", (long long)id,
               x.doc_type, x.nfields);
out:
  ocr_extraction_clear(&x);
  daftar_words_free(words, n);
  return rc;
}

int ocr_extract_run(struct index_db *db, int all, int64_t *documents)
{
  extract_labels T = {0};
  dbuf err = DBUF_INIT;
  int64_t *ids = NULL, done = 0;
  size_t n = 0;
  int rc, first_error = DAFTAR_OK;

  if(documents)
    *documents = 0;
  if(!db)
    return DAFTAR_EINVAL;
  rc = labels_load_default(&T, index_archive_dir(db), &err);
  if(rc) {
    daftar_log(DLOG_ERROR, "labels refused: %s", dbuf_cstr(&err));
    goto out;
  }
  rc = index_documents_pending_extract(db, all, &ids, &n);
  if(rc) {
    daftar_log(DLOG_ERROR, "listing documents to extract failed: %s",
               index_errmsg(db));
    goto out;
  }
  /* A document that fails is reported and left pending; the others go on. */
  for(size_t i = 0; i < n; i++) {
    rc = extract_one(db, &T, ids[i]);
    if(rc == DAFTAR_ENOMEM) {
      first_error = rc;
      break;
    }
    if(rc && !first_error)
      first_error = rc;
    if(!rc)
      done++;
  }
  rc = first_error;
  if(documents)
    *documents = done;
out:
  free(ids);
  labels_free(&T);
  dbuf_free(&err);
  return rc;
}
