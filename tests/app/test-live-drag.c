/* test-live-drag.c — a slider dragged on the national model (issue 17).
 *
 * Drives the path a drag takes: a parameter slider of the window's panel
 * held (win.slider-held, from the slider itself as cd-number-row.c does),
 * its adjustment moved twice as a hand moves it, then let go.  While held,
 * the runner delivers a preview (CdRun.preview), the window says so over
 * the canvas and export refuses it; the preview shows the very time the
 * cursor is on.  On release the exact run replaces it, the note goes, and
 * that run matches a plain cd_simulate_trajectory() of the document's
 * model bit for bit.  A held slider at rest gets its exact run too.
 * live-drag-preview.png (build dir) is the window during the preview.
 *
 * Needs a display (CI: xvfb-run -a meson test); without one it FAILS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <adwaita.h>

#include "cd-export-snapshot.h"
#include "cd-locale.h"
#include "cd-model-json.h"
#include "cd-param-panel.h"
#include "cd-runner.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static GtkWidget *scale;

static gboolean
preview_shown (gpointer data)
{
  CdRun *run = cd_runner_get_run (cd_window_get_runner (window));

  return run != NULL && run->preview;
}

static gboolean
exact_shown (gpointer data)
{
  CdRunner *runner = cd_window_get_runner (window);
  CdRun *run = cd_runner_get_run (runner);

  return !cd_runner_get_running (runner) && run != NULL && !run->preview;
}

static gboolean
preview_note_visible (void)
{
  GtkWidget *note = cd_test_find_by_id (GTK_WIDGET (window), "preview_label");

  g_assert_nonnull (note);
  return gtk_widget_get_visible (note);
}

/* A hand's move: the slider's own adjustment, a tenth of its range. */
static void
move_slider (double fraction)
{
  GtkAdjustment *adj = gtk_range_get_adjustment (GTK_RANGE (scale));
  double lower = gtk_adjustment_get_lower (adj), upper = gtk_adjustment_get_upper (adj);

  gtk_adjustment_set_value (adj, CLAMP (gtk_adjustment_get_value (adj)
                                        + fraction * (upper - lower), lower, upper));
}

#define SAME_ARRAY(a, b, n) \
  g_assert_cmpmem ((a), (n) * sizeof (double), (b), (n) * sizeof (double))

