/*
** BambooHR connector internals, shared by its three files:
**   bamboohr.c  descriptor, settings, credentials, the request helper
**   fields.c    the field schema (GET /v1/meta/fields)
**   roster.c    the roster: custom report or the paged employee dataset
*/
#ifndef HRSYNC_BAMBOOHR_H
#define HRSYNC_BAMBOOHR_H

#include "hsp.h"

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
  json_object *seen; /* dataset: hris ids emitted so far (a set) */
  json_object *meta; /* authenticate's /v1/meta/fields, kept for
                        list_fields (which frees it); NULL otherwise */
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

/* host->field once per field of GET /v1/meta/fields, plus "id". */
hrsync_status bhr_list_fields(hrsync_conn *c);

/* One roster step in the configured mode. */
hrsync_status bhr_next_page(hrsync_conn *c, int *has_more);

#endif
