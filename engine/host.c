/*
** hs_conn: the host side of the SDK.
**
** One static const hrsync_host serves every connection; the
** hrsync_host_ctx a plugin passes back says which. The ctx is embedded in
** the hs_conn, so a service gets from ctx to its connection without a
** lookup.
**
** Records are assembled in one arena (hs_buf) and one field array, both
** reset, not freed, between records: in steady state a sync allocates
** nothing per record. Field ids are interned (intern.h): the first
** MAX_IDS distinct ids of a connection are checked and copied once, and
** each record's fields carry their key and the one copy, so the engine
** resolves an id once per run. Per key, a generation number says whether
** this record set it already (set twice: the last value wins); bumping
** the generation resets that without clearing anything. Ids past the
** bound go into the arena and a per-record table instead. Values are kept
** as arena offsets while a record is being built (the arena may move as
** it grows) and turned into pointers only at record_end.
**
** What the HR system sent is checked against the run's limits (limits.h)
** as it arrives: a value too long, not UTF-8 or carrying a NUL (which
** plugins/common marks as the bytes C0 80) is never stored or cut; the
** record gets the reserved skip reason naming the field instead. Records
** and pages per run are capped, and a page that repeats an earlier one
** (a pagination loop) fails the run.
**
** The plugin's mistakes (a record without an id, record_set outside a
** record) are remembered as a violation and turned into HS_E_PLUGIN when
** the callback returns, whatever status the plugin then returns.
*/
#include "host.h"

#include "buf.h"
#include "intern.h"
#include "term.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A plugin whose cursor never advances would page forever; real APIs
** never send this many empty pages in a row. */
#define MAX_EMPTY_PAGES 1000

/* Distinct field ids interned per connection; far above any HR system's
** field list. */
#define MAX_IDS 4096

typedef struct field_slot {
  unsigned key; /* interned id, or 0: the id is in the arena at id_off */
  size_t id_off;
  size_t value_off;
  int has_value; /* 0: sent empty/null */
} field_slot;

/* What the host keeps per interned id. */
typedef struct key_info {
  unsigned gen;     /* the generation of the record that set it last */
  unsigned slot;    /* its slot in that record */
  size_t wanted;    /* index + 1 among the wanted fields; 0 = not wanted */
  const char *text; /* the interned copy */
  size_t len;
} key_info;

/* A bucket of the field-id table: slot index + 1, valid in generation gen
** only (0 = never used). */
typedef struct id_bucket {
  unsigned gen;
  unsigned slot;
} id_bucket;

/* A page's fingerprint: the FNV-1a hash of its records' ids, in order. */
typedef struct page_mark {
  unsigned long long hash;
  unsigned long page; /* 1-based; 0 = empty bucket */
} page_mark;

struct hrsync_host_ctx {
  hs_conn *conn;
};

struct hs_conn {
  struct hrsync_host_ctx ctx;
  hs_conn_params params;
  const hrsync_connector *desc;
  const char *name;
  hrsync_conn *pconn;

  /* The callback running now, for error details and service checks. */
  const char *callback;
  char detail[1024];   /* the plugin's set_error; "" when none */
  char violation[512]; /* the host's own complaint about the plugin */
  hs_err cb_err;       /* the record/field callback's error */
  int cb_failed;

  /* Sinks of the running list_fields / next_page. */
  hs_field_fn field_fn;
  hs_record_fn record_fn;
  void *sink_arg;

  /* The record being built. */
  int in_record;
  hs_buf arena;
  field_slot *slots;
  size_t nslots, slots_cap;
  hs_record_field *fields;
  size_t fields_cap;
  hs_intern *names; /* the field ids met so far */
  key_info *keys;   /* keys[key], for each interned id */
  size_t keys_cap;
  size_t id_bytes; /* this record's interned ids' bytes (with NULs) */
  unsigned *guess; /* per record_set position: the key set there in the
                      record before (connectors repeat their order) */
  size_t guess_cap, n_sets;
  id_bucket *ids;   /* ids past MAX_IDS -> slot, this record only */
  size_t ids_cap;   /* a power of two, or 0 */
  size_t n_unkeyed; /* this record's slots without a key */
  unsigned gen;
  char skip[320]; /* why this record must be skipped; "" when fine */

  hs_limits limits; /* defaults filled in */
  page_mark *pages; /* fingerprints of the run's pages so far */
  size_t pages_cap, n_pages;
  unsigned long long page_hash;
  unsigned long page_records;

  unsigned char *seen; /* per wanted field: some record had a value */
  size_t unseen;
  int warned;
  hs_fetch_stats stats;

  /* Fields the connector said are withheld (SDK 1.2): "id\0why\0"... */
  hs_buf withheld;
  size_t n_withheld;

  /* The connector's warnings as data (hs_conn_collect_warnings): redacted
  ** lines, NUL-separated, each once. */
  int collect;
  hs_buf warns;
  size_t n_warns;

  hs_http_copies many; /* http_many's answers over a stand-in transport */
  /* SDK 1.4 http_stream: a stream is running (its chunk function may not
  ** start another request), and the answer handed out for an http_fn one. */
  int streaming;
  hrsync_http_response stream_resp;
};

static hs_conn *conn_of(hrsync_host_ctx *ctx)
{
  return ctx->conn;
}

static int has_warning(const hs_conn *c, const char *line)
{
  size_t i;
  for(i = 0; hs_conn_warning_at(c, i); i++)
    if(!strcmp(hs_conn_warning_at(c, i), line))
      return 1;
  return 0;
}

