/*
** hrsync sync: not built yet (see the open issues).
*/
#include "cli.h"

int hs_cmd_sync(hs_cli *cli, int argc, char **argv)
{
  (void)argc;
  (void)argv;
  fprintf(cli->errf, "hrsync: sync: not yet implemented\n");
  return 1;
}
