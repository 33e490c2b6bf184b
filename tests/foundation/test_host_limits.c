/*
** host: what one run accepts from a plugin (issue 15 cases 3, 7, 9, 10).
** A fake connector whose next_page is a function of the test: values over
** the field limit, not UTF-8 or carrying a NUL skip the record with a
** reason naming the field (never cut); records and pages per run are
** capped; a page that repeats an earlier one fails the run; a record with
** 200,000 members is built in linear time.
*/
#include "host.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
  int page;
};

typedef hrsync_status (*page_fn)(hrsync_conn *c, int *has_more);
static page_fn next_page_fn;

static hrsync_status fk_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hrsync_conn *c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->host = host;
  c->ctx = ctx;
  *out = c;
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

static hrsync_status fk_next_page(hrsync_conn *c, int *has_more)
{
  *has_more = 0;
  return next_page_fn(c, has_more);
}

static const hrsync_connector fk_desc = {
    HRSYNC_CONNECTOR_V1,  .name = "fake",           .version = "1",
    .open = fk_open,      .close = fk_close,        .authenticate = fk_ok,
    .list_fields = fk_ok, .next_page = fk_next_page};
static hs_plugin fk_plugin = {"/fake/hrsync-fake.so", "fake", &fk_desc, NULL};

/* ---- the engine side: records kept as "id|skip reason|first" ---- */

static char got[4096];
static unsigned long n_got;

static hs_rc on_record(void *arg, const hs_record *rec, hs_err *err)
{
  const char *skip = hs_record_get(rec, HRSYNC_FIELD_SKIP_REASON, NULL);
  const char *first = hs_record_get(rec, "first", NULL);
  size_t n = strlen(got);
  (void)arg;
  (void)err;
  n_got++;
  if(n < sizeof(got) - 512)
    snprintf(got + n, sizeof(got) - n, "%s|%s|%s\n", rec->hris_id,
             skip ? skip : "", first ? first : "(null)");
  return HS_OK;
}

/* Runs one fetch with the given limits; the error (if any) in err. */
static hs_rc fetch(const hs_limits *lim, hs_err *err)
{
  hs_conn_params p;
  hs_conn *conn = NULL;
  hs_rc rc;
  memset(&p, 0, sizeof(p));
  p.plugin = &fk_plugin;
  if(lim)
    p.limits = *lim;
  got[0] = 0;
  n_got = 0;
  hs_err_clear(err);
  rc = hs_conn_open(&p, &conn, err);
  assert_int_equal(rc, HS_OK);
  rc = hs_conn_fetch(conn, on_record, NULL, err);
  hs_conn_close(conn);
  return rc;
}

static hrsync_status one(hrsync_conn *c, const char *id, const char *field,
                         const char *value)
{
  const hrsync_host *h = c->host;
  hrsync_status st = h->record_begin(c->ctx, id);
  if(!st)
    st = h->record_set(c->ctx, "first", "Ada");
  if(!st && field)
    st = h->record_set(c->ctx, field, value);
  if(!st)
    st = h->record_end(c->ctx);
  return st;
}

/* ---- values ------------------------------------------------------- */

static char *big;

static hrsync_status page_bad_values(hrsync_conn *c, int *has_more)
{
  hrsync_status st = one(c, "1", "city", "Lyon");
  (void)has_more;
  if(!st)
    st = one(c, "2", "notes", big); /* 70,000 bytes */
  if(!st)
    st = one(c, "3", "city", "Par\xc0\xafis"); /* not UTF-8 */
  if(!st)
    st = one(c, "4", "last", "x\xc0\x80TAIL"); /* a marked NUL */
  if(!st)
    st = one(c, "5", "Bad\xff", "v"); /* bad field id */
  if(!st)
    st = one(c, "6\xff\x1b", "city", "Oslo"); /* bad hris_id */
  return st;
}

static void test_bad_values_skip_the_record(void **state)
{
  hs_err err;
  (void)state;
  big = malloc(70001);
  assert_non_null(big);
  memset(big, 'a', 70000);
  big[70000] = 0;
  next_page_fn = page_bad_values;
  assert_int_equal(fetch(NULL, &err), HS_OK);
  free(big);
  assert_string_equal(
      got,
      "1||Ada\n"
      "2|field notes: value 70000 bytes, over the limit of 65536 "
      "(limits.field_bytes)|Ada\n"
      "3|field city: value not valid UTF-8 (byte 0xc0 at offset 3)|Ada\n"
      "4|field last: value contains a NUL character at byte 1|Ada\n"
      "5|a field id is not valid UTF-8 (byte 0xff at offset 3)|Ada\n"
      "6\\xff\\x1b|hris_id: not valid UTF-8 (byte 0xff at offset 1)|Ada\n");
}

