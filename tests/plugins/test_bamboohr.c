/*
** BambooHR connector unit tests: the real plugin (argv[1]) driven through
** the fake host with canned BambooHR responses, one per documented shape,
** variant and error (see shared/hris/bamboohr-personio.md, part A).
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

#define GATEWAY  "https://api.bamboohr.com/api/gateway.php/acme"
#define JSON_HDR "Content-Type: application/json"

/* A host with the usual settings; the caller adds responses. */
static fh_host *host(void)
{
  fh_host *fh = fh_new();
  fh_setting(fh, "subdomain", "acme");
  fh_secret(fh, "api_key", "bamboo-secret-key");
  return fh;
}

/* Every BambooHR request: Basic <key>:x, Accept: application/json once. */
static void assert_bamboo_request(const fh_request *r, const char *method,
                                  const char *url)
{
  assert_string_equal(r->method, method);
  assert_string_equal(r->url, url);
  assert_non_null(r->basic_user);
  assert_string_equal(r->basic_user, "bamboo-secret-key");
  assert_string_equal(r->basic_password, "x");
  assert_int_equal(fh_request_header_count(r, "Accept"), 1);
  assert_string_equal(fh_request_header(r, "Accept"), "application/json");
  assert_null(fh_request_header(r, "Authorization"));
}

/* ---- descriptor and settings ------------------------------------- */

static void test_descriptor(void **state)
{
  const hrsync_setting_def *s;
  const hrsync_kv *m;
  int base = 0, sub = 0, key = 0, roster = 0, hris = 0, start = 0;
  (void)state;
  assert_string_equal(plugin->name, "bamboohr");
  assert_int_equal(plugin->abi_major, HRSYNC_ABI_MAJOR);
  for(s = plugin->settings; s->key; s++) {
    if(!strcmp(s->key, "base_url")) {
      base = 1;
      assert_string_equal(s->default_value,
                          "https://api.bamboohr.com/api/gateway.php");
    }
    if(!strcmp(s->key, "subdomain"))
      sub = (s->flags & HRSYNC_SETTING_REQUIRED) != 0;
    if(!strcmp(s->key, "api_key"))
      key = (s->flags & HRSYNC_SETTING_SECRET) &&
            (s->flags & HRSYNC_SETTING_REQUIRED);
    if(!strcmp(s->key, "roster")) {
      roster = 1;
      assert_string_equal(s->default_value, "custom_report");
    }
  }
  assert_true(base && sub && key && roster);
  for(m = plugin->suggested_mapping; m->name; m++) {
    if(!strcmp(m->name, "hris_id"))
      hris = !strcmp(m->value, "id");
    if(!strcmp(m->name, "start_date"))
      start = !strcmp(m->value, "hireDate");
  }
  assert_true(hris && start);
}

static void test_open_config_errors(void **state)
{
  static const struct {
    const char *sub, *key, *base, *roster, *needle;
  } cases[] = {
      {NULL, "key-1", NULL, NULL, "subdomain"},
      {"acme", NULL, NULL, NULL, "api_key"},
      {"", "key-1", NULL, NULL, "subdomain"},
      {"ac me/x", "key-1", NULL, NULL, "subdomain"},
      {"acme", "key-1", "ftp://x", NULL, "base_url"},
      {"acme", "key-1", NULL, "directory", "roster"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    hrsync_conn *c = NULL;
    if(cases[i].sub)
      fh_setting(fh, "subdomain", cases[i].sub);
    if(cases[i].key)
      fh_secret(fh, "api_key", cases[i].key);
    if(cases[i].base)
      fh_setting(fh, "base_url", cases[i].base);
    if(cases[i].roster)
      fh_setting(fh, "roster", cases[i].roster);
    assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
    fh_assert_error_has(fh, cases[i].needle);
    assert_int_equal(fh_n_requests(fh), 0);
    plugin->close(c);
    fh_assert_clean(fh);
    fh_free(fh);
  }
}

/* ---- authenticate: URL styles, credentials, errors ----------------- */

static void test_auth_gateway(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, "[]");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_bamboo_request(fh_request_at(fh, 0), "GET",
                        GATEWAY "/v1/meta/fields");
  assert_null(fh_request_at(fh, 0)->body);
  assert_null(fh_request_header(fh_request_at(fh, 0), "Content-Type"));
  fh_done(plugin, fh, c);
}

static void test_auth_url_styles(void **state)
{
  static const char *const cases[][2] = {
      {"http://127.0.0.1:9/bamboohr/api/gateway.php/",
       "http://127.0.0.1:9/bamboohr/api/gateway.php/acme/v1/meta/fields"},
      {"https://acme.bamboohr.com/api",
       "https://acme.bamboohr.com/api/v1/meta/fields"},
      {"https://acme.bamboohr.com/api//",
       "https://acme.bamboohr.com/api/v1/meta/fields"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_setting(fh, "base_url", cases[i][0]);
    fh_queue(fh, 200, NULL, "[]");
    c = fh_open_ok(plugin, fh);
    assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
    assert_bamboo_request(fh_request_at(fh, 0), "GET", cases[i][1]);
    fh_done(plugin, fh, c);
  }
}

static void test_auth_401_header_message(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  /* Legacy endpoints: empty body, the message in a header. */
  fh_queue(fh, 401,
           "WWW-Authenticate: Basic realm=\"api\"\n"
           "X-BambooHR-Error-Message: Invalid API key",
           "");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "/v1/meta/fields");
  fh_assert_error_has(fh, "HTTP 401");
  fh_assert_error_has(fh, "Invalid API key");
  fh_done(plugin, fh, c);
}

static void test_auth_403_and_500(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 403, NULL, "");
  fh_queue(fh, 500, "X-BambooHR-Error-Message: Internal error", "");
  fh_queue(fh, 404, NULL, "");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "HTTP 403");
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_HTTP);
  fh_assert_error_has(fh, "HTTP 500: Internal error");
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_HTTP);
  fh_assert_error_has(fh, "/v1/meta/fields: HTTP 404");
  fh_done(plugin, fh, c);
}

static void test_auth_xml_body(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, "Content-Type: text/xml",
           "\n<?xml version=\"1.0\"?><fields><field id=\"1\"/></fields>");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "expected JSON, got XML");
  fh_assert_error_has(fh, "/v1/meta/fields");
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

