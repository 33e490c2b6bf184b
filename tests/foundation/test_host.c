/*
** host: the service table and the callback driver, against a fake
** connector defined right here (no dlopen): setting defaults, required
** settings, record assembly, the withheld-field warning, status mapping,
** the plugin's rule breaks, and a failing record sink.
*/
#include "host.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* ---- the fake connector ------------------------------------------ */

enum mode {
  M_NORMAL,
  M_NO_ID,        /* record_begin(NULL) */
  M_SET_OUTSIDE,  /* record_set before record_begin */
  M_UNENDED,      /* returns with a record open */
  M_STATUS,       /* every callback returns fake_status */
  M_HTTP,         /* authenticate: one request, 401 -> E_AUTH */
  M_EMPTY_FOREVER /* has_more = 1 and never a record */
};

static enum mode mode;
static hrsync_status fake_status;
static int closes;
static char seen_base_url[128], seen_subdomain[128], seen_key[128];
static int setting_gave_secret;

struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
  int page;
};

static hrsync_status fk_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hrsync_conn *c;
  const char *v;
  *out = NULL;
  if(mode == M_STATUS && fake_status == HRSYNC_E_CONFIG)
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG, "base_url: not a URL");
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->host = host;
  c->ctx = ctx;
  v = host->setting(ctx, "base_url");
  snprintf(seen_base_url, sizeof(seen_base_url), "%s", v ? v : "(null)");
  v = host->setting(ctx, "subdomain");
  snprintf(seen_subdomain, sizeof(seen_subdomain), "%s", v ? v : "(null)");
  v = host->secret(ctx, "api_key");
  snprintf(seen_key, sizeof(seen_key), "%s", v ? v : "(null)");
  setting_gave_secret = host->setting(ctx, "api_key") != NULL;
  /* A careless plugin: the host must still redact it. */
  hrsync_logf(host, ctx, HRSYNC_LOG_WARN, "opening with key %s", v);
  host->mark_secret(ctx, "token-from-the-server");
  hrsync_logf(host, ctx, HRSYNC_LOG_WARN, "got token-from-the-server");
  *out = c;
  return HRSYNC_OK;
}

static void fk_close(hrsync_conn *c)
{
  closes++;
  free(c);
}

static hrsync_status fk_authenticate(hrsync_conn *c)
{
  static const hrsync_kv hdr[] = {{"Authorization", "Bearer xyz-token"}};
  hrsync_http_request req = {
      sizeof(req), 0, "GET", "http://fake/auth", hdr, 1, NULL, 0, NULL, NULL};
  const hrsync_http_response *resp;
  hrsync_status st;
  if(mode == M_STATUS)
    return hrsync_errorf(c->host, c->ctx, fake_status, "detail %d",
                         (int)fake_status);
  if(mode != M_HTTP)
    return HRSYNC_OK;
  st = c->host->http(c->ctx, &req, &resp);
  if(st)
    return st; /* the host's detail stands */
  if(resp->status == 401)
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_AUTH, "HTTP %u from %s",
                         (unsigned)resp->status, req.url);
  return HRSYNC_OK;
}

static hrsync_status fk_list_fields(hrsync_conn *c)
{
  hrsync_field_def d = {sizeof(d), HRSYNC_FIELD_EMAIL, 0, "workEmail",
                        "Work email"};
  hrsync_status st;
  if(mode == M_STATUS)
    return hrsync_errorf(c->host, c->ctx, fake_status, "detail %d",
                         (int)fake_status);
  st = c->host->field(c->ctx, &d);
  if(st)
    return st;
  d.id = "firstName";
  d.type = HRSYNC_FIELD_TEXT;
  return c->host->field(c->ctx, &d);
}

static hrsync_status emit(hrsync_conn *c, const char *id, const char *first,
                          const char *city)
{
  const hrsync_host *h = c->host;
  hrsync_status st = h->record_begin(c->ctx, id);
  if(!st)
    st = h->record_set(c->ctx, "firstName", "placeholder");
  if(!st)
    st = h->record_set(c->ctx, "firstName", first); /* the last one wins */
  if(!st)
    st = h->record_set(c->ctx, "workEmail", NULL);
  if(!st && city)
    st = h->record_set(c->ctx, "city", city);
  if(!st)
    st = h->record_end(c->ctx);
  return st;
}

