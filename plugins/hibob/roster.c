/*
** HiBob roster: POST /v1/people/search, every employee in one answer.
**
** The search asks for exactly the fields the config uses (plus root.id),
** with showInactive (terminated people are hidden otherwise, and a sync
** must see them leave) and humanReadable APPEND (display values of list
** fields mirrored under "humanReadable", so `work.department =
** Engineering` works without a named-list lookup).
**
** Two answer shapes are documented and both are read: employees nested by
** each field's jsonPath ({"work": {"department": "123"}}), and
** "/category/field" keys at the top level whose value may be wrapped as
** {"value": x}, with a humanReadable object keyed the same way. A field
** missing from an employee is not set at all: HiBob silently omits
** fields the service user may not see, and absent is not empty.
*/
#include "hibob.h"

#include <json-c/printbuf.h>
#include <stdlib.h>
#include <string.h>

static const char SEARCH_PATH[] = "/v1/people/search";

/* A search that finds nobody: HiBob's answer (200, no employees) to a
** service user whose permission group lacks the categories. */
static const char NO_PEOPLE[] =
    "the service user's permission group cannot see employees (People > "
    "Permissions: Employed, Hired, Terminated)";

static int is_scalar(const hsp_jv *v)
{
  hsp_jv_type t = hsp_jv_kind(v);
  return t == HSP_JV_STRING || t == HSP_JV_INT || t == HSP_JV_DOUBLE ||
         t == HSP_JV_BOOL;
}

/* Scratch for turning values into text: tmp for numbers, pb for the
** value being built, js for the compact JSON of an array's object item. */
typedef struct scratch {
  char tmp[64];
  struct printbuf *pb;
  struct printbuf *js;
} scratch;

/* One list item id (string or number) -> its display name, or the id
** itself when the named lists do not know it. */
static hrsync_status item_name(hrsync_conn *c, const hb_field *f,
                               const hsp_jv *item, scratch *sc,
                               const char **out)
{
  const char *id = hsp_jv_text(item, sc->tmp, sizeof(sc->tmp), sc->js);
  const char *name = NULL;
  hrsync_status st = HRSYNC_OK;
  if(id && f->list_id)
    st = hb_list_item(c, f->list_id, id, &name);
  *out = name ? name : id;
  return st;
}

/* Joins the text of every element of arr into sc->pb. */
static hrsync_status join_all(const hsp_jv *arr, scratch *sc)
{
  const hsp_jv *it;
  hrsync_status st = HRSYNC_OK;
  for(it = hsp_jv_first(arr); !st && it; it = hsp_jv_next(arr, it))
    st = hsp_join(sc->pb, hsp_jv_text(it, sc->tmp, sizeof(sc->tmp), sc->js));
  return st;
}

/* Joins the display values of a multi-list: the mirror when HiBob sent
** one, else each item resolved through the named lists. */
static hrsync_status multi_text(hrsync_conn *c, const hb_field *f,
                                const hsp_jv *raw, const hsp_jv *hr,
                                scratch *sc)
{
  const hsp_jv *it;
  hrsync_status st = HRSYNC_OK;
  if(hsp_jv_kind(hr) == HSP_JV_ARRAY)
    return join_all(hr, sc);
  for(it = hsp_jv_first(raw); !st && it; it = hsp_jv_next(raw, it)) {
    const char *name;
    if(!is_scalar(it))
      continue;
    st = item_name(c, f, it, sc, &name);
    if(!st)
      st = hsp_join(sc->pb, name);
  }
  return st;
}

/* The record text of an employee reference {id, displayName, ...} or a
** currency or other {value: x} wrapper. */
static hrsync_status value_text(hrsync_conn *c, const hb_field *f,
                                const hsp_jv *raw, const hsp_jv *hr,
                                scratch *sc, const char **out);

