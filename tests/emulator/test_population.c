/* The generated company: the same seed gives the same people, every system
 * serves exactly those people (each in its own shape), and the mix holds
 * the cases sync code trips over. */
#include "test_common.h"

#define N 200
#define SEED_ARGS(seed)                                                       \
  {                                                                           \
    "--employees", "200", "--seed", seed, "--today", "2026-06-15", NULL       \
  }

typedef struct names {
  char *v[N + 8];
  size_t n;
} names;

static void add(names *ns, const char *first, const char *last)
{
  char buf[256];

  assert_true(ns->n < N + 8);
  snprintf(buf, sizeof(buf), "%s|%s", first ? first : "", last ? last : "");
  ns->v[ns->n++] = strdup(buf);
}

static void names_free(names *ns)
{
  size_t i;

  for(i = 0; i < ns->n; i++)
    free(ns->v[i]);
  ns->n = 0;
}

static void assert_same(const names *a, const names *b, const char *sys)
{
  size_t i;

  if(a->n != b->n)
    fail_msg("%s: %zu people, canonical has %zu", sys, b->n, a->n);
  for(i = 0; i < a->n; i++)
    if(strcmp(a->v[i], b->v[i]))
      fail_msg("%s: person %zu is %s, canonical %s", sys, i, b->v[i], a->v[i]);
}

static json_object *get_json(const emu_proc *e, const char *method,
                             const char *path, const char *const *hdrs,
                             const char *userpwd, const char *body)
{
  char url[512];
  http_res r;
  json_object *o;

  emu_url(e, path, url, sizeof(url));
  assert_int_equal(http_do(method, url, hdrs, userpwd, body, &r), 0);
  assert_int_equal(r.status, 200);
  o = http_json(&r);
  assert_non_null(o);
  http_res_free(&r);
  return o;
}

static void canonical(const emu_proc *e, names *ns)
{
  json_object *o = get_json(e, "GET", "/_emulator/people", NULL, NULL, NULL);
  size_t i;

  for(i = 0; i < json_object_array_length(jpath(o, "people")); i++) {
    json_object *p = json_object_array_get_idx(jpath(o, "people"), i);
    add(ns, jstr(p, "first_name"), jstr(p, "last_name"));
  }
  json_object_put(o);
}

static void bamboohr(const emu_proc *e, names *ns)
{
  static const char *const h[] = {"Content-Type: application/json",
                                  "Accept: application/json", NULL};
  json_object *o = get_json(
      e, "POST", "/bamboohr/api/gateway.php/acme/v1/reports/custom", h,
      "bamboo-test-key:x", "{\"fields\":[\"firstName\",\"lastName\"]}");
  json_object *a = jpath(o, "employees");
  size_t i;

  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *p = json_object_array_get_idx(a, i);
    add(ns, jstr(p, "firstName"), jstr(p, "lastName"));
  }
  json_object_put(o);
}

static void personio(const emu_proc *e, names *ns)
{
  static const char *const h[] = {"Content-Type: application/json", NULL};
  json_object *o = get_json(e, "POST", "/personio/v1/auth", h, NULL,
                            "{\"client_id\":\"personio-test-id\","
                            "\"client_secret\":\"personio-test-secret\"}");
  char hdr[200], path[128];
  const char *hh[] = {hdr, NULL};
  size_t i, got;
  int off = 0;

  snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s",
           jstr(o, "data.token"));
  json_object_put(o);
  do {
    json_object *a;
    snprintf(path, sizeof(path),
             "/personio/v1/company/employees?limit=100&offset=%d", off);
    o = get_json(e, "GET", path, hh, NULL, NULL);
    a = jpath(o, "data");
    got = json_object_array_length(a);
    for(i = 0; i < got; i++) {
      json_object *p = jpath(json_object_array_get_idx(a, i), "attributes");
      add(ns, jstr(p, "first_name.value"), jstr(p, "last_name.value"));
    }
    json_object_put(o);
    off += 100;
  } while(got == 100);
}

static void hibob(const emu_proc *e, names *ns)
{
  json_object *o =
      get_json(e, "POST", "/hibob/v1/people/search", NULL,
               "SERVICE-TEST:hibob-test-token",
               "{\"fields\":[\"root.firstName\",\"root.surname\"],"
               "\"showInactive\":true}");
  json_object *a = jpath(o, "employees");
  size_t i;

  /* The documented default shape: "/root/firstName": {"value": x}. */
  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *p = json_object_array_get_idx(a, i), *f = NULL, *s = NULL;
    json_object_object_get_ex(p, "/root/firstName", &f);
    json_object_object_get_ex(p, "/root/surname", &s);
    add(ns, jstr(f, "value"), jstr(s, "value"));
  }
  json_object_put(o);
}

