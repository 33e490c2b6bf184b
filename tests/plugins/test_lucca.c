/*
** Lucca connector unit tests: the real plugin (argv[1]) driven through
** the fake host with canned Lucca v3 answers: tenant URL settings, the
** fields= projection, paging=offset,1000 and its ends, flattening,
** extendedData, the derived status, and errors
** (shared/hris/hibob-humaans-lucca.md, part C).
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

#define TENANT      "https://acme.ilucca.net"
#define JSON_HDR    "Content-Type: application/json"
#define BASE_FIELDS "id,firstName,lastName,dtContractStart,dtContractEnd"

static fh_host *host(void)
{
  fh_host *fh = fh_new();
  fh_setting(fh, "instance", "acme");
  fh_secret(fh, "api_key", "lucca-secret-key");
  return fh;
}

/* Every Lucca request: GET, "lucca application=<key>", JSON, no body. */
static void assert_lucca_request(const fh_request *r, const char *url)
{
  assert_string_equal(r->method, "GET");
  assert_string_equal(r->url, url);
  assert_int_equal(fh_request_header_count(r, "Authorization"), 1);
  assert_string_equal(fh_request_header(r, "Authorization"),
                      "lucca application=lucca-secret-key");
  assert_string_equal(fh_request_header(r, "Accept"), "application/json");
  assert_null(r->basic_user);
  assert_null(r->body);
}

/* ---- descriptor, settings, authenticate -------------------------- */

static void test_descriptor(void **state)
{
  const hrsync_setting_def *s;
  const hrsync_kv *m;
  int base = 0, inst = 0, key = 0, first = 0, last = 0;
  (void)state;
  assert_string_equal(plugin->name, "lucca");
  for(s = plugin->settings; s->key; s++) {
    if(!strcmp(s->key, "base_url"))
      base = !(s->flags & HRSYNC_SETTING_REQUIRED);
    if(!strcmp(s->key, "instance"))
      inst = !(s->flags & HRSYNC_SETTING_REQUIRED);
    if(!strcmp(s->key, "api_key"))
      key = (s->flags & HRSYNC_SETTING_SECRET) &&
            (s->flags & HRSYNC_SETTING_REQUIRED);
  }
  assert_true(base && inst && key);
  for(m = plugin->suggested_mapping; m->name; m++) {
    first |= !strcmp(m->name, "first_name") && !strcmp(m->value, "firstName");
    last |= !strcmp(m->name, "last_name") && !strcmp(m->value, "lastName");
    /* "Last First": never a name source. */
    assert_string_not_equal(m->value, "displayName");
  }
  assert_true(first && last);
}

