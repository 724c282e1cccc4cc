/* cd-runner.c — background simulation (see cd-runner.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-runner.h"
#include "cd-worker.h"

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
  RunPriv *priv;

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
  priv = g_new0 (RunPriv, 1);
  priv->ref_count = 1;
  priv->public.model = g_steal_pointer (&job->model);
  priv->public.system = g_steal_pointer (&system);
  priv->public.trajectory = trajectory;
  job->run = &priv->public;
  return TRUE;
}

static void
on_progress (CdWorker *worker,
             double    fraction,
             CdRunner *self)
{
  set_progress (self, MAX (fraction, 0.0));
}

static void
run_done (CdWorker     *worker,
          const GError *error,
          gpointer      user_data)
{
  CdRunner *self = user_data;
  Job *job = cd_worker_get_data (worker);

  /* A result of an older request is stale whatever it says. */
  if (worker != self->worker)
    return;
  g_signal_handlers_disconnect_by_data (worker, self);
  g_clear_object (&self->worker);
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
  g_clear_pointer (&self->run, cd_run_unref);
  self->run = g_steal_pointer (&job->run);
  self->n_delivered++;
  /* Outdated before running goes down, so no one sees a stale flag flash. */
  set_outdated (self, FALSE);
  set_running (self, FALSE);
  set_progress (self, 1.0);
  g_signal_emit (self, signals[RUN_CHANGED], 0);
}

void
cd_runner_request (CdRunner      *self,
                   const CdModel *model)
{
  Job *job;

  g_return_if_fail (CD_IS_RUNNER (self));
  g_return_if_fail (model != NULL);

  cd_runner_cancel (self);
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

  if (self->worker != NULL)
    {
      /* Its completion will be ignored: it is no longer ours. */
      cd_worker_cancel (self->worker);
      g_signal_handlers_disconnect_by_data (self->worker, self);
      g_clear_object (&self->worker);
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
