/*
** hrsync connector SDK, ABI 1.
**
** This header is the whole contract between the hrsync engine (the host)
** and a connector plugin: a shared object, named hrsync-<name>.so, that
** turns one HR system's API into flat employee records. Nothing else of
** hrsync is needed to build a connector.
**
** How the two sides meet
** ----------------------
**   1. The host dlopen()s the file (RTLD_NOW | RTLD_LOCAL) and looks up the
**      one exported symbol, hrsync_connector_entry (HRSYNC_ENTRY_SYMBOL).
**   2. It calls the entry with its own ABI version. The entry returns a
**      pointer to a static const hrsync_connector descriptor, or NULL to
**      refuse the host. The entry must be cheap and free of side effects:
**      `hrsync plugins` calls it only to list what is installed.
**   3. For a sync the host calls, on one thread, in this order:
**        open -> authenticate -> list_fields and/or next_page... -> close
**      close is called exactly once after a successful open, even when a
**      later callback failed.
**
** The host gives the plugin its services through hrsync_host, a table of
** function pointers (the SQLite extension model): a plugin never links
** against the engine, libcurl or SQLite. It may link json-c (or anything
** else) privately to parse the bodies the host hands it.
**
** Versioning
** ----------
**   Both structs start with abi_major, abi_minor and struct_size.
**   - A different abi_major is refused by either side.
**   - Within a major, members are only ever appended at the end of a
**     struct; nothing is reordered, resized or removed. A minor version
**     bump marks such an addition.
**   - The host reads a descriptor member only if it lies within the
**     descriptor's struct_size; anything past it counts as NULL. So a
**     plugin built against 1.0 keeps working on a 1.7 host.
**   - A plugin built against a newer minor must test host services added
**     after 1.0 with HRSYNC_HOST_HAS() before calling them.
**
** Memory: whoever allocates frees
** -------------------------------
**   - Strings the host lends (settings, secrets, responses, wanted field
**     ids) are valid until the current callback returns; a response only
**     until the next http() call.
**   - Strings the plugin passes to the host (records, fields, errors, log
**     lines) are borrowed for the call: the host copies what it keeps.
**   - hrsync_conn is allocated and freed by the plugin (open/close).
**   - No pointer ever needs the other side's free(). host->alloc/free
**     exist for plugins that want the host's accounting; pairs must match.
**
** Threads
** -------
**   Callbacks on one hrsync_conn never overlap and come from one thread.
**   Host services may only be called from inside a callback, on that
**   thread. A plugin keeps no mutable global state, starts no threads that
**   call the host, and has no constructors (__attribute__((constructor))).
**
** Errors
** ------
**   Every callback returns an hrsync_status. Before returning non-OK it
**   may call host->set_error once with a one-line detail that names what
**   went wrong (HTTP status, field, page) and never contains a secret. If
**   a host service returns non-OK, the plugin stops and returns that
**   status. A plugin never prints to stdout or stderr: use host->log.
**
** Secrets
** -------
**   Secrets are read only through host->secret. The host redacts every
**   secret value, every Authorization header and every value passed to
**   host->mark_secret (tokens obtained at run time) in all output.
*/
#ifndef HRSYNC_CONNECTOR_H
#define HRSYNC_CONNECTOR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef HRSYNC_ABI_MAJOR
#define HRSYNC_ABI_MAJOR 1 /* different major = incompatible, refused */
#endif
/* Minor versions: 1.0 the first; 1.1 added HRSYNC_FIELD_SKIP_REASON;
** 1.2 added host->field_withheld and host->roster_total; 1.3 added
** host->changed_since and host->changed_only (incremental fetch); 1.4
** added host->http_stream, host->http_many and host->rate_limit. */
#define HRSYNC_ABI_MINOR 4 /* bumped when something is added */

#if defined(_WIN32)
#define HRSYNC_EXPORT __declspec(dllexport)
#else
#define HRSYNC_EXPORT __attribute__((visibility("default")))
#endif

