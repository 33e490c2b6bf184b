/*
** hs_recq: records held back, in order, while the registry they are
** planned against still loads on its own thread (regload.h): the fetch
** goes on meanwhile instead of waiting at its first record. Bounded: a
** queue holds at most max_bytes of copied text, then the fetch waits for
** the registry as before. The replayed records are the same records
** (their texts copied; field keys dropped, so a planner finds each field
** by its id), so the plan is the same.
*/
#ifndef HS_RECQ_H
#define HS_RECQ_H

#include "host.h"

typedef struct hs_recq hs_recq;

/* NULL on no memory. */
hs_recq *hs_recq_new(size_t max_bytes);
void hs_recq_free(hs_recq *q);

/* Copies rec to the end: 0, or 1 when it would go past max_bytes (not
** queued), -1 on no memory (not queued). */
int hs_recq_push(hs_recq *q, const hs_record *rec);

size_t hs_recq_count(const hs_recq *q);

/* Record i as a view into the queue, valid until the next push, get or
** free. */
void hs_recq_get(hs_recq *q, size_t i, hs_record *out);

#endif
