/*
** hs_utf8: is this byte string UTF-8? Strict (RFC 3629): no overlong
** forms, no surrogates, nothing past U+10FFFF. Depends on nothing, so the
** buffer, terminal and host modules all share one definition.
*/
#ifndef HS_UTF8_H
#define HS_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
** there are not one (overlong forms, surrogates and values past U+10FFFF
** included). s must be NUL-terminated; a NUL is never part of one. */
size_t hs_utf8_seq(const unsigned char *s);

/* Offset of the first byte of s (len bytes) that is not valid UTF-8, or
** len when all of it is. */
size_t hs_utf8_check(const char *s, size_t len);

#endif
