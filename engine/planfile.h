/*
** hs_planfile: a plan as JSON, for `--json` output and for `preview
** --plan FILE` / `sync --plan FILE`.
**
**   {"summary": {"create": N, ...},
**    "changes": [{"action", "hris_id", "stakeholder_id", "name",
**                 "reason", "fields": {"email": {"before", "after"}}}],
**    "plan": {"version": 1, "fingerprint", "config_digest", "connector"}}
**
** "changes" holds every item but the unchanged ones; "plan" only in
** saved files. The fingerprint lets `sync --plan` refuse a plan made
** against a registry that has changed since.
*/
#ifndef HS_PLANFILE_H
#define HS_PLANFILE_H

#include "buf.h"
#include "err.h"
#include "plan.h"

/* Appends the JSON of plan to out: "summary", "warnings" (a list of
** {"code", "message"}), "changes". with_meta: 1 adds the "plan" member
** (fingerprint, counts of records and synced stakeholders); 2 leaves out
** "changes" (`sync --summary`). */
hs_rc hs_plan_to_json(const hs_plan *plan, int with_meta, hs_buf *out,
                      hs_err *err);

/* Writes plan to path (private: it holds personal data), replacing it
** only once the new file is complete. */
hs_rc hs_planfile_save(const hs_plan *plan, const char *path, hs_err *err);

/* Reads a saved plan into *out (free with hs_plan_clear). Errors name the
** file and what is wrong with it. */
hs_rc hs_planfile_load(const char *path, hs_plan *out, hs_err *err);

#endif
