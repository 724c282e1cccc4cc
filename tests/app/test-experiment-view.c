/* test-experiment-view.c — the Experiments page of the real window on the
 * Yangtze River Delta example: a grid of two parameters under two
 * scenarios run through its action, its runs counted and charted as a
 * heat map and as lines; its spec exported and run by coordyn-cli, whose
 * CSV must be the page's own, byte for byte; a spec opened instead of the
 * grid; a long experiment cancelled, leaving the results as they were;
 * settings that cannot run refused with a reason; and snapshots of the
 * page at 1280×720 and 1920×1080 in the build folder.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>
#include <adwaita.h>

#include "cd-analysis-view.h"
#include "cd-document.h"
#include "cd-experiment-view.h"
#include "cd-locale.h"
#include "cd-params.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static CdExperimentView *view;
static char *tmpdir;

static gboolean
finished (gpointer data)
{
  return !cd_experiment_view_get_running (view)
         && cd_experiment_view_get_n_finished (view) >= GPOINTER_TO_UINT (data);
}

static gboolean
drawn (gpointer data)
{
  return cd_chart_view_get_n_draws (CD_CHART_VIEW (data)) > GPOINTER_TO_UINT (
    g_object_get_data (G_OBJECT (data), "cd-test-draws"));
}

/* Runs the experiment on screen through its action and waits for it. */
static void
run (void)
{
  guint n = cd_experiment_view_get_n_finished (view);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "experiment.run", NULL));
  g_assert_true (cd_experiment_view_get_running (view));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "the experiment");
  g_test_message ("%s", cd_experiment_view_get_status (view));
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

/* Waits for the chart to draw again. */
static void
wait_drawn (void)
{
  CdChartView *chart = cd_experiment_view_get_chart (view);

  g_object_set_data (G_OBJECT (chart), "cd-test-draws",
                     GUINT_TO_POINTER (cd_chart_view_get_n_draws (chart)));
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  cd_test_wait_for (drawn, chart, "the experiment chart to draw");
}

