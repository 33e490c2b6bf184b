/*
** Nearest-name suggestions: a two-row Levenshtein on short ASCII-ish
** ids (field names), with a cap that keeps it from suggesting something
** unrelated. Bytes are compared, so a UTF-8 letter counts as several
** edits: good enough for field ids, which are ASCII in practice.
*/
#include "suggest.h"

#include <string.h>

#define MAX_LEN 255

static unsigned char fold(unsigned char c)
{
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

size_t hs_suggest_distance(const char *a, const char *b)
{
  size_t row[2][MAX_LEN + 1];
  size_t n = strlen(a), m = strlen(b), i, j;
  if(n > MAX_LEN || m > MAX_LEN)
    return (size_t)-1;
  for(j = 0; j <= m; j++)
    row[0][j] = j;
  for(i = 1; i <= n; i++) {
    size_t *prev = row[(i - 1) & 1], *cur = row[i & 1];
    cur[0] = i;
    for(j = 1; j <= m; j++) {
      size_t sub = prev[j - 1] + (fold((unsigned char)a[i - 1]) !=
                                  fold((unsigned char)b[j - 1]));
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
  }
  return row[n & 1][m];
}

const char *hs_suggest_nearest(const char *word, hs_suggest_next_fn next,
                               void *arg)
{
  size_t limit = strlen(word) / 3, best_d = (size_t)-1, i;
  const char *best = NULL, *cand;
  if(limit < 1)
    limit = 1;
  if(limit > 4)
    limit = 4;
  for(i = 0; (cand = next(arg, i)) != NULL; i++) {
    size_t d;
    if(!strcmp(cand, word))
      continue;
    d = hs_suggest_distance(word, cand);
    if(d <= limit && d < best_d) {
      best_d = d;
      best = cand;
    }
  }
  return best;
}
