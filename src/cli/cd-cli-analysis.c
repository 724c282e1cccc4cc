/* cd-cli-analysis.c — `sensitivity`, `montecarlo`, `montecarlo-merge` and
 * `compare`: the analyses as CSV (`equilibria` and `sweep` are in
 * cd-cli-equilibria.c, `metrics` in cd-cli-metrics.c: both in
 * coordyn-cli-graphics).
 *
 * Every command writes CSV to -o FILE or standard output, numbers with 17
 * significant digits and '.' as the decimal point, and exits 0 on success,
 * 1 for an invalid model or a failed analysis, 2 for a usage error.  A
 * failed command leaves no partial output, and the file that was there is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-analysis-csv.h"
#include "cd-cli.h"

/* ---- helpers -------------------------------------------------------------- */

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || *text == '-' || *text == '+')
    return FALSE;
  errno = 0;
  *out = g_ascii_strtoull (text, &end, 10);
  return errno == 0 && end != NULL && *end == '\0' && *out <= max;
}

/* Loads a --ranges file; prints the error (which names the file) on failure. */
static gboolean
load_ranges (const char  *path,
             GArray     **ranges)
{
  g_autoptr(GError) error = NULL;

  *ranges = cd_ranges_load_file (path, &error);
  if (*ranges == NULL)
    fprintf (stderr, "%s\n", error->message);
  return *ranges != NULL;
}

static int
analysis_failed (const char *model_path,
                 GError     *error)
{
  cd_cli_report (model_path, "%s", error->message);
  return CD_EXIT_FAILED;
}

/* ---- sensitivity ---------------------------------------------------------- */

int
cd_cli_sensitivity (int    argc,
                    char **argv)
{
  double delta = 0.1;
  int sobol = 0, threads = 0;
  g_autofree char *output = NULL;
  g_autofree char *ranges_path = NULL;
  GOptionEntry entries[] = {
    { "delta", 0, 0, G_OPTION_ARG_DOUBLE, &delta,
      N_("Move each parameter by ±D of its range (default 0.1)"), N_("D") },
    { "sobol", 0, 0, G_OPTION_ARG_INT, &sobol,
      N_("Instead of the tornado, Sobol indices from N quasi-random base samples "
      "(N·(d + 2) runs)"), N_("N") },
    { "ranges", 0, 0, G_OPTION_ARG_FILENAME, &ranges_path,
      N_("Sobol over these ranges (default: the model's ranges, else ±D around each value)"),
      N_("FILE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: every core)"), N_("K") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Which lever moves the outcome most. The tornado moves every parameter by ±D of its\n"
       "range (clamped to its valid range) and ranks them by the change of final mean\n"
       "coordination, then of total loss. With --sobol N: first-order and total Sobol\n"
       "indices of both outcomes (Saltelli and Jansen estimators), each with the half-width\n"
       "of its 95% bootstrap interval (the _conf columns). Interventions still apply on top\n"
       "of the values tried."));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "sensitivity"))
    return CD_EXIT_USAGE;
  if (!(delta > 0 && delta <= 1))
    return cd_cli_usage_error ("sensitivity", _("--delta must be in (0, 1], not %g"), delta);
  if (sobol != 0 && (sobol < 2 || sobol > (int) CD_SOBOL_MAX_BASE))
    return cd_cli_usage_error ("sensitivity", _("--sobol must be from 2 to %u"),
                               CD_SOBOL_MAX_BASE);
  if (threads < 0 || threads > 4096)
    return cd_cli_usage_error ("sensitivity", _("--threads must be from 1 to 4096"));
  if (ranges_path != NULL && sobol == 0)
    return cd_cli_usage_error ("sensitivity", _("--ranges applies to --sobol only"));

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (ranges_path != NULL && !load_ranges (ranges_path, &ranges))
    return CD_EXIT_FAILED;

  if (sobol > 0)
    {
      g_autoptr(CdSobol) s = cd_sobol_run (model, ranges ? ranges : model->ranges, delta,
                                           (guint) sobol, (guint) threads, NULL, NULL, NULL,
                                           &error);
      if (s == NULL)
        return analysis_failed (argv[1], error);
      out = cd_cli_open_output_or_report ("sensitivity", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_analysis_csv_sobol (&(CdCsvSink) { out, NULL }, s);
      return cd_cli_finish_output ("sensitivity", out, output);
    }
  else
    {
      g_autoptr(CdTornado) t = cd_tornado_run (model, delta, (guint) threads, NULL, NULL, NULL,
                                               &error);
      if (t == NULL)
        return analysis_failed (argv[1], error);
      out = cd_cli_open_output_or_report ("sensitivity", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_analysis_csv_tornado (&(CdCsvSink) { out, NULL }, t);
      return cd_cli_finish_output ("sensitivity", out, output);
    }
}

/* ---- montecarlo ----------------------------------------------------------- */

static gboolean
parse_shard (const char *text,
             guint      *shard,
             guint      *n_shards)
{
  g_auto(GStrv) parts = NULL;
  guint64 k, n;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "/", -1);
  if (g_strv_length (parts) != 2 || !parse_uint (parts[0], G_MAXUINT, &k)
      || !parse_uint (parts[1], G_MAXUINT, &n) || n < 1 || k < 1 || k > n)
    return FALSE;
  *shard = (guint) k;
  *n_shards = (guint) n;
  return TRUE;
}

