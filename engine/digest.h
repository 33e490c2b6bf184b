/*
** hs_sha256: SHA-256, for the config digest in the run log, the
** registry fingerprint of a saved plan and the items the streaming apply
** wrote (apply_stream.c). Not for secrets. OpenSSL's
** libcrypto does the hashing (EVP); this is only the engine's shape of it.
*/
#ifndef HS_DIGEST_H
#define HS_DIGEST_H

#include <stddef.h>

typedef struct hs_sha256 {
  void *ctx; /* EVP_MD_CTX, owned from init until hex */
  int bad;   /* libcrypto failed (out of memory): hex gives "" */
} hs_sha256;

/* Every init is finished by hs_sha256_hex, which frees what init took. */
void hs_sha256_init(hs_sha256 *s);
void hs_sha256_update(hs_sha256 *s, const void *data, size_t len);

/* Finishes and writes 64 hex digits and a NUL into hex[65]; "" if
** libcrypto failed, which never equals a real digest. */
void hs_sha256_hex(hs_sha256 *s, char hex[65]);

/* One-shot digest of a buffer (EVP_Digest). */
void hs_sha256_buf(const void *data, size_t len, char hex[65]);

/* Many small digests on one context (a plan's items: no allocation and
** no algorithm lookup per digest). One user (thread) at a time; NULL
** when out of memory. */
typedef struct hs_sha256_ctx hs_sha256_ctx;
hs_sha256_ctx *hs_sha256_ctx_new(void);
void hs_sha256_ctx_free(hs_sha256_ctx *c);

/* The raw digest of data into out; -1 when libcrypto failed. */
int hs_sha256_raw(hs_sha256_ctx *c, const void *data, size_t len,
                  unsigned char out[32]);

#endif
