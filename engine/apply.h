/*
** hs_apply: writes a plan to the store in one transaction, with its run
** log. All or nothing: BEGIN IMMEDIATE, check the registry is still the
** one the plan was computed against (same fingerprint), write, log,
** COMMIT; any error rolls everything back.
*/
#ifndef HS_APPLY_H
#define HS_APPLY_H

#include "err.h"
#include "plan.h"
#include "runlog.h"
#include "store.h"

/* Applies plan. Conflicts and skipped items are logged, not written.
** HS_E_REFUSED when the registry changed since the plan was made. *run_id
** is the new run. */
hs_rc hs_apply(hs_store *st, const hs_plan *plan, long long *run_id,
               hs_err *err);

/* Work that must land with the run or not at all: its warnings, the
** store's own facts (which HR field fed the HRIS ids, who is left), the
** review queue. Called inside the run's transaction, after the plan's
** writes, with the new run's id; a non-OK return rolls everything back. */
typedef hs_rc (*hs_apply_fn)(void *arg, hs_store *st, long long run_id,
                             hs_err *err);

/* hs_apply, then fn(arg, ...) in the same transaction (fn may be NULL). */
hs_rc hs_apply_with(hs_store *st, const hs_plan *plan, hs_apply_fn fn,
                    void *arg, long long *run_id, hs_err *err);

/* The run a plan is applied as (kind, source, digest, fingerprint; the
** strings are plan's). */
void hs_apply_run_info(const hs_plan *plan, hs_run_info *info);

/* Streaming apply (`sync --yes`): a plan's writes made on a thread of
** their own while the plan is still being made, in the run's one
** transaction, so a first sync's rows are written during the fetch
** instead of after it. The transaction commits only in
** hs_apply_stream_finish, after every guard passed: a refused run is
** rolled back and leaves the store as it was. An item already written
** that the planner changed afterwards (a later record sharing its HRIS
** id makes it a conflict) is found at the finish: then everything is
** rolled back and the plan applied from the start, as hs_apply_with
** would, so the store ends exactly as it would have. */
typedef struct hs_apply_stream hs_apply_stream;

/* Opens the run on st (as hs_apply_with: BEGIN IMMEDIATE, not waiting
** for another program's lock, the registry checked against
** info->fingerprint, the run row) and starts the writer.
** st is the caller's, and must not be touched until finish or abort. */
hs_rc hs_apply_stream_start(hs_store *st, const hs_run_info *info,
                            hs_apply_stream **out, hs_err *err);

/* Hands the writer the items of so_far (the plan being made) it has not
** had yet; blocks while the writer is a few batches behind (memory stays
** bounded). Call after each record is planned. Never fails: a stream that
** cannot go on (no memory) is redone at the finish. */
void hs_apply_stream_feed(hs_apply_stream *w, const hs_plan *so_far);

/* The plan is whole and approved: the items written are checked against
** it, the rest written, then fn and COMMIT, as hs_apply_with (which it
** falls back to when the check or a write failed). Frees w. */
hs_rc hs_apply_stream_finish(hs_apply_stream *w, const hs_plan *plan,
                             hs_apply_fn fn, void *arg, long long *run_id,
                             hs_err *err);

/* Stops the writer and rolls its writes back; frees w (NULL is fine). */
void hs_apply_stream_abort(hs_apply_stream *w);

#endif
