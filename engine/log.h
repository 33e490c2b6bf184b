/*
** hs_log: leveled diagnostics with secret redaction.
**
** Every line the engine or a plugin logs passes through here, and every
** known secret (config secrets, tokens a plugin marked, Authorization
** values) is replaced by "[REDACTED]" before the line reaches the sink.
** The sink is chosen by cli/ (stderr); deep code never prints.
*/
#ifndef HS_LOG_H
#define HS_LOG_H

#include "buf.h"

#include <stddef.h>

typedef struct hs_log hs_log;

/* Same numbers as HRSYNC_LOG_* in the SDK. */
enum { HS_LOG_ERROR = 0, HS_LOG_WARN = 1, HS_LOG_INFO = 2, HS_LOG_DEBUG = 3 };

typedef void (*hs_log_sink)(void *arg, int level, const char *line);

/* max_level: lines above it are dropped (-q: HS_LOG_ERROR, default
** HS_LOG_WARN, -v: HS_LOG_INFO, -vv: HS_LOG_DEBUG). NULL on no memory. */
hs_log *hs_log_new(int max_level, hs_log_sink sink, void *arg);
void hs_log_free(hs_log *log);

int hs_log_enabled(const hs_log *log, int level);

/* Remembers a secret value (copied). Values shorter than 4 bytes are
** ignored: redacting "x" would shred every line. Returns 0 or -1. */
int hs_log_add_secret(hs_log *log, const char *value);

/* "who: msg", redacted. who may be NULL. NULL log is allowed (no-op). */
void hs_log_write(hs_log *log, int level, const char *who, const char *msg);
void hs_log_printf(hs_log *log, int level, const char *who, const char *fmt,
                   ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Appends in to out with every known secret replaced. */
int hs_log_redact(const hs_log *log, const char *in, hs_buf *out);

#endif
