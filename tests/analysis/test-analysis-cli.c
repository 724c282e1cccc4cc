/* test-analysis-cli.c — the analysis commands of coordyn-cli: columns,
 * exit statuses, and a sharded Monte Carlo study merged back into the
 * whole, byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

static const char *cli;
static char *dir;

static const char model_json[] =
  "{ \"simulation\": {\"t_end\": 10, \"dt\": 0.5},"
  "  \"nodes\": [ {\"id\": \"a\"}, {\"id\": \"b\", \"fragmentation\": 0.2},"
  "             {\"id\": \"c\", \"name\": \"C, the third\"} ],"
  "  \"edges\": [ {\"kind\": \"partnership\", \"source\": \"a\", \"target\": \"b\"},"
  "             {\"kind\": \"partnership\", \"source\": \"b\", \"target\": \"c\"} ],"
  "  \"events\": [ {\"onset\": 1, \"magnitude\": 1, \"decay\": 3, \"impact\": {\"a\": 1}} ],"
  "  \"scenarios\": [ {\"name\": \"law\", \"parameters\": {\"resistance\": {\"law\": 1}}} ],"
  "  \"ranges\": { \"resistance.law\": {\"min\": 0, \"max\": 1},"
  "    \"gravity.interest\": {\"distribution\": \"triangular\", \"min\": 0, \"max\": 2,"
  "                           \"mode\": 1.5} } }";

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* Runs the CLI with the given arguments; returns its exit status. */
static int
run (char **out,
     char **err,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;
  const char *arg;
  int status;

  g_ptr_array_add (args, (char *) cli);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL) ? 0
         : (WIFEXITED (status) ? WEXITSTATUS (status) : -1);
}

static char *
first_line (const char *text)
{
  const char *nl = strchr (text, '\n');
  return g_strndup (text, nl ? (gsize) (nl - text) : strlen (text));
}

/* No cell is NaN or infinite (nor empty where a number belongs: numbers
 * parse in full). */
static void
assert_all_finite (const char *csv)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);

  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      for (guint k = 0; cells[k] != NULL; k++)
        {
          g_autofree char *lower = g_ascii_strdown (cells[k], -1);
          g_assert_cmpstr (lower, !=, "nan");
          g_assert_cmpstr (lower, !=, "-nan");
          g_assert_cmpstr (lower, !=, "inf");
          g_assert_cmpstr (lower, !=, "-inf");
        }
    }
}

static void
test_columns (void)
{
  g_autofree char *model = path_of ("model.json");
  struct { const char *command; const char *header; } cases[] = {
    { "equilibria", "index,stable,max_real_eigenvalue,mean_coordination,x:a,x:b,x:c,"
                    "trust:a|b,trust:b|c" },
    { "compare", "scenario,final_mean_coordination,peak_mean_coordination,time_to_half,"
                 "total_loss,diff_final_mean_coordination,diff_peak_mean_coordination,"
                 "diff_time_to_half,diff_total_loss" },
    { "metrics", "id,name,level,degree,superiors,subordinates,betweenness,"
                 "betweenness_normalized,eigenvector,broker,isolated" },
    { "sensitivity", "rank,parameter,base,low,high,final_mean_coordination_low,"
                     "final_mean_coordination_high,total_loss_low,total_loss_high,"
                     "swing_mean_coordination,swing_loss,base_final_mean_coordination,"
                     "base_total_loss" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL, *header = NULL;
      g_autofree char *help = NULL, *help_err = NULL;

      g_assert_cmpint (run (&out, &err, cases[i].command, model, NULL), ==, 0);
      header = first_line (out);
      g_assert_cmpstr (header, ==, cases[i].header);
      assert_all_finite (out);
      g_assert_cmpint (run (&help, &help_err, cases[i].command, "--help", NULL), ==, 0);
      g_assert_nonnull (strstr (help, "Usage:"));
    }

  /* the name with a comma is quoted */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run (&out, &err, "metrics", model, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "\"C, the third\""));
  }
  /* sweep rows */
  {
    g_autofree char *out = NULL, *err = NULL, *header = NULL;
    g_auto(GStrv) lines = NULL;
    g_assert_cmpint (run (&out, &err, "sweep", model, "gravity.interest", "0", "2", "4", NULL),
                     ==, 0);
    header = first_line (out);
    g_assert_cmpstr (header, ==, "value,direction,mean_coordination,stable,tipping,branch");
    lines = g_strsplit (out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 10 + 1);
    g_assert_true (g_str_has_prefix (lines[1], "0,up,"));
    g_assert_true (g_str_has_prefix (lines[10], "0,down,"));
  }
}

