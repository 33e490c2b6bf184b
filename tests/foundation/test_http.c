/*
** http: the libcurl transport against a loopback server this test starts
** itself (libmicrohttpd, one internal thread). The server records what it
** received so the tests can check the request exactly as sent.
**
** Paths: /echo 200 "hello"; /flaky N x 503 then 200; /date 503 with an
** HTTP-date Retry-After once; /e500 always 500; /t429 always 429;
** /n429 N x 429 without Retry-After, then 200.
*/
#include "http.h"
#include "pace.h"

#include <arpa/inet.h>
#include <curl/curl.h>
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
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- the server ----------------------------------------------------- */

static struct MHD_Daemon *daemon_;
static unsigned short port;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char seen_headers[4096]; /* "Name: value\n" of the last request */
static char seen_body[8192];
static size_t seen_body_len;
static int hits, connections, flaky_left, retry_after_secs;

static enum MHD_Result add_seen(void *cls, enum MHD_ValueKind kind,
                                const char *k, const char *v)
{
  size_t n = strlen(seen_headers);
  (void)cls;
  (void)kind;
  snprintf(seen_headers + n, sizeof(seen_headers) - n, "%s: %s\n", k,
           v ? v : "");
  return MHD_YES;
}

static void on_conn(void *cls, struct MHD_Connection *c, void **socket_ctx,
                    enum MHD_ConnectionNotificationCode code)
{
  (void)cls;
  (void)c;
  (void)socket_ctx;
  if(code == MHD_CONNECTION_NOTIFY_STARTED) {
    pthread_mutex_lock(&mu);
    connections++;
    pthread_mutex_unlock(&mu);
  }
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
                             const char *body, const char *retry_after,
                             int attempt)
{
  struct MHD_Response *r = MHD_create_response_from_buffer(
      strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
  char n[16];
  enum MHD_Result ok;
  snprintf(n, sizeof(n), "%d", attempt);
  MHD_add_response_header(r, "X-Attempt", n);
  MHD_add_response_header(r, "Content-Type", "application/json");
  if(retry_after)
    MHD_add_response_header(r, "Retry-After", retry_after);
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
  char ra[64];
  int attempt;
  (void)cls;
  (void)method;
  (void)version;
  if(!*req_cls) { /* headers only so far */
    *req_cls = &marker;
    pthread_mutex_lock(&mu);
    seen_headers[0] = 0;
    seen_body_len = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_seen, NULL);
    pthread_mutex_unlock(&mu);
    return MHD_YES;
  }
  if(*data_size) {
    pthread_mutex_lock(&mu);
    if(seen_body_len + *data_size < sizeof(seen_body)) {
      memcpy(seen_body + seen_body_len, data, *data_size);
      seen_body_len += *data_size;
    }
    pthread_mutex_unlock(&mu);
    *data_size = 0;
    return MHD_YES;
  }
  pthread_mutex_lock(&mu);
  attempt = ++hits;
  pthread_mutex_unlock(&mu);
  snprintf(ra, sizeof(ra), "%d", retry_after_secs);
  if(!strcmp(url, "/flaky") && flaky_left > 0) {
    flaky_left--;
    return reply(c, 503, "{\"busy\":1}", ra, attempt);
  }
  if(!strcmp(url, "/date") && flaky_left > 0) {
    time_t now = time(NULL);
    struct tm tm;
    flaky_left--;
    gmtime_r(&now, &tm);
    strftime(ra, sizeof(ra), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return reply(c, 503, "{}", ra, attempt);
  }
  if(!strcmp(url, "/e500"))
    return reply(c, 500, "{\"error\":\"boom\"}", NULL, attempt);
  if(!strcmp(url, "/n429") && flaky_left > 0) {
    flaky_left--;
    return reply(c, 429, "{}", NULL, attempt);
  }
  if(!strcmp(url, "/t429"))
    return reply(c, 429, "{}", "0", attempt);
  if(!strncmp(url, "/n/", 3)) /* its own name back: which answer is which */
    return reply(c, 200, url + 3, NULL, attempt);
  return reply(c, 200, "hello", NULL, attempt);
}

static int server_start(void **state)
{
  const union MHD_DaemonInfo *info;
  struct sockaddr_in a;
  (void)state;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* port 0: any free one */
  daemon_ = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
      handler, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_conn, NULL,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a, MHD_OPTION_END);
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
  return 0;
}

