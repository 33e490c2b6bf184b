/*
** hs_term and hs_utf8: outside text made safe for a terminal, strict
** UTF-8, and JSON strings that stay valid UTF-8 whatever the bytes.
*/
#include "buf.h"
#include "term.h"
#include "utf8.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void expect_escaped(const char *in, const char *want)
{
  hs_buf b = HS_BUF_INIT;
  assert_int_equal(hs_term_escape(&b, in), 0);
  assert_string_equal(hs_buf_str(&b), want);
  hs_buf_free(&b);
}

static void test_escape_controls(void **state)
{
  (void)state;
  expect_escaped("Ada Lovelace", "Ada Lovelace");
  expect_escaped("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred");
  expect_escaped("x\nhrsync: forged", "x\\nhrsync: forged");
  expect_escaped("a\rb\tc\x7f", "a\\rb\\tc\\x7f");
  expect_escaped(NULL, "");
  expect_escaped("", "");
}

static void test_escape_unicode(void **state)
{
  (void)state;
  /* Letters stay as they are; C1 CSI and bidi overrides are shown. */
  expect_escaped("\xc5\x81\xc4\x99\x63ki \xe6\x97\xa5", "\xc5\x81\xc4\x99"
                                                        "cki \xe6\x97\xa5");
  expect_escaped("\xc2\x9b"
                 "2J",
                 "\\u009b2J");
  expect_escaped("abc\xe2\x80\xaegpj.exe", "abc\\u202egpj.exe");
  /* Not UTF-8: each byte visible. */
  expect_escaped("\xc0\xaf", "\\xc0\\xaf");
  expect_escaped("\xff", "\\xff");
  expect_escaped("\xe6\x97", "\\xe6\\x97");
}

static void test_utf8(void **state)
{
  (void)state;
  assert_int_equal(hs_utf8_check("plain", 5), 5);
  assert_int_equal(hs_utf8_check("\xc5\x81x", 3), 3);
  assert_int_equal(hs_utf8_check("ab\xc0\xaf", 4), 2);       /* overlong */
  assert_int_equal(hs_utf8_check("a\xed\xa0\x80", 4), 1);    /* surrogate */
  assert_int_equal(hs_utf8_check("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
  assert_int_equal(hs_utf8_check("x\xc0\x80y", 4), 1);       /* NUL mark */
  assert_int_equal(hs_utf8_check("\xf0\x9f\x98\x80", 4), 4);
  assert_int_equal(hs_utf8_check("\xf0\x9f\x98", 3), 0); /* cut short */
  /* Long ASCII runs are read eight bytes at a time: a bad byte anywhere
  ** in or after them is still found, a sequence across a word still read. */
  assert_int_equal(hs_utf8_check("abcdefghijklm\xffopqrstu", 21), 13);
  assert_int_equal(hs_utf8_check("abcdefgh\xc0\xafijklmnop", 18), 8);
  assert_int_equal(hs_utf8_check("abcdefg\xc5\x81ijklmnopq", 18), 18);
  assert_int_equal(hs_utf8_check("abcdefghijklmnopqrstuvw\xe6\x97", 25), 23);
  assert_int_equal(hs_utf8_check("abcdefghijklmnop\0rstuvwx", 24), 24);
}

static void test_json_str_valid_utf8(void **state)
{
  hs_buf b = HS_BUF_INIT;
  (void)state;
  assert_int_equal(hs_buf_json_str(&b, "a\xc0\xaf\xc5\x81\x1b"), 0);
  assert_string_equal(hs_buf_str(&b), "\"a\\ufffd\\ufffd\xc5\x81\\u001b\"");
  hs_buf_free(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escape_controls),
      cmocka_unit_test(test_escape_unicode),
      cmocka_unit_test(test_utf8),
      cmocka_unit_test(test_json_str_valid_utf8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
