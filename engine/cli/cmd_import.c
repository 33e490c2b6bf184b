/*
** hrsync import FILE: applies an edited export (CSV or XLSX), all rows or
** none; --dry-run prints the plan instead.
*/
#include "../lock.h"
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]; 1 when it is opt. */
static int opt_value(int argc, char **argv, int *i, const char *opt,
                     const char **val)
{
  size_t n = strlen(opt);
  if(strncmp(argv[*i], opt, n))
    return 0;
  if(argv[*i][n] == '=') {
    *val = argv[*i] + n + 1;
    return 1;
  }
  if(argv[*i][n])
    return 0;
  *val = *i + 1 < argc ? argv[++*i] : NULL;
  return 1;
}

/* With --json, a script gets every problem too: the error object of
** `--json` failures with "problems" (the first 50) and their total. */
static void print_problems_json(hs_cli *cli, const hs_problems *p,
                                const hs_err *err)
{
  hs_buf b = HS_BUF_INIT;
  size_t i;
  int bad = hs_buf_puts(&b, "{\"error\": {\"code\": \"parse\", \"message\": ");
  bad |= hs_buf_json_str(&b, err->msg);
  bad |= hs_buf_printf(&b, ", \"exit\": %d, \"problems\": [",
                       hs_rc_exit_code(err->rc));
  for(i = 0; i < p->n; i++)
    bad |= hs_buf_puts(&b, i ? ", " : "") | hs_buf_json_str(&b, p->msg[i]);
  bad |= hs_buf_printf(&b, "], \"problems_total\": %zu}}\n", p->total);
  if(!bad) {
    fputs(hs_buf_str(&b), cli->out);
    cli->json_printed = 1;
  }
  hs_buf_free(&b);
}

static void print_problems(hs_cli *cli, const hs_problems *p,
                           const hs_err *err)
{
  size_t i;
  for(i = 0; i < p->n; i++)
    fprintf(cli->errf, "hrsync: %s\n", p->msg[i]);
  if(p->total > p->n)
    fprintf(cli->errf, "hrsync: ... and %zu more\n", p->total - p->n);
  if(cli->json && p->total)
    print_problems_json(cli, p, err);
}

int hs_cmd_import(hs_cli *cli, int argc, char **argv)
{
  hs_import_opts o = {NULL, NULL, 0};
  hs_problems probs;
  hs_plan plan;
  const char *file = NULL, *val;
  hs_lock *lock = NULL;
  char *db = NULL;
  hs_err err;
  hs_rc rc;
  int i, status = 0;
  hs_err_clear(&err);
  /* Cleared here: a refusal before hs_import (no config, the store's
  ** lock taken) still prints and frees them. */
  memset(&probs, 0, sizeof(probs));
  memset(&plan, 0, sizeof(plan));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--dry-run"))
      o.dry_run = 1;
    else if(opt_value(argc, argv, &i, "--sheet", &val)) {
      if(!(o.sheet = val))
        return hs_cli_usage_error(cli, "import", "--sheet needs a NAME");
    }
    else if(opt_value(argc, argv, &i, "--encoding", &val)) {
      if(!(o.encoding = val))
        return hs_cli_usage_error(cli, "import", "--encoding needs a NAME");
    }
    else if(argv[i][0] == '-' && strcmp(argv[i], "--"))
      return hs_cli_usage_error(cli, "import", "unknown option \"%s\"",
                                argv[i]);
    else if(!strcmp(argv[i], "--"))
      continue;
    else if(file)
      return hs_cli_usage_error(cli, "import", "one FILE only (got \"%s\")",
                                argv[i]);
    else
      file = argv[i];
  }
  if(!file)
    return hs_cli_usage_error(cli, "import", "expected one FILE.csv or .xlsx");
  /* A dry run writes nothing, so it takes no lock (a reader). */
  if(!(rc = hs_cli_db_path(cli, &db, &err)) &&
     (o.dry_run || !(rc = hs_lock_acquire(db, &lock, &err))))
    rc = hs_import(db, file, &o, &plan, &probs, &err);
  hs_lock_release(lock);
  free(db);
  if(rc) {
    print_problems(cli, &probs, &err);
    status = hs_cli_fail(cli, &err);
  }
  else if(o.dry_run) {
    plan.connector = malloc(strlen(file) + 16);
    if(plan.connector)
      sprintf(plan.connector, "import of %s", file);
    hs_print_plan(cli, &plan, 0);
  }
  else if(cli->json)
    fprintf(cli->out, "{\"created\":%zu,\"updated\":%zu,\"unchanged\":%zu}\n",
            plan.counts[HS_ACT_CREATE], plan.counts[HS_ACT_UPDATE],
            plan.counts[HS_ACT_UNCHANGED]);
  else if(!cli->quiet)
    fprintf(cli->out, "imported %s: %zu created, %zu updated, %zu unchanged\n",
            file, plan.counts[HS_ACT_CREATE], plan.counts[HS_ACT_UPDATE],
            plan.counts[HS_ACT_UNCHANGED]);
  hs_problems_clear(&probs);
  hs_plan_clear(&plan);
  return status;
}
