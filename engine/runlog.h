/*
** hs_runlog: the registry's one history. Every change to the registry
** (sync, import, link/unlink, undo) is a run: its kind, time, source
** (connector or file), config digest, counts, and one row per stakeholder
** it touched with that stakeholder's field changes as one JSON object
** (created or deleted: {"field": value, ...}; otherwise {"field": [before,
** after], ...}). A sync with nothing to apply is a run with no changes.
** Written inside the caller's own transaction, so a run is logged exactly
** when it was applied.
**
** Writing: hs_runlog_begin, hs_runlog_item per stakeholder, hs_runlog_end;
** the writer keeps one prepared INSERT and one JSON buffer for the whole
** run (no allocation per row once warm).
*/
#ifndef HS_RUNLOG_H
#define HS_RUNLOG_H

#include "err.h"
#include "plan.h"
#include "store.h"

/* Kinds of run, as stored and shown by `hrsync runs`. */
#define HS_RUN_SYNC   "sync"
#define HS_RUN_IMPORT "import"
#define HS_RUN_LINK   "link"
#define HS_RUN_UNLINK "unlink"
#define HS_RUN_UNDO   "undo"
#define HS_RUN_REVIEW "review" /* `hrsync review approve|reject` */

/* Item actions beyond the plan's (hs_action_name): a stakeholder removed
** (by an undo of its creation), and a link change. */
#define HS_RUN_ACT_DELETE "delete"

typedef struct hs_run {
  long long id;
  char *kind;       /* HS_RUN_* */
  char *started_at; /* UTC, ISO 8601 */
  char *finished_at;
  char *connector; /* the source: connector name, import file, ... */
  char *config_digest;
  long long counts[HS_ACT_COUNT];
  long long deleted; /* stakeholders removed (undo of a create) */
  long long undoes;  /* undo: the run it reverted; else 0 */
} hs_run;

typedef struct hs_run_change {
  long long sh_id;
  char *hris_id, *name, *action, *field, *before, *after, *reason;
} hs_run_change;

typedef struct hs_run_info {
  const char *kind;          /* HS_RUN_* */
  const char *source;        /* connector or file; NULL = "" */
  const char *config_digest; /* NULL when none */
  const char *fingerprint;   /* the registry planned against; may be NULL */
  long long undoes;          /* HS_RUN_UNDO: the run reverted */
} hs_run_info;

typedef struct hs_runlog hs_runlog;

/* Adds the run row (inside an open transaction). Free *out with
** hs_runlog_end or, on failure, hs_runlog_free. */
hs_rc hs_runlog_begin(hs_store *st, const hs_run_info *info, hs_runlog **out,
                      hs_err *err);

long long hs_runlog_id(const hs_runlog *rl);

/* One stakeholder's entry: action (hs_action_name or HS_RUN_ACT_DELETE),
** the stakeholder (0: none, e.g. a conflict), hris_id, name and reason
** (each may be NULL), and its n changes: for "create" and "delete" the
** values (c[i].after, resp. c[i].before), otherwise before -> after. */
hs_rc hs_runlog_item(hs_runlog *rl, const char *action, long long sh_id,
                     const char *hris_id, const char *name, const char *reason,
                     const hs_change *c, size_t n, hs_err *err);

/* A plan item as applied (sh_id: the stakeholder written). */
hs_rc hs_runlog_plan_item(hs_runlog *rl, const hs_plan_item *it,
                          long long sh_id, hs_err *err);

/* Stamps the counts and the finish time and frees rl (also on error). */
hs_rc hs_runlog_end(hs_runlog *rl, const size_t counts[HS_ACT_COUNT],
                    size_t deleted, hs_err *err);

void hs_runlog_free(hs_runlog *rl);

/* Logs one of the plan's warnings with run run_id (inside a transaction):
** a run_items row with action "warning", name = the code, reason = the
** message, so `runs show` keeps what the operator was told. */
hs_rc hs_runlog_warning(hs_store *st, long long run_id, const char *code,
                        const char *message, hs_err *err);

/* Every run, newest first. st may be NULL (no runs). Free with
** hs_runs_free. */
hs_rc hs_runlog_list(hs_store *st, hs_run **runs, size_t *n, hs_err *err);

/* One run and its changes, one per field (an item without changes is one
** entry with field NULL), in the order written. HS_E_USAGE when there is
** no run id. Free with hs_run_clear and hs_run_changes_free. */
hs_rc hs_runlog_get(hs_store *st, long long id, hs_run *run,
                    hs_run_change **changes, size_t *n, hs_err *err);

void hs_run_clear(hs_run *r);
void hs_runs_free(hs_run *runs, size_t n);
void hs_run_changes_free(hs_run_change *c, size_t n);

#endif
