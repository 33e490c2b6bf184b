/*
** Plan building: conditions, mapping, matching and field diffs.
*/
#include "plan.h"

#include "buf.h"
#include "mapping.h"
#include "match.h"
#include "strmap.h"

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
  return it;
}

/* An item's changes and the strings they point to live in one block: the
** hs_change array, then the strings. A created person has about 17
** values: one live allocation instead of 35, which at 100,000 people is
** most of a first sync's memory and of its allocator's work. */
static size_t strings_size(const hs_plan_item *it)
{
  size_t i, n = 0;
  for(i = 0; i < it->n_changes; i++)
    n += (it->changes[i].before ? strlen(it->changes[i].before) + 1 : 0) +
         (it->changes[i].after ? strlen(it->changes[i].after) + 1 : 0);
  return n;
}

static char *put(char **p, const char *s)
{
  char *d;
  size_t len;
  if(!s)
    return NULL;
  len = strlen(s) + 1;
  d = memcpy(*p, s, len);
  *p += len;
  return d;
}

int hs_item_add_change(hs_plan_item *it, int field, const char *before,
                       const char *after)
{
  size_t n = it->n_changes, i;
  size_t head = (n + 1) * sizeof(hs_change);
  size_t need = head + strings_size(it) + (before ? strlen(before) + 1 : 0) +
                (after ? strlen(after) + 1 : 0);
  char *blk = malloc(need), *p;
  hs_change *c = (hs_change *)blk;
  if(!blk)
    return -1;
  p = blk + head;
  for(i = 0; i < n; i++) {
    c[i].field = it->changes[i].field;
    c[i].before = put(&p, it->changes[i].before);
    c[i].after = put(&p, it->changes[i].after);
  }
  c[n].field = field;
  c[n].before = put(&p, before);
  c[n].after = put(&p, after);
  free(it->changes);
  it->changes = c;
  it->n_changes = n + 1;
  return 0;
}

static void item_clear_changes(hs_plan_item *it)
{
  free(it->changes); /* the strings are in the same block */
  it->changes = NULL;
  it->n_changes = 0;
}

void hs_plan_count(hs_plan *plan)
{
  size_t i;
  memset(plan->counts, 0, sizeof(plan->counts));
  for(i = 0; i < plan->n; i++)
    if(plan->items[i].action >= 0 && plan->items[i].action < HS_ACT_COUNT)
      plan->counts[plan->items[i].action]++;
}

void hs_plan_clear(hs_plan *plan)
{
  size_t i;
  for(i = 0; i < plan->n; i++) {
    hs_plan_item *it = &plan->items[i];
    item_clear_changes(it);
    free(it->hris_id);
    free(it->name);
    free(it->reason);
  }
  free(plan->items);
  free(plan->connector);
  memset(plan, 0, sizeof(*plan));
}

struct hs_planner {
  const hs_registry *reg;
  const hs_config *cfg;
  hs_field_type_fn type;
  void *type_arg;
  hs_matcher *match;
  size_t *claim;       /* per registry index: claiming item index + 1 */
  hs_strmap *creating; /* hris_id of planned creates -> item index */
  hs_plan plan;
};

