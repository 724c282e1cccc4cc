/* cd-simulate.c — piecewise adaptive integration with GSL odeiv2.
 *
 * Stepper: Dormand–Prince 8(7) (gsl_odeiv2_step_rk8pd) by default.  At the
 * default tolerances (rtol 1e-8) an 8th-order method takes steps several
 * times longer than a 4(5) pair for the same error, and the model is smooth
 * within a piece and not stiff at ordinary settings, so fewer right-hand
 * side evaluations are needed in all: bench/ measures both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "cd-simulate.h"

G_DEFINE_QUARK (cd-simulate-error-quark, cd_simulate_error)

/* Arrays larger than this are refused rather than attempted. */
#define MAX_TRAJECTORY_BYTES ((gsize) 4 << 30)

guint
cd_run_n_samples (double t_end,
                  double dt)
{
  double k = floor (t_end / dt + 1e-9);
  return k >= (double) (G_MAXUINT - 1) ? G_MAXUINT : (guint) k + 1;
}

typedef struct
{
  const CdSystem *sys;
  const CdPiece  *piece;
  CdWorkspace    *ws;
  guint64         evaluations;
} RhsData;

static int
rhs (double        t,
     const double  y[],
     double        dydt[],
     void         *data)
{
  RhsData *d = data;
  d->evaluations++;
  cd_system_evaluate (d->sys, d->piece, t, y, dydt, NULL, d->ws);
  return GSL_SUCCESS;
}

static const gsl_odeiv2_step_type *
stepper_type (CdStepper stepper)
{
  switch (stepper)
    {
    case CD_STEPPER_RKF45: return gsl_odeiv2_step_rkf45;
    case CD_STEPPER_RKCK:  return gsl_odeiv2_step_rkck;
    case CD_STEPPER_RK4:   return gsl_odeiv2_step_rk4;
    case CD_STEPPER_MSADAMS: return gsl_odeiv2_step_msadams;
    case CD_STEPPER_RK8PD:
    default:               return gsl_odeiv2_step_rk8pd;
    }
}

typedef struct
{
  gsl_odeiv2_system   ode;
  gsl_odeiv2_step    *step;
  gsl_odeiv2_control  *control;
  gsl_odeiv2_evolve  *evolve;
  double              h;
  guint64             steps;
  guint64             max_steps;
  guint64             rejected;    /* failed steps of pieces already left */
  GCancellable       *cancellable;
} Integrator;

/* Advances y from *t to t1 within one piece. */
static gboolean
integrate_to (Integrator *in,
              double     *t,
              double      t1,
              double     *y,
              GError    **error)
{
  while (*t < t1)
    {
      double h_before = in->h, t_before = *t;
      gsize failed_before = in->evolve->failed_steps;
      int status;

      if (g_cancellable_set_error_if_cancelled (in->cancellable, error))
        return FALSE;
      if (++in->steps > in->max_steps)
        {
          g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE,
                       "the integrator needed more than %" G_GUINT64_FORMAT " steps to reach "
                       "t = %g; the model is too stiff for these settings (try a lower "
                       "rationality or rate, or looser tolerances)", in->max_steps, t1);
          return FALSE;
        }
      status = gsl_odeiv2_evolve_apply (in->evolve, in->control, in->step, &in->ode, t, t1,
                                        &in->h, y);
      if (status != GSL_SUCCESS)
        {
          g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_FAILED,
                       "the integrator failed at t = %g (%s); the step size fell below "
                       "what double precision can represent", *t, gsl_strerror (status));
          return FALSE;
        }
      /* A step cut short to land on t1 says nothing about the step size the
       * dynamics allow: keep the earlier, longer proposal for the next one. */
      if (*t == t1 && in->evolve->failed_steps == failed_before && h_before > t1 - t_before)
        in->h = MAX (in->h, h_before);
    }
  return TRUE;
}

static gboolean
state_is_finite (const double *y,
                 guint         n)
{
  for (guint i = 0; i < n; i++)
    if (!isfinite (y[i]))
      return FALSE;
  return TRUE;
}

static gsize gsl_handler_set = 0;

