/* Growable buffer and the JSON/XML escaping the renderers share. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void emu_buf_free(emu_buf *b)
{
  free(b->data);
  memset(b, 0, sizeof(*b));
}

int emu_buf_reserve(emu_buf *b, size_t extra)
{
  size_t need, ncap;
  char *p;

  if(b->oom)
    return -1;
  need = b->len + extra + 1;
  if(need <= b->cap)
    return 0;
  ncap = b->cap ? b->cap : 256;
  while(ncap < need)
    ncap *= 2;
  p = realloc(b->data, ncap);
  if(!p) {
    b->oom = 1;
    return -1;
  }
  b->data = p;
  b->cap = ncap;
  return 0;
}

void emu_buf_add(emu_buf *b, const char *s, size_t n)
{
  if(emu_buf_reserve(b, n))
    return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void emu_buf_puts(emu_buf *b, const char *s)
{
  emu_buf_add(b, s, strlen(s));
}

void emu_buf_printf(emu_buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0 || emu_buf_reserve(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *emu_buf_steal(emu_buf *b, size_t *len)
{
  char *d;

  if(!b->data)
    emu_buf_reserve(b, 0);
  d = b->oom ? NULL : b->data;
  if(len)
    *len = b->len;
  if(b->oom)
    free(b->data);
  memset(b, 0, sizeof(*b));
  return d;
}

void emu_json_str(emu_buf *b, const char *s)
{
  const unsigned char *p;
  const unsigned char *run;

  if(!s) {
    emu_buf_add(b, "null", 4);
    return;
  }
  emu_buf_add(b, "\"", 1);
  /* Copy runs of plain bytes at once: names are mostly plain. */
  for(run = p = (const unsigned char *)s; *p; p++) {
    char esc[8];
    if(*p >= 0x20 && *p != '"' && *p != '\\')
      continue;
    emu_buf_add(b, (const char *)run, (size_t)(p - run));
    if(*p == '"' || *p == '\\') {
      esc[0] = '\\';
      esc[1] = (char)*p;
      emu_buf_add(b, esc, 2);
    }
    else if(*p == '\n')
      emu_buf_add(b, "\\n", 2);
    else {
      snprintf(esc, sizeof(esc), "\\u%04x", *p);
      emu_buf_add(b, esc, 6);
    }
    run = p + 1;
  }
  emu_buf_add(b, (const char *)run, (size_t)(p - run));
  emu_buf_add(b, "\"", 1);
}

void emu_json_key(emu_buf *b, const char *key)
{
  emu_json_str(b, key);
  emu_buf_add(b, ":", 1);
}

void emu_json_kv(emu_buf *b, int *first, const char *key, const char *v)
{
  if(!*first)
    emu_buf_add(b, ",", 1);
  *first = 0;
  emu_json_key(b, key);
  emu_json_str(b, v);
}

void emu_xml_text(emu_buf *b, const char *s)
{
  for(; s && *s; s++) {
    switch(*s) {
    case '&':
      emu_buf_puts(b, "&amp;");
      break;
    case '<':
      emu_buf_puts(b, "&lt;");
      break;
    case '>':
      emu_buf_puts(b, "&gt;");
      break;
    case '"':
      emu_buf_puts(b, "&quot;");
      break;
    default:
      emu_buf_add(b, s, 1);
    }
  }
}
