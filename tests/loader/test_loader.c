/*
** Loader: every rule of the checklist refuses its broken test plugin with
** the right reason, the good one loads, scanning orders and shadows,
** lookups by name, and the search path. argv[1] is the test plugin folder.
*/
#include "loader.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* The host's minor version as text, for the expected messages. */
#define STR_(x)   #x
#define STR(x)    STR_(x)
#define ABI_MINOR STR(HRSYNC_ABI_MINOR)

static const char *plugin_dir;

static char *path_of(const char *name)
{
  static char path[4096];
  snprintf(path, sizeof(path), "%s/hrsync-%s.so", plugin_dir, name);
  return path;
}

/* Loads hrsync-<name>.so and expects it broken with reason containing
** want. */
static void expect_broken(const char *name, const char *want)
{
  hs_plugin p;
  hs_err err = {HS_OK, ""};
  hs_rc rc = hs_loader_load_file(path_of(name), &p, &err);
  assert_int_equal(rc, HS_E_PLUGIN);
  assert_null(p.desc);
  assert_non_null(p.error);
  if(!strstr(p.error, want))
    fail_msg("%s: reason \"%s\" lacks \"%s\"", name, p.error, want);
  /* The error names the file, the listing names the plugin. */
  assert_non_null(strstr(err.msg, path_of(name)));
  assert_non_null(strstr(err.msg, want));
  assert_string_equal(p.path, path_of(name));
  hs_plugin_clear(&p);
}

static void test_good(void **state)
{
  hs_plugin p;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(hs_loader_load_file(path_of("testgood"), &p, &err), HS_OK);
  assert_null(p.error);
  assert_non_null(p.desc);
  assert_string_equal(p.name, "testgood");
  assert_string_equal(p.desc->version, "0.3.1");
  assert_int_equal(p.desc->abi_major, HRSYNC_ABI_MAJOR);
  assert_true(HS_CONNECTOR_HAS(p.desc, next_page));
  assert_false(HS_CONNECTOR_HAS(p.desc, suggested_mapping));
  hs_plugin_clear(&p);
}

static void test_broken(void **state)
{
  (void)state;
  expect_broken("junk", "cannot load: ");
  expect_broken("testbadabi", "built for ABI 99." ABI_MINOR
                              ", this hrsync speaks 1." ABI_MINOR);
  expect_broken("testnoentry", "no hrsync_connector_entry symbol");
  expect_broken("testnocb", "missing required callback next_page");
  expect_broken("testrefuse",
                "connector refused this host (ABI 1." ABI_MINOR ")");
  expect_broken("testsmall", "malformed descriptor (struct_size 16");
  expect_broken("testbadname", "connector name \"other\" does not match the "
                               "file name (expected hrsync-other.so)");
  expect_broken("testinvalid", "invalid connector name \"Test-Invalid\"");
  expect_broken("testunterm", "settings not terminated within 256 entries");
  /* Issue 15 case 7: NULL members and a crashing entry are refused with
  ** the path; the crash happens in a child, never in this process. */
  expect_broken("testnullname", "descriptor has no name");
  expect_broken("testnullmap",
                "suggested_mapping[1]: NULL or malformed field id");
  expect_broken("testcrash", "refused: loading it crashed");
}

static void test_broken_name_from_file(void **state)
{
  hs_plugin p;
  (void)state;
  hs_loader_load_file(path_of("testbadabi"), &p, NULL);
  assert_string_equal(p.name, "testbadabi");
  hs_plugin_clear(&p);
}

/* Members past struct_size count as NULL even when the bytes are set. */
static void test_member_accessor(void **state)
{
  hrsync_connector d;
  (void)state;
  memset(&d, 0, sizeof(d));
  d.next_page = (hrsync_status(*)(hrsync_conn *, int *))1;
  d.suggested_mapping = (const hrsync_kv *)1;
  d.struct_size = (uint32_t)offsetof(hrsync_connector, next_page);
  assert_false(HS_CONNECTOR_HAS(&d, next_page));
  d.struct_size = (uint32_t)offsetof(hrsync_connector, suggested_mapping);
  assert_true(HS_CONNECTOR_HAS(&d, next_page));
  assert_false(HS_CONNECTOR_HAS(&d, suggested_mapping));
  d.struct_size = (uint32_t)sizeof(d);
  assert_true(HS_CONNECTOR_HAS(&d, suggested_mapping));
}

static long index_of(const hs_plugin_list *l, const char *path)
{
  size_t i;
  for(i = 0; i < l->n; i++)
    if(!strcmp(l->items[i].path, path))
      return (long)i;
  return -1;
}

static int copy_file(const char *from, const char *to)
{
  char buf[8192];
  size_t n;
  FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
  int rc = in && out ? 0 : -1;
  while(!rc && (n = fread(buf, 1, sizeof(buf), in)) > 0)
    rc = fwrite(buf, 1, n, out) == n ? 0 : -1;
  if(in)
    fclose(in);
  if(out && fclose(out))
    rc = -1;
  return rc;
}

