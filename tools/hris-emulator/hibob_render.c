/* HiBob people search: one unpaged answer, employees as the documented
 * "/cat/field" keys with {"value": x} wrappers (or, with --hibob-shape
 * nested, nested by each field's jsonPath; both: the two at once), list
 * fields as item ids, humanReadable APPEND /
 * REPLACE, and fields the service user may not see silently left out. */
#include "hibob.h"

#include "dates.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct std_field {
  const char *id, *path, *cat, *cat_name, *name, *type, *list;
  int historical, kind, canon;
} std_fields[] = {
    {"root.id", "id", "root", "Basic info", "ID", "text", NULL, 0, HB_ID, -1},
    {"root.firstName", "firstName", "root", "Basic info", "First name", "text",
     NULL, 0, HB_TEXT, EMU_F_FIRST_NAME},
    {"root.surname", "surname", "root", "Basic info", "Last name", "text",
     NULL, 0, HB_TEXT, EMU_F_LAST_NAME},
    {"root.displayName", "displayName", "root", "Basic info", "Display name",
     "text", NULL, 0, HB_DISPLAY, -1},
    {"root.fullName", "fullName", "root", "Basic info", "Full name", "text",
     NULL, 0, HB_FULLNAME, -1},
    {"root.email", "email", "root", "Basic info", "Email", "text", NULL, 0,
     HB_TEXT, EMU_F_EMAIL},
    {"root.companyId", "companyId", "root", "Basic info", "Company ID",
     "number", NULL, 0, HB_COMPANY, -1},
    {"root.creationDateTime", "creationDateTime", "root", "Basic info",
     "Creation date", "text", NULL, 0, HB_CREATED, -1},
    {"work.employeeIdInCompany", "work.employeeIdInCompany", "work", "Work",
     "Employee ID", "number", NULL, 0, HB_EMPNO, EMU_F_EMPLOYEE_NUMBER},
    {"work.startDate", "work.startDate", "work", "Work", "Start date", "date",
     NULL, 0, HB_DATE, EMU_F_HIRE_DATE},
    {"work.department", "work.department", "work", "Work", "Department",
     "list", "department", 1, HB_LIST, EMU_F_DEPARTMENT},
    {"work.title", "work.title", "work", "Work", "Job title", "list", "title",
     1, HB_LIST, EMU_F_JOB_TITLE},
    {"work.site", "work.site", "work", "Work", "Site", "list", "site", 1,
     HB_LIST, -1},
    {"work.reportsTo", "work.reportsTo", "work", "Work", "Reports to",
     "employee-reference", NULL, 1, HB_REPORTS_TO, -1},
    {"home.privateEmail", "home.privateEmail", "home", "Home",
     "Personal email", "text", NULL, 0, HB_TEXT, EMU_F_PERSONAL_EMAIL},
    {"home.mobilePhone", "home.mobilePhone", "home", "Home", "Mobile phone",
     "text", NULL, 0, HB_TEXT, EMU_F_PHONE},
    {"address.line1", "address.line1", "address", "Address", "Address line 1",
     "text", NULL, 0, HB_TEXT, EMU_F_ADDRESS_LINE1},
    {"address.line2", "address.line2", "address", "Address", "Address line 2",
     "text", NULL, 0, HB_TEXT, EMU_F_ADDRESS_LINE2},
    {"address.city", "address.city", "address", "Address", "City", "text",
     NULL, 0, HB_TEXT, EMU_F_CITY},
    {"address.postCode", "address.postCode", "address", "Address",
     "Postal code", "text", NULL, 0, HB_TEXT, EMU_F_POSTAL_CODE},
    {"address.state", "address.state", "address", "Address", "State", "text",
     NULL, 0, HB_TEXT, EMU_F_REGION},
    {"address.country", "address.country", "address", "Address", "Country",
     "text", NULL, 0, HB_TEXT, EMU_F_COUNTRY},
    {"personal.birthDate", "personal.birthDate", "personal", "Personal",
     "Date of birth", "date", NULL, 0, HB_DATE, EMU_F_BIRTH_DATE},
    {"personal.nationality", "personal.nationality", "personal", "Personal",
     "Nationality", "multi-list", NULL, 0, HB_NATIONALITY, EMU_F_NATIONALITY},
    {"internal.status", "internal.status", "internal", "Internal", "Status",
     "text", NULL, 0, HB_STATUS, EMU_F_STATUS},
    {"internal.lifecycleStatus", "internal.lifecycleStatus", "internal",
     "Internal", "Lifecycle status", "text", NULL, 0, HB_LIFECYCLE,
     EMU_F_STATUS},
    {"internal.terminationDate", "internal.terminationDate", "internal",
     "Internal", "Termination date", "date", NULL, 0, HB_DATE,
     EMU_F_TERMINATION_DATE},
    {"payroll.employment.type", "payroll.employment.type", "payroll",
     "Payroll", "Employment type", "list", "employmentType", 1, HB_LIST,
     EMU_F_EMPLOYMENT_TYPE}};

