/*
** Plan building: conditions, mapping, matching and field diffs.
*/
#include "plan.h"

#include "buf.h"
#include "idcache.h"
#include "keyidx.h"
#include "mapping.h"
#include "match.h"
#include "namekey.h"
#include "strmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_names[HS_ACT_COUNT] = {
    "create", "update", "unchanged", "skipped", "conflict", "left"};

const char *hs_action_name(int a)
{
  return (a >= 0 && a < HS_ACT_COUNT) ? action_names[a] : "?";
}

int hs_action_parse(const char *s)
{
  int a;
  for(a = 0; a < HS_ACT_COUNT; a++)
    if(!strcmp(action_names[a], s))
      return a;
  return -1;
}

hs_plan_item *hs_plan_push(hs_plan *plan)
{
  hs_plan_item *it;
  if(plan->n == plan->cap) {
    size_t cap = plan->cap ? plan->cap * 2 : 64;
    hs_plan_item *n = realloc(plan->items, cap * sizeof(*n));
    if(!n)
      return NULL;
    plan->items = n;
    plan->cap = cap;
  }
  it = &plan->items[plan->n++];
  memset(it, 0, sizeof(*it));
  /* The planner pushes a record's item before counting the record: this
  ** is its record number (claims and creates find items by it). */
  it->seq = (unsigned)plan->records;
  return it;
}

/* An item's changes live in one block, packed: a field byte and a flags
** byte per change (HAS_BEFORE, HAS_AFTER), then the strings that are
** there, each NUL-terminated, in order. A created Humaans person (18
** values) costs some 180 bytes instead of 430 for an hs_change array
** and its strings: at 100,000 people that is most of a first sync's
** memory. hs_item_changes unpacks them into hs_change views. */
enum { HAS_BEFORE = 1, HAS_AFTER = 2 };

size_t hs_item_changes(const hs_plan_item *it, hs_change *out)
{
  const unsigned char *head = it->packed;
  const char *p;
  size_t i, n = it->n_changes;
  if(!head)
    return 0;
  p = (const char *)head + 2 * n;
  for(i = 0; i < n; i++) {
    out[i].field = head[2 * i];
    out[i].before = out[i].after = NULL;
    if(head[2 * i + 1] & HAS_BEFORE) {
      out[i].before = (char *)p;
      p += strlen(p) + 1;
    }
    if(head[2 * i + 1] & HAS_AFTER) {
      out[i].after = (char *)p;
      p += strlen(p) + 1;
    }
  }
  return n;
}

static void put(char **p, const char *s)
{
  size_t len;
  if(!s)
    return;
  len = strlen(s) + 1;
  memcpy(*p, s, len);
  *p += len;
}

/* Packs n changes into a new block for it (replacing its changes). The
** values may point into the old block. -1 on no memory or more than
** HS_ITEM_MAX_CHANGES. */
static int pack(hs_plan_item *it, const hs_change *c, size_t n)
{
  size_t i, need = 2 * n;
  unsigned char *blk;
  char *p;
  if(n > HS_ITEM_MAX_CHANGES)
    return -1;
  for(i = 0; i < n; i++)
    need += (c[i].before ? strlen(c[i].before) + 1 : 0) +
            (c[i].after ? strlen(c[i].after) + 1 : 0);
  if(!(blk = malloc(need ? need : 1)))
    return -1;
  p = (char *)blk + 2 * n;
  for(i = 0; i < n; i++) {
    blk[2 * i] = (unsigned char)c[i].field;
    blk[2 * i + 1] = (unsigned char)((c[i].before ? HAS_BEFORE : 0) |
                                     (c[i].after ? HAS_AFTER : 0));
    put(&p, c[i].before);
    put(&p, c[i].after);
  }
  free(it->packed);
  it->packed = blk;
  it->n_changes = n;
  return 0;
}

/* Gives hris_id and name their own copies again, before the changes
** they point into go; -1 on no memory. */
static int own_strings(hs_plan_item *it)
{
  if((it->borrowed & HS_ITEM_HRIS_ID) && it->hris_id &&
     !(it->hris_id = strdup(it->hris_id)))
    return -1;
  it->borrowed &= ~(unsigned)HS_ITEM_HRIS_ID;
  if((it->borrowed & HS_ITEM_NAME) && it->name &&
     !(it->name = strdup(it->name)))
    return -1;
  it->borrowed = 0;
  return 0;
}

int hs_item_add_change(hs_plan_item *it, int field, const char *before,
                       const char *after)
{
  hs_change c[HS_ITEM_MAX_CHANGES + 1];
  size_t n;
  if(field < 0 || field >= HS_SF_COUNT ||
     it->n_changes >= HS_ITEM_MAX_CHANGES || own_strings(it))
    return -1;
  n = hs_item_changes(it, c);
  c[n].field = field;
  c[n].before = (char *)before;
  c[n].after = (char *)after;
  return pack(it, c, n + 1);
}

static void item_clear_changes(hs_plan_item *it)
{
  free(it->packed); /* the strings are in the same block */
  it->packed = NULL;
  it->n_changes = 0;
}

/* A planned create's changes (after values only, in this order) as one
** block, with the item's hris_id and name pointing at the values of the
** hris_id and name changes: a create costs the item and one allocation.
** -1 on no memory. */
static int set_created(hs_plan_item *it, const int *field,
                       const char *const *after, size_t n)
{
  hs_change c[HS_ITEM_MAX_CHANGES];
  size_t i;
  if(n > HS_ITEM_MAX_CHANGES || own_strings(it))
    return -1;
  for(i = 0; i < n; i++) {
    c[i].field = field[i];
    c[i].before = NULL;
    c[i].after = (char *)after[i];
  }
  if(pack(it, c, n))
    return -1;
  hs_item_changes(it, c);
  for(i = 0; i < n; i++)
    if(c[i].field == HS_SF_HRIS_ID && it->hris_id && c[i].after &&
       !strcmp(c[i].after, it->hris_id) && !(it->borrowed & HS_ITEM_HRIS_ID)) {
      free(it->hris_id);
      it->hris_id = c[i].after;
      it->borrowed |= HS_ITEM_HRIS_ID;
    }
    else if(c[i].field == HS_SF_NAME && it->name && c[i].after &&
            !strcmp(c[i].after, it->name) && !(it->borrowed & HS_ITEM_NAME)) {
      free(it->name);
      it->name = c[i].after;
      it->borrowed |= HS_ITEM_NAME;
    }
  return 0;
}

void hs_plan_count(hs_plan *plan)
{
  size_t i;
  memset(plan->counts, 0, sizeof(plan->counts));
  for(i = 0; i < plan->n; i++)
    if(plan->items[i].action >= 0 && plan->items[i].action < HS_ACT_COUNT)
      plan->counts[plan->items[i].action]++;
  plan->counts[HS_ACT_UNCHANGED] += plan->unlisted;
}

static void free_changes(hs_change *c, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    free(c[i].before);
    free(c[i].after);
  }
  free(c);
}

/* A printf into a new string, or NULL. */
static char *vfmt(const char *prefix, const char *fmt, va_list ap)
{
  va_list ap2;
  size_t plen = prefix ? strlen(prefix) : 0;
  int n;
  char *s;
  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if(n < 0 || !(s = malloc(plen + (size_t)n + 1)))
    return NULL;
  if(plen)
    memcpy(s, prefix, plen);
  vsnprintf(s + plen, (size_t)n + 1, fmt, ap);
  return s;
}

int hs_plan_warn(hs_plan *plan, const char *code, const char *fmt, ...)
{
  hs_warning *w = realloc(plan->warnings, (plan->n_warnings + 1) * sizeof(*w));
  va_list ap;
  if(!w)
    return -1;
  plan->warnings = w;
  w = &w[plan->n_warnings];
  va_start(ap, fmt);
  w->message = vfmt(NULL, fmt, ap);
  va_end(ap);
  w->code = strdup(code);
  if(!w->code || !w->message) {
    free(w->code);
    free(w->message);
    return -1;
  }
  plan->n_warnings++;
  return 0;
}

