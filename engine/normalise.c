/*
** Value normalisation: trimming, empty-likes and the date shapes.
*/
#include "normalise.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  if(*p || y > 9999)
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
