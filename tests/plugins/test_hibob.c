/*
** HiBob connector unit tests: the real plugin (argv[1]) driven through
** the fake host with canned HiBob answers, one per documented shape,
** variant and error (shared/hris/hibob-humaans-lucca.md, part A).
*/
#include "fhassert.h"

#include <json-c/json.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const hrsync_connector *plugin;

#define API      "https://api.hibob.com"
#define JSON_HDR "Content-Type: application/json"

static fh_host *host(void)
{
  fh_host *fh = fh_new();
  fh_secret(fh, "service_user_id", "SERVICE-1234");
  fh_secret(fh, "token", "hibob-secret-token");
  return fh;
}

/* Every HiBob request: pre-emptive Basic service user:token, JSON. */
static void assert_hibob_request(const fh_request *r, const char *method,
                                 const char *url)
{
  assert_string_equal(r->method, method);
  assert_string_equal(r->url, url);
  assert_non_null(r->basic_user);
  assert_string_equal(r->basic_user, "SERVICE-1234");
  assert_string_equal(r->basic_password, "hibob-secret-token");
  assert_int_equal(fh_request_header_count(r, "Accept"), 1);
  assert_string_equal(fh_request_header(r, "Accept"), "application/json");
  assert_null(fh_request_header(r, "Authorization"));
  if(!strcmp(method, "POST")) {
    assert_string_equal(fh_request_header(r, "Content-Type"),
                        "application/json");
    assert_non_null(r->body);
  }
  else {
    assert_null(r->body);
    assert_null(fh_request_header(r, "Content-Type"));
  }
}

/* ---- canned answers ---------------------------------------------- */

/* A search answer with somebody in it (the roster probe). */
static const char one_person[] = "{\"employees\":[{\"/root/id\":{\"value\":"
                                 "\"1\"}}]}";

static const char meta[] =
    "[{\"id\":\"root.id\",\"category\":\"root\",\"name\":\"Employee ID\","
    "\"jsonPath\":\"id\",\"type\":\"text\",\"typeData\":{}},"
    "{\"id\":\"root.firstName\",\"categoryId\":\"root\","
    "\"categoryDisplayName\":\"Basic info\",\"category\":\"root\","
    "\"name\":\"First name\",\"description\":null,\"jsonPath\":\"firstName\","
    "\"type\":\"text\",\"typeData\":{},\"historical\":false},"
    "{\"id\":\"root.surname\",\"name\":\"Last name\",\"jsonPath\":\"surname\","
    "\"type\":\"text\"},"
    "{\"id\":\"root.email\",\"name\":\"Email\",\"jsonPath\":\"email\","
    "\"type\":\"text\"},"
    "{\"id\":\"work.department\",\"categoryId\":\"work\",\"name\":"
    "\"Department\",\"jsonPath\":\"work.department\",\"type\":\"list\","
    "\"typeData\":{\"listId\":\"department\"},\"historical\":true},"
    "{\"id\":\"work.title\",\"name\":\"Job title\",\"jsonPath\":"
    "\"work.title\",\"type\":\"hierarchy-list\",\"typeData\":{\"listId\":"
    "\"title\"}},"
    "{\"id\":\"work.startDate\",\"name\":\"Start date\",\"jsonPath\":"
    "\"work.startDate\",\"type\":\"date\"},"
    "{\"id\":\"work.employeeIdInCompany\",\"name\":\"Employee ID in "
    "company\",\"jsonPath\":\"work.employeeIdInCompany\",\"type\":"
    "\"number\"},"
    "{\"id\":\"work.reportsTo\",\"name\":\"Reports to\",\"jsonPath\":"
    "\"work.reportsTo\",\"type\":\"employee-reference\"},"
    "{\"id\":\"personal.nationality\",\"name\":\"Nationality\",\"jsonPath\":"
    "\"personal.nationality\",\"type\":\"multi-list\",\"typeData\":"
    "{\"listId\":\"nationalities\"}},"
    "{\"id\":\"personal.birthDate\",\"name\":\"Birth date\",\"jsonPath\":"
    "\"personal.birthDate\",\"type\":\"date\"},"
    "{\"id\":\"personal.shortBirthDate\",\"name\":\"Birthday\",\"jsonPath\":"
    "\"personal.shortBirthDate\",\"type\":\"short date\"},"
    "{\"id\":\"internal.status\",\"name\":\"Status\",\"jsonPath\":"
    "\"internal.status\",\"type\":\"text\"},"
    "{\"id\":\"internal.terminationDate\",\"name\":\"Termination date\","
    "\"jsonPath\":\"internal.terminationDate\",\"type\":\"date\"},"
    "{\"id\":\"payroll.salary\",\"name\":\"Salary\",\"jsonPath\":"
    "\"payroll.salary\",\"type\":\"currency\"},"
    "{\"id\":\"work.custom.field_1\",\"name\":\"Moved field\",\"jsonPath\":"
    "\"category_9.field_1\",\"type\":\"text\"},"
    "{\"id\":\"root.firstName\",\"name\":\"Repeated\",\"jsonPath\":\"x\","
    "\"type\":\"date\"}]";

