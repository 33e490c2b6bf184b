/*
** Humaans connector, internal interface between its files:
**   humaans.c  descriptor, settings, open/close/authenticate, fixed schema
**   page.c     GET of one $limit/$skip page and its end-of-list rules
**   roles.c    the current job role of every person, from /job-roles
**   custom.c   custom fields (/custom-fields) and their values
**   people.c   /people pages turned into records
**   strs.c     the strings of the role and custom-value tables, one block
** Every list page is parsed flat (hsp_jv.h), not into a json-c tree.
*/
#ifndef HUMAANS_H
#define HUMAANS_H

#include "hsp.h"
#include "hsp_jv.h"
#include "hsp_many.h"

/* Page size asked for; Humaans caps $limit at 250. */
#define HM_LIMIT 250u

/* Strings of a table loaded once, in one block (strs.c). */
typedef struct hm_strs {
  char *text;
  size_t len, cap;
} hm_strs;

/* Copies s (NULL: *off NULL) into b; *off is its place in b, to be read
** with hm_strs_at once b no longer grows. HRSYNC_E_NOMEM. */
hrsync_status hm_strs_add(hm_strs *b, const char *s, const char **off);
const char *hm_strs_at(const hm_strs *b, const char *off);
void hm_strs_reset(hm_strs *b); /* empty, keeping the block */
void hm_strs_free(hm_strs *b);

/* A person's current job role. Strings in the connection's role_text. */
typedef struct hm_role {
  const char *person;     /* personId */
  const char *title;      /* jobTitle, or NULL */
  const char *department; /* department name, or NULL */
  char date[11];          /* effectiveDate, YYYY-MM-DD */
  size_t seq;             /* order seen, the tie-break between equal dates */
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
  /* Pages parsed flat (hsp_jv), each document reused from batch to
  ** batch: docs[0] also holds a page fetched alone. roots[i] is batch
  ** page i, from next_ahead on not handed out yet. */
  hsp_jdoc *docs[HSP_MANY_BATCH];
  const hsp_jv *roots[HSP_MANY_BATCH];
  size_t n_ahead, next_ahead;
} hm_pager;

/* A pager for path; refused_ok as in hm_pager. */
#define HM_PAGER(path, refused_ok)                                            \
  {                                                                           \
    (path), 0, HM_LIMIT, 0, (refused_ok), 0, 0, {NULL}, {NULL}, 0, 0          \
  }

/* Frees the pager's documents (and so the page it handed out last). */
void hm_pager_free(hm_pager *pager);

/* Scratch of hm_text: the list being joined, one element's JSON text. */
typedef struct hm_textbuf {
  struct printbuf *list;
  struct printbuf *item;
  char tmp[64];
} hm_textbuf;

/* Custom values kept for the run: (person, field name, text) rows whose
** strings are in one text block (offsets + 1 while it grows, pointers
** once complete), then sorted by person, name and order seen. No
** allocation per row. */
typedef struct hm_cval {
  const char *person, *name, *text; /* text NULL: empty */
  size_t seq;
} hm_cval;

typedef struct hm_cvals {
  hm_cval *rows;
  size_t n, cap;
  hm_strs text;
} hm_cvals;

struct hrsync_conn {
  hsp_host hh;
  char base[512];
  char auth[1100]; /* "Bearer <token>" */
  char today[11];  /* UTC date at open, YYYY-MM-DD */
  hm_role *roles;  /* sorted by person once loaded */
  size_t n_roles;
  hm_strs role_text;
  int roles_loaded;
  /* /job-roles as a catalogue {id, companyId, name}: "<id>" -> name,
  ** resolved through the person's role reference. */
  json_object *role_names;
  int dept_withheld; /* a catalogue only: no departments to join */
  /* Custom fields: "<customFieldId>" -> definition, NULL until loaded;
  ** the values of the wanted ones, as rows (custom.c). */
  json_object *custom_defs;
  hm_cvals values;       /* the list form, read once */
  int values_loaded;     /* values holds the list form */
  int values_per_person; /* the list form was refused: ask per person */
  hm_cvals own;          /* one person's, asked per person */
  hsp_jdoc *vdoc;        /* a /custom-values page */
  int total_said;        /* roster_total reported */
  /* The fields the engine uses (people.c): a person is built from these
  ** only, keys[] being the indexes of the wanted person_keys, in order. */
  hsp_wanted want;
  unsigned char keys[64];
  unsigned char klen[64];   /* strlen of each keys[] name */
  unsigned char kslot[128]; /* position in keys[] + 1 by name, 0: free */
  size_t n_keys;
  int keys_ready;
  hm_pager people;
  hm_textbuf tb; /* a person's values as text (people.c) */
};

/* GET path (appended to base_url), status checked, JSON parsed. what
** names the request in errors. The caller json_object_put()s *out. */
hrsync_status hm_get(hrsync_conn *c, const char *path, const char *what,
                     json_object **out);

/* GET path, status checked, the body parsed into d (*root borrowed from
** it). With refused_ok a 400, 403 or 404 answer is HRSYNC_OK with *root
** NULL (an endpoint, a form or a scope the server does not offer this
** token). */
hrsync_status hm_get_jv(hrsync_conn *c, const char *path, const char *what,
                        hsp_jdoc *d, const hsp_jv **root, int refused_ok);

/* An envelope member ("total", "limit", "skip") as a count; -1 when
** absent or not an integer. */
long long hm_count_of(const hsp_jv *root, const char *key);

/* The "data" array of the envelope root, the answer to what asked at
** skip, into *data: HRSYNC_E_PARSE when it is missing or not an array, or
** when the envelope says it is for another skip. */
hrsync_status hm_envelope(hrsync_conn *c, const hsp_jv *root, const char *what,
                          size_t skip, const hsp_jv **data);

/* Fetches pager's next page. *data is the envelope's "data" array,
** borrowed like *root from the pager until its next page (or its free).
** Advances the pager and sets pager->done after the last page (by total,
** a short page or an empty one). With a total and http_many, pages come
** from batches read ahead: the same requests, the same pages in the same
** order. */
hrsync_status hm_page_next(hrsync_conn *c, hm_pager *pager,
                           const hsp_jv **root, const hsp_jv **data);

/* Reads every page of /job-roles into the current-role table. */
hrsync_status hm_roles_load(hrsync_conn *c);

/* The current role of person, or NULL. */
const hm_role *hm_roles_find(const hrsync_conn *c, const char *person);

void hm_roles_free(hrsync_conn *c);

/* The title of person p's role through its reference (jobRoleId, or
** jobRole as an id or {id}) in the catalogue, or NULL. */
const char *hm_roles_catalogue_title(const hrsync_conn *c, const hsp_jv *p);

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
** their "name"), null (and v NULL) as NULL. Borrowed from v or tb, NULL
** also when tb's buffers cannot grow. */
const char *hm_text(const hsp_jv *v, hm_textbuf *tb);

/* Makes tb's buffers (HRSYNC_E_NOMEM); hm_textbuf_free frees them. */
hrsync_status hm_textbuf_init(hm_textbuf *tb);
void hm_textbuf_free(hm_textbuf *tb);

#endif
