/* cd-analysis-view-sweep.c — the Sweep pane: the bifurcation diagram of a
 * parameter swept up and down, and its tipping points and hysteresis (see
 * cd-analysis-view-private.h).
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
cd_analysis_view_draw_sweep (cairo_t             *cr,
                             int                  width,
                             int                  height,
                             const CdRenderStyle *style,
                             gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_SWEEP];
  CdAnalysisFigure figure;

  if (job == NULL)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_SWEEP, job->model);
  figure.sweep = job->sweep;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_show_sweep (CdAnalysisView *self,
                             Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  double up = 0, down = 0;
  gboolean has_up = cd_sweep_tipping_point (job->sweep, CD_SWEEP_UP, &up);
  gboolean has_down = cd_sweep_tipping_point (job->sweep, CD_SWEEP_DOWN, &down);
  const char *name = param_label (job->sweep->param);

  if (has_up && has_down && fabs (up - down) > 1e-12)
    /* Translators: the parameter's name, then where the state tips going up and
     * going down, then the width of the window between them */
    g_string_printf (text, _("Raising %s, the state tips at %.4g; lowering it again, it tips "
                             "back only at %.4g. Hysteresis: between the two both outcomes "
                             "are stable (a window %.4g wide), so where the network ends up "
                             "depends on where it came from."),
                     name, up, down, fabs (up - down));
  else if (has_up && has_down)
    g_string_printf (text, _("Raising or lowering %s, the state tips at %.4g both ways: no "
                             "hysteresis at this step size."), name, up);
  else if (has_up)
    g_string_printf (text, _("Raising %s, the state tips at %.4g; lowering it, it does not "
                             "tip back within the range."), name, up);
  else if (has_down)
    g_string_printf (text, _("Lowering %s, the state tips at %.4g; raising it, it did not "
                             "tip within the range."), name, down);
  else
    g_string_printf (text, _("No tipping point: the equilibrium moves smoothly with %s over "
                             "this range."), name);
  {
    /* The path followed from the initial state is not the whole story when
     * the search finds other stable states at the same values. */
    GArray *pts = job->sweep->points;
    gboolean other = FALSE;
    for (guint i = 0; i < pts->len && !other; i++)
      {
        const CdSweepPoint *a = &g_array_index (pts, CdSweepPoint, i);
        gboolean near = FALSE;
        if (a->direction != CD_SWEEP_ALL || !a->stable)
          continue;
        for (guint k = 0; k < pts->len && !near; k++)
          {
            const CdSweepPoint *b = &g_array_index (pts, CdSweepPoint, k);
            near = b->direction != CD_SWEEP_ALL && b->value == a->value
                   && fabs (b->mean_coordination - a->mean_coordination) < 0.05;
          }
        other = !near;
      }
    if (other)
      g_string_append (text, _(" Other stable states exist along the way (solid lines off the "
                               "path followed): where the network settles depends on where it "
                               "starts."));
  }
  /* Translators: %g is the time whose parameter values the sweep held the
   * other parameters at */
  g_string_append_printf (text, _(" The other parameters as in force at t = %g, with no "
                                  "emergency active."), job->at);
  g_string_append (text, _(" Solid: stable equilibria; dashed: unstable ones; circles: where "
                           "the state tips."));
  cd_analysis_view_set_summary (self, self->sweep_summary, KIND_SWEEP, text->str);
  cd_chart_view_set_ready (self->sweep_chart, TRUE);
}
