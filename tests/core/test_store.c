/*
** Store, apply and plan files: migrations, all-or-nothing apply, the
** stale-plan refusal, the run log, and a saved plan read back.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "apply.h"
#include "planfile.h"
#include "runlog.h"
#include "scratch.h"
#include "store.h"

#include <sqlite3.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static char db[128];

static int setup(void **state)
{
  (void)state;
  return scratch_new(dir, sizeof(dir), db, sizeof(db), "store");
}

static int teardown(void **state)
{
  (void)state;
  return scratch_free(dir);
}

/* A plan creating one person and updating stakeholder `id`'s email. */
static void make_plan(hs_plan *plan, const hs_registry *reg, long long id)
{
  hs_plan_item *it;
  memset(plan, 0, sizeof(*plan));
  memcpy(plan->fingerprint, reg->fingerprint, 65);
  plan->connector = strdup("fx");
  it = hs_plan_push(plan);
  it->action = HS_ACT_CREATE;
  it->hris_id = strdup("1");
  it->name = strdup("Ada Lovelace");
  hs_item_add_change(it, HS_SF_HRIS_ID, NULL, "1");
  hs_item_add_change(it, HS_SF_NAME, NULL, "Ada Lovelace");
  hs_item_add_change(it, HS_SF_GROUPS, NULL, "Board;Staff");
  if(id) {
    it = hs_plan_push(plan);
    it->action = HS_ACT_UPDATE;
    it->sh_id = id;
    it->hris_id = strdup("2");
    it->name = strdup("Grace Hopper");
    hs_item_add_change(it, HS_SF_EMAIL, NULL, "grace@x");
  }
  it = hs_plan_push(plan);
  it->action = HS_ACT_CONFLICT;
  it->hris_id = strdup("3");
  it->reason = strdup("two of them");
  hs_plan_count(plan);
}

static void open_read_missing_creates_nothing(void **state)
{
  hs_store *st = (hs_store *)1;
  hs_registry reg;
  hs_err err;
  struct stat sb;
  (void)state;
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_null(st);
  assert_int_equal(hs_store_load(st, &reg, &err), HS_OK);
  assert_int_equal(reg.n, 0);
  assert_int_equal(strlen(reg.fingerprint), 64);
  assert_int_not_equal(stat(db, &sb), 0);
}

static void apply_all_or_nothing(void **state)
{
  hs_store *st;
  hs_registry reg, after;
  hs_plan plan;
  hs_sh sh;
  long long run;
  hs_err err;
  (void)state;
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
  assert_true(hs_store_created(st));
  /* One hand-made stakeholder. */
  memset(&sh, 0, sizeof(sh));
  sh.v[HS_SF_NAME] = "Grace Hopper";
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(hs_store_insert(st, &sh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), HS_OK);
  assert_int_equal(hs_store_load(st, &reg, &err), HS_OK);
  assert_int_equal(reg.n, 1);
  assert_string_equal(reg.items[0].v[HS_SF_TYPE], HS_TYPE_PERSON);

  /* A plan that fails halfway (no stakeholder 99) writes nothing. */
  make_plan(&plan, &reg, 99);
  assert_int_equal(hs_apply(st, &plan, &run, &err), HS_E_DB);
  assert_non_null(strstr(err.msg, "no stakeholder with id 99"));
  assert_int_equal(run, 0);
  assert_int_equal(hs_store_load(st, &after, &err), HS_OK);
  assert_string_equal(after.fingerprint, reg.fingerprint);
  hs_registry_clear(&after);
  hs_plan_clear(&plan);

  /* The real one. */
  make_plan(&plan, &reg, sh.id);
  assert_int_equal(hs_apply(st, &plan, &run, &err), HS_OK);
  assert_int_equal(run, 1);
  assert_int_equal(hs_store_load(st, &after, &err), HS_OK);
  assert_int_equal(after.n, 2);
  assert_string_equal(after.items[0].v[HS_SF_EMAIL], "grace@x");
  assert_string_equal(after.items[1].v[HS_SF_NAME], "Ada Lovelace");
  assert_string_equal(after.items[1].v[HS_SF_GROUPS], "Board;Staff");
  assert_null(after.items[0].v[HS_SF_GROUPS]);
  /* Loaded values live in the registry's arena, not a malloc each. */
  assert_non_null(after.strings);
  assert_string_not_equal(after.fingerprint, reg.fingerprint);

  /* The same plan again: the registry moved on, so it is stale. */
  assert_int_equal(hs_apply(st, &plan, &run, &err), HS_E_REFUSED);
  assert_non_null(strstr(err.msg, "registry changed since the plan"));
  hs_registry_clear(&reg);
  assert_int_equal(hs_store_load(st, &reg, &err), HS_OK);
  assert_string_equal(after.fingerprint, reg.fingerprint);
  hs_registry_clear(&after);
  hs_registry_clear(&reg);
  hs_plan_clear(&plan);
  hs_store_close(st);
}

