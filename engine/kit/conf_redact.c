/*
** hs_redact: secrets out of a recording, in every encoding a connector
** sends them (see conf_redact.h).
*/
#include "conf_redact.h"

#include "buf.h"

#include <openssl/evp.h>

#include <stdlib.h>
#include <string.h>

enum {
  FORM_RAW,
  FORM_JSON,
  FORM_JSON_SLASH,
  FORM_URL,
  FORM_URL_LOWER,
  FORM_URL_ALL,
  FORM_B64
};

static const char *const form_names[] = {
    "raw",         "JSON-escaped", "JSON-escaped", "URL-encoded",
    "URL-encoded", "URL-encoded",  "base64"};

typedef struct subst {
  char *from;
  char *to;           /* NULL: only searched for (base64) */
  const char *secret; /* the secret's name, NULL for a plain substitution */
  int form;
} subst;

struct hs_redact {
  subst *subs;
  size_t n_subs;
  char **names; /* owned copies of the secrets' names */
  size_t n_names;
};

hs_redact *hs_redact_new(void)
{
  return calloc(1, sizeof(hs_redact));
}

void hs_redact_free(hs_redact *r)
{
  size_t i;
  if(!r)
    return;
  for(i = 0; i < r->n_subs; i++) {
    /* Secrets do not linger in freed memory. */
    memset(r->subs[i].from, 0, strlen(r->subs[i].from));
    free(r->subs[i].from);
    free(r->subs[i].to);
  }
  for(i = 0; i < r->n_names; i++)
    free(r->names[i]);
  free(r->subs);
  free(r->names);
  free(r);
}

/* Takes from (owned) into the list; skips a duplicate of an earlier one
** (an encoding that changes nothing). */
static int push(hs_redact *r, char *from, const char *to, const char *secret,
                int form)
{
  subst *grown;
  size_t i;
  if(!from)
    return -1; /* its encoding ran out of memory */
  for(i = 0; i < r->n_subs; i++)
    if(!strcmp(r->subs[i].from, from)) {
      free(from);
      return 0;
    }
  grown = realloc(r->subs, (r->n_subs + 1) * sizeof(*grown));
  if(!grown) {
    free(from);
    return -1;
  }
  r->subs = grown;
  grown[r->n_subs].from = from;
  grown[r->n_subs].to = to ? strdup(to) : NULL;
  grown[r->n_subs].secret = secret;
  grown[r->n_subs].form = form;
  r->n_subs++;
  return to && !grown[r->n_subs - 1].to ? -1 : 0;
}

/* v as a JSON string's contents; slash: "/" as "\/" (json-c's default). */
static char *json_form(const char *v, int slash)
{
  hs_buf b = HS_BUF_INIT;
  int bad = hs_buf_puts(&b, "");
  for(; *v && !bad; v++) {
    unsigned char ch = (unsigned char)*v;
    if(ch == '"' || ch == '\\' || (slash && ch == '/'))
      bad = hs_buf_printf(&b, "\\%c", ch);
    else if(ch == '\n')
      bad = hs_buf_puts(&b, "\\n");
    else if(ch == '\r')
      bad = hs_buf_puts(&b, "\\r");
    else if(ch == '\t')
      bad = hs_buf_puts(&b, "\\t");
    else if(ch < 0x20)
      bad = hs_buf_printf(&b, "\\u%04x", ch);
    else
      bad = hs_buf_append(&b, v, 1);
  }
  if(bad) {
    hs_buf_free(&b);
    return NULL;
  }
  return hs_buf_steal(&b);
}

