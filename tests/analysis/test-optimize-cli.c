/* test-optimize-cli.c — coordyn-cli optimize: its table, the target's line,
 * the same bytes for --threads 1 and 2, and every mistake refused with the
 * exit status and a message that names it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "cd-test-cli.h"

static const char *cli;
static char *dir;

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static char *
example (const char *name)
{
  return g_build_filename (SOURCE_EXAMPLES_DIR, name, NULL);
}

/* Runs the CLI with the given arguments; returns its exit status. */
static int
run (char **out,
     char **err,
     ...)
{
  g_autoptr (GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, err);
  args = cd_test_args_from (ap);
  va_end (ap);
  return cd_test_spawn (NULL, cli, (const char *const *) args->pdata, NULL, out, err);
}

static void
test_help (void)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run (&out, &err, "optimize", "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--lever=PATH:COST[:MAX]"));
  g_assert_nonnull (strstr (out, "--objective"));
  g_assert_nonnull (strstr (out, "--target"));
  g_assert_nonnull (strstr (out, "docs/policy.md"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "optimize"));
}

/* One lever on the tutorial, --threads 1 and 2: the same bytes; the target
 * line on standard output when the table goes to a file. */
static void
test_table (void)
{
  g_autofree char *model = example ("tutorial.json");
  g_autofree char *one = path_of ("one.csv"), *two = path_of ("two.csv");
  g_autofree char *a = NULL, *b = NULL, *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;
  g_auto (GStrv) lines = NULL;

  g_assert_cmpint (run (&out2, &err2, "optimize", model, "--lever", "resistance.law:2",
                        "--lever", "thrust.appraisal:1:2", "--objective", "coordination",
                        "--target", "0.6", "--threads", "2", "-o", two, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out2, "target 0.6: "));
  g_assert_cmpstr (err2, ==, "");
  g_assert_true (g_file_get_contents (two, &b, NULL, NULL));
#ifndef __SANITIZE_ADDRESS__
  /* The same bytes on one thread.  Not under AddressSanitizer: the same
   * search through the same code again (this case 11 s -> 6 s under ASan,
   * 2026-12-06); the main suite compares them, test-optimize too. */
  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:2",
                        "--lever", "thrust.appraisal:1:2", "--objective", "coordination",
                        "--target", "0.6", "--threads", "1", "-o", one, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, out2);
  g_assert_true (g_file_get_contents (one, &a, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
#endif
  lines = g_strsplit (b, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "cost,total_loss,final_mean_coordination,resistance.law,"
                                 "thrust.appraisal");
  g_assert_true (g_str_has_prefix (lines[1], "0,"));
  g_assert_cmpuint (g_strv_length (lines), >, 3);

  /* to standard output, the target's line goes to standard error */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:2",
                        "--lever", "thrust.appraisal:1:2", "--objective", "coordination",
                        "--target", "0.6", "--threads", "2", NULL), ==, 0);
  g_assert_cmpstr (out, ==, b);
  g_assert_cmpstr (err, ==, out2);
}

static void
expect (int         status,
        const char *message,
        ...)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  va_list ap;
  const char *arg;
  int wait_status, got;

  g_ptr_array_add (args, (char *) cli);
  g_ptr_array_add (args, "optimize");
  va_start (ap, message);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  got = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
  if (got != status || strstr (err, message) == NULL)
    g_error ("exit %d (expected %d), stderr \"%s\" (expected \"%s\" in it)", got, status, err,
             message);
  g_assert_cmpstr (out, ==, "");
}

