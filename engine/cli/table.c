/*
** Table cells for the tool's human output. printf's %-28s pads by bytes,
** which shifts every column after a name like "Łęcki"; this pads by
** characters (UTF-8 code points), the unit a terminal shows.
*/
#include "cli.h"

void hs_cli_cell(FILE *f, const char *s, size_t width)
{
  size_t chars = 0, keep = 0, i;
  if(!s)
    s = "";
  for(i = 0; s[i]; i++) {
    if(((unsigned char)s[i] & 0xC0) == 0x80)
      continue; /* a continuation byte: same character */
    if(chars + 1 == width)
      keep = i; /* where the last character that fits starts */
    chars++;
  }
  if(width && chars > width) {
    fprintf(f, "%.*s~ ", (int)keep, s);
    return;
  }
  fputs(s, f);
  for(; chars <= width; chars++)
    fputc(' ', f);
}
