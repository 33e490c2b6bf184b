/*
** XLSX reading: the zip parts of a workbook (workbook, relationships,
** shared strings, styles, one sheet) streamed through expat.
*/
#include "xlsx.h"

#include "buf.h"

#include <expat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* A workbook's parts are small; a part larger than this is a zip bomb,
** not a stakeholder list. */
#define PART_MAX ((zip_uint64_t)256 << 20)
#define COLS_MAX 16384 /* Excel's own limit */
/* Cells held in memory once rows are padded to the widest: 100,000
** stakeholders of 20 columns, far below what a crafted sheet (one cell in
** column XFD per row) could make us allocate. */
#define CELLS_MAX ((size_t)2 << 20)

typedef struct strlist {
  char **v;
  size_t n, cap;
} strlist;

static int strlist_push(strlist *l, char *s)
{
  if(!s)
    return -1;
  if(l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof(*v));
    if(!v) {
      free(s);
      return -1;
    }
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = s;
  return 0;
}

static void strlist_free(strlist *l)
{
  size_t i;
  for(i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof(*l));
}

/* Everything read from the workbook, and the parse state of one part. */
typedef struct book {
  const char *path;
  hs_err *err;
  int failed; /* out of memory or a bad value: stop */
  /* workbook.xml and its relationships */
  strlist sheet_names, sheet_rids, rel_ids, rel_targets;
  int date1904;
  /* sharedStrings.xml */
  strlist shared;
  int in_si, in_t, in_rph;
  hs_buf text;
  /* styles.xml: per cellXfs entry, whether its format is a date */
  strlist fmt_ids, fmt_codes; /* custom numFmts */
  int in_cellxfs;
  unsigned char *xf_date;
  size_t n_xf, cap_xf;
  /* the sheet */
  hs_csv *out;
  hs_csv_row row;
  size_t row_num, next_col, cell_col, width;
  char cell_type[16];
  long cell_style;
  int in_v, in_is;
} book;

static const char *local(const char *name)
{
  const char *bar = strrchr(name, '|');
  return bar ? bar + 1 : name;
}

static const char *attr(const char **atts, const char *name, int ns)
{
  size_t i;
  for(i = 0; atts[i]; i += 2)
    if(!strcmp(local(atts[i]), name) && (!ns || strchr(atts[i], '|')))
      return atts[i + 1];
  return NULL;
}

static void nomem(book *b)
{
  if(!b->failed)
    hs_err_set(b->err, HS_E_NOMEM, "out of memory");
  b->failed = 1;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
  book *b = ud;
  if((b->in_t && !b->in_rph) || b->in_v)
    if(hs_buf_append(&b->text, s, (size_t)len))
      nomem(b);
}

/* Excel writes control characters as _xHHHH_ in strings. */
static char *unescape(const char *s)
{
  hs_buf o = HS_BUF_INIT;
  int bad = hs_buf_append(&o, "", 0);
  while(*s && !bad) {
    unsigned cp;
    int n = 0;
    if(s[0] == '_' && s[1] == 'x' && sscanf(s + 2, "%4x%n", &cp, &n) == 1 &&
       n == 4 && s[6] == '_' && cp && cp < 0x800) {
      char u[3];
      size_t k = 1;
      if(cp < 0x80)
        u[0] = (char)cp;
      else {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
      }
      bad = hs_buf_append(&o, u, k);
      s += 7;
      continue;
    }
    bad = hs_buf_append(&o, s++, 1);
  }
  if(bad) {
    hs_buf_free(&o);
    return NULL;
  }
  return hs_buf_steal(&o);
}

/* ---- one zip part through expat ---- */

