/* test-export.c — Export Figure… and Export Results as CSV… of the real
 * window: every view exported at the time cursor with a government
 * selected must be the PNG `coordyn-cli render` makes with the same
 * options, and the table the CSV of `coordyn-cli run --forces --trust`.
 * The dialog's and the CSV chooser's worker-thread paths must write the
 * same bytes, and a cancelled export no file and no temporary file.
 *
 * Needs a display (CI: xvfb-run -a meson test) and COORDYN_CLI; without
 * either it FAILS with a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <adwaita.h>

#include "cd-export-dialog.h"
#include "cd-test-util.h"
#include "cd-window.h"

#define EXAMPLE "yangtze-river-delta.json"

static CdWindow *window;
static char *workdir;

static const CdModel *
model (void)
{
  return cd_document_get_model (cd_window_get_document (window));
}

static char *
example_path (void)
{
  const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");

  g_assert_nonnull (dir);
  return g_build_filename (dir, EXAMPLE, NULL);
}

static const char *
cli (void)
{
  const char *path = g_getenv ("COORDYN_CLI");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("COORDYN_CLI is not set to the coordyn-cli executable: cannot compare with it");
  return path;
}

/* Runs coordyn-cli; asserts it succeeded and returns its standard output. */
static char *
run_cli (GPtrArray *args)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_ptr_array_insert (args, 0, g_strdup (cli ()));
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    g_error ("could not run coordyn-cli: %s", error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("coordyn-cli failed: %s", err);
  return g_steal_pointer (&out);
}

static void
set_series (CdTimeseriesKind kind)
{
  GtkWidget *dropdown = cd_test_find_by_id (GTK_WIDGET (window), "plot_kind");

  g_assert_true (GTK_IS_DROP_DOWN (dropdown));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), kind);
  g_assert_cmpint (cd_window_get_series_kind (window), ==, kind);
}

/* Exports view from the window's state (as the dialog's Export does, with
 * the dialog's size, scale and style), then renders it with coordyn-cli
 * and compares. */
static void
check_view (CdFigureView     view,
            CdTimeseriesKind series,
            double           scale,
            CdStylePreset    style,
            const char      *name)
{
  static const char * const style_names[] = { "normal", "dark", "projector" };
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  g_autofree char *app_png = g_strdup_printf ("%s/app-%s.png", workdir, name);
  g_autofree char *cli_png = g_strdup_printf ("%s/cli-%s.png", workdir, name);
  g_autofree char *model_path = example_path ();
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  char time[G_ASCII_DTOSTR_BUF_SIZE];
  CdFigureSpec spec;

  set_series (series);
  snapshot = cd_window_dup_export_snapshot (window);
  cd_export_snapshot_fill_spec (snapshot, view, &spec);
  g_assert_cmpint (spec.view, ==, view);
  g_assert_cmpint (spec.series, ==, series);
  g_assert_cmpfloat (spec.time, ==, cd_window_get_cursor_time (window));
  /* The view's size on screen. */
  g_assert_cmpint (spec.width, >, 100);
  g_assert_cmpint (spec.height, >, 100);
  g_assert_cmpuint (spec.n_nodes, ==, 1);
  spec.scale = scale;
  spec.style = style;
  if (!cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, app_png, &error))
    g_error ("export of %s failed: %s", name, error->message);

  g_ptr_array_add (args, g_strdup ("render"));
  g_ptr_array_add (args, g_strdup (model_path));
  g_ptr_array_add (args, g_strdup_printf ("--view=%s", cd_figure_view_to_string (view)));
  g_ptr_array_add (args, g_strdup_printf ("--series=%s", cd_figure_series_to_string (series)));
  /* The exact double, so the chart's cursor falls on the same pixel. */
  g_ascii_formatd (time, sizeof time, "%.17g", spec.time);
  g_ptr_array_add (args, g_strdup_printf ("--time=%s", time));
  g_ptr_array_add (args, g_strdup_printf ("--width=%d", spec.width));
  g_ptr_array_add (args, g_strdup_printf ("--height=%d", spec.height));
  g_ascii_formatd (time, sizeof time, "%g", scale);
  g_ptr_array_add (args, g_strdup_printf ("--scale=%s", time));
  g_ptr_array_add (args, g_strdup_printf ("--style=%s", style_names[style]));
  g_ptr_array_add (args, g_strdup_printf ("--node=%s",
    ((CdNode *) g_ptr_array_index (model ()->nodes, spec.nodes[0]))->id));
  if (!spec.show_glyphs)
    g_ptr_array_add (args, g_strdup ("--no-glyphs"));
  if (spec.show_flows)
    g_ptr_array_add (args, g_strdup ("--flows"));
  g_ptr_array_add (args, g_strdup ("--format=png"));
  g_ptr_array_add (args, g_strdup_printf ("--output=%s", cli_png));
  out = run_cli (args);
  cd_test_assert_same_png (app_png, cli_png);
}

