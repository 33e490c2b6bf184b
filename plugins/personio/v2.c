/*
** Personio API v2 (settings.api = "v2"): GET /v2/persons?limit=50, then
** each page's _meta.links.next.href until there is none. A next link may
** be absolute or relative ("/v2/persons?limit=50&cursor=..."), and the
** cursor carries "+", "/" and "=": the href is used exactly as sent,
** never decoded. An absolute link must stay under base_url (the token is
** sent with it).
**
** A person has no employment details: they need one more request each,
** GET /v2/persons/{id}/employments, made only when the config uses an
** employment field. The current employment is the one that started last.
**
** Records: the person's members by their own names (first_name, email,
** status...), custom_attributes by id (dynamic_305), the employment's
** members as "employment.<key>" (nested objects flattened:
** "employment.position.title", org units as
** "employment.org_units.<type>.id", and their names, which v2 does not
** inline, from GET /v2/org-units?type=..., read once when the config uses
** them), and the v1 names the default mapping uses (hire_date,
** termination_date, position, department.name, ...) as aliases, so one
** config works with either API.
*/
#include "personio.h"

#include <json-c/printbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V2_LIMIT 50 /* Personio refuses more on /v2/persons */

static const char *const person_keys[] = {
    "id",     "email",  "first_name", "last_name",  "preferred_name",
    "gender", "status", "created_at", "updated_at", NULL};

/* v1 names kept as aliases of employment members. */
static const struct alias {
  const char *v1, *v2;
} aliases[] = {
    {"hire_date", "employment.employment_start_date"},
    {"termination_date", "employment.termination.termination_date"},
    {"last_working_day", "employment.termination.last_working_date"},
    {"contract_end_date", "employment.contract_end_date"},
    {"probation_period_end", "employment.probation_end_date"},
    {"position", "employment.position.title"},
    {"supervisor.id", "employment.supervisor.id"},
    {"weekly_working_hours", "employment.weekly_working_hours"},
    {"employment_type", "employment.type"},
    {"department.id", "employment.org_units.department.id"},
    {"department.name", "employment.org_units.department.name"},
    {"team.id", "employment.org_units.team.id"},
    {"team.name", "employment.org_units.team.name"},
};

typedef struct v2field {
  const char *id, *label;
  hrsync_field_type type;
} v2field;

