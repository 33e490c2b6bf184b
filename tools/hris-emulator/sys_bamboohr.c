/* BambooHR: both URL styles, pre-emptive Basic auth with the API key as
 * user name, and the legacy error convention (empty body, message in
 * X-BambooHR-Error-Message). */
#include "bamboohr.h"

#include "dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_KEY "bamboo-test-key"
#define COMPANY "acme"

void bhr_error(emu_req *req, emu_resp *resp, unsigned status, const char *msg)
{
  (void)req;
  emu_resp_start(resp, status, NULL);
  emu_resp_header(resp, "X-BambooHR-Error-Message", "%s", msg);
  if(status == 401)
    emu_resp_header(resp, "WWW-Authenticate", "Basic realm=\"BambooHR\"");
}

/* Checks the key; fills resp and returns -1 when refused. */
static int authorised(emu_req *req, emu_resp *resp)
{
  char *user, *pass;
  int ok;

  if(emu_req_basic(req, &user, &pass)) {
    bhr_error(req, resp, 401, "API key is missing");
    return -1;
  }
  ok = !strcmp(user, API_KEY);
  free(user);
  free(pass);
  if(!ok) {
    bhr_error(req, resp, 401, "Invalid API key");
    return -1;
  }
  return 0;
}

/* One entry of the changed list, JSON or XML. */
static void changed_entry(emu_buf *b, int xml, int *first, long id,
                          const char *action, int64_t when)
{
  char ts[32];

  emu_time_format(when, ts);
  if(xml)
    emu_buf_printf(b,
                   "<employee id=\"%ld\" action=\"%s\" lastChanged=\"%s\"/>\n",
                   id, action, ts);
  else
    emu_buf_printf(b,
                   "%s\"%ld\":{\"id\":\"%ld\",\"action\":\"%s\","
                   "\"lastChanged\":\"%s\"}",
                   *first ? "" : ",", id, id, action, ts);
  *first = 0;
}

/* GET /v1/employees/changed?since=[&type=inserted|updated|deleted|all]:
 * an object keyed by id plus `latest`. People added through the control
 * API after `since` are Inserted, removed ones Deleted. */
static void changed(emu_req *req, emu_resp *resp)
{
  const emu_pop *pop = req->ctx->pop;
  const char *since = emu_req_arg(req, "since");
  const char *type = emu_req_arg(req, "type");
  emu_buf *b = &resp->body;
  int64_t t, latest = 0;
  char ts[32];
  size_t i;
  int first = 1, xml, want_i, want_u, want_d;

  if(!since || emu_time_parse(since, &t)) {
    bhr_error(req, resp, 400, "Invalid or missing 'since' parameter");
    return;
  }
  if(type && strcasecmp(type, "all") && strcasecmp(type, "inserted") &&
     strcasecmp(type, "updated") && strcasecmp(type, "deleted")) {
    bhr_error(req, resp, 400, "Invalid 'type' parameter");
    return;
  }
  want_i = !type || !strcasecmp(type, "all") || !strcasecmp(type, "inserted");
  want_u = !type || !strcasecmp(type, "all") || !strcasecmp(type, "updated");
  want_d = !type || !strcasecmp(type, "all") || !strcasecmp(type, "deleted");
  for(i = 0; i < pop->n; i++)
    if(pop->v[i]->modified > latest)
      latest = pop->v[i]->modified;
  for(i = 0; i < pop->ntombs; i++)
    if(pop->tombs[i].when > latest)
      latest = pop->tombs[i].when;
  xml = !bhr_wants_json(req);
  emu_resp_start(resp, 200,
                 xml ? "text/xml; charset=utf-8" : "application/json");
  emu_time_format(latest ? latest : emu_now(), ts);
  if(xml)
    emu_buf_printf(b, "<?xml version=\"1.0\"?>\n<employees latest=\"%s\">\n",
                   ts);
  else
    emu_buf_printf(b, "{\"latest\":\"%s\",\"employees\":{", ts);
  for(i = 0; i < pop->n; i++) {
    const emu_person *p = pop->v[i];
    int inserted = p->created > t;
    if(p->modified <= t || (inserted ? !want_i : !want_u))
      continue;
    changed_entry(b, xml, &first, p->id, inserted ? "Inserted" : "Updated",
                  p->modified);
  }
  for(i = 0; want_d && i < pop->ntombs; i++)
    if(pop->tombs[i].when > t && !emu_pop_find(pop, pop->tombs[i].id))
      changed_entry(b, xml, &first, pop->tombs[i].id, "Deleted",
                    pop->tombs[i].when);
  emu_buf_puts(b, xml ? "</employees>\n" : "}}");
}

