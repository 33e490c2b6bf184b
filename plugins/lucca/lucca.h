/*
** Lucca connector (legacy v3 directory API, or the new Lucca API by
** setting), internal interface:
**   lucca.c   descriptor, settings, open/close/authenticate, requests
**   fields.c  the fixed v3 user schema, extendedData discovery
**   users.c   /api/v3/users pages turned into flat records
**   ext.c     lookups (nationalities, list entries), extendedData
**   api.c     the new Lucca API: OAuth, /lucca-api/employees, cursors
**   acc.c     a user's flattened extendedData, in one reused buffer
** Every users page is parsed flat (hsp_jv.h), not into a json-c tree.
*/
#ifndef LUCCA_H
#define LUCCA_H

#include "hsp.h"
#include "hsp_jv.h"
#include "hsp_many.h"

/* Users per page: the v3 maximum; a shorter page is the last one. */
#define LC_PAGE 1000u
/* The Lucca API's documented limit: 50 requests a minute per tenant. The
** notes leave open whether it covers v3 too; declared for both, as the
** emulator limits both (SDK 1.4 rate_limit). */
#define LC_RATE_REQUESTS 50u
#define LC_RATE_SECONDS  60u

#define LC_USERS         "/api/v3/users"
#define LC_TOKEN_URL     "https://accounts.world.luccasoftware.com/oauth/token"
#define LC_API_VERSION   "2024-11-01"
#define LC_NATIONALITIES "/api/v3/nationalities"
#define LC_EXT_DEFS      "/api/v3/extensionuserdefinitions"

/* Flattened extendedData: ids in the order first met, each with its text
** or null (acc.c). Zeroed is empty; one owner frees it. */
typedef struct lc_acc_ent {
  size_t id, value; /* offsets in buf; value SIZE_MAX: null */
} lc_acc_ent;
typedef struct lc_acc {
  char *buf;
  size_t len, cap;
  lc_acc_ent *ents;
  size_t n, ecap;
} lc_acc;

void lc_acc_reset(lc_acc *a);
void lc_acc_free(lc_acc *a);
/* a[id] += text, joined with ", "; NULL or "" only makes id exist.
** HRSYNC_E_NOMEM. */
hrsync_status lc_acc_add(lc_acc *a, const char *id, const char *text);
size_t lc_acc_count(const lc_acc *a);
const char *lc_acc_id(const lc_acc *a, size_t i);
const char *lc_acc_value(const lc_acc *a, size_t i); /* NULL: null */
int lc_acc_has(const lc_acc *a, const char *id);

struct hrsync_conn {
  hsp_host hh;
  char base[512];
  char auth[1100]; /* "lucca application=<key>" */
  char today[11];  /* UTC date at open, YYYY-MM-DD */
  size_t offset;   /* paging offset of the next page */
  int done;
  /* Lookups (ext.c), read once before the first page. */
  int lookups_loaded;
  json_object *nationalities; /* "<id>" -> name; NULL = not asked */
  json_object *ext_labels;    /* e_x -> {"<entry id>": label} or null */
  int withheld_checked;       /* projection checked on the first page */
  hsp_wanted want;            /* the fields a user record is built from */
  size_t empty_keys;          /* members named "" skipped */
  int empty_key_warned;
  /* The new Lucca API (api.c). */
  int new_api;
  char client_id[256];
  char secret[1024]; /* the OAuth client secret (api_key) */
  char token_url[512];
  char *next_url; /* links.next.href of the last page */
  int api_started, total_said;
  /* v3: the users count (fields=collection.count), asked after a full
  ** first page when the host offers http_many; the pages after it read
  ** ahead in batches. */
  int count_asked;
  long total; /* -1 until counted */
  /* Pages parsed flat (hsp_jv): docs[i] holds ahead[i], a page read
  ** ahead; docs[0] also a page fetched alone. Reused, freed at close. */
  hsp_jdoc *docs[HSP_MANY_BATCH];
  const hsp_jv *ahead[HSP_MANY_BATCH];
  size_t n_ahead, next_ahead;
  struct printbuf *pb, *tpb; /* a list's text; a nested value's text */
  lc_acc ext;                /* a user's extendedData, flattened */
};

/* GET path_and_query (appended to the base URL), status checked, JSON
** parsed. what names the request in errors. The caller
** json_object_put()s *out. */
hrsync_status lc_get(hrsync_conn *c, const char *path_and_query,
                     const char *what, json_object **out);

/* lc_get with the body parsed flat into doc (*root lives in it). */
hrsync_status lc_get_jv(hrsync_conn *c, const char *path_and_query,
                        const char *what, hsp_jdoc *doc, const hsp_jv **root);

/* The page documents and text buffers, made once. HRSYNC_E_NOMEM. */
hrsync_status lc_docs_ready(hrsync_conn *c);

/* The "items" array of a {"data": {"items": [...]}} answer, borrowed from
** root; HRSYNC_E_PARSE naming the member (and what) otherwise. */
hrsync_status lc_items(hrsync_conn *c, json_object *root, const char *what,
                       json_object **items);
hrsync_status lc_items_jv(hrsync_conn *c, const hsp_jv *root, const char *what,
                          const hsp_jv **items);

/* Reads the nationalities and the definitions of the custom fields the
** config uses (ext.c). Once per connection. */
hrsync_status lc_lookups_load(hrsync_conn *c);

/* The name of nationality idv (an id), or NULL when unknown. */
const char *lc_nationality(hrsync_conn *c, const hsp_jv *idv);

/* Flattens an extendedData object into acc ("extendedData.e_x[.e_sub]":
** text or null); list entry ids become labels. keys_only: every value
** null (schema discovery). Otherwise, once c->want is loaded, only the
** custom fields it names (or all, when it names none) are walked. */
hrsync_status lc_ext_flatten(hrsync_conn *c, const hsp_jv *ext, lc_acc *acc,
                             int keys_only);

/* Counts a member named "" that was skipped; warns once per run. */
void lc_warn_empty_key(hrsync_conn *c, const char *where);

/* From open: reads settings.api and, for lucca-api, client_id,
** token_url and the secret (key). */
hrsync_status lc_api_choose(hrsync_conn *c, const char *key);
hrsync_status lc_api_authenticate(hrsync_conn *c);
hrsync_status lc_api_list_fields(hrsync_conn *c);
hrsync_status lc_api_next_page(hrsync_conn *c, int *has_more);

/* list_fields and next_page callbacks. */
hrsync_status lc_list_fields(hrsync_conn *c);
hrsync_status lc_next_page(hrsync_conn *c, int *has_more);

#endif
