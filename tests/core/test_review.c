/*
** Unattended sync: the policy (defaults, parsing, errors naming the key)
** and the review queue (a plan split by policy; rejected and done values
** not asked again; the table reconciled run after run, with an
** incremental run's scope).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "config.h"
#include "review.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hs_config *parse(const char *policy, hs_err *err, hs_rc *rc)
{
  char text[1024];
  hs_config *cfg = NULL;
  snprintf(text, sizeof(text), "{\"connector\": \"x\"%s%s}",
           policy ? ", \"policy\": " : "", policy ? policy : "");
  *rc = hs_config_parse(text, "c.json", &cfg, err);
  return cfg;
}

static void test_policy_defaults(void **state)
{
  hs_err err;
  hs_rc rc;
  hs_config *cfg = parse(NULL, &err, &rc);
  int f;
  (void)state;
  assert_int_equal(rc, HS_OK);
  for(f = 0; f < HS_SF_COUNT; f++)
    assert_int_equal(cfg->policy.review[f],
                     f == HS_SF_HRIS_ID || f == HS_SF_FIRST_NAME ||
                         f == HS_SF_LAST_NAME || f == HS_SF_NAME ||
                         f == HS_SF_EMAIL || f == HS_SF_BIRTH_DATE);
  assert_true(cfg->policy.create_review);
  assert_true(cfg->policy.left_review);
  assert_int_equal(cfg->policy.full_sync_days, 7);
  hs_config_free(cfg);
}

static void test_policy_parse(void **state)
{
  hs_err err;
  hs_rc rc;
  hs_config *cfg =
      parse("{\"create\": \"auto\", \"fields\": {\"email\": \"auto\", "
            "\"city\": \"review\"}, \"full_sync_days\": 0}",
            &err, &rc);
  (void)state;
  assert_int_equal(rc, HS_OK);
  assert_false(cfg->policy.create_review);
  assert_true(cfg->policy.left_review);
  assert_false(cfg->policy.review[HS_SF_EMAIL]);
  assert_true(cfg->policy.review[HS_SF_CITY]);
  assert_true(cfg->policy.review[HS_SF_FIRST_NAME]);
  assert_int_equal(cfg->policy.full_sync_days, 0);
  hs_config_free(cfg);
}

static void test_policy_errors(void **state)
{
  static const struct {
    const char *policy, *msg;
  } bad[] = {
      {"[]", "c.json: policy: expected an object"},
      {"{\"create\": \"yes\"}", "c.json: policy.create: \"yes\" is not a "
                                "policy; expected auto or review"},
      {"{\"left\": 1}", "c.json: policy.left: \"1\" is not a policy"},
      {"{\"fields\": {\"mail\": \"auto\"}}",
       "c.json: policy.fields.mail: unknown stakeholder field"},
      {"{\"fields\": {\"email\": \"never\"}}",
       "c.json: policy.fields.email: \"never\" is not a policy"},
      {"{\"fields\": []}", "c.json: policy.fields: expected an object"},
      {"{\"full_sync_days\": -1}", "c.json: policy.full_sync_days: expected"},
      {"{\"full_sync_days\": \"7\"}",
       "c.json: policy.full_sync_days: expected"},
      {"{\"often\": 1}", "c.json: policy.often: unknown key"},
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    hs_err err;
    hs_rc rc;
    hs_config *cfg = parse(bad[i].policy, &err, &rc);
    assert_null(cfg);
    assert_int_equal(rc, HS_E_CONFIG);
    if(!strstr(err.msg, bad[i].msg))
      fail_msg("%s: got \"%s\", want \"%s\"", bad[i].policy, err.msg,
               bad[i].msg);
  }
}

/* A plan: 1 create (create 0: unchanged), 1 update (email -> email_after,
** city), 1 filtered-out left with changes, 1 unchanged, then 1 "no
** longer returned" left (records 4). */
static void make_plan(hs_plan *p, const char *email_after, int create)
{
  hs_plan_item *it;
  memset(p, 0, sizeof(*p));
  it = hs_plan_push(p);
  it->action = create ? HS_ACT_CREATE : HS_ACT_UNCHANGED;
  it->hris_id = strdup("1");
  it->name = strdup("Ada Lovelace");
  if(create) {
    hs_item_add_change(it, HS_SF_FIRST_NAME, NULL, "Ada");
    hs_item_add_change(it, HS_SF_NAME, NULL, "Ada Lovelace");
  }
  it = hs_plan_push(p);
  it->action = HS_ACT_UPDATE;
  it->sh_id = 7;
  it->hris_id = strdup("2");
  it->name = strdup("Alan Turing");
  hs_item_add_change(it, HS_SF_EMAIL, "a@old", email_after);
  hs_item_add_change(it, HS_SF_CITY, "London", "Wilmslow");
  it = hs_plan_push(p);
  it->action = HS_ACT_LEFT;
  it->sh_id = 8;
  it->hris_id = strdup("3");
  it->name = strdup("Grace Hopper");
  it->reason = strdup("filtered out");
  hs_item_add_change(it, HS_SF_TERMINATION_DATE, NULL, "2026-10-31");
  it = hs_plan_push(p);
  it->action = HS_ACT_UNCHANGED;
  it->sh_id = 9;
  it->hris_id = strdup("4");
  it->name = strdup("Edsger Dijkstra");
  it = hs_plan_push(p);
  it->action = HS_ACT_LEFT;
  it->sh_id = 10;
  it->hris_id = strdup("5");
  it->name = strdup("Gone Person");
  it->reason = strdup("no longer returned by the HR system");
  p->records = 4;
  p->from_records = 4; /* the planner's boundary: records, then left */
  hs_plan_count(p);
}

