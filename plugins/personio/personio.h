/*
** Personio connector internals, shared by its four files:
**   personio.c  descriptor, settings, the token, the request helper
**   fields.c    the field schema, and the attribute tables roster.c uses
**   roster.c    GET /v1/company/employees, paged, flattened to records
**   v2.c        API v2: /v2/persons (cursor) + /v2/persons/{id}/employments
** Every roster page is parsed flat (hsp_jv.h), not into a json-c tree.
*/
#ifndef HRSYNC_PERSONIO_H
#define HRSYNC_PERSONIO_H

#include "hsp.h"
#include "hsp_idset.h"
#include "hsp_jv.h"
#include "hsp_many.h"

/* Employees per page: Personio refuses more since 2025-01-31. */
#define PSN_PAGE_LIMIT 100
/* Documented for GET /company/employees since 2024-05-06: 300 requests
** a minute (with a burst cap of 15 a second), declared to the host so it
** paces (SDK 1.4 rate_limit). */
#define PSN_RATE_REQUESTS 300u
#define PSN_RATE_SECONDS  60u

struct hrsync_conn {
  hsp_host hh;
  char base[1024];         /* base_url without trailing '/' */
  char client_id[256];     /* secret */
  char client_secret[512]; /* secret */
  char *bearer;            /* "Bearer <token>", malloc'd; NULL = none yet */
  char *query;             /* "&attributes[]=..." projection, malloc'd */
  long offset;             /* item offset of the next page */
  long total;              /* metadata.total_elements first seen; -1 */
  int total_warned;        /* the count-changed warning was given */
  int done;                /* the list has been read to its end */
  hsp_idset seen;          /* hris ids emitted so far (a compact set:
                              a json-c object took 16 MB at 100,000) */
  int v2;                  /* settings.api = "v2" */
  char *next_url;          /* v2: the next persons page, malloc'd */
  int v2_started;          /* v2: the first page was asked for */
  int total_said;          /* roster_total reported */
  json_object *units;      /* v2: {"department": {"<id>": name}, ...} */
  /* Pages, parsed flat (hsp_jv): docs[i] holds ahead[i], a v1 page read
  ** ahead once the total is known (SDK 1.4 http_many); docs[0] also the
  ** page fetched alone (v2: the persons page, docs[1] an employments
  ** answer). Reused page after page, freed at close. */
  hsp_jdoc *docs[HSP_MANY_BATCH];
  const hsp_jv *ahead[HSP_MANY_BATCH];
  size_t n_ahead, next_ahead;
  struct printbuf *pb, *tpb; /* a list's text; a nested value's text */
  long step;       /* the page size the server used (step of the offset) */
  int no_many;     /* tokens rotate per answer: one request at a time */
  hsp_wanted want; /* the fields a record is built from */
};

/* GETs path (appended to base_url) with the bearer token, obtaining one
** first when there is none. On 401 it authenticates once more and retries
** once. Adopts a token the response rotates in an Authorization header.
** Checks the status and Personio's {"success": false, "error": ...}
** envelope (what names the request in errors) and parses the body; the
** caller json_object_put()s *out. */
hrsync_status psn_get(hrsync_conn *c, const char *path, const char *what,
                      json_object **out);

/* The page documents and text buffers, made once. HRSYNC_E_NOMEM. */
hrsync_status psn_docs_ready(hrsync_conn *c);

/* psn_get for an absolute url, the body parsed flat into doc; *root
** lives in doc until it is reused. */
hrsync_status psn_get_jv(hrsync_conn *c, const char *url, const char *what,
                         hsp_jdoc *doc, const hsp_jv **root);

/* psn_get_jv for n absolute urls in one http_many batch (whats[i] names
** urls[i] in errors); roots[i] are the parsed answers, in docs[i], all
** NULL on error. After a 401 (one new token) or a rotated token, the rest
** are fetched one by one (psn_get_jv); a rotated token also sets
** c->no_many, as one-time tokens allow one request at a time. */
hrsync_status psn_get_many(hrsync_conn *c, const char *const *urls,
                           const char *const *whats, size_t n,
                           hsp_jdoc *const *docs, const hsp_jv **roots);

/* psn_get with an absolute URL (a v2 next link). */
hrsync_status psn_get_url(hrsync_conn *c, const char *url, const char *what,
                          json_object **out);

/* API v2 list_fields and next_page (v2.c). */
hrsync_status psn_v2_list_fields(hrsync_conn *c);
hrsync_status psn_v2_next_page(hrsync_conn *c, int *has_more);
/* v2: the org-unit names the config uses, once (v2.c). */
hrsync_status psn_v2_units_load(hrsync_conn *c);

/* POST /v1/auth (v2: /v2/auth/token): a fresh token into c->bearer
** (marked secret). */
hrsync_status psn_auth(hrsync_conn *c);

/* host->field for the credential's attributes, the standard ones and the
** flattened nested ids. */
hrsync_status psn_list_fields(hrsync_conn *c);

/* One page of employees. */
hrsync_status psn_next_page(hrsync_conn *c, int *has_more);

/* The sub-fields a relation attribute is flattened to ("department" ->
** id, name; "supervisor" -> id, first_name, ...), NULL-terminated; NULL
** when key is not a known relation. */
const char *const *psn_relation_subfields(const char *key);

#endif