/* Remembers the first rule the plugin broke in this callback. */
static hrsync_status violate(hs_conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static hrsync_status violate(hs_conn *c, const char *fmt, ...)
{
  va_list ap;
  if(!c->violation[0]) {
    va_start(ap, fmt);
    vsnprintf(c->violation, sizeof(c->violation), fmt, ap);
    va_end(ap);
  }
  return HRSYNC_E_INTERNAL;
}

/* ------------------------------------------------------------------ */
/* Services                                                             */

static int arena_put_buf(hs_buf *b, const char *s, size_t *off);

/* Keeps a warning for the plan: redacted now (the plan is printed, saved
** and logged), each text once, at most MAX_WARNINGS of them. */
#define MAX_WARNINGS 100
static void collect_warning(hs_conn *c, const char *msg)
{
  hs_buf line = HS_BUF_INIT;
  size_t off;
  if(c->n_warns < MAX_WARNINGS && !hs_log_redact(c->params.log, msg, &line) &&
     !has_warning(c, hs_buf_str(&line)) &&
     !arena_put_buf(&c->warns, hs_buf_str(&line), &off))
    c->n_warns++;
  hs_buf_free(&line);
}

static void svc_log(hrsync_host_ctx *ctx, uint32_t level, const char *msg)
{
  hs_conn *c = conn_of(ctx);
  if(c->collect && level <= HRSYNC_LOG_WARN) {
    collect_warning(c, msg ? msg : "");
    return;
  }
  hs_log_write(c->params.log, level > HS_LOG_DEBUG ? HS_LOG_DEBUG : (int)level,
               c->name, msg ? msg : "");
}

static void svc_set_error(hrsync_host_ctx *ctx, const char *msg)
{
  hs_conn *c = conn_of(ctx);
  snprintf(c->detail, sizeof(c->detail), "%s", msg ? msg : "");
}

static const hrsync_setting_def *find_def(const hs_conn *c, const char *key)
{
  const hrsync_setting_def *d = c->desc->settings;
  for(; d && d->key; d++)
    if(!strcmp(d->key, key))
      return d;
  return NULL;
}

static const char *find_kv(const hrsync_kv *kv, size_t n, const char *key)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(kv[i].name && !strcmp(kv[i].name, key))
      return kv[i].value;
  return NULL;
}

static const char *svc_setting(hrsync_host_ctx *ctx, const char *key)
{
  hs_conn *c = conn_of(ctx);
  const hrsync_setting_def *d;
  const char *v;
  if(!key)
    return NULL;
  d = find_def(c, key);
  if(d && (d->flags & HRSYNC_SETTING_SECRET))
    return NULL; /* secrets only through secret() */
  v = find_kv(c->params.settings, c->params.n_settings, key);
  if(v && (*v || !d || !d->default_value))
    return v;
  return d ? d->default_value : NULL; /* unset or "" */
}

static const char *svc_secret(hrsync_host_ctx *ctx, const char *key)
{
  hs_conn *c = conn_of(ctx);
  return key ? find_kv(c->params.secrets, c->params.n_secrets, key) : NULL;
}

static void svc_mark_secret(hrsync_host_ctx *ctx, const char *value)
{
  hs_log_add_secret(conn_of(ctx)->params.log, value);
}

static hrsync_status svc_http(hrsync_host_ctx *ctx,
                              const hrsync_http_request *req,
                              const hrsync_http_response **out)
{
  hs_conn *c = conn_of(ctx);
  hs_err e = {HS_OK, ""};
  hs_rc rc;
  if(!out)
    return violate(c, "http() called without a response pointer");
  *out = NULL;
  if(c->streaming)
    return violate(c, "http() called from http_stream's chunk function");
  if(c->params.http_fn)
    rc = c->params.http_fn(c->params.http_arg, req, out, &e);
  else if(c->params.http)
    rc = hs_http_perform(c->params.http, req, out, &e);
  else
    rc = hs_err_set(&e, HS_E_HTTP, "no HTTP transport configured");
  if(rc == HS_E_NOMEM)
    return HRSYNC_E_NOMEM;
  if(rc) {
    /* The detail the plugin will most likely pass on; it may override. */
    svc_set_error(ctx, e.msg);
    return HRSYNC_E_HTTP;
  }
  return HRSYNC_OK;
}

/* SDK 1.4: a batch through hs_http_many; with a stand-in transport (the
** kit's replay), one by one through it, each answer copied so all stay
** valid together. */
static hrsync_status svc_http_many(hrsync_host_ctx *ctx,
                                   const hrsync_http_request *const *reqs,
                                   size_t n, const hrsync_http_response **out)
{
  hs_conn *c = conn_of(ctx);
  hs_err e = {HS_OK, ""};
  hs_rc rc;
  size_t i;
  if(!out || (n && !reqs))
    return violate(c, "http_many() called without requests or responses");
  for(i = 0; i < n; i++)
    out[i] = NULL;
  if(c->params.http_fn)
    return hs_http_one_by_one(&c->many, svc_http, ctx, reqs, n, out);
  if(!c->params.http)
    rc = hs_err_set(&e, HS_E_HTTP, "no HTTP transport configured");
  else
    rc = hs_http_many(c->params.http, reqs, n, out, &e);
  if(rc == HS_E_NOMEM)
    return HRSYNC_E_NOMEM;
  if(rc) {
    svc_set_error(ctx, e.msg);
    return HRSYNC_E_HTTP;
  }
  return HRSYNC_OK;
}

/* SDK 1.4 http_stream: the plugin's chunk function behind the
** transport's, its status kept for the plugin's call to return. */
typedef struct stream_sink {
  hrsync_status (*chunk)(void *arg, const char *data, size_t len);
  void *arg;
  hrsync_status st;
} stream_sink;

static int on_stream_chunk(void *arg, const char *data, size_t len)
{
  stream_sink *s = arg;
  s->st = s->chunk(s->arg, data, len);
  return s->st != HRSYNC_OK;
}

