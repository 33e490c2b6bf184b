/*
** conf_redact: a secret is replaced in each form a connector sends it
** (raw, JSON-escaped with and without "\/", URL-encoded in either case or
** fully), found but not replaced in base64 (alone or inside a Basic
** value, at any alignment), and a plain substitution is never reported as
** a secret.
*/
#include "conf_redact.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define SECRET "pa/ss\"w+rd x"

static hs_redact *make(void)
{
  hs_redact *r = hs_redact_new();
  hs_err err;
  assert_non_null(r);
  assert_int_equal(
      hs_redact_add_secret(r, "client_secret", SECRET, "PH", &err), HS_OK);
  assert_int_equal(hs_redact_add(r, "http://127.0.0.1:8080", "http://x", &err),
                   HS_OK);
  return r;
}

/* Redacts text and returns it (malloc'd). */
static char *redacted(const hs_redact *r, const char *text)
{
  char *t = strdup(text);
  assert_non_null(t);
  assert_int_equal(hs_redact_apply_str(r, &t), 0);
  return t;
}

static void test_replaced_forms(void **state)
{
  static const char *const in[] = {
      "{\"s\":\"pa\\/ss\\\"w+rd x\"}",          /* json-c: "\/" */
      "{\"s\":\"pa/ss\\\"w+rd x\"}",            /* plain JSON */
      "client_secret=pa%2Fss%22w%2Brd%20x&a=b", /* form, upper hex */
      "?k=pa%2fss%22w%2brd%20x",                /* lower hex */
      "raw pa/ss\"w+rd x raw"};
  static const char *const out[] = {"{\"s\":\"PH\"}", "{\"s\":\"PH\"}",
                                    "client_secret=PH&a=b", "?k=PH",
                                    "raw PH raw"};
  hs_redact *r = make();
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    char *t = redacted(r, in[i]);
    assert_string_equal(t, out[i]);
    assert_null(hs_redact_find(r, t, strlen(t), NULL));
    free(t);
  }
  hs_redact_free(r);
}

static void test_base64_found(void **state)
{
  /* base64("u:" SECRET), base64("user:" SECRET), base64(SECRET): the
  ** three alignments. */
  static const char *const b64[] = {
      "dTpwYS9zcyJ3K3JkIHg=", "dXNlcjpwYS9zcyJ3K3JkIHg=", "cGEvc3MidytyZCB4"};
  hs_redact *r = make();
  size_t i;
  (void)state;
  for(i = 0; i < 3; i++) {
    char line[128];
    const char *form = NULL;
    char *t;
    snprintf(line, sizeof(line), "Authorization: Basic %s", b64[i]);
    t = redacted(r, line);
    assert_string_equal(t, line); /* cannot be replaced in place */
    assert_string_equal(hs_redact_find(r, t, strlen(t), &form),
                        "client_secret");
    assert_string_equal(form, "base64");
    free(t);
  }
  hs_redact_free(r);
}

static void test_plain_and_short(void **state)
{
  hs_redact *r = make();
  hs_err err;
  const char *text = "GET http://127.0.0.1:8080/v1 abc";
  char *t = redacted(r, text);
  (void)state;
  assert_string_equal(t, "GET http://x/v1 abc");
  /* The live address is replaced but is no secret. */
  assert_null(hs_redact_find(r, text, strlen(text), NULL));
  /* A value too short to redact is ignored, as the log does. */
  assert_int_equal(hs_redact_add_secret(r, "pin", "abc", "PH", &err), HS_OK);
  assert_null(hs_redact_find(r, t, strlen(t), NULL));
  free(t);
  hs_redact_free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_replaced_forms),
                                     cmocka_unit_test(test_base64_found),
                                     cmocka_unit_test(test_plain_and_short)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
