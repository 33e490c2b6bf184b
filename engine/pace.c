/*
** hs_pace: sliding windows over request lifetimes, and holds from
** rate-limit headers (pace.h says why both).
*/
#include "pace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define IN_FLIGHT INT64_MAX
#define NEVER     INT64_MIN
#define MAX_SLOTS 100000u
/* A header asking for more than this (or the declared window) is read
** as this: a broken Reset must not stall a run for an hour. */
#define HEADER_WAIT_MAX_MS 60000L
/* All of a window's slots in flight: look again this soon (a curl multi
** wakes earlier on the answer itself). */
#define ALL_IN_FLIGHT_MS 10L

enum { W_DECLARED, W_SECOND, W_HEADER, N_WINDOWS };

typedef struct window {
  uint32_t max; /* 0 = no window */
  int64_t span; /* ms */
  int64_t *end; /* per slot: NEVER, IN_FLIGHT, or when its answer came */
  unsigned gen; /* bumped when replaced, so old tickets are ignored */
} window;

struct hs_pace {
  window w[N_WINDOWS];
  unsigned gen[N_WINDOWS];
  int64_t hold_until; /* no start before this */
  long budget;        /* starts left by the last Remaining header; -1 */
  int64_t reset_at;   /* when that budget comes back */
  long in_flight;
};

int64_t hs_pace_now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

hs_pace *hs_pace_new(void)
{
  hs_pace *p = calloc(1, sizeof(*p));
  if(p)
    p->budget = -1;
  return p;
}

void hs_pace_free(hs_pace *p)
{
  int i;
  if(!p)
    return;
  for(i = 0; i < N_WINDOWS; i++)
    free(p->w[i].end);
  free(p);
}

/* Replaces window i by max per span ms (max 0: none). */
static int set_window(hs_pace *p, int i, uint32_t max, int64_t span)
{
  window *w = &p->w[i];
  int64_t *end = NULL;
  uint32_t k;
  if(max > MAX_SLOTS)
    max = MAX_SLOTS;
  if(w->max == max && w->span == span)
    return 0;
  if(max && !(end = malloc(max * sizeof(*end))))
    return -1;
  for(k = 0; k < max; k++)
    end[k] = NEVER;
  free(w->end);
  w->end = end;
  w->max = max;
  w->span = span;
  w->gen = ++p->gen[i];
  return 0;
}

int hs_pace_declare(hs_pace *p, uint32_t requests, uint32_t seconds)
{
  uint32_t share;
  if(!requests || !seconds)
    return set_window(p, W_DECLARED, 0, 0) || set_window(p, W_SECOND, 0, 0)
               ? -1
               : 0;
  share = requests >= seconds ? (requests + seconds - 1) / seconds : 0;
  if(set_window(p, W_DECLARED, requests, (int64_t)seconds * 1000))
    return -1;
  return set_window(p, W_SECOND, seconds > 1 ? share : 0, 1000);
}

long hs_pace_window_ms(const hs_pace *p)
{
  return p && p->w[W_DECLARED].max ? (long)p->w[W_DECLARED].span : 0;
}

/* ms until window w has a free slot (0: now). */
static long window_wait(const window *w, int64_t now)
{
  int64_t first = IN_FLIGHT;
  uint32_t k;
  for(k = 0; k < w->max; k++) {
    if(w->end[k] == NEVER ||
       (w->end[k] != IN_FLIGHT && w->end[k] + w->span <= now))
      return 0;
    if(w->end[k] < first)
      first = w->end[k];
  }
  if(first == IN_FLIGHT)
    return ALL_IN_FLIGHT_MS;
  return (long)(first + w->span - now);
}

long hs_pace_wait_ms(hs_pace *p, int64_t now)
{
  long wait = 0;
  int i;
  if(!p)
    return 0;
  if(p->hold_until > now)
    wait = (long)(p->hold_until - now);
  for(i = 0; i < N_WINDOWS; i++) {
    long ww = p->w[i].max ? window_wait(&p->w[i], now) : 0;
    if(ww > wait)
      wait = ww;
  }
  return wait;
}

void hs_pace_hold(hs_pace *p, int64_t now, long ms)
{
  if(p && ms > 0 && now + ms > p->hold_until)
    p->hold_until = now + ms;
}

void hs_pace_start(hs_pace *p, int64_t now, hs_pace_ticket *t)
{
  int i;
  for(i = 0; i < N_WINDOWS; i++)
    t->slot[i] = -1;
  if(!p)
    return;
  for(i = 0; i < N_WINDOWS; i++) {
    window *w = &p->w[i];
    uint32_t k;
    for(k = 0; k < w->max; k++)
      if(w->end[k] == NEVER ||
         (w->end[k] != IN_FLIGHT && w->end[k] + w->span <= now))
        break;
    if(k < w->max) {
      w->end[k] = IN_FLIGHT;
      t->slot[i] = (int)k;
      /* A ticket from before a redeclaration frees nothing in the new
      ** window. */
      t->gen[i] = w->gen;
    }
  }
  p->in_flight++;
  if(p->budget > 0 && --p->budget == 0) {
    hs_pace_hold(p, now, (long)(p->reset_at - now));
    p->budget = -1;
  }
}

