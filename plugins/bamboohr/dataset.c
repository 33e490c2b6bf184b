/*
** BambooHR roster from the employee dataset (roster=dataset):
**
**   GET  /v1_2/datasets/employee/fields  its field names (the v1 path when
**                                        that one is 404); 400+ on a real
**                                        tenant, each {name, label, ...}
**   POST /v2/datasets/employee/data      rows, page/pageSize in the body,
**                                        ended by meta.totalPages or an
**                                        empty data array
**
** The dataset has its own names (eeid, email, addressLineOne,
** jobInformationDepartment, ...), no id and no employeeId, rows carry only
** the fields asked for, and an unknown name is a 400. So the names are
** read from the tenant, eeid is the HRIS id, and a config written with the
** classic aliases (workEmail, address1, department...) keeps working:
** each alias that means the same as a dataset field is asked for under
** the dataset's name and emitted under the alias. A name neither the
** dataset nor the alias table knows is never sent: the sync stops with
** the list of such names (some classic fields have no dataset twin).
*/
#include "bamboohr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FIELDS_V1_2[] = "/v1_2/datasets/employee/fields";
static const char FIELDS_V1[] = "/v1/datasets/employee/fields";
static const char DATA_PATH[] = "/v2/datasets/employee/data";

/* The dataset's employee id. */
static const char EEID[] = "eeid";

/* Classic aliases and the dataset names that mean the same, in order of
** preference (the spelling varies by API version: the first one the
** tenant lists wins). An alias that is itself a dataset name (firstName,
** city, hireDate, ...) needs no entry. */
static const struct {
  const char *alias;
  const char *names[4];
} twins[] = {{"id", {"eeid"}},
             {"workEmail", {"email", "workEmail"}},
             {"address1", {"addressLineOne", "address1"}},
             {"address2", {"addressLineTwo", "address2"}},
             {"zipcode", {"zipCode", "zipcode", "zip", "postalCode"}},
             {"employmentHistoryStatus", {"employmentStatus"}},
             {"department", {"jobInformationDepartment", "department"}},
             {"jobTitle", {"jobInformationJobTitle", "jobTitle"}},
             {"location", {"jobInformationLocation", "location"}},
             {"division", {"jobInformationDivision", "division"}},
             {"dateOfBirth", {"dateOfBirth", "birthDate"}},
             {"supervisorEId", {"supervisorEeid", "supervisorEId"}}};

#define N_TWINS (sizeof(twins) / sizeof(twins[0]))

/* Classic names with no dataset twin, and why (said when a config on the
** dataset roster uses one). */
static const char NO_TWIN_REPORT[] =
    "a custom-report field with no dataset equivalent";
static const char NO_TWIN_ID[] =
    "a /v1/meta/fields id; the dataset names its fields (custom ones too) "
    "its own way";
static const char NO_TWIN[] = "not a dataset field";

static int is_numeric_id(const char *s)
{
  if(!(*s >= '0' && *s <= '9'))
    return 0;
  for(; *s; s++)
    if(!((*s >= '0' && *s <= '9') || *s == '.'))
      return 0;
  return 1;
}

/* Why wanted field f cannot be read from the dataset. */
static const char *why_no_twin(const char *f)
{
  size_t i;
  for(i = 0; bhr_report_only[i]; i++)
    if(!strcmp(f, bhr_report_only[i]))
      return NO_TWIN_REPORT;
  if(!strcmp(f, "payRate") || !strcmp(f, "supervisor") ||
     !strcmp(f, "supervisorEmail"))
    return NO_TWIN_REPORT;
  return is_numeric_id(f) ? NO_TWIN_ID : NO_TWIN;
}