/* GET /v1/employees/directory: active people only (onlyCurrent=false
 * adds future hires), a fixed fieldset, 404 when nobody is listed. */
static void directory(emu_req *req, emu_resp *resp)
{
  static const char *const ids[] = {"firstName", "lastName",  "preferredName",
                                    "jobTitle",  "workEmail", "department",
                                    "location"};
  const emu_pop *pop = req->ctx->pop;
  const char *oc = emu_req_arg(req, "onlyCurrent");
  int current_only = !oc || strcmp(oc, "false");
  int xml = !bhr_wants_json(req), c, n = 0;
  bhr_col cols[7];
  emu_buf *b = &resp->body;
  const char *type, *name;
  char tmp[64];
  size_t i;

  for(c = 0; c < 7; c++)
    if(!bhr_resolve(req, ids[c], &cols[n]))
      n++;
  if(!(current_only ? pop->nactive : pop->ncurrent)) {
    bhr_error(req, resp, 404, "Directory is empty");
    return;
  }
  emu_resp_start(resp, 200,
                 xml ? "text/xml; charset=utf-8" : "application/json");
  emu_buf_puts(b, xml ? "<?xml version=\"1.0\"?>\n<directory>\n<fieldset>\n"
                      : "{\"fields\":[");
  for(c = 0; c < n; c++) {
    bhr_col_meta(req, &cols[c], &type, &name);
    if(xml) {
      emu_buf_printf(b, "<field id=\"%s\">", cols[c].key);
      emu_xml_text(b, name);
      emu_buf_puts(b, "</field>\n");
    }
    else {
      emu_buf_printf(b, "%s{\"id\":\"%s\",\"type\":\"%s\",\"name\":",
                     c ? "," : "", cols[c].key, type);
      emu_json_str(b, name);
      emu_buf_puts(b, "}");
    }
  }
  emu_buf_puts(b, xml ? "</fieldset>\n<employees>\n" : "],\"employees\":[");
  for(i = 0; i < (current_only ? pop->nactive : pop->ncurrent); i++) {
    const emu_person *p =
        pop->v[current_only ? pop->active[i] : pop->current[i]];
    if(xml)
      emu_buf_printf(b, "<employee id=\"%ld\">\n", p->id);
    else
      emu_buf_printf(b, "%s{\"id\":\"%ld\"", i ? "," : "", p->id);
    for(c = 0; c < n; c++) {
      const char *v = bhr_value(req, &cols[c], p, tmp, NULL);
      if(xml) {
        emu_buf_printf(b, "<field id=\"%s\">", cols[c].key);
        emu_xml_text(b, v);
        emu_buf_puts(b, "</field>\n");
      }
      else {
        emu_buf_printf(b, ",\"%s\":", cols[c].key);
        emu_json_str(b, v);
      }
    }
    emu_buf_puts(b, xml ? "</employee>\n" : "}");
  }
  emu_buf_puts(b, xml ? "</employees>\n</directory>\n" : "]}");
}

struct one_cols {
  emu_req *req;
  bhr_col cols[64];
  int n;
};

static void add_one_col(struct one_cols *oc, const char *tok)
{
  if(oc->n < 64 && !bhr_resolve(oc->req, tok, &oc->cols[oc->n]))
    oc->n++;
}

/* GET /v1/employees/{id}?fields=a,b: one employee (0 = the key's own,
 * here the first person); firstName,lastName when fields is absent. */
