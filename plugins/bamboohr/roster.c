/*
** BambooHR roster, in one of two modes:
**
**   custom_report  POST /v1/reports/custom?format=JSON: everyone, active
**                  and inactive, in one response. Marked deprecated but
**                  what every integration uses. Here.
**   dataset        POST /v2/datasets/employee/data: the successor, with
**                  its own field names (dataset.c).
**
** Both ask only for the fields the config uses, plus the id, hireDate
** (the hire date rule) and status. BambooHR drops fields the key's user
** may not see: the custom report leaves them out of its fields[] (and
** sends them null, or not at all); such a field is reported to the host
** as withheld, so it is unknown rather than empty.
*/
#include "bamboohr.h"

#include <json-c/printbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields to request: id first, the wanted ones, then what the
** connector derives from. The caller puts *out. */
hrsync_status bhr_requested_fields(hrsync_conn *c, json_object **out)
{
  static const char *const own_tail[] = {"hireDate", "status"};
  json_object *arr = json_object_new_array(), *set = json_object_new_object();
  const char *f;
  size_t i;
  hrsync_status st = HRSYNC_OK;
  *out = NULL;
  if(!arr || !set) {
    json_object_put(arr);
    json_object_put(set);
    return HRSYNC_E_NOMEM;
  }
  json_object_array_add(arr, json_object_new_string("id"));
  json_object_object_add(set, "id", NULL);
  for(i = 0; (f = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    /* "hrsync." ids are the SDK's, never BambooHR's. */
    if(!*f || !strncmp(f, "hrsync.", 7) ||
       json_object_object_get_ex(set, f, NULL))
      continue;
    json_object_object_add(set, f, NULL);
    json_object_array_add(arr, json_object_new_string(f));
  }
  for(i = 0; i < sizeof(own_tail) / sizeof(own_tail[0]); i++) {
    if(json_object_object_get_ex(set, own_tail[i], NULL))
      continue;
    json_object_object_add(set, own_tail[i], NULL);
    json_object_array_add(arr, json_object_new_string(own_tail[i]));
  }
  json_object_put(set);
  if(json_object_array_length(arr) > BHR_MAX_FIELDS)
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                       "the config uses %zu BambooHR fields; a report "
                       "takes at most %d",
                       json_object_array_length(arr), BHR_MAX_FIELDS);
  if(st != HRSYNC_OK)
    json_object_put(arr);
  else
    *out = arr;
  return st;
}

int bhr_no_hire_date(const hsp_jv *v)
{
  const char *s = hsp_jv_string(v);
  if(hsp_jv_kind(v) == HSP_JV_NULL)
    return 1;
  if(!s)
    return 0;
  while(*s == ' ')
    s++;
  return !*s || !strncmp(s, "0000-00-00", 10);
}

/* The error for an answer without its list member: BambooHR's own
** {"error": {"message"}} when it sent one (some endpoints do, with 200),
** else the shape. */
hrsync_status bhr_shape_error(hrsync_conn *c, const hsp_jv *root,
                              const char *what, const char *member)
{
  char tmp[64];
  const char *msg =
      hsp_jv_text(hsp_jv_path(root, "error.message"), tmp, sizeof(tmp), c->pb);
  if(msg && *msg)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_HTTP,
                         "%s: BambooHR error: %s", what, msg);
  return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: '%s' is not an array", what, member);
}

const char *bhr_id_text(const hsp_jv *v, char *tmp, size_t cap)
{
  hsp_jv_type t = hsp_jv_kind(v);
  if(t != HSP_JV_STRING && t != HSP_JV_INT)
    return NULL;
  return hsp_jv_text(v, tmp, cap, NULL); /* a scalar: no printbuf */
}

hrsync_status bhr_emit_member(hrsync_conn *c, const char *key,
                              const hsp_jv *val)
{
  if(c->withheld && json_object_object_get_ex(c->withheld, key, NULL))
    return HRSYNC_OK; /* withheld: absent, not empty */
  if(!*key) {
    /* Not a field id the SDK allows: skipped, said once a run. */
    if(!c->warned_empty_key)
      hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                  "BambooHR sent an employee member with an empty name; "
                  "skipped it (and any more like it)");
    c->warned_empty_key = 1;
    return HRSYNC_OK;
  }
  /* "hrsync." ids are reserved: an answer cannot skip people. */
  if(!strncmp(key, "hrsync.", 7))
    return HRSYNC_OK;
  return hsp_emit_jv(&c->hh, key, val, c->pb);
}

