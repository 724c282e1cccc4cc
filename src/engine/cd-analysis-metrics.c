/* cd-analysis-metrics.c — centrality of the partnership network with igraph.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* igraph's headers test an undefined macro; keep -Wundef for our code. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#include <igraph.h>
#pragma GCC diagnostic pop

#include "cd-analysis-metrics.h"
#include "cd-system-private.h"

void
cd_metrics_free (CdMetrics *m)
{
  if (m == NULL)
    return;
  g_strfreev (m->ids);
  g_free (m->degree);
  g_free (m->n_superiors);
  g_free (m->n_subordinates);
  g_free (m->betweenness);
  g_free (m->betweenness_normalized);
  g_free (m->eigenvector);
  g_free (m->broker);
  g_free (m->isolated);
  g_free (m);
}

static gboolean
check (igraph_error_t  rc,
       const char     *what,
       GError        **error)
{
  if (rc == IGRAPH_SUCCESS)
    return TRUE;
  /* Translators: the first %s names a graph function, the second is igraph's reason. */
  g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED, _("%s failed: %s"), what,
               igraph_strerror (rc));
  return FALSE;
}

CdMetrics *
cd_network_metrics (const CdModel *model,
                    GError       **error)
{
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdMetrics) m = NULL;
  igraph_error_handler_t *old_error;
  igraph_warning_handler_t *old_warning;
  igraph_vector_int_t pairs, cut;
  igraph_vector_t between, eigen;
  igraph_t graph;
  gboolean ok;
  guint n;

  g_return_val_if_fail (model != NULL, NULL);

  sys = cd_system_new (model, error);
  if (sys == NULL)
    return NULL;
  n = sys->n_nodes;
  m = g_new0 (CdMetrics, 1);
  m->n_nodes = n;
  m->ids = g_strdupv (sys->node_ids);
  m->degree = g_new0 (guint, MAX (n, 1));
  m->n_superiors = g_new0 (guint, MAX (n, 1));
  m->n_subordinates = g_new0 (guint, MAX (n, 1));
  m->betweenness = g_new0 (double, MAX (n, 1));
  m->betweenness_normalized = g_new0 (double, MAX (n, 1));
  m->eigenvector = g_new0 (double, MAX (n, 1));
  m->broker = g_new0 (gboolean, MAX (n, 1));
  m->isolated = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      m->degree[i] = sys->partner_start[i + 1] - sys->partner_start[i];
      m->n_superiors[i] = sys->superior_start[i + 1] - sys->superior_start[i];
      m->n_subordinates[i] = sys->subordinate_start[i + 1] - sys->subordinate_start[i];
      m->isolated[i] = m->degree[i] == 0;
    }
  if (n == 0)
    return g_steal_pointer (&m);

  /* igraph aborts on errors by default; here every status is checked. */
  old_error = igraph_set_error_handler (igraph_error_handler_ignore);
  old_warning = igraph_set_warning_handler (igraph_warning_handler_ignore);

  igraph_vector_int_init (&pairs, 0);
  for (guint e = 0; e < sys->n_partnerships; e++)
    {
      igraph_vector_int_push_back (&pairs, sys->pair_a[e]);
      igraph_vector_int_push_back (&pairs, sys->pair_b[e]);
    }
  ok = check (igraph_create (&graph, &pairs, n, IGRAPH_UNDIRECTED), "igraph_create", error);
  igraph_vector_int_destroy (&pairs);
  if (ok)
    {
      igraph_vector_init (&between, 0);
      igraph_vector_init (&eigen, 0);
      igraph_vector_int_init (&cut, 0);
      ok = check (igraph_betweenness (&graph, &between, igraph_vss_all (), IGRAPH_UNDIRECTED,
                                      NULL), "igraph_betweenness", error)
           && check (igraph_articulation_points (&graph, &cut), "igraph_articulation_points",
                     error);
      if (ok && sys->n_partnerships > 0)
        {
          igraph_real_t value;
          igraph_arpack_options_t arpack;
          igraph_arpack_options_init (&arpack);
          ok = check (igraph_eigenvector_centrality (&graph, &eigen, &value, IGRAPH_UNDIRECTED,
                                                     TRUE, NULL, &arpack),
                      "igraph_eigenvector_centrality", error);
        }
      if (ok)
        {
          double pairs_through = n > 2 ? (n - 1.0) * (n - 2.0) / 2.0 : 0.0;
          for (guint i = 0; i < n; i++)
            {
              m->betweenness[i] = VECTOR (between)[i];
              m->betweenness_normalized[i] = pairs_through > 0 ? m->betweenness[i]
                                                                 / pairs_through : 0.0;
              if (sys->n_partnerships > 0)
                m->eigenvector[i] = CLAMP (VECTOR (eigen)[i], 0.0, 1.0) + 0.0;   /* no −0 */
            }
          for (igraph_integer_t k = 0; k < igraph_vector_int_size (&cut); k++)
            m->broker[VECTOR (cut)[k]] = TRUE;
        }
      igraph_vector_int_destroy (&cut);
      igraph_vector_destroy (&eigen);
      igraph_vector_destroy (&between);
      igraph_destroy (&graph);
    }
  igraph_set_error_handler (old_error);
  igraph_set_warning_handler (old_warning);
  if (!ok)
    return NULL;
  return g_steal_pointer (&m);
}