#define NSTD (sizeof(std_fields) / sizeof(std_fields[0]))

hb_field *hb_catalogue(const emu_pop *pop, size_t *n)
{
  hb_field *v = calloc(NSTD + pop->ncustom_keys + 1, sizeof(*v));
  size_t i;

  if(!v)
    return NULL;
  for(i = 0; i < NSTD; i++) {
    const struct std_field *s = &std_fields[i];
    snprintf(v[i].id, sizeof(v[i].id), "%s", s->id);
    snprintf(v[i].json_path, sizeof(v[i].json_path), "%s", s->path);
    v[i].category = s->cat;
    v[i].category_name = s->cat_name;
    v[i].name = s->name;
    v[i].type = s->type;
    v[i].list_id = s->list;
    v[i].historical = s->historical;
    v[i].kind = s->kind;
    v[i].canon = s->canon;
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    hb_field *f = &v[NSTD + i];
    snprintf(f->id, sizeof(f->id), "work.custom.field_%llu",
             1651169416679ULL + i);
    snprintf(f->json_path, sizeof(f->json_path), "%s", f->id);
    f->category = "work";
    f->category_name = "Work";
    f->name = pop->custom_keys[i];
    f->type = "text";
    f->kind = HB_CUSTOM;
    f->canon = -1;
    f->custom = i;
  }
  *n = NSTD + pop->ncustom_keys;
  return v;
}

