/*
** hs_log: leveled diagnostics, redacted before they reach the sink.
**
** Redaction is a plain substring replace over a short list of secrets.
** Lines are short and secrets few, so the quadratic worst case never
** matters; what matters is that no path to the sink skips it.
*/
#include "log.h"

#include "term.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REDACTED "[REDACTED]"

struct hs_log {
  int max_level;
  hs_log_sink sink;
  void *arg;
  char **secrets;
  size_t nsecrets;
};

hs_log *hs_log_new(int max_level, hs_log_sink sink, void *arg)
{
  hs_log *log = calloc(1, sizeof(*log));
  if(!log)
    return NULL;
  log->max_level = max_level > HS_LOG_DEBUG ? HS_LOG_DEBUG : max_level;
  log->sink = sink;
  log->arg = arg;
  return log;
}

void hs_log_free(hs_log *log)
{
  size_t i;
  if(!log)
    return;
  for(i = 0; i < log->nsecrets; i++)
    free(log->secrets[i]);
  free(log->secrets);
  free(log);
}

int hs_log_enabled(const hs_log *log, int level)
{
  return log && log->sink && level <= log->max_level;
}

int hs_log_add_secret(hs_log *log, const char *value)
{
  char **grown, *copy;
  size_t i;
  if(!log || !value || strlen(value) < 4)
    return 0;
  for(i = 0; i < log->nsecrets; i++)
    if(!strcmp(log->secrets[i], value))
      return 0;
  grown = realloc(log->secrets, (log->nsecrets + 1) * sizeof(*grown));
  if(!grown)
    return -1;
  log->secrets = grown;
  copy = strdup(value);
  if(!copy)
    return -1;
  log->secrets[log->nsecrets++] = copy;
  return 0;
}

/* The earliest secret occurring in s, or NULL; *len gets its length. */
static const char *first_secret(const hs_log *log, const char *s, size_t *len)
{
  const char *best = NULL;
  size_t i;
  for(i = 0; log && i < log->nsecrets; i++) {
    const char *hit = strstr(s, log->secrets[i]);
    if(hit && (!best || hit < best ||
               (hit == best && strlen(log->secrets[i]) > *len))) {
      best = hit;
      *len = strlen(log->secrets[i]);
    }
  }
  return best;
}

int hs_log_redact(const hs_log *log, const char *in, hs_buf *out)
{
  const char *hit;
  size_t len = 0;
  while((hit = first_secret(log, in, &len)) != NULL) {
    if(hs_buf_append(out, in, (size_t)(hit - in)) ||
       hs_buf_puts(out, REDACTED))
      return -1;
    in = hit + len;
    len = 0;
  }
  return hs_buf_puts(out, in);
}

void hs_log_write(hs_log *log, int level, const char *who, const char *msg)
{
  hs_buf raw = HS_BUF_INIT, clean = HS_BUF_INIT, shown = HS_BUF_INIT;
  if(!hs_log_enabled(log, level))
    return;
  if(who)
    hs_buf_printf(&raw, "%s: %s", who, msg);
  else
    hs_buf_puts(&raw, msg);
  /* On no memory the line is dropped rather than printed unredacted. */
  /* One line per call, and no byte that drives the terminal: a plugin
  ** echoing an HTTP body could otherwise forge lines of its own or
  ** repaint the screen. Escaped after redaction, so a secret is matched
  ** as it was sent. */
  if(raw.data && hs_log_redact(log, raw.data, &clean) == 0 &&
     hs_term_escape(&shown, clean.data) == 0)
    log->sink(log->arg, level, shown.data);
  hs_buf_free(&raw);
  hs_buf_free(&clean);
  hs_buf_free(&shown);
}

void hs_log_printf(hs_log *log, int level, const char *who, const char *fmt,
                   ...)
{
  va_list ap;
  char *line;
  int n;
  if(!hs_log_enabled(log, level))
    return;
  /* Formatted whole, never cut: a cut could split a secret so that the
  ** half left in the line no longer matches for redaction. */
  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0 || !(line = malloc((size_t)n + 1)))
    return;
  va_start(ap, fmt);
  vsnprintf(line, (size_t)n + 1, fmt, ap);
  va_end(ap);
  hs_log_write(log, level, who, line);
  free(line);
}
