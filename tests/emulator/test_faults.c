/* Faults on demand and the control endpoints: rate limits with
 * Retry-After (429, BambooHR 503), scheduled statuses with `after`,
 * truncated / malformed / reset bodies, token expiry and re-auth, withheld
 * fields, slow answers, stats, people changes and reset. */
#include "test_common.h"

#include <curl/curl.h>
#include <time.h>

static const char *const lucca[] = {
    "Authorization: lucca application=lucca-test-key", NULL};
static const char *const json_ct[] = {"Content-Type: application/json",
                                      "Accept: application/json", NULL};

static void fault(const char *json)
{
  http_res r;

  req(&r, "POST", "/_emulator/faults", json_ct, NULL, json);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
}

static long lucca_status(http_res *r)
{
  req(r, "GET", "/lucca/api/v3/users?fields=id", lucca, NULL, NULL);
  return r->status;
}

static void t_rate_limit(void **state)
{
  http_res r;
  char ra[32];

  (void)state;
  fault("{\"system\":\"lucca\",\"kind\":\"rate_limit\",\"after\":1,"
        "\"count\":2,\"retry_after\":7}");
  assert_int_equal(lucca_status(&r), 200);
  http_res_free(&r);
  assert_int_equal(lucca_status(&r), 429);
  assert_string_equal(http_header(&r, "Retry-After", ra, sizeof(ra)), "7");
  http_res_free(&r);
  assert_int_equal(lucca_status(&r), 429);
  http_res_free(&r);
  assert_int_equal(lucca_status(&r), 200);
  http_res_free(&r);
}

static void t_bamboohr_503(void **state)
{
  const char *args[] = {"--fixture",
                        EMU_FIXTURE,
                        "--bamboohr-rate-status",
                        "503",
                        "--fault",
                        "{\"system\":\"bamboohr\",\"kind\":\"rate_limit\"}",
                        NULL};
  emu_proc e2;
  char url[256], ra[32];
  http_res r;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/bamboohr/api/v1/meta/fields", url, sizeof(url));
  assert_int_equal(http_do("GET", url, NULL, "bamboo-test-key:x", NULL, &r),
                   0);
  assert_int_equal(r.status, 503);
  assert_non_null(http_header(&r, "Retry-After", ra, sizeof(ra)));
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

/* The documented limits, switched on: HiBob 2 searches/min here. */
static void t_documented_limits(void **state)
{
  const char *args[] = {
      "--fixture", EMU_FIXTURE,          "--hibob-search-limit",
      "2",         "--lucca-rate-limit", "1",
      NULL};
  emu_proc e2;
  char url[256], ra[32];
  http_res r;
  int i;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/hibob/v1/people/search", url, sizeof(url));
  for(i = 0; i < 3; i++) {
    assert_int_equal(http_do("POST", url, json_ct,
                             "SERVICE-TEST:hibob-test-token", "{}", &r),
                     0);
    assert_int_equal(r.status, i < 2 ? 200 : 429);
    if(i == 2) {
      assert_non_null(http_header(&r, "Retry-After", ra, sizeof(ra)));
      assert_true(atoi(ra) >= 1 && atoi(ra) <= 60);
    }
    http_res_free(&r);
  }
  emu_url(&e2, "/lucca/api/v3/users", url, sizeof(url));
  for(i = 0; i < 2; i++) {
    assert_int_equal(http_do("GET", url, lucca, NULL, NULL, &r), 0);
    assert_int_equal(r.status, i < 1 ? 200 : 429);
    http_res_free(&r);
  }
  assert_int_equal(emu_proc_stop(&e2), 0);
}

static void t_status_on_page_3(void **state)
{
  static const char *const auth_ct[] = {"Content-Type: application/json",
                                        NULL};
  char hdr[200], path[128];
  const char *hdrs[] = {hdr, NULL};
  json_object *o;
  http_res r;
  int page;

  (void)state;
  req(&r, "POST", "/personio/v1/auth", auth_ct, NULL,
      "{\"client_id\":\"personio-test-id\",\"client_secret\":"
      "\"personio-test-secret\"}");
  o = http_json(&r);
  snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s",
           jstr(o, "data.token"));
  json_object_put(o);
  http_res_free(&r);
  fault("{\"system\":\"personio\",\"kind\":\"status\",\"status\":502,"
        "\"after\":2,\"path\":\"/company/employees\"}");
  for(page = 0; page < 4; page++) {
    snprintf(path, sizeof(path),
             "/personio/v1/company/employees?limit=1&offset=%d", page);
    req(&r, "GET", path, hdrs, NULL, NULL);
    assert_int_equal(r.status, page == 2 ? 502 : 200);
    http_res_free(&r);
  }
}