static void
test_figures (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *uri = NULL;
  g_autofree char *expected = NULL;
  int jiangsu;

  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  cd_test_wait_for_run (window);
  cd_test_iterate (20);
  jiangsu = cd_model_find_node (model (), "jiangsu");
  g_assert_cmpint (jiangsu, >=, 0);
  cd_canvas_select_node (cd_window_get_canvas (window), jiangsu, FALSE);
  /* Between two samples, so the sample "at or before" is what both pick. */
  cd_window_set_cursor_time (window, 17.25);
  g_assert_cmpfloat (cd_window_get_cursor_time (window), ==, 17.25);
  cd_test_iterate (5);

  check_view (CD_FIGURE_NETWORK, CD_TIMESERIES_MEAN_AND_LOSS, 1.0, CD_STYLE_NORMAL, "network");
  check_view (CD_FIGURE_NETWORK, CD_TIMESERIES_MEAN_AND_LOSS, 2.0, CD_STYLE_DARK,
              "network-dark-2x");
  check_view (CD_FIGURE_FORCES, CD_TIMESERIES_MEAN_AND_LOSS, 1.0, CD_STYLE_NORMAL, "forces");
  check_view (CD_FIGURE_FORCES, CD_TIMESERIES_MEAN_AND_LOSS, 3.0, CD_STYLE_PROJECTOR,
              "forces-projector-3x");
  check_view (CD_FIGURE_TIMESERIES, CD_TIMESERIES_MEAN_AND_LOSS, 1.0, CD_STYLE_NORMAL,
              "timeseries-mean");
  check_view (CD_FIGURE_TIMESERIES, CD_TIMESERIES_FORCES, 1.0, CD_STYLE_NORMAL,
              "timeseries-forces");
  check_view (CD_FIGURE_TIMESERIES, CD_TIMESERIES_NODES, 2.0, CD_STYLE_DARK, "timeseries-nodes");
  set_series (CD_TIMESERIES_MEAN_AND_LOSS);

  /* The folder is offered first next time. */
  uri = g_settings_get_string (settings, "last-export-dir");
  expected = g_filename_to_uri (workdir, NULL, NULL);
  g_assert_cmpstr (uri, ==, expected);
}

