/* BambooHR over the wire: auth, URL styles, meta/fields, the custom
 * report's content negotiation and value conventions, changed, datasets. */
#include "test_common.h"

#include <regex.h>

#define GW  "/bamboohr/api/gateway.php/acme/v1"
#define KEY "bamboo-test-key:x"

static const char *const json_ct[] = {"Content-Type: application/json",
                                      "Accept: application/json", NULL};
static const char *const report_body =
    "{\"fields\":[\"id\",\"firstName\",\"lastName\",\"workEmail\","
    "\"hireDate\",\"terminationDate\",\"status\",\"payRate\","
    "\"employmentHistoryStatus\",\"4001\",\"costCenter\",\"noSuchField\"]}";

static int count_alias(json_object *a, const char *alias);

static void t_auth_required(void **state)
{
  http_res r;
  char h[128];

  (void)state;
  req(&r, "GET", GW "/meta/fields", NULL, NULL, NULL);
  assert_int_equal(r.status, 401);
  assert_non_null(http_header(&r, "WWW-Authenticate", h, sizeof(h)));
  assert_non_null(http_header(&r, "X-BambooHR-Error-Message", h, sizeof(h)));
  assert_int_equal(r.len, 0);
  http_res_free(&r);
  req(&r, "GET", GW "/meta/fields", NULL, "wrong-key:x", NULL);
  assert_int_equal(r.status, 401);
  assert_string_equal(
      http_header(&r, "X-BambooHR-Error-Message", h, sizeof(h)),
      "Invalid API key");
  http_res_free(&r);
}

static void t_url_styles(void **state)
{
  http_res r;

  (void)state;
  req(&r, "GET", "/bamboohr/api/v1/meta/fields", NULL, KEY, NULL);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
  req(&r, "GET", "/bamboohr/api/gateway.php/other/v1/meta/fields", NULL, KEY,
      NULL);
  assert_int_equal(r.status, 404);
  http_res_free(&r);
}

static void t_meta_fields(void **state)
{
  http_res r;
  json_object *a;
  size_t i;
  int int_id = 0, str_id = 0, no_alias = 0, deprecated = 0;

  (void)state;
  /* XML unless JSON is asked for. */
  req(&r, "GET", GW "/meta/fields", NULL, KEY, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "<fields>"));
  assert_non_null(strstr(r.body, "alias=\"firstName\""));
  http_res_free(&r);
  req(&r, "GET", GW "/meta/fields", json_ct + 1, KEY, NULL);
  assert_int_equal(r.status, 200);
  a = http_json(&r);
  assert_true(json_object_is_type(a, json_type_array));
  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *f = json_object_array_get_idx(a, i), *v;
    json_object_object_get_ex(f, "id", &v);
    int_id += json_object_is_type(v, json_type_int);
    str_id += json_object_is_type(v, json_type_string);
    no_alias += !json_object_object_get_ex(f, "alias", &v);
    deprecated += json_object_object_get_ex(f, "deprecated", &v);
  }
  assert_true(int_id > 10);
  /* cost_center as "4340.4", the duplicate employmentHistoryStatus. */
  assert_int_equal(str_id, 2);
  assert_int_equal(no_alias, 1); /* shirt_size, id 4001 */
  assert_int_equal(deprecated, 1);
  /* As on a real tenant: no nationality, a duplicate alias (the first one
  ** first), no report-only names. */
  assert_int_equal(count_alias(a, "nationality"), 0);
  assert_int_equal(count_alias(a, "employmentHistoryStatus"), 2);
  assert_int_equal(count_alias(a, "bestEmail"), 0);
  assert_int_equal(count_alias(a, "supervisorEId"), 0);
  assert_int_equal(count_alias(a, "fullName1"), 0);
  json_object_put(a);
  http_res_free(&r);
}

