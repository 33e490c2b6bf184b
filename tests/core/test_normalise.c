/*
** Normalisation: every date shape the HR systems document
** (the shared HRIS notes), empty-likes, trimming, unparseable dates.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "normalise.h"

#include <stdlib.h>
#include <string.h>

static void date_shapes(void **state)
{
  static const struct {
    const char *in, *out;
  } table[] = {
      {"2023-12-28", "2023-12-28"},                /* BambooHR, HiBob */
      {"2014-09-01T00:00:00", "2014-09-01"},       /* Lucca */
      {"1989-12-22T00:00:00", "1989-12-22"},       /* Lucca birthDate */
      {"2021-01-01T00:00:00.583", "2021-01-01"},   /* fractional */
      {"1983-09-01T00:00:00+02:00", "1983-09-01"}, /* Personio offset */
      {"1932-01-01T00:00:00+01:00", "1932-01-01"},
      {"2014-11-08T23:00:00.000Z", "2014-11-09"}, /* Personio UTC */
      {"2021-01-01T00:00:00.000Z", "2021-01-01"},
      {"2022-09-16T07:47:44.938494", "2022-09-16"}, /* HiBob */
      {"2024-12-31T22:00:00Z", "2025-01-01"},       /* year rollover */
      {"2024-02-28T23:00:00Z", "2024-02-29"},       /* leap day */
      {"2023-02-28T23:00:00Z", "2023-03-01"},
      {"2020-06-30T12:00:00-0500", "2020-07-01"}, /* +HHMM, noon up */
      {"2020-06-30T11:59:59Z", "2020-06-30"},
      {"2020-06-30 00:00:00", "2020-06-30"},
      {"2020-06-30T10:00Z", "2020-06-30"}, /* no seconds */
  };
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    char iso[11];
    int rc = hs_norm_date(table[i].in, iso);
    if(rc)
      fail_msg("%s: not parsed", table[i].in);
    assert_string_equal(iso, table[i].out);
  }
}

static void bad_dates(void **state)
{
  static const char *const bad[] = {"31/12/1990",
                                    "12-31",
                                    "2023-13-01",
                                    "2023-02-29",
                                    "2023-04-31",
                                    "2023-1-01",
                                    "20230101",
                                    "yesterday",
                                    "2023-01-01T25:00:00",
                                    "2023-01-01T",
                                    "2023-01-01Tx",
                                    "2023-01-01 junk",
                                    "2023-01-01T00:00:00+15:00",
                                    "2023-01-01T00:00:00."};
  size_t i;
  char iso[11];
  (void)state;
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if(!hs_norm_date(bad[i], iso))
      fail_msg("\"%s\" parsed as %s", bad[i], iso);
}

static void empties_and_trim(void **state)
{
  char *out;
  (void)state;
  assert_int_equal(hs_norm_value(NULL, 0, &out), HS_NORM_ABSENT);
  assert_int_equal(hs_norm_value("", 0, &out), HS_NORM_ABSENT);
  assert_int_equal(hs_norm_value("   ", 0, &out), HS_NORM_ABSENT);
  assert_int_equal(hs_norm_value("0000-00-00", 1, &out), HS_NORM_ABSENT);
  assert_int_equal(hs_norm_value("0000-00-00", 0, &out), HS_NORM_ABSENT);
  assert_int_equal(hs_norm_value(" 0000-00-00T00:00:00 ", 1, &out),
                   HS_NORM_ABSENT);
  assert_null(out);
  assert_int_equal(hs_norm_value("  London \t", 0, &out), HS_NORM_VALUE);
  assert_string_equal(out, "London");
  free(out);
  assert_int_equal(hs_norm_value(" 2014-11-08T23:00:00.000Z ", 1, &out),
                   HS_NORM_VALUE);
  assert_string_equal(out, "2014-11-09");
  free(out);
  /* Not a date field: the value is kept as sent. */
  assert_int_equal(hs_norm_value("2014-11-08T23:00:00.000Z", 0, &out),
                   HS_NORM_VALUE);
  assert_string_equal(out, "2014-11-08T23:00:00.000Z");
  free(out);
  assert_int_equal(hs_norm_value("31/12/1990", 1, &out), HS_NORM_BAD_DATE);
  assert_null(out);
}

/* Slots: name 0, dob 1, end 2, x 3, reason 4 (raw); "hired" is a date
** the config does not use; anything else has no slot. */
static int fields(void *arg, const hs_record_field *f)
{
  const char *id = f->id;
  static const char *const ids[] = {"name", "dob", "end", "x", "reason"};
  int i;
  if(arg)
    (*(int *)arg)++;
  for(i = 0; i < 5; i++)
    if(!strcmp(id, ids[i]))
      return (i + 1) | (i == 1 || i == 2 ? HS_NF_DATE : 0) |
             (i == 4 ? HS_NF_RAW : 0);
  return !strcmp(id, "hired") ? HS_NF_DATE : 0;
}

