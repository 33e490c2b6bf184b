/*
** hs_namekey: a person's name reduced to what a reader would call "the
** same name", for spotting near-duplicates (issue 10 case 5): Unicode
** NFKC compatibility forms, full case folding (ß -> ss), marks stripped
** after canonical decomposition (José -> jose, Nguyễn -> nguyen, NFC and
** NFD spellings alike), commas and runs of white space as one separator,
** and the words sorted, so "Lovelace, Ada" and "Ada Lovelace" agree.
** Turkish dotless ı is folded to i as well: case folding alone keeps it,
** and "Işık" typed on a non-Turkish keyboard is "Isik". utf8proc does the
** Unicode work; there are no hand-made tables here.
*/
#ifndef HS_NAMEKEY_H
#define HS_NAMEKEY_H

/* The key of name (malloc'd; the caller frees it), or NULL when name is
** NULL, has no letters left, is not valid UTF-8, or memory ran out. */
char *hs_namekey(const char *name);

/* An e-mail address compared without case or surrounding space
** (malloc'd), or NULL. */
char *hs_emailkey(const char *email);

#endif
