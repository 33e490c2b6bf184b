/*
** Run log rows.
*/
#include "runlog.h"

#include "buf.h"

#include <sqlite3.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void now_utc(char out[32])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static hs_rc db_err(hs_store *st, hs_err *err, const char *what)
{
  return hs_err_set(err, HS_E_DB, "run log: %s: %s", what,
                    sqlite3_errmsg(hs_store_db(st)));
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
  if(v)
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, i);
}

struct hs_runlog {
  hs_store *st;
  long long id;
  sqlite3_stmt *ins; /* one INSERT for every item of the run */
  hs_buf json;       /* the item's changes, reused */
};

hs_rc hs_runlog_begin(hs_store *st, const hs_run_info *info, hs_runlog **out,
                      hs_err *err)
{
  sqlite3 *db = hs_store_db(st);
  sqlite3_stmt *s;
  hs_runlog *rl;
  char now[32];
  int rc;
  *out = NULL;
  now_utc(now);
  if(sqlite3_prepare_v2(db,
                        "INSERT INTO runs(kind, started_at, connector, "
                        "config_digest, plan_fingerprint, undoes, n_create, "
                        "n_update, n_unchanged, n_skipped, n_conflict, "
                        "n_left) VALUES (?,?,?,?,?,?,0,0,0,0,0,0)",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "adding a run");
  bind_opt(s, 1, info->kind ? info->kind : HS_RUN_SYNC);
  sqlite3_bind_text(s, 2, now, -1, SQLITE_STATIC);
  bind_opt(s, 3, info->source ? info->source : "");
  bind_opt(s, 4,
           info->config_digest && *info->config_digest ? info->config_digest
                                                       : NULL);
  bind_opt(s, 5, info->fingerprint);
  if(info->undoes)
    sqlite3_bind_int64(s, 6, info->undoes);
  else
    sqlite3_bind_null(s, 6);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "adding a run");
  if(!(rl = calloc(1, sizeof(*rl))))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  rl->st = st;
  rl->id = sqlite3_last_insert_rowid(db);
  if(sqlite3_prepare_v2(db,
                        "INSERT INTO run_items(run_id, stakeholder_id, "
                        "hris_id, name, action, reason, changes) VALUES "
                        "(?,?,?,?,?,?,?)",
                        -1, &rl->ins, NULL) != SQLITE_OK) {
    hs_rc hrc = db_err(st, err, "adding a run");
    hs_runlog_free(rl);
    return hrc;
  }
  *out = rl;
  return HS_OK;
}

long long hs_runlog_id(const hs_runlog *rl)
{
  return rl->id;
}

static int json_opt(hs_buf *b, const char *v)
{
  return v ? hs_buf_json_str(b, v) : hs_buf_append(b, "null", 4);
}

/* ,"field": (the first without the comma). */
static int json_key(hs_buf *b, int field, int first)
{
  const char *name = hs_sf_name(field);
  return (first ? hs_buf_append(b, "\"", 1) : hs_buf_append(b, ",\"", 2)) |
         hs_buf_append(b, name, strlen(name)) | hs_buf_append(b, "\":", 2);
}

/* {"field": value, ...} (values_only) or {"field": [before, after], ...}. */
static int changes_json(hs_buf *b, const hs_change *c, size_t n,
                        int values_only, int deleted)
{
  size_t i;
  int bad = hs_buf_append(b, "{", 1);
  for(i = 0; i < n && !bad; i++) {
    bad |= json_key(b, c[i].field, i == 0);
    if(values_only)
      bad |= json_opt(b, deleted ? c[i].before : c[i].after);
    else
      bad |= hs_buf_append(b, "[", 1) | json_opt(b, c[i].before) |
             hs_buf_append(b, ",", 1) | json_opt(b, c[i].after) |
             hs_buf_append(b, "]", 1);
  }
  return bad | hs_buf_append(b, "}", 1);
}

hs_rc hs_runlog_item(hs_runlog *rl, const char *action, long long sh_id,
                     const char *hris_id, const char *name, const char *reason,
                     const hs_change *c, size_t n, hs_err *err)
{
  sqlite3_stmt *s = rl->ins;
  int created = !strcmp(action, "create");
  int deleted = !strcmp(action, HS_RUN_ACT_DELETE);
  int rc;
  hs_buf_reset(&rl->json);
  if(n && changes_json(&rl->json, c, n, created || deleted, deleted))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  sqlite3_bind_int64(s, 1, rl->id);
  if(sh_id)
    sqlite3_bind_int64(s, 2, sh_id);
  else
    sqlite3_bind_null(s, 2);
  bind_opt(s, 3, hris_id);
  bind_opt(s, 4, name);
  bind_opt(s, 5, action);
  bind_opt(s, 6, reason);
  if(n)
    sqlite3_bind_text(s, 7, rl->json.data, (int)rl->json.len, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, 7);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  if(rc != SQLITE_DONE)
    return db_err(rl->st, err, "adding a change");
  return HS_OK;
}

