/* cd-analysis.c — outcomes, parameter overlays and the parallel batch runner.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-analysis.h"
#include "cd-system-private.h"

G_DEFINE_QUARK (cd-analysis-error-quark, cd_analysis_error)

typedef struct
{
  CdOutcome *out;
  double    *mean_series;
  double    *loss_series;
} OutcomeCollect;

static gboolean
collect_outcome (const CdSample *s,
                 gpointer        user_data,
                 GError        **error)
{
  OutcomeCollect *c = user_data;
  CdOutcome *o = c->out;

  if (s->index == 0 || s->mean_coordination > o->peak_mean)
    {
      o->peak_mean = s->mean_coordination;
      o->t_peak = s->t;
    }
  if (!o->reached_half && s->mean_coordination >= 0.5)
    {
      o->reached_half = TRUE;
      o->time_to_half = s->t;
    }
  o->final_mean = s->mean_coordination;
  o->total_loss = s->loss;
  if (c->mean_series)
    c->mean_series[s->index] = s->mean_coordination;
  if (c->loss_series)
    c->loss_series[s->index] = s->loss;
  return TRUE;
}

static gboolean
run_outcome (const CdSystem *sys,
             CdOutcome      *out,
             double         *mean_series,
             double         *loss_series,
             GCancellable   *cancellable,
             GError        **error)
{
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  OutcomeCollect c = { out, mean_series, loss_series };

  memset (out, 0, sizeof *out);
  return cd_simulate (sys, &options, collect_outcome, &c, cancellable, error);
}

gboolean
cd_outcome_of_system (const CdSystem *sys,
                      CdOutcome      *out,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_return_val_if_fail (sys != NULL && out != NULL, FALSE);
  return run_outcome (sys, out, NULL, NULL, cancellable, error);
}

/* ---- overlays ------------------------------------------------------------- */

struct _CdParamOverlay
{
  CdSystem *sys;
  double    base[CD_N_PARAMS];
  guint8   *set_by_intervention;   /* n_pieces × CD_N_PARAMS */
  guint     n_samples;
};

CdParamOverlay *
cd_param_overlay_new (const CdModel *model,
                      GError       **error)
{
  g_autoptr(CdParamOverlay) ov = g_new0 (CdParamOverlay, 1);
  g_autoptr(GPtrArray) sorted = NULL;
  guint next = 0;
  guint8 set[CD_N_PARAMS] = { 0 };

  g_return_val_if_fail (model != NULL, NULL);

  ov->sys = cd_system_new (model, error);
  if (ov->sys == NULL)
    return NULL;
  memcpy (ov->base, model->params.values, sizeof ov->base);
  ov->n_samples = cd_run_n_samples (model->sim.t_end, model->sim.dt);

  /* Which parameters an intervention has set by each piece's start: those
   * keep the piece's own value whatever the run chooses. */
  sorted = cd_model_sorted_interventions (model);
  ov->set_by_intervention = g_new0 (guint8, (gsize) ov->sys->n_pieces * CD_N_PARAMS);
  for (guint p = 0; p < ov->sys->n_pieces; p++)
    {
      while (next < sorted->len
             && ((CdIntervention *) g_ptr_array_index (sorted, next))->at
                <= ov->sys->pieces[p].t_start)
        {
          const CdIntervention *iv = g_ptr_array_index (sorted, next++);
          for (guint s = 0; s < iv->settings->len; s++)
            set[g_array_index (iv->settings, CdSetting, s).param] = 1;
        }
      memcpy (ov->set_by_intervention + (gsize) p * CD_N_PARAMS, set, sizeof set);
    }
  return g_steal_pointer (&ov);
}

void
cd_param_overlay_free (CdParamOverlay *ov)
{
  if (ov == NULL)
    return;
  g_clear_pointer (&ov->sys, cd_system_free);
  g_free (ov->set_by_intervention);
  g_free (ov);
}

const CdSystem *
cd_param_overlay_get_system (const CdParamOverlay *ov)
{
  return ov->sys;
}

const double *
cd_param_overlay_base_values (const CdParamOverlay *ov)
{
  return ov->base;
}

guint
cd_param_overlay_n_samples (const CdParamOverlay *ov)
{
  return ov->n_samples;
}

void
cd_param_overlay_view (const CdParamOverlay *ov,
                       const double         *values,
                       CdPiece              *pieces,
                       CdSystem             *view)
{
  g_return_if_fail (ov != NULL && values != NULL && pieces != NULL && view != NULL);

  memcpy (pieces, ov->sys->pieces, sizeof (CdPiece) * ov->sys->n_pieces);
  for (guint p = 0; p < ov->sys->n_pieces; p++)
    {
      const guint8 *set = ov->set_by_intervention + (gsize) p * CD_N_PARAMS;
      for (guint k = 0; k < CD_N_PARAMS; k++)
        if (!set[k])
          pieces[p].params[k] = values[k];
    }
  *view = *ov->sys;
  view->pieces = pieces;
}

gboolean
cd_param_overlay_run (const CdParamOverlay *ov,
                      const double         *values,
                      CdOutcome            *out,
                      double               *mean_series,
                      double               *loss_series,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autofree CdPiece *pieces = NULL;
  CdSystem view;

  g_return_val_if_fail (ov != NULL && values != NULL && out != NULL, FALSE);

  pieces = g_new (CdPiece, ov->sys->n_pieces);
  cd_param_overlay_view (ov, values, pieces, &view);
  return run_outcome (&view, out, mean_series, loss_series, cancellable, error);
}

