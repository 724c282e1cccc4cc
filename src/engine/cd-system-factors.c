/* cd-system-factors.c — each force split into its elements (docs/model.md, "Force factors").
 *
 * The right-hand side (cd-system.c) is written for speed and reports only
 * the four forces; this file computes them again, element by element, for
 * the force-field diagram, `coordyn-cli run --factors` and the tests.  It
 * follows docs/model.md's equations term by term rather than the
 * right-hand side's regrouped sums, so each group of factors sums to its
 * force to rounding, and a test holds the two to each other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cd-system-private.h"

#ifndef N_
# define N_(s) (s)
#endif

static const struct
{
  const char   *name;
  const char   *label;
  CdFactorForce force;
} factor_info[CD_N_FACTORS] = {
  [CD_FACTOR_G_INTEREST]  = { "G_interest", N_("Shared interest"), CD_FACTOR_OF_GRAVITY },
  [CD_FACTOR_G_TRUST]     = { "G_trust", N_("Mutual trust"), CD_FACTOR_OF_GRAVITY },
  [CD_FACTOR_P_ADMIN]     = { "P_admin", N_("Administrative hierarchy"), CD_FACTOR_OF_PRESSURE },
  [CD_FACTOR_P_COMMAND]   = { "P_command", N_("Emergency command"), CD_FACTOR_OF_PRESSURE },
  [CD_FACTOR_P_CRISIS]    = { "P_crisis", N_("The crisis itself"), CD_FACTOR_OF_PRESSURE },
  [CD_FACTOR_T_INFO]      = { "T_info", N_("Information sharing"), CD_FACTOR_OF_THRUST },
  [CD_FACTOR_T_APPRAISAL] = { "T_appraisal", N_("Performance appraisal"), CD_FACTOR_OF_THRUST },
  [CD_FACTOR_R_IDEAS]     = { "R_ideas", N_("Fragmented ideas"), CD_FACTOR_OF_RESISTANCE },
  [CD_FACTOR_R_POWERS]    = { "R_powers", N_("Fragmented powers"), CD_FACTOR_OF_RESISTANCE },
  [CD_FACTOR_R_BENEFITS]  = { "R_benefits", N_("Uncompensated benefits"),
                              CD_FACTOR_OF_RESISTANCE },
};

const char *
cd_factor_name (CdFactor factor)
{
  g_return_val_if_fail (factor < CD_N_FACTORS, NULL);
  return factor_info[factor].name;
}

const char *
cd_factor_label (CdFactor factor)
{
  g_return_val_if_fail (factor < CD_N_FACTORS, NULL);
  return factor_info[factor].label;
}

CdFactorForce
cd_factor_force (CdFactor factor)
{
  g_return_val_if_fail (factor < CD_N_FACTORS, CD_FACTOR_OF_GRAVITY);
  return factor_info[factor].force;
}

/* The ten factors of node i into f[], from S (every node's severity). */
static void
node_factors (const CdSystem *sys,
              const double   *p,
              const double   *S,
              const double   *x,
              const double   *trust,
              guint           i,
              double         *f)
{
  double with_interest = 0.0, with_trust = 0.0, trust_sum = 0.0, shared = 0.0, worst = 0.0;
  double pulled = 0.0, pulled_emergency = 0.0;
  double crisis, damping;

  for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++)
    {
      guint j = sys->partner_node[q], e = sys->partner_edge[q];
      with_interest += sys->pair_interest[e] * x[j];
      with_trust += trust[e] * x[j];
      trust_sum += trust[e];
      shared += sys->pair_info[e] * S[j];
    }
  for (guint q = sys->subordinate_start[i]; q < sys->subordinate_start[i + 1]; q++)
    worst = MAX (worst, sys->subordinate_weight[q] * S[sys->subordinate_node[q]]);
  for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
    {
      if (sys->version >= 2 && sys->superior_emergency[q])
        pulled_emergency += sys->superior_weight[q] * x[sys->superior_node[q]];
      else
        pulled += sys->superior_weight[q] * x[sys->superior_node[q]];
    }
  /* C_i = S_i + (1/k_i) Σ_j ι_ij S_j + max_d h_id S_d */
  crisis = S[i] + sys->inv_degree[i] * shared + worst;

  if (sys->version >= 2)
    {
      /* docs/model.md, "Model 2": each element on its own channel. */
      double mean_trust = trust_sum * sys->inv_degree[i];

      f[CD_FACTOR_G_INTEREST] = p[CD_PARAM_GRAVITY_INTEREST] * with_interest * sys->inv_degree[i];
      f[CD_FACTOR_G_TRUST] = p[CD_PARAM_GRAVITY_TRUST] * with_trust * sys->inv_degree[i];
      f[CD_FACTOR_P_ADMIN] = p[CD_PARAM_PRESSURE_ADMIN] * pulled * sys->inv_weight_admin[i];
      f[CD_FACTOR_P_COMMAND] = p[CD_PARAM_PRESSURE_COMMAND] * (crisis / (1.0 + crisis))
                               * pulled_emergency * sys->inv_weight_emergency[i];
      f[CD_FACTOR_P_CRISIS] = p[CD_PARAM_PRESSURE_CRISIS] * sys->vulnerability[i] * crisis;
      f[CD_FACTOR_T_INFO] = p[CD_PARAM_THRUST_INFO] * sys->info_mean[i];
      f[CD_FACTOR_T_APPRAISAL] = p[CD_PARAM_THRUST_APPRAISAL] * sys->appraisal[i];
      damping = 1.0 - p[CD_PARAM_RESISTANCE_SUPERVISION] * sys->supervised[i];
      f[CD_FACTOR_R_IDEAS] = damping * p[CD_PARAM_RESISTANCE_IDEAS]
                             * sys->fragmentation_ideas[i] * (1.0 - mean_trust);
      f[CD_FACTOR_R_POWERS] = damping * p[CD_PARAM_RESISTANCE_POWERS]
                              * sys->fragmentation_powers[i]
                              * (1.0 - p[CD_PARAM_RESISTANCE_LAW]);
      f[CD_FACTOR_R_BENEFITS] = damping * p[CD_PARAM_RESISTANCE_BURDEN]
                                * (1.0 - p[CD_PARAM_RESISTANCE_COMPENSATION]) * sys->burden[i];
      return;
    }

  f[CD_FACTOR_G_INTEREST] = p[CD_PARAM_GRAVITY_INTEREST] * with_interest * sys->inv_degree[i];
  f[CD_FACTOR_G_TRUST] = p[CD_PARAM_GRAVITY_TRUST] * with_trust * sys->inv_degree[i];
  f[CD_FACTOR_P_ADMIN] = p[CD_PARAM_PRESSURE_ADMIN] * pulled * sys->inv_weight_sum[i];
  f[CD_FACTOR_P_COMMAND] = 0.0;
  f[CD_FACTOR_P_CRISIS] = p[CD_PARAM_PRESSURE_CRISIS] * sys->vulnerability[i] * crisis;
  f[CD_FACTOR_T_INFO] = p[CD_PARAM_THRUST_INFO] * sys->info_mean[i];
  f[CD_FACTOR_T_APPRAISAL] = sys->has_superior[i] ? p[CD_PARAM_THRUST_APPRAISAL] : 0.0;
  /* Model 1: (1 − μ_s)(1 − μ_l) [r_f f_i + r_b (1 − κ) c_i (1 − v_i)], its
   * fragmentation term shared equally by ideas and powers. */
  damping = (1.0 - p[CD_PARAM_RESISTANCE_SUPERVISION]) * (1.0 - p[CD_PARAM_RESISTANCE_LAW]);
  f[CD_FACTOR_R_IDEAS] = 0.5 * (damping * p[CD_PARAM_RESISTANCE_FRAGMENTATION])
                         * sys->fragmentation[i];
  f[CD_FACTOR_R_POWERS] = f[CD_FACTOR_R_IDEAS];
  f[CD_FACTOR_R_BENEFITS] = damping * p[CD_PARAM_RESISTANCE_BURDEN]
                            * (1.0 - p[CD_PARAM_RESISTANCE_COMPENSATION]) * sys->burden[i];
}

