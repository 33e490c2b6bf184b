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

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nul_marked_not_cut),
      cmocka_unit_test(test_plain_strings_untouched),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