static const char meta_fields[] =
    "[{\"id\": 1, \"name\": \"First Name\", \"type\": \"text\", "
    "\"alias\": \"firstName\"},"
    "{\"id\": 2, \"name\": \"Last Name\", \"type\": \"text\", "
    "\"alias\": \"lastName\"},"
    "{\"id\": 4, \"name\": \"Employee #\", \"type\": \"employee_number\", "
    "\"alias\": \"employeeNumber\"},"
    "{\"id\": \"4340.4\", \"name\": \"Custom Skill\", \"type\": \"list\", "
    "\"alias\": \"customSkill\"},"
    "{\"id\": \"4340.5\", \"name\": \"Skill level\", \"type\": \"int\"},"
    "{\"id\": 4001, \"name\": \"Shirt Size\", \"type\": \"list\"},"
    "{\"id\": 17, \"name\": \"Old Status\", \"type\": \"text\", "
    "\"alias\": \"acaStatus\", \"deprecated\": true},"
    "{\"id\": 18, \"name\": \"Hire Date\", \"type\": \"date\", "
    "\"alias\": \"hireDate\"},"
    "{\"id\": 15, \"name\": \"Work Email\", \"type\": \"email\", "
    "\"alias\": \"workEmail\"},"
    "{\"id\": 19, \"name\": \"Country\", \"type\": \"country\", "
    "\"alias\": \"country\"},"
    "{\"id\": 20, \"name\": \"State\", \"type\": \"state\", "
    "\"alias\": \"state\"},"
    "{\"id\": 21, \"name\": \"Pay rate\", \"type\": \"currency\", "
    "\"alias\": \"payRate\"},"
    "{\"id\": 22, \"name\": \"Remote\", \"type\": \"checkbox\"},"
    "{\"id\": 16, \"name\": \"Status\", \"type\": \"status\", "
    "\"alias\": \"status\"},"
    "{\"id\": 23, \"name\": \"Photo\", \"type\": \"bool\", "
    "\"alias\": \"photoUploaded\"},"
    "{\"id\": 24, \"name\": \"Age\", \"type\": \"integer\", "
    "\"alias\": \"age\"},"
    "{\"id\": 25, \"name\": \"Termination Date\", \"type\": \"date\", "
    "\"alias\": \"terminationDate\", \"deprecated\": false},"
    "{\"id\": 1, \"name\": \"First Name again\", \"type\": \"text\", "
    "\"alias\": \"firstName\"}]";

static void assert_field(fh_host *fh, const char *id, uint32_t type,
                         uint32_t flags, const char *label)
{
  const fh_field *f = fh_field_find(fh, id);
  if(!f)
    fail_msg("field %s not described", id);
  assert_int_equal(f->type, type);
  assert_int_equal(f->flags, flags);
  if(label)
    assert_string_equal(f->label, label);
}

static void test_fields_schema(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, meta_fields);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_bamboo_request(fh_request_at(fh, 0), "GET",
                        GATEWAY "/v1/meta/fields");
  /* 17 distinct entries (the repeated firstName once) plus id and the 10
  ** report-only names. */
  assert_int_equal(fh_n_fields(fh), 28);
  assert_field(fh, "bestEmail", HRSYNC_FIELD_EMAIL, 0, NULL);
  assert_field(fh, "supervisorEId", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "supervisorId", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "displayName", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "fullName1", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "fullName5", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "lastChanged", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "status", HRSYNC_FIELD_LIST, 0, "Status");
  assert_field(fh, "firstName", HRSYNC_FIELD_TEXT, 0, "First Name");
  assert_field(fh, "employeeNumber", HRSYNC_FIELD_TEXT, 0, "Employee #");
  assert_field(fh, "customSkill", HRSYNC_FIELD_LIST, 0, "Custom Skill");
  assert_field(fh, "4340.5", HRSYNC_FIELD_NUMBER, 0, "Skill level");
  assert_field(fh, "4001", HRSYNC_FIELD_LIST, 0, "Shirt Size");
  assert_field(fh, "acaStatus", HRSYNC_FIELD_TEXT, HRSYNC_FIELD_DEPRECATED,
               NULL);
  assert_field(fh, "hireDate", HRSYNC_FIELD_DATE, 0, NULL);
  assert_field(fh, "terminationDate", HRSYNC_FIELD_DATE, 0, NULL);
  assert_field(fh, "workEmail", HRSYNC_FIELD_EMAIL, 0, NULL);
  assert_field(fh, "country", HRSYNC_FIELD_LIST, 0, NULL);
  assert_field(fh, "state", HRSYNC_FIELD_LIST, 0, NULL);
  assert_field(fh, "payRate", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "22", HRSYNC_FIELD_TEXT, 0, "Remote");
  assert_field(fh, "photoUploaded", HRSYNC_FIELD_BOOL, 0, NULL);
  assert_field(fh, "age", HRSYNC_FIELD_NUMBER, 0, NULL);
  assert_field(fh, "id", HRSYNC_FIELD_NUMBER, 0, NULL);
  assert_null(fh_field_find(fh, "1"));
  fh_done(plugin, fh, c);
}

static void test_fields_reuse_authenticate(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  /* authenticate's answer serves the next list_fields; a later one asks
  ** again. */
  fh_queue(fh, 200, JSON_HDR, meta_fields);
  fh_queue(fh, 200, JSON_HDR, "[{\"id\": 1, \"alias\": \"firstName\"}]");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_fields(fh), 28);
  fh_clear(fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_fields(fh), 12);
  fh_done(plugin, fh, c);
}

