/*
** A compact set of ids (hsp_idset.c): the people a connector has emitted,
** to skip one an answer lists twice. One arena of the ids' text and an
** open-addressing table of (hash, offset), 8 bytes a slot at most half
** full: about 16 bytes plus the id per person, where a json-c object
** takes about 100.
*/
#ifndef HSP_IDSET_H
#define HSP_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct hsp_idset {
  char *arena;
  size_t len, cap;
  struct hsp_idset_slot *slots; /* a power of two of them, or NULL */
  size_t n_slots, n;
  /* Ids that came in increasing order (by length, then bytes) are not
  ** hashed: an id above the largest so far cannot be in the set, so it
  ** costs a comparison and an append instead of a probe into a table of
  ** megabytes (a cache miss per person). up[] are their offsets in the
  ** arena, increasing; the table holds the others. */
  uint32_t *up;
  size_t n_up, up_cap;
} hsp_idset;

#define HSP_IDSET_INIT                                                        \
  {                                                                           \
    NULL, 0, 0, NULL, 0, 0, NULL, 0, 0                                        \
  }

/* Adds id (copied): 1 when it is new, 0 when it was there, -1 on no
** memory (the set unchanged). */
int hsp_idset_add(hsp_idset *s, const char *id);

/* 1 when id is in the set. */
int hsp_idset_has(const hsp_idset *s, const char *id);

/* Frees everything; the set is empty and usable again. */
void hsp_idset_free(hsp_idset *s);

#endif
