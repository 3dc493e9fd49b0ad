/* users.c - accounts, sessions and the audit log (for the viewer).
 *
 * Added by the viewer helper (issue 7).  The tables (users, sessions,
 * audit) come from schema version 5 in db.c.
 *
 * Audit rows are chained: each row's hash is SHA-256 over the previous
 * row's hash and its own fields (separated by a unit separator that cannot
 * occur in them unnoticed: every field is length-prefixed).  Triggers make
 * the table append-only for SQL; the chain shows edits made past SQLite. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index_int.h"

#define SESSION_TOUCH_S 60
#define AUDIT_GENESIS                                                          \
  "0000000000000000000000000000000000000000000000000000000000000000"

/* The tables are made by schema version 5 (db.c). */
static sqlite3_stmt *users_stmt(struct index_db *db, const char *sql)
{
  return db_stmt(db, sql);
}

static int role_known(const char *role)
{
  static const char *const roles[] = {INDEX_ROLE_NAMES};
  size_t i;
  for(i = 0; role && i < sizeof(roles) / sizeof(roles[0]); i++)
    if(!strcmp(role, roles[i]))
      return 1;
  return 0;
}

static void iso_now(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- users ------------------------------------------------------------------ */

int index_user_add(struct index_db *db, const char *name, const char *role,
                   const char *pwhash)
{
  static const char SQL[] =
      "INSERT INTO users(name, role, pwhash, created) VALUES(?1, ?2, ?3, ?4)";
  sqlite3_stmt *st;
  char now[32];
  int rc;

  if(!name || !*name || !pwhash || !role_known(role))
    return db_fail(db, DAFTAR_EINVAL, "user: bad name or role");
  st = users_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  iso_now(now);
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, role);
  db_bind_text(st, 3, pwhash);
  db_bind_text(st, 4, now);
  rc = sqlite3_step(st);
  db_done(st);
  if(rc == SQLITE_DONE)
    return DAFTAR_OK;
  if((rc & 0xff) == SQLITE_CONSTRAINT)
    return db_fail(db, DAFTAR_EEXIST, "user: name already taken");
  return db_sqlerr(db, rc, "adding the user");
}

static int user_from_row(sqlite3_stmt *st, index_user *u)
{
  memset(u, 0, sizeof(*u));
  u->id = sqlite3_column_int64(st, 0);
  u->name = db_col_dup(st, 1);
  u->role = db_col_dup(st, 2);
  u->pwhash = db_col_dup(st, 3);
  u->created = db_col_dup(st, 4);
  u->disabled = sqlite3_column_int(st, 5);
  u->failed_logins = sqlite3_column_int(st, 6);
  u->locked_until = sqlite3_column_int64(st, 7);
  if(!u->name || !u->role || !u->pwhash || !u->created) {
    index_user_clear(u);
    return DAFTAR_ENOMEM;
  }
  return DAFTAR_OK;
}

int index_user_get(struct index_db *db, const char *name, index_user *out)
{
  static const char SQL[] =
      "SELECT id, name, role, pwhash, created, disabled, failed_logins,"
      " locked_until FROM users WHERE name = ?1";
  sqlite3_stmt *st = users_stmt(db, SQL);
  int rc;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, name);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW)
    rc = user_from_row(st, out);
  else if(rc == SQLITE_DONE)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no such user");
  else
    rc = db_sqlerr(db, rc, "reading the user");
  db_done(st);
  return rc;
}

int index_user_list(struct index_db *db, index_user **out, size_t *n)
{
  static const char SQL[] =
      "SELECT id, name, role, pwhash, created, disabled, failed_logins,"
      " locked_until FROM users ORDER BY name";
  sqlite3_stmt *st = users_stmt(db, SQL);
  index_user *list = NULL;
  size_t count = 0, cap = 0;
  int rc;

  *out = NULL;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if(count == cap) {
      index_user *p = array_grow(list, &cap, sizeof(*p), 8);
      if(!p) {
        rc = DAFTAR_ENOMEM;
        break;
      }
      list = p;
    }
    rc = user_from_row(st, &list[count]);
    if(rc)
      break;
    count++;
  }
  db_done(st);
  if(rc == SQLITE_DONE) {
    *out = list;
    *n = count;
    return DAFTAR_OK;
  }
  index_users_free(list, count);
  return rc < 0 ? rc : db_sqlerr(db, rc, "listing users");
}

