/*
** hrsync plugins: not built yet (see the open issues).
*/
#include "cli.h"

int hs_cmd_plugins(hs_cli *cli, int argc, char **argv)
{
  (void)argc;
  (void)argv;
  fprintf(cli->errf, "hrsync: plugins: not yet implemented\n");
  return 1;
}
