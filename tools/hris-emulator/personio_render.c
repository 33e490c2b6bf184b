/* Personio v1 employee rendering: every attribute is a {label, value,
 * type, universal_id} wrapper; relations are nested typed objects; dates
 * are local (Europe/Berlin) midnights written either with their offset or
 * as the UTC instant ("...T23:00:00.000Z" the day before). */
#include "personio.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  A_ID,
  A_TEXT,
  A_PREF,
  A_STATUS,
  A_SUPERVISOR,
  A_ETYPE,
  A_HOURS,
  A_DATE,
  A_MODIFIED,
  A_OFFICE,
  A_DEPT,
  A_TEAM,
  A_SALARY,
  A_EMPNO
};

static const struct pattr {
  const char *key, *label, *type, *uid;
  int kind, canon;
} attrs[] = {
    {"id", "ID", "integer", "id", A_ID, -1},
    {"first_name", "First name", "standard", "first_name", A_TEXT,
     EMU_F_FIRST_NAME},
    {"last_name", "Last name", "standard", "last_name", A_TEXT,
     EMU_F_LAST_NAME},
    {"preferred_name", "Name (preferred)", "standard", "preferred_name",
     A_PREF, EMU_F_PREFERRED_NAME},
    {"email", "Email", "standard", "email", A_TEXT, EMU_F_EMAIL},
    {"status", "Status", "standard", "status", A_STATUS, EMU_F_STATUS},
    {"position", "Position", "standard", "position", A_TEXT, EMU_F_JOB_TITLE},
    {"supervisor", "Supervisor", "standard", "supervisor", A_SUPERVISOR, -1},
    {"employment_type", "Employment type", "standard", "employment_type",
     A_ETYPE, EMU_F_EMPLOYMENT_TYPE},
    {"weekly_working_hours", "Weekly hours", "standard",
     "weekly_working_hours", A_HOURS, EMU_F_EMPLOYMENT_TYPE},
    {"hire_date", "Hire date", "date", "hire_date", A_DATE, EMU_F_HIRE_DATE},
    {"termination_date", "Termination date", "date", "termination_date",
     A_DATE, EMU_F_TERMINATION_DATE},
    {"last_modified_at", "Last modified", "date", "last_modified_at",
     A_MODIFIED, -1},
    {"office", "Office", "standard", "office", A_OFFICE, EMU_F_CITY},
    {"department", "Department", "standard", "department", A_DEPT,
     EMU_F_DEPARTMENT},
    {"team", "Team", "standard", "team", A_TEAM, EMU_F_DEPARTMENT},
    {"fix_salary", "Fix salary", "decimal", "fix_salary", A_SALARY, -1},
    {"dynamic_1146601", "Personalnummer", "integer", NULL, A_EMPNO,
     EMU_F_EMPLOYEE_NUMBER},
    {"dynamic_1146602", "Private email", "standard", "private_email", A_TEXT,
     EMU_F_PERSONAL_EMAIL},
    {"dynamic_1146603", "Phone", "standard", NULL, A_TEXT, EMU_F_PHONE},
    {"dynamic_1146604", "Address, street", "standard", NULL, A_TEXT,
     EMU_F_ADDRESS_LINE1},
    {"dynamic_1146605", "Address, additional", "standard", NULL, A_TEXT,
     EMU_F_ADDRESS_LINE2},
    {"dynamic_1146606", "Address, postcode", "standard", NULL, A_TEXT,
     EMU_F_POSTAL_CODE},
    {"dynamic_1146607", "Address, city", "standard", NULL, A_TEXT, EMU_F_CITY},
    {"dynamic_1146608", "Address, state", "standard", NULL, A_TEXT,
     EMU_F_REGION},
    {"dynamic_1146609", "Address, country", "standard", NULL, A_TEXT,
     EMU_F_COUNTRY},
    {"dynamic_1146610", "Nationality", "standard", NULL, A_TEXT,
     EMU_F_NATIONALITY},
    {"dynamic_1146666", "Birthday", "date", NULL, A_DATE, EMU_F_BIRTH_DATE}};

#define NATTRS      ((int)(sizeof(attrs) / sizeof(attrs[0])))
#define CUSTOM_BASE 1147000
#define MAX_PROJ    128

