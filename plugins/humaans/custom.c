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

#include <json-c/printbuf.h>
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
    json_object *root, *data;
    size_t i, n;
    st = hm_page_next(c, &pager, &root, &data);
    if(st)
      break;
    if(!root) {
      hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                  "GET /custom-fields was refused: no custom fields");
      break;
    }
    n = json_object_array_length(data);
    for(i = 0; !st && i < n; i++) {
      json_object *d = json_object_array_get_idx(data, i), *idv;
      const char *name = hsp_json_str(d, "name");
      char tmp[64];
      const char *id;
      if(!name || !*name || !json_object_object_get_ex(d, "id", &idv))
        continue;
      id = hsp_json_text(idv, tmp, sizeof(tmp));
      if(id && *id)
        json_object_object_add(c->custom_defs, id, json_object_get(d));
    }
    json_object_put(root);
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

/* Adds each row of data to into ({"<personId>": {"<name>": text}}), for
** the custom fields the config uses. */
static hrsync_status add_values(hrsync_conn *c, json_object *into,
                                json_object *data)
{
  struct printbuf *pb;
  size_t i, n = json_object_array_length(data);
  hrsync_status st = hsp_wanted_load(&c->hh, &c->want);
  if(st)
    return st;
  if(!(pb = printbuf_new()))
    return HRSYNC_E_NOMEM;
  for(i = 0; !st && i < n; i++) {
    json_object *row = json_object_array_get_idx(data, i), *fidv, *def, *v,
                *person;
    const char *pid = hsp_json_str(row, "personId"), *fid, *name, *text;
    char tmp[64], tmp2[64];
    if(!pid || !*pid ||
       !json_object_object_get_ex(row, "customFieldId", &fidv))
      continue;
    fid = hsp_json_text(fidv, tmp, sizeof(tmp));
    if(!fid || !json_object_object_get_ex(c->custom_defs, fid, &def))
      continue; /* a value of a field the token cannot see described */
    name = hsp_json_str(def, "name");
    if(!name || !wanted_name(c, name))
      continue; /* kept for the whole run only when the config uses it */
    if(!json_object_object_get_ex(row, "value", &v))
      v = NULL;
    text = hm_text(v, tmp2, sizeof(tmp2), pb);
    if(!json_object_object_get_ex(into, pid, &person)) {
      person = json_object_new_object();
      if(!person || json_object_object_add(into, pid, person)) {
        json_object_put(person);
        st = HRSYNC_E_NOMEM;
        break;
      }
    }
    if(json_object_object_add(person, name,
                              text ? json_object_new_string(text) : NULL))
      st = HRSYNC_E_NOMEM;
  }
  printbuf_free(pb);
  return st;
}

/* Pages of path ("...?" query already started or not, per sep) into
** into; *refused set when the first page was refused (refused_ok). */
static hrsync_status read_values(hrsync_conn *c, const char *base,
                                 json_object *into, int refused_ok,
                                 int *refused)
{
  size_t skip = 0, limit = HM_LIMIT;
  char sep = strchr(base, '?') ? '&' : '?';
  hrsync_status st = HRSYNC_OK;
  int page;
  *refused = 0;
  /* Bounded: a server that ignores $skip is caught by the skip check. */
  for(page = 0; !st && page < 100000; page++) {
    char path[512], what[600];
    json_object *root = NULL, *data;
    long long total, lim, at;
    size_t n;
    snprintf(path, sizeof(path), "%s%c$limit=%zu&$skip=%zu", base, sep, limit,
             skip);
    snprintf(what, sizeof(what), "GET %s", path);
    st = hm_get_ex(c, path, what, &root, refused_ok && skip == 0);
    if(st)
      break;
    if(!root) {
      *refused = 1;
      break;
    }
    if(!json_object_object_get_ex(root, "data", &data) ||
       !json_object_is_type(data, json_type_array)) {
      json_object_put(root);
      return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                           "%s: \"data\" is missing or not an array", what);
    }
    at = hm_count_of(root, "skip");
    if(at >= 0 && (size_t)at != skip) {
      json_object_put(root);
      return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                           "%s: the answer is for skip %lld", what, at);
    }
    st = add_values(c, into, data);
    n = json_object_array_length(data);
    total = hm_count_of(root, "total");
    lim = hm_count_of(root, "limit");
    json_object_put(root);
    if(lim > 0 && (size_t)lim < limit)
      limit = (size_t)lim;
    skip += n;
    if(n == 0 || n < limit || (total >= 0 && skip >= (size_t)total))
      break;
  }
  return st;
}

hrsync_status hm_custom_values_load(hrsync_conn *c)
{
  int refused = 0;
  hrsync_status st;
  if(c->custom_values || c->values_per_person)
    return HRSYNC_OK;
  st = hm_custom_defs_load(c);
  if(!st && !(c->custom_values = json_object_new_object()))
    st = HRSYNC_E_NOMEM;
  if(!st)
    st = read_values(c, "/custom-values", c->custom_values, 1, &refused);
  if(!st && refused) {
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "GET /custom-values without personId was refused; asking "
                "per person");
    json_object_put(c->custom_values);
    c->custom_values = NULL;
    c->values_per_person = 1;
  }
  return st;
}

hrsync_status hm_custom_emit(hrsync_conn *c, const char *id)
{
  const hrsync_host *h = c->hh.h;
  json_object *own = NULL, *mine = NULL;
  const char *w;
  size_t i, plen = strlen(HM_CUSTOM_PREFIX);
  hrsync_status st = HRSYNC_OK;

  if(c->values_per_person) {
    char base[256], esc[128];
    int refused;
    if(hrsync_url_escape(esc, sizeof(esc), id) == (size_t)-1)
      return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                           "person id \"%.64s\" is too long", id);
    snprintf(base, sizeof(base), "/custom-values?personId=%s", esc);
    if(!(own = json_object_new_object()))
      return HRSYNC_E_NOMEM;
    st = read_values(c, base, own, 0, &refused);
    json_object_object_get_ex(own, id, &mine);
  }
  else
    json_object_object_get_ex(c->custom_values, id, &mine);
  /* From the copy people.c loaded: no host call per field per person. */
  if(!st)
    st = hsp_wanted_load(&c->hh, &c->want);
  for(i = 0; !st && i < c->want.n; i++) {
    json_object *v = NULL;
    w = c->want.ids[i];
    if(strncmp(w, HM_CUSTOM_PREFIX, plen))
      continue;
    if(mine)
      json_object_object_get_ex(mine, w + plen, &v);
    st = h->record_set(c->hh.ctx, w, v ? json_object_get_string(v) : NULL);
  }
  json_object_put(own);
  return st;
}

void hm_custom_free(hrsync_conn *c)
{
  json_object_put(c->custom_defs);
  json_object_put(c->custom_values);
  c->custom_defs = NULL;
  c->custom_values = NULL;
}
