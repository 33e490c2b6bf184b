/* Calendar dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), so generation and status derivation are plain arithmetic. */
#ifndef EMU_DATES_H
#define EMU_DATES_H

#include <stdint.h>

/* Parses exactly "YYYY-MM-DD" into *days; returns 0, or -1 if malformed. */
int emu_date_parse(const char *s, long *days);
/* The day number of y-m-d (no range check). */
long emu_date_make(int y, int m, int d);
/* Day of week of a day number, 0 = Sunday. */
int emu_date_dow(long days);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL) for a day number. */
void emu_date_format(long days, char out[11]);
/* Splits a day number into year, month (1-12) and day (1-31). */
void emu_date_split(long days, int *y, int *m, int *d);
/* Writes "YYYY-MM-DDTHH:MM:SS+00:00" for a unix time (UTC). */
void emu_time_format(int64_t t, char out[32]);
/* Parses "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM]" into a unix time;
 * returns 0, or -1 if malformed. */
int emu_time_parse(const char *s, int64_t *t);

#endif
