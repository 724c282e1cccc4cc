/* cd-worker.c — background work with progress and cancellation (see
 * cd-worker.h).
 *
 * A GTask runs the function in GIO's thread pool.  The task holds a
 * reference to the worker that only the completion, on the main thread,
 * drops: the worker and its data outlive the thread however early their
 * users let go, and are never finalized on a worker thread (which a
 * GTask's source object can be).  The thread writes progress into an atomic
 * integer (parts per million); a timer on the starting thread's main
 * context reads it, so no signal is ever emitted from a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-worker.h"

#define POLL_MS 100
#define PPM 1000000.0

struct _CdWorker
{
  GObject           parent_instance;

  CdWorkerFunc      func;
  gpointer          data;
  GDestroyNotify    data_free;
  GCancellable     *cancellable;
  GApplication     *app;          /* held while the work runs, or NULL */
  GObject          *owner;        /* held until done has run, or NULL */
  CdWorkerDoneFunc  done;
  gpointer          user_data;
  GSource          *poll;

  /* written by the thread function (and the engine's threads) */
  gint              ppm;          /* fraction × 10⁶, −1: unknown */
  gint              stage_start;  /* ppm */
  gint              stage_span;   /* ppm */

  /* main thread */
  double            fraction;
  gboolean          started;
  gboolean          running;
};

