/*
** Chunked string arena: chunks are linked, never moved, so the strings'
** addresses stay valid until hs_arena_free.
*/
#include "arena.h"

#include <stdlib.h>
#include <string.h>

/* 64 KiB: large enough that the chunk headers are noise, small enough
** that a registry of ten people does not reserve megabytes. */
#define HS_ARENA_CHUNK (64 * 1024 - 64)

typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  char data[];
} chunk;

struct hs_arena {
  chunk *head; /* the chunk being filled; older ones follow */
};

hs_arena *hs_arena_new(void)
{
  return calloc(1, sizeof(hs_arena));
}

void hs_arena_free(hs_arena *a)
{
  chunk *c, *next;
  if(!a)
    return;
  for(c = a->head; c; c = next) {
    next = c->next;
    free(c);
  }
  free(a);
}

char *hs_arena_strndup(hs_arena *a, const char *s, size_t len)
{
  chunk *c = a->head;
  char *d;
  if(!c || c->size - c->used < len + 1) {
    /* A string longer than a chunk gets a chunk of its own, put behind
    ** the one being filled so that one's space is not wasted. */
    size_t size = len + 1 > HS_ARENA_CHUNK ? len + 1 : HS_ARENA_CHUNK;
    chunk *n = malloc(sizeof(chunk) + size);
    if(!n)
      return NULL;
    n->used = 0;
    n->size = size;
    if(c && size > HS_ARENA_CHUNK) {
      n->next = c->next;
      c->next = n;
    }
    else {
      n->next = c;
      a->head = n;
    }
    c = n;
  }
  d = c->data + c->used;
  memcpy(d, s, len);
  d[len] = 0;
  c->used += len + 1;
  return d;
}
