/*
** Open-addressing hash map (linear probing, 32-bit FNV-1a, at most half
** full).
**
** The match indexes hold a key per stakeholder and are built on every
** run, so a key costs no allocation of its own and little memory (a
** 24-byte bucket): key texts are copied into an hs_arena (they never
** move), and a key's only value is kept in its bucket. Only a key with a
** second value (a shared name: a conflict the matcher must see) gets a
** list of its own.
*/
#include "strmap.h"

#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct bucket {
  const char *key; /* NULL = empty; in the arena */
  size_t val;      /* n == 1: the value; n > 1: its list in multi */
  uint32_t hash;   /* of key (low bits: the home bucket) */
  uint32_t n;      /* values */
} bucket;

/* The values of a key that has more than one. */
typedef struct list {
  size_t *v;
  size_t cap;
} list;

struct hs_strmap {
  bucket *b;
  size_t nb, count; /* nb: a power of two */
  list *multi;
  size_t n_multi, multi_cap;
  hs_arena *keys; /* the key texts; made with the first key */
};

static uint32_t fnv1a(const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  uint32_t h = 2166136261u;
  for(; *p; p++)
    h = (h ^ *p) * 16777619u;
  return h;
}

hs_strmap *hs_strmap_new(void)
{
  hs_strmap *m = calloc(1, sizeof(*m));
  if(!m)
    return NULL;
  m->nb = 64;
  m->b = calloc(m->nb, sizeof(bucket));
  if(!m->b) {
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
  for(i = 0; i < m->n_multi; i++)
    free(m->multi[i].v);
  free(m->multi);
  hs_arena_free(m->keys);
  free(m->b);
  free(m);
}

/* key's bucket, or the empty bucket where it would go. */
static bucket *find(const hs_strmap *m, const char *key, uint32_t h)
{
  size_t mask = m->nb - 1, i = (size_t)h & mask;
  for(;; i = (i + 1) & mask) {
    bucket *b = &m->b[i];
    if(!b->key || (b->hash == h && !strcmp(b->key, key)))
      return b;
  }
}

/* Doubles the table; -1 on no memory (the caller then fails the add: a
** full table cannot take one more key). */
static int grow(hs_strmap *m)
{
  size_t nb = m->nb * 2, mask = nb - 1, i;
  bucket *t = calloc(nb, sizeof(bucket));
  if(!t)
    return -1;
  for(i = 0; i < m->nb; i++) {
    size_t j;
    if(!m->b[i].key)
      continue;
    for(j = (size_t)m->b[i].hash & mask; t[j].key; j = (j + 1) & mask)
      ;
    t[j] = m->b[i];
  }
  free(m->b);
  m->b = t;
  m->nb = nb;
  return 0;
}

/* A copy of key (len bytes and its NUL) in the arena; NULL on no memory. */
static const char *copy_key(hs_strmap *m, const char *key, size_t len)
{
  if(!m->keys && !(m->keys = hs_arena_new()))
    return NULL;
  return hs_arena_strndup(m->keys, key, len);
}

/* A second value: the key's values move to a list of their own. */
static int make_list(hs_strmap *m, bucket *b)
{
  list *l;
  if(m->n_multi == m->multi_cap) {
    size_t cap = m->multi_cap ? m->multi_cap * 2 : 16;
    list *g = realloc(m->multi, cap * sizeof(*g));
    if(!g)
      return -1;
    m->multi = g;
    m->multi_cap = cap;
  }
  l = &m->multi[m->n_multi];
  if(!(l->v = malloc(4 * sizeof(size_t))))
    return -1;
  l->cap = 4;
  l->v[0] = b->val;
  b->val = m->n_multi++;
  return 0;
}

static int add_value(hs_strmap *m, bucket *b, size_t value)
{
  list *l;
  size_t i;
  if(b->n == 1) {
    if(b->val == value)
      return 0;
    if(make_list(m, b))
      return -1;
  }
  l = &m->multi[b->val];
  for(i = 0; i < b->n; i++)
    if(l->v[i] == value)
      return 0;
  if(b->n >= (1u << 30)) /* n stays in 32 bits */
    return -1;
  if(b->n == l->cap) {
    size_t *v = realloc(l->v, l->cap * 2 * sizeof(size_t));
    if(!v)
      return -1;
    l->v = v;
    l->cap *= 2;
  }
  l->v[b->n++] = value;
  return 0;
}

int hs_strmap_add(hs_strmap *m, const char *key, size_t value)
{
  uint32_t h = fnv1a(key);
  bucket *b = find(m, key, h);
  if(b->key)
    return add_value(m, b, value);
  if(2 * (m->count + 1) > m->nb) {
    if(grow(m))
      return -1;
    b = find(m, key, h);
  }
  if(!(b->key = copy_key(m, key, strlen(key))))
    return -1;
  b->hash = h;
  b->val = value;
  b->n = 1;
  m->count++;
  return 0;
}

const size_t *hs_strmap_get(const hs_strmap *m, const char *key, size_t *n)
{
  const bucket *b = find(m, key, fnv1a(key));
  *n = b->n;
  if(!b->key)
    return NULL;
  return b->n == 1 ? &b->val : m->multi[b->val].v;
}
