/*
** UTF-8 validation and iconv conversion of imported files.
*/
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

/* Length of the UTF-8 sequence at s (n bytes left), 0 when invalid:
** no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t seq_len(const unsigned char *s, size_t n)
{
  unsigned c = s[0];
  size_t k, i;
  unsigned lo = 0x80, hi = 0xBF;
  if(c >= 0x01 && c < 0x80)
    return 1;
  if(c >= 0xC2 && c <= 0xDF)
    k = 2;
  else if(c >= 0xE0 && c <= 0xEF) {
    k = 3;
    if(c == 0xE0)
      lo = 0xA0;
    if(c == 0xED)
      hi = 0x9F;
  }
  else if(c >= 0xF0 && c <= 0xF4) {
    k = 4;
    if(c == 0xF0)
      lo = 0x90;
    if(c == 0xF4)
      hi = 0x8F;
  }
  else
    return 0;
  if(n < k || s[1] < lo || s[1] > hi)
    return 0;
  for(i = 2; i < k; i++)
    if((s[i] & 0xC0) != 0x80)
      return 0;
  return k;
}

size_t hs_text_utf8_valid(const char *s, size_t len)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while(i < len) {
    size_t k = seq_len(u + i, len - i);
    if(!k)
      return i;
    i += k;
  }
  return len;
}

size_t hs_text_line_of(const char *s, size_t off)
{
  size_t i, line = 1;
  for(i = 0; i < off; i++)
    if(s[i] == '\n')
      line++;
  return line;
}

hs_rc hs_text_to_utf8(const char *s, size_t len, const char *from,
                      const char *name, hs_buf *out, hs_err *err)
{
  iconv_t cd = iconv_open("UTF-8", from);
  char chunk[8192];
  char *in = (char *)s;
  size_t left = len;
  hs_rc rc = HS_OK;
  if(cd == (iconv_t)-1)
    return hs_err_set(err, HS_E_USAGE,
                      "--encoding %s: unknown encoding (try cp1252, latin1 "
                      "or UTF-16LE)",
                      from);
  hs_buf_reset(out);
  while(left > 0 && !rc) {
    char *o = chunk;
    size_t room = sizeof(chunk);
    size_t r = iconv(cd, &in, &left, &o, &room);
    if(hs_buf_append(out, chunk, sizeof(chunk) - room))
      rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
    else if(r == (size_t)-1 && errno != E2BIG)
      rc = hs_err_set(err, HS_E_PARSE,
                      "%s: line %zu: byte 0x%02X is not %s text", name,
                      hs_text_line_of(s, (size_t)(in - s)),
                      (unsigned)(unsigned char)*in, from);
  }
  iconv_close(cd);
  if(!rc && hs_buf_append(out, "", 0))
    rc = hs_err_set(err, HS_E_NOMEM, "out of memory");
  return rc;
}
