/*
** hrsync init PLUGIN [-o FILE] [--force]: writes a starter config from
** the connector's descriptor: its settings (defaults filled in, required
** ones as "REQUIRED: ..." placeholders that `check` refuses), its secrets
** as env:HRSYNC_<PLUGIN>_<KEY> references, its suggested mapping, and an
** example condition and group rule. Private (0600), never overwriting
** without --force.
*/
#include "../buf.h"
#include "../loader.h"
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

static int build(const hrsync_connector *d, hs_buf *b)
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
       (!s->default_value && !(s->flags & HRSYNC_SETTING_REQUIRED)))
      continue;
    bad |= hs_buf_printf(b, "%s\n    ", first ? "" : ",");
    bad |= hs_buf_json_str(b, s->key);
    bad |= hs_buf_puts(b, ": ");
    if(s->default_value)
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
    bad |= hs_buf_printf(b, "%s\n    ", first ? "" : ",");
    bad |= hs_buf_json_str(b, kv->name);
    bad |= hs_buf_puts(b, ": ");
    bad |= hs_buf_json_str(b, kv->value);
    if(!strcmp(kv->name, "termination_date"))
      term = kv->value;
    first = 0;
  }
  bad |= hs_buf_puts(b, first ? "},\n" : "\n  },\n");
  /* The example: sync people without a termination date; those who get
  ** one become "left" and join the Ex-employee group. */
  if(term) {
    bad |= hs_buf_puts(b, "  \"conditions\": [\n    {\"field\": ");
    bad |= hs_buf_json_str(b, term);
    bad |= hs_buf_puts(b, ", \"op\": \"empty\"}\n  ],\n"
                          "  \"groups\": [\n"
                          "    {\"group\": \"Ex-employee\", \"if\": "
                          "[{\"field\": ");
    bad |= hs_buf_json_str(b, term);
    bad |= hs_buf_puts(b, ", \"op\": \"not empty\"}]}\n  ]\n}\n");
  }
  else
    bad |= hs_buf_puts(b, "  \"conditions\": [],\n  \"groups\": []\n}\n");
  return bad;
}

int hs_cmd_init(hs_cli *cli, int argc, char **argv)
{
  const char *name = NULL, *out = cli->config_path;
  int force = 0, i, fd, flags;
  char **dirs = NULL;
  size_t ndirs = 0;
  hs_plugin plugin;
  hs_buf text = HS_BUF_INIT, tmp = HS_BUF_INIT;
  hs_err err;
  hs_rc rc;
  hs_err_clear(&err);
  memset(&plugin, 0, sizeof(plugin));
  for(i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "-o") && i + 1 < argc)
      out = argv[++i];
    else if(!strcmp(argv[i], "--force"))
      force = 1;
    else if(argv[i][0] != '-' && !name)
      name = argv[i];
    else
      return hs_cli_usage_error(cli, "init", "unexpected argument \"%s\"",
                                argv[i]);
  }
  if(!name)
    return hs_cli_usage_error(cli, "init",
                              "which connector? e.g. `hrsync "
                              "init bamboohr`");
  if((rc = hs_loader_search_dirs(cli->plugin_dir, &dirs, &ndirs, &err)) ||
     (rc = hs_loader_find(dirs, ndirs, name, &plugin, &err)))
    goto out;
  if(build(plugin.desc, &text)) {
    rc = hs_err_set(&err, HS_E_NOMEM, "out of memory");
    goto out;
  }
  /* Without --force: O_EXCL, so an existing file is never touched. With
  ** it: a complete temporary file replaces the old one. */
  if(force && hs_buf_printf(&tmp, "%s.tmp-%ld", out, (long)getpid())) {
    rc = hs_err_set(&err, HS_E_NOMEM, "out of memory");
    goto out;
  }
  flags = O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL);
  fd = open(force ? hs_buf_str(&tmp) : out, flags, 0600);
  if(fd < 0) {
    rc = hs_err_set(&err, errno == EEXIST ? HS_E_USAGE : HS_E_IO, "%s: %s%s",
                    out, strerror(errno),
                    errno == EEXIST ? " (use --force to overwrite it)" : "");
    goto out;
  }
  if(write(fd, text.data, text.len) != (ssize_t)text.len || fsync(fd) ||
     close(fd) || (force && rename(hs_buf_str(&tmp), out))) {
    rc = hs_err_set(&err, HS_E_IO, "%s: cannot write: %s", out,
                    strerror(errno));
    unlink(force ? hs_buf_str(&tmp) : out);
    goto out;
  }
  if(cli->json)
    hs_cli_json_result(cli, "written", out);
  else if(!cli->quiet)
    fprintf(cli->errf,
            "hrsync: wrote %s for %s; fill in the REQUIRED settings, set "
            "the secrets' environment variables, then run `hrsync check`\n",
            out, plugin.desc->display_name ? plugin.desc->display_name : name);
out:
  hs_plugin_clear(&plugin);
  if(dirs)
    hs_loader_free_dirs(dirs, ndirs);
  hs_buf_free(&text);
  hs_buf_free(&tmp);
  return rc ? hs_cli_fail(cli, &err) : 0;
}
