/* cd-analysis-equilibria.c — finding equilibria from many starts; stability.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <math.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_odeiv2.h>
#include <gsl/gsl_rng.h>

#include "cd-analysis-equilibria.h"
#include "cd-system-private.h"

#define SOLVE_MAX_ITER   200
#define SOLVE_RESIDUAL   1e-11
#define BOX_SLACK        1e-7     /* how far outside [0, 1] a root may land and be clamped */
#define SAME_ROOT        1e-6     /* max-norm distance under which two roots are one */
#define STABLE_BELOW     -1e-8    /* a real part above this is not (asymptotically) stable */
#define JAC_STEP         1e-6
#define SETTLED          1e-10    /* max |dz/dt| at which relaxation stops */
#define RELAX_T_MAX      1e5

struct _CdEqProblem
{
  const CdSystem *sys;
  CdPiece         piece;
  CdWorkspace    *ws;
  guint           dim;
  guint          *map;       /* z index → y index */
  double         *y;         /* scratch full state, fixed parts from the template */
  double         *dydt;
  double         *fz;        /* scratch f(z) */
  double         *zs;        /* scratch z */
  gsl_multiroot_fsolver *solver;
  gsl_matrix     *jac;
  gsl_eigen_nonsymm_workspace *eigen;
  gsl_vector_complex *eval;
};

static void
problem_f_raw (CdEqProblem  *p,
               const double *z,
               double       *f)
{
  for (guint k = 0; k < p->dim; k++)
    p->y[p->map[k]] = z[k];
  cd_system_evaluate (p->sys, &p->piece, 0.0, p->y, p->dydt, NULL, p->ws);
  for (guint k = 0; k < p->dim; k++)
    f[k] = p->dydt[p->map[k]];
}

static int
problem_f_gsl (const gsl_vector *z,
               void             *data,
               gsl_vector       *f)
{
  CdEqProblem *p = data;

  /* GSL vectors here are contiguous (stride 1): they come from the solver. */
  problem_f_raw (p, z->data, f->data);
  for (guint k = 0; k < p->dim; k++)
    if (!isfinite (f->data[k]))
      return GSL_EBADFUNC;
  return GSL_SUCCESS;
}

CdEqProblem *
cd_eq_problem_new (const CdSystem *sys,
                   const double   *params,
                   gboolean        hold_trust,
                   GError        **error)
{
  CdEqProblem *p;
  guint dim = 0;

  g_return_val_if_fail (sys != NULL && params != NULL, NULL);

  for (guint i = 0; i < sys->n_nodes; i++)
    dim += sys->fixed[i] ? 0 : 1;
  if (!hold_trust)
    dim += sys->n_partnerships;
  if (dim > CD_EQ_MAX_DIM)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_TOO_LARGE,
                   _("the equilibrium state has %u dimensions (free governments and "
                     "partnerships); this analysis handles up to %u"), dim, CD_EQ_MAX_DIM);
      return NULL;
    }

  gsl_set_error_handler_off ();
  p = g_new0 (CdEqProblem, 1);
  p->sys = sys;
  memcpy (p->piece.params, params, sizeof p->piece.params);
  p->piece.n_active_events = 0;
  p->ws = cd_workspace_new (sys);
  p->dim = dim;
  p->map = g_new (guint, MAX (dim, 1));
  p->y = g_new (double, sys->n_state);
  p->dydt = g_new (double, sys->n_state);
  p->fz = g_new (double, MAX (dim, 1));
  p->zs = g_new (double, MAX (dim, 1));
  cd_system_initial_state (sys, p->y);
  dim = 0;
  for (guint i = 0; i < sys->n_nodes; i++)
    if (!sys->fixed[i])
      p->map[dim++] = i;
  if (!hold_trust)
    for (guint e = 0; e < sys->n_partnerships; e++)
      p->map[dim++] = sys->n_nodes + e;
  if (p->dim > 0)
    {
      p->solver = gsl_multiroot_fsolver_alloc (gsl_multiroot_fsolver_hybrids, p->dim);
      p->jac = gsl_matrix_alloc (p->dim, p->dim);
      p->eigen = gsl_eigen_nonsymm_alloc (p->dim);
      p->eval = gsl_vector_complex_alloc (p->dim);
    }
  return p;
}

