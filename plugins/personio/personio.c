/*
** Personio connector (API v1, or v2 with settings.api = "v2"): descriptor,
** settings, the bearer token and the one request helper every
** authenticated call goes through.
**
** One POST /v1/auth per run: the token is stable for 24 h and /v1/auth is
** limited to 60 calls a minute (clients that asked per request got 429s
** and "random 401s"). A token Personio rotates in through a response
** "Authorization: Bearer ..." header (the legacy one-time-token mode) is
** adopted; a 401 gets one fresh token and one retry.
*/
#include "personio.h"

#include <json-c/printbuf.h>
#include <stdlib.h>
#include <string.h>

static const hrsync_setting_def settings[] = {
    {"base_url", "Personio API root", "https://api.personio.de", 0},
    {"api", "API generation: v1 (employees) or v2 (persons + employments)",
     "v1", 0},
    {"client_id", "API credential client ID (Settings > API credentials)",
     NULL, HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {"client_secret", "API credential client secret", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

/* Only standard attributes: a tenant's address, birth date or employee
** number are custom dynamic_NNN attributes (see `hrsync fields`). */
static const hrsync_kv mapping[] = {{"hris_id", "id"},
                                    {"first_name", "first_name"},
                                    {"last_name", "last_name"},
                                    {"email", "email"},
                                    {"start_date", "hire_date"},
                                    {"termination_date", "termination_date"},
                                    {NULL, NULL}};

static hrsync_status psn_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                              hrsync_conn **out)
{
  hrsync_conn *c = calloc(1, sizeof(*c));
  const char *base, *api;
  hrsync_status st;
  size_t n;
  *out = NULL;
  if(!c)
    return HRSYNC_E_NOMEM;
  c->hh.h = host;
  c->hh.ctx = ctx;
  c->total = -1;
  *out = c;
  st = hsp_need(&c->hh, "client_id", 1, c->client_id, sizeof(c->client_id));
  if(st == HRSYNC_OK)
    st = hsp_need(&c->hh, "client_secret", 1, c->client_secret,
                  sizeof(c->client_secret));
  if(st != HRSYNC_OK)
    return st;
  base = host->setting(ctx, "base_url");
  if(!base || !*base)
    base = "https://api.personio.de";
  if(strncmp(base, "http://", 7) && strncmp(base, "https://", 8))
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "settings.base_url: '%s' is not an http(s) URL",
                         base);
  n = strlen(base);
  while(n && base[n - 1] == '/')
    n--;
  if(n >= sizeof(c->base))
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "settings.base_url is too long");
  memcpy(c->base, base, n);
  c->base[n] = 0;
  api = host->setting(ctx, "api");
  if(api && *api && strcmp(api, "v1") && strcmp(api, "v2"))
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "settings.api: '%.32s' is not v1 or v2", api);
  c->v2 = api && !strcmp(api, "v2");
  return HRSYNC_OK;
}

static void psn_close(hrsync_conn *c)
{
  size_t i;
  if(!c)
    return;
  hsp_idset_free(&c->seen);
  json_object_put(c->units);
  for(i = 0; i < HSP_MANY_BATCH; i++)
    hsp_jdoc_free(c->docs[i]);
  if(c->pb)
    printbuf_free(c->pb);
  if(c->tpb)
    printbuf_free(c->tpb);
  hsp_wanted_free(&c->want);
  free(c->next_url);
  if(c->bearer)
    memset(c->bearer, 0, strlen(c->bearer));
  free(c->bearer);
  free(c->query);
  memset(c->client_secret, 0, sizeof(c->client_secret));
  memset(c->client_id, 0, sizeof(c->client_id));
  free(c);
}

/* Takes token (len bytes) as the bearer token, marking it secret. */
static hrsync_status set_token(hrsync_conn *c, const char *token, size_t len)
{
  char *b = malloc(len + 8);
  if(!b)
    return HRSYNC_E_NOMEM;
  memcpy(b, "Bearer ", 7);
  memcpy(b + 7, token, len);
  b[len + 7] = 0;
  c->hh.h->mark_secret(c->hh.ctx, b + 7);
  free(c->bearer);
  c->bearer = b;
  return HRSYNC_OK;
}

/* The v1 envelope {"success": false, "error": {"code", "message"}} can
** come with any status, 200 included. code may be 0 and message localised
** ("Es ist ein Problem aufgetreten"). */
static hrsync_status check_envelope(hrsync_conn *c, json_object *root,
                                    const char *what)
{
  json_object *ok = NULL, *code;
  const char *msg;
  long n = 0;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "success", &ok) ||
     !json_object_is_type(ok, json_type_boolean) ||
     json_object_get_boolean(ok))
    return HRSYNC_OK;
  code = hsp_json_path(root, "error.code");
  if(code)
    n = (long)json_object_get_int64(code);
  msg = json_object_get_string(hsp_json_path(root, "error.message"));
  return hrsync_errorf(c->hh.h, c->hh.ctx,
                       n == 401 || n == 403 ? HRSYNC_E_AUTH : HRSYNC_E_HTTP,
                       "%s: Personio error %ld: %s", what, n,
                       msg && *msg ? msg : "(no message)");
}

