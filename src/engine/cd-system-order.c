/* cd-system-order.c — the order in which the right-hand side reads a large
 * network (issue 17: cost linear in the network).
 *
 * The node loop of cd_system_evaluate reads, for each government, the
 * state of its partners, superiors and subordinates.  A file may list
 * governments in any order (by name, by an export's whim): on a network
 * larger than the caches every one of those reads can then miss.  Here the
 * governments are numbered breadth first over the graph of partnerships
 * and command lines (Cuthill–McKee without the degree sort: the ties are
 * taken in the file's order, so the same file always gives the same
 * order), which puts each government near its partners and superiors, and
 * the network's arrays are copied in that order into sys->layout.  Only
 * the node loop works in it: cd_system_evaluate gathers the state into it
 * and scatters the rates back, and every per-government sum runs over the
 * same terms in the same order as in the file's order, so results are the
 * same bits (tests/engine/test-scale checks this).
 *
 * The order is used only where it pays: from CD_ORDER_MIN_STATE state
 * variables, and only when the file's order leaves many ties far apart
 * while the graph order brings them close.  The generator's models list
 * governments by level and parent, partners near, and keep their order.
 * COORDYN_GRAPH_ORDER=always or =never overrides the choice.
 *
 * The search is written here rather than taken from igraph: Debian's
 * igraph is built without thread safety (its error stack is global), and
 * cd_system_new runs on the analyses' worker threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cd-system-private.h"

/* Two ties whose governments lie further apart than this many positions
 * count as far: 512 doubles are 4 KiB of the state vector, beyond which
 * a read is unlikely to share a page or a recently read cache line. */
#define FAR 512

/* Of every partnership and command line, the fraction whose two ends lie
 * more than FAR apart when government i sits at pos[i] (NULL: at i). */
static double
far_fraction (const CdSystem *sys,
              const guint    *pos)
{
  guint64 far = 0, all = (guint64) sys->n_partnerships + sys->n_commands;

  for (guint e = 0; e < sys->n_partnerships; e++)
    {
      gint64 a = pos ? pos[sys->pair_a[e]] : sys->pair_a[e];
      gint64 b = pos ? pos[sys->pair_b[e]] : sys->pair_b[e];
      far += ABS (a - b) > FAR;
    }
  for (guint c = 0; c < sys->n_commands; c++)
    {
      gint64 a = pos ? pos[sys->command_source[c]] : sys->command_source[c];
      gint64 b = pos ? pos[sys->command_target[c]] : sys->command_target[c];
      far += ABS (a - b) > FAR;
    }
  return all > 0 ? (double) far / all : 0.0;
}

/* Breadth first over partnerships and command lines, each component from
 * its first government in the file; order[k] is the k-th reached. */
static void
breadth_first (const CdSystem *sys,
               guint          *order)
{
  const guint n = sys->n_nodes;
  g_autofree guint8 *seen = g_new0 (guint8, MAX (n, 1));
  guint head = 0, tail = 0;

  for (guint root = 0; root < n; root++)
    {
      if (seen[root])
        continue;
      seen[root] = 1;
      order[tail++] = root;
      while (head < tail)
        {
          guint i = order[head++];
          const guint *lists[3] = { sys->partner_node + sys->partner_start[i],
                                    sys->superior_node + sys->superior_start[i],
                                    sys->subordinate_node + sys->subordinate_start[i] };
          guint lengths[3] = { sys->partner_start[i + 1] - sys->partner_start[i],
                               sys->superior_start[i + 1] - sys->superior_start[i],
                               sys->subordinate_start[i + 1] - sys->subordinate_start[i] };

          for (guint l = 0; l < 3; l++)
            for (guint q = 0; q < lengths[l]; q++)
              {
                guint j = lists[l][q];
                if (!seen[j])
                  {
                    seen[j] = 1;
                    order[tail++] = j;
                  }
              }
        }
    }
}

/* sys->layout on the file's own arrays. */
static void
layout_file (CdSystem *sys)
{
  CdLayout *L = &sys->layout;

  L->partner_start = sys->partner_start;
  L->half_edges = sys->half_edges;
  L->pair_info = sys->pair_info;
  L->capacity = sys->capacity;
  L->superior_start = sys->superior_start;
  L->superior_node = sys->superior_node;
  L->superior_weight = sys->superior_weight;
  L->superior_emergency = sys->superior_emergency;
  L->subordinate_start = sys->subordinate_start;
  L->subordinate_node = sys->subordinate_node;
  L->subordinate_weight = sys->subordinate_weight;
  L->impacted = sys->impacted;
  L->impact_node = sys->impact_node;
}

/* One CSR (start, node, weight and, given, a flag per entry) copied into
 * the order: row k is the file's row order[k], in the same sequence, its
 * nodes renumbered. */
static void
csr_in_order (const CdSystem *sys,
              const guint    *start,
              const guint    *node,
              const double   *weight,
              const guint8   *flag,
              guint         **start_out,
              guint         **node_out,
              double        **weight_out,
              guint8        **flag_out)
{
  const guint n = sys->n_nodes, m = start[n];
  guint *s = g_new (guint, n + 1), *c = g_new (guint, MAX (m, 1));
  double *w = g_new (double, MAX (m, 1));
  guint8 *f = flag ? g_new (guint8, MAX (m, 1)) : NULL;
  guint fill = 0;

  for (guint k = 0; k < n; k++)
    {
      guint i = sys->order[k];

      s[k] = fill;
      for (guint q = start[i]; q < start[i + 1]; q++, fill++)
        {
          c[fill] = sys->rank[node[q]];
          w[fill] = weight[q];
          if (f)
            f[fill] = flag[q];
        }
    }
  s[n] = fill;
  *start_out = s, *node_out = c, *weight_out = w;
  if (flag_out)
    *flag_out = f;
}

