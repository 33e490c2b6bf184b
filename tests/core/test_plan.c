/*
** Plans: name formats, field diffs, skipped / conflict / left, group
** rules, and the claim rule (one stakeholder, two records).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "core_fixtures.h"
#include "plan.h"

#define CONFIG(fmt)                                                           \
  "{\"connector\": \"fx\", \"name_format\": \"" fmt "\","                     \
  " \"mapping\": {\"identifier\": \"num\", \"first_name\": \"first\","        \
  " \"last_name\": \"last\", \"email\": \"mail\", \"city\": \"city\","        \
  " \"birth_date\": \"dob\", \"termination_date\": \"end\"},"                 \
  " \"conditions\": [{\"field\": \"status\", \"op\": \"=\", \"value\":"       \
  " \"Active\"}],"                                                            \
  " \"groups\": [{\"group\": \"Ex-employee\", \"if\": [{\"field\":"           \
  " \"status\", \"op\": \"=\", \"value\": \"Inactive\"}]},"                   \
  " {\"group\": \"Staff\", \"if\": [{\"field\": \"status\", \"op\":"          \
  " \"!=\", \"value\": \"Inactive\"}]}]}"

static int types(void *arg, const char *id)
{
  (void)arg;
  return !strcmp(id, "dob") || !strcmp(id, "end") ? HRSYNC_FIELD_DATE
                                                  : HRSYNC_FIELD_TEXT;
}

typedef struct rec {
  hs_record_field f[12];
  hs_record r;
} rec;

/* A record from "id" and pairs of field, value (value may be NULL). */
static void mkrec(rec *x, const char *hris, ...)
{
  va_list ap;
  const char *k;
  x->r.hris_id = hris;
  x->r.fields = x->f;
  x->r.n_fields = 0;
  x->r.keyspace = NULL;
  memset(x->f, 0, sizeof(x->f));
  va_start(ap, hris);
  while((k = va_arg(ap, const char *)) != NULL) {
    x->f[x->r.n_fields].id = k;
    x->f[x->r.n_fields++].value = va_arg(ap, const char *);
  }
  va_end(ap);
}

static hs_config *config(const char *text)
{
  hs_config *cfg;
  hs_err err;
  if(hs_config_parse(text, "t.json", &cfg, &err))
    fail_msg("%s", err.msg);
  return cfg;
}

/* Plans recs against reg. */
static void run_plan(const hs_registry *reg, const hs_config *cfg, rec *recs,
                     size_t n, hs_plan *plan)
{
  hs_planner *p;
  hs_err err;
  size_t i;
  assert_int_equal(hs_planner_new(reg, cfg, types, NULL, &p, &err), HS_OK);
  for(i = 0; i < n; i++)
    assert_int_equal(hs_planner_add(p, &recs[i].r, &err), HS_OK);
  assert_int_equal(hs_planner_finish(p, plan, &err), HS_OK);
  hs_planner_free(p);
}

static const hs_plan_item *find_item(const hs_plan *plan, const char *hris)
{
  size_t i;
  for(i = 0; i < plan->n; i++)
    if(plan->items[i].hris_id && !strcmp(plan->items[i].hris_id, hris))
      return &plan->items[i];
  return NULL;
}

static const hs_plan_item *item(const hs_plan *plan, const char *hris)
{
  const hs_plan_item *it = find_item(plan, hris);
  if(!it)
    fail_msg("no item for %s", hris);
  return it;
}

/* The item's change of field (valid until the next call), or NULL. */
static const hs_change *change(const hs_plan_item *it, int field)
{
  static hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n = hs_item_changes(it, ch);
  for(i = 0; i < n; i++)
    if(ch[i].field == field)
      return &ch[i];
  return NULL;
}

static void name_formats(void **state)
{
  char *s;
  (void)state;
  s = hs_sh_format_name("Ada", "Lovelace", HS_NAME_FIRST_LAST);
  assert_string_equal(s, "Ada Lovelace");
  free(s);
  s = hs_sh_format_name("Ada", "Lovelace", HS_NAME_LAST_FIRST);
  assert_string_equal(s, "Lovelace, Ada");
  free(s);
  s = hs_sh_format_name(NULL, "Lovelace", HS_NAME_LAST_FIRST);
  assert_string_equal(s, "Lovelace");
  free(s);
  assert_null(hs_sh_format_name("", NULL, HS_NAME_FIRST_LAST));
}

