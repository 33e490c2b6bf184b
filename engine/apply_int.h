/*
** What apply.c and apply_stream.c share: a run's transaction opened,
** one item written, the run closed. Not for other callers (apply.h).
*/
#ifndef HS_APPLY_INT_H
#define HS_APPLY_INT_H

#include "apply.h"
#include "runlog.h"

/* BEGIN IMMEDIATE (nowait: hs_store_begin_nowait), the registry checked
** against info->fingerprint (else HS_E_REFUSED), the run row added: *rl.
** On failure nothing is open. */
hs_rc hs_apply_open(hs_store *st, const hs_run_info *info, int nowait,
                    hs_runlog **rl, hs_err *err);

/* One plan item written and logged; the error names the item. On
** failure the caller rolls back. */
hs_rc hs_apply_one(hs_store *st, hs_runlog *rl, const hs_plan_item *it,
                   hs_err *err);

/* Stamps plan's counts on the run (frees rl), then fn, then COMMIT; on
** failure everything is rolled back. */
hs_rc hs_apply_close(hs_store *st, hs_runlog *rl, const hs_plan *plan,
                     hs_apply_fn fn, void *arg, hs_err *err);

#endif
