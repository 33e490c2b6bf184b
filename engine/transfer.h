/*
** hs_transfer: the registry as a spreadsheet (CSV or XLSX), for bulk
** edits by people (e.g. giving stakeholders made by hand their
** identifiers before a first sync).
**
** Columns: id, then every stakeholder field (groups joined by ";"). On
** import, a row with an id updates the cells that differ (an empty cell
** clears the value, a column left out keeps it); a row without one
** creates a stakeholder. Everything is checked before anything is
** written: every bad row and cell is reported at once, and one bad cell
** means nothing is written.
*/
#ifndef HS_TRANSFER_H
#define HS_TRANSFER_H

#include "buf.h"
#include "csv.h"
#include "err.h"
#include "plan.h"
#include "store.h"

/* ---- export ---- */

typedef struct hs_export_opts {
  const char *group; /* only the stakeholders of this group; NULL = all */
  int force;         /* replace an existing file */
} hs_export_opts;

/* Keeps only the stakeholders in group (exact name) in reg. */
void hs_registry_keep_group(hs_registry *reg, const char *group);

/* The registry (st may be NULL: header only) as CSV text in out. */
hs_rc hs_export_csv_text(hs_store *st, const hs_export_opts *o, hs_buf *out,
                         size_t *count, hs_err *err);

/* Writes the registry to path, XLSX or CSV as it ends in ".xlsx" or
** ".csv" (anything else is HS_E_USAGE);
** private (0600) and complete before it appears. An existing file is
** refused (HS_E_USAGE) unless o->force. *count: stakeholders written. */
hs_rc hs_export_file(hs_store *st, const char *path, const hs_export_opts *o,
                     size_t *count, hs_err *err);

/* ---- import ---- */

typedef struct hs_import_opts {
  const char *encoding; /* a CSV's encoding (iconv name); NULL = UTF-8 */
  const char *sheet;    /* an XLSX sheet's name; NULL = the first */
  int dry_run;          /* plan only: nothing is written */
} hs_import_opts;

#define HS_IMPORT_PROBLEMS_MAX 50

/* What is wrong with a file, one line each ("people.csv: line 3, column
** email: ..."): the first HS_IMPORT_PROBLEMS_MAX, and how many in all. */
typedef struct hs_problems {
  char *msg[HS_IMPORT_PROBLEMS_MAX];
  size_t n, total;
} hs_problems;

void hs_problems_clear(hs_problems *p);

/* Reads path as a table: XLSX by its content (a zip), else CSV (UTF-8
** checked, or converted from o->encoding). Free with hs_csv_free. */
hs_rc hs_import_read(const char *path, const hs_import_opts *o, hs_csv *out,
                     hs_err *err);

/* Checks every row of table (trimmed in place) against reg and, when
** nothing is wrong,
** builds the plan of the import in *plan (create / update / unchanged;
** free with hs_plan_clear). unit names rows in messages ("line", "row").
** Problems go to probs; only running out of memory is an error. */
hs_rc hs_import_check(hs_csv *table, const hs_registry *reg, const char *path,
                      const char *unit, hs_plan *plan, hs_problems *probs,
                      hs_err *err);

/* The whole import: reads path, checks it against the store at db_path,
** and (unless o->dry_run) applies the plan in one transaction. A file
** with problems gives HS_E_PARSE ("people.csv: 3 problems; nothing
** imported") with the list in probs, and the store as it was (a missing
** one is not created). *plan is what was (or would be) done. Unless a dry
** run, the caller holds the store's write lock (hs_lock_acquire). */
hs_rc hs_import(const char *db_path, const char *path, const hs_import_opts *o,
                hs_plan *plan, hs_problems *probs, hs_err *err);

#endif
