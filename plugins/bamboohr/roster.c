/*
** BambooHR roster, in one of two modes:
**
**   custom_report  POST /v1/reports/custom?format=JSON: everyone, active
**                  and inactive, in one response. Marked deprecated but
**                  what every integration uses.
**   dataset        POST /v2/datasets/employee/data: the successor, paged
**                  by page/pageSize in the body, ended by meta.totalPages
**                  or an empty data array.
**
** Both ask only for the fields the config uses, plus id, hireDate (the
** hire date rule) and status. BambooHR silently drops fields the key's
** user may not see; the custom report's fields[] shows which, and one
** warning names them.
*/
#include "bamboohr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fields to request: id first, the wanted ones, then what the
** connector derives from. The caller puts *out. */
static hrsync_status requested_fields(hrsync_conn *c, json_object **out)
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

/* A hire date BambooHR left empty: null, "" or its "0000-00-00". */
static int no_hire_date(json_object *fields)
{
  json_object *v;
  const char *s;
  if(!json_object_object_get_ex(fields, "hireDate", &v) ||
     json_object_is_type(v, json_type_null))
    return 1;
  if(!json_object_is_type(v, json_type_string))
    return 0;
  s = json_object_get_string(v);
  while(*s == ' ')
    s++;
  return !*s || !strncmp(s, "0000-00-00", 10);
}

/* The error for an answer without its list member: BambooHR's own
** {"error": {"message"}} when it sent one (some endpoints do, with 200),
** else the shape. */
static hrsync_status shape_error(hrsync_conn *c, json_object *root,
                                 const char *what, const char *member)
{
  const char *msg =
      json_object_get_string(hsp_json_path(root, "error.message"));
  if(msg && *msg)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_HTTP,
                         "%s: BambooHR error: %s", what, msg);
  return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: '%s' is not an array", what, member);
}

/* The employee id as text (string or number), or NULL. */
static const char *id_text(json_object *v, char *tmp, size_t cap)
{
  if(!json_object_is_type(v, json_type_string) &&
     !json_object_is_type(v, json_type_int))
    return NULL;
  return hsp_json_text(v, tmp, cap);
}

/* Emits one employee: every member of fields as a record field (values
** as sent: "0000-00-00" too, the engine treats it as empty), and the skip
** reason when there is no hire date. id is the hris id; when fields lacks
** an "id" member it is added. A repeated id is skipped (seen). */
static hrsync_status emit(hrsync_conn *c, const char *id, json_object *fields,
                          json_object *seen)
{
  const hrsync_host *h = c->hh.h;
  hrsync_status st;
  if(json_object_object_get_ex(seen, id, NULL)) {
    hrsync_logf(h, c->hh.ctx, HRSYNC_LOG_INFO,
                "employee %s listed twice; kept the first", id);
    return HRSYNC_OK;
  }
  json_object_object_add(seen, id, NULL);
  st = h->record_begin(c->hh.ctx, id);
  if(st == HRSYNC_OK && !json_object_object_get_ex(fields, "id", NULL))
    st = h->record_set(c->hh.ctx, "id", id);
  json_object_object_foreach(fields, key, val)
  {
    if(st != HRSYNC_OK)
      break;
    /* "hrsync." ids are reserved: an answer cannot skip people. */
    if(strncmp(key, "hrsync.", 7))
      st = hsp_emit(&c->hh, key, val);
  }
  if(st == HRSYNC_OK && no_hire_date(fields))
    st = h->record_set(c->hh.ctx, HRSYNC_FIELD_SKIP_REASON, BHR_NO_HIRE_DATE);
  if(st == HRSYNC_OK)
    st = h->record_end(c->hh.ctx);
  return st;
}