static hrsync_status fk_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_status st = HRSYNC_OK;
  *has_more = 0;
  switch(mode) {
  case M_STATUS:
    return hrsync_errorf(c->host, c->ctx, fake_status, "page %d", c->page);
  case M_NO_ID:
    return emit(c, NULL, "Ann", NULL);
  case M_SET_OUTSIDE:
    return c->host->record_set(c->ctx, "city", "Lyon");
  case M_UNENDED:
    return c->host->record_begin(c->ctx, "7");
  case M_EMPTY_FOREVER:
    *has_more = 1;
    return HRSYNC_OK;
  default:
    break;
  }
  if(c->page++ == 0) {
    st = emit(c, "1", "Ann", "Lyon");
    if(!st)
      st = emit(c, "2", "Bob", NULL);
    *has_more = 1;
  }
  else
    st = emit(c, "3", "Cy", "Oslo");
  return st;
}

static const hrsync_setting_def fk_settings[] = {
    {"base_url", "API root", "http://default", 0},
    {"subdomain", "company", NULL, HRSYNC_SETTING_REQUIRED},
    {"api_key", "key", NULL, HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

static const hrsync_connector fk_desc = {HRSYNC_CONNECTOR_V1,
                                         .name = "fake",
                                         .display_name = "Fake",
                                         .version = "1.0",
                                         .settings = fk_settings,
                                         .open = fk_open,
                                         .close = fk_close,
                                         .authenticate = fk_authenticate,
                                         .list_fields = fk_list_fields,
                                         .next_page = fk_next_page};

static hs_plugin fk_plugin = {"/fake/hrsync-fake.so", "fake", &fk_desc, NULL};

/* ---- the engine side ---------------------------------------------- */

static char logbuf[8192];
static int warnings;

static void sink(void *arg, int level, const char *line)
{
  size_t n = strlen(logbuf);
  (void)arg;
  if(level == HS_LOG_WARN)
    warnings++;
  snprintf(logbuf + n, sizeof(logbuf) - n, "%d|%s\n", level, line);
}

static hrsync_kv settings[4], secrets[2];
static const char *wanted[] = {"firstName", "workEmail", "city",
                               "missingField"};
static hs_log *lg;
static hs_conn_params params;

static unsigned http_status = 200;
static hs_rc http_rc = HS_OK;
static char http_auth_seen[64];

static hs_rc fake_http(void *arg, const hrsync_http_request *req,
                       const hrsync_http_response **out, hs_err *err)
{
  static hrsync_http_response resp;
  (void)arg;
  snprintf(http_auth_seen, sizeof(http_auth_seen), "%s",
           req->n_headers ? req->headers[0].value : "");
  if(http_rc)
    return hs_err_set(err, http_rc, "GET %s: Connection refused", req->url);
  resp.struct_size = sizeof(resp);
  resp.status = http_status;
  resp.body = "";
  *out = &resp;
  return HS_OK;
}

static int setup(void **state)
{
  (void)state;
  mode = M_NORMAL;
  fake_status = HRSYNC_OK;
  closes = 0;
  warnings = 0;
  logbuf[0] = 0;
  http_status = 200;
  http_rc = HS_OK;
  lg = hs_log_new(HS_LOG_DEBUG, sink, NULL);
  settings[0] = (hrsync_kv){"subdomain", "acme"};
  secrets[0] = (hrsync_kv){"api_key", "sekret-key-123"};
  memset(&params, 0, sizeof(params));
  params.plugin = &fk_plugin;
  params.settings = settings;
  params.n_settings = 1;
  params.secrets = secrets;
  params.n_secrets = 1;
  params.wanted_fields = wanted;
  params.n_wanted = 4;
  params.log = lg;
  params.http_fn = fake_http;
  return lg ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  hs_log_free(lg);
  return 0;
}

static void test_settings_and_secrets(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  assert_string_equal(seen_base_url, "http://default"); /* the default */
  assert_string_equal(seen_subdomain, "acme");
  assert_string_equal(seen_key, "sekret-key-123");
  assert_false(setting_gave_secret);
  /* Both the config secret and the marked token are redacted. */
  assert_null(strstr(logbuf, "sekret-key-123"));
  assert_null(strstr(logbuf, "token-from-the-server"));
  assert_non_null(strstr(logbuf, "1|fake: opening with key [REDACTED]\n"));
  assert_non_null(strstr(logbuf, "1|fake: got [REDACTED]\n"));
  hs_conn_close(conn);
  assert_int_equal(closes, 1);

  /* A configured value beats the default. */
  settings[1] = (hrsync_kv){"base_url", "http://127.0.0.1:9"};
  params.n_settings = 2;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  assert_string_equal(seen_base_url, "http://127.0.0.1:9");
  hs_conn_close(conn);

  /* An empty value means unset: the default applies. */
  settings[1] = (hrsync_kv){"base_url", ""};
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  assert_string_equal(seen_base_url, "http://default");
  hs_conn_close(conn);
}

static void test_required_and_unknown(void **state)
{
  hs_conn *conn = (hs_conn *)1;
  hs_err err = {HS_OK, ""};
  (void)state;
  params.n_settings = 0;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_CONFIG);
  assert_null(conn);
  assert_string_equal(err.msg, "settings.subdomain: required by connector "
                               "fake");
  params.n_settings = 1;
  params.n_secrets = 0;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_CONFIG);
  assert_string_equal(err.msg, "secrets.api_key: required by connector fake");
  params.n_secrets = 1;
  settings[1] = (hrsync_kv){"colour", "blue"};
  params.n_settings = 2;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_CONFIG);
  assert_string_equal(err.msg, "settings.colour: unknown to connector fake");
  settings[1] = (hrsync_kv){"api_key", "in-the-wrong-place"};
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "settings.api_key: connector fake expects "
                                  "it under \"secrets\""));
  assert_int_equal(closes, 0); /* never opened */
}

