/*
** hs_keyidx: a compact hash index from string keys to 32-bit values
** (registry or item indexes) that stores no keys: each slot is the key's
** hash and the value, 8 bytes, and the caller checks a candidate's key
** against the strings it already holds (the registry's, an item's). The
** match and duplicate indexes of a 100,000-person registry took some
** 20 MB as hs_strmap (a malloc'd copy of every key and a value list per
** key); this takes 16 bytes a key.
**
** A key may have several values; they come back in the order they were
** added (also across growth). Nothing is ever removed.
*/
#ifndef HS_KEYIDX_H
#define HS_KEYIDX_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_keyidx hs_keyidx;

/* An index sized for about n keys (it grows past that). NULL on no
** memory. */
hs_keyidx *hs_keyidx_new(size_t n);
void hs_keyidx_free(hs_keyidx *ix);

/* The hash of a key, or of a key made of several parts: start with
** HS_KEYIDX_SEED and feed each part (hs_keyidx_hash(s) is the same as
** feeding s alone). */
#define HS_KEYIDX_SEED 2166136261u
uint32_t hs_keyidx_feed(uint32_t h, const char *s, size_t n);
uint32_t hs_keyidx_hash(const char *s);

/* Adds value (< UINT32_MAX) under hash; -1 on no memory. */
int hs_keyidx_add(hs_keyidx *ix, uint32_t hash, uint32_t value);

/* Walks the values added under hash: hs_keyidx_next gives them one by
** one (1), then 0. Candidates only: another key may share the hash. */
typedef struct hs_keyidx_iter {
  const hs_keyidx *ix;
  size_t pos;
  uint32_t hash;
} hs_keyidx_iter;

void hs_keyidx_find(const hs_keyidx *ix, uint32_t hash, hs_keyidx_iter *it);

/* A hint that hash is added or looked up soon: its slot is fetched into
** the cache meanwhile (building an index of 100,000 keys is otherwise a
** cache miss per key). */
void hs_keyidx_prefetch(const hs_keyidx *ix, uint32_t hash);
int hs_keyidx_next(hs_keyidx_iter *it, uint32_t *value);

#endif