static void test_open_config_errors(void **state)
{
  static const struct {
    const char *inst, *base, *key, *needle;
  } cases[] = {
      {NULL, NULL, "key-123", "settings.instance or settings.base_url"},
      {"", "", "key-123", "settings.instance or settings.base_url"},
      {"acme.evil.com/x", NULL, "key-123", "settings.instance"},
      {NULL, "ftp://acme", "key-123", "base_url"},
      {"acme", NULL, NULL, "secrets.api_key"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    hrsync_conn *c = NULL;
    if(cases[i].inst)
      fh_setting(fh, "instance", cases[i].inst);
    if(cases[i].base)
      fh_setting(fh, "base_url", cases[i].base);
    if(cases[i].key)
      fh_secret(fh, "api_key", cases[i].key);
    assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
    fh_assert_error_has(fh, cases[i].needle);
    assert_int_equal(fh_n_requests(fh), 0);
    plugin->close(c);
    fh_assert_clean(fh);
    fh_free(fh);
  }
}

static void test_auth_and_tenant_url(void **state)
{
  static const char *const cases[][3] = {
      {"acme", NULL, TENANT},
      {"acme", "http://127.0.0.1:9/lucca/", "http://127.0.0.1:9/lucca"},
      {NULL, "https://acme.ilucca-test.net", "https://acme.ilucca-test.net"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char url[256];
    fh_host *fh = fh_new();
    hrsync_conn *c;
    fh_secret(fh, "api_key", "lucca-secret-key");
    if(cases[i][0])
      fh_setting(fh, "instance", cases[i][0]);
    if(cases[i][1])
      fh_setting(fh, "base_url", cases[i][1]);
    fh_queue(fh, 200, JSON_HDR, "{\"data\":{\"items\":[{\"id\":1}]}}");
    c = fh_open_ok(plugin, fh);
    assert_int_equal(plugin->authenticate(c), HRSYNC_OK);
    snprintf(url, sizeof(url), "%s/api/v3/users?fields=id&paging=0,1",
             cases[i][2]);
    assert_lucca_request(fh_request_at(fh, 0), url);
    fh_done(plugin, fh, c);
  }
}

static void test_auth_errors(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 401, JSON_HDR, "{\"Message\":\"Unauthorized\"}");
  fh_queue(fh, 403, NULL, "Forbidden");
  fh_queue(fh, 200, JSON_HDR, "{\"data\":[]}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "GET /api/v3/users (authenticate): HTTP 401");
  assert_null(strstr(fh_error(fh), "lucca-secret-key"));
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_AUTH);
  fh_assert_error_has(fh, "HTTP 403: Forbidden");
  assert_int_equal(plugin->authenticate(c), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "\"data\" is missing or not an object");
  fh_done(plugin, fh, c);
}

/* ---- field schema ------------------------------------------------ */

static void test_fields_schema_and_discovery(void **state)
{
  static const struct {
    const char *id;
    uint32_t type;
  } expect[] = {
      {"id", HRSYNC_FIELD_NUMBER},
      {"firstName", HRSYNC_FIELD_TEXT},
      {"mail", HRSYNC_FIELD_EMAIL},
      {"dtContractStart", HRSYNC_FIELD_DATE},
      {"dtContractEnd", HRSYNC_FIELD_DATE},
      {"birthDate", HRSYNC_FIELD_DATE},
      {"department.name", HRSYNC_FIELD_LIST},
      {"manager.name", HRSYNC_FIELD_TEXT},
      {"legalEntity.name", HRSYNC_FIELD_LIST},
      {"status", HRSYNC_FIELD_LIST},
      {"extendedData.e_Codepostal", HRSYNC_FIELD_TEXT},
      {"extendedData.e_food", HRSYNC_FIELD_TEXT},
      {"extendedData.e_Ville", HRSYNC_FIELD_TEXT},
  };
  fh_host *fh = host();
  hrsync_conn *c;
  const hrsync_kv *m;
  size_t i, ext = 0;
  (void)state;
  /* Named by the config: e_food is seen, e_Ville is not. */
  fh_want(fh, "extendedData.e_food");
  fh_want(fh, "extendedData.e_Ville");
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\":{\"items\":["
           "{\"id\":1,\"extendedData\":{\"e_Codepostal\":{\"id\":9,"
           "\"value\":\"75002\"}}},"
           "{\"id\":2,\"extendedData\":null},"
           "{\"id\":3,\"extendedData\":{\"e_Codepostal\":null,"
           "\"e_food\":[{\"id\":1,\"value\":\"beer\"}]}}]}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_lucca_request(fh_request_at(fh, 0),
                       TENANT "/api/v3/users?fields=id,extendedData"
                              "&formerEmployees=true&paging=0,1000");
  for(i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
    const fh_field *f = fh_field_find(fh, expect[i].id);
    if(!f)
      fail_msg("field %s not described", expect[i].id);
    assert_int_equal(f->type, expect[i].type);
  }
  for(i = 0; i < fh_n_fields(fh); i++)
    ext += !strncmp(fh_field_at(fh, i)->id, "extendedData.", 13);
  assert_int_equal(ext, 3); /* each custom field once */
  assert_non_null(fh_field_find(fh, "extendedData.e_Ville"));
  for(m = plugin->suggested_mapping; m->name; m++)
    if(!fh_field_find(fh, m->value))
      fail_msg("mapping %s -> %s: no such field", m->name, m->value);
  fh_done(plugin, fh, c);
}

static void test_fields_discovery_errors(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, "{\"data\":{\"items\":{}}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(plugin->list_fields(c), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "(extendedData fields)");
  fh_assert_error_has(fh, "\"data.items\" is missing or not an array");
  fh_done(plugin, fh, c);
}

/* ---- roster -------------------------------------------------------- */

/* C.9 sample plus a future hire and a multi-valued custom field. */
static const char users_c9[] =
    "{\"data\":{\"items\":["
    "{\"id\":416,\"name\":\"John Doe\",\"url\":"
    "\"http://example.ilucca.net/api/users/416\",\"displayName\":\"Doe "
    "John\",\"modifiedAt\":\"2015-09-07T10:20:06.583\",\"firstName\":"
    "\"John\",\"lastName\":\"DOE\",\"login\":\"jdoe\",\"mail\":"
    "\"jdoe@example.com\",\"dtContractStart\":\"2014-09-01T00:00:00\","
    "\"dtContractEnd\":null,\"birthDate\":\"1989-12-22T00:00:00\","
    "\"employeeNumber\":\"00057\",\"jobTitle\":\"Developer\","
    "\"legalEntityId\":1,\"legalEntity\":{\"id\":1,\"name\":\"Lucca\","
    "\"url\":\"http://example.ilucca.net/api/v3/legalEntities/1\"},"
    "\"departmentId\":13,\"department\":{\"id\":13,\"name\":\"BU "
    "Timmi/Lucca\",\"url\":\"http://example.ilucca.net/api/v3/"
    "departments/13\"},\"managerId\":383,\"manager\":{\"id\":383,\"name\":"
    "\"Roger Smith\",\"url\":\"http://example.ilucca.net/api/v3/users/"
    "383\"},\"address\":\"12 rue de la Paix, 75002 Paris\","
    "\"extendedData\":{\"e_Codepostal\":{\"id\":9001,\"value\":\"75002\"},"
    "\"e_food\":[{\"id\":4589,\"value\":\"beer\"},{\"id\":4590,\"value\":"
    "\"cheese\"}],\"e_eyes\":{\"id\":8976,\"value\":84}}},"
    "{\"id\":417,\"name\":\"Marie Curie\",\"displayName\":\"Curie Marie\","
    "\"firstName\":\"Marie\",\"lastName\":\"CURIE\",\"mail\":"
    "\"mcurie@example.com\",\"dtContractStart\":\"2016-01-04T00:00:00\","
    "\"dtContractEnd\":\"2024-03-31T00:00:00\",\"employeeNumber\":\"00058\","
    "\"jobTitle\":\"Researcher\",\"departmentId\":13,\"department\":{\"id\":"
    "13,\"name\":\"BU Timmi/Lucca\"},\"managerId\":416,\"manager\":null,"
    "\"extendedData\":null},"
    "{\"id\":418,\"firstName\":\"Zoe\",\"lastName\":\"NEW\","
    "\"dtContractStart\":\"2999-01-04T00:00:00\",\"dtContractEnd\":null,"
    "\"extendedData\":{}},"
    "{\"id\":419,\"firstName\":\"Leo\",\"lastName\":\"LEAVING\","
    "\"dtContractStart\":\"2010-01-04T00:00:00\",\"dtContractEnd\":"
    "\"2999-12-31T00:00:00\"}]}}";