static void
test_grid (void)
{
  CdChartView *chart = cd_experiment_view_get_chart (view);
  g_autofree char *png = tmp_path ("chart.png");

  /* law 0 … 1 in 4 steps × compensation 0 … 1 in 2 steps, base and the second scenario */
  cd_experiment_view_set_vary (view, 0, CD_PARAM_RESISTANCE_LAW, 0, 1, 4);
  cd_experiment_view_set_vary (view, 1, CD_PARAM_RESISTANCE_COMPENSATION, 0, 1, 2);
  cd_experiment_view_set_vary (view, 2, -1, 0, 0, 0);
  cd_experiment_view_set_scenario (view, -1, TRUE);
  cd_experiment_view_set_scenario (view, 0, FALSE);
  cd_experiment_view_set_scenario (view, 1, TRUE);
  g_assert_cmpuint (cd_experiment_view_get_n_planned (view), ==, 5 * 3 * 2);
  run ();
  g_assert_cmpuint (cd_experiment_view_get_n_results (view), ==, 30);
  g_assert_nonnull (strstr (cd_experiment_view_get_status (view), "30 runs"));
  g_assert_true (cd_chart_view_get_ready (chart));
  wait_drawn ();
  /* lines, and every output */
  gtk_drop_down_set_selected (cd_experiment_view_get_choice (view, "kind"), 1);
  wait_drawn ();
  gtk_drop_down_set_selected (cd_experiment_view_get_choice (view, "output"), 3);
  wait_drawn ();
  gtk_drop_down_set_selected (cd_experiment_view_get_choice (view, "output"), 0);
  gtk_drop_down_set_selected (cd_experiment_view_get_choice (view, "kind"), 0);
  wait_drawn ();
  /* a third parameter: a panel per scenario and value of it (2 × 2) */
  cd_experiment_view_set_vary (view, 2, CD_PARAM_THRUST_INFO, 0, 2, 1);
  run ();
  g_assert_cmpuint (cd_experiment_view_get_n_results (view), ==, 60);
  wait_drawn ();
  g_object_unref (cd_test_snapshot (GTK_WIDGET (view), "experiment-three-parameters.png"));
  cd_experiment_view_set_vary (view, 2, -1, 0, 0, 0);
  run ();
  /* the chart exports as on screen */
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (cd_chart_view_export_to_file (chart, png, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
    g_unlink (png);
  }
}

/* The spec of the grid, run by coordyn-cli, gives the page's own CSV. */
static void
test_spec_roundtrip (void)
{
  CdDocument *document = cd_window_get_document (window);
  g_autofree char *model = tmp_path ("yangtze.json");
  g_autofree char *spec = tmp_path ("study.json");
  g_autofree char *csv = tmp_path ("page.csv");
  g_autofree char *cli_csv = tmp_path ("cli.csv");
  g_autofree char *page_text = NULL, *cli_text = NULL, *spec_text = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (model);
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COORDYN_CLI");
  int status;

  g_assert_nonnull (cli);
  g_assert_true (cd_experiment_view_save_csv (view, csv, &error));
  g_assert_no_error (error);
  /* a spec names a saved model */
  if (cd_document_get_file (document) == NULL || cd_document_get_dirty (document))
    {
      g_assert_false (cd_experiment_view_save_spec (view, spec, &error));
      g_assert_nonnull (strstr (error->message, "Save the model first"));
      g_clear_error (&error);
    }
  g_assert_true (cd_document_save (document, file, &error));
  g_assert_no_error (error);
  g_assert_true (cd_experiment_view_save_spec (view, spec, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (spec, &spec_text, NULL, NULL));
  g_assert_nonnull (strstr (spec_text, "\"model\": \"yangtze.json\""));
  {
    const char *argv[] = { cli, "experiment", spec, "-o", cli_csv, NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("coordyn-cli experiment: %s", err);
  }
  g_assert_true (g_file_get_contents (csv, &page_text, NULL, NULL));
  g_assert_true (g_file_get_contents (cli_csv, &cli_text, NULL, NULL));
  g_assert_cmpstr (page_text, ==, cli_text);

  /* the spec opened instead of the grid runs the same study */
  g_assert_true (cd_experiment_view_load_spec (view, spec, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cd_experiment_view_get_n_planned (view), ==, 30);
  run ();
  g_clear_pointer (&page_text, g_free);
  g_assert_true (cd_experiment_view_save_csv (view, csv, &error));
  g_assert_true (g_file_get_contents (csv, &page_text, NULL, NULL));
  g_assert_cmpstr (page_text, ==, cli_text);
  /* a bad spec is refused with its place, the one in use kept */
  {
    g_autofree char *bad = tmp_path ("bad.json");
    g_assert_true (g_file_set_contents (bad, "{ \"format\": \"coordyn-experiment\", \"version\": 1,"
                                        " \"model\": \"yangtze.json\", \"vary\": {\"dynamics.rate\":"
                                        " [0]}, \"outputs\": [\"total_loss\"] }", -1, NULL));
    g_assert_false (cd_experiment_view_load_spec (view, bad, &error));
    g_assert_nonnull (strstr (error->message, "vary.dynamics.rate[0]"));
    g_clear_error (&error);
    g_assert_cmpuint (cd_experiment_view_get_n_planned (view), ==, 30);
    g_unlink (bad);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "experiment.clear-spec", NULL));
  g_unlink (csv);
  g_unlink (cli_csv);
  g_unlink (spec);
  g_unlink (model);
}

static void
test_cancel (void)
{
  guint64 before = cd_experiment_view_get_n_results (view);
  guint n = cd_experiment_view_get_n_finished (view);

  /* 101 × 101 × 11 runs: long enough to cancel */
  cd_experiment_view_set_vary (view, 0, CD_PARAM_RESISTANCE_LAW, 0, 1, 100);
  cd_experiment_view_set_vary (view, 1, CD_PARAM_GRAVITY_TRUST, 0.5, 2, 100);
  cd_experiment_view_set_vary (view, 2, CD_PARAM_THRUST_INFO, 0, 2, 10);
  g_assert_true (cd_experiment_view_run (view));
  cd_test_iterate (5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "experiment.cancel", NULL));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "the experiment to stop");
  g_assert_nonnull (strstr (cd_experiment_view_get_status (view), "cancelled"));
  g_assert_cmpuint (cd_experiment_view_get_n_results (view), ==, before);
}

static void
test_refused (void)
{
  guint n = cd_experiment_view_get_n_finished (view);

  /* the same parameter twice */
  cd_experiment_view_set_vary (view, 0, CD_PARAM_RESISTANCE_LAW, 0, 1, 2);
  cd_experiment_view_set_vary (view, 1, CD_PARAM_RESISTANCE_LAW, 0, 1, 2);
  cd_experiment_view_set_vary (view, 2, -1, 0, 0, 0);
  g_assert_false (cd_experiment_view_run (view));
  g_assert_nonnull (strstr (cd_experiment_view_get_status (view), "varied already"));
  /* no scenario ticked */
  cd_experiment_view_set_vary (view, 1, -1, 0, 0, 0);
  for (int s = -1; s < 2; s++)
    cd_experiment_view_set_scenario (view, s, FALSE);
  g_assert_cmpuint (cd_experiment_view_get_n_planned (view), ==, 0);
  g_assert_false (cd_experiment_view_run (view));
  /* more than the page keeps */
  cd_experiment_view_set_scenario (view, -1, TRUE);
  cd_experiment_view_set_vary (view, 0, CD_PARAM_RESISTANCE_LAW, 0, 1, 1000);
  cd_experiment_view_set_vary (view, 1, CD_PARAM_GRAVITY_TRUST, 0.5, 2, 1000);
  g_assert_false (cd_experiment_view_run (view));
  g_assert_nonnull (strstr (cd_experiment_view_get_status (view), "coordyn-cli experiment"));
  g_assert_cmpuint (cd_experiment_view_get_n_finished (view), ==, n);
}

/* A window of width × height on the example, showing its Experiments page. */
static CdWindow *
open_page (int                width,
           int                height,
           CdExperimentView **page)
{
  CdWindow *w = cd_test_window_new (NULL, width, height, "yangtze-river-delta.json");
  CdAnalysisView *analysis;
  AdwViewStack *stack;
  GtkStack *pages;

  cd_test_wait_for (cd_test_is_mapped, w, "the window to map");
  analysis = (CdAnalysisView *) cd_test_find_widget (GTK_WIDGET (w), CD_TYPE_ANALYSIS_VIEW);
  g_assert_nonnull (analysis);
  *page = (CdExperimentView *) cd_test_find_widget (GTK_WIDGET (analysis),
                                                    CD_TYPE_EXPERIMENT_VIEW);
  if (*page == NULL)
    g_error ("the Analysis page has no Experiments page");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (analysis), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "analysis");
  pages = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (*page), GTK_TYPE_STACK));
  gtk_stack_set_visible_child_name (pages, "experiment");
  cd_test_wait_for (cd_test_is_mapped, *page, "the Experiments page to map");
  return w;
}

