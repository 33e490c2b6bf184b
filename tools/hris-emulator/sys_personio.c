/* Personio v1: /auth tokens ("papi-", stable for 24 h or legacy one-time
 * rotation), the bearer check with the v1 error envelope, and the paged
 * employee list with attribute wrappers. Rendering is personio_render.c. */
#include "personio.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_ID     "personio-test-id"
#define CLIENT_SECRET "personio-test-secret"

static void error(emu_req *req, emu_resp *resp, unsigned status,
                  const char *msg)
{
  (void)req;
  emu_resp_start(resp, status, "application/json");
  emu_buf_printf(&resp->body,
                 "{\"success\":false,\"error\":{\"code\":%u,"
                 "\"message\":",
                 status);
  emu_json_str(&resp->body, msg);
  emu_buf_puts(&resp->body, "}}");
}

void personio_token_string(unsigned long epoch, unsigned long serial,
                           char out[96])
{
  snprintf(out, 96, "papi-%lu-%lu-%016llx", epoch, serial,
           (unsigned long long)emu_hash(epoch * 1000003u + serial));
}

int personio_token_check(emu_ctx *ctx, const char *tok)
{
  unsigned long e, s;
  char want[96];
  int rc;

  if(sscanf(tok, "papi-%lu-%lu-", &e, &s) != 2)
    return -1;
  personio_token_string(e, s, want);
  if(strcmp(want, tok))
    return -1;
  pthread_mutex_lock(&ctx->tok_mu);
  rc = e != ctx->tok_epoch;
  pthread_mutex_unlock(&ctx->tok_mu);
  return rc;
}

/* Reads client_id/client_secret from a JSON body, a form body, or the
 * query string (all three are seen in the wild). */
