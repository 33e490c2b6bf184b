/*
** Config loading and validation (json-c).
*/
#include "config.h"
#include "suggest.h"

#include "buf.h"
#include "digest.h"
#include "normalise.h"
#include "secret.h"

#include <json-c/json.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const top_keys =
    "connector, settings, secrets, database, name_format, mapping, "
    "conditions, groups, allow_empty, mass_change, on_empty, duplicates, "
    "date_years, limits, policy";

void hs_config_free(hs_config *cfg)
{
  size_t i, j;
  int f;
  if(!cfg)
    return;
  free(cfg->path);
  free(cfg->dir);
  free(cfg->connector);
  for(i = 0; i < cfg->n_settings; i++) {
    free((char *)cfg->settings[i].name);
    free((char *)cfg->settings[i].value);
  }
  free(cfg->settings);
  for(i = 0; i < cfg->n_secrets; i++) {
    free((char *)cfg->secrets[i].name);
    free((char *)cfg->secrets[i].value);
  }
  free(cfg->secrets);
  free(cfg->database);
  for(f = 0; f < HS_SF_COUNT; f++)
    free(cfg->mapping[f]);
  for(i = 0; i < cfg->n_conds; i++)
    hs_cond_clear(&cfg->conds[i]);
  free(cfg->conds);
  for(i = 0; i < cfg->n_groups; i++) {
    free(cfg->groups[i].group);
    for(j = 0; j < cfg->groups[i].n_conds; j++)
      hs_cond_clear(&cfg->groups[i].conds[j]);
    free(cfg->groups[i].conds);
  }
  free(cfg->groups);
  for(i = 0; i < cfg->n_allow_empty; i++)
    free(cfg->allow_empty[i]);
  free(cfg->allow_empty);
  free(cfg);
}

static hs_rc nomem(hs_err *err)
{
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

/* A JSON object of string (or number/bool) values into a kv array. */
static hs_rc parse_kv(json_object *obj, const char *key, hrsync_kv **out,
                      size_t *n, hs_err *err)
{
  size_t cap;
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG, "%s: expected an object", key);
  cap = (size_t)json_object_object_length(obj);
  *out = calloc(cap ? cap : 1, sizeof(hrsync_kv));
  if(!*out)
    return nomem(err);
  json_object_object_foreach(obj, k, v)
  {
    const char *s;
    enum json_type t = json_object_get_type(v);
    if(t != json_type_string && t != json_type_int && t != json_type_double &&
       t != json_type_boolean)
      return hs_err_set(err, HS_E_CONFIG, "%s.%s: expected a string", key, k);
    s = t == json_type_string ? json_object_get_string(v)
                              : json_object_to_json_string(v);
    (*out)[*n].name = strdup(k);
    (*out)[*n].value = strdup(s);
    (*n)++;
    if(!(*out)[*n - 1].name || !(*out)[*n - 1].value)
      return nomem(err);
  }
  return HS_OK;
}

static hs_rc parse_conds(json_object *arr, const char *key, hs_cond **out,
                         size_t *n, hs_err *err)
{
  size_t i, len;
  if(!json_object_is_type(arr, json_type_array))
    return hs_err_set(err, HS_E_CONFIG, "%s: expected a list of conditions",
                      key);
  len = json_object_array_length(arr);
  *out = calloc(len ? len : 1, sizeof(hs_cond));
  if(!*out)
    return nomem(err);
  for(i = 0; i < len; i++) {
    char where[256];
    hs_rc rc;
    snprintf(where, sizeof(where), "%s[%zu]", key, i);
    rc = hs_cond_parse(json_object_array_get_idx(arr, i), where, &(*out)[i],
                       err);
    if(rc)
      return rc;
    (*n)++;
  }
  return HS_OK;
}