static void
test_csv (void)
{
  g_autofree char *path = g_build_filename (workdir, "results.csv", NULL);
  g_autofree char *model_path = example_path ();
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *app = NULL;
  g_autofree char *expected = NULL;
  g_autoptr (GDir) dir = NULL;
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  const char *name;

  cd_test_wait_for_run (window);
  snapshot = cd_window_dup_export_snapshot (window);
  if (!cd_export_dialog_export_csv_to (snapshot, path, &error))
    g_error ("CSV export failed: %s", error->message);
  g_assert_true (g_file_get_contents (path, &app, NULL, NULL));
  g_ptr_array_add (args, g_strdup ("run"));
  g_ptr_array_add (args, g_strdup (model_path));
  g_ptr_array_add (args, g_strdup ("--forces"));
  g_ptr_array_add (args, g_strdup ("--trust"));
  expected = run_cli (args);
  g_assert_true (g_str_has_prefix (app, "t,mean_coordination,loss,x:"));
  g_assert_nonnull (strstr (app, ",G:jiangsu,"));
  g_assert_nonnull (strstr (app, ",trust:"));
  /* The whole table, header and 601 rows, to the last digit. */
  g_assert_cmpuint (strlen (app), ==, strlen (expected));
  g_assert_cmpstr (app, ==, expected);

  /* Overwriting keeps no temporary file behind. */
  g_assert_true (cd_export_dialog_export_csv_to (snapshot, path, NULL));
  dir = g_dir_open (workdir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".results.csv."));
}

static void
test_refusals (void)
{
  g_autoptr (GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *bad = g_build_filename (workdir, "no-such-folder", "figure.png", NULL);
  g_autofree char *stale = g_build_filename (workdir, "stale.png", NULL);
  g_autofree char *stale_csv = g_build_filename (workdir, "stale.csv", NULL);
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  g_autoptr (GError) error = NULL;
  CdFigureSpec spec;

  /* Left by an earlier run of this test. */
  g_unlink (stale);
  g_unlink (stale_csv);
  cd_test_wait_for_run (window);
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_null (snapshot->problem);
  cd_export_snapshot_fill_spec (snapshot, CD_FIGURE_NETWORK, &spec);

  /* A folder that does not exist: a message, no file, no crash. */
  g_assert_false (cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, bad, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  g_assert_false (cd_export_dialog_export_csv_to (snapshot, bad, &error));
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  /* The force diagram needs a government. */
  spec.view = CD_FIGURE_FORCES;
  spec.n_nodes = 0;
  g_assert_false (cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, stale, &error));
  g_assert_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  spec.view = CD_FIGURE_NETWORK;

  /* Edited with live re-run off: the results are not of the model on screen. */
  g_settings_set_boolean (settings, "live-rerun", FALSE);
  cd_test_activate (window, "set-parameter", g_variant_new ("(sd)", "resistance.law", 0.5));
  g_clear_pointer (&snapshot, cd_export_snapshot_free);
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_nonnull (snapshot->problem);
  g_assert_false (cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, stale, &error));
  g_assert_nonnull (strstr (error->message, "changed since the last run"));
  g_clear_error (&error);
  g_assert_false (cd_export_dialog_export_csv_to (snapshot, stale_csv, &error));
  g_clear_error (&error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale_csv, G_FILE_TEST_EXISTS));

  /* Run again: exportable again. */
  g_settings_set_boolean (settings, "live-rerun", TRUE);
  cd_test_activate (window, "run", NULL);
  cd_test_wait_for_run (window);
  g_clear_pointer (&snapshot, cd_export_snapshot_free);
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_true (cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, stale, NULL));
  g_assert_true (g_file_test (stale, G_FILE_TEST_EXISTS));
  cd_test_activate (window, "undo", NULL);
  cd_test_wait_for_run (window);
}

