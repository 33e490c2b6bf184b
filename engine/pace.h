/*
** hs_pace: spaces one connection's requests so the HR system never has
** to answer 429 (issue 16).
**
** Two sources, both optional:
** - the limit the connector declares (host->rate_limit: "R requests per
**   S seconds"), kept as a sliding window of R per S, plus, when R >= S,
**   a per-second share of ceil(R / S) per second: Personio documents 300
**   per minute with a burst cap (15/s), so the host does not spend a
**   minute's budget in its first second;
** - rate-limit headers of the answers: X-RateLimit-Remaining/-Reset,
**   RateLimit-Remaining/-Reset (IETF draft), Personio v2's
**   x-ratelimit-remaining / -replenish-rate, and a 429's Retry-After,
**   which holds every request of the connection, not only the refused
**   one.
**
** The windows count a request from its start until its answer has
** arrived, and then for a whole window from that arrival. The server
** counts it from when it received it, which is between the two, so a
** server that limits with the same numbers never sees more than R in any
** window of S, however the network delays single requests.
**
** Times are CLOCK_MONOTONIC milliseconds (hs_pace_now_ms). Not thread
** safe: one connection's requests, sequential or under one curl multi.
*/
#ifndef HS_PACE_H
#define HS_PACE_H

#include <hrsync/connector.h>

#include <stdint.h>

typedef struct hs_pace hs_pace;

/* A started request's place in the windows (for hs_pace_done). */
typedef struct hs_pace_ticket {
  int slot[3];     /* per window: the slot taken, or -1 */
  unsigned gen[3]; /* the window's generation when taken */
} hs_pace_ticket;

/* NULL on out of memory. */
hs_pace *hs_pace_new(void);
void hs_pace_free(hs_pace *p);

int64_t hs_pace_now_ms(void);

/* The connector's declared limit; requests 0 = none. A later call
** replaces it (what is in flight keeps its slots). 0 on success, -1 on
** out of memory (the old limit stays). A window of more than 100,000
** requests is paced as 100,000. */
int hs_pace_declare(hs_pace *p, uint32_t requests, uint32_t seconds);

/* The declared window in ms (0 when none): the host never caps a
** Retry-After below it. */
long hs_pace_window_ms(const hs_pace *p);

/* Milliseconds until a request may start (0: now). */
long hs_pace_wait_ms(hs_pace *p, int64_t now);

/* Takes a slot for a request starting now; call only when
** hs_pace_wait_ms said 0. */
void hs_pace_start(hs_pace *p, int64_t now, hs_pace_ticket *t);

/* The request of t ended now (answered or failed). headers (may be
** NULL) are the answer's; status 0 when none arrived. */
void hs_pace_done(hs_pace *p, const hs_pace_ticket *t, int64_t now,
                  unsigned status, const hrsync_kv *headers, size_t n);

/* Holds every start until now + ms (a 429's Retry-After). */
void hs_pace_hold(hs_pace *p, int64_t now, long ms);

/* The rate-limit headers of one answer, read alone (for tests and for
** hs_pace_done): *remaining -1 when absent; *reset_ms -1 when absent
** (epoch values made relative to now_epoch_s); *rate per second, 0 when
** absent. */
void hs_pace_read_headers(const hrsync_kv *headers, size_t n,
                          long long now_epoch_s, long *remaining,
                          long *reset_ms, double *rate);

#endif
