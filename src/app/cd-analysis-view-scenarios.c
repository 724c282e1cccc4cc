/* cd-analysis-view-scenarios.c — the Scenarios pane: each scenario's course
 * against the base model, and the differences (see cd-analysis-view-
 * private.h).
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
cd_analysis_view_draw_scenarios (cairo_t             *cr,
                                 int                  width,
                                 int                  height,
                                 const CdRenderStyle *style,
                                 gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_SCENARIOS];
  CdAnalysisFigure figure;

  if (job == NULL)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_SCENARIOS, job->model);
  figure.outcomes = job->outcomes;
  figure.curves = job->curves;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_show_scenarios (CdAnalysisView *self,
                                 Job            *job)
{
  const CdOutcome *base = &((CdScenarioOutcome *) g_ptr_array_index (job->outcomes, 0))->outcome;
  g_autoptr (GString) text = g_string_new (NULL);

  g_list_store_remove_all (self->scenario_store);
  for (guint i = 0; i < job->outcomes->len; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (job->outcomes, i);
      const CdOutcome *o = &so->outcome;
      g_autoptr (CdTableRow) row = cd_table_row_new (i, 9);

      cd_table_row_set_text (row, 0, cd_analysis_scenario_label (job->model, so));
      cd_table_row_set_number (row, 1, o->final_mean);
      cd_table_row_set_number (row, 2, o->peak_mean);
      cd_table_row_set_number (row, 3, o->reached_half ? o->time_to_half : NAN);
      cd_table_row_set_number (row, 4, o->total_loss);
      if (i > 0)
        {
          cd_table_row_set_number (row, 5, o->final_mean - base->final_mean);
          cd_table_row_set_number (row, 6, o->peak_mean - base->peak_mean);
          cd_table_row_set_number (row, 7, o->reached_half && base->reached_half
                                             ? o->time_to_half - base->time_to_half : NAN);
          cd_table_row_set_number (row, 8, o->total_loss - base->total_loss);
        }
      else
        cd_table_row_set_style (row, "heading");
      g_list_store_append (self->scenario_store, row);
    }
  if (job->outcomes->len == 1)
    g_string_append (text, job->model->scenarios->len == 0
                             ? _("This model has no scenarios: only the base run is shown.")
                             : _("No scenario ticked: only the base run is shown."));
  else
    g_string_append (text, _("Differences (Δ) are each scenario minus the base model; "
                             "“–” where mean coordination never reaches 0.5."));
  cd_analysis_view_set_summary (self, self->scenario_summary, KIND_SCENARIOS, text->str);
  cd_chart_view_set_ready (self->scenario_chart, TRUE);
}
