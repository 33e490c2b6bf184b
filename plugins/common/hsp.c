/*
** Shared connector helpers. See hsp.h.
*/
#include "hsp.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A short, one-line message out of an error body: JSON "message" or
** "error" members at the usual depths, else the body's first line. */
static void body_message(const hrsync_http_response *resp, char *dst,
                         size_t cap)
{
  static const char *const paths[] = {"error.message",     "message", "error",
                                      "error_description", "detail",  "title"};
  json_object *root = NULL;
  size_t i, n;
  dst[0] = 0;
  if(resp->body_len)
    root = json_tokener_parse(resp->body);
  for(i = 0; root && i < sizeof(paths) / sizeof(paths[0]); i++) {
    json_object *v = hsp_json_path(root, paths[i]);
    if(v && json_object_is_type(v, json_type_string)) {
      snprintf(dst, cap, "%s", json_object_get_string(v));
      break;
    }
  }
  json_object_put(root);
  if(!dst[0] && resp->body_len) {
    snprintf(dst, cap, "%.*s",
             (int)(resp->body_len < 200 ? resp->body_len : 200), resp->body);
  }
  /* Keep it on one line. */
  for(n = 0; dst[n]; n++)
    if(dst[n] == '\n' || dst[n] == '\r' || dst[n] == '\t')
      dst[n] = ' ';
}

hrsync_status hsp_check_status(const hsp_host *hh,
                               const hrsync_http_response *resp,
                               const char *what, const char *msg_header)
{
  char msg[256] = "";
  const char *hv =
      msg_header ? hrsync_response_header(resp, msg_header) : NULL;
  hrsync_status st;
  if(resp->status >= 200 && resp->status < 300)
    return HRSYNC_OK;
  if(hv && *hv)
    snprintf(msg, sizeof(msg), "%s", hv);
  else
    body_message(resp, msg, sizeof(msg));
  st = (resp->status == 401 || resp->status == 403) ? HRSYNC_E_AUTH
                                                    : HRSYNC_E_HTTP;
  return hrsync_errorf(hh->h, hh->ctx, st, "%s: HTTP %u%s%s", what,
                       (unsigned)resp->status, msg[0] ? ": " : "", msg);
}

/* Whether a JSON body can decode to a string holding a NUL: a raw NUL
** byte, or the escape \u0000 (an escaped backslash before "u0000" is
** skipped as the pair it is). */
static int hsp_body_may_hold_nul(const char *body, size_t len)
{
  const char *p = body, *end = body + len;
  if(memchr(body, 0, len))
    return 1;
  while(p < end && (p = memchr(p, '\\', (size_t)(end - p))) != NULL) {
    if(end - p >= 6 && !memcmp(p, "\\u0000", 6))
      return 1;
    p += 2;
  }
  return 0;
}

hrsync_status hsp_parse_json(const hsp_host *hh,
                             const hrsync_http_response *resp,
                             const char *what, json_object **out)
{
  json_tokener *tok = json_tokener_new();
  json_object *root;
  enum json_tokener_error jerr;
  *out = NULL;
  if(!tok)
    return HRSYNC_E_NOMEM;
  root = json_tokener_parse_ex(tok, resp->body, (int)resp->body_len);
  jerr = json_tokener_get_error(tok);
  if(!root && jerr == json_tokener_continue)
    jerr = json_tokener_error_parse_eof; /* the body ended mid-value */
  if(root && tok->char_offset < (int)resp->body_len) {
    /* Trailing garbage after a complete value is not JSON either. */
    size_t i;
    for(i = (size_t)tok->char_offset; i < resp->body_len; i++)
      if(!strchr(" \t\r\n", resp->body[i]))
        break;
    if(i < resp->body_len) {
      json_object_put(root);
      root = NULL;
      jerr = json_tokener_error_parse_unexpected;
    }
  }
  json_tokener_free(tok);
  if(!root)
    return hrsync_errorf(
        hh->h, hh->ctx, HRSYNC_E_PARSE, "%s: malformed JSON (%zu bytes): %s",
        what, resp->body_len,
        resp->body_len ? json_tokener_error_desc(jerr) : "empty body");
  /* Only a body with an escaped (or raw) NUL needs the walk: most have
  ** none, and the walk visits every value of every page. */
  if(hsp_body_may_hold_nul(resp->body, resp->body_len))
    hsp_json_mark_nul(root); /* depth is bounded by json-c's tokener */
  *out = root;
  return HRSYNC_OK;
}

