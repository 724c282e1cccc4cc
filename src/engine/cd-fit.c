/* cd-fit.c — least-squares fitting with honest uncertainty (see cd-fit.h).
 *
 * The residuals are model − observed at every non-empty observed cell, the
 * model evaluated at exactly the observed times (CdRunOptions.times, read
 * off the integrator's interpolant).  Columns are not weighted: a fit that
 * mixes loss (which grows to tens) with coordination (in [0, 1]) is led by
 * the loss; docs/fitting.md says so and the per-column RMS shows it.
 *
 * Ranges.  The optimizer works on unbounded u; θ(u) maps onto the valid
 * range as MINUIT and lmfit do: θ = lo + (hi − lo)(1 + sin u)/2 on [lo, hi],
 * θ = lo − 1 + √(u² + 1) on [lo, ∞).  Both reach the bound at a finite u,
 * so an estimate can lie on it (law = 0 is a common truth), unlike with a
 * logistic or exponential map.  A positive parameter's lo is 1/1000 of its
 * slider range, as elsewhere in the analyses (cd_param_clamp).
 *
 * Starts.  The model's own values (nudged off a bound, where the map's
 * derivative vanishes) and Sobol points (gsl_qrng) in the ranges, the
 * unbounded ones up to their slider maximum.  Every start runs to
 * convergence, in parallel; the best sum of squares wins (the lowest start
 * at a tie), so the answer does not depend on the thread count.
 *
 * Jacobian.  GSL's forward differences in u during the search, with a step
 * of 1e-4 rather than √ε: the runs carry the integrator's error (relative
 * 1e-8), which a step of 1e-8 would turn into noise of order one.  At the
 * optimum, central differences in θ itself (one-sided at a bound) give the
 * covariance s²(JᵀJ)⁻¹, computed through the SVD of J with its columns
 * scaled to unit length, so that a (near) null direction is seen, named,
 * and not inverted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_qrng.h>

#include "cd-analysis.h"
#include "cd-fit.h"
#include "cd-locale.h"
#include "cd-system-private.h"

/* A singular value of the column-scaled Jacobian below this fraction of the
 * largest is a direction the data do not see.  The finite differences are
 * good to about 1e-5 of a column's length (the integrator's error over the
 * step), so a smaller threshold would mistake their noise for information. */
#define RANK_TOL       1e-4
/* Correlations beyond this are reported: the two are mostly determined together. */
#define HIGH_CORRELATION 0.95
#define FD_STEP        1e-4
#define MAX_ITERATIONS 200
/* A run that needs more steps than this during a fit is treated as a failed
 * trial point, not waited for. */
#define FIT_MAX_STEPS  ((guint64) 2000000)
/* Residual given to a trial point whose run failed: large, so the trust
 * region rejects the step and shrinks. */
#define FAILED_RESIDUAL 1e3

typedef struct
{
  double lo;
  double hi;          /* INFINITY when unbounded above */
  double box_hi;      /* upper end of the start box */
} Range;

typedef struct
{
  CdModel        *model;       /* as the scenario sees it */
  CdParamOverlay *ov;
  const CdObserved *obs;
  guint           n_params;
  CdParam         params[CD_N_PARAMS];
  Range           range[CD_N_PARAMS];
  double          base[CD_N_PARAMS];
  double         *times;
  guint           n_times;
  guint          *row_time;
  guint           n_obs;
  guint          *obs_cell;    /* each observation's cell: row × n_columns + column */
  GCancellable   *cancellable;
} Problem;

typedef struct
{
  const Problem *pr;
  CdPiece       *pieces;
  double        *model_at;     /* n_times × n_columns */
  double        *f;            /* n_obs: GSL may hand over a strided vector */
  guint          n_failed;     /* trial points whose run failed */
  GError        *error;        /* the first failure, or the cancellation */
  gboolean       cancelled;
} Evaluator;

static void
problem_clear (Problem *pr)
{
  g_clear_pointer (&pr->model, cd_model_free);
  g_clear_pointer (&pr->ov, cd_param_overlay_free);
  g_clear_pointer (&pr->times, g_free);
  g_clear_pointer (&pr->row_time, g_free);
  g_clear_pointer (&pr->obs_cell, g_free);
}

static Evaluator *
evaluator_new (const Problem *pr)
{
  Evaluator *ev = g_new0 (Evaluator, 1);

  ev->pr = pr;
  ev->pieces = g_new (CdPiece, cd_param_overlay_get_system (pr->ov)->n_pieces);
  ev->model_at = g_new (double, (gsize) pr->n_times * pr->obs->n_columns);
  ev->f = g_new (double, MAX (pr->n_obs, 1));
  return ev;
}

static void
evaluator_free (Evaluator *ev)
{
  if (ev == NULL)
    return;
  g_free (ev->pieces);
  g_free (ev->model_at);
  g_free (ev->f);
  g_clear_error (&ev->error);
  g_free (ev);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Evaluator, evaluator_free)

/* ---- the map between u and θ ---------------------------------------------- */

