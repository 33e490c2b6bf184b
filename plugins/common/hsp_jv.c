/*
** Flat JSON values. See hsp_jv.h; the builder is hsp_jv_int.h.
*/
#include "hsp_jv_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* An open container: its node, and a 1024-bit filter of its members'
** names, so that a repeated name is looked for only when it may be one
** (an employee of 50 members looks a few times, not 50). */
typedef struct jb_open {
  uint32_t node;
  uint64_t seen[16];
} jb_open;

struct hsp_jdoc {
  hsp_jv *nodes;
  size_t n, cap;
  char *text;
  size_t tlen, tcap;
  jb_open *stack;
  size_t depth, scap;
  size_t limit; /* bytes the value may take (text + nodes); 0: any */
  /* The name of the member whose value comes next. */
  size_t key_off;
  uint32_t key_len, key_hash;
  int has_key;
};

/* A member name's hash: its length and first and last eight bytes, mixed
** (a byte-at-a-time hash was a quarter of the parse). Names alike in
** those only cost a memcmp. */
static uint32_t key_hash(const char *s, size_t n)
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

hsp_jdoc *hsp_jdoc_new(void)
{
  return calloc(1, sizeof(hsp_jdoc));
}

void hsp_jdoc_free(hsp_jdoc *d)
{
  if(!d)
    return;
  free(d->nodes);
  free(d->text);
  free(d->stack);
  free(d);
}

void hsp_jdoc__reset(hsp_jdoc *d, size_t limit)
{
  d->n = d->tlen = d->depth = 0;
  d->has_key = 0;
  d->limit = limit;
}

size_t hsp_jdoc__depth(const hsp_jdoc *d)
{
  return d->depth;
}

static int grow(void **p, size_t *cap, size_t need, size_t each)
{
  size_t c = *cap ? *cap : 64;
  void *q;
  if(need <= *cap)
    return 0;
  while(c < need)
    c *= 2;
  if(!(q = realloc(*p, c * each)))
    return -1;
  *p = q;
  *cap = c;
  return 0;
}

static int too_big(const hsp_jdoc *d)
{
  return d->limit && d->tlen + d->n * sizeof(hsp_jv) > d->limit;
}

/* Copies s into the text block, NUL-terminated, each NUL inside as C0 80
** (hsp_json_mark_nul's rule). Its offset + 1 in *off. */
static int put_text(hsp_jdoc *d, const char *s, size_t len, size_t *off,
                    uint32_t *out_len)
{
  size_t nuls = 0, i, j;
  const char *z = len ? memchr(s, 0, len) : NULL;
  if(z)
    for(i = (size_t)(z - s); i < len; i++)
      nuls += s[i] == 0;
  if(len + nuls > UINT32_MAX - 1 ||
     grow((void **)&d->text, &d->tcap, d->tlen + len + nuls + 1, 1))
    return HSP_JB_NOMEM;
  *off = d->tlen + 1;
  if(!nuls) {
    memcpy(d->text + d->tlen, s, len);
    j = len;
  }
  else {
    char *o = d->text + d->tlen;
    for(i = j = 0; i < len; i++) {
      if(s[i]) {
        o[j++] = s[i];
        continue;
      }
      o[j++] = (char)0xC0;
      o[j++] = (char)0x80;
    }
  }
  d->text[d->tlen + j] = 0;
  d->tlen += j + 1;
  *out_len = (uint32_t)j;
  return too_big(d) ? HSP_JB_BIG : HSP_JB_OK;
}

int hsp_jdoc__key(hsp_jdoc *d, const char *s, size_t len)
{
  jb_open *o = d->depth ? &d->stack[d->depth - 1] : NULL;
  uint32_t bit;
  int rc = put_text(d, s, len, &d->key_off, &d->key_len);
  if(rc)
    return rc;
  d->key_hash = key_hash(d->text + d->key_off - 1, d->key_len);
  d->has_key = 1;
  if(!o)
    return HSP_JB_OK;
  /* A name already used in this object shadows its earlier member. */
  bit = d->key_hash & 1023;
  if(o->seen[bit >> 6] & ((uint64_t)1 << (bit & 63))) {
    size_t c = o->node + 1;
    const char *k = d->text + d->key_off - 1;
    while(c < d->n) {
      hsp_jv *m = &d->nodes[c];
      if(!m->shadowed && m->hash == d->key_hash && m->key_len == d->key_len &&
         !memcmp(d->text + (uintptr_t)m->key - 1, k, d->key_len)) {
        m->shadowed = 1;
        d->nodes[o->node].len--;
      }
      c += m->size;
    }
  }
  o->seen[bit >> 6] |= (uint64_t)1 << (bit & 63);
  return HSP_JB_OK;
}