/* The dataset name for config field f, or NULL when there is none. */
static const char *dataset_name(const hrsync_conn *c, const char *f)
{
  size_t i, j;
  if(json_object_object_get_ex(c->ds_names, f, NULL))
    return f;
  for(i = 0; i < N_TWINS; i++) {
    if(strcmp(f, twins[i].alias))
      continue;
    for(j = 0; j < 4 && twins[i].names[j]; j++)
      if(json_object_object_get_ex(c->ds_names, twins[i].names[j], NULL))
        return twins[i].names[j];
  }
  return NULL;
}

/* Adds the names of one fields-list page to c->ds_names; *more says
** whether pagination announces another page. */
static hrsync_status add_names(hrsync_conn *c, json_object *root,
                               const char *what, int *more)
{
  json_object *list = root, *pg;
  size_t i, n;
  long cur, total;
  *more = 0;
  if(json_object_is_type(root, json_type_object) &&
     !json_object_object_get_ex(root, "fields", &list))
    list = NULL;
  if(!json_object_is_type(list, json_type_array))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: expected a fields array", what);
  n = json_object_array_length(list);
  for(i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(list, i);
    const char *name = json_object_is_type(e, json_type_string)
                           ? json_object_get_string(e)
                           : hsp_json_str(e, "name");
    const char *label = hsp_json_str(e, "label");
    if(!name || !*name || json_object_object_get_ex(c->ds_names, name, NULL))
      continue;
    json_object_object_add(c->ds_names, name,
                           json_object_new_string(label ? label : name));
  }
  pg = hsp_json_path(root, "pagination");
  cur = (long)json_object_get_int64(hsp_json_path(pg, "current_page"));
  total = (long)json_object_get_int64(hsp_json_path(pg, "total_pages"));
  *more = n && cur >= 1 && total > cur;
  return HRSYNC_OK;
}

