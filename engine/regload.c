/*
** The loading thread. Handing over the store at pthread_create and
** taking the results at pthread_join is all the synchronisation there
** is: both order memory, and nothing is shared while it runs.
*/
#include "regload.h"

#include "store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct hs_regload {
  hs_store *st;     /* the thread's from start until it closes it */
  hs_registry *reg; /* the thread's until joined */
  hs_matcher *match;
  hs_rc rc;
  hs_err err;
  unsigned char need[HS_SF_COUNT];
  int some; /* need says which fields; else all */
  pthread_t thread;
  int running;     /* a thread to join */
  atomic_int done; /* the thread's work is over (set last by it) */
};

/* Loads, closes the store, indexes: the whole job, on whichever thread. */
static void load(hs_regload *l)
{
  l->rc =
      hs_store_load_fields(l->st, l->reg, l->some ? l->need : NULL, &l->err);
  hs_store_close(l->st);
  l->st = NULL;
  if(!l->rc && (l->rc = hs_match_new(l->reg, &l->match, &l->err)))
    hs_registry_clear(l->reg);
  atomic_store(&l->done, 1);
}

static void *run(void *arg)
{
  load(arg);
  return NULL;
}

static void read_meta(hs_store *st, hs_regload_meta *meta)
{
  hs_err ignored;
  /* A store from before the meta table has no record of it: not an
  ** error, the next sync records it. */
  meta->hris_prev = meta->left_prev = NULL;
  if(meta->hris_key &&
     hs_store_meta_get(st, meta->hris_key, &meta->hris_prev, &ignored))
    meta->hris_prev = NULL;
  if(meta->left_key &&
     hs_store_meta_get(st, meta->left_key, &meta->left_prev, &ignored))
    meta->left_prev = NULL;
}

hs_rc hs_regload_start(const char *db, hs_registry *reg, hs_regload_meta *meta,
                       hs_regload **out, hs_err *err)
{
  return hs_regload_start_fields(db, reg, NULL, meta, out, err);
}

hs_rc hs_regload_start_fields(const char *db, hs_registry *reg,
                              const unsigned char *need, hs_regload_meta *meta,
                              hs_regload **out, hs_err *err)
{
  hs_regload *l = calloc(1, sizeof(*l));
  hs_rc rc;
  *out = NULL;
  memset(reg, 0, sizeof(*reg));
  if(!l)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((l->some = need != NULL))
    memcpy(l->need, need, sizeof(l->need));
  hs_err_clear(&l->err);
  atomic_init(&l->done, 0);
  l->reg = reg;
  if((rc = hs_store_open(db, HS_STORE_READ, &l->st, err))) {
    free(l);
    return rc;
  }
  read_meta(l->st, meta);
  /* No store, or no thread to be had: the same work, here and now. */
  if(!l->st || pthread_create(&l->thread, NULL, run, l))
    load(l);
  else
    l->running = 1;
  *out = l;
  return HS_OK;
}

int hs_regload_done(hs_regload *l)
{
  return atomic_load(&l->done);
}

hs_rc hs_regload_wait(hs_regload *l, hs_matcher **m, hs_err *err)
{
  if(m)
    *m = NULL;
  if(l->running) {
    pthread_join(l->thread, NULL);
    l->running = 0;
  }
  if(l->rc) {
    *err = l->err;
    return l->rc;
  }
  if(m) {
    *m = l->match;
    l->match = NULL;
  }
  return HS_OK;
}

void hs_regload_free(hs_regload *l)
{
  if(!l)
    return;
  if(l->running)
    pthread_join(l->thread, NULL);
  hs_match_free(l->match);
  free(l);
}
