/*
** A fake hrsync host for connector unit tests. See fakehost.h.
*/
#include "fakehost.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A growable array of fixed-size items. */
typedef struct vec {
  void *items;
  size_t n, cap, size;
} vec;

typedef struct canned {
  unsigned status;
  char *headers;
  char *body;
  size_t body_len;
  int transport_error;
} canned;

typedef struct log_line {
  uint32_t level;
  char *text;
} log_line;

struct hrsync_host_ctx {
  hrsync_host table;
  const hrsync_connector *desc; /* for setting defaults; may be NULL */
  vec settings;                 /* hrsync_kv, owned strings */
  vec secrets;                  /* hrsync_kv, owned strings */
  vec wanted;                   /* char * */
  vec queue;                    /* canned, FIFO from queue_head */
  size_t queue_head;
  fh_responder_fn responder;
  void *responder_arg;
  size_t abort_at; /* (size_t)-1: never */

  /* The live response, freed at the next http() call. */
  hrsync_http_response resp;
  hrsync_kv *resp_headers;
  char *resp_header_text;
  char *resp_body;

  vec requests;     /* fh_request */
  vec records;      /* fh_record */
  vec cur;          /* hrsync_kv of the open record */
  char *cur_id;     /* NULL: no record open */
  vec fields;       /* fh_field */
  vec logs;         /* log_line */
  vec marked;       /* char * */
  vec withheld;     /* hrsync_kv: field id -> why (SDK 1.2) */
  long long total;  /* roster_total, -1 = never called */
  char *since;      /* changed_since's answer (SDK 1.3); NULL = none */
  int changed_only; /* times changed_only was called */
  vec violations;   /* char * */
  char *error;
  size_t n_errors;

  /* SDK 1.4 http_stream: chunk size (0 = the whole body at once), calls
  ** made, a stream running, and a transfer to break after break_after
  ** bytes ((size_t)-1: never). */
  size_t stream_chunk;
  size_t n_streams;
  int in_stream;
  size_t break_after;
};

static void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if(!p) {
    fprintf(stderr, "fakehost: out of memory\n");
    abort();
  }
  return p;
}

static char *xstrdup(const char *s)
{
  size_t n;
  char *d;
  if(!s)
    return NULL;
  n = strlen(s);
  d = xmalloc(n + 1);
  memcpy(d, s, n + 1);
  return d;
}

static char *xmemdup(const char *s, size_t n)
{
  char *d = xmalloc(n + 1);
  if(n)
    memcpy(d, s, n);
  d[n] = 0;
  return d;
}

static void vec_init(vec *v, size_t size)
{
  v->items = NULL;
  v->n = v->cap = 0;
  v->size = size;
}

/* Appends a zeroed item and returns it. */
static void *vec_push(vec *v)
{
  char *p;
  if(v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 8;
    void *items = realloc(v->items, cap * v->size);
    if(!items) {
      fprintf(stderr, "fakehost: out of memory\n");
      abort();
    }
    v->items = items;
    v->cap = cap;
  }
  p = (char *)v->items + v->n++ * v->size;
  memset(p, 0, v->size);
  return p;
}

static void *vec_at(const vec *v, size_t i)
{
  return i < v->n ? (char *)v->items + i * v->size : NULL;
}

static void violation(fh_host *fh, const char *fmt, ...)
{
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  *(char **)vec_push(&fh->violations) = xstrdup(line);
}

/* A secret or marked value appearing in text is a leak. */
static void check_no_secret(fh_host *fh, const char *what, const char *text)
{
  size_t i;
  for(i = 0; i < fh->secrets.n; i++) {
    const hrsync_kv *kv = vec_at(&fh->secrets, i);
    if(kv->value && kv->value[0] && strstr(text, kv->value))
      violation(fh, "%s contains secret %s: %s", what, kv->name, text);
  }
  for(i = 0; i < fh->marked.n; i++) {
    const char *m = *(char **)vec_at(&fh->marked, i);
    if(m[0] && strstr(text, m))
      violation(fh, "%s contains a marked secret: %s", what, text);
  }
}

