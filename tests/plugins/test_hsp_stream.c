/*
** plugins/common/hsp_stream: the push parser gives the same elements and
** members whatever the chunks (every split point of a sample, one byte at
** a time), follows strings, escapes and nesting across chunk boundaries,
** names malformed input and an element over the limit, and holds one
** element, not the answer.
*/
#include "fakehost.h"
#include "hsp_idset.h"
#include "hsp_stream.h"

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

static void add_line(seen *s, const char *prefix, json_object *v)
{
  const char *t =
      v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
  int n =
      snprintf(s->out + s->len, sizeof(s->out) - s->len, "%s%s\n", prefix, t);
  assert_true(n > 0 && (size_t)n < sizeof(s->out) - s->len);
  s->len += (size_t)n;
}

static hrsync_status on_elem(void *arg, json_object *e, size_t idx)
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

static hrsync_status on_member(void *arg, const char *key, json_object *v)
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
  hsp_stream *s;
  hrsync_status st;
  size_t off = 0;
  memset(out, 0, sizeof(*out));
  out->stop_at = -1;
  assert_int_equal(
      hsp_stream_new(&hh, "GET /x", "employees", on_elem, on_member, out, &s),
      HRSYNC_OK);
  st = hsp_stream_feed(s, body, first < len ? first : len);
  off = first < len ? first : len;
  while(!st && off < len) {
    size_t n = len - off < step ? len - off : step;
    st = hsp_stream_feed(s, body + off, n);
    off += n;
  }
  if(!st)
    st = hsp_stream_end(s);
  hsp_stream_free(s);
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
      {"{\"employees\":[{\"id\":1}],}", "expected a member name"},
      {"{employees:[]}", "expected a member name"},
      {"{\"employees\":[]", "unexpected end of data"},
      {"{\"employees\":[{\"id\":\"1\"", "unexpected end of data"},
      {"{\"employees\":[{\"id\":\"1}]}", "unexpected end of data"},
      {"{\"a\":1}{\"employees\":[]}", "trailing data after the object"},
      {"{\"employees\":[{\"id\":1]]}", "malformed JSON"},
      {"{\"employees\":[tru]}", "malformed JSON"},
      {"{\"employees\":[1,,2]}", "malformed JSON"},
      /* json_tokener takes "1" then "-2" in two calls as one number. */
      {"{\"employees\":[1-2]}", "malformed JSON"},
      {"{\"employees\":[{\"n\":1.5e3-1}]}", "malformed JSON"},
      {"{\"employees\" [1]}", "expected ':'"},
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
  hsp_stream *s;
  seen out;
  size_t i;
  (void)state;
  memset(&out, 0, sizeof(out));
  out.stop_at = -1;
  assert_int_equal(
      hsp_stream_new(&hh, "GET /x", "employees", on_elem, NULL, &out, &s),
      HRSYNC_OK);
  hsp_stream_set_max(s, 20);
  for(i = 0; i < sizeof(body) - 1; i++)
    if(hsp_stream_feed(s, body + i, 1))
      break;
  assert_int_equal(hsp_stream_feed(s, "", 0), HRSYNC_E_PARSE);
  assert_int_equal(hsp_stream_end(s), HRSYNC_E_PARSE); /* sticky */
  assert_int_equal(hsp_stream_count(s), 1);
  assert_non_null(strstr(fh_error(fh), "employees[1] is over 20 bytes"));
  hsp_stream_free(s);
  fh_free(fh);
}

/* A callback's failure stops the parser and is what every call returns. */
static void test_callback_stops(void **state)
{
  static const char body[] = "{\"employees\":[1,2,3,4]}";
  fh_host *fh = fh_new();
  hsp_host hh = {fh_table(fh), fh};
  hsp_stream *s;
  seen out;
  (void)state;
  memset(&out, 0, sizeof(out));
  out.stop_at = 2;
  assert_int_equal(
      hsp_stream_new(&hh, "GET /x", "employees", on_elem, NULL, &out, &s),
      HRSYNC_OK);
  assert_int_equal(hsp_stream_feed(s, body, sizeof(body) - 1),
                   HRSYNC_E_INTERNAL);
  assert_int_equal(out.n_elems, 2);
  assert_int_equal(hsp_stream_end(s), HRSYNC_E_INTERNAL);
  hsp_stream_free(s);
  fh_free(fh);
}

