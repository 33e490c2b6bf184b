/*
** hs_sf / hs_sh: the registry side of a sync. The stakeholder fields of
** design.md section 3 as one enum, and a stakeholder as one string per
** field, so every stage (mapping, diff, store, CSV) walks the same table.
*/
#ifndef HS_STAKEHOLDER_H
#define HS_STAKEHOLDER_H

#include <stddef.h>

typedef enum hs_sf {
  HS_SF_HRIS_ID = 0,
  HS_SF_IDENTIFIER,
  HS_SF_FIRST_NAME,
  HS_SF_LAST_NAME,
  HS_SF_NAME,
  HS_SF_EMAIL,
  HS_SF_PHONE,
  HS_SF_ADDRESS_LINE1,
  HS_SF_ADDRESS_LINE2,
  HS_SF_CITY,
  HS_SF_POSTAL_CODE,
  HS_SF_REGION,
  HS_SF_COUNTRY,
  HS_SF_BIRTH_DATE,
  HS_SF_NATIONALITY,
  HS_SF_START_DATE,
  HS_SF_TERMINATION_DATE,
  HS_SF_TYPE,   /* "natural_person" or "legal_entity" */
  HS_SF_GROUPS, /* group names, sorted, joined by ";" */
  HS_SF_COUNT
} hs_sf;

#define HS_TYPE_PERSON "natural_person"
#define HS_TYPE_ENTITY "legal_entity"

/* The field's name as in the config, the CSV and the store: "first_name". */
const char *hs_sf_name(int f);

/* The field called name, or -1. */
int hs_sf_lookup(const char *name);

/* True for the fields a config may map from an HR field (everything but
** name, type and groups, which the engine builds). */
int hs_sf_mappable(int f);

/* True for the ISO date fields. */
int hs_sf_is_date(int f);

/* A stakeholder of the registry. v[f] is NULL when unset. */
typedef struct hs_sh {
  long long id;
  char *v[HS_SF_COUNT];
} hs_sh;

struct hs_arena;

/* The whole registry, loaded once for matching. fingerprint tells
** whether the registry changed since a saved plan was made (see
** hs_store_fingerprint). strings: hs_store_load puts every item's
** strings in one arena (so they are not freed one by one); NULL when
** each is its own malloc (a registry built by hand). Initialise a
** registry with {0}. */
typedef struct hs_registry {
  hs_sh *items;
  size_t n;
  char fingerprint[65];
  struct hs_arena *strings;
} hs_registry;

/* Frees the strings of sh (not sh itself); never for an item of a
** registry with an arena. */
void hs_sh_clear(hs_sh *sh);

/* Frees every stakeholder and the array; leaves reg empty. */
void hs_registry_clear(hs_registry *reg);

/* Stakeholder id, or NULL. The registry is in id order, as hs_store_load
** gives it: a binary search. */
const hs_sh *hs_registry_find(const hs_registry *reg, long long id);

/* Computes reg->fingerprint from its items (which must be in id order). */
int hs_registry_fingerprint(hs_registry *reg);

enum { HS_NAME_FIRST_LAST = 0, HS_NAME_LAST_FIRST = 1 };

/* The display name from first and last name in a name format: "Ada
** Lovelace" or "Lovelace, Ada"; with one part missing, the other alone.
** NULL when both are missing or memory ran out. The caller frees it. */
char *hs_sh_format_name(const char *first, const char *last, int format);

/* Adds group g to the ";"-joined sorted list in *groups (replacing the
** string). Returns 1 when it was added, 0 when already there, -1 on no
** memory. */
int hs_groups_add(char **groups, const char *g);

/* Removes group g from the list in *groups (NULL when it becomes empty).
** Returns 1 when it was there, 0 when not, -1 on no memory. */
int hs_groups_remove(char **groups, const char *g);

#endif
