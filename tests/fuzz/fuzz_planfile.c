/*
** Fuzz target: saved plans (`sync --plan FILE`). The input is the file,
** loaded with hs_planfile_load and, when it loads, written back as JSON.
*/
#include "buf.h"
#include "plan.h"
#include "planfile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static char path[256];
  const char *tmp = getenv("TMPDIR");
  hs_plan plan;
  hs_err err;
  FILE *f;
  if(!path[0])
    snprintf(path, sizeof(path), "%s/hrsync-fuzz-plan-%ld.json",
             tmp && *tmp ? tmp : "/tmp", (long)getpid());
  if(!(f = fopen(path, "wb")))
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  hs_err_clear(&err);
  if(hs_planfile_load(path, &plan, &err) == HS_OK) {
    hs_buf b = HS_BUF_INIT;
    hs_plan_to_json(&plan, 1, &b, &err);
    hs_buf_free(&b);
    hs_plan_clear(&plan);
  }
  unlink(path);
  return 0;
}
