/*
** hrsync review [approve ID...|--all] [reject ID...]: what `sync --auto`
** held back for a person (engine/review.h). Listing reads; a decision
** takes the store's writer lock, is checked against the registry as it
** is now (an item whose registry value moved since is refused: the next
** `sync --auto` refreshes it) and is logged as a run of its own.
*/
#include "../apply.h"
#include "../buf.h"
#include "../lock.h"
#include "../review.h"
#include "../runlog.h"
#include "../store.h"
#include "../term.h"
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REVIEW_SOURCE HS_RUN_REVIEW /* apply.c: the run's kind too */

/* HR text as it may be shown (term.h: escapes visible, never raw). */
static int text(hs_buf *b, const char *s)
{
  return hs_term_escape(b, s);
}

/* The item's one-line sentence, as people act on it. */
static int describe(hs_buf *b, const hs_rq_item *q)
{
  const char *name = q->name && *q->name ? q->name : q->hris_id;
  int bad = 0;
  switch(q->kind) {
  case HS_RQ_CREATE:
    bad |= hs_buf_puts(b, "new stakeholder: ") | text(b, name) |
           hs_buf_puts(b, " (HRIS id ") | text(b, q->hris_id) |
           hs_buf_puts(b, "); approve to add them");
    return bad;
  case HS_RQ_TERMINATION:
    bad |= hs_buf_puts(b, "pending termination: ") | text(b, name);
    if(q->hr_value)
      bad |= hs_buf_puts(b, " left on ") | text(b, q->hr_value);
    else
      bad |= hs_buf_puts(b, " (") | text(b, q->reason ? q->reason : "left") |
             hs_buf_puts(b, ")");
    return bad | hs_buf_puts(b, "; complete it");
  default:
    bad |= hs_buf_printf(b, "%s of ", hs_sf_name(q->field)) | text(b, name) |
           hs_buf_printf(b, " (#%lld): ", q->sh_id);
    bad |= q->reg_value ? hs_buf_puts(b, "\"") | text(b, q->reg_value) |
                              hs_buf_puts(b, "\"")
                        : hs_buf_puts(b, "(none)");
    bad |= hs_buf_puts(b, " -> ");
    bad |= q->hr_value ? hs_buf_puts(b, "\"") | text(b, q->hr_value) |
                             hs_buf_puts(b, "\"")
                       : hs_buf_puts(b, "(none)");
    return bad;
  }
}

static int opt_json(hs_buf *b, const char *s)
{
  return s ? hs_buf_json_str(b, s) : hs_buf_puts(b, "null");
}

static int item_json(hs_buf *b, const hs_rq_item *q)
{
  hs_buf msg = HS_BUF_INIT;
  int bad = describe(&msg, q);
  bad |= hs_buf_printf(b, "{\"id\":%lld,\"kind\":\"%s\",\"hris_id\":", q->id,
                       hs_rq_kind_name(q->kind));
  bad |= opt_json(b, q->hris_id);
  bad |= q->sh_id ? hs_buf_printf(b, ",\"stakeholder_id\":%lld", q->sh_id)
                  : hs_buf_puts(b, ",\"stakeholder_id\":null");
  bad |= hs_buf_puts(b, ",\"name\":") | opt_json(b, q->name);
  bad |= hs_buf_puts(b, ",\"field\":") |
         opt_json(b, q->field >= 0 ? hs_sf_name(q->field) : NULL);
  bad |= hs_buf_puts(b, ",\"hr_value\":") | opt_json(b, q->hr_value);
  bad |= hs_buf_puts(b, ",\"registry_value\":") | opt_json(b, q->reg_value);
  bad |= hs_buf_puts(b, ",\"changes\":") |
         hs_buf_puts(b, q->changes ? q->changes : "null");
  bad |= hs_buf_printf(b, ",\"run_id\":%lld,\"first_seen\":\"%s\"", q->run_id,
                       q->first_seen);
  bad |=
      hs_buf_puts(b, ",\"message\":") | hs_buf_json_str(b, hs_buf_str(&msg));
  hs_buf_free(&msg);
  return bad | hs_buf_puts(b, "}");
}

