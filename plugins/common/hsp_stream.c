/*
** Reading one big JSON answer one element at a time.
**
** HiBob's search and BambooHR's custom report have no pagination: 10,000
** employees arrive as one body. Parsed whole, json-c's trees take about
** twenty times the body's size; walked here, only one employee's tree
** exists at a time, so memory is the body plus one employee. The walk
** checks the JSON as strictly as a full parse: anything it cannot read is
** "malformed JSON" at a byte offset.
*/
#include "hsp_stream.h"

#include <string.h>

typedef struct walker {
  const hsp_host *hh;
  const char *what;
  const char *s;
  size_t len, pos;
  json_tokener *tok;
} walker;

static void skip_ws(walker *w)
{
  while(w->pos < w->len && strchr(" \t\r\n", w->s[w->pos]) && w->s[w->pos])
    w->pos++;
}

static hrsync_status malformed(walker *w, const char *why)
{
  return hrsync_errorf(w->hh->h, w->hh->ctx, HRSYNC_E_PARSE,
                       "%s: malformed JSON (%zu bytes): %s at byte %zu",
                       w->what, w->len, why, w->pos);
}

/* Parses the one JSON value at pos (owned by the caller on success). */
static hrsync_status value_at(walker *w, json_object **out)
{
  enum json_tokener_error jerr;
  json_tokener_reset(w->tok);
  *out = json_tokener_parse_ex(w->tok, w->s + w->pos, (int)(w->len - w->pos));
  jerr = json_tokener_get_error(w->tok);
  if(!*out && jerr == json_tokener_success)
    jerr = json_tokener_error_parse_null; /* a literal null: fine */
  if(!*out && jerr != json_tokener_error_parse_null) {
    if(jerr == json_tokener_continue)
      return malformed(w,
                       json_tokener_error_desc(json_tokener_error_parse_eof));
    return malformed(w, json_tokener_error_desc(jerr));
  }
  w->pos += (size_t)json_tokener_get_parse_end(w->tok);
  hsp_json_mark_nul(*out); /* "\u0000" reaches the host whole */
  return HRSYNC_OK;
}

/* Expects one of the characters in set; returns it. */
static hrsync_status expect(walker *w, const char *set, char *got)
{
  skip_ws(w);
  if(w->pos >= w->len)
    return malformed(w, "unexpected end of data");
  if(!strchr(set, w->s[w->pos]) || !w->s[w->pos])
    return malformed(w, "unexpected character");
  *got = w->s[w->pos++];
  return HRSYNC_OK;
}

static hrsync_status shape(walker *w, const char *key)
{
  return hrsync_errorf(w->hh->h, w->hh->ctx, HRSYNC_E_PARSE,
                       "%s: \"%s\" is missing or not an array", w->what, key);
}

/* The elements of the array at pos, one by one. */
static hrsync_status walk_array(walker *w, hsp_elem_fn fn, void *arg)
{
  hrsync_status st;
  size_t idx = 0;
  char ch;
  skip_ws(w);
  if(w->pos < w->len && w->s[w->pos] == ']') {
    w->pos++;
    return HRSYNC_OK;
  }
  for(;;) {
    json_object *elem;
    skip_ws(w);
    st = value_at(w, &elem);
    if(st)
      return st;
    st = fn(arg, elem, idx++);
    json_object_put(elem);
    if(st)
      return st;
    st = expect(w, ",]", &ch);
    if(st || ch == ']')
      return st;
  }
}

hrsync_status hsp_stream_array(const hsp_host *hh, const char *what,
                               const char *body, size_t len, const char *key,
                               hsp_elem_fn fn, hsp_member_fn other, void *arg)
{
  walker w;
  hrsync_status st = HRSYNC_OK;
  int found = 0;
  char ch;

  memset(&w, 0, sizeof(w));
  w.hh = hh;
  w.what = what;
  w.s = body;
  w.len = len;
  if(!len)
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_PARSE,
                         "%s: malformed JSON (0 bytes): empty body", what);
  w.tok = json_tokener_new();
  if(!w.tok)
    return HRSYNC_E_NOMEM;
  skip_ws(&w);
  if(w.pos < len && w.s[w.pos] != '{') {
    /* Not an object: either not JSON at all, or the wrong shape. */
    json_object *v;
    st = value_at(&w, &v);
    json_object_put(v);
    if(!st)
      st = shape(&w, key);
    goto out;
  }
  st = expect(&w, "{", &ch);
  skip_ws(&w);
  if(!st && w.pos < len && w.s[w.pos] == '}') {
    w.pos++;
    ch = '}';
  }
  else
    ch = ',';
  while(!st && ch != '}') {
    json_object *k, *v;
    skip_ws(&w);
    if(w.pos >= len || w.s[w.pos] != '"') {
      st = malformed(&w, w.pos >= len ? "unexpected end of data"
                                      : "expected a member name");
      break;
    }
    st = value_at(&w, &k);
    if(!st)
      st = expect(&w, ":", &ch);
    if(!st) {
      skip_ws(&w);
      if(!found && !strcmp(json_object_get_string(k), key) && w.pos < len &&
         w.s[w.pos] == '[') {
        found = 1;
        w.pos++;
        st = walk_array(&w, fn, arg);
      }
      else {
        st = value_at(&w, &v);
        if(!st && other)
          st = other(arg, json_object_get_string(k), v);
        json_object_put(v);
      }
    }
    json_object_put(k);
    if(!st)
      st = expect(&w, ",}", &ch);
  }
  if(!st) {
    skip_ws(&w);
    if(w.pos < len)
      st = malformed(&w, "trailing data after the object");
    else if(!found)
      st = shape(&w, key);
  }
out:
  json_tokener_free(w.tok);
  return st;
}
