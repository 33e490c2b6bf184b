/* fetch_all: the benchmark client. Fetches every page of each emulated HR
 * system the way a connector would (one keep-alive connection, parse each
 * page with json-c, count the records) and prints one line per system:
 * requests, records, bytes, seconds, records per second.
 *
 *   fetch_all http://127.0.0.1:PORT [bamboohr|bamboohr-dataset|personio|
 *                                    hibob|humaans|lucca]...
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
  double parse_s; /* time spent in json-c, to split client from server */
  char base[256];
} client;

static double now_s(void);

static size_t on_data(char *p, size_t size, size_t n, void *cls)
{
  client *c = cls;
  size_t add = size * n;

  if(c->len + add + 1 > c->cap) {
    size_t ncap = c->cap ? c->cap : 1 << 16;
    char *nb;
    while(ncap < c->len + add + 1)
      ncap *= 2;
    nb = realloc(c->buf, ncap);
    if(!nb)
      return 0;
    c->buf = nb;
    c->cap = ncap;
  }
  memcpy(c->buf + c->len, p, add);
  c->len += add;
  c->buf[c->len] = '\0';
  return add;
}

/* One request; returns the parsed JSON body (caller puts it) or NULL. */
static json_object *call(client *c, const char *method, const char *path,
                         struct curl_slist *hdrs, const char *userpwd,
                         const char *body)
{
  char url[1024];
  long status = 0;
  CURLcode rc;

  snprintf(url, sizeof(url), "%s%s", c->base, path);
  c->len = 0;
  curl_easy_setopt(c->curl, CURLOPT_URL, url);
  curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
  curl_easy_setopt(c->curl, CURLOPT_USERPWD, userpwd);
  curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH,
                   userpwd ? (long)CURLAUTH_BASIC : (long)CURLAUTH_NONE);
  if(body) {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  }
  else {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
  }
  rc = curl_easy_perform(c->curl);
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
  c->requests++;
  c->bytes += (double)c->len;
  if(rc != CURLE_OK || status != 200) {
    fprintf(stderr, "fetch_all: %s %s: %s, HTTP %ld\n", method, path,
            curl_easy_strerror(rc), status);
    return NULL;
  }
  {
    double t0 = now_s();
    json_object *o = json_tokener_parse(c->buf ? c->buf : "");
    c->parse_s += now_s() - t0;
    return o;
  }
}

static size_t arr_len(json_object *o, const char *k1, const char *k2)
{
  json_object *v = o;

  if(k1 && !json_object_object_get_ex(v, k1, &v))
    return 0;
  if(k2 && !json_object_object_get_ex(v, k2, &v))
    return 0;
  return json_object_is_type(v, json_type_array) ? json_object_array_length(v)
                                                 : 0;
}

static long bamboohr_report(client *c)
{
  struct curl_slist *h =
      curl_slist_append(NULL, "Content-Type: application/json");
  json_object *o;
  long n;

  h = curl_slist_append(h, "Accept: application/json");
  o = call(c, "POST", "/bamboohr/api/gateway.php/acme/v1/reports/custom", h,
           "bamboo-test-key:x",
           "{\"fields\":[\"id\",\"employeeNumber\",\"firstName\","
           "\"lastName\",\"workEmail\",\"status\",\"hireDate\","
           "\"terminationDate\",\"department\",\"jobTitle\",\"city\","
           "\"country\",\"employmentHistoryStatus\"]}");
  n = o ? (long)arr_len(o, "employees", NULL) : -1;
  json_object_put(o);
  curl_slist_free_all(h);
  return n;
}

static long bamboohr_dataset(client *c)
{
  struct curl_slist *h =
      curl_slist_append(NULL, "Content-Type: application/json");
  long n = 0, page, pages = 1;
  char body[512];

  for(page = 1; page <= pages; page++) {
    json_object *o, *m;
    snprintf(body, sizeof(body),
             /* The dataset's own names (an unknown one is a 400). */
             "{\"fields\":[\"eeid\",\"firstName\",\"lastName\",\"email\","
             "\"status\",\"hireDate\",\"jobInformationDepartment\"],"
             "\"page\":%ld,"
             "\"pageSize\":1000}",
             page);
    o = call(c, "POST", "/bamboohr/api/v2/datasets/employee/data", h,
             "bamboo-test-key:x", body);
    if(!o) {
      n = -1;
      break;
    }
    n += (long)arr_len(o, "data", NULL);
    if(json_object_object_get_ex(o, "meta", &m) &&
       json_object_object_get_ex(m, "totalPages", &m))
      pages = json_object_get_int(m);
    json_object_put(o);
  }
  curl_slist_free_all(h);
  return n;
}

/* Reads every page of an offset-paged list: path_fmt takes the offset,
 * each page holds `page` items at k1[.k2], and a short page is the last.
 * Returns the items read, or -1. */
