/*
** A big JSON answer read one array element at a time (hsp_stream.c).
**
** A push parser: the answer is fed in chunks of any size, split anywhere
** (the SDK 1.4 http_stream hands them over as they arrive), and each
** element of the named top-level array is parsed alone with json-c when
** its last byte arrives. Memory is one element (its text and its tree)
** plus the chunk, never the answer. Other top-level members are parsed
** whole and handed over too (keep them small).
*/
#ifndef HSP_STREAM_H
#define HSP_STREAM_H

#include "hsp.h"

/* One element, or one other member, at most this big by default: far
** past any employee, small enough that a hostile answer cannot make one
** element eat the machine. */
#define HSP_STREAM_MAX_ELEM (16UL * 1024 * 1024)

/* Called for each element of the streamed array; elem is freed after. */
typedef hrsync_status (*hsp_elem_fn)(void *arg, json_object *elem, size_t idx);

/* Called for each other top-level member (parsed whole: keep them small);
** value is freed after, may be NULL (a JSON null). */
typedef hrsync_status (*hsp_member_fn)(void *arg, const char *key,
                                       json_object *value);

typedef struct hsp_stream hsp_stream;

/* A parser of one answer, a JSON object, calling fn for each element of
** its array member key, parsed one at a time, and other (may be NULL) for
** every other member, in the order they come. what names the answer in
** errors ("POST /v1/people/search"). The strings are borrowed for the
** parser's life. HRSYNC_E_NOMEM or OK; free *out with hsp_stream_free. */
hrsync_status hsp_stream_new(const hsp_host *hh, const char *what,
                             const char *key, hsp_elem_fn fn,
                             hsp_member_fn other, void *arg, hsp_stream **out);

/* Changes the largest element (or member) accepted; 0 = the default. */
void hsp_stream_set_max(hsp_stream *s, size_t bytes);

/* Feeds the next len bytes of the answer. Calls fn / other for what they
** complete. HRSYNC_E_PARSE "<what>: malformed JSON: <why> at byte N" when
** the bytes cannot be JSON, "<what>: <key>[i] is over N bytes" past the
** limit. A non-OK status from fn or other stops the parser; every later
** call returns the first non-OK status again. */
hrsync_status hsp_stream_feed(hsp_stream *s, const char *data, size_t len);

/* The answer is complete: HRSYNC_E_PARSE "malformed JSON: unexpected end
** of data" when it stopped early, "<what>: "<key>" is missing or not an
** array" when it had another shape. */
hrsync_status hsp_stream_end(hsp_stream *s);

/* Elements handed to fn so far. */
size_t hsp_stream_count(const hsp_stream *s);

void hsp_stream_free(hsp_stream *s);

/* A reader of a streamed body (host->http_stream's chunk function). */
typedef hrsync_status (*hsp_chunk_fn)(void *arg, const char *data, size_t len);

/* An hsp_chunk_fn feeding the hsp_stream arg. */
hrsync_status hsp_stream_chunk(void *stream, const char *data, size_t len);

/* Performs req, its 2xx body handed to chunk(arg) as it arrives: through
** host->http_stream when the host has it (SDK 1.4; the body is never held
** whole), else through host->http and one call with the whole body. No
** host service but record_*, log, set_error and the like may be called
** from chunk: no request. *resp is the answer for the caller's status
** checks (body "" when streamed; a non-2xx body is never passed to
** chunk), valid until the next request. Returns chunk's first non-OK
** status, or the host's. */
hrsync_status hsp_send_streamed(const hsp_host *hh,
                                const hrsync_http_request *req,
                                hsp_chunk_fn chunk, void *arg,
                                const hrsync_http_response **resp);

/* The whole answer at once (body, len bytes), for callers that hold it:
** new, one feed, end, free. */
hrsync_status hsp_stream_array(const hsp_host *hh, const char *what,
                               const char *body, size_t len, const char *key,
                               hsp_elem_fn fn, hsp_member_fn other, void *arg);

#endif