/* check_envelope on a flat answer: only a refusal (success false, rare)
** is turned into json-c to be read. */
static hrsync_status check_envelope_jv(hrsync_conn *c, const hsp_jv *root,
                                       const char *what)
{
  const hsp_jv *ok = hsp_jv_get(root, "success");
  json_object *tree;
  hrsync_status st;
  if(hsp_jv_kind(ok) != HSP_JV_BOOL || hsp_jv_bool(ok))
    return HRSYNC_OK;
  if(!(tree = hsp_jv_json(root)))
    return HRSYNC_E_NOMEM;
  st = check_envelope(c, tree, what);
  json_object_put(tree);
  return st;
}

/* A token request's answer, parsed. A refused credential request is an
** authentication failure whatever 4xx it comes with; 404 means the
** base_url is wrong, 429 a cool-down. */
static hrsync_status auth_answer(hrsync_conn *c,
                                 const hrsync_http_response *resp,
                                 const char *what, json_object **root)
{
  hrsync_status st = hsp_check_status(&c->hh, resp, what, NULL);
  if(st == HRSYNC_E_HTTP && resp->status >= 400 && resp->status < 500 &&
     resp->status != 404 && resp->status != 408 && resp->status != 429)
    st = HRSYNC_E_AUTH;
  if(st == HRSYNC_OK)
    st = hsp_parse_json(&c->hh, resp, what, root);
  return st;
}

/* Keeps the token at path of a token answer. */
static hrsync_status take_token(hrsync_conn *c, json_object *root,
                                const char *path, const char *what)
{
  json_object *tok = hsp_json_path(root, path);
  if(!json_object_is_type(tok, json_type_string) ||
     !json_object_get_string_len(tok))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: no %s in the answer", what, path);
  return set_token(c, json_object_get_string(tok),
                   (size_t)json_object_get_string_len(tok));
}

/* v2: POST /v2/auth/token, form-encoded client credentials (JSON is a
** 400 there) -> {"access_token", "token_type": "Bearer", ...}. The spec
** answers bad credentials with 400 (some mocks 401): either is a refusal. */
static hrsync_status psn_auth_v2(hrsync_conn *c)
{
  static const char what[] = "/v2/auth/token";
  const hrsync_kv headers[] = {
      {"Accept", "application/json"},
      {"Content-Type", "application/x-www-form-urlencoded"}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  json_object *root = NULL;
  char url[1100], body[2400];
  size_t len = 0;
  hrsync_status st;

  st = hsp_form_add(body, sizeof(body), &len, "grant_type",
                    "client_credentials");
  if(!st)
    st = hsp_form_add(body, sizeof(body), &len, "client_id", c->client_id);
  if(!st)
    st = hsp_form_add(body, sizeof(body), &len, "client_secret",
                      c->client_secret);
  if(st)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "%s: the client credentials are too long", what);
  st = hsp_url(&c->hh, url, sizeof(url), c->base, "/v2/auth/token");
  if(st != HRSYNC_OK)
    return st;
  hsp_request(&req, "POST", url, headers, 2);
  req.flags = HRSYNC_HTTP_SENSITIVE_BODY;
  req.body = body;
  req.body_len = len;
  st = c->hh.h->http(c->hh.ctx, &req, &resp);
  memset(body, 0, sizeof(body));
  if(st != HRSYNC_OK)
    return st;
  st = auth_answer(c, resp, what, &root);
  if(st == HRSYNC_OK)
    st = take_token(c, root, "access_token", what);
  json_object_put(root);
  return st;
}

