/*
** Registry export: CSV (RFC 4180, for scripts and stdout) or XLSX (for
** people), never silently replacing a file.
*/
#include "transfer.h"

#include "csv.h"
#include "stakeholder.h"
#include "xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int in_group(const char *groups, const char *g)
{
  size_t n = strlen(g);
  const char *p = groups;
  while(p && *p) {
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if(len == n && !memcmp(p, g, n))
      return 1;
    p = end ? end + 1 : NULL;
  }
  return 0;
}

void hs_registry_keep_group(hs_registry *reg, const char *group)
{
  size_t i, k = 0;
  for(i = 0; i < reg->n; i++) {
    if(in_group(reg->items[i].v[HS_SF_GROUPS], group))
      reg->items[k++] = reg->items[i];
    else if(!reg->strings) /* an arena's strings go with the arena */
      hs_sh_clear(&reg->items[i]);
  }
  reg->n = k;
}

static hs_rc load(hs_store *st, const hs_export_opts *o, hs_registry *reg,
                  hs_err *err)
{
  hs_rc rc = hs_store_load(st, reg, err);
  if(!rc && o && o->group)
    hs_registry_keep_group(reg, o->group);
  return rc;
}

static int render_csv(const hs_registry *reg, hs_buf *out)
{
  size_t i;
  int f, bad = hs_buf_puts(out, "id");
  for(f = 0; f < HS_SF_COUNT; f++)
    bad |= hs_buf_printf(out, ",%s", hs_sf_name(f));
  bad |= hs_buf_puts(out, "\r\n");
  for(i = 0; i < reg->n && !bad; i++) {
    bad |= hs_buf_printf(out, "%lld", reg->items[i].id);
    for(f = 0; f < HS_SF_COUNT; f++)
      bad |= hs_buf_puts(out, ",") | hs_csv_put(out, reg->items[i].v[f]);
    bad |= hs_buf_puts(out, "\r\n");
  }
  return bad;
}

hs_rc hs_export_csv_text(hs_store *st, const hs_export_opts *o, hs_buf *out,
                         size_t *count, hs_err *err)
{
  hs_registry reg;
  hs_rc rc;
  if((rc = load(st, o, &reg, err)))
    return rc;
  *count = reg.n;
  if(render_csv(&reg, out))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  hs_registry_clear(&reg);
  return rc;
}

static int ends_with(const char *s, const char *sfx)
{
  size_t n = strlen(s), k = strlen(sfx);
  return n >= k && !strcasecmp(s + n - k, sfx);
}

static hs_rc write_xlsx(const hs_registry *reg, const char *tmp, hs_err *err)
{
  const char *header[HS_SF_COUNT + 1];
  int kinds[HS_SF_COUNT + 1];
  size_t ncols = HS_SF_COUNT + 1, i;
  const char **cells = calloc(reg->n * ncols + 1, sizeof(char *));
  char *ids = malloc(reg->n * 24 + 1);
  int f;
  hs_rc rc;
  if(!cells || !ids) {
    free(cells);
    free(ids);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  header[0] = "id";
  kinds[0] = HS_XLSX_NUMBER;
  for(f = 0; f < HS_SF_COUNT; f++) {
    header[f + 1] = hs_sf_name(f);
    kinds[f + 1] = hs_sf_is_date(f) ? HS_XLSX_DATE : HS_XLSX_TEXT;
  }
  for(i = 0; i < reg->n; i++) {
    snprintf(ids + i * 24, 24, "%lld", reg->items[i].id);
    cells[i * ncols] = ids + i * 24;
    for(f = 0; f < HS_SF_COUNT; f++)
      cells[i * ncols + 1 + (size_t)f] = reg->items[i].v[f];
  }
  rc = hs_xlsx_write(tmp, header, kinds, ncols, cells, reg->n, err);
  free(cells);
  free(ids);
  return rc;
}

static hs_rc write_csv(const hs_registry *reg, const char *tmp, hs_err *err)
{
  hs_buf out = HS_BUF_INIT;
  FILE *f;
  hs_rc rc = HS_OK;
  if(render_csv(reg, &out)) {
    hs_buf_free(&out);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  if(!(f = fopen(tmp, "wb")) || fwrite(out.data, 1, out.len, f) != out.len ||
     fflush(f) || fsync(fileno(f)))
    rc =
        hs_err_set(err, HS_E_IO, "%s: cannot write: %s", tmp, strerror(errno));
  if(f && fclose(f) && !rc)
    rc =
        hs_err_set(err, HS_E_IO, "%s: cannot write: %s", tmp, strerror(errno));
  hs_buf_free(&out);
  return rc;
}

/* Puts the finished tmp file at path: link() fails on an existing file,
** so a file that appeared meanwhile is not replaced either. */
static hs_rc put_in_place(const char *tmp, const char *path, int force,
                          hs_err *err)
{
  int r = force ? rename(tmp, path) : link(tmp, path);
  struct stat sb;
  if(r && !force && errno != EEXIST && stat(path, &sb)) {
    /* No hard links here (a FAT or SMB share): checked, then renamed. */
    force = 1;
    r = rename(tmp, path);
  }
  if(r)
    return hs_err_set(err, errno == EEXIST ? HS_E_USAGE : HS_E_IO,
                      errno == EEXIST
                          ? "%s: already exists (use --force to replace it)"
                          : "%s: cannot write: %s",
                      path, strerror(errno));
  if(!force)
    unlink(tmp);
  return HS_OK;
}

hs_rc hs_export_file(hs_store *st, const char *path, const hs_export_opts *o,
                     size_t *count, hs_err *err)
{
  hs_registry reg;
  hs_buf tmp = HS_BUF_INIT;
  int force = o && o->force, fd;
  struct stat sb;
  hs_rc rc;
  if(!ends_with(path, ".xlsx") && !ends_with(path, ".csv"))
    return hs_err_set(err, HS_E_USAGE,
                      "%s: name it .xlsx (Excel) or .csv, or - for stdout",
                      path);
  if(!force && !stat(path, &sb))
    return hs_err_set(err, HS_E_USAGE,
                      "%s: already exists (use --force to replace it)", path);
  if((rc = load(st, o, &reg, err)))
    return rc;
  *count = reg.n;
  if(hs_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid())) {
    hs_registry_clear(&reg);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  /* Personal data: private from the first byte. */
  fd = open(hs_buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if(fd < 0)
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write: %s", path,
                    strerror(errno));
  else {
    close(fd);
    rc = ends_with(path, ".xlsx") ? write_xlsx(&reg, hs_buf_str(&tmp), err)
                                  : write_csv(&reg, hs_buf_str(&tmp), err);
    if(!rc && chmod(hs_buf_str(&tmp), 0600))
      rc = hs_err_set(err, HS_E_IO, "%s: %s", path, strerror(errno));
    if(!rc)
      rc = put_in_place(hs_buf_str(&tmp), path, force, err);
    if(rc)
      unlink(hs_buf_str(&tmp));
  }
  hs_registry_clear(&reg);
  hs_buf_free(&tmp);
  return rc;
}
