/*
** Lucca lookups and extendedData flattening.
**
** The v3 user carries references, not names, where Lucca keeps a table:
**   - nationalityId: resolved to "nationality" (the name) through
**     GET /api/v3/nationalities, read once per run when the config uses it;
**   - list-type extendedData entries hold the list entry's id
**     ("e_eyes_color": {"id": 8976, "value": 84}): resolved to the entry's
**     label through GET /api/v3/extensionuserdefinitions/<e_name>
**     (data.extensionUserPropertyListEntries[{id, name}]), one request per
**     custom field the config uses, never per user.
** A lookup Lucca refuses (400, 403, 404) is not fatal: the values stay
** ids and one warning says so; a failure (429 after retries, 5xx) is.
**
** extendedData values are {id, value} or plain; multi-values are arrays of
** them; composite values nest e_ sub-properties inside "value". All are
** flattened by lc_ext_walk into "extendedData.e_x" and
** "extendedData.e_x.e_sub" (multi-values joined with ", "), never raw JSON.
*/
#include "lucca.h"

#include <stdio.h>
#include <string.h>

void lc_warn_empty_key(hrsync_conn *c, const char *where)
{
  c->empty_keys++;
  if(c->empty_key_warned)
    return;
  c->empty_key_warned = 1;
  hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
              "%s: a member with an empty name (\"\") was skipped; Lucca "
              "sent a key no field can be named after",
              where);
}

/* GET without failing on a refusal: *status gets the HTTP status; *out
** the parsed body of a 2xx answer (caller puts), else NULL. */
static hrsync_status lookup_get(hrsync_conn *c, const char *path,
                                const char *what, unsigned *status,
                                json_object **out)
{
  /* Not there or not for this key: the values stay ids. Anything else
  ** (401, 429 after the host's retries, 5xx) fails the run. */
  return hsp_get_json(&c->hh, c->base, path, c->auth, what, HSP_REFUSED_OK,
                      status, out);
}

/* {"<id>": "<name>"} from an array of {id, name}; NULL on no memory. */
static json_object *id_name_map(json_object *arr)
{
  json_object *map = json_object_new_object();
  size_t i, n = json_object_is_type(arr, json_type_array)
                    ? json_object_array_length(arr)
                    : 0;
  char tmp[64];
  if(!map)
    return NULL;
  for(i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(arr, i), *idv;
    const char *name = hsp_json_str(e, "name");
    const char *id;
    if(!name || !json_object_object_get_ex(e, "id", &idv))
      continue;
    id = hsp_json_text(idv, tmp, sizeof(tmp));
    if(id && *id)
      json_object_object_add(map, id, json_object_new_string(name));
  }
  return map;
}

static int wants(hrsync_conn *c, const char *id)
{
  const char *w;
  size_t i;
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    if(!strcmp(w, id))
      return 1;
  return 0;
}

static hrsync_status load_nationalities(hrsync_conn *c)
{
  static const char what[] = "GET " LC_NATIONALITIES;
  json_object *root = NULL, *items = NULL;
  unsigned status;
  hrsync_status st =
      lookup_get(c, LC_NATIONALITIES "?fields=id,name&paging=0,1000", what,
                 &status, &root);
  if(st)
    return st;
  if(!root) {
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                "%s: HTTP %u; nationality stays empty (nationalityId is "
                "still synced)",
                what, status);
    c->nationalities = json_object_new_object();
    return c->nationalities ? HRSYNC_OK : HRSYNC_E_NOMEM;
  }
  st = lc_items(c, root, what, &items);
  if(!st && !(c->nationalities = id_name_map(items)))
    st = HRSYNC_E_NOMEM;
  json_object_put(root);
  return st;
}

/* The last ".e_x" segment of a wanted extendedData field, or NULL. */
static const char *ext_leaf(const char *w)
{
  const char *dot;
  if(strncmp(w, "extendedData.", 13) || !w[13])
    return NULL;
  dot = strrchr(w, '.');
  return dot[1] ? dot + 1 : NULL;
}

static hrsync_status load_definition(hrsync_conn *c, const char *key)
{
  char path[512], what[600], esc[300];
  json_object *root = NULL, *entries, *map;
  unsigned status;
  hrsync_status st;

  if(json_object_object_get_ex(c->ext_labels, key, NULL))
    return HRSYNC_OK;
  if(hrsync_url_escape(esc, sizeof(esc), key) == (size_t)-1)
    return HRSYNC_OK;
  snprintf(path, sizeof(path), LC_EXT_DEFS "/%s", esc);
  snprintf(what, sizeof(what), "GET %s", path);
  st = lookup_get(c, path, what, &status, &root);
  if(st)
    return st;
  if(!root) {
    /* Not a list, or a definition this key may not read. */
    if(status != 404)
      hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                  "%s: HTTP %u; list values of %s stay entry ids", what,
                  status, key);
    json_object_object_add(c->ext_labels, key, NULL);
    return HRSYNC_OK;
  }
  entries = hsp_json_path(root, "data.extensionUserPropertyListEntries");
  map = json_object_is_type(entries, json_type_array) &&
                json_object_array_length(entries)
            ? id_name_map(entries)
            : NULL;
  json_object_object_add(c->ext_labels, key, map);
  json_object_put(root);
  return HRSYNC_OK;
}

