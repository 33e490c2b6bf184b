/* Lucca legacy v3 directory: "lucca application=<key>" auth, users with a
 * fields= projection, paging=offset,limit, former employees hidden unless
 * formerEmployees=true, {comparator},{value} filters, collection.count,
 * extendedData custom fields (a list one holding entry ids, a composite
 * one nesting sub-properties), "Last First" displayName, nationalityId
 * with /api/v3/nationalities, extension definitions. */
#include "lucca.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#define API_KEY    "lucca-test-key"
#define MAX_PAGING 1000

static void error(emu_req *req, emu_resp *resp, unsigned status,
                  const char *msg)
{
  (void)req;
  emu_resp_start(resp, status, "application/json");
  emu_buf_printf(&resp->body, "{\"status\":%u,\"message\":", status);
  emu_json_str(&resp->body, msg);
  emu_buf_puts(&resp->body, "}");
}

static int authorised(emu_req *req, emu_resp *resp)
{
  const char *tok = emu_req_auth_token(req, "lucca", 1);

  if(!tok || strncmp(tok, "application=", 12) || strcmp(tok + 12, API_KEY)) {
    error(req, resp, 401, "Unauthorized");
    return -1;
  }
  return 0;
}

enum {
  L_ID,
  L_NAME,
  L_URL,
  L_DISPLAY,
  L_FIRST,
  L_LAST,
  L_LOGIN,
  L_MAIL,
  L_MODIFIED,
  L_START,
  L_END,
  L_BIRTH,
  L_EMPNO,
  L_TITLE,
  L_LEGAL_ID,
  L_LEGAL,
  L_DEPT_ID,
  L_DEPT,
  L_MANAGER_ID,
  L_MANAGER,
  L_ADDRESS,
  L_PHONE,
  L_GENDER,
  L_NATIONALITY,
  L_PERSONAL_EMAIL,
  L_SENIORITY,
  L_CULTURE,
  L_EXTENDED,
  L_COUNT
};

static const struct lfield {
  const char *name;
  int canon; /* withheld check, or -1 */
} lfields[L_COUNT] = {{"id", -1},
                      {"name", -1},
                      {"url", -1},
                      {"displayName", -1},
                      {"firstName", EMU_F_FIRST_NAME},
                      {"lastName", EMU_F_LAST_NAME},
                      {"login", -1},
                      {"mail", EMU_F_EMAIL},
                      {"modifiedAt", -1},
                      {"dtContractStart", EMU_F_HIRE_DATE},
                      {"dtContractEnd", EMU_F_TERMINATION_DATE},
                      {"birthDate", EMU_F_BIRTH_DATE},
                      {"employeeNumber", EMU_F_EMPLOYEE_NUMBER},
                      {"jobTitle", EMU_F_JOB_TITLE},
                      {"legalEntityId", -1},
                      {"legalEntity", -1},
                      {"departmentId", EMU_F_DEPARTMENT},
                      {"department", EMU_F_DEPARTMENT},
                      {"managerId", -1},
                      {"manager", -1},
                      {"address", EMU_F_ADDRESS_LINE1},
                      {"professionalMobile", EMU_F_PHONE},
                      {"gender", -1},
                      {"nationalityId", EMU_F_NATIONALITY},
                      {"personalEmail", EMU_F_PERSONAL_EMAIL},
                      {"seniorityDate", EMU_F_HIRE_DATE},
                      {"culture", -1},
                      {"extendedData", -1}};

/* The custom field whose values are list entries: users carry the entry
 * id ("e_shirt_size": {"id": .., "value": 84}), the labels live in its
 * definition, as on a real tenant. */
#define LIST_KEY "shirt_size"

/* A stable id for a value of a lookup table (nationalities, list
 * entries): the same text always gets the same id. */
