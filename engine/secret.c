/*
** Secret references: env:, file:, literal.
*/
#include "secret.h"

#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int hs_secret_is_literal(const char *ref)
{
  return strncmp(ref, "env:", 4) && strncmp(ref, "file:", 5);
}

static hs_rc read_file(const char *path, const char *key, char **out,
                       hs_err *err)
{
  struct stat st;
  hs_buf b = HS_BUF_INIT;
  char chunk[4096];
  size_t n;
  FILE *f = fopen(path, "rb");
  if(!f)
    return hs_err_set(err, HS_E_CONFIG, "%s: cannot read secret file %s: %s",
                      key, path, strerror(errno));
  if(fstat(fileno(f), &st) || (st.st_mode & 077)) {
    fclose(f);
    return hs_err_set(err, HS_E_CONFIG,
                      "%s: secret file %s is readable by group or others; "
                      "run chmod 600 %s",
                      key, path, path);
  }
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    if(hs_buf_append(&b, chunk, n)) {
      fclose(f);
      hs_buf_free(&b);
      return hs_err_set(err, HS_E_NOMEM, "%s: out of memory", key);
    }
  fclose(f);
  while(b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
    b.data[--b.len] = 0;
  if(!b.len) {
    hs_buf_free(&b);
    return hs_err_set(err, HS_E_CONFIG, "%s: secret file %s is empty", key,
                      path);
  }
  *out = hs_buf_steal(&b);
  return *out ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}

hs_rc hs_secret_resolve(const char *ref, const char *key, const char *base_dir,
                        char **out, hs_err *err)
{
  *out = NULL;
  if(!strncmp(ref, "env:", 4)) {
    const char *v = getenv(ref + 4);
    if(!ref[4])
      return hs_err_set(err, HS_E_CONFIG, "%s: \"env:\" needs a name", key);
    if(!v || !*v)
      return hs_err_set(err, HS_E_CONFIG,
                        "%s: environment variable %s is not set", key,
                        ref + 4);
    *out = strdup(v);
  }
  else if(!strncmp(ref, "file:", 5)) {
    hs_buf path = HS_BUF_INIT;
    hs_rc rc;
    if(!ref[5])
      return hs_err_set(err, HS_E_CONFIG, "%s: \"file:\" needs a path", key);
    if(ref[5] != '/' && base_dir && hs_buf_printf(&path, "%s/", base_dir))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    if(hs_buf_puts(&path, ref + 5)) {
      hs_buf_free(&path);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
    rc = read_file(hs_buf_str(&path), key, out, err);
    hs_buf_free(&path);
    return rc;
  }
  else
    *out = strdup(ref);
  return *out ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}
