/*
** Building flat JSON values (hsp_jv_int.h) and parsing whole bodies into
** them with yajl. Reading them is hsp_jv.c.
*/
#include "hsp_jv_int.h"

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
  d->key_hash = hsp_jv__hash(d->text + d->key_off - 1, d->key_len);
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

hsp_jv_type hsp_jv__number_type(const char *s, size_t n)
{
  return memchr(s, '.', n) || memchr(s, 'e', n) || memchr(s, 'E', n)
             ? HSP_JV_DOUBLE
             : HSP_JV_INT;
}

static int on_number(void *a, const char *s, size_t n)
{
  return keep(a, hsp_jdoc__scalar(((parse_ctx *)a)->d,
                                  hsp_jv__number_type(s, n), s, n));
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