/* Report-only names are valid in custom reports; nationality is not (the
** tenant has no such field). */
static void t_report_only_fields(void **state)
{
  static const char body[] =
      "{\"fields\":[\"id\",\"bestEmail\",\"supervisorEId\",\"supervisorId\","
      "\"displayName\",\"fullName1\",\"fullName2\",\"fullName3\","
      "\"fullName4\",\"fullName5\",\"lastChanged\",\"nationality\"]}";
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", GW "/reports/custom?format=JSON", json_ct, KEY, body);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_non_null(o);
  assert_int_equal(json_object_array_length(jpath(o, "fields")), 11);
  assert_string_equal(jstr(o, "employees.0.bestEmail"),
                      "zoe.obrien@acme.example");
  assert_null(jstr(o, "employees.1.bestEmail")); /* no email at all */
  assert_null(jstr(o, "employees.0.supervisorEId"));
  assert_string_equal(jstr(o, "employees.2.supervisorEId"), "1");
  assert_string_equal(jstr(o, "employees.2.supervisorId"), "E-001");
  assert_string_equal(jstr(o, "employees.0.fullName1"), "Zoë O'Brien");
  assert_string_equal(jstr(o, "employees.0.fullName2"), "O'Brien, Zoë");
  assert_string_equal(jstr(o, "employees.0.displayName"), "Zoë O'Brien");
  assert_non_null(jstr(o, "employees.0.lastChanged"));
  assert_false(
      json_object_object_get_ex(jpath(o, "employees.0"), "nationality", NULL));
  json_object_put(o);
  http_res_free(&r);
}

/* A withheld field, as real tenants show it: out of fields[], null for
** everyone. */
static void t_withhold_shape(void **state)
{
  static const char body[] =
      "{\"fields\":[\"id\",\"firstName\",\"workEmail\"]}";
  http_res r;
  json_object *o, *emps;
  size_t i;

  (void)state;
  req(&r, "POST", "/_emulator/faults", json_ct, NULL,
      "{\"system\":\"bamboohr\",\"kind\":\"withhold\",\"fields\":"
      "[\"email\"]}");
  assert_true(r.status == 200 || r.status == 201);
  http_res_free(&r);
  req(&r, "POST", GW "/reports/custom?format=JSON", json_ct, KEY, body);
  o = http_json(&r);
  assert_non_null(o);
  assert_int_equal(json_object_array_length(jpath(o, "fields")), 2);
  assert_string_equal(jstr(o, "fields.1.id"), "firstName");
  emps = jpath(o, "employees");
  assert_int_equal(json_object_array_length(emps), 4);
  for(i = 0; i < 4; i++) {
    json_object *v;
    assert_true(json_object_object_get_ex(json_object_array_get_idx(emps, i),
                                          "workEmail", &v));
    assert_null(v);
  }
  json_object_put(o);
  http_res_free(&r);
  req(&r, "DELETE", "/_emulator/faults", NULL, NULL, NULL);
  http_res_free(&r);
}

/* --bamboohr-nationality yes: the field is back, in meta/fields, reports
** and the dataset. */
static void t_nationality_switch(void **state)
{
  const char *args[] = {"--fixture",
                        EMU_FIXTURE,
                        "--today",
                        "2026-06-15",
                        "--bamboohr-nationality",
                        "yes",
                        NULL};
  emu_proc e2;
  http_res r;
  json_object *o;
  char url[512];

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, GW "/meta/fields", url, sizeof(url));
  assert_int_equal(http_do("GET", url, json_ct + 1, KEY, NULL, &r), 0);
  o = http_json(&r);
  assert_int_equal(count_alias(o, "nationality"), 1);
  json_object_put(o);
  http_res_free(&r);
  emu_url(&e2, GW "/reports/custom?format=JSON", url, sizeof(url));
  assert_int_equal(http_do("POST", url, json_ct, KEY,
                           "{\"fields\":[\"id\",\"nationality\"]}", &r),
                   0);
  o = http_json(&r);
  assert_string_equal(jstr(o, "employees.0.nationality"), "Irish");
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

/* How many meta/fields entries carry alias. */
static int count_alias(json_object *a, const char *alias)
{
  size_t i;
  int n = 0;
  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *v;
    if(json_object_object_get_ex(json_object_array_get_idx(a, i), "alias",
                                 &v) &&
       !strcmp(json_object_get_string(v), alias))
      n++;
  }
  return n;
}