/* Records as the sink saw them, copied (they are borrowed). */
static char got[16][160];
static int ngot;

static hs_rc collect(void *arg, const hs_record *rec, hs_err *err)
{
  int present = -1;
  const char *first = hs_record_get(rec, "firstName", NULL);
  const char *city = hs_record_get(rec, "city", &present);
  const char *email;
  int email_present = -1;
  (void)arg;
  (void)err;
  email = hs_record_get(rec, "workEmail", &email_present);
  snprintf(got[ngot++ % 16], sizeof(got[0]), "%s:%s:%s:%d:%s:%d:%zu",
           rec->hris_id, first ? first : "-", city ? city : "-", present,
           email ? email : "NULL", email_present, rec->n_fields);
  return HS_OK;
}

static void test_fetch_records_and_withheld_warning(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  hs_fetch_stats st;
  (void)state;
  ngot = 0;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  warnings = 0;
  assert_int_equal(hs_conn_fetch(conn, collect, NULL, &err), HS_OK);
  assert_int_equal(ngot, 3);
  assert_string_equal(got[0], "1:Ann:Lyon:1:NULL:1:3");
  assert_string_equal(got[1], "2:Bob:-:0:NULL:1:2"); /* city withheld */
  assert_string_equal(got[2], "3:Cy:Oslo:1:NULL:1:3");
  hs_conn_get_stats(conn, &st);
  assert_int_equal(st.pages, 2);
  assert_int_equal(st.records, 3);
  /* One warning naming exactly the fields nobody had. */
  assert_int_equal(warnings, 1);
  assert_non_null(strstr(logbuf, "no record carried a value for workEmail, "
                                 "missingField (of 3 records)"));
  assert_null(strstr(logbuf, "firstName,"));
  /* Once per run, not once per fetch. */
  assert_int_equal(hs_conn_fetch(conn, collect, NULL, &err), HS_OK);
  assert_int_equal(warnings, 1);
  hs_conn_close(conn);
  assert_int_equal(closes, 1);
}

static hs_rc count_fields(void *arg, const hrsync_field_def *def, hs_err *err)
{
  (void)err;
  if(!strcmp(def->id, "workEmail"))
    assert_int_equal(def->type, HRSYNC_FIELD_EMAIL);
  ++*(int *)arg;
  return HS_OK;
}

static void test_list_fields(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  int n = 0;
  (void)state;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  assert_int_equal(hs_conn_list_fields(conn, count_fields, &n, &err), HS_OK);
  assert_int_equal(n, 2);
  hs_conn_close(conn);
}