static void test_users_request(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "mail");
  fh_want(fh, "department.name");
  fh_want(fh, "extendedData.e_Codepostal");
  fh_want(fh, "status");
  fh_want(fh, "firstName");
  fh_want(fh, "manager.name");
  fh_want(fh, "department.id");
  fh_want(fh, "extendedData.e_food");
  /* The two custom fields' definitions (not lists here), then users. */
  fh_queue(fh, 404, JSON_HDR, "{\"status\":404}");
  fh_queue(fh, 404, JSON_HDR, "{\"status\":404}");
  fh_queue(fh, 200, JSON_HDR, "{\"data\":{\"items\":[]}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_lucca_request(fh_request_at(fh, 0),
                       TENANT "/api/v3/extensionuserdefinitions/e_Codepostal");
  assert_lucca_request(fh_request_at(fh, 1),
                       TENANT "/api/v3/extensionuserdefinitions/e_food");
  assert_lucca_request(fh_request_at(fh, 2),
                       TENANT "/api/v3/users?fields=" BASE_FIELDS
                              ",mail,department,extendedData,manager"
                              "&formerEmployees=true&paging=0,1000");
  fh_done(plugin, fh, c);
}

static void test_users_records(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *john, *marie, *zoe, *leo;
  (void)state;
  fh_want(fh, "department.name");
  fh_want(fh, "manager.name");
  fh_want(fh, "extendedData.e_Codepostal");
  fh_want(fh, "legalEntity.name");
  fh_want(fh, "id");
  fh_want(fh, "firstName");
  fh_want(fh, "lastName");
  fh_want(fh, "mail");
  fh_want(fh, "dtContractStart");
  fh_want(fh, "dtContractEnd");
  fh_want(fh, "birthDate");
  fh_want(fh, "status");
  fh_queue(fh, 404, JSON_HDR, "{\"status\":404}");
  fh_queue(fh, 200, JSON_HDR, users_c9);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 4);
  assert_int_equal(fh_total(fh), 4); /* a short first page: all of them */
  john = fh_record_find(fh, "416");
  marie = fh_record_find(fh, "417");
  zoe = fh_record_find(fh, "418");
  leo = fh_record_find(fh, "419");
  assert_non_null(john);
  fh_assert_value(john, "id", "416");
  fh_assert_value(john, "firstName", "John");
  fh_assert_value(john, "lastName", "DOE");
  fh_assert_value(john, "mail", "jdoe@example.com");
  /* Not wanted: never set (issue 16), though the answer carries them. */
  fh_assert_absent(john, "displayName");
  fh_assert_absent(john, "department.id");
  fh_assert_absent(john, "extendedData.e_food");
  fh_assert_absent(john, "extendedData.e_eyes");
  fh_assert_absent(john, "employeeNumber");
  /* Dates as sent; the engine normalises DATE fields. */
  fh_assert_value(john, "dtContractStart", "2014-09-01T00:00:00");
  fh_assert_value(john, "dtContractEnd", NULL);
  fh_assert_value(john, "birthDate", "1989-12-22T00:00:00");
  fh_assert_value(john, "department.name", "BU Timmi/Lucca");
  fh_assert_value(john, "manager.name", "Roger Smith");
  fh_assert_value(john, "legalEntity.name", "Lucca");
  fh_assert_value(john, "extendedData.e_Codepostal", "75002");
  fh_assert_value(john, "status", "active");
  fh_assert_absent(john, "department");
  fh_assert_absent(john, "extendedData");
  /* Former: contract ended; manager null is empty, not withheld. */
  fh_assert_value(marie, "status", "former");
  fh_assert_value(marie, "manager.name", NULL);
  fh_assert_value(marie, "extendedData.e_Codepostal", NULL);
  fh_assert_absent(marie, "legalEntity.name");
  fh_assert_value(zoe, "status", "future");
  /* A custom field without a value on a returned extendedData. */
  fh_assert_value(zoe, "extendedData.e_Codepostal", NULL);
  fh_assert_absent(zoe, "department.name");
  fh_assert_value(leo, "status", "active");
  fh_assert_absent(leo, "extendedData.e_Codepostal");
  fh_done(plugin, fh, c);
}

