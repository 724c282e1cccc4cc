/* test-analysis-view.c — the Analysis page of the real window on the Yangtze
 * River Delta example: every analysis run through its action with small
 * settings, its results in the tables and on the charts, charts exported,
 * CSV with the CLI's columns, a sweep at a chosen time equal to the
 * engine's at that time, a long study cancelled, a request superseded
 * by a newer one, and a snapshot of each page written to the build dir.
 * Every chart is the one `coordyn-cli … --figure` draws of the same
 * analysis: exported at the CLI's size and style, the two PNGs have the
 * same pixels (both come from cd_render_analysis_figure).
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <adwaita.h>

#include "cd-analysis-sweep.h"
#include "cd-analysis-view.h"
#include "cd-document.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;
static CdAnalysisView *view;
static char *tmpdir;

static gboolean
finished (gpointer data)
{
  return !cd_analysis_view_get_running (view)
         && cd_analysis_view_get_n_finished (view) >= GPOINTER_TO_UINT (data);
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
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, value);
  /* Every number a user sets says what it means. */
  g_assert_nonnull (gtk_widget_get_tooltip_text (spin));
}

/* Runs an analysis through its action and waits for it to finish. */
static void
run (const char *name)
{
  guint n = cd_analysis_view_get_n_finished (view);
  g_autofree char *what = g_strdup_printf ("the %s analysis", name);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s", name));
  g_assert_true (cd_analysis_view_get_running (view));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), what);
  g_test_message ("%s: %s", name, cd_analysis_view_get_status (view));
}

static guint
table_rows (const char *name)
{
  GtkColumnView *table = cd_analysis_view_get_table (view, name);

  g_assert_nonnull (table);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (table)));
}

/* Whether a label under widget shows text containing part. */
static gboolean
shows_text (GtkWidget  *widget,
            const char *part)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (shows_text (c, part))
      return TRUE;
  return FALSE;
}

/* The chart has data, is drawn on screen, and exports to all three formats. */
static void
check_chart (const char *name)
{
  CdChartView *chart = cd_analysis_view_get_chart (view, name);
  const char *exts[] = { "png", "svg", "pdf" };

  g_assert_nonnull (chart);
  g_assert_true (cd_chart_view_get_ready (chart));
  gtk_widget_queue_draw (GTK_WIDGET (chart));
  cd_test_wait_for (drawn, chart, name);
  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *file = g_strdup_printf ("%s.%s", name, exts[i]);
      g_autofree char *path = g_build_filename (tmpdir, file, NULL);
      GStatBuf st;

      g_assert_true (cd_chart_view_export_to_file (chart, path, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 500);
      g_unlink (path);
    }
}

/* The chart `name` shows the figure coordyn-cli draws with these arguments
 * (the command, then its options; the model is the example's file) and,
 * if not NULL, --preset: the app's chart exported at the CLI's figure's
 * size, scale and style has the same pixels. */
