/*
** Matching: every rule of design.md section 6 and every conflict case.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "core_fixtures.h"
#include "match.h"

#include <stdio.h>

static hs_registry reg;
static hs_matcher *m;

static int setup(void **state)
{
  hs_err err;
  (void)state;
  memset(&reg, 0, sizeof(reg));
  test_add_sh(&reg, 1, "101", "E101", "Ada", "Lovelace", "Ada Lovelace");
  test_add_sh(&reg, 2, NULL, "E102", NULL, NULL, "Grace (hand-made)");
  test_add_sh(&reg, 3, NULL, NULL, NULL, NULL, "Turing, Alan");
  test_add_sh(&reg, 4, NULL, NULL, "Edsger", "Dijkstra", "E. W. Dijkstra");
  test_add_sh(&reg, 5, NULL, "DUP", NULL, NULL, "Dup One");
  test_add_sh(&reg, 6, NULL, "DUP", NULL, NULL, "Dup Two");
  test_add_sh(&reg, 7, NULL, NULL, NULL, NULL, "John Smith");
  test_add_sh(&reg, 8, NULL, NULL, "John", "Smith", "J. Smith");
  test_add_sh(&reg, 9, "999", "E999", "Bob", "Brown", "Bob Brown");
  test_add_sh(&reg, 10, NULL, "ORG1", NULL, NULL, "Acme Trust");
  free(reg.items[9].v[HS_SF_TYPE]);
  reg.items[9].v[HS_SF_TYPE] = strdup(HS_TYPE_ENTITY);
  return hs_match_new(&reg, &m, &err) == HS_OK ? 0 : -1;
}

static int teardown(void **state)
{
  (void)state;
  hs_match_free(m);
  hs_registry_clear(&reg);
  return 0;
}

static long long matched(const char *hris, const char *ident,
                         const char *first, const char *last, int level)
{
  hs_match r;
  hs_match_find(m, hris, ident, first, last, &r);
  assert_int_equal(r.level, level);
  if(!r.n)
    return 0;
  assert_int_equal(r.n, 1);
  return reg.items[r.idx[0]].id;
}

static void by_hris_id_first(void **state)
{
  (void)state;
  /* Level 1 wins over a different identifier and name. */
  assert_int_equal(matched("101", "E999", "Bob", "Brown", HS_MATCH_HRIS_ID),
                   1);
  assert_int_equal(hs_match_by_hris_id(m, "101"), 0);
  assert_int_equal(hs_match_by_hris_id(m, "nope"), -1);
}

static void by_identifier(void **state)
{
  (void)state;
  assert_int_equal(
      matched("202", "E102", "Grace", "Hopper", HS_MATCH_IDENTIFIER), 2);
}

static void by_name_both_orders(void **state)
{
  (void)state;
  /* The stakeholder's name is "Last, First". */
  assert_int_equal(matched("303", NULL, "Alan", "Turing", HS_MATCH_NAME), 3);
  /* Only first_name + last_name match (the display name differs). */
  assert_int_equal(matched("404", NULL, "Edsger", "Dijkstra", HS_MATCH_NAME),
                   4);
  /* Exact: case and spacing matter, a partial name is no match. */
  assert_int_equal(matched("405", NULL, "edsger", "dijkstra", HS_MATCH_NONE),
                   0);
  assert_int_equal(matched("406", NULL, "Alan", NULL, HS_MATCH_NONE), 0);
  /* An identifier that matches nobody falls through to the name. */
  assert_int_equal(matched("407", "E000", "Alan", "Turing", HS_MATCH_NAME), 3);
}

static void someone_elses_stakeholder(void **state)
{
  (void)state;
  /* #9 carries HRIS id 999: another record's, never taken by name or
  ** identifier. */
  assert_int_equal(matched("500", "E999", "Bob", "Brown", HS_MATCH_NONE), 0);
}

static void legal_entities_are_not_people(void **state)
{
  (void)state;
  assert_int_equal(matched("900", "ORG1", "Acme", "Trust", HS_MATCH_NONE), 0);
}

static void conflicts(void **state)
{
  hs_match r;
  (void)state;
  hs_match_find(m, "600", "DUP", NULL, NULL, &r);
  assert_int_equal(r.level, HS_MATCH_IDENTIFIER);
  assert_int_equal(r.n, 2);
  assert_int_equal(reg.items[r.idx[0]].id + reg.items[r.idx[1]].id, 11);
  /* #7 by display name, #8 by first + last: two people, one name. */
  hs_match_find(m, "700", NULL, "John", "Smith", &r);
  assert_int_equal(r.level, HS_MATCH_NAME);
  assert_int_equal(r.n, 2);
  assert_int_equal(reg.items[r.idx[0]].id + reg.items[r.idx[1]].id, 15);
}

static void no_match(void **state)
{
  (void)state;
  assert_int_equal(matched("800", "E800", "New", "Person", HS_MATCH_NONE), 0);
}

/* Issue 10 case 6: a stakeholder whose identifier differs from the
** record's is someone else, not a name candidate. */
static void another_identifier_is_someone_else(void **state)
{
  (void)state;
  /* #5 "Dup One" has identifier DUP: a namesake with E777 is not it. */
  assert_int_equal(matched("777", "E777", "Dup", "One", HS_MATCH_NONE), 0);
  /* A record without an identifier still matches by name. */
  assert_int_equal(matched("777", NULL, "Dup", "One", HS_MATCH_NAME), 5);
  /* A stakeholder without an identifier stays a name candidate. */
  assert_int_equal(matched("400", "E400", "Edsger", "Dijkstra", HS_MATCH_NAME),
                   4);
}

