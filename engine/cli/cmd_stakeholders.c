/*
** hrsync stakeholders: the registry as a table, or --json.
*/
#include "../buf.h"
#include "../store.h"
#include "../term.h"
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

static void print_json(hs_cli *cli, const hs_registry *reg)
{
  hs_buf b = HS_BUF_INIT;
  size_t i;
  int f, bad = hs_buf_puts(&b, "[");
  for(i = 0; i < reg->n; i++) {
    const hs_sh *sh = &reg->items[i];
    bad |= hs_buf_printf(&b, "%s\n{\"id\":%lld", i ? "," : "", sh->id);
    for(f = 0; f < HS_SF_COUNT; f++) {
      bad |= hs_buf_printf(&b, ",\"%s\":", hs_sf_name(f));
      if(f == HS_SF_GROUPS) {
        /* A list, not the store's joined string. */
        const char *p = sh->v[f] ? sh->v[f] : "";
        bad |= hs_buf_puts(&b, "[");
        while(*p) {
          const char *end = strchr(p, ';');
          size_t len = end ? (size_t)(end - p) : strlen(p);
          char *g = strndup(p, len);
          bad |= !g;
          if(g) {
            bad |= hs_buf_printf(&b, "%s", p == sh->v[f] ? "" : ",");
            bad |= hs_buf_json_str(&b, g);
          }
          free(g);
          p += len;
          if(*p)
            p++;
        }
        bad |= hs_buf_puts(&b, "]");
      }
      else if(sh->v[f])
        bad |= hs_buf_json_str(&b, sh->v[f]);
      else
        bad |= hs_buf_puts(&b, "null");
    }
    bad |= hs_buf_puts(&b, "}");
  }
  bad |= hs_buf_puts(&b, "]\n");
  if(!bad)
    fputs(hs_buf_str(&b), cli->out);
  hs_buf_free(&b);
}

static const char *or_blank(const char *s)
{
  return s ? s : "";
}

int hs_cmd_stakeholders(hs_cli *cli, int argc, char **argv)
{
  hs_store *st = NULL;
  hs_registry reg = {0};
  char *db = NULL;
  hs_err err;
  const char *group = NULL;
  hs_rc rc;
  size_t i;
  int a;
  hs_err_clear(&err);
  for(a = 1; a < argc; a++) {
    if(!strncmp(argv[a], "--group=", 8))
      group = argv[a] + 8;
    else if(!strcmp(argv[a], "--group") && a + 1 < argc)
      group = argv[++a];
    else
      return hs_cli_usage_error(cli, "stakeholders",
                                "unexpected argument \"%s\"", argv[a]);
  }
  if((rc = hs_cli_db_path(cli, &db, &err)) ||
     (rc = hs_store_open(db, HS_STORE_READ, &st, &err)) ||
     (rc = hs_store_load(st, &reg, &err)))
    goto out;
  if(group)
    hs_registry_keep_group(&reg, group);
  if(cli->json)
    print_json(cli, &reg);
  else {
    fprintf(cli->out, "%5s  %-28s %-10s %-12s %-30s %s\n", "ID", "NAME",
            "HRIS ID", "IDENTIFIER", "EMAIL", "GROUPS");
    for(i = 0; i < reg.n; i++) {
      char *const *v = reg.items[i].v;
      fprintf(cli->out, "%5lld  ", reg.items[i].id);
      hs_cli_cell(cli->out, v[HS_SF_NAME], 28);
      hs_cli_cell(cli->out, v[HS_SF_HRIS_ID], 10);
      hs_cli_cell(cli->out, v[HS_SF_IDENTIFIER], 12);
      hs_cli_cell(cli->out, v[HS_SF_EMAIL], 30);
      hs_term_fputs(cli->out, or_blank(v[HS_SF_GROUPS]));
      fputc('\n', cli->out);
    }
    if(!cli->quiet)
      fprintf(cli->out, "(%zu stakeholder%s)\n", reg.n, reg.n == 1 ? "" : "s");
  }
out:
  hs_store_close(st);
  hs_registry_clear(&reg);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