/* Result of every callback and of every host service. */
typedef enum hrsync_status {
  HRSYNC_OK = 0,
  HRSYNC_E_CONFIG = 1,   /* a setting or secret is missing or malformed */
  HRSYNC_E_AUTH = 2,     /* the HR system refused the credentials */
  HRSYNC_E_HTTP = 3,     /* transport failure or unexpected HTTP status,
                            after the host's retries */
  HRSYNC_E_PARSE = 4,    /* a body is not what the HR system documents */
  HRSYNC_E_NOMEM = 5,    /* out of memory */
  HRSYNC_E_ABORTED = 6,  /* the host asked to stop; return it unchanged */
  HRSYNC_E_INTERNAL = 7, /* a bug: an invariant of the plugin broke */
  HRSYNC_STATUS_FORCE32_ = 0x7fffffff /* keeps the enum 32 bits wide */
} hrsync_status;

/* Log levels for host->log. */
#define HRSYNC_LOG_ERROR 0u
#define HRSYNC_LOG_WARN  1u /* shown to the user by default */
#define HRSYNC_LOG_INFO  2u /* shown with -v */
#define HRSYNC_LOG_DEBUG 3u /* shown with -v -v */

/* Opaque per-connection handles. The host owns hrsync_host_ctx; the plugin
** defines and owns struct hrsync_conn. */
typedef struct hrsync_host_ctx hrsync_host_ctx;
typedef struct hrsync_conn hrsync_conn;

/* A name/value pair: HTTP headers, suggested mappings. */
typedef struct hrsync_kv {
  const char *name;
  const char *value;
} hrsync_kv;

/* ---------------------------------------------------------------------
** HTTP, performed by the host on the plugin's behalf
** ------------------------------------------------------------------- */

/* Flags of hrsync_http_request.flags. */
#define HRSYNC_HTTP_SENSITIVE_BODY                                            \
  0x1u /* the request body holds secrets                                      \
          (a token request): never log it */

typedef struct hrsync_http_request {
  uint32_t struct_size; /* sizeof(hrsync_http_request) */
  uint32_t flags;       /* HRSYNC_HTTP_* */
  const char *method;   /* "GET", "POST", ... */
  const char *url;      /* absolute, already encoded; the plugin builds it
                           from its base_url setting (hrsync_url_escape) */
  /* Request headers, sent exactly as given. The host adds none but
  ** User-Agent and, when the plugin set none, "Accept: application/json".
  ** Any Authorization value is redacted in logs. */
  const hrsync_kv *headers;
  size_t n_headers;
  const char *body; /* NULL for none; need not be NUL-terminated */
  size_t body_len;
  /* Pre-emptive HTTP Basic authentication, sent on the first request
  ** (never waits for a challenge). NULL user = none. Both are redacted. */
  const char *basic_user;
  const char *basic_password;
} hrsync_http_request;

/* Size of the 1.0 request: a host accepts any request at least this big
** and reads members appended later only when struct_size covers them.
** Frozen. (Since 1.1.) */
#define HRSYNC_HTTP_REQUEST_V1_0_SIZE                                         \
  (offsetof(hrsync_http_request, basic_password) + sizeof(const char *))

/* Owned by the host. Valid until the next http() call on the same
** connection, or until the current callback returns. */
typedef struct hrsync_http_response {
  uint32_t struct_size;
  uint32_t status;          /* final HTTP status, e.g. 200, 401 */
  const hrsync_kv *headers; /* names as sent by the server */
  size_t n_headers;
  const char *body; /* always NUL-terminated (body[body_len] == 0) */
  size_t body_len;
} hrsync_http_response;

/* ---------------------------------------------------------------------
** Field schema
** ------------------------------------------------------------------- */

typedef enum hrsync_field_type {
  HRSYNC_FIELD_TEXT = 0,
  HRSYNC_FIELD_DATE = 1, /* the engine normalises values to YYYY-MM-DD */
  HRSYNC_FIELD_EMAIL = 2,
  HRSYNC_FIELD_NUMBER = 3,
  HRSYNC_FIELD_LIST = 4, /* one value out of a list; send the display text */
  HRSYNC_FIELD_BOOL = 5  /* "true" / "false" */
} hrsync_field_type;

