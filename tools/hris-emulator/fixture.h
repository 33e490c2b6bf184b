/* Loading canonical people from a JSON fixture file. */
#ifndef EMU_FIXTURE_H
#define EMU_FIXTURE_H

#include "people.h"

/* Adds every person of the fixture file at `path` ({"people": [...]}) to
 * pop. Returns 0, or -1 with "<path>: people[i]: <reason>" in err (pop may
 * then hold the people before the bad one; the caller discards it). */
int emu_fixture_load(emu_pop *pop, const char *path, char *err, size_t errlen);

#endif