static void records(void **state)
{
  hs_record_field f[] = {{"name", " Ada ", 0},
                         {"dob", "1915-12-10T00:00:00", 0},
                         {"end", NULL, 0},
                         {"x", "0000-00-00", 0},
                         {"unused", "  kept as it is  ", 0},
                         {"reason", "  as sent ", 0}};
  hs_record rec = {"7", f, 6, NULL};
  hs_record_field g[] = {{"dob", "10.12.1915", 0}, {"hired", "2020-01-01", 0}};
  hs_record bad = {"8", g, 2, NULL};
  hs_record_field h[] = {{"hired", "1.1.2020", 0}, {"name", "Grace", 0}};
  hs_record bad_unused = {"9", h, 2, NULL};
  hs_nrec r;
  hs_buf skip = HS_BUF_INIT;
  hs_err err;
  int present, calls = 0;
  (void)state;
  assert_int_equal(hs_nrec_init(&r, 5, &err), HS_OK);
  assert_int_equal(hs_norm_record(&rec, fields, &calls, &r, &skip, &err),
                   HS_OK);
  assert_int_equal(calls, 6);
  assert_int_equal(skip.len, 0);
  assert_string_equal(r.hris_id, "7");
  assert_string_equal(hs_nrec_get(&r, 0, &present), "Ada");
  assert_true(present);
  assert_string_equal(hs_nrec_get(&r, 1, NULL), "1915-12-10");
  assert_null(hs_nrec_get(&r, 2, &present));
  assert_true(present); /* sent empty */
  assert_null(hs_nrec_get(&r, 3, &present));
  assert_true(present);
  assert_string_equal(hs_nrec_get(&r, 4, NULL), "  as sent ");
  assert_null(hs_nrec_get(&r, 5, &present)); /* no such slot */
  assert_false(present);
  /* A bad date in a field with a slot: absent, and the reason. */
  assert_int_equal(hs_norm_record(&bad, fields, NULL, &r, &skip, &err), HS_OK);
  assert_string_equal(hs_buf_str(&skip),
                      "field dob: unparseable date \"10.12.1915\"");
  assert_null(hs_nrec_get(&r, 1, &present));
  assert_true(present);
  /* The slots of the record before are cleared: withheld now. */
  assert_null(hs_nrec_get(&r, 0, &present));
  assert_false(present);
  hs_buf_reset(&skip);
  /* A date field the config does not use is still checked. */
  assert_int_equal(hs_norm_record(&bad_unused, fields, NULL, &r, &skip, &err),
                   HS_OK);
  assert_string_equal(hs_buf_str(&skip),
                      "field hired: unparseable date \"1.1.2020\"");
  assert_string_equal(hs_nrec_get(&r, 0, NULL), "Grace");
  hs_buf_free(&skip);
  hs_nrec_free(&r);
}

/* Values are borrowed from the record unless they must change; copies
** (white space at the end) stay right however many there are. */
static void record_copies(void **state)
{
  static char values[5][80];
  hs_record_field f[6];
  hs_record rec = {"1", f, 6, NULL};
  hs_nrec r;
  hs_buf skip = HS_BUF_INIT;
  hs_err err;
  int i;
  (void)state;
  for(i = 0; i < 5; i++)
    memset(values[i], 'a' + i, 70), strcpy(values[i] + 70, " \t");
  memset(f, 0, sizeof(f));
  f[0].id = "name", f[0].value = values[0];
  f[1].id = "x", f[1].value = values[1];
  f[2].id = "name", f[2].value = "second"; /* the first one wins */
  f[3].id = "end", f[3].value = " 2024-02-29 ";
  f[4].id = "dob", f[4].value = "1990-01-02";
  f[5].id = "reason", f[5].value = NULL;
  assert_int_equal(hs_nrec_init(&r, 5, &err), HS_OK);
  assert_int_equal(hs_norm_record(&rec, fields, NULL, &r, &skip, &err), HS_OK);
  assert_int_equal(strlen(hs_nrec_get(&r, 0, NULL)), 70);
  assert_int_equal(hs_nrec_get(&r, 0, NULL)[69], 'a');
  assert_int_equal(strlen(hs_nrec_get(&r, 3, NULL)), 70);
  assert_int_equal(hs_nrec_get(&r, 3, NULL)[0], 'b');
  assert_string_equal(hs_nrec_get(&r, 2, NULL), "2024-02-29");
  assert_string_equal(hs_nrec_get(&r, 1, NULL), "1990-01-02");
  assert_null(hs_nrec_get(&r, 4, NULL));
  /* Nothing to change: the record's own bytes. */
  f[0].value = "Ada";
  assert_int_equal(hs_norm_record(&rec, fields, NULL, &r, &skip, &err), HS_OK);
  assert_ptr_equal(hs_nrec_get(&r, 0, NULL), f[0].value);
  assert_int_equal(skip.len, 0);
  hs_buf_free(&skip);
  hs_nrec_free(&r);
}

