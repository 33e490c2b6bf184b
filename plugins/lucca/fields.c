/*
** Lucca field schema: the fixed v3 user fields (nested objects flattened
** as "department.name"), the derived status, and the tenant's custom
** extendedData fields.
**
** Lucca documents no endpoint listing every extendedData definition for
** API keys (the UserProperties path is unconfirmed), so custom fields are
** discovered from the first page of users: every e_ key seen there is
** described as "extendedData.<key>", a composite's sub-properties as
** "extendedData.<key>.<sub>".
*/
#include "lucca.h"

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
    F("gender", L, "Gender"),
    F("nationalityId", N, "Nationality ID"),
    F("nationality", L, "Nationality (name of nationalityId)"),
    F("personalEmail", E, "Personal email"),
    F("seniorityDate", D, "Seniority date"),
    F("culture.id", N, "Culture ID"),
    F("culture.name", L, "Culture (language)"),
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

/* Describes each extendedData key of the first page once. */
static hrsync_status lc_discover(hrsync_conn *c)
{
  static const char what[] = "GET " LC_USERS " (extendedData fields)";
  const hsp_jv *root, *items, *u;
  hsp_jdoc *doc = hsp_jdoc_new();
  lc_acc seen = {0};
  const char *w;
  hrsync_status st = doc ? HRSYNC_OK : HRSYNC_E_NOMEM;
  size_t i;

  if(!st)
    st = lc_get_jv(c,
                   LC_USERS "?fields=id,extendedData&formerEmployees=true"
                            "&paging=0,1000",
                   what, doc, &root);
  if(!st)
    st = lc_items_jv(c, root, what, &items);
  if(st) {
    hsp_jdoc_free(doc);
    return st;
  }
  /* Every flattened id any user on the page has (composites give one
  ** per sub-property), described once. */
  for(u = hsp_jv_first(items); !st && u; u = hsp_jv_next(items, u)) {
    const hsp_jv *ext = hsp_jv_get(u, "extendedData");
    if(ext)
      st = lc_ext_flatten(c, ext, &seen, 1);
  }
  for(i = 0; !st && i < lc_acc_count(&seen); i++) {
    const char *id = lc_acc_id(&seen, i);
    char label[600];
    hrsync_field_def d;
    snprintf(label, sizeof(label), "Custom field %s", id + 13);
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = HRSYNC_FIELD_TEXT;
    d.id = id;
    d.label = label;
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  /* A custom field the config names but nobody on the first page has set
  ** still exists: describe it rather than have the config refused. */
  for(i = 0; !st && (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    hrsync_field_def d;
    if(strncmp(w, "extendedData.", 13) || !w[13] || lc_acc_has(&seen, w))
      continue;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = HRSYNC_FIELD_TEXT;
    d.id = w;
    d.label = "Custom field (not seen on the first page of users)";
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  lc_acc_free(&seen);
  hsp_jdoc_free(doc);
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
