/* Personio v2: OAuth client-credentials tokens (form only), /v2/persons
 * with cursor paging (cursors contain "+", "/" and "="; next links are
 * absolute, or relative with --personio-v2-links relative), one
 * employment per person on its own endpoint, org units, and
 * application/problem+json errors with a personio_trace_id. */
#include "personio.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_ID     "personio-test-id"
#define CLIENT_SECRET "personio-test-secret"

static void problem(emu_req *req, emu_resp *resp, unsigned status,
                    const char *title, const char *detail, const char *type)
{
  char ts[32];

  emu_time_format(emu_now(), ts);
  emu_resp_start(resp, status, "application/problem+json");
  emu_buf_printf(&resp->body,
                 "{\"personio_trace_id\":\"%016llx\",\"timestamp\":\"%s\","
                 "\"errors\":[{\"title\":",
                 (unsigned long long)emu_hash((uint64_t)emu_now() ^
                                              (uint64_t)(uintptr_t)resp ^
                                              (uint64_t)req->body_len),
                 ts);
  emu_json_str(&resp->body, title);
  emu_buf_puts(&resp->body, ",\"detail\":");
  emu_json_str(&resp->body, detail);
  emu_buf_printf(&resp->body,
                 ",\"type\":\"https://developer.personio.de/reference/"
                 "errors#%s\",\"_meta\":{}}]}",
                 type);
}

static void oauth_error(emu_resp *resp, unsigned status, const char *error,
                        const char *desc)
{
  char ts[32];

  emu_time_format(emu_now(), ts);
  emu_resp_start(resp, status, "application/problem+json");
  emu_buf_printf(&resp->body,
                 "{\"timestamp\":\"%s\",\"trace_id\":\"%016llx\","
                 "\"error\":\"%s\",\"error_description\":",
                 ts, (unsigned long long)emu_hash((uint64_t)emu_now()), error);
  emu_json_str(&resp->body, desc);
  emu_buf_printf(&resp->body,
                 ",\"error_uri\":\"https://developer.personio.de/reference/"
                 "errors#credentials.%s\",\"meta\":{}}",
                 error);
}

/* Value of `key` in a form body (copied into out), or NULL. */
static const char *form_value(const emu_req *req, const char *key, char *out,
                              size_t outlen)
{
  size_t n = strlen(key);
  const char *p = req->body, *end = req->body + req->body_len;

  while(p && p < end) {
    const char *amp = memchr(p, '&', (size_t)(end - p));
    const char *stop = amp ? amp : end;
    if((size_t)(stop - p) > n && !strncmp(p, key, n) && p[n] == '=') {
      snprintf(out, outlen, "%.*s", (int)(stop - p - (long)n - 1), p + n + 1);
      return out;
    }
    p = amp ? amp + 1 : NULL;
  }
  return NULL;
}

static void token(emu_req *req, emu_resp *resp)
{
  const char *ct = emu_req_header(req, "Content-Type");
  char id[128], secret[128], grant[64], tok[96];
  emu_ctx *ctx = req->ctx;

  if(strcmp(req->method, "POST")) {
    oauth_error(resp, 405, "invalid_request", "Use POST");
    return;
  }
  if(!ct || strncmp(ct, "application/x-www-form-urlencoded", 33)) {
    oauth_error(resp, 400, "invalid_request",
                "content type must be application/x-www-form-urlencoded");
    return;
  }
  if(!form_value(req, "grant_type", grant, sizeof(grant)) ||
     strcmp(grant, "client_credentials")) {
    oauth_error(resp, 400, "unsupported_grant_type",
                "Only client_credentials is supported");
    return;
  }
  if(!form_value(req, "client_id", id, sizeof(id)) ||
     !form_value(req, "client_secret", secret, sizeof(secret)) ||
     strcmp(id, CLIENT_ID) || strcmp(secret, CLIENT_SECRET)) {
    /* The spec says 400 for bad credentials (some mocks use 401). */
    oauth_error(resp, 400, "unauthorized_client",
                "The credentials were not correct");
    return;
  }
  pthread_mutex_lock(&ctx->tok_mu);
  personio_token_string(ctx->tok_epoch, 0, tok);
  pthread_mutex_unlock(&ctx->tok_mu);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(&resp->body,
                 "{\"access_token\":\"%s\",\"token_type\":\"Bearer\","
                 "\"expires_in\":86400,\"scope\":\"personio:persons:read "
                 "personio:employments:read\"}",
                 tok);
}

