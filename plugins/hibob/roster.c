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

/* Walks a dotted path. Returns 1 when every member exists (*out may then
** be NULL: a JSON null), 0 when one is missing. */
static int walk(json_object *obj, const char *path, json_object **out)
{
  char key[128];
  while(*path) {
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    if(n >= sizeof(key) || !json_object_is_type(obj, json_type_object))
      return 0;
    memcpy(key, path, n);
    key[n] = 0;
    if(!json_object_object_get_ex(obj, key, &obj))
      return 0;
    path += n + (dot ? 1 : 0);
  }
  *out = obj;
  return 1;
}

/* The "/category/field" key of a dotted name. */
static void slash_key(char *dst, size_t cap, const char *dotted)
{
  size_t i = 0;
  if(cap < 2)
    return;
  dst[i++] = '/';
  for(; *dotted && i + 1 < cap; dotted++)
    dst[i++] = *dotted == '.' ? '/' : *dotted;
  dst[i] = 0;
}

/* Finds field f in obj (an employee or its humanReadable mirror), in
** either documented shape. Returns 1 when present. */
static int find(json_object *obj, const hb_field *f, json_object **out)
{
  const char *names[2];
  char key[256];
  size_t i;
  if(!obj)
    return 0;
  if(walk(obj, f->path, out))
    return 1;
  names[0] = f->id;
  names[1] = f->path;
  for(i = 0; i < 2; i++) {
    json_object *v, *inner;
    slash_key(key, sizeof(key), names[i]);
    if(json_object_object_get_ex(obj, key, &v)) {
      if(json_object_is_type(v, json_type_object) &&
         json_object_object_get_ex(v, "value", &inner))
        v = inner;
      *out = v;
      return 1;
    }
  }
  return 0;
}

static int is_scalar(json_object *v)
{
  return json_object_is_type(v, json_type_string) ||
         json_object_is_type(v, json_type_int) ||
         json_object_is_type(v, json_type_double) ||
         json_object_is_type(v, json_type_boolean);
}

/* One list item id (string or number) -> its display name, or the id
** itself when the named lists do not know it. */
static hrsync_status item_name(hrsync_conn *c, const hb_field *f,
                               json_object *item, char *tmp, size_t cap,
                               const char **out)
{
  const char *id = hsp_json_text(item, tmp, cap), *name = NULL;
  hrsync_status st = HRSYNC_OK;
  if(id && f->list_id)
    st = hb_list_item(c, f->list_id, id, &name);
  *out = name ? name : id;
  return st;
}

/* Joins the display values of a multi-list: the mirror when HiBob sent
** one, else each item resolved through the named lists. */
static hrsync_status multi_text(hrsync_conn *c, const hb_field *f,
                                json_object *raw, json_object *hr,
                                struct printbuf *pb)
{
  char tmp[64];
  size_t i, n;
  hrsync_status st = HRSYNC_OK;
  if(json_object_is_type(hr, json_type_array)) {
    n = json_object_array_length(hr);
    for(i = 0; !st && i < n; i++)
      st = hsp_join(pb, hsp_json_text(json_object_array_get_idx(hr, i), tmp,
                                      sizeof(tmp)));
    return st;
  }
  n = json_object_array_length(raw);
  for(i = 0; !st && i < n; i++) {
    const char *name;
    json_object *it = json_object_array_get_idx(raw, i);
    if(!is_scalar(it))
      continue;
    st = item_name(c, f, it, tmp, sizeof(tmp), &name);
    if(!st)
      st = hsp_join(pb, name);
  }
  return st;
}

