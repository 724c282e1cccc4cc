/* test-thesis.c — docs/thesis.md quotes what the program computes.
 *
 * Reruns each of the five bundled experiments (`coordyn-cli thesis N
 * --table`) and fails if docs/thesis.md does not contain its tables
 * verbatim, so the document cannot silently go stale; checks that
 * `thesis N` writes exactly the table `coordyn-cli experiment` writes for
 * the bundled spec, and draws a figure.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

static const char *cli;

static char *
run_cli (const char *const *args,
         int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int wait_status;

  g_ptr_array_add (argv, (char *) cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);
  if (*status != 0)
    g_test_message ("%s %s: %s", cli, args[0], err);
  return out;
}

static void
test_tables_quoted (gconstpointer data)
{
  guint n = GPOINTER_TO_UINT (data);
  g_autofree char *number = g_strdup_printf ("%u", n);
  const char *args[] = { "thesis", number, "--table", NULL };
  g_autofree char *doc_path = g_build_filename (SOURCE_ROOT, "docs", "thesis.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *tables = NULL;
  g_auto(GStrv) blocks = NULL;
  int status;

  g_assert_true (g_file_get_contents (doc_path, &doc, NULL, NULL));
  tables = run_cli (args, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (strlen (tables), >, 100);
  /* Each arrangement's table, as a block, where the document quotes it. */
  blocks = g_strsplit (g_strstrip (tables), "\n\n`", -1);
  for (guint i = 0; blocks[i] != NULL; i++)
    {
      g_autofree char *block = i == 0 ? g_strdup (blocks[i]) : g_strconcat ("`", blocks[i], NULL);
      if (strstr (doc, block) == NULL)
        {
          g_test_message ("docs/thesis.md does not quote what `coordyn-cli thesis %u --table` "
                          "computes now; regenerate it with tools/thesis-figures and check the "
                          "findings still hold. Missing:\n%s", n, block);
          g_test_fail ();
        }
    }
}

static void
test_same_as_experiment (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-thesis-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "thesis.csv", NULL);
  g_autofree char *b = g_build_filename (dir, "experiment.csv", NULL);
  g_autofree char *fig = g_build_filename (dir, "figure.png", NULL);
  g_autofree char *spec = g_build_filename (SOURCE_ROOT, "data", "thesis", "5-resistance.json",
                                            NULL);
  const char *thesis_args[] = { "thesis", "5", "-o", a, "--figure", fig, NULL };
  const char *experiment_args[] = { "experiment", spec, "-o", b, NULL };
  const char *bad[] = { "thesis", "6", NULL };
  g_autofree char *ta = NULL, *tb = NULL, *o1 = NULL, *o2 = NULL, *o3 = NULL;
  gsize size = 0;
  int status;

  o1 = run_cli (thesis_args, &status);
  g_assert_cmpint (status, ==, 0);
  o2 = run_cli (experiment_args, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_file_get_contents (a, &ta, NULL, NULL));
  g_assert_true (g_file_get_contents (b, &tb, NULL, NULL));
  g_assert_cmpstr (ta, ==, tb);
  g_assert_true (g_str_has_prefix (ta, "run,institution,scenario,resistance.supervision,"
                                       "resistance.law,final_mean_coordination"));
  {
    g_autofree char *png = NULL;
    g_assert_true (g_file_get_contents (fig, &png, &size, NULL));
    g_assert_cmpuint (size, >, 10000);
    g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
  }
  o3 = run_cli (bad, &status);
  g_assert_cmpint (status, ==, 2);
  g_unlink (a);
  g_unlink (b);
  g_unlink (fig);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("COORDYN_CLI");
  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("COORDYN_CLI is not set to an executable coordyn-cli\n");
      return 1;
    }
  for (guint n = 1; n <= 5; n++)
    {
      g_autofree char *path = g_strdup_printf ("/analysis/thesis/tables-quoted/%u", n);
      g_test_add_data_func (path, GUINT_TO_POINTER (n), test_tables_quoted);
    }
  g_test_add_func ("/analysis/thesis/same-as-experiment", test_same_as_experiment);
  return g_test_run ();
}
