/*
** hs_norm: record values made comparable before any other stage looks at
** them. Values are trimmed; empty-like values ("", null, BambooHR's
** "0000-00-00") become absent; date fields become ISO YYYY-MM-DD whatever
** shape the HR system sent.
*/
#ifndef HS_NORMALISE_H
#define HS_NORMALISE_H

#include <stddef.h>

typedef enum hs_norm_result {
  HS_NORM_ABSENT = 0,   /* empty-like: treat as "no value" */
  HS_NORM_VALUE = 1,    /* *out holds the normalised value */
  HS_NORM_BAD_DATE = 2, /* a date field whose value is not a date */
  HS_NORM_NOMEM = 3
} hs_norm_result;

/* Parses the date shapes the HR systems send into iso[11]:
**   YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS[.fff...]][Z|+HH:MM|-HHMM]
**   (a space instead of T is accepted too).
** A timestamp stands for a local midnight written in some offset (Personio
** sends 2014-11-08T23:00:00.000Z for 2014-11-09), so its wall-clock time
** as written is rounded to the nearest midnight; 12:00 rounds up. Returns
** 0, or -1 when s is not one of those shapes, not a calendar date (leap
** years included) or outside the allowed years (1900-2200 by default). */
int hs_norm_date(const char *s, char iso[11]);

/* The default range of years a date may have, and the setter for the
** config's "date_years" (process-wide: one config per run). */
#define HS_NORM_YEAR_MIN 1900
#define HS_NORM_YEAR_MAX 2200
void hs_norm_set_years(int lo, int hi);

/* Today's UTC date as ISO; HRSYNC_TODAY=YYYY-MM-DD pins it (tests, and
** re-running a plan as of a given day). */
void hs_norm_today(char iso[11]);

/* A relative date, "today", "today-30d", "today+2w", "today+1m",
** "today-1y" (a month or year step clamps to the month's last day),
** computed from today (ISO) into iso. Returns 0, 1 when s is not a
** relative date at all, -1 when it starts "today" but is malformed. */
int hs_norm_relative_date(const char *s, const char *today, char iso[11]);

/* True when s (already trimmed) is empty-like. */
int hs_norm_is_empty(const char *s);

/* Normalises one value. in may be NULL (sent empty). is_date: the field's
** type is date. On HS_NORM_VALUE, *out is malloc'd (the caller frees it). */
hs_norm_result hs_norm_value(const char *in, int is_date, char **out);

/* ---- whole records ---- */

#include "buf.h"
#include "err.h"
#include "host.h"

/* The type (hrsync_field_type) of HR field id, or -1 when unknown. */
typedef int (*hs_field_type_fn)(void *arg, const char *id);

typedef struct hs_nfield {
  const char *id; /* borrowed from the record */
  char *value;    /* normalised, owned; NULL = absent */
} hs_nfield;

/* A record after normalisation. Lives as long as the source record. */
typedef struct hs_nrec {
  const char *hris_id;
  hs_nfield *fields;
  size_t n;
} hs_nrec;

/* Normalises every field of rec into out (free with hs_nrec_clear). When
** a date field holds no date, out is still filled and *skip gets the
** reason: `field dateOfBirth: unparseable date "31/12/1990"`. Only running
** out of memory is an error. */
hs_rc hs_norm_record(const hs_record *rec, hs_field_type_fn type, void *arg,
                     hs_nrec *out, hs_buf *skip, hs_err *err);

/* The normalised value of field id (NULL = absent or not sent); *present
** (may be NULL) says whether the record carried the field at all. */
const char *hs_nrec_get(const hs_nrec *r, const char *id, int *present);

void hs_nrec_clear(hs_nrec *r);
#endif