static double
theta_of (const Range *r,
          double       u)
{
  if (isfinite (r->hi))
    return r->lo + (r->hi - r->lo) * (1.0 + sin (u)) / 2.0;
  return r->lo - 1.0 + sqrt (u * u + 1.0);
}

static double
u_of (const Range *r,
      double       theta)
{
  if (isfinite (r->hi))
    return asin (CLAMP (2.0 * (theta - r->lo) / (r->hi - r->lo) - 1.0, -1.0, 1.0));
  theta = MAX (theta, r->lo);
  return sqrt ((theta - r->lo + 1.0) * (theta - r->lo + 1.0) - 1.0);
}

/* Keeps a start off the bounds, where dθ/du = 0 would hold it fast. */
static double
interior (const Range *r,
          double       theta)
{
  double margin = 1e-3 * (r->box_hi - r->lo);

  theta = MAX (theta, r->lo + margin);
  if (isfinite (r->hi))
    theta = MIN (theta, r->hi - margin);
  return theta;
}

/* ---- evaluating the model at the observations ---------------------------- */

static gboolean
collect (const CdSample *s,
         gpointer        user_data,
         GError        **error)
{
  Evaluator *ev = user_data;
  const CdObserved *obs = ev->pr->obs;
  double *out = ev->model_at + (gsize) s->index * obs->n_columns;

  for (guint c = 0; c < obs->n_columns; c++)
    {
      const CdObservedColumn *col = &obs->columns[c];

      switch (col->kind)
        {
        case CD_OBSERVED_MEAN:  out[c] = s->mean_coordination; break;
        case CD_OBSERVED_LOSS:  out[c] = s->loss; break;
        case CD_OBSERVED_X:     out[c] = s->x[col->index]; break;
        case CD_OBSERVED_TRUST: out[c] = s->trust[col->index]; break;
        default:                g_assert_not_reached ();
        }
    }
  return TRUE;
}

/* Runs the model with the fitted parameters at θ; model_at receives it. */
static gboolean
run_at (Evaluator    *ev,
        const double *theta,
        GError      **error)
{
  const Problem *pr = ev->pr;
  double values[CD_N_PARAMS];
  CdRunOptions opt = CD_RUN_OPTIONS_INIT;
  CdSystem view;

  memcpy (values, pr->base, sizeof values);
  for (guint j = 0; j < pr->n_params; j++)
    values[pr->params[j]] = theta[j];
  cd_param_overlay_view (pr->ov, values, ev->pieces, &view);
  opt.trust = TRUE;
  opt.times = pr->times;
  opt.n_times = pr->n_times;
  opt.threads = 1;
  opt.max_steps = FIT_MAX_STEPS;
  return cd_simulate (&view, &opt, collect, ev, pr->cancellable, error);
}

/* The residuals model − observed at θ. */
static gboolean
residuals_at (Evaluator    *ev,
              const double *theta,
              double       *f,
              GError      **error)
{
  const Problem *pr = ev->pr;
  const CdObserved *obs = pr->obs;

  if (!run_at (ev, theta, error))
    return FALSE;
  for (guint i = 0; i < pr->n_obs; i++)
    {
      guint cell = pr->obs_cell[i];
      guint row = cell / obs->n_columns, c = cell % obs->n_columns;

      f[i] = ev->model_at[(gsize) pr->row_time[row] * obs->n_columns + c] - obs->values[cell];
    }
  return TRUE;
}

static int
gsl_residuals (const gsl_vector *x,
               void             *data,
               gsl_vector       *f)
{
  Evaluator *ev = data;
  const Problem *pr = ev->pr;
  g_autoptr(GError) error = NULL;
  double theta[CD_N_PARAMS];

  if (ev->cancelled)
    return GSL_EBADFUNC;
  for (guint j = 0; j < pr->n_params; j++)
    theta[j] = theta_of (&pr->range[j], gsl_vector_get (x, j));
  if (residuals_at (ev, theta, ev->f, &error))
    {
      for (guint i = 0; i < pr->n_obs; i++)
        gsl_vector_set (f, i, ev->f[i]);
      return GSL_SUCCESS;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      ev->cancelled = TRUE;
      return GSL_EBADFUNC;
    }
  /* Too stiff or not finite at this trial point: reject the step. */
  ev->n_failed++;
  if (ev->error == NULL)
    ev->error = g_steal_pointer (&error);
  gsl_vector_set_all (f, FAILED_RESIDUAL);
  return GSL_SUCCESS;
}

static double
sum_of_squares (const double *f,
                guint         n)
{
  double s = 0.0;

  for (guint i = 0; i < n; i++)
    s += f[i] * f[i];
  return s;
}

/* One local fit from θ0; FALSE only when cancelled or when the start itself
 * cannot be run. */
