/*
** A big JSON answer read one array element at a time (hsp_stream.c):
** memory is the body plus one element's tree, not the whole tree.
*/
#ifndef HSP_STREAM_H
#define HSP_STREAM_H

#include "hsp.h"

/* Called for each element of the streamed array; elem is freed after. */
typedef hrsync_status (*hsp_elem_fn)(void *arg, json_object *elem, size_t idx);

/* Called for each other top-level member (parsed whole: keep them small);
** value is freed after, may be NULL (a JSON null). */
typedef hrsync_status (*hsp_member_fn)(void *arg, const char *key,
                                       json_object *value);

/* Walks body (len bytes), a JSON object, calling fn for each element of
** its array member key, parsed one at a time, and other (may be NULL) for
** every other member, in the order they come. HRSYNC_E_PARSE "<what>:
** malformed JSON ..." when body is not JSON, "<what>: "<key>" is missing
** or not an array" when it has another shape. A non-OK status from fn or
** other stops the walk and is returned. */
hrsync_status hsp_stream_array(const hsp_host *hh, const char *what,
                               const char *body, size_t len, const char *key,
                               hsp_elem_fn fn, hsp_member_fn other, void *arg);

#endif
