/*
** hs_match: finds the registry stakeholder a record is (design.md
** section 6), through hash indexes built once: O(1) per record.
**   1. hris_id equal to the record's HRIS id;
**   2. otherwise identifier equal to the record's mapped identifier;
**   3. otherwise the exact full name, both orders ("Ada Lovelace",
**      "Lovelace, Ada"), against the stakeholder's name and its
**      first_name + last_name in both orders.
** At levels 2 and 3 a stakeholder that already carries another hris_id,
** or (at level 3) another identifier than the record's, is
** someone else's, and a legal entity is nobody's, so neither is a
** candidate. Two candidates at one level are
** reported, never guessed between.
*/
#ifndef HS_MATCH_H
#define HS_MATCH_H

#include "err.h"
#include "stakeholder.h"

typedef struct hs_matcher hs_matcher;

enum {
  HS_MATCH_NONE = 0,
  HS_MATCH_HRIS_ID = 1,
  HS_MATCH_IDENTIFIER = 2,
  HS_MATCH_NAME = 3
};

typedef struct hs_match {
  int level;     /* HS_MATCH_*: the level that decided */
  size_t n;      /* candidates at that level: 1 = a match, 2+ = conflict */
  size_t idx[2]; /* the first two candidates (registry indexes) */
} hs_match;

/* Indexes reg, which must outlive the matcher. */
hs_rc hs_match_new(const hs_registry *reg, hs_matcher **out, hs_err *err);
void hs_match_free(hs_matcher *m);

/* Finds the candidates for a record; any argument but hris_id may be
** NULL. -1 on no memory (the identifier and name indexes are built when
** a record first needs them), else 0. */
int hs_match_find(hs_matcher *m, const char *hris_id, const char *identifier,
                  const char *first, const char *last, hs_match *out);

/* The registry index of the stakeholder whose hris_id is hris_id, or -1
** (hris_id is unique in the store). */
long hs_match_by_hris_id(hs_matcher *m, const char *hris_id);

/* Level name for messages: "HRIS id", "identifier", "name". */
const char *hs_match_level_name(int level);

#endif
