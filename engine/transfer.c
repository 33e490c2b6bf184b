/*
** Registry import: a file read as a table, checked whole against the
** registry, then applied as a plan in one transaction.
*/
#include "transfer.h"

#include "runlog.h"

#include "buf.h"
#include "csv.h"
#include "stakeholder.h"
#include "textenc.h"
#include "xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
  return hs_buf_append(b, "", 0) ? hs_err_set(err, HS_E_NOMEM, "out of memory")
                                 : HS_OK;
}

/* The text of a CSV file as UTF-8: checked, or converted from the
** encoding the user named (UTF-16 with its BOM, Excel's "Unicode text",
** is recognised without one). */
static hs_rc csv_text(const char *path, const hs_import_opts *o, hs_buf *raw,
                      hs_buf *text, hs_err *err)
{
  const char *enc = o ? o->encoding : NULL;
  size_t ok;
  hs_rc rc;
  if(!enc && raw->len >= 2 && !memcmp(raw->data, "\xFF\xFE", 2))
    enc = "UTF-16";
  if(enc) {
    if((rc = hs_text_to_utf8(raw->data, raw->len, enc, path, text, err)))
      return rc;
  }
  else {
    *text = *raw;
    memset(raw, 0, sizeof(*raw));
  }
  ok = hs_text_utf8_valid(text->data ? text->data : "", text->len);
  if(ok == text->len)
    return HS_OK;
  if(!text->data[ok])
    return hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu: a NUL byte (not a text file?)", path,
                      hs_text_line_of(text->data, ok));
  return hs_err_set(err, HS_E_PARSE,
                    "%s: line %zu: not UTF-8 (byte 0x%02X); save it as \"CSV "
                    "UTF-8\", or name its encoding: --encoding cp1252",
                    path, hs_text_line_of(text->data, ok),
                    (unsigned)(unsigned char)text->data[ok]);
}

hs_rc hs_import_read(const char *path, const hs_import_opts *o, hs_csv *out,
                     hs_err *err)
{
  hs_buf raw = HS_BUF_INIT, text = HS_BUF_INIT;
  hs_rc rc;
  memset(out, 0, sizeof(*out));
  if((rc = read_all(path, &raw, err)))
    goto out;
  if(raw.len >= 4 && !memcmp(raw.data, "PK\x03\x04", 4)) {
    rc = hs_xlsx_read(path, o ? o->sheet : NULL, out, err);
    goto out;
  }
  if(raw.len >= 4 && !memcmp(raw.data, "\xD0\xCF\x11\xE0", 4)) {
    rc = hs_err_set(err, HS_E_PARSE,
                    "%s: an old Excel .xls workbook; save it as .xlsx or as "
                    "\"CSV UTF-8\"",
                    path);
    goto out;
  }
  if(o && o->sheet) {
    rc = hs_err_set(err, HS_E_USAGE, "%s: --sheet is for XLSX files", path);
    goto out;
  }
  if(!(rc = csv_text(path, o, &raw, &text, err)))
    rc = hs_csv_parse(hs_buf_str(&text), text.len, path, out, err);
out:
  hs_buf_free(&raw);
  hs_buf_free(&text);
  return rc;
}

/* Writes plan's creates and updates (inside the transaction). */
static hs_rc apply_plan(hs_store *st, hs_plan *plan, hs_err *err)
{
  size_t i, k;
  hs_rc rc = HS_OK;
  for(i = 0; i < plan->n && !rc; i++) {
    hs_plan_item *it = &plan->items[i];
    hs_change ch[HS_ITEM_MAX_CHANGES];
    size_t n = hs_item_changes(it, ch);
    if(it->action == HS_ACT_CREATE) {
      hs_sh sh;
      memset(&sh, 0, sizeof(sh));
      for(k = 0; k < n; k++)
        sh.v[ch[k].field] = ch[k].after;
      rc = hs_store_insert(st, &sh, err);
      it->sh_id = sh.id; /* the strings stay the plan's */
    }
    else if(it->action == HS_ACT_UPDATE)
      for(k = 0; k < n && !rc; k++)
        rc = hs_store_set(st, it->sh_id, ch[k].field, ch[k].after, err);
    if(rc)
      hs_err_prefix(err, "stakeholder %s", it->name ? it->name : "?");
  }
  return rc;
}