static const v2field schema[] = {
    {"id", "Person ID", HRSYNC_FIELD_TEXT},
    {"email", "Email", HRSYNC_FIELD_EMAIL},
    {"first_name", "First name", HRSYNC_FIELD_TEXT},
    {"last_name", "Last name", HRSYNC_FIELD_TEXT},
    {"preferred_name", "Preferred name", HRSYNC_FIELD_TEXT},
    {"gender", "Gender (MALE, FEMALE, DIVERSE, UNSPECIFIED)",
     HRSYNC_FIELD_LIST},
    {"status", "Status (ACTIVE, INACTIVE)", HRSYNC_FIELD_LIST},
    {"created_at", "Created at (timestamp)", HRSYNC_FIELD_TEXT},
    {"updated_at", "Updated at (timestamp)", HRSYNC_FIELD_TEXT},
    {"employment.status", "Employment status", HRSYNC_FIELD_LIST},
    {"employment.type", "Employment type (INTERNAL/EXTERNAL)",
     HRSYNC_FIELD_LIST},
    {"employment.employment_start_date", "Employment start",
     HRSYNC_FIELD_DATE},
    {"employment.employment_end_date", "Employment end", HRSYNC_FIELD_DATE},
    {"employment.contract_end_date", "Contract end", HRSYNC_FIELD_DATE},
    {"employment.probation_end_date", "Probation end", HRSYNC_FIELD_DATE},
    {"employment.weekly_working_hours", "Weekly hours", HRSYNC_FIELD_NUMBER},
    {"employment.full_time_weekly_working_hours", "Full-time weekly hours",
     HRSYNC_FIELD_NUMBER},
    {"employment.position.title", "Position", HRSYNC_FIELD_TEXT},
    {"employment.supervisor.id", "Supervisor (person id)", HRSYNC_FIELD_TEXT},
    {"employment.office.id", "Office id", HRSYNC_FIELD_TEXT},
    {"employment.legal_entity.id", "Legal entity id", HRSYNC_FIELD_TEXT},
    {"employment.org_units.department.id", "Department (org unit id)",
     HRSYNC_FIELD_TEXT},
    {"employment.org_units.team.id", "Team (org unit id)", HRSYNC_FIELD_TEXT},
    {"employment.org_units.department.name", "Department", HRSYNC_FIELD_TEXT},
    {"employment.org_units.team.name", "Team", HRSYNC_FIELD_TEXT},
    {"department.id", "Department (org unit id)", HRSYNC_FIELD_TEXT},
    {"department.name", "Department", HRSYNC_FIELD_TEXT},
    {"team.id", "Team (org unit id)", HRSYNC_FIELD_TEXT},
    {"team.name", "Team", HRSYNC_FIELD_TEXT},
    {"employment.cost_centers", "Cost centers (ids)", HRSYNC_FIELD_TEXT},
    {"employment.termination.termination_date", "Termination date",
     HRSYNC_FIELD_DATE},
    {"employment.termination.last_working_date", "Last working date",
     HRSYNC_FIELD_DATE},
    {"employment.termination.type", "Termination type", HRSYNC_FIELD_LIST},
    {"employment.termination.reason", "Termination reason", HRSYNC_FIELD_TEXT},
    {"hire_date", "Hire date (employment start)", HRSYNC_FIELD_DATE},
    {"termination_date", "Termination date", HRSYNC_FIELD_DATE},
    {"last_working_day", "Last working day", HRSYNC_FIELD_DATE},
    {"contract_end_date", "Contract ends", HRSYNC_FIELD_DATE},
    {"probation_period_end", "Probation period end", HRSYNC_FIELD_DATE},
    {"position", "Position", HRSYNC_FIELD_TEXT},
    {"supervisor.id", "Supervisor (person id)", HRSYNC_FIELD_TEXT},
    {"weekly_working_hours", "Weekly hours", HRSYNC_FIELD_NUMBER},
    {"employment_type",
     "Employment type (INTERNAL/EXTERNAL \xe2\x80\x94 not "
     "full/part-time)",
     HRSYNC_FIELD_LIST},
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Whether the config uses an employment field (worth N+1 requests). */
static int wants_employment(hrsync_conn *c)
{
  const char *w;
  size_t i, j;
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++) {
    if(!strncmp(w, "employment.", 11))
      return 1;
    for(j = 0; j < N_OF(aliases); j++)
      if(!strcmp(w, aliases[j].v1))
        return 1;
  }
  return 0;
}

/* Text of a custom attribute value: a string, a list (of strings or of
** objects with "value"/"name"), or any scalar; a list is joined in pb, a
** nested value's JSON written in tpb. */
static const char *custom_text(const hsp_jv *v, char *tmp, size_t cap,
                               struct printbuf *pb, struct printbuf *tpb)
{
  const hsp_jv *e;
  if(hsp_jv_kind(v) != HSP_JV_ARRAY)
    return hsp_jv_kind(v) == HSP_JV_OBJECT ? hsp_jv_str(v, "value")
                                           : hsp_jv_text(v, tmp, cap, tpb);
  printbuf_reset(pb);
  for(e = hsp_jv_first(v); e; e = hsp_jv_next(v, e)) {
    const char *s = hsp_jv_kind(e) == HSP_JV_OBJECT
                        ? (hsp_jv_str(e, "value") ? hsp_jv_str(e, "value")
                                                  : hsp_jv_str(e, "name"))
                        : hsp_jv_text(e, tmp, cap, tpb);
    (void)hsp_join(pb, s); /* no memory only shortens the list */
  }
  return pb->bpos ? pb->buf : NULL;
}

/* acc[id] = text (NULL: null); 0 or -1 on no memory. */
static int acc_set(json_object *acc, const char *id, const char *text)
{
  json_object *s = NULL;
  if(text && !(s = json_object_new_string(text)))
    return -1;
  return json_object_object_add(acc, id, s);
}

