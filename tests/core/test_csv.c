/*
** CSV: RFC 4180 parsing and quoting, and the registry import's one-line
** errors (line and column) with nothing written.
*/
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "csv.h"
#include "store.h"
#include "transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void parse_rfc4180(void **state)
{
  const char *text = "\xEF\xBB\xBFid,name,note\r\n"
                     "1,\"Lovelace, Ada\",\"said \"\"hi\"\"\"\r\n"
                     "\r\n"
                     "2,Grace,\"two\nlines\"\n"
                     "3,,";
  hs_csv csv;
  hs_err err;
  (void)state;
  assert_int_equal(hs_csv_parse(text, strlen(text), "t.csv", &csv, &err),
                   HS_OK);
  assert_int_equal(csv.n, 4);
  assert_string_equal(csv.rows[0].cells[0], "id"); /* BOM dropped */
  assert_string_equal(csv.rows[1].cells[1], "Lovelace, Ada");
  assert_string_equal(csv.rows[1].cells[2], "said \"hi\"");
  assert_string_equal(csv.rows[2].cells[2], "two\nlines");
  assert_int_equal(csv.rows[2].line, 4);
  assert_int_equal(csv.rows[3].line, 6);
  assert_int_equal(csv.rows[3].n, 3);
  assert_string_equal(csv.rows[3].cells[2], "");
  hs_csv_free(&csv);
}

static void parse_errors(void **state)
{
  hs_csv csv;
  hs_err err;
  const char *a = "a,b\r\n1,\"open\r\n";
  const char *b = "a,b\r\n1,x\"y\r\n";
  const char *c = "a,b\r\n\"q\"x,1\r\n";
  (void)state;
  assert_int_equal(hs_csv_parse(a, strlen(a), "t.csv", &csv, &err),
                   HS_E_PARSE);
  assert_string_equal(err.msg,
                      "t.csv: line 2: unterminated quoted field (column 2)");
  assert_int_equal(hs_csv_parse(b, strlen(b), "t.csv", &csv, &err),
                   HS_E_PARSE);
  assert_string_equal(err.msg, "t.csv: line 2, column 2: a quote inside an "
                               "unquoted field");
  assert_int_equal(hs_csv_parse(c, strlen(c), "t.csv", &csv, &err),
                   HS_E_PARSE);
  assert_non_null(strstr(err.msg, "line 2, column 1: text after a closing"));
}

static void quoting(void **state)
{
  hs_buf b = HS_BUF_INIT;
  (void)state;
  hs_csv_put(&b, "plain");
  hs_buf_puts(&b, ",");
  hs_csv_put(&b, "a,b");
  hs_buf_puts(&b, ",");
  hs_csv_put(&b, "say \"x\"");
  hs_buf_puts(&b, ",");
  hs_csv_put(&b, NULL);
  assert_string_equal(hs_buf_str(&b), "plain,\"a,b\",\"say \"\"x\"\"\",");
  hs_buf_free(&b);
}

static char dir[64], db[128], csvp[128];

static void write_csv(const char *text)
{
  FILE *f = fopen(csvp, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void expect_import_error(const char *text, const char *msg)
{
  hs_import_stats st;
  hs_err err;
  write_csv(text);
  assert_int_not_equal(hs_import_csv(db, csvp, &st, &err), HS_OK);
  if(!strstr(err.msg, msg))
    fail_msg("\"%s\" not in \"%s\"", msg, err.msg);
}

static void import_errors(void **state)
{
  hs_import_stats st;
  hs_store *s;
  hs_registry reg;
  hs_err err;
  struct stat sb;
  char cmd[160];
  (void)state;
  strcpy(dir, "/tmp/hs-core-csv-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(db, sizeof(db), "%s/reg.db", dir);
  snprintf(csvp, sizeof(csvp), "%s/in.csv", dir);
  /* A bad file never creates a store. */
  expect_import_error(
      "id,name,birth_date\r\n,A,1990-01-01\r\n,B,1990-13-01\r\n",
      "line 3, column birth_date: \"1990-13-01\" is not a "
      "date YYYY-MM-DD");
  assert_int_not_equal(stat(db, &sb), 0);
  write_csv(
      "id,name,identifier,groups\r\n,Ada,E1,Staff;Board\r\n,Bob,E2,\r\n");
  assert_int_equal(hs_import_csv(db, csvp, &st, &err), HS_OK);
  assert_int_equal(st.created, 2);
  expect_import_error("id,name\r\n1,Ada\r\n7,Nobody\r\n",
                      "line 3, column id: no stakeholder 7");
  expect_import_error("id,name,type\r\n1,Ada,robot\r\n",
                      "line 2, column type: \"robot\"");
  expect_import_error("id,name\r\n1,Ada,extra\r\n",
                      "line 2: 3 columns, the header has 2");
  expect_import_error("id,name,name\r\n", "column 3: \"name\" appears twice");
  expect_import_error("id,nmae\r\n", "line 1, column 2: unknown column");
  expect_import_error("id,hris_id\r\n1,H\r\n2,H\r\n", "line 3");
  expect_import_error("id,first_name\r\n,\r\n", "needs a name");
  expect_import_error("id,name\r\n1,\r\n", "line 2, column name: a "
                                           "stakeholder needs a name");
  /* None of it was written. */
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &s, &err), HS_OK);
  assert_int_equal(hs_store_load(s, &reg, &err), HS_OK);
  assert_int_equal(reg.n, 2);
  assert_null(reg.items[0].v[HS_SF_HRIS_ID]);
  assert_string_equal(reg.items[0].v[HS_SF_GROUPS], "Board;Staff");
  hs_registry_clear(&reg);
  hs_store_close(s);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_rfc4180),
      cmocka_unit_test(parse_errors),
      cmocka_unit_test(quoting),
      cmocka_unit_test(import_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
