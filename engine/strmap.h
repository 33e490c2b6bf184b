/*
** hs_strmap: a hash map from strings to lists of size_t, for the match
** indexes (several stakeholders may share a name: that is a conflict the
** matcher must see, so a key keeps every value, not the last).
*/
#ifndef HS_STRMAP_H
#define HS_STRMAP_H

#include <stddef.h>

typedef struct hs_strmap hs_strmap;

/* NULL on no memory. */
hs_strmap *hs_strmap_new(void);
void hs_strmap_free(hs_strmap *m);

/* Adds value to key's list unless it is already there (keys are copied).
** Returns 0 or -1 on no memory. */
int hs_strmap_add(hs_strmap *m, const char *key, size_t value);

/* key's values and their count (NULL / 0 when absent). Valid until the
** next add. */
const size_t *hs_strmap_get(const hs_strmap *m, const char *key, size_t *n);

#endif
