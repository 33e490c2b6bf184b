/*
** Streaming apply (apply_stream.c): a plan fed while it grows writes
** exactly what hs_apply_with writes for the finished plan; an item the
** planner changed after it was written is caught and the run redone; an
** abandoned stream leaves the store byte for byte as it was (and a new
** store not there at all).
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "apply.h"
#include "buf.h"
#include "runlog.h"
#include "scratch.h"
#include "store.h"

#include <sqlite3.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char db_a[128], db_b[128];

static int setup(void **state)
{
  (void)state;
  if(scratch_new(dir, sizeof(dir), db_a, sizeof(db_a), "stream"))
    return -1;
  snprintf(db_b, sizeof(db_b), "%s/b.db", dir);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  return scratch_free(dir);
}

/* Person i of a made-up roster: values with quotes, accents and empty
** parts, so the run log's JSON is more than plain ASCII. */
static void add_create(hs_plan *plan, int i)
{
  hs_plan_item *it = hs_plan_push(plan);
  char id[32], name[64], email[64];
  snprintf(id, sizeof(id), "E%d", i);
  snprintf(name, sizeof(name), "Zoë \"%d\" Ølberg", i);
  snprintf(email, sizeof(email), "p%d@x.example", i);
  it->action = HS_ACT_CREATE;
  it->hris_id = strdup(id);
  it->name = strdup(name);
  hs_item_add_change(it, HS_SF_HRIS_ID, NULL, id);
  hs_item_add_change(it, HS_SF_NAME, NULL, name);
  if(i % 3)
    hs_item_add_change(it, HS_SF_EMAIL, NULL, email);
  if(i % 5 == 0)
    hs_item_add_change(it, HS_SF_GROUPS, NULL, "Board;Staff");
  hs_item_add_change(it, HS_SF_TYPE, NULL, HS_TYPE_PERSON);
}

static void add_other(hs_plan *plan, int action, long long sh_id,
                      const char *reason)
{
  hs_plan_item *it = hs_plan_push(plan);
  it->action = action;
  it->sh_id = sh_id;
  it->hris_id = strdup("X");
  it->name = strdup("Someone");
  if(reason)
    it->reason = strdup(reason);
  if(action == HS_ACT_UPDATE || action == HS_ACT_LEFT)
    hs_item_add_change(it, HS_SF_EMAIL, "old@x", "new@x");
}

/* n creates with a conflict and a skipped record among them; then,
** when seeded, an update of stakeholder 1 and one left. */
static void make_plan(hs_plan *plan, const char *fingerprint, int n,
                      int seeded)
{
  int i;
  memset(plan, 0, sizeof(*plan));
  memcpy(plan->fingerprint, fingerprint, 65);
  plan->connector = strdup("fx");
  for(i = 0; i < n; i++) {
    add_create(plan, i);
    if(i == n / 3)
      add_other(plan, HS_ACT_CONFLICT, 0, "two records share the HRIS id");
    if(i == n / 2)
      add_other(plan, HS_ACT_SKIPPED, 0, "no name");
  }
  if(seeded) {
    add_other(plan, HS_ACT_UPDATE, 1, NULL);
    add_other(plan, HS_ACT_LEFT, 1, "no longer returned");
  }
  hs_plan_count(plan);
}

/* Every row a run writes, but the times and what the store's own id
** makes (its fingerprint). */
static void dump(const char *path, hs_buf *out)
{
  static const char *const q[] = {
      "SELECT * FROM stakeholders ORDER BY id",
      "SELECT * FROM stakeholder_groups ORDER BY 1, 2",
      "SELECT * FROM run_items ORDER BY id",
      "SELECT id, kind, connector, config_digest, undoes, "
      "n_create, n_update, n_unchanged, n_skipped, n_conflict, n_left, "
      "n_delete FROM runs ORDER BY id",
      "SELECT * FROM meta WHERE key != 'store_id' ORDER BY key"};
  sqlite3 *db;
  size_t k;
  assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
                   SQLITE_OK);
  for(k = 0; k < sizeof(q) / sizeof(q[0]); k++) {
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, q[k], -1, &s, NULL), SQLITE_OK);
    while(sqlite3_step(s) == SQLITE_ROW) {
      int c;
      for(c = 0; c < sqlite3_column_count(s); c++) {
        const char *t = (const char *)sqlite3_column_text(s, c);
        hs_buf_puts(out, t ? t : "<null>");
        hs_buf_puts(out, "|");
      }
      hs_buf_puts(out, "\n");
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  assert_false(out->oom);
}

