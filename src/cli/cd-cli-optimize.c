/* cd-cli-optimize.c — `coordyn-cli optimize`: the cheapest mix of levers,
 * as the Pareto front of cost against loss or coordination
 * (cd-analysis-optimize.h; the method in docs/policy.md).
 *
 * The front is CSV on -o FILE or standard output.  With --target, one line
 * says which mix is the cheapest to reach it (or that none within the
 * levers' bounds does): on standard output when the CSV goes to a file,
 * else on standard error, so that it never mixes with the table.  With
 * --figure it also draws the Pareto chart the app shows (cd-pareto-chart.h;
 * coordyn-cli runs the command in coordyn-cli-graphics then).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <unistd.h>

#include "cd-analysis-csv.h"
#include "cd-cli-study.h"

/* Says when an intervention sets a lever's parameter: from then on the
 * value the search chooses no longer acts (the rule of every analysis). */
static void
note_masked (const char       *model_path,
             const CdOptimize *opt)
{
  for (guint i = 0; i < opt->n_levers; i++)
    if (!isnan (opt->masked_from[i]))
      {
        /* Translators: %s is the model file, then a parameter path and a time. */
        fprintf (stderr, _("%s: note: an intervention sets %s from t = %g on; the lever acts "
                           "only before then"),
                 model_path, cd_param_info (opt->levers[i].param)->path, opt->masked_from[i]);
        fputc ('\n', stderr);
      }
}

