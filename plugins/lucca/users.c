/*
** Lucca roster: GET /api/v3/users, 1000 users a page (paging=offset,1000)
** until a short or empty page.
**
** Without fields= the API answers a minimal projection, so the request
** names what the config uses (top-level names: department for
** department.name, extendedData for extendedData.e_x) plus what the
** connector needs: id, names, and the contract dates the status is
** derived from. formerEmployees=true, or leavers would vanish instead of
** being seen to leave.
**
** A user becomes a flat record: scalars as they are, nested objects as
** "department.name", custom fields as "extendedData.e_x", and a derived
** "status": future (contract not started), former (contract ended before
** today) or active. Only the fields the config uses are set (all of them
** when the engine lists none): the base members asked for the status are
** not copied unless used.
*/
#include "lucca.h"

#include <json-c/printbuf.h>
#include <string.h>

static const char BASE_FIELDS[] =
    "id,firstName,lastName,dtContractStart,dtContractEnd";

/* The user member a wanted field comes from: "nationality" is the name
** of nationalityId; "department.name" comes from department. */
static const char *lc_member_of(const char *w)
{
  return strcmp(w, "nationality") ? w : "nationalityId";
}

/* Appends "," name to the fields list unless it is already there. */
static hrsync_status add_field(struct printbuf *list, const char *name,
                               size_t len)
{
  char esc[256], one[256];
  const char *p = list->buf;
  if(!len || len >= sizeof(one))
    return HRSYNC_OK;
  memcpy(one, name, len);
  one[len] = 0;
  /* status is derived here, not a Lucca field. */
  if(!strcmp(one, "status"))
    return HRSYNC_OK;
  while(p && *p) {
    const char *comma = strchr(p, ',');
    size_t n = comma ? (size_t)(comma - p) : strlen(p);
    if(n == len && !memcmp(p, one, len))
      return HRSYNC_OK;
    p = comma ? comma + 1 : p + n;
  }
  if(hrsync_url_escape(esc, sizeof(esc), one) == (size_t)-1)
    return HRSYNC_OK;
  if(sprintbuf(list, ",%s", esc) < 0)
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

/* The fields= value for the wanted fields. */
static hrsync_status fields_param(hrsync_conn *c, struct printbuf *list)
{
  const char *w;
  size_t i;
  hrsync_status st = HRSYNC_OK;
  if(printbuf_memappend(list, BASE_FIELDS, (int)strlen(BASE_FIELDS)) < 0)
    return HRSYNC_E_NOMEM;
  for(i = 0; !st && (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    const char *m = lc_member_of(w);
    const char *dot = strchr(m, '.');
    st = add_field(list, m, dot ? (size_t)(dot - m) : strlen(m));
  }
  return st;
}

/* active / former / future from the contract dates (YYYY-MM-DD...). */
static const char *derived_status(const hrsync_conn *c, const hsp_jv *u)
{
  const char *start = hsp_jv_str(u, "dtContractStart");
  const char *end = hsp_jv_str(u, "dtContractEnd");
  if(start && strlen(start) >= 10 && strncmp(start, c->today, 10) > 0)
    return "future";
  if(end && strlen(end) >= 10 && strncmp(end, c->today, 10) < 0)
    return "former";
  return "active";
}

/* Sets "prefix.sub" = NULL for every wanted field under prefix: the
** member came back null (or, for extendedData.e_x, the custom field has
** no value), which is empty, not withheld. */
static hrsync_status null_wanted(hrsync_conn *c, const hsp_jv *obj,
                                 const char *prefix)
{
  size_t i, n = strlen(prefix);
  hrsync_status st = HRSYNC_OK;
  for(i = 0; !st && i < c->want.n; i++) {
    const char *w = c->want.ids[i];
    if(strncmp(w, prefix, n) || w[n] != '.')
      continue;
    if(hsp_jv_get(obj, w + n + 1))
      continue; /* already set from its value */
    st = c->hh.h->record_set(c->hh.ctx, w, NULL);
  }
  return st;
}

/* extendedData, flattened (ext.c): every wanted id it yields is set, then
** every wanted extendedData field it lacks is set empty (the custom field
** has no value for this user: empty, not withheld). */
static hrsync_status emit_ext(hrsync_conn *c, const hsp_jv *ext)
{
  lc_acc *acc = &c->ext;
  size_t i;
  hrsync_status st;
  if(!hsp_wanted_prefix(&c->want, "extendedData."))
    return HRSYNC_OK;
  lc_acc_reset(acc);
  st = lc_ext_flatten(c, ext, acc, 0);
  for(i = 0; !st && i < lc_acc_count(acc); i++) {
    const char *id = lc_acc_id(acc, i);
    if(!hsp_wanted_has(&c->want, id))
      continue; /* a sub-field of a composite the config does not use */
    st = c->hh.h->record_set(c->hh.ctx, id, lc_acc_value(acc, i));
  }
  for(i = 0; !st && i < c->want.n; i++) {
    const char *w = c->want.ids[i];
    if(!strncmp(w, "extendedData.", 13) && !lc_acc_has(acc, w))
      st = c->hh.h->record_set(c->hh.ctx, w, NULL);
  }
  return st;
}

static int is_container(const hsp_jv *v)
{
  hsp_jv_type k = hsp_jv_kind(v);
  return k == HSP_JV_OBJECT || k == HSP_JV_ARRAY;
}

/* host->record_set(id, text of v); a nested value's JSON goes through
** c->tpb. */
static hrsync_status set_text(hrsync_conn *c, const char *id, const hsp_jv *v)
{
  char tmp[64];
  const char *text = hsp_jv_text(v, tmp, sizeof(tmp), c->tpb);
  if(!text && hsp_jv_kind(v) != HSP_JV_NULL)
    return HRSYNC_E_NOMEM;
  return c->hh.h->record_set(c->hh.ctx, id, text);
}

/* A nested object (department, manager, legalEntity...) as key.sub, for
** the sub-fields the config uses. */
static hrsync_status emit_object(hrsync_conn *c, const char *key,
                                 const hsp_jv *obj)
{
  char id[256];
  size_t klen = strlen(key);
  const hsp_jv *val;
  hrsync_status st = HRSYNC_OK;
  for(val = hsp_jv_first(obj); val && !st; val = hsp_jv_next(obj, val)) {
    const char *sub = val->key;
    size_t slen = val->key_len;
    if(!*sub) {
      lc_warn_empty_key(c, key);
      continue;
    }
    if(!strcmp(sub, "url"))
      continue; /* a link to the object, not a field */
    if(is_container(val))
      continue;
    if(klen + 1 + slen >= sizeof(id))
      continue; /* no field id that long: never cut into another's */
    memcpy(id, key, klen);
    id[klen] = '.';
    memcpy(id + klen + 1, sub, slen + 1);
    if(!hsp_wanted_has(&c->want, id))
      continue;
    st = set_text(c, id, val);
  }
  if(!st)
    st = null_wanted(c, obj, key);
  return st;
}

/* An array member: its items' names or values, joined into c->pb. */
static const char *array_text(hrsync_conn *c, const hsp_jv *arr)
{
  const hsp_jv *it;
  char tmp[64];
  printbuf_reset(c->pb);
  for(it = hsp_jv_first(arr); it; it = hsp_jv_next(arr, it)) {
    const char *s = hsp_jv_kind(it) == HSP_JV_OBJECT
                        ? hsp_jv_str(it, "name")
                        : hsp_jv_text(it, tmp, sizeof(tmp), c->tpb);
    /* Returns text, not a status: no memory only shortens the list. */
    (void)hsp_join(c->pb, s);
  }
  return c->pb->bpos ? c->pb->buf : NULL;
}

/* nationalityId as it is, and its name as "nationality". */
static hrsync_status emit_nationality(hrsync_conn *c, const hsp_jv *val)
{
  hrsync_status st = HRSYNC_OK;
  if(hsp_wanted_has(&c->want, "nationalityId"))
    st = set_text(c, "nationalityId", val);
  if(!st && c->nationalities && hsp_wanted_has(&c->want, "nationality"))
    st = c->hh.h->record_set(c->hh.ctx, "nationality", lc_nationality(c, val));
  return st;
}

/* One member of a user. */
static hrsync_status emit_member(hrsync_conn *c, const char *key,
                                 const hsp_jv *val)
{
  const hrsync_host *h = c->hh.h;
  hrsync_status st = HRSYNC_OK;
  hsp_jv_type k = hsp_jv_kind(val);
  if(!strcmp(key, "extendedData"))
    return emit_ext(c, val);
  if(!strcmp(key, "nationalityId"))
    return emit_nationality(c, val);
  if(k == HSP_JV_OBJECT)
    return emit_object(c, key, val);
  if(!hsp_wanted_has(&c->want, key))
    return k != HSP_JV_NULL ? HRSYNC_OK : null_wanted(c, NULL, key);
  if(k == HSP_JV_ARRAY)
    return h->record_set(c->hh.ctx, key, array_text(c, val));
  if(k == HSP_JV_NULL) {
    st = h->record_set(c->hh.ctx, key, NULL);
    return st ? st : null_wanted(c, NULL, key);
  }
  return set_text(c, key, val);
}

static hrsync_status emit_user(hrsync_conn *c, const hsp_jv *u,
                               const char *what, size_t idx)
{
  const hrsync_host *h = c->hh.h;
  const hsp_jv *idv = hsp_jv_get(u, "id"), *m;
  char idbuf[64];
  const char *hris_id = NULL;
  hrsync_status st;

  if(hsp_jv_kind(idv) == HSP_JV_INT || hsp_jv_kind(idv) == HSP_JV_STRING)
    hris_id = hsp_jv_text(idv, idbuf, sizeof(idbuf), NULL);
  if(!hris_id || !*hris_id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: data.items[%zu] has no \"id\"", what, idx);
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  st = h->record_begin(c->hh.ctx, hris_id);
  for(m = hsp_jv_first(u); m && !st; m = hsp_jv_next(u, m)) {
    if(!*m->key) {
      /* No field can have an empty id: skipping it keeps the SDK
      ** contract whatever Lucca sends (issue 15, case 8). */
      lc_warn_empty_key(c, what);
      continue;
    }
    if(!strcmp(m->key, "status"))
      continue; /* ours is derived, set below */
    st = emit_member(c, m->key, m);
  }
  if(!st && hsp_wanted_has(&c->want, "status"))
    st = h->record_set(c->hh.ctx, "status", derived_status(c, u));
  if(!st)
    st = h->record_end(c->hh.ctx);
  return st;
}

/* SDK 1.3 incremental fetch: "&modifiedAt=since,..." when the host asks
** for the users changed since its watermark ("" otherwise); -1 when it
** does not fit. Says changed_only once, on the first page. */
static int since_param(hrsync_conn *c, char *out, size_t cap)
{
  const char *since = HRSYNC_HOST_HAS(c->hh.h, changed_since)
                          ? c->hh.h->changed_since(c->hh.ctx)
                          : NULL;
  char esc[80];
  out[0] = 0;
  if(!since || !*since)
    return 0;
  if(hrsync_url_escape(esc, sizeof(esc), since) == (size_t)-1 ||
     (size_t)snprintf(out, cap, "&modifiedAt=since%%2C%s", esc) >= cap)
    return -1;
  if(c->offset == 0 && HRSYNC_HOST_HAS(c->hh.h, changed_only))
    c->hh.h->changed_only(c->hh.ctx);
  return 0;
}

/* The fields= projection asked for each wanted member; one that no user
** of the first page carries at all (not even as null) was dropped by
** Lucca: the key's role may not see it. Said once per field (SDK 1.2). */
static void check_withheld(hrsync_conn *c, const hsp_jv *items)
{
  const hrsync_host *h = c->hh.h;
  size_t i;
  const char *w;
  if(!HRSYNC_HOST_HAS(h, field_withheld))
    return;
  for(i = 0; (w = h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    const char *m = lc_member_of(w);
    char top[256];
    size_t len = strcspn(m, ".");
    const hsp_jv *u;
    int found = 0;
    if(!strcmp(w, "status") || !len || len >= sizeof(top) ||
       !strncmp(w, "hrsync.", 7))
      continue;
    memcpy(top, m, len);
    top[len] = 0;
    for(u = hsp_jv_first(items); !found && u; u = hsp_jv_next(items, u))
      found = hsp_jv_get(u, top) != NULL;
    if(!found)
      h->field_withheld(c->hh.ctx, w,
                        "Lucca left it out of the fields= projection: the "
                        "API key's role may not see it");
  }
}

/* The users page at offset into path: "" for none when it does not fit
** (-1). */
static int page_path(const hrsync_conn *c, const char *fields,
                     const char *since, size_t offset, char *path, size_t cap)
{
  int m =
      snprintf(path, cap, "%s?fields=%s&formerEmployees=true%s&paging=%zu,%u",
               LC_USERS, fields, since, offset, LC_PAGE);
  (void)c;
  return m < 0 || (size_t)m >= cap ? -1 : 0;
}

/* Forgets the pages read ahead and not used (their documents stay). */
static void ahead_drop(hrsync_conn *c)
{
  c->n_ahead = c->next_ahead = 0;
}

/* v3 sends no total unless asked: after a full first page, one
** fields=collection.count request (with the same filters) makes the rest
** of the roster a known number of pages. */
static hrsync_status ask_count(hrsync_conn *c, const char *since)
{
  static const char what[] = "GET " LC_USERS " fields=collection.count";
  char path[256];
  json_object *root = NULL, *n;
  hrsync_status st;
  c->count_asked = 1;
  snprintf(path, sizeof(path),
           "%s?fields=collection.count&formerEmployees=true%s", LC_USERS,
           since);
  st = lc_get(c, path, what, &root);
  if(st == HRSYNC_E_HTTP || st == HRSYNC_E_PARSE) {
    /* Only a shortcut: without a count the pages come one by one. */
    hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_INFO,
                "%s failed; paging one page at a time", what);
    return HRSYNC_OK;
  }
  if(st != HRSYNC_OK)
    return st;
  n = hsp_json_path(root, "data.count");
  if(json_object_is_type(n, json_type_int) && json_object_get_int64(n) >= 0) {
    c->total = (long)json_object_get_int64(n);
    if(HRSYNC_HOST_HAS(c->hh.h, roster_total))
      c->hh.h->roster_total(c->hh.ctx, (uint64_t)c->total);
  }
  json_object_put(root);
  return HRSYNC_OK;
}

/* The pages from c->offset on, up to the count or a batch, into
** c->ahead: the requests paging one by one would send. */
static hrsync_status read_ahead(hrsync_conn *c, const char *fields,
                                const char *since)
{
  char urls[HSP_MANY_BATCH][2600], whats[HSP_MANY_BATCH][128];
  const char *up[HSP_MANY_BATCH], *wp[HSP_MANY_BATCH];
  size_t n = 0, off = c->offset;
  hrsync_status st;
  for(; n < HSP_MANY_BATCH && off < (size_t)c->total; n++, off += LC_PAGE) {
    char path[2048];
    if(page_path(c, fields, since, off, path, sizeof(path)))
      return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                           "GET %s: too many fields for one request",
                           LC_USERS);
    if((st = hsp_url(&c->hh, urls[n], sizeof(urls[n]), c->base, "%s", path)))
      return st;
    snprintf(whats[n], sizeof(whats[n]), "GET %s paging=%zu,%u", LC_USERS, off,
             LC_PAGE);
    up[n] = urls[n];
    wp[n] = whats[n];
  }
  st = hsp_many_get_jv(&c->hh, up, n, c->auth, wp, c->docs, c->ahead);
  if(!st) {
    c->n_ahead = n;
    c->next_ahead = 0;
  }
  return st;
}

/* The parsed page at c->offset: read ahead once counted, or one GET
** (into docs[0]: nothing is read ahead then). */
static hrsync_status fetch(hrsync_conn *c, const char *fields,
                           const char *since, const char *what,
                           const hsp_jv **root)
{
  char path[2048];
  hrsync_status st;
  if(c->next_ahead == c->n_ahead) {
    c->n_ahead = c->next_ahead = 0;
    if(c->offset > 0 && !c->count_asked && hsp_many_ok(&c->hh) &&
       (st = ask_count(c, since)) != HRSYNC_OK)
      return st;
    if(c->total >= 0 && c->offset > 0 && c->offset < (size_t)c->total &&
       hsp_many_ok(&c->hh) && (st = read_ahead(c, fields, since)))
      return st;
  }
  if(c->next_ahead < c->n_ahead) {
    *root = c->ahead[c->next_ahead++];
    return HRSYNC_OK;
  }
  if(page_path(c, fields, since, c->offset, path, sizeof(path)))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "%s: too many fields for one request", what);
  return lc_get_jv(c, path, what, c->docs[0], root);
}

