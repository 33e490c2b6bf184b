/* BambooHR's (deprecated, unpaged) custom report with its
 * content-negotiation quirks. A field the key's user may not see (a
 * withhold fault) is what real tenants show: left out of the report's
 * "fields" list and null for every employee. */
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

  if(bhr_lookup(req, token, &c))
    return; /* unknown on this tenant: silently dropped */
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
  for(c = 0, first = 1; c < r->ncols; c++) {
    bhr_col_meta(req, &r->cols[c], &type, &name);
    if(r->cols[c].withheld && fmt != FMT_CSV)
      continue; /* not in the fields list, null below */
    if(fmt == FMT_JSON) {
      emu_buf_puts(b, first ? "{\"id\":" : ",{\"id\":");
      first = 0;
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
