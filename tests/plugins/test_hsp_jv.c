/*
** plugins/common/hsp_jv and hsp_jstream: the yajl-built values read as
** json-c's do (hsp_jv_text against hsp_json_text, the json-c bridge
** against json-c's own parse, value by value), and the push parser gives
** the same elements and members whatever the chunks (every split point of
** a sample, one byte at a time), names malformed input and an element
** over the limit, and holds one element, not the answer.
*/
#include "fakehost.h"
#include "hsp_jstream.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* What the callbacks saw, as one line of text per element or member. */
typedef struct seen {
  char out[4096];
  size_t len;
  size_t n_elems;
  int stop_at; /* element index whose callback fails; -1 = none */
} seen;

static void add_line(seen *s, const char *prefix, const hsp_jv *jv)
{
  json_object *v = hsp_jv_json(jv);
  const char *t =
      v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
  int n =
      snprintf(s->out + s->len, sizeof(s->out) - s->len, "%s%s\n", prefix, t);
  assert_true(n > 0 && (size_t)n < sizeof(s->out) - s->len);
  s->len += (size_t)n;
  json_object_put(v);
}

static hrsync_status on_elem(void *arg, const hsp_jv *e, size_t idx)
{
  seen *s = arg;
  char prefix[32];
  assert_int_equal(idx, s->n_elems);
  if(s->stop_at >= 0 && (size_t)s->stop_at == idx)
    return HRSYNC_E_INTERNAL;
  snprintf(prefix, sizeof(prefix), "e%zu=", idx);
  add_line(s, prefix, e);
  s->n_elems++;
  return HRSYNC_OK;
}

static hrsync_status on_member(void *arg, const char *key, const hsp_jv *v)
{
  seen *s = arg;
  char prefix[64];
  snprintf(prefix, sizeof(prefix), "m:%s=", key);
  add_line(s, prefix, v);
  return HRSYNC_OK;
}

/* Feeds body in chunks of step bytes, the first one first bytes long. */
static hrsync_status feed_split(fh_host *fh, const char *body, size_t len,
                                size_t first, size_t step, seen *out)
{
  hsp_host hh = {fh_table(fh), fh};
  hsp_jstream *s;
  hrsync_status st;
  size_t off = 0;
  memset(out, 0, sizeof(*out));
  out->stop_at = -1;
  assert_int_equal(
      hsp_jstream_new(&hh, "GET /x", "employees", on_elem, on_member, out, &s),
      HRSYNC_OK);
  st = hsp_jstream_feed(s, body, first < len ? first : len);
  off = first < len ? first : len;
  while(!st && off < len) {
    size_t n = len - off < step ? len - off : step;
    st = hsp_jstream_feed(s, body + off, n);
    off += n;
  }
  if(!st)
    st = hsp_jstream_end(s);
  hsp_jstream_free(s);
  return st;
}

static const char sample[] =
    " {\"title\": \"a \\\"quoted\\\" {title}\",\r\n"
    "  \"fields\": [{\"id\": \"1\", \"name\": \"x]\"}],\n"
    "  \"employees\": [\n"
    "    {\"id\": \"1\", \"name\": \"Br\\u00e9 {O'Hara]\", \"n\": 12,\n"
    "     \"tags\": [[1, [2, {\"a\": \"\\\\\"}]], []], \"e\": {}},\n"
    "    {\"id\": 2, \"name\": \"back\\\\slash\\\"q\\/\\n\", \"x\": null},\n"
    "    \"a string [element]\", 42, -1.5e3, true, null, [] ,{}\n"
    "  ],\n"
    "  \"after\": {\"k\": [1, 2]}, \"num\": 7, \"nul\": null } \n";

