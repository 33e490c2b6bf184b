/*
** BambooHR incremental fetch (SDK 1.3 changed_since):
**
**   GET /v1/employees/changed?since=T      the ids inserted, updated or
**                                          deleted since T
**   GET /v1/employees/{id}?fields=a,b      each inserted or updated one
**
** One request per changed person, so past BHR_CHANGED_MAX people one
** custom report (one request for everyone) is cheaper: then nothing is
** emitted here and the caller reads the whole roster. Deleted people are
** not emitted; the engine's periodic full fetch notices them.
*/
#include "bamboohr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BHR_CHANGED_MAX 200

/* "a,b,c" from the requested field list (escaped for a query). */
static hrsync_status field_query(json_object *fields, char **out)
{
  size_t i, n = json_object_array_length(fields), cap = 1, len = 0;
  char *q;
  for(i = 0; i < n; i++)
    cap += 1 + 3 * strlen(json_object_get_string(
                       json_object_array_get_idx(fields, i)));
  if(!(q = malloc(cap)))
    return HRSYNC_E_NOMEM;
  q[0] = 0;
  for(i = 0; i < n; i++) {
    size_t w;
    if(i)
      q[len++] = ',';
    w = hrsync_url_escape(
        q + len, cap - len,
        json_object_get_string(json_object_array_get_idx(fields, i)));
    if(w == (size_t)-1) {
      free(q);
      return HRSYNC_E_INTERNAL;
    }
    len += w;
  }
  *out = q;
  return HRSYNC_OK;
}

/* Each changed employee that still exists, fetched and emitted. */
static hrsync_status emit_changed(hrsync_conn *c, json_object *emps)
{
  json_object *fields = NULL;
  hsp_idset seen = HSP_IDSET_INIT;
  char *q = NULL;
  hrsync_status st;
  if((st = bhr_requested_fields(c, &fields)) == HRSYNC_OK)
    st = field_query(fields, &q);
  json_object_object_foreach(emps, key, e)
  {
    json_object *action = NULL;
    const hsp_jv *one = NULL;
    char what[128], esc[96];
    const char *act;
    size_t cap;
    char *full;
    if(st != HRSYNC_OK)
      break;
    json_object_object_get_ex(e, "action", &action);
    act = action ? json_object_get_string(action) : "";
    if(!strcmp(act, "Deleted"))
      continue;
    if(hrsync_url_escape(esc, sizeof(esc), key) == (size_t)-1) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "/v1/employees/changed: employee id too long");
      break;
    }
    snprintf(what, sizeof(what), "/v1/employees/%s", esc);
    cap = strlen(what) + strlen(q) + 16;
    if(!(full = malloc(cap))) {
      st = HRSYNC_E_NOMEM;
      break;
    }
    snprintf(full, cap, "%s?fields=%s", what, q);
    st = bhr_call_jv(c, "GET", full, NULL, what, 1, &one);
    free(full);
    if(st == HRSYNC_E_HTTP && c->status == 404) {
      st = HRSYNC_OK; /* gone between the two requests: a full run sees it */
      continue;
    }
    if(st == HRSYNC_OK && hsp_jv_kind(one) != HSP_JV_OBJECT)
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: not an employee object", what);
    if(st == HRSYNC_OK)
      st = bhr_emit_employee(c, key, one, &seen);
  }
  free(q);
  json_object_put(fields);
  hsp_idset_free(&seen);
  return st;
}

hrsync_status bhr_changed_since(hrsync_conn *c, int *honoured)
{
  static const char what[] = "/v1/employees/changed";
  const char *since = HRSYNC_HOST_HAS(c->hh.h, changed_since)
                          ? c->hh.h->changed_since(c->hh.ctx)
                          : NULL;
  json_object *root = NULL, *emps = NULL;
  char path[160], esc[96];
  hrsync_status st;
  *honoured = 0;
  if(!since || !*since || !HRSYNC_HOST_HAS(c->hh.h, changed_only) ||
     hrsync_url_escape(esc, sizeof(esc), since) == (size_t)-1)
    return HRSYNC_OK;
  snprintf(path, sizeof(path), "%s?since=%s", what, esc);
  if((st = bhr_call(c, "GET", path, NULL, what, &root)) != HRSYNC_OK)
    return st;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "employees", &emps) ||
     !(json_object_is_type(emps, json_type_object) ||
       json_object_is_type(emps, json_type_array))) {
    json_object_put(root);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: no 'employees' object", what);
  }
  /* Nobody changed: BambooHR may send an empty list instead of {}. */
  if(json_object_is_type(emps, json_type_array)
         ? json_object_array_length(emps) == 0
         : json_object_object_length(emps) <= BHR_CHANGED_MAX) {
    c->hh.h->changed_only(c->hh.ctx);
    *honoured = 1;
    if(json_object_is_type(emps, json_type_object))
      st = emit_changed(c, emps);
  }
  else
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "%d employees changed since %s: reading the whole roster",
                json_object_object_length(emps), since);
  json_object_put(root);
  return st;
}
