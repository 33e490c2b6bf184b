/*
** hrsync sync --auto [--full] [--on-queue CMD]: the unattended sync a
** scheduler runs (docs/user-guide.md "Unattended sync"). Under the
** store's writer lock: plans (incrementally when the connector can and a
** full fetch is recent enough), applies what the config's policy allows
** in one transaction, reconciles the review queue with the rest, and
** tells the scheduler by its exit status:
**   0  applied, nothing waits for review
**   4  applied, items wait for review (`hrsync review`)
**   3  refused: another hrsync holds the store, a guard refused, or
**      conflicts need a person
**   1  failed (nothing applied), 2 usage or config error
*/
#define _DEFAULT_SOURCE /* timegm, strptime */
#define _XOPEN_SOURCE   700
#include "../apply.h"
#include "../buf.h"
#include "../lock.h"
#include "../planfile.h"
#include "../review.h"
#include "../store.h"
#include "cli.h"
#include "pipeline.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HS_EXIT_QUEUED 4

#define META_WATERMARK "auto.watermark"
#define META_DIGEST    "auto.watermark_config"
#define META_LAST_FULL "auto.last_full"
#define META_RUN       "auto.run"

typedef struct auto_opts {
  const char *on_queue;
  int full;
} auto_opts;

/* What the run knows before it fetches. */
typedef struct auto_state {
  hs_registry reg;
  hs_queue old;
  char *watermark, *digest, *last_full;
  char *own_run;      /* the run the last --auto made (META_RUN) */
  long long last_run; /* the newest run in the store now */
  char since[32];     /* the watermark asked for, "" for a full fetch */
  char fetch_at[32];  /* this fetch's watermark for the next run */
  int incremental;    /* the connector honoured since */
  hs_plan view;       /* the plan cut to what the fetch knows (cut_plan) */
} auto_state;

