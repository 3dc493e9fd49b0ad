/*
 * bulk.c - loading many documents at once (a first import, the 5-million
 * page benchmark of issue 6).
 *
 * The usual write path makes a document's search row twice (after its OCR
 * result, again after its fields), and each small transaction leaves an
 * FTS5 segment that automerge folds in at once.  In bulk mode fts_refresh
 * only drops the document's row; index_bulk_end() then makes the row of
 * every document that has none, once, in transactions of BULK_CHUNK
 * documents, each of which FTS5 writes as one segment (hashsize raised so
 * a chunk's pending terms fit in memory).  automerge is off while loading
 * (crisismerge, FTS5's guard against too many segments on one level,
 * stays on) and the caller chooses the merge at the end.
 *
 * Because the work list is "documents without a search row" (not a list
 * in memory), a load that was interrupted is finished by the next
 * index_bulk_end().
 */
#include <stdio.h>
#include <stdlib.h>

#include "index_int.h"

#define BULK_CHUNK 20000                 /* documents per transaction */
#define BULK_HASHSIZE (64 * 1024 * 1024) /* FTS5 pending-terms memory */
#define FTS_HASHSIZE_DEFAULT (1024 * 1024)
#define FTS_AUTOMERGE_DEFAULT 4
#define BULK_CACHE_KIB 786432 /* page cache while loading (768 MiB; the
                                 random-key indexes of linkage outgrow 256) */
#define CACHE_KIB_DEFAULT 2000

int bulk_mark(struct index_db *db, int64_t doc_id)
{
  static const char SQL[] = "DELETE FROM doc_fts_src WHERE id = ?1";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, doc_id);
  return db_step_done(db, st, "updating the search row");
}

static int fts_config(struct index_db *db, const char *key, int value)
{
  static const char SQL[] =
      "INSERT INTO doc_fts(doc_fts, rank) VALUES(?1, ?2)";
  sqlite3_stmt *st = db_stmt(db, SQL);

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, key);
  sqlite3_bind_int(st, 2, value);
  return db_step_done(db, st, "configuring the search index");
}

static int cache_size(struct index_db *db, int kib)
{
  char sql[64];

  snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
  return db_exec(db, sql);
}

int index_bulk_begin(struct index_db *db)
{
  int rc;

  if(db->explicit_txn)
    return db_fail(db, DAFTAR_EINVAL, "bulk load inside a transaction");
  if(db->bulk)
    return db_fail(db, DAFTAR_EINVAL, "bulk load already started");
  rc = db_write_begin(db);
  if(!rc)
    rc = fts_config(db, "automerge", 0);
  if(!rc)
    rc = fts_config(db, "hashsize", BULK_HASHSIZE);
  rc = db_write_end(db, rc);
  if(!rc)
    rc = cache_size(db, BULK_CACHE_KIB);
  if(!rc)
    db->bulk = 1;
  return rc;
}

/* Up to BULK_CHUNK documents after `after` that have no search row. */
static int next_chunk(struct index_db *db, int64_t after, int64_t *ids,
                      size_t *n)
{
  static const char SQL[] =
      "SELECT d.id FROM documents d WHERE d.id > ?1 AND NOT EXISTS("
      "SELECT 1 FROM doc_fts_src s WHERE s.id = d.id) ORDER BY d.id LIMIT ?2";
  sqlite3_stmt *st = db_stmt(db, SQL);
  int rc;

  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, after);
  sqlite3_bind_int(st, 2, BULK_CHUNK);
  while((rc = sqlite3_step(st)) == SQLITE_ROW && *n < BULK_CHUNK)
    ids[(*n)++] = sqlite3_column_int64(st, 0);
  db_done(st);
  if(rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_sqlerr(db, rc, "listing documents to index");
  return DAFTAR_OK;
}

int index_bulk_end(struct index_db *db, int merge)
{
  int64_t *ids = NULL, after = 0;
  size_t n = 0;
  int rc = DAFTAR_OK, k;

  if(db->explicit_txn)
    return db_fail(db, DAFTAR_EINVAL, "bulk load inside a transaction");
  if(!db->bulk)
    return db_fail(db, DAFTAR_EINVAL, "no bulk load started");
  db->bulk = 0; /* fts_refresh indexes from here on */
  ids = malloc(BULK_CHUNK * sizeof(*ids));
  if(!ids)
    return DAFTAR_ENOMEM;
  do {
    rc = next_chunk(db, after, ids, &n);
    if(rc || n == 0)
      break;
    rc = db_write_begin(db);
    for(size_t i = 0; i < n && !rc; i++)
      rc = fts_refresh(db, ids[i]);
    rc = db_write_end(db, rc);
    after = ids[n - 1];
  } while(!rc && n == BULK_CHUNK);
  free(ids);
  /* Restore the settings even when indexing failed. */
  k = db_write_begin(db);
  if(!k)
    k = fts_config(db, "automerge", FTS_AUTOMERGE_DEFAULT);
  if(!k)
    k = fts_config(db, "hashsize", FTS_HASHSIZE_DEFAULT);
  k = db_write_end(db, k);
  if(!rc)
    rc = k;
  k = cache_size(db, CACHE_KIB_DEFAULT);
  if(!rc)
    rc = k;
  if(!rc && merge)
    rc = index_search_optimize(db);
  return rc;
}
