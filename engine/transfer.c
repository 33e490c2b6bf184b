/*
** CSV export and import of the registry.
*/
#include "transfer.h"

#include "buf.h"
#include "csv.h"
#include "normalise.h"
#include "runlog.h"
#include "stakeholder.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COL_ID (-2)

hs_rc hs_export_csv(hs_store *st, const char *path, hs_err *err)
{
  hs_registry reg;
  hs_buf out = HS_BUF_INIT, tmp = HS_BUF_INIT;
  size_t i;
  int f, fd, bad = 0;
  hs_rc rc;
  if((rc = hs_store_load(st, &reg, err)))
    return rc;
  bad |= hs_buf_puts(&out, "id");
  for(f = 0; f < HS_SF_COUNT; f++)
    bad |= hs_buf_printf(&out, ",%s", hs_sf_name(f));
  bad |= hs_buf_puts(&out, "\r\n");
  for(i = 0; i < reg.n && !bad; i++) {
    bad |= hs_buf_printf(&out, "%lld", reg.items[i].id);
    for(f = 0; f < HS_SF_COUNT; f++)
      bad |= hs_buf_puts(&out, ",") | hs_csv_put(&out, reg.items[i].v[f]);
    bad |= hs_buf_puts(&out, "\r\n");
  }
  hs_registry_clear(&reg);
  bad |= hs_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
  if(bad) {
    hs_buf_free(&out);
    hs_buf_free(&tmp);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  /* Personal data: private, and complete before it replaces anything. */
  fd = open(hs_buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if(fd < 0 || write(fd, out.data, out.len) != (ssize_t)out.len || fsync(fd) ||
     close(fd) || rename(hs_buf_str(&tmp), path)) {
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write: %s", path,
                    strerror(errno));
    if(fd >= 0)
      unlink(hs_buf_str(&tmp));
  }
  hs_buf_free(&out);
  hs_buf_free(&tmp);
  return rc;
}

static hs_rc read_all(const char *path, hs_buf *b, hs_err *err)
{
  char chunk[8192];
  size_t n;
  FILE *f = fopen(path, "rb");
  if(!f)
    return hs_err_set(err, HS_E_USAGE, "%s: cannot read: %s", path,
                      strerror(errno));
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    if(hs_buf_append(b, chunk, n)) {
      fclose(f);
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
    }
  fclose(f);
  return HS_OK;
}

/* Columns of the header: COL_ID or an hs_sf per column. */
static hs_rc read_header(const hs_csv *csv, const char *path, int **cols,
                         hs_err *err)
{
  const hs_csv_row *h = &csv->rows[0];
  size_t i, j;
  if(!(*cols = calloc(h->n, sizeof(int))))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  for(i = 0; i < h->n; i++) {
    const char *name = h->cells[i];
    int c = !strcmp(name, "id") ? COL_ID : hs_sf_lookup(name);
    if(c == -1)
      return hs_err_set(err, HS_E_PARSE,
                        "%s: line 1, column %zu: unknown column \"%s\"", path,
                        i + 1, name);
    for(j = 0; j < i; j++)
      if((*cols)[j] == c)
        return hs_err_set(err, HS_E_PARSE,
                          "%s: line 1, column %zu: \"%s\" appears twice", path,
                          i + 1, name);
    (*cols)[i] = c;
  }
  return HS_OK;
}

/* Checks one cell and returns its stored form in *val (malloc'd, NULL
** for an empty cell). */
static hs_rc cell_value(const char *path, size_t line, int col,
                        const char *cell, char **val, hs_err *err)
{
  const char *name = col == COL_ID ? "id" : hs_sf_name(col);
  *val = NULL;
  if(!*cell)
    return HS_OK;
  if(hs_sf_is_date(col)) {
    char iso[11];
    if(hs_norm_date(cell, iso) || strcmp(iso, cell))
      return hs_err_set(err, HS_E_PARSE,
                        "%s: line %zu, column %s: \"%s\" is not a date "
                        "YYYY-MM-DD",
                        path, line, name, cell);
  }
  if(col == HS_SF_TYPE && strcmp(cell, HS_TYPE_PERSON) &&
     strcmp(cell, HS_TYPE_ENTITY))
    return hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu, column type: \"%s\"; expected %s or %s",
                      path, line, cell, HS_TYPE_PERSON, HS_TYPE_ENTITY);
  if(col == HS_SF_GROUPS) {
    /* Sorted and deduplicated, as the store keeps them. */
    const char *p = cell;
    while(*p) {
      const char *end = strchr(p, ';');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      char *g = strndup(p, len);
      if(!g || (len && hs_groups_add(val, g) < 0)) {
        free(g);
        return hs_err_set(err, HS_E_NOMEM, "out of memory");
      }
      free(g);
      p += len;
      if(*p)
        p++;
    }
    return HS_OK;
  }
  *val = strdup(cell);
  return *val ? HS_OK : hs_err_set(err, HS_E_NOMEM, "out of memory");
}