static void test_scan_shadow(void **state)
{
  char tmp[] = "/tmp/hrsync-loader-XXXXXX", copy[4200], good[4200];
  char *dirs[3];
  hs_plugin_list list;
  hs_err err = {HS_OK, ""};
  long first, second;
  (void)state;

  assert_non_null(mkdtemp(tmp));
  snprintf(copy, sizeof(copy), "%s/hrsync-testgood.so", tmp);
  snprintf(good, sizeof(good), "%s", path_of("testgood"));
  assert_int_equal(copy_file(good, copy), 0);
  /* The same folder twice is scanned once; then the copy is shadowed. */
  dirs[0] = (char *)plugin_dir;
  dirs[1] = (char *)plugin_dir;
  dirs[2] = tmp;
  assert_int_equal(hs_loader_scan(dirs, 3, &list, &err), HS_OK);
  first = index_of(&list, good);
  second = index_of(&list, copy);
  assert_true(first >= 0);
  assert_true(second > first);
  assert_null(list.items[first].error);
  assert_non_null(list.items[second].error);
  assert_string_equal(list.items[second].name, "testgood");
  assert_non_null(strstr(list.items[second].error, "shadowed by "));
  assert_non_null(strstr(list.items[second].error, good));
  /* Broken plugins are listed, not fatal. */
  assert_true(index_of(&list, path_of("junk")) >= 0);
  hs_plugin_list_free(&list);

  /* Reversed: the copy wins. */
  dirs[0] = tmp;
  dirs[1] = (char *)plugin_dir;
  assert_int_equal(hs_loader_scan(dirs, 2, &list, &err), HS_OK);
  assert_null(list.items[index_of(&list, copy)].error);
  assert_non_null(strstr(list.items[index_of(&list, good)].error, copy));
  hs_plugin_list_free(&list);

  unlink(copy);
  rmdir(tmp);
}

static void test_world_writable_refused(void **state)
{
  char tmp[] = "/tmp/hrsync-loader-XXXXXX", copy[4200];
  hs_plugin p;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_non_null(mkdtemp(tmp));
  snprintf(copy, sizeof(copy), "%s/hrsync-testgood.so", tmp);
  assert_int_equal(copy_file(path_of("testgood"), copy), 0);
  assert_int_equal(chmod(copy, 0755), 0);
  assert_int_equal(hs_loader_load_file(copy, &p, &err), HS_OK);
  hs_plugin_clear(&p);
  assert_int_equal(chmod(copy, 0777), 0);
  assert_int_equal(hs_loader_load_file(copy, &p, &err), HS_E_PLUGIN);
  assert_string_equal(p.error, "refused: the file is world-writable");
  hs_plugin_clear(&p);
  assert_int_equal(chmod(copy, 0755), 0);
  assert_int_equal(chmod(tmp, 0777), 0); /* no sticky bit */
  assert_int_equal(hs_loader_load_file(copy, &p, &err), HS_E_PLUGIN);
  assert_string_equal(p.error, "refused: its folder is world-writable");
  hs_plugin_clear(&p);
  assert_int_equal(chmod(tmp, 0700), 0);
  unlink(copy);
  rmdir(tmp);
}

static void test_scan_missing_dir(void **state)
{
  char *dirs[1] = {"/nonexistent/hrsync-plugins"};
  hs_plugin_list list;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(hs_loader_scan(dirs, 1, &list, &err), HS_OK);
  assert_int_equal(list.n, 0);
  hs_plugin_list_free(&list);
}

static void test_find(void **state)
{
  char *dirs[2] = {"/nonexistent/first", (char *)plugin_dir};
  hs_plugin p;
  hs_err err = {HS_OK, ""};
  (void)state;
  assert_int_equal(hs_loader_find(dirs, 2, "testgood", &p, &err), HS_OK);
  assert_non_null(p.desc);
  assert_string_equal(p.path, path_of("testgood"));
  hs_plugin_clear(&p);

  assert_int_equal(hs_loader_find(dirs, 2, "nosuch", &p, &err), HS_E_PLUGIN);
  assert_non_null(strstr(err.msg, "no connector named \"nosuch\""));
  assert_non_null(strstr(err.msg, "/nonexistent/first"));

  assert_int_equal(hs_loader_find(dirs, 2, "testnocb", &p, &err), HS_E_PLUGIN);
  assert_non_null(strstr(err.msg, "connector testnocb: "));
  assert_non_null(strstr(err.msg, "missing required callback next_page"));
  hs_plugin_clear(&p);

  assert_int_equal(hs_loader_find(dirs, 2, "../etc", &p, &err), HS_E_CONFIG);
}

static void test_search_dirs(void **state)
{
  char **dirs;
  size_t n;
  hs_err err = {HS_OK, ""};
  const char *suffix = "/hrsync/plugins";
  size_t len;
  (void)state;
  setenv("HRSYNC_PLUGIN_PATH", "/a::/b:", 1);
  assert_int_equal(hs_loader_search_dirs("/c", &dirs, &n, &err), HS_OK);
  assert_int_equal(n, 4);
  assert_string_equal(dirs[0], "/a");
  assert_string_equal(dirs[1], "/b");
  assert_string_equal(dirs[2], "/c");
  len = strlen(dirs[3]);
  assert_true(len > strlen(suffix));
  assert_string_equal(dirs[3] + len - strlen(suffix), suffix);
  hs_loader_free_dirs(dirs, n);

  unsetenv("HRSYNC_PLUGIN_PATH");
  assert_int_equal(hs_loader_search_dirs(NULL, &dirs, &n, &err), HS_OK);
  assert_int_equal(n, 1);
  hs_loader_free_dirs(dirs, n);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_good),
      cmocka_unit_test(test_broken),
      cmocka_unit_test(test_broken_name_from_file),
      cmocka_unit_test(test_member_accessor),
      cmocka_unit_test(test_scan_shadow),
      cmocka_unit_test(test_world_writable_refused),
      cmocka_unit_test(test_scan_missing_dir),
      cmocka_unit_test(test_find),
      cmocka_unit_test(test_search_dirs),
  };
  if(argc < 2) {
    fprintf(stderr, "usage: test_loader PLUGIN_DIR\n");
    return 2;
  }
  plugin_dir = argv[1];
  return cmocka_run_group_tests(tests, NULL, NULL);
}
