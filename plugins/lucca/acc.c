/*
** The flattened extendedData of one user (lc_acc, lucca.h): field ids in
** the order first met, each with its text or null, in one buffer reused
** user after user, where a json-c object cost a hash table and a copy of
** every id and value per user. A user has a handful of custom fields:
** ids are looked up by a linear scan.
*/
#include "lucca.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_VALUE SIZE_MAX

void lc_acc_reset(lc_acc *a)
{
  a->len = a->n = 0;
}

void lc_acc_free(lc_acc *a)
{
  free(a->buf);
  free(a->ents);
  memset(a, 0, sizeof(*a));
}

/* The entry of id, or NULL. */
static lc_acc_ent *find(const lc_acc *a, const char *id)
{
  size_t i;
  for(i = 0; i < a->n; i++)
    if(!strcmp(a->buf + a->ents[i].id, id))
      return &a->ents[i];
  return NULL;
}

/* Room for more bytes of text; -1 on no memory. */
static int reserve(lc_acc *a, size_t more)
{
  size_t cap = a->cap ? a->cap : 256;
  char *b;
  if(a->len + more <= a->cap)
    return 0;
  while(cap < a->len + more)
    cap *= 2;
  if(!(b = realloc(a->buf, cap)))
    return -1;
  a->buf = b;
  a->cap = cap;
  return 0;
}

/* Appends the n bytes at s (s may be in a->buf), a NUL after them; their
** offset, or NO_VALUE on no memory. */
static size_t put(lc_acc *a, const char *s, size_t n)
{
  size_t at = a->len, from = s >= a->buf && s < a->buf + a->len
                                 ? (size_t)(s - a->buf)
                                 : NO_VALUE;
  if(reserve(a, n + 1))
    return NO_VALUE;
  memcpy(a->buf + at, from == NO_VALUE ? s : a->buf + from, n);
  a->buf[at + n] = 0;
  a->len += n + 1;
  return at;
}

/* A new entry for id with no value; NULL on no memory. */
static lc_acc_ent *add_entry(lc_acc *a, const char *id)
{
  size_t off;
  if(a->n == a->ecap) {
    size_t cap = a->ecap ? 2 * a->ecap : 16;
    lc_acc_ent *e = realloc(a->ents, cap * sizeof(*e));
    if(!e)
      return NULL;
    a->ents = e;
    a->ecap = cap;
  }
  if((off = put(a, id, strlen(id))) == NO_VALUE)
    return NULL;
  a->ents[a->n].id = off;
  a->ents[a->n].value = NO_VALUE;
  return &a->ents[a->n++];
}

hrsync_status lc_acc_add(lc_acc *a, const char *id, const char *text)
{
  lc_acc_ent *e = find(a, id);
  size_t cur, n, off;
  if(!e && !(e = add_entry(a, id)))
    return HRSYNC_E_NOMEM;
  if(!text || !*text)
    return HRSYNC_OK; /* it exists; a value it has stays */
  if(e->value == NO_VALUE) {
    if((off = put(a, text, strlen(text))) == NO_VALUE)
      return HRSYNC_E_NOMEM;
    e->value = off;
    return HRSYNC_OK;
  }
  /* A multi-value: "<value so far>, <text>", written anew at the end. */
  cur = e->value;
  n = strlen(a->buf + cur);
  if(reserve(a, n + 2 + strlen(text) + 1))
    return HRSYNC_E_NOMEM;
  off = put(a, a->buf + cur, n);
  a->len--; /* the NUL, to go on after it */
  memcpy(a->buf + a->len, ", ", 2);
  a->len += 2;
  put(a, text, strlen(text)); /* cannot fail: reserved */
  e->value = off;
  return HRSYNC_OK;
}

size_t lc_acc_count(const lc_acc *a)
{
  return a->n;
}

const char *lc_acc_id(const lc_acc *a, size_t i)
{
  return a->buf + a->ents[i].id;
}

const char *lc_acc_value(const lc_acc *a, size_t i)
{
  return a->ents[i].value == NO_VALUE ? NULL : a->buf + a->ents[i].value;
}

int lc_acc_has(const lc_acc *a, const char *id)
{
  return find(a, id) != NULL;
}