/* A new node at the end, its name the pending key. */
static hsp_jv *push(hsp_jdoc *d, hsp_jv_type type)
{
  hsp_jv *v;
  if(d->n >= UINT32_MAX ||
     grow((void **)&d->nodes, &d->cap, d->n + 1, sizeof(hsp_jv)))
    return NULL;
  v = &d->nodes[d->n++];
  memset(v, 0, sizeof(*v));
  v->type = (uint8_t)type;
  v->size = 1;
  if(d->has_key) {
    v->key = (const char *)(uintptr_t)d->key_off;
    v->key_len = d->key_len;
    v->hash = d->key_hash;
    d->has_key = 0;
  }
  if(d->depth)
    d->nodes[d->stack[d->depth - 1].node].len++;
  return v;
}

int hsp_jdoc__scalar(hsp_jdoc *d, hsp_jv_type type, const char *s, size_t len)
{
  hsp_jv *v;
  size_t off = 0;
  int rc;
  if(d->depth >= HSP_JV_MAX_DEPTH)
    return HSP_JB_DEEP;
  if(!(v = push(d, type)))
    return HSP_JB_NOMEM;
  if(type == HSP_JV_BOOL) {
    v->len = len != 0; /* the value, until finish */
    return too_big(d) ? HSP_JB_BIG : HSP_JB_OK;
  }
  if(type == HSP_JV_NULL)
    return too_big(d) ? HSP_JB_BIG : HSP_JB_OK;
  if((rc = put_text(d, s, len, &off, &v->len)))
    return rc;
  /* put_text may have moved nothing but the text: v is still valid. */
  v->text = (const char *)(uintptr_t)off;
  return HSP_JB_OK;
}

int hsp_jdoc__open(hsp_jdoc *d, hsp_jv_type type)
{
  hsp_jv *v;
  jb_open *o;
  if(d->depth >= HSP_JV_MAX_DEPTH)
    return HSP_JB_DEEP;
  v = push(d, type);
  if(!v || grow((void **)&d->stack, &d->scap, d->depth + 1, sizeof(jb_open)))
    return HSP_JB_NOMEM;
  o = &d->stack[d->depth++];
  o->node = (uint32_t)(d->n - 1);
  memset(o->seen, 0, sizeof(o->seen));
  return too_big(d) ? HSP_JB_BIG : HSP_JB_OK;
}

int hsp_jdoc__close(hsp_jdoc *d)
{
  hsp_jv *v;
  if(!d->depth)
    return HSP_JB_OK;
  v = &d->nodes[d->stack[--d->depth].node];
  v->size = (uint32_t)(d->n - d->stack[d->depth].node);
  return HSP_JB_OK;
}

const hsp_jv *hsp_jdoc__finish(hsp_jdoc *d)
{
  size_t i;
  for(i = 0; i < d->n; i++) {
    hsp_jv *v = &d->nodes[i];
    if(v->key)
      v->key = d->text + (uintptr_t)v->key - 1;
    if(v->type == HSP_JV_BOOL) {
      v->text = v->len ? "true" : "false";
      v->len = v->len ? 4 : 5;
    }
    else if(v->text) {
      v->text = d->text + (uintptr_t)v->text - 1;
    }
  }
  return d->n ? d->nodes : NULL;
}

void hsp_jdoc__yajl_error(void *yajl, char *dst, size_t cap)
{
  unsigned char *e = yajl_get_error(yajl, 0, NULL, 0);
  const char *s = e ? (const char *)e : "malformed";
  size_t n;
  if(!strncmp(s, "parse error: ", 13))
    s += 13;
  else if(!strncmp(s, "lexical error: ", 15))
    s += 15;
  snprintf(dst, cap, "%s", s);
  n = strlen(dst);
  while(n && (dst[n - 1] == '\n' || dst[n - 1] == '.' || dst[n - 1] == ' '))
    dst[--n] = 0;
  if(e)
    yajl_free_error(yajl, e);
}