void
cd_eq_problem_free (CdEqProblem *p)
{
  if (p == NULL)
    return;
  cd_workspace_free (p->ws);
  g_free (p->map);
  g_free (p->y);
  g_free (p->dydt);
  g_free (p->fz);
  g_free (p->zs);
  g_clear_pointer (&p->solver, gsl_multiroot_fsolver_free);
  g_clear_pointer (&p->jac, gsl_matrix_free);
  g_clear_pointer (&p->eigen, gsl_eigen_nonsymm_free);
  g_clear_pointer (&p->eval, gsl_vector_complex_free);
  g_free (p);
}

guint
cd_eq_problem_dim (const CdEqProblem *p)
{
  return p->dim;
}

void
cd_eq_problem_set_param (CdEqProblem *p,
                         CdParam      param,
                         double       value)
{
  g_return_if_fail (param < CD_N_PARAMS);
  p->piece.params[param] = value;
}

void
cd_eq_problem_pack (const CdEqProblem *p,
                    const double      *y,
                    double            *z)
{
  for (guint k = 0; k < p->dim; k++)
    z[k] = y[p->map[k]];
}

void
cd_eq_problem_unpack (const CdEqProblem *p,
                      const double      *z,
                      double            *y)
{
  memcpy (y, p->y, p->sys->n_state * sizeof (double));
  for (guint k = 0; k < p->dim; k++)
    y[p->map[k]] = z[k];
  y[p->sys->n_state - 1] = 0.0;
}

static double
max_abs (const double *v,
         guint         n)
{
  double m = 0.0;

  for (guint k = 0; k < n; k++)
    m = MAX (m, fabs (v[k]));
  return m;
}

gboolean
cd_eq_problem_solve (CdEqProblem *p,
                     double      *z)
{
  gsl_multiroot_function fn = { problem_f_gsl, p->dim, p };
  gsl_vector_view start;
  int status = GSL_CONTINUE;

  if (p->dim == 0)
    return TRUE;
  start = gsl_vector_view_array (z, p->dim);
  if (gsl_multiroot_fsolver_set (p->solver, &fn, &start.vector) != GSL_SUCCESS)
    return FALSE;
  for (guint iter = 0; iter < SOLVE_MAX_ITER && status == GSL_CONTINUE; iter++)
    {
      if (gsl_multiroot_fsolver_iterate (p->solver) != GSL_SUCCESS)
        break;
      status = gsl_multiroot_test_residual (p->solver->f, SOLVE_RESIDUAL);
    }
  /* A small residual is not yet a root where the dynamics are slow (a
   * trust that decays at rate 1e-6 leaves a residual of 1e-12 at τ = 1e-6):
   * keep iterating until the steps themselves vanish. */
  for (guint polish = 0; polish < 20 && status == GSL_SUCCESS; polish++)
    {
      if (gsl_multiroot_fsolver_iterate (p->solver) != GSL_SUCCESS)
        break;
      if (gsl_multiroot_test_delta (p->solver->dx, p->solver->x, 1e-14, 1e-12) == GSL_SUCCESS)
        break;
    }
  /* The solver can stall a hair above the tolerance; accept what is a root
   * to the precision the Jacobian and the eigenvalues can use anyway. */
  if (status != GSL_SUCCESS
      && !(max_abs (p->solver->f->data, p->dim) < 100 * SOLVE_RESIDUAL))
    return FALSE;
  for (guint k = 0; k < p->dim; k++)
    {
      double v = gsl_vector_get (p->solver->x, k);
      if (!isfinite (v) || v < -BOX_SLACK || v > 1.0 + BOX_SLACK)
        return FALSE;
      z[k] = CLAMP (v, 0.0, 1.0);
    }
  return TRUE;
}

static int
relax_rhs (double        t,
           const double  z[],
           double        dzdt[],
           void         *data)
{
  problem_f_raw (data, z, dzdt);
  return GSL_SUCCESS;
}

