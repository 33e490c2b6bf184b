/* Control endpoints under /_emulator/ (no auth): people, faults, stats,
 * reset. See docs/internals.md "The emulator contract". */
#include "emu.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reply_error(emu_resp *resp, unsigned status, const char *msg)
{
  emu_resp_start(resp, status, "application/json");
  emu_buf_puts(&resp->body, "{\"error\":");
  emu_json_str(&resp->body, msg);
  emu_buf_puts(&resp->body, "}");
}

static void reply_ok(emu_resp *resp)
{
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(&resp->body, "{\"ok\":true}");
}

/* Reindexes after a change; the caller holds the write lock. */
static int reindex(emu_ctx *ctx, emu_resp *resp)
{
  if(emu_pop_reindex(ctx->pop)) {
    reply_error(resp, 500, "out of memory while reindexing");
    return -1;
  }
  return 0;
}

static void people_list(emu_ctx *ctx, emu_resp *resp)
{
  size_t i;

  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(&resp->body, "{\"people\":[");
  pthread_rwlock_rdlock(&ctx->lock);
  for(i = 0; i < ctx->pop->n; i++) {
    if(i)
      emu_buf_puts(&resp->body, ",");
    emu_person_json(&resp->body, ctx->pop->v[i]);
  }
  pthread_rwlock_unlock(&ctx->lock);
  emu_buf_puts(&resp->body, "]}");
}

static void people_one(emu_req *req, emu_resp *resp, long id)
{
  emu_ctx *ctx = req->ctx;
  json_object *obj = NULL;
  emu_person *p;
  char err[256];
  int rc = 0;

  if(strcmp(req->method, "GET")) {
    obj = emu_req_json(req);
    if(!obj && strcmp(req->method, "DELETE")) {
      reply_error(resp, 400, "body must be canonical person JSON");
      return;
    }
  }
  pthread_rwlock_wrlock(&ctx->lock);
  if(!strcmp(req->method, "PATCH")) {
    rc = emu_pop_patch_json(ctx->pop, id, obj, err, sizeof(err));
    if(!rc && (p = emu_pop_find(ctx->pop, id)))
      p->modified = emu_now();
    if(!rc)
      rc = reindex(ctx, resp) ? -3 : 0;
  }
  else if(!strcmp(req->method, "DELETE")) {
    rc = emu_pop_remove(ctx->pop, id, emu_now());
    if(rc != -2) {
      if(rc)
        reply_error(resp, 500, "out of memory");
      else if(!reindex(ctx, resp))
        reply_ok(resp);
      pthread_rwlock_unlock(&ctx->lock);
      return;
    }
    snprintf(err, sizeof(err), "no person with id %ld", id);
  }
  else if(strcmp(req->method, "GET")) {
    rc = -1;
    snprintf(err, sizeof(err), "use GET, PATCH or DELETE on a person");
  }
  if(!rc && !(p = emu_pop_find(ctx->pop, id))) {
    rc = -2;
    snprintf(err, sizeof(err), "no person with id %ld", id);
  }
  if(!rc) {
    emu_resp_start(resp, 200, "application/json");
    emu_person_json(&resp->body, p);
  }
  else if(rc != -3)
    reply_error(resp, rc == -2 ? 404 : 400, err);
  pthread_rwlock_unlock(&ctx->lock);
  json_object_put(obj);
}

static void people_add(emu_req *req, emu_resp *resp)
{
  emu_ctx *ctx = req->ctx;
  json_object *obj = emu_req_json(req);
  emu_person *p;
  char err[256];

  if(!obj) {
    reply_error(resp, 400, "body must be canonical person JSON");
    return;
  }
  pthread_rwlock_wrlock(&ctx->lock);
  if(emu_pop_add_json(ctx->pop, obj, &p, err, sizeof(err)))
    reply_error(resp, 400, err);
  else {
    long id = p->id;
    p->modified = p->created = emu_now();
    if(!reindex(ctx, resp)) {
      emu_resp_start(resp, 201, "application/json");
      emu_person_json(&resp->body, emu_pop_find(ctx->pop, id));
    }
  }
  pthread_rwlock_unlock(&ctx->lock);
  json_object_put(obj);
}

/* PATCH /_emulator/people [{"id": N, ...partial canonical JSON}, ...]: many
 * changes, one reindex (a reindex costs O(people): at 100,000 people one
 * PATCH per person takes half a second each; the benchmark changes 1%).
 * Applied in order; a bad element stops there with 400 naming it (the ones
 * before it stay applied). */
