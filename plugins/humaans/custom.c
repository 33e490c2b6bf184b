/*
** Humaans custom fields: GET /custom-fields describes them
** ({id, name, type, section, ...}); their values are rows of
** GET /custom-values ({personId, customFieldId, value}). Each becomes the
** mappable field "custom.<name>".
**
** Values are read once before the first page of people, all of them in
** the list form (paged like every list), so there is no request per
** person. A server that refuses the list form (400 or 404: some want
** ?personId=) is asked per person instead, and only for the people of the
** roster. A person without a value for a custom field has it empty.
*/
#include "humaans.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field type for a custom field's type. */
static uint32_t custom_type(const char *t)
{
  if(!t)
    return HRSYNC_FIELD_TEXT;
  if(!strcmp(t, "date"))
    return HRSYNC_FIELD_DATE;
  if(!strcmp(t, "number"))
    return HRSYNC_FIELD_NUMBER;
  if(!strcmp(t, "select") || !strcmp(t, "dropdown") || !strcmp(t, "list"))
    return HRSYNC_FIELD_LIST;
  return HRSYNC_FIELD_TEXT;
}

hrsync_status hm_custom_defs_load(hrsync_conn *c)
{
  /* A token that may not list custom fields still syncs the rest. */
  hm_pager pager = HM_PAGER("/custom-fields", 1);
  hrsync_status st = HRSYNC_OK;

  if(c->custom_defs)
    return HRSYNC_OK;
  if(!(c->custom_defs = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  while(!st && !pager.done) {
    const hsp_jv *root, *data, *d;
    st = hm_page_next(c, &pager, &root, &data);
    if(st)
      break;
    if(!root) {
      hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                  "GET /custom-fields was refused: no custom fields");
      break;
    }
    for(d = hsp_jv_first(data); !st && d; d = hsp_jv_next(data, d)) {
      const hsp_jv *idv = hsp_jv_get(d, "id");
      const char *name = hsp_jv_str(d, "name");
      json_object *def;
      char tmp[64];
      const char *id;
      if(!name || !*name || !idv)
        continue;
      id = hsp_jv_text(idv, tmp, sizeof(tmp), c->tb.item);
      if(!id || !*id)
        continue;
      /* Kept whole, as json-c: a few definitions, read when described. */
      if(!(def = hsp_jv_json(d)) ||
         json_object_object_add(c->custom_defs, id, def)) {
        json_object_put(def);
        st = HRSYNC_E_NOMEM;
      }
    }
  }
  hm_pager_free(&pager);
  return st;
}

hrsync_status hm_custom_describe(hrsync_conn *c)
{
  json_object *seen;
  hrsync_status st = hm_custom_defs_load(c);
  if(st)
    return st;
  if(!(seen = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  json_object_object_foreach(c->custom_defs, id, d)
  {
    char fid[512], label[600];
    const char *name = hsp_json_str(d, "name");
    hrsync_field_def def;
    (void)id;
    snprintf(fid, sizeof(fid), HM_CUSTOM_PREFIX "%s", name);
    /* Two custom fields of one name: the first keeps it. */
    if(json_object_object_get_ex(seen, fid, NULL))
      continue;
    json_object_object_add(seen, fid, NULL);
    snprintf(label, sizeof(label), "%s (custom field)", name);
    memset(&def, 0, sizeof(def));
    def.struct_size = sizeof(def);
    def.type = custom_type(hsp_json_str(d, "type"));
    def.id = fid;
    def.label = label;
    st = c->hh.h->field(c->hh.ctx, &def);
    if(st)
      break;
  }
  json_object_put(seen);
  return st;
}

int hm_custom_wanted(const hrsync_conn *c)
{
  const char *w;
  size_t i;
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    if(!strncmp(w, HM_CUSTOM_PREFIX, strlen(HM_CUSTOM_PREFIX)))
      return 1;
  return 0;
}

/* Whether the config uses custom.<name> (every one when it names none). */
static int wanted_name(const hrsync_conn *c, const char *name)
{
  char id[300];
  size_t plen = strlen(HM_CUSTOM_PREFIX), n = strlen(name);
  if(c->want.all)
    return 1;
  if(plen + n >= sizeof(id))
    return 0;
  memcpy(id, HM_CUSTOM_PREFIX, plen);
  memcpy(id + plen, name, n + 1);
  return hsp_wanted_has(&c->want, id);
}

static void cv_reset(hm_cvals *t)
{
  t->n = 0;
  hm_strs_reset(&t->text);
}

static void cv_free(hm_cvals *t)
{
  free(t->rows);
  hm_strs_free(&t->text);
  memset(t, 0, sizeof(*t));
}

/* A row (person, name, text or NULL). */
static hrsync_status cv_add(hm_cvals *t, const char *person, const char *name,
                            const char *text)
{
  hm_cval *r;
  hrsync_status st;
  if(t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 256;
    hm_cval *grown = realloc(t->rows, cap * sizeof(*grown));
    if(!grown)
      return HRSYNC_E_NOMEM;
    t->rows = grown;
    t->cap = cap;
  }
  r = &t->rows[t->n];
  r->seq = t->n;
  if((st = hm_strs_add(&t->text, person, &r->person)) ||
     (st = hm_strs_add(&t->text, name, &r->name)) ||
     (st = hm_strs_add(&t->text, text, &r->text)))
    return st;
  t->n++;
  return HRSYNC_OK;
}

/* Person, then name, then the order seen (the last one wins). */
static int by_person_name(const void *a, const void *b)
{
  const hm_cval *x = a, *y = b;
  int d = strcmp(x->person, y->person);
  if(!d)
    d = strcmp(x->name, y->name);
  return d ? d : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Every row read: offsets become pointers, rows sorted for cv_find. */
static void cv_finish(hm_cvals *t)
{
  size_t i;
  for(i = 0; i < t->n; i++) {
    hm_cval *r = &t->rows[i];
    r->person = hm_strs_at(&t->text, r->person);
    r->name = hm_strs_at(&t->text, r->name);
    r->text = hm_strs_at(&t->text, r->text);
  }
  if(t->n > 1)
    qsort(t->rows, t->n, sizeof(*t->rows), by_person_name);
}

/* The rows of person in the finished t: [*lo, *hi). */
static void cv_find(const hm_cvals *t, const char *person, size_t *lo,
                    size_t *hi)
{
  size_t a = 0, b = t->n;
  while(a < b) {
    size_t m = a + (b - a) / 2;
    if(strcmp(t->rows[m].person, person) < 0)
      a = m + 1;
    else
      b = m;
  }
  *lo = b = a;
  while(b < t->n && !strcmp(t->rows[b].person, person))
    b++;
  *hi = b;
}

/* The text of name among rows [lo, hi) of t: the last row of that name
** (a later value replaces an earlier one), NULL when none or empty. */
static const char *cv_get(const hm_cvals *t, size_t lo, size_t hi,
                          const char *name)
{
  const char *text = NULL;
  for(; lo < hi; lo++)
    if(!strcmp(t->rows[lo].name, name))
      text = t->rows[lo].text;
  return text;
}

/* Adds each row of data to into, for the custom fields the config uses. */
static hrsync_status add_values(hrsync_conn *c, hm_cvals *into,
                                const hsp_jv *data)
{
  const hsp_jv *row;
  hrsync_status st = hsp_wanted_load(&c->hh, &c->want);
  for(row = hsp_jv_first(data); !st && row; row = hsp_jv_next(data, row)) {
    const hsp_jv *fidv = hsp_jv_get(row, "customFieldId");
    const char *pid = hsp_jv_str(row, "personId"), *fid, *name;
    json_object *def;
    char tmp[64];
    if(!pid || !*pid || !fidv)
      continue;
    fid = hsp_jv_text(fidv, tmp, sizeof(tmp), c->tb.item);
    if(!fid || !json_object_object_get_ex(c->custom_defs, fid, &def))
      continue; /* a value of a field the token cannot see described */
    name = hsp_json_str(def, "name");
    if(!name || !wanted_name(c, name))
      continue; /* kept for the whole run only when the config uses it */
    st = cv_add(into, pid, name, hm_text(hsp_jv_get(row, "value"), &c->tb));
  }
  return st;
}

/* Pages of base (its query started or not) into into, sorted once read;
** *refused set when the first page was refused (refused_ok). */
static hrsync_status read_values(hrsync_conn *c, const char *base,
                                 hm_cvals *into, int refused_ok, int *refused)
{
  size_t skip = 0, limit = HM_LIMIT;
  char sep = strchr(base, '?') ? '&' : '?';
  hrsync_status st = HRSYNC_OK;
  int page;
  *refused = 0;
  if(!c->vdoc && !(c->vdoc = hsp_jdoc_new()))
    return HRSYNC_E_NOMEM;
  /* Bounded: a server that ignores $skip is caught by the skip check. */
  for(page = 0; !st && page < 100000; page++) {
    char path[512], what[600];
    const hsp_jv *root, *data;
    long long total, lim;
    size_t n;
    snprintf(path, sizeof(path), "%s%c$limit=%zu&$skip=%zu", base, sep, limit,
             skip);
    snprintf(what, sizeof(what), "GET %s", path);
    st = hm_get_jv(c, path, what, c->vdoc, &root, refused_ok && skip == 0);
    if(st)
      break;
    if(!root) {
      *refused = 1;
      break;
    }
    if((st = hm_envelope(c, root, what, skip, &data)))
      return st;
    st = add_values(c, into, data);
    n = hsp_jv_count(data);
    total = hm_count_of(root, "total");
    lim = hm_count_of(root, "limit");
    if(lim > 0 && (size_t)lim < limit)
      limit = (size_t)lim;
    skip += n;
    if(n == 0 || n < limit || (total >= 0 && skip >= (size_t)total))
      break;
  }
  if(!st)
    cv_finish(into);
  return st;
}

hrsync_status hm_custom_values_load(hrsync_conn *c)
{
  int refused = 0;
  hrsync_status st;
  if(c->values_loaded || c->values_per_person)
    return HRSYNC_OK;
  st = hm_custom_defs_load(c);
  if(!st)
    st = read_values(c, "/custom-values", &c->values, 1, &refused);
  if(!st && refused) {
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "GET /custom-values without personId was refused; asking "
                "per person");
    cv_free(&c->values);
    c->values_per_person = 1;
  }
  else if(!st)
    c->values_loaded = 1;
  return st;
}

hrsync_status hm_custom_emit(hrsync_conn *c, const char *id)
{
  const hrsync_host *h = c->hh.h;
  const hm_cvals *t = &c->values;
  const char *w;
  size_t i, lo, hi, plen = strlen(HM_CUSTOM_PREFIX);
  hrsync_status st = HRSYNC_OK;

  if(c->values_per_person) {
    char base[256], esc[128];
    int refused;
    if(hrsync_url_escape(esc, sizeof(esc), id) == (size_t)-1)
      return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                           "person id \"%.64s\" is too long", id);
    snprintf(base, sizeof(base), "/custom-values?personId=%s", esc);
    cv_reset(&c->own);
    st = read_values(c, base, &c->own, 0, &refused);
    t = &c->own;
  }
  if(st)
    return st;
  cv_find(t, id, &lo, &hi);
  /* From the copy people.c loaded: no host call per field per person. */
  st = hsp_wanted_load(&c->hh, &c->want);
  for(i = 0; !st && i < c->want.n; i++) {
    w = c->want.ids[i];
    if(strncmp(w, HM_CUSTOM_PREFIX, plen))
      continue;
    st = h->record_set(c->hh.ctx, w, cv_get(t, lo, hi, w + plen));
  }
  return st;
}

void hm_custom_free(hrsync_conn *c)
{
  json_object_put(c->custom_defs);
  c->custom_defs = NULL;
  cv_free(&c->values);
  cv_free(&c->own);
  hsp_jdoc_free(c->vdoc);
  c->vdoc = NULL;
  c->values_loaded = 0;
}