/* No wanted field (`hrsync fields`, an old config): every member the
** answer carries is set, custom fields as sent (no lookups were read). */
static void test_users_records_all(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *john, *marie;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, users_c9);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_records(fh), 4);
  john = fh_record_find(fh, "416");
  marie = fh_record_find(fh, "417");
  fh_assert_value(john, "id", "416");
  fh_assert_value(john, "displayName", "Doe John");
  fh_assert_value(john, "employeeNumber", "00057");
  fh_assert_value(john, "department.id", "13");
  fh_assert_value(john, "department.name", "BU Timmi/Lucca");
  fh_assert_value(john, "legalEntity.name", "Lucca");
  fh_assert_value(john, "extendedData.e_Codepostal", "75002");
  fh_assert_value(john, "extendedData.e_food", "beer, cheese");
  fh_assert_value(john, "extendedData.e_eyes", "84");
  fh_assert_value(john, "status", "active");
  fh_assert_absent(john, "department.url");
  fh_assert_value(marie, "manager", NULL);
  fh_assert_absent(marie, "extendedData");
  fh_assert_value(marie, "status", "former");
  fh_done(plugin, fh, c);
}

/* The page is read as json-c read it (issue 16 moved it to hsp_jv): a
** repeated member is its last value; a list holding a list gives that
** list's compact JSON; numbers, booleans and escapes as before; a null
** sub-member is set empty; a nested object's number keeps its text. */
static const char users_values[] =
    "{\"data\":{\"items\":["
    "{\"id\":\"u-1\",\"firstName\":\"First\",\"lastName\":\"L\\u00e9\\n\","
    "\"firstName\":\"Second\",\"tags\":[[\"x\",1],\"y\",{\"name\":\"z\"},"
    "2.50,true,null],\"manager\":{\"id\":5,\"name\":null},"
    "\"legalEntity\":{\"id\":1e2,\"name\":\"Acme\\/SAS\"},"
    "\"directLine\":12345678901234,\"login\":false}]}}";

static void test_users_values_as_json_c(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *r;
  (void)state;
  fh_queue(fh, 200, JSON_HDR, users_values);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_records(fh), 1);
  r = fh_record_find(fh, "u-1");
  assert_non_null(r);
  fh_assert_value(r, "firstName", "Second");
  fh_assert_value(r, "lastName", "L\xc3\xa9\n");
  fh_assert_value(r, "tags", "[\"x\",1], y, z, 2.5, true");
  fh_assert_value(r, "manager.id", "5");
  fh_assert_value(r, "manager.name", NULL);
  fh_assert_value(r, "legalEntity.id", "100");
  fh_assert_value(r, "legalEntity.name", "Acme/SAS");
  fh_assert_value(r, "directLine", "12345678901234");
  fh_assert_value(r, "login", "false");
  fh_done(plugin, fh, c);
}

/* The v3 user's newer members with their types; nationalityId resolved
** through the nationalities endpoint; a list-type custom field's entry
** id resolved to its label through its definition (read once, not per
** user); a composite flattened to sub-fields; a member named "" skipped
** with one warning (issue 15 case 8: it used to break the SDK contract);
** a wanted member the projection dropped reported withheld. */
static const char users_v3_more[] =
    "{\"data\":{\"items\":["
    "{\"id\":416,\"firstName\":\"John\",\"lastName\":\"DOE\","
    "\"gender\":\"male\",\"nationalityId\":3,\"personalEmail\":"
    "\"john@home.example\",\"seniorityDate\":\"2014-09-01T00:00:00\","
    "\"culture\":{\"id\":1036,\"name\":\"fran\xc3\xa7"
    "ais (France)\","
    "\"url\":\"http://x/api/v3/cultures/1036\"},\"\":\"odd\","
    "\"department\":{\"id\":13,\"\":1,\"name\":\"R&D\"},"
    "\"extendedData\":{\"e_eyes_color\":{\"id\":8976,\"value\":84},"
    "\"\":{\"id\":1,\"value\":\"x\"},"
    "\"e_langs\":[{\"id\":1,\"value\":85},{\"id\":2,\"value\":86}],"
    "\"e_home\":{\"id\":77,\"value\":{\"e_home_city\":{\"id\":78,"
    "\"value\":\"Paris\"},\"e_home_zip\":{\"id\":79,\"value\":\"75002\"}}},"
    "\"e_kids\":[{\"id\":5,\"value\":{\"e_kid_name\":{\"id\":6,\"value\":"
    "\"Ann\"}}},{\"id\":7,\"value\":{\"e_kid_name\":{\"id\":8,\"value\":"
    "\"Bob\"}}}]}},"
    "{\"id\":417,\"firstName\":\"Marie\",\"lastName\":\"CURIE\","
    "\"\":\"again\",\"nationalityId\":null,\"extendedData\":{}}]}}";

