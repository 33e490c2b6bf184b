/*
** The compact id set: FNV-1a hashes, linear probing, the table doubled at
** half full; ids live in one growing arena and are found by offset, so
** growing the arena moves nothing the table points at. Rosters mostly
** come in id order: ids above the largest so far skip the table (see
** hsp_idset.up), and only the others pay for a probe (and a binary search
** of the increasing ones).
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

/* The order of up[]: by length, then bytes (numeric ids without leading
** zeros: by value). <0, 0, >0 as a is below, equal to, above b. */
static int order(const char *a, size_t alen, const char *b)
{
  size_t blen = strlen(b);
  if(alen != blen)
    return alen < blen ? -1 : 1;
  return memcmp(a, b, alen);
}

/* Whether id (len bytes) is one of the increasing ids; *above: it is
** above them all (so in no part of the set). */
static int in_up(const hsp_idset *s, const char *id, size_t len, int *above)
{
  size_t lo = 0, hi = s->n_up;
  *above = !s->n_up || order(id, len, s->arena + s->up[s->n_up - 1]) > 0;
  if(*above)
    return 0;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = order(id, len, s->arena + s->up[mid]);
    if(!c)
      return 1;
    if(c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
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

/* Room for len more bytes of text; -1 on no memory. */
static int arena_room(hsp_idset *s, size_t len)
{
  size_t cap = s->cap ? s->cap : 4096;
  char *grown;
  if(s->len + len >= UINT32_MAX)
    return -1; /* 4 GiB of ids: far past any roster */
  if(s->len + len <= s->cap)
    return 0;
  while(cap < s->len + len)
    cap *= 2;
  if(!(grown = realloc(s->arena, cap)))
    return -1;
  s->arena = grown;
  s->cap = cap;
  return 0;
}

int hsp_idset_has(const hsp_idset *s, const char *id)
{
  int found, above;
  if(in_up(s, id, strlen(id), &above))
    return 1;
  if(above || !s->n_slots)
    return 0;
  find(s, id, hash_of(id), &found);
  return found;
}

/* Appends id, above every increasing one, to them. */
static int add_up(hsp_idset *s, const char *id, size_t len)
{
  if(s->n_up == s->up_cap) {
    size_t cap = s->up_cap ? s->up_cap * 2 : 1024;
    uint32_t *grown = realloc(s->up, cap * sizeof(*grown));
    if(!grown)
      return -1;
    s->up = grown;
    s->up_cap = cap;
  }
  if(arena_room(s, len + 1))
    return -1;
  memcpy(s->arena + s->len, id, len + 1);
  s->up[s->n_up++] = (uint32_t)s->len;
  s->len += len + 1;
  s->n++;
  return 1;
}

int hsp_idset_add(hsp_idset *s, const char *id)
{
  size_t len = strlen(id), i;
  uint32_t h;
  int found, above;
  if(in_up(s, id, len, &above))
    return 0;
  if(above)
    return add_up(s, id, len);
  h = hash_of(id);
  if((s->n + 1 - s->n_up) * 2 > s->n_slots && grow_table(s))
    return -1;
  i = find(s, id, h, &found);
  if(found)
    return 0;
  if(arena_room(s, len + 1))
    return -1;
  memcpy(s->arena + s->len, id, len + 1);
  s->slots[i].hash = h;
  s->slots[i].off1 = (uint32_t)s->len + 1;
  s->len += len + 1;
  s->n++;
  return 1;
}

void hsp_idset_free(hsp_idset *s)
{
  free(s->arena);
  free(s->slots);
  free(s->up);
  memset(s, 0, sizeof(*s));
}
