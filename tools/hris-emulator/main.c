/* hris-emulator: a loopback server speaking the wire formats of BambooHR,
 * Personio, HiBob, Humaans and Lucca for tests, benchmarks and the demo.
 * Parses options, builds the population, serves until SIGTERM/SIGINT. */
#include "dates.h"
#include "emu.h"
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: hris-emulator [--port N] [--port-file FILE] [--employees N]\n"
    "  [--seed S] [--fixture FILE.json] [--today YYYY-MM-DD] [--threads N]\n"
    "  [--bamboohr-rate-status 429|503] [--personio-token-mode "
    "stable|rotating]\n"
    "  [--personio-date-shape offset|compact|mixed|utc] "
    "[--personio-auth-limit N]\n"
    "  [--personio-employees-limit N/s] [--personio-v2-limit N/s]\n"
    "  [--hibob-search-limit N/min]\n"
    "  [--lucca-rate-limit N/min] [--personio-v2-links absolute|relative]\n"
    "  [--hibob-shape slash|nested|both] [--hibob-hidden FIELD,...]\n"
    "  [--humaans-scope private|public] [--humaans-limit clamp|reject]\n"
    "  [--bamboohr-nationality no|yes] [--hibob-permissions full|none]\n"
    "  [--humaans-job-roles per-person|catalogue]\n"
    "  [--fault JSON]...\n";

static int parse_u64(const char *s, uint64_t *out)
{
  char *end;

  errno = 0;
  if(!s || !*s || *s == '-')
    return -1;
  *out = strtoull(s, &end, 10);
  return (errno || *end) ? -1 : 0;
}

/* Parses argv into o; returns 0, or -1 with a message in err. */
static int parse_args(int argc, char **argv, emu_opts *o, char *err,
                      size_t errlen)
{
  int i;
  uint64_t v;

  for(i = 1; i < argc; i++) {
    const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
    if(!strcmp(a, "-h") || !strcmp(a, "--help")) {
      snprintf(err, errlen, "%s", "");
      return -1;
    }
    if(!val) {
      snprintf(err, errlen, "option %s needs a value (or is unknown)", a);
      return -1;
    }
    i++;
    if(!strcmp(a, "--port") && !parse_u64(val, &v) && v < 65536)
      o->port = (unsigned)v;
    else if(!strcmp(a, "--port-file"))
      o->port_file = val;
    else if(!strcmp(a, "--employees") && !parse_u64(val, &v) && v <= 10000000)
      o->employees = (size_t)v;
    else if(!strcmp(a, "--seed") && !parse_u64(val, &v))
      o->seed = v;
    else if(!strcmp(a, "--fixture"))
      o->fixture = val;
    else if(!strcmp(a, "--today"))
      o->today = val;
    else if(!strcmp(a, "--threads") && !parse_u64(val, &v) && v <= 64)
      o->threads = (unsigned)v;
    else if(!strcmp(a, "--bamboohr-rate-status") &&
            (!strcmp(val, "429") || !strcmp(val, "503")))
      o->bamboohr_rate_status = (unsigned)atoi(val);
    else if(!strcmp(a, "--bamboohr-nationality") &&
            (!strcmp(val, "no") || !strcmp(val, "yes")))
      o->bamboohr_nationality = !strcmp(val, "yes");
    else if(!strcmp(a, "--personio-token-mode") &&
            (!strcmp(val, "stable") || !strcmp(val, "rotating")))
      o->personio_rotating = !strcmp(val, "rotating");
    else if(!strcmp(a, "--personio-date-shape") &&
            (!strcmp(val, "mixed") || !strcmp(val, "offset") ||
             !strcmp(val, "utc") || !strcmp(val, "compact")))
      o->personio_date_shape = !strcmp(val, "offset")    ? EMU_PSN_DATE_OFFSET
                               : !strcmp(val, "mixed")   ? EMU_PSN_DATE_MIXED
                               : !strcmp(val, "compact") ? EMU_PSN_DATE_COMPACT
                                                         : EMU_PSN_DATE_UTC;
    else if(!strcmp(a, "--personio-auth-limit") && !parse_u64(val, &v) &&
            v <= 64)
      o->personio_auth_limit = (long)v;
    else if(!strcmp(a, "--personio-v2-links") &&
            (!strcmp(val, "absolute") || !strcmp(val, "relative")))
      o->personio_v2_relative = !strcmp(val, "relative");
    else if(!strcmp(a, "--personio-employees-limit") && !parse_u64(val, &v) &&
            v <= 100000)
      o->personio_emp_limit = (long)v;
    else if(!strcmp(a, "--personio-v2-limit") && !parse_u64(val, &v) &&
            v <= 100000)
      o->personio_v2_limit = (long)v;
    else if(!strcmp(a, "--hibob-search-limit") && !parse_u64(val, &v) &&
            v <= 100000)
      o->hibob_search_limit = (long)v;
    else if(!strcmp(a, "--lucca-rate-limit") && !parse_u64(val, &v) &&
            v <= 100000)
      o->lucca_limit = (long)v;
    else if(!strcmp(a, "--hibob-shape") &&
            (!strcmp(val, "nested") || !strcmp(val, "slash") ||
             !strcmp(val, "both")))
      o->hibob_shape = !strcmp(val, "slash")    ? EMU_HIBOB_SLASH
                       : !strcmp(val, "nested") ? EMU_HIBOB_NESTED
                                                : EMU_HIBOB_BOTH;
    else if(!strcmp(a, "--hibob-permissions") &&
            (!strcmp(val, "full") || !strcmp(val, "none")))
      o->hibob_no_people = !strcmp(val, "none");
    else if(!strcmp(a, "--hibob-hidden"))
      o->hibob_hidden = val;
    else if(!strcmp(a, "--humaans-scope") &&
            (!strcmp(val, "private") || !strcmp(val, "public")))
      o->humaans_public = !strcmp(val, "public");
    else if(!strcmp(a, "--humaans-limit") &&
            (!strcmp(val, "clamp") || !strcmp(val, "reject")))
      o->humaans_limit_reject = !strcmp(val, "reject");
    else if(!strcmp(a, "--humaans-job-roles") &&
            (!strcmp(val, "per-person") || !strcmp(val, "catalogue")))
      o->humaans_roles_catalogue = !strcmp(val, "catalogue");
    else if(!strcmp(a, "--fault"))
      o->faults[o->nfaults++] = val;
    else {
      snprintf(err, errlen, "bad option or value: %s %s", a, val);
      return -1;
    }
  }
  return 0;
}

