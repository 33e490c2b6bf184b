/*
** hs_sha256: SHA-256 (FIPS 180-4), for the config digest in the run log
** and the registry fingerprint of a saved plan. Not for secrets.
*/
#ifndef HS_DIGEST_H
#define HS_DIGEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct hs_sha256 {
  uint32_t h[8];
  uint64_t len; /* bytes so far */
  unsigned char block[64];
  size_t used;
} hs_sha256;

void hs_sha256_init(hs_sha256 *s);
void hs_sha256_update(hs_sha256 *s, const void *data, size_t len);

/* Finishes and writes 64 hex digits and a NUL into hex[65]. */
void hs_sha256_hex(hs_sha256 *s, char hex[65]);

/* One-shot digest of a buffer. */
void hs_sha256_buf(const void *data, size_t len, char hex[65]);

#endif
