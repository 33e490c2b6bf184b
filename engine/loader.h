/*
** hs_loader: finds and validates connector plugins.
**
** A plugin is a file named hrsync-<name>.so in one of the search folders:
** every folder of $HRSYNC_PLUGIN_PATH (colon separated), then the
** --plugin-dir folder, then the installed folder (<prefix>/<libdir>/
** hrsync/plugins, found from the executable's own location). The first
** file of a name wins. Files are opened RTLD_NOW | RTLD_LOCAL and never
** closed: descriptor strings stay valid and sanitizer traces keep their
** symbols.
*/
#ifndef HS_LOADER_H
#define HS_LOADER_H

#include "err.h"

#include <hrsync/connector.h>
#include <stddef.h>

typedef struct hs_plugin {
  char *path; /* the file */
  char *name; /* from the descriptor, or from the file name if broken */
  /* Valid only when error is NULL: */
  const hrsync_connector *desc; /* lives as long as the process */
  /* Why the file is not usable, one line; NULL for a good plugin. */
  char *error;
} hs_plugin;

typedef struct hs_plugin_list {
  hs_plugin *items;
  size_t n;
} hs_plugin_list;

/* The search folders in order. plugin_dir may be NULL. The caller frees
** the array and each string with hs_loader_free_dirs. */
hs_rc hs_loader_search_dirs(const char *plugin_dir, char ***dirs,
                            size_t *ndirs, hs_err *err);
void hs_loader_free_dirs(char **dirs, size_t ndirs);

/* Loads one file; always fills *out (error set when it is not usable).
** HS_OK for a good plugin; HS_E_PLUGIN with "path: reason" in err for a
** broken one; HS_E_NOMEM (out cleared). Free *out with hs_plugin_clear. */
hs_rc hs_loader_load_file(const char *path, hs_plugin *out, hs_err *err);

/* Every hrsync-*.so in dirs, good and broken, in search order. Missing
** folders are skipped. A name already found earlier is listed as broken
** ("shadowed by ..."). */
hs_rc hs_loader_scan(char *const *dirs, size_t ndirs, hs_plugin_list *out,
                     hs_err *err);

/* The first good plugin called name. HS_E_PLUGIN with the reason (or the
** folders searched) when there is none. */
hs_rc hs_loader_find(char *const *dirs, size_t ndirs, const char *name,
                     hs_plugin *out, hs_err *err);

/* True when descriptor d has member m: within d's struct_size and not
** NULL. Members past a plugin's struct_size (it was built against an
** older minor) count as NULL, so read optional members only through this. */
#define HS_CONNECTOR_HAS(d, m)                                                \
  ((d)->struct_size >= offsetof(hrsync_connector, m) + sizeof((d)->m) &&      \
   (d)->m != NULL)

/* Frees the strings of p (never the descriptor: it lives in the plugin). */
void hs_plugin_clear(hs_plugin *p);
void hs_plugin_list_free(hs_plugin_list *list);

#endif
