/*
** Reading one big JSON answer one element at a time, pushed in chunks.
**
** HiBob's search and BambooHR's custom report have no pagination: the
** whole roster arrives as one body. Parsed whole, json-c's trees take
** about twenty times the body's size; held whole, the body alone is
** hundreds of MiB at 300,000 people. Here the answer's outer structure
** (the object, its member names, the array's commas) is followed by a
** small state machine, and every value inside it (a member name, an
** element, another member) is fed to json_tokener as its bytes arrive:
** the tokener keeps its own state across chunks (strings, escapes,
** depth, a number cut in two), checks the JSON, and stops right after
** the value. Each byte is read once; memory is one element's tree, not
** the answer.
*/
#include "hsp_stream.h"

#include <stdlib.h>
#include <string.h>

/* Where the outer structure is. */
typedef enum where {
  W_TOP,         /* before the answer */
  W_FIRST_KEY,   /* after '{': a member name or '}' */
  W_KEY,         /* after ',': a member name */
  W_COLON,       /* after a member name */
  W_VALUE,       /* after ':' */
  W_AFTER_VALUE, /* ',' or '}' */
  W_FIRST_ELEM,  /* after the array's '[': an element or ']' */
  W_ELEM,        /* after ',' in the array */
  W_AFTER_ELEM,  /* ',' or ']' */
  W_TRAIL,       /* after the answer: white space only */
  W_VALUE_SCAN   /* inside a value, fed to the tokener */
} where;

/* What the value being read is. */
typedef enum what_value {
  V_KEY,    /* a member name */
  V_MEMBER, /* another member's value */
  V_ELEM,   /* an element of the array */
  V_TOP     /* an answer that is not an object */
} what_value;

struct hsp_stream {
  const hsp_host *hh;
  const char *what, *key;
  hsp_elem_fn fn;
  hsp_member_fn other;
  void *arg;
  size_t max;
  json_tokener *tok;

  where at;
  size_t off;   /* bytes fed before the current chunk */
  size_t count; /* elements handed to fn */
  int found;    /* the array was seen */
  hrsync_status st;

  /* The value being read: its kind, where it began, its bytes so far. */
  what_value kind;
  size_t start, len;
  char *name; /* the current member's name */
};

static int is_ws(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Remembers the first failure; every later call returns it. */
static hrsync_status fail(hsp_stream *s, hrsync_status st)
{
  if(!s->st)
    s->st = st;
  return s->st;
}

static hrsync_status malformed(hsp_stream *s, const char *why, size_t at)
{
  return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                               "%s: malformed JSON: %s at byte %zu", s->what,
                               why, at));
}

static hrsync_status shape(hsp_stream *s)
{
  return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                               "%s: \"%s\" is missing or not an array",
                               s->what, s->key));
}

hrsync_status hsp_stream_new(const hsp_host *hh, const char *what,
                             const char *key, hsp_elem_fn fn,
                             hsp_member_fn other, void *arg, hsp_stream **out)
{
  hsp_stream *s = calloc(1, sizeof(*s));
  *out = NULL;
  if(!s || !(s->tok = json_tokener_new())) {
    free(s);
    return HRSYNC_E_NOMEM;
  }
  s->hh = hh;
  s->what = what;
  s->key = key;
  s->fn = fn;
  s->other = other;
  s->arg = arg;
  s->max = HSP_STREAM_MAX_ELEM;
  *out = s;
  return HRSYNC_OK;
}

void hsp_stream_set_max(hsp_stream *s, size_t bytes)
{
  s->max = bytes ? bytes : HSP_STREAM_MAX_ELEM;
}

size_t hsp_stream_count(const hsp_stream *s)
{
  return s->count;
}

void hsp_stream_free(hsp_stream *s)
{
  if(!s)
    return;
  json_tokener_free(s->tok);
  free(s->name);
  free(s);
}

/* ------------------------------------------------------------------ */
/* Collecting one value                                                 */

static void begin_value(hsp_stream *s, what_value kind, size_t at)
{
  s->at = W_VALUE_SCAN;
  s->kind = kind;
  s->start = at;
  s->len = 0;
  json_tokener_reset(s->tok);
}

static hrsync_status too_big(hsp_stream *s)
{
  if(s->kind == V_ELEM)
    return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                                 "%s: %s[%zu] is over %zu bytes", s->what,
                                 s->key, s->count, s->max));
  return fail(s, hrsync_errorf(s->hh->h, s->hh->ctx, HRSYNC_E_PARSE,
                               "%s: a value at byte %zu is over %zu bytes",
                               s->what, s->start, s->max));
}

static hrsync_status finish_value(hsp_stream *s, json_object *v);

/* Feeds json_tokener the value being read, from d[*i]: it keeps its own
** state across chunks (strings, escapes, depth, a number cut in two) and
** stops right after the value, which is then handed on. */
static hrsync_status value_bytes(hsp_stream *s, const char *d, size_t n,
                                 size_t *i)
{
  size_t avail = n - *i, used;
  int take = avail > (size_t)0x40000000 ? 0x40000000 : (int)avail;
  enum json_tokener_error jerr;
  json_object *v = json_tokener_parse_ex(s->tok, d + *i, take);
  jerr = json_tokener_get_error(s->tok);
  used = jerr == json_tokener_continue
             ? (size_t)take
             : (size_t)json_tokener_get_parse_end(s->tok);
  if(used > s->max || s->len > s->max - used) {
    json_object_put(v);
    return too_big(s);
  }
  s->len += used;
  if(jerr == json_tokener_continue) {
    *i += used;
    return HRSYNC_OK;
  }
  if(jerr != json_tokener_success) {
    json_object_put(v);
    return malformed(s, json_tokener_error_desc(jerr), s->off + *i + used);
  }
  *i += used;
  hsp_json_mark_nul(v); /* "\u0000" reaches the host whole */
  return finish_value(s, v);
}

