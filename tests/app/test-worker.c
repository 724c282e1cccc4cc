/* test-worker.c — CdWorker: the outcome reaches the main loop once, on
 * the main thread; progress (in stages, or unknown) is seen there; a
 * cancel, early or late, reads as a cancel; errors come through; the owner
 * lives until done has run.
 *
 * No display needed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "cd-worker.h"

/* What a test's thread function does, and what the main loop saw. */
typedef struct
{
  /* set by the test before start */
  double       stage_start, stage_span, fraction;
  gboolean     fail;
  gboolean     ignore_cancel;   /* finish successfully even when cancelled */
  gint         release;         /* atomic: the thread may return */
  gint         reached;         /* atomic: the thread has set its progress */

  /* set by the thread */
  GThread     *thread;
  gboolean     ran;
  int          answer;

  /* set on the main loop */
  guint        n_done;
  guint        n_progress;
  double       last_progress;
  GThread     *done_thread;
  GError      *error;
  gboolean     running_in_done;
  gboolean     owner_alive_in_done;
  GObject     *owner;           /* weak */
} Job;

static gboolean
job_thread (CdWorker      *worker,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = data;

  job->thread = g_thread_self ();
  job->ran = TRUE;
  if (job->stage_span > 0)
    cd_worker_set_stage (worker, job->stage_start, job->stage_span);
  cd_worker_report_progress (job->fraction, worker);
  g_atomic_int_set (&job->reached, 1);
  while (!g_atomic_int_get (&job->release))
    {
      if (!job->ignore_cancel && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (1000);
    }
  if (job->fail)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no answer");
      return FALSE;
    }
  job->answer = 42;
  return TRUE;
}

static void
on_done (CdWorker     *worker,
         const GError *error,
         gpointer      user_data)
{
  Job *job = user_data;

  g_assert_true (cd_worker_get_data (worker) == job);
  job->n_done++;
  job->done_thread = g_thread_self ();
  job->error = error != NULL ? g_error_copy (error) : NULL;
  job->running_in_done = cd_worker_get_running (worker);
  job->owner_alive_in_done = job->owner != NULL;
}

static void
on_progress (CdWorker *worker,
             double    fraction,
             Job      *job)
{
  job->n_progress++;
  job->last_progress = fraction;
  g_assert_cmpfloat (fraction, ==, cd_worker_get_fraction (worker));
}

static void
iterate_until (gint       *flag,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (flag))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
done_seen (gpointer data)
{
  return ((Job *) data)->n_done > 0;
}

static void
wait_done (Job *job)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done_seen (job))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for the worker to finish");
      g_main_context_iteration (NULL, TRUE);
    }
  /* done runs once: nothing else is on its way. */
  for (int k = 0; k < 20; k++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (job->n_done, ==, 1);
}

/* Until the main loop has shown the fraction the thread set. */
static void
wait_fraction (CdWorker *worker,
               Job      *job,
               double    want)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  iterate_until (&job->reached, "the thread's progress");
  while (job->n_progress == 0 || job->last_progress != want)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for progress %g (last %g)", want, job->last_progress);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpfloat (cd_worker_get_fraction (worker), ==, want);
}

