/*
** Config: unknown keys, mapping errors (exit-2 class, naming the key and
** the file), field checks against the connector, secrets and their file
** permissions, relative paths.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void expect_error(const char *text, const char *msg)
{
  hs_config *cfg = NULL;
  hs_err err;
  hs_err_clear(&err);
  assert_int_equal(hs_config_parse(text, "hrsync.json", &cfg, &err),
                   HS_E_CONFIG);
  assert_null(cfg);
  if(!strstr(err.msg, msg))
    fail_msg("\"%s\" not in \"%s\"", msg, err.msg);
  assert_memory_equal(err.msg, "hrsync.json: ", 13);
}

static void errors_name_file_and_key(void **state)
{
  (void)state;
  expect_error("{\"connector\": \"x\", \"colour\": 1}", "colour: unknown key");
  expect_error("{\"settings\": {}}", "connector: missing");
  expect_error("{\"connector\": \"x\", \"mapping\": {\"shoe\": \"s\"}}",
               "mapping.shoe: unknown stakeholder field");
  expect_error("{\"connector\": \"x\", \"mapping\": {\"name\": \"n\"}}",
               "mapping.name: not mappable (built from name_format)");
  expect_error("{\"connector\": \"x\", \"mapping\": {\"email\": 3}}",
               "mapping.email: expected an HR field id");
  expect_error("{\"connector\": \"x\", \"name_format\": \"x\"}",
               "name_format: unknown format \"x\"");
  expect_error("{\"connector\": \"x\", \"groups\": [{\"group\": \"G\"}]}",
               "groups[0].if: missing");
  expect_error("{\"connector\": \"x\", \"groups\": [{\"group\": \"G\", "
               "\"if\": [{\"field\": \"s\", \"op\": \"is\"}]}]}",
               "groups[0].if[0].op: unknown operator \"is\"");
  expect_error("{\"connector\": \"x\", \"settings\": {\"a\": [1]}}",
               "settings.a: expected a string");
  expect_error("{\"connector\": \"x\",\n\"settings\": {,}}",
               "line 2: invalid JSON");
}

static int known(void *arg, const char *id)
{
  const char *const *ids = arg;
  for(; *ids; ids++)
    if(!strcmp(*ids, id))
      return 1;
  return 0;
}

static void fields_checked(void **state)
{
  static const char *const ids[] = {"id", "firstName", "status", NULL};
  hs_config *cfg;
  hs_err err;
  const char **wanted;
  size_t n;
  (void)state;
  assert_int_equal(
      hs_config_parse("{\"connector\": \"x\", \"mapping\": {\"first_name\": "
                      "\"firstName\", \"email\": \"mail\"}, \"conditions\": "
                      "[{\"field\": \"status\", \"op\": \"empty\"}]}",
                      "dir/hrsync.json", &cfg, &err),
      HS_OK);
  assert_int_equal(hs_config_check_fields(cfg, known, (void *)ids, &err),
                   HS_E_CONFIG);
  assert_string_equal(err.msg, "dir/hrsync.json: mapping.email: unknown HR "
                               "field \"mail\" (see `hrsync fields`)");
  assert_int_equal(hs_config_wanted(cfg, &wanted, &n, &err), HS_OK);
  assert_int_equal(n, 3);
  free(wanted);
  hs_config_free(cfg);
  assert_int_equal(
      hs_config_parse("{\"connector\": \"x\", \"conditions\": [{\"field\": "
                      "\"id\", \"op\": \"empty\"}, {\"field\": \"st\", "
                      "\"op\": \"empty\"}]}",
                      "h.json", &cfg, &err),
      HS_OK);
  assert_int_equal(hs_config_check_fields(cfg, known, (void *)ids, &err),
                   HS_E_CONFIG);
  assert_string_equal(err.msg, "h.json: conditions[1].field: unknown HR "
                               "field \"st\" (see `hrsync fields`)");
  hs_config_free(cfg);
}

static void relative_database(void **state)
{
  hs_config *cfg;
  hs_err err;
  (void)state;
  assert_int_equal(hs_config_parse("{\"connector\": \"x\", \"database\": "
                                   "\"reg.db\", \"name_format\": "
                                   "\"last_first\"}",
                                   "/etc/acme/hrsync.json", &cfg, &err),
                   HS_OK);
  assert_string_equal(cfg->database, "/etc/acme/reg.db");
  assert_int_equal(cfg->name_format, HS_NAME_LAST_FIRST);
  assert_string_equal(cfg->dir, "/etc/acme");
  hs_config_free(cfg);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  assert_int_equal(chmod(path, mode), 0);
}

static void secrets(void **state)
{
  char dir[] = "/tmp/hs-core-secret-XXXXXX", path[256];
  hs_config *cfg;
  char *v;
  hs_err err;
  (void)state;
  assert_non_null(mkdtemp(dir));
  /* env: */
  setenv("HS_CORE_TEST_SECRET", "s3cret-value", 1);
  assert_int_equal(
      hs_secret_resolve("env:HS_CORE_TEST_SECRET", "secrets.k", dir, &v, &err),
      HS_OK);
  assert_string_equal(v, "s3cret-value");
  free(v);
  assert_int_equal(
      hs_secret_resolve("env:HS_CORE_NOT_SET_X", "secrets.k", dir, &v, &err),
      HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "HS_CORE_NOT_SET_X"));
  /* file:, relative to the config's folder, private only */
  snprintf(path, sizeof(path), "%s/key", dir);
  write_file(path, "file-secret\n", 0644);
  assert_int_equal(hs_secret_resolve("file:key", "secrets.k", dir, &v, &err),
                   HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "readable by group or others"));
  assert_null(strstr(err.msg, "file-secret"));
  chmod(path, 0600);
  assert_int_equal(hs_secret_resolve("file:key", "secrets.k", dir, &v, &err),
                   HS_OK);
  assert_string_equal(v, "file-secret");
  free(v);
  unlink(path);
  /* literal: the config must be private */
  snprintf(path, sizeof(path), "%s/hrsync.json", dir);
  write_file(path,
             "{\"connector\": \"x\", \"secrets\": {\"k\": \"literal-1234\"}}",
             0644);
  assert_int_equal(hs_config_load(path, &cfg, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "secrets.k: a literal secret needs a "
                                  "private config file"));
  assert_null(strstr(err.msg, "literal-1234"));
  chmod(path, 0600);
  assert_int_equal(hs_config_load(path, &cfg, &err), HS_OK);
  assert_true(hs_secret_is_literal(cfg->secrets[0].value));
  hs_config_free(cfg);
  unlink(path);
  rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(errors_name_file_and_key),
      cmocka_unit_test(fields_checked),
      cmocka_unit_test(relative_database),
      cmocka_unit_test(secrets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
