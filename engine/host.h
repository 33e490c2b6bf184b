/*
** hs_conn: one open connector, seen from the engine.
**
** This is the host side of the SDK: it implements the hrsync_host service
** table (settings, secrets, HTTP, schema and record sinks) for a loaded
** plugin, drives its callbacks in the documented order, and turns its
** statuses into hs_rc codes with a detail that names the plugin and the
** callback: "bamboohr: next_page: authentication refused: 401 ...".
*/
#ifndef HS_HOST_H
#define HS_HOST_H

#include "err.h"
#include "http.h"
#include "loader.h"
#include "log.h"
#include "runlimits.h"

#include <hrsync/connector.h>

typedef struct hs_conn hs_conn;

/* One field of a record. value NULL: the HR system sent it empty/null.
** key: the id's number in the record's keyspace (1, 2, ...: the same id
** has the same key, and its id the same pointer, in every record of the
** connection), so a stage can resolve each id once; 0 = none (the host
** interns a bounded number of ids; records built by hand have none). */
typedef struct hs_record_field {
  const char *id;
  const char *value;
  unsigned key;
} hs_record_field;

/* A record as the plugin emitted it; borrowed for the callback only.
** keyspace: what the fields' keys are numbers in (NULL: no keys). */
typedef struct hs_record {
  const char *hris_id;
  const hs_record_field *fields;
  size_t n_fields;
  const void *keyspace;
} hs_record;

/* The field's value; *present (may be NULL) says whether the plugin set
** it at all (absent = withheld or unknown, NULL value = sent empty). */
const char *hs_record_get(const hs_record *rec, const char *id, int *present);

typedef hs_rc (*hs_record_fn)(void *arg, const hs_record *rec, hs_err *err);
typedef hs_rc (*hs_field_fn)(void *arg, const hrsync_field_def *def,
                             hs_err *err);

/* A stand-in for hs_http_perform (the conformance kit replays recorded
** responses through it). Same contract: *out owned by the callee, valid
** until its next call; HS_E_HTTP with a detail when no response. */
typedef hs_rc (*hs_http_fn)(void *arg, const hrsync_http_request *req,
                            const hrsync_http_response **out, hs_err *err);

typedef struct hs_conn_params {
  const hs_plugin *plugin;   /* a good plugin from hs_loader_find */
  const hrsync_kv *settings; /* from the config; values borrowed */
  size_t n_settings;
  const hrsync_kv *secrets; /* already resolved; values borrowed */
  size_t n_secrets;
  const char *const *wanted_fields; /* HR field ids the config uses */
  size_t n_wanted;
  hs_http *http; /* borrowed; shared across connections is fine */
  hs_log *log;   /* borrowed; secrets are added to it */
  /* Optional: when set, requests go to http_fn(http_arg, ...) instead of
  ** http. Zero-initialised params keep the real transport. */
  hs_http_fn http_fn;
  void *http_arg;
  /* What one run accepts (limits.h); members left 0 take the defaults. */
  hs_limits limits;
  /* Optional (SDK 1.3 changed_since): the watermark of an incremental
  ** fetch; NULL = everyone. */
  const char *changed_since;
} hs_conn_params;

/* Checks required settings and secrets against the descriptor (naming the
** missing key), then calls the plugin's open. The params' strings must
** outlive the connection. */
hs_rc hs_conn_open(const hs_conn_params *params, hs_conn **out, hs_err *err);

hs_rc hs_conn_authenticate(hs_conn *conn, hs_err *err);

/* Calls fn once per field the plugin describes. */
hs_rc hs_conn_list_fields(hs_conn *conn, hs_field_fn fn, void *arg,
                          hs_err *err);

/* Calls next_page until the plugin says there is no more, and fn once per
** record. Refuses a record without an hris_id, and stops on the first
** error from the plugin or from fn. Afterwards warns once, through the
** log, about wanted fields that no record carried a value for (an HR
** system silently withholds fields its key may not see). */
hs_rc hs_conn_fetch(hs_conn *conn, hs_record_fn fn, void *arg, hs_err *err);

/* Counters of the last fetch. */
typedef struct hs_fetch_stats {
  unsigned long pages;
  unsigned long records;
  unsigned long long total; /* the connector's roster_total, if has_total */
  int has_total;
  int changed_only; /* the connector honoured changed_since (SDK 1.3) */
} hs_fetch_stats;
void hs_conn_get_stats(const hs_conn *conn, hs_fetch_stats *out);

/* Makes the connector's warnings data: from now on its ERROR and WARN log
** lines are kept (redacted, each text once, at most 100) for the plan
** instead of printed, and the host's own "no record carried a value"
** warning is left to the planner, which knows the config. */
void hs_conn_collect_warnings(hs_conn *conn);

/* The i-th kept warning, or NULL past the last. Valid until the next
** callback or hs_conn_close. */
const char *hs_conn_warning_at(const hs_conn *conn, size_t i);

/* The reason the connector gave (SDK 1.2 field_withheld) for withholding
** field_id in this run ("" when it gave none), or NULL when it did not
** say so. Valid until hs_conn_close. */
const char *hs_conn_withheld(const hs_conn *conn, const char *field_id);

/* The i-th withheld field id (and its reason in *why), or NULL past the
** last. */
const char *hs_conn_withheld_at(const hs_conn *conn, size_t i,
                                const char **why);

/* Calls the plugin's close and frees the connection. NULL-safe. */
void hs_conn_close(hs_conn *conn);

/* The hs_rc for a plugin status: E_CONFIG, E_AUTH, E_HTTP and E_PARSE map
** to their namesakes, anything else to HS_E_PLUGIN. */
hs_rc hs_conn_status_rc(hrsync_status st);

/* The service table every connection shares (static, never freed). */
const hrsync_host *hs_host_table(void);

#endif