/* An http_fn stand-in holds whole answers: a 2xx one is handed over as
** one chunk, so a plugin reads it the same way. */
static hs_rc stream_held(hs_conn *c, const hrsync_http_request *req,
                         stream_sink *s, const hrsync_http_response **out,
                         hs_err *e)
{
  const hrsync_http_response *r = NULL;
  hs_rc rc = c->params.http_fn(c->params.http_arg, req, &r, e);
  if(rc || r->status < 200 || r->status >= 300) {
    *out = r;
    return rc;
  }
  c->stream_resp = *r;
  c->stream_resp.body = "";
  *out = &c->stream_resp;
  if(r->body_len && on_stream_chunk(s, r->body, r->body_len))
    return hs_err_set(e, HS_E_RUNTIME, "stopped by its reader");
  return HS_OK;
}

static hrsync_status svc_http_stream(
    hrsync_host_ctx *ctx, const hrsync_http_request *req,
    hrsync_status (*chunk)(void *arg, const char *data, size_t len), void *arg,
    const hrsync_http_response **out)
{
  hs_conn *c = conn_of(ctx);
  stream_sink s = {chunk, arg, HRSYNC_OK};
  hs_err e = {HS_OK, ""};
  hs_rc rc;
  if(!out || !chunk)
    return violate(c, "http_stream() called without a response pointer or "
                      "a chunk function");
  *out = NULL;
  if(c->streaming)
    return violate(c, "http_stream() called from its own chunk function");
  c->streaming = 1;
  if(c->params.http_fn)
    rc = stream_held(c, req, &s, out, &e);
  else if(c->params.http)
    rc = hs_http_stream(c->params.http, req, on_stream_chunk, &s, out, &e);
  else
    rc = hs_err_set(&e, HS_E_HTTP, "no HTTP transport configured");
  c->streaming = 0;
  if(s.st != HRSYNC_OK) {
    *out = NULL;
    return s.st; /* the plugin's own, with its own error detail */
  }
  if(rc == HS_E_NOMEM)
    return HRSYNC_E_NOMEM;
  if(rc) {
    *out = NULL;
    svc_set_error(ctx, e.msg);
    return HRSYNC_E_HTTP;
  }
  return HRSYNC_OK;
}

/* SDK 1.4: the connector's documented limit paces its requests. */
static void svc_rate_limit(hrsync_host_ctx *ctx, uint32_t requests,
                           uint32_t seconds)
{
  hs_conn *c = conn_of(ctx);
  if(c->params.http && !c->params.http_fn)
    hs_http_rate_limit(c->params.http, requests, seconds);
}

static const char *svc_wanted_field(hrsync_host_ctx *ctx, size_t i)
{
  hs_conn *c = conn_of(ctx);
  return i < c->params.n_wanted ? c->params.wanted_fields[i] : NULL;
}

static hrsync_status svc_field(hrsync_host_ctx *ctx,
                               const hrsync_field_def *def)
{
  hs_conn *c = conn_of(ctx);
  if(!c->field_fn)
    return violate(c, "field() called outside list_fields");
  if(!def ||
     def->struct_size < offsetof(hrsync_field_def, label) + sizeof(def->label))
    return violate(c, "field() with a malformed hrsync_field_def");
  if(!def->id || !*def->id)
    return violate(c, "field() without an id");
  if(def->type > HRSYNC_FIELD_BOOL)
    return violate(c, "field %s: unknown type %u", def->id,
                   (unsigned)def->type);
  if(c->field_fn(c->sink_arg, def, &c->cb_err)) {
    c->cb_failed = 1;
    return HRSYNC_E_ABORTED;
  }
  return HRSYNC_OK;
}

/* Appends s with its NUL to b; the offset goes to *off. */
static int arena_put_buf(hs_buf *b, const char *s, size_t *off)
{
  *off = b->len;
  return hs_buf_append(b, s, strlen(s) + 1);
}

static int arena_put(hs_conn *c, const char *s, size_t *off)
{
  return arena_put_buf(&c->arena, s, off);
}

static unsigned long long fnv1a(unsigned long long h, const char *s)
{
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (h ^ 0xFF) * 1099511628211ULL; /* a separator: "ab","c" != "a","bc" */
}

#define FNV_BASIS 14695981039346656037ULL

