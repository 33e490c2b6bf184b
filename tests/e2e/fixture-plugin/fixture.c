/*
** The fixture connector: serves people from a JSON file, page by page,
** so end-to-end tests drive the real engine without a network.
**
**   {"fields": [{"id": "id", "type": "text", "label": "Id"}, ...],
**    "people": [{"id": "1", "firstName": "Ada", "dob": null, ...}, ...]}
**
** Settings: file (required; the JSON above), page_size (default 2),
** fail_at_page (default 0 = never: the Nth page fails with an HTTP
** error, after the earlier pages were delivered), delay_ms (default 0:
** each page takes this long, for progress tests), report_total (default
** 1: the roster size is given by SDK 1.2 roster_total), withheld (default
** none: comma-separated field ids the connector reports through SDK 1.2
** field_withheld and leaves out of every record). Secret: token
** (optional; "bad" is refused by authenticate, to test auth failures).
** The file is read again on every open, so a test edits it between runs.
*/
#include <hrsync/connector.h>

#include <json-c/json.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct hrsync_conn {
  const hrsync_host *host;
  hrsync_host_ctx *ctx;
  json_object *root;
  size_t next, page_size;
  long page, fail_at, delay_ms;
  int report_total;
  const char *withheld; /* ",a,b," or NULL */
  const char *warn;     /* a warning to log on the first page, or NULL */
};

/* True when id is in the comma-separated withheld setting. */
static int is_withheld(const hrsync_conn *c, const char *id)
{
  const char *p = c->withheld;
  size_t n = strlen(id);
  while(p && *p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if(len == n && !strncmp(p, id, n))
      return 1;
    p = e ? e + 1 : NULL;
  }
  return 0;
}

/* Tells the host, as a real connector reading its key's permissions
** would, and only when the host is new enough to listen. */
static void report_withheld(hrsync_conn *c)
{
  const char *p = c->withheld;
  char id[128];
  if(!HRSYNC_HOST_HAS(c->host, field_withheld))
    return;
  while(p && *p) {
    const char *e = strchr(p, ',');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if(len && len < sizeof(id)) {
      memcpy(id, p, len);
      id[len] = 0;
      c->host->field_withheld(c->ctx, id, "the fixture's key may not read it");
    }
    p = e ? e + 1 : NULL;
  }
}

static const char *type_names[] = {"text",   "date", "email",
                                   "number", "list", "bool"};

static long setting_long(const hrsync_host *host, hrsync_host_ctx *ctx,
                         const char *key, long dflt)
{
  const char *v = host->setting(ctx, key);
  return v && *v ? strtol(v, NULL, 10) : dflt;
}

static hrsync_status fx_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  const char *file = host->setting(ctx, "file");
  const char *ps = host->setting(ctx, "page_size");
  const char *fail = host->setting(ctx, "fail_at_page");
  hrsync_conn *c;
  json_object *people;
  *out = NULL;
  if(!file)
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG, "settings.file: missing");
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->host = host;
  c->ctx = ctx;
  c->page_size = ps ? strtoul(ps, NULL, 10) : 2;
  if(!c->page_size)
    c->page_size = 2;
  c->fail_at = fail ? strtol(fail, NULL, 10) : 0;
  c->delay_ms = setting_long(host, ctx, "delay_ms", 0);
  c->report_total = setting_long(host, ctx, "report_total", 1) != 0;
  c->withheld = host->setting(ctx, "withheld");
  c->warn = host->setting(ctx, "warn");
  c->root = json_object_from_file(file);
  if(!c->root || !json_object_object_get_ex(c->root, "people", &people) ||
     !json_object_is_type(people, json_type_array)) {
    json_object_put(c->root);
    free(c);
    return hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                         "settings.file: %s: not a fixture (no \"people\" "
                         "list)",
                         file);
  }
  *out = c;
  return HRSYNC_OK;
}

static void fx_close(hrsync_conn *c)
{
  if(!c)
    return;
  json_object_put(c->root);
  free(c);
}

static hrsync_status fx_authenticate(hrsync_conn *c)
{
  const char *token = c->host->secret(c->ctx, "token");
  if(token && !strcmp(token, "bad"))
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_AUTH,
                         "the fixture refused the token (401)");
  return HRSYNC_OK;
}