static void run_log(void **state)
{
  hs_store *st;
  hs_run *runs, run;
  hs_run_change *c;
  size_t n, nc, i;
  int found = 0;
  hs_err err;
  (void)state;
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_non_null(st);
  assert_int_equal(hs_runlog_list(st, &runs, &n, &err), HS_OK);
  assert_int_equal(n, 1); /* the failed apply left no run */
  assert_string_equal(runs[0].connector, "fx");
  assert_int_equal(runs[0].counts[HS_ACT_CREATE], 1);
  assert_int_equal(runs[0].counts[HS_ACT_CONFLICT], 1);
  hs_runs_free(runs, n);
  assert_int_equal(hs_runlog_get(st, 1, &run, &c, &nc, &err), HS_OK);
  for(i = 0; i < nc; i++)
    if(c[i].field && !strcmp(c[i].field, "email")) {
      assert_null(c[i].before);
      assert_string_equal(c[i].after, "grace@x");
      assert_string_equal(c[i].action, "update");
      found = 1;
    }
  assert_true(found);
  hs_run_clear(&run);
  hs_run_changes_free(c, nc);
  assert_int_equal(hs_runlog_get(st, 42, &run, &c, &nc, &err), HS_E_USAGE);
  hs_store_close(st);
}

static void plan_file_round_trip(void **state)
{
  hs_registry reg = {0};
  hs_change ch[HS_ITEM_MAX_CHANGES];
  hs_plan plan, back;
  char path[160];
  struct stat sb;
  hs_err err;
  FILE *f;
  (void)state;
  hs_registry_fingerprint(&reg);
  make_plan(&plan, &reg, 7);
  plan.counts[HS_ACT_UNCHANGED] = 12;
  snprintf(path, sizeof(path), "%s/plan.json", dir);
  assert_int_equal(hs_planfile_save(&plan, path, &err), HS_OK);
  assert_int_equal(stat(path, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  assert_int_equal(hs_planfile_load(path, &back, &err), HS_OK);
  assert_string_equal(back.fingerprint, plan.fingerprint);
  assert_int_equal(back.n, 3);
  assert_int_equal(back.counts[HS_ACT_UNCHANGED], 12);
  assert_int_equal(back.counts[HS_ACT_UPDATE], 1);
  assert_int_equal(back.items[1].sh_id, 7);
  assert_int_equal(hs_item_changes(&back.items[1], ch), 1);
  assert_int_equal(ch[0].field, HS_SF_EMAIL);
  assert_string_equal(ch[0].after, "grace@x");
  assert_null(ch[0].before);
  assert_string_equal(back.items[2].reason, "two of them");
  hs_plan_clear(&back);
  hs_plan_clear(&plan);
  /* Not a plan. */
  f = fopen(path, "w");
  fputs("{\"summary\": {}}", f);
  fclose(f);
  assert_int_equal(hs_planfile_load(path, &back, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "not a saved hrsync plan"));
}

static void schema_version(void **state)
{
  hs_store *st;
  hs_err err;
  sqlite3 *h;
  (void)state;
  /* A store written by a future hrsync is refused, never migrated down. */
  assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
  /* (hrsync's own marker: a future hrsync's store is still ours) */
  assert_int_equal(sqlite3_exec(h,
                                "PRAGMA user_version=99; "
                                "PRAGMA application_id=1213363065",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(h);
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_E_DB);
  assert_non_null(strstr(err.msg, "newer than this hrsync"));
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_E_DB);
}

static void make_old_store(int v, const char *extra_sql);

/* A schema-2 store (as hrsync wrote it before the one-row-per-stakeholder
** run log) is migrated: its run_changes rows are folded into one item per
** stakeholder and read back field by field, in order, as before. */
static void migrate_run_changes(void **state)
{
  static const char *const rows =
      "INSERT INTO stakeholders(id, hris_id, name, email) VALUES "
      "(1, '7', 'Ada', 'a@x');"
      "INSERT INTO runs VALUES(1, '2026-01-01T00:00:00Z', NULL, 'fx', NULL, "
      "NULL, 1, 1, 0, 0, 1, 0);"
      "INSERT INTO run_changes(run_id, stakeholder_id, hris_id, name, "
      "action, field, before, after, reason) VALUES "
      "(1, 1, '7', 'Ada', 'create', 'hris_id', NULL, '7', NULL),"
      "(1, 1, '7', 'Ada', 'create', 'name', NULL, 'Ada', NULL),"
      "(1, 2, '8', 'Bob', 'update', 'email', 'b@x', NULL, NULL),"
      "(1, 2, '8', 'Bob', 'update', 'city', NULL, 'Bath', NULL),"
      "(1, NULL, '9', 'Cy', 'conflict', NULL, NULL, NULL, 'two'),"
      "(1, NULL, '9', 'Cy', 'conflict', NULL, NULL, NULL, 'two');";
  static const char *const want[][5] = {{"create", "hris_id", NULL, "7", NULL},
                                        {"create", "name", NULL, "Ada", NULL},
                                        {"update", "email", "b@x", NULL, NULL},
                                        {"update", "city", NULL, "Bath", NULL},
                                        {"conflict", NULL, NULL, NULL, "two"},
                                        {"conflict", NULL, NULL, NULL, "two"}};
  hs_store *st;
  hs_run run;
  hs_run_change *c;
  hs_registry reg;
  char fp[65], fp2[65];
  size_t n, i;
  hs_err err;
  sqlite3 *h;
  (void)state;
  make_old_store(2, rows);
  /* Read before any write: not migrated, the history still reads, and a
  ** plan made now matches the same store after its migration. */
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_int_equal(hs_runlog_get(st, 1, &run, &c, &n, &err), HS_OK);
  assert_int_equal(n, 6);
  assert_string_equal(c[3].field, "city");
  hs_run_clear(&run);
  hs_run_changes_free(c, n);
  assert_int_equal(hs_store_load(st, &reg, &err), HS_OK);
  memcpy(fp, reg.fingerprint, sizeof(fp));
  hs_registry_clear(&reg);
  hs_store_close(st);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
  assert_int_equal(hs_store_fingerprint(st, fp2, &err), HS_OK);
  assert_string_equal(fp, fp2);
  assert_int_equal(hs_runlog_get(st, 1, &run, &c, &n, &err), HS_OK);
  assert_string_equal(run.kind, "sync");
  assert_int_equal(run.counts[HS_ACT_CONFLICT], 1);
  assert_int_equal(n, 6);
  for(i = 0; i < n; i++) {
    assert_string_equal(c[i].action, want[i][0]);
#define CHECK_OPT(got, exp)                                                   \
  if(exp)                                                                     \
    assert_string_equal(got, exp);                                            \
  else                                                                        \
    assert_null(got);
    CHECK_OPT(c[i].field, want[i][1]);
    CHECK_OPT(c[i].before, want[i][2]);
    CHECK_OPT(c[i].after, want[i][3]);
    CHECK_OPT(c[i].reason, want[i][4]);
#undef CHECK_OPT
  }
  assert_int_equal(c[2].sh_id, 2);
  hs_run_clear(&run);
  hs_run_changes_free(c, n);
  /* One row per stakeholder now, and the old table is gone. */
  h = hs_store_db(st);
  {
    sqlite3_stmt *s;
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT count(*) FROM run_items", -1, &s, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 4);
    sqlite3_finalize(s);
  }
  assert_int_not_equal(
      sqlite3_exec(h, "SELECT 1 FROM run_changes", NULL, NULL, NULL),
      SQLITE_OK);
  hs_store_close(st);
  unlink(db);
}

/* The whole file, malloc'd, *len set; NULL if unreadable. */
static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *b;
  long n;
  if(!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  rewind(f);
  b = malloc((size_t)n + 1);
  if(b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  *len = (size_t)n;
  return b;
}

static int pragma(const char *path, const char *sql)
{
  sqlite3 *h;
  sqlite3_stmt *s;
  int v = -1;
  assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
  if(sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK) {
    if(sqlite3_step(s) == SQLITE_ROW)
      v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(h);
  return v;
}

static void exec_sql(const char *path, const char *sql)
{
  sqlite3 *h;
  assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
  assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(h);
}

/* Names in dir starting with ".reg.db.new-" (temporary stores). */
/* A store as hrsync left it at schema version v, before stores were
** marked: the migrations' own SQL, then extra_sql. */
static void make_old_store(int v, const char *extra_sql)
{
  char sql[32];
  int i;
  unlink(db);
  for(i = 0; i < v; i++)
    exec_sql(db, hs_store_migration(i));
  snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
  exec_sql(db, sql);
  if(extra_sql)
    exec_sql(db, extra_sql);
}

static int tmp_files(void)
{
  char cmd[192];
  snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -q '^\\.reg\\.db\\.new-'",
           dir);
  return system(cmd) == 0;
}

static void one_person(hs_store *st, const char *name, hs_rc want)
{
  hs_sh sh;
  hs_err err;
  memset(&sh, 0, sizeof(sh));
  sh.v[HS_SF_NAME] = (char *)name;
  assert_int_equal(hs_store_begin(st, &err), HS_OK);
  assert_int_equal(hs_store_insert(st, &sh, &err), HS_OK);
  assert_int_equal(hs_store_commit(st, &err), want);
}

/* Issue 15 case 1: a new store appears only when committed to, and a
** creation never replaces a store another process made meanwhile. */
static void new_store_published_on_commit(void **state)
{
  hs_store *a, *b, *c;
  hs_registry reg;
  hs_err err;
  struct stat sb;
  (void)state;
  unlink(db);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &a, &err), HS_OK);
  assert_true(hs_store_created(a));
  assert_int_not_equal(stat(db, &sb), 0);
  assert_true(tmp_files());
  /* b starts after a, but commits first. */
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &b, &err), HS_OK);
  one_person(b, "Committed By B", HS_OK);
  assert_int_equal(stat(db, &sb), 0);
  assert_int_equal(sb.st_mode & 0777, 0600);
  one_person(a, "Refused A", HS_E_REFUSED);
  hs_store_close(a);
  hs_store_close(b);
  assert_false(tmp_files());
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &c, &err), HS_OK);
  assert_int_equal(hs_store_load(c, &reg, &err), HS_OK);
  assert_int_equal(reg.n, 1);
  assert_string_equal(reg.items[0].v[HS_SF_NAME], "Committed By B");
  hs_registry_clear(&reg);
  hs_store_close(c);
  assert_int_equal(pragma(db, "PRAGMA application_id"), 0x48527379);
  /* Opened and closed without a commit: no file at all. */
  unlink(db);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &a, &err), HS_OK);
  hs_store_close(a);
  assert_int_not_equal(stat(db, &sb), 0);
  assert_false(tmp_files());
}

