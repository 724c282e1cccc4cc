/* cd-cli-fit.c — `fit`: estimate parameters from observed data, with their
 * uncertainty (docs/fitting.md).
 *
 * The estimates go to standard output or -o FILE as CSV; what a reader
 * needs to judge them (how many observations, how well the model fits,
 * how the intervals were made, the correlation of the estimates, and any
 * parameter the data cannot determine) goes to standard error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "cd-cli.h"
#include "cd-csv.h"
#include "cd-fit.h"
#include "cd-model-json.h"

typedef struct
{
  gboolean shown;
  int      last;
} Progress;

/* "fit: 40 %" rewritten in place; only on a terminal (see cd_cli_fit). */
static void
show_progress (double   fraction,
               gpointer data)
{
  Progress *pr = data;
  int percent = (int) floor (100.0 * fraction);

  if (percent == pr->last)
    return;
  pr->last = percent;
  pr->shown = TRUE;
  fputc ('\r', stderr);
  /* Translators: progress of a fit on a terminal; %d is a percentage. */
  fprintf (stderr, _("fitting… %d %%"), percent);
  fflush (stderr);
}

static void
add_number (GString *row,
            double   value)
{
  char buf[32];

  g_string_append_c (row, ',');
  /* An empty cell where the data determine nothing, as spreadsheets read it. */
  if (isfinite (value))
    {
      cd_format_g17 (buf, value == 0.0 ? 0.0 : value);
      g_string_append (row, buf);
    }
}

static void
print_summary (const char        *observed_path,
               const CdObserved  *obs,
               const CdFitResult *res,
               guint              n_times)
{
  g_autoptr(GString) columns = g_string_new (NULL);
  guint p = res->n_params, width = 0;

  /* Translators: the first %u is a number of observed values, the others
   * counts of columns and of distinct times. */
  g_autofree char *counts = g_strdup_printf (ngettext ("%u observation", "%u observations",
                                                       res->n_observations),
                                             res->n_observations);
  g_autofree char *shape = g_strdup_printf (ngettext ("in %u column", "in %u columns",
                                                      obs->n_columns), obs->n_columns);
  g_autofree char *times = g_strdup_printf (ngettext ("at %u time", "at %u times", n_times),
                                            n_times);
  g_autofree char *starts = g_strdup_printf (ngettext ("%u of %u start reached the best fit",
                                                       "%u of %u starts reached the best fit",
                                                       res->n_starts),
                                             res->n_best, res->n_starts);

  /* Translators: "172 observations" "in 4 columns" "at 44 times"; "8 of 8
   * starts reached the best fit". */
  cd_cli_report (observed_path, C_("fit summary", "%s %s %s; %s"), counts, shape, times,
                 starts);
  if (!isnan (res->worst_local))
    {
      g_autofree char *others = g_strdup_printf ("%.6g", res->worst_local);
      fprintf (stderr, _("  the other starts stopped at local minima, sums of squares up to %s "
                         "(best %.6g)"), others, res->rss);
      fputc ('\n', stderr);
    }
  if (res->n_failed > 0)
    {
      fprintf (stderr, ngettext ("  %u start could not be run (the model was too stiff or "
                                 "not finite there)",
                                 "  %u starts could not be run (the model was too stiff or "
                                 "not finite there)", res->n_failed), res->n_failed);
      fputc ('\n', stderr);
    }
  for (guint c = 0; c < obs->n_columns; c++)
    g_string_append_printf (columns, "%s%s %.4g", c > 0 ? "; " : "", obs->columns[c].name,
                            res->column_rms[c]);
  /* Translators: the residual root mean square of a fit, then the same for
   * each observed column. */
  fprintf (stderr, _("  residual RMS %.4g (%s)"), res->rms, columns->str);
  fputc ('\n', stderr);
  /* Translators: the heading of the list of how each 95 % interval was made. */
  fprintf (stderr, _("  95 %% intervals (t = %.4g, %u degrees of freedom):"), res->t_quantile,
           res->dof);
  fputc ('\n', stderr);
  for (guint j = 0; j < p; j++)
    width = MAX (width, strlen (cd_param_info (res->estimates[j].param)->path));
  for (guint j = 0; j < p; j++)
    {
      const CdFitEstimate *e = &res->estimates[j];
      g_autofree char *how = NULL;
      g_autofree char *checks = NULL;

      if (!isnan (e->wald_check[0]) || !isnan (e->wald_check[1]))
        checks = g_strdup_printf ("%.2f, %.2f", e->wald_check[0], e->wald_check[1]);
      if (!e->identifiable)
        how = g_strdup (_("not determined by these data"));
      else if (e->method == CD_FIT_INTERVALS_PROFILE && checks != NULL)
        /* Translators: %s are two numbers, e.g. "0.41, 3.20". */
        how = g_strdup_printf (_("profile likelihood: the model is far from linear here (at "
                                 "the Wald interval's ends the sum of squares rose by %s "
                                 "of the threshold, not 1)"), checks);
      else if (e->method == CD_FIT_INTERVALS_PROFILE)
        how = g_strdup (_("profile likelihood: where the sum of squares, the other parameters "
                          "refitted, reaches the F(0.95; 1, dof) threshold"));
      else if (checks != NULL)
        /* Translators: %s are two numbers, e.g. "0.98, 1.03". */
        how = g_strdup_printf (_("Wald, estimate ± t × standard error from the Jacobian at the "
                                 "optimum; checked against the profile (its ends: %s of the "
                                 "threshold, 1 for a linear model)"), checks);
      else
        how = g_strdup (_("Wald, estimate ± t × standard error from the Jacobian at the "
                          "optimum"));
      fprintf (stderr, "    %-*s %s\n", (int) width, cd_param_info (e->param)->path, how);
    }

  fprintf (stderr, "  %s\n", _("correlation of the estimates:"));
  for (guint i = 0; i < p; i++)
    {
      fprintf (stderr, "    %-*s", (int) width, cd_param_info (res->estimates[i].param)->path);
      for (guint j = 0; j < p; j++)
        {
          double c = res->correlation[i * p + j];
          if (isfinite (c))
            fprintf (stderr, " %7.3f", c);
          else
            fprintf (stderr, " %7s", "–");
        }
      fputc ('\n', stderr);
    }
  for (guint w = 0; w < res->warnings->len; w++)
    {
      /* Translators: a warning about a fit's result; %s is the sentence. */
      g_autofree char *line = g_strdup_printf (_("warning: %s"),
                                               (const char *) g_ptr_array_index (res->warnings,
                                                                                 w));
      cd_cli_report_command ("fit", "%s", line);
    }
}

