/* fetch_all: the benchmark's floor. Sends exactly the requests each
 * connector sends for the config `hrsync init CONNECTOR` writes (same
 * methods, paths, queries and bodies, in the same order, ending its paging
 * by the same rule; bench/test_floor.sh proves it against the emulator's
 * request log), on one keep-alive libcurl handle, and parses every body
 * with json-c element by element, as a streaming connector would: the
 * employees array is never built as one tree, each employee is parsed,
 * every value visited, and freed. Nothing else: no mapping, no store.
 *
 *   fetch_all http://127.0.0.1:PORT [bamboohr|personio|hibob|humaans|lucca]...
 *
 * One line per system: requests, records, MB, seconds (parse = json-c).
 */
#include <curl/curl.h>
#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct client {
  CURL *curl;
  char *buf;
  size_t len, cap;
  long requests;
  double bytes;
  double parse_s;       /* time spent in json-c, to split client from server */
  json_tokener *tok;    /* reused for every element */
  struct curl_slist *h; /* the headers of the current system */
  char base[256];
} client;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
  client *c = cls;
  size_t add = size * n;
  if(c->len + add + 1 > c->cap) {
    size_t ncap = c->cap ? c->cap : 1 << 16;
    char *nb;
    while(ncap < c->len + add + 1)
      ncap *= 2;
    if(!(nb = realloc(c->buf, ncap)))
      return 0;
    c->buf = nb;
    c->cap = ncap;
  }
  memcpy(c->buf + c->len, p, add);
  c->len += add;
  c->buf[c->len] = '\0';
  return add;
}

/* One request; the body is in c->buf. 0 on HTTP 200. */
static int call(client *c, const char *method, const char *path,
                const char *userpwd, const char *body)
{
  char url[2048];
  long status = 0;
  CURLcode rc;
  snprintf(url, sizeof(url), "%s%s", c->base, path);
  c->len = 0;
  curl_easy_setopt(c->curl, CURLOPT_URL, url);
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->h);
  curl_easy_setopt(c->curl, CURLOPT_USERPWD, userpwd);
  curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH,
                   userpwd ? (long)CURLAUTH_BASIC : (long)CURLAUTH_NONE);
  if(body) {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  }
  else
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
  rc = curl_easy_perform(c->curl);
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
  c->requests++;
  c->bytes += (double)c->len;
  if(rc != CURLE_OK || status != 200) {
    fprintf(stderr, "fetch_all: %s %s: %s, HTTP %ld\n", method, path,
            curl_easy_strerror(rc), status);
    return -1;
  }
  return 0;
}

/* ---- a minimal JSON scanner, to reach the array without a tree ---- */