/* ---- host services ------------------------------------------------ */

static void svc_log(hrsync_host_ctx *fh, uint32_t level, const char *msg)
{
  log_line *l = vec_push(&fh->logs);
  l->level = level;
  l->text = xstrdup(msg ? msg : "(null)");
  if(!msg)
    violation(fh, "log(NULL)");
  else {
    check_no_secret(fh, "log line", msg);
    if(strchr(msg, '\n'))
      violation(fh, "log line has a newline: %s", msg);
  }
}

static void svc_set_error(hrsync_host_ctx *fh, const char *msg)
{
  free(fh->error);
  fh->error = xstrdup(msg ? msg : "(null)");
  fh->n_errors++;
  if(!msg)
    violation(fh, "set_error(NULL)");
  else {
    check_no_secret(fh, "error", msg);
    if(strchr(msg, '\n'))
      violation(fh, "error has a newline: %s", msg);
  }
}

static const char *kv_lookup(const vec *v, const char *key)
{
  size_t i;
  for(i = 0; i < v->n; i++) {
    const hrsync_kv *kv = vec_at(v, i);
    if(!strcmp(kv->name, key))
      return kv->value;
  }
  return NULL;
}

static const char *svc_setting(hrsync_host_ctx *fh, const char *key)
{
  const char *v = kv_lookup(&fh->settings, key);
  const hrsync_setting_def *s;
  if(v || !fh->desc || !fh->desc->settings)
    return v;
  for(s = fh->desc->settings; s->key; s++)
    if(!strcmp(s->key, key) && !(s->flags & HRSYNC_SETTING_SECRET))
      return s->default_value;
  return NULL;
}

static const char *svc_secret(hrsync_host_ctx *fh, const char *key)
{
  return kv_lookup(&fh->secrets, key);
}

static void svc_mark_secret(hrsync_host_ctx *fh, const char *value)
{
  if(!value || !*value) {
    violation(fh, "mark_secret of an empty value");
    return;
  }
  *(char **)vec_push(&fh->marked) = xstrdup(value);
}

static void svc_field_withheld(hrsync_host_ctx *fh, const char *field_id,
                               const char *why)
{
  hrsync_kv *kv;
  if(!field_id || !*field_id) {
    violation(fh, "field_withheld without a field id");
    return;
  }
  if(fh_withheld(fh, field_id)) {
    violation(fh, "field_withheld(%s) twice", field_id);
    return;
  }
  kv = vec_push(&fh->withheld);
  kv->name = xstrdup(field_id);
  kv->value = xstrdup(why ? why : "");
}

static void svc_roster_total(hrsync_host_ctx *fh, uint64_t total)
{
  fh->total = (long long)total;
}

static const char *svc_changed_since(hrsync_host_ctx *fh)
{
  return fh->since;
}

static void svc_changed_only(hrsync_host_ctx *fh)
{
  if(!fh->since)
    violation(fh, "changed_only without a changed_since watermark");
  fh->changed_only++;
}

void fh_set_changed_since(fh_host *fh, const char *since)
{
  free(fh->since);
  fh->since = since ? xstrdup(since) : NULL;
}

int fh_changed_only(const fh_host *fh)
{
  return fh->changed_only;
}

static void free_response(fh_host *fh)
{
  free(fh->resp_headers);
  free(fh->resp_header_text);
  free(fh->resp_body);
  fh->resp_headers = NULL;
  fh->resp_header_text = NULL;
  fh->resp_body = NULL;
  memset(&fh->resp, 0, sizeof(fh->resp));
}