static int differs(const char *a, const char *b)
{
  if(!a || !b)
    return a != b;
  return strcmp(a, b) != 0;
}

static const hs_sh *find_id(const hs_registry *reg, long long id)
{
  size_t lo = 0, hi = reg->n;
  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(reg->items[mid].id == id)
      return &reg->items[mid];
    if(reg->items[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

static hs_rc import_row(hs_store *st, hs_runlog *rl, const hs_registry *reg,
                        const hs_csv_row *row, const int *cols, size_t ncols,
                        const char *path, hs_import_stats *stats, hs_err *err)
{
  hs_change log[HS_SF_COUNT]; /* borrowed values, for the run log */
  size_t nlog = 0;
  hs_sh sh;
  const hs_sh *cur = NULL;
  long long id = 0;
  size_t i;
  int changed = 0;
  hs_rc rc = HS_OK;
  memset(&sh, 0, sizeof(sh));
  if(row->n != ncols)
    return hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu: %zu columns, the header has %zu", path,
                      row->line, row->n, ncols);
  for(i = 0; i < ncols; i++) {
    if(cols[i] == COL_ID) {
      char *end;
      if(!row->cells[i][0])
        continue;
      id = strtoll(row->cells[i], &end, 10);
      if(*end || id <= 0)
        return hs_err_set(err, HS_E_PARSE,
                          "%s: line %zu, column id: \"%s\" is not an id", path,
                          row->line, row->cells[i]);
      if(!(cur = find_id(reg, id)))
        return hs_err_set(err, HS_E_PARSE,
                          "%s: line %zu, column id: no stakeholder %lld", path,
                          row->line, id);
    }
  }
  for(i = 0; i < ncols && !rc; i++)
    if(cols[i] != COL_ID)
      rc = cell_value(path, row->line, cols[i], row->cells[i], &sh.v[cols[i]],
                      err);
  if(rc)
    goto out;
  if(cur) {
    for(i = 0; i < ncols; i++)
      if(cols[i] == HS_SF_NAME && !sh.v[HS_SF_NAME]) {
        rc = hs_err_set(err, HS_E_PARSE,
                        "%s: line %zu, column name: a stakeholder needs a "
                        "name",
                        path, row->line);
        goto out;
      }
    for(i = 0; i < ncols && !rc; i++) {
      int f = cols[i];
      if(f == COL_ID || !differs(cur->v[f], sh.v[f]))
        continue;
      if(f == HS_SF_TYPE && !sh.v[f])
        continue; /* an empty type keeps the current one */
      changed = 1;
      log[nlog].field = f;
      log[nlog].before = cur->v[f];
      log[nlog++].after = sh.v[f];
      if((rc = hs_store_set(st, id, f, sh.v[f], err)))
        hs_err_prefix(err, "%s: line %zu, column %s", path, row->line,
                      hs_sf_name(f));
    }
    if(!rc && changed)
      rc = hs_runlog_item(rl, "update", id, cur->v[HS_SF_HRIS_ID],
                          cur->v[HS_SF_NAME], NULL, log, nlog, err);
    if(!rc)
      *(changed ? &stats->updated : &stats->unchanged) += 1;
    goto out;
  }
  if(!sh.v[HS_SF_NAME] && !(sh.v[HS_SF_NAME] = hs_sh_format_name(
                                sh.v[HS_SF_FIRST_NAME], sh.v[HS_SF_LAST_NAME],
                                HS_NAME_FIRST_LAST))) {
    rc = hs_err_set(err, HS_E_PARSE,
                    "%s: line %zu, column name: a new stakeholder needs a "
                    "name, first_name or last_name",
                    path, row->line);
    goto out;
  }
  if((rc = hs_store_insert(st, &sh, err)))
    hs_err_prefix(err, "%s: line %zu", path, row->line);
  else {
    int f;
    stats->created++;
    for(f = 0; f < HS_SF_COUNT; f++)
      if(sh.v[f] || f == HS_SF_TYPE) {
        log[nlog].field = f;
        log[nlog].before = NULL;
        log[nlog++].after = sh.v[f] ? sh.v[f] : HS_TYPE_PERSON;
      }
    rc = hs_runlog_item(rl, "create", sh.id, sh.v[HS_SF_HRIS_ID],
                        sh.v[HS_SF_NAME], NULL, log, nlog, err);
  }
out:
  hs_sh_clear(&sh);
  return rc;
}

static void remove_store(const char *db_path)
{
  static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
  hs_buf b = HS_BUF_INIT;
  size_t i;
  for(i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
    hs_buf_reset(&b);
    if(!hs_buf_printf(&b, "%s%s", db_path, sfx[i]))
      unlink(hs_buf_str(&b));
  }
  hs_buf_free(&b);
}

hs_rc hs_import_csv(const char *db_path, const char *path,
                    hs_import_stats *stats, hs_err *err)
{
  hs_buf text = HS_BUF_INIT;
  hs_csv csv = {NULL, 0};
  hs_store *st = NULL;
  hs_registry reg = {NULL, 0, {0}};
  hs_runlog *rl = NULL;
  hs_run_info info;
  int *cols = NULL, created = 0;
  size_t i, counts[HS_ACT_COUNT] = {0};
  hs_rc rc;
  memset(stats, 0, sizeof(*stats));
  /* Everything that can be checked without the store is, before it is
  ** opened: a bad file never creates a store. */
  if((rc = read_all(path, &text, err)) ||
     (rc = hs_csv_parse(hs_buf_str(&text), text.len, path, &csv, err)))
    goto out;
  if(!csv.n) {
    rc = hs_err_set(err, HS_E_PARSE, "%s: empty file (no header)", path);
    goto out;
  }
  if((rc = read_header(&csv, path, &cols, err)))
    goto out;
  for(i = 1; i < csv.n; i++)
    if(csv.rows[i].n != csv.rows[0].n) {
      rc = hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu: %zu columns, the header has %zu", path,
                      csv.rows[i].line, csv.rows[i].n, csv.rows[0].n);
      goto out;
    }
  if((rc = hs_store_open(db_path, HS_STORE_WRITE, &st, err)))
    goto out;
  created = hs_store_created(st);
  if((rc = hs_store_begin(st, err)))
    goto out;
  if((rc = hs_store_load(st, &reg, err)))
    goto out;
  /* An import is a run of the history, like a sync (undo can revert it). */
  memset(&info, 0, sizeof(info));
  info.kind = HS_RUN_IMPORT;
  info.source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  if((rc = hs_runlog_begin(st, &info, &rl, err)))
    goto out;
  stats->run = hs_runlog_id(rl);
  for(i = 1; i < csv.n && !rc; i++)
    rc = import_row(st, rl, &reg, &csv.rows[i], cols, csv.rows[0].n, path,
                    stats, err);
  counts[HS_ACT_CREATE] = stats->created;
  counts[HS_ACT_UPDATE] = stats->updated;
  counts[HS_ACT_UNCHANGED] = stats->unchanged;
  if(!rc) {
    rc = hs_runlog_end(rl, counts, 0, err);
    rl = NULL;
  }
  if(!rc)
    rc = hs_store_commit(st, err);
out:
  hs_runlog_free(rl);
  if(rc)
    hs_store_rollback(st);
  hs_store_close(st);
  if(rc && created)
    remove_store(db_path);
  hs_registry_clear(&reg);
  free(cols);
  hs_csv_free(&csv);
  hs_buf_free(&text);
  return rc;
}
