/*
** A big JSON answer read one array element at a time (hsp_jstream.c),
** into hsp_jv values (hsp_jv.h).
**
** A push parser: the answer is fed in chunks of any size, split anywhere
** (the SDK 1.4 http_stream hands them over as they arrive), and each
** element of the named top-level array is handed over when its last byte
** has come. Memory is one element plus yajl's own buffer, never the
** answer. Other top-level members are handed over whole (keep them
** small).
*/
#ifndef HSP_JSTREAM_H
#define HSP_JSTREAM_H

#include "hsp_jv.h"

/* One element, or one other member, at most this big by default (in the
** bytes its values take): far past any employee, small enough that a
** hostile answer cannot make one element eat the machine. */
#define HSP_JSTREAM_MAX_ELEM (16UL * 1024 * 1024)

/* Called for each element of the streamed array; elem lives until the
** call returns. */
typedef hrsync_status (*hsp_jelem_fn)(void *arg, const hsp_jv *elem,
                                      size_t idx);

/* Called for each other top-level member; value lives until the call
** returns. */
typedef hrsync_status (*hsp_jmember_fn)(void *arg, const char *key,
                                        const hsp_jv *value);

typedef struct hsp_jstream hsp_jstream;

/* A parser of one answer, a JSON object, calling fn for each element of
** its array member key and other (may be NULL) for every other member, in
** the order they come. what names the answer in errors ("POST
** /v1/people/search"). The strings are borrowed for the parser's life.
** HRSYNC_E_NOMEM or OK; free *out with hsp_jstream_free. */
hrsync_status hsp_jstream_new(const hsp_host *hh, const char *what,
                              const char *key, hsp_jelem_fn fn,
                              hsp_jmember_fn other, void *arg,
                              hsp_jstream **out);

/* Changes the largest element (or member) accepted; 0 = the default. */
void hsp_jstream_set_max(hsp_jstream *s, size_t bytes);

/* Feeds the next len bytes of the answer, calling fn / other for what
** they complete. HRSYNC_E_PARSE "<what>: malformed JSON: <why> at byte N"
** when the bytes cannot be JSON, "<what>: <key>[i] is over N bytes" past
** the limit. A non-OK status from fn or other stops the parser; every
** later call returns the first non-OK status again. */
hrsync_status hsp_jstream_feed(hsp_jstream *s, const char *data, size_t len);

/* The answer is complete: HRSYNC_E_PARSE "malformed JSON: empty body" or
** "...: unexpected end of data" when it stopped early, "<what>: "<key>"
** is missing or not an array" when it had another shape. */
hrsync_status hsp_jstream_end(hsp_jstream *s);

/* Elements handed to fn so far. */
size_t hsp_jstream_count(const hsp_jstream *s);

void hsp_jstream_free(hsp_jstream *s);

/* An hsp_chunk_fn (hsp_stream.h) feeding the hsp_jstream arg. */
hrsync_status hsp_jstream_chunk(void *stream, const char *data, size_t len);

/* The whole answer at once (body, len bytes): new, one feed, end, free. */
hrsync_status hsp_jstream_array(const hsp_host *hh, const char *what,
                                const char *body, size_t len, const char *key,
                                hsp_jelem_fn fn, hsp_jmember_fn other,
                                void *arg);

#endif
