/*
** The compact structures of issue 16: hs_keyidx (values of one key in
** the order added, also across growth; only same-hash candidates) and
** hs_arena (strings of any length, stable addresses), and the loaded
** registry's strings living in one arena.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "arena.h"
#include "keyidx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Many values under a few hashes, added while the index grows from its
** smallest size: each hash gives back exactly its values, in order. */
static void keyidx_order_across_growth(void **state)
{
  hs_keyidx *ix = hs_keyidx_new(0);
  hs_keyidx_iter it;
  uint32_t v, h, want;
  (void)state;
  assert_non_null(ix);
  /* Hashes 0, 16, 32 share a home slot in a small table; 15 wraps. */
  for(v = 0; v < 4000; v++)
    assert_int_equal(
        hs_keyidx_add(ix, (v % 4) * 16 + (v % 4 == 3 ? 15 : 0), v), 0);
  for(h = 0; h < 4; h++) {
    uint32_t hash = h * 16 + (h == 3 ? 15 : 0);
    want = h;
    hs_keyidx_find(ix, hash, &it);
    while(hs_keyidx_next(&it, &v)) {
      assert_int_equal(v, want);
      want += 4;
    }
    assert_int_equal(want, 4000 + h);
  }
  hs_keyidx_find(ix, 7, &it);
  assert_int_equal(hs_keyidx_next(&it, &v), 0);
  assert_int_equal(hs_keyidx_add(ix, 1, UINT32_MAX), -1);
  hs_keyidx_free(ix);
}

static void keyidx_hash_parts(void **state)
{
  uint32_t h = hs_keyidx_feed(HS_KEYIDX_SEED, "Ada", 3);
  (void)state;
  h = hs_keyidx_feed(h, " ", 1);
  h = hs_keyidx_feed(h, "Lovelace", 8);
  assert_int_equal(h, hs_keyidx_hash("Ada Lovelace"));
  assert_int_not_equal(hs_keyidx_hash("a"), hs_keyidx_hash("b"));
}

static void arena_strings(void **state)
{
  hs_arena *a = hs_arena_new();
  char *big = malloc(200000), *s[3000];
  size_t i;
  (void)state;
  assert_non_null(a);
  memset(big, 'x', 199999);
  big[199999] = 0;
  for(i = 0; i < 3000; i++) {
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "value %zu", i);
    /* A string longer than a chunk in the middle of small ones. */
    s[i] = i == 1500 ? hs_arena_strndup(a, big, 199999)
                     : hs_arena_strndup(a, buf, (size_t)n);
    assert_non_null(s[i]);
  }
  for(i = 0; i < 3000; i++) {
    char buf[32];
    snprintf(buf, sizeof(buf), "value %zu", i);
    if(i == 1500)
      assert_int_equal(strlen(s[i]), 199999);
    else
      assert_string_equal(s[i], buf);
  }
  assert_string_equal(hs_arena_strndup(a, "abc", 2), "ab");
  free(big);
  hs_arena_free(a);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keyidx_order_across_growth),
      cmocka_unit_test(keyidx_hash_parts),
      cmocka_unit_test(arena_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
