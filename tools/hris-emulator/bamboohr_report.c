/* BambooHR's two roster endpoints: the (deprecated, unpaged) custom report
 * with its content-negotiation quirks, and the paged v2 dataset. */
#include "bamboohr.h"

#include "dates.h"

#include <json-c/json.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 400

enum { FMT_JSON, FMT_XML, FMT_CSV };

typedef struct report {
  bhr_col cols[MAX_FIELDS];
  int ncols;
  const char *title;
  long *ids; /* employeeIds filter (owned), or NULL */
  size_t nids;
  int64_t changed_since; /* lastChanged filter, or -1 */
  int include_null;
} report;

/* Picks the output format from ?format= or the exact Accept value;
 * returns the format, or -1 after filling resp with the error. */
static int pick_format(emu_req *req, emu_resp *resp)
{
  const char *f = emu_req_arg(req, "format");
  const char *a = emu_req_header(req, "Accept");

  if(f) {
    if(!strcasecmp(f, "json"))
      return FMT_JSON;
    if(!strcasecmp(f, "xml"))
      return FMT_XML;
    if(!strcasecmp(f, "csv"))
      return FMT_CSV;
    bhr_error(req, resp, 400,
              !strcasecmp(f, "xls") || !strcasecmp(f, "pdf")
                  ? "The emulator does not render xls or pdf reports"
                  : "Invalid report format");
    return -1;
  }
  if(a && !strcmp(a, "application/json"))
    return FMT_JSON;
  if(a && !strcmp(a, "text/xml"))
    return FMT_XML;
  if(a && !strcmp(a, "text/csv"))
    return FMT_CSV;
  if(a && (!strcmp(a, "application/pdf") ||
           !strcmp(a, "application/vnd.ms-excel"))) {
    bhr_error(req, resp, 400,
              "The emulator does not render xls or pdf reports");
    return -1;
  }
  /* Anything else, application/xml and curl's default too. */
  bhr_error(req, resp, 404, "Not found");
  return -1;
}

static void add_col(emu_req *req, report *r, const char *token)
{
  bhr_col c;
  int i;

  if(bhr_resolve(req, token, &c))
    return; /* unknown or not permitted: silently dropped */
  for(i = 0; i < r->ncols; i++)
    if(r->cols[i].field == c.field)
      return;
  r->cols[r->ncols++] = c;
}

/* Reads the fields and filters of a JSON request body. */
static int parse_json(emu_req *req, json_object *body, report *r,
                      const char **why)
{
  json_object *fields, *filters, *v, *lc;
  size_t i, n;

  if(!json_object_object_get_ex(body, "fields", &fields) ||
     !json_object_is_type(fields, json_type_array) ||
     !(n = json_object_array_length(fields))) {
    *why = "A report needs a non-empty fields list";
    return -1;
  }
  if(n > MAX_FIELDS) {
    *why = "Too many fields requested (maximum 400)";
    return -1;
  }
  for(i = 0; i < n; i++)
    add_col(req, r,
            json_object_get_string(json_object_array_get_idx(fields, i)));
  if(json_object_object_get_ex(body, "title", &v))
    r->title = json_object_get_string(v);
  if(!json_object_object_get_ex(body, "filters", &filters))
    return 0;
  if(json_object_object_get_ex(filters, "employeeIds", &v) &&
     json_object_is_type(v, json_type_array)) {
    n = json_object_array_length(v);
    r->ids = calloc(n + 1, sizeof(*r->ids));
    if(!r->ids) {
      *why = "Out of memory";
      return -1;
    }
    for(i = 0; i < n; i++)
      r->ids[r->nids++] =
          (long)json_object_get_int64(json_object_array_get_idx(v, i));
  }
  if(json_object_object_get_ex(filters, "lastChanged", &lc)) {
    const char *val = NULL;
    if(json_object_object_get_ex(lc, "value", &v))
      val = json_object_get_string(v);
    if(!val || emu_time_parse(val, &r->changed_since)) {
      *why = "Invalid lastChanged filter value";
      return -1;
    }
    r->include_null = 1;
    if(json_object_object_get_ex(lc, "includeNull", &v))
      r->include_null = strcmp(json_object_get_string(v), "no") != 0;
  }
  return 0;
}

