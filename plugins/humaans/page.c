/*
** One page of a Humaans list endpoint (Feathers conventions):
** GET <path>?$limit=L&$skip=S -> {"total", "limit", "skip", "data": [...]}.
**
** The list ends at total, at a short page, or at an empty page, whichever
** comes first, so a server that omits total or caps $limit below what we
** asked still ends. When the envelope's limit is smaller than ours, the
** server capped it: later requests ask for that size.
*/
#include "humaans.h"

#include <string.h>

long long hm_count_of(json_object *root, const char *key)
{
  json_object *v;
  if(!json_object_object_get_ex(root, key, &v) ||
     !json_object_is_type(v, json_type_int))
    return -1;
  return (long long)json_object_get_int64(v);
}

void hm_pager_free(hm_pager *pager)
{
  size_t i;
  for(i = pager->next_ahead; i < pager->n_ahead; i++)
    json_object_put(pager->ahead[i]);
  pager->n_ahead = pager->next_ahead = 0;
}

/* Whether the next pages may be read ahead: the total is known from the
** first page and the host offers http_many. */
static int can_read_ahead(const hrsync_conn *c, const hm_pager *pager)
{
  return pager->have_total && pager->skip > 0 && pager->skip < pager->total &&
         hsp_many_ok(&c->hh);
}

/* Reads the pages from pager->skip on, one $limit apart, up to the total
** or a batch, into pager->ahead. */
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
  }
  st = hsp_many_get_json(&c->hh, up, n, c->auth, wp, pager->ahead);
  if(!st) {
    pager->n_ahead = n;
    pager->next_ahead = 0;
  }
  return st;
}

/* The next page's parsed answer into *root (NULL: refused, and the caller
** accepts that): the next one read ahead, or one GET. */
static hrsync_status fetch(hrsync_conn *c, hm_pager *pager, const char *what,
                           json_object **root)
{
  char path[256];
  hrsync_status st;
  if(pager->next_ahead == pager->n_ahead) {
    pager->n_ahead = pager->next_ahead = 0;
    if(can_read_ahead(c, pager) && (st = read_ahead(c, pager)))
      return st;
  }
  if(pager->next_ahead < pager->n_ahead) {
    *root = pager->ahead[pager->next_ahead];
    pager->ahead[pager->next_ahead++] = NULL;
    return HRSYNC_OK;
  }
  snprintf(path, sizeof(path), "%s?$limit=%zu&$skip=%zu", pager->path,
           pager->limit, pager->skip);
  return hm_get_ex(c, path, what, root, pager->refused_ok && pager->skip == 0);
}

hrsync_status hm_page_next(hrsync_conn *c, hm_pager *pager, json_object **root,
                           json_object **data)
{
  char what[256];
  long long total, limit, skip;
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
  if(!json_object_is_type(*root, json_type_object) ||
     !json_object_object_get_ex(*root, "data", data) ||
     !json_object_is_type(*data, json_type_array)) {
    json_object_put(*root);
    *root = NULL;
    *data = NULL;
    hm_pager_free(pager);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: \"data\" is missing or not an array", what);
  }
  skip = hm_count_of(*root, "skip");
  if(skip >= 0 && (size_t)skip != pager->skip) {
    /* A server ignoring $skip would send page one forever. */
    json_object_put(*root);
    *root = NULL;
    *data = NULL;
    hm_pager_free(pager);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: the answer is for skip %lld", what, skip);
  }
  n = json_object_array_length(*data);
  total = hm_count_of(*root, "total");
  limit = hm_count_of(*root, "limit");
  if(limit > 0 && (size_t)limit < pager->limit) {
    pager->limit = (size_t)limit;
    /* Read ahead one limit apart: no longer where the next pages are. */
    hm_pager_free(pager);
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
    hm_pager_free(pager);
  return HRSYNC_OK;
}