gboolean
cd_simulate (const CdSystem     *sys,
             const CdRunOptions *options,
             CdSampleFunc        on_sample,
             gpointer            user_data,
             GCancellable       *cancellable,
             GError            **error)
{
  CdRunOptions defaults = CD_RUN_OPTIONS_INIT;
  const CdRunOptions *opt = options ? options : &defaults;
  double t_end = opt->t_end > 0 ? opt->t_end : sys->sim.t_end;
  double dt = opt->dt > 0 ? opt->dt : sys->sim.dt;
  g_autoptr(CdWorkspace) ws = cd_workspace_new (sys);
  g_autofree double *y = g_new (double, sys->n_state);
  g_autofree double *force_buf = NULL;
  CdForces forces = { 0 };
  RhsData data = { sys, &sys->pieces[0], ws };
  Integrator in = { { rhs, NULL, sys->n_state, &data } };
  guint n_samples, piece = 0;
  double t = 0.0;
  gboolean ok = TRUE;

  g_return_val_if_fail (sys != NULL, FALSE);
  g_return_val_if_fail (on_sample != NULL, FALSE);

  /* GSL aborts the process on errors unless told not to; statuses are
   * checked instead. */
  if (g_once_init_enter (&gsl_handler_set))
    {
      gsl_set_error_handler_off ();
      g_once_init_leave (&gsl_handler_set, 1);
    }

  if (!(t_end > 0 && isfinite (t_end) && dt > 0 && dt <= t_end))
    {
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_FAILED,
                   "t_end must be > 0 and dt in (0, t_end] (got t_end %g, dt %g)", t_end, dt);
      return FALSE;
    }
  n_samples = cd_run_n_samples (t_end, dt);
  if (n_samples == G_MAXUINT)
    {
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE,
                   "t_end / dt asks for more samples than can be counted");
      return FALSE;
    }
  if (opt->forces)
    {
      force_buf = g_new (double, 4 * (gsize) MAX (sys->n_nodes, 1));
      forces.gravity = force_buf;
      forces.pressure = force_buf + sys->n_nodes;
      forces.thrust = force_buf + 2 * (gsize) sys->n_nodes;
      forces.resistance = force_buf + 3 * (gsize) sys->n_nodes;
    }

  in.step = gsl_odeiv2_step_alloc (stepper_type (opt->stepper), sys->n_state);
  in.control = gsl_odeiv2_control_y_new (sys->sim.atol, sys->sim.rtol);
  in.evolve = gsl_odeiv2_evolve_alloc (sys->n_state);
  in.h = MIN (1e-3, dt);
  in.max_steps = opt->max_steps ? opt->max_steps : CD_DEFAULT_MAX_STEPS;
  in.cancellable = cancellable;

  cd_system_initial_state (sys, y);
  for (guint k = 0; ok && k < n_samples; k++)
    {
      double tk = k * dt;
      CdSample sample;

      /* Cross every breakpoint up to tk, restarting the stepper at each so
       * that no step sees the next piece's change early. */
      while (ok && piece + 1 < sys->n_pieces && sys->pieces[piece + 1].t_start <= tk)
        {
          ok = integrate_to (&in, &t, sys->pieces[piece + 1].t_start, y, error);
          piece++;
          data.piece = &sys->pieces[piece];
          in.rejected += in.evolve->failed_steps;
          gsl_odeiv2_step_reset (in.step);
          gsl_odeiv2_evolve_reset (in.evolve);
        }
      ok = ok && integrate_to (&in, &t, tk, y, error);
      if (!ok)
        break;
      if (!state_is_finite (y, sys->n_state))
        {
          g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_NOT_FINITE,
                       "the state became infinite or not a number at t = %g", tk);
          ok = FALSE;
          break;
        }

      if (opt->forces)
        cd_system_evaluate (sys, &sys->pieces[piece], tk, y, NULL, &forces, ws);
      sample.index = k;
      sample.t = tk;
      sample.mean_coordination = cd_system_mean_coordination (sys, y);
      sample.loss = y[sys->n_state - 1];
      sample.x = y;
      sample.trust = y + sys->n_nodes;
      sample.forces = opt->forces ? &forces : NULL;
      sample.piece = piece;
      ok = on_sample (&sample, user_data, error);
      if (ok && opt->progress)
        opt->progress ((double) (k + 1) / n_samples, opt->progress_data);
    }

  if (opt->stats)
    {
      opt->stats->steps = in.steps;
      opt->stats->rejected = in.rejected + in.evolve->failed_steps;
      opt->stats->evaluations = data.evaluations;
    }
  gsl_odeiv2_evolve_free (in.evolve);
  gsl_odeiv2_control_free (in.control);
  gsl_odeiv2_step_free (in.step);
  return ok;
}

/* ---- trajectories ---------------------------------------------------------- */

typedef struct
{
  CdTrajectory *traj;
  gboolean      trust;
} Collect;