hs_rc hs_planner_new(const hs_registry *reg, const hs_config *cfg,
                     hs_field_type_fn type, void *type_arg, hs_planner **out,
                     hs_err *err)
{
  hs_planner *p = calloc(1, sizeof(*p));
  hs_rc rc;
  *out = NULL;
  if(!p)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  p->reg = reg;
  p->cfg = cfg;
  p->type = type;
  p->type_arg = type_arg;
  p->claim = calloc(reg->n ? reg->n : 1, sizeof(size_t));
  p->creating = hs_strmap_new();
  if(!p->claim || !p->creating) {
    hs_planner_free(p);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if((rc = hs_match_new(reg, &p->match, err))) {
    hs_planner_free(p);
    return rc;
  }
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
  if(!p)
    return;
  hs_match_free(p->match);
  free(p->claim);
  hs_strmap_free(p->creating);
  hs_plan_clear(&p->plan);
  free(p);
}

/* Turns an item into a conflict: its changes are dropped, never applied. */
static int make_conflict(hs_plan_item *it, const char *reason)
{
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

/* Groups the rules add for this record, merged into a copy of current. */
/* The groups after the rules: a group named by a rule is the rules' to
** manage (added while a rule for it matches, removed when none does, so a
** rehired person leaves "Ex-employee"); other groups are left alone. The
** result is a new string in *out (NULL = no groups). */
static hs_rc rule_groups(const hs_planner *p, const hs_nrec *r,
                         const char *current, char **out, hs_err *err)
{
  const hs_config *cfg = p->cfg;
  size_t i, j;
  int *hit;
  *out = current ? strdup(current) : NULL;
  if(current && !*out)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(!cfg->n_groups)
    return HS_OK;
  if(!(hit = calloc(cfg->n_groups, sizeof(int))))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  for(i = 0; i < cfg->n_groups; i++) {
    const hs_group_rule *g = &cfg->groups[i];
    hit[i] = 1;
    for(j = 0; j < g->n_conds && hit[i]; j++)
      hit[i] =
          hs_cond_eval(&g->conds[j], hs_nrec_get(r, g->conds[j].field, NULL));
  }
  /* Two rules may name one group: it stays if either matches. */
  for(i = 0; i < cfg->n_groups; i++) {
    int keep = 0;
    for(j = 0; j < cfg->n_groups; j++)
      if(hit[j] && !strcmp(cfg->groups[j].group, cfg->groups[i].group))
        keep = 1;
    if((keep ? hs_groups_add(out, cfg->groups[i].group)
             : hs_groups_remove(out, cfg->groups[i].group)) < 0) {
      free(hit);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  }
  free(hit);
  return HS_OK;
}

static int differs(const char *a, const char *b)
{
  if(!a || !b)
    return a != b;
  return strcmp(a, b) != 0;
}

/* Field diffs for an existing stakeholder. only_left: a filtered-out
** record updates nothing but its groups and termination date. */
static hs_rc diff_existing(const hs_planner *p, hs_plan_item *it,
                           const hs_sh *sh, const hs_nrec *r,
                           const char *v[HS_SF_COUNT],
                           const int present[HS_SF_COUNT], int only_left,
                           hs_err *err)
{
  char *groups = NULL;
  hs_rc rc;
  int f;
  for(f = 0; f < HS_SF_COUNT; f++) {
    if(!hs_sf_mappable(f) || !present[f])
      continue;
    if(only_left && f != HS_SF_TERMINATION_DATE)
      continue;
    /* Match keys are never cleared by an empty HR value. */
    if(!v[f] && (f == HS_SF_HRIS_ID || f == HS_SF_IDENTIFIER))
      continue;
    if(differs(sh->v[f], v[f]) && hs_item_add_change(it, f, sh->v[f], v[f]))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(!only_left && differs(sh->v[HS_SF_TYPE], HS_TYPE_PERSON) &&
     hs_item_add_change(it, HS_SF_TYPE, sh->v[HS_SF_TYPE], HS_TYPE_PERSON))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((rc = rule_groups(p, r, sh->v[HS_SF_GROUPS], &groups, err)))
    return rc;
  if(differs(sh->v[HS_SF_GROUPS], groups) &&
     hs_item_add_change(it, HS_SF_GROUPS, sh->v[HS_SF_GROUPS], groups)) {
    free(groups);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  free(groups);
  return HS_OK;
}

/* A second record claims a stakeholder: neither may have it. */
static hs_rc claim_conflict(hs_planner *p, size_t idx, hs_plan_item *it,
                            hs_err *err)
{
  hs_plan_item *first = &p->plan.items[p->claim[idx] - 1];
  const hs_sh *sh = &p->reg->items[idx];
  hs_buf why = HS_BUF_INIT;
  int bad = hs_buf_printf(&why,
                          "stakeholder #%lld \"%s\" is claimed by two "
                          "records: HRIS ids %s and %s",
                          sh->id, sh_label(sh), first->hris_id, it->hris_id);
  if(bad || make_conflict(first, hs_buf_str(&why)) ||
     make_conflict(it, hs_buf_str(&why))) {
    hs_buf_free(&why);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  hs_buf_free(&why);
  return HS_OK;
}

static hs_rc plan_create(hs_planner *p, hs_plan_item *it, const hs_nrec *r,
                         const char *v[HS_SF_COUNT], hs_err *err)
{
  char *groups = NULL;
  size_t n;
  const size_t *prev = hs_strmap_get(p->creating, it->hris_id, &n);
  hs_rc rc;
  int f;
  if(!it->name) {
    it->action = HS_ACT_SKIPPED;
    it->reason = strdup("no first_name or last_name to build a name from");
    return it->reason ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(n) {
    hs_buf why = HS_BUF_INIT;
    if(hs_buf_printf(&why, "two records share the HRIS id %s", it->hris_id) ||
       make_conflict(&p->plan.items[prev[0]], hs_buf_str(&why)) ||
       make_conflict(it, hs_buf_str(&why))) {
      hs_buf_free(&why);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    hs_buf_free(&why);
    return HS_OK;
  }
  it->action = HS_ACT_CREATE;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(hs_sf_mappable(f) && v[f] && hs_item_add_change(it, f, NULL, v[f]))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(hs_item_add_change(it, HS_SF_NAME, NULL, it->name) ||
     hs_item_add_change(it, HS_SF_TYPE, NULL, HS_TYPE_PERSON))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((rc = rule_groups(p, r, NULL, &groups, err)))
    return rc;
  if(groups && hs_item_add_change(it, HS_SF_GROUPS, NULL, groups)) {
    free(groups);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  free(groups);
  if(hs_strmap_add(p->creating, it->hris_id, p->plan.n - 1))
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
  it->name = strdup(sh_label(sh));
  if(!it->name)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(p->claim[idx])
    return claim_conflict(p, idx, it, err);
  p->claim[idx] = p->plan.n; /* this item's index + 1 */
  if((rc = diff_existing(p, it, sh, r, v, present, only_left, err)))
    return rc;
  if(!only_left)
    it->action = it->n_changes ? HS_ACT_UPDATE : HS_ACT_UNCHANGED;
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

/* The record with every stage applied; it is the item just pushed. */
static hs_rc plan_record(hs_planner *p, hs_plan_item *it, const hs_nrec *r,
                         hs_buf *skip, hs_err *err)
{
  const char *v[HS_SF_COUNT];
  int present[HS_SF_COUNT];
  size_t i;
  hs_match m;
  hs_map_record(p->cfg, r, v, present);
  if(!(it->hris_id = strdup(v[HS_SF_HRIS_ID])))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  it->name = hs_sh_format_name(v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME],
                               p->cfg->name_format);
  if(skip->len) {
    long idx = hs_match_by_hris_id(p->match, v[HS_SF_HRIS_ID]);
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
    const char *val = hs_nrec_get(r, c->field, NULL);
    long idx;
    if(hs_cond_eval(c, val))
      continue;
    if(hs_cond_describe(c, val, skip))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    idx = hs_match_by_hris_id(p->match, v[HS_SF_HRIS_ID]);
    if(idx < 0) {
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
  hs_match_find(p->match, v[HS_SF_HRIS_ID], v[HS_SF_IDENTIFIER],
                v[HS_SF_FIRST_NAME], v[HS_SF_LAST_NAME], &m);
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
  hs_buf skip = HS_BUF_INIT;
  hs_nrec r = {NULL, NULL, 0};
  hs_plan_item *it;
  const char *reserved = NULL;
  int carries = 0;
  size_t i;
  hs_rc rc;
  if(!(it = hs_plan_push(&p->plan)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  p->plan.records++;
  rc = hs_norm_record(rec, planner_type, p, &r, &skip, err);
  for(i = 0; i < rec->n_fields && !rc; i++)
    if(!strcmp(rec->fields[i].id, HRSYNC_FIELD_SKIP_REASON)) {
      carries = 1;
      reserved = rec->fields[i].value;
    }
  if(!rc && carries) {
    /* The connector's own rule wins over a date problem. */
    hs_buf_reset(&skip);
    if(hs_buf_puts(&skip, reserved && *reserved ? reserved
                                                : "skipped by the connector"))
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(!rc)
    rc = plan_record(p, it, &r, &skip, err);
  hs_nrec_clear(&r);
  hs_buf_free(&skip);
  return rc;
}

hs_rc hs_planner_finish(hs_planner *p, hs_plan *out, hs_err *err)
{
  size_t i;
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
  *out = p->plan;
  memset(&p->plan, 0, sizeof(p->plan));
  return HS_OK;
}