static gboolean
fit_from (Evaluator    *ev,
          const double *theta0,
          double       *theta_out,
          double       *rss_out)
{
  const Problem *pr = ev->pr;
  gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters ();
  gsl_multifit_nlinear_fdf fdf = { 0 };
  gsl_multifit_nlinear_workspace *w;
  gsl_vector *u0 = gsl_vector_alloc (pr->n_params);
  guint failed_before = ev->n_failed;
  int info = 0;
  double rss;

  params.trs = gsl_multifit_nlinear_trs_lm;
  params.fdtype = GSL_MULTIFIT_NLINEAR_FWDIFF;
  params.h_df = FD_STEP;
  fdf.f = gsl_residuals;
  fdf.df = NULL;        /* finite differences */
  fdf.fvv = NULL;
  fdf.n = pr->n_obs;
  fdf.p = pr->n_params;
  fdf.params = ev;
  for (guint j = 0; j < pr->n_params; j++)
    gsl_vector_set (u0, j, u_of (&pr->range[j], theta0[j]));

  w = gsl_multifit_nlinear_alloc (gsl_multifit_nlinear_trust, &params, pr->n_obs, pr->n_params);
  gsl_multifit_nlinear_init (u0, &fdf, w);
  gsl_vector_free (u0);
  if (ev->cancelled || ev->n_failed > failed_before)
    {
      /* the start itself could not be run */
      gsl_multifit_nlinear_free (w);
      return FALSE;
    }
  /* ENOPROG (no better step found) and EMAXITER leave the best point
   * reached, which is what every start is judged by. */
  gsl_multifit_nlinear_driver (MAX_ITERATIONS, 1e-8, 1e-10, 1e-12, NULL, NULL, &info, w);
  if (ev->cancelled)
    {
      gsl_multifit_nlinear_free (w);
      return FALSE;
    }
  for (guint j = 0; j < pr->n_params; j++)
    theta_out[j] = theta_of (&pr->range[j], gsl_vector_get (gsl_multifit_nlinear_position (w), j));
  rss = sum_of_squares (gsl_multifit_nlinear_residual (w)->data, pr->n_obs);
  gsl_multifit_nlinear_free (w);
  *rss_out = rss;
  return TRUE;
}

/* ---- starts in parallel ---------------------------------------------------- */

typedef struct
{
  const Problem *pr;
  guint          n_starts;
  const double  *starts;     /* n_starts × n_params */
  double        *ends;       /* n_starts × n_params */
  double        *rss;        /* n_starts; NaN for a failed start */
  gint           next;
  GMutex         lock;
  GCond          cond;
  guint          done;
  guint          workers_left;
  gboolean       cancelled;
  GError        *first_error;
} Starts;

static gpointer
starts_worker (gpointer data)
{
  Starts *st = data;
  g_autoptr(Evaluator) ev = evaluator_new (st->pr);
  guint p = st->pr->n_params;

  for (;;)
    {
      guint s = (guint) g_atomic_int_add (&st->next, 1);
      gboolean ok;

      if (s >= st->n_starts || g_cancellable_is_cancelled (st->pr->cancellable))
        break;
      ok = fit_from (ev, st->starts + (gsize) s * p, st->ends + (gsize) s * p, &st->rss[s]);
      g_mutex_lock (&st->lock);
      if (!ok)
        st->rss[s] = NAN;
      if (ev->cancelled)
        st->cancelled = TRUE;
      if (ev->error != NULL && st->first_error == NULL)
        st->first_error = g_error_copy (ev->error);
      st->done++;
      g_cond_signal (&st->cond);
      g_mutex_unlock (&st->lock);
      if (ev->cancelled)
        break;
    }
  g_mutex_lock (&st->lock);
  st->workers_left--;
  g_cond_signal (&st->cond);
  g_mutex_unlock (&st->lock);
  return NULL;
}

static void
run_starts (Starts             *st,
            guint               threads,
            const CdFitOptions *opt)
{
  g_autoptr(GPtrArray) workers = g_ptr_array_new ();
  guint reported = G_MAXUINT;

  threads = MIN (threads, st->n_starts);
  st->workers_left = threads;
  g_mutex_init (&st->lock);
  g_cond_init (&st->cond);
  for (guint t = 0; t < threads; t++)
    g_ptr_array_add (workers, g_thread_new ("cd-fit", starts_worker, st));

  g_mutex_lock (&st->lock);
  while (st->workers_left > 0)
    {
      if (opt->progress != NULL && st->done != reported)
        {
          reported = st->done;
          g_mutex_unlock (&st->lock);
          /* The starts are most of the work; the interval stage the rest. */
          opt->progress (0.9 * reported / st->n_starts, opt->progress_data);
          g_mutex_lock (&st->lock);
          continue;
        }
      g_cond_wait (&st->cond, &st->lock);
    }
  g_mutex_unlock (&st->lock);
  for (guint t = 0; t < workers->len; t++)
    g_thread_join (g_ptr_array_index (workers, t));
  g_mutex_clear (&st->lock);
  g_cond_clear (&st->cond);
}

/* ---- uncertainty ----------------------------------------------------------- */

/* The Jacobian dr/dθ at θ by central differences (one-sided at a bound),
 * n_obs × n_params row-major. */
