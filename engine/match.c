/*
** Matching indexes.
*/
#include "match.h"

#include "keyidx.h"

#include <stdlib.h>
#include <string.h>

/* The indexes hold registry indexes, never keys: a candidate's key is
** read from the registry. by_name holds i * 4 + the form of the name
** (NAME_*). */
struct hs_matcher {
  const hs_registry *reg;
  hs_keyidx *by_hris, *by_ident, *by_name;
  /* by_ident and by_name are built when a record first needs them: in a
  ** run where every record finds its HRIS id (a no-change run), never. */
  int rest_built;
  /* Every hris_id in the registry is distinct (the store's UNIQUE
  ** constraint; a registry built by hand may break it): then a record
  ** whose id is that of the stakeholder after the last one found is that
  ** one, without a probe. Records come in the order they did last time,
  ** which is the order they were stored in. */
  int hris_unique;
  size_t next; /* the registry index after the last HRIS id match */
};

enum { NAME_AS_IS = 0, NAME_FIRST_LAST = 1, NAME_LAST_FIRST = 2 };

void hs_match_free(hs_matcher *m)
{
  if(!m)
    return;
  hs_keyidx_free(m->by_hris);
  hs_keyidx_free(m->by_ident);
  hs_keyidx_free(m->by_name);
  free(m);
}

/* The two parts of a name form, and what joins them ("" for NAME_AS_IS:
** the whole name is a). */
static void name_parts(const hs_sh *sh, int form, const char **a,
                       const char **sep, const char **b)
{
  *sep = *b = "";
  if(form == NAME_AS_IS)
    *a = sh->v[HS_SF_NAME];
  else if(form == NAME_FIRST_LAST) {
    *a = sh->v[HS_SF_FIRST_NAME];
    *sep = " ";
    *b = sh->v[HS_SF_LAST_NAME];
  }
  else {
    *a = sh->v[HS_SF_LAST_NAME];
    *sep = ", ";
    *b = sh->v[HS_SF_FIRST_NAME];
  }
}

/* True when a + sep + b is key, without building it. */
static int joined_is(const char *a, const char *sep, const char *b,
                     const char *key)
{
  size_t la = strlen(a), ls = strlen(sep);
  return !strncmp(key, a, la) && !strncmp(key + la, sep, ls) &&
         !strcmp(key + la + ls, b);
}

static uint32_t joined_hash(const char *a, const char *sep, const char *b)
{
  uint32_t h = hs_keyidx_feed(HS_KEYIDX_SEED, a, strlen(a));
  h = hs_keyidx_feed(h, sep, strlen(sep));
  return hs_keyidx_feed(h, b, strlen(b));
}

/* Indexes stakeholder i's names: as it is, first + last, last + first
** (the latter two when both parts are there), each distinct form once
** (a key lists a stakeholder once, or the count of candidates would
** double). */
static int add_names(hs_matcher *m, size_t i)
{
  const hs_sh *sh = &m->reg->items[i];
  const char *first = sh->v[HS_SF_FIRST_NAME], *last = sh->v[HS_SF_LAST_NAME];
  const char *name = sh->v[HS_SF_NAME];
  int form;
  if(name && hs_keyidx_add(m->by_name, hs_keyidx_hash(name), (uint32_t)i * 4))
    return -1;
  if(!first || !last || !*first || !*last)
    return 0;
  for(form = NAME_FIRST_LAST; form <= NAME_LAST_FIRST; form++) {
    const char *a, *sep, *b;
    name_parts(sh, form, &a, &sep, &b);
    if(name && joined_is(a, sep, b, name))
      continue;
    if(hs_keyidx_add(m->by_name, joined_hash(a, sep, b),
                     (uint32_t)(i * 4 + (size_t)form)))
      return -1;
  }
  return 0;
}