/* A.8 sample, machine values plus the humanReadable mirror. */
static const char search_nested[] =
    "{\"employees\":["
    "{\"id\":\"3332883884017713238\",\"companyId\":640897,"
    "\"firstName\":\"Ashley\",\"surname\":\"Sanchez\","
    "\"displayName\":\"Ashley Sanchez\",\"email\":\"ashley@example.com\","
    "\"work\":{\"employeeIdInCompany\":140,\"startDate\":\"2021-03-01\","
    "\"department\":\"143565567\",\"title\":\"152307451\","
    "\"reportsTo\":{\"id\":\"2918372381908121634\",\"email\":"
    "\"boss@example.com\",\"firstName\":\"Jane\",\"surname\":\"Smith\","
    "\"displayName\":\"Jane Smith\"}},"
    "\"personal\":{\"birthDate\":\"1990-05-17\",\"nationality\":[\"US\","
    "\"FR\"]},"
    "\"internal\":{\"status\":\"Active\",\"terminationDate\":null},"
    "\"category_9\":{\"field_1\":\"moved\"},"
    "\"humanReadable\":{\"work\":{\"department\":\"Engineering\","
    "\"title\":\"Data Engineer\",\"startDate\":\"01/03/2021\","
    "\"reportsTo\":\"Jane Smith\"},"
    "\"personal\":{\"nationality\":[\"American\",\"French\"]}}},"
    "{\"id\":\"3332883884017713999\",\"firstName\":\"Bo\",\"surname\":"
    "\"Lee\",\"email\":\"bo.lee@example.com\","
    "\"work\":{\"employeeIdInCompany\":141,\"startDate\":\"2019-06-10\","
    "\"department\":\"143565567\",\"title\":null,\"reportsTo\":null},"
    "\"personal\":{\"nationality\":[]},"
    "\"internal\":{\"status\":\"Inactive\",\"terminationDate\":"
    "\"2024-12-31\"},"
    "\"humanReadable\":{\"work\":{\"department\":{\"value\":"
    "\"Engineering\"}}}}]}";

static void want_all(fh_host *fh)
{
  static const char *const w[] = {"root.firstName",
                                  "root.surname",
                                  "root.email",
                                  "work.department",
                                  "work.title",
                                  "work.startDate",
                                  "work.employeeIdInCompany",
                                  "work.reportsTo",
                                  "personal.nationality",
                                  "personal.birthDate",
                                  "internal.status",
                                  "internal.terminationDate",
                                  "work.custom.field_1",
                                  "root.id"};
  size_t i;
  for(i = 0; i < sizeof(w) / sizeof(w[0]); i++)
    fh_want(fh, w[i]);
}

/* ---- descriptor and settings ------------------------------------- */

static void test_descriptor(void **state)
{
  const hrsync_setting_def *s;
  const hrsync_kv *m;
  int base = 0, user = 0, token = 0, hris = 0, first = 0, dept = 0;
  (void)state;
  assert_string_equal(plugin->name, "hibob");
  assert_int_equal(plugin->abi_major, HRSYNC_ABI_MAJOR);
  for(s = plugin->settings; s->key; s++) {
    if(!strcmp(s->key, "base_url")) {
      base = 1;
      assert_string_equal(s->default_value, "https://api.hibob.com");
      assert_int_equal(s->flags & HRSYNC_SETTING_SECRET, 0);
    }
    if(!strcmp(s->key, "service_user_id"))
      user = (s->flags & HRSYNC_SETTING_SECRET) &&
             (s->flags & HRSYNC_SETTING_REQUIRED);
    if(!strcmp(s->key, "token"))
      token = (s->flags & HRSYNC_SETTING_SECRET) &&
              (s->flags & HRSYNC_SETTING_REQUIRED);
  }
  assert_true(base && user && token);
  for(m = plugin->suggested_mapping; m->name; m++) {
    hris |= !strcmp(m->name, "hris_id") && !strcmp(m->value, "root.id");
    first |=
        !strcmp(m->name, "first_name") && !strcmp(m->value, "root.firstName");
    dept |= !strcmp(m->value, "root.displayName");
  }
  assert_true(hris && first);
  assert_false(dept);
}

