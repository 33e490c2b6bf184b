/*
** Where a requested field sits in a HiBob employee: at its jsonPath
** ({"work": {"department": x}}), else under a "/category/field" key of its
** id or its path (the documented default shape, the value maybe wrapped
** as {"value": x}). Resolved once per search; an employee's top-level
** members are then matched against the search's names in one pass.
*/
#include "hibob.h"

#include <stdlib.h>
#include <string.h>

/* Field names share long prefixes ("/address/city", "/address/line1"):
** their length and last eight bytes tell them apart, at the cost of two
** loads instead of a multiply per byte. */
static uint32_t name_hash(const char *s, size_t n)
{
  uint64_t a = 0, b = 0, h;
  memcpy(&a, s, n < 8 ? n : 8);
  if(n > 8)
    memcpy(&b, s + n - 8, 8);
  h = a * 0x9E3779B97F4A7C15ull ^ (b + n) * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 29;
  return (uint32_t)h ^ (uint32_t)(h >> 32);
}

/* Room for cap names. */
int hb_names_init(hb_names *nm, size_t cap)
{
  size_t size = 16;
  while(size < 2 * cap)
    size *= 2;
  nm->s = calloc(cap, sizeof(*nm->s));
  nm->len = calloc(cap, sizeof(*nm->len));
  nm->slot = calloc(size, sizeof(*nm->slot));
  nm->cap = cap;
  nm->mask = size - 1;
  return nm->s && nm->len && nm->slot ? 0 : -1;
}

void hb_names_free(hb_names *nm)
{
  free(nm->s);
  free(nm->len);
  free(nm->slot);
}

/* The index of name s (n bytes), or HB_NO_NAME. *slot gets where it is or
** would go. */
static uint32_t names_at(const hb_names *nm, const char *s, size_t n,
                         size_t *slot)
{
  size_t i = name_hash(s, n) & nm->mask;
  for(; nm->slot[i]; i = (i + 1) & nm->mask) {
    uint32_t k = nm->slot[i] - 1;
    if(nm->len[k] == n && !memcmp(nm->s[k], s, n))
      break;
  }
  *slot = i;
  return nm->slot[i] ? nm->slot[i] - 1 : HB_NO_NAME;
}

uint32_t hb_names_add(hb_names *nm, const char *s, size_t n)
{
  size_t i;
  uint32_t k = names_at(nm, s, n, &i);
  if(k != HB_NO_NAME || nm->n >= nm->cap)
    return k;
  nm->s[nm->n] = s;
  nm->len[nm->n] = (uint32_t)n;
  nm->slot[i] = (uint32_t)++nm->n;
  return (uint32_t)(nm->n - 1);
}

void hb_names_index(const hb_names *nm, const hsp_jv *obj, const hsp_jv **at)
{
  const hsp_jv *m;
  memset(at, 0, nm->n * sizeof(*at));
  if(hsp_jv_kind(obj) != HSP_JV_OBJECT)
    return;
  for(m = hsp_jv_first(obj); m; m = hsp_jv_next(obj, m)) {
    size_t slot;
    uint32_t k = names_at(nm, m->key, m->key_len, &slot);
    if(k != HB_NO_NAME)
      at[k] = m; /* hsp_jv_next skips shadowed members: the last counts */
  }
}

/* The "/category/field" key of a dotted name. */
static void slash_key(char *dst, size_t cap, const char *dotted)
{
  size_t i = 0;
  if(cap < 2)
    return;
  dst[i++] = '/';
  for(; *dotted && i + 1 < cap; dotted++)
    dst[i++] = *dotted == '.' ? '/' : *dotted;
  dst[i] = 0;
}

const hsp_jv *hb_nonnull(const hsp_jv *v)
{
  return hsp_jv_kind(v) == HSP_JV_NULL ? NULL : v;
}

/* The member at name k of at; none for a name nm had no room for. */
static const hsp_jv *at_name(const hsp_jv *const *at, uint32_t k)
{
  return k == HB_NO_NAME ? NULL : at[k];
}

int hb_find(const hsp_jv *obj, const hsp_jv *const *at, const hb_want *w,
            const hsp_jv **out)
{
  const hsp_jv *v;
  size_t i;
  if(!obj)
    return 0;
  v = w->whole ? obj : at_name(at, w->name[0]);
  if(v && w->rest)
    v = hsp_jv_path(v, w->rest);
  if(v) {
    *out = hb_nonnull(v);
    return 1;
  }
  for(i = 0; i < 2; i++) {
    if(!(v = at_name(at, w->name[1 + i])))
      continue;
    if(hsp_jv_kind(v) == HSP_JV_OBJECT) {
      const hsp_jv *inner = hsp_jv_get(v, "value");
      v = inner ? inner : v;
    }
    *out = hb_nonnull(v);
    return 1;
  }
  return 0;
}

/* The metadata of a requested field id; fields HiBob did not describe
** (an id the search still accepted) are read at the id's own path. */
static hb_field field_of(const hrsync_conn *c, const char *id)
{
  const hb_field *f = hb_schema_find(c, id);
  hb_field tmp;
  if(f)
    return *f;
  memset(&tmp, 0, sizeof(tmp));
  tmp.id = (char *)id;
  tmp.path = (char *)(!strncmp(id, "root.", 5) ? id + 5 : id);
  tmp.kind = HB_PLAIN;
  return tmp;
}

void hb_want_init(hb_want *w, hb_names *nm, const hrsync_conn *c,
                  const char *id)
{
  const char *dot;
  size_t i;
  w->id = id;
  w->f = field_of(c, id);
  slash_key(w->slash[0], sizeof(w->slash[0]), w->f.id);
  slash_key(w->slash[1], sizeof(w->slash[1]), w->f.path);
  dot = strchr(w->f.path, '.');
  w->rest = dot ? dot + 1 : NULL;
  w->whole = !*w->f.path;
  w->name[0] = hb_names_add(
      nm, w->f.path, dot ? (size_t)(dot - w->f.path) : strlen(w->f.path));
  for(i = 0; i < 2; i++)
    w->name[1 + i] = hb_names_add(nm, w->slash[i], strlen(w->slash[i]));
}