/* ---- the batch runner ----------------------------------------------------- */

typedef struct
{
  const CdParamOverlay *ov;
  guint                 n_runs;
  const double         *values;
  CdOutcome            *outcomes;
  double               *mean_series;
  double               *loss_series;
  GCancellable         *cancellable;

  gint                  next;        /* atomic: the next run to take */
  GMutex                lock;
  GCond                 cond;
  guint                 done;
  guint                 workers_left;
  gboolean              stop;
  GError               *error;       /* the first failure */
} Batch;

static gpointer
batch_worker (gpointer data)
{
  Batch *b = data;

  for (;;)
    {
      guint i = (guint) g_atomic_int_add (&b->next, 1);
      g_autoptr(GError) error = NULL;
      gboolean ok, stop;
      gsize ns = b->ov->n_samples;

      g_mutex_lock (&b->lock);
      stop = b->stop;
      g_mutex_unlock (&b->lock);
      if (stop || i >= b->n_runs)
        break;

      ok = cd_param_overlay_run (b->ov, b->values + (gsize) i * CD_N_PARAMS, &b->outcomes[i],
                                 b->mean_series ? b->mean_series + i * ns : NULL,
                                 b->loss_series ? b->loss_series + i * ns : NULL,
                                 b->cancellable, &error);
      g_mutex_lock (&b->lock);
      if (!ok && !b->stop)
        {
          b->stop = TRUE;
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            b->error = g_steal_pointer (&error);
          else
            b->error = g_error_new (CD_ANALYSIS_ERROR, CD_ANALYSIS_ERROR_FAILED, "run %u: %s",
                                    i, error->message);
        }
      b->done++;
      g_cond_signal (&b->cond);
      g_mutex_unlock (&b->lock);
    }

  g_mutex_lock (&b->lock);
  b->workers_left--;
  g_cond_signal (&b->cond);
  g_mutex_unlock (&b->lock);
  return NULL;
}

gboolean
cd_param_overlay_run_batch (const CdParamOverlay *ov,
                            guint                 n_runs,
                            const double         *values,
                            guint                 threads,
                            CdOutcome            *outcomes,
                            double               *mean_series,
                            double               *loss_series,
                            CdProgressFunc        progress,
                            gpointer              progress_data,
                            GCancellable         *cancellable,
                            GError              **error)
{
  Batch b = { 0 };
  g_autoptr(GPtrArray) workers = g_ptr_array_new ();
  guint reported = G_MAXUINT;

  g_return_val_if_fail (ov != NULL, FALSE);
  g_return_val_if_fail (n_runs == 0 || (values != NULL && outcomes != NULL), FALSE);

  if (n_runs == 0)
    return TRUE;
  if (threads == 0)
    threads = g_get_num_processors ();
  threads = MIN (threads, n_runs);

  b.ov = ov;
  b.n_runs = n_runs;
  b.values = values;
  b.outcomes = outcomes;
  b.mean_series = mean_series;
  b.loss_series = loss_series;
  b.cancellable = cancellable;
  b.workers_left = threads;
  g_mutex_init (&b.lock);
  g_cond_init (&b.cond);

  for (guint t = 0; t < threads; t++)
    g_ptr_array_add (workers, g_thread_new ("cd-analysis", batch_worker, &b));

  g_mutex_lock (&b.lock);
  while (b.workers_left > 0)
    {
      if (progress && b.done != reported)
        {
          reported = b.done;
          g_mutex_unlock (&b.lock);
          progress ((double) reported / n_runs, progress_data);
          g_mutex_lock (&b.lock);
          continue;
        }
      g_cond_wait (&b.cond, &b.lock);
    }
  g_mutex_unlock (&b.lock);
  for (guint t = 0; t < workers->len; t++)
    g_thread_join (g_ptr_array_index (workers, t));
  g_mutex_clear (&b.lock);
  g_cond_clear (&b.cond);

  if (b.error)
    {
      g_propagate_error (error, b.error);
      return FALSE;
    }
  if (progress && reported != n_runs)
    progress (1.0, progress_data);
  return TRUE;
}

/* ---- small helpers -------------------------------------------------------- */

double
cd_quantile_sorted (const double *sorted,
                    gsize         n,
                    double        p)
{
  double h, lo;
  gsize i;

  g_return_val_if_fail (n > 0, 0.0);
  p = CLAMP (p, 0.0, 1.0);
  h = (n - 1) * p;
  lo = floor (h);
  i = (gsize) lo;
  if (i + 1 >= n)
    return sorted[n - 1];
  return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

double
cd_param_clamp (CdParam param,
                double  value)
{
  const CdParamInfo *info = cd_param_info (param);

  if (!(value > 0.0))
    value = 0.0;
  if (info->bound == CD_BOUND_UNIT && value > 1.0)
    value = 1.0;
  /* A positive parameter (rationality, rate) must stay away from 0: a tiny
   * fraction of its explored range stands in for "as low as it goes". */
  if (info->bound == CD_BOUND_POSITIVE && value < 1e-3 * cd_param_upper (param))
    value = 1e-3 * cd_param_upper (param);
  return value;
}
