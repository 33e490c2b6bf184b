/*
** hs_http: the HTTP transport plugins use through host->http.
**
** One libcurl easy handle per hs_http, reused so connections stay alive
** across pages. TLS verification is always on. Retries 429, 502, 503,
** 504 and connection failures with exponential backoff, honouring
** Retry-After (seconds or HTTP date) up to max_retry_after_ms (a longer
** one fails the request at once: retrying earlier only gets refused
** again); other waits are capped by max_retry_wait_ms. Requests are paced
** (pace.h) by the connector's declared limit and the answers' rate-limit
** headers. hs_http_many runs a batch on a curl multi (http_multi.c).
** Authorization headers, Basic credentials and known secrets never reach
** a log line.
*/
#ifndef HS_HTTP_H
#define HS_HTTP_H

#include "err.h"
#include "log.h"

#include <hrsync/connector.h>

typedef struct hs_http hs_http;

/* Requests of one http_many batch in flight at once, by default. */
#define HS_HTTP_CONCURRENCY 4

typedef struct hs_http_opts {
  long connect_timeout_ms; /* 0 = 10 s */
  long total_timeout_ms;   /* per attempt; 0 = 120 s */
  int max_retries;         /* after the first attempt; <0 = 5 */
  long max_retry_wait_ms;  /* cap on one wait; 0 = 60 s */
  const char *user_agent;  /* NULL = "hrsync/<version>" */
  size_t max_body_bytes;   /* a larger body fails; 0 = 256 MiB */
  /* The longest Retry-After honoured; 0 = 120 s. Never below the
  ** declared window (+1 s), never over 3600 s. */
  long max_retry_after_ms;
  int concurrency; /* http_many's requests in flight; 0 = 4; 1 = one by one */
  /* 0: pace by the connector's declared limit; N > 0: N per minute
  ** instead; < 0: no declared pacing (headers and 429s still count). */
  long rate_per_minute;
} hs_http_opts;

/* opts may be NULL for defaults. log may be NULL. */
hs_rc hs_http_new(const hs_http_opts *opts, hs_log *log, hs_http **out,
                  hs_err *err);
void hs_http_free(hs_http *http);

/* Performs req (with retries) and points *out at the final response,
** owned by http and valid until the next call. HS_OK whenever a response
** arrived, whatever its status; HS_E_HTTP (detail in err) when none did. */
hs_rc hs_http_perform(hs_http *http, const hrsync_http_request *req,
                      const hrsync_http_response **out, hs_err *err);

/* Reader of a streamed body: 0 to go on, non-zero to stop the transfer. */
typedef int (*hs_http_chunk_fn)(void *arg, const char *data, size_t len);

/* hs_http_perform for a body too big to hold (SDK 1.4 http_stream): a
** 2xx body goes to fn chunk by chunk as it arrives, never held, so
** max_body_bytes does not apply; *out then has the status and headers,
** body "" and body_len the bytes streamed. Retries happen before the
** first chunk only; a transfer broken after it is HS_E_HTTP. A non-2xx
** body is held (its first 64 KiB) as hs_http_perform holds it. Instead
** of the total timeout, a stream fails when it stalls (under a byte a
** second for total_timeout_ms). HS_E_RUNTIME when fn stopped it. */
hs_rc hs_http_stream(hs_http *http, const hrsync_http_request *req,
                     hs_http_chunk_fn fn, void *arg,
                     const hrsync_http_response **out, hs_err *err);

/* n independent requests, up to the concurrency at once, each retried
** as hs_http_perform retries; out[i] is reqs[i]'s final response, all
** valid until the next call on http. HS_E_HTTP when one got no response
** (err names it: "request 3 of 8: GET ...: ..."); the others are
** dropped. */
hs_rc hs_http_many(hs_http *http, const hrsync_http_request *const *reqs,
                   size_t n, const hrsync_http_response **out, hs_err *err);

/* http_many over a stand-in transport (the kit's replay, tests): the
** requests one by one through http (a host table's http service, with
** ctx), each answer copied into copies, since a stand-in's answer lives
** only until the next request. out[i] points into copies, valid until
** the next call or hs_http_copies_free. */
typedef struct hs_http_copies {
  hrsync_http_response *r;
  size_t n;
} hs_http_copies;

hrsync_status hs_http_one_by_one(
    hs_http_copies *copies,
    hrsync_status (*http)(hrsync_host_ctx *ctx, const hrsync_http_request *req,
                          const hrsync_http_response **out),
    hrsync_host_ctx *ctx, const hrsync_http_request *const *reqs, size_t n,
    const hrsync_http_response **out);
void hs_http_copies_free(hs_http_copies *copies);

/* The connector's documented limit (host->rate_limit); requests 0 = none.
** hs_http_opts.rate_per_minute overrides it. */
void hs_http_rate_limit(hs_http *http, uint32_t requests, uint32_t seconds);

/* The longest Retry-After honoured now (the option raised to the declared
** window). */
long hs_http_retry_after_cap_ms(const hs_http *http);

/* The wait before the next attempt: Retry-After (retry_after ms, -1 when
** absent) if within retry_after_cap, -1 (give up) if over it; else the
** exponential backoff capped by backoff_cap (at least 1 s for a 429). */
long hs_http_retry_wait_ms(long status, int attempt, long retry_after,
                           long backoff_cap, long retry_after_cap);

/* Counters for tests and benchmarks. */
typedef struct hs_http_stats {
  unsigned long requests; /* attempts sent, retries included */
  unsigned long retries;
  unsigned long connections; /* new TCP connections opened */
} hs_http_stats;
void hs_http_get_stats(const hs_http *http, hs_http_stats *out);

#endif
