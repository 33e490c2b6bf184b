/*
** SQLite registry: schema, migrations, loading and row writes.
*/
#define _GNU_SOURCE /* renameat2 */
#include "store.h"

#include "arena.h"
#include "buf.h"
#include "digest.h"

#include <sqlite3.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define HS_STMT_CACHE 32

/* How long a statement waits for another program's lock on the store. */
#define HS_STORE_BUSY_MS 5000

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
  /* While a new store is being made: the temporary file it lives in
  ** until hs_store_commit publishes it under path. */
  char *tmp;
  /* The file path named when it was opened for writing. */
  dev_t dev;
  ino_t ino;
  /* The schema version as opened (a reader never migrates: an old store
  ** read as it is may lack later tables). */
  int version;
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
    "INSERT OR IGNORE INTO meta(key, value) VALUES('generation', '0');\n",
    /* 4: review queue (issue 13): what `sync --auto` held back for a
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

const char *hs_store_migration(int i)
{
  return i >= 0 && i < NMIGRATIONS ? migrations[i] : NULL;
}

/* hrsync's mark in the SQLite header (PRAGMA application_id): "HRsy". A
** file without it is somebody else's database and is never written. */
#define HS_STORE_APP_ID 0x48527379

/* Stores made before the mark existed (schema 1 and 2, hrsync up to the
** SDK 1.2 releases) carry none. Such a file is adopted, and marked by its
** next migration, only when its schema is exactly what hrsync's own
** migrations make for its version: an unrelated database that merely
** has a `stakeholders` table is refused. Every later schema is marked
** from its creation, so this stays 2 whatever migrations are appended. */
#define HS_STORE_LAST_UNMARKED 2

static hs_rc db_err(hs_store *st, hs_err *err, const char *what)
{
  return hs_store_fail(st->db, st->path, what, err);
}

