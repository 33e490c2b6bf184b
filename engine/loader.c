/*
** hs_loader: plugin search path, dlopen and descriptor validation.
**
** Every check of plugin-abi-notes.md 2.3 lives in validate(), in the order
** a user would want to hear about it: a file that is not a shared object
** first, a name typo last. Handles are never dlclose()d (see loader.h).
**
** The descriptor is checked member by member before anything else reads
** it (a NULL name, callback, setting key or mapping value would crash the
** engine, not the plugin). And the entry function runs first in a forked
** child: a plugin that crashes or hangs there is refused with the signal,
** and the command (plugins, check, preview, sync, init) goes on.
*/
#include "loader.h"

#include "buf.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef HRSYNC_PLUGIN_RELDIR
#define HRSYNC_PLUGIN_RELDIR "lib/hrsync/plugins"
#endif

#define FILE_PREFIX   "hrsync-"
#define FILE_SUFFIX   ".so"
#define MAX_SETTINGS  256
#define MAX_TEXT      1024 /* a descriptor string longer than this is junk */
#define PROBE_MS      5000 /* an entry function that has not returned */
#define PROBE_REFUSED 97   /* the probe's "refused cleanly" exit status */
#ifndef S_ISVTX
#define S_ISVTX 01000 /* the sticky bit; XSI, not in strict POSIX headers */
#endif

/* The <name> of a path ending in hrsync-<name>.so, copied; NULL when the
** file name does not have that shape. The caller frees. */
static char *name_from_path(const char *path)
{
  const char *base = strrchr(path, '/');
  size_t plen = strlen(FILE_PREFIX), slen = strlen(FILE_SUFFIX), n;
  char *name;
  base = base ? base + 1 : path;
  n = strlen(base);
  if(n <= plen + slen || strncmp(base, FILE_PREFIX, plen) ||
     strcmp(base + n - slen, FILE_SUFFIX))
    return NULL;
  n -= plen + slen;
  name = malloc(n + 1);
  if(name) {
    memcpy(name, base + plen, n);
    name[n] = 0;
  }
  return name;
}