static void uuid(long id, unsigned salt, char out[40])
{
  uint64_t h = emu_hash((uint64_t)id * 131 + salt);
  uint64_t g = emu_hash(h);

  snprintf(out, 40, "%08x-%04x-4%03x-8%03x-%012llx", (unsigned)(h >> 32),
           (unsigned)(h >> 16) & 0xffff, (unsigned)h & 0xfff,
           (unsigned)(g >> 52) & 0xfff,
           (unsigned long long)(g & 0xffffffffffffULL));
}

/* Cursors look like Personio's: base64-ish with "+", "/" and "=". */
static void cursor_make(long offset, char out[64])
{
  snprintf(out, 64, "c+%lx/%04x==", offset,
           (unsigned)(emu_hash((uint64_t)offset) & 0xffff));
}

static long cursor_parse(const char *c)
{
  char want[64];
  long off;

  if(!c || strncmp(c, "c+", 2) || sscanf(c + 2, "%lx", &off) != 1 || off < 0)
    return -1;
  cursor_make(off, want);
  return strcmp(want, c) ? -1 : off;
}

static void link(emu_req *req, emu_buf *b, const char *path_query)
{
  const char *host = emu_req_header(req, "Host");

  if(req->ctx->opts->personio_v2_relative)
    emu_buf_printf(b, "{\"href\":\"/v2/%s\"}", path_query);
  else
    emu_buf_printf(b, "{\"href\":\"http://%s/personio/v2/%s\"}",
                   host ? host : "127.0.0.1", path_query);
}

static void iso(int64_t t, char out[32])
{
  emu_time_format(t, out);
  snprintf(out + 19, 13, "Z");
}

static void person(emu_req *req, emu_buf *b, const emu_person *p)
{
  const emu_pop *pop = req->ctx->pop;
  char ts[32], eid[40], lnk[64];
  size_t i;
  int first = 1;

  uuid(p->id, 1, eid);
  emu_buf_printf(b, "{\"id\":\"%ld\",\"email\":", p->id);
  emu_json_str(b,
               emu_req_withheld(req, EMU_F_EMAIL) ? NULL : p->f[EMU_F_EMAIL]);
  iso(p->modified - 86400L * 400, ts);
  emu_buf_printf(b, ",\"created_at\":\"%s\"", ts);
  iso(p->modified, ts);
  emu_buf_printf(b, ",\"updated_at\":\"%s\",\"first_name\":", ts);
  emu_json_str(b, p->f[EMU_F_FIRST_NAME]);
  emu_buf_puts(b, ",\"last_name\":");
  emu_json_str(b, p->f[EMU_F_LAST_NAME]);
  emu_buf_puts(b, ",\"preferred_name\":");
  emu_json_str(b,
               p->f[EMU_F_PREFERRED_NAME] ? p->f[EMU_F_PREFERRED_NAME] : "");
  emu_buf_printf(b,
                 ",\"gender\":\"UNSPECIFIED\",\"status\":\"%s\","
                 "\"custom_attributes\":[",
                 p->status == EMU_INACTIVE ? "INACTIVE" : "ACTIVE");
  for(i = 0; i < pop->ncustom_keys; i++) {
    const char *v = emu_person_custom(p, pop->custom_keys[i]);
    if(!v || emu_req_withheld_custom(req, pop->custom_keys[i]))
      continue;
    emu_buf_printf(b,
                   "%s{\"id\":\"dynamic_%zu\",\"type\":\"string\","
                   "\"value\":",
                   first ? "" : ",", (size_t)1147000 + i);
    first = 0;
    emu_json_str(b, v);
    emu_buf_puts(b, ",\"global_id\":");
    emu_json_str(b, pop->custom_keys[i]);
    emu_buf_puts(b, ",\"label\":");
    emu_json_str(b, pop->custom_keys[i]);
    emu_buf_puts(b, "}");
  }
  emu_buf_printf(b,
                 "],\"employments\":[{\"id\":\"%s\"}],"
                 "\"_meta\":{\"links\":{\"employments\":",
                 eid);
  snprintf(lnk, sizeof(lnk), "persons/%ld/employments", p->id);
  link(req, b, lnk);
  emu_buf_puts(b, "}}}");
}