static void test_fields_bad_shapes(void **state)
{
  static const struct {
    const char *body, *needle;
    hrsync_status st;
  } cases[] = {
      {"{\"fields\": []}", "expected a top-level array", HRSYNC_E_PARSE},
      {"[{\"id\": 1, \"name\": \"x\"}, 7]", "entry 1 is not an object",
       HRSYNC_E_PARSE},
      {"[{\"name\": \"no id\", \"type\": \"text\"}]", "entry 0 has neither",
       HRSYNC_E_PARSE},
      {"[{\"id\": 1, \"name\": \"First", "malformed JSON", HRSYNC_E_PARSE},
      {"[{\"id\": 1 \"name\": \"x\"}]", "malformed JSON", HRSYNC_E_PARSE},
      {"", "malformed JSON", HRSYNC_E_PARSE},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_queue(fh, 200, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(plugin->list_fields(c), cases[i].st);
    fh_assert_error_has(fh, "/v1/meta/fields");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
}

/* ---- custom report ------------------------------------------------ */

/* The recorded Nango response, trimmed, plus the empty-value variants. */
static const char report[] =
    "{\"title\": \"hrsync\", \"fields\": ["
    "{\"id\": \"id\", \"type\": \"int\", \"name\": \"EEID\"},"
    "{\"id\": \"firstName\", \"type\": \"text\", \"name\": \"First Name\"},"
    "{\"id\": \"lastName\", \"type\": \"text\", \"name\": \"Last Name\"},"
    "{\"id\": \"hireDate\", \"type\": \"date\", \"name\": \"Hire Date\"},"
    "{\"id\": \"terminationDate\", \"type\": \"date\", \"name\": \"T\"},"
    "{\"id\": \"status\", \"type\": \"status\", \"name\": \"Status\"}],"
    "\"employees\": ["
    "{\"id\": \"4\", \"firstName\": \"Charlotte\", \"lastName\": \"Abbott\","
    " \"hireDate\": \"2023-12-28\", \"terminationDate\": \"0000-00-00\","
    " \"status\": \"Active\"},"
    "{\"id\": 5, \"firstName\": \"Ashley\", \"lastName\": null,"
    " \"hireDate\": \"2024-08-27\", \"terminationDate\": \"2025-01-31\","
    " \"status\": \"Inactive\"},"
    "{\"id\": \"6\", \"firstName\": \"Nohire\", \"lastName\": \"Null\","
    " \"hireDate\": null, \"terminationDate\": null, \"status\": \"Active\"},"
    "{\"id\": \"7\", \"firstName\": \"Nohire\", \"lastName\": \"Zeros\","
    " \"hireDate\": \"0000-00-00\", \"status\": \"Active\"},"
    "{\"id\": \"8\", \"firstName\": \"Nohire\", \"lastName\": \"Empty\","
    " \"hireDate\": \"\", \"status\": \"Active\"},"
    "{\"id\": \"9\", \"firstName\": \"Nohire\", \"lastName\": \"Absent\","
    " \"status\": \"Active\"},"
    "{\"id\": \"10\", \"firstName\": \"Reserved\", \"hireDate\": "
    "\"2020-02-02\", \"hrsync.skip_reason\": \"from the wire\"}]}";

static void want_basic(fh_host *fh)
{
  fh_want(fh, "firstName");
  fh_want(fh, "lastName");
  fh_want(fh, "status"); /* also derived from: asked for once */
  fh_want(fh, "terminationDate");
  fh_want(fh, "id");
  fh_want(fh, "hrsync.skip_reason"); /* reserved: never asked for */
}

static void test_report_request(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_request *r;
  json_object *body, *v;
  size_t pages;
  (void)state;
  want_basic(fh);
  fh_queue(fh, 200, JSON_HDR, report);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, &pages), HRSYNC_OK);
  assert_int_equal(pages, 1);
  assert_int_equal(fh_n_requests(fh), 1);
  r = fh_request_at(fh, 0);
  assert_bamboo_request(r, "POST", GATEWAY "/v1/reports/custom?format=JSON");
  /* Exactly application/json: a charset makes BambooHR read XML. */
  assert_int_equal(fh_request_header_count(r, "Content-Type"), 1);
  assert_string_equal(fh_request_header(r, "Content-Type"),
                      "application/json");
  assert_int_equal(r->flags & HRSYNC_HTTP_SENSITIVE_BODY, 0);
  body = json_tokener_parse(r->body);
  assert_non_null(body);
  assert_true(json_object_object_get_ex(body, "fields", &v));
  assert_string_equal(
      json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
      "[\"id\",\"firstName\",\"lastName\",\"status\",\"terminationDate\","
      "\"hireDate\"]");
  assert_true(json_object_object_get_ex(body, "filterDuplicates", &v));
  assert_string_equal(json_object_get_string(v), "yes");
  json_object_put(body);
  fh_done(plugin, fh, c);
}

static void test_report_records(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *r;
  int present;
  const char *skipped[] = {"6", "7", "8", "9"};
  size_t i;
  (void)state;
  want_basic(fh);
  fh_queue(fh, 200, JSON_HDR, report);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 7);
  /* A member named like the reserved field is not taken from the wire. */
  fh_record_get(fh_record_find(fh, "10"), HRSYNC_FIELD_SKIP_REASON, &present);
  assert_false(present);
  r = fh_record_find(fh, "4");
  assert_non_null(r);
  assert_string_equal(fh_record_get(r, "firstName", NULL), "Charlotte");
  assert_string_equal(fh_record_get(r, "id", NULL), "4");
  assert_string_equal(fh_record_get(r, "hireDate", NULL), "2023-12-28");
  /* Passed through as sent; the engine treats it as empty. */
  assert_string_equal(fh_record_get(r, "terminationDate", NULL), "0000-00-00");
  fh_record_get(r, HRSYNC_FIELD_SKIP_REASON, &present);
  assert_false(present);
  /* A numeric id and a null value. */
  r = fh_record_find(fh, "5");
  assert_non_null(r);
  assert_string_equal(fh_record_get(r, "id", NULL), "5");
  assert_null(fh_record_get(r, "lastName", &present));
  assert_true(present);
  assert_string_equal(fh_record_get(r, "status", NULL), "Inactive");
  fh_record_get(r, HRSYNC_FIELD_SKIP_REASON, &present);
  assert_false(present);
  /* No hire date (null, 0000-00-00, "", absent): emitted, but skipped. */
  for(i = 0; i < 4; i++) {
    r = fh_record_find(fh, skipped[i]);
    assert_non_null(r);
    assert_string_equal(fh_record_get(r, HRSYNC_FIELD_SKIP_REASON, NULL),
                        "no hire date in BambooHR");
    assert_string_equal(fh_record_get(r, "firstName", NULL), "Nohire");
  }
  /* A field the report did not carry is not set at all. */
  fh_record_get(fh_record_find(fh, "9"), "terminationDate", &present);
  assert_false(present);
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, ""), 0);
  fh_done(plugin, fh, c);
}

