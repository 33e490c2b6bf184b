/*
** A scratch folder for the core tests that need files: DIR made by
** mkdtemp under /tmp, DB = DIR/reg.db; removed whole at teardown.
*/
#ifndef HS_TEST_CORE_SCRATCH_H
#define HS_TEST_CORE_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 0, or -1 when the folder cannot be made. name tells the tests apart. */
static inline int scratch_new(char *dir, size_t dir_cap, char *db,
                              size_t db_cap, const char *name)
{
  snprintf(dir, dir_cap, "/tmp/hs-core-%s-XXXXXX", name);
  if(!mkdtemp(dir))
    return -1;
  snprintf(db, db_cap, "%s/reg.db", dir);
  return 0;
}

static inline int scratch_free(const char *dir)
{
  char cmd[160];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  return system(cmd) == 0 ? 0 : -1;
}

#endif
