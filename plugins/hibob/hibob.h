/*
** HiBob connector, internal interface between its files (the streaming
** reader is plugins/common/hsp_jstream.c):
**   hibob.c   descriptor, settings, open/close/authenticate, requests
**   schema.c  field metadata (/v1/company/people/fields), named lists
**   locate.c  where a requested field sits in an employee
**   roster.c  POST /v1/people/search and turning employees into records
*/
#ifndef HIBOB_H
#define HIBOB_H

#include "hsp.h"
#include "hsp_jstream.h"
#include "hsp_stream.h"

/* HiBob's documented limit: 50 /people/search requests a minute. */
#define HB_RATE_REQUESTS 50u
#define HB_RATE_SECONDS  60u

/* How a field's value is turned into record text. */
typedef enum hb_kind {
  HB_PLAIN = 0, /* text, date, number...: the machine value as text */
  HB_LIST,      /* one list item id: resolved to its display name */
  HB_MULTI,     /* array of list item ids: display names, comma-joined */
  HB_REF        /* employee reference: its display name */
} hb_kind;

/* One field of the metadata. Strings owned by the connection. */
typedef struct hb_field {
  char *id;      /* "work.department": what search's "fields" wants */
  char *path;    /* jsonPath, where the value sits in an employee */
  char *label;   /* may be NULL */
  char *list_id; /* typeData.listId of list fields, or NULL */
  hb_kind kind;
  uint32_t type; /* hrsync_field_type */
} hb_field;

struct hrsync_conn {
  hsp_host hh;
  char base[512];
  char user[256];
  char token[1024];
  hb_field *fields; /* the metadata, loaded once */
  size_t n_fields;
  int have_schema;
  /* listId -> {item id -> display name}; NULL until first needed. */
  json_object *lists;
  int done; /* the one search was made */
  /* The search's answer is being streamed: no request may be made, so a
  ** named-list lookup sets need_lists instead (the employee waits). */
  int streaming;
  int need_lists;
};

/* One requested field, resolved once per search: its metadata, the
** "/category/field" keys of its id and its path, and where those names
** are in the search's name table. */
typedef struct hb_want {
  const char *id; /* as requested (borrowed from the search body) */
  hb_field f;     /* strings borrowed from the connection or id */
  char slash[2][256];
  const char *rest; /* the path after its first segment, or NULL */
  int whole;        /* the path is "": the object itself */
  uint32_t name[3]; /* hb_names index: first segment, slash[0], slash[1] */
} hb_want;

/* The names a requested field may sit under at an employee's top level
** (first path segments and slash keys), each once. An employee's members
** are matched against them in one pass, a hash probe each, instead of a
** search through the members for every name of every field. */
typedef struct hb_names {
  const char **s; /* borrowed from the wants */
  uint32_t *len;
  size_t n, cap;
  uint32_t *slot; /* open-addressed: name index + 1, 0 free; mask + 1 */
  size_t mask;
} hb_names;

#define HB_NO_NAME UINT32_MAX

/* Room for cap names: 0, or -1 out of memory. */
int hb_names_init(hb_names *nm, size_t cap);
void hb_names_free(hb_names *nm);

/* The index of name s (n bytes, borrowed for nm's life), added when new;
** HB_NO_NAME when nm is full. */
uint32_t hb_names_add(hb_names *nm, const char *s, size_t n);

/* at[k] = obj's member named name k, NULL when it has none (or obj is not
** an object); at has room for every name of nm. */
void hb_names_index(const hb_names *nm, const hsp_jv *obj, const hsp_jv **at);

/* Resolves requested field id (borrowed) into w, adding its three names
** to nm. */
void hb_want_init(hb_want *w, hb_names *nm, const hrsync_conn *c,
                  const char *id);

/* Finds field w in obj (an employee or its humanReadable mirror, whose
** members hb_names_index put in at), in either documented shape: at its
** path, else under a slash key. Returns 1 when present (*out NULL for a
** JSON null). */
int hb_find(const hsp_jv *obj, const hsp_jv *const *at, const hb_want *w,
            const hsp_jv **out);

/* A JSON null as NULL (what json-c gave, what the text rules expect). */
const hsp_jv *hb_nonnull(const hsp_jv *v);

/* Sends method path (appended to base_url) with an optional JSON body
** and checks the status (401/403 -> HRSYNC_E_AUTH). *resp is the host's,
** valid until the next request. */
hrsync_status hb_send(hrsync_conn *c, const char *method, const char *path,
                      const char *body, const hrsync_http_response **resp);

/* hb_send, but a 2xx body goes to chunk(arg) as it arrives (SDK 1.4
** http_stream, or the whole body on an older host), never held by the
** connector. The status is checked after the transfer. */
hrsync_status hb_send_stream(hrsync_conn *c, const char *method,
                             const char *path, const char *body,
                             hsp_chunk_fn chunk, void *arg);

/* hb_send, then parses the answer. The caller json_object_put()s *out. */
hrsync_status hb_call(hrsync_conn *c, const char *method, const char *path,
                      const char *body, json_object **out);

/* Loads the field metadata once (a no-op afterwards). */
hrsync_status hb_schema_load(hrsync_conn *c);

/* The metadata of field id, or NULL when HiBob did not describe it. */
const hb_field *hb_schema_find(const hrsync_conn *c, const char *id);

/* Frees the metadata and the named lists. */
void hb_schema_free(hrsync_conn *c);

/* list_fields callback. */
hrsync_status hb_list_fields(hrsync_conn *c);

/* The display name of item in list list_id, loading the named lists on
** first use. *name is NULL when the list or item is unknown; borrowed
** from the connection. While streaming, lists not yet loaded are not
** loaded: *name is NULL and c->need_lists is set. */
hrsync_status hb_list_item(hrsync_conn *c, const char *list_id,
                           const char *item, const char **name);

/* A one-field search proving the service user can read people:
** HRSYNC_E_AUTH naming the permission to grant when it finds nobody. */
hrsync_status hb_probe_roster(hrsync_conn *c);

/* next_page callback: one search, every employee. Nobody is a valid
** answer here: authenticate's probe already refused a service user who
** can see no one (check and sync both authenticate first). */
hrsync_status hb_next_page(hrsync_conn *c, int *has_more);

#endif
