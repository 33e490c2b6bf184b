/*
** The new Lucca API (settings.api = "lucca-api"; the v3 directory stays
** the default while Lucca still serves it).
**
**   - OAuth2 client credentials: POST <token_url> (form-encoded
**     grant_type=client_credentials, client_id, client_secret; the secret
**     is the api_key secret) -> {"access_token"}; the body is never logged
**     and the token is marked secret. The real token host is global and
**     its exact path uncertain: token_url is a setting.
**   - GET /lucca-api/employees?include=links,totalCount&limit=100
**     &status=active,upcoming,deactivated with "Authorization: Bearer" and
**     "Api-Version: 2024-11-01", then each links.next.href until it is
**     null. A next link must stay under base_url (the token goes with
**     it). totalCount is reported as the roster total.
**   - A 401 gets one new token and one retry.
**
** Records: the employee's members by name (givenName, familyName, email,
** employeeNumber, status, birthDay.day, applicableEmployment.id...), and
** the v3 names a v3 config maps (firstName, lastName, mail) as aliases;
** "status" speaks v3's derived words (active, former, future) so
** conditions keep working, the API's own word is "employeeStatus".
** Contract dates live on employments, which this strategy does not read:
** a config that uses dtContractStart/dtContractEnd/birthDate is told they
** are withheld (SDK 1.2), never given them empty.
*/
#include "lucca.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LC_API_EMPLOYEES "/lucca-api/employees"
#define LC_API_LIMIT     100 /* the employees endpoint's maximum */

/* v3 names with no counterpart on the new API's employee. */
static const char *const v3_only[] = {"dtContractStart",
                                      "dtContractEnd",
                                      "birthDate",
                                      "jobTitle",
                                      "directLine",
                                      "address",
                                      "department.name",
                                      "manager.name",
                                      "legalEntity.name",
                                      "extendedData.",
                                      NULL};

hrsync_status lc_api_choose(hrsync_conn *c, const char *key)
{
  const hrsync_host *h = c->hh.h;
  const char *api = h->setting(c->hh.ctx, "api");
  const char *cid, *turl;
  if(!api || !*api || !strcmp(api, "v3"))
    return HRSYNC_OK;
  if(strcmp(api, "lucca-api"))
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.api: '%.32s' is not v3 or lucca-api", api);
  c->new_api = 1;
  cid = h->setting(c->hh.ctx, "client_id");
  if(!cid || !*cid)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.client_id is required with api "
                         "lucca-api (the integration key's client id)");
  turl = h->setting(c->hh.ctx, "token_url");
  if(!turl || !*turl)
    turl = LC_TOKEN_URL;
  /* "/path": on the tenant's own host (under base_url). */
  if(turl[0] != '/' && strncmp(turl, "http://", 7) &&
     strncmp(turl, "https://", 8))
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.token_url must start with https:// "
                         "(or http://, or / for a path under base_url)");
  if((size_t)snprintf(c->client_id, sizeof(c->client_id), "%s", cid) >=
         sizeof(c->client_id) ||
     (size_t)snprintf(c->token_url, sizeof(c->token_url), "%s%s",
                      turl[0] == '/' ? c->base : "",
                      turl) >= sizeof(c->token_url) ||
     (size_t)snprintf(c->secret, sizeof(c->secret), "%s", key) >=
         sizeof(c->secret))
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "settings.client_id, settings.token_url or the "
                         "secret is too long");
  return HRSYNC_OK;
}

static hrsync_status api_token(hrsync_conn *c)
{
  static const char what[] = "POST token_url (OAuth client credentials)";
  const hrsync_kv headers[] = {
      {"Accept", "application/json"},
      {"Content-Type", "application/x-www-form-urlencoded"}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  json_object *root = NULL, *tok;
  char body[2048];
  size_t len = 0;
  hrsync_status st;

  st = hsp_form_add(body, sizeof(body), &len, "grant_type",
                    "client_credentials");
  if(!st)
    st = hsp_form_add(body, sizeof(body), &len, "client_id", c->client_id);
  if(!st)
    st = hsp_form_add(body, sizeof(body), &len, "client_secret", c->secret);
  if(st)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "%s: the client credentials are too long", what);
  hsp_request(&req, "POST", c->token_url, headers, 2);
  req.flags = HRSYNC_HTTP_SENSITIVE_BODY;
  req.body = body;
  req.body_len = len;
  st = c->hh.h->http(c->hh.ctx, &req, &resp);
  memset(body, 0, sizeof(body));
  if(st)
    return st;
  st = hsp_check_status(&c->hh, resp, what, NULL);
  /* invalid_client (401) or a refused grant (400): the credentials. */
  if(st == HRSYNC_E_HTTP && (resp->status == 400 || resp->status == 401))
    st = HRSYNC_E_AUTH;
  if(!st)
    st = hsp_parse_json(&c->hh, resp, what, &root);
  if(!st) {
    tok = hsp_json_path(root, "access_token");
    if(!json_object_is_type(tok, json_type_string) ||
       !json_object_get_string_len(tok) ||
       (size_t)json_object_get_string_len(tok) + 8 > sizeof(c->auth))
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: no usable access_token in the answer", what);
    else {
      c->hh.h->mark_secret(c->hh.ctx, json_object_get_string(tok));
      snprintf(c->auth, sizeof(c->auth), "Bearer %s",
               json_object_get_string(tok));
    }
  }
  json_object_put(root);
  return st;
}

