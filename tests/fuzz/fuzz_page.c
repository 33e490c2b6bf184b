/*
** Fuzz target: one connector's parsers, through the fake host of the
** plugin tests. The input is the body of every HTTP answer (status 200,
** JSON content type): the token, the field schema and each page are all
** read from it, so one input reaches every parser the connector has. The
** plugin is the real .so (FUZZ_PLUGIN), loaded once.
*/
#include "fakehost.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_REQUESTS 64
#define MAX_PAGES    16

static const hrsync_connector *desc;

typedef struct body {
  const char *data; /* NUL-terminated, as the real host's bodies are */
  size_t size;
} body;

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
  const body *b = arg;
  if(n >= MAX_REQUESTS)
    return 1; /* a paging loop: refused, the plugin must stop */
  out->status = 200;
  out->headers = "Content-Type: application/json";
  /* A token request gets a good token, or the input would have to be a
  ** token answer and a page at once (Personio's "data" cannot be both). */
  if(is_auth(req->url)) {
    out->body = TOKEN_ANSWER;
    out->body_len = strlen(TOKEN_ANSWER);
    return 0;
  }
  out->body = b->data;
  out->body_len = b->size; /* 0 with "" is an empty body */
  out->transport_error = 0;
  return 0;
}

/* What each connector needs to open: the settings its tests use. */
static void configure(fh_host *fh)
{
  const char *n = FUZZ_CONNECTOR;
  if(!strcmp(n, "bamboohr")) {
    fh_setting(fh, "subdomain", "acme");
    fh_secret(fh, "api_key", "bamboo-secret-key");
    fh_want(fh, "firstName");
    fh_want(fh, "hireDate");
  }
  else if(!strcmp(n, "personio")) {
    fh_secret(fh, "client_id", "personio-client-id");
    fh_secret(fh, "client_secret", "personio-client-secret");
    fh_want(fh, "first_name");
    fh_want(fh, "department.name");
  }
  else if(!strcmp(n, "hibob")) {
    fh_secret(fh, "service_user_id", "SERVICE-1234");
    fh_secret(fh, "token", "hibob-secret-token");
    fh_want(fh, "root.firstName");
    fh_want(fh, "work.department");
  }
  else if(!strcmp(n, "humaans")) {
    fh_secret(fh, "token", "humaans-secret-token");
    fh_want(fh, "firstName");
    fh_want(fh, "jobTitle");
  }
  else if(!strcmp(n, "lucca")) {
    fh_setting(fh, "instance", "acme");
    fh_secret(fh, "api_key", "lucca-secret-key");
    fh_want(fh, "firstName");
    fh_want(fh, "department.name");
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  desc = fh_load(FUZZ_PLUGIN);
  if(!desc) {
    fprintf(stderr, "fuzz_page: %s: %s\n", FUZZ_PLUGIN, fh_load_error());
    exit(1);
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  body b;
  fh_host *fh;
  hrsync_conn *conn = NULL;
  if(!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0;
  b.data = text;
  b.size = size;
  fh = fh_new();
  configure(fh);
  fh_set_responder(fh, serve, &b);
  if(fh_open(fh, desc, &conn) == HRSYNC_OK) {
    if(desc->authenticate(conn) == HRSYNC_OK) {
      desc->list_fields(conn);
      fh_fetch_all(fh, desc, conn, MAX_PAGES, NULL);
    }
  }
  if(conn)
    desc->close(conn);
  fh_free(fh);
  free(text);
  return 0;
}