static void test_open_config_errors(void **state)
{
  static const struct {
    const char *user, *token, *base, *needle;
  } cases[] = {
      {NULL, "tok-123", NULL, "service_user_id"},
      {"SVC-1", NULL, NULL, "token"},
      {"", "tok-123", NULL, "service_user_id"},
      {"SVC-1", "tok-123", "ftp://x", "base_url"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    hrsync_conn *c = NULL;
    if(cases[i].user)
      fh_secret(fh, "service_user_id", cases[i].user);
    if(cases[i].token)
      fh_secret(fh, "token", cases[i].token);
    if(cases[i].base)
      fh_setting(fh, "base_url", cases[i].base);
    assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
    fh_assert_error_has(fh, cases[i].needle);
    assert_int_equal(fh_n_requests(fh), 0);
    plugin->close(c);
    fh_assert_clean(fh);
    fh_free(fh);
  }
}

/* ---- authenticate -------------------------------------------------- */

static void test_auth_request_and_base_urls(void **state)
{
  static const char *const cases[][2] = {
      {NULL, API "/v1/company/people/fields"},
      {"http://127.0.0.1:9/hibob/",
       "http://127.0.0.1:9/hibob/v1/company/people/fields"},
      {"https://api.sandbox.hibob.com/v1",
       "https://api.sandbox.hibob.com/v1/company/people/fields"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    if(cases[i][0])
      fh_setting(fh, "base_url", cases[i][0]);
    fh_queue(fh, 200, JSON_HDR, "[]");
    fh_queue(fh, 200, JSON_HDR, one_person);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
    /* The metadata, then a one-field search: the fields call needs no
    ** permission and proves nothing about reading people. */
    assert_int_equal(fh_n_requests(fh), 2);
    assert_hibob_request(fh_request_at(fh, 0), "GET", cases[i][1]);
    assert_int_equal(
        strncmp(fh_request_at(fh, 1)->url, cases[i][1],
                strlen(cases[i][1]) - strlen("company/people/fields")),
        0);
    assert_non_null(strstr(fh_request_at(fh, 1)->url, "/v1/people/search"));
    assert_string_equal(fh_request_at(fh, 1)->body,
                        "{\"fields\":[\"root.id\"],\"showInactive\":true}");
    fh_done(plugin, fh, c);
  }
}

/* Issue 16: the documented 50 searches a minute is declared to the host
** (SDK 1.4 rate_limit) before the first request, so the host paces. */
static void test_rate_limit_declared(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  uint32_t requests = 0, seconds = 0;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, "[]");
  fh_queue(fh, 200, JSON_HDR, one_person);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(fh_rate_limit(fh, &requests, &seconds), 1);
  assert_int_equal(requests, 50);
  assert_int_equal(seconds, 60);
  fh_done(plugin, fh, c);
}

static void test_auth_401_no_retry(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  int more = 1;
  (void)state;
  fh_queue(fh, 401, JSON_HDR,
           "{\"key\":\"unauthorized\",\"error\":\"Invalid credentials\"}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "GET /v1/company/people/fields: HTTP 401");
  fh_assert_error_has(fh, "Invalid credentials");
  assert_null(strstr(fh_error(fh), "hibob-secret-token"));
  /* One request, no second try (HiBob's WAF blocks repeated 401s). */
  assert_int_equal(fh_n_requests(fh), 1);
  fh_queue(fh, 403, JSON_HDR, "{\"key\":\"forbidden\",\"error\":\"No\"}");
  assert_int_equal(plugin->next_page(c, &more), HRSYNC_E_AUTH);
  assert_int_equal(more, 0);
  assert_int_equal(fh_n_requests(fh), 2);
  fh_done(plugin, fh, c);
}

static void test_transport_error_and_abort(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  int more = 1;
  (void)state;
  fh_queue_transport_error(fh);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_HTTP);
  fh_abort_at(fh, 1);
  assert_int_equal(plugin->next_page(c, &more), HRSYNC_E_ABORTED);
  assert_int_equal(more, 0);
  fh_done(plugin, fh, c);
}

/* ---- field schema ------------------------------------------------ */

static void test_fields_schema(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, one_person);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  /* The metadata authenticate read is kept: no second request. */
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 2);
  assert_int_equal(fh_n_fields(fh), 16); /* the repeated entry once */
  fh_assert_field(fh, "root.id", HRSYNC_FIELD_TEXT, "Employee ID");
  fh_assert_field(fh, "root.firstName", HRSYNC_FIELD_TEXT, "First name");
  fh_assert_field(fh, "work.department", HRSYNC_FIELD_LIST, "Department");
  fh_assert_field(fh, "work.title", HRSYNC_FIELD_LIST, NULL);
  fh_assert_field(fh, "personal.nationality", HRSYNC_FIELD_LIST, NULL);
  fh_assert_field(fh, "work.startDate", HRSYNC_FIELD_DATE, NULL);
  fh_assert_field(fh, "personal.birthDate", HRSYNC_FIELD_DATE, NULL);
  /* MM-DD cannot be normalised as a date. */
  fh_assert_field(fh, "personal.shortBirthDate", HRSYNC_FIELD_TEXT, NULL);
  fh_assert_field(fh, "work.employeeIdInCompany", HRSYNC_FIELD_NUMBER, NULL);
  fh_assert_field(fh, "payroll.salary", HRSYNC_FIELD_NUMBER, NULL);
  fh_assert_field(fh, "work.reportsTo", HRSYNC_FIELD_TEXT, NULL);
  fh_done(plugin, fh, c);
}