static hs_rc parse_groups(hs_config *cfg, json_object *arr, hs_err *err)
{
  size_t i, len;
  if(!json_object_is_type(arr, json_type_array))
    return hs_err_set(err, HS_E_CONFIG,
                      "groups: expected a list of {\"group\", \"if\"}");
  len = json_object_array_length(arr);
  cfg->groups = calloc(len ? len : 1, sizeof(hs_group_rule));
  if(!cfg->groups)
    return nomem(err);
  for(i = 0; i < len; i++) {
    json_object *o = json_object_array_get_idx(arr, i), *g = NULL,
                *cond = NULL;
    hs_group_rule *r = &cfg->groups[i];
    char where[64];
    hs_rc rc;
    cfg->n_groups++;
    snprintf(where, sizeof(where), "groups[%zu]", i);
    if(!json_object_is_type(o, json_type_object))
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: expected an object {\"group\", \"if\"}", where);
    json_object_object_foreach(o, k, v)
    {
      if(!strcmp(k, "group"))
        g = v;
      else if(!strcmp(k, "if"))
        cond = v;
      else
        return hs_err_set(err, HS_E_CONFIG,
                          "%s.%s: unknown key; expected group, if", where, k);
    }
    if(!g || !json_object_is_type(g, json_type_string) ||
       !*json_object_get_string(g))
      return hs_err_set(err, HS_E_CONFIG, "%s.group: missing group name",
                        where);
    if(strchr(json_object_get_string(g), ';'))
      return hs_err_set(err, HS_E_CONFIG,
                        "%s.group: a group name cannot contain \";\"", where);
    if(!(r->group = strdup(json_object_get_string(g))))
      return nomem(err);
    if(!cond)
      return hs_err_set(err, HS_E_CONFIG, "%s.if: missing list of conditions",
                        where);
    snprintf(where, sizeof(where), "groups[%zu].if", i);
    if((rc = parse_conds(cond, where, &r->conds, &r->n_conds, err)))
      return rc;
  }
  return HS_OK;
}

static hs_rc parse_mapping(hs_config *cfg, json_object *obj, hs_err *err)
{
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "mapping: expected an object {stakeholder field: HR "
                      "field}");
  json_object_object_foreach(obj, k, v)
  {
    int f = hs_sf_lookup(k);
    if(f < 0)
      return hs_err_set(err, HS_E_CONFIG,
                        "mapping.%s: unknown stakeholder field; expected "
                        "one of hris_id, identifier, first_name, last_name, "
                        "email, phone, address_line1, address_line2, city, "
                        "postal_code, region, country, birth_date, "
                        "nationality, start_date, termination_date",
                        k);
    if(!hs_sf_mappable(f))
      return hs_err_set(err, HS_E_CONFIG, "mapping.%s: not mappable (%s)", k,
                        f == HS_SF_NAME ? "built from name_format"
                                        : "set by the engine");
    if(!json_object_is_type(v, json_type_string) ||
       !*json_object_get_string(v))
      return hs_err_set(err, HS_E_CONFIG,
                        "mapping.%s: expected an HR field id", k);
    if(!(cfg->mapping[f] = strdup(json_object_get_string(v))))
      return nomem(err);
  }
  return HS_OK;
}

/* "limits": {"field_bytes": N, ...}: each a whole number from 1 to max;
** absent members keep their defaults (0 here). */
static hs_rc parse_limits(hs_limits *lim, json_object *obj, hs_err *err)
{
  static const struct {
    const char *key;
    long long max;
  } keys[] = {{"field_bytes", 1LL << 30},
              {"response_bytes", 1LL << 34},
              {"records_per_run", 1LL << 32},
              {"pages_per_run", 1LL << 32},
              {"concurrency", 16},
              {"retry_wait_seconds", 3600},
              {"requests_per_minute", 1000000}};
  enum { N_KEYS = sizeof(keys) / sizeof(keys[0]) };
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "limits: expected an object such as "
                      "{\"field_bytes\": 65536}");
  json_object_object_foreach(obj, k, v)
  {
    long long n = json_object_get_int64(v);
    /* requests_per_minute 0: no pacing by the declared limit. */
    long long min = 1;
    size_t i;
    for(i = 0; i < N_KEYS && strcmp(keys[i].key, k); i++)
      ;
    if(i == N_KEYS)
      return hs_err_set(err, HS_E_CONFIG,
                        "limits.%s: unknown limit; expected one of "
                        "field_bytes, response_bytes, records_per_run, "
                        "pages_per_run, concurrency, retry_wait_seconds, "
                        "requests_per_minute",
                        k);
    if(i == 6)
      min = 0;
    if(!json_object_is_type(v, json_type_int) || n < min || n > keys[i].max)
      return hs_err_set(err, HS_E_CONFIG,
                        "limits.%s: expected a whole number from %lld to %lld",
                        k, min, keys[i].max);
    if(i == 0)
      lim->field_bytes = (size_t)n;
    else if(i == 1)
      lim->body_bytes = (size_t)n;
    else if(i == 2)
      lim->records = (unsigned long)n;
    else if(i == 3)
      lim->pages = (unsigned long)n;
    else if(i == 4)
      lim->concurrency = (unsigned long)n;
    else if(i == 5)
      lim->retry_wait_s = (unsigned long)n;
    else {
      lim->rate_set = 1;
      lim->requests_per_minute = (unsigned long)n;
    }
  }
  return HS_OK;
}

