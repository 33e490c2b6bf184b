/*
** hs_regload: the registry loaded, and its match indexes built, on a
** thread of their own while the connector connects and fetches (issue
** 16): at 100,000 people that is some 0.15 s of CPU that no longer waits
** for the network, nor the network for it. The first record waits for it
** (hs_regload_wait).
**
** One owner of the store at a time: hs_regload_start opens it and reads
** its meta data on the caller's thread, then hands the handle to the
** loading thread, which loads, closes it and builds the indexes. The
** caller touches neither the handle nor the registry until
** hs_regload_wait returns. The result is the same as hs_store_load (or
** hs_store_load_fields) then hs_match_new on the caller's thread.
*/
#ifndef HS_REGLOAD_H
#define HS_REGLOAD_H

#include "err.h"
#include "match.h"
#include "stakeholder.h"

typedef struct hs_regload hs_regload;

/* What the store remembers of the last sync (meta), read before the
** load: malloc'd strings, the caller's, NULL when not recorded. */
typedef struct hs_regload_meta {
  const char *hris_key, *left_key; /* the meta keys to read */
  char *hris_prev, *left_prev;
} hs_regload_meta;

/* Opens the store at db for reading (a missing store is an empty
** registry) and reads meta; its errors come back here, before anything
** runs on the thread. Then *reg (which must stay put until
** hs_regload_wait) is loaded in the background. *out: free it with
** hs_regload_free. */
hs_rc hs_regload_start(const char *db, hs_registry *reg, hs_regload_meta *meta,
                       hs_regload **out, hs_err *err);

/* The same, loading only the fields need[f] asks for
** (hs_store_load_fields; need is copied). */
hs_rc hs_regload_start_fields(const char *db, hs_registry *reg,
                              const unsigned char *need, hs_regload_meta *meta,
                              hs_regload **out, hs_err *err);

/* Whether the load is over (hs_regload_wait would not wait); nothing of
** it may be touched before hs_regload_wait all the same. */
int hs_regload_done(hs_regload *l);

/* Waits for the load to end: its result (the load's error, with its
** detail in err), and on success the match indexes of the registry in
** *m (the caller's; NULL after the first call). May be called again: the
** same result. */
hs_rc hs_regload_wait(hs_regload *l, hs_matcher **m, hs_err *err);

/* Waits when still running; frees the indexes nobody took. The registry
** is the caller's (hs_registry_clear). NULL is a no-op. */
void hs_regload_free(hs_regload *l);

#endif
