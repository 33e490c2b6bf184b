/*
** BambooHR connector: descriptor, settings, credentials and the one
** request helper every call goes through.
**
** Auth is an API key sent pre-emptively as HTTP Basic "<key>:x": BambooHR
** counts unauthenticated requests against the rate limit, so waiting for a
** challenge would cost a request each time.
*/
#include "bamboohr.h"

#include <json-c/printbuf.h>
#include <stdlib.h>
#include <string.h>

static const hrsync_setting_def settings[] = {
    {"subdomain", "Company subdomain: acme for acme.bamboohr.com", NULL,
     HRSYNC_SETTING_REQUIRED},
    {"base_url",
     "API base: the gateway (.../gateway.php, the subdomain is appended) "
     "or the company's API root, e.g. https://acme.bamboohr.com/api",
     "https://api.bamboohr.com/api/gateway.php", 0},
    {"roster",
     "How employees are read: custom_report (one request) or dataset "
     "(paged, POST /v2/datasets/employee/data, the dataset's own field "
     "names; classic aliases that mean the same are translated)",
     "custom_report", 0},
    {"api_key", "API key of a BambooHR user who can see the synced fields",
     NULL, HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

static const hrsync_kv mapping[] = {{"hris_id", "id"},
                                    {"identifier", "employeeNumber"},
                                    {"first_name", "firstName"},
                                    {"last_name", "lastName"},
                                    {"email", "workEmail"},
                                    {"phone", "mobilePhone"},
                                    {"address_line1", "address1"},
                                    {"address_line2", "address2"},
                                    {"city", "city"},
                                    {"postal_code", "zipcode"},
                                    {"region", "state"},
                                    {"country", "country"},
                                    {"birth_date", "dateOfBirth"},
                                    {"nationality", "nationality"},
                                    {"start_date", "hireDate"},
                                    {"termination_date", "terminationDate"},
                                    {NULL, NULL}};

/* True when s ends with suffix. */
static int ends_with(const char *s, size_t n, const char *suffix)
{
  size_t m = strlen(suffix);
  return n >= m && !memcmp(s + n - m, suffix, m);
}

/* The API root every path is appended to: the gateway gets the company's
** subdomain, a company API root is used as it is. */
static hrsync_status set_root(hrsync_conn *c, const char *base,
                              const char *subdomain)
{
  size_t n = strlen(base);
  const char *p;
  for(p = subdomain; *p; p++)
    if(!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
         (*p >= '0' && *p <= '9') || *p == '-'))
      return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                           "settings.subdomain: '%s' is not a BambooHR "
                           "subdomain (letters, digits and '-' only)",
                           subdomain);
  if(strncmp(base, "http://", 7) && strncmp(base, "https://", 8))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.base_url: '%s' is not an http(s) URL",
                         base);
  while(n && base[n - 1] == '/')
    n--;
  if(ends_with(base, n, "gateway.php"))
    return hsp_url(&c->hh, c->root, sizeof(c->root), base, "/%s", subdomain);
  return hsp_url(&c->hh, c->root, sizeof(c->root), base, "%s", "");
}