/* A store at path with one stakeholder (id 1) made by hand; its
** fingerprint in fp. */
static void seed(const char *path, char fp[65])
{
  hs_store *st;
  hs_registry reg;
  hs_sh sh;
  hs_err err;
  assert_int_equal(hs_store_open(path, HS_STORE_WRITE, &st, &err), HS_OK);
  memset(&sh, 0, sizeof(sh));
  sh.v[HS_SF_NAME] = "Grace Hopper";
  sh.v[HS_SF_EMAIL] = "old@x";
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(hs_store_insert(st, &sh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  assert_int_equal(hs_store_load(st, &reg, &err), HS_OK);
  memcpy(fp, reg.fingerprint, 65);
  hs_registry_clear(&reg);
  hs_store_close(st);
}

static void empty_fingerprint(char fp[65])
{
  hs_registry reg;
  hs_err err;
  assert_int_equal(hs_store_load(NULL, &reg, &err), HS_OK);
  memcpy(fp, reg.fingerprint, 65);
  hs_registry_clear(&reg);
}

static hs_rc with_meta(void *arg, hs_store *st, long long run, hs_err *err)
{
  (void)arg;
  (void)run;
  return hs_store_meta_set(st, "left", "X\n", err);
}

/* Applies plan to path the plain way. */
static void apply_plain(const char *path, const hs_plan *plan)
{
  hs_store *st;
  long long run;
  hs_err err;
  assert_int_equal(hs_store_open(path, HS_STORE_WRITE, &st, &err), HS_OK);
  assert_int_equal(hs_apply_with(st, plan, with_meta, NULL, &run, &err),
                   HS_OK);
  assert_int_equal(run, 1);
  hs_store_close(st);
}

/* Starts a stream on path (opened for writing into *st). */
static hs_apply_stream *start(const char *path, const hs_plan *plan,
                              hs_store **st)
{
  hs_apply_stream *w;
  hs_run_info info;
  hs_err err;
  assert_int_equal(hs_store_open(path, HS_STORE_WRITE, st, &err), HS_OK);
  hs_apply_run_info(plan, &info);
  assert_int_equal(hs_apply_stream_start(*st, &info, &w, &err), HS_OK);
  return w;
}

/* Feeds plan as a planner grows it: items[0..k) for growing k, the last
** `held` items (the left ones) only at the finish. */
static void feed(hs_apply_stream *w, const hs_plan *plan, size_t held)
{
  hs_plan so_far = *plan;
  size_t k;
  for(k = 0; k + held <= plan->n; k += 1 + k % 7) {
    so_far.n = k;
    hs_apply_stream_feed(w, &so_far);
  }
}

static void assert_same_stores(void)
{
  hs_buf a = HS_BUF_INIT, b = HS_BUF_INIT;
  dump(db_a, &a);
  dump(db_b, &b);
  assert_true(a.len > 1000);
  assert_string_equal(hs_buf_str(&a), hs_buf_str(&b));
  hs_buf_free(&a);
  hs_buf_free(&b);
}

static void remove_stores(void)
{
  char p[200];
  const char *const side[] = {"", "-wal", "-shm", "-journal"};
  size_t i;
  for(i = 0; i < 4; i++) {
    snprintf(p, sizeof(p), "%s%s", db_a, side[i]);
    unlink(p);
    snprintf(p, sizeof(p), "%s%s", db_b, side[i]);
    unlink(p);
  }
}

/* A new store: thousands of creates (more than a batch) streamed. */
static void stream_writes_what_apply_writes(void **state)
{
  hs_apply_stream *w;
  hs_store *st;
  hs_plan plan;
  long long run;
  char fp[65];
  hs_err err;
  (void)state;
  remove_stores();
  empty_fingerprint(fp);
  make_plan(&plan, fp, 3000, 0);
  apply_plain(db_a, &plan);
  w = start(db_b, &plan, &st);
  feed(w, &plan, 0);
  assert_int_equal(
      hs_apply_stream_finish(w, &plan, with_meta, NULL, &run, &err), HS_OK);
  assert_int_equal(run, 1);
  hs_store_close(st);
  assert_same_stores();
  hs_plan_clear(&plan);
}

/* An existing store: updates and left items too, the left ones only
** at the finish (as the planner adds them). */
static void stream_on_existing_store(void **state)
{
  hs_apply_stream *w;
  hs_store *st;
  hs_plan plan;
  long long run;
  char fp[65], fp_b[65];
  hs_err err;
  (void)state;
  remove_stores();
  seed(db_a, fp);
  seed(db_b, fp_b);
  make_plan(&plan, fp, 500, 1);
  apply_plain(db_a, &plan);
  memcpy(plan.fingerprint, fp_b, 65);
  w = start(db_b, &plan, &st);
  feed(w, &plan, 1);
  assert_int_equal(
      hs_apply_stream_finish(w, &plan, with_meta, NULL, &run, &err), HS_OK);
  assert_int_equal(run, 1);
  hs_store_close(st);
  memcpy(plan.fingerprint, fp, 65);
  assert_same_stores();
  hs_plan_clear(&plan);
}

/* A later record makes an item already written a conflict (two records
** share its HRIS id), and another one's reason is replaced: the finish
** sees it and the store ends as the finished plan says, not as fed. */
static void changed_item_redone(void **state)
{
  hs_apply_stream *w;
  hs_store *st;
  hs_plan plan;
  hs_plan_item *it;
  long long run;
  char fp[65];
  hs_err err;
  int k;
  (void)state;
  for(k = 0; k < 2; k++) {
    remove_stores();
    empty_fingerprint(fp);
    make_plan(&plan, fp, 2000, 0);
    w = start(db_b, &plan, &st);
    feed(w, &plan, 0);
    it = &plan.items[k ? plan.n / 3 + 1 : 7]; /* the conflict, a create */
    if(k) {
      free(it->reason);
      it->reason = strdup("claimed by three records");
    }
    else {
      free(it->packed);
      it->packed = NULL;
      it->n_changes = 0;
      it->action = HS_ACT_CONFLICT;
      it->reason = strdup("two records share the HRIS id E7");
    }
    hs_plan_count(&plan);
    apply_plain(db_a, &plan);
    assert_int_equal(
        hs_apply_stream_finish(w, &plan, with_meta, NULL, &run, &err), HS_OK);
    assert_int_equal(run, 1);
    hs_store_close(st);
    assert_same_stores();
    hs_plan_clear(&plan);
  }
}

static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *data;
  long n;
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = malloc((size_t)n + 1);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return data;
}

static int leftovers(void)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while((e = readdir(d)))
    if(strstr(e->d_name, ".new-"))
      n++;
  closedir(d);
  return n;
}

