/*
** The review queue: splitting a plan by policy, and the review_queue
** table.
*/
#include "review.h"

#include "buf.h"
#include "strmap.h"

#include <json-c/json.h>
#include <sqlite3.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const kind_names[HS_RQ_COUNT] = {"create", "update",
                                                    "termination"};

const char *hs_rq_kind_name(int k)
{
  return k >= 0 && k < HS_RQ_COUNT ? kind_names[k] : "?";
}

static int kind_parse(const char *s)
{
  int k;
  for(k = 0; s && k < HS_RQ_COUNT; k++)
    if(!strcmp(s, kind_names[k]))
      return k;
  return -1;
}

static hs_rc nomem(hs_err *err)
{
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

static hs_rc db_err(hs_store *st, hs_err *err, const char *what)
{
  return hs_err_set(err, HS_E_DB, "review queue: %s: %s", what,
                    sqlite3_errmsg(hs_store_db(st)));
}

static void item_clear(hs_rq_item *q)
{
  free(q->hris_id);
  free(q->name);
  free(q->hr_value);
  free(q->reg_value);
  free(q->changes);
  free(q->reason);
}

void hs_queue_clear(hs_queue *q)
{
  size_t i;
  for(i = 0; i < q->n; i++)
    item_clear(&q->items[i]);
  free(q->items);
  memset(q, 0, sizeof(*q));
}

static hs_rq_item *queue_push(hs_queue *q)
{
  hs_rq_item *it;
  if(q->n == q->cap) {
    size_t cap = q->cap ? q->cap * 2 : 16;
    hs_rq_item *n = realloc(q->items, cap * sizeof(*n));
    if(!n)
      return NULL;
    q->items = n;
    q->cap = cap;
  }
  it = &q->items[q->n++];
  memset(it, 0, sizeof(*it));
  it->field = -1;
  return it;
}

static char *dup_opt(const char *s, int *oom)
{
  char *d;
  if(!s)
    return NULL;
  if(!(d = strdup(s)))
    *oom = 1;
  return d;
}

static void today(char out[11])
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- reading -------------------------------------------------------- */

static int has_table(hs_store *st)
{
  sqlite3_stmt *s;
  int yes = 0;
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'review_queue'",
                        -1, &s, NULL) != SQLITE_OK)
    return 0;
  yes = sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  return yes;
}

static const char *col(sqlite3_stmt *s, int i)
{
  return (const char *)sqlite3_column_text(s, i);
}

static int read_row(sqlite3_stmt *s, hs_rq_item *it)
{
  const char *fs = col(s, 11);
  int oom = 0;
  it->id = sqlite3_column_int64(s, 0);
  it->kind = kind_parse(col(s, 1));
  it->hris_id = dup_opt(col(s, 2), &oom);
  it->sh_id = sqlite3_column_int64(s, 3);
  it->name = dup_opt(col(s, 4), &oom);
  it->field = col(s, 5) && *col(s, 5) ? hs_sf_lookup(col(s, 5)) : -1;
  it->hr_value = dup_opt(col(s, 6), &oom);
  it->reg_value = dup_opt(col(s, 7), &oom);
  it->changes = dup_opt(col(s, 8), &oom);
  it->reason = dup_opt(col(s, 9), &oom);
  it->run_id = sqlite3_column_int64(s, 10);
  snprintf(it->first_seen, sizeof(it->first_seen), "%s", fs ? fs : "");
  it->status = !col(s, 12)                       ? HS_RQ_PENDING
               : !strcmp(col(s, 12), "rejected") ? HS_RQ_REJECTED
               : !strcmp(col(s, 12), "done")     ? HS_RQ_DONE
                                                 : HS_RQ_PENDING;
  return oom ? -1 : 0;
}

