/*
** hs_store: the stakeholder registry in SQLite.
**
** Schema version in PRAGMA user_version, migrated forward on open for
** writing; WAL, foreign keys on, a busy timeout. Writes happen only
** between hs_store_begin (BEGIN IMMEDIATE) and hs_store_commit; any error
** is followed by hs_store_rollback, so the file is all or nothing.
*/
#ifndef HS_STORE_H
#define HS_STORE_H

#include "err.h"
#include "stakeholder.h"

typedef struct hs_store hs_store;
typedef struct sqlite3 sqlite3;

#define HS_STORE_SCHEMA_VERSION 4

typedef enum hs_store_mode {
  /* Reads only; a missing file is not created: *out is NULL and every
  ** reader treats a NULL store as an empty registry. */
  HS_STORE_READ = 0,
  /* Creates the file if needed and migrates it to the current schema. */
  HS_STORE_WRITE = 1
} hs_store_mode;

/* Opens path. The caller closes *out with hs_store_close.
**
** Only hrsync's own files are opened: one marked with hrsync's
** PRAGMA application_id, an empty database, or an unmarked store of an
** older hrsync whose schema is exactly hrsync's. Anything else is refused
** (HS_E_DB, exit 1, "not an hrsync store") before a byte is written.
**
** WRITE on a missing file makes the new store in a temporary file beside
** it: it appears under path only when the first hs_store_commit
** publishes it (never replacing a file that appeared there meanwhile),
** and hs_store_close without a commit leaves no file. So commit only
** through hs_store_commit, never by a bare "COMMIT" on hs_store_db(). */
hs_rc hs_store_open(const char *path, hs_store_mode mode, hs_store **out,
                    hs_err *err);
void hs_store_close(hs_store *st);

/* True when hs_store_open(WRITE) found no file and is making it. */
int hs_store_created(const hs_store *st);

/* Loads every stakeholder with its groups, in id order, and computes the
** registry fingerprint. st may be NULL (empty registry). Free reg with
** hs_registry_clear. */
hs_rc hs_store_load(hs_store *st, hs_registry *reg, hs_err *err);

/* The same with only the fields f where need[f] is set (the others stay
** NULL; groups are always there): a planner reads a few, and each column
** read costs, NULL or not. need NULL: all of them. When the fingerprint
** must hash the rows (a store hrsync never wrote to) every field is
** loaded. */
hs_rc hs_store_load_fields(hs_store *st, hs_registry *reg,
                           const unsigned char *need, hs_err *err);

hs_rc hs_store_begin(hs_store *st, hs_err *err);
/* hs_store_begin without waiting for another program's lock: the early
** writes of `sync --yes` (apply.h) start only when nobody is in the way;
** otherwise the plain apply waits and reports as before. */
hs_rc hs_store_begin_nowait(hs_store *st, hs_err *err);
hs_rc hs_store_commit(hs_store *st, hs_err *err);
void hs_store_rollback(hs_store *st);

/* The registry fingerprint of hs_store_load without loading: the store's
** id and its generation, which every committed write bumps. Changes made
** outside hrsync (an sqlite3 shell) do not move it. */
hs_rc hs_store_fingerprint(hs_store *st, char out[65], hs_err *err);

/* Inserts a stakeholder from sh->v (type defaults to natural person) and
** its groups; sets sh->id. sh->id > 0 asks for that id (an undo putting
** back a removed stakeholder). */
hs_rc hs_store_insert(hs_store *st, hs_sh *sh, hs_err *err);

/* Sets one field of stakeholder id (NULL clears it). For HS_SF_GROUPS the
** value is the whole ";"-joined list. HS_E_DB naming the id when there is
** no such stakeholder. */
hs_rc hs_store_set(hs_store *st, long long id, int field, const char *value,
                   hs_err *err);

/* Removes stakeholder id and its groups. HS_E_REFUSED when other rows
** reference it (a foreign key): nothing is removed then. */
hs_rc hs_store_delete(hs_store *st, long long id, hs_err *err);

/* A prepared statement for sql, cached for the store's lifetime (the same
** sql text gives the same statement, reset and unbound). The caller
** resets it after use and never finalizes it. Returns an SQLite code. */
typedef struct sqlite3_stmt sqlite3_stmt;
int hs_store_prepare(hs_store *st, const char *sql, sqlite3_stmt **out);

/* The store's own facts (table meta): *value is a malloc'd copy the
** caller frees, or NULL when key is unset or st is NULL (no store yet). */
hs_rc hs_store_meta_get(hs_store *st, const char *key, char **value,
                        hs_err *err);

/* Sets key to value; inside an open transaction (hs_store_begin). */
hs_rc hs_store_meta_set(hs_store *st, const char *key, const char *value,
                        hs_err *err);

/* The SQL of migration i (from schema i to i + 1), NULL past the last:
** for tests that build a store as an older hrsync left it. */
const char *hs_store_migration(int i);

/* The store's schema version: a store opened for reading is not migrated,
** so readers of tables a later schema changed ask. */
int hs_store_schema(hs_store *st);

/* Fills err for a failed SQLite call on db (NULL: it could not be
** opened) about path, doing `what`, in the operator's terms: a full
** disk, a read-only folder or mount, a database locked by another
** program, a file that is not a database. Returns the code set. */
hs_rc hs_store_fail(sqlite3 *db, const char *path, const char *what,
                    hs_err *err);

/* The SQLite handle, for the run log (same file, same transaction). */
sqlite3 *hs_store_db(hs_store *st);

#endif
