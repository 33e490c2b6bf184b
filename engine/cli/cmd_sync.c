/*
** hrsync sync [--yes] [--plan FILE] [--allow-mass-change] [--remap-hris-id]
** [--strict] [--summary]: shows the plan, gets approval (a y on a
** terminal, --yes otherwise), applies it in one transaction. The guards
** (docs/user-guide.md "What hrsync refuses to do") run before approval.
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

typedef struct sync_opts {
  const char *plan_path;
  int yes, allow_mass, remap, strict, summary;
} sync_opts;

/* `sync --yes`: the store opened for writing during the fetch, and the
** writer that applies the plan into it while it is made
** (hs_apply_stream). st and w stay NULL when the writes wait for the
** plan. */
typedef struct early_write {
  const char *db;
  hs_session *s;
  const hs_registry *reg;
  int tried;
  hs_store *st;
  hs_apply_stream *w;
} early_write;

static int current_schema(void)
{
  int n = 0;
  while(hs_store_migration(n))
    n++;
  return n;
}

/* Starts the writer when opening the store for writing leaves it as it
** is (no store yet, or one of the current schema: an older one would be
** migrated before the guards had their say). Anything in the way and
** the writes wait for the plan, as before, where the same trouble is
** reported in its usual place. */
static void start_early(early_write *ew)
{
  hs_store *probe = NULL;
  hs_run_info info;
  hs_plan stub;
  hs_err ignored;
  if(hs_store_open(ew->db, HS_STORE_READ, &probe, &ignored))
    return;
  if(probe && hs_store_schema(probe) != current_schema()) {
    hs_store_close(probe);
    return;
  }
  hs_store_close(probe);
  if(hs_store_open(ew->db, HS_STORE_WRITE, &ew->st, &ignored))
    return;
  /* The run as hs_apply_with would name it from the plan. */
  memset(&stub, 0, sizeof(stub));
  stub.connector = ew->s->cfg->connector;
  memcpy(stub.config_digest, ew->s->cfg->digest, sizeof(stub.config_digest));
  memcpy(stub.fingerprint, ew->reg->fingerprint, sizeof(stub.fingerprint));
  hs_apply_run_info(&stub, &info);
  if(hs_apply_stream_start(ew->st, &info, &ew->w, &ignored)) {
    hs_store_close(ew->st);
    ew->st = NULL;
  }
}

/* After each planned record. The writer starts with the first: the
** registry (loaded meanwhile, regload.h) and so its fingerprint are
** there by then. */
static void feed(void *arg, const hs_plan *so_far)
{
  early_write *ew = arg;
  if(!ew->tried) {
    ew->tried = 1;
    start_early(ew);
  }
  hs_apply_stream_feed(ew->w, so_far);
}

/* The plan, computed now from the HR system against the store's current
** registry. The fetch can take minutes: no handle on the store is held
** meanwhile (the registry's loader closes it), unless ew (sync --yes)
** gets the writer started. The registry loads and is indexed while the
** connector connects and fetches (regload.h). */
static hs_rc make_plan(hs_cli *cli, const char *db, const sync_opts *o,
                       hs_plan *plan, early_write *ew, hs_err *err)
{
  hs_session s;
  hs_registry reg = {0};
  hs_rc rc;
  if(!(rc = hs_session_config(cli, &s, err))) {
    s.remap = o->remap;
    if(ew) {
      ew->db = db;
      ew->s = &s;
      ew->reg = &reg;
      s.planned = feed;
      s.planned_arg = ew;
    }
    if(!(rc = hs_session_registry_start(&s, db, &reg, err))) {
      if(!(rc = hs_session_connect(&s, err)) &&
         !(rc = hs_session_fields(&s, 1, err)))
        rc = hs_session_plan(&s, &reg, plan, err);
      rc = hs_session_registry_wait(&s, rc, err);
      if(rc)
        hs_plan_clear(plan);
    }
  }
  hs_session_close(&s);
  hs_registry_clear(&reg);
  if(ew)
    ew->s = NULL, ew->reg = NULL; /* they were make_plan's */
  return rc;
}

/* The guards that need the whole plan: mass change, then --strict. */
static hs_rc guard_plan(hs_cli *cli, const sync_opts *o, const hs_plan *plan,
                        hs_err *err)
{
  hs_config *cfg = NULL;
  double share = 0.10;
  hs_err ignored;
  hs_rc rc;
  if(!o->allow_mass) {
    /* A saved plan is checked with today's config when there is one. */
    if(!hs_config_load(cli->config_path, &cfg, &ignored))
      share = cfg->mass_share;
    hs_config_free(cfg);
    if((rc = hs_plan_check_mass(plan, share, err)))
      return rc;
  }
  if(o->strict && plan->n_warnings)
    return hs_err_set(err, HS_E_REFUSED,
                      "sync: not applied: %zu warning%s and --strict (the "
                      "first: %s)",
                      plan->n_warnings, plan->n_warnings == 1 ? "" : "s",
                      plan->warnings[0].message);
  return HS_OK;
}