/* SDK 1.4: the custom report is streamed (http_stream) and read the same
** in 1-byte chunks, in one chunk, and on an older host (http()).
** Employees are emitted as they arrive: a transfer broken after the
** second one has already emitted them, and fails the sync. */
static void test_report_streamed_in_chunks(void **state)
{
  static const size_t chunks[] = {1, 5, 0};
  size_t i, cut = (size_t)(strstr(report, "{\"id\": \"6\"") - report);
  fh_host *fh;
  hrsync_conn *c;
  (void)state;
  for(i = 0; i <= sizeof(chunks) / sizeof(chunks[0]); i++) {
    fh = host();
    if(i < sizeof(chunks) / sizeof(chunks[0]))
      fh_stream_chunk(fh, chunks[i]);
    else
      fh_no_stream(fh);
    want_basic(fh);
    fh_queue(fh, 200, JSON_HDR, report);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
    assert_int_equal(fh_n_streams(fh), i < 3 ? 1 : 0);
    assert_int_equal(fh_n_records(fh), 7);
    assert_string_equal(
        fh_record_get(fh_record_find(fh, "4"), "firstName", NULL),
        "Charlotte");
    assert_string_equal(
        fh_record_get(fh_record_find(fh, "7"), HRSYNC_FIELD_SKIP_REASON, NULL),
        "no hire date in BambooHR");
    fh_done(plugin, fh, c);
  }
  fh = host();
  fh_stream_chunk(fh, 1);
  fh_stream_break_after(fh, cut);
  want_basic(fh);
  fh_queue(fh, 200, JSON_HDR, report);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_HTTP);
  fh_assert_error_has(fh, "connection reset mid-body");
  assert_int_equal(fh_n_records(fh), 2); /* 4 and 5, before the break */
  plugin->close(c);
  assert_int_equal(fh_violations(fh), 0);
  fh_free(fh);
}

/* An XML answer to a streamed report is named at its first byte. */
static void test_report_streamed_xml(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  want_basic(fh);
  fh_stream_chunk(fh, 1);
  fh_queue(fh, 200, "Content-Type: text/xml",
           "  <?xml version=\"1.0\"?><reports/>");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "/v1/reports/custom: expected JSON, got XML");
  fh_done(plugin, fh, c);
}

static void test_report_withheld_fields_explained(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  want_basic(fh);
  fh_want(fh, "4001");
  fh_want(fh, "location");
  /* The key's user cannot see 4001 nor location: silently dropped. */
  fh_queue(fh, 200, JSON_HDR, report);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 7);
  /* The host warns about never-valued fields; the plugin says why at
  ** INFO, naming them, so the user sees one warning per field. */
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, ""), 0);
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_INFO, "2 requested fields"), 1);
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_INFO, "4001, location"), 1);
  /* SDK 1.2: each is declared withheld (unknown, never empty). */
  assert_int_equal(fh_n_withheld(fh), 2);
  assert_non_null(strstr(fh_withheld(fh, "4001"), "may not see it"));
  assert_non_null(fh_withheld(fh, "location"));
  assert_null(fh_withheld(fh, "firstName"));
  fh_done(plugin, fh, c);
}

/* The permission shape real tenants show: a field left out of fields[]
** and null for everyone. It is withheld, and its nulls are not emitted
** (absent, not empty). A field null for everyone but listed is not
** withheld (an unused field looks the same). */
static void test_report_withheld_null_shape(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  int present;
  (void)state;
  fh_want(fh, "workEmail");
  fh_want(fh, "address2");
  fh_queue(fh, 200, JSON_HDR,
           "{\"fields\": [{\"id\": \"id\"}, {\"id\": \"address2\"},"
           " {\"id\": \"hireDate\"}, {\"id\": \"status\"}],"
           " \"employees\": ["
           "{\"id\": \"1\", \"workEmail\": null, \"address2\": null,"
           " \"hireDate\": \"2020-01-01\", \"status\": \"Active\"},"
           "{\"id\": \"2\", \"workEmail\": null, \"address2\": null,"
           " \"hireDate\": \"2021-01-01\", \"status\": \"Active\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 2);
  assert_non_null(fh_withheld(fh, "workEmail"));
  assert_null(fh_withheld(fh, "address2"));
  fh_record_get(fh_record_find(fh, "1"), "workEmail", &present);
  assert_false(present);
  assert_null(fh_record_get(fh_record_find(fh, "1"), "address2", &present));
  assert_true(present);
  fh_done(plugin, fh, c);
}

/* Every requested field null for every employee (the "everything but id
** is null" reports): the key sees nothing, all are withheld. */
static void test_report_all_null_withheld(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\": ["
           "{\"id\": \"1\", \"firstName\": null, \"hireDate\": null,"
           " \"status\": null},"
           "{\"id\": \"2\", \"firstName\": null, \"hireDate\": null,"
           " \"status\": null}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_withheld(fh), 3);
  assert_non_null(strstr(fh_withheld(fh, "firstName"), "may see none"));
  assert_non_null(fh_withheld(fh, "hireDate"));
  assert_null(fh_withheld(fh, "id"));
  fh_done(plugin, fh, c);
}

/* Issue 15 case 8: an employee member named "" is not a field id; it is
** skipped with one warning, and the sync goes on (no contract error). */
static void test_report_empty_member_name(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\": ["
           "{\"id\": \"1\", \"\": \"odd\", \"firstName\": \"A\","
           " \"hireDate\": \"2020-01-01\"},"
           "{\"id\": \"2\", \"\": null, \"firstName\": \"B\","
           " \"hireDate\": \"2020-01-01\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 2);
  assert_string_equal(
      fh_record_get(fh_record_find(fh, "2"), "firstName", NULL), "B");
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, "empty name"), 1);
  fh_done(plugin, fh, c); /* no violation: record_set never got "" */
}

static void test_report_without_fields_array(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\": [{\"id\": \"1\", \"firstName\": \"A\", "
           "\"hireDate\": \"2020-01-01\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 1);
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, ""), 0);
  fh_done(plugin, fh, c);
}

/* The json-c reading the connector kept through the port to hsp_jv
** (hsp_json_text): each member of emp (JSON text) as record text. */
static void assert_like_json_c(const fh_record *r, const char *emp)
{
  json_object *o = json_tokener_parse(emp);
  char tmp[64];
  assert_non_null(o);
  assert_non_null(r);
  json_object_object_foreach(o, key, v)
  {
    const char *want = NULL;
    switch(json_object_get_type(v)) {
    case json_type_null:
      break;
    case json_type_string:
      want = json_object_get_string(v);
      break;
    case json_type_boolean:
      want = json_object_get_boolean(v) ? "true" : "false";
      break;
    case json_type_int:
      snprintf(tmp, sizeof(tmp), "%lld", (long long)json_object_get_int64(v));
      want = tmp;
      break;
    case json_type_double:
      snprintf(tmp, sizeof(tmp), "%.15g", json_object_get_double(v));
      want = tmp;
      break;
    default:
      want = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
    }
    fh_assert_value(r, key, want);
  }
  json_object_put(o);
}

