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

hrsync_status hm_textbuf_init(hm_textbuf *tb)
{
  if(!tb->list && !(tb->list = printbuf_new()))
    return HRSYNC_E_NOMEM;
  if(!tb->item && !(tb->item = printbuf_new()))
    return HRSYNC_E_NOMEM;
  return HRSYNC_OK;
}

void hm_textbuf_free(hm_textbuf *tb)
{
  if(tb->list)
    printbuf_free(tb->list);
  if(tb->item)
    printbuf_free(tb->item);
  tb->list = tb->item = NULL;
}

/* The text of one array element or object: itself when scalar, else its
** "name" (teams are [{"name": ...}]) or "day" (workingDays), else its
** compact JSON in tb->item (not tb->list: that may be the list being
** joined). */
static const char *item_text(const hsp_jv *v, hm_textbuf *tb)
{
  const char *s;
  if(hsp_jv_kind(v) == HSP_JV_OBJECT) {
    s = hsp_jv_str(v, "name");
    if(!s)
      s = hsp_jv_str(v, "day");
    if(s)
      return s;
  }
  return hsp_jv_text(v, tb->tmp, sizeof(tb->tmp), tb->item);
}

const char *hm_text(const hsp_jv *v, hm_textbuf *tb)
{
  const hsp_jv *e;
  if(hsp_jv_kind(v) != HSP_JV_ARRAY)
    return item_text(v, tb);
  printbuf_reset(tb->list);
  for(e = hsp_jv_first(v); e; e = hsp_jv_next(v, e))
    /* Returns text, not a status: no memory only shortens the list. */
    (void)hsp_join(tb->list, item_text(e, tb));
  /* An empty list is an empty value. */
  return tb->list->bpos ? tb->list->buf : NULL;
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
#define KSLOTS (sizeof(((hrsync_conn *)0)->kslot))
_Static_assert(KSLOTS >= 2 * N_PERSON_KEYS && !(KSLOTS & (KSLOTS - 1)),
               "kslot[] is a power of two, at most half full");

/* A member name's first slot in kslot[]: from its length and three of
** its bytes, no loop over the name. */
static size_t kslot_of(const char *key, size_t len)
{
  unsigned char a = (unsigned char)key[0], b = (unsigned char)key[len / 2],
                z = (unsigned char)key[len ? len - 1 : 0];
  return (len * 97u + a * 31u + b * 7u + z) & (KSLOTS - 1);
}

/* The position in keys[] of the wanted person member key (len bytes), or
** -1: a member the config does not use, or not a person field. */
static int wanted_pos(const hrsync_conn *c, const char *key, size_t len)
{
  size_t s = kslot_of(key, len);
  for(; c->kslot[s]; s = (s + 1) & (KSLOTS - 1)) {
    size_t pos = c->kslot[s] - 1u;
    const char *name = person_keys[c->keys[pos]];
    if(c->klen[pos] == len && !memcmp(name, key, len))
      return (int)pos;
  }
  return -1;
}

/* Reads the wanted fields once: keys[] gets the person members to copy
** (all of them when the engine lists none), "id" always, and kslot[] finds
** them by name: a person's members are then read in one pass, each looked
** up once, instead of a search of the person for every wanted key. */
static hrsync_status want_load(hrsync_conn *c)
{
  size_t i, s;
  hrsync_status st;
  if(c->keys_ready) /* not want.loaded: custom.c may have loaded it */
    return HRSYNC_OK;
  if((st = hsp_wanted_load(&c->hh, &c->want)))
    return st;
  c->keys_ready = 1;
  c->n_keys = 0;
  memset(c->kslot, 0, sizeof(c->kslot));
  for(i = 0; i < N_PERSON_KEYS; i++) {
    if(i && !hsp_wanted_has(&c->want, person_keys[i]))
      continue;
    c->klen[c->n_keys] = (unsigned char)strlen(person_keys[i]);
    s = kslot_of(person_keys[i], c->klen[c->n_keys]);
    while(c->kslot[s])
      s = (s + 1) & (KSLOTS - 1);
    c->keys[c->n_keys++] = (unsigned char)i;
    c->kslot[s] = (unsigned char)c->n_keys; /* position + 1 */
  }
  return HRSYNC_OK;
}

/* jobTitle and department from the role table. */
static hrsync_status emit_role(hrsync_conn *c, const hsp_jv *p, const char *id)
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
      title = hsp_jv_str(p, "jobTitle");
    st = h->record_set(c->hh.ctx, "jobTitle", title);
  }
  if(!st && !c->dept_withheld && hsp_wanted_has(&c->want, "department"))
    st = h->record_set(c->hh.ctx, "department", r ? r->department : NULL);
  return st;
}

static hrsync_status emit_person(hrsync_conn *c, const hsp_jv *p, size_t skip,
                                 size_t idx)
{
  const hrsync_host *h = c->hh.h;
  const char *id = hsp_jv_str(p, "id");
  const hsp_jv *vals[64], *m;
  size_t i;
  hrsync_status st;

  if(hsp_jv_kind(p) != HSP_JV_OBJECT || !id || !*id)
    return hrsync_errorf(h, c->hh.ctx, HRSYNC_E_PARSE,
                         "GET /people $skip=%zu: data[%zu] has no \"id\"",
                         skip, idx);
  if((st = want_load(c)))
    return st;
  /* Each wanted member (the last of its name), then set in schema order:
  ** a member the answer lacks stays unset (withheld is not empty). */
  memset(vals, 0, c->n_keys * sizeof(vals[0]));
  for(m = hsp_jv_first(p); m; m = hsp_jv_next(p, m)) {
    int pos = wanted_pos(c, m->key, m->key_len);
    if(pos >= 0)
      vals[pos] = m;
  }
  st = h->record_begin(c->hh.ctx, id);
  for(i = 0; !st && i < c->n_keys; i++)
    if(vals[i])
      st = h->record_set(c->hh.ctx, person_keys[c->keys[i]],
                         hm_text(vals[i], &c->tb));
  if(!st && c->roles_loaded)
    st = emit_role(c, p, id);
  if(!st && (c->values_loaded || c->values_per_person))
    st = hm_custom_emit(c, id);
  if(!st)
    st = h->record_end(c->hh.ctx);
  return st;
}

hrsync_status hm_next_page(hrsync_conn *c, int *has_more)
{
  const hsp_jv *root = NULL, *data, *p;
  size_t i, skip = c->people.skip;
  long long total;
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
    c->total_said = 1;
    if((total = hm_count_of(root, "total")) >= 0)
      c->hh.h->roster_total(c->hh.ctx, (uint64_t)total);
  }
  for(i = 0, p = hsp_jv_first(data); !st && p; p = hsp_jv_next(data, p), i++)
    st = emit_person(c, p, skip, i);
  *has_more = !st && !c->people.done;
  return st;
}