/* The record text of field f, given its machine value raw and its
** humanReadable mirror hr (NULL when none). *out is NULL for an empty
** value; it is borrowed from raw, hr, the connection, tmp or pb. */
static hrsync_status value_text(hrsync_conn *c, const hb_field *f,
                                json_object *raw, json_object *hr, char *tmp,
                                size_t cap, struct printbuf *pb,
                                const char **out)
{
  const char *hr_text = json_object_is_type(hr, json_type_string)
                            ? json_object_get_string(hr)
                            : NULL;
  json_object *v;
  const char *fn, *sn;
  size_t i, n;
  hrsync_status st = HRSYNC_OK;

  *out = NULL;
  if(!raw)
    return HRSYNC_OK;
  if(hr_text && !*hr_text)
    hr_text = NULL;
  if(json_object_is_type(raw, json_type_array)) {
    if(f->kind == HB_PLAIN && !hr) {
      n = json_object_array_length(raw);
      for(i = 0; !st && i < n; i++)
        st = hsp_join(
            pb, hsp_json_text(json_object_array_get_idx(raw, i), tmp, cap));
    }
    else if(hr_text) {
      *out = hr_text;
      return HRSYNC_OK;
    }
    else {
      st = multi_text(c, f, raw, hr, pb);
    }
    *out = pb->bpos ? pb->buf : NULL;
    return st;
  }
  if(json_object_is_type(raw, json_type_object)) {
    /* An employee reference {id, displayName, ...}, or a currency or
    ** other {value: x} wrapper. */
    const char *s = hsp_json_str(raw, "displayName");
    if(s && *s) {
      *out = s;
      return HRSYNC_OK;
    }
    fn = hsp_json_str(raw, "firstName");
    sn = hsp_json_str(raw, "surname");
    if(fn || sn) {
      if(sprintbuf(pb, "%s%s%s", fn ? fn : "", fn && sn ? " " : "",
                   sn ? sn : "") < 0)
        return HRSYNC_E_NOMEM;
      *out = pb->bpos ? pb->buf : NULL;
      return HRSYNC_OK;
    }
    if(json_object_object_get_ex(raw, "value", &v) ||
       json_object_object_get_ex(raw, "id", &v))
      return value_text(c, f, v, hr, tmp, cap, pb, out);
    *out = hsp_json_text(raw, tmp, cap);
    return HRSYNC_OK;
  }
  if(f->kind == HB_PLAIN) {
    *out = hsp_json_text(raw, tmp, cap);
    return HRSYNC_OK;
  }
  /* A list item id or an employee id: prefer the display value. */
  if(hr_text) {
    *out = hr_text;
    return HRSYNC_OK;
  }
  if(f->kind == HB_REF) {
    *out = hsp_json_text(raw, tmp, cap);
    return HRSYNC_OK;
  }
  return item_name(c, f, raw, tmp, cap, out);
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

/* The metadata of a requested field id; fields HiBob did not describe
** (an id the search still accepted) are read at the id's own path. */
static hb_field field_of(const hrsync_conn *c, const char *id)
{
  const hb_field *f = hb_schema_find(c, id);
  hb_field tmp;
  if(f)
    return *f;
  memset(&tmp, 0, sizeof(tmp));
  tmp.id = (char *)id;
  tmp.path = (char *)(!strncmp(id, "root.", 5) ? id + 5 : id);
  tmp.kind = HB_PLAIN;
  return tmp;
}

/* Emits one employee as a record: every requested field it carries
** (present[i] set for each). */
static hrsync_status emit_employee(hrsync_conn *c, json_object *emp,
                                   size_t idx, json_object *fields,
                                   struct printbuf *pb, unsigned char *present)
{
  const hrsync_host *h = c->hh.h;
  hb_field key = field_of(c, "root.id");
  json_object *idv = NULL, *mirror = NULL;
  char idbuf[64], tmp[64];
  const char *hris_id = NULL;
  size_t i, n = json_object_array_length(fields);
  hrsync_status st;

  if(!json_object_is_type(emp, json_type_object))
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "POST %s: employees[%zu] is not an object",
                         SEARCH_PATH, idx);
  if(find(emp, &key, &idv) && is_scalar(idv))
    hris_id = hsp_json_text(idv, idbuf, sizeof(idbuf));
  if(!hris_id || !*hris_id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "POST %s: employees[%zu] has no root.id", SEARCH_PATH,
                         idx);
  json_object_object_get_ex(emp, "humanReadable", &mirror);
  st = h->record_begin(c->hh.ctx, hris_id);
  for(i = 0; !st && i < n; i++) {
    const char *id =
        json_object_get_string(json_object_array_get_idx(fields, i));
    hb_field f = field_of(c, id);
    json_object *raw = NULL, *hr = NULL;
    const char *text;
    if(!find(emp, &f, &raw))
      continue; /* withheld: not set */
    present[i] = 1;
    if(!find(mirror, &f, &hr))
      hr = NULL;
    /* Display values are text; a {"value": x} there is a wrapper. */
    if(json_object_is_type(hr, json_type_object) &&
       !json_object_object_get_ex(hr, "value", &hr))
      hr = NULL;
    printbuf_reset(pb);
    st = value_text(c, &f, raw, hr, tmp, sizeof(tmp), pb, &text);
    if(!st)
      st = h->record_set(c->hh.ctx, id, text);
  }
  if(!st)
    st = h->record_end(c->hh.ctx);
  return st;
}

