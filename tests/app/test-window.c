/* test-window.c — the real window: open an example, run it, edit through
 * the window's actions, undo and redo, save and reopen, drop a broken file,
 * and write a screenshot.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "cd-model-json.h"
#include "cd-window.h"

static CdWindow *window;

/* Iterates the main loop until cond holds.  The limit only keeps a broken
 * build from hanging CI; it is generous and asserts nothing about speed. */
static void
wait_for (gboolean   (*cond) (gpointer),
          gpointer     data,
          const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
run_idle (gpointer data)
{
  CdRunner *runner = cd_window_get_runner (window);
  return !cd_runner_get_running (runner) && cd_runner_get_n_delivered (runner) >= GPOINTER_TO_UINT (data);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
wait_for_run (void)
{
  guint n = cd_runner_get_n_delivered (cd_window_get_runner (window));

  /* A run was requested by the last change: wait for one more delivery. */
  wait_for (run_idle, GUINT_TO_POINTER (n + (cd_runner_get_running (cd_window_get_runner (window)) ? 1 : 0)),
            "the simulation run");
}

static void
activate (const char *action,
          GVariant   *param)
{
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (window), action));
  g_action_group_activate_action (G_ACTION_GROUP (window), action, param);
}

static const CdModel *
model (void)
{
  return cd_document_get_model (cd_window_get_document (window));
}

static void
test_example_runs (void)
{
  const CdTrajectory *traj;
  CdRun *run;

  wait_for (is_mapped, window, "the window to map");
  wait_for_run ();
  g_assert_cmpuint (model ()->nodes->len, >, 0);
  run = cd_runner_get_run (cd_window_get_runner (window));
  g_assert_nonnull (run);
  traj = cd_timeseries_view_get_trajectory (cd_window_get_timeseries (window));
  g_assert_true (traj == run->trajectory);
  g_assert_cmpuint (traj->n_samples, ==, cd_run_n_samples (model ()->sim.t_end, model ()->sim.dt));
  g_assert_cmpuint (traj->n_nodes, ==, model ()->nodes->len);
  g_assert_nonnull (traj->gravity);
  for (guint k = 0; k < traj->n_samples; k++)
    g_assert_true (isfinite (traj->mean_coordination[k]));
}

static void
test_edits_undo_redo (void)
{
  g_autoptr (CdModel) original = cd_model_copy (model ());
  g_autoptr (CdModel) edited = NULL;
  CdCanvas *canvas = cd_window_get_canvas (window);
  guint n_nodes = model ()->nodes->len;
  guint n_edges = model ()->edges->len;
  int steps = 0;

  activate ("add-government", g_variant_new_string ("county"));
  steps++;
  g_assert_cmpuint (model ()->nodes->len, ==, n_nodes + 1);
  g_assert_cmpint (((CdNode *) g_ptr_array_index (model ()->nodes, n_nodes))->level, ==,
                   CD_LEVEL_COUNTY);

  /* The new government is selected; add the first one, then connect. */
  cd_canvas_select_node (canvas, 0, TRUE);
  activate ("connect", g_variant_new_string ("partnership"));
  steps++;
  g_assert_cmpuint (model ()->edges->len, ==, n_edges + 1);

  activate ("set-parameter", g_variant_new ("(sd)", "resistance.law", 0.5));
  steps++;
  g_assert_cmpfloat (model ()->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.5);

  /* The live re-run reaches the views with the new value. */
  wait_for_run ();
  g_assert_cmpfloat (cd_runner_get_run (cd_window_get_runner (window))
                       ->model->params.values[CD_PARAM_RESISTANCE_LAW], ==, 0.5);

  activate ("layout", g_variant_new_string ("hierarchy"));
  steps++;

  /* Delete the first government: its ties go with it. */
  cd_canvas_select_node (canvas, 0, FALSE);
  activate ("delete", NULL);
  steps++;
  g_assert_cmpuint (model ()->nodes->len, ==, n_nodes);
  edited = cd_model_copy (model ());

  for (int k = 0; k < steps; k++)
    activate ("undo", NULL);
  g_assert_true (cd_model_equal (model (), original));
  g_assert_false (cd_document_get_dirty (cd_window_get_document (window)));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "undo"));

  for (int k = 0; k < steps; k++)
    activate ("redo", NULL);
  g_assert_true (cd_model_equal (model (), edited));

  for (int k = 0; k < steps; k++)
    activate ("undo", NULL);
  g_assert_true (cd_model_equal (model (), original));
  wait_for_run ();
}