static void
check_same_as_cli (const char        *name,
                   const char        *preset,
                   const char *const *args)
{
  const char *cli = g_getenv ("COORDYN_CLI");
  const char *examples = g_getenv ("COORDYN_EXAMPLES_DIR");
  CdChartView *chart = cd_analysis_view_get_chart (view, name);
  g_autofree char *model_path = NULL;
  g_autofree char *cli_png = g_strdup_printf ("%s/cli-%s%s.png", tmpdir, name, preset ? preset : "");
  g_autofree char *app_png = g_strdup_printf ("%s/app-%s%s.png", tmpdir, name, preset ? preset : "");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  cairo_surface_t *surface;
  double scale = preset ? 300.0 / 72.0 : 1.0;
  int status = 0, width, height;

  if (cli == NULL || !g_file_test (cli, G_FILE_TEST_IS_EXECUTABLE) || examples == NULL)
    g_error ("COORDYN_CLI and COORDYN_EXAMPLES_DIR must be set (meson test sets them)");
  model_path = g_build_filename (examples, "yangtze-river-delta.json", NULL);
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) args[0]);
  g_ptr_array_add (argv, model_path);
  for (guint i = 1; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, "/dev/null");
  g_ptr_array_add (argv, "--figure");
  g_ptr_array_add (argv, cli_png);
  if (preset != NULL)
    {
      g_ptr_array_add (argv, "--preset");
      g_ptr_array_add (argv, (gpointer) preset);
    }
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, &error))
    g_error ("could not run coordyn-cli: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("coordyn-cli %s --figure failed: %s", args[0], err);

  /* the CLI's size in units, from its PNG's pixels */
  surface = cairo_image_surface_create_from_png (cli_png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  width = (int) floor (cairo_image_surface_get_width (surface) / scale + 1e-6);
  height = (int) floor (cairo_image_surface_get_height (surface) / scale + 1e-6);
  cairo_surface_destroy (surface);
  if (preset == NULL)
    {
      /* no preset: the command line's default figure */
      g_assert_cmpint (width, ==, 1200);
      g_assert_cmpint (height, ==, 800);
    }
  g_assert_true (cd_chart_view_export_sized (chart, app_png, width, height, scale,
                                             preset ? CD_STYLE_PRINT : CD_STYLE_NORMAL, &error));
  g_assert_no_error (error);
  cd_test_assert_same_png (app_png, cli_png);
  g_unlink (app_png);
  g_unlink (cli_png);
}

/* The CSV starts with the header coordyn-cli writes (docs/analysis.md)
 * and has `rows` rows after it; returns the text. */
static char *
check_csv (const char *name,
           const char *header_start,
           guint       rows)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("%s.csv", name);
  g_autofree char *path = g_build_filename (tmpdir, file, NULL);
  g_auto (GStrv) lines = NULL;
  char *text = NULL;

  g_assert_true (cd_analysis_view_save_csv (view, name, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, header_start));
  lines = g_strsplit (text, "\n", -1);
  /* No cell is NaN or infinite: a missing value is an empty cell. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);
      for (guint c = 0; cells[c] != NULL; c++)
        {
          const char *cell = cells[c][0] == '-' || cells[c][0] == '+' ? cells[c] + 1 : cells[c];
          g_assert_false (g_ascii_strncasecmp (cell, "nan", 3) == 0
                          || g_ascii_strncasecmp (cell, "inf", 3) == 0);
        }
    }
  /* header, rows, and the empty string after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, rows + 2);
  g_unlink (path);
  return text;
}

static void
test_equilibria (void)
{
  guint n;
  g_autofree char *csv = NULL;

  set_spin ("eq-at", 0);
  run ("equilibria");
  n = cd_analysis_view_get_n_results (view, "equilibria");
  g_test_message ("%u equilibria", n);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (table_rows ("equilibria"), ==, n);
  /* A row is selected, so its government bars are on the chart. */
  g_assert_true (GTK_IS_SINGLE_SELECTION (gtk_column_view_get_model (
    cd_analysis_view_get_table (view, "equilibria"))));
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (
    gtk_column_view_get_model (cd_analysis_view_get_table (view, "equilibria")))), !=,
                    GTK_INVALID_LIST_POSITION);
  check_chart ("eq");
  check_same_as_cli ("eq", NULL, (const char *const[]) { "equilibria", "--at", "0", NULL });
  /* The summary counts them in words that fit one or many. */
  g_assert_true (shows_text (GTK_WIDGET (view), n == 1 ? " equilibrium with the parameters"
                                                       : " equilibria with the parameters"));
  g_assert_true (shows_text (GTK_WIDGET (view), n == 1 ? ", and it is " : " of them stable."));
  csv = check_csv ("equilibria", "index,stable,max_real_eigenvalue,mean_coordination,x:", n);
}

static void
test_sweep (void)
{
  GtkWidget *param = cd_analysis_view_get_control (view, "sweep-param");
  guint n, up = 0, down = 0;
  g_autofree char *csv = NULL;

  gtk_drop_down_set_selected (GTK_DROP_DOWN (param),
                              cd_test_param_row (window, CD_PARAM_GRAVITY_TRUST));
  set_spin ("sweep-from", 0);
  set_spin ("sweep-to", 3);
  set_spin ("sweep-steps", 10);
  run ("sweep");
  n = cd_analysis_view_get_n_results (view, "sweep");
  g_assert_cmpuint (n, >=, 22);   /* 11 values up, 11 down, and the search's */
  check_chart ("sweep");
  check_same_as_cli ("sweep", NULL, (const char *const[]) { "sweep", "gravity.trust", "0", "3",
                                                           "10", "--all", NULL });
  csv = check_csv ("sweep", "value,direction,mean_coordination,stable,tipping,branch\n", n);
  for (const char *p = csv; (p = strstr (p, ",up,")) != NULL; p++)
    up++;
  for (const char *p = csv; (p = strstr (p, ",down,")) != NULL; p++)
    down++;
  g_assert_cmpuint (up, ==, 11);
  g_assert_cmpuint (down, ==, 11);
}

