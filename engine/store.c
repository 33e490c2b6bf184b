/*
** SQLite registry: schema, migrations, loading and row writes.
*/
#include "store.h"

#include "buf.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HS_STMT_CACHE 64

/* Statements run once per row of a big sync (inserts, field updates, run
** log rows) are prepared once per store: preparing them per row cost more
** than running them. */
typedef struct cached_stmt {
  char *sql;
  sqlite3_stmt *stmt;
} cached_stmt;

struct hs_store {
  sqlite3 *db;
  char *path;
  int created;
  cached_stmt cache[HS_STMT_CACHE];
  size_t ncache;
};

/* Migration i brings the schema from version i to i + 1. Appended only. */
static const char *const migrations[] = {
    "CREATE TABLE stakeholders(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  type TEXT NOT NULL DEFAULT 'natural_person'\n"
    "    CHECK(type IN ('natural_person', 'legal_entity')),\n"
    "  hris_id TEXT UNIQUE, identifier TEXT, first_name TEXT,\n"
    "  last_name TEXT, name TEXT, email TEXT, phone TEXT,\n"
    "  address_line1 TEXT, address_line2 TEXT, city TEXT,\n"
    "  postal_code TEXT, region TEXT, country TEXT, birth_date TEXT,\n"
    "  nationality TEXT, start_date TEXT, termination_date TEXT);\n"
    "CREATE INDEX stakeholders_identifier ON stakeholders(identifier);\n"
    "CREATE TABLE stakeholder_groups(\n"
    "  stakeholder_id INTEGER NOT NULL\n"
    "    REFERENCES stakeholders(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  PRIMARY KEY(stakeholder_id, name));\n"
    "CREATE TABLE runs(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started_at TEXT NOT NULL, finished_at TEXT,\n"
    "  connector TEXT NOT NULL, config_digest TEXT, plan_fingerprint TEXT,\n"
    "  n_create INTEGER NOT NULL, n_update INTEGER NOT NULL,\n"
    "  n_unchanged INTEGER NOT NULL, n_skipped INTEGER NOT NULL,\n"
    "  n_conflict INTEGER NOT NULL, n_left INTEGER NOT NULL);\n"
    "CREATE TABLE run_changes(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  stakeholder_id INTEGER, hris_id TEXT, name TEXT,\n"
    "  action TEXT NOT NULL, field TEXT, before TEXT, after TEXT,\n"
    "  reason TEXT);\n"
    "CREATE INDEX run_changes_run ON run_changes(run_id);\n",
    /* 2: facts about the store itself, e.g. which HR field the stakeholders'
    ** hris_id values come from (re-mapping it would duplicate everyone). */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n",
    /* 3: review queue (issue 13): what `sync --auto` held back for a
    ** person, one row per stakeholder and field (create and termination:
    ** field ''); rejected and done rows stay, so the same value is not
    ** queued again. */
    "CREATE TABLE review_queue(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n" /* ids never reused */
    "  kind TEXT NOT NULL CHECK(kind IN ('create', 'update', "
    "'termination')),\n"
    "  hris_id TEXT NOT NULL, stakeholder_id INTEGER, name TEXT,\n"
    "  field TEXT NOT NULL DEFAULT '', hr_value TEXT, registry_value TEXT,\n"
    "  changes TEXT, reason TEXT, run_id INTEGER, first_seen TEXT NOT NULL,\n"
    "  seen_run INTEGER,\n"
    "  status TEXT NOT NULL DEFAULT 'pending'\n"
    "    CHECK(status IN ('pending', 'rejected', 'done')),\n"
    "  UNIQUE(kind, hris_id, field));\n"};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static hs_rc db_err(hs_store *st, hs_err *err, const char *what)
{
  return hs_err_set(err, HS_E_DB, "%s: %s: %s", st->path, what,
                    sqlite3_errmsg(st->db));
}

static int user_version(sqlite3 *db)
{
  sqlite3_stmt *s;
  int v = -1;
  if(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) ==
     SQLITE_OK) {
    if(sqlite3_step(s) == SQLITE_ROW)
      v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  return v;
}

