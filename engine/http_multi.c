/*
** hs_http_many: a batch of independent requests on one curl multi.
**
** Each request of a batch runs on a child hs_http (http_int.h) of its
** own, so its response stays valid beside the others' until the next
** batch, and every attempt goes through the same begin/end as
** hs_http_perform: the same retries, Retry-After, redaction, -v lines
** and pace. The children share the parent's connection cache (a CURLSH),
** so a batch reuses the connections the sequential requests opened.
**
** At most `concurrency` requests are in flight; a request waiting for a
** retry leaves its place to the next one, and a 429's Retry-After holds
** every start (pace.c), not only the refused request's.
*/
#include "http_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Wake at least this often while waiting: a pace wait may end sooner. */
#define POLL_MAX_MS 1000L

struct hs_http_multi {
  CURLM *multi;
  hs_http **kids;
  size_t n_kids;
};

typedef struct job {
  const hrsync_http_request *req;
  struct curl_slist *headers;
  hs_http *h;
  hs_http_attempt a;
  int attempt;
  int state; /* JOB_WAITING, JOB_RUNNING, JOB_DONE */
  int64_t not_before;
} job;

enum { JOB_WAITING, JOB_RUNNING, JOB_DONE };

void hs_http_multi_free(hs_http_multi *m)
{
  size_t i;
  if(!m)
    return;
  for(i = 0; i < m->n_kids; i++)
    hs_http_free(m->kids[i]);
  free(m->kids);
  if(m->multi)
    curl_multi_cleanup(m->multi);
  free(m);
}

/* The parent's multi with at least n children. */
static hs_http_multi *multi_for(hs_http *h, size_t n)
{
  hs_http_multi **slot = hs_http__multi(h), *m = *slot;
  if(!m) {
    if(!(m = calloc(1, sizeof(*m))))
      return NULL;
    if(!(m->multi = curl_multi_init())) {
      free(m);
      return NULL;
    }
    *slot = m;
  }
  if(n > m->n_kids) {
    hs_http **grown = realloc(m->kids, n * sizeof(*grown));
    if(!grown)
      return NULL;
    m->kids = grown;
    for(; m->n_kids < n; m->n_kids++)
      if(!(m->kids[m->n_kids] = hs_http__child(h)))
        return NULL;
  }
  return m;
}

/* Prefixes err with which request of the batch it is about. */
static hs_rc name_request(hs_err *err, hs_rc rc, size_t i, size_t n)
{
  char msg[sizeof(err->msg)];
  memcpy(msg, err->msg, sizeof(msg));
  return hs_err_set(err, rc, "request %zu of %zu: %s", i + 1, n, msg);
}

/* Starts every waiting job the concurrency, the retry times and the pace
** allow; *wake gets when to look again (ms from now). */
static void start_jobs(hs_http_multi *m, hs_pace *pace, job *jobs, size_t n,
                       int conc, int *running, long *wake)
{
  size_t i;
  for(i = 0; i < n && *running < conc; i++) {
    job *j = &jobs[i];
    int64_t now = hs_pace_now_ms();
    long pw;
    if(j->state != JOB_WAITING)
      continue;
    if(j->not_before > now) {
      if(j->not_before - now < *wake)
        *wake = (long)(j->not_before - now);
      continue;
    }
    /* In index order: a later request never overtakes an earlier one
    ** that the pace holds. */
    if((pw = hs_pace_wait_ms(pace, now)) > 0) {
      if(pw < *wake)
        *wake = pw;
      break;
    }
    hs_http__begin(j->h, j->req, j->headers, &j->a);
    curl_easy_setopt(hs_http__easy(j->h), CURLOPT_PRIVATE, (char *)j);
    if(curl_multi_add_handle(m->multi, hs_http__easy(j->h)) != CURLM_OK) {
      /* Not started after all: give the pace slot back; the next round
      ** tries again. */
      hs_pace_done(pace, &j->a.ticket, hs_pace_now_ms(), 0, NULL, 0);
      break;
    }
    j->state = JOB_RUNNING;
    (*running)++;
  }
}

/* One finished transfer: done, failed, or back to waiting for a retry.
** HS_OK unless the request failed for good. */
static hs_rc finish_job(hs_http_multi *m, job *j, CURLcode cc, int *running,
                        hs_err *err)
{
  long wait = 0;
  hs_rc rc = HS_OK;
  curl_multi_remove_handle(m->multi, hs_http__easy(j->h));
  (*running)--;
  if(hs_http__end(j->h, j->req, cc, &j->a, j->attempt, &wait, &rc, err)) {
    j->attempt++;
    j->state = JOB_WAITING;
    j->not_before = hs_pace_now_ms() + wait;
    return HS_OK;
  }
  j->state = JOB_DONE;
  return rc;
}

