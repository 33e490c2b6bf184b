/*
** plugins/common: a JSON string holding "\u0000" reaches the host whole
** (issue 15 case 10). Every in-tree connector parses its pages with
** hsp_parse_json (HiBob's streaming walk calls hsp_json_mark_nul on each
** value), so this is the one place a value could be cut at the NUL.
*/
#include "fakehost.h"
#include "hsp.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_nul_marked_not_cut(void **state)
{
  static const char body[] =
      "{\"people\":[{\"id\":\"1\",\"first\":\"x\\u0000TAIL\","
      "\"tags\":[\"a\\u0000b\"],\"n\":{\"k\":\"\\u0000\"}}]}";
  hrsync_http_response resp;
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  json_object *root = NULL, *p, *v;
  const char *s;
  (void)state;
  memset(&resp, 0, sizeof(resp));
  resp.struct_size = sizeof(resp);
  resp.status = 200;
  resp.body = body;
  resp.body_len = sizeof(body) - 1;
  assert_int_equal(hsp_parse_json(&hh, &resp, "people", &root), HRSYNC_OK);
  p = json_object_array_get_idx(json_object_object_get(root, "people"), 0);
  v = json_object_object_get(p, "first");
  s = json_object_get_string(v);
  /* Whole, with the NUL as C0 80: the host sees invalid UTF-8 and skips
  ** the record naming the field. */
  assert_int_equal(strlen(s), 7);
  assert_memory_equal(s, "x\xc0\x80TAIL", 7);
  assert_string_equal(json_object_get_string(json_object_array_get_idx(
                          json_object_object_get(p, "tags"), 0)),
                      "a\xc0\x80"
                      "b");
  assert_string_equal(json_object_get_string(json_object_object_get(
                          json_object_object_get(p, "n"), "k")),
                      "\xc0\x80");
  /* Emitted as record text, nothing is cut either. */
  assert_int_equal(fh_table(fh)->record_begin(fh, "1"), HRSYNC_OK);
  assert_int_equal(hsp_emit(&hh, "first", v), HRSYNC_OK);
  assert_int_equal(fh_table(fh)->record_end(fh), HRSYNC_OK);
  assert_string_equal(fh_record_get(fh_record_at(fh, 0), "first", NULL),
                      "x\xc0\x80TAIL");
  json_object_put(root);
  fh_free(fh);
}

static void test_plain_strings_untouched(void **state)
{
  static const char body[] = "{\"a\":\"\xc5\x81\xc4\x99\x63ki\",\"b\":\"\"}";
  hrsync_http_response resp;
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  json_object *root = NULL;
  (void)state;
  memset(&resp, 0, sizeof(resp));
  resp.struct_size = sizeof(resp);
  resp.status = 200;
  resp.body = body;
  resp.body_len = sizeof(body) - 1;
  assert_int_equal(hsp_parse_json(&hh, &resp, "x", &root), HRSYNC_OK);
  assert_string_equal(hsp_json_str(root, "a"), "\xc5\x81\xc4\x99"
                                               "cki");
  assert_string_equal(hsp_json_str(root, "b"), "");
  json_object_put(root);
  fh_free(fh);
}

static json_object *parse(hsp_host *hh, const char *body, size_t len)
{
  hrsync_http_response resp;
  json_object *root = NULL;
  memset(&resp, 0, sizeof(resp));
  resp.struct_size = sizeof(resp);
  resp.status = 200;
  resp.body = body;
  resp.body_len = len;
  assert_int_equal(hsp_parse_json(hh, &resp, "x", &root), HRSYNC_OK);
  return root;
}

/* The NUL walk is skipped for bodies without the escape (issue 16): an
** escaped backslash before "u0000" is text, a later \u0000 is still
** found, and so is one right at the end of the body. */
static void test_nul_scan_exact(void **state)
{
  static const char text[] = "{\"a\":\"\\\\u0000\",\"b\":\"\\/x\"}";
  static const char late[] = "{\"a\":\"\\\\\",\"b\":\"q\\u0000\"}";
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  json_object *root;
  (void)state;
  root = parse(&hh, text, sizeof(text) - 1);
  assert_string_equal(hsp_json_str(root, "a"), "\\u0000");
  assert_string_equal(hsp_json_str(root, "b"), "/x");
  json_object_put(root);
  root = parse(&hh, late, sizeof(late) - 1);
  assert_string_equal(hsp_json_str(root, "a"), "\\");
  assert_memory_equal(hsp_json_str(root, "b"), "q\xc0\x80", 4);
  json_object_put(root);
  fh_free(fh);
}

/* Integers as record text without printf, as "%lld" prints them. */
static void test_int_text(void **state)
{
  static const long long vals[] = {0,
                                   7,
                                   -7,
                                   1234567890123LL,
                                   9223372036854775807LL,
                                   -9223372036854775807LL - 1};
  char tmp[64], want[64], small[4];
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
    json_object *v = json_object_new_int64(vals[i]);
    snprintf(want, sizeof(want), "%lld", vals[i]);
    assert_string_equal(hsp_json_text(v, tmp, sizeof(tmp)), want);
    json_object_put(v);
  }
  {
    json_object *v = json_object_new_int64(123456);
    assert_string_equal(hsp_json_text(v, small, sizeof(small)), "123");
    json_object_put(v);
  }
}

/* hsp_wanted: a sorted copy for lookups, the host's order kept; nothing
** listed means every field is wanted. */
static void test_wanted(void **state)
{
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_wanted w, none;
  (void)state;
  memset(&w, 0, sizeof(w));
  memset(&none, 0, sizeof(none));
  fh_want(fh, "lastName");
  fh_want(fh, "custom.size");
  fh_want(fh, "email");
  assert_int_equal(hsp_wanted_load(&hh, &w), HRSYNC_OK);
  assert_int_equal(w.n, 3);
  assert_false(w.all);
  assert_string_equal(w.ids[0], "lastName");
  assert_string_equal(w.ids[2], "email");
  assert_true(hsp_wanted_has(&w, "email"));
  assert_true(hsp_wanted_has(&w, "lastName"));
  assert_true(hsp_wanted_has(&w, "custom.size"));
  assert_false(hsp_wanted_has(&w, "firstName"));
  assert_false(hsp_wanted_has(&w, "emai"));
  assert_true(hsp_wanted_prefix(&w, "custom."));
  assert_false(hsp_wanted_prefix(&w, "extendedData."));
  hsp_wanted_free(&w);
  fh_free(fh);
  fh = fh_new();
  hh.h = fh_table(fh);
  hh.ctx = fh;
  assert_int_equal(hsp_wanted_load(&hh, &none), HRSYNC_OK);
  assert_true(none.all);
  assert_true(hsp_wanted_has(&none, "anything"));
  assert_true(hsp_wanted_prefix(&none, "custom."));
  hsp_wanted_free(&none);
  fh_free(fh);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nul_marked_not_cut),
      cmocka_unit_test(test_plain_strings_untouched),
      cmocka_unit_test(test_nul_scan_exact),
      cmocka_unit_test(test_int_text),
      cmocka_unit_test(test_wanted),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
