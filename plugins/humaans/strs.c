/*
** Strings of a table loaded once (job roles, custom values) copied into
** one growing block instead of one allocation each (issue 16).
*/
#include "humaans.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

hrsync_status hm_strs_add(hm_strs *b, const char *s, const char **off)
{
  size_t n;
  *off = NULL;
  if(!s)
    return HRSYNC_OK;
  n = strlen(s) + 1;
  if(b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *grown;
    while(cap < b->len + n)
      cap *= 2;
    if(!(grown = realloc(b->text, cap)))
      return HRSYNC_E_NOMEM;
    b->text = grown;
    b->cap = cap;
  }
  memcpy(b->text + b->len, s, n);
  /* An offset, not a pointer: the block may still move. */
  *off = (const char *)(uintptr_t)(b->len + 1);
  b->len += n;
  return HRSYNC_OK;
}

const char *hm_strs_at(const hm_strs *b, const char *off)
{
  return off ? b->text + (uintptr_t)off - 1 : NULL;
}

void hm_strs_reset(hm_strs *b)
{
  b->len = 0;
}

void hm_strs_free(hm_strs *b)
{
  free(b->text);
  memset(b, 0, sizeof(*b));
}