static const char *ws(const char *p)
{
  while(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    p++;
  return p;
}

/* Past the string at p (p at '"'), or NULL. */
static const char *skip_str(const char *p)
{
  for(p++; *p; p++) {
    if(*p == '\\' && p[1])
      p++;
    else if(*p == '"')
      return p + 1;
  }
  return NULL;
}

/* Past the value at p (a string, number, literal, object or array), or
 * NULL when it does not end. */
static const char *skip_value(const char *p)
{
  int depth = 0;
  p = ws(p);
  for(;;) {
    if(!*p)
      return depth ? NULL : p;
    if(*p == '"') {
      if(!(p = skip_str(p)))
        return NULL;
      if(!depth)
        return p;
      continue;
    }
    if(*p == '{' || *p == '[')
      depth++;
    else if(*p == '}' || *p == ']') {
      if(!depth)
        return p;
      if(!--depth)
        return p + 1;
    }
    else if(!depth && strchr(", \t\r\n:", *p))
      return p;
    p++;
  }
}

/* The value of member key of the object at p, or NULL. */
static const char *member(const char *p, const char *key)
{
  size_t klen = strlen(key);
  p = ws(p);
  if(*p != '{')
    return NULL;
  p = ws(p + 1);
  while(*p == '"') {
    const char *k = p + 1, *end = skip_str(p);
    if(!end)
      return NULL;
    p = ws(end);
    if(*p != ':')
      return NULL;
    p = ws(p + 1);
    if((size_t)(end - 1 - k) == klen && !memcmp(k, key, klen))
      return p;
    if(!(p = skip_value(p)))
      return NULL;
    p = ws(p);
    if(*p == ',')
      p = ws(p + 1);
  }
  return NULL;
}

/* Reads every value of a tree, as a connector reading its fields does. */
static size_t visit(json_object *o)
{
  size_t n = 0, i;
  switch(json_object_get_type(o)) {
  case json_type_object: {
    json_object_object_foreach(o, k, v)
    {
      (void)k;
      n += visit(v);
    }
    return n;
  }
  case json_type_array:
    for(i = 0; i < json_object_array_length(o); i++)
      n += visit(json_object_array_get_idx(o, i));
    return n;
  default:
    return json_object_get_string(o) ? 1 : 0;
  }
}

/* Parses one value at *p with the shared tokener (and visits it when
 * out is NULL); moves *p past it. -1 on bad JSON. */
static int parse_one(client *c, const char **p, json_object **out)
{
  const char *end = skip_value(*p);
  json_object *o;
  double t0 = now_s();
  if(!end)
    return -1;
  json_tokener_reset(c->tok);
  o = json_tokener_parse_ex(c->tok, *p, (int)(end - *p));
  if(!o && json_tokener_get_error(c->tok) == json_tokener_continue)
    o = json_tokener_parse_ex(c->tok, "", 1); /* a bare number needs an end */
  if(!o && json_tokener_get_error(c->tok) != json_tokener_success) {
    c->parse_s += now_s() - t0;
    return -1;
  }
  if(out)
    *out = o;
  else {
    visit(o);
    json_object_put(o);
  }
  c->parse_s += now_s() - t0;
  *p = end;
  return 0;
}

/* The array at key path k1[.k2] of the body: each element parsed and
 * freed in turn. Returns the elements, or -1. */
static long each_element(client *c, const char *k1, const char *k2)
{
  const char *p = member(c->buf, k1);
  long n = 0;
  if(p && k2)
    p = member(p, k2);
  if(!p || *(p = ws(p)) != '[')
    return -1;
  p = ws(p + 1);
  while(*p && *p != ']') {
    if(parse_one(c, &p, NULL))
      return -1;
    n++;
    p = ws(p);
    if(*p == ',')
      p = ws(p + 1);
  }
  return *p == ']' ? n : -1;
}

/* A number member at k1[.k2] of the body, or -1. */
static long long number_at(client *c, const char *k1, const char *k2)
{
  const char *p = member(c->buf, k1);
  json_object *o = NULL;
  long long v = -1;
  if(p && k2)
    p = member(p, k2);
  if(p && !parse_one(c, &p, &o) && json_object_is_type(o, json_type_int))
    v = json_object_get_int64(o);
  json_object_put(o);
  return v;
}

/* A request whose whole answer is parsed and visited (schemas, auth). */
static int call_small(client *c, const char *method, const char *path,
                      const char *userpwd, const char *body)
{
  const char *p;
  if(call(c, method, path, userpwd, body))
    return -1;
  p = c->buf ? c->buf : "";
  return parse_one(c, &p, NULL);
}

/* ---- the five connectors' request sequences ---- */

static void headers(client *c, const char *a, const char *b, const char *d)
{
  curl_slist_free_all(c->h);
  c->h = curl_slist_append(NULL, "User-Agent: hrsync/0.1.0");
  c->h = curl_slist_append(c->h, "Accept: application/json");
  if(a)
    c->h = curl_slist_append(c->h, a);
  if(b)
    c->h = curl_slist_append(c->h, b);
  if(d)
    c->h = curl_slist_append(c->h, d);
}

#define BH_KEY  "bamboo-test-key:x"
#define BH_BASE "/bamboohr/api/gateway.php/acme"

static long bamboohr(client *c)
{
  headers(c, NULL, NULL, NULL);
  if(call_small(c, "GET", BH_BASE "/v1/meta/fields", BH_KEY, NULL))
    return -1;
  headers(c, "Content-Type: application/json", NULL, NULL);
  if(call(c, "POST", BH_BASE "/v1/reports/custom?format=JSON", BH_KEY,
          "{\"title\":\"hrsync\",\"fields\":[\"id\",\"employeeNumber\","
          "\"firstName\",\"lastName\",\"workEmail\",\"mobilePhone\","
          "\"address1\",\"address2\",\"city\",\"zipcode\",\"state\","
          "\"country\",\"dateOfBirth\",\"hireDate\","
          "\"terminationDate\",\"status\"],\"filterDuplicates\":\"yes\"}"))
    return -1;
  return each_element(c, "employees", NULL);
}

static long personio(client *c)
{
  char auth[256], path[512];
  json_object *o = NULL, *v;
  const char *p;
  long n = 0, got, off = 0;
  long long total;
  headers(c, "Content-Type: application/json", NULL, NULL);
  if(call(c, "POST", "/personio/v1/auth", NULL,
          "{\"client_id\":\"personio-test-id\","
          "\"client_secret\":\"personio-test-secret\"}"))
    return -1;
  p = c->buf;
  if(parse_one(c, &p, &o) || !json_object_object_get_ex(o, "data", &v) ||
     !json_object_object_get_ex(v, "token", &v)) {
    json_object_put(o);
    return -1;
  }
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
           json_object_get_string(v));
  json_object_put(o);
  headers(c, auth, "X-Personio-Partner-ID: HRSYNC",
          "X-Personio-App-ID: HRSYNC");
  if(call_small(c, "GET", "/personio/v1/company/employees/attributes", NULL,
                NULL))
    return -1;
  /* The connector's end rule: an empty page, or offset + n >= total. */
  do {
    snprintf(path, sizeof(path),
             "/personio/v1/company/employees?limit=100&offset=%ld"
             "&attributes[]=first_name&attributes[]=last_name"
             "&attributes[]=email&attributes[]=hire_date"
             "&attributes[]=termination_date",
             off);
    if(call(c, "GET", path, NULL, NULL) ||
       (got = each_element(c, "data", NULL)) < 0)
      return -1;
    total = number_at(c, "metadata", "total_elements");
    n += got;
    off += got;
  } while(got && !(total >= 0 && off >= total));
  return n;
}

