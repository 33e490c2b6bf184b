/*
** hs_transfer: the registry as CSV, for bulk edits (e.g. giving
** stakeholders made by hand their identifiers before a first sync).
**
** Columns: id, then every stakeholder field (groups joined by ";"). On
** import, a row with an id updates the cells that differ; a row without
** one creates a stakeholder. One transaction: any bad row gives a one-line
** error naming line and column, and nothing is written.
*/
#ifndef HS_TRANSFER_H
#define HS_TRANSFER_H

#include "err.h"
#include "store.h"

/* Writes the registry (st may be NULL: header only) to path. */
hs_rc hs_export_csv(hs_store *st, const char *path, hs_err *err);

typedef struct hs_import_stats {
  size_t created, updated, unchanged;
  long long run; /* the import's run in the history */
} hs_import_stats;

/* Reads path and applies it to the store at db_path (created when
** missing, and removed again if the import fails). */
hs_rc hs_import_csv(const char *db_path, const char *path,
                    hs_import_stats *stats, hs_err *err);

#endif