int hs_item_note(hs_plan_item *it, const char *fmt, ...)
{
  hs_buf prefix = HS_BUF_INIT;
  va_list ap;
  char *s;
  if(it->note &&
     (hs_buf_puts(&prefix, it->note) || hs_buf_puts(&prefix, "; "))) {
    hs_buf_free(&prefix);
    return -1;
  }
  va_start(ap, fmt);
  s = vfmt(prefix.len ? hs_buf_str(&prefix) : NULL, fmt, ap);
  va_end(ap);
  hs_buf_free(&prefix);
  if(!s)
    return -1;
  free(it->note);
  it->note = s;
  return 0;
}

/* Frees what an item owns (not the item). */
static void item_free(hs_plan_item *it)
{
  if(!(it->borrowed & HS_ITEM_HRIS_ID))
    free(it->hris_id);
  if(!(it->borrowed & HS_ITEM_NAME))
    free(it->name);
  it->borrowed = 0;
  item_clear_changes(it);
  free_changes(it->kept, it->n_kept);
  free(it->reason);
  free(it->note);
}

void hs_plan_clear(hs_plan *plan)
{
  size_t i;
  for(i = 0; i < plan->n; i++)
    item_free(&plan->items[i]);
  free(plan->unlisted_ids);
  for(i = 0; i < plan->n_warnings; i++) {
    free(plan->warnings[i].code);
    free(plan->warnings[i].message);
  }
  free(plan->warnings);
  free(plan->items);
  free(plan->connector);
  memset(plan, 0, sizeof(*plan));
}

/* An unlisted unchanged record (see hs_plan.unlisted) that a later
** record claimed too: both become conflicts, this one as an item put back
** in its place by hs_planner_finish. */
typedef struct relisted {
  size_t idx; /* registry index */
  unsigned seq;
  char *reason;
} relisted;

/* claim[i] for a stakeholder an unlisted record claimed: the flag and the
** record's number. */
#define CLAIM_UNLISTED ((size_t)1 << (sizeof(size_t) * 8 - 1))

struct hs_planner {
  const hs_registry *reg;
  const hs_config *cfg;
  hs_field_type_fn type;
  void *type_arg;
  hs_matcher *match;
  size_t *claim; /* per registry index: claiming item index + 1, or
                    CLAIM_UNLISTED | its record number */
  relisted *relist;
  size_t n_relist;
  size_t unlisted_cap;
  hs_keyidx *creating; /* hris_id of planned creates -> item index */
  hs_plan plan;
  char today[11];
  const char **wanted; /* HR fields the config uses (borrowed strings) */
  size_t n_wanted;
  hs_strmap *wanted_ix; /* id -> index in wanted */
  unsigned char *seen;  /* per wanted field: 1 some record carried it,
                           2 some record had a value */
  /* The near-duplicate indexes, built when the first create needs them
  ** (a no-change run never does): registry name keys -> registry index
  ** * 2 + which name (display, first + last); e-mail keys -> index. */
  hs_keyidx *dup_name, *dup_email;
  size_t dup_candidates; /* stakeholders made by hand in them */
  const char *remap_from;
  int changed_only; /* an incremental fetch (SDK 1.3): records are only
                       the changed people */

  /* The record path, resolved once per run. A normalised record has a
  ** slot per wanted field (its index in wanted), then the connector's
  ** skip reason, then the old HRIS id field when re-keying. */
  hs_idcache *ids;      /* HR field id -> HS_NF_* for hs_norm_record */
  const void *keyspace; /* of the keys below (host.h) */
  int *by_key;          /* per field key: HS_NF_*, -1 = not yet known */
  const char **key_id;  /* per field key: the id it was known for */
  size_t n_keys;
  hs_nrec nrec; /* refilled per record */
  hs_buf skip;  /* the record's skip reason, reused */
  hs_map map;
  size_t skip_slot;
  long remap_slot;   /* -1: none */
  long *cond_slot;   /* per condition, then per group rule test */
  size_t *group_one; /* per group rule: the first rule naming its group */
};

