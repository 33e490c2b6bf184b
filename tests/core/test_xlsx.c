/*
** XLSX: the reader on workbooks shaped as Excel and LibreOffice save
** them (built here part by part with libzip), and the writer read back.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "buf.h"
#include "xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static char dir[64], path[128];

static void add_part(zip_t *z, const char *name, const char *xml)
{
  zip_source_t *src = zip_source_buffer(z, xml, strlen(xml), 0);
  assert_non_null(src);
  assert_true(zip_file_add(z, name, src, ZIP_FL_OVERWRITE) >= 0);
}

#define NS                                                                    \
  "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS                                                                   \
  "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"          \
  "relationships\""

/* Two sheets (the second first in the zip), the 1904 date system, shared
** strings with rich-text runs and a phonetic guide, inline strings,
** sparse cells, a date style, numbers, a boolean, an escaped CR. Element
** names carry an "x:" prefix in the sheet, as some writers do. */
static void write_book(const char *wbpr)
{
  char wb[1024];
  int zerr;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  assert_non_null(z);
  snprintf(wb, sizeof(wb),
           "<?xml version=\"1.0\"?><workbook " NS " " RNS ">%s<sheets>"
           "<sheet name=\"People\" sheetId=\"1\" r:id=\"rId7\"/>"
           "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/>"
           "</sheets></workbook>",
           wbpr);
  add_part(z, "xl/workbook.xml", wb);
  add_part(z, "xl/_rels/workbook.xml.rels",
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
           "2006/relationships\"><Relationship Id=\"rId8\" Type=\"ws\" "
           "Target=\"/xl/worksheets/b.xml\"/><Relationship Id=\"rId7\" "
           "Type=\"ws\" Target=\"worksheets/a.xml\"/></Relationships>");
  add_part(z, "xl/sharedStrings.xml",
           "<sst " NS "><si><t>id</t></si><si><t>name</t></si>"
           "<si><r><t>Ada </t></r><r><rPr><b/></rPr><t>Lovelace</t></r>"
           "<rPh><t>ADA</t></rPh></si><si><t>start_date</t></si>"
           "<si><t xml:space=\"preserve\">a_x000D_b</t></si></sst>");
  add_part(z, "xl/styles.xml",
           "<styleSheet " NS "><numFmts><numFmt numFmtId=\"164\" "
           "formatCode=\"dd/mm/yyyy;@\"/><numFmt numFmtId=\"165\" "
           "formatCode=\"0.00&quot;d&quot;\"/></numFmts><cellStyleXfs>"
           "<xf numFmtId=\"14\"/></cellStyleXfs><cellXfs><xf numFmtId=\"0\"/>"
           "<xf numFmtId=\"164\"/><xf numFmtId=\"14\"/><xf numFmtId=\"165\"/>"
           "</cellXfs></styleSheet>");
  add_part(z, "xl/worksheets/a.xml",
           "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/"
           "spreadsheetml/2006/main\"><x:sheetData>"
           "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c>"
           "<x:c r=\"B1\" t=\"s\"><x:v>1</x:v></x:c><x:c r=\"D1\" t=\"s\">"
           "<x:v>3</x:v></x:c></x:row>"
           "<x:row r=\"2\"><x:c r=\"A2\"><x:v>1</x:v></x:c><x:c r=\"B2\" "
           "t=\"s\"><x:v>2</x:v></x:c><x:c r=\"C2\" s=\"3\"><x:v>1001</x:v>"
           "</x:c><x:c r=\"D2\" s=\"1\"><x:v>0</x:v></x:c></x:row>"
           "<x:row r=\"4\"><x:c r=\"B4\" t=\"inlineStr\"><x:is><x:t>Grace"
           "</x:t></x:is></x:c><x:c r=\"C4\"><x:v>0.30000000000000004</x:v>"
           "</x:c><x:c r=\"D4\" s=\"2\"><x:v>43831.75</x:v></x:c></x:row>"
           "<x:row r=\"5\"><x:c r=\"A5\" t=\"b\"><x:v>1</x:v></x:c><x:c "
           "r=\"B5\" t=\"s\"><x:v>4</x:v></x:c><x:c r=\"C5\" t=\"str\"><x:f>"
           "A1</x:f><x:v>E7</x:v></x:c></x:row>"
           "<x:row r=\"6\"><x:c r=\"A6\" t=\"s\"/></x:row>"
           "</x:sheetData></x:worksheet>");
  add_part(z, "xl/worksheets/b.xml",
           "<worksheet " NS "><sheetData><row r=\"3\"><c r=\"B3\" t=\"s\">"
           "<v>1</v></c></row></sheetData></worksheet>");
  assert_int_equal(zip_close(z), 0);
}