gboolean
cd_eq_problem_relax (CdEqProblem  *p,
                     double       *z,
                     GCancellable *cancellable,
                     GError      **error)
{
  gsl_odeiv2_system ode = { relax_rhs, NULL, p->dim, p };
  gsl_odeiv2_driver *driver;
  double t = 0.0, chunk, residual = 0.0;
  gboolean ok = TRUE;

  if (p->dim == 0)
    return TRUE;
  /* Time runs in units of the slowest rate that matters. */
  chunk = 10.0 / MAX (1e-6, MIN (p->piece.params[CD_PARAM_DYNAMICS_RATE], 1.0));
  driver = gsl_odeiv2_driver_alloc_y_new (&ode, gsl_odeiv2_step_rk8pd, 1e-3, 1e-12, 1e-10);
  gsl_odeiv2_driver_set_nmax (driver, 1000000);
  for (;;)
    {
      int status;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }
      status = gsl_odeiv2_driver_apply (driver, &t, t + chunk, z);
      if (status != GSL_SUCCESS)
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED,
                       _("integrating towards an equilibrium failed at t = %g (%s)"), t,
                       gsl_strerror (status));
          ok = FALSE;
          break;
        }
      problem_f_raw (p, z, p->fz);
      residual = max_abs (p->fz, p->dim);
      if (residual < SETTLED)
        break;
      if (t > RELAX_T_MAX)
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED,
                       _("the dynamics did not settle by t = %g (largest rate of change %g): "
                         "they may oscillate or drift too slowly"), t, residual);
          ok = FALSE;
          break;
        }
    }
  gsl_odeiv2_driver_free (driver);
  if (!ok)
    return FALSE;

  /* Polish: only accept a nearby root, so a slow approach is not swapped
   * for another equilibrium. */
  memcpy (p->zs, z, p->dim * sizeof (double));
  if (cd_eq_problem_solve (p, p->zs))
    {
      double dist = 0.0;
      for (guint k = 0; k < p->dim; k++)
        dist = MAX (dist, fabs (p->zs[k] - z[k]));
      if (dist < 1e-4)
        memcpy (z, p->zs, p->dim * sizeof (double));
    }
  for (guint k = 0; k < p->dim; k++)
    z[k] = CLAMP (z[k], 0.0, 1.0);
  return TRUE;
}

gboolean
cd_eq_problem_classify (CdEqProblem   *p,
                        const double  *z,
                        CdEquilibrium *out)
{
  g_autofree double *zp = g_new (double, MAX (p->dim, 1));
  g_autofree double *fp = g_new (double, MAX (p->dim, 1));
  g_autofree double *fm = g_new (double, MAX (p->dim, 1));
  g_autofree double *y = g_new (double, p->sys->n_state);

  cd_eq_problem_unpack (p, z, y);
  out->mean_coordination = cd_system_mean_coordination (p->sys, y);
  g_clear_pointer (&out->eigen_re, g_free);
  g_clear_pointer (&out->eigen_im, g_free);
  out->n_eigen = p->dim;
  out->eigen_re = g_new0 (double, MAX (p->dim, 1));
  out->eigen_im = g_new0 (double, MAX (p->dim, 1));
  if (p->dim == 0)
    {
      /* Nothing moves: the state is an equilibrium, neutrally. */
      out->max_real = 0.0;
      out->stable = FALSE;
      return TRUE;
    }

  memcpy (zp, z, p->dim * sizeof (double));
  for (guint k = 0; k < p->dim; k++)
    {
      double h = JAC_STEP;
      zp[k] = z[k] + h;
      problem_f_raw (p, zp, fp);
      zp[k] = z[k] - h;
      problem_f_raw (p, zp, fm);
      zp[k] = z[k];
      for (guint i = 0; i < p->dim; i++)
        gsl_matrix_set (p->jac, i, k, (fp[i] - fm[i]) / (2 * h));
    }
  if (gsl_eigen_nonsymm (p->jac, p->eval, p->eigen) != GSL_SUCCESS)
    return FALSE;
  out->max_real = -G_MAXDOUBLE;
  for (guint k = 0; k < p->dim; k++)
    {
      gsl_complex c = gsl_vector_complex_get (p->eval, k);
      out->eigen_re[k] = GSL_REAL (c);
      out->eigen_im[k] = GSL_IMAG (c);
      if (!isfinite (out->eigen_re[k]) || !isfinite (out->eigen_im[k]))
        return FALSE;
      out->max_real = MAX (out->max_real, out->eigen_re[k]);
    }
  out->stable = out->max_real < STABLE_BELOW;
  return TRUE;
}

/* ---- the multi-start search ----------------------------------------------- */

void
cd_equilibrium_free (CdEquilibrium *eq)
{
  if (eq == NULL)
    return;
  g_free (eq->y);
  g_free (eq->eigen_re);
  g_free (eq->eigen_im);
  g_free (eq);
}

void
cd_equilibria_free (CdEquilibria *eqs)
{
  if (eqs == NULL)
    return;
  g_clear_pointer (&eqs->equilibria, g_ptr_array_unref);
  g_clear_pointer (&eqs->system, cd_system_free);
  g_free (eqs);
}

