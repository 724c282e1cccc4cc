/* cd-system-build.c — compiling a CdModel into the flat arrays of a
 * CdSystem (cd-system-private.h), which the right-hand side (cd-system.c)
 * and the analyses read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-model-json.h"
#include "cd-system.h"
#include "cd-system-private.h"

typedef struct
{
  double onset;
  guint  file_index;
} EventKey;

static int
event_key_compare (gconstpointer a,
                   gconstpointer b)
{
  const EventKey *ka = a, *kb = b;

  if (ka->onset != kb->onset)
    return ka->onset < kb->onset ? -1 : 1;
  return (ka->file_index > kb->file_index) - (ka->file_index < kb->file_index);
}

static int
double_compare (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;
  return (da > db) - (da < db);
}

/* Builds CSR rows from (row, column, value) triples given in file order, so
 * that each row lists its entries in file order too. */
static void
build_csr (guint         n_rows,
           guint         n_entries,
           const guint  *row,
           const guint  *column,
           const double *value,
           guint       **out_start,
           guint       **out_column,
           double      **out_value)
{
  guint *start = g_new0 (guint, n_rows + 1);
  guint *fill = g_new0 (guint, n_rows + 1);
  guint *col = g_new (guint, MAX (n_entries, 1));
  double *val = out_value ? g_new (double, MAX (n_entries, 1)) : NULL;

  for (guint e = 0; e < n_entries; e++)
    start[row[e] + 1]++;
  for (guint i = 0; i < n_rows; i++)
    start[i + 1] += start[i];
  for (guint e = 0; e < n_entries; e++)
    {
      guint at = start[row[e]] + fill[row[e]]++;
      col[at] = column[e];
      if (val)
        val[at] = value[e];
    }
  g_free (fill);
  *out_start = start;
  *out_column = col;
  if (out_value)
    *out_value = val;
}

static char *
csv_label (const char *source,
           const char *target)
{
  return g_strdup_printf ("%s|%s", source, target);
}

CdSystem *
cd_system_new (const CdModel *model,
               GError       **error)
{
  g_return_val_if_fail (model != NULL, NULL);

  if (!cd_model_validate (model, error))
    return NULL;
  return cd_system_new_validated (model);
}