/* ---- the client side ------------------------------------------------ */

static char logbuf[16384];

static void sink(void *arg, int level, const char *line)
{
  size_t n = strlen(logbuf);
  (void)arg;
  snprintf(logbuf + n, sizeof(logbuf) - n, "%d|%s\n", level, line);
}

static hs_log *lg;
static hs_http *http;
static char url[256];

static const char *url_of(const char *path)
{
  snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", (unsigned)port, path);
  return url;
}

static int reset(void **state)
{
  /* Retry-After honoured up to 2 s here, backoff capped at 50 ms. */
  hs_http_opts o = {0, 5000, 3, 50, NULL, 0, 2000, 3, 0};
  hs_err err;
  (void)state;
  pthread_mutex_lock(&mu);
  hits = connections = flaky_left = retry_after_secs = 0;
  pthread_mutex_unlock(&mu);
  logbuf[0] = 0;
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
  hrsync_http_request r = {sizeof(r), 0,    "GET", url_of(path), NULL,
                           0,         NULL, 0,     NULL,         NULL};
  return r;
}

/* The value the server saw for header name, or NULL. Counts duplicates. */
static const char *seen(const char *name, int *count)
{
  static char val[512];
  char key[64];
  const char *p = seen_headers, *hit = NULL;
  int n = 0;
  snprintf(key, sizeof(key), "%s: ", name);
  while((p = strstr(p, key)) != NULL) {
    if(p == seen_headers || p[-1] == '\n') {
      const char *end = strchr(p, '\n');
      n++;
      hit = p + strlen(key);
      snprintf(val, sizeof(val), "%.*s", (int)(end - hit), hit);
    }
    p++;
  }
  if(count)
    *count = n;
  return hit ? val : NULL;
}

static void test_get_defaults(void **state)
{
  hrsync_http_request r = get("/echo");
  static const hrsync_kv h[] = {{"X-Custom", "1"}};
  const hrsync_http_response *resp;
  hs_err err;
  int n;
  (void)state;
  r.headers = h;
  r.n_headers = 1;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  assert_int_equal(resp->body_len, 5);
  assert_string_equal(resp->body, "hello");
  assert_string_equal(hrsync_response_header(resp, "x-attempt"), "1");
  assert_string_equal(seen("Accept", &n), "application/json");
  assert_int_equal(n, 1);
  assert_string_equal(seen("X-Custom", NULL), "1");
  assert_null(seen("Content-Type", NULL));
  assert_null(seen("Expect", NULL));
  assert_null(seen("Authorization", NULL));
  assert_non_null(strstr(seen("User-Agent", NULL), "hrsync/"));
}

static void test_post_headers_exact(void **state)
{
  static char big[4000];
  static const hrsync_kv h[] = {{"Accept", "text/csv"},
                                {"Content-Type", "application/json"}};
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp;
  hs_err err;
  int n;
  (void)state;
  /* A form-looking body without Content-Type: curl must not add one. */
  r.method = "POST";
  r.body = "a=1&b=2";
  r.body_len = 7;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_null(seen("Content-Type", NULL));
  assert_int_equal(seen_body_len, 7);
  assert_memory_equal(seen_body, "a=1&b=2", 7);

  /* The plugin's own Accept and Content-Type, once each, unchanged; a
  ** body big enough that curl would send Expect: 100-continue. */
  memset(big, 'x', sizeof(big));
  r.headers = h;
  r.n_headers = 2;
  r.body = big;
  r.body_len = sizeof(big);
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  assert_string_equal(seen("Accept", &n), "text/csv");
  assert_int_equal(n, 1);
  assert_string_equal(seen("Content-Type", &n), "application/json");
  assert_int_equal(n, 1);
  assert_null(seen("Expect", NULL));
  assert_int_equal(seen_body_len, sizeof(big));

  /* PATCH goes out as PATCH with its body; then a GET has none. */
  r.method = "PATCH";
  r.body = "{}";
  r.body_len = 2;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(seen_body_len, 2);
  r = get("/echo");
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(seen_body_len, 0);
}

