/*
** hs_term: text from outside (the HR system, a CSV, a plugin) made safe
** for a terminal or a log line.
**
** A value may carry escape sequences ("\x1b[2J"), a forged line
** ("\nhrsync: ..."), C1 controls, bidirectional overrides or bytes that
** are not UTF-8; printed raw, the HR system would control what the
** operator sees. hs_term_escape shows each of them as a visible escape
** (\x1b, \n, \r, \t, \u202e) and keeps everything else, so a value reads
** the same and never moves the cursor.
*/
#ifndef HS_TERM_H
#define HS_TERM_H

#include "buf.h"
#include "utf8.h"

#include <stddef.h>
#include <stdio.h>

/* Appends s (NULL as "") to b, escaped. -1 on no memory. */
int hs_term_escape(hs_buf *b, const char *s);

/* Writes s (NULL as "") to f, escaped. */
void hs_term_fputs(FILE *f, const char *s);

/* hs_term_fputs, then spaces up to width bytes, then one space (a
** printf "%-*s " for outside text). */
void hs_term_fpad(FILE *f, const char *s, int width);

#endif