/* Splits "A: b\nC: d" (copied into fh) into the live response headers. */
static void set_response_headers(fh_host *fh, const char *text)
{
  size_t n = 0, cap = 1;
  char *p, *line;
  const char *c;
  if(!text)
    return;
  for(c = text; *c; c++)
    if(*c == '\n')
      cap++;
  fh->resp_header_text = xstrdup(text);
  fh->resp_headers = xmalloc(cap * sizeof(hrsync_kv));
  for(line = fh->resp_header_text; line && *line; line = p) {
    char *colon, *v, *end;
    p = strchr(line, '\n');
    if(p)
      *p++ = 0;
    end = line + strlen(line);
    while(end > line && (end[-1] == '\r' || end[-1] == ' '))
      *--end = 0;
    colon = strchr(line, ':');
    if(!colon)
      continue;
    *colon = 0;
    for(v = colon + 1; *v == ' '; v++)
      ;
    fh->resp_headers[n].name = line;
    fh->resp_headers[n].value = v;
    n++;
  }
  fh->resp.headers = fh->resp_headers;
  fh->resp.n_headers = n;
}

static fh_request *record_request(fh_host *fh, const hrsync_http_request *req)
{
  fh_request *r = vec_push(&fh->requests);
  size_t i;
  r->method = xstrdup(req->method ? req->method : "(null)");
  r->url = xstrdup(req->url ? req->url : "(null)");
  r->flags = req->flags;
  if(req->n_headers) {
    r->headers = xmalloc(req->n_headers * sizeof(hrsync_kv));
    for(i = 0; i < req->n_headers; i++) {
      r->headers[i].name = xstrdup(req->headers[i].name);
      r->headers[i].value = xstrdup(req->headers[i].value);
    }
    r->n_headers = req->n_headers;
  }
  if(req->body) {
    r->body = xmemdup(req->body, req->body_len);
    r->body_len = req->body_len;
  }
  if(req->basic_user) {
    r->basic_user = xstrdup(req->basic_user);
    r->basic_password = xstrdup(req->basic_password);
  }
  return r;
}

static void check_request(fh_host *fh, const hrsync_http_request *req)
{
  size_t i;
  if(req->struct_size < sizeof(hrsync_http_request))
    violation(fh, "request struct_size %u < %zu", (unsigned)req->struct_size,
              sizeof(hrsync_http_request));
  if(!req->method || !req->url)
    violation(fh, "request without method or url");
  else if(strncmp(req->url, "http://", 7) && strncmp(req->url, "https://", 8))
    violation(fh, "request url is not absolute: %s", req->url);
  if(req->n_headers && !req->headers)
    violation(fh, "request n_headers %zu with NULL headers", req->n_headers);
  for(i = 0; req->headers && i < req->n_headers; i++)
    if(!req->headers[i].name || !req->headers[i].value)
      violation(fh, "request header %zu has a NULL name or value", i);
  if(req->basic_user && !req->basic_password)
    violation(fh, "basic_user without basic_password");
  if(req->url)
    check_no_secret(fh, "request url", req->url);
}

static hrsync_status svc_http(hrsync_host_ctx *fh,
                              const hrsync_http_request *req,
                              const hrsync_http_response **out)
{
  fh_reply reply;
  canned *c = NULL;
  const fh_request *r;
  size_t n;
  free_response(fh);
  if(out)
    *out = NULL;
  if(!req || !out) {
    violation(fh, "http() with a NULL request or out");
    return HRSYNC_E_INTERNAL;
  }
  if(fh->in_stream)
    violation(fh, "http() called from http_stream's chunk function");
  n = fh->requests.n;
  check_request(fh, req);
  r = record_request(fh, req);
  if(n >= fh->abort_at) {
    svc_set_error(fh, "aborted by the host");
    return HRSYNC_E_ABORTED;
  }
  memset(&reply, 0, sizeof(reply));
  if(fh->queue_head < fh->queue.n) {
    c = vec_at(&fh->queue, fh->queue_head++);
    reply.status = c->status;
    reply.headers = c->headers;
    reply.body = c->body;
    reply.body_len = c->body_len;
    reply.transport_error = c->transport_error;
  }
  else if(!fh->responder ||
          fh->responder(fh->responder_arg, n, r, &reply) != 0) {
    violation(fh, "no canned response for request %zu: %s %s", n, r->method,
              r->url);
    svc_set_error(fh, "fakehost: no canned response");
    return HRSYNC_E_HTTP;
  }
  if(reply.transport_error) {
    svc_set_error(fh, "connection refused (fakehost)");
    return HRSYNC_E_HTTP;
  }
  if(reply.body && !reply.body_len && !c)
    reply.body_len = strlen(reply.body);
  fh->resp.struct_size = sizeof(hrsync_http_response);
  fh->resp.status = reply.status;
  set_response_headers(fh, reply.headers);
  fh->resp_body = xmemdup(reply.body ? reply.body : "", reply.body_len);
  fh->resp.body = fh->resp_body;
  fh->resp.body_len = reply.body_len;
  *out = &fh->resp;
  return HRSYNC_OK;
}

