/*
** hs-pause-shim.so: an LD_PRELOAD shim for the store-safety tests. It
** stops the process at its Nth "BEGIN" of an SQLite transaction until
** the test lets it go, so two hrsync processes can be interleaved
** exactly (e.g. A has planned and is about to apply; B runs meanwhile).
**
**   HS_PAUSE_DIR=DIR HS_PAUSE_AT=N LD_PRELOAD=hs-pause-shim.so hrsync ...
**
** At the Nth BEGIN it creates DIR/reached (holding its pid), then waits
** (at most 30 s) for DIR/go. Without HS_PAUSE_DIR it only forwards.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int (*exec_fn)(void *, const char *,
                       int (*)(void *, int, char **, char **), void *,
                       char **);

static void pause_here(const char *dir)
{
  char reached[4096], go[4096];
  struct timespec ts = {0, 10 * 1000 * 1000};
  FILE *f;
  int i;
  snprintf(reached, sizeof(reached), "%s/reached", dir);
  snprintf(go, sizeof(go), "%s/go", dir);
  if((f = fopen(reached, "w"))) {
    fprintf(f, "%ld\n", (long)getpid());
    fclose(f);
  }
  for(i = 0; i < 3000 && access(go, F_OK) != 0; i++)
    nanosleep(&ts, NULL);
}

__attribute__((visibility("default"))) int
sqlite3_exec(void *db, const char *sql,
                 int (*cb)(void *, int, char **, char **), void *arg,
                 char **errmsg)
{
  static exec_fn real;
  static int begins;
  const char *dir = getenv("HS_PAUSE_DIR");
  const char *at = getenv("HS_PAUSE_AT");
  if(!real)
    real = (exec_fn)dlsym(RTLD_NEXT, "sqlite3_exec");
  if(dir && at && sql && !strncmp(sql, "BEGIN", 5) && ++begins == atoi(at))
    pause_here(dir);
  return real(db, sql, cb, arg, errmsg);
}
