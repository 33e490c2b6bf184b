/* The canonical population: storage, lookup, JSON in and out, and the
 * caches (status, registries, index lists) the renderers read. */
#include "people.h"

#include "buf.h"
#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const field_names[EMU_F_COUNT] = {
    "employee_number", "first_name",
    "last_name",       "preferred_name",
    "email",           "personal_email",
    "phone",           "address_line1",
    "address_line2",   "city",
    "postal_code",     "region",
    "country",         "country_code",
    "birth_date",      "nationality",
    "hire_date",       "termination_date",
    "status",          "employment_type",
    "department",      "job_title"};

const char *emu_field_name(int f)
{
  return (f >= 0 && f < EMU_F_COUNT) ? field_names[f] : NULL;
}

int emu_field_by_name(const char *name)
{
  int i;

  for(i = 0; i < EMU_F_COUNT; i++)
    if(!strcmp(field_names[i], name))
      return i;
  return -1;
}

uint64_t emu_hash(uint64_t x)
{
  /* splitmix64 finaliser: cheap, well mixed, stable across platforms. */
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

emu_pop *emu_pop_new(long today)
{
  emu_pop *pop = calloc(1, sizeof(*pop));

  if(pop)
    pop->today = today;
  return pop;
}

static void person_free(emu_person *p)
{
  size_t i;

  if(!p)
    return;
  for(i = 0; i < EMU_F_COUNT; i++)
    free(p->f[i]);
  for(i = 0; i < p->ncustom; i++) {
    free(p->custom[i].key);
    free(p->custom[i].value);
  }
  free(p->custom);
  free(p);
}

static void strv_free(char **v, size_t n)
{
  size_t i;

  for(i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

static void registries_free(emu_pop *pop)
{
  strv_free(pop->custom_keys, pop->ncustom_keys);
  strv_free(pop->depts, pop->ndepts);
  strv_free(pop->titles, pop->ntitles);
  strv_free(pop->offices, pop->noffices);
  free(pop->active);
  free(pop->current);
  pop->custom_keys = pop->depts = pop->titles = pop->offices = NULL;
  pop->ncustom_keys = pop->ndepts = pop->ntitles = pop->noffices = 0;
  pop->active = pop->current = NULL;
  pop->nactive = pop->ncurrent = 0;
}

void emu_pop_free(emu_pop *pop)
{
  size_t i;

  if(!pop)
    return;
  for(i = 0; i < pop->n; i++)
    person_free(pop->v[i]);
  free(pop->v);
  free(pop->tombs);
  registries_free(pop);
  free(pop);
}

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

static emu_person *person_clone(const emu_person *src)
{
  emu_person *p = calloc(1, sizeof(*p));
  size_t i;

  if(!p)
    return NULL;
  *p = *src;
  p->custom = NULL;
  p->ncustom = 0;
  for(i = 0; i < EMU_F_COUNT; i++) {
    p->f[i] = dup_or_null(src->f[i]);
    if(src->f[i] && !p->f[i])
      goto oom;
  }
  if(src->ncustom) {
    p->custom = calloc(src->ncustom, sizeof(*p->custom));
    if(!p->custom)
      goto oom;
    for(i = 0; i < src->ncustom; i++) {
      p->custom[i].key = strdup(src->custom[i].key);
      p->custom[i].value = dup_or_null(src->custom[i].value);
      p->ncustom++;
      if(!p->custom[i].key)
        goto oom;
    }
  }
  return p;
oom:
  person_free(p);
  return NULL;
}

/* Inserts p keeping v sorted by id; takes ownership on success. */
static int pop_insert(emu_pop *pop, emu_person *p)
{
  size_t lo = 0, hi = pop->n;

  if(pop->n == pop->cap) {
    size_t ncap = pop->cap ? pop->cap * 2 : 64;
    emu_person **nv = realloc(pop->v, ncap * sizeof(*nv));
    if(!nv)
      return -1;
    pop->v = nv;
    pop->cap = ncap;
  }
  if(pop->n && pop->v[pop->n - 1]->id < p->id)
    lo = pop->n; /* the common case: appending */
  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(pop->v[mid]->id < p->id)
      lo = mid + 1;
    else
      hi = mid;
  }
  memmove(pop->v + lo + 1, pop->v + lo, (pop->n - lo) * sizeof(*pop->v));
  pop->v[lo] = p;
  pop->n++;
  return 0;
}

int emu_pop_insert(emu_pop *pop, emu_person *p)
{
  return pop_insert(pop, p);
}

void emu_person_free(emu_person *p)
{
  person_free(p);
}

int emu_pop_remove(emu_pop *pop, long id, int64_t when)
{
  emu_person *p = emu_pop_find(pop, id);
  emu_tomb *nt;
  size_t i, j;

  if(!p)
    return -2;
  nt = realloc(pop->tombs, (pop->ntombs + 1) * sizeof(*nt));
  if(!nt)
    return -1;
  pop->tombs = nt;
  nt[pop->ntombs].id = id;
  nt[pop->ntombs++].when = when;
  for(i = j = 0; i < pop->n; i++)
    if(pop->v[i] != p)
      pop->v[j++] = pop->v[i];
  pop->n = j;
  person_free(p);
  return 0;
}

emu_person *emu_pop_find(const emu_pop *pop, long id)
{
  size_t lo = 0, hi = pop->n;

  while(lo < hi) {
    size_t mid = (lo + hi) / 2;
    if(pop->v[mid]->id == id)
      return pop->v[mid];
    if(pop->v[mid]->id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

const char *emu_person_custom(const emu_person *p, const char *key)
{
  size_t i;

  for(i = 0; i < p->ncustom; i++)
    if(!strcmp(p->custom[i].key, key))
      return p->custom[i].value;
  return NULL;
}

/* Sets custom key to value (NULL removes it). */
static int person_set_custom(emu_person *p, const char *key, const char *v)
{
  size_t i;
  emu_kv *nv;
  char *dv;

  for(i = 0; i < p->ncustom; i++) {
    if(strcmp(p->custom[i].key, key))
      continue;
    if(!v) {
      free(p->custom[i].key);
      free(p->custom[i].value);
      p->custom[i] = p->custom[--p->ncustom];
      return 0;
    }
    dv = strdup(v);
    if(!dv)
      return -1;
    free(p->custom[i].value);
    p->custom[i].value = dv;
    return 0;
  }
  if(!v)
    return 0;
  nv = realloc(p->custom, (p->ncustom + 1) * sizeof(*nv));
  if(!nv)
    return -1;
  p->custom = nv;
  nv[p->ncustom].key = strdup(key);
  nv[p->ncustom].value = strdup(v);
  if(!nv[p->ncustom].key || !nv[p->ncustom].value) {
    free(nv[p->ncustom].key);
    free(nv[p->ncustom].value);
    return -1;
  }
  p->ncustom++;
  return 0;
}

static int is_date_field(int f)
{
  return f == EMU_F_BIRTH_DATE || f == EMU_F_HIRE_DATE ||
         f == EMU_F_TERMINATION_DATE;
}

/* Checks a canonical value; returns NULL or what is wrong with it. */
static const char *bad_value(int f, const char *v)
{
  long d;

  if(!v)
    return NULL;
  if(is_date_field(f) && emu_date_parse(v, &d))
    return "is not a YYYY-MM-DD date";
  if(f == EMU_F_STATUS && strcmp(v, "active") && strcmp(v, "inactive") &&
     strcmp(v, "future"))
    return "must be active, inactive or future";
  if(f == EMU_F_EMPLOYMENT_TYPE && strcmp(v, "Full-Time") &&
     strcmp(v, "Part-Time") && strcmp(v, "Contractor"))
    return "must be Full-Time, Part-Time or Contractor";
  return NULL;
}

/* Applies every key of obj to p (all or nothing is the caller's job: it
 * works on a copy). */
static int person_apply(emu_person *p, json_object *obj, int allow_id,
                        char *err, size_t errlen)
{
  json_object_iter it;

  if(!json_object_is_type(obj, json_type_object)) {
    snprintf(err, errlen, "person must be a JSON object");
    return -1;
  }
  json_object_object_foreachC(obj, it)
  {
    int f = emu_field_by_name(it.key);
    const char *v = NULL, *why;
    char num[32];

    if(!strcmp(it.key, "id")) {
      if(!allow_id) {
        snprintf(err, errlen, "'id' cannot be changed");
        return -1;
      }
      if(!json_object_is_type(it.val, json_type_int) ||
         json_object_get_int64(it.val) <= 0) {
        snprintf(err, errlen, "'id' must be a positive integer");
        return -1;
      }
      p->id = (long)json_object_get_int64(it.val);
      continue;
    }
    if(!strcmp(it.key, "custom")) {
      json_object_iter ci;
      if(!json_object_is_type(it.val, json_type_object)) {
        snprintf(err, errlen, "'custom' must be an object");
        return -1;
      }
      json_object_object_foreachC(it.val, ci)
      {
        const char *cv = NULL;
        if(ci.val && !json_object_is_type(ci.val, json_type_string)) {
          snprintf(err, errlen, "custom.%s must be a string or null", ci.key);
          return -1;
        }
        if(ci.val)
          cv = json_object_get_string(ci.val);
        if(person_set_custom(p, ci.key, cv)) {
          snprintf(err, errlen, "out of memory");
          return -1;
        }
      }
      continue;
    }
    if(f < 0) {
      snprintf(err, errlen, "unknown key '%s' in person", it.key);
      return -1;
    }
    if(it.val && json_object_is_type(it.val, json_type_int) &&
       f == EMU_F_EMPLOYEE_NUMBER) {
      snprintf(num, sizeof(num), "%lld",
               (long long)json_object_get_int64(it.val));
      v = num;
    }
    else if(it.val) {
      if(!json_object_is_type(it.val, json_type_string)) {
        snprintf(err, errlen, "'%s' must be a string or null", it.key);
        return -1;
      }
      v = json_object_get_string(it.val);
    }
    why = bad_value(f, v);
    if(why) {
      snprintf(err, errlen, "'%s' %s (got '%s')", it.key, why, v);
      return -1;
    }
    free(p->f[f]);
    p->f[f] = NULL;
    if(v && !(p->f[f] = strdup(v))) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
  }
  return 0;
}

int emu_pop_add_json(emu_pop *pop, json_object *obj, emu_person **out,
                     char *err, size_t errlen)
{
  emu_person *p = calloc(1, sizeof(*p));

  if(!p) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if(person_apply(p, obj, 1, err, errlen))
    goto fail;
  if(!p->id)
    p->id = pop->n ? pop->v[pop->n - 1]->id + 1 : 1;
  else if(emu_pop_find(pop, p->id)) {
    snprintf(err, errlen, "a person with id %ld already exists", p->id);
    goto fail;
  }
  if(!p->f[EMU_F_FIRST_NAME] && !p->f[EMU_F_LAST_NAME]) {
    snprintf(err, errlen, "person %ld has neither first_name nor last_name",
             p->id);
    goto fail;
  }
  if(pop_insert(pop, p)) {
    snprintf(err, errlen, "out of memory");
    goto fail;
  }
  if(out)
    *out = p;
  return 0;
fail:
  person_free(p);
  return -1;
}

int emu_pop_patch_json(emu_pop *pop, long id, json_object *obj, char *err,
                       size_t errlen)
{
  emu_person *p = emu_pop_find(pop, id), *copy;
  size_t i;

  if(!p) {
    snprintf(err, errlen, "no person with id %ld", id);
    return -2;
  }
  /* Work on a copy so a bad key leaves the person untouched. */
  copy = person_clone(p);
  if(!copy) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  if(person_apply(copy, obj, 0, err, errlen)) {
    person_free(copy);
    return -1;
  }
  for(i = 0; i < pop->n; i++)
    if(pop->v[i] == p)
      pop->v[i] = copy;
  person_free(p);
  return 0;
}

static int derive_status(const emu_person *p, long today)
{
  long d;
  const char *s = p->f[EMU_F_STATUS];

  if(s)
    return !strcmp(s, "inactive") ? EMU_INACTIVE
           : !strcmp(s, "future") ? EMU_FUTURE
                                  : EMU_ACTIVE;
  if(p->f[EMU_F_TERMINATION_DATE] &&
     !emu_date_parse(p->f[EMU_F_TERMINATION_DATE], &d) && d < today)
    return EMU_INACTIVE;
  if(p->f[EMU_F_HIRE_DATE] && !emu_date_parse(p->f[EMU_F_HIRE_DATE], &d) &&
     d > today)
    return EMU_FUTURE;
  return EMU_ACTIVE;
}

/* Index of s in the registry, appending it when new; -1 on OOM. */
static long reg_id(char ***v, size_t *n, const char *s)
{
  size_t i;
  char **nv;

  for(i = 0; i < *n; i++)
    if(!strcmp((*v)[i], s))
      return (long)i;
  nv = realloc(*v, (*n + 1) * sizeof(*nv));
  if(!nv)
    return -1;
  *v = nv;
  nv[*n] = strdup(s);
  if(!nv[*n])
    return -1;
  return (long)(*n)++;
}

int emu_pop_reindex(emu_pop *pop)
{
  size_t i, j;
  long *first = NULL;

  registries_free(pop);
  pop->active = malloc((pop->n + 1) * sizeof(size_t));
  pop->current = malloc((pop->n + 1) * sizeof(size_t));
  if(!pop->active || !pop->current)
    return -1;
  for(i = 0; i < pop->n; i++) {
    emu_person *p = pop->v[i];
    p->status = derive_status(p, pop->today);
    if(p->status == EMU_ACTIVE)
      pop->active[pop->nactive++] = i;
    if(p->status != EMU_INACTIVE)
      pop->current[pop->ncurrent++] = i;
    p->dept_id = p->title_id = -1;
    if(p->f[EMU_F_DEPARTMENT] &&
       (p->dept_id =
            reg_id(&pop->depts, &pop->ndepts, p->f[EMU_F_DEPARTMENT])) < 0)
      return -1;
    if(p->f[EMU_F_JOB_TITLE] &&
       (p->title_id =
            reg_id(&pop->titles, &pop->ntitles, p->f[EMU_F_JOB_TITLE])) < 0)
      return -1;
    if((p->office_id =
            reg_id(&pop->offices, &pop->noffices,
                   p->f[EMU_F_CITY] ? p->f[EMU_F_CITY] : "Remote")) < 0)
      return -1;
    for(j = 0; j < p->ncustom; j++)
      if(reg_id(&pop->custom_keys, &pop->ncustom_keys, p->custom[j].key) < 0)
        return -1;
  }
  /* A department's first member (lowest id) supervises the others. */
  first = calloc(pop->ndepts + 1, sizeof(*first));
  if(!first)
    return -1;
  for(i = 0; i < pop->n; i++) {
    emu_person *p = pop->v[i];
    p->supervisor = 0;
    if(p->dept_id < 0)
      continue;
    if(!first[p->dept_id])
      first[p->dept_id] = p->id;
    else
      p->supervisor = first[p->dept_id];
  }
  free(first);
  return 0;
}

void emu_person_json(emu_buf *b, const emu_person *p)
{
  static const char *const st[] = {"active", "inactive", "future"};
  int i, first = 0;
  size_t j;

  emu_buf_printf(b, "{\"id\":%ld", p->id);
  for(i = 0; i < EMU_F_COUNT; i++)
    emu_json_kv(b, &first, field_names[i],
                i == EMU_F_STATUS ? st[p->status] : p->f[i]);
  emu_buf_puts(b, ",\"custom\":{");
  first = 1;
  for(j = 0; j < p->ncustom; j++)
    emu_json_kv(b, &first, p->custom[j].key, p->custom[j].value);
  emu_buf_puts(b, "}}");
}
