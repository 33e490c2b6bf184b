/*
** hsp_many: a batch of GETs through host->http_many (hsp_many.h).
*/
#include "hsp_many.h"

int hsp_many_ok(const hsp_host *hh)
{
  return HRSYNC_HOST_HAS(hh->h, http_many);
}

hrsync_status hsp_many_get(const hsp_host *hh, const char *const *urls,
                           size_t n, const hrsync_kv *headers,
                           size_t n_headers, const hrsync_http_response **out)
{
  hrsync_http_request reqs[HSP_MANY_BATCH];
  const hrsync_http_request *ptrs[HSP_MANY_BATCH];
  size_t i;
  if(n > HSP_MANY_BATCH || !hsp_many_ok(hh))
    return hrsync_errorf(hh->h, hh->ctx, HRSYNC_E_INTERNAL,
                         "a batch of %zu requests (at most %d, and only "
                         "with http_many)",
                         n, HSP_MANY_BATCH);
  for(i = 0; i < n; i++) {
    hsp_request(&reqs[i], "GET", urls[i], headers, n_headers);
    ptrs[i] = &reqs[i];
  }
  return hh->h->http_many(hh->ctx, ptrs, n, out);
}
