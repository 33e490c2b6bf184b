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

#include <json-c/printbuf.h>
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
** is 0 when a wrapper carries no value member at all. A JSON null is a
** node of kind HSP_JV_NULL (or NULL): read with hsp_jv_kind. */
static const hsp_jv *unwrap(const hsp_jv *w, int *has)
{
  const hsp_jv *v;
  *has = 1;
  if(hsp_jv_kind(w) != HSP_JV_OBJECT || hsp_jv_get(w, "attributes"))
    return w;
  if(!(v = hsp_jv_get(w, "value")))
    *has = 0;
  return v;
}

static int is_container(const hsp_jv *v)
{
  hsp_jv_type k = hsp_jv_kind(v);
  return k == HSP_JV_OBJECT || k == HSP_JV_ARRAY;
}

/* A list as text: scalars, or typed objects by their name, joined with
** ", " into pb (reset first). */
static hrsync_status join_list(const hsp_jv *arr, struct printbuf *pb)
{
  const hsp_jv *e;
  hrsync_status st = HRSYNC_OK;
  char tmp[64];
  printbuf_reset(pb);
  for(e = hsp_jv_first(arr); e && !st; e = hsp_jv_next(arr, e)) {
    const hsp_jv *x = e;
    int has;
    if(hsp_jv_kind(e) == HSP_JV_OBJECT) {
      const hsp_jv *name = hsp_jv_path(e, "attributes.name");
      x = name ? unwrap(name, &has) : NULL;
    }
    /* Scalars only: no buffer needed for their text. */
    if(x && !is_container(x))
      st = hsp_join(pb, hsp_jv_text(x, tmp, sizeof(tmp), NULL));
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

/* host->record_set(id, text of scalar v): NULL for null. */
static hrsync_status emit_scalar(hrsync_conn *c, const char *id,
                                 const hsp_jv *v)
{
  char tmp[64];
  return c->hh.h->record_set(c->hh.ctx, id,
                             hsp_jv_text(v, tmp, sizeof(tmp), NULL));
}

/* Emits a relation as key.sub for each sub-field the config uses; every
** one NULL when the relation is null. */
static hrsync_status emit_relation(hrsync_conn *c, const char *key,
                                   const hsp_jv *v, const char *const *sub)
{
  const hsp_jv *attrs = NULL;
  hrsync_status st = HRSYNC_OK;
  char id[300];
  if(hsp_jv_kind(v) == HSP_JV_OBJECT && !(attrs = hsp_jv_get(v, "attributes")))
    attrs = v;
  if(hsp_jv_kind(attrs) == HSP_JV_NULL)
    attrs = NULL; /* a null relation (or attributes): every sub-field null */
  for(; *sub && st == HRSYNC_OK; sub++) {
    const hsp_jv *w, *x = NULL;
    int has = 1;
    if(!dotted(id, sizeof(id), key, *sub) || !hsp_wanted_has(&c->want, id))
      continue;
    if(attrs) {
      if(!(w = hsp_jv_get(attrs, *sub)))
        continue; /* not sent: not set */
      x = unwrap(w, &has);
      if(!has)
        continue;
    }
    st = emit_scalar(c, id, is_container(x) ? NULL : x);
  }
  return st;
}

/* An object attribute we do not flatten, by its name (or its id); NULL
** when it has neither as a scalar. */
static const hsp_jv *object_name(const hsp_jv *v)
{
  const hsp_jv *attrs = hsp_jv_get(v, "attributes"), *x;
  int got = 0;
  if(!attrs)
    attrs = v;
  if((x = hsp_jv_get(attrs, "name")) || (x = hsp_jv_get(attrs, "id")))
    x = unwrap(x, &got);
  return got && !is_container(x) ? x : NULL;
}

/* Emits one attribute of an employee. */
static hrsync_status emit_attr(hrsync_conn *c, const char *key,
                               const hsp_jv *wrapper)
{
  const char *const *sub = psn_relation_subfields(key);
  int has;
  const hsp_jv *v = unwrap(wrapper, &has);
  hsp_jv_type k = hsp_jv_kind(v);
  hrsync_status st;
  if(!has)
    return HRSYNC_OK;
  if(sub && (k == HSP_JV_NULL || k == HSP_JV_OBJECT))
    return emit_relation(c, key, v, sub);
  if(sub && k != HSP_JV_ARRAY) {
    /* A relation sent as a bare value: a number is its id, text its name
    ** (for a supervisor, always the id), so ids stay the schema's. */
    char id[300];
    if(!dotted(id, sizeof(id), key,
               sub[1] && strcmp(sub[1], "name") == 0 && k == HSP_JV_STRING
                   ? "name"
                   : "id") ||
       !hsp_wanted_has(&c->want, id))
      return HRSYNC_OK;
    return emit_scalar(c, id, v);
  }
  if(strcmp(key, "id") && !hsp_wanted_has(&c->want, key))
    return HRSYNC_OK; /* not used by the config: not built */
  /* Not a relation we flatten: the schema lists it as key, so it is
  ** emitted as key, by its name (or its id). */
  if(k == HSP_JV_OBJECT)
    return emit_scalar(c, key, object_name(v));
  if(k != HSP_JV_ARRAY)
    return emit_scalar(c, key, v);
  st = join_list(v, c->pb);
  if(!st)
    st = c->hh.h->record_set(c->hh.ctx, key, c->pb->bpos ? c->pb->buf : NULL);
  return st;
}

/* The employee's id as text, or NULL. */
static const char *employee_id(const hsp_jv *attrs, char *tmp, size_t cap)
{
  const hsp_jv *w = hsp_jv_get(attrs, "id"), *v;
  int has;
  if(!w)
    return NULL;
  v = unwrap(w, &has);
  if(hsp_jv_kind(v) != HSP_JV_INT && hsp_jv_kind(v) != HSP_JV_STRING)
    return NULL;
  return hsp_jv_text(v, tmp, cap, NULL);
}

/* Emits data[i]; *fresh is set when its id had not been seen before. */
static hrsync_status emit_employee(hrsync_conn *c, const hsp_jv *item,
                                   size_t i, const char *what, int *fresh)
{
  const hsp_jv *attrs = hsp_jv_get(item, "attributes"), *m;
  char tmp[64];
  const char *id;
  hrsync_status st;
  *fresh = 0;
  if(hsp_jv_kind(attrs) != HSP_JV_OBJECT)
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
  for(m = hsp_jv_first(attrs); m && st == HRSYNC_OK; m = hsp_jv_next(attrs, m))
    st = emit_attr(c, m->key, m);
  if(st == HRSYNC_OK)
    st = c->hh.h->record_end(c->hh.ctx);
  return st;
}

/* metadata.total_elements, or -1. */
static long total_elements(const hsp_jv *root)
{
  const hsp_jv *v = hsp_jv_path(root, "metadata.total_elements");
  if(hsp_jv_kind(v) == HSP_JV_INT)
    return (long)hsp_jv_int(v);
  if(hsp_jv_kind(v) == HSP_JV_STRING)
    return strtol(hsp_jv_string(v), NULL, 10);
  return -1;
}

/* True when metadata says this was the last page by number:
** current_page (0-based) reached total_pages - 1. Used only when
** total_elements is missing. */
static int last_page_by_number(const hsp_jv *root)
{
  const hsp_jv *cur = hsp_jv_path(root, "metadata.current_page");
  const hsp_jv *pages = hsp_jv_path(root, "metadata.total_pages");
  if(hsp_jv_kind(cur) != HSP_JV_INT || hsp_jv_kind(pages) != HSP_JV_INT)
    return 0;
  return hsp_jv_int(cur) + 1 >= hsp_jv_int(pages);
}

/* The page size the server says it used, when smaller than ours: a
** server that caps the limit silently must not make us skip items. */
static long step(const hsp_jv *root)
{
  const hsp_jv *v = hsp_jv_get(root, "limit");
  long n;
  if(hsp_jv_kind(v) != HSP_JV_INT)
    return PSN_PAGE_LIMIT;
  n = (long)hsp_jv_int(v);
  return n > 0 && n < PSN_PAGE_LIMIT ? n : PSN_PAGE_LIMIT;
}

/* The employees page at offset, an absolute URL, malloc'd; NULL on out
** of memory. */
static char *page_url(const hrsync_conn *c, long offset)
{
  size_t cap = strlen(c->query) + strlen(c->base) + 96;
  char *url = malloc(cap);
  if(url)
    snprintf(url, cap, "%s/v1/company/employees?limit=%d&offset=%ld%s",
             c->base, PSN_PAGE_LIMIT, offset, c->query);
  return url;
}

/* Forgets the pages read ahead and not used (their documents stay, to be
** reused). */
static void ahead_drop(hrsync_conn *c)
{
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
    if(!(urls[n] = page_url(c, off))) {
      st = HRSYNC_E_NOMEM;
      break;
    }
    snprintf(whats[n], sizeof(whats[n]), "/v1/company/employees offset %ld",
             off);
    wp[n] = whats[n];
  }
  if(!st)
    st = psn_get_many(c, (const char *const *)urls, wp, n, c->docs, c->ahead);
  for(i = 0; i < n; i++)
    free(urls[i]);
  if(!st) {
    c->n_ahead = n;
    c->next_ahead = 0;
  }
  return st;
}

/* The parsed page at c->offset: read ahead, or one GET (into docs[0]:
** nothing is read ahead then). */
static hrsync_status fetch(hrsync_conn *c, const char *what,
                           const hsp_jv **root)
{
  hrsync_status st;
  char *url;
  if(c->next_ahead == c->n_ahead) {
    c->n_ahead = c->next_ahead = 0;
    if(c->total >= 0 && c->offset > 0 && c->offset < c->total && c->step > 0 &&
       !c->no_many && hsp_many_ok(&c->hh) && (st = read_ahead(c)) != HRSYNC_OK)
      return st;
  }
  if(c->next_ahead < c->n_ahead) {
    *root = c->ahead[c->next_ahead++];
    return HRSYNC_OK;
  }
  if(!(url = page_url(c, c->offset)))
    return HRSYNC_E_NOMEM;
  st = psn_get_jv(c, url, what, c->docs[0], root);
  free(url);
  return st;
}

static hrsync_status page(hrsync_conn *c)
{
  const hsp_jv *root = NULL, *data, *e;
  char what[96];
  size_t i, n = 0, fresh = 0;
  long total;
  hrsync_status st;
  if(!c->query && (st = build_query(c)) != HRSYNC_OK)
    return st;
  if((st = psn_docs_ready(c)) != HRSYNC_OK)
    return st;
  snprintf(what, sizeof(what), "/v1/company/employees offset %ld", c->offset);
  st = fetch(c, what, &root);
  if(st != HRSYNC_OK)
    return st;
  data = hsp_jv_get(root, "data");
  if(hsp_jv_kind(data) != HSP_JV_ARRAY) {
    st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                       "%s: 'data' is not an array", what);
    goto out;
  }
  for(e = hsp_jv_first(data), i = 0; e && st == HRSYNC_OK;
      e = hsp_jv_next(data, e), i++) {
    int f;
    st = emit_employee(c, e, i, what, &f);
    fresh += (size_t)f;
  }
  n = i;
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
