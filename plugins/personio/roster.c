/*
** Personio roster: GET /v1/company/employees?limit=100&offset=N, where
** offset counts items. The list ends with an empty data array or when
** offset + count reaches metadata.total_elements; the total may change
** between pages (people hired or removed meanwhile), so repeats are
** dropped by id and a page of nothing but repeats stops the scan rather
** than looping.
**
** Only the attributes the config uses are set (all when the engine lists
** none). Every attribute comes wrapped, {label, value, type, universal_id}:
** scalars become "first_name", relations "department.name",
** "supervisor.id" (from the nested Employee's attributes), lists of
** objects such as cost_centers their names joined with ", ". Dates are
** emitted as sent (local-midnight timestamps); the engine takes the day.
*/
#include "personio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SDK 1.3 incremental fetch: "&updated_since=..." appended to c->query
** when the host asks for the people changed since its watermark.
** Personio counts a change of any attribute, so the answer is exactly the
** changed people, and total_elements counts them. */
static hrsync_status since_query(hrsync_conn *c)
{
  const char *since = HRSYNC_HOST_HAS(c->hh.h, changed_since)
                          ? c->hh.h->changed_since(c->hh.ctx)
                          : NULL;
  size_t len = strlen(c->query), w;
  char *q;
  if(!since || !*since)
    return HRSYNC_OK;
  if(!(q = realloc(c->query, len + 16 + 3 * strlen(since))))
    return HRSYNC_E_NOMEM;
  c->query = q;
  memcpy(q + len, "&updated_since=", 15);
  w = hrsync_url_escape(q + len + 15, 1 + 3 * strlen(since), since);
  if(w == (size_t)-1)
    return HRSYNC_E_INTERNAL;
  if(HRSYNC_HOST_HAS(c->hh.h, changed_only))
    c->hh.h->changed_only(c->hh.ctx);
  return HRSYNC_OK;
}

