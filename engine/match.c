/*
** Matching indexes.
*/
#include "match.h"

#include "strmap.h"

#include <stdlib.h>
#include <string.h>

struct hs_matcher {
  const hs_registry *reg;
  hs_strmap *by_hris, *by_ident, *by_name;
};

void hs_match_free(hs_matcher *m)
{
  if(!m)
    return;
  hs_strmap_free(m->by_hris);
  hs_strmap_free(m->by_ident);
  hs_strmap_free(m->by_name);
  free(m);
}

static int add_name(hs_strmap *map, const char *first, const char *last,
                    int format, size_t i)
{
  char *n;
  int rc;
  if(!first || !last || !*first || !*last)
    return 0;
  n = hs_sh_format_name(first, last, format);
  if(!n)
    return -1;
  rc = hs_strmap_add(map, n, i);
  free(n);
  return rc;
}

hs_rc hs_match_new(const hs_registry *reg, hs_matcher **out, hs_err *err)
{
  hs_matcher *m = calloc(1, sizeof(*m));
  size_t i;
  *out = NULL;
  if(!m)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  m->reg = reg;
  m->by_hris = hs_strmap_new();
  m->by_ident = hs_strmap_new();
  m->by_name = hs_strmap_new();
  if(!m->by_hris || !m->by_ident || !m->by_name)
    goto nomem;
  for(i = 0; i < reg->n; i++) {
    char *const *v = reg->items[i].v;
    if(v[HS_SF_HRIS_ID] && hs_strmap_add(m->by_hris, v[HS_SF_HRIS_ID], i))
      goto nomem;
    if(v[HS_SF_IDENTIFIER] &&
       hs_strmap_add(m->by_ident, v[HS_SF_IDENTIFIER], i))
      goto nomem;
    if(v[HS_SF_NAME] && hs_strmap_add(m->by_name, v[HS_SF_NAME], i))
      goto nomem;
    if(add_name(m->by_name, v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                HS_NAME_FIRST_LAST, i) ||
       add_name(m->by_name, v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                HS_NAME_LAST_FIRST, i))
      goto nomem;
  }
  *out = m;
  return HS_OK;
nomem:
  hs_match_free(m);
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

/* Adds the candidates of one key, skipping people that belong to another
** HRIS record, people whose identifier says they are someone else (two
** namesakes told apart by the identifier, issue 10 case 6), and those
** already counted. */
static void collect(const hs_matcher *m, const hs_strmap *map, const char *key,
                    const char *hris_id, const char *identifier, size_t *seen,
                    size_t *nseen, hs_match *out)
{
  size_t n, i, j;
  const size_t *v = hs_strmap_get(map, key, &n);
  for(i = 0; i < n; i++) {
    const char *h = m->reg->items[v[i]].v[HS_SF_HRIS_ID];
    const char *type = m->reg->items[v[i]].v[HS_SF_TYPE];
    const char *ident = m->reg->items[v[i]].v[HS_SF_IDENTIFIER];
    int dup = 0;
    if(h && strcmp(h, hris_id))
      continue;
    if(ident && identifier && strcmp(ident, identifier))
      continue;
    /* An organisation is never an employee, whatever its name. */
    if(type && !strcmp(type, HS_TYPE_ENTITY))
      continue;
    for(j = 0; j < *nseen; j++)
      if(seen[j] == v[i])
        dup = 1;
    if(dup)
      continue;
    if(*nseen < 16)
      seen[(*nseen)++] = v[i];
    if(out->n < 2)
      out->idx[out->n] = v[i];
    out->n++;
  }
}

void hs_match_find(const hs_matcher *m, const char *hris_id,
                   const char *identifier, const char *first, const char *last,
                   hs_match *out)
{
  size_t n, seen[16], nseen = 0;
  const size_t *v = hs_strmap_get(m->by_hris, hris_id, &n);
  memset(out, 0, sizeof(*out));
  if(n) {
    out->level = HS_MATCH_HRIS_ID;
    out->n = n;
    out->idx[0] = v[0];
    if(n > 1)
      out->idx[1] = v[1];
    return;
  }
  if(identifier) {
    collect(m, m->by_ident, identifier, hris_id, identifier, seen, &nseen,
            out);
    if(out->n) {
      out->level = HS_MATCH_IDENTIFIER;
      return;
    }
  }
  if(first && last && *first && *last) {
    char *a = hs_sh_format_name(first, last, HS_NAME_FIRST_LAST);
    char *b = hs_sh_format_name(first, last, HS_NAME_LAST_FIRST);
    if(a)
      collect(m, m->by_name, a, hris_id, identifier, seen, &nseen, out);
    if(b)
      collect(m, m->by_name, b, hris_id, identifier, seen, &nseen, out);
    free(a);
    free(b);
    if(out->n)
      out->level = HS_MATCH_NAME;
  }
}

long hs_match_by_hris_id(const hs_matcher *m, const char *hris_id)
{
  size_t n;
  const size_t *v = hs_strmap_get(m->by_hris, hris_id, &n);
  return n == 1 ? (long)v[0] : -1;
}

const char *hs_match_level_name(int level)
{
  switch(level) {
  case HS_MATCH_HRIS_ID:
    return "HRIS id";
  case HS_MATCH_IDENTIFIER:
    return "identifier";
  case HS_MATCH_NAME:
    return "name";
  }
  return "nothing";
}
