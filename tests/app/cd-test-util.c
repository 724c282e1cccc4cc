/* cd-test-util.c — the GUI tests' shared fixture (see cd-test-util.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cd-generate.h"
#include "cd-model-json.h"
#include "cd-test-util.h"

static guint wait_limit_s = 120;

gboolean
cd_test_init_gtk (const char *test_path)
{
  if (!gtk_init_check ())
    {
      /* Never a silent pass: the GUI tests need a display. */
      g_printerr ("FAIL: no display: run the app tests under `xvfb-run -a meson test`\n");
      printf ("1..1\nnot ok 1 %s - no display (gtk_init_check failed)\n", test_path);
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

void
cd_test_set_wait_limit (guint seconds)
{
  wait_limit_s = seconds;
}

void
cd_test_wait_for (gboolean   (*cond) (gpointer),
                  gpointer     data,
                  const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_limit_s * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("gave up after %u s waiting for %s", wait_limit_s, what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

gboolean
cd_test_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

void
cd_test_iterate (guint n)
{
  for (guint k = 0; k < n; k++)
    g_main_context_iteration (NULL, FALSE);
}

typedef struct
{
  CdRunner *runner;
  guint     want;
} RunWait;

static gboolean
run_idle (gpointer data)
{
  const RunWait *w = data;

  return !cd_runner_get_running (w->runner) && cd_runner_get_n_delivered (w->runner) >= w->want;
}

void
cd_test_wait_for_run (CdWindow *window)
{
  RunWait w = { cd_window_get_runner (window), 0 };

  /* A run was requested by the last change: wait for one more delivery. */
  w.want = cd_runner_get_n_delivered (w.runner) + (cd_runner_get_running (w.runner) ? 1 : 0);
  cd_test_wait_for (run_idle, &w, "the simulation run");
}

CdWindow *
cd_test_window_new (GtkApplication *app,
                    int             width,
                    int             height,
                    const char     *example)
{
  CdWindow *window = cd_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  if (example == NULL)
    g_assert_true (cd_window_open_builtin_example (window));
  else
    {
      const char *dir = g_getenv ("COORDYN_EXAMPLES_DIR");
      g_autofree char *path = g_build_filename (dir ? dir : SOURCE_EXAMPLES_DIR, example, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      if (!cd_window_open_file (window, file))
        g_error ("could not open %s: %s", path, cd_window_get_last_error (window));
    }
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

GtkWidget *
cd_test_find_widget_where (GtkWidget     *root,
                           CdTestMatch    match,
                           gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = cd_test_find_widget_where (c, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_type (GtkWidget     *widget,
          gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
cd_test_find_widget (GtkWidget *root,
                     GType      type)
{
  return cd_test_find_widget_where (root, has_type, GSIZE_TO_POINTER (type));
}

static gboolean
has_id (GtkWidget     *widget,
        gconstpointer  data)
{
  return GTK_IS_BUILDABLE (widget)
         && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), data) == 0;
}

GtkWidget *
cd_test_find_by_id (GtkWidget  *root,
                    const char *id)
{
  return cd_test_find_widget_where (root, has_id, id);
}

gboolean
cd_test_window_has_action (CdWindow   *window,
                           const char *name)
{
  g_autofree char *full = g_strconcat ("win.", name, NULL);
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (window);
  const GVariantType *param_type;
  const char *installed, *property;
  GType owner;

  /* GTK 4.8 writes every out argument: none may be NULL. */
  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &installed, &param_type, &property); i++)
    if (g_str_equal (installed, full))
      return TRUE;
  return g_action_group_has_action (G_ACTION_GROUP (window), name);
}

void
cd_test_activate (CdWindow   *window,
                  const char *name,
                  GVariant   *param)
{
  g_autofree char *full = g_strconcat ("win.", name, NULL);
  g_autoptr (GVariant) owned = param != NULL ? g_variant_ref_sink (param) : NULL;

  g_assert_true (cd_test_window_has_action (window, name));
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), full, owned));
}