static void people_patch_many(emu_req *req, emu_resp *resp)
{
  emu_ctx *ctx = req->ctx;
  json_object *arr = emu_req_json(req), *id;
  char err[256], why[200];
  size_t i, n;
  int rc = 0;

  if(!arr || !json_object_is_type(arr, json_type_array)) {
    reply_error(resp, 400, "body must be an array of {\"id\": N, ...}");
    json_object_put(arr);
    return;
  }
  n = json_object_array_length(arr);
  pthread_rwlock_wrlock(&ctx->lock);
  for(i = 0; i < n && !rc; i++) {
    json_object *o = json_object_array_get_idx(arr, i);
    emu_person *p;
    long pid;
    if(!json_object_is_type(o, json_type_object) ||
       !json_object_object_get_ex(o, "id", &id) ||
       !json_object_is_type(id, json_type_int)) {
      snprintf(err, sizeof(err), "[%zu]: needs an integer \"id\"", i);
      rc = -1;
      break;
    }
    pid = (long)json_object_get_int64(id);
    json_object_object_del(o, "id");
    if((rc = emu_pop_patch_json(ctx->pop, pid, o, why, sizeof(why))))
      snprintf(err, sizeof(err), "[%zu]: %.200s", i, why);
    else if((p = emu_pop_find(ctx->pop, pid)))
      p->modified = emu_now();
  }
  if(reindex(ctx, resp))
    rc = -3;
  else if(rc)
    reply_error(resp, rc == -2 ? 404 : 400, err);
  else {
    emu_resp_start(resp, 200, "application/json");
    emu_buf_printf(&resp->body, "{\"patched\":%zu}", n);
  }
  pthread_rwlock_unlock(&ctx->lock);
  json_object_put(arr);
}

static void faults(emu_req *req, emu_resp *resp)
{
  json_object *obj;
  char err[256];
  size_t i, n;

  if(!strcmp(req->method, "DELETE")) {
    emu_faults_clear(&req->ctx->faults);
    reply_ok(resp);
    return;
  }
  if(!strcmp(req->method, "GET")) {
    emu_resp_start(resp, 200, "application/json");
    emu_buf_printf(&resp->body, "{\"pending\":%zu}",
                   emu_faults_pending(&req->ctx->faults));
    return;
  }
  obj = emu_req_json(req);
  if(!obj || strcmp(req->method, "POST")) {
    reply_error(resp, 400, "POST a fault object (or an array of them)");
    json_object_put(obj);
    return;
  }
  /* An array adds each rule; a bad one is reported and the rest kept. */
  n = json_object_is_type(obj, json_type_array) ? json_object_array_length(obj)
                                                : 1;
  for(i = 0; i < n; i++) {
    json_object *f = json_object_is_type(obj, json_type_array)
                         ? json_object_array_get_idx(obj, i)
                         : obj;
    if(emu_faults_add_json(&req->ctx->faults, f, err, sizeof(err))) {
      reply_error(resp, 400, err);
      json_object_put(obj);
      return;
    }
  }
  reply_ok(resp);
  json_object_put(obj);
}

static void reset(emu_ctx *ctx, emu_resp *resp)
{
  char err[512];
  emu_pop *fresh =
      emu_population_build(ctx->opts, ctx->today, err, sizeof(err));

  if(!fresh) {
    reply_error(resp, 500, err);
    return;
  }
  pthread_rwlock_wrlock(&ctx->lock);
  emu_pop_free(ctx->pop);
  ctx->pop = fresh;
  pthread_rwlock_unlock(&ctx->lock);
  emu_faults_clear(&ctx->faults);
  emu_stats_clear(&ctx->stats);
  pthread_mutex_lock(&ctx->tok_mu);
  ctx->tok_epoch++;
  ctx->auth_n = 0;
  ctx->auth_cooldown = 0;
  pthread_mutex_unlock(&ctx->tok_mu);
  reply_ok(resp);
}

void emu_control(emu_req *req, emu_resp *resp)
{
  const char *p = req->path + strlen("/_emulator");
  const char *m = req->method;

  if(!strcmp(p, "/people") && !strcmp(m, "POST"))
    people_add(req, resp);
  else if(!strcmp(p, "/people") && !strcmp(m, "GET"))
    people_list(req->ctx, resp);
  else if(!strcmp(p, "/people") && !strcmp(m, "PATCH"))
    people_patch_many(req, resp);
  else if(!strncmp(p, "/people/", 8)) {
    long id = emu_parse_nonneg(p + 8);
    if(id <= 0)
      reply_error(resp, 404, "person id must be a positive integer");
    else
      people_one(req, resp, id);
  }
  else if(!strcmp(p, "/faults"))
    faults(req, resp);
  else if(!strcmp(p, "/stats") && !strcmp(m, "GET")) {
    emu_resp_start(resp, 200, "application/json");
    emu_stats_json(&req->ctx->stats, &resp->body);
  }
  else if(!strcmp(p, "/stats") && !strcmp(m, "DELETE")) {
    emu_stats_clear(&req->ctx->stats);
    reply_ok(resp);
  }
  else if(!strcmp(p, "/reset") && !strcmp(m, "POST"))
    reset(req->ctx, resp);
  else
    reply_error(resp, 404, "unknown control endpoint");
}
