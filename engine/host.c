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
** nothing per record. Fields are kept as arena offsets while a record is
** being built (the arena may move as it grows) and turned into pointers
** only at record_end.
**
** The plugin's mistakes (a record without an id, record_set outside a
** record) are remembered as a violation and turned into HS_E_PLUGIN when
** the callback returns, whatever status the plugin then returns.
*/
#include "host.h"

#include "buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A plugin whose cursor never advances would page forever; real APIs
** never send this many empty pages in a row. */
#define MAX_EMPTY_PAGES 1000

typedef struct field_slot {
  size_t id_off;
  size_t value_off;
  int has_value; /* 0: sent empty/null */
} field_slot;

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

  unsigned char *seen; /* per wanted field: some record had a value */
  size_t unseen;
  int warned;
  hs_fetch_stats stats;

  /* Fields the connector said are withheld (SDK 1.2): "id\0why\0"... */
  hs_buf withheld;
  size_t n_withheld;
};

static hs_conn *conn_of(hrsync_host_ctx *ctx)
{
  return ctx->conn;
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

static void svc_log(hrsync_host_ctx *ctx, uint32_t level, const char *msg)
{
  hs_conn *c = conn_of(ctx);
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

static hrsync_status svc_record_begin(hrsync_host_ctx *ctx,
                                      const char *hris_id)
{
  hs_conn *c = conn_of(ctx);
  size_t off;
  if(!c->record_fn)
    return violate(c, "record_begin() called outside next_page");
  if(c->in_record)
    return violate(c, "record_begin() while record %s is still open",
                   c->arena.data);
  if(!hris_id || !*hris_id)
    return violate(c, "a record without hris_id (record %lu)",
                   c->stats.records + 1);
  hs_buf_reset(&c->arena);
  c->nslots = 0;
  if(arena_put(c, hris_id, &off))
    return HRSYNC_E_NOMEM;
  c->in_record = 1;
  return HRSYNC_OK;
}

static hrsync_status svc_record_set(hrsync_host_ctx *ctx, const char *field_id,
                                    const char *value)
{
  hs_conn *c = conn_of(ctx);
  field_slot *s = NULL;
  size_t i;
  if(!c->in_record)
    return violate(c, "record_set(%s) outside record_begin/record_end",
                   field_id ? field_id : "NULL");
  if(!field_id || !*field_id)
    return violate(c, "record %s: record_set() without a field id",
                   c->arena.data);
  /* Set twice: the last value wins (linear, records have few fields). */
  for(i = 0; i < c->nslots && !s; i++)
    if(!strcmp(c->arena.data + c->slots[i].id_off, field_id))
      s = &c->slots[i];
  if(!s) {
    if(c->nslots == c->slots_cap) {
      size_t cap = c->slots_cap ? c->slots_cap * 2 : 32;
      field_slot *grown = realloc(c->slots, cap * sizeof(*grown));
      if(!grown)
        return HRSYNC_E_NOMEM;
      c->slots = grown;
      c->slots_cap = cap;
    }
    s = &c->slots[c->nslots];
    if(arena_put(c, field_id, &s->id_off))
      return HRSYNC_E_NOMEM;
    c->nslots++;
  }
  s->has_value = value != NULL;
  s->value_off = 0;
  if(value && arena_put(c, value, &s->value_off))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

/* Marks the wanted fields this record carries a value for. */
static void note_seen(hs_conn *c, const hs_record *rec)
{
  size_t i, j;
  for(i = 0; i < rec->n_fields && c->unseen; i++) {
    if(!rec->fields[i].value)
      continue;
    for(j = 0; j < c->params.n_wanted; j++)
      if(!c->seen[j] &&
         !strcmp(c->params.wanted_fields[j], rec->fields[i].id)) {
        c->seen[j] = 1;
        c->unseen--;
      }
  }
}

static hrsync_status svc_record_end(hrsync_host_ctx *ctx)
{
  hs_conn *c = conn_of(ctx);
  hs_record rec;
  size_t i;
  if(!c->in_record)
    return violate(c, "record_end() without record_begin()");
  c->in_record = 0;
  if(c->nslots > c->fields_cap) {
    hs_record_field *grown = realloc(c->fields, c->slots_cap * sizeof(*grown));
    if(!grown)
      return HRSYNC_E_NOMEM;
    c->fields = grown;
    c->fields_cap = c->slots_cap;
  }
  for(i = 0; i < c->nslots; i++) {
    c->fields[i].id = c->arena.data + c->slots[i].id_off;
    c->fields[i].value =
        c->slots[i].has_value ? c->arena.data + c->slots[i].value_off : NULL;
  }
  rec.hris_id = c->arena.data;
  rec.fields = c->fields;
  rec.n_fields = c->nslots;
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
  free(c->slots);
  free(c->fields);
  free(c->seen);
  hs_buf_free(&c->withheld);
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
  if(c->warned || !c->unseen || !c->stats.records)
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
  for(;;) {
    int has_more = 0; /* a plugin that forgets to set it stops here */
    unsigned long before = c->stats.records;
    hrsync_status st;
    begin_cb(c, "next_page");
    st = c->desc->next_page(c->pconn, &has_more);
    c->stats.pages++;
    empty_run = c->stats.records == before ? empty_run + 1 : 0;
    if(has_more && empty_run >= MAX_EMPTY_PAGES && st == HRSYNC_OK)
      violate(c,
              "%d empty pages in a row and still has_more (a paging "
              "loop?)",
              MAX_EMPTY_PAGES);
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