/* A policy change at t = 10 that moves the equilibria: gravity from shared
 * interest raised to the top of its range. */
static gboolean
add_policy_change (CdModel  *model,
                   gpointer  user_data,
                   GError  **error)
{
  CdIntervention *iv = cd_intervention_new (10.0);

  cd_intervention_add (iv, CD_PARAM_GRAVITY_INTEREST, 4.0);
  g_ptr_array_add (model->interventions, iv);
  return TRUE;
}

/* How many parameters the document's model has: those of its version. */
static guint
n_version_params (void)
{
  CdParam list[CD_N_PARAMS];

  return cd_params_in_version (cd_document_get_model (cd_window_get_document (window))->version,
                               list);
}

/* The engine's sweep of the document's model at time at. */
static CdSweep *
engine_sweep (double at)
{
  CdDocument *document = cd_window_get_document (window);
  g_autoptr (GError) error = NULL;
  CdSweep *sweep;

  sweep = cd_sweep_run (cd_document_get_model (document), CD_PARAM_GRAVITY_TRUST, 0, 3, 6, at,
                        FALSE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return sweep;
}

/* Whether the CSV's rows are the sweep's points (17 significant digits
 * give back every double exactly). */
static gboolean
csv_is_sweep (const char    *csv,
              const CdSweep *sweep)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  guint n = g_strv_length (lines);

  /* header, rows, and the empty string after the last newline */
  if (n != sweep->points->len + 2)
    return FALSE;
  for (guint i = 0; i < sweep->points->len; i++)
    {
      const CdSweepPoint *p = &g_array_index (sweep->points, CdSweepPoint, i);
      g_auto (GStrv) cells = g_strsplit (lines[i + 1], ",", -1);

      if (g_strv_length (cells) != 6
          || g_ascii_strtod (cells[0], NULL) != p->value
          || strcmp (cells[1], cd_sweep_direction_to_string (p->direction)) != 0
          || g_ascii_strtod (cells[2], NULL) != p->mean_coordination
          || atoi (cells[3]) != (p->stable ? 1 : 0)
          || atoi (cells[4]) != (p->tipping ? 1 : 0)
          || strtoul (cells[5], NULL, 10) != p->branch)
        return FALSE;
    }
  return TRUE;
}

/* The sweep's At time: its range is the run, it starts at 0 as the CLI's
 * --at does, and a sweep run from the widget at a time after a policy
 * change is the engine's sweep at that time, not at 0. */