static void test_field_limit_is_configurable(void **state)
{
  hs_limits lim = {8, 0, 0, 0};
  hs_err err;
  (void)state;
  next_page_fn = page_bad_values;
  big = "short";
  assert_int_equal(fetch(&lim, &err), HS_OK);
  assert_non_null(strstr(got, "1||Ada\n"));
  assert_non_null(strstr(got, "2||Ada\n"));
  lim.field_bytes = 3; /* "Ada" fits, "Lyon" does not */
  assert_int_equal(fetch(&lim, &err), HS_OK);
  assert_non_null(strstr(got,
                         "1|field city: value 4 bytes, over the limit of 3 "
                         "(limits.field_bytes)|Ada\n"));
}

/* ---- runaway plugins ---------------------------------------------- */

static hrsync_status page_forever(hrsync_conn *c, int *has_more)
{
  char id[32];
  hrsync_status st = HRSYNC_OK;
  unsigned long i;
  (void)has_more;
  /* Emits until the host says no (a well-behaved loop on status). */
  for(i = 1; !st; i++) {
    snprintf(id, sizeof(id), "%lu", i);
    st = one(c, id, NULL, NULL);
  }
  return st;
}

static void test_records_per_run(void **state)
{
  hs_limits lim = {0, 0, 500, 0};
  hs_err err;
  (void)state;
  next_page_fn = page_forever;
  assert_int_equal(fetch(&lim, &err), HS_E_PLUGIN);
  assert_int_equal(n_got, 500);
  assert_non_null(strstr(err.msg, "more than 500 records in one run"));
  assert_non_null(strstr(err.msg, "limits.records_per_run"));
}

static hrsync_status page_distinct_forever(hrsync_conn *c, int *has_more)
{
  char id[32];
  snprintf(id, sizeof(id), "p%d", ++c->page);
  *has_more = 1;
  return one(c, id, NULL, NULL);
}

static void test_pages_per_run(void **state)
{
  hs_limits lim = {0, 0, 0, 40};
  hs_err err;
  (void)state;
  next_page_fn = page_distinct_forever;
  assert_int_equal(fetch(&lim, &err), HS_E_PLUGIN);
  assert_int_equal(n_got, 40);
  assert_non_null(strstr(err.msg, "more than 40 pages in one run"));
}

static hrsync_status page_loop(hrsync_conn *c, int *has_more)
{
  /* Pages 1, 2, 3, then the cursor goes back to page 2. */
  static const char *const ids[][2] = {{"a", "b"}, {"c", "d"}, {"e", "f"}};
  int p = c->page++;
  int k = p < 3 ? p : 1;
  hrsync_status st = one(c, ids[k][0], NULL, NULL);
  if(!st)
    st = one(c, ids[k][1], NULL, NULL);
  *has_more = 1;
  return st;
}

static void test_repeated_page(void **state)
{
  hs_err err;
  (void)state;
  next_page_fn = page_loop;
  assert_int_equal(fetch(NULL, &err), HS_E_PLUGIN);
  assert_non_null(strstr(err.msg, "page 4 repeats page 2"));
  assert_non_null(strstr(err.msg, "pagination loop"));
}

/* ---- a wide record ------------------------------------------------- */

#define WIDE 200000

static hrsync_status page_wide(hrsync_conn *c, int *has_more)
{
  const hrsync_host *h = c->host;
  char id[32];
  hrsync_status st = h->record_begin(c->ctx, "w");
  int i;
  (void)has_more;
  for(i = 0; i < WIDE && !st; i++) {
    snprintf(id, sizeof(id), "m%d", i);
    st = h->record_set(c->ctx, id, id + 1);
  }
  if(!st)
    st = h->record_set(c->ctx, "m7", "again"); /* set twice: last wins */
  if(!st)
    st = h->record_end(c->ctx);
  if(!st)
    st = one(c, "after", "m7", "small"); /* the table was reset */
  return st;
}

static hs_rc on_wide(void *arg, const hs_record *rec, hs_err *err)
{
  (void)arg;
  (void)err;
  if(!strcmp(rec->hris_id, "w")) {
    assert_int_equal(rec->n_fields, WIDE);
    assert_string_equal(hs_record_get(rec, "m7", NULL), "again");
    assert_string_equal(hs_record_get(rec, "m199999", NULL), "199999");
  }
  else {
    assert_int_equal(rec->n_fields, 2);
    assert_string_equal(hs_record_get(rec, "m7", NULL), "small");
  }
  n_got++;
  return HS_OK;
}