hrsync_status psn_auth(hrsync_conn *c)
{
  static const char what[] = "/v1/auth";
  const hrsync_kv headers[] = {{"Accept", "application/json"},
                               {"Content-Type", "application/json"}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  json_object *body = json_object_new_object(), *root = NULL;
  char url[1100];
  const char *text;
  hrsync_status st;
  if(c->v2) {
    json_object_put(body);
    return psn_auth_v2(c);
  }
  if(!body)
    return HRSYNC_E_NOMEM;
  json_object_object_add(body, "client_id",
                         json_object_new_string(c->client_id));
  json_object_object_add(body, "client_secret",
                         json_object_new_string(c->client_secret));
  st = hsp_url(&c->hh, url, sizeof(url), c->base, "/v1/auth");
  if(st != HRSYNC_OK) {
    json_object_put(body);
    return st;
  }
  text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
  hsp_request(&req, "POST", url, headers, 2);
  req.flags = HRSYNC_HTTP_SENSITIVE_BODY;
  req.body = text;
  req.body_len = strlen(text);
  st = c->hh.h->http(c->hh.ctx, &req, &resp);
  json_object_put(body);
  if(st != HRSYNC_OK)
    return st;
  st = auth_answer(c, resp, what, &root);
  if(st == HRSYNC_OK) {
    st = check_envelope(c, root, what);
    if(st == HRSYNC_E_HTTP)
      st = HRSYNC_E_AUTH;
  }
  if(st == HRSYNC_OK)
    st = take_token(c, root, "data.token", what);
  json_object_put(root);
  return st;
}

/* Adopts the token of an "Authorization: Bearer <token>" response header
** when it differs from ours. */
static hrsync_status adopt_rotated(hrsync_conn *c,
                                   const hrsync_http_response *resp)
{
  const char *v = hrsync_response_header(resp, "Authorization");
  size_t n;
  if(!v)
    return HRSYNC_OK;
  while(*v == ' ')
    v++;
  if(!strncmp(v, "Bearer ", 7) || !strncmp(v, "bearer ", 7))
    v += 7;
  while(*v == ' ')
    v++;
  n = strlen(v);
  while(n && (v[n - 1] == ' ' || v[n - 1] == '\r'))
    n--;
  if(!n || (strlen(c->bearer + 7) == n && !memcmp(c->bearer + 7, v, n)))
    return HRSYNC_OK;
  return set_token(c, v, n);
}

/* adopt_rotated, and a token that changed marks one-time tokens: each
** allows one request, so no batch can share it (c->no_many). */
static hrsync_status adopt_noting(hrsync_conn *c,
                                  const hrsync_http_response *resp)
{
  char *before = c->bearer ? strdup(c->bearer) : NULL;
  hrsync_status st;
  if(c->bearer && !before)
    return HRSYNC_E_NOMEM;
  st = adopt_rotated(c, resp);
  if(st == HRSYNC_OK && before && c->bearer && strcmp(before, c->bearer))
    c->no_many = 1;
  free(before);
  return st;
}

hrsync_status psn_get(hrsync_conn *c, const char *path, const char *what,
                      json_object **out)
{
  char *url;
  size_t cap = strlen(c->base) + strlen(path) + 1;
  hrsync_status st;
  *out = NULL;
  url = malloc(cap);
  if(!url)
    return HRSYNC_E_NOMEM;
  memcpy(url, c->base, strlen(c->base));
  memcpy(url + strlen(c->base), path, strlen(path) + 1);
  st = psn_get_url(c, url, what, out);
  free(url);
  return st;
}

/* Where an answer's body goes: a json-c tree (*json) or, with doc, a
** flat document (its root in *root). */
typedef struct psn_sink {
  json_object **json;
  hsp_jdoc *doc;
  const hsp_jv **root;
} psn_sink;

/* The body parsed into out and its envelope checked; nothing kept on
** error. */
static hrsync_status take_body(hrsync_conn *c,
                               const hrsync_http_response *resp,
                               const char *what, const psn_sink *out)
{
  hrsync_status st;
  if(out->doc) {
    st = hsp_jdoc_parse(&c->hh, out->doc, what, resp->body, resp->body_len,
                        out->root);
    if(st == HRSYNC_OK &&
       (st = check_envelope_jv(c, *out->root, what)) != HRSYNC_OK)
      *out->root = NULL;
    return st;
  }
  st = hsp_parse_json(&c->hh, resp, what, out->json);
  if(st == HRSYNC_OK &&
     (st = check_envelope(c, *out->json, what)) != HRSYNC_OK) {
    json_object_put(*out->json);
    *out->json = NULL;
  }
  return st;
}

/* One answer taken: its status checked, a rotated token adopted, the body
** parsed into out. */
static hrsync_status take_answer(hrsync_conn *c,
                                 const hrsync_http_response *resp,
                                 const char *what, const psn_sink *out)
{
  hrsync_status st = hsp_check_status(&c->hh, resp, what, NULL);
  if(st == HRSYNC_OK)
    st = adopt_noting(c, resp);
  if(st == HRSYNC_OK)
    st = take_body(c, resp, what, out);
  return st;
}

static hrsync_status get_url(hrsync_conn *c, const char *url, const char *what,
                             const psn_sink *out, int first);

hrsync_status psn_get_many(hrsync_conn *c, const char *const *urls,
                           const char *const *whats, size_t n,
                           hsp_jdoc *const *docs, const hsp_jv **roots)
{
  hrsync_kv headers[3] = {{"Accept", "application/json"},
                          {"Authorization", NULL},
                          {"X-Personio-App-ID", "HRSYNC"}};
  const hrsync_http_response *resp[HSP_MANY_BATCH];
  psn_sink sinks[HSP_MANY_BATCH];
  hrsync_status st = HRSYNC_OK;
  size_t i, k = 0;
  for(i = 0; i < n; i++) {
    roots[i] = NULL;
    sinks[i].json = NULL;
    sinks[i].doc = docs[i];
    sinks[i].root = &roots[i];
  }
  if(!c->bearer)
    st = psn_auth(c);
  if(!st) {
    headers[1].value = c->bearer;
    st = hsp_many_get(&c->hh, urls, n, headers, 3, resp);
  }
  /* The answers in order, while the token holds; a refused or rotated
  ** token leaves the rest to get_url, one at a time, as without a
  ** batch. */
  for(; !st && k < n && resp[k]->status != 401 && !c->no_many; k++)
    st = take_answer(c, resp[k], whats[k], &sinks[k]);
  if(!st && k < n && !c->no_many) {
    st = get_url(c, urls[k], whats[k], &sinks[k], 1);
    k++;
  }
  for(; !st && k < n; k++)
    st = get_url(c, urls[k], whats[k], &sinks[k], 0);
  if(st)
    for(i = 0; i < n; i++)
      roots[i] = NULL;
  return st;
}

/* One GET of url into out, from attempt first: 1 when a batch already
** got this request's 401 (the token is dropped here, as after a first
** 401). */
static hrsync_status get_url(hrsync_conn *c, const char *url, const char *what,
                             const psn_sink *out, int first)
{
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  hrsync_status st = HRSYNC_OK;
  int attempt;
  if(first) {
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "%s: token refused (HTTP 401); authenticating again", what);
    free(c->bearer);
    c->bearer = NULL;
  }
  for(attempt = first; attempt < 2; attempt++) {
    /* X-Personio-App-ID names the customer's integration (one report has
    ** the attributes endpoint demanding it). X-Personio-Partner-ID is for
    ** marketplace partners only: a customer must not send it. */
    hrsync_kv headers[3] = {{"Accept", "application/json"},
                            {"Authorization", NULL},
                            {"X-Personio-App-ID", "HRSYNC"}};
    if(!c->bearer && (st = psn_auth(c)) != HRSYNC_OK)
      break;
    headers[1].value = c->bearer;
    hsp_request(&req, "GET", url, headers,
                sizeof(headers) / sizeof(headers[0]));
    st = c->hh.h->http(c->hh.ctx, &req, &resp);
    if(st != HRSYNC_OK)
      break;
    if(resp->status == 401 && attempt == 0) {
      /* Expired or revoked: one new token, one retry of this request. */
      hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                  "%s: token refused (HTTP 401); authenticating again", what);
      free(c->bearer);
      c->bearer = NULL;
      continue;
    }
    st = take_answer(c, resp, what, out);
    break;
  }
  return st;
}

