/*
** The document builder behind hsp_jv.h (hsp_jdoc.c), shared by whole
** bodies (hsp_jdoc_parse) and hsp_jstream.c (one element at a time). Not
** for connectors.
**
** Values arrive as yajl reports them: hsp_jdoc__key before a member's
** value, hsp_jdoc__scalar for a leaf, __open / __close around a container.
** While it is built a node holds offsets into the text block, which may
** move as it grows; hsp_jdoc__finish turns them into pointers.
*/
#ifndef HSP_JV_INT_H
#define HSP_JV_INT_H

#include "hsp_jv.h"

/* Builder results: 0 ok, else why it stopped. */
enum { HSP_JB_OK, HSP_JB_NOMEM, HSP_JB_BIG, HSP_JB_DEEP };

/* Values nested deeper than this are refused, as json-c's tokener refused
** them (JSON_TOKENER_DEFAULT_DEPTH, "nesting too deep"): a value's depth
** is the containers around it plus one. It also bounds the recursion of
** hsp_jv_text and hsp_jv_json on a hostile answer. */
#define HSP_JV_MAX_DEPTH 32

void hsp_jdoc__reset(hsp_jdoc *d, size_t limit);
int hsp_jdoc__key(hsp_jdoc *d, const char *s, size_t len);
int hsp_jdoc__scalar(hsp_jdoc *d, hsp_jv_type type, const char *s, size_t len);
int hsp_jdoc__open(hsp_jdoc *d, hsp_jv_type type);
int hsp_jdoc__close(hsp_jdoc *d);

/* Containers still open. */
size_t hsp_jdoc__depth(const hsp_jdoc *d);

/* The value is complete: its root. */
const hsp_jv *hsp_jdoc__finish(hsp_jdoc *d);

/* A number's type from its text: a fraction or exponent makes a double. */
hsp_jv_type hsp_jv__number_type(const char *s, size_t n);

/* A member name's hash (builder and lookups agree on it). */
uint32_t hsp_jv__hash(const char *s, size_t n);

/* yajl's error as one short line (no "parse error: ", no newline). */
void hsp_jdoc__yajl_error(void *yajl, char *dst, size_t cap);

#endif