static void humaans(const emu_proc *e, names *ns)
{
  static const char *const h[] = {"Authorization: Bearer humaans-test-token",
                                  NULL};
  char path[128];
  size_t i, got;
  int skip = 0;

  do {
    json_object *o, *a;
    snprintf(path, sizeof(path), "/humaans/api/people?$limit=100&$skip=%d",
             skip);
    o = get_json(e, "GET", path, h, NULL, NULL);
    a = jpath(o, "data");
    got = json_object_array_length(a);
    for(i = 0; i < got; i++) {
      json_object *p = json_object_array_get_idx(a, i);
      add(ns, jstr(p, "firstName"), jstr(p, "lastName"));
    }
    json_object_put(o);
    skip += 100;
  } while(got == 100);
}

static void lucca(const emu_proc *e, names *ns)
{
  static const char *const h[] = {
      "Authorization: lucca application=lucca-test-key", NULL};
  json_object *o = get_json(e, "GET",
                            "/lucca/api/v3/users?fields=firstName,lastName"
                            "&formerEmployees=true&paging=0,1000",
                            h, NULL, NULL);
  json_object *a = jpath(o, "data.items");
  size_t i;

  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *p = json_object_array_get_idx(a, i);
    add(ns, jstr(p, "firstName"), jstr(p, "lastName"));
  }
  json_object_put(o);
}

static void t_same_people_everywhere(void **state)
{
  const char *args[] = SEED_ARGS("42");
  void (*fetch[])(const emu_proc *, names *) = {bamboohr, personio, hibob,
                                                humaans, lucca};
  const char *sys[] = {"bamboohr", "personio", "hibob", "humaans", "lucca"};
  names canon = {0}, got = {0};
  emu_proc e;
  size_t i;

  (void)state;
  assert_int_equal(emu_proc_start(&e, emu_bin, args), 0);
  canonical(&e, &canon);
  assert_int_equal(canon.n, N);
  for(i = 0; i < 5; i++) {
    fetch[i](&e, &got);
    assert_same(&canon, &got, sys[i]);
    names_free(&got);
  }
  names_free(&canon);
  assert_int_equal(emu_proc_stop(&e), 0);
}

static char *people_body(const char *seed)
{
  const char *args[] = SEED_ARGS(seed);
  emu_proc e;
  char url[256];
  http_res r;
  char *body;

  assert_int_equal(emu_proc_start(&e, emu_bin, args), 0);
  emu_url(&e, "/_emulator/people", url, sizeof(url));
  assert_int_equal(http_do("GET", url, NULL, NULL, NULL, &r), 0);
  body = strdup(r.body);
  http_res_free(&r);
  assert_int_equal(emu_proc_stop(&e), 0);
  return body;
}

static void t_seed_determinism(void **state)
{
  char *a = people_body("42"), *b = people_body("42"), *c = people_body("43");

  (void)state;
  assert_true(strlen(a) > 1000);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  free(a);
  free(b);
  free(c);
}

static void t_mix(void **state)
{
  const char *args[] = SEED_ARGS("42");
  emu_proc e;
  json_object *o, *a;
  size_t i, j;
  int non_ascii = 0, apostrophe = 0, dup = 0, inactive = 0, future = 0,
      no_email = 0, no_hire = 0, part = 0, contractor = 0, no_address = 0,
      custom = 0;

  (void)state;
  assert_int_equal(emu_proc_start(&e, emu_bin, args), 0);
  o = get_json(&e, "GET", "/_emulator/people", NULL, NULL, NULL);
  a = jpath(o, "people");
  for(i = 0; i < json_object_array_length(a); i++) {
    json_object *p = json_object_array_get_idx(a, i);
    const char *f = jstr(p, "first_name"), *l = jstr(p, "last_name");
    const char *st = jstr(p, "status"), *et = jstr(p, "employment_type");
    const unsigned char *c;
    for(c = (const unsigned char *)f; *c; c++)
      non_ascii += *c >= 0x80;
    apostrophe += strchr(l, '\'') != NULL;
    inactive += !strcmp(st, "inactive");
    future += !strcmp(st, "future");
    no_email += !jstr(p, "email");
    no_hire += !jstr(p, "hire_date");
    no_address += !jstr(p, "address_line1");
    part += !strcmp(et, "Part-Time");
    contractor += !strcmp(et, "Contractor");
    custom += jstr(p, "custom.shirt_size") != NULL;
    for(j = 0; j < i; j++) {
      json_object *q = json_object_array_get_idx(a, j);
      dup += !strcmp(f, jstr(q, "first_name")) &&
             !strcmp(l, jstr(q, "last_name"));
    }
  }
  assert_true(non_ascii > 0);
  assert_true(apostrophe > 0);
  assert_true(dup > 0);
  assert_true(inactive > 0 && future > 0);
  assert_true(no_email > 0 && no_hire > 0 && no_address > 0);
  assert_true(part > 0 && contractor > 0);
  assert_true(custom > 0);
  json_object_put(o);
  assert_int_equal(emu_proc_stop(&e), 0);
}

/* This group runs its own emulators; the fixture one just idles. */
int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(t_same_people_everywhere),
      cmocka_unit_test(t_seed_determinism),
      cmocka_unit_test(t_mix),
  };
  return run_main(argc, argv, tests, sizeof(tests) / sizeof(tests[0]),
                  "emulator_population");
}