static gboolean
jacobian_at (Evaluator    *ev,
             const double *theta,
             double       *jac,
             GError      **error)
{
  const Problem *pr = ev->pr;
  guint n = pr->n_obs, p = pr->n_params;
  g_autofree double *fp = g_new (double, n);
  g_autofree double *fm = g_new (double, n);
  double th[CD_N_PARAMS];

  for (guint j = 0; j < p; j++)
    {
      const Range *r = &pr->range[j];
      double h = FD_STEP * MAX (fabs (theta[j]), r->box_hi - r->lo);
      double up = theta[j] + h, down = theta[j] - h;

      if (down < r->lo)
        down = theta[j];
      if (up > r->hi)
        up = theta[j];
      memcpy (th, theta, sizeof (double) * p);
      th[j] = up;
      if (!residuals_at (ev, th, fp, error))
        return FALSE;
      th[j] = down;
      if (!residuals_at (ev, th, fm, error))
        return FALSE;
      for (guint i = 0; i < n; i++)
        jac[(gsize) i * p + j] = (fp[i] - fm[i]) / (up - down);
    }
  return TRUE;
}

static char *
param_list (const Problem *pr,
            const gboolean *which)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint j = 0; j < pr->n_params; j++)
    if (which[j])
      g_ptr_array_add (names, (gpointer) cd_param_info (pr->params[j])->path);
  return cd_locale_join_list ((const char *const *) names->pdata, names->len, TRUE);
}

static void
add_warning (CdFitResult *res,
             char        *text)
{
  g_ptr_array_add (res->warnings, text);
}

/* Covariance, standard errors, Wald intervals, correlations and the
 * identifiability of each parameter, from the Jacobian J at the optimum. */
static void
wald (const Problem *pr,
      const double  *jac,
      CdFitResult   *res)
{
  guint n = pr->n_obs, p = pr->n_params;
  gsl_matrix *a = gsl_matrix_alloc (n, p);
  gsl_matrix *v = gsl_matrix_alloc (p, p);
  gsl_vector *s = gsl_vector_alloc (p);
  gsl_vector *work = gsl_vector_alloc (p);
  double norm[CD_N_PARAMS], max_norm = 0.0, s_max;
  gboolean null_param[CD_N_PARAMS] = { FALSE };
  gboolean no_effect[CD_N_PARAMS] = { FALSE };
  gboolean any_null = FALSE, any_no_effect = FALSE;
  double s2 = res->rss / res->dof;
  g_autofree double *cov = g_new0 (double, p * p);

  for (guint j = 0; j < p; j++)
    {
      double sq = 0.0;
      for (guint i = 0; i < n; i++)
        sq += jac[(gsize) i * p + j] * jac[(gsize) i * p + j];
      norm[j] = sqrt (sq);
      max_norm = MAX (max_norm, norm[j]);
    }
  for (guint j = 0; j < p; j++)
    if (!(norm[j] > 1e-12 * MAX (max_norm, 1e-300)) || max_norm == 0.0)
      {
        no_effect[j] = TRUE;
        any_no_effect = TRUE;
      }
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < p; j++)
      gsl_matrix_set (a, i, j, no_effect[j] ? 0.0 : jac[(gsize) i * p + j] / norm[j]);

  gsl_linalg_SV_decomp (a, v, s, work);
  s_max = gsl_vector_get (s, 0);
  res->condition = s_max > 0 ? s_max / gsl_vector_get (s, p - 1) : INFINITY;
  for (guint k = 0; k < p; k++)
    {
      double sk = gsl_vector_get (s, k);

      if (sk > RANK_TOL * s_max)
        {
          /* cov (scaled) += v_k v_kᵀ / s_k² */
          for (guint i = 0; i < p; i++)
            for (guint j = 0; j < p; j++)
              cov[i * p + j] += gsl_matrix_get (v, i, k) * gsl_matrix_get (v, j, k) / (sk * sk);
          continue;
        }
      /* A direction the data do not see: every parameter with a real share
       * in it is undetermined. */
      for (guint j = 0; j < p; j++)
        if (!no_effect[j] && fabs (gsl_matrix_get (v, j, k)) > 0.1)
          {
            null_param[j] = TRUE;
            any_null = TRUE;
          }
    }

  for (guint j = 0; j < p; j++)
    {
      CdFitEstimate *e = &res->estimates[j];
      const Range *r = &pr->range[j];

      e->identifiable = !null_param[j] && !no_effect[j];
      if (!e->identifiable)
        {
          e->std_error = e->ci_low = e->ci_high = NAN;
          continue;
        }
      e->std_error = sqrt (s2 * cov[j * p + j]) / norm[j];
      e->ci_low = e->estimate - res->t_quantile * e->std_error;
      e->ci_high = e->estimate + res->t_quantile * e->std_error;
      if (e->ci_low < r->lo)
        {
          e->ci_low = r->lo;
          e->reaches_bound = TRUE;
        }
      if (e->ci_high > r->hi)
        {
          e->ci_high = r->hi;
          e->reaches_bound = TRUE;
        }
    }
  for (guint i = 0; i < p; i++)
    for (guint j = 0; j < p; j++)
      {
        double c = NAN;
        if (res->estimates[i].identifiable && res->estimates[j].identifiable)
          c = cov[i * p + j] / sqrt (cov[i * p + i] * cov[j * p + j]);
        res->correlation[i * p + j] = i == j && res->estimates[i].identifiable ? 1.0 : c;
      }

  if (any_no_effect)
    {
      g_autofree char *names = param_list (pr, no_effect);
      add_warning (res, g_strdup_printf (_("%s: no effect on the observed columns at the "
                                           "estimate, so these data cannot determine it; "
                                           "observe what it acts on, or leave it out of "
                                           "the fit"), names));
    }
  if (any_null)
    {
      g_autofree char *names = param_list (pr, null_param);
      add_warning (res, g_strdup_printf (_("%s cannot be told apart by these data (the "
                                           "Jacobian is rank-deficient): only a combination "
                                           "of them is determined, and the estimates shown "
                                           "are one point of a ridge. Fix all but one of "
                                           "them, or add observations that separate them."),
                                         names));
    }

  gsl_matrix_free (a);
  gsl_matrix_free (v);
  gsl_vector_free (s);
  gsl_vector_free (work);
}

