/*
** hs_intern: a bounded set of strings, each with a small stable number
** (its key, 1..max) and one stable copy. The host interns the field ids
** a connector sends, so a record's fields carry a key that later stages
** can look things up by, and an id met before is neither checked nor
** copied again.
*/
#ifndef HS_INTERN_H
#define HS_INTERN_H

#include <stddef.h>
#include <stdint.h>

typedef struct hs_intern hs_intern;

/* At most max strings (a connector inventing ids must not grow memory
** with the roster). NULL on no memory. */
hs_intern *hs_intern_new(size_t max);
void hs_intern_free(hs_intern *t);

/* s's hash; its length goes to *len. */
uint64_t hs_intern_hash(const char *s, size_t *len);

/* The key of s (len bytes, hash from hs_intern_hash), or 0 when absent. */
unsigned hs_intern_find(const hs_intern *t, const char *s, size_t len,
                        uint64_t hash);

/* Adds s (absent) and returns its new key: 1, 2, ... in order; 0 when the
** set holds max strings already or memory ran out. */
unsigned hs_intern_add(hs_intern *t, const char *s, size_t len, uint64_t hash);

/* The copy of key's string (valid until hs_intern_free); NULL for 0 or a
** key not given out. */
const char *hs_intern_text(const hs_intern *t, unsigned key);

/* The length of key's string (0 for a key not given out). */
size_t hs_intern_len(const hs_intern *t, unsigned key);

/* Strings held (the largest key given out). */
size_t hs_intern_count(const hs_intern *t);

#endif