/* The run on screen is a plain run of the document's model, bit for bit. */
static void
assert_exact (CdRun *run)
{
  const CdModel *model = cd_document_get_model (cd_window_get_document (window));
  CdRunOptions options = CD_RUN_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (CdSystem) system = cd_system_new (model, &error);
  g_autoptr (CdTrajectory) plain = NULL;
  const CdTrajectory *shown = run->trajectory;
  gsize nx, np;

  g_assert_no_error (error);
  options.forces = TRUE;
  options.trust = TRUE;
  plain = cd_simulate_trajectory (system, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (run->preview);
  g_assert_cmpuint (shown->n_samples, ==, plain->n_samples);
  g_assert_cmpuint (shown->n_nodes, ==, plain->n_nodes);
  g_assert_cmpuint (shown->n_partnerships, ==, plain->n_partnerships);
  g_assert_cmpfloat (run->model->params.values[CD_PARAM_PRESSURE_ADMIN], ==,
                     model->params.values[CD_PARAM_PRESSURE_ADMIN]);
  nx = (gsize) plain->n_samples * plain->n_nodes;
  np = (gsize) plain->n_samples * plain->n_partnerships;
  SAME_ARRAY (shown->t, plain->t, plain->n_samples);
  SAME_ARRAY (shown->mean_coordination, plain->mean_coordination, plain->n_samples);
  SAME_ARRAY (shown->loss, plain->loss, plain->n_samples);
  SAME_ARRAY (shown->x, plain->x, nx);
  SAME_ARRAY (shown->trust, plain->trust, np);
  SAME_ARRAY (shown->gravity, plain->gravity, nx);
  SAME_ARRAY (shown->pressure, plain->pressure, nx);
  SAME_ARRAY (shown->thrust, plain->thrust, nx);
  SAME_ARRAY (shown->resistance, plain->resistance, nx);
}

static void
test_drag_and_release (void)
{
  CdRunner *runner = cd_window_get_runner (window);
  CdRun *run;
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  guint n_exact, at;
  double t_exact;

  cd_window_set_cursor_time (window, 12.35);
  n_exact = cd_runner_get_run (runner)->trajectory->n_samples;
  at = cd_trajectory_index_at (cd_runner_get_run (runner)->trajectory, 12.35);
  t_exact = cd_runner_get_run (runner)->trajectory->t[at];

  /* Pressed: from the slider itself, as its controller does. */
  g_assert_true (gtk_widget_activate_action (scale, "win.slider-held", "b", TRUE));
  move_slider (0.1);
  /* the second move arrives while the first one's preview runs */
  move_slider (0.05);
  g_assert_true (cd_runner_get_running (runner));
  g_assert_true (cd_runner_get_running_preview (runner));
  cd_test_wait_for (preview_shown, NULL, "the preview of the move");
  run = cd_runner_get_run (runner);
  g_test_message ("preview: %u samples against %u", run->trajectory->n_samples, n_exact);
  g_assert_cmpuint (run->trajectory->n_samples, <, n_exact / 2);
  /* the time on screen is the exact run's own */
  g_assert_cmpfloat (run->trajectory->t[cd_trajectory_index_at (run->trajectory, 12.35)], ==,
                     t_exact);
  g_assert_nonnull (run->trajectory->gravity);
  g_assert_true (cd_runner_get_preview (runner));
  cd_test_iterate (5);
  g_assert_true (preview_note_visible ());
  g_object_unref (cd_test_snapshot (GTK_WIDGET (window), "live-drag-preview.png"));
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_nonnull (snapshot->problem);
  g_clear_pointer (&snapshot, cd_export_snapshot_free);

  /* Let go: the exact run replaces the preview. */
  g_assert_true (gtk_widget_activate_action (scale, "win.slider-held", "b", FALSE));
  /* (on a slow machine the slider's rest may have asked for it already) */
  g_assert_true (cd_runner_get_running (runner) || exact_shown (NULL));
  g_assert_false (cd_runner_get_running_preview (runner));
  cd_test_wait_for (exact_shown, NULL, "the exact run after the release");
  cd_test_iterate (5);
  g_assert_false (preview_note_visible ());
  assert_exact (cd_runner_get_run (runner));
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_null (snapshot->problem);
}

static void
test_held_at_rest (void)
{
  CdRunner *runner = cd_window_get_runner (window);

  g_assert_true (gtk_widget_activate_action (scale, "win.slider-held", "b", TRUE));
  move_slider (-0.1);
  cd_test_wait_for (preview_shown, NULL, "the preview of the move");
  /* Still held, the hand at rest: the exact run follows by itself. */
  cd_test_wait_for (exact_shown, NULL, "the exact run of a slider at rest");
  assert_exact (cd_runner_get_run (runner));
  g_assert_true (gtk_widget_activate_action (scale, "win.slider-held", "b", FALSE));
  cd_test_iterate (5);
  /* nothing was previewed since: the release asks for nothing more */
  g_assert_false (cd_runner_get_running (runner));
  g_assert_false (preview_note_visible ());
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  GtkWidget *panel;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* As the app does: a run with LANGUAGE=zh_CN snapshots the Chinese note. */
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!cd_test_init_gtk ("/app/live-drag"))
    return 1;
  /* Runs of a second or more each on a loaded machine. */
  cd_test_set_wait_limit (300);
  window = cd_test_window_on_national (&path);
  cd_test_wait_for (exact_shown, NULL, "the national model's first run");
  panel = cd_test_find_widget (GTK_WIDGET (window), CD_TYPE_PARAM_PANEL);
  g_assert_nonnull (panel);
  scale = cd_test_find_widget (panel, GTK_TYPE_SCALE);
  g_assert_nonnull (scale);

  g_test_add_func ("/app/live-drag/drag-and-release", test_drag_and_release);
  g_test_add_func ("/app/live-drag/held-at-rest", test_held_at_rest);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  cd_test_remove_national (path);
  return status;
}
