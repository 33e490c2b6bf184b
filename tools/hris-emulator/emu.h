/* The emulator's shared types: options, the server context, one request
 * and its response, and the table each emulated HR system fills. */
#ifndef EMU_H
#define EMU_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "faults.h"
#include "limiter.h"
#include "people.h"
#include "stats.h"

struct MHD_Connection;

/* HiBob search answer shapes: the documented "/root/firstName":
 * {"value": x} keys (default), nested by jsonPath, or both at once. */
enum { EMU_HIBOB_SLASH = 0, EMU_HIBOB_NESTED = 1, EMU_HIBOB_BOTH = 2 };

/* Documented variants ([U] facts) and limits, from the command line. */
/* Personio v1 date shapes. The default (0) is the vendor examples' own:
 * local midnight with the offset written "+01:00". */
enum {
  EMU_PSN_DATE_OFFSET = 0, /* 2014-11-09T00:00:00+01:00 (+02:00 in summer) */
  EMU_PSN_DATE_MIXED = 1,  /* per person, offset or utc */
  EMU_PSN_DATE_UTC = 2,    /* 2014-11-08T23:00:00.000Z */
  EMU_PSN_DATE_COMPACT = 3 /* 2014-11-09T00:00:00+0100 */
};

typedef struct emu_opts {
  unsigned port;
  const char *port_file;
  size_t employees;
  uint64_t seed;
  const char *fixture;
  const char *today;             /* YYYY-MM-DD or NULL (the real date) */
  unsigned threads;              /* MHD thread pool size */
  unsigned bamboohr_rate_status; /* 429 (current) or 503 (legacy) */
  int bamboohr_nationality;      /* the tenant has a nationality field */
  int personio_rotating;         /* one-time tokens rotated per response */
  int personio_date_shape;       /* EMU_PSN_DATE_* */
  long personio_auth_limit;      /* /auth requests per minute, 0 = off */
  int personio_v2_relative;      /* v2 links relative, not absolute */
  long personio_emp_limit;       /* employees requests per second, 0 = off */
  long personio_v2_limit;        /* v2 data requests per second, 0 = off */
  long hibob_search_limit;       /* searches per minute, 0 = off */
  long lucca_limit;              /* requests per minute, 0 = off */
  int hibob_shape;             /* EMU_HIBOB_SLASH (default), _NESTED, _BOTH */
  int hibob_no_people;         /* service user without category rights */
  const char *hibob_hidden;    /* comma list of field ids not visible */
  int humaans_public;          /* default token has public:read only */
  int humaans_limit_reject;    /* $limit > 250: 400 instead of clamp */
  int humaans_roles_catalogue; /* /job-roles as {id, companyId, name} */
  const char **faults;         /* --fault JSON rules */
  size_t nfaults;
} emu_opts;

typedef struct emu_ctx {
  const emu_opts *opts;
  pthread_rwlock_t lock; /* guards pop */
  emu_pop *pop;
  long today; /* day number, for rebuilding the population */
  emu_faults faults;
  emu_stats stats;
  /* Personio tokens: guarded by tok_mu. */
  pthread_mutex_t tok_mu;
  unsigned long tok_epoch;  /* bumped by token_expiry: old tokens die */
  unsigned long tok_serial; /* rotating mode: the one valid serial */
  int64_t auth_window[64];  /* recent /auth times, for the rate limit */
  size_t auth_n;
  int64_t auth_cooldown;    /* 429 until this time */
  emu_limiter personio_emp; /* the documented limits, when switched on */
  emu_bucket personio_v2;   /* with Spring-Cloud-Gateway x-ratelimit-* */
  emu_limiter hibob_search;
  emu_limiter lucca;
} emu_ctx;

typedef struct emu_req {
  emu_ctx *ctx;
  struct MHD_Connection *conn;
  const char *method;
  const char *path;    /* below the system prefix, without the query */
  const char *raw_uri; /* the request target as sent, or NULL */
  const char *body;
  size_t body_len;
  const emu_fault_hit *hit;
} emu_req;

#define EMU_MAX_HEADERS 8

typedef struct emu_resp {
  unsigned status;
  emu_buf body;
  const char *ctype; /* static string */
  char *hname[EMU_MAX_HEADERS];
  char *hvalue[EMU_MAX_HEADERS];
  int nhdr;
} emu_resp;

typedef struct emu_system {
  const char *name;   /* "bamboohr" */
  const char *prefix; /* "/bamboohr" */
  /* Answers one API request (the population is read-locked). */
  void (*handle)(emu_req *req, emu_resp *resp);
  /* Fills resp with this system's error shape for status/message. */
  void (*error)(emu_req *req, emu_resp *resp, unsigned status,
                const char *msg);
  /* Whether path is the system's auth endpoint (no token_expiry there). */
  int (*is_auth)(const char *path);
  /* token_expiry fired: invalidate issued tokens (may be NULL). */
  void (*expire)(emu_ctx *ctx);
  /* Default status of rate_limit faults. */
  unsigned (*rate_status)(emu_ctx *ctx);
} emu_system;

extern const emu_system emu_sys_bamboohr;
extern const emu_system emu_sys_personio;
extern const emu_system emu_sys_hibob;
extern const emu_system emu_sys_humaans;
extern const emu_system emu_sys_lucca;

/* ---- request helpers (request.c) ---- */

/* A query argument (first occurrence, URL-decoded) or NULL. */
const char *emu_req_arg(const emu_req *req, const char *name);
/* A query argument taken from the raw URI: %XX decoded, "+" kept as is
 * (copied into out). NULL when absent. */
const char *emu_req_raw_arg(const emu_req *req, const char *name, char *out,
                            size_t outlen);
/* Calls fn for every occurrence of query argument `name`. */
void emu_req_args_each(const emu_req *req, const char *name,
                       void (*fn)(void *cls, const char *value), void *cls);
/* A request header (case-insensitive name) or NULL. */
const char *emu_req_header(const emu_req *req, const char *name);
/* Decodes "Authorization: Basic ..." into user and password (owned by the
 * caller, free both). Returns 0, or -1 if absent or malformed. */
int emu_req_basic(const emu_req *req, char **user, char **pass);
/* The token of "Authorization: <scheme> <token>" when the scheme matches
 * case-sensitively (or case-insensitively with icase); NULL otherwise.
 * Borrowed from the request. */
const char *emu_req_auth_token(const emu_req *req, const char *scheme,
                               int icase);
/* Whether canonical field f (or custom key) is withheld by a fault. */
int emu_req_withheld(const emu_req *req, int f);
int emu_req_withheld_custom(const emu_req *req, const char *key);
/* Parses the body as JSON (NULL if not JSON); caller puts it. */
struct json_object *emu_req_json(const emu_req *req);

/* ---- response helpers ---- */

/* Adds a response header; name and value are copied. */
void emu_resp_header(emu_resp *resp, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets status and content type, empties the body. */
void emu_resp_start(emu_resp *resp, unsigned status, const char *ctype);
void emu_resp_free(emu_resp *resp);

/* ---- shared value helpers ---- */

/* Current unix time. */
int64_t emu_now(void);
/* Parses a non-negative decimal (whole string); -1 if not one. */
long emu_parse_nonneg(const char *s);

/* Builds the starting population of o (fixture, then generated people);
 * the caller frees it with emu_pop_free. NULL with a reason in err. */
emu_pop *emu_population_build(const emu_opts *o, long today, char *err,
                              size_t errlen);

/* ---- control endpoints (control.c) ---- */
void emu_control(emu_req *req, emu_resp *resp);

#endif
