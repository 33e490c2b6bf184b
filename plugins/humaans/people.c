/*
** Humaans roster: GET /people, one $limit/$skip page per next_page call.
**
** Every documented person field the config uses (every one when the
** engine lists none) that the answer carries is set; one it lacks is
** left unset (a token without private:read does not see personal
** fields: absent is not empty). status is passed as sent (active,
** offboarded, newHire...). jobTitle and department come from the job-role
** table, read first and only when the config uses them.
*/
#include "humaans.h"

#include <json-c/printbuf.h>
#include <string.h>

/* Person members copied as fields, in schema order. */
static const char *const person_keys[] = {
    "id",
    "companyId",
    "firstName",
    "middleName",
    "lastName",
    "preferredName",
    "email",
    "personalEmail",
    "phoneNumber",
    "formattedPhoneNumber",
    "personalPhoneNumber",
    "formattedPersonalPhoneNumber",
    "gender",
    "birthday",
    "nationality",
    "nationalities",
    "address",
    "city",
    "state",
    "postcode",
    "countryCode",
    "country",
    "locationId",
    "remoteCity",
    "remoteRegionCode",
    "remoteCountryCode",
    "remoteTimezone",
    "employmentStartDate",
    "firstWorkingDay",
    "employmentEndDate",
    "lastWorkingDay",
    "probationEndDate",
    "leavingReason",
    "leavingNote",
    "turnoverImpact",
    "contractType",
    "employeeId",
    "taxId",
    "taxCode",
    "teams",
    "status",
    "workingDays",
    "timezone",
    "role",
    "source",
    "sourceId",
    "createdAt",
    "updatedAt",
};

/* The text of one array element or object: itself when scalar, else its
** "name" (teams are [{"name": ...}]) or "day" (workingDays). */
static const char *item_text(json_object *v, char *tmp, size_t cap)
{
  const char *s;
  if(json_object_is_type(v, json_type_object)) {
    s = hsp_json_str(v, "name");
    if(!s)
      s = hsp_json_str(v, "day");
    return s ? s : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
  }
  return hsp_json_text(v, tmp, cap);
}

const char *hm_text(json_object *v, char *tmp, size_t cap, struct printbuf *pb)
{
  size_t i, n;
  if(!json_object_is_type(v, json_type_array))
    return json_object_is_type(v, json_type_object)
               ? item_text(v, tmp, cap)
               : hsp_json_text(v, tmp, cap);
  printbuf_reset(pb);
  n = json_object_array_length(v);
  for(i = 0; i < n; i++) {
    const char *s = item_text(json_object_array_get_idx(v, i), tmp, cap);
    /* Returns text, not a status: no memory only shortens the list. */
    (void)hsp_join(pb, s);
  }
  /* An empty list is an empty value. */
  return pb->bpos ? pb->buf : NULL;
}

/* Whether the config uses a job-role field. */
static int wants_roles(const hrsync_conn *c)
{
  const char *w;
  size_t i;
  for(i = 0; (w = c->hh.h->wanted_field(c->hh.ctx, i)) != NULL; i++)
    if(!strcmp(w, "jobTitle") || !strcmp(w, "department"))
      return 1;
  return 0;
}

#define N_PERSON_KEYS (sizeof(person_keys) / sizeof(person_keys[0]))
_Static_assert(N_PERSON_KEYS <= 64, "keys[] holds every person key");

/* Reads the wanted fields once: keys[] gets the person members to copy
** (all of them when the engine lists none), "id" always. Looking up only
** those is a third of the lookups of trying every key. */
static hrsync_status want_load(hrsync_conn *c)
{
  size_t i;
  hrsync_status st;
  if(c->keys_ready) /* not want.loaded: custom.c may have loaded it */
    return HRSYNC_OK;
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  c->keys_ready = 1;
  c->n_keys = 0;
  for(i = 0; i < N_PERSON_KEYS; i++)
    if(i == 0 || hsp_wanted_has(&c->want, person_keys[i]))
      c->keys[c->n_keys++] = (unsigned char)i;
  return HRSYNC_OK;
}

/* jobTitle and department from the role table. */
static hrsync_status emit_role(hrsync_conn *c, json_object *p, const char *id)
{
  const hrsync_host *h = c->hh.h;
  const hm_role *r = hm_roles_find(c, id);
  const char *title = r ? r->title : NULL;
  hrsync_status st = HRSYNC_OK;
  if(hsp_wanted_has(&c->want, "jobTitle")) {
    if(!r)
      title = hm_roles_catalogue_title(c, p);
    /* A person that carries its own title (some shapes do) keeps it. */
    if(!r && !title)
      title = hsp_json_str(p, "jobTitle");
    st = h->record_set(c->hh.ctx, "jobTitle", title);
  }
  if(!st && !c->dept_withheld && hsp_wanted_has(&c->want, "department"))
    st = h->record_set(c->hh.ctx, "department", r ? r->department : NULL);
  return st;
}

static hrsync_status emit_person(hrsync_conn *c, json_object *p, size_t skip,
                                 size_t idx, struct printbuf *pb)
{
  const hrsync_host *h = c->hh.h;
  const char *id = hsp_json_str(p, "id");
  char tmp[64];
  size_t i;
  hrsync_status st;

  if(!json_object_is_type(p, json_type_object) || !id || !*id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET /people $skip=%zu: data[%zu] has no \"id\"",
                         skip, idx);
  if((st = want_load(c)))
    return st;
  st = h->record_begin(c->hh.ctx, id);
  for(i = 0; !st && i < c->n_keys; i++) {
    const char *key = person_keys[c->keys[i]];
    json_object *v;
    if(json_object_object_get_ex(p, key, &v))
      st = h->record_set(c->hh.ctx, key, hm_text(v, tmp, sizeof(tmp), pb));
  }
  if(!st && c->roles_loaded)
    st = emit_role(c, p, id);
  if(!st && (c->custom_values || c->values_per_person))
    st = hm_custom_emit(c, id);
  if(!st)
    st = h->record_end(c->hh.ctx);
  return st;
}

hrsync_status hm_next_page(hrsync_conn *c, int *has_more)
{
  json_object *root = NULL, *data;
  struct printbuf *pb;
  size_t i, n, skip = c->people.skip;
  hrsync_status st = HRSYNC_OK;

  *has_more = 0;
  if(c->people.done)
    return HRSYNC_OK;
  if(!c->roles_loaded && skip == 0 && wants_roles(c))
    st = hm_roles_load(c);
  if(!st && skip == 0 && hm_custom_wanted(c))
    st = hm_custom_values_load(c);
  if(!st)
    st = hm_page_next(c, &c->people, &root, &data);
  if(st)
    return st;
  if(!c->total_said && HRSYNC_HOST_HAS(c->hh.h, roster_total)) {
    /* The envelope's total: progress and bounded paging (SDK 1.2). */
    json_object *t;
    c->total_said = 1;
    if(json_object_object_get_ex(root, "total", &t) &&
       json_object_is_type(t, json_type_int) && json_object_get_int64(t) >= 0)
      c->hh.h->roster_total(c->hh.ctx, (uint64_t)json_object_get_int64(t));
  }
  pb = printbuf_new();
  if(!pb) {
    json_object_put(root);
    return HRSYNC_E_NOMEM;
  }
  n = json_object_array_length(data);
  for(i = 0; !st && i < n; i++)
    st = emit_person(c, json_object_array_get_idx(data, i), skip, i, pb);
  printbuf_free(pb);
  json_object_put(root);
  *has_more = !st && !c->people.done;
  return st;
}