static gboolean
write_bands (const CdMonteCarlo *mc,
             const char         *path)
{
  FILE *out = cd_cli_open_output_or_report ("montecarlo", path);

  if (out == NULL)
    return FALSE;
  cd_analysis_csv_bands (&(CdCsvSink) { out, NULL }, mc);
  return cd_cli_finish_output ("montecarlo", out, path) == CD_EXIT_OK;
}

int
cd_cli_montecarlo (int    argc,
                   char **argv)
{
  g_autofree char *runs_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *shard_text = NULL;
  g_autofree char *output = NULL;
  g_autofree char *bands_path = NULL;
  g_autofree char *ranges_path = NULL;
  int threads = 0;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_STRING, &runs_text, N_("Runs in the whole study (required)"),
      N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the study, a whole number (required): the same seed gives the same rows"),
      N_("S") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: every core)"), N_("K") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      N_("Compute only the K-th of N equal parts of the study (K from 1 to N)"), N_("K/N") },
    { "bands", 0, 0, G_OPTION_ARG_FILENAME, &bands_path,
      N_("Also write the 5, 25, 50, 75 and 95 % bands of mean coordination and loss over time "
      "to FILE (not with --shard)"), N_("FILE") },
    { "ranges", 0, 0, G_OPTION_ARG_FILENAME, &ranges_path,
      N_("Sample these ranges instead of the model's (a JSON object in the \"ranges\" syntax)"),
      N_("FILE") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdMonteCarlo) mc = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  CdMonteCarloOptions options = { 0 };
  guint64 value;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Run the model N times with parameters drawn from their uncertainty ranges (uniform or\n"
       "triangular). One row per run: run (its index in the whole study), the sampled values,\n"
       "final_mean_coordination, total_loss. A run's numbers depend only on the seed and its\n"
       "index, so any thread count and any sharding give the same rows; concatenating the\n"
       "shards' rows in order (or 'coordyn-cli montecarlo-merge') gives the whole study."));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "montecarlo"))
    return CD_EXIT_USAGE;
  if (runs_text == NULL || seed_text == NULL)
    return cd_cli_usage_error ("montecarlo", _("--runs and --seed are required"));
  if (!parse_uint (runs_text, CD_MC_MAX_RUNS, &value) || value < 1)
    return cd_cli_usage_error ("montecarlo", _("--runs must be a whole number from 1 to %u"),
                               CD_MC_MAX_RUNS);
  options.n_runs = (guint) value;
  if (!parse_uint (seed_text, G_MAXUINT64, &options.seed))
    return cd_cli_usage_error ("montecarlo", _("--seed must be a whole number ≥ 0, not \"%s\""),
                               seed_text);
  if (threads < 0 || threads > 4096)
    return cd_cli_usage_error ("montecarlo", _("--threads must be from 1 to 4096"));
  options.threads = (guint) threads;
  if (shard_text != NULL && !parse_shard (shard_text, &options.shard, &options.n_shards))
    return cd_cli_usage_error ("montecarlo", _("--shard must be K/N with 1 ≤ K ≤ N, not \"%s\""),
                               shard_text);
  if (bands_path != NULL && options.n_shards > 1)
    return cd_cli_usage_error ("montecarlo",
                               _("--bands needs every run's trajectory, so it works on a whole "
                                  "study only; run the bands without --shard"));
  options.bands = bands_path != NULL;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (ranges_path != NULL && !load_ranges (ranges_path, &ranges))
    return CD_EXIT_FAILED;
  mc = cd_montecarlo_run (model, ranges, &options, NULL, NULL, NULL, &error);
  if (mc == NULL)
    return analysis_failed (argv[1], error);

  out = cd_cli_open_output_or_report ("montecarlo", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_montecarlo (&(CdCsvSink) { out, NULL }, mc);
  if (cd_cli_finish_output ("montecarlo", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  if (bands_path != NULL && !write_bands (mc, bands_path))
    return CD_EXIT_FAILED;
  return CD_EXIT_OK;
}

/* ---- montecarlo-merge ----------------------------------------------------- */

typedef struct
{
  guint64  run;
  char    *line;
} MergeRow;

static int
compare_merge_rows (gconstpointer a,
                    gconstpointer b)
{
  const MergeRow *ra = a, *rb = b;
  return (ra->run > rb->run) - (ra->run < rb->run);
}

int
cd_cli_montecarlo_merge (int    argc,
                         char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the merged CSV to FILE (default: standard output)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("SHARD.csv…"));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (MergeRow));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *header = NULL;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Merge the per-run CSV files of a sharded 'coordyn-cli montecarlo' study: checks that\n"
       "they come from the same study (identical headers), that no run is missing or\n"
       "repeated, and writes one CSV sorted by run, byte-identical to the unsharded output."));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cd_cli_parse (context, &argc, &argv, "montecarlo-merge"))
    return CD_EXIT_USAGE;
  if (argc < 2)
    return cd_cli_usage_error ("montecarlo-merge", _("expected one or more shard files"));

  for (int f = 1; f < argc; f++)
    {
      g_autoptr(GError) error = NULL;
      char *text = NULL;
      char *line, *next;
      guint line_no = 1;

      if (!g_file_get_contents (argv[f], &text, NULL, &error))
        {
          cd_cli_report_command ("montecarlo-merge", "%s", error->message);
          return CD_EXIT_FAILED;
        }
      g_ptr_array_add (texts, text);
      next = strchr (text, '\n');
      if (next == NULL || strncmp (text, "run,", 4) != 0)
        {
          /* Translators: %s is a shard file; "run," is the literal start of its header. */
          fprintf (stderr, _("%s:1: not a montecarlo CSV (its header must start with 'run,')"),
                   argv[f]);
          fputc ('\n', stderr);
          return CD_EXIT_FAILED;
        }
      *next = '\0';
      if (header == NULL)
        header = g_strdup (text);
      else if (strcmp (header, text) != 0)
        {
          /* Translators: the first %s is a shard file, the second the first shard file. */
          fprintf (stderr, _("%s:1: the header differs from %s's: the shards are not from the "
                             "same study"), argv[f], argv[1]);
          fputc ('\n', stderr);
          return CD_EXIT_FAILED;
        }
      for (line = next + 1; *line != '\0'; line = next + 1)
        {
          MergeRow r;
          char *end = NULL;

          line_no++;
          next = strchr (line, '\n');
          if (next == NULL)
            {
              /* Translators: %s:%u is a shard file and a line number in it. */
              fprintf (stderr, _("%s:%u: the last line is cut short (an unfinished shard?)"),
                       argv[f], line_no);
              fputc ('\n', stderr);
              return CD_EXIT_FAILED;
            }
          *next = '\0';
          r.run = g_ascii_strtoull (line, &end, 10);
          if (end == line || *end != ',')
            {
              /* Translators: %s:%u is a shard file and a line number in it. */
              fprintf (stderr, _("%s:%u: expected a run index at the start of the row"),
                       argv[f], line_no);
              fputc ('\n', stderr);
              return CD_EXIT_FAILED;
            }
          r.line = line;
          g_array_append_val (rows, r);
        }
    }

  g_array_sort (rows, compare_merge_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      guint64 run = g_array_index (rows, MergeRow, i).run;
      if (run != i)
        {
          if (run < i)
            {
              g_autofree char *run_s = g_strdup_printf ("%" G_GUINT64_FORMAT, run);
              /* Translators: %s is the index of a run of the study. */
              cd_cli_report_command ("montecarlo-merge",
                                     _("run %s appears twice (a shard given twice?)"), run_s);
            }
          else if (run - 1 == i)
            /* Translators: %u is the index of the one missing run of the study. */
            cd_cli_report_command ("montecarlo-merge",
                                   _("run %u is missing (a shard not given or not finished?)"),
                                   i);
          else
            {
              g_autofree char *last_s = g_strdup_printf ("%" G_GUINT64_FORMAT, run - 1);
              /* Translators: %u and %s are the first and last missing runs of the study. */
              cd_cli_report_command ("montecarlo-merge",
                                     _("runs %u to %s are missing (a shard not given or not "
                                       "finished?)"), i, last_s);
            }
          return CD_EXIT_FAILED;
        }
    }

  out = cd_cli_open_output_or_report ("montecarlo-merge", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  fprintf (out, "%s\n", header);
  for (guint i = 0; i < rows->len; i++)
    fprintf (out, "%s\n", g_array_index (rows, MergeRow, i).line);
  return cd_cli_finish_output ("montecarlo-merge", out, output);
}

/* ---- compare -------------------------------------------------------------- */

int
cd_cli_compare (int    argc,
                char **argv)
{
  g_autofree char *scenarios = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "scenarios", 0, 0, G_OPTION_ARG_STRING, &scenarios,
      N_("Compare these scenarios, comma-separated (default: all)"), N_("A,B,…") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Run the base model and its named scenarios side by side. One row per scenario (base\n"
       "first): final and peak mean coordination, time_to_half (first time mean coordination\n"
       "reaches 0.5; empty if never), total loss, and each one's difference from the base."));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "compare"))
    return CD_EXIT_USAGE;
  if (scenarios != NULL)
    {
      names = g_strsplit (scenarios, ",", -1);
      for (guint i = 0; names[i] != NULL; i++)
        if (*g_strstrip (names[i]) == '\0')
          return cd_cli_usage_error ("compare", _("--scenarios has an empty name"));
    }

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  results = cd_compare_scenarios (model, (const char * const *) names, NULL, NULL, NULL,
                                  &error);
  if (results == NULL)
    return analysis_failed (argv[1], error);

  out = cd_cli_open_output_or_report ("compare", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_comparison (&(CdCsvSink) { out, NULL }, results);
  return cd_cli_finish_output ("compare", out, output);
}