/* The attributes[] projection of a request. */
typedef struct proj {
  const char *names[MAX_PROJ];
  int n, overflow;
} proj;

static void proj_add(void *cls, const char *v)
{
  proj *pr = cls;

  if(pr->n < MAX_PROJ)
    pr->names[pr->n++] = v;
  else
    pr->overflow = 1;
}

static int wanted(const proj *pr, const char *key)
{
  int i;

  if(!pr || !pr->n || !strcmp(key, "id"))
    return 1;
  for(i = 0; i < pr->n; i++)
    if(!strcmp(pr->names[i], key))
      return 1;
  return 0;
}

/* Whether Berlin observes summer time on that day (EU rule). */
static int berlin_dst(long day)
{
  int y, m, d;
  long last;

  emu_date_split(day, &y, &m, &d);
  if(m < 3 || m > 10)
    return 0;
  if(m > 3 && m < 10)
    return 1;
  last = emu_date_make(y, m + 1, 1) - 1;
  last -= emu_date_dow(last);
  return m == 3 ? day >= last : day < last;
}

static void date_value(const emu_req *req, emu_buf *b, const emu_person *p,
                       const char *v)
{
  int shape = req->ctx->opts->personio_date_shape;
  long day;
  char out[11];
  int dst;

  if(!v || emu_date_parse(v, &day)) {
    emu_buf_puts(b, "null");
    return;
  }
  dst = berlin_dst(day);
  if(shape == EMU_PSN_DATE_MIXED)
    shape = (emu_hash((uint64_t)p->id) & 1) ? EMU_PSN_DATE_OFFSET
                                            : EMU_PSN_DATE_UTC;
  if(shape == EMU_PSN_DATE_OFFSET)
    emu_buf_printf(b, "\"%sT00:00:00+0%d:00\"", v, dst ? 2 : 1);
  else if(shape == EMU_PSN_DATE_COMPACT)
    emu_buf_printf(b, "\"%sT00:00:00+0%d00\"", v, dst ? 2 : 1);
  else {
    emu_date_format(day - 1, out);
    emu_buf_printf(b, "\"%sT%s:00:00.000Z\"", out, dst ? "22" : "23");
  }
}

static void wrap_open(emu_buf *b, const struct pattr *a)
{
  emu_json_key(b, a->key);
  emu_buf_puts(b, "{\"label\":");
  emu_json_str(b, a->label);
  emu_buf_puts(b, ",\"value\":");
}

static void wrap_close(emu_buf *b, const struct pattr *a)
{
  emu_buf_puts(b, ",\"type\":");
  emu_json_str(b, a->type);
  emu_buf_puts(b, ",\"universal_id\":");
  emu_json_str(b, a->uid);
  emu_buf_puts(b, "}");
}

static void typed(emu_buf *b, const char *type, long id, const char *name)
{
  emu_buf_printf(
      b, "{\"type\":\"%s\",\"attributes\":{\"id\":%ld,\"name\":", type, id);
  emu_json_str(b, name);
  emu_buf_puts(b, "}}");
}

static void supervisor_value(const emu_req *req, emu_buf *b,
                             const emu_person *p)
{
  const emu_person *s =
      p->supervisor ? emu_pop_find(req->ctx->pop, p->supervisor) : NULL;

  if(!s) {
    emu_buf_puts(b, "null");
    return;
  }
  emu_buf_printf(b,
                 "{\"type\":\"Employee\",\"attributes\":{\"id\":{\"label\":"
                 "\"ID\",\"value\":%ld,\"type\":\"integer\","
                 "\"universal_id\":\"id\"},\"first_name\":{\"label\":"
                 "\"First name\",\"value\":",
                 s->id);
  emu_json_str(b, s->f[EMU_F_FIRST_NAME]);
  emu_buf_puts(b, ",\"type\":\"standard\",\"universal_id\":\"first_name\"},"
                  "\"last_name\":{\"label\":\"Last name\",\"value\":");
  emu_json_str(b, s->f[EMU_F_LAST_NAME]);
  emu_buf_puts(b, ",\"type\":\"standard\",\"universal_id\":\"last_name\"},"
                  "\"email\":{\"label\":\"Email\",\"value\":");
  emu_json_str(b, s->f[EMU_F_EMAIL]);
  emu_buf_puts(b, ",\"type\":\"standard\",\"universal_id\":\"email\"}}}");
}