static void test_basic_preemptive(void **state)
{
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp;
  hs_err err;
  (void)state;
  r.basic_user = "SERVICE-TEST";
  r.basic_password = "hibob-test-token";
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  /* base64("SERVICE-TEST:hibob-test-token"), on the first request. */
  assert_string_equal(seen("Authorization", NULL),
                      "Basic U0VSVklDRS1URVNUOmhpYm9iLXRlc3QtdG9rZW4=");
  assert_int_equal(hits, 1);
  assert_null(strstr(logbuf, "hibob-test-token"));
  assert_null(strstr(logbuf, "U0VSVklDRS1URVNUOmhpYm9iLXRlc3QtdG9rZW4="));
  assert_non_null(strstr(logbuf, "> Authorization: [REDACTED]"));
}

static void test_retry_after_then_ok(void **state)
{
  hrsync_http_request r = get("/flaky");
  const hrsync_http_response *resp;
  hs_http_stats st;
  hs_err err;
  int n;
  (void)state;
  flaky_left = 2;
  retry_after_secs = 0;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  hs_http_get_stats(http, &st);
  assert_int_equal(st.requests, 3);
  assert_int_equal(st.retries, 2);
  /* Only the final response's headers: one X-Attempt, the third. */
  assert_string_equal(hrsync_response_header(resp, "X-Attempt"), "3");
  for(n = 0; (size_t)n < resp->n_headers; n++)
    if(!strcmp(resp->headers[n].name, "X-Attempt"))
      assert_string_equal(resp->headers[n].value, "3");
  assert_non_null(strstr(logbuf, "HTTP 503, retry 1 of 3 in 0 ms"));
}

/* Issue 16: a Retry-After is never cut to the backoff cap (50 ms here):
** retrying before the server allows only gets refused again. Within the
** Retry-After cap (2 s here) it is waited for whole. */
static void test_retry_after_over_backoff_cap_honoured(void **state)
{
  hrsync_http_request r = get("/flaky");
  const hrsync_http_response *resp;
  struct timespec t0, t1;
  hs_err err;
  long ms;
  (void)state;
  flaky_left = 1;
  retry_after_secs = 1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  assert_int_equal(resp->status, 200);
  assert_true(ms >= 1000);
  assert_true(ms < 5000);
  assert_non_null(strstr(logbuf, "retry 1 of 3 in 1000 ms"));
}

/* Over the Retry-After cap: the request fails at once, saying why. */
static void test_retry_after_over_cap_fails(void **state)
{
  hrsync_http_request r = get("/flaky");
  const hrsync_http_response *resp;
  struct timespec t0, t1;
  hs_err err;
  long ms;
  (void)state;
  flaky_left = 1;
  retry_after_secs = 30;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_E_HTTP);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  assert_true(ms < 1000);
  assert_null(resp);
  assert_non_null(strstr(err.msg, "asks to wait 30 s (Retry-After), over the "
                                  "2 s hrsync waits at most "
                                  "(limits.retry_wait_seconds)"));
  assert_non_null(strstr(err.msg, "/flaky"));
}

/* The cap is never below the connector's declared window: Lucca's 60 s
** (and a 90 s Retry-After with a 600 s window), whatever the option. */
static void test_retry_after_cap_covers_window(void **state)
{
  (void)state;
  assert_int_equal(hs_http_retry_after_cap_ms(http), 2000);
  hs_http_rate_limit(http, 50, 60);
  assert_int_equal(hs_http_retry_after_cap_ms(http), 61000);
  assert_int_equal(hs_http_retry_wait_ms(429, 0, 61000, 50,
                                         hs_http_retry_after_cap_ms(http)),
                   61000);
  hs_http_rate_limit(http, 100, 600);
  assert_int_equal(hs_http_retry_wait_ms(429, 0, 90000, 50,
                                         hs_http_retry_after_cap_ms(http)),
                   90000);
  hs_http_rate_limit(http, 0, 0);
  /* The default, without any option: 120 s, over every documented
  ** 60 s window. */
  assert_int_equal(hs_http_retry_wait_ms(429, 0, 90000, 60000, 120000), 90000);
  assert_int_equal(hs_http_retry_wait_ms(429, 0, 121000, 60000, 120000), -1);
  assert_int_equal(hs_http_retry_wait_ms(503, 2, -1, 60000, 120000), 2000);
  assert_int_equal(hs_http_retry_wait_ms(429, 0, -1, 60000, 120000), 1000);
}