/* Drains curl's finished transfers; the index of a failed one in *bad. */
static hs_rc reap(hs_http_multi *m, job *jobs, int *running, size_t *done,
                  size_t *bad, hs_err *err)
{
  CURLMsg *msg;
  int left;
  while((msg = curl_multi_info_read(m->multi, &left))) {
    char *priv = NULL;
    job *j;
    hs_rc rc;
    if(msg->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    j = (job *)priv;
    if((rc = finish_job(m, j, msg->data.result, running, err))) {
      *bad = (size_t)(j - jobs);
      return rc;
    }
    if(j->state == JOB_DONE)
      (*done)++;
  }
  return HS_OK;
}

static hs_rc run_jobs(hs_http *h, hs_http_multi *m, job *jobs, size_t n,
                      size_t *bad, hs_err *err)
{
  int conc = hs_http__concurrency(h), running = 0;
  size_t done = 0;
  hs_rc rc = HS_OK;
  while(done < n && !rc) {
    long wake = POLL_MAX_MS, ct = -1;
    int still;
    start_jobs(m, hs_http__pace(h), jobs, n, conc, &running, &wake);
    if(curl_multi_timeout(m->multi, &ct) == CURLM_OK && ct >= 0 && ct < wake)
      wake = ct;
    curl_multi_poll(m->multi, NULL, 0, (int)(wake < 0 ? 0 : wake), NULL);
    curl_multi_perform(m->multi, &still);
    rc = reap(m, jobs, &running, &done, bad, err);
  }
  return rc;
}

/* Takes the handles still in flight off the multi (after a failure). */
static void drop_running(hs_http_multi *m, hs_pace *pace, job *jobs, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(jobs[i].state == JOB_RUNNING) {
      curl_multi_remove_handle(m->multi, hs_http__easy(jobs[i].h));
      hs_pace_done(pace, &jobs[i].a.ticket, hs_pace_now_ms(), 0, NULL, 0);
      jobs[i].state = JOB_DONE;
    }
}

hs_rc hs_http_many(hs_http *h, const hrsync_http_request *const *reqs,
                   size_t n, const hrsync_http_response **out, hs_err *err)
{
  hs_http_multi *m;
  job *jobs;
  size_t i, bad = 0;
  hs_rc rc = HS_OK;

  for(i = 0; i < n; i++)
    out[i] = NULL;
  if(!n)
    return HS_OK;
  if(!(m = multi_for(h, n)))
    return hs_err_set(err, HS_E_NOMEM, "http: out of memory");
  if(hs_http__concurrency(h) <= 1) {
    /* One by one, each on its own child so every response stays valid. */
    for(i = 0; i < n && !rc; i++)
      if((rc = hs_http_perform(m->kids[i], reqs[i], &out[i], err)))
        rc = name_request(err, rc, i, n);
    return rc;
  }
  if(!(jobs = calloc(n, sizeof(*jobs))))
    return hs_err_set(err, HS_E_NOMEM, "http: out of memory");
  for(i = 0; i < n && !rc; i++) {
    jobs[i].req = reqs[i];
    jobs[i].h = m->kids[i];
    if((rc = hs_http__headers(m->kids[i], reqs[i], &jobs[i].headers, err)))
      bad = i;
  }
  if(!rc)
    rc = run_jobs(h, m, jobs, n, &bad, err);
  drop_running(m, hs_http__pace(h), jobs, n);
  for(i = 0; i < n; i++) {
    if(!rc)
      out[i] = hs_http__response(jobs[i].h);
    curl_easy_setopt(hs_http__easy(jobs[i].h), CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(jobs[i].headers);
  }
  free(jobs);
  if(rc) {
    for(i = 0; i < n; i++)
      out[i] = NULL;
    return name_request(err, rc, bad, n);
  }
  return HS_OK;
}

/* A deep copy of r; 0, or -1 on out of memory (free *d either way). */
static int response_copy(hrsync_http_response *d,
                         const hrsync_http_response *r)
{
  size_t i, len = 0;
  hrsync_kv *kv;
  char *p;
  for(i = 0; i < r->n_headers; i++)
    len += strlen(r->headers[i].name) + strlen(r->headers[i].value) + 2;
  *d = *r;
  d->body = NULL;
  /* The pairs, then their text, in one block. */
  kv = malloc(r->n_headers * sizeof(*kv) + len + 1);
  d->headers = kv;
  if(!kv || !(d->body = malloc(r->body_len + 1)))
    return -1;
  p = (char *)(kv + r->n_headers);
  for(i = 0; i < r->n_headers; i++) {
    kv[i].name = strcpy(p, r->headers[i].name);
    p += strlen(p) + 1;
    kv[i].value = strcpy(p, r->headers[i].value);
    p += strlen(p) + 1;
  }
  memcpy((char *)d->body, r->body, r->body_len);
  ((char *)d->body)[r->body_len] = 0;
  return 0;
}

void hs_http_copies_free(hs_http_copies *copies)
{
  size_t i;
  for(i = 0; i < copies->n; i++) {
    free((void *)copies->r[i].body);
    free((void *)copies->r[i].headers);
  }
  free(copies->r);
  copies->r = NULL;
  copies->n = 0;
}

hrsync_status hs_http_one_by_one(
    hs_http_copies *copies,
    hrsync_status (*http)(hrsync_host_ctx *ctx, const hrsync_http_request *req,
                          const hrsync_http_response **out),
    hrsync_host_ctx *ctx, const hrsync_http_request *const *reqs, size_t n,
    const hrsync_http_response **out)
{
  size_t i;
  hs_http_copies_free(copies);
  if(n && !(copies->r = calloc(n, sizeof(*copies->r))))
    return HRSYNC_E_NOMEM;
  for(i = 0; i < n; i++) {
    const hrsync_http_response *r = NULL;
    hrsync_status st = http(ctx, reqs[i], &r);
    if(st != HRSYNC_OK)
      return st;
    copies->n = i + 1;
    if(response_copy(&copies->r[i], r))
      return HRSYNC_E_NOMEM;
  }
  for(i = 0; i < n; i++)
    out[i] = &copies->r[i];
  return HRSYNC_OK;
}
