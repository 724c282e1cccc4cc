/* cd-analysis-view-equilibria.c — the Equilibria pane: the equilibria
 * found, their stability, and each government's coordination at the one
 * selected (see cd-analysis-view-private.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "cd-analysis-figure.h"
#include "cd-analysis-view-private.h"
#include "cd-result-table.h"

static const CdEquilibrium *
selected_equilibrium (CdAnalysisView *self)
{
  Job *job = self->results[KIND_EQUILIBRIA];
  int i = cd_result_table_get_selected (self->eq_table);

  if (job == NULL || i < 0 || (guint) i >= job->eqs->equilibria->len)
    return NULL;
  return g_ptr_array_index (job->eqs->equilibria, i);
}

void
cd_analysis_view_draw_equilibrium (cairo_t             *cr,
                                   int                  width,
                                   int                  height,
                                   const CdRenderStyle *style,
                                   gpointer             user_data)
{
  CdAnalysisView *self = user_data;
  Job *job = self->results[KIND_EQUILIBRIA];
  int index = cd_result_table_get_selected (self->eq_table);
  CdAnalysisFigure figure;

  if (job == NULL || selected_equilibrium (self) == NULL)
    return;
  cd_analysis_figure_init (&figure, CD_ANALYSIS_FIGURE_EQUILIBRIUM, job->model);
  figure.equilibria = job->eqs;
  figure.equilibrium = (guint) index;
  cd_render_analysis_figure (cr, width, height, &figure, style);
}

void
cd_analysis_view_on_eq_selected (GtkSelectionModel *model,
                                 guint              position,
                                 guint              n_items,
                                 CdAnalysisView    *self)
{
  cd_chart_view_set_ready (self->eq_chart, selected_equilibrium (self) != NULL);
}

void
cd_analysis_view_show_equilibria (CdAnalysisView *self,
                                  Job            *job)
{
  GPtrArray *eqs = job->eqs->equilibria;
  gboolean replicator = cd_system_get_rule (job->eqs->system) == CD_RULE_REPLICATOR;
  g_autoptr (GString) text = g_string_new (NULL);
  guint n_stable = 0;
  GtkSelectionModel *selection;

  g_list_store_remove_all (self->eq_store);
  for (guint k = 0; k < eqs->len; k++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (eqs, k);
      g_autoptr (CdTableRow) row = cd_table_row_new (k, 4);
      g_autofree char *stability = NULL;

      if (replicator && eq->corner)
        stability = g_strdup (eq->ess ? _("stable corner (evolutionarily stable)")
                                      : _("corner, not evolutionarily stable"));
      else
        stability = g_strdup (eq->stable ? _("stable") : _("unstable"));
      cd_table_row_set_number (row, 0, k + 1);
      cd_table_row_set_text (row, 1, stability);
      cd_table_row_set_number (row, 2, eq->max_real);
      cd_table_row_set_number (row, 3, eq->mean_coordination);
      if (eq->stable)
        {
          cd_table_row_set_style (row, "cd-mark-success");
          n_stable++;
        }
      g_list_store_append (self->eq_store, row);
    }
  /* Translators: equilibria found; %g is the time whose parameters were used */
  g_string_append_printf (text, ngettext ("%u equilibrium with the parameters in force at "
                                          "t = %g, ", "%u equilibria with the parameters in "
                                          "force at t = %g, ", eqs->len), eqs->len, job->at);
  /* "1 of them stable" reads oddly of a single equilibrium. */
  if (eqs->len == 1)
    g_string_append (text, n_stable == 1 ? _("and it is stable.") : _("and it is unstable."));
  else
    g_string_append_printf (text, ngettext ("%u of them stable.", "%u of them stable.",
                                            n_stable), n_stable);
  if (n_stable > 1)
    g_string_append (text, _(" More than one stable state: where the network ends up depends "
                             "on where it starts, so history matters."));
  if (job->eqs->trust_held)
    g_string_append (text, _(" Trust has no dynamics here (trust gain and decay are 0), so it "
                             "is held at its initial values."));
  if (replicator && !job->eqs->corners_enumerated)
    g_string_append_printf (text, _(" More than %u free governments: corners were not "
                                    "enumerated."), CD_EQ_MAX_CORNER_NODES);
  g_string_append (text, _(" Select a row to see each government's coordination there."));
  cd_analysis_view_set_summary (self, self->eq_summary, KIND_EQUILIBRIA, text->str);

  /* Show a stable one first, as the command line's figure does: that is
   * where the network can rest. */
  selection = gtk_column_view_get_model (self->eq_table);
  if (eqs->len > 0)
    {
      guint want = cd_analysis_figure_default_equilibrium (job->eqs);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (selection));
      for (guint p = 0; p < n; p++)
        {
          g_autoptr (CdTableRow) row = g_list_model_get_item (G_LIST_MODEL (selection), p);
          if (cd_table_row_get_index (row) == want)
            gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (selection), p);
        }
    }
  cd_chart_view_set_ready (self->eq_chart, selected_equilibrium (self) != NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self->eq_chart));
}