static hs_rc nomem(hs_err *err)
{
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

/* Registry stakeholder i's name key: of its display name (which 0) or
** of first + last (which 1); NULL when it has none. Freed by the
** caller. */
static char *dup_name_key(const hs_planner *p, size_t i, int which)
{
  char *const *v = p->reg->items[i].v;
  char *both, *key;
  if(!which)
    return hs_namekey(v[HS_SF_NAME]);
  if(!v[HS_SF_FIRST_NAME] || !v[HS_SF_LAST_NAME])
    return NULL;
  both = hs_sh_format_name(v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                           HS_NAME_FIRST_LAST);
  key = hs_namekey(both);
  free(both);
  return key;
}

/* The near-duplicate indexes: every stakeholder's name (its display name
** and first + last) and e-mail, reduced to keys (namekey.h), of which
** only the hashes are kept. A key lists a stakeholder once. */
static int index_duplicates(hs_planner *p)
{
  size_t i;
  if(p->dup_name)
    return 0;
  if(!(p->dup_name = hs_keyidx_new(p->reg->n * 2)) ||
     !(p->dup_email = hs_keyidx_new(p->reg->n)))
    goto fail;
  for(i = 0; i < p->reg->n; i++) {
    char *const *v = p->reg->items[i].v;
    char *name, *both, *email;
    int bad;
    /* Only stakeholders made by hand can be a create's duplicate (see
    ** near_duplicate): synced ones and organisations are never keyed. */
    if(v[HS_SF_HRIS_ID] ||
       (v[HS_SF_TYPE] && !strcmp(v[HS_SF_TYPE], HS_TYPE_ENTITY)))
      continue;
    p->dup_candidates++;
    name = dup_name_key(p, i, 0);
    both = dup_name_key(p, i, 1);
    email = hs_emailkey(v[HS_SF_EMAIL]);
    bad = (name && hs_keyidx_add(p->dup_name, hs_keyidx_hash(name),
                                 (uint32_t)i * 2)) ||
          (both && (!name || strcmp(name, both)) &&
           hs_keyidx_add(p->dup_name, hs_keyidx_hash(both),
                         (uint32_t)i * 2 + 1)) ||
          (email &&
           hs_keyidx_add(p->dup_email, hs_keyidx_hash(email), (uint32_t)i));
    free(name);
    free(both);
    free(email);
    if(bad)
      goto fail;
  }
  return 0;
fail: /* not half built: the next call starts again */
  hs_keyidx_free(p->dup_name);
  hs_keyidx_free(p->dup_email);
  p->dup_name = p->dup_email = NULL;
  p->dup_candidates = 0;
  return -1;
}

/* The slot of a wanted HR field id, or -1. */
static long wanted_slot(void *arg, const char *id)
{
  const hs_planner *p = arg;
  size_t n;
  const size_t *w = hs_strmap_get(p->wanted_ix, id, &n);
  return n ? (long)w[0] : -1;
}

static int planner_type(void *arg, const char *id);

/* What an HR field id means to the normaliser (HS_NF_*); the id cache
** keeps the answer for the rest of the run. */
static int resolve_field(void *arg, const char *id)
{
  const hs_planner *p = arg;
  long slot = wanted_slot(arg, id);
  /* The connector's own rule comes first, even over a config using it. */
  if(!strcmp(id, HRSYNC_FIELD_SKIP_REASON))
    return (int)(p->skip_slot + 1) | HS_NF_RAW;
  if(slot < 0 && p->remap_slot >= 0 && !strcmp(id, p->remap_from))
    slot = p->remap_slot;
  return (int)(slot + 1) |
         (planner_type(arg, id) == HRSYNC_FIELD_DATE ? HS_NF_DATE : 0);
}

/* Keys the planner remembers answers for (the host interns fewer). */
#define MAX_KEYS 8192

/* Room for field key k in by_key; -1 when it cannot be had. */
static int key_room(hs_planner *p, unsigned k)
{
  size_t n = p->n_keys ? p->n_keys : 64, i;
  int *b;
  const char **ids;
  if(k < p->n_keys)
    return 0;
  if(k >= MAX_KEYS)
    return -1;
  while(n <= k)
    n *= 2;
  if(!(b = realloc(p->by_key, n * sizeof(*b))))
    return -1;
  p->by_key = b;
  if(!(ids = realloc(p->key_id, n * sizeof(*ids))))
    return -1;
  p->key_id = ids;
  for(i = p->n_keys; i < n; i++)
    p->by_key[i] = -1;
  p->n_keys = n;
  return 0;
}

/* What field f means to the normaliser: by its key when the host gave
** one (an array lookup), else by its id through the cache. */
static int field_info(void *arg, const hs_record_field *f)
{
  hs_planner *p = arg;
  int info;
  if(f->key && f->key < p->n_keys && p->by_key[f->key] >= 0 &&
     p->key_id[f->key] == f->id)
    return p->by_key[f->key];
  info = hs_idcache_get(p->ids, f->id);
  if(f->key && p->keyspace && !key_room(p, f->key)) {
    p->by_key[f->key] = info;
    p->key_id[f->key] = f->id;
  }
  return info;
}

/* The conditions' and group rules' slots, and which rules name the same
** group. */
static int resolve_tests(hs_planner *p)
{
  const hs_config *cfg = p->cfg;
  size_t i, j, k = 0, n = cfg->n_conds;
  for(i = 0; i < cfg->n_groups; i++)
    n += cfg->groups[i].n_conds;
  if(!(p->cond_slot = calloc(n ? n : 1, sizeof(long))) ||
     !(p->group_one =
           calloc(cfg->n_groups ? cfg->n_groups : 1, sizeof(size_t))))
    return -1;
  for(i = 0; i < cfg->n_conds; i++)
    p->cond_slot[k++] = wanted_slot(p, cfg->conds[i].field);
  for(i = 0; i < cfg->n_groups; i++) {
    for(j = 0; j < cfg->groups[i].n_conds; j++)
      p->cond_slot[k++] = wanted_slot(p, cfg->groups[i].conds[j].field);
    for(j = 0; j < i && strcmp(cfg->groups[j].group, cfg->groups[i].group);
        j++)
      ;
    p->group_one[i] = j;
  }
  return 0;
}

static hs_rc track_wanted(hs_planner *p, hs_err *err)
{
  size_t i;
  hs_rc rc;
  if((rc = hs_config_wanted(p->cfg, &p->wanted, &p->n_wanted, err)))
    return rc;
  if(!(p->seen = calloc(p->n_wanted + 1, 1)) ||
     !(p->wanted_ix = hs_strmap_new()))
    return nomem(err);
  for(i = 0; i < p->n_wanted; i++)
    if(hs_strmap_add(p->wanted_ix, p->wanted[i], i))
      return nomem(err);
  p->skip_slot = p->n_wanted;
  p->remap_slot = -1;
  hs_map_init(&p->map, p->cfg, wanted_slot, p);
  /* A bound far above any connector's field list. */
  if(!(p->ids = hs_idcache_new(resolve_field, p, 4096)) || resolve_tests(p))
    return nomem(err);
  return hs_nrec_init(&p->nrec, p->n_wanted + 2, err);
}

void hs_planner_changed_only(hs_planner *p)
{
  p->changed_only = 1;
}

void hs_planner_remap(hs_planner *p, const char *old_field)
{
  p->remap_from = old_field;
  /* Before the first record, so the id cache has not answered yet. */
  if(*old_field && (p->remap_slot = wanted_slot(p, old_field)) < 0)
    p->remap_slot = (long)p->n_wanted + 1;
}

void hs_planner_registry_fields(const hs_config *cfg,
                                unsigned char need[HS_SF_COUNT])
{
  static const int always[] = {HS_SF_HRIS_ID,    HS_SF_IDENTIFIER, HS_SF_NAME,
                               HS_SF_FIRST_NAME, HS_SF_LAST_NAME,  HS_SF_EMAIL,
                               HS_SF_TYPE,       HS_SF_GROUPS};
  size_t i;
  int f;
  for(f = 0; f < HS_SF_COUNT; f++)
    need[f] = cfg->mapping[f] != NULL;
  for(i = 0; i < sizeof(always) / sizeof(always[0]); i++)
    need[always[i]] = 1;
}

hs_rc hs_planner_new(const hs_registry *reg, const hs_config *cfg,
                     hs_field_type_fn type, void *type_arg, hs_planner **out,
                     hs_err *err)
{
  hs_matcher *m;
  hs_rc rc;
  *out = NULL;
  if((rc = hs_match_new(reg, &m, err)))
    return rc;
  return hs_planner_new_matched(reg, m, cfg, type, type_arg, out, err);
}

hs_rc hs_planner_new_matched(const hs_registry *reg, hs_matcher *m,
                             const hs_config *cfg, hs_field_type_fn type,
                             void *type_arg, hs_planner **out, hs_err *err)
{
  hs_planner *p = calloc(1, sizeof(*p));
  hs_rc rc;
  *out = NULL;
  if(!p) {
    hs_match_free(m);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  p->match = m;
  p->reg = reg;
  p->cfg = cfg;
  p->type = type;
  p->type_arg = type_arg;
  p->claim = calloc(reg->n ? reg->n : 1, sizeof(size_t));
  p->creating = hs_keyidx_new(64);
  if(!p->claim || !p->creating || reg->n >= UINT32_MAX / 2) {
    hs_planner_free(p);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if((rc = track_wanted(p, err))) {
    hs_planner_free(p);
    return rc;
  }
  hs_norm_set_years(cfg->year_min, cfg->year_max);
  hs_norm_today(p->today);
  memcpy(p->plan.fingerprint, reg->fingerprint, sizeof(reg->fingerprint));
  memcpy(p->plan.config_digest, cfg->digest, sizeof(cfg->digest));
  if(!(p->plan.connector = strdup(cfg->connector))) {
    hs_planner_free(p);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  *out = p;
  return HS_OK;
}

void hs_planner_free(hs_planner *p)
{
  size_t i;
  if(!p)
    return;
  hs_match_free(p->match);
  free(p->claim);
  hs_keyidx_free(p->creating);
  hs_keyidx_free(p->dup_name);
  hs_keyidx_free(p->dup_email);
  hs_strmap_free(p->wanted_ix);
  free(p->wanted);
  free(p->seen);
  hs_idcache_free(p->ids);
  free(p->by_key);
  free(p->key_id);
  hs_nrec_free(&p->nrec);
  hs_buf_free(&p->skip);
  free(p->cond_slot);
  free(p->group_one);
  for(i = 0; i < p->n_relist; i++)
    free(p->relist[i].reason);
  free(p->relist);
  hs_plan_clear(&p->plan);
  free(p);
}

/* Turns an item into a conflict: its changes are dropped, never applied. */
static int make_conflict(hs_plan_item *it, const char *reason)
{
  if(own_strings(it))
    return -1;
  item_clear_changes(it);
  it->action = HS_ACT_CONFLICT;
  free(it->reason);
  it->reason = strdup(reason);
  return it->reason ? 0 : -1;
}

static const char *sh_label(const hs_sh *sh)
{
  return sh->v[HS_SF_NAME] ? sh->v[HS_SF_NAME] : "";
}

/* A termination date after today means "leaving", not "left" (issue 10
** case 4): the conditions and group rules see no termination date yet,
** so the person stays active until the day comes. */
static const char *rec_value(const hs_planner *p, const hs_nrec *r, long slot)
{
  const char *v = slot >= 0 ? hs_nrec_get(r, (size_t)slot, NULL) : NULL;
  if(v && slot == p->map.slot[HS_SF_TERMINATION_DATE] &&
     strcmp(v, p->today) > 0)
    return NULL;
  return v;
}

/* Whether the ";"-separated list has group g (as hs_groups_add sees it). */
static int has_group(const char *list, const char *g)
{
  size_t glen = strlen(g);
  const char *q;
  for(; list && *list; list = *q ? q + 1 : q) {
    q = strchr(list, ';');
    if(!q)
      q = list + strlen(list);
    if((size_t)(q - list) == glen && !memcmp(list, g, glen))
      return 1;
  }
  return 0;
}

/* The group rules' verdicts for r into hit[n_groups]: whether each
** rule's group should be there. 1 when that differs from current. */
static int rule_hits(const hs_planner *p, const hs_nrec *r,
                     const char *current, unsigned char *hit)
{
  const hs_config *cfg = p->cfg;
  const long *slot = p->cond_slot + cfg->n_conds;
  size_t i, j;
  int change = 0;
  for(i = 0; i < cfg->n_groups; slot += cfg->groups[i++].n_conds) {
    const hs_group_rule *g = &cfg->groups[i];
    hit[i] = 1;
    for(j = 0; j < g->n_conds && hit[i]; j++)
      hit[i] =
          (unsigned char)hs_cond_eval(&g->conds[j], rec_value(p, r, slot[j]));
  }
  /* Two rules may name one group: it stays if either matches. */
  for(i = 0; i < cfg->n_groups; i++)
    if(hit[i] && p->group_one[i] != i)
      hit[p->group_one[i]] = 1;
  for(i = 0; i < cfg->n_groups; i++) {
    hit[i] = hit[p->group_one[i]];
    change |= hit[i] != has_group(current, cfg->groups[i].group);
  }
  return change;
}

/* The groups after the rules: a group named by a rule is the rules' to
** manage (added while a rule for it matches, removed when none does, so a
** rehired person leaves "Ex-employee"); other groups are left alone. When
** that changes current, *changed is 1 and the result is a new string in
** *out (NULL = no groups); otherwise *changed is 0 and *out NULL (nothing
** allocated: the usual case of a no-change run). */
static hs_rc rule_groups(const hs_planner *p, const hs_nrec *r,
                         const char *current, char **out, int *changed,
                         hs_err *err)
{
  const hs_config *cfg = p->cfg;
  unsigned char small[32], *hit = small;
  size_t i;
  hs_rc rc = HS_OK;
  *out = NULL;
  *changed = 0;
  if(!cfg->n_groups)
    return HS_OK;
  if(cfg->n_groups > sizeof(small) && !(hit = malloc(cfg->n_groups)))
    return nomem(err);
  if(!rule_hits(p, r, current, hit))
    goto done;
  *changed = 1;
  if(current && !(*out = strdup(current))) {
    rc = nomem(err);
    goto done;
  }
  for(i = 0; i < cfg->n_groups; i++)
    if((hit[i] ? hs_groups_add(out, cfg->groups[i].group)
               : hs_groups_remove(out, cfg->groups[i].group)) < 0) {
      free(*out);
      *out = NULL;
      rc = nomem(err);
      goto done;
    }
done:
  if(hit != small)
    free(hit);
  return rc;
}

static int differs(const char *a, const char *b)
{
  if(!a || !b)
    return a != b;
  return strcmp(a, b) != 0;
}

static int add_kept(hs_plan_item *it, int f, const char *value)
{
  hs_change *c = realloc(it->kept, (it->n_kept + 1) * sizeof(*c));
  if(!c)
    return -1;
  it->kept = c;
  c = &c[it->n_kept++];
  c->field = f;
  c->after = NULL;
  return (c->before = strdup(value)) ? 0 : -1;
}

/* The value an update leaves in field f: its change's after, else the
** stakeholder's. */
static const char *after_update(const hs_plan_item *it, const hs_sh *sh, int f,
                                int *changed)
{
  hs_change c[HS_ITEM_MAX_CHANGES];
  size_t i, n = hs_item_changes(it, c);
  for(i = 0; i < n; i++)
    if(c[i].field == f) {
      *changed = 1;
      return c[i].after; /* in the item's block: valid until it changes */
    }
  return sh->v[f];
}

/* Names follow (issue 10 case 7): when first or last name change and the
** display name is the one hrsync built from them, it is rebuilt; a name
** set by hand is kept, and the plan says so. */
static hs_rc follow_name(const hs_planner *p, hs_plan_item *it,
                         const hs_sh *sh, hs_err *err)
{
  int changed = 0, built = 0, fmt;
  const char *first = after_update(it, sh, HS_SF_FIRST_NAME, &changed);
  const char *last = after_update(it, sh, HS_SF_LAST_NAME, &changed);
  char *now;
  if(!changed)
    return HS_OK;
  for(fmt = HS_NAME_FIRST_LAST; fmt <= HS_NAME_LAST_FIRST && !built; fmt++) {
    char *old = hs_sh_format_name(sh->v[HS_SF_FIRST_NAME],
                                  sh->v[HS_SF_LAST_NAME], fmt);
    built = !sh->v[HS_SF_NAME] || (old && !strcmp(old, sh->v[HS_SF_NAME]));
    free(old);
  }
  if(!(now = hs_sh_format_name(first, last, p->cfg->name_format)))
    return HS_OK; /* both names gone: keep what is there */
  if(sh->v[HS_SF_NAME] && !strcmp(sh->v[HS_SF_NAME], now)) {
    free(now); /* already the name they make */
    return HS_OK;
  }
  if(built && differs(sh->v[HS_SF_NAME], now)) {
    if(hs_item_add_change(it, HS_SF_NAME, sh->v[HS_SF_NAME], now)) {
      free(now);
      return nomem(err);
    }
  }
  else if(!built && hs_item_note(it,
                                 "name \"%s\" kept: it was set by hand, "
                                 "not built from the first and last name "
                                 "(now \"%s\")",
                                 sh->v[HS_SF_NAME], now)) {
    free(now);
    return nomem(err);
  }
  free(now);
  return HS_OK;
}

/* Field diffs for an existing stakeholder. only_left: a filtered-out
** record updates nothing but its groups and termination date. An empty
** HR value keeps the registry's value unless the config says
** "on_empty": {field: "clear"} (issue 10 case 3). */
static hs_rc diff_existing(const hs_planner *p, hs_plan_item *it,
                           const hs_sh *sh, const hs_nrec *r,
                           const char *v[HS_SF_COUNT],
                           const int present[HS_SF_COUNT], int only_left,
                           hs_err *err)
{
  char *groups = NULL;
  hs_rc rc;
  int f, changed;
  for(f = 0; f < HS_SF_COUNT; f++) {
    if(!hs_sf_mappable(f) || !present[f])
      continue;
    if(only_left && f != HS_SF_TERMINATION_DATE)
      continue;
    /* Match keys are never cleared by an empty HR value. */
    if(!v[f] && (f == HS_SF_HRIS_ID || f == HS_SF_IDENTIFIER))
      continue;
    if(!v[f] && sh->v[f] && p->cfg->on_empty[f] == HS_ON_EMPTY_KEEP) {
      if(add_kept(it, f, sh->v[f]))
        return nomem(err);
      continue;
    }
    if(differs(sh->v[f], v[f]) && hs_item_add_change(it, f, sh->v[f], v[f]))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(!only_left && (rc = follow_name(p, it, sh, err)))
    return rc;
  if(!only_left && differs(sh->v[HS_SF_TYPE], HS_TYPE_PERSON) &&
     hs_item_add_change(it, HS_SF_TYPE, sh->v[HS_SF_TYPE], HS_TYPE_PERSON))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((rc = rule_groups(p, r, sh->v[HS_SF_GROUPS], &groups, &changed, err)))
    return rc;
  if(changed && differs(sh->v[HS_SF_GROUPS], groups) &&
     hs_item_add_change(it, HS_SF_GROUPS, sh->v[HS_SF_GROUPS], groups)) {
    free(groups);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  free(groups);
  return HS_OK;
}

/* The first claimant of stakeholder idx was an unlisted unchanged
** record: it becomes a conflict item again (reason replaced when a third
** record claims it), placed by hs_planner_finish. */
static int relist_conflict(hs_planner *p, size_t idx, const char *reason)
{
  size_t i;
  relisted *r;
  char *why = strdup(reason);
  if(!why)
    return -1;
  for(i = 0; i < p->n_relist && p->relist[i].idx != idx; i++)
    ;
  if(i == p->n_relist) {
    if(!(r = realloc(p->relist, (p->n_relist + 1) * sizeof(*r)))) {
      free(why);
      return -1;
    }
    p->relist = r;
    r[p->n_relist].idx = idx;
    r[p->n_relist].seq = (unsigned)(p->claim[idx] & ~CLAIM_UNLISTED);
    r[p->n_relist++].reason = NULL;
  }
  free(p->relist[i].reason);
  p->relist[i].reason = why;
  return 0;
}

/* A second record claims a stakeholder: neither may have it. */
static hs_rc claim_conflict(hs_planner *p, size_t idx, hs_plan_item *it,
                            hs_err *err)
{
  int unlisted = (p->claim[idx] & CLAIM_UNLISTED) != 0;
  hs_plan_item *first = unlisted ? NULL : &p->plan.items[p->claim[idx] - 1];
  const hs_sh *sh = &p->reg->items[idx];
  hs_buf why = HS_BUF_INIT;
  int bad = hs_buf_printf(&why,
                          "stakeholder #%lld \"%s\" is claimed by two "
                          "records: HRIS ids %s and %s",
                          sh->id, sh_label(sh),
                          first ? first->hris_id : sh->v[HS_SF_HRIS_ID],
                          it->hris_id);
  if(bad ||
     (first ? make_conflict(first, hs_buf_str(&why))
            : relist_conflict(p, idx, hs_buf_str(&why))) ||
     make_conflict(it, hs_buf_str(&why))) {
    hs_buf_free(&why);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  hs_buf_free(&why);
  return HS_OK;
}

/* A matched item shows its stakeholder's name. */
static hs_rc name_item(hs_plan_item *it, const hs_sh *sh, hs_err *err)
{
  if(!(it->name = strdup(sh_label(sh))))
    return nomem(err);
  return HS_OK;
}

/* An unchanged record with nothing to show is counted, not kept: at
** 100,000 people a no-change run would otherwise hold an item and two
** strings per person that nothing reads. Only the just-pushed item of
** the record being planned (the last one) is dropped; the stakeholder
** stays claimed. It must be exactly what an item would say: the
** stakeholder's own HRIS id and name. */
static hs_rc unlist(hs_planner *p, hs_plan_item *it, size_t idx, hs_err *err)
{
  const hs_sh *sh = &p->reg->items[idx];
  /* Its name would be the stakeholder's (plan_matched gives it that one
  ** only when it is kept). */
  if(it != &p->plan.items[p->plan.n - 1] || it->note || it->n_kept ||
     it->reason || !sh->v[HS_SF_HRIS_ID] || !it->hris_id ||
     strcmp(it->hris_id, sh->v[HS_SF_HRIS_ID]))
    return name_item(it, sh, err);
  if(p->plan.unlisted == p->unlisted_cap) {
    size_t cap = p->unlisted_cap ? p->unlisted_cap * 2 : 64;
    long long *n = realloc(p->plan.unlisted_ids, cap * sizeof(*n));
    if(!n)
      return nomem(err);
    p->plan.unlisted_ids = n;
    p->unlisted_cap = cap;
  }
  p->plan.unlisted_ids[p->plan.unlisted++] = sh->id;
  p->claim[idx] = CLAIM_UNLISTED | it->seq;
  item_free(it);
  memset(it, 0, sizeof(*it));
  p->plan.n--;
  return HS_OK;
}

/* The registry index of a candidate under key in a duplicate index
** (k 0: names, 1: e-mails), checked against the stakeholder's own key;
** -1 when none is left, -2 on no memory. */
static long dup_next(const hs_planner *p, int k, const char *key,
                     hs_keyidx_iter *it)
{
  uint32_t v;
  while(hs_keyidx_next(it, &v)) {
    size_t i = k ? v : v / 2;
    char *own = k ? hs_emailkey(p->reg->items[i].v[HS_SF_EMAIL])
                  : dup_name_key(p, i, (int)(v % 2));
    int same = own && !strcmp(own, key);
    free(own);
    if(same)
      return (long)i;
  }
  return -1;
}

/* A registry stakeholder the new record may duplicate: same name key
** (namekey.h) or same e-mail, not synced from another record, not an
** organisation. -1 when none; *how says which; -2 on no memory. */
static long near_duplicate(hs_planner *p, const hs_plan_item *it,
                           const char *email, const char *ident,
                           const char **how)
{
  char *keys[2];
  long found = -1;
  int k;
  if(!p->reg->n)
    return -1; /* nobody to duplicate: no keys to compute */
  if(index_duplicates(p))
    return -2;
  if(!p->dup_candidates)
    return -1; /* every stakeholder synced */
  keys[0] = hs_namekey(it->name);
  keys[1] = hs_emailkey(email);
  for(k = 0; k < 2 && found < 0; k++) {
    hs_keyidx_iter iter;
    long i;
    if(!keys[k])
      continue;
    hs_keyidx_find(k ? p->dup_email : p->dup_name, hs_keyidx_hash(keys[k]),
                   &iter);
    while(found < 0 && (i = dup_next(p, k, keys[k], &iter)) >= 0) {
      const hs_sh *sh = &p->reg->items[i];
      const char *type = sh->v[HS_SF_TYPE];
      if(sh->v[HS_SF_HRIS_ID] || p->claim[i] ||
         (type && !strcmp(type, HS_TYPE_ENTITY)))
        continue;
      /* Another identifier says it is someone else (case 6). */
      if(ident && sh->v[HS_SF_IDENTIFIER] &&
         strcmp(ident, sh->v[HS_SF_IDENTIFIER]))
        continue;
      found = i;
      *how = k ? "the same e-mail address"
               : "the same name once accents, case, spacing and name order "
                 "are ignored";
    }
  }
  free(keys[0]);
  free(keys[1]);
  return found;
}

/* Flags (or, with "duplicates": "conflict", refuses) a create that looks
** like a stakeholder made by hand (issue 10 case 5). 1 = made a conflict. */
static int flag_duplicate(hs_planner *p, hs_plan_item *it,
                          const char *v[HS_SF_COUNT], hs_err *err)
{
  const char *how = NULL;
  long idx;
  const hs_sh *sh;
  hs_buf why = HS_BUF_INIT, fix = HS_BUF_INIT;
  int bad, conflict = p->cfg->duplicates == HS_DUP_CONFLICT;
  idx = near_duplicate(p, it, v[HS_SF_EMAIL], v[HS_SF_IDENTIFIER], &how);
  if(idx == -2) {
    hs_err_set(err, HS_E_NOMEM, "out of memory");
    return -1;
  }
  if(idx < 0)
    return 0;
  sh = &p->reg->items[idx];
  if(v[HS_SF_IDENTIFIER])
    bad = hs_buf_printf(&fix,
                        "give #%lld the identifier %s (export, edit, "
                        "import) or run `hrsync link %lld %s`",
                        sh->id, v[HS_SF_IDENTIFIER], sh->id, it->hris_id);
  else
    bad =
        hs_buf_printf(&fix, "run `hrsync link %lld %s`", sh->id, it->hris_id);
  bad = bad || hs_buf_printf(&why,
                             "possible duplicate of #%lld \"%s\" (%s); if "
                             "it is the same person, %s",
                             sh->id, sh_label(sh), how, hs_buf_str(&fix));
  if(!bad && conflict)
    bad = make_conflict(it, hs_buf_str(&why));
  else if(!bad)
    bad = hs_item_note(it, "%s", hs_buf_str(&why)) ||
          hs_plan_warn(&p->plan, "possible_duplicate", "%s %s: %s",
                       it->hris_id, it->name, hs_buf_str(&why));
  hs_buf_free(&why);
  hs_buf_free(&fix);
  if(bad) {
    hs_err_set(err, HS_E_NOMEM, "out of memory");
    return -1;
  }
  return conflict;
}

/* The item index of the create planned for hris_id, or -1. */
static long planned_create(const hs_planner *p, const char *hris_id)
{
  hs_keyidx_iter iter;
  uint32_t v;
  hs_keyidx_find(p->creating, hs_keyidx_hash(hris_id), &iter);
  while(hs_keyidx_next(&iter, &v))
    if(p->plan.items[v].hris_id && !strcmp(p->plan.items[v].hris_id, hris_id))
      return (long)v;
  return -1;
}

static hs_rc plan_create(hs_planner *p, hs_plan_item *it, const hs_nrec *r,
                         const char *v[HS_SF_COUNT], hs_err *err)
{
  char *groups = NULL;
  long prev = planned_create(p, it->hris_id);
  const char *after[HS_SF_COUNT + 2];
  int field[HS_SF_COUNT + 2];
  size_t n = 0;
  hs_rc rc;
  int f, changed;
  if(!it->name) {
    it->action = HS_ACT_SKIPPED;
    it->reason = strdup("no first_name or last_name to build a name from");
    return it->reason ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(prev >= 0) {
    hs_buf why = HS_BUF_INIT;
    if(hs_buf_printf(&why, "two records share the HRIS id %s", it->hris_id) ||
       make_conflict(&p->plan.items[prev], hs_buf_str(&why)) ||
       make_conflict(it, hs_buf_str(&why))) {
      hs_buf_free(&why);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    hs_buf_free(&why);
    return HS_OK;
  }
  switch(flag_duplicate(p, it, v, err)) {
  case -1:
    return HS_E_NOMEM;
  case 1:
    return HS_OK;
  }
  it->action = HS_ACT_CREATE;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(hs_sf_mappable(f) && v[f]) {
      field[n] = f;
      after[n++] = v[f];
    }
  field[n] = HS_SF_NAME;
  after[n++] = it->name;
  field[n] = HS_SF_TYPE;
  after[n++] = HS_TYPE_PERSON;
  if((rc = rule_groups(p, r, NULL, &groups, &changed, err)))
    return rc;
  if(changed && groups) {
    field[n] = HS_SF_GROUPS;
    after[n++] = groups;
  }
  f = set_created(it, field, after, n);
  free(groups);
  if(f)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(hs_keyidx_add(p->creating, hs_keyidx_hash(it->hris_id),
                   (uint32_t)(p->plan.n - 1)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  return HS_OK;
}

static hs_rc plan_matched(hs_planner *p, hs_plan_item *it, size_t idx,
                          const hs_nrec *r, const char *v[HS_SF_COUNT],
                          const int present[HS_SF_COUNT], int only_left,
                          hs_err *err)
{
  const hs_sh *sh = &p->reg->items[idx];
  hs_rc rc;
  it->sh_id = sh->id;
  free(it->name);
  it->name = NULL;
  if(p->claim[idx])
    return (rc = name_item(it, sh, err)) ? rc
                                         : claim_conflict(p, idx, it, err);
  p->claim[idx] = p->plan.n; /* this item's index + 1 */
  /* The item's name, the stakeholder's, is copied once it is known to be
  ** kept: an unchanged record mostly is not (unlist). Nothing on the way
  ** reads it. */
  if((rc = diff_existing(p, it, sh, r, v, present, only_left, err)))
    return rc;
  if(!only_left)
    it->action = it->n_changes ? HS_ACT_UPDATE : HS_ACT_UNCHANGED;
  if(it->action == HS_ACT_UNCHANGED)
    return unlist(p, it, idx, err);
  return name_item(it, sh, err);
}

/* Same HRIS id, but name and birth date both changed: the HR system may
** have given a departed person's id to someone new. Flagged, not
** guessed about. */
static hs_rc check_same_person(hs_planner *p, hs_plan_item *it,
                               const hs_sh *sh, const char *v[HS_SF_COUNT],
                               hs_err *err)
{
  char *now, *was, *was2, *full;
  int name_changed;
  if(!v[HS_SF_BIRTH_DATE] || !sh->v[HS_SF_BIRTH_DATE] ||
     !strcmp(v[HS_SF_BIRTH_DATE], sh->v[HS_SF_BIRTH_DATE]))
    return HS_OK;
  full = hs_sh_format_name(v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                           HS_NAME_FIRST_LAST);
  now = hs_namekey(full);
  was = hs_namekey(sh->v[HS_SF_NAME]);
  free(full);
  full = hs_sh_format_name(sh->v[HS_SF_FIRST_NAME], sh->v[HS_SF_LAST_NAME],
                           HS_NAME_FIRST_LAST);
  was2 = hs_namekey(full);
  free(full);
  name_changed =
      now && (!was || strcmp(now, was)) && (!was2 || strcmp(now, was2));
  free(now);
  free(was);
  free(was2);
  if(!name_changed)
    return HS_OK;
  if(hs_item_note(it,
                  "HRIS id %s now carries another name and birth date "
                  "(born %s, was %s): check the HR system did not reuse "
                  "the id",
                  it->hris_id, v[HS_SF_BIRTH_DATE], sh->v[HS_SF_BIRTH_DATE]) ||
     hs_plan_warn(&p->plan, "hris_id_person_changed",
                  "#%lld \"%s\": HRIS id %s now carries another name and "
                  "birth date; check the HR system did not reuse the id",
                  sh->id, sh_label(sh), it->hris_id))
    return nomem(err);
  return HS_OK;
}

static hs_rc plan_conflict(hs_planner *p, hs_plan_item *it, const hs_match *m,
                           const char *key, hs_err *err)
{
  const hs_sh *a = &p->reg->items[m->idx[0]], *b = &p->reg->items[m->idx[1]];
  hs_buf why = HS_BUF_INIT;
  it->action = HS_ACT_CONFLICT;
  if(hs_buf_printf(&why,
                   "%zu stakeholders match by %s \"%s\": #%lld \"%s\" and "
                   "#%lld \"%s\"",
                   m->n, hs_match_level_name(m->level), key, a->id,
                   sh_label(a), b->id, sh_label(b))) {
    hs_buf_free(&why);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  it->reason = hs_buf_steal(&why);
  return it->reason ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}

/* The stakeholder synced from this record before, or -1; when re-keying
** (hs_planner_remap) through the HR field that was the HRIS id. */
static long synced_index(const hs_planner *p, const hs_nrec *r,
                         const char *hris_id)
{
  if(p->remap_from) {
    /* "" = the record's own id was the HRIS id before. */
    const char *old = p->remap_slot >= 0
                          ? hs_nrec_get(r, (size_t)p->remap_slot, NULL)
                          : r->hris_id;
    return old ? hs_match_by_hris_id(p->match, old) : -1;
  }
  return hs_match_by_hris_id(p->match, hris_id);
}

/* The name a record's item shows (matched items show the stakeholder's
** instead, so they never build it). */
static void record_name(const hs_planner *p, hs_plan_item *it,
                        const char *v[HS_SF_COUNT])
{
  it->name = hs_sh_format_name(v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                               p->cfg->name_format);
}

/* The record with every stage applied; it is the item just pushed. */
static hs_rc plan_record(hs_planner *p, hs_plan_item *it, const hs_nrec *r,
                         hs_buf *skip, hs_err *err)
{
  const char *v[HS_SF_COUNT];
  int present[HS_SF_COUNT];
  size_t i;
  hs_match m;
  hs_rc rc;
  hs_map_record(&p->map, r, v, present);
  if(!(it->hris_id = strdup(v[HS_SF_HRIS_ID])))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(v[HS_SF_TERMINATION_DATE] &&
     strcmp(v[HS_SF_TERMINATION_DATE], p->today) > 0 &&
     hs_item_note(it, "leaving on %s", v[HS_SF_TERMINATION_DATE]))
    return nomem(err);
  if(skip->len) {
    long idx = synced_index(p, r, v[HS_SF_HRIS_ID]);
    p->plan.hris_hits += idx >= 0;
    record_name(p, it, v);
    it->action = HS_ACT_SKIPPED;
    it->reason = hs_buf_steal(skip);
    /* A synced person whose record is unusable this time is skipped, not
    ** reported as gone from the HR system. */
    if(idx >= 0 && !p->claim[idx]) {
      p->claim[idx] = p->plan.n;
      it->sh_id = p->reg->items[idx].id;
    }
    return it->reason ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  for(i = 0; i < p->cfg->n_conds; i++) {
    const hs_cond *c = &p->cfg->conds[i];
    const char *val = rec_value(p, r, p->cond_slot[i]);
    long idx;
    if(hs_cond_eval(c, val))
      continue;
    if(hs_cond_describe(c, val, skip))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    idx = synced_index(p, r, v[HS_SF_HRIS_ID]);
    p->plan.hris_hits += idx >= 0;
    if(idx < 0) {
      record_name(p, it, v);
      it->action = HS_ACT_SKIPPED;
      it->reason = hs_buf_steal(skip);
      return it->reason ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    /* Someone we synced before no longer passes the conditions: left,
    ** with the group rules (e.g. "Ex-employee") still applied. */
    it->action = HS_ACT_LEFT;
    {
      hs_buf why = HS_BUF_INIT;
      if(hs_buf_printf(&why, "filtered out: %s", hs_buf_str(skip)))
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
      it->reason = hs_buf_steal(&why);
      hs_buf_reset(skip);
      if(!it->reason)
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    return plan_matched(p, it, (size_t)idx, r, v, present, 1, err);
  }
  if(p->remap_from) {
    long idx = synced_index(p, r, v[HS_SF_HRIS_ID]);
    if(idx >= 0)
      return plan_matched(p, it, (size_t)idx, r, v, present, 0, err);
  }
  if(hs_match_find(p->match, v[HS_SF_HRIS_ID], v[HS_SF_IDENTIFIER],
                   v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME], &m))
    return nomem(err);
  p->plan.hris_hits += m.level == HS_MATCH_HRIS_ID;
  if(m.level == HS_MATCH_HRIS_ID && m.n == 1 &&
     (rc = check_same_person(p, it, &p->reg->items[m.idx[0]], v, err)))
    return rc;
  if(m.n != 1)
    record_name(p, it, v);
  if(m.n > 1)
    return plan_conflict(p, it, &m,
                         m.level == HS_MATCH_HRIS_ID ? v[HS_SF_HRIS_ID]
                         : m.level == HS_MATCH_IDENTIFIER
                             ? v[HS_SF_IDENTIFIER]
                             : (it->name ? it->name : ""),
                         err);
  if(m.n == 1)
    return plan_matched(p, it, m.idx[0], r, v, present, 0, err);
  return plan_create(p, it, r, v, err);
}

/* A field's type for normalisation: what the connector says, except that
** an HR field mapped to a stakeholder date is a date whatever it was
** declared as (or when the connector lists no fields): the store keeps
** ISO dates only. */
static int planner_type(void *arg, const char *id)
{
  const hs_planner *p = arg;
  int f;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(hs_sf_is_date(f) && p->cfg->mapping[f] &&
       !strcmp(p->cfg->mapping[f], id))
      return HRSYNC_FIELD_DATE;
  return p->type ? p->type(p->type_arg, id) : -1;
}

hs_rc hs_planner_add(hs_planner *p, const hs_record *rec, hs_err *err)
{
  hs_nrec *r = &p->nrec;
  hs_plan_item *it;
  size_t i;
  hs_rc rc;
  if(!(it = hs_plan_push(&p->plan)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  p->plan.records++;
  hs_buf_reset(&p->skip);
  if(rec->keyspace != p->keyspace) {
    /* Keys of another source mean other ids. */
    for(i = 0; i < p->n_keys; i++)
      p->by_key[i] = -1;
    p->keyspace = rec->keyspace;
  }
  if((rc = hs_norm_record(rec, field_info, p, r, &p->skip, err)))
    return rc;
  for(i = 0; i < p->n_wanted; i++)
    if(r->present[i] && p->seen[i] < 2)
      p->seen[i] = r->value[i] ? 2 : 1;
  if(r->present[p->skip_slot]) {
    /* The connector's own rule wins over a date problem. */
    const char *reserved = r->value[p->skip_slot];
    hs_buf_reset(&p->skip);
    if(hs_buf_puts(&p->skip, reserved && *reserved
                                 ? reserved
                                 : "skipped by the connector"))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  return plan_record(p, it, r, &p->skip, err);
}

const hs_plan *hs_planner_plan(const hs_planner *p)
{
  return &p->plan;
}

static int by_seq(const void *a, const void *b)
{
  unsigned x = ((const relisted *)a)->seq, y = ((const relisted *)b)->seq;
  return x < y ? -1 : x > y;
}

/* Drops stakeholder id from the unlisted ones. */
static void drop_unlisted(hs_plan *plan, long long id)
{
  size_t i, k = 0;
  for(i = 0; i < plan->unlisted; i++)
    if(plan->unlisted_ids[i] != id)
      plan->unlisted_ids[k++] = plan->unlisted_ids[i];
  plan->unlisted = k;
}

/* Puts the relisted conflicts among the record items, in record order. */
static hs_rc place_relisted(hs_planner *p, hs_err *err)
{
  size_t n = p->plan.n + p->n_relist, i, j = 0, k = 0;
  hs_plan_item *items;
  int oom = 0;
  if(!p->n_relist)
    return HS_OK;
  if(!(items = calloc(n, sizeof(*items))))
    return nomem(err);
  qsort(p->relist, p->n_relist, sizeof(*p->relist), by_seq);
  for(i = 0; i < n; i++) {
    if(k < p->n_relist &&
       (j == p->plan.n || p->relist[k].seq < p->plan.items[j].seq)) {
      const hs_sh *sh = &p->reg->items[p->relist[k].idx];
      hs_plan_item *it = &items[i];
      it->action = HS_ACT_CONFLICT;
      it->seq = p->relist[k].seq;
      it->sh_id = sh->id;
      it->reason = p->relist[k].reason;
      p->relist[k++].reason = NULL;
      it->hris_id = strdup(sh->v[HS_SF_HRIS_ID]);
      it->name = strdup(sh_label(sh));
      drop_unlisted(&p->plan, sh->id);
      oom |= !it->hris_id || !it->name;
    }
    else
      items[i] = p->plan.items[j++];
  }
  free(p->plan.items);
  p->plan.items = items;
  p->plan.n = p->plan.cap = n;
  p->n_relist = 0;
  return oom ? nomem(err) : HS_OK;
}

hs_rc hs_planner_finish(hs_planner *p, hs_plan *out, hs_err *err)
{
  size_t i;
  hs_rc rc;
  if((rc = place_relisted(p, err)))
    return rc;
  p->plan.from_records = p->plan.n;
  for(i = 0; i < p->reg->n; i++) {
    const hs_sh *sh = &p->reg->items[i];
    hs_plan_item *it;
    if(p->claim[i] || !sh->v[HS_SF_HRIS_ID])
      continue;
    if(!(it = hs_plan_push(&p->plan)))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    it->action = HS_ACT_LEFT;
    it->sh_id = sh->id;
    it->hris_id = strdup(sh->v[HS_SF_HRIS_ID]);
    it->name = strdup(sh_label(sh));
    it->reason = strdup("no longer returned by the HR system");
    if(!it->hris_id || !it->name || !it->reason)
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  hs_plan_count(&p->plan);
  p->plan.registry = p->reg->n;
  for(i = 0; i < p->reg->n; i++)
    if(p->reg->items[i].v[HS_SF_HRIS_ID])
      p->plan.synced++;
  *out = p->plan;
  memset(&p->plan, 0, sizeof(p->plan));
  return HS_OK;
}

/* 2: some record had a value for it; 1: some record carried it, empty;
** 0: none carried it. */
static int field_seen(const hs_planner *p, const char *id)
{
  size_t n;
  const size_t *w = hs_strmap_get(p->wanted_ix, id, &n);
  return n ? p->seen[w[0]] : 0;
}

/* One condition on a field the run did not see: refused, unless allowed. */
static hs_rc cond_withheld(hs_planner *p, const hs_cond *c, const char *where,
                           hs_withheld_fn withheld, void *arg, hs_err *err)
{
  const char *why = withheld ? withheld(arg, c->field) : NULL;
  hs_buf test = HS_BUF_INIT;
  hs_rc rc;
  if(hs_config_allows_empty(p->cfg, c) ||
     (!why &&
      (!p->plan.records || p->changed_only || field_seen(p, c->field) == 2)))
    return HS_OK;
  if(hs_cond_describe(c, NULL, &test))
    return nomem(err);
  /* The test alone, without describe's " (was empty)". */
  if(test.len > 12 && !strcmp(test.data + test.len - 12, " (was empty)"))
    test.data[test.len -= 12] = 0;
  if(why)
    rc =
        hs_err_set(err, HS_E_REFUSED,
                   "%s: %s tests %s, which %s says this API key may not "
                   "see%s%s%s; the condition cannot be trusted, so nothing "
                   "was planned: grant the key read access to %s (or, if it "
                   "is empty for everyone, add \"allow_empty\": [\"%s\"])",
                   p->cfg->path, where, c->field, p->cfg->connector,
                   *why ? " (" : "", why, *why ? ")" : "", c->field, c->field);
  else
    rc = hs_err_set(err, HS_E_REFUSED,
                    "%s: %s tests %s, but none of the %zu records carried a "
                    "value for it (the HR system withholds it from this API "
                    "key?), so `%s` would hold for everyone; nothing was "
                    "planned: grant the key read access to %s (or, if it is "
                    "empty for everyone, add \"allow_empty\": [\"%s\"])",
                    p->cfg->path, where, c->field, p->plan.records,
                    hs_buf_str(&test), c->field, c->field);
  hs_buf_free(&test);
  return rc;
}

/* A mapped field the connector withheld, or that no record carried at
** all: its registry values are kept, but say so. (One carried empty by
** everyone, like a termination date nobody has yet, is no news.) */
static hs_rc mapped_withheld(hs_planner *p, hs_withheld_fn withheld, void *arg,
                             hs_err *err)
{
  int f;
  size_t i;
  for(f = 0; f < HS_SF_COUNT; f++) {
    const char *id = p->cfg->mapping[f], *why;
    int allowed = 0;
    if(!id || f == HS_SF_HRIS_ID)
      continue;
    for(i = 0; i < p->cfg->n_allow_empty; i++)
      allowed |= !strcmp(p->cfg->allow_empty[i], id);
    why = withheld ? withheld(arg, id) : NULL;
    if(allowed ||
       (!why && (!p->plan.records || p->changed_only || field_seen(p, id))))
      continue; /* carried, even if empty */
    if(hs_plan_warn(&p->plan, "withheld_field",
                    "mapping.%s: %s %s; registry values of %s are kept "
                    "(grant the API key read access to %s)",
                    hs_sf_name(f), id,
                    why ? "is withheld from this API key" : "was in no record",
                    hs_sf_name(f), id))
      return nomem(err);
  }
  return HS_OK;
}

hs_rc hs_planner_check_withheld(hs_planner *p, hs_withheld_fn withheld,
                                void *arg, hs_err *err)
{
  const hs_config *cfg = p->cfg;
  size_t i, j;
  char where[160];
  hs_rc rc;
  for(i = 0; i < cfg->n_conds; i++) {
    snprintf(where, sizeof(where), "conditions[%zu]", i);
    if((rc = cond_withheld(p, &cfg->conds[i], where, withheld, arg, err)))
      return rc;
  }
  for(i = 0; i < cfg->n_groups; i++)
    for(j = 0; j < cfg->groups[i].n_conds; j++) {
      snprintf(where, sizeof(where), "groups[%zu].if[%zu] (group \"%.40s\")",
               i, j, cfg->groups[i].group);
      if((rc = cond_withheld(p, &cfg->groups[i].conds[j], where, withheld, arg,
                             err)))
        return rc;
    }
  return mapped_withheld(p, withheld, arg, err);
}

size_t hs_mass_limit(size_t synced, double share)
{
  double lim = share * (double)synced;
  size_t n = lim >= (double)synced ? synced : (size_t)lim;
  return n < 1 ? 1 : n;
}

hs_rc hs_plan_check_mass(const hs_plan *plan, double share, hs_err *err)
{
  size_t limit = hs_mass_limit(plan->synced, share), cleared[HS_SF_COUNT];
  size_t i, j, left = plan->counts[HS_ACT_LEFT];
  int f;
  if(!plan->synced)
    return HS_OK;
  left = plan->left_known < left ? left - plan->left_known : 0;
  if(!plan->records && plan->counts[HS_ACT_LEFT])
    return hs_err_set(err, HS_E_REFUSED,
                      "the HR system returned nobody, and the registry holds "
                      "%zu synced stakeholder%s: refusing to mark them all "
                      "left (does the API key see the people? `hrsync "
                      "check` tells); --allow-mass-change overrides",
                      plan->synced, plan->synced == 1 ? "" : "s");
  if(left > limit)
    return hs_err_set(err, HS_E_REFUSED,
                      "%zu of %zu synced stakeholders would be newly marked "
                      "left, "
                      "more than %.0f%% (%zu): refusing a mass change (a "
                      "changed mapping.hris_id, conditions or API key?); "
                      "check with `hrsync preview`, then sync with "
                      "--allow-mass-change, or raise mass_change.max_share",
                      left, plan->synced, share * 100, limit);
  memset(cleared, 0, sizeof(cleared));
  for(i = 0; i < plan->n; i++) {
    hs_change ch[HS_ITEM_MAX_CHANGES];
    size_t n = plan->items[i].action == HS_ACT_UPDATE
                   ? hs_item_changes(&plan->items[i], ch)
                   : 0;
    for(j = 0; j < n; j++) {
      const hs_change *c = &ch[j];
      if(c->before && !c->after && c->field >= 0 && c->field < HS_SF_COUNT)
        cleared[c->field]++;
    }
  }
  for(f = 0; f < HS_SF_COUNT; f++)
    if(cleared[f] > limit)
      return hs_err_set(err, HS_E_REFUSED,
                        "%s would be cleared on %zu of %zu synced "
                        "stakeholders, more than %.0f%% (%zu): refusing a "
                        "mass change (is the field withheld from the API "
                        "key?); sync with --allow-mass-change if it is meant",
                        hs_sf_name(f), cleared[f], plan->synced, share * 100,
                        limit);
  return HS_OK;
}
