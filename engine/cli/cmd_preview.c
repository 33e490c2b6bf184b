/*
** hrsync preview [--plan FILE]: the plan, without writing anything. A new
** store is not created for it: a missing registry reads as empty.
*/
#include "../planfile.h"
#include "../store.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

int hs_cmd_preview(hs_cli *cli, int argc, char **argv)
{
  const char *plan_path = NULL;
  hs_session s;
  hs_registry reg = {0};
  hs_plan plan;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  int i;
  hs_err_clear(&err);
  memset(&plan, 0, sizeof(plan));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--plan") && i + 1 < argc)
      plan_path = argv[++i];
    else if(!strncmp(argv[i], "--plan=", 7))
      plan_path = argv[i] + 7;
    else
      return hs_cli_usage_error(cli, "preview", "unexpected argument \"%s\"",
                                argv[i]);
  }
  if((rc = hs_session_config(cli, &s, &err)))
    goto out;
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_session_registry_start(&s, db, &reg, &err)))
    goto out;
  /* The registry loads meanwhile (regload.h); its error comes first. */
  if(!(rc = hs_session_connect(&s, &err)) &&
     !(rc = hs_session_fields(&s, 1, &err)))
    rc = hs_session_plan(&s, &reg, &plan, &err);
  if((rc = hs_session_registry_wait(&s, rc, &err)))
    goto out;
  /* A preview shows what sync would refuse, as a warning. */
  if(hs_plan_check_mass(&plan, s.cfg->mass_share, &err) &&
     hs_plan_warn(&plan, "mass_change", "sync will refuse this plan: %s",
                  err.msg)) {
    rc = hs_err_set(&err, HS_E_NOMEM, "out of memory");
    goto out;
  }
  hs_err_clear(&err);
  hs_print_plan(cli, &plan, 0);
  if(plan_path && (rc = hs_planfile_save(&plan, plan_path, &err)))
    goto out;
  if(plan_path && !cli->json && !cli->quiet)
    fprintf(cli->errf,
            "hrsync: plan saved to %s; apply it with `hrsync "
            "sync --plan %s`\n",
            plan_path, plan_path);
out:
  hs_session_close(&s); /* first: it waits for a load still running */
  hs_registry_clear(&reg);
  hs_plan_clear(&plan);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