static hs_rc list(hs_cli *cli, const char *db, hs_err *err)
{
  hs_store *st = NULL;
  hs_queue q;
  hs_buf b = HS_BUF_INIT;
  size_t i;
  int bad = 0;
  hs_rc rc;
  if((rc = hs_store_open(db, HS_STORE_READ, &st, err)) ||
     (rc = hs_review_load(st, 0, &q, err))) {
    hs_store_close(st);
    return rc;
  }
  hs_store_close(st);
  if(cli->json) {
    bad |= hs_buf_puts(&b, "[");
    for(i = 0; i < q.n; i++)
      bad |= hs_buf_puts(&b, i ? ",\n" : "\n") | item_json(&b, &q.items[i]);
    bad |= hs_buf_puts(&b, "]\n");
  }
  else if(!q.n)
    bad |= hs_buf_puts(&b, "Nothing waits for review.\n");
  else {
    bad |= hs_buf_printf(&b, "%5s  %-11s  %-10s  %4s  %s\n", "ID", "KIND",
                         "FIRST SEEN", "RUN", "WHAT");
    for(i = 0; i < q.n; i++) {
      const hs_rq_item *it = &q.items[i];
      bad |= hs_buf_printf(&b, "%5lld  %-11s  %-10s  %4lld  ", it->id,
                           hs_rq_kind_name(it->kind), it->first_seen,
                           it->run_id) |
             describe(&b, it) | hs_buf_puts(&b, "\n");
    }
  }
  if(!bad)
    fputs(hs_buf_str(&b), cli->out);
  hs_buf_free(&b);
  hs_queue_clear(&q);
  return bad ? hs_err_set(err, HS_E_NOMEM, "out of memory") : HS_OK;
}

/* The chosen items: every pending one (all), or those ids (each must be
** pending). Moves them out of q into *sel. */
static hs_rc select_items(hs_queue *q, int all, char **ids, int n_ids,
                          hs_queue *sel, hs_err *err)
{
  int i;
  size_t j;
  memset(sel, 0, sizeof(*sel));
  if(all) {
    *sel = *q;
    memset(q, 0, sizeof(*q));
    return HS_OK;
  }
  if(!(sel->items = calloc((size_t)n_ids, sizeof(hs_rq_item))))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  sel->cap = (size_t)n_ids;
  for(i = 0; i < n_ids; i++) {
    char *end;
    long long id;
    errno = 0;
    id = strtoll(ids[i], &end, 10);
    if(errno || end == ids[i] || *end || id <= 0)
      return hs_err_set(err, HS_E_USAGE,
                        "review: \"%s\" is not an item id (see `hrsync "
                        "review`)",
                        ids[i]);
    for(j = 0; j < q->n && q->items[j].id != id; j++)
      ;
    if(j == q->n)
      return hs_err_set(err, HS_E_USAGE,
                        "review: no pending item %lld (see `hrsync review`)",
                        id);
    sel->items[sel->n++] = q->items[j];
    q->items[j] = q->items[--q->n];
  }
  return HS_OK;
}

static const hs_sh *find_sh(const hs_registry *reg, long long id,
                            const char *hris_id)
{
  size_t i;
  for(i = 0; i < reg->n; i++)
    if(id ? reg->items[i].id == id
          : (reg->items[i].v[HS_SF_HRIS_ID] &&
             !strcmp(reg->items[i].v[HS_SF_HRIS_ID], hris_id)))
      return &reg->items[i];
  return NULL;
}

static int same(const char *a, const char *b)
{
  return (!a && !b) || (a && b && !strcmp(a, b));
}

static hs_rc stale(const hs_rq_item *q, hs_err *err, const char *why)
{
  return hs_err_set(err, HS_E_REFUSED,
                    "review item %lld: %s since it was queued; nothing "
                    "applied (run `hrsync sync --auto` to refresh the queue)",
                    q->id, why);
}

