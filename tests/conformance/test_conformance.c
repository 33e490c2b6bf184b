/*
** Tests of the conformance kit itself: the template passes every check,
** and each mutant (mutant.c: the template with one defect) fails the
** check that names its defect. Plus the fixture reader's errors and its
** replay order.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "conformance.h"
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif

#define MAX_VERDICTS 64

typedef struct verdicts {
  size_t n;
  int pass[MAX_VERDICTS];
  char check[MAX_VERDICTS][64];
  char detail[MAX_VERDICTS][256];
} verdicts;

static void collect(void *arg, int pass, const char *check, const char *detail)
{
  verdicts *v = arg;
  if(v->n == MAX_VERDICTS)
    return;
  v->pass[v->n] = pass;
  snprintf(v->check[v->n], sizeof(v->check[0]), "%s", check);
  snprintf(v->detail[v->n], sizeof(v->detail[0]), "%s", detail);
  v->n++;
}

/* HS_CONF_PASS, HS_CONF_FAIL, HS_CONF_SKIP, or -1 when not reported. */
static int verdict_of(const verdicts *v, const char *check)
{
  size_t i;
  for(i = 0; i < v->n; i++)
    if(!strcmp(v->check[i], check))
      return v->pass[i];
  return -1;
}

static void dump(const verdicts *v)
{
  size_t i;
  for(i = 0; i < v->n; i++)
    fprintf(stderr, "  %s %s: %s\n",
            v->pass[i] == HS_CONF_SKIP ? "SKIP"
            : v->pass[i]               ? "PASS"
                                       : "FAIL",
            v->check[i], v->detail[i]);
}

static void run_kit_timeout(const char *plugin, unsigned timeout_s,
                            verdicts *v, hs_conf_summary *sum)
{
  char path[512];
  hs_conf_params p;
  hs_err err;
  memset(v, 0, sizeof(*v));
  hs_err_clear(&err);
  snprintf(path, sizeof(path), "%s/hrsync-%s.so", KIT_PLUGIN_DIR, plugin);
  memset(&p, 0, sizeof(p));
  p.plugin = path;
  p.fixtures = KIT_FIXTURES;
  p.timeout_s = timeout_s;
  assert_int_equal(hs_conf_run(&p, collect, v, sum, &err), HS_OK);
  assert_int_equal(sum->passed + sum->failed + sum->skipped, v->n);
}

static void run_kit(const char *plugin, verdicts *v, hs_conf_summary *sum)
{
  run_kit_timeout(plugin, 30, v, sum);
}

static void template_passes_everything(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("acme", &v, &sum);
  if(sum.failed)
    dump(&v);
  assert_int_equal(sum.failed, 0);
  /* load, descriptor, settings, callbacks, mapping, the plain replay's
  ** nine, leaks, and twelve faults. */
  assert_true(sum.passed >= 25);
  assert_int_equal(verdict_of(&v, "fault: empty page"), 1);
  assert_int_equal(verdict_of(&v, "fault: 429 + Retry-After, then 200"), 1);
}

static void expect_fail(const char *mutant, const char *check)
{
  verdicts v;
  hs_conf_summary sum;
  run_kit(mutant, &v, &sum);
  if(verdict_of(&v, check) != 0)
    dump(&v);
  assert_int_equal(verdict_of(&v, check), 0);
  assert_true(sum.failed > 0);
}

static void crash_is_reported(void **state)
{
  (void)state;
  expect_fail("mutant_crash", "plain replay");
}

static void hang_is_a_timeout(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  size_t i;
  (void)state;
  run_kit_timeout("mutant_hang", 1, &v, &sum);
  assert_int_equal(verdict_of(&v, "plain replay"), 0);
  for(i = 0; i < v.n; i++)
    if(!strcmp(v.check[i], "plain replay"))
      assert_non_null(strstr(v.detail[i], "timed out after 1 s"));
}

static void endless_paging_is_bounded(void **state)
{
  (void)state;
  expect_fail("mutant_endless", "pagination");
}

