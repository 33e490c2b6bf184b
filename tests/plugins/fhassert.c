/*
** Shared connector-test assertions. See fhassert.h.
*/
#include "fhassert.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

hrsync_conn *fh_open_ok(const hrsync_connector *p, fh_host *fh)
{
  hrsync_conn *c = NULL;
  assert_int_equal(fh_open(fh, p, &c), HRSYNC_OK);
  assert_non_null(c);
  return c;
}

void fh_done(const hrsync_connector *p, fh_host *fh, hrsync_conn *c)
{
  p->close(c);
  fh_assert_clean(fh);
  fh_free(fh);
}

void fh_assert_clean(fh_host *fh)
{
  size_t i;
  for(i = 0; i < fh_violations(fh); i++)
    print_error("violation: %s\n", fh_violation_at(fh, i));
  assert_int_equal(fh_violations(fh), 0);
}

void fh_assert_error_has(fh_host *fh, const char *needle)
{
  assert_non_null(fh_error(fh));
  if(!strstr(fh_error(fh), needle))
    fail_msg("error '%s' lacks '%s'", fh_error(fh), needle);
}

void fh_assert_value(const fh_record *rec, const char *id, const char *value)
{
  int present = 0;
  const char *v = fh_record_get(rec, id, &present);
  if(!present)
    fail_msg("record %s: %s not set", rec->hris_id, id);
  if(!value) {
    if(v)
      fail_msg("record %s: %s = '%s', expected null", rec->hris_id, id, v);
    return;
  }
  if(!v)
    fail_msg("record %s: %s is null, expected '%s'", rec->hris_id, id, value);
  assert_string_equal(v, value);
}

void fh_assert_absent(const fh_record *rec, const char *id)
{
  int present = 1;
  fh_record_get(rec, id, &present);
  if(present)
    fail_msg("record %s: %s set, expected absent", rec->hris_id, id);
}

void fh_assert_field(fh_host *fh, const char *id, uint32_t type,
                     const char *label)
{
  const fh_field *f = fh_field_find(fh, id);
  if(!f)
    fail_msg("field %s not described", id);
  assert_int_equal(f->type, type);
  if(label)
    assert_string_equal(f->label, label);
}

void fh_assert_same_records(const fh_host *a, const fh_host *b)
{
  size_t i, j;
  assert_int_equal(fh_n_records(a), fh_n_records(b));
  for(i = 0; i < fh_n_records(a); i++) {
    const fh_record *ra = fh_record_at(a, i), *rb = fh_record_at(b, i);
    assert_string_equal(ra->hris_id, rb->hris_id);
    if(ra->n_fields != rb->n_fields)
      fail_msg("record %s: %zu fields, then %zu", ra->hris_id, ra->n_fields,
               rb->n_fields);
    for(j = 0; j < ra->n_fields; j++) {
      const char *va = ra->fields[j].value, *vb = rb->fields[j].value;
      assert_string_equal(ra->fields[j].name, rb->fields[j].name);
      if(!va != !vb || (va && strcmp(va, vb)))
        fail_msg("record %s: %s = '%s', then '%s'", ra->hris_id,
                 ra->fields[j].name, va ? va : "(null)", vb ? vb : "(null)");
    }
  }
}
