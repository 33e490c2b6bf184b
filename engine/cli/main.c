/*
** hrsync: the command-line tool. Parses the global options, which may
** stand before or after the command, and dispatches to cmd_<name>.c.
*/
#include "cli.h"
#include "progress.h"

#include "../term.h"

#include <curl/curl.h>
#include <hrsync/connector.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#ifndef HRSYNC_VERSION
#define HRSYNC_VERSION "0.0.0"
#endif

/* What export writes and import reads, for both commands' --help. */
#define HS_TRANSFER_COLUMNS_HELP                                              \
  "columns: id, hris_id, identifier, first_name, last_name, name, email,\n"   \
  "  phone, address_line1, address_line2, city, postal_code, region,\n"       \
  "  country, birth_date, nationality, start_date, termination_date, type,\n" \
  "  groups (any subset, any order; id first is customary).\n"                \
  "  id: empty = a new stakeholder, else the one to update.\n"                \
  "  groups: names separated by \";\" (\"Board;Staff\").\n"                   \
  "  dates: YYYY-MM-DD (or a date cell in XLSX).\n"                           \
  "  type: natural_person or legal_entity; empty keeps the current one.\n"    \
  "an empty cell clears that field (name cannot be cleared); a column left\n" \
  "out keeps every stakeholder's value.\n"

