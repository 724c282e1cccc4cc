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
#include "cd-test-util.h"
#include "cd-window.h"

static CdWindow *window;

static void
activate (const char *action,
          GVariant   *param)
{
  cd_test_activate (window, action, param);
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

  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  cd_test_wait_for_run (window);
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

static double
canvas_zoom (void)
{
  double zoom;

  cd_canvas_get_transform (cd_window_get_canvas (window), &zoom, NULL, NULL);
  return zoom;
}

/* Gives the canvas a new size, as the window's layout would after the user
 * resized it (a shown GTK 4 window cannot be resized by the program). */
static void
allocate_canvas (int width,
                 int height)
{
  GtkWidget *canvas = GTK_WIDGET (cd_window_get_canvas (window));
  int min, nat;

  gtk_widget_measure (canvas, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (canvas, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  gtk_widget_size_allocate (canvas, &(GtkAllocation) { 0, 0, width, height }, -1);
}

static gboolean
canvas_is_allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 1;
}

/* A larger window shows the fitted network larger; a view the user chose
 * (zoomed) keeps its zoom and its centre when the window changes. */
static void
test_resize_refits (void)
{
  CdCanvas *canvas = cd_window_get_canvas (window);
  int width, height;
  double zoom, cx, cy, cx2, cy2;

  cd_test_wait_for (canvas_is_allocated, canvas, "the canvas to be laid out");
  width = gtk_widget_get_width (GTK_WIDGET (canvas));
  height = gtk_widget_get_height (GTK_WIDGET (canvas));
  cd_canvas_fit (canvas);
  zoom = canvas_zoom ();
  allocate_canvas (width + 320, height + 200);
  g_assert_cmpfloat (canvas_zoom (), >, zoom * 1.1);

  cd_canvas_zoom (canvas, 1.5);
  zoom = canvas_zoom ();
  cd_canvas_get_center (canvas, &cx, &cy);
  allocate_canvas (width, height);
  g_assert_cmpfloat (canvas_zoom (), ==, zoom);
  cd_canvas_get_center (canvas, &cx2, &cy2);
  g_assert_cmpfloat_with_epsilon (cx2, cx, 1.0 / zoom);
  g_assert_cmpfloat_with_epsilon (cy2, cy, 1.0 / zoom);

  /* back to the window's own layout, fitted */
  cd_canvas_fit (canvas);
  gtk_widget_queue_resize (GTK_WIDGET (window));
  cd_test_iterate (5);
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
  cd_test_wait_for_run (window);
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
  /* Nothing left to undo: the header's Undo button says so. */
  g_assert_false (gtk_widget_get_sensitive (cd_test_find_button_for_action (GTK_WIDGET (window),
                                                                            "win.undo")));

  for (int k = 0; k < steps; k++)
    activate ("redo", NULL);
  g_assert_true (cd_model_equal (model (), edited));

  for (int k = 0; k < steps; k++)
    activate ("undo", NULL);
  g_assert_true (cd_model_equal (model (), original));
  cd_test_wait_for_run (window);
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
  cd_test_wait_for_run (window);
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
drop_files (GFile *const *files,
            guint         n)
{
  GtkDropTarget *drop = find_drop_target ();
  GValue value = G_VALUE_INIT;
  GSList *list = NULL;
  gboolean accepted = FALSE;

  for (guint i = n; i-- > 0;)
    list = g_slist_prepend (list, files[i]);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, list);
  g_signal_emit_by_name (drop, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (list);
  g_assert_true (accepted);
}

static void
assert_same_network (const CdModel *a,
                     const CdModel *b)
{
  g_assert_cmpuint (a->nodes->len, ==, b->nodes->len);
  g_assert_cmpuint (a->edges->len, ==, b->edges->len);
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const CdNode *x = g_ptr_array_index (a->nodes, i), *y = g_ptr_array_index (b->nodes, i);
      g_assert_cmpstr (x->id, ==, y->id);
      g_assert_cmpfloat (x->capacity, ==, y->capacity);
      g_assert_cmpfloat (x->pos[0], ==, y->pos[0]);
    }
  for (guint i = 0; i < a->edges->len; i++)
    {
      const CdEdge *x = g_ptr_array_index (a->edges, i), *y = g_ptr_array_index (b->edges, i);
      g_assert_cmpint (x->kind, ==, y->kind);
      g_assert_cmpstr (x->source, ==, y->source);
      g_assert_cmpfloat (x->trust, ==, y->trust);
    }
}

/* Export Network, then the exported file dropped on the window: a .graphml
 * file, and the nodes.csv / edges.csv pair, come back as the same network. */
static void
test_network_export_drop (void)
{
  g_autofree char *dir = g_dir_make_tmp ("coordyn-app-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "net.graphml", NULL);
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autoptr (GFile) graphml = g_file_new_for_path (path);
  g_autoptr (GFile) nodes = g_file_get_child (folder, "nodes.csv");
  g_autoptr (GFile) edges = g_file_get_child (folder, "edges.csv");
  g_autoptr (CdModel) before = cd_model_copy (model ());
  g_autoptr (GError) error = NULL;
  CdDocument *doc = cd_window_get_document (window);

  g_assert_true (cd_window_export_network_to (window, graphml, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (cd_window_export_network_to (window, folder, TRUE, &error));
  g_assert_no_error (error);

  cd_document_set_model (doc, cd_model_new (), NULL);
  drop_files (&graphml, 1);
  assert_same_network (before, model ());
  g_assert_null (cd_document_get_file (doc));

  cd_document_set_model (doc, cd_model_new (), NULL);
  /* edges first: the pair is told apart by its header, not its order */
  drop_files ((GFile *[]) { edges, nodes }, 2);
  assert_same_network (before, model ());
  cd_test_wait_for_run (window);

  g_unlink (path);
  g_assert_true (g_file_delete (nodes, NULL, NULL));
  g_assert_true (g_file_delete (edges, NULL, NULL));
  g_rmdir (dir);
}

/* Every win.* action that the window's menus, buttons, the shortcuts window
 * and the keyboard accelerators name exists on the window: a misspelt name
 * leaves a menu item greyed out and dead, with nothing else to show for it. */
static void
test_named_actions_exist (void)
{
  const char *sources[] = {
    "ui/cd-window.ui", "ui/gtk/help-overlay.ui", "src/app/cd-application.c",
  };
  g_autoptr (GRegex) named = g_regex_new ("(?:name=\"action\">|action-name\">|\")"
                                          "win\\.([a-z0-9-]+)[<\"]", 0, 0, NULL);
  guint checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *path = g_build_filename (SOURCE_ROOT, sources[i], NULL);
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (GMatchInfo) match = NULL;

      g_file_get_contents (path, &text, NULL, &error);
      g_assert_no_error (error);
      g_regex_match (named, text, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *action = g_match_info_fetch (match, 1);

          /* GTK adds this one to a window from its application's resources,
           * and this window has no application. */
          if (g_str_equal (action, "show-help-overlay")
              && gtk_window_get_application (GTK_WINDOW (window)) == NULL)
            continue;
          if (!cd_test_window_has_action (window, action))
            g_error ("%s names win.%s, which the window does not have", sources[i], action);
          checked++;
        }
    }
  g_test_message ("%u action names checked", checked);
  /* the pattern must find them, or the test proves nothing */
  g_assert_cmpuint (checked, >, 40);
}

static void
check_icons_below (GtkWidget    *widget,
                   GtkIconTheme *theme,
                   guint        *n)
{
  if (GTK_IS_IMAGE (widget) && gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_ICON_NAME)
    {
      const char *name = gtk_image_get_icon_name (GTK_IMAGE (widget));

      if (!gtk_icon_theme_has_icon (theme, name))
        g_error ("the window shows the icon “%s”, which the icon theme lacks", name);
      (*n)++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    check_icons_below (c, theme, n);
}

/* Every icon the window shows is in the icon theme (Adwaita, or the app's
 * own in its resources): the Analysis tab showed the broken-image icon for
 * "utilities-system-monitor-symbolic".  And the app's icon loads from its
 * bytes alone: with a comment before <svg> content sniffing took it for no
 * image, and the About window showed a broken image. */
static void
test_icons_exist (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  AdwViewStack *stack = ADW_VIEW_STACK (cd_test_find_widget (GTK_WIDGET (window),
                                                             ADW_TYPE_VIEW_STACK));
  g_autoptr (GListModel) pages = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkPixbuf) icon = NULL;
  guint n = 0;

  /* as GtkApplication does for the app's resource base path (the test
   * window has no application) */
  gtk_icon_theme_add_resource_path (theme, "/io/github/coordyn/Coordyn/icons");
  pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
  for (guint i = 0; i < g_list_model_get_n_items (pages); i++)
    {
      g_autoptr (AdwViewStackPage) page = g_list_model_get_item (pages, i);
      const char *name = adw_view_stack_page_get_icon_name (page);

      if (name != NULL && !gtk_icon_theme_has_icon (theme, name))
        g_error ("page “%s” has the icon “%s”, which the icon theme lacks",
                 adw_view_stack_page_get_title (page), name);
      n++;
    }
  check_icons_below (GTK_WIDGET (window), theme, &n);
  g_test_message ("%u icons, all in the theme", n);
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  icon = gdk_pixbuf_new_from_resource_at_scale ("/io/github/coordyn/Coordyn/icons/scalable/apps/"
                                                APP_ID ".svg", 128, 128, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (icon), ==, 128);
}

static void
test_screenshot (void)
{
  cd_test_wait_for_run (window);
  /* cd_test_snapshot lets a frame draw the delivered run first. */
  g_object_unref (cd_test_snapshot (GTK_WIDGET (window), "app-window.png"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/window"))
    return 1;
  window = cd_test_window_new (NULL, 1280, 800, NULL);

  g_test_add_func ("/app/window/example-runs", test_example_runs);
  g_test_add_func ("/app/window/resize-refits", test_resize_refits);
  g_test_add_func ("/app/window/edits-undo-redo", test_edits_undo_redo);
  g_test_add_func ("/app/window/save-reopen", test_save_reopen);
  g_test_add_func ("/app/window/drop-malformed", test_drop_malformed);
  g_test_add_func ("/app/window/network-export-drop", test_network_export_drop);
  g_test_add_func ("/app/window/named-actions-exist", test_named_actions_exist);
  g_test_add_func ("/app/window/icons-exist", test_icons_exist);
  g_test_add_func ("/app/window/screenshot", test_screenshot);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  return status;
}
