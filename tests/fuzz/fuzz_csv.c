/*
** Fuzz target: CSV import. The input is the file: parsed (hs_csv_parse)
** and, when it parses, checked row by row against a small registry
** (hs_import_check: every cell judged, the import's plan built), all in
** memory as `import --dry-run` does.
*/
#include "csv.h"
#include "stakeholder.h"
#include "transfer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Two stakeholders the rows can update or collide with. */
static void registry(hs_registry *reg)
{
  static hs_sh items[2];
  memset(items, 0, sizeof(items));
  items[0].id = 1;
  items[0].v[HS_SF_NAME] = "Ada Lovelace";
  items[0].v[HS_SF_HRIS_ID] = "101";
  items[0].v[HS_SF_EMAIL] = "ada@acme.example";
  items[1].id = 2;
  items[1].v[HS_SF_NAME] = "Grace Hopper";
  items[1].v[HS_SF_IDENTIFIER] = "E102";
  reg->items = items;
  reg->n = 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  hs_registry reg;
  hs_problems probs;
  hs_plan plan;
  hs_csv csv;
  hs_err err;
  hs_err_clear(&err);
  if(hs_csv_parse((const char *)data, size, "fuzz.csv", &csv, &err) != HS_OK)
    return 0;
  memset(&reg, 0, sizeof(reg));
  memset(&probs, 0, sizeof(probs));
  memset(&plan, 0, sizeof(plan));
  registry(&reg);
  hs_import_check(&csv, &reg, "fuzz.csv", "line", &plan, &probs, &err);
  hs_plan_clear(&plan);
  hs_problems_clear(&probs);
  hs_csv_free(&csv);
  return 0;
}
