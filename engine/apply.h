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

#endif