/* http(), then a 2xx body handed over in chunks of stream_chunk bytes,
** each a fresh copy freed after its call (AddressSanitizer catches a
** plugin that keeps a chunk). */
static hrsync_status svc_http_stream(
    hrsync_host_ctx *fh, const hrsync_http_request *req,
    hrsync_status (*chunk)(void *arg, const char *data, size_t len), void *arg,
    const hrsync_http_response **out)
{
  const hrsync_http_response *r = NULL;
  hrsync_status st;
  size_t off, step, len;
  if(out)
    *out = NULL;
  if(!chunk || !out) {
    violation(fh, "http_stream() with a NULL chunk function or out");
    return HRSYNC_E_INTERNAL;
  }
  if(fh->in_stream) {
    violation(fh, "http_stream() called from its own chunk function");
    return HRSYNC_E_INTERNAL;
  }
  fh->n_streams++;
  st = svc_http(fh, req, &r);
  if(st || r->status < 200 || r->status >= 300) {
    *out = r;
    return st;
  }
  len = r->body_len;
  step = fh->stream_chunk ? fh->stream_chunk : (len ? len : 1);
  fh->in_stream = 1;
  for(off = 0; !st && off < len; off += step) {
    size_t n = len - off < step ? len - off : step;
    char *copy;
    if(off >= fh->break_after) {
      svc_set_error(fh, "connection reset mid-body (fakehost)");
      st = HRSYNC_E_HTTP;
      break;
    }
    copy = xmemdup(r->body + off, n);
    st = chunk(arg, copy, n);
    free(copy);
  }
  fh->in_stream = 0;
  if(st)
    return st;
  fh->resp.body = "";
  *out = &fh->resp;
  return HRSYNC_OK;
}

void fh_stream_chunk(fh_host *fh, size_t n)
{
  fh->stream_chunk = n;
}

void fh_no_stream(fh_host *fh)
{
  fh->table.http_stream = NULL;
}

void fh_stream_break_after(fh_host *fh, size_t bytes)
{
  fh->break_after = bytes;
}

size_t fh_n_streams(const fh_host *fh)
{
  return fh->n_streams;
}

static const char *svc_wanted_field(hrsync_host_ctx *fh, size_t i)
{
  return i < fh->wanted.n ? *(char **)vec_at(&fh->wanted, i) : NULL;
}

static hrsync_status svc_field(hrsync_host_ctx *fh,
                               const hrsync_field_def *def)
{
  fh_field *f;
  if(!def || !def->id || !def->id[0]) {
    violation(fh, "field() without an id");
    return HRSYNC_E_INTERNAL;
  }
  if(def->struct_size < sizeof(hrsync_field_def))
    violation(fh, "field %s: struct_size too small", def->id);
  if(def->type > HRSYNC_FIELD_BOOL)
    violation(fh, "field %s: unknown type %u", def->id, (unsigned)def->type);
  if(fh_field_find(fh, def->id))
    violation(fh, "field %s described twice", def->id);
  f = vec_push(&fh->fields);
  f->type = def->type;
  f->flags = def->flags;
  f->id = xstrdup(def->id);
  f->label = xstrdup(def->label);
  return HRSYNC_OK;
}