/* The XML request form: <report><fields><field id="x"/>...</fields>. Only
 * the field ids are read. */
static int parse_xml(emu_req *req, report *r, const char **why)
{
  char *body, *p;
  int n = 0;

  *why = "Malformed XML";
  if(!req->body)
    return -1;
  for(p = (char *)req->body; *p == ' ' || *p == '\n' || *p == '\r'; p++)
    ;
  if(*p != '<' || !strstr(p, "<report") || !strstr(p, "</report>"))
    return -1;
  body = strdup(p);
  if(!body)
    return -1;
  for(p = body; (p = strstr(p, "<field id=\"")); n++) {
    char *end;
    p += 11;
    end = strchr(p, '"');
    if(!end)
      break;
    *end = '\0';
    if(n >= MAX_FIELDS) {
      free(body);
      *why = "Too many fields requested (maximum 400)";
      return -1;
    }
    add_col(req, r, p);
    p = end + 1;
  }
  free(body);
  if(!n)
    *why = "A report needs a non-empty fields list";
  return n ? 0 : -1;
}

static int included(const report *r, const emu_person *p)
{
  size_t i;

  if(r->ids) {
    for(i = 0; i < r->nids && r->ids[i] != p->id; i++)
      ;
    if(i == r->nids)
      return 0;
  }
  if(r->changed_since >= 0 && p->modified <= r->changed_since)
    return 0;
  return 1;
}

static void csv_cell(emu_buf *b, const char *s)
{
  emu_buf_puts(b, "\"");
  for(; s && *s; s++)
    emu_buf_add(b, s, 1 + (*s == '"')); /* doubles a quote */
  emu_buf_puts(b, "\"");
}

static void render(emu_req *req, emu_resp *resp, const report *r, int fmt)
{
  const emu_pop *pop = req->ctx->pop;
  emu_buf *b = &resp->body;
  const char *type, *name;
  char tmp[64];
  size_t i;
  int c, first;

  emu_resp_start(resp, 200,
                 fmt == FMT_JSON  ? "application/json"
                 : fmt == FMT_XML ? "text/xml; charset=utf-8"
                                  : "text/csv");
  if(fmt == FMT_JSON) {
    emu_buf_puts(b, "{\"title\":");
    emu_json_str(b, r->title ? r->title : "Report");
    emu_buf_puts(b, ",\"fields\":[");
  }
  else if(fmt == FMT_XML) {
    emu_buf_puts(b, "<?xml version=\"1.0\"?>\n<report>\n<title>");
    emu_xml_text(b, r->title ? r->title : "Report");
    emu_buf_puts(b, "</title>\n<fields>\n");
  }
  for(c = 0; c < r->ncols; c++) {
    bhr_col_meta(req, &r->cols[c], &type, &name);
    if(fmt == FMT_JSON) {
      emu_buf_puts(b, c ? ",{\"id\":" : "{\"id\":");
      emu_json_str(b, r->cols[c].key);
      emu_buf_printf(b, ",\"type\":\"%s\",\"name\":", type);
      emu_json_str(b, name);
      emu_buf_puts(b, "}");
    }
    else if(fmt == FMT_XML) {
      emu_buf_puts(b, "<field id=\"");
      emu_xml_text(b, r->cols[c].key);
      emu_buf_printf(b, "\" type=\"%s\">", type);
      emu_xml_text(b, name);
      emu_buf_puts(b, "</field>\n");
    }
    else {
      if(c)
        emu_buf_puts(b, ",");
      csv_cell(b, name);
    }
  }
  emu_buf_puts(b, fmt == FMT_JSON  ? "],\"employees\":["
                  : fmt == FMT_XML ? "</fields>\n<employees>\n"
                                   : "\n");
  first = 1;
  for(i = 0; i < pop->n; i++) {
    const emu_person *p = pop->v[i];
    if(!included(r, p))
      continue;
    if(fmt == FMT_JSON)
      emu_buf_printf(b, "%s{\"id\":\"%ld\"", first ? "" : ",", p->id);
    else if(fmt == FMT_XML)
      emu_buf_printf(b, "<employee id=\"%ld\">\n", p->id);
    first = 0;
    for(c = 0; c < r->ncols; c++) {
      const char *v = bhr_value(req, &r->cols[c], p, tmp, "0000-00-00");
      if(fmt == FMT_JSON) {
        if(!strcmp(r->cols[c].key, "id"))
          continue;
        emu_buf_puts(b, ",");
        emu_json_key(b, r->cols[c].key);
        emu_json_str(b, v);
      }
      else if(fmt == FMT_XML) {
        emu_buf_puts(b, "<field id=\"");
        emu_xml_text(b, r->cols[c].key);
        if(!v)
          emu_buf_puts(b, "\"/>\n");
        else {
          emu_buf_puts(b, "\">");
          emu_xml_text(b, v);
          emu_buf_puts(b, "</field>\n");
        }
      }
      else {
        if(c)
          emu_buf_puts(b, ",");
        csv_cell(b, v);
      }
    }
    emu_buf_puts(b, fmt == FMT_JSON  ? "}"
                    : fmt == FMT_XML ? "</employee>\n"
                                     : "\n");
  }
  if(fmt == FMT_JSON)
    emu_buf_puts(b, "]}");
  else if(fmt == FMT_XML)
    emu_buf_puts(b, "</employees>\n</report>\n");
}

