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

hrsync_status hsp_many_get_jv(const hsp_host *hh, const char *const *urls,
                              size_t n, const char *auth,
                              const char *const *whats, hsp_jdoc *const *docs,
                              const hsp_jv **roots)
{
  hrsync_kv headers[2] = {{"Accept", "application/json"},
                          {"Authorization", auth}};
  const hrsync_http_response *resp[HSP_MANY_BATCH];
  hrsync_status st = hsp_many_get(hh, urls, n, headers, 2, resp);
  size_t i;
  for(i = 0; !st && i < n; i++) {
    st = hsp_check_status(hh, resp[i], whats[i], NULL);
    if(!st)
      st = hsp_jdoc_parse(hh, docs[i], whats[i], resp[i]->body,
                          resp[i]->body_len, &roots[i]);
  }
  for(i = 0; st && i < n; i++)
    roots[i] = NULL;
  return st;
}

hrsync_status hsp_many_docs(hsp_jdoc **docs)
{
  size_t i;
  for(i = 0; i < HSP_MANY_BATCH; i++)
    if(!docs[i] && !(docs[i] = hsp_jdoc_new()))
      return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}