#define HB_AUTH "SERVICE-TEST:hibob-test-token"

static long hibob(client *c)
{
  headers(c, NULL, NULL, NULL);
  if(call_small(c, "GET", "/hibob/v1/company/people/fields", HB_AUTH, NULL))
    return -1;
  headers(c, "Content-Type: application/json", NULL, NULL);
  /* The connector's id-only search first (the roster's size and ids). */
  if(call(c, "POST", "/hibob/v1/people/search", HB_AUTH,
          "{\"fields\":[\"root.id\"],\"showInactive\":true}") ||
     each_element(c, "employees", NULL) < 0)
    return -1;
  if(call(c, "POST", "/hibob/v1/people/search", HB_AUTH,
          "{\"fields\":[\"root.id\",\"work.employeeIdInCompany\","
          "\"root.firstName\",\"root.surname\",\"root.email\","
          "\"home.mobilePhone\",\"address.line1\",\"address.line2\","
          "\"address.city\",\"address.postCode\",\"address.country\","
          "\"personal.birthDate\",\"personal.nationality\","
          "\"work.startDate\",\"internal.terminationDate\"],"
          "\"showInactive\":true,\"humanReadable\":\"APPEND\"}"))
    return -1;
  return each_element(c, "employees", NULL);
}

static long humaans(client *c)
{
  char path[256];
  long n = 0, got, skip = 0;
  long long total;
  headers(c, "Authorization: Bearer humaans-test-token", NULL, NULL);
  if(call_small(c, "GET", "/humaans/api/me", NULL, NULL) ||
     call_small(c, "GET", "/humaans/api/custom-fields?$limit=250&$skip=0",
                NULL, NULL))
    return -1;
  /* The connector's end rule: empty or short page, or skip >= total. */
  do {
    snprintf(path, sizeof(path), "/humaans/api/people?$limit=250&$skip=%ld",
             skip);
    if(call(c, "GET", path, NULL, NULL) ||
       (got = each_element(c, "data", NULL)) < 0)
      return -1;
    total = number_at(c, "total", NULL);
    n += got;
    skip += got;
  } while(got == 250 && !(total >= 0 && skip >= total));
  return n;
}

