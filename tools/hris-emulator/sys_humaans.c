/* Humaans: bearer tokens with scopes (public:read hides personal fields
 * and everyone not active), Feathers-style $limit/$skip envelopes, people,
 * job roles (an effective-dated history with one future role for every
 * fifth person; or, with --humaans-job-roles catalogue, a catalogue of
 * titles the person points at by jobRoleId), custom fields and values
 * (per person, or all of them paged), /api/me. */
#include "emu.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN        "humaans-test-token"
#define PUBLIC_TOKEN "humaans-public-token"
#define MAX_LIMIT    250
#define COMPANY_ID   "T7uqPFK7am4lFTZm39AmNuay"

static const char b62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void error(emu_req *req, emu_resp *resp, unsigned status,
                  const char *msg)
{
  const char *name = status == 400   ? "BadRequest"
                     : status == 401 ? "NotAuthenticated"
                     : status == 403 ? "Forbidden"
                     : status == 404 ? "NotFound"
                     : status == 429 ? "TooManyRequests"
                                     : "GeneralError";
  const char *cls = status == 400   ? "bad-request"
                    : status == 401 ? "not-authenticated"
                    : status == 403 ? "forbidden"
                    : status == 404 ? "not-found"
                    : status == 429 ? "too-many-requests"
                                    : "general-error";
  (void)req;
  emu_resp_start(resp, status, "application/json");
  emu_buf_printf(&resp->body, "{\"name\":\"%s\",\"message\":", name);
  emu_json_str(&resp->body, msg);
  emu_buf_printf(&resp->body, ",\"code\":%u,\"className\":\"%s\"}", status,
                 cls);
}

/* A 24-character id: 14 hash characters, then the number in base 62, so
 * it can be decoded back. `salt` separates people from roles etc. */
static void hid(long n, unsigned salt, char out[25])
{
  uint64_t h = emu_hash((uint64_t)n * 31 + salt);
  uint64_t v = (uint64_t)n;
  int i;

  for(i = 0; i < 14; i++, h /= 62)
    out[i] = b62[h % 62];
  for(i = 23; i >= 14; i--, v /= 62)
    out[i] = b62[v % 62];
  out[24] = '\0';
}

/* The number behind an id made by hid(salt), or -1. */
static long hid_parse(const char *s, unsigned salt)
{
  long n = 0;
  char check[25];
  int i;

  if(!s || strlen(s) != 24)
    return -1;
  for(i = 14; i < 24; i++) {
    const char *c = strchr(b62, s[i]);
    if(!c || !*c)
      return -1;
    n = n * 62 + (c - b62);
  }
  hid(n, salt, check);
  return strcmp(check, s) ? -1 : n;
}

/* 1 private scope, 0 public scope, -1 refused (resp filled). */
static int scope(emu_req *req, emu_resp *resp)
{
  const char *tok = emu_req_auth_token(req, "Bearer", 0);

  if(!tok) {
    error(req, resp, 401, "No access token was provided");
    return -1;
  }
  if(!strcmp(tok, PUBLIC_TOKEN))
    return 0;
  if(!strcmp(tok, TOKEN))
    return !req->ctx->opts->humaans_public;
  error(req, resp, 401, "Invalid access token");
  return -1;
}

typedef struct page {
  long limit, skip;
} page;

static int paging(emu_req *req, emu_resp *resp, page *pg)
{
  const char *l = emu_req_arg(req, "$limit"), *s = emu_req_arg(req, "$skip");

  pg->limit = l ? emu_parse_nonneg(l) : 100;
  pg->skip = s ? emu_parse_nonneg(s) : 0;
  if(pg->limit < 0 || pg->skip < 0) {
    error(req, resp, 400, "$limit and $skip must be non-negative integers");
    return -1;
  }
  if(pg->limit > MAX_LIMIT) {
    /* Feathers clamps to paginate.max; --humaans-limit reject refuses. */
    if(req->ctx->opts->humaans_limit_reject) {
      error(req, resp, 400, "$limit must be at most 250");
      return -1;
    }
    pg->limit = MAX_LIMIT;
  }
  return 0;
}