#define HRSYNC_FIELD_DEPRECATED 0x1u /* the HR system marks it deprecated */

/* A reserved record field: a record that carries it is not synced, and
** the plan shows it as skipped with this text as the reason. For rules
** every user of an HR system expects (BambooHR syncs only employees with a
** hire date). Field ids starting "hrsync." are reserved for the SDK.
** Since 1.1: a 1.0 host (host->abi_minor 0) syncs such a record. */
#define HRSYNC_FIELD_SKIP_REASON "hrsync.skip_reason"

typedef struct hrsync_field_def {
  uint32_t struct_size; /* sizeof(hrsync_field_def) */
  uint32_t type;        /* an hrsync_field_type */
  uint32_t flags;       /* HRSYNC_FIELD_* */
  const char *id;       /* the id records use, e.g. "workEmail" */
  const char *label;    /* for people, e.g. "Work email"; may be NULL */
} hrsync_field_def;

/* ---------------------------------------------------------------------
** Settings the connector needs (a static array ended by {NULL})
** ------------------------------------------------------------------- */

#define HRSYNC_SETTING_REQUIRED 0x1u /* refuse to open without it */
#define HRSYNC_SETTING_SECRET                                                 \
  0x2u /* lives in "secrets", read with                                       \
          host->secret, never shown */

typedef struct hrsync_setting_def {
  const char *key;           /* e.g. "subdomain" */
  const char *label;         /* one line for `hrsync init`, e.g. "..." */
  const char *default_value; /* NULL = none; host->setting returns it */
  uint32_t flags;            /* HRSYNC_SETTING_* */
} hrsync_setting_def;

/* ---------------------------------------------------------------------
** Host services (host -> plugin). One table for every connection; the
** hrsync_host_ctx argument says which connection a call is for.
** ------------------------------------------------------------------- */