void
cd_system_evaluate_factors (const CdSystem *sys,
                            double          t,
                            const double   *x,
                            const double   *trust,
                            double         *factors,
                            CdWorkspace    *ws)
{
  const CdPiece *piece = &sys->pieces[cd_system_piece_at (sys, t)];
  const guint n = sys->n_nodes;
  double f[CD_N_FACTORS];

  g_return_if_fail (sys != NULL && x != NULL && trust != NULL && factors != NULL && ws != NULL);

  cd_system_severity (sys, piece, t, ws->severity);
  for (guint i = 0; i < n; i++)
    {
      node_factors (sys, piece->params, ws->severity, x, trust, i, f);
      for (guint k = 0; k < CD_N_FACTORS; k++)
        factors[(gsize) k * n + i] = f[k];
    }
  /* evaluate() clears only the impacted nodes' severities before summing
   * them: leave the rest 0, as it expects. */
  memset (ws->severity, 0, MAX (n, 1) * sizeof (double));
}

/* Σ h x_s over the emergency superiors of node i. */
static double
command_pull (const CdSystem *sys,
              const double   *x,
              guint           i)
{
  double sum = 0.0;

  for (guint q = sys->superior_start[i]; q < sys->superior_start[i + 1]; q++)
    if (sys->superior_emergency[q])
      sum += sys->superior_weight[q] * x[sys->superior_node[q]];
  return sum;
}

