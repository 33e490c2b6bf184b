/*
** hrsync link STAKEHOLDER HRIS_ID / hrsync unlink STAKEHOLDER: resolve a
** conflict or a possible duplicate by hand. The stakeholder gets (or
** loses) the HRIS id, so the next sync matches it by that id; the change
** is applied and logged like a run ("link" / "unlink" in `hrsync runs`).
*/
#include "../apply.h"
#include "../lock.h"
#include "../store.h"
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "#12" or "12" -> 12; 0 when not a stakeholder id. */
static long long parse_id(const char *s)
{
  char *end;
  long long v;
  if(*s == '#')
    s++;
  if(*s < '0' || *s > '9')
    return 0;
  errno = 0;
  v = strtoll(s, &end, 10);
  return (*end || errno || v <= 0) ? 0 : v;
}

static const hs_sh *find_sh(const hs_registry *reg, long long id)
{
  size_t i;
  for(i = 0; i < reg->n; i++)
    if(reg->items[i].id == id)
      return &reg->items[i];
  return NULL;
}

/* Refuses a link that would give one HRIS id to two stakeholders, or
** silently replace a stakeholder's own. */
static hs_rc check_link(const hs_registry *reg, const hs_sh *sh,
                        const char *hris, hs_err *err)
{
  size_t i;
  const char *now = sh->v[HS_SF_HRIS_ID];
  for(i = 0; i < reg->n; i++) {
    const char *h = reg->items[i].v[HS_SF_HRIS_ID];
    if(h && !strcmp(h, hris) && reg->items[i].id != sh->id)
      return hs_err_set(
          err, HS_E_REFUSED,
          "link: HRIS id %s already belongs to #%lld \"%s\"; "
          "`hrsync unlink %lld` first if that is wrong",
          hris, reg->items[i].id,
          reg->items[i].v[HS_SF_NAME] ? reg->items[i].v[HS_SF_NAME] : "",
          reg->items[i].id);
  }
  if(now && strcmp(now, hris))
    return hs_err_set(err, HS_E_REFUSED,
                      "link: #%lld already has HRIS id %s; `hrsync unlink "
                      "%lld` first",
                      sh->id, now, sh->id);
  return HS_OK;
}

/* The one-item plan that sets (or clears) the stakeholder's HRIS id. */
static hs_rc link_plan(const hs_registry *reg, const hs_sh *sh,
                       const char *hris, hs_plan *plan, hs_err *err)
{
  hs_plan_item *it;
  const char *name = sh->v[HS_SF_NAME] ? sh->v[HS_SF_NAME] : "";
  char reason[256];
  memcpy(plan->fingerprint, reg->fingerprint, sizeof(plan->fingerprint));
  snprintf(reason, sizeof(reason), "%s by hand",
           hris ? "linked to an HR record" : "unlinked from its HR record");
  if(!(plan->connector = strdup(hris ? "link" : "unlink")) ||
     !(it = hs_plan_push(plan)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  it->action = HS_ACT_UPDATE;
  it->sh_id = sh->id;
  it->hris_id = strdup(hris ? hris : sh->v[HS_SF_HRIS_ID]);
  it->name = strdup(name);
  it->reason = strdup(reason);
  if(!it->hris_id || !it->name || !it->reason ||
     hs_item_add_change(it, HS_SF_HRIS_ID, sh->v[HS_SF_HRIS_ID], hris))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  hs_plan_count(plan);
  return HS_OK;
}

static int run_link(hs_cli *cli, const char *cmd, const char *who,
                    const char *hris)
{
  hs_registry reg = {0};
  hs_store *st = NULL;
  hs_lock *lock = NULL;
  hs_plan plan;
  const hs_sh *sh;
  long long id = parse_id(who), run = 0;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  memset(&plan, 0, sizeof(plan));
  if(!id)
    return hs_cli_usage_error(cli, cmd,
                              "\"%s\" is not a stakeholder id: the number "
                              "`hrsync stakeholders` lists",
                              who);
  if(hris && !*hris)
    return hs_cli_usage_error(cli, cmd, "the HRIS id is empty");
  /* One writer at a time (lock.h), from the read to the commit. */
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_lock_acquire(db, &lock, &err)) ||
     (rc = hs_store_open(db, HS_STORE_READ, &st, &err)) ||
     (rc = hs_store_load(st, &reg, &err)))
    goto out;
  hs_store_close(st);
  st = NULL;
  if(!(sh = find_sh(&reg, id))) {
    rc = hs_err_set(&err, HS_E_USAGE, "%s: no stakeholder #%lld in %s", cmd,
                    id, db);
    goto out;
  }
  if(!hris && !sh->v[HS_SF_HRIS_ID]) {
    rc = hs_err_set(&err, HS_E_REFUSED, "unlink: #%lld has no HRIS id", id);
    goto out;
  }
  if((hris && (rc = check_link(&reg, sh, hris, &err))) ||
     (rc = link_plan(&reg, sh, hris, &plan, &err)))
    goto out;
  if((rc = hs_store_open(db, HS_STORE_WRITE, &st, &err)) ||
     (rc = hs_apply(st, &plan, &run, &err)))
    goto out;
  if(cli->json)
    hs_print_plan(cli, &plan, run);
  else if(!cli->quiet)
    fprintf(cli->out, "%s #%lld \"%s\" %s HRIS id %s (run %lld)\n",
            hris ? "Linked" : "Unlinked", id, plan.items[0].name,
            hris ? "to" : "from", plan.items[0].hris_id, run);
out:
  hs_store_close(st);
  hs_lock_release(lock);
  hs_registry_clear(&reg);
  hs_plan_clear(&plan);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}

int hs_cmd_link(hs_cli *cli, int argc, char **argv)
{
  if(argc != 3)
    return hs_cli_usage_error(cli, "link", "expected STAKEHOLDER HRIS_ID");
  return run_link(cli, "link", argv[1], argv[2]);
}

int hs_cmd_unlink(hs_cli *cli, int argc, char **argv)
{
  if(argc != 2)
    return hs_cli_usage_error(cli, "unlink", "expected STAKEHOLDER");
  return run_link(cli, "unlink", argv[1], NULL);
}