void index_user_clear(index_user *u)
{
  if(!u)
    return;
  free(u->name);
  free(u->role);
  if(u->pwhash) {
    memset(u->pwhash, 0, strlen(u->pwhash));
    free(u->pwhash);
  }
  free(u->created);
  memset(u, 0, sizeof(*u));
}

void index_users_free(index_user *u, size_t n)
{
  size_t i;
  if(!u)
    return;
  for(i = 0; i < n; i++)
    index_user_clear(&u[i]);
  free(u);
}

/* Runs a one-parameter-name update and ends the user's sessions, in one
 * write group.  ENOTFOUND when no row changed. */
static int user_update(struct index_db *db, const char *sql, const char *name,
                       const char *text, int64_t num)
{
  static const char SQL_END_SESSIONS[] =
      "DELETE FROM sessions WHERE user_id = (SELECT id FROM users"
      " WHERE name = ?1)";
  sqlite3_stmt *st;
  int rc = users_stmt(db, SQL_END_SESSIONS) ? db_write_begin(db) : DAFTAR_EDB;

  if(rc)
    return rc;
  st = users_stmt(db, sql);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  db_bind_text(st, 1, name);
  if(text)
    db_bind_text(st, 2, text);
  else
    sqlite3_bind_int64(st, 2, num);
  rc = db_step_done(db, st, "updating the user");
  if(!rc && sqlite3_changes(db->sql) == 0)
    rc = db_fail(db, DAFTAR_ENOTFOUND, "no such user");
  if(rc)
    goto out;
  st = users_stmt(db, SQL_END_SESSIONS);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  db_bind_text(st, 1, name);
  rc = db_step_done(db, st, "ending sessions");
out:
  return db_write_end(db, rc);
}

int index_user_set_password(struct index_db *db, const char *name,
                            const char *pwhash)
{
  static const char SQL[] =
      "UPDATE users SET pwhash = ?2, failed_logins = 0, locked_until = 0"
      " WHERE name = ?1";
  if(!pwhash)
    return db_fail(db, DAFTAR_EINVAL, "no password hash");
  return user_update(db, SQL, name, pwhash, 0);
}

int index_user_set_disabled(struct index_db *db, const char *name,
                            int disabled)
{
  static const char SQL[] = "UPDATE users SET disabled = ?2 WHERE name = ?1";
  return user_update(db, SQL, name, NULL, disabled ? 1 : 0);
}

int index_user_count(struct index_db *db, int64_t *n)
{
  static const char SQL[] = "SELECT count(*) FROM users";
  sqlite3_stmt *st = users_stmt(db, SQL);
  int rc;
  *n = 0;
  if(!st)
    return DAFTAR_EDB;
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    *n = sqlite3_column_int64(st, 0);
    rc = DAFTAR_OK;
  } else {
    rc = db_sqlerr(db, rc, "counting users");
  }
  db_done(st);
  return rc;
}

int index_user_login_result(struct index_db *db, int64_t user_id, int ok,
                            int64_t locked_until)
{
  static const char SQL_OK[] =
      "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1";
  static const char SQL_FAIL[] =
      "UPDATE users SET failed_logins = failed_logins + 1,"
      " locked_until = ?2 WHERE id = ?1";
  sqlite3_stmt *st = users_stmt(db, ok ? SQL_OK : SQL_FAIL);
  if(!st)
    return DAFTAR_EDB;
  sqlite3_bind_int64(st, 1, user_id);
  if(!ok)
    sqlite3_bind_int64(st, 2, locked_until);
  return db_step_done(db, st, "recording the login");
}

