/*
** Issue 15 case 10 on the five shipped connectors: a JSON value
** "In\u0000TAIL" in a real answer (the emulator's, from the fuzz seed
** corpus) reaches the host whole, the NUL marked as C0 80, so the host
** skips the record naming the field instead of storing "In".
** usage: test_plugin_nul_all CONNECTOR PLUGIN.so BODY.json
** The body answers every request (token, schema and pages alike).
*/
#include "fakehost.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *conn_name, *plugin_path, *body_path;
static char *body;

/* Token endpoints (Personio /v1/auth, /v2/auth/token; Lucca's OAuth). */
static int is_auth(const char *url)
{
  return strstr(url, "/auth") || strstr(url, "/oauth/token");
}

#define TOKEN_ANSWER                                                          \
  "{\"success\":true,\"data\":{\"token\":\"fuzz-token\"},"                    \
  "\"access_token\":\"fuzz-token\",\"token_type\":\"Bearer\","                \
  "\"expires_in\":3600}"

static int serve(void *arg, size_t n, const fh_request *req, fh_reply *out)
{
  (void)arg;
  if(n >= 32)
    return 1;
  out->status = 200;
  out->headers = "Content-Type: application/json";
  out->body = is_auth(req->url) ? TOKEN_ANSWER : body;
  out->body_len = strlen(out->body);
  out->transport_error = 0;
  return 0;
}

static void configure(fh_host *fh)
{
  if(!strcmp(conn_name, "bamboohr")) {
    fh_setting(fh, "subdomain", "acme");
    fh_secret(fh, "api_key", "k");
    fh_want(fh, "firstName");
  }
  else if(!strcmp(conn_name, "personio")) {
    fh_secret(fh, "client_id", "i");
    fh_secret(fh, "client_secret", "s");
    fh_want(fh, "first_name");
  }
  else if(!strcmp(conn_name, "hibob")) {
    fh_secret(fh, "service_user_id", "u");
    fh_secret(fh, "token", "t");
    fh_want(fh, "root.firstName");
  }
  else if(!strcmp(conn_name, "humaans")) {
    fh_secret(fh, "token", "t");
    fh_want(fh, "firstName");
  }
  else {
    fh_setting(fh, "instance", "acme");
    fh_secret(fh, "api_key", "k");
    fh_want(fh, "firstName");
  }
}

static void test_nul_value_whole(void **state)
{
  const hrsync_connector *d = fh_load(plugin_path);
  fh_host *fh = fh_new();
  hrsync_conn *conn = NULL;
  size_t i, j, whole = 0, cut = 0;
  (void)state;
  assert_non_null(d);
  configure(fh);
  fh_set_responder(fh, serve, NULL);
  assert_int_equal(fh_open(fh, d, &conn), HRSYNC_OK);
  if(d->authenticate(conn))
    printf("authenticate: %s\n", fh_error(fh));
  if(fh_fetch_all(fh, d, conn, 4, NULL))
    printf("next_page: %s\n", fh_error(fh));
  for(i = 0; i < fh_n_records(fh); i++) {
    const fh_record *r = fh_record_at(fh, i);
    for(j = 0; j < r->n_fields; j++) {
      const char *v = r->fields[j].value;
      if(v && strstr(v, "In\xc0\x80TAIL"))
        whole++;
      if(v && !strcmp(v, "In"))
        cut++;
    }
  }
  d->close(conn);
  printf("%s: %zu records, %zu values whole, %zu cut\n", conn_name,
         fh_n_records(fh), whole, cut);
  fh_free(fh);
  assert_true(whole > 0);
  assert_int_equal(cut, 0);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_nul_value_whole)};
  FILE *f;
  long n;
  int rc;
  if(argc != 4)
    return 2;
  conn_name = argv[1];
  plugin_path = argv[2];
  body_path = argv[3];
  f = fopen(body_path, "rb");
  if(!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
     fseek(f, 0, SEEK_SET) || !(body = calloc(1, (size_t)n + 1)) ||
     fread(body, 1, (size_t)n, f) != (size_t)n)
    return 2;
  fclose(f);
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  free(body);
  return rc;
}