/* GET url with the bearer token and Api-Version, the body parsed flat into
** doc; one new token on 401. */
static hrsync_status api_get(hrsync_conn *c, const char *url, const char *what,
                             hsp_jdoc *doc, const hsp_jv **root)
{
  int attempt;
  hrsync_status st = HRSYNC_OK;
  *root = NULL;
  for(attempt = 0; attempt < 2; attempt++) {
    hrsync_kv headers[3] = {{"Accept", "application/json"},
                            {"Authorization", c->auth},
                            {"Api-Version", LC_API_VERSION}};
    hrsync_http_request req;
    const hrsync_http_response *resp = NULL;
    if(!c->auth[0] && (st = api_token(c)) != HRSYNC_OK)
      return st;
    hsp_request(&req, "GET", url, headers, 3);
    st = c->hh.h->http(c->hh.ctx, &req, &resp);
    if(st)
      return st;
    if(resp->status == 401 && attempt == 0) {
      memset(c->auth, 0, sizeof(c->auth));
      continue;
    }
    st = hsp_check_status(&c->hh, resp, what, NULL);
    if(!st)
      st = hsp_jdoc_parse(&c->hh, doc, what, resp->body, resp->body_len, root);
    return st;
  }
  return st;
}

hrsync_status lc_api_authenticate(hrsync_conn *c)
{
  char url[1024];
  const hsp_jv *root;
  hrsync_status st = lc_docs_ready(c);
  if(!st)
    st = api_token(c);
  if(!st)
    st = hsp_url(&c->hh, url, sizeof(url), c->base,
                 LC_API_EMPLOYEES "?limit=1");
  if(!st)
    st = api_get(c, url, "GET " LC_API_EMPLOYEES " (authenticate)", c->docs[0],
                 &root);
  return st;
}

typedef struct apifield {
  const char *id, *label;
  hrsync_field_type type;
} apifield;

static const apifield api_fields[] = {
    {"id", "Employee ID", HRSYNC_FIELD_TEXT},
    {"remoteId", "Remote ID", HRSYNC_FIELD_TEXT},
    {"givenName", "Given name", HRSYNC_FIELD_TEXT},
    {"familyName", "Family name", HRSYNC_FIELD_TEXT},
    {"employeeNumber", "Employee number", HRSYNC_FIELD_TEXT},
    {"email", "Work email", HRSYNC_FIELD_EMAIL},
    {"phoneNumber", "Phone number", HRSYNC_FIELD_TEXT},
    {"birthDay.day", "Birthday (day)", HRSYNC_FIELD_NUMBER},
    {"birthDay.month", "Birthday (month)", HRSYNC_FIELD_NUMBER},
    {"employeeStatus", "Status as Lucca says (active, upcoming, deactivated)",
     HRSYNC_FIELD_LIST},
    {"status", "Status (active / former / future)", HRSYNC_FIELD_LIST},
    {"applicableEmployment.id", "Employment ID", HRSYNC_FIELD_TEXT},
    {"applicableJobPosition.id", "Job position ID", HRSYNC_FIELD_TEXT},
    {"createdAt", "Created at", HRSYNC_FIELD_TEXT},
    {"lastUpdatedAt", "Last updated at", HRSYNC_FIELD_TEXT},
    {"firstName", "First name (givenName)", HRSYNC_FIELD_TEXT},
    {"lastName", "Last name (familyName)", HRSYNC_FIELD_TEXT},
    {"mail", "Work email (email)", HRSYNC_FIELD_EMAIL},
};

