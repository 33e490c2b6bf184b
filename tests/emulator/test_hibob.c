/* HiBob over the wire: Basic SERVICE-ID:token, the unpaged search with its
 * request validation, showInactive, list ids and humanReadable, the field
 * metadata array, named lists, hidden fields and the slash-keyed shape. */
#include "test_common.h"

#define CREDS  "SERVICE-TEST:hibob-test-token"
#define SEARCH "/hibob/v1/people/search"

static const char *const json_ct[] = {"Content-Type: application/json",
                                      "Accept: application/json", NULL};

static json_object *search_on(const emu_proc *e, const char *body, long want,
                              http_res *r)
{
  char url[256];

  emu_url(e, SEARCH, url, sizeof(url));
  assert_int_equal(http_do("POST", url, json_ct, CREDS, body, r), 0);
  assert_int_equal(r->status, want);
  return http_json(r);
}

static void t_auth(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", SEARCH, json_ct, "SERVICE-TEST:wrong", "{}");
  assert_int_equal(r.status, 401);
  o = http_json(&r);
  assert_non_null(jstr(o, "key"));
  assert_non_null(jstr(o, "error"));
  json_object_put(o);
  http_res_free(&r);
}

static void t_show_inactive(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  o = search_on(&emu, "{\"fields\":[\"root.id\",\"root.firstName\"]}", 200,
                &r);
  /* Default: only active people (not the leaver, not the future hire). */
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 2);
  assert_string_equal(jstr(o, "employees.0.firstName"), "Zoë");
  assert_string_equal(jstr(o, "employees.0.id"), "3332883884000000001");
  json_object_put(o);
  http_res_free(&r);
  o = search_on(&emu, "{\"fields\":[\"root.id\"],\"showInactive\":true}", 200,
                &r);
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 4);
  json_object_put(o);
  http_res_free(&r);
}

static void t_bad_requests(void **state)
{
  static const char *const bad[] = {
      "{\"fields\":[\"root.nope\"]}",
      "{\"fields\":[\"root.id\"],\"filters\":[{\"fieldPath\":\"work.title\","
      "\"operator\":\"equals\",\"values\":[\"x\"]}]}",
      "{\"fields\":[\"root.id\"],\"filters\":[{\"fieldPath\":\"root.id\","
      "\"operator\":\"contains\",\"values\":[\"x\"]}]}",
      "{\"fields\":[\"root.id\"],\"filters\":[{\"fieldPath\":\"root.id\","
      "\"operator\":\"equals\",\"values\":[]}]}",
      "{\"fields\":[\"root.id\"],\"filters\":[{\"fieldPath\":\"root.id\","
      "\"operator\":\"equals\",\"values\":[\"1\"]},{\"fieldPath\":"
      "\"root.email\",\"operator\":\"equals\",\"values\":[\"a\"]}]}",
      "{\"humanReadable\":\"SOMETIMES\"}",
      NULL};
  http_res r;
  json_object *o;
  int i;

  (void)state;
  for(i = 0; bad[i]; i++) {
    o = search_on(&emu, bad[i], 400, &r);
    assert_non_null(jstr(o, "key"));
    assert_non_null(jstr(o, "error"));
    json_object_put(o);
    http_res_free(&r);
  }
}

static void t_filter(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  o = search_on(&emu,
                "{\"fields\":[\"root.id\",\"root.surname\"],\"filters\":[{"
                "\"fieldPath\":\"root.email\",\"operator\":\"equals\","
                "\"values\":[\"anna.smith2@acme.example\"]}]}",
                200, &r);
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 1);
  assert_string_equal(jstr(o, "employees.0.id"), "3332883884000000004");
  json_object_put(o);
  http_res_free(&r);
}

static void t_lists_and_human(void **state)
{
  http_res r, lr;
  json_object *o, *l;
  const char *dep;

  (void)state;
  o = search_on(&emu,
                "{\"fields\":[\"work.department\",\"personal.birthDate\","
                "\"payroll.employment.type\"],\"humanReadable\":\"APPEND\"}",
                200, &r);
  dep = jstr(o, "employees.0.work.department");
  assert_non_null(dep);
  assert_true(strspn(dep, "0123456789") == strlen(dep)); /* an item id */
  assert_string_equal(jstr(o, "employees.0.humanReadable.work.department"),
                      "Engineering");
  assert_string_equal(
      jstr(o, "employees.0.humanReadable.payroll.employment.type"),
      "Full-time");
  assert_string_equal(jstr(o, "employees.0.personal.birthDate"), "1990-07-15");
  /* The list id resolves through the named list. */
  req(&lr, "GET", "/hibob/v1/company/named-lists/department", NULL, CREDS,
      NULL);
  l = http_json(&lr);
  assert_string_equal(jstr(l, "values.0.id"), dep);
  assert_string_equal(jstr(l, "values.0.value"), "Engineering");
  json_object_put(l);
  http_res_free(&lr);
  json_object_put(o);
  http_res_free(&r);
  o = search_on(&emu,
                "{\"fields\":[\"work.department\"],\"humanReadable\":"
                "\"REPLACE\"}",
                200, &r);
  assert_string_equal(jstr(o, "employees.0.work.department"), "Engineering");
  json_object_put(o);
  http_res_free(&r);
}

static void t_fields_metadata(void **state)
{
  http_res r;
  json_object *a;
  size_t i;
  int found = 0;

  (void)state;
  req(&r, "GET", "/hibob/v1/company/people/fields", NULL, CREDS, NULL);
  assert_int_equal(r.status, 200);
  a = http_json(&r);
  assert_true(json_object_is_type(a, json_type_array));
  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *f = json_object_array_get_idx(a, i);
    if(!strcmp(jstr(f, "id"), "work.department")) {
      found = 1;
      assert_string_equal(jstr(f, "jsonPath"), "work.department");
      assert_string_equal(jstr(f, "typeData.listId"), "department");
      assert_string_equal(jstr(f, "category"), "work");
    }
  }
  assert_true(found);
  json_object_put(a);
  http_res_free(&r);
}

static void t_hidden_and_slash(void **state)
{
  const char *args[] = {
      "--fixture", EMU_FIXTURE,      "--hibob-shape",
      "slash",     "--hibob-hidden", "personal.birthDate,root.email",
      NULL};
  emu_proc e2;
  http_res r;
  json_object *o, *e;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  o = search_on(&e2,
                "{\"fields\":[\"root.firstName\",\"root.email\","
                "\"personal.birthDate\"]}",
                200, &r);
  e = jpath(o, "employees.0");
  assert_non_null(e);
  assert_int_equal(json_object_object_length(e), 1); /* silently omitted */
  assert_string_equal(
      json_object_get_string(json_object_object_get(
          json_object_object_get(e, "/root/firstName"), "value")),
      "Zoë");
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_auth),
      cmocka_unit_test(t_show_inactive),
      cmocka_unit_test(t_bad_requests),
      cmocka_unit_test(t_filter),
      cmocka_unit_test(t_lists_and_human),
      cmocka_unit_test(t_fields_metadata),
      cmocka_unit_test(t_hidden_and_slash),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_hibob");
}
