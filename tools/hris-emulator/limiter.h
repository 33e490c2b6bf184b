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

#endif
