/*
** hrsync check: validates the config, loads the connector, authenticates
** and checks the config's HR fields against the connector's.
*/
#include "../buf.h"
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
     (rc = hs_session_fields(&s, 1, &err))) {
    hs_session_close(&s);
    return hs_cli_fail(cli, &err);
  }
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    if(!hs_buf_puts(&b, "{\"ok\":true,\"config\":") &&
       !hs_buf_json_str(&b, s.cfg->path) &&
       !hs_buf_puts(&b, ",\"connector\":") &&
       !hs_buf_json_str(&b, s.plugin.desc->name) &&
       !hs_buf_printf(&b, ",\"fields\":%zu}\n", s.fields.n))
      fputs(hs_buf_str(&b), cli->out);
    hs_buf_free(&b);
  }
  else if(!cli->quiet)
    fprintf(cli->out,
            "ok: %s is valid; connector %s%s%s authenticated; %zu fields, "
            "every field the config names exists\n",
            s.cfg->path, s.plugin.desc->name,
            s.plugin.desc->version ? " " : "",
            s.plugin.desc->version ? s.plugin.desc->version : "", s.fields.n);
  hs_session_close(&s);
  return 0;
}
