/*
** Fuzz target: the config loader (hs_config_parse) and what the pipeline
** asks of a loaded config (hs_config_wanted). The input is the file's text.
*/
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  hs_config *cfg = NULL;
  const char **wanted = NULL;
  size_t n = 0;
  hs_err err;
  if(!text)
    return 0;
  memcpy(text, data, size);
  text[size] = 0; /* a file is read whole and ends at its first NUL */
  hs_err_clear(&err);
  if(hs_config_parse(text, "fuzz/hrsync.json", &cfg, &err) == HS_OK) {
    if(hs_config_wanted(cfg, &wanted, &n, &err) == HS_OK)
      free(wanted);
  }
  hs_config_free(cfg);
  free(text);
  return 0;
}
