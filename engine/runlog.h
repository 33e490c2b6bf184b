/*
** hs_runlog: the sync history in the store. Each applied sync is a run
** (time, connector, config digest, counts) with its stakeholder changes
** field by field (before -> after). Written inside the sync's own
** transaction, so a run is logged exactly when it was applied.
*/
#ifndef HS_RUNLOG_H
#define HS_RUNLOG_H

#include "err.h"
#include "plan.h"
#include "store.h"

typedef struct hs_run {
  long long id;
  char *started_at; /* UTC, ISO 8601 */
  char *finished_at;
  char *connector;
  char *config_digest;
  long long counts[HS_ACT_COUNT];
} hs_run;

typedef struct hs_run_change {
  long long sh_id;
  char *hris_id, *name, *action, *field, *before, *after, *reason;
} hs_run_change;

/* Adds the run row for plan (inside an open transaction); *id is the new
** run's id. */
hs_rc hs_runlog_start(hs_store *st, const hs_plan *plan, long long *id,
                      hs_err *err);

/* Logs one change of an item (c NULL: the item itself, e.g. a left or a
** conflict with its reason). sh_id: the stakeholder written. */
hs_rc hs_runlog_change(hs_store *st, long long run_id, const hs_plan_item *it,
                       long long sh_id, const hs_change *c, hs_err *err);

/* Logs one of the plan's warnings with the run (a run_changes row with
** action "warning", name = the code, reason = the message), so `runs
** show` keeps what the operator was told. */
hs_rc hs_runlog_warning(hs_store *st, long long run_id, const char *code,
                        const char *message, hs_err *err);

/* Stamps the run's finish time. */
hs_rc hs_runlog_finish(hs_store *st, long long run_id, hs_err *err);

/* Every run, newest first. st may be NULL (no runs). Free with
** hs_runs_free. */
hs_rc hs_runlog_list(hs_store *st, hs_run **runs, size_t *n, hs_err *err);

/* One run and its changes. HS_E_USAGE when there is no run id. Free with
** hs_run_clear and hs_run_changes_free. */
hs_rc hs_runlog_get(hs_store *st, long long id, hs_run *run,
                    hs_run_change **changes, size_t *n, hs_err *err);

void hs_run_clear(hs_run *r);
void hs_runs_free(hs_run *runs, size_t n);
void hs_run_changes_free(hs_run_change *c, size_t n);

#endif
