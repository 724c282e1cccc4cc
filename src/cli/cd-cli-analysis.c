/* cd-cli-analysis.c — `sensitivity`, `montecarlo` and `compare`: the
 * analyses as CSV (`equilibria` and `sweep` are in cd-cli-equilibria.c,
 * `metrics` in cd-cli-metrics.c, both in coordyn-cli-graphics only;
 * `experiment` and `merge`, with the shards' preamble, in cd-cli-study.c).
 *
 * Every command writes CSV to -o FILE or standard output, numbers with 17
 * significant digits and '.' as the decimal point, and exits 0 on success,
 * 1 for an invalid model or a failed analysis, 2 for a usage error.  A
 * failed command leaves no partial output, and the file that was there is kept.
 * Each also draws the app's chart with --figure FILE (cd-cli-figure.c, in
 * coordyn-cli-graphics, which runs them then).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd-analysis-csv.h"
#include "cd-cli-study.h"
#include "cd-csv.h"
#include "cd-file.h"

/* ---- helpers -------------------------------------------------------------- */

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

/* The progress callback and its data for a long analysis: a percentage on
 * standard error when it is a terminal, nothing otherwise. */
#define PROGRESS(p) (isatty (STDERR_FILENO) ? cd_cli_progress_draw : NULL), (p)

/* ---- sensitivity ---------------------------------------------------------- */