static long offset_pages(client *c, const char *path_fmt, long page,
                         struct curl_slist *h, const char *k1, const char *k2)
{
  char path[512];
  long n = 0, got, off = 0;
  json_object *o;

  do {
    snprintf(path, sizeof(path), path_fmt, off);
    o = call(c, "GET", path, h, NULL, NULL);
    if(!o)
      return -1;
    got = (long)arr_len(o, k1, k2);
    n += got;
    off += page;
    json_object_put(o);
  } while(got == page);
  return n;
}

static long personio(client *c)
{
  struct curl_slist *h =
      curl_slist_append(NULL, "Content-Type: application/json");
  json_object *o, *v;
  char auth[256];
  long n;

  o = call(c, "POST", "/personio/v1/auth", h, NULL,
           "{\"client_id\":\"personio-test-id\","
           "\"client_secret\":\"personio-test-secret\"}");
  curl_slist_free_all(h);
  if(!o || !json_object_object_get_ex(o, "data", &v) ||
     !json_object_object_get_ex(v, "token", &v)) {
    json_object_put(o);
    return -1;
  }
  snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
           json_object_get_string(v));
  json_object_put(o);
  h = curl_slist_append(NULL, auth);
  n = offset_pages(c, "/personio/v1/company/employees?limit=100&offset=%ld",
                   100, h, "data", NULL);
  curl_slist_free_all(h);
  return n;
}

static long hibob(client *c)
{
  struct curl_slist *h =
      curl_slist_append(NULL, "Content-Type: application/json");
  json_object *o;
  long n;

  o = call(c, "POST", "/hibob/v1/people/search", h,
           "SERVICE-TEST:hibob-test-token",
           "{\"fields\":[\"root.id\",\"root.firstName\",\"root.surname\","
           "\"root.email\",\"work.startDate\",\"work.department\","
           "\"work.title\",\"internal.status\",\"internal.terminationDate\","
           "\"payroll.employment.type\",\"address.city\"],"
           "\"showInactive\":true,\"humanReadable\":\"APPEND\"}");
  n = o ? (long)arr_len(o, "employees", NULL) : -1;
  json_object_put(o);
  curl_slist_free_all(h);
  return n;
}

static long humaans(client *c)
{
  struct curl_slist *h =
      curl_slist_append(NULL, "Authorization: Bearer humaans-test-token");
  long n = offset_pages(c, "/humaans/api/people?$limit=250&$skip=%ld", 250, h,
                        "data", NULL);
  curl_slist_free_all(h);
  return n;
}

static long lucca(client *c)
{
  struct curl_slist *h = curl_slist_append(
      NULL, "Authorization: lucca application=lucca-test-key");
  long n = offset_pages(c,
                        "/lucca/api/v3/users?fields=id,firstName,lastName,"
                        "mail,employeeNumber,dtContractStart,dtContractEnd,"
                        "jobTitle,department,extendedData&formerEmployees="
                        "true&paging=%ld,1000",
                        1000, h, "data", "items");
  curl_slist_free_all(h);
  return n;
}

static double now_s(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  static const struct {
    const char *name;
    long (*fn)(client *);
  } systems[] = {
      {"bamboohr", bamboohr_report}, {"bamboohr-dataset", bamboohr_dataset},
      {"personio", personio},        {"hibob", hibob},
      {"humaans", humaans},          {"lucca", lucca}};
  const size_t nsys = sizeof(systems) / sizeof(systems[0]);
  client c;
  size_t i;
  int a, rc = 0;

  if(argc < 2) {
    fprintf(stderr, "usage: fetch_all BASE_URL [SYSTEM...]\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  memset(&c, 0, sizeof(c));
  snprintf(c.base, sizeof(c.base), "%s", argv[1]);
  c.curl = curl_easy_init();
  if(!c.curl)
    return 1;
  curl_easy_setopt(c.curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c.curl, CURLOPT_WRITEDATA, &c);
  curl_easy_setopt(c.curl, CURLOPT_TIMEOUT, 300L);
  /* seconds = the whole fetch; parse = of which json-c parsing; http =
   * the rest (request, emulator rendering, transfer). */
  printf("%-17s %8s %9s %8s %8s %8s %8s %10s %10s\n", "system", "requests",
         "records", "MB", "seconds", "parse", "http", "records/s",
         "rec/s http");
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
    if(n < 0)
      rc = 1;
    printf("%-17s %8ld %9ld %8.1f %8.3f %8.3f %8.3f %10.0f %10.0f\n",
           systems[i].name, c.requests, n, c.bytes / 1e6, dt, c.parse_s,
           dt - c.parse_s, n > 0 ? (double)n / dt : 0.0,
           n > 0 ? (double)n / (dt - c.parse_s) : 0.0);
    fflush(stdout);
  }
  curl_easy_cleanup(c.curl);
  free(c.buf);
  curl_global_cleanup();
  return rc;
}
