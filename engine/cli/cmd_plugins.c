/*
** hrsync plugins: the connectors found in the search folders, good and
** broken. A broken plugin is listed with its reason rather than failing
** the command: the listing is how a user finds out why one is missing.
*/
#include "../loader.h"
#include "cli.h"

#include "../term.h"

#include <string.h>

static const char *or_dash(const char *s)
{
  return s && *s ? s : "-";
}

static void print_text(hs_cli *cli, const hs_plugin_list *list,
                       char *const *dirs, size_t ndirs)
{
  size_t i, w = 4;
  if(!list->n) {
    fprintf(cli->out, "no connectors found (searched:");
    for(i = 0; i < ndirs; i++)
      fprintf(cli->out, " %s", dirs[i]);
    fprintf(cli->out, "%s)\n", ndirs ? "" : " no folders");
    return;
  }
  for(i = 0; i < list->n; i++)
    if(strlen(list->items[i].name) > w)
      w = strlen(list->items[i].name);
  fprintf(cli->out, "%-*s  %-16s %-9s %-4s %s\n", (int)w, "NAME", "DISPLAY",
          "VERSION", "ABI", "PATH");
  for(i = 0; i < list->n; i++) {
    const hs_plugin *p = &list->items[i];
    /* The reason, display name and version are the plugin's text. */
    if(p->error) {
      fprintf(cli->out, "%-*s  broken: ", (int)w, p->name);
      hs_term_fputs(cli->out, p->error);
      fprintf(cli->out, "\n%-*s  %s\n", (int)w, "", p->path);
    }
    else {
      fprintf(cli->out, "%-*s  ", (int)w, p->name);
      hs_term_fpad(cli->out, or_dash(p->desc->display_name), 16);
      hs_term_fpad(cli->out, or_dash(p->desc->version), 9);
      fprintf(cli->out, "%u.%-2u %s\n", (unsigned)p->desc->abi_major,
              (unsigned)p->desc->abi_minor, p->path);
    }
  }
}

/* One JSON array; strings go through hs_buf_json_str for escaping. */
static int print_json(hs_cli *cli, const hs_plugin_list *list)
{
  hs_buf b = HS_BUF_INIT;
  size_t i;
  int fail = hs_buf_puts(&b, "[");
  for(i = 0; i < list->n && !fail; i++) {
    const hs_plugin *p = &list->items[i];
    fail |= hs_buf_puts(&b, i ? ",\n {\"name\": " : "\n {\"name\": ");
    fail |= hs_buf_json_str(&b, p->name);
    fail |= hs_buf_puts(&b, ", \"path\": ");
    fail |= hs_buf_json_str(&b, p->path);
    if(p->error) {
      fail |= hs_buf_puts(&b, ", \"ok\": false, \"error\": ");
      fail |= hs_buf_json_str(&b, p->error);
    }
    else {
      fail |= hs_buf_puts(&b, ", \"ok\": true, \"display_name\": ");
      fail |= hs_buf_json_str(&b, p->desc->display_name ? p->desc->display_name
                                                        : "");
      fail |= hs_buf_puts(&b, ", \"version\": ");
      fail |= hs_buf_json_str(&b, p->desc->version ? p->desc->version : "");
      fail |= hs_buf_printf(&b, ", \"abi\": \"%u.%u\"",
                            (unsigned)p->desc->abi_major,
                            (unsigned)p->desc->abi_minor);
    }
    fail |= hs_buf_puts(&b, "}");
  }
  fail |= hs_buf_puts(&b, list->n ? "\n]\n" : "]\n");
  if(!fail)
    fputs(b.data, cli->out);
  hs_buf_free(&b);
  return fail;
}

int hs_cmd_plugins(hs_cli *cli, int argc, char **argv)
{
  hs_err err = {HS_OK, ""};
  hs_plugin_list list = {NULL, 0};
  char **dirs = NULL;
  size_t ndirs = 0;

  if(argc > 1)
    return hs_cli_usage_error(cli, "plugins", "unexpected argument \"%s\"",
                              argv[1]);
  if(hs_loader_search_dirs(cli->plugin_dir, &dirs, &ndirs, &err) ||
     hs_loader_scan(dirs, ndirs, &list, &err)) {
    hs_loader_free_dirs(dirs, ndirs);
    return hs_cli_fail(cli, &err);
  }
  if(cli->json) {
    if(print_json(cli, &list))
      hs_err_set(&err, HS_E_NOMEM, "plugins: out of memory");
  }
  else
    print_text(cli, &list, dirs, ndirs);
  hs_plugin_list_free(&list);
  hs_loader_free_dirs(dirs, ndirs);
  return err.rc ? hs_cli_fail(cli, &err) : 0;
}