static void test_split_defaults(void **state)
{
  hs_policy pol;
  hs_plan plan, apply;
  hs_change ch[HS_ITEM_MAX_CHANGES];
  hs_queue old, found;
  hs_err err;
  (void)state;
  hs_policy_defaults(&pol);
  make_plan(&plan, "a@new", 1);
  memset(&old, 0, sizeof(old));
  assert_int_equal(hs_review_split(&plan, &pol, &old, 0, &apply, &found, &err),
                   HS_OK);
  /* create, email, termination, gone: queued; city: applied */
  assert_int_equal(found.n, 4);
  assert_int_equal(found.items[0].kind, HS_RQ_CREATE);
  assert_int_equal(found.items[1].kind, HS_RQ_UPDATE);
  assert_int_equal(found.items[1].field, HS_SF_EMAIL);
  assert_string_equal(found.items[1].hr_value, "a@new");
  assert_string_equal(found.items[1].reg_value, "a@old");
  assert_int_equal(found.items[2].kind, HS_RQ_TERMINATION);
  assert_string_equal(found.items[2].hr_value, "2026-10-31");
  assert_int_equal(found.items[3].kind, HS_RQ_TERMINATION);
  assert_null(found.items[3].hr_value);
  assert_int_equal(apply.counts[HS_ACT_CREATE], 0);
  assert_int_equal(apply.counts[HS_ACT_LEFT], 0);
  assert_int_equal(apply.counts[HS_ACT_UPDATE], 1);
  assert_int_equal(apply.items[0].n_changes, 1);
  assert_int_equal(hs_item_changes(&apply.items[0], ch), 1);
  assert_int_equal(ch[0].field, HS_SF_CITY);
  hs_plan_clear(&apply);
  hs_queue_clear(&found);
  /* incremental: the stakeholders no record claimed are not asked about */
  assert_int_equal(hs_review_split(&plan, &pol, &old, 1, &apply, &found, &err),
                   HS_OK);
  assert_int_equal(found.n, 3);
  hs_plan_clear(&apply);
  hs_queue_clear(&found);
  /* everything auto: all applied, nothing queued */
  memset(pol.review, 0, sizeof(pol.review));
  pol.create_review = pol.left_review = 0;
  assert_int_equal(hs_review_split(&plan, &pol, &old, 0, &apply, &found, &err),
                   HS_OK);
  assert_int_equal(found.n, 0);
  assert_int_equal(apply.counts[HS_ACT_CREATE], 1);
  assert_int_equal(apply.counts[HS_ACT_UPDATE], 1);
  assert_int_equal(apply.counts[HS_ACT_LEFT], 2);
  hs_plan_clear(&apply);
  hs_plan_clear(&plan);
}

