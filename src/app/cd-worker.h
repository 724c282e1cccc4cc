/* cd-worker.h — one piece of background work: a thread function that
 * reports its progress and checks for cancellation, and its outcome back
 * on the main loop.
 *
 * Every long job of the app goes through it (the runner, the analyses,
 * exports, and any pane to come), so the widgets never touch a thread and
 * no feature writes its own GTask, atomic counter and progress timer:
 *
 *   static gboolean
 *   fit_thread (CdWorker *worker, gpointer data, GCancellable *cancellable,
 *               GError **error)
 *   {
 *     FitJob *job = data;
 *
 *     job->fit = cd_fit_run (job->model, cd_worker_report_progress, worker,
 *                            cancellable, error);
 *     return job->fit != NULL;
 *   }
 *
 *   worker = cd_worker_new (fit_thread, job, fit_job_free);
 *   g_signal_connect (worker, "progress", G_CALLBACK (on_progress), self);
 *   cd_worker_start (worker, G_OBJECT (self), NULL, on_fit_done, self);
 *
 * The thread function fills in its results in `data` and returns TRUE, or
 * sets error and returns FALSE.  `done` then runs once, on the main
 * context that called cd_worker_start, with error NULL on success; the
 * results are read with cd_worker_get_data.  A worker cancelled before it
 * finished reports G_IO_ERROR_CANCELLED whatever its function returned, so
 * a result that arrives after a cancel is never taken for a fresh one.
 *
 * Progress is a fraction 0–1, or −1 when the work cannot say how far it is
 * (show a pulsing bar).  The thread sets it as often as it likes (an atomic
 * store); the main loop reads it ten times a second while the work runs and
 * emits "progress" each time, and notifies "fraction" when it changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CD_TYPE_WORKER (cd_worker_get_type ())
G_DECLARE_FINAL_TYPE (CdWorker, cd_worker, CD, WORKER, GObject)

/* Runs in a worker thread.  Fills in data, or sets error; should return
 * soon after cancellable is cancelled (the engine's functions take it). */
typedef gboolean (*CdWorkerFunc)     (CdWorker      *worker,
                                      gpointer       data,
                                      GCancellable  *cancellable,
                                      GError       **error);

/* Runs on the main loop when the work has ended: error is NULL on success,
 * G_IO_ERROR_CANCELLED if it was cancelled, else why it failed. */
typedef void     (*CdWorkerDoneFunc) (CdWorker      *worker,
                                      const GError  *error,
                                      gpointer       user_data);

/* A worker for func on data (freed with data_free when the worker goes). */
CdWorker     *cd_worker_new              (CdWorkerFunc      func,
                                          gpointer          data,
                                          GDestroyNotify    data_free);

/* Starts the work in a thread; once per worker.  owner (may be NULL) is
 * held until done has run, so done may use it even if everything else has
 * let go of it.  cancellable may be NULL: the worker then makes its own. */
void          cd_worker_start            (CdWorker         *self,
                                          GObject          *owner,
                                          GCancellable     *cancellable,
                                          CdWorkerDoneFunc  done,
                                          gpointer          user_data);

/* Asks the work to stop; done still runs, with G_IO_ERROR_CANCELLED. */
void          cd_worker_cancel           (CdWorker         *self);

/* Keeps app running (g_application_hold) from now until done has run: for
 * work that must finish cleanly even when the last window closes (a file
 * being written).  Call before cd_worker_start. */
void          cd_worker_hold_application (CdWorker         *self,
                                          GApplication     *app);

gpointer      cd_worker_get_data         (CdWorker         *self);
GCancellable *cd_worker_get_cancellable  (CdWorker         *self);
/* From start until just before done runs.  Property "running". */
gboolean      cd_worker_get_running      (CdWorker         *self);
/* The progress last seen on the main loop: 0–1, or −1 when unknown.
 * Property "fraction". */
double        cd_worker_get_fraction     (CdWorker         *self);

/* For the thread function (any thread, any number of threads at once):
 * how far the work is, 0–1, or −1 for unknown.  Within a stage (below)
 * the fraction is of the stage. */
void          cd_worker_set_fraction     (CdWorker         *self,
                                          double            fraction);
/* The same with the engine's CdProgressFunc signature (user_data: the
 * worker), to hand to the engine's analyses as they are. */
void          cd_worker_report_progress  (double            fraction,
                                          gpointer          worker);
/* Work in stages: from now on a fraction f means start + span · f of the
 * whole.  Call from the thread function between stages. */
void          cd_worker_set_stage        (CdWorker         *self,
                                          double            start,
                                          double            span);

G_END_DECLS
