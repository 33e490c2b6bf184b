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
  int action;      /* hs_action */
  unsigned seq;    /* the planner's record number (0 elsewhere) */
  long long sh_id; /* the stakeholder; 0 for create, skipped, unmatched */
  char *hris_id;   /* the record's (or the left stakeholder's) */
  char *name;      /* for people reading the plan */
  char *reason;    /* skipped, conflict, left; NULL otherwise */
  /* create: every value set; update/left: diffs. Packed: read them with
  ** hs_item_changes, write them with hs_item_add_change. */
  unsigned char *packed;
  size_t n_changes;
  char *note;      /* for people: "leaving on 2027-01-31", "possible
                      duplicate of #3 ...", "name kept ..."; "; "-joined */
  hs_change *kept; /* values the registry keeps although the HR system
                      sent none (on_empty keep): before = kept value */
  unsigned n_kept;
  /* HS_ITEM_*: hris_id / name are not their own allocations but the
  ** values of the item's changes (a planned create), freed with them. */
  unsigned borrowed;
} hs_plan_item;

enum { HS_ITEM_HRIS_ID = 1, HS_ITEM_NAME = 2 };

/* A warning is data: a stable code per kind and a sentence. */
typedef struct hs_warning {
  char *code;    /* "withheld_field", "possible_duplicate", ... */
  char *message; /* one line */
} hs_warning;

typedef struct hs_plan {
  hs_plan_item *items;
  size_t n, cap;
  /* The planner's items: items[0..from_records) came from records, in
  ** record order; the rest are the synced stakeholders no record
  ** returned (left). */
  size_t from_records;
  /* Records found unchanged with nothing to show (no note, no kept
  ** value): counted, not kept as items, since nobody lists, applies or
  ** logs them. unlisted_ids are their stakeholders (unlisted of them). */
  size_t unlisted;
  long long *unlisted_ids;
  size_t counts[HS_ACT_COUNT];
  char fingerprint[65]; /* of the registry the plan was computed against */
  char config_digest[65];
  char *connector;
  size_t records;    /* records planned (0 for a plan read from a file) */
  size_t registry;   /* stakeholders in the registry planned against */
  size_t synced;     /* of those, the ones with an HRIS id */
  size_t hris_hits;  /* records that found a stakeholder by HRIS id */
  size_t left_known; /* left items already left after the last sync (not
                        news: the mass-change guard does not count them) */
  hs_warning *warnings;
  size_t n_warnings;
} hs_plan;

/* Adds a warning (copies both strings); -1 on no memory. */
int hs_plan_warn(hs_plan *plan, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Appends "; "-separated text to it->note; -1 on no memory. */
int hs_item_note(hs_plan_item *it, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The mass-change guard: how many of synced stakeholders a run may mark
** left (or clear one field on) before it is refused: share of synced,
** rounded down, but at least 1, so a single leaver never trips it. */
size_t hs_mass_limit(size_t synced, double share);

/* Refuses (HS_E_REFUSED, naming the count, the share and the override) a
** plan that reads an empty roster while the registry holds synced
** stakeholders, newly marks more than hs_mass_limit of them left
** (counts[LEFT] - left_known), or clears one field on more than that
** many. */
hs_rc hs_plan_check_mass(const hs_plan *plan, double share, hs_err *err);

/* Appends a zeroed item; NULL on no memory. */
hs_plan_item *hs_plan_push(hs_plan *plan);

/* The most changes an item holds: one per stakeholder field. */
#define HS_ITEM_MAX_CHANGES HS_SF_COUNT

/* Fills out (room for HS_ITEM_MAX_CHANGES) with it's changes, in order,
** and returns how many (it->n_changes). The strings are it's own: valid
** until it changes or is cleared. */
size_t hs_item_changes(const hs_plan_item *it, hs_change *out);

/* Appends a change (copies before and after); -1 on no memory or when
** the item has HS_ITEM_MAX_CHANGES already. */
int hs_item_add_change(hs_plan_item *it, int field, const char *before,
                       const char *after);

/* Recounts plan->counts from the items (and the unlisted unchanged). */
void hs_plan_count(hs_plan *plan);

void hs_plan_clear(hs_plan *plan);

typedef struct hs_planner hs_planner;

/* reg and cfg must outlive the planner. type tells the HR fields' types
** (for dates); it may be NULL when the connector lists none. */
hs_rc hs_planner_new(const hs_registry *reg, const hs_config *cfg,
                     hs_field_type_fn type, void *type_arg, hs_planner **out,
                     hs_err *err);

/* The registry fields a planner with cfg reads (need[f] = 1), so that
** the registry may be loaded with only those (hs_store_load_fields): the
** match keys and names, e-mail (near duplicates), type, groups, and the
** mapped fields (the only ones a record can change or keep). */
void hs_planner_registry_fields(const hs_config *cfg,
                                unsigned char need[HS_SF_COUNT]);

/* The same with reg's match indexes already built (hs_match_new, e.g. on
** another thread while the connector connected): the planner takes m,
** also when it fails. */
struct hs_matcher;
hs_rc hs_planner_new_matched(const hs_registry *reg, struct hs_matcher *m,
                             const hs_config *cfg, hs_field_type_fn type,
                             void *type_arg, hs_planner **out, hs_err *err);

/* Plans one record. Only running out of memory is an error: a record
** that cannot be synced becomes a skipped or conflict item. */
hs_rc hs_planner_add(hs_planner *p, const hs_record *rec, hs_err *err);

/* The plan so far (items of the records planned until now; an item may
** still change with a later record). Valid until the next call. */
const hs_plan *hs_planner_plan(const hs_planner *p);

/* Adds the left stakeholders, counts, and moves the plan to *out (free it
** with hs_plan_clear). */
hs_rc hs_planner_finish(hs_planner *p, hs_plan *out, hs_err *err);

void hs_planner_free(hs_planner *p);

/* Why the connector withheld an HR field this run (SDK 1.2
** field_withheld), or NULL when it did not say. */
typedef const char *(*hs_withheld_fn)(void *arg, const char *field_id);

/* Fail closed (call after the last record, before finish): refuses
** (HS_E_REFUSED) when a condition or group rule tests an HR field that
** the connector says it withheld, or that no record carried a value for,
** unless the config allows that field to be empty. withheld may be NULL.
** Mapped fields in the same state only warn (their values are kept). */
hs_rc hs_planner_check_withheld(hs_planner *p, hs_withheld_fn withheld,
                                void *arg, hs_err *err);

/* Re-keying after a changed mapping.hris_id (`sync --remap-hris-id`):
** records find their stakeholder by the value of old_field (the HR field
** that was the HRIS id before), and their new HRIS id is written. The
** string must outlive the planner. */
void hs_planner_remap(hs_planner *p, const char *old_field);

/* The fetch was incremental (SDK 1.3 changed_only): its few records say
** nothing about which fields the HR system withholds, so only what the
** connector declares withheld counts in hs_planner_check_withheld. */
void hs_planner_changed_only(hs_planner *p);

#endif
