/* cd-analysis-view-sensitivity.c — the Sensitivity pane: the tornado of
 * each lever's effect and, if asked for, the Sobol indices (see cd-
 * analysis-view-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-analysis-figure.h"
#include "cd-analysis-view-private.h"
#include "cd-result-table.h"

void
cd_analysis_view_draw_tornado (cairo_t             *cr,
                               int                  width,
                               int                  height,
                               const CdRenderStyle *style,
                               gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_SENSITIVITY];
  CdAnalysisFigure figure;

  if (job == NULL)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_TORNADO, job->model);
  figure.tornado = job->tornado;
  figure.outcome = data->loss ? CD_ANALYSIS_OUTCOME_LOSS : CD_ANALYSIS_OUTCOME_COORDINATION;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_draw_sobol (cairo_t             *cr,
                             int                  width,
                             int                  height,
                             const CdRenderStyle *style,
                             gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_SENSITIVITY];
  CdAnalysisFigure figure;

  if (job == NULL || job->sobol_result == NULL)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_SOBOL, job->model);
  figure.sobol = job->sobol_result;
  figure.outcome = data->loss ? CD_ANALYSIS_OUTCOME_LOSS : CD_ANALYSIS_OUTCOME_COORDINATION;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_show_sensitivity (CdAnalysisView *self,
                                   Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const CdTornado *t = job->tornado;

  g_string_printf (text, _("Base run: final mean coordination %.3f, total loss %.3f. Each "
                           "parameter moved by ±%g %% of its range; the widest bar is the "
                           "strongest lever."), t->base.final_mean, t->base.total_loss,
                   round (job->delta * 1000) / 10);
  if (t->bars->len > 0)
    g_string_append_printf (text, _(" Strongest for coordination: %s."),
                            param_label (g_array_index (t->bars, CdTornadoBar, 0).param));
  if (job->sobol_result == NULL && job->sobol)
    g_string_append (text, _(" No Sobol indices."));
  else if (job->sobol_result != NULL && job->model->ranges->len == 0)
    g_string_append (text, _(" The model has no uncertainty ranges, so the Sobol indices "
                             "vary every parameter over the tornado's ±δ box."));
  if (job->sobol_result != NULL)
    {
      const CdSobol *s = job->sobol_result;
      double widest = 0;

      for (guint i = 0; i < s->n_params; i++)
        widest = MAX (widest, MAX (MAX (s->first_mean_conf[i], s->total_mean_conf[i]),
                                   MAX (s->first_loss_conf[i], s->total_loss_conf[i])));
      /* An index known to ±0.1 or worse cannot rank levers that differ by
       * less: say how rough the estimate is and what helps. */
      if (widest >= 0.1)
        g_string_append_printf (text, _(" The Sobol indices are rough at N = %u (95 %% "
                                        "intervals up to ±%.2f, the whiskers): a larger N "
                                        "narrows them."), s->n_base, widest);
    }
  cd_analysis_view_set_summary (self, self->sens_summary, KIND_SENSITIVITY, text->str);
  cd_chart_view_set_ready (self->tornado_mean, TRUE);
  cd_chart_view_set_ready (self->tornado_loss, TRUE);
  cd_chart_view_set_placeholder (self->sobol_mean, _("Tick “Sobol indices” to compute them."));
  cd_chart_view_set_placeholder (self->sobol_loss, _("Tick “Sobol indices” to compute them."));
  cd_chart_view_set_ready (self->sobol_mean, job->sobol_result != NULL);
  cd_chart_view_set_ready (self->sobol_loss, job->sobol_result != NULL);
}
