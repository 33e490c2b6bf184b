/*
** hs_http_stream (SDK 1.4 http_stream) against a loopback server this test
** starts itself (libmicrohttpd): a 2xx body reaches the reader whole, in
** order, never held and past the response cap; retries happen before the
** first chunk; a transfer broken mid-body is resumed when the answer asked
** again begins with the same bytes, refused when it does not; an error
** body is held (64 KiB); a reader that stops ends the transfer.
**
** Paths: /big 200 with BIG_LEN bytes; /flaky 503 twice then /big's body;
** /e500 500 with 100 KB; /reset the body cut at half once, then whole;
** /changed the body cut at half once, then another body.
*/
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#define BIG_LEN (1024 * 1024 + 17)

static struct MHD_Daemon *daemon_;
static unsigned short port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int hits, flaky_left, cut_left;
static char *big, *other;

/* A body served by a callback, cut (the connection dropped) at cut. */
typedef struct served {
  const char *body;
  size_t len, cut;
} served;

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
  served *s = cls;
  size_t n;
  if(pos >= s->cut)
    return MHD_CONTENT_READER_END_WITH_ERROR;
  n = s->cut - (size_t)pos < max ? s->cut - (size_t)pos : max;
  memcpy(buf, s->body + pos, n);
  return (ssize_t)n;
}

static enum MHD_Result send_body(struct MHD_Connection *c, unsigned status,
                                 const char *body, size_t len, size_t cut)
{
  served *s = malloc(sizeof(*s));
  struct MHD_Response *r;
  enum MHD_Result ok;
  if(!s)
    return MHD_NO;
  s->body = body;
  s->len = len;
  s->cut = cut;
  r = MHD_create_response_from_callback(len, 32 * 1024, read_body, s, free);
  MHD_add_response_header(r, "Content-Type", "application/json");
  ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
                               const char *url, const char *method,
                               const char *version, const char *data,
                               size_t *data_size, void **req_cls)
{
  static int marker;
  int flaky, cut;
  (void)cls;
  (void)method;
  (void)version;
  (void)data;
  (void)data_size;
  if(!*req_cls) {
    *req_cls = &marker;
    return MHD_YES;
  }
  pthread_mutex_lock(&mu);
  hits++;
  flaky = flaky_left > 0 && !strcmp(url, "/flaky") ? flaky_left-- : 0;
  cut = cut_left > 0 && (!strcmp(url, "/reset") || !strcmp(url, "/changed"))
            ? cut_left--
            : 0;
  pthread_mutex_unlock(&mu);
  if(flaky)
    return send_body(c, 503, "{\"busy\":1}", 10, 10);
  if(!strcmp(url, "/e500"))
    return send_body(c, 500, big, 100 * 1024, 100 * 1024);
  if(cut)
    return send_body(c, 200, big, BIG_LEN, BIG_LEN / 2);
  if(!strcmp(url, "/changed"))
    return send_body(c, 200, other, BIG_LEN, BIG_LEN);
  return send_body(c, 200, big, BIG_LEN, BIG_LEN);
}

static int server_start(void **state)
{
  const union MHD_DaemonInfo *info;
  struct sockaddr_in a;
  size_t i;
  (void)state;
  big = malloc(BIG_LEN);
  other = malloc(BIG_LEN);
  if(!big || !other)
    return -1;
  for(i = 0; i < BIG_LEN; i++)
    big[i] = (char)('a' + (i * 7 + i / 991) % 26);
  memcpy(other, big, BIG_LEN);
  other[BIG_LEN / 4] ^= 1; /* differs before the cut */
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  daemon_ =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0,
                       NULL, NULL, handler, NULL, MHD_OPTION_SOCK_ADDR,
                       (struct sockaddr *)&a, MHD_OPTION_END);
  if(!daemon_)
    return -1;
  info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port = info ? info->port : 0;
  return port ? 0 : -1;
}

static int server_stop(void **state)
{
  (void)state;
  MHD_stop_daemon(daemon_);
  free(big);
  free(other);
  return 0;
}

/* ---- the client side ------------------------------------------------ */

static hs_log *lg;
static hs_http *http;
static char url[256];

/* What the reader got; stop_after: stop once this many bytes came. */
typedef struct got {
  char *data;
  size_t len, chunks, stop_after;
} got;

