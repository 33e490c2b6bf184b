/*
** One buffer of texts (offsets into it: it grows by realloc), an array of
** records and one of fields; a view's field array (as long as the longest
** record, made room for by push) is refilled per get.
*/
#include "recq.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

#define NO_VALUE ((size_t)-1)

typedef struct qfield {
  size_t id, value; /* offsets into text; value NO_VALUE: NULL */
} qfield;

typedef struct qrec {
  size_t hris_id, first, n; /* first: index in fields */
} qrec;

struct hs_recq {
  size_t max_bytes;
  hs_buf text;
  qrec *recs;
  size_t n_recs, recs_cap;
  qfield *fields;
  size_t n_fields, fields_cap;
  hs_record_field *view; /* get's fields */
  size_t view_cap;
};

hs_recq *hs_recq_new(size_t max_bytes)
{
  hs_recq *q = calloc(1, sizeof(*q));
  hs_buf empty = HS_BUF_INIT;
  if(q) {
    q->text = empty;
    q->max_bytes = max_bytes;
  }
  return q;
}

void hs_recq_free(hs_recq *q)
{
  if(!q)
    return;
  hs_buf_free(&q->text);
  free(q->recs);
  free(q->fields);
  free(q->view);
  free(q);
}

static int room(void **a, size_t *cap, size_t need, size_t size)
{
  size_t n = *cap ? *cap : 64;
  void *g;
  if(need <= *cap)
    return 0;
  while(n < need)
    n *= 2;
  if(!(g = realloc(*a, n * size)))
    return -1;
  *a = g;
  *cap = n;
  return 0;
}

static size_t put(hs_recq *q, const char *s)
{
  size_t off = q->text.len;
  return hs_buf_append(&q->text, s, strlen(s) + 1) ? NO_VALUE : off;
}

int hs_recq_push(hs_recq *q, const hs_record *rec)
{
  size_t bytes = strlen(rec->hris_id) + 1, i, len0 = q->text.len;
  qrec *r;
  for(i = 0; i < rec->n_fields; i++)
    bytes += strlen(rec->fields[i].id) + 1 +
             (rec->fields[i].value ? strlen(rec->fields[i].value) + 1 : 0);
  bytes += rec->n_fields * sizeof(qfield) + sizeof(qrec);
  if(q->text.len + (q->n_fields + q->n_recs) * sizeof(qfield) + bytes >
     q->max_bytes)
    return 1;
  if(room((void **)&q->recs, &q->recs_cap, q->n_recs + 1, sizeof(qrec)) ||
     room((void **)&q->fields, &q->fields_cap, q->n_fields + rec->n_fields,
          sizeof(qfield)) ||
     room((void **)&q->view, &q->view_cap, rec->n_fields ? rec->n_fields : 1,
          sizeof(*q->view)))
    return -1;
  r = &q->recs[q->n_recs];
  r->first = q->n_fields;
  r->n = rec->n_fields;
  if((r->hris_id = put(q, rec->hris_id)) == NO_VALUE)
    goto nomem;
  for(i = 0; i < rec->n_fields; i++) {
    qfield *f = &q->fields[q->n_fields + i];
    f->value = NO_VALUE;
    if((f->id = put(q, rec->fields[i].id)) == NO_VALUE ||
       (rec->fields[i].value &&
        (f->value = put(q, rec->fields[i].value)) == NO_VALUE))
      goto nomem;
  }
  q->n_fields += rec->n_fields;
  q->n_recs++;
  return 0;
nomem: /* nothing of this record stays */
  q->text.len = len0;
  return -1;
}

size_t hs_recq_count(const hs_recq *q)
{
  return q->n_recs;
}

void hs_recq_get(hs_recq *q, size_t i, hs_record *out)
{
  const qrec *r = &q->recs[i];
  const char *t = q->text.data;
  size_t k;
  memset(out, 0, sizeof(*out));
  out->hris_id = t + r->hris_id;
  out->n_fields = r->n; /* push made the view room for them */
  for(k = 0; k < r->n; k++) {
    const qfield *f = &q->fields[r->first + k];
    q->view[k].id = t + f->id;
    q->view[k].value = f->value == NO_VALUE ? NULL : t + f->value;
    q->view[k].key = 0;
  }
  out->fields = q->view;
}
