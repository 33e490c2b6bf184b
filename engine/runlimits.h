/*
** hs_limits: how much the engine accepts from an HR system or a plugin
** in one run. The config's "limits" object sets them (docs/user-guide.md);
** a member left at 0 takes its default. A value over its limit is never
** cut: the record is skipped with a reason naming the field; a run over
** its record or page limit fails with a one-line error.
*/
#ifndef HS_RUNLIMITS_H
#define HS_RUNLIMITS_H

#include <stddef.h>

/* One field value: 64 KiB. */
#define HS_LIMIT_FIELD_BYTES (64UL * 1024)
/* One field id or HRIS id (not configurable: no HR system comes near). */
#define HS_LIMIT_ID_BYTES 4096UL
/* One HTTP response body, and one record in all: 256 MiB. */
#define HS_LIMIT_BODY_BYTES (256UL * 1024 * 1024)
/* Records in one run: far past any company that keeps a cap table. */
#define HS_LIMIT_RECORDS 1000000UL
/* Pages in one run (next_page calls). */
#define HS_LIMIT_PAGES 100000UL

typedef struct hs_limits {
  size_t field_bytes;    /* "field_bytes" */
  size_t body_bytes;     /* "response_bytes" */
  unsigned long records; /* "records_per_run" */
  unsigned long pages;   /* "pages_per_run" */
  /* Requests (issue 16): http_many's requests in flight ("concurrency",
  ** 0 = 4), the longest Retry-After waited for ("retry_wait_seconds",
  ** 0 = 120), and the pace ("requests_per_minute": rate_set 0 = the
  ** connector's declared limit; else requests_per_minute, 0 = none). */
  unsigned long concurrency;
  unsigned long retry_wait_s;
  int rate_set;
  unsigned long requests_per_minute;
} hs_limits;

#endif