/* ---- profile likelihood ---------------------------------------------------- */

/* The smallest sum of squares with parameter j held at value; the others
 * refitted from `others` (updated in place to the refitted values, which
 * start the next point of the profile). */
static gboolean
profile_point (const Problem *pr,
               guint          j,
               double         value,
               double        *theta,
               double        *rss_out)
{
  Problem sub = *pr;
  g_autoptr(Evaluator) ev = NULL;
  double base[CD_N_PARAMS];
  double start[CD_N_PARAMS], end[CD_N_PARAMS];
  guint k = 0;

  memcpy (base, pr->base, sizeof base);
  base[pr->params[j]] = value;
  memcpy (sub.base, base, sizeof base);
  sub.n_params = 0;
  for (guint i = 0; i < pr->n_params; i++)
    if (i != j)
      {
        sub.params[sub.n_params] = pr->params[i];
        sub.range[sub.n_params] = pr->range[i];
        start[sub.n_params++] = interior (&pr->range[i], theta[i]);
      }
  ev = evaluator_new (&sub);
  if (sub.n_params == 0)
    {
      g_autofree double *f = g_new (double, pr->n_obs);
      if (!residuals_at (ev, start, f, NULL))
        return FALSE;
      *rss_out = sum_of_squares (f, pr->n_obs);
      theta[j] = value;
      return TRUE;
    }
  if (!fit_from (ev, start, end, rss_out) || ev->n_failed > 0)
    return FALSE;
  for (guint i = 0; i < pr->n_params; i++)
    theta[i] = i == j ? value : end[k++];
  return TRUE;
}

/* Walks parameter j away from the estimate in direction dir (±1) until the
 * profiled sum of squares passes `limit`, then bisects for the crossing.
 * Returns the bound when the profile stays below the limit up to it. */
static double
profile_end (const Problem *pr,
             const double  *best,
             guint          j,
             double         se_guess,
             int            dir,
             double         limit,
             gboolean      *reached_bound,
             GCancellable  *cancellable)
{
  const Range *r = &pr->range[j];
  double theta[CD_N_PARAMS];
  double inside = best[j], step = se_guess, outside = NAN, rss;
  double edge = dir < 0 ? r->lo : (isfinite (r->hi) ? r->hi : r->box_hi * 100.0);

  *reached_bound = FALSE;
  memcpy (theta, best, sizeof (double) * pr->n_params);
  for (guint it = 0; it < 40 && !g_cancellable_is_cancelled (cancellable); it++)
    {
      double value = inside + dir * step;

      if ((dir < 0 && value <= edge) || (dir > 0 && value >= edge))
        value = edge;
      if (!profile_point (pr, j, value, theta, &rss))
        return NAN;
      if (rss > limit)
        {
          outside = value;
          break;
        }
      inside = value;
      if (value == edge)
        {
          *reached_bound = TRUE;
          return edge;
        }
      step *= 2.0;
    }
  if (isnan (outside))
    return NAN;
  memcpy (theta, best, sizeof (double) * pr->n_params);
  for (guint it = 0; it < 30 && !g_cancellable_is_cancelled (cancellable); it++)
    {
      double mid = (inside + outside) / 2.0;

      if (!profile_point (pr, j, mid, theta, &rss))
        return NAN;
      if (rss > limit)
        outside = mid;
      else
        inside = mid;
      /* to a thousandth of the interval's half-width: more than its
       * printed digits can carry of what 95 % means */
      if (fabs (outside - inside) <= 1e-3 * fabs (inside - best[j]))
        break;
    }
  return (inside + outside) / 2.0;
}