/* A value is complete: hand it on and move past it. */
static hrsync_status finish_value(hsp_stream *s, json_object *v)
{
  hrsync_status st = HRSYNC_OK;
  switch(s->kind) {
  case V_KEY:
    if(!json_object_is_type(v, json_type_string)) {
      json_object_put(v);
      return malformed(s, "expected a member name", s->start);
    }
    free(s->name);
    s->name = strdup(json_object_get_string(v));
    json_object_put(v);
    s->at = W_COLON;
    return s->name ? HRSYNC_OK : fail(s, HRSYNC_E_NOMEM);
  case V_MEMBER:
    st = s->other ? s->other(s->arg, s->name, v) : HRSYNC_OK;
    s->at = W_AFTER_VALUE;
    break;
  case V_ELEM:
    st = s->fn(s->arg, v, s->count++);
    s->at = W_AFTER_ELEM;
    break;
  case V_TOP:
    json_object_put(v);
    return shape(s); /* JSON, but not an object */
  }
  json_object_put(v);
  return st ? fail(s, st) : HRSYNC_OK;
}

/* ------------------------------------------------------------------ */
/* The outer structure                                                  */

/* One significant character c at byte at, outside any value. */
static hrsync_status step(hsp_stream *s, char c, size_t at, int *consumed)
{
  *consumed = 1;
  switch(s->at) {
  case W_TOP:
    if(c == '{')
      s->at = W_FIRST_KEY;
    else {
      begin_value(s, V_TOP, at);
      *consumed = 0;
    }
    return HRSYNC_OK;
  case W_FIRST_KEY:
    if(c == '}') {
      s->at = W_TRAIL;
      return HRSYNC_OK;
    }
    /* fall through */
  case W_KEY:
    if(c != '"')
      return malformed(s, "expected a member name", at);
    begin_value(s, V_KEY, at);
    *consumed = 0;
    return HRSYNC_OK;
  case W_COLON:
    if(c != ':')
      return malformed(s, "expected ':'", at);
    s->at = W_VALUE;
    return HRSYNC_OK;
  case W_VALUE:
    if(c == '[' && !s->found && !strcmp(s->name, s->key)) {
      s->found = 1;
      s->at = W_FIRST_ELEM;
      return HRSYNC_OK;
    }
    begin_value(s, V_MEMBER, at);
    *consumed = 0;
    return HRSYNC_OK;
  case W_AFTER_VALUE:
    if(c != ',' && c != '}')
      return malformed(s, "unexpected character", at);
    s->at = c == ',' ? W_KEY : W_TRAIL;
    return HRSYNC_OK;
  case W_FIRST_ELEM:
    if(c == ']') {
      s->at = W_AFTER_VALUE;
      return HRSYNC_OK;
    }
    /* fall through */
  case W_ELEM:
    if(c == ']' || c == ',' || c == '}')
      return malformed(s, "unexpected character", at);
    begin_value(s, V_ELEM, at);
    *consumed = 0;
    return HRSYNC_OK;
  case W_AFTER_ELEM:
    if(c != ',' && c != ']')
      return malformed(s, "unexpected character", at);
    s->at = c == ',' ? W_ELEM : W_AFTER_VALUE;
    return HRSYNC_OK;
  case W_TRAIL:
    return malformed(s, "trailing data after the object", at);
  case W_VALUE_SCAN:
    break;
  }
  return fail(s, HRSYNC_E_INTERNAL);
}

hrsync_status hsp_stream_feed(hsp_stream *s, const char *data, size_t len)
{
  size_t i = 0;
  while(!s->st && i < len) {
    if(s->at == W_VALUE_SCAN)
      value_bytes(s, data, len, &i);
    else if(is_ws(data[i]))
      i++;
    else {
      int consumed;
      step(s, data[i], s->off + i, &consumed);
      i += (size_t)consumed;
    }
  }
  s->off += len;
  return s->st;
}

hrsync_status hsp_stream_end(hsp_stream *s)
{
  if(s->st)
    return s->st;
  /* A number may end with the answer itself: a space ends it. */
  if(s->at == W_VALUE_SCAN) {
    size_t i = 0;
    if(value_bytes(s, " ", 1, &i))
      return s->st;
  }
  if(!s->off)
    return malformed(s, "empty body", 0);
  if(s->at != W_TRAIL)
    return malformed(s, "unexpected end of data", s->off);
  if(!s->found)
    return shape(s);
  return HRSYNC_OK;
}

hrsync_status hsp_stream_array(const hsp_host *hh, const char *what,
                               const char *body, size_t len, const char *key,
                               hsp_elem_fn fn, hsp_member_fn other, void *arg)
{
  hsp_stream *s;
  hrsync_status st = hsp_stream_new(hh, what, key, fn, other, arg, &s);
  if(st)
    return st;
  st = hsp_stream_feed(s, body, len);
  if(!st)
    st = hsp_stream_end(s);
  hsp_stream_free(s);
  return st;
}

hrsync_status hsp_stream_chunk(void *stream, const char *data, size_t len)
{
  return hsp_stream_feed(stream, data, len);
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
