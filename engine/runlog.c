/*
** Run log rows.
*/
#include "runlog.h"

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

hs_rc hs_runlog_start(hs_store *st, const hs_plan *plan, long long *id,
                      hs_err *err)
{
  sqlite3_stmt *s;
  char now[32];
  int i, rc;
  now_utc(now);
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "INSERT INTO runs(started_at, connector, "
                        "config_digest, plan_fingerprint, n_create, "
                        "n_update, n_unchanged, n_skipped, n_conflict, "
                        "n_left) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "adding a run");
  sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
  bind_opt(s, 2, plan->connector ? plan->connector : "");
  bind_opt(s, 3, plan->config_digest[0] ? plan->config_digest : NULL);
  bind_opt(s, 4, plan->fingerprint);
  for(i = 0; i < HS_ACT_COUNT; i++)
    sqlite3_bind_int64(s, 5 + i, (sqlite3_int64)plan->counts[i]);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "adding a run");
  *id = sqlite3_last_insert_rowid(hs_store_db(st));
  return HS_OK;
}

hs_rc hs_runlog_change(hs_store *st, long long run_id, const hs_plan_item *it,
                       long long sh_id, const hs_change *c, hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(hs_store_prepare(st,
                      "INSERT INTO run_changes(run_id, stakeholder_id, "
                      "hris_id, name, action, field, before, after, "
                      "reason) VALUES (?,?,?,?,?,?,?,?,?)",
                      &s) != SQLITE_OK)
    return db_err(st, err, "adding a change");
  sqlite3_bind_int64(s, 1, run_id);
  if(sh_id)
    sqlite3_bind_int64(s, 2, sh_id);
  else
    sqlite3_bind_null(s, 2);
  bind_opt(s, 3, it->hris_id);
  bind_opt(s, 4, it->name);
  bind_opt(s, 5, hs_action_name(it->action));
  bind_opt(s, 6, c ? hs_sf_name(c->field) : NULL);
  bind_opt(s, 7, c ? c->before : NULL);
  bind_opt(s, 8, c ? c->after : NULL);
  bind_opt(s, 9, it->reason);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "adding a change");
  return HS_OK;
}

hs_rc hs_runlog_finish(hs_store *st, long long run_id, hs_err *err)
{
  sqlite3_stmt *s;
  char now[32];
  int rc;
  now_utc(now);
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "UPDATE runs SET finished_at = ? WHERE id = ?", -1, &s,
                        NULL) != SQLITE_OK)
    return db_err(st, err, "closing a run");
  sqlite3_bind_text(s, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 2, run_id);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? HS_OK : db_err(st, err, "closing a run");
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
  "n_update, n_unchanged, n_skipped, n_conflict, n_left"

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
}

void hs_run_clear(hs_run *r)
{
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
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT " RUN_COLUMNS " FROM runs ORDER BY id DESC",
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
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT " RUN_COLUMNS " FROM runs WHERE id = ?", -1,
                        &s, NULL) != SQLITE_OK)
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
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT stakeholder_id, hris_id, name, action, field, "
                        "before, after, reason FROM run_changes WHERE "
                        "run_id = ? ORDER BY id",
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
                      "INSERT INTO run_changes(run_id, action, name, reason) "
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