/* Profile-likelihood intervals: the parameter values where the sum of
 * squares, the others refitted, rises to RSS·(1 + F(0.95; 1, dof)/dof) —
 * the interval R's confint() gives for nls.  With `only_where_needed`,
 * the Wald interval is kept where the model is close enough to linear to
 * deserve it: at each of its ends (not cut at a bound) the profiled sum of
 * squares must have risen by between 2/3 and 3/2 of the threshold's rise,
 * which it does exactly for a linear model (F(1, dof) = t²).  Elsewhere
 * the Wald interval would misstate the uncertainty, and the profile's is
 * given instead. */
static void
profile (const Problem *pr,
         const double  *best,
         CdFitResult   *res,
         gboolean       only_where_needed,
         GCancellable  *cancellable)
{
  double limit = res->rss * (1.0 + gsl_cdf_fdist_Pinv (0.95, 1, res->dof) / res->dof);

  for (guint j = 0; j < pr->n_params; j++)
    {
      CdFitEstimate *e = &res->estimates[j];
      const Range *r = &pr->range[j];
      double guess = isfinite (e->std_error) && e->std_error > 0
                     ? e->std_error : 0.05 * (r->box_hi - r->lo);
      gboolean lo_bound, hi_bound;

      if (!e->identifiable || g_cancellable_is_cancelled (cancellable))
        continue;
      if (only_where_needed)
        {
          const double ends[2] = { e->ci_low, e->ci_high };
          gboolean linear = TRUE;

          for (guint side = 0; side < 2; side++)
            {
              double theta[CD_N_PARAMS], rss, rise;

              e->wald_check[side] = NAN;
              if (ends[side] <= r->lo || ends[side] >= r->hi)
                continue;   /* cut at a bound: nothing to compare */
              memcpy (theta, best, sizeof (double) * pr->n_params);
              if (!profile_point (pr, j, ends[side], theta, &rss))
                {
                  linear = FALSE;
                  continue;
                }
              rise = (rss - res->rss) / (limit - res->rss);
              e->wald_check[side] = rise;
              if (!(rise >= 2.0 / 3.0 && rise <= 1.5))
                linear = FALSE;
            }
          if (linear)
            continue;
        }
      e->method = CD_FIT_INTERVALS_PROFILE;
      e->ci_low = profile_end (pr, best, j, guess, -1, limit, &lo_bound, cancellable);
      e->ci_high = profile_end (pr, best, j, guess, +1, limit, &hi_bound, cancellable);
      e->reaches_bound = lo_bound || hi_bound;
      if (hi_bound && !isfinite (r->hi))
        e->ci_high = INFINITY;
    }
}

/* ---- the fit ----------------------------------------------------------------- */

static gboolean
problem_init (Problem          *pr,
              const CdModel    *model,
              int               scenario,
              const CdObserved *obs,
              const CdParam    *params,
              guint             n_params,
              GCancellable     *cancellable,
              GError          **error)
{
  gboolean seen[CD_N_PARAMS] = { FALSE };
  guint n = 0;

  pr->obs = obs;
  pr->cancellable = cancellable;
  if (n_params == 0)
    {
      g_set_error_literal (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                           _("name at least one parameter to fit"));
      return FALSE;
    }
  if (n_params > CD_N_PARAMS)
    {
      /* then one is named twice: the model has no more */
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   _("more parameters named than the model has (%u)"), (guint) CD_N_PARAMS);
      return FALSE;
    }
  for (guint j = 0; j < n_params; j++)
    {
      const CdParamInfo *info = cd_param_info (params[j]);
      Range *r = &pr->range[j];

      if (seen[params[j]])
        {
          g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                       _("%s is named twice"), info->path);
          return FALSE;
        }
      seen[params[j]] = TRUE;
      pr->params[j] = params[j];
      r->lo = info->bound == CD_BOUND_POSITIVE ? 1e-3 * cd_param_upper (params[j]) : 0.0;
      r->hi = info->bound == CD_BOUND_UNIT ? 1.0 : INFINITY;
      r->box_hi = cd_param_upper (params[j]);
    }
  pr->n_params = n_params;

  pr->model = cd_model_apply_scenario (model, scenario, error);
  if (pr->model == NULL)
    return FALSE;
  pr->ov = cd_param_overlay_new (pr->model, error);
  if (pr->ov == NULL)
    return FALSE;
  memcpy (pr->base, cd_param_overlay_base_values (pr->ov), sizeof pr->base);

  pr->times = cd_observed_times (obs, &pr->n_times, &pr->row_time);
  pr->obs_cell = g_new (guint, MAX (obs->n_values, 1));
  for (guint cell = 0; cell < obs->n_rows * obs->n_columns; cell++)
    if (!isnan (obs->values[cell]))
      pr->obs_cell[n++] = cell;
  pr->n_obs = n;
  if (pr->n_obs <= pr->n_params)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_INVALID,
                   ngettext ("%u observation cannot determine %u parameters with any "
                             "uncertainty; there must be more observations than parameters",
                             "%u observations cannot determine %u parameters with any "
                             "uncertainty; there must be more observations than parameters",
                             pr->n_obs), pr->n_obs, pr->n_params);
      return FALSE;
    }
  return TRUE;
}

