/*
** hrsync check: validates the config, loads the connector, authenticates
** and checks the config's HR fields against the connector's.
*/
#include "cli.h"
#include "pipeline.h"

int hs_cmd_check(hs_cli *cli, int argc, char **argv)
{
  hs_session s;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc > 1)
    return hs_cli_usage_error(cli, "check", "unexpected argument \"%s\"",
                              argv[1]);
  if((rc = hs_session_config(cli, &s, &err)) ||
     (rc = hs_session_connect(&s, &err)) ||
     (rc = hs_session_fields(&s, &err))) {
    hs_session_close(&s);
    return hs_cli_fail(cli, &err);
  }
  if(cli->json)
    fprintf(cli->out,
            "{\"ok\":true,\"config\":\"%s\",\"connector\":\"%s\","
            "\"version\":\"%s\",\"fields\":%zu}\n",
            s.cfg->path, s.plugin.desc->name, s.plugin.desc->version,
            s.fields.n);
  else if(!cli->quiet)
    fprintf(cli->out,
            "ok: %s is valid; connector %s %s authenticated; %zu fields, "
            "every field the config names exists\n",
            s.cfg->path, s.plugin.desc->name, s.plugin.desc->version,
            s.fields.n);
  hs_session_close(&s);
  return 0;
}
