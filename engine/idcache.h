/*
** hs_idcache: what each HR field id means to the engine, worked out once
** per run. The record path meets the same few dozen ids in every record;
** resolving one (its type from the connector's field list, whether the
** config maps it, tests it or wants it) takes several lookups and string
** comparisons, so the answer is kept: later records pay one hash lookup.
**
** At most max ids are kept (a connector sending a new id in every record
** must not grow memory with the roster); past that, ids are resolved
** each time, which is slower but the same answer.
*/
#ifndef HS_IDCACHE_H
#define HS_IDCACHE_H

#include <stddef.h>

typedef struct hs_idcache hs_idcache;

/* The answer for id: any int >= 0 (the caller's encoding). */
typedef int (*hs_idcache_fn)(void *arg, const char *id);

/* NULL on no memory. fn and arg must outlive the cache. */
hs_idcache *hs_idcache_new(hs_idcache_fn fn, void *arg, size_t max);
void hs_idcache_free(hs_idcache *c);

/* fn's answer for id, from the cache when it is there. Running out of
** memory only means the answer is not kept. */
int hs_idcache_get(hs_idcache *c, const char *id);

/* Ids kept so far. */
size_t hs_idcache_count(const hs_idcache *c);

#endif