/* Emits one employee: every member of fields as a record field (values
** as sent: "0000-00-00" too, the engine treats it as empty), and the skip
** reason when there is no hire date. id is the hris id; when fields lacks
** an "id" member it is added. A repeated id is skipped (seen). */
hrsync_status bhr_emit_employee(hrsync_conn *c, const char *id,
                                const hsp_jv *fields, hsp_idset *seen)
{
  const hsp_jv *m;
  const hrsync_host *h = c->hh.h;
  hrsync_status st;
  int fresh = hsp_idset_add(seen, id);
  if(fresh < 0)
    return HRSYNC_E_NOMEM;
  if(!fresh) {
    hrsync_logf(h, c->hh.ctx, HRSYNC_LOG_INFO,
                "employee %s listed twice; kept the first", id);
    return HRSYNC_OK;
  }
  st = h->record_begin(c->hh.ctx, id);
  if(st == HRSYNC_OK && !hsp_jv_get(fields, "id"))
    st = h->record_set(c->hh.ctx, "id", id);
  for(m = hsp_jv_first(fields); m && st == HRSYNC_OK;
      m = hsp_jv_next(fields, m))
    st = bhr_emit_member(c, m->key, m);
  if(st == HRSYNC_OK && bhr_no_hire_date(hsp_jv_get(fields, "hireDate")))
    st = h->record_set(c->hh.ctx, HRSYNC_FIELD_SKIP_REASON, BHR_NO_HIRE_DATE);
  if(st == HRSYNC_OK)
    st = h->record_end(c->hh.ctx);
  return st;
}

/* Whether the report's fields[] lists f. */
static int listed(json_object *got, const char *f)
{
  size_t j;
  for(j = 0; j < json_object_array_length(got); j++) {
    json_object *e = json_object_array_get_idx(got, j), *idv;
    char tmp[64];
    const char *gid;
    if(!json_object_object_get_ex(e, "id", &idv))
      continue;
    gid = hsp_json_text(idv, tmp, sizeof(tmp));
    if(gid && !strcmp(gid, f))
      return 1;
  }
  return 0;
}

/* The custom report's answer, streamed: employees are emitted as they
** arrive once it is known which fields BambooHR withheld, that is once
** fields[] has come (it comes first) and some employee has a value for a
** requested field (the first one does, in any real company). Until then
** employees wait, as their own JSON text; an answer where fields[] comes
** last, or where no one has a value, waits whole (the rare shapes cost
** memory, never correctness). */
typedef struct report_walk {
  hrsync_conn *c;
  const char *what;
  json_object *asked;       /* the requested field ids (borrowed) */
  json_object *got;         /* the report's fields[] (a reference), or NULL */
  int any_value;            /* an employee has a value for a requested field */
  int resolved;             /* the withheld fields are known */
  hsp_idset seen;           /* hris ids emitted */
  size_t n;                 /* employees */
  struct printbuf *waiting; /* "<idx>\t<json>\0" per waiting employee */
  size_t n_waiting;
} report_walk;

/* Records f as withheld: its values are not emitted (absent, not empty,
** whatever the host version) and a 1.2 host is told why. */
static void withhold(hrsync_conn *c, const char *f, const char *why)
{
  if(!c->withheld)
    c->withheld = json_object_new_object();
  if(!c->withheld || json_object_object_get_ex(c->withheld, f, NULL))
    return;
  json_object_object_add(c->withheld, f, NULL);
  if(HRSYNC_HOST_HAS(c->hh.h, field_withheld))
    c->hh.h->field_withheld(c->hh.ctx, f, why);
}

static const char WHY_OMITTED[] =
    "left out of the custom report's fields: the API key's user may not see "
    "it (BambooHR: Settings > Access Levels), or the tenant has no such "
    "field";
static const char WHY_ALL_NULL[] =
    "every requested field is null for every employee: the API key's user "
    "may see none of them (BambooHR: Settings > Access Levels)";

