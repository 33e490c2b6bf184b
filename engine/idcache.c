/*
** The id cache: an hs_strmap from id to its answer.
*/
#include "idcache.h"

#include "strmap.h"

#include <stdlib.h>

struct hs_idcache {
  hs_strmap *map;
  hs_idcache_fn fn;
  void *arg;
  size_t max, count;
};

hs_idcache *hs_idcache_new(hs_idcache_fn fn, void *arg, size_t max)
{
  hs_idcache *c = calloc(1, sizeof(*c));
  if(!c || !(c->map = hs_strmap_new())) {
    free(c);
    return NULL;
  }
  c->fn = fn;
  c->arg = arg;
  c->max = max;
  return c;
}

void hs_idcache_free(hs_idcache *c)
{
  if(!c)
    return;
  hs_strmap_free(c->map);
  free(c);
}

int hs_idcache_get(hs_idcache *c, const char *id)
{
  size_t n;
  const size_t *v = hs_strmap_get(c->map, id, &n);
  int answer;
  if(v)
    return (int)v[0];
  answer = c->fn(c->arg, id);
  if(answer >= 0 && c->count < c->max &&
     !hs_strmap_add(c->map, id, (size_t)answer))
    c->count++;
  return answer;
}

size_t hs_idcache_count(const hs_idcache *c)
{
  return c->count;
}
