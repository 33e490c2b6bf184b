/*
** hs_conf_record: `hrsync conformance PLUGIN --record DIR -c CONFIG`.
**
** Drives the plugin once against a live server (our emulator, or a
** sandbox of the HR system) through the engine's own transport, keeping
** every exchange, and writes them as a fixture folder the kit replays.
** What a fixture folder must never hold is a real secret: every secret
** value and every token the plugin marked, in each encoding a connector
** sends them (conf_redact.h), and the live base_url are replaced before
** anything is written; a request body flagged HRSYNC_HTTP_SENSITIVE_BODY
** is not recorded at all; a secret still found in any form refuses the
** whole recording, and nothing is written when the run fails.
*/
#include "conformance.h"

#include "buf.h"
#include "conf_host.h"
#include "conf_redact.h"
#include "config.h"
#include "http.h"
#include "secret.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct rec_state {
  hs_config *cfg;
  hs_plugin plugin;
  hs_http *http;
  hrsync_kv *secrets; /* resolved values, owned */
  size_t n_secrets;
  const char **wanted; /* strings borrowed from cfg */
  size_t n_wanted;
  hs_redact *redact; /* every secret and the live address, replaced */
  char *replay_base; /* base_url of the replay: the kit's origin, the
                        live path */
  hrsync_host_ctx ctx;
} rec_state;

static void free_state(rec_state *s)
{
  size_t i;
  hs_ch_free(&s->ctx);
  hs_redact_free(s->redact);
  free(s->replay_base);
  for(i = 0; i < s->n_secrets; i++) {
    char *v = (char *)s->secrets[i].value;
    if(v)
      memset(v, 0, strlen(v)); /* secrets do not linger in freed memory */
    free(v);
  }
  free(s->secrets);
  free(s->wanted);
  hs_http_free(s->http);
  hs_plugin_clear(&s->plugin);
  hs_config_free(s->cfg);
}

/* The secrets, resolved, and the substitutions that hide them. */
static hs_rc prepare(rec_state *s, const hs_conf_record_params *p, hs_err *err)
{
  size_t i;
  hs_rc rc;
  s->secrets = calloc(s->cfg->n_secrets + 1, sizeof(hrsync_kv));
  s->redact = hs_redact_new();
  if(!s->secrets || !s->redact)
    return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  for(i = 0; i < s->cfg->n_secrets; i++) {
    const hrsync_kv *ref = &s->cfg->secrets[i];
    char key[256], *val = NULL, placeholder[300];
    snprintf(key, sizeof(key), "secrets.%s", ref->name);
    rc = hs_secret_resolve(ref->value, key, s->cfg->dir, &val, err);
    if(rc)
      return rc;
    s->secrets[s->n_secrets].name = ref->name;
    s->secrets[s->n_secrets++].value = val;
    hs_log_add_secret(p->log, val);
    snprintf(placeholder, sizeof(placeholder), "fixture-%s", ref->name);
    rc = hs_redact_add_secret(s->redact, ref->name, val, placeholder, err);
    if(rc)
      return rc;
  }
  return hs_config_wanted(s->cfg, &s->wanted, &s->n_wanted, err);
}

