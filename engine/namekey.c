/*
** Name keys through utf8proc.
*/
#include "namekey.h"

#include <utf8proc.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int word_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replaces every "ı" (U+0131, 0xC4 0xB1) by "i" in place. */
static void fold_dotless_i(char *s)
{
  char *w = s;
  for(; *s; s++) {
    if((unsigned char)s[0] == 0xC4 && (unsigned char)s[1] == 0xB1) {
      *w++ = 'i';
      s++;
    }
    else
      *w++ = *s;
  }
  *w = 0;
}

static int is_sep(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v' || c == ',';
}

/* Splits s (modified) into words, sorts them, joins them with one space
** into a new string. */
static char *sorted_words(char *s)
{
  size_t n = 0, cap = 8, i, len = 0;
  char **w = malloc(cap * sizeof(char *)), *out, *p;
  if(!w)
    return NULL;
  for(p = s; *p;) {
    while(is_sep(*p))
      *p++ = 0;
    if(!*p)
      break;
    if(n == cap) {
      char **nw = realloc(w, (cap *= 2) * sizeof(char *));
      if(!nw) {
        free(w);
        return NULL;
      }
      w = nw;
    }
    w[n++] = p;
    while(*p && !is_sep(*p))
      p++;
  }
  if(!n) {
    free(w);
    return NULL;
  }
  qsort(w, n, sizeof(char *), word_cmp);
  for(i = 0; i < n; i++)
    len += strlen(w[i]) + 1;
  if((out = malloc(len))) {
    out[0] = 0;
    for(i = 0, p = out; i < n; i++) {
      size_t l = strlen(w[i]);
      if(i)
        *p++ = ' ';
      memcpy(p, w[i], l);
      p += l;
    }
    *p = 0;
  }
  free(w);
  return out;
}

/* The mapping below leaves ASCII as it is but for case (checked for
** every ASCII character against utf8proc), so an ASCII name, the usual
** case, skips it. NULL when name is not all ASCII or memory ran out. */
static char *ascii_lower(const char *name)
{
  size_t i, len = strlen(name);
  char *out = malloc(len + 1);
  if(!out)
    return NULL;
  for(i = 0; i < len; i++) {
    unsigned char c = (unsigned char)name[i];
    if(c >= 0x80) {
      free(out);
      return NULL;
    }
    out[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  }
  out[len] = 0;
  return out;
}

char *hs_namekey(const char *name)
{
  utf8proc_uint8_t *mapped = NULL;
  utf8proc_ssize_t n;
  char *key, *lower;
  if(!name)
    return NULL;
  if((lower = ascii_lower(name))) {
    key = sorted_words(lower);
    free(lower);
    return key;
  }
  /* COMPAT + COMPOSE = NFKC; DECOMPOSE first so marks can be stripped;
  ** STRIPMARK drops them, CASEFOLD folds fully, LUMP turns odd spaces and
  ** dashes into ASCII ones. */
  n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &mapped,
                   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
                       UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK |
                       UTF8PROC_CASEFOLD | UTF8PROC_LUMP | UTF8PROC_IGNORE);
  if(n < 0 || !mapped) {
    free(mapped);
    return NULL;
  }
  fold_dotless_i((char *)mapped);
  key = sorted_words((char *)mapped);
  free(mapped);
  return key;
}

char *hs_emailkey(const char *email)
{
  const char *b, *e;
  char *k;
  size_t i;
  if(!email)
    return NULL;
  for(b = email; isspace((unsigned char)*b); b++)
    ;
  for(e = b + strlen(b); e > b && isspace((unsigned char)e[-1]); e--)
    ;
  if(e == b || !(k = malloc((size_t)(e - b) + 1)))
    return NULL;
  for(i = 0; b + i < e; i++)
    k[i] = (char)tolower((unsigned char)b[i]);
  k[i] = 0;
  return k;
}