/* Every split point, and every chunk size from 1 to 9, give what one
** feed gives. */
static void test_every_split_point(void **state)
{
  fh_host *fh = fh_new();
  size_t len = sizeof(sample) - 1, first, step;
  seen whole, part;
  (void)state;
  assert_int_equal(feed_split(fh, sample, len, len, len, &whole), HRSYNC_OK);
  assert_int_equal(whole.n_elems, 9);
  assert_non_null(strstr(whole.out, "m:title=\"a \\\"quoted\\\" {title}\"\n"));
  assert_non_null(strstr(whole.out, "e0={\"id\":\"1\",\"name\":\"Br\xc3\xa9 "
                                    "{O'Hara]\",\"n\":12,\"tags\":[[1,[2,{"
                                    "\"a\":\"\\\\\"}]],[]],\"e\":{}}\n"));
  assert_non_null(strstr(whole.out, "e3=42\ne4=-1.5e3\ne5=true\ne6=null\n"
                                    "e7=[]\ne8={}\n"));
  assert_non_null(strstr(whole.out, "m:num=7\nm:nul=null\n"));
  for(first = 0; first <= len; first++) {
    assert_int_equal(feed_split(fh, sample, len, first, 1, &part), HRSYNC_OK);
    assert_string_equal(part.out, whole.out);
  }
  for(step = 1; step < 10; step++) {
    assert_int_equal(feed_split(fh, sample, len, step, step, &part),
                     HRSYNC_OK);
    assert_string_equal(part.out, whole.out);
  }
  assert_int_equal(fh_violations(fh), 0);
  fh_free(fh);
}