static hs_rc parse_allow_empty(hs_config *cfg, json_object *arr, hs_err *err)
{
  size_t i, len;
  if(!json_object_is_type(arr, json_type_array))
    return hs_err_set(err, HS_E_CONFIG,
                      "allow_empty: expected a list of HR field ids");
  len = json_object_array_length(arr);
  if(!(cfg->allow_empty = calloc(len ? len : 1, sizeof(char *))))
    return nomem(err);
  for(i = 0; i < len; i++) {
    json_object *v = json_object_array_get_idx(arr, i);
    if(!json_object_is_type(v, json_type_string) ||
       !*json_object_get_string(v))
      return hs_err_set(err, HS_E_CONFIG,
                        "allow_empty[%zu]: expected an HR field id", i);
    if(!(cfg->allow_empty[i] = strdup(json_object_get_string(v))))
      return nomem(err);
    cfg->n_allow_empty++;
  }
  return HS_OK;
}

static hs_rc parse_mass_change(hs_config *cfg, json_object *obj, hs_err *err)
{
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "mass_change: expected an object {\"max_share\": "
                      "0.10}");
  json_object_object_foreach(obj, k, v)
  {
    double d;
    if(strcmp(k, "max_share"))
      return hs_err_set(err, HS_E_CONFIG,
                        "mass_change.%s: unknown key; expected max_share", k);
    d = json_object_get_double(v);
    if((!json_object_is_type(v, json_type_double) &&
        !json_object_is_type(v, json_type_int)) ||
       !(d >= 0 && d <= 1))
      return hs_err_set(err, HS_E_CONFIG,
                        "mass_change.max_share: expected a share between 0 "
                        "and 1 (0.10 = 10%%)");
    cfg->mass_share = d;
  }
  return HS_OK;
}

static hs_rc parse_on_empty(hs_config *cfg, json_object *obj, hs_err *err)
{
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG,
                      "on_empty: expected an object {stakeholder field: "
                      "\"keep\" or \"clear\"}");
  json_object_object_foreach(obj, k, v)
  {
    int f = hs_sf_lookup(k);
    const char *s = json_object_get_string(v);
    if(f < 0 || !hs_sf_mappable(f) || f == HS_SF_HRIS_ID)
      return hs_err_set(err, HS_E_CONFIG,
                        "on_empty.%s: not a stakeholder field a sync writes",
                        k);
    if(!json_object_is_type(v, json_type_string) ||
       (strcmp(s, "keep") && strcmp(s, "clear")))
      return hs_err_set(err, HS_E_CONFIG,
                        "on_empty.%s: expected \"keep\" or \"clear\"", k);
    cfg->on_empty[f] =
        strcmp(s, "clear") ? HS_ON_EMPTY_KEEP : HS_ON_EMPTY_CLEAR;
  }
  return HS_OK;
}

static hs_rc parse_date_years(hs_config *cfg, json_object *obj, hs_err *err)
{
  json_object *lo, *hi;
  if(!json_object_is_type(obj, json_type_object) ||
     json_object_object_length(obj) != 2 ||
     !json_object_object_get_ex(obj, "min", &lo) ||
     !json_object_object_get_ex(obj, "max", &hi) ||
     !json_object_is_type(lo, json_type_int) ||
     !json_object_is_type(hi, json_type_int))
    return hs_err_set(err, HS_E_CONFIG,
                      "date_years: expected {\"min\": 1900, \"max\": "
                      "2200}");
  cfg->year_min = json_object_get_int(lo);
  cfg->year_max = json_object_get_int(hi);
  if(cfg->year_min < 1 || cfg->year_max > 9999 ||
     cfg->year_min > cfg->year_max)
    return hs_err_set(err, HS_E_CONFIG,
                      "date_years: expected 1 <= min <= max <= 9999");
  return HS_OK;
}

