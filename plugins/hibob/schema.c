/*
** HiBob field metadata and named lists.
**
** GET /v1/company/people/fields describes every field: its id (what a
** search asks for), its jsonPath (where the value sits in an employee;
** not derivable from the id, since fields move between categories) and
** its type. List fields carry list item ids, resolved through
** GET /v1/company/named-lists when the humanReadable mirror lacks them.
*/
#include "hibob.h"

#include <stdlib.h>
#include <string.h>

static const char FIELDS_PATH[] = "/v1/company/people/fields";
/* Archived items (a former department) are left out unless asked for;
** a leaver's department must still resolve to its name. */
static const char LISTS_PATH[] =
    "/v1/company/named-lists?includeArchived=true";

/* HiBob's type names -> how we read the value and what we declare. */
static void hb_type(const char *t, hb_kind *kind, uint32_t *type)
{
  *kind = HB_PLAIN;
  *type = HRSYNC_FIELD_TEXT;
  if(!t)
    return;
  if(!strcmp(t, "date")) {
    *type = HRSYNC_FIELD_DATE;
  }
  else if(!strcmp(t, "list") || !strcmp(t, "hierarchy-list")) {
    *kind = HB_LIST;
    *type = HRSYNC_FIELD_LIST;
  }
  else if(!strcmp(t, "multi-list")) {
    *kind = HB_MULTI;
    *type = HRSYNC_FIELD_LIST;
  }
  else if(!strcmp(t, "number") || !strcmp(t, "currency")) {
    *type = HRSYNC_FIELD_NUMBER;
  }
  else if(!strcmp(t, "employee-reference")) {
    *kind = HB_REF;
  }
  else if(!strcmp(t, "checkbox") || !strcmp(t, "boolean")) {
    *type = HRSYNC_FIELD_BOOL;
  }
  /* text, text-area, document, "short date" (MM-DD, not a date the
  ** engine could normalise) and anything new stay text. */
}

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

/* Appends one field; the strings are copied. */
static hrsync_status hb_add(hrsync_conn *c, const char *id, const char *path,
                            const char *label, const char *list_id,
                            const char *type)
{
  hb_field *f, *grown;
  if(hb_schema_find(c, id))
    return HRSYNC_OK; /* a repeated entry: the first one counts */
  grown = realloc(c->fields, (c->n_fields + 1) * sizeof(*f));
  if(!grown)
    return HRSYNC_E_NOMEM;
  c->fields = grown;
  f = &c->fields[c->n_fields];
  memset(f, 0, sizeof(*f));
  f->id = strdup(id);
  f->path = strdup(path);
  f->label = dup_or_null(label);
  f->list_id = dup_or_null(list_id);
  c->n_fields++;
  if(!f->id || !f->path || (label && !f->label) || (list_id && !f->list_id))
    return HRSYNC_E_NOMEM;
  hb_type(type, &f->kind, &f->type);
  return HRSYNC_OK;
}

hrsync_status hb_schema_load(hrsync_conn *c)
{
  json_object *root, *arr, *e, *td;
  hrsync_status st;
  size_t i, n;

  if(c->have_schema)
    return HRSYNC_OK;
  st = hb_call(c, "GET", FIELDS_PATH, NULL, &root);
  if(st)
    return st;
  /* A top-level array; also accepted wrapped as {"fields": [...]}. */
  arr = root;
  if(json_object_is_type(root, json_type_object))
    json_object_object_get_ex(root, "fields", &arr);
  if(!json_object_is_type(arr, json_type_array)) {
    json_object_put(root);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET %s: expected an array of fields or "
                         "{\"fields\": [...]}",
                         FIELDS_PATH);
  }
  n = json_object_array_length(arr);
  for(i = 0; i < n && !st; i++) {
    const char *id, *path;
    e = json_object_array_get_idx(arr, i);
    id = hsp_json_str(e, "id");
    if(!id || !*id) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET %s: fields[%zu] has no \"id\"", FIELDS_PATH, i);
      break;
    }
    path = hsp_json_str(e, "jsonPath");
    if(!path || !*path)
      path = !strncmp(id, "root.", 5) ? id + 5 : id;
    td = NULL;
    json_object_object_get_ex(e, "typeData", &td);
    st = hb_add(c, id, path, hsp_json_str(e, "name"),
                hsp_json_str(td, "listId"), hsp_json_str(e, "type"));
  }
  json_object_put(root);
  /* The roster's key must be describable even if a tenant's metadata
  ** omits it. */
  if(!st && !hb_schema_find(c, "root.id"))
    st = hb_add(c, "root.id", "id", "Employee ID", NULL, "text");
  if(st) {
    hb_schema_free(c);
    return st;
  }
  c->have_schema = 1;
  return HRSYNC_OK;
}

