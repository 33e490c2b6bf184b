/*
** Between http.c and http_multi.c only: one attempt of one request on one
** hs_http, cut in two so a curl multi can run many at once while the
** retry rules, logging, redaction and pacing stay those of http.c.
*/
#ifndef HS_HTTP_INT_H
#define HS_HTTP_INT_H

#include "http.h"
#include "pace.h"

#include <curl/curl.h>
#include <time.h>

typedef struct hs_http_multi hs_http_multi;

typedef struct hs_http_attempt {
  hs_pace_ticket ticket;
  struct timespec t0;
} hs_http_attempt;

/* A handle sharing parent's settings, pace, connections and counters;
** freed with hs_http_free. NULL on out of memory. */
hs_http *hs_http__child(hs_http *parent);
int hs_http__concurrency(const hs_http *h);
hs_http_multi **hs_http__multi(hs_http *h);
CURL *hs_http__easy(hs_http *h);
hs_pace *hs_http__pace(hs_http *h);
const hrsync_http_response *hs_http__response(hs_http *h);

/* Checks req, marks its credentials secret and builds its header list
** (the caller frees it after the last attempt, once no handle uses it). */
hs_rc hs_http__headers(hs_http *h, const hrsync_http_request *req,
                       struct curl_slist **headers, hs_err *err);

/* Sets h's handle up for one attempt and takes a pace slot; call when
** hs_pace_wait_ms says 0. */
void hs_http__begin(hs_http *h, const hrsync_http_request *req,
                    struct curl_slist *headers, hs_http_attempt *a);

/* After the attempt ended with cc: 1 = retry after *wait ms; 0 = done,
** with *rc HS_OK (the response in hs_http__response) or the error. */
int hs_http__end(hs_http *h, const hrsync_http_request *req, CURLcode cc,
                 hs_http_attempt *a, int attempt, long *wait, hs_rc *rc,
                 hs_err *err);

/* Frees what hs_http_many kept between batches. NULL-safe. */
void hs_http_multi_free(hs_http_multi *m);

#endif
