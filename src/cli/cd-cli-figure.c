/* cd-cli-figure.c — `--figure FILE` of the analysis commands: the chart the
 * app's Analysis page shows, drawn by the same render call
 * (cd_render_analysis_figure) from the command's results.
 *
 * In coordyn-cli-graphics only (cairo, pango): coordyn-cli runs the whole
 * command there when --figure is given, and this file's hooks are what
 * that program adds to the shared command code (cd-cli-analysis.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-analysis-figure.h"
#include "cd-cli.h"

static gboolean
parse_preset (const CdCliFigure *figure,
              CdFigurePreset    *preset)
{
  *preset = CD_FIGURE_PRESET_NONE;
  return figure->preset == NULL
         || (cd_figure_preset_from_string (figure->preset, preset)
             && *preset != CD_FIGURE_PRESET_NONE);
}

static gboolean
parse_outcome (const CdCliFigure *figure,
               CdAnalysisOutcome *outcome)
{
  *outcome = CD_ANALYSIS_OUTCOME_COORDINATION;
  if (figure->outcome == NULL || g_strcmp0 (figure->outcome, "coordination") == 0)
    return TRUE;
  if (g_strcmp0 (figure->outcome, "loss") == 0)
    {
      *outcome = CD_ANALYSIS_OUTCOME_LOSS;
      return TRUE;
    }
  return FALSE;
}

static gboolean
figure_check (const char        *command,
              const CdCliFigure *figure)
{
  CdExportFormat format;
  CdFigurePreset preset;
  CdAnalysisOutcome outcome;

  if (!cd_export_format_from_path (figure->path, &format))
    {
      cd_cli_usage_error (command, _("--figure: cannot tell the format from '%s': end the name "
                                     "with .png, .svg or .pdf"), figure->path);
      return FALSE;
    }
  if (!parse_preset (figure, &preset))
    {
      cd_cli_usage_error (command, _("--preset must be column, page or slide, not '%s'"),
                          figure->preset);
      return FALSE;
    }
  if (!parse_outcome (figure, &outcome))
    {
      cd_cli_usage_error (command, _("--figure-outcome must be coordination or loss, not '%s'"),
                          figure->outcome);
      return FALSE;
    }
  return TRUE;
}

static int
figure_draw (const char         *command,
             const CdCliFigure  *figure,
             const CdCliResults *results)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) curves = NULL;
  CdAnalysisFigure chart;
  CdExportFormat format;
  CdFigurePreset preset;
  CdFigureSize size;

  /* checked before the analysis ran */
  if (!cd_export_format_from_path (figure->path, &format) || !parse_preset (figure, &preset))
    g_return_val_if_reached (CD_EXIT_USAGE);
  if (results->equilibria != NULL)
    {
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_EQUILIBRIUM, results->model);
      chart.equilibria = results->equilibria;
      /* the one the app selects first */
      chart.equilibrium = cd_analysis_figure_default_equilibrium (results->equilibria);
      if (results->equilibria->equilibria->len == 0)
        {
          cd_cli_report_command (command, _("--figure: no equilibrium was found, so there is "
                                            "none to draw"));
          return CD_EXIT_FAILED;
        }
    }
  else if (results->sweep != NULL)
    {
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_SWEEP, results->model);
      chart.sweep = results->sweep;
    }
  else if (results->tornado != NULL)
    {
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_TORNADO, results->model);
      chart.tornado = results->tornado;
    }
  else if (results->sobol != NULL)
    {
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_SOBOL, results->model);
      chart.sobol = results->sobol;
    }
  else if (results->montecarlo != NULL)
    {
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_MONTECARLO, results->model);
      chart.montecarlo = results->montecarlo;
    }
  else if (results->outcomes != NULL)
    {
      /* the runs behind the table, kept whole for their curves, as the app does */
      curves = results->variants != NULL
               ? cd_compare_models_trajectories ((const CdModel *const *) results->variants->pdata,
                                                 results->variants->len, NULL, NULL, NULL, &error)
               : cd_compare_trajectories (results->model, results->outcomes, NULL, NULL, NULL,
                                          &error);
      if (curves == NULL)
        {
          cd_cli_report (results->model_path, "%s", error->message);
          return CD_EXIT_FAILED;
        }
      cd_analysis_figure_init (&chart, CD_ANALYSIS_FIGURE_SCENARIOS, results->model);
      chart.outcomes = results->outcomes;
      chart.curves = curves;
    }
  else
    g_return_val_if_reached (CD_EXIT_FAILED);

  parse_outcome (figure, &chart.outcome);
  chart.show_title = !figure->no_title;
  cd_analysis_figure_size (&chart, preset, &size);
  if (!cd_analysis_figure_export (&chart, &size, format, figure->path, NULL, &error))
    {
      cd_cli_report_command (command, "%s", error->message);
      return CD_EXIT_FAILED;
    }
  return CD_EXIT_OK;
}

const CdCliFigureHooks cd_cli_graphics_figure_hooks = {
  figure_check,
  figure_draw,
};
