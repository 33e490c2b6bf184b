/*
** The sync commands' shared pipeline and plan printing.
*/
#include "pipeline.h"
#include "progress.h"

#include "../planfile.h"
#include "../recq.h"
#include "../runlog.h"
#include "../secret.h"
#include "../store.h"
#include "../term.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hs_rc nomem(hs_err *err)
{
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

hs_rc hs_session_config(hs_cli *cli, hs_session *s, hs_err *err)
{
  memset(s, 0, sizeof(*s));
  s->cli = cli;
  return hs_config_load(cli->config_path, &s->cfg, err);
}

/* `hrsync init` leaves "REQUIRED: ..." where the user must fill in. */
static hs_rc check_placeholders(const hs_config *cfg, hs_err *err)
{
  size_t i;
  for(i = 0; i < cfg->n_settings; i++)
    if(!strncmp(cfg->settings[i].value, "REQUIRED", 8))
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: settings.%s: still the placeholder from "
                        "`hrsync init`; fill it in",
                        cfg->path, cfg->settings[i].name);
  return HS_OK;
}

const char *hs_session_hris_field(const hs_session *s)
{
  const char *f = s->cfg->mapping[HS_SF_HRIS_ID];
  return f ? f : HS_HRIS_RECORD_ID;
}

/* Re-keying reads the old HRIS id field too. */
static hs_rc want_previous_hris(hs_session *s, hs_err *err)
{
  const char **w;
  if(!s->remap || !s->hris_prev || !strcmp(s->hris_prev, HS_HRIS_RECORD_ID))
    return HS_OK;
  if(!(w = realloc(s->wanted, (s->n_wanted + 2) * sizeof(*w))))
    return nomem(err);
  s->wanted = w;
  w[s->n_wanted++] = s->hris_prev;
  w[s->n_wanted] = NULL;
  return HS_OK;
}

hs_rc hs_session_registry(hs_session *s, const char *db, hs_registry *reg,
                          hs_err *err)
{
  hs_store *st = NULL;
  hs_err ignored;
  hs_rc rc;
  if((rc = hs_store_open(db, HS_STORE_READ, &st, err)) ||
     (rc = hs_store_load(st, reg, err))) {
    hs_store_close(st);
    return rc;
  }
  /* A store from before the meta table has no record of it: not an
  ** error, the next sync records it. */
  if(hs_store_meta_get(st, HS_META_HRIS_FIELD, &s->hris_prev, &ignored))
    s->hris_prev = NULL;
  if(hs_store_meta_get(st, HS_META_LEFT, &s->left_prev, &ignored))
    s->left_prev = NULL;
  hs_store_close(st);
  return HS_OK;
}

static hs_rc load_plugin(hs_session *s, hs_err *err);

hs_rc hs_session_registry_start(hs_session *s, const char *db,
                                hs_registry *reg, hs_err *err)
{
  hs_regload_meta meta = {HS_META_HRIS_FIELD, HS_META_LEFT, NULL, NULL};
  unsigned char need[HS_SF_COUNT];
  hs_rc rc;
  /* The plugin first: the loader probes it in a forked child, and a
  ** child forked while the registry's thread runs may find a lock that
  ** thread held (malloc's, a sanitizer's) held for ever. */
  if((rc = load_plugin(s, err)))
    return rc;
  /* Only what the planner reads: the registry is not kept after. */
  hs_planner_registry_fields(s->cfg, need);
  rc = hs_regload_start_fields(db, reg, need, &meta, &s->regload, err);
  s->hris_prev = meta.hris_prev;
  s->left_prev = meta.left_prev;
  return rc;
}

hs_rc hs_session_registry_wait(hs_session *s, hs_rc rc, hs_err *err)
{
  hs_err mine;
  hs_rc lrc;
  if(!s->regload)
    return rc;
  hs_err_clear(&mine);
  if((lrc = hs_regload_wait(s->regload, NULL, &mine))) {
    *err = mine;
    rc = lrc;
  }
  hs_regload_free(s->regload);
  s->regload = NULL;
  return rc;
}