static gboolean
collect_sample (const CdSample *s,
                gpointer        user_data,
                GError        **error)
{
  Collect *c = user_data;
  CdTrajectory *tr = c->traj;
  gsize n = tr->n_nodes, row = s->index;

  tr->t[row] = s->t;
  tr->mean_coordination[row] = s->mean_coordination;
  tr->loss[row] = s->loss;
  memcpy (tr->x + row * n, s->x, n * sizeof (double));
  if (tr->trust)
    memcpy (tr->trust + row * tr->n_partnerships, s->trust, tr->n_partnerships * sizeof (double));
  if (s->forces)
    {
      memcpy (tr->gravity + row * n, s->forces->gravity, n * sizeof (double));
      memcpy (tr->pressure + row * n, s->forces->pressure, n * sizeof (double));
      memcpy (tr->thrust + row * n, s->forces->thrust, n * sizeof (double));
      memcpy (tr->resistance + row * n, s->forces->resistance, n * sizeof (double));
    }
  return TRUE;
}

CdTrajectory *
cd_simulate_trajectory (const CdSystem     *sys,
                        const CdRunOptions *options,
                        GCancellable       *cancellable,
                        GError            **error)
{
  CdRunOptions defaults = CD_RUN_OPTIONS_INIT;
  const CdRunOptions *opt = options ? options : &defaults;
  double t_end = opt->t_end > 0 ? opt->t_end : sys->sim.t_end;
  double dt = opt->dt > 0 ? opt->dt : sys->sim.dt;
  g_autoptr(CdTrajectory) tr = NULL;
  Collect c;
  guint n_samples;
  double per_sample;

  g_return_val_if_fail (sys != NULL, NULL);

  n_samples = (dt > 0 && t_end >= dt && isfinite (t_end)) ? cd_run_n_samples (t_end, dt) : 1;
  per_sample = 3.0 + sys->n_nodes * (opt->forces ? 5.0 : 1.0)
               + (opt->trust ? sys->n_partnerships : 0);
  if ((double) n_samples * per_sample * sizeof (double) > (double) MAX_TRAJECTORY_BYTES)
    {
      g_set_error (error, CD_SIMULATE_ERROR, CD_SIMULATE_ERROR_TOO_LARGE,
                   "%u samples of %u governments would need more than %" G_GSIZE_FORMAT
                   " GiB of memory; use a larger dt or a shorter t_end",
                   n_samples, sys->n_nodes, MAX_TRAJECTORY_BYTES >> 30);
      return NULL;
    }

  tr = g_new0 (CdTrajectory, 1);
  tr->n_samples = n_samples;
  tr->n_nodes = sys->n_nodes;
  tr->n_partnerships = sys->n_partnerships;
  tr->t = g_new (double, n_samples);
  tr->mean_coordination = g_new (double, n_samples);
  tr->loss = g_new (double, n_samples);
  tr->x = g_new (double, (gsize) n_samples * MAX (sys->n_nodes, 1));
  if (opt->trust)
    tr->trust = g_new (double, (gsize) n_samples * MAX (sys->n_partnerships, 1));
  if (opt->forces)
    {
      tr->gravity = g_new (double, (gsize) n_samples * MAX (sys->n_nodes, 1));
      tr->pressure = g_new (double, (gsize) n_samples * MAX (sys->n_nodes, 1));
      tr->thrust = g_new (double, (gsize) n_samples * MAX (sys->n_nodes, 1));
      tr->resistance = g_new (double, (gsize) n_samples * MAX (sys->n_nodes, 1));
    }
  c.traj = tr;
  c.trust = opt->trust;
  if (!cd_simulate (sys, opt, collect_sample, &c, cancellable, error))
    return NULL;
  return g_steal_pointer (&tr);
}

void
cd_trajectory_free (CdTrajectory *tr)
{
  if (tr == NULL)
    return;
  g_free (tr->t);
  g_free (tr->mean_coordination);
  g_free (tr->loss);
  g_free (tr->x);
  g_free (tr->trust);
  g_free (tr->gravity);
  g_free (tr->pressure);
  g_free (tr->thrust);
  g_free (tr->resistance);
  g_free (tr);
}

guint
cd_trajectory_index_at (const CdTrajectory *tr,
                        double              t)
{
  guint lo = 0, hi;

  g_return_val_if_fail (tr != NULL && tr->n_samples > 0, 0);

  hi = tr->n_samples;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (tr->t[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}
