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
#include "textenc.h"
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

static int import(hs_problems *probs, hs_plan *plan, hs_err *err)
{
  hs_import_opts o = {NULL, NULL, 0};
  return hs_import(db, csvp, &o, plan, probs, err);
}

/* msg is the error or one of the problems. */
static void expect_import_error(const char *text, const char *msg)
{
  hs_problems probs;
  hs_plan plan;
  hs_err err;
  size_t i;
  int found;
  write_csv(text);
  assert_int_not_equal(import(&probs, &plan, &err), HS_OK);
  found = strstr(err.msg, msg) != NULL;
  for(i = 0; i < probs.n; i++)
    found |= strstr(probs.msg[i], msg) != NULL;
  if(!found)
    fail_msg("\"%s\" not in \"%s\" (%zu problems)", msg, err.msg, probs.n);
  hs_problems_clear(&probs);
  hs_plan_clear(&plan);
}

static void import_errors(void **state)
{
  hs_problems probs;
  hs_plan plan;
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
  write_csv("id,name,identifier,groups\r\n,Ada ,E1,Staff; Board\r\n,Bob,E2,"
            "\r\n");
  assert_int_equal(import(&probs, &plan, &err), HS_OK);
  assert_int_equal(plan.counts[HS_ACT_CREATE], 2);
  hs_plan_clear(&plan);
  hs_problems_clear(&probs);
  expect_import_error("id,name\r\n1,Ada\r\n7,Nobody\r\n",
                      "line 3, column id: no stakeholder 7");
  expect_import_error("id,name,type\r\n1,Ada,robot\r\n",
                      "line 2, column type: \"robot\"");
  expect_import_error("id,name\r\n1,Ada,extra\r\n",
                      "line 2: 3 columns, the header has 2");
  expect_import_error("id,name,name\r\n", "column 3: \"name\" appears twice");
  expect_import_error("id,nmae\r\n", "line 1, column 2: unknown column");
  expect_import_error("id,hris_id\r\n1,H\r\n2,H\r\n",
                      "line 3, column hris_id: \"H\" is on line 2 too");
  expect_import_error("id,identifier\r\n2,E1\r\n",
                      "line 2, column identifier: \"E1\" is also "
                      "stakeholder 1's (Ada)");
  expect_import_error("id,name\r\n1,A\r\n1,B\r\n",
                      "line 3, column id: stakeholder 1 is on line 2 too");
  expect_import_error("id,name,email\r\n1,Ada,x\r\n",
                      "line 2, column email: \"x\" is not an email address");
  expect_import_error("id,first_name\r\n,\r\n", "needs a name");
  expect_import_error("id,name\r\n1,\r\n", "line 2, column name: a "
                                           "stakeholder needs a name");
  /* None of it was written; values were trimmed. */
  assert_int_equal(hs_store_open(db, HS_STORE_READ, &s, &err), HS_OK);
  assert_int_equal(hs_store_load(s, &reg, &err), HS_OK);
  assert_int_equal(reg.n, 2);
  assert_null(reg.items[0].v[HS_SF_HRIS_ID]);
  assert_string_equal(reg.items[0].v[HS_SF_NAME], "Ada");
  assert_string_equal(reg.items[0].v[HS_SF_GROUPS], "Board;Staff");
  hs_registry_clear(&reg);
  hs_store_close(s);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* Every problem at once, the list capped at 50 with the full count. */
static void import_all_problems(void **state)
{
  hs_buf text = HS_BUF_INIT;
  hs_problems probs;
  hs_plan plan;
  hs_err err;
  char cmd[160];
  int i;
  (void)state;
  strcpy(dir, "/tmp/hs-core-csv-XXXXXX");
  assert_non_null(mkdtemp(dir));
  snprintf(db, sizeof(db), "%s/reg.db", dir);
  snprintf(csvp, sizeof(csvp), "%s/in.csv", dir);
  write_csv("id,name,email,birth_date\r\n,A,a@x.org,1990-01-01\r\n"
            ",B,nope,1990-01-01\r\n,C,c@x.org,soon\r\n9,D,,\r\n");
  assert_int_equal(import(&probs, &plan, &err), HS_E_PARSE);
  assert_int_equal(probs.total, 3);
  assert_int_equal(probs.n, 3);
  assert_non_null(strstr(probs.msg[0], "line 3, column email"));
  assert_non_null(strstr(probs.msg[1], "line 4, column birth_date"));
  assert_non_null(strstr(probs.msg[2], "line 5, column id"));
  assert_non_null(strstr(err.msg, "3 problems; nothing imported"));
  hs_problems_clear(&probs);
  hs_plan_clear(&plan);
  hs_buf_puts(&text, "name,email\r\n");
  for(i = 0; i < 70; i++)
    hs_buf_printf(&text, "P%d,bad%d\r\n", i, i);
  write_csv(hs_buf_str(&text));
  hs_buf_free(&text);
  assert_int_equal(import(&probs, &plan, &err), HS_E_PARSE);
  assert_int_equal(probs.total, 70);
  assert_int_equal(probs.n, HS_IMPORT_PROBLEMS_MAX);
  hs_problems_clear(&probs);
  hs_plan_clear(&plan);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* What Excel writes: ";" (de/fr/ch locales), tab, BOM, CRLF, quoted
** newlines. */
static void excel_dialects(void **state)
{
  const char *semi =
      "\xEF\xBB\xBFid;name;note\r\n1;\"Lovelace; Ada\";\"a\r\nb\""
      "\r\n2;Grace,H;\r\n";
  const char *tab = "id\tname\r\n1\tA, B;C\r\n";
  const char *sep = "sep=;\r\nid;name\r\n1;A, B\r\n";
  hs_csv csv;
  hs_err err;
  (void)state;
  assert_int_equal(hs_csv_sniff("a,b;c,d", 7), ',');
  assert_int_equal(hs_csv_sniff("\"a;b\",c", 7), ',');
  assert_int_equal(hs_csv_sniff("name", 4), ',');
  assert_int_equal(hs_csv_parse(semi, strlen(semi), "t.csv", &csv, &err),
                   HS_OK);
  assert_int_equal(csv.delim, ';');
  assert_int_equal(csv.n, 3);
  assert_string_equal(csv.rows[0].cells[0], "id");
  assert_string_equal(csv.rows[1].cells[1], "Lovelace; Ada");
  assert_string_equal(csv.rows[1].cells[2], "a\r\nb");
  assert_string_equal(csv.rows[2].cells[1], "Grace,H");
  assert_int_equal(csv.rows[2].line, 4);
  hs_csv_free(&csv);
  assert_int_equal(hs_csv_parse(sep, strlen(sep), "t.csv", &csv, &err), HS_OK);
  assert_int_equal(csv.delim, ';');
  assert_int_equal(csv.n, 2);
  assert_int_equal(csv.rows[0].line, 2);
  assert_string_equal(csv.rows[1].cells[1], "A, B");
  hs_csv_free(&csv);
  assert_int_equal(hs_csv_parse(tab, strlen(tab), "t.csv", &csv, &err), HS_OK);
  assert_int_equal(csv.delim, '\t');
  assert_int_equal(csv.rows[1].n, 2);
  assert_string_equal(csv.rows[1].cells[1], "A, B;C");
  hs_csv_free(&csv);
}

static void utf8_checks(void **state)
{
  (void)state;
  assert_int_equal(hs_text_utf8_valid("Zo\xC3\xAB", 4), 4);
  assert_int_equal(hs_text_utf8_valid("Zo\xEB", 3), 2);        /* cp1252 */
  assert_int_equal(hs_text_utf8_valid("a\xC0\xAF", 3), 1);     /* overlong */
  assert_int_equal(hs_text_utf8_valid("a\xED\xA0\x80", 4), 1); /* surrogate */
  assert_int_equal(hs_text_utf8_valid("ab\0c", 4), 2);         /* NUL */
  assert_int_equal(hs_text_utf8_valid("\xF0\x9F\x98\x80", 4), 4); /* emoji */
  assert_int_equal(hs_text_line_of("a\nb\nc", 4), 3);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_rfc4180),
      cmocka_unit_test(parse_errors),
      cmocka_unit_test(quoting),
      cmocka_unit_test(import_errors),
      cmocka_unit_test(import_all_problems),
      cmocka_unit_test(excel_dialects),
      cmocka_unit_test(utf8_checks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
