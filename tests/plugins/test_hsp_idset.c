/*
** plugins/common/hsp_idset: the connectors' compact set of HRIS ids, in
** any order and in the increasing order most rosters come in.
*/
#include "hsp_idset.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The connectors' id set: each id once, found again after the table and
** the arena grew, "" and long ids too. */
static void test_idset(void **state)
{
  hsp_idset s = HSP_IDSET_INIT;
  char id[64], big[5000];
  size_t i;
  (void)state;
  for(i = 0; i < 100000; i++) {
    snprintf(id, sizeof(id), "%zu", i * 7919);
    assert_int_equal(hsp_idset_add(&s, id), 1);
  }
  for(i = 0; i < 100000; i += 997) {
    snprintf(id, sizeof(id), "%zu", i * 7919);
    assert_int_equal(hsp_idset_add(&s, id), 0);
    assert_true(hsp_idset_has(&s, id));
  }
  assert_false(hsp_idset_has(&s, "7918"));
  assert_int_equal(hsp_idset_add(&s, ""), 1);
  assert_int_equal(hsp_idset_add(&s, ""), 0);
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  assert_int_equal(hsp_idset_add(&s, big), 1);
  assert_true(hsp_idset_has(&s, big));
  assert_int_equal(s.n, 100002);
  hsp_idset_free(&s);
  assert_false(hsp_idset_has(&s, "0"));
  assert_int_equal(hsp_idset_add(&s, "0"), 1);
  hsp_idset_free(&s);
}

/* Ids in increasing order skip the table; any other order, and a mix
** of both, finds each id once all the same. */
static void test_idset_orders(void **state)
{
  static const char *const mixed[] = {"10", "2",  "30", "9",   "100", "2",
                                      "31", "10", "1",  "100", "1000"};
  static const int fresh[] = {1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1};
  hsp_idset s = HSP_IDSET_INIT;
  char id[32];
  size_t i, k;
  (void)state;
  for(i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
    assert_int_equal(hsp_idset_add(&s, mixed[i]), fresh[i]);
  for(i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
    assert_true(hsp_idset_has(&s, mixed[i]));
  assert_false(hsp_idset_has(&s, "3"));
  assert_false(hsp_idset_has(&s, "99999"));
  assert_int_equal(s.n, 8);
  hsp_idset_free(&s);
  /* Descending, then interleaved halves, then all again: every id once. */
  for(i = 3000; i-- > 0;) {
    snprintf(id, sizeof(id), "e%zu", i);
    assert_int_equal(hsp_idset_add(&s, id), 1);
  }
  for(k = 0; k < 2; k++)
    for(i = 3000 + k; i < 9000; i += 2) {
      snprintf(id, sizeof(id), "e%zu", i);
      assert_int_equal(hsp_idset_add(&s, id), 1);
    }
  for(i = 0; i < 9000; i++) {
    snprintf(id, sizeof(id), "e%zu", (i * 7) % 9000);
    assert_int_equal(hsp_idset_add(&s, id), 0);
    assert_true(hsp_idset_has(&s, id));
  }
  assert_int_equal(s.n, 9000);
  hsp_idset_free(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_idset),
      cmocka_unit_test(test_idset_orders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
