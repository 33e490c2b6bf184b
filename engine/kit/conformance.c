/*
** hs_conf: the conformance kit's checks and fault scenarios
** (conformance.h). Each runs in a child process (conf_child.h) against
** the checking host (conf_host.h); the plain replay's records travel back
** on a "D" line, for the scenarios that must reproduce them.
*/
#include "conformance.h"

#include "conf_child.h"
#include "conf_host.h"
#include "loader.h"
#include "stakeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_PAGES 1000
#define DEFAULT_TIMEOUT_S 60

typedef struct kit {
  const hs_conf_params *p;
  hs_fixture_set fx;
  hs_plugin plugin;
  unsigned max_pages;
  /* From the plain replay, for the scenarios that must match it. */
  int base_ok;
  unsigned long base_records;
  unsigned long long base_digest;
  /* The parent's reporting. */
  hs_conf_report_fn fn;
  void *arg;
  hs_conf_summary *sum;
} kit;

/* ------------------------------------------------------------------ */
/* Running the callbacks in the documented order.                      */

static void setup_ctx(kit *k, hrsync_host_ctx *c)
{
  hs_ch_init(c);
  c->desc = k->plugin.desc;
  c->log = k->p->log;
  c->fx = &k->fx;
  c->base_url = hs_fixture_kv(k->fx.settings, k->fx.n_settings, "base_url");
  c->settings = k->fx.settings;
  c->n_settings = k->fx.n_settings;
  c->secrets = k->fx.secrets;
  c->n_secrets = k->fx.n_secrets;
  c->wanted = k->fx.wanted;
  c->n_wanted = k->fx.n_wanted;
}

/* ------------------------------------------------------------------ */
/* The checks of a plain replay.                                       */

static void check_load(kit *k, int fd)
{
  const hrsync_connector *d = k->plugin.desc;
  const hrsync_setting_def *s, *t;
  const hrsync_kv *m;
  int base = 0;
  unsigned n = 0;

  hs_cc_verdict(fd, 1, "load", "%s: %s %s, ABI %u.%u", k->plugin.path, d->name,
                d->version ? d->version : "?", (unsigned)d->abi_major,
                (unsigned)d->abi_minor);
  if(!d->display_name || !d->display_name[0])
    hs_cc_verdict(fd, 0, "descriptor", "display_name is empty");
  else if(!d->version || !d->version[0] ||
          strspn(d->version, "0123456789.") == 0)
    hs_cc_verdict(fd, 0, "descriptor",
                  "version \"%s\" should be a version number such as 1.2.0",
                  d->version ? d->version : "");
  else if(d->flags)
    hs_cc_verdict(fd, 0, "descriptor",
                  "flags is %#x; it is reserved and must be 0",
                  (unsigned)d->flags);
  else
    hs_cc_verdict(fd, 1, "descriptor", "\"%s\" (%s) version %s", d->name,
                  d->display_name, d->version);

  for(s = d->settings; s && s->key; s++, n++) {
    if(!s->key[0] || !s->label || !s->label[0]) {
      hs_cc_verdict(fd, 0, "settings",
                    "setting %u (\"%s\") needs a key and a label", n, s->key);
      return;
    }
    if(s->flags & ~(HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET)) {
      hs_cc_verdict(fd, 0, "settings", "setting \"%s\": unknown flags %#x",
                    s->key, (unsigned)s->flags);
      return;
    }
    for(t = d->settings; t != s; t++)
      if(!strcmp(t->key, s->key)) {
        hs_cc_verdict(fd, 0, "settings", "setting \"%s\" is declared twice",
                      s->key);
        return;
      }
    base |= !strcmp(s->key, "base_url") && !(s->flags & HRSYNC_SETTING_SECRET);
  }
  if(!base)
    hs_cc_verdict(
        fd, 0, "settings",
        "no \"base_url\" setting: every connector declares one so it "
        "can be pointed anywhere");
  else
    hs_cc_verdict(fd, 1, "settings", "%u declared, base_url among them", n);

  hs_cc_verdict(fd, 1, "callbacks",
                "open, close, authenticate, list_fields, next_page present");

  for(m = d->suggested_mapping, n = 0; m && m->name; m++, n++)
    if(hs_sf_lookup(m->name) < 0 || !hs_sf_mappable(hs_sf_lookup(m->name)) ||
       !m->value || !m->value[0]) {
      hs_cc_verdict(
          fd, 0, "suggested mapping",
          "entry %u: \"%s\" -> \"%s\" (a mappable stakeholder field and "
          "an HR field id are needed)",
          n, m->name, m->value ? m->value : "");
      return;
    }
  hs_cc_verdict(fd, 1, "suggested mapping", "%u entries", n);
}

