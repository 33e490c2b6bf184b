/*
** Personio field schema: the attributes the API credential may read
** (GET /v1/company/employees/attributes: data[] of key, label, type,
** universal_id, options), then the standard attributes the endpoint did
** not list. Relations (department, office, supervisor, ...) are nested
** objects on the wire; records carry them flattened, so the schema lists
** "department.id" and "department.name" rather than "department".
*/
#include "personio.h"

#include <stdio.h>
#include <string.h>

typedef struct psn_attr {
  const char *id;
  const char *label;
  hrsync_field_type type;
} psn_attr;

/* employment_type is not full/part time: people map it wrongly unless the
** label says so. */
#define EMPLOYMENT_TYPE_LABEL                                                 \
  "Employment type (internal/external \xe2\x80\x94 not full/part-time; see "  \
  "weekly_working_hours)"

/* Standard v1 attributes, as the employees list sends them. */
static const psn_attr standard[] = {
    {"id", "ID", HRSYNC_FIELD_NUMBER},
    {"first_name", "First name", HRSYNC_FIELD_TEXT},
    {"last_name", "Last name", HRSYNC_FIELD_TEXT},
    {"preferred_name", "Name (preferred)", HRSYNC_FIELD_TEXT},
    {"email", "Email", HRSYNC_FIELD_EMAIL},
    {"gender", "Gender", HRSYNC_FIELD_LIST},
    {"status", "Status (active, inactive, onboarding, leave)",
     HRSYNC_FIELD_LIST},
    {"position", "Position", HRSYNC_FIELD_TEXT},
    {"employment_type", EMPLOYMENT_TYPE_LABEL, HRSYNC_FIELD_LIST},
    {"weekly_working_hours", "Weekly hours", HRSYNC_FIELD_NUMBER},
    {"hire_date", "Hire date", HRSYNC_FIELD_DATE},
    {"contract_end_date", "Contract ends", HRSYNC_FIELD_DATE},
    {"probation_period_end", "Probation period end", HRSYNC_FIELD_DATE},
    {"termination_date", "Termination date", HRSYNC_FIELD_DATE},
    {"last_working_day", "Last working day", HRSYNC_FIELD_DATE},
    {"termination_type", "Termination type", HRSYNC_FIELD_TEXT},
    {"termination_reason", "Termination reason", HRSYNC_FIELD_TEXT},
    {"fix_salary", "Fix salary", HRSYNC_FIELD_NUMBER},
    {"hourly_salary", "Hourly salary", HRSYNC_FIELD_NUMBER},
    /* vacation_day_balance left GET employees in April 2024. */
    {"cost_centers", "Cost centers (names, comma separated)",
     HRSYNC_FIELD_TEXT},
    {"created_at", "Created at (timestamp)", HRSYNC_FIELD_TEXT},
    {"last_modified_at", "Last modified (timestamp)", HRSYNC_FIELD_TEXT},
    {"supervisor", "Supervisor", HRSYNC_FIELD_TEXT},
    {"department", "Department", HRSYNC_FIELD_TEXT},
    {"office", "Office", HRSYNC_FIELD_TEXT},
    {"team", "Team", HRSYNC_FIELD_TEXT},
    {"subcompany", "Subcompany", HRSYNC_FIELD_TEXT},
    {"holiday_calendar", "Holiday calendar", HRSYNC_FIELD_TEXT},
    {"work_schedule", "Work schedule", HRSYNC_FIELD_TEXT},
};

static const char *const employee_subfields[] = {"id", "first_name",
                                                 "last_name", "email", NULL};
static const char *const object_subfields[] = {"id", "name", NULL};
static const char *const relations[] = {
    "department",       "office",        "team", "subcompany",
    "holiday_calendar", "work_schedule", NULL};

const char *const *psn_relation_subfields(const char *key)
{
  size_t i;
  if(!strcmp(key, "supervisor"))
    return employee_subfields;
  for(i = 0; relations[i]; i++)
    if(!strcmp(key, relations[i]))
      return object_subfields;
  return NULL;
}

