/*
** BambooHR field schema from GET /v1/meta/fields: a bare JSON array of
** {id, name, type, alias?, deprecated?}. id is a number for top-level
** fields and a string for sub-fields ("4340.4"). The alias, when there is
** one, is what the custom report and the mapping use, so it is the id.
*/
#include "bamboohr.h"

#include <string.h>

/* Valid in custom reports, absent from /v1/meta/fields (BambooHR's "list
** of field names" page); listed so they can be mapped and used in
** conditions. */
const char *const bhr_report_only[] = {
    "bestEmail", "supervisorEId", "supervisorId", "displayName", "fullName1",
    "fullName2", "fullName3",     "fullName4",    "fullName5",   "lastChanged",
    NULL};

static const struct {
  const char *id, *label;
  hrsync_field_type type;
} report_only_defs[] = {
    {"bestEmail", "Email (work email, else home email)", HRSYNC_FIELD_EMAIL},
    {"supervisorEId", "Supervisor EID (the manager's employee id)",
     HRSYNC_FIELD_TEXT},
    {"supervisorId", "Supervisor ID (the manager's employee number)",
     HRSYNC_FIELD_TEXT},
    {"displayName", "Display name", HRSYNC_FIELD_TEXT},
    {"fullName1", "Full name: First Last", HRSYNC_FIELD_TEXT},
    {"fullName2", "Full name: Last, First", HRSYNC_FIELD_TEXT},
    {"fullName3", "Full name: Last, First Middle", HRSYNC_FIELD_TEXT},
    {"fullName4", "Full name: Last First Middle", HRSYNC_FIELD_TEXT},
    {"fullName5", "Full name: First Middle Last", HRSYNC_FIELD_TEXT},
    {"lastChanged", "Last changed (timestamp)", HRSYNC_FIELD_TEXT}};

/* BambooHR's field types that are a choice out of a list. */
static const char *const list_types[] = {
    "list",     "multilist", "country", "state",  "gender", "marital_status",
    "pay_type", "paid_per",  "exempt",  "status", NULL};

/* Types whose values are plain numbers. "currency" is not one: its values
** read "65000.00 USD". */
static const char *const number_types[] = {"int", "integer", "number",
                                           "decimal", NULL};

static int in_list(const char *s, const char *const *list)
{
  for(; *list; list++)
    if(!strcmp(s, *list))
      return 1;
  return 0;
}

/* Our type for a BambooHR type name. checkbox stays text: its values are
** not documented as true/false. */
static hrsync_field_type map_type(const char *t)
{
  if(!t)
    return HRSYNC_FIELD_TEXT;
  if(!strcmp(t, "date"))
    return HRSYNC_FIELD_DATE;
  if(!strcmp(t, "email"))
    return HRSYNC_FIELD_EMAIL;
  if(!strcmp(t, "bool"))
    return HRSYNC_FIELD_BOOL;
  if(in_list(t, list_types))
    return HRSYNC_FIELD_LIST;
  if(in_list(t, number_types))
    return HRSYNC_FIELD_NUMBER;
  return HRSYNC_FIELD_TEXT;
}

/* True for "deprecated": true (or a "true"/"yes" string). */
static int is_deprecated(json_object *entry)
{
  json_object *v;
  if(!json_object_object_get_ex(entry, "deprecated", &v))
    return 0;
  if(json_object_is_type(v, json_type_boolean))
    return json_object_get_boolean(v);
  if(json_object_is_type(v, json_type_string))
    return !strcmp(json_object_get_string(v), "true") ||
           !strcmp(json_object_get_string(v), "yes");
  return 0;
}

/* Describes one entry unless its id was already described (seen). */
static hrsync_status describe(hrsync_conn *c, json_object *entry, size_t i,
                              json_object *seen)
{
  hrsync_field_def def;
  json_object *idv = NULL;
  const char *alias = hsp_json_str(entry, "alias");
  const char *id;
  char tmp[64];
  json_object_object_get_ex(entry, "id", &idv);
  if(alias && *alias)
    id = alias;
  else if(json_object_is_type(idv, json_type_int) ||
          json_object_is_type(idv, json_type_double) ||
          json_object_is_type(idv, json_type_string))
    id = hsp_json_text(idv, tmp, sizeof(tmp));
  else
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "/v1/meta/fields: entry %zu has neither an id nor "
                         "an alias",
                         i);
  if(!id || !*id)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "/v1/meta/fields: entry %zu has an empty id", i);
  if(json_object_object_get_ex(seen, id, NULL))
    return HRSYNC_OK;
  json_object_object_add(seen, id, NULL);
  memset(&def, 0, sizeof(def));
  def.struct_size = sizeof(def);
  def.type = map_type(hsp_json_str(entry, "type"));
  def.flags = is_deprecated(entry) ? HRSYNC_FIELD_DEPRECATED : 0;
  def.id = id;
  def.label = hsp_json_str(entry, "name");
  return c->hh.h->field(c->hh.ctx, &def);
}

/* One field the meta list did not describe, unless it did (seen). */
static hrsync_status describe_extra(hrsync_conn *c, json_object *seen,
                                    const char *id, const char *label,
                                    hrsync_field_type type)
{
  hrsync_field_def def;
  if(json_object_object_get_ex(seen, id, NULL))
    return HRSYNC_OK;
  memset(&def, 0, sizeof(def));
  def.struct_size = sizeof(def);
  def.type = type;
  def.id = id;
  def.label = label;
  return c->hh.h->field(c->hh.ctx, &def);
}

hrsync_status bhr_list_fields(hrsync_conn *c)
{
  json_object *root = NULL, *seen;
  hrsync_status st = HRSYNC_OK;
  size_t i, n;
  if(c->roster == BHR_ROSTER_DATASET)
    return bhr_dataset_fields(c);
  if(c->meta) {
    root = c->meta; /* from authenticate; ours to free now */
    c->meta = NULL;
  }
  else {
    st = bhr_call(c, "GET", "/v1/meta/fields", NULL, "/v1/meta/fields", &root);
    if(st != HRSYNC_OK)
      return st;
  }
  if(!json_object_is_type(root, json_type_array)) {
    json_object_put(root);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "/v1/meta/fields: expected a top-level array");
  }
  seen = json_object_new_object();
  if(!seen) {
    json_object_put(root);
    return HRSYNC_E_NOMEM;
  }
  n = json_object_array_length(root);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    json_object *e = json_object_array_get_idx(root, i);
    if(!json_object_is_type(e, json_type_object))
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "/v1/meta/fields: entry %zu is not an object", i);
    else
      st = describe(c, e, i, seen);
  }
  /* The employee id is not a meta field but every record carries it. */
  if(st == HRSYNC_OK)
    st = describe_extra(c, seen, "id", "Employee ID (EEID, immutable)",
                        HRSYNC_FIELD_NUMBER);
  for(i = 0; st == HRSYNC_OK &&
             i < sizeof(report_only_defs) / sizeof(report_only_defs[0]);
      i++)
    st = describe_extra(c, seen, report_only_defs[i].id,
                        report_only_defs[i].label, report_only_defs[i].type);
  json_object_put(seen);
  json_object_put(root);
  return st;
}
