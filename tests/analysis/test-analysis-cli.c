/* test-analysis-cli.c — the analysis commands of coordyn-cli: columns,
 * exit statuses, a sharded Monte Carlo study merged back into the whole,
 * byte for byte, their charts with --figure (by coordyn-cli-graphics; the
 * CSV the same with and without), and the note when a sampled range
 * leaves out its parameter's base value.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cd-test-cli.h"

static const char *cli;
static char *dir;

/* The CLI with args and then extra (extra may be NULL); its exit status. */
static int
run_argv (const char *const *args,
          const char *const *extra,
          char              **out,
          char              **err)
{
  return cd_test_spawn (NULL, cli, args, extra, out, err);
}

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
  g_autoptr(GPtrArray) args = NULL;
  va_list ap;

  va_start (ap, err);
  args = cd_test_args_from (ap);
  va_end (ap);
  return run_argv ((const char *const *) args->pdata, NULL, out, err);
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
    { 2, { "montecarlo", model, "--runs", "10", "--seed", "1", "--shard", "1/0" }, "--shard" },
    { 2, { "montecarlo", model, "--runs", "10", "--seed", "1", "--shard", "+1/2" }, "--shard" },
    { 2, { "sensitivity", model, "--delta", "2" }, "--delta" },
    { 2, { "sensitivity", model, "--shard", "1/2" }, "--sobol" },
    { 2, { "sensitivity", model, "--sobol", "4", "--shard", "1/2/3" }, "--shard" },
    { 1, { "compare", model, "--scenarios", "nonesuch" }, "nonesuch" },
    { 1, { "equilibria", bad }, "edges[0].target" },
    /* the figure options */
    { 2, { "equilibria", model, "--preset", "column" }, "--figure" },
    { 2, { "equilibria", model, "--no-title" }, "--figure" },
    { 2, { "equilibria", model, "--figure", "chart.txt" }, "chart.txt" },
    { 2, { "sweep", model, "resistance.law", "0", "1", "3", "--figure", "s.png", "--preset",
           "poster" }, "--preset" },
    { 2, { "sensitivity", model, "--figure", "t.png", "--figure-outcome", "money" },
      "--figure-outcome" },
    { 2, { "compare", model, "--figure", "c.png", "--figure-outcome", "loss" },
      "--figure-outcome" },
    { 2, { "montecarlo", model, "--runs", "10", "--seed", "1", "--shard", "1/2", "--figure",
           "m.png" }, "--shard" },
  };

  g_assert_true (g_file_set_contents (bad, "{ \"nodes\": [ {\"id\": \"a\"} ], \"edges\": "
                                      "[ {\"kind\": \"partnership\", \"source\": \"a\", "
                                      "\"target\": \"zz\"} ] }", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      int status = run_argv (cases[i].args, NULL, &out, &err);

      g_assert_cmpint (status, >=, 0);   /* an exit, not a signal */
      if (status != cases[i].status || strstr (err, cases[i].message) == NULL)
        {
          g_test_message ("case %u: exit %d, stderr: %s", i, status, err);
          g_test_fail ();
        }
    }
}

/* The table of a shard: its lines after the preamble ("# " lines). */
static const char *
shard_table (const char *text)
{
  while (g_str_has_prefix (text, "# "))
    text = strchr (text, '\n') + 1;
  return text;
}