/* Our type for a Personio attribute type. Timestamps stay text: the
** engine would round 17:33 to the next day's midnight. */
static hrsync_field_type map_type(const char *key, const char *type)
{
  size_t i;
  if(!strcmp(key, "created_at") || !strcmp(key, "last_modified_at"))
    return HRSYNC_FIELD_TEXT;
  for(i = 0; i < sizeof(standard) / sizeof(standard[0]); i++)
    if(!strcmp(key, standard[i].id))
      return standard[i].type;
  if(!type)
    return HRSYNC_FIELD_TEXT;
  if(!strcmp(type, "date"))
    return HRSYNC_FIELD_DATE;
  if(!strcmp(type, "integer") || !strcmp(type, "decimal"))
    return HRSYNC_FIELD_NUMBER;
  if(!strcmp(type, "list") || !strcmp(type, "tags"))
    return HRSYNC_FIELD_LIST;
  return HRSYNC_FIELD_TEXT;
}

static hrsync_status describe_one(hrsync_conn *c, json_object *seen,
                                  const char *id, const char *label,
                                  hrsync_field_type type)
{
  hrsync_field_def def;
  if(json_object_object_get_ex(seen, id, NULL))
    return HRSYNC_OK;
  json_object_object_add(seen, id, NULL);
  memset(&def, 0, sizeof(def));
  def.struct_size = sizeof(def);
  def.type = type;
  def.id = id;
  def.label = label;
  return c->hh.h->field(c->hh.ctx, &def);
}

/* Describes key, or for a relation its flattened sub-fields. */
static hrsync_status describe(hrsync_conn *c, json_object *seen,
                              const char *key, const char *label,
                              const char *type)
{
  const char *const *sub = psn_relation_subfields(key);
  hrsync_status st = HRSYNC_OK;
  char id[256], lab[512];
  if(!strcmp(key, "employment_type"))
    label = EMPLOYMENT_TYPE_LABEL;
  if(!sub)
    return describe_one(c, seen, key, label, map_type(key, type));
  for(; *sub && st == HRSYNC_OK; sub++) {
    snprintf(id, sizeof(id), "%s.%s", key, *sub);
    snprintf(lab, sizeof(lab), "%s (%s)", label ? label : key, *sub);
    st = describe_one(c, seen, id, lab,
                      !strcmp(*sub, "id")      ? HRSYNC_FIELD_NUMBER
                      : !strcmp(*sub, "email") ? HRSYNC_FIELD_EMAIL
                                               : HRSYNC_FIELD_TEXT);
  }
  return st;
}

/* Whether the attributes list (data) has key. */
static int listed(json_object *data, const char *key, size_t len)
{
  size_t i, n = json_object_array_length(data);
  for(i = 0; i < n; i++) {
    const char *k = hsp_json_str(json_object_array_get_idx(data, i), "key");
    if(k && strlen(k) == len && !memcmp(k, key, len))
      return 1;
  }
  return 0;
}

/* The attributes endpoint lists exactly what the credential may read
** ("Readable employee attributes"): a wanted attribute it lacks is
** withheld for the whole run, not empty (SDK 1.2). id is always sent. */
static void report_withheld(hrsync_conn *c, json_object *data)
{
  const hrsync_host *h = c->hh.h;
  const char *w;
  size_t i;
  if(!HRSYNC_HOST_HAS(h, field_withheld))
    return;
  for(i = 0; (w = h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    size_t len = strcspn(w, ".");
    if(!len || !strncmp(w, "hrsync.", 7) || (len == 2 && !strncmp(w, "id", 2)))
      continue;
    if(!listed(data, w, len))
      h->field_withheld(c->hh.ctx, w,
                        "not among the API credential's readable employee "
                        "attributes (Settings > API credentials)");
  }
}

hrsync_status psn_list_fields(hrsync_conn *c)
{
  static const char what[] = "/v1/company/employees/attributes";
  json_object *root = NULL, *data, *seen = NULL;
  hrsync_status st;
  size_t i, n;
  st = psn_get(c, "/v1/company/employees/attributes", what, &root);
  if(st != HRSYNC_OK)
    return st;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "data", &data) ||
     !json_object_is_type(data, json_type_array)) {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: 'data' is not an array", what);
    goto out;
  }
  if(!(seen = json_object_new_object())) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  n = json_object_array_length(data);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    json_object *e = json_object_array_get_idx(data, i);
    const char *key = hsp_json_str(e, "key");
    if(!key || !*key) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu] has no key", what, i);
      break;
    }
    st = describe(c, seen, key, hsp_json_str(e, "label"),
                  hsp_json_str(e, "type"));
  }
  if(st == HRSYNC_OK && n)
    report_withheld(c, data);
  for(i = 0; i < sizeof(standard) / sizeof(standard[0]) && st == HRSYNC_OK;
      i++)
    st = describe(c, seen, standard[i].id, standard[i].label, NULL);
out:
  json_object_put(seen);
  json_object_put(root);
  return st;
}
