/*
** The queue of records that wait for the registry (recq.h): each comes
** back as it went in, in order, and the queue stops at its bound.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "recq.h"

#include <stdio.h>
#include <string.h>

static void same_records_in_order(void **state)
{
  static const int keyspace = 0;
  char value[32];
  hs_record_field f[3];
  hs_record rec, back;
  hs_recq *q = hs_recq_new(1 << 20);
  size_t i;
  (void)state;
  assert_non_null(q);
  for(i = 0; i < 1000; i++) {
    char id[16];
    snprintf(id, sizeof(id), "r%zu", i);
    snprintf(value, sizeof(value), "v%zu", i * 3);
    f[0].id = "firstName", f[0].value = value, f[0].key = 7;
    f[1].id = "empty", f[1].value = NULL, f[1].key = 0;
    f[2].id = "blank", f[2].value = "", f[2].key = 9;
    rec.hris_id = id;
    rec.fields = f;
    rec.n_fields = i % 4 == 0 ? 0 : 3;
    rec.keyspace = &keyspace;
    assert_int_equal(hs_recq_push(q, &rec), 0);
  }
  /* The caller's buffers are reused: the queue holds copies. */
  memset(value, 'x', sizeof(value) - 1);
  assert_int_equal(hs_recq_count(q), 1000);
  for(i = 0; i < 1000; i++) {
    char id[16], want[32];
    snprintf(id, sizeof(id), "r%zu", i);
    snprintf(want, sizeof(want), "v%zu", i * 3);
    hs_recq_get(q, i, &back);
    assert_string_equal(back.hris_id, id);
    assert_null(back.keyspace);
    if(i % 4 == 0) {
      assert_int_equal(back.n_fields, 0);
      continue;
    }
    assert_int_equal(back.n_fields, 3);
    assert_string_equal(back.fields[0].id, "firstName");
    assert_string_equal(back.fields[0].value, want);
    assert_null(back.fields[1].value);
    assert_string_equal(back.fields[1].id, "empty");
    assert_string_equal(back.fields[2].value, "");
    /* Keys dropped: the planner finds a replayed field by its id. */
    assert_int_equal(back.fields[0].key, 0);
    assert_int_equal(back.fields[2].key, 0);
  }
  hs_recq_free(q);
}

static void stops_at_its_bound(void **state)
{
  char big[600];
  hs_record_field f;
  hs_record rec;
  hs_recq *q = hs_recq_new(4096);
  size_t n = 0;
  int rc;
  (void)state;
  memset(big, 'a', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  f.id = "note";
  f.value = big;
  f.key = 0;
  rec.hris_id = "1";
  rec.fields = &f;
  rec.n_fields = 1;
  rec.keyspace = NULL;
  while((rc = hs_recq_push(q, &rec)) == 0)
    n++;
  assert_int_equal(rc, 1);
  assert_true(n >= 5 && n <= 7);
  assert_int_equal(hs_recq_count(q), n);
  hs_recq_free(q);
  hs_recq_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_records_in_order),
      cmocka_unit_test(stops_at_its_bound),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