/* A_i = C_i / (1 + C_i) for one node, from every node's severity. */
static double
activation (const CdSystem *sys,
            const double   *S,
            guint           i)
{
  double shared = 0.0, worst = 0.0, crisis;

  for (guint q = sys->partner_start[i]; q < sys->partner_start[i + 1]; q++)
    shared += sys->pair_info[sys->partner_edge[q]] * S[sys->partner_node[q]];
  for (guint q = sys->subordinate_start[i]; q < sys->subordinate_start[i + 1]; q++)
    worst = MAX (worst, sys->subordinate_weight[q] * S[sys->subordinate_node[q]]);
  crisis = S[i] + sys->inv_degree[i] * shared + worst;
  return crisis / (1.0 + crisis);
}

gboolean
cd_system_force_breakdown (const CdSystem   *sys,
                           double            t,
                           const double     *y,
                           guint             node,
                           CdForceBreakdown *out)
{
  const CdPiece *piece;
  const double *p, *x, *trust;
  g_autofree double *S = NULL;
  double sum, best;

  g_return_val_if_fail (sys != NULL && y != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  out->t = t;
  out->top_partner = out->top_superior = -1;
  if (node >= sys->n_nodes)
    return FALSE;

  piece = &sys->pieces[cd_system_piece_at (sys, t)];
  p = piece->params;
  x = y;
  trust = y + sys->n_nodes;
  S = g_new (double, MAX (sys->n_nodes, 1));
  cd_system_severity (sys, piece, t, S);
  node_factors (sys, p, S, x, trust, node, out->factor);

  out->x = x[node];
  out->gravity = out->factor[CD_FACTOR_G_INTEREST] + out->factor[CD_FACTOR_G_TRUST];
  out->pressure = out->factor[CD_FACTOR_P_ADMIN] + out->factor[CD_FACTOR_P_COMMAND]
                  + out->factor[CD_FACTOR_P_CRISIS];
  out->thrust = out->factor[CD_FACTOR_T_INFO] + out->factor[CD_FACTOR_T_APPRAISAL];
  out->resistance = out->factor[CD_FACTOR_R_IDEAS] + out->factor[CD_FACTOR_R_POWERS]
                    + out->factor[CD_FACTOR_R_BENEFITS];
  out->net = out->gravity + out->pressure + out->thrust - out->resistance;

  /* Partner contributions to G_i: (g_b b_ij + g_τ τ_ij) x_j / k_i. */
  sum = 0.0;
  best = -1.0;
  for (guint q = sys->partner_start[node]; q < sys->partner_start[node + 1]; q++)
    {
      guint j = sys->partner_node[q], e = sys->partner_edge[q];
      double c = (p[CD_PARAM_GRAVITY_INTEREST] * sys->pair_interest[e]
                  + p[CD_PARAM_GRAVITY_TRUST] * trust[e]) * x[j];
      sum += c;
      if (c > best)
        {
          best = c;
          out->top_partner = (int) j;
        }
    }
  out->top_partner_share = sum > 0 ? best / sum : 0;

  /* Superior contributions to H_i: h_si x_s / Σ h; in version 2 to the
   * pressure of both roles, p_a h x_s / Σh^a and p_k A_i h x_s / Σh^e. */
  sum = 0.0;
  best = -1.0;
  for (guint q = sys->superior_start[node]; q < sys->superior_start[node + 1]; q++)
    {
      guint s = sys->superior_node[q];
      double c = sys->superior_weight[q] * x[s];

      if (sys->version >= 2)
        c *= sys->superior_emergency[q]
               ? out->factor[CD_FACTOR_P_COMMAND] / MAX (command_pull (sys, x, node), 1e-300)
               : p[CD_PARAM_PRESSURE_ADMIN] * sys->inv_weight_admin[node];
      sum += c;
      if (c > best)
        {
          best = c;
          out->top_superior = (int) s;
        }
    }
  out->top_superior_share = sum > 0 ? best / sum : 0;
  return TRUE;
}

void
cd_system_edge_pulls (const CdSystem *sys,
                      double          t,
                      const double   *x,
                      const double   *trust,
                      double         *to_target,
                      double         *to_source)
{
  const double *p;
  g_autofree double *S = NULL;   /* severities, for emergency lines only */

  g_return_if_fail (sys != NULL && x != NULL && to_target != NULL && to_source != NULL);

  p = sys->pieces[cd_system_piece_at (sys, t)].params;
  for (guint e = 0; e < sys->n_edges; e++)
    {
      guint k = sys->edge_index[e];

      if (sys->edge_is_partnership[e])
        {
          guint a = sys->pair_a[k], b = sys->pair_b[k];
          double tau = trust != NULL ? trust[k] : sys->pair_trust0[k];
          double weight = p[CD_PARAM_GRAVITY_INTEREST] * sys->pair_interest[k]
                          + p[CD_PARAM_GRAVITY_TRUST] * tau;

          to_target[e] = weight * x[a] * sys->inv_degree[b];
          to_source[e] = weight * x[b] * sys->inv_degree[a];
        }
      else
        {
          guint s = sys->command_source[k], i = sys->command_target[k];

          if (sys->version < 2)
            to_target[e] = p[CD_PARAM_PRESSURE_ADMIN] * sys->command_weight[k] * x[s]
                           * sys->inv_weight_sum[i];
          else if (!sys->command_emergency[k])
            to_target[e] = p[CD_PARAM_PRESSURE_ADMIN] * sys->command_weight[k] * x[s]
                           * sys->inv_weight_admin[i];
          else
            {
              if (S == NULL)
                {
                  S = g_new (double, MAX (sys->n_nodes, 1));
                  cd_system_severity (sys, &sys->pieces[cd_system_piece_at (sys, t)], t, S);
                }
              to_target[e] = p[CD_PARAM_PRESSURE_COMMAND] * activation (sys, S, i)
                             * sys->command_weight[k] * x[s] * sys->inv_weight_emergency[i];
            }
          to_source[e] = 0.0;
        }
    }
}
