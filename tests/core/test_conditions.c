/*
** Conditions: each operator, dates and numbers compared as such, text
** case-sensitively, absent values, reasons, and parse errors.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config.h"

#include <stdlib.h>
#include <string.h>

/* A config with one condition, parsed from text. */
static hs_config *one(const char *cond, hs_err *err)
{
  char text[1024];
  hs_config *cfg = NULL;
  snprintf(text, sizeof(text), "{\"connector\": \"x\", \"conditions\": [%s]}",
           cond);
  hs_config_parse(text, "t.json", &cfg, err);
  return cfg;
}

static int eval(const char *cond, const char *value)
{
  hs_err err;
  hs_config *cfg = one(cond, &err);
  int r;
  if(!cfg)
    fail_msg("%s: %s", cond, err.msg);
  r = hs_cond_eval(&cfg->conds[0], value);
  hs_config_free(cfg);
  return r;
}

#define EQ "{\"field\": \"f\", \"op\": \"=\", \"value\": \"Active\"}"

static void operators(void **state)
{
  (void)state;
  assert_true(eval(EQ, "Active"));
  assert_false(eval(EQ, "active")); /* case-sensitive */
  assert_false(eval(EQ, NULL));
  assert_true(eval("{\"field\":\"f\",\"op\":\"!=\",\"value\":\"A\"}", "B"));
  assert_true(eval("{\"field\":\"f\",\"op\":\"!=\",\"value\":\"A\"}", NULL));
  assert_false(eval("{\"field\":\"f\",\"op\":\"!=\",\"value\":\"A\"}", "A"));
  assert_true(
      eval("{\"field\":\"f\",\"op\":\"in\",\"value\":[\"A\",\"B\"]}", "B"));
  assert_false(
      eval("{\"field\":\"f\",\"op\":\"in\",\"value\":[\"A\",\"B\"]}", "C"));
  assert_false(
      eval("{\"field\":\"f\",\"op\":\"in\",\"value\":[\"A\"]}", NULL));
  assert_true(eval(
      "{\"field\":\"f\",\"op\":\"not in\",\"value\":[\"A\",\"B\"]}", "C"));
  assert_false(eval(
      "{\"field\":\"f\",\"op\":\"not in\",\"value\":[\"A\",\"B\"]}", "A"));
  assert_true(eval("{\"field\":\"f\",\"op\":\"contains\",\"value\":\"@acme\"}",
                   "a@acme.x"));
  assert_false(
      eval("{\"field\":\"f\",\"op\":\"contains\",\"value\":\"@Acme\"}",
           "a@acme.x"));
  assert_true(eval("{\"field\":\"f\",\"op\":\"empty\"}", NULL));
  assert_false(eval("{\"field\":\"f\",\"op\":\"empty\"}", "x"));
  assert_true(eval("{\"field\":\"f\",\"op\":\"not empty\"}", "x"));
  assert_false(eval("{\"field\":\"f\",\"op\":\"not empty\"}", NULL));
}

static void ordering(void **state)
{
  (void)state;
  /* Numbers as numbers: 9 < 10 (as text "9" > "10"). */
  assert_true(eval("{\"field\":\"f\",\"op\":\"<\",\"value\":10}", "9"));
  assert_false(eval("{\"field\":\"f\",\"op\":\">\",\"value\":\"10\"}", "9"));
  assert_true(eval("{\"field\":\"f\",\"op\":\">\",\"value\":2.5}", "2.75"));
  /* Dates as dates, whatever shape either side has. */
  assert_true(eval("{\"field\":\"f\",\"op\":\"<\",\"value\":\"2024-01-01\"}",
                   "2023-12-31"));
  assert_true(eval("{\"field\":\"f\",\"op\":\">\",\"value\":\"2024-01-01\"}",
                   "2024-01-01T23:00:00.000Z")); /* = 2024-01-02 */
  assert_true(eval("{\"field\":\"f\",\"op\":\"=\",\"value\":\"2024-01-02\"}",
                   "2024-01-01T23:00:00.000Z"));
  /* Text otherwise, byte order. */
  assert_true(eval("{\"field\":\"f\",\"op\":\"<\",\"value\":\"b\"}", "a"));
  assert_true(eval("{\"field\":\"f\",\"op\":\"<\",\"value\":\"a\"}", "B"));
  assert_false(eval("{\"field\":\"f\",\"op\":\"<\",\"value\":\"a\"}", NULL));
  assert_false(eval("{\"field\":\"f\",\"op\":\">\",\"value\":\"a\"}", NULL));
  /* Numbers in "=": 1.0 equals 1. */
  assert_true(eval("{\"field\":\"f\",\"op\":\"=\",\"value\":1}", "1.0"));
}

