/*
** Streaming apply: a plan's items written on a second thread while the
** plan is made (apply.h). The planner's items are never shared: the main
** thread copies each finished item into a batch (a flat record of what
** the apply reads: action, stakeholder, hris_id, name, reason, the packed
** changes) and hands full batches over a small bounded queue; the writer
** rebuilds an item from each record and writes it with the same code as
** hs_apply_with. At the finish the writer has stopped (joined), and the
** plan's items are compared with what was written by a digest of each
** record (SHA-256, libcrypto: no HR value can be made to collide); any
** difference and the run is redone.
*/
#include "apply.h"

#include "apply_int.h"
#include "buf.h"
#include "digest.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A batch is handed over once this full; at most QUEUE_MAX wait. */
#define BATCH_BYTES (64 * 1024)
#define QUEUE_MAX   8
#define NO_STR      UINT32_MAX

/* One item in a batch: this, then its strings (each with its NUL) and its
** packed changes, in the order of len. */
typedef struct item_head {
  long long sh_id;
  int action;
  uint32_t n_changes;
  uint32_t len[4]; /* hris_id, name, reason, packed; NO_STR when NULL */
} item_head;

struct hs_apply_stream {
  hs_store *st;
  hs_runlog *rl;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t more, room;
  /* Under mu: full batches waiting (a ring), empty ones to reuse. */
  hs_buf *queue[QUEUE_MAX];
  size_t qhead, qlen;
  hs_buf *spare[QUEUE_MAX + 1];
  size_t nspare;
  int done, stop; /* no more batches; stop: drop them unwritten */
  /* The main thread's. */
  hs_buf *cur;    /* the batch being filled */
  size_t sent;    /* items of the plan copied so far */
  int broken;     /* a copy failed (no memory): redo at the finish */
  hs_buf scratch; /* the finish's copies */
  /* The writer's until it is joined. */
  hs_sha256_ctx *wsha;         /* the writer's */
  unsigned char (*digest)[32]; /* of each item written, in order */
  size_t written, cap;
  hs_rc rc; /* the first failed write */
  hs_err err;
};

/* The bytes of it's packed changes. */
static size_t packed_len(const hs_plan_item *it)
{
  hs_change c[HS_ITEM_MAX_CHANGES];
  size_t i, n = hs_item_changes(it, c);
  const char *end = (const char *)it->packed + 2 * n;
  for(i = 0; i < n; i++) {
    if(c[i].before)
      end = c[i].before + strlen(c[i].before) + 1;
    if(c[i].after)
      end = c[i].after + strlen(c[i].after) + 1;
  }
  return (size_t)(end - (const char *)it->packed);
}

static uint32_t str_len(const char *s)
{
  return s ? (uint32_t)(strlen(s) + 1) : NO_STR;
}

/* Appends it's record to b; -1 on no memory. */
static int put_item(hs_buf *b, const hs_plan_item *it)
{
  const void *part[4];
  item_head h;
  size_t i, total = sizeof(h);
  memset(&h, 0, sizeof(h));
  h.sh_id = it->sh_id;
  h.action = it->action;
  h.n_changes = (uint32_t)it->n_changes;
  part[0] = it->hris_id;
  part[1] = it->name;
  part[2] = it->reason;
  part[3] = it->packed;
  h.len[0] = str_len(it->hris_id);
  h.len[1] = str_len(it->name);
  h.len[2] = str_len(it->reason);
  h.len[3] = it->packed ? (uint32_t)packed_len(it) : NO_STR;
  for(i = 0; i < 4; i++)
    total += h.len[i] == NO_STR ? 0 : h.len[i];
  if(hs_buf_reserve(b, total))
    return -1;
  hs_buf_append(b, &h, sizeof(h));
  for(i = 0; i < 4; i++)
    if(h.len[i] != NO_STR)
      hs_buf_append(b, part[i], h.len[i]);
  return 0;
}