static void test_retry_after_http_date(void **state)
{
  hrsync_http_request r = get("/date");
  const hrsync_http_response *resp;
  hs_http_stats st;
  hs_err err;
  (void)state;
  flaky_left = 1;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 200);
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 1);
  /* "now" as a date means no wait at all (not the backoff default). */
  assert_non_null(strstr(logbuf, "retry 1 of 3 in 0 ms"));
}

static void test_500_not_retried(void **state)
{
  hrsync_http_request r = get("/e500");
  const hrsync_http_response *resp;
  hs_http_stats st;
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 500);
  assert_string_equal(resp->body, "{\"error\":\"boom\"}");
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 0);
  assert_int_equal(hits, 1);
}

static void test_429_exhausted_returns_last(void **state)
{
  hrsync_http_request r = get("/t429");
  const hrsync_http_response *resp;
  hs_http_stats st;
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_int_equal(resp->status, 429); /* the plugin decides */
  hs_http_get_stats(http, &st);
  assert_int_equal(st.requests, 4);
  assert_int_equal(st.retries, 3);
}

/* A 429 that names no Retry-After waits at least 1 s (Personio asks for
** it), not the 500 ms first backoff step. */
static void test_429_without_retry_after_waits_1s(void **state)
{
  hs_http_opts o = {0, 5000, 3, 5000, NULL, 0, 0, 0, 0};
  hrsync_http_request r = get("/n429");
  const hrsync_http_response *resp;
  struct timespec t0, t1;
  hs_http *slow;
  hs_err err;
  long ms;
  (void)state;
  assert_int_equal(hs_http_new(&o, lg, &slow, &err), HS_OK);
  flaky_left = 1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(hs_http_perform(slow, &r, &resp, &err), HS_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
  assert_int_equal(resp->status, 200);
  assert_true(ms >= 1000);
  assert_non_null(strstr(logbuf, "HTTP 429, retry 1 of 3 in 1000 ms"));
  hs_http_free(slow);
}

static unsigned short closed_port(void)
{
  struct sockaddr_in a;
  socklen_t len = sizeof(a);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if(fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
     getsockname(fd, (struct sockaddr *)&a, &len))
    return 1;
  close(fd); /* nobody listens there now */
  return ntohs(a.sin_port);
}

static void test_connection_refused(void **state)
{
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp = (void *)1;
  hs_http_stats st;
  hs_err err = {HS_OK, ""};
  char u[128];
  (void)state;
  snprintf(u, sizeof(u), "http://127.0.0.1:%u/x", (unsigned)closed_port());
  r.url = u;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_E_HTTP);
  assert_null(resp);
  assert_non_null(strstr(err.msg, "GET http://127.0.0.1:"));
  assert_non_null(strstr(err.msg, "(after 4 attempts)"));
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 3);
  assert_int_equal(st.requests, 4);
}

static void test_keepalive(void **state)
{
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp;
  hs_http_stats st;
  hs_err err;
  int i;
  (void)state;
  for(i = 0; i < 5; i++) {
    assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
    assert_int_equal(resp->status, 200);
  }
  hs_http_get_stats(http, &st);
  assert_int_equal(st.requests, 5);
  assert_int_equal(st.connections, 1);
  assert_int_equal(connections, 1); /* as the server counted them */
}

