/*
** conn_rss CONFIG PLUGIN_DIR: the connector's own share of memory. Opens
** the config's connector through the engine's real host and transport,
** fetches every record and drops it (no registry, no plan, no store),
** then prints "RECORDS PEAK_RSS_KIB CPU_S". What grows here with the
** roster is the connector's or the transport's, not the engine's.
*/
#include "config.h"
#include "host.h"
#include "http.h"
#include "loader.h"
#include "log.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static hs_rc on_field(void *arg, const hrsync_field_def *def, hs_err *err)
{
  (void)arg;
  (void)def;
  (void)err;
  return HS_OK;
}

static hs_rc on_record(void *arg, const hs_record *rec, hs_err *err)
{
  (void)rec;
  (void)err;
  (*(unsigned long *)arg)++;
  return HS_OK;
}

static void sink(void *arg, int level, const char *line)
{
  (void)arg;
  (void)level;
  fprintf(stderr, "%s\n", line);
}

int main(int argc, char **argv)
{
  hs_err err = {HS_OK, ""};
  hs_config *cfg = NULL;
  hs_log *log = hs_log_new(HS_LOG_WARN, sink, NULL);
  hs_plugin plugin = {0};
  char **dirs = NULL;
  size_t ndirs = 0, i = 0, n_wanted = 0, k;
  const char **wanted = NULL;
  hrsync_kv secrets[16];
  hs_http *http = NULL;
  hs_http_opts hopts = {0};
  hs_conn_params p = {0};
  hs_conn *conn = NULL;
  unsigned long records = 0;
  struct rusage ru;
  hs_rc rc;

  if(argc != 3 || !log) {
    fprintf(stderr, "usage: conn_rss CONFIG PLUGIN_DIR\n");
    return 2;
  }
  if((rc = hs_config_load(argv[1], &cfg, &err)) ||
     (rc = hs_loader_search_dirs(argv[2], &dirs, &ndirs, &err)) ||
     (rc = hs_loader_find(dirs, ndirs, cfg->connector, &plugin, &err)))
    goto out;
  for(i = 0; i < cfg->n_secrets && i < 16; i++) {
    char *v;
    if((rc = hs_secret_resolve(cfg->secrets[i].value, cfg->secrets[i].name,
                               cfg->dir, &v, &err)))
      goto out;
    secrets[i].name = cfg->secrets[i].name;
    secrets[i].value = v;
  }
  hopts.max_retries = -1;
  hopts.max_body_bytes = cfg->limits.body_bytes;
  if((rc = hs_config_wanted(cfg, &wanted, &n_wanted, &err)) ||
     (rc = hs_http_new(&hopts, log, &http, &err)))
    goto out;
  p.plugin = &plugin;
  p.settings = cfg->settings;
  p.n_settings = cfg->n_settings;
  p.secrets = secrets;
  p.n_secrets = i;
  p.wanted_fields = wanted;
  p.n_wanted = n_wanted;
  p.http = http;
  p.log = log;
  p.limits = cfg->limits;
  if(!(rc = hs_conn_open(&p, &conn, &err)) &&
     !(rc = hs_conn_authenticate(conn, &err)) &&
     !(rc = hs_conn_list_fields(conn, on_field, NULL, &err)))
    rc = hs_conn_fetch(conn, on_record, &records, &err);
out:
  if(rc)
    fprintf(stderr, "conn_rss: %s\n", err.msg);
  getrusage(RUSAGE_SELF, &ru);
  printf("%lu %ld %.3f\n", records, ru.ru_maxrss,
         (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
             (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  hs_conn_close(conn);
  hs_http_free(http);
  for(k = 0; k < i; k++)
    free((char *)secrets[k].value);
  free(wanted);
  hs_plugin_clear(&plugin);
  hs_loader_free_dirs(dirs, ndirs);
  hs_config_free(cfg);
  hs_log_free(log);
  return rc ? 1 : 0;
}
