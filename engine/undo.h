/*
** hs_undo: reverts one run of the history in one transaction, as a run of
** its own (kind "undo"). Refused when a stakeholder the run touched
** changed since (a later run wrote it, or its values are no longer what
** the run left): the caller gets the list.
*/
#ifndef HS_UNDO_H
#define HS_UNDO_H

#include "buf.h"
#include "err.h"
#include "store.h"

typedef struct hs_undo_result {
  long long run;   /* the undo's own run */
  size_t restored; /* stakeholders given their before-values back */
  size_t removed;  /* created by the run, now removed */
  size_t kept;     /* created by the run, kept: something references them */
  size_t added;    /* removed by the run (an undo), put back */
} hs_undo_result;

/* Undoes run id of st (opened for writing). HS_E_USAGE when there is no
** such run; HS_E_REFUSED when stakeholders changed since, with one line
** per stakeholder in *why (at most 50, then a count); the store is then
** untouched. */
hs_rc hs_undo(hs_store *st, long long id, hs_undo_result *res, hs_buf *why,
              hs_err *err);

#endif