hrsync_status lc_next_page(hrsync_conn *c, int *has_more)
{
  char what[128];
  struct printbuf *list = NULL;
  const hsp_jv *root = NULL, *items, *u;
  hrsync_status st;
  size_t i;

  *has_more = 0;
  if(c->done)
    return HRSYNC_OK;
  snprintf(what, sizeof(what), "GET %s paging=%zu,%u", LC_USERS, c->offset,
           LC_PAGE);
  list = printbuf_new();
  if(!list) {
    st = HRSYNC_E_NOMEM;
    goto out;
  }
  st = lc_docs_ready(c);
  if(!st)
    st = lc_lookups_load(c);
  if(!st)
    st = fields_param(c, list);
  if(!st) {
    char since[96];
    if(since_param(c, since, sizeof(since)) < 0)
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_CONFIG,
                         "%s: too many fields for one request", what);
    else
      st = fetch(c, list->buf, since, what, &root);
  }
  if(!st)
    st = lc_items_jv(c, root, what, &items);
  if(st)
    goto out;
  if(!c->withheld_checked && hsp_jv_count(items)) {
    c->withheld_checked = 1;
    check_withheld(c, items);
  }
  for(u = hsp_jv_first(items), i = 0; !st && u; u = hsp_jv_next(items, u), i++)
    st = emit_user(c, u, what, i);
  i = hsp_jv_count(items);
  /* v3 sends no total; a short first page is the whole roster. */
  if(c->offset == 0 && i < LC_PAGE && HRSYNC_HOST_HAS(c->hh.h, roster_total))
    c->hh.h->roster_total(c->hh.ctx, (uint64_t)i);
  c->offset += i;
  if(i < LC_PAGE)
    c->done = 1;
  *has_more = !st && !c->done;
out:
  if(st || c->done)
    ahead_drop(c);
  printbuf_free(list);
  return st;
}