/* Whether p passes the persons filters (comma lists, exact matches). */
static int in_list(const char *list, const char *v)
{
  size_t n = v ? strlen(v) : 0;
  const char *p;

  if(!v)
    return 0;
  for(p = list; (p = strstr(p, v)); p += n)
    if((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
      return 1;
  return 0;
}

static int keep(const emu_req *req, const emu_person *p, int64_t since)
{
  const char *ids = emu_req_arg(req, "id"),
             *emails = emu_req_arg(req, "email");
  const char *st = emu_req_arg(req, "status");
  char id[32];

  snprintf(id, sizeof(id), "%ld", p->id);
  if(ids && !in_list(ids, id))
    return 0;
  if(emails && !in_list(emails, p->f[EMU_F_EMAIL]))
    return 0;
  if(st && strcmp(st, p->status == EMU_INACTIVE ? "INACTIVE" : "ACTIVE"))
    return 0;
  return since < 0 || p->modified > since;
}

static void persons(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  char cbuf[128];
  const char *ls = emu_req_arg(req, "limit");
  /* Raw: a "+" in the cursor is a "+", never a space. */
  const char *cs = emu_req_raw_arg(req, "cursor", cbuf, sizeof(cbuf));
  const char *st = emu_req_arg(req, "status"), *gt;
  long limit = ls ? emu_parse_nonneg(ls) : 10, off = 0, i, out = 0;
  int filtered = emu_req_arg(req, "id") || emu_req_arg(req, "email") || st;
  int64_t since = -1;
  emu_buf *b = &resp->body;
  char cur[64], q[160];

  if(limit < 1 || limit > 50) {
    problem(req, resp, 400, "Bad request",
            "Provided value for limit is not valid", "common.bad_request");
    return;
  }
  if(cs && (off = cursor_parse(cs)) < 0) {
    problem(req, resp, 400, "Bad request", "Provided cursor is not valid",
            "common.bad_request");
    return;
  }
  if(st && strcmp(st, "ACTIVE") && strcmp(st, "INACTIVE")) {
    problem(req, resp, 400, "Bad request",
            "Provided request parameters are invalid.", "common.bad_request");
    return;
  }
  if((gt = emu_req_arg(req, "updated_at.gt"))) {
    if(emu_time_parse(gt, &since)) {
      problem(req, resp, 400, "Bad request",
              "Provided request parameters are invalid.",
              "common.bad_request");
      return;
    }
    filtered = 1;
  }
  /* The cursor is a position in the (filtered) list. */
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(b, "{\"_data\":[");
  if(!filtered)
    for(i = off; i < (long)pop->n && out < limit; i++) {
      if(out++)
        emu_buf_puts(b, ",");
      person(req, b, pop->v[i]);
    }
  else {
    long seen = 0;
    for(i = 0; i < (long)pop->n && out < limit; i++) {
      if(!keep(req, pop->v[i], since) || seen++ < off)
        continue;
      if(out++)
        emu_buf_puts(b, ",");
      person(req, b, pop->v[i]);
    }
    /* i now points past the last one served; see whether more remain. */
    while(i < (long)pop->n && !keep(req, pop->v[i], since))
      i++;
  }
  emu_buf_puts(b, "],\"_meta\":{\"links\":{\"self\":");
  snprintf(q, sizeof(q), "persons?limit=%ld", limit);
  link(req, b, q);
  if(i < (long)pop->n) {
    cursor_make(off + out, cur);
    snprintf(q, sizeof(q), "persons?limit=%ld&cursor=%s", limit, cur);
    emu_buf_puts(b, ",\"next\":");
    link(req, b, q);
  }
  emu_buf_puts(b, "}}}");
}

static void employments(emu_req *req, emu_resp *resp, long id)
{
  const emu_pop *pop = req->ctx->pop;
  const emu_person *p = id > 0 ? emu_pop_find(pop, id) : NULL;
  const char *et, *v;
  emu_buf *b = &resp->body;
  char eid[40], ts[32], lnk[64];

  if(!p) {
    problem(req, resp, 404, "Resource not found",
            "The requested person does not exist.",
            "common.resource_not_found");
    return;
  }
  et = p->f[EMU_F_EMPLOYMENT_TYPE];
  uuid(p->id, 1, eid);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b,
                 "{\"_data\":[{\"id\":\"%s\",\"status\":\"%s\","
                 "\"type\":\"%s\",\"weekly_working_hours\":%d,"
                 "\"full_time_weekly_working_hours\":40,"
                 "\"employment_start_date\":",
                 eid,
                 p->status == EMU_INACTIVE ? "INACTIVE"
                 : p->status == EMU_FUTURE ? "ONBOARDING"
                                           : "ACTIVE",
                 et && !strcmp(et, "Contractor") ? "EXTERNAL" : "INTERNAL",
                 et && !strcmp(et, "Part-Time") ? 20 : 40);
  emu_json_str(b, emu_req_withheld(req, EMU_F_HIRE_DATE)
                      ? NULL
                      : p->f[EMU_F_HIRE_DATE]);
  v = emu_req_withheld(req, EMU_F_TERMINATION_DATE)
          ? NULL
          : p->f[EMU_F_TERMINATION_DATE];
  emu_buf_puts(b, ",\"employment_end_date\":");
  emu_json_str(b, v);
  emu_buf_puts(b, ",\"contract_end_date\":null,\"position\":{\"title\":");
  emu_json_str(b, p->f[EMU_F_JOB_TITLE]);
  emu_buf_puts(b, "},\"supervisor\":");
  if(p->supervisor)
    emu_buf_printf(b, "{\"id\":\"%ld\"}", p->supervisor);
  else
    emu_buf_puts(b, "null");
  emu_buf_printf(b,
                 ",\"office\":{\"id\":\"%ld\"},\"legal_entity\":"
                 "{\"id\":\"170\"},\"org_units\":[",
                 131014 + p->office_id);
  if(p->dept_id >= 0)
    emu_buf_printf(b,
                   "{\"type\":\"team\",\"id\":\"%ld\"},"
                   "{\"type\":\"department\",\"id\":\"%ld\"}",
                   59026 + p->dept_id * 2 + p->id % 2, 281521 + p->dept_id);
  emu_buf_printf(b, "],\"person\":{\"id\":\"%ld\"},\"termination\":", p->id);
  if(v) {
    emu_buf_puts(b, "{\"termination_date\":");
    emu_json_str(b, v);
    emu_buf_puts(b, ",\"last_working_date\":");
    emu_json_str(b, v);
    emu_buf_puts(b, ",\"type\":\"EMPLOYEE\",\"reason\":null}");
  }
  else
    emu_buf_puts(b, "null");
  iso(p->modified - 86400L * 400, ts);
  emu_buf_printf(b, ",\"created_at\":\"%s\"", ts);
  iso(p->modified, ts);
  emu_buf_printf(b,
                 ",\"updated_at\":\"%s\"}],\"_meta\":{\"links\":"
                 "{\"self\":",
                 ts);
  snprintf(lnk, sizeof(lnk), "persons/%ld/employments", p->id);
  link(req, b, lnk);
  emu_buf_puts(b, "}}}");
}

static void org_unit(emu_buf *b, const char *type, long id, const char *name)
{
  emu_buf_printf(b, "{\"id\":\"%ld\",\"type\":\"%s\",\"name\":", id, type);
  emu_json_str(b, name);
  emu_buf_puts(b, ",\"abbreviation\":null,\"parent_id\":null}");
}

/* GET /v2/org-units[/{id}]?type=department|team */
static void org_units(emu_req *req, emu_resp *resp, const char *idstr)
{
  const emu_pop *pop = req->ctx->pop;
  const char *type = emu_req_arg(req, "type");
  long want = idstr ? emu_parse_nonneg(idstr) : -1, id;
  int dept, n = 0;
  emu_buf *b = &resp->body;
  size_t i;

  if(!type || (strcmp(type, "department") && strcmp(type, "team"))) {
    problem(req, resp, 400, "Bad request",
            "type is required (department or team)", "common.bad_request");
    return;
  }
  dept = !strcmp(type, "department");
  emu_resp_start(resp, 200, "application/json");
  if(!idstr)
    emu_buf_puts(b, "{\"_data\":[");
  for(i = 0; i < pop->ndepts; i++) {
    char team[160];
    int k;
    for(k = 0; k < (dept ? 1 : 2); k++) {
      id = dept ? 281521 + (long)i : 59026 + (long)i * 2 + k;
      snprintf(team, sizeof(team), "%s %c", pop->depts[i], k ? 'B' : 'A');
      if(idstr && id != want)
        continue;
      if(n++)
        emu_buf_puts(b, ",");
      org_unit(b, type, id, dept ? pop->depts[i] : team);
    }
  }
  if(idstr && !n)
    problem(req, resp, 404, "Resource not found",
            "The requested org unit does not exist.",
            "common.resource_not_found");
  else if(!idstr)
    emu_buf_puts(b, "],\"_meta\":{\"links\":{}}}");
}

/* --personio-v2-limit N: a token bucket as a third party observed it
** (Spring Cloud Gateway): every answer says x-ratelimit-replenish-rate,
** -burst-capacity, -requested-tokens and -remaining; over the limit, 429
** without Retry-After (whether Personio sends one is unknown). */
static int ratelimited(emu_req *req, emu_resp *resp)
{
  emu_bucket *b = &req->ctx->personio_v2;
  long left;
  int ok;
  if(b->rate <= 0)
    return 0;
  ok = emu_bucket_take(b, &left);
  emu_resp_header(resp, "x-ratelimit-replenish-rate", "%ld", b->rate);
  emu_resp_header(resp, "x-ratelimit-burst-capacity", "%ld", b->burst);
  emu_resp_header(resp, "x-ratelimit-requested-tokens", "1");
  emu_resp_header(resp, "x-ratelimit-remaining", "%ld", left);
  if(ok)
    return 0;
  problem(req, resp, 429, "Too Many Requests", "Rate limit exceeded.",
          "common.too_many_requests");
  return 1;
}

void personio_v2(emu_req *req, emu_resp *resp)
{
  const char *p = req->path + 3; /* after "/v2" */
  const char *tok;
  int rc;

  if(!strcmp(p, "/auth/token")) {
    token(req, resp);
    return;
  }
  tok = emu_req_auth_token(req, "Bearer", 0);
  rc = tok ? personio_token_check(req->ctx, tok) : -1;
  if(rc) {
    problem(req, resp, 401, "Unauthorized",
            tok ? "The access token is invalid or expired."
                : "Authorization is not provided.",
            "common.unauthorized");
    return;
  }
  if(ratelimited(req, resp))
    return;
  if(strcmp(req->method, "GET"))
    problem(req, resp, 405, "Method not allowed", "Use GET.",
            "common.method_not_allowed");
  else if(!strcmp(p, "/persons"))
    persons(req, resp);
  else if(!strncmp(p, "/persons/", 9) && strstr(p, "/employments") &&
          !strcmp(strstr(p, "/employments"), "/employments"))
    employments(req, resp, strtol(p + 9, NULL, 10));
  else if(!strcmp(p, "/org-units"))
    org_units(req, resp, NULL);
  else if(!strncmp(p, "/org-units/", 11))
    org_units(req, resp, p + 11);
  else
    problem(req, resp, 404, "Resource not found",
            "The requested resource does not exist.",
            "common.resource_not_found");
}
