/*
** hs_cc: the conformance kit's child processes (see conf_child.h).
*/
#include "conf_child.h"

#include "buf.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define HS_CC_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HS_CC_LSAN 1
#endif
#endif
#ifdef HS_CC_LSAN
#include <sanitizer/lsan_interface.h>
#endif

static void write_all(int fd, const char *s, size_t n)
{
  while(n) {
    ssize_t w = write(fd, s, n);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return;
    s += w;
    n -= (size_t)w;
  }
}

void hs_cc_verdict(int fd, int pass, const char *check, const char *fmt, ...)
{
  char line[1536], detail[1280];
  char *p;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof(detail), fmt, ap);
  va_end(ap);
  /* One line per verdict, whatever the plugin put in its detail. */
  for(p = detail; *p; p++)
    if(*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  snprintf(line, sizeof(line), "%c\t%s\t%s\n",
           pass >= 0 && pass <= 2 ? "FPS"[pass] : 'F', check, detail);
  write_all(fd, line, strlen(line));
}

void hs_cc_line(int fd, const char *line)
{
  write_all(fd, line, strlen(line));
  write_all(fd, "\n", 1);
}

int hs_cc_leaks(void)
{
#ifdef HS_CC_LSAN
  return __lsan_do_recoverable_leak_check() ? 1 : 0;
#else
  return -1;
#endif
}

/* Hands every line of text to the sink; returns how many there were. */
static int dispatch(char *text, const hs_cc_sink *sink)
{
  char *line = text, *nl;
  int n = 0;
  while(line && *line) {
    char *tab1, *tab2;
    nl = strchr(line, '\n');
    if(nl)
      *nl = 0;
    tab1 = strchr(line, '\t');
    tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if(line[0] && strchr("FPS", line[0]) && tab1 == line + 1 && tab2) {
      *tab2 = 0;
      sink->verdict(sink->arg, (int)(strchr("FPS", line[0]) - "FPS"), tab1 + 1,
                    tab2 + 1);
    }
    else if(sink->line)
      sink->line(sink->arg, line);
    n++;
    line = nl ? nl + 1 : NULL;
  }
  return n;
}

/* The child: default deadly signals, the alarm, the body, and _exit so
** nothing of the parent (atexit handlers, stdio buffers) runs twice. */
static void child(unsigned timeout_s, void (*body)(void *arg, int fd),
                  void *arg, int fd)
{
  /* A crash must kill the child, whatever handlers the parent set (a
  ** test framework's longjmp would run the parent's code on here). */
  signal(SIGSEGV, SIG_DFL);
  signal(SIGBUS, SIG_DFL);
  signal(SIGILL, SIG_DFL);
  signal(SIGFPE, SIG_DFL);
  signal(SIGABRT, SIG_DFL);
  signal(SIGALRM, SIG_DFL);
  alarm(timeout_s);
  body(arg, fd);
  close(fd);
  _exit(0);
}

hs_rc hs_cc_run(const char *what, unsigned timeout_s,
                void (*body)(void *arg, int fd), void *arg,
                const hs_cc_sink *sink, hs_err *err)
{
  hs_buf out = HS_BUF_INIT;
  int fds[2], status = 0, lines = 0;
  char chunk[4096], why[256];
  pid_t pid;
  ssize_t n;

  if(pipe(fds))
    return hs_err_set(err, HS_E_RUNTIME, "conformance: pipe: %s",
                      strerror(errno));
  fflush(NULL);
  pid = fork();
  if(pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return hs_err_set(err, HS_E_RUNTIME, "conformance: fork: %s",
                      strerror(errno));
  }
  if(pid == 0) {
    close(fds[0]);
    child(timeout_s, body, arg, fds[1]);
  }
  close(fds[1]);
  while((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0 || hs_buf_append(&out, chunk, (size_t)n))
      break;
  }
  close(fds[0]);
  while(waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if(out.data)
    lines = dispatch(out.data, sink);
  hs_buf_free(&out);

  why[0] = 0;
  if(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
    snprintf(why, sizeof(why),
             "timed out after %u s (a loop that never "
             "ends?)",
             timeout_s);
  else if(WIFSIGNALED(status))
    snprintf(why, sizeof(why), "crashed: signal %d (%s)", WTERMSIG(status),
             strsignal(WTERMSIG(status)));
  else if(WIFEXITED(status) && WEXITSTATUS(status))
    snprintf(why, sizeof(why),
             "the process ended with exit %d (a sanitizer report on "
             "stderr, or exit() in the plugin)",
             WEXITSTATUS(status));
  else if(!lines)
    snprintf(why, sizeof(why), "no verdict (the child said nothing)");
  if(why[0])
    sink->verdict(sink->arg, 0, what, why);
  return HS_OK;
}

int hs_cc_capture_start(hs_cc_capture *cp)
{
  fflush(NULL);
  cp->tmp = tmpfile();
  cp->saved_out = dup(1);
  cp->saved_err = dup(2);
  if(!cp->tmp || cp->saved_out < 0 || cp->saved_err < 0 ||
     dup2(fileno(cp->tmp), 1) < 0 || dup2(fileno(cp->tmp), 2) < 0) {
    if(cp->saved_out >= 0) {
      dup2(cp->saved_out, 1);
      close(cp->saved_out);
    }
    if(cp->saved_err >= 0) {
      dup2(cp->saved_err, 2);
      close(cp->saved_err);
    }
    if(cp->tmp)
      fclose(cp->tmp);
    cp->tmp = NULL;
    return -1;
  }
  return 0;
}

long hs_cc_capture_end(hs_cc_capture *cp, char *first, size_t cap)
{
  struct stat st;
  size_t got;
  long n;
  fflush(NULL);
  dup2(cp->saved_out, 1);
  dup2(cp->saved_err, 2);
  close(cp->saved_out);
  close(cp->saved_err);
  /* The streams shared the file's offset: its size is what they wrote. */
  n = fstat(fileno(cp->tmp), &st) == 0 ? (long)st.st_size : 0;
  rewind(cp->tmp);
  got = fread(first, 1, cap - 1, cp->tmp);
  first[got] = 0;
  fclose(cp->tmp);
  cp->tmp = NULL;
  return n;
}