/* One string: NUL -> C0 80. Leaves it as it was when out of memory (the
** host still sees a cut value then, the one case it cannot tell). */
static void mark_string(json_object *v)
{
  const char *s = json_object_get_string(v);
  size_t len = (size_t)json_object_get_string_len(v), n = 0, i, j;
  char *out;
  for(i = 0; i < len; i++)
    n += s[i] == 0;
  if(!n || !(out = malloc(len + n)))
    return;
  for(i = j = 0; i < len; i++) {
    if(s[i]) {
      out[j++] = s[i];
      continue;
    }
    out[j++] = (char)0xC0;
    out[j++] = (char)0x80;
  }
  json_object_set_string_len(v, out, (int)j);
  free(out);
}

void hsp_json_mark_nul(json_object *root)
{
  size_t i, n;
  switch(json_object_get_type(root)) {
  case json_type_string:
    mark_string(root);
    break;
  case json_type_array:
    n = json_object_array_length(root);
    for(i = 0; i < n; i++)
      hsp_json_mark_nul(json_object_array_get_idx(root, i));
    break;
  case json_type_object: {
    json_object_object_foreach(root, k, v)
    {
      (void)k;
      hsp_json_mark_nul(v);
    }
    break;
  }
  default:
    break;
  }
}

/* FNV-1a: a wanted-field lookup is one hash and, mostly, one strcmp. */
static size_t str_hash(const char *s)
{
  size_t h = (size_t)2166136261u;
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * (size_t)16777619u;
  return h;
}

hrsync_status hsp_wanted_load(const hsp_host *hh, hsp_wanted *w)
{
  const char *f;
  size_t i, n = 0, bytes = 0, cap = 4;
  char *text;
  if(w->loaded)
    return HRSYNC_OK;
  for(; (f = hh->h->wanted_field(hh->ctx, n)) != NULL; n++)
    bytes += strlen(f) + 1;
  while(cap < 2 * n)
    cap *= 2;
  memset(w, 0, sizeof(*w));
  w->all = n == 0;
  if(n) {
    if(!(w->ids = calloc(1, (n + cap) * sizeof(char *) + bytes)))
      return HRSYNC_E_NOMEM;
    w->slots = w->ids + n;
    w->mask = cap - 1;
    text = (char *)(w->slots + cap);
    for(i = 0; i < n && (f = hh->h->wanted_field(hh->ctx, i)) != NULL; i++) {
      size_t len = strlen(f) + 1, s;
      if(len > bytes)
        break; /* the host's list changed under us: keep what fits */
      memcpy(text, f, len);
      w->ids[i] = text;
      text += len;
      bytes -= len;
      for(s = str_hash(w->ids[i]) & w->mask; w->slots[s];
          s = (s + 1) & w->mask)
        if(!strcmp(w->slots[s], w->ids[i]))
          break;
      w->slots[s] = w->ids[i];
    }
    w->n = i;
  }
  w->loaded = 1;
  return HRSYNC_OK;
}

int hsp_wanted_has(const hsp_wanted *w, const char *id)
{
  size_t s;
  if(w->all)
    return 1;
  if(!w->n)
    return 0;
  for(s = str_hash(id) & w->mask; w->slots[s]; s = (s + 1) & w->mask)
    if(!strcmp(w->slots[s], id))
      return 1;
  return 0;
}

int hsp_wanted_prefix(const hsp_wanted *w, const char *prefix)
{
  size_t i, n = strlen(prefix);
  if(w->all)
    return 1;
  for(i = 0; i < w->n; i++)
    if(!strncmp(w->ids[i], prefix, n))
      return 1;
  return 0;
}

void hsp_wanted_free(hsp_wanted *w)
{
  free(w->ids);
  memset(w, 0, sizeof(*w));
}

/* "%lld" of n into tmp, without printf (ids are ints on every page). */
static const char *int_text(int64_t n, char *tmp, size_t cap)
{
  char d[24];
  size_t i = sizeof(d), len;
  uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
  do {
    d[--i] = (char)('0' + u % 10);
    u /= 10;
  } while(u);
  if(n < 0)
    d[--i] = '-';
  len = sizeof(d) - i;
  if(len >= cap) {
    snprintf(tmp, cap, "%lld", (long long)n); /* cut as snprintf cuts */
    return tmp;
  }
  memcpy(tmp, d + i, len);
  tmp[len] = 0;
  return tmp;
}

const char *hsp_json_text(json_object *v, char *tmp, size_t cap)
{
  switch(json_object_get_type(v)) {
  case json_type_null:
    return NULL;
  case json_type_string:
    return json_object_get_string(v);
  case json_type_boolean:
    return json_object_get_boolean(v) ? "true" : "false";
  case json_type_int:
    return int_text(json_object_get_int64(v), tmp, cap);
  case json_type_double:
    snprintf(tmp, cap, "%.15g", json_object_get_double(v));
    return tmp;
  default:
    return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
  }
}

