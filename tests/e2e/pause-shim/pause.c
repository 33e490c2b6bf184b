/*
** hs-pause-shim.so: an LD_PRELOAD shim for the store-safety and crash
** tests. It stops (or SIGKILLs) the process at an exact point of its
** SQLite use, so two hrsync processes can be interleaved exactly, or a
** crash placed at BEGIN, the k-th row, COMMIT or the close-time
** checkpoint.
**
**   HS_PAUSE_AT=N      the Nth occurrence of the point below
**   HS_PAUSE_ON=WHAT   BEGIN (default) or COMMIT: sqlite3_exec of SQL
**                      starting so, before it runs; COMMIT+: just after
**                      COMMIT returned; step: sqlite3_step; close:
**                      sqlite3_close (before its checkpoint)
**   HS_PAUSE_KILL=1    SIGKILL itself there (a crash) instead of pausing
**   HS_PAUSE_DIR=DIR   pausing: creates DIR/reached (holding the pid),
**                      then waits (at most 30 s) for DIR/go
**   HS_SHIM_COUNT=FILE at exit, how many of each point were passed
**
** Without HS_PAUSE_AT and HS_SHIM_COUNT it only forwards.
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef int (*exec_fn)(void *, const char *,
                       int (*)(void *, int, char **, char **), void *,
                       char **);
typedef int (*one_fn)(void *);

enum { P_BEGIN, P_COMMIT, P_COMMIT_AFTER, P_STEP, P_CLOSE, P_COUNT };
static const char *const names[P_COUNT] = {"BEGIN", "COMMIT", "COMMIT+",
                                           "step", "close"};
static long seen[P_COUNT];

static void stop_here(void)
{
  const char *dir = getenv("HS_PAUSE_DIR");
  char reached[4096], go[4096];
  struct timespec ts = {0, 10 * 1000 * 1000};
  FILE *f;
  int i;
  if(getenv("HS_PAUSE_KILL"))
    raise(SIGKILL);
  if(!dir)
    return;
  snprintf(reached, sizeof(reached), "%s/reached", dir);
  snprintf(go, sizeof(go), "%s/go", dir);
  if((f = fopen(reached, "w"))) {
    fprintf(f, "%ld\n", (long)getpid());
    fclose(f);
  }
  for(i = 0; i < 3000 && access(go, F_OK) != 0; i++)
    nanosleep(&ts, NULL);
}

/* Counts point p; stops there when it is the chosen one. */
static void passed(int p)
{
  const char *on = getenv("HS_PAUSE_ON");
  const char *at = getenv("HS_PAUSE_AT");
  seen[p]++;
  if(at && !strcmp(on ? on : "BEGIN", names[p]) && seen[p] == atol(at))
    stop_here();
}

EXPORT int sqlite3_exec(void *db, const char *sql,
                        int (*cb)(void *, int, char **, char **), void *arg,
                        char **errmsg)
{
  static exec_fn real;
  int rc, commit = sql && !strncmp(sql, "COMMIT", 6);
  if(!real)
    real = (exec_fn)dlsym(RTLD_NEXT, "sqlite3_exec");
  if(sql && !strncmp(sql, "BEGIN", 5))
    passed(P_BEGIN);
  if(commit)
    passed(P_COMMIT);
  rc = real(db, sql, cb, arg, errmsg);
  if(commit)
    passed(P_COMMIT_AFTER);
  return rc;
}

EXPORT int sqlite3_step(void *stmt)
{
  static one_fn real;
  if(!real)
    real = (one_fn)dlsym(RTLD_NEXT, "sqlite3_step");
  passed(P_STEP);
  return real(stmt);
}

EXPORT int sqlite3_close(void *db)
{
  static one_fn real;
  if(!real)
    real = (one_fn)dlsym(RTLD_NEXT, "sqlite3_close");
  if(db)
    passed(P_CLOSE);
  return real(db);
}

__attribute__((destructor)) static void report(void)
{
  const char *path = getenv("HS_SHIM_COUNT");
  FILE *f;
  int p;
  if(!path || !(f = fopen(path, "w")))
    return;
  for(p = 0; p < P_COUNT; p++)
    fprintf(f, "%s %ld\n", names[p], seen[p]);
  fclose(f);
}
