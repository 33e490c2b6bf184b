/*
** hs_fixture: the HTTP fixture folders of the conformance kit.
**
** A folder holds settings.json (the settings, secrets and wanted fields a
** replay uses) and one file per HTTP exchange, NNN-anything.http, read in
** name order:
**
**   # comment lines at the top
**   GET /v1/people?page=2          method, then path+query after base_url
**   Body: {"exact": "match"}       optional, one line: the request body
**   Body-Contains: text            optional: a substring of it
**                                  (blank line)
**   HTTP 200                       the response status
**   Content-Type: application/json response headers
**                                  (blank line)
**   {"people": []}                 the body, verbatim, to the end of file
**
** The format is documented for connector authors in
** docs/connector-guide.md.
*/
#ifndef HS_FIXTURE_H
#define HS_FIXTURE_H

#include "err.h"

#include <hrsync/connector.h>
#include <stddef.h>

/* base_url of a replay when settings.json sets none. */
#define HS_FIXTURE_BASE_URL "http://fixtures.invalid"

typedef struct hs_fixture_exchange {
  char *file;          /* its file name, for messages */
  char *method;        /* "GET" */
  char *path;          /* path and query after base_url */
  char *body_equals;   /* NULL: any request body */
  char *body_contains; /* NULL: any request body */
  unsigned status;
  hrsync_kv *headers; /* owned strings */
  size_t n_headers;
  char *body; /* NUL-terminated; may hold NULs before body_len */
  size_t body_len;
  int used;          /* served once already (replays serve each in turn) */
  int body_withheld; /* recorded: the request body was flagged
                        HRSYNC_HTTP_SENSITIVE_BODY, so not kept */
} hs_fixture_exchange;

typedef struct hs_fixture_set {
  char *dir;
  hrsync_kv *settings; /* owned; base_url always present */
  size_t n_settings;
  hrsync_kv *secrets; /* owned */
  size_t n_secrets;
  char **wanted; /* owned */
  size_t n_wanted;
  unsigned max_pages; /* 0 when settings.json sets none */
  hs_fixture_exchange *ex;
  size_t n_ex;
} hs_fixture_set;

/* Reads a fixture folder into *out (freed with hs_fixture_free, also on
** failure). Errors name the file and line: "fx/003.http:2: ...". */
hs_rc hs_fixture_load(const char *dir, hs_fixture_set *out, hs_err *err);
void hs_fixture_free(hs_fixture_set *fx);

/* A setting's value in fx, or NULL. */
const char *hs_fixture_kv(const hrsync_kv *kv, size_t n, const char *key);

/* The exchange answering a request, or NULL. Identical requests get the
** matching exchanges in file order, then the last one again, so a
** recorded 429 followed by a 200 replays as a retry. Marks it used. */
hs_fixture_exchange *hs_fixture_match(hs_fixture_set *fx, const char *method,
                                      const char *path, const char *body,
                                      size_t body_len);

/* Writes ex as the file dir/NNN-<method-and-path>.http (n is NNN). Only
** the request line, matchers, status, headers and body are used. */
hs_rc hs_fixture_write_exchange(const char *dir, unsigned n,
                                const hs_fixture_exchange *ex, hs_err *err);

/* Writes dir/settings.json from fx's settings, secrets and wanted. */
hs_rc hs_fixture_write_settings(const char *dir, const hs_fixture_set *fx,
                                hs_err *err);

#endif
