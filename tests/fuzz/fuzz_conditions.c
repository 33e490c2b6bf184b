/*
** Fuzz target: "sync if" conditions. The input's first line is a value
** (empty line: the field is absent); the rest is one condition as JSON,
** parsed with hs_cond_parse, then evaluated and described for the value.
*/
#include "buf.h"
#include "conditions.h"

#include <json-c/json.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nl = memchr(data, '\n', size);
  size_t vlen = nl ? (size_t)(nl - data) : size;
  char *value = malloc(vlen + 1);
  json_tokener *tok = json_tokener_new();
  json_object *obj = NULL;
  hs_cond c;
  hs_err err;
  if(!value || !tok)
    goto out;
  memcpy(value, data, vlen);
  value[vlen] = 0;
  if(nl)
    obj = json_tokener_parse_ex(tok, (const char *)nl + 1,
                                (int)(size - vlen - 1));
  memset(&c, 0, sizeof(c));
  hs_err_clear(&err);
  if(obj && hs_cond_parse(obj, "conditions[0]", &c, &err) == HS_OK) {
    hs_buf why = HS_BUF_INIT;
    const char *v = vlen ? value : NULL;
    if(!hs_cond_eval(&c, v))
      hs_cond_describe(&c, v, &why);
    hs_buf_free(&why);
    hs_cond_clear(&c);
  }
out:
  json_object_put(obj);
  if(tok)
    json_tokener_free(tok);
  free(value);
  return 0;
}