static void creates_with_name_format(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("last_first"));
  rec r[2];
  hs_plan plan;
  const hs_plan_item *it;
  (void)state;
  hs_registry_fingerprint(&reg);
  mkrec(&r[0], "1", "first", "Ada", "last", "Lovelace", "status", "Active",
        "dob", "1915-12-10T00:00:00", "mail", " ada@x.example ", NULL);
  mkrec(&r[1], "2", "status", "Active", "mail", "x@y", NULL);
  run_plan(&reg, cfg, r, 2, &plan);
  it = item(&plan, "1");
  assert_int_equal(it->action, HS_ACT_CREATE);
  assert_string_equal(it->name, "Lovelace, Ada");
  assert_string_equal(change(it, HS_SF_NAME)->after, "Lovelace, Ada");
  assert_string_equal(change(it, HS_SF_HRIS_ID)->after, "1");
  assert_string_equal(change(it, HS_SF_BIRTH_DATE)->after, "1915-12-10");
  assert_string_equal(change(it, HS_SF_EMAIL)->after, "ada@x.example");
  assert_string_equal(change(it, HS_SF_TYPE)->after, HS_TYPE_PERSON);
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Staff");
  /* Nothing to build a name from. */
  assert_int_equal(item(&plan, "2")->action, HS_ACT_SKIPPED);
  assert_int_equal(plan.counts[HS_ACT_CREATE], 1);
  assert_int_equal(plan.counts[HS_ACT_SKIPPED], 1);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
}

static void mapped_dates_without_types(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  hs_planner *p;
  hs_plan plan;
  hs_err err;
  rec r[2];
  (void)state;
  hs_registry_fingerprint(&reg);
  /* A connector that lists no field types: the mapped birth date is still
  ** a date, an unmapped field is left as sent. */
  mkrec(&r[0], "1", "first", "A", "last", "B", "status", "Active", "dob",
        "2014-11-08T23:00:00.000Z", "other", "2014-11-08T23:00:00.000Z", NULL);
  mkrec(&r[1], "2", "first", "C", "last", "D", "status", "Active", "dob",
        "08/11/2014", NULL);
  assert_int_equal(hs_planner_new(&reg, cfg, NULL, NULL, &p, &err), HS_OK);
  assert_int_equal(hs_planner_add(p, &r[0].r, &err), HS_OK);
  assert_int_equal(hs_planner_add(p, &r[1].r, &err), HS_OK);
  assert_int_equal(hs_planner_finish(p, &plan, &err), HS_OK);
  hs_planner_free(p);
  assert_string_equal(change(item(&plan, "1"), HS_SF_BIRTH_DATE)->after,
                      "2014-11-09");
  assert_int_equal(item(&plan, "2")->action, HS_ACT_SKIPPED);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
}