static void test_store_reconcile(void **state)
{
  char dir[] = "/tmp/hs-core-review-XXXXXX", db[128];
  hs_policy pol;
  hs_plan plan, apply;
  hs_queue old, found;
  hs_store *st;
  size_t pending, fresh;
  hs_err err;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(db, sizeof(db), "%s/r.db", dir);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
  hs_policy_defaults(&pol);
  make_plan(&plan, "a@new", 1);
  /* run 1 finds 4 */
  assert_int_equal(hs_review_load(st, 1, &old, &err), HS_OK);
  assert_int_equal(hs_review_split(&plan, &pol, &old, 0, &apply, &found, &err),
                   HS_OK);
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(
      hs_review_store(st, 1, &found, NULL, &pending, &fresh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  assert_int_equal(pending, 4);
  assert_int_equal(fresh, 4);
  hs_queue_clear(&old);
  hs_queue_clear(&found);
  hs_plan_clear(&apply);
  /* the email is rejected; run 2 sees the same: nothing new, no dups */
  assert_int_equal(hs_review_load(st, 0, &old, &err), HS_OK);
  assert_int_equal(old.n, 4);
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(hs_review_reject(st, old.items[1].id, &err), HS_OK);
  assert_int_equal(hs_review_reject(st, old.items[1].id, &err), HS_E_USAGE);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  hs_queue_clear(&old);
  assert_int_equal(hs_review_load(st, 1, &old, &err), HS_OK);
  assert_int_equal(hs_review_split(&plan, &pol, &old, 0, &apply, &found, &err),
                   HS_OK);
  assert_int_equal(found.items[1].status, HS_RQ_REJECTED);
  assert_int_equal(apply.items[0].n_changes, 1); /* rejected: not applied */
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(
      hs_review_store(st, 2, &found, NULL, &pending, &fresh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  assert_int_equal(pending, 3);
  assert_int_equal(fresh, 0);
  hs_queue_clear(&old);
  hs_queue_clear(&found);
  hs_plan_clear(&apply);
  /* run 3: a new email value is news again; the create is resolved (the
  ** record is now unchanged); an incremental scope of records 2..3 keeps
  ** the termination of #5 the fetch said nothing about */
  hs_plan_clear(&plan);
  make_plan(&plan, "a@newer", 0);
  assert_int_equal(hs_review_load(st, 1, &old, &err), HS_OK);
  assert_int_equal(hs_review_split(&plan, &pol, &old, 1, &apply, &found, &err),
                   HS_OK);
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(
      hs_review_store(st, 3, &found, &plan, &pending, &fresh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  hs_queue_clear(&old);
  assert_int_equal(hs_review_load(st, 0, &old, &err), HS_OK);
  assert_int_equal(old.n, 3); /* email (pending again), 2 terminations */
  assert_int_equal(old.items[0].kind, HS_RQ_UPDATE);
  assert_string_equal(old.items[0].hr_value, "a@newer");
  assert_int_equal(old.items[0].run_id, 3);
  assert_int_equal(fresh, 1);
  hs_queue_clear(&old);
  hs_queue_clear(&found);
  hs_plan_clear(&apply);
  hs_plan_clear(&plan);
  hs_store_close(st);
  unlink(db);
  {
    char p[160];
    snprintf(p, sizeof(p), "%s-wal", db);
    unlink(p);
    snprintf(p, sizeof(p), "%s-shm", db);
    unlink(p);
  }
  rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_policy_defaults),
      cmocka_unit_test(test_policy_parse),
      cmocka_unit_test(test_policy_errors),
      cmocka_unit_test(test_split_defaults),
      cmocka_unit_test(test_store_reconcile),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