static int cond_uses(const hs_cond *c, size_t n, const char *field)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(!strcmp(c[i].field, field))
      return 1;
  return 0;
}

/* An allow_empty entry that no condition tests is a typo, and a typo
** here would silently keep the guard off for the real field. */
static hs_rc check_allow_empty(const hs_config *cfg, hs_err *err)
{
  size_t i, j;
  for(i = 0; i < cfg->n_allow_empty; i++) {
    int used = cond_uses(cfg->conds, cfg->n_conds, cfg->allow_empty[i]), f;
    for(f = 0; f < HS_SF_COUNT && !used; f++)
      used = cfg->mapping[f] && !strcmp(cfg->mapping[f], cfg->allow_empty[i]);
    for(j = 0; j < cfg->n_groups && !used; j++)
      used = cond_uses(cfg->groups[j].conds, cfg->groups[j].n_conds,
                       cfg->allow_empty[i]);
    if(!used)
      return hs_err_set(err, HS_E_CONFIG,
                        "allow_empty[%zu]: no condition, group rule or "
                        "mapping uses \"%s\"",
                        i, cfg->allow_empty[i]);
  }
  return HS_OK;
}

int hs_config_allows_empty(const hs_config *cfg, const hs_cond *c)
{
  size_t i;
  if(c->allow_empty)
    return 1;
  for(i = 0; i < cfg->n_allow_empty; i++)
    if(!strcmp(cfg->allow_empty[i], c->field))
      return 1;
  return 0;
}

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  char *d;
  if(!slash)
    return strdup(".");
  if(slash == path)
    return strdup("/");
  d = malloc((size_t)(slash - path) + 1);
  if(d) {
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = 0;
  }
  return d;
}

static hs_rc parse_root(hs_config *cfg, json_object *root, hs_err *err)
{
  hs_rc rc = HS_OK;
  if(!json_object_is_type(root, json_type_object))
    return hs_err_set(err, HS_E_CONFIG, "expected a JSON object");
  json_object_object_foreach(root, k, v)
  {
    if(!strcmp(k, "connector")) {
      const char *s = json_object_get_string(v);
      if(!json_object_is_type(v, json_type_string) || !*s)
        return hs_err_set(err, HS_E_CONFIG,
                          "connector: expected a connector name");
      if(!(cfg->connector = strdup(s)))
        return nomem(err);
    }
    else if(!strcmp(k, "settings"))
      rc = parse_kv(v, "settings", &cfg->settings, &cfg->n_settings, err);
    else if(!strcmp(k, "secrets"))
      rc = parse_kv(v, "secrets", &cfg->secrets, &cfg->n_secrets, err);
    else if(!strcmp(k, "database")) {
      const char *s = json_object_get_string(v);
      if(!json_object_is_type(v, json_type_string) || !*s)
        return hs_err_set(err, HS_E_CONFIG, "database: expected a file name");
      if(s[0] == '/' || !strcmp(cfg->dir, "."))
        cfg->database = strdup(s);
      else {
        hs_buf b = HS_BUF_INIT;
        if(hs_buf_printf(&b, "%s/%s", cfg->dir, s))
          return nomem(err);
        cfg->database = hs_buf_steal(&b);
      }
      if(!cfg->database)
        return nomem(err);
    }
    else if(!strcmp(k, "name_format")) {
      const char *s = json_object_get_string(v);
      if(json_object_is_type(v, json_type_string) && !strcmp(s, "first_last"))
        cfg->name_format = HS_NAME_FIRST_LAST;
      else if(json_object_is_type(v, json_type_string) &&
              !strcmp(s, "last_first"))
        cfg->name_format = HS_NAME_LAST_FIRST;
      else
        return hs_err_set(err, HS_E_CONFIG,
                          "name_format: unknown format \"%s\"; expected "
                          "first_last or last_first",
                          s ? s : "");
    }
    else if(!strcmp(k, "mapping"))
      rc = parse_mapping(cfg, v, err);
    else if(!strcmp(k, "conditions"))
      rc = parse_conds(v, "conditions", &cfg->conds, &cfg->n_conds, err);
    else if(!strcmp(k, "groups"))
      rc = parse_groups(cfg, v, err);
    else if(!strcmp(k, "limits"))
      rc = parse_limits(&cfg->limits, v, err);
    else if(!strcmp(k, "allow_empty"))
      rc = parse_allow_empty(cfg, v, err);
    else if(!strcmp(k, "mass_change"))
      rc = parse_mass_change(cfg, v, err);
    else if(!strcmp(k, "on_empty"))
      rc = parse_on_empty(cfg, v, err);
    else if(!strcmp(k, "duplicates")) {
      const char *s = json_object_get_string(v);
      if(json_object_is_type(v, json_type_string) && !strcmp(s, "flag"))
        cfg->duplicates = HS_DUP_FLAG;
      else if(json_object_is_type(v, json_type_string) &&
              !strcmp(s, "conflict"))
        cfg->duplicates = HS_DUP_CONFLICT;
      else
        return hs_err_set(err, HS_E_CONFIG,
                          "duplicates: expected \"flag\" or \"conflict\"");
    }
    else if(!strcmp(k, "date_years"))
      rc = parse_date_years(cfg, v, err);
    else if(!strcmp(k, "policy"))
      rc = hs_policy_parse(v, &cfg->policy, err);
    else
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: unknown key; expected one of %s", k, top_keys);
    if(rc)
      return rc;
  }
  if(!cfg->connector)
    return hs_err_set(err, HS_E_CONFIG, "connector: missing");
  return check_allow_empty(cfg, err);
}