void bhr_report(emu_req *req, emu_resp *resp)
{
  const char *ct = emu_req_header(req, "Content-Type");
  const char *why = NULL;
  json_object *body = NULL;
  report *r = calloc(1, sizeof(*r));
  int fmt, rc;

  if(!r) {
    bhr_error(req, resp, 500, "Out of memory");
    return;
  }
  r->changed_since = -1;
  /* Only this exact value means JSON; "; charset=UTF-8" means XML. */
  if(ct && !strcmp(ct, "application/json")) {
    body = emu_req_json(req);
    rc = body ? parse_json(req, body, r, &why) : -1;
    if(!body)
      why = "Malformed JSON";
  }
  else
    rc = parse_xml(req, r, &why);
  if(rc)
    bhr_error(req, resp, 400, why);
  else if((fmt = pick_format(req, resp)) >= 0)
    render(req, resp, r, fmt);
  json_object_put(body);
  free(r->ids);
  free(r);
}

/* ---- v2 datasets ---- */

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
    if(bhr_resolve(req, field, &t[*nt].col))
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

void bhr_dataset(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  json_object *body = emu_req_json(req), *v, *fields;
  bhr_col cols[MAX_FIELDS];
  term terms[8];
  int ncols = 0, nterms = 0, c;
  long page = 1, size = 100, total, pages, skip, i, seen;
  const char *host = emu_req_header(req, "Host");
  emu_buf *b = &resp->body;
  char tmp[64];

  if(!body || !json_object_object_get_ex(body, "fields", &fields) ||
     !json_object_is_type(fields, json_type_array)) {
    problem(resp, 400, "Bad Request", "The body needs a fields array");
    goto out;
  }
  for(i = 0; i < (long)json_object_array_length(fields) && ncols < 400; i++) {
    const char *tok =
        json_object_get_string(json_object_array_get_idx(fields, (size_t)i));
    if(!bhr_resolve(req, tok, &cols[ncols]))
      ncols++;
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
    emu_buf_printf(b,
                   "\"http://%s/bamboohr/api/v2/datasets/employee/data"
                   "?page=%ld&pageSize=%ld\"",
                   host ? host : "127.0.0.1", page + 1, size);
  else
    emu_buf_puts(b, "null");
  emu_buf_puts(b, ",\"prev\":");
  if(page > 1)
    emu_buf_printf(b,
                   "\"http://%s/bamboohr/api/v2/datasets/employee/data"
                   "?page=%ld&pageSize=%ld\"",
                   host ? host : "127.0.0.1", page - 1, size);
  else
    emu_buf_puts(b, "null");
  emu_buf_printf(b,
                 "},\"meta\":{\"page\":%ld,\"pageSize\":%ld,"
                 "\"totalPages\":%ld,\"totalItems\":%ld}}",
                 page, size, pages, total);
out:
  json_object_put(body);
}
