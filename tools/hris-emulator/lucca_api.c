/* The new Lucca API (beta, read-only): OAuth2 client-credentials tokens
 * (the real token host is global and its path uncertain; the emulator
 * serves it at /lucca/oauth/token), then GET /lucca-api/employees with
 * `Api-Version: 2024-11-01`, limit <= 100, opaque `page` cursors and
 * links/totalCount only when `include` asks for them. */
#include "lucca.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_ID     "lucca-test-client"
#define CLIENT_SECRET "lucca-test-secret"
#define API_VERSION   "2024-11-01"

static void problem(emu_resp *resp, unsigned status, const char *title,
                    const char *detail)
{
  emu_resp_start(resp, status, "application/problem+json");
  emu_buf_printf(&resp->body,
                 "{\"type\":\"about:blank\",\"status\":%u,"
                 "\"title\":",
                 status);
  emu_json_str(&resp->body, title);
  emu_buf_puts(&resp->body, ",\"detail\":");
  emu_json_str(&resp->body, detail);
  emu_buf_puts(&resp->body, "}");
}

static void token_for(emu_ctx *ctx, char out[64])
{
  unsigned long epoch;

  pthread_mutex_lock(&ctx->tok_mu);
  epoch = ctx->tok_epoch;
  pthread_mutex_unlock(&ctx->tok_mu);
  snprintf(out, 64, "lucca-%lu-%012llx", epoch,
           (unsigned long long)(emu_hash(epoch + 77) & 0xffffffffffffULL));
}

static int has_form(const emu_req *req, const char *kv)
{
  size_t n = strlen(kv);
  const char *p = req->body, *end = req->body + req->body_len;

  for(; p && p + n <= end; p++)
    if((p == req->body || p[-1] == '&') && !strncmp(p, kv, n) &&
       (p + n == end || p[n] == '&'))
      return 1;
  return 0;
}

void lucca_oauth_token(emu_req *req, emu_resp *resp)
{
  const char *ct = emu_req_header(req, "Content-Type");
  char tok[64];

  if(!ct || strncmp(ct, "application/x-www-form-urlencoded", 33)) {
    problem(resp, 400, "invalid_request",
            "content type must be application/x-www-form-urlencoded");
    return;
  }
  if(!has_form(req, "grant_type=client_credentials")) {
    problem(resp, 400, "unsupported_grant_type",
            "only client_credentials is supported");
    return;
  }
  if(!has_form(req, "client_id=" CLIENT_ID) ||
     !has_form(req, "client_secret=" CLIENT_SECRET)) {
    problem(resp, 401, "invalid_client", "unknown client or bad secret");
    return;
  }
  token_for(req->ctx, tok);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(&resp->body,
                 "{\"access_token\":\"%s\",\"token_type\":\"Bearer\","
                 "\"expires_in\":3600,\"scope\":\"employees.readonly\"}",
                 tok);
}

/* Cursor "!<base36 offset>". */
static void cursor(long off, char out[32])
{
  static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  char tmp[32];
  int n = 0, i;

  do {
    tmp[n++] = digits[off % 36];
    off /= 36;
  } while(off && n < 30);
  out[0] = '!';
  for(i = 0; i < n; i++)
    out[1 + i] = tmp[n - 1 - i];
  out[1 + n] = '\0';
}

