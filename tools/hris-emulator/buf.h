/* emu_buf: the engine's growable buffer (engine/buf.h, one module for
 * both) with the emulator's JSON and XML writers, its only way of producing
 * response bodies (hand-rendered for speed). Writes return nothing: once an
 * allocation fails (oom) later writes are no-ops and steal gives NULL, so a
 * renderer checks once at the end. */
#ifndef EMU_BUF_H
#define EMU_BUF_H

#include "../../engine/buf.h"

#include <stddef.h>

typedef hs_buf emu_buf; /* data NUL-terminated, owned; NULL until written */

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
