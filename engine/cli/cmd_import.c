/*
** hrsync import FILE.csv: applies an edited export, all rows or none.
*/
#include "../lock.h"
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>

int hs_cmd_import(hs_cli *cli, int argc, char **argv)
{
  hs_import_stats stats;
  hs_lock *lock = NULL;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc != 2 || argv[1][0] == '-')
    return hs_cli_usage_error(cli, "import", "expected one FILE.csv");
  if(!(rc = hs_cli_db_path(cli, &db, &err)) &&
     !(rc = hs_lock_acquire(db, &lock, &err)))
    rc = hs_import_csv(db, argv[1], &stats, &err);
  hs_lock_release(lock);
  free(db);
  if(rc)
    return hs_cli_fail(cli, &err);
  if(cli->json)
    fprintf(cli->out, "{\"created\":%zu,\"updated\":%zu,\"unchanged\":%zu}\n",
            stats.created, stats.updated, stats.unchanged);
  else if(!cli->quiet)
    fprintf(cli->out, "imported %s: %zu created, %zu updated, %zu unchanged\n",
            argv[1], stats.created, stats.updated, stats.unchanged);
  return 0;
}
