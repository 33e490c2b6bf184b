/*
** Terminal-safe text. See term.h.
*/
#include "term.h"

#include <string.h>

/* The code point of a valid sequence of n bytes. */
static unsigned long code_point(const unsigned char *s, size_t n)
{
  static const unsigned char lead[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  unsigned long cp = s[0] & lead[n];
  size_t i;
  for(i = 1; i < n; i++)
    cp = (cp << 6) | (s[i] & 0x3F);
  return cp;
}

/* C1 controls, and the format characters that reorder or hide text
** (bidirectional overrides and isolates, line/paragraph separators). */
static int hidden_cp(unsigned long cp)
{
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

int hs_term_escape(hs_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  while(*p) {
    size_t n = hs_utf8_seq(p), run = 0;
    int fail;
    if(n == 1 && *p >= 0x20 && *p != 0x7F) {
      /* A run of plain ASCII in one append. */
      while(p[run] >= 0x20 && p[run] < 0x7F)
        run++;
      fail = hs_buf_append(b, (const char *)p, run);
      p += run;
    }
    else if(n == 1) {
      fail = *p == '\n'   ? hs_buf_puts(b, "\\n")
             : *p == '\r' ? hs_buf_puts(b, "\\r")
             : *p == '\t' ? hs_buf_puts(b, "\\t")
                          : hs_buf_printf(b, "\\x%02x", *p);
      p++;
    }
    else if(n) {
      unsigned long cp = code_point(p, n);
      fail = hidden_cp(cp) ? hs_buf_printf(b, "\\u%04lx", cp)
                           : hs_buf_append(b, (const char *)p, n);
      p += n;
    }
    else {
      fail = hs_buf_printf(b, "\\x%02x", *p); /* not UTF-8 */
      p++;
    }
    if(fail)
      return -1;
  }
  return b->data ? 0 : hs_buf_puts(b, "");
}

void hs_term_fpad(FILE *f, const char *s, int width)
{
  hs_buf b = HS_BUF_INIT;
  if(hs_term_escape(&b, s) == 0)
    fprintf(f, "%-*s ", width, hs_buf_str(&b));
  else
    fputs("(out of memory) ", f);
  hs_buf_free(&b);
}

void hs_term_fputs(FILE *f, const char *s)
{
  hs_buf b = HS_BUF_INIT;
  if(hs_term_escape(&b, s) == 0)
    fputs(hs_buf_str(&b), f);
  else
    fputs("(out of memory)", f); /* never the raw bytes */
  hs_buf_free(&b);
}
