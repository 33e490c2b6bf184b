/*
** XLSX writing with libxlsxwriter: what people open in Excel to fill in
** identifiers, so identifiers and postcodes stay text, dates are dates.
*/
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define WIDTH_MAX 60.0

/* Characters, not bytes: what decides a column's width. */
static size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for(; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* A date Excel can hold (it has none before 1900-01-01). */
static int as_datetime(const char *iso, lxw_datetime *dt)
{
  int y, m, d, n = 0;
  if(sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || iso[n] || y < 1900)
    return -1;
  memset(dt, 0, sizeof(*dt));
  dt->year = y;
  dt->month = m;
  dt->day = d;
  return 0;
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                            int kind, const char *v, lxw_format *date)
{
  lxw_datetime dt;
  char *end;
  double num;
  if(kind == HS_XLSX_DATE && !as_datetime(v, &dt))
    return worksheet_write_datetime(ws, r, c, &dt, date);
  if(kind == HS_XLSX_NUMBER) {
    num = strtod(v, &end);
    if(!*end && end != v)
      return worksheet_write_number(ws, r, c, num, NULL);
  }
  /* Explicitly a string: "01001" and "1001E3" stay what they are. */
  return worksheet_write_string(ws, r, c, v, NULL);
}

hs_rc hs_xlsx_write(const char *path, const char *const *header,
                    const int *kinds, size_t ncols, const char *const *cells,
                    size_t nrows, hs_err *err)
{
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws;
  lxw_format *bold, *text, *date;
  lxw_error e = LXW_NO_ERROR;
  size_t r, c;
  if(!wb)
    return hs_err_set(err, HS_E_IO, "%s: cannot create the workbook", path);
  ws = workbook_add_worksheet(wb, "Stakeholders");
  bold = workbook_add_format(wb);
  text = workbook_add_format(wb);
  date = workbook_add_format(wb);
  if(!ws || !bold || !text || !date) {
    workbook_close(wb);
    remove(path);
    return hs_err_set(err, HS_E_NOMEM, "out of memory");
  }
  format_set_bold(bold);
  /* "@": what people type into an identifier cell stays text too. */
  format_set_num_format(text, "@");
  format_set_num_format(date, "yyyy-mm-dd");
  for(c = 0; c < ncols && !e; c++) {
    double width = (double)utf8_chars(header[c]);
    for(r = 0; r < nrows; r++) {
      const char *v = cells[r * ncols + c];
      if(v && (double)utf8_chars(v) > width)
        width = (double)utf8_chars(v);
    }
    width = width + 2 > WIDTH_MAX ? WIDTH_MAX : width + 2;
    if(kinds[c] == HS_XLSX_DATE && width < 12)
      width = 12;
    e = worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width,
                             kinds[c] == HS_XLSX_TEXT   ? text
                             : kinds[c] == HS_XLSX_DATE ? date
                                                        : NULL);
    if(!e)
      e = worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], bold);
  }
  for(r = 0; r < nrows && !e; r++)
    for(c = 0; c < ncols && !e; c++) {
      const char *v = cells[r * ncols + c];
      if(v && *v)
        e = write_cell(ws, (lxw_row_t)(r + 1), (lxw_col_t)c, kinds[c], v,
                       date);
    }
  worksheet_freeze_panes(ws, 1, 0);
  if(!e && ncols)
    e = worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows,
                             (lxw_col_t)(ncols - 1));
  if(e) {
    workbook_close(wb);
    remove(path);
    return hs_err_set(err, HS_E_IO, "%s: %s", path, lxw_strerror(e));
  }
  if((e = workbook_close(wb))) {
    remove(path);
    return hs_err_set(err, HS_E_IO, "%s: cannot write: %s", path,
                      lxw_strerror(e));
  }
  return HS_OK;
}