/* Issue 15 case 6: somebody else's database is never written. */
static void foreign_file_untouched(void **state)
{
  static const char *const schemas[] = {
      "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL);"
      "INSERT INTO invoices(total) VALUES (1.5);",
      "CREATE TABLE stakeholders(id INTEGER PRIMARY KEY, name TEXT);",
      "PRAGMA application_id=7; CREATE TABLE t(x);",
      "PRAGMA user_version=1; CREATE TABLE stakeholders(id INTEGER);"};
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
    hs_store *st = NULL;
    char *before, *after;
    size_t n1, n2;
    hs_err err;
    unlink(db);
    exec_sql(db, schemas[i]);
    before = slurp(db, &n1);
    assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_E_DB);
    assert_null(st);
    assert_non_null(strstr(err.msg, "not an hrsync store"));
    assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_E_DB);
    after = slurp(db, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
  }
}

/* A store of an older hrsync (schema 1, no marker) is adopted: migrated
** and marked; the same with one table more is not hrsync's. */
static void unmarked_old_store_adopted(void **state)
{
  hs_store *st;
  hs_err err;
  (void)state;
  make_old_store(1, "INSERT INTO stakeholders(name) VALUES ('Ada')");
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &st, &err), HS_OK);
  assert_non_null(st);
  {
    /* Read as it is (schema 1): no meta table, no meta facts. */
    char *v = (char *)1;
    assert_int_equal(hs_store_meta_get(st, "hris_id_field", &v, &err), HS_OK);
    assert_null(v);
  }
  hs_store_close(st);
  assert_int_equal(pragma(db, "PRAGMA application_id"), 0);
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
  hs_store_close(st);
  assert_int_equal(pragma(db, "PRAGMA application_id"), 0x48527379);
  assert_int_equal(pragma(db, "PRAGMA user_version"), HS_STORE_SCHEMA_VERSION);
  assert_int_equal(pragma(db, "SELECT count(*) FROM stakeholders"), 1);
  make_old_store(1, "CREATE TABLE extra(x)");
  assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_E_DB);
  assert_non_null(strstr(err.msg, "extra"));
}