static void free_cur(fh_host *fh)
{
  size_t i;
  for(i = 0; i < fh->cur.n; i++) {
    hrsync_kv *kv = vec_at(&fh->cur, i);
    free((char *)kv->name);
    free((char *)kv->value);
  }
  fh->cur.n = 0;
  free(fh->cur_id);
  fh->cur_id = NULL;
}

static hrsync_status svc_record_begin(hrsync_host_ctx *fh, const char *hris_id)
{
  if(fh->cur_id) {
    violation(fh, "record_begin(%s) inside record %s", hris_id ? hris_id : "",
              fh->cur_id);
    free_cur(fh);
  }
  if(!hris_id || !hris_id[0]) {
    violation(fh, "record_begin with an empty hris_id");
    return HRSYNC_E_INTERNAL;
  }
  if(fh_record_find(fh, hris_id))
    violation(fh, "hris_id %s emitted twice", hris_id);
  fh->cur_id = xstrdup(hris_id);
  return HRSYNC_OK;
}

static hrsync_status svc_record_set(hrsync_host_ctx *fh, const char *id,
                                    const char *value)
{
  hrsync_kv *kv;
  size_t i;
  if(!fh->cur_id) {
    violation(fh, "record_set(%s) outside a record", id ? id : "(null)");
    return HRSYNC_E_INTERNAL;
  }
  if(!id || !id[0]) {
    violation(fh, "record_set without a field id in record %s", fh->cur_id);
    return HRSYNC_E_INTERNAL;
  }
  for(i = 0; i < fh->cur.n; i++)
    if(!strcmp(((hrsync_kv *)vec_at(&fh->cur, i))->name, id))
      violation(fh, "field %s set twice in record %s", id, fh->cur_id);
  kv = vec_push(&fh->cur);
  kv->name = xstrdup(id);
  kv->value = xstrdup(value);
  return HRSYNC_OK;
}

static hrsync_status svc_record_end(hrsync_host_ctx *fh)
{
  fh_record *r;
  if(!fh->cur_id) {
    violation(fh, "record_end outside a record");
    return HRSYNC_E_INTERNAL;
  }
  r = vec_push(&fh->records);
  r->hris_id = fh->cur_id;
  r->n_fields = fh->cur.n;
  r->fields = xmalloc((fh->cur.n ? fh->cur.n : 1) * sizeof(hrsync_kv));
  if(fh->cur.n)
    memcpy(r->fields, fh->cur.items, fh->cur.n * sizeof(hrsync_kv));
  fh->cur.n = 0;
  fh->cur_id = NULL;
  return HRSYNC_OK;
}

/* ---- setup -------------------------------------------------------- */

fh_host *fh_new(void)
{
  fh_host *fh = xmalloc(sizeof(*fh));
  memset(fh, 0, sizeof(*fh));
  fh->table.abi_major = HRSYNC_ABI_MAJOR;
  fh->table.abi_minor = HRSYNC_ABI_MINOR;
  fh->table.struct_size = sizeof(hrsync_host);
  fh->table.log = svc_log;
  fh->table.set_error = svc_set_error;
  fh->table.setting = svc_setting;
  fh->table.secret = svc_secret;
  fh->table.mark_secret = svc_mark_secret;
  fh->table.http = svc_http;
  fh->table.wanted_field = svc_wanted_field;
  fh->table.field = svc_field;
  fh->table.record_begin = svc_record_begin;
  fh->table.record_set = svc_record_set;
  fh->table.record_end = svc_record_end;
  fh->table.alloc = malloc;
  fh->table.realloc = realloc;
  fh->table.free = free;
  fh->table.field_withheld = svc_field_withheld;
  fh->table.roster_total = svc_roster_total;
  fh->table.changed_since = svc_changed_since;
  fh->table.changed_only = svc_changed_only;
  fh->table.http_stream = svc_http_stream;
  fh->stream_chunk = 7; /* small and odd: every test splits tokens */
  fh->break_after = (size_t)-1;
  fh->total = -1;
  vec_init(&fh->settings, sizeof(hrsync_kv));
  vec_init(&fh->secrets, sizeof(hrsync_kv));
  vec_init(&fh->wanted, sizeof(char *));
  vec_init(&fh->queue, sizeof(canned));
  vec_init(&fh->requests, sizeof(fh_request));
  vec_init(&fh->records, sizeof(fh_record));
  vec_init(&fh->cur, sizeof(hrsync_kv));
  vec_init(&fh->fields, sizeof(fh_field));
  vec_init(&fh->logs, sizeof(log_line));
  vec_init(&fh->marked, sizeof(char *));
  vec_init(&fh->violations, sizeof(char *));
  vec_init(&fh->withheld, sizeof(hrsync_kv)); /* was missing: size 0 */
  fh->abort_at = (size_t)-1;
  return fh;
}

