/*
** hs_progress: a "\r"-rewritten line on stderr (see progress.h). Plain
** carriage returns and spaces, no escape sequences: it works on any
** terminal and in `script` logs.
*/
#include "progress.h"

#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Columns the line may use: one less than the terminal, so it never
** wraps (a wrapped line cannot be rewritten with "\r"). */
static size_t columns(FILE *f)
{
  struct winsize ws;
  if(ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
    return (size_t)ws.ws_col - 1;
  return 79;
}

void hs_progress_start(hs_progress *p, hs_cli *cli)
{
  memset(p, 0, sizeof(*p));
  if(cli->quiet || !isatty(fileno(cli->errf)))
    return;
  p->f = cli->errf;
  p->cli = cli;
  p->start = now();
  cli->progress = p;
}

void hs_progress_end(hs_progress *p)
{
  hs_progress_clear(p);
  if(p->cli && p->cli->progress == p)
    p->cli->progress = NULL;
  p->f = NULL;
}

/* Replaces the line with text (cut to the terminal's width). */
static void draw(hs_progress *p, const char *text)
{
  size_t n = strlen(text), width = columns(p->f);
  if(n > width)
    n = width;
  fprintf(p->f, "\r%.*s", (int)n, text);
  if(p->drawn > n)
    fprintf(p->f, "%*s\r%.*s", (int)(p->drawn - n), "", (int)n, text);
  fflush(p->f);
  p->drawn = n;
}

/* 12,345 */
static void thousands(char *out, size_t size, unsigned long long v)
{
  char digits[32];
  size_t n = (size_t)snprintf(digits, sizeof(digits), "%llu", v), i, o = 0;
  for(i = 0; i < n && o + 2 < size; i++) {
    if(i && (n - i) % 3 == 0)
      out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = 0;
}

static void duration(char *out, size_t size, double s)
{
  unsigned long t = (unsigned long)(s + 0.5);
  if(t >= 3600)
    snprintf(out, size, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(out, size, "%lu:%02lu", t / 60, t % 60);
}

void hs_progress_fetch(hs_progress *p, unsigned long n,
                       unsigned long long total, int has_total)
{
  char line[256], done[32], all[32], eta[32];
  double t, elapsed, rate;
  if(!p->f)
    return;
  t = now();
  if(p->drawn && t - p->last < 0.1)
    return;
  p->last = t;
  elapsed = t - p->start;
  rate = elapsed > 0.05 ? (double)n / elapsed : 0;
  thousands(done, sizeof(done), n);
  if(has_total && total >= n && total) {
    thousands(all, sizeof(all), total);
    if(rate > 0)
      duration(eta, sizeof(eta), (double)(total - n) / rate);
    else
      snprintf(eta, sizeof(eta), "?");
    snprintf(line, sizeof(line),
             "hrsync: fetching: %s of %s records (%d%%), %.0f/s, ETA %s", done,
             all, (int)(100.0 * (double)n / (double)total), rate, eta);
  }
  else
    snprintf(line, sizeof(line), "hrsync: fetching: %s records, %.0f/s", done,
             rate);
  draw(p, line);
}

void hs_progress_fetch_done(hs_progress *p, unsigned long n)
{
  char line[128], done[32];
  if(!p->f)
    return;
  thousands(done, sizeof(done), n);
  snprintf(line, sizeof(line), "hrsync: fetched %s record%s in %.1f s", done,
           n == 1 ? "" : "s", now() - p->start);
  draw(p, line);
  fputc('\n', p->f);
  p->drawn = 0;
  hs_progress_end(p);
}

void hs_progress_phase(hs_progress *p, const char *what)
{
  char line[256];
  if(!p->f)
    return;
  snprintf(line, sizeof(line), "hrsync: %s...", what);
  draw(p, line);
}

void hs_progress_clear(hs_progress *p)
{
  if(!p->f || !p->drawn)
    return;
  fprintf(p->f, "\r%*s\r", (int)p->drawn, "");
  fflush(p->f);
  p->drawn = 0;
}