/* ---- sessions ------------------------------------------------------------------ */

static int token_ok(const char *t)
{
  size_t i;
  if(!t || strlen(t) != INDEX_TOKEN_HEX_LEN)
    return 0;
  for(i = 0; i < INDEX_TOKEN_HEX_LEN; i++)
    if(!((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
      return 0;
  return 1;
}

int index_session_create(struct index_db *db, const char *token_sha256,
                         int64_t user_id, const char *csrf, int64_t now)
{
  static const char SQL[] =
      "INSERT INTO sessions(token_sha256, user_id, csrf, created, last_seen)"
      " VALUES(?1, ?2, ?3, ?4, ?4)";
  sqlite3_stmt *st;
  if(!token_ok(token_sha256) || !token_ok(csrf))
    return db_fail(db, DAFTAR_EINVAL, "session: malformed token");
  st = users_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, token_sha256);
  sqlite3_bind_int64(st, 2, user_id);
  db_bind_text(st, 3, csrf);
  sqlite3_bind_int64(st, 4, now);
  return db_step_done(db, st, "creating the session");
}

int index_session_delete(struct index_db *db, const char *token_sha256)
{
  static const char SQL[] = "DELETE FROM sessions WHERE token_sha256 = ?1";
  sqlite3_stmt *st = users_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, token_sha256);
  return db_step_done(db, st, "ending the session");
}

int index_session_get(struct index_db *db, const char *token_sha256,
                      int64_t now, int64_t idle_s, int64_t max_s,
                      index_session *out)
{
  static const char SQL[] =
      "SELECT s.user_id, u.name, u.role, s.csrf, s.created, s.last_seen,"
      " u.disabled FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.token_sha256 = ?1";
  static const char SQL_SEEN[] =
      "UPDATE sessions SET last_seen = ?2 WHERE token_sha256 = ?1";
  sqlite3_stmt *st;
  int rc, live = 0;

  memset(out, 0, sizeof(*out));
  if(!token_ok(token_sha256))
    return db_fail(db, DAFTAR_ENOTFOUND, "no such session");
  st = users_stmt(db, SQL);
  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, token_sha256);
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    const unsigned char *csrf = sqlite3_column_text(st, 3);
    out->user_id = sqlite3_column_int64(st, 0);
    out->user = db_col_dup(st, 1);
    out->role = db_col_dup(st, 2);
    out->created = sqlite3_column_int64(st, 4);
    out->last_seen = sqlite3_column_int64(st, 5);
    if(csrf && strlen((const char *)csrf) == INDEX_TOKEN_HEX_LEN)
      memcpy(out->csrf, csrf, INDEX_TOKEN_HEX_LEN + 1);
    live = !sqlite3_column_int(st, 6) && now - out->last_seen <= idle_s &&
           now - out->created <= max_s && out->csrf[0];
    rc = out->user && out->role ? DAFTAR_OK : DAFTAR_ENOMEM;
  } else if(rc == SQLITE_DONE) {
    rc = DAFTAR_ENOTFOUND;
  } else {
    rc = db_sqlerr(db, rc, "reading the session");
  }
  db_done(st);
  if(rc == DAFTAR_OK && !live) {
    index_session_delete(db, token_sha256);
    rc = DAFTAR_ENOTFOUND;
  }
  /* Marking it seen is a write: once a minute is enough for idle expiry. */
  if(rc == DAFTAR_OK && now - out->last_seen >= SESSION_TOUCH_S) {
    st = users_stmt(db, SQL_SEEN);
    if(!st) {
      rc = DAFTAR_EDB;
    } else {
      db_bind_text(st, 1, token_sha256);
      sqlite3_bind_int64(st, 2, now);
      rc = db_step_done(db, st, "touching the session");
    }
  }
  if(rc) {
    index_session_clear(out);
    if(rc == DAFTAR_ENOTFOUND)
      db_fail(db, rc, "no such session");
  }
  return rc;
}

void index_session_clear(index_session *s)
{
  if(!s)
    return;
  free(s->user);
  free(s->role);
  memset(s, 0, sizeof(*s));
}