static void test_fields_wrapped_and_no_root_id(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR,
           "{\"fields\":[{\"id\":\"root.email\",\"name\":\"Email\","
           "\"jsonPath\":\"email\",\"type\":\"text\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_fields(fh), 2);
  fh_assert_field(fh, "root.email", HRSYNC_FIELD_TEXT, "Email");
  /* The key mapping's field is always described. */
  fh_assert_field(fh, "root.id", HRSYNC_FIELD_TEXT, NULL);
  fh_done(plugin, fh, c);
}

static void test_fields_bad_shapes(void **state)
{
  static const struct {
    const char *body;
    const char *needle;
  } cases[] = {
      {"{\"employees\":[]}", "expected an array of fields"},
      {"{\"fields\":{}}", "expected an array of fields"},
      {"[{\"id\":\"root.id\"},{\"name\":\"x\"}]", "fields[1] has no \"id\""},
      {"[{\"id\":\"root.id\",", "malformed JSON"},
      {"<html>oops</html>", "malformed JSON"},
      {"", "empty body"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_queue(fh, 200, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(plugin->list_fields(c), HRSYNC_E_PARSE);
    fh_assert_error_has(fh, "GET /v1/company/people/fields");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
}

/* ---- roster -------------------------------------------------------- */

static void test_search_request(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_request *r;
  json_object *body, *fields, *v;
  size_t pages = 0;
  (void)state;
  fh_want(fh, "root.firstName");
  fh_want(fh, "work.department");
  fh_want(fh, "root.id");
  fh_want(fh, "root.firstName");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, one_person);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, &pages), HRSYNC_OK);
  assert_int_equal(pages, 1); /* no pagination: has_more 0 at once */
  assert_int_equal(fh_n_requests(fh), 2);
  assert_int_equal(fh_n_records(fh), 1);
  r = fh_request_at(fh, 1);
  assert_hibob_request(r, "POST", API "/v1/people/search");
  body = json_tokener_parse(r->body);
  assert_non_null(body);
  assert_true(json_object_object_get_ex(body, "fields", &fields));
  assert_int_equal(json_object_array_length(fields), 3);
  assert_string_equal(
      json_object_get_string(json_object_array_get_idx(fields, 0)), "root.id");
  assert_string_equal(
      json_object_get_string(json_object_array_get_idx(fields, 1)),
      "root.firstName");
  assert_string_equal(
      json_object_get_string(json_object_array_get_idx(fields, 2)),
      "work.department");
  assert_true(json_object_object_get_ex(body, "showInactive", &v));
  assert_true(json_object_is_type(v, json_type_boolean));
  assert_true(json_object_get_boolean(v));
  assert_true(json_object_object_get_ex(body, "humanReadable", &v));
  assert_string_equal(json_object_get_string(v), "APPEND");
  assert_false(json_object_object_get_ex(body, "filters", NULL));
  json_object_put(body);
  fh_done(plugin, fh, c);
}

static void test_search_nested(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b;
  (void)state;
  want_all(fh);
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, one_person);
  fh_queue(fh, 200, JSON_HDR, search_nested);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  /* The mirror resolved every list: named lists were never needed. */
  assert_int_equal(fh_n_requests(fh), 3);
  assert_int_equal(fh_n_records(fh), 2);
  a = fh_record_find(fh, "3332883884017713238");
  b = fh_record_find(fh, "3332883884017713999");
  assert_non_null(a);
  assert_non_null(b);
  fh_assert_value(a, "root.id", "3332883884017713238");
  fh_assert_value(a, "root.firstName", "Ashley");
  fh_assert_value(a, "root.surname", "Sanchez");
  fh_assert_value(a, "root.email", "ashley@example.com");
  fh_assert_value(a, "work.department", "Engineering");
  fh_assert_value(a, "work.title", "Data Engineer");
  /* Dates stay machine values (the mirror's 01/03/2021 is not used). */
  fh_assert_value(a, "work.startDate", "2021-03-01");
  fh_assert_value(a, "work.employeeIdInCompany", "140");
  fh_assert_value(a, "work.reportsTo", "Jane Smith");
  fh_assert_value(a, "personal.nationality", "American, French");
  fh_assert_value(a, "personal.birthDate", "1990-05-17");
  fh_assert_value(a, "internal.status", "Active");
  fh_assert_value(a, "internal.terminationDate", NULL);
  /* jsonPath, not the id, says where a value sits. */
  fh_assert_value(a, "work.custom.field_1", "moved");
  /* The terminated employee is there (showInactive). */
  fh_assert_value(b, "internal.status", "Inactive");
  fh_assert_value(b, "internal.terminationDate", "2024-12-31");
  fh_assert_value(b, "work.department", "Engineering");
  fh_assert_value(b, "work.title", NULL);
  fh_assert_value(b, "work.reportsTo", NULL);
  fh_assert_value(b, "personal.nationality", NULL);
  /* Withheld (absent) is not empty. */
  fh_assert_absent(b, "personal.birthDate");
  fh_assert_absent(b, "work.custom.field_1");
  /* Only what was asked for. */
  fh_assert_absent(a, "root.displayName");
  fh_assert_absent(a, "humanReadable");
  fh_done(plugin, fh, c);
}