static void employee(emu_req *req, emu_resp *resp, const char *idstr)
{
  const emu_pop *pop = req->ctx->pop;
  const char *fields = emu_req_arg(req, "fields");
  long id = emu_parse_nonneg(idstr);
  const emu_person *p = id == 0 && pop->n ? pop->v[0]
                        : id > 0          ? emu_pop_find(pop, id)
                                          : NULL;
  struct one_cols oc;
  char buf[2048], *save = NULL, *tok, tmp[64];
  int xml = !bhr_wants_json(req), i;
  emu_buf *b = &resp->body;

  if(!p) {
    bhr_error(req, resp, 404, "Employee not found");
    return;
  }
  memset(&oc, 0, sizeof(oc));
  oc.req = req;
  snprintf(buf, sizeof(buf), "%s", fields ? fields : "firstName,lastName");
  for(tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
    add_one_col(&oc, tok);
  emu_resp_start(resp, 200,
                 xml ? "text/xml; charset=utf-8" : "application/json");
  if(xml)
    emu_buf_printf(b, "<?xml version=\"1.0\"?>\n<employee id=\"%ld\">\n",
                   p->id);
  else
    emu_buf_printf(b, "{\"id\":\"%ld\"", p->id);
  for(i = 0; i < oc.n; i++) {
    const char *v = bhr_value(req, &oc.cols[i], p, tmp, "0000-00-00");
    if(xml) {
      emu_buf_puts(b, "<field id=\"");
      emu_xml_text(b, oc.cols[i].key);
      emu_buf_puts(b, "\">");
      emu_xml_text(b, v);
      emu_buf_puts(b, "</field>\n");
    }
    else if(strcmp(oc.cols[i].key, "id")) {
      emu_buf_puts(b, ",");
      emu_json_key(b, oc.cols[i].key);
      emu_json_str(b, v);
    }
  }
  emu_buf_puts(b, xml ? "</employee>\n" : "}");
}

/* Maps both URL styles to the versioned path ("/v1/...", "/v2/..."). */
static const char *api_path(const char *path, int *bad_company)
{
  const char *gw = "/api/gateway.php/";
  size_t n = strlen(COMPANY);

  *bad_company = 0;
  if(!strncmp(path, gw, strlen(gw))) {
    path += strlen(gw);
    if(strncmp(path, COMPANY, n) || path[n] != '/') {
      *bad_company = 1;
      return NULL;
    }
    return path + n;
  }
  if(!strncmp(path, "/api/", 5))
    return path + 4;
  return NULL;
}

static void handle(emu_req *req, emu_resp *resp)
{
  int bad_company;
  const char *p = api_path(req->path, &bad_company);
  const char *m = req->method;

  if(!p) {
    bhr_error(req, resp, 404, bad_company ? "Company not found" : "Not found");
    return;
  }
  if(authorised(req, resp))
    return;
  if(!strcmp(p, "/v1/meta/fields") && !strcmp(m, "GET"))
    bhr_meta_fields(req, resp);
  else if(!strcmp(p, "/v1/reports/custom") && !strcmp(m, "POST"))
    bhr_report(req, resp);
  else if(!strcmp(p, "/v1/employees/changed") && !strcmp(m, "GET"))
    changed(req, resp);
  else if(!strcmp(p, "/v2/datasets/employee/data") && !strcmp(m, "POST"))
    bhr_dataset(req, resp);
  else if((!strcmp(p, "/v1_2/datasets/employee/fields") ||
           !strcmp(p, "/v1/datasets/employee/fields")) &&
          !strcmp(m, "GET"))
    bhr_dataset_fields(req, resp);
  else if(!strcmp(p, "/v1/employees/directory") && !strcmp(m, "GET"))
    directory(req, resp);
  else if(!strncmp(p, "/v1/employees/", 14) && !strcmp(m, "GET") &&
          emu_parse_nonneg(p + 14) >= 0)
    employee(req, resp, p + 14);
  else
    bhr_error(req, resp, 404, "Not found");
}

static int is_auth(const char *path)
{
  (void)path;
  return 0;
}

static unsigned rate_status(emu_ctx *ctx)
{
  return ctx->opts->bamboohr_rate_status;
}

const emu_system emu_sys_bamboohr = {
    "bamboohr", "/bamboohr", handle, bhr_error, is_auth, NULL, rate_status};
