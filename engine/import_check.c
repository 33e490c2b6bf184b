/*
** Import checks: every row and cell of an edited export against the
** registry, all problems collected (not just the first), then the plan.
*/
#include "transfer.h"

#include "normalise.h"
#include "stakeholder.h"
#include "strmap.h"
#include "suggest.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_ID   (-2)
#define COL_SKIP (-3) /* unknown or unnamed: already reported */

void hs_problems_clear(hs_problems *p)
{
  size_t i;
  for(i = 0; i < p->n; i++)
    free(p->msg[i]);
  memset(p, 0, sizeof(*p));
}

/* The context of one check: the file, its rows' word, the problems. */
typedef struct ctx {
  const char *path, *unit;
  hs_problems *probs;
  int nomem;
} ctx;

/* A message stays one line and cannot drive the terminal: a cell's
** control characters are shown as \xNN. */
static int put_escaped(hs_buf *b, const char *s)
{
  int bad = 0;
  for(; *s && !bad; s++) {
    unsigned char ch = (unsigned char)*s;
    bad = ch < 0x20 || ch == 0x7F ? hs_buf_printf(b, "\\x%02X", ch)
                                  : hs_buf_append(b, s, 1);
  }
  return bad;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void
problem(ctx *c, const char *fmt, ...)
{
  hs_buf b = HS_BUF_INIT;
  va_list ap;
  char line[1024];
  c->probs->total++;
  if(c->probs->n >= HS_IMPORT_PROBLEMS_MAX)
    return;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  if(hs_buf_printf(&b, "%s: ", c->path) || put_escaped(&b, line))
    c->nomem = 1;
  else
    c->probs->msg[c->probs->n++] = hs_buf_steal(&b);
}

/* Trims spaces, tabs, line breaks and no-break spaces (U+00A0, which
** spreadsheets paste) at both ends, in place (the text moves to the
** start of the buffer). */
static char *trim(char *buf)
{
  char *s = buf;
  size_t n;
  for(;;) {
    if(*s && isspace((unsigned char)*s))
      s++;
    else if(!strncmp(s, "\xC2\xA0", 2))
      s += 2;
    else
      break;
  }
  n = strlen(s);
  for(;;) {
    if(n && isspace((unsigned char)s[n - 1]))
      n--;
    else if(n >= 2 && !strncmp(s + n - 2, "\xC2\xA0", 2))
      n -= 2;
    else
      break;
  }
  memmove(buf, s, n);
  buf[n] = 0;
  return buf;
}

/* The columns an import knows, for "did you mean". */
static const char *column_name(void *arg, size_t i)
{
  (void)arg;
  if(i == 0)
    return "id";
  return i <= HS_SF_COUNT ? hs_sf_name((int)i - 1) : NULL;
}

/* Header: COL_ID, an hs_sf, or COL_SKIP per column. */
static int *read_header(ctx *c, const hs_csv_row *h)
{
  int *cols = calloc(h->n + 1, sizeof(int));
  size_t i, j;
  if(!cols)
    return NULL;
  for(i = 0; i < h->n; i++) {
    const char *title = h->cells[i];
    char *name = strdup(title), *p;
    int f;
    if(!name) {
      free(cols);
      return NULL;
    }
    /* "First Name" is first_name: people retitle columns. */
    for(p = name; *p; p++)
      *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    f = !strcmp(name, "id") ? COL_ID : hs_sf_lookup(name);
    cols[i] = f == -1 ? COL_SKIP : f;
    if(*name && f == -1) {
      const char *near = hs_suggest_nearest(name, column_name, NULL);
      problem(c, "%s %zu, column %zu: unknown column \"%s\"%s%s%s", c->unit,
              h->line, i + 1, title, near ? " (did you mean " : "",
              near ? near : "", near ? "?)" : "");
    }
    for(j = 0; *name && f != -1 && j < i; j++)
      if(cols[j] == f) {
        problem(c, "%s %zu, column %zu: \"%s\" appears twice", c->unit,
                h->line, i + 1, title);
        cols[i] = COL_SKIP;
      }
    /* An empty title is checked per row: a value needs a column name. */
    free(name);
  }
  return cols;
}

/* An address has one "@", something before it, a dot in the domain, and
** no spaces. */
static int email_shape(const char *s)
{
  const char *at = strchr(s, '@'), *dot;
  if(!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t,;<>"))
    return 0;
  dot = strrchr(at + 1, '.');
  return dot && dot > at + 1 && dot[1];
}

/* Checks one (trimmed, non-empty) cell and returns its stored form in
** *val (malloc'd); 0 when it is bad (reported) or on no memory. */
static int cell_value(ctx *c, size_t line, int f, const char *cell, char **val)
{
  const char *name = hs_sf_name(f);
  *val = NULL;
  if(hs_sf_is_date(f)) {
    char iso[11];
    if(hs_norm_date(cell, iso) || strcmp(iso, cell)) {
      problem(c, "%s %zu, column %s: \"%s\" is not a date YYYY-MM-DD", c->unit,
              line, name, cell);
      return 0;
    }
  }
  if(f == HS_SF_TYPE && strcmp(cell, HS_TYPE_PERSON) &&
     strcmp(cell, HS_TYPE_ENTITY)) {
    problem(c, "%s %zu, column type: \"%s\"; expected %s or %s", c->unit, line,
            cell, HS_TYPE_PERSON, HS_TYPE_ENTITY);
    return 0;
  }
  if(f == HS_SF_EMAIL && !email_shape(cell)) {
    problem(c, "%s %zu, column email: \"%s\" is not an email address", c->unit,
            line, cell);
    return 0;
  }
  if(f == HS_SF_GROUPS) {
    /* Sorted, trimmed and deduplicated, as the store keeps them. */
    const char *p = cell;
    while(*p) {
      const char *end = strchr(p, ';');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      char *g = strndup(p, len), *t = g ? trim(g) : NULL;
      if(!g || (*t && hs_groups_add(val, t) < 0)) {
        free(g);
        c->nomem = 1;
        return 0;
      }
      free(g);
      p += len;
      if(*p)
        p++;
    }
    return 1;
  }
  if(!(*val = strdup(cell)))
    c->nomem = 1;
  return *val != NULL;
}

/* One row, checked: its stakeholder (NULL: a new one), its values. */
typedef struct row_in {
  size_t line;
  const hs_sh *cur;
  hs_sh sh; /* the row's values for the columns it has */
  int ok;
} row_in;

static long long parse_id(ctx *c, const row_in *r, const char *cell)
{
  char *end;
  long long id = strtoll(cell, &end, 10);
  if(*end == '.' && !strcmp(end, ".0"))
    end += 2; /* a spreadsheet's number shape of the id */
  if(*end || id <= 0) {
    problem(c, "%s %zu, column id: \"%s\" is not an id", c->unit, r->line,
            cell);
    return 0;
  }
  return id;
}

/* The id column of a row: sets r->cur (and r->sh.id) or reports. */
static void check_id(ctx *c, const hs_registry *reg, const char *cell,
                     hs_strmap *seen, row_in *r)
{
  long long id;
  const size_t *prev;
  char key[32];
  size_t n;
  if(!*cell)
    return;
  if(!(id = parse_id(c, r, cell))) {
    r->ok = 0;
    return;
  }
  r->sh.id = id;
  if(!(r->cur = hs_registry_find(reg, id))) {
    problem(c, "%s %zu, column id: no stakeholder %lld", c->unit, r->line, id);
    r->ok = 0;
    return;
  }
  snprintf(key, sizeof(key), "%lld", id);
  if((prev = hs_strmap_get(seen, key, &n))) {
    problem(c, "%s %zu, column id: stakeholder %lld is on %s %zu too", c->unit,
            r->line, id, c->unit, prev[0]);
    r->ok = 0;
  }
  else if(hs_strmap_add(seen, key, r->line))
    c->nomem = 1;
}

static void check_row(ctx *c, const hs_registry *reg, hs_csv_row *row,
                      const int *cols, size_t ncols, hs_strmap *seen,
                      row_in *r)
{
  size_t i;
  int has_name_col = 0;
  r->line = row->line;
  r->ok = 1;
  if(row->n != ncols) {
    problem(c, "%s %zu: %zu columns, the header has %zu", c->unit, row->line,
            row->n, ncols);
    r->ok = 0;
    return;
  }
  for(i = 0; i < ncols; i++) {
    trim(row->cells[i]);
    if(cols[i] == COL_ID)
      check_id(c, reg, row->cells[i], seen, r);
  }
  for(i = 0; i < ncols; i++) {
    const char *cell = row->cells[i];
    int f = cols[i];
    if(f < 0)
      continue; /* the id, or a column reported on the header */
    has_name_col |= f == HS_SF_NAME;
    if(!*cell)
      continue;
    /* A value the registry already holds is not the file's problem (an
    ** HR system's odd email survives an export and import unedited). */
    if(r->cur && r->cur->v[f] && !strcmp(r->cur->v[f], cell) &&
       f != HS_SF_GROUPS) {
      if(!(r->sh.v[f] = strdup(cell)))
        c->nomem = 1;
      continue;
    }
    if(!cell_value(c, r->line, f, cell, &r->sh.v[f]))
      r->ok = 0;
  }
  if(r->cur && has_name_col && !r->sh.v[HS_SF_NAME]) {
    problem(c, "%s %zu, column name: a stakeholder needs a name", c->unit,
            r->line);
    r->ok = 0;
  }
  if(!r->cur && !r->sh.id && !r->sh.v[HS_SF_NAME] &&
     !r->sh.v[HS_SF_FIRST_NAME] && !r->sh.v[HS_SF_LAST_NAME]) {
    problem(c,
            "%s %zu, column name: a new stakeholder needs a name, "
            "first_name or last_name",
            c->unit, r->line);
    r->ok = 0;
  }
}

/* ---- uniqueness after the import ---- */

/* The value field f will have for stakeholder/row k once imported. */
typedef struct final_view {
  const hs_registry *reg;
  const row_in *rows;
  size_t nrows;
  const int *has_col; /* per field: the file has the column */
  long long *row_of;  /* per registry item: its row index + 1, or 0 */
} final_view;

static const char *final_value(const final_view *v, size_t k, int f,
                               size_t *line)
{
  *line = 0;
  if(k < v->reg->n) {
    long long r = v->row_of[k];
    const char *now = v->reg->items[k].v[f];
    if(r && v->has_col[f]) {
      const char *val = v->rows[r - 1].sh.v[f];
      /* Unchanged: the registry's value (a duplicate it already had is
      ** not the file's doing). */
      if(!val || !now || strcmp(val, now))
        *line = v->rows[r - 1].line;
      return val;
    }
    return now;
  }
  *line = v->rows[k - v->reg->n].line;
  return v->rows[k - v->reg->n].sh.v[f];
}

static const char *sh_name(const hs_sh *sh)
{
  return sh->v[HS_SF_NAME] ? sh->v[HS_SF_NAME] : "no name";
}

/* Reports each value of f held twice once the file is imported, on the
** rows that set it (a duplicate the registry had before is not the
** file's). */
static void check_unique(ctx *c, const final_view *v, int f)
{
  hs_strmap *m = hs_strmap_new();
  size_t k, total = v->reg->n + v->nrows;
  if(!m) {
    c->nomem = 1;
    return;
  }
  for(k = 0; k < total && !c->nomem; k++) {
    size_t line, pline, n;
    const char *val;
    const size_t *prev;
    if(k >= v->reg->n &&
       (v->rows[k - v->reg->n].cur || !v->rows[k - v->reg->n].ok))
      continue; /* an update row counts as its stakeholder */
    val = final_value(v, k, f, &line);
    if(!val || !*val)
      continue;
    if((prev = hs_strmap_get(m, val, &n))) {
      final_value(v, prev[0], f, &pline);
      if(line && pline)
        problem(c, "%s %zu, column %s: \"%s\" is on %s %zu too", c->unit, line,
                hs_sf_name(f), val, c->unit, pline);
      else if(line)
        problem(c, "%s %zu, column %s: \"%s\" is also stakeholder %lld's (%s)",
                c->unit, line, hs_sf_name(f), val, v->reg->items[prev[0]].id,
                sh_name(&v->reg->items[prev[0]]));
      else if(pline)
        problem(c, "%s %zu, column %s: \"%s\" is also stakeholder %lld's (%s)",
                c->unit, pline, hs_sf_name(f), val, v->reg->items[k].id,
                sh_name(&v->reg->items[k]));
      continue;
    }
    if(hs_strmap_add(m, val, k))
      c->nomem = 1;
  }
  hs_strmap_free(m);
}

/* ---- the plan ---- */

static int differs(const char *a, const char *b)
{
  if(!a || !b)
    return a != b;
  return strcmp(a, b) != 0;
}

static int plan_row(hs_plan *plan, row_in *r, const int *has_col)
{
  hs_plan_item *it = hs_plan_push(plan);
  int f;
  if(!it)
    return -1;
  if(!r->cur) {
    it->action = HS_ACT_CREATE;
    if(!r->sh.v[HS_SF_NAME] &&
       !(r->sh.v[HS_SF_NAME] =
             hs_sh_format_name(r->sh.v[HS_SF_FIRST_NAME],
                               r->sh.v[HS_SF_LAST_NAME], HS_NAME_FIRST_LAST)))
      return -1;
    for(f = 0; f < HS_SF_COUNT; f++)
      if(r->sh.v[f] && hs_item_add_change(it, f, NULL, r->sh.v[f]))
        return -1;
  }
  else {
    it->sh_id = r->cur->id;
    for(f = 0; f < HS_SF_COUNT; f++) {
      if(!has_col[f] || !differs(r->cur->v[f], r->sh.v[f]))
        continue;
      if(f == HS_SF_TYPE && !r->sh.v[f])
        continue; /* an empty type keeps the current one */
      if(hs_item_add_change(it, f, r->cur->v[f], r->sh.v[f]))
        return -1;
    }
    it->action = it->n_changes ? HS_ACT_UPDATE : HS_ACT_UNCHANGED;
  }
  {
    const char *name = r->cur && !has_col[HS_SF_NAME] ? r->cur->v[HS_SF_NAME]
                                                      : r->sh.v[HS_SF_NAME];
    const char *hris = r->cur && !has_col[HS_SF_HRIS_ID]
                           ? r->cur->v[HS_SF_HRIS_ID]
                           : r->sh.v[HS_SF_HRIS_ID];
    if((name && !(it->name = strdup(name))) ||
       (hris && !(it->hris_id = strdup(hris))))
      return -1;
  }
  return 0;
}

hs_rc hs_import_check(hs_csv *table, const hs_registry *reg, const char *path,
                      const char *unit, hs_plan *plan, hs_problems *probs,
                      hs_err *err)
{
  ctx c = {path, unit, probs, 0};
  size_t nrows = table->n ? table->n - 1 : 0, i, ncols;
  row_in *rows = calloc(nrows + 1, sizeof(row_in));
  long long *row_of = calloc(reg->n + 1, sizeof(long long));
  hs_strmap *seen = hs_strmap_new();
  int has_col[HS_SF_COUNT] = {0}, *cols = NULL;
  hs_rc rc = HS_OK;
  memset(plan, 0, sizeof(*plan));
  if(!rows || !row_of || !seen)
    goto nomem;
  if(!table->n) {
    problem(&c, "empty file (no header)");
    goto out;
  }
  ncols = table->rows[0].n;
  for(i = 0; i < ncols; i++)
    trim(table->rows[0].cells[i]);
  if(!(cols = read_header(&c, &table->rows[0])))
    goto nomem;
  for(i = 0; i < ncols; i++)
    if(cols[i] >= 0)
      has_col[cols[i]] = 1;
  for(i = 0; i < nrows && !c.nomem; i++) {
    hs_csv_row *row = &table->rows[i + 1];
    size_t k;
    check_row(&c, reg, row, cols, ncols, seen, &rows[i]);
    for(k = 0; k < ncols && k < row->n; k++)
      if(cols[k] == COL_SKIP && !table->rows[0].cells[k][0] &&
         row->cells[k][0]) {
        problem(&c, "%s %zu, column %zu: a value in a column with no name",
                unit, row->line, k + 1);
        rows[i].ok = 0;
      }
    if(rows[i].cur)
      row_of[rows[i].cur - reg->items] = (long long)i + 1;
  }
  if(!c.nomem) {
    final_view v = {reg, rows, nrows, has_col, row_of};
    check_unique(&c, &v, HS_SF_HRIS_ID);
    check_unique(&c, &v, HS_SF_IDENTIFIER);
  }
  if(c.nomem)
    goto nomem;
  memcpy(plan->fingerprint, reg->fingerprint, sizeof(plan->fingerprint));
  for(i = 0; i < nrows && !probs->total; i++)
    if(plan_row(plan, &rows[i], has_col))
      goto nomem;
  hs_plan_count(plan);
  goto out;
nomem:
  rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
out:
  for(i = 0; rows && i < nrows; i++)
    hs_sh_clear(&rows[i].sh);
  free(rows);
  free(row_of);
  free(cols);
  hs_strmap_free(seen);
  return rc;
}