hs_rc hs_config_parse(const char *text, const char *path, hs_config **out,
                      hs_err *err)
{
  hs_config *cfg = calloc(1, sizeof(*cfg));
  json_tokener *tok;
  json_object *root;
  hs_rc rc;
  *out = NULL;
  if(!cfg)
    return nomem(err);
  cfg->path = strdup(path);
  cfg->dir = dir_of(path);
  if(!cfg->path || !cfg->dir) {
    hs_config_free(cfg);
    return nomem(err);
  }
  hs_sha256_buf(text, strlen(text), cfg->digest);
  cfg->mass_share = 0.10;
  cfg->year_min = HS_NORM_YEAR_MIN;
  cfg->year_max = HS_NORM_YEAR_MAX;
  hs_policy_defaults(&cfg->policy);
  tok = json_tokener_new();
  if(!tok) {
    hs_config_free(cfg);
    return nomem(err);
  }
  root = json_tokener_parse_ex(tok, text, (int)strlen(text));
  if(!root || json_tokener_get_error(tok) != json_tokener_success) {
    /* json-c tells the offset; turn it into a line for people. */
    size_t off = json_tokener_get_parse_end(tok), line = 1, i;
    for(i = 0; i < off && text[i]; i++)
      if(text[i] == '\n')
        line++;
    rc = hs_err_set(err, HS_E_CONFIG, "%s: line %zu: invalid JSON: %s", path,
                    line,
                    json_tokener_error_desc(
                        json_tokener_get_error(tok) == json_tokener_continue
                            ? json_tokener_error_parse_eof
                            : json_tokener_get_error(tok)));
    json_object_put(root);
    json_tokener_free(tok);
    hs_config_free(cfg);
    return rc;
  }
  json_tokener_free(tok);
  rc = parse_root(cfg, root, err);
  json_object_put(root);
  if(rc) {
    hs_err_prefix(err, "%s", path);
    hs_config_free(cfg);
    return rc;
  }
  *out = cfg;
  return HS_OK;
}