static void t_report_values(void **state)
{
  http_res r;
  json_object *o, *emps, *e, *v;
  regex_t re;
  size_t i;

  (void)state;
  req(&r, "POST", GW "/reports/custom", json_ct, KEY, report_body);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_non_null(o);
  /* The unknown field is silently dropped from fields[] and values. */
  assert_int_equal(json_object_array_length(jpath(o, "fields")), 11);
  emps = jpath(o, "employees");
  assert_int_equal(json_object_array_length(emps), 4); /* inactive too */
  for(i = 0; i < 4; i++) {
    json_object_iter it;
    e = json_object_array_get_idx(emps, i);
    json_object_object_foreachC(e, it)
    {
      assert_true(!it.val || json_object_is_type(it.val, json_type_string));
    }
    assert_false(json_object_object_get_ex(e, "noSuchField", &v));
  }
  e = json_object_array_get_idx(emps, 0);
  assert_string_equal(jstr(e, "id"), "1");
  assert_string_equal(jstr(e, "firstName"), "Zoë");
  assert_string_equal(jstr(e, "lastName"), "O'Brien");
  assert_string_equal(jstr(e, "terminationDate"), "0000-00-00");
  assert_string_equal(jstr(e, "status"), "Active");
  assert_string_equal(jstr(e, "4001"), "M");
  assert_string_equal(jstr(e, "costCenter"), "CC-100");
  assert_int_equal(
      regcomp(&re, "^[0-9]+\\.[0-9][0-9] [A-Z]{3}$", REG_EXTENDED), 0);
  assert_int_equal(regexec(&re, jstr(e, "payRate"), 0, NULL, 0), 0);
  regfree(&re);
  e = json_object_array_get_idx(emps, 1);
  assert_string_equal(jstr(e, "status"), "Inactive");
  assert_null(jstr(e, "workEmail"));
  assert_string_equal(jstr(e, "terminationDate"), "2025-12-31");
  assert_string_equal(jstr(e, "employmentHistoryStatus"), "Part-Time");
  e = json_object_array_get_idx(emps, 3);
  assert_string_equal(jstr(e, "hireDate"), "0000-00-00");
  json_object_put(o);
  http_res_free(&r);
}

static void t_report_content_type(void **state)
{
  static const char *const charset[] = {
      "Content-Type: application/json; charset=UTF-8",
      "Accept: application/json", NULL};
  http_res r;
  char h[128];

  (void)state;
  req(&r, "POST", GW "/reports/custom", charset, KEY, report_body);
  assert_int_equal(r.status, 400);
  assert_string_equal(
      http_header(&r, "X-BambooHR-Error-Message", h, sizeof(h)),
      "Malformed XML");
  http_res_free(&r);
}

static void t_report_accept(void **state)
{
  static const char *const star[] = {"Content-Type: application/json",
                                     NULL}; /* libcurl sends * / * */
  static const char *const appxml[] = {"Content-Type: application/json",
                                       "Accept: application/xml", NULL};
  static const char *const textxml[] = {"Content-Type: application/json",
                                        "Accept: text/xml", NULL};
  const char *body = "{\"fields\":[\"firstName\"]}";
  json_object *o;
  http_res r;

  (void)state;
  req(&r, "POST", GW "/reports/custom", star, KEY, body);
  assert_int_equal(r.status, 404);
  http_res_free(&r);
  req(&r, "POST", GW "/reports/custom", appxml, KEY, body);
  assert_int_equal(r.status, 404);
  http_res_free(&r);
  /* format= wins, case-insensitively, whatever Accept says. */
  req(&r, "POST", GW "/reports/custom?format=JSON", star, KEY, body);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_non_null(jpath(o, "employees"));
  json_object_put(o);
  http_res_free(&r);
  /* XML unless JSON is asked for. */
  req(&r, "POST", GW "/reports/custom", textxml, KEY, body);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "<?xml"));
  assert_non_null(strstr(r.body, "<field id=\"firstName\">Zoë</field>"));
  http_res_free(&r);
  req(&r, "POST", GW "/reports/custom?format=xml", star, KEY, body);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "<employee id=\"4\">"));
  http_res_free(&r);
}

