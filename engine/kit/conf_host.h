/*
** hs_ch: the conformance kit's checking host (internal to the kit).
**
** Its own hrsync_host table, independent of engine/host.c: any host can
** drive a connector through the SDK alone, and this one watches while it
** does. HTTP answers come from a fixture folder (replay), optionally with
** one injected fault, or from a live server through hs_http (record mode,
** which keeps every exchange). Every service checks the plugin keeps the
** contract of connector.h (calls only inside callbacks, record_begin/
** set/end in order, hris ids, field definitions, no secret in a log line
** or an error) and notes the first breach instead of printing it.
*/
#ifndef HS_CONF_HOST_H
#define HS_CONF_HOST_H

#include "fixture.h"
#include "http.h"
#include "log.h"

#include <hrsync/connector.h>

/* The callback the kit is in; faults aim at one. */
typedef enum hs_ch_phase {
  HS_PH_NONE = 0,
  HS_PH_OPEN,
  HS_PH_AUTH,
  HS_PH_FIELDS,
  HS_PH_PAGE,
  HS_PH_CLOSE
} hs_ch_phase;

typedef enum hs_ch_fault {
  HS_FAULT_NONE = 0,
  HS_FAULT_STATUS,       /* status instead of the fixture, from then on */
  HS_FAULT_RETRY_429,    /* 429 + Retry-After first; the host retries */
  HS_FAULT_EXHAUST_429,  /* 429 after every retry: the plugin sees it */
  HS_FAULT_TRUNCATE,     /* the fixture's body cut in half */
  HS_FAULT_MALFORMED,    /* a body that is not JSON */
  HS_FAULT_EMPTY_PAGE,   /* the body's largest array emptied */
  HS_FAULT_TRANSPORT,    /* http() fails (no response), from then on */
  HS_FAULT_ABORT_RECORD, /* record_begin returns HRSYNC_E_ABORTED */
  HS_FAULT_ABORT_FIELD,  /* field returns HRSYNC_E_ABORTED */
  HS_FAULT_NO_REQUIRED   /* required settings and secrets are absent */
} hs_ch_fault;

/* Simulated retries per request, as the engine's default. */
#define HS_CH_MAX_RETRIES 5

struct hrsync_host_ctx {
  const hrsync_connector *desc;
  hs_log *log;        /* may be NULL; plugin log lines go here */
  hs_fixture_set *fx; /* replay: the answers */
  hs_http *http;      /* record: the live transport */
  const char *base_url;
  const hrsync_kv *settings; /* borrowed */
  size_t n_settings;
  const hrsync_kv *secrets; /* borrowed, resolved values */
  size_t n_secrets;
  char *const *wanted; /* borrowed */
  size_t n_wanted;

  hs_ch_fault fault;
  hs_ch_phase fault_phase; /* the first request of this callback (of the
                              first next_page for HS_PH_PAGE) */
  unsigned fault_status;
  int fault_fired;
  char fault_note[256]; /* why a fault could not be injected */

  hs_ch_phase phase;
  int in_callback;
  unsigned page_calls;     /* next_page calls so far */
  unsigned phase_requests; /* http() calls in the current callback */
  unsigned requests, retries;
  unsigned long retry_wait_s; /* Retry-After seconds honoured (simulated) */

  char error[1024]; /* last set_error of the current callback */
  int error_set;
  char violation[512]; /* first breach of the contract; "" = none */
  char unmatched[512]; /* first request without a fixture */
  char leak[512];      /* first secret seen in a log line or error */
  unsigned log_lines;
  int hold_log; /* keep log lines in held until hs_ch_release_log */
  hs_buf held;  /* "<level><line>\n" each */

  char **marked; /* mark_secret values, owned */
  size_t n_marked;

  char **field_ids; /* schema, owned */
  uint32_t *field_types;
  size_t n_fields;
  char field_problem[512]; /* first bad field definition */

  int in_record;
  char **ids; /* hris ids emitted, owned */
  size_t n_ids, cap_ids;
  char unknown_field[256]; /* first record field not in the schema */
  char bad_value[512];     /* first value its field's type refuses */

  char **lent; /* settings, secrets, wanted ids of this callback, owned */
  size_t n_lent;

  hrsync_http_response resp; /* the last answer given to the plugin */
  char *resp_body;           /* owned copy, for transformed bodies */
  hrsync_kv synth_header;    /* for injected answers */
  hs_http_copies many;       /* http_many's answers (copies), owned */

  hs_fixture_exchange *rec; /* record mode: the exchanges, owned */
  size_t n_rec;
  char rec_error[512]; /* why a live exchange could not be kept */

  int in_stream; /* SDK 1.4 http_stream is handing over chunks */
};

/* http_stream hands a 2xx body over in chunks this big: small and odd, so
** a connector's stream parser meets tokens split across chunks. */
#define HS_CH_STREAM_CHUNK 61

/* How a run of the callbacks ended. */
typedef struct hs_ch_outcome {
  hs_ch_phase failed_at; /* HS_PH_NONE: every callback returned OK */
  hrsync_status st;
  char detail[1024]; /* the failing callback's set_error, or "" */
  int detail_set;
  unsigned pages;
  int terminated; /* has_more reached 0 within max_pages */
} hs_ch_outcome;

/* Drives the callbacks as the engine does: open -> authenticate ->
** list_fields -> next_page (at most max_pages times) -> close, stopping at
** the first failure; close runs once after a successful open, and on
** whatever a failed open left. */
void hs_ch_run(hrsync_host_ctx *ctx, unsigned max_pages, hs_ch_outcome *o);

/* "next_page", "HRSYNC_E_AUTH": names for verdicts and errors. */
const char *hs_ch_phase_name(hs_ch_phase p);
const char *hs_ch_status_name(hrsync_status st);

/* The host table (same for every context). */
const hrsync_host *hs_ch_table(void);

/* Clears *ctx for a run; the caller then sets the inputs above. */
void hs_ch_init(hrsync_host_ctx *ctx);

/* Frees what the context owns (not its borrowed inputs). */
void hs_ch_free(hrsync_host_ctx *ctx);

/* Marks the start and end of a callback: resets the per-call state. */
void hs_ch_enter(hrsync_host_ctx *ctx, hs_ch_phase phase);
void hs_ch_leave(hrsync_host_ctx *ctx);

/* Sends the held log lines to ctx->log and forgets them. */
void hs_ch_release_log(hrsync_host_ctx *ctx);

/* Sorts the emitted ids; returns the first duplicate or NULL. */
const char *hs_ch_duplicate_id(hrsync_host_ctx *ctx);

/* FNV-1a over the sorted ids: equal runs give equal digests. Call after
** hs_ch_duplicate_id. */
unsigned long long hs_ch_ids_digest(const hrsync_host_ctx *ctx);

#endif
