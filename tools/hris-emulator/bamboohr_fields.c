/* BambooHR's field catalogue: ids, aliases, types, and how each field is
 * derived from a canonical person. Custom fields get ids 4001+ (no alias)
 * or, every other one, a string sub-field id "4340.N" with an alias.
 *
 * As on a real tenant: /v1/meta/fields lists no nationality (unless
 * --bamboohr-nationality yes), lists employmentHistoryStatus twice (keep
 * the first), and does not list the report-only fields (bestEmail,
 * supervisorEId, supervisorId, displayName, fullName1..5, lastChanged)
 * that custom reports accept. */
#include "bamboohr.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  K_CANON,   /* the canonical field as is */
  K_ID,      /* the employee id, as a string */
  K_STATUS,  /* Active / Inactive */
  K_PAYRATE, /* "NNN.NN CUR" */
  K_SUPERVISOR,
  K_LOCATION,
  K_NULL, /* deprecated: always null */
  K_BEST_EMAIL,
  K_SUPERVISOR_NUMBER, /* supervisorId: the manager's employeeNumber */
  K_FULL_NAME,         /* displayName, fullName1..5: canon is the form */
  K_LAST_CHANGED
};

/* Where a field is listed. */
enum {
  L_META = 0,     /* meta/fields and reports */
  L_REPORT = 1,   /* reports only (documented "list of field names") */
  L_OPTIONAL = 2, /* meta/fields only with --bamboohr-nationality yes */
  L_DUP = 3       /* a duplicate meta/fields entry of an earlier alias */
};