hs_rc hs_config_load(const char *path, hs_config **out, hs_err *err)
{
  FILE *f = fopen(path, "rb");
  hs_buf b = HS_BUF_INIT;
  char chunk[8192];
  size_t n, i;
  struct stat st;
  hs_rc rc;
  *out = NULL;
  if(!f)
    return hs_err_set(err, errno == ENOENT ? HS_E_CONFIG : HS_E_IO,
                      "%s: cannot read config: %s%s", path, strerror(errno),
                      errno == ENOENT ? " (create one with `hrsync init "
                                        "PLUGIN`)"
                                      : "");
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    if(hs_buf_append(&b, chunk, n)) {
      fclose(f);
      hs_buf_free(&b);
      return nomem(err);
    }
  if(fstat(fileno(f), &st))
    st.st_mode = 0;
  fclose(f);
  if(strlen(hs_buf_str(&b)) != b.len) {
    hs_buf_free(&b);
    return hs_err_set(err, HS_E_CONFIG, "%s: contains a NUL byte", path);
  }
  rc = hs_config_parse(hs_buf_str(&b), path, out, err);
  hs_buf_free(&b);
  if(rc)
    return rc;
  for(i = 0; i < (*out)->n_secrets; i++)
    if(hs_secret_is_literal((*out)->secrets[i].value) && (st.st_mode & 077)) {
      rc = hs_err_set(err, HS_E_CONFIG,
                      "%s: secrets.%s: a literal secret needs a private "
                      "config file (chmod 600 %s), or use env:NAME or "
                      "file:PATH",
                      path, (*out)->secrets[i].name, path);
      hs_config_free(*out);
      *out = NULL;
      return rc;
    }
  return HS_OK;
}

static int add_wanted(const char ***arr, size_t *n, const char *id)
{
  size_t i;
  for(i = 0; i < *n; i++)
    if(!strcmp((*arr)[i], id))
      return 0;
  (*arr)[(*n)++] = id;
  return 0;
}

hs_rc hs_config_wanted(const hs_config *cfg, const char ***out, size_t *n,
                       hs_err *err)
{
  size_t cap = HS_SF_COUNT + cfg->n_conds, i, j;
  int f;
  for(i = 0; i < cfg->n_groups; i++)
    cap += cfg->groups[i].n_conds;
  *n = 0;
  *out = calloc(cap + 1, sizeof(char *));
  if(!*out)
    return nomem(err);
  for(f = 0; f < HS_SF_COUNT; f++)
    if(cfg->mapping[f])
      add_wanted(out, n, cfg->mapping[f]);
  for(i = 0; i < cfg->n_conds; i++)
    add_wanted(out, n, cfg->conds[i].field);
  for(i = 0; i < cfg->n_groups; i++)
    for(j = 0; j < cfg->groups[i].n_conds; j++)
      add_wanted(out, n, cfg->groups[i].conds[j].field);
  return HS_OK;
}

static const hrsync_setting_def *find_setting(const hrsync_connector *desc,
                                              const char *key)
{
  const hrsync_setting_def *s;
  for(s = desc->settings; s && s->key; s++)
    if(!strcmp(s->key, key))
      return s;
  return NULL;
}

hs_rc hs_config_check_connector(const hs_config *cfg,
                                const hrsync_connector *desc, hs_err *err)
{
  size_t i;
  for(i = 0; i < cfg->n_settings; i++) {
    const hrsync_setting_def *s = find_setting(desc, cfg->settings[i].name);
    if(!s || (s->flags & HRSYNC_SETTING_SECRET))
      return hs_err_set(err, HS_E_CONFIG, "%s: settings.%s: %s", cfg->path,
                        cfg->settings[i].name,
                        s ? "is a secret; move it to \"secrets\""
                          : "unknown setting for this connector");
  }
  for(i = 0; i < cfg->n_secrets; i++) {
    const hrsync_setting_def *s = find_setting(desc, cfg->secrets[i].name);
    if(!s || !(s->flags & HRSYNC_SETTING_SECRET))
      return hs_err_set(err, HS_E_CONFIG, "%s: secrets.%s: %s", cfg->path,
                        cfg->secrets[i].name,
                        s ? "is not a secret; move it to \"settings\""
                          : "unknown secret for this connector");
  }
  return HS_OK;
}

