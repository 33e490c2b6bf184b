/* Fixture files: {"people": [canonical person, ...]} loaded at start. */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

int emu_fixture_load(emu_pop *pop, const char *path, char *err, size_t errlen)
{
  json_object *root = json_object_from_file(path), *people;
  char why[200];
  size_t i, n;
  int rc = -1;

  if(!root) {
    snprintf(err, errlen, "%s: cannot read or parse JSON (%s)", path,
             json_util_get_last_err());
    return -1;
  }
  if(!json_object_object_get_ex(root, "people", &people) ||
     !json_object_is_type(people, json_type_array)) {
    snprintf(err, errlen, "%s: expected {\"people\": [...]}", path);
    goto out;
  }
  n = json_object_array_length(people);
  for(i = 0; i < n; i++) {
    emu_person *p;
    if(emu_pop_add_json(pop, json_object_array_get_idx(people, i), &p, why,
                        sizeof(why))) {
      snprintf(err, errlen, "%s: people[%zu]: %s", path, i, why);
      goto out;
    }
    /* Fixture people last changed the day before "today", 09:00 UTC. */
    p->modified = (int64_t)(pop->today - 1) * 86400 + 9 * 3600;
  }
  if(emu_pop_reindex(pop)) {
    snprintf(err, errlen, "%s: out of memory", path);
    goto out;
  }
  rc = 0;
out:
  json_object_put(root);
  return rc;
}
