/*
** Condition parsing and evaluation.
*/
#include "conditions.h"

#include "normalise.h"

#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const op_names[HS_OP_COUNT] = {
    "=", "!=", "in", "not in", "contains", "empty", "not empty", "<", ">"};

int hs_op_parse(const char *s)
{
  int i;
  for(i = 0; i < HS_OP_COUNT; i++)
    if(!strcmp(op_names[i], s))
      return i;
  return -1;
}

const char *hs_op_name(int op)
{
  return (op >= 0 && op < HS_OP_COUNT) ? op_names[op] : "?";
}

void hs_cond_clear(hs_cond *c)
{
  size_t i;
  free(c->field);
  for(i = 0; i < c->n_values; i++)
    free(c->values[i]);
  free(c->values);
  memset(c, 0, sizeof(*c));
}

/* A scalar JSON value as text: strings as they are, numbers and booleans
** as written. NULL for anything else. */
static char *scalar_text(json_object *v)
{
  switch(json_object_get_type(v)) {
  case json_type_string:
    return strdup(json_object_get_string(v));
  case json_type_int:
  case json_type_double:
  case json_type_boolean:
    return strdup(json_object_to_json_string(v));
  default:
    return NULL;
  }
}

static hs_rc add_value(hs_cond *c, json_object *v, const char *where,
                       const char *key, hs_err *err)
{
  char *s = scalar_text(v), **nv, today[11], iso[11];
  int rel;
  if(!s)
    return hs_err_set(err, HS_E_CONFIG, "%s.%s: expected a string or a number",
                      where, key);
  hs_norm_today(today);
  if((rel = hs_norm_relative_date(s, today, iso)) < 0) {
    hs_rc rc = hs_err_set(err, HS_E_CONFIG,
                          "%s.%s: \"%s\" is not a relative date; expected "
                          "today, today-30d, today+2w, today+6m or today-1y",
                          where, key, s);
    free(s);
    return rc;
  }
  if(!rel) {
    free(s);
    if(!(s = strdup(iso)))
      return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", where);
    c->relative = 1;
  }
  nv = realloc(c->values, (c->n_values + 1) * sizeof(char *));
  if(!nv) {
    free(s);
    return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", where);
  }
  c->values = nv;
  c->values[c->n_values++] = s;
  return HS_OK;
}

hs_rc hs_cond_parse(const void *json, const char *where, hs_cond *out,
                    hs_err *err)
{
  json_object *obj = (json_object *)(uintptr_t)json, *field = NULL, *op = NULL,
              *value = NULL;
  hs_rc rc;
  memset(out, 0, sizeof(*out));
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "%s: expected an object {\"field\", \"op\", "
                      "\"value\"}",
                      where);
  json_object_object_foreach(obj, key, val)
  {
    if(!strcmp(key, "field"))
      field = val;
    else if(!strcmp(key, "op"))
      op = val;
    else if(!strcmp(key, "value"))
      value = val;
    else if(!strcmp(key, "allow_empty")) {
      if(!json_object_is_type(val, json_type_boolean))
        return hs_err_set(err, HS_E_CONFIG,
                          "%s.allow_empty: expected true or false", where);
      out->allow_empty = json_object_get_boolean(val);
    }
    else
      return hs_err_set(err, HS_E_CONFIG,
                        "%s.%s: unknown key; expected field, op, value, "
                        "allow_empty",
                        where, key);
  }
  if(!field || !json_object_is_type(field, json_type_string) ||
     !*json_object_get_string(field))
    return hs_err_set(err, HS_E_CONFIG,
                      "%s.field: missing; expected an HR field id", where);
  if(!op || !json_object_is_type(op, json_type_string))
    return hs_err_set(err, HS_E_CONFIG, "%s.op: missing; expected one of %s",
                      where, HS_OP_LIST);
  out->op = hs_op_parse(json_object_get_string(op));
  if(out->op < 0)
    return hs_err_set(err, HS_E_CONFIG,
                      "%s.op: unknown operator \"%s\"; expected one of %s",
                      where, json_object_get_string(op), HS_OP_LIST);
  out->field = strdup(json_object_get_string(field));
  if(!out->field)
    return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", where);
  switch(out->op) {
  case HS_OP_EMPTY:
  case HS_OP_NOT_EMPTY:
    if(value) {
      rc = hs_err_set(err, HS_E_CONFIG,
                      "%s.value: operator \"%s\" takes no value", where,
                      hs_op_name(out->op));
      goto fail;
    }
    return HS_OK;
  case HS_OP_IN:
  case HS_OP_NOT_IN: {
    size_t i, n;
    if(!value || !json_object_is_type(value, json_type_array)) {
      rc = hs_err_set(err, HS_E_CONFIG,
                      "%s.value: operator \"%s\" needs a list of values",
                      where, hs_op_name(out->op));
      goto fail;
    }
    n = json_object_array_length(value);
    for(i = 0; i < n; i++)
      if((rc = add_value(out, json_object_array_get_idx(value, i), where,
                         "value[]", err)))
        goto fail;
    return HS_OK;
  }
  default:
    if(!value) {
      rc = hs_err_set(err, HS_E_CONFIG,
                      "%s.value: missing; operator \"%s\" needs one", where,
                      hs_op_name(out->op));
      goto fail;
    }
    if((rc = add_value(out, value, where, "value", err)))
      goto fail;
    return HS_OK;
  }
