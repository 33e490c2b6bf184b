/*
** Lucca field schema: the fixed v3 user fields (nested objects flattened
** as "department.name"), the derived status, and the tenant's custom
** extendedData fields.
**
** Lucca documents no endpoint listing extendedData definitions for API
** keys (the UserProperties path is unconfirmed), so custom fields are
** discovered from the first page of users: every e_ key seen there is
** described as "extendedData.<key>".
*/
#include "lucca.h"

#include <json-c/printbuf.h>
#include <string.h>

#define T HRSYNC_FIELD_TEXT
#define D HRSYNC_FIELD_DATE
#define E HRSYNC_FIELD_EMAIL
#define L HRSYNC_FIELD_LIST
#define N HRSYNC_FIELD_NUMBER

static const hrsync_field_def lc_fields[] = {
#define F(id, type, label)                                                    \
  {                                                                           \
    sizeof(hrsync_field_def), type, 0, id, label                              \
  }
    F("id", N, "User ID"),
    F("firstName", T, "First name"),
    F("lastName", T, "Last name"),
    F("name", T, "Name (\"First Last\")"),
    F("displayName", T, "Display name (\"Last First\")"),
    F("mail", E, "Work email"),
    F("login", T, "Login"),
    F("employeeNumber", T, "Employee number"),
    F("jobTitle", T, "Job title"),
    F("dtContractStart", D, "Contract start"),
    F("dtContractEnd", D, "Contract end"),
    F("birthDate", D, "Birth date"),
    F("address", T, "Address"),
    F("directLine", T, "Direct line"),
    F("professionalMobile", T, "Professional mobile"),
    F("personalMobile", T, "Personal mobile"),
    F("civilTitle", L, "Civil title"),
    F("culture", T, "Culture"),
    F("departmentId", N, "Department ID"),
    F("department.id", N, "Department ID"),
    F("department.name", L, "Department"),
    F("managerId", N, "Manager ID"),
    F("manager.id", N, "Manager ID"),
    F("manager.name", T, "Manager"),
    F("legalEntityId", N, "Legal entity ID"),
    F("legalEntity.id", N, "Legal entity ID"),
    F("legalEntity.name", L, "Legal entity"),
    F("modifiedAt", T, "Modified at"),
    F("status", L, "Status (active / former / future, from contract dates)"),
#undef F
};

const char *lc_ext_text(json_object *v, char *tmp, size_t cap,
                        struct printbuf *pb)
{
  json_object *inner;
  size_t i, n;
  if(json_object_is_type(v, json_type_object) &&
     json_object_object_get_ex(v, "value", &inner))
    return lc_ext_text(inner, tmp, cap, pb);
  if(!json_object_is_type(v, json_type_array))
    return hsp_json_text(v, tmp, cap);
  /* Multi-values: [{"id": 1, "value": "beer"}, ...]. */
  printbuf_reset(pb);
  n = json_object_array_length(v);
  for(i = 0; i < n; i++) {
    json_object *it = json_object_array_get_idx(v, i);
    const char *s;
    if(json_object_is_type(it, json_type_object) &&
       json_object_object_get_ex(it, "value", &inner))
      it = inner;
    s = hsp_json_text(it, tmp, cap);
    /* Returns text, not a status: no memory only shortens the list. */
    (void)hsp_join(pb, s);
  }
  return pb->bpos ? pb->buf : NULL;
}

/* Describes each extendedData key of the first page once. */
static hrsync_status lc_discover(hrsync_conn *c)
{
  static const char what[] = "GET " LC_USERS " (extendedData fields)";
  json_object *root, *items, *seen;
  const char *w;
  hrsync_status st;
  size_t i, n;

  st = lc_get(c,
              LC_USERS "?fields=id,extendedData&formerEmployees=true"
                       "&paging=0,1000",
              what, &root);
  if(!st)
    st = lc_items(c, root, what, &items);
  if(st) {
    json_object_put(root);
    return st;
  }
  seen = json_object_new_object();
  if(!seen) {
    json_object_put(root);
    return HRSYNC_E_NOMEM;
  }
  n = json_object_array_length(items);
  for(i = 0; !st && i < n; i++) {
    json_object *ext;
    if(!json_object_object_get_ex(json_object_array_get_idx(items, i),
                                  "extendedData", &ext) ||
       !json_object_is_type(ext, json_type_object))
      continue;
    json_object_object_foreach(ext, key, val)
    {
      char id[256], label[300];
      hrsync_field_def d;
      (void)val;
      if(json_object_object_get_ex(seen, key, NULL))
        continue;
      if(json_object_object_add(seen, key, NULL)) {
        st = HRSYNC_E_NOMEM;
        break;
      }
      snprintf(id, sizeof(id), "extendedData.%s", key);
      snprintf(label, sizeof(label), "Custom field %s", key);
      memset(&d, 0, sizeof(d));
      d.struct_size = sizeof(d);
      d.type = HRSYNC_FIELD_TEXT;
      d.id = id;
      d.label = label;
      st = c->hh.h->field(c->hh.ctx, &d);
      if(st)
        break;
    }
  }
  /* A custom field the config names but nobody on the first page has set
  ** still exists: describe it rather than have the config refused. */
  for(i = 0; !st && (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    hrsync_field_def d;
    if(strncmp(w, "extendedData.", 13) || !w[13] || strchr(w + 13, '.') ||
       json_object_object_get_ex(seen, w + 13, NULL))
      continue;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = HRSYNC_FIELD_TEXT;
    d.id = w;
    d.label = "Custom field (not seen on the first page of users)";
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  json_object_put(seen);
  json_object_put(root);
  return st;
}

hrsync_status lc_list_fields(hrsync_conn *c)
{
  hrsync_status st = HRSYNC_OK;
  size_t i;
  for(i = 0; !st && i < sizeof(lc_fields) / sizeof(lc_fields[0]); i++)
    st = c->hh.h->field(c->hh.ctx, &lc_fields[i]);
  if(!st)
    st = lc_discover(c);
  return st;
}
