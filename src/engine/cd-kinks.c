/* cd-kinks.c — where the right-hand side has a kink, so that the integrator
 * can land on it (docs/model.md, "Numerics").
 *
 * The crisis a government feels includes the worst crisis reported up by a
 * subordinate, max_{d∈D_i} h_id S_d(t) (in both model versions; version 2
 * also feeds it to the emergency command's activation A_i).  Where the worst-hit subordinate
 * changes, that maximum has a corner: the right-hand side stays continuous
 * but its time derivative jumps.  A Runge–Kutta step across such a corner is
 * only second-order accurate there, and its error estimate says so only
 * loosely: on tests/reference's random models a step over one left errors of
 * up to 4e-6 with an RMS error norm, and with GSL's maximum norm it cost
 * several rejected and shortened steps.  Landing a step exactly on the
 * corner costs one shortened step and leaves no error.  A corner in a
 * government that it cannot move (one settled near x = 1, or with little
 * crisis pressure) is stepped over instead: cd_system_corner_jump() bounds
 * what it does to d²x_i/dt², and cd-simulate.c ("corners") weighs that
 * against the step's tolerance.
 *
 * The corners depend on time alone: within a piece the active events are
 * fixed and every S_d(t) is a sum of decaying exponentials with known
 * coefficients, so the switching times are the roots of exponential sums,
 * found here before the run.  A sum of K exponentials with distinct rates
 * has at most K − 1 real roots, and multiplying it by e^{r_1 s} and
 * differentiating leaves K − 1 terms whose roots separate them (the usual
 * proof of that bound): the roots are isolated by recursion and bisected.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd-kinks.h"
#include "cd-system-private.h"

/* Beyond this many distinct decay rates among the active events the roots
 * are looked for on a grid instead (a double crossing within one grid cell
 * may then be missed: a corner the error control still sees). */
#define MAX_EXACT_RATES 8
#define GRID_POINTS     256

typedef struct
{
  guint   n;
  double *rate;   /* ascending, distinct */
  double *coef;   /* g(s) = Σ coef_k e^{−rate_k s} */
} ExpSum;

static double
exp_sum_at (const double *rate,
            const double *coef,
            guint         n,
            double        s)
{
  double v = 0.0;

  for (guint k = 0; k < n; k++)
    v += coef[k] * exp (-rate[k] * s);
  return v;
}

/* A root of g in (lo, hi), where g changes sign, to the last bits. */
static double
bisect (const double *rate,
        const double *coef,
        guint         n,
        double        lo,
        double        hi,
        double        g_lo)
{
  for (guint it = 0; it < 200; it++)
    {
      double mid = 0.5 * (lo + hi), g;

      if (mid <= lo || mid >= hi)
        break;
      g = exp_sum_at (rate, coef, n, mid);
      if ((g > 0) == (g_lo > 0))
        {
          lo = mid;
          g_lo = g;
        }
      else
        hi = mid;
    }
  return hi;
}

/* Appends to `out` the points in (lo, hi) where g (n terms, rates ascending
 * and distinct) changes sign, in ascending order. */
static void
sign_changes (const double *rate,
              const double *coef,
              guint         n,
              double        lo,
              double        hi,
              GArray       *out)
{
  double d_rate[MAX_EXACT_RATES], d_coef[MAX_EXACT_RATES];
  g_autoptr(GArray) crit = NULL;
  double left, g_left;

  if (n < 2)
    return;   /* one exponential (or none) has no root */
  /* g e^{rate_0 s} = coef_0 + Σ_{k≥1} coef_k e^{−(rate_k − rate_0) s}; its
   * derivative has n − 1 terms, and between two of its roots g has at most one. */
  for (guint k = 1; k < n; k++)
    {
      d_rate[k - 1] = rate[k] - rate[0];
      d_coef[k - 1] = -d_rate[k - 1] * coef[k];
    }
  crit = g_array_new (FALSE, FALSE, sizeof (double));
  sign_changes (d_rate, d_coef, n - 1, lo, hi, crit);

  left = lo;
  g_left = exp_sum_at (rate, coef, n, lo);
  for (guint c = 0; c <= crit->len; c++)
    {
      double right = c < crit->len ? g_array_index (crit, double, c) : hi;
      double g_right = exp_sum_at (rate, coef, n, right);

      if (g_left != 0.0 && g_right != 0.0 && (g_left > 0) != (g_right > 0))
        {
          double root = bisect (rate, coef, n, left, right, g_left);
          g_array_append_val (out, root);
        }
      if (g_right != 0.0)
        {
          left = right;
          g_left = g_right;
        }
    }
}

/* The first s in (lo, hi] where g, which is ≤ 0 at lo, becomes positive;
 * +inf if it does not. */