static hs_rc parse_part(zip_t *z, const char *name, int required,
                        XML_StartElementHandler start,
                        XML_EndElementHandler end, book *b)
{
  XML_Parser p;
  zip_file_t *zf;
  zip_uint64_t total = 0;
  char chunk[16384];
  zip_int64_t n;
  hs_rc rc = HS_OK;
  if(zip_name_locate(z, name, 0) < 0)
    return required ? hs_err_set(b->err, HS_E_PARSE,
                                 "%s: not an XLSX workbook (no %s inside)",
                                 b->path, name)
                    : HS_OK;
  if(!(zf = zip_fopen(z, name, 0)))
    return hs_err_set(b->err, HS_E_PARSE, "%s: %s: %s", b->path, name,
                      zip_strerror(z));
  if(!(p = XML_ParserCreateNS(NULL, '|'))) {
    zip_fclose(zf);
    return hs_err_set(b->err, HS_E_NOMEM, "out of memory");
  }
  XML_SetUserData(p, b);
  XML_SetElementHandler(p, start, end);
  XML_SetCharacterDataHandler(p, on_text);
  for(;;) {
    n = zip_fread(zf, chunk, sizeof(chunk));
    if(n < 0) {
      rc = hs_err_set(b->err, HS_E_PARSE, "%s: %s: %s", b->path, name,
                      zip_file_strerror(zf));
      break;
    }
    if((total += (zip_uint64_t)n) > PART_MAX) {
      rc = hs_err_set(b->err, HS_E_PARSE, "%s: %s is larger than %llu MiB",
                      b->path, name, (unsigned long long)(PART_MAX >> 20));
      break;
    }
    if(XML_Parse(p, chunk, (int)n, n == 0) != XML_STATUS_OK) {
      rc = b->failed ? b->err->rc
                     : hs_err_set(b->err, HS_E_PARSE, "%s: %s: line %lu: %s",
                                  b->path, name,
                                  (unsigned long)XML_GetCurrentLineNumber(p),
                                  XML_ErrorString(XML_GetErrorCode(p)));
      break;
    }
    if(b->failed) {
      rc = b->err->rc;
      break;
    }
    if(n == 0)
      break;
  }
  XML_ParserFree(p);
  zip_fclose(zf);
  return rc;
}

/* ---- workbook.xml and xl/_rels/workbook.xml.rels ---- */

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
  book *b = ud;
  const char *el = local(name), *v;
  if(!strcmp(el, "workbookPr") && (v = attr(atts, "date1904", 0)))
    b->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
  else if(!strcmp(el, "sheet")) {
    const char *n = attr(atts, "name", 0), *rid = attr(atts, "id", 1);
    if(n && rid &&
       (strlist_push(&b->sheet_names, strdup(n)) ||
        strlist_push(&b->sheet_rids, strdup(rid))))
      nomem(b);
  }
}

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
  book *b = ud;
  const char *id = attr(atts, "Id", 0), *target = attr(atts, "Target", 0);
  if(strcmp(local(name), "Relationship") || !id || !target)
    return;
  if(strlist_push(&b->rel_ids, strdup(id)) ||
     strlist_push(&b->rel_targets, strdup(target)))
    nomem(b);
}

static void no_end(void *ud, const XML_Char *name)
{
  (void)ud;
  (void)name;
}

/* ---- sharedStrings.xml ---- */

static void ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
  book *b = ud;
  const char *el = local(name);
  (void)atts;
  if(!strcmp(el, "si")) {
    b->in_si = 1;
    hs_buf_reset(&b->text);
  }
  else if(!strcmp(el, "rPh"))
    b->in_rph = 1; /* phonetic guide text: not the cell's value */
  else if(!strcmp(el, "t") && b->in_si)
    b->in_t = 1;
}

static void ss_end(void *ud, const XML_Char *name)
{
  book *b = ud;
  const char *el = local(name);
  if(!strcmp(el, "t"))
    b->in_t = 0;
  else if(!strcmp(el, "rPh"))
    b->in_rph = 0;
  else if(!strcmp(el, "si")) {
    b->in_si = 0;
    if(strlist_push(&b->shared, unescape(hs_buf_str(&b->text))))
      nomem(b);
  }
}

/* ---- styles.xml ---- */

/* Excel's built-in date formats (14-17, 22, and the East Asian ones);
** 18-21 and 45-47 are times of day, not dates. */
static int builtin_date(long id)
{
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
         (id >= 50 && id <= 58);
}

/* A custom format is a date when it shows a year or a day, outside
** quoted text, escapes and [colour/locale] sections. */
static int code_is_date(const char *c)
{
  int quoted = 0, bracket = 0;
  for(; *c; c++) {
    if(*c == '\\' && c[1]) {
      c++;
      continue;
    }
    if(*c == '"')
      quoted = !quoted;
    else if(!quoted && *c == '[')
      bracket = 1;
    else if(!quoted && *c == ']')
      bracket = 0;
    else if(!quoted && !bracket && strchr("yYdD", *c))
      return 1;
  }
  return 0;
}

