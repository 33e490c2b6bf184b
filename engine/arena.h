/*
** hs_arena: many small, equally long-lived strings in a few big blocks.
** The registry of a 100,000-person store is some 700,000 strings: one
** malloc each cost more (headers, rounding, the allocator's work) than
** the strings. Nothing is freed alone; hs_arena_free frees it all.
*/
#ifndef HS_ARENA_H
#define HS_ARENA_H

#include <stddef.h>

typedef struct hs_arena hs_arena;

/* NULL on no memory. */
hs_arena *hs_arena_new(void);
void hs_arena_free(hs_arena *a);

/* A copy of the len bytes at s, NUL-terminated, owned by the arena; NULL
** on no memory. */
char *hs_arena_strndup(hs_arena *a, const char *s, size_t len);

#endif
