/*
** Humaans connector unit tests: the real plugin (argv[1]) driven through
** the fake host with canned Humaans answers: $limit/$skip paging and each
** of its end conditions, the job-role join, value shapes and errors
** (shared/hris/hibob-humaans-lucca.md, part B).
*/
#include "../../plugins/common/hsp_many.h" /* HSP_MANY_BATCH */
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

#define API      "https://app.humaans.io/api"
#define JSON_HDR "Content-Type: application/json"

static fh_host *host(void)
{
  fh_host *fh = fh_new();
  fh_secret(fh, "token", "humaans-secret-token");
  return fh;
}

/* Every Humaans request: GET, Bearer token, JSON, no body. */
static void assert_humaans_request(const fh_request *r, const char *url)
{
  assert_string_equal(r->method, "GET");
  assert_string_equal(r->url, url);
  assert_int_equal(fh_request_header_count(r, "Authorization"), 1);
  assert_string_equal(fh_request_header(r, "Authorization"),
                      "Bearer humaans-secret-token");
  assert_string_equal(fh_request_header(r, "Accept"), "application/json");
  assert_null(r->basic_user);
  assert_null(r->body);
}

/* ---- a generated people list, served page by page ---------------- */

typedef struct roster {
  size_t total;   /* people in the list */
  size_t cap;     /* the server's own $limit cap (0: none) */
  int send_total; /* envelope carries "total" */
  int send_limit; /* envelope carries "limit" */
  int stuck_skip; /* envelope answers skip 0 whatever was asked */
  size_t fail_at; /* request index answered 401 ((size_t)-1: none) */
  char *body;     /* the last answer, freed by the test */
} roster;

/* The value of name= in url's query, or def. */
static size_t query_num(const char *url, const char *name, size_t def)
{
  const char *q = strchr(url, '?');
  size_t n = strlen(name);
  while(q && *q) {
    q++;
    if(!strncmp(q, name, n) && q[n] == '=')
      return (size_t)strtoul(q + n + 1, NULL, 10);
    q = strchr(q, '&');
  }
  return def;
}

static int serve_people(void *arg, size_t n, const fh_request *req,
                        fh_reply *out)
{
  roster *r = arg;
  size_t limit = query_num(req->url, "$limit", 100);
  size_t skip = query_num(req->url, "$skip", 0), i;
  json_object *env, *data;
  if(!strstr(req->url, "/people?"))
    return 1;
  if(n == r->fail_at) {
    out->status = 401;
    out->body = "{\"code\":401,\"name\":\"NotAuthenticated\","
                "\"message\":\"Token expired\"}";
    return 0;
  }
  if(r->cap && limit > r->cap)
    limit = r->cap;
  env = json_object_new_object();
  data = json_object_new_array();
  for(i = skip; i < r->total && i < skip + limit; i++) {
    char id[32];
    json_object *p = json_object_new_object();
    snprintf(id, sizeof(id), "P%05zu", i);
    json_object_object_add(p, "id", json_object_new_string(id));
    json_object_object_add(p, "firstName", json_object_new_string("Ann"));
    json_object_array_add(data, p);
  }
  if(r->send_total)
    json_object_object_add(env, "total",
                           json_object_new_int64((int64_t)r->total));
  if(r->send_limit)
    json_object_object_add(env, "limit",
                           json_object_new_int64((int64_t)limit));
  json_object_object_add(
      env, "skip", json_object_new_int64(r->stuck_skip ? 0 : (int64_t)skip));
  json_object_object_add(env, "data", data);
  free(r->body);
  r->body = strdup(json_object_to_json_string(env));
  json_object_put(env);
  out->status = 200;
  out->headers = JSON_HDR;
  out->body = r->body;
  return 0;
}

/* 1: the host offers no http_many (pages one by one, as before 1.4). */
static int without_many;

/* Fetches everything from r with firstName wanted. */
static fh_host *fetch_roster(roster *r, hrsync_status want_st, size_t *pages)
{
  fh_host *fh = host();
  hrsync_conn *c;
  if(without_many)
    fh_set_many(fh, 0);
  fh_want(fh, "firstName");
  fh_set_responder(fh, serve_people, r);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 50, pages), want_st);
  plugin->close(c);
  fh_assert_clean(fh);
  return fh;
}

/* ---- descriptor, settings, authenticate -------------------------- */

static void test_descriptor(void **state)
{
  const hrsync_setting_def *s;
  const hrsync_kv *m;
  int base = 0, token = 0, hris = 0, start = 0;
  (void)state;
  assert_string_equal(plugin->name, "humaans");
  for(s = plugin->settings; s->key; s++) {
    if(!strcmp(s->key, "base_url")) {
      base = 1;
      assert_string_equal(s->default_value, "https://app.humaans.io/api");
    }
    if(!strcmp(s->key, "token"))
      token = (s->flags & HRSYNC_SETTING_SECRET) &&
              (s->flags & HRSYNC_SETTING_REQUIRED);
  }
  assert_true(base && token);
  for(m = plugin->suggested_mapping; m->name; m++) {
    hris |= !strcmp(m->name, "hris_id") && !strcmp(m->value, "id");
    start |= !strcmp(m->name, "start_date") &&
             !strcmp(m->value, "employmentStartDate");
  }
  assert_true(hris && start);
}