/* Odd values read the same whether an employee is emitted as it arrives
** (fields[] first) or waits, as JSON text read again, until fields[] has
** come (fields[] last): as json-c read them, "\u0000" marked. */
#define ODD_ONE                                                               \
  "{\"id\": \"1\", \"firstName\": \"A\\\"/\\\\\\t\\u00e9\xc3\xa9\\ud83d"      \
  "\\ude00\", \"hireDate\": \"2020-01-01\", \"custom\": {\"a\": [1, 2.50, "   \
  "-0, 1e3, true, null, \"x/y\"], \"b\": {}, \"b\": {\"c\": []}}, "           \
  "\"big\": 99999999999999999999, \"neg\": -9223372036854775808, \"z\": "     \
  "-0, \"dbl\": 1.50, \"exp\": 12E-1, \"flag\": false, \"none\": null, "      \
  "\"dup\": 1, \"dup\": \"last\"}"
#define ODD_TWO "{\"id\": 2, \"firstName\": \"B\\u0000C\", \"hireDate\": null}"
static const char odd_fields[] =
    "\"fields\": [{\"id\": \"firstName\"}, {\"id\": \"hireDate\"}, "
    "{\"id\": \"status\"}]";

static fh_host *run_odd(const char *body)
{
  fh_host *fh = host();
  hrsync_conn *c;
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR, body);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  plugin->close(c);
  fh_assert_clean(fh);
  return fh;
}

static void test_report_waiting_reads_the_same(void **state)
{
  char first[2048], last[2048];
  fh_host *now, *later;
  (void)state;
  snprintf(first, sizeof(first), "{%s, \"employees\": [%s, %s]}", odd_fields,
           ODD_ONE, ODD_TWO);
  snprintf(last, sizeof(last), "{\"employees\": [%s, %s], %s}", ODD_ONE,
           ODD_TWO, odd_fields);
  now = run_odd(first);
  later = run_odd(last);
  assert_int_equal(fh_n_records(now), 2);
  assert_like_json_c(fh_record_find(now, "1"), ODD_ONE);
  fh_assert_value(fh_record_find(now, "1"), "big", "9223372036854775807");
  fh_assert_value(
      fh_record_find(now, "1"), "custom",
      "{\"a\":[1,2.50,0,1e3,true,null,\"x\\/y\"],\"b\":{\"c\":[]}}");
  fh_assert_same_records(now, later);
  /* B\u0000C arrives whole, its NUL marked (the host skips it). */
  fh_assert_value(fh_record_find(later, "2"), "firstName",
                  "B\xc0\x80"
                  "C");
  assert_string_equal(fh_record_get(fh_record_find(later, "2"),
                                    HRSYNC_FIELD_SKIP_REASON, NULL),
                      "no hire date in BambooHR");
  fh_free(now);
  fh_free(later);
}

static void test_report_empty_and_duplicates(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, "{\"fields\": [], \"employees\": []}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 0);
  plugin->close(c);
  fh_queue(fh, 200, JSON_HDR,
           "{\"employees\": [{\"id\": \"1\", \"hireDate\": \"2020-01-01\"},"
           "{\"id\": \"1\", \"hireDate\": \"2021-01-01\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 1);
  assert_string_equal(fh_record_get(fh_record_find(fh, "1"), "hireDate", NULL),
                      "2020-01-01");
  fh_done(plugin, fh, c);
}

static void test_report_errors(void **state)
{
  static const struct {
    unsigned status;
    const char *headers, *body, *needle;
    hrsync_status st;
  } cases[] = {
      {401, "X-BambooHR-Error-Message: Invalid API key", "",
       "/v1/reports/custom: HTTP 401: Invalid API key", HRSYNC_E_AUTH},
      {400, "X-BambooHR-Error-Message: Malformed XML", "",
       "HTTP 400: Malformed XML", HRSYNC_E_HTTP},
      {503, "Retry-After: 1", "", "HTTP 503", HRSYNC_E_HTTP},
      {200, NULL, "{\"title\": \"x\", \"employees\": {}}",
       "\"employees\" is missing or not an array", HRSYNC_E_PARSE},
      {200, NULL, "[]", "\"employees\" is missing or not an array",
       HRSYNC_E_PARSE},
      {200, NULL, "{\"fields\": [], \"employees\": [{\"id\": \"1\"}] ,",
       "malformed JSON", HRSYNC_E_PARSE},
      {200, NULL, "{\"fields\": {}, \"employees\": []}",
       "'fields' is not an array", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": [{\"id\": \"1\"}, {\"firstName\": \"x\"}]}",
       "employees[1] has no id", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": [{\"id\": \"\"}]}",
       "employees[0] has no id", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": [\"4\"]}", "employees[0] is not an object",
       HRSYNC_E_PARSE},
      /* Not objects, waiting for fields[] (never sent) and read again. */
      {200, NULL, "{\"employees\": [\"a\\\"b\"]}",
       "employees[0] is not an object", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": [[{\"id\": \"1\"}]]}",
       "employees[0] is not an object", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": [{\"id\": \"1\", \"firstName\": \"Ch",
       "/v1/reports/custom: malformed JSON", HRSYNC_E_PARSE},
      {200, NULL, "{\"employees\": []} trailing", "malformed JSON",
       HRSYNC_E_PARSE},
      {200, NULL, "<?xml version=\"1.0\"?><report/>", "got XML",
       HRSYNC_E_PARSE},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_queue(fh, cases[i].status, cases[i].headers, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), cases[i].st);
    fh_assert_error_has(fh, "/v1/reports/custom");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
}

static void test_report_too_many_fields(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  char id[16];
  int i;
  (void)state;
  for(i = 0; i < 400; i++) {
    snprintf(id, sizeof(id), "%d", 5000 + i);
    fh_want(fh, id);
  }
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "403 BambooHR fields");
  assert_int_equal(fh_n_requests(fh), 0);
  fh_done(plugin, fh, c);
}

/* ---- dataset roster ---------------------------------------------- */