static void test_status_mapping(void **state)
{
  static const struct {
    hrsync_status st;
    hs_rc rc;
    const char *text;
  } cases[] = {
      {HRSYNC_E_AUTH, HS_E_AUTH, "authentication refused"},
      {HRSYNC_E_HTTP, HS_E_HTTP, "HTTP failure"},
      {HRSYNC_E_PARSE, HS_E_PARSE, "malformed response"},
      {HRSYNC_E_NOMEM, HS_E_PLUGIN, "out of memory"},
      {HRSYNC_E_INTERNAL, HS_E_PLUGIN, "internal error"},
      {HRSYNC_E_CONFIG, HS_E_CONFIG, "configuration error"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    hs_conn *conn;
    hs_err err = {HS_OK, ""};
    char want[256];
    mode = M_NORMAL;
    assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
    mode = M_STATUS;
    fake_status = cases[i].st;
    assert_int_equal(hs_conn_authenticate(conn, &err), cases[i].rc);
    snprintf(want, sizeof(want), "fake: authenticate: %s: detail %d",
             cases[i].text, (int)cases[i].st);
    assert_string_equal(err.msg, want);
    assert_int_equal(hs_conn_list_fields(conn, count_fields, NULL, &err),
                     cases[i].rc);
    assert_non_null(strstr(err.msg, "fake: list_fields: "));
    assert_int_equal(hs_conn_fetch(conn, collect, NULL, &err), cases[i].rc);
    assert_non_null(strstr(err.msg, "fake: next_page: "));
    hs_conn_close(conn);
  }
  assert_int_equal(hs_conn_status_rc(HRSYNC_E_ABORTED), HS_E_PLUGIN);
}

static void test_open_failure(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  (void)state;
  mode = M_STATUS;
  fake_status = HRSYNC_E_CONFIG;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_CONFIG);
  assert_null(conn);
  assert_string_equal(err.msg,
                      "fake: open: configuration error: base_url: not a URL");
}

static void test_http_through_host(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  mode = M_HTTP;
  assert_int_equal(hs_conn_authenticate(conn, &err), HS_OK);
  assert_string_equal(http_auth_seen, "Bearer xyz-token");
  http_status = 401;
  assert_int_equal(hs_conn_authenticate(conn, &err), HS_E_AUTH);
  assert_string_equal(err.msg, "fake: authenticate: authentication refused: "
                               "HTTP 401 from http://fake/auth");
  http_rc = HS_E_HTTP; /* no response at all: the host's detail */
  assert_int_equal(hs_conn_authenticate(conn, &err), HS_E_HTTP);
  assert_string_equal(err.msg, "fake: authenticate: HTTP failure: GET "
                               "http://fake/auth: Connection refused");
  hs_conn_close(conn);
}

static void expect_violation(enum mode m, const char *want)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  mode = m;
  assert_int_equal(hs_conn_fetch(conn, collect, NULL, &err), HS_E_PLUGIN);
  if(!strstr(err.msg, want))
    fail_msg("\"%s\" lacks \"%s\"", err.msg, want);
  hs_conn_close(conn);
  mode = M_NORMAL;
}

static void test_violations(void **state)
{
  (void)state;
  expect_violation(M_NO_ID, "fake: next_page: a record without hris_id");
  expect_violation(M_SET_OUTSIDE, "fake: next_page: record_set(city) "
                                  "outside record_begin/record_end");
  expect_violation(M_UNENDED, "fake: next_page: returned with record 7 "
                              "still open");
  expect_violation(M_EMPTY_FOREVER, "fake: next_page: 1000 empty pages in "
                                    "a row and still has_more");
}

static hs_rc refuse_second(void *arg, const hs_record *rec, hs_err *err)
{
  (void)arg;
  if(!strcmp(rec->hris_id, "2"))
    return hs_err_set(err, HS_E_DB, "store: disk full at record %s",
                      rec->hris_id);
  return HS_OK;
}

static void test_sink_failure_surfaces(void **state)
{
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  hs_fetch_stats st;
  (void)state;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_OK);
  assert_int_equal(hs_conn_fetch(conn, refuse_second, NULL, &err), HS_E_DB);
  assert_string_equal(err.msg, "store: disk full at record 2");
  hs_conn_get_stats(conn, &st);
  assert_int_equal(st.pages, 1); /* stopped, no second page */
  hs_conn_close(conn);
  assert_int_equal(closes, 1);
}

static void test_broken_plugin_refused(void **state)
{
  hs_plugin broken = {"/x/hrsync-bad.so", "bad", NULL,
                      "missing required "
                      "callback open"};
  hs_conn *conn;
  hs_err err = {HS_OK, ""};
  (void)state;
  params.plugin = &broken;
  assert_int_equal(hs_conn_open(&params, &conn, &err), HS_E_PLUGIN);
  assert_non_null(strstr(err.msg, "missing required callback open"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_settings_and_secrets, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_required_and_unknown, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_fetch_records_and_withheld_warning,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(test_list_fields, setup, teardown),
      cmocka_unit_test_setup_teardown(test_status_mapping, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_failure, setup, teardown),
      cmocka_unit_test_setup_teardown(test_http_through_host, setup, teardown),
      cmocka_unit_test_setup_teardown(test_violations, setup, teardown),
      cmocka_unit_test_setup_teardown(test_sink_failure_surfaces, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_broken_plugin_refused, setup,
                                      teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