static const struct bhr_field {
  int id;
  const char *alias, *name, *type, *rtype;
  int kind, canon, deprecated, listed;
} cat[] = {
    {0, "id", "EEID", "int", "int", K_ID, -1, 0, L_META},
    {1, "firstName", "First Name", "text", "text", K_CANON, EMU_F_FIRST_NAME,
     0, L_META},
    {2, "lastName", "Last Name", "text", "text", K_CANON, EMU_F_LAST_NAME, 0,
     L_META},
    {4, "employeeNumber", "Employee #", "employee_number", "employee_number",
     K_CANON, EMU_F_EMPLOYEE_NUMBER, 0, L_META},
    {1280, "preferredName", "Preferred Name", "text", "text", K_CANON,
     EMU_F_PREFERRED_NAME, 0, L_META},
    {15, "workEmail", "Work Email", "email", "email", K_CANON, EMU_F_EMAIL, 0,
     L_META},
    {1358, "homeEmail", "Home Email", "email", "email", K_CANON,
     EMU_F_PERSONAL_EMAIL, 0, L_META},
    {13, "mobilePhone", "Mobile Phone", "phone", "text", K_CANON, EMU_F_PHONE,
     0, L_META},
    {7, "address1", "Address Line 1", "text", "text", K_CANON,
     EMU_F_ADDRESS_LINE1, 0, L_META},
    {8, "address2", "Address Line 2", "text", "text", K_CANON,
     EMU_F_ADDRESS_LINE2, 0, L_META},
    {9, "city", "City", "text", "text", K_CANON, EMU_F_CITY, 0, L_META},
    {10, "state", "State", "state", "state", K_CANON, EMU_F_REGION, 0, L_META},
    {11, "zipcode", "Zip Code", "text", "text", K_CANON, EMU_F_POSTAL_CODE, 0,
     L_META},
    {12, "country", "Country", "country", "country", K_CANON, EMU_F_COUNTRY, 0,
     L_META},
    {6, "dateOfBirth", "Birth Date", "date", "date", K_CANON, EMU_F_BIRTH_DATE,
     0, L_META},
    {1610, "nationality", "Nationality", "list", "list", K_CANON,
     EMU_F_NATIONALITY, 0, L_OPTIONAL},
    {16, "status", "Status", "status", "status", K_STATUS, EMU_F_STATUS, 0,
     L_META},
    {1360, "employmentHistoryStatus", "Employment Status", "list", "list",
     K_CANON, EMU_F_EMPLOYMENT_TYPE, 0, L_META},
    {17, "hireDate", "Hire Date", "date", "date", K_CANON, EMU_F_HIRE_DATE, 0,
     L_META},
    {1361, "terminationDate", "Termination Date", "date", "date", K_CANON,
     EMU_F_TERMINATION_DATE, 0, L_META},
    {18, "department", "Department", "list", "list", K_CANON, EMU_F_DEPARTMENT,
     0, L_META},
    {19, "jobTitle", "Job Title", "list", "list", K_CANON, EMU_F_JOB_TITLE, 0,
     L_META},
    {20, "location", "Location", "list", "list", K_LOCATION, EMU_F_CITY, 0,
     L_META},
    {22, "payRate", "Pay rate", "currency", "currency", K_PAYRATE, -1, 0,
     L_META},
    {1500, "acaStatus", "Old Status", "text", "text", K_NULL, -1, 1, L_META},
    /* A real tenant lists this alias twice (16 and 16.1); the id of the
    ** duplicate is a string, the first entry wins. */
    {13601, "employmentHistoryStatus", "Employment Status (history)", "list",
     "list", K_CANON, EMU_F_EMPLOYMENT_TYPE, 0, L_DUP},
    {0, "bestEmail", "Email", "email", "email", K_BEST_EMAIL, -1, 0, L_REPORT},
    {0, "supervisorEId", "Supervisor EID", "employee", "int", K_SUPERVISOR, -1,
     0, L_REPORT},
    {0, "supervisorId", "Supervisor ID", "text", "text", K_SUPERVISOR_NUMBER,
     -1, 0, L_REPORT},
    {0, "displayName", "Display name", "text", "text", K_FULL_NAME, 0, 0,
     L_REPORT},
    {0, "fullName1", "Full Name 1", "text", "text", K_FULL_NAME, 1, 0,
     L_REPORT},
    {0, "fullName2", "Full Name 2", "text", "text", K_FULL_NAME, 2, 0,
     L_REPORT},
    {0, "fullName3", "Full Name 3", "text", "text", K_FULL_NAME, 3, 0,
     L_REPORT},
    {0, "fullName4", "Full Name 4", "text", "text", K_FULL_NAME, 4, 0,
     L_REPORT},
    {0, "fullName5", "Full Name 5", "text", "text", K_FULL_NAME, 5, 0,
     L_REPORT},
    {0, "lastChanged", "Last Changed", "timestamp", "timestamp",
     K_LAST_CHANGED, -1, 0, L_REPORT}};

#define NCAT ((int)(sizeof(cat) / sizeof(cat[0])))

/* The id string of custom field i ("4001" or "4340.4"). */
static void custom_id(size_t i, char out[32])
{
  if(i % 2)
    snprintf(out, 32, "4340.%zu", i + 3);
  else
    snprintf(out, 32, "%zu", 4001 + i);
}

/* camelCase alias of a custom key (odd custom fields only). */
static void custom_alias(const char *key, char out[64])
{
  size_t n = 0;
  int up = 0;

  for(; *key && n + 1 < 64; key++) {
    if(*key == '_') {
      up = 1;
      continue;
    }
    out[n++] = (char)(up && *key >= 'a' && *key <= 'z' ? *key - 32 : *key);
    up = 0;
  }
  out[n] = '\0';
}

/* Whether catalogue entry c exists on this tenant. */
static int on_tenant(const emu_req *req, int c)
{
  return cat[c].listed != L_OPTIONAL || req->ctx->opts->bamboohr_nationality;
}

/* The canonical field a catalogue entry is derived from, for withhold
 * faults; -1 when none. */
static int canon_of(int c)
{
  return cat[c].kind == K_FULL_NAME    ? EMU_F_FIRST_NAME
         : cat[c].kind == K_BEST_EMAIL ? EMU_F_EMAIL
                                       : cat[c].canon;
}

