/*
** Fuzz target: plugins/common/hsp_jstream, differentially. The input is
** an answer (after one leading byte, the chunk size); it is fed whole,
** then one byte at a time, then in chunks of the given size. When the
** answer is strict JSON the three runs must agree on everything: the
** elements and members handed over (as JSON text), the status, and the
** error detail (a shape error names the same thing). A push parser that
** loses state at a chunk boundary disagrees with itself here. Other input
** must only be survived.
*/
#include "fakehost.h"
#include "hsp_jstream.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct run {
  char *out;
  size_t len, cap;
} run;

static hrsync_status add(run *r, const char *tag, const hsp_jv *jv)
{
  json_object *v = hsp_jv_json(jv);
  const char *t =
      v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
  size_t n = strlen(tag) + strlen(t) + 2;
  if(r->len + n + 1 > r->cap) {
    size_t cap = (r->len + n + 1) * 2;
    char *g = realloc(r->out, cap);
    if(!g)
      abort();
    r->out = g;
    r->cap = cap;
  }
  r->len +=
      (size_t)snprintf(r->out + r->len, r->cap - r->len, "%s=%s\n", tag, t);
  json_object_put(v);
  return HRSYNC_OK;
}

static hrsync_status on_elem(void *arg, const hsp_jv *e, size_t idx)
{
  (void)idx;
  return add(arg, "e", e);
}

static hrsync_status on_member(void *arg, const char *key, const hsp_jv *v)
{
  return add(arg, key, v);
}

/* Feeds the answer in chunks of step bytes (0: whole); returns the
** status, the callbacks' text in r, the error detail in err. */
static hrsync_status feed(const char *body, size_t len, size_t step, run *r,
                          char *err, size_t cap)
{
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_jstream *s;
  hrsync_status st;
  size_t off = 0;
  memset(r, 0, sizeof(*r));
  if(hsp_jstream_new(&hh, "fuzz", "employees", on_elem, on_member, r, &s))
    abort();
  hsp_jstream_set_max(s, 4096);
  if(!step)
    step = len ? len : 1;
  st = HRSYNC_OK;
  while(!st && off < len) {
    size_t n = len - off < step ? len - off : step;
    st = hsp_jstream_feed(s, body + off, n);
    off += n;
  }
  if(!st)
    st = hsp_jstream_end(s);
  snprintf(err, cap, "%s", fh_error(fh) ? fh_error(fh) : "");
  hsp_jstream_free(s);
  fh_free(fh);
  return st;
}

/* Whether body is one strict JSON value (white space around allowed). */
static int strict_json(const char *body, size_t len)
{
  json_tokener *tok = json_tokener_new();
  json_object *v;
  size_t end;
  int ok;
  if(!tok)
    abort();
  json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
  v = json_tokener_parse_ex(tok, body, (int)len);
  ok = json_tokener_get_error(tok) == json_tokener_success;
  end = (size_t)json_tokener_get_parse_end(tok);
  while(ok && end < len && strchr(" \t\r\n", body[end]) && body[end])
    end++;
  ok = ok && end == len && !memchr(body, 0, len);
  json_object_put(v);
  json_tokener_free(tok);
  return ok;
}

/* The same error, but where yajl places it: its lexer may name the byte
** after a token cut by a chunk boundary (json-c's strict mode takes some
** numbers yajl refuses, "-002", so such input still reaches here). */
static int same_error(const char *a, const char *b)
{
  const char *pa = strstr(a, " at byte "), *pb = strstr(b, " at byte ");
  size_t na = pa ? (size_t)(pa - a) : strlen(a);
  size_t nb = pb ? (size_t)(pb - b) : strlen(b);
  return na == nb && !memcmp(a, b, na);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const size_t steps[] = {1, 0};
  char err0[1024], err1[1024];
  run r0, r1;
  hrsync_status s0, s1;
  size_t i, step;
  if(!size)
    return 0;
  step = (size_t)data[0] % 64 + 1;
  if(size > 1 << 20)
    return 0;
  s0 = feed((const char *)data + 1, size - 1, 0, &r0, err0, sizeof(err0));
  for(i = 0; i <= sizeof(steps) / sizeof(steps[0]); i++) {
    size_t k = i < 2 ? steps[i] : step;
    s1 = feed((const char *)data + 1, size - 1, k, &r1, err1, sizeof(err1));
    if(strict_json((const char *)data + 1, size - 1) &&
       (s0 != s1 || !same_error(err0, err1) || r0.len != r1.len ||
        (r0.len && memcmp(r0.out, r1.out, r0.len)))) {
      fprintf(stderr,
              "fuzz_stream: chunks of %zu disagree with one feed:\n"
              "  whole: %d %s\n  split: %d %s\n",
              k, s0, err0, s1, err1);
      abort();
    }
    free(r1.out);
  }
  free(r0.out);
  return 0;
}
