/*
** Undoing a run: read its items, check nobody touched them since, write
** the before-values back (remove what it created, put back what it
** removed), log it all as an "undo" run, commit.
*/
#include "undo.h"

#include "plan.h"
#include "runlog.h"
#include "stakeholder.h"
#include "strmap.h"

#include <json-c/json.h>
#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY_MAX 50

enum { U_UPDATE, U_CREATE, U_DELETE };

typedef struct u_item {
  long long sh_id;
  int kind;
  char *hris_id, *name;
  hs_change *c;
  size_t n;
} u_item;

typedef struct u_run {
  u_item *items;
  size_t n;
} u_run;

static void u_free(u_run *r)
{
  size_t i, j;
  for(i = 0; i < r->n; i++) {
    for(j = 0; j < r->items[i].n; j++) {
      free(r->items[i].c[j].before);
      free(r->items[i].c[j].after);
    }
    free(r->items[i].c);
    free(r->items[i].hris_id);
    free(r->items[i].name);
  }
  free(r->items);
}

static char *dup_json(json_object *v, int *oom)
{
  char *s;
  if(!v || json_object_is_type(v, json_type_null))
    return NULL;
  if(!(s = strdup(json_object_get_string(v))))
    *oom = 1;
  return s;
}

static char *dup_col(sqlite3_stmt *s, int i, int *oom)
{
  const unsigned char *t = sqlite3_column_text(s, i);
  char *c;
  if(!t)
    return NULL;
  if(!(c = strdup((const char *)t)))
    *oom = 1;
  return c;
}

/* The item's changes from its JSON object. -1 on bad JSON or memory. */
static int parse_changes(u_item *it, const char *json)
{
  json_object *o = json_tokener_parse(json);
  int oom = 0;
  size_t n = 0;
  if(!o || !json_object_is_type(o, json_type_object)) {
    json_object_put(o);
    return -1;
  }
  it->c = calloc((size_t)json_object_object_length(o) + 1, sizeof(hs_change));
  if(!it->c) {
    json_object_put(o);
    return -1;
  }
  json_object_object_foreach(o, key, val)
  {
    hs_change *c = &it->c[n];
    if((c->field = hs_sf_lookup(key)) < 0)
      continue;
    n++;
    if(json_object_is_type(val, json_type_array)) {
      c->before = dup_json(json_object_array_get_idx(val, 0), &oom);
      c->after = dup_json(json_object_array_get_idx(val, 1), &oom);
    }
    else if(it->kind == U_DELETE)
      c->before = dup_json(val, &oom);
    else
      c->after = dup_json(val, &oom);
  }
  it->n = n;
  json_object_put(o);
  return oom ? -1 : 0;
}

/* The items of run id that wrote something, in order. */
static hs_rc load_run(hs_store *st, long long id, u_run *r, hs_err *err)
{
  sqlite3_stmt *s;
  size_t cap = 0;
  int rc, bad = 0;
  memset(r, 0, sizeof(*r));
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT stakeholder_id, hris_id, name, action, "
                        "changes FROM run_items WHERE run_id = ? AND changes "
                        "IS NOT NULL AND stakeholder_id IS NOT NULL AND "
                        "action NOT IN ('conflict', 'skipped', 'unchanged') "
                        "ORDER BY id",
                        -1, &s, NULL) != SQLITE_OK)
    return hs_err_set(err, HS_E_DB, "undo: reading run %lld: %s", id,
                      sqlite3_errmsg(hs_store_db(st)));
  sqlite3_bind_int64(s, 1, id);
  while(!bad && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    const char *action = (const char *)sqlite3_column_text(s, 3);
    u_item *it;
    if(r->n == cap) {
      size_t nc = cap ? cap * 2 : 64;
      u_item *ni = realloc(r->items, nc * sizeof(*ni));
      if(!ni) {
        bad = 1;
        break;
      }
      r->items = ni;
      cap = nc;
    }
    it = &r->items[r->n++];
    memset(it, 0, sizeof(*it));
    it->sh_id = sqlite3_column_int64(s, 0);
    it->kind = !strcmp(action, "create")            ? U_CREATE
               : !strcmp(action, HS_RUN_ACT_DELETE) ? U_DELETE
                                                    : U_UPDATE;
    it->hris_id = dup_col(s, 1, &bad);
    it->name = dup_col(s, 2, &bad);
    if(!bad && parse_changes(it, (const char *)sqlite3_column_text(s, 4)))
      bad = 1;
  }
  sqlite3_finalize(s);
  if(bad) {
    u_free(r);
    return hs_err_set(err, HS_E_DB, "undo: run %lld: unreadable changes", id);
  }
  if(rc != SQLITE_DONE) {
    u_free(r);
    return hs_err_set(err, HS_E_DB, "undo: reading run %lld: %s", id,
                      sqlite3_errmsg(hs_store_db(st)));
  }
  return HS_OK;
}