/* Writes one value, machine or human-readable. */
static void value(const emu_req *req, emu_buf *b, const hb_field *f,
                  const emu_person *p, int human)
{
  static const char *const etypes[] = {"Full-time", "Part-time", "Contractor"};
  const emu_pop *pop = req->ctx->pop;
  const char *v = f->canon >= 0 ? p->f[f->canon] : NULL;
  char tmp[64];
  long day, idx;
  int y, m, d;

  switch(f->kind) {
  case HB_ID:
    hb_id(p->id, tmp);
    emu_json_str(b, tmp);
    return;
  case HB_DISPLAY:
  case HB_FULLNAME: {
    /* displayName prefers the preferred name, fullName never does. */
    char name[256];
    snprintf(name, sizeof(name), "%s %s",
             f->kind == HB_DISPLAY && p->f[EMU_F_PREFERRED_NAME]
                 ? p->f[EMU_F_PREFERRED_NAME]
                 : (p->f[EMU_F_FIRST_NAME] ? p->f[EMU_F_FIRST_NAME] : ""),
             p->f[EMU_F_LAST_NAME] ? p->f[EMU_F_LAST_NAME] : "");
    emu_json_str(b, name);
    return;
  }
  case HB_COMPANY:
    emu_buf_puts(b, "640897");
    return;
  case HB_CREATED:
    emu_time_format(p->modified - 86400 * 30, tmp);
    tmp[19] = '\0'; /* "2022-09-16T07:47:44", no zone */
    emu_json_str(b, tmp);
    return;
  case HB_EMPNO:
    if(v && strspn(v, "0123456789") == strlen(v) && *v && strlen(v) < 16)
      emu_buf_puts(b, v);
    else
      emu_json_str(b, v);
    return;
  case HB_LIST:
    if(!strcmp(f->list_id, "site")) {
      idx = p->office_id;
      v = pop->offices[idx];
    }
    else if(!strcmp(f->list_id, "employmentType")) {
      idx = !v                         ? -1
            : !strcmp(v, "Part-Time")  ? 1
            : !strcmp(v, "Contractor") ? 2
                                       : 0;
      v = idx < 0 ? NULL : etypes[idx];
    }
    else
      idx = !strcmp(f->list_id, "department") ? p->dept_id : p->title_id;
    if(!v || idx < 0)
      emu_buf_puts(b, "null");
    else if(human)
      emu_json_str(b, v);
    else {
      hb_item_id(f->list_id, idx, tmp);
      emu_json_str(b, tmp);
    }
    return;
  case HB_REPORTS_TO: {
    const emu_person *s =
        p->supervisor ? emu_pop_find(pop, p->supervisor) : NULL;
    if(!s) {
      emu_buf_puts(b, "null");
      return;
    }
    if(human) {
      char name[256];
      snprintf(name, sizeof(name), "%s %s",
               s->f[EMU_F_FIRST_NAME] ? s->f[EMU_F_FIRST_NAME] : "",
               s->f[EMU_F_LAST_NAME] ? s->f[EMU_F_LAST_NAME] : "");
      emu_json_str(b, name);
      return;
    }
    hb_id(s->id, tmp);
    emu_buf_printf(b, "{\"id\":\"%s\",\"email\":", tmp);
    emu_json_str(b, s->f[EMU_F_EMAIL]);
    emu_buf_puts(b, ",\"firstName\":");
    emu_json_str(b, s->f[EMU_F_FIRST_NAME]);
    emu_buf_puts(b, ",\"surname\":");
    emu_json_str(b, s->f[EMU_F_LAST_NAME]);
    emu_buf_puts(b, "}");
    return;
  }
  case HB_NATIONALITY:
    if(!v)
      emu_buf_puts(b, "[]");
    else {
      emu_buf_puts(b, "[");
      emu_json_str(b, v);
      emu_buf_puts(b, "]");
    }
    return;
  case HB_STATUS:
    emu_json_str(b, p->status == EMU_ACTIVE ? "Active" : "Inactive");
    return;
  case HB_LIFECYCLE:
    emu_json_str(b, p->status == EMU_ACTIVE     ? "employed"
                    : p->status == EMU_INACTIVE ? "terminated"
                                                : "hired");
    return;
  case HB_DATE:
    if(human && v && !emu_date_parse(v, &day)) {
      /* Human-readable dates follow the company format (DD/MM/YYYY). */
      emu_date_split(day, &y, &m, &d);
      emu_buf_printf(b, "\"%02d/%02d/%04d\"", d, m, y);
    }
    else
      emu_json_str(b, v);
    return;
  case HB_CUSTOM:
    emu_json_str(b, emu_person_custom(p, pop->custom_keys[f->custom]));
    return;
  default:
    emu_json_str(b, v);
  }
}

/* The selection of one search: catalogue entries in jsonPath order. */
typedef struct search {
  hb_field *cat;
  size_t ncat;
  const hb_field **sel;
  size_t nsel;
  int human; /* 0 none, 1 APPEND, 2 REPLACE */
  int inactive;
  int filter; /* 0 none, 1 root.id, 2 root.email */
  json_object *values;
} search;

static int path_cmp(const void *a, const void *b)
{
  const char *x = (*(const hb_field *const *)a)->json_path;
  const char *y = (*(const hb_field *const *)b)->json_path;

  /* Segment-wise: '.' sorts before any name character. */
  for(; *x && *x == *y; x++, y++)
    ;
  if(*x == '.')
    return *y ? -1 : 1;
  if(*y == '.')
    return *x ? 1 : -1;
  return (unsigned char)*x - (unsigned char)*y;
}

/* Writes the selected fields as objects nested by jsonPath; returns the
 * number of members written at the top level. */