static void diffs(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  hs_sh *sh;
  rec r[3];
  hs_plan plan;
  const hs_plan_item *it;
  (void)state;
  sh = test_add_sh(&reg, 1, "1", "E1", "Ada", "Lovelace", "Lady Ada");
  sh->v[HS_SF_EMAIL] = strdup("old@x");
  sh->v[HS_SF_CITY] = strdup("London");
  sh->v[HS_SF_PHONE] = strdup("+44");
  sh->v[HS_SF_GROUPS] = strdup("Staff");
  sh = test_add_sh(&reg, 2, "2", "E2", "Alan", "Turing", "Alan Turing");
  sh->v[HS_SF_CITY] = strdup("Manchester");
  sh->v[HS_SF_GROUPS] = strdup("Staff");
  /* Rehired: the rules' "Ex-employee" goes, the hand-made "Board" stays. */
  sh = test_add_sh(&reg, 3, "3", NULL, "Grace", "Hopper", "Grace Hopper");
  sh->v[HS_SF_GROUPS] = strdup("Board;Ex-employee");
  hs_registry_fingerprint(&reg);
  /* Email changed, city sent empty (kept: on_empty defaults to keep),
  ** identifier sent empty (never cleared), phone unmapped (kept). */
  mkrec(&r[0], "1", "first", "Ada", "last", "Lovelace", "status", "Active",
        "mail", "new@x", "city", NULL, "num", "", NULL);
  /* The same values, city withheld (not sent): unchanged. */
  mkrec(&r[1], "2", "first", "Alan", "last", "Turing", "status", "Active",
        "num", "E2", NULL);
  mkrec(&r[2], "3", "first", "Grace", "last", "Hopper", "status", "Active",
        NULL);
  run_plan(&reg, cfg, r, 3, &plan);
  it = item(&plan, "3");
  assert_int_equal(it->action, HS_ACT_UPDATE);
  assert_int_equal(it->n_changes, 1);
  assert_string_equal(change(it, HS_SF_GROUPS)->before, "Board;Ex-employee");
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Board;Staff");
  it = item(&plan, "1");
  assert_int_equal(it->action, HS_ACT_UPDATE);
  assert_int_equal(it->sh_id, 1);
  assert_string_equal(it->name, "Lady Ada"); /* not reformatted */
  assert_int_equal(it->n_changes, 1);
  assert_string_equal(change(it, HS_SF_EMAIL)->before, "old@x");
  assert_string_equal(change(it, HS_SF_EMAIL)->after, "new@x");
  assert_null(change(it, HS_SF_CITY));
  assert_int_equal(it->n_kept, 1);
  assert_int_equal(it->kept[0].field, HS_SF_CITY);
  assert_string_equal(it->kept[0].before, "London");
  assert_null(change(it, HS_SF_IDENTIFIER));
  /* Unchanged with nothing to show: counted, not kept as an item. */
  assert_null(find_item(&plan, "2"));
  assert_int_equal(plan.unlisted, 1);
  assert_int_equal(plan.unlisted_ids[0], 2);
  assert_int_equal(plan.counts[HS_ACT_UPDATE], 2);
  assert_int_equal(plan.counts[HS_ACT_UNCHANGED], 1);
  assert_string_equal(plan.fingerprint, reg.fingerprint);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
  hs_registry_clear(&reg);
}

static void skipped_left_and_groups(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  rec r[5];
  hs_plan plan;
  const hs_plan_item *it;
  (void)state;
  test_add_sh(&reg, 1, "1", NULL, "Ada", "Lovelace", "Ada Lovelace");
  test_add_sh(&reg, 2, "2", NULL, "Gone", "Person", "Gone Person");
  test_add_sh(&reg, 3, NULL, NULL, NULL, NULL, "Hand Made");
  test_add_sh(&reg, 4, "6", NULL, "Bad", "Date", "Bad Date");
  hs_registry_fingerprint(&reg);
  mkrec(&r[0], "1", "first", "Ada", "last", "Lovelace", "status", "Inactive",
        "end", "2025-01-31T00:00:00", "mail", "ada@x", NULL);
  mkrec(&r[1], "5", "first", "Never", "last", "Synced", "status", "Inactive",
        NULL);
  mkrec(&r[2], "6", "first", "Bad", "last", "Date", "status", "Active", "dob",
        "31/12/1990", NULL);
  mkrec(&r[3], "7", "first", "Rule", "last", "Skip", "status", "Active",
        HRSYNC_FIELD_SKIP_REASON, "no hire date", NULL);
  mkrec(&r[4], "8", "first", "Rule", "last", "Empty", "status", "Active",
        HRSYNC_FIELD_SKIP_REASON, NULL, NULL);
  run_plan(&reg, cfg, r, 5, &plan);
  /* Synced before, now filtered out: left, with the group rule and the
  ** termination date, nothing else. */
  it = item(&plan, "1");
  assert_int_equal(it->action, HS_ACT_LEFT);
  assert_string_equal(it->reason,
                      "filtered out: status = \"Active\" (was \"Inactive\")");
  assert_int_equal(it->n_changes, 2);
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Ex-employee");
  assert_string_equal(change(it, HS_SF_TERMINATION_DATE)->after, "2025-01-31");
  assert_null(change(it, HS_SF_EMAIL));
  it = item(&plan, "5");
  assert_int_equal(it->action, HS_ACT_SKIPPED);
  assert_string_equal(it->reason, "status = \"Active\" (was \"Inactive\")");
  it = item(&plan, "6");
  assert_int_equal(it->action, HS_ACT_SKIPPED);
  assert_string_equal(it->reason,
                      "field dob: unparseable date \"31/12/1990\"");
  /* Synced before: skipped this time, not "left". */
  assert_int_equal(it->sh_id, 4);
  assert_string_equal(item(&plan, "7")->reason, "no hire date");
  assert_string_equal(item(&plan, "8")->reason, "skipped by the connector");
  /* No longer returned: left, never deleted; the hand-made one is not
  ** ours to report. */
  it = item(&plan, "2");
  assert_int_equal(it->action, HS_ACT_LEFT);
  assert_int_equal(it->sh_id, 2);
  assert_string_equal(it->reason, "no longer returned by the HR system");
  assert_int_equal(plan.counts[HS_ACT_LEFT], 2);
  assert_int_equal(plan.counts[HS_ACT_SKIPPED], 4);
  assert_int_equal(plan.n, 6);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
  hs_registry_clear(&reg);
}

