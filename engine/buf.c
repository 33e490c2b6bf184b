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

/* The escape of byte c (a quote, a backslash or a control character)
** at out; its length. */
static size_t json_escape(char *out, unsigned char c)
{
  static const char hex[] = "0123456789abcdef";
  out[0] = '\\';
  switch(c) {
  case '"':
  case '\\':
    out[1] = (char)c;
    return 2;
  case '\n':
    out[1] = 'n';
    return 2;
  case '\r':
    out[1] = 'r';
    return 2;
  case '\t':
    out[1] = 't';
    return 2;
  default:
    memcpy(out + 1, "u00", 3);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 15];
    return 6;
  }
}

/* Written straight into the buffer, room for the worst case (every byte
** six) made once: a run log of 100,000 people escapes some 1.7 million
** values, and an append per byte was most of its cost. Runs of bytes
** that need no escape are copied whole. */
int hs_buf_json_str(hs_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t len = strlen(s);
  char *out;
  if(len > ((size_t)-1 - 3) / 6 || grow(b, 6 * len + 2))
    return -1;
  out = b->data + b->len;
  *out++ = '"';
  while(*p) {
    const unsigned char *run = p;
    size_t n;
    for(;;) {
      if(*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
        p++;
      else if(*p >= 0x80 && (n = hs_utf8_seq(p)))
        p += n; /* a whole UTF-8 sequence, copied as it is */
      else
        break;
    }
    memcpy(out, run, (size_t)(p - run));
    out += p - run;
    if(!*p)
      break;
    if(*p >= 0x80) {
      /* Not UTF-8 (an old store, a CSV): JSON output stays valid. */
      memcpy(out, "\\ufffd", 6);
      out += 6;
    }
    else
      out += json_escape(out, *p);
    p++;
  }
  *out++ = '"';
  *out = 0;
  b->len = (size_t)(out - b->data);
  return 0;
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