static int write_nested(const emu_req *req, emu_buf *b, const search *s,
                        const emu_person *p, int human)
{
  char open[4][64];
  int depth = 0, first[5] = {1, 1, 1, 1, 1}, top = 0;
  size_t i;

  for(i = 0; i < s->nsel; i++) {
    char segs[5][64];
    int n = 0, common = 0, k;
    const char *path = s->sel[i]->json_path, *dot;
    /* At most 4 parents: segs[n] below is then still inside segs. */
    while(n < 4 && (dot = strchr(path, '.'))) {
      snprintf(segs[n++], 64, "%.*s", (int)(dot - path), path);
      path = dot + 1;
    }
    snprintf(segs[n], 64, "%s", path);
    while(common < depth && common < n && !strcmp(open[common], segs[common]))
      common++;
    for(; depth > common; depth--)
      emu_buf_puts(b, "}");
    for(k = depth; k < n && k < 4; k++) {
      if(!first[k])
        emu_buf_puts(b, ",");
      first[k] = 0;
      top += k == 0;
      emu_json_key(b, segs[k]);
      emu_buf_puts(b, "{");
      snprintf(open[k], 64, "%s", segs[k]);
      first[k + 1] = 1;
      depth = k + 1;
    }
    if(!first[depth])
      emu_buf_puts(b, ",");
    first[depth] = 0;
    top += depth == 0;
    emu_json_key(b, segs[n]);
    value(req, b, s->sel[i], p, human);
  }
  for(; depth > 0; depth--)
    emu_buf_puts(b, "}");
  return top;
}

/* The slash-keyed variant: {"/root/firstName": {"value": "Zoë"}, ...}. */
static int write_slash(const emu_req *req, emu_buf *b, const search *s,
                       const emu_person *p, int human, int wrap)
{
  size_t i;
  char key[80], *c;

  for(i = 0; i < s->nsel; i++) {
    snprintf(key, sizeof(key), "/%s", s->sel[i]->id);
    for(c = key; *c; c++)
      if(*c == '.')
        *c = '/';
    if(i)
      emu_buf_puts(b, ",");
    emu_json_key(b, key);
    if(wrap)
      emu_buf_puts(b, "{\"value\":");
    value(req, b, s->sel[i], p, human);
    if(wrap)
      emu_buf_puts(b, "}");
  }
  return (int)s->nsel;
}

static void write_employee(const emu_req *req, emu_buf *b, const search *s,
                           const emu_person *p)
{
  int shape = req->ctx->opts->hibob_shape, n = 0;

  emu_buf_puts(b, "{");
  if(shape != EMU_HIBOB_NESTED)
    n = write_slash(req, b, s, p, s->human == 2, 1);
  if(shape != EMU_HIBOB_SLASH) {
    if(n)
      emu_buf_puts(b, ",");
    n += write_nested(req, b, s, p, s->human == 2);
  }
  if(s->human == 1) {
    emu_buf_puts(b, n ? ",\"humanReadable\":{" : "\"humanReadable\":{");
    if(shape != EMU_HIBOB_NESTED)
      n = write_slash(req, b, s, p, 1, 0);
    else
      n = 0;
    if(shape != EMU_HIBOB_SLASH) {
      if(n)
        emu_buf_puts(b, ",");
      write_nested(req, b, s, p, 1);
    }
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "}");
}

static const hb_field *find(const search *s, const char *id)
{
  char norm[80], *c;
  size_t i;

  /* "/root/firstName" is accepted as "root.firstName". */
  snprintf(norm, sizeof(norm), "%s", id[0] == '/' ? id + 1 : id);
  if(id[0] == '/')
    for(c = norm; *c; c++)
      if(*c == '/')
        *c = '.';
  for(i = 0; i < s->ncat; i++)
    if(!strcmp(s->cat[i].id, norm))
      return &s->cat[i];
  return NULL;
}