CdSystem *
cd_system_new_validated (const CdModel *model)
{
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(GHashTable) index = NULL;
  g_autoptr(GPtrArray) sorted_iv = NULL;
  g_autofree EventKey *event_keys = NULL;
  g_autofree double *breaks = NULL;
  guint n, n_edges, n_pairs = 0, n_cmd = 0, n_impacts = 0, n_breaks = 0;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (model->sim.t_end > 0 && isfinite (model->sim.t_end)
                        && model->sim.dt > 0 && model->sim.dt <= model->sim.t_end, NULL);

  sys = g_new0 (CdSystem, 1);
  sys->version = model->version;
  n = sys->n_nodes = model->nodes->len;
  n_edges = model->edges->len;
  sys->rule = model->params.rule;
  sys->sim = model->sim;
  index = cd_model_node_index (model);

  sys->capacity = g_new (double, MAX (n, 1));
  sys->vulnerability = g_new (double, MAX (n, 1));
  sys->fragmentation = g_new (double, MAX (n, 1));
  sys->x0 = g_new (double, MAX (n, 1));
  sys->fixed = g_new0 (guint8, MAX (n, 1));
  sys->inv_degree = g_new0 (double, MAX (n, 1));
  sys->info_mean = g_new0 (double, MAX (n, 1));
  sys->inv_weight_sum = g_new0 (double, MAX (n, 1));
  sys->has_superior = g_new0 (guint8, MAX (n, 1));
  sys->node_ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      const CdNode *node = g_ptr_array_index (model->nodes, i);
      sys->capacity[i] = node->capacity;
      sys->vulnerability[i] = node->vulnerability;
      sys->fragmentation[i] = node->fragmentation;
      sys->x0[i] = node->x0;
      sys->fixed[i] = node->fixed ? 1 : 0;
      sys->node_ids[i] = g_strdup (node->id);
    }

  /* Edges: split by kind, keep file order within each. */
  for (guint e = 0; e < n_edges; e++)
    {
      if (((CdEdge *) g_ptr_array_index (model->edges, e))->kind == CD_EDGE_PARTNERSHIP)
        n_pairs++;
      else
        n_cmd++;
    }
  sys->n_partnerships = n_pairs;
  sys->n_state = n + n_pairs + 1;
  sys->n_edges = n_edges;
  sys->n_commands = n_cmd;
  sys->edge_index = g_new (guint, MAX (n_edges, 1));
  sys->edge_is_partnership = g_new0 (guint8, MAX (n_edges, 1));
  sys->pair_a = g_new (guint, MAX (n_pairs, 1));
  sys->pair_b = g_new (guint, MAX (n_pairs, 1));
  sys->pair_interest = g_new (double, MAX (n_pairs, 1));
  sys->pair_info = g_new (double, MAX (n_pairs, 1));
  sys->pair_trust0 = g_new (double, MAX (n_pairs, 1));
  sys->partnership_labels = g_new0 (char *, n_pairs + 1);
  {
    g_autofree guint *p_row = g_new (guint, 2 * n_pairs + 1);
    g_autofree guint *p_col = g_new (guint, 2 * n_pairs + 1);
    g_autofree double *p_edge = g_new (double, 2 * n_pairs + 1);
    g_autofree guint *c_src = g_new (guint, n_cmd + 1);
    g_autofree guint *c_dst = g_new (guint, n_cmd + 1);
    g_autofree double *c_w = g_new (double, n_cmd + 1);
    g_autofree double *c_role = g_new (double, n_cmd + 1);
    double *pe_val = NULL;
    guint kp = 0, kc = 0;

    for (guint e = 0; e < n_edges; e++)
      {
        const CdEdge *edge = g_ptr_array_index (model->edges, e);
        guint s = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->source)) - 1;
        guint t = GPOINTER_TO_UINT (g_hash_table_lookup (index, edge->target)) - 1;
        if (edge->kind == CD_EDGE_PARTNERSHIP)
          {
            sys->pair_a[kp] = s;
            sys->pair_b[kp] = t;
            sys->pair_interest[kp] = edge->interest;
            sys->pair_info[kp] = edge->info;
            sys->pair_trust0[kp] = edge->trust;
            sys->partnership_labels[kp] = csv_label (edge->source, edge->target);
            p_row[2 * kp] = s, p_col[2 * kp] = t, p_edge[2 * kp] = kp;
            p_row[2 * kp + 1] = t, p_col[2 * kp + 1] = s, p_edge[2 * kp + 1] = kp;
            sys->edge_index[e] = kp;
            sys->edge_is_partnership[e] = 1;
            kp++;
          }
        else
          {
            c_src[kc] = s, c_dst[kc] = t, c_w[kc] = edge->weight;
            c_role[kc] = model->version >= 2 && edge->role == CD_ROLE_EMERGENCY;
            sys->edge_index[e] = kc;
            kc++;
          }
      }
    build_csr (n, 2 * n_pairs, p_row, p_col, p_edge, &sys->partner_start, &sys->partner_node,
               &pe_val);
    sys->partner_edge = g_new (guint, MAX (2 * n_pairs, 1));
    for (guint k = 0; k < 2 * n_pairs; k++)
      sys->partner_edge[k] = (guint) pe_val[k];
    g_free (pe_val);
    build_csr (n, n_cmd, c_dst, c_src, c_w, &sys->superior_start, &sys->superior_node,
               &sys->superior_weight);
    sys->command_source = g_memdup2 (c_src, (n_cmd + 1) * sizeof (guint));
    sys->command_target = g_memdup2 (c_dst, (n_cmd + 1) * sizeof (guint));
    sys->command_weight = g_memdup2 (c_w, (n_cmd + 1) * sizeof (double));
    if (model->version >= 2)
      {
        g_autofree guint *start = NULL, *column = NULL;
        g_autofree double *role = NULL;

        /* The roles in the superiors' order: the same CSR build. */
        build_csr (n, n_cmd, c_dst, c_src, c_role, &start, &column, &role);
        sys->superior_emergency = g_new (guint8, MAX (n_cmd, 1));
        sys->command_emergency = g_new (guint8, MAX (n_cmd, 1));
        for (guint k = 0; k < n_cmd; k++)
          {
            sys->superior_emergency[k] = role[k] != 0.0;
            sys->command_emergency[k] = c_role[k] != 0.0;
          }
      }
    build_csr (n, n_cmd, c_src, c_dst, c_w, &sys->subordinate_start, &sys->subordinate_node,
               &sys->subordinate_weight);
  }

  sys->half_edges = g_new (CdHalfEdge, MAX (2 * n_pairs, 1));
  for (guint q = 0; q < 2 * n_pairs; q++)
    {
      CdHalfEdge *he = &sys->half_edges[q];
      he->interest = sys->pair_interest[sys->partner_edge[q]];
      he->node = sys->partner_node[q];
      he->edge = sys->partner_edge[q];
    }
  sys->burden = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    sys->burden[i] = sys->capacity[i] * (1.0 - sys->vulnerability[i]);
  sys->fixed_nodes = g_new (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    if (sys->fixed[i])
      sys->fixed_nodes[sys->n_fixed++] = i;

  /* Per-node constants of the forces. */
  for (guint i = 0; i < n; i++)
    {
      guint k = sys->partner_start[i + 1] - sys->partner_start[i];
      double info_sum = 0.0, weight_sum = 0.0;

      for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++)
        info_sum += sys->pair_info[sys->partner_edge[q]];
      sys->inv_degree[i] = k > 0 ? 1.0 / k : 0.0;
      sys->info_mean[i] = k > 0 ? info_sum / k : 0.0;
      for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
        weight_sum += sys->superior_weight[q];
      sys->has_superior[i] = sys->superior_start[i + 1] > sys->superior_start[i];
      sys->inv_weight_sum[i] = sys->has_superior[i] ? 1.0 / weight_sum : 0.0;
    }

  if (model->version >= 2)
    {
      sys->fragmentation_ideas = g_new (double, MAX (n, 1));
      sys->fragmentation_powers = g_new (double, MAX (n, 1));
      sys->appraisal = g_new (double, MAX (n, 1));
      sys->supervised = g_new (double, MAX (n, 1));
      sys->inv_weight_admin = g_new (double, MAX (n, 1));
      sys->inv_weight_emergency = g_new (double, MAX (n, 1));
      for (guint i = 0; i < n; i++)
        {
          const CdNode *node = g_ptr_array_index (model->nodes, i);
          double sum_a = 0.0, sum_e = 0.0;

          for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
            {
              if (sys->superior_emergency[q])
                sum_e += sys->superior_weight[q];
              else
                sum_a += sys->superior_weight[q];
            }
          sys->fragmentation_ideas[i] = node->fragmentation_ideas;
          sys->fragmentation_powers[i] = node->fragmentation_powers;
          /* a_i: its own, or 1 with a superior and 0 without (model 1's rule). */
          sys->appraisal[i] = node->has_appraisal ? node->appraisal
                                                  : sys->has_superior[i] ? 1.0 : 0.0;
          sys->supervised[i] = MIN (1.0, sum_a + sum_e);
          sys->inv_weight_admin[i] = sum_a > 0.0 ? 1.0 / sum_a : 0.0;
          sys->inv_weight_emergency[i] = sum_e > 0.0 ? 1.0 / sum_e : 0.0;
        }
    }

  /* Events, sorted by onset so that the active ones are always a prefix. */
  sys->n_events = model->events->len;
  event_keys = g_new (EventKey, MAX (sys->n_events, 1));
  for (guint k = 0; k < sys->n_events; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, k);
      event_keys[k].onset = ev->onset;
      event_keys[k].file_index = k;
      n_impacts += ev->impacts->len;
    }
  qsort (event_keys, sys->n_events, sizeof *event_keys, event_key_compare);
  sys->event_onset = g_new (double, MAX (sys->n_events, 1));
  sys->event_magnitude = g_new (double, MAX (sys->n_events, 1));
  sys->event_inv_decay = g_new (double, MAX (sys->n_events, 1));
  sys->impact_start = g_new0 (guint, sys->n_events + 1);
  sys->impact_node = g_new (guint, MAX (n_impacts, 1));
  sys->impact_a = g_new (double, MAX (n_impacts, 1));
  for (guint k = 0, fill = 0; k < sys->n_events; k++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, event_keys[k].file_index);
      sys->event_onset[k] = ev->onset;
      sys->event_magnitude[k] = ev->magnitude;
      sys->event_inv_decay[k] = 1.0 / ev->decay;
      for (guint q = 0; q < ev->impacts->len; q++)
        {
          const CdImpact *im = &g_array_index (ev->impacts, CdImpact, q);
          sys->impact_node[fill] = GPOINTER_TO_UINT (g_hash_table_lookup (index, im->node)) - 1;
          sys->impact_a[fill] = im->a;
          fill++;
        }
      sys->impact_start[k + 1] = fill;
    }
  {
    /* The severities to clear before each evaluation sums them: only these
     * are ever written, so the rest stay 0 from cd_workspace_new. */
    g_autofree guint8 *seen = g_new0 (guint8, MAX (n, 1));

    g_autofree guint *slot = g_new (guint, MAX (n, 1));
    g_autofree guint *fill = NULL;

    sys->impacted = g_new (guint, MAX (n_impacts, 1));
    for (guint q = 0; q < n_impacts; q++)
      if (!seen[sys->impact_node[q]])
        {
          seen[sys->impact_node[q]] = 1;
          slot[sys->impact_node[q]] = sys->n_impacted;
          sys->impacted[sys->n_impacted++] = sys->impact_node[q];
        }
    /* by node, events ascending within each */
    sys->node_impact_start = g_new0 (guint, sys->n_impacted + 1);
    sys->node_impact_event = g_new (guint, MAX (n_impacts, 1));
    sys->node_impact_a = g_new (double, MAX (n_impacts, 1));
    for (guint q = 0; q < n_impacts; q++)
      sys->node_impact_start[slot[sys->impact_node[q]] + 1]++;
    for (guint j = 0; j < sys->n_impacted; j++)
      sys->node_impact_start[j + 1] += sys->node_impact_start[j];
    fill = g_new0 (guint, MAX (sys->n_impacted, 1));
    for (guint k = 0; k < sys->n_events; k++)
      for (guint q = sys->impact_start[k]; q < sys->impact_start[k + 1]; q++)
        {
          guint j = slot[sys->impact_node[q]];
          guint at = sys->node_impact_start[j] + fill[j]++;

          sys->node_impact_event[at] = k;
          sys->node_impact_a[at] = sys->impact_a[q];
        }
  }

  /* Pieces: 0 and every distinct onset or intervention time after it. */
  breaks = g_new (double, 1 + sys->n_events + model->interventions->len);
  breaks[n_breaks++] = 0.0;
  for (guint k = 0; k < sys->n_events; k++)
    breaks[n_breaks++] = sys->event_onset[k];
  for (guint k = 0; k < model->interventions->len; k++)
    breaks[n_breaks++] = ((CdIntervention *) g_ptr_array_index (model->interventions, k))->at;
  qsort (breaks, n_breaks, sizeof *breaks, double_compare);
  sorted_iv = cd_model_sorted_interventions (model);
  sys->pieces = g_new0 (CdPiece, n_breaks);
  {
    double params[CD_N_PARAMS];
    guint next_iv = 0, active = 0;

    memcpy (params, model->params.values, sizeof params);
    for (guint b = 0; b < n_breaks; b++)
      {
        CdPiece *piece;
        if (b > 0 && breaks[b] == breaks[b - 1])
          continue;
        piece = &sys->pieces[sys->n_pieces++];
        piece->t_start = breaks[b];
        while (next_iv < sorted_iv->len
               && ((CdIntervention *) g_ptr_array_index (sorted_iv, next_iv))->at <= breaks[b])
          {
            const CdIntervention *iv = g_ptr_array_index (sorted_iv, next_iv++);
            for (guint s = 0; s < iv->settings->len; s++)
              {
                const CdSetting *set = &g_array_index (iv->settings, CdSetting, s);
                params[set->param] = set->value;
              }
          }
        while (active < sys->n_events && sys->event_onset[active] <= breaks[b])
          active++;
        memcpy (piece->params, params, sizeof params);
        piece->n_active_events = active;
      }
  }

  {
    const char *how = g_getenv ("COORDYN_GRAPH_ORDER");

    cd_system_order (sys, g_strcmp0 (how, "always") == 0  ? CD_ORDER_GRAPH
                          : g_strcmp0 (how, "never") == 0 ? CD_ORDER_FILE
                                                          : CD_ORDER_AUTO);
  }
  return g_steal_pointer (&sys);
}