static void free_kvs(vec *v)
{
  size_t i;
  for(i = 0; i < v->n; i++) {
    hrsync_kv *kv = vec_at(v, i);
    free((char *)kv->name);
    free((char *)kv->value);
  }
  v->n = 0;
}

static void free_strs(vec *v)
{
  size_t i;
  for(i = 0; i < v->n; i++)
    free(*(char **)vec_at(v, i));
  v->n = 0;
}

void fh_clear(fh_host *fh)
{
  size_t i, j;
  for(i = 0; i < fh->requests.n; i++) {
    fh_request *r = vec_at(&fh->requests, i);
    free(r->method);
    free(r->url);
    for(j = 0; j < r->n_headers; j++) {
      free((char *)r->headers[j].name);
      free((char *)r->headers[j].value);
    }
    free(r->headers);
    free(r->body);
    free(r->basic_user);
    free(r->basic_password);
  }
  fh->requests.n = 0;
  for(i = 0; i < fh->records.n; i++) {
    fh_record *r = vec_at(&fh->records, i);
    for(j = 0; j < r->n_fields; j++) {
      free((char *)r->fields[j].name);
      free((char *)r->fields[j].value);
    }
    free(r->fields);
    free(r->hris_id);
  }
  fh->records.n = 0;
  free_cur(fh);
  for(i = 0; i < fh->fields.n; i++) {
    fh_field *f = vec_at(&fh->fields, i);
    free(f->id);
    free(f->label);
  }
  fh->fields.n = 0;
  for(i = 0; i < fh->logs.n; i++)
    free(((log_line *)vec_at(&fh->logs, i))->text);
  fh->logs.n = 0;
  free_strs(&fh->violations);
  free(fh->error);
  fh->error = NULL;
  fh->n_errors = 0;
}

void fh_free(fh_host *fh)
{
  size_t i;
  if(!fh)
    return;
  fh_clear(fh);
  free_response(fh);
  free_kvs(&fh->settings);
  free_kvs(&fh->secrets);
  free_strs(&fh->wanted);
  free_strs(&fh->marked);
  free_kvs(&fh->withheld);
  free(fh->since);
  free(fh->withheld.items);
  for(i = 0; i < fh->queue.n; i++) {
    canned *c = vec_at(&fh->queue, i);
    free(c->headers);
    free(c->body);
  }
  free(fh->settings.items);
  free(fh->secrets.items);
  free(fh->wanted.items);
  free(fh->queue.items);
  free(fh->requests.items);
  free(fh->records.items);
  free(fh->cur.items);
  free(fh->fields.items);
  free(fh->logs.items);
  free(fh->marked.items);
  free(fh->violations.items);
  free(fh);
}

static void kv_put(vec *v, const char *key, const char *value)
{
  size_t i;
  hrsync_kv *kv;
  for(i = 0; i < v->n; i++) {
    kv = vec_at(v, i);
    if(!strcmp(kv->name, key)) {
      free((char *)kv->value);
      kv->value = xstrdup(value);
      return;
    }
  }
  kv = vec_push(v);
  kv->name = xstrdup(key);
  kv->value = xstrdup(value);
}