static void utc_now(time_t t, char out[32])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static time_t parse_utc(const char *s)
{
  struct tm tm;
  memset(&tm, 0, sizeof(tm));
  if(!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
    return (time_t)-1;
  return timegm(&tm);
}

/* The id of the newest run in the store (0: none). */
static long long newest_run(hs_store *st)
{
  sqlite3_stmt *s;
  long long id = 0;
  if(st && hs_store_prepare(st, "SELECT max(id) FROM runs", &s) == 0) {
    if(sqlite3_step(s) == SQLITE_ROW)
      id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
  }
  return id;
}

static hs_rc load_state(const char *db, auto_state *a, hs_err *err)
{
  hs_store *st = NULL;
  hs_rc rc;
  if(!(rc = hs_store_open(db, HS_STORE_READ, &st, err)) &&
     !(rc = hs_review_load(st, 1, &a->old, err)) &&
     !(rc = hs_store_meta_get(st, META_WATERMARK, &a->watermark, err)) &&
     !(rc = hs_store_meta_get(st, META_DIGEST, &a->digest, err)) &&
     !(rc = hs_store_meta_get(st, META_RUN, &a->own_run, err)))
    rc = hs_store_meta_get(st, META_LAST_FULL, &a->last_full, err);
  if(!rc)
    a->last_run = newest_run(st);
  hs_store_close(st);
  return rc;
}

/* Incremental when asked for nothing else, the last watermark is from
** this very config, and a full fetch happened within full_sync_days. */
static void choose_fetch(const auto_opts *o, const hs_config *cfg,
                         auto_state *a)
{
  time_t now = time(NULL), last = parse_utc(a->last_full);
  int days = cfg->policy.full_sync_days;
  a->since[0] = 0;
  /* A run since the last --auto (a review decision, an import, an undo,
  ** a manual sync) changed the registry without the HR system changing:
  ** only a full fetch sees what it now differs in. */
  if(!a->own_run || a->last_run != atoll(a->own_run))
    return;
  if(o->full || days <= 0 || !a->watermark || !*a->watermark || !a->digest ||
     strcmp(a->digest, cfg->digest) || last == (time_t)-1 ||
     now - last >= (time_t)days * 86400)
    return;
  snprintf(a->since, sizeof(a->since), "%s", a->watermark);
}

/* a->view: the plan as this run knows it. The planner pushes one item per
** record, then the synced stakeholders no record claimed; after an
** incremental fetch those are unchanged, not gone, so the view ends at
** the records. It shares the plan's items and is never cleared. */
static void cut_plan(const hs_session *s, auto_state *a, const hs_plan *plan)
{
  a->view = *plan;
  if(!a->incremental || plan->from_records >= plan->n)
    return;
  a->view.n = plan->from_records;
  hs_plan_count(&a->view);
  a->view.left_known = hs_session_known_left(s, &a->view);
}

static hs_rc make_plan(hs_cli *cli, const auto_opts *o, const char *db,
                       auto_state *a, hs_config **cfg_out, hs_plan *plan,
                       hs_err *err)
{
  hs_session s;
  hs_fetch_stats fs;
  hs_rc rc;
  if((rc = hs_session_config(cli, &s, err)) ||
     (rc = hs_session_registry(&s, db, &a->reg, err)) ||
     (rc = load_state(db, a, err))) {
    hs_session_close(&s);
    return rc;
  }
  choose_fetch(o, s.cfg, a);
  s.changed_since = a->since[0] ? a->since : NULL;
  /* A change made while the fetch runs must not fall between two
  ** watermarks: the next one starts a little before this fetch. */
  utc_now(time(NULL) - 2, a->fetch_at);
  if(!(rc = hs_session_connect(&s, err)) &&
     !(rc = hs_session_fields(&s, 1, err)) &&
     !(rc = hs_session_plan(&s, &a->reg, plan, err))) {
    hs_conn_get_stats(s.conn, &fs);
    a->incremental = fs.changed_only;
    cut_plan(&s, a, plan);
    /* The config outlives the session: the policy is read after. */
    *cfg_out = s.cfg;
    s.cfg = NULL;
  }
  hs_session_close(&s);
  return rc;
}

/* The queue and the watermark, in one transaction after the apply. */
/* What lands with the run, in its transaction (an hs_apply_fn): the
** review queue, the watermark, the run's warnings and, after a full
** fetch, which HR field fed the HRIS ids and who is left (only a full
** fetch knows everyone). If any of it fails, nothing of the run lands. */
typedef struct auto_extra {
  const hs_config *cfg;
  auto_state *a;
  const hs_queue *found;
  const hs_plan *plan; /* the whole plan, before the policy split */
  size_t pending, fresh;
} auto_extra;

static hs_rc with_run(void *arg, hs_store *st, long long run, hs_err *err)
{
  auto_extra *x = arg;
  auto_state *a = x->a;
  hs_rc rc;
  char now[32];
  /* A conflict is resolved in the registry, not in the HR system, so the
  ** person would not come back in an incremental fetch: while there are
  ** conflicts, every run is a full one (an empty watermark). */
  const char *mark = x->plan->counts[HS_ACT_CONFLICT] ? "" : a->fetch_at;
  char run_text[32];
  snprintf(run_text, sizeof(run_text), "%lld", run);
  utc_now(time(NULL), now);
  if((rc = hs_review_store(st, run, x->found, a->incremental ? x->plan : NULL,
                           &x->pending, &x->fresh, err)) ||
     (rc = hs_store_meta_set(st, META_WATERMARK, mark, err)) ||
     (rc = hs_store_meta_set(st, META_DIGEST, x->cfg->digest, err)) ||
     (rc = hs_store_meta_set(st, META_RUN, run_text, err)) ||
     (!a->incremental &&
      (rc = hs_store_meta_set(st, META_LAST_FULL, now, err))) ||
     (rc = hs_session_log_warnings(st, &a->view, run, err)))
    return rc;
  return a->incremental ? HS_OK
                        : hs_session_remember(st, x->cfg, x->plan, err);
}

/* --on-queue CMD: run through the shell when this run queued something
** new, with the counts in the environment. Its failure is reported, not
** fatal: the sync itself is done. */
static void run_hook(hs_cli *cli, const char *cmd, const char *db,
                     long long run, size_t pending, size_t fresh)
{
  char v[32];
  int st;
  snprintf(v, sizeof(v), "%lld", run);
  setenv("HRSYNC_RUN", v, 1);
  snprintf(v, sizeof(v), "%zu", pending);
  setenv("HRSYNC_PENDING", v, 1);
  snprintf(v, sizeof(v), "%zu", fresh);
  setenv("HRSYNC_QUEUED", v, 1);
  setenv("HRSYNC_DB", db, 1);
  setenv("HRSYNC_CONFIG", cli->config_path, 1);
  fflush(cli->out);
  st = system(cmd);
  if(st != 0)
    fprintf(cli->errf,
            "hrsync: warning: --on-queue command failed (status %d)\n",
            st == -1 ? -1 : WEXITSTATUS(st));
}

static void print_result(hs_cli *cli, const hs_plan *plan,
                         const hs_plan *applied, const auto_state *a,
                         long long run, size_t pending, size_t fresh)
{
  const hs_plan *view = &a->view;
  (void)plan;
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    hs_err e;
    if(!hs_plan_to_json(view, 0, &b, &e))
      fprintf(cli->out,
              "{\"run_id\":%lld,\"incremental\":%s,\"records\":%zu,"
              "\"applied\":{\"create\":%zu,\"update\":%zu,\"left\":%zu},"
              "\"queued\":%zu,\"pending\":%zu,\"plan\":%s}\n",
              run, a->incremental ? "true" : "false", plan->records,
              applied->counts[HS_ACT_CREATE], applied->counts[HS_ACT_UPDATE],
              applied->counts[HS_ACT_LEFT], fresh, pending, hs_buf_str(&b));
    cli->json_printed = 1; /* the one JSON document on stdout */
    hs_buf_free(&b);
    return;
  }
  if(cli->quiet)
    return;
  if(hs_plan_writes(applied)) {
    hs_print_plan(cli, applied, 0);
    fputc('\n', cli->out);
  }
  fprintf(cli->out,
          "%s fetch: %zu record%s. Applied as run %lld: %zu created, %zu "
          "updated, %zu left.\n",
          a->incremental ? "Incremental" : "Full", plan->records,
          plan->records == 1 ? "" : "s", run, applied->counts[HS_ACT_CREATE],
          applied->counts[HS_ACT_UPDATE], applied->counts[HS_ACT_LEFT]);
  if(pending)
    fprintf(cli->out,
            "%zu item%s wait%s for review (%zu new); see `hrsync review`.\n",
            pending, pending == 1 ? "" : "s", pending == 1 ? "s" : "", fresh);
}