/* The item whose record starts at p (a view into the batch); the
** record's length. */
static size_t get_item(const char *p, hs_plan_item *it)
{
  char *part[4];
  item_head h;
  size_t i, off = sizeof(h);
  memcpy(&h, p, sizeof(h));
  for(i = 0; i < 4; i++) {
    part[i] = h.len[i] == NO_STR ? NULL : (char *)p + off;
    off += h.len[i] == NO_STR ? 0 : h.len[i];
  }
  memset(it, 0, sizeof(*it));
  it->action = h.action;
  it->sh_id = h.sh_id;
  it->hris_id = part[0];
  it->name = part[1];
  it->reason = part[2];
  it->packed = (unsigned char *)part[3];
  it->n_changes = h.n_changes;
  return off;
}

/* Writes the items of batch b (the writer thread). */
static void write_batch(hs_apply_stream *w, const hs_buf *b)
{
  size_t off = 0;
  while(off < b->len) {
    hs_plan_item it;
    size_t n = get_item(b->data + off, &it);
    if(w->written == w->cap) {
      size_t cap = w->cap ? w->cap * 2 : 1024;
      unsigned char(*d)[32] = realloc(w->digest, cap * sizeof(*d));
      if(!d) {
        w->rc = hs_err_set(&w->err, HS_E_NOMEM, "out of memory");
        return;
      }
      w->digest = d;
      w->cap = cap;
    }
    if(hs_sha256_raw(w->wsha, b->data + off, n, w->digest[w->written++])) {
      w->rc = hs_err_set(&w->err, HS_E_NOMEM, "out of memory");
      return;
    }
    if((w->rc = hs_apply_one(w->st, w->rl, &it, &w->err)))
      return;
    off += n;
  }
}

static void *writer(void *arg)
{
  hs_apply_stream *w = arg;
  for(;;) {
    hs_buf *b;
    int skip;
    pthread_mutex_lock(&w->mu);
    while(!w->qlen && !w->done)
      pthread_cond_wait(&w->more, &w->mu);
    if(!w->qlen) {
      pthread_mutex_unlock(&w->mu);
      return NULL;
    }
    b = w->queue[w->qhead];
    w->qhead = (w->qhead + 1) % QUEUE_MAX;
    w->qlen--;
    skip = w->stop;
    pthread_cond_signal(&w->room);
    pthread_mutex_unlock(&w->mu);
    /* After a failure the batches are still taken (the planner must not
    ** wait forever), not written: the finish redoes the run. */
    if(!skip && !w->rc)
      write_batch(w, b);
    hs_buf_reset(b);
    pthread_mutex_lock(&w->mu);
    w->spare[w->nspare++] = b;
    pthread_mutex_unlock(&w->mu);
  }
}

/* Queues the batch being filled and takes an empty one (the main
** thread); waits while the queue is full. */
static void hand_over(hs_apply_stream *w)
{
  hs_buf *next = NULL;
  pthread_mutex_lock(&w->mu);
  while(w->qlen == QUEUE_MAX)
    pthread_cond_wait(&w->room, &w->mu);
  w->queue[(w->qhead + w->qlen++) % QUEUE_MAX] = w->cur;
  pthread_cond_signal(&w->more);
  if(w->nspare)
    next = w->spare[--w->nspare];
  pthread_mutex_unlock(&w->mu);
  if(!next && !(next = calloc(1, sizeof(*next))))
    w->broken = 1;
  w->cur = next;
}

static void stream_free(hs_apply_stream *w)
{
  size_t i;
  for(i = 0; i < w->nspare; i++) {
    hs_buf_free(w->spare[i]);
    free(w->spare[i]);
  }
  for(i = 0; i < w->qlen; i++) {
    hs_buf_free(w->queue[(w->qhead + i) % QUEUE_MAX]);
    free(w->queue[(w->qhead + i) % QUEUE_MAX]);
  }
  if(w->cur) {
    hs_buf_free(w->cur);
    free(w->cur);
  }
  hs_buf_free(&w->scratch);
  hs_runlog_free(w->rl);
  free(w->digest);
  hs_sha256_ctx_free(w->wsha);
  pthread_mutex_destroy(&w->mu);
  pthread_cond_destroy(&w->more);
  pthread_cond_destroy(&w->room);
  free(w);
}