const hb_field *hb_schema_find(const hrsync_conn *c, const char *id)
{
  size_t i;
  for(i = 0; i < c->n_fields; i++)
    if(!strcmp(c->fields[i].id, id))
      return &c->fields[i];
  return NULL;
}

void hb_schema_free(hrsync_conn *c)
{
  size_t i;
  for(i = 0; i < c->n_fields; i++) {
    free(c->fields[i].id);
    free(c->fields[i].path);
    free(c->fields[i].label);
    free(c->fields[i].list_id);
  }
  free(c->fields);
  c->fields = NULL;
  c->n_fields = 0;
  c->have_schema = 0;
  json_object_put(c->lists);
  c->lists = NULL;
}

hrsync_status hb_list_fields(hrsync_conn *c)
{
  hrsync_status st = hb_schema_load(c);
  size_t i;
  for(i = 0; !st && i < c->n_fields; i++) {
    hrsync_field_def d;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = c->fields[i].type;
    d.id = c->fields[i].id;
    d.label = c->fields[i].label;
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  return st;
}

/* Adds the items of values (and their children: hierarchy lists nest)
** to index as item id -> display name. */
static hrsync_status index_items(json_object *index, json_object *values)
{
  size_t i, n;
  if(!json_object_is_type(values, json_type_array))
    return HRSYNC_OK;
  n = json_object_array_length(values);
  for(i = 0; i < n; i++) {
    json_object *it = json_object_array_get_idx(values, i), *id, *kids;
    const char *name = hsp_json_str(it, "name");
    char tmp[64];
    const char *key;
    if(!name)
      name = hsp_json_str(it, "value");
    if(!json_object_object_get_ex(it, "id", &id))
      continue;
    key = hsp_json_text(id, tmp, sizeof(tmp));
    if(key && name &&
       json_object_object_add(index, key, json_object_new_string(name)))
      return HRSYNC_E_NOMEM;
    if(json_object_object_get_ex(it, "children", &kids)) {
      hrsync_status st = index_items(index, kids);
      if(st)
        return st;
    }
  }
  return HRSYNC_OK;
}

/* Indexes one list under key (its name in the answer) and under its own
** "name"/"id" members, which is what a field's typeData.listId names. */
static hrsync_status index_list(json_object *lists, const char *key,
                                json_object *list)
{
  static const char *const alias[] = {"name", "id"};
  json_object *index, *values;
  hrsync_status st;
  size_t i;
  if(!json_object_is_type(list, json_type_object) ||
     !json_object_object_get_ex(list, "values", &values))
    return HRSYNC_OK;
  index = json_object_new_object();
  if(!index)
    return HRSYNC_E_NOMEM;
  st = index_items(index, values);
  if(st) {
    json_object_put(index);
    return st;
  }
  if(key && json_object_object_add(lists, key, json_object_get(index)))
    st = HRSYNC_E_NOMEM;
  for(i = 0; !st && i < 2; i++) {
    const char *a = hsp_json_str(list, alias[i]);
    if(a && (!key || strcmp(a, key)) &&
       json_object_object_add(lists, a, json_object_get(index)))
      st = HRSYNC_E_NOMEM;
  }
  json_object_put(index);
  return st;
}

/* GET /v1/company/named-lists: {"<list>": {"name", "values": [{"id",
** "value", "name", "children": [...]}]}}; a bare array of lists is
** accepted too. */
static hrsync_status hb_lists_load(hrsync_conn *c)
{
  json_object *root;
  hrsync_status st = hb_call(c, "GET", LISTS_PATH, NULL, &root);
  if(st)
    return st;
  c->lists = json_object_new_object();
  if(!c->lists) {
    json_object_put(root);
    return HRSYNC_E_NOMEM;
  }
  if(json_object_is_type(root, json_type_object)) {
    json_object_object_foreach(root, key, list)
    {
      st = index_list(c->lists, key, list);
      if(st)
        break;
    }
  }
  else if(json_object_is_type(root, json_type_array)) {
    size_t i, n = json_object_array_length(root);
    for(i = 0; !st && i < n; i++)
      st = index_list(c->lists, NULL, json_object_array_get_idx(root, i));
  }
  else {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "GET %s: expected an object of lists", LISTS_PATH);
  }
  json_object_put(root);
  if(st) {
    json_object_put(c->lists);
    c->lists = NULL;
  }
  return st;
}

hrsync_status hb_list_item(hrsync_conn *c, const char *list_id,
                           const char *item, const char **name)
{
  json_object *list;
  *name = NULL;
  if(!list_id)
    return HRSYNC_OK;
  if(!c->lists && c->streaming) {
    c->need_lists = 1; /* no request mid-stream: the caller waits */
    return HRSYNC_OK;
  }
  if(!c->lists) {
    hrsync_status st = hb_lists_load(c);
    if(st)
      return st;
  }
  if(json_object_object_get_ex(c->lists, list_id, &list))
    *name = hsp_json_str(list, item);
  return HRSYNC_OK;
}