static int reader(void *arg, const char *data, size_t len)
{
  got *g = arg;
  char *grown = realloc(g->data, g->len + len + 1);
  if(!grown)
    return 1;
  g->data = grown;
  memcpy(g->data + g->len, data, len);
  g->len += len;
  g->chunks++;
  return g->stop_after && g->len >= g->stop_after;
}

static void sink(void *arg, int level, const char *line)
{
  (void)arg;
  (void)level;
  (void)line;
}

static int reset(void **state)
{
  /* A 4 KiB response cap: every streamed body here is far over it. */
  hs_http_opts o = {0, 5000, 3, 20, NULL, 4096};
  hs_err err;
  (void)state;
  pthread_mutex_lock(&mu);
  hits = flaky_left = cut_left = 0;
  pthread_mutex_unlock(&mu);
  lg = hs_log_new(HS_LOG_DEBUG, sink, NULL);
  return lg && hs_http_new(&o, lg, &http, &err) == HS_OK ? 0 : -1;
}

static int done(void **state)
{
  (void)state;
  hs_http_free(http);
  hs_log_free(lg);
  return 0;
}

static hrsync_http_request get(const char *path)
{
  hrsync_http_request r = {sizeof(r), 0,    "GET", url,  NULL,
                           0,         NULL, 0,     NULL, NULL};
  snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", (unsigned)port, path);
  return r;
}

static void test_big_body_streamed_past_cap(void **state)
{
  hrsync_http_request r = get("/big");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 0};
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  assert_string_equal(resp->body, "");
  assert_int_equal(resp->body_len, BIG_LEN);
  assert_int_equal(g.len, BIG_LEN);
  assert_memory_equal(g.data, big, BIG_LEN);
  assert_true(g.chunks > 1);
  free(g.data);
  /* Held, the same answer is over the cap. */
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_E_HTTP);
  assert_non_null(strstr(err.msg, "response body over 4096 bytes"));
}

static void test_retry_before_first_chunk(void **state)
{
  hrsync_http_request r = get("/flaky");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 0};
  hs_http_stats st;
  hs_err err;
  (void)state;
  flaky_left = 2;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  assert_int_equal(g.len, BIG_LEN); /* the 503 bodies never reached it */
  assert_memory_equal(g.data, big, BIG_LEN);
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 2);
  free(g.data);
}

static void test_error_body_held(void **state)
{
  hrsync_http_request r = get("/e500");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 0};
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 500);
  assert_int_equal(g.len, 0);
  assert_int_equal(resp->body_len, 64 * 1024);
  assert_memory_equal(resp->body, big, 64 * 1024);
  assert_int_equal(resp->body[resp->body_len], 0);
}

static void test_broken_transfer_resumed(void **state)
{
  hrsync_http_request r = get("/reset");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 0};
  hs_http_stats st;
  hs_err err;
  (void)state;
  cut_left = 1;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err), HS_OK);
  assert_int_equal(resp->body_len, BIG_LEN);
  /* Every byte once, in order: the part already read was not repeated. */
  assert_int_equal(g.len, BIG_LEN);
  assert_memory_equal(g.data, big, BIG_LEN);
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 1);
  free(g.data);
}

static void test_changed_answer_refused(void **state)
{
  hrsync_http_request r = get("/changed");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 0};
  hs_err err;
  (void)state;
  cut_left = 1;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err),
                   HS_E_HTTP);
  assert_null(resp);
  assert_non_null(strstr(err.msg, "did not begin as the first one"));
  assert_true(g.len <= BIG_LEN / 2 + 1);
  free(g.data);
}

static void test_reader_stops(void **state)
{
  hrsync_http_request r = get("/big");
  const hrsync_http_response *resp;
  got g = {NULL, 0, 0, 1};
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err),
                   HS_E_RUNTIME);
  assert_null(resp);
  assert_int_equal(g.chunks, 1);
  assert_int_equal(hits, 1); /* not retried */
  free(g.data);
  /* The handle still works afterwards. */
  g.data = NULL;
  g.len = g.chunks = g.stop_after = 0;
  assert_int_equal(hs_http_stream(http, &r, reader, &g, &resp, &err), HS_OK);
  assert_int_equal(g.len, BIG_LEN);
  free(g.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_big_body_streamed_past_cap, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_retry_before_first_chunk, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_error_body_held, reset, done),
      cmocka_unit_test_setup_teardown(test_broken_transfer_resumed, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_changed_answer_refused, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_reader_stops, reset, done),
  };
  return cmocka_run_group_tests(tests, server_start, server_stop);
}
