/*
** The string hash map behind the match indexes: every value of a shared
** key kept once, keys that are prefixes of each other kept apart, and
** lookups right across growth (100,000 keys, like a large registry).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void values(void **state)
{
  hs_strmap *m = hs_strmap_new();
  const size_t *v;
  size_t n;
  (void)state;
  assert_non_null(m);
  assert_null(hs_strmap_get(m, "ada", &n));
  assert_int_equal(n, 0);
  assert_int_equal(hs_strmap_add(m, "ada", 7), 0);
  v = hs_strmap_get(m, "ada", &n);
  assert_int_equal(n, 1);
  assert_int_equal(v[0], 7);
  /* The same value again is not a second value. */
  assert_int_equal(hs_strmap_add(m, "ada", 7), 0);
  hs_strmap_get(m, "ada", &n);
  assert_int_equal(n, 1);
  /* A shared key keeps every value, in the order added, each once. */
  assert_int_equal(hs_strmap_add(m, "ada", 3), 0);
  assert_int_equal(hs_strmap_add(m, "ada", 9), 0);
  assert_int_equal(hs_strmap_add(m, "ada", 3), 0);
  assert_int_equal(hs_strmap_add(m, "ada", 11), 0);
  assert_int_equal(hs_strmap_add(m, "ada", 12), 0);
  v = hs_strmap_get(m, "ada", &n);
  assert_int_equal(n, 5);
  assert_int_equal(v[0], 7);
  assert_int_equal(v[1], 3);
  assert_int_equal(v[2], 9);
  assert_int_equal(v[3], 11);
  assert_int_equal(v[4], 12);
  hs_strmap_free(m);
}

static void keys(void **state)
{
  hs_strmap *m = hs_strmap_new();
  char big[100000];
  const size_t *v;
  size_t n;
  (void)state;
  assert_int_equal(hs_strmap_add(m, "ab", 1), 0);
  assert_int_equal(hs_strmap_add(m, "abc", 2), 0);
  assert_int_equal(hs_strmap_add(m, "", 3), 0);
  assert_int_equal(*hs_strmap_get(m, "ab", &n), 1);
  assert_int_equal(*hs_strmap_get(m, "abc", &n), 2);
  assert_int_equal(*hs_strmap_get(m, "", &n), 3);
  assert_null(hs_strmap_get(m, "a", &n));
  assert_null(hs_strmap_get(m, "abcd", &n));
  /* Keys are copied: the caller's buffer may change. */
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  assert_int_equal(hs_strmap_add(m, big, 4), 0); /* larger than a block */
  big[0] = 'y';
  assert_null(hs_strmap_get(m, big, &n));
  big[0] = 'x';
  v = hs_strmap_get(m, big, &n);
  assert_int_equal(n, 1);
  assert_int_equal(v[0], 4);
  assert_int_equal(*hs_strmap_get(m, "abc", &n), 2);
  hs_strmap_free(m);
}

static void many(void **state)
{
  hs_strmap *m = hs_strmap_new();
  char key[32];
  size_t i, n;
  (void)state;
  for(i = 0; i < 100000; i++) {
    snprintf(key, sizeof(key), "person-%zu", i);
    assert_int_equal(hs_strmap_add(m, key, i), 0);
    if(i % 10 == 0) /* every tenth key shared */
      assert_int_equal(hs_strmap_add(m, key, i + 1000000), 0);
  }
  for(i = 0; i < 100000; i++) {
    const size_t *v;
    snprintf(key, sizeof(key), "person-%zu", i);
    v = hs_strmap_get(m, key, &n);
    assert_non_null(v);
    assert_int_equal(n, i % 10 == 0 ? 2 : 1);
    assert_int_equal(v[0], i);
    if(n == 2)
      assert_int_equal(v[1], i + 1000000);
  }
  assert_null(hs_strmap_get(m, "person-100000", &n));
  hs_strmap_free(m);
  hs_strmap_free(NULL);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(values),
      cmocka_unit_test(keys),
      cmocka_unit_test(many),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