static void test_redaction(void **state)
{
  static const hrsync_kv h[] = {{"Authorization", "Bearer tok-abcdef-123"}};
  hrsync_http_request r = get("/echo?api_key=sekret-in-url");
  const hrsync_http_response *resp;
  hs_err err;
  char want[256];
  (void)state;
  hs_log_add_secret(lg, "sekret-in-url");
  r.headers = h;
  r.n_headers = 1;
  assert_int_equal(hs_http_perform(http, &r, &resp, &err), HS_OK);
  assert_string_equal(seen("Authorization", NULL), "Bearer tok-abcdef-123");
  assert_null(strstr(logbuf, "tok-abcdef-123"));
  assert_null(strstr(logbuf, "sekret-in-url"));
  /* -v: one line with method, URL (redacted), status, time and size. */
  snprintf(want, sizeof(want),
           "2|http: GET http://127.0.0.1:%u/echo?api_key=[REDACTED] -> 200 (",
           (unsigned)port);
  assert_non_null(strstr(logbuf, want));
  assert_non_null(strstr(logbuf, " ms, 5 bytes)\n"));
  /* -vv: headers both ways. */
  assert_non_null(strstr(logbuf, "3|http: > Authorization: [REDACTED]\n"));
  assert_non_null(strstr(logbuf, "3|http: < X-Attempt: 1\n"));
}

static void test_quiet_log_has_no_headers(void **state)
{
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp;
  hs_http *h2;
  hs_log *info = hs_log_new(HS_LOG_INFO, sink, NULL);
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_new(NULL, info, &h2, &err), HS_OK);
  logbuf[0] = 0;
  assert_int_equal(hs_http_perform(h2, &r, &resp, &err), HS_OK);
  assert_non_null(strstr(logbuf, "2|http: GET "));
  assert_null(strstr(logbuf, "3|"));
  hs_http_free(h2);
  hs_log_free(info);
}

/* Issue 15 case 3: a body over the cap fails the request, naming the
** limit; one that fits is whole. */
static void test_body_cap(void **state)
{
  hs_http_opts o = {0, 5000, 0, 50, NULL, 4, 0, 0, 0};
  hrsync_http_request r = get("/echo");
  const hrsync_http_response *resp = NULL;
  hs_http *small = NULL;
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_new(&o, lg, &small, &err), HS_OK);
  assert_int_equal(hs_http_perform(small, &r, &resp, &err), HS_E_HTTP);
  assert_non_null(
      strstr(err.msg, "response body over 4 bytes (limits.response_bytes)"));
  hs_http_free(small);
  o.max_body_bytes = 5;
  assert_int_equal(hs_http_new(&o, lg, &small, &err), HS_OK);
  assert_int_equal(hs_http_perform(small, &r, &resp, &err), HS_OK);
  assert_string_equal(resp->body, "hello");
  hs_http_free(small);
}

/* ---- http_many (issue 16) ------------------------------------------ */

/* reqs[i] = GET base/paths[i], URLs in urls. */
static void batch(const char *const *paths, size_t n, char urls[][128],
                  hrsync_http_request *reqs, const hrsync_http_request **ptrs)
{
  size_t i;
  for(i = 0; i < n; i++) {
    reqs[i] = get("/");
    if(!strncmp(paths[i], "http", 4))
      snprintf(urls[i], 128, "%s", paths[i]);
    else
      snprintf(urls[i], 128, "http://127.0.0.1:%u%s", (unsigned)port,
               paths[i]);
    reqs[i].url = urls[i];
    ptrs[i] = &reqs[i];
  }
}

/* Answers in request order, all valid together, on kept connections. */
static void test_many_in_order(void **state)
{
  static const char *const paths[] = {"/n/0", "/n/1", "/n/2",
                                      "/n/3", "/n/4", "/n/5"};
  char urls[6][128];
  hrsync_http_request reqs[6];
  const hrsync_http_request *ptrs[6];
  const hrsync_http_response *out[6];
  hs_http_stats st;
  hs_err err;
  size_t i;
  (void)state;
  batch(paths, 6, urls, reqs, ptrs);
  assert_int_equal(hs_http_many(http, ptrs, 6, out, &err), HS_OK);
  for(i = 0; i < 6; i++) {
    assert_int_equal(out[i]->status, 200);
    assert_string_equal(out[i]->body, paths[i] + 3);
  }
  hs_http_get_stats(http, &st);
  assert_int_equal(st.requests, 6);
  /* -v lines as for http(), one per request. */
  assert_non_null(strstr(logbuf, "GET http://127.0.0.1"));
  /* At most the concurrency (3) connections. */
  assert_true(st.connections <= 3);
}