static void reasons(void **state)
{
  hs_err err;
  hs_config *cfg = one(EQ ",{\"field\":\"t\",\"op\":\"in\",\"value\":[\"A\","
                          "\"B\"]}",
                       &err);
  hs_buf b = HS_BUF_INIT;
  (void)state;
  assert_non_null(cfg);
  assert_int_equal(cfg->n_conds, 2);
  assert_int_equal(hs_cond_describe(&cfg->conds[0], "Inactive", &b), 0);
  assert_string_equal(hs_buf_str(&b), "f = \"Active\" (was \"Inactive\")");
  hs_buf_reset(&b);
  assert_int_equal(hs_cond_describe(&cfg->conds[1], NULL, &b), 0);
  assert_string_equal(hs_buf_str(&b), "t in [\"A\", \"B\"] (was empty)");
  hs_buf_free(&b);
  hs_config_free(cfg);
}

static void parse_errors(void **state)
{
  static const struct {
    const char *cond, *msg;
  } table[] = {
      {"{\"field\":\"f\",\"op\":\"==\",\"value\":\"x\"}",
       "t.json: conditions[0].op: unknown operator \"==\"; expected one of "
       "=, !=, in, not in, contains, empty, not empty, <, >"},
      {"{\"field\":\"f\",\"op\":\"in\",\"value\":\"x\"}",
       "t.json: conditions[0].value: operator \"in\" needs a list of values"},
      {"{\"field\":\"f\",\"op\":\"empty\",\"value\":\"x\"}",
       "t.json: conditions[0].value: operator \"empty\" takes no value"},
      {"{\"field\":\"f\",\"op\":\"=\"}",
       "t.json: conditions[0].value: missing; operator \"=\" needs one"},
      {"{\"op\":\"=\",\"value\":\"x\"}",
       "t.json: conditions[0].field: missing; expected an HR field id"},
      {"{\"field\":\"f\",\"op\":\"=\",\"value\":\"x\",\"vaule\":1}",
       "t.json: conditions[0].vaule: unknown key; expected field, op, "
       "value, allow_empty"},
      {"{\"field\":\"f\",\"op\":\"=\",\"value\":{}}",
       "t.json: conditions[0].value: expected a string or a number"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    hs_err err;
    hs_config *cfg;
    hs_err_clear(&err);
    cfg = one(table[i].cond, &err);
    assert_null(cfg);
    assert_int_equal(err.rc, HS_E_CONFIG);
    assert_string_equal(err.msg, table[i].msg);
  }
}

static void five_conditions_anded(void **state)
{
  hs_err err;
  hs_config *cfg =
      one(EQ ",{\"field\":\"g\",\"op\":\"!=\",\"value\":\"x\"},"
             "{\"field\":\"h\",\"op\":\"not empty\"},"
             "{\"field\":\"i\",\"op\":\"contains\",\"value\":\"a\"},"
             "{\"field\":\"j\",\"op\":\">\",\"value\":3},"
             "{\"field\":\"k\",\"op\":\"not in\",\"value\":[\"z\"]}",
          &err);
  (void)state;
  assert_non_null(cfg);
  assert_int_equal(cfg->n_conds, 6);
  assert_string_equal(cfg->conds[5].field, "k");
  assert_int_equal(cfg->conds[5].op, HS_OP_NOT_IN);
  hs_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(operators),
      cmocka_unit_test(ordering),
      cmocka_unit_test(reasons),
      cmocka_unit_test(parse_errors),
      cmocka_unit_test(five_conditions_anded),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