/* A registry of distinct HRIS ids, read in its own order (as a sync
** after the first one reads it), out of order, twice, and with ids it
** does not have: each record finds its own stakeholder, whichever way it
** is found (by the next in order or through the index). */
static void in_order_and_out_of_order(void **state)
{
  static const char *const order[] = {"a0", "a1", "a2", "a5", "a3", "zz",
                                      "a4", "a4", "a0", "a6", "a7", "a7"};
  static const long want[] = {0, 1, 2, 5, 3, -1, 4, 4, 0, 6, 7, 7};
  hs_registry r;
  hs_matcher *mm;
  hs_match res;
  hs_err err;
  size_t i;
  (void)state;
  memset(&r, 0, sizeof(r));
  for(i = 0; i < 8; i++) {
    char id[8];
    snprintf(id, sizeof(id), "a%zu", i);
    test_add_sh(&r, (long long)i + 1, id, NULL, NULL, NULL, id);
  }
  assert_int_equal(hs_match_new(&r, &mm, &err), HS_OK);
  for(i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
    assert_int_equal(hs_match_find(mm, order[i], NULL, NULL, NULL, &res), 0);
    assert_int_equal(res.n, want[i] >= 0);
    if(want[i] >= 0) {
      assert_int_equal(res.level, HS_MATCH_HRIS_ID);
      assert_int_equal(res.idx[0], want[i]);
    }
    assert_int_equal(hs_match_by_hris_id(mm, order[i]), want[i]);
  }
  hs_match_free(mm);
  hs_registry_clear(&r);
}

/* A registry made by hand may hold one HRIS id twice: both are candidates
** (a conflict), also when the first of them is the next in order. */
static void hris_id_twice_is_a_conflict(void **state)
{
  hs_registry r;
  hs_matcher *mm;
  hs_match res;
  hs_err err;
  (void)state;
  memset(&r, 0, sizeof(r));
  test_add_sh(&r, 1, "x1", NULL, NULL, NULL, "One");
  test_add_sh(&r, 2, "x2", NULL, NULL, NULL, "Two");
  test_add_sh(&r, 3, "x3", NULL, NULL, NULL, "Three");
  test_add_sh(&r, 4, "x2", NULL, NULL, NULL, "Two again");
  assert_int_equal(hs_match_new(&r, &mm, &err), HS_OK);
  assert_int_equal(hs_match_find(mm, "x1", NULL, NULL, NULL, &res), 0);
  assert_int_equal(res.n, 1);
  assert_int_equal(hs_match_find(mm, "x2", NULL, NULL, NULL, &res), 0);
  assert_int_equal(res.level, HS_MATCH_HRIS_ID);
  assert_int_equal(res.n, 2);
  assert_int_equal(res.idx[0], 1);
  assert_int_equal(res.idx[1], 3);
  assert_int_equal(hs_match_find(mm, "x3", NULL, NULL, NULL, &res), 0);
  assert_int_equal(res.n, 1);
  assert_int_equal(hs_match_by_hris_id(mm, "x1"), 0);
  assert_int_equal(hs_match_by_hris_id(mm, "x2"), -1);
  hs_match_free(mm);
  hs_registry_clear(&r);
}

/* The identifier and name indexes come when a record first needs them:
** after records found by HRIS id, names and identifiers still match. */
static void name_index_built_when_needed(void **state)
{
  hs_registry r;
  hs_matcher *mm;
  hs_match res;
  hs_err err;
  (void)state;
  memset(&r, 0, sizeof(r));
  test_add_sh(&r, 1, "h1", "E1", "Ada", "Lovelace", "Ada Lovelace");
  test_add_sh(&r, 2, NULL, "E2", "Alan", "Turing", "Alan Turing");
  test_add_sh(&r, 3, NULL, NULL, "Grace", "Hopper", "Hopper, Grace");
  assert_int_equal(hs_match_new(&r, &mm, &err), HS_OK);
  assert_int_equal(hs_match_find(mm, "h1", "E1", "Ada", "Lovelace", &res), 0);
  assert_int_equal(res.level, HS_MATCH_HRIS_ID);
  assert_int_equal(hs_match_find(mm, "h2", "E2", NULL, NULL, &res), 0);
  assert_int_equal(res.level, HS_MATCH_IDENTIFIER);
  assert_int_equal(res.idx[0], 1);
  assert_int_equal(hs_match_find(mm, "h3", NULL, "Grace", "Hopper", &res), 0);
  assert_int_equal(res.level, HS_MATCH_NAME);
  assert_int_equal(res.idx[0], 2);
  hs_match_free(mm);
  hs_registry_clear(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(by_hris_id_first),
      cmocka_unit_test(by_identifier),
      cmocka_unit_test(by_name_both_orders),
      cmocka_unit_test(someone_elses_stakeholder),
      cmocka_unit_test(conflicts),
      cmocka_unit_test(legal_entities_are_not_people),
      cmocka_unit_test(no_match),
      cmocka_unit_test(another_identifier_is_someone_else),
      cmocka_unit_test(in_order_and_out_of_order),
      cmocka_unit_test(hris_id_twice_is_a_conflict),
      cmocka_unit_test(name_index_built_when_needed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
