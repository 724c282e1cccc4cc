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
#include "cd-jacobian.h"
#include "cd-sparse-linalg.h"
#include "cd-system-private.h"

#define SOLVE_MAX_ITER   200
#define SOLVE_RESIDUAL   1e-11
#define BOX_SLACK        1e-7     /* how far outside [0, 1] a root may land and be clamped */
#define SAME_ROOT        1e-6     /* max-norm distance under which two roots are one */
#define STABLE_BELOW     -1e-8    /* a real part above this is not (asymptotically) stable */
#define JAC_STEP         1e-6
#define SETTLED          1e-10    /* max |dz/dt| at which relaxation stops */
#define RELAX_T_MAX      1e5
/* The sparse path's Newton iteration. */
#define NEWTON_MAX_ITER  100
#define NEWTON_POLISH    10
#define NEWTON_WANDER    1.0      /* how far outside [0, 1] an iterate may go on its way */
#define SPARSE_N_EIGEN   6        /* the rightmost eigenvalues computed */
/* Below this many dimensions ARPACK has no room (it needs a few more than
 * the eigenvalues it finds): the sparse path takes every eigenvalue of its
 * Jacobian made dense. */
#define SPARSE_EIGEN_MIN 24

struct _CdEqProblem
{
  const CdSystem *sys;
  CdPiece         piece;
  CdWorkspace    *ws;
  guint           dim;
  guint          *map;       /* z index → y index */
  gboolean        identity;  /* map[k] = k */
  double         *y;         /* scratch full state, fixed parts from the template */
  double         *dydt;
  double         *fz;        /* scratch f(z) */
  double         *zs;        /* scratch z */
  GCancellable   *cancellable;

  /* dense */
  gsl_multiroot_fsolver *solver;
  gsl_matrix     *jac;
  gsl_eigen_nonsymm_workspace *eigen;
  gsl_vector_complex *eval;

  /* sparse */
  gboolean        sparse;
  CdJacobian     *sjac;
  CdSparseLU     *lu;        /* of J, for Newton */
  CdSparseLU     *lu_shifted; /* of J − σI, for the eigenvalues */
  CdSparseLU     *lu_test;   /* unpivoted, for the stability test */
  double         *zt;        /* scratch: a trial point */
  double         *ft;        /* scratch: f there */
  double         *dz;        /* Newton step */
  double         *eigvec;    /* the last rightmost eigenvector: ARPACK's next start */
};

static void
problem_f_raw (CdEqProblem  *p,
               const double *z,
               double       *f)
{
  /* With no government fixed and trust free, z is y without the loss: two
   * copies instead of a scatter and a gather (a third of a sparse
   * Jacobian's time on the national model). */
  if (p->identity)
    {
      memcpy (p->y, z, p->dim * sizeof (double));
      cd_system_evaluate (p->sys, &p->piece, 0.0, p->y, p->dydt, NULL, p->ws);
      memcpy (f, p->dydt, p->dim * sizeof (double));
      return;
    }
  for (guint k = 0; k < p->dim; k++)
    p->y[p->map[k]] = z[k];
  cd_system_evaluate (p->sys, &p->piece, 0.0, p->y, p->dydt, NULL, p->ws);
  for (guint k = 0; k < p->dim; k++)
    f[k] = p->dydt[p->map[k]];
}

/* For the Jacobian: whether its values are finite is checked on them (by
 * the factorization and the eigenvalue code), once, not at each of its
 * evaluations. */
static gboolean
problem_f_unchecked (const double *z,
                     double       *f,
                     gpointer      data)
{
  problem_f_raw (data, z, f);
  return TRUE;
}