static void
test_sweep_at (void)
{
  CdDocument *document = cd_window_get_document (window);
  GtkWidget *at = cd_analysis_view_get_control (view, "sweep-at");
  GtkAdjustment *adj;
  g_autoptr (GError) error = NULL;
  g_autoptr (CdSweep) at_0 = NULL;
  g_autoptr (CdSweep) at_20 = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *path = g_build_filename (tmpdir, "sweep-at.csv", NULL);

  g_assert_true (GTK_IS_SPIN_BUTTON (at));
  adj = gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (at));
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0.0);
  g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, 0.0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==,
                     cd_document_get_model (document)->sim.t_end);

  g_assert_true (cd_document_apply (document, "Add policy change", NULL, CD_CHANGE_STRUCTURE,
                                    add_policy_change, NULL, &error));
  g_assert_no_error (error);
  at_0 = engine_sweep (0.0);
  at_20 = engine_sweep (20.0);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (cd_analysis_view_get_control (view, "sweep-param")),
                              cd_test_param_row (window, CD_PARAM_GRAVITY_TRUST));
  set_spin ("sweep-from", 0);
  set_spin ("sweep-to", 3);
  set_spin ("sweep-steps", 6);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cd_analysis_view_get_control (view,
                                                                                "sweep-all")),
                               FALSE);
  set_spin ("sweep-at", 20);
  run ("sweep");
  g_assert_true (cd_analysis_view_save_csv (view, "sweep", path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &shown, NULL, NULL));
  g_assert_true (csv_is_sweep (shown, at_20));
  /* Otherwise this test could not tell the times apart. */
  g_assert_false (csv_is_sweep (shown, at_0));
  g_assert_true (shows_text (GTK_WIDGET (view), "in force at t = 20,"));
  g_unlink (path);

  /* No time beyond the run. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (at), 1e5);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (at)), ==,
                     cd_document_get_model (document)->sim.t_end);

  g_assert_true (cd_document_undo (document));
  set_spin ("sweep-at", 0);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cd_analysis_view_get_control (view,
                                                                                "sweep-all")),
                               TRUE);
}

static void
test_sensitivity (void)
{
  g_autofree char *csv = NULL;
  g_autofree char *sobol_path = g_build_filename (tmpdir, "sensitivity-sobol.csv", NULL);
  g_autofree char *sobol = NULL;

  set_spin ("sens-delta", 0.1);
  set_spin ("sens-n", 8);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cd_analysis_view_get_control (view,
                                                                                "sens-sobol")),
                               TRUE);
  run ("sensitivity");
  /* every parameter of the model's version */
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "sensitivity"), ==, n_version_params ());
  check_chart ("tornado-mean");
  check_chart ("tornado-loss");
  check_chart ("sobol-mean");
  check_chart ("sobol-loss");
  check_same_as_cli ("tornado-mean", NULL,
                     (const char *const[]) { "sensitivity", "--delta", "0.1", NULL });
  check_same_as_cli ("tornado-loss", "column",
                     (const char *const[]) { "sensitivity", "--delta", "0.1", "--figure-outcome",
                                             "loss", NULL });
  check_same_as_cli ("sobol-mean", NULL,
                     (const char *const[]) { "sensitivity", "--delta", "0.1", "--sobol", "8",
                                             NULL });
  csv = check_csv ("sensitivity", "rank,parameter,base,low,high,", n_version_params ());
  /* The Sobol indices go beside it, one row per uncertain parameter. */
  g_assert_true (g_file_get_contents (sobol_path, &sobol, NULL, NULL));
  g_assert_true (g_str_has_prefix (sobol, "parameter,min,max,first_order_mean_coordination,"));
  g_assert_nonnull (strstr (sobol, "gravity.trust,"));
  g_assert_true (g_str_has_prefix (strchr (sobol, '\n') - strlen ("total_order_loss_conf"),
                                   "total_order_loss_conf\n"));
  g_unlink (sobol_path);
  /* N = 8 gives rough indices, and the summary says so and what helps */
  g_assert_true (shows_text (GTK_WIDGET (view), "The Sobol indices are rough at N = 8"));
}

static void
test_montecarlo (void)
{
  g_autofree char *csv = NULL;
  g_autofree char *bands_path = g_build_filename (tmpdir, "montecarlo-bands.csv", NULL);
  g_autofree char *bands = NULL;
  GtkWidget *threads = cd_analysis_view_get_control (view, "mc-threads");

  /* All cores by default. */
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (threads)), ==,
                     g_get_num_processors ());
  set_spin ("mc-runs", 20);
  set_spin ("mc-seed", 7);
  run ("montecarlo");
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "montecarlo"), ==, 20);
  check_chart ("fan-mean");
  check_chart ("fan-loss");
  check_same_as_cli ("fan-mean", NULL,
                     (const char *const[]) { "montecarlo", "--runs", "20", "--seed", "7", NULL });
  check_same_as_cli ("fan-mean", "column",
                     (const char *const[]) { "montecarlo", "--runs", "20", "--seed", "7", NULL });
  check_same_as_cli ("fan-loss", "page",
                     (const char *const[]) { "montecarlo", "--runs", "20", "--seed", "7",
                                             "--figure-outcome", "loss", NULL });
  csv = check_csv ("montecarlo", "run,gravity.trust,pressure.crisis,", 20);
  g_assert_true (g_file_get_contents (bands_path, &bands, NULL, NULL));
  g_assert_true (g_str_has_prefix (bands, "t,mean_coordination_q05,"));
  g_unlink (bands_path);
  /* the example's ranges hold its own values: nothing to warn about */
  g_assert_false (shows_text (GTK_WIDGET (view), "Outside the sampled range"));
}