/* The import as a run of the history (kind import, source the file's
** name): one item per created or updated stakeholder, so `runs undo`
** reverts it like a sync. A create logs every value the row has, and the
** type the store gave it. */
static hs_rc log_import(hs_store *st, const char *path, const hs_plan *plan,
                        hs_err *err)
{
  hs_run_info info;
  hs_runlog *rl = NULL;
  hs_change v[HS_SF_COUNT], ch[HS_ITEM_MAX_CHANGES];
  size_t i, k, n, nch;
  hs_rc rc;
  memset(&info, 0, sizeof(info));
  info.kind = HS_RUN_IMPORT;
  info.source = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  if((rc = hs_runlog_begin(st, &info, &rl, err)))
    return rc;
  for(i = 0; i < plan->n && !rc; i++) {
    const hs_plan_item *it = &plan->items[i];
    int typed = 0;
    if(it->action == HS_ACT_UPDATE)
      rc = hs_runlog_plan_item(rl, it, it->sh_id, err);
    if(it->action != HS_ACT_CREATE || rc)
      continue;
    nch = hs_item_changes(it, ch);
    for(k = n = 0; k < nch && n < HS_SF_COUNT; k++) {
      v[n] = ch[k];
      typed |= v[n++].field == HS_SF_TYPE;
    }
    if(!typed && n < HS_SF_COUNT) {
      v[n].field = HS_SF_TYPE;
      v[n].before = NULL;
      v[n++].after = (char *)HS_TYPE_PERSON;
    }
    rc = hs_runlog_item(rl, "create", it->sh_id, it->hris_id, it->name, NULL,
                        v, n, err);
  }
  if(rc) {
    hs_runlog_free(rl);
    return rc;
  }
  return hs_runlog_end(rl, plan->counts, 0, err);
}

/* Reads and checks the file against the registry as it is in st (NULL:
** empty). */
static hs_rc plan_import(hs_store *st, hs_csv *table, const char *path,
                         hs_plan *plan, hs_problems *probs, hs_err *err)
{
  hs_registry reg = {0};
  const char *unit = table->delim ? "line" : "row";
  hs_rc rc;
  hs_plan_clear(plan);
  hs_problems_clear(probs);
  if((rc = hs_store_load(st, &reg, err)))
    return rc;
  rc = hs_import_check(table, &reg, path, unit, plan, probs, err);
  hs_registry_clear(&reg);
  if(!rc && probs->total)
    rc = hs_err_set(err, HS_E_PARSE, "%s: %zu problem%s; nothing imported",
                    path, probs->total, probs->total == 1 ? "" : "s");
  return rc;
}

hs_rc hs_import(const char *db_path, const char *path, const hs_import_opts *o,
                hs_plan *plan, hs_problems *probs, hs_err *err)
{
  hs_csv table = {NULL, 0, 0};
  hs_store *st = NULL;
  hs_plan again;
  hs_rc rc;
  memset(plan, 0, sizeof(*plan));
  memset(probs, 0, sizeof(*probs));
  memset(&again, 0, sizeof(again));
  if((rc = hs_import_read(path, o, &table, err)))
    goto out;
  /* Checked against the registry read-only first: a bad file, or a dry
  ** run, never creates or touches the store. */
  if((rc = hs_store_open(db_path, HS_STORE_READ, &st, err)) ||
     (rc = plan_import(st, &table, path, plan, probs, err)))
    goto out;
  hs_store_close(st);
  st = NULL;
  if((o && o->dry_run) ||
     !(plan->counts[HS_ACT_CREATE] + plan->counts[HS_ACT_UPDATE]))
    goto out;
  if((rc = hs_store_open(db_path, HS_STORE_WRITE, &st, err)))
    goto out;
  if((rc = hs_store_begin(st, err)))
    goto out;
  /* Planned again inside the transaction: what another writer did in
  ** between is seen, and checked like the rest. */
  if((rc = plan_import(st, &table, path, &again, probs, err)) ||
     (rc = apply_plan(st, &again, err)) ||
     (rc = log_import(st, path, &again, err)) ||
     (rc = hs_store_commit(st, err)))
    goto out;
  hs_plan_clear(plan);
  *plan = again;
  memset(&again, 0, sizeof(again));
out:
  if(rc && st)
    hs_store_rollback(st);
  /* A new store appears only with the import committed in it (see
  ** hs_store_open): a failed import leaves no file to remove. */
  hs_store_close(st);
  hs_plan_clear(&again);
  hs_csv_free(&table);
  return rc;
}