static hrsync_status object_text(hrsync_conn *c, const hb_field *f,
                                 const hsp_jv *raw, const hsp_jv *hr,
                                 scratch *sc, const char **out)
{
  const char *s = hsp_jv_str(raw, "displayName"), *fn, *sn;
  const hsp_jv *v;
  if(s && *s) {
    *out = s;
    return HRSYNC_OK;
  }
  fn = hsp_jv_str(raw, "firstName");
  sn = hsp_jv_str(raw, "surname");
  if(fn || sn) {
    if(sprintbuf(sc->pb, "%s%s%s", fn ? fn : "", fn && sn ? " " : "",
                 sn ? sn : "") < 0)
      return HRSYNC_E_NOMEM;
    *out = sc->pb->bpos ? sc->pb->buf : NULL;
    return HRSYNC_OK;
  }
  if((v = hsp_jv_get(raw, "value")) || (v = hsp_jv_get(raw, "id")))
    return value_text(c, f, hb_nonnull(v), hr, sc, out);
  if(!(*out = hsp_jv_text(raw, sc->tmp, sizeof(sc->tmp), sc->pb)))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

/* The record text of field f, given its machine value raw and its
** humanReadable mirror hr (NULL when none). *out is NULL for an empty
** value; it is borrowed from raw, hr, the connection or sc. */
static hrsync_status value_text(hrsync_conn *c, const hb_field *f,
                                const hsp_jv *raw, const hsp_jv *hr,
                                scratch *sc, const char **out)
{
  const char *hr_text = hsp_jv_string(hr);
  hrsync_status st = HRSYNC_OK;

  *out = NULL;
  if(!raw)
    return HRSYNC_OK;
  if(hr_text && !*hr_text)
    hr_text = NULL;
  if(hsp_jv_kind(raw) == HSP_JV_ARRAY) {
    if(f->kind == HB_PLAIN && !hr)
      st = join_all(raw, sc);
    else if(hr_text) {
      *out = hr_text;
      return HRSYNC_OK;
    }
    else
      st = multi_text(c, f, raw, hr, sc);
    *out = sc->pb->bpos ? sc->pb->buf : NULL;
    return st;
  }
  if(hsp_jv_kind(raw) == HSP_JV_OBJECT)
    return object_text(c, f, raw, hr, sc, out);
  if(f->kind == HB_PLAIN || (!hr_text && f->kind == HB_REF)) {
    *out = hsp_jv_text(raw, sc->tmp, sizeof(sc->tmp), sc->pb);
    return HRSYNC_OK;
  }
  /* A list item id or an employee id: prefer the display value. */
  if(hr_text) {
    *out = hr_text;
    return HRSYNC_OK;
  }
  return item_name(c, f, raw, sc, out);
}

/* The search body: the wanted fields plus root.id, each once. */
static hrsync_status build_body(hrsync_conn *c, json_object **out)
{
  json_object *body = json_object_new_object();
  json_object *fields = json_object_new_array();
  const char *w;
  size_t i, j;
  *out = NULL;
  if(!body || !fields ||
     json_object_array_add(fields, json_object_new_string("root.id")) ||
     json_object_object_add(body, "fields", fields)) {
    json_object_put(body);
    json_object_put(fields);
    return HRSYNC_E_NOMEM;
  }
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    size_t n = json_object_array_length(fields);
    for(j = 0; j < n; j++)
      if(!strcmp(json_object_get_string(json_object_array_get_idx(fields, j)),
                 w))
        break;
    if(j == n && json_object_array_add(fields, json_object_new_string(w))) {
      json_object_put(body);
      return HRSYNC_E_NOMEM;
    }
  }
  if(json_object_object_add(body, "showInactive",
                            json_object_new_boolean(1)) ||
     json_object_object_add(body, "humanReadable",
                            json_object_new_string("APPEND"))) {
    json_object_put(body);
    return HRSYNC_E_NOMEM;
  }
  *out = body;
  return HRSYNC_OK;
}

/* One employee's record, worked out before any of it is emitted (a
** value that needs the named lists mid-stream makes it wait whole). */
typedef struct stage {
  size_t *field; /* index into the requested fields */
  size_t *off;   /* its text in vals, or NO_VALUE */
  size_t n;
  struct printbuf *vals;
} stage;

#define NO_VALUE ((size_t)-1)

typedef struct emit_ctx {
  hrsync_conn *c;
  hb_want *wants; /* the requested fields, in the search body's order */
  size_t n_wants;
  hb_want key; /* root.id */
  hb_names names;
  uint32_t hr_name;      /* "humanReadable" in names */
  const hsp_jv **at_emp; /* per name: the employee's member, or NULL */
  const hsp_jv **at_hr;  /* per name: the mirror's member, or NULL */
  scratch sc;
  size_t n;               /* employees seen */
  unsigned char *present; /* per requested field: some employee had it */
  stage sg;
  /* Employees waiting for the named lists: "<idx>\t<json>\0" each. */
  struct printbuf *waiting;
  size_t n_waiting;
} emit_ctx;