static void
test_success_in_stages (void)
{
  Job job = { .stage_start = 0.25, .stage_span = 0.5, .fraction = 0.5 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  g_signal_connect (worker, "progress", G_CALLBACK (on_progress), &job);
  g_assert_false (cd_worker_get_running (worker));
  cd_worker_start (worker, NULL, NULL, on_done, &job);
  g_assert_true (cd_worker_get_running (worker));
  g_assert_nonnull (cd_worker_get_cancellable (worker));

  /* Half of the stage from 0.25 to 0.75 is 0.5 of the whole. */
  wait_fraction (worker, &job, 0.5);
  g_assert_cmpuint (job.n_done, ==, 0);
  g_atomic_int_set (&job.release, 1);
  wait_done (&job);

  g_assert_no_error (job.error);
  g_assert_true (job.ran);
  g_assert_cmpint (job.answer, ==, 42);
  g_assert_false (job.running_in_done);
  g_assert_false (cd_worker_get_running (worker));
  g_assert_true (job.thread != g_thread_self ());
  g_assert_true (job.done_thread == g_thread_self ());
}

static void
test_unknown_progress (void)
{
  Job job = { .fraction = -1.0 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  g_signal_connect (worker, "progress", G_CALLBACK (on_progress), &job);
  cd_worker_start (worker, NULL, NULL, on_done, &job);
  wait_fraction (worker, &job, -1.0);
  g_atomic_int_set (&job.release, 1);
  wait_done (&job);
  g_assert_no_error (job.error);
}

static void
test_error (void)
{
  Job job = { .fraction = 0.1, .fail = TRUE, .release = 1 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  cd_worker_start (worker, NULL, NULL, on_done, &job);
  wait_done (&job);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpint (job.answer, ==, 0);
  g_clear_error (&job.error);
}

static void
test_cancel_while_running (void)
{
  Job job = { .fraction = 0.3 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  cd_worker_start (worker, NULL, NULL, on_done, &job);
  iterate_until (&job.reached, "the thread to start");
  cd_worker_cancel (worker);
  wait_done (&job);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
}

/* Work that finishes anyway after the cancel is still reported cancelled:
 * its result must not be taken for the newest. */
static void
test_late_cancel (void)
{
  Job job = { .fraction = 0.3, .ignore_cancel = TRUE };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  cd_worker_start (worker, NULL, cancellable, on_done, &job);
  g_assert_true (cd_worker_get_cancellable (worker) == cancellable);
  iterate_until (&job.reached, "the thread to start");
  g_cancellable_cancel (cancellable);
  g_atomic_int_set (&job.release, 1);
  wait_done (&job);
  g_assert_cmpint (job.answer, ==, 42);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
}

static void
test_cancel_before_start (void)
{
  Job job = { .release = 1 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &job, NULL);

  cd_worker_cancel (worker);
  cd_worker_start (worker, NULL, NULL, on_done, &job);
  wait_done (&job);
  g_assert_false (job.ran);
  g_assert_error (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&job.error);
}

static void
count_free (gpointer data)
{
  (*(guint *) data)++;
}

/* The owner and the data outlive their users' references until the work
 * has ended; then they go. */
static void
test_lifetimes (void)
{
  Job job = { .fraction = 0.2 };
  GObject *owner = g_object_new (G_TYPE_OBJECT, NULL);
  guint n_freed = 0;
  CdWorker *worker;

  job.owner = owner;
  g_object_add_weak_pointer (owner, (gpointer *) &job.owner);
  worker = cd_worker_new (job_thread, &job, NULL);
  g_object_set_data_full (G_OBJECT (worker), "count", &n_freed, count_free);
  cd_worker_start (worker, owner, NULL, on_done, &job);
  g_object_unref (owner);
  g_object_unref (worker);
  g_assert_nonnull (job.owner);
  iterate_until (&job.reached, "the thread to start");
  g_assert_cmpuint (n_freed, ==, 0);
  g_atomic_int_set (&job.release, 1);
  wait_done (&job);
  g_assert_true (job.owner_alive_in_done);
  g_assert_null (job.owner);
  g_assert_cmpuint (n_freed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/worker/success-in-stages", test_success_in_stages);
  g_test_add_func ("/app/worker/unknown-progress", test_unknown_progress);
  g_test_add_func ("/app/worker/error", test_error);
  g_test_add_func ("/app/worker/cancel-while-running", test_cancel_while_running);
  g_test_add_func ("/app/worker/late-cancel", test_late_cancel);
  g_test_add_func ("/app/worker/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/app/worker/lifetimes", test_lifetimes);
  return g_test_run ();
}