typedef struct hrsync_host {
  uint32_t abi_major; /* as the host was built */
  uint32_t abi_minor;
  uint32_t struct_size; /* sizeof(hrsync_host) in the host */

  /* One line of diagnostics (no trailing newline). The host prefixes the
  ** connector name and redacts secrets. level: HRSYNC_LOG_*. */
  void (*log)(hrsync_host_ctx *ctx, uint32_t level, const char *msg);

  /* Detail for the error the current callback is about to return. The
  ** host copies it; the last call wins. */
  void (*set_error)(hrsync_host_ctx *ctx, const char *msg);

  /* A non-secret setting from the config, or its declared default, or
  ** NULL. Borrowed until the callback returns. */
  const char *(*setting)(hrsync_host_ctx *ctx, const char *key);

  /* A secret (resolved from env:, file: or a literal), or NULL. Borrowed
  ** until the callback returns. Never log it, never put it in an error. */
  const char *(*secret)(hrsync_host_ctx *ctx, const char *key);

  /* Adds a value obtained at run time (an access token) to the strings
  ** the host redacts. The host copies it. */
  void (*mark_secret)(hrsync_host_ctx *ctx, const char *value);

  /* Performs a request. The host reuses one connection (keep-alive),
  ** applies timeouts, verifies TLS, and retries 429, 502, 503, 504 and
  ** connection failures with backoff, honouring Retry-After. Returns
  ** HRSYNC_OK with the final response whatever its status (the plugin
  ** decides what a 401 or 404 means), or HRSYNC_E_HTTP when no response
  ** could be had (the host has set the error detail), or
  ** HRSYNC_E_ABORTED. *out is valid until the next http() call. */
  hrsync_status (*http)(hrsync_host_ctx *ctx, const hrsync_http_request *req,
                        const hrsync_http_response **out);

  /* The i-th HR field id the engine needs (from the mapping, conditions
  ** and group rules), or NULL past the last. Connectors whose API lets
  ** them choose fields ask for exactly these (plus their own id field).
  ** Borrowed until the callback returns. */
  const char *(*wanted_field)(hrsync_host_ctx *ctx, size_t i);

  /* Schema: one call per field, from list_fields. The host copies. */
  hrsync_status (*field)(hrsync_host_ctx *ctx, const hrsync_field_def *def);

  /* Records, from next_page: record_begin, then record_set once per field
  ** the HR system returned for that person, then record_end. value NULL
  ** means the field was sent empty or null. hris_id is the HR system's
  ** immutable identifier of the person, never NULL or empty. The host
  ** copies everything. A field absent from the response is simply not
  ** set (the host tells "withheld" from "empty" that way). */
  hrsync_status (*record_begin)(hrsync_host_ctx *ctx, const char *hris_id);
  hrsync_status (*record_set)(hrsync_host_ctx *ctx, const char *field_id,
                              const char *value);
  hrsync_status (*record_end)(hrsync_host_ctx *ctx);

  /* The host's allocator, optional to use; pairs must match. */
  void *(*alloc)(size_t size);
  void *(*realloc)(void *ptr, size_t size);
  void (*free)(void *ptr);

  /* 1.1 and later: members are appended here only. */

  /* Since 1.2 (test with HRSYNC_HOST_HAS before calling).
  **
  ** Says the HR system withholds field_id from this key for the whole
  ** run, when the connector can tell (BambooHR's report leaves it out of
  ** its "fields" list, Personio's attribute whitelist lacks it, a Lucca
  ** projection dropped it). The engine then treats the field as unknown,
  ** never as empty: a "sync if" condition or group rule on it refuses the
  ** sync instead of opening the gate. why: one line for people naming
  ** what to grant, e.g. "not in the API user's field permissions"; may be
  ** NULL. Call it from authenticate, list_fields or next_page, at most
  ** once per field; the host copies both strings. */
  void (*field_withheld)(hrsync_host_ctx *ctx, const char *field_id,
                         const char *why);

  /* Since 1.2. The number of records the whole fetch will emit, when the
  ** HR system says so (a "total" in the first page); for progress and
  ** for bounded concurrent paging. Call it from next_page, once or
  ** whenever the HR system revises it. */
  void (*roster_total)(hrsync_host_ctx *ctx, uint64_t total);

  /* Since 1.3: incremental fetch, optional on both sides.
  **
  ** changed_since: NULL for a full fetch (every person), or the UTC
  ** instant "YYYY-MM-DDTHH:MM:SSZ" of the last good sync's fetch, when
  ** the engine would like only the people created or changed since then
  ** (Personio updated_since, Lucca modifiedAt, BambooHR
  ** /v1/employees/changed). Borrowed until the callback returns. A
  ** connector may always ignore it and fetch everyone: that is correct,
  ** only slower.
  **
  ** changed_only: the connector honoured changed_since, so the records of
  ** this fetch are only the changed people and a person it does not emit
  ** is unchanged, not gone. Call it once, from next_page, before the
  ** last page returns. The engine runs a full fetch every so often (the
  ** config's policy.full_sync_days) to notice removals. */
  const char *(*changed_since)(hrsync_host_ctx *ctx);
  void (*changed_only)(hrsync_host_ctx *ctx);

  /* Since 1.4: bounded memory and bounded time on big rosters, optional
  ** on both sides (test each with HRSYNC_HOST_HAS; without them use
  ** http()).
  **
  ** http_stream: http(), but a 2xx body is never held whole: the host
  ** hands it to chunk as it arrives (any split, in order; chunk returns
  ** non-OK to stop the transfer, and that status is returned). Retries
  ** happen as for http() before the first chunk; a transfer broken after
  ** it is asked again and resumed only when the new answer begins with
  ** the very bytes already handed over (the host keeps a digest of them,
  ** not the bytes): chunk then sees only the rest, else the call is
  ** HRSYNC_E_HTTP. A non-2xx answer is held (up to 64 KiB) and returned
  ** in *out as http() does; for a 2xx one, *out has the status and
  ** headers, body "" and body_len the bytes streamed. The response-size
  ** limit does not apply: memory stays the plugin's own (one element of
  ** the answer, say, not the answer). chunk may call the record, log and
  ** error services, but no http*() (the connection is busy). */
  hrsync_status (*http_stream)(
      hrsync_host_ctx *ctx, const hrsync_http_request *req,
      hrsync_status (*chunk)(void *arg, const char *data, size_t len),
      void *arg, const hrsync_http_response **out);

  /* http_many: n independent requests (pages whose addresses the plugin
  ** knows from a total), performed concurrently where the host can,
  ** bounded by its own limit and paced to the rate limit; each retried as
  ** http() retries. out[i] is reqs[i]'s final response, every one valid
  ** until the next http*() call or the callback's return. HRSYNC_E_HTTP
  ** when any request got no response at all (the error names which). */
  hrsync_status (*http_many)(hrsync_host_ctx *ctx,
                             const hrsync_http_request *const *reqs, size_t n,
                             const hrsync_http_response **out);

  /* rate_limit: the HR system's documented limit for this connection,
  ** "requests per seconds" (Personio 300 per 60 on employees; Lucca 50
  ** per 60), so the host paces requests and gets no 429 at all, and
  ** never caps a Retry-After below that window. Call it from open or
  ** authenticate, again if a header revises it; 0 requests = no limit. */
  void (*rate_limit)(hrsync_host_ctx *ctx, uint32_t requests,
                     uint32_t seconds);
} hrsync_host;