static void
test_shards_merge (void)
{
  g_autofree char *model = path_of ("model.json");
  g_autofree char *whole = path_of ("whole.csv");
  g_autofree char *merged = path_of ("merged.csv");
  g_autofree char *bands = path_of ("bands.csv");
  g_autofree char *merged_bands = path_of ("merged-bands.csv");
  g_autoptr(GPtrArray) shard_paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *whole_text = NULL, *merged_text = NULL, *bands_text = NULL;
  g_autofree char *merged_bands_text = NULL;
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
      g_autofree char *out = NULL, *err = NULL, *text = NULL, *preamble = NULL;
      char *path = path_of (name);
      const char *table, *body, *trajectories;

      g_ptr_array_add (shard_paths, path);
      /* with --bands, each shard keeps its runs' trajectories for the merge */
      g_assert_cmpint (run (&out, &err, "montecarlo", model, "--runs", "23", "--seed", "99",
                            "--threads", k % 2 ? "1" : "2", "--shard", shard, "--bands", bands,
                            "-o", path, NULL), ==, 0);
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      preamble = g_strdup_printf ("# coordyn-shard: 1\n# command: montecarlo\n# shard: %u/4\n",
                                  k);
      g_assert_true (g_str_has_prefix (text, preamble));
      g_assert_nonnull (strstr (text, "\n# study: --runs 23 --seed 99 --bands\n"));
      g_assert_nonnull (strstr (text, "\n# parameter: gravity.interest,triangular,0,2,1.5\n"));
      g_assert_nonnull (strstr (text, "\n# times: 21,0.5\n"));
      /* the rows are the whole study's, the trajectories after them */
      table = shard_table (text);
      body = strchr (table, '\n') + 1;
      trajectories = strstr (table, "\n#,");
      g_assert_nonnull (trajectories);
      if (k == 1)
        g_string_append_len (concatenated, table, body - table);
      g_string_append_len (concatenated, body, trajectories + 1 - body);
    }
  g_assert_cmpstr (concatenated->str, ==, whole_text);
  /* bands were not written by the shards, whose part of the runs has no quantiles */
  {
    g_autofree char *again = NULL;
    g_assert_true (g_file_get_contents (bands, &again, NULL, NULL));
    g_assert_cmpstr (again, ==, bands_text);
  }

  /* merge, and its former name, given the shards in any order */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_clear_pointer (&merged_text, g_free);
      g_clear_pointer (&merged_bands_text, g_free);
      g_assert_cmpint (run (&out, &err, i == 0 ? "merge" : "montecarlo-merge", "-o", merged,
                            "--bands", merged_bands,
                            g_ptr_array_index (shard_paths, 2), g_ptr_array_index (shard_paths, 0),
                            g_ptr_array_index (shard_paths, 3), g_ptr_array_index (shard_paths, 1),
                            NULL), ==, 0);
      g_assert_true (g_file_get_contents (merged, &merged_text, NULL, NULL));
      g_assert_cmpstr (merged_text, ==, whole_text);
      g_assert_true (g_file_get_contents (merged_bands, &merged_bands_text, NULL, NULL));
      g_assert_cmpstr (merged_bands_text, ==, bands_text);
    }
  /* shards with trajectories ask for --bands */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run (&out, &err, "merge", g_ptr_array_index (shard_paths, 0),
                          g_ptr_array_index (shard_paths, 1), g_ptr_array_index (shard_paths, 2),
                          g_ptr_array_index (shard_paths, 3), NULL), ==, 2);
    g_assert_nonnull (strstr (err, "--bands FILE"));
  }
  /* a missing shard is named */
  {
    g_autofree char *out = NULL, *err = NULL;
    g_assert_cmpint (run (&out, &err, "merge", g_ptr_array_index (shard_paths, 0),
                          g_ptr_array_index (shard_paths, 2), NULL), ==, 1);
    g_assert_cmpstr (err, ==, "coordyn-cli merge: shards 2 and 4 of 4 are missing, 2 in all (not "
                              "given, or not finished?)\n");
  }
  /* one missing shard in the singular; a shard twice names both files */
  {
    g_autofree char *s1 = path_of ("small-1.csv");
    g_autofree char *s2 = path_of ("small-2.csv");
    g_autofree char *s3 = path_of ("small-3.csv");
    g_autofree char *out = NULL, *err = NULL, *expected = NULL;
    const char *const shards[][2] = { { "1/3", s1 }, { "2/3", s2 }, { "3/3", s3 } };

    for (guint k = 0; k < G_N_ELEMENTS (shards); k++)
      {
        g_autofree char *o = NULL, *e = NULL;
        g_assert_cmpint (run (&o, &e, "montecarlo", model, "--runs", "3", "--seed", "5",
                              "--shard", shards[k][0], "-o", shards[k][1], NULL), ==, 0);
      }
    g_assert_cmpint (run (&out, &err, "montecarlo-merge", s1, s3, NULL), ==, 1);
    g_assert_cmpstr (err, ==, "coordyn-cli montecarlo-merge: shard 2 of 3 is missing (not given, "
                              "or not finished?)\n");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (run (&out, &err, "merge", s1, s2, s3, s1, NULL), ==, 1);
    expected = g_strdup_printf ("coordyn-cli merge: shard 1 of 3 is given twice: %s and %s\n",
                                s1, s1);
    g_assert_cmpstr (err, ==, expected);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    /* a shard of another study (another seed) is named, with what differs */
    {
      g_autofree char *o = NULL, *e = NULL;
      g_assert_cmpint (run (&o, &e, "montecarlo", model, "--runs", "3", "--seed", "6",
                            "--shard", "2/3", "-o", s2, NULL), ==, 0);
    }
    g_assert_cmpint (run (&out, &err, "merge", s1, s2, s3, NULL), ==, 1);
    expected = (g_free (expected),
                g_strdup_printf ("coordyn-cli merge: %s:7: \"study: --runs 3 --seed 6\" here, but "
                                 "\"study: --runs 3 --seed 5\" in %s: the shards are not from "
                                 "the same study\n", s2, s1));
    g_assert_cmpstr (err, ==, expected);
  }
}

