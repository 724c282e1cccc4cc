/* cd-runner.c — background simulation (see cd-runner.h).
 *
 * A preview differs from the exact run in three ways, each measured on the
 * national model (bench-live --national, bench/README.md):
 *
 * - it keeps about PREVIEW_INTERVALS samples instead of every dt: every
 *   m-th of the exact run's sample times, the two either side of each
 *   breakpoint (where the curves bend), the last, and the one on screen.
 *   Those are the exact run's own times k·dt, so the time series is the
 *   exact one's polyline with fewer corners, and the canvas and the force
 *   diagram show the very time they will show after the release.  Keeping
 *   every sample with its forces is what made a national re-run cost half
 *   a second: 108 MB written per run.
 * - its tolerances are at least PREVIEW_RTOL and PREVIEW_ATOL, which take
 *   fewer steps; the difference from the exact run is bench-live's
 *   "preview error" (below a pixel and a colour step on the national model).
 * - it writes into the arrays of the preview before it (a spare kept
 *   while previews come, let go with the first exact request), so the
 *   pages are not faulted in again on every move.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cd-runner.h"
#include "cd-worker.h"

#define PREVIEW_INTERVALS 120
#define PREVIEW_RTOL      1e-5
#define PREVIEW_ATOL      1e-8
/* Exact runs quicker than this (wall) are not worth previewing. */
#define PREVIEW_WORTH_US  (40 * G_TIME_SPAN_MILLISECOND)

/* The spare arrays for the next preview (see above).  One for the process:
 * the window's runner is the only one that previews. */
static GMutex        spare_lock;
static CdTrajectory *spare;
static gboolean      spare_wanted;

static CdTrajectory *
take_spare (void)
{
  CdTrajectory *traj;

  g_mutex_lock (&spare_lock);
  traj = g_steal_pointer (&spare);
  g_mutex_unlock (&spare_lock);
  return traj;
}

/* Keeps traj as the spare while previews are wanted, else frees it. */
static void
give_spare (CdTrajectory *traj)
{
  g_mutex_lock (&spare_lock);
  if (spare_wanted && spare == NULL)
    spare = g_steal_pointer (&traj);
  g_mutex_unlock (&spare_lock);
  cd_trajectory_free (traj);
}

static void
set_spare_wanted (gboolean wanted)
{
  CdTrajectory *traj = NULL;

  g_mutex_lock (&spare_lock);
  spare_wanted = wanted;
  if (!wanted)
    traj = g_steal_pointer (&spare);
  g_mutex_unlock (&spare_lock);
  cd_trajectory_free (traj);
}

struct _CdRun_priv
{
  CdRun public;
  gint  ref_count;
};

typedef struct _CdRun_priv RunPriv;

CdRun *
cd_run_ref (CdRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);
  g_atomic_int_inc (&((RunPriv *) run)->ref_count);
  return run;
}

void
cd_run_unref (CdRun *run)
{
  g_return_if_fail (run != NULL);
  if (!g_atomic_int_dec_and_test (&((RunPriv *) run)->ref_count))
    return;
  if (run->preview)
    give_spare (g_steal_pointer (&run->trajectory));
  g_clear_pointer (&run->trajectory, cd_trajectory_free);
  g_clear_pointer (&run->system, cd_system_free);
  g_clear_pointer (&run->model, cd_model_free);
  g_free (run);
}

struct _CdRunner
{
  GObject       parent_instance;

  CdRun        *run;
  CdWorker     *worker;        /* of the run in progress */
  gboolean      worker_preview; /* it is a preview */
  CdModel      *queued;        /* a preview asked for while one was running */
  double        queued_t;
  gint64        exact_us;      /* how long the last exact run took; 0: none yet */
  double        progress;
  char         *error;
  guint         n_delivered;
  gboolean      running;
  gboolean      outdated;      /* run is not of the newest request */
};