/* ---- whole bodies ---- */

typedef struct parse_ctx {
  hsp_jdoc *d;
  int rc;
} parse_ctx;

static int keep(parse_ctx *p, int rc)
{
  p->rc = rc;
  return rc == HSP_JB_OK;
}

static int on_null(void *a)
{
  return keep(a, hsp_jdoc__scalar(((parse_ctx *)a)->d, HSP_JV_NULL, NULL, 0));
}

static int on_bool(void *a, int b)
{
  return keep(a, hsp_jdoc__scalar(((parse_ctx *)a)->d, HSP_JV_BOOL, NULL,
                                  (size_t)(b != 0)));
}

static hsp_jv_type number_type(const char *s, size_t n)
{
  return memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n)
             ? HSP_JV_DOUBLE
             : HSP_JV_INT;
}

static int on_number(void *a, const char *s, size_t n)
{
  return keep(a,
              hsp_jdoc__scalar(((parse_ctx *)a)->d, number_type(s, n), s, n));
}

static int on_string(void *a, const unsigned char *s, size_t n)
{
  return keep(a, hsp_jdoc__scalar(((parse_ctx *)a)->d, HSP_JV_STRING,
                                  (const char *)s, n));
}

static int on_key(void *a, const unsigned char *s, size_t n)
{
  return keep(a, hsp_jdoc__key(((parse_ctx *)a)->d, (const char *)s, n));
}

static int on_start_map(void *a)
{
  return keep(a, hsp_jdoc__open(((parse_ctx *)a)->d, HSP_JV_OBJECT));
}

static int on_start_array(void *a)
{
  return keep(a, hsp_jdoc__open(((parse_ctx *)a)->d, HSP_JV_ARRAY));
}

static int on_end(void *a)
{
  return keep(a, hsp_jdoc__close(((parse_ctx *)a)->d));
}

/* Numbers come as their text (yajl_number), never as C numbers. */
static const yajl_callbacks doc_callbacks = {
    on_null,      on_bool, NULL,   NULL,           on_number, on_string,
    on_start_map, on_key,  on_end, on_start_array, on_end};

hrsync_status hsp_jdoc_parse(const hsp_host *hh, hsp_jdoc *d, const char *what,
                             const char *body, size_t len, const hsp_jv **root)
{
  parse_ctx p = {d, HSP_JB_OK};
  yajl_handle y;
  yajl_status ys;
  char why[160] = "empty body";
  *root = NULL;
  hsp_jdoc__reset(d, 0);
  if(!(y = yajl_alloc(&doc_callbacks, NULL, &p)))
    return HRSYNC_E_NOMEM;
  yajl_config(y, yajl_dont_validate_strings, 1);
  ys = yajl_parse(y, (const unsigned char *)body, len);
  if(ys == yajl_status_ok)
    ys = yajl_complete_parse(y);
  if(p.rc == HSP_JB_DEEP)
    snprintf(why, sizeof(why), "nesting too deep");
  else if(ys != yajl_status_ok && p.rc == HSP_JB_OK && len)
    hsp_jdoc__yajl_error(y, why, sizeof(why));
  yajl_free(y);
  if(p.rc == HSP_JB_NOMEM)
    return HRSYNC_E_NOMEM;
  if(ys != yajl_status_ok || !len || !d->n)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_PARSE,
                         "%s: malformed JSON (%zu bytes): %s", what, len, why);
  *root = hsp_jdoc__finish(d);
  return HRSYNC_OK;
}

hrsync_status hsp_call_jv(const hsp_host *hh, const hrsync_http_request *req,
                          const char *what, hsp_jdoc *d, const hsp_jv **root)
{
  const hrsync_http_response *resp = NULL;
  hrsync_status st = hh->h->http(hh->ctx, req, &resp);
  *root = NULL;
  if(!st)
    st = hsp_check_status(hh, resp, what, NULL);
  if(!st)
    st = hsp_jdoc_parse(hh, d, what, resp->body, resp->body_len, root);
  return st;
}

/* ---- reading ---- */

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
  h = key_hash(key, n);
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
  long long n;
  errno = 0;
  n = strtoll(s, NULL, 10);
  return (int64_t)n;
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