static hrsync_status bhr_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                              hrsync_conn **out)
{
  hrsync_conn *c = calloc(1, sizeof(*c));
  char subdomain[128];
  const char *base, *roster;
  hrsync_status st;
  *out = NULL;
  if(!c)
    return HRSYNC_E_NOMEM;
  c->hh.h = host;
  c->hh.ctx = ctx;
  *out = c;
  if(!(c->pb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  st = hsp_need(&c->hh, "subdomain", 0, subdomain, sizeof(subdomain));
  if(st == HRSYNC_OK)
    st = hsp_need(&c->hh, "api_key", 1, c->api_key, sizeof(c->api_key));
  if(st != HRSYNC_OK)
    return st;
  base = host->setting(ctx, "base_url");
  if(!base || !*base)
    base = "https://api.bamboohr.com/api/gateway.php";
  st = set_root(c, base, subdomain);
  if(st != HRSYNC_OK)
    return st;
  roster = host->setting(ctx, "roster");
  if(!roster || !*roster || !strcmp(roster, "custom_report"))
    c->roster = BHR_ROSTER_CUSTOM_REPORT;
  else if(!strcmp(roster, "dataset"))
    c->roster = BHR_ROSTER_DATASET;
  else
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "settings.roster: unknown value '%s' (expected "
                         "custom_report or dataset)",
                         roster);
  return HRSYNC_OK;
}

static void bhr_close(hrsync_conn *c)
{
  if(!c)
    return;
  hsp_idset_free(&c->seen);
  json_object_put(c->meta);
  json_object_put(c->ds_names);
  json_object_put(c->ds_plan);
  json_object_put(c->withheld);
  hsp_jdoc_free(c->doc);
  printbuf_free(c->pb);
  /* The key is a secret: do not leave it in freed memory. */
  memset(c->api_key, 0, sizeof(c->api_key));
  free(c);
}

/* True when the body's first non-blank character opens an XML document:
** BambooHR answers XML whenever it did not honour the Accept header. */
static int looks_like_xml(const hrsync_http_response *resp)
{
  size_t i;
  for(i = 0; i < resp->body_len; i++)
    if(!strchr(" \t\r\n", resp->body[i]))
      return resp->body[i] == '<';
  return 0;
}

/* A streamed body's reader: BambooHR's XML (an ignored Accept header)
** named as such at its first byte, the rest fed to the JSON parser. */
typedef struct xml_sniff {
  hrsync_conn *c;
  const char *what;
  hsp_chunk_fn chunk;
  void *arg;
  int checked;
} xml_sniff;

static hrsync_status sniff_chunk(void *arg, const char *data, size_t len)
{
  xml_sniff *x = arg;
  size_t i;
  for(i = 0; !x->checked && i < len; i++) {
    if(strchr(" \t\r\n", data[i]) && data[i])
      continue;
    x->checked = 1;
    if(data[i] == '<')
      return hrsync_errorf(x->c->hh.h, x->c->hh.ctx, HRSYNC_E_PARSE,
                           "%s: expected JSON, got XML (Accept header "
                           "ignored?)",
                           x->what);
  }
  return x->chunk(x->arg, data, len);
}

/* send and bhr_send_stream: a 2xx body goes to chunk(arg) when chunk is
** not NULL (checked for XML on the way), else stays in *out. */
static hrsync_status request(hrsync_conn *c, const char *method,
                             const char *path, const char *body,
                             const char *what, hsp_chunk_fn chunk, void *arg,
                             const hrsync_http_response **out, int quiet_404)
{
  const hrsync_kv with_body[] = {{"Accept", "application/json"},
                                 /* Exactly this: "; charset=UTF-8" makes
                                 ** the custom report parse the body as
                                 ** XML and answer 400 Malformed XML. */
                                 {"Content-Type", "application/json"}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  xml_sniff x = {c, what, chunk, arg, 0};
  char url[2048];
  hrsync_status st;
  *out = NULL;
  st = hsp_url(&c->hh, url, sizeof(url), c->root, "%s", path);
  if(st != HRSYNC_OK)
    return st;
  hsp_request(&req, method, url, with_body, body ? 2 : 1);
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  req.basic_user = c->api_key;
  req.basic_password = "x";
  c->status = 0;
  st = chunk ? hsp_send_streamed(&c->hh, &req, sniff_chunk, &x, &resp)
             : c->hh.h->http(c->hh.ctx, &req, &resp);
  if(st != HRSYNC_OK)
    return st;
  c->status = resp->status;
  if(quiet_404 && resp->status == 404)
    return HRSYNC_E_HTTP;
  st = hsp_check_status(&c->hh, resp, what, "X-BambooHR-Error-Message");
  if(st != HRSYNC_OK)
    return st;
  if(!chunk && looks_like_xml(resp))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: expected JSON, got XML (Accept header "
                         "ignored?)",
                         what);
  *out = resp;
  return HRSYNC_OK;
}

static hrsync_status send(hrsync_conn *c, const char *method, const char *path,
                          const char *body, const char *what,
                          const hrsync_http_response **out, int quiet_404)
{
  return request(c, method, path, body, what, NULL, NULL, out, quiet_404);
}

hrsync_status bhr_send_stream(hrsync_conn *c, const char *method,
                              const char *path, const char *body,
                              const char *what, hsp_chunk_fn chunk, void *arg)
{
  const hrsync_http_response *resp;
  return request(c, method, path, body, what, chunk, arg, &resp, 0);
}

hrsync_status bhr_send(hrsync_conn *c, const char *method, const char *path,
                       const char *body, const char *what,
                       const hrsync_http_response **out)
{
  return send(c, method, path, body, what, out, 0);
}

static hrsync_status call(hrsync_conn *c, const char *method, const char *path,
                          const char *body, const char *what,
                          json_object **out, int quiet_404)
{
  const hrsync_http_response *resp;
  hrsync_status st = send(c, method, path, body, what, &resp, quiet_404);
  *out = NULL;
  if(st != HRSYNC_OK)
    return st;
  return hsp_parse_json(&c->hh, resp, what, out);
}

hrsync_status bhr_call(hrsync_conn *c, const char *method, const char *path,
                       const char *body, const char *what, json_object **out)
{
  return call(c, method, path, body, what, out, 0);
}

hrsync_status bhr_call_jv(hrsync_conn *c, const char *method, const char *path,
                          const char *body, const char *what, int quiet_404,
                          const hsp_jv **out)
{
  const hrsync_http_response *resp;
  hrsync_status st = send(c, method, path, body, what, &resp, quiet_404);
  *out = NULL;
  if(st != HRSYNC_OK)
    return st;
  if(!c->doc && !(c->doc = hsp_jdoc_new()))
    return HRSYNC_E_NOMEM;
  return hsp_jdoc_parse(&c->hh, c->doc, what, resp->body, resp->body_len, out);
}

hrsync_status bhr_call_or_404(hrsync_conn *c, const char *method,
                              const char *path, const char *body,
                              const char *what, json_object **out)
{
  return call(c, method, path, body, what, out, 1);
}

/* A call that needs a valid key and that every BambooHR plan serves: the
** field list (the dataset's own in dataset mode). The host usually asks
** for the schema next, so the answer is kept for list_fields instead of
** being fetched twice. */
static hrsync_status bhr_authenticate(hrsync_conn *c)
{
  json_object *root = NULL;
  hrsync_status st;
  if(c->roster == BHR_ROSTER_DATASET)
    return bhr_dataset_load(c);
  st = bhr_call(c, "GET", "/v1/meta/fields", NULL, "/v1/meta/fields", &root);
  json_object_put(c->meta);
  c->meta = st == HRSYNC_OK ? root : NULL;
  if(st != HRSYNC_OK)
    json_object_put(root);
  return st;
}

static hrsync_status bhr_fields_cb(hrsync_conn *c)
{
  return bhr_list_fields(c);
}

static hrsync_status bhr_page_cb(hrsync_conn *c, int *has_more)
{
  return bhr_next_page(c, has_more);
}

static const hrsync_connector descriptor = {
    HRSYNC_CONNECTOR_V1,          .name = "bamboohr",
    .display_name = "BambooHR",   .version = "1.0.0",
    .settings = settings,         .open = bhr_open,
    .close = bhr_close,           .authenticate = bhr_authenticate,
    .list_fields = bhr_fields_cb, .next_page = bhr_page_cb,
    .suggested_mapping = mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &descriptor : NULL;
}
