/*
** Current job roles. A person's title and department are not on the
** person but on job roles, one per change, each with an effectiveDate.
** Rather than one request per person, every page of /job-roles is read
** once before the people, keeping the roles already in effect; sorting
** by person then date leaves each person's current role first.
**
** Two shapes of /job-roles are in circulation (real-tenants.md [U]):
** per-person rows {personId, jobTitle, department, effectiveDate}, and a
** catalogue {id, companyId, name} (a maintained public client's model),
** where the person points at its role. Rows with a personId are used as
** rows; the others fill the catalogue, resolved through the person's
** reference (people.c). A title missing either way is empty, never
** withheld; a catalogue carries no department, so without rows
** department is reported withheld (unknown, not empty).
*/
#include "humaans.h"

#include <stdlib.h>
#include <string.h>

/* department is a name; accept {"name": ...} too. */
static const char *dept_of(const hsp_jv *role)
{
  const hsp_jv *d = hsp_jv_get(role, "department");
  if(hsp_jv_kind(d) == HSP_JV_OBJECT)
    return hsp_jv_str(d, "name");
  return hsp_jv_string(d);
}

/* A catalogue entry {id, name}: kept as "<id>" -> name. */
static hrsync_status catalogue_add(hrsync_conn *c, const hsp_jv *role)
{
  const hsp_jv *idv = hsp_jv_get(role, "id");
  const char *name = hsp_jv_str(role, "name");
  char tmp[64];
  const char *id;
  if(!name || !idv)
    return HRSYNC_OK;
  id = hsp_jv_text(idv, tmp, sizeof(tmp), c->tb.item);
  if(!id || !*id)
    return HRSYNC_OK;
  if(!c->role_names && !(c->role_names = json_object_new_object()))
    return HRSYNC_E_NOMEM;
  return json_object_object_add(c->role_names, id,
                                json_object_new_string(name))
             ? HRSYNC_E_NOMEM
             : HRSYNC_OK;
}

const char *hm_roles_catalogue_title(const hrsync_conn *c, const hsp_jv *p)
{
  const hsp_jv *ref;
  json_object *name;
  char tmp[64];
  const char *id;
  if(!c->role_names)
    return NULL;
  if(!(ref = hsp_jv_get(p, "jobRoleId")) &&
     hsp_jv_kind(ref = hsp_jv_get(p, "jobRole")) == HSP_JV_OBJECT)
    ref = hsp_jv_get(ref, "id");
  if(!ref || hsp_jv_kind(ref) == HSP_JV_OBJECT ||
     hsp_jv_kind(ref) == HSP_JV_ARRAY)
    return NULL;
  id = hsp_jv_text(ref, tmp, sizeof(tmp), c->tb.item);
  if(!id || !json_object_object_get_ex(c->role_names, id, &name))
    return NULL;
  return json_object_get_string(name);
}

/* Adds role if it is in effect today; future roles are ignored. */
static hrsync_status keep_role(hrsync_conn *c, const hsp_jv *role, size_t *cap)
{
  const char *person = hsp_jv_str(role, "personId");
  const char *date = hsp_jv_str(role, "effectiveDate");
  hm_role *r;
  hrsync_status st;
  if(!person || !*person)
    return catalogue_add(c, role);
  /* No date: the role has always applied. */
  if(!date)
    date = "0000-00-00";
  if(strncmp(date, c->today, 10) > 0)
    return HRSYNC_OK;
  if(c->n_roles == *cap) {
    size_t ncap = *cap ? *cap * 2 : 256;
    hm_role *grown = realloc(c->roles, ncap * sizeof(*grown));
    if(!grown)
      return HRSYNC_E_NOMEM;
    c->roles = grown;
    *cap = ncap;
  }
  r = &c->roles[c->n_roles];
  memset(r, 0, sizeof(*r));
  snprintf(r->date, sizeof(r->date), "%.10s", date);
  r->seq = c->n_roles;
  if((st = hm_strs_add(&c->role_text, person, &r->person)) ||
     (st = hm_strs_add(&c->role_text, hsp_jv_str(role, "jobTitle"),
                       &r->title)) ||
     (st = hm_strs_add(&c->role_text, dept_of(role), &r->department)))
    return st;
  c->n_roles++;
  return HRSYNC_OK;
}

/* Every role read: the places of its strings become pointers. */
static void roles_finish(hrsync_conn *c)
{
  size_t i;
  for(i = 0; i < c->n_roles; i++) {
    hm_role *r = &c->roles[i];
    r->person = hm_strs_at(&c->role_text, r->person);
    r->title = hm_strs_at(&c->role_text, r->title);
    r->department = hm_strs_at(&c->role_text, r->department);
  }
}

/* Person ascending, then latest date (and latest seen) first. */
static int by_person_latest(const void *a, const void *b)
{
  const hm_role *x = a, *y = b;
  int d = strcmp(x->person, y->person);
  if(d)
    return d;
  d = strcmp(y->date, x->date);
  if(d)
    return d;
  return x->seq < y->seq ? 1 : -1;
}

hrsync_status hm_roles_load(hrsync_conn *c)
{
  hm_pager pager = HM_PAGER("/job-roles", 0);
  size_t cap = 0, i, kept;
  hrsync_status st = HRSYNC_OK;

  while(!st && !pager.done) {
    const hsp_jv *root, *data, *role;
    st = hm_page_next(c, &pager, &root, &data);
    for(role = hsp_jv_first(data); !st && role; role = hsp_jv_next(data, role))
      st = keep_role(c, role, &cap);
  }
  hm_pager_free(&pager);
  if(st)
    return st;
  roles_finish(c);
  if(c->n_roles)
    qsort(c->roles, c->n_roles, sizeof(*c->roles), by_person_latest);
  /* Keep the first (current) role of each person. */
  for(i = 0, kept = 0; i < c->n_roles; i++) {
    if(kept && !strcmp(c->roles[kept - 1].person, c->roles[i].person))
      continue;
    c->roles[kept++] = c->roles[i];
  }
  c->n_roles = kept;
  c->roles_loaded = 1;
  if(!kept && c->role_names && HRSYNC_HOST_HAS(c->hh.h, field_withheld)) {
    const char *w;
    for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
      if(!strcmp(w, "department")) {
        c->hh.h->field_withheld(c->hh.ctx, "department",
                                "Humaans job roles came as a catalogue "
                                "(id, name) without departments");
        c->dept_withheld = 1;
        break;
      }
  }
  hrsync_logf(c->hh.h, c->hh.ctx, HRSYNC_LOG_DEBUG,
              "job roles: %zu people with a current role", kept);
  return HRSYNC_OK;
}

static int by_person_key(const void *key, const void *elem)
{
  return strcmp(key, ((const hm_role *)elem)->person);
}

const hm_role *hm_roles_find(const hrsync_conn *c, const char *person)
{
  if(!c->n_roles)
    return NULL;
  return bsearch(person, c->roles, c->n_roles, sizeof(*c->roles),
                 by_person_key);
}

void hm_roles_free(hrsync_conn *c)
{
  free(c->roles);
  hm_strs_free(&c->role_text);
  c->roles = NULL;
  c->n_roles = 0;
  c->roles_loaded = 0;
  json_object_put(c->role_names);
  c->role_names = NULL;
}
