/* Routing and sending: one MHD access handler for every request. */
#include "server.h"

#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BODY (16u * 1024 * 1024)

static const emu_system *const systems[] = {&emu_sys_bamboohr,
                                            &emu_sys_personio, &emu_sys_hibob,
                                            &emu_sys_humaans, &emu_sys_lucca};

/* Per-request state across MHD's calls: the raw URI and the upload. */
struct conn_state {
  char *raw_uri; /* as sent, query included, nothing decoded */
  emu_buf body;
  int started;
  int too_big;
};

/* MHD's URI log hook runs first for each request: keep the raw URI,
 * since MHD decodes "+" in query values to a space and Personio v2
 * cursors contain literal "+". */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
  struct conn_state *cs = calloc(1, sizeof(*cs));

  (void)cls;
  (void)conn;
  if(cs)
    cs->raw_uri = strdup(uri ? uri : "");
  return cs;
}

/* A body that is cut off and the connection dropped (the reset fault). */
struct cut_body {
  char *data;
  size_t cut;
};

static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
  struct cut_body *c = cls;
  size_t n;

  if(pos >= c->cut)
    return MHD_CONTENT_READER_END_WITH_ERROR;
  n = c->cut - (size_t)pos;
  if(n > max)
    n = max;
  memcpy(buf, c->data + pos, n);
  return (ssize_t)n;
}

static void cut_free(void *cls)
{
  struct cut_body *c = cls;

  free(c->data);
  free(c);
}

struct query_cls {
  emu_buf *b;
};

static enum MHD_Result query_cb(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
  emu_buf *b = cls;

  (void)kind;
  if(b->len)
    emu_buf_add(b, "&", 1);
  emu_buf_puts(b, key);
  if(value) {
    emu_buf_add(b, "=", 1);
    emu_buf_puts(b, value);
  }
  return MHD_YES;
}

static void sleep_ms(long ms)
{
  struct timespec ts;

  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while(nanosleep(&ts, &ts))
    ;
}

/* Applies body-mangling faults after the handler ran. */
static void mangle(emu_resp *resp, int action)
{
  if(action == EMU_FK_TRUNCATE && resp->body.len > 1) {
    resp->body.len /= 2;
    resp->body.data[resp->body.len] = '\0';
  }
  else if(action == EMU_FK_MALFORMED && resp->body.len) {
    /* `{,"...` / `[,...`: invalid whatever the document was. */
    char first = resp->body.data[0];
    emu_buf tmp = {0};
    emu_buf_add(&tmp, &first, 1);
    emu_buf_add(&tmp, ",", 1);
    emu_buf_add(&tmp, resp->body.data + 1, resp->body.len - 1);
    emu_buf_free(&resp->body);
    resp->body = tmp;
  }
}

static enum MHD_Result send_resp(struct MHD_Connection *conn, emu_resp *resp,
                                 int reset)
{
  struct MHD_Response *r;
  enum MHD_Result ret;
  size_t len;
  char *data = emu_buf_steal(&resp->body, &len);
  int i;

  if(!data)
    return MHD_NO;
  if(reset && len > 1) {
    struct cut_body *c = malloc(sizeof(*c));
    if(!c) {
      free(data);
      return MHD_NO;
    }
    c->data = data;
    c->cut = len / 2;
    r = MHD_create_response_from_callback(len, 4096, cut_reader, c, cut_free);
    if(!r)
      cut_free(c);
  }
  else {
    r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if(!r)
      free(data);
  }
  if(!r)
    return MHD_NO;
  if(resp->ctype)
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, resp->ctype);
  for(i = 0; i < resp->nhdr; i++)
    MHD_add_response_header(r, resp->hname[i], resp->hvalue[i]);
  ret = MHD_queue_response(conn, resp->status, r);
  MHD_destroy_response(r);
  return ret;
}

static const emu_system *find_system(const char *url, const char **rest)
{
  size_t i, n;

  for(i = 0; i < sizeof(systems) / sizeof(systems[0]); i++) {
    n = strlen(systems[i]->prefix);
    if(!strncmp(url, systems[i]->prefix, n) &&
       (url[n] == '/' || url[n] == '\0')) {
      *rest = url + n;
      return systems[i];
    }
  }
  return NULL;
}