static void conflicts(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  rec r[5];
  hs_plan plan;
  const hs_plan_item *it;
  (void)state;
  test_add_sh(&reg, 1, NULL, "E1", NULL, NULL, "Hand Made");
  test_add_sh(&reg, 2, NULL, NULL, NULL, NULL, "John Smith");
  test_add_sh(&reg, 3, NULL, NULL, "John", "Smith", "Smith, J.");
  hs_registry_fingerprint(&reg);
  /* Two records claim #1: one by identifier, one by name. */
  mkrec(&r[0], "10", "num", "E1", "first", "A", "last", "B", "status",
        "Active", NULL);
  mkrec(&r[1], "11", "first", "Hand", "last", "Made", "status", "Active",
        NULL);
  /* Two candidates by name. */
  mkrec(&r[2], "12", "first", "John", "last", "Smith", "status", "Active",
        NULL);
  /* Two new records with one HRIS id. */
  mkrec(&r[3], "13", "first", "Twin", "last", "One", "status", "Active", NULL);
  mkrec(&r[4], "13", "first", "Twin", "last", "Two", "status", "Active", NULL);
  run_plan(&reg, cfg, r, 5, &plan);
  it = item(&plan, "10");
  assert_int_equal(it->action, HS_ACT_CONFLICT);
  assert_int_equal(it->n_changes, 0);
  assert_non_null(strstr(it->reason, "claimed by two records"));
  assert_int_equal(item(&plan, "11")->action, HS_ACT_CONFLICT);
  it = item(&plan, "12");
  assert_int_equal(it->action, HS_ACT_CONFLICT);
  assert_string_equal(it->reason,
                      "2 stakeholders match by name \"John Smith\": #2 "
                      "\"John Smith\" and #3 \"Smith, J.\"");
  assert_int_equal(plan.counts[HS_ACT_CONFLICT], 5);
  assert_int_equal(plan.counts[HS_ACT_CREATE], 0);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
  hs_registry_clear(&reg);
}

/* An unchanged record is counted, not kept as an item (issue 16); when
** a later record claims its stakeholder too, it comes back as a conflict
** in its own place, as if it had been kept. */
static void unlisted_claimed_again(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  hs_sh *sh;
  rec r[4];
  hs_plan plan;
  (void)state;
  sh = test_add_sh(&reg, 1, "1", NULL, "Ada", "Lovelace", "Ada Lovelace");
  sh->v[HS_SF_GROUPS] = strdup("Staff");
  sh = test_add_sh(&reg, 2, "3", NULL, "Alan", "Turing", "Alan Turing");
  sh->v[HS_SF_GROUPS] = strdup("Staff");
  hs_registry_fingerprint(&reg);
  mkrec(&r[0], "1", "first", "Ada", "last", "Lovelace", "status", "Active",
        NULL);
  mkrec(&r[1], "2", "first", "New", "last", "Person", "status", "Active",
        NULL);
  mkrec(&r[2], "3", "first", "Alan", "last", "Turing", "status", "Active",
        NULL);
  mkrec(&r[3], "1", "first", "Ada", "last", "Lovelace", "status", "Active",
        NULL);
  run_plan(&reg, cfg, r, 4, &plan);
  assert_int_equal(plan.n, 3);
  assert_int_equal(plan.from_records, 3);
  assert_int_equal(plan.items[0].action, HS_ACT_CONFLICT);
  assert_string_equal(plan.items[0].hris_id, "1");
  assert_string_equal(plan.items[0].name, "Ada Lovelace");
  assert_int_equal(plan.items[0].sh_id, 1);
  assert_string_equal(plan.items[0].reason,
                      "stakeholder #1 \"Ada Lovelace\" is claimed by two "
                      "records: HRIS ids 1 and 1");
  assert_int_equal(plan.items[1].action, HS_ACT_CREATE);
  assert_string_equal(plan.items[1].hris_id, "2");
  assert_int_equal(plan.items[2].action, HS_ACT_CONFLICT);
  assert_string_equal(plan.items[2].reason, plan.items[0].reason);
  /* Turing is unchanged: only counted, and named by id for the review
  ** queue's scope. */
  assert_int_equal(plan.unlisted, 1);
  assert_int_equal(plan.unlisted_ids[0], 2);
  assert_int_equal(plan.counts[HS_ACT_UNCHANGED], 1);
  assert_int_equal(plan.counts[HS_ACT_CONFLICT], 2);
  assert_int_equal(plan.counts[HS_ACT_CREATE], 1);
  hs_plan_clear(&plan);
  hs_config_free(cfg);
  hs_registry_clear(&reg);
}