static gboolean
problem_f_checked (const double *z,
                   double       *f,
                   gpointer      data)
{
  CdEqProblem *p = data;

  problem_f_raw (p, z, f);
  for (guint k = 0; k < p->dim; k++)
    if (!isfinite (f[k]))
      return FALSE;
  return TRUE;
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

/* CD_EQ_METHOD_AUTO made definite for a state of dim dimensions. */
static CdEqMethod
resolve_method (CdEqMethod method,
                guint      dim)
{
  const char *forced;

  if (method != CD_EQ_METHOD_AUTO)
    return method;
  forced = g_getenv ("COORDYN_EQ_METHOD");
  /* dense beyond 400 dimensions (the limit it had alone) takes hours */
  if (g_strcmp0 (forced, "dense") == 0 && dim <= 400)
    return CD_EQ_METHOD_DENSE;
  if (g_strcmp0 (forced, "sparse") == 0)
    return CD_EQ_METHOD_SPARSE;
  return dim <= CD_EQ_DENSE_MAX ? CD_EQ_METHOD_DENSE : CD_EQ_METHOD_SPARSE;
}

CdEqProblem *
cd_eq_problem_new (const CdSystem *sys,
                   const double   *params,
                   gboolean        hold_trust,
                   CdEqMethod      method,
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
  method = resolve_method (method, dim);

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
  p->identity = TRUE;
  for (guint k = 0; k < dim; k++)
    if (p->map[k] != k)
      p->identity = FALSE;
  if (p->dim > 0 && method == CD_EQ_METHOD_SPARSE)
    {
      p->sparse = TRUE;
      p->sjac = cd_jacobian_new_for_system (sys, p->map, p->dim);
      p->lu = cd_sparse_lu_new (cd_jacobian_matrix (p->sjac));
      p->lu_shifted = cd_sparse_lu_new (cd_jacobian_matrix (p->sjac));
      p->lu_test = cd_sparse_lu_new_unpivoted (cd_jacobian_matrix (p->sjac));
      p->zt = g_new (double, p->dim);
      p->ft = g_new (double, p->dim);
      p->dz = g_new (double, p->dim);
      p->eigvec = g_new0 (double, p->dim);
      if (p->lu == NULL || p->lu_shifted == NULL || p->lu_test == NULL)
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED,
                       _("the sparse solver could not order the Jacobian of %u dimensions"),
                       p->dim);
          cd_eq_problem_free (p);
          return NULL;
        }
    }
  /* The sparse path's tiny models too take every eigenvalue densely. */
  if (p->dim > 0 && (!p->sparse || p->dim < SPARSE_EIGEN_MIN))
    {
      p->jac = gsl_matrix_alloc (p->dim, p->dim);
      p->eigen = gsl_eigen_nonsymm_alloc (p->dim);
      p->eval = gsl_vector_complex_alloc (p->dim);
    }
  if (p->dim > 0 && !p->sparse)
    p->solver = gsl_multiroot_fsolver_alloc (gsl_multiroot_fsolver_hybrids, p->dim);
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
  g_clear_pointer (&p->sjac, cd_jacobian_free);
  g_clear_pointer (&p->lu, cd_sparse_lu_free);
  g_clear_pointer (&p->lu_shifted, cd_sparse_lu_free);
  g_clear_pointer (&p->lu_test, cd_sparse_lu_free);
  g_free (p->zt);
  g_free (p->ft);
  g_free (p->dz);
  g_free (p->eigvec);
  g_clear_object (&p->cancellable);
  g_free (p);
}

guint
cd_eq_problem_dim (const CdEqProblem *p)
{
  return p->dim;
}

gboolean
cd_eq_problem_is_sparse (const CdEqProblem *p)
{
  return p->sparse;
}

