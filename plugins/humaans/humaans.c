/*
** Humaans connector: descriptor, connection, fixed schema.
**
** Humaans has no metadata endpoint for a person's core fields: the
** schema below is the documented person object, plus jobTitle and
** department, which live on job roles and are joined in by people.c,
** plus the tenant's custom fields from /custom-fields (custom.c).
*/
#include "humaans.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const hrsync_setting_def hm_settings[] = {
    {"base_url", "Humaans API root", "https://app.humaans.io/api", 0},
    {"token", "API access token (scopes public:read and private:read)", NULL,
     HRSYNC_SETTING_REQUIRED | HRSYNC_SETTING_SECRET},
    {NULL, NULL, NULL, 0}};

static const hrsync_kv hm_mapping[] = {
    {"hris_id", "id"},
    {"identifier", "employeeId"},
    {"first_name", "firstName"},
    {"last_name", "lastName"},
    {"email", "email"},
    {"phone", "phoneNumber"},
    {"address_line1", "address"},
    {"city", "city"},
    {"postal_code", "postcode"},
    {"region", "state"},
    {"country", "country"},
    {"birth_date", "birthday"},
    {"nationality", "nationality"},
    {"start_date", "employmentStartDate"},
    {"termination_date", "employmentEndDate"},
    {NULL, NULL}};

#define T HRSYNC_FIELD_TEXT
#define D HRSYNC_FIELD_DATE
#define E HRSYNC_FIELD_EMAIL
#define L HRSYNC_FIELD_LIST

/* The documented person fields, then the two job-role ones. */
static const hrsync_field_def hm_fields[] = {
#define F(id, type, label)                                                    \
  {                                                                           \
    sizeof(hrsync_field_def), type, 0, id, label                              \
  }
    F("id", T, "Person ID"),
    F("companyId", T, "Company ID"),
    F("firstName", T, "First name"),
    F("middleName", T, "Middle name"),
    F("lastName", T, "Last name"),
    F("preferredName", T, "Preferred name"),
    F("email", E, "Work email"),
    F("personalEmail", E, "Personal email"),
    F("phoneNumber", T, "Phone number"),
    F("formattedPhoneNumber", T, "Phone number (formatted)"),
    F("personalPhoneNumber", T, "Personal phone number"),
    F("formattedPersonalPhoneNumber", T, "Personal phone (formatted)"),
    F("gender", L, "Gender"),
    F("birthday", D, "Birthday"),
    F("nationality", T, "Nationality"),
    F("nationalities", T, "Nationalities (comma-separated)"),
    F("address", T, "Address"),
    F("city", T, "City"),
    F("state", T, "State / region"),
    F("postcode", T, "Postcode"),
    F("countryCode", T, "Country code (ISO 3166-1 alpha-2)"),
    F("country", T, "Country"),
    F("locationId", T, "Location ID"),
    F("remoteCity", T, "Remote city"),
    F("remoteRegionCode", T, "Remote region code"),
    F("remoteCountryCode", T, "Remote country code"),
    F("remoteTimezone", T, "Remote timezone"),
    F("employmentStartDate", D, "Employment start date"),
    F("firstWorkingDay", D, "First working day"),
    F("employmentEndDate", D, "Employment end date"),
    F("lastWorkingDay", D, "Last working day"),
    F("probationEndDate", D, "Probation end date"),
    F("leavingReason", L, "Leaving reason"),
    F("leavingNote", T, "Leaving note"),
    F("turnoverImpact", L, "Turnover impact"),
    F("contractType", L, "Contract type"),
    F("employeeId", T, "Employee ID"),
    F("taxId", T, "Tax ID"),
    F("taxCode", T, "Tax code"),
    F("teams", T, "Teams (comma-separated)"),
    F("status", L, "Status (active, offboarded, newHire...)"),
    F("workingDays", T, "Working days"),
    F("timezone", T, "Timezone"),
    F("role", L, "App role"),
    F("source", T, "Source"),
    F("sourceId", T, "Source ID"),
    F("createdAt", T, "Created at"),
    F("updatedAt", T, "Updated at"),
    F("jobTitle", T, "Job title (current job role)"),
    F("department", L, "Department (current job role)"),
#undef F
};

