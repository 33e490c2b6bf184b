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

#endif