static void test_open_config_errors(void **state)
{
  fh_host *fh = fh_new();
  hrsync_conn *c = NULL;
  (void)state;
  assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "secrets.token is not set");
  fh_secret(fh, "token", "tok-123");
  fh_setting(fh, "base_url", "app.humaans.io/api");
  assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "base_url");
  assert_int_equal(fh_n_requests(fh), 0);
  plugin->close(c);
  fh_assert_clean(fh);
  fh_free(fh);
}

static void test_auth(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_setting(fh, "base_url", "http://127.0.0.1:9/humaans/api/");
  fh_queue(fh, 200, JSON_HDR, "{\"id\":\"me\",\"firstName\":\"Kelsey\"}");
  fh_queue(fh, 401, JSON_HDR,
           "{\"name\":\"NotAuthenticated\",\"message\":\"Invalid token\","
           "\"code\":401,\"className\":\"not-authenticated\"}");
  fh_queue(fh, 200, JSON_HDR, "{\"id\":");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
  assert_humaans_request(fh_request_at(fh, 0),
                         "http://127.0.0.1:9/humaans/api/me");
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "GET /me: HTTP 401: Invalid token");
  assert_null(strstr(fh_error(fh), "humaans-secret-token"));
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "GET /me: malformed JSON");
  fh_done(plugin, fh, c);
}

static void test_fields_schema(void **state)
{
  static const struct {
    const char *id;
    uint32_t type;
  } expect[] = {
      {"id", HRSYNC_FIELD_TEXT},
      {"firstName", HRSYNC_FIELD_TEXT},
      {"email", HRSYNC_FIELD_EMAIL},
      {"birthday", HRSYNC_FIELD_DATE},
      {"employmentStartDate", HRSYNC_FIELD_DATE},
      {"employmentEndDate", HRSYNC_FIELD_DATE},
      {"status", HRSYNC_FIELD_LIST},
      {"teams", HRSYNC_FIELD_TEXT},
      {"nationalities", HRSYNC_FIELD_TEXT},
      {"employeeId", HRSYNC_FIELD_TEXT},
      {"jobTitle", HRSYNC_FIELD_TEXT},
      {"department", HRSYNC_FIELD_LIST},
  };
  fh_host *fh = host();
  hrsync_conn *c;
  size_t i;
  const hrsync_kv *m;
  (void)state;
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"cf1\",\"companyId\":\"X\",\"name\":\"shirt_size\","
           "\"section\":\"personal\",\"type\":\"select\"},"
           "{\"id\":\"cf2\",\"name\":\"Anniversary\",\"type\":\"date\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  /* A fixed schema plus the tenant's custom fields. */
  assert_int_equal(fh_n_requests(fh), 1);
  assert_humaans_request(fh_request_at(fh, 0),
                         API "/custom-fields?$limit=250&$skip=0");
  fh_assert_field(fh, "custom.shirt_size", HRSYNC_FIELD_LIST, NULL);
  fh_assert_field(fh, "custom.Anniversary", HRSYNC_FIELD_DATE, NULL);
  assert_true(fh_n_fields(fh) >= 45);
  for(i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
    const fh_field *f = fh_field_find(fh, expect[i].id);
    if(!f)
      fail_msg("field %s not described", expect[i].id);
    assert_int_equal(f->type, expect[i].type);
    assert_non_null(f->label);
  }
  /* Every suggested mapping names a described field. */
  for(m = plugin->suggested_mapping; m->name; m++)
    if(!fh_field_find(fh, m->value))
      fail_msg("mapping %s -> %s: no such field", m->name, m->value);
  fh_done(plugin, fh, c);
}

/* ---- paging --------------------------------------------------------- */

static void test_paging_by_total(void **state)
{
  roster r = {510, 0, 1, 1, 0, (size_t)-1, NULL};
  size_t pages = 0;
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_OK, &pages);
  assert_int_equal(pages, 3);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_humaans_request(fh_request_at(fh, 0),
                         API "/people?$limit=250&$skip=0");
  assert_humaans_request(fh_request_at(fh, 1),
                         API "/people?$limit=250&$skip=250");
  assert_humaans_request(fh_request_at(fh, 2),
                         API "/people?$limit=250&$skip=500");
  assert_int_equal(fh_n_records(fh), 510);
  assert_string_equal(fh_record_at(fh, 509)->hris_id, "P00509");
  fh_free(fh);
  free(r.body);
}