int bhr_lookup(const emu_req *req, const char *token, bhr_col *col)
{
  const emu_pop *pop = req->ctx->pop;
  char buf[64];
  size_t i;
  int c;

  col->key = token;
  col->withheld = 0;
  for(c = 0; c < NCAT; c++) {
    snprintf(buf, sizeof(buf), "%d", cat[c].id);
    if(cat[c].listed == L_DUP || !on_tenant(req, c))
      continue;
    if(!strcmp(token, cat[c].alias) || (cat[c].id && !strcmp(token, buf))) {
      if(cat[c].kind == K_ID && strcmp(token, "id"))
        continue;
      col->withheld = canon_of(c) >= 0 && emu_req_withheld(req, canon_of(c));
      col->field = c;
      return 0;
    }
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    char alias[64];
    custom_id(i, buf);
    custom_alias(pop->custom_keys[i], alias);
    if(!strcmp(token, buf) || (i % 2 && !strcmp(token, alias))) {
      col->withheld = emu_req_withheld_custom(req, pop->custom_keys[i]);
      col->field = -1 - (int)i;
      return 0;
    }
  }
  return -1;
}

int bhr_resolve(const emu_req *req, const char *token, bhr_col *col)
{
  return bhr_lookup(req, token, col) || col->withheld ? -1 : 0;
}

int bhr_report_only(const bhr_col *col)
{
  return col->field >= 0 && cat[col->field].listed == L_REPORT;
}

void bhr_col_meta(const emu_req *req, const bhr_col *col, const char **type,
                  const char **name)
{
  if(col->field >= 0) {
    *type = cat[col->field].rtype;
    *name = cat[col->field].name;
  }
  else {
    *type = "text";
    *name = req->ctx->pop->custom_keys[-1 - col->field];
  }
}

static const char *currency(const emu_person *p)
{
  const char *cc = p->f[EMU_F_COUNTRY_CODE];

  if(!cc)
    return "EUR";
  if(!strcmp(cc, "US"))
    return "USD";
  if(!strcmp(cc, "GB"))
    return "GBP";
  if(!strcmp(cc, "CH"))
    return "CHF";
  return "EUR";
}

/* The documented name forms: displayName and fullName1 "First Last",
 * fullName2 "Last, First", fullName3 "Last, First" (no middle names
 * here), fullName4 "Last First", fullName5 "First Last". The preferred
 * name replaces the first name in displayName only. */
static const char *full_name(const emu_person *p, int form, char tmp[64])
{
  const char *first = p->f[EMU_F_FIRST_NAME], *last = p->f[EMU_F_LAST_NAME];
  if(!form && p->f[EMU_F_PREFERRED_NAME])
    first = p->f[EMU_F_PREFERRED_NAME];
  first = first ? first : "";
  last = last ? last : "";
  if(form == 2 || form == 3)
    snprintf(tmp, 64, "%s, %s", last, first);
  else if(form == 4)
    snprintf(tmp, 64, "%s %s", last, first);
  else
    snprintf(tmp, 64, "%s %s", first, last);
  return tmp;
}

const char *bhr_value(const emu_req *req, const bhr_col *col,
                      const emu_person *p, char tmp[64],
                      const char *empty_date)
{
  const struct bhr_field *f;
  const char *v;

  if(col->withheld)
    return NULL; /* what a key that may not see the field gets */
  if(col->field < 0)
    return emu_person_custom(p, req->ctx->pop->custom_keys[-1 - col->field]);
  f = &cat[col->field];
  switch(f->kind) {
  case K_ID:
    snprintf(tmp, 64, "%ld", p->id);
    return tmp;
  case K_STATUS:
    return p->status == EMU_ACTIVE ? "Active" : "Inactive";
  case K_PAYRATE:
    snprintf(tmp, 64, "%lu.00 %s",
             (unsigned long)(30000 + emu_hash((uint64_t)p->id) % 90000),
             currency(p));
    return tmp;
  case K_SUPERVISOR:
    if(!p->supervisor)
      return NULL;
    snprintf(tmp, 64, "%ld", p->supervisor);
    return tmp;
  case K_LOCATION:
    return req->ctx->pop->offices[p->office_id];
  case K_NULL:
    return NULL;
  case K_BEST_EMAIL:
    return p->f[EMU_F_EMAIL] ? p->f[EMU_F_EMAIL] : p->f[EMU_F_PERSONAL_EMAIL];
  case K_SUPERVISOR_NUMBER: {
    const emu_person *s =
        p->supervisor ? emu_pop_find(req->ctx->pop, p->supervisor) : NULL;
    return s ? s->f[EMU_F_EMPLOYEE_NUMBER] : NULL;
  }
  case K_FULL_NAME:
    return full_name(p, f->canon, tmp);
  case K_LAST_CHANGED: {
    char ts[32];
    emu_time_format(p->modified ? p->modified : emu_now(), ts);
    snprintf(tmp, 64, "%s", ts);
    return tmp;
  }
  default:
    v = p->f[f->canon];
    if(!v &&
       (f->canon == EMU_F_HIRE_DATE || f->canon == EMU_F_TERMINATION_DATE))
      return empty_date;
    return v;
  }
}

