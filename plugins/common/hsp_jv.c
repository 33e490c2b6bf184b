/*
** Reading flat JSON values (hsp_jv.h): lookups, numbers, their text as
** json-c gives it, and the bridge to json-c. Building them is hsp_jdoc.c.
*/
#include "hsp_jv_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A member name's hash: its length and first and last eight bytes, mixed
** (a byte-at-a-time hash was a quarter of the parse). Names alike in
** those only cost a memcmp. */
uint32_t hsp_jv__hash(const char *s, size_t n)
{
  uint64_t a = 0, b = 0, h;
  size_t i;
  if(n >= 8) {
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
  }
  else {
    for(i = 0; i < n; i++)
      a |= (uint64_t)(unsigned char)s[i] << (8 * i);
  }
  h = a * 0x9E3779B97F4A7C15ull ^ (b + n) * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  return (uint32_t)h ^ (uint32_t)(h >> 32);
}

hsp_jv_type hsp_jv_kind(const hsp_jv *v)
{
  return v ? (hsp_jv_type)v->type : HSP_JV_NULL;
}

static const hsp_jv *member(const hsp_jv *obj, const char *key, size_t n)
{
  const hsp_jv *c, *end;
  uint32_t h;
  if(!obj || obj->type != HSP_JV_OBJECT)
    return NULL;
  h = hsp_jv__hash(key, n);
  end = obj + obj->size;
  for(c = obj + 1; c < end; c += c->size)
    if(c->hash == h && c->key_len == n && !c->shadowed &&
       !memcmp(c->key, key, n))
      return c;
  return NULL;
}

const hsp_jv *hsp_jv_get(const hsp_jv *obj, const char *key)
{
  return member(obj, key, strlen(key));
}

const hsp_jv *hsp_jv_path(const hsp_jv *root, const char *path)
{
  while(root && *path) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    root = member(root, path, n);
    path += n + (dot ? 1 : 0);
  }
  return root;
}

const char *hsp_jv_string(const hsp_jv *v)
{
  return v && v->type == HSP_JV_STRING ? v->text : NULL;
}

const char *hsp_jv_str(const hsp_jv *obj, const char *key)
{
  return hsp_jv_string(hsp_jv_get(obj, key));
}

static const hsp_jv *unshadowed(const hsp_jv *c, const hsp_jv *end)
{
  while(c < end && c->shadowed)
    c += c->size;
  return c < end ? c : NULL;
}

const hsp_jv *hsp_jv_first(const hsp_jv *v)
{
  if(!v || (v->type != HSP_JV_ARRAY && v->type != HSP_JV_OBJECT))
    return NULL;
  return unshadowed(v + 1, v + v->size);
}

const hsp_jv *hsp_jv_next(const hsp_jv *parent, const hsp_jv *child)
{
  return unshadowed(child + child->size, parent + parent->size);
}

const hsp_jv *hsp_jv_at(const hsp_jv *arr, size_t i)
{
  const hsp_jv *c;
  if(!arr || arr->type != HSP_JV_ARRAY)
    return NULL;
  for(c = hsp_jv_first(arr); c && i; i--)
    c = hsp_jv_next(arr, c);
  return c;
}

size_t hsp_jv_count(const hsp_jv *v)
{
  return v && (v->type == HSP_JV_ARRAY || v->type == HSP_JV_OBJECT) ? v->len
                                                                    : 0;
}

/* json-c's json_parse_int64: strtoll, saturated. */
static int64_t text_int(const char *s)
{
  return (int64_t)strtoll(s, NULL, 10);
}

/* json-c keeps an integer past int64 as a uint64 (saturated): printed and
** converted to double as one, read as int64 saturated. */
static int past_int64(const hsp_jv *v)
{
  return v->text[0] != '-' &&
         (v->len > 19 ||
          (v->len == 19 && strcmp(v->text, "9223372036854775807") > 0));
}

int64_t hsp_jv_int(const hsp_jv *v)
{
  double x;
  switch(hsp_jv_kind(v)) {
  case HSP_JV_BOOL:
    return v->len == 4;
  case HSP_JV_INT:
  case HSP_JV_STRING:
    return text_int(v->text);
  case HSP_JV_DOUBLE:
    x = strtod(v->text, NULL);
    if(x >= 9223372036854775807.0)
      return INT64_MAX;
    if(x <= -9223372036854775808.0)
      return INT64_MIN;
    return (int64_t)x;
  default:
    return 0;
  }
}

double hsp_jv_double(const hsp_jv *v)
{
  switch(hsp_jv_kind(v)) {
  case HSP_JV_BOOL:
    return v->len == 4;
  case HSP_JV_INT:
    if(past_int64(v))
      return (double)strtoull(v->text, NULL, 10);
    return (double)text_int(v->text);
  case HSP_JV_DOUBLE:
  case HSP_JV_STRING:
    return strtod(v->text, NULL);
  default:
    return 0;
  }
}

int hsp_jv_bool(const hsp_jv *v)
{
  switch(hsp_jv_kind(v)) {
  case HSP_JV_BOOL:
    return v->len == 4;
  case HSP_JV_INT:
    return hsp_jv_int(v) != 0;
  case HSP_JV_DOUBLE:
    return hsp_jv_double(v) != 0;
  case HSP_JV_STRING:
    return v->len != 0;
  default:
    return 0;
  }
}

/* An integer as json-c prints it: its int64 value. JSON's grammar makes
** the text already that but for "-0" and values past int64. */
static const char *int_text(const hsp_jv *v, char *tmp, size_t cap)
{
  if(v->len <= 18 && strcmp(v->text, "-0"))
    return v->text;
  snprintf(tmp, cap, "%" PRId64, hsp_jv_int(v));
  return tmp;
}