hrsync_status bhr_dataset_load(hrsync_conn *c)
{
  const char *base = FIELDS_V1_2;
  hrsync_status st = HRSYNC_OK;
  long page;
  int more = 1;
  if(c->ds_names)
    return HRSYNC_OK;
  if(!(c->ds_names = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  /* Bounded: 50 pages of field names is far beyond any tenant. */
  for(page = 1; more && page <= 50 && st == HRSYNC_OK; page++) {
    json_object *root = NULL;
    char path[96];
    snprintf(path, sizeof(path), page > 1 ? "%s?page=%ld" : "%s", base, page);
    st = page == 1 && base == FIELDS_V1_2
             ? bhr_call_or_404(c, "GET", path, NULL, path, &root)
             : bhr_call(c, "GET", path, NULL, path, &root);
    if(st == HRSYNC_E_HTTP && c->status == 404 && base == FIELDS_V1_2) {
      base = FIELDS_V1; /* an older API: ask the v1 path */
      page = 0;
      st = HRSYNC_OK;
      continue;
    }
    if(st == HRSYNC_OK)
      st = add_names(c, root, path, &more);
    json_object_put(root);
  }
  if(st == HRSYNC_OK && !json_object_object_get_ex(c->ds_names, EEID, NULL))
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: the employee dataset lists no \"%s\" (the "
                       "employee id); cannot read the roster from it",
                       base, EEID);
  if(st != HRSYNC_OK) {
    json_object_put(c->ds_names);
    c->ds_names = NULL;
  }
  return st;
}

/* Our type for a dataset name: the list gives none, the names say it. */
static hrsync_field_type name_type(const char *n)
{
  size_t len = strlen(n);
  if(!strcmp(n, EEID))
    return HRSYNC_FIELD_NUMBER;
  if(!strcmp(n, "dateOfBirth") || !strcmp(n, "birthDate") ||
     (len > 4 && !strcmp(n + len - 4, "Date")))
    return HRSYNC_FIELD_DATE;
  if(!strcmp(n, "email") || (len > 5 && !strcmp(n + len - 5, "Email")))
    return HRSYNC_FIELD_EMAIL;
  return HRSYNC_FIELD_TEXT;
}

static hrsync_status describe(hrsync_conn *c, const char *id,
                              const char *label, const char *name)
{
  hrsync_field_def def;
  memset(&def, 0, sizeof(def));
  def.struct_size = sizeof(def);
  def.type = name_type(name);
  def.id = id;
  def.label = label;
  return c->hh.h->field(c->hh.ctx, &def);
}

/* Logs every wanted field the dataset cannot give; returns how many. */
static size_t warn_untwinned(hrsync_conn *c, char *list, size_t cap)
{
  size_t i, n = 0, len = 0;
  const char *f;
  if(cap)
    list[0] = 0;
  for(i = 0; (f = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    int m;
    if(!*f || !strncmp(f, "hrsync.", 7) || dataset_name(c, f))
      continue;
    n++;
    m = snprintf(list + len, len < cap ? cap - len : 0, "%s\"%s\" (%s)",
                 n > 1 ? ", " : "", f, why_no_twin(f));
    len += m > 0 ? (size_t)m : 0;
    if(len >= cap)
      len = cap;
  }
  return n;
}

hrsync_status bhr_dataset_fields(hrsync_conn *c)
{
  hrsync_status st = bhr_dataset_load(c);
  char list[1024];
  size_t i, j;
  if(st != HRSYNC_OK)
    return st;
  {
    json_object_object_foreach(c->ds_names, name, label)
    {
      st = describe(c, name, json_object_get_string(label), name);
      if(st != HRSYNC_OK)
        return st;
    }
  }
  /* The classic aliases the tenant's dataset has a twin for. */
  for(i = 0; i < N_TWINS && st == HRSYNC_OK; i++) {
    const char *ds = NULL;
    char label[256];
    if(json_object_object_get_ex(c->ds_names, twins[i].alias, NULL))
      continue;
    for(j = 0; j < 4 && twins[i].names[j] && !ds; j++)
      if(json_object_object_get_ex(c->ds_names, twins[i].names[j], NULL))
        ds = twins[i].names[j];
    if(!ds)
      continue;
    snprintf(label, sizeof(label), "classic alias of the dataset's %s", ds);
    st = describe(c, twins[i].alias, label, ds);
  }
  if(st == HRSYNC_OK && warn_untwinned(c, list, sizeof(list)))
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                "roster=dataset cannot read %s; use the dataset's names "
                "(`hrsync fields`) or roster=custom_report",
                list);
  return st;
}

/* Adds [want, ds] to the plan and ds to the request's names, each once. */
static hrsync_status plan_add(json_object *plan, json_object *names,
                              json_object *asked, const char *want,
                              const char *ds)
{
  json_object *pair = json_object_new_array();
  if(!pair)
    return HRSYNC_E_NOMEM;
  json_object_array_add(pair, json_object_new_string(want));
  json_object_array_add(pair, json_object_new_string(ds));
  json_object_array_add(plan, pair);
  if(!json_object_object_get_ex(asked, ds, NULL)) {
    json_object_object_add(asked, ds, NULL);
    json_object_array_add(names, json_object_new_string(ds));
  }
  return HRSYNC_OK;
}

/* Builds c->ds_plan and the names to request (*out, the caller's): eeid,
** every wanted field through its dataset name, hireDate and status. A
** wanted field without a dataset name stops it (never sent: a 400). */
static hrsync_status build_plan(hrsync_conn *c, json_object **out)
{
  static const char *const tail[] = {"hireDate", "status"};
  json_object *plan = json_object_new_array(),
              *names = json_object_new_array();
  json_object *asked = json_object_new_object();
  hrsync_status st = HRSYNC_OK;
  char list[1024];
  const char *f;
  size_t i;
  *out = NULL;
  if(!plan || !names || !asked) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  if(warn_untwinned(c, list, sizeof(list))) {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                       "roster=dataset cannot read %s; use the dataset's "
                       "names (`hrsync fields`) or roster=custom_report",
                       list);
    goto out;
  }
  st = plan_add(plan, names, asked, EEID, EEID);
  for(i = 0; st == HRSYNC_OK && (f = c->hh.h->wanted_field(c->hh.ctx, i)); i++)
    if(*f && strncmp(f, "hrsync.", 7) && strcmp(f, EEID))
      st = plan_add(plan, names, asked, f, dataset_name(c, f));
  for(i = 0; st == HRSYNC_OK && i < 2; i++) {
    const char *ds = dataset_name(c, tail[i]);
    if(ds && !json_object_object_get_ex(asked, ds, NULL))
      st = plan_add(plan, names, asked, ds, ds);
  }
  if(st == HRSYNC_OK && json_object_array_length(names) > BHR_MAX_FIELDS)
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                       "the config uses %zu dataset fields; a request takes "
                       "at most %d",
                       json_object_array_length(names), BHR_MAX_FIELDS);