void fh_setting(fh_host *fh, const char *key, const char *value)
{
  kv_put(&fh->settings, key, value);
}

void fh_secret(fh_host *fh, const char *key, const char *value)
{
  kv_put(&fh->secrets, key, value);
}

void fh_want(fh_host *fh, const char *field_id)
{
  *(char **)vec_push(&fh->wanted) = xstrdup(field_id);
}

void fh_queue_n(fh_host *fh, unsigned status, const char *headers,
                const char *body, size_t body_len)
{
  canned *c = vec_push(&fh->queue);
  c->status = status;
  c->headers = xstrdup(headers);
  c->body = body ? xmemdup(body, body_len) : NULL;
  c->body_len = body ? body_len : 0;
}

void fh_queue(fh_host *fh, unsigned status, const char *headers,
              const char *body)
{
  fh_queue_n(fh, status, headers, body, body ? strlen(body) : 0);
}

void fh_queue_transport_error(fh_host *fh)
{
  canned *c = vec_push(&fh->queue);
  c->transport_error = 1;
}

void fh_set_responder(fh_host *fh, fh_responder_fn fn, void *arg)
{
  fh->responder = fn;
  fh->responder_arg = arg;
}

void fh_abort_at(fh_host *fh, size_t n)
{
  fh->abort_at = n;
}

const hrsync_host *fh_table(fh_host *fh)
{
  return &fh->table;
}

/* ---- driving ------------------------------------------------------ */

static char load_error[512];

const hrsync_connector *fh_load(const char *path)
{
  void *h;
  union {
    void *obj;
    hrsync_connector_entry_fn fn;
  } entry;
  const hrsync_connector *desc;
  if(!path) {
    snprintf(load_error, sizeof(load_error), "no plugin path given");
    return NULL;
  }
  /* Never dlclose()d: sanitizer traces keep their symbols. */
  h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if(!h) {
    snprintf(load_error, sizeof(load_error), "%s", dlerror());
    return NULL;
  }
  entry.obj = dlsym(h, HRSYNC_ENTRY_SYMBOL);
  if(!entry.obj) {
    snprintf(load_error, sizeof(load_error), "%s: no %s", path,
             HRSYNC_ENTRY_SYMBOL);
    return NULL;
  }
  desc = entry.fn(HRSYNC_ABI_MAJOR, HRSYNC_ABI_MINOR);
  if(!desc)
    snprintf(load_error, sizeof(load_error), "%s: entry refused the host",
             path);
  return desc;
}

const char *fh_load_error(void)
{
  return load_error;
}

hrsync_status fh_open(fh_host *fh, const hrsync_connector *desc,
                      hrsync_conn **out)
{
  fh->desc = desc;
  *out = NULL;
  return desc->open(&fh->table, fh, out);
}

hrsync_status fh_fetch_all(fh_host *fh, const hrsync_connector *desc,
                           hrsync_conn *conn, size_t max_pages, size_t *pages)
{
  size_t n = 0;
  hrsync_status st = HRSYNC_OK;
  int more = 1;
  while(more) {
    if(n == max_pages) {
      violation(fh, "still has_more after %zu next_page calls", n);
      st = HRSYNC_E_INTERNAL;
      break;
    }
    more = 0;
    st = desc->next_page(conn, &more);
    n++;
    /* A response lives only until the callback returns. */
    free_response(fh);
    if(st != HRSYNC_OK)
      break;
    if(fh->cur_id)
      violation(fh, "next_page returned inside record %s", fh->cur_id);
  }
  if(pages)
    *pages = n;
  return st;
}

/* ---- inspection --------------------------------------------------- */

size_t fh_n_requests(const fh_host *fh)
{
  return fh->requests.n;
}

const fh_request *fh_request_at(const fh_host *fh, size_t i)
{
  return vec_at(&fh->requests, i);
}