void
cd_system_free (CdSystem *sys)
{
  if (sys == NULL)
    return;
  g_free (sys->capacity);
  g_free (sys->vulnerability);
  g_free (sys->fragmentation);
  g_free (sys->x0);
  g_free (sys->fixed);
  g_free (sys->inv_degree);
  g_free (sys->info_mean);
  g_free (sys->inv_weight_sum);
  g_free (sys->has_superior);
  g_free (sys->partner_start);
  g_free (sys->partner_node);
  g_free (sys->partner_edge);
  g_free (sys->pair_a);
  g_free (sys->pair_b);
  g_free (sys->pair_interest);
  g_free (sys->pair_info);
  g_free (sys->pair_trust0);
  g_free (sys->edge_index);
  g_free (sys->edge_is_partnership);
  g_free (sys->command_source);
  g_free (sys->command_target);
  g_free (sys->command_weight);
  g_free (sys->superior_start);
  g_free (sys->superior_node);
  g_free (sys->superior_weight);
  g_free (sys->subordinate_start);
  g_free (sys->subordinate_node);
  g_free (sys->subordinate_weight);
  g_free (sys->event_onset);
  g_free (sys->event_magnitude);
  g_free (sys->event_inv_decay);
  g_free (sys->impact_start);
  g_free (sys->impact_node);
  g_free (sys->impact_a);
  g_free (sys->pieces);
  g_strfreev (sys->node_ids);
  g_strfreev (sys->partnership_labels);
  g_free (sys->burden);
  g_free (sys->half_edges);
  g_free (sys->impacted);
  g_free (sys->node_impact_start);
  g_free (sys->node_impact_event);
  g_free (sys->node_impact_a);
  g_free (sys->fixed_nodes);
  g_free (sys->fragmentation_ideas);
  g_free (sys->fragmentation_powers);
  g_free (sys->appraisal);
  g_free (sys->supervised);
  g_free (sys->inv_weight_admin);
  g_free (sys->inv_weight_emergency);
  g_free (sys->superior_emergency);
  g_free (sys->command_emergency);
  cd_system_order_free (sys);
  g_free (sys);
}
