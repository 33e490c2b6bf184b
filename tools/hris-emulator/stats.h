/* Request log for GET /_emulator/stats: counts per system and the most
 * recent requests (method, path, query, status). Thread-safe. */
#ifndef EMU_STATS_H
#define EMU_STATS_H

#include <pthread.h>
#include <stddef.h>

#include "buf.h"

typedef struct emu_stat_entry {
  char system[16];
  char method[8];
  char *path;    /* owned */
  char *query;   /* owned, "" when none */
  char body[40]; /* "LEN:FNV1A64" of the request body, "" when none */
  unsigned status;
} emu_stat_entry;

typedef struct emu_stats {
  pthread_mutex_t mu;
  emu_stat_entry *ring; /* the last `cap` requests */
  size_t cap, next, total;
  size_t per_system[6]; /* bamboohr personio hibob humaans lucca other */
} emu_stats;

int emu_stats_init(emu_stats *st, size_t cap);
void emu_stats_destroy(emu_stats *st);
void emu_stats_clear(emu_stats *st);
/* Records one request; strings are copied. The body is kept only as a
 * digest: enough to prove two clients sent the same bytes (the benchmark's
 * floor test), and credentials in auth bodies never reach the stats. */
void emu_stats_add(emu_stats *st, const char *system, const char *method,
                   const char *path, const char *query, const char *body,
                   size_t body_len, unsigned status);
/* Writes {"total":N,"systems":{...},"requests":[...]} (oldest first). */
void emu_stats_json(emu_stats *st, emu_buf *b);

#endif
