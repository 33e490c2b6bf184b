/* The starting population, from --fixture and/or --employees: built at
 * start and again by /_emulator/reset (deterministic, so no copy of the
 * original is kept). */
#include "emu.h"
#include "fixture.h"

#include <stdio.h>

emu_pop *emu_population_build(const emu_opts *o, long today, char *err,
                              size_t errlen)
{
  emu_pop *pop = emu_pop_new(today);

  if(!pop) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if(o->fixture && emu_fixture_load(pop, o->fixture, err, errlen))
    goto fail;
  if((o->employees || !o->fixture) &&
     emu_pop_generate(
         pop, o->fixture ? o->employees : (o->employees ? o->employees : 25),
         o->seed)) {
    snprintf(err, errlen, "out of memory generating %zu employees",
             o->employees);
    goto fail;
  }
  if(emu_pop_reindex(pop)) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  return pop;
fail:
  emu_pop_free(pop);
  return NULL;
}
