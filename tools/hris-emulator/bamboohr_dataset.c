/* BambooHR's employee dataset: its own field names (eeid, email,
 * addressLineOne, jobInformationDepartment, ...), listed by
 * GET /v1_2/datasets/employee/fields (and the v1 path), read by
 * POST /v2/datasets/employee/data in pages. As on a real tenant: no id and
 * no employeeId, rows carry only the requested fields, and an unknown name
 * is a 400 naming it. Each dataset name is served through the classic
 * catalogue entry that means the same, so both answers agree. */
#include "bamboohr.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 400

/* A dataset name, its label, and the classic token it reads. */
static const struct ds_field {
  const char *name, *label, *classic;
} ds[] = {
    {"eeid", "Employee ID", "id"},
    {"employeeNumber", "Employee #", "employeeNumber"},
    {"firstName", "First Name", "firstName"},
    {"lastName", "Last Name", "lastName"},
    {"preferredName", "Preferred Name", "preferredName"},
    {"email", "Work Email", "workEmail"},
    {"homeEmail", "Home Email", "homeEmail"},
    {"mobilePhone", "Mobile Phone", "mobilePhone"},
    {"addressLineOne", "Address Line 1", "address1"},
    {"addressLineTwo", "Address Line 2", "address2"},
    {"city", "City", "city"},
    {"state", "State", "state"},
    {"zipCode", "Zip Code", "zipcode"},
    {"country", "Country", "country"},
    {"dateOfBirth", "Birth Date", "dateOfBirth"},
    {"nationality", "Nationality", "nationality"},
    {"status", "Status", "status"},
    {"employmentStatus", "Employment Status", "employmentHistoryStatus"},
    {"hireDate", "Hire Date", "hireDate"},
    {"terminationDate", "Termination Date", "terminationDate"},
    {"jobInformationDepartment", "Job Information: Department", "department"},
    {"jobInformationJobTitle", "Job Information: Job Title", "jobTitle"},
    {"jobInformationLocation", "Job Information: Location", "location"},
    {"supervisorEeid", "Supervisor Employee ID", "supervisorEId"}};

#define NDS ((int)(sizeof(ds) / sizeof(ds[0])))

/* The dataset name of custom key k: "custom" + CamelCase ("customShirtSize").
 */
static void custom_name(const char *k, char out[80])
{
  size_t n = 0;
  int up = 1;

  memcpy(out, "custom", 6);
  n = 6;
  for(; *k && n + 1 < 80; k++) {
    if(*k == '_') {
      up = 1;
      continue;
    }
    out[n++] = (char)(up && *k >= 'a' && *k <= 'z' ? *k - 32 : *k);
    up = 0;
  }
  out[n] = '\0';
}

/* Resolves a dataset name to the classic column it reads; 0 on success,
 * -1 when the dataset has no such field. col->key stays the dataset name. */
static int ds_lookup(const emu_req *req, const char *name, bhr_col *col)
{
  const emu_pop *pop = req->ctx->pop;
  char buf[80], id[32];
  size_t i;
  int c;

  for(c = 0; c < NDS; c++)
    if(!strcmp(name, ds[c].name)) {
      if(bhr_lookup(req, ds[c].classic, col))
        return -1; /* not on this tenant (nationality) */
      col->key = name;
      return 0;
    }
  for(i = 0; i < pop->ncustom_keys; i++) {
    custom_name(pop->custom_keys[i], buf);
    if(strcmp(name, buf))
      continue;
    /* The classic id of custom field i, as bamboohr_fields.c numbers it. */
    if(i % 2)
      snprintf(id, sizeof(id), "4340.%zu", i + 3);
    else
      snprintf(id, sizeof(id), "%zu", 4001 + i);
    if(bhr_lookup(req, id, col))
      return -1;
    col->key = name;
    return 0;
  }
  return -1;
}