static void test_users_v3_members_and_lookups(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  const fh_record *john, *marie;
  size_t i;
  (void)state;
  fh_want(fh, "nationality");
  fh_want(fh, "culture.name");
  fh_want(fh, "extendedData.e_eyes_color");
  fh_want(fh, "extendedData.e_langs");
  fh_want(fh, "extendedData.e_home.e_home_city");
  fh_want(fh, "birthDate"); /* asked for, never sent: withheld */
  fh_want(fh, "gender");
  fh_want(fh, "nationalityId");
  fh_want(fh, "personalEmail");
  fh_want(fh, "seniorityDate");
  fh_want(fh, "culture.id");
  fh_want(fh, "department.name");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\":{\"items\":[{\"id\":3,\"name\":\"French\"},"
           "{\"id\":4,\"name\":\"German\"}]}}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\":{\"id\":12,\"name\":\"e_eyes_color\","
           "\"extensionUserPropertyListEntries\":[{\"id\":84,\"name\":"
           "\"Blue\"},{\"id\":85,\"name\":\"Green\"}]}}");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\":{\"id\":13,\"name\":\"e_langs\","
           "\"extensionUserPropertyListEntries\":[{\"id\":85,\"name\":"
           "\"English\"},{\"id\":86,\"name\":\"French\"}]}}");
  fh_queue(fh, 404, JSON_HDR, "{\"status\":404}");
  fh_queue(fh, 200, JSON_HDR, users_v3_more);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 5);
  assert_true(strstr(fh_request_at(fh, 0)->url, "/api/v3/nationalities") !=
              NULL);
  assert_true(strstr(fh_request_at(fh, 3)->url,
                     "/api/v3/extensionuserdefinitions/e_home_city") != NULL);
  assert_non_null(strstr(fh_request_at(fh, 4)->url,
                         "fields=" BASE_FIELDS ",nationalityId,culture,"
                         "extendedData,birthDate,gender,personalEmail,"
                         "seniorityDate,department&"));
  john = fh_record_find(fh, "416");
  marie = fh_record_find(fh, "417");
  assert_non_null(john);
  assert_non_null(marie);
  fh_assert_value(john, "gender", "male");
  fh_assert_value(john, "nationalityId", "3");
  fh_assert_value(john, "nationality", "French");
  fh_assert_value(john, "personalEmail", "john@home.example");
  fh_assert_value(john, "seniorityDate", "2014-09-01T00:00:00");
  fh_assert_value(john, "culture.name",
                  "fran\xc3\xa7"
                  "ais (France)");
  fh_assert_value(john, "culture.id", "1036");
  fh_assert_absent(john, "culture");
  fh_assert_absent(john, "culture.url"); /* a link, not a field */
  fh_assert_value(john, "department.name", "R&D");
  fh_assert_value(john, "extendedData.e_eyes_color", "Blue");
  fh_assert_value(john, "extendedData.e_langs", "English, French");
  fh_assert_value(john, "extendedData.e_home.e_home_city", "Paris");
  /* Unwanted sub-fields and custom fields are not set (issue 16). */
  fh_assert_absent(john, "extendedData.e_home.e_home_zip");
  fh_assert_absent(john, "extendedData.e_home");
  fh_assert_absent(john, "extendedData.e_kids.e_kid_name");
  fh_assert_absent(john, "department.id");
  fh_assert_absent(john, "firstName");
  fh_assert_value(marie, "nationality", NULL);
  fh_assert_value(marie, "extendedData.e_eyes_color", NULL);
  fh_assert_value(marie, "extendedData.e_home.e_home_city", NULL);
  /* Never a raw JSON value. */
  for(i = 0; i < john->n_fields; i++)
    assert_true(!john->fields[i].value || john->fields[i].value[0] != '{');
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, "empty name"), 1);
  assert_non_null(fh_withheld(fh, "birthDate"));
  assert_null(fh_withheld(fh, "nationality"));
  assert_null(fh_withheld(fh, "extendedData.e_eyes_color"));
  assert_int_equal(fh_n_withheld(fh), 1);
  fh_done(plugin, fh, c);
}

/* ---- the new Lucca API (settings.api = "lucca-api") ----------------- */

static fh_host *api_host(void)
{
  fh_host *fh = host();
  fh_setting(fh, "api", "lucca-api");
  fh_setting(fh, "client_id", "cid-1");
  fh_setting(fh, "token_url", "https://auth.example/oauth/token");
  return fh;
}

#define API_TOKEN                                                             \
  "{\"access_token\":\"tok-1\",\"token_type\":\"Bearer\",\"expires_in\":"     \
  "3600}"