static hrsync_status fx_list_fields(hrsync_conn *c)
{
  json_object *fields;
  size_t i, n;
  if(!json_object_object_get_ex(c->root, "fields", &fields))
    return HRSYNC_OK;
  n = json_object_array_length(fields);
  for(i = 0; i < n; i++) {
    json_object *f = json_object_array_get_idx(fields, i), *v;
    hrsync_field_def def;
    hrsync_status st;
    size_t t;
    memset(&def, 0, sizeof(def));
    def.struct_size = sizeof(def);
    def.type = HRSYNC_FIELD_TEXT;
    if(json_object_object_get_ex(f, "id", &v))
      def.id = json_object_get_string(v);
    if(json_object_object_get_ex(f, "label", &v))
      def.label = json_object_get_string(v);
    if(json_object_object_get_ex(f, "type", &v))
      for(t = 0; t < sizeof(type_names) / sizeof(type_names[0]); t++)
        if(!strcmp(json_object_get_string(v), type_names[t]))
          def.type = (uint32_t)t;
    if(!def.id)
      continue;
    if((st = c->host->field(c->ctx, &def)) != HRSYNC_OK)
      return st;
  }
  return HRSYNC_OK;
}

static hrsync_status emit(hrsync_conn *c, json_object *person)
{
  json_object *id;
  hrsync_status st;
  if(!json_object_object_get_ex(person, "id", &id))
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_PARSE, "person %zu: no id",
                         c->next);
  if((st = c->host->record_begin(c->ctx, json_object_get_string(id))))
    return st;
  json_object_object_foreach(person, key, val)
  {
    const char *s = json_object_is_type(val, json_type_null)
                        ? NULL
                        : json_object_get_string(val);
    if(is_withheld(c, key))
      continue;
    if((st = c->host->record_set(c->ctx, key, s)))
      return st;
  }
  return c->host->record_end(c->ctx);
}

static hrsync_status fx_next_page(hrsync_conn *c, int *has_more)
{
  json_object *people;
  size_t n, end;
  json_object_object_get_ex(c->root, "people", &people);
  n = json_object_array_length(people);
  if(!c->page++) {
    report_withheld(c);
    /* Logged twice: the host keeps each warning once. With the token
    ** in it: the host redacts it. */
    if(c->warn) {
      const char *token = c->host->secret(c->ctx, "token");
      int i;
      for(i = 0; i < 2; i++)
        hrsync_logf(c->host, c->ctx, HRSYNC_LOG_WARN, "%s (token %s)", c->warn,
                    token ? token : "none");
    }
  }
  if(c->page == 1 && c->report_total && HRSYNC_HOST_HAS(c->host, roster_total))
    c->host->roster_total(c->ctx, n);
  if(c->delay_ms > 0) {
    struct timespec ts = {c->delay_ms / 1000, c->delay_ms % 1000 * 1000000L};
    nanosleep(&ts, NULL);
  }
  if(c->fail_at && c->page >= c->fail_at)
    return hrsync_errorf(c->host, c->ctx, HRSYNC_E_HTTP,
                         "page %ld: HTTP 503 (fail_at_page)", c->page);
  end = c->next + c->page_size;
  if(end > n)
    end = n;
  for(; c->next < end; c->next++) {
    hrsync_status st = emit(c, json_object_array_get_idx(people, c->next));
    if(st)
      return st;
  }
  *has_more = c->next < n;
  return HRSYNC_OK;
}

static const hrsync_setting_def settings[] = {
    {"file", "Fixture JSON file", NULL, HRSYNC_SETTING_REQUIRED},
    {"page_size", "Records per page", "2", 0},
    {"fail_at_page", "Fail on this page (0 = never)", "0", 0},
    {"delay_ms", "Milliseconds each page takes", "0", 0},
    {"report_total", "Give the roster size (1) or not (0)", "1", 0},
    {"withheld", "Fields reported withheld (comma-separated)", NULL, 0},
    {"warn", "A warning to log on the first page", NULL, 0},
    {"base_url", "Unused; every connector has one", "http://127.0.0.1", 0},
    {"token", "Test token; \"bad\" is refused", NULL, HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

static const hrsync_kv mapping[] = {{"hris_id", "id"},
                                    {"identifier", "employeeNumber"},
                                    {"first_name", "firstName"},
                                    {"last_name", "lastName"},
                                    {"email", "workEmail"},
                                    {"birth_date", "dateOfBirth"},
                                    {"termination_date", "terminationDate"},
                                    {NULL, NULL}};

static const hrsync_connector descriptor = {HRSYNC_CONNECTOR_V1,
                                            .name = "fixture",
                                            .display_name = "Fixture (tests)",
                                            .version = "1.0.0",
                                            .settings = settings,
                                            .open = fx_open,
                                            .close = fx_close,
                                            .authenticate = fx_authenticate,
                                            .list_fields = fx_list_fields,
                                            .next_page = fx_next_page,
                                            .suggested_mapping = mapping};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &descriptor : NULL;
}
