/*
** BambooHR connector internals, shared by its four files:
**   bamboohr.c  descriptor, settings, credentials, the request helper
**   fields.c    the field schema (GET /v1/meta/fields + report-only names)
**   roster.c    the custom-report roster and what both rosters share
**   dataset.c   the employee dataset: its own field names, paged rows
*/
#ifndef HRSYNC_BAMBOOHR_H
#define HRSYNC_BAMBOOHR_H

#include "hsp.h"
#include "hsp_idset.h"
#include "hsp_jstream.h"
#include "hsp_stream.h"

/* The custom report accepts at most this many fields per request. */
#define BHR_MAX_FIELDS 400

/* Rows per dataset page: the documented maximum. On a 413 ("too much
** data") the page shrinks through sizes that each divide the one before,
** so the rows already read stay a whole number of pages. */
#define BHR_DATASET_PAGE_SIZE 1000

/* Skip reason for an employee without a hire date. */
#define BHR_NO_HIRE_DATE "no hire date in BambooHR"

typedef enum bhr_roster {
  BHR_ROSTER_CUSTOM_REPORT = 0, /* POST /v1/reports/custom, one response */
  BHR_ROSTER_DATASET = 1        /* POST /v2/datasets/employee/data, paged */
} bhr_roster;

struct hrsync_conn {
  hsp_host hh;
  char root[1024];   /* API root without /v1: ".../gateway.php/acme" */
  char api_key[512]; /* Basic user; the password is "x" */
  bhr_roster roster;
  long offset;       /* dataset: rows read so far, a multiple of page_size */
  long page_size;    /* dataset: rows per page; 0 = not started */
  unsigned status;   /* HTTP status of bhr_call's last answer; 0 = none */
  int done;          /* the roster has been read to its end */
  hsp_idset seen;    /* dataset: hris ids emitted so far */
  json_object *meta; /* authenticate's /v1/meta/fields, kept for
                        list_fields (which frees it); NULL otherwise */
  json_object *ds_names; /* dataset: {name: label} from the fields list */
  json_object *ds_plan;  /* dataset: [[wanted id, dataset name], ...] */
  json_object *withheld; /* fields declared withheld (a set), or NULL */
  int warned_empty_key;  /* an answer had a "" member: warned once */
  hsp_jdoc *doc;         /* bhr_call_jv's answers (dataset pages, changed
                            employees), reused; NULL until the first */
  struct printbuf *pb;   /* an object or array value's JSON text */
};

/* Sends method path (appended to the API root) with Accept:
** application/json, Basic <api_key>:x and, when body is not NULL,
** Content-Type: application/json. Checks the status: 401/403 give
** HRSYNC_E_AUTH with BambooHR's X-BambooHR-Error-Message; any non-2xx
** HRSYNC_E_HTTP. what names the request in errors. Then parses the body
** (*out is the caller's to json_object_put). c->status gets the answer's
** HTTP status. */
hrsync_status bhr_call(hrsync_conn *c, const char *method, const char *path,
                       const char *body, const char *what, json_object **out);

/* bhr_call, but the body is read into c->doc (hsp_jv, no json-c tree):
** *out lives until the next bhr_call_jv. With quiet_404 a 404 answer
** returns HRSYNC_E_HTTP (c->status 404) without setting the error. */
hrsync_status bhr_call_jv(hrsync_conn *c, const char *method, const char *path,
                          const char *body, const char *what, int quiet_404,
                          const hsp_jv **out);

/* bhr_call without the parse: *out is the host's answer (2xx, not XML),
** valid until the next request. */
hrsync_status bhr_send(hrsync_conn *c, const char *method, const char *path,
                       const char *body, const char *what,
                       const hrsync_http_response **out);

/* bhr_send, but a 2xx body goes to chunk(arg) as it arrives (SDK 1.4
** http_stream, or whole on an older host), never held by the connector;
** an XML body fails at its first byte. The status is checked after. */
hrsync_status bhr_send_stream(hrsync_conn *c, const char *method,
                              const char *path, const char *body,
                              const char *what, hsp_chunk_fn chunk, void *arg);

/* bhr_call, but a 404 answer returns HRSYNC_E_HTTP (c->status 404)
** without setting the error: the caller has somewhere else to ask. */
hrsync_status bhr_call_or_404(hrsync_conn *c, const char *method,
                              const char *path, const char *body,
                              const char *what, json_object **out);

/* Documented names the custom report accepts that /v1/meta/fields does
** not list; NULL-terminated. */
extern const char *const bhr_report_only[];

/* A hire date BambooHR left empty: absent, null, "" or "0000-00-00". */
int bhr_no_hire_date(const hsp_jv *v);

/* The employee id as text (string or number), or NULL. */
const char *bhr_id_text(const hsp_jv *v, char *tmp, size_t cap);

/* The custom report's field list: "id", the wanted fields, hireDate and
** status, each once (at most BHR_MAX_FIELDS). The caller puts *out. */
hrsync_status bhr_requested_fields(hrsync_conn *c, json_object **out);

/* The error for an answer without its list member: BambooHR's own
** {"error": {"message"}} when it sent one, else the shape. */
hrsync_status bhr_shape_error(hrsync_conn *c, const hsp_jv *root,
                              const char *what, const char *member);

/* record_set for one member of an answer, unless its name cannot be a
** field id: "" (warned about once a run, issue: one odd key must not
** abort a sync) or a reserved "hrsync." id. */
hrsync_status bhr_emit_member(hrsync_conn *c, const char *key,
                              const hsp_jv *val);

/* Dataset mode: reads the dataset's field names (GET /v1_2/datasets/
** employee/fields, or the v1 path when that is 404). */
hrsync_status bhr_dataset_load(hrsync_conn *c);

/* Dataset mode schema: the dataset's names plus the classic aliases that
** mean the same (workEmail for email, ...). Warns about wanted fields
** that cannot be read from the dataset. */
hrsync_status bhr_dataset_fields(hrsync_conn *c);

/* Dataset mode: one page of rows. */
hrsync_status bhr_dataset_page(hrsync_conn *c);

/* host->field once per field of GET /v1/meta/fields, plus "id" and the
** report-only names (custom report), or the dataset's names. */
hrsync_status bhr_list_fields(hrsync_conn *c);

/* One roster step in the configured mode. */
hrsync_status bhr_next_page(hrsync_conn *c, int *has_more);

/* Emits one employee object (every member a record field; the hire date
** rule); seen is the set of ids emitted so far (a repeat is skipped). */
hrsync_status bhr_emit_employee(hrsync_conn *c, const char *id,
                                const hsp_jv *fields, hsp_idset *seen);

/* SDK 1.3 incremental fetch (changed.c): when the host gives a watermark
** and few enough people changed, emits only them and sets *honoured;
** otherwise emits nothing (*honoured 0: read the whole roster). */
hrsync_status bhr_changed_since(hrsync_conn *c, int *honoured);

#endif
