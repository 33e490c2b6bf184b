/*
** hrsync check: validates the config, loads the connector, authenticates
** checks the config's HR fields against the connector's, and reads the
** first page of the roster (nobody there is an error).
*/
#include "../buf.h"
#include "cli.h"
#include "pipeline.h"

#include <string.h>

/* Stops the fetch at the first record: one page proves the roster can be
** read without downloading it. */
static hs_rc first_record(void *arg, const hs_record *rec, hs_err *err)
{
  (void)rec;
  *(int *)arg = 1;
  return hs_err_set(err, HS_E_REFUSED, "stop");
}

/* An API key that can list fields but sees nobody (a HiBob service user
** without people permissions gets 200 and an empty list) would make the
** next sync mark everyone left: that is an error, not "ok". */
static hs_rc check_roster(hs_session *s, hs_err *err)
{
  int got = 0;
  hs_rc rc = hs_conn_fetch(s->conn, first_record, &got, err);
  if(got) {
    hs_err_clear(err);
    return HS_OK;
  }
  if(rc)
    return rc;
  return hs_err_set(err, HS_E_RUNTIME,
                    "%s: %s authenticated and lists its fields, but the "
                    "roster came back empty: the API key sees nobody; grant "
                    "it read access to the people (a sync now would be "
                    "refused as a mass change)",
                    s->cfg->path, s->plugin.desc->name);
}

/* A condition on a field the connector already said it withholds would
** make the next sync refuse: say so now. */
static hs_rc check_withheld(hs_session *s, hs_err *err)
{
  const hs_config *cfg = s->cfg;
  size_t i, j;
  for(i = 0; i <= cfg->n_groups; i++) {
    const hs_cond *c = i ? cfg->groups[i - 1].conds : cfg->conds;
    size_t n = i ? cfg->groups[i - 1].n_conds : cfg->n_conds;
    for(j = 0; j < n; j++) {
      const char *why = hs_conn_withheld(s->conn, c[j].field);
      if(!why || hs_config_allows_empty(cfg, &c[j]))
        continue;
      return hs_err_set(err, HS_E_RUNTIME,
                        "%s: a condition tests %s, which %s says this API "
                        "key may not see%s%s%s; a sync would be refused: "
                        "grant the key read access to %s",
                        cfg->path, c[j].field, s->plugin.desc->name,
                        *why ? " (" : "", why, *why ? ")" : "", c[j].field);
    }
  }
  return HS_OK;
}

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
     (rc = hs_session_fields(&s, 1, &err)) || (rc = check_roster(&s, &err)) ||
     (rc = check_withheld(&s, &err))) {
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
            "every field the config names exists; the roster can be read\n",
            s.cfg->path, s.plugin.desc->name,
            s.plugin.desc->version ? " " : "",
            s.plugin.desc->version ? s.plugin.desc->version : "", s.fields.n);
  hs_session_close(&s);
  return 0;
}