static void kv(emu_buf *b, const char *key, const char *v)
{
  emu_buf_puts(b, ",");
  emu_json_key(b, key);
  emu_json_str(b, v);
}

static void kv_private(emu_buf *b, int priv, const emu_req *req, int f,
                       const char *key, const char *v)
{
  if(priv && !emu_req_withheld(req, f))
    kv(b, key, v);
}

/* "2020-01-28T08:44:42.000Z", the Feathers/JavaScript timestamp form. */
static void iso_ms(int64_t t, char out[32])
{
  emu_time_format(t, out);
  snprintf(out + 19, 13, ".000Z");
}

/* The catalogue id of p's job title ("" when it has none): the number of
 * the first person (in population order) holding that title. */
static void role_ref(const emu_pop *pop, const emu_person *p, char out[25])
{
  const char *t = p->f[EMU_F_JOB_TITLE];
  size_t i;
  out[0] = '\0';
  if(!t)
    return;
  for(i = 0; i < pop->n; i++) {
    const char *u = pop->v[i]->f[EMU_F_JOB_TITLE];
    if(u && !strcmp(u, t)) {
      hid((long)i + 1, 5, out);
      return;
    }
  }
}

static void person(const emu_req *req, emu_buf *b, const emu_person *p,
                   int priv)
{
  const char *et = p->f[EMU_F_EMPLOYMENT_TYPE];
  char id[25], ts[32], addr[300];

  hid(p->id, 1, id);
  emu_buf_printf(b, "{\"id\":\"%s\",\"companyId\":\"%s\"", id, COMPANY_ID);
  if(!emu_req_withheld(req, EMU_F_FIRST_NAME))
    kv(b, "firstName", p->f[EMU_F_FIRST_NAME]);
  emu_buf_puts(b, ",\"middleName\":null");
  if(!emu_req_withheld(req, EMU_F_LAST_NAME))
    kv(b, "lastName", p->f[EMU_F_LAST_NAME]);
  if(!emu_req_withheld(req, EMU_F_PREFERRED_NAME))
    kv(b, "preferredName", p->f[EMU_F_PREFERRED_NAME]);
  if(!emu_req_withheld(req, EMU_F_EMAIL))
    kv(b, "email", p->f[EMU_F_EMAIL]);
  kv_private(b, priv, req, EMU_F_PERSONAL_EMAIL, "personalEmail",
             p->f[EMU_F_PERSONAL_EMAIL]);
  if(!emu_req_withheld(req, EMU_F_PHONE)) {
    kv(b, "phoneNumber", p->f[EMU_F_PHONE]);
    kv(b, "formattedPhoneNumber", p->f[EMU_F_PHONE]);
  }
  kv_private(b, priv, req, EMU_F_BIRTH_DATE, "birthday",
             p->f[EMU_F_BIRTH_DATE]);
  if(priv && !emu_req_withheld(req, EMU_F_NATIONALITY)) {
    kv(b, "nationality", p->f[EMU_F_NATIONALITY]);
    emu_buf_puts(b, ",\"nationalities\":[");
    if(p->f[EMU_F_NATIONALITY])
      emu_json_str(b, p->f[EMU_F_NATIONALITY]);
    emu_buf_puts(b, "]");
  }
  /* One street line: line 2 is appended after a comma. */
  if(p->f[EMU_F_ADDRESS_LINE1] && p->f[EMU_F_ADDRESS_LINE2])
    snprintf(addr, sizeof(addr), "%s, %s", p->f[EMU_F_ADDRESS_LINE1],
             p->f[EMU_F_ADDRESS_LINE2]);
  else
    snprintf(addr, sizeof(addr), "%s",
             p->f[EMU_F_ADDRESS_LINE1] ? p->f[EMU_F_ADDRESS_LINE1] : "");
  kv_private(b, priv, req, EMU_F_ADDRESS_LINE1, "address",
             p->f[EMU_F_ADDRESS_LINE1] ? addr : NULL);
  kv_private(b, priv, req, EMU_F_CITY, "city", p->f[EMU_F_CITY]);
  kv_private(b, priv, req, EMU_F_REGION, "state", p->f[EMU_F_REGION]);
  kv_private(b, priv, req, EMU_F_POSTAL_CODE, "postcode",
             p->f[EMU_F_POSTAL_CODE]);
  if(!emu_req_withheld(req, EMU_F_COUNTRY_CODE))
    kv(b, "countryCode", p->f[EMU_F_COUNTRY_CODE]);
  if(!emu_req_withheld(req, EMU_F_COUNTRY))
    kv(b, "country", p->f[EMU_F_COUNTRY]);
  if(!emu_req_withheld(req, EMU_F_HIRE_DATE)) {
    kv(b, "employmentStartDate", p->f[EMU_F_HIRE_DATE]);
    kv(b, "firstWorkingDay", p->f[EMU_F_HIRE_DATE]);
  }
  if(!emu_req_withheld(req, EMU_F_TERMINATION_DATE)) {
    kv(b, "employmentEndDate", p->f[EMU_F_TERMINATION_DATE]);
    kv(b, "lastWorkingDay", p->f[EMU_F_TERMINATION_DATE]);
  }
  kv(b, "leavingReason", p->f[EMU_F_TERMINATION_DATE] ? "resigned" : NULL);
  if(!emu_req_withheld(req, EMU_F_EMPLOYMENT_TYPE))
    kv(b, "contractType",
       !et                         ? NULL
       : !strcmp(et, "Part-Time")  ? "Part time"
       : !strcmp(et, "Contractor") ? "Contractor"
                                   : "Full time");
  if(!emu_req_withheld(req, EMU_F_EMPLOYEE_NUMBER))
    kv(b, "employeeId", p->f[EMU_F_EMPLOYEE_NUMBER]);
  emu_buf_puts(b, ",\"teams\":[");
  if(p->f[EMU_F_DEPARTMENT] && !emu_req_withheld(req, EMU_F_DEPARTMENT)) {
    emu_buf_puts(b, "{\"name\":");
    emu_json_str(b, p->f[EMU_F_DEPARTMENT]);
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "]");
  kv(b, "status",
     p->status == EMU_ACTIVE     ? "active"
     : p->status == EMU_INACTIVE ? "offboarded"
                                 : "newHire");
  if(req->ctx->opts->humaans_roles_catalogue) {
    /* The catalogue shape: the person points at its current role. */
    char rid[25];
    role_ref(req->ctx->pop, p, rid);
    kv(b, "jobRoleId", rid[0] ? rid : NULL);
  }
  kv(b, "timezone", "Europe/Berlin");
  iso_ms(p->modified - 86400L * 400, ts);
  kv(b, "createdAt", ts);
  iso_ms(p->modified, ts);
  kv(b, "updatedAt", ts);
  emu_buf_puts(b, "}");
}