/* Remembers the first reason this record must be skipped. */
static void skip_record(hs_conn *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void skip_record(hs_conn *c, const char *fmt, ...)
{
  va_list ap;
  if(c->skip[0])
    return;
  va_start(ap, fmt);
  vsnprintf(c->skip, sizeof(c->skip), fmt, ap);
  va_end(ap);
}

/* Why text from the HR system cannot be taken as it is, or NULL when it
** can: over max bytes, a NUL (marked C0 80 by plugins/common), not UTF-8.
** knob names the limit in the config, or NULL for a fixed one. */
static const char *bad_text(const char *s, size_t len, size_t max,
                            const char *knob, char *why, size_t cap)
{
  size_t at;
  if(len > max) {
    snprintf(why, cap, "%zu bytes, over the limit of %zu%s%s%s", len, max,
             knob ? " (" : "", knob ? knob : "", knob ? ")" : "");
    return why;
  }
  at = hs_utf8_check(s, len);
  if(at == len)
    return NULL;
  if((unsigned char)s[at] == 0xC0 && (unsigned char)s[at + 1] == 0x80)
    snprintf(why, cap, "contains a NUL character at byte %zu", at);
  else
    snprintf(why, cap, "not valid UTF-8 (byte 0x%02x at offset %zu)",
             (unsigned char)s[at], at);
  return why;
}

/* Grows the table of unkeyed ids to hold at least n at half load;
** rehashes the record's unkeyed slots so far. -1 on no memory. */
static int ids_grow(hs_conn *c, size_t n)
{
  size_t cap = c->ids_cap ? c->ids_cap : 64, i;
  id_bucket *t;
  while(cap < 2 * n)
    cap *= 2;
  if(cap == c->ids_cap)
    return 0;
  if(!(t = calloc(cap, sizeof(*t))))
    return -1;
  free(c->ids);
  c->ids = t;
  c->ids_cap = cap;
  for(i = 0; i < c->nslots; i++) {
    size_t b;
    if(c->slots[i].key)
      continue;
    b = fnv1a(FNV_BASIS, c->arena.data + c->slots[i].id_off) & (cap - 1);
    while(t[b].gen == c->gen)
      b = (b + 1) & (cap - 1);
    t[b].gen = c->gen;
    t[b].slot = (unsigned)i;
  }
  return 0;
}

/* The bucket for an unkeyed id: its slot when set in this record, else
** the empty bucket where it goes. */
static id_bucket *ids_find(hs_conn *c, const char *id)
{
  size_t b = fnv1a(FNV_BASIS, id) & (c->ids_cap - 1);
  while(c->ids[b].gen == c->gen &&
        strcmp(c->arena.data + c->slots[c->ids[b].slot].id_off, id))
    b = (b + 1) & (c->ids_cap - 1);
  return &c->ids[b];
}

static void ids_reset(hs_conn *c)
{
  if(++c->gen == 0) { /* wrapped: every bucket could look current */
    if(c->ids)
      memset(c->ids, 0, c->ids_cap * sizeof(*c->ids));
    for(size_t k = 0; k < c->keys_cap; k++)
      c->keys[k].gen = 0;
    c->gen = 1;
  }
}

static hrsync_status svc_record_begin(hrsync_host_ctx *ctx,
                                      const char *hris_id)
{
  hs_conn *c = conn_of(ctx);
  size_t off, len;
  char why[128];
  if(!c->record_fn)
    return violate(c, "record_begin() called outside next_page");
  if(c->in_record)
    return violate(c, "record_begin() while record %s is still open",
                   c->arena.data);
  if(!hris_id || !*hris_id)
    return violate(c, "a record without hris_id (record %lu)",
                   c->stats.records + 1);
  if(c->stats.records >= c->limits.records)
    return violate(c,
                   "more than %lu records in one run (limits.records_per_run "
                   "in the config raises it)",
                   c->limits.records);
  hs_buf_reset(&c->arena);
  c->nslots = 0;
  c->n_unkeyed = 0;
  c->id_bytes = 0;
  c->n_sets = 0;
  c->skip[0] = 0;
  ids_reset(c);
  len = strlen(hris_id);
  if(bad_text(hris_id, len, HS_LIMIT_ID_BYTES, NULL, why, sizeof(why))) {
    /* Shown escaped and cut (it is skipped, so never stored as an id). */
    char head[65];
    int fail;
    snprintf(head, sizeof(head), "%.64s", hris_id);
    fail =
        hs_term_escape(&c->arena, head) ||
        hs_buf_append(&c->arena, len > 64 ? "...\0" : "\0", len > 64 ? 4 : 1);
    if(fail)
      return HRSYNC_E_NOMEM;
    skip_record(c, "hris_id: %s", why);
  }
  else if(arena_put(c, hris_id, &off))
    return HRSYNC_E_NOMEM;
  c->page_hash = fnv1a(c->page_hash, c->arena.data);
  c->in_record = 1;
  return HRSYNC_OK;
}

/* The next free slot; NULL on no memory. */
static field_slot *next_slot(hs_conn *c)
{
  if(c->nslots == c->slots_cap) {
    size_t cap = c->slots_cap ? c->slots_cap * 2 : 32;
    field_slot *grown = realloc(c->slots, cap * sizeof(*grown));
    if(!grown)
      return NULL;
    c->slots = grown;
    c->slots_cap = cap;
  }
  return &c->slots[c->nslots];
}

/* Interns a new field id (already checked); its key, or 0 when the bound
** is reached (or memory ran out: the id then goes the unkeyed way). */
static unsigned intern_id(hs_conn *c, const char *id, size_t len,
                          unsigned long long hash)
{
  unsigned key;
  size_t i;
  if(!c->names && !(c->names = hs_intern_new(MAX_IDS)))
    return 0;
  if(c->keys_cap < hs_intern_count(c->names) + 2) {
    size_t cap = c->keys_cap ? c->keys_cap * 2 : 64;
    key_info *k = realloc(c->keys, cap * sizeof(*k));
    if(!k)
      return 0;
    memset(k + c->keys_cap, 0, (cap - c->keys_cap) * sizeof(*k));
    c->keys = k;
    c->keys_cap = cap;
  }
  if(!(key = hs_intern_add(c->names, id, len, hash)))
    return 0;
  c->keys[key].gen = 0;
  c->keys[key].wanted = 0;
  c->keys[key].text = hs_intern_text(c->names, key);
  c->keys[key].len = len;
  for(i = 0; i < c->params.n_wanted && !c->keys[key].wanted; i++)
    if(!strcmp(c->params.wanted_fields[i], id))
      c->keys[key].wanted = i + 1;
  return key;
}

/* The slot for an interned id: the one this record gave it, or a new one. */
static field_slot *keyed_slot(hs_conn *c, unsigned key, size_t idlen)
{
  key_info *k = &c->keys[key];
  field_slot *s;
  if(k->gen == c->gen)
    return &c->slots[k->slot]; /* set twice */
  if(!(s = next_slot(c)))
    return NULL;
  s->key = key;
  s->id_off = 0;
  k->gen = c->gen;
  k->slot = (unsigned)c->nslots++;
  c->id_bytes += idlen + 1;
  return s;
}

/* The slot for an id past the bound, kept in the arena. */
static field_slot *unkeyed_slot(hs_conn *c, const char *id)
{
  id_bucket *b;
  field_slot *s;
  if(2 * (c->n_unkeyed + 1) > c->ids_cap && ids_grow(c, c->n_unkeyed + 1))
    return NULL;
  b = ids_find(c, id);
  if(b->gen == c->gen)
    return &c->slots[b->slot]; /* set twice */
  if(!(s = next_slot(c)) || arena_put(c, id, &s->id_off))
    return NULL;
  s->key = 0;
  b->gen = c->gen;
  b->slot = (unsigned)c->nslots++;
  c->n_unkeyed++;
  return s;
}

/* Sets a field (its id already checked, or interned: key) to value (vlen
** bytes; NULL: sent empty). */
static hrsync_status put_field(hs_conn *c, unsigned key, const char *id,
                               size_t idlen, const char *value, size_t vlen)
{
  field_slot *s = key ? keyed_slot(c, key, idlen) : unkeyed_slot(c, id);
  if(!s)
    return HRSYNC_E_NOMEM;
  s->has_value = value != NULL;
  s->value_off = c->arena.len;
  if(value && hs_buf_append(&c->arena, value, vlen + 1))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

/* Remembers key as set at record_set position pos (positions past
** MAX_IDS are not guessed). */
static void note_guess(hs_conn *c, size_t pos, unsigned key)
{
  if(pos >= c->guess_cap) {
    size_t cap = c->guess_cap ? c->guess_cap * 2 : 64;
    unsigned *g;
    while(cap <= pos)
      cap *= 2;
    if(pos >= MAX_IDS || !(g = realloc(c->guess, cap * sizeof(*g))))
      return;
    memset(g + c->guess_cap, 0, (cap - c->guess_cap) * sizeof(*g));
    c->guess = g;
    c->guess_cap = cap;
  }
  c->guess[pos] = key;
}

/* The key of field id, interning it when it is new and good; 0 when it
** is past the bound. *why is set (and 0 returned) when the id is bad.
** The key at this position in the record before is tried first: one
** comparison instead of a hash and a probe. */
static unsigned field_key(hs_conn *c, const char *id, size_t *len,
                          const char **why, char *buf, size_t cap)
{
  size_t pos = c->n_sets++;
  unsigned key = pos < c->guess_cap ? c->guess[pos] : 0;
  unsigned long long h;
  *why = NULL;
  if(key && !strcmp(c->keys[key].text, id)) {
    *len = c->keys[key].len;
    return key;
  }
  h = hs_intern_hash(id, len);
  key = c->names ? hs_intern_find(c->names, id, *len, h) : 0;
  if(!key) {
    if((*why = bad_text(id, *len, HS_LIMIT_ID_BYTES, NULL, buf, cap)))
      return 0;
    key = intern_id(c, id, *len, h); /* checked once, when first met */
  }
  note_guess(c, pos, key);
  return key;
}

static hrsync_status svc_record_set(hrsync_host_ctx *ctx, const char *field_id,
                                    const char *value)
{
  hs_conn *c = conn_of(ctx);
  size_t idlen, len;
  const char *bad;
  unsigned key;
  char why[128];
  if(!c->in_record)
    return violate(c, "record_set(%s) outside record_begin/record_end",
                   field_id ? field_id : "NULL");
  if(!field_id || !*field_id)
    return violate(c, "record %s: record_set() without a field id",
                   c->arena.data);
  key = field_key(c, field_id, &idlen, &bad, why, sizeof(why));
  if(bad) {
    skip_record(c, "a field id is %s", bad);
    return HRSYNC_OK;
  }
  len = value ? strlen(value) : 0;
  if(value && bad_text(value, len, c->limits.field_bytes, "limits.field_bytes",
                       why, sizeof(why))) {
    skip_record(c, "field %.128s: value %s", field_id, why);
    value = NULL; /* never stored, never cut */
    len = 0;
  }
  if(c->arena.len + c->id_bytes + idlen + len > c->limits.body_bytes) {
    /* Bigger than any response it could have come from. */
    skip_record(c, "the record is over %zu bytes (limits.response_bytes)",
                c->limits.body_bytes);
    return HRSYNC_OK;
  }
  return put_field(c, key, field_id, idlen, value, len);
}

/* Marks the wanted fields this record carries a value for. */
static void note_seen(hs_conn *c, const hs_record *rec)
{
  size_t i, j;
  for(i = 0; i < rec->n_fields && c->unseen; i++) {
    const hs_record_field *f = &rec->fields[i];
    if(!f->value)
      continue;
    if(f->key) {
      j = c->keys[f->key].wanted;
      if(j && !c->seen[j - 1]) {
        c->seen[j - 1] = 1;
        c->unseen--;
      }
      continue;
    }
    for(j = 0; j < c->params.n_wanted; j++)
      if(!c->seen[j] && !strcmp(c->params.wanted_fields[j], f->id)) {
        c->seen[j] = 1;
        c->unseen--;
      }
  }
}

/* The host's own skip reason, as the reserved field. */
static hrsync_status put_skip_reason(hs_conn *c)
{
  const char *id = HRSYNC_FIELD_SKIP_REASON, *bad;
  size_t idlen;
  char why[128];
  unsigned key = field_key(c, id, &idlen, &bad, why, sizeof(why));
  return put_field(c, key, id, idlen, c->skip, strlen(c->skip));
}

static hrsync_status svc_record_end(hrsync_host_ctx *ctx)
{
  hs_conn *c = conn_of(ctx);
  hs_record rec;
  size_t i;
  if(!c->in_record)
    return violate(c, "record_end() without record_begin()");
  if(c->skip[0] && put_skip_reason(c))
    return HRSYNC_E_NOMEM; /* the host's reason wins: the data is unusable */
  c->in_record = 0;
  c->page_records++;
  if(c->nslots > c->fields_cap) {
    hs_record_field *grown = realloc(c->fields, c->slots_cap * sizeof(*grown));
    if(!grown)
      return HRSYNC_E_NOMEM;
    c->fields = grown;
    c->fields_cap = c->slots_cap;
  }
  for(i = 0; i < c->nslots; i++) {
    const field_slot *s = &c->slots[i];
    c->fields[i].key = s->key;
    c->fields[i].id =
        s->key ? c->keys[s->key].text : c->arena.data + s->id_off;
    c->fields[i].value = s->has_value ? c->arena.data + s->value_off : NULL;
  }
  rec.hris_id = c->arena.data;
  rec.fields = c->fields;
  rec.n_fields = c->nslots;
  rec.keyspace = c->names;
  c->stats.records++;
  note_seen(c, &rec);
  if(c->record_fn(c->sink_arg, &rec, &c->cb_err)) {
    c->cb_failed = 1;
    return HRSYNC_E_ABORTED;
  }
  return HRSYNC_OK;
}

static void svc_field_withheld(hrsync_host_ctx *ctx, const char *field_id,
                               const char *why)
{
  hs_conn *c = conn_of(ctx);
  size_t off;
  if(!field_id || !*field_id)
    return;
  if(hs_conn_withheld(c, field_id))
    return; /* the first reason wins */
  if(arena_put_buf(&c->withheld, field_id, &off) ||
     arena_put_buf(&c->withheld, why ? why : "", &off))
    return; /* out of memory: the generic unseen-field check remains */
  c->n_withheld++;
}

static void svc_roster_total(hrsync_host_ctx *ctx, uint64_t total)
{
  hs_conn *c = conn_of(ctx);
  c->stats.total = total;
  c->stats.has_total = 1;
}

static const char *svc_changed_since(hrsync_host_ctx *ctx)
{
  return conn_of(ctx)->params.changed_since;
}

static void svc_changed_only(hrsync_host_ctx *ctx)
{
  hs_conn *c = conn_of(ctx);
  /* Only an answer to a question the engine asked. */
  if(c->params.changed_since)
    c->stats.changed_only = 1;
}

static void *svc_alloc(size_t size)
{
  return malloc(size ? size : 1);
}

static void *svc_realloc(void *ptr, size_t size)
{
  return realloc(ptr, size ? size : 1);
}

static void svc_free(void *ptr)
{
  free(ptr);
}

static const hrsync_host host_table = {
    .abi_major = HRSYNC_ABI_MAJOR,
    .abi_minor = HRSYNC_ABI_MINOR,
    .struct_size = sizeof(hrsync_host),
    .log = svc_log,
    .set_error = svc_set_error,
    .setting = svc_setting,
    .secret = svc_secret,
    .mark_secret = svc_mark_secret,
    .http = svc_http,
    .wanted_field = svc_wanted_field,
    .field = svc_field,
    .record_begin = svc_record_begin,
    .record_set = svc_record_set,
    .record_end = svc_record_end,
    .alloc = svc_alloc,
    .realloc = svc_realloc,
    .free = svc_free,
    .field_withheld = svc_field_withheld,
    .roster_total = svc_roster_total,
    .changed_since = svc_changed_since,
    .changed_only = svc_changed_only,
    .http_many = svc_http_many,
    .rate_limit = svc_rate_limit,
    .http_stream = svc_http_stream,
};

const hrsync_host *hs_host_table(void)
{
  return &host_table;
}

/* ------------------------------------------------------------------ */
/* Driving the callbacks                                                */

static const char *status_text(hrsync_status st)
{
  switch(st) {
  case HRSYNC_OK:
    return "ok";
  case HRSYNC_E_CONFIG:
    return "configuration error";
  case HRSYNC_E_AUTH:
    return "authentication refused";
  case HRSYNC_E_HTTP:
    return "HTTP failure";
  case HRSYNC_E_PARSE:
    return "malformed response";
  case HRSYNC_E_NOMEM:
    return "out of memory";
  case HRSYNC_E_ABORTED:
    return "aborted";
  case HRSYNC_E_INTERNAL:
    return "internal error";
  default:
    return "unknown status";
  }
}

hs_rc hs_conn_status_rc(hrsync_status st)
{
  switch(st) {
  case HRSYNC_OK:
    return HS_OK;
  case HRSYNC_E_CONFIG:
    return HS_E_CONFIG;
  case HRSYNC_E_AUTH:
    return HS_E_AUTH;
  case HRSYNC_E_HTTP:
    return HS_E_HTTP;
  case HRSYNC_E_PARSE:
    return HS_E_PARSE;
  default:
    return HS_E_PLUGIN; /* the detail still names the status */
  }
}

static void begin_cb(hs_conn *c, const char *callback)
{
  c->callback = callback;
  c->detail[0] = 0;
  c->violation[0] = 0;
  c->cb_failed = 0;
  hs_err_clear(&c->cb_err);
}

/* Turns what happened in a callback into an hs_rc and a detail. The sink's
** own error wins (the plugin only passed HRSYNC_E_ABORTED on), then the
** plugin's broken rule, then its status. */
static hs_rc end_cb(hs_conn *c, hrsync_status st, hs_err *err)
{
  const char *cb = c->callback;
  c->callback = NULL;
  if(c->cb_failed) {
    if(err)
      *err = c->cb_err;
    return c->cb_err.rc ? c->cb_err.rc : HS_E_RUNTIME;
  }
  if(c->violation[0])
    return hs_err_set(err, HS_E_PLUGIN, "%s: %s: %s", c->name, cb,
                      c->violation);
  if(st == HRSYNC_OK)
    return HS_OK;
  if(st == HRSYNC_E_ABORTED)
    return hs_err_set(err, HS_E_PLUGIN,
                      "%s: %s: returned aborted though the host did not ask "
                      "to stop%s%s",
                      c->name, cb, c->detail[0] ? ": " : "", c->detail);
  if((unsigned)st > HRSYNC_E_INTERNAL)
    return hs_err_set(err, HS_E_PLUGIN, "%s: %s: unknown status %d%s%s",
                      c->name, cb, (int)st, c->detail[0] ? ": " : "",
                      c->detail);
  return hs_err_set(err, hs_conn_status_rc(st), "%s: %s: %s%s%s", c->name, cb,
                    status_text(st), c->detail[0] ? ": " : "", c->detail);
}

/* Required settings and secrets present, and no key the connector does
** not know (a typo would otherwise be silently ignored). */
static hs_rc check_settings(const hs_conn_params *p, hs_err *err)
{
  const hrsync_connector *d = p->plugin->desc;
  const hrsync_setting_def *s;
  size_t i;
  for(s = d->settings; s && s->key; s++) {
    int secret = (s->flags & HRSYNC_SETTING_SECRET) != 0;
    const char *v = secret ? find_kv(p->secrets, p->n_secrets, s->key)
                           : find_kv(p->settings, p->n_settings, s->key);
    if(!secret && (!v || !*v))
      v = s->default_value;
    if((s->flags & HRSYNC_SETTING_REQUIRED) && (!v || !*v))
      return hs_err_set(err, HS_E_CONFIG, "%s.%s: required by connector %s",
                        secret ? "secrets" : "settings", s->key, d->name);
  }
  for(i = 0; i < p->n_settings + p->n_secrets; i++) {
    int secret = i >= p->n_settings;
    const hrsync_kv *kv =
        secret ? &p->secrets[i - p->n_settings] : &p->settings[i];
    const hrsync_setting_def *def = NULL;
    for(s = d->settings; s && s->key && !def; s++)
      if(kv->name && !strcmp(s->key, kv->name))
        def = s;
    if(!def)
      return hs_err_set(err, HS_E_CONFIG, "%s.%s: unknown to connector %s",
                        secret ? "secrets" : "settings",
                        kv->name ? kv->name : "", d->name);
    if(secret != ((def->flags & HRSYNC_SETTING_SECRET) != 0))
      return hs_err_set(err, HS_E_CONFIG,
                        "%s.%s: connector %s expects it under \"%s\"",
                        secret ? "secrets" : "settings", kv->name, d->name,
                        secret ? "settings" : "secrets");
  }
  return HS_OK;
}

static void conn_free(hs_conn *c)
{
  hs_buf_free(&c->arena);
  free(c->ids);
  hs_intern_free(c->names);
  free(c->keys);
  free(c->guess);
  free(c->pages);
  free(c->slots);
  free(c->fields);
  free(c->seen);
  hs_buf_free(&c->withheld);
  hs_buf_free(&c->warns);
  hs_http_copies_free(&c->many);
  free(c);
}

hs_rc hs_conn_open(const hs_conn_params *params, hs_conn **out, hs_err *err)
{
  hs_conn *c;
  hrsync_status st;
  hs_rc rc;
  size_t i;

  *out = NULL;
  if(!params || !params->plugin || !params->plugin->desc)
    return hs_err_set(err, HS_E_PLUGIN, "connector %s is not usable: %s",
                      params && params->plugin ? params->plugin->name : "?",
                      params && params->plugin && params->plugin->error
                          ? params->plugin->error
                          : "not loaded");
  rc = check_settings(params, err);
  if(rc)
    return rc;
  c = calloc(1, sizeof(*c));
  if(!c || (params->n_wanted && !(c->seen = calloc(params->n_wanted, 1)))) {
    free(c);
    return hs_err_set(err, HS_E_NOMEM, "connector %s: out of memory",
                      params->plugin->name);
  }
  c->ctx.conn = c;
  c->params = *params;
  c->limits = params->limits;
  if(!c->limits.field_bytes)
    c->limits.field_bytes = HS_LIMIT_FIELD_BYTES;
  if(!c->limits.body_bytes)
    c->limits.body_bytes = HS_LIMIT_BODY_BYTES;
  if(!c->limits.records)
    c->limits.records = HS_LIMIT_RECORDS;
  if(!c->limits.pages)
    c->limits.pages = HS_LIMIT_PAGES;
  c->desc = params->plugin->desc;
  c->name = c->desc->name;
  for(i = 0; i < params->n_secrets; i++)
    if(params->secrets[i].value &&
       hs_log_add_secret(params->log, params->secrets[i].value)) {
      conn_free(c);
      return hs_err_set(err, HS_E_NOMEM, "connector %s: out of memory",
                        params->plugin->name);
    }
  begin_cb(c, "open");
  st = c->desc->open(&host_table, &c->ctx, &c->pconn);
  rc = end_cb(c, st, err);
  if(rc) {
    if(c->pconn)
      c->desc->close(c->pconn); /* open's contract: NULL or closeable */
    conn_free(c);
    return rc;
  }
  *out = c;
  return HS_OK;
}

hs_rc hs_conn_authenticate(hs_conn *c, hs_err *err)
{
  begin_cb(c, "authenticate");
  return end_cb(c, c->desc->authenticate(c->pconn), err);
}

hs_rc hs_conn_list_fields(hs_conn *c, hs_field_fn fn, void *arg, hs_err *err)
{
  hrsync_status st;
  hs_rc rc;
  begin_cb(c, "list_fields");
  c->field_fn = fn;
  c->sink_arg = arg;
  st = c->desc->list_fields(c->pconn);
  c->field_fn = NULL;
  c->sink_arg = NULL;
  rc = end_cb(c, st, err);
  return rc;
}

/* One warning per run naming the wanted fields no record had a value
** for: the usual sign of an API key that may not see them. */
static void warn_withheld(hs_conn *c)
{
  hs_buf list = HS_BUF_INIT;
  size_t i;
  if(c->warned || c->collect || !c->unseen || !c->stats.records)
    return;
  c->warned = 1;
  for(i = 0; i < c->params.n_wanted; i++)
    if(!c->seen[i])
      hs_buf_printf(&list, "%s%s", list.len ? ", " : "",
                    c->params.wanted_fields[i]);
  hs_log_printf(c->params.log, HS_LOG_WARN, c->name,
                "no record carried a value for %s (of %lu records); the HR "
                "system may withhold %s from this API key",
                hs_buf_str(&list), c->stats.records,
                c->unseen > 1 ? "these fields" : "this field");
  hs_buf_free(&list);
}

/* Records this page's fingerprint; a page whose records (by id, in
** order) are those of an earlier page means the cursor went back: a
** violation, or the run would loop or double-count. -1 on no memory. */
static int note_page(hs_conn *c)
{
  size_t b, i;
  if(2 * (c->n_pages + 1) > c->pages_cap) {
    size_t cap = c->pages_cap ? c->pages_cap * 2 : 64;
    page_mark *t = calloc(cap, sizeof(*t));
    if(!t)
      return -1;
    for(i = 0; i < c->pages_cap; i++)
      if(c->pages[i].page) {
        b = c->pages[i].hash & (cap - 1);
        while(t[b].page)
          b = (b + 1) & (cap - 1);
        t[b] = c->pages[i];
      }
    free(c->pages);
    c->pages = t;
    c->pages_cap = cap;
  }
  b = c->page_hash & (c->pages_cap - 1);
  while(c->pages[b].page && c->pages[b].hash != c->page_hash)
    b = (b + 1) & (c->pages_cap - 1);
  if(c->pages[b].page) {
    violate(c,
            "page %lu repeats page %lu (the same %lu records again: a "
            "pagination loop)",
            c->stats.pages, c->pages[b].page, c->page_records);
    return 0;
  }
  c->pages[b].hash = c->page_hash;
  c->pages[b].page = c->stats.pages;
  c->n_pages++;
  return 0;
}

hs_rc hs_conn_fetch(hs_conn *c, hs_record_fn fn, void *arg, hs_err *err)
{
  hs_rc rc = HS_OK;
  int empty_run = 0;
  c->stats.pages = c->stats.records = 0;
  c->stats.changed_only = 0;
  if(c->seen)
    memset(c->seen, 0, c->params.n_wanted);
  c->unseen = c->params.n_wanted;
  c->record_fn = fn;
  c->sink_arg = arg;
  c->n_pages = 0;
  if(c->pages)
    memset(c->pages, 0, c->pages_cap * sizeof(*c->pages));
  for(;;) {
    int has_more = 0; /* a plugin that forgets to set it stops here */
    unsigned long before = c->stats.records;
    hrsync_status st;
    begin_cb(c, "next_page");
    c->page_hash = FNV_BASIS;
    c->page_records = 0;
    st = c->desc->next_page(c->pconn, &has_more);
    c->stats.pages++;
    empty_run = c->stats.records == before ? empty_run + 1 : 0;
    if(has_more && empty_run >= MAX_EMPTY_PAGES && st == HRSYNC_OK)
      violate(c,
              "%d empty pages in a row and still has_more (a paging "
              "loop?)",
              MAX_EMPTY_PAGES);
    if(st == HRSYNC_OK && c->page_records && note_page(c))
      st = HRSYNC_E_NOMEM;
    if(has_more && st == HRSYNC_OK && c->stats.pages >= c->limits.pages)
      violate(c,
              "more than %lu pages in one run (limits.pages_per_run in the "
              "config raises it)",
              c->limits.pages);
    if(c->in_record && st == HRSYNC_OK) {
      violate(c, "returned with record %s still open (no record_end)",
              c->arena.data);
    }
    c->in_record = 0;
    rc = end_cb(c, st, err);
    if(rc || !has_more)
      break;
  }
  c->record_fn = NULL;
  c->sink_arg = NULL;
  if(!rc)
    warn_withheld(c);
  return rc;
}

void hs_conn_collect_warnings(hs_conn *c)
{
  c->collect = 1;
}

const char *hs_conn_warning_at(const hs_conn *c, size_t i)
{
  const char *p = c->warns.data;
  size_t k;
  if(i >= c->n_warns)
    return NULL;
  for(k = 0; k < i; k++)
    p += strlen(p) + 1;
  return p;
}

const char *hs_conn_withheld(const hs_conn *c, const char *field_id)
{
  const char *p = c->withheld.data;
  size_t i;
  for(i = 0; i < c->n_withheld; i++) {
    const char *why = p + strlen(p) + 1;
    if(!strcmp(p, field_id))
      return why;
    p = why + strlen(why) + 1;
  }
  return NULL;
}

const char *hs_conn_withheld_at(const hs_conn *c, size_t i, const char **why)
{
  const char *p = c->withheld.data;
  size_t k;
  if(i >= c->n_withheld)
    return NULL;
  for(k = 0; k < i; k++) {
    p += strlen(p) + 1;
    p += strlen(p) + 1;
  }
  if(why)
    *why = p + strlen(p) + 1;
  return p;
}

void hs_conn_get_stats(const hs_conn *c, hs_fetch_stats *out)
{
  *out = c->stats;
}

void hs_conn_close(hs_conn *c)
{
  if(!c)
    return;
  begin_cb(c, "close");
  c->desc->close(c->pconn);
  c->callback = NULL;
  conn_free(c);
}

const char *hs_record_get(const hs_record *rec, const char *id, int *present)
{
  size_t i;
  for(i = 0; i < rec->n_fields; i++)
    if(!strcmp(rec->fields[i].id, id)) {
      if(present)
        *present = 1;
      return rec->fields[i].value;
    }
  if(present)
    *present = 0;
  return NULL;
}
