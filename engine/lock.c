/*
** The store's write lock: flock on STORE.lock, holding the holder's pid.
*/
#include "lock.h"

#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct hs_lock {
  int fd;
};

/* The holder's pid as written in the lock file, 0 if none yet: a holder
** that has just taken the lock may not have written it, so wait a little
** (bounded: 50 ms) for it. */
static long holder_pid(int fd)
{
  struct timespec ts = {0, 5 * 1000 * 1000};
  int tries;
  for(tries = 0; tries < 10; tries++) {
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if(n > 0) {
      long pid;
      buf[n] = '\0';
      pid = strtol(buf, NULL, 10);
      if(pid > 0)
        return pid;
    }
    nanosleep(&ts, NULL);
  }
  return 0;
}

static hs_rc busy(const char *store_path, int fd, hs_err *err)
{
  long pid = holder_pid(fd);
  if(pid)
    return hs_err_set(err, HS_E_REFUSED,
                      "another hrsync is writing to %s (pid %ld); nothing "
                      "written, try again when it has finished",
                      store_path, pid);
  return hs_err_set(err, HS_E_REFUSED,
                    "another hrsync is writing to %s; nothing written, try "
                    "again when it has finished",
                    store_path);
}

/* Records our pid for the next process that finds the lock taken. A
** failure here (disk full) is not worth refusing the run: the lock is
** held either way, only the message would lack the pid. */
static void write_pid(int fd)
{
  char buf[32];
  int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
  if(ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)n, 0) == n)
    return;
}

hs_rc hs_lock_acquire(const char *store_path, hs_lock **out, hs_err *err)
{
  hs_buf path = HS_BUF_INIT;
  hs_lock *lk;
  int fd;
  *out = NULL;
  if(hs_buf_printf(&path, "%s.lock", store_path))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  /* Private like the store: the pid is harmless, but the folder's
  ** readers need not see it change. */
  fd =
      open(hs_buf_str(&path), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if(fd < 0) {
    hs_rc rc = hs_err_set(err, HS_E_IO,
                          "%s: cannot write beside the store "
                          "(%s): %s",
                          store_path, hs_buf_str(&path), strerror(errno));
    hs_buf_free(&path);
    return rc;
  }
  hs_buf_free(&path);
  while(flock(fd, LOCK_EX | LOCK_NB) != 0) {
    hs_rc rc;
    if(errno == EINTR)
      continue;
    if(errno == EWOULDBLOCK)
      rc = busy(store_path, fd, err);
    else
      rc = hs_err_set(err, HS_E_IO, "%s: cannot lock the store: %s",
                      store_path, strerror(errno));
    close(fd);
    return rc;
  }
  if(!(lk = malloc(sizeof(*lk)))) {
    close(fd);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  write_pid(fd);
  lk->fd = fd;
  *out = lk;
  return HS_OK;
}

void hs_lock_release(hs_lock *lock)
{
  if(!lock)
    return;
  /* Empty again, so a pid left there never names a process that has
  ** finished; closing drops the flock. */
  if(ftruncate(lock->fd, 0) != 0) {
    /* Harmless: the next holder overwrites it. */
  }
  close(lock->fd);
  free(lock);
}