static long lucca(client *c)
{
  char path[512];
  long n = 0, got, off = 0;
  headers(c, "Authorization: lucca application=lucca-test-key", NULL, NULL);
  /* The connector's probe of the key, then its extendedData schema page. */
  if(call_small(c, "GET", "/lucca/api/v3/users?fields=id&paging=0,1", NULL,
                NULL) ||
     call_small(c, "GET",
                "/lucca/api/v3/users?fields=id,extendedData&formerEmployees="
                "true&paging=0,1000",
                NULL, NULL))
    return -1;
  do {
    snprintf(path, sizeof(path),
             "/lucca/api/v3/users?fields=id,firstName,lastName,"
             "dtContractStart,dtContractEnd,employeeNumber,mail,directLine,"
             "address,birthDate&formerEmployees=true&paging=%ld,1000",
             off);
    if(call(c, "GET", path, NULL, NULL) ||
       (got = each_element(c, "data", "items")) < 0)
      return -1;
    n += got;
    /* After a full first page the connector asks for the count (it then
    ** fetches the other pages concurrently, the same pages). */
    if(!off && got == 1000 &&
       call_small(c, "GET",
                  "/lucca/api/v3/users?fields=collection.count&"
                  "formerEmployees=true",
                  NULL, NULL))
      return -1;
    off += got;
  } while(got == 1000);
  return n;
}

int main(int argc, char **argv)
{
  static const struct {
    const char *name;
    long (*fn)(client *);
  } systems[] = {{"bamboohr", bamboohr},
                 {"personio", personio},
                 {"hibob", hibob},
                 {"humaans", humaans},
                 {"lucca", lucca}};
  const size_t nsys = sizeof(systems) / sizeof(systems[0]);
  client c;
  size_t i;
  int a, rc = 0;
  if(argc < 2) {
    fprintf(stderr, "usage: fetch_all BASE_URL [SYSTEM...]\n");
    return 2;
  }
  for(a = 2; a < argc; a++) {
    for(i = 0; i < nsys && strcmp(argv[a], systems[i].name); i++)
      ;
    if(i == nsys) {
      fprintf(stderr, "fetch_all: unknown system \"%s\"\n", argv[a]);
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  memset(&c, 0, sizeof(c));
  snprintf(c.base, sizeof(c.base), "%s", argv[1]);
  c.curl = curl_easy_init();
  c.tok = json_tokener_new();
  if(!c.curl || !c.tok)
    return 1;
  curl_easy_setopt(c.curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c.curl, CURLOPT_WRITEDATA, &c);
  curl_easy_setopt(c.curl, CURLOPT_TIMEOUT, 300L);
  printf("%-9s %8s %9s %8s %8s %8s %10s\n", "system", "requests", "records",
         "MB", "seconds", "parse", "records/s");
  for(i = 0; i < nsys; i++) {
    int wanted = argc == 2;
    double t0, dt;
    long n;
    for(a = 2; a < argc; a++)
      wanted |= !strcmp(argv[a], systems[i].name);
    if(!wanted)
      continue;
    c.requests = 0;
    c.bytes = 0;
    c.parse_s = 0;
    t0 = now_s();
    n = systems[i].fn(&c);
    dt = now_s() - t0;
    if(n < 0) {
      fprintf(stderr, "fetch_all: %s: bad answer\n", systems[i].name);
      rc = 1;
    }
    printf("%-9s %8ld %9ld %8.1f %8.3f %8.3f %10.0f\n", systems[i].name,
           c.requests, n, c.bytes / 1e6, dt, c.parse_s,
           n > 0 ? (double)n / dt : 0.0);
    fflush(stdout);
  }
  curl_slist_free_all(c.h);
  json_tokener_free(c.tok);
  curl_easy_cleanup(c.curl);
  free(c.buf);
  curl_global_cleanup();
  return rc;
}