/* Ends the writer: the last batch queued (unless stop), joined. */
static void join_writer(hs_apply_stream *w, int stop)
{
  if(!stop && w->cur && w->cur->len)
    hand_over(w);
  pthread_mutex_lock(&w->mu);
  w->done = 1;
  w->stop |= stop;
  pthread_cond_signal(&w->more);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
}

hs_rc hs_apply_stream_start(hs_store *st, const hs_run_info *info,
                            hs_apply_stream **out, hs_err *err)
{
  hs_apply_stream *w;
  hs_rc rc;
  *out = NULL;
  if(!(w = calloc(1, sizeof(*w))) || !(w->cur = calloc(1, sizeof(*w->cur)))) {
    free(w);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  w->st = st;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->more, NULL);
  pthread_cond_init(&w->room, NULL);
  if(!(w->wsha = hs_sha256_ctx_new())) {
    stream_free(w);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if((rc = hs_apply_open(st, info, 1, &w->rl, err))) {
    stream_free(w);
    return rc;
  }
  if(pthread_create(&w->thread, NULL, writer, w)) {
    hs_store_rollback(st);
    stream_free(w);
    return hs_err_set(err, HS_E_NOMEM, "cannot start the writer thread");
  }
  *out = w;
  return HS_OK;
}

void hs_apply_stream_feed(hs_apply_stream *w, const hs_plan *so_far)
{
  if(!w || w->broken)
    return;
  /* The planner only ever drops the item of the record just planned
  ** (before it was handed over): fewer items means something else. */
  if(so_far->n < w->sent) {
    w->broken = 1;
    return;
  }
  for(; w->sent < so_far->n; w->sent++)
    if(put_item(w->cur, &so_far->items[w->sent])) {
      w->broken = 1;
      return;
    }
  if(w->cur->len >= BATCH_BYTES)
    hand_over(w);
}

/* True when items[0..written) of plan are, byte for byte, the records the
** writer wrote (the main thread, after the join). */
static int same_as_written(hs_apply_stream *w, const hs_plan *plan)
{
  size_t i;
  int same = 1;
  if(w->broken || w->rc || w->written != w->sent || plan->n < w->sent)
    return 0;
  /* The writer is joined: its context is the main thread's now. */
  for(i = 0; i < w->written && same; i++) {
    unsigned char d[32];
    hs_buf_reset(&w->scratch);
    same = !put_item(&w->scratch, &plan->items[i]) &&
           !hs_sha256_raw(w->wsha, w->scratch.data, w->scratch.len, d) &&
           !memcmp(d, w->digest[i], sizeof(d));
  }
  return same;
}

hs_rc hs_apply_stream_finish(hs_apply_stream *w, const hs_plan *plan,
                             hs_apply_fn fn, void *arg, long long *run_id,
                             hs_err *err)
{
  hs_store *st = w->st;
  hs_runlog *rl;
  size_t i;
  hs_rc rc = HS_OK;
  *run_id = 0;
  join_writer(w, 0);
  if(!same_as_written(w, plan)) {
    /* Redone from the start, exactly as without the stream. */
    hs_store_rollback(st);
    stream_free(w);
    return hs_apply_with(st, plan, fn, arg, run_id, err);
  }
  for(i = w->written; i < plan->n && !rc; i++)
    rc = hs_apply_one(st, w->rl, &plan->items[i], err);
  rl = w->rl;
  w->rl = NULL;
  if(rc) {
    hs_runlog_free(rl);
    hs_store_rollback(st);
  }
  else {
    *run_id = hs_runlog_id(rl);
    if((rc = hs_apply_close(st, rl, plan, fn, arg, err)))
      *run_id = 0;
  }
  stream_free(w);
  return rc;
}

void hs_apply_stream_abort(hs_apply_stream *w)
{
  if(!w)
    return;
  join_writer(w, 1);
  hs_runlog_free(w->rl);
  w->rl = NULL;
  hs_store_rollback(w->st);
  stream_free(w);
}
