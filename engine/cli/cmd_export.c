/*
** hrsync export: not built yet (see the open issues).
*/
#include "cli.h"

int hs_cmd_export(hs_cli *cli, int argc, char **argv)
{
  (void)argc;
  (void)argv;
  fprintf(cli->errf, "hrsync: export: not yet implemented\n");
  return 1;
}