/* The last value of column `column` (0-based) of a CSV. */
static double
last_value (const char *csv,
            guint       column)
{
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n = g_strv_length (lines);
  g_auto(GStrv) cells = NULL;

  g_assert_cmpuint (n, >=, 2);
  cells = g_strsplit (lines[n - 1][0] == '\0' ? lines[n - 2] : lines[n - 1], ",", -1);
  g_assert_cmpuint (g_strv_length (cells), >, column);
  return g_ascii_strtod (cells[column], NULL);
}

/* run and compare under institutional arrangements (docs/institutions.md). */
static void
test_institutions (void)
{
  g_autofree char *v1 = path_of ("model.json");
  g_autofree char *v2 = path_of ("model2.json");
  g_autofree char *mine = path_of ("mine.json");
  g_autofree char *broken = path_of ("broken-arrangement.json");
  g_autofree char *out = NULL, *err = NULL, *expected = NULL;
  g_auto(GStrv) lines = NULL;
  const char *names[] = { "base", "united-states", "my-own" };
  const char *runs[] = { NULL, "united-states", NULL };

  runs[2] = mine;
  g_assert_cmpint (run (&out, &err, "upgrade", v1, "-o", v2, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_file_set_contents (mine, "{\"format\": \"coordyn-institution\", "
                                      "\"version\": 1, \"name\": \"my-own\", \"parameters\": "
                                      "{\"resistance\": {\"law\": 1}}}", -1, NULL));

  g_assert_cmpint (run (&out, &err, "compare", v2, "--institution", "united-states",
                        "--institution", mine, NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "scenario,final_mean_coordination,peak_mean_coordination,"
                   "time_to_half,total_loss,diff_final_mean_coordination,"
                   "diff_peak_mean_coordination,diff_time_to_half,diff_total_loss");
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint k = 0; k < 3; k++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[k + 1], ",", -1);
      g_autofree char *rout = NULL, *rerr = NULL;

      g_assert_cmpstr (cells[0], ==, names[k]);
      /* Each row is what `run --institution` gives. */
      if (runs[k] == NULL)
        g_assert_cmpint (run (&rout, &rerr, "run", v2, NULL), ==, 0);
      else
        g_assert_cmpint (run (&rout, &rerr, "run", v2, "--institution", runs[k], NULL), ==, 0);
      g_assert_cmpfloat (g_ascii_strtod (cells[1], NULL), ==, last_value (rout, 1));
      g_assert_cmpfloat (g_ascii_strtod (cells[4], NULL), ==, last_value (rout, 2));
    }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Its chart: a curve per arrangement. */
  {
    g_autofree char *fig = path_of ("arrangements.png");
    g_autofree char *png = NULL;
    gsize size = 0;

    g_assert_cmpint (run (&out, &err, "compare", v2, "--institution", "united-states",
                          "--institution", mine, "-o", "/dev/null", "--figure", fig, NULL), ==, 0);
    g_assert_true (g_file_get_contents (fig, &png, &size, NULL));
    g_assert_cmpuint (size, >, 1000);
    g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
    g_unlink (fig);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }

  /* A version-1 model is refused, suggesting the upgrade. */
  g_assert_cmpint (run (&out, &err, "run", v1, "--institution", "japan", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, v1));
  g_assert_nonnull (strstr (err, "coordyn-cli upgrade"));
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "compare", v2, "--institution", "atlantis", NULL), ==, 1);
  g_assert_true (g_str_has_prefix (err, "coordyn-cli compare: no institutional arrangement "
                                   "named \"atlantis\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "compare", v2, "--institution", "japan", "--scenarios", "law",
                        NULL), ==, 2);
  g_assert_nonnull (strstr (err, "not both"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run (&out, &err, "compare", v2, "--institution", "japan", "--institution",
                        "japan", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "\"japan\" is given twice"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_file_set_contents (broken, "{\"format\": \"coordyn-institution\", "
                                      "\"version\": 1, \"name\": \"b\", \"governments\": "
                                      "[{\"set\": {\"appraisal\": 2}}]}", -1, NULL));
  g_assert_cmpint (run (&out, &err, "run", v2, "--institution", broken, NULL), ==, 1);
  expected = g_strdup_printf ("%s: governments[0].set.appraisal: 2 is outside [0, 1]\n", broken);
  g_assert_cmpstr (err, ==, expected);
  g_assert_cmpstr (out, ==, "");
}

/* A PNG's size from its IHDR chunk (this test links no image library). */
static void
png_size (const char *path,
          guint      *width,
          guint      *height)
{
  g_autofree guchar *data = NULL;
  gsize n = 0;

  g_assert_true (g_file_get_contents (path, (char **) &data, &n, NULL));
  g_assert_cmpuint (n, >, 24);
  g_assert_true (memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0);
  g_assert_true (memcmp (data + 12, "IHDR", 4) == 0);
  *width = (guint) data[16] << 24 | (guint) data[17] << 16 | (guint) data[18] << 8 | data[19];
  *height = (guint) data[20] << 24 | (guint) data[21] << 16 | (guint) data[22] << 8 | data[23];
}

/* The national model (9,374 state dimensions, beyond the dense path):
 * equilibria through coordyn-cli in the same columns, every one a stable
 * state or not with a finite largest real part; a short sweep too. */
static void
test_national (void)
{
  g_autofree char *model = path_of ("national.json");
  g_autofree char *figure = path_of ("national.png");
  g_autofree char *out = NULL, *err = NULL, *header = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) columns = NULL;
  guint n_x = 0, n_trust = 0, width, height;

  g_assert_cmpint (run (&out, &err, "generate", "national", "-o", model, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* with its chart, which at this size is a histogram (test-figure-presets
   * looks at it) */
  g_assert_cmpint (run (&out, &err, "equilibria", model, "--figure", figure, NULL), ==, 0);
  png_size (figure, &width, &height);
  g_assert_cmpuint (width, ==, 1200);
  g_assert_cmpuint (height, ==, 800);
  g_unlink (figure);
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

/* Every analysis command draws its chart to PNG, SVG or PDF, by the file's
 * extension, at the preset's size, and writes the same CSV as without. */
static void
test_figures (void)
{
  g_autofree char *model = path_of ("model.json");
  struct { const char *args[8]; const char *ext; const char *outcome; } cases[] = {
    { { "equilibria", model }, "png", NULL },
    { { "sweep", model, "resistance.law", "0", "1", "4", "--all" }, "svg", NULL },
    { { "sensitivity", model }, "pdf", "loss" },
    { { "sensitivity", model, "--sobol", "4" }, "png", NULL },
    { { "montecarlo", model, "--runs", "12", "--seed", "5" }, "png", "loss" },
    { { "compare", model }, "png", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* The results without a figure, once per command: the same run for
       * its three presets (it was run three times, a third of this test's
       * processes, 2026-12-06). */
      g_autofree char *plain = NULL;

      g_assert_cmpint (run_argv (cases[i].args, NULL, &plain, NULL), ==, 0);

      for (guint p = 0; p < 3; p++)
        {
          static const char *const presets[] = { NULL, "column", "slide" };
          g_autofree char *name = g_strdup_printf ("figure-%u-%u.%s", i, p, cases[i].ext);
          g_autofree char *figure = path_of (name);
          g_autofree char *with = NULL, *err = NULL;
          g_autofree char *head = NULL;
          const char *extra[7] = { "--figure", figure };
          guint n_extra = 2;
          gsize n = 0;

          if (presets[p] != NULL)
            {
              extra[n_extra++] = "--preset";
              extra[n_extra++] = presets[p];
            }
          if (cases[i].outcome != NULL)
            {
              extra[n_extra++] = "--figure-outcome";
              extra[n_extra++] = cases[i].outcome;
            }
          if (run_argv (cases[i].args, extra, &with, &err) != 0)
            g_error ("%s --figure %s: %s", cases[i].args[0], name, err);
          /* the figure changes nothing in the results */
          g_assert_cmpstr (with, ==, plain);
          g_assert_true (g_file_get_contents (figure, &head, &n, NULL));
          g_assert_cmpuint (n, >, 500);
          if (strcmp (cases[i].ext, "svg") == 0)
            g_assert_nonnull (strstr (head, "<svg"));
          else if (strcmp (cases[i].ext, "pdf") == 0)
            g_assert_true (g_str_has_prefix (head, "%PDF-"));
          else
            {
              guint w, h;

              png_size (figure, &w, &h);
              g_test_message ("%s %s: %u × %u", cases[i].args[0], presets[p] ? presets[p] : "",
                              w, h);
              if (presets[p] == NULL)
                {
                  g_assert_cmpuint (w, ==, 1200);
                  g_assert_cmpuint (h, ==, 800);
                }
              else if (strcmp (presets[p], "column") == 0)
                /* 85 mm at 300 dpi */
                g_assert_cmpuint (w, ==, 1005);
              else
                {
                  g_assert_cmpuint (w, ==, 1920);
                  g_assert_cmpuint (h, ==, 1080);
                }
            }
          g_unlink (figure);
        }
    }
}

/* Monte Carlo says when a sampled range leaves out its parameter's value in
 * the model (the band then need not contain the base run), and only then. */
static void
test_montecarlo_note (void)
{
  g_autofree char *model = path_of ("model.json");
  g_autofree char *ranges = path_of ("law-ranges.json");
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  /* the model's own ranges hold its values (law 0, shared interest 1) */
  g_assert_cmpint (run (&out, &err, "montecarlo", model, "--runs", "4", "--seed", "1", NULL),
                   ==, 0);
  g_assert_null (strstr (err, "Outside the sampled range"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);
  /* law sampled in [0.5, 1] leaves out its 0 */
  g_assert_true (g_file_set_contents (ranges, "{\"resistance.law\": {\"min\": 0.5, "
                                      "\"max\": 1}}", -1, NULL));
  g_assert_cmpint (run (&out, &err, "montecarlo", model, "--runs", "4", "--seed", "1",
                        "--ranges", ranges, NULL), ==, 0);
  g_test_message ("%s", g_strchomp (err));
  g_assert_nonnull (strstr (err, "note: Outside the sampled range: Legal basis sampled in "
                                 "[0.5, 1] but 0 in the model"));
  g_assert_nonnull (strstr (err, model));
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
  g_test_add_func ("/analysis/cli/institutions", test_institutions);
  g_test_add_func ("/analysis/cli/figures", test_figures);
  g_test_add_func ("/analysis/cli/montecarlo-note", test_montecarlo_note);
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