hrsync_status psn_docs_ready(hrsync_conn *c)
{
  if(hsp_many_docs(c->docs))
    return HRSYNC_E_NOMEM;
  if(!c->pb && !(c->pb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  if(!c->tpb && !(c->tpb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

hrsync_status psn_get_jv(hrsync_conn *c, const char *url, const char *what,
                         hsp_jdoc *doc, const hsp_jv **root)
{
  psn_sink out = {NULL, doc, root};
  *root = NULL;
  return get_url(c, url, what, &out, 0);
}

hrsync_status psn_get_url(hrsync_conn *c, const char *url, const char *what,
                          json_object **out)
{
  psn_sink sink = {out, NULL, NULL};
  *out = NULL;
  return get_url(c, url, what, &sink, 0);
}

static hrsync_status psn_authenticate(hrsync_conn *c)
{
  /* v1's documented limit (SDK 1.4); v2's are undocumented, so the host
  ** paces v2 by its x-ratelimit-* headers alone. */
  if(!c->v2 && HRSYNC_HOST_HAS(c->hh.h, rate_limit))
    c->hh.h->rate_limit(c->hh.ctx, PSN_RATE_REQUESTS, PSN_RATE_SECONDS);
  return psn_auth(c);
}

static hrsync_status psn_fields_cb(hrsync_conn *c)
{
  return c->v2 ? psn_v2_list_fields(c) : psn_list_fields(c);
}

static hrsync_status psn_page_cb(hrsync_conn *c, int *has_more)
{
  return c->v2 ? psn_v2_next_page(c, has_more) : psn_next_page(c, has_more);
}

static const hrsync_connector descriptor = {
    HRSYNC_CONNECTOR_V1,          .name = "personio",
    .display_name = "Personio",   .version = "1.0.0",
    .settings = settings,         .open = psn_open,
    .close = psn_close,           .authenticate = psn_authenticate,
    .list_fields = psn_fields_cb, .next_page = psn_page_cb,
    .suggested_mapping = mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &descriptor : NULL;
}