static void relative_dates(void **state)
{
  static const struct {
    const char *in, *today, *out;
  } table[] = {
      {"today", "2026-12-01", "2026-12-01"},
      {"today-30d", "2026-12-01", "2026-11-01"},
      {"today+30d", "2026-12-15", "2027-01-14"}, /* year rollover */
      {"today-1d", "2024-03-01", "2024-02-29"},  /* leap day */
      {"today-1d", "2023-03-01", "2023-02-28"},
      {"today+2w", "2026-02-20", "2026-03-06"},
      {"today+1m", "2026-01-31", "2026-02-28"}, /* clamped */
      {"today+1m", "2024-01-31", "2024-02-29"},
      {"today-6m", "2026-03-15", "2025-09-15"},
      {"today+1y", "2024-02-29", "2025-02-28"}, /* clamped */
      {"today-1y", "2026-12-01", "2025-12-01"},
      {"today+400d", "2026-01-01", "2027-02-05"},
      {"today-36500d", "2026-01-01", "1926-01-26"},
  };
  static const char *const bad[] = {"today+",   "today+d",       "today+1",
                                    "today+1x", "today 1d",      "today+1dd",
                                    "today*2d", "today+1234567d"};
  char iso[11];
  size_t i;
  (void)state;
  for(i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
    if(hs_norm_relative_date(table[i].in, table[i].today, iso))
      fail_msg("%s: not parsed", table[i].in);
    if(strcmp(iso, table[i].out))
      fail_msg("%s from %s: %s, expected %s", table[i].in, table[i].today, iso,
               table[i].out);
  }
  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if(hs_norm_relative_date(bad[i], "2026-01-01", iso) != -1)
      fail_msg("%s: accepted", bad[i]);
  assert_int_equal(hs_norm_relative_date("today-999999m", "2026-01-01", iso),
                   -1);
  assert_int_equal(hs_norm_relative_date("today+999999y", "2026-01-01", iso),
                   -1);
  assert_int_equal(hs_norm_relative_date("today-999999d", "2026-01-01", iso),
                   -1);
  assert_int_equal(hs_norm_relative_date("2026-01-01", "2026-01-01", iso), 1);
  assert_int_equal(hs_norm_relative_date("tomorrow", "2026-01-01", iso), 1);
  setenv("HRSYNC_TODAY", "2031-07-04", 1);
  hs_norm_today(iso);
  assert_string_equal(iso, "2031-07-04");
  unsetenv("HRSYNC_TODAY");
}

static void year_range(void **state)
{
  char iso[11];
  (void)state;
  assert_int_equal(hs_norm_date("1900-01-01", iso), 0);
  assert_int_equal(hs_norm_date("2200-12-31", iso), 0);
  assert_int_equal(hs_norm_date("1899-12-31", iso), -1);
  assert_int_equal(hs_norm_date("2201-01-01", iso), -1);
  assert_int_equal(hs_norm_date("2024-02-30", iso), -1);
  assert_int_equal(hs_norm_date("2024-13-01", iso), -1);
  assert_int_equal(hs_norm_date("1900-02-29", iso), -1); /* not leap */
  assert_int_equal(hs_norm_date("2000-02-29", iso), 0);  /* leap */
  assert_int_equal(hs_norm_date("99999-01-01", iso), -1);
  hs_norm_set_years(1800, 2999);
  assert_int_equal(hs_norm_date("1815-12-10", iso), 0);
  assert_int_equal(hs_norm_date("2999-01-04", iso), 0);
  hs_norm_set_years(HS_NORM_YEAR_MIN, HS_NORM_YEAR_MAX);
  assert_int_equal(hs_norm_date("1815-12-10", iso), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(date_shapes),      cmocka_unit_test(bad_dates),
      cmocka_unit_test(empties_and_trim), cmocka_unit_test(records),
      cmocka_unit_test(record_copies),    cmocka_unit_test(relative_dates),
      cmocka_unit_test(year_range),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
