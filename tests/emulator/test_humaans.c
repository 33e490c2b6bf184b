/* Humaans over the wire: bearer tokens and scopes, the Feathers envelope,
 * the $limit cap (clamp, or 400 with --humaans-limit reject), the end of
 * the list, job-role history with a future role, /api/me. */
#include "test_common.h"

static const char *const priv[] = {"Authorization: Bearer humaans-test-token",
                                   NULL};
static const char *const pub[] = {"Authorization: Bearer humaans-public-token",
                                  NULL};

static void t_auth(void **state)
{
  static const char *const bad[] = {"Authorization: Bearer nope", NULL};
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", "/humaans/api/people", bad, NULL, NULL);
  assert_int_equal(r.status, 401);
  o = http_json(&r);
  assert_string_equal(jstr(o, "name"), "NotAuthenticated");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/humaans/api/me", priv, NULL, NULL);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
}

static void t_envelope_and_end(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", "/humaans/api/people?$limit=3&$skip=0", priv, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "total")), 4);
  assert_int_equal(json_object_get_int(jpath(o, "limit")), 3);
  assert_int_equal(json_object_get_int(jpath(o, "skip")), 0);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 3);
  assert_int_equal(strlen(jstr(o, "data.0.id")), 24);
  assert_string_equal(jstr(o, "data.0.firstName"), "Zoë");
  assert_string_equal(jstr(o, "data.0.personalEmail"), "zoe@mail.example");
  assert_string_equal(jstr(o, "data.1.status"), "offboarded");
  assert_string_equal(jstr(o, "data.1.contractType"), "Part time");
  assert_string_equal(jstr(o, "data.2.status"), "newHire");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/humaans/api/people?$limit=3&$skip=3", priv, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 1);
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/humaans/api/people?$limit=300", priv, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "limit")), 250);
  json_object_put(o);
  http_res_free(&r);
}

static void t_limit_reject(void **state)
{
  const char *args[] = {"--fixture", EMU_FIXTURE, "--humaans-limit", "reject",
                        NULL};
  emu_proc e2;
  char url[256];
  http_res r;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/humaans/api/people?$limit=251", url, sizeof(url));
  assert_int_equal(http_do("GET", url, priv, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

static void t_public_scope(void **state)
{
  http_res r;
  json_object *o, *v;

  (void)state;
  req(&r, "GET", "/humaans/api/people", pub, NULL, NULL);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  /* Only active people, and no personal fields. */
  assert_int_equal(json_object_get_int(jpath(o, "total")), 2);
  assert_false(
      json_object_object_get_ex(jpath(o, "data.0"), "personalEmail", &v));
  assert_false(json_object_object_get_ex(jpath(o, "data.0"), "birthday", &v));
  assert_string_equal(jstr(o, "data.0.email"), "zoe.obrien@acme.example");
  json_object_put(o);
  http_res_free(&r);
}

static void t_job_roles(void **state)
{
  http_res r;
  json_object *o;
  char path[256], id[32];
  size_t i, n;
  int future = 0;
  const char *best = "", *title = NULL;

  (void)state;
  req(&r, "GET", "/humaans/api/people?$limit=1", priv, NULL, NULL);
  o = http_json(&r);
  snprintf(id, sizeof(id), "%s", jstr(o, "data.0.id"));
  json_object_put(o);
  http_res_free(&r);
  snprintf(path, sizeof(path), "/humaans/api/job-roles?personId=%s", id);
  req(&r, "GET", path, priv, NULL, NULL);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  n = json_object_array_length(jpath(o, "data"));
  assert_true(n >= 2);
  for(i = 0; i < n; i++) {
    json_object *role = json_object_array_get_idx(jpath(o, "data"), i);
    assert_string_equal(jstr(role, "personId"), id);
    if(strcmp(jstr(role, "effectiveDate"), "2026-06-15") > 0)
      future++;
    else if(strcmp(jstr(role, "effectiveDate"), best) > 0) {
      best = jstr(role, "effectiveDate");
      title = jstr(role, "jobTitle");
    }
  }
  assert_int_equal(future, 1);
  /* The current role (latest effective date up to today) is the
   * canonical job title. */
  assert_non_null(title);
  assert_string_equal(title, "Software Engineer");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/humaans/api/job-roles?$limit=2&$skip=2", priv, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "total")), 9);
  assert_string_equal(jstr(o, "data.0.jobTitle"), "Senior Software Engineer");
  json_object_put(o);
  http_res_free(&r);
}

/* --humaans-job-roles catalogue: {id, companyId, name} of the distinct
 * titles, no personId; each person points at its title by jobRoleId.
 * /custom-values without personId: every value, paged. */
static void t_catalogue_and_value_list(void **state)
{
  const char *args[] = {"--fixture", EMU_FIXTURE, "--humaans-job-roles",
                        "catalogue", NULL};
  emu_proc e2;
  char url[256], rid[64];
  http_res r;
  json_object *o, *role;
  size_t i, n;
  int found = 0;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/humaans/api/people?$limit=1", url, sizeof(url));
  assert_int_equal(http_do("GET", url, priv, NULL, NULL, &r), 0);
  o = http_json(&r);
  snprintf(rid, sizeof(rid), "%s", jstr(o, "data.0.jobRoleId"));
  json_object_put(o);
  http_res_free(&r);
  emu_url(&e2, "/humaans/api/job-roles", url, sizeof(url));
  assert_int_equal(http_do("GET", url, priv, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  n = json_object_array_length(jpath(o, "data"));
  assert_true(n >= 1);
  for(i = 0; i < n; i++) {
    role = json_object_array_get_idx(jpath(o, "data"), i);
    assert_null(jpath(role, "personId"));
    assert_non_null(jstr(role, "companyId"));
    if(!strcmp(jstr(role, "id"), rid)) {
      assert_string_equal(jstr(role, "name"), "Software Engineer");
      found = 1;
    }
  }
  assert_true(found);
  json_object_put(o);
  http_res_free(&r);
  emu_url(&e2, "/humaans/api/custom-values?$limit=2", url, sizeof(url));
  assert_int_equal(http_do("GET", url, priv, NULL, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 2);
  assert_true(json_object_get_int(jpath(o, "total")) >= 2);
  assert_non_null(jstr(o, "data.0.personId"));
  assert_non_null(jstr(o, "data.0.customFieldId"));
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_auth),
      cmocka_unit_test(t_envelope_and_end),
      cmocka_unit_test(t_limit_reject),
      cmocka_unit_test(t_public_scope),
      cmocka_unit_test(t_job_roles),
      cmocka_unit_test(t_catalogue_and_value_list),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_humaans");
}
