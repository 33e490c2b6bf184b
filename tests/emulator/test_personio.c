/* Personio v1 over the wire: /auth (JSON and form), the bearer check and
 * its error envelope, paging limits and envelopes, attribute wrappers,
 * date shapes, projection, token echo and rotation, the auth limit. */
#include "test_common.h"

#define CREDS_JSON                                                            \
  "{\"client_id\":\"personio-test-id\",\"client_secret\":"                    \
  "\"personio-test-secret\"}"
#define CREDS_FORM                                                            \
  "client_id=personio-test-id&client_secret=personio-test-secret"

static const char *const json_ct[] = {"Content-Type: application/json", NULL};

/* Authenticates against e; returns the token in tok. */
static void auth_on(const emu_proc *e, char tok[128])
{
  char url[256];
  http_res r;
  json_object *o;

  emu_url(e, "/personio/v1/auth", url, sizeof(url));
  assert_int_equal(http_do("POST", url, json_ct, NULL, CREDS_JSON, &r), 0);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_non_null(jstr(o, "data.token"));
  snprintf(tok, 128, "%s", jstr(o, "data.token"));
  json_object_put(o);
  http_res_free(&r);
}

static json_object *get_on(const emu_proc *e, const char *tok,
                           const char *path, long want_status, http_res *r)
{
  char url[512], h[300];
  const char *hdrs[] = {h, NULL};

  snprintf(h, sizeof(h), "Authorization: Bearer %s", tok);
  emu_url(e, path, url, sizeof(url));
  assert_int_equal(http_do("GET", url, hdrs, NULL, NULL, r), 0);
  assert_int_equal(r->status, want_status);
  return http_json(r);
}

static void t_auth(void **state)
{
  static const char *const form_ct[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "POST", "/personio/v1/auth", form_ct, NULL, CREDS_FORM);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_true(json_object_get_boolean(jpath(o, "success")));
  assert_int_equal(strncmp(jstr(o, "data.token"), "papi-", 5), 0);
  assert_int_equal(json_object_get_int(jpath(o, "data.expires_in")), 86400);
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/personio/v1/auth", json_ct, NULL,
      "{\"client_id\":\"personio-test-id\",\"client_secret\":\"nope\"}");
  assert_int_equal(r.status, 401);
  o = http_json(&r);
  assert_false(json_object_get_boolean(jpath(o, "success")));
  assert_non_null(jstr(o, "error.message"));
  json_object_put(o);
  http_res_free(&r);
}

static void t_bearer(void **state)
{
  http_res r;
  json_object *o;

  (void)state;
  req(&r, "GET", "/personio/v1/company/employees", NULL, NULL, NULL);
  assert_int_equal(r.status, 401);
  o = http_json(&r);
  assert_int_equal(json_object_get_int(jpath(o, "error.code")), 401);
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, "papi-not-a-token", "/personio/v1/company/employees", 403,
             &r);
  assert_false(json_object_get_boolean(jpath(o, "success")));
  json_object_put(o);
  http_res_free(&r);
}

static void t_paging(void **state)
{
  char tok[128], h[256];
  http_res r;
  json_object *o;

  (void)state;
  auth_on(&emu, tok);
  o = get_on(&emu, tok, "/personio/v1/company/employees", 200, &r);
  assert_int_equal(json_object_get_int(jpath(o, "limit")), 50);
  assert_int_equal(json_object_get_int(jpath(o, "metadata.total_elements")),
                   4);
  /* Every response echoes the token. */
  snprintf(h, sizeof(h), "Bearer %s", tok);
  {
    char got[256];
    assert_string_equal(http_header(&r, "Authorization", got, sizeof(got)), h);
  }
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, tok, "/personio/v1/company/employees?limit=101", 400, &r);
  assert_string_equal(jstr(o, "error.message"),
                      "The limit must be between 1 and 100.");
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, tok, "/personio/v1/company/employees?limit=0", 400, &r);
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, tok, "/personio/v1/company/employees?limit=3&offset=3", 200,
             &r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 1);
  assert_int_equal(json_object_get_int(jpath(o, "metadata.current_page")), 1);
  assert_int_equal(json_object_get_int(jpath(o, "metadata.total_pages")), 2);
  assert_int_equal(json_object_get_int(jpath(o, "data.0.attributes.id.value")),
                   4);
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, tok, "/personio/v1/company/employees?limit=3&offset=4", 200,
             &r);
  assert_int_equal(json_object_array_length(jpath(o, "data")), 0);
  json_object_put(o);
  http_res_free(&r);
}