static int fmt_is_date(book *b, long id)
{
  size_t i;
  char key[32];
  snprintf(key, sizeof(key), "%ld", id);
  for(i = 0; i < b->fmt_ids.n; i++)
    if(!strcmp(b->fmt_ids.v[i], key))
      return code_is_date(b->fmt_codes.v[i]);
  return builtin_date(id);
}

static void st_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
  book *b = ud;
  const char *el = local(name), *v;
  if(!strcmp(el, "numFmt")) {
    const char *id = attr(atts, "numFmtId", 0),
               *code = attr(atts, "formatCode", 0);
    if(id && code &&
       (strlist_push(&b->fmt_ids, strdup(id)) ||
        strlist_push(&b->fmt_codes, strdup(code))))
      nomem(b);
  }
  else if(!strcmp(el, "cellXfs"))
    b->in_cellxfs = 1;
  else if(!strcmp(el, "xf") && b->in_cellxfs) {
    if(b->n_xf == b->cap_xf) {
      size_t cap = b->cap_xf ? b->cap_xf * 2 : 32;
      unsigned char *x = realloc(b->xf_date, cap);
      if(!x) {
        nomem(b);
        return;
      }
      b->xf_date = x;
      b->cap_xf = cap;
    }
    v = attr(atts, "numFmtId", 0);
    b->xf_date[b->n_xf++] = (unsigned char)(v && fmt_is_date(b, atol(v)));
  }
}

static void st_end(void *ud, const XML_Char *name)
{
  book *b = ud;
  if(!strcmp(local(name), "cellXfs"))
    b->in_cellxfs = 0;
}

/* ---- the sheet ---- */

int hs_xlsx_serial_date(double v, int date1904, char iso[11])
{
  long long z, era, doe, yoe, y, doy, mp, d, m;
  /* 0001-01-01 .. 9999-12-31; LibreOffice writes dates before 1900 as
  ** negative serials (Excel has none), counted back from 1899-12-30. */
  if(!(v >= -693593 && v < 2958466) || (date1904 && v < 0))
    return -1;
  z = (long long)floor(v);
  if(date1904)
    z += 1462;
  else if(z == 60)
    return -1; /* 1900-02-29, which Lotus invented */
  else if(z >= 0 && z < 60)
    z += 1;
  z -= 25569; /* serial 0 of the 1900 system is 1899-12-30 */
  /* days since 1970-01-01 to a civil date (H. Hinnant's algorithm) */
  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  snprintf(iso, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
           (unsigned)d % 100u);
  return 0;
}

/* Column index (0-based) of a cell reference "AB12", or -1. */
static long ref_col(const char *r)
{
  long c = 0;
  int any = 0;
  for(; *r >= 'A' && *r <= 'Z'; r++) {
    c = c * 26 + (*r - 'A' + 1);
    any = 1;
    if(c > COLS_MAX)
      return -1;
  }
  return any ? c - 1 : -1;
}

/* Puts val (owned) at col of the current row; the cells skipped stay
** NULL until pad_rows. -1 when the padded sheet would be too large. */
static int row_put(book *b, size_t col, char *val)
{
  hs_csv_row *r = &b->row;
  size_t width = col + 1 > b->width ? col + 1 : b->width;
  if(!val)
    return -1;
  if((b->out->n + 1) * width > CELLS_MAX) {
    free(val);
    hs_err_set(b->err, HS_E_PARSE, "%s: row %zu: more than %zu cells", b->path,
               b->row_num, CELLS_MAX);
    b->failed = 1;
    return -1;
  }
  if(col >= r->n) {
    char **c = realloc(r->cells, (col + 1) * sizeof(char *));
    if(!c) {
      free(val);
      return -1;
    }
    memset(c + r->n, 0, (col + 1 - r->n) * sizeof(char *));
    r->cells = c;
    r->n = col + 1;
  }
  free(r->cells[col]);
  r->cells[col] = val;
  return 0;
}

