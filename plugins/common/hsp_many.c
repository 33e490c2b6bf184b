/*
** hsp_many: a batch of GETs through host->http_many (hsp_many.h).
*/
#include "hsp_many.h"

#include <string.h>

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

hrsync_status hsp_many_get_json(const hsp_host *hh, const char *const *urls,
                                size_t n, const char *auth,
                                const char *const *whats, json_object **roots)
{
  hrsync_kv headers[2] = {{"Accept", "application/json"},
                          {"Authorization", auth}};
  const hrsync_http_response *resp[HSP_MANY_BATCH];
  hrsync_status st;
  size_t i;
  for(i = 0; i < n; i++)
    roots[i] = NULL;
  st = hsp_many_get(hh, urls, n, headers, 2, resp);
  for(i = 0; !st && i < n; i++) {
    st = hsp_check_status(hh, resp[i], whats[i], NULL);
    if(!st)
      st = hsp_parse_json(hh, resp[i], whats[i], &roots[i]);
  }
  if(st)
    for(i = 0; i < n; i++) {
      json_object_put(roots[i]);
      roots[i] = NULL;
    }
  return st;
}
