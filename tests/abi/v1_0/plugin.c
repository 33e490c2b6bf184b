/*
** hrsync-abi_v1_0: the Acme People template as it stood at ABI 1.0,
** frozen with that header (never edit either): the proof that a
** connector built then still loads and runs on the current engine.
**
** The API it speaks:
**   Authorization: Bearer <api_token>         on every request
**   GET /v1/fields        {"fields": [{"id": "email", "label": "Email",
**                                      "type": "email"}, ...]}
**   GET /v1/people?page=N {"people": [{"id": 17, "first_name": "Ada",
**                                      ...}, ...],
**                          "next_page": N+1 | null}
**
** Everything it needs from hrsync comes through the host table it is
** handed in open(): HTTP, settings, secrets, logging and the sinks for
** fields and records. It links json-c to parse bodies and nothing else.
*/
#include <hrsync/connector.h>

/* Added after 1.0: its presence means the wrong header was found. */
#ifdef HRSYNC_FIELD_SKIP_REASON
#error "built against the current SDK header, not the frozen 1.0 copy"
#endif

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pages past this are a server bug (a next_page that never ends). */
#define ACME_MAX_PAGES 100000

/* One connection. Allocated by open, freed by close; the host never
** touches it. */
struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
  char *base_url;    /* without a trailing slash */
  char *auth_header; /* "Bearer <token>"; a secret, never logged */
  long next_page;    /* the page next_page() fetches; 0 = done */
};

static const hrsync_setting_def acme_settings[] = {
    {"base_url", "Acme People API root", "https://api.acme-people.example", 0},
    {"api_token", "API token (Settings > API in Acme People)", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

/* What `hrsync init acme` proposes: stakeholder field -> Acme field. */
static const hrsync_kv acme_mapping[] = {{"hris_id", "id"},
                                         {"identifier", "employee_number"},
                                         {"first_name", "first_name"},
                                         {"last_name", "last_name"},
                                         {"email", "email"},
                                         {"start_date", "start_date"},
                                         {NULL, NULL}};

static char *acme_strdup(const char *s)
{
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if(d)
    memcpy(d, s, n);
  return d;
}

/* open: reads settings and secrets into a new connection. No request. */
static hrsync_status acme_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                               hrsync_conn **out)
{
  const char *base = host->setting(ctx, "base_url");
  const char *token = host->secret(ctx, "api_token");
  hrsync_conn *c;
  size_t n;

  *out = NULL;
  if(!base || !*base)
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "setting \"base_url\" is empty");
  if(!token || !*token)
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "secret \"api_token\" is missing");
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->host = host;
  c->ctx = ctx;
  c->next_page = 1;
  c->base_url = acme_strdup(base);
  n = strlen("Bearer ") + strlen(token) + 1;
  c->auth_header = malloc(n);
  if(!c->base_url || !c->auth_header) {
    free(c->base_url);
    free(c->auth_header);
    free(c);
    return HRSYNC_E_NOMEM;
  }
  n = strlen(c->base_url);
  while(n && c->base_url[n - 1] == '/')
    c->base_url[--n] = 0;
  strcpy(c->auth_header, "Bearer ");
  strcat(c->auth_header, token);
  *out = c;
  return HRSYNC_OK;
}

/* close: frees what open made. NULL-safe, as the header requires. */
static void acme_close(hrsync_conn *c)
{
  if(!c)
    return;
  free(c->base_url);
  free(c->auth_header);
  free(c);
}

/* GETs base_url + path and parses the JSON body into *json (the caller
** puts it). 401/403 become HRSYNC_E_AUTH, any other non-200 HRSYNC_E_HTTP,
** an unparsable body HRSYNC_E_PARSE, each with a detail naming the path.
** The host has already retried 429 and 5xx gateway errors. */
static hrsync_status acme_get(hrsync_conn *c, const char *path,
                              json_object **json)
{
  const hrsync_http_response *resp = NULL;
  hrsync_kv headers[1] = {{"Authorization", c->auth_header}};
  hrsync_http_request req;
  json_tokener *tok;
  enum json_tokener_error jerr;
  hrsync_status st;
  char url[2048];
  size_t n = strlen(c->base_url) + strlen(path);

  *json = NULL;
  if(n >= sizeof(url))
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_CONFIG,
                         "base_url is too long");
  memcpy(url, c->base_url, strlen(c->base_url) + 1);
  strcat(url, path);

  memset(&req, 0, sizeof(req));
  req.struct_size = sizeof(req);
  req.method = "GET";
  req.url = url;
  req.headers = headers;
  req.n_headers = 1;
  st = c->host->http(c->ctx, &req, &resp);
  if(st != HRSYNC_OK)
    return st; /* the host has set the detail */

  if(resp->status == 401 || resp->status == 403)
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_AUTH,
                         "GET %s: HTTP %u: the API token was refused", path,
                         (unsigned)resp->status);
  if(resp->status != 200)
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_HTTP, "GET %s: HTTP %u",
                         path, (unsigned)resp->status);

  /* json_tokener rather than json_tokener_parse: a body cut short must be
  ** an error, not "incomplete, call me again". */
  tok = json_tokener_new();
  if(!tok)
    return HRSYNC_E_NOMEM;
  *json = json_tokener_parse_ex(tok, resp->body, (int)resp->body_len);
  jerr = json_tokener_get_error(tok);
  json_tokener_free(tok);
  if(!*json || jerr != json_tokener_success) {
    json_object_put(*json);
    *json = NULL;
    return hrsync_errorf(
        c->host, c->ctx, HRSYNC_E_PARSE, "GET %s: body is not JSON (%s)", path,
        jerr == json_tokener_success    ? "empty"
        : jerr == json_tokener_continue ? "it ends too early"
                                        : json_tokener_error_desc(jerr));
  }
  return HRSYNC_OK;
}