/* "&attributes[]=a&attributes[]=b" for the wanted fields' attributes
** ("department.name" needs "department"), or "" when the config names
** none. id is left out: every employee carries it. */
static hrsync_status build_query(hrsync_conn *c)
{
  json_object *set = json_object_new_object();
  size_t cap = 1, len = 0, i;
  const char *f;
  char *q;
  if(!set)
    return HRSYNC_E_NOMEM;
  for(i = 0; (f = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    cap += 16 + 3 * strlen(f);
  q = malloc(cap);
  if(!q) {
    json_object_put(set);
    return HRSYNC_E_NOMEM;
  }
  q[0] = 0;
  for(i = 0; (f = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    char attr[256];
    size_t n = strcspn(f, ".");
    size_t w;
    if(!n || n >= sizeof(attr) || !strncmp(f, "hrsync.", 7))
      continue;
    memcpy(attr, f, n);
    attr[n] = 0;
    if(!strcmp(attr, "id") || json_object_object_get_ex(set, attr, NULL))
      continue;
    json_object_object_add(set, attr, NULL);
    memcpy(q + len, "&attributes[]=", 14);
    len += 14;
    w = hrsync_url_escape(q + len, cap - len, attr);
    if(w == (size_t)-1)
      break; /* cannot happen: cap counts 3 bytes per character */
    len += w;
  }
  json_object_put(set);
  c->query = q;
  return since_query(c);
}

/* The value inside an attribute wrapper; a bare value is its own. *has
** is 0 when a wrapper carries no value member at all. */
static json_object *unwrap(json_object *w, int *has)
{
  json_object *v = NULL;
  *has = 1;
  if(!json_object_is_type(w, json_type_object) ||
     json_object_object_get_ex(w, "attributes", NULL))
    return w;
  if(!json_object_object_get_ex(w, "value", &v))
    *has = 0;
  return v;
}

/* A list as text: scalars, or typed objects by their name, joined with
** ", " into pb (reset first). */
static hrsync_status join_list(json_object *arr, struct printbuf *pb)
{
  size_t i, n = json_object_array_length(arr);
  hrsync_status st = HRSYNC_OK;
  char tmp[64];
  printbuf_reset(pb);
  for(i = 0; i < n && !st; i++) {
    json_object *e = json_object_array_get_idx(arr, i);
    int has;
    if(json_object_is_type(e, json_type_object)) {
      json_object *name = hsp_json_path(e, "attributes.name");
      e = name ? unwrap(name, &has) : NULL;
    }
    if(e && !json_object_is_type(e, json_type_object) &&
       !json_object_is_type(e, json_type_array))
      st = hsp_join(pb, hsp_json_text(e, tmp, sizeof(tmp)));
  }
  return st;
}

/* dst = key "." sub; 0 when it does not fit (no such field id). */
static int dotted(char *dst, size_t cap, const char *key, const char *sub)
{
  size_t k = strlen(key), n = strlen(sub);
  if(k + 1 + n >= cap)
    return 0;
  memcpy(dst, key, k);
  dst[k] = '.';
  memcpy(dst + k + 1, sub, n + 1);
  return 1;
}

/* Emits a relation as key.sub for each sub-field the config uses; every
** one NULL when the relation is null. */
static hrsync_status emit_relation(hrsync_conn *c, const char *key,
                                   json_object *v, const char *const *sub)
{
  json_object *attrs = NULL;
  hrsync_status st = HRSYNC_OK;
  char id[300];
  if(v && !json_object_object_get_ex(v, "attributes", &attrs))
    attrs = v;
  for(; *sub && st == HRSYNC_OK; sub++) {
    json_object *w = NULL, *x = NULL;
    int has = 1;
    if(!dotted(id, sizeof(id), key, *sub) || !hsp_wanted_has(&c->want, id))
      continue;
    if(attrs) {
      if(!json_object_object_get_ex(attrs, *sub, &w))
        continue; /* not sent: not set */
      x = unwrap(w, &has);
      if(!has)
        continue;
    }
    if(json_object_is_type(x, json_type_object) ||
       json_object_is_type(x, json_type_array))
      x = NULL;
    st = hsp_emit(&c->hh, id, x);
  }
  return st;
}

/* Emits one attribute of an employee. */
static hrsync_status emit_attr(hrsync_conn *c, const char *key,
                               json_object *wrapper)
{
  const char *const *sub = psn_relation_subfields(key);
  int has;
  json_object *v = unwrap(wrapper, &has);
  if(!has)
    return HRSYNC_OK;
  if(sub && (!v || json_object_is_type(v, json_type_object)))
    return emit_relation(c, key, v, sub);
  if(sub && !json_object_is_type(v, json_type_array)) {
    /* A relation sent as a bare value: a number is its id, text its name
    ** (for a supervisor, always the id), so ids stay the schema's. */
    char id[300];
    if(!dotted(id, sizeof(id), key,
               sub[1] && strcmp(sub[1], "name") == 0 &&
                       json_object_is_type(v, json_type_string)
                   ? "name"
                   : "id") ||
       !hsp_wanted_has(&c->want, id))
      return HRSYNC_OK;
    return hsp_emit(&c->hh, id, v);
  }
  if(strcmp(key, "id") && !hsp_wanted_has(&c->want, key))
    return HRSYNC_OK; /* not used by the config: not built */
  if(json_object_is_type(v, json_type_object)) {
    /* Not a relation we flatten: the schema lists it as key, so it is
    ** emitted as key, by its name (or its id). */
    json_object *attrs = v, *x = NULL;
    int got = 0;
    if(!json_object_object_get_ex(v, "attributes", &attrs))
      attrs = v;
    if(json_object_object_get_ex(attrs, "name", &x) ||
       json_object_object_get_ex(attrs, "id", &x))
      x = unwrap(x, &got);
    if(!got || json_object_is_type(x, json_type_object) ||
       json_object_is_type(x, json_type_array))
      x = NULL;
    return hsp_emit(&c->hh, key, x);
  }
  if(json_object_is_type(v, json_type_array)) {
    struct printbuf *pb = printbuf_new();
    hrsync_status st = pb ? join_list(v, pb) : HRSYNC_E_NOMEM;
    if(!st)
      st = c->hh.h->record_set(c->hh.ctx, key, pb->bpos ? pb->buf : NULL);
    printbuf_free(pb);
    return st;
  }
  return hsp_emit(&c->hh, key, v);
}

/* The employee's id as text, or NULL. */
static const char *employee_id(json_object *attrs, char *tmp, size_t cap)
{
  json_object *w, *v;
  int has;
  if(!json_object_object_get_ex(attrs, "id", &w))
    return NULL;
  v = unwrap(w, &has);
  if(!json_object_is_type(v, json_type_int) &&
     !json_object_is_type(v, json_type_string))
    return NULL;
  return hsp_json_text(v, tmp, cap);
}

/* Emits data[i]; *fresh is set when its id had not been seen before. */
static hrsync_status emit_employee(hrsync_conn *c, json_object *item, size_t i,
                                   const char *what, int *fresh)
{
  json_object *attrs;
  char tmp[64];
  const char *id;
  hrsync_status st;
  *fresh = 0;
  if(!json_object_is_type(item, json_type_object) ||
     !json_object_object_get_ex(item, "attributes", &attrs) ||
     !json_object_is_type(attrs, json_type_object))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu].attributes is not an object", what, i);
  id = employee_id(attrs, tmp, sizeof(tmp));
  if(!id || !*id)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data[%zu] has no attributes.id.value", what, i);
  switch(hsp_idset_add(&c->seen, id)) {
  case 0:
    return HRSYNC_OK; /* shifted onto this page by a change meanwhile */
  case -1:
    return HRSYNC_E_NOMEM;
  }
  *fresh = 1;
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  st = c->hh.h->record_begin(c->hh.ctx, id);
  json_object_object_foreach(attrs, key, w)
  {
    if(st != HRSYNC_OK)
      break;
    st = emit_attr(c, key, w);
  }
  if(st == HRSYNC_OK)
    st = c->hh.h->record_end(c->hh.ctx);
  return st;
}

/* metadata.total_elements, or -1. */
static long total_elements(json_object *root)
{
  json_object *v = hsp_json_path(root, "metadata.total_elements");
  if(json_object_is_type(v, json_type_int))
    return (long)json_object_get_int64(v);
  if(json_object_is_type(v, json_type_string))
    return strtol(json_object_get_string(v), NULL, 10);
  return -1;
}

/* True when metadata says this was the last page by number:
** current_page (0-based) reached total_pages - 1. Used only when
** total_elements is missing. */
static int last_page_by_number(json_object *root)
{
  json_object *cur = hsp_json_path(root, "metadata.current_page");
  json_object *pages = hsp_json_path(root, "metadata.total_pages");
  if(!json_object_is_type(cur, json_type_int) ||
     !json_object_is_type(pages, json_type_int))
    return 0;
  return json_object_get_int64(cur) + 1 >= json_object_get_int64(pages);
}

/* The page size the server says it used, when smaller than ours: a
** server that caps the limit silently must not make us skip items. */
static long step(json_object *root)
{
  json_object *v;
  long n;
  if(!json_object_object_get_ex(root, "limit", &v) ||
     !json_object_is_type(v, json_type_int))
    return PSN_PAGE_LIMIT;
  n = (long)json_object_get_int64(v);
  return n > 0 && n < PSN_PAGE_LIMIT ? n : PSN_PAGE_LIMIT;
}

/* The employees page at offset: a path under base_url (full 0) or an
** absolute URL (full 1), malloc'd; NULL on out of memory. */
static char *page_path(const hrsync_conn *c, long offset, int full)
{
  size_t cap = strlen(c->query) + strlen(c->base) + 96;
  char *path = malloc(cap);
  if(path)
    snprintf(path, cap, "%s/v1/company/employees?limit=%d&offset=%ld%s",
             full ? c->base : "", PSN_PAGE_LIMIT, offset, c->query);
  return path;
}

/* Drops the pages read ahead and not used. */
static void ahead_drop(hrsync_conn *c)
{
  while(c->next_ahead < c->n_ahead)
    json_object_put(c->ahead[c->next_ahead++]);
  c->n_ahead = c->next_ahead = 0;
}

/* With the total known from the first page (and http_many), the pages
** from c->offset on, one step apart, up to the total or a batch, into
** c->ahead: the requests paging one by one would send. */
static hrsync_status read_ahead(hrsync_conn *c)
{
  char *urls[HSP_MANY_BATCH], whats[HSP_MANY_BATCH][96];
  const char *wp[HSP_MANY_BATCH];
  size_t n = 0, i;
  long off = c->offset;
  hrsync_status st = HRSYNC_OK;
  for(; n < HSP_MANY_BATCH && off < c->total; n++, off += c->step) {
    if(!(urls[n] = page_path(c, off, 1))) {
      st = HRSYNC_E_NOMEM;
      break;
    }
    snprintf(whats[n], sizeof(whats[n]), "/v1/company/employees offset %ld",
             off);
    wp[n] = whats[n];
  }
  if(!st)
    st = psn_get_many(c, (const char *const *)urls, wp, n, c->ahead);
  for(i = 0; i < n; i++)
    free(urls[i]);
  if(!st) {
    c->n_ahead = n;
    c->next_ahead = 0;
  }
  return st;
}

/* The parsed page at c->offset: read ahead, or one GET. */
static hrsync_status fetch(hrsync_conn *c, const char *what,
                           json_object **root)
{
  hrsync_status st;
  char *path;
  if(c->next_ahead == c->n_ahead) {
    c->n_ahead = c->next_ahead = 0;
    if(c->total >= 0 && c->offset > 0 && c->offset < c->total && c->step > 0 &&
       !c->no_many && hsp_many_ok(&c->hh) && (st = read_ahead(c)) != HRSYNC_OK)
      return st;
  }
  if(c->next_ahead < c->n_ahead) {
    *root = c->ahead[c->next_ahead];
    c->ahead[c->next_ahead++] = NULL;
    return HRSYNC_OK;
  }
  if(!(path = page_path(c, c->offset, 0)))
    return HRSYNC_E_NOMEM;
  st = psn_get(c, path, what, root);
  free(path);
  return st;
}

static hrsync_status page(hrsync_conn *c)
{
  json_object *root = NULL, *data;
  char what[96];
  size_t i, n, fresh = 0;
  long total;
  hrsync_status st;
  if(!c->query && (st = build_query(c)) != HRSYNC_OK)
    return st;
  snprintf(what, sizeof(what), "/v1/company/employees offset %ld", c->offset);
  st = fetch(c, what, &root);
  if(st != HRSYNC_OK)
    return st;
  if(!json_object_is_type(root, json_type_object) ||
     !json_object_object_get_ex(root, "data", &data) ||
     !json_object_is_type(data, json_type_array)) {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: 'data' is not an array", what);
    goto out;
  }
  n = json_object_array_length(data);
  for(i = 0; i < n && st == HRSYNC_OK; i++) {
    int f;
    st = emit_employee(c, json_object_array_get_idx(data, i), i, what, &f);
    fresh += (size_t)f;
  }
  if(st != HRSYNC_OK)
    goto out;
  if(n && !fresh) {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: only employees already read (is the offset "
                       "ignored?)",
                       what);
    goto out;
  }
  total = total_elements(root);
  if(total >= 0 && c->total >= 0 && total != c->total && !c->total_warned) {
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_WARN,
                "the employee count changed during the scan (%ld, then "
                "%ld at offset %ld); someone may have been missed: run "
                "again",
                c->total, total, c->offset);
    c->total_warned = 1;
  }
  if(total >= 0)
    c->total = total;
  if(total >= 0 && !c->total_said && HRSYNC_HOST_HAS(c->hh.h, roster_total)) {
    /* metadata.total_elements: progress and bounded paging (SDK 1.2). */
    c->total_said = 1;
    c->hh.h->roster_total(c->hh.ctx, (uint64_t)total);
  }
  if(!n || (total >= 0 && c->offset + (long)n >= total) ||
     (total < 0 && last_page_by_number(root)))
    c->done = 1;
  if(c->step && step(root) != c->step)
    ahead_drop(c); /* read one step apart: not where the pages now are */
  c->step = step(root);
  c->offset += c->step;
out:
  if(st != HRSYNC_OK || c->done)
    ahead_drop(c);
  json_object_put(root);
  return st;
}

hrsync_status psn_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_status st = HRSYNC_OK;
  if(!c->done)
    st = page(c);
  *has_more = st == HRSYNC_OK && !c->done;
  return st;
}
