/*
** What the sync commands share: loading the config, opening the
** connector, reading its field schema, streaming its records into a plan,
** and printing plans. Printing lives here because only cli/ prints.
*/
#ifndef HS_CLI_PIPELINE_H
#define HS_CLI_PIPELINE_H

#include "../config.h"
#include "../host.h"
#include "../plan.h"
#include "../strmap.h"
#include "cli.h"

typedef struct hs_field_entry {
  char *id, *label;
  int type; /* hrsync_field_type */
  int flags;
} hs_field_entry;

typedef struct hs_fieldset {
  hs_field_entry *items;
  size_t n, cap;
  hs_strmap *index; /* id -> position */
} hs_fieldset;

typedef struct hs_session {
  hs_cli *cli;
  hs_config *cfg;
  char **dirs;
  size_t ndirs;
  hs_plugin plugin;
  hrsync_kv *secrets; /* resolved values, owned */
  size_t n_secrets;
  const char **wanted;
  size_t n_wanted;
  hs_http *http;
  hs_conn *conn;
  hs_fieldset fields;
  unsigned long records;     /* fetched so far */
  const char *changed_since; /* incremental fetch (sync --auto); borrowed */
} hs_session;

/* Loads the config (-c). Clean up with hs_session_close. */
hs_rc hs_session_config(hs_cli *cli, hs_session *s, hs_err *err);

/* Finds the plugin, checks settings, resolves secrets, opens the
** connection and authenticates. */
hs_rc hs_session_connect(hs_session *s, hs_err *err);

/* Reads the connector's fields; with check, also checks the config's HR
** fields against them (when it lists any). */
hs_rc hs_session_fields(hs_session *s, int check, hs_err *err);

/* Fetches every record into a plan against reg. A fetch failure leaves no
** plan. */
hs_rc hs_session_plan(hs_session *s, const hs_registry *reg, hs_plan *plan,
                      hs_err *err);

void hs_session_close(hs_session *s);

/* The store's path (malloc'd, the caller frees it): --db, else the
** config's "database", else hrsync.db next to the config. */
hs_rc hs_cli_db_path(hs_cli *cli, char **path, hs_err *err);

/* Prints a plan for people (a summary table, then the changes) or as
** JSON (run_id > 0 adds "run_id"). */
void hs_print_plan(hs_cli *cli, const hs_plan *plan, long long run_id);

/* True when plan writes anything (create, update, or left with changes). */
int hs_plan_writes(const hs_plan *plan);

#endif