static void group_lists(void **state)
{
  char *g = NULL;
  (void)state;
  assert_int_equal(hs_groups_add(&g, "Staff"), 1);
  assert_int_equal(hs_groups_add(&g, "Board"), 1);
  assert_int_equal(hs_groups_add(&g, "Ex-employee"), 1);
  assert_int_equal(hs_groups_add(&g, "Board"), 0);
  assert_int_equal(hs_groups_add(&g, "Boar"), 1);
  assert_string_equal(g, "Boar;Board;Ex-employee;Staff");
  assert_int_equal(hs_groups_remove(&g, "Board"), 1);
  assert_int_equal(hs_groups_remove(&g, "Board"), 0);
  assert_string_equal(g, "Boar;Ex-employee;Staff");
  assert_int_equal(hs_groups_remove(&g, "Boar"), 1);
  assert_int_equal(hs_groups_remove(&g, "Staff"), 1);
  assert_int_equal(hs_groups_remove(&g, "Ex-employee"), 1);
  assert_null(g);
}

static const char *no_reason(void *arg, const char *id)
{
  (void)arg;
  return !strcmp(id, "status") ? "not granted" : NULL;
}

/* Issue 10 in the planner: kept values, leaving dates, names following,
** possible duplicates and the fail-closed check. */
static void safety(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  hs_planner *p;
  rec r[5];
  hs_plan plan;
  const hs_plan_item *it;
  hs_sh *sh;
  hs_err err;
  size_t i;
  (void)state;
  setenv("HRSYNC_TODAY", "2030-06-15", 1);
  sh = test_add_sh(&reg, 1, "1", NULL, "Ada", "Lovelace", "Ada Lovelace");
  sh->v[HS_SF_EMAIL] = strdup("ada@hand.example");
  test_add_sh(&reg, 2, "2", NULL, "Grace", "Hopper", "Admiral Hopper");
  test_add_sh(&reg, 3, NULL, NULL, NULL, NULL, "jose nunez");
  hs_registry_fingerprint(&reg);
  mkrec(&r[0], "1", "first", "Ada", "last", "King", "status", "Active", "mail",
        NULL, "end", "2030-12-31", NULL);
  mkrec(&r[1], "2", "first", "Grace", "last", "Murray", "status", "Active",
        NULL);
  mkrec(&r[2], "4", "first", "Jos\xc3\xa9", "last",
        "N\xc3\xba\xc3\xb1"
        "ez",
        "status", "Active", NULL);
  run_plan(&reg, cfg, r, 3, &plan);
  it = item(&plan, "1");
  assert_int_equal(it->action, HS_ACT_UPDATE);
  assert_string_equal(change(it, HS_SF_NAME)->after, "Ada King");
  assert_null(change(it, HS_SF_EMAIL)); /* kept, not cleared */
  assert_int_equal(it->n_kept, 1);
  assert_string_equal(it->kept[0].before, "ada@hand.example");
  assert_string_equal(it->note, "leaving on 2030-12-31");
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Staff");
  it = item(&plan, "2");
  assert_null(change(it, HS_SF_NAME));
  assert_non_null(strstr(it->note, "\"Admiral Hopper\" kept"));
  it = item(&plan, "4");
  assert_int_equal(it->action, HS_ACT_CREATE);
  assert_non_null(strstr(it->note, "possible duplicate of #3"));
  for(i = 0; i < plan.n_warnings; i++)
    if(!strcmp(plan.warnings[i].code, "possible_duplicate"))
      break;
  assert_true(i < plan.n_warnings);
  hs_plan_clear(&plan);
  /* Fail closed: status never carried, or said withheld. */
  mkrec(&r[3], "5", "first", "Eve", "last", "Doe", NULL);
  assert_int_equal(hs_planner_new(&reg, cfg, types, NULL, &p, &err), HS_OK);
  assert_int_equal(hs_planner_add(p, &r[3].r, &err), HS_OK);
  assert_int_equal(hs_planner_check_withheld(p, NULL, NULL, &err),
                   HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "conditions[0] tests status"));
  hs_planner_free(p);
  assert_int_equal(hs_planner_new(&reg, cfg, types, NULL, &p, &err), HS_OK);
  assert_int_equal(hs_planner_add(p, &r[0].r, &err), HS_OK);
  assert_int_equal(hs_planner_check_withheld(p, NULL, NULL, &err), HS_OK);
  assert_int_equal(hs_planner_check_withheld(p, no_reason, NULL, &err),
                   HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "(not granted)"));
  hs_planner_free(p);
  unsetenv("HRSYNC_TODAY");
  hs_config_free(cfg);
  hs_registry_clear(&reg);
}