G_DEFINE_FINAL_TYPE (CdRunner, cd_runner, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_PROGRESS,
  PROP_ERROR,
  PROP_OUTDATED,
  PROP_PREVIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  RUN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A request: the model copied on the main thread, and the run made of it. */
typedef struct
{
  CdModel *model;
  CdRun   *run;
  double   t_shown;    /* previews: the time on screen */
  gint64   wall_us;    /* exact runs: how long it took */
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_pointer (&job->model, cd_model_free);
  g_clear_pointer (&job->run, cd_run_unref);
  g_free (job);
}

static void
set_running (CdRunner *self,
             gboolean  running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_progress (CdRunner *self,
              double    progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_outdated (CdRunner *self,
              gboolean  outdated)
{
  if (self->outdated == outdated)
    return;
  self->outdated = outdated;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTDATED]);
}

static void
set_error (CdRunner   *self,
           const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* The job's result: its model, with the system and trajectory made of it. */
static void
job_set_run (Job          *job,
             CdSystem     *system,
             CdTrajectory *trajectory,
             gboolean      preview)
{
  RunPriv *priv = g_new0 (RunPriv, 1);

  priv->ref_count = 1;
  priv->public.model = g_steal_pointer (&job->model);
  priv->public.system = system;
  priv->public.trajectory = trajectory;
  priv->public.preview = preview;
  job->run = &priv->public;
}

static gboolean
run_thread (CdWorker      *worker,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = data;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  g_autoptr (CdSystem) system = NULL;
  CdTrajectory *trajectory;
  gint64 start = g_get_monotonic_time ();

  system = cd_system_new (job->model, error);
  if (system == NULL)
    return FALSE;
  options.forces = TRUE;
  options.trust = TRUE;
  options.progress = cd_worker_report_progress;
  options.progress_data = worker;
  trajectory = cd_simulate_trajectory (system, &options, cancellable, error);
  if (trajectory == NULL)
    return FALSE;
  job_set_run (job, g_steal_pointer (&system), trajectory, FALSE);
  job->wall_us = g_get_monotonic_time () - start;
  return TRUE;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (x > y) - (x < y);
}

/* The exact run's sample k·dt at or just before t, as
 * cd_trajectory_index_at() would find it in the exact run. */
static guint
exact_index_at (double t,
                double dt,
                guint  n_exact)
{
  double k = floor (t / dt);

  if (!(k >= 0))
    return 0;
  if (k >= n_exact - 1)
    return n_exact - 1;
  while (k + 1 < n_exact && (k + 1) * dt <= t)
    k++;
  while (k > 0 && k * dt > t)
    k--;
  return (guint) k;
}

/* The preview's sample times (see the top of this file). */
static double *
preview_times (const CdSystem *system,
               double          t_shown,
               guint          *n_times)
{
  const CdSimSettings *sim = cd_system_get_sim (system);
  guint n_exact = cd_run_n_samples (sim->t_end, sim->dt);
  guint stride = MAX ((n_exact - 1 + PREVIEW_INTERVALS - 1) / PREVIEW_INTERVALS, 1);
  g_autoptr (GArray) ks = g_array_new (FALSE, FALSE, sizeof (guint));
  double *times;
  guint n = 0, k;

  for (k = 0; k < n_exact; k += stride)
    g_array_append_val (ks, k);
  k = n_exact - 1;
  g_array_append_val (ks, k);
  for (guint p = 1; p < cd_system_get_n_pieces (system); p++)
    {
      k = exact_index_at (cd_system_get_piece (system, p)->t_start, sim->dt, n_exact);
      g_array_append_val (ks, k);
      if (k + 1 < n_exact)
        {
          k++;
          g_array_append_val (ks, k);
        }
    }
  k = exact_index_at (t_shown, sim->dt, n_exact);
  g_array_append_val (ks, k);
  g_array_sort (ks, compare_uint);
  times = g_new (double, ks->len);
  for (guint i = 0; i < ks->len; i++)
    if (i == 0 || g_array_index (ks, guint, i) != g_array_index (ks, guint, i - 1))
      /* the product the engine forms for its own sample k */
      times[n++] = g_array_index (ks, guint, i) * sim->dt;
  *n_times = n;
  return times;
}

static gboolean
preview_thread (CdWorker      *worker,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Job *job = data;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  CdSimSettings exact = job->model->sim;
  g_autoptr (CdSystem) system = NULL;
  g_autofree double *times = NULL;
  CdTrajectory *trajectory;

  job->model->sim.rtol = MAX (exact.rtol, PREVIEW_RTOL);
  job->model->sim.atol = MAX (exact.atol, PREVIEW_ATOL);
  system = cd_system_new (job->model, error);
  /* The run's model is the document's, as an exact run's would be. */
  job->model->sim = exact;
  if (system == NULL)
    return FALSE;
  times = preview_times (system, job->t_shown, &options.n_times);
  options.times = times;
  options.forces = TRUE;
  options.trust = TRUE;
  trajectory = cd_simulate_trajectory_reusing (system, &options, take_spare (), cancellable,
                                               error);
  if (trajectory == NULL)
    return FALSE;
  job_set_run (job, g_steal_pointer (&system), trajectory, TRUE);
  return TRUE;
}

static void
on_progress (CdWorker *worker,
             double    fraction,
             CdRunner *self)
{
  set_progress (self, MAX (fraction, 0.0));
}

static void start_preview (CdRunner *self,
                           CdModel  *model,
                           double    t_shown);

static void
run_done (CdWorker     *worker,
          const GError *error,
          gpointer      user_data)
{
  CdRunner *self = user_data;
  Job *job = cd_worker_get_data (worker);
  gboolean preview = self->worker_preview;

  /* A result of an older request is stale whatever it says. */
  if (worker != self->worker)
    return;
  g_signal_handlers_disconnect_by_data (worker, self);
  g_clear_object (&self->worker);
  self->worker_preview = FALSE;
  if (preview && self->queued != NULL)
    {
      /* The next move's preview starts before this one is shown: the
       * views draw while it runs. */
      start_preview (self, g_steal_pointer (&self->queued), self->queued_t);
      if (error != NULL)
        return;
    }
  else if (error != NULL && preview)
    {
      /* The exact run on release will say why; a toast per move would not. */
      set_outdated (self, self->run != NULL);
      set_running (self, FALSE);
      set_progress (self, 0.0);
      return;
    }
  if (error != NULL)
    {
      /* A failed run leaves the previous result up, now out of date. */
      set_outdated (self, self->run != NULL);
      set_running (self, FALSE);
      set_progress (self, 0.0);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      return;
    }
  set_error (self, NULL);
  if (!preview)
    self->exact_us = MAX (job->wall_us, 1);
  g_clear_pointer (&self->run, cd_run_unref);
  self->run = g_steal_pointer (&job->run);
  self->n_delivered++;
  /* Outdated before running goes down, so no one sees a stale flag flash;
   * a preview with the next one queued is out of date already. */
  set_outdated (self, self->worker != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREVIEW]);
  if (self->worker == NULL)
    {
      set_running (self, FALSE);
      set_progress (self, 1.0);
    }
  g_signal_emit (self, signals[RUN_CHANGED], 0);
}

static void
start_preview (CdRunner *self,
               CdModel  *model,
               double    t_shown)
{
  Job *job = g_new0 (Job, 1);

  job->model = model;
  job->t_shown = t_shown;
  self->worker = cd_worker_new (preview_thread, job, job_free);
  self->worker_preview = TRUE;
  set_outdated (self, self->run != NULL);
  set_running (self, TRUE);
  cd_worker_start (self->worker, G_OBJECT (self), NULL, run_done, self);
}

void
cd_runner_request_preview (CdRunner      *self,
                           const CdModel *model,
                           double         t_shown)
{
  g_return_if_fail (CD_IS_RUNNER (self));
  g_return_if_fail (model != NULL);

  if (self->exact_us > 0 && self->exact_us < PREVIEW_WORTH_US)
    {
      cd_runner_request (self, model);
      return;
    }
  set_spare_wanted (TRUE);
  if (self->worker != NULL && self->worker_preview)
    {
      /* Let the running preview finish; the newest move waits for it. */
      g_clear_pointer (&self->queued, cd_model_free);
      self->queued = cd_model_copy (model);
      self->queued_t = t_shown;
      set_outdated (self, self->run != NULL);
      return;
    }
  cd_runner_cancel (self);
  start_preview (self, cd_model_copy (model), t_shown);
}

void
cd_runner_request (CdRunner      *self,
                   const CdModel *model)
{
  Job *job;

  g_return_if_fail (CD_IS_RUNNER (self));
  g_return_if_fail (model != NULL);

  cd_runner_cancel (self);
  /* A drag is over: its spare arrays are not needed any more. */
  set_spare_wanted (FALSE);
  job = g_new0 (Job, 1);
  job->model = cd_model_copy (model);
  self->worker = cd_worker_new (run_thread, job, job_free);
  g_signal_connect (self->worker, "progress", G_CALLBACK (on_progress), self);
  set_progress (self, 0.0);
  set_outdated (self, self->run != NULL);
  set_running (self, TRUE);
  cd_worker_start (self->worker, G_OBJECT (self), NULL, run_done, self);
}

void
cd_runner_cancel (CdRunner *self)
{
  g_return_if_fail (CD_IS_RUNNER (self));

  g_clear_pointer (&self->queued, cd_model_free);
  if (self->worker != NULL)
    {
      /* Its completion will be ignored: it is no longer ours. */
      cd_worker_cancel (self->worker);
      g_signal_handlers_disconnect_by_data (self->worker, self);
      g_clear_object (&self->worker);
      self->worker_preview = FALSE;
      set_running (self, FALSE);
    }
}

static void
cd_runner_dispose (GObject *object)
{
  CdRunner *self = CD_RUNNER (object);

  if (self->worker != NULL)
    {
      cd_worker_cancel (self->worker);
      g_signal_handlers_disconnect_by_data (self->worker, self);
      g_clear_object (&self->worker);
    }
  G_OBJECT_CLASS (cd_runner_parent_class)->dispose (object);
}

static void
cd_runner_finalize (GObject *object)
{
  CdRunner *self = CD_RUNNER (object);

  g_clear_pointer (&self->run, cd_run_unref);
  g_clear_pointer (&self->queued, cd_model_free);
  g_free (self->error);
  G_OBJECT_CLASS (cd_runner_parent_class)->finalize (object);
}

static void
cd_runner_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdRunner *self = CD_RUNNER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_OUTDATED:
      g_value_set_boolean (value, self->outdated);
      break;
    case PROP_PREVIEW:
      g_value_set_boolean (value, cd_runner_get_preview (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_runner_class_init (CdRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_runner_dispose;
  object_class->finalize = cd_runner_finalize;
  object_class->get_property = cd_runner_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTDATED] =
    g_param_spec_boolean ("outdated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PREVIEW] =
    g_param_spec_boolean ("preview", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RUN_CHANGED] =
    g_signal_new ("run-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cd_runner_init (CdRunner *self)
{
}

CdRunner *
cd_runner_new (void)
{
  return g_object_new (CD_TYPE_RUNNER, NULL);
}

CdRun *
cd_runner_get_run (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), NULL);
  return self->run;
}

gboolean
cd_runner_get_running (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), FALSE);
  return self->running;
}

double
cd_runner_get_progress (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), 0.0);
  return self->progress;
}

const char *
cd_runner_get_error (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), NULL);
  return self->error;
}

gboolean
cd_runner_get_outdated (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), FALSE);
  return self->outdated;
}

guint
cd_runner_get_n_delivered (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), 0);
  return self->n_delivered;
}

gboolean
cd_runner_get_preview (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), FALSE);
  return self->run != NULL && self->run->preview;
}

gboolean
cd_runner_get_running_preview (CdRunner *self)
{
  g_return_val_if_fail (CD_IS_RUNNER (self), FALSE);
  return self->worker != NULL && self->worker_preview;
}