hs_rc hs_runlog_plan_item(hs_runlog *rl, const hs_plan_item *it,
                          long long sh_id, hs_err *err)
{
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t n = hs_item_changes(it, ch);
  return hs_runlog_item(rl, hs_action_name(it->action), sh_id, it->hris_id,
                        it->name, it->reason, ch, n, err);
}

hs_rc hs_runlog_end(hs_runlog *rl, const size_t counts[HS_ACT_COUNT],
                    size_t deleted, hs_err *err)
{
  sqlite3_stmt *s;
  char now[32];
  int i, rc;
  hs_rc hrc = HS_OK;
  now_utc(now);
  if(sqlite3_prepare_v2(
         hs_store_db(rl->st),
         "UPDATE runs SET finished_at = ?, n_create = ?, "
         "n_update = ?, n_unchanged = ?, n_skipped = ?, "
         "n_conflict = ?, n_left = ?, n_delete = ? WHERE id = ?",
         -1, &s, NULL) != SQLITE_OK) {
    hrc = db_err(rl->st, err, "closing a run");
    hs_runlog_free(rl);
    return hrc;
  }
  sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
  for(i = 0; i < HS_ACT_COUNT; i++)
    sqlite3_bind_int64(s, 2 + i, counts ? (sqlite3_int64)counts[i] : 0);
  sqlite3_bind_int64(s, 2 + HS_ACT_COUNT, (sqlite3_int64)deleted);
  sqlite3_bind_int64(s, 3 + HS_ACT_COUNT, rl->id);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    hrc = db_err(rl->st, err, "closing a run");
  hs_runlog_free(rl);
  return hrc;
}

void hs_runlog_free(hs_runlog *rl)
{
  if(!rl)
    return;
  sqlite3_finalize(rl->ins);
  hs_buf_free(&rl->json);
  free(rl);
}

static char *text(sqlite3_stmt *s, int i, int *oom)
{
  const unsigned char *t = sqlite3_column_text(s, i);
  char *c;
  if(!t)
    return NULL;
  if(!(c = strdup((const char *)t)))
    *oom = 1;
  return c;
}

#define RUN_COLUMNS                                                           \
  "id, started_at, finished_at, connector, config_digest, n_create, "         \
  "n_update, n_unchanged, n_skipped, n_conflict, n_left, kind, n_delete, "    \
  "undoes"

/* The same columns from a schema-2 store (opened for reading, so not
** migrated): every run was a sync. */
#define RUN_COLUMNS_V2                                                        \
  "id, started_at, finished_at, connector, config_digest, n_create, "         \
  "n_update, n_unchanged, n_skipped, n_conflict, n_left, 'sync', 0, 0"

static int legacy(hs_store *st)
{
  return hs_store_schema(st) < 3;
}

static void read_run(sqlite3_stmt *s, hs_run *r, int *oom)
{
  int i;
  r->id = sqlite3_column_int64(s, 0);
  r->started_at = text(s, 1, oom);
  r->finished_at = text(s, 2, oom);
  r->connector = text(s, 3, oom);
  r->config_digest = text(s, 4, oom);
  for(i = 0; i < HS_ACT_COUNT; i++)
    r->counts[i] = sqlite3_column_int64(s, 5 + i);
  r->kind = text(s, 5 + HS_ACT_COUNT, oom);
  r->deleted = sqlite3_column_int64(s, 6 + HS_ACT_COUNT);
  r->undoes = sqlite3_column_int64(s, 7 + HS_ACT_COUNT);
}

void hs_run_clear(hs_run *r)
{
  free(r->kind);
  free(r->started_at);
  free(r->finished_at);
  free(r->connector);
  free(r->config_digest);
  memset(r, 0, sizeof(*r));
}

void hs_runs_free(hs_run *runs, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    hs_run_clear(&runs[i]);
  free(runs);
}

void hs_run_changes_free(hs_run_change *c, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    free(c[i].hris_id);
    free(c[i].name);
    free(c[i].action);
    free(c[i].field);
    free(c[i].before);
    free(c[i].after);
    free(c[i].reason);
  }
  free(c);
}