static void mass_thresholds(void **state)
{
  hs_plan plan;
  hs_err err;
  size_t i;
  (void)state;
  assert_int_equal(hs_mass_limit(0, 0.10), 1);
  assert_int_equal(hs_mass_limit(9, 0.10), 1); /* one leaver never trips */
  assert_int_equal(hs_mass_limit(10, 0.10), 1);
  assert_int_equal(hs_mass_limit(29, 0.10), 2);
  assert_int_equal(hs_mass_limit(1000, 0.10), 100);
  assert_int_equal(hs_mass_limit(1000, 0.5), 500);
  assert_int_equal(hs_mass_limit(1000, 1.0), 1000);
  assert_int_equal(hs_mass_limit(1000, 0), 1);
  memset(&plan, 0, sizeof(plan));
  plan.synced = 100;
  plan.records = 100;
  for(i = 0; i < 11; i++) {
    hs_plan_item *it = hs_plan_push(&plan);
    it->action = HS_ACT_LEFT;
  }
  hs_plan_count(&plan);
  /* 11 left of 100: more than 10%. */
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "11 of 100"));
  assert_int_equal(hs_plan_check_mass(&plan, 0.11, &err), HS_OK);
  /* Already left after the last sync: not news. */
  plan.left_known = 1;
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_OK);
  plan.left_known = 0;
  plan.items[10].action = HS_ACT_UPDATE;
  hs_plan_count(&plan);
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_OK);
  /* A field cleared on 11: refused; on 10: not. */
  for(i = 0; i < 11; i++) {
    plan.items[i].action = HS_ACT_UPDATE;
    assert_int_equal(
        hs_item_add_change(&plan.items[i], HS_SF_EMAIL, "a@x", NULL), 0);
  }
  hs_plan_count(&plan);
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "email would be cleared on 11 of 100"));
  plan.items[0].action = HS_ACT_UNCHANGED;
  hs_plan_count(&plan);
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_OK);
  /* An empty roster against a synced registry. */
  plan.records = 0;
  plan.items[0].action = HS_ACT_LEFT;
  hs_plan_count(&plan);
  assert_int_equal(hs_plan_check_mass(&plan, 1.0, &err), HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "returned nobody"));
  /* A new registry has nothing to lose. */
  plan.synced = 0;
  assert_int_equal(hs_plan_check_mass(&plan, 0.10, &err), HS_OK);
  hs_plan_clear(&plan);
}