/* The plan item for q: an update joins the stakeholder's item when there
** is one already. */
static hs_rc plan_one(hs_plan *plan, const hs_registry *reg,
                      const hs_rq_item *q, hs_err *err)
{
  const hs_sh *sh =
      find_sh(reg, q->kind == HS_RQ_CREATE ? 0 : q->sh_id, q->hris_id);
  hs_plan_item *it = NULL;
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n;
  if(q->kind == HS_RQ_CREATE && sh)
    return stale(q, err, "a stakeholder got this HRIS id");
  if(q->kind != HS_RQ_CREATE && !sh)
    return stale(q, err, "the stakeholder was removed");
  for(i = 0; q->kind == HS_RQ_UPDATE && i < plan->n; i++)
    if(plan->items[i].action == HS_ACT_UPDATE &&
       plan->items[i].sh_id == q->sh_id)
      it = &plan->items[i];
  if(!it) {
    if(!(it = hs_plan_push(plan)) || !(it->hris_id = strdup(q->hris_id)) ||
       !(it->name = strdup(q->name ? q->name : "")))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    it->action = q->kind == HS_RQ_CREATE   ? HS_ACT_CREATE
                 : q->kind == HS_RQ_UPDATE ? HS_ACT_UPDATE
                                           : HS_ACT_LEFT;
    it->sh_id = q->kind == HS_RQ_CREATE ? 0 : q->sh_id;
    if(q->kind == HS_RQ_TERMINATION &&
       !(it->reason = strdup(q->reason ? q->reason : "left")))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(q->kind == HS_RQ_UPDATE) {
    if(!same(sh->v[q->field], q->reg_value))
      return stale(q, err, "the registry value changed");
    return hs_item_add_change(it, q->field, q->reg_value, q->hr_value)
               ? hs_err_set(err, HS_E_NOMEM, "out of memory")
               : HS_OK;
  }
  {
    hs_rc rc = hs_review_changes(q, it, err);
    if(rc)
      return rc;
  }
  n = hs_item_changes(it, ch);
  for(i = 0; sh && i < n; i++)
    if(!same(sh->v[ch[i].field], ch[i].before))
      return stale(q, err, "the registry value changed");
  return HS_OK;
}

/* The approved items leave the queue in the run's own transaction (an
** hs_apply_fn): approved and applied, or neither. */
static hs_rc drop_approved(void *arg, hs_store *st, long long run, hs_err *err)
{
  const hs_queue *sel = arg;
  size_t i;
  hs_rc rc = HS_OK;
  (void)run;
  for(i = 0; i < sel->n && !rc; i++)
    rc = hs_review_approved(st, &sel->items[i], err);
  return rc;
}

static hs_rc approve(hs_store *st, const hs_queue *sel, long long *run,
                     hs_err *err)
{
  hs_registry reg;
  hs_plan plan;
  size_t i;
  hs_rc rc;
  memset(&plan, 0, sizeof(plan));
  if((rc = hs_store_load(st, &reg, err)))
    return rc;
  memcpy(plan.fingerprint, reg.fingerprint, sizeof(plan.fingerprint));
  plan.registry = reg.n;
  if(!(plan.connector = strdup(REVIEW_SOURCE)))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  for(i = 0; i < sel->n && !rc; i++)
    rc = plan_one(&plan, &reg, &sel->items[i], err);
  hs_plan_count(&plan);
  if(!rc)
    rc = hs_apply_with(st, &plan, drop_approved, (void *)sel, run, err);
  hs_plan_clear(&plan);
  hs_registry_clear(&reg);
  return rc;
}

/* A rejection changes no stakeholder; its run (kind review) logs each
** item as skipped, with the rejected value, so `runs undo` has nothing
** to revert. */
static hs_rc reject(hs_store *st, const hs_queue *sel, long long *run,
                    hs_err *err)
{
  size_t counts[HS_ACT_COUNT], i;
  hs_runlog *rl = NULL;
  hs_run_info info;
  hs_rc rc;
  memset(counts, 0, sizeof(counts));
  memset(&info, 0, sizeof(info));
  info.kind = HS_RUN_REVIEW;
  info.source = REVIEW_SOURCE;
  *run = 0;
  if((rc = hs_store_begin(st, err)))
    return rc;
  if(!(rc = hs_runlog_begin(st, &info, &rl, err)))
    *run = hs_runlog_id(rl);
  for(i = 0; i < sel->n && !rc; i++) {
    const hs_rq_item *q = &sel->items[i];
    hs_change c;
    hs_buf why = HS_BUF_INIT;
    c.field = q->field;
    c.before = q->reg_value;
    c.after = q->hr_value;
    if(hs_buf_printf(&why, "rejected in review (item %lld, %s)", q->id,
                     hs_rq_kind_name(q->kind)))
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
    if(!rc && !(rc = hs_review_reject(st, q->id, err)))
      rc = hs_runlog_item(rl, hs_action_name(HS_ACT_SKIPPED), q->sh_id,
                          q->hris_id, q->name, hs_buf_str(&why), &c,
                          q->kind == HS_RQ_UPDATE ? 1 : 0, err);
    hs_buf_free(&why);
    counts[HS_ACT_SKIPPED]++;
  }
  if(!rc) {
    rc = hs_runlog_end(rl, counts, 0, err);
    rl = NULL;
  }
  if(rc || (rc = hs_store_commit(st, err))) {
    hs_runlog_free(rl);
    hs_store_rollback(st);
    *run = 0;
  }
  return rc;
}

static hs_rc decide(hs_cli *cli, const char *db, int approving, int all,
                    char **ids, int n_ids, hs_err *err)
{
  hs_store *st = NULL;
  hs_queue q, sel;
  long long run = 0;
  hs_lock *lock = NULL;
  hs_rc rc;
  memset(&q, 0, sizeof(q));
  memset(&sel, 0, sizeof(sel));
  if(access(db, F_OK))
    return hs_err_set(err, HS_E_USAGE,
                      "review: %s: no store yet (run `hrsync sync --auto`)",
                      db);
  if(!(rc = hs_lock_acquire(db, &lock, err)) &&
     !(rc = hs_store_open(db, HS_STORE_WRITE, &st, err)) &&
     !(rc = hs_review_load(st, 0, &q, err)) &&
     !(rc = select_items(&q, all, ids, n_ids, &sel, err)))
    rc =
        approving ? approve(st, &sel, &run, err) : reject(st, &sel, &run, err);
  if(!rc && cli->json)
    fprintf(cli->out, "{\"run_id\":%lld,\"%s\":%zu}\n", run,
            approving ? "approved" : "rejected", sel.n);
  else if(!rc && !cli->quiet)
    fprintf(cli->out, "%s %zu item%s as run %lld.\n",
            approving ? "Approved" : "Rejected", sel.n, sel.n == 1 ? "" : "s",
            run);
  hs_store_close(st);
  hs_lock_release(lock);
  hs_queue_clear(&q);
  hs_queue_clear(&sel);
  return rc;
}

int hs_cmd_review(hs_cli *cli, int argc, char **argv)
{
  int approving, all = 0, i, n_ids = 0;
  char **ids;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc == 1) {
    if(!(rc = hs_cli_db_path(cli, &db, &err)))
      rc = list(cli, db, &err);
    free(db);
    return rc ? hs_cli_fail(cli, &err) : 0;
  }
  if(strcmp(argv[1], "approve") && strcmp(argv[1], "reject"))
    return hs_cli_usage_error(cli, "review",
                              "unexpected argument \"%s\"; expected approve "
                              "or reject",
                              argv[1]);
  approving = !strcmp(argv[1], "approve");
  if(!(ids = calloc((size_t)argc, sizeof(char *))))
    return hs_cli_usage_error(cli, "review", "out of memory");
  for(i = 2; i < argc; i++) {
    if(approving && !strcmp(argv[i], "--all"))
      all = 1;
    else
      ids[n_ids++] = argv[i];
  }
  if(!all && !n_ids) {
    free(ids);
    return hs_cli_usage_error(cli, "review", "%s: which items? give ids%s",
                              argv[1], approving ? " or --all" : "");
  }
  if(all && n_ids) {
    free(ids);
    return hs_cli_usage_error(cli, "review",
                              "approve: ids or --all, not both");
  }
  if(!(rc = hs_cli_db_path(cli, &db, &err)))
    rc = decide(cli, db, approving, all, ids, n_ids, &err);
  free(ids);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