/* In a child limited to small files (a full disk, as far as SQLite can
** tell): opening for writing must fail. Returns the child's status. */
static int open_write_limited(rlim_t bytes)
{
  pid_t pid = fork();
  int status;
  assert_true(pid >= 0);
  if(pid == 0) {
    struct rlimit rl = {bytes, bytes};
    hs_store *st = NULL;
    hs_err err;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &rl);
    if(hs_store_open(db, HS_STORE_WRITE, &st, &err) != HS_OK)
      _exit(3);
    one_person(st, "Ada", HS_OK);
    _exit(0);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* A creation or migration that runs out of space leaves the file as it
** was: no store, or the same bytes. */
static void full_disk_leaves_file(void **state)
{
  char *before, *after;
  size_t n1, n2;
  struct stat sb;
  (void)state;
  unlink(db);
  assert_int_equal(open_write_limited(8192), 3);
  assert_int_not_equal(stat(db, &sb), 0);
  assert_false(tmp_files());
  /* An empty file, made by hand: still empty. */
  fclose(fopen(db, "w"));
  assert_int_equal(open_write_limited(8192), 3);
  assert_int_equal(stat(db, &sb), 0);
  assert_int_equal(sb.st_size, 0);
  /* An old store whose migration does not fit (its WAL is the file that
  ** grows): the same bytes after. */
  unlink(db);
  {
    hs_store *st;
    hs_err err;
    assert_int_equal(hs_store_open(db, HS_STORE_WRITE, &st, &err), HS_OK);
    one_person(st, "Ada", HS_OK);
    hs_store_close(st);
  }
  exec_sql(db, "DROP TABLE meta; DROP TABLE review_queue; "
               "PRAGMA user_version=1; "
               "PRAGMA application_id=0; PRAGMA wal_checkpoint(TRUNCATE);");
  before = slurp(db, &n1);
  assert_int_equal(open_write_limited(1024), 3);
  after = slurp(db, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(before, after, n1);
  free(before);
  free(after);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(open_read_missing_creates_nothing),
      cmocka_unit_test(apply_all_or_nothing),
      cmocka_unit_test(run_log),
      cmocka_unit_test(plan_file_round_trip),
      cmocka_unit_test(schema_version),
      cmocka_unit_test(migrate_run_changes),
      cmocka_unit_test(new_store_published_on_commit),
      cmocka_unit_test(foreign_file_untouched),
      cmocka_unit_test(unmarked_old_store_adopted),
      cmocka_unit_test(full_disk_leaves_file),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