static int credentials_ok(emu_req *req)
{
  const char *id = NULL, *secret = NULL;
  json_object *body = emu_req_json(req), *v;
  char *form = NULL;
  int ok;

  if(body && json_object_object_get_ex(body, "client_id", &v))
    id = json_object_get_string(v);
  if(body && json_object_object_get_ex(body, "client_secret", &v))
    secret = json_object_get_string(v);
  if(!body && req->body && (form = strndup(req->body, req->body_len))) {
    char *save = NULL, *kv;
    for(kv = strtok_r(form, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
      if(!strncmp(kv, "client_id=", 10))
        id = kv + 10;
      else if(!strncmp(kv, "client_secret=", 14))
        secret = kv + 14;
    }
  }
  if(!id)
    id = emu_req_arg(req, "client_id");
  if(!secret)
    secret = emu_req_arg(req, "client_secret");
  ok =
      id && secret && !strcmp(id, CLIENT_ID) && !strcmp(secret, CLIENT_SECRET);
  json_object_put(body);
  free(form);
  return ok;
}

/* The documented 60/min auth limit with a 60 s cool-down. */
static int auth_limited(emu_ctx *ctx)
{
  int64_t now = emu_now();
  long limit = ctx->opts->personio_auth_limit;
  size_t i, j;
  int limited = 0;

  if(!limit)
    return 0;
  pthread_mutex_lock(&ctx->tok_mu);
  if(now < ctx->auth_cooldown)
    limited = 1;
  else {
    for(i = j = 0; i < ctx->auth_n; i++)
      if(ctx->auth_window[i] > now - 60)
        ctx->auth_window[j++] = ctx->auth_window[i];
    ctx->auth_n = j;
    if((long)j >= limit) {
      ctx->auth_cooldown = now + 60;
      limited = 1;
    }
    else
      ctx->auth_window[ctx->auth_n++] = now;
  }
  pthread_mutex_unlock(&ctx->tok_mu);
  return limited;
}

static void auth(emu_req *req, emu_resp *resp)
{
  emu_ctx *ctx = req->ctx;
  char tok[96];

  if(auth_limited(ctx)) {
    error(req, resp, 429, "Too many authentication requests");
    emu_resp_header(resp, "Retry-After", "60");
    return;
  }
  if(!credentials_ok(req)) {
    error(req, resp, 401, "Wrong credentials");
    return;
  }
  pthread_mutex_lock(&ctx->tok_mu);
  /* Stable mode: the same token for the same credentials (serial 0). */
  if(ctx->opts->personio_rotating)
    ctx->tok_serial++;
  personio_token_string(
      ctx->tok_epoch, ctx->opts->personio_rotating ? ctx->tok_serial : 0, tok);
  pthread_mutex_unlock(&ctx->tok_mu);
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(&resp->body,
                 "{\"success\":true,\"data\":{\"token\":\"%s\","
                 "\"expires_in\":86400,\"scope\":\"employees:read\"}}",
                 tok);
}

/* Checks the bearer token and puts the token to echo in `echo`: the same
 * one, or in rotating mode the next one-time token (check and rotation
 * under one lock, so a token is used exactly once). */
static int authorised(emu_req *req, emu_resp *resp, char echo[96])
{
  emu_ctx *ctx = req->ctx;
  const char *tok = emu_req_auth_token(req, "Bearer", 0);
  unsigned long e = 0, s = 0;
  int rc;

  if(!tok) {
    error(req, resp, 401, "Authorization is not provided");
    return -1;
  }
  rc = personio_token_check(ctx, tok);
  if(rc < 0) {
    error(req, resp, 403, "Provided authorization is not valid");
    return -1;
  }
  if(!rc && ctx->opts->personio_rotating) {
    sscanf(tok, "papi-%lu-%lu-", &e, &s);
    pthread_mutex_lock(&ctx->tok_mu);
    if(e == ctx->tok_epoch && s == ctx->tok_serial)
      personio_token_string(e, ++ctx->tok_serial, echo);
    else
      rc = 1;
    pthread_mutex_unlock(&ctx->tok_mu);
  }
  else if(!rc)
    snprintf(echo, 96, "%s", tok);
  if(rc > 0) {
    error(req, resp, 401,
          ctx->opts->personio_rotating ? "The token has been blacklisted"
                                       : "The token has expired");
    return -1;
  }
  return 0;
}

static void handle(emu_req *req, emu_resp *resp)
{
  const char *p = req->path, *m = req->method;
  char echo[96];

  if(!strncmp(p, "/v2/", 4)) {
    personio_v2(req, resp);
    return;
  }
  if(!strcmp(p, "/v1/auth")) {
    if(strcmp(m, "POST"))
      error(req, resp, 405, "Method not allowed");
    else
      auth(req, resp);
    return;
  }
  if(authorised(req, resp, echo))
    return;
  if(!strcmp(p, "/v1/company/employees") && !strcmp(m, "GET")) {
    long wait = emu_limiter_hit(&req->ctx->personio_emp);
    if(wait) {
      error(req, resp, 429, "Too many requests");
      emu_resp_header(resp, "Retry-After", "%ld", wait);
    }
    else
      personio_employees(req, resp);
  }
  else if((!strcmp(p, "/v1/company/employees/attributes") ||
           !strcmp(p, "/v1/company/employees/custom-attributes")) &&
          !strcmp(m, "GET"))
    personio_attributes(req, resp);
  else if(!strncmp(p, "/v1/company/employees/", 22) && !strcmp(m, "GET"))
    personio_employee(req, resp, emu_parse_nonneg(p + 22));
  else
    error(req, resp, 404,
          "personio.core.api.exceptions.api.not.found.http.exception");
  emu_resp_header(resp, "Authorization", "Bearer %s", echo);
}

static int is_auth(const char *path)
{
  return !strcmp(path, "/v1/auth") || !strcmp(path, "/v2/auth/token");
}

static void expire(emu_ctx *ctx)
{
  pthread_mutex_lock(&ctx->tok_mu);
  ctx->tok_epoch++;
  pthread_mutex_unlock(&ctx->tok_mu);
}

static unsigned rate_status(emu_ctx *ctx)
{
  (void)ctx;
  return 429;
}

void personio_error(emu_req *req, emu_resp *resp, unsigned status,
                    const char *msg)
{
  error(req, resp, status, msg);
}

const emu_system emu_sys_personio = {
    "personio", "/personio", handle, error, is_auth, expire, rate_status};
