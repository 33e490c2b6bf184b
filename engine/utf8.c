/*
** Strict UTF-8 validation. See utf8.h.
*/
#include "utf8.h"

#include <stdint.h>
#include <string.h>

static size_t seq_len(const unsigned char *s, size_t avail)
{
  unsigned c = s[0];
  size_t n, i;
  unsigned long cp;
  if(c < 0x80)
    return 1;
  if(c >= 0xC2 && c <= 0xDF)
    n = 2, cp = c & 0x1F;
  else if(c >= 0xE0 && c <= 0xEF)
    n = 3, cp = c & 0x0F;
  else if(c >= 0xF0 && c <= 0xF4)
    n = 4, cp = c & 0x07;
  else
    return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
  if(n > avail)
    return 0;
  for(i = 1; i < n; i++) {
    if((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
     (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

size_t hs_utf8_seq(const unsigned char *s)
{
  size_t avail = 0;
  while(avail < 4 && s[avail])
    avail++;
  return avail ? seq_len(s, avail) : 0;
}

size_t hs_utf8_check(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, n;
  uint64_t w;
  while(i < len) {
    /* Most text is ASCII: eight bytes at a time while no high bit is set
    ** (a NUL is fine here, as below). */
    if(len - i >= 8) {
      memcpy(&w, p + i, 8);
      if(!(w & 0x8080808080808080ULL)) {
        i += 8;
        continue;
      }
    }
    n = p[i] ? seq_len(p + i, len - i) : 1;
    if(!n)
      return i;
    i += n;
  }
  return len;
}