out:
  json_object_put(asked);
  if(st != HRSYNC_OK) {
    json_object_put(plan);
    json_object_put(names);
    return st;
  }
  json_object_put(c->ds_plan);
  c->ds_plan = plan;
  *out = names;
  return HRSYNC_OK;
}

/* Reads meta.totalPages; -1 when the page does not say. */
static long total_pages(const hsp_jv *root)
{
  const hsp_jv *v = hsp_jv_path(root, "meta.totalPages");
  if(hsp_jv_kind(v) == HSP_JV_INT)
    return (long)hsp_jv_int(v);
  if(hsp_jv_kind(v) == HSP_JV_STRING)
    return strtol(hsp_jv_string(v), NULL, 10);
  return -1;
}

/* The page size to try after a 413 at size, or 0 when none is left. */
static long smaller_page(long size)
{
  static const long sizes[] = {BHR_DATASET_PAGE_SIZE, 500, 250, 125, 25, 5, 1};
  size_t i;
  for(i = 0; i + 1 < sizeof(sizes) / sizeof(sizes[0]); i++)
    if(sizes[i] == size)
      return sizes[i + 1];
  return 0;
}

/* POSTs for the page holding row c->offset; on 413 ("too much data")
** asks again with smaller pages. *page gets the page number asked for
** and what its name; *root lives in c->doc. */
static hrsync_status dataset_request(hrsync_conn *c, const hsp_jv **root,
                                     long *page, char *what, size_t cap)
{
  json_object *fields = NULL, *body;
  hrsync_status st;
  *root = NULL;
  if(!c->page_size)
    c->page_size = BHR_DATASET_PAGE_SIZE;
  for(;;) {
    *page = c->offset / c->page_size + 1;
    snprintf(what, cap, "%s page %ld", DATA_PATH, *page);
    st = build_plan(c, &fields);
    if(st != HRSYNC_OK)
      return st;
    body = json_object_new_object();
    if(!body) {
      json_object_put(fields);
      return HRSYNC_E_NOMEM;
    }
    json_object_object_add(body, "fields", fields);
    json_object_object_add(body, "page", json_object_new_int64(*page));
    json_object_object_add(body, "pageSize",
                           json_object_new_int64(c->page_size));
    st = bhr_call_jv(
        c, "POST", DATA_PATH,
        json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN), what, 0,
        root);
    json_object_put(body);
    if(st != HRSYNC_E_HTTP || c->status != 413 || !smaller_page(c->page_size))
      return st;
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "%s: too much data at %ld rows a page; asking for %ld", what,
                c->page_size, smaller_page(c->page_size));
    c->page_size = smaller_page(c->page_size);
  }
}

