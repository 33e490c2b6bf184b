/*
** Helpers the in-tree connectors share: HTTP status checks, JSON parsing
** with useful errors, JSON values as record text, URL building.
**
** Linked statically into each plugin (hidden symbols), so a plugin still
** depends on nothing of hrsync but the SDK header. A third-party connector
** does not need this; examples/connector-template shows the same in one
** file.
*/
#ifndef HSP_H
#define HSP_H

#include <hrsync/connector.h>
#include <json-c/json.h>

/* The pair every host call needs, kept in each connector's conn. */
typedef struct hsp_host {
  const hrsync_host *h;
  hrsync_host_ctx *ctx;
} hsp_host;

/* HRSYNC_OK for a 2xx status. 401 and 403 give HRSYNC_E_AUTH, anything
** else HRSYNC_E_HTTP, with the detail "<what>: HTTP <status>: <message>",
** where the message is the first of: header msg_header (may be NULL), a
** JSON error message in the body, the body's start. */
hrsync_status hsp_check_status(const hsp_host *hh,
                               const hrsync_http_response *resp,
                               const char *what, const char *msg_header);

/* Parses the body; HRSYNC_E_PARSE "<what>: malformed JSON: <why>" when
** it is not JSON. The caller json_object_put()s *out. */
hrsync_status hsp_parse_json(const hsp_host *hh,
                             const hrsync_http_response *resp,
                             const char *what, json_object **out);

/* A JSON string may carry "\u0000"; json-c keeps it, but every C string
** read from it would silently end there ("x\u0000TAIL" read as "x").
** This rewrites each such NUL, everywhere under root, as the bytes C0 80
** (not UTF-8), so the value reaches the host whole and the host skips the
** record naming the field. hsp_parse_json calls it; a connector with its
** own tokenizer calls it on each value it parses. */
void hsp_json_mark_nul(json_object *root);

/* The HR field ids the engine wants (host->wanted_field), copied once so
** that a record is built from a lookup instead of a host call per field.
** all: the host lists none (`hrsync fields`, `init`, a config that maps
** nothing), so every field is wanted and a connector emits everything. */
typedef struct hsp_wanted {
  char **ids;   /* in the host's order; one allocation with the text */
  char **slots; /* open-addressed hash of ids (NULL: free), mask + 1 */
  size_t mask;
  size_t n;
  int all;
  int loaded;
} hsp_wanted;

/* Reads the wanted fields into w (a no-op once loaded). HRSYNC_E_NOMEM. */
hrsync_status hsp_wanted_load(const hsp_host *hh, hsp_wanted *w);

/* Whether field id is wanted: always when w->all. */
int hsp_wanted_has(const hsp_wanted *w, const char *id);

/* Whether a wanted field starts with prefix (w->all: always). */
int hsp_wanted_prefix(const hsp_wanted *w, const char *prefix);

void hsp_wanted_free(hsp_wanted *w);

/* A JSON value as record text: strings as they are, numbers and booleans
** printed, null as NULL, arrays and objects as compact JSON. The result is
** borrowed from v or written into tmp. */
const char *hsp_json_text(json_object *v, char *tmp, size_t cap);

/* The member at a dotted path ("work.department"), or NULL. */
json_object *hsp_json_path(json_object *root, const char *path);

/* The member key of obj as a string, or NULL when absent or not text. */
const char *hsp_json_str(json_object *obj, const char *key);

/* Appends text to a list being built in pb (a multi-value field sent as
** one value): ", " before all but the first item; NULL or empty text adds
** nothing. HRSYNC_E_NOMEM when pb cannot grow. */
hrsync_status hsp_join(struct printbuf *pb, const char *text);

/* host->record_set(field_id, text of v). */
hrsync_status hsp_emit(const hsp_host *hh, const char *field_id,
                       json_object *v);

/* Zeroes req and fills the members every request has. */
void hsp_request(hrsync_http_request *req, const char *method, const char *url,
                 const hrsync_kv *headers, size_t n_headers);

/* host->http, hsp_check_status and hsp_parse_json in one: the JSON body
** of a 2xx answer, which the caller json_object_put()s. */
hrsync_status hsp_call_json(const hsp_host *hh, const hrsync_http_request *req,
                            const char *what, json_object **out);

/* For hsp_get_json: a 400, 403 or 404 is no error but an absent answer
** (an endpoint the tenant or the key may not have: the caller degrades). */
#define HSP_REFUSED_OK 0x1u

/* GET base + path with "Accept: application/json" and the Authorization
** value auth, then as hsp_call_json. With HSP_REFUSED_OK in flags a 400,
** 403 or 404 returns HRSYNC_OK with *out NULL. *status (may be NULL) gets
** the HTTP status, 0 when no answer came. */
hrsync_status hsp_get_json(const hsp_host *hh, const char *base,
                           const char *path, const char *auth,
                           const char *what, unsigned flags, unsigned *status,
                           json_object **out);

/* dst = base (without trailing '/') + formatted path. HRSYNC_E_CONFIG
** when it does not fit. */
hrsync_status hsp_url(const hsp_host *hh, char *dst, size_t cap,
                      const char *base, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Copy of a setting or secret into dst; HRSYNC_E_CONFIG naming key when
** it is unset or empty. secret selects host->secret. */
hrsync_status hsp_need(const hsp_host *hh, const char *key, int secret,
                       char *dst, size_t cap);

/* Appends "key=value" (value percent-encoded, "&" before all but the
** first) to the form body dst of capacity cap, whose length is *len.
** HRSYNC_E_CONFIG when it does not fit (the caller names the settings). */
hrsync_status hsp_form_add(char *dst, size_t cap, size_t *len, const char *key,
                           const char *value);

#endif