/* Runs faults and the system's handler for one API request. */
static int run_system(const emu_system *sys, emu_req *req, emu_resp *resp)
{
  emu_ctx *ctx = req->ctx;
  emu_fault_hit hit;
  int action;

  emu_faults_match(&ctx->faults, sys->name, req->path,
                   sys->is_auth && sys->is_auth(req->path), &hit);
  req->hit = &hit;
  if(hit.delay_ms)
    sleep_ms(hit.delay_ms);
  action = hit.action;
  if(action == EMU_FK_RATE_LIMIT) {
    unsigned st = hit.status ? hit.status : sys->rate_status(ctx);
    sys->error(req, resp, st, "Too many requests");
    if(hit.retry_after >= 0)
      emu_resp_header(resp, "Retry-After", "%ld", hit.retry_after);
  }
  else if(action == EMU_FK_STATUS)
    sys->error(req, resp, hit.status, "Injected failure");
  else if(action == EMU_FK_TOKEN_EXPIRY) {
    if(sys->expire)
      sys->expire(ctx);
    sys->error(req, resp, 401, "The access token has expired");
  }
  else {
    pthread_rwlock_rdlock(&ctx->lock);
    sys->handle(req, resp);
    pthread_rwlock_unlock(&ctx->lock);
    mangle(resp, action);
  }
  emu_fault_hit_free(&hit);
  req->hit = NULL;
  return action == EMU_FK_RESET;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
  emu_ctx *ctx = cls;
  struct conn_state *cs = *con_cls;
  const emu_system *sys = NULL;
  emu_resp resp;
  emu_req req;
  emu_buf query = {0};
  enum MHD_Result ret;
  int reset = 0;

  (void)version;
  if(!cs) {
    cs = calloc(1, sizeof(*cs));
    if(!cs)
      return MHD_NO;
    *con_cls = cs;
  }
  if(!cs->started) {
    cs->started = 1;
    return MHD_YES;
  }
  if(*upload_size) {
    if(cs->body.len + *upload_size > MAX_BODY)
      cs->too_big = 1;
    else
      emu_buf_add(&cs->body, upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  memset(&req, 0, sizeof(req));
  memset(&resp, 0, sizeof(resp));
  req.ctx = ctx;
  req.conn = conn;
  req.method = method;
  req.path = url;
  req.raw_uri = cs->raw_uri;
  req.body = cs->body.data;
  req.body_len = cs->body.len;
  if(cs->too_big) {
    emu_resp_start(&resp, 413, "text/plain");
    emu_buf_puts(&resp.body, "request body too large\n");
  }
  else if(!strncmp(url, "/_emulator/", 11))
    emu_control(&req, &resp);
  else if((sys = find_system(url, &req.path)))
    reset = run_system(sys, &req, &resp);
  else {
    emu_resp_start(&resp, 404, "text/plain");
    emu_buf_printf(&resp.body, "no HR system is mounted at %s\n", url);
  }
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_cb, &query);
  if(strncmp(url, "/_emulator/", 11))
    emu_stats_add(&ctx->stats, sys ? sys->name : "other", method, url,
                  query.data, cs->body.data, cs->body.len, resp.status);
  emu_buf_free(&query);
  ret = send_resp(conn, &resp, reset);
  emu_resp_free(&resp);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
  struct conn_state *cs = *con_cls;

  (void)cls;
  (void)conn;
  (void)toe;
  if(cs) {
    emu_buf_free(&cs->body);
    free(cs->raw_uri);
    free(cs);
    *con_cls = NULL;
  }
}

struct MHD_Daemon *emu_server_start(emu_ctx *ctx, unsigned port,
                                    unsigned *bound, char *err, size_t errlen)
{
  struct sockaddr_in sa;
  struct MHD_Daemon *d;
  const union MHD_DaemonInfo *info;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;

  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  /* Thread per connection unless a pool is asked for: slow faults then
   * stall only their own connection. */
  if(!ctx->opts->threads)
    flags |= MHD_USE_THREAD_PER_CONNECTION;
  else
    flags |= MHD_USE_POLL;
  if(ctx->opts->threads)
    d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, ctx,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, ctx,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, ctx,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
                         MHD_OPTION_THREAD_POOL_SIZE,
                         (unsigned)ctx->opts->threads, MHD_OPTION_END);
  else
    d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, ctx,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, ctx,
                         MHD_OPTION_URI_LOG_CALLBACK, on_uri, ctx,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
                         MHD_OPTION_END);
  if(!d) {
    snprintf(err, errlen, "cannot listen on 127.0.0.1:%u", port);
    return NULL;
  }
  info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  *bound = info ? info->port : port;
  return d;
}

void emu_server_stop(struct MHD_Daemon *d)
{
  if(d)
    MHD_stop_daemon(d);
}
