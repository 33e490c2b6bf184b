/*
** SHA-256 through OpenSSL's libcrypto (EVP), the library libcurl already
** links on Debian: the engine keeps its small API, not the algorithm.
*/
#include "digest.h"

#include <openssl/evp.h>

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