/* A changed mapping.hris_id (issue 10 case 8) is refused when it would
** re-key people: the new ids find (almost) nobody, so everyone would be
** created again and the old ones left. A field renamed with the same
** values (BambooHR's report "id" is the dataset's "eeid") finds them and
** passes; the new name is then remembered. */
static hs_rc check_remap(const hs_session *s, const hs_plan *plan, hs_err *err)
{
  const char *now = hs_session_hris_field(s);
  if(s->remap || !s->hris_prev || !strcmp(s->hris_prev, now) ||
     !plan->synced || plan->hris_hits * 2 >= plan->synced)
    return HS_OK;
  return hs_err_set(err, HS_E_REFUSED,
                    "%s: mapping.hris_id is \"%s\", but this registry was "
                    "synced with \"%s\": the new ids find %zu of the %zu "
                    "synced stakeholders, so the others would be created "
                    "again and the old ones marked left (never re-map it "
                    "after the first sync); put back \"%s\", or re-key the "
                    "stakeholders by their previous HRIS ids with `hrsync "
                    "sync --remap-hris-id`",
                    s->cfg->path, now, s->hris_prev, plan->hris_hits,
                    plan->synced, s->hris_prev);
}

/* The HRIS ids of the plan's left items, one a line (malloc'd). */
static char *left_list(const hs_plan *plan)
{
  hs_buf b = HS_BUF_INIT;
  size_t i;
  if(hs_buf_puts(&b, ""))
    return NULL;
  for(i = 0; i < plan->n; i++)
    if(plan->items[i].action == HS_ACT_LEFT && plan->items[i].hris_id &&
       hs_buf_printf(&b, "%s\n", plan->items[i].hris_id)) {
      hs_buf_free(&b);
      return NULL;
    }
  return hs_buf_steal(&b);
}

hs_rc hs_session_remember(hs_store *st, const hs_config *cfg,
                          const hs_plan *plan, hs_err *err)
{
  const char *now = !cfg                          ? NULL
                    : cfg->mapping[HS_SF_HRIS_ID] ? cfg->mapping[HS_SF_HRIS_ID]
                                                  : HS_HRIS_RECORD_ID;
  char *left = left_list(plan);
  hs_rc rc;
  if(!left)
    return nomem(err);
  if(!(now && (rc = hs_store_meta_set(st, HS_META_HRIS_FIELD, now, err))))
    rc = hs_store_meta_set(st, HS_META_LEFT, left, err);
  free(left);
  return rc;
}

hs_rc hs_session_log_warnings(hs_store *st, const hs_plan *plan,
                              long long run_id, hs_err *err)
{
  size_t i;
  hs_rc rc = HS_OK;
  for(i = 0; i < plan->n_warnings && !rc; i++)
    rc = hs_runlog_warning(st, run_id, plan->warnings[i].code,
                           plan->warnings[i].message, err);
  return rc;
}

/* How many left items were already left after the last sync. */
static size_t count_known_left(const char *prev, const hs_plan *plan)
{
  hs_strmap *set;
  char *copy, *line, *save = NULL;
  size_t i, n = 0, k;
  if(!prev || !*prev || !(set = hs_strmap_new()))
    return 0;
  if(!(copy = strdup(prev))) {
    hs_strmap_free(set);
    return 0;
  }
  for(line = strtok_r(copy, "\n", &save); line;
      line = strtok_r(NULL, "\n", &save))
    hs_strmap_add(set, line, 0);
  for(i = 0; i < plan->n; i++)
    if(plan->items[i].action == HS_ACT_LEFT && plan->items[i].hris_id &&
       hs_strmap_get(set, plan->items[i].hris_id, &k) && k)
      n++;
  free(copy);
  hs_strmap_free(set);
  return n;
}