static void t_wrappers(void **state)
{
  char tok[128];
  http_res r;
  json_object *o, *a;
  const char *d;

  (void)state;
  auth_on(&emu, tok);
  o = get_on(&emu, tok, "/personio/v1/company/employees", 200, &r);
  a = jpath(o, "data.0.attributes");
  assert_string_equal(jstr(o, "data.0.type"), "Employee");
  assert_string_equal(jstr(a, "first_name.label"), "First name");
  assert_string_equal(jstr(a, "first_name.value"), "Zoë");
  assert_string_equal(jstr(a, "first_name.universal_id"), "first_name");
  assert_string_equal(jstr(a, "department.value.type"), "Department");
  assert_string_equal(jstr(a, "department.value.attributes.name"),
                      "Engineering");
  assert_string_equal(jstr(a, "office.value.attributes.name"), "Berlin");
  assert_string_equal(jstr(a, "employment_type.value"), "internal");
  assert_true(json_object_is_type(jpath(a, "weekly_working_hours.value"),
                                  json_type_string));
  d = jstr(a, "hire_date.value"); /* 2020-03-01, winter: +01:00 */
  assert_true(!strcmp(d, "2020-03-01T00:00:00+01:00") ||
              !strcmp(d, "2020-02-29T23:00:00.000Z"));
  assert_string_equal(jstr(a, "dynamic_1146602.value"), "zoe@mail.example");
  /* The leaver is there (Personio lists former employees too). */
  assert_string_equal(jstr(o, "data.1.attributes.status.value"), "inactive");
  assert_string_equal(jstr(o, "data.1.attributes.weekly_working_hours.value"),
                      "20");
  assert_string_equal(jstr(o, "data.2.attributes.employment_type.value"),
                      "external");
  assert_string_equal(jstr(o, "data.2.attributes.status.value"), "onboarding");
  json_object_put(o);
  http_res_free(&r);
}

static void t_projection(void **state)
{
  char tok[128];
  http_res r;
  json_object *o, *a;

  (void)state;
  auth_on(&emu, tok);
  o = get_on(&emu, tok,
             "/personio/v1/company/employees?attributes[]=first_name"
             "&attributes[]=email",
             200, &r);
  a = jpath(o, "data.0.attributes");
  assert_int_equal(json_object_object_length(a), 3); /* id always */
  assert_non_null(jpath(a, "email"));
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&emu, tok, "/personio/v1/company/employees/attributes", 200, &r);
  assert_string_equal(jstr(o, "data.0.key"), "id");
  json_object_put(o);
  http_res_free(&r);
}

static void t_date_shapes(void **state)
{
  const char *utc[] = {"--fixture",
                       EMU_FIXTURE,
                       "--today",
                       "2026-06-15",
                       "--personio-date-shape",
                       "utc",
                       NULL};
  emu_proc e2;
  char tok[128];
  http_res r;
  json_object *o;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, utc), 0);
  auth_on(&e2, tok);
  o = get_on(&e2, tok, "/personio/v1/company/employees", 200, &r);
  assert_string_equal(jstr(o, "data.0.attributes.hire_date.value"),
                      "2020-02-29T23:00:00.000Z");
  /* Birthday 1990-07-15 is summer time: 22:00Z the day before. */
  assert_string_equal(jstr(o, "data.0.attributes.dynamic_1146666.value"),
                      "1990-07-14T22:00:00.000Z");
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

static void t_rotating_tokens(void **state)
{
  const char *rot[] = {"--fixture", EMU_FIXTURE, "--personio-token-mode",
                       "rotating", NULL};
  emu_proc e2;
  char tok[128], next[256];
  http_res r;
  json_object *o;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, rot), 0);
  auth_on(&e2, tok);
  o = get_on(&e2, tok, "/personio/v1/company/employees?limit=1", 200, &r);
  assert_non_null(http_header(&r, "Authorization", next, sizeof(next)));
  assert_string_not_equal(next + 7, tok); /* "Bearer " + a new token */
  json_object_put(o);
  http_res_free(&r);
  /* The used token is dead; the echoed one works once. */
  o = get_on(&e2, tok, "/personio/v1/company/employees?limit=1", 401, &r);
  json_object_put(o);
  http_res_free(&r);
  o = get_on(&e2, next + 7, "/personio/v1/company/employees?limit=1", 200, &r);
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

static void t_auth_rate_limit(void **state)
{
  const char *lim[] = {"--fixture", EMU_FIXTURE, "--personio-auth-limit", "2",
                       NULL};
  emu_proc e2;
  char url[256], ra[32];
  http_res r;
  int i;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, lim), 0);
  emu_url(&e2, "/personio/v1/auth", url, sizeof(url));
  for(i = 0; i < 3; i++) {
    assert_int_equal(http_do("POST", url, json_ct, NULL, CREDS_JSON, &r), 0);
    assert_int_equal(r.status, i < 2 ? 200 : 429);
    if(i == 2)
      assert_non_null(http_header(&r, "Retry-After", ra, sizeof(ra)));
    http_res_free(&r);
  }
  assert_int_equal(emu_proc_stop(&e2), 0);
}

