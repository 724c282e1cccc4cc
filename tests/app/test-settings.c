/* test-settings.c — CdSettings: its properties follow the keys both ways,
 * the recent files keep ten, newest first, once each; a window's size and
 * panes are restored from the keys and written back as they change, never
 * out of the keys' ranges, and one window's resizing leaves others alone.
 *
 * Needs a display (CI: xvfb-run -a meson test); without one it FAILS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "cd-settings.h"
#include "cd-test-util.h"
#include "cd-window.h"

/* The test reads and writes the keys behind CdSettings's back. */
static GSettings *keys;

static void
test_properties_follow_keys (void)
{
  CdSettings *settings = cd_settings_get_default ();
  gboolean live;

  g_assert_true (cd_settings_get_default () == settings);
  g_settings_set_boolean (keys, "live-rerun", FALSE);
  g_assert_false (cd_settings_get_live_rerun (settings));
  g_object_set (settings, "live-rerun", TRUE, NULL);
  g_assert_true (g_settings_get_boolean (keys, "live-rerun"));
  g_object_get (settings, "live-rerun", &live, NULL);
  g_assert_true (live);

  g_settings_set_boolean (keys, "show-flow-arrows", TRUE);
  g_assert_true (cd_settings_get_show_flow_arrows (settings));
  g_settings_reset (keys, "show-flow-arrows");
  g_assert_false (cd_settings_get_show_flow_arrows (settings));
  g_assert_true (cd_settings_get_show_force_glyphs (settings));

  g_settings_set_double (keys, "presentation-font-scale", 2.5);
  g_assert_cmpfloat (cd_settings_get_presentation_font_scale (settings), ==, 2.5);
  g_settings_reset (keys, "presentation-font-scale");

  g_assert_cmpstr (cd_settings_get_last_export_dir (settings), ==, "");
  cd_settings_set_last_export_dir (settings, "file:///tmp/figures");
  g_assert_cmpstr (g_settings_get_string (keys, "last-export-dir"), ==, "file:///tmp/figures");
  g_settings_reset (keys, "last-export-dir");
  g_assert_cmpstr (cd_settings_get_last_export_dir (settings), ==, "");
}

static void
test_recent_files (void)
{
  CdSettings *settings = cd_settings_get_default ();
  g_auto (GStrv) stored = NULL;
  const char * const *recent;

  for (int k = 0; k < 12; k++)
    {
      g_autofree char *uri = g_strdup_printf ("file:///models/m%02d.json", k);
      cd_settings_add_recent_file (settings, uri);
    }
  recent = cd_settings_get_recent_files (settings);
  g_assert_cmpuint (g_strv_length ((char **) recent), ==, 10);
  g_assert_cmpstr (recent[0], ==, "file:///models/m11.json");
  g_assert_cmpstr (recent[9], ==, "file:///models/m02.json");

  /* Opened again: first, and only once. */
  cd_settings_add_recent_file (settings, "file:///models/m05.json");
  recent = cd_settings_get_recent_files (settings);
  g_assert_cmpuint (g_strv_length ((char **) recent), ==, 10);
  g_assert_cmpstr (recent[0], ==, "file:///models/m05.json");
  g_assert_cmpstr (recent[1], ==, "file:///models/m11.json");
  for (guint k = 1; recent[k] != NULL; k++)
    g_assert_cmpstr (recent[k], !=, "file:///models/m05.json");

  stored = g_settings_get_strv (keys, "recent-files");
  g_assert_true (g_strv_equal ((const char * const *) stored, recent));
  g_settings_reset (keys, "recent-files");
  g_assert_null (cd_settings_get_recent_files (settings)[0]);
}

typedef struct
{
  GtkWidget *widget;
  int        want;
} WidthWait;

static gboolean
key_is (gpointer data)
{
  const WidthWait *w = data;

  return g_settings_get_int (keys, "sidebar-width") == w->want;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_drawn (gpointer data)
{
  return *(guint *) data >= 5;
}

/* Lets the window lay out and run its frame callbacks (the panes are
 * corrected in one) a few times. */
static void
wait_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  cd_test_wait_for (frames_drawn, &frames, "five frames");
  gtk_widget_remove_tick_callback (widget, id);
}

static void
test_window_geometry (void)
{
  CdWindow *first, *second;
  GtkPaned *side;
  GtkWidget *force_pane, *chart;
  int width, height, sidebar;
  WidthWait wait;

  /* Smaller than the smallest screen the suite runs on. */
  g_settings_set_int (keys, "window-width", 1000);
  g_settings_set_int (keys, "window-height", 650);
  g_settings_set_int (keys, "sidebar-width", 520);
  g_settings_set_int (keys, "timeseries-height", 280);

  /* Not shown: its panes measure nothing, and nothing is written (a value
   * out of the keys' ranges would be a critical, fatal here). */
  first = cd_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (first), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 650);
  cd_test_iterate (20);
  g_assert_cmpint (g_settings_get_int (keys, "sidebar-width"), ==, 520);

  /* Shown: the side panel and the chart have the sizes they were given
   * (exactly: else they would creep from one start to the next). */
  gtk_window_present (GTK_WINDOW (first));
  cd_test_wait_for (cd_test_is_mapped, first, "the window to map");
  wait_frames (GTK_WIDGET (first));
  force_pane = cd_test_find_by_id (GTK_WIDGET (first), "force_paned");
  g_assert_nonnull (force_pane);
  sidebar = gtk_widget_get_width (force_pane);
  g_assert_cmpint (sidebar, ==, 520);
  chart = cd_test_find_by_id (GTK_WIDGET (first), "bottom_paned");
  g_assert_cmpint (gtk_widget_get_height (gtk_paned_get_end_child (GTK_PANED (chart))), ==, 280);

  /* The user drags the divider: the new width is kept. */
  side = GTK_PANED (cd_test_find_by_id (GTK_WIDGET (first), "side_paned"));
  gtk_paned_set_position (side, gtk_paned_get_position (side) + 80);
  wait_frames (GTK_WIDGET (first));
  wait.widget = force_pane;
  wait.want = gtk_widget_get_width (force_pane);
  g_assert_cmpint (wait.want, ==, 440);
  cd_test_wait_for (key_is, &wait, "the new sidebar width in the settings");

  /* Resized: the size is kept, and a second window opens at it. */
  gtk_window_set_default_size (GTK_WINDOW (first), 960, 620);
  g_assert_cmpint (g_settings_get_int (keys, "window-width"), ==, 960);
  g_assert_cmpint (g_settings_get_int (keys, "window-height"), ==, 620);
  second = cd_window_new (NULL);
  gtk_window_get_default_size (GTK_WINDOW (second), &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 620);

  /* Resizing the second leaves the first as it is. */
  gtk_window_set_default_size (GTK_WINDOW (second), 900, 600);
  gtk_window_get_default_size (GTK_WINDOW (first), &width, &height);
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, ==, 620);

  gtk_window_destroy (GTK_WINDOW (second));
  gtk_window_destroy (GTK_WINDOW (first));
  g_settings_reset (keys, "window-width");
  g_settings_reset (keys, "window-height");
  g_settings_reset (keys, "sidebar-width");
  g_settings_reset (keys, "timeseries-height");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!cd_test_init_gtk ("/app/settings"))
    return 1;
  keys = g_settings_new (APP_ID);

  g_test_add_func ("/app/settings/properties-follow-keys", test_properties_follow_keys);
  g_test_add_func ("/app/settings/recent-files", test_recent_files);
  g_test_add_func ("/app/settings/window-geometry", test_window_geometry);
  status = g_test_run ();
  g_object_unref (keys);
  return status;
}
