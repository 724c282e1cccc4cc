/* cd-analysis-view-metrics.c — the Network metrics pane: who brokers the
 * partnership network and who is isolated (see cd-analysis-view-private.h).
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
cd_analysis_view_show_metrics (CdAnalysisView *self,
                               Job            *job)
{
  const CdMetrics *m = job->metrics;
  g_autoptr (GPtrArray) brokers = g_ptr_array_new ();
  g_autoptr (GPtrArray) isolated = g_ptr_array_new ();
  g_autofree char *broker_list = NULL;
  g_autofree char *isolated_list = NULL;
  g_autofree char *text = NULL;

  g_list_store_remove_all (self->metrics_store);
  for (guint i = 0; i < m->n_nodes && i < job->model->nodes->len; i++)
    {
      const CdNode *node = g_ptr_array_index (job->model->nodes, i);
      g_autoptr (CdTableRow) row = cd_table_row_new (i, 9);
      const char *name = cd_node_display_name (node);

      cd_table_row_set_text (row, 0, name);
      cd_table_row_set_text (row, 1, cd_level_label (node->level));
      cd_table_row_set_number (row, 3, m->degree[i]);
      cd_table_row_set_number (row, 4, m->n_superiors[i]);
      cd_table_row_set_number (row, 5, m->n_subordinates[i]);
      cd_table_row_set_number (row, 6, m->betweenness[i]);
      cd_table_row_set_number (row, 7, m->betweenness_normalized[i]);
      cd_table_row_set_number (row, 8, m->eigenvector[i]);
      if (m->broker[i])
        {
          cd_table_row_set_text (row, 2, _("broker"));
          cd_table_row_set_style (row, "cd-mark-accent");
          g_ptr_array_add (brokers, (gpointer) name);
        }
      else if (m->isolated[i])
        {
          cd_table_row_set_text (row, 2, _("isolated"));
          cd_table_row_set_style (row, "cd-mark-warning");
          g_ptr_array_add (isolated, (gpointer) name);
        }
      g_list_store_append (self->metrics_store, row);
    }
  broker_list = cd_locale_join_list ((const char * const *) brokers->pdata, brokers->len, TRUE);
  isolated_list = cd_locale_join_list ((const char * const *) isolated->pdata, isolated->len,
                                         TRUE);
  /* Translators: the two %s are lists of government names (or "none") */
  text = g_strdup_printf (_("Brokers (their departure would split the partnership network): "
                            "%s. Isolated (no partnership): %s. Click a column to sort."),
                          brokers->len ? broker_list : _("none"),
                          isolated->len ? isolated_list : _("none"));
  cd_analysis_view_set_summary (self, self->metrics_summary, KIND_METRICS, text);
}