/* One warning naming the requested fields the report's fields[] lacks:
** BambooHR drops fields the key's user cannot see without an error. id is
** not checked: every employee carries it whatever fields[] says. */
static void warn_withheld(hrsync_conn *c, json_object *asked, json_object *got)
{
  char list[900];
  size_t i, j, n = 0, len = 0;
  list[0] = 0;
  for(i = 0; i < json_object_array_length(asked); i++) {
    const char *f =
        json_object_get_string(json_object_array_get_idx(asked, i));
    int found = !strcmp(f, "id");
    for(j = 0; !found && j < json_object_array_length(got); j++) {
      json_object *e = json_object_array_get_idx(got, j), *idv;
      char tmp[64];
      const char *gid;
      if(!json_object_object_get_ex(e, "id", &idv))
        continue;
      gid = hsp_json_text(idv, tmp, sizeof(tmp));
      found = gid && !strcmp(gid, f);
    }
    if(found)
      continue;
    n++;
    if(len < sizeof(list)) {
      int m = snprintf(list + len, sizeof(list) - len, "%s%s",
                       n > 1 ? ", " : "", f);
      len += m > 0 ? (size_t)m : 0;
    }
  }
  if(n)
    /* INFO, not WARN: the host already warns once about every wanted
    ** field no record carried; this says why, for -v. */
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "the custom report left out %zu requested field%s (the API "
                "key's user may not see %s, or %s not exist): %s",
                n, n > 1 ? "s" : "", n > 1 ? "them" : "it",
                n > 1 ? "they do" : "it does", list);
}

static hrsync_status custom_report(hrsync_conn *c)
{
  static const char what[] = "/v1/reports/custom";
  json_object *fields = NULL, *body = NULL, *root = NULL, *emps, *got;
  json_object *seen = NULL;
  hrsync_status st;
  size_t i, n;
  st = requested_fields(c, &fields);
  if(st != HRSYNC_OK)
    return st;
  body = json_object_new_object();
  if(!body) {
    json_object_put(fields);
    return HRSYNC_E_NOMEM;
  }
  json_object_object_add(body, "title", json_object_new_string("hrsync"));
  json_object_object_add(body, "fields", json_object_get(fields));
  /* One row per employee, not one per history-table row. */
  json_object_object_add(body, "filterDuplicates",
                         json_object_new_string("yes"));
  st = bhr_call(c, "POST", "/v1/reports/custom?format=JSON",
                json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
                what, &root);
  json_object_put(body);
  if(st != HRSYNC_OK)
    goto out;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "employees", &emps) ||
     !json_object_is_type(emps, json_type_array)) {
    st = shape_error(c, root, what, "employees");
    goto out;
  }
  if(json_object_object_get_ex(root, "fields", &got)) {
    if(!json_object_is_type(got, json_type_array)) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: 'fields' is not an array", what);
      goto out;
    }
    warn_withheld(c, fields, got);
  }
  seen = json_object_new_object();
  if(!seen) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  n = json_object_array_length(emps);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    json_object *e = json_object_array_get_idx(emps, i), *idv = NULL;
    char tmp[64];
    const char *id;
    if(!json_object_is_type(e, json_type_object)) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: employees[%zu] is not an object", what, i);
      break;
    }
    json_object_object_get_ex(e, "id", &idv);
    id = id_text(idv, tmp, sizeof(tmp));
    if(!id || !*id) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: employees[%zu] has no id", what, i);
      break;
    }
    st = emit(c, id, e, seen);
  }
out:
  json_object_put(seen);
  json_object_put(root);
  json_object_put(fields);
  return st;
}

/* The hris id of a dataset row: fields.id as requested, else the row's
** own id, else fields.employeeId (dataset names may differ from the
** classic aliases). */
static const char *dataset_id(json_object *row, json_object *fields, char *tmp,
                              size_t cap)
{
  static const char *const where[][2] = {
      {"f", "id"}, {"r", "id"}, {"f", "employeeId"}};
  size_t i;
  for(i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
    json_object *v;
    const char *s;
    if(!json_object_object_get_ex(where[i][0][0] == 'f' ? fields : row,
                                  where[i][1], &v))
      continue;
    s = id_text(v, tmp, cap);
    if(s && *s)
      return s;
  }
  return NULL;
}

/* Reads meta.totalPages; -1 when the page does not say. */
static long total_pages(json_object *root)
{
  json_object *v = hsp_json_path(root, "meta.totalPages");
  if(json_object_is_type(v, json_type_int))
    return (long)json_object_get_int64(v);
  if(json_object_is_type(v, json_type_string))
    return strtol(json_object_get_string(v), NULL, 10);
  return -1;
}

