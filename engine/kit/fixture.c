/*
** hs_fixture: reading and writing the conformance kit's fixture folders
** (format in fixture.h and docs/connector-guide.md).
*/
#include "fixture.h"

#include "buf.h"

#include <json-c/json.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HS_FIXTURE_MAX_FILE (64L * 1024 * 1024)

static char *xstrndup(const char *s, size_t n)
{
  char *d = malloc(n + 1);
  if(d) {
    memcpy(d, s, n);
    d[n] = 0;
  }
  return d;
}

/* Reads a whole file into *out (malloc'd, NUL-terminated). */
static hs_rc read_file(const char *path, char **out, size_t *len, hs_err *err)
{
  FILE *f = fopen(path, "rb");
  hs_buf b = HS_BUF_INIT;
  char chunk[8192];
  size_t n;

  *out = NULL;
  if(!f)
    return hs_err_set(err, HS_E_IO, "%s: cannot open: %s", path,
                      strerror(errno));
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    if(b.len + n > HS_FIXTURE_MAX_FILE || hs_buf_append(&b, chunk, n)) {
      fclose(f);
      hs_buf_free(&b);
      return hs_err_set(err, HS_E_IO, "%s: too large or out of memory", path);
    }
  }
  if(ferror(f)) {
    fclose(f);
    hs_buf_free(&b);
    return hs_err_set(err, HS_E_IO, "%s: read error", path);
  }
  fclose(f);
  *len = b.len;
  *out = b.data ? hs_buf_steal(&b) : xstrndup("", 0);
  return *out ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}

const char *hs_fixture_kv(const hrsync_kv *kv, size_t n, const char *key)
{
  size_t i;
  for(i = 0; i < n; i++)
    if(!strcmp(kv[i].name, key))
      return kv[i].value;
  return NULL;
}

static void free_kv(hrsync_kv *kv, size_t n)
{
  size_t i;
  for(i = 0; i < n; i++) {
    free((char *)kv[i].name);
    free((char *)kv[i].value);
  }
  free(kv);
}

static void free_exchange(hs_fixture_exchange *e)
{
  free(e->file);
  free(e->method);
  free(e->path);
  free(e->body_equals);
  free(e->body_contains);
  free_kv(e->headers, e->n_headers);
  free(e->body);
}

void hs_fixture_free(hs_fixture_set *fx)
{
  size_t i;
  if(!fx)
    return;
  free(fx->dir);
  free_kv(fx->settings, fx->n_settings);
  free_kv(fx->secrets, fx->n_secrets);
  for(i = 0; i < fx->n_wanted; i++)
    free(fx->wanted[i]);
  free(fx->wanted);
  for(i = 0; i < fx->n_ex; i++)
    free_exchange(&fx->ex[i]);
  free(fx->ex);
  memset(fx, 0, sizeof(*fx));
}

static int push_kv(hrsync_kv **kv, size_t *n, const char *name,
                   size_t name_len, const char *value, size_t value_len)
{
  hrsync_kv *grown = realloc(*kv, (*n + 1) * sizeof(**kv));
  char *k, *v;
  if(!grown)
    return -1;
  *kv = grown;
  k = xstrndup(name, name_len);
  v = xstrndup(value, value_len);
  if(!k || !v) {
    free(k);
    free(v);
    return -1;
  }
  grown[*n].name = k;
  grown[*n].value = v;
  (*n)++;
  return 0;
}

