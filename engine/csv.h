/*
** hs_csv: RFC 4180 CSV as spreadsheets write it. Fields with a comma,
** quote, CR or LF are quoted, quotes doubled; rows end with CRLF on
** output. On input: CRLF or LF, a UTF-8 BOM, quoted newlines, and the
** delimiter (",", ";" or tab) taken from the header line, or from an
** Excel "sep=;" line before it.
**
** hs_csv is also the import's table type: the XLSX reader fills one too
** (line = the sheet's row number).
*/
#ifndef HS_CSV_H
#define HS_CSV_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

typedef struct hs_csv_row {
  char **cells;
  size_t n;
  size_t line; /* where the row starts, 1-based */
} hs_csv_row;

typedef struct hs_csv {
  hs_csv_row *rows;
  size_t n;
  char delim; /* the delimiter found: ',', ';' or '\t' */
} hs_csv;

/* The delimiter of text: whichever of ",", ";" and tab the first line
** holds most of, outside quotes; "," when it holds none. */
char hs_csv_sniff(const char *text, size_t len);

/* Appends one field (NULL = empty), quoted when needed. */
int hs_csv_put(hs_buf *b, const char *field);

/* Parses text (len bytes, may hold no NUL). name is for messages:
** "people.csv: line 7: unterminated quoted field". Blank lines are
** skipped. Free with hs_csv_free. */
hs_rc hs_csv_parse(const char *text, size_t len, const char *name, hs_csv *out,
                   hs_err *err);

void hs_csv_free(hs_csv *csv);

#endif