/* Refuses a folder that already holds exchanges: two recordings mixed
** would replay as neither. */
static hs_rc ready_dir(const char *dir, int *created, hs_err *err)
{
  DIR *d;
  struct dirent *de;
  *created = mkdir(dir, 0755) == 0;
  if(!*created && errno != EEXIST)
    return hs_err_set(err, HS_E_IO, "record: %s: cannot create: %s", dir,
                      strerror(errno));
  d = opendir(dir);
  if(!d)
    return hs_err_set(err, HS_E_IO, "record: %s: cannot open: %s", dir,
                      strerror(errno));
  while((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if(n > 5 && !strcmp(de->d_name + n - 5, ".http")) {
      /* The error first: closedir frees de. */
      hs_err_set(err, HS_E_IO,
                 "record: %s already holds fixtures (%s); record into an "
                 "empty folder",
                 dir, de->d_name);
      closedir(d);
      return HS_E_IO;
    }
  }
  closedir(d);
  return HS_OK;
}

/* Length of "scheme://host[:port]" at the start of url. */
static size_t origin_length(const char *url)
{
  const char *p = strstr(url, "://");
  if(!p)
    return 0;
  p += 3;
  while(*p && *p != '/' && *p != '?' && *p != '#')
    p++;
  return (size_t)(p - url);
}

/* Every secret out of every exchange, in place. */
static hs_rc redact_all(rec_state *s, hs_err *err)
{
  size_t i, h;
  for(i = 0; i < s->ctx.n_rec; i++) {
    hs_fixture_exchange *e = &s->ctx.rec[i];
    const hs_redact *r = s->redact;
    int bad = hs_redact_apply_str(r, &e->path) |
              hs_redact_apply_str(r, &e->body_equals) |
              hs_redact_apply_str(r, &e->body_contains) |
              hs_redact_apply(r, &e->body, &e->body_len);
    for(h = 0; h < e->n_headers; h++) {
      char *v = (char *)e->headers[h].value;
      bad |= hs_redact_apply_str(r, &v);
      e->headers[h].value = v;
    }
    if(bad)
      return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  }
  return HS_OK;
}

/* One part of what would be written; refused if a secret is still in it
** (a form the kit cannot replace, such as base64 inside a Basic value). */
static hs_rc refuse_secret(const rec_state *s, size_t n, const char *what,
                           const char *text, size_t len, hs_err *err)
{
  const char *form = NULL;
  const char *name = hs_redact_find(s->redact, text, len, &form);
  if(!name)
    return HS_OK;
  return hs_err_set(err, HS_E_RUNTIME,
                    "record: exchange %zu (%s) would still hold secret "
                    "\"%s\" (%s) in its %s; nothing written",
                    n, what, name, form, what);
}

/* The last check before a byte is written: no secret in any form in any
** part of any exchange, nor in the settings that go to settings.json. */
static hs_rc check_secret_free(const rec_state *s, hs_err *err)
{
  size_t i, h;
  hs_rc rc = HS_OK;
  for(i = 0; i < s->ctx.n_rec && !rc; i++) {
    const hs_fixture_exchange *e = &s->ctx.rec[i];
    const char *eq = e->body_equals ? e->body_equals : "";
    const char *co = e->body_contains ? e->body_contains : "";
    rc =
        refuse_secret(s, i + 1, "request line", e->path, strlen(e->path), err);
    if(!rc)
      rc = refuse_secret(s, i + 1, "request body", eq, strlen(eq), err);
    if(!rc)
      rc = refuse_secret(s, i + 1, "request body", co, strlen(co), err);
    if(!rc)
      rc = refuse_secret(s, i + 1, "response body", e->body, e->body_len, err);
    for(h = 0; h < e->n_headers && !rc; h++)
      rc = refuse_secret(s, i + 1, "response headers", e->headers[h].value,
                         strlen(e->headers[h].value), err);
  }
  for(i = 0; i < s->cfg->n_settings && !rc; i++) {
    const char *v = s->cfg->settings[i].value;
    const char *form = NULL, *name;
    if(!v || !strcmp(s->cfg->settings[i].name, "base_url"))
      continue;
    if((name = hs_redact_find(s->redact, v, strlen(v), &form)))
      rc = hs_err_set(err, HS_E_CONFIG,
                      "record: settings.%s holds secret \"%s\" (%s); "
                      "nothing written",
                      s->cfg->settings[i].name, name, form);
  }
  return rc;
}

static hs_rc write_all_files(rec_state *s, const char *dir, hs_err *err)
{
  hs_fixture_set out;
  hs_rc rc = HS_OK;
  size_t i;
  char **wanted = NULL;

  for(i = 0; i < s->ctx.n_rec && !rc; i++) {
    rc = hs_fixture_write_exchange(dir, (unsigned)i + 1, &s->ctx.rec[i], err);
  }
  if(rc)
    return rc;

  /* settings.json: the config's settings with the replay's base_url, and
  ** a placeholder for every secret. */
  memset(&out, 0, sizeof(out));
  out.settings = calloc(s->cfg->n_settings + 2, sizeof(hrsync_kv));
  out.secrets = calloc(s->n_secrets + 1, sizeof(hrsync_kv));
  if(s->n_wanted)
    wanted = calloc(s->n_wanted, sizeof(char *));
  if(!out.settings || !out.secrets || (s->n_wanted && !wanted)) {
    rc = hs_err_set(err, HS_E_NOMEM, "record: out of memory");
    goto done;
  }
  for(i = 0; i < s->cfg->n_settings; i++)
    if(strcmp(s->cfg->settings[i].name, "base_url"))
      out.settings[out.n_settings++] = s->cfg->settings[i];
  out.settings[out.n_settings].name = "base_url";
  out.settings[out.n_settings++].value = s->replay_base;
  for(i = 0; i < s->n_secrets && !rc; i++) {
    char *ph = malloc(strlen(s->secrets[i].name) + 9);
    if(!ph) {
      rc = hs_err_set(err, HS_E_NOMEM, "record: out of memory");
      break;
    }
    sprintf(ph, "fixture-%s", s->secrets[i].name);
    out.secrets[out.n_secrets].name = s->secrets[i].name;
    out.secrets[out.n_secrets++].value = ph;
  }
  for(i = 0; i < s->n_wanted; i++)
    wanted[i] = (char *)s->wanted[i];
  out.wanted = wanted;
  out.n_wanted = s->n_wanted;
  if(!rc)
    rc = hs_fixture_write_settings(dir, &out, err);
done:
  for(i = 0; i < out.n_secrets; i++)
    free((char *)out.secrets[i].value);
  free(out.secrets);
  free(out.settings);
  free(wanted);
  return rc;
}

/* Removes the *.http files of dir: all ours, as ready_dir found none. */
static void remove_exchanges(const char *dir)
{
  DIR *d = opendir(dir);
  struct dirent *de;
  hs_buf path = HS_BUF_INIT;
  while(d && (de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if(n <= 5 || strcmp(de->d_name + n - 5, ".http"))
      continue;
    hs_buf_reset(&path);
    if(!hs_buf_printf(&path, "%s/%s", dir, de->d_name))
      unlink(path.data);
  }
  if(d)
    closedir(d);
  hs_buf_free(&path);
}

hs_rc hs_conf_record(const hs_conf_record_params *p, unsigned *n_exchanges,
                     hs_err *err)
{
  rec_state s;
  hs_ch_outcome o;
  const char *base;
  char escaped[1024], origin[512];
  size_t i, j, origin_len;
  int created = 0;
  hs_rc rc;

  memset(&s, 0, sizeof(s));
  hs_ch_init(&s.ctx);
  if(n_exchanges)
    *n_exchanges = 0;
  rc = hs_config_load(p->config_path, &s.cfg, err);
  if(!rc)
    rc = hs_conf_resolve(p->plugin, p->plugin_dir, &s.plugin, err);
  if(!rc && s.cfg->connector && strcmp(s.cfg->connector, s.plugin.desc->name))
    rc = hs_err_set(err, HS_E_CONFIG,
                    "%s: the config is for connector \"%s\", not \"%s\"",
                    p->config_path, s.cfg->connector, s.plugin.desc->name);
  if(!rc)
    rc = prepare(&s, p, err);
  if(!rc)
    rc = ready_dir(p->out_dir, &created, err);
  if(!rc)
    rc = hs_http_new(NULL, p->log, &s.http, err);
  if(rc)
    goto done;

  base = hs_fixture_kv(s.cfg->settings, s.cfg->n_settings, "base_url");
  if(!base) {
    const hrsync_setting_def *d;
    for(d = s.plugin.desc->settings; d && d->key; d++)
      if(!strcmp(d->key, "base_url"))
        base = d->default_value;
  }
  if(!base || !*base) {
    rc = hs_err_set(err, HS_E_CONFIG, "%s: settings.base_url: missing",
                    p->config_path);
    goto done;
  }
  s.ctx.desc = s.plugin.desc;
  s.ctx.log = p->log;
  s.ctx.http = s.http;
  s.ctx.base_url = base;
  s.ctx.settings = s.cfg->settings;
  s.ctx.n_settings = s.cfg->n_settings;
  s.ctx.secrets = s.secrets;
  s.ctx.n_secrets = s.n_secrets;
  s.ctx.wanted = (char *const *)s.wanted;
  s.ctx.n_wanted = s.n_wanted;
  hs_ch_run(&s.ctx, 100000, &o);
  if(o.failed_at != HS_PH_NONE) {
    rc = hs_err_set(err, HS_E_RUNTIME,
                    "record: %s failed: %s: %s; nothing written",
                    hs_ch_phase_name(o.failed_at), hs_ch_status_name(o.st),
                    o.detail_set ? o.detail : "no detail");
    goto done;
  }

  /* Tokens are known only now; the live base_url, also as JSON writes it
  ** with escaped slashes, becomes the replay's. */
  for(i = 0; !rc && i < s.ctx.n_marked; i++) {
    char ph[64], name[64];
    snprintf(ph, sizeof(ph), "fixture-token-%zu", i + 1);
    snprintf(name, sizeof(name), "token %zu (mark_secret)", i + 1);
    rc = hs_redact_add_secret(s.redact, name, s.ctx.marked[i], ph, err);
  }
  /* Only the origin (scheme, host, port) is the live server's: a path in
  ** base_url may mean something to the connector, and is kept. */
  origin_len = origin_length(base);
  if(origin_len >= sizeof(origin) - 1) {
    rc = hs_err_set(err, HS_E_CONFIG, "%s: settings.base_url: too long",
                    p->config_path);
    goto done;
  }
  memcpy(origin, base, origin_len);
  origin[origin_len] = 0;
  for(i = j = 0; origin[i] && j + 2 < sizeof(escaped); i++) {
    if(origin[i] == '/')
      escaped[j++] = '\\';
    escaped[j++] = origin[i];
  }
  escaped[j] = 0;
  if(!rc)
    rc = hs_redact_add(s.redact, escaped, "http:\\/\\/fixtures.invalid", err);
  if(!rc)
    rc = hs_redact_add(s.redact, origin, HS_FIXTURE_BASE_URL, err);
  if(!rc && !(s.replay_base = malloc(strlen(HS_FIXTURE_BASE_URL) +
                                     strlen(base + origin_len) + 1)))
    rc = hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  if(!rc) {
    strcpy(s.replay_base, HS_FIXTURE_BASE_URL);
    strcat(s.replay_base, base + origin_len);
  }
  if(!rc)
    rc = redact_all(&s, err);
  if(!rc)
    rc = check_secret_free(&s, err);
  if(!rc && (rc = write_all_files(&s, p->out_dir, err)))
    remove_exchanges(p->out_dir); /* a failed write leaves no half folder */
  if(!rc && n_exchanges)
    *n_exchanges = (unsigned)s.ctx.n_rec;
done:
  /* A failed run leaves no folder behind it made (rmdir removes only an
  ** empty one). */
  if(rc && created)
    rmdir(p->out_dir);
  free_state(&s);
  return rc;
}
