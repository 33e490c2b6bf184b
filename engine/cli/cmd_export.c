/*
** hrsync export FILE.csv: the registry as RFC 4180 CSV.
*/
#include "../store.h"
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>

int hs_cmd_export(hs_cli *cli, int argc, char **argv)
{
  hs_store *st = NULL;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc != 2 || argv[1][0] == '-')
    return hs_cli_usage_error(cli, "export", "expected one FILE.csv");
  if(!(rc = hs_cli_db_path(cli, &db, &err)) &&
     !(rc = hs_store_open(db, HS_STORE_READ, &st, &err)))
    rc = hs_export_csv(st, argv[1], &err);
  hs_store_close(st);
  free(db);
  if(rc)
    return hs_cli_fail(cli, &err);
  if(cli->json) /* a JSON string for the file name, whatever it holds */
    hs_cli_json_result(cli, "exported", argv[1]);
  else if(!cli->quiet)
    fprintf(cli->errf, "hrsync: exported to %s\n", argv[1]);
  return 0;
}
