/*
** Plans to and from JSON.
*/
#include "planfile.h"

#include <json-c/json.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int json_opt(hs_buf *b, const char *s)
{
  return s ? hs_buf_json_str(b, s) : hs_buf_puts(b, "null");
}

static int item_json(const hs_plan_item *it, hs_buf *b)
{
  hs_change ch[HS_ITEM_MAX_CHANGES];
  size_t i, n = hs_item_changes(it, ch);
  if(hs_buf_printf(
         b, "{\"action\":\"%s\",\"hris_id\":", hs_action_name(it->action)) ||
     json_opt(b, it->hris_id) || hs_buf_puts(b, ",\"stakeholder_id\":"))
    return -1;
  if(it->sh_id ? hs_buf_printf(b, "%lld", it->sh_id) : hs_buf_puts(b, "null"))
    return -1;
  if(hs_buf_puts(b, ",\"name\":") || json_opt(b, it->name) ||
     hs_buf_puts(b, ",\"reason\":") || json_opt(b, it->reason) ||
     hs_buf_puts(b, ",\"fields\":{"))
    return -1;
  for(i = 0; i < n; i++) {
    const hs_change *c = &ch[i];
    if((i && hs_buf_puts(b, ",")) ||
       hs_buf_json_str(b, hs_sf_name(c->field)) ||
       hs_buf_puts(b, ":{\"before\":") || json_opt(b, c->before) ||
       hs_buf_puts(b, ",\"after\":") || json_opt(b, c->after) ||
       hs_buf_puts(b, "}"))
      return -1;
  }
  if(hs_buf_puts(b, "}"))
    return -1;
  if(it->note &&
     (hs_buf_puts(b, ",\"note\":") || hs_buf_json_str(b, it->note)))
    return -1;
  if(it->n_kept) {
    if(hs_buf_puts(b, ",\"kept\":{"))
      return -1;
    for(i = 0; i < it->n_kept; i++)
      if((i && hs_buf_puts(b, ",")) ||
         hs_buf_json_str(b, hs_sf_name(it->kept[i].field)) ||
         hs_buf_puts(b, ":") || json_opt(b, it->kept[i].before))
        return -1;
    if(hs_buf_puts(b, "}"))
      return -1;
  }
  return hs_buf_puts(b, "}");
}

static int warnings_json(const hs_plan *plan, hs_buf *b)
{
  size_t i;
  if(hs_buf_puts(b, ",\"warnings\":["))
    return -1;
  for(i = 0; i < plan->n_warnings; i++)
    if((i && hs_buf_puts(b, ",")) || hs_buf_puts(b, "\n{\"code\":") ||
       hs_buf_json_str(b, plan->warnings[i].code) ||
       hs_buf_puts(b, ",\"message\":") ||
       hs_buf_json_str(b, plan->warnings[i].message) || hs_buf_puts(b, "}"))
      return -1;
  return hs_buf_puts(b, "]");
}

hs_rc hs_plan_to_json(const hs_plan *plan, int with_meta, hs_buf *out,
                      hs_err *err)
{
  size_t i;
  int a, first = 1;
  if(hs_buf_puts(out, "{\"summary\":{"))
    goto nomem;
  for(a = 0; a < HS_ACT_COUNT; a++)
    if(hs_buf_printf(out, "%s\"%s\":%zu", a ? "," : "", hs_action_name(a),
                     plan->counts[a]))
      goto nomem;
  if(hs_buf_puts(out, "}") || warnings_json(plan, out))
    goto nomem;
  if(with_meta & 2) /* summary only */
    return hs_buf_puts(out, "}\n")
               ? hs_err_set(err, HS_E_NOMEM, "out of memory")
               : HS_OK;
  if(hs_buf_puts(out, ",\"changes\":["))
    goto nomem;
  for(i = 0; i < plan->n; i++) {
    const hs_plan_item *it = &plan->items[i];
    if(it->action == HS_ACT_UNCHANGED && !it->note && !it->n_kept)
      continue;
    if((!first && hs_buf_puts(out, ",\n")) ||
       (first && hs_buf_puts(out, "\n")) || item_json(&plan->items[i], out))
      goto nomem;
    first = 0;
  }
  if(hs_buf_puts(out, "]"))
    goto nomem;
  if((with_meta & 1) &&
     (hs_buf_printf(out,
                    ",\n\"plan\":{\"version\":1,\"fingerprint\":\"%s\","
                    "\"config_digest\":\"%s\",\"records\":%zu,"
                    "\"registry\":%zu,\"synced\":%zu,\"left_known\":%zu,"
                    "\"connector\":",
                    plan->fingerprint, plan->config_digest, plan->records,
                    plan->registry, plan->synced, plan->left_known) ||
      json_opt(out, plan->connector) || hs_buf_puts(out, "}")))
    goto nomem;
  if(hs_buf_puts(out, "}\n"))
    goto nomem;
  return HS_OK;
nomem:
  return hs_err_set(err, HS_E_NOMEM, "out of memory");
}