hrsync_status hm_list_fields(hrsync_conn *c)
{
  size_t i;
  hrsync_status st = HRSYNC_OK;
  for(i = 0; !st && i < sizeof(hm_fields) / sizeof(hm_fields[0]); i++)
    st = c->hh.h->field(c->hh.ctx, &hm_fields[i]);
  if(!st)
    st = hm_custom_describe(c);
  return st;
}

hrsync_status hm_get(hrsync_conn *c, const char *path, const char *what,
                     json_object **out)
{
  return hsp_get_json(&c->hh, c->base, path, c->auth, what, 0, NULL, out);
}

hrsync_status hm_get_jv(hrsync_conn *c, const char *path, const char *what,
                        hsp_jdoc *d, const hsp_jv **root, int refused_ok)
{
  char url[2048];
  hrsync_kv headers[2] = {{"Accept", "application/json"},
                          {"Authorization", c->auth}};
  hrsync_http_request req;
  const hrsync_http_response *resp = NULL;
  hrsync_status st;
  *root = NULL;
  if((st = hsp_url(&c->hh, url, sizeof(url), c->base, "%s", path)))
    return st;
  hsp_request(&req, "GET", url, headers, 2);
  if((st = c->hh.h->http(c->hh.ctx, &req, &resp)))
    return st;
  if(refused_ok &&
     (resp->status == 400 || resp->status == 403 || resp->status == 404))
    return HRSYNC_OK;
  if((st = hsp_check_status(&c->hh, resp, what, NULL)))
    return st;
  return hsp_jdoc_parse(&c->hh, d, what, resp->body, resp->body_len, root);
}

static hrsync_status hm_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                             hrsync_conn **out)
{
  hsp_host hh = {host, ctx};
  char token[1024];
  hrsync_conn *c;
  hrsync_status st;
  time_t now = time(NULL);
  struct tm tm;

  *out = NULL;
  c = calloc(1, sizeof(*c));
  if(!c)
    return HRSYNC_E_NOMEM;
  c->hh = hh;
  st = hm_textbuf_init(&c->tb);
  if(!st)
    st = hsp_need(&hh, "base_url", 0, c->base, sizeof(c->base));
  if(!st && strncmp(c->base, "http://", 7) && strncmp(c->base, "https://", 8))
    st = hrsync_errorf(host, ctx, HRSYNC_E_CONFIG,
                       "settings.base_url must start with https:// "
                       "(or http://)");
  if(!st)
    st = hsp_need(&hh, "token", 1, token, sizeof(token));
  if(st) {
    hm_textbuf_free(&c->tb);
    free(c);
    return st;
  }
  snprintf(c->auth, sizeof(c->auth), "Bearer %s", token);
  memset(token, 0, sizeof(token));
  /* "Current" job role is judged against today's UTC date. */
  gmtime_r(&now, &tm);
  strftime(c->today, sizeof(c->today), "%Y-%m-%d", &tm);
  c->people.path = "/people";
  c->people.limit = HM_LIMIT;
  *out = c;
  return HRSYNC_OK;
}

static void hm_close(hrsync_conn *c)
{
  if(!c)
    return;
  hm_roles_free(c);
  hm_custom_free(c);
  hm_pager_free(&c->people);
  hm_textbuf_free(&c->tb);
  hsp_wanted_free(&c->want);
  memset(c->auth, 0, sizeof(c->auth));
  free(c);
}

/* GET /me: the documented connection test. */
static hrsync_status hm_authenticate(hrsync_conn *c)
{
  json_object *me;
  hrsync_status st = hm_get(c, "/me", "GET /me", &me);
  json_object_put(me);
  return st;
}

static const hrsync_connector hm_connector = {
    HRSYNC_CONNECTOR_V1,
    .name = "humaans",
    .display_name = "Humaans",
    .version = "1.0.0",
    .settings = hm_settings,
    .open = hm_open,
    .close = hm_close,
    .authenticate = hm_authenticate,
    .list_fields = hm_list_fields,
    .next_page = hm_next_page,
    .suggested_mapping = hm_mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)host_abi_minor;
  return host_abi_major == HRSYNC_ABI_MAJOR ? &hm_connector : NULL;
}