G_DEFINE_FINAL_TYPE (CdWorker, cd_worker, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
read_fraction (CdWorker *self)
{
  gint ppm = g_atomic_int_get (&self->ppm);

  return ppm < 0 ? -1.0 : ppm / PPM;
}

static void
update_fraction (CdWorker *self)
{
  double fraction = read_fraction (self);

  if (fraction == self->fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static gboolean
on_poll (gpointer data)
{
  CdWorker *self = data;

  update_fraction (self);
  g_signal_emit (self, signals[PROGRESS], 0, self->fraction);
  return G_SOURCE_CONTINUE;
}

static void
stop_poll (CdWorker *self)
{
  if (self->poll == NULL)
    return;
  g_source_destroy (self->poll);
  g_clear_pointer (&self->poll, g_source_unref);
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CdWorker *self = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->func (self, self->data, cancellable, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (error == NULL)
    {
      /* A function that fails must say why: the user would see nothing. */
      g_critical ("a CdWorkerFunc returned FALSE without setting an error");
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "failed");
    }
  g_task_return_error (task, error);
}

static void
worker_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr (CdWorker) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GObject) owner = g_steal_pointer (&self->owner);
  g_autoptr (GApplication) app = g_steal_pointer (&self->app);

  /* GTask turns the result of a cancelled task into G_IO_ERROR_CANCELLED. */
  g_task_propagate_boolean (G_TASK (result), &error);
  stop_poll (self);
  update_fraction (self);
  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  if (self->done != NULL)
    self->done (self, error, self->user_data);
  if (app != NULL)
    g_application_release (app);
}

CdWorker *
cd_worker_new (CdWorkerFunc   func,
               gpointer       data,
               GDestroyNotify data_free)
{
  CdWorker *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (CD_TYPE_WORKER, NULL);
  self->func = func;
  self->data = data;
  self->data_free = data_free;
  return self;
}

void
cd_worker_start (CdWorker         *self,
                 GObject          *owner,
                 GCancellable     *cancellable,
                 CdWorkerDoneFunc  done,
                 gpointer          user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GMainContext) context = NULL;

  g_return_if_fail (CD_IS_WORKER (self));
  g_return_if_fail (owner == NULL || G_IS_OBJECT (owner));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->started);

  self->started = TRUE;
  if (cancellable != NULL)
    {
      /* A cancel that came before start still counts. */
      if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
        g_cancellable_cancel (cancellable);
      g_set_object (&self->cancellable, cancellable);
    }
  else if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  self->owner = owner != NULL ? g_object_ref (owner) : NULL;
  self->done = done;
  self->user_data = user_data;
  if (self->app != NULL)
    g_application_hold (self->app);

  context = g_main_context_ref_thread_default ();
  self->poll = g_timeout_source_new (POLL_MS);
  g_source_set_callback (self->poll, on_poll, self, NULL);
  g_source_set_static_name (self->poll, "[coordyn] worker progress");
  g_source_attach (self->poll, context);

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  task = g_task_new (NULL, self->cancellable, worker_done, g_object_ref (self));
  g_task_set_source_tag (task, cd_worker_start);
  g_task_set_task_data (task, self, NULL);
  /* done must learn that the work has ended, cancelled or not. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, worker_thread);
}

void
cd_worker_cancel (CdWorker *self)
{
  g_return_if_fail (CD_IS_WORKER (self));

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  g_cancellable_cancel (self->cancellable);
}

void
cd_worker_hold_application (CdWorker     *self,
                            GApplication *app)
{
  g_return_if_fail (CD_IS_WORKER (self));
  g_return_if_fail (app == NULL || G_IS_APPLICATION (app));
  g_return_if_fail (!self->started);

  g_set_object (&self->app, app);
}

gpointer
cd_worker_get_data (CdWorker *self)
{
  g_return_val_if_fail (CD_IS_WORKER (self), NULL);
  return self->data;
}

GCancellable *
cd_worker_get_cancellable (CdWorker *self)
{
  g_return_val_if_fail (CD_IS_WORKER (self), NULL);
  return self->cancellable;
}

gboolean
cd_worker_get_running (CdWorker *self)
{
  g_return_val_if_fail (CD_IS_WORKER (self), FALSE);
  return self->running;
}

double
cd_worker_get_fraction (CdWorker *self)
{
  g_return_val_if_fail (CD_IS_WORKER (self), -1.0);
  return self->fraction;
}

void
cd_worker_set_fraction (CdWorker *self,
                        double    fraction)
{
  double start, span;

  g_return_if_fail (CD_IS_WORKER (self));

  if (fraction < 0)
    {
      g_atomic_int_set (&self->ppm, -1);
      return;
    }
  start = g_atomic_int_get (&self->stage_start) / PPM;
  span = g_atomic_int_get (&self->stage_span) / PPM;
  fraction = isfinite (fraction) ? MIN (fraction, 1.0) : 0.0;
  g_atomic_int_set (&self->ppm, (gint) lround (CLAMP (start + span * fraction, 0.0, 1.0) * PPM));
}

void
cd_worker_report_progress (double   fraction,
                           gpointer worker)
{
  cd_worker_set_fraction (worker, fraction);
}

void
cd_worker_set_stage (CdWorker *self,
                     double    start,
                     double    span)
{
  g_return_if_fail (CD_IS_WORKER (self));
  g_return_if_fail (start >= 0 && span >= 0 && start + span <= 1.0 + 1e-9);

  g_atomic_int_set (&self->stage_start, (gint) lround (start * PPM));
  g_atomic_int_set (&self->stage_span, (gint) lround (span * PPM));
  cd_worker_set_fraction (self, 0.0);
}

static void
cd_worker_dispose (GObject *object)
{
  CdWorker *self = CD_WORKER (object);

  stop_poll (self);
  G_OBJECT_CLASS (cd_worker_parent_class)->dispose (object);
}

static void
cd_worker_finalize (GObject *object)
{
  CdWorker *self = CD_WORKER (object);

  if (self->data_free != NULL)
    g_clear_pointer (&self->data, self->data_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->owner);
  g_clear_object (&self->app);
  G_OBJECT_CLASS (cd_worker_parent_class)->finalize (object);
}

static void
cd_worker_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CdWorker *self = CD_WORKER (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cd_worker_class_init (CdWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cd_worker_dispose;
  object_class->finalize = cd_worker_finalize;
  object_class->get_property = cd_worker_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every 100 ms while the work runs, with the fraction (−1: unknown). */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);
}

static void
cd_worker_init (CdWorker *self)
{
  self->stage_span = (gint) PPM;
}
