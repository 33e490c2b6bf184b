/*
** hs_cond: "sync if" conditions on HR fields, and the group rules' tests.
**
** Operators: = != in "not in" contains empty "not empty" < >. When both
** sides are dates (any shape hs_norm_date reads) they compare as dates,
** when both are numbers as numbers, otherwise as text, case-sensitively.
** An absent value is empty: it is != anything, in nothing, < and >
** nothing. A value "today", "today-30d", "today+1y" is a relative date,
** resolved to an ISO date when the config is parsed (hs_norm_today).
*/
#ifndef HS_CONDITIONS_H
#define HS_CONDITIONS_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

typedef enum hs_op {
  HS_OP_EQ = 0,
  HS_OP_NE,
  HS_OP_IN,
  HS_OP_NOT_IN,
  HS_OP_CONTAINS,
  HS_OP_EMPTY,
  HS_OP_NOT_EMPTY,
  HS_OP_LT,
  HS_OP_GT,
  HS_OP_COUNT
} hs_op;

/* "=, !=, in, not in, contains, empty, not empty, <, >" for messages. */
#define HS_OP_LIST "=, !=, in, not in, contains, empty, not empty, <, >"

typedef struct hs_cond {
  char *field;   /* HR field id */
  int op;        /* hs_op */
  char **values; /* one for = != contains < >, any number for in / not in,
                    none for empty / not empty */
  size_t n_values;
  int allow_empty; /* "allow_empty": true: the field may be empty for
                      everyone (no fail-closed refusal, see plan.h) */
  int relative;    /* a value was a relative date ("today-30d"), resolved
                      at parse time */
} hs_cond;

/* The operator spelled s, or -1. */
int hs_op_parse(const char *s);
const char *hs_op_name(int op);

/* Parses one condition from a json-c object (passed as void * so this
** header needs no json-c). where names it for errors: "conditions[2]";
** the detail then reads "conditions[2].op: unknown operator ...".
** *out is filled; free it with hs_cond_clear. */
hs_rc hs_cond_parse(const void *json, const char *where, hs_cond *out,
                    hs_err *err);

void hs_cond_clear(hs_cond *c);

/* True when op compares values (= != in "not in" < >), so a date field
** needs date literals. */
int hs_op_compares(int op);

/* 1 when value (NULL = absent) satisfies c, else 0. */
int hs_cond_eval(const hs_cond *c, const char *value);

/* Appends why value fails c: `status = "Active" (was "Inactive")`. */
int hs_cond_describe(const hs_cond *c, const char *value, hs_buf *out);

#endif
