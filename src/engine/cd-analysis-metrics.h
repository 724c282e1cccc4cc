/* cd-analysis-metrics.h — network metrics of the partnership network.
 *
 * Computed with igraph on the undirected network of partnerships (command
 * lines are counted, not walked): degree, betweenness (raw, and normalized
 * by the (n − 1)(n − 2)/2 pairs that could route through a government),
 * eigenvector centrality (scaled so the largest is 1; 0 for every
 * government when there is no partnership).  A broker is a government whose
 * departure would cut the partnership network in two (an articulation
 * point): every route between the two sides passes through it, which is
 * what high betweenness points at, stated without a threshold.  An isolated
 * government has no partnership at all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cd-analysis.h"

G_BEGIN_DECLS

typedef struct
{
  guint     n_nodes;
  char    **ids;            /* NULL-terminated, file order */
  guint    *degree;
  guint    *n_superiors;
  guint    *n_subordinates;
  double   *betweenness;
  double   *betweenness_normalized;
  double   *eigenvector;
  gboolean *broker;
  gboolean *isolated;
} CdMetrics;

CdMetrics *cd_network_metrics (const CdModel *model,
                               GError       **error);
void       cd_metrics_free    (CdMetrics     *metrics);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdMetrics, cd_metrics_free)

G_END_DECLS
