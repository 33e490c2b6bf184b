/*
** hs_ch: the conformance kit's checking host (see conf_host.h).
*/
#include "conf_host.h"

#include <json-c/json.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A request as ABI 1.0 defined it: a plugin built then sends this size,
** and a later host must accept it (members past it count as absent). */
#define INJECTED_BODY "{\"error\": \"injected by the hrsync conformance kit\"}"
#define MALFORMED_BODY                                                        \
  "<!DOCTYPE html><html><body>Service temporarily unavailable"

/* Notes the first breach of the contract; later ones add nothing. */
static void breach(hrsync_host_ctx *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void breach(hrsync_host_ctx *c, const char *fmt, ...)
{
  va_list ap;
  if(c->violation[0])
    return;
  va_start(ap, fmt);
  vsnprintf(c->violation, sizeof(c->violation), fmt, ap);
  va_end(ap);
}

const char *hs_ch_phase_name(hs_ch_phase p)
{
  static const char *const names[] = {"(no callback)", "open",
                                      "authenticate",  "list_fields",
                                      "next_page",     "close"};
  return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

const char *hs_ch_status_name(hrsync_status st)
{
  static const char *const names[] = {"HRSYNC_OK",        "HRSYNC_E_CONFIG",
                                      "HRSYNC_E_AUTH",    "HRSYNC_E_HTTP",
                                      "HRSYNC_E_PARSE",   "HRSYNC_E_NOMEM",
                                      "HRSYNC_E_ABORTED", "HRSYNC_E_INTERNAL"};
  if((unsigned)st < sizeof(names) / sizeof(names[0]))
    return names[st];
  return "an unknown hrsync_status";
}

/* Host services may only be called inside a callback (connector.h). */
static int outside(hrsync_host_ctx *c, const char *service)
{
  if(c->in_callback)
    return 0;
  breach(c, "host->%s called outside a callback", service);
  return 1;
}

static void check_secret_free(hrsync_host_ctx *c, const char *what,
                              const char *text)
{
  size_t i;
  if(c->leak[0] || !text)
    return;
  for(i = 0; i < c->n_secrets; i++) {
    const char *v = c->secrets[i].value;
    if(v && strlen(v) >= 4 && strstr(text, v)) {
      snprintf(c->leak, sizeof(c->leak), "%s in %s holds secret \"%s\"", what,
               hs_ch_phase_name(c->phase), c->secrets[i].name);
      return;
    }
  }
  for(i = 0; i < c->n_marked; i++)
    if(strlen(c->marked[i]) >= 4 && strstr(text, c->marked[i])) {
      snprintf(c->leak, sizeof(c->leak),
               "%s in %s holds a value passed to mark_secret", what,
               hs_ch_phase_name(c->phase));
      return;
    }
}

static void ch_log(hrsync_host_ctx *c, uint32_t level, const char *msg)
{
  if(outside(c, "log"))
    return;
  if(!msg) {
    breach(c, "host->log called with a NULL message");
    return;
  }
  c->log_lines++;
  check_secret_free(c, "a log line", msg);
  if(c->hold_log) {
    const char *p;
    hs_buf_printf(&c->held, "%c", '0' + (int)(level > 3 ? 3 : level));
    for(p = msg; *p; p++)
      hs_buf_append(&c->held, *p == '\n' ? " " : p, 1);
    hs_buf_puts(&c->held, "\n");
    return;
  }
  /* Through the redacting log, so even a leaking plugin shows nothing. */
  hs_log_write(c->log, level > HS_LOG_DEBUG ? HS_LOG_DEBUG : (int)level,
               c->desc ? c->desc->name : NULL, msg);
}

static void ch_set_error(hrsync_host_ctx *c, const char *msg)
{
  if(outside(c, "set_error"))
    return;
  snprintf(c->error, sizeof(c->error), "%s", msg ? msg : "");
  c->error_set = 1;
  check_secret_free(c, "the error detail", c->error);
}

static const hrsync_setting_def *declared(const hrsync_host_ctx *c,
                                          const char *key)
{
  const hrsync_setting_def *s;
  for(s = c->desc->settings; s && s->key; s++)
    if(!strcmp(s->key, key))
      return s;
  return NULL;
}

/* A copy of v that lives until the current callback returns, as the
** header promises and no longer: a plugin that keeps the pointer reads
** freed memory, which a sanitizer build reports. */
static const char *lend(hrsync_host_ctx *c, const char *v)
{
  char **grown, *copy;
  if(!v)
    return NULL;
  grown = realloc(c->lent, (c->n_lent + 1) * sizeof(*grown));
  if(!grown)
    return NULL;
  c->lent = grown;
  if(!(copy = strdup(v)))
    return NULL;
  grown[c->n_lent++] = copy;
  return copy;
}

static void take_back(hrsync_host_ctx *c)
{
  size_t i;
  for(i = 0; i < c->n_lent; i++)
    free(c->lent[i]);
  free(c->lent);
  c->lent = NULL;
  c->n_lent = 0;
}

static const char *ch_setting(hrsync_host_ctx *c, const char *key)
{
  const hrsync_setting_def *def;
  const char *v;
  if(outside(c, "setting") || !key)
    return NULL;
  def = declared(c, key);
  if(!def) {
    breach(c, "setting \"%s\" is read but not declared in settings", key);
    return NULL;
  }
  if(def->flags & HRSYNC_SETTING_SECRET)
    breach(c, "secret \"%s\" is read with host->setting", key);
  if(c->fault == HS_FAULT_NO_REQUIRED &&
     (def->flags & HRSYNC_SETTING_REQUIRED))
    return NULL;
  if(!strcmp(key, "base_url"))
    return lend(c, c->base_url);
  v = hs_fixture_kv(c->settings, c->n_settings, key);
  return lend(c, v ? v : def->default_value);
}

static const char *ch_secret(hrsync_host_ctx *c, const char *key)
{
  const hrsync_setting_def *def;
  if(outside(c, "secret") || !key)
    return NULL;
  def = declared(c, key);
  if(!def || !(def->flags & HRSYNC_SETTING_SECRET)) {
    breach(c, "secret \"%s\" is read but not declared as a secret", key);
    return NULL;
  }
  if(c->fault == HS_FAULT_NO_REQUIRED &&
     (def->flags & HRSYNC_SETTING_REQUIRED))
    return NULL;
  return lend(c, hs_fixture_kv(c->secrets, c->n_secrets, key));
}

static void ch_mark_secret(hrsync_host_ctx *c, const char *value)
{
  char **grown;
  if(outside(c, "mark_secret") || !value)
    return;
  hs_log_add_secret(c->log, value);
  grown = realloc(c->marked, (c->n_marked + 1) * sizeof(*grown));
  if(!grown)
    return;
  c->marked = grown;
  if((grown[c->n_marked] = strdup(value)))
    c->n_marked++;
}

static const char *ch_wanted_field(hrsync_host_ctx *c, size_t i)
{
  if(outside(c, "wanted_field"))
    return NULL;
  return i < c->n_wanted ? lend(c, c->wanted[i]) : NULL;
}

static hrsync_status ch_field(hrsync_host_ctx *c, const hrsync_field_def *d)
{
  size_t i;
  char **grown;
  uint32_t *types;
  if(outside(c, "field"))
    return HRSYNC_E_INTERNAL;
  if(c->phase != HS_PH_FIELDS) {
    breach(c, "host->field called from %s", hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  if(c->fault == HS_FAULT_ABORT_FIELD) {
    c->fault_fired = 1;
    return HRSYNC_E_ABORTED;
  }
  if(!d ||
     d->struct_size < offsetof(hrsync_field_def, label) + sizeof(d->label)) {
    snprintf(c->field_problem, sizeof(c->field_problem),
             "field %zu: NULL or struct_size too small", c->n_fields);
    return HRSYNC_OK;
  }
  if(!d->id || !d->id[0]) {
    if(!c->field_problem[0])
      snprintf(c->field_problem, sizeof(c->field_problem),
               "field %zu has an empty id", c->n_fields);
    return HRSYNC_OK;
  }
  if(d->type > HRSYNC_FIELD_BOOL && !c->field_problem[0])
    snprintf(c->field_problem, sizeof(c->field_problem),
             "field \"%.200s\": type %u is not an hrsync_field_type", d->id,
             (unsigned)d->type);
  for(i = 0; i < c->n_fields; i++)
    if(!strcmp(c->field_ids[i], d->id)) {
      if(!c->field_problem[0])
        snprintf(c->field_problem, sizeof(c->field_problem),
                 "field id \"%.200s\" is described twice", d->id);
      return HRSYNC_OK;
    }
  types = realloc(c->field_types, (c->n_fields + 1) * sizeof(*types));
  if(!types)
    return HRSYNC_E_NOMEM;
  c->field_types = types;
  types[c->n_fields] = d->type;
  grown = realloc(c->field_ids, (c->n_fields + 1) * sizeof(*grown));
  if(!grown)
    return HRSYNC_E_NOMEM;
  c->field_ids = grown;
  if(!(grown[c->n_fields] = strdup(d->id)))
    return HRSYNC_E_NOMEM;
  c->n_fields++;
  return HRSYNC_OK;
}

static hrsync_status ch_record_begin(hrsync_host_ctx *c, const char *hris_id)
{
  if(outside(c, "record_begin"))
    return HRSYNC_E_INTERNAL;
  if(c->phase != HS_PH_PAGE) {
    breach(c, "record_begin called from %s", hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  if(c->in_record) {
    breach(c, "record_begin before the previous record_end");
    return HRSYNC_E_INTERNAL;
  }
  if(!hris_id || !hris_id[0]) {
    breach(c, "record %zu has no hris id", c->n_ids + 1);
    return HRSYNC_E_INTERNAL;
  }
  if(c->fault == HS_FAULT_ABORT_RECORD) {
    c->fault_fired = 1;
    return HRSYNC_E_ABORTED;
  }
  if(c->n_ids == c->cap_ids) {
    size_t cap = c->cap_ids ? c->cap_ids * 2 : 64;
    char **grown = realloc(c->ids, cap * sizeof(*grown));
    if(!grown)
      return HRSYNC_E_NOMEM;
    c->ids = grown;
    c->cap_ids = cap;
  }
  if(!(c->ids[c->n_ids] = strdup(hris_id)))
    return HRSYNC_E_NOMEM;
  c->n_ids++;
  c->in_record = 1;
  return HRSYNC_OK;
}

/* Notes the first value that its field's declared type refuses: the
** engine compares BOOL fields with "true"/"false" and NUMBER fields as
** numbers (DATE values it normalises itself). */
static void check_value(hrsync_host_ctx *c, const char *field_id,
                        uint32_t type, const char *value)
{
  char *end;
  if(c->bad_value[0] || !value)
    return;
  if(type == HRSYNC_FIELD_BOOL && strcmp(value, "true") &&
     strcmp(value, "false"))
    snprintf(c->bad_value, sizeof(c->bad_value),
             "record \"%.100s\": BOOL field \"%.100s\" is \"%.60s\" "
             "(\"true\" or \"false\")",
             c->ids[c->n_ids - 1], field_id, value);
  else if(type == HRSYNC_FIELD_NUMBER &&
          (!*value || (strtod(value, &end), *end)))
    snprintf(c->bad_value, sizeof(c->bad_value),
             "record \"%.100s\": NUMBER field \"%.100s\" is \"%.60s\"",
             c->ids[c->n_ids - 1], field_id, value);
}

static hrsync_status ch_record_set(hrsync_host_ctx *c, const char *field_id,
                                   const char *value)
{
  size_t i;
  if(outside(c, "record_set"))
    return HRSYNC_E_INTERNAL;
  if(!c->in_record) {
    breach(c, "record_set outside record_begin/record_end");
    return HRSYNC_E_INTERNAL;
  }
  if(!field_id || !field_id[0]) {
    breach(c, "record \"%.200s\": record_set with an empty field id",
           c->ids[c->n_ids - 1]);
    return HRSYNC_E_INTERNAL;
  }
  /* "hrsync." ids are the SDK's reserved fields, never in a schema. */
  if(!strncmp(field_id, "hrsync.", 7))
    return HRSYNC_OK;
  for(i = 0; i < c->n_fields; i++)
    if(!strcmp(c->field_ids[i], field_id)) {
      check_value(c, field_id, c->field_types[i], value);
      return HRSYNC_OK;
    }
  if(!c->unknown_field[0])
    snprintf(c->unknown_field, sizeof(c->unknown_field), "%.200s", field_id);
  return HRSYNC_OK;
}

static hrsync_status ch_record_end(hrsync_host_ctx *c)
{
  if(outside(c, "record_end"))
    return HRSYNC_E_INTERNAL;
  if(!c->in_record) {
    breach(c, "record_end without record_begin");
    return HRSYNC_E_INTERNAL;
  }
  c->in_record = 0;
  return HRSYNC_OK;
}

/* The largest array in the tree: a page's records, whatever the HR system
** calls them (the empty-page fault empties it). NULL when there is none. */
static json_object *largest_array(json_object *o)
{
  json_object *best = NULL, *sub;
  size_t best_n = 0, i, n;
  if(json_object_is_type(o, json_type_array)) {
    best = o;
    best_n = json_object_array_length(o);
    n = best_n;
    for(i = 0; i < n; i++) {
      sub = largest_array(json_object_array_get_idx(o, i));
      if(sub && json_object_array_length(sub) > best_n) {
        best = sub;
        best_n = json_object_array_length(sub);
      }
    }
  }
  else if(json_object_is_type(o, json_type_object)) {
    json_object_object_foreach(o, k, v)
    {
      (void)k;
      sub = largest_array(v);
      if(sub && (!best || json_object_array_length(sub) > best_n)) {
        best = sub;
        best_n = json_object_array_length(sub);
      }
    }
  }
  return best;
}

/* Points c->resp at a body of our own, copied. */
static hrsync_status own_body(hrsync_host_ctx *c, const char *body, size_t len)
{
  char *copy = malloc(len + 1);
  if(!copy)
    return HRSYNC_E_NOMEM;
  memcpy(copy, body, len);
  copy[len] = 0;
  free(c->resp_body);
  c->resp_body = copy;
  c->resp.body = copy;
  c->resp.body_len = len;
  return HRSYNC_OK;
}

static hrsync_status empty_page(hrsync_host_ctx *c,
                                const hs_fixture_exchange *e)
{
  json_object *root = json_tokener_parse(e->body), *arr = largest_array(root);
  const char *body;
  hrsync_status st;
  if(!arr || !json_object_array_length(arr)) {
    /* Answered unchanged; the scenario reports it could not inject. */
    snprintf(c->fault_note, sizeof(c->fault_note),
             "the first page's body has no non-empty JSON array to empty");
    json_object_put(root);
    c->fault_fired = 0;
    return own_body(c, e->body, e->body_len);
  }
  json_object_array_del_idx(arr, 0, json_object_array_length(arr));
  body = json_object_to_json_string_ext(
      root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  st = own_body(c, body, strlen(body));
  json_object_put(root);
  return st;
}

static hrsync_status synthetic(hrsync_host_ctx *c, unsigned status,
                               const char *retry_after)
{
  c->synth_header.name = retry_after ? "Retry-After" : "Content-Type";
  c->synth_header.value = retry_after ? retry_after : "application/json";
  c->resp.status = status;
  c->resp.headers = &c->synth_header;
  c->resp.n_headers = 1;
  return own_body(c, INJECTED_BODY, strlen(INJECTED_BODY));
}

static unsigned long retry_after_s(const hs_fixture_exchange *e)
{
  size_t i;
  for(i = 0; i < e->n_headers; i++)
    if(!strcasecmp(e->headers[i].name, "Retry-After"))
      return strtoul(e->headers[i].value, NULL, 10);
  return 1;
}

static int retryable(unsigned status)
{
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/* Replay: the fixture that answers the request, the engine's retries
** simulated (a recorded 429 is followed by the next matching exchange),
** then the fault, if this is the request it aims at. */
static hrsync_status replay(hrsync_host_ctx *c, const hrsync_http_request *r,
                            const char *rel, int aimed)
{
  hs_fixture_exchange *e;
  int tries = 0;

  if(aimed && c->fault == HS_FAULT_STATUS)
    return synthetic(c, c->fault_status, NULL);
  if(aimed && c->fault == HS_FAULT_EXHAUST_429) {
    c->retries += HS_CH_MAX_RETRIES;
    c->retry_wait_s += HS_CH_MAX_RETRIES;
    return synthetic(c, 429, "1");
  }
  if(aimed && c->fault == HS_FAULT_RETRY_429) {
    c->retries++; /* the plugin never sees this 429: the host retried */
    c->retry_wait_s += 2;
  }
  e = hs_fixture_match(c->fx, r->method, rel, r->body, r->body_len);
  while(e && retryable(e->status) && tries < HS_CH_MAX_RETRIES) {
    hs_fixture_exchange *next;
    c->retries++;
    c->retry_wait_s += retry_after_s(e);
    tries++;
    next = hs_fixture_match(c->fx, r->method, rel, r->body, r->body_len);
    if(next == e)
      break;
    e = next;
  }
  if(!e) {
    if(!c->unmatched[0])
      snprintf(c->unmatched, sizeof(c->unmatched), "%s %.400s", r->method,
               rel);
    snprintf(c->error, sizeof(c->error),
             "no fixture answers %s %.400s (conformance kit)", r->method, rel);
    c->error_set = 1;
    return HRSYNC_E_HTTP;
  }
  c->resp.status = e->status;
  c->resp.headers = e->headers;
  c->resp.n_headers = e->n_headers;
  if(aimed && c->fault == HS_FAULT_TRUNCATE)
    return own_body(c, e->body, e->body_len / 2);
  if(aimed && c->fault == HS_FAULT_MALFORMED)
    return own_body(c, MALFORMED_BODY, strlen(MALFORMED_BODY));
  if(aimed && c->fault == HS_FAULT_EMPTY_PAGE)
    return empty_page(c, e);
  return own_body(c, e->body, e->body_len);
}

static int hop_header(const char *name)
{
  static const char *const skip[] = {"date",       "connection",
                                     "keep-alive", "content-length",
                                     "server",     "transfer-encoding"};
  size_t i;
  for(i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
    if(!strcasecmp(name, skip[i]))
      return 1;
  return 0;
}

static char *dup_n(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if(d) {
    memcpy(d, s, n);
    d[n] = 0;
  }
  return d;
}

/* Record mode: a live request through the engine's transport, kept. */
static hrsync_status live(hrsync_host_ctx *c, const hrsync_http_request *r,
                          const char *rel)
{
  const hrsync_http_response *resp = NULL;
  hs_fixture_exchange *e, *grown;
  hs_err err;
  size_t i;

  hs_err_clear(&err);
  if(hs_http_perform(c->http, r, &resp, &err)) {
    snprintf(c->error, sizeof(c->error), "%s", err.msg);
    c->error_set = 1;
    return HRSYNC_E_HTTP;
  }
  c->resp = *resp;
  grown = realloc(c->rec, (c->n_rec + 1) * sizeof(*grown));
  if(!grown)
    return HRSYNC_E_NOMEM;
  c->rec = grown;
  e = &grown[c->n_rec++];
  memset(e, 0, sizeof(*e));
  e->method = strdup(r->method);
  e->path = strdup(rel);
  e->status = resp->status;
  e->body = dup_n(resp->body, resp->body_len);
  e->body_len = resp->body_len;
  /* A one-line request body is matched exactly; longer ones are not. A
  ** body the plugin flagged as holding secrets is never recorded: whatever
  ** encoding it uses, none of it reaches a fixture. */
  if(r->flags & HRSYNC_HTTP_SENSITIVE_BODY)
    e->body_withheld = r->body && r->body_len;
  else if(r->body && r->body_len && !memchr(r->body, '\n', r->body_len) &&
          !memchr(r->body, 0, r->body_len))
    e->body_equals = dup_n(r->body, r->body_len);
  e->headers = calloc(resp->n_headers + 1, sizeof(hrsync_kv));
  if(!e->method || !e->path || !e->body || !e->headers)
    return HRSYNC_E_NOMEM;
  for(i = 0; i < resp->n_headers; i++) {
    hrsync_kv *kv = &e->headers[e->n_headers];
    if(hop_header(resp->headers[i].name))
      continue;
    kv->name = strdup(resp->headers[i].name);
    kv->value = strdup(resp->headers[i].value);
    e->n_headers++;
    if(!kv->name || !kv->value)
      return HRSYNC_E_NOMEM;
  }
  return HRSYNC_OK;
}

static int contains(const char *hay, size_t n, const char *needle)
{
  size_t k = strlen(needle), i;
  for(i = 0; k && i + k <= n; i++)
    if(!memcmp(hay + i, needle, k))
      return 1;
  return 0;
}

/* A request body holding a credential must say so with
** HRSYNC_HTTP_SENSITIVE_BODY, or the host may show it in a trace. */
static void check_body_secret_free(hrsync_host_ctx *c,
                                   const hrsync_http_request *r)
{
  size_t i;
  for(i = 0; i < c->n_secrets; i++) {
    const char *v = c->secrets[i].value;
    if(v && strlen(v) >= 4 && contains(r->body, r->body_len, v)) {
      breach(c,
             "%s %.200s sends secret \"%s\" in its body without "
             "HRSYNC_HTTP_SENSITIVE_BODY",
             r->method, r->url, c->secrets[i].name);
      return;
    }
  }
}

static hrsync_status ch_http(hrsync_host_ctx *c, const hrsync_http_request *r,
                             const hrsync_http_response **out)
{
  size_t blen = strlen(c->base_url);
  const char *rel;
  hrsync_status st;
  int aimed;

  if(out)
    *out = NULL;
  if(outside(c, "http"))
    return HRSYNC_E_INTERNAL;
  if(c->in_stream) {
    breach(c, "http() called from http_stream's chunk function in %s",
           hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  if(!r || !out || r->struct_size < HRSYNC_HTTP_REQUEST_V1_0_SIZE ||
     !r->method || !r->url) {
    breach(c, "http() with a NULL or malformed request in %s",
           hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  if(strncmp(r->url, c->base_url, blen) ||
     (r->url[blen] && r->url[blen] != '/' && r->url[blen] != '?')) {
    breach(c, "request %s %.300s is not under base_url %.100s", r->method,
           r->url, c->base_url);
    snprintf(c->error, sizeof(c->error), "request outside base_url");
    c->error_set = 1;
    return HRSYNC_E_HTTP;
  }
  if(r->body && r->body_len && !(r->flags & HRSYNC_HTTP_SENSITIVE_BODY))
    check_body_secret_free(c, r);
  rel = r->url + blen;
  c->requests++;
  c->phase_requests++;
  aimed = c->fault != HS_FAULT_NONE && !c->fault_fired &&
          c->phase == c->fault_phase && c->phase_requests == 1 &&
          (c->phase != HS_PH_PAGE || c->page_calls == 1);
  /* A refused key, a server error and a dead network last: a plugin
  ** that re-authenticates or retries on its own meets them again. */
  if(!aimed && c->fault_fired &&
     (c->fault == HS_FAULT_STATUS || c->fault == HS_FAULT_TRANSPORT))
    aimed = 1;
  if(aimed)
    c->fault_fired = 1;
  if(aimed && c->fault == HS_FAULT_TRANSPORT) {
    snprintf(c->error, sizeof(c->error),
             "connection refused (injected by the conformance kit)");
    c->error_set = 1;
    return HRSYNC_E_HTTP;
  }
  st = c->http ? live(c, r, rel) : replay(c, r, rel, aimed);
  if(st == HRSYNC_OK)
    *out = &c->resp;
  return st;
}

/* SDK 1.4 http_many: the requests one by one through http(), so every
** fixture, fault and check applies to each as to a single request; the
** answers copied, as they must all stay valid together. */
static hrsync_status ch_http_many(hrsync_host_ctx *c,
                                  const hrsync_http_request *const *reqs,
                                  size_t n, const hrsync_http_response **out)
{
  size_t i;
  if(outside(c, "http_many"))
    return HRSYNC_E_INTERNAL;
  if(!out || (n && !reqs)) {
    breach(c, "http_many() with NULL requests or responses in %s",
           hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  for(i = 0; i < n; i++)
    out[i] = NULL;
  return hs_http_one_by_one(&c->many, ch_http, c, reqs, n, out);
}

/* SDK 1.4 rate_limit: replayed answers need no pacing. */
static void ch_rate_limit(hrsync_host_ctx *c, uint32_t requests,
                          uint32_t seconds)
{
  (void)c;
  (void)requests;
  (void)seconds;
}

/* SDK 1.4 http_stream: the answer http() would give (faults included),
** a 2xx body then handed over in HS_CH_STREAM_CHUNK pieces. */
static hrsync_status
ch_http_stream(hrsync_host_ctx *c, const hrsync_http_request *r,
               hrsync_status (*chunk)(void *arg, const char *data, size_t len),
               void *arg, const hrsync_http_response **out)
{
  const hrsync_http_response *resp = NULL;
  hrsync_status st;
  size_t off;
  if(out)
    *out = NULL;
  if(!chunk || !out) {
    if(!outside(c, "http_stream"))
      breach(c, "http_stream() with a NULL chunk function or out in %s",
             hs_ch_phase_name(c->phase));
    return HRSYNC_E_INTERNAL;
  }
  st = ch_http(c, r, &resp);
  if(st || resp->status < 200 || resp->status >= 300) {
    *out = resp;
    return st;
  }
  c->in_stream = 1;
  for(off = 0; !st && off < resp->body_len; off += HS_CH_STREAM_CHUNK) {
    size_t n = resp->body_len - off;
    st = chunk(arg, resp->body + off,
               n < HS_CH_STREAM_CHUNK ? n : HS_CH_STREAM_CHUNK);
  }
  c->in_stream = 0;
  if(st)
    return st;
  c->resp.body = "";
  *out = &c->resp;
  return HRSYNC_OK;
}

static int fail_here(hrsync_host_ctx *c, hs_ch_outcome *o, hs_ch_phase ph,
                     hrsync_status st)
{
  o->failed_at = ph;
  o->st = st;
  o->detail_set = c->error_set && c->error[0];
  snprintf(o->detail, sizeof(o->detail), "%s", c->error);
  return 1;
}

void hs_ch_run(hrsync_host_ctx *c, unsigned max_pages, hs_ch_outcome *o)
{
  const hrsync_connector *d = c->desc;
  hrsync_conn *conn = NULL;
  hrsync_status st;
  int has_more = 1, failed = 0;

  memset(o, 0, sizeof(*o));
  hs_ch_enter(c, HS_PH_OPEN);
  st = d->open(hs_ch_table(), c, &conn);
  hs_ch_leave(c);
  if(st != HRSYNC_OK)
    failed = fail_here(c, o, HS_PH_OPEN, st);
  if(!failed) {
    hs_ch_enter(c, HS_PH_AUTH);
    st = d->authenticate(conn);
    hs_ch_leave(c);
    if(st != HRSYNC_OK)
      failed = fail_here(c, o, HS_PH_AUTH, st);
  }
  if(!failed) {
    hs_ch_enter(c, HS_PH_FIELDS);
    st = d->list_fields(conn);
    hs_ch_leave(c);
    if(st != HRSYNC_OK)
      failed = fail_here(c, o, HS_PH_FIELDS, st);
  }
  while(!failed && has_more && o->pages < max_pages) {
    has_more = 0;
    hs_ch_enter(c, HS_PH_PAGE);
    st = d->next_page(conn, &has_more);
    hs_ch_leave(c);
    o->pages++;
    if(c->in_record && !c->violation[0])
      snprintf(c->violation, sizeof(c->violation),
               "next_page returned inside a record (no record_end)");
    c->in_record = 0;
    if(st != HRSYNC_OK)
      failed = fail_here(c, o, HS_PH_PAGE, st);
  }
  o->terminated = !failed && !has_more;
  if(conn || failed == 0) {
    hs_ch_enter(c, HS_PH_CLOSE);
    d->close(conn);
    hs_ch_leave(c);
  }
}

static void *ch_alloc(size_t n)
{
  return malloc(n);
}

static void *ch_realloc(void *p, size_t n)
{
  return realloc(p, n);
}

static void ch_free(void *p)
{
  free(p);
}

/* SDK 1.2 services: the kit offers them so a connector's code path that
** calls them runs under the kit; what they report is the engine's
** business, not a conformance verdict. */
static void ch_field_withheld(hrsync_host_ctx *c, const char *id,
                              const char *why)
{
  (void)c;
  (void)id;
  (void)why;
}

static void ch_roster_total(hrsync_host_ctx *c, uint64_t total)
{
  (void)c;
  (void)total;
}

static const hrsync_host table = {
    .abi_major = HRSYNC_ABI_MAJOR,
    .abi_minor = HRSYNC_ABI_MINOR,
    .struct_size = sizeof(hrsync_host),
    .log = ch_log,
    .set_error = ch_set_error,
    .setting = ch_setting,
    .secret = ch_secret,
    .mark_secret = ch_mark_secret,
    .http = ch_http,
    .wanted_field = ch_wanted_field,
    .field = ch_field,
    .record_begin = ch_record_begin,
    .record_set = ch_record_set,
    .record_end = ch_record_end,
    .alloc = ch_alloc,
    .realloc = ch_realloc,
    .free = ch_free,
    .field_withheld = ch_field_withheld,
    .roster_total = ch_roster_total,
    .http_many = ch_http_many,
    .rate_limit = ch_rate_limit,
    .http_stream = ch_http_stream,
};

const hrsync_host *hs_ch_table(void)
{
  return &table;
}

void hs_ch_init(hrsync_host_ctx *ctx)
{
  memset(ctx, 0, sizeof(*ctx));
  ctx->resp.struct_size = sizeof(ctx->resp);
}

void hs_ch_free(hrsync_host_ctx *c)
{
  size_t i;
  for(i = 0; i < c->n_marked; i++)
    free(c->marked[i]);
  free(c->marked);
  for(i = 0; i < c->n_fields; i++)
    free(c->field_ids[i]);
  free(c->field_ids);
  free(c->field_types);
  c->field_types = NULL;
  for(i = 0; i < c->n_ids; i++)
    free(c->ids[i]);
  free(c->ids);
  free(c->resp_body);
  hs_http_copies_free(&c->many);
  take_back(c);
  hs_buf_free(&c->held);
  for(i = 0; i < c->n_rec; i++) {
    hs_fixture_exchange *e = &c->rec[i];
    size_t h;
    free(e->method);
    free(e->path);
    free(e->body_equals);
    free(e->body);
    for(h = 0; e->headers && h < e->n_headers; h++) {
      free((char *)e->headers[h].name);
      free((char *)e->headers[h].value);
    }
    free(e->headers);
  }
  free(c->rec);
  c->marked = c->field_ids = c->ids = NULL;
  c->resp_body = NULL;
  c->rec = NULL;
  c->n_marked = c->n_fields = c->n_ids = c->n_rec = 0;
}

void hs_ch_release_log(hrsync_host_ctx *c)
{
  char *line = c->held.data, *nl;
  while(line && *line && (nl = strchr(line, '\n'))) {
    *nl = 0;
    hs_log_write(c->log, line[0] - '0', c->desc ? c->desc->name : NULL,
                 line + 1);
    line = nl + 1;
  }
  hs_buf_free(&c->held);
}

void hs_ch_enter(hrsync_host_ctx *c, hs_ch_phase phase)
{
  c->phase = phase;
  c->in_callback = 1;
  c->phase_requests = 0;
  c->error[0] = 0;
  c->error_set = 0;
  if(phase == HS_PH_PAGE)
    c->page_calls++;
}

void hs_ch_leave(hrsync_host_ctx *c)
{
  c->in_callback = 0;
  take_back(c);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *hs_ch_duplicate_id(hrsync_host_ctx *c)
{
  size_t i;
  if(c->n_ids > 1)
    qsort(c->ids, c->n_ids, sizeof(*c->ids), cmp_str);
  for(i = 1; i < c->n_ids; i++)
    if(!strcmp(c->ids[i - 1], c->ids[i]))
      return c->ids[i];
  return NULL;
}

unsigned long long hs_ch_ids_digest(const hrsync_host_ctx *c)
{
  unsigned long long h = 1469598103934665603ULL;
  size_t i;
  const char *p;
  for(i = 0; i < c->n_ids; i++)
    for(p = c->ids[i];; p++) {
      h = (h ^ (unsigned char)*p) * 1099511628211ULL;
      if(!*p)
        break;
    }
  return h;
}