typedef struct emit_ctx {
  hrsync_conn *c;
  json_object *fields;
  struct printbuf *pb;
  size_t n;               /* employees seen */
  unsigned char *present; /* per requested field: some employee had it */
} emit_ctx;

static hrsync_status on_employee(void *arg, json_object *emp, size_t idx)
{
  emit_ctx *e = arg;
  e->n++;
  return emit_employee(e->c, emp, idx, e->fields, e->pb, e->present);
}

static hrsync_status count_only(void *arg, json_object *emp, size_t idx)
{
  (void)emp;
  (void)idx;
  ((emit_ctx *)arg)->n++;
  return HRSYNC_OK;
}

/* The field metadata needs no permission at all, so it proves nothing
** about reading people: a one-field search does. Nobody found is a
** permission problem (a HiBob company has at least its admin). */
hrsync_status hb_probe_roster(hrsync_conn *c)
{
  static const char body[] =
      "{\"fields\":[\"root.id\"],\"showInactive\":true}";
  const hrsync_http_response *resp;
  emit_ctx e = {c, NULL, NULL, 0, NULL};
  hrsync_status st = hb_send(c, "POST", SEARCH_PATH, body, &resp);
  if(!st)
    st = hsp_stream_array(&c->hh, "POST /v1/people/search", resp->body,
                          resp->body_len, "employees", count_only, NULL, &e);
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
  size_t i, n = json_object_array_length(e->fields);
  if(!e->n || !HRSYNC_HOST_HAS(c->hh.h, field_withheld))
    return;
  for(i = 0; i < n; i++) {
    const char *id =
        json_object_get_string(json_object_array_get_idx(e->fields, i));
    if(!e->present[i] && strcmp(id, "root.id"))
      c->hh.h->field_withheld(c->hh.ctx, id,
                              "no employee carried it: the service user's "
                              "permission group may not see it (Settings > "
                              "Permission groups > the field's category)");
  }
}

hrsync_status hb_next_page(hrsync_conn *c, int *has_more)
{
  const hrsync_http_response *resp;
  json_object *body = NULL;
  emit_ctx e = {c, NULL, NULL, 0, NULL};
  char *copy = NULL;
  size_t len = 0;
  hrsync_status st;

  *has_more = 0;
  if(c->done)
    return HRSYNC_OK;
  st = hb_schema_load(c);
  if(!st)
    st = build_body(c, &body);
  if(!st)
    st = hb_send(c, "POST", SEARCH_PATH,
                 json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
                 &resp);
  if(st)
    goto out;
  /* Our own copy: a named-list lookup mid-walk is another request, which
  ** ends the life of the host's response. */
  len = resp->body_len;
  copy = malloc(len + 1);
  e.pb = printbuf_new();
  if(!copy || !e.pb) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  memcpy(copy, resp->body, len);
  copy[len] = 0;
  json_object_object_get_ex(body, "fields", &e.fields);
  e.present = calloc(json_object_array_length(e.fields) + 1, 1);
  if(!e.present) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  st = hsp_stream_array(&c->hh, "POST /v1/people/search", copy, len,
                        "employees", on_employee, NULL, &e);
  if(!st)
    declare_withheld(c, &e);
  c->done = 1;
out:
  free(e.present);
  free(copy);
  printbuf_free(e.pb);
  json_object_put(body);
  return st;
}
