/*
** hs_conf: the connector conformance kit behind `hrsync conformance`.
**
** Drives any connector through the SDK alone, with the checking host of
** conf_host.h answering its HTTP requests from a fixture folder:
** descriptor and settings, schema, pagination, records, secrets, then the
** same replay with injected faults (401, 429 + Retry-After, 500, cut and
** malformed bodies, an empty page, a failed transport, a host abort).
** The plugin is loaded, and every scenario run, in a forked child, so a
** crash or a hang is a failed check rather than the end of the kit. In a
** sanitizer build each child also runs LeakSanitizer.
**
** The kit does not print: each verdict goes to the caller's report
** function, one check at a time.
*/
#ifndef HS_CONFORMANCE_H
#define HS_CONFORMANCE_H

#include "err.h"
#include "loader.h"
#include "log.h"

/* What a check found. A check that could not run here (leaks outside a
** sanitizer build) is skipped, never passed. */
enum { HS_CONF_FAIL = 0, HS_CONF_PASS = 1, HS_CONF_SKIP = 2 };

/* One verdict (pass: an HS_CONF_* value). detail is one line; both strings
** are borrowed for the call. */
typedef void (*hs_conf_report_fn)(void *arg, int pass, const char *check,
                                  const char *detail);

typedef struct hs_conf_params {
  const char *plugin;     /* a name (search path) or a path to a .so */
  const char *plugin_dir; /* --plugin-dir, or NULL */
  const char *fixtures;   /* the fixture folder */
  unsigned timeout_s;     /* per scenario; 0 = 60 */
  hs_log *log;            /* the plugin's log lines; may be NULL */
} hs_conf_params;

typedef struct hs_conf_summary {
  unsigned passed;
  unsigned failed;
  unsigned skipped;
} hs_conf_summary;

/* Runs every check, reporting each through fn. Returns HS_OK when the kit
** ran, whatever the verdicts (see *sum); an error (unreadable fixtures,
** no fork) when it could not. A plugin that cannot be loaded is a failed
** check, not an error. */
hs_rc hs_conf_run(const hs_conf_params *p, hs_conf_report_fn fn, void *arg,
                  hs_conf_summary *sum, hs_err *err);

/* Loads a plugin given by name (through the search folders, plugin_dir
** among them) or by a path to a .so. *out is cleared with
** hs_plugin_clear. */
hs_rc hs_conf_resolve(const char *plugin, const char *plugin_dir,
                      hs_plugin *out, hs_err *err);

typedef struct hs_conf_record_params {
  const char *plugin;      /* a name or a path to a .so */
  const char *plugin_dir;  /* --plugin-dir, or NULL */
  const char *config_path; /* the config giving settings and secrets */
  const char *out_dir;     /* created if missing; must hold no .http */
  hs_log *log;
} hs_conf_record_params;

/* Record mode: runs open, authenticate, list_fields and every page
** against the live server the config's base_url names, through the
** engine's HTTP transport, and writes what went over the wire as a
** fixture folder. Secret values (and tokens the plugin marked) are
** replaced by placeholders in every file; settings.json carries the
** placeholders. *n_exchanges (may be NULL) gets the count written. */
hs_rc hs_conf_record(const hs_conf_record_params *p, unsigned *n_exchanges,
                     hs_err *err);

#endif
