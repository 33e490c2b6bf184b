/* Lucca v3 over the wire: "lucca application=" auth (either case), the
 * data.items envelope, fields= projection, paging, former employees,
 * comparator filters, collection.count, extendedData, displayName. */
#include "test_common.h"

static const char *const auth[] = {
    "Authorization: lucca application=lucca-test-key", NULL};

static json_object *get(const char *path, http_res *r)
{
  req(r, "GET", path, auth, NULL, NULL);
  assert_int_equal(r->status, 200);
  return http_json(r);
}

static void t_auth(void **state)
{
  static const char *const cap[] = {
      "Authorization: Lucca application=lucca-test-key", NULL};
  static const char *const bad[] = {"Authorization: lucca application=wrong",
                                    NULL};
  http_res r;

  (void)state;
  req(&r, "GET", "/lucca/api/v3/users", cap, NULL, NULL);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
  req(&r, "GET", "/lucca/api/v3/users", bad, NULL, NULL);
  assert_int_equal(r.status, 401);
  http_res_free(&r);
}

static void t_default_projection(void **state)
{
  http_res r;
  json_object *o, *u;

  (void)state;
  o = get("/lucca/api/v3/users", &r);
  u = jpath(o, "data.items.0");
  assert_int_equal(json_object_object_length(u), 3); /* id, name, url */
  assert_string_equal(jstr(u, "name"), "Zoë O'Brien");
  json_object_put(o);
  http_res_free(&r);
}

static void t_fields(void **state)
{
  http_res r;
  json_object *o, *u;

  (void)state;
  o = get("/lucca/api/v3/users?fields=id,firstName,lastName,displayName,"
          "dtContractStart,dtContractEnd,extendedData,department",
          &r);
  u = jpath(o, "data.items.0");
  assert_string_equal(jstr(u, "displayName"), "O'Brien Zoë");
  assert_string_equal(jstr(u, "dtContractStart"), "2020-03-01T00:00:00");
  assert_null(jstr(u, "dtContractEnd"));
  /* A list-type custom field holds the entry id, not the label. */
  assert_true(json_object_is_type(jpath(u, "extendedData.e_shirt_size.value"),
                                  json_type_int));
  assert_non_null(jpath(u, "extendedData.e_shirt_size.id"));
  assert_string_equal(jstr(u, "department.name"), "Engineering");
  {
    /* Its definition lists the entries: the id resolves to "M". */
    char want[32];
    size_t i, n;
    json_object *d, *e;
    int found = 0;
    http_res r2;
    snprintf(want, sizeof(want), "%s",
             jstr(u, "extendedData.e_shirt_size.value"));
    d = get("/lucca/api/v3/extensionuserdefinitions/e_shirt_size", &r2);
    e = jpath(d, "data.extensionUserPropertyListEntries");
    n = json_object_array_length(e);
    for(i = 0; i < n; i++) {
      json_object *it = json_object_array_get_idx(e, i);
      if(!strcmp(jstr(it, "id"), want)) {
        assert_string_equal(jstr(it, "name"), "M");
        found = 1;
      }
    }
    assert_true(found);
    json_object_put(d);
    http_res_free(&r2);
  }
  /* A composite nests its sub-properties. */
  assert_non_null(jpath(u, "extendedData.e_workplace.value.e_workplace_city"));
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id,gender,nationalityId,personalEmail,"
          "seniorityDate,culture",
          &r);
  u = jpath(o, "data.items.0");
  assert_non_null(jstr(u, "gender"));
  assert_true(json_object_is_type(jpath(u, "nationalityId"), json_type_int));
  assert_non_null(jstr(u, "culture.name"));
  assert_non_null(jpath(u, "culture.id"));
  assert_string_equal(jstr(u, "seniorityDate"), "2020-03-01T00:00:00");
  {
    char want[32];
    json_object *nat;
    http_res r2;
    size_t i, n;
    int found = 0;
    snprintf(want, sizeof(want), "%s", jstr(u, "nationalityId"));
    nat = get("/lucca/api/v3/nationalities", &r2);
    n = json_object_array_length(jpath(nat, "data.items"));
    for(i = 0; i < n; i++)
      found |= !strcmp(
          jstr(json_object_array_get_idx(jpath(nat, "data.items"), i), "id"),
          want);
    assert_true(found);
    json_object_put(nat);
    http_res_free(&r2);
  }
  json_object_put(o);
  http_res_free(&r);
  /* A nested projection selects the object. */
  o = get("/lucca/api/v3/users?fields=id,department.name", &r);
  u = jpath(o, "data.items.0");
  assert_int_equal(json_object_object_length(u), 2);
  assert_string_equal(jstr(u, "department.name"), "Engineering");
  json_object_put(o);
  http_res_free(&r);
}