static void
test_save_reopen (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "model.coordyn.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (CdModel) saved = NULL;
  g_autoptr (GError) error = NULL;
  CdDocument *doc = cd_window_get_document (window);

  activate ("set-parameter", g_variant_new ("(sd)", "thrust.appraisal", 1.5));
  g_assert_true (cd_document_get_dirty (doc));
  g_assert_true (cd_document_save (doc, file, &error));
  g_assert_no_error (error);
  g_assert_false (cd_document_get_dirty (doc));
  saved = cd_model_copy (model ());

  cd_document_set_model (doc, cd_model_new (), NULL);
  g_assert_cmpuint (model ()->nodes->len, ==, 0);
  g_assert_true (cd_window_open_file (window, file));
  g_assert_true (cd_model_equal (model (), saved));
  g_assert_false (cd_document_get_dirty (doc));
  wait_for_run ();
  g_unlink (path);
  g_rmdir (dir);
}

static GtkDropTarget *
find_drop_target (void)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint k = 0; k < g_list_model_get_n_items (controllers); k++)
    {
      g_autoptr (GObject) c = g_list_model_get_item (controllers, k);
      if (GTK_IS_DROP_TARGET (c))
        return GTK_DROP_TARGET (c);
    }
  return NULL;
}

static void
close_dialogs (void)
{
  GList *toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data))
      gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (toplevels);
}

static void
test_drop_malformed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (CdModel) before = cd_model_copy (model ());
  const char *broken =
    "{\"nodes\": [{\"id\": \"a\"}], \"edges\": [{\"kind\": \"command\", "
    "\"source\": \"a\", \"target\": \"sx\"}]}";
  GtkDropTarget *drop = find_drop_target ();
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;
  const char *message;

  g_assert_nonnull (drop);
  g_assert_true (g_file_set_contents (path, broken, -1, NULL));
  g_value_init (&value, G_TYPE_FILE);
  g_value_set_object (&value, file);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_assert_true (accepted);

  /* Reported, naming the place; the model is kept. */
  message = cd_window_get_last_error (window);
  g_assert_nonnull (message);
  g_test_message ("reported: %s", message);
  g_assert_nonnull (strstr (message, "edges[0].target"));
  g_assert_true (cd_model_equal (model (), before));
  close_dialogs ();
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_screenshot (void)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int w, h;

  wait_for_run ();
  /* Let a frame draw the delivered run. */
  for (int k = 0; k < 50; k++)
    g_main_context_iteration (NULL, FALSE);
  w = gtk_widget_get_width (GTK_WIDGET (window));
  h = gtk_widget_get_height (GTK_WIDGET (window));
  g_assert_cmpint (w, >, 0);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_nonnull (texture);
  path = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                           "app-window.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s (%d×%d)", path, w, h);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      /* Never a silent pass: the GUI tests need a display. */
      g_printerr ("FAIL: no display: run the app tests under `xvfb-run -a meson test`\n");
      printf ("1..1\nnot ok 1 /app/window - no display (gtk_init_check failed)\n");
      return 1;
    }
  adw_init ();

  window = cd_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (cd_window_open_builtin_example (window));
  gtk_window_present (GTK_WINDOW (window));

  g_test_add_func ("/app/window/example-runs", test_example_runs);
  g_test_add_func ("/app/window/edits-undo-redo", test_edits_undo_redo);
  g_test_add_func ("/app/window/save-reopen", test_save_reopen);
  g_test_add_func ("/app/window/drop-malformed", test_drop_malformed);
  g_test_add_func ("/app/window/screenshot", test_screenshot);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