static void test_search_slash_keys(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a;
  (void)state;
  want_all(fh);
  fh_want(fh, "payroll.salary");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"/root/id\":{\"value\":\"42\"},"
           "\"/root/firstName\":\"Ana\","
           "\"/root/surname\":{\"value\":\"Diaz\"},"
           "\"/work/department\":{\"value\":\"143565567\"},"
           "\"/work/employeeIdInCompany\":{\"value\":50955},"
           "\"/work/startDate\":{\"value\":\"2020-02-03\"},"
           "\"/personal/nationality\":{\"value\":[\"ES\"]},"
           "\"/internal/terminationDate\":{\"value\":null},"
           "\"/payroll/salary\":{\"value\":{\"value\":5000.5,"
           "\"currency\":\"EUR\"}},"
           "\"humanReadable\":{\"/work/department\":{\"value\":\"Sales\"},"
           "\"/personal/nationality\":\"Spanish\"}}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 1);
  a = fh_record_at(fh, 0);
  assert_string_equal(a->hris_id, "42");
  fh_assert_value(a, "root.firstName", "Ana");
  fh_assert_value(a, "root.surname", "Diaz");
  fh_assert_value(a, "work.department", "Sales");
  fh_assert_value(a, "work.employeeIdInCompany", "50955");
  fh_assert_value(a, "work.startDate", "2020-02-03");
  fh_assert_value(a, "personal.nationality", "Spanish");
  fh_assert_value(a, "internal.terminationDate", NULL);
  fh_assert_value(a, "payroll.salary", "5000.5");
  fh_assert_absent(a, "root.email");
  fh_done(plugin, fh, c);
}

/* Slash keys alongside nested objects in one employee (the documented
** answer shows both): each field read once, nested first. */
static void test_search_both_shapes(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a;
  (void)state;
  fh_want(fh, "root.firstName");
  fh_want(fh, "work.department");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"/root/id\":{\"value\":\"7\"},\"id\":\"7\","
           "\"/root/firstName\":{\"value\":\"Ana\"},\"firstName\":\"Ana\","
           "\"/work/department\":{\"value\":\"143565567\"},"
           "\"work\":{\"department\":\"143565567\"},"
           "\"humanReadable\":{\"/work/department\":\"Sales\","
           "\"work\":{\"department\":\"Sales\"}}}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  a = fh_record_find(fh, "7");
  assert_non_null(a);
  fh_assert_value(a, "root.firstName", "Ana");
  fh_assert_value(a, "work.department", "Sales");
  fh_done(plugin, fh, c); /* a field set twice would be a violation */
}

/* A service user whose permission group lacks the categories: the fields
** call succeeds, the search answers 200 with nobody. authenticate (which
** check and sync both run first) fails as an authentication problem
** naming the permissions to grant; an empty roster page itself is not an
** error (the conformance kit's empty-page rule). */
static void test_no_people_is_auth_error(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  int more = 1;
  (void)state;
  fh_want(fh, "root.firstName");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, "{\"employees\":[]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "POST /v1/people/search: no employees: the service "
                          "user's permission group cannot see employees "
                          "(People > Permissions: Employed, Hired, "
                          "Terminated)");
  fh_queue(fh, 200, JSON_HDR, "{\"employees\":[]}");
  assert_int_equal(plugin->next_page(c, &more), HRSYNC_OK);
  assert_int_equal(more, 0);
  assert_int_equal(fh_n_records(fh), 0);
  fh_done(plugin, fh, c);
}

/* HiBob omits, for everyone, a field the service user may not see; null
** means empty. A requested field no employee carried is declared
** withheld (SDK 1.2); one that some employee had, even as null, is not. */
static void test_withheld_when_absent_for_everyone(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "root.firstName");
  fh_want(fh, "personal.birthDate");
  fh_want(fh, "address.line2");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"/root/id\":{\"value\":\"1\"},"
           "\"/root/firstName\":{\"value\":\"A\"},"
           "\"/address/line2\":{\"value\":null}},"
           "{\"/root/id\":{\"value\":\"2\"},"
           "\"/root/firstName\":{\"value\":\"B\"}}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 2);
  assert_int_equal(fh_n_withheld(fh), 1);
  assert_non_null(
      strstr(fh_withheld(fh, "personal.birthDate"), "permission group"));
  assert_null(fh_withheld(fh, "address.line2"));
  assert_null(fh_withheld(fh, "root.id"));
  fh_done(plugin, fh, c);
}