/* The people this token may see: all, or only active ones. */
static size_t visible_n(const emu_pop *pop, int priv)
{
  return priv ? pop->n : pop->nactive;
}

static const emu_person *visible(const emu_pop *pop, int priv, size_t i)
{
  return pop->v[priv ? i : pop->active[i]];
}

static void people(emu_req *req, emu_resp *resp, int priv)
{
  const emu_pop *pop = req->ctx->pop;
  const char *email = emu_req_arg(req, "email");
  emu_buf *b = &resp->body;
  size_t n = visible_n(pop, priv), i, total, seen, first = 1;
  page pg;

  if(paging(req, resp, &pg))
    return;
  total = n;
  if(email)
    for(total = 0, i = 0; i < n; i++) {
      const char *e = visible(pop, priv, i)->f[EMU_F_EMAIL];
      total += e && !strcmp(e, email);
    }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b, "{\"total\":%zu,\"limit\":%ld,\"skip\":%ld,\"data\":[",
                 total, pg.limit, pg.skip);
  for(i = email ? 0 : (size_t)pg.skip, seen = i;
      i < n && seen < (size_t)(pg.skip + pg.limit); i++) {
    const emu_person *p = visible(pop, priv, i);
    if(email && !(p->f[EMU_F_EMAIL] && !strcmp(p->f[EMU_F_EMAIL], email)))
      continue;
    if(seen++ < (size_t)pg.skip)
      continue;
    if(!first)
      emu_buf_puts(b, ",");
    first = 0;
    person(req, b, p, priv);
  }
  emu_buf_puts(b, "]}");
}