#define API_PAGE1                                                             \
  "{\"type\":\"employees\",\"totalCount\":3,\"items\":["                      \
  "{\"id\":\"416\",\"type\":\"employee\",\"url\":\"x\",\"givenName\":"        \
  "\"Edward\",\"familyName\":\"Atkinson\",\"email\":\"ea@acme.corp\","        \
  "\"status\":\"active\",\"birthDay\":{\"day\":22,\"month\":12},"             \
  "\"applicableEmployment\":{\"id\":\"154\",\"type\":\"employment\","         \
  "\"url\":\"u\"},\"\":1},"                                                   \
  "{\"id\":\"417\",\"givenName\":\"Old\",\"status\":\"deactivated\"}],"       \
  "\"links\":{\"prev\":null,\"next\":{\"href\":\"" TENANT                     \
  "/lucca-api/employees?include=links,totalCount&limit=100&page=!S7DHF\"}}}"
#define API_PAGE2                                                             \
  "{\"items\":[{\"id\":\"418\",\"givenName\":\"New\",\"status\":"             \
  "\"upcoming\"}],\"links\":{\"prev\":null,\"next\":null}}"

static void test_api_roster(void **state)
{
  fh_host *fh = api_host();
  hrsync_conn *c;
  const fh_record *e;
  const fh_request *r;
  (void)state;
  fh_want(fh, "firstName");
  fh_want(fh, "dtContractStart");
  fh_want(fh, "givenName");
  fh_want(fh, "mail");
  fh_want(fh, "birthDay.day");
  fh_want(fh, "applicableEmployment.id");
  fh_want(fh, "status");
  fh_want(fh, "employeeStatus");
  fh_queue(fh, 200, JSON_HDR, API_TOKEN);
  fh_queue(fh, 200, JSON_HDR, API_PAGE1);
  fh_queue(fh, 401, JSON_HDR, "{\"status\":401}"); /* token expired */
  fh_queue(fh, 200, JSON_HDR, API_TOKEN);
  fh_queue(fh, 200, JSON_HDR, API_PAGE2);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 5);
  r = fh_request_at(fh, 0);
  assert_string_equal(r->method, "POST");
  assert_string_equal(r->url, "https://auth.example/oauth/token");
  assert_true(r->flags & HRSYNC_HTTP_SENSITIVE_BODY);
  assert_string_equal(r->body, "grant_type=client_credentials&client_id="
                               "cid-1&client_secret=lucca-secret-key");
  assert_string_equal(fh_request_header(r, "Content-Type"),
                      "application/x-www-form-urlencoded");
  r = fh_request_at(fh, 1);
  assert_string_equal(r->url,
                      TENANT "/lucca-api/employees?include=links,totalCount"
                             "&limit=100&status=active,upcoming,deactivated");
  assert_string_equal(fh_request_header(r, "Authorization"), "Bearer tok-1");
  assert_string_equal(fh_request_header(r, "Api-Version"), "2024-11-01");
  /* The next link as sent, retried once with a new token after a 401. */
  assert_string_equal(fh_request_at(fh, 4)->url,
                      TENANT "/lucca-api/employees?include=links,totalCount"
                             "&limit=100&page=!S7DHF");
  assert_true(fh_is_marked(fh, "tok-1"));
  assert_int_equal(fh_total(fh), 3);
  e = fh_record_find(fh, "416");
  fh_assert_value(e, "givenName", "Edward");
  fh_assert_value(e, "firstName", "Edward");
  fh_assert_value(e, "mail", "ea@acme.corp");
  fh_assert_value(e, "birthDay.day", "22");
  fh_assert_value(e, "applicableEmployment.id", "154");
  fh_assert_absent(e, "applicableEmployment.url");
  /* Sent but not wanted: not set (issue 16). */
  fh_assert_absent(e, "familyName");
  fh_assert_absent(e, "lastName");
  fh_assert_absent(e, "email");
  fh_assert_absent(e, "birthDay.month");
  fh_assert_value(e, "status", "active");
  fh_assert_value(fh_record_find(fh, "417"), "status", "former");
  fh_assert_value(fh_record_find(fh, "417"), "employeeStatus", "deactivated");
  fh_assert_value(fh_record_find(fh, "418"), "status", "future");
  assert_non_null(fh_withheld(fh, "dtContractStart"));
  assert_null(fh_withheld(fh, "firstName"));
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, "empty name"), 1);
  fh_done(plugin, fh, c);
}

static void test_api_settings_and_foreign_link(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c = NULL;
  (void)state;
  fh_setting(fh, "api", "lucca-api"); /* no client_id */
  assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "settings.client_id");
  fh_free(fh);
  fh = host();
  fh_setting(fh, "api", "v5");
  assert_int_equal(fh_open(fh, plugin, &c), HRSYNC_E_CONFIG);
  fh_assert_error_has(fh, "settings.api");
  fh_free(fh);
  /* A next link off the tenant would carry the token away. */
  fh = api_host();
  fh_queue(fh, 200, JSON_HDR, API_TOKEN);
  fh_queue(fh, 200, JSON_HDR,
           "{\"items\":[{\"id\":\"1\"}],\"links\":{\"next\":{\"href\":"
           "\"https://evil.example/lucca-api/employees?page=2\"}}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_E_PARSE);
  fh_assert_error_has(fh, "leaves base_url");
  fh_done(plugin, fh, c);
}