json_object *hsp_json_path(json_object *root, const char *path)
{
  char key[128];
  while(root && *path) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    if(n >= sizeof(key) || !json_object_is_type(root, json_type_object))
      return NULL;
    memcpy(key, path, n);
    key[n] = 0;
    if(!json_object_object_get_ex(root, key, &root))
      return NULL;
    path += n + (dot ? 1 : 0);
  }
  return root;
}

const char *hsp_json_str(json_object *obj, const char *key)
{
  json_object *v;
  if(!obj || !json_object_object_get_ex(obj, key, &v) ||
     !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

hrsync_status hsp_join(struct printbuf *pb, const char *text)
{
  if(!text || !*text)
    return HRSYNC_OK;
  if(pb->bpos && printbuf_memappend(pb, ", ", 2) < 0)
    return HRSYNC_E_NOMEM;
  if(printbuf_memappend(pb, text, (int)strlen(text)) < 0)
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

hrsync_status hsp_emit(const hsp_host *hh, const char *field_id,
                       json_object *v)
{
  char tmp[64];
  return hh->h->record_set(hh->ctx, field_id,
                           hsp_json_text(v, tmp, sizeof(tmp)));
}

void hsp_request(hrsync_http_request *req, const char *method, const char *url,
                 const hrsync_kv *headers, size_t n_headers)
{
  memset(req, 0, sizeof(*req));
  req->struct_size = sizeof(*req);
  req->method = method;
  req->url = url;
  req->headers = headers;
  req->n_headers = n_headers;
}

hrsync_status hsp_call_json(const hsp_host *hh, const hrsync_http_request *req,
                            const char *what, json_object **out)
{
  const hrsync_http_response *resp = NULL;
  hrsync_status st = hh->h->http(hh->ctx, req, &resp);
  *out = NULL;
  if(!st)
    st = hsp_check_status(hh, resp, what, NULL);
  if(!st)
    st = hsp_parse_json(hh, resp, what, out);
  return st;
}

hrsync_status hsp_url(const hsp_host *hh, char *dst, size_t cap,
                      const char *base, const char *fmt, ...)
{
  size_t n = strlen(base);
  va_list ap;
  int m;
  while(n && base[n - 1] == '/')
    n--;
  if(n >= cap)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_CONFIG,
                         "base_url is too long");
  memcpy(dst, base, n);
  va_start(ap, fmt);
  m = vsnprintf(dst + n, cap - n, fmt, ap);
  va_end(ap);
  if(m < 0 || (size_t)m >= cap - n)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_CONFIG,
                         "request URL is too long (base_url %.*s)", (int)n,
                         base);
  return HRSYNC_OK;
}

hrsync_status hsp_need(const hsp_host *hh, const char *key, int secret,
                       char *dst, size_t cap)
{
  const char *v =
      secret ? hh->h->secret(hh->ctx, key) : hh->h->setting(hh->ctx, key);
  if(!v || !*v)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_CONFIG, "%s.%s is not set",
                         secret ? "secrets" : "settings", key);
  if(strlen(v) >= cap)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_CONFIG, "%s.%s is too long",
                         secret ? "secrets" : "settings", key);
  memcpy(dst, v, strlen(v) + 1);
  return HRSYNC_OK;
}

hrsync_status hsp_form_add(char *dst, size_t cap, size_t *len, const char *key,
                           const char *value)
{
  size_t w;
  int n = snprintf(dst + *len, cap - *len, "%s%s=", *len ? "&" : "", key);
  if(n < 0 || (size_t)n >= cap - *len)
    return HRSYNC_E_CONFIG;
  *len += (size_t)n;
  w = hrsync_url_escape(dst + *len, cap - *len, value);
  if(w == (size_t)-1)
    return HRSYNC_E_CONFIG;
  *len += w;
  return HRSYNC_OK;
}

hrsync_status hsp_get_json(const hsp_host *hh, const char *base,
                           const char *path, const char *auth,
                           const char *what, unsigned flags, unsigned *status,
                           json_object **out)
{
  char url[2048];
  hrsync_kv headers[2] = {{"Accept", "application/json"},
                          {"Authorization", auth}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  hrsync_status st;
  *out = NULL;
  if(status)
    *status = 0;
  if((st = hsp_url(hh, url, sizeof(url), base, "%s", path)))
    return st;
  hsp_request(&req, "GET", url, headers, 2);
  if((st = hh->h->http(hh->ctx, &req, &resp)))
    return st;
  if(status)
    *status = resp->status;
  if((flags & HSP_REFUSED_OK) &&
     (resp->status == 400 || resp->status == 403 || resp->status == 404))
    return HRSYNC_OK;
  st = hsp_check_status(hh, resp, what, NULL);
  if(!st)
    st = hsp_parse_json(hh, resp, what, out);
  return st;
}