static void test_paging_exact_total(void **state)
{
  /* total reached on a full page: no extra request. */
  roster r = {500, 0, 1, 1, 0, (size_t)-1, NULL};
  size_t pages = 0;
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_OK, &pages);
  assert_int_equal(fh_n_requests(fh), 2);
  assert_int_equal(fh_n_records(fh), 500);
  fh_free(fh);
  free(r.body);
}

static void test_paging_server_cap(void **state)
{
  /* The server caps $limit at 100 and says so: follow it. */
  roster r = {230, 100, 1, 1, 0, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_OK, NULL);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_humaans_request(fh_request_at(fh, 1),
                         API "/people?$limit=100&$skip=100");
  assert_humaans_request(fh_request_at(fh, 2),
                         API "/people?$limit=100&$skip=200");
  assert_int_equal(fh_n_records(fh), 230);
  fh_free(fh);
  free(r.body);
}

static void test_paging_short_page_no_total(void **state)
{
  roster r = {253, 0, 0, 0, 0, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_OK, NULL);
  assert_int_equal(fh_n_requests(fh), 2);
  assert_int_equal(fh_n_records(fh), 253);
  fh_free(fh);
  free(r.body);
}

static void test_paging_empty_page_ends(void **state)
{
  roster r = {250, 0, 0, 0, 0, (size_t)-1, NULL};
  roster none = {0, 0, 1, 1, 0, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_OK, NULL);
  assert_int_equal(fh_n_requests(fh), 2);
  assert_humaans_request(fh_request_at(fh, 1),
                         API "/people?$limit=250&$skip=250");
  assert_int_equal(fh_n_records(fh), 250);
  fh_free(fh);
  fh = fetch_roster(&none, HRSYNC_OK, NULL);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_records(fh), 0);
  fh_free(fh);
  free(r.body);
  free(none.body);
}