/* The end of an unknown-field error: the nearest known id when there is
** one (engine/suggest.c), then where to look. */
static const char *near_hint(char *buf, size_t cap, const char *id,
                             hs_field_nth_fn nth, void *arg)
{
  const char *near = nth ? hs_suggest_nearest(id, nth, arg) : NULL;
  if(!near)
    return "see `hrsync fields`";
  snprintf(buf, cap, "did you mean \"%s\"? see `hrsync fields`", near);
  return buf;
}

static hs_rc check_conds(const hs_config *cfg, const hs_cond *c, size_t n,
                         const char *key, hs_field_known_fn known,
                         hs_field_nth_fn nth, void *arg, hs_err *err)
{
  char hint[320];
  size_t i;
  for(i = 0; i < n; i++)
    if(!known(arg, c[i].field))
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: %s[%zu].field: unknown HR field \"%s\" (%s)",
                        cfg->path, key, i, c[i].field,
                        near_hint(hint, sizeof(hint), c[i].field, nth, arg));
  return HS_OK;
}

hs_rc hs_config_check_fields(const hs_config *cfg, hs_field_known_fn known,
                             void *arg, hs_err *err)
{
  return hs_config_check_fields_near(cfg, known, NULL, arg, err);
}

hs_rc hs_config_check_fields_near(const hs_config *cfg,
                                  hs_field_known_fn known, hs_field_nth_fn nth,
                                  void *arg, hs_err *err)
{
  char hint[320];
  size_t i;
  int f;
  hs_rc rc;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(cfg->mapping[f] && !known(arg, cfg->mapping[f]))
      return hs_err_set(
          err, HS_E_CONFIG, "%s: mapping.%s: unknown HR field \"%s\" (%s)",
          cfg->path, hs_sf_name(f), cfg->mapping[f],
          near_hint(hint, sizeof(hint), cfg->mapping[f], nth, arg));
  if((rc = check_conds(cfg, cfg->conds, cfg->n_conds, "conditions", known, nth,
                       arg, err)))
    return rc;
  for(i = 0; i < cfg->n_groups; i++) {
    char key[64];
    snprintf(key, sizeof(key), "groups[%zu].if", i);
    if((rc = check_conds(cfg, cfg->groups[i].conds, cfg->groups[i].n_conds,
                         key, known, nth, arg, err)))
      return rc;
  }
  return HS_OK;
}

/* The date fields: declared so, or mapped to a stakeholder date. */
static int is_date_field(const hs_config *cfg, hs_field_type_of_fn type,
                         void *arg, const char *id)
{
  int f;
  for(f = 0; f < HS_SF_COUNT; f++)
    if(hs_sf_is_date(f) && cfg->mapping[f] && !strcmp(cfg->mapping[f], id))
      return 1;
  return type && type(arg, id) == HRSYNC_FIELD_DATE;
}

static hs_rc check_cond_types(const hs_config *cfg, const hs_cond *c, size_t n,
                              const char *key, hs_field_type_of_fn type,
                              void *arg, hs_err *err)
{
  size_t i, j;
  for(i = 0; i < n; i++) {
    if(!hs_op_compares(c[i].op) || !is_date_field(cfg, type, arg, c[i].field))
      continue;
    for(j = 0; j < c[i].n_values; j++) {
      char iso[11];
      if(!hs_norm_date(c[i].values[j], iso))
        continue;
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: %s[%zu].value: \"%s\" is not a date (or its "
                        "year is outside %d-%d); %s is a date field: write "
                        "an ISO date (YYYY-MM-DD) or a relative one (today, "
                        "today-30d, today+1y)",
                        cfg->path, key, i, c[i].values[j], cfg->year_min,
                        cfg->year_max, c[i].field);
    }
  }
  return HS_OK;
}

hs_rc hs_config_check_types(const hs_config *cfg, hs_field_type_of_fn type,
                            void *arg, hs_err *err)
{
  size_t i;
  hs_rc rc;
  if((rc = check_cond_types(cfg, cfg->conds, cfg->n_conds, "conditions", type,
                            arg, err)))
    return rc;
  for(i = 0; i < cfg->n_groups; i++) {
    char key[64];
    snprintf(key, sizeof(key), "groups[%zu].if", i);
    if((rc = check_cond_types(cfg, cfg->groups[i].conds,
                              cfg->groups[i].n_conds, key, type, arg, err)))
      return rc;
  }
  return HS_OK;
}