const char *fh_request_header(const fh_request *req, const char *name)
{
  size_t i;
  for(i = 0; req && i < req->n_headers; i++)
    if(!strcasecmp(req->headers[i].name, name))
      return req->headers[i].value;
  return NULL;
}

size_t fh_request_header_count(const fh_request *req, const char *name)
{
  size_t i, n = 0;
  for(i = 0; req && i < req->n_headers; i++)
    if(!strcasecmp(req->headers[i].name, name))
      n++;
  return n;
}

size_t fh_n_records(const fh_host *fh)
{
  return fh->records.n;
}

const fh_record *fh_record_at(const fh_host *fh, size_t i)
{
  return vec_at(&fh->records, i);
}

const fh_record *fh_record_find(const fh_host *fh, const char *hris_id)
{
  size_t i;
  for(i = 0; i < fh->records.n; i++) {
    const fh_record *r = vec_at(&fh->records, i);
    if(!strcmp(r->hris_id, hris_id))
      return r;
  }
  return NULL;
}

const char *fh_record_get(const fh_record *rec, const char *id, int *present)
{
  size_t i;
  if(present)
    *present = 0;
  for(i = 0; rec && i < rec->n_fields; i++)
    if(!strcmp(rec->fields[i].name, id)) {
      if(present)
        *present = 1;
      return rec->fields[i].value;
    }
  return NULL;
}

size_t fh_n_fields(const fh_host *fh)
{
  return fh->fields.n;
}

const fh_field *fh_field_at(const fh_host *fh, size_t i)
{
  return vec_at(&fh->fields, i);
}

const fh_field *fh_field_find(const fh_host *fh, const char *id)
{
  size_t i;
  for(i = 0; i < fh->fields.n; i++) {
    const fh_field *f = vec_at(&fh->fields, i);
    if(!strcmp(f->id, id))
      return f;
  }
  return NULL;
}

size_t fh_n_logs(const fh_host *fh)
{
  return fh->logs.n;
}

const char *fh_log_at(const fh_host *fh, size_t i, uint32_t *level)
{
  const log_line *l = vec_at(&fh->logs, i);
  if(!l)
    return NULL;
  if(level)
    *level = l->level;
  return l->text;
}

size_t fh_log_count(const fh_host *fh, uint32_t level, const char *needle)
{
  size_t i, n = 0;
  for(i = 0; i < fh->logs.n; i++) {
    const log_line *l = vec_at(&fh->logs, i);
    if(l->level == level && strstr(l->text, needle))
      n++;
  }
  return n;
}

const char *fh_error(const fh_host *fh)
{
  return fh->error;
}

size_t fh_n_errors(const fh_host *fh)
{
  return fh->n_errors;
}

size_t fh_n_marked(const fh_host *fh)
{
  return fh->marked.n;
}

const char *fh_marked_at(const fh_host *fh, size_t i)
{
  char **p = vec_at(&fh->marked, i);
  return p ? *p : NULL;
}

const char *fh_withheld(const fh_host *fh, const char *field_id)
{
  size_t i;
  for(i = 0; i < fh->withheld.n; i++) {
    const hrsync_kv *kv = vec_at(&fh->withheld, i);
    if(!strcmp(kv->name, field_id))
      return kv->value;
  }
  return NULL;
}

size_t fh_n_withheld(const fh_host *fh)
{
  return fh->withheld.n;
}

long long fh_total(const fh_host *fh)
{
  return fh->total;
}

int fh_is_marked(const fh_host *fh, const char *value)
{
  size_t i;
  for(i = 0; i < fh->marked.n; i++)
    if(!strcmp(*(char **)vec_at(&fh->marked, i), value))
      return 1;
  return 0;
}

size_t fh_violations(const fh_host *fh)
{
  return fh->violations.n;
}

const char *fh_violation_at(const fh_host *fh, size_t i)
{
  char **p = vec_at(&fh->violations, i);
  return p ? *p : NULL;
}
