/* test-run-bar.c — CdRunBar, the status, progress and Cancel strip of the
 * policy, experiment and analysis views: the words and action its .ui
 * gives it, progress followed from a running CdWorker, the strip hidden
 * again without it, and a replaced worker no longer moving the bar.
 *
 * Needs a display (CI: xvfb-run -a meson test); without one it FAILS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cd-run-bar.h"
#include "cd-test-util.h"

/* The thread reports fraction, then waits until released (or cancelled). */
typedef struct
{
  double fraction;
  gint   release;     /* atomic */
  gint   done;        /* main loop: done ran */
} Job;

static gboolean
job_thread (CdWorker      *worker,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = data;

  cd_worker_set_fraction (worker, job->fraction);
  while (!g_atomic_int_get (&job->release))
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (1000);
    }
  return TRUE;
}

static void
job_done (CdWorker     *worker,
          const GError *error,
          gpointer      data)
{
  ((Job *) data)->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Job *) data)->done;
}

static CdRunBar *
bar_from_ui (void)
{
  static const char ui[] =
    "<interface><object class='CdRunBar' id='bar'>"
    "<property name='status'>Choose and run.</property>"
    "<property name='cancel-label'>C_ancel</property>"
    "<property name='cancel-tooltip'>Stop it</property>"
    "<property name='cancel-action'>view.cancel</property>"
    "<property name='progress-width'>260</property>"
    "</object></interface>";
  g_autoptr (GtkBuilder) builder = NULL;

  g_type_ensure (CD_TYPE_RUN_BAR);
  builder = gtk_builder_new_from_string (ui, -1);
  return g_object_ref_sink (CD_RUN_BAR (gtk_builder_get_object (builder, "bar")));
}

static double
bar_fraction (CdRunBar *bar)
{
  return gtk_progress_bar_get_fraction (
    GTK_PROGRESS_BAR (cd_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_PROGRESS_BAR)));
}

static gboolean
bar_at_half (gpointer data)
{
  return bar_fraction (data) == 0.5;
}

static void
test_words (void)
{
  g_autoptr (CdRunBar) bar = bar_from_ui ();
  GtkWidget *button = cd_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_BUTTON);
  GtkWidget *progress = cd_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_PROGRESS_BAR);
  g_autofree char *label = NULL;
  int width;

  g_assert_cmpstr (cd_run_bar_get_status (bar), ==, "Choose and run.");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "C_ancel");
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Stop it");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "view.cancel");
  gtk_widget_get_size_request (progress, &width, NULL);
  g_assert_cmpint (width, ==, 260);
  g_object_get (bar, "cancel-label", &label, NULL);
  g_assert_cmpstr (label, ==, "C_ancel");
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_false (cd_run_bar_get_running (bar));

  cd_run_bar_show_message (bar, "It failed.");   /* no window: the status alone */
  g_assert_cmpstr (cd_run_bar_get_status (bar), ==, "It failed.");
}

static void
test_follows_worker (void)
{
  g_autoptr (CdRunBar) bar = bar_from_ui ();
  GtkWidget *button = cd_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_BUTTON);
  GtkWidget *progress = cd_test_find_widget (GTK_WIDGET (bar), GTK_TYPE_PROGRESS_BAR);
  Job first = { 0.5, 0, 0 }, second = { 0.25, 0, 0 };
  g_autoptr (CdWorker) worker = cd_worker_new (job_thread, &first, NULL);
  g_autoptr (CdWorker) next = cd_worker_new (job_thread, &second, NULL);

  cd_run_bar_set_worker (bar, worker);
  cd_worker_start (worker, NULL, NULL, job_done, &first);
  g_assert_true (cd_run_bar_get_running (bar));
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_get_visible (progress));
  g_assert_cmpfloat (bar_fraction (bar), ==, 0.0);
  cd_test_wait_for (bar_at_half, bar, "the bar to show the worker's 0.5");

  /* Replaced by the next worker, the first one, still reporting 0.5 every
   * 100 ms, moves the bar no more. */
  cd_run_bar_set_worker (bar, next);
  g_assert_cmpfloat (bar_fraction (bar), ==, 0.0);
  cd_test_iterate (50);
  g_usleep (250 * 1000);     /* more than two of the worker's 100 ms reports */
  cd_test_iterate (50);
  g_assert_cmpfloat (bar_fraction (bar), ==, 0.0);
  g_atomic_int_set (&first.release, 1);
  cd_test_wait_for (is_done, &first, "the first worker to end");

  cd_run_bar_set_worker (bar, NULL);
  g_assert_false (cd_run_bar_get_running (bar));
  g_assert_false (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_get_visible (progress));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/run-bar"))
    return 1;
  g_test_add_func ("/app/run-bar/words", test_words);
  g_test_add_func ("/app/run-bar/follows-worker", test_follows_worker);
  return g_test_run ();
}