static long value_id(const char *table, const char *v)
{
  uint64_t h = 1469598103934665603ULL;
  const char *s;
  for(s = table; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  for(s = v; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return 10 + (long)(emu_hash(h) % 99990);
}

/* The {id, <member>} items of the distinct values of canonical field f
 * (or custom key), in first-seen order. */
static void distinct(const emu_pop *pop, emu_buf *b, int f, const char *key,
                     const char *table, const char *member)
{
  json_object *seen = json_object_new_object();
  size_t i;
  int first = 1;
  for(i = 0; seen && i < pop->n; i++) {
    const char *v = key ? emu_person_custom(pop->v[i], key) : pop->v[i]->f[f];
    if(!v || json_object_object_get_ex(seen, v, NULL))
      continue;
    json_object_object_add(seen, v, NULL);
    emu_buf_printf(b, "%s{\"id\":%ld,\"%s\":", first ? "" : ",",
                   value_id(table, v), member);
    emu_json_str(b, v);
    emu_buf_puts(b, "}");
    first = 0;
  }
  json_object_put(seen);
}

/* A {comparator},{value} filter on a date or time field. */
typedef struct cmp {
  int on;
  int op; /* 0 equal, 1 since, 2 until, 3 between, 4 null, 5 notnull,
             6 notequal */
  int64_t a, b;
} cmp;

static int parse_cmp(const char *s, int is_time, cmp *c)
{
  char buf[128], *comma, *v2 = NULL;
  const char *v;

  c->on = 1;
  if(!strcmp(s, "null")) {
    c->op = 4;
    return 0;
  }
  if(!strcmp(s, "notequal,null")) {
    c->op = 5;
    return 0;
  }
  snprintf(buf, sizeof(buf), "%s", s);
  comma = strchr(buf, ',');
  v = buf;
  c->op = 0;
  if(comma) {
    *comma = '\0';
    v = comma + 1;
    c->op = !strcmp(buf, "since")      ? 1
            : !strcmp(buf, "until")    ? 2
            : !strcmp(buf, "between")  ? 3
            : !strcmp(buf, "notequal") ? 6
                                       : -1;
    if(c->op < 0)
      return -1;
    if(c->op == 3) {
      v2 = strchr(v, ',');
      if(!v2)
        return -1;
      *v2++ = '\0';
    }
  }
  if(emu_time_parse(v, &c->a))
    return -1;
  if(v2 && emu_time_parse(v2, &c->b))
    return -1;
  /* A date compares as the whole day for time fields. */
  if(!is_time && strlen(v) > 10)
    return -1;
  return 0;
}

static int cmp_ok(const cmp *c, int has, int64_t t)
{
  if(!c->on)
    return 1;
  switch(c->op) {
  case 4:
    return !has;
  case 5:
    return has;
  case 1:
    return has && t >= c->a;
  case 2:
    return has && t <= c->a;
  case 3:
    return has && t >= c->a && t <= c->b;
  case 6:
    return !has || t != c->a;
  default:
    return has && t == c->a;
  }
}

typedef struct query {
  int want[L_COUNT];
  int count_only;
  int former;
  long offset, limit;
  cmp end, start, modified;
} query;

static int date_of(const emu_person *p, int f, int64_t *t)
{
  long d;

  if(!p->f[f] || emu_date_parse(p->f[f], &d))
    return 0;
  *t = (int64_t)d * 86400;
  return 1;
}

static int match(const query *q, const emu_person *p)
{
  int64_t t = 0;
  int has;

  if(!q->former && p->status == EMU_INACTIVE)
    return 0;
  has = date_of(p, EMU_F_TERMINATION_DATE, &t);
  if(!cmp_ok(&q->end, has, t))
    return 0;
  has = date_of(p, EMU_F_HIRE_DATE, &t);
  if(!cmp_ok(&q->start, has, t))
    return 0;
  return cmp_ok(&q->modified, 1, p->modified);
}

static void date_kv(emu_buf *b, const char *v)
{
  if(v)
    emu_buf_printf(b, "\"%.10sT00:00:00\"", v);
  else
    emu_buf_puts(b, "null");
}

static void ref(emu_buf *b, const char *host, const char *kind, long id,
                const char *name)
{
  emu_buf_printf(b, "{\"id\":%ld,\"name\":", id);
  emu_json_str(b, name);
  emu_buf_printf(b, ",\"url\":\"http://%s/lucca/api/v3/%s/%ld\"}", host, kind,
                 id);
}

static void full_name(char *out, size_t n, const emu_person *p, int last1)
{
  const char *f = p->f[EMU_F_FIRST_NAME] ? p->f[EMU_F_FIRST_NAME] : "";
  const char *l = p->f[EMU_F_LAST_NAME] ? p->f[EMU_F_LAST_NAME] : "";

  snprintf(out, n, "%s %s", last1 ? l : f, last1 ? f : l);
}

static void extended(const emu_req *req, emu_buf *b, const emu_person *p)
{
  const emu_pop *pop = req->ctx->pop;
  size_t i;
  int first = 1;

  emu_buf_puts(b, "{");
  /* Postcode and city live in tenant extensions, as in many tenants. */
  if(p->f[EMU_F_POSTAL_CODE] && !emu_req_withheld(req, EMU_F_POSTAL_CODE)) {
    emu_buf_printf(
        b, "\"e_Codepostal\":{\"id\":%ld,\"value\":", p->id * 100 + 98);
    emu_json_str(b, p->f[EMU_F_POSTAL_CODE]);
    emu_buf_puts(b, "}");
    first = 0;
  }
  if(p->f[EMU_F_CITY] && !emu_req_withheld(req, EMU_F_CITY)) {
    emu_buf_printf(b, "%s\"e_Ville\":{\"id\":%ld,\"value\":", first ? "" : ",",
                   p->id * 100 + 99);
    emu_json_str(b, p->f[EMU_F_CITY]);
    emu_buf_puts(b, "}");
    first = 0;
  }
  /* A composite: sub-properties nested inside "value". */
  if((p->f[EMU_F_CITY] || p->f[EMU_F_COUNTRY]) &&
     !emu_req_withheld(req, EMU_F_CITY)) {
    emu_buf_printf(b,
                   "%s\"e_workplace\":{\"id\":%ld,\"value\":{"
                   "\"e_workplace_city\":{\"id\":%ld,\"value\":",
                   first ? "" : ",", p->id * 100 + 95, p->id * 100 + 96);
    emu_json_str(b, p->f[EMU_F_CITY]);
    emu_buf_printf(b, "},\"e_workplace_country\":{\"id\":%ld,\"value\":",
                   p->id * 100 + 97);
    emu_json_str(b, p->f[EMU_F_COUNTRY]);
    emu_buf_puts(b, "}}}");
    first = 0;
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    const char *v = emu_person_custom(p, pop->custom_keys[i]);
    if(!v || emu_req_withheld_custom(req, pop->custom_keys[i]))
      continue;
    emu_buf_printf(b, "%s\"e_", first ? "" : ",");
    first = 0;
    emu_buf_puts(b, pop->custom_keys[i]);
    emu_buf_printf(b, "\":{\"id\":%ld,\"value\":", p->id * 100 + (long)i);
    if(!strcmp(pop->custom_keys[i], LIST_KEY))
      emu_buf_printf(b, "%ld", value_id(LIST_KEY, v));
    else
      emu_json_str(b, v);
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "}");
}

/* The user's culture, {id, name, url}, from the country. */
static void culture(emu_buf *b, const char *host, const char *cc)
{
  long id = 2057;
  const char *name = "English (United Kingdom)";
  if(cc && !strcmp(cc, "FR")) {
    id = 1036;
    name = "fran\xc3\xa7"
           "ais (France)";
  }
  else if(cc && !strcmp(cc, "DE")) {
    id = 1031;
    name = "Deutsch (Deutschland)";
  }
  else if(cc && !strcmp(cc, "ES")) {
    id = 3082;
    name = "espa\xc3\xb1ol (Espa\xc3\xb1"
           "a)";
  }
  ref(b, host, "cultures", id, name);
}

static void user(const emu_req *req, emu_buf *b, const query *q,
                 const emu_person *p)
{
  const emu_pop *pop = req->ctx->pop;
  const char *host = emu_req_header(req, "Host");
  const emu_person *m =
      p->supervisor ? emu_pop_find(pop, p->supervisor) : NULL;
  char tmp[300];
  int i, first = 1;

  host = host ? host : "127.0.0.1";
  emu_buf_puts(b, "{");
  for(i = 0; i < L_COUNT; i++) {
    if(!q->want[i] ||
       (lfields[i].canon >= 0 && emu_req_withheld(req, lfields[i].canon)))
      continue;
    if(!first)
      emu_buf_puts(b, ",");
    first = 0;
    emu_json_key(b, lfields[i].name);
    switch(i) {
    case L_ID:
      emu_buf_printf(b, "%ld", p->id);
      break;
    case L_NAME:
    case L_DISPLAY:
      full_name(tmp, sizeof(tmp), p, i == L_DISPLAY);
      emu_json_str(b, tmp);
      break;
    case L_URL:
      emu_buf_printf(b, "\"http://%s/lucca/api/v3/users/%ld\"", host, p->id);
      break;
    case L_FIRST:
      emu_json_str(b, p->f[EMU_F_FIRST_NAME]);
      break;
    case L_LAST:
      emu_json_str(b, p->f[EMU_F_LAST_NAME]);
      break;
    case L_LOGIN:
      snprintf(tmp, sizeof(tmp), "user%ld", p->id);
      emu_json_str(b, tmp);
      break;
    case L_MAIL:
      emu_json_str(b, p->f[EMU_F_EMAIL]);
      break;
    case L_MODIFIED:
      emu_time_format(p->modified, tmp);
      emu_buf_printf(b, "\"%.19s.000\"", tmp);
      break;
    case L_START:
      date_kv(b, p->f[EMU_F_HIRE_DATE]);
      break;
    case L_END:
      date_kv(b, p->f[EMU_F_TERMINATION_DATE]);
      break;
    case L_BIRTH:
      date_kv(b, p->f[EMU_F_BIRTH_DATE]);
      break;
    case L_EMPNO:
      emu_json_str(b, p->f[EMU_F_EMPLOYEE_NUMBER]);
      break;
    case L_TITLE:
      emu_json_str(b, p->f[EMU_F_JOB_TITLE]);
      break;
    case L_LEGAL_ID:
      emu_buf_puts(b, "1");
      break;
    case L_LEGAL:
      ref(b, host, "legalEntities", 1, "Acme SAS");
      break;
    case L_DEPT_ID:
      if(p->dept_id < 0)
        emu_buf_puts(b, "null");
      else
        emu_buf_printf(b, "%ld", 10 + p->dept_id);
      break;
    case L_DEPT:
      if(p->dept_id < 0)
        emu_buf_puts(b, "null");
      else
        ref(b, host, "departments", 10 + p->dept_id, p->f[EMU_F_DEPARTMENT]);
      break;
    case L_MANAGER_ID:
      if(m)
        emu_buf_printf(b, "%ld", m->id);
      else
        emu_buf_puts(b, "null");
      break;
    case L_MANAGER:
      if(m) {
        full_name(tmp, sizeof(tmp), m, 0);
        ref(b, host, "users", m->id, tmp);
      }
      else
        emu_buf_puts(b, "null");
      break;
    case L_ADDRESS:
      if(!p->f[EMU_F_ADDRESS_LINE1])
        emu_buf_puts(b, "null");
      else {
        snprintf(tmp, sizeof(tmp), "%s%s%s, %s %s", p->f[EMU_F_ADDRESS_LINE1],
                 p->f[EMU_F_ADDRESS_LINE2] ? ", " : "",
                 p->f[EMU_F_ADDRESS_LINE2] ? p->f[EMU_F_ADDRESS_LINE2] : "",
                 p->f[EMU_F_POSTAL_CODE] ? p->f[EMU_F_POSTAL_CODE] : "",
                 p->f[EMU_F_CITY] ? p->f[EMU_F_CITY] : "");
        emu_json_str(b, tmp);
      }
      break;
    case L_PHONE:
      emu_json_str(b, p->f[EMU_F_PHONE]);
      break;
    case L_GENDER:
      emu_json_str(b,
                   emu_hash((uint64_t)p->id * 7 + 3) & 1 ? "female" : "male");
      break;
    case L_NATIONALITY:
      if(p->f[EMU_F_NATIONALITY])
        emu_buf_printf(b, "%ld",
                       value_id("nationality", p->f[EMU_F_NATIONALITY]));
      else
        emu_buf_puts(b, "null");
      break;
    case L_PERSONAL_EMAIL:
      emu_json_str(b, p->f[EMU_F_PERSONAL_EMAIL]);
      break;
    case L_SENIORITY:
      date_kv(b, p->f[EMU_F_HIRE_DATE]);
      break;
    case L_CULTURE:
      culture(b, host, p->f[EMU_F_COUNTRY_CODE]);
      break;
    case L_EXTENDED:
      extended(req, b, p);
      break;
    }
  }
  emu_buf_puts(b, "}");
}

/* Reads fields=, paging=, formerEmployees= and the filters. Returns NULL
 * or what is wrong. */
static const char *parse(emu_req *req, query *q)
{
  const char *fields = emu_req_arg(req, "fields");
  const char *paging = emu_req_arg(req, "paging");
  const char *former = emu_req_arg(req, "formerEmployees");
  const char *s;
  int i;

  memset(q, 0, sizeof(*q));
  q->limit = MAX_PAGING;
  if(!fields || !*fields)
    q->want[L_ID] = q->want[L_NAME] = q->want[L_URL] = 1;
  else {
    char buf[2048], *save = NULL, *tok;
    snprintf(buf, sizeof(buf), "%s", fields);
    for(tok = strtok_r(buf, ",", &save); tok;
        tok = strtok_r(NULL, ",", &save)) {
      while(*tok == ' ')
        tok++;
      if(!strcmp(tok, "collection.count"))
        q->count_only = 1;
      for(i = 0; i < L_COUNT; i++) {
        size_t n = strlen(lfields[i].name);
        /* "department.name": the emulator answers the whole object. */
        if(!strncasecmp(tok, lfields[i].name, n) &&
           (tok[n] == '\0' ||
            (tok[n] == '.' && strcmp(tok, "collection.count"))))
          q->want[i] = 1;
      }
    }
  }
  if(paging) {
    long off = -1, lim = -1;
    char buf[64], *comma;
    snprintf(buf, sizeof(buf), "%s", paging);
    comma = strchr(buf, ',');
    if(comma) {
      *comma = '\0';
      off = emu_parse_nonneg(buf);
      lim = emu_parse_nonneg(comma + 1);
    }
    if(off < 0 || lim < 1)
      return "paging must be {offset},{limit}";
    q->offset = off;
    q->limit = lim > MAX_PAGING ? MAX_PAGING : lim;
  }
  q->former = former && !strcasecmp(former, "true");
  if((s = emu_req_arg(req, "dtContractEnd"))) {
    if(parse_cmp(s, 0, &q->end))
      return "bad dtContractEnd filter";
    /* Asking about contract ends is asking about former employees. */
    q->former = 1;
  }
  if((s = emu_req_arg(req, "dtContractStart")) && parse_cmp(s, 0, &q->start))
    return "bad dtContractStart filter";
  if((s = emu_req_arg(req, "modifiedAt")) && parse_cmp(s, 1, &q->modified))
    return "bad modifiedAt filter";
  return NULL;
}

static void users(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  const char *why;
  query q;
  size_t i, n, seen, out = 0;
  int filtered;

  if((why = parse(req, &q))) {
    error(req, resp, 400, why);
    return;
  }
  filtered = q.end.on || q.start.on || q.modified.on;
  n = q.former ? pop->n : pop->ncurrent;
  emu_resp_start(resp, 200, "application/json; charset=utf-8");
  if(q.count_only) {
    size_t count = n;
    if(filtered)
      for(count = 0, i = 0; i < pop->n; i++)
        count += match(&q, pop->v[i]);
    emu_buf_printf(b, "{\"data\":{\"count\":%zu}}", count);
    return;
  }
  emu_buf_puts(b, "{\"data\":{\"items\":[");
  if(!filtered)
    for(i = (size_t)q.offset; i < n && out < (size_t)q.limit; i++) {
      if(out++)
        emu_buf_puts(b, ",");
      user(req, b, &q, pop->v[q.former ? i : pop->current[i]]);
    }
  else
    for(i = 0, seen = 0; i < pop->n && out < (size_t)q.limit; i++) {
      if(!match(&q, pop->v[i]) || seen++ < (size_t)q.offset)
        continue;
      if(out++)
        emu_buf_puts(b, ",");
      user(req, b, &q, pop->v[i]);
    }
  emu_buf_puts(b, "]}}");
}

static void one_user(emu_req *req, emu_resp *resp, long id)
{
  const emu_person *p = id > 0 ? emu_pop_find(req->ctx->pop, id) : NULL;
  query q;

  if(!p) {
    error(req, resp, 404, "User not found");
    return;
  }
  if(parse(req, &q)) {
    error(req, resp, 400, "bad query");
    return;
  }
  emu_resp_start(resp, 200, "application/json; charset=utf-8");
  emu_buf_puts(&resp->body, "{\"data\":");
  user(req, &resp->body, &q, p);
  emu_buf_puts(&resp->body, "}");
}

/* GET /api/v3/extensionuserdefinitions/{e_name}: the custom field's
 * definition; a list's entries in extensionUserPropertyListEntries. */
static void definition(emu_req *req, emu_resp *resp, const char *name)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  size_t i;
  int known = !strcmp(name, "e_Codepostal") || !strcmp(name, "e_Ville") ||
              !strcmp(name, "e_workplace") ||
              !strcmp(name, "e_workplace_city") ||
              !strcmp(name, "e_workplace_country");
  const char *key = NULL;

  for(i = 0; !known && i < pop->ncustom_keys; i++)
    if(!strncmp(name, "e_", 2) && !strcmp(name + 2, pop->custom_keys[i])) {
      known = 1;
      key = pop->custom_keys[i];
    }
  if(!known) {
    error(req, resp, 404, "Extension definition not found");
    return;
  }
  emu_resp_start(resp, 200, "application/json; charset=utf-8");
  emu_buf_printf(
      b, "{\"data\":{\"id\":%ld,\"name\":", value_id("definition", name));
  emu_json_str(b, name);
  emu_buf_puts(b, ",\"extensionUserPropertyListEntries\":[");
  if(key && !strcmp(key, LIST_KEY))
    distinct(pop, b, 0, key, LIST_KEY, "name");
  emu_buf_puts(b, "]}}");
}

static void handle(emu_req *req, emu_resp *resp)
{
  const char *p = req->path;
  long wait;

  if(!strcmp(p, "/oauth/token") && !strcmp(req->method, "POST")) {
    lucca_oauth_token(req, resp);
    return;
  }
  if(!strncmp(p, "/lucca-api/", 11)) {
    if((wait = emu_limiter_hit(&req->ctx->lucca))) {
      error(req, resp, 429, "Too many requests");
      emu_resp_header(resp, "Retry-After", "%ld", wait);
    }
    else
      lucca_api(req, resp);
    return;
  }
  if(authorised(req, resp))
    return;
  /* The 50/min tenant limit (switched on by --lucca-rate-limit). */
  if((wait = emu_limiter_hit(&req->ctx->lucca))) {
    error(req, resp, 429, "Too many requests");
    emu_resp_header(resp, "Retry-After", "%ld", wait);
  }
  else if(strcmp(req->method, "GET"))
    error(req, resp, 405, "Method not allowed");
  else if(!strcmp(p, "/api/v3/users"))
    users(req, resp);
  else if(!strcmp(p, "/api/v3/nationalities")) {
    emu_resp_start(resp, 200, "application/json; charset=utf-8");
    emu_buf_puts(&resp->body, "{\"data\":{\"items\":[");
    distinct(req->ctx->pop, &resp->body, EMU_F_NATIONALITY, NULL,
             "nationality", "name");
    emu_buf_puts(&resp->body, "]}}");
  }
  else if(!strncmp(p, "/api/v3/extensionuserdefinitions/", 33))
    definition(req, resp, p + 33);
  else if(!strncmp(p, "/api/v3/users/", 14))
    one_user(req, resp, emu_parse_nonneg(p + 14));
  else
    error(req, resp, 404, "Not found");
}

static int is_auth(const char *path)
{
  return !strcmp(path, "/oauth/token");
}

static unsigned rate_status(emu_ctx *ctx)
{
  (void)ctx;
  return 429;
}

const emu_system emu_sys_lucca = {"lucca", "/lucca", handle,     error,
                                  is_auth, NULL,     rate_status};