/* settings.json: {"settings": {..}, "secrets": {..}, "wanted_fields":
** [..], "max_pages": N}; every value a string. */
static hs_rc load_kv_object(json_object *obj, const char *path,
                            const char *key, hrsync_kv **kv, size_t *n,
                            hs_err *err)
{
  if(!json_object_is_type(obj, json_type_object))
    return hs_err_set(err, HS_E_CONFIG, "%s: \"%s\" must be an object", path,
                      key);
  json_object_object_foreach(obj, k, v)
  {
    const char *s;
    if(!json_object_is_type(v, json_type_string))
      return hs_err_set(err, HS_E_CONFIG, "%s: %s.%s must be a string", path,
                        key, k);
    s = json_object_get_string(v);
    if(push_kv(kv, n, k, strlen(k), s, strlen(s)))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  return HS_OK;
}

static hs_rc load_settings(hs_fixture_set *fx, hs_err *err)
{
  hs_buf path = HS_BUF_INIT;
  json_object *root = NULL;
  char *text = NULL;
  size_t len, i;
  hs_rc rc;

  if(hs_buf_printf(&path, "%s/settings.json", fx->dir))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  rc = read_file(path.data, &text, &len, err);
  if(rc)
    goto done;
  root = json_tokener_parse(text);
  if(!json_object_is_type(root, json_type_object)) {
    rc = hs_err_set(err, HS_E_CONFIG, "%s: not a JSON object", path.data);
    goto done;
  }
  json_object_object_foreach(root, key, val)
  {
    if(!strcmp(key, "settings"))
      rc = load_kv_object(val, path.data, key, &fx->settings, &fx->n_settings,
                          err);
    else if(!strcmp(key, "secrets"))
      rc = load_kv_object(val, path.data, key, &fx->secrets, &fx->n_secrets,
                          err);
    else if(!strcmp(key, "max_pages")) {
      if(!json_object_is_type(val, json_type_int) ||
         json_object_get_int64(val) < 1 ||
         json_object_get_int64(val) > 1000000)
        rc = hs_err_set(err, HS_E_CONFIG,
                        "%s: max_pages must be a number from 1 to 1000000",
                        path.data);
      else
        fx->max_pages = (unsigned)json_object_get_int64(val);
    }
    else if(!strcmp(key, "wanted_fields")) {
      size_t n = json_object_is_type(val, json_type_array)
                     ? json_object_array_length(val)
                     : 0;
      if(!json_object_is_type(val, json_type_array)) {
        rc = hs_err_set(err, HS_E_CONFIG,
                        "%s: wanted_fields must be an array of strings",
                        path.data);
        break;
      }
      fx->wanted = calloc(n ? n : 1, sizeof(char *));
      if(!fx->wanted) {
        rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
        break;
      }
      for(i = 0; i < n && !rc; i++) {
        json_object *s = json_object_array_get_idx(val, i);
        if(!json_object_is_type(s, json_type_string))
          rc = hs_err_set(err, HS_E_CONFIG,
                          "%s: wanted_fields[%zu] must be a string", path.data,
                          i);
        else if(!(fx->wanted[fx->n_wanted++] =
                      strdup(json_object_get_string(s))))
          rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
      }
    }
    else if(strcmp(key, "comment"))
      rc = hs_err_set(err, HS_E_CONFIG,
                      "%s: unknown key \"%s\" (expected settings, secrets, "
                      "wanted_fields, max_pages, comment)",
                      path.data, key);
    if(rc)
      break;
  }
  if(!rc && !hs_fixture_kv(fx->settings, fx->n_settings, "base_url") &&
     push_kv(&fx->settings, &fx->n_settings, "base_url", 8,
             HS_FIXTURE_BASE_URL, strlen(HS_FIXTURE_BASE_URL)))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
done:
  json_object_put(root);
  free(text);
  hs_buf_free(&path);
  return rc;
}

/* The next line of text[*pos..len), without its "\n" or "\r\n". Returns 0
** at the end of the text. */
static int next_line(const char *text, size_t len, size_t *pos,
                     const char **line, size_t *n)
{
  size_t start = *pos, end;
  if(start >= len)
    return 0;
  end = start;
  while(end < len && text[end] != '\n')
    end++;
  *pos = end < len ? end + 1 : end;
  *line = text + start;
  *n = end - start;
  if(*n && (*line)[*n - 1] == '\r')
    (*n)--;
  return 1;
}

static int starts(const char *line, size_t n, const char *prefix)
{
  size_t p = strlen(prefix);
  return n >= p && !strncmp(line, prefix, p);
}

static hs_rc parse_exchange(const char *file, const char *text, size_t len,
                            hs_fixture_exchange *e, hs_err *err)
{
  const char *line = NULL, *sp;
  size_t n = 0, pos = 0, lineno = 0;
  char *end;
  unsigned long status;

  /* Request line, after comments and blank lines. */
  for(;;) {
    if(!next_line(text, len, &pos, &line, &n))
      return hs_err_set(err, HS_E_PARSE, "%s: no request line", file);
    lineno++;
    if(n && line[0] != '#')
      break;
  }
  sp = memchr(line, ' ', n);
  if(!sp || sp == line || sp[1] != '/')
    return hs_err_set(err, HS_E_PARSE,
                      "%s:%zu: expected \"METHOD /path?query\"", file, lineno);
  e->method = xstrndup(line, (size_t)(sp - line));
  e->path = xstrndup(sp + 1, n - (size_t)(sp + 1 - line));
  if(!e->method || !e->path)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");

  /* Request matchers up to the blank line. */
  while(next_line(text, len, &pos, &line, &n) && n) {
    lineno++;
    if(starts(line, n, "Body: ")) {
      if(!(e->body_equals = xstrndup(line + 6, n - 6)))
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    else if(starts(line, n, "Body-Contains: ")) {
      if(!(e->body_contains = xstrndup(line + 15, n - 15)))
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    else
      return hs_err_set(err, HS_E_PARSE,
                        "%s:%zu: expected \"Body: ...\", "
                        "\"Body-Contains: ...\" or a blank line",
                        file, lineno);
  }
  lineno++;

  /* Status line: "HTTP 200" (or "HTTP/1.1 200 OK"). */
  if(!next_line(text, len, &pos, &line, &n) || !starts(line, n, "HTTP"))
    return hs_err_set(err, HS_E_PARSE,
                      "%s:%zu: expected the response line \"HTTP 200\"", file,
                      lineno + 1);
  lineno++;
  sp = memchr(line, ' ', n);
  status = sp ? strtoul(sp + 1, &end, 10) : 0;
  if(status < 100 || status > 599)
    return hs_err_set(err, HS_E_PARSE,
                      "%s:%zu: bad HTTP status (expected 100 to 599)", file,
                      lineno);
  e->status = (unsigned)status;

  /* Response headers up to the blank line; the rest is the body. */
  while(next_line(text, len, &pos, &line, &n) && n) {
    const char *colon = memchr(line, ':', n);
    size_t vstart;
    lineno++;
    if(!colon || colon == line)
      return hs_err_set(err, HS_E_PARSE,
                        "%s:%zu: expected a header \"Name: value\"", file,
                        lineno);
    vstart = (size_t)(colon - line) + 1;
    while(vstart < n && line[vstart] == ' ')
      vstart++;
    if(push_kv(&e->headers, &e->n_headers, line, (size_t)(colon - line),
               line + vstart, n - vstart))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  e->body_len = len - pos;
  e->body = xstrndup(text + pos, e->body_len);
  return e->body ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_exchange_file(const char *name)
{
  size_t n = strlen(name);
  return n > 5 && name[0] != '.' && !strcmp(name + n - 5, ".http");
}

static hs_rc load_exchanges(hs_fixture_set *fx, hs_err *err)
{
  DIR *d = opendir(fx->dir);
  struct dirent *de;
  char **names = NULL;
  size_t n = 0, i;
  hs_rc rc = HS_OK;

  if(!d)
    return hs_err_set(err, HS_E_IO, "%s: cannot open fixture folder: %s",
                      fx->dir, strerror(errno));
  while((de = readdir(d))) {
    char **grown;
    if(!is_exchange_file(de->d_name))
      continue;
    grown = realloc(names, (n + 1) * sizeof(*names));
    if(!grown || !(grown[n] = strdup(de->d_name))) {
      names = grown ? grown : names;
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
      break;
    }
    names = grown;
    n++;
  }
  closedir(d);
  if(!rc && n == 0)
    rc = hs_err_set(err, HS_E_CONFIG, "%s: no exchange files (*.http)",
                    fx->dir);
  if(!rc) {
    qsort(names, n, sizeof(*names), by_name);
    fx->ex = calloc(n, sizeof(*fx->ex));
    if(!fx->ex)
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  for(i = 0; !rc && i < n; i++) {
    hs_buf path = HS_BUF_INIT;
    hs_fixture_exchange *e = &fx->ex[fx->n_ex++];
    char *text = NULL;
    size_t len = 0;
    if(hs_buf_printf(&path, "%s/%s", fx->dir, names[i]) ||
       !(e->file = strdup(names[i])))
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
    else if(!(rc = read_file(path.data, &text, &len, err)))
      rc = parse_exchange(path.data, text, len, e, err);
    free(text);
    hs_buf_free(&path);
  }
  for(i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

hs_rc hs_fixture_load(const char *dir, hs_fixture_set *out, hs_err *err)
{
  hs_rc rc;
  struct stat st;
  memset(out, 0, sizeof(*out));
  if(stat(dir, &st))
    return hs_err_set(err, HS_E_IO, "fixture folder %s: %s", dir,
                      strerror(errno));
  if(!S_ISDIR(st.st_mode))
    return hs_err_set(err, HS_E_IO, "fixture folder %s: not a folder", dir);
  if(!(out->dir = strdup(dir)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  rc = load_settings(out, err);
  if(!rc)
    rc = load_exchanges(out, err);
  return rc;
}

static int body_matches(const hs_fixture_exchange *e, const char *body,
                        size_t body_len)
{
  if(e->body_equals && (strlen(e->body_equals) != body_len ||
                        (body_len && memcmp(e->body_equals, body, body_len))))
    return 0;
  if(e->body_contains) {
    /* The request body need not be NUL-terminated. */
    size_t k = strlen(e->body_contains), i;
    if(k > body_len)
      return 0;
    for(i = 0; i + k <= body_len; i++)
      if(!memcmp(body + i, e->body_contains, k))
        return 1;
    return 0;
  }
  return 1;
}

hs_fixture_exchange *hs_fixture_match(hs_fixture_set *fx, const char *method,
                                      const char *path, const char *body,
                                      size_t body_len)
{
  hs_fixture_exchange *last = NULL;
  size_t i;
  for(i = 0; i < fx->n_ex; i++) {
    hs_fixture_exchange *e = &fx->ex[i];
    if(strcmp(e->method, method) || strcmp(e->path, path) ||
       !body_matches(e, body ? body : "", body ? body_len : 0))
      continue;
    if(!e->used) {
      e->used = 1;
      return e;
    }
    last = e;
  }
  return last;
}

hs_rc hs_fixture_write_exchange(const char *dir, unsigned n,
                                const hs_fixture_exchange *ex, hs_err *err)
{
  hs_buf path = HS_BUF_INIT, slug = HS_BUF_INIT;
  const char *p;
  FILE *f;
  size_t i;
  int bad = 0;

  for(p = ex->method; *p; p++)
    bad |= hs_buf_printf(&slug, "%c",
                         (*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
  for(p = ex->path; *p && slug.len < 48; p++) {
    int keep = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
               (*p >= 'A' && *p <= 'Z');
    if(keep)
      bad |= hs_buf_printf(&slug, "%c", *p);
    else if(slug.data && slug.data[slug.len - 1] != '-')
      bad |= hs_buf_puts(&slug, "-");
  }
  while(slug.len && slug.data[slug.len - 1] == '-')
    slug.data[--slug.len] = 0;
  bad |= hs_buf_printf(&path, "%s/%03u-%s.http", dir, n, hs_buf_str(&slug));
  hs_buf_free(&slug);
  if(bad) {
    hs_buf_free(&path);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  f = fopen(path.data, "wb");
  if(!f) {
    hs_err_set(err, HS_E_IO, "%s: cannot write: %s", path.data,
               strerror(errno));
    hs_buf_free(&path);
    return HS_E_IO;
  }
  if(ex->body_withheld)
    fputs("# The request body is not recorded: the connector flagged it\n"
          "# HRSYNC_HTTP_SENSITIVE_BODY (it carries a credential).\n",
          f);
  fprintf(f, "%s %s\n", ex->method, ex->path);
  if(ex->body_equals)
    fprintf(f, "Body: %s\n", ex->body_equals);
  if(ex->body_contains)
    fprintf(f, "Body-Contains: %s\n", ex->body_contains);
  fprintf(f, "\nHTTP %u\n", ex->status);
  for(i = 0; i < ex->n_headers; i++)
    fprintf(f, "%s: %s\n", ex->headers[i].name, ex->headers[i].value);
  fputs("\n", f);
  fwrite(ex->body, 1, ex->body_len, f);
  if(fclose(f)) {
    hs_err_set(err, HS_E_IO, "%s: write error", path.data);
    hs_buf_free(&path);
    return HS_E_IO;
  }
  hs_buf_free(&path);
  return HS_OK;
}

static json_object *kv_object(const hrsync_kv *kv, size_t n)
{
  json_object *o = json_object_new_object();
  size_t i;
  for(i = 0; o && i < n; i++)
    json_object_object_add(o, kv[i].name, json_object_new_string(kv[i].value));
  return o;
}

hs_rc hs_fixture_write_settings(const char *dir, const hs_fixture_set *fx,
                                hs_err *err)
{
  json_object *root = json_object_new_object(), *w = NULL;
  hs_buf path = HS_BUF_INIT;
  const char *text;
  hs_rc rc = HS_OK;
  FILE *f;
  size_t i;

  if(root && fx->n_wanted)
    w = json_object_new_array();
  for(i = 0; w && i < fx->n_wanted; i++)
    json_object_array_add(w, json_object_new_string(fx->wanted[i]));
  if(!root || hs_buf_printf(&path, "%s/settings.json", dir)) {
    json_object_put(root);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  json_object_object_add(root, "settings",
                         kv_object(fx->settings, fx->n_settings));
  json_object_object_add(root, "secrets",
                         kv_object(fx->secrets, fx->n_secrets));
  if(w)
    json_object_object_add(root, "wanted_fields", w);
  if(fx->max_pages)
    json_object_object_add(root, "max_pages",
                           json_object_new_int64(fx->max_pages));
  text = json_object_to_json_string_ext(
      root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
  f = fopen(path.data, "wb");
  if(!f)
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write: %s", path.data,
                    strerror(errno));
  else {
    fprintf(f, "%s\n", text);
    if(fclose(f))
      rc = hs_err_set(err, HS_E_IO, "%s: write error", path.data);
  }
  json_object_put(root);
  hs_buf_free(&path);
  return rc;
}