/* Issue 15 case 8: a user object with a member named "" used to abort
** the sync as a contract error (record_set() without a field id). Now it
** is skipped with one warning for the whole run, and the rest of the
** record (and of the page) is synced. */
static void test_users_empty_member_name(void **state)
{
  fh_host *fh = host();
  hrsync_conn *c;
  (void)state;
  fh_want(fh, "mail");
  fh_want(fh, "firstName");
  fh_queue(fh, 200, JSON_HDR,
           "{\"data\":{\"items\":["
           "{\"id\":1,\"\":\"x\",\"firstName\":\"A\",\"mail\":\"a@x\"},"
           "{\"id\":2,\"\":null,\"firstName\":\"B\",\"mail\":\"b@x\"}]}}");
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), HRSYNC_OK);
  assert_int_equal(fh_violations(fh), 0);
  assert_int_equal(fh_n_records(fh), 2);
  fh_assert_value(fh_record_find(fh, "1"), "mail", "a@x");
  fh_assert_value(fh_record_find(fh, "2"), "firstName", "B");
  fh_assert_absent(fh_record_find(fh, "1"), "");
  assert_int_equal(fh_log_count(fh, HRSYNC_LOG_WARN, "empty name"), 1);
  fh_done(plugin, fh, c);
}

typedef struct lroster {
  size_t total;
  size_t fail_at; /* request index answered 401 ((size_t)-1: none) */
  char *body;
} lroster;

static int serve_users(void *arg, size_t n, const fh_request *req,
                       fh_reply *out)
{
  lroster *r = arg;
  const char *p = strstr(req->url, "paging=");
  size_t off, lim, i;
  json_object *items, *root, *data;
  if(strstr(req->url, "fields=collection.count&")) {
    static char count[64];
    snprintf(count, sizeof(count), "{\"data\":{\"count\":%zu}}", r->total);
    out->status = 200;
    out->body = count;
    return 0;
  }
  if(!p || sscanf(p, "paging=%zu,%zu", &off, &lim) != 2)
    return 1;
  if(n == r->fail_at) {
    out->status = 401;
    out->body = "{\"Message\":\"Invalid key\"}";
    return 0;
  }
  root = json_object_new_object();
  data = json_object_new_object();
  items = json_object_new_array();
  for(i = off; i < r->total && i < off + lim; i++) {
    json_object *u = json_object_new_object();
    json_object_object_add(u, "id", json_object_new_int64((int64_t)i + 1));
    json_object_object_add(u, "firstName", json_object_new_string("A"));
    json_object_array_add(items, u);
  }
  json_object_object_add(data, "items", items);
  json_object_object_add(root, "data", data);
  free(r->body);
  r->body = strdup(json_object_to_json_string(root));
  json_object_put(root);
  out->status = 200;
  out->headers = JSON_HDR;
  out->body = r->body;
  return 0;
}

/* 1: the host offers http_many (SDK 1.4): a count, then batches. The
** paging tests below see the one-by-one rules without it. */
static int with_many;

static fh_host *fetch_users(lroster *r, hrsync_status want)
{
  fh_host *fh = host();
  hrsync_conn *c;
  fh_set_many(fh, with_many);
  fh_set_responder(fh, serve_users, r);
  c = fh_open_ok(plugin, fh);
  assert_int_equal(fh_fetch_all(fh, plugin, c, 50, NULL), want);
  plugin->close(c);
  fh_assert_clean(fh);
  return fh;
}