/* An array member of an employment into acc: org_units by type
** (id.<type>.id), others as their elements' ids joined. */
static hrsync_status flatten_array(json_object *acc, const char *id,
                                   const char *key, const hsp_jv *v,
                                   struct printbuf *tpb)
{
  struct printbuf *pb = printbuf_new();
  const hsp_jv *e;
  char tmp[64];
  hrsync_status st = HRSYNC_OK;
  int units = !strcmp(key, "org_units");
  if(!pb)
    return HRSYNC_E_NOMEM;
  for(e = hsp_jv_first(v); e && !st; e = hsp_jv_next(v, e)) {
    const char *type = hsp_jv_str(e, "type");
    const hsp_jv *eid;
    if(units && type && *type) {
      char sub[400];
      snprintf(sub, sizeof(sub), "%s.%s.id", id, type);
      if((eid = hsp_jv_get(e, "id")) != NULL &&
         !json_object_object_get_ex(acc, sub, NULL) &&
         acc_set(acc, sub, hsp_jv_text(eid, tmp, sizeof(tmp), tpb)))
        st = HRSYNC_E_NOMEM;
    }
    else {
      eid = hsp_jv_kind(e) == HSP_JV_OBJECT ? hsp_jv_get(e, "id") : e;
      st = hsp_join(pb, hsp_jv_text(eid, tmp, sizeof(tmp), tpb));
    }
  }
  if(!st && !units && acc_set(acc, id, pb->bpos ? pb->buf : NULL))
    st = HRSYNC_E_NOMEM;
  printbuf_free(pb);
  return st;
}

/* Flattens obj into acc under prefix: scalars as prefix.key, objects
** recursively, org_units by type, other arrays of objects by their ids. */
static hrsync_status flatten(json_object *acc, const char *prefix,
                             const hsp_jv *obj, int depth,
                             struct printbuf *tpb)
{
  char id[300], tmp[64];
  const hsp_jv *v;
  hrsync_status st = HRSYNC_OK;
  if(depth > 4 || hsp_jv_kind(obj) != HSP_JV_OBJECT)
    return HRSYNC_OK;
  for(v = hsp_jv_first(obj); v && !st; v = hsp_jv_next(obj, v)) {
    const char *key = v->key;
    if(!*key || !strcmp(key, "_meta") || !strcmp(key, "person"))
      continue;
    snprintf(id, sizeof(id), "%s.%s", prefix, key);
    if(hsp_jv_kind(v) == HSP_JV_OBJECT)
      st = flatten(acc, id, v, depth + 1, tpb);
    else if(hsp_jv_kind(v) == HSP_JV_ARRAY)
      st = flatten_array(acc, id, key, v, tpb);
    else if(acc_set(acc, id, hsp_jv_text(v, tmp, sizeof(tmp), tpb)))
      st = HRSYNC_E_NOMEM;
  }
  return st;
}

/* The employment that started last among data[] (most recent first per
** the docs; the start date decides if the order differs). */
static const hsp_jv *current_employment(const hsp_jv *data)
{
  const hsp_jv *best = NULL, *e;
  const char *best_start = NULL;
  for(e = hsp_jv_first(data); e; e = hsp_jv_next(data, e)) {
    const char *s = hsp_jv_str(e, "employment_start_date");
    if(!best || (s && (!best_start || strcmp(s, best_start) > 0))) {
      best = e;
      best_start = s;
    }
  }
  return best;
}

/* The person's current employment into acc, its answer parsed into
** docs[1] (docs[0] holds the page of persons). */
static hrsync_status fetch_employment(hrsync_conn *c, const char *pid,
                                      json_object *acc)
{
  char url[1400], what[256], esc[96];
  const hsp_jv *root = NULL, *data, *e;
  hrsync_status st;
  if(hrsync_url_escape(esc, sizeof(esc), pid) == (size_t)-1)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "person id \"%.40s\" is too long", pid);
  st = hsp_url(&c->hh, url, sizeof(url), c->base,
               "/v2/persons/%s/employments?limit=%d", esc, V2_LIMIT);
  if(st)
    return st;
  snprintf(what, sizeof(what), "/v2/persons/%s/employments", esc);
  st = psn_get_jv(c, url, what, c->docs[1], &root);
  if(st)
    return st;
  data = hsp_jv_get(root, "_data");
  if(hsp_jv_kind(data) != HSP_JV_ARRAY)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: '_data' is not an array", what);
  e = current_employment(data);
  if(e && (st = flatten(acc, "employment", e, 0, c->tpb)) != HRSYNC_OK)
    return st;
  {
    /* termination_date falls back on the employment's end date. */
    json_object *end;
    if(!json_object_object_get_ex(
           acc, "employment.termination.termination_date", &end) ||
       !end) {
      json_object *ee = NULL;
      json_object_object_get_ex(acc, "employment.employment_end_date", &ee);
      json_object_object_add(acc, "employment.termination.termination_date",
                             json_object_get(ee));
    }
  }
  return HRSYNC_OK;
}