static void test_wide_record_is_linear(void **state)
{
  hs_conn_params p;
  hs_conn *conn = NULL;
  hs_err err;
  struct timespec t0, t1;
  double s;
  (void)state;
  memset(&p, 0, sizeof(p));
  p.plugin = &fk_plugin;
  next_page_fn = page_wide;
  n_got = 0;
  assert_int_equal(hs_conn_open(&p, &conn, &err), HS_OK);
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_int_equal(hs_conn_fetch(conn, on_wide, NULL, &err), HS_OK);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  hs_conn_close(conn);
  assert_int_equal(n_got, 2);
  s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("200,000 record_set in one record: %.3f s\n", s);
  /* Quadratic took ~40 s here (2e10 strcmp); linear is well under 1 s
  ** even under the sanitizers. */
  assert_true(s < 10.0);
}

/* ---- field keys (issue 16): ids interned once per connection ---- */

#define MANY_IDS 5000 /* past the host's bound of 4096 interned ids */

static hrsync_status page_keys(hrsync_conn *c, int *has_more)
{
  const hrsync_host *h = c->host;
  char id[32];
  hrsync_status st = one(c, "1", "city", "Lyon");
  int i;
  (void)has_more;
  if(!st)
    st = h->record_begin(c->ctx, "2");
  if(!st)
    st = h->record_set(c->ctx, "city", "Oslo");
  if(!st)
    st = h->record_set(c->ctx, "first", "Grace");
  for(i = 0; i < MANY_IDS && !st; i++) {
    snprintf(id, sizeof(id), "k%d", i);
    st = h->record_set(c->ctx, id, id);
  }
  if(!st)
    st = h->record_set(c->ctx, "k4999", "last wins");
  if(!st)
    st = h->record_end(c->ctx);
  if(!st)
    st = one(c, "3", "k4999", "x");
  if(!st)
    st = one(c, "4", "k0", "y");
  return st;
}

static const hs_record_field *field_of(const hs_record *rec, const char *id)
{
  size_t i;
  for(i = 0; i < rec->n_fields; i++)
    if(!strcmp(rec->fields[i].id, id))
      return &rec->fields[i];
  fail_msg("record %s has no field %s", rec->hris_id, id);
  return NULL;
}

static const void *key_space;
static const char *first_id;
static unsigned first_key, k0_key;

static hs_rc on_keys(void *arg, const hs_record *rec, hs_err *err)
{
  const hs_record_field *f = field_of(rec, "first");
  (void)arg;
  (void)err;
  /* The same id: the same key and the same pointer in every record. */
  assert_non_null(rec->keyspace);
  assert_int_not_equal(f->key, 0);
  if(!n_got++) {
    key_space = rec->keyspace;
    first_id = f->id;
    first_key = f->key;
  }
  assert_ptr_equal(rec->keyspace, key_space);
  assert_ptr_equal(f->id, first_id);
  assert_int_equal(f->key, first_key);
  if(!strcmp(rec->hris_id, "2")) {
    assert_int_equal(rec->n_fields, MANY_IDS + 2);
    assert_int_not_equal(field_of(rec, "city")->key, 0);
    k0_key = field_of(rec, "k0")->key;
    assert_int_not_equal(k0_key, 0);
    assert_int_not_equal(k0_key, first_key);
    /* Past the bound: no key, but the same record otherwise. */
    assert_int_equal(field_of(rec, "k4999")->key, 0);
    assert_string_equal(hs_record_get(rec, "k4999", NULL), "last wins");
    assert_string_equal(hs_record_get(rec, "k4093", NULL), "k4093");
    assert_string_equal(hs_record_get(rec, "k4094", NULL), "k4094");
    assert_string_equal(hs_record_get(rec, "first", NULL), "Grace");
  }
  if(!strcmp(rec->hris_id, "3")) {
    assert_int_equal(rec->n_fields, 2);
    assert_int_equal(field_of(rec, "k4999")->key, 0);
    assert_string_equal(hs_record_get(rec, "k4999", NULL), "x");
  }
  if(!strcmp(rec->hris_id, "4"))
    assert_int_equal(field_of(rec, "k0")->key, k0_key);
  return HS_OK;
}

static void test_field_keys(void **state)
{
  hs_conn_params p;
  hs_conn *conn = NULL;
  hs_err err;
  (void)state;
  memset(&p, 0, sizeof(p));
  p.plugin = &fk_plugin;
  next_page_fn = page_keys;
  n_got = 0;
  assert_int_equal(hs_conn_open(&p, &conn, &err), HS_OK);
  assert_int_equal(hs_conn_fetch(conn, on_keys, NULL, &err), HS_OK);
  hs_conn_close(conn);
  assert_int_equal(n_got, 4);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bad_values_skip_the_record),
      cmocka_unit_test(test_field_limit_is_configurable),
      cmocka_unit_test(test_records_per_run),
      cmocka_unit_test(test_pages_per_run),
      cmocka_unit_test(test_repeated_page),
      cmocka_unit_test(test_wide_record_is_linear),
      cmocka_unit_test(test_field_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