static void read_shapes(void **state)
{
  hs_csv t;
  hs_err err;
  (void)state;
  write_book("<workbookPr date1904=\"1\"/>");
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_OK);
  assert_int_equal(t.n, 4); /* the empty row 6 is left out */
  assert_int_equal(t.rows[0].n, 4);
  assert_string_equal(t.rows[0].cells[2], ""); /* C1 missing */
  assert_string_equal(t.rows[1].cells[0], "1");
  assert_string_equal(t.rows[1].cells[1], "Ada Lovelace"); /* no rPh */
  assert_string_equal(t.rows[1].cells[2], "1001");         /* not a date */
  assert_string_equal(t.rows[1].cells[3], "1904-01-01");   /* 1904 system */
  assert_int_equal(t.rows[2].line, 4);
  assert_string_equal(t.rows[2].cells[0], "");
  assert_string_equal(t.rows[2].cells[1], "Grace");
  assert_string_equal(t.rows[2].cells[2], "0.3");
  assert_string_equal(t.rows[2].cells[3], "2024-01-02"); /* 43831 + 1462 */
  assert_string_equal(t.rows[3].cells[0], "TRUE");
  assert_string_equal(t.rows[3].cells[1], "a\rb");
  assert_string_equal(t.rows[3].cells[2], "E7"); /* a formula's value */
  hs_csv_free(&t);
  write_book("");
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_OK);
  assert_string_equal(t.rows[1].cells[3], "1899-12-31"); /* serial 0 */
  assert_string_equal(t.rows[2].cells[3], "2020-01-01");
  hs_csv_free(&t);
  assert_int_equal(hs_xlsx_read(path, "Other", &t, &err), HS_OK);
  assert_int_equal(t.n, 1);
  assert_int_equal(t.rows[0].line, 3);
  assert_string_equal(t.rows[0].cells[1], "name");
  hs_csv_free(&t);
  assert_int_equal(hs_xlsx_read(path, "Nope", &t, &err), HS_E_USAGE);
  assert_non_null(strstr(err.msg, "no sheet \"Nope\" (it has \"People\", "
                                  "\"Other\")"));
}

static void serials(void **state)
{
  char iso[11];
  (void)state;
  assert_int_equal(hs_xlsx_serial_date(1, 0, iso), 0);
  assert_string_equal(iso, "1900-01-01");
  assert_int_equal(hs_xlsx_serial_date(59, 0, iso), 0);
  assert_string_equal(iso, "1900-02-28");
  assert_int_equal(hs_xlsx_serial_date(60, 0, iso), -1); /* 1900-02-29 */
  assert_int_equal(hs_xlsx_serial_date(61, 0, iso), 0);
  assert_string_equal(iso, "1900-03-01");
  assert_int_equal(hs_xlsx_serial_date(45657.99, 0, iso), 0);
  assert_string_equal(iso, "2024-12-31");
  assert_int_equal(hs_xlsx_serial_date(-30701, 0, iso), 0); /* LibreOffice */
  assert_string_equal(iso, "1815-12-10");
  assert_int_equal(hs_xlsx_serial_date(0, 1, iso), 0);
  assert_string_equal(iso, "1904-01-01");
  assert_int_equal(hs_xlsx_serial_date(-1, 1, iso), -1);
  assert_int_equal(hs_xlsx_serial_date(3e6, 0, iso), -1);
}