static hrsync_status next_url_of(hrsync_conn *c, const char *href,
                                 const char *what, char **out);

/* Whether the config uses an org unit's name of this type. */
static int wants_unit_names(hrsync_conn *c, const char *type)
{
  char a[64], b[96];
  const char *w;
  size_t i;
  snprintf(a, sizeof(a), "%s.name", type);
  snprintf(b, sizeof(b), "employment.org_units.%s.name", type);
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    if(!strcmp(w, a) || !strcmp(w, b))
      return 1;
  return 0;
}

/* Names are not inline in v2: GET /v2/org-units?type=<type> (cursor
** paged like persons), read once into map ("<id>" -> name). */
static hrsync_status load_units(hrsync_conn *c, const char *type,
                                json_object *map)
{
  char first[1200], what[96], *url = NULL, *next = NULL;
  hrsync_status st;
  int pages;
  snprintf(what, sizeof(what), "/v2/org-units?type=%s", type);
  st = hsp_url(&c->hh, first, sizeof(first), c->base,
               "/v2/org-units?type=%s&limit=%d", type, V2_LIMIT);
  for(pages = 0; !st && pages < 10000; pages++) {
    json_object *root = NULL, *data, *href;
    size_t i, n;
    st = psn_get_url(c, url ? url : first, what, &root);
    if(st)
      break;
    if(!json_object_object_get_ex(root, "_data", &data) ||
       !json_object_is_type(data, json_type_array)) {
      json_object_put(root);
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: '_data' is not an array", what);
      break;
    }
    n = json_object_array_length(data);
    for(i = 0; i < n; i++) {
      json_object *u = json_object_array_get_idx(data, i), *idv;
      const char *name = hsp_json_str(u, "name");
      char tmp[64];
      if(name && json_object_object_get_ex(u, "id", &idv))
        json_object_object_add(map, hsp_json_text(idv, tmp, sizeof(tmp)),
                               json_object_new_string(name));
    }
    href = hsp_json_path(root, "_meta.links.next.href");
    next = NULL;
    if(n && json_object_is_type(href, json_type_string) &&
       json_object_get_string_len(href))
      st = next_url_of(c, json_object_get_string(href), what, &next);
    json_object_put(root);
    if(!st && next && url && !strcmp(next, url))
      st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: the next link repeats this page", what);
    free(url);
    url = next;
    next = NULL;
    if(!url)
      break;
  }
  free(url);
  free(next);
  return st;
}

/* acc["...<type>.name"] from acc["...<type>.id"] through c->units. */
static void name_units(hrsync_conn *c, json_object *acc)
{
  static const char *const types[] = {"department", "team"};
  size_t t;
  for(t = 0; t < 2; t++) {
    char idk[96], namek[96];
    json_object *idv = NULL, *map, *name;
    snprintf(idk, sizeof(idk), "employment.org_units.%s.id", types[t]);
    snprintf(namek, sizeof(namek), "employment.org_units.%s.name", types[t]);
    if(!c->units || !json_object_object_get_ex(c->units, types[t], &map) ||
       !json_object_object_get_ex(acc, idk, &idv) || !idv ||
       !json_object_object_get_ex(map, json_object_get_string(idv), &name))
      continue;
    json_object_object_add(acc, namek, json_object_get(name));
  }
}

