/*
** The compact id set: FNV-1a hashes, linear probing, the table doubled at
** half full; ids live in one growing arena and are found by offset, so
** growing the arena moves nothing the table points at.
*/
#include "hsp_idset.h"

#include <stdlib.h>
#include <string.h>

struct hsp_idset_slot {
  uint32_t hash;
  uint32_t off1; /* the id's text in the arena, plus 1; 0 = empty */
};

static uint32_t hash_of(const char *id)
{
  uint32_t h = 2166136261u;
  for(; *id; id++)
    h = (h ^ (unsigned char)*id) * 16777619u;
  return h;
}

static size_t find(const hsp_idset *s, const char *id, uint32_t h, int *found)
{
  size_t mask = s->n_slots - 1, i = h & mask;
  for(;; i = (i + 1) & mask) {
    const struct hsp_idset_slot *sl = &s->slots[i];
    if(!sl->off1) {
      *found = 0;
      return i;
    }
    if(sl->hash == h && !strcmp(s->arena + sl->off1 - 1, id)) {
      *found = 1;
      return i;
    }
  }
}

static int grow_table(hsp_idset *s)
{
  size_t n = s->n_slots ? s->n_slots * 2 : 1024, i;
  struct hsp_idset_slot *old = s->slots, *fresh = calloc(n, sizeof(*fresh));
  size_t old_n = s->n_slots;
  if(!fresh)
    return -1;
  s->slots = fresh;
  s->n_slots = n;
  for(i = 0; i < old_n; i++) {
    if(old[i].off1) {
      size_t j = old[i].hash & (n - 1);
      while(fresh[j].off1)
        j = (j + 1) & (n - 1);
      fresh[j] = old[i];
    }
  }
  free(old);
  return 0;
}

int hsp_idset_has(const hsp_idset *s, const char *id)
{
  int found;
  if(!s->n_slots)
    return 0;
  find(s, id, hash_of(id), &found);
  return found;
}

int hsp_idset_add(hsp_idset *s, const char *id)
{
  uint32_t h = hash_of(id);
  size_t len = strlen(id) + 1, i;
  int found;
  if((s->n + 1) * 2 > s->n_slots && grow_table(s))
    return -1;
  i = find(s, id, h, &found);
  if(found)
    return 0;
  if(s->len + len >= UINT32_MAX)
    return -1; /* 4 GiB of ids: far past any roster */
  if(s->len + len > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    char *grown;
    while(cap < s->len + len)
      cap *= 2;
    if(!(grown = realloc(s->arena, cap)))
      return -1;
    s->arena = grown;
    s->cap = cap;
  }
  memcpy(s->arena + s->len, id, len);
  s->slots[i].hash = h;
  s->slots[i].off1 = (uint32_t)s->len + 1;
  s->len += len;
  s->n++;
  return 1;
}

void hsp_idset_free(hsp_idset *s)
{
  free(s->arena);
  free(s->slots);
  memset(s, 0, sizeof(*s));
}