/* Job roles: 2 per person, 3 for every fifth visible person. */
static size_t roles_before(size_t k)
{
  return 2 * k + (k + 4) / 5;
}

static size_t roles_of(size_t k)
{
  return 2 + (k % 5 == 0);
}

static void role(const emu_req *req, emu_buf *b, const emu_person *p, size_t r)
{
  const emu_pop *pop = req->ctx->pop;
  const char *title = p->f[EMU_F_JOB_TITLE];
  long start, eff;
  char id[25], pid[25], date[11], t[200];

  if(!p->f[EMU_F_HIRE_DATE] || emu_date_parse(p->f[EMU_F_HIRE_DATE], &start))
    start = pop->today - 1000;
  /* r0 the first role at hire, r1 the current one from mid-tenure (the
   * canonical title), r2 a promotion 30 days in the future. */
  if(r == 0) {
    eff = start;
    snprintf(t, sizeof(t), "Junior %s", title ? title : "Associate");
  }
  else if(r == 1) {
    long half = (pop->today - start) / 2;
    eff = start + (half > 1 ? half : 1);
    snprintf(t, sizeof(t), "%s", title ? title : "Associate");
  }
  else {
    eff = (pop->today > start ? pop->today : start + 1) + 30;
    snprintf(t, sizeof(t), "Senior %s", title ? title : "Associate");
  }
  hid(p->id * 4 + (long)r, 2, id);
  hid(p->id, 1, pid);
  emu_date_format(eff, date);
  emu_buf_printf(b, "{\"id\":\"%s\",\"companyId\":\"%s\",\"personId\":\"%s\"",
                 id, COMPANY_ID, pid);
  kv(b, "jobTitle", t);
  kv(b, "department", p->f[EMU_F_DEPARTMENT]);
  if(p->supervisor) {
    hid(p->supervisor, 1, pid);
    kv(b, "reportingTo", pid);
  }
  else
    kv(b, "reportingTo", NULL);
  kv(b, "effectiveDate", date);
  emu_buf_puts(b, ",\"note\":null}");
}

/* /job-roles as a catalogue of the distinct titles, {id, companyId,
 * name}, paged like every list (--humaans-job-roles catalogue). */
static void role_catalogue(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  size_t i, j, total = 0, out = 0;
  page pg;

  if(paging(req, resp, &pg))
    return;
  /* First holders of each title, counted then listed. */
  for(i = 0; i < pop->n; i++) {
    const char *t = pop->v[i]->f[EMU_F_JOB_TITLE];
    int dup = 0;
    for(j = 0; t && j < i && !dup; j++) {
      const char *u = pop->v[j]->f[EMU_F_JOB_TITLE];
      dup = u && !strcmp(u, t);
    }
    total += t && !dup;
  }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b, "{\"total\":%zu,\"limit\":%ld,\"skip\":%ld,\"data\":[",
                 total, pg.limit, pg.skip);
  for(i = 0, total = 0; i < pop->n && out < (size_t)pg.limit; i++) {
    const char *t = pop->v[i]->f[EMU_F_JOB_TITLE];
    int dup = 0;
    char id[25];
    for(j = 0; t && j < i && !dup; j++) {
      const char *u = pop->v[j]->f[EMU_F_JOB_TITLE];
      dup = u && !strcmp(u, t);
    }
    if(!t || dup || total++ < (size_t)pg.skip)
      continue;
    hid((long)i + 1, 5, id);
    emu_buf_printf(b, "%s{\"id\":\"%s\",\"companyId\":\"%s\",\"name\":",
                   out++ ? "," : "", id, COMPANY_ID);
    emu_json_str(b, t);
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "]}");
}