static int parse_args(hs_cli *cli, int argc, char **argv, auto_opts *o)
{
  int i;
  memset(o, 0, sizeof(*o));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--auto"))
      continue;
    if(!strcmp(argv[i], "--full"))
      o->full = 1;
    else if(!strcmp(argv[i], "--on-queue") && i + 1 < argc)
      o->on_queue = argv[++i];
    else if(!strncmp(argv[i], "--on-queue=", 11))
      o->on_queue = argv[i] + 11;
    else
      return hs_cli_usage_error(cli, "sync",
                                "--auto: unexpected argument \"%s\" (--auto "
                                "takes --full and --on-queue CMD; it never "
                                "applies a mass change or a saved plan)",
                                argv[i]);
  }
  return 0;
}

int hs_cmd_sync_auto(hs_cli *cli, int argc, char **argv)
{
  auto_opts o;
  auto_state a;
  hs_config *cfg = NULL;
  hs_plan plan, applied;
  hs_queue found;
  auto_extra x;
  hs_store *st = NULL;
  long long run = 0;
  size_t pending = 0, fresh = 0;
  hs_lock *lock = NULL;
  int bad, status = 0;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  memset(&a, 0, sizeof(a));
  memset(&plan, 0, sizeof(plan));
  memset(&applied, 0, sizeof(applied));
  memset(&found, 0, sizeof(found));
  if((bad = parse_args(cli, argc, argv, &o)))
    return bad;
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_lock_acquire(db, &lock, &err)) ||
     (rc = make_plan(cli, &o, db, &a, &cfg, &plan, &err)))
    goto out;
  if(!cli->json)
    hs_print_warnings(cli, &a.view);
  /* The guards hold unattended too, with no override: a mass change
  ** waits for a person running `hrsync sync --allow-mass-change`. */
  if((rc = hs_plan_check_mass(&a.view, cfg->mass_share, &err)) ||
     (rc = hs_review_split(&plan, &cfg->policy, &a.old, a.incremental,
                           &applied, &found, &err)) ||
     (rc = hs_store_open(db, HS_STORE_WRITE, &st, &err)))
    goto out;
  x.cfg = cfg;
  x.a = &a;
  x.found = &found;
  x.plan = &plan;
  if((rc = hs_apply_with(st, &applied, with_run, &x, &run, &err)))
    goto out;
  pending = x.pending;
  fresh = x.fresh;
  hs_store_close(st);
  st = NULL;
  print_result(cli, &plan, &applied, &a, run, pending, fresh);
  if(o.on_queue && fresh)
    run_hook(cli, o.on_queue, db, run, pending, fresh);
  if(applied.counts[HS_ACT_CONFLICT])
    rc = hs_err_set(&err, HS_E_REFUSED,
                    "%zu conflict%s left untouched; resolve them (e.g. give "
                    "the stakeholders identifiers) and sync again",
                    applied.counts[HS_ACT_CONFLICT],
                    applied.counts[HS_ACT_CONFLICT] == 1 ? "" : "s");
  else if(pending)
    status = HS_EXIT_QUEUED;
out:
  /* A store this run was creating exists only once committed (store.c):
  ** a failure before leaves no file. */
  hs_store_close(st);
  hs_lock_release(lock);
  hs_plan_clear(&plan);
  hs_plan_clear(&applied);
  hs_queue_clear(&found);
  hs_queue_clear(&a.old);
  hs_registry_clear(&a.reg);
  free(a.watermark);
  free(a.digest);
  free(a.last_full);
  free(a.own_run);
  hs_config_free(cfg);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : status;
}