/* sys->layout copied into sys->order. */
static void
layout_ordered (CdSystem *sys)
{
  const guint n = sys->n_nodes, m = sys->n_partnerships;
  CdLayout *L = &sys->layout;
  g_autofree guint *pair_rank = g_new (guint, MAX (m, 1));
  guint next = 0, fill = 0;

  sys->rank = g_new (guint, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    sys->rank[sys->order[k]] = k;

  /* partnerships numbered as the node loop first meets them, so that it
   * reads the trusts nearly in sequence */
  memset (pair_rank, 0xff, MAX (m, 1) * sizeof (guint));
  sys->pair_order = g_new (guint, MAX (m, 1));
  for (guint k = 0; k < n; k++)
    {
      guint i = sys->order[k];
      for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++)
        if (pair_rank[sys->partner_edge[q]] == G_MAXUINT)
          {
            pair_rank[sys->partner_edge[q]] = next;
            sys->pair_order[next++] = sys->partner_edge[q];
          }
    }
  g_assert (next == m);

  L->partner_start = g_new (guint, n + 1);
  L->half_edges = g_new (CdHalfEdge, MAX (2 * m, 1));
  for (guint k = 0; k < n; k++)
    {
      guint i = sys->order[k];

      L->partner_start[k] = fill;
      for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++, fill++)
        {
          L->half_edges[fill].interest = sys->half_edges[q].interest;
          L->half_edges[fill].node = sys->rank[sys->half_edges[q].node];
          L->half_edges[fill].edge = pair_rank[sys->half_edges[q].edge];
        }
    }
  L->partner_start[n] = fill;
  L->pair_info = g_new (double, MAX (m, 1));
  for (guint e = 0; e < m; e++)
    L->pair_info[e] = sys->pair_info[sys->pair_order[e]];
  L->capacity = g_new (double, MAX (n, 1));
  for (guint k = 0; k < n; k++)
    L->capacity[k] = sys->capacity[sys->order[k]];
  csr_in_order (sys, sys->superior_start, sys->superior_node, sys->superior_weight,
                sys->superior_emergency, &L->superior_start, &L->superior_node,
                &L->superior_weight, &L->superior_emergency);
  csr_in_order (sys, sys->subordinate_start, sys->subordinate_node, sys->subordinate_weight,
                NULL, &L->subordinate_start, &L->subordinate_node, &L->subordinate_weight,
                NULL);
  L->impacted = g_new (guint, MAX (sys->n_impacted, 1));
  for (guint q = 0; q < sys->n_impacted; q++)
    L->impacted[q] = sys->rank[sys->impacted[q]];
  L->impact_node = g_new (guint, MAX (sys->impact_start[sys->n_events], 1));
  for (guint q = 0; q < sys->impact_start[sys->n_events]; q++)
    L->impact_node[q] = sys->rank[sys->impact_node[q]];
}

static void
choose_layout (CdSystem     *sys,
               CdOrderChoice choice)
{
  gboolean always = choice == CD_ORDER_GRAPH, never = choice == CD_ORDER_FILE;
  g_autofree guint *order = NULL;
  g_autofree guint *pos = NULL;
  double far_file, far_graph;

  cd_system_order_free (sys);
  layout_file (sys);
  if (never || sys->n_nodes < 2 || (!always && sys->n_state < CD_ORDER_MIN_STATE))
    return;

  order = g_new (guint, sys->n_nodes);
  pos = g_new (guint, sys->n_nodes);
  breadth_first (sys, order);
  for (guint k = 0; k < sys->n_nodes; k++)
    pos[order[k]] = k;
  far_file = far_fraction (sys, NULL);
  far_graph = far_fraction (sys, pos);
  g_debug ("cd_system_order: %u governments, ties far apart: %.3f in the file's order, "
           "%.3f in the graph order", sys->n_nodes, far_file, far_graph);
  /* Worth it when the file's order leaves a fifth of the ties far apart
   * and the graph order at most half as many. */
  if (!always && (far_file < 0.2 || far_graph > 0.5 * far_file))
    return;
  sys->order = g_steal_pointer (&order);
  layout_ordered (sys);
}

void
cd_system_order (CdSystem     *sys,
                 CdOrderChoice choice)
{
  choose_layout (sys, choice);
  sys->sell = cd_sell_new (sys);
}

void
cd_system_order_free (CdSystem *sys)
{
  CdLayout *L = &sys->layout;

  g_clear_pointer (&sys->sell, cd_sell_free);

  if (sys->order != NULL)
    {
      g_free (L->partner_start);
      g_free (L->half_edges);
      g_free (L->pair_info);
      g_free (L->capacity);
      g_free (L->superior_start);
      g_free (L->superior_node);
      g_free (L->superior_weight);
      g_free (L->superior_emergency);
      g_free (L->subordinate_start);
      g_free (L->subordinate_node);
      g_free (L->subordinate_weight);
      g_free (L->impacted);
      g_free (L->impact_node);
    }
  memset (L, 0, sizeof *L);
  g_clear_pointer (&sys->order, g_free);
  g_clear_pointer (&sys->rank, g_free);
  g_clear_pointer (&sys->pair_order, g_free);
}
