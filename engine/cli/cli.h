/*
** What every command of the hrsync tool shares: the global options, the
** output streams and the diagnostics log. Only cli/ prints.
*/
#ifndef HS_CLI_H
#define HS_CLI_H

#include "../err.h"
#include "../log.h"

#include <stdio.h>

typedef struct hs_cli {
  const char *config_path; /* -c FILE; "hrsync.json" by default */
  int config_given;        /* -c was on the command line */
  const char *db_path;     /* --db FILE; NULL = the config's "database" */
  const char *plugin_dir;  /* --plugin-dir DIR, or NULL */
  int verbose;             /* count of -v */
  int quiet;               /* -q */
  int json;                /* --json: machine output on stdout */
  FILE *out;               /* stdout */
  FILE *errf;              /* stderr */
  hs_log *log;
  int json_printed; /* the command's --json result is out: a later failure
                       adds no second document to stdout (stderr says) */
  struct hs_progress *progress; /* the progress line on the terminal, if
                                   any: erased before a log line */
} hs_cli;

/* A command: parses its own arguments (argv[0] is the command name) and
** returns the process exit status. */
typedef int (*hs_cmd_fn)(hs_cli *cli, int argc, char **argv);

typedef struct hs_cmd {
  const char *name;
  hs_cmd_fn fn;
  const char *args;    /* "PLUGIN [-o FILE]" */
  const char *summary; /* one line */
  const char *help;    /* the options, one per line; may be NULL */
} hs_cmd;

/* Prints "hrsync: <detail>" (or the code's sentence) to stderr and
** returns the exit status that goes with err->rc. With --json, also
** {"error": {"code", "message", "exit"}} on stdout, unless the command's
** result was printed already (json_printed). */
int hs_cli_fail(hs_cli *cli, const hs_err *err);

/* Prints "hrsync: <cmd>: <msg>" and a hint to use --help; returns 2. */
int hs_cli_usage_error(hs_cli *cli, const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* --json result of a command that writes one file: {"<key>": "<path>"}
** on stdout (init: "written", export: "exported"). */
void hs_cli_json_result(hs_cli *cli, const char *key, const char *path);

/* Prints s (NULL as "") in a column of width characters and one space;
** pads by UTF-8 characters, and cuts a longer value with "~". */
void hs_cli_cell(FILE *f, const char *s, size_t width);

/* Commands, one file each (cmd_<name>.c). */
int hs_cmd_plugins(hs_cli *cli, int argc, char **argv);
int hs_cmd_init(hs_cli *cli, int argc, char **argv);
int hs_cmd_check(hs_cli *cli, int argc, char **argv);
int hs_cmd_fields(hs_cli *cli, int argc, char **argv);
int hs_cmd_preview(hs_cli *cli, int argc, char **argv);
int hs_cmd_sync(hs_cli *cli, int argc, char **argv);
int hs_cmd_stakeholders(hs_cli *cli, int argc, char **argv);
int hs_cmd_export(hs_cli *cli, int argc, char **argv);
int hs_cmd_import(hs_cli *cli, int argc, char **argv);
int hs_cmd_runs(hs_cli *cli, int argc, char **argv);
int hs_cmd_conformance(hs_cli *cli, int argc, char **argv);
int hs_cmd_link(hs_cli *cli, int argc, char **argv);
int hs_cmd_unlink(hs_cli *cli, int argc, char **argv);

#endif