static double
first_rise (const ExpSum *g,
            double        lo,
            double        hi)
{
  if (g->n <= MAX_EXACT_RATES)
    {
      g_autoptr(GArray) roots = g_array_new (FALSE, FALSE, sizeof (double));

      sign_changes (g->rate, g->coef, g->n, lo, hi, roots);
      for (guint r = 0; r < roots->len; r++)
        {
          double s = g_array_index (roots, double, r);
          /* positive just after it (a fall back below zero is no switch) */
          if (exp_sum_at (g->rate, g->coef, g->n, MIN (hi, s + 1e-9 * (hi - lo))) > 0)
            return s;
        }
    }
  else
    {
      double prev = lo, g_prev = exp_sum_at (g->rate, g->coef, g->n, lo);

      for (guint j = 1; j <= GRID_POINTS; j++)
        {
          double s = lo + (hi - lo) * j / GRID_POINTS;
          double v = exp_sum_at (g->rate, g->coef, g->n, s);

          if (g_prev <= 0 && v > 0)
            return g_prev == 0 ? prev : bisect (g->rate, g->coef, g->n, prev, s, g_prev);
          prev = s;
          g_prev = v;
        }
    }
  return INFINITY;
}

static int
double_compare (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static int
corner_compare (const void *a,
                const void *b)
{
  const CdCorner *x = a, *y = b;

  if (x->t != y->t)
    return (x->t > y->t) - (x->t < y->t);
  return (x->node > y->node) - (x->node < y->node);
}

GArray *
cd_system_corners (const CdSystem *sys,
                   guint           piece,
                   double          t_end)
{
  GArray *corners = g_array_new (FALSE, FALSE, sizeof (CdCorner));
  const CdPiece *p;
  gboolean crisis, command;
  guint n_active, n_rates = 0;
  double a, b, span;
  g_autofree double *rates = NULL;
  g_autofree guint *rate_of = NULL;
  g_autofree double *level = NULL;      /* per event: m_k e^{−(a − t_k)/d_k} */
  g_autofree double *diff = NULL;
  g_autofree double *impact = NULL;     /* dense per node: Σ a_ik level_k, by rate */
  g_autofree guint8 *impacted = NULL;

  g_return_val_if_fail (sys != NULL && piece < sys->n_pieces, corners);

  p = &sys->pieces[piece];
  n_active = p->n_active_events;
  a = p->t_start;
  b = piece + 1 < sys->n_pieces ? MIN (sys->pieces[piece + 1].t_start, t_end) : t_end;
  span = b - a;
  crisis = p->params[CD_PARAM_PRESSURE_CRISIS] > 0;
  command = sys->version >= 2 && p->params[CD_PARAM_PRESSURE_COMMAND] > 0;
  /* C_i not in the dynamics, or at most one shape of crisis: nothing to switch. */
  if (!(span > 0) || n_active < 2 || !(crisis || command))
    return corners;

  /* The distinct decay rates of the active events. */
  rates = g_new (double, n_active);
  for (guint k = 0; k < n_active; k++)
    rates[k] = sys->event_inv_decay[k];
  qsort (rates, n_active, sizeof *rates, double_compare);
  for (guint k = 0; k < n_active; k++)
    if (n_rates == 0 || rates[k] != rates[n_rates - 1])
      rates[n_rates++] = rates[k];
  if (n_rates < 2)
    return corners;
  rate_of = g_new (guint, n_active);
  level = g_new (double, n_active);
  for (guint k = 0; k < n_active; k++)
    {
      double *hit = bsearch (&sys->event_inv_decay[k], rates, n_rates, sizeof *rates,
                             double_compare);
      double since = a - sys->event_onset[k];

      rate_of[k] = (guint) (hit - rates);
      level[k] = sys->event_magnitude[k]
                 * (since > 0.0 ? exp (-since * sys->event_inv_decay[k]) : 1.0);
    }

  /* S_d(a + s) = Σ_r impact[d][r] e^{−rate_r s} for every impacted node. */
  impact = g_new0 (double, (gsize) sys->n_nodes * n_rates);
  impacted = g_new0 (guint8, sys->n_nodes);
  for (guint k = 0; k < n_active; k++)
    for (guint q = sys->impact_start[k]; q < sys->impact_start[k + 1]; q++)
      {
        guint d = sys->impact_node[q];
        impact[(gsize) d * n_rates + rate_of[k]] += level[k] * sys->impact_a[q];
        impacted[d] = 1;
      }

  diff = g_new (double, n_rates);
  for (guint i = 0; i < sys->n_nodes; i++)
    {
      guint from = sys->subordinate_start[i], to = sys->subordinate_start[i + 1];
      guint n_hit = 0, cur = G_MAXUINT;
      double s_now = 0.0, best = -1.0, s_probe = 1e-9 * span;
      ExpSum g = { n_rates, rates, diff };

      /* C_i enters F_i through p_c v_i C_i and, in version 2, through the
       * activation of emergency superiors' command. */
      if (!((crisis && sys->vulnerability[i] > 0)
            || (command && sys->inv_weight_emergency[i] > 0)))
        continue;
      for (guint q = from; q < to; q++)
        n_hit += impacted[sys->subordinate_node[q]];
      if (n_hit < 2)
        continue;
      /* The worst-hit subordinate just after the piece starts. */
      for (guint q = from; q < to; q++)
        {
          guint d = sys->subordinate_node[q];
          double v;

          if (!impacted[d])
            continue;
          v = sys->subordinate_weight[q]
              * exp_sum_at (rates, impact + (gsize) d * n_rates, n_rates, s_probe);
          if (v > best)
            {
              best = v;
              cur = q;
            }
        }
      /* Walk the upper envelope: from the current maximum to the first
       * subordinate that overtakes it, and so on. */
      for (;;)
        {
          double first = INFINITY;
          guint next = G_MAXUINT;
          double h_cur = sys->subordinate_weight[cur];
          const double *c_cur = impact + (gsize) sys->subordinate_node[cur] * n_rates;

          for (guint q = from; q < to; q++)
            {
              guint d = sys->subordinate_node[q];
              const double *c_d = impact + (gsize) d * n_rates;
              double s;

              if (q == cur || !impacted[d])
                continue;
              for (guint r = 0; r < n_rates; r++)
                diff[r] = sys->subordinate_weight[q] * c_d[r] - h_cur * c_cur[r];
              s = first_rise (&g, s_now, span);
              if (s < first)
                {
                  first = s;
                  next = q;
                }
            }
          CdCorner corner = { a + first, i, 0.0 };
          const double *c_next;

          if (!(first < span) || first <= s_now)
            break;
          /* The two are equal here; the maximum's slope changes from the
           * old one's to the new one's. */
          c_next = impact + (gsize) sys->subordinate_node[next] * n_rates;
          for (guint r = 0; r < n_rates; r++)
            corner.slope_jump += (sys->subordinate_weight[next] * c_next[r] - h_cur * c_cur[r])
                                 * -rates[r] * exp (-rates[r] * first);
          g_array_append_val (corners, corner);
          cur = next;
          s_now = first;
        }
    }

  g_array_sort (corners, corner_compare);
  {
    /* strictly inside the piece */
    guint n = 0;
    for (guint j = 0; j < corners->len; j++)
      {
        CdCorner c = g_array_index (corners, CdCorner, j);
        if (c.t > a && c.t < b)
          g_array_index (corners, CdCorner, n++) = c;
      }
    g_array_set_size (corners, n);
  }
  return corners;
}

/* A bound on the jump of dF_i/dt at the corner. */
static double
force_jump (const CdSystem *sys,
            const double   *params,
            const CdCorner *corner)
{
  guint i = corner->node;
  double dF;

  /* F_i takes C_i as p_c v_i C_i and, in version 2 where i has emergency
   * superiors, through p_k A_i H^e_i with dA_i/dC_i = 1/(1 + C_i)² ≤ 1 and
   * H^e_i ≤ 1. */
  dF = params[CD_PARAM_PRESSURE_CRISIS] * sys->vulnerability[i];
  if (sys->version >= 2 && sys->inv_weight_emergency[i] > 0)
    dF += params[CD_PARAM_PRESSURE_COMMAND];
  return dF * fabs (corner->slope_jump);
}

double
cd_system_corner_jump_logodds (const CdSystem *sys,
                               guint           piece,
                               const CdCorner *corner)
{
  const double *params;

  g_return_val_if_fail (sys != NULL && piece < sys->n_pieces && corner != NULL, INFINITY);

  params = sys->pieces[piece].params;
  if (sys->fixed[corner->node])
    return 0.0;
  /* dz_i/dt = λ F_i: no x_i (1 − x_i) factor */
  return params[CD_PARAM_DYNAMICS_RATE] * force_jump (sys, params, corner);
}

double
cd_system_corner_jump (const CdSystem *sys,
                       guint           piece,
                       const CdCorner *corner,
                       const double   *y,
                       const double   *dydt)
{
  const double *params;
  guint i;
  double dF, rate, x, slope;

  g_return_val_if_fail (sys != NULL && piece < sys->n_pieces && corner != NULL && y != NULL,
                        INFINITY);

  params = sys->pieces[piece].params;
  i = corner->node;
  if (sys->fixed[i])
    return 0.0;
  dF = force_jump (sys, params, corner);
  rate = params[CD_PARAM_DYNAMICS_RATE];
  x = y[i];
  if (sys->rule == CD_RULE_REPLICATOR)
    /* dx_i/dt = λ x_i (1 − x_i) F_i */
    slope = rate * fabs (x * (1.0 - x));
  else
    {
      /* dx_i/dt = λ (σ(βF_i) − x_i): dσ/dF = β σ (1 − σ), with σ(βF_i)
       * = x_i + (dx_i/dt)/λ read off the derivative at hand, or at most
       * β/4 without one. */
      double beta = params[CD_PARAM_DYNAMICS_RATIONALITY], sigma_slope = 0.25;

      if (dydt != NULL && rate > 0)
        {
          double sigma = CLAMP (x + dydt[i] / rate, 0.0, 1.0);
          sigma_slope = sigma * (1.0 - sigma);
        }
      slope = rate * beta * sigma_slope;
    }
  return slope * dF;
}