hs_rc hs_planfile_save(const hs_plan *plan, const char *path, hs_err *err)
{
  hs_buf json = HS_BUF_INIT, tmp = HS_BUF_INIT;
  hs_rc rc;
  int fd;
  if((rc = hs_plan_to_json(plan, 1, &json, err)))
    return rc;
  if(hs_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid())) {
    hs_buf_free(&json);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  fd = open(hs_buf_str(&tmp), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if(fd < 0) {
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write the plan: %s", path,
                    strerror(errno));
    goto out;
  }
  if(write(fd, json.data, json.len) != (ssize_t)json.len || fsync(fd)) {
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write the plan: %s", path,
                    strerror(errno));
    close(fd);
    unlink(hs_buf_str(&tmp));
    goto out;
  }
  close(fd);
  if(rename(hs_buf_str(&tmp), path)) {
    rc = hs_err_set(err, HS_E_IO, "%s: cannot write the plan: %s", path,
                    strerror(errno));
    unlink(hs_buf_str(&tmp));
  }
out:
  hs_buf_free(&json);
  hs_buf_free(&tmp);
  return rc;
}

static const char *opt_str(json_object *o, const char *key)
{
  json_object *v;
  if(!json_object_object_get_ex(o, key, &v) ||
     !json_object_is_type(v, json_type_string))
    return NULL;
  return json_object_get_string(v);
}