static void
test_usage_errors (void)
{
  g_autofree char *model = path_of ("model.json");
  g_autofree char *bad = path_of ("bad.json");
  struct { int status; const char *args[12]; const char *message; } cases[] = {
    { 2, { "sweep", model, "nonesuch", "0", "1", "3" }, "nonesuch" },
    { 2, { "sweep", model, "resistance.law", "0", "2", "3" }, "resistance.law" },
    { 2, { "sweep", model, "resistance.law", "0", "1", "zero" }, "STEPS" },
    { 2, { "montecarlo", model, "--runs", "10" }, "--seed" },
    { 2, { "montecarlo", model, "--runs", "10", "--seed", "1", "--shard", "3/2" }, "--shard" },
    { 2, { "montecarlo", model, "--runs", "10", "--seed", "1", "--shard", "1/2", "--bands",
           "x.csv" }, "--bands" },
    { 2, { "sensitivity", model, "--delta", "2" }, "--delta" },
    { 1, { "compare", model, "--scenarios", "nonesuch" }, "nonesuch" },
    { 1, { "equilibria", bad }, "edges[0].target" },
  };

  g_assert_true (g_file_set_contents (bad, "{ \"nodes\": [ {\"id\": \"a\"} ], \"edges\": "
                                      "[ {\"kind\": \"partnership\", \"source\": \"a\", "
                                      "\"target\": \"zz\"} ] }", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) args = g_ptr_array_new ();
      g_autofree char *out = NULL, *err = NULL;
      g_autoptr(GError) error = NULL;
      int status;

      g_ptr_array_add (args, (char *) cli);
      for (guint k = 0; cases[i].args[k] != NULL; k++)
        g_ptr_array_add (args, (char *) cases[i].args[k]);
      g_ptr_array_add (args, NULL);
      g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL,
                                   NULL, &out, &err, &status, &error));
      g_assert_true (WIFEXITED (status));
      if (WEXITSTATUS (status) != cases[i].status || strstr (err, cases[i].message) == NULL)
        {
          g_test_message ("case %u: exit %d, stderr: %s", i, WEXITSTATUS (status), err);
          g_test_fail ();
        }
    }
}

static void
test_shards_merge (void)
{
  g_autofree char *model = path_of ("model.json");
  g_autofree char *whole = path_of ("whole.csv");
  g_autofree char *merged = path_of ("merged.csv");
  g_autofree char *bands = path_of ("bands.csv");
  g_autoptr(GPtrArray) shard_paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *whole_text = NULL, *merged_text = NULL, *bands_text = NULL;
  g_autoptr(GString) concatenated = g_string_new (NULL);
  g_autofree char *o1 = NULL, *e1 = NULL;

  g_assert_cmpint (run (&o1, &e1, "montecarlo", model, "--runs", "23", "--seed", "99",
                        "--threads", "2", "--bands", bands, "-o", whole, NULL), ==, 0);
  g_assert_true (g_file_get_contents (whole, &whole_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (whole_text, "run,resistance.law,gravity.interest,"
                                   "final_mean_coordination,total_loss\n"));
  g_assert_true (g_file_get_contents (bands, &bands_text, NULL, NULL));
  g_assert_true (g_str_has_prefix (bands_text, "t,mean_coordination_q05,"));

  for (guint k = 1; k <= 4; k++)
    {
      g_autofree char *name = g_strdup_printf ("shard-%u.csv", k);
      g_autofree char *shard = g_strdup_printf ("%u/4", k);
      g_autofree char *out = NULL, *err = NULL, *text = NULL;
      char *path = path_of (name);
      const char *body;

      g_ptr_array_add (shard_paths, path);
      g_assert_cmpint (run (&out, &err, "montecarlo", model, "--runs", "23", "--seed", "99",
                            "--threads", k % 2 ? "1" : "2", "--shard", shard, "-o", path,
                            NULL), ==, 0);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      /* plain shell: the header once, then every shard without its header */
      body = strchr (text, '\n') + 1;
      if (k == 1)
        g_string_append_len (concatenated, text, body - text);
      g_string_append (concatenated, body);
    }
  g_assert_cmpstr (concatenated->str, ==, whole_text);

  /* the merge command, given the shards in any order */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", "-o", merged,
                          g_ptr_array_index (shard_paths, 2), g_ptr_array_index (shard_paths, 0),
                          g_ptr_array_index (shard_paths, 3), g_ptr_array_index (shard_paths, 1),
                          NULL), ==, 0);
    g_assert_true (g_file_get_contents (merged, &merged_text, NULL, NULL));
    g_assert_cmpstr (merged_text, ==, whole_text);
  }
  /* a missing shard is named */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", g_ptr_array_index (shard_paths, 0),
                          g_ptr_array_index (shard_paths, 2), NULL), ==, 1);
    g_assert_nonnull (strstr (err, "missing"));
  }
  /* one missing run is named in the singular, a range of them as a range */
  {
    g_autofree char *s1 = path_of ("small-1.csv");
    g_autofree char *s2 = path_of ("small-2.csv");
    g_autofree char *s3 = path_of ("small-3.csv");
    g_autofree char *out = NULL, *err = NULL;
    const char *const shards[][2] = { { "1/3", s1 }, { "2/3", s2 }, { "3/3", s3 } };

    for (guint k = 0; k < G_N_ELEMENTS (shards); k++)
      {
        g_autofree char *o = NULL, *e = NULL;
        g_assert_cmpint (run (&o, &e, "montecarlo", model, "--runs", "3", "--seed", "5",
                              "--shard", shards[k][0], "-o", shards[k][1], NULL), ==, 0);
      }
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", s1, s3, NULL), ==, 1);
    g_assert_cmpstr (err, ==, "coordyn-cli montecarlo-merge: run 1 is missing (a shard not given "
                              "or not finished?)\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", s1, NULL), ==, 0);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", s3, NULL), ==, 1);
    g_assert_cmpstr (err, ==, "coordyn-cli montecarlo-merge: runs 0 to 1 are missing (a shard "
                              "not given or not finished?)\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", s1, s1, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "appears twice"));
  }
}

