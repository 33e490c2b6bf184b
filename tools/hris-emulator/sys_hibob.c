/* HiBob: Basic auth with SERVICE-ID:token, the field metadata array,
 * named lists, and (in hibob_render.c) the unpaged people search. */
#include "hibob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICE_ID "SERVICE-TEST"
#define TOKEN      "hibob-test-token"

static const char *const emp_types[] = {"Full-time", "Part-time",
                                        "Contractor"};

void hb_error(emu_req *req, emu_resp *resp, unsigned status, const char *msg)
{
  const char *key = status == 401   ? "unauthorized"
                    : status == 404 ? "not.found"
                    : status == 410 ? "endpoint.removed"
                    : status == 429 ? "too.many.requests"
                    : status >= 500 ? "internal.error"
                                    : "bad.request";
  (void)req;
  emu_resp_start(resp, status, "application/json");
  emu_buf_printf(&resp->body, "{\"key\":\"%s\",\"error\":", key);
  emu_json_str(&resp->body, msg);
  emu_buf_puts(&resp->body, "}");
}

void hb_id(long id, char out[32])
{
  snprintf(out, 32, "3332883884%09ld", id % 1000000000L);
}

void hb_item_id(const char *list, long i, char out[32])
{
  unsigned long base = !strcmp(list, "department") ? 143565567UL
                       : !strcmp(list, "title")    ? 152307451UL
                       : !strcmp(list, "site")     ? 2218441UL
                                                   : 234567UL;
  snprintf(out, 32, "%lu", base + (unsigned long)i);
}

static int authorised(emu_req *req, emu_resp *resp)
{
  char *user, *pass;
  int ok;

  if(emu_req_basic(req, &user, &pass)) {
    hb_error(req, resp, 401, "Missing or malformed Basic credentials");
    return -1;
  }
  ok = !strcmp(user, SERVICE_ID) && !strcmp(pass, TOKEN);
  free(user);
  free(pass);
  if(!ok) {
    hb_error(req, resp, 401, "Invalid service user credentials");
    return -1;
  }
  return 0;
}

