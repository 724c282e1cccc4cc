/* cd-analysis-sweep.c — natural-parameter continuation with jump detection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include "cd-analysis-sweep.h"
#include "cd-system-private.h"

void
cd_sweep_free (CdSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_clear_pointer (&sweep->points, g_array_unref);
  g_free (sweep);
}

static double
distance (const double *a,
          const double *b,
          guint         n)
{
  double d = 0.0;

  for (guint k = 0; k < n; k++)
    d = MAX (d, fabs (a[k] - b[k]));
  return d;
}

/* Newton along n substeps from (v_prev, z) to v; TRUE when every substep
 * converges to a stable state no more than CD_SWEEP_JUMP from the last:
 * the branch goes on, however steeply. */
static gboolean
follow_branch (CdEqProblem *problem,
               CdParam      param,
               double       v_prev,
               double       v,
               guint        n,
               double      *z)
{
  guint dim = cd_eq_problem_dim (problem);
  g_autofree double *last = g_new (double, MAX (dim, 1));
  gboolean ok = TRUE, stable = FALSE;

  for (guint k = 1; ok && k <= n; k++)
    {
      memcpy (last, z, dim * sizeof (double));
      cd_eq_problem_set_param (problem, param, v_prev + (v - v_prev) * ((double) k / n));
      ok = cd_eq_problem_solve (problem, z) && distance (z, last, dim) <= CD_SWEEP_JUMP
           && cd_eq_problem_is_stable (problem, z, &stable) && stable;
    }
  cd_eq_problem_set_param (problem, param, v);
  return ok;
}

/* One continuation step from z_prev (at v_prev) to the parameter's value v. */
static gboolean
continue_step (CdEqProblem   *problem,
               CdParam        param,
               double         v_prev,
               double         v,
               const double  *z_prev,
               double        *z,
               CdSweepPoint  *point,
               GCancellable  *cancellable,
               GError       **error)
{
  guint dim = cd_eq_problem_dim (problem);
  CdEquilibrium eq = { 0 };
  gboolean ok = FALSE;

  point->tipping = FALSE;
  /* Plain Newton first; if it fails or moves far, retry in small substeps
   * before concluding that the branch has ended. */
  for (guint n = 1; !ok && n <= 64; n *= 8)
    {
      memcpy (z, z_prev, dim * sizeof (double));
      ok = follow_branch (problem, param, v_prev, v, n, z);
    }
  if (!ok)
    {
      memcpy (z, z_prev, dim * sizeof (double));
      if (!cd_eq_problem_relax (problem, z, cancellable, error))
        return FALSE;
      point->tipping = distance (z, z_prev, dim) > CD_SWEEP_JUMP;
    }
  if (!cd_eq_problem_classify (problem, z, &eq))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED,
                   _("the eigenvalues of the Jacobian could not be computed"));
      g_free (eq.eigen_re);
      g_free (eq.eigen_im);
      return FALSE;
    }
  point->mean_coordination = eq.mean_coordination;
  point->stable = eq.stable;
  g_free (eq.eigen_re);
  g_free (eq.eigen_im);
  return TRUE;
}

/* The end of a branch of "all" equilibria so far. */
typedef struct
{
  guint    branch;
  guint    step;      /* the value index of its last equilibrium */
  gboolean stable;
  double  *y;         /* that equilibrium's state */
} BranchEnd;

static void
branch_end_clear (gpointer data)
{
  g_free (((BranchEnd *) data)->y);
}

typedef struct
{
  guint  now, end;
  double distance;
} Link;

static int
compare_links (gconstpointer a,
               gconstpointer b)
{
  double da = ((const Link *) a)->distance, db = ((const Link *) b)->distance;
  return (da > db) - (da < db);
}

/* The branch of each equilibrium found at value index step: the branch of
 * the nearest end (by state, max-norm) of the same stability within
 * CD_SWEEP_LINK per step, closest pairs first so that no branch continues
 * twice; else a new branch.  An end may be one value old: the multi-start
 * search does not find every equilibrium at every value, and a branch
 * should not break for that.  The search's own order (by mean
 * coordination) is no guide: in a network with many equilibria,
 * neighbours in x̄ are often far apart in state. */