static void swallowed_errors_are_caught(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("mutant_swallow", &v, &sum);
  assert_int_equal(verdict_of(&v, "fault: 500 on the first page"), 0);
  assert_int_equal(verdict_of(&v, "fault: truncated body"), 0);
  assert_int_equal(verdict_of(&v, "fault: malformed body"), 0);
  /* What it does not get wrong still passes. */
  assert_int_equal(verdict_of(&v, "fault: 401 at authenticate"), 1);
  assert_int_equal(verdict_of(&v, "records"), 1);
}

static void printing_is_caught(void **state)
{
  (void)state;
  expect_fail("mutant_print", "quiet");
}

static void write_file(const char *path, const char *text);

/* Page 2 has no fixture: a plugin that swallows the failed request still
** fails the "fixtures" check. */
static void unanswered_request_is_caught(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  hs_conf_params p;
  hs_err err;
  (void)state;
  mkdir(KIT_TMP, 0755);
  mkdir(KIT_TMP "/partial", 0755);
  write_file(KIT_TMP "/partial/settings.json",
             "{\"secrets\": {\"api_token\": \"fixture-api-token\"}}");
  write_file(KIT_TMP "/partial/001.http",
             "GET /v1/fields\n\nHTTP 200\n\n"
             "{\"fields\": [{\"id\": \"id\", \"type\": \"number\"}]}");
  write_file(KIT_TMP "/partial/002.http",
             "GET /v1/people?page=1\n\nHTTP 200\n\n"
             "{\"people\": [{\"id\": 1}], \"next_page\": 2}");
  memset(&v, 0, sizeof(v));
  memset(&p, 0, sizeof(p));
  hs_err_clear(&err);
  p.plugin = KIT_PLUGIN_DIR "/hrsync-mutant_swallow.so";
  p.fixtures = KIT_TMP "/partial";
  assert_int_equal(hs_conf_run(&p, collect, &v, &sum, &err), HS_OK);
  assert_int_equal(verdict_of(&v, "fixtures"), 0);
  assert_int_equal(verdict_of(&v, "records"), 1);
}

/* An HR system that says "yes" in a field it calls bool: the template
** passes it on, and the kit names the record and the field. */
static void bad_bool_value_is_caught(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  hs_conf_params p;
  hs_err err;
  size_t i;
  (void)state;
  mkdir(KIT_TMP, 0755);
  mkdir(KIT_TMP "/yes", 0755);
  write_file(KIT_TMP "/yes/settings.json",
             "{\"secrets\": {\"api_token\": \"fixture-api-token\"}}");
  write_file(KIT_TMP "/yes/001.http",
             "GET /v1/fields\n\nHTTP 200\n\n"
             "{\"fields\": [{\"id\": \"id\", \"type\": \"number\"},"
             " {\"id\": \"active\", \"type\": \"bool\"}]}");
  write_file(KIT_TMP "/yes/002.http",
             "GET /v1/people?page=1\n\nHTTP 200\n\n"
             "{\"people\": [{\"id\": 1, \"active\": true},"
             " {\"id\": 2, \"active\": \"yes\"}], \"next_page\": null}");
  memset(&v, 0, sizeof(v));
  memset(&p, 0, sizeof(p));
  hs_err_clear(&err);
  p.plugin = KIT_PLUGIN_DIR "/hrsync-acme.so";
  p.fixtures = KIT_TMP "/yes";
  assert_int_equal(hs_conf_run(&p, collect, &v, &sum, &err), HS_OK);
  assert_int_equal(verdict_of(&v, "record values"), 0);
  for(i = 0; i < v.n; i++)
    if(!strcmp(v.check[i], "record values"))
      assert_non_null(strstr(v.detail[i], "record \"2\": BOOL field "
                                          "\"active\" is \"yes\""));
  assert_int_equal(verdict_of(&v, "records"), 1);
}