static void t_report_too_many_fields(void **state)
{
  char *body = malloc(401 * 12 + 32);
  size_t n = 0;
  http_res r;
  int i;

  (void)state;
  assert_non_null(body);
  n += (size_t)sprintf(body, "{\"fields\":[");
  for(i = 0; i < 401; i++)
    n += (size_t)sprintf(body + n, "%s\"f%d\"", i ? "," : "", i);
  sprintf(body + n, "]}");
  req(&r, "POST", GW "/reports/custom", json_ct, KEY, body);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  free(body);
}

static void t_changed(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", GW "/employees/changed", NULL, KEY, NULL);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  req(&r, "GET", GW "/employees/changed?since=2000-01-01T00:00:00Z",
      json_ct + 1, KEY, NULL);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_true(json_object_is_type(jpath(o, "employees"), json_type_object));
  assert_string_equal(jstr(o, "employees.3.id"), "3");
  assert_non_null(jstr(o, "latest"));
  json_object_put(o);
  http_res_free(&r);
}

static void t_one_employee(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", GW "/employees/2?fields=firstName,workEmail,status",
      json_ct + 1, KEY, NULL);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_string_equal(jstr(o, "id"), "2");
  assert_string_equal(jstr(o, "firstName"), "José");
  assert_null(jstr(o, "workEmail"));
  assert_string_equal(jstr(o, "status"), "Inactive");
  json_object_put(o);
  http_res_free(&r);
  /* No Accept: XML, default fields; 0 is the key's own employee. */
  req(&r, "GET", GW "/employees/0", NULL, KEY, NULL);
  assert_int_equal(r.status, 200);
  assert_non_null(strstr(r.body, "<field id=\"lastName\">O'Brien</field>"));
  http_res_free(&r);
  req(&r, "GET", GW "/employees/99", json_ct + 1, KEY, NULL);
  assert_int_equal(r.status, 404);
  http_res_free(&r);
}

static void t_dataset_pages(void **state)
{
  const char *p1 = "{\"fields\":[\"eeid\",\"firstName\"],\"page\":1,"
                   "\"pageSize\":3}";
  const char *p2 = "{\"fields\":[\"eeid\",\"firstName\"],\"page\":2,"
                   "\"pageSize\":3}";
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", "/bamboohr/api/v2/datasets/employee/data", json_ct, KEY, p1);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 3);
  assert_string_equal(jstr(o, "data.0.fields.firstName"), "Zoë");
  assert_string_equal(jstr(o, "data.0.fields.eeid"), "1");
  /* Only the requested fields: no id, no employeeId. */
  assert_int_equal(json_object_object_length(jpath(o, "data.0.fields")), 2);
  assert_null(jpath(o, "data.0.id"));
  assert_int_equal(json_object_get_int(jpath(o, "meta.totalPages")), 2);
  assert_int_equal(json_object_get_int(jpath(o, "meta.totalItems")), 4);
  assert_non_null(jstr(o, "links.next"));
  assert_null(jstr(o, "links.prev"));
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/bamboohr/api/v2/datasets/employee/data", json_ct, KEY, p2);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 1);
  assert_null(jstr(o, "links.next"));
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/bamboohr/api/v2/datasets/employee/data", json_ct, KEY,
      "{\"fields\":[\"eeid\"],\"pageSize\":1001}");
  assert_int_equal(r.status, 400);
  http_res_free(&r);
}