hs_rc hs_runlog_list(hs_store *st, hs_run **runs, size_t *n, hs_err *err)
{
  sqlite3_stmt *s;
  size_t cap = 0;
  int rc, oom = 0;
  *runs = NULL;
  *n = 0;
  if(!st)
    return HS_OK;
  if(sqlite3_prepare_v2(
         hs_store_db(st),
         legacy(st) ? "SELECT " RUN_COLUMNS_V2 " FROM runs ORDER BY id DESC"
                    : "SELECT " RUN_COLUMNS " FROM runs ORDER BY id DESC",
         -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "reading runs");
  while(!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    if(*n == cap) {
      size_t nc = cap ? cap * 2 : 16;
      hs_run *r = realloc(*runs, nc * sizeof(hs_run));
      if(!r) {
        oom = 1;
        break;
      }
      *runs = r;
      cap = nc;
    }
    memset(&(*runs)[*n], 0, sizeof(hs_run));
    read_run(s, &(*runs)[(*n)++], &oom);
  }
  sqlite3_finalize(s);
  if(oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
    hs_runs_free(*runs, *n);
    *runs = NULL;
    *n = 0;
    return oom ? hs_err_set(err, HS_E_NOMEM, "out of memory")
               : db_err(st, err, "reading runs");
  }
  return HS_OK;
}

hs_rc hs_runlog_get(hs_store *st, long long id, hs_run *run,
                    hs_run_change **changes, size_t *n, hs_err *err)
{
  sqlite3_stmt *s;
  size_t cap = 0;
  int rc, oom = 0;
  memset(run, 0, sizeof(*run));
  *changes = NULL;
  *n = 0;
  if(!st)
    return hs_err_set(err, HS_E_USAGE, "no run %lld (no store yet)", id);
  if(sqlite3_prepare_v2(
         hs_store_db(st),
         legacy(st) ? "SELECT " RUN_COLUMNS_V2 " FROM runs WHERE id = ?"
                    : "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?",
         -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "reading a run");
  sqlite3_bind_int64(s, 1, id);
  rc = sqlite3_step(s);
  if(rc == SQLITE_ROW)
    read_run(s, run, &oom);
  sqlite3_finalize(s);
  if(rc != SQLITE_ROW)
    return rc == SQLITE_DONE
               ? hs_err_set(err, HS_E_USAGE, "no run %lld (see `hrsync runs`)",
                            id)
               : db_err(st, err, "reading a run");
  if(sqlite3_prepare_v2(
         hs_store_db(st),
         legacy(st) ? "SELECT stakeholder_id, hris_id, name, action, "
                      "field, before, after, reason FROM run_changes "
                      "WHERE run_id = ? ORDER BY id"
                    /* One row per field, expanded from each item's
                    ** JSON object in the order it was written. */
                    : "SELECT r.stakeholder_id, r.hris_id, r.name, "
                      "r.action, j.key, CASE WHEN j.type = 'array' THEN "
                      "json_extract(j.value, '$[0]') WHEN r.action = "
                      "'delete' THEN j.value END, CASE WHEN j.type = "
                      "'array' THEN json_extract(j.value, '$[1]') WHEN "
                      "r.action = 'delete' THEN NULL ELSE j.value END, "
                      "r.reason FROM run_items r LEFT JOIN "
                      "json_each(r.changes) j WHERE r.run_id = ? "
                      "ORDER BY r.id, j.id",
         -1, &s, NULL) != SQLITE_OK) {
    hs_run_clear(run);
    return db_err(st, err, "reading a run");
  }
  sqlite3_bind_int64(s, 1, id);
  while(!oom && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    hs_run_change *c;
    if(*n == cap) {
      size_t nc = cap ? cap * 2 : 32;
      c = realloc(*changes, nc * sizeof(*c));
      if(!c) {
        oom = 1;
        break;
      }
      *changes = c;
      cap = nc;
    }
    c = &(*changes)[(*n)++];
    c->sh_id = sqlite3_column_int64(s, 0);
    c->hris_id = text(s, 1, &oom);
    c->name = text(s, 2, &oom);
    c->action = text(s, 3, &oom);
    c->field = text(s, 4, &oom);
    c->before = text(s, 5, &oom);
    c->after = text(s, 6, &oom);
    c->reason = text(s, 7, &oom);
  }
  sqlite3_finalize(s);
  if(oom || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
    hs_run_clear(run);
    hs_run_changes_free(*changes, *n);
    *changes = NULL;
    *n = 0;
    return oom ? hs_err_set(err, HS_E_NOMEM, "out of memory")
               : db_err(st, err, "reading a run");
  }
  return HS_OK;
}

hs_rc hs_runlog_warning(hs_store *st, long long run_id, const char *code,
                        const char *message, hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(hs_store_prepare(st,
                      "INSERT INTO run_items(run_id, action, name, reason) "
                      "VALUES(?1, 'warning', ?2, ?3)",
                      &s) != SQLITE_OK)
    return db_err(st, err, "logging a warning");
  sqlite3_bind_int64(s, 1, run_id);
  sqlite3_bind_text(s, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text(s, 3, message, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  return rc == SQLITE_DONE ? HS_OK : db_err(st, err, "logging a warning");
}