int bhr_wants_json(const emu_req *req)
{
  const char *a = emu_req_header(req, "Accept");

  return a && strstr(a, "application/json") != NULL;
}

/* One meta/fields entry, JSON object or XML element. */
static void meta_entry(emu_buf *b, int xml, int first, const char *id,
                       int id_is_string, const char *name, const char *type,
                       const char *alias, int deprecated)
{
  if(xml) {
    emu_buf_puts(b, "<field id=\"");
    emu_xml_text(b, id);
    emu_buf_printf(b, "\" type=\"%s\"", type);
    if(alias) {
      emu_buf_puts(b, " alias=\"");
      emu_xml_text(b, alias);
      emu_buf_puts(b, "\"");
    }
    if(deprecated)
      emu_buf_puts(b, " deprecated=\"true\"");
    emu_buf_puts(b, ">");
    emu_xml_text(b, name);
    emu_buf_puts(b, "</field>\n");
    return;
  }
  emu_buf_puts(b, first ? "{\"id\":" : ",{\"id\":");
  /* Sub-field ids are JSON strings, top-level ids numbers. */
  if(id_is_string)
    emu_json_str(b, id);
  else
    emu_buf_puts(b, id);
  emu_buf_puts(b, ",\"name\":");
  emu_json_str(b, name);
  emu_buf_puts(b, ",\"type\":");
  emu_json_str(b, type);
  if(alias) {
    emu_buf_puts(b, ",\"alias\":");
    emu_json_str(b, alias);
  }
  emu_buf_puts(b, deprecated ? ",\"deprecated\":true}" : "}");
}

void bhr_meta_fields(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  int xml = !bhr_wants_json(req), c, first = 1;
  char id[32], alias[64];
  size_t i;

  emu_resp_start(resp, 200,
                 xml ? "text/xml; charset=utf-8" : "application/json");
  emu_buf_puts(b, xml ? "<?xml version=\"1.0\"?>\n<fields>\n" : "[");
  for(c = 0; c < NCAT; c++) {
    /* The employee id is not a field of its own; report-only fields are
    ** not listed. */
    if(cat[c].kind == K_ID || cat[c].listed == L_REPORT || !on_tenant(req, c))
      continue;
    if(cat[c].listed == L_DUP)
      snprintf(id, sizeof(id), "%d.%d", cat[c].id / 10, cat[c].id % 10);
    else
      snprintf(id, sizeof(id), "%d", cat[c].id);
    meta_entry(b, xml, first, id, cat[c].listed == L_DUP, cat[c].name,
               cat[c].type, cat[c].alias, cat[c].deprecated);
    first = 0;
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    custom_id(i, id);
    custom_alias(pop->custom_keys[i], alias);
    meta_entry(b, xml, first, id, i % 2, pop->custom_keys[i], "text",
               i % 2 ? alias : NULL, 0);
    first = 0;
  }
  emu_buf_puts(b, xml ? "</fields>\n" : "]");
}
