/*
** hs_xlsx: spreadsheets as Excel and LibreOffice save them, for the
** registry's export and import. Reading uses libzip and expat (no
** hand-made unzip or XML parser); writing uses libxlsxwriter.
*/
#ifndef HS_XLSX_H
#define HS_XLSX_H

#include "csv.h"
#include "err.h"

#include <stddef.h>

/* Reads one sheet of the workbook at path into out, every cell as text:
** shared and inline strings as they are, numbers in their shortest form
** ("1001", never "1.001E+3"), numbers with a date format as ISO dates
** (either date system), booleans TRUE/FALSE, formulas by their cached
** value. sheet: a sheet's name, NULL for the first. Rows are padded to
** the widest one; empty rows are left out; row->line is the sheet's row
** number. Free with hs_csv_free. */
hs_rc hs_xlsx_read(const char *path, const char *sheet, hs_csv *out,
                   hs_err *err);

/* The ISO date (YYYY-MM-DD) of a spreadsheet serial number; 0, or -1
** when v is no date. date1904: the Mac date system of old workbooks. */
int hs_xlsx_serial_date(double v, int date1904, char iso[11]);

typedef enum hs_xlsx_kind {
  HS_XLSX_TEXT = 0, /* a text cell, and the column formatted as text */
  HS_XLSX_NUMBER,   /* a number when the cell is one */
  HS_XLSX_DATE      /* YYYY-MM-DD as a real date (text before 1900) */
} hs_xlsx_kind;

/* Writes a workbook of one sheet to path: a bold, frozen header row, then
** nrows rows of ncols cells (cells[r * ncols + c], NULL = empty), each
** column as kinds[c] says and wide enough for its longest value. */
hs_rc hs_xlsx_write(const char *path, const char *const *header,
                    const int *kinds, size_t ncols, const char *const *cells,
                    size_t nrows, hs_err *err);

#endif