/* json-c's string escaping (JSON_C_TO_STRING_PLAIN: "/" escaped too). */
static int put_escaped(struct printbuf *pb, const char *s, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  size_t i, from = 0;
  int rc = printbuf_memappend(pb, "\"", 1);
  for(i = 0; rc >= 0 && i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[7];
    switch(c) {
    case '\b':
      esc = "\\b";
      break;
    case '\n':
      esc = "\\n";
      break;
    case '\r':
      esc = "\\r";
      break;
    case '\t':
      esc = "\\t";
      break;
    case '\f':
      esc = "\\f";
      break;
    case '"':
      esc = "\\\"";
      break;
    case '\\':
      esc = "\\\\";
      break;
    case '/':
      esc = "\\/";
      break;
    default:
      if(c < ' ') {
        memcpy(u, "\\u00", 4);
        u[4] = hex[c >> 4];
        u[5] = hex[c & 15];
        u[6] = 0;
        esc = u;
      }
    }
    if(!esc)
      continue;
    if(i > from)
      rc = printbuf_memappend(pb, s + from, (int)(i - from));
    if(rc >= 0)
      rc = printbuf_memappend(pb, esc, (int)strlen(esc));
    from = i + 1;
  }
  if(rc >= 0 && n > from)
    rc = printbuf_memappend(pb, s + from, (int)(n - from));
  return rc >= 0 ? printbuf_memappend(pb, "\"", 1) : rc;
}

static int put_json(struct printbuf *pb, const hsp_jv *v)
{
  char tmp[32];
  const hsp_jv *c;
  const char *t;
  int rc = 0, obj = v->type == HSP_JV_OBJECT;
  switch(v->type) {
  case HSP_JV_NULL:
    return printbuf_memappend(pb, "null", 4);
  case HSP_JV_INT:
    if(past_int64(v))
      snprintf(tmp, sizeof(tmp), "%llu", strtoull(v->text, NULL, 10));
    t = past_int64(v) ? tmp : int_text(v, tmp, sizeof(tmp));
    return printbuf_memappend(pb, t, (int)strlen(t));
  case HSP_JV_BOOL:
  case HSP_JV_DOUBLE: /* json-c prints a parsed double as it was sent */
    return printbuf_memappend(pb, v->text, (int)v->len);
  case HSP_JV_STRING:
    return put_escaped(pb, v->text, v->len);
  default:
    break;
  }
  rc = printbuf_memappend(pb, obj ? "{" : "[", 1);
  for(c = hsp_jv_first(v); rc >= 0 && c; c = hsp_jv_next(v, c)) {
    if(c != hsp_jv_first(v))
      rc = printbuf_memappend(pb, ",", 1);
    if(rc >= 0 && obj && (rc = put_escaped(pb, c->key, c->key_len)) >= 0)
      rc = printbuf_memappend(pb, ":", 1);
    if(rc >= 0)
      rc = put_json(pb, c);
  }
  return rc >= 0 ? printbuf_memappend(pb, obj ? "}" : "]", 1) : rc;
}

const char *hsp_jv_text(const hsp_jv *v, char *tmp, size_t cap,
                        struct printbuf *pb)
{
  switch(hsp_jv_kind(v)) {
  case HSP_JV_NULL:
    return NULL;
  case HSP_JV_STRING:
  case HSP_JV_BOOL:
    return v->text;
  case HSP_JV_INT:
    return int_text(v, tmp, cap);
  case HSP_JV_DOUBLE:
    snprintf(tmp, cap, "%.15g", strtod(v->text, NULL));
    return tmp;
  default:
    if(!pb)
      return NULL;
    printbuf_reset(pb);
    if(put_json(pb, v) < 0)
      return NULL;
    return pb->buf;
  }
}

hrsync_status hsp_emit_jv(const hsp_host *hh, const char *field_id,
                          const hsp_jv *v, struct printbuf *pb)
{
  char tmp[64];
  const char *text = hsp_jv_text(v, tmp, sizeof(tmp), pb);
  if(!text && hsp_jv_kind(v) != HSP_JV_NULL)
    return HRSYNC_E_NOMEM;
  return hh->h->record_set(hh->ctx, field_id, text);
}

json_object *hsp_jv_json(const hsp_jv *v)
{
  json_object *o = NULL;
  const hsp_jv *c;
  switch(hsp_jv_kind(v)) {
  case HSP_JV_NULL:
    return NULL;
  case HSP_JV_BOOL:
    return json_object_new_boolean(v->len == 4);
  case HSP_JV_INT:
    if(past_int64(v))
      return json_object_new_uint64(strtoull(v->text, NULL, 10));
    return json_object_new_int64(hsp_jv_int(v));
  case HSP_JV_DOUBLE:
    return json_object_new_double_s(strtod(v->text, NULL), v->text);
  case HSP_JV_STRING:
    return json_object_new_string_len(v->text, (int)v->len);
  case HSP_JV_ARRAY:
    if(!(o = json_object_new_array_ext((int)v->len)))
      return NULL;
    for(c = hsp_jv_first(v); c; c = hsp_jv_next(v, c)) {
      json_object *e = hsp_jv_json(c);
      if((!e && c->type != HSP_JV_NULL) || json_object_array_add(o, e)) {
        json_object_put(e);
        json_object_put(o);
        return NULL;
      }
    }
    return o;
  case HSP_JV_OBJECT:
    if(!(o = json_object_new_object()))
      return NULL;
    for(c = hsp_jv_first(v); c; c = hsp_jv_next(v, c)) {
      json_object *e = hsp_jv_json(c);
      if((!e && c->type != HSP_JV_NULL) ||
         json_object_object_add(o, c->key, e)) {
        json_object_put(e);
        json_object_put(o);
        return NULL;
      }
    }
    return o;
  }
  return NULL;
}
