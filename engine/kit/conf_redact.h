/*
** hs_redact: what `hrsync conformance --record` takes out of a recording
** before a byte of it is written, and the last check that nothing is left.
**
** Each secret is known raw, but a connector sends it encoded: JSON-escaped
** in a token request ("a\/b", "\""), URL-encoded in a form or a query
** ("a%2Fb"), base64 in a Basic header or a token echoed back. Every form
** the kit can replace in place (raw, JSON, URL) becomes the secret's
** placeholder; a form it cannot (base64, usually inside a longer value)
** is only found, and the recording is refused. Other substitutions (the
** live server's address) are replaced but never searched for afterwards.
*/
#ifndef HS_CONF_REDACT_H
#define HS_CONF_REDACT_H

#include "err.h"

#include <stddef.h>

typedef struct hs_redact hs_redact;

hs_redact *hs_redact_new(void); /* NULL on no memory; hs_redact_free */
void hs_redact_free(hs_redact *r);

/* name says which secret, in messages ("client_secret"); value is copied
** and replaced by placeholder in every in-place form. Values shorter than
** 4 bytes are ignored, as the log does: they would shred the bodies. */
hs_rc hs_redact_add_secret(hs_redact *r, const char *name, const char *value,
                           const char *placeholder, hs_err *err);
/* A plain substitution (not a secret): from becomes to. */
hs_rc hs_redact_add(hs_redact *r, const char *from, const char *to,
                    hs_err *err);

/* Replaces every substitution in *text (length *len, NUL-terminated; may
** hold NULs), reallocating it. 0, or -1 on no memory. NULL *text is ok. */
int hs_redact_apply(const hs_redact *r, char **text, size_t *len);
int hs_redact_apply_str(const hs_redact *r, char **text);

/* The name of a secret still in text[0..len) in any form, or NULL; *form
** gets the form's name ("raw", "JSON-escaped", "URL-encoded", "base64"). */
const char *hs_redact_find(const hs_redact *r, const char *text, size_t len,
                           const char **form);

#endif