/* authenticate: one cheap request that needs the token. */
static hrsync_status acme_authenticate(hrsync_conn *c)
{
  json_object *json;
  hrsync_status st = acme_get(c, "/v1/fields", &json);
  json_object_put(json);
  return st;
}

static uint32_t acme_type(const char *t)
{
  static const struct {
    const char *name;
    uint32_t type;
  } types[] = {{"date", HRSYNC_FIELD_DATE},
               {"email", HRSYNC_FIELD_EMAIL},
               {"number", HRSYNC_FIELD_NUMBER},
               {"list", HRSYNC_FIELD_LIST},
               {"bool", HRSYNC_FIELD_BOOL}};
  size_t i;
  for(i = 0; t && i < sizeof(types) / sizeof(types[0]); i++)
    if(!strcmp(t, types[i].name))
      return types[i].type;
  return HRSYNC_FIELD_TEXT; /* unknown types read fine as text */
}

/* list_fields: one host->field call per field of GET /v1/fields. */
static hrsync_status acme_list_fields(hrsync_conn *c)
{
  json_object *json, *fields, *f, *v;
  hrsync_status st = acme_get(c, "/v1/fields", &json);
  size_t i, n;

  if(st != HRSYNC_OK)
    return st;
  if(!json_object_object_get_ex(json, "fields", &fields) ||
     !json_object_is_type(fields, json_type_array)) {
    json_object_put(json);
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                         "GET /v1/fields: no \"fields\" array");
  }
  n = json_object_array_length(fields);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    hrsync_field_def def;
    memset(&def, 0, sizeof(def));
    def.struct_size = sizeof(def);
    f = json_object_array_get_idx(fields, i);
    if(json_object_object_get_ex(f, "id", &v))
      def.id = json_object_get_string(v);
    if(!def.id || !*def.id) {
      st = hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                         "GET /v1/fields: field %zu has no id", i);
      break;
    }
    if(json_object_object_get_ex(f, "label", &v))
      def.label = json_object_get_string(v);
    if(json_object_object_get_ex(f, "type", &v))
      def.type = acme_type(json_object_get_string(v));
    st = c->host->field(c->ctx, &def); /* the host copies def */
  }
  json_object_put(json);
  return st;
}

/* Emits one person. Scalars become strings, null becomes NULL (sent
** empty); nested objects are not fields of Acme's schema and are left
** out. */
static hrsync_status acme_emit_person(hrsync_conn *c, json_object *person,
                                      long page, size_t index)
{
  json_object *id;
  hrsync_status st;
  const char *hris_id;

  if(!json_object_is_type(person, json_type_object) ||
     !json_object_object_get_ex(person, "id", &id) ||
     json_object_is_type(id, json_type_null) ||
     !*(hris_id = json_object_get_string(id)))
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                         "page %ld, person %zu: no \"id\"", page, index);
  st = c->host->record_begin(c->ctx, hris_id);
  if(st != HRSYNC_OK)
    return st;
  json_object_object_foreach(person, key, val)
  {
    enum json_type t = json_object_get_type(val);
    if(t == json_type_object || t == json_type_array)
      continue;
    st = c->host->record_set(
        c->ctx, key, t == json_type_null ? NULL : json_object_get_string(val));
    if(st != HRSYNC_OK)
      return st;
  }
  return c->host->record_end(c->ctx);
}

/* next_page: fetches page c->next_page, emits its people, and follows
** "next_page" until it is null. */
static hrsync_status acme_next_page(hrsync_conn *c, int *has_more)
{
  json_object *json, *people, *next;
  char path[64];
  long page = c->next_page;
  hrsync_status st;
  size_t i, n;

  *has_more = 0;
  if(page <= 0)
    return HRSYNC_OK; /* called again after the last page */
  snprintf(path, sizeof(path), "/v1/people?page=%ld", page);
  st = acme_get(c, path, &json);
  if(st != HRSYNC_OK)
    return st;
  if(!json_object_object_get_ex(json, "people", &people) ||
     !json_object_is_type(people, json_type_array)) {
    json_object_put(json);
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                         "GET %s: no \"people\" array", path);
  }
  n = json_object_array_length(people);
  for(i = 0; i < n; i++) {
    st = acme_emit_person(c, json_object_array_get_idx(people, i), page, i);
    if(st != HRSYNC_OK) {
      json_object_put(json);
      return st;
    }
  }
  c->next_page = 0;
  if(json_object_object_get_ex(json, "next_page", &next) &&
     !json_object_is_type(next, json_type_null)) {
    long np = (long)json_object_get_int64(next);
    /* A next_page that does not move forward would loop for ever. */
    if(np <= page || np > ACME_MAX_PAGES) {
      json_object_put(json);
      return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                           "GET %s: next_page %ld does not follow page %ld",
                           path, np, page);
    }
    c->next_page = np;
  }
  json_object_put(json);
  *has_more = c->next_page > 0;
  return HRSYNC_OK;
}

static const hrsync_connector acme_connector = {
    HRSYNC_CONNECTOR_V1,
    .name = "abi_v1_0",
    .display_name = "Acme People (ABI 1.0)",
    .version = "0.1.0",
    .settings = acme_settings,
    .open = acme_open,
    .close = acme_close,
    .authenticate = acme_authenticate,
    .list_fields = acme_list_fields,
    .next_page = acme_next_page,
    .suggested_mapping = acme_mapping,
};

/* The one exported symbol. Refuses a host of another ABI major. */
HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor; /* any 1.x host can drive a 1.0 connector */
  if(host_abi_major != HRSYNC_ABI_MAJOR)
    return NULL;
  return &acme_connector;
}
