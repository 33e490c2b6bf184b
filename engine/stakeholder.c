/*
** The stakeholder field table, display names and group lists.
*/
#include "stakeholder.h"

#include "arena.h"
#include "buf.h"
#include "digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[HS_SF_COUNT] = {"hris_id",
                                               "identifier",
                                               "first_name",
                                               "last_name",
                                               "name",
                                               "email",
                                               "phone",
                                               "address_line1",
                                               "address_line2",
                                               "city",
                                               "postal_code",
                                               "region",
                                               "country",
                                               "birth_date",
                                               "nationality",
                                               "start_date",
                                               "termination_date",
                                               "type",
                                               "groups"};

const char *hs_sf_name(int f)
{
  return (f >= 0 && f < HS_SF_COUNT) ? names[f] : "?";
}

int hs_sf_lookup(const char *name)
{
  int f;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(!strcmp(names[f], name))
      return f;
  return -1;
}

int hs_sf_mappable(int f)
{
  return f >= 0 && f < HS_SF_COUNT && f != HS_SF_NAME && f != HS_SF_TYPE &&
         f != HS_SF_GROUPS;
}

int hs_sf_is_date(int f)
{
  return f == HS_SF_BIRTH_DATE || f == HS_SF_START_DATE ||
         f == HS_SF_TERMINATION_DATE;
}

void hs_sh_clear(hs_sh *sh)
{
  int f;
  for(f = 0; f < HS_SF_COUNT; f++) {
    free(sh->v[f]);
    sh->v[f] = NULL;
  }
}

void hs_registry_clear(hs_registry *reg)
{
  size_t i;
  if(reg->strings)
    hs_arena_free(reg->strings);
  else
    for(i = 0; i < reg->n; i++)
      hs_sh_clear(&reg->items[i]);
  reg->strings = NULL;
  free(reg->items);
  reg->items = NULL;
  reg->n = 0;
}

int hs_registry_fingerprint(hs_registry *reg)
{
  hs_sha256 h;
  size_t i;
  int f;
  hs_sha256_init(&h);
  for(i = 0; i < reg->n; i++) {
    char num[32];
    int n = snprintf(num, sizeof(num), "%lld", reg->items[i].id);
    hs_sha256_update(&h, num, (size_t)n + 1);
    /* A NULL and an empty string must hash differently: tag each. */
    for(f = 0; f < HS_SF_COUNT; f++) {
      const char *v = reg->items[i].v[f];
      if(v) {
        hs_sha256_update(&h, "s", 1);
        hs_sha256_update(&h, v, strlen(v) + 1);
      }
      else
        hs_sha256_update(&h, "n", 1);
    }
  }
  hs_sha256_hex(&h, reg->fingerprint);
  return 0;
}

/* Copies of the parts with a separator between: the planner formats a
** name per record (a first sync of 100,000 people, twice each), so no
** printf. */
char *hs_sh_format_name(const char *first, const char *last, int format)
{
  const char *a, *b, *sep;
  size_t na, nb, ns;
  char *out;
  if(first && !*first)
    first = NULL;
  if(last && !*last)
    last = NULL;
  if(!first && !last)
    return NULL;
  if(!first || !last)
    return strdup(first ? first : last);
  a = format == HS_NAME_LAST_FIRST ? last : first;
  b = format == HS_NAME_LAST_FIRST ? first : last;
  sep = format == HS_NAME_LAST_FIRST ? ", " : " ";
  na = strlen(a);
  nb = strlen(b);
  ns = strlen(sep);
  if(!(out = malloc(na + ns + nb + 1)))
    return NULL;
  memcpy(out, a, na);
  memcpy(out + na, sep, ns);
  memcpy(out + na + ns, b, nb + 1);
  return out;
}

int hs_groups_add(char **groups, const char *g)
{
  hs_buf b = HS_BUF_INIT;
  const char *p = *groups ? *groups : "";
  int placed = 0;
  while(*p) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    int cmp = strncmp(p, g, len);
    if(!cmp && strlen(g) == len) {
      hs_buf_free(&b);
      return 0;
    }
    if(!placed && (cmp > 0 || (!cmp && strlen(g) < len))) {
      if((b.len && hs_buf_puts(&b, ";")) || hs_buf_puts(&b, g))
        goto nomem;
      placed = 1;
    }
    if((b.len && hs_buf_puts(&b, ";")) || hs_buf_append(&b, p, len))
      goto nomem;
    p += len;
    if(*p == ';')
      p++;
  }
  if(!placed && ((b.len && hs_buf_puts(&b, ";")) || hs_buf_puts(&b, g)))
    goto nomem;
  free(*groups);
  *groups = hs_buf_steal(&b);
  return *groups ? 1 : -1;
nomem:
  hs_buf_free(&b);
  return -1;
}

int hs_groups_remove(char **groups, const char *g)
{
  hs_buf b = HS_BUF_INIT;
  const char *p = *groups ? *groups : "";
  size_t glen = strlen(g);
  int found = 0;
  while(*p) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if(len == glen && !strncmp(p, g, len))
      found = 1;
    else if((b.len && hs_buf_puts(&b, ";")) || hs_buf_append(&b, p, len)) {
      hs_buf_free(&b);
      return -1;
    }
    p += len;
    if(*p == ';')
      p++;
  }
  if(!found) {
    hs_buf_free(&b);
    return 0;
  }
  free(*groups);
  *groups = b.len ? hs_buf_steal(&b) : NULL;
  hs_buf_free(&b);
  return 1;
}

const hs_sh *hs_registry_find(const hs_registry *reg, long long id)
{
  size_t lo = 0, hi = reg->n;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(reg->items[mid].id == id)
      return &reg->items[mid];
    if(reg->items[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}
