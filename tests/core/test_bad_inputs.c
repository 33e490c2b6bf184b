/*
** Bad inputs of issue 15 at the core's edges: a CSV cell with a NUL byte
** is refused, never cut (case 10); the config's "limits" object is parsed
** strictly (case 3).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config.h"
#include "csv.h"

#include <stdio.h>
#include <string.h>

static void csv_nul_refused(void **state)
{
  static const char text[] = "id,name\n1,Ada\n2,Ada\0Evil\n";
  hs_csv csv;
  hs_err err;
  (void)state;
  hs_err_clear(&err);
  assert_int_equal(hs_csv_parse(text, sizeof(text) - 1, "in.csv", &csv, &err),
                   HS_E_PARSE);
  assert_string_equal(err.msg,
                      "in.csv: line 3: a NUL byte (byte 20); not a text CSV");
}

static hs_rc parse(const char *limits, hs_config **cfg, hs_err *err)
{
  char text[512];
  snprintf(text, sizeof(text), "{\"connector\": \"x\", \"limits\": %s}",
           limits);
  hs_err_clear(err);
  *cfg = NULL;
  return hs_config_parse(text, "c.json", cfg, err);
}

static void config_limits(void **state)
{
  hs_config *cfg;
  hs_err err;
  (void)state;
  assert_int_equal(parse("{\"field_bytes\": 100, \"response_bytes\": 5000, "
                         "\"records_per_run\": 7, \"pages_per_run\": 3}",
                         &cfg, &err),
                   HS_OK);
  assert_int_equal(cfg->limits.field_bytes, 100);
  assert_int_equal(cfg->limits.body_bytes, 5000);
  assert_int_equal(cfg->limits.records, 7);
  assert_int_equal(cfg->limits.pages, 3);
  hs_config_free(cfg);
  assert_int_equal(parse("{}", &cfg, &err), HS_OK);
  assert_int_equal(cfg->limits.field_bytes, 0); /* 0 = the default */
  hs_config_free(cfg);

  assert_int_equal(parse("{\"field_bytes\": 0}", &cfg, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "c.json: limits.field_bytes: expected a "
                                  "whole number from 1 to"));
  assert_int_equal(parse("{\"pages_per_run\": \"9\"}", &cfg, &err),
                   HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "limits.pages_per_run"));
  assert_int_equal(parse("{\"record_bytes\": 9}", &cfg, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "limits.record_bytes: unknown limit"));
  assert_int_equal(parse("[1]", &cfg, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "limits: expected an object"));
  assert_int_equal(parse("{\"field_bytes\": 1.5}", &cfg, &err), HS_E_CONFIG);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(csv_nul_refused),
      cmocka_unit_test(config_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
