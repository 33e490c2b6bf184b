/*
** hs_http: the HTTP transport plugins use through host->http.
**
** One libcurl easy handle per hs_http, reused so connections stay alive
** across pages. TLS verification is always on. Retries 429, 502, 503,
** 504 and connection failures with exponential backoff, honouring
** Retry-After (seconds or HTTP date), capped by max_retry_wait_ms.
** Authorization headers, Basic credentials and known secrets never reach
** a log line.
*/
#ifndef HS_HTTP_H
#define HS_HTTP_H

#include "err.h"
#include "log.h"

#include <hrsync/connector.h>

typedef struct hs_http hs_http;

typedef struct hs_http_opts {
  long connect_timeout_ms; /* 0 = 10 s */
  long total_timeout_ms;   /* per attempt; 0 = 120 s */
  int max_retries;         /* after the first attempt; <0 = 5 */
  long max_retry_wait_ms;  /* cap on one wait; 0 = 60 s */
  const char *user_agent;  /* NULL = "hrsync/<version>" */
  size_t max_body_bytes;   /* a larger body fails; 0 = 256 MiB */
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

/* Counters for tests and benchmarks. */
typedef struct hs_http_stats {
  unsigned long requests; /* attempts sent, retries included */
  unsigned long retries;
  unsigned long connections; /* new TCP connections opened */
} hs_http_stats;
void hs_http_get_stats(const hs_http *http, hs_http_stats *out);

#endif