/* ---- audit ------------------------------------------------------------------------ */

/* Feeds one field as "<length>:" and its bytes (NULL as "-:"), so no two
 * different rows hash the same text. */
static void hash_field(sha256_ctx *c, const char *s)
{
  char len[24];
  int n;
  if(!s) {
    sha256_update(c, "-:", 2);
    return;
  }
  n = snprintf(len, sizeof(len), "%zu:", strlen(s));
  sha256_update(c, len, (size_t)n);
  sha256_update(c, s, strlen(s));
}

static int audit_hash(const char *prev, const char *at, const char *user,
                      const char *action, const char *object,
                      const char *detail, const char *address,
                      char out[SHA256_HEX_LEN + 1])
{
  sha256_ctx c;
  int rc = sha256_init(&c);
  if(rc)
    return rc;
  hash_field(&c, prev);
  hash_field(&c, at);
  hash_field(&c, user);
  hash_field(&c, action);
  hash_field(&c, object);
  hash_field(&c, detail);
  hash_field(&c, address);
  return sha256_final_hex(&c, out);
}

int index_audit_add(struct index_db *db, const char *user, const char *action,
                    const char *object, const char *detail,
                    const char *address)
{
  static const char SQL_LAST[] =
      "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
  static const char SQL_ADD[] =
      "INSERT INTO audit(at, user, action, object, detail, address,"
      " prev_hash, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
  char prev[SHA256_HEX_LEN + 1] = AUDIT_GENESIS, hash[SHA256_HEX_LEN + 1];
  char at[32];
  sqlite3_stmt *st;
  int rc, owned;

  if(!action)
    return db_fail(db, DAFTAR_EINVAL, "audit: no action");
  /* The chain needs the last hash and the insert under one write lock:
   * the caller's transaction (BEGIN IMMEDIATE: the viewer's audited reads,
   * corrections), which rolls back whole on failure, or our own. */
  owned = !db->explicit_txn;
  rc = owned ? db_write_begin(db) : DAFTAR_OK;
  if(rc)
    return rc;
  st = users_stmt(db, SQL_LAST);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  rc = sqlite3_step(st);
  if(rc == SQLITE_ROW) {
    const unsigned char *h = sqlite3_column_text(st, 0);
    if(h && strlen((const char *)h) == SHA256_HEX_LEN)
      memcpy(prev, h, sizeof(prev));
    rc = DAFTAR_OK;
  } else if(rc == SQLITE_DONE) {
    rc = DAFTAR_OK;
  } else {
    rc = db_sqlerr(db, rc, "reading the audit chain");
  }
  db_done(st);
  if(rc)
    goto out;
  iso_now(at);
  rc = audit_hash(prev, at, user, action, object, detail, address, hash);
  if(rc)
    goto out;
  st = users_stmt(db, SQL_ADD);
  if(!st) {
    rc = DAFTAR_EDB;
    goto out;
  }
  db_bind_text(st, 1, at);
  db_bind_text(st, 2, user);
  db_bind_text(st, 3, action);
  db_bind_text(st, 4, object);
  db_bind_text(st, 5, detail);
  db_bind_text(st, 6, address);
  db_bind_text(st, 7, prev);
  db_bind_text(st, 8, hash);
  rc = db_step_done(db, st, "writing the audit row");
out:
  return owned ? db_write_end(db, rc) : rc;
}

