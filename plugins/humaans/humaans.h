/*
** Humaans connector, internal interface between its files:
**   humaans.c  descriptor, settings, open/close/authenticate, fixed schema
**   page.c     GET of one $limit/$skip page and its end-of-list rules
**   roles.c    the current job role of every person, from /job-roles
**   custom.c   custom fields (/custom-fields) and their values
**   people.c   /people pages turned into records
*/
#ifndef HUMAANS_H
#define HUMAANS_H

#include "hsp.h"
#include "hsp_many.h"

/* Page size asked for; Humaans caps $limit at 250. */
#define HM_LIMIT 250u

/* A person's current job role. Strings owned by the connection. */
typedef struct hm_role {
  char *person;     /* personId */
  char *title;      /* jobTitle, or NULL */
  char *department; /* department name, or NULL */
  char date[11];    /* effectiveDate, YYYY-MM-DD */
  size_t seq;       /* order seen, the tie-break between equal dates */
} hm_role;

/* Paging state of one list endpoint. */
typedef struct hm_pager {
  const char *path; /* "/people" */
  size_t skip;      /* $skip of the next request */
  size_t limit;     /* $limit of the next request */
  int done;
  int refused_ok; /* a first page refused (400/403/404): an empty list */
  /* Once the first page gave a total, the next pages are read ahead in
  ** batches (SDK 1.4 http_many), then handed out in order. */
  int have_total;
  size_t total;
  json_object *ahead[HSP_MANY_BATCH]; /* parsed pages not handed out yet */
  size_t n_ahead, next_ahead;
} hm_pager;

/* A pager for path; refused_ok as in hm_pager. */
#define HM_PAGER(path, refused_ok)                                            \
  {                                                                           \
    (path), 0, HM_LIMIT, 0, (refused_ok), 0, 0, {NULL}, 0, 0                  \
  }

/* Frees the pages read ahead and not handed out (an early stop). */
void hm_pager_free(hm_pager *pager);

struct hrsync_conn {
  hsp_host hh;
  char base[512];
  char auth[1100]; /* "Bearer <token>" */
  char today[11];  /* UTC date at open, YYYY-MM-DD */
  hm_role *roles;  /* sorted by person once loaded */
  size_t n_roles;
  int roles_loaded;
  /* /job-roles as a catalogue {id, companyId, name}: "<id>" -> name,
  ** resolved through the person's role reference. */
  json_object *role_names;
  int dept_withheld; /* a catalogue only: no departments to join */
  /* Custom fields: "<customFieldId>" -> name; values by person:
  ** "<personId>" -> {"<name>": value}. NULL until loaded. */
  json_object *custom_defs;
  json_object *custom_values;
  int values_per_person; /* the list form was refused: ask per person */
  int total_said;        /* roster_total reported */
  /* The fields the engine uses (people.c): a person is built from these
  ** only, keys[] being the indexes of the wanted person_keys, in order. */
  hsp_wanted want;
  unsigned char keys[64];
  size_t n_keys;
  int keys_ready;
  hm_pager people;
};

/* GET path (appended to base_url), status checked, JSON parsed. what
** names the request in errors. The caller json_object_put()s *out. */
hrsync_status hm_get(hrsync_conn *c, const char *path, const char *what,
                     json_object **out);

/* hm_get, except that with refused_ok a 400, 403 or 404 answer is
** HRSYNC_OK with *out NULL (an endpoint, a form or a scope the server does
** not offer this token). */
hrsync_status hm_get_ex(hrsync_conn *c, const char *path, const char *what,
                        json_object **out, int refused_ok);

/* An envelope member ("total", "limit", "skip") as a count; -1 when
** absent or not a number. */
long long hm_count_of(json_object *root, const char *key);

/* Fetches pager's next page. *data is the envelope's "data" array,
** borrowed from *root, which the caller json_object_put()s. Advances the
** pager and sets pager->done after the last page (by total, a short page
** or an empty one). With a total and http_many, pages come from batches
** read ahead: the same requests, the same pages in the same order. */
hrsync_status hm_page_next(hrsync_conn *c, hm_pager *pager, json_object **root,
                           json_object **data);

/* Reads every page of /job-roles into the current-role table. */
hrsync_status hm_roles_load(hrsync_conn *c);

/* The current role of person, or NULL. */
const hm_role *hm_roles_find(const hrsync_conn *c, const char *person);

void hm_roles_free(hrsync_conn *c);

/* The title of person p's role through its reference (jobRoleId, or
** jobRole as an id or {id}) in the catalogue, or NULL. */
const char *hm_roles_catalogue_title(const hrsync_conn *c, json_object *p);

/* Custom fields (custom.c). Field ids are "custom.<name>". */
#define HM_CUSTOM_PREFIX "custom."
hrsync_status hm_custom_defs_load(hrsync_conn *c);
hrsync_status hm_custom_describe(hrsync_conn *c);
/* Whether the config uses a custom field. */
int hm_custom_wanted(const hrsync_conn *c);
/* Reads every custom value (list form) before the first page. */
hrsync_status hm_custom_values_load(hrsync_conn *c);
/* Sets every wanted custom.<name> of person id (NULL when it has none). */
hrsync_status hm_custom_emit(hrsync_conn *c, const char *id);
void hm_custom_free(hrsync_conn *c);

/* list_fields and next_page callbacks. */
hrsync_status hm_list_fields(hrsync_conn *c);
hrsync_status hm_next_page(hrsync_conn *c, int *has_more);

/* Record text of a Humaans value: arrays joined with ", " (objects by
** their "name"), null as NULL. Borrowed from v, tmp or pb. */
struct printbuf;
const char *hm_text(json_object *v, char *tmp, size_t cap,
                    struct printbuf *pb);

#endif
