/* Test helpers: run the emulator binary on a free port and talk to it with
 * plain libcurl (never through a connector). */
#ifndef EMU_CLIENT_H
#define EMU_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

typedef struct emu_proc {
  pid_t pid;
  unsigned port;
  char base[64]; /* "http://127.0.0.1:PORT" */
  char dir[64];  /* scratch folder for the port file */
} emu_proc;

typedef struct http_res {
  long status;
  char *body; /* NUL-terminated, owned */
  size_t len;
  char *headers; /* raw response headers, owned */
  int curl_rc;   /* CURLcode of the transfer */
} http_res;

/* Starts `bin` with --port 0 --port-file plus the NULL-terminated extra
 * args, waits until it answers. Returns 0, or -1 (message on stderr). */
int emu_proc_start(emu_proc *e, const char *bin, const char *const *args);
/* Sends SIGTERM, waits; returns the exit status (0 = clean, and under
 * ASan also leak-free), or -1 if it died by a signal. */
int emu_proc_stop(emu_proc *e);

/* One request. `headers` is NULL or a NULL-terminated list of "Name: v";
 * `userpwd` is NULL or "user:password" for Basic auth; body may be NULL.
 * Returns 0 when an HTTP answer arrived (see r->curl_rc for cut bodies). */
int http_do(const char *method, const char *url, const char *const *headers,
            const char *userpwd, const char *body, http_res *r);
/* A response header's value (case-insensitive name) copied into out, or
 * NULL when absent. */
const char *http_header(const http_res *r, const char *name, char *out,
                        size_t outlen);
/* The body parsed as JSON (caller puts it), or NULL. */
json_object *http_json(const http_res *r);
void http_res_free(http_res *r);

/* URL of path on the emulator e (static buffer per call site: copy). */
const char *emu_url(const emu_proc *e, const char *path, char *out,
                    size_t outlen);
/* Walks "a.b.0.c" through objects and arrays; NULL if absent. */
json_object *jpath(json_object *o, const char *path);
/* jpath as a string (NULL if absent or null). */
const char *jstr(json_object *o, const char *path);

#endif
