/* test-analysis-national.c — the Analysis page on the national model
 * (3,209 governments, 9,374 state dimensions), where equilibria and sweeps
 * take the sparse path: the search reports real progress (not a pulse)
 * and stops when cancelled; run to the end its equilibria fill the table
 * and the chart; a short sweep gives its rows.  Snapshots of the page go
 * to the build dir.
 *
 * Needs a display (CI: xvfb-run -a meson test); without one it FAILS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <adwaita.h>

#include "cd-analysis-view.h"
#include "cd-locale.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static CdAnalysisView *view;

static gboolean
finished (gpointer data)
{
  return !cd_analysis_view_get_running (view)
         && cd_analysis_view_get_n_finished (view) >= GPOINTER_TO_UINT (data);
}

static gboolean
under_way (gpointer data)
{
  return !cd_analysis_view_get_running (view) || cd_analysis_view_get_progress (view) > 0.0;
}

static gboolean
drawn (gpointer data)
{
  return cd_chart_view_get_n_draws (CD_CHART_VIEW (data)) > 0;
}

static void
set_spin (const char *name,
          double      value)
{
  GtkWidget *spin = cd_analysis_view_get_control (view, name);

  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
}

static void
test_cancel (void)
{
  guint n = cd_analysis_view_get_n_finished (view);
  g_autofree char *expected = NULL;
  double progress;

  set_spin ("eq-at", 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s",
                                             "equilibria"));
  g_assert_true (cd_analysis_view_get_running (view));
  /* The engine reports how many starts are done: a fraction, not a pulse. */
  cd_test_wait_for (under_way, NULL, "the equilibrium search to report progress");
  g_assert_true (cd_analysis_view_get_running (view));
  progress = cd_analysis_view_get_progress (view);
  g_test_message ("cancelled at %.4f", progress);
  g_assert_cmpfloat (progress, >, 0.0);
  g_assert_cmpfloat (progress, <, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.cancel", NULL));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "the cancelled search to stop");
  g_test_message ("after cancel: %s", cd_analysis_view_get_status (view));
  /* in the user's language: "Equilibria cancelled." */
  expected = g_strdup_printf (_("%s cancelled."), _("Equilibria"));
  g_assert_cmpstr (cd_analysis_view_get_status (view), ==, expected);
}

static void
test_equilibria (void)
{
  guint n = cd_analysis_view_get_n_finished (view), found;
  CdChartView *chart = cd_analysis_view_get_chart (view, "eq");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s",
                                             "equilibria"));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "the equilibria of the national model");
  g_test_message ("%s", cd_analysis_view_get_status (view));
  found = cd_analysis_view_get_n_results (view, "equilibria");
  g_test_message ("%u equilibria", found);
  g_assert_cmpuint (found, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (
                      cd_analysis_view_get_table (view, "equilibria")))), ==, found);
  g_assert_true (cd_chart_view_get_ready (chart));
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  cd_test_wait_for (drawn, chart, "the equilibrium chart");
  g_object_unref (cd_test_snapshot (GTK_WIDGET (window), "analysis-national-equilibria.png"));
}

static gboolean
transition_done (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (data));
}


static void
test_sweep (void)
{
  guint n = cd_analysis_view_get_n_finished (view);
  GtkWidget *param = cd_analysis_view_get_control (view, "sweep-param");
  CdChartView *chart = cd_analysis_view_get_chart (view, "sweep");
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (chart), GTK_TYPE_STACK));

  /* by its row: the enum's value once selected dynamics.trust_gain, whose
   * sweep on this model relaxes at every step (44 s instead of 6) */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (param),
                              cd_test_param_row (window, CD_PARAM_RESISTANCE_LAW));
  set_spin ("sweep-from", 0);
  set_spin ("sweep-to", 1);
  set_spin ("sweep-steps", 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s", "sweep"));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "a sweep of the national model");
  g_test_message ("%s", cd_analysis_view_get_status (view));
  /* 3 values up and 3 down, and the search's rows if asked for */
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "sweep"), >=, 6);
  gtk_stack_set_visible_child_name (stack, "sweep");
  cd_test_wait_for (transition_done, stack, "the sweep page to show");
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  cd_test_wait_for (drawn, chart, "the sweep chart");
  g_object_unref (cd_test_snapshot (GTK_WIDGET (window), "analysis-national-sweep.png"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  AdwViewStack *stack;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* As the app does: a run with LANGUAGE=zh_CN snapshots the Chinese page. */
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!cd_test_init_gtk ("/app/analysis-national"))
    return 1;
  /* Runs of seconds each on a loaded machine. */
  cd_test_set_wait_limit (600);
  window = cd_test_window_on_national (&path);
  view = (CdAnalysisView *) cd_test_find_widget (GTK_WIDGET (window), CD_TYPE_ANALYSIS_VIEW);
  if (view == NULL)
    g_error ("the window has no Analysis page");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "analysis");
  cd_test_wait_for (cd_test_is_mapped, view, "the Analysis page to map");

  g_test_add_func ("/app/analysis-national/cancel", test_cancel);
  g_test_add_func ("/app/analysis-national/equilibria", test_equilibria);
  g_test_add_func ("/app/analysis-national/sweep", test_sweep);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  cd_test_remove_national (path);
  return status;
}
