/*
** Nearest-name suggestions (engine/suggest.c) and their use in the
** config's unknown-field errors: "did you mean "workEmail"?".
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config.h"
#include "suggest.h"

#include <string.h>

static const char *const fields[] = {"id",          "firstName", "lastName",
                                     "workEmail",   "homeEmail", "hireDate",
                                     "nationality", "zipcode",   NULL};

static const char *nth(void *arg, size_t i)
{
  const char *const *v = arg;
  size_t k;
  for(k = 0; k < i && v[k]; k++)
    ;
  return v[k];
}

static int known(void *arg, const char *id)
{
  const char *const *v = arg;
  for(; *v; v++)
    if(!strcmp(*v, id))
      return 1;
  return 0;
}

static void distance(void **state)
{
  (void)state;
  assert_int_equal(hs_suggest_distance("", ""), 0);
  assert_int_equal(hs_suggest_distance("abc", ""), 3);
  assert_int_equal(hs_suggest_distance("kitten", "sitting"), 3);
  assert_int_equal(hs_suggest_distance("workemail", "workEmail"), 0);
  assert_int_equal(hs_suggest_distance("workEmial", "workEmail"), 2);
}

static void nearest(void **state)
{
  (void)state;
  assert_string_equal(hs_suggest_nearest("workEmial", nth, (void *)fields),
                      "workEmail");
  assert_string_equal(hs_suggest_nearest("workemail", nth, (void *)fields),
                      "workEmail");
  assert_string_equal(hs_suggest_nearest("zipCode", nth, (void *)fields),
                      "zipcode");
  assert_string_equal(hs_suggest_nearest("hiredate", nth, (void *)fields),
                      "hireDate");
  /* Nothing near: no guess. */
  assert_null(hs_suggest_nearest("payRate", nth, (void *)fields));
  assert_null(hs_suggest_nearest("x", nth, (void *)fields));
  /* An exact match is not a suggestion. */
  assert_null(
      hs_suggest_nearest("id", nth, (void *)(const char *[]){"id", NULL}));
}

static void config_error_suggests(void **state)
{
  hs_config *cfg = NULL;
  hs_err err;
  (void)state;
  hs_err_clear(&err);
  assert_int_equal(
      hs_config_parse("{\"connector\": \"x\", \"mapping\": {\"email\": "
                      "\"workemial\"}, \"conditions\": [{\"field\": "
                      "\"hiredat\", \"op\": \"empty\"}]}",
                      "h.json", &cfg, &err),
      HS_OK);
  assert_int_equal(
      hs_config_check_fields_near(cfg, known, nth, (void *)fields, &err),
      HS_E_CONFIG);
  assert_string_equal(err.msg, "h.json: mapping.email: unknown HR field "
                               "\"workemial\" (did you mean \"workEmail\"? "
                               "see `hrsync fields`)");
  hs_config_free(cfg);
  assert_int_equal(
      hs_config_parse("{\"connector\": \"x\", \"conditions\": [{\"field\": "
                      "\"hiredat\", \"op\": \"empty\"}, {\"field\": "
                      "\"salary\", \"op\": \"empty\"}]}",
                      "h.json", &cfg, &err),
      HS_OK);
  assert_int_equal(
      hs_config_check_fields_near(cfg, known, nth, (void *)fields, &err),
      HS_E_CONFIG);
  assert_string_equal(err.msg, "h.json: conditions[0].field: unknown HR "
                               "field \"hiredat\" (did you mean "
                               "\"hireDate\"? see `hrsync fields`)");
  hs_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(distance),
      cmocka_unit_test(nearest),
      cmocka_unit_test(config_error_suggests),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