hs_rc hs_review_load(hs_store *st, int with_rejected, hs_queue *q, hs_err *err)
{
  sqlite3_stmt *s;
  int rc = SQLITE_DONE;
  memset(q, 0, sizeof(*q));
  if(!st || !has_table(st))
    return HS_OK;
  if(sqlite3_prepare_v2(hs_store_db(st),
                        with_rejected
                            ? "SELECT id, kind, hris_id, stakeholder_id, "
                              "name, field, hr_value, registry_value, "
                              "changes, reason, run_id, first_seen, status "
                              "FROM review_queue ORDER BY id"
                            : "SELECT id, kind, hris_id, stakeholder_id, "
                              "name, field, hr_value, registry_value, "
                              "changes, reason, run_id, first_seen, status "
                              "FROM review_queue WHERE status = 'pending' "
                              "ORDER BY id",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "reading");
  while((rc = sqlite3_step(s)) == SQLITE_ROW) {
    hs_rq_item *it = queue_push(q);
    if(!it || read_row(s, it)) {
      sqlite3_finalize(s);
      hs_queue_clear(q);
      return nomem(err);
    }
  }
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE) {
    hs_queue_clear(q);
    return db_err(st, err, "reading");
  }
  return HS_OK;
}

/* ---- splitting a plan ----------------------------------------------- */

