/*
** host: SDK 1.4 http_stream through the service table, against a fake
** connector defined right here and a stand-in transport (http_fn): the
** host offers it (HRSYNC_HOST_HAS), a 2xx body reaches the chunk function
** with *out's body "" and body_len the bytes streamed, a non-2xx answer
** is held and never streamed, the chunk function's status and detail are
** the call's, and a request from inside the chunk function is a plugin
** error.
*/
#include "host.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

enum mode {
  M_STREAM, /* one streamed request; a record per comma-separated id */
  M_NESTED, /* the chunk function calls http() */
  M_REFUSE  /* the chunk function fails with its own detail */
};

static enum mode mode;
static const char *body = "1,2,3";
static unsigned status = 200;
static uint32_t seen_status;
static size_t seen_len, chunks;

struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
  char got[256];
  size_t len;
};

static hrsync_status fk_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hrsync_conn *c = calloc(1, sizeof(*c));
  *out = c;
  if(!c)
    return HRSYNC_E_NOMEM;
  c->host = host;
  c->ctx = ctx;
  return HRSYNC_OK;
}

static void fk_close(hrsync_conn *c)
{
  free(c);
}

static hrsync_status fk_ok(hrsync_conn *c)
{
  (void)c;
  return HRSYNC_OK;
}

static hrsync_status on_chunk(void *arg, const char *data, size_t len)
{
  hrsync_conn *c = arg;
  chunks++;
  if(mode == M_NESTED) {
    const hrsync_http_response *r;
    hrsync_http_request req = {
        sizeof(req), 0, "GET", "http://fake/x", NULL, 0, NULL, 0, NULL, NULL};
    return c->host->http(c->ctx, &req, &r);
  }
  if(mode == M_REFUSE)
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE,
                         "GET /people: bad byte at %zu", c->len);
  if(c->len + len >= sizeof(c->got))
    return HRSYNC_E_INTERNAL;
  memcpy(c->got + c->len, data, len);
  c->len += len;
  c->got[c->len] = 0;
  return HRSYNC_OK;
}

static hrsync_status fk_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_http_request req = {sizeof(req), 0,   "GET", "http://fake/people",
                             NULL,        0,   NULL,  0,
                             NULL,        NULL};
  const hrsync_http_response *resp = NULL;
  hrsync_status st;
  char *id, *save = NULL;
  *has_more = 0;
  if(!HRSYNC_HOST_HAS(c->host, http_stream))
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_INTERNAL, "no stream");
  st = c->host->http_stream(c->ctx, &req, on_chunk, c, &resp);
  if(st)
    return st;
  seen_status = resp->status;
  seen_len = resp->body_len;
  if(resp->status != 200 || resp->body[0])
    return HRSYNC_OK; /* an error answer, or a body where "" belongs */
  for(id = strtok_r(c->got, ",", &save); id && !st;
      id = strtok_r(NULL, ",", &save)) {
    st = c->host->record_begin(c->ctx, id);
    if(!st)
      st = c->host->record_end(c->ctx);
  }
  return st;
}

static const hrsync_setting_def fk_settings[] = {{NULL, NULL, NULL, 0}};

static const hrsync_connector fk_desc = {
    HRSYNC_CONNECTOR_V1,      .name = "fake",          .display_name = "Fake",
    .version = "1.0",         .settings = fk_settings, .open = fk_open,
    .close = fk_close,        .authenticate = fk_ok,   .list_fields = fk_ok,
    .next_page = fk_next_page};

static hs_plugin fk_plugin = {"/fake/hrsync-fake.so", "fake", &fk_desc, NULL};

static hs_rc fake_http(void *arg, const hrsync_http_request *req,
                       const hrsync_http_response **out, hs_err *err)
{
  static hrsync_http_response resp;
  (void)arg;
  (void)req;
  (void)err;
  resp.struct_size = sizeof(resp);
  resp.status = status;
  resp.body = body;
  resp.body_len = strlen(body);
  *out = &resp;
  return HS_OK;
}

static size_t records;

static hs_rc count(void *arg, const hs_record *rec, hs_err *err)
{
  (void)arg;
  (void)rec;
  (void)err;
  records++;
  return HS_OK;
}

static void sink(void *arg, int level, const char *line)
{
  (void)arg;
  (void)level;
  (void)line;
}

static hs_rc run(enum mode m, hs_err *err)
{
  hs_log *lg = hs_log_new(HS_LOG_DEBUG, sink, NULL);
  hs_conn_params p;
  hs_conn *conn = NULL;
  hs_rc rc;
  memset(&p, 0, sizeof(p));
  p.plugin = &fk_plugin;
  p.log = lg;
  p.http_fn = fake_http;
  mode = m;
  records = chunks = seen_len = 0;
  seen_status = 0;
  assert_non_null(lg);
  rc = hs_conn_open(&p, &conn, err);
  if(!rc)
    rc = hs_conn_fetch(conn, count, NULL, err);
  hs_conn_close(conn);
  hs_log_free(lg);
  return rc;
}

static void test_stream_through_host(void **state)
{
  hs_err err = {HS_OK, ""};
  (void)state;
  status = 200;
  assert_true(HRSYNC_HOST_HAS(hs_host_table(), http_stream));
  assert_int_equal(run(M_STREAM, &err), HS_OK);
  assert_int_equal(records, 3);
  assert_int_equal(seen_status, 200);
  assert_int_equal(seen_len, 5); /* the bytes streamed; body "" */
  assert_int_equal(chunks, 1);
}

static void test_error_answer_not_streamed(void **state)
{
  hs_err err = {HS_OK, ""};
  (void)state;
  status = 503;
  assert_int_equal(run(M_STREAM, &err), HS_OK);
  assert_int_equal(chunks, 0);
  assert_int_equal(seen_status, 503);
  assert_int_equal(seen_len, 5); /* held, as http() holds it */
  assert_int_equal(records, 0);
  status = 200;
}

static void test_chunk_status_is_the_calls(void **state)
{
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(run(M_REFUSE, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "GET /people: bad byte at 0"));
}

static void test_request_from_chunk_refused(void **state)
{
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(run(M_NESTED, &err), HS_E_PLUGIN);
  assert_non_null(
      strstr(err.msg, "http() called from http_stream's chunk function"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stream_through_host),
      cmocka_unit_test(test_error_answer_not_streamed),
      cmocka_unit_test(test_chunk_status_is_the_calls),
      cmocka_unit_test(test_request_from_chunk_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
