/*
** hs_http: the libcurl transport behind host->http.
**
** One easy handle for the life of the hs_http: curl keeps its connection
** cache in the handle, so pages of one sync reuse one TCP (and TLS)
** connection. Options are reset and set afresh for every attempt, which
** keeps connections but forgets the previous request's method and body.
**
** Response headers are collected per response and restarted at every
** status line, so only the final response's headers (after a 100 Continue
** or a retry) reach the plugin.
*/
#include "http.h"
#include "http_int.h"

#include "runlimits.h"

#include "buf.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef HRSYNC_VERSION
#define HRSYNC_VERSION "0"
#endif

#define BACKOFF_FIRST_MS 500L
/* The longest Retry-After honoured by default: twice the longest window
** the vendors document (Lucca 50 per minute, HiBob's search 50 per
** minute, Personio's /auth 60 s cool-down, BambooHR's "try again in 60
** seconds"), so a window's own rounding up is never refused. */
#define RETRY_AFTER_DEFAULT_MS 120000L
/* Never more, whatever the config or a declared window says: a run that
** would sleep longer is better failed with a clear line. */
#define RETRY_AFTER_MAX_MS 3600000L

/* A digest of a byte stream, the same however it is split: 8 bytes at a
** time (a carry for the split ones), multiply and fold. Not for secrets:
** only to see that an answer asked again begins with the same bytes. */
typedef struct stream_sum {
  uint64_t h;
  size_t n;
  unsigned char carry[8];
  unsigned nc;
} stream_sum;

struct hs_http {
  CURL *easy;
  hs_log *log;
  long connect_timeout_ms, total_timeout_ms, max_retry_wait_ms;
  int max_retries;
  char *user_agent;
  /* A body larger than this is refused rather than grown without bound
  ** (hs_http_opts.max_body_bytes; limits.response_bytes in the config). */
  size_t max_body;

  hs_buf body;
  hs_buf hdr;    /* "name\0value\0" pairs of the current response */
  size_t nhdr;   /* pairs in hdr */
  hrsync_kv *kv; /* points into hdr after a transfer */
  size_t kv_cap;
  int body_too_big;
  hrsync_http_response resp;
  hs_http_stats stats;
  char errbuf[CURL_ERROR_SIZE];

  /* Pacing and concurrency (issue 16; http_multi.c, pace.c). A child
  ** (one per request of an http_many batch) shares its parent's pace,
  ** share and counters. */
  long max_retry_after_ms;
  int concurrency;
  long rate_per_minute; /* hs_http_opts.rate_per_minute */
  hs_pace *pace;
  CURLSH *share; /* one connection cache for the handle and the children */
  hs_http *parent;
  hs_http_multi *multi;
  /* hs_http_stream: where a 2xx body goes instead of body (NULL: held). */
  hs_http_chunk_fn stream_fn;
  void *stream_arg;
  size_t streamed;    /* bytes handed to stream_fn, all attempts */
  size_t received;    /* 2xx body bytes of this attempt */
  int stream_stopped; /* stream_fn asked to stop */
  int stream_changed; /* a resumed answer did not begin as the first one */
  stream_sum sum_sent, sum_again; /* digests: handed over / received again */
};

