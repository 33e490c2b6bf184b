/*
** The registry loaded on a thread of its own (regload.h) and with only
** the fields a planner reads (hs_store_load_fields): the same registry,
** the same matches, the same errors as loading it in place.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "match.h"
#include "regload.h"
#include "scratch.h"
#include "store.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char db[128];

static int setup(void **state)
{
  (void)state;
  return scratch_new(dir, sizeof(dir), db, sizeof(db), "regload");
}

static int teardown(void **state)
{
  (void)state;
  return scratch_free(dir);
}

/* A store of n synced people (hris_id "H<i>", city "C<i>") and one made
** by hand, with meta "k" = "v". */
static void make_store(int n)
{
  hs_store *st;
  hs_err err;
  int i;
  unlink(db);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  for(i = 0; i <= n; i++) {
    char hris[16], name[32], city[16];
    hs_sh sh;
    memset(&sh, 0, sizeof(sh));
    snprintf(hris, sizeof(hris), "H%d", i);
    snprintf(name, sizeof(name), "Person %d", i);
    snprintf(city, sizeof(city), "C%d", i);
    sh.v[HS_SF_NAME] = i < n ? name : "Grace Hopper";
    sh.v[HS_SF_HRIS_ID] = i < n ? hris : NULL;
    sh.v[HS_SF_CITY] = city;
    assert_int_equal(hs_store_insert(st, &sh, &err), HS_OK);
  }
  assert_int_equal(hs_store_meta_set(st, "k", "v", &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  hs_store_close(st);
}

static void load_here(hs_registry *reg)
{
  hs_store *st;
  hs_err err;
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_int_equal(hs_store_load(st, reg, &err), HS_OK);
  hs_store_close(st);
}

static void same_value(const char *a, const char *b)
{
  if(!a || !b)
    assert_ptr_equal(a, b);
  else
    assert_string_equal(a, b);
}

/* On the thread: the registry hs_store_load gives, indexed; the meta read
** before. */
static void same_as_loading_in_place(void **state)
{
  hs_registry here, there;
  hs_regload_meta meta = {"k", "missing", NULL, NULL};
  hs_regload *l;
  hs_matcher *m, *again;
  hs_match r;
  hs_err err;
  size_t i;
  int f;
  (void)state;
  make_store(500);
  load_here(&here);
  assert_int_equal(hs_regload_start(db, &there, &meta, &l, &err), HS_OK);
  assert_string_equal(meta.hris_prev, "v");
  assert_null(meta.left_prev);
  assert_int_equal(hs_regload_wait(l, &m, &err), HS_OK);
  assert_non_null(m);
  /* A second wait: the same result, the indexes already taken. */
  assert_int_equal(hs_regload_wait(l, &again, &err), HS_OK);
  assert_null(again);
  hs_regload_free(l);
  assert_int_equal(there.n, here.n);
  assert_string_equal(there.fingerprint, here.fingerprint);
  for(i = 0; i < here.n; i++) {
    assert_true(there.items[i].id == here.items[i].id);
    for(f = 0; f < HS_SF_COUNT; f++)
      same_value(there.items[i].v[f], here.items[i].v[f]);
  }
  assert_int_equal(hs_match_find(m, "H250", NULL, NULL, NULL, &r), 0);
  assert_int_equal(r.level, HS_MATCH_HRIS_ID);
  assert_int_equal(r.n, 1);
  assert_int_equal(r.idx[0], 250);
  hs_match_free(m);
  hs_registry_clear(&here);
  hs_registry_clear(&there);
  free(meta.hris_prev);
}

/* Only the fields asked for; groups and fingerprint as always. */
static void only_the_fields_asked_for(void **state)
{
  unsigned char need[HS_SF_COUNT];
  hs_registry all, some;
  hs_store *st;
  hs_err err;
  (void)state;
  make_store(3);
  memset(need, 0, sizeof(need));
  need[HS_SF_HRIS_ID] = need[HS_SF_NAME] = 1;
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_int_equal(hs_store_load(st, &all, &err), HS_OK);
  assert_int_equal(hs_store_load_fields(st, &some, need, &err), HS_OK);
  hs_store_close(st);
  assert_int_equal(some.n, 4);
  assert_string_equal(some.fingerprint, all.fingerprint);
  assert_string_equal(all.items[1].v[HS_SF_CITY], "C1");
  assert_null(some.items[1].v[HS_SF_CITY]);
  assert_null(some.items[1].v[HS_SF_TYPE]);
  assert_string_equal(some.items[1].v[HS_SF_HRIS_ID], "H1");
  assert_string_equal(some.items[3].v[HS_SF_NAME], "Grace Hopper");
  hs_registry_clear(&all);
  hs_registry_clear(&some);
}

/* A store hrsync never wrote to (generation 0) has its rows hashed for the
** fingerprint: then every field is loaded, whatever was asked. */
static void every_field_when_the_rows_are_hashed(void **state)
{
  unsigned char need[HS_SF_COUNT];
  hs_registry all, some;
  hs_store *st;
  sqlite3 *raw;
  hs_err err;
  (void)state;
  make_store(2);
  assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
  assert_int_equal(sqlite3_exec(raw,
                                "UPDATE meta SET value = '0' WHERE key = "
                                "'generation'",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(raw);
  memset(need, 0, sizeof(need));
  need[HS_SF_HRIS_ID] = 1;
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_int_equal(hs_store_load(st, &all, &err), HS_OK);
  assert_int_equal(hs_store_load_fields(st, &some, need, &err), HS_OK);
  hs_store_close(st);
  assert_string_equal(some.fingerprint, all.fingerprint);
  assert_string_equal(some.items[0].v[HS_SF_CITY], "C0");
  hs_registry_clear(&all);
  hs_registry_clear(&some);
}

/* No store: an empty registry, indexed, nothing on a thread. */
static void missing_store_is_empty(void **state)
{
  hs_regload_meta meta = {"k", NULL, NULL, NULL};
  hs_registry reg;
  hs_regload *l;
  hs_matcher *m;
  hs_match r;
  hs_err err;
  (void)state;
  unlink(db);
  assert_int_equal(hs_regload_start(db, &reg, &meta, &l, &err), HS_OK);
  assert_null(meta.hris_prev);
  assert_int_equal(hs_regload_wait(l, &m, &err), HS_OK);
  assert_int_equal(reg.n, 0);
  assert_int_equal(hs_match_find(m, "H1", NULL, "A", "B", &r), 0);
  assert_int_equal(r.n, 0);
  hs_match_free(m);
  hs_regload_free(l);
  hs_registry_clear(&reg);
  assert_int_equal(access(db, F_OK), -1);
}

/* A file that is not a store is refused by start, before any thread. */
static void foreign_file_refused_at_start(void **state)
{
  hs_regload_meta meta = {"k", NULL, NULL, NULL};
  hs_registry reg;
  hs_regload *l = NULL;
  sqlite3 *raw;
  hs_err err;
  (void)state;
  unlink(db);
  assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
  assert_int_equal(
      sqlite3_exec(raw, "CREATE TABLE invoices(id INTEGER)", NULL, NULL, NULL),
      SQLITE_OK);
  sqlite3_close(raw);
  assert_int_equal(hs_regload_start(db, &reg, &meta, &l, &err), HS_E_DB);
  assert_null(l);
  assert_non_null(strstr(err.msg, "not an hrsync store"));
  hs_registry_clear(&reg);
}

/* Freed while it may still run (an error elsewhere first): it waits, and
** frees the indexes nobody took (LeakSanitizer checks). */
static void freed_unwaited(void **state)
{
  hs_regload_meta meta = {NULL, NULL, NULL, NULL};
  hs_registry reg;
  hs_regload *l;
  hs_err err;
  (void)state;
  make_store(200);
  assert_int_equal(hs_regload_start(db, &reg, &meta, &l, &err), HS_OK);
  hs_regload_free(l);
  assert_int_equal(reg.n, 201);
  hs_registry_clear(&reg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(same_as_loading_in_place, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(only_the_fields_asked_for, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(every_field_when_the_rows_are_hashed,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(missing_store_is_empty, setup, teardown),
      cmocka_unit_test_setup_teardown(foreign_file_refused_at_start, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(freed_unwaited, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
