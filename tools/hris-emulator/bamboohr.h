/* BambooHR internals shared by its route file and its report renderers. */
#ifndef EMU_BAMBOOHR_H
#define EMU_BAMBOOHR_H

#include "emu.h"

/* A resolved report column: which catalogue field, and the key the caller
 * used for it (alias, numeric id or "4340.4"-style id). */
typedef struct bhr_col {
  int field;       /* index into the catalogue, or -1 - custom index */
  const char *key; /* borrowed from the request */
  int withheld;    /* a withhold fault: the key's user may not see it */
} bhr_col;

/* Looks a requested field token up; returns 0 and fills col (withheld
 * set when a withhold fault hides it), or -1 when this tenant has no such
 * field. */
int bhr_lookup(const emu_req *req, const char *token, bhr_col *col);
/* bhr_lookup, but a withheld field is -1 too (dropped silently). */
int bhr_resolve(const emu_req *req, const char *token, bhr_col *col);
/* Whether col is a report-only field (valid in reports, not in
 * /v1/meta/fields nor in the single-employee and directory answers). */
int bhr_report_only(const bhr_col *col);
/* Metadata of a resolved column for reports. */
void bhr_col_meta(const emu_req *req, const bhr_col *col, const char **type,
                  const char **name);
/* The string value of a column for p (NULL = JSON null). `tmp` holds
 * derived strings. `empty_date` is what an unknown date renders as. */
const char *bhr_value(const emu_req *req, const bhr_col *col,
                      const emu_person *p, char tmp[64],
                      const char *empty_date);
/* Whether the legacy endpoints answer JSON: only when Accept asks for
 * application/json; XML otherwise. */
int bhr_wants_json(const emu_req *req);
/* GET /v1/meta/fields: the bare array. */
void bhr_meta_fields(emu_req *req, emu_resp *resp);
/* POST /v1/reports/custom. */
void bhr_report(emu_req *req, emu_resp *resp);
/* POST /v2/datasets/employee/data: the dataset's own field names. */
void bhr_dataset(emu_req *req, emu_resp *resp);
/* GET /v1_2/datasets/employee/fields (and /v1/...): the dataset's names. */
void bhr_dataset_fields(emu_req *req, emu_resp *resp);
/* Legacy error: empty body, message in X-BambooHR-Error-Message. */
void bhr_error(emu_req *req, emu_resp *resp, unsigned status, const char *msg);

#endif