hs_rc hs_http_new(const hs_http_opts *opts, hs_log *log, hs_http **out,
                  hs_err *err)
{
  hs_http *h = calloc(1, sizeof(*h));
  const char *ua = opts ? opts->user_agent : NULL;
  *out = NULL;
  if(!h)
    return hs_err_set(err, HS_E_NOMEM, "http: out of memory");
  h->log = log;
  h->connect_timeout_ms =
      opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 10000;
  h->total_timeout_ms =
      opts && opts->total_timeout_ms > 0 ? opts->total_timeout_ms : 120000;
  h->max_retries = opts && opts->max_retries >= 0 ? opts->max_retries : 5;
  h->max_retry_wait_ms =
      opts && opts->max_retry_wait_ms > 0 ? opts->max_retry_wait_ms : 60000;
  h->max_body = opts && opts->max_body_bytes ? opts->max_body_bytes
                                             : HS_LIMIT_BODY_BYTES;
  h->max_retry_after_ms = opts && opts->max_retry_after_ms > 0
                              ? opts->max_retry_after_ms
                              : RETRY_AFTER_DEFAULT_MS;
  if(h->max_retry_after_ms > RETRY_AFTER_MAX_MS)
    h->max_retry_after_ms = RETRY_AFTER_MAX_MS;
  h->concurrency =
      opts && opts->concurrency > 0 ? opts->concurrency : HS_HTTP_CONCURRENCY;
  h->rate_per_minute = opts ? opts->rate_per_minute : 0;
  h->user_agent = strdup(ua ? ua : "hrsync/" HRSYNC_VERSION);
  h->easy = curl_easy_init();
  h->pace = hs_pace_new();
  h->share = curl_share_init();
  if(h->share)
    curl_share_setopt(h->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  if(!h->user_agent || !h->easy || !h->pace || !h->share) {
    hs_http_free(h);
    return hs_err_set(err, HS_E_NOMEM, "http: cannot create a curl handle");
  }
  *out = h;
  return HS_OK;
}

void hs_http_free(hs_http *h)
{
  if(!h)
    return;
  hs_http_multi_free(h->multi);
  if(h->easy)
    curl_easy_cleanup(h->easy);
  if(!h->parent) {
    hs_pace_free(h->pace);
    if(h->share)
      curl_share_cleanup(h->share);
  }
  free(h->user_agent);
  hs_buf_free(&h->body);
  hs_buf_free(&h->hdr);
  free(h->kv);
  free(h);
}

void hs_http_get_stats(const hs_http *h, hs_http_stats *out)
{
  *out = h->stats;
}

/* A handle for one request of an http_many batch: the parent's settings,
** pace, connection cache and counters; its own buffers and response. */
hs_http *hs_http__child(hs_http *parent)
{
  hs_http *h = calloc(1, sizeof(*h));
  if(!h)
    return NULL;
  h->log = parent->log;
  h->connect_timeout_ms = parent->connect_timeout_ms;
  h->total_timeout_ms = parent->total_timeout_ms;
  h->max_retry_wait_ms = parent->max_retry_wait_ms;
  h->max_retries = parent->max_retries;
  h->max_body = parent->max_body;
  h->max_retry_after_ms = parent->max_retry_after_ms;
  h->concurrency = 1;
  h->pace = parent->pace;
  h->share = parent->share;
  h->parent = parent;
  h->user_agent = strdup(parent->user_agent);
  h->easy = curl_easy_init();
  if(!h->user_agent || !h->easy) {
    hs_http_free(h);
    return NULL;
  }
  return h;
}

int hs_http__concurrency(const hs_http *h)
{
  return h->concurrency;
}

hs_http_multi **hs_http__multi(hs_http *h)
{
  return &h->multi;
}

CURL *hs_http__easy(hs_http *h)
{
  return h->easy;
}

hs_pace *hs_http__pace(hs_http *h)
{
  return h->pace;
}

const hrsync_http_response *hs_http__response(hs_http *h)
{
  return &h->resp;
}

/* The connector's documented limit (host->rate_limit), unless the config
** set limits.requests_per_minute, which wins (0 there: pace by headers
** only, for an emulator run flat out or a tenant with a raised limit). */
void hs_http_rate_limit(hs_http *h, uint32_t requests, uint32_t seconds)
{
  if(h->rate_per_minute > 0) {
    requests = (uint32_t)h->rate_per_minute;
    seconds = 60;
  }
  else if(h->rate_per_minute < 0)
    requests = seconds = 0;
  if(hs_pace_declare(h->pace, requests, seconds))
    return; /* out of memory: the old pace stays, the server's 429s rule */
  if(requests && seconds)
    hs_log_printf(h->log, HS_LOG_INFO, "http",
                  "pacing to %lu requests per %lu s", (unsigned long)requests,
                  (unsigned long)seconds);
}

long hs_http_retry_after_cap_ms(const hs_http *h)
{
  long cap = h->max_retry_after_ms, window = hs_pace_window_ms(h->pace);
  /* Never below the vendor's own window: a Retry-After of a whole window
  ** is what a refused request of a windowed limit is told. */
  if(window + 1000 > cap)
    cap = window + 1000;
  return cap > RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : cap;
}

/* ------------------------------------------------------------------ */
/* curl callbacks                                                       */

static size_t on_stream_body(hs_http *h, const char *data, size_t len);

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
  hs_http *h = arg;
  size_t len = size * n;
  if(h->stream_fn)
    return on_stream_body(h, data, len);
  if(len > h->max_body || h->body.len > h->max_body - len) {
    h->body_too_big = 1;
    return 0; /* makes curl fail the transfer with CURLE_WRITE_ERROR */
  }
  return hs_buf_append(&h->body, data, len) ? 0 : len;
}