int
cd_cli_optimize (int    argc,
                 char **argv)
{
  g_auto (GStrv) lever_texts = NULL;
  g_autofree char *objective_text = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *target_text = NULL;
  g_autofree char *seed_text = NULL;
  g_autofree char *output = NULL;
  int threads = G_MININT;
  g_auto (CdCliFigure) figure = { 0 };
  GOptionEntry entries[] = {
    { "lever", 0, 0, G_OPTION_ARG_STRING_ARRAY, &lever_texts,
      N_("A lever: a parameter, its cost per unit of value, and optionally the most it may be "
         "set to (e.g. resistance.law:2:0.8); give one --lever per lever"),
      N_("PATH:COST[:MAX]") },
    { "objective", 0, 0, G_OPTION_ARG_STRING, &objective_text,
      N_("What the front trades against cost: loss (total loss, minimized; the default) or "
         "coordination (final mean coordination, maximized)"), N_("loss|coordination") },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario,
      N_("Run the model as this scenario sets it (default: the model itself)"), N_("S") },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target_text,
      N_("Also find the cheapest mix whose final mean coordination reaches X"), N_("X") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      N_("Seed of the search's design, a whole number (default 1): the same seed gives the same "
         "front"), N_("N") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, N_("Threads (default: every core)"), N_("K") },
    CD_CLI_CSV_OUTPUT_ENTRY (&output),
    CD_CLI_FIGURE_ENTRIES (&figure),
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("MODEL.json"));
  g_autoptr (CdModel) model = NULL;
  g_autoptr (CdOptimize) opt = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *target_line = NULL;
  CdOptimizeOptions options = CD_OPTIMIZE_OPTIONS_INIT;
  CdLever levers[CD_OPTIMIZE_MAX_LEVERS];
  CdCliProgress progress = CD_CLI_PROGRESS_INIT ("optimize");
  guint n_levers;
  FILE *out;

  g_option_context_set_summary (context,
    N_("Find the cheapest mix of levers: the Pareto front of cost (the sum of each lever's\n"
       "cost per unit times its value) against total loss or final mean coordination. Each\n"
       "lever ranges from the bottom of its parameter's valid range to the top (the slider's\n"
       "for an unbounded one) or MAX. Rows, by cost: cost, total_loss,\n"
       "final_mean_coordination, then each lever's value; each row is a run of that mix.\n"
       "The method is described in docs/policy.md."));
  cd_cli_add_entries (context, entries);
  if (!cd_cli_parse_model_command (context, &argc, &argv, "optimize"))
    return CD_EXIT_USAGE;
  n_levers = lever_texts != NULL ? g_strv_length (lever_texts) : 0;
  if (n_levers == 0)
    return cd_cli_usage_error ("optimize", _("give at least one --lever PATH:COST[:MAX]"));
  if (n_levers > CD_OPTIMIZE_MAX_LEVERS)
    return cd_cli_usage_error ("optimize", _("at most %d levers, not %u"),
                               CD_OPTIMIZE_MAX_LEVERS, n_levers);
  if (objective_text != NULL
      && !cd_optimize_objective_from_name (objective_text, &options.objective))
    return cd_cli_usage_error ("optimize", _("--objective must be loss or coordination, not "
                                             "\"%s\""), objective_text);
  if (target_text != NULL)
    {
      if (!cd_cli_parse_number ("optimize", "--target", target_text, FALSE, &options.target))
        return CD_EXIT_USAGE;
      if (options.target > 1)
        return cd_cli_usage_error ("optimize", _("--target must be a final mean coordination "
                                                 "from 0 to 1, not \"%s\""), target_text);
      options.has_target = TRUE;
    }
  if (seed_text != NULL)
    {
      char *end = NULL;

      errno = 0;
      options.seed = g_ascii_strtoull (seed_text, &end, 10);
      if (*seed_text == '\0' || !g_ascii_isdigit (*seed_text) || errno != 0 || *end != '\0')
        return cd_cli_usage_error ("optimize", _("--seed must be a whole number ≥ 0, not \"%s\""),
                                   seed_text);
    }
  if (threads != G_MININT && (threads < 1 || threads > 4096))
    return cd_cli_usage_error ("optimize", _("--threads must be from 1 to 4096"));
  options.threads = (guint) MAX (threads, 0);
  if (!cd_cli_check_files ("optimize", (const char *[]) { argv[1], NULL },
                           (CdCliOutput[]) { { "-o", output }, { "--figure", figure.path } }, 2)
      || !cd_cli_figure_check ("optimize", &figure))
    return CD_EXIT_USAGE;

  model = cd_cli_load_model (argv[1]);
  if (model == NULL)
    return CD_EXIT_FAILED;
  for (guint i = 0; i < n_levers; i++)
    if (!cd_lever_parse (&levers[i], lever_texts[i], model->version, &error))
      {
        cd_cli_report (argv[1], "%s", error->message);
        return CD_EXIT_FAILED;
      }
  if (scenario != NULL)
    {
      options.scenario = cd_model_find_scenario (model, scenario);
      if (options.scenario < 0)
        {
          cd_cli_report (argv[1], _("no scenario named \"%s\""), scenario);
          return CD_EXIT_FAILED;
        }
    }

  opt = cd_optimize_run (model, levers, n_levers, &options,
                         isatty (STDERR_FILENO) ? cd_cli_progress_draw : NULL, &progress, NULL,
                         &error);
  cd_cli_progress_end (&progress);
  if (opt == NULL)
    {
      cd_cli_report (argv[1], "%s", error->message);
      return CD_EXIT_FAILED;
    }
  note_masked (argv[1], opt);

  out = cd_cli_open_output_or_report ("optimize", output);
  if (out == NULL)
    return CD_EXIT_FAILED;
  cd_analysis_csv_optimize (&(CdCsvSink) { out, NULL }, opt);
  if (cd_cli_finish_output ("optimize", out, output) != CD_EXIT_OK)
    return CD_EXIT_FAILED;
  target_line = cd_optimize_target_text (opt);
  if (target_line != NULL)
    {
      FILE *to = output != NULL && g_strcmp0 (output, "-") != 0 ? stdout : stderr;
      fprintf (to, "%s\n", target_line);
    }
  return cd_cli_figure_draw ("optimize", &figure,
                             &(CdCliResults) { .model = model, .model_path = argv[1],
                                               .optimize = opt });
}
