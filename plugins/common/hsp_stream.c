/*
** Reading one big JSON answer one element at a time, pushed in chunks.
**
** HiBob's search and BambooHR's custom report have no pagination: the
** whole roster arrives as one body. Parsed whole, json-c's trees take
** about twenty times the body's size; held whole, the body alone is
** hundreds of MiB at 300,000 people. Here the answer's outer structure
** (the object, its member names, the array's commas) is followed by a
** small state machine, and every value inside it is only scanned for
** where it ends (depth, strings and their escapes, across chunk
** boundaries), its bytes collected, then parsed alone by json_tokener,
** which does the real checking. Memory is one element, not the answer.
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
  W_VALUE_SCAN   /* inside a value being collected */
} where;

/* What the value being collected is. */
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

  /* The value being collected: its kind, where it began, its text. */
  what_value kind;
  size_t start;
  int depth, in_str, esc, scalar;
  char *buf;
  size_t len, cap;
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
  free(s->buf);
  free(s->name);
  free(s);
}

/* ------------------------------------------------------------------ */
/* Collecting one value                                                 */

static void begin_value(hsp_stream *s, what_value kind, char first, size_t at)
{
  s->at = W_VALUE_SCAN;
  s->kind = kind;
  s->start = at;
  s->len = 0;
  s->depth = 0;
  s->in_str = 0;
  s->esc = 0;
  s->scalar = first != '"' && first != '{' && first != '[';
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

static hrsync_status collect(hsp_stream *s, const char *d, size_t n)
{
  if(!n)
    return HRSYNC_OK;
  if(n > s->max || s->len > s->max - n)
    return too_big(s);
  if(s->len + n + 2 > s->cap) {
    size_t cap = s->cap ? s->cap : 1024;
    char *grown;
    while(cap < s->len + n + 2)
      cap *= 2;
    if(!(grown = realloc(s->buf, cap)))
      return fail(s, HRSYNC_E_NOMEM);
    s->buf = grown;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, d, n);
  s->len += n;
  return HRSYNC_OK;
}

/* Where in d[i..n) the value ends; *done when it does (the end is then
** the index after its last byte; a scalar ends before its delimiter). */
static size_t scan(hsp_stream *s, const char *d, size_t i, size_t n, int *done)
{
  const char *q = NULL; /* the next quote at or after i, once looked for */
  int q_known = 0;
  *done = 0;
  while(i < n) {
    char c = d[i];
    if(s->in_str) {
      /* Most of an answer is inside strings: jump to the next quote or
      ** backslash (memchr is word-at-a-time; the quote is looked for once
      ** per run of escapes, so many escapes stay linear). */
      const char *b;
      if(s->esc) {
        s->esc = 0;
        i++;
        continue;
      }
      if(!q_known || (q && q < d + i)) {
        q = memchr(d + i, '"', n - i);
        q_known = 1;
      }
      b = memchr(d + i, '\\', (q ? (size_t)(q - d) : n) - i);
      if(b) {
        s->esc = 1;
        i = (size_t)(b - d) + 1;
        continue;
      }
      if(!q)
        return n;
      i = (size_t)(q - d) + 1;
      q_known = 0;
      s->in_str = 0;
      if(!s->depth) {
        *done = 1;
        return i;
      }
      continue;
    }
    if(s->scalar) {
      if(is_ws(c) || c == ',' || c == ']' || c == '}' || c == ':') {
        *done = 1;
        return i;
      }
    }
    else if(c == '"')
      s->in_str = 1;
    else if(c == '{' || c == '[')
      s->depth++;
    else if((c == '}' || c == ']') && --s->depth == 0) {
      *done = 1;
      return i + 1;
    }
    i++;
  }
  return n;
}

/* The collected text as one JSON value (owned by the caller; NULL for a
** JSON null). Anything json-c refuses, or more than one value, is
** malformed. */
static hrsync_status parse_value(hsp_stream *s, json_object **out)
{
  enum json_tokener_error jerr;
  size_t end;
  /* A space ends a number json-c would otherwise wait to continue. */
  s->buf[s->len] = ' ';
  s->buf[s->len + 1] = 0;
  json_tokener_reset(s->tok);
  *out = json_tokener_parse_ex(s->tok, s->buf, (int)(s->len + 1));
  jerr = json_tokener_get_error(s->tok);
  end = (size_t)json_tokener_get_parse_end(s->tok);
  if(!*out && jerr == json_tokener_success)
    jerr = json_tokener_error_parse_null; /* a literal null: fine */
  if(!*out && jerr != json_tokener_error_parse_null)
    return malformed(s,
                     json_tokener_error_desc(jerr == json_tokener_continue
                                                 ? json_tokener_error_parse_eof
                                                 : jerr),
                     s->start + end);
  while(end < s->len && is_ws(s->buf[end]))
    end++;
  if(end < s->len) {
    json_object_put(*out);
    *out = NULL;
    return malformed(s, "unexpected character", s->start + end);
  }
  hsp_json_mark_nul(*out); /* "\u0000" reaches the host whole */
  return HRSYNC_OK;
}

/* A value is complete: hand it on and move past it. */
static hrsync_status finish_value(hsp_stream *s)
{
  json_object *v;
  hrsync_status st = parse_value(s, &v);
  if(st)
    return st;
  switch(s->kind) {
  case V_KEY:
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
      begin_value(s, V_TOP, c, at);
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
    begin_value(s, V_KEY, c, at);
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
    begin_value(s, V_MEMBER, c, at);
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
    begin_value(s, V_ELEM, c, at);
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
    if(s->at == W_VALUE_SCAN) {
      int done;
      size_t end = scan(s, data, i, len, &done);
      if(!collect(s, data + i, end - i) && done)
        finish_value(s);
      i = end;
    }
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
  /* A scalar may end with the answer itself. */
  if(s->at == W_VALUE_SCAN && s->scalar && !s->in_str && finish_value(s))
    return s->st;
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