static int ieq_prefix(const char *s, size_t n, const char *prefix)
{
  size_t i, plen = strlen(prefix);
  if(n < plen)
    return 0;
  for(i = 0; i < plen; i++) {
    char a = s[i], b = prefix[i];
    if(a >= 'A' && a <= 'Z')
      a = (char)(a - 'A' + 'a');
    if(b >= 'A' && b <= 'Z')
      b = (char)(b - 'A' + 'a');
    if(a != b)
      return 0;
  }
  return 1;
}

static size_t on_header(char *data, size_t size, size_t n, void *arg)
{
  hs_http *h = arg;
  size_t len = size * n, nlen;
  const char *colon;
  while(len && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    len--;
  if(ieq_prefix(data, len, "HTTP/")) {
    /* A new response begins: forget the interim or earlier one. */
    hs_buf_reset(&h->hdr);
    h->nhdr = 0;
    return size * n;
  }
  colon = memchr(data, ':', len);
  if(!colon || colon == data)
    return size * n; /* the blank line ending the block, or junk */
  nlen = (size_t)(colon - data);
  colon++;
  while(colon < data + len && (*colon == ' ' || *colon == '\t'))
    colon++;
  if(hs_buf_append(&h->hdr, data, nlen) || hs_buf_append(&h->hdr, "", 1) ||
     hs_buf_append(&h->hdr, colon, (size_t)(data + len - colon)) ||
     hs_buf_append(&h->hdr, "", 1))
    return 0;
  h->nhdr++;
  return size * n;
}

/* -vv: the header blocks as curl sent and got them, Authorization values
** cut here and every known secret cut by the log. */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size,
                    void *arg)
{
  hs_http *h = arg;
  const char *dir = type == CURLINFO_HEADER_OUT  ? "> "
                    : type == CURLINFO_HEADER_IN ? "< "
                                                 : NULL;
  size_t start = 0, i;
  (void)easy;
  if(!dir)
    return 0;
  for(i = 0; i <= size; i++) {
    size_t len;
    if(i < size && data[i] != '\n')
      continue;
    len = i - start;
    if(len && data[start + len - 1] == '\r')
      len--;
    if(len) {
      const char *line = data + start;
      if(ieq_prefix(line, len, "authorization:") ||
         ieq_prefix(line, len, "proxy-authorization:"))
        hs_log_printf(h->log, HS_LOG_DEBUG, "http", "%s%.*s [REDACTED]", dir,
                      (int)(strchr(line, ':') - line + 1), line);
      else
        hs_log_printf(h->log, HS_LOG_DEBUG, "http", "%s%.*s", dir, (int)len,
                      line);
    }
    start = i + 1;
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* One attempt                                                          */

static int has_header(const hrsync_http_request *req, const char *name)
{
  size_t i, n = strlen(name);
  for(i = 0; i < req->n_headers; i++)
    if(req->headers[i].name && strlen(req->headers[i].name) == n &&
       ieq_prefix(req->headers[i].name, n, name))
      return 1;
  return 0;
}

static int add_header(struct curl_slist **list, const char *name,
                      const char *value)
{
  hs_buf line = HS_BUF_INIT;
  struct curl_slist *grown;
  /* "Name;" is how curl sends a header with an empty value; "Name:"
  ** would remove it instead. */
  int rc = value && *value ? hs_buf_printf(&line, "%s: %s", name, value)
                           : hs_buf_printf(&line, "%s;", name);
  if(rc) {
    hs_buf_free(&line);
    return -1;
  }
  grown = curl_slist_append(*list, line.data);
  hs_buf_free(&line);
  if(!grown)
    return -1;
  *list = grown;
  return 0;
}

/* The request headers: the plugin's exactly, plus Accept when it set
** none, and blanks that stop curl adding Expect and a form Content-Type. */
static int build_headers(const hrsync_http_request *req,
                         struct curl_slist **list)
{
  size_t i;
  *list = NULL;
  for(i = 0; i < req->n_headers; i++) {
    if(!req->headers[i].name)
      continue;
    if(add_header(list, req->headers[i].name, req->headers[i].value))
      return -1;
  }
  if(!has_header(req, "Accept") &&
     !(*list = curl_slist_append(*list, "Accept: application/json")))
    return -1;
  if(!has_header(req, "Expect") &&
     !(*list = curl_slist_append(*list, "Expect:")))
    return -1;
  if(req->body && !has_header(req, "Content-Type") &&
     !(*list = curl_slist_append(*list, "Content-Type:")))
    return -1;
  return 0;
}

static void setup_stream(hs_http *h);
static void stream_attempt(hs_http *h);

static void setup(hs_http *h, const hrsync_http_request *req,
                  struct curl_slist *headers)
{
  CURL *c = h->easy;
  const char *m = req->method ? req->method : "GET";
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, req->url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->total_timeout_ms);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  /* No redirects: a redirect would carry credentials to another host. */
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, h->user_agent);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  /* A Content-Length over the cap fails before the body is read. */
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
  if(h->share)
    curl_easy_setopt(c, CURLOPT_SHARE, h->share);
  if(hs_log_enabled(h->log, HS_LOG_DEBUG)) {
    curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(c, CURLOPT_DEBUGDATA, h);
    curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  }
  if(h->stream_fn)
    setup_stream(h);
  if(req->basic_user) {
    /* CURLAUTH_BASIC alone makes curl send it on the first request. */
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, req->basic_user);
    curl_easy_setopt(c, CURLOPT_PASSWORD,
                     req->basic_password ? req->basic_password : "");
  }
  if(!strcmp(m, "GET"))
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  else if(!strcmp(m, "HEAD"))
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  else {
    if(strcmp(m, "POST"))
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
    if(req->body || !strcmp(m, "POST")) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                       (curl_off_t)(req->body ? req->body_len : 0));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
    }
  }
}