/* v2: a form-only token endpoint, then persons by cursor until no next. */
static void t_v2_persons(void **state)
{
  static const char *const form[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  const char *body = "grant_type=client_credentials&client_id=personio-test-"
                     "id&client_secret=personio-test-secret";
  char tok[128], url[512], cur[64];
  http_res r;
  json_object *o;
  int pages = 0, people = 0;
  const char *next;

  (void)state;
  req(&r, "POST", "/personio/v2/auth/token", json_ct, NULL, CREDS_JSON);
  assert_int_equal(r.status, 400);
  o = http_json(&r);
  assert_string_equal(jstr(o, "error"), "invalid_request");
  json_object_put(o);
  http_res_free(&r);
  req(&r, "POST", "/personio/v2/auth/token", form, NULL, body);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  snprintf(tok, sizeof(tok), "%s", jstr(o, "access_token"));
  assert_int_equal(strncmp(tok, "papi-", 5), 0);
  assert_string_equal(jstr(o, "token_type"), "Bearer");
  json_object_put(o);
  http_res_free(&r);
  emu_url(&emu, "/personio/v2/persons?limit=3", url, sizeof(url));
  for(;;) {
    char h[200];
    const char *hdrs[] = {h, NULL};
    snprintf(h, sizeof(h), "Authorization: Bearer %s", tok);
    assert_int_equal(http_do("GET", url, hdrs, NULL, NULL, &r), 0);
    if(r.status != 200)
      fail_msg("GET %s: %ld %s", url, r.status, r.body);
    o = http_json(&r);
    people += (int)json_object_array_length(jpath(o, "_data"));
    pages++;
    next = jstr(o, "_meta.links.next.href");
    if(next) {
      /* Absolute by default; the cursor carries "+", "/" and "=". */
      assert_int_equal(strncmp(next, emu.base, strlen(emu.base)), 0);
      snprintf(cur, sizeof(cur), "%s", strstr(next, "cursor=") + 7);
      assert_non_null(strchr(cur, '+'));
      snprintf(url, sizeof(url), "%s", next);
    }
    json_object_put(o);
    http_res_free(&r);
    if(!next)
      break;
  }
  assert_int_equal(pages, 2);
  assert_int_equal(people, 4);
  {
    /* A client that turned "+" into a space sends a different cursor. */
    char h[200], bad[160], *plus;
    const char *hdrs[] = {h, NULL};
    snprintf(h, sizeof(h), "Authorization: Bearer %s", tok);
    plus = strchr(cur, '+');
    *plus = '\0';
    snprintf(bad, sizeof(bad), "/personio/v2/persons?limit=3&cursor=%s%%20%s",
             cur, plus + 1);
    req(&r, "GET", bad, hdrs, NULL, NULL);
    assert_int_equal(r.status, 400);
    http_res_free(&r);
    req(&r, "GET", "/personio/v2/persons?limit=51", hdrs, NULL, NULL);
    assert_int_equal(r.status, 400);
    o = http_json(&r);
    assert_non_null(jstr(o, "personio_trace_id"));
    assert_string_equal(jstr(o, "errors.0.detail"),
                        "Provided value for limit is not valid");
    json_object_put(o);
    http_res_free(&r);
    req(&r, "GET", "/personio/v2/persons/2/employments", hdrs, NULL, NULL);
    o = http_json(&r);
    assert_string_equal(jstr(o, "_data.0.status"), "INACTIVE");
    assert_string_equal(jstr(o, "_data.0.termination.termination_date"),
                        "2025-12-31");
    assert_string_equal(jstr(o, "_data.0.org_units.1.type"), "department");
    json_object_put(o);
    http_res_free(&r);
  }
}

static void t_v2_relative_links(void **state)
{
  const char *args[] = {"--fixture", EMU_FIXTURE, "--personio-v2-links",
                        "relative", NULL};
  static const char *const form[] = {
      "Content-Type: application/x-www-form-urlencoded", NULL};
  emu_proc e2;
  char url[256], h[200];
  const char *hdrs[] = {h, NULL};
  http_res r;
  json_object *o;

  (void)state;
  assert_int_equal(emu_proc_start(&e2, emu_bin, args), 0);
  emu_url(&e2, "/personio/v2/auth/token", url, sizeof(url));
  assert_int_equal(http_do("POST", url, form, NULL,
                           "grant_type=client_credentials&client_id="
                           "personio-test-id&client_secret=personio-test-"
                           "secret",
                           &r),
                   0);
  o = http_json(&r);
  snprintf(h, sizeof(h), "Authorization: Bearer %s", jstr(o, "access_token"));
  json_object_put(o);
  http_res_free(&r);
  emu_url(&e2, "/personio/v2/persons?limit=1", url, sizeof(url));
  assert_int_equal(http_do("GET", url, hdrs, NULL, NULL, &r), 0);
  o = http_json(&r);
  assert_int_equal(strncmp(jstr(o, "_meta.links.next.href"),
                           "/v2/persons?limit=1&cursor=", 27),
                   0);
  json_object_put(o);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e2), 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_auth),
      cmocka_unit_test(t_bearer),
      cmocka_unit_test(t_paging),
      cmocka_unit_test(t_wrappers),
      cmocka_unit_test(t_projection),
      cmocka_unit_test(t_date_shapes),
      cmocka_unit_test(t_rotating_tokens),
      cmocka_unit_test(t_auth_rate_limit),
      cmocka_unit_test(t_v2_persons),
      cmocka_unit_test(t_v2_relative_links),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_personio");
}
