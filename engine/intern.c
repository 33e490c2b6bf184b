/*
** Interned strings: an open-addressing table (linear probing, at most
** half full) of keys into an array of copies kept in an hs_arena (they
** never move).
*/
#include "intern.h"

#include "arena.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
  const char *text;
  size_t len;
  uint64_t hash;
} entry;

struct hs_intern {
  unsigned *slots; /* key, 0 = empty */
  size_t nslots;   /* a power of two */
  entry *e;        /* e[key - 1] */
  size_t n, cap, max;
  hs_arena *text; /* the copies; made with the first one */
};

hs_intern *hs_intern_new(size_t max)
{
  hs_intern *t = calloc(1, sizeof(*t));
  if(!t)
    return NULL;
  t->max = max;
  return t;
}

void hs_intern_free(hs_intern *t)
{
  if(!t)
    return;
  hs_arena_free(t->text);
  free(t->slots);
  free(t->e);
  free(t);
}

uint64_t hs_intern_hash(const char *s, size_t *len)
{
  const unsigned char *p = (const unsigned char *)s;
  uint64_t h = 1469598103934665603ULL;
  for(; *p; p++)
    h = (h ^ *p) * 1099511628211ULL;
  *len = (size_t)(p - (const unsigned char *)s);
  return h;
}

unsigned hs_intern_find(const hs_intern *t, const char *s, size_t len,
                        uint64_t hash)
{
  size_t mask = t->nslots - 1, i;
  if(!t->nslots)
    return 0;
  for(i = (size_t)hash & mask; t->slots[i]; i = (i + 1) & mask) {
    const entry *e = &t->e[t->slots[i] - 1];
    if(e->hash == hash && e->len == len && !memcmp(e->text, s, len))
      return t->slots[i];
  }
  return 0;
}

static void place(unsigned *slots, size_t nslots, uint64_t hash, unsigned key)
{
  size_t mask = nslots - 1, i;
  for(i = (size_t)hash & mask; slots[i]; i = (i + 1) & mask)
    ;
  slots[i] = key;
}

/* Room for one more string: the table at most half full, the array big
** enough. -1 on no memory. */
static int make_room(hs_intern *t)
{
  if(2 * (t->n + 1) > t->nslots) {
    size_t n = t->nslots ? t->nslots * 2 : 64, i;
    unsigned *s = calloc(n, sizeof(*s));
    if(!s)
      return -1;
    for(i = 0; i < t->n; i++)
      place(s, n, t->e[i].hash, (unsigned)i + 1);
    free(t->slots);
    t->slots = s;
    t->nslots = n;
  }
  if(t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 32;
    entry *e = realloc(t->e, cap * sizeof(*e));
    if(!e)
      return -1;
    t->e = e;
    t->cap = cap;
  }
  return 0;
}

static const char *copy(hs_intern *t, const char *s, size_t len)
{
  if(!t->text && !(t->text = hs_arena_new()))
    return NULL;
  return hs_arena_strndup(t->text, s, len);
}

unsigned hs_intern_add(hs_intern *t, const char *s, size_t len, uint64_t hash)
{
  entry *e;
  if(t->n >= t->max || t->n >= 0x7FFFFFFF || make_room(t))
    return 0;
  e = &t->e[t->n];
  if(!(e->text = copy(t, s, len)))
    return 0;
  e->len = len;
  e->hash = hash;
  t->n++;
  place(t->slots, t->nslots, hash, (unsigned)t->n);
  return (unsigned)t->n;
}

const char *hs_intern_text(const hs_intern *t, unsigned key)
{
  return key && key <= t->n ? t->e[key - 1].text : NULL;
}

size_t hs_intern_len(const hs_intern *t, unsigned key)
{
  return key && key <= t->n ? t->e[key - 1].len : 0;
}

size_t hs_intern_count(const hs_intern *t)
{
  return t->n;
}
