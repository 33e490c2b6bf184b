/*
** hs_buf: growable buffer. Grows by doubling so appends are amortised O(1).
*/
#include "buf.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(hs_buf *b, size_t extra)
{
  size_t need = b->len + extra + 1, cap = b->cap ? b->cap : 64;
  char *p;
  if(need <= b->cap)
    return 0;
  while(cap < need)
    cap *= 2;
  p = realloc(b->data, cap);
  if(!p) {
    b->oom = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int hs_buf_append(hs_buf *b, const void *data, size_t len)
{
  if(grow(b, len))
    return -1;
  if(len)
    memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = 0;
  return 0;
}

int hs_buf_puts(hs_buf *b, const char *s)
{
  return hs_buf_append(b, s, strlen(s));
}

int hs_buf_vprintf(hs_buf *b, const char *fmt, va_list ap)
{
  va_list again;
  int n;
  va_copy(again, ap);
  n = vsnprintf(NULL, 0, fmt, ap);
  if(n < 0 || grow(b, (size_t)n)) {
    va_end(again);
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
  va_end(again);
  b->len += (size_t)n;
  return 0;
}

int hs_buf_printf(hs_buf *b, const char *fmt, ...)
{
  va_list ap;
  int rc;
  va_start(ap, fmt);
  rc = hs_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

int hs_buf_reserve(hs_buf *b, size_t extra)
{
  if(grow(b, extra))
    return -1;
  b->data[b->len] = 0;
  return 0;
}

int hs_buf_json_str(hs_buf *b, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  if(hs_buf_append(b, "\"", 1))
    return -1;
  for(; *p; p++) {
    char esc[6] = {'\\', 'u', '0', '0', 0, 0};
    const char *out = (const char *)p;
    size_t n = 1;
    switch(*p) {
    case '"':
      out = "\\\"";
      n = 2;
      break;
    case '\\':
      out = "\\\\";
      n = 2;
      break;
    case '\n':
      out = "\\n";
      n = 2;
      break;
    case '\r':
      out = "\\r";
      n = 2;
      break;
    case '\t':
      out = "\\t";
      n = 2;
      break;
    default:
      if(*p < 0x20) {
        esc[4] = hex[*p >> 4];
        esc[5] = hex[*p & 15];
        out = esc;
        n = 6;
      }
      else if(*p >= 0x80 && !(n = hs_utf8_seq(p))) {
        /* Not UTF-8 (an old store, a CSV): JSON output stays valid. */
        out = "\\ufffd";
        n = 6;
      }
    }
    if(hs_buf_append(b, out, n))
      return -1;
    if(out == (const char *)p)
      p += n - 1; /* a whole UTF-8 sequence was copied */
  }
  return hs_buf_append(b, "\"", 1);
}

const char *hs_buf_str(const hs_buf *b)
{
  return b->data ? b->data : "";
}

char *hs_buf_steal(hs_buf *b)
{
  char *s = b->data ? b->data : calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
  return s;
}

void hs_buf_reset(hs_buf *b)
{
  b->len = 0;
  if(b->data)
    b->data[0] = 0;
}

void hs_buf_free(hs_buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->oom = 0;
}
