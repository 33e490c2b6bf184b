/*
** Open-addressing hash map (linear probing, FNV-1a, at most half full).
**
** The match indexes hold a key per stakeholder and are built on every
** run, so a key costs no allocation of its own: key texts are copied
** into large blocks that never move, and a key's first value is kept in
** its bucket. Only a key with a second value (a shared name: a conflict
** the matcher must see) gets a value array.
*/
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct bucket {
  const char *key; /* NULL = empty; in one of the blocks */
  uint64_t hash;
  size_t val;   /* the only value while n == 1 */
  size_t *more; /* every value once n > 1 (more[0] == val) */
  uint32_t n, cap;
  size_t len; /* of key */
} bucket;

/* A block of key texts; blocks are chained and freed together. */
typedef struct block {
  struct block *next;
  size_t used, cap;
  char text[];
} block;

#define BLOCK_BYTES 65536

struct hs_strmap {
  bucket *b;
  size_t nb, count; /* nb: a power of two */
  block *blocks;
};

static uint64_t fnv1a(const char *s, size_t *len)
{
  const unsigned char *p = (const unsigned char *)s;
  uint64_t h = 1469598103934665603ULL;
  for(; *p; p++) {
    h ^= *p;
    h *= 1099511628211ULL;
  }
  *len = (size_t)(p - (const unsigned char *)s);
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
  for(i = 0; i < m->nb; i++)
    free(m->b[i].more);
  while(m->blocks) {
    block *next = m->blocks->next;
    free(m->blocks);
    m->blocks = next;
  }
  free(m->b);
  free(m);
}

/* key's bucket, or the empty bucket where it would go. */
static bucket *find(const hs_strmap *m, const char *key, size_t len,
                    uint64_t h)
{
  size_t mask = m->nb - 1, i = (size_t)h & mask;
  for(;; i = (i + 1) & mask) {
    bucket *b = &m->b[i];
    if(!b->key || (b->hash == h && b->len == len && !memcmp(b->key, key, len)))
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

/* A copy of key (len bytes and its NUL) in the blocks; NULL on no memory. */
static const char *copy_key(hs_strmap *m, const char *key, size_t len)
{
  block *bl = m->blocks;
  char *d;
  if(!bl || bl->cap - bl->used < len + 1) {
    size_t cap = len + 1 > BLOCK_BYTES ? len + 1 : BLOCK_BYTES;
    if(!(bl = malloc(sizeof(*bl) + cap)))
      return NULL;
    bl->next = m->blocks;
    bl->used = 0;
    bl->cap = cap;
    m->blocks = bl;
  }
  d = bl->text + bl->used;
  memcpy(d, key, len + 1);
  bl->used += len + 1;
  return d;
}

static int add_value(bucket *b, size_t value)
{
  size_t i;
  if(b->n == 1) {
    if(b->val == value)
      return 0;
    if(!(b->more = malloc(4 * sizeof(size_t))))
      return -1;
    b->cap = 4;
    b->more[0] = b->val;
  }
  for(i = 0; i < b->n; i++)
    if(b->more[i] == value)
      return 0;
  if(b->n >= (1u << 30)) /* the doubling below stays in 32 bits */
    return -1;
  if(b->n == b->cap) {
    size_t *v = realloc(b->more, (size_t)b->cap * 2 * sizeof(size_t));
    if(!v)
      return -1;
    b->more = v;
    b->cap *= 2;
  }
  b->more[b->n++] = value;
  return 0;
}

int hs_strmap_add(hs_strmap *m, const char *key, size_t value)
{
  size_t len;
  uint64_t h = fnv1a(key, &len);
  bucket *b = find(m, key, len, h);
  if(b->key)
    return add_value(b, value);
  if(2 * (m->count + 1) > m->nb) {
    if(grow(m))
      return -1;
    b = find(m, key, len, h);
  }
  if(!(b->key = copy_key(m, key, len)))
    return -1;
  b->hash = h;
  b->len = len;
  b->val = value;
  b->n = 1;
  m->count++;
  return 0;
}

const size_t *hs_strmap_get(const hs_strmap *m, const char *key, size_t *n)
{
  size_t len;
  uint64_t h = fnv1a(key, &len);
  const bucket *b = find(m, key, len, h);
  *n = b->n;
  if(!b->key)
    return NULL;
  return b->n == 1 ? &b->val : b->more;
}