static const hs_cmd commands[] = {
    {"plugins", hs_cmd_plugins, "",
     "list the connectors found: name, version, ABI, path; broken ones "
     "with the reason",
     NULL},
    {"init", hs_cmd_init,
     "PLUGIN [-o FILE] [--force] [--set KEY=VALUE]... [--base-url URL] "
     "[--offline]",
     "write a starter config for a connector, with its suggested mapping",
     "  -o FILE          where to write it (default: the -c file, "
     "hrsync.json)\n"
     "  --force          overwrite an existing file\n"
     "  --set KEY=VALUE  a connector setting to write (repeatable)\n"
     "  --base-url URL   the same as --set base_url=URL\n"
     "  --offline        with --set: write them, do not connect\n"
     "  With --set/--base-url, every required setting given and every\n"
     "  secret's HRSYNC_<PLUGIN>_<KEY> variable set, init reads the\n"
     "  tenant's fields and leaves out the mapping entries it lacks.\n"},
    {"check", hs_cmd_check, "",
     "validate the config and authenticate against the HR system", NULL},
    {"fields", hs_cmd_fields, "",
     "list the HR system's fields (id, type, label)", NULL},
    {"preview", hs_cmd_preview, "[--plan FILE]",
     "show what a sync would do, without writing",
     "  --plan FILE  also save the plan, for an exact later `sync --plan`\n"
     "\nconditions (\"conditions\" and group rules' \"if\", ANDed): =, !=,\n"
     "in, not in, contains, empty, not empty, <, >. Dates (any shape the HR\n"
     "system sends) and numbers compare as such; text compares\n"
     "case-sensitively; a missing value is empty.\n"},
    {"sync", hs_cmd_sync,
     "[--yes] [--plan FILE] [--allow-mass-change] [--remap-hris-id] "
     "[--strict] [--summary] | --auto [--full] [--on-queue CMD]",
     "show the plan, ask for approval, apply it in one transaction",
     "  --yes        approve without asking (required without a terminal)\n"
     "  --plan FILE  apply exactly this saved plan; refused (exit 3) if the\n"
     "               registry changed since it was made\n"
     "  --allow-mass-change  apply a plan that marks more than\n"
     "               mass_change.max_share (10%) of the synced stakeholders\n"
     "               left or clears a field on as many, or reads nobody\n"
     "  --remap-hris-id  mapping.hris_id changed on purpose: re-key the\n"
     "               stakeholders by their previous HRIS ids\n"
     "  --strict     refuse (exit 3) when the plan has any warning\n"
     "  --summary    print the counts and the warnings, not every change\n"
     "  --auto       unattended: apply what the config's policy allows,\n"
     "               queue the rest for `hrsync review`; exit 0 applied,\n"
     "               4 applied with items waiting, 3 refused, 1 failed\n"
     "  --full       (--auto) fetch everyone, not only the changed people\n"
     "  --on-queue CMD  (--auto) run CMD when new items were queued\n"
     "\nSee docs/user-guide.md, \"What hrsync refuses to do\" and\n"
     "\"Unattended sync\".\n"},
    {"link", hs_cmd_link, "STAKEHOLDER HRIS_ID",
     "give a stakeholder an HRIS id by hand (a conflict or a possible "
     "duplicate); logged as a run",
     NULL},
    {"unlink", hs_cmd_unlink, "STAKEHOLDER",
     "take a stakeholder's HRIS id away; logged as a run", NULL},
    {"review", hs_cmd_review, "[approve ID...|--all | reject ID...]",
     "what `sync --auto` held back: list it, approve or reject it",
     "  (none)            the pending items (--json: as JSON)\n"
     "  approve ID...     apply these items (--all: every pending one)\n"
     "  reject ID...      keep the registry as it is; the same HR value is\n"
     "                    not queued again\n"},
    {"stakeholders", hs_cmd_stakeholders, "[--group NAME]",
     "list the registry",
     "  --group NAME  only the stakeholders in group NAME\n"},
    {"export", hs_cmd_export, "FILE.xlsx|FILE.csv|- [--force] [--group NAME]",
     "write the registry to a spreadsheet, for bulk editing",
     "  FILE.xlsx     an Excel workbook: one sheet, frozen header, ids and\n"
     "                postcodes as text, dates as dates\n"
     "  FILE.csv      RFC 4180 CSV (comma, UTF-8, CRLF); - writes it to "
     "stdout\n"
     "  --force       replace FILE if it exists (refused otherwise)\n"
     "  --group NAME  only the stakeholders in group NAME\n"
     "\n" HS_TRANSFER_COLUMNS_HELP},
    {"import", hs_cmd_import,
     "FILE.xlsx|FILE.csv [--dry-run] [--sheet NAME] [--encoding NAME]",
     "apply an edited export to the registry, all rows or none",
     "  --dry-run        print what would change, as a plan (--json: the\n"
     "                   shape of `preview --json`); write nothing\n"
     "  --sheet NAME     the XLSX sheet to read (default: the first)\n"
     "  --encoding NAME  the CSV is not UTF-8: convert it from NAME (cp1252\n"
     "                   for Excel's plain \"CSV\" on Windows, latin1, ...)\n"
     "\n"
     "Every row is checked first (dates, types, email addresses, ids that\n"
     "exist, identifiers and HRIS ids unique in the registry afterwards);\n"
     "all problems are listed (the first 50) and then nothing is written.\n"
     "CSV: \",\", \";\" or tab, as the header line uses; a UTF-8 BOM is "
     "fine.\n"
     "\n" HS_TRANSFER_COLUMNS_HELP},
    {"runs", hs_cmd_runs, "[show ID | undo ID]",
     "history: every sync, import, undo; show one, or undo it", NULL},
    {"conformance", hs_cmd_conformance, "PLUGIN --fixtures DIR | --record DIR",
     "test a connector against recorded HTTP fixtures, with injected "
     "faults",
     "  PLUGIN          a connector name, or a path to a .so\n"
     "  --fixtures DIR  replay this fixture folder (docs/connector-guide.md)\n"
     "  --record DIR    record one from the server the -c config names\n"},
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_usage(FILE *f)
{
  size_t i;
  fprintf(f,
          "usage: hrsync [-c FILE] [--db FILE] [--plugin-dir DIR] [-v] [-q] "
          "[--json] COMMAND [ARGS]\n"
          "\n"
          "Keeps a stakeholder registry in step with an HR system.\n"
          "\n"
          "commands:\n");
  for(i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\n"
          "options:\n"
          "  -c, --config FILE  the company's config (default hrsync.json)\n"
          "  --db FILE          the SQLite store (default: the config's "
          "\"database\")\n"
          "  --plugin-dir DIR   also look for connectors in DIR\n"
          "  -v, --verbose      more detail on stderr (twice: HTTP traces)\n"
          "  -q, --quiet        errors only\n"
          "  --json             machine-readable output on stdout\n"
          "  -h, --help         this help; `hrsync COMMAND --help` for one "
          "command\n"
          "  --version          print the version\n"
          "\n"
          "exit status: 0 success, 1 runtime failure, 2 usage or config "
          "error, 3 sync refused, 4 applied with items waiting for review "
          "(sync --auto)\n");
}

static void print_cmd_usage(FILE *f, const hs_cmd *c)
{
  fprintf(f, "usage: hrsync [OPTIONS] %s%s%s\n\n%s\n", c->name,
          c->args[0] ? " " : "", c->args, c->summary);
  if(c->help)
    fprintf(f, "\noptions:\n%s", c->help);
  fprintf(f, "\nglobal options: see `hrsync --help`\n");
}

/* The stable name of a code in --json errors: what a script switches on. */
static const char *code_name(hs_rc rc)
{
  static const char *const names[] = {"ok",      "usage", "config", "refused",
                                      "runtime", "nomem", "io",     "db",
                                      "plugin",  "auth",  "http",   "parse"};
  return (unsigned)rc < sizeof(names) / sizeof(names[0]) ? names[rc]
                                                         : "runtime";
}

/* With --json, a failure is also one object on stdout:
** {"error": {"code": "config", "message": "...", "exit": 2}}. */
static void print_json_error(FILE *f, hs_rc rc, const char *msg, int status)
{
  hs_buf b = HS_BUF_INIT;
  int bad = hs_buf_printf(
      &b, "{\"error\": {\"code\": \"%s\", \"message\": ", code_name(rc));
  bad |= hs_buf_json_str(&b, msg);
  bad |= hs_buf_printf(&b, ", \"exit\": %d}}\n", status);
  fputs(bad ? "{\"error\": {\"code\": \"nomem\", \"message\": \"out of "
              "memory\", \"exit\": 1}}\n"
            : hs_buf_str(&b),
        f);
  fflush(f);
  hs_buf_free(&b);
}

void hs_cli_json_result(hs_cli *cli, const char *key, const char *path)
{
  hs_buf b = HS_BUF_INIT;
  int bad = hs_buf_puts(&b, "{") | hs_buf_json_str(&b, key) |
            hs_buf_puts(&b, ": ") | hs_buf_json_str(&b, path) |
            hs_buf_puts(&b, "}\n");
  if(!bad)
    fputs(b.data, cli->out);
  hs_buf_free(&b);
}

int hs_cli_fail(hs_cli *cli, const hs_err *err)
{
  const char *msg = err->msg[0] ? err->msg : hs_strerror(err->rc);
  hs_rc rc = err->rc ? err->rc : HS_E_RUNTIME;
  int status = hs_rc_exit_code(rc);
  hs_buf line = HS_BUF_INIT;
  /* Errors pass the same redaction as log lines. */
  if(hs_log_redact(cli->log, msg, &line) == 0)
    msg = hs_buf_str(&line);
  /* The detail often quotes the HR system or a plugin: escaped, so it
  ** stays one line and cannot drive the terminal (JSON escapes its own). */
  fputs("hrsync: ", cli->errf);
  hs_term_fputs(cli->errf, msg);
  fputc('\n', cli->errf);
  if(cli->json && !cli->json_printed)
    print_json_error(cli->out, rc, msg, status);
  hs_buf_free(&line);
  return status;
}

/* "hrsync: <cmd>: <msg> (see ...--help)" on f, and with --json the error
** object on stdout; returns 2. */
static int usage_error(FILE *f, int json, const char *cmd, const char *fmt,
                       va_list ap)
{
  hs_buf msg = HS_BUF_INIT;
  int bad = hs_buf_printf(&msg, "%s%s", cmd ? cmd : "", cmd ? ": " : "");
  bad |= hs_buf_vprintf(&msg, fmt, ap);
  bad |= hs_buf_printf(&msg, " (see `hrsync %s%s--help`)", cmd ? cmd : "",
                       cmd ? " " : "");
  fprintf(f, "hrsync: %s\n", bad ? "usage error" : hs_buf_str(&msg));
  if(json)
    print_json_error(stdout, HS_E_USAGE, bad ? "usage error" : msg.data, 2);
  hs_buf_free(&msg);
  return 2;
}

int hs_cli_usage_error(hs_cli *cli, const char *cmd, const char *fmt, ...)
{
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = usage_error(cli->errf, cli->json, cmd, fmt, ap);
  va_end(ap);
  return rc;
}

/* A command-line error found before the command runs. */
static int early_error(int json, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static int early_error(int json, const char *fmt, ...)
{
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = usage_error(stderr, json, NULL, fmt, ap);
  va_end(ap);
  return rc;
}

/* --json anywhere before "--": known before the arguments are parsed, so
** even an error in them comes out as JSON. */
static int wants_json(int argc, char **argv)
{
  int i;
  for(i = 1; i < argc && strcmp(argv[i], "--"); i++)
    if(!strcmp(argv[i], "--json"))
      return 1;
  return 0;
}

static const hs_cmd *find_command(const char *name)
{
  size_t i;
  for(i = 0; i < NCOMMANDS; i++)
    if(!strcmp(commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* Log lines go to stderr; a progress line there is erased first (and
** drawn again with the next count), so the two never share a line. */
static void stderr_sink(void *arg, int level, const char *line)
{
  static const char *const tags[] = {"error", "warning", "info", "debug"};
  hs_cli *cli = arg;
  if(cli->progress)
    hs_progress_clear(cli->progress);
  fprintf(cli->errf, "hrsync: %s: %s\n", tags[level & 3], line);
}

/* A global option that takes a value: "--db FILE" or "--db=FILE". Returns
** 1 and sets *val when arg is opt; advances *i past a separate value. */
static int take_value(int argc, char **argv, int *i, const char *opt,
                      const char **val, int *missing)
{
  size_t n = strlen(opt);
  const char *a = argv[*i];
  if(strncmp(a, opt, n))
    return 0;
  if(a[n] == '=') {
    *val = a + n + 1;
    return 1;
  }
  if(a[n])
    return 0;
  if(*i + 1 >= argc) {
    *missing = 1;
    return 1;
  }
  *val = argv[++*i];
  return 1;
}

/* glibc keeps small freed chunks in "fastbins" and merges them all before
** serving any larger request. A sync frees a json-c tree of every page (a
** great many small chunks) between curl's transfer buffers and page
** bodies, so that merge was a third of a Humaans sync's CPU
** (malloc_consolidate, unlink_chunk). Freed chunks merged at once cost
** less: a no-change sync of 100,000 people took 1.9 s of CPU instead of
** 3.4 s (Personio), 2.0 instead of 2.7 (Humaans); bench/RESULTS.md. */
static void tune_malloc(void)
{
#if defined(__GLIBC__) && defined(M_MXFAST)
  mallopt(M_MXFAST, 0);
#endif
}

int main(int argc, char **argv)
{
  hs_cli cli = {"hrsync.json", 0,      NULL, NULL, 0,   0, 0,
                stdout,        stderr, NULL, 0,    NULL};
  const hs_cmd *cmd = NULL;
  char **rest = calloc((size_t)argc + 1, sizeof(char *));
  int nrest = 0, i, help = 0, rc, dashdash = 0;
  int json = wants_json(argc, argv);

  tune_malloc();
  if(!rest) {
    fputs("hrsync: out of memory\n", stderr);
    return 1;
  }
  /* Global options are taken wherever they stand, so both
  ** `hrsync --plugin-dir D plugins` and `hrsync plugins --plugin-dir D`
  ** work; everything else goes to the command. */
  for(i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    int missing = 0;
    if(dashdash || a[0] != '-' || !a[1]) {
      if(!cmd && !(cmd = find_command(a))) {
        free(rest);
        return early_error(json, "unknown command \"%s\"", a);
      }
      rest[nrest++] = argv[i];
      continue;
    }
    if(!strcmp(a, "--")) {
      dashdash = 1;
      rest[nrest++] = argv[i];
    }
    else if(!strcmp(a, "-h") || !strcmp(a, "--help"))
      help = 1;
    else if(!strcmp(a, "--version")) {
      printf("hrsync %s (connector ABI %d.%d)\n", HRSYNC_VERSION,
             HRSYNC_ABI_MAJOR, HRSYNC_ABI_MINOR);
      free(rest);
      return 0;
    }
    else if(!strcmp(a, "-v") || !strcmp(a, "--verbose"))
      cli.verbose++;
    else if(!strcmp(a, "-vv"))
      cli.verbose += 2;
    else if(!strcmp(a, "-q") || !strcmp(a, "--quiet"))
      cli.quiet = 1;
    else if(!strcmp(a, "--json"))
      cli.json = 1;
    else if(take_value(argc, argv, &i, "-c", &val, &missing) ||
            take_value(argc, argv, &i, "--config", &val, &missing)) {
      cli.config_path = val;
      cli.config_given = 1;
    }
    else if(take_value(argc, argv, &i, "--db", &val, &missing))
      cli.db_path = val;
    else if(take_value(argc, argv, &i, "--plugin-dir", &val, &missing))
      cli.plugin_dir = val;
    else if(cmd)
      rest[nrest++] = argv[i]; /* the command's own option */
    else {
      free(rest);
      return early_error(json, "unknown option \"%s\"", a);
    }
    if(missing) {
      free(rest);
      return early_error(json, "option \"%s\" needs a value", a);
    }
  }
  if(!cmd && !help) {
    print_usage(stderr);
    free(rest);
    return json ? early_error(json, "which command?") : 2;
  }
  if(!cmd) {
    print_usage(stdout);
    free(rest);
    return 0;
  }
  if(help) {
    print_cmd_usage(stdout, cmd);
    free(rest);
    return 0;
  }
  cli.log = hs_log_new(cli.quiet     ? HS_LOG_ERROR
                       : cli.verbose ? HS_LOG_WARN + cli.verbose
                                     : HS_LOG_WARN,
                       stderr_sink, &cli);
  /* Once, before any thread and before any plugin runs (libcurl's global
  ** state is not thread-safe to set up). */
  if(!cli.log || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fputs("hrsync: cannot initialise (out of memory or TLS setup)\n", stderr);
    if(json)
      print_json_error(stdout, HS_E_RUNTIME,
                       "cannot initialise (out of memory or TLS setup)", 1);
    hs_log_free(cli.log);
    free(rest);
    return 1;
  }
  rc = cmd->fn(&cli, nrest, rest);
  curl_global_cleanup();
  hs_log_free(cli.log);
  free(rest);
  return rc;
}