/* Reads the request; returns NULL or the error message (msg buffer). */
static const char *parse(const emu_req *req, json_object *body, search *s,
                         char *msg, size_t msglen)
{
  json_object *v, *filters;
  size_t i, n;

  if(json_object_object_get_ex(body, "fields", &v)) {
    if(!json_object_is_type(v, json_type_array))
      return "fields must be an array of field ids";
    n = json_object_array_length(v);
    for(i = 0; i < n; i++) {
      const char *id = json_object_get_string(json_object_array_get_idx(v, i));
      const hb_field *f = id ? find(s, id) : NULL;
      size_t j;
      if(!f) {
        snprintf(msg, msglen, "Field '%s' does not exist", id ? id : "(null)");
        return msg;
      }
      for(j = 0; j < s->nsel && s->sel[j] != f; j++)
        ;
      if(j == s->nsel && hb_visible(req, f))
        s->sel[s->nsel++] = f;
    }
  }
  else
    /* The documented default: basic info plus the work category. */
    for(i = 0; i < s->ncat; i++)
      if((!strcmp(s->cat[i].category, "root") ||
          !strcmp(s->cat[i].category, "work")) &&
         hb_visible(req, &s->cat[i]))
        s->sel[s->nsel++] = &s->cat[i];
  if(json_object_object_get_ex(body, "showInactive", &v))
    s->inactive = json_object_get_boolean(v);
  if(json_object_object_get_ex(body, "humanReadable", &v)) {
    const char *h = json_object_get_string(v);
    if(!h || !*h)
      s->human = 0;
    else if(!strcmp(h, "APPEND"))
      s->human = 1;
    else if(!strcmp(h, "REPLACE"))
      s->human = 2;
    else
      return "humanReadable must be APPEND or REPLACE";
  }
  if(!json_object_object_get_ex(body, "filters", &filters))
    return NULL;
  if(!json_object_is_type(filters, json_type_array))
    return "filters must be an array";
  n = json_object_array_length(filters);
  if(n > 1)
    return "Only one filter is supported";
  if(n == 1) {
    json_object *f = json_object_array_get_idx(filters, 0), *fp, *op;
    const char *path;
    if(!json_object_object_get_ex(f, "fieldPath", &fp) ||
       !json_object_object_get_ex(f, "operator", &op) ||
       !json_object_object_get_ex(f, "values", &s->values) ||
       !json_object_is_type(s->values, json_type_array) ||
       !json_object_array_length(s->values))
      return "A filter needs fieldPath, operator and non-empty values";
    path = json_object_get_string(fp);
    if(strcmp(json_object_get_string(op), "equals"))
      return "Unsupported filter operator (only equals)";
    if(!strcmp(path, "root.id") || !strcmp(path, "/root/id"))
      s->filter = 1;
    else if(!strcmp(path, "root.email") || !strcmp(path, "/root/email"))
      s->filter = 2;
    else
      return "Unsupported filter fieldPath (root.id or root.email only)";
  }
  return NULL;
}

static int filter_ok(const search *s, const emu_person *p)
{
  size_t i, n = json_object_array_length(s->values);
  char id[32];

  if(s->filter == 1)
    hb_id(p->id, id);
  for(i = 0; i < n; i++) {
    const char *v =
        json_object_get_string(json_object_array_get_idx(s->values, i));
    if(!v)
      continue;
    if(s->filter == 1 && !strcmp(v, id))
      return 1;
    if(s->filter == 2 && p->f[EMU_F_EMAIL] && !strcmp(v, p->f[EMU_F_EMAIL]))
      return 1;
  }
  return 0;
}

void hb_search(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  json_object *body = emu_req_json(req);
  search s;
  const char *why;
  char msg[200];
  size_t i, n;
  int first = 1;

  memset(&s, 0, sizeof(s));
  if(!body || !json_object_is_type(body, json_type_object)) {
    hb_error(req, resp, 400, "The request body must be a JSON object");
    json_object_put(body);
    return;
  }
  s.cat = hb_catalogue(pop, &s.ncat);
  s.sel = s.cat ? calloc(s.ncat + 1, sizeof(*s.sel)) : NULL;
  if(!s.sel) {
    hb_error(req, resp, 500, "out of memory");
    goto out;
  }
  if((why = parse(req, body, &s, msg, sizeof(msg)))) {
    hb_error(req, resp, 400, why);
    goto out;
  }
  qsort(s.sel, s.nsel, sizeof(*s.sel), path_cmp);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(&resp->body, "{\"employees\":[");
  /* A service user whose permission group lacks the categories gets a
  ** 200 with nobody in it (documented), not a 403. */
  n = req->ctx->opts->hibob_no_people ? 0 : s.inactive ? pop->n : pop->nactive;
  for(i = 0; i < n; i++) {
    const emu_person *p = pop->v[s.inactive ? i : pop->active[i]];
    if(s.filter && !filter_ok(&s, p))
      continue;
    if(!first)
      emu_buf_puts(&resp->body, ",");
    first = 0;
    write_employee(req, &resp->body, &s, p);
  }
  emu_buf_puts(&resp->body, "]}");
out:
  free(s.sel);
  free(s.cat);
  json_object_put(body);
}