hrsync_status lc_lookups_load(hrsync_conn *c)
{
  const char *w;
  size_t i;
  hrsync_status st = HRSYNC_OK;

  if(c->lookups_loaded)
    return HRSYNC_OK;
  c->lookups_loaded = 1;
  if(wants(c, "nationality"))
    st = load_nationalities(c);
  if(!st && !c->ext_labels && !(c->ext_labels = json_object_new_object()))
    st = HRSYNC_E_NOMEM;
  for(i = 0; !st && (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    const char *leaf = ext_leaf(w);
    if(leaf)
      st = load_definition(c, leaf);
  }
  return st;
}

const char *lc_nationality(hrsync_conn *c, const hsp_jv *idv)
{
  json_object *name;
  char tmp[64];
  const char *id = hsp_jv_text(idv, tmp, sizeof(tmp), c->tpb);
  if(!id || !c->nationalities ||
     !json_object_object_get_ex(c->nationalities, id, &name))
    return NULL;
  return json_object_get_string(name);
}

/* The label of list entry v of custom field key, or NULL. */
static const char *entry_label(const hrsync_conn *c, const char *key,
                               const hsp_jv *v)
{
  json_object *map, *name;
  char tmp[64];
  const char *id;
  if(!c->ext_labels || !json_object_object_get_ex(c->ext_labels, key, &map) ||
     !map)
    return NULL;
  if(hsp_jv_kind(v) != HSP_JV_INT && hsp_jv_kind(v) != HSP_JV_STRING)
    return NULL;
  id = hsp_jv_text(v, tmp, sizeof(tmp), NULL);
  if(!id || !json_object_object_get_ex(map, id, &name))
    return NULL;
  return json_object_get_string(name);
}

static hrsync_status lc_ext_walk(hrsync_conn *c, lc_acc *acc, const char *fid,
                                 const char *key, const hsp_jv *v, int depth,
                                 int keys_only)
{
  char tmp[64], sub[512];
  hrsync_status st = HRSYNC_OK;
  const hsp_jv *inner, *e;

  if(depth > 8)
    return lc_acc_add(acc, fid, NULL); /* deeper than any Lucca composite */
  if((inner = hsp_jv_get(v, "value")) != NULL)
    v = inner;
  switch(hsp_jv_kind(v)) {
  case HSP_JV_NULL:
    return lc_acc_add(acc, fid, NULL);
  case HSP_JV_ARRAY:
    st = lc_acc_add(acc, fid, NULL);
    for(e = hsp_jv_first(v); !st && e; e = hsp_jv_next(v, e))
      st = lc_ext_walk(c, acc, fid, key, e, depth + 1, keys_only);
    return st;
  case HSP_JV_OBJECT:
    /* A composite: one sub-field per nested e_ property. */
    for(e = hsp_jv_first(v); !st && e; e = hsp_jv_next(v, e)) {
      if(!*e->key) {
        lc_warn_empty_key(c, "extendedData");
        continue;
      }
      /* A path that does not fit is never cut into another field's id. */
      if((size_t)snprintf(sub, sizeof(sub), "%s.%s", fid, e->key) >=
         sizeof(sub)) {
        hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                    "extendedData: a sub-field id longer than %zu bytes "
                    "under %.64s... skipped",
                    sizeof(sub) - 1, fid);
        continue;
      }
      st = lc_ext_walk(c, acc, sub, e->key, e, depth + 1, keys_only);
    }
    return st;
  default:
    break;
  }
  if(keys_only)
    return lc_acc_add(acc, fid, NULL);
  {
    const char *label = entry_label(c, key, v);
    return lc_acc_add(acc, fid,
                      label ? label : hsp_jv_text(v, tmp, sizeof(tmp), NULL));
  }
}

/* Whether the config uses custom field key, or a sub-field of it. */
static int wants_ext(const hrsync_conn *c, const char *key)
{
  size_t i, n = strlen(key);
  if(!c->want.loaded || c->want.all)
    return 1;
  for(i = 0; i < c->want.n; i++) {
    const char *w = c->want.ids[i];
    if(!strncmp(w, "extendedData.", 13) && !strncmp(w + 13, key, n) &&
       (!w[13 + n] || w[13 + n] == '.'))
      return 1;
  }
  return 0;
}

hrsync_status lc_ext_flatten(hrsync_conn *c, const hsp_jv *ext, lc_acc *acc,
                             int keys_only)
{
  char fid[512];
  const hsp_jv *m;
  hrsync_status st = HRSYNC_OK;
  if(hsp_jv_kind(ext) != HSP_JV_OBJECT)
    return HRSYNC_OK;
  for(m = hsp_jv_first(ext); !st && m; m = hsp_jv_next(ext, m)) {
    if(!*m->key) {
      lc_warn_empty_key(c, "extendedData");
      continue;
    }
    if(!keys_only && !wants_ext(c, m->key))
      continue; /* no label lookups for a field nobody uses */
    snprintf(fid, sizeof(fid), "extendedData.%s", m->key);
    st = lc_ext_walk(c, acc, fid, m->key, m, 0, keys_only);
  }
  return st;
}
