/*
** Reading one big JSON answer one element at a time, pushed in chunks.
**
** HiBob's search and BambooHR's custom report have no pagination: the
** whole roster arrives as one body. yajl reads it as it comes (it keeps
** its own state across chunks: a string, an escape or a number cut in
** two); its events for the answer's outer object and the array itself
** are followed here, and every value inside them is built into one
** reused hsp_jdoc (hsp_jv_int.h) and handed over when it closes. Memory
** is one element, not the answer.
*/
#include "hsp_jstream.h"

#include "hsp_jv_int.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

/* What the value being built is. */
typedef enum building { B_NONE, B_ELEM, B_MEMBER } building;

struct hsp_jstream {
  const hsp_host *hh;
  const char *what, *key;
  hsp_jelem_fn fn;
  hsp_jmember_fn other;
  void *arg;
  size_t max;
  yajl_handle y;
  hsp_jdoc *doc;

  size_t depth;   /* containers open in the answer */
  building b;     /* a value being built into doc */
  size_t skip;    /* > 0: inside a value nobody reads, to this depth */
  int top_object; /* the answer is an object */
  int in_array;   /* inside the streamed array */
  int found;      /* the array was seen */
  int done;       /* the answer's value is complete */
  size_t total;   /* bytes fed */
  size_t count;   /* elements handed to fn */
  hrsync_status st;
  char *name; /* the current top-level member's name */
  size_t name_cap;
};

static hrsync_status fail(hsp_jstream *s, hrsync_status st)
{
  if(!s->st)
    s->st = st;
  return s->st;
}

static int oversize(hsp_jstream *s)
{
  if(s->b == B_ELEM)
    fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                          "%s: %s[%zu] is over %zu bytes", s->what, s->key,
                          s->count, s->max));
  else
    fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                          "%s: member \"%s\" is over %zu bytes", s->what,
                          s->name ? s->name : "", s->max));
  return 0;
}

static hrsync_status malformed(hsp_jstream *s, const char *why, size_t at);

/* A builder result: 1 to go on, 0 to stop yajl. */
static int built(hsp_jstream *s, int rc)
{
  if(rc == HSP_JB_NOMEM) {
    fail(s, HRSYNC_E_NOMEM);
    return 0;
  }
  if(rc == HSP_JB_DEEP) {
    malformed(s, "nesting too deep", s->total + yajl_get_bytes_consumed(s->y));
    return 0;
  }
  return rc == HSP_JB_BIG ? oversize(s) : 1;
}

/* The value being built closed: handed over. */
static int complete(hsp_jstream *s)
{
  const hsp_jv *v = hsp_jdoc__finish(s->doc);
  hrsync_status st = HRSYNC_OK;
  building b = s->b;
  s->b = B_NONE;
  if(b == B_ELEM)
    st = s->fn(s->arg, v, s->count++);
  else if(s->other)
    st = s->other(s->arg, s->name, v);
  if(st) {
    fail(s, st);
    return 0;
  }
  return 1;
}

/* A value begins at the answer's current depth (a container's first
** event, or a whole scalar): 1 when it is to be built into doc. */
static int begins(hsp_jstream *s, int array)
{
  if(s->skip || s->b)
    return s->b != B_NONE && !s->skip;
  if(s->depth == 0) {
    s->top_object = !array; /* a scalar answer is caught by the caller */
    return 0;
  }
  if(s->depth == 1 && s->top_object) {
    if(!strcmp(s->name, s->key)) {
      s->found = array;
      s->in_array = array;
      return 0;
    }
    s->b = B_MEMBER;
  }
  else if(s->depth == 2 && s->in_array) {
    s->b = B_ELEM;
  }
  else {
    return 0;
  }
  hsp_jdoc__reset(s->doc, s->max);
  return 1;
}

static int scalar(hsp_jstream *s, hsp_jv_type type, const char *t, size_t n)
{
  if(s->depth == 0) {
    s->done = 1; /* not an object: the shape is wrong, said at the end */
    return 1;
  }
  if(s->depth == 1 && s->top_object && !s->skip && !s->b &&
     !strcmp(s->name, s->key))
    return 1; /* the array's name on something else: said at the end */
  if(!begins(s, 0))
    return 1;
  if(!built(s, hsp_jdoc__scalar(s->doc, type, t, n)))
    return 0;
  return hsp_jdoc__depth(s->doc) ? 1 : complete(s);
}

static int open_value(hsp_jstream *s, hsp_jv_type type)
{
  int build;
  if(s->skip) {
    s->depth++;
    return 1;
  }
  build = begins(s, type == HSP_JV_ARRAY);
  if(!build && !s->b && s->depth >= 1 &&
     !(s->depth == 1 && s->top_object && s->in_array &&
       !strcmp(s->name, s->key)))
    s->skip = s->depth; /* nobody reads it: skipped to its end */
  s->depth++;
  return build ? built(s, hsp_jdoc__open(s->doc, type)) : 1;
}

static int close_value(hsp_jstream *s)
{
  s->depth--;
  if(s->skip) {
    if(s->depth == s->skip)
      s->skip = 0;
    return 1;
  }
  if(s->b) {
    hsp_jdoc__close(s->doc);
    return hsp_jdoc__depth(s->doc) ? 1 : complete(s);
  }
  if(s->depth == 1 && s->in_array)
    s->in_array = 0;
  if(s->depth == 0)
    s->done = 1;
  return 1;
}

static int on_null(void *a)
{
  return scalar(a, HSP_JV_NULL, NULL, 0);
}

static int on_bool(void *a, int b)
{
  return scalar(a, HSP_JV_BOOL, NULL, (size_t)(b != 0));
}

