/* BambooHR's field catalogue: ids, aliases, types, and how each field is
 * derived from a canonical person. Custom fields get ids 4001+ (no alias)
 * or, every other one, a string sub-field id "4340.N" with an alias. */
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
  K_NULL /* deprecated: always null */
};

static const struct bhr_field {
  int id;
  const char *alias, *name, *type, *rtype;
  int kind, canon, deprecated;
} cat[] = {
    {0, "id", "EEID", "int", "int", K_ID, -1, 0},
    {1, "firstName", "First Name", "text", "text", K_CANON, EMU_F_FIRST_NAME,
     0},
    {2, "lastName", "Last Name", "text", "text", K_CANON, EMU_F_LAST_NAME, 0},
    {4, "employeeNumber", "Employee #", "employee_number", "employee_number",
     K_CANON, EMU_F_EMPLOYEE_NUMBER, 0},
    {1280, "preferredName", "Preferred Name", "text", "text", K_CANON,
     EMU_F_PREFERRED_NAME, 0},
    {15, "workEmail", "Work Email", "email", "email", K_CANON, EMU_F_EMAIL, 0},
    {1358, "homeEmail", "Home Email", "email", "email", K_CANON,
     EMU_F_PERSONAL_EMAIL, 0},
    {13, "mobilePhone", "Mobile Phone", "phone", "text", K_CANON, EMU_F_PHONE,
     0},
    {7, "address1", "Address Line 1", "text", "text", K_CANON,
     EMU_F_ADDRESS_LINE1, 0},
    {8, "address2", "Address Line 2", "text", "text", K_CANON,
     EMU_F_ADDRESS_LINE2, 0},
    {9, "city", "City", "text", "text", K_CANON, EMU_F_CITY, 0},
    {10, "state", "State", "state", "state", K_CANON, EMU_F_REGION, 0},
    {11, "zipcode", "Zip Code", "text", "text", K_CANON, EMU_F_POSTAL_CODE, 0},
    {12, "country", "Country", "country", "country", K_CANON, EMU_F_COUNTRY,
     0},
    {6, "dateOfBirth", "Birth Date", "date", "date", K_CANON, EMU_F_BIRTH_DATE,
     0},
    {1610, "nationality", "Nationality", "list", "list", K_CANON,
     EMU_F_NATIONALITY, 0},
    {16, "status", "Status", "status", "status", K_STATUS, EMU_F_STATUS, 0},
    {1360, "employmentHistoryStatus", "Employment Status", "list", "list",
     K_CANON, EMU_F_EMPLOYMENT_TYPE, 0},
    {17, "hireDate", "Hire Date", "date", "date", K_CANON, EMU_F_HIRE_DATE, 0},
    {1361, "terminationDate", "Termination Date", "date", "date", K_CANON,
     EMU_F_TERMINATION_DATE, 0},
    {18, "department", "Department", "list", "list", K_CANON, EMU_F_DEPARTMENT,
     0},
    {19, "jobTitle", "Job Title", "list", "list", K_CANON, EMU_F_JOB_TITLE, 0},
    {20, "location", "Location", "list", "list", K_LOCATION, EMU_F_CITY, 0},
    {91, "supervisorEId", "Supervisor EID", "employee", "text", K_SUPERVISOR,
     -1, 0},
    {22, "payRate", "Pay rate", "currency", "currency", K_PAYRATE, -1, 0},
    {1500, "acaStatus", "Old Status", "text", "text", K_NULL, -1, 1}};

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

int bhr_resolve(const emu_req *req, const char *token, bhr_col *col)
{
  const emu_pop *pop = req->ctx->pop;
  char buf[64];
  size_t i;
  int c;

  col->key = token;
  for(c = 0; c < NCAT; c++) {
    snprintf(buf, sizeof(buf), "%d", cat[c].id);
    if(!strcmp(token, cat[c].alias) || (cat[c].id && !strcmp(token, buf))) {
      if(cat[c].canon >= 0 && emu_req_withheld(req, cat[c].canon))
        return -1;
      if(cat[c].kind == K_ID && strcmp(token, "id"))
        continue;
      col->field = c;
      return 0;
    }
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    char alias[64];
    custom_id(i, buf);
    custom_alias(pop->custom_keys[i], alias);
    if(!strcmp(token, buf) || (i % 2 && !strcmp(token, alias))) {
      if(emu_req_withheld_custom(req, pop->custom_keys[i]))
        return -1;
      col->field = -1 - (int)i;
      return 0;
    }
  }
  return -1;
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

const char *bhr_value(const emu_req *req, const bhr_col *col,
                      const emu_person *p, char tmp[64],
                      const char *empty_date)
{
  const struct bhr_field *f;
  const char *v;

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
    if(cat[c].kind == K_ID)
      continue; /* the employee id is not a field of its own */
    snprintf(id, sizeof(id), "%d", cat[c].id);
    meta_entry(b, xml, first, id, 0, cat[c].name, cat[c].type, cat[c].alias,
               cat[c].deprecated);
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
