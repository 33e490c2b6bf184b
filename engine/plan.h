/*
** hs_plan: what a sync would do, record by record, and hs_planner, which
** builds it while records stream in (only the plan and the registry
** index are kept, never the records).
**
** Per record: normalise -> "sync if" conditions -> mapping -> match ->
** diff. Actions: create, update (field by field, old -> new), unchanged,
** skipped (reason), conflict (reason; never applied), left (a synced
** stakeholder no longer returned, or filtered out; never deleted).
*/
#ifndef HS_PLAN_H
#define HS_PLAN_H

#include "config.h"
#include "err.h"
#include "host.h"
#include "normalise.h"
#include "stakeholder.h"

typedef enum hs_action {
  HS_ACT_CREATE = 0,
  HS_ACT_UPDATE,
  HS_ACT_UNCHANGED,
  HS_ACT_SKIPPED,
  HS_ACT_CONFLICT,
  HS_ACT_LEFT,
  HS_ACT_COUNT
} hs_action;

/* "create", "update", ...; hs_action_parse returns -1 for none. */
const char *hs_action_name(int a);
int hs_action_parse(const char *s);

typedef struct hs_change {
  int field;    /* hs_sf */
  char *before; /* NULL = unset */
  char *after;  /* NULL = cleared */
} hs_change;

typedef struct hs_plan_item {
  int action;         /* hs_action */
  long long sh_id;    /* the stakeholder; 0 for create, skipped, unmatched */
  char *hris_id;      /* the record's (or the left stakeholder's) */
  char *name;         /* for people reading the plan */
  char *reason;       /* skipped, conflict, left; NULL otherwise */
  hs_change *changes; /* create: every value set; update/left: diffs */
  size_t n_changes;
} hs_plan_item;

typedef struct hs_plan {
  hs_plan_item *items;
  size_t n, cap;
  size_t counts[HS_ACT_COUNT];
  char fingerprint[65]; /* of the registry the plan was computed against */
  char config_digest[65];
  char *connector;
  size_t records;  /* records planned (0 for a plan read from a file) */
  size_t registry; /* stakeholders in the registry planned against */
} hs_plan;

/* Appends a zeroed item; NULL on no memory. */
hs_plan_item *hs_plan_push(hs_plan *plan);

/* Appends a change (copies before and after); -1 on no memory. */
int hs_item_add_change(hs_plan_item *it, int field, const char *before,
                       const char *after);

/* Recounts plan->counts from the items. */
void hs_plan_count(hs_plan *plan);

void hs_plan_clear(hs_plan *plan);

typedef struct hs_planner hs_planner;

/* reg and cfg must outlive the planner. type tells the HR fields' types
** (for dates); it may be NULL when the connector lists none. */
hs_rc hs_planner_new(const hs_registry *reg, const hs_config *cfg,
                     hs_field_type_fn type, void *type_arg, hs_planner **out,
                     hs_err *err);

/* Plans one record. Only running out of memory is an error: a record
** that cannot be synced becomes a skipped or conflict item. */
hs_rc hs_planner_add(hs_planner *p, const hs_record *rec, hs_err *err);

/* Adds the left stakeholders, counts, and moves the plan to *out (free it
** with hs_plan_clear). */
hs_rc hs_planner_finish(hs_planner *p, hs_plan *out, hs_err *err);

void hs_planner_free(hs_planner *p);

#endif
