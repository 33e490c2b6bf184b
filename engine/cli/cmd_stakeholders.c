/*
** hrsync stakeholders: not built yet (see the open issues).
*/
#include "cli.h"

int hs_cmd_stakeholders(hs_cli *cli, int argc, char **argv)
{
  (void)argc;
  (void)argv;
  fprintf(cli->errf, "hrsync: stakeholders: not yet implemented\n");
  return 1;
}