/* A retryable answer in a batch is retried as http() retries it. */
static void test_many_retries(void **state)
{
  static const char *const paths[] = {"/n/a", "/flaky", "/n/b"};
  char urls[3][128];
  hrsync_http_request reqs[3];
  const hrsync_http_request *ptrs[3];
  const hrsync_http_response *out[3];
  hs_http_stats st;
  hs_err err;
  (void)state;
  flaky_left = 2;
  retry_after_secs = 0;
  batch(paths, 3, urls, reqs, ptrs);
  assert_int_equal(hs_http_many(http, ptrs, 3, out, &err), HS_OK);
  assert_string_equal(out[0]->body, "a");
  assert_int_equal(out[1]->status, 200);
  assert_string_equal(out[1]->body, "hello");
  assert_string_equal(out[2]->body, "b");
  hs_http_get_stats(http, &st);
  assert_int_equal(st.retries, 2);
  assert_int_equal(st.requests, 5);
  assert_non_null(strstr(logbuf, "HTTP 503, retry 1 of 3 in 0 ms"));
}

/* A request of a batch that gets no answer: the error names it. */
static void test_many_failure_named(void **state)
{
  char bad[128], urls[3][128];
  const char *paths[3] = {"/n/a", bad, "/n/c"};
  hrsync_http_request reqs[3];
  const hrsync_http_request *ptrs[3];
  const hrsync_http_response *out[3];
  hs_err err;
  (void)state;
  snprintf(bad, sizeof(bad), "http://127.0.0.1:%u/gone",
           (unsigned)closed_port());
  batch(paths, 3, urls, reqs, ptrs);
  assert_int_equal(hs_http_many(http, ptrs, 3, out, &err), HS_E_HTTP);
  assert_non_null(strstr(err.msg, "request 2 of 3: GET http://127.0.0.1:"));
  assert_non_null(strstr(err.msg, "/gone: "));
  assert_null(out[0]);
  assert_null(out[1]);
  assert_null(out[2]);
}

/* Concurrency 1: one at a time, every answer still valid together. */
static void test_many_one_by_one(void **state)
{
  static const char *const paths[] = {"/n/x", "/n/y"};
  hs_http_opts o = {0, 5000, 3, 50, NULL, 0, 0, 1, 0};
  char urls[2][128];
  hrsync_http_request reqs[2];
  const hrsync_http_request *ptrs[2];
  const hrsync_http_response *out[2];
  hs_http *one;
  hs_err err;
  (void)state;
  assert_int_equal(hs_http_new(&o, lg, &one, &err), HS_OK);
  batch(paths, 2, urls, reqs, ptrs);
  assert_int_equal(hs_http_many(one, ptrs, 2, out, &err), HS_OK);
  assert_string_equal(out[0]->body, "x");
  assert_string_equal(out[1]->body, "y");
  hs_http_free(one);
}

/* The pace: 300 a minute is also 5 a second; a window counts a request
** until a window after its answer. */
static void test_pace_windows(void **state)
{
  hs_pace *p = hs_pace_new();
  hs_pace_ticket t[6];
  int i;
  (void)state;
  assert_non_null(p);
  assert_int_equal(hs_pace_wait_ms(p, 1000), 0);
  assert_int_equal(hs_pace_declare(p, 300, 60), 0);
  assert_int_equal(hs_pace_window_ms(p), 60000);
  for(i = 0; i < 5; i++) {
    assert_int_equal(hs_pace_wait_ms(p, 1000), 0);
    hs_pace_start(p, 1000, &t[i]);
  }
  assert_true(hs_pace_wait_ms(p, 1000) > 0); /* all five in flight */
  for(i = 0; i < 5; i++)
    hs_pace_done(p, &t[i], 1050, 200, NULL, 0);
  assert_int_equal(hs_pace_wait_ms(p, 1050), 1000);
  assert_int_equal(hs_pace_wait_ms(p, 2049), 1);
  assert_int_equal(hs_pace_wait_ms(p, 2050), 0);
  /* 50 a minute: a burst of 50, then a minute after the first answer. */
  assert_int_equal(hs_pace_declare(p, 50, 60), 0);
  for(i = 0; i < 50; i++) {
    assert_int_equal(hs_pace_wait_ms(p, 5000), 0);
    hs_pace_start(p, 5000, &t[0]);
    hs_pace_done(p, &t[0], 5000 + i, 200, NULL, 0);
  }
  assert_int_equal(hs_pace_wait_ms(p, 5100), 59900);
  hs_pace_free(p);
}