static int valid_name(const char *s)
{
  if(!*s)
    return 0;
  for(; *s; s++)
    if(!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
      return 0;
  return 1;
}

static const char *missing_callback(const hrsync_connector *d)
{
  if(!HS_CONNECTOR_HAS(d, open))
    return "open";
  if(!HS_CONNECTOR_HAS(d, close))
    return "close";
  if(!HS_CONNECTOR_HAS(d, authenticate))
    return "authenticate";
  if(!HS_CONNECTOR_HAS(d, list_fields))
    return "list_fields";
  if(!HS_CONNECTOR_HAS(d, next_page))
    return "next_page";
  return NULL;
}

/* A descriptor string: NUL-terminated within MAX_TEXT bytes and free of
** control characters. NULL is fine only when may_be_null. */
static int bad_text(const char *s, int may_be_null)
{
  size_t i;
  if(!s)
    return !may_be_null;
  for(i = 0; i < MAX_TEXT && s[i]; i++)
    if((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 1;
  return i == MAX_TEXT;
}

/* Writes a reason into why and returns -1, so checks read as one line. */
static int refuse(hs_buf *why, const char *fmt, ...)
{
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  hs_buf_puts(why, line);
  return -1;
}

/* Runs the checklist on an opened file. Returns 0 and sets *desc when the
** plugin is usable, else -1 with the reason in why. file_name is the
** <name> of hrsync-<name>.so, or NULL when the file is named otherwise. */
static int validate(void *handle, const char *file_name,
                    const hrsync_connector **desc, hs_buf *why)
{
  hrsync_connector_entry_fn entry;
  const hrsync_connector *d;
  const char *cb;
  void *sym;
  size_t i;

  dlerror();
  sym = dlsym(handle, HRSYNC_ENTRY_SYMBOL);
  if(!sym)
    return refuse(why, "not an hrsync connector (no %s symbol)",
                  HRSYNC_ENTRY_SYMBOL);
  /* POSIX guarantees a data pointer from dlsym converts to a function. */
  memcpy(&entry, &sym, sizeof(entry));
  d = entry(HRSYNC_ABI_MAJOR, HRSYNC_ABI_MINOR);
  if(!d)
    return refuse(why, "connector refused this host (ABI %d.%d)",
                  HRSYNC_ABI_MAJOR, HRSYNC_ABI_MINOR);
  if(d->abi_major != HRSYNC_ABI_MAJOR)
    return refuse(why, "built for ABI %u.%u, this hrsync speaks %d.%d",
                  (unsigned)d->abi_major, (unsigned)d->abi_minor,
                  HRSYNC_ABI_MAJOR, HRSYNC_ABI_MINOR);
  if(d->struct_size < HRSYNC_CONNECTOR_V1_0_SIZE)
    return refuse(why,
                  "malformed descriptor (struct_size %u, ABI %d.0 needs at "
                  "least %u)",
                  (unsigned)d->struct_size, HRSYNC_ABI_MAJOR,
                  (unsigned)HRSYNC_CONNECTOR_V1_0_SIZE);
  if(!d->name)
    return refuse(why, "descriptor has no name");
  if(!valid_name(d->name))
    return refuse(why, "invalid connector name \"%.64s\" (allowed: a-z 0-9 _)",
                  d->name);
  if(!file_name || strcmp(file_name, d->name))
    return refuse(why,
                  "connector name \"%s\" does not match the file name "
                  "(expected " FILE_PREFIX "%s" FILE_SUFFIX ")",
                  d->name, d->name);
  cb = missing_callback(d);
  if(cb)
    return refuse(why, "missing required callback %s", cb);
  if(bad_text(d->display_name, 1) || bad_text(d->version, 1))
    return refuse(why, "descriptor display_name or version is not one short "
                       "line of text");
  for(i = 0; d->settings && d->settings[i].key; i++) {
    const hrsync_setting_def *s = &d->settings[i];
    if(i + 1 >= MAX_SETTINGS)
      return refuse(why, "settings not terminated within %d entries",
                    MAX_SETTINGS);
    if(bad_text(s->key, 0) || !*s->key || bad_text(s->label, 1) ||
       bad_text(s->default_value, 1))
      return refuse(why, "settings[%zu]: malformed key, label or default", i);
  }
  if(HS_CONNECTOR_HAS(d, suggested_mapping))
    for(i = 0; d->suggested_mapping[i].name; i++) {
      if(i + 1 >= MAX_SETTINGS)
        return refuse(why,
                      "suggested_mapping not terminated within %d entries",
                      MAX_SETTINGS);
      if(bad_text(d->suggested_mapping[i].name, 0) ||
         bad_text(d->suggested_mapping[i].value, 0))
        return refuse(why,
                      "suggested_mapping[%zu]: NULL or malformed field id", i);
    }
  *desc = d;
  return 0;
}

/* Opens path and runs validate() in a forked child, so that an entry
** function (or a descriptor read) that crashes or hangs takes only the
** child down. 0 when the child found the plugin usable or refused it
** cleanly (the parent then repeats the checks to get the reason), -1 with
** the reason in why when it crashed or hung. */
static int probe(const char *path, const char *file_name, hs_buf *why)
{
  struct timespec tick = {0, 10 * 1000 * 1000};
  pid_t pid, done;
  int status = 0, waited;
  fflush(NULL); /* the child must not flush the parent's buffers again */
  pid = fork();
  if(pid < 0)
    return 0; /* cannot probe: load in-process as before */
  if(pid == 0) {
    const hrsync_connector *d;
    hs_buf ignored = HS_BUF_INIT;
    void *h;
    alarm(PROBE_MS / 1000 + 1);
    h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    _exit(h && validate(h, file_name, &d, &ignored) == 0 ? 0 : PROBE_REFUSED);
  }
  for(waited = 0;; waited += 10) {
    done = waitpid(pid, &status, WNOHANG);
    if(done == pid || (done < 0 && errno != EINTR))
      break;
    if(waited >= PROBE_MS) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return refuse(why,
                    "refused: its entry function did not return within "
                    "%d s",
                    PROBE_MS / 1000);
    }
    nanosleep(&tick, NULL);
  }
  if(done == pid && WIFSIGNALED(status))
    return refuse(why,
                  "refused: loading it crashed (signal %d, %s, in its entry "
                  "function or descriptor)",
                  WTERMSIG(status), strsignal(WTERMSIG(status)));
  /* A sanitizer turns a crash into an exit status of its own. */
  if(done == pid && WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
     WEXITSTATUS(status) != PROBE_REFUSED)
    return refuse(why,
                  "refused: loading it crashed (exit status %d, in its entry "
                  "function or descriptor)",
                  WEXITSTATUS(status));
  return 0;
}

/* Code anyone could replace is never run: a world-writable file, or one
** in a world-writable folder without the sticky bit (/tmp has it). */
static int writable_by_others(const char *path, hs_buf *why)
{
  struct stat st;
  hs_buf dir = HS_BUF_INIT;
  const char *slash = strrchr(path, '/');
  int bad = 0;
  if(stat(path, &st) == 0 && (st.st_mode & S_IWOTH))
    bad = refuse(why, "refused: the file is world-writable");
  else if(!hs_buf_append(&dir, path, slash ? (size_t)(slash - path) : 0) &&
          stat(dir.len ? dir.data : (slash ? "/" : "."), &st) == 0 &&
          (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
    bad = refuse(why, "refused: its folder is world-writable");
  hs_buf_free(&dir);
  return bad != 0;
}

hs_rc hs_loader_load_file(const char *path, hs_plugin *out, hs_err *err)
{
  hs_buf why = HS_BUF_INIT;
  const hrsync_connector *desc = NULL;
  char *file_name = name_from_path(path);
  const char *base = strrchr(path, '/');
  void *handle;

  memset(out, 0, sizeof(*out));
  out->path = strdup(path);
  if(!out->path)
    goto nomem;
  if(writable_by_others(path, &why) || probe(path, file_name, &why))
    handle = NULL;
  else if(!(handle = dlopen(path, RTLD_NOW | RTLD_LOCAL))) {
    const char *e = dlerror();
    hs_buf_printf(&why, "cannot load: %s (try `ldd %s`)", e ? e : "?", path);
  }
  else if(validate(handle, file_name, &desc, &why) == 0)
    out->desc = desc;
  /* The handle stays open even for a broken plugin: another file may
  ** share its mapping, and closing costs symbols in sanitizer traces. */

  out->name = strdup(desc        ? desc->name
                     : file_name ? file_name
                                 : (base ? base + 1 : path));
  if(!out->name)
    goto nomem;
  free(file_name);
  file_name = NULL;
  if(!desc) {
    if(!why.data)
      goto nomem;
    out->error = hs_buf_steal(&why);
    return hs_err_set(err, HS_E_PLUGIN, "%s: %s", path, out->error);
  }
  return HS_OK;

nomem:
  free(file_name);
  hs_buf_free(&why);
  hs_plugin_clear(out);
  return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", path);
}

void hs_plugin_clear(hs_plugin *p)
{
  if(!p)
    return;
  free(p->path);
  free(p->name);
  free(p->error);
  memset(p, 0, sizeof(*p));
}

void hs_plugin_list_free(hs_plugin_list *list)
{
  size_t i;
  if(!list)
    return;
  for(i = 0; i < list->n; i++)
    hs_plugin_clear(&list->items[i]);
  free(list->items);
  list->items = NULL;
  list->n = 0;
}

/* ------------------------------------------------------------------ */
/* Search folders                                                       */

static int push_dir(char ***dirs, size_t *n, const char *dir, size_t len)
{
  char **grown, *copy;
  if(!len)
    return 0; /* "a::b" or a trailing colon: nothing to search */
  grown = realloc(*dirs, (*n + 1) * sizeof(*grown));
  if(!grown)
    return -1;
  *dirs = grown;
  copy = malloc(len + 1);
  if(!copy)
    return -1;
  memcpy(copy, dir, len);
  copy[len] = 0;
  grown[(*n)++] = copy;
  return 0;
}

/* <exe dir>/../HRSYNC_PLUGIN_RELDIR, or NULL when /proc is not there. */
static char *installed_dir(void)
{
  char exe[PATH_MAX];
  hs_buf b = HS_BUF_INIT;
  ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  char *slash;
  if(n <= 0)
    return NULL;
  exe[n] = 0;
  slash = strrchr(exe, '/');
  if(!slash)
    return NULL;
  *slash = 0; /* the bin folder */
  slash = strrchr(exe, '/');
  if(slash)
    *slash = 0; /* the prefix: build tree and install tree alike */
  if(hs_buf_printf(&b, "%s/%s", exe[0] ? exe : "", HRSYNC_PLUGIN_RELDIR)) {
    hs_buf_free(&b);
    return NULL;
  }
  return hs_buf_steal(&b);
}

hs_rc hs_loader_search_dirs(const char *plugin_dir, char ***dirs,
                            size_t *ndirs, hs_err *err)
{
  const char *env = getenv("HRSYNC_PLUGIN_PATH");
  char *inst = installed_dir();
  int fail = 0;

  *dirs = NULL;
  *ndirs = 0;
  while(env && *env && !fail) {
    const char *colon = strchr(env, ':');
    size_t len = colon ? (size_t)(colon - env) : strlen(env);
    fail = push_dir(dirs, ndirs, env, len);
    env = colon ? colon + 1 : NULL;
  }
  if(!fail && plugin_dir)
    fail = push_dir(dirs, ndirs, plugin_dir, strlen(plugin_dir));
  if(!fail && inst)
    fail = push_dir(dirs, ndirs, inst, strlen(inst));
  free(inst);
  if(fail) {
    hs_loader_free_dirs(*dirs, *ndirs);
    *dirs = NULL;
    *ndirs = 0;
    return hs_err_set(err, HS_E_NOMEM, "plugin search path: out of memory");
  }
  return HS_OK;
}

void hs_loader_free_dirs(char **dirs, size_t ndirs)
{
  size_t i;
  for(i = 0; dirs && i < ndirs; i++)
    free(dirs[i]);
  free(dirs);
}

/* ------------------------------------------------------------------ */
/* Scanning                                                             */

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hrsync-*.so entries of dir, sorted so listings are stable. A missing
** or unreadable folder yields none. The caller frees each and the array. */
static int list_dir(const char *dir, char ***names, size_t *n)
{
  DIR *d = opendir(dir);
  struct dirent *ent;
  *names = NULL;
  *n = 0;
  if(!d)
    return 0;
  while((ent = readdir(d)) != NULL) {
    char *name = name_from_path(ent->d_name), **grown;
    if(!name)
      continue;
    free(name);
    grown = realloc(*names, (*n + 1) * sizeof(*grown));
    if(!grown || !(grown[*n] = strdup(ent->d_name))) {
      *names = grown ? grown : *names;
      closedir(d);
      return -1;
    }
    *names = grown;
    (*n)++;
  }
  closedir(d);
  if(*n > 1)
    qsort(*names, *n, sizeof(**names), cmp_str);
  return 0;
}

static void free_names(char **names, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* Index of an earlier entry with this name, or -1. */
static long find_name(const hs_plugin_list *list, const char *name)
{
  size_t i;
  for(i = 0; i < list->n; i++)
    if(!strcmp(list->items[i].name, name))
      return (long)i;
  return -1;
}

/* A folder given twice (the same --plugin-dir as the installed one) is
** scanned once, or every plugin in it would shadow itself. */
static int seen_dir(char *const *dirs, size_t i)
{
  struct stat a, b;
  size_t j;
  if(stat(dirs[i], &a))
    return 0;
  for(j = 0; j < i; j++)
    if(!stat(dirs[j], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
      return 1;
  return 0;
}

static hs_rc scan_one(const char *dir, const char *file, hs_plugin_list *out,
                      hs_err *err)
{
  hs_buf path = HS_BUF_INIT;
  hs_plugin *grown, *p;
  char *name = name_from_path(file);
  long prev;
  hs_rc rc = HS_OK;

  if(!name || hs_buf_printf(&path, "%s/%s", dir, file))
    goto nomem;
  grown = realloc(out->items, (out->n + 1) * sizeof(*grown));
  if(!grown)
    goto nomem;
  out->items = grown;
  p = &out->items[out->n];
  prev = find_name(out, name);
  if(prev >= 0) {
    /* Not even opened: the first file of a name wins. */
    hs_buf why = HS_BUF_INIT;
    memset(p, 0, sizeof(*p));
    if(hs_buf_printf(&why, "shadowed by %s", out->items[prev].path))
      goto nomem;
    p->error = hs_buf_steal(&why);
    p->path = hs_buf_steal(&path);
    p->name = name;
    out->n++;
    return HS_OK;
  }
  free(name);
  name = NULL;
  rc = hs_loader_load_file(hs_buf_str(&path), p, err);
  hs_buf_free(&path);
  if(rc == HS_E_NOMEM)
    return rc;
  out->n++;
  hs_err_clear(err); /* a broken plugin is listed, not an error */
  return HS_OK;

nomem:
  free(name);
  hs_buf_free(&path);
  return hs_err_set(err, HS_E_NOMEM, "%s/%s: out of memory", dir, file);
}

hs_rc hs_loader_scan(char *const *dirs, size_t ndirs, hs_plugin_list *out,
                     hs_err *err)
{
  size_t i, j;
  out->items = NULL;
  out->n = 0;
  for(i = 0; i < ndirs; i++) {
    char **names;
    size_t n;
    hs_rc rc = HS_OK;
    if(seen_dir(dirs, i))
      continue;
    if(list_dir(dirs[i], &names, &n)) {
      free_names(names, n);
      hs_plugin_list_free(out);
      return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", dirs[i]);
    }
    for(j = 0; j < n && rc == HS_OK; j++)
      rc = scan_one(dirs[i], names[j], out, err);
    free_names(names, n);
    if(rc) {
      hs_plugin_list_free(out);
      return rc;
    }
  }
  return HS_OK;
}

hs_rc hs_loader_find(char *const *dirs, size_t ndirs, const char *name,
                     hs_plugin *out, hs_err *err)
{
  hs_buf path = HS_BUF_INIT, searched = HS_BUF_INIT;
  size_t i;
  hs_rc rc;

  memset(out, 0, sizeof(*out));
  if(!name || !valid_name(name))
    return hs_err_set(err, HS_E_CONFIG,
                      "connector \"%s\": invalid name (allowed: a-z 0-9 _)",
                      name ? name : "");
  for(i = 0; i < ndirs; i++) {
    struct stat st;
    hs_buf_reset(&path);
    if(hs_buf_printf(&path, "%s/" FILE_PREFIX "%s" FILE_SUFFIX, dirs[i],
                     name) ||
       hs_buf_printf(&searched, "%s%s", i ? ", " : "", dirs[i])) {
      rc = hs_err_set(err, HS_E_NOMEM, "plugin search: out of memory");
      goto done;
    }
    if(stat(path.data, &st) == 0 && S_ISREG(st.st_mode)) {
      rc = hs_loader_load_file(path.data, out, err);
      if(rc == HS_E_PLUGIN)
        hs_err_prefix(err, "connector %s", name);
      goto done;
    }
  }
  rc = hs_err_set(err, HS_E_PLUGIN,
                  "no connector named \"%s\" (searched: %s; see `hrsync "
                  "plugins`)",
                  name, ndirs ? hs_buf_str(&searched) : "no folders");
done:
  hs_buf_free(&path);
  hs_buf_free(&searched);
  return rc;
}