static void check_plain(kit *k, int fd)
{
  hrsync_host_ctx c;
  hs_ch_outcome o;
  const char *dup;
  char line[64], printed[96];
  hs_cc_capture cp;
  long n_printed = -1;

  setup_ctx(k, &c);
  c.hold_log = 1;
  if(hs_cc_capture_start(&cp) == 0) {
    hs_ch_run(&c, k->max_pages, &o);
    n_printed = hs_cc_capture_end(&cp, printed, sizeof(printed));
  }
  else
    hs_ch_run(&c, k->max_pages, &o);
  hs_ch_release_log(&c);

  if(o.failed_at != HS_PH_NONE) {
    hs_cc_verdict(fd, 0, hs_ch_phase_name(o.failed_at), "%s: %s",
                  hs_ch_status_name(o.st),
                  o.detail_set ? o.detail : "(no detail)");
    if(c.unmatched[0])
      hs_cc_verdict(fd, 0, "fixtures", "no fixture answers %s", c.unmatched);
  }
  else {
    hs_cc_verdict(fd, 1, "open", "OK");
    hs_cc_verdict(fd, 1, "authenticate", "OK");
  }
  if(o.failed_at == HS_PH_NONE || o.failed_at > HS_PH_FIELDS) {
    if(c.field_problem[0])
      hs_cc_verdict(fd, 0, "schema", "%s", c.field_problem);
    else if(!c.n_fields)
      hs_cc_verdict(fd, 0, "schema", "list_fields described no field");
    else
      hs_cc_verdict(fd, 1, "schema", "%zu fields, ids unique, types valid",
                    c.n_fields);
  }
  if(o.failed_at == HS_PH_NONE) {
    if(!o.terminated)
      hs_cc_verdict(fd, 0, "pagination",
                    "has_more still set after %u pages (max_pages)", o.pages);
    else
      hs_cc_verdict(fd, 1, "pagination",
                    "ended after %u next_page calls, %u "
                    "requests in all",
                    o.pages, c.requests);
    dup = hs_ch_duplicate_id(&c);
    if(dup)
      hs_cc_verdict(fd, 0, "records", "hris id \"%.200s\" emitted twice", dup);
    else if(!c.n_ids)
      hs_cc_verdict(fd, 0, "records",
                    "no record at all: the fixtures should hold some people");
    else
      hs_cc_verdict(fd, 1, "records",
                    "%zu records, each with a unique hris id", c.n_ids);
    if(c.unknown_field[0])
      hs_cc_verdict(
          fd, 0, "record fields",
          "records carry \"%s\", which list_fields does not describe",
          c.unknown_field);
    else
      hs_cc_verdict(fd, 1, "record fields", "every field is in the schema");
    if(c.bad_value[0])
      hs_cc_verdict(fd, 0, "record values", "%s", c.bad_value);
    else
      hs_cc_verdict(fd, 1, "record values",
                    "BOOL and NUMBER values are what their type says");
    if(c.unmatched[0])
      hs_cc_verdict(
          fd, 0, "fixtures",
          "no fixture answers %s, and the plugin carried on as if the "
          "request had worked",
          c.unmatched);
    else
      hs_cc_verdict(fd, 1, "fixtures", "every request had a fixture");
  }
  if(c.violation[0])
    hs_cc_verdict(fd, 0, "contract", "%s", c.violation);
  else
    hs_cc_verdict(fd, 1, "contract", "host services used as connector.h says");
  if(n_printed > 0)
    hs_cc_verdict(
        fd, 0, "quiet",
        "the plugin wrote %ld bytes to stdout/stderr, starting \"%.60s\"; "
        "use host->log",
        n_printed, printed);
  else
    hs_cc_verdict(fd, 1, "quiet", "%s",
                  n_printed < 0 ? "not checked (no temporary file)"
                                : "nothing written to stdout or stderr");
  if(c.leak[0])
    hs_cc_verdict(fd, 0, "secrets", "%s", c.leak);
  else
    hs_cc_verdict(fd, 1, "secrets", "no secret in %u log lines or the errors",
                  c.log_lines);

  snprintf(line, sizeof(line), "D\t%d\t%zu\t%llu",
           o.failed_at == HS_PH_NONE && !c.violation[0] && o.terminated,
           c.n_ids, hs_ch_ids_digest(&c));
  hs_cc_line(fd, line);
  hs_ch_free(&c);
}

