/*
** The per-run field-id cache: each id resolved once, the right answer
** for every id, and a bounded number kept (a connector inventing ids
** must not grow memory, nor get wrong answers past the bound).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "idcache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct counter {
  int calls;
} counter;

/* The answer is the id's length times 10 plus its last digit, if any. */
static int answer(void *arg, const char *id)
{
  size_t len = strlen(id);
  ((counter *)arg)->calls++;
  return (int)len * 10 + (len && id[len - 1] >= '0' && id[len - 1] <= '9'
                              ? id[len - 1] - '0'
                              : 0);
}

static void once_per_id(void **state)
{
  counter n = {0};
  hs_idcache *c = hs_idcache_new(answer, &n, 100);
  int i;
  (void)state;
  assert_non_null(c);
  for(i = 0; i < 1000; i++) {
    assert_int_equal(hs_idcache_get(c, "firstName"), 90);
    assert_int_equal(hs_idcache_get(c, "x1"), 21);
    assert_int_equal(hs_idcache_get(c, "x12"), 32);
    assert_int_equal(hs_idcache_get(c, ""), 0);
  }
  assert_int_equal(n.calls, 4);
  assert_int_equal(hs_idcache_count(c), 4);
  hs_idcache_free(c);
  hs_idcache_free(NULL);
}

static void bounded(void **state)
{
  counter n = {0};
  hs_idcache *c = hs_idcache_new(answer, &n, 10);
  char id[32];
  int i, round;
  (void)state;
  for(round = 0; round < 2; round++)
    for(i = 0; i < 50; i++) {
      snprintf(id, sizeof(id), "m%d", i);
      assert_int_equal(hs_idcache_get(c, id),
                       (int)strlen(id) * 10 + id[strlen(id) - 1] - '0');
    }
  /* The first ten kept; the other forty asked again in the second round. */
  assert_int_equal(hs_idcache_count(c), 10);
  assert_int_equal(n.calls, 50 + 40);
  hs_idcache_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(once_per_id),
      cmocka_unit_test(bounded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