static void sh_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
  book *b = ud;
  const char *el = local(name), *v;
  if(b->failed)
    return;
  if(!strcmp(el, "row")) {
    v = attr(atts, "r", 0);
    b->row_num = v ? (size_t)atol(v) : b->row_num + 1;
    b->next_col = 0;
  }
  else if(!strcmp(el, "c")) {
    long c = (v = attr(atts, "r", 0)) ? ref_col(v) : (long)b->next_col;
    if(c < 0 || c >= COLS_MAX) {
      hs_err_set(b->err, HS_E_PARSE, "%s: row %zu: bad cell reference \"%s\"",
                 b->path, b->row_num, v ? v : "");
      b->failed = 1;
      return;
    }
    b->cell_col = (size_t)c;
    b->next_col = (size_t)c + 1;
    v = attr(atts, "t", 0);
    snprintf(b->cell_type, sizeof(b->cell_type), "%s", v ? v : "n");
    v = attr(atts, "s", 0);
    b->cell_style = v ? atol(v) : 0;
    hs_buf_reset(&b->text);
  }
  else if(!strcmp(el, "v"))
    b->in_v = 1;
  else if(!strcmp(el, "is"))
    b->in_is = 1;
  else if(!strcmp(el, "rPh"))
    b->in_rph = 1;
  else if(!strcmp(el, "t") && b->in_is)
    b->in_t = 1;
}

/* The text of the cell just read, by its type and style. */
static char *cell_text(book *b)
{
  const char *t = b->cell_type, *v = hs_buf_str(&b->text);
  char num[40], *end;
  double d;
  if(!*v && strcmp(t, "inlineStr"))
    return strdup(""); /* a styled cell with no value */
  if(!strcmp(t, "s")) {
    long i = strtol(v, &end, 10);
    if(*end || i < 0 || (size_t)i >= b->shared.n) {
      hs_err_set(b->err, HS_E_PARSE,
                 "%s: row %zu: shared string %s does not exist", b->path,
                 b->row_num, v);
      b->failed = 1;
      return NULL;
    }
    return strdup(b->shared.v[i]);
  }
  if(!strcmp(t, "inlineStr") || !strcmp(t, "str"))
    return unescape(v);
  if(!strcmp(t, "b"))
    return strdup(!*v ? "" : !strcmp(v, "1") ? "TRUE" : "FALSE");
  if(!strcmp(t, "d"))
    return strndup(v, 10); /* ISO 8601: the date part */
  if(strcmp(t, "n"))
    return strdup(v); /* an error value such as #N/A, shown as it is */
  d = strtod(v, &end);
  if(*end)
    return strdup(v);
  if(b->cell_style >= 0 && (size_t)b->cell_style < b->n_xf &&
     b->xf_date[b->cell_style] && !hs_xlsx_serial_date(d, b->date1904, num))
    return strdup(num);
  /* Shortest form: 1001, not 1.001E+3 (and 0.3, not 0.30000000000000004) */
  snprintf(num, sizeof(num), "%.15g", d);
  return strdup(strchr(num, 'e') ? v : num);
}

static void push_row(book *b)
{
  hs_csv_row *r = &b->row, *rows;
  size_t i;
  int blank = 1;
  for(i = 0; i < r->n; i++)
    blank &= !r->cells[i] || !r->cells[i][0];
  if(blank) {
    for(i = 0; i < r->n; i++)
      free(r->cells[i]);
    free(r->cells);
    memset(r, 0, sizeof(*r));
    return;
  }
  if(r->n > b->width)
    b->width = r->n;
  rows = realloc(b->out->rows, (b->out->n + 1) * sizeof(*rows));
  if(!rows) {
    nomem(b);
    return;
  }
  b->out->rows = rows;
  r->line = b->row_num;
  rows[b->out->n++] = *r;
  memset(r, 0, sizeof(*r));
}

static void sh_end(void *ud, const XML_Char *name)
{
  book *b = ud;
  const char *el = local(name);
  if(b->failed)
    return;
  if(!strcmp(el, "v"))
    b->in_v = 0;
  else if(!strcmp(el, "t"))
    b->in_t = 0;
  else if(!strcmp(el, "rPh"))
    b->in_rph = 0;
  else if(!strcmp(el, "is"))
    b->in_is = 0;
  else if(!strcmp(el, "c")) {
    char *val = cell_text(b);
    if(!b->failed && (!val || row_put(b, b->cell_col, val)) && !b->failed)
      nomem(b);
  }
  else if(!strcmp(el, "row"))
    push_row(b);
}

/* ---- the whole book ---- */