void
cd_eq_problem_set_cancellable (CdEqProblem  *p,
                               GCancellable *cancellable)
{
  g_set_object (&p->cancellable, cancellable);
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

/* Accepts a root at most BOX_SLACK outside [0, 1], clamped into it. */
static gboolean
root_in_box (const double *v,
             guint         n,
             double       *z)
{
  for (guint k = 0; k < n; k++)
    if (!isfinite (v[k]) || v[k] < -BOX_SLACK || v[k] > 1.0 + BOX_SLACK)
      return FALSE;
  for (guint k = 0; k < n; k++)
    z[k] = CLAMP (v[k], 0.0, 1.0);
  return TRUE;
}

static double
norm2 (const double *v,
       guint         n)
{
  double s = 0.0;

  for (guint k = 0; k < n; k++)
    s += v[k] * v[k];
  return sqrt (s);
}

/* dz ← J(z)⁻¹ f, the Jacobian by coloured central differences. */
static gboolean
sparse_newton_step (CdEqProblem  *p,
                    const double *z,
                    const double *f,
                    double       *dz)
{
  if (!cd_jacobian_evaluate (p->sjac, problem_f_unchecked, p, z, JAC_STEP)
      || !cd_sparse_lu_factor (p->lu, cd_jacobian_matrix (p->sjac), 0.0))
    return FALSE;
  memcpy (dz, f, p->dim * sizeof (double));
  return cd_sparse_lu_solve (p->lu, dz);
}

/* Powell's dogleg in a trust region, as GSL's hybrid solver on the dense
 * path, with the sparse Jacobian re-evaluated at every accepted point: the
 * step is Newton's when it fits in the region, else the way down |f|²
 * (Cauchy) bent towards Newton's to the region's edge.  A plain line
 * search along Newton's step gives up where |f| has a local minimum that
 * is no root, and found fewer equilibria from the same starts than the
 * dense path.  Then, as there, a few full steps more until the steps
 * vanish: a small residual is not yet a root where the dynamics are slow. */
static gboolean
sparse_solve (CdEqProblem *p,
              double      *z)
{
  const guint n = p->dim;
  const CdSparseMatrix *m = cd_jacobian_matrix (p->sjac);
  double *f = p->fz, *ft = p->ft, *newton = p->dz, *zt = p->zt;
  g_autofree double *grad = g_new (double, n);
  g_autofree double *jg = g_new (double, n);
  g_autofree double *step = g_new (double, n);
  g_autofree double *jp = g_new (double, n);
  double radius, ff, newton_norm = 0.0, grad2 = 0.0, cauchy = 0.0;
  gboolean fresh = FALSE, converged = FALSE;
  guint slow = 0;

  if (!problem_f_checked (z, f, p))
    return FALSE;
  ff = norm2 (f, n);
  radius = 100.0 * MAX (norm2 (z, n), 1.0);
  for (guint iter = 0; iter < NEWTON_MAX_ITER; iter++)
    {
      double step_norm, predicted, actual, fft, rho;
      gboolean inside = TRUE;

      if (max_abs (f, n) < SOLVE_RESIDUAL)
        {
          converged = TRUE;
          break;
        }
      if (!fresh)
        {
          /* At a new point: Newton's step and the steepest descent. */
          if (g_cancellable_is_cancelled (p->cancellable) || !sparse_newton_step (p, z, f, newton))
            return FALSE;
          newton_norm = norm2 (newton, n);
          for (guint k = 0; k < n; k++)
            {
              double g = 0.0;
              for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
                g += m->value[q] * f[m->row_index[q]];
              grad[k] = g;        /* Jᵀf, the gradient of |f|²/2 */
            }
          grad2 = norm2 (grad, n);
          cd_sparse_matrix_multiply (m, grad, jg);
          cauchy = norm2 (jg, n);
          /* the minimum of |f − t J g| along −g is at t = |g|²/|Jg|² */
          cauchy = cauchy > 0.0 ? grad2 * grad2 / (cauchy * cauchy) * grad2 : 0.0;
          fresh = TRUE;
        }

      if (newton_norm <= radius)
        for (guint k = 0; k < n; k++)
          step[k] = -newton[k];
      else if (cauchy >= radius || grad2 == 0.0)
        for (guint k = 0; k < n; k++)
          step[k] = grad2 > 0.0 ? -radius * grad[k] / grad2 : 0.0;
      else
        {
          /* from the Cauchy point c towards Newton's n, to |c + t (n − c)| = radius */
          double a = 0.0, b = 0.0, c = 0.0, t;
          for (guint k = 0; k < n; k++)
            {
              double ck = -cauchy * grad[k] / grad2, dk = -newton[k] - ck;
              a += dk * dk;
              b += ck * dk;
              c += ck * ck;
            }
          c -= radius * radius;
          t = a > 0.0 ? (-b + sqrt (MAX (b * b - a * c, 0.0))) / a : 0.0;
          for (guint k = 0; k < n; k++)
            {
              double ck = -cauchy * grad[k] / grad2;
              step[k] = ck + t * (-newton[k] - ck);
            }
        }
      step_norm = norm2 (step, n);

      /* predicted |f + J p|² against actual |f(z + p)|² */
      cd_sparse_matrix_multiply (m, step, jp);
      for (guint k = 0; k < n; k++)
        jp[k] += f[k];
      predicted = ff * ff - norm2 (jp, n) * norm2 (jp, n);
      for (guint k = 0; k < n; k++)
        {
          zt[k] = z[k] + step[k];
          if (!(zt[k] >= -NEWTON_WANDER && zt[k] <= 1.0 + NEWTON_WANDER))
            inside = FALSE;
        }
      if (inside && problem_f_checked (zt, ft, p))
        {
          fft = norm2 (ft, n);
          actual = ff * ff - fft * fft;
        }
      else
        {
          fft = G_MAXDOUBLE;
          actual = -G_MAXDOUBLE;
        }
      rho = predicted > 0.0 ? actual / predicted : (actual > 0.0 ? 1.0 : -1.0);
      if (rho < 0.25)
        radius = 0.25 * step_norm;
      else if (rho > 0.75 && step_norm >= 0.99 * radius)
        radius = 2.0 * radius;
      /* As GSL's hybrid solver: ten steps in a row that take less than
       * 0.1 % off |f|² are no progress (on the national model a start far
       * from every root would otherwise take all NEWTON_MAX_ITER steps). */
      if (fft < ff && 1.0 - (fft / ff) * (fft / ff) >= 1e-3)
        slow = 0;
      else if (++slow >= 10)
        return FALSE;
      if (rho > 1e-4 && fft < ff)
        {
          memcpy (z, zt, n * sizeof (double));
          memcpy (f, ft, n * sizeof (double));
          ff = fft;
          fresh = FALSE;
        }
      else if (radius < 1e-14 * MAX (norm2 (z, n), 1.0))
        return FALSE;   /* no way down: a local minimum of |f| that is no root */
    }
  if (!converged)
    return FALSE;

  for (guint polish = 0; polish < NEWTON_POLISH; polish++)
    {
      gboolean small = TRUE;

      if (!sparse_newton_step (p, z, f, newton))
        break;
      for (guint k = 0; k < n; k++)
        {
          zt[k] = z[k] - newton[k];
          if (fabs (newton[k]) >= 1e-14 + 1e-12 * fabs (zt[k]))
            small = FALSE;
        }
      if (!problem_f_checked (zt, ft, p) || !(max_abs (ft, n) < 100 * SOLVE_RESIDUAL))
        break;
      memcpy (z, zt, n * sizeof (double));
      memcpy (f, ft, n * sizeof (double));
      if (small)
        break;
    }
  if (!(max_abs (f, n) < 100 * SOLVE_RESIDUAL))
    return FALSE;
  return root_in_box (z, n, z);
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
  if (p->sparse)
    {
      /* Work on a copy: z is left as it was when there is no root. */
      g_autofree double *w = g_memdup2 (z, p->dim * sizeof (double));
      if (!sparse_solve (p, w))
        return FALSE;
      memcpy (z, w, p->dim * sizeof (double));
      return TRUE;
    }
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
  return root_in_box (p->solver->x->data, p->dim, z);
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
  gboolean dense_fd = p->dim > 0 && !p->sparse;
  g_autofree double *zp = dense_fd ? g_new (double, p->dim) : NULL;
  g_autofree double *fp = dense_fd ? g_new (double, p->dim) : NULL;
  g_autofree double *fm = dense_fd ? g_new (double, p->dim) : NULL;
  g_autofree double *y = g_new (double, p->sys->n_state);
  guint n_alloc;

  cd_eq_problem_unpack (p, z, y);
  out->mean_coordination = cd_system_mean_coordination (p->sys, y);
  g_clear_pointer (&out->eigen_re, g_free);
  g_clear_pointer (&out->eigen_im, g_free);
  out->n_eigen = p->dim;
  n_alloc = p->sparse && p->dim >= SPARSE_EIGEN_MIN ? SPARSE_N_EIGEN : MAX (p->dim, 1);
  out->eigen_re = g_new0 (double, n_alloc);
  out->eigen_im = g_new0 (double, n_alloc);
  if (p->dim == 0)
    {
      /* Nothing moves: the state is an equilibrium, neutrally. */
      out->max_real = 0.0;
      out->stable = FALSE;
      return TRUE;
    }

  if (p->sparse)
    {
      const CdSparseMatrix *m = cd_jacobian_matrix (p->sjac);

      if (!cd_jacobian_evaluate (p->sjac, problem_f_unchecked, p, z, JAC_STEP))
        return FALSE;
      if (p->dim >= SPARSE_EIGEN_MIN)
        {
          guint found = 0;

          if (!cd_sparse_rightmost_eigenvalues (m, p->lu_shifted, SPARSE_N_EIGEN, p->eigvec,
                                                out->eigen_re, out->eigen_im, &found,
                                                p->cancellable))
            return FALSE;
          out->n_eigen = found;
          out->max_real = out->eigen_re[0];
          out->stable = out->max_real < STABLE_BELOW;
          return TRUE;
        }
      gsl_matrix_set_zero (p->jac);
      for (guint k = 0; k < p->dim; k++)
        for (int q = m->col_start[k]; q < m->col_start[k + 1]; q++)
          gsl_matrix_set (p->jac, m->row_index[q], k, m->value[q]);
    }
  else
    {
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

gboolean
cd_eq_problem_is_stable (CdEqProblem  *p,
                         const double *z,
                         gboolean     *stable)
{
  CdEquilibrium eq = { 0 };
  gboolean ok;

  if (p->sparse && p->dim > 0)
    {
      int verdict;

      if (!cd_jacobian_evaluate (p->sjac, problem_f_unchecked, p, z, JAC_STEP))
        return FALSE;
      verdict = cd_sparse_metzler_stable (cd_jacobian_matrix (p->sjac), p->lu_test,
                                          STABLE_BELOW);
      if (verdict >= 0)
        {
          *stable = verdict == 1;
          return TRUE;
        }
    }
  ok = cd_eq_problem_classify (p, z, &eq);
  *stable = eq.stable;
  g_free (eq.eigen_re);
  g_free (eq.eigen_im);
  return ok;
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
  guint n_seeds = seeds != NULL ? seeds->len : 0;
  gboolean large = problem->dim > CD_EQ_DENSE_MAX;
  guint n_random = opt->n_random != CD_EQ_STARTS_DEFAULT ? opt->n_random
                   : large ? CD_EQ_LARGE_RANDOM : CD_EQ_SMALL_RANDOM;
  guint total = n_seeds + 3 + opt->n_grid + n_random, done = 0;

  cd_eq_problem_set_cancellable (problem, cancellable);
  for (guint i = 0; i < n_seeds; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      cd_eq_problem_pack (problem, ((const CdEquilibrium *) g_ptr_array_index (seeds, i))->y, z);
      if (cd_eq_problem_solve (problem, z))
        search_add (&s, z);
      if (opt->progress)
        opt->progress ((double) ++done / total, opt->progress_data);
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
      if (opt->progress)
        opt->progress ((double) ++done / total, opt->progress_data);
    }

  rng = gsl_rng_alloc (gsl_rng_mt19937);
  gsl_rng_set (rng, opt->seed);
  for (guint start = 0; start < opt->n_grid + n_random; start++)
    {
      gboolean relax_first = large && start >= opt->n_grid;

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
      if (relax_first)
        {
          g_autoptr(GError) local = NULL;

          /* see "The search at national size" in the header */
          if (cd_eq_problem_relax (problem, z, cancellable, &local))
            search_add (&s, z);
          else if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              gsl_rng_free (rng);
              return NULL;
            }
        }
      else if (cd_eq_problem_solve (problem, z))
        search_add (&s, z);
      if (opt->progress)
        opt->progress ((double) ++done / total, opt->progress_data);
    }
  gsl_rng_free (rng);
  /* The solver gives up when cancelled: what was found is not the answer. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
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
  problem = cd_eq_problem_new (sys, params.values, eqs->trust_held,
                               options ? options->method : CD_EQ_METHOD_AUTO, error);
  if (problem == NULL)
    return NULL;
  eqs->sparse = cd_eq_problem_is_sparse (problem);
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
