/* cd-cli-equilibria.c — `equilibria` and `sweep`: equilibria with their
 * stability, and continuation of one parameter, as CSV.
 *
 * In coordyn-cli-graphics, not coordyn-cli: at national size these run on
 * SuiteSparse KLU and ARPACK, which bring BLAS, LAPACK and the Fortran
 * runtime, and every engine command would otherwise load them.  Same
 * conventions as the other analyses (cd-cli-analysis.c): CSV to -o FILE or
 * standard output, exit 0, 1 for an invalid model or a failed analysis, 2
 * for a usage error; a failed command leaves no partial output; --figure
 * FILE draws the app's chart too.  On a national model they take seconds
 * to a minute, so when standard error is a terminal they show how far they
 * are there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd-analysis-csv.h"
#include "cd-cli.h"
#include "cd-number.h"

/* "coordyn-cli equilibria: 45%" rewritten in place on a terminal; nothing
 * when standard error is a file or a pipe, which would fill with lines. */
typedef struct
{
  const char *command;
  int         shown;      /* the percentage on the line, −1 before the first */
} Progress;

static void
show_progress (double   fraction,
               gpointer data)
{
  Progress *pr = data;
  int percent = (int) floor (100 * CLAMP (fraction, 0.0, 1.0));

  if (percent == pr->shown)
    return;
  pr->shown = percent;
  fprintf (stderr, "\rcoordyn-cli %s: %3d%%", pr->command, percent);
  fflush (stderr);
}

static CdProgressFunc
progress_on_terminal (Progress   *pr,
                      const char *command)
{
  pr->command = command;
  pr->shown = -1;
  return isatty (STDERR_FILENO) ? show_progress : NULL;
}

/* Clears the progress line, so that what follows starts on a clean one. */
static void
progress_done (Progress *pr)
{
  if (pr->shown >= 0)
    {
      fprintf (stderr, "\r%*s\r", (int) strlen (pr->command) + 18, "");
      fflush (stderr);
    }
}

/* ---- equilibria ----------------------------------------------------------- */