static void job_roles(emu_req *req, emu_resp *resp, int priv)
{
  const emu_pop *pop = req->ctx->pop;
  const char *pid = emu_req_arg(req, "personId");
  size_t n = visible_n(pop, priv), total, k, r, lo, hi, out = 0;
  emu_buf *b = &resp->body;
  page pg;

  if(req->ctx->opts->humaans_roles_catalogue) {
    role_catalogue(req, resp);
    return;
  }
  if(paging(req, resp, &pg))
    return;
  emu_resp_start(resp, 200, "application/json");
  if(pid) {
    long id = hid_parse(pid, 1);
    const emu_person *p = id > 0 ? emu_pop_find(pop, id) : NULL;
    /* Find the person's position among the visible ones for the count. */
    for(k = 0; p && k < n && visible(pop, priv, k) != p; k++)
      ;
    total = (p && k < n) ? roles_of(k) : 0;
    emu_buf_printf(b, "{\"total\":%zu,\"limit\":%ld,\"skip\":%ld,\"data\":[",
                   total, pg.limit, pg.skip);
    for(r = (size_t)pg.skip; r < total && out < (size_t)pg.limit; r++) {
      if(out++)
        emu_buf_puts(b, ",");
      role(req, b, p, r);
    }
    emu_buf_puts(b, "]}");
    return;
  }
  total = roles_before(n);
  emu_buf_printf(b, "{\"total\":%zu,\"limit\":%ld,\"skip\":%ld,\"data\":[",
                 total, pg.limit, pg.skip);
  /* The person holding role number `skip`, by binary search. */
  lo = 0;
  hi = n;
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(roles_before(mid + 1) <= (size_t)pg.skip)
      lo = mid + 1;
    else
      hi = mid;
  }
  for(k = lo; k < n && out < (size_t)pg.limit; k++)
    for(r = 0; r < roles_of(k) && out < (size_t)pg.limit; r++) {
      if(roles_before(k) + r < (size_t)pg.skip)
        continue;
      if(out++)
        emu_buf_puts(b, ",");
      role(req, b, visible(pop, priv, k), r);
    }
  emu_buf_puts(b, "]}");
}

static void custom_fields(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  char id[25];
  size_t i;

  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b, "{\"total\":%zu,\"limit\":100,\"skip\":0,\"data\":[",
                 pop->ncustom_keys);
  for(i = 0; i < pop->ncustom_keys; i++) {
    hid((long)i + 1, 3, id);
    emu_buf_printf(b, "%s{\"id\":\"%s\",\"companyId\":\"%s\",\"name\":",
                   i ? "," : "", id, COMPANY_ID);
    emu_json_str(b, pop->custom_keys[i]);
    emu_buf_puts(b, ",\"section\":\"personal\",\"resourceId\":null,"
                    "\"type\":\"text\",\"config\":{}}");
  }
  emu_buf_puts(b, "]}");
}

/* One custom value row. */
static void value_row(emu_buf *b, const emu_person *p, size_t i, const char *v,
                      int comma)
{
  char vid[25], fid[25], pid[25];
  hid(p->id * 64 + (long)i, 4, vid);
  hid((long)i + 1, 3, fid);
  hid(p->id, 1, pid);
  emu_buf_printf(b,
                 "%s{\"id\":\"%s\",\"companyId\":\"%s\",\"personId\":"
                 "\"%s\",\"customFieldId\":\"%s\",\"resourceId\":null,"
                 "\"value\":",
                 comma ? "," : "", vid, COMPANY_ID, pid, fid);
  emu_json_str(b, v);
  emu_buf_puts(b, "}");
}

/* GET /custom-values without personId: every visible person's values,
 * paged like every list. */
