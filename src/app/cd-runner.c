/* cd-runner.c — background simulation (see cd-runner.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-runner.h"

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
  GCancellable *cancellable;   /* of the run in progress */
  guint         generation;    /* of the newest request */
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

typedef struct
{
  CdRunner *runner;      /* a weak pointer would do; a ref keeps it simple */
  guint     generation;
  CdModel  *model;
  /* progress: written by the worker, read on the main thread */
  gint      progress_permille;
  guint     progress_source;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_handle_id (&job->progress_source, g_source_remove);
  g_clear_pointer (&job->model, cd_model_free);
  g_clear_object (&job->runner);
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

/* Polled on the main thread: the worker only writes an integer. */
static gboolean
poll_progress (gpointer data)
{
  Job *job = data;

  if (job->generation == job->runner->generation)
    set_progress (job->runner, g_atomic_int_get (&job->progress_permille) / 1000.0);
  return G_SOURCE_CONTINUE;
}

static void
on_worker_progress (double   fraction,
                    gpointer user_data)
{
  Job *job = user_data;

  g_atomic_int_set (&job->progress_permille, (gint) (CLAMP (fraction, 0.0, 1.0) * 1000.0));
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (CdSystem) system = NULL;
  CdTrajectory *trajectory;
  RunPriv *priv;

  if (g_task_return_error_if_cancelled (task))
    return;
  system = cd_system_new (job->model, &error);
  if (system == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  options.forces = TRUE;
  options.trust = TRUE;
  options.progress = on_worker_progress;
  options.progress_data = job;
  trajectory = cd_simulate_trajectory (system, &options, cancellable, &error);
  if (trajectory == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  priv = g_new0 (RunPriv, 1);
  priv->ref_count = 1;
  priv->public.model = g_steal_pointer (&job->model);
  priv->public.system = g_steal_pointer (&system);
  priv->public.trajectory = trajectory;
  g_task_return_pointer (task, priv, (GDestroyNotify) cd_run_unref);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  CdRunner *self = CD_RUNNER (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  CdRun *run;

  run = g_task_propagate_pointer (G_TASK (result), &error);
  /* A result of an older request is stale whatever it says. */
  if (job->generation != self->generation)
    {
      g_clear_pointer (&run, cd_run_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  if (run == NULL)
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
  self->run = run;
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
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_return_if_fail (CD_IS_RUNNER (self));
  g_return_if_fail (model != NULL);

  cd_runner_cancel (self);
  self->cancellable = g_cancellable_new ();
  self->generation++;

  job = g_new0 (Job, 1);
  job->runner = g_object_ref (self);
  job->generation = self->generation;
  job->model = cd_model_copy (model);
  job->progress_source = g_timeout_add (100, poll_progress, job);

  task = g_task_new (self, self->cancellable, run_done, NULL);
  g_task_set_source_tag (task, cd_runner_request);
  g_task_set_task_data (task, job, job_free);
  /* Cancelled runs return at once and must not keep the newest waiting. */
  g_task_set_return_on_cancel (task, FALSE);
  set_progress (self, 0.0);
  set_outdated (self, self->run != NULL);
  set_running (self, TRUE);
  g_task_run_in_thread (task, run_thread);
}

void
cd_runner_cancel (CdRunner *self)
{
  g_return_if_fail (CD_IS_RUNNER (self));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      /* Its completion will be ignored: mark it stale now. */
      self->generation++;
      set_running (self, FALSE);
    }
}

static void
cd_runner_dispose (GObject *object)
{
  CdRunner *self = CD_RUNNER (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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