static void
test_refused (void)
{
  g_autofree char *model = example ("tutorial.json");
  g_autofree char *output = path_of ("refused.csv");

  expect (2, "give at least one --lever", model, NULL);
  expect (2, "--objective must be loss or coordination, not \"gain\"", model,
          "--lever", "resistance.law:1", "--objective", "gain", NULL);
  expect (2, "--target must be a final mean coordination from 0 to 1, not \"1.2\"", model,
          "--lever", "resistance.law:1", "--target", "1.2", NULL);
  expect (2, "--seed must be a whole number", model, "--lever", "resistance.law:1", "--seed",
          "-3", NULL);
  expect (2, "--threads must be from 1 to 4096", model, "--lever", "resistance.law:1",
          "--threads", "-1", NULL);
  expect (2, "--target must be a number ≥ 0, not “-0.1”", model, "--lever",
          "resistance.law:1", "--target", "-0.1", NULL);
  expect (2, "--target must be a number ≥ 0, not “nan”", model, "--lever",
          "resistance.law:1", "--target", "nan", NULL);
  expect (2, "--threads must be from 1 to 4096", model, "--lever", "resistance.law:1",
          "--threads", "0", NULL);
  expect (2, "is the same file as", model, "--lever", "resistance.law:1", "-o", model,
          NULL);
  expect (2, "is the same file as", model, "--lever", "resistance.law:1", "--figure", model,
          NULL);
  expect (2, "name the same file", model, "--lever", "resistance.law:1", "-o", output,
          "--figure", output, NULL);
  expect (2, "needs a file name", model, "--lever", "resistance.law:1", "--figure", "", NULL);
  expect (2, "at most 8 levers", model, "--lever", "gravity.interest:1", "--lever",
          "gravity.trust:1", "--lever", "pressure.admin:1", "--lever", "pressure.crisis:1",
          "--lever", "thrust.info:1", "--lever", "thrust.appraisal:1", "--lever",
          "resistance.law:1", "--lever", "resistance.supervision:1", "--lever",
          "resistance.burden:1", NULL);
  expect (1, "tutorial.json: lever \"resistance.law\": write it as PATH:COST", model,
          "--lever", "resistance.law", NULL);
  expect (1, "lever resistance.law: the most it may be set to, 3, must lie within [0, 1]", model,
          "--lever", "resistance.law:1:3", "-o", output, NULL);
  expect (1, "lever resistance.ideas: models of version 1 have no such parameter", model,
          "--lever", "resistance.ideas:1", NULL);
  expect (1, "lever resistance.law is given twice", model, "--lever", "resistance.law:1",
          "--lever", "resistance.law:2", NULL);
  expect (1, "no scenario named \"nothing\"", model, "--lever", "resistance.law:1",
          "--scenario", "nothing", NULL);
  /* a failed command leaves no output */
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

/* A lever an intervention sets is named with the time it is set from. */
static void
test_masked_note (void)
{
  g_autofree char *model = path_of ("masked.json");
  g_autofree char *out = NULL, *err = NULL;
  static const char json[] =
    "{ \"simulation\": {\"t_end\": 10, \"dt\": 0.5},"
    "  \"nodes\": [ {\"id\": \"a\"}, {\"id\": \"b\"} ],"
    "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\"} ],"
    "  \"interventions\": [ {\"at\": 4, \"set\": {\"resistance.law\": 1}} ] }";

  g_assert_true (g_file_set_contents (model, json, -1, NULL));
  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:1", NULL), ==,
                   0);
  g_assert_nonnull (strstr (err, "note: an intervention sets resistance.law from t = 4 on"));
  g_assert_true (g_str_has_prefix (out, "cost,total_loss,final_mean_coordination,"
                                        "resistance.law\n"));
}

/* --figure: the Pareto chart, drawn by coordyn-cli-graphics, beside the
 * same table as without it. */
static void
test_figure (void)
{
  g_autofree char *model = example ("tutorial.json");
  g_autofree char *png = path_of ("front.png"), *svg = path_of ("front.svg");
  g_autofree char *csv = path_of ("figure.csv"), *plain = path_of ("plain.csv");
  g_autofree char *a = NULL, *b = NULL, *bytes = NULL, *out = NULL, *err = NULL;
  gsize length;

  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:2",
                        "--objective", "coordination", "--target", "0.6", "-o", csv,
                        "--figure", png, "--preset", "column", NULL), ==, 0);
  g_assert_true (g_file_get_contents (png, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (memcmp (bytes, "\x89PNG", 4) == 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:2",
                        "--objective", "coordination", "--target", "0.6", "-o", plain, NULL), ==,
                   0);
  g_assert_true (g_file_get_contents (csv, &a, NULL, NULL));
  g_assert_true (g_file_get_contents (plain, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&bytes, g_free);
  g_assert_cmpint (run (&out, &err, "optimize", model, "--lever", "resistance.law:2",
                        "--figure", svg, "--no-title", NULL), ==, 0);
  g_assert_true (g_file_get_contents (svg, &bytes, NULL, NULL));
  g_assert_nonnull (strstr (bytes, "<svg"));
  expect (2, "--figure: cannot tell the format", model, "--lever", "resistance.law:2",
          "--figure", "front.gif", NULL);
  expect (2, "--no-title goes with --figure FILE", model, "--lever", "resistance.law:2", "--no-title", NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("COORDYN_CLI");
  if (cli == NULL)
    {
      g_printerr ("COORDYN_CLI is not set: run this test through meson test\n");
      return 1;
    }
  dir = g_dir_make_tmp ("coordyn-optimize-cli-XXXXXX", NULL);
  g_test_add_func ("/analysis/optimize-cli/help", test_help);
  g_test_add_func ("/analysis/optimize-cli/table", test_table);
  g_test_add_func ("/analysis/optimize-cli/refused", test_refused);
  g_test_add_func ("/analysis/optimize-cli/masked-note", test_masked_note);
  g_test_add_func ("/analysis/optimize-cli/figure", test_figure);
  status = g_test_run ();
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = path_of (name);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return status;
}