static int on_number(void *a, const char *t, size_t n)
{
  return scalar(a, hsp_jv__number_type(t, n), t, n);
}

static int on_string(void *a, const unsigned char *t, size_t n)
{
  return scalar(a, HSP_JV_STRING, (const char *)t, n);
}

static int on_key(void *a, const unsigned char *t, size_t n)
{
  hsp_jstream *s = a;
  if(s->b && !s->skip)
    return built(s, hsp_jdoc__key(s->doc, (const char *)t, n));
  if(s->depth != 1 || s->skip)
    return 1;
  if(n + 1 > s->name_cap) {
    char *p = realloc(s->name, n + 1);
    if(!p) {
      fail(s, HRSYNC_E_NOMEM);
      return 0;
    }
    s->name = p;
    s->name_cap = n + 1;
  }
  memcpy(s->name, t, n);
  s->name[n] = 0;
  if(memchr(t, 0, n))
    s->name[0] = 1; /* not a name anyone asks for */
  return 1;
}

static int on_start_map(void *a)
{
  return open_value(a, HSP_JV_OBJECT);
}

static int on_start_array(void *a)
{
  return open_value(a, HSP_JV_ARRAY);
}

static int on_end(void *a)
{
  return close_value(a);
}

static const yajl_callbacks callbacks = {
    on_null,      on_bool, NULL,   NULL,           on_number, on_string,
    on_start_map, on_key,  on_end, on_start_array, on_end};

hrsync_status hsp_jstream_new(const hsp_host *hh, const char *what,
                              const char *key, hsp_jelem_fn fn,
                              hsp_jmember_fn other, void *arg,
                              hsp_jstream **out)
{
  hsp_jstream *s = calloc(1, sizeof(*s));
  *out = NULL;
  if(!s)
    return HRSYNC_E_NOMEM;
  s->hh = hh;
  s->what = what;
  s->key = key;
  s->fn = fn;
  s->other = other;
  s->arg = arg;
  s->max = HSP_JSTREAM_MAX_ELEM;
  if(!(s->doc = hsp_jdoc_new()) || !(s->name = calloc(1, 1)) ||
     !(s->y = yajl_alloc(&callbacks, NULL, s))) {
    hsp_jstream_free(s);
    return HRSYNC_E_NOMEM;
  }
  s->name_cap = 1;
  yajl_config(s->y, yajl_dont_validate_strings, 1);
  *out = s;
  return HRSYNC_OK;
}

void hsp_jstream_set_max(hsp_jstream *s, size_t bytes)
{
  s->max = bytes ? bytes : HSP_JSTREAM_MAX_ELEM;
}

static hrsync_status malformed(hsp_jstream *s, const char *why, size_t at)
{
  return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                               "%s: malformed JSON: %s at byte %zu", s->what,
                               why, at));
}

hrsync_status hsp_jstream_feed(hsp_jstream *s, const char *data, size_t len)
{
  yajl_status ys;
  if(s->st || !len)
    return s->st;
  ys = yajl_parse(s->y, (const unsigned char *)data, len);
  if(ys == yajl_status_error) {
    char why[160];
    hsp_jdoc__yajl_error(s->y, why, sizeof(why));
    return malformed(s, why, s->total + yajl_get_bytes_consumed(s->y));
  }
  s->total += len;
  if(ys == yajl_status_client_canceled && !s->st)
    return fail(s, HRSYNC_E_INTERNAL); /* a callback stopped without why */
  return s->st;
}

hrsync_status hsp_jstream_end(hsp_jstream *s)
{
  if(s->st)
    return s->st;
  if(!s->total)
    return malformed(s, "empty body", 0);
  if(yajl_complete_parse(s->y) != yajl_status_ok || !s->done) {
    if(s->st)
      return s->st;
    return malformed(s, "unexpected end of data", s->total);
  }
  if(!s->top_object || !s->found)
    return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                                 "%s: \"%s\" is missing or not an array",
                                 s->what, s->key));
  return HRSYNC_OK;
}

size_t hsp_jstream_count(const hsp_jstream *s)
{
  return s->count;
}

void hsp_jstream_free(hsp_jstream *s)
{
  if(!s)
    return;
  if(s->y)
    yajl_free(s->y);
  hsp_jdoc_free(s->doc);
  free(s->name);
  free(s);
}

hrsync_status hsp_jstream_chunk(void *stream, const char *data, size_t len)
{
  return hsp_jstream_feed(stream, data, len);
}

hrsync_status hsp_send_streamed(const hsp_host *hh,
                                const hrsync_http_request *req,
                                hsp_chunk_fn chunk, void *arg,
                                const hrsync_http_response **resp)
{
  hrsync_status st;
  *resp = NULL;
  if(HRSYNC_HOST_HAS(hh->h, http_stream))
    return hh->h->http_stream(hh->ctx, req, chunk, arg, resp);
  /* An older host: the body arrives whole, and is read the same way. */
  st = hh->h->http(hh->ctx, req, resp);
  if(!st && (*resp)->status >= 200 && (*resp)->status < 300 &&
     (*resp)->body_len)
    st = chunk(arg, (*resp)->body, (*resp)->body_len);
  return st;
}

hrsync_status hsp_jstream_array(const hsp_host *hh, const char *what,
                                const char *body, size_t len, const char *key,
                                hsp_jelem_fn fn, hsp_jmember_fn other,
                                void *arg)
{
  hsp_jstream *s;
  hrsync_status st = hsp_jstream_new(hh, what, key, fn, other, arg, &s);
  if(st)
    return st;
  st = hsp_jstream_feed(s, body, len);
  if(!st)
    st = hsp_jstream_end(s);
  hsp_jstream_free(s);
  return st;
}