/* The template's fixtures plus the mutant's session request. */
static void unflagged_secret_body_is_caught(void **state)
{
  static const char *const files[] = {
      "settings.json", "001-get-v1-fields.http",
      "002-get-v1-people-page-1.http", "003-get-v1-people-page-2.http"};
  verdicts v;
  hs_conf_summary sum;
  hs_conf_params p;
  hs_err err;
  size_t i;
  char src[512], dst[512], text[8192];
  (void)state;
  mkdir(KIT_TMP, 0755);
  mkdir(KIT_TMP "/session", 0755);
  for(i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    FILE *f;
    size_t n;
    snprintf(src, sizeof(src), "%s/%s", KIT_FIXTURES, files[i]);
    snprintf(dst, sizeof(dst), "%s/%s", KIT_TMP "/session", files[i]);
    f = fopen(src, "r");
    assert_non_null(f);
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    write_file(dst, text);
  }
  write_file(KIT_TMP "/session/000-post-v1-session.http",
             "POST /v1/session\n\nHTTP 204\n\n");
  memset(&v, 0, sizeof(v));
  memset(&p, 0, sizeof(p));
  hs_err_clear(&err);
  p.plugin = KIT_PLUGIN_DIR "/hrsync-mutant_bodysecret.so";
  p.fixtures = KIT_TMP "/session";
  assert_int_equal(hs_conf_run(&p, collect, &v, &sum, &err), HS_OK);
  if(verdict_of(&v, "contract") != 0)
    dump(&v);
  assert_int_equal(verdict_of(&v, "contract"), 0);
  assert_int_equal(verdict_of(&v, "records"), 1);
}

static void duplicate_ids_are_caught(void **state)
{
  (void)state;
  expect_fail("mutant_duplicate", "records");
}

static void logged_secret_is_caught(void **state)
{
  (void)state;
  expect_fail("mutant_logsecret", "secrets");
}

static void auth_status_is_checked(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("mutant_noauth", &v, &sum);
  assert_int_equal(verdict_of(&v, "fault: 401 at authenticate"), 0);
  assert_int_equal(verdict_of(&v, "fault: 500 on the first page"), 1);
}

static void missing_detail_is_caught(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  size_t i;
  (void)state;
  run_kit("mutant_nodetail", &v, &sum);
  assert_int_equal(verdict_of(&v, "fault: 500 on the first page"), 0);
  for(i = 0; i < v.n; i++)
    if(!strcmp(v.check[i], "fault: 500 on the first page"))
      assert_non_null(strstr(v.detail[i], "without a set_error detail"));
  /* A propagated host failure needs no detail of the plugin's own. */
  assert_int_equal(verdict_of(&v, "fault: transport failure"), 1);
}

static void close_null_crash_is_caught(void **state)
{
  (void)state;
  expect_fail("mutant_closenull", "close(NULL)");
}

/* The kit lends each setting for one callback only; keeping it is a use
** after free that a sanitizer build turns into a failed check. */
static void kept_setting_is_caught_under_asan(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("mutant_keepsetting", &v, &sum);
#ifdef HAVE_LSAN
  assert_int_equal(verdict_of(&v, "plain replay"), 0);
#else
  assert_true(verdict_of(&v, "plain replay") != 1);
#endif
}

static void leak_is_caught_under_lsan(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("mutant_leak", &v, &sum);
#ifdef HAVE_LSAN
  assert_int_equal(verdict_of(&v, "leaks"), 0);
  assert_int_equal(verdict_of(&v, "fault: 500 on the first page"), 0);
#else
  /* Not a sanitizer build: skipped, never reported as passed. */
  assert_int_equal(verdict_of(&v, "leaks"), HS_CONF_SKIP);
#endif
}

static void missing_plugin_is_a_failed_load(void **state)
{
  verdicts v;
  hs_conf_summary sum;
  (void)state;
  run_kit("no_such_plugin", &v, &sum);
  assert_int_equal(verdict_of(&v, "load"), 0);
  assert_int_equal(sum.failed, 1);
}

