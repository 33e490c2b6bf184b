/*
** err, buf, log: error details and exit codes, the growable buffer and
** JSON escaping, and log redaction (the one path to the sink).
*/
#include "buf.h"
#include "err.h"
#include "log.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void test_err(void **state)
{
  hs_err e = {HS_OK, ""};
  char long_ctx[2000];
  (void)state;
  assert_int_equal(
      hs_err_set(&e, HS_E_CONFIG, "mapping.%s: unknown field", "email"),
      HS_E_CONFIG);
  hs_err_prefix(&e, "%s", "hrsync.json");
  assert_string_equal(e.msg, "hrsync.json: mapping.email: unknown field");
  assert_int_equal(e.rc, HS_E_CONFIG);
  /* A context that fills the buffer keeps its head, stays terminated. */
  memset(long_ctx, 'a', sizeof(long_ctx) - 1);
  long_ctx[sizeof(long_ctx) - 1] = 0;
  hs_err_prefix(&e, "%s", long_ctx);
  assert_int_equal(strlen(e.msg), sizeof(e.msg) - 1);
  assert_int_equal(e.msg[0], 'a');
  hs_err_clear(&e);
  assert_int_equal(e.rc, HS_OK);
  assert_string_equal(e.msg, "");
  assert_int_equal(hs_err_set(NULL, HS_E_IO, "x"), HS_E_IO);

  assert_int_equal(hs_rc_exit_code(HS_OK), 0);
  assert_int_equal(hs_rc_exit_code(HS_E_USAGE), 2);
  assert_int_equal(hs_rc_exit_code(HS_E_CONFIG), 2);
  assert_int_equal(hs_rc_exit_code(HS_E_REFUSED), 3);
  assert_int_equal(hs_rc_exit_code(HS_E_HTTP), 1);
  assert_int_equal(hs_rc_exit_code(HS_E_AUTH), 1);
  assert_int_equal(hs_rc_exit_code(HS_E_PLUGIN), 1);
  assert_string_equal(hs_strerror(HS_E_AUTH), "authentication refused");
}