/* Malformed input, fed one byte at a time: a clear error naming what. */
static void test_malformed(void **state)
{
  static const struct {
    const char *body;
    const char *needle;
  } cases[] = {
      {"", "malformed JSON: empty body"},
      {"   ", "malformed JSON: unexpected end of data"},
      {"{\"employees\":[{\"id\":1} {\"id\":2}]}", "malformed JSON"},
      {"{\"employees\":[{\"id\":1}],}", "invalid object key"},
      {"{employees:[]}", "invalid char"},
      {"{\"employees\":[]", "unexpected end of data"},
      {"{\"employees\":[{\"id\":\"1\"", "unexpected end of data"},
      {"{\"employees\":[{\"id\":\"1}]}", "unexpected end of data"},
      {"{\"a\":1}{\"employees\":[]}", "trailing garbage"},
      {"{\"employees\":[{\"id\":1]]}", "malformed JSON"},
      {"{\"employees\":[tru]}", "malformed JSON"},
      {"{\"employees\":[1,,2]}", "malformed JSON"},
      {"{\"employees\":[1-2]}", "malformed JSON"},
      {"{\"employees\":[{\"n\":1.5e3-1}]}", "malformed JSON"},
      {"{\"employees\" [1]}", "separated by a colon"},
      {"<html>oops</html>", "malformed JSON"},
      {"{}", "\"employees\" is missing or not an array"},
      {"[]", "\"employees\" is missing or not an array"},
      {"{\"employees\":null}", "\"employees\" is missing or not an array"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    seen out;
    hrsync_status st =
        feed_split(fh, cases[i].body, strlen(cases[i].body), 1, 1, &out);
    if(st != HRSYNC_E_PARSE || !fh_error(fh) ||
       !strstr(fh_error(fh), cases[i].needle))
      fail_msg("case %zu (%s): status %d, error %s", i, cases[i].body, st,
               fh_error(fh) ? fh_error(fh) : "(none)");
    assert_non_null(strstr(fh_error(fh), "GET /x: "));
    fh_free(fh);
  }
}

/* An element over the limit is refused, naming it; one under is fine. */
static void test_element_over_limit(void **state)
{
  static const char body[] = "{\"employees\":[{\"id\":\"1\"},"
                             "{\"id\":\"2\",\"pad\":\"xxxxxxxxxxxxxxxxxxxx\"},"
                             "{\"id\":\"3\"}]}";
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_jstream *s;
  seen out;
  size_t i;
  (void)state;
  memset(&out, 0, sizeof(out));
  out.stop_at = -1;
  assert_int_equal(
      hsp_jstream_new(&hh, "GET /x", "employees", on_elem, NULL, &out, &s),
      HRSYNC_OK);
  hsp_jstream_set_max(s, 100);
  for(i = 0; i < sizeof(body) - 1; i++)
    if(hsp_jstream_feed(s, body + i, 1))
      break;
  assert_int_equal(hsp_jstream_feed(s, "", 0), HRSYNC_E_PARSE);
  assert_int_equal(hsp_jstream_end(s), HRSYNC_E_PARSE); /* sticky */
  assert_int_equal(hsp_jstream_count(s), 1);
  assert_non_null(strstr(fh_error(fh), "employees[1] is over 100 bytes"));
  hsp_jstream_free(s);
  fh_free(fh);
}

/* A callback's failure stops the parser and is what every call returns. */
static void test_callback_stops(void **state)
{
  static const char body[] = "{\"employees\":[1,2,3,4]}";
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_jstream *s;
  seen out;
  (void)state;
  memset(&out, 0, sizeof(out));
  out.stop_at = 2;
  assert_int_equal(
      hsp_jstream_new(&hh, "GET /x", "employees", on_elem, NULL, &out, &s),
      HRSYNC_OK);
  assert_int_equal(hsp_jstream_feed(s, body, sizeof(body) - 1),
                   HRSYNC_E_INTERNAL);
  assert_int_equal(out.n_elems, 2);
  assert_int_equal(hsp_jstream_end(s), HRSYNC_E_INTERNAL);
  hsp_jstream_free(s);
  fh_free(fh);
}

static hrsync_status count_elem(void *arg, const hsp_jv *e, size_t idx)
{
  (void)e;
  (void)idx;
  (*(size_t *)arg)++;
  return HRSYNC_OK;
}

/* A big answer (50,000 elements, about 3 MB) goes through with an element
** limit of 256 bytes: memory is one element, never the answer. */
static void test_big_answer_small_limit(void **state)
{
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_jstream *s;
  char elem[128];
  size_t i, n = 0;
  hrsync_status st;
  (void)state;
  assert_int_equal(
      hsp_jstream_new(&hh, "GET /x", "employees", count_elem, NULL, &n, &s),
      HRSYNC_OK);
  hsp_jstream_set_max(s, 256);
  st = hsp_jstream_feed(s, "{\"employees\":[", 14);
  for(i = 0; !st && i < 50000; i++) {
    int m = snprintf(elem, sizeof(elem),
                     "%s{\"id\":\"%zu\",\"name\":\"Person %zu \\\"[{\"}",
                     i ? "," : "", i, i);
    st = hsp_jstream_feed(s, elem, (size_t)m);
  }
  if(!st)
    st = hsp_jstream_feed(s, "]}", 2);
  if(!st)
    st = hsp_jstream_end(s);
  assert_int_equal(st, HRSYNC_OK);
  assert_int_equal(n, 50000);
  hsp_jstream_free(s);
  fh_free(fh);
}

/* A document with what the connectors meet: every type, escapes, "\u0000",
** repeated names, numbers json-c rewrites (-0, 1.50, past int64). */
static const char doc_sample[] =
    "{\"s\": \"Br\\u00e9 \\\"q\\\" \\/ \\n\\t x\", \"i\": 42, \"neg\": -7,"
    " \"z\": -0, \"d\": 1.50, \"e\": 1e2, \"big\": 123456789012345678901,"
    " \"t\": true, \"f\": false, \"n\": null, \"nul\": \"a\\u0000b\","
    " \"dup\": 1, \"arr\": [1, \"two\", [3.25, {\"k\": \"v/w\"}], {}, [],"
    " null, false], \"o\": {\"a\": {\"b\": \"deep\"}, \"c\": [\"\\u0001\"]},"
    " \"dup\": \"second\", \"empty\": \"\", \"\": \"no name\","
    " \"ctrl\": \"\\b\\f\\r\\u001f\", \"num_s\": \"12\"}";

/* Each value's hsp_jv_text is hsp_json_text's, each container's bridge
** serializes as json-c's own tree does, and get/path/count agree. */
static void test_same_as_json_c(void **state)
{
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_jdoc *d = hsp_jdoc_new();
  struct printbuf *pb = printbuf_new();
  json_object *jroot = json_tokener_parse(doc_sample), *bridged;
  const hsp_jv *root = NULL, *c;
  size_t n = 0;
  (void)state;
  assert_non_null(jroot);
  hsp_json_mark_nul(jroot);
  assert_int_equal(hsp_jdoc_parse(&hh, d, "GET /x", doc_sample,
                                  sizeof(doc_sample) - 1, &root),
                   HRSYNC_OK);
  assert_int_equal(hsp_jv_kind(root), HSP_JV_OBJECT);
  assert_int_equal(hsp_jv_count(root),
                   (size_t)json_object_object_length(jroot));
  json_object_object_foreach(jroot, key, jv)
  {
    char t1[64], t2[64];
    const hsp_jv *v = hsp_jv_get(root, key);
    const char *a = hsp_json_text(jv, t1, sizeof(t1));
    const char *b = hsp_jv_text(v, t2, sizeof(t2), pb);
    assert_non_null(v);
    if(!a || !b) {
      if(a != b)
        fail_msg("%s: %s vs %s", key, a ? a : "NULL", b ? b : "NULL");
    }
    else if(strcmp(a, b)) {
      fail_msg("%s: json-c \"%s\", hsp_jv \"%s\"", key, a, b);
    }
    if(json_object_get_type(jv) == json_type_object ||
       json_object_get_type(jv) == json_type_array) {
      json_object *bj = hsp_jv_json(v);
      assert_string_equal(
          json_object_to_json_string_ext(bj, JSON_C_TO_STRING_PLAIN),
          json_object_to_json_string_ext(jv, JSON_C_TO_STRING_PLAIN));
      json_object_put(bj);
    }
    assert_int_equal(hsp_jv_int(v), json_object_get_int64(jv));
    if(hsp_jv_double(v) != json_object_get_double(jv))
      fail_msg("%s: double %g vs json-c %g", key, hsp_jv_double(v),
               json_object_get_double(jv));
    assert_int_equal(hsp_jv_bool(v), json_object_get_boolean(jv));
    n++;
  }
  /* Members one by one: the distinct names, the repeated one last-wins. */
  for(c = hsp_jv_first(root); c; c = hsp_jv_next(root, c))
    n--;
  assert_int_equal(n, 0);
  assert_string_equal(hsp_jv_str(root, "dup"), "second");
  assert_string_equal(hsp_jv_string(hsp_jv_path(root, "o.a.b")), "deep");
  assert_null(hsp_jv_path(root, "o.a.b.c"));
  assert_null(hsp_jv_get(root, "missing"));
  assert_null(hsp_jv_str(root, "i"));
  assert_int_equal(hsp_jv_kind(hsp_jv_get(root, "n")), HSP_JV_NULL);
  assert_non_null(hsp_jv_get(root, "n")); /* null, not absent */
  assert_int_equal(hsp_jv_count(hsp_jv_get(root, "arr")), 7);
  assert_string_equal(hsp_jv_string(hsp_jv_at(hsp_jv_get(root, "arr"), 1)),
                      "two");
  assert_null(hsp_jv_at(hsp_jv_get(root, "arr"), 7));
  assert_memory_equal(hsp_jv_str(root, "nul"),
                      "a\xc0\x80"
                      "b",
                      5);
  /* The whole object bridged: the same members and values (json-c lists
  ** a repeated name where it first came, hsp_jv where it last did). */
  bridged = hsp_jv_json(root);
  assert_non_null(bridged);
  assert_int_equal(json_object_object_length(bridged),
                   json_object_object_length(jroot));
  json_object_put(bridged);
  json_object_put(jroot);
  printbuf_free(pb);
  hsp_jdoc_free(d);
  assert_int_equal(fh_violations(fh), 0);
  fh_free(fh);
}

/* A body that is not one JSON value: the error names it and its size. */
static void test_doc_errors(void **state)
{
  static const struct {
    const char *body;
    const char *needle;
  } cases[] = {
      {"", "GET /x: malformed JSON (0 bytes): empty body"},
      {"   ", "GET /x: malformed JSON (3 bytes)"},
      {"{\"a\": 1", "GET /x: malformed JSON (7 bytes)"},
      {"{\"a\": 1} x", "GET /x: malformed JSON (10 bytes)"},
      {"<html>", "GET /x: malformed JSON (6 bytes)"},
      {"[1,,2]", "GET /x: malformed JSON (6 bytes)"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    hsp_host hh = {fh_table(fh), fh};
    hsp_jdoc *d = hsp_jdoc_new();
    const hsp_jv *root = (const hsp_jv *)1;
    hrsync_status st = hsp_jdoc_parse(&hh, d, "GET /x", cases[i].body,
                                      strlen(cases[i].body), &root);
    if(st != HRSYNC_E_PARSE || !fh_error(fh) ||
       !strstr(fh_error(fh), cases[i].needle))
      fail_msg("case %zu: status %d, error %s", i, st,
               fh_error(fh) ? fh_error(fh) : "(none)");
    assert_null(root);
    hsp_jdoc_free(d);
    fh_free(fh);
  }
}

/* "[[...]]" n deep, or an object around n - 2 arrays around a number
** (n values deep). Caller frees. */
static char *nested(size_t n, int obj)
{
  char *b = malloc(2 * n + 16);
  size_t i, len = 0;
  assert_non_null(b);
  if(obj)
    len += (size_t)sprintf(b, "{\"a\":");
  for(i = obj; i < n - (size_t)obj; i++)
    b[len++] = '[';
  if(obj)
    b[len++] = '1';
  for(i = obj; i < n - (size_t)obj; i++)
    b[len++] = ']';
  if(obj)
    b[len++] = '}';
  b[len] = 0;
  return b;
}

/* Nesting as deep as json-c accepts (32 values) parses; one more is
** refused as json-c refused it, "nesting too deep", not parsed into a
** value whose text (hsp_jv_text recurses) overflows the stack; the same
** for a streamed element, counted from the element. */
static void test_nesting_depth(void **state)
{
  static const struct {
    size_t n;
    int obj, ok;
  } cases[] = {{32, 0, 1}, {33, 0, 0}, {32, 1, 1}, {33, 1, 0}, {100000, 0, 0}};
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    hsp_host hh = {fh_table(fh), fh};
    hsp_jdoc *d = hsp_jdoc_new();
    const hsp_jv *root = NULL;
    char *body = nested(cases[i].n, cases[i].obj);
    hrsync_status st =
        hsp_jdoc_parse(&hh, d, "GET /x", body, strlen(body), &root);
    if(cases[i].ok) {
      struct printbuf *pb = printbuf_new();
      char tmp[64];
      assert_int_equal(st, HRSYNC_OK);
      assert_string_equal(hsp_jv_text(root, tmp, sizeof(tmp), pb), body);
      printbuf_free(pb);
    }
    else {
      assert_int_equal(st, HRSYNC_E_PARSE);
      if(!strstr(fh_error(fh), "GET /x: malformed JSON (") ||
         !strstr(fh_error(fh), "bytes): nesting too deep"))
        fail_msg("case %zu: %s", i, fh_error(fh));
      assert_null(root);
    }
    hsp_jdoc_free(d);
    fh_free(fh);
    free(body);
  }
  for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    fh_host *fh = fh_new();
    char *elem = nested(cases[i].n, cases[i].obj);
    char *body = malloc(strlen(elem) + 32);
    seen out;
    hrsync_status st;
    assert_non_null(body);
    sprintf(body, "{\"employees\":[%s]}", elem);
    st = feed_split(fh, body, strlen(body), 7, 5, &out);
    if(cases[i].ok)
      assert_int_equal(st, HRSYNC_OK);
    else {
      assert_int_equal(st, HRSYNC_E_PARSE);
      if(!strstr(fh_error(fh), "GET /x: malformed JSON: nesting too deep "
                               "at byte "))
        fail_msg("stream case %zu: %s", i, fh_error(fh));
    }
    fh_free(fh);
    free(body);
    free(elem);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_split_point),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_element_over_limit),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_big_answer_small_limit),
      cmocka_unit_test(test_same_as_json_c),
      cmocka_unit_test(test_doc_errors),
      cmocka_unit_test(test_nesting_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
