/*
** Applying a plan.
*/
#include "apply.h"

#include "apply_int.h"

#include <string.h>

static hs_rc apply_create(hs_store *st, hs_runlog *rl, const hs_plan_item *it,
                          hs_err *err)
{
  hs_change ch[HS_ITEM_MAX_CHANGES];
  hs_sh sh;
  size_t i, n = hs_item_changes(it, ch);
  hs_rc rc;
  memset(&sh, 0, sizeof(sh));
  /* Borrowed pointers: sh is never cleared, only read by insert. */
  for(i = 0; i < n; i++)
    if(ch[i].field >= 0 && ch[i].field < HS_SF_COUNT)
      sh.v[ch[i].field] = ch[i].after;
  if((rc = hs_store_insert(st, &sh, err)))
    return rc;
  return hs_runlog_plan_item(rl, it, sh.id, err);
}

static hs_rc apply_item(hs_store *st, hs_runlog *rl, const hs_plan_item *it,
                        hs_err *err)
{
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n;
  hs_rc rc;
  switch(it->action) {
  case HS_ACT_CREATE:
    return apply_create(st, rl, it, err);
  case HS_ACT_UPDATE:
  case HS_ACT_LEFT:
    n = hs_item_changes(it, ch);
    for(i = 0; i < n; i++) {
      const hs_change *c = &ch[i];
      if((rc = hs_store_set(st, it->sh_id, c->field, c->after, err)))
        return rc;
    }
    return hs_runlog_plan_item(rl, it, it->sh_id, err);
  case HS_ACT_CONFLICT:
    return hs_runlog_plan_item(rl, it, it->sh_id, err);
  default:
    return HS_OK;
  }
}

hs_rc hs_apply_one(hs_store *st, hs_runlog *rl, const hs_plan_item *it,
                   hs_err *err)
{
  hs_rc rc = apply_item(st, rl, it, err);
  if(rc)
    hs_err_prefix(err, "applying %s of %s", hs_action_name(it->action),
                  it->hris_id ? it->hris_id : "?");
  return rc;
}

void hs_apply_run_info(const hs_plan *plan, hs_run_info *info)
{
  memset(info, 0, sizeof(*info));
  /* `hrsync link` / `unlink` (and `review approve`) apply a plan that
  ** names itself as the connector: their runs are of that kind. */
  info->kind = plan->connector && (!strcmp(plan->connector, HS_RUN_LINK) ||
                                   !strcmp(plan->connector, HS_RUN_UNLINK) ||
                                   !strcmp(plan->connector, HS_RUN_REVIEW))
                   ? plan->connector
                   : HS_RUN_SYNC;
  info->source = plan->connector;
  info->config_digest = plan->config_digest;
  info->fingerprint = plan->fingerprint;
}

hs_rc hs_apply_open(hs_store *st, const hs_run_info *info, int nowait,
                    hs_runlog **rl, hs_err *err)
{
  char now[65];
  hs_rc rc;
  *rl = NULL;
  if((rc = nowait ? hs_store_begin_nowait(st, err) : hs_store_begin(st, err)))
    return rc;
  /* Read inside the write lock: nobody can change it between the check
  ** and the writes. */
  if((rc = hs_store_fingerprint(st, now, err)))
    goto fail;
  if(strcmp(now, info->fingerprint)) {
    rc = hs_err_set(err, HS_E_REFUSED,
                    "the registry changed since the plan was made (plan "
                    "%.12s, registry now %.12s); run `hrsync preview` again",
                    info->fingerprint, now);
    goto fail;
  }
  if((rc = hs_runlog_begin(st, info, rl, err)))
    goto fail;
  return HS_OK;
fail:
  hs_store_rollback(st);
  return rc;
}

hs_rc hs_apply_close(hs_store *st, hs_runlog *rl, const hs_plan *plan,
                     hs_apply_fn fn, void *arg, hs_err *err)
{
  long long run_id = hs_runlog_id(rl);
  hs_rc rc = hs_runlog_end(rl, plan->counts, 0, err);
  if(rc || (fn && (rc = fn(arg, st, run_id, err))) ||
     (rc = hs_store_commit(st, err))) {
    hs_store_rollback(st);
    return rc;
  }
  return HS_OK;
}

hs_rc hs_apply(hs_store *st, const hs_plan *plan, long long *run_id,
               hs_err *err)
{
  return hs_apply_with(st, plan, NULL, NULL, run_id, err);
}

hs_rc hs_apply_with(hs_store *st, const hs_plan *plan, hs_apply_fn fn,
                    void *arg, long long *run_id, hs_err *err)
{
  hs_run_info info;
  hs_runlog *rl;
  size_t i;
  hs_rc rc;
  *run_id = 0;
  hs_apply_run_info(plan, &info);
  if((rc = hs_apply_open(st, &info, 0, &rl, err)))
    return rc;
  for(i = 0; i < plan->n; i++)
    if((rc = hs_apply_one(st, rl, &plan->items[i], err))) {
      hs_runlog_free(rl);
      hs_store_rollback(st);
      return rc;
    }
  *run_id = hs_runlog_id(rl);
  if((rc = hs_apply_close(st, rl, plan, fn, arg, err)))
    *run_id = 0;
  return rc;
}