static void problem(emu_resp *resp, unsigned status, const char *title,
                    const char *detail)
{
  emu_resp_start(resp, status, "application/problem+json");
  emu_buf_puts(&resp->body, "{\"type\":\"about:blank\",\"title\":");
  emu_json_str(&resp->body, title);
  emu_buf_printf(&resp->body, ",\"status\":%u,\"detail\":", status);
  emu_json_str(&resp->body, detail);
  emu_buf_puts(&resp->body, "}");
}

void bhr_dataset_fields(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body, list = {0};
  bhr_col col;
  char name[80];
  size_t i, n = 0;
  int c;

  for(c = 0; c < NDS; c++) {
    if(ds_lookup(req, ds[c].name, &col))
      continue;
    emu_buf_puts(&list, n++ ? ",{\"name\":" : "{\"name\":");
    emu_json_str(&list, ds[c].name);
    emu_buf_puts(&list, ",\"label\":");
    emu_json_str(&list, ds[c].label);
    emu_buf_puts(&list, ",\"parentType\":\"employee\",\"parentName\":"
                        "\"employee\",\"entityName\":\"employee\"}");
  }
  for(i = 0; i < pop->ncustom_keys; i++) {
    custom_name(pop->custom_keys[i], name);
    emu_buf_puts(&list, n++ ? ",{\"name\":" : "{\"name\":");
    emu_json_str(&list, name);
    emu_buf_puts(&list, ",\"label\":");
    emu_json_str(&list, pop->custom_keys[i]);
    emu_buf_puts(&list, ",\"parentType\":\"employee\",\"parentName\":"
                        "\"customFields\",\"entityName\":\"employee\"}");
  }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_printf(b,
                 "{\"pagination\":{\"total_records\":%zu,\"current_page\":1,"
                 "\"total_pages\":1,\"next_page\":null,\"prev_page\":null},"
                 "\"name\":\"employee\",\"label\":\"Employee\",\"fields\":[",
                 n);
  emu_buf_add(b, list.data ? list.data : "", list.len);
  emu_buf_puts(b, "]}");
  emu_buf_free(&list);
}

/* One `field eq 'value'` term of a dataset filter. */
typedef struct term {
  bhr_col col;
  int ne;
  char value[128];
} term;

/* Parses "a eq 'x' and b ne 'y'" (the subset the emulator supports). */
static int parse_filter(emu_req *req, const char *s, term *t, int *nt)
{
  char field[64], op[8];
  int used;

  *nt = 0;
  while(*s) {
    if(*nt == 8 || sscanf(s, " %63s %7s '%127[^']'%n", field, op, t[*nt].value,
                          &used) != 3)
      return -1;
    if(strcmp(op, "eq") && strcmp(op, "ne"))
      return -1;
    t[*nt].ne = !strcmp(op, "ne");
    if(ds_lookup(req, field, &t[*nt].col))
      return -1;
    (*nt)++;
    s += used;
    while(*s == ' ')
      s++;
    if(!strncmp(s, "and ", 4))
      s += 4;
    else if(*s)
      return -1;
  }
  return 0;
}

static int matches(emu_req *req, const term *t, int nt, const emu_person *p)
{
  char tmp[64];
  int i;

  for(i = 0; i < nt; i++) {
    const char *v = bhr_value(req, &t[i].col, p, tmp, NULL);
    int eq = v && !strcmp(v, t[i].value);
    if(eq == t[i].ne)
      return 0;
  }
  return 1;
}

/* Reads the requested names into cols; unknown ones are listed in bad
 * (comma-separated) and make it return -1. */
static int read_fields(emu_req *req, json_object *fields, bhr_col *cols,
                       int *ncols, emu_buf *bad)
{
  size_t i, n = json_object_array_length(fields);
  int nbad = 0, c;

  *ncols = 0;
  for(i = 0; i < n && *ncols < MAX_FIELDS; i++) {
    const char *tok =
        json_object_get_string(json_object_array_get_idx(fields, i));
    if(!tok || ds_lookup(req, tok, &cols[*ncols])) {
      emu_buf_printf(bad, "%s%s", nbad++ ? ", " : "", tok ? tok : "null");
      continue;
    }
    for(c = 0; c < *ncols && strcmp(cols[c].key, tok); c++)
      ;
    if(c == *ncols)
      (*ncols)++;
  }
  return nbad ? -1 : 0;
}

