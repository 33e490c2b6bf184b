/*
** Open addressing, linear probing, at most half full. A slot holds the
** hash and value + 1 (0 = empty). Values of one hash lie along one probe
** run in the order they were added; growth re-adds them run by run, from
** an empty slot, so that order survives.
*/
#include "keyidx.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
  uint32_t hash;
  uint32_t val; /* value + 1; 0 = empty */
} slot;

struct hs_keyidx {
  slot *slots;
  size_t cap, count; /* cap: a power of two */
};

uint32_t hs_keyidx_feed(uint32_t h, const char *s, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 16777619u;
  }
  return h;
}

uint32_t hs_keyidx_hash(const char *s)
{
  return hs_keyidx_feed(HS_KEYIDX_SEED, s, strlen(s));
}

static size_t cap_for(size_t n)
{
  size_t cap = 16;
  while(cap < n * 2)
    cap *= 2;
  return cap;
}

hs_keyidx *hs_keyidx_new(size_t n)
{
  hs_keyidx *ix = calloc(1, sizeof(*ix));
  if(!ix)
    return NULL;
  ix->cap = cap_for(n);
  if(!(ix->slots = calloc(ix->cap, sizeof(slot)))) {
    free(ix);
    return NULL;
  }
  return ix;
}

void hs_keyidx_free(hs_keyidx *ix)
{
  if(!ix)
    return;
  free(ix->slots);
  free(ix);
}

static void put(slot *slots, size_t cap, uint32_t hash, uint32_t val)
{
  size_t i = hash & (cap - 1);
  while(slots[i].val)
    i = (i + 1) & (cap - 1);
  slots[i].hash = hash;
  slots[i].val = val;
}

static int grow(hs_keyidx *ix)
{
  size_t cap = ix->cap * 2, start, k;
  slot *n = calloc(cap, sizeof(slot));
  if(!n)
    return -1;
  /* From an empty slot, so that no probe run is cut in two. */
  for(start = 0; ix->slots[start].val; start++)
    ;
  for(k = 1; k <= ix->cap; k++) {
    const slot *s = &ix->slots[(start + k) & (ix->cap - 1)];
    if(s->val)
      put(n, cap, s->hash, s->val);
  }
  free(ix->slots);
  ix->slots = n;
  ix->cap = cap;
  return 0;
}

int hs_keyidx_add(hs_keyidx *ix, uint32_t hash, uint32_t value)
{
  if(value == UINT32_MAX || ((ix->count + 1) * 2 > ix->cap && grow(ix)))
    return -1;
  put(ix->slots, ix->cap, hash, value + 1);
  ix->count++;
  return 0;
}

void hs_keyidx_find(const hs_keyidx *ix, uint32_t hash, hs_keyidx_iter *it)
{
  it->ix = ix;
  it->hash = hash;
  it->pos = hash & (ix->cap - 1);
}

void hs_keyidx_prefetch(const hs_keyidx *ix, uint32_t hash)
{
#if defined(__GNUC__)
  __builtin_prefetch(&ix->slots[hash & (ix->cap - 1)], 1);
#else
  (void)ix;
  (void)hash;
#endif
}

int hs_keyidx_next(hs_keyidx_iter *it, uint32_t *value)
{
  const hs_keyidx *ix = it->ix;
  while(ix->slots[it->pos].val) {
    const slot *s = &ix->slots[it->pos];
    it->pos = (it->pos + 1) & (ix->cap - 1);
    if(s->hash == it->hash) {
      *value = s->val - 1;
      return 1;
    }
  }
  return 0;
}
