/*
** HiBob connector: descriptor, connection, requests.
**
** HiBob authenticates a service user with pre-emptive HTTP Basic
** (service user id : token). Repeated 401s get the caller blocked by
** HiBob's WAF, so an auth failure ends the run at once (the host never
** retries a 401 either).
*/
#include "hibob.h"

#include <stdlib.h>
#include <string.h>

static const hrsync_setting_def hb_settings[] = {
    {"base_url", "HiBob API root (/v1/... is appended)",
     "https://api.hibob.com", 0},
    {"service_user_id", "Service user ID (Settings > Integrations)", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {"token", "Service user token", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

static const hrsync_kv hb_mapping[] = {
    {"hris_id", "root.id"},
    {"identifier", "work.employeeIdInCompany"},
    {"first_name", "root.firstName"},
    {"last_name", "root.surname"},
    {"email", "root.email"},
    {"phone", "home.mobilePhone"},
    {"address_line1", "address.line1"},
    {"address_line2", "address.line2"},
    {"city", "address.city"},
    {"postal_code", "address.postCode"},
    {"country", "address.country"},
    {"birth_date", "personal.birthDate"},
    {"nationality", "personal.nationality"},
    {"start_date", "work.startDate"},
    {"termination_date", "internal.terminationDate"},
    {NULL, NULL}};

/* hb_send and hb_send_stream: a 2xx body goes to chunk(arg) when chunk
** is not NULL, else stays in *resp. */
static hrsync_status request(hrsync_conn *c, const char *method,
                             const char *path, const char *body,
                             hsp_chunk_fn chunk, void *arg,
                             const hrsync_http_response **resp)
{
  char url[1024], what[160];
  hrsync_kv headers[2] = {{"Accept", "application/json"},
                          {"Content-Type", "application/json"}};
  hrsync_http_request req;
  hrsync_status st;

  *resp = NULL;
  st = hsp_url(&c->hh, url, sizeof(url), c->base, "%s", path);
  if(st)
    return st;
  /* Errors name the path, not its query. */
  snprintf(what, sizeof(what), "%s %.*s", method, (int)strcspn(path, "?"),
           path);
  hsp_request(&req, method, url, headers, body ? 2 : 1);
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  req.basic_user = c->user;
  req.basic_password = c->token;
  st = chunk ? hsp_send_streamed(&c->hh, &req, chunk, arg, resp)
             : c->hh.h->http(c->hh.ctx, &req, resp);
  if(!st)
    st = hsp_check_status(&c->hh, *resp, what, NULL);
  return st;
}

hrsync_status hb_send(hrsync_conn *c, const char *method, const char *path,
                      const char *body, const hrsync_http_response **resp)
{
  return request(c, method, path, body, NULL, NULL, resp);
}

hrsync_status hb_send_stream(hrsync_conn *c, const char *method,
                             const char *path, const char *body,
                             hsp_chunk_fn chunk, void *arg)
{
  const hrsync_http_response *resp;
  return request(c, method, path, body, chunk, arg, &resp);
}

hrsync_status hb_call(hrsync_conn *c, const char *method, const char *path,
                      const char *body, json_object **out)
{
  const hrsync_http_response *resp;
  char what[160];
  hrsync_status st = hb_send(c, method, path, body, &resp);
  *out = NULL;
  if(st)
    return st;
  /* Errors name the path, not its query. */
  snprintf(what, sizeof(what), "%s %.*s", method, (int)strcspn(path, "?"),
           path);
  return hsp_parse_json(&c->hh, resp, what, out);
}

static void hb_close(hrsync_conn *c)
{
  if(!c)
    return;
  hb_schema_free(c);
  /* The token should not linger in freed memory. */
  memset(c->token, 0, sizeof(c->token));
  free(c);
}

static hrsync_status hb_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hsp_host hh = {host, ctx};
  hrsync_conn *c;
  hrsync_status st;
  size_t n;

  *out = NULL;
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->hh = hh;
  st = hsp_need(&hh, "base_url", 0, c->base, sizeof(c->base));
  if(!st && strncmp(c->base, "http://", 7) && strncmp(c->base, "https://", 8))
    st = hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                       "settings.base_url must start with https:// "
                       "(or http://)");
  if(!st)
    st = hsp_need(&hh, "service_user_id", 1, c->user, sizeof(c->user));
  if(!st)
    st = hsp_need(&hh, "token", 1, c->token, sizeof(c->token));
  if(st) {
    hb_close(c);
    return st;
  }
  /* The notes' base is https://api.hibob.com/v1; accept it as well as
  ** the host alone, since every path here starts with /v1. */
  n = strlen(c->base);
  while(n && c->base[n - 1] == '/')
    c->base[--n] = 0;
  if(n >= 3 && !strcmp(c->base + n - 3, "/v1"))
    c->base[n - 3] = 0;
  *out = c;
  return HRSYNC_OK;
}

/* The field metadata checks the credentials and is kept for list_fields
** and the roster; but it needs no permission, so a one-field search
** proves the roster can be read (one of the 50 searches a minute). */
static hrsync_status hb_authenticate(hrsync_conn *c)
{
  hrsync_status st;
  /* The documented limit is on /people/search (50 a minute); a run makes
  ** a few requests of any kind, so pacing them all by it costs nothing
  ** and keeps a run started right after another clear of 429s. */
  if(HRSYNC_HOST_HAS(c->hh.h, rate_limit))
    c->hh.h->rate_limit(c->hh.ctx, HB_RATE_REQUESTS, HB_RATE_SECONDS);
  st = hb_schema_load(c);
  return st ? st : hb_probe_roster(c);
}

static const hrsync_connector hb_connector = {
    HRSYNC_CONNECTOR_V1,
    .name = "hibob",
    .display_name = "HiBob",
    .version = "1.0.0",
    .settings = hb_settings,
    .open = hb_open,
    .close = hb_close,
    .authenticate = hb_authenticate,
    .list_fields = hb_list_fields,
    .next_page = hb_next_page,
    .suggested_mapping = hb_mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &hb_connector : NULL;
}
