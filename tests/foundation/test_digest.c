/*
** digest: SHA-256 (now libcrypto's) against the FIPS 180-4 examples, the
** streaming and one-shot forms agreeing, and updates split anywhere.
*/
#include "digest.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

static void test_vectors(void **state)
{
  char hex[65];
  (void)state;
  hs_sha256_buf("", 0, hex);
  assert_string_equal(
      hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hs_sha256_buf("abc", 3, hex);
  assert_string_equal(
      hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  hs_sha256_buf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                hex);
  assert_string_equal(
      hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_stream(void **state)
{
  static const char text[] =
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  char one[65], split[65];
  size_t cut;
  (void)state;
  hs_sha256_buf(text, strlen(text), one);
  for(cut = 0; cut <= strlen(text); cut += 7) {
    hs_sha256 s;
    hs_sha256_init(&s);
    hs_sha256_update(&s, text, cut);
    hs_sha256_update(&s, text + cut, strlen(text) - cut);
    hs_sha256_hex(&s, split);
    assert_string_equal(one, split);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_vectors),
                                     cmocka_unit_test(test_stream)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