/* ------------------------------------------------------------------ */
/* Fault scenarios.                                                    */

enum { EXPECT_FAIL, EXPECT_SAME, EXPECT_OK };

typedef struct scenario {
  const char *check;
  hs_ch_fault fault;
  hs_ch_phase phase;
  unsigned status; /* HS_FAULT_STATUS */
  int expect;
  hrsync_status want; /* EXPECT_FAIL: this status, or HRSYNC_OK for any */
  int need_detail;    /* the plugin itself must explain (set_error) */
  int optional;       /* passes, saying so, when the callback makes no
                         request (it may reuse an earlier answer) */
} scenario;

static const scenario scenarios[] = {
    /* check, fault, aimed at, status, expect, want, detail, optional */
    {"fault: 401 at authenticate", HS_FAULT_STATUS, HS_PH_AUTH, 401,
     EXPECT_FAIL, HRSYNC_E_AUTH, 1, 0},
    {"fault: 500 at list_fields", HS_FAULT_STATUS, HS_PH_FIELDS, 500,
     EXPECT_FAIL, HRSYNC_OK, 1, 1},
    {"fault: 401 on the first page", HS_FAULT_STATUS, HS_PH_PAGE, 401,
     EXPECT_FAIL, HRSYNC_OK, 1, 0},
    {"fault: 429 + Retry-After, then 200", HS_FAULT_RETRY_429, HS_PH_PAGE, 0,
     EXPECT_SAME, HRSYNC_OK, 0, 0},
    {"fault: 429 after every retry", HS_FAULT_EXHAUST_429, HS_PH_PAGE, 0,
     EXPECT_FAIL, HRSYNC_OK, 1, 0},
    {"fault: 500 on the first page", HS_FAULT_STATUS, HS_PH_PAGE, 500,
     EXPECT_FAIL, HRSYNC_OK, 1, 0},
    {"fault: truncated body", HS_FAULT_TRUNCATE, HS_PH_PAGE, 0, EXPECT_FAIL,
     HRSYNC_OK, 1, 0},
    {"fault: malformed body", HS_FAULT_MALFORMED, HS_PH_PAGE, 0, EXPECT_FAIL,
     HRSYNC_OK, 1, 0},
    {"fault: empty page", HS_FAULT_EMPTY_PAGE, HS_PH_PAGE, 0, EXPECT_OK,
     HRSYNC_OK, 0, 0},
    {"fault: transport failure", HS_FAULT_TRANSPORT, HS_PH_PAGE, 0,
     EXPECT_FAIL, HRSYNC_E_HTTP, 0, 0},
    {"fault: host aborts in record_begin", HS_FAULT_ABORT_RECORD, HS_PH_PAGE,
     0, EXPECT_FAIL, HRSYNC_E_ABORTED, 0, 0},
    {"fault: host aborts in field", HS_FAULT_ABORT_FIELD, HS_PH_FIELDS, 0,
     EXPECT_FAIL, HRSYNC_E_ABORTED, 0, 0},
    {"fault: required settings missing", HS_FAULT_NO_REQUIRED, HS_PH_OPEN, 0,
     EXPECT_FAIL, HRSYNC_E_CONFIG, 1, 0},
};