static void t_former_and_count(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  o = get("/lucca/api/v3/users?fields=id", &r);
  /* The leaver is hidden; the future hire is not. */
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 3);
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id&formerEmployees=true", &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 4);
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=collection.count", &r);
  assert_int_equal(json_object_get_int(jpath(o, "data.count")), 3);
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id,dtContractEnd"
          "&dtContractEnd=notequal,null",
          &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 1);
  assert_string_equal(jstr(o, "data.items.0.dtContractEnd"),
                      "2025-12-31T00:00:00");
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id&formerEmployees=true"
          "&dtContractEnd=until,2025-12-31",
          &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 1);
  json_object_put(o);
  http_res_free(&r);
}

static void t_paging(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  o = get("/lucca/api/v3/users?fields=id&formerEmployees=true&paging=2,10",
          &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 2);
  assert_int_equal(json_object_get_int(jpath(o, "data.items.0.id")), 3);
  json_object_put(o);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id&paging=3,10", &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 0);
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/lucca/api/v3/users?paging=abc", auth, NULL, NULL);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
}

static void t_modified_since(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "PATCH", "/_emulator/people/4", NULL, NULL,
      "{\"email\":\"anna.s@acme.example\"}");
  assert_int_equal(r.status, 200);
  http_res_free(&r);
  o = get("/lucca/api/v3/users?fields=id,mail"
          "&modifiedAt=since,2026-06-15T00:00:00",
          &r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 1);
  assert_string_equal(jstr(o, "data.items.0.mail"), "anna.s@acme.example");
  json_object_put(o);
  http_res_free(&r);
}

/* The new Lucca API: OAuth token, Api-Version, cursor links. */
static void t_lucca_api(void **state)
{
  static const char *const form[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  char h[200], url[512];
  const char *hdrs[] = {h, "Api-Version: 2024-11-01", NULL};
  const char *nover[] = {h, NULL};
  http_res r;
  json_object *o;
  int pages = 0, people = 0;

  (void)state;
  req(&r, "POST", "/lucca/oauth/token", form, NULL,
      "grant_type=client_credentials&client_id=lucca-test-client"
      "&client_secret=lucca-test-secret");
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  snprintf(h, sizeof(h), "Authorization: Bearer %s", jstr(o, "access_token"));
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/lucca/lucca-api/employees", nover, NULL, NULL);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  req(&r, "GET", "/lucca/lucca-api/employees?limit=101", hdrs, NULL, NULL);
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  emu_url(&emu, "/lucca/lucca-api/employees?include=links,totalCount&limit=3",
          url, sizeof(url));
  for(;;) {
    const char *next;
    assert_int_equal(http_do("GET", url, hdrs, NULL, NULL, &r), 0);
    assert_int_equal(r.status, 200);
    o = http_json(&r);
    assert_int_equal(json_object_get_int(jpath(o, "totalCount")), 4);
    people += (int)json_object_array_length(jpath(o, "items"));
    pages++;
    next = jstr(o, "links.next.href");
    if(next)
      snprintf(url, sizeof(url), "%s", next);
    json_object_put(o);
    http_res_free(&r);
    if(!next)
      break;
  }
  assert_int_equal(pages, 2);
  assert_int_equal(people, 4);
  req(&r, "GET", "/lucca/lucca-api/employees?status=upcoming", hdrs, NULL,
      NULL);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "items")), 1);
  assert_string_equal(jstr(o, "items.0.givenName"), "Anna");
  assert_string_equal(jstr(o, "items.0.id"), "3");
  json_object_put(o);
  http_res_free(&r);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_auth),      cmocka_unit_test(t_default_projection),
      cmocka_unit_test(t_fields),    cmocka_unit_test(t_former_and_count),
      cmocka_unit_test(t_paging),    cmocka_unit_test(t_modified_since),
      cmocka_unit_test(t_lucca_api),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_lucca");
}
