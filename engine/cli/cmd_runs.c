/*
** hrsync runs / runs show ID / runs undo ID: the registry's history (sync,
** import, link, unlink, undo), field by field, and undoing one run.
*/
#include "../buf.h"
#include "../lock.h"
#include "../runlog.h"
#include "../store.h"
#include "../term.h"
#include "../undo.h"
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_json(hs_buf *b, const hs_run *r)
{
  int a, bad = hs_buf_printf(b, "{\"id\":%lld,\"kind\":", r->id);
  bad |= hs_buf_json_str(b, r->kind ? r->kind : "sync");
  bad |= r->undoes ? hs_buf_printf(b, ",\"undoes\":%lld", r->undoes) : 0;
  bad |= hs_buf_puts(b, ",\"started_at\":");
  bad |= hs_buf_json_str(b, r->started_at ? r->started_at : "");
  bad |= hs_buf_puts(b, ",\"connector\":");
  bad |= hs_buf_json_str(b, r->connector ? r->connector : "");
  bad |= hs_buf_puts(b, ",\"config_digest\":");
  bad |= hs_buf_json_str(b, r->config_digest ? r->config_digest : "");
  bad |= hs_buf_puts(b, ",\"summary\":{");
  for(a = 0; a < HS_ACT_COUNT; a++)
    bad |= hs_buf_printf(b, "%s\"%s\":%lld", a ? "," : "", hs_action_name(a),
                         r->counts[a]);
  return bad | hs_buf_printf(b, ",\"deleted\":%lld}", r->deleted);
}

static int opt_json(hs_buf *b, const char *s)
{
  return s ? hs_buf_json_str(b, s) : hs_buf_puts(b, "null");
}

static hs_rc list(hs_cli *cli, hs_store *st, hs_err *err)
{
  hs_run *runs;
  size_t n, i;
  hs_rc rc = hs_runlog_list(st, &runs, &n, err);
  if(rc)
    return rc;
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    int bad = hs_buf_puts(&b, "[");
    for(i = 0; i < n; i++)
      bad |= hs_buf_puts(&b, i ? ",\n" : "\n") | run_json(&b, &runs[i]) |
             hs_buf_puts(&b, "}");
    bad |= hs_buf_puts(&b, "]\n");
    if(!bad)
      fputs(hs_buf_str(&b), cli->out);
    hs_buf_free(&b);
  }
  else {
    fprintf(cli->out, "%5s  %-6s  %-20s  %-10s %6s %6s %9s %7s %8s %4s %7s\n",
            "RUN", "KIND", "STARTED (UTC)", "SOURCE", "create", "update",
            "unchanged", "skipped", "conflict", "left", "deleted");
    for(i = 0; i < n; i++)
      fprintf(cli->out,
              "%5lld  %-6s  %-20s  %-10s %6lld %6lld %9lld %7lld %8lld "
              "%4lld %7lld\n",
              runs[i].id, runs[i].kind ? runs[i].kind : "sync",
              runs[i].started_at ? runs[i].started_at : "",
              runs[i].connector ? runs[i].connector : "", runs[i].counts[0],
              runs[i].counts[1], runs[i].counts[2], runs[i].counts[3],
              runs[i].counts[4], runs[i].counts[5], runs[i].deleted);
    if(!n && !cli->quiet)
      fprintf(cli->out, "(no runs yet)\n");
  }
  hs_runs_free(runs, n);
  return HS_OK;
}

/* Names, ids, reasons and values come from the HR system or a CSV: every
** one is escaped (hs_term) so none can drive the terminal. */
static void print_change_head(FILE *f, const hs_run_change *c)
{
  fprintf(f, "%-9s #%lld ", c->action ? c->action : "", c->sh_id);
  hs_term_fputs(f, c->name);
  fputs(" (HRIS ", f);
  hs_term_fputs(f, c->hris_id);
  fputc(')', f);
  if(c->reason) {
    fputs(": ", f);
    hs_term_fputs(f, c->reason);
  }
  fputc('\n', f);
}

static void print_quoted(FILE *f, const char *v)
{
  if(!v) {
    fputs("(none)", f);
    return;
  }
  fputc('"', f);
  hs_term_fputs(f, v);
  fputc('"', f);
}

static void print_change_field(FILE *f, const hs_run_change *c)
{
  fprintf(f, "    %-16s ", c->field);
  print_quoted(f, c->before);
  fputs(" -> ", f);
  print_quoted(f, c->after);
  fputc('\n', f);
}

