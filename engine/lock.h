/*
** hs_lock: one writer at a time per store.
**
** Every command that writes the registry (sync, import, link/unlink,
** undo, review decisions) takes the store's lock before it reads what it
** is going to change, and holds it until it has committed or given up.
** A second writer is refused at once (HS_E_REFUSED, exit 3) with
** "another hrsync is writing to STORE (pid N)", instead of waiting on
** SQLite's busy timeout and failing with "database is locked".
**
** The lock is flock(LOCK_EX | LOCK_NB) on STORE.lock beside the store,
** which holds the holder's pid (for that message only). The kernel drops
** it when the holder exits, however it exits (SIGKILL included), so a
** stale lock cannot exist. The file itself is never removed: removing a
** lock file that others may have open lets two processes lock two
** different inodes under one name.
**
** Readers (preview, export, stakeholders, runs) take no lock: SQLite's
** WAL gives them a consistent snapshot while a writer works.
**
**   hs_lock *lk = NULL;
**   if((rc = hs_lock_acquire(db_path, &lk, &err)))
**     return rc;          // refused, or the folder is not writable
**   ... open the store for writing, write, commit ...
**   hs_lock_release(lk);
*/
#ifndef HS_LOCK_H
#define HS_LOCK_H

#include "err.h"

typedef struct hs_lock hs_lock;

/* Takes the write lock of the store at store_path (the store itself need
** not exist yet: creating it is a write). On success *out owns the lock;
** release it with hs_lock_release. Fails with HS_E_REFUSED when another
** process holds it, HS_E_IO when STORE.lock cannot be created (read-only
** folder or mount, full disk), naming the path and the reason. */
hs_rc hs_lock_acquire(const char *store_path, hs_lock **out, hs_err *err);

/* Releases and frees lock; NULL is a no-op. */
void hs_lock_release(hs_lock *lock);

#endif
