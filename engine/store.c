/*
** SQLite registry: schema, migrations, loading and row writes.
*/
#include "store.h"

#include "buf.h"
#include "digest.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HS_STMT_CACHE 32

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
  int dirty; /* the open transaction wrote stakeholders or groups */
  cached_stmt cache[HS_STMT_CACHE];
  size_t ncache;
  /* The row writers' statements, prepared on first use and kept: one per
  ** statement shape, found by slot, not by comparing SQL text. */
  sqlite3_stmt *ins;               /* INSERT INTO stakeholders */
  sqlite3_stmt *set[HS_SF_GROUPS]; /* UPDATE stakeholders SET <field> */
  sqlite3_stmt *grp_del, *grp_ins, *exists, *del;
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
    /* 3: one history. Runs have a kind (sync, import, link, unlink, undo)
    ** and an undo names the run it reverted. A run's changes are one row
    ** per stakeholder with its fields as one JSON object (created or
    ** deleted: {"field": value}; otherwise {"field": [before, after]}),
    ** not one row per field: a first sync of 100,000 people wrote 1.6
    ** million rows. Existing rows are folded in order. The registry
    ** fingerprint becomes the store's id and a generation counter that
    ** every write transaction bumps (no hashing of every row per run). */
    "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'sync';\n"
    "ALTER TABLE runs ADD COLUMN undoes INTEGER;\n"
    "ALTER TABLE runs ADD COLUMN n_delete INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE run_items(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  stakeholder_id INTEGER, hris_id TEXT, name TEXT,\n"
    "  action TEXT NOT NULL, reason TEXT, changes TEXT);\n"
    "INSERT INTO run_items(run_id, stakeholder_id, hris_id, name, action,\n"
    "                      reason, changes)\n"
    "  SELECT run_id, stakeholder_id, hris_id, name, action, reason, ch\n"
    "  FROM (SELECT min(id) AS first, run_id, stakeholder_id, hris_id,\n"
    "          name, action, reason,\n"
    "          CASE WHEN action = 'create'\n"
    "            THEN json_group_object(field, after)\n"
    "            ELSE json_group_object(field, json_array(before, after))\n"
    "          END AS ch\n"
    "        FROM (SELECT * FROM run_changes WHERE field IS NOT NULL\n"
    "              ORDER BY id)\n"
    "        GROUP BY run_id, stakeholder_id, hris_id, action\n"
    "        UNION ALL\n"
    "        SELECT id, run_id, stakeholder_id, hris_id, name, action,\n"
    "          reason, NULL FROM run_changes WHERE field IS NULL)\n"
    "  ORDER BY first;\n"
    "DROP TABLE run_changes;\n"
    "CREATE INDEX run_items_run ON run_items(run_id);\n"
    "INSERT OR IGNORE INTO meta(key, value)\n"
    "  VALUES('store_id', lower(hex(randomblob(16))));\n"
    /* Generation 0 = fingerprint by hashing the rows, as schema 2 did:
    ** a plan made before the upgrade (or by a reader that has not
    ** migrated) still matches; the first write moves it to 1. */
    "INSERT OR IGNORE INTO meta(key, value) VALUES('generation', '0');\n"};

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
    /* WAL: readers (preview, runs) never block the one writer, and a
    ** crash at any point leaves the last committed state. synchronous=FULL
    ** (stated, not left to the build's default): the WAL is synced at each
    ** commit, so a run reported as applied survives a power cut too.
    ** NORMAL would only save that one fsync per run: a sync, import or
    ** undo is one transaction, so FULL costs nothing measurable. */
    if(sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
           SQLITE_OK ||
       sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) !=
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
  for(i = 0; i < HS_SF_GROUPS; i++)
    sqlite3_finalize(st->set[i]);
  sqlite3_finalize(st->ins);
  sqlite3_finalize(st->grp_del);
  sqlite3_finalize(st->grp_ins);
  sqlite3_finalize(st->exists);
  sqlite3_finalize(st->del);
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

