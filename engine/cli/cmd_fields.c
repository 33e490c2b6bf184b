/*
** hrsync fields: the HR system's fields (id, type, label) from the
** connector's schema callback; --json for machines.
*/
#include "../buf.h"
#include "../term.h"
#include "cli.h"
#include "pipeline.h"

#include <string.h>

static const char *type_name(int t)
{
  static const char *const names[] = {"text",   "date", "email",
                                      "number", "list", "bool"};
  return t >= 0 && t < 6 ? names[t] : "?";
}

int hs_cmd_fields(hs_cli *cli, int argc, char **argv)
{
  hs_session s;
  hs_err err;
  hs_rc rc;
  size_t i, w = 2;
  hs_err_clear(&err);
  if(argc > 1)
    return hs_cli_usage_error(cli, "fields", "unexpected argument \"%s\"",
                              argv[1]);
  if((rc = hs_session_config(cli, &s, &err)) ||
     (rc = hs_session_connect(&s, &err))) {
    hs_session_close(&s);
    return hs_cli_fail(cli, &err);
  }
  /* Listed without checking the config against them: this is the command
  ** people run to find the right field ids. */
  rc = hs_session_fields(&s, 0, &err);
  if(rc) {
    hs_session_close(&s);
    return hs_cli_fail(cli, &err);
  }
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    int bad = hs_buf_puts(&b, "[");
    for(i = 0; i < s.fields.n; i++) {
      const hs_field_entry *e = &s.fields.items[i];
      bad |= hs_buf_printf(&b, "%s\n{\"id\":", i ? "," : "");
      bad |= hs_buf_json_str(&b, e->id);
      bad |=
          hs_buf_printf(&b, ",\"type\":\"%s\",\"label\":", type_name(e->type));
      bad |=
          e->label ? hs_buf_json_str(&b, e->label) : hs_buf_puts(&b, "null");
      bad |= hs_buf_printf(&b, ",\"deprecated\":%s}",
                           (e->flags & HRSYNC_FIELD_DEPRECATED) ? "true"
                                                                : "false");
    }
    bad |= hs_buf_puts(&b, "]\n");
    if(!bad)
      fputs(hs_buf_str(&b), cli->out);
    hs_buf_free(&b);
  }
  else {
    for(i = 0; i < s.fields.n; i++)
      if(strlen(s.fields.items[i].id) > w)
        w = strlen(s.fields.items[i].id);
    fprintf(cli->out, "%-*s  %-6s  %s\n", (int)w, "ID", "TYPE", "LABEL");
    for(i = 0; i < s.fields.n; i++) {
      const hs_field_entry *e = &s.fields.items[i];
      /* Ids and labels come from the HR system: escaped. */
      hs_term_fpad(cli->out, e->id, (int)w);
      fprintf(cli->out, " %-6s  ", type_name(e->type));
      hs_term_fputs(cli->out, e->label);
      fprintf(cli->out, "%s\n",
              (e->flags & HRSYNC_FIELD_DEPRECATED) ? " (deprecated)" : "");
    }
    if(!s.fields.n)
      fprintf(cli->errf, "hrsync: connector %s lists no fields\n",
              s.cfg->connector);
  }
  hs_session_close(&s);
  return 0;
}
