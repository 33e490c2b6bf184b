/*
** Fuzz target: CSV import. The input is the file: parsed (hs_csv_parse),
** and when it parses, imported whole into a fresh store in a scratch
** folder (hs_import_csv validates every row before writing any).
*/
#include "csv.h"
#include "transfer.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char csv_path[256], db_path[256];

static void paths(void)
{
  const char *tmp = getenv("TMPDIR");
  if(csv_path[0])
    return;
  snprintf(csv_path, sizeof(csv_path), "%s/hrsync-fuzz-csv-%ld.csv",
           tmp && *tmp ? tmp : "/tmp", (long)getpid());
  snprintf(db_path, sizeof(db_path), "%s/hrsync-fuzz-csv-%ld.db",
           tmp && *tmp ? tmp : "/tmp", (long)getpid());
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  hs_csv csv;
  hs_err err;
  hs_import_stats st;
  FILE *f;
  int ok;
  hs_err_clear(&err);
  ok = hs_csv_parse((const char *)data, size, "fuzz.csv", &csv, &err) == HS_OK;
  if(ok)
    hs_csv_free(&csv);
  /* The import reads the file again; only a few rows are worth a store. */
  if(!ok || size > 4096)
    return 0;
  paths();
  if(!(f = fopen(csv_path, "wb")))
    return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  unlink(db_path);
  hs_err_clear(&err);
  hs_import_csv(db_path, csv_path, &st, &err);
  unlink(db_path);
  unlink(csv_path);
  return 0;
}