/* Later runs that wrote a stakeholder: decimal id -> the first such run. */
static hs_rc later_writes(hs_store *st, long long id, hs_strmap *m,
                          hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT stakeholder_id, min(run_id) FROM run_items "
                        "WHERE run_id > ? AND changes IS NOT NULL AND "
                        "stakeholder_id IS NOT NULL AND action NOT IN "
                        "('conflict', 'skipped', 'unchanged') GROUP BY "
                        "stakeholder_id",
                        -1, &s, NULL) != SQLITE_OK)
    return hs_err_set(err, HS_E_DB, "undo: reading later runs: %s",
                      sqlite3_errmsg(hs_store_db(st)));
  sqlite3_bind_int64(s, 1, id);
  while((rc = sqlite3_step(s)) == SQLITE_ROW) {
    char key[32];
    snprintf(key, sizeof(key), "%lld", sqlite3_column_int64(s, 0));
    if(hs_strmap_add(m, key, (size_t)sqlite3_column_int64(s, 1))) {
      sqlite3_finalize(s);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  }
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    return hs_err_set(err, HS_E_DB, "undo: reading later runs: %s",
                      sqlite3_errmsg(hs_store_db(st)));
  return HS_OK;
}

static int differs(const char *a, const char *b)
{
  if(!a || !b)
    return a != b;
  return strcmp(a, b) != 0;
}

static const char *q(const char *v)
{
  return v ? v : "(none)";
}

/* Why item it cannot be undone now, appended to why (nothing when it
** can). Returns 1 when it cannot. */
static int changed_since(const u_item *it, const hs_registry *reg,
                         const hs_strmap *later, hs_buf *why, size_t *nwhy)
{
  const hs_sh *sh = hs_registry_find(reg, it->sh_id);
  const size_t *run;
  char key[32];
  size_t i, n;
  int f, bad = 0;
  hs_buf line = HS_BUF_INIT;
  snprintf(key, sizeof(key), "%lld", it->sh_id);
  run = hs_strmap_get(later, key, &n);
  if(n) {
    hs_buf_printf(&line, "changed by run %zu", run[0]);
    bad = 1;
  }
  else if(it->kind == U_DELETE) {
    if(sh) {
      hs_buf_puts(&line, "exists again");
      bad = 1;
    }
  }
  else if(!sh) {
    hs_buf_puts(&line, "no longer exists");
    bad = 1;
  }
  else {
    int logged[HS_SF_COUNT] = {0};
    for(i = 0; i < it->n && !bad; i++) {
      logged[it->c[i].field] = 1;
      if(differs(sh->v[it->c[i].field], it->c[i].after)) {
        hs_buf_printf(&line, "%s is now \"%s\", the run left \"%s\"",
                      hs_sf_name(it->c[i].field), q(sh->v[it->c[i].field]),
                      q(it->c[i].after));
        bad = 1;
      }
    }
    /* A created stakeholder had only the values logged. */
    for(f = 0; f < HS_SF_COUNT && !bad && it->kind == U_CREATE; f++)
      if(!logged[f] && sh->v[f]) {
        hs_buf_printf(&line, "%s is now \"%s\", the run left it empty",
                      hs_sf_name(f), sh->v[f]);
        bad = 1;
      }
  }
  if(bad) {
    if(*nwhy < WHY_MAX)
      hs_buf_printf(why, "#%lld %s (HRIS %s): %s\n", it->sh_id, q(it->name),
                    q(it->hris_id), hs_buf_str(&line));
    (*nwhy)++;
  }
  hs_buf_free(&line);
  return bad;
}