/* Row f's member name, looked for from just after *at, the member found
** last: rows list their fields in the order asked, so a planned field
** costs one comparison, not a walk of the row. *at gets what was found. */
static const hsp_jv *row_member(const hsp_jv *f, const char *name,
                                const hsp_jv **at)
{
  size_t len = strlen(name), n = hsp_jv_count(f), i;
  const hsp_jv *m = *at;
  for(i = 0; i < n; i++) {
    m = m ? hsp_jv_next(f, m) : NULL;
    if(!m)
      m = hsp_jv_first(f);
    if(m->key_len == len && !memcmp(m->key, name, len)) {
      *at = m;
      return m;
    }
  }
  return NULL;
}

/* Emits one row: each planned field under the config's name. *fresh is
** 0 for an id already read (the row is skipped). */
static hrsync_status emit_row(hrsync_conn *c, const char *id, const hsp_jv *f,
                              int *fresh)
{
  const hrsync_host *h = c->hh.h;
  const hsp_jv *hire = NULL, *v, *at = NULL;
  const char *hire_name = dataset_name(c, "hireDate");
  size_t i, n = json_object_array_length(c->ds_plan);
  hrsync_status st;
  if((*fresh = hsp_idset_add(&c->seen, id)) < 0)
    return HRSYNC_E_NOMEM;
  if(!*fresh) {
    hrsync_logf(h, c->hh.ctx, HRSYNC_LOG_INFO,
                "employee %s listed twice; kept the first", id);
    return HRSYNC_OK;
  }
  st = h->record_begin(c->hh.ctx, id);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    json_object *pair = json_object_array_get_idx(c->ds_plan, i);
    const char *want =
        json_object_get_string(json_object_array_get_idx(pair, 0));
    const char *ds =
        json_object_get_string(json_object_array_get_idx(pair, 1));
    if((v = row_member(f, ds, &at)))
      st = bhr_emit_member(c, want, v);
  }
  if(hire_name)
    hire = hsp_jv_get(f, hire_name);
  if(st == HRSYNC_OK && bhr_no_hire_date(hire))
    st = h->record_set(c->hh.ctx, HRSYNC_FIELD_SKIP_REASON, BHR_NO_HIRE_DATE);
  if(st == HRSYNC_OK)
    st = h->record_end(c->hh.ctx);
  return st;
}

hrsync_status bhr_dataset_page(hrsync_conn *c)
{
  const hsp_jv *root = NULL, *data, *row;
  char what[96];
  hrsync_status st;
  size_t i, n, fresh = 0;
  long page, total;
  st = bhr_dataset_load(c);
  if(st == HRSYNC_OK)
    st = dataset_request(c, &root, &page, what, sizeof(what));
  if(st != HRSYNC_OK)
    goto out;
  data = hsp_jv_get(root, "data");
  if(hsp_jv_kind(data) != HSP_JV_ARRAY) {
    st = bhr_shape_error(c, root, what, "data");
    goto out;
  }
  n = hsp_jv_count(data);
  for(i = 0, row = hsp_jv_first(data); row && st == HRSYNC_OK;
      i++, row = hsp_jv_next(data, row)) {
    const hsp_jv *f = hsp_jv_get(row, "fields");
    char tmp[64];
    const char *id;
    int is_new = 0;
    if(hsp_jv_kind(f) != HSP_JV_OBJECT) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu].fields is not an object", what, i);
      break;
    }
    id = bhr_id_text(hsp_jv_get(f, EEID), tmp, sizeof(tmp));
    if(!id || !*id) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu] has no %s", what, i, EEID);
      break;
    }
    st = emit_row(c, id, f, &is_new);
    fresh += is_new > 0;
  }
  if(st != HRSYNC_OK)
    goto out;
  total = total_pages(root);
  if(n && !fresh && total < 0) {
    /* Without totalPages only an empty page ends the scan; a server that
    ** ignores "page" would send page 1 forever. */
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: only employees already read, and no "
                       "meta.totalPages (is the page ignored?)",
                       what);
    goto out;
  }
  c->offset += c->page_size;
  if(!n || (total >= 0 && page >= total))
    c->done = 1;
out:
  return st;
}
