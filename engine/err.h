/*
** Result codes and error detail for the engine.
**
** Deep code never prints: a function returns an hs_rc and, on failure,
** fills an hs_err with a one-line detail naming what was wrong and where
** (file and key, row, HTTP status, plugin). Only cli/ prints it.
*/
#ifndef HS_ERR_H
#define HS_ERR_H

#include <stddef.h>

typedef enum hs_rc {
  HS_OK = 0,
  HS_E_USAGE,   /* bad command line                        -> exit 2 */
  HS_E_CONFIG,  /* bad config file, mapping, condition     -> exit 2 */
  HS_E_REFUSED, /* stale plan, approval missing, conflicts -> exit 3 */
  HS_E_RUNTIME, /* anything else that failed at run time   -> exit 1 */
  HS_E_NOMEM,
  HS_E_IO,     /* a file could not be read or written */
  HS_E_DB,     /* SQLite said no */
  HS_E_PLUGIN, /* a plugin could not be loaded or misbehaved */
  HS_E_AUTH,   /* the HR system refused the credentials */
  HS_E_HTTP,   /* the HR system could not be reached or answered badly */
  HS_E_PARSE   /* a body, a file or a value is not what it should be */
} hs_rc;

typedef struct hs_err {
  hs_rc rc;
  char msg[1024];
} hs_err;

/* Sets rc and a printf-style detail, returns rc. NULL e is allowed. */
hs_rc hs_err_set(hs_err *e, hs_rc rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Puts "prefix: " in front of the current detail (adds context on the
** way up: "hrsync.json: " + "mapping.email: unknown field"). */
void hs_err_prefix(hs_err *e, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void hs_err_clear(hs_err *e);

/* A short sentence for a code: "configuration error". */
const char *hs_strerror(hs_rc rc);

/* The process exit status for a code, as design.md section 5 says. */
int hs_rc_exit_code(hs_rc rc);

#endif