#define NSCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static int has_required(const hrsync_connector *d)
{
  const hrsync_setting_def *s;
  for(s = d->settings; s && s->key; s++)
    if(s->flags & HRSYNC_SETTING_REQUIRED)
      return 1;
  return 0;
}

/* Fills why with the reason a failure-expecting scenario fails, or
** leaves it empty. */
static void judge_failure(const scenario *sc, const hs_ch_outcome *o,
                          char *why, size_t cap)
{
  why[0] = 0;
  if(o->failed_at == HS_PH_NONE)
    snprintf(why, cap,
             "every callback returned HRSYNC_OK: the fault went "
             "unnoticed");
  else if(o->failed_at != sc->phase)
    snprintf(why, cap, "failed in %s, expected in %s: %s: %s",
             hs_ch_phase_name(o->failed_at), hs_ch_phase_name(sc->phase),
             hs_ch_status_name(o->st), o->detail);
  else if(sc->want != HRSYNC_OK && o->st != sc->want)
    snprintf(why, cap, "%s returned %s, expected %s (%s)",
             hs_ch_phase_name(o->failed_at), hs_ch_status_name(o->st),
             hs_ch_status_name(sc->want),
             o->detail_set ? o->detail : "no detail");
  else if(sc->need_detail && !o->detail_set)
    snprintf(why, cap, "%s returned %s without a set_error detail",
             hs_ch_phase_name(o->failed_at), hs_ch_status_name(o->st));
  else if(strchr(o->detail, '\n'))
    snprintf(why, cap, "the set_error detail spans lines; keep it to one");
}