/* The dataset's own names: classic ones are a 400 naming them. */
static void t_dataset_names(void **state)
{
  const char *paths[] = {"/bamboohr/api/gateway.php/acme/v1_2/datasets/"
                         "employee/fields",
                         "/bamboohr/api/v1_2/datasets/employee/fields",
                         "/bamboohr/api/v1/datasets/employee/fields"};
  http_res r;
  json_object *o, *f;
  size_t i, j;

  (void)state;
  for(i = 0; i < 3; i++) {
    int eeid = 0, email = 0, id = 0, nat = 0, custom = 0;
    req(&r, "GET", paths[i], json_ct + 1, KEY, NULL);
    assert_int_equal(r.status, 200);
    o = http_json(&r);
    f = jpath(o, "fields");
    assert_true(json_object_is_type(f, json_type_array));
    for(j = 0; j < json_object_array_length(f); j++) {
      const char *n = jstr(json_object_array_get_idx(f, j), "name");
      eeid += !strcmp(n, "eeid");
      email += !strcmp(n, "email") || !strcmp(n, "addressLineOne") ||
               !strcmp(n, "jobInformationDepartment");
      id += !strcmp(n, "id") || !strcmp(n, "employeeId");
      nat += !strcmp(n, "nationality");
      custom += !strcmp(n, "customShirtSize");
    }
    assert_int_equal(eeid, 1);
    assert_int_equal(email, 3);
    assert_int_equal(id, 0);
    assert_int_equal(nat, 0);
    assert_int_equal(custom, 1);
    assert_int_equal(json_object_get_int(jpath(o, "pagination.total_pages")),
                     1);
    json_object_put(o);
    http_res_free(&r);
  }
  req(&r, "POST", "/bamboohr/api/v2/datasets/employee/data", json_ct, KEY,
      "{\"fields\":[\"id\",\"firstName\",\"workEmail\"]}");
  assert_int_equal(r.status, 400);
  o = http_json(&r);
  assert_string_equal(jstr(o, "detail"), "Unknown fields: id, workEmail");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/bamboohr/api/v2/datasets/employee/data", json_ct, KEY,
      "{\"fields\":[\"eeid\",\"email\",\"jobInformationDepartment\","
      "\"customShirtSize\",\"hireDate\"],"
      "\"filter\":\"jobInformationDepartment eq 'Sales'\"}");
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 2);
  assert_string_equal(jstr(o, "data.0.fields.eeid"), "2");
  assert_null(jstr(o, "data.0.fields.email"));
  assert_string_equal(jstr(o, "data.0.fields.customShirtSize"), "L");
  assert_null(jstr(o, "data.1.fields.hireDate")); /* null, not 0000-00-00 */
  json_object_put(o);
  http_res_free(&r);
}

static void t_directory(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", GW "/employees/directory", json_ct + 1, KEY, NULL);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  /* Active people only: not the leaver, not the future hire. */
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 2);
  assert_string_equal(jstr(o, "employees.1.id"), "4");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", GW "/employees/directory?onlyCurrent=false", json_ct + 1, KEY,
      NULL);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 3);
  json_object_put(o);
  http_res_free(&r);
}

/* Delta reads see control-API hires and removals (runs last: it changes
 * the population, then resets it). */
static void t_changed_actions(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", "/_emulator/people", NULL, NULL,
      "{\"first_name\":\"Åsa\",\"last_name\":\"Larsen\"}");
  assert_int_equal(r.status, 201);
  http_res_free(&r);
  req(&r, "DELETE", "/_emulator/people/2", NULL, NULL, NULL);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
  req(&r, "GET", GW "/employees/changed?since=2026-06-15T00:00:00Z",
      json_ct + 1, KEY, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_object_length(jpath(o, "employees")), 2);
  assert_string_equal(jstr(o, "employees.5.action"), "Inserted");
  assert_string_equal(jstr(o, "employees.2.action"), "Deleted");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET",
      GW "/employees/changed?since=2026-06-15T00:00:00Z&type=deleted",
      json_ct + 1, KEY, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_object_length(jpath(o, "employees")), 1);
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/_emulator/reset", NULL, NULL, NULL);
  http_res_free(&r);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_auth_required),
      cmocka_unit_test(t_url_styles),
      cmocka_unit_test(t_meta_fields),
      cmocka_unit_test(t_report_values),
      cmocka_unit_test(t_report_content_type),
      cmocka_unit_test(t_report_accept),
      cmocka_unit_test(t_report_too_many_fields),
      cmocka_unit_test(t_changed),
      cmocka_unit_test(t_one_employee),
      cmocka_unit_test(t_dataset_pages),
      cmocka_unit_test(t_dataset_names),
      cmocka_unit_test(t_report_only_fields),
      cmocka_unit_test(t_withhold_shape),
      cmocka_unit_test(t_nationality_switch),
      cmocka_unit_test(t_directory),
      cmocka_unit_test(t_changed_actions),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_bamboohr");
}