static int v3_only_field(const char *w)
{
  size_t i;
  for(i = 0; v3_only[i]; i++) {
    size_t n = strlen(v3_only[i]);
    if(v3_only[i][n - 1] == '.' ? !strncmp(w, v3_only[i], n)
                                : !strcmp(w, v3_only[i]))
      return 1;
  }
  return 0;
}

hrsync_status lc_api_list_fields(hrsync_conn *c)
{
  hrsync_status st = HRSYNC_OK;
  const char *w;
  size_t i;
  for(i = 0; !st && i < sizeof(api_fields) / sizeof(api_fields[0]); i++) {
    hrsync_field_def d;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = api_fields[i].type;
    d.id = api_fields[i].id;
    d.label = api_fields[i].label;
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  /* v3 fields a config may still name: described, and withheld below. */
  for(i = 0; !st && (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    hrsync_field_def d;
    if(!v3_only_field(w))
      continue;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = strncmp(w, "dt", 2) && strcmp(w, "birthDate") ? HRSYNC_FIELD_TEXT
                                                           : HRSYNC_FIELD_DATE;
    d.id = w;
    d.label = "v3 field (not on the Lucca API's employee)";
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  return st;
}

static const char *v3_status(const char *s)
{
  if(!s)
    return NULL;
  if(!strcmp(s, "deactivated"))
    return "former";
  if(!strcmp(s, "upcoming"))
    return "future";
  return s;
}

/* record_set for the fields the schema describes and the config uses
** (all of them when it names none); others are dropped (a record must
** not carry what list_fields did not list). A null
** object sets its described sub-fields empty. */
static hrsync_status put(hrsync_conn *c, const char *id, const char *v)
{
  size_t i, n = strlen(id);
  hrsync_status st = HRSYNC_OK;
  for(i = 0; i < sizeof(api_fields) / sizeof(api_fields[0]); i++)
    if(!strcmp(api_fields[i].id, id))
      return hsp_wanted_has(&c->want, id)
                 ? c->hh.h->record_set(c->hh.ctx, id, v)
                 : HRSYNC_OK; /* not used by the config: not set */
  /* "birthDay": null -> birthDay.day, birthDay.month empty. */
  for(i = 0; !st && i < sizeof(api_fields) / sizeof(api_fields[0]); i++)
    if(!v && !strncmp(api_fields[i].id, id, n) && api_fields[i].id[n] == '.' &&
       hsp_wanted_has(&c->want, api_fields[i].id))
      st = c->hh.h->record_set(c->hh.ctx, api_fields[i].id, NULL);
  return st;
}

/* put(id, text of scalar v). */
static hrsync_status put_jv(hrsync_conn *c, const char *id, const hsp_jv *v)
{
  char tmp[64];
  return put(c, id, hsp_jv_text(v, tmp, sizeof(tmp), NULL));
}

/* birthDay {day, month}, applicableEmployment {id, type, url}: key.sub for
** each scalar. */
static hrsync_status emit_nested(hrsync_conn *c, const char *key,
                                 const hsp_jv *v)
{
  char sub[300];
  const hsp_jv *m;
  hrsync_status st = HRSYNC_OK;
  for(m = hsp_jv_first(v); !st && m; m = hsp_jv_next(v, m)) {
    hsp_jv_type k = hsp_jv_kind(m);
    if(!*m->key || !strcmp(m->key, "url") || !strcmp(m->key, "type") ||
       k == HSP_JV_OBJECT || k == HSP_JV_ARRAY)
      continue;
    snprintf(sub, sizeof(sub), "%s.%s", key, m->key);
    st = put_jv(c, sub, m);
  }
  return st;
}

/* The status as json-c's json_object_get_string reads a scalar: a number
** as it was sent, null NULL. */
static const char *status_word(const hsp_jv *v, char *tmp, size_t cap)
{
  return hsp_jv_kind(v) == HSP_JV_DOUBLE ? v->text
                                         : hsp_jv_text(v, tmp, cap, NULL);
}

/* One member of an employee. */
static hrsync_status emit_member(hrsync_conn *c, const char *key,
                                 const hsp_jv *v)
{
  char tmp[64];
  hrsync_status st;
  if(!strcmp(key, "links") || !strcmp(key, "url") || !strcmp(key, "type") ||
     !strcmp(key, "portrait") || hsp_jv_kind(v) == HSP_JV_ARRAY)
    return HRSYNC_OK;
  if(hsp_jv_kind(v) == HSP_JV_OBJECT)
    return emit_nested(c, key, v);
  if(!strcmp(key, "status")) {
    st = put_jv(c, "employeeStatus", v);
    if(!st)
      st = put(c, "status", v3_status(status_word(v, tmp, sizeof(tmp))));
    return st;
  }
  st = put_jv(c, key, v);
  /* The v3 names a v3 config maps. */
  if(!st && !strcmp(key, "givenName"))
    st = put_jv(c, "firstName", v);
  else if(!st && !strcmp(key, "familyName"))
    st = put_jv(c, "lastName", v);
  else if(!st && !strcmp(key, "email"))
    st = put_jv(c, "mail", v);
  return st;
}

static hrsync_status emit_employee(hrsync_conn *c, const hsp_jv *e, size_t i)
{
  const hrsync_host *h = c->hh.h;
  const hsp_jv *idv = hsp_jv_get(e, "id"), *m;
  char idbuf[64];
  const char *id = NULL;
  hrsync_status st;

  if(idv)
    id = hsp_jv_text(idv, idbuf, sizeof(idbuf), c->tpb);
  if(!id || !*id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET " LC_API_EMPLOYEES ": items[%zu] has no id", i);
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  st = h->record_begin(c->hh.ctx, id);
  for(m = hsp_jv_first(e); !st && m; m = hsp_jv_next(e, m)) {
    if(!*m->key) {
      lc_warn_empty_key(c, LC_API_EMPLOYEES);
      continue;
    }
    st = emit_member(c, m->key, m);
  }
  if(!st)
    st = h->record_end(c->hh.ctx);
  return st;
}

/* Says once which wanted v3 fields this strategy cannot give. */
static void api_withheld(hrsync_conn *c)
{
  const hrsync_host *h = c->hh.h;
  const char *w;
  size_t i;
  if(!HRSYNC_HOST_HAS(h, field_withheld))
    return;
  for(i = 0; (w = h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    if(v3_only_field(w))
      h->field_withheld(c->hh.ctx, w,
                        "not on the Lucca API's employee (employments and "
                        "extensions are not read; use api v3)");
}

hrsync_status lc_api_next_page(hrsync_conn *c, int *has_more)
{
  char first[1200];
  const char *url = c->next_url;
  const hsp_jv *root = NULL, *items, *e, *total;
  hrsync_status st;
  size_t i, n;

  *has_more = 0;
  if(c->done)
    return HRSYNC_OK;
  if((st = lc_docs_ready(c)) != HRSYNC_OK)
    return st;
  if(!c->api_started) {
    st = hsp_url(&c->hh, first, sizeof(first), c->base,
                 LC_API_EMPLOYEES "?include=links,totalCount&limit=%d"
                                  "&status=active,upcoming,deactivated",
                 LC_API_LIMIT);
    if(st)
      return st;
    url = first;
    c->api_started = 1;
    api_withheld(c);
  }
  st = api_get(c, url, "GET " LC_API_EMPLOYEES, c->docs[0], &root);
  if(st)
    return st;
  items = hsp_jv_get(root, "items");
  if(hsp_jv_kind(items) != HSP_JV_ARRAY)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET " LC_API_EMPLOYEES ": \"items\" is missing or "
                         "not an array");
  total = hsp_jv_get(root, "totalCount");
  if(!c->total_said && HRSYNC_HOST_HAS(c->hh.h, roster_total) &&
     hsp_jv_kind(total) == HSP_JV_INT && hsp_jv_int(total) >= 0) {
    c->total_said = 1;
    c->hh.h->roster_total(c->hh.ctx, (uint64_t)hsp_jv_int(total));
  }
  n = hsp_jv_count(items);
  for(e = hsp_jv_first(items), i = 0; !st && e; e = hsp_jv_next(items, e), i++)
    st = emit_employee(c, e, i);
  if(!st) {
    const char *h = hsp_jv_string(hsp_jv_path(root, "links.next.href"));
    size_t nb = strlen(c->base);
    char *next = NULL;
    if(h && *h && n) {
      if(strncmp(h, c->base, nb) || (h[nb] != '/' && h[nb] != '?'))
        st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                           "GET " LC_API_EMPLOYEES ": the next link leaves "
                           "base_url (%.80s)",
                           h);
      else if(c->next_url && !strcmp(h, c->next_url))
        st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                           "GET " LC_API_EMPLOYEES ": the next link repeats "
                           "this page");
      else if(!(next = strdup(h)))
        st = HRSYNC_E_NOMEM;
    }
    free(c->next_url);
    c->next_url = next;
    if(!next)
      c->done = 1;
  }
  *has_more = !st && !c->done;
  return st;
}