void
cd_fit_result_free (CdFitResult *res)
{
  if (res == NULL)
    return;
  g_free (res->estimates);
  g_free (res->correlation);
  g_free (res->column_rms);
  g_free (res->fitted);
  g_clear_pointer (&res->warnings, g_ptr_array_unref);
  g_free (res);
}

CdFitResult *
cd_fit (const CdModel      *model,
        int                 scenario,
        const CdObserved   *obs,
        const CdParam      *params,
        guint               n_params,
        const CdFitOptions *options,
        GCancellable       *cancellable,
        GError            **error)
{
  CdFitOptions defaults = CD_FIT_OPTIONS_INIT;
  const CdFitOptions *opt = options != NULL ? options : &defaults;
  Problem pr = { 0 };
  Starts st = { 0 };
  g_autoptr(CdFitResult) res = NULL;
  g_autoptr(Evaluator) ev = NULL;
  g_autofree double *starts = NULL;
  g_autofree double *ends = NULL;
  g_autofree double *rss = NULL;
  g_autofree double *jac = NULL;
  g_autofree double *f = NULL;
  gsl_qrng *sobol;
  guint n_starts, p, best = G_MAXUINT, threads;
  double best_theta[CD_N_PARAMS];
  gboolean at_bound[CD_N_PARAMS] = { FALSE };
  gboolean reaches[CD_N_PARAMS] = { FALSE };
  gboolean any_at_bound = FALSE, any_reaches = FALSE;

  g_return_val_if_fail (model != NULL && obs != NULL && obs->bound, NULL);
  g_return_val_if_fail (params != NULL || n_params == 0, NULL);

  gsl_set_error_handler_off ();
  if (!problem_init (&pr, model, scenario, obs, params, n_params, cancellable, error))
    {
      problem_clear (&pr);
      return NULL;
    }
  p = pr.n_params;
  n_starts = opt->n_starts > 0 ? MIN (opt->n_starts, CD_FIT_MAX_STARTS) : CD_FIT_DEFAULT_STARTS;

  /* Start 0: the model's values; then Sobol points in the start box. */
  starts = g_new (double, (gsize) n_starts * p);
  for (guint j = 0; j < p; j++)
    starts[j] = interior (&pr.range[j], pr.base[pr.params[j]]);
  sobol = gsl_qrng_alloc (gsl_qrng_sobol, p);
  for (guint s = 1; s < n_starts; s++)
    {
      double point[CD_N_PARAMS];

      gsl_qrng_get (sobol, point);
      for (guint j = 0; j < p; j++)
        {
          const Range *r = &pr.range[j];
          starts[(gsize) s * p + j] = interior (r, r->lo + point[j] * (r->box_hi - r->lo));
        }
    }
  gsl_qrng_free (sobol);

  ends = g_new (double, (gsize) n_starts * p);
  rss = g_new (double, n_starts);
  st.pr = &pr;
  st.n_starts = n_starts;
  st.starts = starts;
  st.ends = ends;
  st.rss = rss;
  threads = opt->threads > 0 ? opt->threads : g_get_num_processors ();
  run_starts (&st, MAX (threads, 1), opt);
  if (st.cancelled || g_cancellable_is_cancelled (cancellable))
    {
      g_clear_error (&st.first_error);
      problem_clear (&pr);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }

  res = g_new0 (CdFitResult, 1);
  res->warnings = g_ptr_array_new_with_free_func (g_free);
  res->n_starts = n_starts;
  for (guint s = 0; s < n_starts; s++)
    {
      if (isnan (rss[s]))
        res->n_failed++;
      else if (best == G_MAXUINT || rss[s] < rss[best])
        best = s;
    }
  if (best == G_MAXUINT)
    {
      g_set_error (error, CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED,
                   _("no start could be run: %s"),
                   st.first_error ? st.first_error->message : "");
      g_clear_error (&st.first_error);
      problem_clear (&pr);
      return NULL;
    }
  g_clear_error (&st.first_error);
  res->worst_local = NAN;
  for (guint s = 0; s < n_starts; s++)
    {
      if (isnan (rss[s]))
        continue;
      /* The same minimum, reached to within what the convergence tolerances
       * and the integrator's error allow. */
      if (rss[s] - rss[best] <= 1e-3 * rss[best] + 1e-12 * pr.n_obs)
        res->n_best++;
      else if (isnan (res->worst_local) || rss[s] > res->worst_local)
        res->worst_local = rss[s];
    }
  memcpy (best_theta, ends + (gsize) best * p, sizeof (double) * p);

  /* Uncertainty at the optimum. */
  ev = evaluator_new (&pr);
  jac = g_new (double, (gsize) pr.n_obs * p);
  f = g_new (double, pr.n_obs);
  if (!residuals_at (ev, best_theta, f, error) || !jacobian_at (ev, best_theta, jac, error))
    {
      problem_clear (&pr);
      return NULL;
    }
  res->n_params = p;
  res->estimates = g_new0 (CdFitEstimate, p);
  res->correlation = g_new (double, p * p);
  res->n_observations = pr.n_obs;
  res->dof = pr.n_obs - p;
  res->rss = sum_of_squares (f, pr.n_obs);
  res->rms = sqrt (res->rss / pr.n_obs);
  res->t_quantile = gsl_cdf_tdist_Pinv (0.975, res->dof);
  res->intervals = opt->intervals;
  for (guint j = 0; j < p; j++)
    {
      const Range *r = &pr.range[j];
      double tol = 1e-6 * (r->box_hi - r->lo);

      res->estimates[j].param = pr.params[j];
      res->estimates[j].estimate = best_theta[j];
      res->estimates[j].method = CD_FIT_INTERVALS_WALD;
      res->estimates[j].wald_check[0] = res->estimates[j].wald_check[1] = NAN;
      res->estimates[j].at_bound = best_theta[j] <= r->lo + tol || best_theta[j] >= r->hi - tol;
    }
  wald (&pr, jac, res);
  if (opt->progress != NULL)
    opt->progress (0.92, opt->progress_data);
  if (opt->intervals != CD_FIT_INTERVALS_WALD)
    {
      profile (&pr, best_theta, res, opt->intervals == CD_FIT_INTERVALS_AUTO, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          problem_clear (&pr);
          return NULL;
        }
    }

  /* The model at each observation, and each column's RMS. */
  res->fitted = g_new (double, MAX ((gsize) obs->n_rows * obs->n_columns, 1));
  res->column_rms = g_new0 (double, obs->n_columns);
  for (guint cell = 0; cell < obs->n_rows * obs->n_columns; cell++)
    res->fitted[cell] = NAN;
  for (guint i = 0; i < pr.n_obs; i++)
    {
      guint cell = pr.obs_cell[i];
      res->fitted[cell] = obs->values[cell] + f[i];
      res->column_rms[cell % obs->n_columns] += f[i] * f[i];
    }
  for (guint c = 0; c < obs->n_columns; c++)
    res->column_rms[c] = sqrt (res->column_rms[c] / MAX (obs->columns[c].n_values, 1));

  for (guint j = 0; j < p; j++)
    {
      at_bound[j] = res->estimates[j].at_bound;
      reaches[j] = res->estimates[j].reaches_bound && !at_bound[j];
      any_at_bound |= at_bound[j];
      any_reaches |= reaches[j];
    }
  if (any_at_bound)
    {
      g_autofree char *names = param_list (&pr, at_bound);
      add_warning (res, g_strdup_printf (_("%s: the estimate is at the end of the valid "
                                           "range; the data push it past what the model "
                                           "allows, so the interval is one-sided and the "
                                           "model may be missing something"), names));
    }
  if (any_reaches)
    {
      g_autofree char *names = param_list (&pr, reaches);
      add_warning (res, g_strdup_printf (_("%s: the 95 %% interval reaches the end of the "
                                           "valid range, where it is cut; the data do not "
                                           "bound the parameter on that side"), names));
    }
  for (guint i = 0; i < p; i++)
    for (guint j = i + 1; j < p; j++)
      {
        double c = res->correlation[i * p + j];
        if (isfinite (c) && fabs (c) > HIGH_CORRELATION)
          add_warning (res, g_strdup_printf (_("%s and %s are strongly correlated (r = %.3f): "
                                               "the data determine them mostly together"),
                                             cd_param_info (pr.params[i])->path,
                                             cd_param_info (pr.params[j])->path, c));
      }
  if (opt->progress != NULL)
    opt->progress (1.0, opt->progress_data);
  problem_clear (&pr);
  return g_steal_pointer (&res);
}

CdModel *
cd_fit_apply (const CdModel     *model,
              int                scenario,
              const CdFitResult *res)
{
  CdModel *copy = cd_model_copy (model);

  g_return_val_if_fail (scenario >= -1 && scenario < (int) model->scenarios->len, copy);
  for (guint j = 0; j < res->n_params; j++)
    {
      const CdFitEstimate *e = &res->estimates[j];
      if (scenario < 0)
        copy->params.values[e->param] = e->estimate;
      else
        {
          CdScenario *sc = g_ptr_array_index (copy->scenarios, scenario);
          sc->param_set[e->param] = TRUE;
          sc->param_value[e->param] = e->estimate;
        }
    }
  return copy;
}

CdScenario *
cd_fit_to_scenario (const CdModel     *model,
                    int                scenario,
                    const CdFitResult *res,
                    const char        *name)
{
  CdParam params[CD_N_PARAMS];
  double values[CD_N_PARAMS];

  g_return_val_if_fail (res->n_params <= CD_N_PARAMS, NULL);
  for (guint j = 0; j < res->n_params; j++)
    {
      params[j] = res->estimates[j].param;
      values[j] = res->estimates[j].estimate;
    }
  return cd_scenario_with_values (model, scenario, name, params, values, res->n_params);
}
