/*
** A fake hrsync host for connector unit tests.
**
** A test dlopen()s the real plugin (fh_load), makes a fake host with the
** settings, secrets and wanted fields a config would give, queues canned
** HTTP answers (or installs a responder callback), drives the plugin's
** callbacks, then inspects what the plugin did: every request it sent,
** the records, fields, log lines and error detail it produced, and the
** values it marked secret.
**
** The fake host also polices the SDK contract, so a test fails on a
** plugin bug even when it does not look for it: record_set outside a
** record, an empty or repeated hris_id, a request with no canned answer,
** a NULL or malformed request. Each counts as a violation (fh_violations)
** with a description (fh_violation_at).
**
** A response is freed at the next http() call, as the real host may, so
** AddressSanitizer catches a plugin that keeps one too long.
**
** Everything the fake host returns is owned by it and lives until
** fh_free(), unless said otherwise.
*/
#ifndef HRSYNC_TESTS_FAKEHOST_H
#define HRSYNC_TESTS_FAKEHOST_H

#include <hrsync/connector.h>

#include <stddef.h>
#include <stdint.h>

/* The fake host; one per test. It is also the plugin's hrsync_host_ctx. */
typedef struct hrsync_host_ctx fh_host;

/* A request the plugin sent, deep-copied. */
typedef struct fh_request {
  char *method;
  char *url;
  hrsync_kv *headers; /* as given by the plugin, in order */
  size_t n_headers;
  char *body; /* NUL-terminated copy; NULL when the plugin sent none */
  size_t body_len;
  uint32_t flags;       /* HRSYNC_HTTP_* */
  char *basic_user;     /* NULL when no Basic credentials were given */
  char *basic_password; /* NULL when no Basic credentials were given */
} fh_request;

/* What a responder answers. Strings are copied by the fake host. */
typedef struct fh_reply {
  unsigned status;
  const char *headers; /* "Name: value" lines separated by '\n'; may be NULL */
  const char *body;    /* may be NULL (empty body) */
  size_t body_len;     /* 0: strlen(body) */
  int transport_error; /* non-zero: http() fails with HRSYNC_E_HTTP */
} fh_reply;

/* Called for a request when the queue is empty. Fill *out and return 0,
** or return non-zero to refuse (a violation). n is the request's index. */
typedef int (*fh_responder_fn)(void *arg, size_t n, const fh_request *req,
                               fh_reply *out);

/* A record the plugin emitted. */
typedef struct fh_record {
  char *hris_id;
  hrsync_kv *fields; /* value NULL = sent empty */
  size_t n_fields;
} fh_record;

/* A field the plugin described (strings copied). */
typedef struct fh_field {
  uint32_t type;
  uint32_t flags;
  char *id;
  char *label; /* may be NULL */
} fh_field;

/* ---- setup -------------------------------------------------------- */

/* A new fake host with nothing set. Aborts on out of memory. Free it
** with fh_free. */
fh_host *fh_new(void);

/* Frees the fake host and everything it returned. NULL-safe. */
void fh_free(fh_host *fh);

/* Sets a setting / secret (copied; a later call for the same key wins;
** value NULL unsets it). Settings not set fall back to the defaults the
** descriptor declares once fh_open has seen it. */
void fh_setting(fh_host *fh, const char *key, const char *value);
void fh_secret(fh_host *fh, const char *key, const char *value);

/* Appends a wanted field id (copied), as host->wanted_field returns. */
void fh_want(fh_host *fh, const char *field_id);

/* Queues a canned answer for the next request that finds the queue
** non-empty (FIFO). headers as in fh_reply. */
void fh_queue(fh_host *fh, unsigned status, const char *headers,
              const char *body);

/* Queues an answer whose body has an explicit length (may hold NULs). */
void fh_queue_n(fh_host *fh, unsigned status, const char *headers,
                const char *body, size_t body_len);

/* Queues a transport failure: http() returns HRSYNC_E_HTTP. */
void fh_queue_transport_error(fh_host *fh);

/* Installs a responder used when the queue is empty. */
void fh_set_responder(fh_host *fh, fh_responder_fn fn, void *arg);

/* Makes host->http return HRSYNC_E_ABORTED from request n on (0-based). */
void fh_abort_at(fh_host *fh, size_t n);