/* The dataset's own field list, as GET /v1_2/datasets/employee/fields
** answers it (names trimmed from a real tenant's 457). */
static const char ds_fields[] =
    "{\"pagination\": {\"total_records\": 12, \"current_page\": 1,"
    " \"total_pages\": 1, \"next_page\": null, \"prev_page\": null},"
    " \"name\": \"employee\", \"label\": \"Employee\", \"fields\": ["
    "{\"name\": \"eeid\", \"label\": \"Employee ID\", \"parentType\":"
    " \"employee\", \"parentName\": \"employee\", \"entityName\":"
    " \"employee\"},"
    "{\"name\": \"firstName\", \"label\": \"First Name\"},"
    "{\"name\": \"lastName\", \"label\": \"Last Name\"},"
    "{\"name\": \"email\", \"label\": \"Work Email\"},"
    "{\"name\": \"homeEmail\", \"label\": \"Home Email\"},"
    "{\"name\": \"addressLineOne\", \"label\": \"Address Line 1\"},"
    "{\"name\": \"zipCode\", \"label\": \"Zip Code\"},"
    "{\"name\": \"employmentStatus\", \"label\": \"Employment Status\"},"
    "{\"name\": \"jobInformationDepartment\", \"label\": \"Department\"},"
    "{\"name\": \"hireDate\", \"label\": \"Hire Date\"},"
    "{\"name\": \"terminationDate\", \"label\": \"Termination Date\"},"
    "{\"name\": \"status\", \"label\": \"Status\"}]}";

static fh_host *dataset_host(void)
{
  fh_host *fh = host();
  fh_setting(fh, "roster", "dataset");
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR, ds_fields);
  return fh;
}

static void assert_dataset_request_sized(const fh_request *r, long page,
                                         long size)
{
  json_object *body, *v;
  assert_bamboo_request(r, "POST", GATEWAY "/v2/datasets/employee/data");
  assert_string_equal(fh_request_header(r, "Content-Type"),
                      "application/json");
  body = json_tokener_parse(r->body);
  assert_non_null(body);
  assert_true(json_object_object_get_ex(body, "page", &v));
  assert_int_equal(json_object_get_int64(v), page);
  assert_true(json_object_object_get_ex(body, "pageSize", &v));
  assert_int_equal(json_object_get_int64(v), size);
  assert_true(json_object_object_get_ex(body, "fields", &v));
  assert_string_equal(
      json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
      "[\"eeid\",\"firstName\",\"hireDate\",\"status\"]");
  /* Everyone: no status filter. */
  assert_false(json_object_object_get_ex(body, "filter", NULL));
  json_object_put(body);
}

static void assert_dataset_request(const fh_request *r, long page)
{
  assert_dataset_request_sized(r, page, 1000);
}

static void test_dataset_total_pages(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  size_t pages;
  (void)state;
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"1\", \"firstName\": \"A\","
           " \"hireDate\": \"2020-01-01\", \"status\": \"Active\"}},"
           "{\"fields\": {\"eeid\": 2, \"firstName\": \"B\","
           " \"hireDate\": \"0000-00-00\", \"status\": \"Inactive\"}}],"
           "\"links\": {\"next\": \"https://x/?page=2\", \"prev\": null},"
           "\"meta\": {\"page\": 1, \"pageSize\": 2, \"totalPages\": 2,"
           " \"totalItems\": 3}}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"3\", \"firstName\": null,"
           " \"hireDate\": \"2021-02-03\", \"status\": \"Active\"}}],"
           "\"links\": {\"next\": null, \"prev\": \"https://x/?page=1\"},"
           "\"meta\": {\"page\": 2, \"pageSize\": 2, \"totalPages\": 2,"
           " \"totalItems\": 3}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 10, &pages), HRSYNC_OK);
  assert_int_equal(pages, 2);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_bamboo_request(fh_request_at(fh, 0), "GET",
                        GATEWAY "/v1_2/datasets/employee/fields");
  assert_dataset_request(fh_request_at(fh, 1), 1);
  assert_dataset_request(fh_request_at(fh, 2), 2);
  assert_int_equal(fh_n_records(fh), 3);
  assert_string_equal(
      fh_record_get(fh_record_find(fh, "2"), HRSYNC_FIELD_SKIP_REASON, NULL),
      "no hire date in BambooHR");
  assert_string_equal(fh_record_get(fh_record_find(fh, "2"), "eeid", NULL),
                      "2");
  assert_null(fh_record_get(fh_record_find(fh, "3"), "firstName", NULL));
  fh_done(plugin, fh, c);
}

static void test_dataset_empty_page_ends(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  size_t pages;
  (void)state;
  /* No meta at all: only an empty page ends the scan. eeid as a number
  ** or a string. */
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": 11, \"firstName\": \"A\","
           " \"hireDate\": \"2020-01-01\"}}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"12\","
           " \"firstName\": \"B\", \"hireDate\": \"2020-01-01\"}}]}");
  fh_queue(fh, 200, JSON_HDR, "{\"data\": [], \"meta\": {}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 10, &pages), HRSYNC_OK);
  assert_int_equal(pages, 3);
  assert_dataset_request(fh_request_at(fh, 3), 3);
  assert_int_equal(fh_n_records(fh), 2);
  assert_string_equal(fh_record_get(fh_record_find(fh, "11"), "eeid", NULL),
                      "11");
  assert_non_null(fh_record_find(fh, "12"));
  fh_done(plugin, fh, c);
}

static void test_dataset_page_ignored_guard(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  const char *page =
      "{\"data\": [{\"fields\": {\"eeid\": \"1\", \"hireDate\": "
      "\"2020-01-01\"}}]}";
  (void)state;
  fh_queue(fh, 200, JSON_HDR, page);
  fh_queue(fh, 200, JSON_HDR, page);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 10, NULL), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "page 2");
  fh_assert_error_has(fh, "is the page ignored?");
  assert_int_equal(fh_n_records(fh), 1);
  fh_done(plugin, fh, c);
}

static void test_dataset_too_much_data(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  size_t pages;
  (void)state;
  /* 413 on page 2 of 1000: rows 1000.. are page 3 of 500. */
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"1\", \"hireDate\": "
           "\"2020-01-01\"}}], \"meta\": {\"page\": 1, \"totalPages\": 2}}");
  fh_queue(fh, 413, "Content-Type: application/problem+json",
           "{\"title\": \"Payload Too Large\", \"status\": 413}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"2\", \"hireDate\": "
           "\"2020-01-01\"}}], \"meta\": {\"page\": 3, \"totalPages\": 4}}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"3\", \"hireDate\": "
           "\"2020-01-01\"}}], \"meta\": {\"page\": 4, \"totalPages\": 4}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 10, &pages), HRSYNC_OK);
  assert_int_equal(pages, 3);
  assert_int_equal(fh_n_requests(fh), 5);
  assert_dataset_request_sized(fh_request_at(fh, 1), 1, 1000);
  assert_dataset_request_sized(fh_request_at(fh, 2), 2, 1000);
  assert_dataset_request_sized(fh_request_at(fh, 3), 3, 500);
  assert_dataset_request_sized(fh_request_at(fh, 4), 4, 500);
  assert_int_equal(fh_n_records(fh), 3);
  fh_done(plugin, fh, c);
}