/* Points resp at the collected body and headers. -1 on no memory. */
static int finish_response(hs_http *h, long status)
{
  size_t i;
  const char *p = h->hdr.data;
  if(h->nhdr > h->kv_cap) {
    hrsync_kv *grown = realloc(h->kv, h->nhdr * sizeof(*grown));
    if(!grown)
      return -1;
    h->kv = grown;
    h->kv_cap = h->nhdr;
  }
  for(i = 0; i < h->nhdr; i++) {
    h->kv[i].name = p;
    p += strlen(p) + 1;
    h->kv[i].value = p;
    p += strlen(p) + 1;
  }
  if(!h->body.data && hs_buf_append(&h->body, "", 0))
    return -1;
  h->resp.struct_size = (uint32_t)sizeof(h->resp);
  h->resp.status = (uint32_t)status;
  h->resp.headers = h->kv;
  h->resp.n_headers = h->nhdr;
  h->resp.body = h->body.data;
  h->resp.body_len = h->body.len;
  return 0;
}

/* ------------------------------------------------------------------ */
/* Retries                                                              */

static int retry_status(long status)
{
  return status == 429 || status == 502 || status == 503 || status == 504;
}

/* Failures where the server never saw or never answered the request. */
static int retry_curl(CURLcode cc)
{
  switch(cc) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_SSL_CONNECT_ERROR:
    return 1;
  default:
    return 0;
  }
}

/* Retry-After in ms (delta seconds or an HTTP date), or -1 when absent or
** unreadable. */
static long retry_after_ms(const hs_http *h)
{
  size_t i;
  for(i = 0; i < h->nhdr; i++) {
    const char *v = h->kv[i].value;
    char *end;
    long secs;
    time_t when;
    if(strlen(h->kv[i].name) != 11 ||
       !ieq_prefix(h->kv[i].name, 11, "Retry-After"))
      continue;
    errno = 0;
    secs = strtol(v, &end, 10);
    if(end != v && !*end && !errno)
      return secs < 0 ? 0 : secs > 86400 ? 86400000L : secs * 1000;
    when = curl_getdate(v, NULL);
    if(when == (time_t)-1)
      return -1;
    when -= time(NULL);
    return when <= 0 ? 0 : when > 86400 ? 86400000L : (long)when * 1000;
  }
  return -1;
}

static void sleep_ms(long ms)
{
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while(nanosleep(&ts, &ts) && errno == EINTR)
    ;
}