static const char named_lists[] =
    "{\"department\":{\"name\":\"department\",\"values\":["
    "{\"id\":\"143565567\",\"value\":\"Engineering\",\"name\":"
    "\"Engineering\",\"archived\":false,\"children\":[]},"
    "{\"id\":\"143565999\",\"value\":\"Sales\",\"name\":\"Sales\"},"
    "{\"id\":\"143560001\",\"value\":\"Old Lab\",\"name\":\"Old Lab\","
    "\"archived\":true}]},"
    "\"title\":{\"name\":\"title\",\"values\":[{\"id\":1,\"name\":"
    "\"Engineering titles\",\"children\":[{\"id\":152307451,\"name\":"
    "\"Data Engineer\",\"children\":[]}]}]},"
    "\"nationalities\":{\"name\":\"nationalities\",\"values\":["
    "{\"id\":\"US\",\"value\":\"American\"},{\"id\":\"FR\",\"value\":"
    "\"French\"}]}}";

static void test_named_list_fallback(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b;
  (void)state;
  want_all(fh);
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":["
           "{\"id\":\"1\",\"work\":{\"department\":\"143565567\","
           "\"title\":\"152307451\",\"reportsTo\":\"77\"},"
           "\"personal\":{\"nationality\":[\"US\",\"FR\",\"XX\"]}},"
           "{\"id\":\"2\",\"work\":{\"department\":\"999\",\"title\":"
           "152307451}},"
           "{\"id\":\"3\",\"work\":{\"department\":\"143560001\"}}]}");
  fh_queue(fh, 200, JSON_HDR, named_lists);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  /* One named-lists read for everyone. */
  assert_int_equal(fh_n_requests(fh), 3);
  assert_hibob_request(fh_request_at(fh, 2), "GET",
                       API "/v1/company/named-lists?includeArchived=true");
  a = fh_record_find(fh, "1");
  b = fh_record_find(fh, "2");
  fh_assert_value(a, "work.department", "Engineering");
  fh_assert_value(a, "work.title", "Data Engineer"); /* a hierarchy child */
  fh_assert_value(a, "personal.nationality", "American, French, XX");
  fh_assert_value(a, "work.reportsTo", "77");   /* an id without a mirror */
  fh_assert_value(b, "work.department", "999"); /* unknown item: its id */
  fh_assert_value(b, "work.title", "Data Engineer");
  /* A former (archived) department still has its name. */
  fh_assert_value(fh_record_find(fh, "3"), "work.department", "Old Lab");
  fh_done(plugin, fh, c);
}

/* Odd values read the same whether an employee is emitted as it arrives
** (its department mirrored) or waits for the named lists, as JSON text
** read again after the answer: as json-c read them, "\u0000" marked. */
#define ODD_PERSON(mirror)                                                    \
  "{\"employees\":[{\"id\":\"1\",\"firstName\":\"A\\\"/\\\\\\t\\u00e9"        \
  "\xc3\xa9\\ud83d\\ude00\\u0000Z\",\"surname\":{\"x\":[1,2.50,-0,1e3,"       \
  "\"a/b\"],\"y\":true,\"y\":false},\"email\":\"\",\"work\":{\"department\""  \
  ":\"143565567\",\"employeeIdInCompany\":99999999999999999999,"              \
  "\"startDate\":12E-1},\"personal\":{\"birthDate\":1.50},\"internal\":"      \
  "{\"status\":[1,{\"a\":\"/\"},null,\"s\"],\"terminationDate\":null}" mirror \
  "}]}"

static fh_host *run_odd(const char *search, int lists)
{
  fh_host *fh = host();
  hrsync_conn *c;
  want_all(fh);
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, search);
  if(lists)
    fh_queue(fh, 200, JSON_HDR, named_lists);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), lists ? 3 : 2);
  plugin->close(c);
  fh_assert_clean(fh);
  return fh;
}

static void test_waiting_reads_the_same(void **state)
{
  fh_host *waited = run_odd(ODD_PERSON(""), 1);
  fh_host *now =
      run_odd(ODD_PERSON(",\"humanReadable\":{\"work\":{\"department\":"
                         "\"Engineering\"}}"),
              0);
  const fh_record *a = fh_record_find(waited, "1");
  (void)state;
  assert_non_null(a);
  fh_assert_value(a, "root.firstName",
                  "A\"/\\\t\xc3\xa9\xc3\xa9\xf0\x9f\x98\x80\xc0\x80Z");
  fh_assert_value(a, "root.surname",
                  "{\"x\":[1,2.50,0,1e3,\"a\\/b\"],\"y\":false}");
  fh_assert_value(a, "root.email", "");
  fh_assert_value(a, "work.department", "Engineering");
  fh_assert_value(a, "work.employeeIdInCompany", "9223372036854775807");
  fh_assert_value(a, "work.startDate", "1.2");
  fh_assert_value(a, "personal.birthDate", "1.5");
  fh_assert_value(a, "internal.status", "1, {\"a\":\"\\/\"}, s");
  fh_assert_value(a, "internal.terminationDate", NULL);
  fh_assert_same_records(waited, now);
  fh_free(waited);
  fh_free(now);
}

