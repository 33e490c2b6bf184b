/*
** RFC 4180 reader and writer.
*/
#include "csv.h"

#include <stdlib.h>
#include <string.h>

int hs_csv_put(hs_buf *b, const char *field)
{
  const char *p;
  if(!field)
    return 0;
  if(!strpbrk(field, ",\"\r\n"))
    return hs_buf_puts(b, field);
  if(hs_buf_puts(b, "\""))
    return -1;
  for(p = field; *p; p++)
    if(hs_buf_append(b, p, 1) || (*p == '"' && hs_buf_append(b, p, 1)))
      return -1;
  return hs_buf_puts(b, "\"");
}

void hs_csv_free(hs_csv *csv)
{
  size_t i, j;
  for(i = 0; i < csv->n; i++) {
    for(j = 0; j < csv->rows[i].n; j++)
      free(csv->rows[i].cells[j]);
    free(csv->rows[i].cells);
  }
  free(csv->rows);
  csv->rows = NULL;
  csv->n = 0;
}

static int push_cell(hs_csv_row *row, hs_buf *cell)
{
  char **c = realloc(row->cells, (row->n + 1) * sizeof(char *));
  if(!c)
    return -1;
  row->cells = c;
  c[row->n] = hs_buf_steal(cell);
  if(!c[row->n])
    return -1;
  row->n++;
  return 0;
}

static int push_row(hs_csv *csv, hs_csv_row *row)
{
  hs_csv_row *r;
  /* A blank line is one empty cell: not a row. */
  if(row->n == 1 && !row->cells[0][0]) {
    free(row->cells[0]);
    free(row->cells);
    memset(row, 0, sizeof(*row));
    return 0;
  }
  r = realloc(csv->rows, (csv->n + 1) * sizeof(*r));
  if(!r)
    return -1;
  csv->rows = r;
  r[csv->n++] = *row;
  memset(row, 0, sizeof(*row));
  return 0;
}

char hs_csv_sniff(const char *text, size_t len)
{
  static const char cand[] = {',', ';', '\t'};
  size_t count[3] = {0, 0, 0}, i, k, best = 0;
  int quoted = 0;
  /* The header line, outside quotes: Excel writes ";" where the decimal
  ** separator is a comma (de, fr, ch...) and tabs for "Unicode text". */
  for(i = 0; i < len; i++) {
    if(text[i] == '"')
      quoted = !quoted;
    else if(!quoted && (text[i] == '\n' || text[i] == '\r'))
      break;
    else if(!quoted)
      for(k = 0; k < 3; k++)
        count[k] += text[i] == cand[k];
  }
  for(k = 1; k < 3; k++)
    if(count[k] > count[best])
      best = k;
  return cand[best];
}

/* True at the end of an unquoted cell: the delimiter, LF or CRLF. */
static int cell_end(const char *text, size_t i, size_t len, char d)
{
  return text[i] == d || text[i] == '\n' ||
         (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n');
}

hs_rc hs_csv_parse(const char *text, size_t len, const char *name, hs_csv *out,
                   hs_err *err)
{
  hs_csv_row row = {NULL, 0, 1};
  hs_buf cell = HS_BUF_INIT;
  size_t i = 0, line = 1, col = 1;
  hs_rc rc = HS_OK;
  char d;
  memset(out, 0, sizeof(*out));
  if(memchr(text, 0, len)) {
    /* Every C string made from the cell would end there ("Ada\0Evil"
    ** read as "Ada"): refused, never cut. */
    const char *nul = memchr(text, 0, len), *p;
    for(p = text; p < nul; p++)
      line += *p == '\n';
    return hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu: a NUL byte (byte %zu); not a text CSV",
                      name, line, (size_t)(nul - text) + 1);
  }
  if(len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
    i = 3; /* spreadsheets like to add a UTF-8 BOM */
  /* Excel honours (and some tools write) a first line "sep=;". */
  if(len - i >= 5 && !memcmp(text + i, "sep=", 4) && text[i + 4] != '"' &&
     (len - i == 5 || text[i + 5] == '\n' ||
      (text[i + 5] == '\r' && len - i > 6 && text[i + 6] == '\n'))) {
    d = text[i + 4];
    i += 5 + (i + 5 < len && text[i + 5] == '\r');
    i += i < len;
    line = 2;
    row.line = 2;
  }
  else
    d = hs_csv_sniff(text + i, len - i);
  out->delim = d;
  if(i >= len)
    return HS_OK;
  for(;;) {
    /* One cell starts here. */
    if(i < len && text[i] == '"') {
      size_t qline = line;
      i++;
      for(;;) {
        if(i >= len) {
          rc = hs_err_set(err, HS_E_PARSE,
                          "%s: line %zu: unterminated quoted field "
                          "(column %zu)",
                          name, qline, col);
          goto fail;
        }
        if(text[i] == '"') {
          if(i + 1 < len && text[i + 1] == '"') {
            if(hs_buf_append(&cell, "\"", 1))
              goto nomem;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if(text[i] == '\n')
          line++;
        if(hs_buf_append(&cell, &text[i], 1))
          goto nomem;
        i++;
      }
      if(i < len && !cell_end(text, i, len, d)) {
        rc = hs_err_set(err, HS_E_PARSE,
                        "%s: line %zu, column %zu: text after a closing "
                        "quote",
                        name, line, col);
        goto fail;
      }
    }
    else {
      while(i < len && !cell_end(text, i, len, d)) {
        if(text[i] == '"') {
          rc = hs_err_set(err, HS_E_PARSE,
                          "%s: line %zu, column %zu: a quote inside an "
                          "unquoted field",
                          name, line, col);
          goto fail;
        }
        if(hs_buf_append(&cell, &text[i], 1))
          goto nomem;
        i++;
      }
    }
    if(!cell.data && hs_buf_puts(&cell, ""))
      goto nomem;
    if(push_cell(&row, &cell))
      goto nomem;
    col++;
    if(i < len && text[i] == d) {
      i++;
      continue;
    }
    /* End of row: LF, CRLF or end of text. */
    if(i < len && text[i] == '\r')
      i++;
    if(i < len && text[i] == '\n')
      i++;
    if(push_row(out, &row))
      goto nomem;
    line++;
    col = 1;
    row.line = line;
    if(i >= len)
      break;
  }
  return HS_OK;
nomem:
  rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
fail:
  hs_buf_free(&cell);
  {
    size_t j;
    for(j = 0; j < row.n; j++)
      free(row.cells[j]);
    free(row.cells);
  }
  hs_csv_free(out);
  return rc;
}