static long today_days(const char *s, char *err, size_t errlen)
{
  long d;
  time_t now;

  if(s) {
    if(emu_date_parse(s, &d)) {
      snprintf(err, errlen, "--today: '%s' is not a YYYY-MM-DD date", s);
      return -1;
    }
    return d;
  }
  now = time(NULL);
  return (long)(now / 86400);
}

static int write_port_file(const char *path, unsigned port, char *err,
                           size_t errlen)
{
  char tmp[4096];
  FILE *f;

  /* Write then rename, so a waiting script never reads a half file. */
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  f = fopen(tmp, "w");
  if(!f || fprintf(f, "%u\n", port) < 0 || fclose(f)) {
    snprintf(err, errlen, "--port-file %s: %s", path, strerror(errno));
    return -1;
  }
  if(rename(tmp, path)) {
    snprintf(err, errlen, "--port-file %s: %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int ctx_init(emu_ctx *ctx, const emu_opts *o, char *err, size_t errlen)
{
  long today = today_days(o->today, err, errlen);
  size_t i;

  memset(ctx, 0, sizeof(*ctx));
  ctx->opts = o;
  if(today < 0)
    return -1;
  if(pthread_rwlock_init(&ctx->lock, NULL) ||
     pthread_mutex_init(&ctx->tok_mu, NULL) || emu_faults_init(&ctx->faults) ||
     emu_stats_init(&ctx->stats, 50000) ||
     emu_limiter_init(&ctx->personio_emp, o->personio_emp_limit, 1000) ||
     emu_bucket_init(&ctx->personio_v2, o->personio_v2_limit,
                     o->personio_v2_limit) ||
     emu_limiter_init(&ctx->hibob_search, o->hibob_search_limit, 60000) ||
     emu_limiter_init(&ctx->lucca, o->lucca_limit, 60000)) {
    snprintf(err, errlen, "cannot initialise locks");
    return -1;
  }
  ctx->tok_epoch = 1;
  ctx->today = today;
  if(!(ctx->pop = emu_population_build(o, today, err, errlen)))
    return -1;
  for(i = 0; i < o->nfaults; i++) {
    json_object *f = json_tokener_parse(o->faults[i]);
    char why[256];
    int rc = f ? emu_faults_add_json(&ctx->faults, f, why, sizeof(why)) : -1;
    if(!f)
      snprintf(why, sizeof(why), "not JSON");
    json_object_put(f);
    if(rc) {
      snprintf(err, errlen, "--fault '%s': %s", o->faults[i], why);
      return -1;
    }
  }
  return 0;
}

static void ctx_destroy(emu_ctx *ctx)
{
  emu_pop_free(ctx->pop);
  emu_faults_destroy(&ctx->faults);
  emu_stats_destroy(&ctx->stats);
  pthread_rwlock_destroy(&ctx->lock);
  pthread_mutex_destroy(&ctx->tok_mu);
  emu_limiter_destroy(&ctx->personio_emp);
  emu_bucket_destroy(&ctx->personio_v2);
  emu_limiter_destroy(&ctx->hibob_search);
  emu_limiter_destroy(&ctx->lucca);
}

int main(int argc, char **argv)
{
  emu_opts o;
  emu_ctx ctx;
  struct MHD_Daemon *d = NULL;
  sigset_t set;
  unsigned port = 0;
  size_t npeople;
  char err[512] = "";
  int sig, rc = 1;

  memset(&o, 0, sizeof(o));
  o.seed = 1;
  o.bamboohr_rate_status = 429;
  o.personio_auth_limit = 60;
  o.faults = calloc((size_t)argc, sizeof(*o.faults));
  if(!o.faults)
    return 1;
  if(parse_args(argc, argv, &o, err, sizeof(err))) {
    if(*err)
      fprintf(stderr, "hris-emulator: %s\n", err);
    fputs(usage, *err ? stderr : stdout);
    free(o.faults);
    return *err ? 2 : 0;
  }
  /* Block the stop signals in every thread; main waits for them. */
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  if(ctx_init(&ctx, &o, err, sizeof(err)))
    goto out;
  /* Read before serving: afterwards the population is the handlers'. */
  npeople = ctx.pop->n;
  d = emu_server_start(&ctx, o.port, &port, err, sizeof(err));
  if(!d)
    goto out;
  if(o.port_file && write_port_file(o.port_file, port, err, sizeof(err)))
    goto out;
  printf("%u\n", port);
  fflush(stdout);
  fprintf(stderr, "hris-emulator: %zu people on http://127.0.0.1:%u\n",
          npeople, port);
  sigwait(&set, &sig);
  rc = 0;
out:
  if(rc && *err)
    fprintf(stderr, "hris-emulator: %s\n", err);
  emu_server_stop(d);
  ctx_destroy(&ctx);
  free(o.faults);
  return rc;
}