/* The folder of path ("." for a bare name), in buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
  const char *slash = strrchr(path, '/');
  if(!slash)
    snprintf(buf, size, ".");
  else if(slash == path)
    snprintf(buf, size, "/");
  else
    snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Why the file system refuses writes to path, or NULL if it does not
** seem to: a read-only mount, a folder or file we may not write, a full
** disk. SQLite says "unable to open database file" or "attempt to write
** a readonly database" for all of them; the operator needs to know
** which. */
static const char *fs_reason(const char *path, char *buf, size_t size)
{
  char dir[4096];
  struct statvfs vfs;
  dir_of(path, dir, sizeof(dir));
  if(statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
    snprintf(buf, size, "%s is on a read-only file system", dir);
  else if(access(dir, F_OK) != 0)
    snprintf(buf, size, "there is no folder %s", dir);
  else if(access(dir, W_OK) != 0)
    snprintf(buf, size, "the folder %s is not writable (%s)", dir,
             strerror(errno));
  else if(access(path, F_OK) == 0 && access(path, W_OK) != 0)
    snprintf(buf, size, "the file is read-only (%s)", strerror(errno));
  else if(statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0)
    snprintf(buf, size, "the disk is full (no space left on %s)", dir);
  else
    return NULL;
  return buf;
}

/* The pid of another process holding a POSIX lock on path or its -shm
** (SQLite's locks), from /proc/locks; 0 if none is found (or not Linux).
** hrsync writers are named by STORE.lock instead (see lock.h). */
static long lock_holder(const char *path)
{
  char shm[4200], line[256];
  struct stat a, b;
  int have_a, have_b;
  long found = 0;
  FILE *f;
  snprintf(shm, sizeof(shm), "%s-shm", path);
  have_a = stat(path, &a) == 0;
  have_b = stat(shm, &b) == 0;
  if(!(f = fopen("/proc/locks", "r")))
    return 0;
  while(!found && fgets(line, sizeof(line), f)) {
    unsigned maj, min;
    unsigned long long ino;
    long pid;
    /* "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 ..." ("->" for
    ** waiters) */
    if(strstr(line, "->") ||
       sscanf(line, "%*s %*s %*s %*s %ld %x:%x:%llu", &pid, &maj, &min,
              &ino) != 4 ||
       pid == (long)getpid())
      continue;
    if((have_a && ino == (unsigned long long)a.st_ino) ||
       (have_b && ino == (unsigned long long)b.st_ino))
      found = pid;
  }
  fclose(f);
  return found;
}

hs_rc hs_store_fail(sqlite3 *db, const char *path, const char *what,
                    hs_err *err)
{
  int code = db ? sqlite3_errcode(db) & 0xff : SQLITE_CANTOPEN;
  int sys = db ? sqlite3_system_errno(db) : 0;
  char why[4400];
  const char *fs;
  if(db && sqlite3_extended_errcode(db) == SQLITE_READONLY_DBMOVED)
    return hs_err_set(err, HS_E_IO,
                      "%s: %s: the store was removed or moved while this run "
                      "was writing; nothing was written",
                      path, what);
  switch(code) {
  case SQLITE_FULL:
    return hs_err_set(err, HS_E_IO,
                      "%s: %s: the disk is full; nothing was written", path,
                      what);
  case SQLITE_BUSY:
  case SQLITE_LOCKED: {
    long pid = lock_holder(path);
    if(pid)
      return hs_err_set(err, HS_E_DB,
                        "%s: %s: the database is locked by another program "
                        "(pid %ld; not an hrsync writer); nothing was written",
                        path, what, pid);
    return hs_err_set(err, HS_E_DB,
                      "%s: %s: the database is locked by another program "
                      "(not an hrsync writer); nothing was written",
                      path, what);
  }
  case SQLITE_NOTADB:
    return hs_err_set(err, HS_E_DB,
                      "%s: not an hrsync store (not an SQLite database); "
                      "nothing was written",
                      path);
  case SQLITE_CANTOPEN:
  case SQLITE_READONLY:
  case SQLITE_IOERR:
  case SQLITE_PERM:
    if((fs = fs_reason(path, why, sizeof(why))))
      return hs_err_set(err, HS_E_IO, "%s: %s: %s", path, what, fs);
    if(sys)
      return hs_err_set(err, HS_E_IO, "%s: %s: %s (%s)", path, what,
                        db ? sqlite3_errmsg(db) : "cannot open",
                        strerror(sys));
    break;
  default:
    break;
  }
  return hs_err_set(err, HS_E_DB, "%s: %s: %s", path, what,
                    db ? sqlite3_errmsg(db) : "cannot open");
}

/* One integer pragma (user_version, application_id); -1 on error. */
static int pragma_int(sqlite3 *db, const char *pragma)
{
  sqlite3_stmt *s;
  int v = -1;
  if(sqlite3_prepare_v2(db, pragma, -1, &s, NULL) == SQLITE_OK) {
    if(sqlite3_step(s) == SQLITE_ROW)
      v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  return v;
}

static int user_version(sqlite3 *db)
{
  return pragma_int(db, "PRAGMA user_version");
}

#define SCHEMA_SQL                                                            \
  "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT "       \
  "LIKE 'sqlite_%' ORDER BY type, name"

/* The schema of db as one string (type, name, table, sql of every object
** but SQLite's own), into b. */
static int schema_text(sqlite3 *db, hs_buf *b)
{
  sqlite3_stmt *s;
  int rc, i;
  if(sqlite3_prepare_v2(db, SCHEMA_SQL, -1, &s, NULL) != SQLITE_OK)
    return -1;
  while((rc = sqlite3_step(s)) == SQLITE_ROW)
    for(i = 0; i < 4; i++) {
      const char *t = (const char *)sqlite3_column_text(s, i);
      if(hs_buf_printf(b, "%s\x1f", t ? t : "")) {
        sqlite3_finalize(s);
        return -1;
      }
    }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? 0 : -1;
}

/* True when db's schema is exactly what migrations 0..v-1 make. */
static int is_hrsync_schema(sqlite3 *db, int v)
{
  hs_buf want = HS_BUF_INIT, have = HS_BUF_INIT;
  sqlite3 *mem = NULL;
  int i, same = 0;
  if(sqlite3_open(":memory:", &mem) != SQLITE_OK)
    goto out;
  for(i = 0; i < v; i++)
    if(sqlite3_exec(mem, migrations[i], NULL, NULL, NULL) != SQLITE_OK)
      goto out;
  if(schema_text(mem, &want) || schema_text(db, &have))
    goto out;
  same = want.len == have.len && !memcmp(want.data, have.data, want.len);
out:
  sqlite3_close(mem);
  hs_buf_free(&want);
  hs_buf_free(&have);
  return same;
}

/* "invoices, customers" (the first few tables), for the refusal. */
static void table_names(sqlite3 *db, hs_buf *b)
{
  sqlite3_stmt *s;
  int n = 0;
  if(sqlite3_prepare_v2(db,
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%' ORDER BY name",
                        -1, &s, NULL) != SQLITE_OK)
    return;
  while(sqlite3_step(s) == SQLITE_ROW && n < 6) {
    const char *name = (const char *)sqlite3_column_text(s, 0);
    if(hs_buf_printf(b, "%s%s", n ? ", " : "", n < 5 ? name : "..."))
      break;
    n++;
  }
  sqlite3_finalize(s);
}

static int object_count(sqlite3 *db)
{
  return pragma_int(db, "SELECT count(*) FROM sqlite_master");
}

/* Decides, before anything is written, whether the open file is ours:
** marked, empty, or an unmarked store of an older hrsync (see
** HS_STORE_LAST_UNMARKED). *empty is set for a database with nothing in
** it yet. */
static hs_rc check_ours(hs_store *st, int *empty, int *current, hs_err *err)
{
  int app = pragma_int(st->db, "PRAGMA application_id");
  int v = user_version(st->db);
  int objects = object_count(st->db);
  hs_buf names = HS_BUF_INIT;
  hs_rc rc;
  *empty = 0;
  *current = app == HS_STORE_APP_ID && v == NMIGRATIONS;
  if(app == -1 || v < 0 || objects < 0)
    return db_err(st, err, "cannot read the store");
  if(app != 0 && app != HS_STORE_APP_ID)
    return hs_err_set(err, HS_E_DB,
                      "%s: not an hrsync store (an SQLite database of "
                      "another application, application_id 0x%08x); "
                      "nothing was written",
                      st->path, (unsigned)app);
  if(v > NMIGRATIONS && app == HS_STORE_APP_ID)
    return hs_err_set(err, HS_E_DB,
                      "%s: schema version %d is newer than this hrsync "
                      "understands (%d); upgrade hrsync",
                      st->path, v, NMIGRATIONS);
  if(app == HS_STORE_APP_ID)
    return HS_OK;
  if(v == 0 && objects == 0) {
    *empty = 1;
    return HS_OK;
  }
  if(v >= 1 && v <= HS_STORE_LAST_UNMARKED && is_hrsync_schema(st->db, v))
    return HS_OK;
  table_names(st->db, &names);
  rc = hs_err_set(err, HS_E_DB,
                  "%s: not an hrsync store (an SQLite database with "
                  "%s%s); nothing was written: give --db a new file or an "
                  "hrsync store",
                  st->path, names.len ? "tables " : "no tables",
                  names.len ? hs_buf_str(&names) : "");
  hs_buf_free(&names);
  return rc;
}

/* Brings the schema to the current version and marks the file as
** hrsync's, all in one transaction: a failure (a full disk) rolls back
** to the file as it was. The version is read again under the write
** lock, so two openers never run the same migration twice. */
static hs_rc migrate(hs_store *st, hs_err *err)
{
  char sql[64];
  hs_rc rc;
  int v;
  if(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "starting the migration");
  v = user_version(st->db);
  if(v < 0) {
    rc = db_err(st, err, "reading the schema version");
    goto fail;
  }
  if(v == NMIGRATIONS &&
     pragma_int(st->db, "PRAGMA application_id") == HS_STORE_APP_ID) {
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return HS_OK;
  }
  for(; v < NMIGRATIONS; v++)
    if(sqlite3_exec(st->db, migrations[v], NULL, NULL, NULL) != SQLITE_OK) {
      rc = db_err(st, err, "migrating the schema");
      goto fail;
    }
  snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", NMIGRATIONS);
  if(sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    rc = db_err(st, err, "migrating the schema");
    goto fail;
  }
  snprintf(sql, sizeof(sql), "PRAGMA application_id=%d", HS_STORE_APP_ID);
  if(sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
     sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
    rc = db_err(st, err, "migrating the schema");
    goto fail;
  }
  return HS_OK;
fail:
  sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* sqlite3_open_v2 on file with the store's settings. */
static hs_rc open_db(hs_store *st, const char *file, int flags, hs_err *err)
{
  if(sqlite3_open_v2(file, &st->db, flags, NULL) != SQLITE_OK)
    return db_err(st, err, "cannot open the store");
  sqlite3_extended_result_codes(st->db, 1);
  sqlite3_busy_timeout(st->db, HS_STORE_BUSY_MS);
  /* synchronous=FULL, stated rather than left to the build's default:
  ** the journal (the WAL once the store is published) is synced at each
  ** commit, so a run reported as applied survives a power cut, not only a
  ** crash. NORMAL would save one fsync per run: a sync, import or undo is
  ** one transaction, so FULL costs nothing measurable. */
  if(sqlite3_exec(st->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL) !=
         SQLITE_OK ||
     sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) !=
         SQLITE_OK)
    return db_err(st, err, "cannot open the store");
  return HS_OK;
}

/* Remembers which file path names now, so a commit can tell that the
** store was removed or replaced under it. */
static void note_inode(hs_store *st)
{
  struct stat sb;
  if(stat(st->path, &sb) == 0) {
    st->dev = sb.st_dev;
    st->ino = sb.st_ino;
  }
}

/* Temporary files of creations that died (SIGKILL between creating and
** publishing): ".NAME.new-PID-XXXXXX" whose PID is gone. Only ever our
** own temporary names, never a store. */
static void remove_stale_tmp(const char *store_path)
{
  char dir[4096], prefix[512];
  const char *base = strrchr(store_path, '/');
  struct dirent *e;
  size_t plen;
  DIR *d;
  base = base ? base + 1 : store_path;
  dir_of(store_path, dir, sizeof(dir));
  plen = (size_t)snprintf(prefix, sizeof(prefix), ".%s.new-", base);
  if(!(d = opendir(dir)))
    return;
  while((e = readdir(d))) {
    char path[4096 + 256];
    long pid;
    if(strncmp(e->d_name, prefix, plen))
      continue;
    pid = strtol(e->d_name + plen, NULL, 10);
    if(pid == (long)getpid())
      continue;
    if(pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
      snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
      unlink(path);
    }
  }
  closedir(d);
}

/* A store that does not exist yet is made in a temporary file beside it
** (same folder, so publishing is a rename) and appears under its name
** only when hs_store_commit publishes it, with a committed write in it.
** Nothing ever has to remove a store: a refusal before the commit
** leaves no file, and a store another process created meanwhile is
** never replaced. */
static hs_rc create_pending(hs_store *st, hs_err *err)
{
  char dir[4096], prefix[512], why[4400];
  const char *base = strrchr(st->path, '/');
  int fd;
  hs_rc rc;
  base = base ? base + 1 : st->path;
  dir_of(st->path, dir, sizeof(dir));
  snprintf(prefix, sizeof(prefix), ".%s.new-", base);
  if(!(st->tmp = malloc(strlen(dir) + strlen(prefix) + 32)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  sprintf(st->tmp, "%s/%s%ld-XXXXXX", dir, prefix, (long)getpid());
  /* mkstemp: private (0600) from the start, like the store: it holds
  ** personal data. SQLite gives its journal the file's mode. */
  if((fd = mkstemp(st->tmp)) < 0) {
    const char *fs = fs_reason(st->path, why, sizeof(why));
    rc = hs_err_set(err, HS_E_IO, "%s: cannot create the store: %s", st->path,
                    fs ? fs : strerror(errno));
    free(st->tmp);
    st->tmp = NULL;
    return rc;
  }
  close(fd);
  if((rc = open_db(st, st->tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                   err)) ||
     (rc = migrate(st, err)))
    return rc;
  st->created = 1;
  st->version = NMIGRATIONS;
  return HS_OK;
}

/* True when path's folder is on a file system mounted read-only and the
** store has no journal or WAL content beside it: an immutable open reads
** the main file only, so committed pages still in a WAL would be missed
** (then the normal open says why it cannot read). */
static int readonly_and_whole(const char *path)
{
  char dir[4096], side[4200];
  struct statvfs vfs;
  struct stat sb;
  dir_of(path, dir, sizeof(dir));
  if(statvfs(dir, &vfs) != 0 || !(vfs.f_flag & ST_RDONLY))
    return 0;
  snprintf(side, sizeof(side), "%s-wal", path);
  if(stat(side, &sb) == 0 && sb.st_size > 0)
    return 0;
  snprintf(side, sizeof(side), "%s-journal", path);
  return stat(side, &sb) != 0 || sb.st_size == 0;
}

/* Opens a store on a read-only mount for reading. A WAL store needs its
** -shm file, which cannot be created there; but nobody can change a file
** on a read-only mount either, so SQLite may treat it as immutable. */
static hs_rc open_immutable(hs_store *st, hs_err *err)
{
  hs_buf uri = HS_BUF_INIT;
  const char *p;
  int bad = hs_buf_puts(&uri, "file:");
  hs_rc rc;
  for(p = st->path; *p && !bad; p++)
    bad = strchr("%?#", *p) ? hs_buf_printf(&uri, "%%%02X", (unsigned char)*p)
                            : hs_buf_append(&uri, p, 1);
  if(bad || hs_buf_puts(&uri, "?immutable=1")) {
    hs_buf_free(&uri);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  rc = open_db(st, hs_buf_str(&uri),
               SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
               err);
  hs_buf_free(&uri);
  return rc;
}

/* Opens the existing file at st->path: refused unless it is ours. */
static hs_rc open_existing(hs_store *st, hs_store_mode mode, int *none,
                           hs_err *err)
{
  int empty = 0, current = 0;
  hs_rc rc;
  *none = 0;
  if(mode == HS_STORE_READ && readonly_and_whole(st->path))
    rc = open_immutable(st, err);
  else
    rc = open_db(st, st->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                 err);
  if(rc || (rc = check_ours(st, &empty, &current, err)))
    return rc;
  st->version = user_version(st->db);
  if(mode == HS_STORE_READ) {
    /* An empty file (or one not yet migrated) reads as no registry. */
    if(empty || st->version == 0) {
      *none = 1;
      return HS_OK;
    }
    sqlite3_exec(st->db, "PRAGMA query_only=1", NULL, NULL, NULL);
    return HS_OK;
  }
  note_inode(st);
  /* Migrated first, in the rollback journal: WAL is switched on only in
  ** a file that is complete and ours. */
  if(!current && (rc = migrate(st, err)))
    return rc;
  st->version = NMIGRATIONS;
  if(sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) !=
     SQLITE_OK)
    return db_err(st, err, "cannot open the store");
  return HS_OK;
}

hs_rc hs_store_open(const char *path, hs_store_mode mode, hs_store **out,
                    hs_err *err)
{
  hs_store *st;
  struct stat sb;
  int none = 0, exists;
  hs_rc rc;
  *out = NULL;
  if(!(exists = stat(path, &sb) == 0) && errno != ENOENT)
    return hs_err_set(err, HS_E_IO, "%s: cannot open the store: %s", path,
                      strerror(errno));
  if(!exists && mode == HS_STORE_READ)
    return HS_OK;
  st = calloc(1, sizeof(*st));
  if(!st || !(st->path = strdup(path))) {
    free(st);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(mode == HS_STORE_WRITE)
    remove_stale_tmp(path);
  if(!exists)
    rc = create_pending(st, err);
  else if(S_ISDIR(sb.st_mode))
    rc = hs_err_set(err, HS_E_DB, "%s: not an hrsync store (a folder)", path);
  else
    rc = open_existing(st, mode, &none, err);
  if(rc || none) {
    hs_store_close(st);
    return rc;
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

static void close_db(hs_store *st)
{
  size_t i;
  for(i = 0; i < st->ncache; i++) {
    sqlite3_finalize(st->cache[i].stmt);
    free(st->cache[i].sql);
  }
  for(i = 0; i < HS_SF_GROUPS; i++) {
    sqlite3_finalize(st->set[i]);
    st->set[i] = NULL;
  }
  sqlite3_finalize(st->ins);
  sqlite3_finalize(st->grp_del);
  sqlite3_finalize(st->grp_ins);
  sqlite3_finalize(st->exists);
  sqlite3_finalize(st->del);
  st->ins = st->grp_del = st->grp_ins = st->exists = st->del = NULL;
  st->ncache = 0;
  sqlite3_close(st->db);
  st->db = NULL;
}

/* Removes the temporary file of a creation that was never published:
** nothing but this process ever wrote to it. */
static void drop_tmp(hs_store *st)
{
  char journal[4200];
  if(!st->tmp)
    return;
  snprintf(journal, sizeof(journal), "%s-journal", st->tmp);
  unlink(st->tmp);
  unlink(journal);
  free(st->tmp);
  st->tmp = NULL;
}

void hs_store_close(hs_store *st)
{
  if(!st)
    return;
  close_db(st);
  drop_tmp(st);
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

/* The columns a load reads (", a, b", in hs_sf order, groups left out):
** those with need[f], all when need is NULL. Their fields go to
** col[0..*n). */
static hs_rc load_columns(hs_buf *b, const unsigned char *need, int *col,
                          int *n)
{
  int f;
  *n = 0;
  for(f = 0; f < HS_SF_GROUPS; f++) {
    if(need && !need[f])
      continue;
    if(hs_buf_printf(b, ", %s", hs_sf_name(f)))
      return HS_E_NOMEM;
    col[(*n)++] = f;
  }
  return HS_OK;
}

/* Column i as a string in the registry's arena (NULL stays NULL). Its
** length by strlen, not sqlite3_column_bytes: a value is only ever read
** as a C string, and the second API call per value was some 15% of the
** load of 100,000 people. */
static char *col_text(sqlite3_stmt *s, int i, hs_arena *a, int *oom)
{
  const unsigned char *t = sqlite3_column_text(s, i);
  char *c;
  if(!t)
    return NULL;
  c = hs_arena_strndup(a, (const char *)t, strlen((const char *)t));
  if(!c)
    *oom = 1;
  return c;
}

/* Moves the ";"-joined list *acc (a malloc'd string) into item sh's
** groups, in the arena. */
static int put_groups(hs_registry *reg, hs_sh *sh, char **acc)
{
  if(!*acc)
    return 0;
  sh->v[HS_SF_GROUPS] = hs_arena_strndup(reg->strings, *acc, strlen(*acc));
  free(*acc);
  *acc = NULL;
  return sh->v[HS_SF_GROUPS] ? 0 : -1;
}

static hs_rc load_groups(hs_store *st, hs_registry *reg, hs_err *err)
{
  sqlite3_stmt *s;
  size_t i = 0;
  char *acc = NULL; /* the groups of items[i] so far */
  int rc, oom = 0;
  if(sqlite3_prepare_v2(st->db,
                        "SELECT stakeholder_id, name FROM stakeholder_groups "
                        "ORDER BY stakeholder_id, name",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "reading groups");
  /* Both lists are in id order: walk them side by side. */
  while(!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    long long id = sqlite3_column_int64(s, 0);
    const char *name = (const char *)sqlite3_column_text(s, 1);
    while(i < reg->n && reg->items[i].id < id && !oom)
      oom = put_groups(reg, &reg->items[i++], &acc);
    if(!oom && i < reg->n && reg->items[i].id == id && name &&
       hs_groups_add(&acc, name) < 0)
      oom = 1;
  }
  sqlite3_finalize(s);
  if(!oom && i < reg->n)
    oom = put_groups(reg, &reg->items[i], &acc);
  free(acc);
  if(oom)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(rc != SQLITE_DONE)
    return db_err(st, err, "reading groups");
  return HS_OK;
}

/* How many stakeholders there are, so the items are allocated once: a
** doubling array would hold up to twice the memory, and copy it. */
static hs_rc count_rows(hs_store *st, size_t *n, hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(sqlite3_prepare_v2(st->db, "SELECT count(*) FROM stakeholders", -1, &s,
                        NULL) != SQLITE_OK)
    return db_err(st, err, "reading stakeholders");
  rc = sqlite3_step(s);
  *n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return rc == SQLITE_ROW ? HS_OK : db_err(st, err, "reading stakeholders");
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

/* The rows and groups of hs_store_load, inside its savepoint; the
** fields need asks for (NULL: all). On an error reg is left for the
** caller to clear. */
static hs_rc load_rows(hs_store *st, hs_registry *reg,
                       const unsigned char *need, hs_err *err)
{
  hs_buf sql = HS_BUF_INIT;
  sqlite3_stmt *s = NULL;
  size_t cap = 0;
  int rc, oom = 0, col[HS_SF_GROUPS], ncol = 0;
  hs_rc hrc;
  if((hrc = count_rows(st, &cap, err)))
    return hrc;
  if(!(reg->strings = hs_arena_new()) ||
     !(reg->items = malloc((cap ? cap : 1) * sizeof(hs_sh))) ||
     hs_buf_puts(&sql, "SELECT id") || load_columns(&sql, need, col, &ncol) ||
     hs_buf_puts(&sql, " FROM stakeholders ORDER BY id")) {
    hs_buf_free(&sql);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  rc = sqlite3_prepare_v2(st->db, hs_buf_str(&sql), -1, &s, NULL);
  hs_buf_free(&sql);
  if(rc != SQLITE_OK)
    return db_err(st, err, "reading stakeholders");
  while(!oom && reg->n < cap && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    hs_sh *sh = &reg->items[reg->n++];
    int c;
    memset(sh, 0, sizeof(*sh));
    sh->id = sqlite3_column_int64(s, 0);
    for(c = 0; c < ncol; c++)
      sh->v[col[c]] = col_text(s, c + 1, reg->strings, &oom);
  }
  if(!oom && reg->n == cap)
    rc = sqlite3_step(s); /* the count said this is the end */
  sqlite3_finalize(s);
  if(oom)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(rc != SQLITE_DONE)
    return db_err(st, err, "reading stakeholders");
  return load_groups(st, reg, err);
}

hs_rc hs_store_load(hs_store *st, hs_registry *reg, hs_err *err)
{
  return hs_store_load_fields(st, reg, NULL, err);
}

hs_rc hs_store_load_fields(hs_store *st, hs_registry *reg,
                           const unsigned char *need, hs_err *err)
{
  int done = 0;
  hs_rc rc;
  memset(reg, 0, sizeof(*reg));
  if(!st) {
    hs_registry_fingerprint(reg);
    return HS_OK;
  }
  /* One read transaction: the count and the rows agree. */
  if(sqlite3_exec(st->db, "SAVEPOINT hs_load", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "reading stakeholders");
  /* The fingerprint first: when it hashes the rows, it needs them all. */
  if(!(rc = generation_fingerprint(st, reg->fingerprint, &done, err)))
    rc = load_rows(st, reg, done ? need : NULL, err);
  sqlite3_exec(st->db, "RELEASE hs_load", NULL, NULL, NULL);
  if(rc) {
    hs_registry_clear(reg);
    return rc;
  }
  if(!done)
    hs_registry_fingerprint(reg);
  return HS_OK;
}

hs_rc hs_store_begin(hs_store *st, hs_err *err)
{
  st->dirty = 0;
  if(sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "cannot start a transaction");
  return HS_OK;
}

hs_rc hs_store_begin_nowait(hs_store *st, hs_err *err)
{
  hs_rc rc;
  sqlite3_busy_timeout(st->db, 0);
  rc = hs_store_begin(st, err);
  sqlite3_busy_timeout(st->db, HS_STORE_BUSY_MS);
  return rc;
}

/* Puts the new store in place, refusing to replace a file that appeared
** at its name meanwhile (RENAME_NOREPLACE, or link where the file system
** lacks it), then reopens it there for the rest of the run. */
static hs_rc publish(hs_store *st, hs_err *err)
{
  char dir[4096];
  int fd, none;
  close_db(st);
  if(renameat2(AT_FDCWD, st->tmp, AT_FDCWD, st->path, RENAME_NOREPLACE)) {
    int e = errno;
    if((e == EINVAL || e == ENOSYS) && link(st->tmp, st->path) == 0)
      e = 0;
    else if(e == EINVAL || e == ENOSYS)
      e = errno;
    if(e) {
      hs_rc rc =
          e == EEXIST
              ? hs_err_set(err, HS_E_REFUSED,
                           "%s: another program created the store while this "
                           "run was writing; nothing was written, run again",
                           st->path)
              : hs_err_set(err, HS_E_IO, "%s: cannot create the store: %s",
                           st->path, strerror(e));
      drop_tmp(st);
      return rc;
    }
    unlink(st->tmp);
  }
  free(st->tmp);
  st->tmp = NULL;
  /* The new name is durable once its folder is. */
  dir_of(st->path, dir, sizeof(dir));
  if((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
    if(fsync(fd) != 0) {
      /* Not fatal: the data are committed; only the name may be lost
      ** to a power cut. */
    }
    close(fd);
  }
  return open_existing(st, HS_STORE_WRITE, &none, err);
}

/* True when path still names the file opened for writing: a store
** removed or replaced mid-run would take the commit with it. */
static int still_there(const hs_store *st)
{
  struct stat sb;
  return stat(st->path, &sb) == 0 && sb.st_dev == st->dev &&
         sb.st_ino == st->ino;
}

hs_rc hs_store_commit(hs_store *st, hs_err *err)
{
  if(!st->tmp && !still_there(st)) {
    hs_store_rollback(st);
    return hs_err_set(err, HS_E_IO,
                      "%s: the store was removed or replaced while this run "
                      "was writing; nothing was written",
                      st->path);
  }
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
  if(st->tmp)
    return publish(st, err);
  return HS_OK;
}

void hs_store_rollback(hs_store *st)
{
  if(st && st->db && !sqlite3_get_autocommit(st->db))
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
  /* No store yet, or one of schema 1 read as it is: no meta table. */
  if(!st || st->version < 2)
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