/* Rate-limit headers hold the connection until the budget comes back. */
static void test_pace_headers(void **state)
{
  static const hrsync_kv gh[] = {{"X-RateLimit-Remaining", "0"},
                                 {"X-RateLimit-Reset", "2"}};
  static const hrsync_kv v2[] = {{"x-ratelimit-replenish-rate", "10"},
                                 {"x-ratelimit-burst-capacity", "10"},
                                 {"x-ratelimit-remaining", "0"}};
  static const hrsync_kv ietf[] = {
      {"RateLimit", "limit=100, remaining=0, reset=3"}};
  static const hrsync_kv epoch[] = {{"RateLimit-Remaining", "7"},
                                    {"RateLimit-Reset", "1700000030"}};
  hs_pace *p = hs_pace_new();
  hs_pace_ticket t;
  long rem, reset;
  double rate;
  (void)state;
  hs_pace_read_headers(epoch, 2, 1700000000LL, &rem, &reset, &rate);
  assert_int_equal(rem, 7);
  assert_int_equal(reset, 30000);
  hs_pace_read_headers(ietf, 1, 0, &rem, &reset, &rate);
  assert_int_equal(rem, 0);
  assert_int_equal(reset, 3000);
  hs_pace_start(p, 100, &t);
  hs_pace_done(p, &t, 100, 200, gh, 2);
  assert_int_equal(hs_pace_wait_ms(p, 100), 2000);
  assert_int_equal(hs_pace_wait_ms(p, 2100), 0);
  hs_pace_start(p, 3000, &t);
  hs_pace_done(p, &t, 3000, 200, v2, 3);
  assert_int_equal(hs_pace_wait_ms(p, 3000), 100);
  hs_pace_free(p);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_get_defaults, reset, done),
      cmocka_unit_test_setup_teardown(test_body_cap, reset, done),
      cmocka_unit_test_setup_teardown(test_post_headers_exact, reset, done),
      cmocka_unit_test_setup_teardown(test_basic_preemptive, reset, done),
      cmocka_unit_test_setup_teardown(test_retry_after_then_ok, reset, done),
      cmocka_unit_test_setup_teardown(
          test_retry_after_over_backoff_cap_honoured, reset, done),
      cmocka_unit_test_setup_teardown(test_retry_after_over_cap_fails, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_retry_after_cap_covers_window,
                                      reset, done),
      cmocka_unit_test_setup_teardown(test_retry_after_http_date, reset, done),
      cmocka_unit_test_setup_teardown(test_500_not_retried, reset, done),
      cmocka_unit_test_setup_teardown(test_429_exhausted_returns_last, reset,
                                      done),
      cmocka_unit_test_setup_teardown(test_429_without_retry_after_waits_1s,
                                      reset, done),
      cmocka_unit_test_setup_teardown(test_connection_refused, reset, done),
      cmocka_unit_test_setup_teardown(test_many_in_order, reset, done),
      cmocka_unit_test_setup_teardown(test_many_retries, reset, done),
      cmocka_unit_test_setup_teardown(test_many_failure_named, reset, done),
      cmocka_unit_test_setup_teardown(test_many_one_by_one, reset, done),
      cmocka_unit_test(test_pace_windows),
      cmocka_unit_test(test_pace_headers),
      cmocka_unit_test_setup_teardown(test_keepalive, reset, done),
      cmocka_unit_test_setup_teardown(test_redaction, reset, done),
      cmocka_unit_test_setup_teardown(test_quiet_log_has_no_headers, reset,
                                      done),
  };
  int rc;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  rc = cmocka_run_group_tests(tests, server_start, server_stop);
  curl_global_cleanup();
  return rc;
}
