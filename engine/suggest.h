/*
** The nearest name out of a list, for "did you mean workEmail?" after an
** unknown field id. Edit distance (Levenshtein, letters compared
** case-insensitively, so "workemail" finds "workEmail" at distance 0),
** bounded so a wild guess suggests nothing.
*/
#ifndef HS_SUGGEST_H
#define HS_SUGGEST_H

#include <stddef.h>

/* Edit distance between a and b (insert, delete, substitute, each 1;
** letters compared case-insensitively), or (size_t)-1 when either is
** longer than 255 bytes. */
size_t hs_suggest_distance(const char *a, const char *b);

/* The i-th candidate name, or NULL past the last. */
typedef const char *(*hs_suggest_next_fn)(void *arg, size_t i);

/* The candidate nearest to word, or NULL when none is near enough: at
** most a third of word's length edits (at least 1, at most 4). The first
** of equally near candidates wins, an exact case-sensitive match never
** counts (word is already known). Borrowed from the candidates. */
const char *hs_suggest_nearest(const char *word, hs_suggest_next_fn next,
                               void *arg);

#endif