int
cd_cli_sensitivity (int    argc,
                    char **argv)
{
  double delta = 0.1;
  int sobol = G_MININT, threads = G_MININT;
  g_autofree char *output = NULL, *delta_text = NULL;
  g_autofree char *ranges_path = NULL;
  g_autofree char *shard_text = NULL;
  g_auto(CdCliFigure) figure = { 0 };
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("sensitivity");
  GOptionEntry entries[] = {
    { "delta", 0, 0, G_OPTION_ARG_STRING, &delta_text,
      N_("Move each parameter by ±D of its range (default 0.1)"), N_("D") },
    { "sobol", 0, 0, G_OPTION_ARG_INT, &sobol,
      N_("Instead of the tornado, Sobol indices from N quasi-random base samples "
      "(N·(d + 2) runs)"), N_("N") },
    { "ranges", 0, 0, G_OPTION_ARG_FILENAME, &ranges_path,
      N_("Sobol over these ranges (default: the model's ranges, else ±D around each value)"),
      N_("FILE") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: every core)"), N_("K") },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      N_("With --sobol, run only the K-th of N equal parts of the design (K from 1 to N), "
         "for 'coordyn-cli merge'"), N_("K/N") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
    CD_CLI_FIGURE_OUTCOME_ENTRY (&figure),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  guint shard = 0, n_shards = 0;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Which lever moves the outcome most. The tornado moves every parameter by ±D of its\n"
       "range (clamped to its valid range) and ranks them by the change of final mean\n"
       "coordination, then of total loss. With --sobol N: first-order and total Sobol\n"
       "indices of both outcomes (Saltelli and Jansen estimators), each with the half-width\n"
       "of its 95% bootstrap interval (the _conf columns). Interventions still apply on top\n"
       "of the values tried."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "sensitivity")
      || (delta_text != NULL
          && !cd_cli_parse_number ("sensitivity", "--delta", delta_text, TRUE, &delta)))
    return CD_EXIT_USAGE;
  if (!(delta > 0 && delta <= 1))
    return cd_cli_usage_error ("sensitivity", _("--delta must be in (0, 1], not %g"), delta);
  if (sobol != G_MININT && (sobol < 2 || sobol > (int) CD_SOBOL_MAX_BASE))
    return cd_cli_usage_error ("sensitivity", _("--sobol must be from 2 to %u"),
                               CD_SOBOL_MAX_BASE);
  if (threads != G_MININT && (threads < 1 || threads > 4096))
    return cd_cli_usage_error ("sensitivity", _("--threads must be from 1 to 4096"));
  if (ranges_path != NULL && sobol == G_MININT)
    return cd_cli_usage_error ("sensitivity", _("--ranges applies to --sobol only"));
  if (shard_text != NULL && sobol == G_MININT)
    return cd_cli_usage_error ("sensitivity", _("--shard applies to --sobol only"));
  if (shard_text != NULL && !cd_cli_parse_shard (shard_text, &shard, &n_shards))
    return cd_cli_usage_error ("sensitivity", _("--shard must be K/N with 1 ≤ K ≤ N, not \"%s\""),
                               shard_text);
  if (shard_text != NULL && figure.path != NULL)
    return cd_cli_usage_error ("sensitivity",
                               _("--figure draws the whole study's indices: draw them from the "
                                 "merged study, without --shard"));
  if (!cd_cli_figure_check ("sensitivity", &figure))
    return CD_EXIT_USAGE;
  if (!cd_cli_check_files ("sensitivity", (const char *[]) { argv[1], ranges_path, NULL },
                           (CdCliOutput[]) { { "-o", output }, { "--figure", figure.path } },
                           2))
    return CD_EXIT_USAGE;
  sobol = MAX (sobol, 0);
  threads = MAX (threads, 0);

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (ranges_path != NULL && !load_ranges (ranges_path, &ranges))
    return CD_EXIT_FAILED;

  if (sobol > 0 && shard_text != NULL)
    {
      g_autoptr(CdSobolPart) part = NULL;
      g_autoptr(CdShardHead) head = NULL;

      part = cd_sobol_run_part (model, ranges ? ranges : model->ranges, delta, (guint) sobol,
                                shard, n_shards, (guint) threads, PROGRESS (&progress), NULL,
                                &error);
      cd_cli_progress_end (&progress);
      if (part == NULL)
        return cd_cli_analysis_failed (argv[1], error);
      head = cd_cli_shard_head (CD_SHARD_SOBOL, shard, n_shards, part->n_runs, argv[1]);
      if (head == NULL)
        return CD_EXIT_FAILED;
      cd_shard_head_add (head, "study", "--sobol %d", sobol);
      cd_shard_head_add_ranges (head, part->ranges, part->n_params);
      out = cd_cli_open_output_or_report ("sensitivity", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_shard_write_sobol (&(CdCsvSink) { out, NULL }, head, part);
      return cd_cli_finish_output ("sensitivity", out, output);
    }
  else if (sobol > 0)
    {
      g_autoptr(CdSobol) s = cd_sobol_run (model, ranges ? ranges : model->ranges, delta,
                                           (guint) sobol, (guint) threads,
                                           PROGRESS (&progress), NULL, &error);

      cd_cli_progress_end (&progress);
      if (s == NULL)
        return cd_cli_analysis_failed (argv[1], error);
      out = cd_cli_open_output_or_report ("sensitivity", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_analysis_csv_sobol (&(CdCsvSink) { out, NULL }, s);
      if (cd_cli_finish_output ("sensitivity", out, output) != CD_EXIT_OK)
        return CD_EXIT_FAILED;
      return cd_cli_figure_draw ("sensitivity", &figure,
                                 &(CdCliResults) { .model = model, .model_path = argv[1],
                                                   .sobol = s });
    }
  else
    {
      g_autoptr(CdTornado) t = cd_tornado_run (model, delta, (guint) threads,
                                               PROGRESS (&progress), NULL, &error);

      cd_cli_progress_end (&progress);
      if (t == NULL)
        return cd_cli_analysis_failed (argv[1], error);
      out = cd_cli_open_output_or_report ("sensitivity", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_analysis_csv_tornado (&(CdCsvSink) { out, NULL }, t);
      if (cd_cli_finish_output ("sensitivity", out, output) != CD_EXIT_OK)
        return CD_EXIT_FAILED;
      return cd_cli_figure_draw ("sensitivity", &figure,
                                 &(CdCliResults) { .model = model, .model_path = argv[1],
                                                   .tornado = t });
    }
}

/* ---- montecarlo ----------------------------------------------------------- */

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
  g_auto(CdCliFigure) figure = { 0 };
  g_autofree char *max_output_text = NULL;
  guint64 max_output = CD_CSV_MAX_OUTPUT;
  int threads = G_MININT;
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("montecarlo");
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
      "to FILE (with --shard, the shard keeps each run's trajectory and 'coordyn-cli merge "
      "--bands FILE' writes them)"), N_("FILE") },
    { "ranges", 0, 0, G_OPTION_ARG_FILENAME, &ranges_path,
      N_("Sample these ranges instead of the model's (a JSON object in the \"ranges\" syntax)"),
      N_("FILE") },
    CD_CLI_MAX_OUTPUT_ENTRY (&max_output_text),
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
    CD_CLI_FIGURE_OUTCOME_ENTRY (&figure),
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
       "index, so any thread count and any sharding give the same rows: 'coordyn-cli merge'\n"
       "puts the shards of --shard K/N back together into the whole study's bytes."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "montecarlo"))
    return CD_EXIT_USAGE;
  if (runs_text == NULL || seed_text == NULL)
    return cd_cli_usage_error ("montecarlo", _("--runs and --seed are required"));
  if (!cd_cli_parse_uint (runs_text, CD_MC_MAX_RUNS, &value) || value < 1)
    return cd_cli_usage_error ("montecarlo", _("--runs must be a whole number from 1 to %u"),
                               CD_MC_MAX_RUNS);
  options.n_runs = (guint) value;
  if (!cd_cli_parse_uint (seed_text, G_MAXUINT64, &options.seed))
    return cd_cli_usage_error ("montecarlo", _("--seed must be a whole number ≥ 0, not \"%s\""),
                               seed_text);
  if (threads != G_MININT && (threads < 1 || threads > 4096))
    return cd_cli_usage_error ("montecarlo", _("--threads must be from 1 to 4096"));
  options.threads = (guint) MAX (threads, 0);
  if (shard_text != NULL && !cd_cli_parse_shard (shard_text, &options.shard, &options.n_shards))
    return cd_cli_usage_error ("montecarlo", _("--shard must be K/N with 1 ≤ K ≤ N, not \"%s\""),
                               shard_text);
  if (figure.path != NULL && shard_text != NULL)
    return cd_cli_usage_error ("montecarlo",
                               _("--figure draws the bands, which need every run: run it "
                                 "without --shard"));
  if (!cd_cli_figure_check ("montecarlo", &figure))
    return CD_EXIT_USAGE;
  /* Quantiles need every run: a shard keeps its runs' trajectories for merge. */
  options.bands = (bands_path != NULL || figure.path != NULL) && shard_text == NULL;
  options.keep_series = bands_path != NULL && shard_text != NULL;
  if ((max_output_text != NULL
       && !cd_cli_parse_size ("montecarlo", "--max-output", max_output_text, &max_output))
      || !cd_cli_check_files ("montecarlo", (const char *[]) { argv[1], ranges_path, NULL },
                              (CdCliOutput[]) { { "-o", output }, { "--bands", bands_path },
                                                { "--figure", figure.path } },
                              3))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (ranges_path != NULL && !load_ranges (ranges_path, &ranges))
    return CD_EXIT_FAILED;
  {
    /* A row per run of this shard: its index, each value drawn, two outcomes. */
    guint n_ranges = (ranges ? ranges : model->ranges)->len;
    double rows = ceil ((double) options.n_runs / MAX (options.n_shards, 1));

    if (!cd_cli_check_output_size ("montecarlo", _("the CSV"),
                                   cd_csv_estimate_table (rows, 3.0 + n_ranges), max_output)
        || (bands_path != NULL
            && !cd_cli_check_output_size ("montecarlo", _("the bands"),
                                          cd_csv_estimate_table (
                                            (double) cd_run_n_samples (model->sim.t_end,
                                                                       model->sim.dt), 11),
                                          max_output)))
      return CD_EXIT_FAILED;
  }
  mc = cd_montecarlo_run (model, ranges, &options, PROGRESS (&progress), NULL, &error);
  cd_cli_progress_end (&progress);
  if (mc == NULL)
    return cd_cli_analysis_failed (argv[1], error);
  {
    /* the band is read against the base run: say when it cannot contain it */
    g_autofree char *note = cd_montecarlo_excluded_note (mc);

    if (note != NULL)
      {
        /* Translators: %s is the model file, the second %s a whole sentence */
        fprintf (stderr, _("%s: note: %s"), argv[1], note);
        fputc ('\n', stderr);
      }
  }

  if (shard_text != NULL)
    {
      g_autoptr(CdShardHead) head = cd_cli_shard_head (CD_SHARD_MONTECARLO, options.shard,
                                                       options.n_shards, mc->n_runs, argv[1]);
      char dt[32];

      if (head == NULL)
        return CD_EXIT_FAILED;
      cd_shard_head_add (head, "study", "--runs %u --seed %" G_GUINT64_FORMAT "%s", mc->n_runs,
                         mc->seed, options.keep_series ? " --bands" : "");
      cd_shard_head_add_ranges (head, (const CdRange *) mc->ranges->data, mc->ranges->len);
      if (options.keep_series)
        {
          cd_format_g17 (dt, mc->dt);
          cd_shard_head_add (head, "times", "%u,%s", mc->n_times, dt);
        }
      out = cd_cli_open_output_or_report ("montecarlo", output);
      if (out == NULL)
        return CD_EXIT_FAILED;
      cd_shard_write_montecarlo (&(CdCsvSink) { out, NULL }, head, mc);
      return cd_cli_finish_output ("montecarlo", out, output);
    }

  out = cd_cli_open_output_or_report ("montecarlo", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_montecarlo (&(CdCsvSink) { out, NULL }, mc);
  if (cd_cli_finish_output ("montecarlo", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  if (bands_path != NULL && !write_bands (mc, bands_path))
    return CD_EXIT_FAILED;
  return cd_cli_figure_draw ("montecarlo", &figure,
                             &(CdCliResults) { .model = model, .model_path = argv[1],
                                               .montecarlo = mc });
}

/* ---- compare -------------------------------------------------------------- */

int
cd_cli_compare (int    argc,
                char **argv)
{
  g_autofree char *scenarios = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) institutions = NULL;
  g_autoptr(GPtrArray) variants = NULL;
  g_auto(CdCliFigure) figure = { 0 };
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("compare");
  GOptionEntry entries[] = {
    { "scenarios", 0, 0, G_OPTION_ARG_STRING, &scenarios,
      N_("Compare these scenarios, comma-separated (default: all)"), N_("A,B,…") },
    { "institution", 0, 0, G_OPTION_ARG_STRING_ARRAY, &institutions,
      N_("Compare the model under this institutional arrangement, a bundled NAME or a FILE; "
         "repeat for more (instead of scenarios)"), N_("NAME|FILE") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
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
       "reaches 0.5; empty if never), total loss, and each one's difference from the base.\n"
       "With --institution, one row per institutional arrangement instead, named after it."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "compare")
      || !cd_cli_check_files ("compare", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output }, { "--figure", figure.path } },
                              2))
    return CD_EXIT_USAGE;
  if (scenarios != NULL)
    {
      names = g_strsplit (scenarios, ",", -1);
      for (guint i = 0; names[i] != NULL; i++)
        if (*g_strstrip (names[i]) == '\0')
          return cd_cli_usage_error ("compare", _("--scenarios has an empty name"));
    }
  if (!cd_cli_figure_check ("compare", &figure))
    return CD_EXIT_USAGE;

  if (scenarios != NULL && institutions != NULL)
    return cd_cli_usage_error ("compare", _("compare either scenarios or institutional "
                                            "arrangements, not both"));

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (institutions != NULL)
    {
      g_autoptr(GPtrArray) insts =
        g_ptr_array_new_with_free_func ((GDestroyNotify) cd_institution_free);

      for (guint i = 0; institutions[i] != NULL; i++)
        {
          CdInstitution *inst = cd_cli_find_institution ("compare", institutions[i]);

          if (inst == NULL)
            return CD_EXIT_FAILED;
          for (guint j = 0; j < insts->len; j++)
            if (strcmp (((CdInstitution *) g_ptr_array_index (insts, j))->name, inst->name) == 0)
              {
                cd_institution_free (inst);
                return cd_cli_usage_error ("compare", _("the arrangement \"%s\" is given twice"),
                                           institutions[i]);
              }
          g_ptr_array_add (insts, inst);
        }
      results = cd_compare_institutions (model, (const CdInstitution *const *) insts->pdata,
                                         insts->len, &variants, PROGRESS (&progress), NULL,
                                         &error);
    }
  else
    results = cd_compare_scenarios (model, (const char * const *) names,
                                    PROGRESS (&progress), NULL, &error);
  cd_cli_progress_end (&progress);
  if (results == NULL)
    return cd_cli_analysis_failed (argv[1], error);

  out = cd_cli_open_output_or_report ("compare", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_comparison (&(CdCsvSink) { out, NULL }, results);
  if (cd_cli_finish_output ("compare", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  return cd_cli_figure_draw ("compare", &figure,
                             &(CdCliResults) { .model = model, .model_path = argv[1],
                                               .outcomes = results, .variants = variants });
}
