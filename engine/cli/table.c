/*
** Table cells for the tool's human output. printf's %-28s pads by bytes,
** which shifts every column after a name like "Łęcki"; this pads by
** characters (UTF-8 code points), the unit a terminal shows.
*/
#include "cli.h"

#include "../term.h"

/* Cells hold HR and CSV text: escaped first (hs_term), then measured. */
void hs_cli_cell(FILE *f, const char *raw, size_t width)
{
  hs_buf esc = HS_BUF_INIT;
  size_t chars = 0, keep = 0, i;
  const char *s = hs_term_escape(&esc, raw) ? "(out of memory)" : esc.data;
  for(i = 0; s[i]; i++) {
    if(((unsigned char)s[i] & 0xC0) == 0x80)
      continue; /* a continuation byte: same character */
    if(chars + 1 == width)
      keep = i; /* where the last character that fits starts */
    chars++;
  }
  if(width && chars > width)
    fprintf(f, "%.*s~ ", (int)keep, s);
  else {
    fputs(s, f);
    for(; chars <= width; chars++)
      fputc(' ', f);
  }
  hs_buf_free(&esc);
}