int
cd_cli_fit (int    argc,
            char **argv)
{
  g_auto(GStrv) param_paths = NULL;
  g_autofree char *scenario_name = NULL;
  g_autofree char *output = NULL;
  g_autofree char *write_model = NULL;
  g_autofree char *intervals = NULL;
  int starts = G_MININT;
  GOptionEntry entries[] = {
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &param_paths,
      N_("Fit this parameter (a path such as gravity.trust); repeat for several"), N_("PATH") },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario_name,
      N_("Fit the model as this scenario sees it (default: the base model)"), N_("NAME") },
    { "starts", 0, 0, G_OPTION_ARG_INT, &starts,
      N_("Start the search from N points: the model's values and Sobol points in the "
         "ranges (default 8)"), N_("N") },
    { "intervals", 0, 0, G_OPTION_ARG_STRING, &intervals,
      N_("How the intervals (95 %) are made: auto (the default: Wald, checked at its ends, "
         "and profile likelihood where the model is far from linear), wald (from the "
         "Jacobian alone) or profile (profile likelihood for every parameter)"),
      N_("METHOD") },
    { "write-model", 0, 0, G_OPTION_ARG_FILENAME, &write_model,
      N_("Also write the model with the estimates in (into the scenario with --scenario)"),
      N_("OUT.json") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json OBSERVED.csv"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdObserved) obs = NULL;
  g_autoptr(CdFitResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = NULL;
  g_autofree double *times = NULL;
  CdFitOptions options = CD_FIT_OPTIONS_INIT;
  CdParam params[CD_N_PARAMS + 1];
  guint n_params = 0, n_times = 0;
  int scenario = -1;
  Progress progress = { FALSE, -1 };
  FILE *out;

  g_option_context_set_summary (context,
    N_("Estimate parameters of a model from observed data by nonlinear least squares (GSL's\n"
       "trust region), the parameters held in their valid ranges, from several starts.\n"
       "OBSERVED.csv has a column t (times in [0, t_end], on the model's dt or not) and any of\n"
       "mean_coordination, loss, x:ID and trust:A|B; an empty cell was not observed.\n"
       "Output: one row per parameter: parameter, estimate, std_error, ci_low, ci_high (95 %;\n"
       "std_error from the Jacobian at the optimum; the interval Wald's, estimate ± t ×\n"
       "std_error, where the model is close to linear, else profile likelihood; empty where\n"
       "the data do not determine the parameter). Standard error says which interval each\n"
       "parameter got, the number of observations, the residual RMS, the correlation of the\n"
       "estimates and a warning for every parameter the data cannot determine."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "fit"))
    return CD_EXIT_USAGE;
  if (argc != 3)
    return cd_cli_usage_error ("fit", ngettext ("expected MODEL and OBSERVED, got %d argument",
                                                "expected MODEL and OBSERVED, got %d arguments",
                                                argc - 1), argc - 1);
  if (param_paths == NULL || param_paths[0] == NULL)
    return cd_cli_usage_error ("fit", _("name the parameters to fit with --param"));
  for (guint i = 0; param_paths[i] != NULL; i++)
    {
      CdParam param;

      if (!cd_param_from_path (param_paths[i], &param))
        return cd_cli_usage_error ("fit", _("no numeric parameter \"%s\" (e.g. gravity.interest)"),
                                   param_paths[i]);
      for (guint k = 0; k < n_params; k++)
        if (params[k] == param)
          return cd_cli_usage_error ("fit", _("--param %s is given twice"), param_paths[i]);
      params[n_params++] = param;
    }
  if (starts != G_MININT && (starts < 1 || starts > (int) CD_FIT_MAX_STARTS))
    return cd_cli_usage_error ("fit", _("--starts must be from 1 to %u"), CD_FIT_MAX_STARTS);
  options.n_starts = MAX (starts, 0);
  if (intervals == NULL || strcmp (intervals, "auto") == 0)
    options.intervals = CD_FIT_INTERVALS_AUTO;
  else if (strcmp (intervals, "wald") == 0)
    options.intervals = CD_FIT_INTERVALS_WALD;
  else if (strcmp (intervals, "profile") == 0)
    options.intervals = CD_FIT_INTERVALS_PROFILE;
  else
    return cd_cli_usage_error ("fit", _("--intervals must be auto, wald or profile, not \"%s\""),
                               intervals);

  if (!cd_cli_check_files ("fit", (const char *[]) { argv[1], argv[2], NULL },
                           (CdCliOutput[]) { { "-o", output },
                                             { "--write-model", write_model, .file_only = TRUE } },
                           2))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  if (scenario_name != NULL)
    {
      scenario = cd_model_find_scenario (model, scenario_name);
      if (scenario < 0)
        {
          cd_cli_report (argv[1], _("no scenario \"%s\""), scenario_name);
          return CD_EXIT_FAILED;
        }
    }
  obs = cd_observed_load_file (argv[2], &error);
  if (obs == NULL || !cd_observed_bind (obs, model, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return CD_EXIT_FAILED;
    }

  /* Progress only where a person watches it: never into a log file. */
  if (isatty (STDERR_FILENO))
    {
      options.progress = show_progress;
      options.progress_data = &progress;
    }
  res = cd_fit (model, scenario, obs, params, n_params, &options, NULL, &error);
  if (progress.shown)
    fputs ("\r\033[K", stderr);
  if (res == NULL)
    {
      cd_cli_report (argv[1], "%s", error->message);
      return CD_EXIT_FAILED;
    }
  times = cd_observed_times (obs, &n_times, NULL);
  print_summary (argv[2], obs, res, n_times);

  csv = g_string_new ("parameter,estimate,std_error,ci_low,ci_high\n");
  for (guint j = 0; j < res->n_params; j++)
    {
      const CdFitEstimate *e = &res->estimates[j];

      g_string_append (csv, cd_param_info (e->param)->path);
      add_number (csv, e->estimate);
      add_number (csv, e->std_error);
      add_number (csv, e->ci_low);
      add_number (csv, e->ci_high);
      g_string_append_c (csv, '\n');
    }

  out = cd_cli_open_output_or_report ("fit", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  fwrite (csv->str, 1, csv->len, out);
  if (write_model != NULL)
    {
      g_autoptr(CdModel) fitted = cd_fit_apply (model, scenario, res);

      if (!cd_model_save_file (fitted, write_model, &error))
        {
          cd_cli_abandon_output (out);
          cd_cli_report_command ("fit", "%s", error->message);
          return CD_EXIT_FAILED;
        }
    }
  return cd_cli_finish_output ("fit", out, output);
}
