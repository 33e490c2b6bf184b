/*
** Interned strings (the host's field ids): keys in order, one stable
** copy each, strings that share a prefix kept apart, and the bound.
*/
#include "intern.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static unsigned add(hs_intern *t, const char *s)
{
  size_t len;
  uint64_t h = hs_intern_hash(s, &len);
  assert_int_equal(len, strlen(s));
  assert_int_equal(hs_intern_find(t, s, len, h), 0);
  return hs_intern_add(t, s, len, h);
}

static unsigned find(const hs_intern *t, const char *s)
{
  size_t len;
  uint64_t h = hs_intern_hash(s, &len);
  return hs_intern_find(t, s, len, h);
}

static void keys_and_copies(void **state)
{
  hs_intern *t = hs_intern_new(100);
  char buf[16] = "firstName";
  const char *copy;
  (void)state;
  assert_non_null(t);
  assert_int_equal(find(t, "x"), 0);
  assert_null(hs_intern_text(t, 0));
  assert_null(hs_intern_text(t, 1));
  assert_int_equal(add(t, buf), 1);
  assert_int_equal(add(t, "first"), 2);
  assert_int_equal(add(t, "firstNameX"), 3);
  copy = hs_intern_text(t, 1);
  assert_true(copy != buf);
  strcpy(buf, "changed");
  assert_string_equal(copy, "firstName");
  assert_int_equal(find(t, "firstName"), 1);
  assert_int_equal(find(t, "first"), 2);
  assert_int_equal(find(t, "firstNameX"), 3);
  assert_int_equal(find(t, "firstNam"), 0);
  assert_string_equal(hs_intern_text(t, 3), "firstNameX");
  assert_int_equal(hs_intern_len(t, 3), 10);
  assert_int_equal(hs_intern_len(t, 2), 5);
  assert_int_equal(hs_intern_len(t, 4), 0);
  assert_null(hs_intern_text(t, 4));
  assert_int_equal(hs_intern_count(t), 3);
  hs_intern_free(t);
  hs_intern_free(NULL);
}

static void bound_and_growth(void **state)
{
  hs_intern *t = hs_intern_new(1000);
  const char *copies[1000];
  char id[32];
  unsigned i;
  (void)state;
  for(i = 0; i < 1000; i++) {
    snprintf(id, sizeof(id), "field%u", i);
    assert_int_equal(add(t, id), i + 1);
    copies[i] = hs_intern_text(t, i + 1);
  }
  /* Full: nothing more is added, and nothing moved while growing. */
  assert_int_equal(add(t, "one more"), 0);
  assert_int_equal(find(t, "one more"), 0);
  for(i = 0; i < 1000; i++) {
    snprintf(id, sizeof(id), "field%u", i);
    assert_int_equal(find(t, id), i + 1);
    assert_ptr_equal(hs_intern_text(t, i + 1), copies[i]);
    assert_string_equal(copies[i], id);
  }
  assert_int_equal(hs_intern_count(t), 1000);
  hs_intern_free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keys_and_copies),
      cmocka_unit_test(bound_and_growth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