/* A range without its parameter's base value, as the example had once. */
static gboolean
exclude_fragmentation (CdModel  *model,
                       gpointer  user_data,
                       GError  **error)
{
  for (guint i = 0; i < model->ranges->len; i++)
    {
      CdRange *r = &g_array_index (model->ranges, CdRange, i);
      if (r->param == CD_PARAM_RESISTANCE_FRAGMENTATION)
        {
          r->min = 1.5;
          r->max = 3.0;
          r->mode = 2.0;
          return TRUE;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no fragmentation range");
  return FALSE;
}

/* The pane says when a sampled range leaves out the base value (so the
 * band need not contain the base run), as the chart and the CLI do. */
static void
test_montecarlo_excluded (void)
{
  CdDocument *document = cd_window_get_document (window);
  g_autoptr (GError) error = NULL;

  g_assert_true (cd_document_apply (document, "Narrow a range", NULL, CD_CHANGE_STRUCTURE,
                                    exclude_fragmentation, NULL, &error));
  g_assert_no_error (error);
  set_spin ("mc-runs", 10);
  run ("montecarlo");
  g_assert_true (shows_text (GTK_WIDGET (view), "Outside the sampled range: Fragmentation "
                                                "resistance sampled in [1.5, 3] but 4 in the "
                                                "model."));
  check_chart ("fan-mean");
  g_assert_true (cd_document_undo (document));
  set_spin ("mc-runs", 20);
}

static gboolean
drop_ranges (CdModel  *model,
             gpointer  user_data,
             GError  **error)
{
  g_array_set_size (model->ranges, 0);
  return TRUE;
}

/* Most models have no "ranges" at first; the page studies them over the
 * box the Sobol indices use without ranges (it used to refuse, asking
 * for a section the app cannot write), and the summary says so. */
static void
test_montecarlo_without_ranges (void)
{
  CdDocument *document = cd_window_get_document (window);
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (cd_document_apply (document, "Drop the ranges", NULL, CD_CHANGE_STRUCTURE,
                                    drop_ranges, NULL, &error));
  g_assert_no_error (error);
  set_spin ("mc-runs", 10);
  run ("montecarlo");
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "montecarlo"), ==, 10);
  g_assert_true (shows_text (GTK_WIDGET (view), "every parameter uniformly within ±10 % of its "
                                                "range around its value"));
  check_chart ("fan-mean");
  /* every parameter of the version is sampled, not only the example's four */
  csv = check_csv ("montecarlo", "run,", 10);
  g_assert_nonnull (strstr (csv, ",resistance.fragmentation,"));
  g_assert_nonnull (strstr (csv, ",dynamics.rate,"));
  g_assert_true (cd_document_undo (document));
  set_spin ("mc-runs", 20);
}

static void
test_scenarios (void)
{
  const CdModel *model = cd_document_get_model (cd_window_get_document (window));
  g_autofree char *csv = NULL;

  g_assert_cmpuint (model->scenarios->len, >=, 2);
  run ("scenarios");
  /* The base and every scenario (all ticked by default). */
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "scenarios"), ==,
                    1 + model->scenarios->len);
  g_assert_cmpuint (table_rows ("scenarios"), ==, 1 + model->scenarios->len);
  check_chart ("scenarios");
  check_same_as_cli ("scenarios", NULL, (const char *const[]) { "compare", NULL });
  csv = check_csv ("scenarios", "scenario,final_mean_coordination,peak_mean_coordination,",
                   1 + model->scenarios->len);
  g_assert_true (g_str_has_prefix (strchr (csv, '\n') + 1, "base,"));
}

static void
test_metrics (void)
{
  const CdModel *model = cd_document_get_model (cd_window_get_document (window));
  g_autofree char *csv = NULL;

  run ("metrics");
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "metrics"), ==, model->nodes->len);
  g_assert_cmpuint (table_rows ("metrics"), ==, model->nodes->len);
  csv = check_csv ("metrics", "id,name,level,degree,superiors,subordinates,betweenness,",
                   model->nodes->len);
}

