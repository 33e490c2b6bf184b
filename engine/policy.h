/*
** hs_policy: what `sync --auto` may apply unattended, from the config's
** "policy" object (docs/user-guide.md "Unattended sync"):
**
**   "policy": {"create": "review", "left": "review",
**              "fields": {"email": "auto", "city": "review"},
**              "full_sync_days": 7}
**
** Each stakeholder field is auto (applied) or review (queued for a
** person). Defaults follow what a cap-table admin must see before it
** lands: names, email, birth date and the HRIS id are review, the rest
** auto; creates and left transitions (terminations) are review.
*/
#ifndef HS_POLICY_H
#define HS_POLICY_H

#include "err.h"
#include "stakeholder.h"

struct json_object;

typedef struct hs_policy {
  unsigned char review[HS_SF_COUNT]; /* 1 = queue changes of this field */
  int create_review;                 /* new stakeholders wait for review */
  int left_review;                   /* terminations wait for review */
  int full_sync_days; /* incremental fetches: a full one at least this
                         often (days; 0 = always full) */
} hs_policy;

/* The defaults above. */
void hs_policy_defaults(hs_policy *p);

/* Parses the config's "policy" object over the defaults already in p.
** Errors are HS_E_CONFIG naming the key: "policy.fields.mail: unknown
** stakeholder field". */
hs_rc hs_policy_parse(struct json_object *obj, hs_policy *p, hs_err *err);

#endif