/* Tells the host which requested fields BambooHR withheld, as the notes
** document it: left out of the report's fields[] (got, may be NULL), or
** every requested field but the id null for everyone (a key that sees
** nothing but ids). A single field null for everyone is not enough: an
** unused field (address2, terminationDate on a young company) looks the
** same, and calling it withheld would refuse syncs that are fine. One
** INFO line names the left-out fields for -v. */
static void report_withheld(hrsync_conn *c, json_object *asked,
                            const report_walk *rw)
{
  json_object *got = rw->got;
  const hrsync_host *h = c->hh.h;
  char list[900];
  size_t i, n = 0, len = 0, all_null = 0, n_asked = 0;
  list[0] = 0;
  for(i = 0; i < json_object_array_length(asked); i++) {
    const char *f =
        json_object_get_string(json_object_array_get_idx(asked, i));
    if(!strcmp(f, "id"))
      continue; /* every employee carries it whatever fields[] says */
    n_asked++;
    all_null += rw->n && !rw->any_value;
    if(!got || listed(got, f))
      continue;
    n++;
    withhold(c, f, WHY_OMITTED);
    if(len < sizeof(list)) {
      int m = snprintf(list + len, sizeof(list) - len, "%s%s",
                       n > 1 ? ", " : "", f);
      len += m > 0 ? (size_t)m : 0;
    }
  }
  if(n_asked && all_null == n_asked)
    for(i = 0; i < json_object_array_length(asked); i++) {
      const char *f =
          json_object_get_string(json_object_array_get_idx(asked, i));
      if(strcmp(f, "id") && (!got || listed(got, f)))
        withhold(c, f, WHY_ALL_NULL);
    }
  if(n)
    /* INFO, not WARN: the host already warns about withheld fields; this
    ** says why, for -v. */
    hrsync_logf(h, c->hh.ctx, HRSYNC_LOG_INFO,
                "the custom report left out %zu requested field%s (the API "
                "key's user may not see %s, or %s not exist): %s",
                n, n > 1 ? "s" : "", n > 1 ? "them" : "it",
                n > 1 ? "they do" : "it does", list);
}

/* Members other than employees: fields[] is kept; BambooHR's own
** {"error": {"message"}} (some endpoints send it with a 200) ends the
** walk. */
static hrsync_status on_member(void *arg, const char *key, const hsp_jv *v)
{
  report_walk *rw = arg;
  char tmp[64];
  const char *msg;
  if(!strcmp(key, "fields")) {
    if(hsp_jv_kind(v) != HSP_JV_ARRAY)
      return hrsync_errorf(rw->c->hh.h, rw->c->hh.ctx, HRSYNC_E_PARSE,
                           "%s: 'fields' is not an array", rw->what);
    /* Once a report, small: the json-c helpers above read it. */
    json_object_put(rw->got);
    if(!(rw->got = hsp_jv_json(v)))
      return HRSYNC_E_NOMEM;
  }
  else if(!strcmp(key, "error") &&
          (msg = hsp_jv_text(hsp_jv_path(v, "message"), tmp, sizeof(tmp),
                             rw->c->pb)) &&
          *msg)
    return hrsync_errorf(rw->c->hh.h, rw->c->hh.ctx, HRSYNC_E_HTTP,
                         "%s: BambooHR error: %s", rw->what, msg);
  return HRSYNC_OK;
}

/* Whether e has a value for a requested field other than the id. */
static int has_value(const report_walk *rw, const hsp_jv *e)
{
  size_t i, n = json_object_array_length(rw->asked);
  for(i = 0; i < n; i++) {
    const char *f =
        json_object_get_string(json_object_array_get_idx(rw->asked, i));
    if(strcmp(f, "id") && hsp_jv_kind(hsp_jv_get(e, f)) != HSP_JV_NULL)
      return 1;
  }
  return 0;
}