static void run_scenario(kit *k, const scenario *sc, int fd)
{
  hrsync_host_ctx c;
  hs_ch_outcome o;
  char why[1400] = "";
  const char *dup;
  size_t n_ids;

  setup_ctx(k, &c);
  c.fault = sc->fault;
  c.fault_phase = sc->phase;
  c.fault_status = sc->status;
  if(sc->fault == HS_FAULT_NO_REQUIRED && !has_required(c.desc)) {
    hs_cc_verdict(fd, 1, sc->check, "no required setting or secret declared");
    hs_ch_free(&c);
    return;
  }
  hs_ch_run(&c, k->max_pages, &o);
  if(sc->fault == HS_FAULT_NO_REQUIRED)
    c.fault_fired = 1; /* the host withheld them from open on */

  if(!c.fault_fired && sc->optional && !c.fault_note[0] &&
     o.failed_at == HS_PH_NONE) {
    hs_ch_free(&c);
    hs_cc_verdict(fd, 1, sc->check, "not applicable: %s made no request",
                  hs_ch_phase_name(sc->phase));
    return;
  }
  if(!c.fault_fired)
    snprintf(why, sizeof(why), "not injected: %s",
             c.fault_note[0] ? c.fault_note
             : sc->phase == HS_PH_PAGE
                 ? "the first next_page made no request or "
                   "emitted no record"
                 : "the callback made no request or call");
  else if(sc->expect == EXPECT_FAIL)
    judge_failure(sc, &o, why, sizeof(why));
  else if(o.failed_at != HS_PH_NONE)
    snprintf(why, sizeof(why), "%s failed: %s: %s",
             hs_ch_phase_name(o.failed_at), hs_ch_status_name(o.st), o.detail);
  else if(!o.terminated)
    snprintf(why, sizeof(why), "has_more still set after %u pages", o.pages);
  else if((dup = hs_ch_duplicate_id(&c)))
    snprintf(why, sizeof(why), "hris id \"%.200s\" emitted twice", dup);
  else if(sc->expect == EXPECT_SAME &&
          (!k->base_ok || c.n_ids != k->base_records ||
           hs_ch_ids_digest(&c) != k->base_digest))
    snprintf(why, sizeof(why),
             "%zu records after the retry, the plain replay had %lu (or "
             "other ids)",
             c.n_ids, k->base_records);
  if(!why[0] && c.violation[0])
    snprintf(why, sizeof(why), "contract: %s", c.violation);
  if(!why[0] && c.leak[0])
    snprintf(why, sizeof(why), "secrets: %s", c.leak);
  /* Freed before the leak check, so only the plugin's losses remain. */
  n_ids = c.n_ids;
  hs_ch_free(&c);
  if(!why[0] && hs_cc_leaks() > 0)
    snprintf(why, sizeof(why), "LeakSanitizer found leaks (report on stderr)");

  if(why[0])
    hs_cc_verdict(fd, 0, sc->check, "%s", why);
  else if(sc->expect == EXPECT_FAIL)
    hs_cc_verdict(fd, 1, sc->check, "%s: %s", hs_ch_status_name(o.st),
                  o.detail_set ? o.detail : "(detail from the host)");
  else if(sc->expect == EXPECT_SAME)
    hs_cc_verdict(fd, 1, sc->check,
                  "%u simulated retry honouring Retry-After, same %zu records",
                  c.retries, n_ids);
  else
    hs_cc_verdict(fd, 1, sc->check,
                  "ended cleanly after %u pages, %zu records", o.pages, n_ids);
}

/* ------------------------------------------------------------------ */
/* The parent's side.                                                  */

static void report(void *arg, int pass, const char *check, const char *detail)
{
  kit *k = arg;
  if(pass == HS_CONF_SKIP)
    k->sum->skipped++;
  else if(pass)
    k->sum->passed++;
  else
    k->sum->failed++;
  k->fn(k->arg, pass, check, detail);
}

/* "D\t<ok>\t<records>\t<digest>" from the plain replay. */
static void data_line(void *arg, const char *line)
{
  kit *k = arg;
  unsigned long n = 0;
  unsigned long long dg = 0;
  int ok = 0;
  if(line[0] == 'D' &&
     sscanf(line + 1, "\t%d\t%lu\t%llu", &ok, &n, &dg) == 3) {
    k->base_ok = ok;
    k->base_records = n;
    k->base_digest = dg;
  }
}

/* What a child is given: the kit, and the scenario if it runs one. */
typedef struct job {
  kit *k;
  const scenario *sc;
} job;

static hs_rc in_child(kit *k, const char *what, void (*body)(void *, int),
                      const scenario *sc, hs_err *err)
{
  hs_cc_sink sink = {report, data_line, k};
  job j = {k, sc};
  return hs_cc_run(what, k->p->timeout_s ? k->p->timeout_s : DEFAULT_TIMEOUT_S,
                   body, &j, &sink, err);
}

/* connector.h: close is NULL-safe. A crash here is the child's death. */
static void child_close_null(void *arg, int fd)
{
  job *j = arg;
  j->k->plugin.desc->close(NULL);
  hs_cc_verdict(fd, 1, "close(NULL)", "accepted");
}

static void child_load(void *arg, int fd)
{
  check_load(((job *)arg)->k, fd);
}