static void test_paging_skip_ignored_guard(void **state)
{
  /* A server answering page one again would loop forever. */
  roster r = {600, 0, 0, 0, 1, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_roster(&r, HRSYNC_E_PARSE, NULL);
  assert_int_equal(fh_n_requests(fh), 2);
  fh_assert_error_has(fh, "GET /people $skip=250: the answer is for skip 0");
  fh_free(fh);
  free(r.body);
}

static void test_paging_401_mid_list(void **state)
{
  roster r = {600, 0, 1, 1, 0, 1, NULL};
  fh_host *fh;
  (void)state;
  without_many = 1;
  fh = fetch_roster(&r, HRSYNC_E_AUTH, NULL);
  without_many = 0;
  assert_int_equal(fh_n_requests(fh), 2);
  fh_assert_error_has(fh, "GET /people $skip=250: HTTP 401: Token expired");
  fh_free(fh);
  /* Read ahead: the batch (skip 250 and 500) was sent; the refused page
  ** is the one named, and nothing of the batch became a record. */
  fh = fetch_roster(&r, HRSYNC_E_AUTH, NULL);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_int_equal(fh_n_records(fh), 250);
  fh_assert_error_has(fh, "GET /people $skip=250: HTTP 401: Token expired");
  fh_free(fh);
  free(r.body);
}

/* Issue 16: with a total, the pages after the first come in batches
** through http_many; the requests, the records and their order are those
** of paging one by one. */
static void test_paging_read_ahead_same_as_sequential(void **state)
{
  roster r = {2600, 0, 1, 1, 0, (size_t)-1, NULL};
  fh_host *seq, *many;
  size_t i, batched = 0;
  (void)state;
  without_many = 1;
  seq = fetch_roster(&r, HRSYNC_OK, NULL);
  without_many = 0;
  many = fetch_roster(&r, HRSYNC_OK, NULL);
  assert_int_equal(fh_many_calls(seq, NULL), 0);
  /* 11 pages: the first alone, then batches of HSP_MANY_BATCH (4, 4, 2). */
  assert_int_equal(fh_many_calls(many, &batched),
                   (10 + HSP_MANY_BATCH - 1) / HSP_MANY_BATCH);
  assert_int_equal(batched, 10);
  assert_int_equal(fh_n_requests(many), 11);
  assert_int_equal(fh_n_requests(seq), fh_n_requests(many));
  for(i = 0; i < fh_n_requests(seq); i++)
    assert_string_equal(fh_request_at(seq, i)->url,
                        fh_request_at(many, i)->url);
  assert_int_equal(fh_n_records(seq), 2600);
  assert_int_equal(fh_n_records(many), 2600);
  for(i = 0; i < fh_n_records(seq); i++)
    assert_string_equal(fh_record_at(seq, i)->hris_id,
                        fh_record_at(many, i)->hris_id);
  fh_free(seq);
  fh_free(many);
  free(r.body);
}

/* ---- records ---------------------------------------------------------- */

static const char people_b8[] =
    "{\"total\":3,\"limit\":250,\"skip\":0,\"data\":["
    "{\"id\":\"VMB1yzL5uL8VvNNCJc9rykJz\",\"companyId\":\"T7uq\","
    "\"firstName\":\"Kelsey\",\"middleName\":null,\"lastName\":\"Wicks\","
    "\"email\":\"kelsey@acme.com\",\"personalEmail\":\"kw@example.com\","
    "\"birthday\":\"1989-07-28\",\"nationality\":\"British\","
    "\"nationalities\":[\"British\",\"Irish\"],\"address\":\"58 Stroude "
    "Road\",\"city\":\"Siddington\",\"state\":null,\"postcode\":\"SK11 "
    "1EN\",\"countryCode\":\"GB\",\"country\":\"United Kingdom\","
    "\"employmentStartDate\":\"2018-03-10\",\"employmentEndDate\":null,"
    "\"contractType\":\"Full time\",\"employeeId\":null,"
    "\"teams\":[{\"name\":\"Moonshot\"},{\"name\":\"Platform\"}],"
    "\"status\":\"active\",\"workingDays\":[{\"day\":\"monday\"},"
    "{\"day\":\"tuesday\"}],\"profilePhoto\":{\"id\":\"x\"},"
    "\"createdAt\":\"2020-01-28T08:44:42.000Z\"},"
    "{\"id\":\"Qx9aP2mT7rLk3VbN8cYdE4Fh\",\"firstName\":\"Omar\","
    "\"lastName\":\"Haddad\",\"preferredName\":\"Om\",\"email\":"
    "\"omar@acme.com\",\"employmentStartDate\":\"2020-09-01\","
    "\"employmentEndDate\":\"2024-06-30\",\"lastWorkingDay\":\"2024-06-28\","
    "\"leavingReason\":\"resigned\",\"employeeId\":\"E-0042\","
    "\"teams\":[],\"nationalities\":[],\"status\":\"offboarded\"},"
    "{\"id\":\"NEW1\",\"firstName\":\"Nia\",\"lastName\":\"Okafor\","
    "\"status\":\"newHire\",\"employmentStartDate\":\"2999-01-04\"}]}";

static void test_records(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b, *n;
  size_t pages = 0;
  (void)state;
  /* No wanted field (`hrsync fields`, an old config): every field. */
  fh_queue(fh, 200, JSON_HDR, people_b8);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, &pages), HRSYNC_OK);
  assert_int_equal(pages, 1);
  /* No job-role field wanted: /job-roles is not read. */
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_records(fh), 3);
  a = fh_record_find(fh, "VMB1yzL5uL8VvNNCJc9rykJz");
  b = fh_record_find(fh, "Qx9aP2mT7rLk3VbN8cYdE4Fh");
  n = fh_record_find(fh, "NEW1");
  fh_assert_value(a, "id", "VMB1yzL5uL8VvNNCJc9rykJz");
  fh_assert_value(a, "firstName", "Kelsey");
  fh_assert_value(a, "middleName", NULL);
  fh_assert_value(a, "email", "kelsey@acme.com");
  fh_assert_value(a, "birthday", "1989-07-28");
  fh_assert_value(a, "nationalities", "British, Irish");
  fh_assert_value(a, "teams", "Moonshot, Platform");
  fh_assert_value(a, "workingDays", "monday, tuesday");
  fh_assert_value(a, "state", NULL);
  fh_assert_value(a, "postcode", "SK11 1EN");
  fh_assert_value(a, "employeeId", NULL);
  fh_assert_value(a, "status", "active");
  fh_assert_absent(a, "profilePhoto");
  fh_assert_absent(a, "jobTitle");
  /* Withheld (no private:read): absent, not empty. */
  fh_assert_absent(b, "birthday");
  fh_assert_absent(b, "personalEmail");
  fh_assert_value(b, "status", "offboarded");
  fh_assert_value(b, "employmentEndDate", "2024-06-30");
  fh_assert_value(b, "teams", NULL);
  fh_assert_value(b, "nationalities", NULL);
  fh_assert_value(b, "employeeId", "E-0042");
  fh_assert_value(n, "status", "newHire");
  fh_assert_value(n, "employmentStartDate", "2999-01-04");
  fh_done(plugin, fh, c);
}

/* With wanted fields, a person is built from those (and its id) only:
** the other members the answer carries are never set (issue 16). */
static void test_records_wanted_only(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b;
  (void)state;
  fh_want(fh, "firstName");
  fh_want(fh, "status");
  fh_want(fh, "birthday");
  fh_queue(fh, 200, JSON_HDR, people_b8);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 3);
  a = fh_record_find(fh, "VMB1yzL5uL8VvNNCJc9rykJz");
  b = fh_record_find(fh, "Qx9aP2mT7rLk3VbN8cYdE4Fh");
  fh_assert_value(a, "id", "VMB1yzL5uL8VvNNCJc9rykJz");
  fh_assert_value(a, "firstName", "Kelsey");
  fh_assert_value(a, "status", "active");
  fh_assert_value(a, "birthday", "1989-07-28");
  fh_assert_absent(a, "middleName");
  fh_assert_absent(a, "email");
  fh_assert_absent(a, "nationalities");
  fh_assert_absent(a, "teams");
  fh_assert_absent(a, "workingDays");
  fh_assert_absent(a, "postcode");
  fh_assert_absent(a, "employeeId");
  /* Withheld stays absent too. */
  fh_assert_absent(b, "birthday");
  fh_assert_value(b, "status", "offboarded");
  fh_assert_absent(b, "employmentEndDate");
  fh_done(plugin, fh, c);
}

