/*
** Chained hash map, FNV-1a, doubling at load factor 1.
*/
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
  struct entry *next;
  uint64_t hash;
  size_t *vals;
  size_t n, cap;
  char key[]; /* flexible: one allocation per key */
} entry;

struct hs_strmap {
  entry **slots;
  size_t nslots, count;
};

static uint64_t fnv1a(const char *s)
{
  uint64_t h = 1469598103934665603ULL;
  for(; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

hs_strmap *hs_strmap_new(void)
{
  hs_strmap *m = calloc(1, sizeof(*m));
  if(!m)
    return NULL;
  m->nslots = 64;
  m->slots = calloc(m->nslots, sizeof(entry *));
  if(!m->slots) {
    free(m);
    return NULL;
  }
  return m;
}

void hs_strmap_free(hs_strmap *m)
{
  size_t i;
  if(!m)
    return;
  for(i = 0; i < m->nslots; i++) {
    entry *e = m->slots[i];
    while(e) {
      entry *next = e->next;
      free(e->vals);
      free(e);
      e = next;
    }
  }
  free(m->slots);
  free(m);
}

static entry *find(const hs_strmap *m, const char *key, uint64_t h)
{
  entry *e;
  for(e = m->slots[h & (m->nslots - 1)]; e; e = e->next)
    if(e->hash == h && !strcmp(e->key, key))
      return e;
  return NULL;
}

static void grow(hs_strmap *m)
{
  size_t n = m->nslots * 2, i;
  entry **slots = calloc(n, sizeof(entry *));
  if(!slots)
    return; /* keep working with longer chains */
  for(i = 0; i < m->nslots; i++) {
    entry *e = m->slots[i];
    while(e) {
      entry *next = e->next;
      e->next = slots[e->hash & (n - 1)];
      slots[e->hash & (n - 1)] = e;
      e = next;
    }
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = n;
}

int hs_strmap_add(hs_strmap *m, const char *key, size_t value)
{
  uint64_t h = fnv1a(key);
  entry *e = find(m, key, h);
  size_t i;
  if(!e) {
    size_t len = strlen(key);
    if(m->count >= m->nslots)
      grow(m);
    e = calloc(1, sizeof(*e) + len + 1);
    if(!e)
      return -1;
    memcpy(e->key, key, len + 1);
    e->hash = h;
    e->next = m->slots[h & (m->nslots - 1)];
    m->slots[h & (m->nslots - 1)] = e;
    m->count++;
  }
  for(i = 0; i < e->n; i++)
    if(e->vals[i] == value)
      return 0;
  if(e->n == e->cap) {
    size_t cap = e->cap ? e->cap * 2 : 2;
    size_t *v = realloc(e->vals, cap * sizeof(size_t));
    if(!v)
      return -1;
    e->vals = v;
    e->cap = cap;
  }
  e->vals[e->n++] = value;
  return 0;
}

const size_t *hs_strmap_get(const hs_strmap *m, const char *key, size_t *n)
{
  entry *e = find(m, key, fnv1a(key));
  *n = e ? e->n : 0;
  return e ? e->vals : NULL;
}