static hs_rc migrate(hs_store *st, hs_err *err)
{
  int v = user_version(st->db);
  char sql[64];
  if(v < 0)
    return db_err(st, err, "reading the schema version");
  if(v > NMIGRATIONS)
    return hs_err_set(err, HS_E_DB,
                      "%s: schema version %d is newer than this hrsync "
                      "understands (%d); upgrade hrsync",
                      st->path, v, NMIGRATIONS);
  if(v == NMIGRATIONS)
    return HS_OK;
  if(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "starting the migration");
  for(; v < NMIGRATIONS; v++)
    if(sqlite3_exec(st->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
      hs_rc rc = db_err(st, err, "migrating the schema");
      sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
      return rc;
    }
  snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", NMIGRATIONS);
  if(sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
     sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    hs_rc rc = db_err(st, err, "migrating the schema");
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
  }
  return HS_OK;
}

hs_rc hs_store_open(const char *path, hs_store_mode mode, hs_store **out,
                    hs_err *err)
{
  hs_store *st;
  struct stat sb;
  int exists = stat(path, &sb) == 0;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  hs_rc rc;
  *out = NULL;
  if(!exists && mode == HS_STORE_READ)
    return HS_OK;
  if(mode == HS_STORE_WRITE)
    flags |= SQLITE_OPEN_CREATE;
  st = calloc(1, sizeof(*st));
  if(!st || !(st->path = strdup(path))) {
    free(st);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  st->created = !exists;
  if(!exists) {
    /* The registry holds personal data (names, birth dates, addresses):
    ** private from the start. SQLite gives its WAL and shm files the
    ** database file's mode. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if(fd < 0) {
      rc = hs_err_set(err, HS_E_IO, "%s: cannot create the store: %s", path,
                      strerror(errno));
      hs_store_close(st);
      return rc;
    }
    close(fd);
  }
  if(sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    rc = db_err(st, err, "cannot open the store");
    hs_store_close(st);
    return rc;
  }
  sqlite3_busy_timeout(st->db, 5000);
  if(sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) !=
     SQLITE_OK) {
    rc = db_err(st, err, "cannot open the store");
    hs_store_close(st);
    return rc;
  }
  if(mode == HS_STORE_READ) {
    int v = user_version(st->db);
    /* Reading never writes, so a file from a newer hrsync, or not a store
    ** at all, is refused rather than migrated. */
    if(v < 0) {
      rc = db_err(st, err, "not an hrsync store");
      hs_store_close(st);
      return rc;
    }
    if(v > NMIGRATIONS) {
      rc = hs_err_set(err, HS_E_DB,
                      "%s: schema version %d is newer than this hrsync "
                      "understands (%d); upgrade hrsync",
                      path, v, NMIGRATIONS);
      hs_store_close(st);
      return rc;
    }
    if(v == 0) {
      /* An empty file (or one not yet migrated) reads as no registry. */
      hs_store_close(st);
      return HS_OK;
    }
    sqlite3_exec(st->db, "PRAGMA query_only=1", NULL, NULL, NULL);
  }
  else {
    if(sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
       SQLITE_OK) {
      rc = db_err(st, err, "cannot open the store");
      hs_store_close(st);
      return rc;
    }
    if((rc = migrate(st, err))) {
      hs_store_close(st);
      return rc;
    }
  }
  *out = st;
  return HS_OK;
}

int hs_store_prepare(hs_store *st, const char *sql, sqlite3_stmt **out)
{
  size_t i;
  int rc;
  for(i = 0; i < st->ncache; i++)
    if(!strcmp(st->cache[i].sql, sql)) {
      sqlite3_reset(st->cache[i].stmt);
      sqlite3_clear_bindings(st->cache[i].stmt);
      *out = st->cache[i].stmt;
      return SQLITE_OK;
    }
  if((rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL)) != SQLITE_OK)
    return rc;
  /* The engine has a fixed, small set of such statements (fewer than
  ** HS_STMT_CACHE), so the cache cannot fill up in practice. */
  if(st->ncache == HS_STMT_CACHE ||
     !(st->cache[st->ncache].sql = strdup(sql))) {
    sqlite3_finalize(*out);
    *out = NULL;
    return SQLITE_NOMEM;
  }
  st->cache[st->ncache++].stmt = *out;
  return SQLITE_OK;
}

void hs_store_close(hs_store *st)
{
  size_t i;
  if(!st)
    return;
  for(i = 0; i < st->ncache; i++) {
    sqlite3_finalize(st->cache[i].stmt);
    free(st->cache[i].sql);
  }
  sqlite3_close(st->db);
  free(st->path);
  free(st);
}

int hs_store_created(const hs_store *st)
{
  return st && st->created;
}

sqlite3 *hs_store_db(hs_store *st)
{
  return st->db;
}

/* The stakeholder columns in hs_sf order, groups left out. */
static hs_rc column_list(hs_buf *b)
{
  int f;
  for(f = 0; f < HS_SF_GROUPS; f++)
    if(hs_buf_printf(b, "%s%s", f ? ", " : "", hs_sf_name(f)))
      return HS_E_NOMEM;
  return HS_OK;
}

static char *col_text(sqlite3_stmt *s, int i, int *oom)
{
  const unsigned char *t = sqlite3_column_text(s, i);
  char *c;
  if(!t)
    return NULL;
  c = strdup((const char *)t);
  if(!c)
    *oom = 1;
  return c;
}

static hs_rc load_groups(hs_store *st, hs_registry *reg, hs_err *err)
{
  sqlite3_stmt *s;
  size_t i = 0;
  int rc;
  if(sqlite3_prepare_v2(st->db,
                        "SELECT stakeholder_id, name FROM stakeholder_groups "
                        "ORDER BY stakeholder_id, name",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "reading groups");
  /* Both lists are in id order: walk them side by side. */
  while((rc = sqlite3_step(s)) == SQLITE_ROW) {
    long long id = sqlite3_column_int64(s, 0);
    const char *name = (const char *)sqlite3_column_text(s, 1);
    while(i < reg->n && reg->items[i].id < id)
      i++;
    if(i < reg->n && reg->items[i].id == id && name &&
       hs_groups_add(&reg->items[i].v[HS_SF_GROUPS], name) < 0) {
      sqlite3_finalize(s);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  }
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "reading groups");
  return HS_OK;
}

hs_rc hs_store_load(hs_store *st, hs_registry *reg, hs_err *err)
{
  hs_buf sql = HS_BUF_INIT;
  sqlite3_stmt *s = NULL;
  size_t cap = 0;
  int rc, oom = 0;
  hs_rc hrc;
  memset(reg, 0, sizeof(*reg));
  if(!st) {
    hs_registry_fingerprint(reg);
    return HS_OK;
  }
  if(hs_buf_puts(&sql, "SELECT id, ") || column_list(&sql) ||
     hs_buf_puts(&sql, " FROM stakeholders ORDER BY id")) {
    hs_buf_free(&sql);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  rc = sqlite3_prepare_v2(st->db, hs_buf_str(&sql), -1, &s, NULL);
  hs_buf_free(&sql);
  if(rc != SQLITE_OK)
    return db_err(st, err, "reading stakeholders");
  while((rc = sqlite3_step(s)) == SQLITE_ROW) {
    hs_sh *sh;
    int f;
    if(reg->n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      hs_sh *n = realloc(reg->items, ncap * sizeof(hs_sh));
      if(!n) {
        oom = 1;
        break;
      }
      reg->items = n;
      cap = ncap;
    }
    sh = &reg->items[reg->n++];
    memset(sh, 0, sizeof(*sh));
    sh->id = sqlite3_column_int64(s, 0);
    for(f = 0; f < HS_SF_GROUPS; f++)
      sh->v[f] = col_text(s, f + 1, &oom);
  }
  sqlite3_finalize(s);
  if(oom) {
    hs_registry_clear(reg);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(rc != SQLITE_DONE) {
    hrc = db_err(st, err, "reading stakeholders");
    hs_registry_clear(reg);
    return hrc;
  }
  if((hrc = load_groups(st, reg, err))) {
    hs_registry_clear(reg);
    return hrc;
  }
  hs_registry_fingerprint(reg);
  return HS_OK;
}

hs_rc hs_store_begin(hs_store *st, hs_err *err)
{
  if(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "cannot start a transaction");
  return HS_OK;
}

hs_rc hs_store_commit(hs_store *st, hs_err *err)
{
  if(sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "commit failed");
  return HS_OK;
}

void hs_store_rollback(hs_store *st)
{
  if(st && !sqlite3_get_autocommit(st->db))
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Replaces the groups of id (fresh: a new row, which has none to drop). */
static hs_rc set_groups(hs_store *st, long long id, const char *groups,
                        int fresh, hs_err *err)
{
  sqlite3_stmt *del = NULL, *ins = NULL;
  const char *p = groups ? groups : "";
  hs_rc rc = HS_OK;
  if(hs_store_prepare(st,
                      "DELETE FROM stakeholder_groups WHERE "
                      "stakeholder_id = ?",
                      &del) != SQLITE_OK ||
     hs_store_prepare(st,
                      "INSERT OR IGNORE INTO stakeholder_groups"
                      "(stakeholder_id, name) VALUES (?, ?)",
                      &ins) != SQLITE_OK) {
    rc = db_err(st, err, "writing groups");
    goto out;
  }
  sqlite3_bind_int64(del, 1, id);
  if(!fresh && sqlite3_step(del) != SQLITE_DONE) {
    rc = db_err(st, err, "writing groups");
    goto out;
  }
  while(*p) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if(len) {
      sqlite3_reset(ins);
      sqlite3_bind_int64(ins, 1, id);
      sqlite3_bind_text(ins, 2, p, (int)len, SQLITE_TRANSIENT);
      if(sqlite3_step(ins) != SQLITE_DONE) {
        rc = db_err(st, err, "writing groups");
        goto out;
      }
    }
    p += len;
    if(*p == ';')
      p++;
  }
out:
  /* Cached: reset, not finalized, so they hold no read lock. */
  if(del)
    sqlite3_reset(del);
  if(ins)
    sqlite3_reset(ins);
  return rc;
}

hs_rc hs_store_insert(hs_store *st, hs_sh *sh, hs_err *err)
{
  hs_buf sql = HS_BUF_INIT;
  sqlite3_stmt *s;
  int f, rc;
  if(hs_buf_puts(&sql, "INSERT INTO stakeholders(") || column_list(&sql) ||
     hs_buf_puts(&sql, ") VALUES (")) {
    hs_buf_free(&sql);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  for(f = 0; f < HS_SF_GROUPS; f++)
    if(hs_buf_puts(&sql, f ? ", ?" : "?")) {
      hs_buf_free(&sql);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  if(hs_buf_puts(&sql, ")")) {
    hs_buf_free(&sql);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  rc = hs_store_prepare(st, hs_buf_str(&sql), &s);
  hs_buf_free(&sql);
  if(rc != SQLITE_OK)
    return db_err(st, err, "adding a stakeholder");
  for(f = 0; f < HS_SF_GROUPS; f++) {
    const char *v = sh->v[f];
    if(f == HS_SF_TYPE && !v)
      v = HS_TYPE_PERSON;
    if(v)
      sqlite3_bind_text(s, f + 1, v, -1, SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(s, f + 1);
  }
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  if(rc != SQLITE_DONE)
    return hs_err_set(err, HS_E_DB, "%s: adding stakeholder \"%s\": %s",
                      st->path, sh->v[HS_SF_NAME] ? sh->v[HS_SF_NAME] : "",
                      sqlite3_errmsg(st->db));
  sh->id = sqlite3_last_insert_rowid(st->db);
  if(!sh->v[HS_SF_GROUPS])
    return HS_OK;
  return set_groups(st, sh->id, sh->v[HS_SF_GROUPS], 1, err);
}

hs_rc hs_store_set(hs_store *st, long long id, int field, const char *value,
                   hs_err *err)
{
  char sql[128];
  sqlite3_stmt *s;
  int rc;
  if(field < 0 || field >= HS_SF_COUNT)
    return hs_err_set(err, HS_E_DB, "stakeholder %lld: bad field", id);
  if(field == HS_SF_GROUPS) {
    /* The row must exist, or the groups would point at nothing. */
    if(hs_store_prepare(st, "SELECT 1 FROM stakeholders WHERE id = ?", &s) !=
       SQLITE_OK)
      return db_err(st, err, "updating groups");
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if(rc != SQLITE_ROW)
      return hs_err_set(err, HS_E_DB, "%s: no stakeholder with id %lld",
                        st->path, id);
    return set_groups(st, id, value, 0, err);
  }
  snprintf(sql, sizeof(sql), "UPDATE stakeholders SET %s = ? WHERE id = ?",
           hs_sf_name(field));
  if(hs_store_prepare(st, sql, &s) != SQLITE_OK)
    return db_err(st, err, "updating a stakeholder");
  if(value)
    sqlite3_bind_text(s, 1, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null(s, 1);
  sqlite3_bind_int64(s, 2, id);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  if(rc != SQLITE_DONE)
    return hs_err_set(err, HS_E_DB, "%s: stakeholder %lld: %s: %s", st->path,
                      id, hs_sf_name(field), sqlite3_errmsg(st->db));
  if(sqlite3_changes(st->db) != 1)
    return hs_err_set(err, HS_E_DB, "%s: no stakeholder with id %lld",
                      st->path, id);
  return HS_OK;
}

hs_rc hs_store_meta_get(hs_store *st, const char *key, char **value,
                        hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  *value = NULL;
  if(!st)
    return HS_OK;
  if(hs_store_prepare(st, "SELECT value FROM meta WHERE key = ?1", &s) !=
     SQLITE_OK)
    return db_err(st, err, "reading the store's meta data");
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  if(rc == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(s, 0);
    if(v && !(*value = strdup(v))) {
      sqlite3_reset(s);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  }
  sqlite3_reset(s);
  if(rc != SQLITE_ROW && rc != SQLITE_DONE)
    return db_err(st, err, "reading the store's meta data");
  return HS_OK;
}

hs_rc hs_store_meta_set(hs_store *st, const char *key, const char *value,
                        hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(hs_store_prepare(st,
                      "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                      &s) != SQLITE_OK)
    return db_err(st, err, "writing the store's meta data");
  sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "writing the store's meta data");
  return HS_OK;
}