long hs_http_retry_wait_ms(long status, int attempt, long retry_after,
                           long backoff_cap, long retry_after_cap)
{
  long ms = BACKOFF_FIRST_MS;
  if(retry_after >= 0)
    return retry_after > retry_after_cap ? -1 : retry_after;
  while(attempt-- > 0 && ms < backoff_cap)
    ms *= 2;
  if(ms > backoff_cap)
    ms = backoff_cap;
  /* A 429 without Retry-After: Personio asks for at least 1 s, longer
  ** than the first backoff step (issue 11; within the retry cap). */
  if(status == 429 && ms < 1000)
    ms = backoff_cap < 1000 ? backoff_cap : 1000;
  return ms;
}

static long elapsed_ms(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
         (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

hs_rc hs_http__headers(hs_http *h, const hrsync_http_request *req,
                       struct curl_slist **headers, hs_err *err)
{
  size_t i;
  *headers = NULL;
  /* A plugin built against an older 1.x sends a smaller request: accept
  ** it, and read members added after 1.0 only within its struct_size. */
  if(!req || req->struct_size < HRSYNC_HTTP_REQUEST_V1_0_SIZE || !req->url)
    return hs_err_set(err, HS_E_HTTP,
                      "http: malformed request (struct_size or url)");
  /* Credentials the plugin hands over never reach a log line. */
  if(req->basic_password)
    hs_log_add_secret(h->log, req->basic_password);
  for(i = 0; i < req->n_headers; i++) {
    const hrsync_kv *kv = &req->headers[i];
    const char *sp;
    if(!kv->name || !kv->value || strlen(kv->name) != 13 ||
       !ieq_prefix(kv->name, 13, "Authorization"))
      continue;
    hs_log_add_secret(h->log, kv->value);
    sp = strchr(kv->value, ' '); /* the credentials after the scheme */
    if(sp)
      hs_log_add_secret(h->log, sp + 1);
  }
  if(build_headers(req, headers)) {
    curl_slist_free_all(*headers);
    *headers = NULL;
    return hs_err_set(err, HS_E_NOMEM, "http: out of memory");
  }
  return HS_OK;
}

void hs_http__begin(hs_http *h, const hrsync_http_request *req,
                    struct curl_slist *headers, hs_http_attempt *a)
{
  hs_buf_reset(&h->body);
  hs_buf_reset(&h->hdr);
  h->nhdr = 0;
  h->body_too_big = 0;
  stream_attempt(h);
  h->errbuf[0] = 0;
  setup(h, req, headers);
  hs_pace_start(h->pace, hs_pace_now_ms(), &a->ticket);
  clock_gettime(CLOCK_MONOTONIC, &a->t0);
}

/* The wait before attempt + 1 of a failed or retryable answer, logged;
** -1 (with err set) when there is to be none. */
static long plan_retry(hs_http *h, const hrsync_http_request *req,
                       const char *method, long status, int attempt,
                       const char *why, hs_err *err)
{
  long ra = status ? retry_after_ms(h) : -1,
       cap = hs_http_retry_after_cap_ms(h),
       wait = hs_http_retry_wait_ms(status, attempt, ra, h->max_retry_wait_ms,
                                    cap);
  if(wait < 0) {
    /* Retrying before the server allows it only spends the budget of the
    ** window again: say so instead. */
    hs_err_set(err, HS_E_HTTP,
               "%s %s: HTTP %ld asks to wait %ld s (Retry-After), over the "
               "%ld s hrsync waits at most (limits.retry_wait_seconds)",
               method, req->url, status, (ra + 999) / 1000, cap / 1000);
    return -1;
  }
  if(status == 429)
    hs_pace_hold(h->pace, hs_pace_now_ms(), wait);
  if(status)
    hs_log_printf(h->log, HS_LOG_INFO, "http",
                  "%s %s: HTTP %ld, retry %d of %d in %ld ms", method,
                  req->url, status, attempt + 1, h->max_retries, wait);
  else
    hs_log_printf(h->log, HS_LOG_INFO, "http",
                  "%s %s: %s, retry %d of %d in %ld ms", method, req->url, why,
                  attempt + 1, h->max_retries, wait);
  return wait;
}

int hs_http__end(hs_http *h, const hrsync_http_request *req, CURLcode cc,
                 hs_http_attempt *a, int attempt, long *wait, hs_rc *rc,
                 hs_err *err)
{
  hs_http *root = h->parent ? h->parent : h;
  const char *method = req->method ? req->method : "GET";
  long status = 0, conns = 0;
  int last = attempt >= h->max_retries;

  root->stats.requests++;
  if(curl_easy_getinfo(h->easy, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
    root->stats.connections += (unsigned long)conns;
  *rc = HS_OK;
  if(cc == CURLE_OK) {
    curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
    if(finish_response(h, status)) {
      hs_pace_done(h->pace, &a->ticket, hs_pace_now_ms(), 0, NULL, 0);
      *rc = hs_err_set(err, HS_E_NOMEM, "http: out of memory");
      return 0;
    }
    hs_pace_done(h->pace, &a->ticket, hs_pace_now_ms(), (unsigned)status,
                 h->kv, h->nhdr);
    hs_log_printf(h->log, HS_LOG_INFO, "http",
                  "%s %s -> %ld (%ld ms, %zu "
                  "bytes)",
                  method, req->url, status, elapsed_ms(&a->t0),
                  h->stream_fn ? h->streamed : h->body.len);
    if(!retry_status(status) || last)
      return 0;
    if((*wait = plan_retry(h, req, method, status, attempt, NULL, err)) < 0) {
      *rc = HS_E_HTTP;
      return 0;
    }
  }
  else {
    char big[96];
    const char *why = h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc);
    hs_pace_done(h->pace, &a->ticket, hs_pace_now_ms(), 0, NULL, 0);
    if(h->body_too_big || cc == CURLE_FILESIZE_EXCEEDED) {
      snprintf(big, sizeof(big),
               "response body over %zu bytes (limits.response_bytes)",
               h->max_body);
      why = big;
    }
    if(h->stream_stopped)
      why = "stopped by its reader";
    else if(h->stream_changed)
      why = "the answer asked again after a broken transfer did not begin "
            "as the first one";
    hs_log_printf(h->log, HS_LOG_INFO, "http",
                  "%s %s -> failed: %s "
                  "(%ld ms)",
                  method, req->url, why, elapsed_ms(&a->t0));
    /* A streamed body cannot be taken back: a retry resumes it. */
    if(!retry_curl(cc) || last || h->stream_stopped || h->stream_changed) {
      *rc = hs_err_set(err, HS_E_HTTP, "%s %s: %s (after %d attempt%s)",
                       method, req->url, why, attempt + 1, attempt ? "s" : "");
      return 0;
    }
    *wait = plan_retry(h, req, method, 0, attempt, why, err);
  }
  root->stats.retries++;
  return 1;
}

/* Sleeps until the pace lets a request start. */
static void pace_wait(hs_http *h)
{
  long ms;
  while((ms = hs_pace_wait_ms(h->pace, hs_pace_now_ms())) > 0)
    sleep_ms(ms);
}

hs_rc hs_http_perform(hs_http *h, const hrsync_http_request *req,
                      const hrsync_http_response **out, hs_err *err)
{
  struct curl_slist *headers = NULL;
  hs_rc rc;
  int attempt;

  *out = NULL;
  if((rc = hs_http__headers(h, req, &headers, err)))
    return rc;
  for(attempt = 0;; attempt++) {
    hs_http_attempt a;
    CURLcode cc;
    long wait = 0;
    pace_wait(h);
    hs_http__begin(h, req, headers, &a);
    cc = curl_easy_perform(h->easy);
    if(!hs_http__end(h, req, cc, &a, attempt, &wait, &rc, err))
      break;
    sleep_ms(wait);
  }
  if(!rc)
    *out = &h->resp;
  /* The handle still points at the list; drop it before freeing. */
  curl_easy_setopt(h->easy, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all(headers);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Streaming (SDK 1.4 http_stream)                                      */

/* What an error answer of a stream keeps for the plugin to quote. */
#define STREAM_ERROR_BODY (64UL * 1024)

static void sum_mix(stream_sum *s, uint64_t w)
{
  s->h = (s->h ^ w) * 0x9E3779B97F4A7C15ULL;
  s->h ^= s->h >> 29;
}

static void sum_add(stream_sum *s, const char *d, size_t len)
{
  uint64_t w;
  s->n += len;
  while(len && s->nc) {
    s->carry[s->nc++] = (unsigned char)*d++;
    len--;
    if(s->nc == 8) {
      memcpy(&w, s->carry, 8);
      sum_mix(s, w);
      s->nc = 0;
    }
  }
  for(; len >= 8; d += 8, len -= 8) {
    memcpy(&w, d, 8);
    sum_mix(s, w);
  }
  while(len--)
    s->carry[s->nc++] = (unsigned char)*d++;
}

static int sum_equal(const stream_sum *a, const stream_sum *b)
{
  return a->n == b->n && a->h == b->h && a->nc == b->nc &&
         !memcmp(a->carry, b->carry, a->nc);
}

/* Every attempt starts receiving the body afresh. */
static void stream_attempt(hs_http *h)
{
  h->received = 0;
  h->stream_stopped = 0;
  h->stream_changed = 0;
  memset(&h->sum_again, 0, sizeof(h->sum_again));
}

/* A 2xx body goes to the reader as it arrives. After a broken transfer
** the answer asked again must begin with the bytes already handed over
** (same digest): they are skipped and only the rest goes on. Any other
** body is held, its first 64 KiB (enough for any error document). */
static size_t on_stream_body(hs_http *h, const char *data, size_t len)
{
  long status = 0;
  size_t keep, again;
  curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
  if(status >= 200 && status < 300) {
    again = h->received < h->streamed ? h->streamed - h->received : 0;
    if(again > len)
      again = len;
    h->received += len;
    if(again) {
      sum_add(&h->sum_again, data, again);
      if(h->received >= h->streamed &&
         !sum_equal(&h->sum_again, &h->sum_sent)) {
        h->stream_changed = 1;
        return 0;
      }
    }
    if(len > again) {
      if(h->stream_fn(h->stream_arg, data + again, len - again)) {
        h->stream_stopped = 1;
        return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
      }
      sum_add(&h->sum_sent, data + again, len - again);
      h->streamed += len - again;
    }
    return len;
  }
  keep = h->body.len < STREAM_ERROR_BODY ? STREAM_ERROR_BODY - h->body.len : 0;
  if(keep > len)
    keep = len;
  return keep && hs_buf_append(&h->body, data, keep) ? 0 : len;
}

/* A streamed body is the reader's memory, so the response cap does not
** apply; and its length is the reader's pace (a big roster parsed and
** planned as it arrives), so instead of a total timeout a transfer fails
** when it stalls: under a byte a second for the per-attempt timeout. */
static void setup_stream(hs_http *h)
{
  CURL *c = h->easy;
  long secs = h->total_timeout_ms / 1000;
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 0L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, secs > 0 ? secs : 1L);
}

hs_rc hs_http_stream(hs_http *h, const hrsync_http_request *req,
                     hs_http_chunk_fn fn, void *arg,
                     const hrsync_http_response **out, hs_err *err)
{
  const char *m = req && req->method ? req->method : "GET";
  hs_rc rc;
  *out = NULL;
  if(!fn)
    return hs_err_set(err, HS_E_HTTP, "http: stream without a chunk reader");
  h->stream_fn = fn;
  h->stream_arg = arg;
  h->streamed = 0;
  memset(&h->sum_sent, 0, sizeof(h->sum_sent));
  rc = hs_http_perform(h, req, out, err);
  h->stream_fn = NULL;
  h->stream_arg = NULL;
  if(h->stream_stopped) {
    *out = NULL;
    return hs_err_set(err, HS_E_RUNTIME,
                      "%s %s: stopped by its reader after %zu bytes", m,
                      req->url, h->streamed);
  }
  if(rc != HS_OK)
    return rc;
  if((*out)->status >= 200 && (*out)->status < 300) {
    if(h->received >= h->streamed) {
      h->resp.body_len = h->streamed; /* body stays "" */
      return HS_OK;
    }
    rc = hs_err_set(err, HS_E_HTTP,
                    "%s %s: the answer asked again after a broken transfer "
                    "is shorter than the %zu bytes already read",
                    m, req->url, h->streamed);
  }
  else if(h->streamed)
    rc = hs_err_set(err, HS_E_HTTP,
                    "%s %s: HTTP %u when asked again after a broken transfer",
                    m, req->url, (unsigned)(*out)->status);
  if(rc != HS_OK)
    *out = NULL;
  return rc;
}