/* The Sobol part of a sensitivity study (after the tornado's first
 * quarter) is under way. */
static gboolean
sobol_started (gpointer data)
{
  return !cd_analysis_view_get_running (view) || cd_analysis_view_get_progress (view) > 0.25;
}

static void
test_cancel (void)
{
  guint n = cd_analysis_view_get_n_finished (view);
  double progress;

  /* A Sobol design far too long to finish during the test: 20,000 base
   * points, over a hundred thousand runs, minutes of CPU.  Larger would
   * prove nothing more and cost memory for the design up front. */
  set_spin ("sens-n", 20000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s",
                                             "sensitivity"));
  g_assert_true (cd_analysis_view_get_running (view));
  /* Cancelled as soon as its runs are under way (the UI keeps iterating
   * meanwhile): mid-study, not before it starts. */
  cd_test_wait_for (sobol_started, NULL, "the Sobol study to make progress");
  g_assert_true (cd_analysis_view_get_running (view));
  progress = cd_analysis_view_get_progress (view);
  g_test_message ("cancelled at %.4f", progress);
  g_assert_cmpfloat (progress, >, 0.25);
  g_assert_cmpfloat (progress, <, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.cancel", NULL));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 1), "the cancelled analysis to stop");
  g_test_message ("after cancel: %s", cd_analysis_view_get_status (view));
  g_assert_nonnull (strstr (cd_analysis_view_get_status (view), "cancelled"));
  g_assert_cmpfloat (cd_analysis_view_get_progress (view), ==, -1.0);
  /* The earlier results stay on the charts. */
  /* every parameter of the model's version */
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "sensitivity"), ==, n_version_params ());
  g_assert_true (cd_chart_view_get_ready (cd_analysis_view_get_chart (view, "sobol-mean")));
  set_spin ("sens-n", 8);
}

static void
test_newest_wins (void)
{
  guint n = cd_analysis_view_get_n_finished (view);
  guint points = cd_analysis_view_get_n_results (view, "sweep");

  /* A long sweep, superseded at once by the metrics. */
  set_spin ("sweep-steps", 100000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s", "sweep"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "analysis.run", "s",
                                             "metrics"));
  cd_test_wait_for (finished, GUINT_TO_POINTER (n + 2), "both requests to end");
  /* The sweep was cancelled: its old results are still the 10-step ones. */
  g_assert_cmpuint (cd_analysis_view_get_n_results (view, "sweep"), ==, points);
  g_assert_nonnull (strstr (cd_analysis_view_get_status (view), "Done"));
  set_spin ("sweep-steps", 10);
}

