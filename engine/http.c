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
  h->user_agent = strdup(ua ? ua : "hrsync/" HRSYNC_VERSION);
  h->easy = curl_easy_init();
  if(!h->user_agent || !h->easy) {
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
  if(h->easy)
    curl_easy_cleanup(h->easy);
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

static long backoff_ms(const hs_http *h, int attempt, long retry_after)
{
  long ms = retry_after;
  if(ms < 0) {
    ms = BACKOFF_FIRST_MS;
    while(attempt-- > 0 && ms < h->max_retry_wait_ms)
      ms *= 2;
  }
  return ms > h->max_retry_wait_ms ? h->max_retry_wait_ms : ms;
}

static long elapsed_ms(const struct timespec *t0)
{
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
         (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

hs_rc hs_http_perform(hs_http *h, const hrsync_http_request *req,
                      const hrsync_http_response **out, hs_err *err)
{
  struct curl_slist *headers = NULL;
  const char *method;
  hs_rc rc = HS_OK;
  int attempt;

  *out = NULL;
  /* A plugin built against an older 1.x sends a smaller request: accept
  ** it, and read members added after 1.0 only within its struct_size. */
  if(!req || req->struct_size < HRSYNC_HTTP_REQUEST_V1_0_SIZE || !req->url)
    return hs_err_set(err, HS_E_HTTP,
                      "http: malformed request (struct_size or url)");
  method = req->method ? req->method : "GET";
  /* Credentials the plugin hands over never reach a log line. */
  if(req->basic_password)
    hs_log_add_secret(h->log, req->basic_password);
  for(attempt = 0; (size_t)attempt < req->n_headers; attempt++) {
    const hrsync_kv *kv = &req->headers[attempt];
    const char *sp;
    if(!kv->name || !kv->value || strlen(kv->name) != 13 ||
       !ieq_prefix(kv->name, 13, "Authorization"))
      continue;
    hs_log_add_secret(h->log, kv->value);
    sp = strchr(kv->value, ' '); /* the credentials after the scheme */
    if(sp)
      hs_log_add_secret(h->log, sp + 1);
  }
  if(build_headers(req, &headers)) {
    curl_slist_free_all(headers);
    return hs_err_set(err, HS_E_NOMEM, "http: out of memory");
  }
  for(attempt = 0;; attempt++) {
    struct timespec t0;
    CURLcode cc;
    long status = 0, conns = 0, wait;
    int last = attempt >= h->max_retries;

    hs_buf_reset(&h->body);
    hs_buf_reset(&h->hdr);
    h->nhdr = 0;
    h->body_too_big = 0;
    stream_attempt(h);
    h->errbuf[0] = 0;
    setup(h, req, headers);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cc = curl_easy_perform(h->easy);
    h->stats.requests++;
    if(curl_easy_getinfo(h->easy, CURLINFO_NUM_CONNECTS, &conns) == CURLE_OK)
      h->stats.connections += (unsigned long)conns;
    if(cc == CURLE_OK) {
      curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
      if(finish_response(h, status)) {
        rc = hs_err_set(err, HS_E_NOMEM, "http: out of memory");
        break;
      }
      hs_log_printf(h->log, HS_LOG_INFO, "http",
                    "%s %s -> %ld (%ld ms, %zu "
                    "bytes)",
                    method, req->url, status, elapsed_ms(&t0),
                    h->stream_fn ? h->streamed : h->body.len);
      if(!retry_status(status) || last) {
        *out = &h->resp;
        break;
      }
      wait = backoff_ms(h, attempt, retry_after_ms(h));
      /* A 429 without Retry-After: Personio asks for at least 1 s, longer
      ** than the first backoff step (issue 11; within the retry cap). */
      if(status == 429 && wait < 1000 && retry_after_ms(h) < 0)
        wait = h->max_retry_wait_ms < 1000 ? h->max_retry_wait_ms : 1000;
      hs_log_printf(h->log, HS_LOG_INFO, "http",
                    "%s %s: HTTP %ld, retry %d of %d in %ld ms", method,
                    req->url, status, attempt + 1, h->max_retries, wait);
    }
    else {
      char big[96];
      const char *why = h->errbuf[0] ? h->errbuf : curl_easy_strerror(cc);
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
                    method, req->url, why, elapsed_ms(&t0));
      /* A streamed body cannot be taken back: a retry resumes it. */
      if(!retry_curl(cc) || last || h->stream_stopped || h->stream_changed) {
        rc =
            hs_err_set(err, HS_E_HTTP, "%s %s: %s (after %d attempt%s)",
                       method, req->url, why, attempt + 1, attempt ? "s" : "");
        break;
      }
      wait = backoff_ms(h, attempt, -1);
      hs_log_printf(h->log, HS_LOG_INFO, "http",
                    "%s %s: %s, retry %d of %d in %ld ms", method, req->url,
                    why, attempt + 1, h->max_retries, wait);
    }
    h->stats.retries++;
    sleep_ms(wait);
  }
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