/* The page size to try after a 413 at size, or 0 when none is left. */
static long smaller_page(long size)
{
  static const long sizes[] = {BHR_DATASET_PAGE_SIZE, 500, 250, 125, 25, 5, 1};
  size_t i;
  for(i = 0; i + 1 < sizeof(sizes) / sizeof(sizes[0]); i++)
    if(sizes[i] == size)
      return sizes[i + 1];
  return 0;
}

/* POSTs for the page holding row c->offset; on 413 ("too much data")
** asks again with smaller pages. *page gets the page number asked for
** and what its name. */
static hrsync_status dataset_request(hrsync_conn *c, json_object **root,
                                     long *page, char *what, size_t cap)
{
  json_object *fields = NULL, *body;
  hrsync_status st;
  *root = NULL;
  if(!c->page_size)
    c->page_size = BHR_DATASET_PAGE_SIZE;
  for(;;) {
    *page = c->offset / c->page_size + 1;
    snprintf(what, cap, "/v2/datasets/employee/data page %ld", *page);
    st = requested_fields(c, &fields);
    if(st != HRSYNC_OK)
      return st;
    body = json_object_new_object();
    if(!body) {
      json_object_put(fields);
      return HRSYNC_E_NOMEM;
    }
    json_object_object_add(body, "fields", fields);
    json_object_object_add(body, "page", json_object_new_int64(*page));
    json_object_object_add(body, "pageSize",
                           json_object_new_int64(c->page_size));
    st = bhr_call(c, "POST", "/v2/datasets/employee/data",
                  json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN),
                  what, root);
    json_object_put(body);
    if(st != HRSYNC_E_HTTP || c->status != 413 || !smaller_page(c->page_size))
      return st;
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "%s: too much data at %ld rows a page; asking for %ld", what,
                c->page_size, smaller_page(c->page_size));
    c->page_size = smaller_page(c->page_size);
  }
}

static hrsync_status dataset_page(hrsync_conn *c)
{
  json_object *root = NULL, *data;
  char what[96];
  hrsync_status st;
  size_t i, n, fresh = 0;
  long page, total;
  if(!c->seen && !(c->seen = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  st = dataset_request(c, &root, &page, what, sizeof(what));
  if(st != HRSYNC_OK)
    goto out;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "data", &data) ||
     !json_object_is_type(data, json_type_array)) {
    st = shape_error(c, root, what, "data");
    goto out;
  }
  n = json_object_array_length(data);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    json_object *row = json_object_array_get_idx(data, i), *f;
    char tmp[64];
    const char *id;
    if(!json_object_is_type(row, json_type_object) ||
       !json_object_object_get_ex(row, "fields", &f) ||
       !json_object_is_type(f, json_type_object)) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu].fields is not an object", what, i);
      break;
    }
    id = dataset_id(row, f, tmp, sizeof(tmp));
    if(!id) {
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu] has no id", what, i);
      break;
    }
    if(!json_object_object_get_ex(c->seen, id, NULL))
      fresh++;
    st = emit(c, id, f, c->seen);
  }
  if(st != HRSYNC_OK)
    goto out;
  total = total_pages(root);
  if(n && !fresh && total < 0) {
    /* Without totalPages only an empty page ends the scan; a server that
    ** ignores "page" would send page 1 forever. */
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: only employees already read, and no "
                       "meta.totalPages (is the page ignored?)",
                       what);
    goto out;
  }
  c->offset += c->page_size;
  if(!n || (total >= 0 && page >= total))
    c->done = 1;
out:
  json_object_put(root);
  return st;
}

hrsync_status bhr_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_status st = HRSYNC_OK;
  if(!c->done) {
    if(c->roster == BHR_ROSTER_DATASET)
      st = dataset_page(c);
    else {
      st = custom_report(c);
      c->done = 1;
    }
  }
  *has_more = st == HRSYNC_OK && !c->done;
  return st;
}
