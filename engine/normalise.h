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
** type is date. On HS_NORM_VALUE, *out is malloc'd (the caller frees it).
** (hs_norm_record does the same without allocating.) */
hs_norm_result hs_norm_value(const char *in, int is_date, char **out);

/* ---- whole records ---- */

#include "buf.h"
#include "err.h"
#include "host.h"

/* The type (hrsync_field_type) of HR field id, or -1 when unknown. */
typedef int (*hs_field_type_fn)(void *arg, const char *id);

/* What one HR field id means to hs_norm_record, packed in an int so that
** a per-run cache (idcache.h) can keep it: the slot + 1 its value goes to
** (HS_NF_SLOT; 0 = the config does not use the field), HS_NF_DATE when
** the field holds dates, HS_NF_RAW when its value is kept as sent (the
** reserved skip reason). A field without a slot costs nothing unless it
** holds dates: a date no date parser reads still skips the record, as
** for a used field. */
#define HS_NF_DATE    (1 << 24)
#define HS_NF_RAW     (1 << 25)
#define HS_NF_SLOT(x) ((x)&0xFFFFFF)
typedef int (*hs_norm_field_fn)(void *arg, const hs_record_field *f);

/* A record after normalisation, one value per slot; made once per run
** (hs_nrec_init) and refilled per record without allocating, except
** for values that must be trimmed at the end (kept in text). */
typedef struct hs_nrec {
  const char *hris_id;
  const char **value;     /* per slot: normalised, NULL = absent */
  unsigned char *present; /* per slot: the record carried the field */
  size_t n;               /* slots */
  char (*iso)[11];        /* per slot: room for a date made ISO */
  size_t *text_off;       /* per slot: 1 + offset in text, 0 = none */
  hs_buf text;            /* trimmed copies, NUL-separated */
} hs_nrec;

/* Makes out with n slots (free it with hs_nrec_free). */
hs_rc hs_nrec_init(hs_nrec *out, size_t n, hs_err *err);
void hs_nrec_free(hs_nrec *r);

/* Normalises rec into out: every slot is cleared, then each field with a
** slot (field(arg, f)) fills its own; the first of two fields sharing a
** slot wins. Values point into rec or into out, valid until the next
** call. When a date field holds no date, *skip (if still empty) gets the
** reason: `field dateOfBirth: unparseable date "31/12/1990"`. Only
** running out of memory is an error. */
hs_rc hs_norm_record(const hs_record *rec, hs_norm_field_fn field, void *arg,
                     hs_nrec *out, hs_buf *skip, hs_err *err);

/* The value in slot (NULL = absent or not sent); *present (may be NULL)
** says whether the record carried the field at all. (Inline: the record
** path asks it for every mapped field of every record.) */
static inline const char *hs_nrec_get(const hs_nrec *r, size_t slot,
                                      int *present)
{
  int here = slot < r->n && r->present[slot];
  if(present)
    *present = here;
  return here ? r->value[slot] : NULL;
}
#endif