static gboolean
is_export_dialog (gpointer data)
{
  GtkWindow **found = data;
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint k = 0; k < g_list_model_get_n_items (toplevels); k++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, k);
      if (CD_IS_EXPORT_DIALOG (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        {
          *found = GTK_WINDOW (w);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_dialog (void)
{
  GtkWindow *dialog = NULL;
  GtkWidget *spin;
  GtkWidget *export_button;
  g_autoptr (GdkTexture) shot = NULL;

  g_assert_true (cd_test_window_has_action (window, "export-csv"));
  cd_test_activate (window, "export-figure", NULL);
  cd_test_wait_for (is_export_dialog, &dialog, "the Export Figure dialog");
  cd_test_iterate (20);
  /* Opens on the network at its size on screen, ready to export. */
  spin = cd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   gtk_widget_get_width (GTK_WIDGET (cd_window_get_canvas (window))));
  export_button = cd_test_find_widget_where (GTK_WIDGET (dialog),
                                             (CdTestMatch) (gpointer) gtk_widget_has_css_class,
                                             "suggested-action");
  g_assert_nonnull (export_button);
  g_assert_true (gtk_widget_get_sensitive (export_button));
  shot = cd_test_snapshot (GTK_WIDGET (dialog), "export-dialog.png");
  g_assert_nonnull (shot);
  gtk_window_close (dialog);
  cd_test_iterate (5);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* No temporary file of name (".name.XXXXXX", or GIO's) is left in workdir. */
static gboolean
no_temp_of (gpointer data)
{
  g_autofree char *prefix = g_strdup_printf (".%s.", (const char *) data);
  g_autoptr (GDir) dir = g_dir_open (workdir, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) || g_str_has_prefix (name, ".goutputstream-"))
      return FALSE;
  return TRUE;
}

static void
assert_same_bytes (const char *a,
                   const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize na, nb;

  g_assert_true (g_file_get_contents (a, &da, &na, NULL));
  g_assert_true (g_file_get_contents (b, &db, &nb, NULL));
  g_assert_cmpuint (na, >, 1000);
  g_assert_cmpuint (na, ==, nb);
  g_assert_true (memcmp (da, db, na) == 0);
}

/* Export through the dialog as its file chooser does: busy while the worker
 * draws, then closed with the same bytes as the synchronous export. */
static void
test_dialog_async (void)
{
  g_autofree char *sync_png = g_build_filename (workdir, "sync-network.png", NULL);
  g_autofree char *async_png = g_build_filename (workdir, "async-network.png", NULL);
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  CdExportDialog *dialog;
  GtkWidget *spin;
  CdFigureSpec spec;

  g_unlink (async_png);
  cd_test_wait_for_run (window);
  g_assert_false (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  dialog = CD_EXPORT_DIALOG (cd_export_dialog_new (GTK_WINDOW (window),
                                                   cd_window_dup_export_snapshot (window)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  cd_test_wait_for (cd_test_is_mapped, dialog, "the Export Figure dialog");
  g_assert_false (cd_export_dialog_get_busy (dialog));

  /* What the dialog will draw: the network at its size, light, 1×. */
  spin = cd_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON);
  snapshot = cd_window_dup_export_snapshot (window);
  cd_export_snapshot_fill_spec (snapshot, CD_FIGURE_NETWORK, &spec);
  g_assert_cmpint (spec.width, ==, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)));
  g_assert_true (cd_export_dialog_export_to (snapshot, &spec, CD_EXPORT_PNG, sync_png, NULL));

  cd_export_dialog_save_to (dialog, async_png);
  g_assert_true (cd_export_dialog_get_busy (dialog));
  g_assert_false (gtk_widget_get_sensitive (cd_test_find_widget_where (GTK_WIDGET (dialog),
    (CdTestMatch) (gpointer) gtk_widget_has_css_class, "suggested-action")));
  /* The file appears only when complete: on success the dialog goes. */
  g_assert_false (g_file_test (async_png, G_FILE_TEST_EXISTS));
  cd_test_wait_for (is_null, &dialog, "the export to finish and the dialog to close");
  assert_same_bytes (sync_png, async_png);
  cd_test_wait_for (no_temp_of, "async-network.png", "no temporary file to be left");
}

/* Cancel (the dialog's Cancel or Escape) while the worker draws: the dialog
 * goes back to its options, and no file and no temporary file are left. */
static void
test_dialog_cancel (void)
{
  g_autofree char *png = g_build_filename (workdir, "cancelled.png", NULL);
  CdExportDialog *dialog;

  g_unlink (png);
  cd_test_wait_for_run (window);
  dialog = CD_EXPORT_DIALOG (cd_export_dialog_new (GTK_WINDOW (window),
                                                   cd_window_dup_export_snapshot (window)));
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  cd_test_wait_for (cd_test_is_mapped, dialog, "the Export Figure dialog");
  cd_export_dialog_save_to (dialog, png);
  g_assert_true (cd_export_dialog_get_busy (dialog));
  /* The temporary file is made at once and lives until the worker is done. */
  g_assert_false (no_temp_of ("cancelled.png"));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_nonnull (dialog);
  g_assert_false (cd_export_dialog_get_busy (dialog));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  /* Closing when idle closes; the object lives until the worker returns. */
  gtk_window_close (GTK_WINDOW (dialog));
  cd_test_wait_for (is_null, &dialog, "the cancelled export's worker to return");
  cd_test_wait_for (no_temp_of, "cancelled.png", "the temporary file to be removed");
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

static gboolean
is_cancel_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Cancel") == 0;
}

/* The CSV chooser's path: the same table as the synchronous export, and a
 * cancel (closing the progress window) leaves no file and no temporary one,
 * and leaves an existing file as it was. */
static void
test_csv_async (void)
{
  g_autofree char *sync_csv = g_build_filename (workdir, "sync.csv", NULL);
  g_autofree char *async_csv = g_build_filename (workdir, "async.csv", NULL);
  g_autofree char *kept_csv = g_build_filename (workdir, "kept.csv", NULL);
  g_autofree char *kept = NULL;
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  GtkWindow *progress;
  GtkWidget *cancel;

  g_unlink (async_csv);
  cd_test_wait_for_run (window);
  snapshot = cd_window_dup_export_snapshot (window);
  g_assert_true (cd_export_dialog_export_csv_to (snapshot, sync_csv, NULL));
  progress = cd_export_dialog_save_csv_to (GTK_WINDOW (window), snapshot, async_csv);
  g_assert_nonnull (progress);
  g_object_add_weak_pointer (G_OBJECT (progress), (gpointer *) &progress);
  cd_test_wait_for (is_null, &progress, "the CSV export to finish");
  assert_same_bytes (sync_csv, async_csv);
  cd_test_wait_for (no_temp_of, "async.csv", "no temporary file to be left");

  g_assert_true (g_file_set_contents (kept_csv, "an earlier table\n", -1, NULL));
  progress = cd_export_dialog_save_csv_to (GTK_WINDOW (window), snapshot, kept_csv);
  g_assert_nonnull (progress);
  g_object_add_weak_pointer (G_OBJECT (progress), (gpointer *) &progress);
  g_assert_false (no_temp_of ("kept.csv"));
  /* The progress window's Cancel, as soon as it is there. */
  cancel = cd_test_find_widget_where (GTK_WIDGET (progress), is_cancel_button, NULL);
  g_assert_nonnull (cancel);
  g_signal_emit_by_name (cancel, "clicked");
  g_assert_null (progress);
  cd_test_wait_for (no_temp_of, "kept.csv", "the cancelled export's worker to remove its file");
  g_assert_true (g_file_get_contents (kept_csv, &kept, NULL, NULL));
  /* (Not cmpstr: a table in the message would bury it.) */
  g_assert_true (g_str_equal (kept, "an earlier table\n"));
}

/* The public async API, cancelled before the worker can finish: the
 * cancel wins, whatever the worker managed, since the rename comes after. */
static void
on_done (CdWorker     *worker,
         const GError *error,
         gpointer      data)
{
  GError **out = data;

  g_assert_nonnull (error);
  *out = g_error_copy (error);
}

static void
test_async_cancelled (void)
{
  g_autofree char *pdf = g_build_filename (workdir, "never.pdf", NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  g_autoptr (CdWorker) worker = NULL;
  GError *error = NULL;
  CdFigureSpec spec;

  g_unlink (pdf);
  cd_test_wait_for_run (window);
  snapshot = cd_window_dup_export_snapshot (window);
  cd_export_snapshot_fill_spec (snapshot, CD_FIGURE_NETWORK, &spec);
  worker = cd_export_dialog_export_async (snapshot, &spec, CD_EXPORT_PDF, pdf, cancellable,
                                          on_done, &error);
  g_cancellable_cancel (cancellable);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  cd_test_wait_for (no_temp_of, "never.pdf", "the temporary file to be removed");
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

/* A figure cancelled while it is drawn (here: by its own drawing, so the
 * cancel is certain to come before the first byte is encoded) is not
 * written: the error is G_IO_ERROR_CANCELLED, the figure already there is
 * untouched and no temporary file is left, in every format. */
typedef struct
{
  const CdRun        *run;
  const CdFigureSpec *spec;
  GCancellable       *cancellable;   /* cancelled once drawn, unless NULL */
} CancellingDraw;

static void
draw_then_cancel (cairo_t  *cr,
                  int       width,
                  int       height,
                  gpointer  data)
{
  CancellingDraw *d = data;

  cd_figure_draw (cr, width, height, d->run->model, d->run->system, d->run->trajectory, d->spec);
  if (d->cancellable != NULL)
    g_cancellable_cancel (d->cancellable);
}

static void
test_cancelled_while_drawing (void)
{
  static const char *names[] = { "kept.png", "kept.svg", "kept.pdf" };
  g_autoptr (CdExportSnapshot) snapshot = NULL;
  CdFigureSpec spec;

  cd_test_wait_for_run (window);
  snapshot = cd_window_dup_export_snapshot (window);
  cd_export_snapshot_fill_spec (snapshot, CD_FIGURE_NETWORK, &spec);
  spec.width = 2400;
  spec.height = 1600;
  for (CdExportFormat format = CD_EXPORT_PNG; format <= CD_EXPORT_PDF; format++)
    {
      g_autofree char *path = g_build_filename (workdir, names[format], NULL);
      g_autofree char *contents = NULL;
      g_autoptr (GCancellable) cancellable = g_cancellable_new ();
      g_autoptr (GError) error = NULL;
      CancellingDraw d = { cd_runner_get_run (cd_window_get_runner (window)), &spec,
                           cancellable };

      g_assert_true (g_file_set_contents (path, "the figure from before", -1, NULL));
      g_assert_false (cd_export_to_file (format, path, spec.width, spec.height, 2.0,
                                         draw_then_cancel, &d, cancellable, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "the figure from before");
      g_assert_true (no_temp_of ((gpointer) names[format]));
      /* and uncancelled, the same call writes the figure */
      g_clear_error (&error);
      g_cancellable_reset (cancellable);
      d.cancellable = NULL;
      g_assert_true (cd_export_to_file (format, path, 600, 400, 1.0, draw_then_cancel, &d,
                                        cancellable, &error));
      g_assert_no_error (error);
      g_clear_pointer (&contents, g_free);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, !=, "the figure from before");
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/export"))
    return 1;
  workdir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                              "export-out", NULL);
  g_mkdir_with_parents (workdir, 0755);
  window = cd_test_window_new (NULL, 1280, 800, EXAMPLE);

  g_test_add_func ("/app/export/figures-match-cli", test_figures);
  g_test_add_func ("/app/export/csv-matches-cli", test_csv);
  g_test_add_func ("/app/export/refusals", test_refusals);
  g_test_add_func ("/app/export/dialog", test_dialog);
  g_test_add_func ("/app/export/dialog-async", test_dialog_async);
  g_test_add_func ("/app/export/dialog-cancel", test_dialog_cancel);
  g_test_add_func ("/app/export/csv-async", test_csv_async);
  g_test_add_func ("/app/export/async-cancelled", test_async_cancelled);
  g_test_add_func ("/app/export/cancelled-while-drawing", test_cancelled_while_drawing);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_free (workdir);
  return status;
}