static void test_dataset_too_much_data_always(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  size_t i;
  (void)state;
  for(i = 0; i < 7; i++)
    fh_queue(fh, 413, NULL, "{\"title\": \"Payload Too Large\"}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 10, NULL), HRSYNC_E_HTTP);
  fh_assert_error_has(fh, "page 1: HTTP 413: Payload Too Large");
  /* 1000, 500, 250, 125, 25, 5, 1 rows: then it gives up. */
  assert_int_equal(fh_n_requests(fh), 8);
  assert_dataset_request_sized(fh_request_at(fh, 7), 1, 1);
  fh_done(plugin, fh, c);
}

/* Classic aliases a config uses are asked for under the dataset's
** names and emitted under the config's; the fields list may spell a name
** another way (zipcode), and be a bare array on an older API. */
static void test_dataset_alias_translation(void **state)
{
  fh_host *fh = fh_new();
  hrsync_conn *c;
  json_object *body, *v;
  const fh_record *r;
  (void)state;
  fh_setting(fh, "subdomain", "acme");
  fh_secret(fh, "api_key", "bamboo-secret-key");
  fh_setting(fh, "roster", "dataset");
  fh_want(fh, "id");
  fh_want(fh, "workEmail");
  fh_want(fh, "address1");
  fh_want(fh, "zipcode");
  fh_want(fh, "department");
  fh_want(fh, "email"); /* the dataset's own name, next to its alias */
  fh_queue(fh, 200, JSON_HDR,
           "[{\"name\": \"eeid\"}, {\"name\": \"email\"},"
           " {\"name\": \"addressLineOne\"}, {\"name\": \"zipcode\"},"
           " {\"name\": \"jobInformationDepartment\"},"
           " {\"name\": \"hireDate\"}, {\"name\": \"status\"}]");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"7\", \"email\": "
           "\"a@x.example\", \"addressLineOne\": \"1 Main St\", "
           "\"zipcode\": \"10115\", \"jobInformationDepartment\": \"Sales\","
           " \"hireDate\": \"2020-01-01\", \"status\": \"Active\"}}],"
           " \"meta\": {\"page\": 1, \"totalPages\": 1}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  body = json_tokener_parse(fh_request_at(fh, 1)->body);
  assert_true(json_object_object_get_ex(body, "fields", &v));
  assert_string_equal(
      json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
      "[\"eeid\",\"email\",\"addressLineOne\",\"zipcode\","
      "\"jobInformationDepartment\",\"hireDate\",\"status\"]");
  json_object_put(body);
  r = fh_record_find(fh, "7");
  assert_non_null(r);
  assert_string_equal(fh_record_get(r, "id", NULL), "7");
  assert_string_equal(fh_record_get(r, "workEmail", NULL), "a@x.example");
  assert_string_equal(fh_record_get(r, "email", NULL), "a@x.example");
  assert_string_equal(fh_record_get(r, "address1", NULL), "1 Main St");
  assert_string_equal(fh_record_get(r, "zipcode", NULL), "10115");
  assert_string_equal(fh_record_get(r, "department", NULL), "Sales");
  fh_done(plugin, fh, c);
}

/* The schema on the dataset roster: the dataset's names plus the classic
** aliases it has a twin for; a wanted classic field without a twin is
** warned about at list_fields and stops the roster before any request
** (the real API answers 400 to an unknown name). */
/* A row's fields are found whatever their order (rows usually list them
** as asked), a repeated name read as its last, and emitted in the plan's
** order; a field a row lacks is not set, one not asked for not emitted. */
static void test_dataset_rows_in_any_order(void **state)
{
  static const char *const order[] = {"eeid",  "workEmail", "zipcode",
                                      "email", "hireDate",  "status"};
  fh_host *fh = fh_new();
  hrsync_conn *c;
  const fh_record *a, *b;
  size_t i;
  (void)state;
  fh_setting(fh, "subdomain", "acme");
  fh_secret(fh, "api_key", "bamboo-secret-key");
  fh_setting(fh, "roster", "dataset");
  fh_want(fh, "workEmail");
  fh_want(fh, "zipcode");
  fh_want(fh, "email");
  fh_queue(fh, 200, JSON_HDR,
           "[{\"name\": \"eeid\"}, {\"name\": \"email\"},"
           " {\"name\": \"zipcode\"}, {\"name\": \"hireDate\"},"
           " {\"name\": \"status\"}]");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\": [{\"fields\": {\"eeid\": \"1\", \"email\": "
           "\"a@x.example\", \"zipcode\": \"10115\", \"hireDate\": "
           "\"2020-01-01\", \"status\": \"Active\"}},"
           "{\"fields\": {\"status\": \"Inactive\", \"extra\": \"x\", "
           "\"email\": \"old@x.example\", \"hireDate\": \"2021-02-03\", "
           "\"email\": \"b@x.example\", \"eeid\": 2}},"
           "{\"fields\": {\"zipcode\": null, \"eeid\": \"3\"}}],"
           " \"meta\": {\"page\": 1, \"totalPages\": 1}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 3);
  a = fh_record_find(fh, "1");
  b = fh_record_find(fh, "2");
  assert_non_null(a);
  assert_non_null(b);
  assert_int_equal(a->n_fields, 6);
  for(i = 0; i < a->n_fields; i++)
    assert_string_equal(a->fields[i].name, order[i]);
  fh_assert_value(a, "workEmail", "a@x.example");
  fh_assert_value(a, "zipcode", "10115");
  fh_assert_value(b, "eeid", "2");
  fh_assert_value(b, "workEmail", "b@x.example");
  fh_assert_value(b, "email", "b@x.example");
  fh_assert_value(b, "hireDate", "2021-02-03");
  fh_assert_value(b, "status", "Inactive");
  fh_assert_absent(b, "zipcode");
  fh_assert_absent(b, "extra");
  assert_int_equal(b->n_fields, 5);
  for(i = 0; i < b->n_fields; i++)
    assert_string_equal(b->fields[i].name, order[i + (i >= 2)]);
  fh_assert_value(fh_record_find(fh, "3"), "zipcode", NULL);
  fh_assert_absent(fh_record_find(fh, "3"), "email");
  fh_done(plugin, fh, c);
}

static void test_dataset_schema_and_untwinned(void **state)
{
  fh_host *fh = dataset_host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "bestEmail");
  fh_want(fh, "4001");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_field(fh, "eeid", HRSYNC_FIELD_NUMBER, 0, "Employee ID");
  assert_field(fh, "email", HRSYNC_FIELD_EMAIL, 0, "Work Email");
  assert_field(fh, "hireDate", HRSYNC_FIELD_DATE, 0, NULL);
  assert_field(fh, "id", HRSYNC_FIELD_NUMBER, 0, NULL);
  assert_field(fh, "workEmail", HRSYNC_FIELD_EMAIL, 0, NULL);
  assert_field(fh, "address1", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "zipcode", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "employmentHistoryStatus", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_field(fh, "department", HRSYNC_FIELD_TEXT, 0, NULL);
  assert_null(fh_field_find(fh, "address2")); /* no twin on this tenant */
  assert_null(fh_field_find(fh, "bestEmail"));
  assert_int_equal(
      fh_log_count(fh, HRSYNC_LOG_WARN,
                   "\"bestEmail\" (a custom-report field with no dataset "
                   "equivalent), \"4001\" (a /v1/meta/fields id"),
      1);
  fh_clear(fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "roster=dataset cannot read \"bestEmail\"");
  assert_int_equal(fh_n_requests(fh), 0);
  fh_done(plugin, fh, c);
}

/* An older API: /v1_2/... is 404, the v1 path answers; a fields list in
** two pages; a list without eeid cannot be a roster. */
static void test_dataset_fields_fallback_and_pages(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_setting(fh, "roster", "dataset");
  fh_queue(fh, 404, "X-BambooHR-Error-Message: Not found", "");
  fh_queue(fh, 200, JSON_HDR,
           "{\"pagination\": {\"current_page\": 1, \"total_pages\": 2},"
           " \"fields\": [{\"name\": \"firstName\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"pagination\": {\"current_page\": 2, \"total_pages\": 2},"
           " \"fields\": [{\"name\": \"eeid\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_bamboo_request(fh_request_at(fh, 0), "GET",
                        GATEWAY "/v1_2/datasets/employee/fields");
  assert_bamboo_request(fh_request_at(fh, 1), "GET",
                        GATEWAY "/v1/datasets/employee/fields");
  assert_bamboo_request(fh_request_at(fh, 2), "GET",
                        GATEWAY "/v1/datasets/employee/fields?page=2");
  assert_int_equal(fh_n_errors(fh), 0);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3); /* read once */
  assert_non_null(fh_field_find(fh, "eeid"));
  assert_non_null(fh_field_find(fh, "id"));
  fh_done(plugin, fh, c);

  fh = host();
  fh_setting(fh, "roster", "dataset");
  fh_queue(fh, 200, JSON_HDR, "{\"fields\": [{\"name\": \"firstName\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "lists no \"eeid\"");
  fh_done(plugin, fh, c);
}

