/*
** hs_map: HR fields to stakeholder fields, as the config's "mapping"
** says. The hris_id defaults to the record's own HRIS id.
*/
#ifndef HS_MAPPING_H
#define HS_MAPPING_H

#include "config.h"
#include "normalise.h"
#include "stakeholder.h"

/* Fills v[f] (borrowed from r, NULL = no value) and present[f] (the
** record carried the mapped HR field, even if empty) for every
** stakeholder field. Unmapped fields are NULL and not present. */
void hs_map_record(const hs_config *cfg, const hs_nrec *r,
                   const char *v[HS_SF_COUNT], int present[HS_SF_COUNT]);

#endif