/* Issue 16: pages are read flat (hsp_jv), not as json-c trees; every
** value shape comes out as the json-c reading gave it: lists joined
** (objects by "name", other objects and nested lists as compact JSON,
** numbers as json-c prints them), a repeated member's last value. */
static void test_records_value_shapes(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a;
  (void)state;
  fh_want(fh, "firstName");
  fh_want(fh, "teams");
  fh_want(fh, "nationalities");
  fh_want(fh, "gender");
  fh_want(fh, "leavingReason");
  fh_want(fh, "employeeId");
  fh_want(fh, "taxId");
  fh_want(fh, "status");
  fh_want(fh, "workingDays");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":1,\"limit\":250,\"skip\":0,\"data\":[{"
           "\"firstName\":\"A\",\"id\":\"P1\",\"firstName\":\"B\","
           "\"teams\":[{\"id\":7},{\"name\":\"Ops\"},[\"a\",1],{}],"
           "\"nationalities\":[1,2.5,true,null,\"x\",-0],"
           "\"gender\":{\"name\":\"female\"},"
           "\"leavingReason\":{\"code\":\"x/y\",\"n\":[1,{\"k\":null}]},"
           "\"employeeId\":42,\"taxId\":1e3,\"status\":true,"
           "\"workingDays\":[{\"day\":\"monday\",\"name\":\"Mon\"}],"
           "\"profile\":{\"id\":\"nested\",\"firstName\":\"C\"}}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 1);
  a = fh_record_find(fh, "P1");
  assert_non_null(a);
  fh_assert_value(a, "firstName", "B");
  fh_assert_value(a, "teams", "{\"id\":7}, Ops, [\"a\",1], {}");
  fh_assert_value(a, "nationalities", "1, 2.5, true, x, 0");
  fh_assert_value(a, "gender", "female");
  fh_assert_value(a, "leavingReason",
                  "{\"code\":\"x\\/y\",\"n\":[1,{\"k\":null}]}");
  fh_assert_value(a, "employeeId", "42");
  fh_assert_value(a, "taxId", "1000");
  fh_assert_value(a, "status", "true");
  fh_assert_value(a, "workingDays", "Mon");
  fh_assert_absent(a, "profile");
  fh_done(plugin, fh, c);
}

static const char roles_p1[] =
    "{\"total\":5,\"limit\":3,\"skip\":0,\"data\":["
    "{\"id\":\"r1\",\"personId\":\"A\",\"jobTitle\":\"Engineer\","
    "\"department\":\"Engineering\",\"effectiveDate\":\"2020-01-01\"},"
    "{\"id\":\"r2\",\"personId\":\"A\",\"jobTitle\":\"CTO\","
    "\"department\":\"Board\",\"effectiveDate\":\"2999-01-01\"},"
    "{\"id\":\"r3\",\"personId\":\"B\",\"jobTitle\":\"Future hire\","
    "\"department\":\"Sales\",\"effectiveDate\":\"2998-05-01\"}]}";
static const char roles_p2[] =
    "{\"total\":5,\"limit\":3,\"skip\":3,\"data\":["
    "{\"id\":\"r4\",\"personId\":\"A\",\"jobTitle\":\"Senior Engineer\","
    "\"department\":{\"name\":\"Platform\"},\"effectiveDate\":"
    "\"2022-06-01\",\"note\":null},"
    "{\"id\":\"r5\",\"personId\":\"D\",\"jobTitle\":null,"
    "\"department\":null,\"effectiveDate\":\"2001-01-01\"}]}";

static void test_job_roles_join(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b, *cc, *d;
  (void)state;
  fh_want(fh, "firstName");
  fh_want(fh, "jobTitle");
  fh_want(fh, "department");
  fh_queue(fh, 200, JSON_HDR, roles_p1);
  fh_queue(fh, 200, JSON_HDR, roles_p2);
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":4,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"A\",\"firstName\":\"Al\"},{\"id\":\"B\"},"
           "{\"id\":\"C\"},{\"id\":\"D\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  /* Every role page first (the server's limit of 3 followed), then
  ** the people: no request per person. */
  assert_int_equal(fh_n_requests(fh), 3);
  assert_humaans_request(fh_request_at(fh, 0),
                         API "/job-roles?$limit=250&$skip=0");
  assert_humaans_request(fh_request_at(fh, 1),
                         API "/job-roles?$limit=3&$skip=3");
  assert_humaans_request(fh_request_at(fh, 2),
                         API "/people?$limit=250&$skip=0");
  a = fh_record_find(fh, "A");
  b = fh_record_find(fh, "B");
  cc = fh_record_find(fh, "C");
  d = fh_record_find(fh, "D");
  /* Latest role not after today; the 2999 one is ignored. */
  fh_assert_value(a, "jobTitle", "Senior Engineer");
  fh_assert_value(a, "department", "Platform");
  /* Only a future role, or none: known to be empty. */
  fh_assert_value(b, "jobTitle", NULL);
  fh_assert_value(b, "department", NULL);
  fh_assert_value(cc, "jobTitle", NULL);
  fh_assert_value(d, "department", NULL);
  fh_done(plugin, fh, c);
}

