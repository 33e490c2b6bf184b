/*
** hrsync sync [--yes] [--plan FILE]: shows the plan, gets approval (a y
** on a terminal, --yes otherwise), applies it in one transaction.
*/
#include "../apply.h"
#include "../lock.h"
#include "../planfile.h"
#include "../store.h"
#include "cli.h"
#include "pipeline.h"
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Asks on the terminal. 1 = yes. */
static int ask(hs_cli *cli)
{
  char line[32];
  fprintf(cli->errf, "Apply these changes? [y/N] ");
  fflush(cli->errf);
  if(!fgets(line, sizeof(line), stdin))
    return 0;
  return line[0] == 'y' || line[0] == 'Y';
}

/* The plan, computed now from the HR system against the store's current
** registry. */
static hs_rc make_plan(hs_cli *cli, const char *db, hs_plan *plan, hs_err *err)
{
  hs_session s;
  hs_store *st = NULL;
  hs_registry reg = {NULL, 0, {0}};
  hs_rc rc;
  if(!(rc = hs_session_config(cli, &s, err)) &&
     !(rc = hs_store_open(db, HS_STORE_READ, &st, err)) &&
     !(rc = hs_store_load(st, &reg, err))) {
    /* The fetch can take minutes: hold no handle on the store meanwhile. */
    hs_store_close(st);
    st = NULL;
    if(!(rc = hs_session_connect(&s, err)) &&
       !(rc = hs_session_fields(&s, 1, err)))
      rc = hs_session_plan(&s, &reg, plan, err);
  }
  hs_store_close(st);
  hs_registry_clear(&reg);
  hs_session_close(&s);
  return rc;
}

/* hs_apply, with the write phase on the terminal's progress line. */
static hs_rc apply_with_progress(hs_cli *cli, hs_store *st,
                                 const hs_plan *plan, long long *run,
                                 hs_err *err)
{
  hs_progress p;
  char what[96];
  hs_rc rc;
  hs_progress_start(&p, cli);
  snprintf(what, sizeof(what), "writing %zu changes to the registry",
           plan->counts[HS_ACT_CREATE] + plan->counts[HS_ACT_UPDATE] +
               plan->counts[HS_ACT_LEFT]);
  hs_progress_phase(&p, what);
  rc = hs_apply(st, plan, run, err);
  hs_progress_end(&p);
  return rc;
}

int hs_cmd_sync(hs_cli *cli, int argc, char **argv)
{
  const char *plan_path = NULL;
  int yes = 0, i, writes;
  hs_store *st = NULL;
  hs_lock *lock = NULL;
  hs_plan plan;
  long long run = 0;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  memset(&plan, 0, sizeof(plan));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y"))
      yes = 1;
    else if(!strcmp(argv[i], "--plan") && i + 1 < argc)
      plan_path = argv[++i];
    else if(!strncmp(argv[i], "--plan=", 7))
      plan_path = argv[i] + 7;
    else
      return hs_cli_usage_error(cli, "sync", "unexpected argument \"%s\"",
                                argv[i]);
  }
  /* The lock is taken before the plan is made and held to the end: a
  ** second writer is refused at once rather than after a long fetch, and
  ** nobody can change the registry between the plan and its apply. */
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_lock_acquire(db, &lock, &err)))
    goto out;
  if(plan_path)
    rc = hs_planfile_load(plan_path, &plan, &err);
  else
    rc = make_plan(cli, db, &plan, &err);
  if(rc)
    goto out;
  writes = hs_plan_writes(&plan);
  /* -q: no plan, but the one-line result below. */
  if(!cli->json && !cli->quiet)
    hs_print_plan(cli, &plan, 0);
  if(writes && !yes) {
    if(!isatty(fileno(stdin)) || !isatty(fileno(cli->errf))) {
      rc = hs_err_set(&err, HS_E_REFUSED,
                      "sync: not applied: approval needed and there is no "
                      "terminal to ask on; run with --yes");
      goto out;
    }
    if(!ask(cli)) {
      rc = hs_err_set(&err, HS_E_REFUSED, "sync: not applied (declined)");
      goto out;
    }
  }
  /* A sync with nothing to apply is still a run: "checked, nothing to
  ** do" is an audit fact. It needs no approval: it changes no stakeholder. */
  if((rc = hs_store_open(db, HS_STORE_WRITE, &st, &err)))
    goto out;
  if((rc = apply_with_progress(cli, st, &plan, &run, &err)))
    goto out;
  if(cli->json)
    hs_print_plan(cli, &plan, run);
  else if(!writes)
    fprintf(cli->out, "%sNothing to apply (logged as run %lld).\n",
            cli->quiet ? "" : "\n", run);
  else
    fprintf(cli->out,
            "%sApplied as run %lld: %zu created, %zu updated, %zu left.\n",
            cli->quiet ? "" : "\n", run, plan.counts[HS_ACT_CREATE],
            plan.counts[HS_ACT_UPDATE], plan.counts[HS_ACT_LEFT]);
  /* The rest is applied, but conflicts need a person: exit 3 says so. */
  if(plan.counts[HS_ACT_CONFLICT])
    rc = hs_err_set(&err, HS_E_REFUSED,
                    "%zu conflict%s left untouched; resolve them (e.g. give "
                    "the stakeholders identifiers) and sync again",
                    plan.counts[HS_ACT_CONFLICT],
                    plan.counts[HS_ACT_CONFLICT] == 1 ? "" : "s");
out:
  /* A store this run was creating exists only once committed: a refusal
  ** leaves no file, and never takes anyone else's runs with it. */
  hs_store_close(st);
  hs_lock_release(lock);
  hs_plan_clear(&plan);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
