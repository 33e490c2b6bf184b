/* HiBob over the wire: Basic SERVICE-ID:token, the unpaged search with its
 * request validation, showInactive, list ids and humanReadable, the field
 * metadata array, named lists (archived items only on request), hidden
 * fields, a service user without permissions, and the answer shapes: the
 * documented slash keys by default, nested and both by switch. */
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

/* The value of slash key of employee i: {"value": x} unwrapped (the
 * humanReadable mirror is not wrapped). */
static const char *sval(json_object *o, int i, const char *key)
{
  char path[32];
  json_object *e, *v;

  snprintf(path, sizeof(path), "employees.%d", i);
  e = jpath(o, path);
  if(!e || !json_object_object_get_ex(e, key, &v))
    return NULL;
  if(json_object_is_type(v, json_type_object) &&
     !json_object_object_get_ex(v, "value", &v))
    return NULL;
  return json_object_get_string(v);
}

static const char *hval(json_object *o, int i, const char *key)
{
  char path[48];
  json_object *h, *v;

  snprintf(path, sizeof(path), "employees.%d.humanReadable", i);
  h = jpath(o, path);
  if(!h || !json_object_object_get_ex(h, key, &v))
    return NULL;
  return json_object_get_string(v);
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
  /* The documented default shape: slash keys, {"value": x}. */
  assert_string_equal(sval(o, 0, "/root/firstName"), "Zoë");
  assert_string_equal(sval(o, 0, "/root/id"), "3332883884000000001");
  assert_null(jpath(o, "employees.0.firstName"));
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
  assert_string_equal(sval(o, 0, "/root/id"), "3332883884000000004");
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
  dep = sval(o, 0, "/work/department");
  assert_non_null(dep);
  assert_true(strspn(dep, "0123456789") == strlen(dep)); /* an item id */
  assert_string_equal(hval(o, 0, "/work/department"), "Engineering");
  assert_string_equal(hval(o, 0, "/payroll/employment/type"), "Full-time");
  assert_string_equal(sval(o, 0, "/personal/birthDate"), "1990-07-15");
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
  assert_string_equal(sval(o, 0, "/work/department"), "Engineering");
  json_object_put(o);
  http_res_free(&r);
}

/* Named lists leave archived items out unless includeArchived=true: the
 * fixture's "Account Executive" title is held only by a leaver. */
static void t_archived_items(void **state)
{
  http_res r;
  json_object *l, *v;
  size_t i;
  int found;

  (void)state;
  req(&r, "GET", "/hibob/v1/company/named-lists/title", NULL, CREDS, NULL);
  l = http_json(&r);
  v = jpath(l, "values");
  for(found = 0, i = 0; i < json_object_array_length(v); i++)
    found += !strcmp(jstr(json_object_array_get_idx(v, i), "value"),
                     "Account Executive");
  assert_int_equal(found, 0);
  json_object_put(l);
  http_res_free(&r);
  req(&r, "GET", "/hibob/v1/company/named-lists?includeArchived=true", NULL,
      CREDS, NULL);
  l = http_json(&r);
  v = jpath(l, "title.values");
  for(found = 0, i = 0; i < json_object_array_length(v); i++) {
    json_object *e = json_object_array_get_idx(v, i);
    if(!strcmp(jstr(e, "value"), "Account Executive")) {
      found++;
      assert_true(json_object_get_boolean(jpath(e, "archived")));
    }
  }
  assert_int_equal(found, 1);
  json_object_put(l);
  http_res_free(&r);
}

/* --hibob-shape nested: by jsonPath; both: slash keys and nested. */
static void t_nested_and_both(void **state)
{
  const char *args[] = {"--fixture", EMU_FIXTURE, "--hibob-shape", "nested",
                        NULL};
  const char *body = "{\"fields\":[\"root.id\",\"root.firstName\","
                     "\"work.department\"],\"humanReadable\":\"APPEND\"}";
  emu_proc e2;
  http_res r;
  json_object *o;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  o = search_on(&e2, body, 200, &r);
  assert_string_equal(jstr(o, "employees.0.firstName"), "Zoë");
  assert_string_equal(jstr(o, "employees.0.id"), "3332883884000000001");
  assert_string_equal(jstr(o, "employees.0.humanReadable.work.department"),
                      "Engineering");
  assert_null(sval(o, 0, "/root/firstName"));
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
  args[3] = "both";
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  o = search_on(&e2, body, 200, &r);
  assert_string_equal(jstr(o, "employees.0.firstName"), "Zoë");
  assert_string_equal(sval(o, 0, "/root/firstName"), "Zoë");
  assert_string_equal(jstr(o, "employees.0.humanReadable.work.department"),
                      "Engineering");
  assert_string_equal(hval(o, 0, "/work/department"), "Engineering");
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

/* --hibob-permissions none: a service user without category permissions.
 * The fields metadata needs no permission (200, full); a search answers
 * 200 with nobody in it (documented), not 403. */
static void t_no_permissions(void **state)
{
  const char *args[] = {"--fixture", EMU_FIXTURE, "--hibob-permissions",
                        "none", NULL};
  emu_proc e2;
  http_res r;
  json_object *o;
  char url[256];

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/hibob/v1/company/people/fields", url, sizeof(url));
  assert_int_equal(http_do("GET", url, NULL, CREDS, NULL, &r), 0);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_true(json_object_array_length(o) > 10);
  json_object_put(o);
  http_res_free(&r);
  o = search_on(&e2, "{\"fields\":[\"root.id\"],\"showInactive\":true}", 200,
                &r);
  assert_int_equal(json_object_array_length(jpath(o, "employees")), 0);
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
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
      cmocka_unit_test(t_archived_items),
      cmocka_unit_test(t_nested_and_both),
      cmocka_unit_test(t_no_permissions),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_hibob");
}
