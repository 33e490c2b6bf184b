/*
** The store's write lock: a second writer is refused at once, naming the
** holder's pid; released, it can be taken again; the store itself need
** not exist.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "lock.h"
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];
static char db[128];

static int setup(void **state)
{
  (void)state;
  return scratch_new(dir, sizeof(dir), db, sizeof(db), "lock");
}

static int teardown(void **state)
{
  (void)state;
  return scratch_free(dir);
}

static void second_writer_refused(void **state)
{
  hs_lock *a = NULL, *b = NULL;
  char want[64];
  hs_err err;
  struct stat sb;
  (void)state;
  hs_err_clear(&err);
  assert_int_equal(hs_lock_acquire(db, &a, &err), HS_OK);
  assert_non_null(a);
  /* A lock is per open file: a second open in this process conflicts
  ** exactly as another process would. */
  assert_int_equal(hs_lock_acquire(db, &b, &err), HS_E_REFUSED);
  assert_null(b);
  snprintf(want, sizeof(want), "(pid %ld)", (long)getpid());
  assert_non_null(strstr(err.msg, "another hrsync is writing to"));
  assert_non_null(strstr(err.msg, db));
  assert_non_null(strstr(err.msg, want));
  /* Taking the lock creates no store. */
  assert_int_not_equal(stat(db, &sb), 0);
  hs_lock_release(a);
  assert_int_equal(hs_lock_acquire(db, &b, &err), HS_OK);
  hs_lock_release(b);
  hs_lock_release(NULL);
}

/* A holder that dies (here: _exit without releasing) leaves no stale lock. */
static void dead_holder_leaves_no_lock(void **state)
{
  hs_lock *a = NULL;
  hs_err err;
  int status;
  pid_t pid;
  (void)state;
  hs_err_clear(&err);
  pid = fork();
  assert_true(pid >= 0);
  if(pid == 0) {
    hs_lock *c = NULL;
    _exit(hs_lock_acquire(db, &c, &err) == HS_OK ? 0 : 1);
  }
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  assert_int_equal(hs_lock_acquire(db, &a, &err), HS_OK);
  hs_lock_release(a);
}

static void unwritable_folder(void **state)
{
  hs_lock *a = NULL;
  hs_err err;
  (void)state;
  hs_err_clear(&err);
  assert_int_equal(hs_lock_acquire("/nonexistent-hs/reg.db", &a, &err),
                   HS_E_IO);
  assert_null(a);
  assert_non_null(strstr(err.msg, "/nonexistent-hs/reg.db.lock"));
  assert_non_null(strstr(err.msg, "No such file or directory"));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(second_writer_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(dead_holder_leaves_no_lock, setup,
                                      teardown),
      cmocka_unit_test(unwritable_folder),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