hrsync_status psn_v2_units_load(hrsync_conn *c)
{
  static const char *const types[] = {"department", "team"};
  hrsync_status st = HRSYNC_OK;
  size_t t;
  if(c->units)
    return HRSYNC_OK;
  if(!(c->units = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  for(t = 0; !st && t < 2; t++) {
    json_object *map;
    if(!wants_unit_names(c, types[t]))
      continue;
    if(!(map = json_object_new_object()))
      return HRSYNC_E_NOMEM;
    json_object_object_add(c->units, types[t], map);
    st = load_units(c, types[t], map);
  }
  return st;
}

/* Emits one person (and its employment when wanted). */
static hrsync_status emit_person(hrsync_conn *c, const hsp_jv *p, size_t i,
                                 const char *what, int with_emp)
{
  const hrsync_host *h = c->hh.h;
  json_object *acc = NULL;
  const hsp_jv *ca, *a;
  char tmp[64];
  const char *id = hsp_jv_str(p, "id");
  hrsync_status st;
  size_t k;

  if(!id || !*id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: _data[%zu] has no id", what, i);
  switch(hsp_idset_add(&c->seen, id)) {
  case 0:
    return HRSYNC_OK; /* listed twice */
  case -1:
    return HRSYNC_E_NOMEM;
  }
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  if(with_emp && !(acc = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  st = with_emp ? fetch_employment(c, id, acc) : HRSYNC_OK;
  if(!st && with_emp)
    name_units(c, acc);
  if(!st)
    st = h->record_begin(c->hh.ctx, id);
  /* Only the fields the config uses (all when it names none); id always. */
  for(k = 0; !st && person_keys[k]; k++) {
    const hsp_jv *v;
    if((!k || hsp_wanted_has(&c->want, person_keys[k])) &&
       (v = hsp_jv_get(p, person_keys[k])) != NULL)
      st = hsp_emit_jv(&c->hh, person_keys[k], v, c->tpb);
  }
  ca = hsp_jv_get(p, "custom_attributes");
  for(a = hsp_jv_kind(ca) == HSP_JV_ARRAY ? hsp_jv_first(ca) : NULL; !st && a;
      a = hsp_jv_next(ca, a)) {
    const char *aid = hsp_jv_str(a, "id");
    if(!aid || !*aid || !hsp_wanted_has(&c->want, aid))
      continue;
    st = h->record_set(
        c->hh.ctx, aid,
        custom_text(hsp_jv_get(a, "value"), tmp, sizeof(tmp), c->pb, c->tpb));
  }
  if(!st && with_emp) {
    /* Only what the schema describes (an id or a link is not a field). */
    for(k = 0; !st && k < N_OF(schema); k++) {
      json_object *ev = NULL;
      if(strncmp(schema[k].id, "employment.", 11) ||
         !hsp_wanted_has(&c->want, schema[k].id))
        continue;
      json_object_object_get_ex(acc, schema[k].id, &ev);
      st = h->record_set(c->hh.ctx, schema[k].id,
                         ev ? json_object_get_string(ev) : NULL);
    }
    for(k = 0; !st && k < N_OF(aliases); k++) {
      json_object *av = NULL;
      if(!hsp_wanted_has(&c->want, aliases[k].v1))
        continue;
      json_object_object_get_ex(acc, aliases[k].v2, &av);
      st = h->record_set(c->hh.ctx, aliases[k].v1,
                         av ? json_object_get_string(av) : NULL);
    }
  }
  if(!st)
    st = h->record_end(c->hh.ctx);
  json_object_put(acc);
  return st;
}

/* The URL of a next link into *out (malloc'd): relative ones are under
** base_url; absolute ones must be (the bearer token goes with them). */
static hrsync_status next_url_of(hrsync_conn *c, const char *href,
                                 const char *what, char **out)
{
  size_t nb = strlen(c->base);
  *out = NULL;
  if(href[0] == '/') {
    /* Relative to the API root: base_url may carry a path of its own. */
    if(!(*out = malloc(nb + strlen(href) + 1)))
      return HRSYNC_E_NOMEM;
    memcpy(*out, c->base, nb);
    strcpy(*out + nb, href);
    return HRSYNC_OK;
  }
  if(strncmp(href, c->base, nb) || (href[nb] != '/' && href[nb] != '?'))
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: the next link leaves base_url (%.80s)", what,
                         href);
  return (*out = strdup(href)) ? HRSYNC_OK : HRSYNC_E_NOMEM;
}

static hrsync_status v2_page(hrsync_conn *c, int *done)
{
  char what[160], first[1200];
  const hsp_jv *root = NULL, *data, *p;
  const char *url = c->next_url, *href;
  hrsync_status st;
  size_t i, n;
  int with_emp = wants_employment(c);

  *done = 0;
  if((st = psn_docs_ready(c)) != HRSYNC_OK)
    return st;
  if(!c->v2_started) {
    st = with_emp ? psn_v2_units_load(c) : HRSYNC_OK;
    if(st)
      return st;
    st = hsp_url(&c->hh, first, sizeof(first), c->base, "/v2/persons?limit=%d",
                 V2_LIMIT);
    if(st)
      return st;
    url = first;
    c->v2_started = 1;
  }
  snprintf(what, sizeof(what), "/v2/persons%s",
           url == first ? "" : " (next page)");
  st = psn_get_jv(c, url, what, c->docs[0], &root);
  if(st)
    return st;
  data = hsp_jv_get(root, "_data");
  if(hsp_jv_kind(data) != HSP_JV_ARRAY)
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: '_data' is not an array", what);
  n = hsp_jv_count(data);
  for(p = hsp_jv_first(data), i = 0; !st && p; p = hsp_jv_next(data, p), i++)
    st = emit_person(c, p, i, what, with_emp);
  href = hsp_jv_string(hsp_jv_path(root, "_meta.links.next.href"));
  if(!st) {
    char *next = NULL;
    if(href && *href && n) {
      st = next_url_of(c, href, what, &next);
      if(!st && c->next_url && !strcmp(next, c->next_url)) {
        free(next);
        next = NULL;
        st = hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                           "%s: the next link repeats this page", what);
      }
    }
    free(c->next_url);
    c->next_url = next;
    *done = !next;
  }
  return st;
}

hrsync_status psn_v2_next_page(hrsync_conn *c, int *has_more)
{
  int done = 0;
  hrsync_status st = HRSYNC_OK;
  if(!c->done) {
    st = v2_page(c, &done);
    if(!st && done)
      c->done = 1;
  }
  *has_more = st == HRSYNC_OK && !c->done;
  return st;
}

hrsync_status psn_v2_list_fields(hrsync_conn *c)
{
  static const char what[] = "/v2/persons (custom attributes)";
  json_object *root = NULL, *data, *seen;
  char path[64];
  hrsync_status st = HRSYNC_OK;
  size_t i, n;

  for(i = 0; !st && i < N_OF(schema); i++) {
    hrsync_field_def d;
    memset(&d, 0, sizeof(d));
    d.struct_size = sizeof(d);
    d.type = schema[i].type;
    d.id = schema[i].id;
    d.label = schema[i].label;
    st = c->hh.h->field(c->hh.ctx, &d);
  }
  if(st)
    return st;
  /* v2 has no attribute list: the custom attributes the first page of
  ** persons carries, with their labels. */
  snprintf(path, sizeof(path), "/v2/persons?limit=%d", V2_LIMIT);
  st = psn_get(c, path, what, &root);
  if(st)
    return st;
  if(!json_object_object_get_ex(root, "_data", &data) ||
     !json_object_is_type(data, json_type_array)) {
    json_object_put(root);
    return hrsync_errorf(c->hh.h, c->hh.ctx, HRSYNC_E_PARSE,
                         "%s: '_data' is not an array", what);
  }
  if(!(seen = json_object_new_object())) {
    json_object_put(root);
    return HRSYNC_E_NOMEM;
  }
  n = json_object_array_length(data);
  for(i = 0; !st && i < n; i++) {
    json_object *ca;
    size_t k, m;
    if(!json_object_object_get_ex(json_object_array_get_idx(data, i),
                                  "custom_attributes", &ca) ||
       !json_object_is_type(ca, json_type_array))
      continue;
    m = json_object_array_length(ca);
    for(k = 0; !st && k < m; k++) {
      json_object *a = json_object_array_get_idx(ca, k);
      const char *aid = hsp_json_str(a, "id"), *t = hsp_json_str(a, "type");
      hrsync_field_def d;
      if(!aid || !*aid || json_object_object_get_ex(seen, aid, NULL))
        continue;
      json_object_object_add(seen, aid, NULL);
      memset(&d, 0, sizeof(d));
      d.struct_size = sizeof(d);
      d.type = t && (!strcmp(t, "date") || !strcmp(t, "DATE"))
                   ? HRSYNC_FIELD_DATE
                   : HRSYNC_FIELD_TEXT;
      d.id = aid;
      d.label = hsp_json_str(a, "label");
      if(!d.label)
        d.label = hsp_json_str(a, "global_id");
      st = c->hh.h->field(c->hh.ctx, &d);
    }
  }
  json_object_put(seen);
  json_object_put(root);
  return st;
}
