/* Shared glue for the emulator tests: one emulator per test group, started
 * from the binary given as argv[1]. Included by each test file only. */
#ifndef EMU_TEST_COMMON_H
#define EMU_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_client.h"

static const char *emu_bin;
static emu_proc emu;

/* Starts the group's emulator with the fixture and a pinned today. */
static int start_with(const char *const *extra)
{
  const char *args[32] = {"--fixture", EMU_FIXTURE, "--today", "2026-06-15"};
  int n = 4, i;

  for(i = 0; extra && extra[i] && n < 31; i++)
    args[n++] = extra[i];
  args[n] = NULL;
  return emu_proc_start(&emu, emu_bin, args);
}

static int group_setup(void **state)
{
  (void)state;
  return start_with(NULL);
}

static int group_teardown(void **state)
{
  (void)state;
  /* Exit status 0 means a clean SIGTERM exit (and no leaks under ASan). */
  return emu_proc_stop(&emu) == 0 ? 0 : -1;
}

/* Performs a request against `emu`; asserts an HTTP answer came back. */
static inline void req(http_res *r, const char *method, const char *path,
                       const char *const *hdrs, const char *userpwd,
                       const char *body)
{
  char url[512];

  emu_url(&emu, path, url, sizeof(url));
  assert_int_equal(http_do(method, url, hdrs, userpwd, body, r), 0);
}

static int run_main(int argc, char **argv, const struct CMUnitTest *tests,
                    size_t n, const char *name)
{
  if(argc < 2) {
    fprintf(stderr, "usage: %s PATH/TO/hris-emulator\n", argv[0]);
    return 2;
  }
  emu_bin = argv[1];
  return _cmocka_run_group_tests(name, tests, n, group_setup, group_teardown);
}

#endif