int index_audit_verify(struct index_db *db, int64_t *rows, int64_t *first_bad)
{
  static const char SQL[] =
      "SELECT id, at, user, action, object, detail, address, prev_hash, hash"
      " FROM audit ORDER BY id";
  char prev[SHA256_HEX_LEN + 1] = AUDIT_GENESIS, hash[SHA256_HEX_LEN + 1];
  sqlite3_stmt *st = users_stmt(db, SQL);
  int rc;

  *rows = 0;
  *first_bad = 0;
  if(!st)
    return DAFTAR_EDB;
  while((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *col[8];
    int i;
    for(i = 0; i < 8; i++)
      col[i] = (const char *)sqlite3_column_text(st, i + 1);
    (*rows)++;
    rc = audit_hash(prev, col[0], col[1], col[2], col[3], col[4], col[5],
                    hash);
    if(rc)
      break;
    if(!col[6] || !col[7] || strcmp(col[6], prev) || strcmp(col[7], hash)) {
      *first_bad = sqlite3_column_int64(st, 0);
      rc = DAFTAR_EREFUSED;
      break;
    }
    memcpy(prev, hash, sizeof(prev));
  }
  db_done(st);
  if(rc == SQLITE_DONE)
    return DAFTAR_OK;
  if(rc == DAFTAR_EREFUSED)
    return db_fail(db, rc, "audit chain broken at row %lld",
                   (long long)*first_bad);
  return rc < 0 ? rc : db_sqlerr(db, rc, "reading the audit log");
}

/* One audit row as JSON ({"id", "at", ...}) or as a tab-separated line
 * (tabs and newlines inside values shown as spaces: one row, one line). */
static int audit_row_put(sqlite3_stmt *st, int json, int first, dbuf *out)
{
  static const char *const keys[] = {"at", "user", "action", "object",
                                     "detail", "address"};
  int rc, i;
  if(json) {
    rc = dbuf_puts(out, first ? "{\"id\": " : ", {\"id\": ");
    if(!rc)
      rc = json_put_int(out, sqlite3_column_int64(st, 0));
  } else {
    rc = dbuf_printf(out, "%lld", (long long)sqlite3_column_int64(st, 0));
  }
  for(i = 0; !rc && i < 6; i++) {
    const char *v = (const char *)sqlite3_column_text(st, i + 1);
    if(json) {
      rc = dbuf_puts(out, ", ");
      if(!rc)
        rc = json_put_key(out, keys[i]);
      if(!rc)
        rc = dbuf_putc(out, ' ');
      if(!rc)
        rc = json_put_str(out, v);
      continue;
    }
    rc = dbuf_putc(out, '\t');
    for(; !rc && v && *v; v++)
      rc = dbuf_putc(out, *v == '\t' || *v == '\n' || *v == '\r' ? ' ' : *v);
    if(!rc && !v)
      rc = dbuf_putc(out, '-');
  }
  if(!rc)
    rc = dbuf_putc(out, json ? '}' : '\n');
  return rc;
}

static int audit_rows(struct index_db *db, const char *user,
                      const char *action, int limit, int offset, int json,
                      dbuf *out)
{
  static const char SQL[] =
      "SELECT id, at, user, action, object, detail, address FROM audit"
      " WHERE (?1 IS NULL OR user = ?1) AND (?2 IS NULL OR action = ?2)"
      " ORDER BY id DESC LIMIT ?3 OFFSET ?4";
  sqlite3_stmt *st = users_stmt(db, SQL);
  int rc = DAFTAR_OK, first = 1;

  if(!st)
    return DAFTAR_EDB;
  db_bind_text(st, 1, user);
  db_bind_text(st, 2, action);
  sqlite3_bind_int(st, 3, limit);
  sqlite3_bind_int(st, 4, offset);
  if(json)
    rc = dbuf_puts(out, "{\"audit\": [");
  while(!rc && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rc = audit_row_put(st, json, first, out);
    first = 0;
  }
  db_done(st);
  if(rc == SQLITE_DONE)
    return json ? dbuf_puts(out, "]}\n") : DAFTAR_OK;
  return rc < 0 ? rc : db_sqlerr(db, rc, "reading the audit log");
}

int index_audit_json(struct index_db *db, const char *user,
                     const char *action, int limit, int offset, dbuf *out)
{
  return audit_rows(db, user, action, limit, offset, 1, out);
}

int index_audit_text(struct index_db *db, const char *user,
                     const char *action, int limit, int offset, dbuf *out)
{
  return audit_rows(db, user, action, limit, offset, 0, out);
}