/* True when the host table has service m (present and non-NULL). */
#define HRSYNC_HOST_HAS(h, m)                                                 \
  ((h)->struct_size >= offsetof(hrsync_host, m) + sizeof((h)->m) &&           \
   (h)->m != NULL)

/* ---------------------------------------------------------------------
** The connector descriptor (plugin -> host). A static const object.
** ------------------------------------------------------------------- */

typedef struct hrsync_connector {
  uint32_t abi_major; /* HRSYNC_ABI_MAJOR as the plugin was built */
  uint32_t abi_minor;
  uint32_t struct_size; /* sizeof(hrsync_connector) in the plugin */
  uint32_t flags;       /* reserved, 0 */

  const char *name;         /* [a-z0-9_]+, equal to <name> in the file
                               name hrsync-<name>.so */
  const char *display_name; /* e.g. "BambooHR" */
  const char *version;      /* the connector's own version, e.g. "1.2.0" */

  /* Settings and secrets it reads, ended by an entry whose key is NULL.
  ** Every connector declares "base_url" so it can be pointed anywhere. */
  const hrsync_setting_def *settings;

  /* Starts a connection: reads settings and secrets, allocates the
  ** plugin's state, makes no request. Returns HRSYNC_E_CONFIG (with
  ** set_error) for a missing or malformed setting. On failure *out must be
  ** NULL or something close() accepts. host and ctx stay valid until
  ** close() returns; keep them in the connection. */
  hrsync_status (*open)(const hrsync_host *host, hrsync_host_ctx *ctx,
                        hrsync_conn **out);

  /* Frees everything open() and later calls made. NULL-safe. */
  void (*close)(hrsync_conn *conn);

  /* Proves the credentials work with one cheap request (obtaining a token
  ** where the HR system needs one). HRSYNC_E_AUTH when they are refused. */
  hrsync_status (*authenticate)(hrsync_conn *conn);

  /* Describes the fields records can carry: host->field once per field. */
  hrsync_status (*list_fields)(hrsync_conn *conn);

  /* Emits the next page of records (zero or more) and sets *has_more to 0
  ** after the last page. The plugin keeps its paging state in conn; the
  ** first call fetches the first page. An HR system without paging sends
  ** everything in the first call. A record's hris_id never repeats. */
  hrsync_status (*next_page)(hrsync_conn *conn, int *has_more);

  /* Suggested mapping for `hrsync init`: stakeholder field (name) ->
  ** HR field id (value), ended by {NULL, NULL}. May be NULL. Stakeholder
  ** fields: hris_id identifier first_name last_name email phone
  ** address_line1 address_line2 city postal_code region country
  ** birth_date nationality start_date termination_date. */
  const hrsync_kv *suggested_mapping;

  /* 1.1 and later: members are appended here only. */
} hrsync_connector;