static GArray *
link_branches (GArray    *ends,
               GPtrArray *found,
               guint      step,
               guint      n_state,
               guint     *n_branches)
{
  g_autoptr(GArray) links = g_array_new (FALSE, FALSE, sizeof (Link));
  g_autofree gboolean *continued = g_new0 (gboolean, ends->len + 1);
  GArray *branch = g_array_sized_new (FALSE, FALSE, sizeof (guint), found->len);

  g_array_set_size (branch, found->len);
  for (guint i = 0; i < found->len; i++)
    {
      const CdEquilibrium *now = g_ptr_array_index (found, i);

      g_array_index (branch, guint, i) = G_MAXUINT;
      for (guint e = 0; e < ends->len; e++)
        {
          const BranchEnd *end = &g_array_index (ends, BranchEnd, e);
          Link link = { i, e, distance (now->y, end->y, n_state) };

          if (!now->stable == !end->stable
              && link.distance <= CD_SWEEP_LINK * (step - end->step))
            g_array_append_val (links, link);
        }
    }
  g_array_sort (links, compare_links);
  for (guint l = 0; l < links->len; l++)
    {
      const Link *link = &g_array_index (links, Link, l);

      if (g_array_index (branch, guint, link->now) != G_MAXUINT || continued[link->end])
        continue;
      g_array_index (branch, guint, link->now) = g_array_index (ends, BranchEnd,
                                                                link->end).branch;
      continued[link->end] = TRUE;
    }

  /* The ends continued now move on; those a value too old close. */
  for (guint e = ends->len; e-- > 0;)
    if (continued[e] || g_array_index (ends, BranchEnd, e).step + 2 <= step)
      g_array_remove_index_fast (ends, e);
  for (guint i = 0; i < found->len; i++)
    {
      const CdEquilibrium *eq = g_ptr_array_index (found, i);
      BranchEnd end = { g_array_index (branch, guint, i), step, eq->stable,
                        g_memdup2 (eq->y, n_state * sizeof (double)) };

      if (end.branch == G_MAXUINT)
        end.branch = g_array_index (branch, guint, i) = (*n_branches)++;
      g_array_append_val (ends, end);
    }
  return branch;
}