/* SDK 1.4 http_stream: the fake host offers it by default and hands a
** 2xx body over in chunks of n bytes (default 7; 0 = the whole body in
** one); fh_no_stream makes it an older host without it. The body of the
** first chunk starting at or past bytes fails the transfer
** (HRSYNC_E_HTTP), a connection reset mid-body. fh_n_streams: calls. */
void fh_stream_chunk(fh_host *fh, size_t n);
void fh_no_stream(fh_host *fh);
void fh_stream_break_after(fh_host *fh, size_t bytes);
size_t fh_n_streams(const fh_host *fh);

/* The service table to hand to a plugin, and its context (fh itself). */
const hrsync_host *fh_table(fh_host *fh);

/* ---- driving a plugin -------------------------------------------- */

/* dlopen()s path (RTLD_NOW | RTLD_LOCAL, never closed) and returns the
** descriptor its entry returns for this SDK's ABI, or NULL with a reason
** in fh_load_error(). */
const hrsync_connector *fh_load(const char *path);
const char *fh_load_error(void);

/* Remembers desc (for setting defaults) and calls desc->open. */
hrsync_status fh_open(fh_host *fh, const hrsync_connector *desc,
                      hrsync_conn **out);

/* Calls next_page until has_more is 0, an error, or max_pages calls
** (a violation: the plugin would loop). *pages (may be NULL) gets the
** number of calls made. */
hrsync_status fh_fetch_all(fh_host *fh, const hrsync_connector *desc,
                           hrsync_conn *conn, size_t max_pages, size_t *pages);

/* ---- what the plugin did ----------------------------------------- */

size_t fh_n_requests(const fh_host *fh);
const fh_request *fh_request_at(const fh_host *fh, size_t i);

/* A request header's value (case-insensitive name), or NULL. If the
** plugin sent it twice, the first. */
const char *fh_request_header(const fh_request *req, const char *name);

/* How many times req carries header name (case-insensitive). */
size_t fh_request_header_count(const fh_request *req, const char *name);

size_t fh_n_records(const fh_host *fh);
const fh_record *fh_record_at(const fh_host *fh, size_t i);

/* The record with this hris_id, or NULL. */
const fh_record *fh_record_find(const fh_host *fh, const char *hris_id);

/* The value of field id in rec; *present (may be NULL) says whether the
** plugin set it at all. */
const char *fh_record_get(const fh_record *rec, const char *id, int *present);

size_t fh_n_fields(const fh_host *fh);
const fh_field *fh_field_at(const fh_host *fh, size_t i);
const fh_field *fh_field_find(const fh_host *fh, const char *id);

/* Log lines, in order, with their HRSYNC_LOG_* level. */
size_t fh_n_logs(const fh_host *fh);
const char *fh_log_at(const fh_host *fh, size_t i, uint32_t *level);

/* How many log lines at level contain needle. */
size_t fh_log_count(const fh_host *fh, uint32_t level, const char *needle);

/* The last set_error detail, or NULL; how many times set_error ran. */
const char *fh_error(const fh_host *fh);
size_t fh_n_errors(const fh_host *fh);

/* Values passed to mark_secret. */
size_t fh_n_marked(const fh_host *fh);
const char *fh_marked_at(const fh_host *fh, size_t i);
int fh_is_marked(const fh_host *fh, const char *value);

/* SDK 1.2: the reason given to field_withheld for field_id ("" for
** none), or NULL when the plugin never called it for that field; how
** many fields it called it for; the last roster_total (-1: never). Not
** forgotten by fh_clear. */
const char *fh_withheld(const fh_host *fh, const char *field_id);
size_t fh_n_withheld(const fh_host *fh);
long long fh_total(const fh_host *fh);

/* SDK 1.3: the watermark changed_since answers (NULL: none, the
** default; copied), and how many times the plugin called changed_only. */
void fh_set_changed_since(fh_host *fh, const char *since);
int fh_changed_only(const fh_host *fh);

/* Contract violations seen (see the top of this file). */
size_t fh_violations(const fh_host *fh);
const char *fh_violation_at(const fh_host *fh, size_t i);

/* Forgets recorded requests, records, fields, logs, errors and
** violations (not settings, secrets, queue or marked secrets). */
void fh_clear(fh_host *fh);

#endif