/* Reverts one item and logs what it did. */
static hs_rc revert(hs_store *st, hs_runlog *rl, const u_item *it,
                    hs_undo_result *res, hs_err *err)
{
  hs_change *back;
  size_t i;
  hs_rc rc = HS_OK;
  if(it->kind == U_CREATE) {
    hs_err sub;
    rc = hs_store_delete(st, it->sh_id, &sub);
    if(rc == HS_E_REFUSED) {
      res->kept++;
      return hs_runlog_item(rl, "unchanged", it->sh_id, it->hris_id, it->name,
                            "kept: other records reference it", NULL, 0, err);
    }
    if(rc) {
      *err = sub;
      return rc;
    }
    res->removed++;
    /* Its values, as before-values of the removal (hs_change: after). */
    if(!(back = calloc(it->n + 1, sizeof(*back))))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    for(i = 0; i < it->n; i++) {
      back[i].field = it->c[i].field;
      back[i].before = it->c[i].after;
    }
    rc = hs_runlog_item(rl, HS_RUN_ACT_DELETE, it->sh_id, it->hris_id,
                        it->name, NULL, back, it->n, err);
    free(back);
    return rc;
  }
  if(it->kind == U_DELETE) {
    hs_sh sh;
    memset(&sh, 0, sizeof(sh));
    sh.id = it->sh_id;
    /* Borrowed: sh is only read by the insert. */
    for(i = 0; i < it->n; i++)
      sh.v[it->c[i].field] = it->c[i].before;
    if((rc = hs_store_insert(st, &sh, err)))
      return rc;
    if(!(back = calloc(it->n + 1, sizeof(*back))))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    for(i = 0; i < it->n; i++) {
      back[i].field = it->c[i].field;
      back[i].after = it->c[i].before;
    }
    res->added++;
    rc = hs_runlog_item(rl, "create", it->sh_id, it->hris_id, it->name, NULL,
                        back, it->n, err);
    free(back);
    return rc;
  }
  if(!(back = calloc(it->n + 1, sizeof(*back))))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  for(i = 0; i < it->n && !rc; i++) {
    back[i].field = it->c[i].field;
    back[i].before = it->c[i].after;
    back[i].after = it->c[i].before;
    rc = hs_store_set(st, it->sh_id, it->c[i].field, it->c[i].before, err);
  }
  if(!rc) {
    res->restored++;
    rc = hs_runlog_item(rl, "update", it->sh_id, it->hris_id, it->name, NULL,
                        back, it->n, err);
  }
  free(back);
  return rc;
}

/* Checks every item, then reverts them, the last first. */
static hs_rc undo_items(hs_store *st, long long id, const u_run *r,
                        hs_undo_result *res, hs_buf *why, hs_err *err)
{
  hs_registry reg = {0};
  hs_strmap *later = hs_strmap_new();
  hs_runlog *rl = NULL;
  hs_run_info info;
  size_t i, nwhy = 0, counts[HS_ACT_COUNT] = {0};
  char src[32];
  hs_rc rc;
  if(!later)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((rc = later_writes(st, id, later, err)) ||
     (rc = hs_store_load(st, &reg, err)))
    goto out;
  for(i = 0; i < r->n; i++)
    changed_since(&r->items[i], &reg, later, why, &nwhy);
  if(nwhy) {
    if(nwhy > WHY_MAX)
      hs_buf_printf(why, "... and %zu more\n", nwhy - WHY_MAX);
    rc = hs_err_set(err, HS_E_REFUSED,
                    "run %lld cannot be undone: %zu stakeholder%s it "
                    "touched changed since",
                    id, nwhy, nwhy == 1 ? "" : "s");
    goto out;
  }
  snprintf(src, sizeof(src), "run %lld", id);
  memset(&info, 0, sizeof(info));
  info.kind = HS_RUN_UNDO;
  info.source = src;
  info.undoes = id;
  if((rc = hs_runlog_begin(st, &info, &rl, err)))
    goto out;
  res->run = hs_runlog_id(rl);
  for(i = r->n; i-- > 0 && !rc;)
    rc = revert(st, rl, &r->items[i], res, err);
  counts[HS_ACT_CREATE] = res->added;
  counts[HS_ACT_UPDATE] = res->restored;
  counts[HS_ACT_UNCHANGED] = res->kept;
  if(!rc) {
    rc = hs_runlog_end(rl, counts, res->removed, err);
    rl = NULL;
  }
out:
  hs_runlog_free(rl);
  hs_registry_clear(&reg);
  hs_strmap_free(later);
  return rc;
}

hs_rc hs_undo(hs_store *st, long long id, hs_undo_result *res, hs_buf *why,
              hs_err *err)
{
  sqlite3_stmt *s;
  u_run r;
  hs_rc rc;
  int found;
  memset(res, 0, sizeof(*res));
  if((rc = hs_store_begin(st, err)))
    return rc;
  if(sqlite3_prepare_v2(hs_store_db(st), "SELECT 1 FROM runs WHERE id = ?", -1,
                        &s, NULL) != SQLITE_OK) {
    rc = hs_err_set(err, HS_E_DB, "undo: %s", sqlite3_errmsg(hs_store_db(st)));
    hs_store_rollback(st);
    return rc;
  }
  sqlite3_bind_int64(s, 1, id);
  found = sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  if(!found) {
    hs_store_rollback(st);
    return hs_err_set(err, HS_E_USAGE, "no run %lld (see `hrsync runs`)", id);
  }
  if((rc = load_run(st, id, &r, err))) {
    hs_store_rollback(st);
    return rc;
  }
  rc = undo_items(st, id, &r, res, why, err);
  u_free(&r);
  if(!rc)
    rc = hs_store_commit(st, err);
  if(rc) {
    hs_store_rollback(st);
    res->run = 0;
  }
  return rc;
}
