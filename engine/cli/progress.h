/*
** hs_progress: the one updating line a person sees on a terminal while
** hrsync works: records fetched, of how many when the HR system says
** (roster_total), the rate and the time left; then the write phase. It
** writes only when stderr is a terminal and -q was not given, redraws at
** most ten times a second, and leaves no half line behind.
*/
#ifndef HS_CLI_PROGRESS_H
#define HS_CLI_PROGRESS_H

#include "cli.h"

#include <stdio.h>

typedef struct hs_progress {
  FILE *f;            /* NULL: off */
  hs_cli *cli;        /* registered as cli->progress while on */
  double start, last; /* monotonic seconds: begun, last drawn */
  size_t drawn;       /* characters on the line now, to overwrite */
} hs_progress;

/* Starts a progress line for cli (off without a terminal or with -q). It
** stays registered with cli (log lines erase it) until fetch_done or
** hs_progress_end. */
void hs_progress_start(hs_progress *p, hs_cli *cli);

/* n records fetched so far; total when has_total. Cheap when not due. */
void hs_progress_fetch(hs_progress *p, unsigned long n,
                       unsigned long long total, int has_total);

/* The fetch is over: one last line "fetched N records in T s", kept. */
void hs_progress_fetch_done(hs_progress *p, unsigned long n);

/* A phase without counts ("writing 120 changes to the registry"). */
void hs_progress_phase(hs_progress *p, const char *what);

/* Erases the line; the next update draws it again. */
void hs_progress_clear(hs_progress *p);

/* Erases the line and unregisters it (the command's own result follows). */
void hs_progress_end(hs_progress *p);

#endif
