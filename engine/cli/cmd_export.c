/*
** hrsync export FILE.csv|FILE.xlsx|-: the registry for bulk editing.
*/
#include "../store.h"
#include "../transfer.h"
#include "cli.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>

int hs_cmd_export(hs_cli *cli, int argc, char **argv)
{
  hs_export_opts o = {NULL, 0};
  hs_store *st = NULL;
  hs_buf text = HS_BUF_INIT;
  const char *file = NULL;
  char *db = NULL;
  size_t count = 0;
  hs_err err;
  hs_rc rc;
  int i;
  hs_err_clear(&err);
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--force"))
      o.force = 1;
    else if(!strncmp(argv[i], "--group=", 8))
      o.group = argv[i] + 8;
    else if(!strcmp(argv[i], "--group")) {
      if(i + 1 >= argc)
        return hs_cli_usage_error(cli, "export", "--group needs a NAME");
      o.group = argv[++i];
    }
    else if(argv[i][0] == '-' && argv[i][1])
      return hs_cli_usage_error(cli, "export", "unknown option \"%s\"",
                                argv[i]);
    else if(file)
      return hs_cli_usage_error(cli, "export", "one FILE only (got \"%s\")",
                                argv[i]);
    else
      file = argv[i];
  }
  if(!file)
    return hs_cli_usage_error(
        cli, "export", "expected one FILE.csv, FILE.xlsx or - (stdout)");
  if(!(rc = hs_cli_db_path(cli, &db, &err)) &&
     !(rc = hs_store_open(db, HS_STORE_READ, &st, &err))) {
    if(!strcmp(file, "-")) {
      rc = hs_export_csv_text(st, &o, &text, &count, &err);
      if(!rc && (fwrite(text.data, 1, text.len, cli->out) != text.len ||
                 fflush(cli->out)))
        rc = hs_err_set(&err, HS_E_IO, "stdout: cannot write");
    }
    else
      rc = hs_export_file(st, file, &o, &count, &err);
  }
  hs_store_close(st);
  hs_buf_free(&text);
  free(db);
  if(rc)
    return hs_cli_fail(cli, &err);
  if(cli->json && strcmp(file, "-")) /* a JSON string, whatever it holds */
    hs_cli_json_result(cli, "exported", file);
  else if(!cli->quiet && strcmp(file, "-"))
    fprintf(cli->errf, "hrsync: exported %zu stakeholder%s to %s\n", count,
            count == 1 ? "" : "s", file);
  if(!cli->quiet && o.group && !count)
    fprintf(cli->errf, "hrsync: no stakeholder is in group \"%s\"\n", o.group);
  return 0;
}
