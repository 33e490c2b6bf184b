/* The emulator's writes on the engine's buffer (engine/buf.c: growth and
 * ownership), with its sticky out-of-memory rule, and the JSON/XML escaping
 * the renderers share. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void emu_buf_free(emu_buf *b)
{
  hs_buf_free(b);
}

int emu_buf_reserve(emu_buf *b, size_t extra)
{
  return b->oom ? -1 : hs_buf_reserve(b, extra);
}

void emu_buf_add(emu_buf *b, const char *s, size_t n)
{
  if(!b->oom)
    hs_buf_append(b, s, n); /* sets oom on failure */
}

void emu_buf_puts(emu_buf *b, const char *s)
{
  emu_buf_add(b, s, strlen(s));
}

void emu_buf_printf(emu_buf *b, const char *fmt, ...)
{
  va_list ap;
  if(b->oom)
    return;
  va_start(ap, fmt);
  hs_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

char *emu_buf_steal(emu_buf *b, size_t *len)
{
  int oom = b->oom;
  size_t n = b->len;
  char *d = hs_buf_steal(b);
  if(oom || !d) {
    free(d);
    d = NULL;
  }
  if(len)
    *len = n;
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