static void t_bodies(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  fault("{\"system\":\"lucca\",\"kind\":\"truncate\"}");
  assert_int_equal(lucca_status(&r), 200);
  o = http_json(&r);
  assert_null(o); /* half a document */
  http_res_free(&r);
  fault("{\"system\":\"lucca\",\"kind\":\"malformed\"}");
  assert_int_equal(lucca_status(&r), 200);
  assert_null(http_json(&r));
  http_res_free(&r);
  fault("{\"system\":\"lucca\",\"kind\":\"reset\"}");
  lucca_status(&r);
  assert_int_not_equal(r.curl_rc, CURLE_OK); /* cut mid-body */
  http_res_free(&r);
  /* One-shot faults are spent: the next answer is whole again. */
  assert_int_equal(lucca_status(&r), 200);
  o = http_json(&r);
  assert_non_null(o);
  json_object_put(o);
  http_res_free(&r);
}

static void t_token_expiry(void **state)
{
  static const char *const auth_ct[] = {"Content-Type: application/json",
                                        NULL};
  const char *creds = "{\"client_id\":\"personio-test-id\","
                      "\"client_secret\":\"personio-test-secret\"}";
  char hdr[200];
  const char *hdrs[] = {hdr, NULL};
  json_object *o;
  http_res r;

  (void)state;
  req(&r, "POST", "/personio/v1/auth", auth_ct, NULL, creds);
  o = http_json(&r);
  snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s",
           jstr(o, "data.token"));
  json_object_put(o);
  http_res_free(&r);
  fault("{\"system\":\"personio\",\"kind\":\"token_expiry\"}");
  req(&r, "GET", "/personio/v1/company/employees", hdrs, NULL, NULL);
  assert_int_equal(r.status, 401);
  http_res_free(&r);
  /* The old token stays dead; a new one works. */
  req(&r, "GET", "/personio/v1/company/employees", hdrs, NULL, NULL);
  assert_int_equal(r.status, 401);
  http_res_free(&r);
  req(&r, "POST", "/personio/v1/auth", auth_ct, NULL, creds);
  o = http_json(&r);
  snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s",
           jstr(o, "data.token"));
  json_object_put(o);
  http_res_free(&r);
  req(&r, "GET", "/personio/v1/company/employees", hdrs, NULL, NULL);
  assert_int_equal(r.status, 200);
  http_res_free(&r);
}

static void t_withhold(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  fault("{\"system\":\"bamboohr\",\"kind\":\"withhold\","
        "\"fields\":[\"email\"]}");
  req(&r, "POST", "/bamboohr/api/v1/reports/custom", json_ct,
      "bamboo-test-key:x", "{\"fields\":[\"firstName\",\"workEmail\"]}");
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "fields")), 1);
  assert_null(jpath(o, "employees.0.workEmail"));
  assert_string_equal(jstr(o, "employees.0.firstName"), "Zoë");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "DELETE", "/_emulator/faults", NULL, NULL, NULL);
  http_res_free(&r);
}