/* Size of the 1.0 descriptor: the host refuses anything smaller. Frozen. */
#define HRSYNC_CONNECTOR_V1_0_SIZE                                            \
  (offsetof(hrsync_connector, suggested_mapping) + sizeof(const void *))

/* First members of a descriptor: { HRSYNC_CONNECTOR_V1, .name = ... } */
#define HRSYNC_CONNECTOR_V1                                                   \
  .abi_major = HRSYNC_ABI_MAJOR, .abi_minor = HRSYNC_ABI_MINOR,               \
  .struct_size = sizeof(hrsync_connector), .flags = 0

/* The exported entry. Returns the descriptor, or NULL to refuse a host
** whose ABI it cannot work with. Callable any number of times. */
typedef const hrsync_connector *(*hrsync_connector_entry_fn)(
    uint32_t host_abi_major, uint32_t host_abi_minor);
#define HRSYNC_ENTRY_SYMBOL "hrsync_connector_entry"

/* ---------------------------------------------------------------------
** Conveniences compiled into the plugin (not part of the ABI)
** ------------------------------------------------------------------- */

/* Case-insensitive lookup of a response header; NULL when absent. */
static inline const char *
hrsync_response_header(const hrsync_http_response *resp, const char *name)
{
  size_t i;
  for(i = 0; i < resp->n_headers; i++) {
    const char *a = resp->headers[i].name, *b = name;
    while(*a && *b) {
      char ca = *a, cb = *b;
      if(ca >= 'A' && ca <= 'Z')
        ca = (char)(ca - 'A' + 'a');
      if(cb >= 'A' && cb <= 'Z')
        cb = (char)(cb - 'A' + 'a');
      if(ca != cb)
        break;
      a++;
      b++;
    }
    if(!*a && !*b)
      return resp->headers[i].value;
  }
  return NULL;
}

/* Percent-encodes src (RFC 3986 unreserved characters kept) into dst of
** size cap. Returns the length written, or (size_t)-1 if it did not fit. */
static inline size_t hrsync_url_escape(char *dst, size_t cap, const char *src)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = 0;
  for(; *src; src++) {
    unsigned char c = (unsigned char)*src;
    int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
               c == '~';
    if(n + (keep ? 1 : 3) >= cap)
      return (size_t)-1;
    if(keep) {
      dst[n++] = (char)c;
    }
    else {
      dst[n++] = '%';
      dst[n++] = hex[c >> 4];
      dst[n++] = hex[c & 15];
    }
  }
  dst[n] = 0;
  return n;
}

/* printf-style host->log; the line is cut at 1 KiB. */
static inline void hrsync_logf(const hrsync_host *h, hrsync_host_ctx *c,
                               uint32_t level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static inline void hrsync_logf(const hrsync_host *h, hrsync_host_ctx *c,
                               uint32_t level, const char *fmt, ...)
{
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  h->log(c, level, line);
}

/* printf-style host->set_error; returns status so a callback can end with
** `return hrsync_errorf(host, ctx, HRSYNC_E_PARSE, "page %d: ...", n);` */
static inline hrsync_status
hrsync_errorf(const hrsync_host *h, hrsync_host_ctx *c, hrsync_status status,
              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static inline hrsync_status hrsync_errorf(const hrsync_host *h,
                                          hrsync_host_ctx *c,
                                          hrsync_status status,
                                          const char *fmt, ...)
{
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  h->set_error(c, line);
  return status;
}

#ifdef __cplusplus
}
#endif
#endif /* HRSYNC_CONNECTOR_H */