/* The identifier and name indexes, once; -1 on no memory (and nothing
** half built: the next call starts again). */
static int build_rest(hs_matcher *m)
{
  const hs_registry *reg = m->reg;
  size_t i;
  if(m->rest_built)
    return 0;
  if(!(m->by_ident = hs_keyidx_new(16)) ||
     !(m->by_name = hs_keyidx_new(reg->n * 2)))
    goto nomem;
  for(i = 0; i < reg->n; i++) {
    const char *ident = reg->items[i].v[HS_SF_IDENTIFIER];
    if(ident && hs_keyidx_add(m->by_ident, hs_keyidx_hash(ident), (uint32_t)i))
      goto nomem;
    if(add_names(m, i))
      goto nomem;
  }
  m->rest_built = 1;
  return 0;
nomem:
  hs_keyidx_free(m->by_ident);
  hs_keyidx_free(m->by_name);
  m->by_ident = m->by_name = NULL;
  return -1;
}

/* Whether stakeholder j's hris_id (hash h) is already in by_hris. */
static int hris_seen(const hs_matcher *m, uint32_t h, const char *id)
{
  hs_keyidx_iter it;
  uint32_t v;
  hs_keyidx_find(m->by_hris, h, &it);
  while(hs_keyidx_next(&it, &v))
    if(!strcmp(m->reg->items[v].v[HS_SF_HRIS_ID], id))
      return 1;
  return 0;
}

/* How far ahead the slots of the index being built are prefetched: its
** adds are random writes into a table of megabytes. */
#define AHEAD 8

static int build_hris(hs_matcher *m)
{
  const hs_registry *reg = m->reg;
  uint32_t *h = malloc((reg->n ? reg->n : 1) * sizeof(*h));
  size_t i;
  if(!h)
    return -1;
  for(i = 0; i < reg->n; i++) {
    const char *id = reg->items[i].v[HS_SF_HRIS_ID];
    h[i] = id ? hs_keyidx_hash(id) : 0;
  }
  m->hris_unique = 1;
  for(i = 0; i < reg->n; i++) {
    const char *id = reg->items[i].v[HS_SF_HRIS_ID];
    if(i + AHEAD < reg->n)
      hs_keyidx_prefetch(m->by_hris, h[i + AHEAD]);
    if(!id)
      continue;
    if(m->hris_unique && hris_seen(m, h[i], id))
      m->hris_unique = 0;
    if(hs_keyidx_add(m->by_hris, h[i], (uint32_t)i)) {
      free(h);
      return -1;
    }
  }
  free(h);
  return 0;
}