/* The national model (9,374 state dimensions, beyond the dense path):
 * equilibria through coordyn-cli in the same columns, every one a stable
 * state or not with a finite largest real part; a short sweep too. */
static void
test_national (void)
{
  g_autofree char *model = path_of ("national.json");
  g_autofree char *out = NULL, *err = NULL, *header = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  guint n_x = 0, n_trust = 0;

  g_assert_cmpint (run (&out, &err, "generate", "national", "-o", model, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "equilibria", model, NULL), ==, 0);
  header = first_line (out);
  g_assert_true (g_str_has_prefix (header, "index,stable,max_real_eigenvalue,mean_coordination,"
                                           "x:"));
  columns = g_strsplit (header, ",", -1);
  for (guint k = 0; columns[k] != NULL; k++)
    {
      n_x += g_str_has_prefix (columns[k], "x:");
      n_trust += g_str_has_prefix (columns[k], "trust:");
    }
  g_assert_cmpuint (n_x, ==, 3209);
  g_assert_cmpuint (n_trust, ==, 6165);
  assert_all_finite (out);
  lines = g_strsplit (out, "\n", -1);
  g_test_message ("%u equilibria", g_strv_length (lines) - 2);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", 5);
      double max_real = g_ascii_strtod (cells[2], NULL);

      g_assert_cmpuint (g_strv_length (cells), ==, 5);
      g_assert_cmpstr (cells[1], ==, max_real < -1e-8 ? "1" : "0");
    }

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run (&out, &err, "sweep", model, "resistance.law", "0", "1", "2", NULL), ==,
                   0);
  g_strfreev (lines);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *model = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  cli = g_getenv ("COORDYN_CLI");
  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE))
    {
      /* Without the CLI there is nothing to test: fail loudly. */
      g_printerr ("COORDYN_CLI is not set to an executable coordyn-cli\n");
      return 1;
    }
  dir = g_dir_make_tmp ("coordyn-analysis-cli-XXXXXX", NULL);
  g_assert_nonnull (dir);
  model = path_of ("model.json");
  g_assert_true (g_file_set_contents (model, model_json, -1, NULL));

  g_test_add_func ("/analysis/cli/columns", test_columns);
  g_test_add_func ("/analysis/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/analysis/cli/shards-merge", test_shards_merge);
  g_test_add_func ("/analysis/cli/national", test_national);
  status = g_test_run ();

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = path_of (name);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return status;
}