int hs_store_schema(hs_store *st)
{
  return user_version(st->db);
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

/* The fingerprint of a store from its id and generation; *hashed = 0
** when the generation is 0 (nothing written by hrsync yet: the caller
** hashes the rows, so an empty store and no store agree). */
static hs_rc generation_fingerprint(hs_store *st, char out[65], int *hashed,
                                    hs_err *err)
{
  char *id = NULL, *gen = NULL;
  hs_rc rc;
  *hashed = 0;
  /* A store opened for reading may predate schema 3 (reading never
  ** migrates): no counter then, and the rows are hashed. */
  if(user_version(st->db) < 3)
    return HS_OK;
  if((rc = hs_store_meta_get(st, "store_id", &id, err)) ||
     (rc = hs_store_meta_get(st, "generation", &gen, err))) {
    free(id);
    return rc;
  }
  if(id && gen && strcmp(gen, "0")) {
    hs_sha256 h;
    hs_sha256_init(&h);
    hs_sha256_update(&h, "hrsync registry ", 16);
    hs_sha256_update(&h, id, strlen(id) + 1);
    hs_sha256_update(&h, gen, strlen(gen));
    hs_sha256_hex(&h, out);
    *hashed = 1;
  }
  free(id);
  free(gen);
  return HS_OK;
}

hs_rc hs_store_fingerprint(hs_store *st, char out[65], hs_err *err)
{
  hs_registry reg;
  int done;
  hs_rc rc;
  if(st && ((rc = generation_fingerprint(st, out, &done, err)) || done))
    return rc;
  if((rc = hs_store_load(st, &reg, err)))
    return rc;
  memcpy(out, reg.fingerprint, sizeof(reg.fingerprint));
  hs_registry_clear(&reg);
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
  {
    int done;
    if((hrc = generation_fingerprint(st, reg->fingerprint, &done, err))) {
      hs_registry_clear(reg);
      return hrc;
    }
    if(!done)
      hs_registry_fingerprint(reg);
  }
  return HS_OK;
}

hs_rc hs_store_begin(hs_store *st, hs_err *err)
{
  st->dirty = 0;
  if(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "cannot start a transaction");
  return HS_OK;
}

hs_rc hs_store_commit(hs_store *st, hs_err *err)
{
  /* One bump per write transaction, in it: the fingerprint moves exactly
  ** when a commit changed the registry. */
  if(st->dirty &&
     sqlite3_exec(st->db,
                  "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                  "WHERE key = 'generation'",
                  NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "commit failed");
  if(sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "commit failed");
  st->dirty = 0;
  return HS_OK;
}

void hs_store_rollback(hs_store *st)
{
  if(st && !sqlite3_get_autocommit(st->db))
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  if(st)
    st->dirty = 0;
}

/* *slot, prepared from sql on first use. The statement is reset after
** each use by the caller, so it holds no read lock between rows. */
static int slot(hs_store *st, sqlite3_stmt **slot_, const char *sql)
{
  if(*slot_)
    return SQLITE_OK;
  return sqlite3_prepare_v2(st->db, sql, -1, slot_, NULL);
}

/* Values are bound without copying: each lives until the step. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
  if(v)
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, i);
}

/* Replaces the groups of id (fresh: a new row, which has none to drop). */
static hs_rc set_groups(hs_store *st, long long id, const char *groups,
                        int fresh, hs_err *err)
{
  const char *p = groups ? groups : "";
  hs_rc rc = HS_OK;
  if(slot(st, &st->grp_del,
          "DELETE FROM stakeholder_groups WHERE stakeholder_id = ?") !=
         SQLITE_OK ||
     slot(st, &st->grp_ins,
          "INSERT OR IGNORE INTO stakeholder_groups(stakeholder_id, name) "
          "VALUES (?, ?)") != SQLITE_OK)
    return db_err(st, err, "writing groups");
  st->dirty = 1;
  sqlite3_bind_int64(st->grp_del, 1, id);
  if(!fresh && sqlite3_step(st->grp_del) != SQLITE_DONE)
    rc = db_err(st, err, "writing groups");
  sqlite3_reset(st->grp_del);
  while(!rc && *p) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if(len) {
      sqlite3_bind_int64(st->grp_ins, 1, id);
      sqlite3_bind_text(st->grp_ins, 2, p, (int)len, SQLITE_STATIC);
      if(sqlite3_step(st->grp_ins) != SQLITE_DONE)
        rc = db_err(st, err, "writing groups");
      sqlite3_reset(st->grp_ins);
    }
    p += len;
    if(*p == ';')
      p++;
  }
  return rc;
}

/* INSERT INTO stakeholders(id, <columns>) VALUES (?, ...): built once. */
static int prepare_insert(hs_store *st)
{
  hs_buf sql = HS_BUF_INIT;
  int f, bad, rc;
  if(st->ins)
    return SQLITE_OK;
  bad = hs_buf_puts(&sql, "INSERT INTO stakeholders(id, ") |
        column_list(&sql) | hs_buf_puts(&sql, ") VALUES (?");
  for(f = 0; f < HS_SF_GROUPS; f++)
    bad |= hs_buf_puts(&sql, ", ?");
  bad |= hs_buf_puts(&sql, ")");
  rc = bad ? SQLITE_NOMEM
           : sqlite3_prepare_v2(st->db, hs_buf_str(&sql), -1, &st->ins, NULL);
  hs_buf_free(&sql);
  return rc;
}

hs_rc hs_store_insert(hs_store *st, hs_sh *sh, hs_err *err)
{
  sqlite3_stmt *s;
  int f, rc;
  if(prepare_insert(st) != SQLITE_OK)
    return db_err(st, err, "adding a stakeholder");
  s = st->ins;
  st->dirty = 1;
  if(sh->id > 0)
    sqlite3_bind_int64(s, 1, sh->id);
  else
    sqlite3_bind_null(s, 1);
  for(f = 0; f < HS_SF_GROUPS; f++)
    bind_text(s, f + 2,
              f == HS_SF_TYPE && !sh->v[f] ? HS_TYPE_PERSON : sh->v[f]);
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
  sqlite3_stmt *s;
  int rc;
  if(field < 0 || field >= HS_SF_COUNT)
    return hs_err_set(err, HS_E_DB, "stakeholder %lld: bad field", id);
  if(field == HS_SF_GROUPS) {
    /* The row must exist, or the groups would point at nothing. */
    if(slot(st, &st->exists, "SELECT 1 FROM stakeholders WHERE id = ?") !=
       SQLITE_OK)
      return db_err(st, err, "updating groups");
    sqlite3_bind_int64(st->exists, 1, id);
    rc = sqlite3_step(st->exists);
    sqlite3_reset(st->exists);
    if(rc != SQLITE_ROW)
      return hs_err_set(err, HS_E_DB, "%s: no stakeholder with id %lld",
                        st->path, id);
    return set_groups(st, id, value, 0, err);
  }
  if(!st->set[field]) {
    char sql[128];
    snprintf(sql, sizeof(sql), "UPDATE stakeholders SET %s = ? WHERE id = ?",
             hs_sf_name(field));
    if(slot(st, &st->set[field], sql) != SQLITE_OK)
      return db_err(st, err, "updating a stakeholder");
  }
  s = st->set[field];
  st->dirty = 1;
  bind_text(s, 1, value);
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

hs_rc hs_store_delete(hs_store *st, long long id, hs_err *err)
{
  int rc, ext;
  if(slot(st, &st->del, "DELETE FROM stakeholders WHERE id = ?") != SQLITE_OK)
    return db_err(st, err, "removing a stakeholder");
  st->dirty = 1;
  sqlite3_bind_int64(st->del, 1, id);
  rc = sqlite3_step(st->del);
  ext = sqlite3_extended_errcode(st->db);
  sqlite3_reset(st->del);
  if(rc == SQLITE_CONSTRAINT && ext == SQLITE_CONSTRAINT_FOREIGNKEY)
    return hs_err_set(err, HS_E_REFUSED,
                      "stakeholder %lld is referenced by other records", id);
  if(rc != SQLITE_DONE)
    return hs_err_set(err, HS_E_DB, "%s: removing stakeholder %lld: %s",
                      st->path, id, sqlite3_errmsg(st->db));
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
