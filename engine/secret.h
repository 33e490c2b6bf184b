/*
** hs_secret: resolves the secrets of a config. A secret is "env:NAME"
** (an environment variable), "file:PATH" (a file, refused when group- or
** world-readable, like ssh keys; relative paths start at the config's
** folder) or a literal (the config itself must then be private, checked
** by hs_config_load).
*/
#ifndef HS_SECRET_H
#define HS_SECRET_H

#include "err.h"

/* True when ref is a literal (neither env: nor file:). */
int hs_secret_is_literal(const char *ref);

/* Resolves ref into *out (malloc'd; the caller frees it, after wiping it
** if it likes). key names the secret in errors ("secrets.api_key"); the
** error never contains the value. base_dir: folder for relative file:
** paths. A file's trailing newline is dropped. */
hs_rc hs_secret_resolve(const char *ref, const char *key, const char *base_dir,
                        char **out, hs_err *err);

#endif