/* Trust where its own equation balances for partners at coordination s. */
static double
balanced_trust (const CdSystem *sys,
                const double   *params,
                guint           e,
                double          q)
{
  double gain = params[CD_PARAM_DYNAMICS_TRUST_GAIN] * (1.0 + sys->pair_info[e]) * q;
  double loss = params[CD_PARAM_DYNAMICS_TRUST_DECAY] * (1.0 - q);

  return gain + loss > 0.0 ? gain / (gain + loss) : sys->pair_trust0[e];
}

typedef struct
{
  const CdSystem *sys;
  CdEqProblem    *problem;
  GPtrArray      *found;     /* of CdEquilibrium */
} Search;

/* Adds the root z (unless known); returns the equilibrium. */
static CdEquilibrium *
search_add (Search       *s,
            const double *z)
{
  g_autofree double *y = g_new (double, s->sys->n_state);
  CdEquilibrium *eq;

  cd_eq_problem_unpack (s->problem, z, y);
  for (guint i = 0; i < s->found->len; i++)
    {
      CdEquilibrium *other = g_ptr_array_index (s->found, i);
      double dist = 0.0;
      for (guint k = 0; k + 1 < s->sys->n_state; k++)
        dist = MAX (dist, fabs (other->y[k] - y[k]));
      if (dist < SAME_ROOT)
        return other;
    }
  eq = g_new0 (CdEquilibrium, 1);
  eq->y = g_steal_pointer (&y);
  if (!cd_eq_problem_classify (s->problem, z, eq))
    {
      cd_equilibrium_free (eq);
      return NULL;
    }
  g_ptr_array_add (s->found, eq);
  return eq;
}

static int
compare_equilibria (gconstpointer a,
                    gconstpointer b)
{
  const CdEquilibrium *ea = *(CdEquilibrium *const *) a, *eb = *(CdEquilibrium *const *) b;

  return (ea->mean_coordination > eb->mean_coordination)
         - (ea->mean_coordination < eb->mean_coordination);
}

GPtrArray *
cd_eq_problem_find_all (CdEqProblem               *problem,
                        const CdEquilibriaOptions *options,
                        const GPtrArray           *seeds,
                        GCancellable              *cancellable,
                        GError                   **error)
{
  CdEquilibriaOptions defaults = CD_EQUILIBRIA_OPTIONS_INIT;
  const CdEquilibriaOptions *opt = options ? options : &defaults;
  const CdSystem *sys = problem->sys;
  const double *params = problem->piece.params;
  g_autoptr(GPtrArray) found =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cd_equilibrium_free);
  g_autofree double *z = g_new (double, MAX (problem->dim, 1));
  g_autofree double *y = g_new (double, sys->n_state);
  Search s = { sys, problem, found };
  gsl_rng *rng;

  for (guint i = 0; seeds != NULL && i < seeds->len; i++)
    {
      cd_eq_problem_pack (problem, ((const CdEquilibrium *) g_ptr_array_index (seeds, i))->y, z);
      if (cd_eq_problem_solve (problem, z))
        search_add (&s, z);
    }
  /* Where the dynamics settle from nobody, everybody and the initial state:
   * the attractors a user will meet first. */
  for (guint start = 0; start < 3; start++)
    {
      g_autoptr(GError) local = NULL;

      cd_system_initial_state (sys, y);
      if (start < 2)
        for (guint i = 0; i < sys->n_nodes; i++)
          if (!sys->fixed[i])
            y[i] = start;
      cd_eq_problem_pack (problem, y, z);
      if (cd_eq_problem_relax (problem, z, cancellable, &local))
        search_add (&s, z);
      else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, opt->seed);
  for (guint start = 0; start < opt->n_grid + opt->n_random; start++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          gsl_rng_free (rng);
          return NULL;
        }
      cd_system_initial_state (sys, y);
      if (start < opt->n_grid)
        {
          double level = opt->n_grid > 1 ? (double) start / (opt->n_grid - 1) : 0.5;
          for (guint i = 0; i < sys->n_nodes; i++)
            if (!sys->fixed[i])
              y[i] = level;
          for (guint e = 0; e < sys->n_partnerships; e++)
            y[sys->n_nodes + e] = balanced_trust (sys, params, e,
                                                  y[sys->pair_a[e]] * y[sys->pair_b[e]]);
        }
      else
        {
          for (guint i = 0; i < sys->n_nodes; i++)
            if (!sys->fixed[i])
              y[i] = gsl_rng_uniform (rng);
          for (guint e = 0; e < sys->n_partnerships; e++)
            y[sys->n_nodes + e] = gsl_rng_uniform (rng);
        }
      cd_eq_problem_pack (problem, y, z);
      if (cd_eq_problem_solve (problem, z))
        search_add (&s, z);
    }
  gsl_rng_free (rng);
  g_ptr_array_sort (found, compare_equilibria);
  return g_steal_pointer (&found);
}