static int all_digits(const char *s)
{
  if(!s || !*s || strlen(s) > 15)
    return 0;
  for(; *s; s++)
    if(*s < '0' || *s > '9')
      return 0;
  return 1;
}

static void attr_value(const emu_req *req, emu_buf *b, const struct pattr *a,
                       const emu_person *p)
{
  const emu_pop *pop = req->ctx->pop;
  const char *v = a->canon >= 0 ? p->f[a->canon] : NULL;
  const char *et = p->f[EMU_F_EMPLOYMENT_TYPE];
  char ts[32];

  switch(a->kind) {
  case A_ID:
    emu_buf_printf(b, "%ld", p->id);
    break;
  case A_PREF:
    emu_json_str(b, v ? v : "");
    break;
  case A_STATUS:
    emu_json_str(b, p->status == EMU_INACTIVE ? "inactive"
                    : p->status == EMU_FUTURE ? "onboarding"
                                              : "active");
    break;
  case A_SUPERVISOR:
    supervisor_value(req, b, p);
    break;
  case A_ETYPE:
    emu_json_str(b, et && !strcmp(et, "Contractor") ? "external" : "internal");
    break;
  case A_HOURS:
    emu_json_str(b, et && !strcmp(et, "Part-Time") ? "20" : "40");
    break;
  case A_DATE:
    date_value(req, b, p, v);
    break;
  case A_MODIFIED:
    emu_time_format(p->modified, ts);
    emu_json_str(b, ts);
    break;
  case A_OFFICE:
    typed(b, "Office", 131014 + p->office_id, pop->offices[p->office_id]);
    break;
  case A_DEPT:
    if(p->dept_id < 0)
      emu_buf_puts(b, "null");
    else
      typed(b, "Department", 281521 + p->dept_id, v);
    break;
  case A_TEAM:
    if(p->dept_id < 0)
      emu_buf_puts(b, "null");
    else {
      char name[160];
      snprintf(name, sizeof(name), "%s %c", v, p->id % 2 ? 'B' : 'A');
      typed(b, "Team", 59026 + p->dept_id * 2 + p->id % 2, name);
    }
    break;
  case A_SALARY:
    emu_buf_printf(b, "%lu",
                   (unsigned long)(30000 + emu_hash((uint64_t)p->id) % 90000) /
                       12);
    break;
  case A_EMPNO:
    if(all_digits(v))
      emu_buf_puts(b, v);
    else
      emu_json_str(b, v);
    break;
  default:
    emu_json_str(b, v);
  }
}

static void render_person(const emu_req *req, emu_buf *b, const emu_person *p,
                          const proj *pr)
{
  const emu_pop *pop = req->ctx->pop;
  int i, first = 1;
  size_t c;

  emu_buf_puts(b, "{\"type\":\"Employee\",\"attributes\":{");
  for(i = 0; i < NATTRS; i++) {
    const struct pattr *a = &attrs[i];
    if(!wanted(pr, a->key) ||
       (a->canon >= 0 && emu_req_withheld(req, a->canon)))
      continue;
    if(!first)
      emu_buf_puts(b, ",");
    first = 0;
    wrap_open(b, a);
    attr_value(req, b, a, p);
    wrap_close(b, a);
    if(a->kind == A_SALARY) {
      b->len--; /* reopen the wrapper for its currency */
      emu_buf_puts(b, ",\"currency\":\"EUR\"}");
    }
  }
  for(c = 0; c < pop->ncustom_keys; c++) {
    char key[32];
    const char *ck = pop->custom_keys[c];
    snprintf(key, sizeof(key), "dynamic_%zu", CUSTOM_BASE + c);
    if(!wanted(pr, key) || emu_req_withheld_custom(req, ck))
      continue;
    emu_buf_printf(b, "%s\"%s\":{\"label\":", first ? "" : ",", key);
    first = 0;
    emu_json_str(b, ck);
    emu_buf_puts(b, ",\"value\":");
    emu_json_str(b, emu_person_custom(p, ck));
    emu_buf_puts(b, ",\"type\":\"standard\",\"universal_id\":");
    emu_json_str(b, ck);
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "}}");
}