/* Abandoned (a guard refused the plan) after enough rows to spill pages
** out of SQLite's cache: the store is byte for byte as before; a store
** that did not exist still does not. */
static void abort_leaves_store(void **state)
{
  hs_apply_stream *w;
  hs_store *st;
  hs_plan plan;
  char fp[65], *before, *after;
  size_t nb, na;
  struct stat sb;
  (void)state;
  remove_stores();
  seed(db_a, fp);
  before = slurp(db_a, &nb);
  make_plan(&plan, fp, 20000, 1);
  w = start(db_a, &plan, &st);
  feed(w, &plan, 1);
  hs_apply_stream_abort(w);
  hs_store_close(st);
  after = slurp(db_a, &na);
  assert_int_equal(na, nb);
  assert_memory_equal(after, before, nb);
  free(before);
  free(after);
  hs_plan_clear(&plan);

  empty_fingerprint(fp);
  make_plan(&plan, fp, 5000, 0);
  w = start(db_b, &plan, &st);
  feed(w, &plan, 0);
  hs_apply_stream_abort(w);
  hs_store_close(st);
  assert_int_not_equal(stat(db_b, &sb), 0);
  assert_int_equal(leftovers(), 0);
  hs_apply_stream_abort(NULL);
  hs_plan_clear(&plan);
}

/* A registry that moved since it was read: no stream, nothing open. */
static void moved_registry_refused(void **state)
{
  hs_apply_stream *w = (hs_apply_stream *)1;
  hs_store *st;
  hs_run_info info;
  hs_plan plan;
  long long run;
  char fp[65];
  hs_err err;
  (void)state;
  remove_stores();
  seed(db_a, fp);
  make_plan(&plan, fp, 10, 1);
  plan.fingerprint[0] = plan.fingerprint[0] == 'a' ? 'b' : 'a';
  assert_int_equal(hs_store_open(db_a, HS_STORE_WRITE, &st, &err), HS_OK);
  hs_apply_run_info(&plan, &info);
  assert_int_equal(hs_apply_stream_start(st, &info, &w, &err), HS_E_REFUSED);
  assert_null(w);
  assert_non_null(strstr(err.msg, "registry changed since the plan"));
  memcpy(plan.fingerprint, fp, 65);
  assert_int_equal(hs_apply(st, &plan, &run, &err), HS_OK);
  hs_store_close(st);
  hs_plan_clear(&plan);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(stream_writes_what_apply_writes),
      cmocka_unit_test(stream_on_existing_store),
      cmocka_unit_test(changed_item_redone),
      cmocka_unit_test(abort_leaves_store),
      cmocka_unit_test(moved_registry_refused),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