/* What lands with the run, in its transaction (an hs_apply_fn): the
** plan's warnings, which HR field fed hris_id and who is left now. */
typedef struct run_extra {
  const hs_plan *plan;
  const hs_config *cfg; /* NULL for a saved plan */
} run_extra;

static hs_rc with_run(void *arg, hs_store *st, long long run, hs_err *err)
{
  const run_extra *x = arg;
  hs_rc rc = hs_session_log_warnings(st, x->plan, run, err);
  return rc ? rc : hs_session_remember(st, x->cfg, x->plan, err);
}

static int parse_args(hs_cli *cli, int argc, char **argv, sync_opts *o)
{
  int i;
  memset(o, 0, sizeof(*o));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--yes") || !strcmp(argv[i], "-y"))
      o->yes = 1;
    else if(!strcmp(argv[i], "--plan") && i + 1 < argc)
      o->plan_path = argv[++i];
    else if(!strncmp(argv[i], "--plan=", 7))
      o->plan_path = argv[i] + 7;
    else if(!strcmp(argv[i], "--allow-mass-change"))
      o->allow_mass = 1;
    else if(!strcmp(argv[i], "--remap-hris-id"))
      o->remap = 1;
    else if(!strcmp(argv[i], "--strict"))
      o->strict = 1;
    else if(!strcmp(argv[i], "--summary"))
      o->summary = 1;
    else
      return hs_cli_usage_error(cli, "sync", "unexpected argument \"%s\"",
                                argv[i]);
  }
  if(o->remap && o->plan_path)
    return hs_cli_usage_error(cli, "sync",
                              "--remap-hris-id plans anew; it cannot apply "
                              "a saved --plan");
  return 0;
}

/* hs_apply (or the end of the early writes: *w, then NULL), with the
** write phase on the terminal's progress line. */
static hs_rc apply_with_progress(hs_cli *cli, hs_store *st,
                                 const hs_plan *plan, run_extra *x,
                                 hs_apply_stream **w, long long *run,
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
  if(*w)
    rc = hs_apply_stream_finish(*w, plan, with_run, x, run, err);
  else
    rc = hs_apply_with(st, plan, with_run, x, run, err);
  *w = NULL;
  hs_progress_end(&p);
  return rc;
}

int hs_cmd_sync(hs_cli *cli, int argc, char **argv)
{
  sync_opts o;
  int bad, writes, i;
  hs_store *st = NULL;
  hs_lock *lock = NULL;
  hs_config *cfg = NULL;
  run_extra x;
  early_write ew = {0};
  hs_plan plan;
  long long run = 0;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  for(i = 1; i < argc; i++)
    if(!strcmp(argv[i], "--auto")) /* unattended: cmd_auto.c */
      return hs_cmd_sync_auto(cli, argc, argv);
  hs_err_clear(&err);
  memset(&plan, 0, sizeof(plan));
  if((bad = parse_args(cli, argc, argv, &o)))
    return bad;
  /* The lock is taken before the plan is made and held to the end: a
  ** second writer is refused at once rather than after a long fetch, and
  ** nobody can change the registry between the plan and its apply. */
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_lock_acquire(db, &lock, &err)))
    goto out;
  if(o.plan_path)
    rc = hs_planfile_load(o.plan_path, &plan, &err);
  else
    rc = make_plan(cli, db, &o, &plan, o.yes ? &ew : NULL, &err);
  st = ew.st; /* closed at out, after the writer stopped */
  if(rc)
    goto out;
  writes = hs_plan_writes(&plan);
  /* -q: no plan, but its warnings and the one-line result below; --json:
  ** the plan once applied, with its run. */
  if(!cli->json && !cli->quiet)
    hs_print_plan_ex(cli, &plan, 0, o.summary);
  else if(!cli->json)
    hs_print_warnings(cli, &plan);
  if((rc = guard_plan(cli, &o, &plan, &err)))
    goto out;
  if(writes && !o.yes) {
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
  x.plan = &plan;
  if((!o.plan_path && (rc = hs_config_load(cli->config_path, &cfg, &err))) ||
     (!st && (rc = hs_store_open(db, HS_STORE_WRITE, &st, &err))))
    goto out;
  x.cfg = cfg;
  if((rc = apply_with_progress(cli, st, &plan, &x, &ew.w, &run, &err)))
    goto out;
  hs_store_close(st);
  st = NULL;
  if(cli->json)
    hs_print_plan_ex(cli, &plan, run, o.summary);
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
  ** leaves no file, and never takes anyone else's runs with it. Early
  ** writes not finished are rolled back first. */
  hs_apply_stream_abort(ew.w);
  hs_store_close(st);
  hs_lock_release(lock);
  hs_config_free(cfg);
  hs_plan_clear(&plan);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