static void all_custom_values(emu_req *req, emu_resp *resp, int priv)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  size_t n = visible_n(pop, priv), k, i, total = 0, seen = 0, out = 0;
  page pg;

  if(paging(req, resp, &pg))
    return;
  for(k = 0; k < n; k++)
    for(i = 0; i < pop->ncustom_keys; i++)
      total += emu_person_custom(visible(pop, priv, k), pop->custom_keys[i]) &&
               !emu_req_withheld_custom(req, pop->custom_keys[i]);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b, "{\"total\":%zu,\"limit\":%ld,\"skip\":%ld,\"data\":[",
                 total, pg.limit, pg.skip);
  for(k = 0; k < n && out < (size_t)pg.limit; k++) {
    const emu_person *p = visible(pop, priv, k);
    for(i = 0; i < pop->ncustom_keys && out < (size_t)pg.limit; i++) {
      const char *v = emu_person_custom(p, pop->custom_keys[i]);
      if(!v || emu_req_withheld_custom(req, pop->custom_keys[i]) ||
         seen++ < (size_t)pg.skip)
        continue;
      value_row(b, p, i, v, out++ > 0);
    }
  }
  emu_buf_puts(b, "]}");
}

static void custom_values(emu_req *req, emu_resp *resp, int priv)
{
  const emu_pop *pop = req->ctx->pop;
  long id = hid_parse(emu_req_arg(req, "personId"), 1);
  const emu_person *p = id > 0 ? emu_pop_find(pop, id) : NULL;
  emu_buf *b = &resp->body;
  size_t i, n = 0;

  if(!emu_req_arg(req, "personId")) {
    all_custom_values(req, resp, priv);
    return;
  }
  if(p && !priv && p->status != EMU_ACTIVE)
    p = NULL;
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(b, "{\"data\":[");
  for(i = 0; p && i < pop->ncustom_keys; i++) {
    const char *v = emu_person_custom(p, pop->custom_keys[i]);
    if(!v || emu_req_withheld_custom(req, pop->custom_keys[i]))
      continue;
    value_row(b, p, i, v, n++ > 0);
  }
  emu_buf_printf(b, "],\"total\":%zu,\"limit\":100,\"skip\":0}", n);
}

static void handle(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  const char *p = req->path;
  int priv;

  if(strncmp(p, "/api/", 5)) {
    error(req, resp, 404, "Page not found");
    return;
  }
  p += 4;
  if((priv = scope(req, resp)) < 0)
    return;
  if(strcmp(req->method, "GET"))
    error(req, resp, 405, "Method not allowed");
  else if(!strcmp(p, "/people"))
    people(req, resp, priv);
  else if(!strncmp(p, "/people/", 8)) {
    long id = hid_parse(p + 8, 1);
    const emu_person *e = id > 0 ? emu_pop_find(pop, id) : NULL;
    if(!e || (!priv && e->status != EMU_ACTIVE))
      error(req, resp, 404, "No record found");
    else {
      emu_resp_start(resp, 200, "application/json");
      person(req, &resp->body, e, priv);
    }
  }
  else if(!strcmp(p, "/job-roles"))
    job_roles(req, resp, priv);
  else if(!strcmp(p, "/custom-fields"))
    custom_fields(req, resp);
  else if(!strcmp(p, "/custom-values"))
    custom_values(req, resp, priv);
  else if(!strcmp(p, "/me")) {
    if(!pop->nactive)
      error(req, resp, 404, "No record found");
    else {
      emu_resp_start(resp, 200, "application/json");
      person(req, &resp->body, pop->v[pop->active[0]], priv);
    }
  }
  else
    error(req, resp, 404, "Page not found");
}

static int is_auth(const char *path)
{
  (void)path;
  return 0;
}

static unsigned rate_status(emu_ctx *ctx)
{
  (void)ctx;
  return 429;
}

const emu_system emu_sys_humaans = {"humaans", "/humaans", handle,     error,
                                    is_auth,   NULL,       rate_status};
