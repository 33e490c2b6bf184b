/* A fixed-size ring of recent requests plus running counters. */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sys_names[] = {"bamboohr", "personio", "hibob",
                                        "humaans",  "lucca",    "other"};

int emu_stats_init(emu_stats *st, size_t cap)
{
  memset(st, 0, sizeof(*st));
  st->ring = calloc(cap, sizeof(*st->ring));
  if(!st->ring)
    return -1;
  st->cap = cap;
  if(pthread_mutex_init(&st->mu, NULL)) {
    free(st->ring);
    return -1;
  }
  return 0;
}

static void clear_locked(emu_stats *st)
{
  size_t i;

  for(i = 0; i < st->cap; i++) {
    free(st->ring[i].path);
    free(st->ring[i].query);
    memset(&st->ring[i], 0, sizeof(st->ring[i]));
  }
  st->next = st->total = 0;
  memset(st->per_system, 0, sizeof(st->per_system));
}

void emu_stats_destroy(emu_stats *st)
{
  clear_locked(st);
  free(st->ring);
  pthread_mutex_destroy(&st->mu);
}

void emu_stats_clear(emu_stats *st)
{
  pthread_mutex_lock(&st->mu);
  clear_locked(st);
  pthread_mutex_unlock(&st->mu);
}

void emu_stats_add(emu_stats *st, const char *system, const char *method,
                   const char *path, const char *query, const char *body,
                   size_t body_len, unsigned status)
{
  emu_stat_entry *e;
  unsigned long long h = 1469598103934665603ULL;
  size_t i;

  for(i = 0; i < body_len; i++)
    h = (h ^ (unsigned char)body[i]) * 1099511628211ULL;

  pthread_mutex_lock(&st->mu);
  e = &st->ring[st->next];
  free(e->path);
  free(e->query);
  snprintf(e->system, sizeof(e->system), "%s", system);
  snprintf(e->method, sizeof(e->method), "%s", method);
  e->path = strdup(path);
  e->query = strdup(query ? query : "");
  if(body_len)
    snprintf(e->body, sizeof(e->body), "%zu:%016llx", body_len, h);
  else
    e->body[0] = '\0';
  e->status = status;
  st->next = (st->next + 1) % st->cap;
  st->total++;
  for(i = 0; i < 5 && strcmp(sys_names[i], system); i++)
    ;
  st->per_system[i]++;
  pthread_mutex_unlock(&st->mu);
}

static int str_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "paths": {path: count} over the kept requests (sorted, then counted). */
static void paths_json(emu_stats *st, emu_buf *b, size_t n)
{
  char **v = malloc((n + 1) * sizeof(*v));
  size_t i, run;

  emu_buf_puts(b, ",\"paths\":{");
  if(v) {
    for(i = 0; i < n; i++)
      v[i] = st->ring[i].path;
    qsort(v, n, sizeof(*v), str_cmp);
    for(i = 0; i < n; i += run) {
      for(run = 1; i + run < n && !strcmp(v[i], v[i + run]); run++)
        ;
      if(i)
        emu_buf_puts(b, ",");
      emu_json_key(b, v[i]);
      emu_buf_printf(b, "%zu", run);
    }
    free(v);
  }
  emu_buf_puts(b, "}");
}

void emu_stats_json(emu_stats *st, emu_buf *b)
{
  size_t i, n, start;
  int first = 1;

  pthread_mutex_lock(&st->mu);
  n = st->total < st->cap ? st->total : st->cap;
  emu_buf_printf(b, "{\"total\":%zu,\"systems\":{", st->total);
  for(i = 0; i < 6; i++)
    emu_buf_printf(b, "%s\"%s\":%zu", i ? "," : "", sys_names[i],
                   st->per_system[i]);
  emu_buf_puts(b, "}");
  paths_json(st, b, n);
  emu_buf_puts(b, ",\"requests\":[");
  start = st->total < st->cap ? 0 : st->next;
  for(i = 0; i < n; i++) {
    const emu_stat_entry *e = &st->ring[(start + i) % st->cap];
    int f = 1;
    emu_buf_puts(b, first ? "{" : ",{");
    first = 0;
    emu_json_kv(b, &f, "system", e->system);
    emu_json_kv(b, &f, "method", e->method);
    emu_json_kv(b, &f, "path", e->path);
    emu_json_kv(b, &f, "query", e->query);
    emu_json_kv(b, &f, "body", e->body);
    emu_buf_printf(b, ",\"status\":%u}", e->status);
  }
  emu_buf_puts(b, "]}");
  pthread_mutex_unlock(&st->mu);
}
