/*
** hs_text: what a file's bytes are before they are parsed. Import reads
** files people saved from spreadsheets: valid UTF-8 is checked byte by
** byte (so a Windows-1252 file is refused, never imported as mojibake),
** and other encodings are converted with iconv when the user names one.
*/
#ifndef HS_TEXTENC_H
#define HS_TEXTENC_H

#include "buf.h"
#include "err.h"

#include <stddef.h>

/* Length of the longest valid UTF-8 prefix of s (len bytes): len when
** all of it is valid. A NUL byte counts as invalid (text files hold
** none). */
size_t hs_text_utf8_valid(const char *s, size_t len);

/* 1-based line of byte offset off in s. */
size_t hs_text_line_of(const char *s, size_t off);

/* Converts len bytes of s from encoding from (an iconv name: "cp1252",
** "latin1", "UTF-16LE") to UTF-8, replacing out's contents. HS_E_USAGE
** for an encoding iconv does not know, HS_E_PARSE naming name and line
** for bytes that are not valid in it. */
hs_rc hs_text_to_utf8(const char *s, size_t len, const char *from,
                      const char *name, hs_buf *out, hs_err *err);

#endif
