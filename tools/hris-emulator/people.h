/* The canonical population: the people every emulated HR system serves,
 * each in its own shape. One emu_pop is the source of truth; the system
 * renderers only read it (under the server's read lock). */
#ifndef EMU_PEOPLE_H
#define EMU_PEOPLE_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* Canonical text fields, in the order of docs/internals.md. */
enum emu_field {
  EMU_F_EMPLOYEE_NUMBER,
  EMU_F_FIRST_NAME,
  EMU_F_LAST_NAME,
  EMU_F_PREFERRED_NAME,
  EMU_F_EMAIL,
  EMU_F_PERSONAL_EMAIL,
  EMU_F_PHONE,
  EMU_F_ADDRESS_LINE1,
  EMU_F_ADDRESS_LINE2,
  EMU_F_CITY,
  EMU_F_POSTAL_CODE,
  EMU_F_REGION,
  EMU_F_COUNTRY,
  EMU_F_COUNTRY_CODE,
  EMU_F_BIRTH_DATE,
  EMU_F_NATIONALITY,
  EMU_F_HIRE_DATE,
  EMU_F_TERMINATION_DATE,
  EMU_F_STATUS,
  EMU_F_EMPLOYMENT_TYPE,
  EMU_F_DEPARTMENT,
  EMU_F_JOB_TITLE,
  EMU_F_COUNT
};

/* Effective status (explicit, or derived from the dates and "today"). */
enum emu_status { EMU_ACTIVE, EMU_INACTIVE, EMU_FUTURE };

typedef struct emu_kv {
  char *key;
  char *value;
} emu_kv;

typedef struct emu_person {
  long id;
  char *f[EMU_F_COUNT]; /* owned strings, NULL = unknown */
  emu_kv *custom;       /* owned; keys are canonical custom field names */
  size_t ncustom;
  int64_t modified; /* unix time of the last change (delta endpoints) */
  int64_t created;  /* unix time a control POST added it, or 0 */
  int status;       /* enum emu_status, cached by emu_pop_reindex */
  long dept_id;     /* registry ids, cached by emu_pop_reindex */
  long title_id;
  long office_id;
  long supervisor; /* canonical id of the department's first member, or 0 */
} emu_person;

/* A person removed through the control API (delta endpoints report it). */
typedef struct emu_tomb {
  long id;
  int64_t when;
} emu_tomb;

typedef struct emu_pop {
  emu_person **v; /* sorted by id; owned */
  size_t n, cap;
  long today; /* day number */
  /* Registries, in order of first appearance: ids are base + index. */
  char **custom_keys;
  size_t ncustom_keys;
  char **depts;
  size_t ndepts;
  char **titles;
  size_t ntitles;
  char **offices;
  size_t noffices;
  /* Index caches (positions in v), rebuilt by emu_pop_reindex. */
  size_t *active; /* status active */
  size_t nactive;
  size_t *current; /* status active or future (not former) */
  size_t ncurrent;
  emu_tomb *tombs; /* removed people, oldest first; owned */
  size_t ntombs;
} emu_pop;

/* The canonical JSON key of a field ("first_name"...). */
const char *emu_field_name(int f);
/* The field for a canonical key, or -1. */
int emu_field_by_name(const char *name);

/* Creates an empty population pinned to day number `today`; NULL on OOM.
 * Free with emu_pop_free. */
emu_pop *emu_pop_new(long today);
void emu_pop_free(emu_pop *pop);
/* Appends `n` generated people, deterministic in (seed, index): person i is
 * the same whatever n is. Returns 0, or -1 on OOM. */
int emu_pop_generate(emu_pop *pop, size_t n, uint64_t seed);
/* Adds a person built from canonical JSON (id optional: max + 1). Takes
 * nothing from `obj`. Returns 0, or -1 with a one-line reason in err.
 * *out (optional) receives the borrowed new person. */
int emu_pop_add_json(emu_pop *pop, json_object *obj, emu_person **out,
                     char *err, size_t errlen);
/* Applies partial canonical JSON to person `id`; 0, -1 (bad JSON, reason in
 * err) or -2 (no such person). */
int emu_pop_patch_json(emu_pop *pop, long id, json_object *obj, char *err,
                       size_t errlen);
/* Inserts p (ids must be unique; caller checks), keeping the order; takes
 * ownership on success. Returns 0, or -1 on OOM (p still the caller's). */
int emu_pop_insert(emu_pop *pop, emu_person *p);
/* Frees a person not (or no longer) owned by a population. */
void emu_person_free(emu_person *p);
/* Removes person `id` (freed) and records when; 0, -1 OOM, -2 absent.
 * Call emu_pop_reindex after. */
int emu_pop_remove(emu_pop *pop, long id, int64_t when);
/* Finds a person by canonical id (binary search); NULL if absent. */
emu_person *emu_pop_find(const emu_pop *pop, long id);
/* Recomputes statuses, registries and index caches; call after changes.
 * Returns 0, or -1 on OOM. */
int emu_pop_reindex(emu_pop *pop);
/* The value of custom field `key` for p, or NULL. */
const char *emu_person_custom(const emu_person *p, const char *key);
/* Writes p as canonical JSON (the fixture shape). */
void emu_person_json(emu_buf *b, const emu_person *p);

/* A stable 64-bit hash of a canonical id, for per-system derived values. */
uint64_t emu_hash(uint64_t x);

#endif
