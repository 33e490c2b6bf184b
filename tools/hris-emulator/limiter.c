/* A ring of the last `max` admission times: the request is refused while
 * the oldest of them is still inside the window. */
#include "limiter.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int emu_limiter_init(emu_limiter *l, long max, int64_t window_ms)
{
  memset(l, 0, sizeof(*l));
  l->max = max;
  l->window_ms = window_ms;
  if(max > 0 && !(l->times = calloc((size_t)max, sizeof(*l->times))))
    return -1;
  return pthread_mutex_init(&l->mu, NULL) ? -1 : 0;
}

void emu_limiter_destroy(emu_limiter *l)
{
  free(l->times);
  l->times = NULL;
  pthread_mutex_destroy(&l->mu);
}

long emu_limiter_hit(emu_limiter *l)
{
  int64_t now, oldest;
  long wait = 0;

  if(l->max <= 0)
    return 0;
  now = now_ms();
  pthread_mutex_lock(&l->mu);
  if(l->n == (size_t)l->max) {
    oldest = l->times[l->head];
    if(now - oldest < l->window_ms)
      wait = (long)((oldest + l->window_ms - now + 999) / 1000);
  }
  if(!wait) {
    l->times[l->head] = now;
    l->head = (l->head + 1) % (size_t)l->max;
    if(l->n < (size_t)l->max)
      l->n++;
  }
  pthread_mutex_unlock(&l->mu);
  return wait ? (wait < 1 ? 1 : wait) : 0;
}

int emu_bucket_init(emu_bucket *b, long rate, long burst)
{
  memset(b, 0, sizeof(*b));
  b->rate = rate;
  b->burst = burst;
  b->tokens = (double)burst;
  b->last_ms = now_ms();
  return pthread_mutex_init(&b->mu, NULL) ? -1 : 0;
}

void emu_bucket_destroy(emu_bucket *b)
{
  pthread_mutex_destroy(&b->mu);
}

int emu_bucket_take(emu_bucket *b, long *left)
{
  int64_t now = now_ms();
  int ok;

  pthread_mutex_lock(&b->mu);
  b->tokens += (double)(now - b->last_ms) * (double)b->rate / 1000.0;
  if(b->tokens > (double)b->burst)
    b->tokens = (double)b->burst;
  b->last_ms = now;
  ok = b->tokens >= 1.0;
  if(ok)
    b->tokens -= 1.0;
  *left = (long)b->tokens;
  pthread_mutex_unlock(&b->mu);
  return ok;
}
