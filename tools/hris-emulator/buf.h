/* emu_buf: growable byte buffer with JSON and XML writers, the emulator's
 * only way of producing response bodies (hand-rendered for speed). */
#ifndef EMU_BUF_H
#define EMU_BUF_H

#include <stddef.h>

typedef struct emu_buf {
  char *data; /* NUL-terminated, owned; NULL until the first write */
  size_t len;
  size_t cap;
  int oom; /* set once an allocation failed; later writes are no-ops */
} emu_buf;

/* Releases the buffer's memory and empties it. */
void emu_buf_free(emu_buf *b);
/* Makes room for `extra` more bytes; returns 0, or -1 (and sets oom). */
int emu_buf_reserve(emu_buf *b, size_t extra);
void emu_buf_add(emu_buf *b, const char *s, size_t n);
void emu_buf_puts(emu_buf *b, const char *s);
void emu_buf_printf(emu_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (who frees it) and empties the buffer. */
char *emu_buf_steal(emu_buf *b, size_t *len);

/* A JSON string literal (quotes included), or `null` when s is NULL. */
void emu_json_str(emu_buf *b, const char *s);
/* `"key":` */
void emu_json_key(emu_buf *b, const char *key);
/* `"key":"value"` / `"key":null`, preceded by a comma unless *first. */
void emu_json_kv(emu_buf *b, int *first, const char *key, const char *v);
/* Text with &, <, >, " escaped for XML. */
void emu_xml_text(emu_buf *b, const char *s);

#endif
