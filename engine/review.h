/*
** hs_review: the review queue of unattended syncs (issue 13).
**
** `sync --auto` splits its plan with the config's policy (policy.h):
** what the policy allows is applied, the rest becomes queue items, one
** per stakeholder and field (a create or a termination is one item for
** the whole stakeholder). The queue lives in the store (table
** review_queue) and is derived state: every run recomputes what it
** would hold and hs_review_store reconciles the table with it, so an
** item is never duplicated, follows the HR value, and disappears once
** the HR system no longer asks for it. A rejected item stays as a
** rejected row holding the value that was rejected: that value is not
** queued again, a different one is.
*/
#ifndef HS_REVIEW_H
#define HS_REVIEW_H

#include "err.h"
#include "plan.h"
#include "policy.h"
#include "store.h"

typedef enum hs_rq_kind {
  HS_RQ_CREATE = 0,
  HS_RQ_UPDATE,
  HS_RQ_TERMINATION,
  HS_RQ_COUNT
} hs_rq_kind;

/* "create", "update", "termination". */
const char *hs_rq_kind_name(int k);

typedef struct hs_rq_item {
  long long id; /* 0 until stored */
  int kind;     /* hs_rq_kind */
  char *hris_id;
  long long sh_id; /* the stakeholder (0 for a create) */
  char *name;
  int field;        /* update: the hs_sf; else -1 */
  char *hr_value;   /* update: the HR value; termination: the date or NULL */
  char *reg_value;  /* update: the registry's value when queued */
  char *changes;    /* create, termination: what approving writes, as JSON
                       [[field, before, after], ...]; update: NULL */
  char *reason;     /* termination: why the plan said left */
  long long run_id; /* the run that found it (or its current value) */
  char first_seen[11]; /* YYYY-MM-DD (UTC) */
  int status;          /* HS_RQ_PENDING, HS_RQ_REJECTED, HS_RQ_DONE */
} hs_rq_item;

/* A rejected item keeps its value so it is not asked again; a done one
** is a termination without changes (a person no longer returned) that
** was completed: the same question is not asked again either. */
enum { HS_RQ_PENDING = 0, HS_RQ_REJECTED, HS_RQ_DONE };

typedef struct hs_queue {
  hs_rq_item *items;
  size_t n, cap;
} hs_queue;

void hs_queue_clear(hs_queue *q);

/* Reads the queue (pending items; with_rejected: rejected and done ones
** too), in id order. st may be NULL (no store: empty). */
hs_rc hs_review_load(hs_store *st, int with_rejected, hs_queue *q,
                     hs_err *err);

/* Splits plan with pol. *apply gets what may be applied unattended (a new
** plan; free it with hs_plan_clear), *found every queue item the plan
** asks for. An item whose value old holds as rejected (or done) is
** neither applied nor pending: it is carried in *found as it was. A left
** item without changes is queued only when no record claimed the
** stakeholder (a filtered-out one without changes is already recorded
** as left). only_records: plan
** items past the plan's records (the "no longer returned" lefts, which an
** incremental fetch cannot tell) are left out. */
hs_rc hs_review_split(const hs_plan *plan, const hs_policy *pol,
                      const hs_queue *old, int only_records, hs_plan *apply,
                      hs_queue *found, hs_err *err);

/* Reconciles the table with found, inside the caller's transaction:
** new items are inserted (run_id = run, first seen today), items whose
** value changed are updated and pending again, the rest keep their date;
** stored items not in found are dropped: all of them, or with scope,
** only those of stakeholders the plan carried a record for (an
** incremental fetch says nothing of the others). *pending: pending items
** after; *fresh: those new or changed in this run. */
hs_rc hs_review_store(hs_store *st, long long run, const hs_queue *found,
                      const hs_plan *scope, size_t *pending, size_t *fresh,
                      hs_err *err);

/* After a decision on pending item id (inside a transaction): approved
** items are deleted, but a termination without changes stays as done;
** rejected ones stay as rejected. */
hs_rc hs_review_approved(hs_store *st, const hs_rq_item *q, hs_err *err);
hs_rc hs_review_reject(hs_store *st, long long id, hs_err *err);

/* The changes JSON of a create or termination item as hs_change values
** appended to it (hs_item_add_change). HS_E_PARSE when malformed. */
hs_rc hs_review_changes(const hs_rq_item *q, hs_plan_item *it, hs_err *err);

#endif