static hs_rc load_item(json_object *o, size_t idx, hs_plan *plan,
                       const char *path, hs_err *err)
{
  json_object *v, *fields;
  hs_plan_item *it;
  const char *s;
  int oom = 0;
  if(!json_object_is_type(o, json_type_object))
    return hs_err_set(err, HS_E_PARSE, "%s: changes[%zu]: not an object", path,
                      idx);
  if(!(it = hs_plan_push(plan)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  s = opt_str(o, "action");
  if(!s || (it->action = hs_action_parse(s)) < 0)
    return hs_err_set(err, HS_E_PARSE, "%s: changes[%zu].action: unknown",
                      path, idx);
  if(json_object_object_get_ex(o, "stakeholder_id", &v) &&
     json_object_is_type(v, json_type_int))
    it->sh_id = json_object_get_int64(v);
  if((s = opt_str(o, "hris_id")) && !(it->hris_id = strdup(s)))
    oom = 1;
  if((s = opt_str(o, "name")) && !(it->name = strdup(s)))
    oom = 1;
  if((s = opt_str(o, "reason")) && !(it->reason = strdup(s)))
    oom = 1;
  if((s = opt_str(o, "note")) && !(it->note = strdup(s)))
    oom = 1;
  if(oom)
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if((it->action == HS_ACT_UPDATE || it->action == HS_ACT_LEFT) &&
     it->sh_id <= 0)
    return hs_err_set(err, HS_E_PARSE,
                      "%s: changes[%zu].stakeholder_id: missing", path, idx);
  if(!json_object_object_get_ex(o, "fields", &fields))
    return HS_OK;
  if(!json_object_is_type(fields, json_type_object))
    return hs_err_set(err, HS_E_PARSE,
                      "%s: changes[%zu].fields: not an "
                      "object",
                      path, idx);
  json_object_object_foreach(fields, key, diff)
  {
    int f = hs_sf_lookup(key);
    json_object *b = NULL, *a = NULL;
    if(f < 0 || !json_object_is_type(diff, json_type_object))
      return hs_err_set(err, HS_E_PARSE,
                        "%s: changes[%zu].fields.%s: unknown field", path, idx,
                        key);
    json_object_object_get_ex(diff, "before", &b);
    json_object_object_get_ex(diff, "after", &a);
    if(hs_item_add_change(
           it, f,
           json_object_is_type(b, json_type_string) ? json_object_get_string(b)
                                                    : NULL,
           json_object_is_type(a, json_type_string) ? json_object_get_string(a)
                                                    : NULL))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  return HS_OK;
}

static size_t opt_size(json_object *o, const char *key)
{
  json_object *v;
  if(!json_object_object_get_ex(o, key, &v) ||
     !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
    return 0;
  return (size_t)json_object_get_int64(v);
}

/* Warnings come back with the plan, so `sync --plan --strict` sees them. */
static hs_rc load_warnings(json_object *root, const char *path, hs_plan *out,
                           hs_err *err)
{
  json_object *arr;
  size_t i, n;
  if(!json_object_object_get_ex(root, "warnings", &arr))
    return HS_OK;
  if(!json_object_is_type(arr, json_type_array))
    return hs_err_set(err, HS_E_PARSE, "%s: warnings: not a list", path);
  n = json_object_array_length(arr);
  for(i = 0; i < n; i++) {
    json_object *w = json_object_array_get_idx(arr, i);
    const char *code = opt_str(w, "code"), *msg = opt_str(w, "message");
    if(!code || !msg)
      return hs_err_set(err, HS_E_PARSE,
                        "%s: warnings[%zu]: expected code and message", path,
                        i);
    if(hs_plan_warn(out, code, "%s", msg))
      return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  return HS_OK;
}

static hs_rc load_root(json_object *root, const char *path, hs_plan *out,
                       hs_err *err)
{
  json_object *meta, *summary, *changes, *v;
  const char *fp, *digest, *conn;
  size_t i, n;
  hs_rc rc;
  if(!json_object_object_get_ex(root, "plan", &meta) ||
     !json_object_object_get_ex(meta, "version", &v) ||
     json_object_get_int(v) != 1 || !(fp = opt_str(meta, "fingerprint")) ||
     strlen(fp) != 64)
    return hs_err_set(err, HS_E_PARSE,
                      "%s: not a saved hrsync plan (no plan.version 1 "
                      "with a fingerprint)",
                      path);
  memcpy(out->fingerprint, fp, 65);
  out->records = opt_size(meta, "records");
  out->registry = opt_size(meta, "registry");
  out->synced = opt_size(meta, "synced");
  out->left_known = opt_size(meta, "left_known");
  if((rc = load_warnings(root, path, out, err)))
    return rc;
  if((digest = opt_str(meta, "config_digest")) && strlen(digest) == 64)
    memcpy(out->config_digest, digest, 65);
  if((conn = opt_str(meta, "connector")) && !(out->connector = strdup(conn)))
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  if(!json_object_object_get_ex(root, "changes", &changes) ||
     !json_object_is_type(changes, json_type_array))
    return hs_err_set(err, HS_E_PARSE, "%s: changes: missing", path);
  n = json_object_array_length(changes);
  for(i = 0; i < n; i++)
    if((rc = load_item(json_object_array_get_idx(changes, i), i, out, path,
                       err)))
      return rc;
  hs_plan_count(out);
  /* Unchanged items are not saved; their count is. */
  if(json_object_object_get_ex(root, "summary", &summary) &&
     json_object_object_get_ex(summary, hs_action_name(HS_ACT_UNCHANGED), &v))
    out->counts[HS_ACT_UNCHANGED] = (size_t)json_object_get_int64(v);
  return HS_OK;
}

hs_rc hs_planfile_load(const char *path, hs_plan *out, hs_err *err)
{
  json_object *root;
  hs_rc rc;
  FILE *f;
  int empty;
  memset(out, 0, sizeof(*out));
  /* Opened here first: json-c's own failure leaves errno as it was (a
  ** stale ENOENT from anywhere said "No such file" for /dev/null). */
  if(!(f = fopen(path, "r")))
    return hs_err_set(err, errno == ENOENT ? HS_E_USAGE : HS_E_IO,
                      "%s: cannot read the plan: %s", path, strerror(errno));
  empty = fgetc(f) == EOF;
  fclose(f);
  if(empty)
    return hs_err_set(err, HS_E_PARSE,
                      "%s: not a saved hrsync plan (an empty file)", path);
  if(!(root = json_object_from_file(path)))
    return hs_err_set(err, HS_E_PARSE,
                      "%s: not a saved hrsync plan (not valid JSON)", path);
  rc = load_root(root, path, out, err);
  json_object_put(root);
  if(rc)
    hs_plan_clear(out);
  return rc;
}