static void link(emu_buf *b, const char *host, long page, long size)
{
  emu_buf_printf(b,
                 "\"http://%s/bamboohr/api/v2/datasets/employee/data"
                 "?page=%ld&pageSize=%ld\"",
                 host ? host : "127.0.0.1", page, size);
}

void bhr_dataset(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  json_object *body = emu_req_json(req), *v, *fields;
  bhr_col *cols = calloc(MAX_FIELDS, sizeof(*cols));
  term terms[8];
  int ncols = 0, nterms = 0, c;
  long page = 1, size = 100, total, pages, skip, i, seen;
  const char *host = emu_req_header(req, "Host");
  emu_buf *b = &resp->body, bad = {0};
  char tmp[64];

  if(!cols) {
    problem(resp, 500, "Internal Server Error", "out of memory");
    goto out;
  }
  if(!body || !json_object_object_get_ex(body, "fields", &fields) ||
     !json_object_is_type(fields, json_type_array) ||
     !json_object_array_length(fields)) {
    problem(resp, 400, "Bad Request", "The body needs a fields array");
    goto out;
  }
  if(read_fields(req, fields, cols, &ncols, &bad)) {
    emu_buf msg = {0};
    emu_buf_printf(&msg, "Unknown fields: %s", bad.data);
    problem(resp, 400, "Bad Request", msg.data);
    emu_buf_free(&msg);
    goto out;
  }
  if(json_object_object_get_ex(body, "page", &v))
    page = (long)json_object_get_int64(v);
  if(json_object_object_get_ex(body, "pageSize", &v))
    size = (long)json_object_get_int64(v);
  if(page < 1 || size < 1 || size > 1000) {
    problem(resp, 400, "Bad Request",
            "page must be >= 1 and pageSize between 1 and 1000");
    goto out;
  }
  if(json_object_object_get_ex(body, "filter", &v) &&
     parse_filter(req, json_object_get_string(v), terms, &nterms)) {
    problem(resp, 400, "Bad Request", "Unsupported filter expression");
    goto out;
  }
  /* Without a filter the page is direct; a filter costs one scan. */
  total = (long)pop->n;
  if(nterms)
    for(total = 0, i = 0; i < (long)pop->n; i++)
      total += matches(req, terms, nterms, pop->v[i]);
  pages = (total + size - 1) / size;
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(b, "{\"data\":[");
  skip = (page - 1) * size;
  for(i = nterms ? 0 : skip, seen = nterms ? 0 : skip;
      i < (long)pop->n && seen < skip + size; i++) {
    const emu_person *p = pop->v[i];
    if(nterms && !matches(req, terms, nterms, p))
      continue;
    if(seen++ < skip)
      continue;
    emu_buf_puts(b, seen - 1 > skip ? ",{\"fields\":{" : "{\"fields\":{");
    for(c = 0; c < ncols; c++) {
      if(c)
        emu_buf_puts(b, ",");
      emu_json_key(b, cols[c].key);
      emu_json_str(b, bhr_value(req, &cols[c], p, tmp, NULL));
    }
    emu_buf_puts(b, "}}");
  }
  emu_buf_puts(b, "],\"links\":{\"next\":");
  if(page < pages)
    link(b, host, page + 1, size);
  else
    emu_buf_puts(b, "null");
  emu_buf_puts(b, ",\"prev\":");
  if(page > 1)
    link(b, host, page - 1, size);
  else
    emu_buf_puts(b, "null");
  emu_buf_printf(b,
                 "},\"meta\":{\"page\":%ld,\"pageSize\":%ld,"
                 "\"totalPages\":%ld,\"totalItems\":%ld}}",
                 page, size, pages, total);
out:
  emu_buf_free(&bad);
  free(cols);
  json_object_put(body);
}
