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

hrsync_status hm_page_next(hrsync_conn *c, hm_pager *pager, json_object **root,
                           json_object **data)
{
  char path[256], what[256];
  long long total, limit, skip;
  size_t n;
  hrsync_status st;

  *root = NULL;
  *data = NULL;
  snprintf(path, sizeof(path), "%s?$limit=%zu&$skip=%zu", pager->path,
           pager->limit, pager->skip);
  snprintf(what, sizeof(what), "GET %s $skip=%zu", pager->path, pager->skip);
  st = hm_get_ex(c, path, what, root, pager->refused_ok && pager->skip == 0);
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
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: \"data\" is missing or not an array", what);
  }
  skip = hm_count_of(*root, "skip");
  if(skip >= 0 && (size_t)skip != pager->skip) {
    /* A server ignoring $skip would send page one forever. */
    json_object_put(*root);
    *root = NULL;
    *data = NULL;
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: the answer is for skip %lld", what, skip);
  }
  n = json_object_array_length(*data);
  total = hm_count_of(*root, "total");
  limit = hm_count_of(*root, "limit");
  if(limit > 0 && (size_t)limit < pager->limit)
    pager->limit = (size_t)limit;
  pager->skip += n;
  if(n == 0 || n < pager->limit ||
     (total >= 0 && pager->skip >= (size_t)total))
    pager->done = 1;
  return HRSYNC_OK;
}
