/*
** Lucca connector: descriptor, connection, requests.
**
** The legacy v3 API authenticates with an API key in the header
** "Authorization: lucca application=<key>". settings.api = "lucca-api"
** selects the new Lucca API instead (api.c): OAuth client credentials. The
*tenant is a host of its
** own, https://<account>.ilucca.net, so the connector takes either the
** account name (instance) or a full base_url (which wins).
*/
#include "lucca.h"

#include <json-c/printbuf.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const hrsync_setting_def lc_settings[] = {
    {"instance", "Lucca account: <account> in https://<account>.ilucca.net",
     NULL, 0},
    {"base_url", "Full tenant URL instead of instance (wins when set)", NULL,
     0},
    {"api_key",
     "API key (its role must see former employees); with api lucca-api, "
     "the OAuth client secret",
     NULL, HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {"api", "v3 (legacy directory, default) or lucca-api (the new API)", "v3",
     0},
    {"client_id", "lucca-api: the OAuth client id of the integration key",
     NULL, 0},
    {"token_url",
     "lucca-api: the OAuth token endpoint (default " LC_TOKEN_URL
     "; its path is uncertain)",
     NULL, 0},
    {NULL, NULL, NULL, 0}};

/* displayName is "Last First": names come from firstName/lastName. */
static const hrsync_kv lc_mapping[] = {{"hris_id", "id"},
                                       {"identifier", "employeeNumber"},
                                       {"first_name", "firstName"},
                                       {"last_name", "lastName"},
                                       {"email", "mail"},
                                       {"phone", "directLine"},
                                       {"address_line1", "address"},
                                       {"birth_date", "birthDate"},
                                       {"start_date", "dtContractStart"},
                                       {"termination_date", "dtContractEnd"},
                                       {NULL, NULL}};

/* The GET of base + path_and_query that every Lucca read is. url and
** headers are the caller's, for req's life. */
static hrsync_status get_request(hrsync_conn *c, const char *path_and_query,
                                 char *url, size_t cap, hrsync_kv headers[2],
                                 hrsync_http_request *req)
{
  hrsync_status st = hsp_url(&c->hh, url, cap, c->base, "%s", path_and_query);
  headers[0].name = "Accept";
  headers[0].value = "application/json";
  headers[1].name = "Authorization";
  headers[1].value = c->auth;
  if(!st)
    hsp_request(req, "GET", url, headers, 2);
  return st;
}

hrsync_status lc_get(hrsync_conn *c, const char *path_and_query,
                     const char *what, json_object **out)
{
  char url[2048];
  hrsync_kv headers[2];
  hrsync_http_request req;
  hrsync_status st;
  *out = NULL;
  st = get_request(c, path_and_query, url, sizeof(url), headers, &req);
  return st ? st : hsp_call_json(&c->hh, &req, what, out);
}

hrsync_status lc_get_jv(hrsync_conn *c, const char *path_and_query,
                        const char *what, hsp_jdoc *doc, const hsp_jv **root)
{
  char url[2048];
  hrsync_kv headers[2];
  hrsync_http_request req;
  hrsync_status st;
  *root = NULL;
  st = get_request(c, path_and_query, url, sizeof(url), headers, &req);
  return st ? st : hsp_call_jv(&c->hh, &req, what, doc, root);
}