static gboolean
cut_label (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

/* On a 1280 × 720 projector every scenario's row of the comparison shows
 * under the chart: the table was under a divider at a fixed 520 pixels and
 * showed only the base model's row, the scenarios hidden below it.  And
 * the network metrics show whole names ("Central Gover…" before) with
 * every column in the pane. */
static void
test_projector_720 (void)
{
  CdAnalysisView *main_view = view;
  CdWindow *small = cd_test_window_new (NULL, 1280, 720, "yangtze-river-delta.json");
  GtkColumnView *table;
  GtkWidget *scroll;
  AdwViewStack *stack;
  int natural;

  cd_test_wait_for (cd_test_is_mapped, small, "the 1280 × 720 window to map");
  view = (CdAnalysisView *) cd_test_find_widget (GTK_WIDGET (small), CD_TYPE_ANALYSIS_VIEW);
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK));
  adw_view_stack_set_visible_child_name (stack, "analysis");
  cd_test_wait_for (cd_test_is_mapped, view, "its Analysis page to map");
  run ("scenarios");
  g_assert_cmpuint (table_rows ("scenarios"), >=, 3);
  table = cd_analysis_view_get_table (view, "scenarios");
  scroll = gtk_widget_get_ancestor (GTK_WIDGET (table), GTK_TYPE_SCROLLED_WINDOW);
  g_assert_nonnull (scroll);
  cd_test_iterate (20);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (small)), <=, 720);
  gtk_widget_measure (GTK_WIDGET (table), GTK_ORIENTATION_VERTICAL,
                      gtk_widget_get_width (scroll), NULL, &natural, NULL, NULL);
  g_test_message ("table %d px tall for %d px of rows", gtk_widget_get_height (scroll), natural);
  g_assert_cmpint (gtk_widget_get_height (scroll), >=, natural);
  g_object_unref (cd_test_snapshot (GTK_WIDGET (small), "analysis-scenarios-720.png"));

  run ("metrics");
  table = cd_analysis_view_get_table (view, "metrics");
  scroll = gtk_widget_get_ancestor (GTK_WIDGET (table), GTK_TYPE_SCROLLED_WINDOW);
  cd_test_iterate (20);
  {
    GtkWidget *cut = cd_test_find_widget_where (GTK_WIDGET (table), cut_label, NULL);
    int min;

    if (cut != NULL)
      g_error ("a metrics cell is cut with \"…\": %s", gtk_label_get_text (GTK_LABEL (cut)));
    gtk_widget_measure (GTK_WIDGET (table), GTK_ORIENTATION_HORIZONTAL, -1, &min, &natural, NULL,
                        NULL);
    g_test_message ("metrics table %d px wide in a %d px pane", natural,
                    gtk_widget_get_width (scroll));
    g_assert_cmpint (natural, <=, gtk_widget_get_width (scroll));
  }
  g_object_unref (cd_test_snapshot (GTK_WIDGET (small), "analysis-metrics-720.png"));
  view = main_view;
  gtk_window_destroy (GTK_WINDOW (small));
}

static gboolean
transition_done (gpointer data)
{
  return !gtk_stack_get_transition_running (GTK_STACK (data));
}

static void
test_snapshots (void)
{
  const char *pages[] = { "equilibria", "sweep", "sensitivity", "montecarlo", "scenarios",
                          "metrics" };
  GtkStack *stack = GTK_STACK (gtk_widget_get_ancestor (
    GTK_WIDGET (cd_analysis_view_get_chart (view, "sweep")), GTK_TYPE_STACK));

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *name = g_strdup_printf ("analysis-%s.png", pages[i]);
      gtk_stack_set_visible_child_name (stack, pages[i]);
      cd_test_wait_for (transition_done, stack, "the page to show");
      g_object_unref (cd_test_snapshot (GTK_WIDGET (window), name));
    }
}

int
main (int   argc,
      char *argv[])
{
  AdwViewStack *stack;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/analysis"))
    return 1;
  window = cd_test_window_new (NULL, 1600, 1000, "yangtze-river-delta.json");
  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");

  view = (CdAnalysisView *) cd_test_find_widget (GTK_WIDGET (window), CD_TYPE_ANALYSIS_VIEW);
  if (view == NULL)
    g_error ("the window has no Analysis page");
  stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (GTK_WIDGET (view), ADW_TYPE_VIEW_STACK));
  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (stack, "analysis");
  cd_test_wait_for (cd_test_is_mapped, view, "the Analysis page to map");
  tmpdir = g_dir_make_tmp ("coordyn-analysis-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/app/analysis/equilibria", test_equilibria);
  g_test_add_func ("/app/analysis/sweep", test_sweep);
  g_test_add_func ("/app/analysis/sweep-at", test_sweep_at);
  g_test_add_func ("/app/analysis/sensitivity", test_sensitivity);
  g_test_add_func ("/app/analysis/montecarlo", test_montecarlo);
  g_test_add_func ("/app/analysis/montecarlo-excluded", test_montecarlo_excluded);
  g_test_add_func ("/app/analysis/montecarlo-without-ranges", test_montecarlo_without_ranges);
  g_test_add_func ("/app/analysis/scenarios", test_scenarios);
  g_test_add_func ("/app/analysis/projector-720", test_projector_720);
  g_test_add_func ("/app/analysis/metrics", test_metrics);
  g_test_add_func ("/app/analysis/cancel", test_cancel);
  g_test_add_func ("/app/analysis/newest-wins", test_newest_wins);
  g_test_add_func ("/app/analysis/snapshots", test_snapshots);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return status;
}
