/*
** SHA-256 through OpenSSL's libcrypto (EVP), the library libcurl already
** links on Debian: the engine keeps its small API, not the algorithm.
*/
#include "digest.h"

#include <openssl/evp.h>
#include <stdlib.h>

static void to_hex(const unsigned char *md, unsigned n, char hex[65])
{
  static const char digits[] = "0123456789abcdef";
  unsigned i;
  for(i = 0; i < n && i < 32; i++) {
    hex[2 * i] = digits[md[i] >> 4];
    hex[2 * i + 1] = digits[md[i] & 15];
  }
  hex[2 * i] = 0;
}

void hs_sha256_init(hs_sha256 *s)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  s->ctx = ctx;
  s->bad = !ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
}

void hs_sha256_update(hs_sha256 *s, const void *data, size_t len)
{
  if(!s->bad && len && !EVP_DigestUpdate(s->ctx, data, len))
    s->bad = 1;
}

void hs_sha256_hex(hs_sha256 *s, char hex[65])
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if(s->bad || !EVP_DigestFinal_ex(s->ctx, md, &n) || n != 32)
    hex[0] = 0;
  else
    to_hex(md, n, hex);
  EVP_MD_CTX_free(s->ctx);
  s->ctx = NULL;
}

void hs_sha256_buf(const void *data, size_t len, char hex[65])
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  if(!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32)
    hex[0] = 0;
  else
    to_hex(md, n, hex);
}

struct hs_sha256_ctx {
  EVP_MD_CTX *ctx;
  EVP_MD *md;
};

hs_sha256_ctx *hs_sha256_ctx_new(void)
{
  hs_sha256_ctx *c = calloc(1, sizeof(*c));
  if(c && (!(c->ctx = EVP_MD_CTX_new()) ||
           !(c->md = EVP_MD_fetch(NULL, "SHA256", NULL)))) {
    hs_sha256_ctx_free(c);
    c = NULL;
  }
  return c;
}

void hs_sha256_ctx_free(hs_sha256_ctx *c)
{
  if(!c)
    return;
  EVP_MD_CTX_free(c->ctx);
  EVP_MD_free(c->md);
  free(c);
}

int hs_sha256_raw(hs_sha256_ctx *c, const void *data, size_t len,
                  unsigned char out[32])
{
  unsigned n = 0;
  if(!EVP_DigestInit_ex(c->ctx, c->md, NULL) ||
     !EVP_DigestUpdate(c->ctx, data, len) ||
     !EVP_DigestFinal_ex(c->ctx, out, &n) || n != 32)
    return -1;
  return 0;
}
