/*
** One page of a Humaans list endpoint (Feathers conventions):
** GET <path>?$limit=L&$skip=S -> {"total", "limit", "skip", "data": [...]}.
**
** The list ends at total, at a short page, or at an empty page, whichever
** comes first, so a server that omits total or caps $limit below what we
** asked still ends. When the envelope's limit is smaller than ours, the
** server capped it: later requests ask for that size.
**
** Pages are parsed flat (hsp_jv) into documents the pager keeps and
** reuses: a roster page costs no tree and, once the documents have grown,
** no allocation (issue 16).
*/
#include "humaans.h"

#include <string.h>

long long hm_count_of(const hsp_jv *root, const char *key)
{
  const hsp_jv *v = hsp_jv_get(root, key);
  if(hsp_jv_kind(v) != HSP_JV_INT)
    return -1;
  return (long long)hsp_jv_int(v);
}

hrsync_status hm_envelope(hrsync_conn *c, const hsp_jv *root, const char *what,
                          size_t skip, const hsp_jv **data)
{
  long long at;
  *data = hsp_jv_get(root, "data");
  if(hsp_jv_kind(*data) != HSP_JV_ARRAY) {
    *data = NULL;
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: \"data\" is missing or not an array", what);
  }
  at = hm_count_of(root, "skip");
  if(at >= 0 && (size_t)at != skip) {
    /* A server ignoring $skip would send page one forever. */
    *data = NULL;
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: the answer is for skip %lld", what, at);
  }
  return HRSYNC_OK;
}

/* Forgets the pages read ahead and not handed out (an early stop, or
** pages no longer where the next ones are); their documents stay. */
static void drop_ahead(hm_pager *pager)
{
  pager->n_ahead = pager->next_ahead = 0;
}

void hm_pager_free(hm_pager *pager)
{
  size_t i;
  drop_ahead(pager);
  for(i = 0; i < HSP_MANY_BATCH; i++) {
    hsp_jdoc_free(pager->docs[i]);
    pager->docs[i] = NULL;
  }
}

/* pager->docs[i], made when first needed. */
static hsp_jdoc *doc_at(hm_pager *pager, size_t i)
{
  if(!pager->docs[i])
    pager->docs[i] = hsp_jdoc_new();
  return pager->docs[i];
}

/* Whether the next pages may be read ahead: the total is known from the
** first page and the host offers http_many. */
static int can_read_ahead(const hrsync_conn *c, const hm_pager *pager)
{
  return pager->have_total && pager->skip > 0 && pager->skip < pager->total &&
         hsp_many_ok(&c->hh);
}

/* Reads the pages from pager->skip on, one $limit apart, up to the total
** or a batch, into pager->docs: every answer checked and parsed in order
** before any is handed out, so a bad one stops the run where it did. */
static hrsync_status read_ahead(hrsync_conn *c, hm_pager *pager)
{
  char urls[HSP_MANY_BATCH][700], whats[HSP_MANY_BATCH][256];
  const char *up[HSP_MANY_BATCH], *wp[HSP_MANY_BATCH];
  size_t n = 0, skip = pager->skip;
  hrsync_status st;
  for(; n < HSP_MANY_BATCH && skip < pager->total; n++, skip += pager->limit) {
    if((st = hsp_url(&c->hh, urls[n], sizeof(urls[n]), c->base,
                     "%s?$limit=%zu&$skip=%zu", pager->path, pager->limit,
                     skip)))
      return st;
    snprintf(whats[n], sizeof(whats[n]), "GET %s $skip=%zu", pager->path,
             skip);
    up[n] = urls[n];
    wp[n] = whats[n];
    if(!doc_at(pager, n))
      return HRSYNC_E_NOMEM;
  }
  st = hsp_many_get_jv(&c->hh, up, n, c->auth, wp, pager->docs, pager->roots);
  if(!st) {
    pager->n_ahead = n;
    pager->next_ahead = 0;
  }
  return st;
}

/* The next page's parsed answer into *root (NULL: refused, and the caller
** accepts that): the next one read ahead, or one GET. */
static hrsync_status fetch(hrsync_conn *c, hm_pager *pager, const char *what,
                           const hsp_jv **root)
{
  char path[256];
  hrsync_status st;
  if(pager->next_ahead == pager->n_ahead) {
    drop_ahead(pager);
    if(can_read_ahead(c, pager) && (st = read_ahead(c, pager)))
      return st;
  }
  if(pager->next_ahead < pager->n_ahead) {
    *root = pager->roots[pager->next_ahead++];
    return HRSYNC_OK;
  }
  if(!doc_at(pager, 0))
    return HRSYNC_E_NOMEM;
  snprintf(path, sizeof(path), "%s?$limit=%zu&$skip=%zu", pager->path,
           pager->limit, pager->skip);
  return hm_get_jv(c, path, what, pager->docs[0], root,
                   pager->refused_ok && pager->skip == 0);
}

hrsync_status hm_page_next(hrsync_conn *c, hm_pager *pager,
                           const hsp_jv **root, const hsp_jv **data)
{
  char what[256];
  long long total, limit;
  size_t n;
  hrsync_status st;

  *root = NULL;
  *data = NULL;
  snprintf(what, sizeof(what), "GET %s $skip=%zu", pager->path, pager->skip);
  st = fetch(c, pager, what, root);
  if(st)
    return st;
  if(!*root) {
    /* Refused, and the caller accepts that: an empty list. */
    pager->done = 1;
    return HRSYNC_OK;
  }
  if((st = hm_envelope(c, *root, what, pager->skip, data))) {
    *root = NULL;
    drop_ahead(pager);
    return st;
  }
  n = hsp_jv_count(*data);
  total = hm_count_of(*root, "total");
  limit = hm_count_of(*root, "limit");
  if(limit > 0 && (size_t)limit < pager->limit) {
    pager->limit = (size_t)limit;
    /* Read ahead one limit apart: no longer where the next pages are. */
    drop_ahead(pager);
  }
  if(total >= 0) {
    pager->have_total = 1;
    pager->total = (size_t)total;
  }
  pager->skip += n;
  if(n == 0 || n < pager->limit ||
     (total >= 0 && pager->skip >= (size_t)total))
    pager->done = 1;
  if(pager->done)
    drop_ahead(pager);
  return HRSYNC_OK;
}