/* v percent-encoded as a form or a query carries it: RFC 3986
** unreserved characters kept (curl's way), hex in either case, or every
** character but letters and digits encoded (some encoders' way). */
static char *url_form(const char *v, int lower, int all)
{
  hs_buf b = HS_BUF_INIT;
  int bad = hs_buf_puts(&b, "");
  for(; *v && !bad; v++) {
    unsigned char ch = (unsigned char)*v;
    if((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
       (ch >= '0' && ch <= '9') || (!all && strchr("-._~", ch)))
      bad = hs_buf_append(&b, v, 1);
    else
      bad = hs_buf_printf(&b, lower ? "%%%02x" : "%%%02X", ch);
  }
  if(bad) {
    hs_buf_free(&b);
    return NULL;
  }
  return hs_buf_steal(&b);
}

/* The part of base64(k filler bytes + v) that does not depend on what
** surrounds v: "user:secret" in a Basic header holds it for one k. NULL
** when too short to mean anything, or on no memory (*nomem set). */
static char *b64_core(const char *v, size_t k, int *nomem)
{
  size_t n = strlen(v), groups = (k + n) / 3, skip = k ? 4 : 0;
  unsigned char *in = calloc(1, k + n + 1);
  char *out = malloc(4 * ((k + n) / 3 + 1) + 1), *core = NULL;
  if(!in || !out) {
    *nomem = 1;
  }
  else if(4 * groups >= skip + 8) { /* a few characters match anything */
    memcpy(in + k, v, n);
    /* Only whole groups: the last one would depend on what follows. */
    EVP_EncodeBlock((unsigned char *)out, in, (int)(3 * groups));
    out[4 * groups] = 0;
    if(!(core = strdup(out + skip)))
      *nomem = 1;
  }
  free(in);
  free(out);
  return core;
}

hs_rc hs_redact_add_secret(hs_redact *r, const char *name, const char *value,
                           const char *placeholder, hs_err *err)
{
  char **grown, *copy;
  const char *nm;
  size_t k;
  int bad = 0, nomem = 0;
  if(!value || strlen(value) < 4)
    return HS_OK;
  grown = realloc(r->names, (r->n_names + 1) * sizeof(*grown));
  if(!grown)
    return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  r->names = grown;
  if(!(copy = strdup(name)))
    return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  grown[r->n_names++] = copy;
  nm = copy;
  /* Raw first: an encoding equal to it is then skipped as a duplicate. */
  bad |= push(r, strdup(value), placeholder, nm, FORM_RAW);
  bad |= push(r, json_form(value, 1), placeholder, nm, FORM_JSON_SLASH);
  bad |= push(r, json_form(value, 0), placeholder, nm, FORM_JSON);
  bad |= push(r, url_form(value, 0, 0), placeholder, nm, FORM_URL);
  bad |= push(r, url_form(value, 1, 0), placeholder, nm, FORM_URL_LOWER);
  bad |= push(r, url_form(value, 0, 1), placeholder, nm, FORM_URL_ALL);
  for(k = 0; k < 3 && !bad; k++) {
    char *core = b64_core(value, k, &nomem);
    if(core)
      bad |= push(r, core, NULL, nm, FORM_B64);
  }
  if(bad || nomem)
    return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  return HS_OK;
}

hs_rc hs_redact_add(hs_redact *r, const char *from, const char *to,
                    hs_err *err)
{
  char *copy;
  if(!from || strlen(from) < 4)
    return HS_OK;
  if(!(copy = strdup(from)) || push(r, copy, to, NULL, FORM_RAW))
    return hs_err_set(err, HS_E_NOMEM, "record: out of memory");
  return HS_OK;
}

static const char *find_mem(const char *hay, size_t n, const char *needle)
{
  size_t k = strlen(needle), i;
  for(i = 0; k && i + k <= n; i++)
    if(hay[i] == needle[0] && !memcmp(hay + i, needle, k))
      return hay + i;
  return NULL;
}

/* One substitution over the whole text. */
static int apply_one(const subst *s, char **text, size_t *len)
{
  const char *p = *text, *end = *text + *len, *hit;
  size_t flen = strlen(s->from);
  hs_buf b = HS_BUF_INIT;
  if(!find_mem(*text, *len, s->from))
    return 0;
  while((hit = find_mem(p, (size_t)(end - p), s->from))) {
    if(hs_buf_append(&b, p, (size_t)(hit - p)) || hs_buf_puts(&b, s->to)) {
      hs_buf_free(&b);
      return -1;
    }
    p = hit + flen;
  }
  if(hs_buf_append(&b, p, (size_t)(end - p)) || hs_buf_puts(&b, "")) {
    hs_buf_free(&b);
    return -1;
  }
  free(*text);
  *len = b.len;
  *text = hs_buf_steal(&b);
  return 0;
}

int hs_redact_apply(const hs_redact *r, char **text, size_t *len)
{
  size_t i;
  for(i = 0; *text && i < r->n_subs; i++)
    if(r->subs[i].to && apply_one(&r->subs[i], text, len))
      return -1;
  return 0;
}

int hs_redact_apply_str(const hs_redact *r, char **text)
{
  size_t len;
  if(!*text)
    return 0;
  len = strlen(*text);
  return hs_redact_apply(r, text, &len);
}

const char *hs_redact_find(const hs_redact *r, const char *text, size_t len,
                           const char **form)
{
  size_t i;
  for(i = 0; text && i < r->n_subs; i++)
    if(r->subs[i].secret && find_mem(text, len, r->subs[i].from)) {
      if(form)
        *form = form_names[r->subs[i].form];
      return r->subs[i].secret;
    }
  return NULL;
}