/* The record path resolves each field id once per run (issue 16): wide
** records whose unused fields change order and value from record to
** record plan as narrow ones; group rules leave groups alone when
** nothing changes and fix them when something does; re-keying reads an
** HR field the config does not otherwise use. */
static void wide_records(void **state)
{
  hs_registry reg = {0};
  hs_config *cfg = config(CONFIG("first_last"));
  hs_record_field f[3][48] = {{{NULL, NULL, 0}}};
  hs_record r[3];
  char ids[40][8], vals[3][40][16];
  hs_planner *p;
  hs_plan plan;
  hs_err err;
  const hs_plan_item *it;
  size_t i, k;
  (void)state;
  test_add_sh(&reg, 1, "old-7", NULL, "Ada", "Lovelace", "Ada Lovelace");
  test_add_sh(&reg, 2, "2", NULL, "Grace", "Hopper", "Grace Hopper")
      ->v[HS_SF_GROUPS] = strdup("Staff;Zeta");
  test_add_sh(&reg, 3, "3", NULL, "Alan", "Turing", "Alan Turing")
      ->v[HS_SF_GROUPS] = strdup("Ex-employee;Staff");
  for(k = 0; k < 3; k++) {
    static const char *const who[3][3] = {{"7", "Ada", "Lovelace"},
                                          {"2", "Grace", "Hopper"},
                                          {"3", "Alan", "Turing"}};
    size_t n = 0;
    /* Unused fields first in one record, last in the next, some empty,
    ** one holding what no parser reads as a date. */
    for(i = 0; i < 40; i++) {
      size_t at = k == 1 ? 39 - i : i;
      snprintf(ids[at], sizeof(ids[at]), "u%zu", at);
      snprintf(vals[k][at], sizeof(vals[k][at]), " v%zu/%zu ", k, at);
      f[k][n].id = ids[at];
      f[k][n++].value = at % 7 ? vals[k][at] : NULL;
    }
    f[k][n].id = "first", f[k][n++].value = who[k][1];
    f[k][n].id = "last", f[k][n++].value = who[k][2];
    f[k][n].id = "status", f[k][n++].value = " Active";
    f[k][n].id = "legacy", f[k][n++].value = k == 0 ? " old-7 " : "none";
    r[k].hris_id = who[k][0];
    r[k].fields = f[k];
    r[k].n_fields = n;
    r[k].keyspace = NULL;
  }
  assert_int_equal(hs_planner_new(&reg, cfg, types, NULL, &p, &err), HS_OK);
  hs_planner_remap(p, "legacy");
  for(k = 0; k < 3; k++)
    assert_int_equal(hs_planner_add(p, &r[k], &err), HS_OK);
  assert_int_equal(hs_planner_finish(p, &plan, &err), HS_OK);
  hs_planner_free(p);
  /* Found through the unmapped "legacy" field (trimmed): re-keyed. */
  it = item(&plan, "7");
  assert_int_equal(it->action, HS_ACT_UPDATE);
  assert_int_equal(it->sh_id, 1);
  assert_string_equal(change(it, HS_SF_HRIS_ID)->before, "old-7");
  assert_string_equal(change(it, HS_SF_HRIS_ID)->after, "7");
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Staff");
  /* Groups already right (and one the rules do not manage): unchanged,
  ** so only counted. */
  assert_null(find_item(&plan, "2"));
  assert_int_equal(plan.counts[HS_ACT_UNCHANGED], 1);
  assert_int_equal(plan.unlisted, 1);
  assert_int_equal(plan.unlisted_ids[0], 2);
  /* Rehired: Ex-employee goes, Staff stays. */
  it = item(&plan, "3");
  assert_int_equal(it->action, HS_ACT_UPDATE);
  assert_int_equal(it->n_changes, 1);
  assert_string_equal(change(it, HS_SF_GROUPS)->before, "Ex-employee;Staff");
  assert_string_equal(change(it, HS_SF_GROUPS)->after, "Staff");
  assert_int_equal(plan.counts[HS_ACT_LEFT], 0);
  hs_plan_clear(&plan);
  hs_registry_clear(&reg);
  hs_config_free(cfg);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(name_formats),
      cmocka_unit_test(mass_thresholds),
      cmocka_unit_test(safety),
      cmocka_unit_test(creates_with_name_format),
      cmocka_unit_test(mapped_dates_without_types),
      cmocka_unit_test(diffs),
      cmocka_unit_test(skipped_left_and_groups),
      cmocka_unit_test(conflicts),
      cmocka_unit_test(unlisted_claimed_again),
      cmocka_unit_test(group_lists),
      cmocka_unit_test(wide_records),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