/* Parses an optional non-negative argument; -2 when present but bad. */
static long arg_num(const emu_req *req, const char *name, long dflt)
{
  const char *s = emu_req_arg(req, name);

  if(!s)
    return dflt;
  return emu_parse_nonneg(s) < 0 ? -2 : emu_parse_nonneg(s);
}

void personio_employees(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  const char *email = emu_req_arg(req, "email");
  const char *since = emu_req_arg(req, "updated_since");
  long limit = arg_num(req, "limit", 50), offset = arg_num(req, "offset", 0);
  long total, i, seen, pages;
  int64_t t = 0;
  emu_buf *b = &resp->body;
  proj pr;

  if(limit < 1 || limit > 100) {
    personio_error(req, resp, 400, "The limit must be between 1 and 100.");
    return;
  }
  if(offset < 0) {
    personio_error(req, resp, 400, "The offset must be a positive integer.");
    return;
  }
  if(since && emu_time_parse(since, &t)) {
    personio_error(req, resp, 400, "updated_since is not a valid date.");
    return;
  }
  memset(&pr, 0, sizeof(pr));
  emu_req_args_each(req, "attributes[]", proj_add, &pr);
  /* Filters cost a scan; the plain roster is indexed directly. */
  total = (long)pop->n;
  if(email || since)
    for(total = 0, i = 0; i < (long)pop->n; i++) {
      const emu_person *p = pop->v[i];
      total += (!email ||
                (p->f[EMU_F_EMAIL] && !strcmp(p->f[EMU_F_EMAIL], email))) &&
               (!since || p->modified > t);
    }
  pages = (total + limit - 1) / limit;
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b,
                 "{\"success\":true,\"metadata\":{\"total_elements\":%ld,"
                 "\"current_page\":%ld,\"total_pages\":%ld},\"offset\":%ld,"
                 "\"limit\":%ld,\"data\":[",
                 total, offset / limit, pages, offset, limit);
  for(i = (email || since) ? 0 : offset, seen = i;
      i < (long)pop->n && seen < offset + limit; i++) {
    const emu_person *p = pop->v[i];
    if((email || since) && !((!email || (p->f[EMU_F_EMAIL] &&
                                         !strcmp(p->f[EMU_F_EMAIL], email))) &&
                             (!since || p->modified > t)))
      continue;
    if(seen++ < offset)
      continue;
    if(seen - 1 > offset)
      emu_buf_puts(b, ",");
    render_person(req, b, p, &pr);
  }
  emu_buf_puts(b, "]}");
}

void personio_employee(emu_req *req, emu_resp *resp, long id)
{
  const emu_person *p = id > 0 ? emu_pop_find(req->ctx->pop, id) : NULL;

  if(!p) {
    personio_error(req, resp, 404, "Es ist ein Problem aufgetreten");
    return;
  }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(&resp->body, "{\"success\":true,\"data\":");
  render_person(req, &resp->body, p, NULL);
  emu_buf_puts(&resp->body, "}");
}

void personio_attributes(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  int i, first = 1;
  size_t c;

  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(b, "{\"success\":true,\"data\":[");
  for(i = 0; i < NATTRS; i++) {
    if(attrs[i].canon >= 0 && emu_req_withheld(req, attrs[i].canon))
      continue;
    emu_buf_puts(b, first ? "{\"key\":" : ",{\"key\":");
    first = 0;
    emu_json_str(b, attrs[i].key);
    emu_buf_puts(b, ",\"label\":");
    emu_json_str(b, attrs[i].label);
    emu_buf_puts(b, ",\"type\":");
    emu_json_str(b, attrs[i].type);
    emu_buf_puts(b, ",\"universal_id\":");
    emu_json_str(b, attrs[i].uid);
    emu_buf_puts(b, ",\"options\":[]}");
  }
  for(c = 0; c < pop->ncustom_keys; c++) {
    if(emu_req_withheld_custom(req, pop->custom_keys[c]))
      continue;
    emu_buf_printf(b, ",{\"key\":\"dynamic_%zu\",\"label\":", CUSTOM_BASE + c);
    emu_json_str(b, pop->custom_keys[c]);
    emu_buf_puts(b, ",\"type\":\"standard\",\"universal_id\":");
    emu_json_str(b, pop->custom_keys[c]);
    emu_buf_puts(b, ",\"options\":[]}");
  }
  emu_buf_puts(b, "]}");
}
