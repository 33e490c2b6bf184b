/* Request and response helpers shared by the system handlers. */
#include "emu.h"

#include <json-c/json.h>
#include <microhttpd.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

const char *emu_req_arg(const emu_req *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

static int hexval(int c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

const char *emu_req_raw_arg(const emu_req *req, const char *name, char *out,
                            size_t outlen)
{
  const char *q = req->raw_uri ? strchr(req->raw_uri, '?') : NULL;
  size_t n = strlen(name), o = 0;

  while(q && *q) {
    q++;
    if(!strncmp(q, name, n) && q[n] == '=') {
      for(q += n + 1; *q && *q != '&' && o + 1 < outlen; q++) {
        if(*q == '%' && hexval(q[1]) >= 0 && hexval(q[2]) >= 0) {
          out[o++] = (char)(hexval(q[1]) * 16 + hexval(q[2]));
          q += 2;
        }
        else
          out[o++] = *q;
      }
      out[o] = '\0';
      return out;
    }
    q = strchr(q, '&');
  }
  return NULL;
}

struct each_cls {
  const char *name;
  void (*fn)(void *cls, const char *value);
  void *cls;
};

static enum MHD_Result each_cb(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
  struct each_cls *e = cls;

  (void)kind;
  if(key && !strcmp(key, e->name))
    e->fn(e->cls, value ? value : "");
  return MHD_YES;
}

void emu_req_args_each(const emu_req *req, const char *name,
                       void (*fn)(void *cls, const char *value), void *cls)
{
  struct each_cls e;

  e.name = name;
  e.fn = fn;
  e.cls = cls;
  MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, each_cb, &e);
}

const char *emu_req_header(const emu_req *req, const char *name)
{
  return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static int b64val(int c)
{
  if(c >= 'A' && c <= 'Z')
    return c - 'A';
  if(c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if(c >= '0' && c <= '9')
    return c - '0' + 52;
  if(c == '+')
    return 62;
  if(c == '/')
    return 63;
  return -1;
}

/* Decodes standard base64 (padding optional); NULL if malformed. */
static char *b64decode(const char *s)
{
  size_t n = strlen(s), o = 0, i;
  char *out = malloc(n + 1);
  unsigned acc = 0;
  int bits = 0;

  if(!out)
    return NULL;
  for(i = 0; i < n && s[i] != '='; i++) {
    int v = b64val((unsigned char)s[i]);
    if(v < 0) {
      free(out);
      return NULL;
    }
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if(bits >= 8) {
      bits -= 8;
      out[o++] = (char)((acc >> bits) & 0xff);
    }
  }
  out[o] = '\0';
  if(strlen(out) != o) { /* embedded NUL */
    free(out);
    return NULL;
  }
  return out;
}

int emu_req_basic(const emu_req *req, char **user, char **pass)
{
  const char *tok = emu_req_auth_token(req, "Basic", 1);
  char *dec, *colon;

  *user = *pass = NULL;
  if(!tok || !(dec = b64decode(tok)))
    return -1;
  colon = strchr(dec, ':');
  if(!colon) {
    free(dec);
    return -1;
  }
  *colon = '\0';
  *pass = strdup(colon + 1);
  *user = dec;
  if(!*pass) {
    free(dec);
    *user = NULL;
    return -1;
  }
  return 0;
}

const char *emu_req_auth_token(const emu_req *req, const char *scheme,
                               int icase)
{
  const char *h = emu_req_header(req, "Authorization");
  size_t n = strlen(scheme);

  if(!h)
    return NULL;
  if(icase ? strncasecmp(h, scheme, n) : strncmp(h, scheme, n))
    return NULL;
  if(h[n] != ' ')
    return NULL;
  h += n;
  while(*h == ' ')
    h++;
  return *h ? h : NULL;
}

int emu_req_withheld(const emu_req *req, int f)
{
  return req->hit && req->hit->nwithhold &&
         emu_fault_hit_withholds(req->hit, emu_field_name(f));
}

int emu_req_withheld_custom(const emu_req *req, const char *key)
{
  char name[128];

  if(!req->hit || !req->hit->nwithhold)
    return 0;
  snprintf(name, sizeof(name), "custom.%s", key);
  return emu_fault_hit_withholds(req->hit, key) ||
         emu_fault_hit_withholds(req->hit, name);
}

json_object *emu_req_json(const emu_req *req)
{
  json_tokener *tok;
  json_object *obj;

  if(!req->body || !req->body_len)
    return NULL;
  tok = json_tokener_new();
  if(!tok)
    return NULL;
  obj = json_tokener_parse_ex(tok, req->body, (int)req->body_len);
  if(json_tokener_get_error(tok) != json_tokener_success ||
     json_tokener_get_parse_end(tok) != req->body_len) {
    /* Trailing whitespace is fine; anything else is not JSON. */
    size_t i;
    int bad = json_tokener_get_error(tok) != json_tokener_success;
    for(i = json_tokener_get_parse_end(tok); !bad && i < req->body_len; i++)
      if(req->body[i] != ' ' && req->body[i] != '\n' && req->body[i] != '\r' &&
         req->body[i] != '\t')
        bad = 1;
    if(bad) {
      json_object_put(obj);
      obj = NULL;
    }
  }
  json_tokener_free(tok);
  return obj;
}

void emu_resp_header(emu_resp *resp, const char *name, const char *fmt, ...)
{
  va_list ap;
  char val[512];

  if(resp->nhdr >= EMU_MAX_HEADERS)
    return;
  va_start(ap, fmt);
  vsnprintf(val, sizeof(val), fmt, ap);
  va_end(ap);
  resp->hname[resp->nhdr] = strdup(name);
  resp->hvalue[resp->nhdr] = strdup(val);
  if(!resp->hname[resp->nhdr] || !resp->hvalue[resp->nhdr]) {
    free(resp->hname[resp->nhdr]);
    free(resp->hvalue[resp->nhdr]);
    return;
  }
  resp->nhdr++;
}

void emu_resp_start(emu_resp *resp, unsigned status, const char *ctype)
{
  resp->status = status;
  resp->ctype = ctype;
  resp->body.len = 0;
  if(resp->body.data)
    resp->body.data[0] = '\0';
}

void emu_resp_free(emu_resp *resp)
{
  int i;

  emu_buf_free(&resp->body);
  for(i = 0; i < resp->nhdr; i++) {
    free(resp->hname[i]);
    free(resp->hvalue[i]);
  }
  resp->nhdr = 0;
}

int64_t emu_now(void)
{
  return (int64_t)time(NULL);
}

long emu_parse_nonneg(const char *s)
{
  long v = 0;

  if(!s || !*s)
    return -1;
  for(; *s; s++) {
    if(*s < '0' || *s > '9' || v > 100000000L)
      return -1;
    v = v * 10 + (*s - '0');
  }
  return v;
}