/* The zip path of the sheet to read. */
static hs_rc sheet_part(book *b, const char *sheet, char **part)
{
  size_t i, j;
  hs_buf names = HS_BUF_INIT;
  const char *target;
  *part = NULL;
  for(i = 0; i < b->sheet_names.n; i++)
    if(!sheet || !strcmp(b->sheet_names.v[i], sheet))
      break;
  if(i == b->sheet_names.n) {
    hs_rc rc;
    for(j = 0; j < b->sheet_names.n; j++)
      hs_buf_printf(&names, "%s\"%s\"", j ? ", " : "", b->sheet_names.v[j]);
    rc = sheet ? hs_err_set(b->err, HS_E_USAGE,
                            "%s: no sheet \"%s\" (it has %s)", b->path, sheet,
                            hs_buf_str(&names))
               : hs_err_set(b->err, HS_E_PARSE,
                            "%s: the workbook has no sheet", b->path);
    hs_buf_free(&names);
    return rc;
  }
  for(j = 0; j < b->rel_ids.n; j++)
    if(!strcmp(b->rel_ids.v[j], b->sheet_rids.v[i]))
      break;
  if(j == b->rel_ids.n)
    return hs_err_set(b->err, HS_E_PARSE,
                      "%s: sheet \"%s\" has no part in the workbook", b->path,
                      b->sheet_names.v[i]);
  target = b->rel_targets.v[j];
  /* Targets are relative to xl/, or absolute within the package. */
  if(target[0] == '/')
    *part = strdup(target + 1);
  else if(hs_buf_printf(&names, "xl/%s", target) == 0)
    *part = hs_buf_steal(&names);
  hs_buf_free(&names);
  return *part ? HS_OK : hs_err_set(b->err, HS_E_NOMEM, "out of memory");
}

static void book_free(book *b)
{
  size_t i;
  strlist_free(&b->sheet_names);
  strlist_free(&b->sheet_rids);
  strlist_free(&b->rel_ids);
  strlist_free(&b->rel_targets);
  strlist_free(&b->shared);
  strlist_free(&b->fmt_ids);
  strlist_free(&b->fmt_codes);
  free(b->xf_date);
  hs_buf_free(&b->text);
  for(i = 0; i < b->row.n; i++)
    free(b->row.cells[i]);
  free(b->row.cells);
}

/* Pads every row to the widest, and fills the cells skipped, so rows
** index like the header and every cell is a string. */
static int pad_rows(hs_csv *out, size_t width)
{
  size_t i, k;
  for(i = 0; i < out->n; i++) {
    hs_csv_row *r = &out->rows[i];
    if(r->n < width) {
      char **c = realloc(r->cells, width * sizeof(char *));
      if(!c)
        return -1;
      memset(c + r->n, 0, (width - r->n) * sizeof(char *));
      r->cells = c;
      r->n = width;
    }
    for(k = 0; k < r->n; k++)
      if(!r->cells[k] && !(r->cells[k] = strdup("")))
        return -1;
  }
  return 0;
}

hs_rc hs_xlsx_read(const char *path, const char *sheet, hs_csv *out,
                   hs_err *err)
{
  book b;
  zip_t *z;
  char *part = NULL;
  int zerr = 0;
  hs_rc rc;
  memset(&b, 0, sizeof(b));
  memset(out, 0, sizeof(*out));
  b.path = path;
  b.err = err;
  b.out = out;
  if(!(z = zip_open(path, ZIP_RDONLY, &zerr))) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    rc = hs_err_set(err, zerr == ZIP_ER_NOENT ? HS_E_USAGE : HS_E_PARSE,
                    "%s: cannot read as XLSX: %s", path,
                    zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  if(!(rc = parse_part(z, "xl/workbook.xml", 1, wb_start, no_end, &b)) &&
     !(rc = parse_part(z, "xl/_rels/workbook.xml.rels", 1, rels_start, no_end,
                       &b)) &&
     !(rc = parse_part(z, "xl/sharedStrings.xml", 0, ss_start, ss_end, &b)) &&
     !(rc = parse_part(z, "xl/styles.xml", 0, st_start, st_end, &b)) &&
     !(rc = sheet_part(&b, sheet, &part))) {
    b.in_t = b.in_rph = 0;
    rc = parse_part(z, part, 1, sh_start, sh_end, &b);
  }
  if(!rc && pad_rows(out, b.width))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  free(part);
  zip_discard(z);
  book_free(&b);
  if(rc)
    hs_csv_free(out);
  return rc;
}
