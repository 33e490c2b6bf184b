/* Fault rules: parsing, matching and consumption. */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
    "",         "rate_limit", "status",       "slow",    "reset",
    "truncate", "malformed",  "token_expiry", "withhold"};

int emu_faults_init(emu_faults *fs)
{
  memset(fs, 0, sizeof(*fs));
  return pthread_mutex_init(&fs->mu, NULL) ? -1 : 0;
}

static void fault_free(emu_fault *f)
{
  size_t i;

  free(f->path);
  for(i = 0; i < f->nfields; i++)
    free(f->fields[i]);
  free(f->fields);
}

static void clear_locked(emu_faults *fs)
{
  size_t i;

  for(i = 0; i < fs->n; i++)
    fault_free(&fs->v[i]);
  free(fs->v);
  fs->v = NULL;
  fs->n = 0;
}

void emu_faults_destroy(emu_faults *fs)
{
  clear_locked(fs);
  pthread_mutex_destroy(&fs->mu);
}

void emu_faults_clear(emu_faults *fs)
{
  pthread_mutex_lock(&fs->mu);
  clear_locked(fs);
  pthread_mutex_unlock(&fs->mu);
}

static int get_long(json_object *obj, const char *key, long *out, char *err,
                    size_t errlen)
{
  json_object *v;

  if(!json_object_object_get_ex(obj, key, &v))
    return 0;
  if(!json_object_is_type(v, json_type_int)) {
    snprintf(err, errlen, "fault '%s' must be an integer", key);
    return -1;
  }
  *out = (long)json_object_get_int64(v);
  return 0;
}

static int parse_fields(emu_fault *f, json_object *obj, char *err,
                        size_t errlen)
{
  json_object *arr;
  size_t i, n;

  if(!json_object_object_get_ex(obj, "fields", &arr) ||
     !json_object_is_type(arr, json_type_array) ||
     !(n = json_object_array_length(arr))) {
    snprintf(err, errlen, "withhold fault needs a non-empty 'fields' array");
    return -1;
  }
  f->fields = calloc(n, sizeof(*f->fields));
  if(!f->fields)
    return -1;
  for(i = 0; i < n; i++) {
    json_object *s = json_object_array_get_idx(arr, i);
    if(!json_object_is_type(s, json_type_string)) {
      snprintf(err, errlen, "withhold fields[%zu] must be a string", i);
      return -1;
    }
    if(!(f->fields[f->nfields++] = strdup(json_object_get_string(s))))
      return -1;
  }
  return 0;
}