static void test_named_list_errors(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "work.department");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"id\":\"1\",\"work\":{\"department\":"
           "\"5\"}}]}");
  fh_queue(fh, 200, JSON_HDR, "[\"department\"");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "GET /v1/company/named-lists: malformed JSON");
  fh_done(plugin, fh, c);
}

/* Named lists as a bare array, found by the list's own "id" member. */
static void test_named_lists_array_shape(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "work.department");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"id\":\"1\",\"work\":{\"department\":"
           "\"7\"}}]}");
  fh_queue(fh, 200, JSON_HDR,
           "[{\"id\":\"department\",\"name\":\"Departments\",\"values\":"
           "[{\"id\":7,\"value\":\"Legal\"}]}]");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  fh_assert_value(fh_record_find(fh, "1"), "work.department", "Legal");
  fh_done(plugin, fh, c);
}

static void test_named_lists_refused(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "work.department");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"id\":\"1\",\"work\":{\"department\":"
           "\"7\"}}]}");
  fh_queue(fh, 403, JSON_HDR,
           "{\"key\":\"forbidden\",\"error\":\"No access to lists\"}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_AUTH);
  fh_assert_error_has(
      fh, "GET /v1/company/named-lists: HTTP 403: No access to lists");
  fh_done(plugin, fh, c);
}

static void test_search_errors(void **state)
{
  static const struct {
    unsigned status;
    const char *body;
    hrsync_status st;
    const char *needle;
  } cases[] = {
      {400,
       "{\"key\":\"invalid.field\",\"error\":\"Field 'work.nope' does not "
       "exist\"}",
       HRSYNC_E_HTTP, "HTTP 400: Field 'work.nope' does not exist"},
      {401, "{\"key\":\"unauthorized\",\"error\":\"Bad token\"}",
       HRSYNC_E_AUTH, "HTTP 401: Bad token"},
      {500, "", HRSYNC_E_HTTP, "HTTP 500"},
      {200, "{\"employees\":[{\"id\":\"1\"},", HRSYNC_E_PARSE,
       "malformed JSON"},
      {200, "{\"employees\":[{\"id\":\"1\"}]} trailing", HRSYNC_E_PARSE,
       "malformed JSON"},
      {200, "{\"employees\":{}}", HRSYNC_E_PARSE,
       "\"employees\" is missing or not an array"},
      {200, "[]", HRSYNC_E_PARSE, "\"employees\" is missing or not an array"},
      {200, "{\"employees\":[{\"firstName\":\"x\"}]}", HRSYNC_E_PARSE,
       "employees[0] has no root.id"},
      {200, "{\"employees\":[\"1\"]}", HRSYNC_E_PARSE,
       "employees[0] is not an object"},
      {200, "{\"employees\":[{\"id\":{\"x\":1}}]}", HRSYNC_E_PARSE,
       "employees[0] has no root.id"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_want(fh, "root.firstName");
    fh_queue(fh, 200, JSON_HDR, meta);
    fh_queue(fh, cases[i].status, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), cases[i].st);
    fh_assert_error_has(fh, "POST /v1/people/search");
    fh_assert_error_has(fh, cases[i].needle);
    assert_int_equal(fh_n_requests(fh), 2);
    fh_done(plugin, fh, c);
  }
}

/* The answer is read one employee at a time: other members around the
** array, odd spacing and escapes must not matter. */
static void test_search_stream_shapes(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "root.firstName");
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR,
           " \n{ \"meta\" : {\"x\": [1, {\"employees\": 2}], \"y\": null},"
           "\"n\":-1.5e3 ,\"ok\":true,\"\\u0065mployeesX\":[],"
           "\"employees\" : [ {\"id\":\"1\",\"firstName\":\"A\\\"}]\"} ,"
           "{\"id\":2,\"firstName\":\"B\"} ] , \"count\": 2 }\r\n");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 2);
  fh_assert_value(fh_record_find(fh, "1"), "root.firstName", "A\"}]");
  fh_assert_value(fh_record_find(fh, "2"), "root.firstName", "B");
  fh_done(plugin, fh, c);
}