size_t hs_session_known_left(const hs_session *s, const hs_plan *plan)
{
  return count_known_left(s->left_prev, plan);
}

/* Finds and loads the plugin (once). */
static hs_rc load_plugin(hs_session *s, hs_err *err)
{
  const hs_config *cfg = s->cfg;
  hs_rc rc;
  if(s->plugin.desc)
    return HS_OK;
  if((rc = check_placeholders(cfg, err)) ||
     (rc = hs_loader_search_dirs(s->cli->plugin_dir, &s->dirs, &s->ndirs,
                                 err)) ||
     (rc = hs_loader_find(s->dirs, s->ndirs, cfg->connector, &s->plugin, err)))
    return rc;
  return hs_config_check_connector(cfg, s->plugin.desc, err);
}

hs_rc hs_session_connect(hs_session *s, hs_err *err)
{
  const hs_config *cfg = s->cfg;
  hs_http_opts hopts;
  hs_conn_params p;
  size_t i;
  hs_rc rc;
  if((rc = load_plugin(s, err)))
    return rc;
  s->secrets = calloc(cfg->n_secrets ? cfg->n_secrets : 1, sizeof(hrsync_kv));
  if(!s->secrets)
    return nomem(err);
  for(i = 0; i < cfg->n_secrets; i++) {
    char key[256], *val;
    snprintf(key, sizeof(key), "%s: secrets.%s", cfg->path,
             cfg->secrets[i].name);
    if((rc = hs_secret_resolve(cfg->secrets[i].value, key, cfg->dir, &val,
                               err)))
      return rc;
    s->secrets[s->n_secrets].name = cfg->secrets[i].name;
    s->secrets[s->n_secrets++].value = val;
    if(hs_log_add_secret(s->cli->log, val))
      return nomem(err);
  }
  memset(&hopts, 0, sizeof(hopts));
  hopts.max_retries = -1;
  hopts.max_body_bytes = cfg->limits.body_bytes;
  hopts.concurrency = (int)cfg->limits.concurrency;
  hopts.max_retry_after_ms = (long)cfg->limits.retry_wait_s * 1000;
  if(cfg->limits.rate_set)
    hopts.rate_per_minute = cfg->limits.requests_per_minute
                                ? (long)cfg->limits.requests_per_minute
                                : -1;
  if((rc = hs_config_wanted(cfg, &s->wanted, &s->n_wanted, err)) ||
     (rc = want_previous_hris(s, err)) ||
     (rc = hs_http_new(&hopts, s->cli->log, &s->http, err)))
    return rc;
  memset(&p, 0, sizeof(p));
  p.plugin = &s->plugin;
  p.settings = cfg->settings;
  p.n_settings = cfg->n_settings;
  p.secrets = s->secrets;
  p.n_secrets = s->n_secrets;
  p.wanted_fields = s->wanted;
  p.n_wanted = s->n_wanted;
  p.http = s->http;
  p.log = s->cli->log;
  p.limits = cfg->limits;
  p.changed_since = s->changed_since;
  if((rc = hs_conn_open(&p, &s->conn, err))) {
    if(rc == HS_E_CONFIG)
      hs_err_prefix(err, "%s", cfg->path);
    return rc;
  }
  return hs_conn_authenticate(s->conn, err);
}

