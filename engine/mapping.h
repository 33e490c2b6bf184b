/*
** hs_map: HR fields to stakeholder fields, as the config's "mapping"
** says. The hris_id defaults to the record's own HRIS id.
*/
#ifndef HS_MAPPING_H
#define HS_MAPPING_H

#include "config.h"
#include "normalise.h"
#include "stakeholder.h"

/* Where each stakeholder field's HR field is in a normalised record: its
** slot (normalise.h), or -1 when unmapped. Worked out once per run. */
typedef struct hs_map {
  long slot[HS_SF_COUNT];
} hs_map;

/* Fills m for cfg; slot_of(arg, id) is the slot of a mapped HR field id
** (-1 for none). */
void hs_map_init(hs_map *m, const hs_config *cfg,
                 long (*slot_of)(void *arg, const char *id), void *arg);

/* Fills v[f] (borrowed from r, NULL = no value) and present[f] (the
** record carried the mapped HR field, even if empty) for every
** stakeholder field. Unmapped fields are NULL and not present. */
void hs_map_record(const hs_map *m, const hs_nrec *r,
                   const char *v[HS_SF_COUNT], int present[HS_SF_COUNT]);

#endif