static void test_paging_short_page(void **state)
{
  lroster r = {2005, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_users(&r, HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 3);
  assert_lucca_request(fh_request_at(fh, 1),
                       TENANT "/api/v3/users?fields=" BASE_FIELDS
                              "&formerEmployees=true&paging=1000,1000");
  assert_lucca_request(fh_request_at(fh, 2),
                       TENANT "/api/v3/users?fields=" BASE_FIELDS
                              "&formerEmployees=true&paging=2000,1000");
  assert_int_equal(fh_n_records(fh), 2005);
  fh_free(fh);
  free(r.body);
}

static void test_paging_empty_page(void **state)
{
  lroster r = {1000, (size_t)-1, NULL};
  lroster none = {0, (size_t)-1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_users(&r, HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 2);
  assert_int_equal(fh_n_records(fh), 1000);
  fh_free(fh);
  fh = fetch_users(&none, HRSYNC_OK);
  assert_int_equal(fh_n_requests(fh), 1);
  assert_int_equal(fh_n_records(fh), 0);
  fh_free(fh);
  free(r.body);
  free(none.body);
}

static void test_paging_401_mid_list(void **state)
{
  lroster r = {3000, 1, NULL};
  fh_host *fh;
  (void)state;
  fh = fetch_users(&r, HRSYNC_E_AUTH);
  assert_int_equal(fh_n_requests(fh), 2);
  fh_assert_error_has(fh, "GET /api/v3/users paging=1000,1000: HTTP 401");
  fh_assert_error_has(fh, "Invalid key");
  fh_free(fh);
  free(r.body);
}

/* Issue 16: after a full first page, one count request; then the other
** pages in one batch, the same pages, the same records in the same
** order as one by one. */
static void test_paging_read_ahead_same_as_sequential(void **state)
{
  lroster r = {4500, (size_t)-1, NULL};
  fh_host *seq, *many;
  size_t i, k, batched = 0;
  (void)state;
  seq = fetch_users(&r, HRSYNC_OK);
  with_many = 1;
  many = fetch_users(&r, HRSYNC_OK);
  with_many = 0;
  assert_int_equal(fh_n_requests(seq), 5);
  assert_int_equal(fh_n_requests(many), 6);
  assert_int_equal(fh_many_calls(many, &batched), 1);
  assert_int_equal(batched, 4);
  assert_lucca_request(fh_request_at(many, 1),
                       TENANT "/api/v3/users?fields=collection.count"
                              "&formerEmployees=true");
  for(i = 0, k = 0; i < fh_n_requests(many); i++)
    if(i != 1)
      assert_string_equal(fh_request_at(many, i)->url,
                          fh_request_at(seq, k++)->url);
  assert_int_equal(fh_n_records(many), 4500);
  for(i = 0; i < fh_n_records(seq); i++)
    assert_string_equal(fh_record_at(seq, i)->hris_id,
                        fh_record_at(many, i)->hris_id);
  fh_free(seq);
  fh_free(many);
  free(r.body);
}

static void test_users_errors(void **state)
{
  static const struct {
    unsigned status;
    const char *body;
    hrsync_status st;
    const char *needle;
  } cases[] = {
      {200, "{\"data\":{\"items\":[{\"id\":1},", HRSYNC_E_PARSE,
       "malformed JSON"},
      {200, "", HRSYNC_E_PARSE, "empty body"},
      {200, "{\"items\":[]}", HRSYNC_E_PARSE,
       "\"data\" is missing or not an object"},
      {200, "{\"data\":[]}", HRSYNC_E_PARSE,
       "\"data\" is missing or not an object"},
      {200, "{\"data\":{\"count\":3}}", HRSYNC_E_PARSE,
       "\"data.items\" is missing or not an array"},
      {200, "{\"data\":{\"items\":[{\"firstName\":\"x\"}]}}", HRSYNC_E_PARSE,
       "data.items[0] has no \"id\""},
      {200, "{\"data\":{\"items\":[{\"id\":null}]}}", HRSYNC_E_PARSE,
       "data.items[0] has no \"id\""},
      {500, "{\"Message\":\"Oops\"}", HRSYNC_E_HTTP, "HTTP 500"},
      /* Deeper than json-c's 32 levels: refused as json-c refused it,
      ** never a crash (a list's text recursed once per level). */
      {200,
       "{\"data\":{\"items\":[{\"id\":1,\"tags\":"
       "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
       "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]}}",
       HRSYNC_E_PARSE, "nesting too deep"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = host();
    fh_want(fh, "tags");
    hrsync_conn *c;
    fh_queue(fh, cases[i].status, JSON_HDR, cases[i].body);
    c = fh_open_ok(plugin, fh);
    assert_int_equal(fh_fetch_all(fh, plugin, c, 5, NULL), cases[i].st);
    fh_assert_error_has(fh, "GET /api/v3/users paging=0,1000");
    fh_assert_error_has(fh, cases[i].needle);
    assert_int_equal(fh_n_records(fh), 0);
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
      cmocka_unit_test(test_auth_and_tenant_url),
      cmocka_unit_test(test_auth_errors),
      cmocka_unit_test(test_fields_schema_and_discovery),
      cmocka_unit_test(test_fields_discovery_errors),
      cmocka_unit_test(test_users_request),
      cmocka_unit_test(test_users_records),
      cmocka_unit_test(test_users_records_all),
      cmocka_unit_test(test_users_values_as_json_c),
      cmocka_unit_test(test_users_v3_members_and_lookups),
      cmocka_unit_test(test_users_empty_member_name),
      cmocka_unit_test(test_api_roster),
      cmocka_unit_test(test_api_settings_and_foreign_link),
      cmocka_unit_test(test_paging_short_page),
      cmocka_unit_test(test_paging_empty_page),
      cmocka_unit_test(test_paging_401_mid_list),
      cmocka_unit_test(test_paging_read_ahead_same_as_sequential),
      cmocka_unit_test(test_users_errors),
      cmocka_unit_test(test_transport_error_and_abort),
  };
  plugin = fh_load(argc > 1 ? argv[1] : NULL);
  if(!plugin) {
    fprintf(stderr, "test_lucca: cannot load the plugin: %s\n",
            fh_load_error());
    return 1;
  }
  return cmocka_run_group_tests(tests, NULL, NULL);
}