static hrsync_status count_elem(void *arg, json_object *e, size_t idx)
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
  hsp_stream *s;
  char elem[128];
  size_t i, n = 0;
  hrsync_status st;
  (void)state;
  assert_int_equal(
      hsp_stream_new(&hh, "GET /x", "employees", count_elem, NULL, &n, &s),
      HRSYNC_OK);
  hsp_stream_set_max(s, 256);
  st = hsp_stream_feed(s, "{\"employees\":[", 14);
  for(i = 0; !st && i < 50000; i++) {
    int m = snprintf(elem, sizeof(elem),
                     "%s{\"id\":\"%zu\",\"name\":\"Person %zu \\\"[{\"}",
                     i ? "," : "", i, i);
    st = hsp_stream_feed(s, elem, (size_t)m);
  }
  if(!st)
    st = hsp_stream_feed(s, "]}", 2);
  if(!st)
    st = hsp_stream_end(s);
  assert_int_equal(st, HRSYNC_OK);
  assert_int_equal(n, 50000);
  hsp_stream_free(s);
  fh_free(fh);
}

/* The connectors' id set: each id once, found again after the table and
** the arena grew, "" and long ids too. */
static void test_idset(void **state)
{
  hsp_idset s = HSP_IDSET_INIT;
  char id[64], big[5000];
  size_t i;
  (void)state;
  for(i = 0; i < 100000; i++) {
    snprintf(id, sizeof(id), "%zu", i * 7919);
    assert_int_equal(hsp_idset_add(&s, id), 1);
  }
  for(i = 0; i < 100000; i += 997) {
    snprintf(id, sizeof(id), "%zu", i * 7919);
    assert_int_equal(hsp_idset_add(&s, id), 0);
    assert_true(hsp_idset_has(&s, id));
  }
  assert_false(hsp_idset_has(&s, "7918"));
  assert_int_equal(hsp_idset_add(&s, ""), 1);
  assert_int_equal(hsp_idset_add(&s, ""), 0);
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = 0;
  assert_int_equal(hsp_idset_add(&s, big), 1);
  assert_true(hsp_idset_has(&s, big));
  assert_int_equal(s.n, 100002);
  hsp_idset_free(&s);
  assert_false(hsp_idset_has(&s, "0"));
  assert_int_equal(hsp_idset_add(&s, "0"), 1);
  hsp_idset_free(&s);
}

/* Ids in increasing order skip the table; any other order, and a mix
** of both, finds each id once all the same. */
static void test_idset_orders(void **state)
{
  static const char *const mixed[] = {"10", "2",  "30", "9",   "100", "2",
                                      "31", "10", "1",  "100", "1000"};
  static const int fresh[] = {1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1};
  hsp_idset s = HSP_IDSET_INIT;
  char id[32];
  size_t i, k;
  (void)state;
  for(i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
    assert_int_equal(hsp_idset_add(&s, mixed[i]), fresh[i]);
  for(i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
    assert_true(hsp_idset_has(&s, mixed[i]));
  assert_false(hsp_idset_has(&s, "3"));
  assert_false(hsp_idset_has(&s, "99999"));
  assert_int_equal(s.n, 8);
  hsp_idset_free(&s);
  /* Descending, then interleaved halves, then all again: every id once. */
  for(i = 3000; i-- > 0;) {
    snprintf(id, sizeof(id), "e%zu", i);
    assert_int_equal(hsp_idset_add(&s, id), 1);
  }
  for(k = 0; k < 2; k++)
    for(i = 3000 + k; i < 9000; i += 2) {
      snprintf(id, sizeof(id), "e%zu", i);
      assert_int_equal(hsp_idset_add(&s, id), 1);
    }
  for(i = 0; i < 9000; i++) {
    snprintf(id, sizeof(id), "e%zu", (i * 7) % 9000);
    assert_int_equal(hsp_idset_add(&s, id), 0);
    assert_true(hsp_idset_has(&s, id));
  }
  assert_int_equal(s.n, 9000);
  hsp_idset_free(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_split_point),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_element_over_limit),
      cmocka_unit_test(test_callback_stops),
      cmocka_unit_test(test_big_answer_small_limit),
      cmocka_unit_test(test_idset),
      cmocka_unit_test(test_idset_orders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
