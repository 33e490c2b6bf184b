/*
** The unattended-sync policy: parsing and defaults.
*/
#include "policy.h"

#include <json-c/json.h>

#include <stdio.h>
#include <string.h>

void hs_policy_defaults(hs_policy *p)
{
  static const int review[] = {HS_SF_HRIS_ID,   HS_SF_FIRST_NAME,
                               HS_SF_LAST_NAME, HS_SF_NAME,
                               HS_SF_EMAIL,     HS_SF_BIRTH_DATE};
  size_t i;
  memset(p, 0, sizeof(*p));
  for(i = 0; i < sizeof(review) / sizeof(review[0]); i++)
    p->review[review[i]] = 1;
  p->create_review = 1;
  p->left_review = 1;
  p->full_sync_days = 7;
}

/* "auto" -> 0, "review" -> 1, else -1. */
static int mode_of(json_object *v)
{
  const char *s;
  if(!json_object_is_type(v, json_type_string))
    return -1;
  s = json_object_get_string(v);
  return !strcmp(s, "auto") ? 0 : !strcmp(s, "review") ? 1 : -1;
}

static hs_rc bad_mode(hs_err *err, const char *key, json_object *v)
{
  return hs_err_set(err, HS_E_CONFIG,
                    "policy.%s: \"%s\" is not a policy; expected auto or "
                    "review",
                    key, json_object_get_string(v));
}

static hs_rc parse_fields(json_object *obj, hs_policy *p, hs_err *err)
{
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "policy.fields: expected an object {stakeholder "
                      "field: \"auto\" | \"review\"}");
  json_object_object_foreach(obj, k, v)
  {
    int f = hs_sf_lookup(k), m = mode_of(v);
    char key[128];
    snprintf(key, sizeof(key), "fields.%s", k);
    if(f < 0)
      return hs_err_set(err, HS_E_CONFIG,
                        "policy.fields.%s: unknown stakeholder field (see "
                        "\"mapping\" for their names)",
                        k);
    if(m < 0)
      return bad_mode(err, key, v);
    p->review[f] = (unsigned char)m;
  }
  return HS_OK;
}

hs_rc hs_policy_parse(json_object *obj, hs_policy *p, hs_err *err)
{
  hs_rc rc;
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "policy: expected an object {create, left, fields, "
                      "full_sync_days}");
  json_object_object_foreach(obj, k, v)
  {
    if(!strcmp(k, "create") || !strcmp(k, "left")) {
      int m = mode_of(v);
      if(m < 0)
        return bad_mode(err, k, v);
      if(!strcmp(k, "create"))
        p->create_review = m;
      else
        p->left_review = m;
    }
    else if(!strcmp(k, "fields")) {
      if((rc = parse_fields(v, p, err)))
        return rc;
    }
    else if(!strcmp(k, "full_sync_days")) {
      int64_t d = json_object_get_int64(v);
      if(!json_object_is_type(v, json_type_int) || d < 0 || d > 3660)
        return hs_err_set(err, HS_E_CONFIG,
                          "policy.full_sync_days: expected a number of days "
                          "from 0 (every run full) to 3660");
      p->full_sync_days = (int)d;
    }
    else
      return hs_err_set(err, HS_E_CONFIG,
                        "policy.%s: unknown key; expected create, left, "
                        "fields, full_sync_days",
                        k);
  }
  return HS_OK;
}
