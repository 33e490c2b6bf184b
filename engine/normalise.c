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

/* Reads exactly n digits at *p, before end; -1 if they are not there. */
static int digits(const char **p, const char *end, int n)
{
  int v = 0, i;
  if(end - *p < n)
    return -1;
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

/* The character at p, or 0 at end. */
#define AT(p, end) ((p) < (end) ? *(p) : 0)

/* The time part after the date's T or space, up to end; -1 when it is not
** one of the shapes. *hh gets the hour. */
static int parse_time(const char *p, const char *end, int *hh)
{
  int mi, sec = 0;
  if((*hh = digits(&p, end, 2)) < 0 || AT(p, end) != ':' ||
     (p++, mi = digits(&p, end, 2)) < 0)
    return -1;
  if(AT(p, end) == ':') {
    p++;
    if((sec = digits(&p, end, 2)) < 0)
      return -1;
    if(AT(p, end) == '.') {
      p++;
      if(!is_digit(AT(p, end)))
        return -1;
      while(is_digit(AT(p, end)))
        p++;
    }
  }
  if(*hh > 23 || mi > 59 || sec > 60)
    return -1;
  if(AT(p, end) == 'Z')
    p++;
  else if(AT(p, end) == '+' || AT(p, end) == '-') {
    int oh, om;
    p++;
    if((oh = digits(&p, end, 2)) < 0)
      return -1;
    if(AT(p, end) == ':')
      p++;
    if((om = digits(&p, end, 2)) < 0 || oh > 14 || om > 59)
      return -1;
  }
  return p == end ? 0 : -1;
}

/* hs_norm_date on the bytes [s, end). */
static int parse_date(const char *s, const char *end, char iso[11])
{
  const char *p = s;
  int y, m, d, hh = 0;
  if((y = digits(&p, end, 4)) < 0 || AT(p, end) != '-' ||
     (p++, m = digits(&p, end, 2)) < 0 || AT(p, end) != '-' ||
     (p++, d = digits(&p, end, 2)) < 0)
    return -1;
  if(y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
    return -1;
  if(p < end && (*p == 'T' || *p == ' ')) {
    if(parse_time(p + 1, end, &hh))
      return -1;
    /* Nearest midnight of the wall clock as written: 12:00 or later is
    ** the next day's midnight seen from a zone west of the local one. */
    if(hh >= 12 && ++d > days_in_month(y, m)) {
      d = 1;
      if(++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  else if(p != end)
    return -1;
  if(y > 9999 || y < year_min || y > year_max)
    return -1;
  iso[0] = (char)('0' + y / 1000);
  iso[1] = (char)('0' + y / 100 % 10);
  iso[2] = (char)('0' + y / 10 % 10);
  iso[3] = (char)('0' + y % 10);
  iso[4] = '-';
  iso[5] = (char)('0' + m / 10);
  iso[6] = (char)('0' + m % 10);
  iso[7] = '-';
  iso[8] = (char)('0' + d / 10);
  iso[9] = (char)('0' + d % 10);
  iso[10] = 0;
  return 0;
}

int hs_norm_date(const char *s, char iso[11])
{
  return parse_date(s, s + strlen(s), iso);
}

/* BambooHR's "no date", also seen with a time part. */
static int empty_range(const char *s, size_t len)
{
  return !len || (len >= 10 && !memcmp(s, "0000-00-00", 10) &&
                  (len == 10 || s[10] == 'T' || s[10] == ' '));
}

int hs_norm_is_empty(const char *s)
{
  return empty_range(s, strlen(s));
}

/* The value in without its surrounding white space: [*b, *e). */
static void trim(const char *in, const char **b, const char **e)
{
  const char *p = in, *q;
  while(is_space(*p))
    p++;
  for(q = p + strlen(p); q > p && is_space(q[-1]); q--)
    ;
  *b = p;
  *e = q;
}

hs_norm_result hs_norm_value(const char *in, int is_date, char **out)
{
  const char *b, *e;
  char iso[11];
  size_t len;
  *out = NULL;
  if(!in)
    return HS_NORM_ABSENT;
  trim(in, &b, &e);
  len = (size_t)(e - b);
  if(empty_range(b, len))
    return HS_NORM_ABSENT;
  if(is_date) {
    if(parse_date(b, e, iso))
      return HS_NORM_BAD_DATE;
    b = iso;
    len = 10;
  }
  if(!(*out = malloc(len + 1)))
    return HS_NORM_NOMEM;
  memcpy(*out, b, len);
  (*out)[len] = 0;
  return HS_NORM_VALUE;
}

hs_rc hs_nrec_init(hs_nrec *out, size_t n, hs_err *err)
{
  size_t k = n ? n : 1;
  memset(out, 0, sizeof(*out));
  out->n = n;
  out->value = calloc(k, sizeof(*out->value));
  out->present = calloc(k, 1);
  out->iso = calloc(k, sizeof(*out->iso));
  out->text_off = calloc(k, sizeof(*out->text_off));
  if(!out->value || !out->present || !out->iso || !out->text_off) {
    hs_nrec_free(out);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  return HS_OK;
}

void hs_nrec_free(hs_nrec *r)
{
  free(r->value);
  free(r->present);
  free(r->iso);
  free(r->text_off);
  hs_buf_free(&r->text);
  memset(r, 0, sizeof(*r));
}

static int bad_date(hs_buf *skip, const char *id, const char *value)
{
  if(skip->len)
    return 0; /* the first reason is the one shown */
  return hs_buf_printf(skip, "field %s: unparseable date ", id) ||
         hs_buf_json_str(skip, value);
}

/* One field's value into slot (-1: none, only a date is checked). A value
** needing no change is borrowed from the record; a date is written ISO
** into the slot's own room; a value with white space at its end is the
** one copy (into text). -1 on no memory. */
static int norm_field(hs_nrec *out, long slot, int info,
                      const hs_record_field *f, hs_buf *skip)
{
  const char *b, *e;
  size_t len;
  if(!f->value)
    return 0;
  if(info & HS_NF_RAW) {
    out->value[slot] = f->value;
    return 0;
  }
  trim(f->value, &b, &e);
  len = (size_t)(e - b);
  if(empty_range(b, len))
    return 0;
  if(info & HS_NF_DATE) {
    char iso[11];
    if(parse_date(b, e, slot >= 0 ? out->iso[slot] : iso))
      return bad_date(skip, f->id, f->value);
    if(slot >= 0)
      out->value[slot] = out->iso[slot];
    return 0;
  }
  if(slot < 0)
    return 0;
  if(!*e) {
    out->value[slot] = b; /* already as it should be */
    return 0;
  }
  out->text_off[slot] = out->text.len + 1;
  return hs_buf_append(&out->text, b, len) || hs_buf_append(&out->text, "", 1);
}

hs_rc hs_norm_record(const hs_record *rec, hs_norm_field_fn field, void *arg,
                     hs_nrec *out, hs_buf *skip, hs_err *err)
{
  size_t i, copies = 0;
  out->hris_id = rec->hris_id;
  memset(out->value, 0, out->n * sizeof(*out->value));
  memset(out->present, 0, out->n);
  hs_buf_reset(&out->text);
  for(i = 0; i < rec->n_fields; i++) {
    const hs_record_field *f = &rec->fields[i];
    int info = field(arg, f);
    long slot = (long)HS_NF_SLOT(info) - 1;
    if(slot >= (long)out->n || (slot >= 0 && out->present[slot]))
      slot = -1; /* none, or taken by an earlier field */
    if(slot < 0 && !(info & HS_NF_DATE))
      continue;
    if(slot >= 0) {
      out->present[slot] = 1;
      out->text_off[slot] = 0;
    }
    if(norm_field(out, slot, slot >= 0 ? info : info & ~HS_NF_RAW, f, skip))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    copies += slot >= 0 && out->text_off[slot];
  }
  /* The copies' text may have moved while it grew. */
  for(i = 0; copies && i < out->n; i++)
    if(out->present[i] && out->text_off[i]) {
      out->value[i] = out->text.data + out->text_off[i] - 1;
      copies--;
    }
  return HS_OK;
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