fail:
  hs_cond_clear(out);
  return rc;
}

int hs_op_compares(int op)
{
  return op == HS_OP_EQ || op == HS_OP_NE || op == HS_OP_IN ||
         op == HS_OP_NOT_IN || op == HS_OP_LT || op == HS_OP_GT;
}

static int as_number(const char *s, double *out)
{
  char *end;
  if(!*s)
    return 0;
  errno = 0;
  *out = strtod(s, &end);
  return !*end && !errno && isfinite(*out);
}

/* <0, 0, >0 like strcmp, with dates and numbers compared as such. */
static int compare(const char *a, const char *b)
{
  char da[11], db[11];
  double na, nb;
  if(!hs_norm_date(a, da) && !hs_norm_date(b, db))
    return strcmp(da, db);
  if(as_number(a, &na) && as_number(b, &nb))
    return na < nb ? -1 : na > nb;
  return strcmp(a, b);
}

static int in_list(const hs_cond *c, const char *value)
{
  size_t i;
  for(i = 0; i < c->n_values; i++)
    if(!compare(value, c->values[i]))
      return 1;
  return 0;
}

int hs_cond_eval(const hs_cond *c, const char *value)
{
  switch(c->op) {
  case HS_OP_EMPTY:
    return value == NULL;
  case HS_OP_NOT_EMPTY:
    return value != NULL;
  case HS_OP_EQ:
    return value && !compare(value, c->values[0]);
  case HS_OP_NE:
    return !value || compare(value, c->values[0]) != 0;
  case HS_OP_IN:
    return value && in_list(c, value);
  case HS_OP_NOT_IN:
    return !value || !in_list(c, value);
  case HS_OP_CONTAINS:
    return value && strstr(value, c->values[0]) != NULL;
  case HS_OP_LT:
    return value && compare(value, c->values[0]) < 0;
  case HS_OP_GT:
    return value && compare(value, c->values[0]) > 0;
  }
  return 0;
}

int hs_cond_describe(const hs_cond *c, const char *value, hs_buf *out)
{
  size_t i;
  if(hs_buf_printf(out, "%s %s", c->field, hs_op_name(c->op)))
    return -1;
  if(c->op == HS_OP_IN || c->op == HS_OP_NOT_IN) {
    if(hs_buf_puts(out, " ["))
      return -1;
    for(i = 0; i < c->n_values; i++)
      if((i && hs_buf_puts(out, ", ")) || hs_buf_json_str(out, c->values[i]))
        return -1;
    if(hs_buf_puts(out, "]"))
      return -1;
  }
  else if(c->n_values) {
    if(hs_buf_puts(out, " ") || hs_buf_json_str(out, c->values[0]))
      return -1;
  }
  if(!value)
    return hs_buf_puts(out, " (was empty)");
  if(hs_buf_puts(out, " (was ") || hs_buf_json_str(out, value))
    return -1;
  return hs_buf_puts(out, ")");
}