/* /job-roles as the catalogue {id, companyId, name} a maintained public
** client models: titles resolve through the person's role reference
** (jobRoleId, or jobRole as an id or {id}); a person without one has an
** empty title, never a withheld one; the catalogue has no departments,
** so department is reported withheld rather than empty. */
static void test_job_roles_catalogue(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "jobTitle");
  fh_want(fh, "department");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"r1\",\"companyId\":\"X\",\"name\":\"Engineer\"},"
           "{\"id\":\"r2\",\"companyId\":\"X\",\"name\":\"Designer\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":5,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"A\",\"jobRoleId\":\"r1\"},"
           "{\"id\":\"B\",\"jobRole\":{\"id\":\"r2\",\"name\":\"Designer\"}},"
           "{\"id\":\"C\",\"jobRole\":\"r1\"},{\"id\":\"D\"},"
           "{\"id\":\"E\",\"jobTitle\":\"Own Title\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 2);
  fh_assert_value(fh_record_find(fh, "E"), "jobTitle", "Own Title");
  fh_assert_value(fh_record_find(fh, "A"), "jobTitle", "Engineer");
  fh_assert_value(fh_record_find(fh, "B"), "jobTitle", "Designer");
  fh_assert_value(fh_record_find(fh, "C"), "jobTitle", "Engineer");
  fh_assert_value(fh_record_find(fh, "D"), "jobTitle", NULL);
  fh_assert_absent(fh_record_find(fh, "A"), "department");
  assert_null(fh_withheld(fh, "jobTitle"));
  assert_non_null(fh_withheld(fh, "department"));
  assert_int_equal(fh_total(fh), 5);
  fh_done(plugin, fh, c);
}

/* The per-person shape beside catalogue rows: rows win, nothing is
** withheld. */
static void test_job_roles_mixed_shapes(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "jobTitle");
  fh_want(fh, "department");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"r1\",\"name\":\"Engineer\"},"
           "{\"id\":\"x\",\"personId\":\"B\",\"jobTitle\":\"Lead\","
           "\"department\":\"Ops\",\"effectiveDate\":\"2020-01-01\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"A\",\"jobRoleId\":\"r1\"},{\"id\":\"B\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  fh_assert_value(fh_record_find(fh, "A"), "jobTitle", "Engineer");
  fh_assert_value(fh_record_find(fh, "A"), "department", NULL);
  fh_assert_value(fh_record_find(fh, "B"), "jobTitle", "Lead");
  fh_assert_value(fh_record_find(fh, "B"), "department", "Ops");
  assert_int_equal(fh_n_withheld(fh), 0);
  fh_done(plugin, fh, c);
}

static const char custom_fields_page[] =
    "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
    "{\"id\":\"cf1\",\"name\":\"shirt_size\",\"type\":\"text\"},"
    "{\"id\":\"cf2\",\"name\":\"cost_center\",\"type\":\"text\"}]}";
static const char two_people[] =
    "{\"total\":2,\"limit\":250,\"skip\":0,\"data\":["
    "{\"id\":\"A\"},{\"id\":\"B\"}]}";

/* Custom values read once in the list form, joined by personId. */
static void test_custom_values_list_form(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "custom.shirt_size");
  fh_want(fh, "custom.cost_center");
  fh_queue(fh, 200, JSON_HDR, custom_fields_page);
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":3,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"v1\",\"personId\":\"A\",\"customFieldId\":\"cf1\","
           "\"value\":\"M\"},"
           "{\"id\":\"v2\",\"personId\":\"A\",\"customFieldId\":\"cf2\","
           "\"value\":\"CC-1\"},"
           "{\"id\":\"v3\",\"personId\":\"B\",\"customFieldId\":\"cf1\","
           "\"value\":\"L\"}]}");
  fh_queue(fh, 200, JSON_HDR, two_people);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_humaans_request(fh_request_at(fh, 1),
                         API "/custom-values?$limit=250&$skip=0");
  fh_assert_value(fh_record_find(fh, "A"), "custom.shirt_size", "M");
  fh_assert_value(fh_record_find(fh, "A"), "custom.cost_center", "CC-1");
  fh_assert_value(fh_record_find(fh, "B"), "custom.shirt_size", "L");
  fh_assert_value(fh_record_find(fh, "B"), "custom.cost_center", NULL);
  /* The wanted list loaded for the custom values still builds the person
  ** fields (it once left them all out). */
  fh_assert_value(fh_record_find(fh, "A"), "id", "A");
  fh_done(plugin, fh, c);
}

