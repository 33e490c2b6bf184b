/* Sliding-window rate limiters for the documented per-system limits
 * (HiBob search 50/min, Personio employees 15/s, Lucca 50/min), enabled by
 * command-line switches. Thread-safe. */
#ifndef EMU_LIMITER_H
#define EMU_LIMITER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef struct emu_limiter {
  pthread_mutex_t mu;
  long max; /* requests per window; 0 = no limit */
  int64_t window_ms;
  int64_t *times; /* ring of the last `max` admitted request times */
  size_t head, n;
} emu_limiter;

/* Sets up a limiter of max requests per window_ms (max 0: off). Returns 0,
 * or -1 on OOM. Free with emu_limiter_destroy. */
int emu_limiter_init(emu_limiter *l, long max, int64_t window_ms);
void emu_limiter_destroy(emu_limiter *l);
/* Admits one request (returns 0) or refuses it, returning the seconds to
 * wait (>= 1) for Retry-After. Refused requests are not counted. */
long emu_limiter_hit(emu_limiter *l);
/* A token bucket (Spring Cloud Gateway, as Personio v2 is observed to
 * use): rate tokens a second, up to burst, one per request. Thread-safe. */
typedef struct emu_bucket {
  pthread_mutex_t mu;
  long rate, burst; /* rate 0 = off */
  double tokens;
  int64_t last_ms;
} emu_bucket;

int emu_bucket_init(emu_bucket *b, long rate, long burst);
void emu_bucket_destroy(emu_bucket *b);
/* Takes a token (returns 1) or refuses (0); *left gets the whole tokens
 * left after it. */
int emu_bucket_take(emu_bucket *b, long *left);

#endif
