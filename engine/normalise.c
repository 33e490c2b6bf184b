/*
** Value normalisation: trimming, empty-likes and the date shapes.
*/
#include "normalise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Outside this range a date is a typo or a placeholder (issue 15): 1900
** to 2200 unless the config says otherwise (hs_norm_set_years). */
static int year_min = HS_NORM_YEAR_MIN, year_max = HS_NORM_YEAR_MAX;

void hs_norm_set_years(int lo, int hi)
{
  year_min = lo;
  year_max = hi;
}

static int is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

static int is_digit(char c)
{
  return c >= '0' && c <= '9';
}

/* Reads exactly n digits at *p; -1 if they are not there. */
static int digits(const char **p, int n)
{
  int v = 0, i;
  for(i = 0; i < n; i++) {
    if(!is_digit((*p)[i]))
      return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  return v;
}

static int days_in_month(int y, int m)
{
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if(m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 29;
  return dm[m - 1];
}

int hs_norm_date(const char *s, char iso[11])
{
  const char *p = s;
  int y, m, d, hh = 0, mi = 0, sec = 0;
  if((y = digits(&p, 4)) < 0 || *p++ != '-' || (m = digits(&p, 2)) < 0 ||
     *p++ != '-' || (d = digits(&p, 2)) < 0)
    return -1;
  if(y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  if(*p == 'T' || *p == ' ') {
    p++;
    if((hh = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
      return -1;
    if(*p == ':') {
      p++;
      if((sec = digits(&p, 2)) < 0)
        return -1;
      if(*p == '.') {
        p++;
        if(!is_digit(*p))
          return -1;
        while(is_digit(*p))
          p++;
      }
    }
    if(hh > 23 || mi > 59 || sec > 60)
      return -1;
    if(*p == 'Z')
      p++;
    else if(*p == '+' || *p == '-') {
      int oh, om;
      p++;
      if((oh = digits(&p, 2)) < 0)
        return -1;
      if(*p == ':')
        p++;
      if((om = digits(&p, 2)) < 0 || oh > 14 || om > 59)
        return -1;
    }
    /* Nearest midnight of the wall clock as written: 12:00 or later is
    ** the next day's midnight seen from a zone west of the local one. */
    if(hh >= 12) {
      if(++d > days_in_month(y, m)) {
        d = 1;
        if(++m > 12) {
          m = 1;
          y++;
        }
      }
    }
  }
  if(*p || y > 9999 || y < year_min || y > year_max)
    return -1;
  /* Bounded above: y <= 9999, m <= 12, d <= 31. */
  snprintf(iso, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
  return 0;
}

int hs_norm_is_empty(const char *s)
{
  /* BambooHR's "no date", also seen with a time part. */
  return !*s || !strcmp(s, "0000-00-00") || !strncmp(s, "0000-00-00T", 11) ||
         !strncmp(s, "0000-00-00 ", 11);
}

hs_norm_result hs_norm_value(const char *in, int is_date, char **out)
{
  const char *b, *e;
  size_t len;
  char *v;
  *out = NULL;
  if(!in)
    return HS_NORM_ABSENT;
  for(b = in; is_space(*b); b++)
    ;
  for(e = b + strlen(b); e > b && is_space(e[-1]); e--)
    ;
  len = (size_t)(e - b);
  v = malloc(len + 1);
  if(!v)
    return HS_NORM_NOMEM;
  memcpy(v, b, len);
  v[len] = 0;
  if(hs_norm_is_empty(v)) {
    free(v);
    return HS_NORM_ABSENT;
  }
  if(is_date) {
    char iso[11];
    if(hs_norm_date(v, iso)) {
      free(v);
      return HS_NORM_BAD_DATE;
    }
    memcpy(v, iso, 11); /* an ISO date is never longer than its source */
  }
  *out = v;
  return HS_NORM_VALUE;
}

hs_rc hs_norm_record(const hs_record *rec, hs_field_type_fn type, void *arg,
                     hs_nrec *out, hs_buf *skip, hs_err *err)
{
  size_t i;
  out->hris_id = rec->hris_id;
  out->n = 0;
  out->fields = calloc(rec->n_fields ? rec->n_fields : 1, sizeof(hs_nfield));
  if(!out->fields)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  for(i = 0; i < rec->n_fields; i++) {
    const hs_record_field *f = &rec->fields[i];
    int t = type ? type(arg, f->id) : -1;
    hs_nfield *nf = &out->fields[out->n++];
    hs_norm_result r;
    nf->id = f->id;
    r = hs_norm_value(f->value, t == HRSYNC_FIELD_DATE, &nf->value);
    if(r == HS_NORM_NOMEM)
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    if(r == HS_NORM_BAD_DATE && !skip->len) {
      if(hs_buf_printf(skip, "field %s: unparseable date ", f->id) ||
         hs_buf_json_str(skip, f->value))
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  }
  return HS_OK;
}

const char *hs_nrec_get(const hs_nrec *r, const char *id, int *present)
{
  size_t i;
  for(i = 0; i < r->n; i++)
    if(!strcmp(r->fields[i].id, id)) {
      if(present)
        *present = 1;
      return r->fields[i].value;
    }
  if(present)
    *present = 0;
  return NULL;
}

void hs_nrec_clear(hs_nrec *r)
{
  size_t i;
  for(i = 0; i < r->n; i++)
    free(r->fields[i].value);
  free(r->fields);
  r->fields = NULL;
  r->n = 0;
}

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's
** algorithms): exact for every Gregorian date, no time zone involved. */
static long days_from_civil(int y, int m, int d)
{
  long era, yoe, doy, doe;
  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
  long era, doe, yoe, doy, mp;
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

static void put_iso(char iso[11], int y, int m, int d)
{
  char tmp[32];
  snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
  memcpy(iso, tmp, 10);
  iso[10] = 0;
}

void hs_norm_today(char iso[11])
{
  const char *env = getenv("HRSYNC_TODAY");
  char tmp[11];
  time_t now;
  struct tm tm;
  if(env && !hs_norm_date(env, tmp)) {
    memcpy(iso, tmp, 11);
    return;
  }
  now = time(NULL);
  gmtime_r(&now, &tm);
  put_iso(iso, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int hs_norm_relative_date(const char *s, const char *today, char iso[11])
{
  const char *p = s + 5;
  int y, m, d;
  long n = 0;
  char unit;
  if(strncmp(s, "today", 5))
    return 1;
  if(sscanf(today, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return -1;
  if(*p) {
    int sign = *p == '-' ? -1 : *p == '+' ? 1 : 0, digits_seen = 0;
    if(!sign)
      return -1;
    for(p++; is_digit(*p) && digits_seen < 6; p++, digits_seen++)
      n = n * 10 + (*p - '0');
    if(!digits_seen)
      return -1;
    if(!(unit = *p) || p[1])
      return -1;
    n *= sign;
    if(unit == 'd' || unit == 'w')
      civil_from_days(days_from_civil(y, m, d) + (unit == 'w' ? 7 * n : n), &y,
                      &m, &d);
    else if(unit == 'm' || unit == 'y') {
      long months = (long)y * 12 + (m - 1) + (unit == 'y' ? 12 * n : n);
      if(months < 12 || months >= 10000L * 12)
        return -1; /* before year 1 or after 9999 */
      y = (int)(months / 12);
      m = (int)(months % 12) + 1;
      if(d > days_in_month(y, m))
        d = days_in_month(y, m); /* Jan 31 + 1m = Feb 28/29 */
    }
    else
      return -1;
  }
  if(y < 1 || y > 9999)
    return -1;
  put_iso(iso, y, m, d);
  return 0;
}
