/*
** Small builders shared by the core unit tests: registries in memory and
** records as a connector would emit them.
*/
#ifndef HS_TEST_CORE_FIXTURES_H
#define HS_TEST_CORE_FIXTURES_H

#include "host.h"
#include "stakeholder.h"

#include <stdlib.h>
#include <string.h>

static char *test_dup(const char *s)
{
  return s ? strdup(s) : NULL;
}

/* Appends a stakeholder; strings are copied. */
static hs_sh *test_add_sh(hs_registry *reg, long long id, const char *hris,
                          const char *ident, const char *first,
                          const char *last, const char *name)
{
  hs_sh *sh;
  reg->items = realloc(reg->items, (reg->n + 1) * sizeof(hs_sh));
  sh = &reg->items[reg->n++];
  memset(sh, 0, sizeof(*sh));
  sh->id = id;
  sh->v[HS_SF_HRIS_ID] = test_dup(hris);
  sh->v[HS_SF_IDENTIFIER] = test_dup(ident);
  sh->v[HS_SF_FIRST_NAME] = test_dup(first);
  sh->v[HS_SF_LAST_NAME] = test_dup(last);
  sh->v[HS_SF_NAME] = test_dup(name);
  sh->v[HS_SF_TYPE] = test_dup(HS_TYPE_PERSON);
  hs_registry_fingerprint(reg);
  return sh;
}

#endif