static long cursor_parse(const char *s)
{
  long v = 0;

  if(!s || s[0] != '!' || !s[1])
    return emu_parse_nonneg(s); /* an integer page is accepted too */
  for(s++; *s; s++) {
    const char *d = strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", *s);
    if(!d || !*d || v > 100000000L)
      return -1;
    v = v * 36 + (d - "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  }
  return v;
}

static const char *status_word(const emu_person *p)
{
  return p->status == EMU_INACTIVE ? "deactivated"
         : p->status == EMU_FUTURE ? "upcoming"
                                   : "active";
}

static void employee(emu_req *req, emu_buf *b, const char *host,
                     const emu_person *p)
{
  char ts[32];
  long day;
  int y, m, d;

  emu_buf_printf(b,
                 "{\"id\":\"%ld\",\"type\":\"employee\",\"url\":"
                 "\"http://%s/lucca/lucca-api/employees/%ld\",\"remoteId\":",
                 p->id, host, p->id);
  emu_json_str(b, p->f[EMU_F_EMPLOYEE_NUMBER]);
  emu_buf_puts(b, ",\"givenName\":");
  emu_json_str(b, p->f[EMU_F_FIRST_NAME]);
  emu_buf_puts(b, ",\"familyName\":");
  emu_json_str(b, p->f[EMU_F_LAST_NAME]);
  emu_buf_puts(b, ",\"employeeNumber\":");
  emu_json_str(b, p->f[EMU_F_EMPLOYEE_NUMBER]);
  emu_buf_printf(b, ",\"status\":\"%s\",\"email\":", status_word(p));
  emu_json_str(b,
               emu_req_withheld(req, EMU_F_EMAIL) ? NULL : p->f[EMU_F_EMAIL]);
  emu_buf_puts(b, ",\"birthDay\":");
  if(p->f[EMU_F_BIRTH_DATE] && !emu_req_withheld(req, EMU_F_BIRTH_DATE) &&
     !emu_date_parse(p->f[EMU_F_BIRTH_DATE], &day)) {
    emu_date_split(day, &y, &m, &d);
    emu_buf_printf(b, "{\"day\":%d,\"month\":%d}", d, m);
  }
  else
    emu_buf_puts(b, "null");
  emu_buf_puts(b, ",\"phoneNumber\":");
  emu_json_str(b,
               emu_req_withheld(req, EMU_F_PHONE) ? NULL : p->f[EMU_F_PHONE]);
  emu_buf_printf(b,
                 ",\"applicableEmployment\":{\"id\":\"%ld\",\"type\":"
                 "\"employment\",\"url\":\"http://%s/lucca/lucca-api/"
                 "employments/%ld\"},\"applicableJobPosition\":{\"id\":"
                 "\"%ld\",\"type\":\"job-position\",\"url\":\"http://%s/"
                 "lucca/lucca-api/job-positions/%ld\"}",
                 p->id + 1000, host, p->id + 1000, p->id + 2000, host,
                 p->id + 2000);
  emu_time_format(p->modified - 86400L * 400, ts);
  emu_buf_printf(b, ",\"createdAt\":\"%.19s.0000Z\"", ts);
  emu_time_format(p->modified, ts);
  emu_buf_printf(b, ",\"lastUpdatedAt\":\"%.19s.0000Z\"}", ts);
}

static int status_wanted(const char *filter, const emu_person *p)
{
  const char *w = status_word(p);
  size_t n = strlen(w);
  const char *s;

  if(!filter)
    return 1;
  for(s = filter; (s = strstr(s, w)); s += n)
    if((s == filter || s[-1] == ',') && (s[n] == ',' || !s[n]))
      return 1;
  return 0;
}

static void employees(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  const char *host = emu_req_header(req, "Host");
  const char *inc = emu_req_arg(req, "include");
  const char *st = emu_req_arg(req, "status");
  const char *ls = emu_req_arg(req, "limit");
  long limit = ls ? emu_parse_nonneg(ls) : 25;
  long off = 0, i, seen = 0, out = 0, total = 0;
  emu_buf *b = &resp->body;
  char cur[32];

  host = host ? host : "127.0.0.1";
  if(limit < 1 || limit > 100) {
    problem(resp, 400, "Bad Request", "limit must be between 1 and 100");
    return;
  }
  if(emu_req_arg(req, "page") &&
     (off = cursor_parse(emu_req_arg(req, "page"))) < 0) {
    problem(resp, 400, "Bad Request", "invalid page cursor");
    return;
  }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b,
                 "{\"type\":\"employees\",\"url\":\"http://%s/lucca/"
                 "lucca-api/employees?limit=%ld\"",
                 host, limit);
  if(!st)
    total = (long)pop->n;
  else
    for(i = 0; i < (long)pop->n; i++)
      total += status_wanted(st, pop->v[i]);
  if(inc && strstr(inc, "totalCount"))
    emu_buf_printf(b, ",\"totalCount\":%ld", total);
  emu_buf_puts(b, ",\"items\":[");
  for(i = st ? 0 : off, seen = i; i < (long)pop->n && out < limit; i++) {
    if(st && !status_wanted(st, pop->v[i]))
      continue;
    if(seen++ < off)
      continue;
    if(out++)
      emu_buf_puts(b, ",");
    employee(req, b, host, pop->v[i]);
  }
  emu_buf_puts(b, "]");
  if(inc && strstr(inc, "links")) {
    emu_buf_puts(b, ",\"links\":{\"prev\":");
    if(off > 0) {
      cursor(off - limit > 0 ? off - limit : 0, cur);
      emu_buf_printf(b,
                     "{\"href\":\"http://%s/lucca/lucca-api/employees?"
                     "include=%s&limit=%ld&page=%s\"}",
                     host, inc, limit, cur);
    }
    else
      emu_buf_puts(b, "null");
    emu_buf_puts(b, ",\"next\":");
    if(off + out < total) {
      cursor(off + out, cur);
      emu_buf_printf(b,
                     "{\"href\":\"http://%s/lucca/lucca-api/employees?"
                     "include=%s&limit=%ld&page=%s\"}",
                     host, inc, limit, cur);
    }
    else
      emu_buf_puts(b, "null");
    emu_buf_puts(b, "}");
  }
  emu_buf_puts(b, "}");
}

void lucca_api(emu_req *req, emu_resp *resp)
{
  const char *tok = emu_req_auth_token(req, "Bearer", 0);
  const char *ver = emu_req_header(req, "Api-Version");
  char want[64];

  token_for(req->ctx, want);
  if(!tok || strcmp(tok, want)) {
    problem(resp, 401, "Unauthorized", "missing, invalid or expired token");
    return;
  }
  if(!ver || strcmp(ver, API_VERSION)) {
    problem(resp, 400, "Bad Request",
            "the Api-Version header must be 2024-11-01");
    return;
  }
  if(strcmp(req->method, "GET"))
    problem(resp, 405, "Method Not Allowed", "the Lucca API is read-only");
  else if(!strcmp(req->path, "/lucca-api/employees"))
    employees(req, resp);
  else
    problem(resp, 404, "Not Found", "unknown resource");
}
