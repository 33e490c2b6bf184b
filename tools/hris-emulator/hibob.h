/* HiBob internals shared by its route and render files. */
#ifndef EMU_HIBOB_H
#define EMU_HIBOB_H

#include "emu.h"

/* How a field's value is made from a canonical person. */
enum hb_kind {
  HB_TEXT,
  HB_CUSTOM,
  HB_ID,
  HB_DISPLAY,
  HB_FULLNAME,
  HB_COMPANY,
  HB_CREATED,
  HB_EMPNO,
  HB_LIST,
  HB_REPORTS_TO,
  HB_NATIONALITY,
  HB_STATUS,
  HB_LIFECYCLE,
  HB_DATE
};

/* One people field: metadata plus how to derive it. */
typedef struct hb_field {
  char id[64];        /* "root.firstName" */
  char json_path[64]; /* "firstName" / "work.department" */
  const char *category, *category_name, *name, *type;
  const char *list_id; /* for list / multi-list types, else NULL */
  int historical;
  int kind;      /* how the value is made (hibob_render.c) */
  int canon;     /* canonical field, or -1 */
  size_t custom; /* custom key index for custom fields */
} hb_field;

/* The field catalogue for the current population (standard fields then
 * one per custom key); *n receives the count. Caller frees the array. */
hb_field *hb_catalogue(const emu_pop *pop, size_t *n);
/* Whether the service user may see f (--hibob-hidden, withhold faults). */
int hb_visible(const emu_req *req, const hb_field *f);
/* POST /v1/people/search. */
void hb_search(emu_req *req, emu_resp *resp);
/* The {"key","error"} error body. */
void hb_error(emu_req *req, emu_resp *resp, unsigned status, const char *msg);
/* Writes the 19-digit HiBob id of canonical id. */
void hb_id(long id, char out[32]);
/* List item id for index i of list `list` ("department", ...). */
void hb_item_id(const char *list, long i, char out[32]);

#endif