/* Works out every requested field emp carries (present[i] set for
** each) into e->sg. */
static hrsync_status stage_employee(emit_ctx *e, const hsp_jv *emp)
{
  hrsync_conn *c = e->c;
  const hsp_jv *mirror = hb_nonnull(e->at_emp[e->hr_name]);
  size_t i;
  hrsync_status st = HRSYNC_OK;

  e->sg.n = 0;
  printbuf_reset(e->sg.vals);
  for(i = 0; !st && i < e->n_wants; i++) {
    const hb_want *w = &e->wants[i];
    const hsp_jv *raw = NULL, *hr = NULL;
    const char *text;
    if(!hb_find(emp, e->at_emp, w, &raw))
      continue; /* withheld: not set */
    e->present[i] = 1;
    if(!hb_find(mirror, e->at_hr, w, &hr))
      hr = NULL;
    /* Display values are text; a {"value": x} there is a wrapper. */
    if(hsp_jv_kind(hr) == HSP_JV_OBJECT)
      hr = hb_nonnull(hsp_jv_get(hr, "value"));
    printbuf_reset(e->sc.pb);
    st = value_text(c, &w->f, raw, hr, &e->sc, &text);
    if(st)
      break;
    e->sg.field[e->sg.n] = i;
    e->sg.off[e->sg.n] = text ? (size_t)e->sg.vals->bpos : NO_VALUE;
    e->sg.n++;
    if(text && printbuf_memappend(e->sg.vals, text, (int)strlen(text) + 1) < 0)
      st = HRSYNC_E_NOMEM;
  }
  return st;
}

static hrsync_status emit_staged(emit_ctx *e, const char *hris_id)
{
  const hrsync_host *h = e->c->hh.h;
  hrsync_host_ctx *ctx = e->c->hh.ctx;
  hrsync_status st = h->record_begin(ctx, hris_id);
  size_t k;
  for(k = 0; !st && k < e->sg.n; k++)
    st = h->record_set(
        ctx, e->wants[e->sg.field[k]].id,
        e->sg.off[k] == NO_VALUE ? NULL : e->sg.vals->buf + e->sg.off[k]);
  if(!st)
    st = h->record_end(ctx);
  return st;
}

/* An employee that needs the named lists while the answer streams waits,
** as its own JSON text, until the stream has ended. */
static hrsync_status wait_for_lists(emit_ctx *e, const hsp_jv *emp, size_t idx)
{
  const char *text = hsp_jv_text(emp, e->sc.tmp, sizeof(e->sc.tmp), e->sc.js);
  if(!e->waiting && !(e->waiting = printbuf_new()))
    return HRSYNC_E_NOMEM;
  if(!text || sprintbuf(e->waiting, "%zu\t", idx) < 0 ||
     printbuf_memappend(e->waiting, text, (int)strlen(text) + 1) < 0)
    return HRSYNC_E_NOMEM;
  e->n_waiting++;
  return HRSYNC_OK;
}

/* Emits one employee as a record, or makes it wait for the lists. */
static hrsync_status emit_employee(emit_ctx *e, const hsp_jv *emp, size_t idx)
{
  hrsync_conn *c = e->c;
  const hrsync_host *h = c->hh.h;
  const hsp_jv *idv = NULL;
  char idbuf[64];
  const char *hris_id = NULL;
  hrsync_status st;

  if(hsp_jv_kind(emp) != HSP_JV_OBJECT)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "POST %s: employees[%zu] is not an object",
                         SEARCH_PATH, idx);
  hb_names_index(&e->names, emp, e->at_emp);
  hb_names_index(&e->names, hb_nonnull(e->at_emp[e->hr_name]), e->at_hr);
  if(hb_find(emp, e->at_emp, &e->key, &idv) && is_scalar(idv))
    hris_id = hsp_jv_text(idv, idbuf, sizeof(idbuf), NULL);
  if(!hris_id || !*hris_id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "POST %s: employees[%zu] has no root.id", SEARCH_PATH,
                         idx);
  c->need_lists = 0;
  st = stage_employee(e, emp);
  if(!st && c->need_lists)
    return wait_for_lists(e, emp, idx);
  return st ? st : emit_staged(e, hris_id);
}

static hrsync_status on_employee(void *arg, const hsp_jv *emp, size_t idx)
{
  emit_ctx *e = arg;
  e->n++;
  return emit_employee(e, emp, idx);
}

/* After the stream: the named lists may be loaded now, and the employees
** that waited for them are emitted, in the answer's order. */
static hrsync_status emit_waiting(emit_ctx *e)
{
  const char *p = e->waiting ? e->waiting->buf : NULL;
  hsp_jdoc *d;
  size_t k;
  hrsync_status st = HRSYNC_OK;
  if(!e->n_waiting)
    return HRSYNC_OK;
  if(!(d = hsp_jdoc_new()))
    return HRSYNC_E_NOMEM;
  for(k = 0; !st && k < e->n_waiting; k++) {
    char *tab;
    size_t idx = (size_t)strtoul(p, &tab, 10), len = strlen(tab + 1);
    const hsp_jv *emp;
    st = hsp_jdoc_parse(&e->c->hh, d, "POST /v1/people/search", tab + 1, len,
                        &emp);
    if(!st)
      st = emit_employee(e, emp, idx);
    p = tab + 1 + len + 1;
  }
  hsp_jdoc_free(d);
  return st;
}

static hrsync_status count_only(void *arg, const hsp_jv *emp, size_t idx)
{
  (void)emp;
  (void)idx;
  ((emit_ctx *)arg)->n++;
  return HRSYNC_OK;
}

