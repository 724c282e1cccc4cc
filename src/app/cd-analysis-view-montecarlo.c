/* cd-analysis-view-montecarlo.c — the Monte Carlo pane: the fan of outcomes
 * over uncertain parameters, and what it says at the end (see cd-analysis-
 * view-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-analysis-figure.h"
#include "cd-analysis-view-private.h"
#include "cd-locale.h"
#include "cd-result-table.h"

void
cd_analysis_view_draw_fan (cairo_t             *cr,
                           int                  width,
                           int                  height,
                           const CdRenderStyle *style,
                           gpointer             user_data)
{
  ChartData *data = user_data;
  Job *job = data->self->results[KIND_MONTECARLO];
  CdAnalysisFigure figure;

  if (job == NULL || job->mc->n_times == 0)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_MONTECARLO, job->model);
  figure.montecarlo = job->mc;
  figure.outcome = data->loss ? CD_ANALYSIS_OUTCOME_LOSS : CD_ANALYSIS_OUTCOME_COORDINATION;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_show_montecarlo (CdAnalysisView *self,
                                  Job            *job)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const CdMonteCarlo *mc = job->mc;
  guint last = mc->n_times > 0 ? mc->n_times - 1 : 0;

  g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, mc->seed);

  /* The seed is printed first: xgettext cannot read G_GUINT64_FORMAT in a msgid.
   * Translators: %u is the number of runs, %s the seed */
  g_string_printf (text, ngettext ("%u run, seed %s, sampling ", "%u runs, seed %s, sampling ",
                                   mc->n_runs), mc->n_runs, seed);
  if (job->mc_around_values)
    /* Translators: %g is a percentage such as 10 */
    g_string_append_printf (text, _("every parameter uniformly within ±%g %% of its range "
                                    "around its value, since the model has no uncertainty "
                                    "ranges (a \"ranges\" section in the file says which "
                                    "parameters are uncertain and how)"),
                            MC_DEFAULT_DELTA * 100);
  else
    {
      g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *list = NULL;

      for (guint i = 0; i < mc->ranges->len; i++)
        {
          const CdRange *r = &g_array_index (mc->ranges, CdRange, i);
          g_ptr_array_add (items, g_strdup_printf ("%s %s [%g, %g]", param_label (r->param),
                                                   r->dist == CD_DIST_UNIFORM ? _("uniform")
                                                                              : _("triangular"),
                                                   r->min, r->max));
        }
      list = cd_locale_join_list ((const char * const *) items->pdata, items->len, TRUE);
      g_string_append (text, list);
    }
  /* Translators: the full stop after the list of sampled parameters */
  g_string_append (text, C_("sentence end", "."));
  if (mc->n_times > 0)
    g_string_append_printf (text, _(" At the end: median mean coordination %.3f (90 %% of runs "
                                    "between %.3f and %.3f), median loss %.3f."),
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 2],
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 0],
                            mc->band_mean[(gsize) last * CD_MC_N_BANDS + 4],
                            mc->band_loss[(gsize) last * CD_MC_N_BANDS + 2]);
  {
    g_autofree char *note = cd_montecarlo_excluded_note (mc);

    if (note != NULL)
      g_string_append_printf (text, " %s", note);
  }
  cd_analysis_view_set_summary (self, self->mc_summary, KIND_MONTECARLO, text->str);
  cd_chart_view_set_ready (self->fan_mean, mc->n_times > 0);
  cd_chart_view_set_ready (self->fan_loss, mc->n_times > 0);
}