/* Issue 16: custom values are kept as rows, not a json-c object per
** person; as before, a later row of a person's field replaces an earlier
** one (null included), ids may be numbers, rows of undescribed fields are
** dropped, and the rows may come in any order of people. */
static void test_custom_values_rows(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *a, *b, *cc, *d;
  (void)state;
  fh_want(fh, "custom.shirt_size");
  fh_want(fh, "custom.cost_center");
  fh_want(fh, "custom.badge");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":3,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"cf1\",\"name\":\"shirt_size\",\"type\":\"text\"},"
           "{\"id\":\"cf2\",\"name\":\"cost_center\",\"type\":\"text\"},"
           "{\"id\":7,\"name\":\"badge\",\"type\":\"number\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":9,\"limit\":250,\"skip\":0,\"data\":["
           "{\"personId\":\"C\",\"customFieldId\":\"cf1\",\"value\":\"S\"},"
           "{\"personId\":\"A\",\"customFieldId\":\"cf1\",\"value\":\"M\"},"
           "{\"personId\":\"B\",\"customFieldId\":\"cf2\","
           "\"value\":[\"x\",{\"name\":\"y\"}]},"
           "{\"personId\":\"A\",\"customFieldId\":\"cf1\",\"value\":\"L\"},"
           "{\"personId\":\"C\",\"customFieldId\":\"cf1\",\"value\":null},"
           "{\"personId\":\"A\",\"customFieldId\":7,\"value\":12.50},"
           "{\"personId\":\"B\",\"customFieldId\":\"cf9\",\"value\":\"?\"},"
           "{\"personId\":\"\",\"customFieldId\":\"cf1\",\"value\":\"?\"},"
           "{\"personId\":\"B\",\"customFieldId\":\"cf1\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":4,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"A\"},{\"id\":\"B\"},{\"id\":\"C\"},{\"id\":\"D\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3);
  a = fh_record_find(fh, "A");
  b = fh_record_find(fh, "B");
  cc = fh_record_find(fh, "C");
  d = fh_record_find(fh, "D");
  fh_assert_value(a, "custom.shirt_size", "L");
  fh_assert_value(a, "custom.badge", "12.5");
  fh_assert_value(a, "custom.cost_center", NULL);
  fh_assert_value(b, "custom.cost_center", "x, y");
  fh_assert_value(b, "custom.shirt_size", NULL);
  fh_assert_value(cc, "custom.shirt_size", NULL);
  fh_assert_value(d, "custom.shirt_size", NULL);
  fh_assert_value(d, "custom.badge", NULL);
  fh_done(plugin, fh, c);
}

/* A server that wants ?personId= (400 on the list form): per person. */
static void test_custom_values_per_person(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "custom.shirt_size");
  fh_queue(fh, 200, JSON_HDR, custom_fields_page);
  fh_queue(fh, 400, JSON_HDR,
           "{\"name\":\"BadRequest\",\"message\":\"personId is required\","
           "\"code\":400}");
  fh_queue(fh, 200, JSON_HDR, two_people);
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":1,\"limit\":250,\"skip\":0,\"data\":["
           "{\"personId\":\"A\",\"customFieldId\":\"cf1\",\"value\":\"S\"}]}");
  /* B's answer carries a row of A's: not B's value. */
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":1,\"limit\":250,\"skip\":0,\"data\":["
           "{\"personId\":\"A\",\"customFieldId\":\"cf1\",\"value\":\"X\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 5);
  assert_humaans_request(fh_request_at(fh, 3),
                         API "/custom-values?personId=A&$limit=250&$skip=0");
  fh_assert_value(fh_record_find(fh, "A"), "custom.shirt_size", "S");
  fh_assert_value(fh_record_find(fh, "B"), "custom.shirt_size", NULL);
  fh_done(plugin, fh, c);
}

/* A token that may not list custom fields (403): the fixed schema still
** stands, with one warning. */
static void test_custom_fields_refused(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 403, JSON_HDR,
           "{\"name\":\"Forbidden\",\"message\":\"scope\",\"code\":403}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_non_null(fh_field_find(fh, "firstName"));
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, "/custom-fields"), 1);
  fh_done(plugin, fh, c);
}