/* The search, its answer streamed into fn one employee at a time. */
static hrsync_status search(hrsync_conn *c, const char *body, hsp_jelem_fn fn,
                            emit_ctx *e)
{
  hsp_jstream *s;
  hrsync_status st = hsp_jstream_new(&c->hh, "POST /v1/people/search",
                                     "employees", fn, NULL, e, &s);
  if(st)
    return st;
  c->streaming = 1;
  st = hb_send_stream(c, "POST", SEARCH_PATH, body, hsp_jstream_chunk, s);
  c->streaming = 0;
  if(!st)
    st = hsp_jstream_end(s);
  hsp_jstream_free(s);
  return st;
}

/* The field metadata needs no permission at all, so it proves nothing
** about reading people: a one-field search does. Nobody found is a
** permission problem (a HiBob company has at least its admin). */
hrsync_status hb_probe_roster(hrsync_conn *c)
{
  static const char body[] =
      "{\"fields\":[\"root.id\"],\"showInactive\":true}";
  emit_ctx e;
  hrsync_status st;
  memset(&e, 0, sizeof(e));
  st = search(c, body, count_only, &e);
  if(!st && !e.n)
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_AUTH,
                       "POST %s: no employees: %s", SEARCH_PATH, NO_PEOPLE);
  return st;
}

/* HiBob leaves out, for everyone, a field the service user's permission
** group may not see (a field without a value is sent as null). So a
** requested field no employee carried is withheld: unknown, never empty.
** root.id is every record's key and not checked. */
static void declare_withheld(hrsync_conn *c, const emit_ctx *e)
{
  size_t i;
  if(!e->n || !HRSYNC_HOST_HAS(c->hh.h, field_withheld))
    return;
  for(i = 0; i < e->n_wants; i++)
    if(!e->present[i] && strcmp(e->wants[i].id, "root.id"))
      c->hh.h->field_withheld(c->hh.ctx, e->wants[i].id,
                              "no employee carried it: the service user's "
                              "permission group may not see it (Settings > "
                              "Permission groups > the field's category)");
}

/* Resolves the search body's fields once, and the buffers an employee
** needs. */
static hrsync_status emit_init(emit_ctx *e, json_object *fields)
{
  size_t i, n = json_object_array_length(fields);
  e->n_wants = n;
  e->wants = calloc(n + 1, sizeof(hb_want));
  e->sc.pb = printbuf_new();
  e->sc.js = printbuf_new();
  e->sg.vals = printbuf_new();
  e->present = calloc(n + 1, 1);
  e->sg.field = calloc(n + 1, sizeof(size_t));
  e->sg.off = calloc(n + 1, sizeof(size_t));
  /* Three names a field, root.id's and "humanReadable". */
  e->at_emp = calloc(3 * n + 4, sizeof(*e->at_emp));
  e->at_hr = calloc(3 * n + 4, sizeof(*e->at_hr));
  if(!e->wants || !e->sc.pb || !e->sc.js || !e->sg.vals || !e->present ||
     !e->sg.field || !e->sg.off || !e->at_emp || !e->at_hr ||
     hb_names_init(&e->names, 3 * n + 4))
    return HRSYNC_E_NOMEM;
  for(i = 0; i < n; i++)
    hb_want_init(&e->wants[i], &e->names, e->c,
                 json_object_get_string(json_object_array_get_idx(fields, i)));
  hb_want_init(&e->key, &e->names, e->c, "root.id");
  e->hr_name = hb_names_add(&e->names, "humanReadable", 13);
  return HRSYNC_OK;
}

static void emit_free(emit_ctx *e)
{
  hb_names_free(&e->names);
  free(e->at_emp);
  free(e->at_hr);
  free(e->wants);
  free(e->present);
  free(e->sg.field);
  free(e->sg.off);
  printbuf_free(e->sg.vals);
  printbuf_free(e->waiting);
  printbuf_free(e->sc.pb);
  printbuf_free(e->sc.js);
}

hrsync_status hb_next_page(hrsync_conn *c, int *has_more)
{
  json_object *body = NULL, *fields = NULL;
  emit_ctx e;
  hrsync_status st;

  *has_more = 0;
  memset(&e, 0, sizeof(e));
  e.c = c;
  if(c->done)
    return HRSYNC_OK;
  st = hb_schema_load(c);
  if(!st)
    st = build_body(c, &body);
  if(!st) {
    json_object_object_get_ex(body, "fields", &fields);
    st = emit_init(&e, fields);
  }
  if(st)
    goto out;
  st = search(c, json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
              on_employee, &e);
  if(!st)
    st = emit_waiting(&e);
  if(!st)
    declare_withheld(c, &e);
  c->done = 1;
out:
  emit_free(&e);
  json_object_put(body);
  return st;
}