/* The changes of a create or termination as [[field, before, after], ...]:
** what approving writes, and (compared as text) whether the HR side
** changed since a rejection. */
static char *changes_json(const hs_plan_item *it)
{
  json_object *arr = json_object_new_array();
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n = hs_item_changes(it, ch);
  char *s = NULL;
  if(!arr)
    return NULL;
  for(i = 0; i < n; i++) {
    const hs_change *c = &ch[i];
    json_object *row = json_object_new_array();
    if(!row)
      goto out;
    json_object_array_add(arr, row);
    json_object_array_add(row, json_object_new_string(hs_sf_name(c->field)));
    json_object_array_add(row, c->before ? json_object_new_string(c->before)
                                         : NULL);
    json_object_array_add(row,
                          c->after ? json_object_new_string(c->after) : NULL);
  }
  s = strdup(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
out:
  json_object_put(arr);
  return s;
}

static int same(const char *a, const char *b)
{
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* "kind|hris_id|field": the queue's identity of an item. */
static int item_key(hs_buf *b, int kind, const char *hris_id, int field)
{
  hs_buf_reset(b);
  return hs_buf_printf(b, "%d\x1f%s\x1f%s", kind, hris_id ? hris_id : "",
                       field >= 0 ? hs_sf_name(field) : "");
}

typedef struct splitter {
  const hs_queue *old;
  hs_strmap *index; /* key -> position in old */
  hs_buf key;
  hs_queue *found;
} splitter;

/* Adds a queue item; returns 1 when it is a rejected or done value (not
** to be applied either), 0 when pending, -1 on no memory. */
static int add_found(splitter *sp, const hs_plan_item *pi, int kind,
                     const hs_change *c)
{
  hs_rq_item *q = queue_push(sp->found);
  const size_t *pos;
  size_t n = 0;
  int oom = 0;
  if(!q)
    return -1;
  q->kind = kind;
  q->hris_id = dup_opt(pi->hris_id, &oom);
  q->sh_id = pi->sh_id;
  q->name = dup_opt(pi->name, &oom);
  if(kind == HS_RQ_UPDATE) {
    q->field = c->field;
    q->hr_value = dup_opt(c->after, &oom);
    q->reg_value = dup_opt(c->before, &oom);
  }
  else {
    hs_change ch[HS_ITEM_MAX_CHANGES];
    size_t i, nch = hs_item_changes(pi, ch);
    if(!(q->changes = changes_json(pi)))
      oom = 1;
    for(i = 0; kind == HS_RQ_TERMINATION && i < nch; i++)
      if(ch[i].field == HS_SF_TERMINATION_DATE)
        q->hr_value = dup_opt(ch[i].after, &oom);
    if(kind == HS_RQ_TERMINATION)
      q->reason = dup_opt(pi->reason, &oom);
  }
  if(oom || item_key(&sp->key, kind, pi->hris_id, q->field))
    return -1;
  pos = hs_strmap_get(sp->index, hs_buf_str(&sp->key), &n);
  if(n) {
    const hs_rq_item *o = &sp->old->items[pos[0]];
    q->id = o->id;
    if(o->status != HS_RQ_PENDING && same(o->hr_value, q->hr_value) &&
       same(o->changes, q->changes))
      q->status = o->status;
  }
  return q->status != HS_RQ_PENDING;
}

/* A copy of it for the applied plan, with only the changes keep[] says
** (keep NULL: all). */
static hs_rc copy_item(hs_plan *to, const hs_plan_item *it, const int *keep,
                       hs_err *err)
{
  hs_plan_item *c = hs_plan_push(to);
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n;
  int oom = 0;
  if(!c)
    return nomem(err);
  c->action = it->action;
  c->sh_id = it->sh_id;
  c->hris_id = dup_opt(it->hris_id, &oom);
  c->name = dup_opt(it->name, &oom);
  c->reason = dup_opt(it->reason, &oom);
  n = hs_item_changes(it, ch);
  for(i = 0; i < n && !oom; i++)
    if((!keep || keep[i]) &&
       hs_item_add_change(c, ch[i].field, ch[i].before, ch[i].after))
      oom = 1;
  if(it->action == HS_ACT_UPDATE && !c->n_changes)
    c->action = HS_ACT_UNCHANGED;
  return oom ? nomem(err) : HS_OK;
}

static hs_rc split_update(splitter *sp, const hs_plan_item *it,
                          const hs_policy *pol, hs_plan *apply, hs_err *err)
{
  int *keep = calloc(it->n_changes ? it->n_changes : 1, sizeof(int));
  size_t i;
  hs_rc rc;
  if(!keep)
    return nomem(err);
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t n = hs_item_changes(it, ch);
  for(i = 0; i < n; i++) {
    const hs_change *c = &ch[i];
    keep[i] =
        c->field < 0 || c->field >= HS_SF_COUNT || !pol->review[c->field];
    if(!keep[i] && add_found(sp, it, HS_RQ_UPDATE, c) < 0) {
      free(keep);
      return nomem(err);
    }
  }
  rc = copy_item(apply, it, keep, err);
  free(keep);
  return rc;
}

static hs_rc split_item(splitter *sp, const hs_plan_item *it, int from_record,
                        const hs_policy *pol, hs_plan *apply, hs_err *err)
{
  int r;
  if(it->action == HS_ACT_UPDATE)
    return split_update(sp, it, pol, apply, err);
  if(it->action == HS_ACT_LEFT && from_record && !it->n_changes)
    return copy_item(apply, it, NULL, err); /* left already: not news */
  if((it->action == HS_ACT_CREATE && pol->create_review) ||
     (it->action == HS_ACT_LEFT && pol->left_review)) {
    r = add_found(
        sp, it, it->action == HS_ACT_CREATE ? HS_RQ_CREATE : HS_RQ_TERMINATION,
        NULL);
    return r < 0 ? nomem(err) : HS_OK;
  }
  return copy_item(apply, it, NULL, err);
}

hs_rc hs_review_split(const hs_plan *plan, const hs_policy *pol,
                      const hs_queue *old, int only_records, hs_plan *apply,
                      hs_queue *found, hs_err *err)
{
  splitter sp;
  size_t i, n = plan->n;
  hs_rc rc = HS_OK;
  memset(apply, 0, sizeof(*apply));
  memset(found, 0, sizeof(*found));
  memset(&sp, 0, sizeof(sp));
  sp.old = old;
  sp.found = found;
  if(!(sp.index = hs_strmap_new()))
    return nomem(err);
  for(i = 0; i < old->n && !rc; i++)
    if(item_key(&sp.key, old->items[i].kind, old->items[i].hris_id,
                old->items[i].field) ||
       hs_strmap_add(sp.index, hs_buf_str(&sp.key), i))
      rc = nomem(err);
  memcpy(apply->fingerprint, plan->fingerprint, sizeof(apply->fingerprint));
  memcpy(apply->config_digest, plan->config_digest,
         sizeof(apply->config_digest));
  apply->records = plan->records;
  apply->registry = plan->registry;
  if(!rc && plan->connector && !(apply->connector = strdup(plan->connector)))
    rc = nomem(err);
  /* The planner keeps the records' items, then the stakeholders no
  ** record claimed: an incremental fetch cannot tell those apart from the
  ** unchanged. The unlisted unchanged records pass as they are. */
  if(only_records && plan->from_records < n)
    n = plan->from_records;
  for(i = 0; i < n && !rc; i++) {
    rc = split_item(&sp, &plan->items[i], i < plan->from_records, pol, apply,
                    err);
    if(i + 1 == plan->from_records)
      apply->from_records = apply->n;
  }
  apply->unlisted = plan->unlisted; /* the count: apply needs no ids */
  hs_plan_count(apply);
  hs_strmap_free(sp.index);
  hs_buf_free(&sp.key);
  if(rc) {
    hs_plan_clear(apply);
    hs_queue_clear(found);
  }
  return rc;
}

/* ---- storing ------------------------------------------------------- */

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
  if(v)
    sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null(s, i);
}

/* One item in: a new row, or the existing one updated. A changed value
** is news again (pending, found by this run, first seen today); the same
** value keeps its status and date. */
static hs_rc upsert(hs_store *st, long long run, const hs_rq_item *q,
                    const char *day, hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(hs_store_prepare(
         st,
         "INSERT INTO review_queue(kind, hris_id, stakeholder_id, name, "
         "field, hr_value, registry_value, changes, reason, run_id, "
         "first_seen, seen_run) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
         "?10) ON CONFLICT(kind, hris_id, field) DO UPDATE SET "
         "status = CASE WHEN hr_value IS excluded.hr_value AND changes IS "
         "excluded.changes THEN status ELSE 'pending' END, "
         "run_id = CASE WHEN hr_value IS excluded.hr_value AND changes IS "
         "excluded.changes THEN run_id ELSE excluded.run_id END, "
         "first_seen = CASE WHEN hr_value IS excluded.hr_value AND changes "
         "IS excluded.changes THEN first_seen ELSE excluded.first_seen END, "
         "stakeholder_id = excluded.stakeholder_id, name = excluded.name, "
         "hr_value = excluded.hr_value, registry_value = "
         "excluded.registry_value, changes = excluded.changes, reason = "
         "excluded.reason, seen_run = excluded.seen_run",
         &s) != SQLITE_OK)
    return db_err(st, err, "writing");
  sqlite3_bind_text(s, 1, hs_rq_kind_name(q->kind), -1, SQLITE_STATIC);
  bind_opt(s, 2, q->hris_id);
  if(q->sh_id)
    sqlite3_bind_int64(s, 3, q->sh_id);
  else
    sqlite3_bind_null(s, 3);
  bind_opt(s, 4, q->name);
  sqlite3_bind_text(s, 5, q->field >= 0 ? hs_sf_name(q->field) : "", -1,
                    SQLITE_STATIC);
  bind_opt(s, 6, q->hr_value);
  bind_opt(s, 7, q->reg_value);
  bind_opt(s, 8, q->changes);
  bind_opt(s, 9, q->reason);
  sqlite3_bind_int64(s, 10, run);
  sqlite3_bind_text(s, 11, day, -1, SQLITE_STATIC);
  rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  return rc == SQLITE_DONE ? HS_OK : db_err(st, err, "writing");
}

static hs_rc exec(hs_store *st, const char *sql, hs_err *err)
{
  if(sqlite3_exec(hs_store_db(st), sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_err(st, err, "writing");
  return HS_OK;
}

/* The HRIS ids the plan carried a record for, in a temporary table. */
static hs_rc fill_scope(hs_store *st, const hs_plan *scope, hs_err *err)
{
  sqlite3_stmt *s;
  size_t i;
  hs_rc rc;
  if((rc = exec(st,
                "CREATE TEMP TABLE IF NOT EXISTS review_scope(hris_id TEXT "
                "PRIMARY KEY); DELETE FROM review_scope",
                err)))
    return rc;
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "INSERT OR IGNORE INTO review_scope VALUES (?)", -1,
                        &s, NULL) != SQLITE_OK)
    return db_err(st, err, "writing");
  for(i = 0; i < scope->from_records && i < scope->n; i++) {
    bind_opt(s, 1, scope->items[i].hris_id);
    if(sqlite3_step(s) != SQLITE_DONE) {
      sqlite3_finalize(s);
      return db_err(st, err, "writing");
    }
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  /* The unlisted unchanged records: their stakeholders' own HRIS ids. */
  if(sqlite3_prepare_v2(hs_store_db(st),
                        "INSERT OR IGNORE INTO review_scope SELECT hris_id "
                        "FROM stakeholders WHERE id = ? AND hris_id IS NOT "
                        "NULL",
                        -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "writing");
  for(i = 0; i < scope->unlisted; i++) {
    sqlite3_bind_int64(s, 1, scope->unlisted_ids[i]);
    if(sqlite3_step(s) != SQLITE_DONE) {
      sqlite3_finalize(s);
      return db_err(st, err, "writing");
    }
    sqlite3_reset(s);
  }
  sqlite3_finalize(s);
  return HS_OK;
}

static hs_rc count(hs_store *st, const char *sql, long long run, size_t *n,
                   hs_err *err)
{
  sqlite3_stmt *s;
  if(sqlite3_prepare_v2(hs_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "counting");
  sqlite3_bind_int64(s, 1, run);
  *n = sqlite3_step(s) == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return HS_OK;
}

hs_rc hs_review_store(hs_store *st, long long run, const hs_queue *found,
                      const hs_plan *scope, size_t *pending, size_t *fresh,
                      hs_err *err)
{
  sqlite3_stmt *s;
  char day[11];
  size_t i;
  hs_rc rc;
  int r;
  today(day);
  for(i = 0; i < found->n; i++)
    if((rc = upsert(st, run, &found->items[i], day, err)))
      return rc;
  if(scope && (rc = fill_scope(st, scope, err)))
    return rc;
  if(sqlite3_prepare_v2(
         hs_store_db(st),
         scope ? "DELETE FROM review_queue WHERE seen_run IS NOT ?1 AND "
                 "hris_id IN (SELECT hris_id FROM review_scope)"
               : "DELETE FROM review_queue WHERE seen_run IS NOT ?1",
         -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "dropping resolved items");
  sqlite3_bind_int64(s, 1, run);
  r = sqlite3_step(s);
  sqlite3_finalize(s);
  if(r != SQLITE_DONE)
    return db_err(st, err, "dropping resolved items");
  if(scope && (rc = exec(st, "DROP TABLE review_scope", err)))
    return rc;
  if((rc = count(st,
                 "SELECT count(*) FROM review_queue WHERE status = 'pending' "
                 "AND ?1 IS NOT NULL",
                 run, pending, err)))
    return rc;
  return count(st,
               "SELECT count(*) FROM review_queue WHERE status = 'pending' "
               "AND run_id = ?1",
               run, fresh, err);
}

static hs_rc one_row(hs_store *st, const char *sql, long long id, hs_err *err)
{
  sqlite3_stmt *s;
  int rc;
  if(sqlite3_prepare_v2(hs_store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
    return db_err(st, err, "writing");
  sqlite3_bind_int64(s, 1, id);
  rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if(rc != SQLITE_DONE)
    return db_err(st, err, "writing");
  if(sqlite3_changes(hs_store_db(st)) != 1)
    return hs_err_set(err, HS_E_USAGE, "no pending review item %lld", id);
  return HS_OK;
}

hs_rc hs_review_approved(hs_store *st, const hs_rq_item *q, hs_err *err)
{
  if(q->kind == HS_RQ_TERMINATION && q->changes && !strcmp(q->changes, "[]"))
    return one_row(st, "UPDATE review_queue SET status = 'done' WHERE id = ?1",
                   q->id, err);
  return one_row(st, "DELETE FROM review_queue WHERE id = ?1", q->id, err);
}

hs_rc hs_review_reject(hs_store *st, long long id, hs_err *err)
{
  return one_row(st,
                 "UPDATE review_queue SET status = 'rejected' WHERE id = ?1 "
                 "AND status = 'pending'",
                 id, err);
}

hs_rc hs_review_changes(const hs_rq_item *q, hs_plan_item *it, hs_err *err)
{
  json_object *arr = q->changes ? json_tokener_parse(q->changes) : NULL;
  size_t i, n;
  hs_rc rc = HS_OK;
  if(!arr || !json_object_is_type(arr, json_type_array)) {
    json_object_put(arr);
    return hs_err_set(err, HS_E_PARSE, "review item %lld: unreadable changes",
                      q->id);
  }
  n = json_object_array_length(arr);
  for(i = 0; i < n && !rc; i++) {
    json_object *row = json_object_array_get_idx(arr, i);
    json_object *f = json_object_array_get_idx(row, 0);
    json_object *b = json_object_array_get_idx(row, 1);
    json_object *a = json_object_array_get_idx(row, 2);
    int field = f ? hs_sf_lookup(json_object_get_string(f)) : -1;
    if(!json_object_is_type(row, json_type_array) || field < 0)
      rc = hs_err_set(err, HS_E_PARSE, "review item %lld: unreadable changes",
                      q->id);
    else if(hs_item_add_change(it, field, b ? json_object_get_string(b) : NULL,
                               a ? json_object_get_string(a) : NULL))
      rc = nomem(err);
  }
  json_object_put(arr);
  return rc;
}