CdEquilibria *
cd_find_equilibria (const CdModel             *model,
                    double                     at,
                    const CdEquilibriaOptions *options,
                    GCancellable              *cancellable,
                    GError                   **error)
{
  g_autoptr(CdEquilibria) eqs = g_new0 (CdEquilibria, 1);
  g_autoptr(CdEqProblem) problem = NULL;
  g_autofree double *z = NULL;
  g_autofree double *y = NULL;
  CdParameters params;
  const CdSystem *sys;
  guint n_free = 0;

  g_return_val_if_fail (model != NULL, NULL);

  if (!(at >= 0.0) || !isfinite (at))
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("the time for the parameters must be a finite number ≥ 0, not %g"), at);
      return NULL;
    }
  eqs->system = cd_system_new (model, error);
  if (eqs->system == NULL)
    return NULL;
  sys = eqs->system;
  cd_model_parameters_at (model, at, &params);
  eqs->trust_held = params.values[CD_PARAM_DYNAMICS_TRUST_GAIN] == 0.0
                    && params.values[CD_PARAM_DYNAMICS_TRUST_DECAY] == 0.0;
  eqs->n_state = sys->n_state;
  problem = cd_eq_problem_new (sys, params.values, eqs->trust_held, error);
  if (problem == NULL)
    return NULL;
  for (guint i = 0; i < sys->n_nodes; i++)
    n_free += sys->fixed[i] ? 0 : 1;

  eqs->equilibria = cd_eq_problem_find_all (problem, options, NULL, cancellable, error);
  if (eqs->equilibria == NULL)
    return NULL;
  z = g_new (double, MAX (cd_eq_problem_dim (problem), 1));
  y = g_new (double, sys->n_state);

  if (sys->rule == CD_RULE_REPLICATOR && n_free <= CD_EQ_MAX_CORNER_NODES)
    {
      g_autofree double *force_buf = g_new (double, 4 * (gsize) MAX (sys->n_nodes, 1));
      g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
      CdForces forces = { force_buf, force_buf + sys->n_nodes, force_buf + 2 * sys->n_nodes,
                          force_buf + 3 * sys->n_nodes };
      CdPiece piece = { 0 };
      Search s = { sys, problem, eqs->equilibria };

      memcpy (piece.params, params.values, sizeof piece.params);
      eqs->corners_enumerated = TRUE;
      for (guint32 mask = 0; mask < (1u << n_free); mask++)
        {
          CdEquilibrium *eq;
          gboolean ess = TRUE;
          guint bit = 0;

          cd_system_initial_state (sys, y);
          for (guint i = 0; i < sys->n_nodes; i++)
            if (!sys->fixed[i])
              y[i] = (mask >> bit++) & 1u;
          for (guint e = 0; e < sys->n_partnerships; e++)
            if (!eqs->trust_held)
              y[sys->n_nodes + e] = balanced_trust (sys, params.values, e,
                                                    y[sys->pair_a[e]] * y[sys->pair_b[e]]);
          cd_eq_problem_pack (problem, y, z);
          eq = search_add (&s, z);
          if (eq == NULL)
            continue;
          /* A strict Nash state: every free government's net force agrees
           * with its corner, so no small group of deviants gains. */
          cd_system_evaluate (sys, &piece, 0.0, y, NULL, &forces, ws);
          for (guint i = 0; i < sys->n_nodes; i++)
            {
              double net = forces.gravity[i] + forces.pressure[i] + forces.thrust[i]
                           - forces.resistance[i];
              if (sys->fixed[i])
                continue;
              if (y[i] == 1.0 ? !(net > 0.0) : !(net < 0.0))
                ess = FALSE;
            }
          eq->corner = TRUE;
          eq->ess = ess;
        }
      g_ptr_array_sort (eqs->equilibria, compare_equilibria);
    }
  return g_steal_pointer (&eqs);
}
