/*
** hs_cc: the conformance kit's child processes (internal to the kit).
**
** A body runs in a forked child and writes lines to a pipe: verdicts
** ("P\tcheck\tdetail", "F\tcheck\tdetail", via hs_cc_verdict) and any
** other line of its own (hs_cc_line). The parent hands each line to a
** sink, and turns a child that died (a signal, the alarm of a hang, an
** exit() in a plugin) into a failed verdict of its own: one bad plugin
** cannot take the kit down.
*/
#ifndef HS_CONF_CHILD_H
#define HS_CONF_CHILD_H

#include "err.h"

#include <stdio.h>

typedef struct hs_cc_sink {
  /* pass: HS_CONF_FAIL, HS_CONF_PASS or HS_CONF_SKIP */
  void (*verdict)(void *arg, int pass, const char *check, const char *detail);
  void (*line)(void *arg, const char *line); /* other lines; may be NULL */
  void *arg;
} hs_cc_sink;

/* Runs body(arg, fd) in a child killed after timeout_s seconds. what
** names the verdict that reports the child's death, or a child that
** wrote nothing. HS_OK unless no child could be started (pipe, fork). */
hs_rc hs_cc_run(const char *what, unsigned timeout_s,
                void (*body)(void *arg, int fd), void *arg,
                const hs_cc_sink *sink, hs_err *err);

/* In the child: one verdict line (pass: HS_CONF_FAIL, _PASS or _SKIP);
** the detail is made one line. */
void hs_cc_verdict(int fd, int pass, const char *check, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* In the child: a line of its own (no tab-separated verdict). */
void hs_cc_line(int fd, const char *line);

/* 1 when LeakSanitizer finds memory nobody points to any more, 0 when it
** finds none, -1 when this is not a sanitizer build. The report goes to
** stderr, for the author. */
int hs_cc_leaks(void);

/* Sends stdout and stderr to a temporary file while a plugin runs
** (connector.h: a plugin never prints). */
typedef struct hs_cc_capture {
  FILE *tmp;
  int saved_out, saved_err;
} hs_cc_capture;

int hs_cc_capture_start(hs_cc_capture *cp); /* 0, or -1 (not capturing) */

/* Puts the streams back; returns the bytes written meanwhile and the
** first of them, NUL-terminated, in first (cap > 0). */
long hs_cc_capture_end(hs_cc_capture *cp, char *first, size_t cap);

#endif