static hs_rc on_field(void *arg, const hrsync_field_def *def, hs_err *err)
{
  hs_fieldset *fs = arg;
  hs_field_entry *e;
  size_t n;
  if(!def->id || !*def->id)
    return HS_OK;
  if(hs_strmap_get(fs->index, def->id, &n) && n)
    return HS_OK; /* first description wins */
  if(fs->n == fs->cap) {
    size_t cap = fs->cap ? fs->cap * 2 : 64;
    hs_field_entry *ni = realloc(fs->items, cap * sizeof(*ni));
    if(!ni)
      return nomem(err);
    fs->items = ni;
    fs->cap = cap;
  }
  e = &fs->items[fs->n];
  e->id = strdup(def->id);
  e->label = def->label ? strdup(def->label) : NULL;
  e->type = (int)def->type;
  e->flags = (int)def->flags;
  if(!e->id || (def->label && !e->label)) {
    free(e->id);
    free(e->label);
    return nomem(err);
  }
  if(hs_strmap_add(fs->index, e->id, fs->n)) {
    free(e->id);
    free(e->label);
    return nomem(err);
  }
  fs->n++;
  return HS_OK;
}

static int field_known(void *arg, const char *id)
{
  size_t n;
  hs_strmap_get(((hs_fieldset *)arg)->index, id, &n);
  return n > 0;
}

static const char *field_nth(void *arg, size_t i)
{
  const hs_fieldset *fs = arg;
  return i < fs->n ? fs->items[i].id : NULL;
}

static int field_type(void *arg, const char *id)
{
  const hs_fieldset *fs = arg;
  size_t n;
  const size_t *v = hs_strmap_get(fs->index, id, &n);
  return n ? fs->items[v[0]].type : -1;
}

hs_rc hs_session_fields(hs_session *s, int check, hs_err *err)
{
  hs_rc rc;
  if(!(s->fields.index = hs_strmap_new()))
    return nomem(err);
  if((rc = hs_conn_list_fields(s->conn, on_field, &s->fields, err)))
    return rc;
  /* A connector that lists no fields cannot be checked against. */
  if(check && s->fields.n &&
     (rc = hs_config_check_fields_near(s->cfg, field_known, field_nth,
                                       &s->fields, err)))
    return rc;
  return check ? hs_config_check_types(s->cfg, s->fields.n ? field_type : NULL,
                                       &s->fields, err)
               : HS_OK;
}

typedef struct fetch_ctx {
  hs_session *s;
  const hs_registry *reg;
  hs_planner *planner;  /* NULL until the registry is there */
  hs_recq *waiting;     /* records fetched before it was (recq.h) */
  hs_progress progress; /* the terminal's progress line (progress.c) */
} fetch_ctx;

/* What records may wait for the registry, in copied bytes: some 10,000
** people, a tenth of a second of fetching. */
#define HS_WAITING_BYTES (4u << 20)

/* The planner, once the registry is there (waited for when it loads in
** the background). */
static hs_rc make_planner(fetch_ctx *f, hs_err *err)
{
  hs_session *s = f->s;
  hs_matcher *m = NULL;
  hs_rc rc;
  if(s->regload && (rc = hs_regload_wait(s->regload, &m, err)))
    return rc;
  rc = m ? hs_planner_new_matched(f->reg, m, s->cfg,
                                  s->fields.n ? field_type : NULL, &s->fields,
                                  &f->planner, err)
         : hs_planner_new(f->reg, s->cfg, s->fields.n ? field_type : NULL,
                          &s->fields, &f->planner, err);
  if(rc)
    return rc;
  if(s->remap && s->hris_prev)
    hs_planner_remap(f->planner, strcmp(s->hris_prev, HS_HRIS_RECORD_ID)
                                     ? s->hris_prev
                                     : "");
  return HS_OK;
}

/* The planner, then the records that waited for it, in their order. */
static hs_rc start_planning(fetch_ctx *f, hs_err *err)
{
  size_t i, n = f->waiting ? hs_recq_count(f->waiting) : 0;
  hs_rc rc = make_planner(f, err);
  for(i = 0; i < n && !rc; i++) {
    hs_record rec;
    hs_recq_get(f->waiting, i, &rec);
    rc = hs_planner_add(f->planner, &rec, err);
  }
  hs_recq_free(f->waiting);
  f->waiting = NULL;
  return rc;
}

