/*
** A main for the fuzz targets in trees built without libFuzzer (gcc,
** the plain and sanitizer trees of scripts/test.sh): runs the target once
** on every file named or found in the folders named, so the seed corpus
** and the regression inputs (crashes found earlier) replay in every
** build. Exits 0 when the target returned on all of them.
*/
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  uint8_t *data = NULL;
  long n;
  if(!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
     fseek(f, 0, SEEK_SET) || !(data = malloc((size_t)n + 1)) ||
     fread(data, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "standalone: cannot read %s\n", path);
    if(f)
      fclose(f);
    free(data);
    return 1;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data, (size_t)n);
  free(data);
  return 0;
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, in name order. */
static int run_dir(const char *dir, size_t *count)
{
  DIR *d = opendir(dir);
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;
  int fail = 0;
  if(!d)
    return 0; /* a missing regression folder is fine */
  while((e = readdir(d)) != NULL) {
    char **grown;
    if(e->d_name[0] == '.')
      continue;
    grown = realloc(names, (n + 1) * sizeof(*names));
    if(!grown || !(grown[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
      names = grown ? grown : names;
      fail = 1;
      break;
    }
    names = grown;
    sprintf(names[n++], "%s/%s", dir, e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof(*names), cmp);
  for(i = 0; i < n; i++) {
    struct stat st;
    if(!fail && !stat(names[i], &st) && S_ISREG(st.st_mode)) {
      fail |= run_file(names[i]);
      (*count)++;
    }
    free(names[i]);
  }
  free(names);
  return fail;
}

int main(int argc, char **argv)
{
  size_t count = 0;
  int i, fail = 0;
  if(LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  for(i = 1; i < argc; i++) {
    struct stat st;
    if(stat(argv[i], &st))
      continue; /* a target without regression inputs yet */
    if(S_ISDIR(st.st_mode))
      fail |= run_dir(argv[i], &count);
    else if(!fail) {
      fail |= run_file(argv[i]);
      count++;
    }
  }
  printf("replayed %zu inputs\n", count);
  return fail;
}