static void test_search_stream_errors(void **state)
{
  static const struct {
    const char *body;
    const char *needle;
  } cases[] = {
      {"{\"employees\":null}", "\"employees\" is missing or not an array"},
      {"{\"employees\":[null]}", "employees[0] is not an object"},
      {"{\"employees\":[{\"id\":\"1\"} {\"id\":\"2\"}]}", "malformed JSON"},
      {"{\"employees\":[{\"id\":\"1\"}],}", "malformed JSON"},
      {"{employees:[]}", "malformed JSON"},
      {"{\"employees\":[]", "unexpected end of data"},
      {"{\"a\":1}{\"employees\":[]}", "malformed JSON"},
      {"{}", "\"employees\" is missing or not an array"},
      {"   ", "malformed JSON"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_want(fh, "root.firstName");
    fh_queue(fh, 200, JSON_HDR, meta);
    fh_queue(fh, 200, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_PARSE);
    fh_assert_error_has(fh, "POST /v1/people/search");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
}

static void test_unknown_wanted_field(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a;
  (void)state;
  /* Not in the metadata (e.g. permission-restricted): still asked for,
  ** read at the path its id names. */
  fh_want(fh, "root.displayName");
  fh_want(fh, "home.privateEmail");
  fh_queue(fh, 200, JSON_HDR, "[]");
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\":[{\"id\":\"7\",\"displayName\":\"Bo Lee\","
           "\"home\":{\"privateEmail\":\"bo@example.org\"}}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  a = fh_record_find(fh, "7");
  assert_non_null(a);
  fh_assert_value(a, "root.displayName", "Bo Lee");
  fh_assert_value(a, "home.privateEmail", "bo@example.org");
  fh_done(plugin, fh, c);
}

/* SDK 1.4: the search answer is streamed (http_stream) and read the same
** in 1-byte chunks, in one chunk, and on an older host without it
** (http()); a transfer broken mid-body fails the sync, naming it. */
static void run_nested(fh_host *fh, hrsync_status want)
{
  hrsync_conn *c;
  want_all(fh);
  fh_queue(fh, 200, JSON_HDR, meta);
  fh_queue(fh, 200, JSON_HDR, one_person);
  fh_queue(fh, 200, JSON_HDR, search_nested);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), want);
  plugin->close(c);
}

static void assert_nested_records(const fh_host *fh)
{
  const fh_record *a = fh_record_find(fh, "3332883884017713238");
  const fh_record *b = fh_record_find(fh, "3332883884017713999");
  assert_int_equal(fh_n_records(fh), 2);
  assert_non_null(a);
  assert_non_null(b);
  fh_assert_value(a, "root.surname", "Sanchez");
  fh_assert_value(a, "work.title", "Data Engineer");
  fh_assert_value(a, "personal.nationality", "American, French");
  fh_assert_value(b, "internal.terminationDate", "2024-12-31");
  fh_assert_absent(b, "personal.birthDate");
}

static void test_search_streamed_in_chunks(void **state)
{
  static const size_t chunks[] = {1, 2, 3, 0};
  fh_host *fh;
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
    fh = host();
    fh_stream_chunk(fh, chunks[i]);
    run_nested(fh, HRSYNC_OK);
    /* The probe and the search, both streamed; nothing else. */
    assert_int_equal(fh_n_requests(fh), 3);
    assert_int_equal(fh_n_streams(fh), 2);
    assert_nested_records(fh);
    assert_int_equal(fh_violations(fh), 0);
    fh_free(fh);
  }
  fh = host();
  fh_no_stream(fh); /* a 1.3 host: the same records through http() */
  run_nested(fh, HRSYNC_OK);
  assert_int_equal(fh_n_streams(fh), 0);
  assert_nested_records(fh);
  assert_int_equal(fh_violations(fh), 0);
  fh_free(fh);

  fh = host();
  fh_stream_chunk(fh, 16);
  fh_stream_break_after(fh, 64); /* the probe is shorter: only the search */
  run_nested(fh, HRSYNC_E_HTTP);
  fh_assert_error_has(fh, "connection reset mid-body");
  assert_int_equal(fh_violations(fh), 0);
  fh_free(fh);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_open_config_errors),
      cmocka_unit_test(test_auth_request_and_base_urls),
      cmocka_unit_test(test_rate_limit_declared),
      cmocka_unit_test(test_auth_401_no_retry),
      cmocka_unit_test(test_transport_error_and_abort),
      cmocka_unit_test(test_fields_schema),
      cmocka_unit_test(test_fields_wrapped_and_no_root_id),
      cmocka_unit_test(test_fields_bad_shapes),
      cmocka_unit_test(test_search_request),
      cmocka_unit_test(test_search_nested),
      cmocka_unit_test(test_search_slash_keys),
      cmocka_unit_test(test_search_both_shapes),
      cmocka_unit_test(test_no_people_is_auth_error),
      cmocka_unit_test(test_withheld_when_absent_for_everyone),
      cmocka_unit_test(test_named_list_fallback),
      cmocka_unit_test(test_waiting_reads_the_same),
      cmocka_unit_test(test_named_list_errors),
      cmocka_unit_test(test_named_lists_array_shape),
      cmocka_unit_test(test_named_lists_refused),
      cmocka_unit_test(test_search_errors),
      cmocka_unit_test(test_search_stream_shapes),
      cmocka_unit_test(test_search_stream_errors),
      cmocka_unit_test(test_unknown_wanted_field),
      cmocka_unit_test(test_search_streamed_in_chunks),
  };
  plugin = fh_load(argc > 1 ? argv[1] : NULL);
  if(!plugin) {
    fprintf(stderr, "test_hibob: cannot load the plugin: %s\n",
            fh_load_error());
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
