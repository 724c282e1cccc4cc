/* test-analysis-csv.c — the analysis tables as CSV (cd-analysis-csv.h):
 * streamed to a file and collected as text give the same bytes; a value
 * that does not exist (NaN, infinity) is an empty cell that keeps its
 * column, "-0" is written as "0", and text cells are quoted as RFC 4180
 * asks.  The CLI's output of every command is checked by test-analysis-cli.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cd-analysis-csv.h"
#include "cd-model-json.h"

/* What writer gives through a FILE, checked against what it gives as text. */
static char *
both_ways (void       (*writer) (const CdCsvSink *, gconstpointer),
           gconstpointer result)
{
  g_autoptr(GString) text = g_string_new ("");
  CdCsvSink to_text = { NULL, text };
  FILE *file = tmpfile ();
  CdCsvSink to_file = { NULL, NULL };
  char *streamed;
  long size;

  g_assert_nonnull (file);
  to_file.file = file;
  writer (&to_file, result);
  g_assert_cmpint (fflush (file), ==, 0);
  size = ftell (file);
  g_assert_cmpint (size, >=, 0);
  rewind (file);
  streamed = g_malloc0 ((gsize) size + 1);
  g_assert_cmpuint (fread (streamed, 1, (size_t) size, file), ==, (size_t) size);
  fclose (file);

  writer (&to_text, result);
  g_assert_cmpstr (streamed, ==, text->str);
  return streamed;
}

static void
write_sweep (const CdCsvSink *sink,
             gconstpointer    sweep)
{
  cd_analysis_csv_sweep (sink, sweep);
}

static void
write_comparison (const CdCsvSink *sink,
                  gconstpointer    results)
{
  cd_analysis_csv_comparison (sink, results);
}

static void
test_sweep_cells (void)
{
  const CdSweepPoint points[] = {
    { 0.5, CD_SWEEP_UP, 0.25, TRUE, FALSE, 0 },
    { NAN, CD_SWEEP_DOWN, -0.0, FALSE, TRUE, 2 },
    { 1.0, CD_SWEEP_ALL, INFINITY, TRUE, FALSE, 17 },
    { 0.1, CD_SWEEP_UP, 1.0 / 3.0, FALSE, FALSE, 1 },
  };
  CdSweep sweep = { CD_PARAM_GRAVITY_TRUST, g_array_new (FALSE, FALSE, sizeof (CdSweepPoint)) };
  g_autofree char *csv = NULL;

  g_array_append_vals (sweep.points, points, G_N_ELEMENTS (points));
  csv = both_ways (write_sweep, &sweep);
  g_assert_cmpstr (csv, ==,
                   "value,direction,mean_coordination,stable,tipping,branch\n"
                   "0.5,up,0.25,1,0,0\n"
                   ",down,0,0,1,2\n"
                   "1,all,,1,0,17\n"
                   "0.10000000000000001,up,0.33333333333333331,0,0,1\n");
  g_array_unref (sweep.points);
}

static CdScenarioOutcome *
outcome (const char *name,
         double      final_mean,
         gboolean    reached_half,
         double      time_to_half)
{
  CdScenarioOutcome *so = g_new0 (CdScenarioOutcome, 1);

  so->name = g_strdup (name);
  so->index = -1;
  so->outcome.final_mean = final_mean;
  so->outcome.peak_mean = final_mean;
  so->outcome.reached_half = reached_half;
  so->outcome.time_to_half = time_to_half;
  so->outcome.total_loss = 2.0;
  return so;
}

static void
test_comparison_cells (void)
{
  g_autoptr(GPtrArray) results =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_scenario_outcome_free);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autofree char *csv = NULL;
  g_autofree char *header_only = NULL;
  const char *header = "scenario,final_mean_coordination,peak_mean_coordination,time_to_half,"
                       "total_loss,diff_final_mean_coordination,diff_peak_mean_coordination,"
                       "diff_time_to_half,diff_total_loss\n";

  g_ptr_array_add (results, outcome ("base", 0.5, TRUE, 4.0));
  g_ptr_array_add (results, outcome ("law, \"strict\"", 0.75, TRUE, 3.0));
  g_ptr_array_add (results, outcome ("none", 0.25, FALSE, 0.0));
  csv = both_ways (write_comparison, results);
  g_assert_true (g_str_has_prefix (csv, header));
  g_assert_cmpstr (csv + strlen (header), ==,
                   "base,0.5,0.5,4,2,0,0,0,0\n"
                   "\"law, \"\"strict\"\"\",0.75,0.75,3,2,0.25,0.25,-1,0\n"
                   "none,0.25,0.25,,2,-0.25,-0.25,,0\n");

  /* No outcomes at all: the header alone. */
  header_only = both_ways (write_comparison, empty);
  g_assert_cmpstr (header_only, ==, header);
}

/* The tables of a real model: file and text agree, and every row has the
 * header's number of cells. */
static void
test_metrics_rows (void)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : SOURCE_EXAMPLES_DIR,
                                            "yangtze-river-delta.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CdModel) model = cd_model_load_file (path, &error);
  g_autoptr(CdMetrics) metrics = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CdCsvSink sink = { NULL, text };
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  g_assert_no_error (error);
  metrics = cd_network_metrics (model, &error);
  g_assert_no_error (error);
  cd_analysis_csv_metrics (&sink, metrics, model);
  lines = g_strsplit (text->str, "\n", -1);
  n_lines = g_strv_length (lines);
  /* A header, a row per government and the empty string after the last '\n'. */
  g_assert_cmpuint (n_lines, ==, model->nodes->len + 2);
  g_assert_cmpstr (lines[n_lines - 1], ==, "");
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, 11);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/csv/sweep-cells", test_sweep_cells);
  g_test_add_func ("/analysis/csv/comparison-cells", test_comparison_cells);
  g_test_add_func ("/analysis/csv/metrics-rows", test_metrics_rows);
  return g_test_run ();
}
