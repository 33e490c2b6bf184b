/*
** Concurrent paging for connectors that know their total (SDK 1.4
** host->http_many): the pages after the first asked for in one batch,
** then handled one by one in order, exactly as if fetched one at a time.
*/
#ifndef HSP_MANY_H
#define HSP_MANY_H

#include "hsp.h"

/* Pages asked for in one batch: the host's default concurrency (4), so
** a batch keeps it busy, and no more, because each page is held parsed
** until it is handed out: 8 held Humaans pages put its no-change sync of
** 100,000 at 73 MiB peak, 4 at 66 (Lucca 68 -> 61, Personio 56 -> 52). */
#define HSP_MANY_BATCH 4

/* Whether the host offers http_many. */
int hsp_many_ok(const hsp_host *hh);

/* GETs n absolute urls (n <= HSP_MANY_BATCH) with the same headers in one
** http_many call; out[i] is urls[i]'s answer, valid until the next http*()
** call. The host's error names the failed request. */
hrsync_status hsp_many_get(const hsp_host *hh, const char *const *urls,
                           size_t n, const hrsync_kv *headers,
                           size_t n_headers, const hrsync_http_response **out);

#endif
