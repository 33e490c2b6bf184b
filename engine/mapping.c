/*
** Field mapping.
*/
#include "mapping.h"

void hs_map_init(hs_map *m, const hs_config *cfg,
                 long (*slot_of)(void *arg, const char *id), void *arg)
{
  int f;
  for(f = 0; f < HS_SF_COUNT; f++)
    m->slot[f] = cfg->mapping[f] ? slot_of(arg, cfg->mapping[f]) : -1;
}

void hs_map_record(const hs_map *m, const hs_nrec *r,
                   const char *v[HS_SF_COUNT], int present[HS_SF_COUNT])
{
  int f;
  for(f = 0; f < HS_SF_COUNT; f++) {
    v[f] = NULL;
    present[f] = 0;
    if(m->slot[f] >= 0)
      v[f] = hs_nrec_get(r, (size_t)m->slot[f], &present[f]);
  }
  /* The record's own id is never empty (the host refuses that), so an
  ** unmapped or empty hris_id falls back to it. */
  if(!v[HS_SF_HRIS_ID]) {
    v[HS_SF_HRIS_ID] = r->hris_id;
    present[HS_SF_HRIS_ID] = 1;
  }
}
