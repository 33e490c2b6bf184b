/*
** hs_buf: a growable byte buffer, always NUL-terminated (curl's dynbuf).
** The one place the engine builds strings of unknown length, and the
** emulator's too (tools/hris-emulator/buf.h writes its bodies on it): one
** growth and ownership rule for both.
*/
#ifndef HS_BUF_H
#define HS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct hs_buf {
  char *data; /* NULL until the first append; then NUL-terminated */
  size_t len;
  size_t cap;
  int oom; /* set when an append ran out of memory; cleared by free/steal,
              so a writer that ignores each result can check once */
} hs_buf;

#define HS_BUF_INIT                                                           \
  {                                                                           \
    NULL, 0, 0, 0                                                             \
  }

/* Each returns 0, or -1 when memory ran out (the buffer is unchanged). */
int hs_buf_append(hs_buf *b, const void *data, size_t len);
int hs_buf_puts(hs_buf *b, const char *s);
int hs_buf_printf(hs_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

int hs_buf_vprintf(hs_buf *b, const char *fmt, va_list ap);
/* Makes room for extra more bytes (and the NUL) without writing. */
int hs_buf_reserve(hs_buf *b, size_t extra);

/* Appends s as a JSON string literal, quotes included. */
int hs_buf_json_str(hs_buf *b, const char *s);

/* "" when empty, never NULL. */
const char *hs_buf_str(const hs_buf *b);

/* Hands the string to the caller (free() it), leaving b empty. */
char *hs_buf_steal(hs_buf *b);

void hs_buf_reset(hs_buf *b); /* len = 0, keeps the memory */
void hs_buf_free(hs_buf *b);

#endif
