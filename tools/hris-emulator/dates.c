/* Day-number arithmetic (Howard Hinnant's civil calendar algorithms). */
#include "dates.h"

#include <stdio.h>
#include <string.h>

static long days_from_civil(long y, int m, int d)
{
  long era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void emu_date_split(long z, int *y, int *m, int *d)
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

long emu_date_make(int y, int m, int d)
{
  return days_from_civil(y, m, d);
}

int emu_date_dow(long days)
{
  /* 1970-01-01 was a Thursday. */
  return (int)(((days % 7) + 7 + 4) % 7);
}

static int digits(const char *s, int n, int *out)
{
  int v = 0, i;

  for(i = 0; i < n; i++) {
    if(s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

static int parse_ymd(const char *s, long *days)
{
  int y, m, d, y2, m2, d2;

  if(digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
     digits(s + 8, 2, &d))
    return -1;
  if(m < 1 || m > 12 || d < 1 || d > 31)
    return -1;
  *days = days_from_civil(y, m, d);
  /* Reject 2025-02-30 and friends: the round trip must be exact. */
  emu_date_split(*days, &y2, &m2, &d2);
  return (y2 == y && m2 == m && d2 == d) ? 0 : -1;
}

int emu_date_parse(const char *s, long *days)
{
  if(!s || strlen(s) != 10)
    return -1;
  return parse_ymd(s, days);
}

void emu_date_format(long days, char out[11])
{
  int y, m, d;
  unsigned uy, um, ud;

  emu_date_split(days, &y, &m, &d);
  /* Unsigned and bounded so the compiler sees the exact width. */
  uy = (unsigned)(y < 0 ? 0 : y % 10000);
  um = (unsigned)m % 13;
  ud = (unsigned)d % 32;
  snprintf(out, 11, "%04u-%02u-%02u", uy, um, ud);
}

void emu_time_format(int64_t t, char out[32])
{
  long days = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
  long secs = (long)(t - (int64_t)days * 86400);
  char date[11];
  unsigned h, m, sec;

  emu_date_format(days, date);
  h = (unsigned)(secs / 3600) % 24;
  m = (unsigned)(secs / 60 % 60);
  sec = (unsigned)(secs % 60);
  snprintf(out, 32, "%.10sT%02u:%02u:%02u+00:00", date, h, m, sec);
}

int emu_time_parse(const char *s, int64_t *t)
{
  long days;
  int hh = 0, mm = 0, ss = 0, oh = 0, om = 0, sign = 1;
  const char *p;

  if(!s || strlen(s) < 10 || parse_ymd(s, &days))
    return -1;
  p = s + 10;
  if(*p == 'T' || *p == ' ') {
    if(digits(p + 1, 2, &hh) || p[3] != ':' || digits(p + 4, 2, &mm))
      return -1;
    p += 6;
    if(*p == ':') {
      if(digits(p + 1, 2, &ss))
        return -1;
      p += 3;
    }
    if(*p == '.')
      for(p++; *p >= '0' && *p <= '9'; p++)
        ;
  }
  if(*p == 'Z')
    p++;
  else if(*p == '+' || *p == '-') {
    sign = *p == '-' ? -1 : 1;
    if(digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
      return -1;
    p += 6;
  }
  if(*p || hh > 23 || mm > 59 || ss > 60)
    return -1;
  *t = (int64_t)days * 86400 + hh * 3600 + mm * 60 + ss -
       sign * (oh * 3600 + om * 60);
  return 0;
}
