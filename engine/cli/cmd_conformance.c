/*
** hrsync conformance: runs a connector through the conformance kit
** (engine/kit/conformance.h) and prints one line per check (with --json, one
** object: {"checks": [{"check", "pass", "detail"}...], "passed",
** "failed"}), or, with --record, records a fixture folder from a live
** server.
*/
#include "../kit/conformance.h"
#include "cli.h"

#include <string.h>

typedef struct printer {
  hs_cli *cli;
  hs_buf json; /* --json: the checks so far, printed at the end */
  int bad;     /* out of memory building it */
} printer;

static void print_check(void *arg, int pass, const char *check,
                        const char *detail)
{
  printer *pr = arg;
  hs_buf line = HS_BUF_INIT;
  /* A leaking plugin's detail is still redacted before it is shown. */
  if(hs_log_redact(pr->cli->log, detail, &line) == 0)
    detail = hs_buf_str(&line);
  if(pr->cli->json) {
    pr->bad |= hs_buf_puts(&pr->json, pr->json.len ? ",\n  {\"check\": "
                                                   : "\n  {\"check\": ");
    pr->bad |= hs_buf_json_str(&pr->json, check);
    pr->bad |= hs_buf_printf(&pr->json,
                             ", \"pass\": %s, \"skipped\": %s, \"detail\": ",
                             pass == HS_CONF_PASS ? "true" : "false",
                             pass == HS_CONF_SKIP ? "true" : "false");
    pr->bad |= hs_buf_json_str(&pr->json, detail);
    pr->bad |= hs_buf_puts(&pr->json, "}");
  }
  else {
    static const char *const tags[] = {"FAIL", "PASS", "SKIP"};
    fprintf(pr->cli->out, "%s  %s: %s\n",
            pass >= 0 && pass <= 2 ? tags[pass] : "FAIL", check, detail);
    fflush(pr->cli->out);
  }
  hs_buf_free(&line);
}

int hs_cmd_conformance(hs_cli *cli, int argc, char **argv)
{
  const char *plugin = NULL, *fixtures = NULL, *record = NULL;
  hs_err err;
  hs_rc rc;
  int i;

  hs_err_clear(&err);
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--fixtures") && i + 1 < argc)
      fixtures = argv[++i];
    else if(!strncmp(argv[i], "--fixtures=", 11))
      fixtures = argv[i] + 11;
    else if(!strcmp(argv[i], "--record") && i + 1 < argc)
      record = argv[++i];
    else if(!strncmp(argv[i], "--record=", 9))
      record = argv[i] + 9;
    else if(argv[i][0] == '-')
      return hs_cli_usage_error(cli, "conformance",
                                "unknown option or missing value \"%s\"",
                                argv[i]);
    else if(!plugin)
      plugin = argv[i];
    else
      return hs_cli_usage_error(cli, "conformance",
                                "one plugin only (got \"%s\" and \"%s\")",
                                plugin, argv[i]);
  }
  if(!plugin)
    return hs_cli_usage_error(cli, "conformance",
                              "which plugin? a name or a path to a .so");
  if(!fixtures == !record)
    return hs_cli_usage_error(cli, "conformance",
                              "give exactly one of --fixtures DIR and "
                              "--record DIR");

  if(record) {
    hs_conf_record_params rp = {plugin, cli->plugin_dir, cli->config_path,
                                record, cli->log};
    unsigned n = 0;
    rc = hs_conf_record(&rp, &n, &err);
    if(rc)
      return hs_cli_fail(cli, &err);
    if(cli->json) {
      hs_buf b = HS_BUF_INIT;
      if(!hs_buf_printf(&b, "{\"recorded\": %u, \"folder\": ", n) &&
         !hs_buf_json_str(&b, record) && !hs_buf_puts(&b, "}\n"))
        fputs(b.data, cli->out);
      hs_buf_free(&b);
    }
    else
      fprintf(cli->out,
              "recorded %u exchanges into %s (secrets replaced by "
              "placeholders)\n",
              n, record);
    return 0;
  }
  else {
    hs_conf_params p = {plugin, cli->plugin_dir, fixtures, 0, cli->log};
    hs_conf_summary sum;
    printer pr = {cli, HS_BUF_INIT, 0};
    rc = hs_conf_run(&p, print_check, &pr, &sum, &err);
    if(rc) {
      hs_buf_free(&pr.json);
      return hs_cli_fail(cli, &err);
    }
    if(cli->json && pr.bad) {
      hs_buf_free(&pr.json);
      fputs("hrsync: conformance: out of memory\n", cli->errf);
      return 1;
    }
    if(cli->json)
      fprintf(cli->out,
              "{\"checks\": [%s\n ],\n \"passed\": %u, \"failed\": %u, "
              "\"skipped\": %u}\n",
              hs_buf_str(&pr.json), sum.passed, sum.failed, sum.skipped);
    else if(sum.skipped)
      fprintf(cli->out, "%u passed, %u failed, %u skipped\n", sum.passed,
              sum.failed, sum.skipped);
    else
      fprintf(cli->out, "%u passed, %u failed\n", sum.passed, sum.failed);
    hs_buf_free(&pr.json);
    return sum.failed ? 1 : 0;
  }
}