hs_rc hs_match_new(const hs_registry *reg, hs_matcher **out, hs_err *err)
{
  hs_matcher *m = calloc(1, sizeof(*m));
  *out = NULL;
  if(!m)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  m->reg = reg;
  /* Registry indexes must fit the index's 32 bits, times 4. */
  if(reg->n >= UINT32_MAX / 4) {
    free(m);
    return hs_err_set(err, HS_E_NOMEM, "registry too large to index");
  }
  if(!(m->by_hris = hs_keyidx_new(reg->n)) || build_hris(m)) {
    hs_match_free(m);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  *out = m;
  return HS_OK;
}

/* Walks the registry indexes whose field f (by_hris, by_ident) or name
** form (by_name) is key, in the order they were indexed. */
typedef struct walk {
  const hs_matcher *m;
  const hs_keyidx *ix;
  int f; /* the field, or -1 for names */
  const char *key;
  hs_keyidx_iter it;
} walk;

static void walk_start(walk *w, const hs_matcher *m, const hs_keyidx *ix,
                       int f, const char *key)
{
  w->m = m;
  w->ix = ix;
  w->f = f;
  w->key = key;
  hs_keyidx_find(ix, hs_keyidx_hash(key), &w->it);
}

static int walk_next(walk *w, size_t *idx)
{
  uint32_t v;
  while(hs_keyidx_next(&w->it, &v)) {
    const hs_sh *sh;
    const char *a, *sep, *b;
    if(w->f >= 0) {
      sh = &w->m->reg->items[v];
      if(sh->v[w->f] && !strcmp(sh->v[w->f], w->key)) {
        *idx = v;
        return 1;
      }
      continue;
    }
    sh = &w->m->reg->items[v / 4];
    name_parts(sh, (int)(v % 4), &a, &sep, &b);
    if(a && b && joined_is(a, sep, b, w->key)) {
      *idx = v / 4;
      return 1;
    }
  }
  return 0;
}

/* Adds the candidates of one key, skipping people that belong to another
** HRIS record, people whose identifier says they are someone else (two
** namesakes told apart by the identifier, issue 10 case 6), and those
** already counted. */
static void collect(const hs_matcher *m, const hs_keyidx *ix, int f,
                    const char *key, const char *hris_id,
                    const char *identifier, size_t *seen, size_t *nseen,
                    hs_match *out)
{
  size_t j, i;
  walk w;
  walk_start(&w, m, ix, f, key);
  while(walk_next(&w, &i)) {
    const char *h = m->reg->items[i].v[HS_SF_HRIS_ID];
    const char *type = m->reg->items[i].v[HS_SF_TYPE];
    const char *ident = m->reg->items[i].v[HS_SF_IDENTIFIER];
    int dup = 0;
    if(h && strcmp(h, hris_id))
      continue;
    if(ident && identifier && strcmp(ident, identifier))
      continue;
    /* An organisation is never an employee, whatever its name. */
    if(type && !strcmp(type, HS_TYPE_ENTITY))
      continue;
    for(j = 0; j < *nseen; j++)
      if(seen[j] == i)
        dup = 1;
    if(dup)
      continue;
    if(*nseen < 16)
      seen[(*nseen)++] = i;
    if(out->n < 2)
      out->idx[out->n] = i;
    out->n++;
  }
}

/* The stakeholder after the last one found, when its hris_id is this
** one (see hris_unique); else -1. */
static long next_in_order(const hs_matcher *m, const char *hris_id)
{
  const char *h;
  if(!m->hris_unique || m->next >= m->reg->n)
    return -1;
  h = m->reg->items[m->next].v[HS_SF_HRIS_ID];
  return h && !strcmp(h, hris_id) ? (long)m->next : -1;
}

int hs_match_find(hs_matcher *m, const char *hris_id, const char *identifier,
                  const char *first, const char *last, hs_match *out)
{
  size_t seen[16], nseen = 0, i;
  long at = next_in_order(m, hris_id);
  walk w;
  memset(out, 0, sizeof(*out));
  if(at >= 0) {
    out->level = HS_MATCH_HRIS_ID;
    out->n = 1;
    out->idx[0] = (size_t)at;
    m->next = (size_t)at + 1;
    return 0;
  }
  walk_start(&w, m, m->by_hris, HS_SF_HRIS_ID, hris_id);
  while(walk_next(&w, &i)) {
    if(out->n < 2)
      out->idx[out->n] = i;
    out->n++;
  }
  if(out->n) {
    out->level = HS_MATCH_HRIS_ID;
    if(out->n == 1)
      m->next = out->idx[0] + 1;
    return 0;
  }
  if(!identifier && !(first && last && *first && *last))
    return 0;
  if(build_rest(m))
    return -1;
  if(identifier) {
    collect(m, m->by_ident, HS_SF_IDENTIFIER, identifier, hris_id, identifier,
            seen, &nseen, out);
    if(out->n) {
      out->level = HS_MATCH_IDENTIFIER;
      return 0;
    }
  }
  if(first && last && *first && *last) {
    char *a = hs_sh_format_name(first, last, HS_NAME_FIRST_LAST);
    char *b = hs_sh_format_name(first, last, HS_NAME_LAST_FIRST);
    if(a)
      collect(m, m->by_name, -1, a, hris_id, identifier, seen, &nseen, out);
    if(b)
      collect(m, m->by_name, -1, b, hris_id, identifier, seen, &nseen, out);
    free(a);
    free(b);
    if(out->n)
      out->level = HS_MATCH_NAME;
  }
  return 0;
}

long hs_match_by_hris_id(hs_matcher *m, const char *hris_id)
{
  size_t i, first = 0, n = 0;
  long at = next_in_order(m, hris_id);
  walk w;
  if(at >= 0) {
    m->next = (size_t)at + 1;
    return at;
  }
  walk_start(&w, m, m->by_hris, HS_SF_HRIS_ID, hris_id);
  while(n < 2 && walk_next(&w, &i)) {
    if(!n)
      first = i;
    n++;
  }
  if(n == 1)
    m->next = first + 1;
  return n == 1 ? (long)first : -1;
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