CdSweep *
cd_sweep_run (const CdModel  *model,
              CdParam         param,
              double          from,
              double          to,
              guint           steps,
              double          at,
              gboolean        all_equilibria,
              CdProgressFunc  progress,
              gpointer        progress_data,
              GCancellable   *cancellable,
              GError        **error)
{
  g_autoptr(CdSweep) sweep = NULL;
  g_autoptr(CdSystem) sys = NULL;
  g_autoptr(CdEqProblem) problem = NULL;
  g_autofree double *z = NULL;
  g_autofree double *z_prev = NULL;
  g_autofree double *y = NULL;
  CdParameters params;
  gboolean hold_trust;
  guint dim, total, done = 0;
  double v_prev = from;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (param < CD_N_PARAMS, NULL);

  if (!cd_param_in_version (param, model->version))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("%s is not a parameter of version %d models"), cd_param_info (param)->path,
                   model->version);
      return NULL;
    }

  if (!isfinite (from) || !isfinite (to) || !cd_param_value_in_range (param, from)
      || !cd_param_value_in_range (param, to))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("%s: the sweep from %g to %g leaves its range %s"),
                   cd_param_info (param)->path, from, to, cd_param_range_text (param));
      return NULL;
    }
  if (steps < 1 || steps > CD_SWEEP_MAX_STEPS)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the number of steps must be between 1 and %u, not %u"), CD_SWEEP_MAX_STEPS,
                   steps);
      return NULL;
    }
  if (!(at >= 0.0) || !isfinite (at))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the time for the parameters must be a finite number ≥ 0, not %g"), at);
      return NULL;
    }

  sys = cd_system_new (model, error);
  if (sys == NULL)
    return NULL;
  cd_model_parameters_at (model, at, &params);
  /* Trust is left out only if it has no dynamics anywhere on the sweep. */
  {
    double gain = params.values[CD_PARAM_DYNAMICS_TRUST_GAIN];
    double decay = params.values[CD_PARAM_DYNAMICS_TRUST_DECAY];
    if (param == CD_PARAM_DYNAMICS_TRUST_GAIN)
      gain = MAX (from, to);
    if (param == CD_PARAM_DYNAMICS_TRUST_DECAY)
      decay = MAX (from, to);
    hold_trust = gain == 0.0 && decay == 0.0;
  }
  problem = cd_eq_problem_new (sys, params.values, hold_trust, CD_EQ_METHOD_AUTO, error);
  if (problem == NULL)
    return NULL;
  cd_eq_problem_set_cancellable (problem, cancellable);
  dim = cd_eq_problem_dim (problem);
  z = g_new (double, MAX (dim, 1));
  z_prev = g_new (double, MAX (dim, 1));
  y = g_new (double, sys->n_state);

  sweep = g_new0 (CdSweep, 1);
  sweep->param = param;
  sweep->points = g_array_new (FALSE, TRUE, sizeof (CdSweepPoint));
  total = 2 * (steps + 1) + (all_equilibria ? steps + 1 : 0);

  /* Start where the dynamics settle from the model's initial state. */
  cd_eq_problem_set_param (problem, param, from);
  cd_system_initial_state (sys, y);
  cd_eq_problem_pack (problem, y, z_prev);
  if (!cd_eq_problem_relax (problem, z_prev, cancellable, error))
    return NULL;

  for (guint pass = 0, n_branches = 0; pass < 2; pass++)
    for (guint k = 0; k <= steps; k++)
      {
        guint at_k = pass == 0 ? k : steps - k;
        CdSweepPoint point = { 0 }, *last = NULL;

        /* The same grid both ways, so up and down rows pair up exactly. */
        point.value = at_k == steps ? to : from + (to - from) * ((double) at_k / steps);
        point.direction = pass == 0 ? CD_SWEEP_UP : CD_SWEEP_DOWN;
        /* Continuation usually succeeds without relaxing, the one place
         * that looked at the cancellable: check it every step. */
        if (g_cancellable_set_error_if_cancelled (cancellable, error))
          return NULL;
        if (!continue_step (problem, param, v_prev, point.value, z_prev, z, &point,
                            cancellable, error))
          {
            g_prefix_error (error, "%s = %g (%s): ", cd_param_info (param)->path, point.value,
                            cd_sweep_direction_to_string (point.direction));
            return NULL;
          }
        memcpy (z_prev, z, MAX (dim, 1) * sizeof (double));
        v_prev = point.value;
        /* a line breaks where the state tips or changes stability */
        if (k > 0)
          last = &g_array_index (sweep->points, CdSweepPoint, sweep->points->len - 1);
        if (last == NULL || point.tipping || !point.stable != !last->stable)
          n_branches++;
        point.branch = n_branches - 1;
        g_array_append_val (sweep->points, point);
        if (progress)
          progress ((double) ++done / total, progress_data);
      }

  if (all_equilibria)
    {
      CdEquilibriaOptions options = CD_EQUILIBRIA_OPTIONS_INIT;
      g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (BranchEnd));
      g_autoptr(GPtrArray) previous = NULL;
      guint n_branches = 0;

      g_array_set_clear_func (ends, branch_end_clear);

      /* Fewer random starts than for one search: the previous value's
       * equilibria seed this one.  At national size none: there each
       * would be a relaxation of seconds, and the seeds and the grid
       * follow the branches. */
      options.n_random = dim > CD_EQ_DENSE_MAX ? 0 : 32;
      for (guint k = 0; k <= steps; k++)
        {
          g_autoptr(GPtrArray) found = NULL;
          g_autoptr(GArray) branch = NULL;
          double value = k == steps ? to : from + (to - from) * ((double) k / steps);

          cd_eq_problem_set_param (problem, param, value);
          found = cd_eq_problem_find_all (problem, &options, previous, cancellable, error);
          if (found == NULL)
            return NULL;
          branch = link_branches (ends, found, k, sys->n_state, &n_branches);
          for (guint i = 0; i < found->len; i++)
            {
              const CdEquilibrium *eq = g_ptr_array_index (found, i);
              CdSweepPoint point = { value, CD_SWEEP_ALL, eq->mean_coordination, eq->stable,
                                     FALSE, g_array_index (branch, guint, i) };
              g_array_append_val (sweep->points, point);
            }
          g_clear_pointer (&previous, g_ptr_array_unref);
          previous = g_steal_pointer (&found);
          if (progress)
            progress ((double) ++done / total, progress_data);
        }
    }
  return g_steal_pointer (&sweep);
}

gboolean
cd_sweep_tipping_point (const CdSweep    *sweep,
                        CdSweepDirection  direction,
                        double           *out_value)
{
  g_return_val_if_fail (sweep != NULL, FALSE);

  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      if (p->direction == direction && p->tipping)
        {
          if (out_value)
            *out_value = p->value;
          return TRUE;
        }
    }
  return FALSE;
}