static void t_slow(void **state)
{
  struct timespec a, b;
  http_res r;
  double ms;

  (void)state;
  fault("{\"system\":\"lucca\",\"kind\":\"slow\",\"delay_ms\":300}");
  clock_gettime(CLOCK_MONOTONIC, &a);
  assert_int_equal(lucca_status(&r), 200);
  clock_gettime(CLOCK_MONOTONIC, &b);
  ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
       (double)(b.tv_nsec - a.tv_nsec) / 1e6;
  assert_true(ms >= 290);
  http_res_free(&r);
}

static void t_bad_fault(void **state)
{
  static const char *const bad[] = {
      "{\"kind\":\"explode\"}",
      "{\"system\":\"workday\",\"kind\":\"reset\"}",
      "{\"kind\":\"status\",\"status\":42}",
      "{\"kind\":\"withhold\"}",
      "not json",
      NULL};
  http_res r;
  int i;

  (void)state;
  for(i = 0; bad[i]; i++) {
    req(&r, "POST", "/_emulator/faults", json_ct, NULL, bad[i]);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
  }
}

static void t_stats(void **state)
{
  http_res r;
  json_object *o, *reqs, *last;

  (void)state;
  req(&r, "DELETE", "/_emulator/stats", NULL, NULL, NULL);
  http_res_free(&r);
  req(&r, "GET", "/lucca/api/v3/users?fields=id&paging=0,2", lucca, NULL,
      NULL);
  http_res_free(&r);
  req(&r, "GET", "/_emulator/stats", NULL, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "systems.lucca")), 1);
  assert_int_equal(json_object_get_int(json_object_object_get(
                       jpath(o, "paths"), "/lucca/api/v3/users")),
                   1);
  reqs = jpath(o, "requests");
  last = json_object_array_get_idx(reqs, json_object_array_length(reqs) - 1);
  assert_string_equal(jstr(last, "path"), "/lucca/api/v3/users");
  assert_non_null(strstr(jstr(last, "query"), "paging=0,2"));
  json_object_put(o);
  http_res_free(&r);
}

static void t_people_and_reset(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", "/_emulator/people", json_ct, NULL,
      "{\"first_name\":\"Siobhán\",\"last_name\":\"D'Angelo\","
      "\"email\":\"s@acme.example\",\"hire_date\":\"2026-01-05\"}");
  assert_int_equal(r.status, 201);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "id")), 5);
  assert_string_equal(jstr(o, "status"), "active");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "PATCH", "/_emulator/people/1", json_ct, NULL,
      "{\"status\":\"inactive\",\"termination_date\":\"2026-05-31\"}");
  assert_int_equal(r.status, 200);
  http_res_free(&r);
  req(&r, "PATCH", "/_emulator/people/1", json_ct, NULL,
      "{\"hire_date\":\"31/05/2026\"}");
  assert_int_equal(r.status, 400);
  http_res_free(&r);
  /* Seen by the systems: Lucca now hides Zoë and shows the new hire. */
  req(&r, "GET", "/lucca/api/v3/users?fields=id,firstName", lucca, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "data.items")), 3);
  assert_string_equal(jstr(o, "data.items.2.firstName"), "Siobhán");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/_emulator/reset", NULL, NULL, NULL);
  http_res_free(&r);
  req(&r, "GET", "/_emulator/people", NULL, NULL, NULL);
  o = http_json(&r);
  assert_int_equal(json_object_array_length(jpath(o, "people")), 4);
  assert_string_equal(jstr(o, "people.0.status"), "active");
  json_object_put(o);
  http_res_free(&r);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_rate_limit),
      cmocka_unit_test(t_documented_limits),
      cmocka_unit_test(t_bamboohr_503),
      cmocka_unit_test(t_status_on_page_3),
      cmocka_unit_test(t_bodies),
      cmocka_unit_test(t_token_expiry),
      cmocka_unit_test(t_withhold),
      cmocka_unit_test(t_slow),
      cmocka_unit_test(t_bad_fault),
      cmocka_unit_test(t_stats),
      cmocka_unit_test(t_people_and_reset),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_faults");
}
