/*
** Issue 16 ("no tree per page, no per-record allocation in the hot
** path"): a connector turns a roster page into records without a malloc
** per employee. Every allocation of the process is counted (malloc and
** friends are interposed here, so the plugin's, json-c's and yajl's are
** seen too), minus those made inside a host callback (the fake host
** copies every request, record and value it is given); a page of 100
** (Personio) or 1000 (Lucca) people must cost a bounded number, far
** below one per employee. With json-c trees a page cost several
** allocations per attribute of every employee.
** usage: test_plugin_allocs CONNECTOR PLUGIN.so
** Under AddressSanitizer, which owns malloc, nothing is counted.
*/
#include "fakehost.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOCS_COUNTED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOCS_COUNTED 0
#endif
#endif
#ifndef ALLOCS_COUNTED
#define ALLOCS_COUNTED 1
#endif

/* Allocations outside host callbacks while counting is on. */
static size_t n_allocs;
static int counting, in_host;

#if ALLOCS_COUNTED
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
void __libc_free(void *);

/* The build hides symbols by default: these must be seen by the plugin. */
#define EXPORTED __attribute__((visibility("default")))

static void counted(void)
{
  if(counting && !in_host)
    n_allocs++;
}

EXPORTED void *malloc(size_t n)
{
  counted();
  return __libc_malloc(n);
}

EXPORTED void *calloc(size_t n, size_t size)
{
  counted();
  return __libc_calloc(n, size);
}

EXPORTED void *realloc(void *p, size_t n)
{
  counted();
  return __libc_realloc(p, n);
}

EXPORTED void free(void *p)
{
  __libc_free(p);
}
#endif

static const char *conn_name, *plugin_path;
static const hrsync_host *inner; /* the fake host's own table */

/* People in the roster: enough for read-ahead batches (4 pages each)
** after the first two pages, whose allocations are not counted. */
static long employees;
#define EMPLOYEES employees

/* ---- host callbacks, their allocations not counted ---------------- */

static hrsync_status w_http(hrsync_host_ctx *ctx,
                            const hrsync_http_request *req,
                            const hrsync_http_response **out)
{
  hrsync_status st;
  in_host++;
  st = inner->http(ctx, req, out);
  in_host--;
  return st;
}

static hrsync_status w_http_many(hrsync_host_ctx *ctx,
                                 const hrsync_http_request *const *reqs,
                                 size_t n, const hrsync_http_response **out)
{
  hrsync_status st;
  in_host++;
  st = inner->http_many(ctx, reqs, n, out);
  in_host--;
  return st;
}

static hrsync_status w_begin(hrsync_host_ctx *ctx, const char *id)
{
  hrsync_status st;
  in_host++;
  st = inner->record_begin(ctx, id);
  in_host--;
  return st;
}

static hrsync_status w_set(hrsync_host_ctx *ctx, const char *id,
                           const char *value)
{
  hrsync_status st;
  in_host++;
  st = inner->record_set(ctx, id, value);
  in_host--;
  return st;
}

static hrsync_status w_end(hrsync_host_ctx *ctx)
{
  hrsync_status st;
  in_host++;
  st = inner->record_end(ctx);
  in_host--;
  return st;
}

static void w_log(hrsync_host_ctx *ctx, uint32_t level, const char *msg)
{
  in_host++;
  inner->log(ctx, level, msg);
  in_host--;
}

static void w_total(hrsync_host_ctx *ctx, uint64_t total)
{
  in_host++;
  inner->roster_total(ctx, total);
  in_host--;
}

/* ---- the rosters ---------------------------------------------------- */