int
cd_cli_equilibria (int    argc,
                   char **argv)
{
  double at = 0.0;
  int starts = G_MININT, seed = 1;
  g_autofree char *output = NULL, *at_text = NULL;
  g_auto(CdCliFigure) figure = { 0 };
  GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_("Use the parameters in force at time T (after the interventions up to T; default 0)"),
      N_("T") },
    { "starts", 0, 0, G_OPTION_ARG_INT, &starts,
      N_("Random starting points for the solver (default 64; 8 beyond 100 state dimensions, "
         "each first relaxed by the dynamics)"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the random starting points (default 1)"),
      N_("S") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdEquilibria) eqs = NULL;
  g_autoptr(GError) error = NULL;
  CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;
  Progress progress;
  gboolean replicator;
  const CdSystem *sys;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Find every equilibrium reachable from many starting points, with no emergency active\n"
       "and the parameters in force at --at, and judge its stability from the eigenvalues of\n"
       "the Jacobian. One row per equilibrium: index, stable (1 or 0), max_real_eigenvalue,\n"
       "mean_coordination, x:ID per government, trust:A|B per partnership; with the replicator\n"
       "rule also corner and evolutionarily_stable (corners are enumerated for up to 12 free\n"
       "governments)."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "equilibria")
      || (at_text != NULL && !cd_cli_parse_number ("equilibria", "--at", at_text, FALSE, &at))
      || !cd_cli_check_files ("equilibria", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output }, { "--figure", figure.path } },
                              2))
    return CD_EXIT_USAGE;
  if ((starts != G_MININT && (starts < 0 || starts > 100000)) || seed < 0)
    return cd_cli_usage_error ("equilibria", _("--starts must be from 0 to 100000 and --seed "
                                               "≥ 0"));
  if (!cd_cli_figure_check ("equilibria", &figure))
    return CD_EXIT_USAGE;
  if (starts >= 0)
    options.n_random = starts;
  options.seed = seed;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  options.progress = progress_on_terminal (&progress, "equilibria");
  options.progress_data = &progress;
  eqs = cd_find_equilibria (model, at, &options, NULL, &error);
  progress_done (&progress);
  if (eqs == NULL)
    return cd_cli_analysis_failed (argv[1], error);
  sys = eqs->system;
  replicator = cd_system_get_rule (sys) == CD_RULE_REPLICATOR;
  if (replicator && !eqs->corners_enumerated)
    {
      /* Translators: %s is the model file, %u the most free governments
       * whose corners are enumerated. */
      fprintf (stderr, _("%s: note: more than %u free governments; corners were not enumerated"),
               argv[1], CD_EQ_MAX_CORNER_NODES);
      fputc ('\n', stderr);
    }

  out = cd_cli_open_output_or_report ("equilibria", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_equilibria (&(CdCsvSink) { out, NULL }, eqs);
  if (cd_cli_finish_output ("equilibria", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  return cd_cli_figure_draw ("equilibria", &figure,
                             &(CdCliResults) { .model = model, .model_path = argv[1],
                                               .equilibria = eqs });
}

/* ---- sweep ---------------------------------------------------------------- */

int
cd_cli_sweep (int    argc,
              char **argv)
{
  double at = 0.0, from, to;
  gboolean all = FALSE;
  guint64 steps;
  CdParam param;
  g_autofree char *output = NULL, *at_text = NULL;
  g_auto(CdCliFigure) figure = { 0 };
  GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_("Hold the other parameters at their values at time T (default 0)"), N_("T") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all,
      N_("Also list every equilibrium found at each value (direction 'all'): the unstable "
      "branches of the bifurcation diagram"), NULL },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("MODEL.json PARAM FROM TO STEPS"));
  g_autoptr(CdModel) model = NULL;
  g_autoptr(CdSweep) sweep = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress;
  CdProgressFunc show;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Sweep one parameter (a path such as gravity.interest) from FROM to TO in STEPS steps\n"
       "and back, following the equilibrium from step to step (no emergency active). Rows:\n"
       "value, direction (up or down; 'all' with --all), mean_coordination, stable (1 or 0),\n"
       "tipping (1 where the branch ended and the state jumped to another attractor), branch\n"
       "(rows of one direction and branch form one line). Where the up and down switch\n"
       "points differ, the model shows hysteresis."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse (context, &argc, &argv, "sweep"))
    return CD_EXIT_USAGE;
  if (argc != 6)
    return cd_cli_usage_error ("sweep", ngettext ("expected MODEL PARAM FROM TO STEPS, got %d "
                                                  "argument",
                                                  "expected MODEL PARAM FROM TO STEPS, got %d "
                                                  "arguments", argc - 1), argc - 1);
  if (!cd_param_from_path (argv[2], &param))
    return cd_cli_usage_error ("sweep", _("no numeric parameter \"%s\" (e.g. gravity.interest)"),
                               argv[2]);
  for (guint k = 0; k < 2; k++)
    {
      const char *bound = k == 0 ? "FROM" : "TO", *text = argv[3 + k];

      switch (cd_number_scan (text, k == 0 ? &from : &to))
        {
        case CD_NUMBER_OK:
          break;
        case CD_NUMBER_OUT_OF_RANGE:
          /* Translators: FROM or TO (as written), and what was given. */
          return cd_cli_usage_error ("sweep", _("%s is too large or too close to 0 for a number "
                                                "(from 2.2e-308 to 1.8e308), “%s”"), bound, text);
        default:
          return cd_cli_usage_error ("sweep", _("FROM and TO must be numbers, not \"%s\" and "
                                                "\"%s\""), argv[3], argv[4]);
        }
    }
  if (!cd_cli_parse_uint (argv[5], CD_SWEEP_MAX_STEPS, &steps) || steps < 1)
    return cd_cli_usage_error ("sweep", _("STEPS must be a whole number from 1 to %u, not \"%s\""),
                               CD_SWEEP_MAX_STEPS, argv[5]);
  if (!cd_param_value_in_range (param, from) || !cd_param_value_in_range (param, to))
    return cd_cli_usage_error ("sweep", _("%s must stay within %s"), argv[2],
                               cd_param_range_text (param));
  if ((at_text != NULL && !cd_cli_parse_number ("sweep", "--at", at_text, FALSE, &at))
      || !cd_cli_check_files ("sweep", (const char *[]) { argv[1], NULL },
                              (CdCliOutput[]) { { "-o", output }, { "--figure", figure.path } },
                              2)
      || !cd_cli_figure_check ("sweep", &figure))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  show = progress_on_terminal (&progress, "sweep");
  sweep = cd_sweep_run (model, param, from, to, (guint) steps, at, all, show, &progress, NULL,
                        &error);
  progress_done (&progress);
  if (sweep == NULL)
    return cd_cli_analysis_failed (argv[1], error);

  out = cd_cli_open_output_or_report ("sweep", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_sweep (&(CdCsvSink) { out, NULL }, sweep);
  if (cd_cli_finish_output ("sweep", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  return cd_cli_figure_draw ("sweep", &figure,
                             &(CdCliResults) { .model = model, .model_path = argv[1],
                                               .sweep = sweep });
}