static void
test_snapshots (void)
{
  const struct { int w, h; const char *name; } sizes[] = {
    { 1280, 720, "experiment-1280x720.png" }, { 1920, 1080, "experiment-1920x1080.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      CdExperimentView *main_view = view;
      CdWindow *w = open_page (sizes[i].w, sizes[i].h, &view);

      /* a result to show: law × supervision under every scenario */
      cd_experiment_view_set_vary (view, 0, CD_PARAM_RESISTANCE_LAW, 0, 1, 5);
      cd_experiment_view_set_vary (view, 1, CD_PARAM_RESISTANCE_SUPERVISION, 0, 1, 5);
      for (int s = -1; s < 2; s++)
        cd_experiment_view_set_scenario (view, s, TRUE);
      run ();
      g_object_unref (cd_test_snapshot (GTK_WIDGET (w), sizes[i].name));
      gtk_window_destroy (GTK_WINDOW (w));
      view = main_view;
    }
}

/* Analysis → The Theory's Five Conclusions → 5: one click opens the
 * shared-basin network, shows the Experiments page with the bundled spec and
 * runs it: the 50 runs of `coordyn-cli thesis 5`. */
static void
test_thesis (void)
{
  CdExperimentView *main_view = view;
  CdWindow *w = cd_test_window_new (NULL, 1280, 720, "tutorial.json");
  AdwViewStack *stack;
  g_autofree char *title = NULL;

  cd_test_wait_for (cd_test_is_mapped, w, "the window to map");
  view = (CdExperimentView *) cd_test_find_widget (GTK_WIDGET (w), CD_TYPE_EXPERIMENT_VIEW);
  g_assert_nonnull (view);
  cd_test_activate (w, "open-thesis", g_variant_new_uint32 (5));
  cd_test_wait_for (finished, GUINT_TO_POINTER (1), "the conclusion's experiment");
  g_assert_cmpuint (cd_experiment_view_get_n_results (view), ==, 50);
  g_object_get (cd_window_get_document (w), "title", &title, NULL);
  g_test_message ("document: %s; %s", title, cd_experiment_view_get_status (view));
  g_assert_cmpstr (cd_document_get_model (cd_window_get_document (w))->name, ==,
                   "One basin, one flood");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "analysis");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_object_unref (cd_test_snapshot (GTK_WIDGET (w), "experiment-thesis-5.png"));
  gtk_window_destroy (GTK_WINDOW (w));
  view = main_view;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* As the app does, so that LANGUAGE=zh_CN gives snapshots in Chinese. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, cd_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/experiment"))
    return 1;
  window = open_page (1280, 720, &view);
  tmpdir = g_dir_make_tmp ("coordyn-experiment-view-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/app/experiment/grid", test_grid);
  g_test_add_func ("/app/experiment/spec-roundtrip", test_spec_roundtrip);
  g_test_add_func ("/app/experiment/cancel", test_cancel);
  g_test_add_func ("/app/experiment/refused", test_refused);
  g_test_add_func ("/app/experiment/snapshots", test_snapshots);
  g_test_add_func ("/app/experiment/thesis", test_thesis);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
