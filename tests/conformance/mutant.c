/*
** Mutants of the template connector, one defect each, for testing the
** conformance kit itself: each must fail the check that names its defect
** (and only a kit that really checks can see that). Built once per
** MUTANT_* define; MUTANT_NAME is the connector's name.
*/
#define hrsync_connector_entry acme_real_entry
#include "../../examples/connector-template/acme.c"
#undef hrsync_connector_entry

#include <ctype.h>
#include <signal.h>
#include <unistd.h>

static hrsync_status mutant_next_page(hrsync_conn *c, int *has_more)
{
  hrsync_status st = acme_next_page(c, has_more);
#if defined(MUTANT_CRASH)
  if(c->next_page == 0)
    raise(SIGSEGV); /* dies on the last page */
#elif defined(MUTANT_HANG)
  for(;;)
    pause(); /* stuck on the first page, calling nobody */
#elif defined(MUTANT_PRINT)
  printf("fetched a page\n"); /* instead of host->log */
#elif defined(MUTANT_ENDLESS)
  *has_more = 1; /* never says it is done */
#elif defined(MUTANT_SWALLOW)
  if(st != HRSYNC_OK) { /* hides every error as "no more pages" */
    *has_more = 0;
    st = HRSYNC_OK;
  }
#elif defined(MUTANT_DUPLICATE)
  if(st == HRSYNC_OK && !*has_more) { /* the last person twice */
    c->host->record_begin(c->ctx, "105");
    c->host->record_end(c->ctx);
  }
#endif
  return st;
}

#if defined(MUTANT_RECSECRET)
/* Not a defect: a connector that sends its token as real ones do, JSON-
** escaped in a flagged token request and URL-encoded in a query, for the
** recording test (test_record_secrets.sh). */
static hrsync_status recsecret_get(hrsync_conn *c, const char *method,
                                   const char *url, const char *body,
                                   uint32_t flags)
{
  const hrsync_http_response *resp;
  hrsync_http_request req;
  memset(&req, 0, sizeof(req));
  req.struct_size = sizeof(req);
  req.method = method;
  req.url = url;
  req.flags = flags;
  req.body = body;
  req.body_len = body ? strlen(body) : 0;
  return c->host->http(c->ctx, &req, &resp);
}

static hrsync_status recsecret_session(hrsync_conn *c)
{
  const char *tok = c->auth_header + 7, *p;
  json_object *o = json_object_new_object();
  char url[1024], q[512];
  size_t n = 0;
  hrsync_status st;
  if(!o)
    return HRSYNC_E_NOMEM;
  json_object_object_add(o, "token", json_object_new_string(tok));
  snprintf(url, sizeof(url), "%s/v1/session", c->base_url);
  st = recsecret_get(c, "POST", url,
                     json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
                     HRSYNC_HTTP_SENSITIVE_BODY);
  json_object_put(o);
  for(p = tok; *p && n + 4 < sizeof(q); p++)
    n += (size_t)(isalnum((unsigned char)*p) || strchr("-._~", *p)
                      ? snprintf(q + n, sizeof(q) - n, "%c", *p)
                      : snprintf(q + n, sizeof(q) - n, "%%%02X",
                                 (unsigned char)*p));
  snprintf(url, sizeof(url), "%s/v1/ping?key=%s", c->base_url, q);
  return st != HRSYNC_OK ? st : recsecret_get(c, "GET", url, NULL, 0);
}
#endif

static hrsync_status mutant_authenticate(hrsync_conn *c)
{
  hrsync_status st;
#if defined(MUTANT_BODYSECRET)
  /* A session request carrying the token, not marked sensitive. */
  const hrsync_http_response *resp;
  hrsync_http_request req;
  char url[512], body[512];
  memset(&req, 0, sizeof(req));
  req.struct_size = sizeof(req);
  req.method = "POST";
  snprintf(url, sizeof(url), "%s/v1/session", c->base_url);
  snprintf(body, sizeof(body), "token=%s", c->auth_header + 7);
  req.url = url;
  req.body = body;
  req.body_len = strlen(body);
  st = c->host->http(c->ctx, &req, &resp);
  if(st != HRSYNC_OK)
    return st;
#endif
#if defined(MUTANT_RECSECRET)
  st = recsecret_session(c);
  if(st != HRSYNC_OK)
    return st;
#endif
  st = acme_authenticate(c);
#if defined(MUTANT_LOGSECRET)
  hrsync_logf(c->host, c->ctx, HRSYNC_LOG_DEBUG, "using %s", c->auth_header);
#elif defined(MUTANT_NOAUTH)
  if(st == HRSYNC_E_AUTH)
    st = HRSYNC_E_HTTP; /* a refused token reported as a transport error */
#endif
  return st;
}

static void mutant_close(hrsync_conn *c)
{
#if defined(MUTANT_LEAK)
  (void)c; /* forgets to free the connection */
#elif defined(MUTANT_KEEPSETTING)
  if(c)
    c->base_url = NULL; /* not ours to free */
  acme_close(c);
#elif defined(MUTANT_CLOSENULL)
  free(c->base_url);          /* not NULL-safe */
  acme_close(c);
#else
  acme_close(c);
#endif
}

#if defined(MUTANT_NODETAIL)
static void silent_set_error(hrsync_host_ctx *ctx, const char *msg)
{
  (void)ctx;
  (void)msg;
}

/* Mutable, unlike a real connector: this mutant hides every detail by
** handing the template a host whose set_error does nothing. */
static hrsync_host silent_host;
#endif

static hrsync_status mutant_open(const hrsync_host *host, hrsync_host_ctx *ctx,
                                 hrsync_conn **out)
{
  hrsync_status st;
#if defined(MUTANT_NODETAIL)
  silent_host = *host;
  silent_host.set_error = silent_set_error;
  host = &silent_host;
#endif
  st = acme_open(host, ctx, out);
#if defined(MUTANT_KEEPSETTING)
  if(st == HRSYNC_OK) { /* keeps the borrowed string past open */
    free((*out)->base_url);
    (*out)->base_url = (char *)host->setting(ctx, "base_url");
  }
#endif
  return st;
}

static const hrsync_connector mutant = {
    HRSYNC_CONNECTOR_V1,
    .name = MUTANT_NAME,
    .display_name = "Acme People (mutant)",
    .version = "0.0.1",
    .settings = acme_settings,
    .open = mutant_open,
    .close = mutant_close,
    .authenticate = mutant_authenticate,
    .list_fields = acme_list_fields,
    .next_page = mutant_next_page,
    .suggested_mapping = acme_mapping,
};

HRSYNC_EXPORT const hrsync_connector *
hrsync_connector_entry(uint32_t host_abi_major, uint32_t host_abi_minor)
{
  (void)acme_real_entry;
  return acme_real_entry(host_abi_major, host_abi_minor) ? &mutant : NULL;
}
