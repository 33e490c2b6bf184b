/*
** Concurrent paging for connectors that know their total (SDK 1.4
** host->http_many): the pages after the first asked for in one batch,
** then handled one by one in order, exactly as if fetched one at a time.
*/
#ifndef HSP_MANY_H
#define HSP_MANY_H

#include "hsp_jv.h"

/* Pages asked for in one batch: the host's default concurrency (4), so
** a batch keeps it busy, and no more, because each page is held parsed
** until it is handed out (in a reused hsp_jdoc: a batch of documents
** as big as its pages, kept for the connection's life). */
#define HSP_MANY_BATCH 4

/* Whether the host offers http_many. */
int hsp_many_ok(const hsp_host *hh);

/* GETs n absolute urls (n <= HSP_MANY_BATCH) with the same headers in one
** http_many call; out[i] is urls[i]'s answer, valid until the next http*()
** call. The host's error names the failed request. */
hrsync_status hsp_many_get(const hsp_host *hh, const char *const *urls,
                           size_t n, const hrsync_kv *headers,
                           size_t n_headers, const hrsync_http_response **out);

/* hsp_many_get with "Accept: application/json" and Authorization auth,
** then each answer's status checked and its body parsed into docs[i]
** (whats[i] names request i in errors), in order: roots[i]. On error
** every roots[i] is NULL. */
hrsync_status hsp_many_get_jv(const hsp_host *hh, const char *const *urls,
                              size_t n, const char *auth,
                              const char *const *whats, hsp_jdoc *const *docs,
                              const hsp_jv **roots);

/* Makes each of the batch's documents docs[0..HSP_MANY_BATCH) not made
** yet. HRSYNC_E_NOMEM. */
hrsync_status hsp_many_docs(hsp_jdoc **docs);

#endif