static void test_buf(void **state)
{
  hs_buf b = HS_BUF_INIT;
  char *s;
  int i;
  (void)state;
  assert_string_equal(hs_buf_str(&b), "");
  for(i = 0; i < 1000; i++)
    assert_int_equal(hs_buf_printf(&b, "%d,", i), 0);
  assert_int_equal(b.len, strlen(b.data));
  assert_true(b.cap > b.len);
  assert_memory_equal(b.data, "0,1,2,", 6);
  assert_non_null(strstr(b.data, ",999,"));
  hs_buf_reset(&b);
  assert_int_equal(b.len, 0);
  assert_string_equal(hs_buf_str(&b), "");
  assert_int_equal(hs_buf_append(&b, "a\0b", 3), 0); /* bytes, not C str */
  assert_int_equal(b.len, 3);
  assert_int_equal(b.data[3], 0);
  hs_buf_reset(&b);
  assert_int_equal(hs_buf_json_str(&b, "q\"b\\n\n\t\x01\xc3\xa9"), 0);
  assert_string_equal(b.data, "\"q\\\"b\\\\n\\n\\t\\u0001\xc3\xa9\"");
  /* Appended after what is there; runs of plain bytes around escapes,
  ** a bad byte (not UTF-8) as U+FFFD, a 4-byte sequence whole. */
  hs_buf_reset(&b);
  assert_int_equal(hs_buf_append(&b, "x=", 2), 0);
  assert_int_equal(hs_buf_json_str(&b, "ab\x1f\x7f\xff\xf0\x9f\x98\x80"
                                       "cd\"\\"),
                   0);
  assert_string_equal(b.data, "x=\"ab\\u001f\x7f\\ufffd\xf0\x9f\x98\x80"
                              "cd\\\"\\\\\"");
  assert_int_equal(b.len, strlen(b.data));
  assert_int_equal(hs_buf_json_str(&b, ""), 0);
  assert_int_equal(b.len, strlen(b.data));
  assert_string_equal(b.data + b.len - 2, "\"\"");
  hs_buf_reset(&b);
  assert_int_equal(hs_buf_json_str(&b, "\xc3"), 0); /* cut sequence */
  assert_string_equal(b.data, "\"\\ufffd\"");
  hs_buf_reset(&b);
  assert_int_equal(hs_buf_json_str(&b, "q\"b\\n\n\t\x01\xc3\xa9"), 0);
  s = hs_buf_steal(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  free(s);
  s = hs_buf_steal(&b); /* an empty buffer still gives a string */
  assert_string_equal(s, "");
  free(s);
  hs_buf_free(&b);
}

static char lines[4096];

static void sink(void *arg, int level, const char *line)
{
  size_t n = strlen(lines);
  (void)arg;
  snprintf(lines + n, sizeof(lines) - n, "%d|%s\n", level, line);
}

static void test_log_levels(void **state)
{
  hs_log *log = hs_log_new(HS_LOG_WARN, sink, NULL);
  (void)state;
  lines[0] = 0;
  assert_true(hs_log_enabled(log, HS_LOG_ERROR));
  assert_true(hs_log_enabled(log, HS_LOG_WARN));
  assert_false(hs_log_enabled(log, HS_LOG_INFO));
  hs_log_write(log, HS_LOG_INFO, "x", "dropped");
  hs_log_write(log, HS_LOG_WARN, "bamboohr", "kept");
  hs_log_printf(log, HS_LOG_ERROR, NULL, "n=%d", 3);
  assert_string_equal(lines, "1|bamboohr: kept\n0|n=3\n");
  hs_log_write(NULL, HS_LOG_ERROR, NULL, "no log, no crash");
  hs_log_free(log);
}

static void test_log_redaction(void **state)
{
  hs_log *log = hs_log_new(HS_LOG_DEBUG, sink, NULL);
  hs_buf out = HS_BUF_INIT;
  (void)state;
  lines[0] = 0;
  assert_int_equal(hs_log_add_secret(log, "abc"), 0); /* too short: kept */
  assert_int_equal(hs_log_add_secret(log, "bamboo-test-key"), 0);
  assert_int_equal(hs_log_add_secret(log, "bamboo-test-key"), 0); /* dup */
  assert_int_equal(hs_log_add_secret(log, "bamboo"), 0);
  assert_int_equal(hs_log_add_secret(log, "tok-1234"), 0);
  assert_int_equal(hs_log_add_secret(NULL, "tok-1234"), 0);

  /* The longest secret at a place wins; every occurrence goes. */
  assert_int_equal(hs_log_redact(log,
                                 "k=bamboo-test-key, b=bamboo, "
                                 "t=tok-1234tok-1234, abc",
                                 &out),
                   0);
  assert_string_equal(out.data, "k=[REDACTED], b=[REDACTED], "
                                "t=[REDACTED][REDACTED], abc");
  hs_buf_free(&out);

  /* The who prefix is redacted too, and printf lines alike. */
  hs_log_printf(log, HS_LOG_DEBUG, "tok-1234", "Authorization: Bearer %s",
                "tok-1234");
  assert_string_equal(lines,
                      "3|[REDACTED]: Authorization: Bearer [REDACTED]\n");
  assert_null(strstr(lines, "tok-1234"));
  hs_log_free(log);
}

/* A long line is never cut where a secret could be split in two. */
static void test_log_long_line_and_newlines(void **state)
{
  hs_log *log = hs_log_new(HS_LOG_DEBUG, sink, NULL);
  static char pad[5000];
  (void)state;
  lines[0] = 0;
  memset(pad, 'x', 2040);
  pad[2040] = 0;
  hs_log_add_secret(log, "SECRET-0123456789");
  hs_log_printf(log, HS_LOG_INFO, NULL, "%s SECRET-0123456789 end", pad);
  assert_null(strstr(lines, "SECRET"));
  assert_null(strstr(lines, "0123456789"));
  lines[0] = 0;
  hs_log_write(log, HS_LOG_WARN, "p", "a\nerror: forged\r\nb\x1b[2J");
  assert_string_equal(lines, "1|p: a\\nerror: forged\\r\\nb\\x1b[2J\n");
  hs_log_free(log);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_err),
      cmocka_unit_test(test_buf),
      cmocka_unit_test(test_log_levels),
      cmocka_unit_test(test_log_redaction),
      cmocka_unit_test(test_log_long_line_and_newlines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
