/* cd-test-util.h — what the GUI tests share: GTK start-up that fails loudly
 * without a display, waiting on the main loop and on a window's run, a
 * window on an example, and
 * snapshots of a widget into the build folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-window.h"

G_BEGIN_DECLS

/* Call after g_test_init: starts GTK and libadwaita.  Without a display it
 * prints a failing TAP plan naming test_path and returns FALSE (the test
 * must then return 1): never a silent pass. */
gboolean    cd_test_init_gtk        (const char  *test_path);

/* Iterates the main loop until cond (data) holds.  The limit only keeps a
 * broken build from hanging CI (g_error names what was awaited); it is
 * generous and asserts nothing about speed. */
void        cd_test_wait_for        (gboolean   (*cond) (gpointer),
                                     gpointer     data,
                                     const char  *what);
/* For long analyses; the default limit is 120 s. */
void        cd_test_set_wait_limit  (guint        seconds);
/* A condition for cd_test_wait_for: the widget data is mapped. */
gboolean    cd_test_is_mapped       (gpointer     data);
/* Runs n iterations of the main loop without blocking: lets a frame draw. */
void        cd_test_iterate         (guint        n);

/* Waits until the window's runner has delivered the run the last change
 * asked for (one more than now if one is running) and is idle. */
void        cd_test_wait_for_run    (CdWindow    *window);

/* A presented window of width × height on an example: the built-in one for
 * NULL, else the file of that name in COORDYN_EXAMPLES_DIR. */
CdWindow   *cd_test_window_new      (GtkApplication *app,
                                     int             width,
                                     int             height,
                                     const char     *example);

/* A 1280 × 720 window, mapped, on the national model (`coordyn-cli generate
 * national`, seed 1) saved into a new temporary folder; *path is the file,
 * for cd_test_remove_national() when the tests are done.  The window's
 * first run may still be under way. */
CdWindow   *cd_test_window_on_national (char       **path);
void        cd_test_remove_national    (const char  *path);

/* The row of param in the app's parameter lists (a sweep's, a setting's),
 * which list only the parameters of the window's model's version: not the
 * enum's value once a parameter of the other version comes before it. */
guint       cd_test_param_row       (CdWindow    *window,
                                     CdParam      param);

/* The first widget at or below root (depth first) for which match holds,
 * or NULL. */
typedef gboolean (*CdTestMatch) (GtkWidget     *widget,
                                 gconstpointer  data);
GtkWidget  *cd_test_find_widget_where (GtkWidget     *root,
                                       CdTestMatch    match,
                                       gconstpointer  data);
/* The first widget of type at or below root (depth first), or NULL. */
GtkWidget  *cd_test_find_widget     (GtkWidget   *root,
                                     GType        type);
/* The first widget with that id in its template or .ui file, or NULL. */
GtkWidget  *cd_test_find_by_id      (GtkWidget   *root,
                                     const char  *id);

/* Whether the window has the action "win.NAME" (name without the "win."):
 * installed on its class, or in its action map as GtkApplicationWindow's
 * show-help-overlay is. */
gboolean    cd_test_window_has_action (CdWindow   *window,
                                       const char *name);
/* Activates "win.NAME" on the window as a menu item or a key would; fails
 * the test if there is no such action. */
void        cd_test_activate        (CdWindow    *window,
                                     const char  *name,
                                     GVariant    *param);
/* The first button at or below root whose action is action_name (e.g.
 * "win.undo"), or NULL: it shows whether the action is enabled. */
GtkWidget  *cd_test_find_button_for_action (GtkWidget  *root,
                                            const char *action_name);

/* Lets a frame draw, renders widget as it is on screen and saves it as
 * png_name in G_TEST_BUILDDIR; returns the image. */
GdkTexture *cd_test_snapshot        (GtkWidget   *widget,
                                     const char  *png_name);

/* Two PNG files are the same figure: the same bytes, or else the same
 * pixels (PNG metadata may differ); fails naming the first differing row. */
void        cd_test_assert_same_png (const char  *a,
                                     const char  *b);

G_END_DECLS