/* A role without effectiveDate has always applied; a dated one replaces
** it; equal dates: the later one listed wins. */
static void test_job_roles_dates(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "jobTitle");
  fh_want(fh, "department");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":4,\"limit\":250,\"skip\":0,\"data\":["
           "{\"personId\":\"A\",\"jobTitle\":\"Undated\"},"
           "{\"personId\":\"B\",\"jobTitle\":\"Undated\"},"
           "{\"personId\":\"B\",\"jobTitle\":\"First\",\"effectiveDate\":"
           "\"2020-01-01\"},"
           "{\"personId\":\"B\",\"jobTitle\":\"Second\",\"effectiveDate\":"
           "\"2020-01-01\"}]}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":2,\"data\":[{\"id\":\"A\"},{\"id\":\"B\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 2);
  fh_assert_value(fh_record_find(fh, "A"), "jobTitle", "Undated");
  fh_assert_value(fh_record_find(fh, "B"), "jobTitle", "Second");
  fh_assert_value(fh_record_find(fh, "A"), "department", NULL);
  fh_done(plugin, fh, c);
}

/* jobTitle wanted, department not: the role table gives the title only. */
static void test_job_roles_title_only(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "jobTitle");
  fh_queue(fh, 200, JSON_HDR, roles_p1);
  fh_queue(fh, 200, JSON_HDR, roles_p2);
  fh_queue(fh, 200, JSON_HDR,
           "{\"total\":1,\"limit\":250,\"skip\":0,\"data\":["
           "{\"id\":\"A\",\"firstName\":\"Al\"}]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  fh_assert_value(fh_record_find(fh, "A"), "jobTitle", "Senior Engineer");
  fh_assert_absent(fh_record_find(fh, "A"), "department");
  fh_assert_absent(fh_record_find(fh, "A"), "firstName");
  fh_done(plugin, fh, c);
}

static void test_job_roles_errors(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "jobTitle");
  fh_queue(fh, 403, JSON_HDR,
           "{\"name\":\"Forbidden\",\"message\":\"Missing scope\","
           "\"code\":403}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "GET /job-roles $skip=0: HTTP 403: Missing scope");
  assert_int_equal(fh_n_records(fh), 0);
  fh_done(plugin, fh, c);
}

static void test_page_errors(void **state)
{
  static const struct {
    unsigned status;
    const char *body;
    hrsync_status st;
    const char *needle;
  } cases[] = {
      {200, "{\"total\":1,\"data\":[{\"id\":\"A\"}", HRSYNC_E_PARSE,
       "malformed JSON"},
      {200, "", HRSYNC_E_PARSE, "empty body"},
      {200, "[{\"id\":\"A\"}]", HRSYNC_E_PARSE,
       "\"data\" is missing or not an array"},
      {200, "{\"total\":1,\"data\":{\"id\":\"A\"}}", HRSYNC_E_PARSE,
       "\"data\" is missing or not an array"},
      {200, "{\"total\":1,\"data\":[{\"firstName\":\"A\"}]}", HRSYNC_E_PARSE,
       "data[0] has no \"id\""},
      {200, "{\"total\":1,\"data\":[\"A\"]}", HRSYNC_E_PARSE,
       "data[0] has no \"id\""},
      {404,
       "{\"name\":\"NotFound\",\"message\":\"Page not found\",\"code\":404}",
       HRSYNC_E_HTTP, "HTTP 404: Page not found"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    hrsync_conn *c;
    fh_queue(fh, cases[i].status, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), cases[i].st);
    fh_assert_error_has(fh, "GET /people $skip=0");
    fh_assert_error_has(fh, cases[i].needle);
    fh_done(plugin, fh, c);
  }
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

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_descriptor),
      cmocka_unit_test(test_open_config_errors),
      cmocka_unit_test(test_auth),
      cmocka_unit_test(test_fields_schema),
      cmocka_unit_test(test_paging_by_total),
      cmocka_unit_test(test_paging_exact_total),
      cmocka_unit_test(test_paging_server_cap),
      cmocka_unit_test(test_paging_short_page_no_total),
      cmocka_unit_test(test_paging_empty_page_ends),
      cmocka_unit_test(test_paging_skip_ignored_guard),
      cmocka_unit_test(test_paging_401_mid_list),
      cmocka_unit_test(test_paging_read_ahead_same_as_sequential),
      cmocka_unit_test(test_records),
      cmocka_unit_test(test_records_wanted_only),
      cmocka_unit_test(test_records_value_shapes),
      cmocka_unit_test(test_job_roles_join),
      cmocka_unit_test(test_job_roles_dates),
      cmocka_unit_test(test_job_roles_title_only),
      cmocka_unit_test(test_job_roles_catalogue),
      cmocka_unit_test(test_job_roles_mixed_shapes),
      cmocka_unit_test(test_custom_values_list_form),
      cmocka_unit_test(test_custom_values_rows),
      cmocka_unit_test(test_custom_values_per_person),
      cmocka_unit_test(test_custom_fields_refused),
      cmocka_unit_test(test_job_roles_errors),
      cmocka_unit_test(test_page_errors),
      cmocka_unit_test(test_transport_error_and_abort),
  };
  plugin = fh_load(argc > 1 ? argv[1] : NULL);
  if(!plugin) {
    fprintf(stderr, "test_humaans: cannot load the plugin: %s\n",
            fh_load_error());
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