int hb_visible(const emu_req *req, const hb_field *f)
{
  const char *hidden = req->ctx->opts->hibob_hidden;
  size_t n = strlen(f->id);
  const char *p;

  for(p = hidden; p && (p = strstr(p, f->id)); p += n)
    if((p == hidden || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
      return 0;
  if(f->canon >= 0 && emu_req_withheld(req, f->canon))
    return 0;
  if(f->kind == HB_CUSTOM &&
     emu_req_withheld_custom(req, req->ctx->pop->custom_keys[f->custom]))
    return 0;
  return 1;
}

static void fields(emu_req *req, emu_resp *resp)
{
  size_t n, i;
  hb_field *cat = hb_catalogue(req->ctx->pop, &n);
  emu_buf *b = &resp->body;

  if(!cat) {
    hb_error(req, resp, 500, "out of memory");
    return;
  }
  emu_resp_start(resp, 200, "application/json");
  emu_buf_puts(b, "[");
  for(i = 0; i < n; i++) {
    const hb_field *f = &cat[i];
    emu_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
    emu_json_str(b, f->id);
    emu_buf_puts(b, ",\"categoryId\":");
    emu_json_str(b, f->category);
    emu_buf_puts(b, ",\"categoryDisplayName\":");
    emu_json_str(b, f->category_name);
    emu_buf_puts(b, ",\"category\":");
    emu_json_str(b, f->category);
    emu_buf_puts(b, ",\"name\":");
    emu_json_str(b, f->name);
    emu_buf_puts(b, ",\"description\":null,\"jsonPath\":");
    emu_json_str(b, f->json_path);
    emu_buf_puts(b, ",\"type\":");
    emu_json_str(b, f->type);
    emu_buf_puts(b, ",\"typeData\":{");
    if(f->list_id) {
      emu_buf_puts(b, "\"listId\":");
      emu_json_str(b, f->list_id);
    }
    emu_buf_printf(b, "},\"historical\":%s}",
                   f->historical ? "true" : "false");
  }
  emu_buf_puts(b, "]");
  free(cat);
}

/* Which list a registry belongs to, for telling archived items. */
enum { L_DEPT, L_TITLE, L_SITE, L_OTHER };

/* An item is archived when no current (active or future) person uses it:
** a former department only leavers were in. */
static int archived(const emu_pop *pop, int list, long i)
{
  size_t k;

  if(list == L_OTHER)
    return 0;
  for(k = 0; k < pop->ncurrent; k++) {
    const emu_person *p = pop->v[pop->current[k]];
    long id = list == L_DEPT    ? p->dept_id
              : list == L_TITLE ? p->title_id
                                : p->office_id;
    if(id == i)
      return 0;
  }
  return 1;
}

/* HiBob leaves archived items out unless includeArchived=true. */
static void list_values(emu_req *req, emu_buf *b, const char *list, int kind,
                        char **v, size_t n)
{
  const char *inc = emu_req_arg(req, "includeArchived");
  int with_archived = inc && !strcmp(inc, "true"), first = 1;
  char id[32];
  size_t i;

  emu_buf_puts(b, "{\"name\":");
  emu_json_str(b, list);
  emu_buf_puts(b, ",\"values\":[");
  for(i = 0; i < n; i++) {
    int arch = archived(req->ctx->pop, kind, (long)i);
    if(arch && !with_archived)
      continue;
    hb_item_id(list, (long)i, id);
    emu_buf_printf(b, "%s{\"id\":\"%s\",\"value\":", first ? "" : ",", id);
    first = 0;
    emu_json_str(b, v[i]);
    emu_buf_puts(b, ",\"name\":");
    emu_json_str(b, v[i]);
    emu_buf_printf(b, ",\"archived\":%s,\"children\":[]}",
                   arch ? "true" : "false");
  }
  emu_buf_puts(b, "]}");
}

static int one_list(emu_req *req, emu_buf *b, const char *name)
{
  const emu_pop *pop = req->ctx->pop;

  if(!strcmp(name, "department"))
    list_values(req, b, name, L_DEPT, pop->depts, pop->ndepts);
  else if(!strcmp(name, "title"))
    list_values(req, b, name, L_TITLE, pop->titles, pop->ntitles);
  else if(!strcmp(name, "site"))
    list_values(req, b, name, L_SITE, pop->offices, pop->noffices);
  else if(!strcmp(name, "employmentType"))
    list_values(req, b, name, L_OTHER, (char **)emp_types, 3);
  else
    return -1;
  return 0;
}

static void named_lists(emu_req *req, emu_resp *resp, const char *name)
{
  static const char *const all[] = {"department", "title", "site",
                                    "employmentType"};
  emu_buf *b = &resp->body;
  size_t i;

  emu_resp_start(resp, 200, "application/json");
  if(name) {
    if(one_list(req, b, name))
      hb_error(req, resp, 404, "Named list not found");
    return;
  }
  emu_buf_puts(b, "{");
  for(i = 0; i < 4; i++) {
    emu_buf_printf(b, "%s\"%s\":", i ? "," : "", all[i]);
    one_list(req, b, all[i]);
  }
  emu_buf_puts(b, "}");
}

static void handle(emu_req *req, emu_resp *resp)
{
  const char *p = req->path, *m = req->method;

  if(authorised(req, resp))
    return;
  if(!strcmp(p, "/v1/people/search") && !strcmp(m, "POST")) {
    long wait = emu_limiter_hit(&req->ctx->hibob_search);
    if(wait) {
      hb_error(req, resp, 429, "Too many requests");
      emu_resp_header(resp, "Retry-After", "%ld", wait);
    }
    else
      hb_search(req, resp);
  }
  else if(!strcmp(p, "/v1/company/people/fields") && !strcmp(m, "GET"))
    fields(req, resp);
  else if(!strcmp(p, "/v1/company/named-lists") && !strcmp(m, "GET"))
    named_lists(req, resp, NULL);
  else if(!strncmp(p, "/v1/company/named-lists/", 24) && !strcmp(m, "GET"))
    named_lists(req, resp, p + 24);
  else if(!strncmp(p, "/v1/people", 10) && !strcmp(m, "GET"))
    hb_error(req, resp, 410,
             "This endpoint was removed; use POST /v1/people/search");
  else
    hb_error(req, resp, 404, "Not found");
}

static int is_auth(const char *path)
{
  (void)path;
  return 0;
}

static unsigned rate_status(emu_ctx *ctx)
{
  (void)ctx;
  return 429;
}

const emu_system emu_sys_hibob = {"hibob", "/hibob", handle,     hb_error,
                                  is_auth, NULL,     rate_status};