static void write_file(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void bad_fixtures_name_file_and_line(void **state)
{
  hs_fixture_set fx;
  hs_err err;
  (void)state;
  mkdir(KIT_TMP, 0755);
  mkdir(KIT_TMP "/bad", 0755);
  write_file(KIT_TMP "/bad/settings.json", "{\"secrets\": {}}");
  write_file(KIT_TMP "/bad/001-x.http", "GET /v1/x\n\nHTTP 9000\n\n{}");
  hs_err_clear(&err);
  assert_int_equal(hs_fixture_load(KIT_TMP "/bad", &fx, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "001-x.http:3"));
  hs_fixture_free(&fx);

  write_file(KIT_TMP "/bad/settings.json", "{\"secret\": {}}");
  hs_err_clear(&err);
  assert_int_equal(hs_fixture_load(KIT_TMP "/bad", &fx, &err), HS_E_CONFIG);
  assert_non_null(strstr(err.msg, "unknown key \"secret\""));
  hs_fixture_free(&fx);

  hs_err_clear(&err);
  assert_int_equal(hs_fixture_load(KIT_TMP "/none", &fx, &err), HS_E_IO);
  hs_fixture_free(&fx);
}

static void identical_requests_replay_in_order(void **state)
{
  hs_fixture_set fx;
  hs_fixture_exchange *e;
  hs_err err;
  (void)state;
  mkdir(KIT_TMP, 0755);
  mkdir(KIT_TMP "/order", 0755);
  write_file(KIT_TMP "/order/settings.json", "{}");
  write_file(KIT_TMP "/order/001-a.http",
             "# rate limited first\nGET /p?x=1\n\nHTTP 429\nRetry-After: "
             "3\n\n");
  write_file(KIT_TMP "/order/002-b.http",
             "GET /p?x=1\n\nHTTP 200\nContent-Type: x\n\nbody");
  write_file(KIT_TMP "/order/003-c.http",
             "POST /t\nBody: a=1\n\nHTTP 200\n\ntoken");
  hs_err_clear(&err);
  assert_int_equal(hs_fixture_load(KIT_TMP "/order", &fx, &err), HS_OK);
  assert_string_equal(hs_fixture_kv(fx.settings, fx.n_settings, "base_url"),
                      HS_FIXTURE_BASE_URL);
  e = hs_fixture_match(&fx, "GET", "/p?x=1", NULL, 0);
  assert_non_null(e);
  assert_int_equal(e->status, 429);
  e = hs_fixture_match(&fx, "GET", "/p?x=1", NULL, 0);
  assert_int_equal(e->status, 200);
  assert_string_equal(e->body, "body");
  e = hs_fixture_match(&fx, "GET", "/p?x=1", NULL, 0);
  assert_int_equal(e->status, 200); /* the last one repeats */
  assert_null(hs_fixture_match(&fx, "GET", "/p?x=2", NULL, 0));
  assert_null(hs_fixture_match(&fx, "POST", "/t", "a=2", 3));
  assert_non_null(hs_fixture_match(&fx, "POST", "/t", "a=1", 3));
  hs_fixture_free(&fx);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(template_passes_everything),
      cmocka_unit_test(crash_is_reported),
      cmocka_unit_test(hang_is_a_timeout),
      cmocka_unit_test(endless_paging_is_bounded),
      cmocka_unit_test(swallowed_errors_are_caught),
      cmocka_unit_test(printing_is_caught),
      cmocka_unit_test(unanswered_request_is_caught),
      cmocka_unit_test(bad_bool_value_is_caught),
      cmocka_unit_test(unflagged_secret_body_is_caught),
      cmocka_unit_test(duplicate_ids_are_caught),
      cmocka_unit_test(logged_secret_is_caught),
      cmocka_unit_test(auth_status_is_checked),
      cmocka_unit_test(missing_detail_is_caught),
      cmocka_unit_test(close_null_crash_is_caught),
      cmocka_unit_test(kept_setting_is_caught_under_asan),
      cmocka_unit_test(leak_is_caught_under_lsan),
      cmocka_unit_test(missing_plugin_is_a_failed_load),
      cmocka_unit_test(bad_fixtures_name_file_and_line),
      cmocka_unit_test(identical_requests_replay_in_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