/* Before the registry is there, a record waits in the queue (while
** there is room) and the fetch goes on: 1 when it was queued. */
static int queue_record(fetch_ctx *f, const hs_record *rec, hs_err *err)
{
  int q;
  if(!f->s->regload || hs_regload_done(f->s->regload))
    return 0;
  if(!f->waiting && !(f->waiting = hs_recq_new(HS_WAITING_BYTES)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory"), -1;
  if((q = hs_recq_push(f->waiting, rec)) < 0)
    return hs_err_set(err, HS_E_NOMEM, "out of memory"), -1;
  return q == 0;
}

static hs_rc on_record(void *arg, const hs_record *rec, hs_err *err)
{
  fetch_ctx *f = arg;
  hs_rc rc;
  int queued;
  f->s->records++;
  if(f->progress.f) {
    hs_fetch_stats st;
    hs_conn_get_stats(f->s->conn, &st);
    hs_progress_fetch(&f->progress, f->s->records, st.total, st.has_total);
  }
  if(!f->planner) {
    if((queued = queue_record(f, rec, err)) < 0)
      return HS_E_NOMEM;
    if(queued)
      return HS_OK;
    if((rc = start_planning(f, err)))
      return rc;
  }
  rc = hs_planner_add(f->planner, rec, err);
  if(!rc && f->s->planned)
    f->s->planned(f->s->planned_arg, hs_planner_plan(f->planner));
  return rc;
}

static const char *conn_withheld(void *arg, const char *field_id)
{
  return hs_conn_withheld(arg, field_id);
}

/* The connector's warnings of this fetch, as plan warnings: in --json, in
** the run log and under -q, like the planner's own. */
static hs_rc take_conn_warnings(hs_session *s, hs_plan *plan, hs_err *err)
{
  const char *w;
  size_t i;
  for(i = 0; (w = hs_conn_warning_at(s->conn, i)); i++)
    if(hs_plan_warn(plan, "connector", "%s: %s", s->cfg->connector, w))
      return nomem(err);
  return HS_OK;
}

static void print_conn_warnings(hs_session *s)
{
  const char *w;
  size_t i;
  for(i = 0; (w = hs_conn_warning_at(s->conn, i)); i++)
    hs_log_write(s->cli->log, HS_LOG_WARN, s->cfg->connector, w);
}

hs_rc hs_session_plan(hs_session *s, const hs_registry *reg, hs_plan *plan,
                      hs_err *err)
{
  fetch_ctx f;
  hs_rc rc;
  memset(plan, 0, sizeof(*plan));
  f.s = s;
  f.reg = reg;
  f.planner = NULL;
  f.waiting = NULL;
  /* A registry loading in the background is waited for by the first
  ** record (or after a fetch of none). */
  if(!s->regload && (rc = make_planner(&f, err)))
    return rc;
  hs_progress_start(&f.progress, s->cli);
  hs_conn_collect_warnings(s->conn);
  rc = hs_conn_fetch(s->conn, on_record, &f, err);
  if(!rc && !f.planner)
    rc = start_planning(&f, err);
  hs_recq_free(f.waiting); /* a fetch that failed with records waiting */
  if(rc)
    hs_progress_end(&f.progress); /* the error follows on its own line */
  else
    hs_progress_fetch_done(&f.progress, s->records);
  if(!rc) {
    hs_fetch_stats fs;
    hs_conn_get_stats(s->conn, &fs);
    if(fs.changed_only)
      hs_planner_changed_only(f.planner);
    rc = hs_planner_check_withheld(f.planner, conn_withheld, s->conn, err);
  }
  if(!rc)
    rc = hs_planner_finish(f.planner, plan, err);
  if(!rc)
    rc = take_conn_warnings(s, plan, err);
  else
    print_conn_warnings(s); /* what led up to the error */
  if(!rc)
    plan->left_known = count_known_left(s->left_prev, plan);
  if(!rc && (rc = check_remap(s, plan, err)))
    hs_plan_clear(plan);
  hs_planner_free(f.planner);
  return rc;
}

void hs_session_close(hs_session *s)
{
  size_t i;
  hs_regload_free(s->regload); /* waits: the registry is the caller's */
  hs_conn_close(s->conn);
  hs_http_free(s->http);
  for(i = 0; i < s->n_secrets; i++) {
    char *v = (char *)s->secrets[i].value;
    memset(v, 0, strlen(v));
    free(v);
  }
  free(s->secrets);
  free(s->wanted);
  free(s->hris_prev);
  free(s->left_prev);
  for(i = 0; i < s->fields.n; i++) {
    free(s->fields.items[i].id);
    free(s->fields.items[i].label);
  }
  free(s->fields.items);
  hs_strmap_free(s->fields.index);
  if(s->dirs)
    hs_loader_free_dirs(s->dirs, s->ndirs);
  hs_plugin_clear(&s->plugin);
  hs_config_free(s->cfg);
  memset(s, 0, sizeof(*s));
}

hs_rc hs_cli_db_path(hs_cli *cli, char **path, hs_err *err)
{
  hs_config *cfg;
  hs_rc rc;
  *path = NULL;
  if(cli->db_path) {
    *path = strdup(cli->db_path);
    return *path ? HS_OK : nomem(err);
  }
  if((rc = hs_config_load(cli->config_path, &cfg, err)))
    return rc;
  if(cfg->database)
    *path = strdup(cfg->database);
  else {
    hs_buf b = HS_BUF_INIT;
    if(!hs_buf_printf(&b, "%s/hrsync.db", cfg->dir))
      *path = hs_buf_steal(&b);
    hs_buf_free(&b);
  }
  hs_config_free(cfg);
  return *path ? HS_OK : nomem(err);
}

int hs_plan_writes(const hs_plan *plan)
{
  size_t i;
  for(i = 0; i < plan->n; i++) {
    const hs_plan_item *it = &plan->items[i];
    if(it->action == HS_ACT_CREATE || it->action == HS_ACT_UPDATE ||
       (it->action == HS_ACT_LEFT && it->n_changes))
      return 1;
  }
  return 0;
}

static void print_value(FILE *f, const char *v)
{
  if(v) {
    fputc('"', f);
    hs_term_fputs(f, v);
    fputc('"', f);
  }
  else
    fputs("(none)", f);
}

static void print_item(FILE *f, const hs_plan_item *it)
{
  static const char marks[HS_ACT_COUNT] = {'+', '~', '=', '-', '!', '<'};
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n;
  /* HR text goes through hs_term: escaped, it cannot drive the terminal. */
  fprintf(f, "%c %-9s ", marks[it->action], hs_action_name(it->action));
  hs_term_fpad(f, it->hris_id, 12);
  if(it->sh_id)
    fprintf(f, "#%lld ", it->sh_id);
  hs_term_fputs(f, it->name ? it->name : "(no name)");
  if(it->reason) {
    fputs(": ", f);
    hs_term_fputs(f, it->reason);
  }
  fputc('\n', f);
  if(it->note) {
    fputs("    note: ", f);
    hs_term_fputs(f, it->note);
    fputc('\n', f);
  }
  for(i = 0; i < it->n_kept; i++) {
    fprintf(f, "    %-16s ", hs_sf_name(it->kept[i].field));
    print_value(f, it->kept[i].before);
    fputs(" kept (the HR system sent no value)\n", f);
  }
  n = hs_item_changes(it, ch);
  if(it->action == HS_ACT_CREATE) {
    /* One line: a new person's values, not a diff against nothing. */
    int first = 1;
    for(i = 0; i < n; i++) {
      const hs_change *c = &ch[i];
      if(c->field == HS_SF_NAME || c->field == HS_SF_TYPE ||
         c->field == HS_SF_HRIS_ID)
        continue;
      fprintf(f, "%s%s=", first ? "    " : ", ", hs_sf_name(c->field));
      hs_term_fputs(f, c->after);
      first = 0;
    }
    if(!first)
      fputc('\n', f);
    return;
  }
  for(i = 0; i < n; i++) {
    fprintf(f, "    %-16s ", hs_sf_name(ch[i].field));
    print_value(f, ch[i].before);
    fputs(" -> ", f);
    print_value(f, ch[i].after);
    fputc('\n', f);
  }
}

/* Warnings on stderr, also under -q: they are why a sync may be wrong. */
void hs_print_warnings(hs_cli *cli, const hs_plan *plan)
{
  size_t i;
  for(i = 0; i < plan->n_warnings; i++) {
    /* A warning may quote HR values (names, ids): escaped. */
    fputs("hrsync: warning: ", cli->errf);
    hs_term_fputs(cli->errf, plan->warnings[i].message);
    fprintf(cli->errf, " [%s]\n", plan->warnings[i].code);
  }
}

/* Unchanged items are listed only when they carry something to read. */
static int worth_listing(const hs_plan_item *it)
{
  return it->action != HS_ACT_UNCHANGED || it->note || it->n_kept;
}

void hs_print_plan(hs_cli *cli, const hs_plan *plan, long long run_id)
{
  hs_print_plan_ex(cli, plan, run_id, 0);
}

void hs_print_plan_ex(hs_cli *cli, const hs_plan *plan, long long run_id,
                      int summary_only)
{
  FILE *f = cli->out;
  size_t i;
  int a;
  if(cli->json) {
    hs_buf b = HS_BUF_INIT;
    hs_err err;
    cli->json_printed = 1; /* the one JSON document on stdout */
    if(!hs_plan_to_json(plan, summary_only ? 2 : 0, &b, &err)) {
      if(run_id > 0 && b.len > 2) {
        /* Add "run_id" before the closing brace. */
        b.data[b.len - 2] = 0;
        fprintf(f, "%s,\"run_id\":%lld}\n", b.data, run_id);
      }
      else
        fputs(hs_buf_str(&b), f);
    }
    hs_buf_free(&b);
    /* The warnings are in the document; people watching stderr get them
    ** too, as the log lines they once were. */
    hs_print_warnings(cli, plan);
    return;
  }
  fprintf(f, "Plan for %s", plan->connector ? plan->connector : "?");
  if(plan->records || plan->registry)
    fprintf(f,
            ": %zu record%s from the HR system, %zu stakeholder%s in the "
            "registry",
            plan->records, plan->records == 1 ? "" : "s", plan->registry,
            plan->registry == 1 ? "" : "s");
  fprintf(f, "\n\n ");
  for(a = 0; a < HS_ACT_COUNT; a++)
    fprintf(f, " %9s", hs_action_name(a));
  fprintf(f, "\n ");
  for(a = 0; a < HS_ACT_COUNT; a++)
    fprintf(f, " %9zu", plan->counts[a]);
  fprintf(f, "\n");
  hs_print_warnings(cli, plan);
  if(summary_only)
    return;
  for(i = 0; i < plan->n && !worth_listing(&plan->items[i]); i++)
    ;
  if(i < plan->n)
    fprintf(f, "\n");
  /* The order people act on: what will change, then what needs them. */
  for(a = 0; a < HS_ACT_COUNT; a++) {
    static const int order[HS_ACT_COUNT] = {HS_ACT_CREATE,  HS_ACT_UPDATE,
                                            HS_ACT_LEFT,    HS_ACT_CONFLICT,
                                            HS_ACT_SKIPPED, HS_ACT_UNCHANGED};
    for(i = 0; i < plan->n; i++)
      if(plan->items[i].action == order[a] && worth_listing(&plan->items[i]))
        print_item(f, &plan->items[i]);
  }
}