static gboolean
is_button_for_action (GtkWidget     *widget,
                      gconstpointer  action)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

GtkWidget *
cd_test_find_button_for_action (GtkWidget  *root,
                                const char *action_name)
{
  return cd_test_find_widget_where (root, is_button_for_action, action_name);
}

GdkTexture *
cd_test_snapshot (GtkWidget  *widget,
                  const char *png_name)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("G_TEST_BUILDDIR");
  int w, h;

  cd_test_iterate (50);
  /* A window just presented on a busy machine may not be mapped yet, and
   * then draws nothing (a NULL node): give it up to the wait limit. */
  for (guint tries = 0;; tries++)
    {
      w = gtk_widget_get_width (widget);
      h = gtk_widget_get_height (widget);
      if (gtk_widget_get_mapped (widget) && w > 0 && h > 0)
        {
          gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
          if (node != NULL)
            break;
          snapshot = gtk_snapshot_new ();
        }
      if (tries >= 100 * wait_limit_s)
        g_error ("%s: the widget drew nothing for %u s (not mapped, or 0×0)", png_name,
                 wait_limit_s);
      cd_test_iterate (1);
      g_usleep (10000);
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_nonnull (texture);
  path = g_build_filename (dir ? dir : ".", png_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("snapshot: %s (%d×%d)", path, w, h);
  return g_steal_pointer (&texture);
}

/* The same figure, by bytes, or else by pixels (PNG metadata may differ). */
void
cd_test_assert_same_png (const char *a,
                         const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize na, nb;
  cairo_surface_t *sa, *sb;
  int w, h, stride;

  g_assert_true (g_file_get_contents (a, &da, &na, NULL));
  g_assert_true (g_file_get_contents (b, &db, &nb, NULL));
  g_assert_cmpuint (na, >, 1000);
  if (na == nb && memcmp (da, db, na) == 0)
    return;
  sa = cairo_image_surface_create_from_png (a);
  sb = cairo_image_surface_create_from_png (b);
  g_assert_cmpint (cairo_surface_status (sa), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_surface_status (sb), ==, CAIRO_STATUS_SUCCESS);
  w = cairo_image_surface_get_width (sa);
  h = cairo_image_surface_get_height (sa);
  stride = cairo_image_surface_get_stride (sa);
  g_assert_cmpint (w, ==, cairo_image_surface_get_width (sb));
  g_assert_cmpint (h, ==, cairo_image_surface_get_height (sb));
  for (int y = 0; y < h; y++)
    if (memcmp (cairo_image_surface_get_data (sa) + (gsize) y * stride,
                cairo_image_surface_get_data (sb) + (gsize) y * stride, (gsize) w * 4) != 0)
      g_error ("%s and %s differ in row %d", a, b, y);
  cairo_surface_destroy (sa);
  cairo_surface_destroy (sb);
}

CdWindow *
cd_test_window_on_national (char **path)
{
  g_autoptr (CdModel) national = cd_generate_national (1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *dir = g_dir_make_tmp ("coordyn-national-XXXXXX", &error);
  CdWindow *window;

  g_assert_no_error (error);
  *path = g_build_filename (dir, "national.json", NULL);
  g_assert_true (cd_model_save_file (national, *path, &error));
  g_assert_no_error (error);

  window = cd_test_window_new (NULL, 1280, 720, NULL);
  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  file = g_file_new_for_path (*path);
  g_assert_true (cd_window_open_file (window, file));
  return window;
}

void
cd_test_remove_national (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

guint
cd_test_param_row (CdWindow *window,
                   CdParam   param)
{
  const CdModel *model = cd_document_get_model (cd_window_get_document (window));
  CdParam list[CD_N_PARAMS];
  guint n = cd_params_in_version (model->version, list);

  for (guint k = 0; k < n; k++)
    if (list[k] == param)
      return k;
  g_error ("%s is not a parameter of the model's version %u", cd_param_info (param)->path,
           (guint) model->version);
}