static void not_a_workbook(void **state)
{
  hs_csv t;
  hs_err err;
  FILE *f;
  int zerr;
  zip_t *z;
  (void)state;
  f = fopen(path, "w");
  fputs("id,name\n", f);
  fclose(f);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "cannot read as XLSX"));
  z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  add_part(z, "word/document.xml", "<w/>");
  zip_close(z);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "not an XLSX workbook (no xl/workbook.xml"));
  z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
  add_part(z, "xl/workbook.xml", "<workbook><sheets><sheet name=");
  zip_close(z);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "xl/workbook.xml: line 1"));
}

/* A crafted sheet cannot make the reader allocate without bound: one
** far-right cell per row pads every row to 16384 columns. */
static void too_many_cells(void **state)
{
  hs_buf sheet = HS_BUF_INIT;
  hs_csv t;
  hs_err err;
  int zerr, i;
  zip_t *z;
  (void)state;
  write_book("");
  hs_buf_puts(&sheet, "<worksheet " NS "><sheetData>");
  for(i = 1; i <= 2000; i++)
    hs_buf_printf(&sheet,
                  "<row><c r=\"XFD%d\" t=\"inlineStr\"><is><t>x</t>"
                  "</is></c></row>",
                  i);
  hs_buf_puts(&sheet, "</sheetData></worksheet>");
  z = zip_open(path, 0, &zerr);
  assert_non_null(z);
  add_part(z, "xl/worksheets/a.xml", hs_buf_str(&sheet));
  assert_int_equal(zip_close(z), 0);
  hs_buf_free(&sheet);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "cells"));
  z = zip_open(path, 0, &zerr);
  add_part(z, "xl/worksheets/a.xml",
           "<worksheet " NS "><sheetData><row><c r=\"A1\" t=\"s\"><v>99</v>"
           "</c></row></sheetData></worksheet>");
  assert_int_equal(zip_close(z), 0);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_E_PARSE);
  assert_non_null(strstr(err.msg, "row 1: shared string 99 does not exist"));
}

/* The writer's output read back: text stays text, dates come back ISO
** (before 1900 as text), empty cells empty. */
static void write_then_read(void **state)
{
  const char *header[] = {"id", "identifier", "postal_code", "birth_date"};
  const int kinds[] = {HS_XLSX_NUMBER, HS_XLSX_TEXT, HS_XLSX_TEXT,
                       HS_XLSX_DATE};
  const char *cells[] = {"1", "1001",     "01001", "1815-12-10",
                         "2", "1.001E+3", NULL,    "1990-02-03"};
  hs_csv t;
  hs_err err;
  (void)state;
  assert_int_equal(hs_xlsx_write(path, header, kinds, 4, cells, 2, &err),
                   HS_OK);
  assert_int_equal(hs_xlsx_read(path, NULL, &t, &err), HS_OK);
  assert_int_equal(t.n, 3);
  assert_string_equal(t.rows[0].cells[3], "birth_date");
  assert_string_equal(t.rows[1].cells[1], "1001");
  assert_string_equal(t.rows[1].cells[2], "01001");
  assert_string_equal(t.rows[1].cells[3], "1815-12-10");
  assert_string_equal(t.rows[2].cells[1], "1.001E+3");
  assert_string_equal(t.rows[2].cells[2], "");
  assert_string_equal(t.rows[2].cells[3], "1990-02-03");
  hs_csv_free(&t);
}

static int setup(void **state)
{
  (void)state;
  strcpy(dir, "/tmp/hs-core-xlsx-XXXXXX");
  if(!mkdtemp(dir))
    return -1;
  snprintf(path, sizeof(path), "%s/book.xlsx", dir);
  return 0;
}

static int teardown(void **state)
{
  (void)state;
  unlink(path);
  return rmdir(dir);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(read_shapes),     cmocka_unit_test(serials),
      cmocka_unit_test(not_a_workbook),  cmocka_unit_test(too_many_cells),
      cmocka_unit_test(write_then_read),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