static void child_plain(void *arg, int fd)
{
  int leaked;
  check_plain(((job *)arg)->k, fd);
  /* Everything the kit still holds is reachable; what the plugin lost is
  ** not. */
  leaked = hs_cc_leaks();
  if(leaked < 0)
    hs_cc_verdict(fd, HS_CONF_SKIP, "leaks",
                  "not checked: this hrsync is not a sanitizer build");
  else
    hs_cc_verdict(fd, !leaked, "leaks", "%s",
                  leaked ? "LeakSanitizer found leaks (report on stderr)"
                         : "none (LeakSanitizer)");
}

static void child_fault(void *arg, int fd)
{
  job *j = arg;
  run_scenario(j->k, j->sc, fd);
}

hs_rc hs_conf_resolve(const char *plugin, const char *plugin_dir,
                      hs_plugin *out, hs_err *err)
{
  char **dirs = NULL;
  size_t ndirs = 0;
  hs_rc rc;
  size_t n = strlen(plugin);

  memset(out, 0, sizeof(*out));
  if(strchr(plugin, '/') || (n > 3 && !strcmp(plugin + n - 3, ".so")))
    return hs_loader_load_file(plugin, out, err);
  rc = hs_loader_search_dirs(plugin_dir, &dirs, &ndirs, err);
  if(!rc)
    rc = hs_loader_find(dirs, ndirs, plugin, out, err);
  hs_loader_free_dirs(dirs, ndirs);
  return rc;
}

/* The plugin is loaded first in a child: an entry() that crashes is then
** a failed "load", not the end of the kit. */
static void child_try_load(void *arg, int fd)
{
  const hs_conf_params *p = ((job *)arg)->k->p;
  hs_plugin plugin;
  hs_err err;
  memset(&plugin, 0, sizeof(plugin));
  hs_err_clear(&err);
  if(hs_conf_resolve(p->plugin, p->plugin_dir, &plugin, &err))
    hs_cc_verdict(fd, 0, "load", "%s", err.msg);
  else
    hs_cc_line(fd, "O"); /* loaded; reported with its details later */
  hs_plugin_clear(&plugin);
}

hs_rc hs_conf_run(const hs_conf_params *p, hs_conf_report_fn fn, void *arg,
                  hs_conf_summary *sum, hs_err *err)
{
  kit k;
  size_t i;
  hs_rc rc;

  memset(&k, 0, sizeof(k));
  memset(sum, 0, sizeof(*sum));
  k.p = p;
  rc = hs_fixture_load(p->fixtures, &k.fx, err);
  if(rc) {
    /* The fixtures are the kit's input, like a config: exit status 2. */
    hs_fixture_free(&k.fx);
    if(rc != HS_E_NOMEM && err)
      err->rc = HS_E_CONFIG;
    return rc == HS_E_NOMEM ? rc : HS_E_CONFIG;
  }
  k.max_pages = k.fx.max_pages ? k.fx.max_pages : DEFAULT_MAX_PAGES;

  k.fn = fn;
  k.arg = arg;
  k.sum = sum;
  rc = in_child(&k, "load", child_try_load, NULL, err);
  if(!rc && !sum->failed) {
    /* The child survived loading it, so the kit loads it too: the
    ** scenario children inherit the mapping. */
    hs_err lerr;
    hs_err_clear(&lerr);
    if(hs_conf_resolve(p->plugin, p->plugin_dir, &k.plugin, &lerr))
      report(&k, 0, "load", lerr.msg);
    else {
      rc = in_child(&k, "load", child_load, NULL, err);
      if(!rc)
        rc = in_child(&k, "close(NULL)", child_close_null, NULL, err);
      if(!rc)
        rc = in_child(&k, "plain replay", child_plain, NULL, err);
      if(!rc && !k.base_ok)
        report(&k, 0, "fault scenarios",
               "not run: the plain replay must pass first");
      for(i = 0; !rc && k.base_ok && i < NSCENARIOS; i++)
        rc = in_child(&k, scenarios[i].check, child_fault, &scenarios[i], err);
    }
  }
  hs_plugin_clear(&k.plugin);
  hs_fixture_free(&k.fx);
  return rc;
}