/* Query parameter name=NUMBER of url, or -1. */
static long query_long(const char *url, const char *name)
{
  const char *p = strstr(url, name);
  return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

/* Personio v1: 100 wrapped employees from offset, metadata with the
** total. */
static void personio_page(char *s, size_t cap, long offset)
{
  size_t len = 0;
  long i, n = EMPLOYEES - offset < 100 ? EMPLOYEES - offset : 100;
  len += (size_t)snprintf(s + len, cap - len,
                          "{\"success\": true, \"metadata\": "
                          "{\"total_elements\": %ld}, \"offset\": %ld, "
                          "\"limit\": 100, \"data\": [",
                          EMPLOYEES, offset);
  for(i = 0; i < n; i++)
    len += (size_t)snprintf(
        s + len, cap - len,
        "%s{\"type\": \"Employee\", \"attributes\": {"
        "\"id\": {\"label\": \"ID\", \"value\": %ld, \"type\": \"integer\"},"
        "\"first_name\": {\"label\": \"First name\", \"value\": \"P%ld\"},"
        "\"email\": {\"label\": \"Email\", \"value\": \"p%ld@x.example\"},"
        "\"hire_date\": {\"label\": \"Hire date\", \"value\": "
        "\"2020-01-01T00:00:00+01:00\", \"type\": \"date\"},"
        "\"department\": {\"label\": \"Department\", \"value\": {\"type\": "
        "\"Department\", \"attributes\": {\"id\": 7, \"name\": \"Sales\"}}},"
        "\"cost_centers\": {\"label\": \"Cost center\", \"value\": "
        "[{\"type\": "
        "\"CostCenter\", \"attributes\": {\"id\": 1, \"name\": \"R&D\"}}]}}}",
        i ? "," : "", offset + i + 1, offset + i + 1, offset + i + 1);
  snprintf(s + len, cap - len, "]}");
}

/* Lucca v3: users from offset (paging=OFFSET,1000), or the count. */
static void lucca_page(char *s, size_t cap, const char *url)
{
  const char *p = strstr(url, "paging=");
  long offset = p ? strtol(p + 7, NULL, 10) : 0, i, n;
  size_t len = 0;
  if(strstr(url, "fields=collection.count")) {
    snprintf(s, cap, "{\"data\": {\"count\": %ld}}", EMPLOYEES);
    return;
  }
  n = EMPLOYEES - offset < 1000 ? EMPLOYEES - offset : 1000;
  len += (size_t)snprintf(s + len, cap - len, "{\"data\": {\"items\": [");
  for(i = 0; i < n; i++)
    len += (size_t)snprintf(
        s + len, cap - len,
        "%s{\"id\": %ld, \"firstName\": \"F%ld\", \"lastName\": \"L\", "
        "\"mail\": \"u%ld@x.example\", \"dtContractStart\": "
        "\"2020-01-01T00:00:00\", \"dtContractEnd\": null, "
        "\"department\": {\"id\": 10, \"name\": \"Finance\", \"url\": "
        "\"https://acme.ilucca.net/api/v3/departments/10\"}, "
        "\"extendedData\": {\"e_ville\": {\"id\": 1, \"value\": \"Lyon\"}}}",
        i ? "," : "", offset + i + 1, offset + i + 1, offset + i + 1);
  snprintf(s + len, cap - len, "]}}");
}

#define TOKEN_ANSWER                                                          \
  "{\"success\":true,\"data\":{\"token\":\"alloc-test-token\"}}"

static char *body;

static int serve(void *arg, size_t n, const fh_request *req, fh_reply *out)
{
  (void)arg;
  (void)n;
  out->status = 200;
  out->headers = "Content-Type: application/json";
  out->transport_error = 0;
  if(strstr(req->url, "/auth"))
    snprintf(body, 1u << 21, "%s", TOKEN_ANSWER);
  else if(!strcmp(conn_name, "personio"))
    personio_page(body, 1u << 21, query_long(req->url, "offset="));
  else
    lucca_page(body, 1u << 21, req->url);
  out->body = body;
  out->body_len = strlen(body);
  return 0;
}

static void configure(fh_host *fh)
{
  if(!strcmp(conn_name, "personio")) {
    fh_secret(fh, "client_id", "personio-client-id");
    fh_secret(fh, "client_secret", "personio-client-secret");
    fh_want(fh, "id");
    fh_want(fh, "first_name");
    fh_want(fh, "email");
    fh_want(fh, "hire_date");
    fh_want(fh, "department.name");
    fh_want(fh, "cost_centers");
  }
  else {
    fh_setting(fh, "instance", "acme");
    fh_secret(fh, "api_key", "lucca-secret-key");
    fh_want(fh, "id");
    fh_want(fh, "firstName");
    fh_want(fh, "mail");
    fh_want(fh, "dtContractStart");
    fh_want(fh, "department.name");
    fh_want(fh, "status");
    fh_want(fh, "extendedData.e_ville");
  }
}

/* Every page after the first two (buffers grown by then), or a batch of
** pages read ahead with it, costs at most this many allocations of the
** plugin's own: a few per request (its URL, yajl's parser), none per
** employee. */
#define MAX_PER_PAGE 128

static void test_page_allocations(void **state)
{
  const hrsync_connector *d = fh_load(plugin_path);
  fh_host *fh = fh_new();
  hrsync_host table;
  hrsync_conn *conn = NULL;
  size_t page = 0, worst = 0, per_page;
  int more = 1;
  (void)state;
  assert_non_null(d);
  configure(fh);
  fh_set_responder(fh, serve, NULL);
  inner = fh_table(fh);
  table = *inner;
  table.http = w_http;
  table.http_many = inner->http_many ? w_http_many : NULL;
  table.record_begin = w_begin;
  table.record_set = w_set;
  table.record_end = w_end;
  table.log = w_log;
  table.roster_total = w_total;
  assert_int_equal(d->open(&table, fh, &conn), HRSYNC_OK);
  assert_int_equal(d->authenticate(conn), HRSYNC_OK);
  while(more && page < 200) {
    more = 0;
    n_allocs = 0;
    counting = page >= 2;
    assert_int_equal(d->next_page(conn, &more), HRSYNC_OK);
    counting = 0;
    if(n_allocs > worst)
      worst = n_allocs;
    page++;
  }
  per_page = strcmp(conn_name, "personio") ? 1000 : 100;
  printf("%s: %zu pages, %zu records, at most %zu allocations a page of "
         "%zu people\n",
         conn_name, page, fh_n_records(fh), worst, per_page);
  if(fh_violations(fh))
    printf("violation: %s\n", fh_violation_at(fh, 0));
  assert_int_equal(fh_violations(fh), 0);
  assert_int_equal(fh_n_records(fh), (size_t)EMPLOYEES);
  assert_string_equal(
      fh_record_get(fh_record_find(fh, "1999"), "department.name", NULL),
      strcmp(conn_name, "personio") ? "Finance" : "Sales");
  if(strcmp(conn_name, "personio"))
    assert_string_equal(fh_record_get(fh_record_find(fh, "1999"),
                                      "extendedData.e_ville", NULL),
                        "Lyon");
  d->close(conn);
  fh_free(fh);
  /* Under ASan the pages are still read (and checked for leaks and
  ** overruns), but nothing is counted. */
  assert_true(!ALLOCS_COUNTED || worst <= MAX_PER_PAGE);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_page_allocations)};
  int rc;
  if(argc != 3)
    return 2;
  conn_name = argv[1];
  plugin_path = argv[2];
  employees = strcmp(conn_name, "personio") ? 20000 : 5000;
  if(!(body = calloc(1, 1u << 21)))
    return 2;
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  free(body);
  return rc;
}
