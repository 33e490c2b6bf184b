/*
** hrsync init PLUGIN [-o FILE] [--force] [--set KEY=VALUE]... [--base-url
** URL] [--offline]: writes a starter config from the connector's descriptor:
*its
** settings (defaults filled in, --set values, required ones left as
** "REQUIRED: ..." placeholders that `check` refuses), its secrets as
** env:HRSYNC_<PLUGIN>_<KEY> references, its suggested mapping, and an
** example condition and group rule. Private (0600), never overwriting
** without --force.
**
** Tenant-aware: when pointed at a tenant (--set or --base-url), every
** required setting has a value and every required secret's environment
** variable is set, init connects, reads the tenant's fields and leaves
** out the suggested mapping entries the tenant lacks (a real BambooHR
** tenant may have no nationality), saying so on stderr, so that `check`
** passes on the file as written. A failure to read them is init's error
** (nothing written). Without --set/--base-url, or with --offline, init
** never connects.
*/
#include "../buf.h"
#include "../host.h"
#include "../http.h"
#include "../loader.h"
#include "../strmap.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void upper(hs_buf *b, const char *s)
{
  for(; *s; s++) {
    char c = *s;
    if(c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    else if(!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      c = '_';
    hs_buf_append(b, &c, 1);
  }
}

#define INIT_MAX_SETS 32

/* What init was told and found. */
typedef struct init_ctx {
  hrsync_kv sets[INIT_MAX_SETS]; /* --set KEY=VALUE (values: argv's) */
  char keys[INIT_MAX_SETS][64];  /* the keys, copied out of argv */
  size_t n_sets;
  hs_strmap *known; /* the tenant's field ids, or NULL (not read) */
  hs_cli *cli;
} init_ctx;

/* The command line's other options. */
typedef struct init_opts {
  const char *name, *out;
  int force, offline;
} init_opts;

static const char *set_value(const init_ctx *ic, const char *key)
{
  size_t i;
  for(i = ic->n_sets; i-- > 0;)
    if(!strcmp(ic->sets[i].name, key))
      return ic->sets[i].value;
  return NULL;
}

/* Whether the tenant has field id (always, when its fields were not
** read). */
static int tenant_has(const init_ctx *ic, const char *id)
{
  size_t n = 0;
  if(!ic->known)
    return 1;
  hs_strmap_get(ic->known, id, &n);
  return n > 0;
}

static int build(const hrsync_connector *d, const init_ctx *ic, hs_buf *b)
{
  const hrsync_setting_def *s;
  const hrsync_kv *kv;
  const char *term = NULL;
  int first = 1, bad = 0;
  bad |= hs_buf_puts(b, "{\n  \"connector\": ");
  bad |= hs_buf_json_str(b, d->name);
  bad |= hs_buf_puts(b, ",\n  \"settings\": {");
  for(s = d->settings; s && s->key; s++) {
    /* Optional settings without a default are left out: any value
    ** written here would be sent to the connector. */
    if((s->flags & HRSYNC_SETTING_SECRET) ||
       (!s->default_value && !(s->flags & HRSYNC_SETTING_REQUIRED) &&
        !set_value(ic, s->key)))
      continue;
    bad |= hs_buf_printf(b, "%s\n    ", first ? "" : ",");
    bad |= hs_buf_json_str(b, s->key);
    bad |= hs_buf_puts(b, ": ");
    if(set_value(ic, s->key))
      bad |= hs_buf_json_str(b, set_value(ic, s->key));
    else if(s->default_value)
      bad |= hs_buf_json_str(b, s->default_value);
    else {
      hs_buf ph = HS_BUF_INIT;
      bad |= hs_buf_printf(&ph, "REQUIRED: %s", s->label ? s->label : s->key);
      bad |= hs_buf_json_str(b, hs_buf_str(&ph));
      hs_buf_free(&ph);
    }
    first = 0;
  }
  bad |= hs_buf_puts(b, first ? "},\n" : "\n  },\n");
  bad |= hs_buf_puts(b, "  \"secrets\": {");
  first = 1;
  for(s = d->settings; s && s->key; s++) {
    hs_buf ref = HS_BUF_INIT;
    if(!(s->flags & HRSYNC_SETTING_SECRET))
      continue;
    bad |= hs_buf_puts(&ref, "env:HRSYNC_");
    upper(&ref, d->name);
    bad |= hs_buf_puts(&ref, "_");
    upper(&ref, s->key);
    bad |= hs_buf_printf(b, "%s\n    ", first ? "" : ",");
    bad |= hs_buf_json_str(b, s->key);
    bad |= hs_buf_puts(b, ": ");
    bad |= hs_buf_json_str(b, hs_buf_str(&ref));
    hs_buf_free(&ref);
    first = 0;
  }
  bad |= hs_buf_puts(b, first ? "},\n" : "\n  },\n");
  bad |= hs_buf_puts(b, "  \"database\": \"hrsync.db\",\n"
                        "  \"name_format\": \"first_last\",\n"
                        "  \"mapping\": {");
  first = 1;
  for(kv = d->suggested_mapping; kv && kv->name; kv++) {
    if(!strcmp(kv->name, "termination_date"))
      term = kv->value;
    if(!tenant_has(ic, kv->value)) {
      /* A comment line, so the file itself stays plain JSON. */
      if(!ic->cli->quiet)
        fprintf(ic->cli->errf,
                "# init: left out mapping.%s: this %s tenant has no field "
                "\"%s\"\n",
                kv->name, d->display_name ? d->display_name : d->name,
                kv->value);
      continue;
    }
    bad |= hs_buf_printf(b, "%s\n    ", first ? "" : ",");
    bad |= hs_buf_json_str(b, kv->name);
    bad |= hs_buf_puts(b, ": ");
    bad |= hs_buf_json_str(b, kv->value);
    first = 0;
  }
  bad |= hs_buf_puts(b, first ? "},\n" : "\n  },\n");
  /* The example: sync people without a termination date; those who get
  ** one become "left" and join the Ex-employee group. */
  if(term && tenant_has(ic, term)) {
    bad |= hs_buf_puts(b, "  \"conditions\": [\n    {\"field\": ");
    bad |= hs_buf_json_str(b, term);
    bad |= hs_buf_puts(b, ", \"op\": \"empty\"}\n  ],\n"
                          "  \"groups\": [\n"
                          "    {\"group\": \"Ex-employee\", \"if\": "
                          "[{\"field\": ");
    bad |= hs_buf_json_str(b, term);
    bad |= hs_buf_puts(b, ", \"op\": \"not empty\"}]}\n  ]\n}\n");
  }
  else {
    /* Said, as a left-out mapping is: without the example everyone is
    ** synced, former employees too. */
    if(term && !ic->cli->quiet)
      fprintf(ic->cli->errf,
              "# init: left out the example condition and the Ex-employee "
              "group: this %s tenant has no field \"%s\"; with no "
              "conditions everyone is synced, former employees too\n",
              d->display_name ? d->display_name : d->name, term);
    bad |= hs_buf_puts(b, "  \"conditions\": [],\n  \"groups\": []\n}\n");
  }
  return bad;
}

/* The environment variable init writes for secret key (env:NAME). */
static int secret_env(const hrsync_connector *d, const char *key, hs_buf *b)
{
  int bad = hs_buf_puts(b, "HRSYNC_");
  upper(b, d->name);
  bad |= hs_buf_puts(b, "_");
  upper(b, key);
  return bad;
}

/* Checks the --set keys against the descriptor: known, and not secrets
** (those come from the environment, never the command line). */
static hs_rc check_sets(const hrsync_connector *d, const init_ctx *ic,
                        hs_err *err)
{
  size_t i;
  for(i = 0; i < ic->n_sets; i++) {
    const hrsync_setting_def *s;
    for(s = d->settings; s && s->key; s++)
      if(!strcmp(s->key, ic->sets[i].name))
        break;
    if(!s || !s->key)
      return hs_err_set(err, HS_E_USAGE,
                        "init: --set %s: %s has no such setting",
                        ic->sets[i].name, d->name);
    if(s->flags & HRSYNC_SETTING_SECRET) {
      hs_buf env = HS_BUF_INIT;
      hs_rc rc = secret_env(d, s->key, &env)
                     ? hs_err_set(err, HS_E_NOMEM, "out of memory")
                     : hs_err_set(err, HS_E_USAGE,
                                  "init: --set %s: a secret; set the "
                                  "environment variable %s instead",
                                  s->key, hs_buf_str(&env));
      hs_buf_free(&env);
      return rc;
    }
  }
  return HS_OK;
}

/* Gathers the settings and secrets a connection needs; returns 0 with
** *ok = 0 (and the first missing one in why) when something required
** is missing. Secrets come from the env:HRSYNC_<PLUGIN>_<KEY> variables
** the written config refers to. Strings borrowed from the descriptor,
** argv and the environment. */
static int gather(const hrsync_connector *d, const init_ctx *ic,
                  hrsync_kv *set, size_t *n_set, hrsync_kv *sec, size_t *n_sec,
                  size_t cap, hs_buf *why, int *ok)
{
  const hrsync_setting_def *s;
  *n_set = *n_sec = 0;
  *ok = 1;
  for(s = d->settings; s && s->key && *n_set < cap && *n_sec < cap; s++) {
    const char *v;
    if(s->flags & HRSYNC_SETTING_SECRET) {
      hs_buf env = HS_BUF_INIT;
      if(secret_env(d, s->key, &env))
        return -1;
      v = getenv(hs_buf_str(&env));
      if(v && *v) {
        sec[*n_sec].name = s->key;
        sec[(*n_sec)++].value = v;
      }
      else if((s->flags & HRSYNC_SETTING_REQUIRED) && *ok) {
        *ok = 0;
        hs_buf_printf(why, "%s is not set", hs_buf_str(&env));
      }
      hs_buf_free(&env);
      continue;
    }
    v = set_value(ic, s->key);
    if(!v)
      v = s->default_value;
    if(v) {
      set[*n_set].name = s->key;
      set[(*n_set)++].value = v;
    }
    else if((s->flags & HRSYNC_SETTING_REQUIRED) && *ok) {
      *ok = 0;
      hs_buf_printf(why, "setting %s has no value (--set %s=...)", s->key,
                    s->key);
    }
  }
  return 0;
}

static hs_rc on_field(void *arg, const hrsync_field_def *def, hs_err *err)
{
  hs_strmap *known = arg;
  size_t n = 0;
  if(!def->id || !*def->id)
    return HS_OK;
  hs_strmap_get(known, def->id, &n);
  if(!n && hs_strmap_add(known, def->id, 1))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  return HS_OK;
}

/* Connects with what gather found and reads the tenant's field ids into
** ic->known. */
static hs_rc read_tenant(hs_cli *cli, const hs_plugin *plugin, init_ctx *ic,
                         const hrsync_kv *set, size_t n_set,
                         const hrsync_kv *sec, size_t n_sec, hs_err *err)
{
  hs_conn_params p;
  hs_http *http = NULL;
  hs_conn *conn = NULL;
  hs_rc rc;
  size_t i;
  for(i = 0; i < n_sec; i++)
    if(hs_log_add_secret(cli->log, sec[i].value))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(!(ic->known = hs_strmap_new()))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((rc = hs_http_new(NULL, cli->log, &http, err)))
    return rc;
  memset(&p, 0, sizeof(p));
  p.plugin = plugin;
  p.settings = set;
  p.n_settings = n_set;
  p.secrets = sec;
  p.n_secrets = n_sec;
  p.http = http;
  p.log = cli->log;
  if(!(rc = hs_conn_open(&p, &conn, err)) &&
     !(rc = hs_conn_authenticate(conn, err)))
    rc = hs_conn_list_fields(conn, on_field, ic->known, err);
  hs_conn_close(conn);
  hs_http_free(http);
  if(rc)
    hs_err_prefix(err, "init: reading the tenant's fields");
  return rc;
}

/* The command line: PLUGIN, -o, --force, --offline, --set, --base-url.
** Returns 0, or the usage error's exit status. */
static int parse_args(hs_cli *cli, int argc, char **argv, init_ctx *ic,
                      init_opts *o)
{
  int i;
  for(i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if(!strcmp(a, "-o") && v)
      o->out = argv[++i];
    else if(!strcmp(a, "--force"))
      o->force = 1;
    else if(!strcmp(a, "--offline"))
      o->offline = 1;
    else if((!strcmp(a, "--set") || !strcmp(a, "--base-url")) && v) {
      const char *eq = a[2] == 's' ? strchr(v, '=') : NULL;
      size_t klen = eq ? (size_t)(eq - v) : 0;
      hrsync_kv *kv = &ic->sets[ic->n_sets];
      if(ic->n_sets == INIT_MAX_SETS)
        return hs_cli_usage_error(cli, "init", "too many --set options");
      if(a[2] == 's' && (!eq || !klen || klen >= sizeof(ic->keys[0])))
        return hs_cli_usage_error(cli, "init",
                                  "--set wants KEY=VALUE, not \"%s\"", v);
      if(eq) {
        memcpy(ic->keys[ic->n_sets], v, klen);
        ic->keys[ic->n_sets][klen] = 0;
        kv->name = ic->keys[ic->n_sets];
        kv->value = eq + 1;
      }
      else {
        kv->name = "base_url";
        kv->value = v;
      }
      ic->n_sets++;
      i++;
    }
    else if(a[0] != '-' && !o->name)
      o->name = a;
    else
      return hs_cli_usage_error(cli, "init", "unexpected argument \"%s\"", a);
  }
  if(!o->name)
    return hs_cli_usage_error(cli, "init",
                              "which connector? e.g. `hrsync "
                              "init bamboohr`");
  return 0;
}

/* Writes text to out, private (0600). Without force: O_EXCL, so an
** existing file is never touched. With it: a complete temporary file
** replaces the old one. */
static hs_rc write_config(const char *out, int force, const hs_buf *text,
                          hs_err *err)
{
  hs_buf tmp = HS_BUF_INIT;
  hs_rc rc = HS_OK;
  int fd;
  if(force && hs_buf_printf(&tmp, "%s.tmp-%ld", out, (long)getpid()))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  fd = open(force ? hs_buf_str(&tmp) : out,
            O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL), 0600);
  if(fd < 0 && errno == EEXIST)
    rc = hs_err_set(err, HS_E_USAGE,
                    "%s: already exists (use --force to overwrite it)", out);
  else if(fd < 0)
    rc =
        hs_err_set(err, HS_E_IO, "%s: cannot write: %s", out, strerror(errno));
  else if(write(fd, text->data, text->len) != (ssize_t)text->len ||
          fsync(fd) || close(fd) || (force && rename(hs_buf_str(&tmp), out))) {
    rc =
        hs_err_set(err, HS_E_IO, "%s: cannot write: %s", out, strerror(errno));
    unlink(force ? hs_buf_str(&tmp) : out);
  }
  hs_buf_free(&tmp);
  return rc;
}

/* Reads the tenant's fields into ic->known when init was pointed at a
** tenant and every credential is there; says why not otherwise. */
static hs_rc fit_to_tenant(hs_cli *cli, const hs_plugin *plugin,
                           const init_opts *o, init_ctx *ic, hs_err *err)
{
  hrsync_kv set[64], sec[64];
  size_t n_set = 0, n_sec = 0;
  hs_buf why = HS_BUF_INIT;
  hs_rc rc = HS_OK;
  int ok = 0;
  /* Only when pointed at a tenant (--set/--base-url): init never makes
  ** a network call the user did not ask for. */
  if(!ic->n_sets || o->offline)
    return HS_OK;
  if(gather(plugin->desc, ic, set, &n_set, sec, &n_sec,
            sizeof(set) / sizeof(set[0]), &why, &ok))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  else if(ok)
    rc = read_tenant(cli, plugin, ic, set, n_set, sec, n_sec, err);
  else if(!cli->quiet)
    fprintf(cli->errf,
            "# init: not reading the tenant's fields (%s); the mapping is "
            "the connector's suggestion\n",
            hs_buf_str(&why));
  hs_buf_free(&why);
  return rc;
}

int hs_cmd_init(hs_cli *cli, int argc, char **argv)
{
  char **dirs = NULL;
  size_t ndirs = 0;
  hs_plugin plugin;
  hs_buf text = HS_BUF_INIT;
  init_opts o;
  init_ctx ic;
  hs_err err;
  hs_rc rc;
  const char *shown;
  int bad;
  hs_err_clear(&err);
  memset(&plugin, 0, sizeof(plugin));
  memset(&ic, 0, sizeof(ic));
  memset(&o, 0, sizeof(o));
  ic.cli = cli;
  o.out = cli->config_path;
  if((bad = parse_args(cli, argc, argv, &ic, &o)))
    return bad;
  if((rc = hs_loader_search_dirs(cli->plugin_dir, &dirs, &ndirs, &err)) ||
     (rc = hs_loader_find(dirs, ndirs, o.name, &plugin, &err)) ||
     (rc = check_sets(plugin.desc, &ic, &err)) ||
     (rc = fit_to_tenant(cli, &plugin, &o, &ic, &err)))
    goto out;
  if(build(plugin.desc, &ic, &text)) {
    rc = hs_err_set(&err, HS_E_NOMEM, "out of memory");
    goto out;
  }
  if((rc = write_config(o.out, o.force, &text, &err)))
    goto out;
  shown = plugin.desc->display_name ? plugin.desc->display_name : o.name;
  if(cli->json)
    hs_cli_json_result(cli, "written", o.out);
  else if(!cli->quiet && ic.known)
    fprintf(cli->errf,
            "hrsync: wrote %s for %s, fitted to the tenant's fields; run "
            "`hrsync check`\n",
            o.out, shown);
  else if(!cli->quiet)
    fprintf(cli->errf,
            "hrsync: wrote %s for %s; fill in the REQUIRED settings, set "
            "the secrets' environment variables, then run `hrsync check`\n",
            o.out, shown);
out:
  if(ic.known)
    hs_strmap_free(ic.known);
  hs_plugin_clear(&plugin);
  if(dirs)
    hs_loader_free_dirs(dirs, ndirs);
  hs_buf_free(&text);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
