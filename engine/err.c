/*
** Result codes: detail formatting and the mapping to exit statuses.
*/
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

hs_rc hs_err_set(hs_err *e, hs_rc rc, const char *fmt, ...)
{
  va_list ap;
  if(!e)
    return rc;
  e->rc = rc;
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
  va_end(ap);
  return rc;
}

void hs_err_prefix(hs_err *e, const char *fmt, ...)
{
  char old[sizeof(e->msg)];
  size_t n;
  va_list ap;
  if(!e)
    return;
  memcpy(old, e->msg, sizeof(old));
  va_start(ap, fmt);
  vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
  va_end(ap);
  /* Truncation keeps the head: the context is what names the place. */
  n = strlen(e->msg);
  if(n + 2 < sizeof(e->msg)) {
    memcpy(e->msg + n, ": ", 2);
    n += 2;
    strncpy(e->msg + n, old, sizeof(e->msg) - n - 1);
    e->msg[sizeof(e->msg) - 1] = 0;
  }
}

void hs_err_clear(hs_err *e)
{
  if(e) {
    e->rc = HS_OK;
    e->msg[0] = 0;
  }
}

const char *hs_strerror(hs_rc rc)
{
  switch(rc) {
  case HS_OK:
    return "success";
  case HS_E_USAGE:
    return "usage error";
  case HS_E_CONFIG:
    return "configuration error";
  case HS_E_REFUSED:
    return "refused";
  case HS_E_RUNTIME:
    return "runtime failure";
  case HS_E_NOMEM:
    return "out of memory";
  case HS_E_IO:
    return "I/O error";
  case HS_E_DB:
    return "database error";
  case HS_E_PLUGIN:
    return "plugin error";
  case HS_E_AUTH:
    return "authentication refused";
  case HS_E_HTTP:
    return "HTTP failure";
  case HS_E_PARSE:
    return "malformed data";
  }
  return "unknown error";
}

int hs_rc_exit_code(hs_rc rc)
{
  switch(rc) {
  case HS_OK:
    return 0;
  case HS_E_USAGE:
  case HS_E_CONFIG:
    return 2;
  case HS_E_REFUSED:
    return 3;
  default:
    return 1;
  }
}