static void test_error_object_with_200(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR,
           "{\"error\": {\"code\": 429, \"message\": \"Over rate limit, "
           "please try again in 60 seconds\"}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_HTTP);
  fh_assert_error_has(fh,
                      "/v1/reports/custom: BambooHR error: Over rate limit");
  fh_done(plugin, fh, c);
}

static void test_dataset_errors(void **state)
{
  static const struct {
    unsigned status;
    const char *body, *needle;
    hrsync_status st;
  } cases[] = {
      {422,
       "{\"type\": \"about:blank\", \"title\": \"Unprocessable\", \"status\":"
       " 422, \"detail\": \"Unknown field: shoeSize\", \"code\": \"X\"}",
       "HTTP 422: Unknown field: shoeSize", HRSYNC_E_HTTP},
      {401, "", "HTTP 401", HRSYNC_E_AUTH},
      {200, "{\"data\": {}}", "'data' is not an array", HRSYNC_E_PARSE},
      {200, "{\"data\": [{\"id\": 1}]}", "data[0].fields is not an object",
       HRSYNC_E_PARSE},
      {200, "{\"data\": [{\"fields\": {\"firstName\": \"x\"}}]}",
       "data[0] has no eeid", HRSYNC_E_PARSE},
      {200, "{\"data\": [{\"fields\": {\"eeid\": \"1\"", "malformed JSON",
       HRSYNC_E_PARSE},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = dataset_host();
    hrsync_conn *c;
    fh_queue(fh, cases[i].status, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 10, NULL), cases[i].st);
    fh_assert_error_has(fh, "/v2/datasets/employee/data page 1");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_open_config_errors),
      cmocka_unit_test(test_auth_gateway),
      cmocka_unit_test(test_auth_url_styles),
      cmocka_unit_test(test_auth_401_header_message),
      cmocka_unit_test(test_auth_403_and_500),
      cmocka_unit_test(test_auth_xml_body),
      cmocka_unit_test(test_transport_error_and_abort),
      cmocka_unit_test(test_fields_schema),
      cmocka_unit_test(test_fields_reuse_authenticate),
      cmocka_unit_test(test_fields_bad_shapes),
      cmocka_unit_test(test_report_request),
      cmocka_unit_test(test_report_records),
      cmocka_unit_test(test_report_streamed_in_chunks),
      cmocka_unit_test(test_report_streamed_xml),
      cmocka_unit_test(test_report_withheld_fields_explained),
      cmocka_unit_test(test_report_withheld_null_shape),
      cmocka_unit_test(test_report_all_null_withheld),
      cmocka_unit_test(test_report_empty_member_name),
      cmocka_unit_test(test_report_without_fields_array),
      cmocka_unit_test(test_report_waiting_reads_the_same),
      cmocka_unit_test(test_report_empty_and_duplicates),
      cmocka_unit_test(test_report_errors),
      cmocka_unit_test(test_report_too_many_fields),
      cmocka_unit_test(test_dataset_total_pages),
      cmocka_unit_test(test_dataset_empty_page_ends),
      cmocka_unit_test(test_dataset_page_ignored_guard),
      cmocka_unit_test(test_dataset_too_much_data),
      cmocka_unit_test(test_dataset_too_much_data_always),
      cmocka_unit_test(test_dataset_alias_translation),
      cmocka_unit_test(test_dataset_rows_in_any_order),
      cmocka_unit_test(test_dataset_schema_and_untwinned),
      cmocka_unit_test(test_dataset_fields_fallback_and_pages),
      cmocka_unit_test(test_error_object_with_200),
      cmocka_unit_test(test_dataset_errors),
  };
  plugin = fh_load(argc > 1 ? argv[1] : NULL);
  if(!plugin) {
    fprintf(stderr, "test_bamboohr: cannot load the plugin: %s\n",
            fh_load_error());
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
