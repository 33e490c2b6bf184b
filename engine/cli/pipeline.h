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
#include "../regload.h"
#include "../store.h"
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
  unsigned long records; /* fetched so far */
  char *hris_prev;       /* the HR field the store was synced with (meta
                            "hris_id_field"); NULL on a new store */
  int remap;             /* --remap-hris-id: re-key from hris_prev */
  char *left_prev;       /* meta "left": HRIS ids left after the last sync, one
                            a line */
  const char *changed_since; /* incremental fetch (sync --auto); borrowed */
  hs_regload *regload;       /* the registry loading meanwhile
                                (hs_session_registry_start), or NULL */
  /* Called after each record is planned, with the plan so far (`sync
  ** --yes` writes while it plans: hs_apply_stream_feed); may be NULL. */
  void (*planned)(void *arg, const hs_plan *so_far);
  void *planned_arg;
} hs_session;

/* The meta key naming the HR field that fed hris_id, and its value when
** mapping.hris_id is unset (the record's own id). */
#define HS_META_HRIS_FIELD "hris_id_field"
#define HS_HRIS_RECORD_ID  "(record id)"
#define HS_META_LEFT       "left"

/* The HR field the config takes the HRIS id from (borrowed). */
const char *hs_session_hris_field(const hs_session *s);

/* Loads the registry from the store at db (a missing store is empty) and
** remembers which HR field it was synced with (hs_session_plan refuses a
** re-mapped hris_id that would re-key people, unless s->remap). */
hs_rc hs_session_registry(hs_session *s, const char *db, hs_registry *reg,
                          hs_err *err);

/* The same, in the background (regload.h): the plugin is loaded first
** (its probe forks: no thread may run then), the store is opened and its
** meta read now (their errors come back here), the rows are loaded and
** indexed while the connector connects and fetches; hs_session_plan's
** first record waits for them. reg must stay put and untouched until
** hs_session_registry_wait. */
hs_rc hs_session_registry_start(hs_session *s, const char *db,
                                hs_registry *reg, hs_err *err);

/* Ends a background load (idempotent; nothing to do without one): rc is
** the result of what ran meanwhile; the load's own error wins over it,
** as it came first when the load ran first. Call before clearing reg. */
hs_rc hs_session_registry_wait(hs_session *s, hs_rc rc, hs_err *err);

/* Records in the store, inside the run's own transaction (an
** hs_apply_fn's work): which HR field fed the HRIS ids (so a re-mapping is
** caught), and who is left now (so the mass-change guard counts only new
** leavers). cfg may be NULL (a saved plan applied without a readable
** config): then only who is left. */
hs_rc hs_session_remember(hs_store *st, const hs_config *cfg,
                          const hs_plan *plan, hs_err *err);

/* Logs the plan's warnings with run run_id (hs_runlog_warning), inside
** the run's own transaction. */
hs_rc hs_session_log_warnings(hs_store *st, const hs_plan *plan,
                              long long run_id, hs_err *err);

/* How many of plan's left items were left after the last sync already
** (for a plan cut to an incremental fetch's records, `sync --auto`). */
size_t hs_session_known_left(const hs_session *s, const hs_plan *plan);

/* Loads the config (-c). Clean up with hs_session_close. */
hs_rc hs_session_config(hs_cli *cli, hs_session *s, hs_err *err);

/* Finds the plugin, checks settings, resolves secrets, opens the
** connection and authenticates. */
hs_rc hs_session_connect(hs_session *s, hs_err *err);

/* Reads the connector's fields; with check, also checks the config's HR
** fields against them (when it lists any). */
hs_rc hs_session_fields(hs_session *s, int check, hs_err *err);

/* Fetches every record into a plan against reg. A fetch failure, or a
** guard's refusal (withheld fields, a re-mapped hris_id), leaves no
** plan. */
hs_rc hs_session_plan(hs_session *s, const hs_registry *reg, hs_plan *plan,
                      hs_err *err);

void hs_session_close(hs_session *s);

/* The store's path (malloc'd, the caller frees it): --db, else the
** config's "database", else hrsync.db next to the config. */
hs_rc hs_cli_db_path(hs_cli *cli, char **path, hs_err *err);

/* Prints a plan for people (a summary table, then the changes) or as
** JSON (run_id > 0 adds "run_id"). The warnings also go to stderr, -q
** or not (not with --json: they are in the JSON). */
void hs_print_plan(hs_cli *cli, const hs_plan *plan, long long run_id);

/* Only the plan's warnings, on stderr ("hrsync: warning: ... [code]"),
** for -q, where no plan is printed. */
void hs_print_warnings(hs_cli *cli, const hs_plan *plan);

/* The same; summary_only prints the counts and the warnings, no items
** (`sync --summary`, for large rosters). */
void hs_print_plan_ex(hs_cli *cli, const hs_plan *plan, long long run_id,
                      int summary_only);

/* True when plan writes anything (create, update, or left with changes). */
int hs_plan_writes(const hs_plan *plan);

#endif