/* One employee: checked and emitted. */
static hrsync_status emit_one(report_walk *rw, const hsp_jv *e, size_t i)
{
  char tmp[64];
  const char *id;
  if(hsp_jv_kind(e) != HSP_JV_OBJECT)
    return hrsync_errorf(rw->c->hh.h, rw->c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: employees[%zu] is not an object", rw->what, i);
  id = bhr_id_text(hsp_jv_get(e, "id"), tmp, sizeof(tmp));
  if(!id || !*id)
    return hrsync_errorf(rw->c->hh.h, rw->c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: employees[%zu] has no id", rw->what, i);
  return bhr_emit_employee(rw->c, id, e, &rw->seen);
}

/* The withheld fields are known: said, then the waiting employees go. */
static hrsync_status resolve(report_walk *rw)
{
  const char *p = rw->waiting ? rw->waiting->buf : NULL;
  size_t k;
  hrsync_status st = HRSYNC_OK;
  rw->resolved = 1;
  report_withheld(rw->c, rw->asked, rw);
  if(rw->n_waiting && !rw->c->doc && !(rw->c->doc = hsp_jdoc_new()))
    return HRSYNC_E_NOMEM;
  for(k = 0; !st && k < rw->n_waiting; k++) {
    char *tab;
    size_t idx = (size_t)strtoul(p, &tab, 10), len = strlen(tab + 1);
    const hsp_jv *e;
    st = hsp_jdoc_parse(&rw->c->hh, rw->c->doc, rw->what, tab + 1, len, &e);
    if(!st)
      st = emit_one(rw, e, idx);
    p = tab + 1 + len + 1;
  }
  printbuf_free(rw->waiting);
  rw->waiting = NULL;
  rw->n_waiting = 0;
  return st;
}

static hrsync_status wait_one(report_walk *rw, const hsp_jv *e, size_t i)
{
  /* Anything but an object fails as such once read again. */
  char tmp[64];
  const char *text = hsp_jv_kind(e) == HSP_JV_OBJECT
                         ? hsp_jv_text(e, tmp, sizeof(tmp), rw->c->pb)
                         : "null";
  if(!rw->waiting && !(rw->waiting = printbuf_new()))
    return HRSYNC_E_NOMEM;
  if(!text || sprintbuf(rw->waiting, "%zu\t", i) < 0 ||
     printbuf_memappend(rw->waiting, text, (int)strlen(text) + 1) < 0)
    return HRSYNC_E_NOMEM;
  rw->n_waiting++;
  return HRSYNC_OK;
}

/* Each employee as it arrives. */
static hrsync_status on_employee(void *arg, const hsp_jv *e, size_t i)
{
  report_walk *rw = arg;
  hrsync_status st;
  rw->n++;
  if(rw->resolved)
    return emit_one(rw, e, i);
  if(!rw->any_value && hsp_jv_kind(e) == HSP_JV_OBJECT)
    rw->any_value = has_value(rw, e);
  if(!rw->got || !rw->any_value)
    return wait_one(rw, e, i);
  st = resolve(rw);
  return st ? st : emit_one(rw, e, i);
}

/* The answer holds everyone at once; it is streamed and read one
** employee at a time, never held (see README). */
static hrsync_status custom_report(hrsync_conn *c)
{
  static const char what[] = "/v1/reports/custom";
  json_object *fields = NULL, *body = NULL;
  hsp_jstream *s = NULL;
  report_walk rw;
  hrsync_status st;
  memset(&rw, 0, sizeof(rw));
  rw.c = c;
  rw.what = what;
  st = bhr_requested_fields(c, &fields);
  if(st != HRSYNC_OK)
    return st;
  rw.asked = fields;
  body = json_object_new_object();
  if(!body) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  json_object_object_add(body, "title", json_object_new_string("hrsync"));
  json_object_object_add(body, "fields", json_object_get(fields));
  /* One row per employee, not one per history-table row. */
  json_object_object_add(body, "filterDuplicates",
                         json_object_new_string("yes"));
  st = hsp_jstream_new(&c->hh, what, "employees", on_employee, on_member, &rw,
                       &s);
  if(st == HRSYNC_OK)
    st = bhr_send_stream(
        c, "POST", "/v1/reports/custom?format=JSON",
        json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN), what,
        hsp_jstream_chunk, s);
  if(st == HRSYNC_OK)
    st = hsp_jstream_end(s);
  if(st == HRSYNC_OK && !rw.resolved)
    st = resolve(&rw);
out:
  hsp_jstream_free(s);
  printbuf_free(rw.waiting);
  json_object_put(rw.got);
  hsp_idset_free(&rw.seen);
  json_object_put(body);
  json_object_put(fields);
  return st;
}

hrsync_status bhr_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_status st = HRSYNC_OK;
  if(!c->done) {
    if(c->roster == BHR_ROSTER_DATASET)
      st = bhr_dataset_page(c);
    else {
      int honoured = 0;
      st = bhr_changed_since(c, &honoured);
      if(st == HRSYNC_OK && !honoured)
        st = custom_report(c);
      c->done = 1;
    }
  }
  *has_more = st == HRSYNC_OK && !c->done;
  return st;
}
