/*
** Fuzz target: planning (normalise, conditions, match, groups, diff) as
** the sync commands run it, with the core e2e config. The input is lines
** of tab-separated cells:
**   S <TAB> field=value ...             a stakeholder already registered
**   R <TAB> hris_id <TAB> id=value ...  a record from the HR system
** Stakeholder fields are hs_sf names (hris_id, email, first_name...),
** record fields are the HR ids the config maps (firstName, hireDate...).
*/
#include "config.h"
#include "host.h"
#include "plan.h"
#include "stakeholder.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char config_text[] =
    "{\"connector\": \"fixture\", \"name_format\": \"first_last\","
    " \"mapping\": {\"hris_id\": \"id\", \"identifier\": \"employeeNumber\","
    "  \"first_name\": \"firstName\", \"last_name\": \"lastName\","
    "  \"email\": \"workEmail\", \"city\": \"city\", \"birth_date\": "
    "\"dateOfBirth\", \"start_date\": \"hireDate\", \"termination_date\": "
    "\"terminationDate\"},"
    " \"conditions\": [{\"field\": \"status\", \"op\": \"!=\", \"value\": "
    "\"Board\"}, {\"field\": \"hireDate\", \"op\": \"<\", \"value\": "
    "\"2030-01-01\"}],"
    " \"groups\": [{\"group\": \"Ex-employee\", \"if\": [{\"field\": "
    "\"status\", \"op\": \"=\", \"value\": \"Inactive\"}]}]}";

#define MAX_CELLS 32

/* Splits line (modified in place) at tabs; returns the number of cells. */
static size_t split(char *line, char **cells)
{
  size_t n = 0;
  char *p = line;
  while(n < MAX_CELLS) {
    char *tab = strchr(p, '\t');
    cells[n++] = p;
    if(!tab)
      break;
    *tab = 0;
    p = tab + 1;
  }
  return n;
}

static void add_stakeholder(hs_registry *reg, char **cells, size_t n)
{
  hs_sh *grown = realloc(reg->items, (reg->n + 1) * sizeof(*grown));
  hs_sh *sh;
  size_t i;
  if(!grown)
    return;
  reg->items = grown;
  sh = &reg->items[reg->n];
  memset(sh, 0, sizeof(*sh));
  sh->id = (long long)reg->n + 1;
  reg->n++;
  for(i = 1; i < n; i++) {
    char *eq = strchr(cells[i], '=');
    int f;
    if(!eq)
      continue;
    *eq = 0;
    f = hs_sf_lookup(cells[i]);
    if(f >= 0 && !sh->v[f])
      sh->v[f] = strdup(eq + 1);
  }
}

static void add_record(hs_planner *p, char **cells, size_t n)
{
  hs_record_field fields[MAX_CELLS];
  hs_record rec;
  hs_err err;
  size_t i, k = 0;
  if(n < 2 || !*cells[1])
    return;
  for(i = 2; i < n; i++) {
    char *eq = strchr(cells[i], '=');
    if(!eq || eq == cells[i])
      continue;
    *eq = 0;
    fields[k].id = cells[i];
    fields[k].value = strcmp(eq + 1, "\\N") ? eq + 1 : NULL;
    fields[k].key = 0;
    k++;
  }
  rec.hris_id = cells[1];
  rec.fields = fields;
  rec.n_fields = k;
  rec.keyspace = NULL;
  hs_planner_add(p, &rec, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static hs_config *cfg;
  hs_registry reg = {0};
  hs_planner *p = NULL;
  hs_plan plan;
  hs_err err;
  char *text = malloc(size + 1), *line, *next;
  char *cells[MAX_CELLS];
  int pass;
  if(!cfg && hs_config_parse(config_text, "fuzz.json", &cfg, &err))
    abort(); /* the fixed config must load */
  if(!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0;
  /* Two passes over the lines: the registry first, then the records. */
  for(pass = 0; pass < 2; pass++) {
    char *copy = pass ? strdup(text) : text;
    if(!copy)
      break;
    if(pass == 1) {
      if(hs_registry_fingerprint(&reg) ||
         hs_planner_new(&reg, cfg, NULL, NULL, &p, &err)) {
        free(copy);
        break;
      }
    }
    for(line = copy; line; line = next) {
      size_t n;
      next = strchr(line, '\n');
      if(next)
        *next++ = 0;
      n = split(line, cells);
      if(!pass && !strcmp(cells[0], "S"))
        add_stakeholder(&reg, cells, n);
      else if(pass && !strcmp(cells[0], "R"))
        add_record(p, cells, n);
    }
    if(pass)
      free(copy);
  }
  if(p && hs_planner_finish(p, &plan, &err) == HS_OK)
    hs_plan_clear(&plan);
  hs_planner_free(p);
  hs_registry_clear(&reg);
  free(text);
  return 0;
}