static hs_rc show(hs_cli *cli, hs_store *st, long long id, hs_err *err)
{
  hs_run run;
  hs_run_change *c;
  size_t n, i;
  hs_rc rc = hs_runlog_get(st, id, &run, &c, &n, err);
  if(rc)
    return rc;
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    int bad = run_json(&b, &run) | hs_buf_puts(&b, ",\"changes\":[");
    for(i = 0; i < n; i++) {
      bad |= hs_buf_printf(&b, "%s\n{\"stakeholder_id\":", i ? "," : "");
      bad |= c[i].sh_id ? hs_buf_printf(&b, "%lld", c[i].sh_id)
                        : hs_buf_puts(&b, "null");
      bad |= hs_buf_puts(&b, ",\"hris_id\":") | opt_json(&b, c[i].hris_id);
      bad |= hs_buf_puts(&b, ",\"name\":") | opt_json(&b, c[i].name);
      bad |= hs_buf_puts(&b, ",\"action\":") | opt_json(&b, c[i].action);
      bad |= hs_buf_puts(&b, ",\"field\":") | opt_json(&b, c[i].field);
      bad |= hs_buf_puts(&b, ",\"before\":") | opt_json(&b, c[i].before);
      bad |= hs_buf_puts(&b, ",\"after\":") | opt_json(&b, c[i].after);
      bad |= hs_buf_puts(&b, ",\"reason\":") | opt_json(&b, c[i].reason);
      bad |= hs_buf_puts(&b, "}");
    }
    bad |= hs_buf_puts(&b, "]}\n");
    if(!bad)
      fputs(hs_buf_str(&b), cli->out);
    hs_buf_free(&b);
  }
  else {
    fprintf(cli->out,
            "run %lld  %s  %s  %s %s  config %.12s\n"
            "  %lld created, %lld updated, %lld unchanged, %lld skipped, "
            "%lld conflicts, %lld left, %lld deleted\n\n",
            run.id, run.kind ? run.kind : "sync",
            run.started_at ? run.started_at : "",
            run.kind && strcmp(run.kind, "sync") ? "source" : "connector",
            run.connector ? run.connector : "",
            run.config_digest ? run.config_digest : "", run.counts[0],
            run.counts[1], run.counts[2], run.counts[3], run.counts[4],
            run.counts[5], run.deleted);
    for(i = 0; i < n; i++) {
      /* One header line per stakeholder, then its fields. */
      if(!i || c[i].sh_id != c[i - 1].sh_id ||
         strcmp(c[i].action ? c[i].action : "",
                c[i - 1].action ? c[i - 1].action : "") ||
         !strcmp(c[i].action ? c[i].action : "", "warning"))
        print_change_head(cli->out, &c[i]);
      if(c[i].field)
        print_change_field(cli->out, &c[i]);
    }
  }
  hs_run_clear(&run);
  hs_run_changes_free(c, n);
  return HS_OK;
}

/* runs undo ID: one transaction, itself a run; refused (exit 3) with the
** stakeholders that changed since. */
static hs_rc undo(hs_cli *cli, const char *db, long long id, hs_err *err)
{
  hs_store *st = NULL;
  hs_lock *lock = NULL;
  hs_undo_result res;
  hs_buf why = HS_BUF_INIT;
  hs_rc rc;
  struct stat sb;
  if(stat(db, &sb))
    return hs_err_set(err, HS_E_USAGE, "no run %lld (no store yet)", id);
  /* One writer at a time: the check of what changed since and the writes
  ** happen under the store's lock (and in one transaction). */
  if(!(rc = hs_lock_acquire(db, &lock, err)) &&
     !(rc = hs_store_open(db, HS_STORE_WRITE, &st, err)))
    rc = hs_undo(st, id, &res, &why, err);
  hs_store_close(st);
  hs_lock_release(lock);
  if(rc == HS_E_REFUSED && why.len) {
    /* Names and values come from the HR system: escaped line by line. */
    char *line = why.data, *nl;
    while(*line && (nl = strchr(line, '\n'))) {
      *nl = '\0';
      hs_term_fputs(cli->errf, line);
      fputc('\n', cli->errf);
      line = nl + 1;
    }
  }
  hs_buf_free(&why);
  if(rc)
    return rc;
  if(cli->json)
    fprintf(cli->out,
            "{\"run_id\":%lld,\"undoes\":%lld,\"restored\":%zu,"
            "\"removed\":%zu,\"kept\":%zu,\"added\":%zu}\n",
            res.run, id, res.restored, res.removed, res.kept, res.added);
  else if(!cli->quiet)
    fprintf(cli->out,
            "Undid run %lld as run %lld: %zu restored, %zu removed, %zu put "
            "back%s\n",
            id, res.run, res.restored, res.removed, res.added,
            res.kept ? " (some created stakeholders kept: other records "
                       "reference them)"
                     : ".");
  return HS_OK;
}

int hs_cmd_runs(hs_cli *cli, int argc, char **argv)
{
  hs_store *st = NULL;
  long long id = 0;
  char *db = NULL, *end;
  int do_undo = 0;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  if(argc == 3 && (!strcmp(argv[1], "show") || !strcmp(argv[1], "undo"))) {
    do_undo = argv[1][0] == 'u';
    errno = 0;
    id = strtoll(argv[2], &end, 10);
    /* ERANGE: 99999999999999999999 is no run, not the largest one. */
    if(errno == ERANGE || end == argv[2] || *end || id <= 0)
      return hs_cli_usage_error(cli, "runs", "\"%s\" is not a run id",
                                argv[2]);
  }
  else if(argc != 1)
    return hs_cli_usage_error(cli, "runs",
                              "expected nothing, `show ID` or `undo ID`");
  if((rc = hs_cli_db_path(cli, &db, &err)))
    ;
  else if(do_undo)
    rc = undo(cli, db, id, &err);
  else if(!(rc = hs_store_open(db, HS_STORE_READ, &st, &err)))
    rc = id ? show(cli, st, id, &err) : list(cli, st, &err);
  hs_store_close(st);
  free(db);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
