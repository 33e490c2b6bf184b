/* Faults on demand: a list of rules, each matching a system (or "*") and
 * optionally a path substring, skipping `after` matching requests, then
 * firing `count` times (-1: until cleared). Thread-safe. */
#ifndef EMU_FAULTS_H
#define EMU_FAULTS_H

#include <pthread.h>
#include <stddef.h>

#include <json-c/json.h>

enum emu_fault_kind {
  EMU_FK_NONE,
  EMU_FK_RATE_LIMIT,
  EMU_FK_STATUS,
  EMU_FK_SLOW,
  EMU_FK_RESET,
  EMU_FK_TRUNCATE,
  EMU_FK_MALFORMED,
  EMU_FK_TOKEN_EXPIRY,
  EMU_FK_WITHHOLD
};

typedef struct emu_fault {
  char system[16];
  char *path; /* owned substring filter, or NULL */
  int kind;
  long count; /* remaining firings; -1 = unlimited */
  long after; /* matching requests still to let through */
  unsigned status;
  long retry_after;
  long delay_ms;
  char **fields; /* withhold: owned canonical names */
  size_t nfields;
} emu_fault;

typedef struct emu_faults {
  pthread_mutex_t mu;
  emu_fault *v;
  size_t n;
} emu_faults;

/* What the faults decided for one request. */
typedef struct emu_fault_hit {
  int action; /* the first firing of rate_limit/status/reset/truncate/
                 malformed/token_expiry, or EMU_FK_NONE */
  unsigned status;
  long retry_after;
  long delay_ms;   /* total delay from slow faults */
  char **withhold; /* owned copies of withheld canonical names */
  size_t nwithhold;
} emu_fault_hit;

int emu_faults_init(emu_faults *fs);
/* Frees every rule and the mutex. */
void emu_faults_destroy(emu_faults *fs);
void emu_faults_clear(emu_faults *fs);
/* Adds a rule from control JSON (see docs/internals.md). Returns 0, or -1
 * with a one-line reason in err. */
int emu_faults_add_json(emu_faults *fs, json_object *obj, char *err,
                        size_t errlen);
/* Consumes the rules matching this request and fills hit (free it with
 * emu_fault_hit_free). Auth requests never match token_expiry. */
void emu_faults_match(emu_faults *fs, const char *system, const char *path,
                      int is_auth, emu_fault_hit *hit);
void emu_fault_hit_free(emu_fault_hit *hit);
/* Whether canonical field `name` (or "custom.<key>") is withheld. */
int emu_fault_hit_withholds(const emu_fault_hit *hit, const char *name);
/* Number of rules still pending (tests use it to see faults consumed). */
size_t emu_faults_pending(emu_faults *fs);

#endif