static int parse(emu_fault *f, json_object *obj, char *err, size_t errlen)
{
  json_object *v;
  const char *kind, *sys = "*";
  size_t i;
  long status = 0;

  if(!json_object_is_type(obj, json_type_object)) {
    snprintf(err, errlen, "fault must be a JSON object");
    return -1;
  }
  if(!json_object_object_get_ex(obj, "kind", &v) ||
     !json_object_is_type(v, json_type_string)) {
    snprintf(err, errlen, "fault needs a 'kind' string");
    return -1;
  }
  kind = json_object_get_string(v);
  for(i = 1; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
    if(!strcmp(kind, kind_names[i]))
      f->kind = (int)i;
  if(!f->kind) {
    snprintf(err, errlen, "unknown fault kind '%s'", kind);
    return -1;
  }
  if(json_object_object_get_ex(obj, "system", &v)) {
    sys = json_object_get_string(v);
    if(!json_object_is_type(v, json_type_string) ||
       (strcmp(sys, "*") && strcmp(sys, "bamboohr") &&
        strcmp(sys, "personio") && strcmp(sys, "hibob") &&
        strcmp(sys, "humaans") && strcmp(sys, "lucca"))) {
      snprintf(err, errlen, "unknown fault system '%s'",
               sys ? sys : "(not a string)");
      return -1;
    }
  }
  snprintf(f->system, sizeof(f->system), "%s", sys);
  if(json_object_object_get_ex(obj, "path", &v) &&
     !(f->path = strdup(json_object_get_string(v))))
    return -1;
  f->count = f->kind == EMU_FK_WITHHOLD ? -1 : 1;
  f->retry_after = 1;
  f->delay_ms = 1000;
  if(get_long(obj, "count", &f->count, err, errlen) ||
     get_long(obj, "after", &f->after, err, errlen) ||
     get_long(obj, "status", &status, err, errlen) ||
     get_long(obj, "retry_after", &f->retry_after, err, errlen) ||
     get_long(obj, "delay_ms", &f->delay_ms, err, errlen))
    return -1;
  /* retry_after -1: a 429 without Retry-After (Personio's are [U]). */
  if(f->count == 0 || f->count < -1 || f->after < 0 || f->delay_ms < 0 ||
     f->retry_after < -1) {
    snprintf(err, errlen,
             "fault count must be -1 or > 0; after, "
             "delay_ms >= 0; retry_after >= 0 or -1 (none)");
    return -1;
  }
  if(f->kind == EMU_FK_STATUS && !status)
    status = 500;
  if(status && (status < 100 || status > 599)) {
    snprintf(err, errlen, "fault status %ld is not an HTTP status", status);
    return -1;
  }
  if(f->kind == EMU_FK_RATE_LIMIT && status && status != 429 &&
     status != 503) {
    snprintf(err, errlen, "rate_limit status must be 429 or 503");
    return -1;
  }
  f->status = (unsigned)status;
  if(f->kind == EMU_FK_WITHHOLD)
    return parse_fields(f, obj, err, errlen);
  return 0;
}

int emu_faults_add_json(emu_faults *fs, json_object *obj, char *err,
                        size_t errlen)
{
  emu_fault f, *nv;

  memset(&f, 0, sizeof(f));
  snprintf(err, errlen, "out of memory");
  if(parse(&f, obj, err, errlen)) {
    fault_free(&f);
    return -1;
  }
  pthread_mutex_lock(&fs->mu);
  nv = realloc(fs->v, (fs->n + 1) * sizeof(*nv));
  if(!nv) {
    pthread_mutex_unlock(&fs->mu);
    fault_free(&f);
    return -1;
  }
  fs->v = nv;
  fs->v[fs->n++] = f;
  pthread_mutex_unlock(&fs->mu);
  return 0;
}

static void add_withhold(emu_fault_hit *hit, const emu_fault *f)
{
  char **nv =
      realloc(hit->withhold, (hit->nwithhold + f->nfields) * sizeof(*nv));
  size_t i;

  if(!nv)
    return;
  hit->withhold = nv;
  for(i = 0; i < f->nfields; i++)
    if((nv[hit->nwithhold] = strdup(f->fields[i])))
      hit->nwithhold++;
}

void emu_faults_match(emu_faults *fs, const char *system, const char *path,
                      int is_auth, emu_fault_hit *hit)
{
  size_t i;

  memset(hit, 0, sizeof(*hit));
  pthread_mutex_lock(&fs->mu);
  for(i = 0; i < fs->n; i++) {
    emu_fault *f = &fs->v[i];
    if(strcmp(f->system, "*") && strcmp(f->system, system))
      continue;
    if(f->path && !strstr(path, f->path))
      continue;
    if(f->kind == EMU_FK_TOKEN_EXPIRY && is_auth)
      continue;
    /* A blocking fault already fired: later rules don't see the request,
     * so "after" counts only requests that reached them. */
    if(hit->action != EMU_FK_NONE && f->kind != EMU_FK_SLOW &&
       f->kind != EMU_FK_WITHHOLD)
      continue;
    if(f->after > 0) {
      f->after--;
      continue;
    }
    if(f->count == 0)
      continue;
    if(f->count > 0)
      f->count--;
    if(f->kind == EMU_FK_SLOW)
      hit->delay_ms += f->delay_ms;
    else if(f->kind == EMU_FK_WITHHOLD)
      add_withhold(hit, f);
    else {
      hit->action = f->kind;
      hit->status = f->status;
      hit->retry_after = f->retry_after;
    }
  }
  pthread_mutex_unlock(&fs->mu);
}

void emu_fault_hit_free(emu_fault_hit *hit)
{
  size_t i;

  for(i = 0; i < hit->nwithhold; i++)
    free(hit->withhold[i]);
  free(hit->withhold);
  memset(hit, 0, sizeof(*hit));
}

int emu_fault_hit_withholds(const emu_fault_hit *hit, const char *name)
{
  size_t i;

  for(i = 0; i < hit->nwithhold; i++)
    if(!strcmp(hit->withhold[i], name))
      return 1;
  return 0;
}

size_t emu_faults_pending(emu_faults *fs)
{
  size_t i, n = 0;

  pthread_mutex_lock(&fs->mu);
  for(i = 0; i < fs->n; i++)
    n += fs->v[i].count != 0;
  pthread_mutex_unlock(&fs->mu);
  return n;
}
