/*
** JSON values without a tree of allocations (hsp_jv.c, hsp_jstream.c).
**
** json-c builds a malloc'd object per value, a hash table per object and
** a copy of every key, then frees them all: on a roster page that is most
** of a connector's time. Here yajl (Debian's libyajl) reads the bytes and
** the values land in one flat, reused buffer: a node per value, in
** document order, each container followed by its children, every string
** NUL-terminated in one text block. A page or an employee costs no
** allocation once the buffers have grown to its size.
**
** Read like json-c's values: an object's member is the last one of that
** name (json-c keeps the last too); a string holding "\u0000" has each NUL
** as the bytes C0 80 (see hsp_json_mark_nul); numbers keep their text.
** Nodes are read-only and live until their document is reused or freed.
*/
#ifndef HSP_JV_H
#define HSP_JV_H

#include "hsp.h"

#include <stdint.h>

typedef enum hsp_jv_type {
  HSP_JV_NULL,
  HSP_JV_BOOL,
  HSP_JV_INT,
  HSP_JV_DOUBLE,
  HSP_JV_STRING,
  HSP_JV_ARRAY,
  HSP_JV_OBJECT
} hsp_jv_type;

/* A value. Read it through the functions below. */
typedef struct hsp_jv {
  const char *key;  /* the member's name (an object's child), else NULL */
  const char *text; /* string: its text; number: as sent; bool: "true" */
  uint32_t key_len;
  uint32_t len;     /* text bytes; array: elements; object: distinct members */
  uint32_t size;    /* nodes in this value, itself included */
  uint32_t hash;    /* of key */
  uint8_t type;     /* hsp_jv_type */
  uint8_t shadowed; /* a later member of the same object has this name */
} hsp_jv;

/* The type; HSP_JV_NULL for v NULL too. */
hsp_jv_type hsp_jv_kind(const hsp_jv *v);

/* obj's member key (the last of that name), or NULL: absent, or obj not an
** object. */
const hsp_jv *hsp_jv_get(const hsp_jv *obj, const char *key);

/* The member at a dotted path ("work.department"), or NULL. */
const hsp_jv *hsp_jv_path(const hsp_jv *root, const char *path);

/* A string's text, or NULL when v is not a string. */
const char *hsp_jv_string(const hsp_jv *v);

/* obj's member key as a string, or NULL when absent or not a string. */
const char *hsp_jv_str(const hsp_jv *obj, const char *key);

/* An array's elements or an object's members, one by one: for(c =
** hsp_jv_first(v); c; c = hsp_jv_next(v, c)). A repeated name comes once,
** where it last came (json-c lists it where it first came).
** NULL for a value that is not an array or object. */
const hsp_jv *hsp_jv_first(const hsp_jv *v);
const hsp_jv *hsp_jv_next(const hsp_jv *parent, const hsp_jv *child);

/* An array's element i, or NULL. Walks: iterate rather than index. */
const hsp_jv *hsp_jv_at(const hsp_jv *arr, size_t i);

/* Elements of an array, distinct members of an object, else 0. */
size_t hsp_jv_count(const hsp_jv *v);

/* As json-c's json_object_get_int64, _get_double and _get_boolean: a
** number's value (saturated), a numeric string's, 0 / false else. */
int64_t hsp_jv_int(const hsp_jv *v);
double hsp_jv_double(const hsp_jv *v);
int hsp_jv_bool(const hsp_jv *v);

/* As hsp_json_text: strings as they are, integers as int64 text, other
** numbers as "%.15g", booleans "true" / "false", null NULL, arrays and
** objects as compact JSON (json-c's JSON_C_TO_STRING_PLAIN) written into
** pb. The result is borrowed from v, tmp or pb: valid until pb is reused.
** NULL also when pb cannot grow, or is NULL and v a container. */
const char *hsp_jv_text(const hsp_jv *v, char *tmp, size_t cap,
                        struct printbuf *pb);

/* host->record_set(field_id, text of v); pb as for hsp_jv_text. */
hrsync_status hsp_emit_jv(const hsp_host *hh, const char *field_id,
                          const hsp_jv *v, struct printbuf *pb);

/* v as a json-c value (a new reference; NULL for null or out of memory),
** for code that still wants one; not for every record. */
json_object *hsp_jv_json(const hsp_jv *v);

/* A parsed document: its nodes and text, reused from parse to parse. */
typedef struct hsp_jdoc hsp_jdoc;

hsp_jdoc *hsp_jdoc_new(void);
void hsp_jdoc_free(hsp_jdoc *d);

/* Parses body (len bytes) into d, dropping what d held. HRSYNC_E_PARSE
** "<what>: malformed JSON (N bytes): <why>" when it is not one JSON
** value, HRSYNC_E_NOMEM. *root lives until d is reused or freed. */
hrsync_status hsp_jdoc_parse(const hsp_host *hh, hsp_jdoc *d, const char *what,
                             const char *body, size_t len,
                             const hsp_jv **root);

/* hsp_call_json with the body read into d. */
hrsync_status hsp_call_jv(const hsp_host *hh, const hrsync_http_request *req,
                          const char *what, hsp_jdoc *d, const hsp_jv **root);

#endif
