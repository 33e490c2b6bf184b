/*
** hrsync import FILE.csv: applies an edited export, all rows or none.
*/
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>

int hs_cmd_import(hs_cli *cli, int argc, char **argv)
{
  hs_import_stats stats;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc != 2 || argv[1][0] == '-')
    return hs_cli_usage_error(cli, "import", "expected one FILE.csv");
  if(!(rc = hs_cli_db_path(cli, &db, &err)))
    rc = hs_import_csv(db, argv[1], &stats, &err);
  free(db);
  if(rc)
    return hs_cli_fail(cli, &err);
  if(cli->json)
    fprintf(cli->out,
            "{\"created\":%zu,\"updated\":%zu,\"unchanged\":%zu,"
            "\"run_id\":%lld}\n",
            stats.created, stats.updated, stats.unchanged, stats.run);
  else if(!cli->quiet)
    fprintf(cli->out,
            "imported %s as run %lld: %zu created, %zu updated, %zu "
            "unchanged\n",
            argv[1], stats.run, stats.created, stats.updated, stats.unchanged);
  return 0;
}