hrsync_status lc_docs_ready(hrsync_conn *c)
{
  if(hsp_many_docs(c->docs))
    return HRSYNC_E_NOMEM;
  if(!c->pb && !(c->pb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  if(!c->tpb && !(c->tpb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

/* lc_items' refusal: the member that is not there (data, or 1 for
** data.items). */
static hrsync_status items_refused(hrsync_conn *c, const char *what, int inner)
{
  return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       inner ? "%s: \"data.items\" is missing or not an array"
                             : "%s: \"data\" is missing or not an object",
                       what);
}

hrsync_status lc_items(hrsync_conn *c, json_object *root, const char *what,
                       json_object **items)
{
  json_object *data;
  *items = NULL;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "data", &data) ||
     !json_object_is_type(data, json_type_object))
    return items_refused(c, what, 0);
  if(!json_object_object_get_ex(data, "items", items) ||
     !json_object_is_type(*items, json_type_array)) {
    *items = NULL;
    return items_refused(c, what, 1);
  }
  return HRSYNC_OK;
}

hrsync_status lc_items_jv(hrsync_conn *c, const hsp_jv *root, const char *what,
                          const hsp_jv **items)
{
  const hsp_jv *data = hsp_jv_get(root, "data");
  *items = NULL;
  if(hsp_jv_kind(data) != HSP_JV_OBJECT)
    return items_refused(c, what, 0);
  *items = hsp_jv_get(data, "items");
  if(hsp_jv_kind(*items) != HSP_JV_ARRAY) {
    *items = NULL;
    return items_refused(c, what, 1);
  }
  return HRSYNC_OK;
}

/* An account name goes into a host name: letters, digits, '-' only. */
static int valid_account(const char *s)
{
  if(!*s)
    return 0;
  for(; *s; s++)
    if(!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
         (*s >= '0' && *s <= '9') || *s == '-'))
      return 0;
  return 1;
}

/* The tenant URL: base_url when set, else https://<instance>.ilucca.net. */
static hrsync_status lc_base(hrsync_conn *c)
{
  const hrsync_host *h = c->hh.h;
  const char *base = h->setting(c->hh.ctx, "base_url");
  const char *inst = h->setting(c->hh.ctx, "instance");
  int n;
  if(base && *base) {
    if(strncmp(base, "http://", 7) && strncmp(base, "https://", 8))
      return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                           "settings.base_url must start with https:// "
                           "(or http://)");
    n = snprintf(c->base, sizeof(c->base), "%s", base);
  }
  else if(inst && *inst) {
    if(!valid_account(inst))
      return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                           "settings.instance \"%.64s\" is not a Lucca "
                           "account name (letters, digits and '-' only)",
                           inst);
    n = snprintf(c->base, sizeof(c->base), "https://%s.ilucca.net", inst);
  }
  else
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.instance or settings.base_url must be "
                         "set (the account of https://<account>.ilucca.net)");
  if(n < 0 || (size_t)n >= sizeof(c->base))
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.base_url is too long");
  return HRSYNC_OK;
}

static hrsync_status lc_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hsp_host hh = {host, ctx};
  char key[1024];
  hrsync_conn *c;
  hrsync_status st;
  time_t now = time(NULL);
  struct tm tm;

  *out = NULL;
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->hh = hh;
  c->total = -1;
  st = lc_base(c);
  if(!st)
    st = hsp_need(&hh, "api_key", 1, key, sizeof(key));
  if(st) {
    free(c);
    return st;
  }
  if(!st)
    st = lc_api_choose(c, key);
  if(st) {
    memset(key, 0, sizeof(key));
    free(c);
    return st;
  }
  if(!c->new_api)
    snprintf(c->auth, sizeof(c->auth), "lucca application=%s", key);
  memset(key, 0, sizeof(key));
  /* The derived status compares contract dates with today (UTC). */
  gmtime_r(&now, &tm);
  strftime(c->today, sizeof(c->today), "%Y-%m-%d", &tm);
  *out = c;
  return HRSYNC_OK;
}

static void lc_close(hrsync_conn *c)
{
  size_t i;
  if(!c)
    return;
  memset(c->auth, 0, sizeof(c->auth));
  memset(c->secret, 0, sizeof(c->secret));
  free(c->next_url);
  for(i = 0; i < HSP_MANY_BATCH; i++)
    hsp_jdoc_free(c->docs[i]);
  if(c->pb)
    printbuf_free(c->pb);
  if(c->tpb)
    printbuf_free(c->tpb);
  lc_acc_free(&c->ext);
  json_object_put(c->nationalities);
  json_object_put(c->ext_labels);
  hsp_wanted_free(&c->want);
  free(c);
}

/* One user's id: the cheapest read that proves the key. */
static hrsync_status lc_authenticate(hrsync_conn *c)
{
  static const char what[] = "GET " LC_USERS " (authenticate)";
  json_object *root, *items;
  hrsync_status st;
  if(HRSYNC_HOST_HAS(c->hh.h, rate_limit))
    c->hh.h->rate_limit(c->hh.ctx, LC_RATE_REQUESTS, LC_RATE_SECONDS);
  if(c->new_api)
    return lc_api_authenticate(c);
  st = lc_get(c, LC_USERS "?fields=id&paging=0,1", what, &root);
  if(!st)
    st = lc_items(c, root, what, &items);
  json_object_put(root);
  return st;
}

static hrsync_status lc_fields_cb(hrsync_conn *c)
{
  return c->new_api ? lc_api_list_fields(c) : lc_list_fields(c);
}

static hrsync_status lc_page_cb(hrsync_conn *c, int *has_more)
{
  return c->new_api ? lc_api_next_page(c, has_more)
                    : lc_next_page(c, has_more);
}

static const hrsync_connector lc_connector = {
    HRSYNC_CONNECTOR_V1,
    .name = "lucca",
    .display_name = "Lucca",
    .version = "1.0.0",
    .settings = lc_settings,
    .open = lc_open,
    .close = lc_close,
    .authenticate = lc_authenticate,
    .list_fields = lc_fields_cb,
    .next_page = lc_page_cb,
    .suggested_mapping = lc_mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &lc_connector : NULL;
}