/* "123" -> 123; -1 when not a whole number. */
static long long whole(const char *s)
{
  char *end;
  long long v;
  if(!s)
    return -1;
  while(*s == ' ')
    s++;
  v = strtoll(s, &end, 10);
  if(end == s || v < 0)
    return -1;
  return v;
}

/* The number after "key=" in a structured RateLimit header
** ("limit=100, remaining=50, reset=30"), or -1. */
static long long member(const char *v, const char *key)
{
  size_t n = strlen(key);
  const char *s;
  for(s = v; *s; s++)
    if((s == v || s[-1] == ' ' || s[-1] == ',' || s[-1] == ';') &&
       !strncasecmp(s, key, n) && s[n] == '=')
      return whole(s + n + 1);
  return -1;
}

static long reset_to_ms(long long v, long long now_epoch_s)
{
  if(v < 0)
    return -1;
  /* Epoch seconds (HiBob's X-RateLimit-Reset) or delta seconds (the
  ** IETF draft's RateLimit-Reset): no window is 30 years long. */
  if(v > 1000000000LL)
    v = v > now_epoch_s ? v - now_epoch_s : 0;
  return v > HEADER_WAIT_MAX_MS / 1000 ? HEADER_WAIT_MAX_MS : (long)v * 1000;
}

void hs_pace_read_headers(const hrsync_kv *h, size_t n, long long now_epoch_s,
                          long *remaining, long *reset_ms, double *rate)
{
  size_t i;
  *remaining = -1;
  *reset_ms = -1;
  *rate = 0;
  for(i = 0; i < n; i++) {
    const char *k = h[i].name, *v = h[i].value;
    long long x;
    if(!k || !v)
      continue;
    if(!strncasecmp(k, "x-", 2))
      k += 2;
    if(!strcasecmp(k, "ratelimit-remaining") && (x = whole(v)) >= 0)
      *remaining = x > 1000000 ? 1000000 : (long)x;
    else if(!strcasecmp(k, "ratelimit-reset"))
      *reset_ms = reset_to_ms(whole(v), now_epoch_s);
    else if(!strcasecmp(k, "ratelimit-replenish-rate") && (x = whole(v)) > 0)
      *rate = (double)x;
    else if(!strcasecmp(h[i].name, "ratelimit")) {
      /* The newer draft's one structured header. */
      if((x = member(v, "remaining")) >= 0)
        *remaining = x > 1000000 ? 1000000 : (long)x;
      if((x = member(v, "reset")) >= 0)
        *reset_ms = reset_to_ms(x, now_epoch_s);
    }
  }
}

/* What one answer's headers say about the next requests. */
static void note_headers(hs_pace *p, int64_t now, const hrsync_kv *h, size_t n)
{
  long remaining, reset_ms;
  double rate;
  hs_pace_read_headers(h, n, (long long)time(NULL), &remaining, &reset_ms,
                       &rate);
  if(rate > 0 && p->w[W_HEADER].max != (uint32_t)ceil(rate) &&
     !set_window(p, W_HEADER, (uint32_t)ceil(rate), 1000))
    /* The answer that brought the window counts in it: it was sent
    ** before there was a window to take a slot in. */
    p->w[W_HEADER].end[0] = now;
  if(remaining < 0)
    return;
  if(reset_ms < 0)
    reset_ms = rate > 0 ? (long)ceil(1000.0 / rate) : 1000;
  p->reset_at = now + reset_ms;
  /* Requests still in flight spend that budget too. */
  p->budget = remaining - p->in_flight;
  if(p->budget <= 0) {
    hs_pace_hold(p, now, reset_ms);
    p->budget = -1;
  }
}

void hs_pace_done(hs_pace *p, const hs_pace_ticket *t, int64_t now,
                  unsigned status, const hrsync_kv *headers, size_t n)
{
  int i;
  (void)status;
  if(!p)
    return;
  for(i = 0; i < N_WINDOWS; i++) {
    window *w = &p->w[i];
    int k = t->slot[i];
    if(k >= 0 && t->gen[i] == w->gen && (uint32_t)k < w->max &&
       w->end[k] == IN_FLIGHT)
      w->end[k] = now;
  }
  if(p->in_flight > 0)
    p->in_flight--;
  if(headers && n)
    note_headers(p, now, headers, n);
}
