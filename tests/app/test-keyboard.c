/* test-keyboard.c — the canvas without a pointer (issue 5.6) and the run's
 * Cancel button, driven through the same widget actions the keys are bound
 * to: Tab order, arrow moves and their undo steps, Enter, Delete, Escape,
 * accessible names and the focused government's description, an id rename
 * that keeps the selection, and cancelling a run of the national model.
 *
 * Needs a display (CI: xvfb-run -a meson test).  Without one it FAILS with
 * a message rather than passing silently.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cd-application.h"
#include "cd-generate.h"
#include "cd-test-util.h"
#include "cd-window.h"

static CdApplication *app;
static CdWindow *window;

static gboolean
runner_idle (gpointer data)
{
  return !cd_runner_get_running (cd_window_get_runner (window))
         && cd_runner_get_run (cd_window_get_runner (window)) != NULL;
}

static CdCanvas *
canvas (void)
{
  return cd_window_get_canvas (window);
}

static CdDocument *
document (void)
{
  return cd_window_get_document (window);
}

static const CdModel *
model (void)
{
  return cd_document_get_model (document ());
}

static void
canvas_action (const char *name,
               GVariant   *param)
{
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (canvas ()), name, param));
}


static GArray *
selected_nodes (void)
{
  return cd_canvas_get_selected_nodes (canvas ());
}

static void
node_pos (int     i,
          double *x,
          double *y)
{
  const CdNode *node = g_ptr_array_index (model ()->nodes, i);

  g_assert_true (node->has_pos);
  *x = node->pos[0];
  *y = node->pos[1];
}

/* Ends an arrow-key burst as releasing the key does. */
static void
release_arrow (void)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas ()));
  gboolean sent = FALSE;

  for (guint k = 0; k < g_list_model_get_n_items (controllers); k++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, k);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        {
          g_signal_emit_by_name (controller, "key-released", GDK_KEY_Right, 0, 0);
          sent = TRUE;
        }
    }
  g_assert_true (sent);
}

/* Tab visits every government once: central first, then each level top to
 * bottom and left to right; past the last it declines (so Tab can leave). */
static void
test_focus_order (void)
{
  guint n = model ()->nodes->len;
  g_autofree gboolean *seen = g_new0 (gboolean, n);
  int previous = -1;

  cd_test_wait_for (cd_test_is_mapped, window, "the window to map");
  cd_test_wait_for (runner_idle, NULL, "the example's run");
  g_assert_cmpuint (n, >, 3);

  cd_canvas_set_focus_node (canvas (), -1);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), ==, -1);
  for (guint k = 0; k < n; k++)
    {
      int i;
      const CdNode *node;

      canvas_action ("canvas.focus-next", NULL);
      i = cd_canvas_get_focus_node (canvas ());
      g_assert_cmpint (i, >=, 0);
      g_assert_cmpint (i, <, (int) n);
      g_assert_false (seen[i]);
      seen[i] = TRUE;
      node = g_ptr_array_index (model ()->nodes, i);
      if (previous >= 0)
        {
          const CdNode *prev = g_ptr_array_index (model ()->nodes, previous);
          g_assert_cmpint (prev->level, <=, node->level);
          if (prev->level == node->level)
            g_assert_true (prev->pos[1] < node->pos[1]
                           || (prev->pos[1] == node->pos[1] && prev->pos[0] <= node->pos[0]));
        }
      else
        g_assert_cmpint (node->level, ==, CD_LEVEL_CENTRAL);
      previous = i;
    }
  /* At the end it stays: the key is left to move focus out of the canvas. */
  canvas_action ("canvas.focus-next", NULL);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), ==, previous);

  canvas_action ("canvas.focus-previous", NULL);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), !=, previous);
  canvas_action ("canvas.focus-next", NULL);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), ==, previous);
}

/* The canvas is a named group; its description reads out the focused
 * government with its level and its coordination at the time cursor. */
static void
test_accessible (void)
{
  const CdNode *node;
  const char *desc;
  g_autofree char *value = NULL;
  char *check;
  int i;

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (canvas ()), GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (canvas ()), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Network of governments");

  cd_canvas_set_focus_node (canvas (), -1);
  /* Nobody focused: the network as a whole, with its counts. */
  {
    g_autofree char *counts = g_strdup_printf ("%u governments and %u ties. ",
                                               model ()->nodes->len, model ()->edges->len);
    g_assert_true (g_str_has_prefix (cd_canvas_get_description (canvas ()), counts));
  }
  canvas_action ("canvas.focus-next", NULL);
  i = cd_canvas_get_focus_node (canvas ());
  node = g_ptr_array_index (model ()->nodes, i);
  desc = cd_canvas_get_description (canvas ());
  g_assert_nonnull (desc);
  g_test_message ("description: %s", desc);
  g_assert_true (g_str_has_prefix (desc, cd_node_display_name (node)));
  g_assert_nonnull (strstr (desc, "central government"));
  g_assert_nonnull (strstr (desc, "coordination "));
  /* The number is the run's x at the cursor, not a placeholder. */
  {
    CdRun *run = cd_runner_get_run (cd_window_get_runner (window));
    const char *num = strstr (desc, "coordination ") + strlen ("coordination ");
    double x = g_ascii_strtod (num, NULL);
    g_assert_nonnull (run);
    g_assert_cmpfloat (x, >=, 0.0);
    g_assert_cmpfloat (x, <=, 1.0);
  }
  check = gtk_test_accessible_check_property (GTK_ACCESSIBLE (canvas ()),
                                              GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, desc);
  g_assert_null (check);

  /* Moving on changes what is announced. */
  value = g_strdup (desc);
  canvas_action ("canvas.focus-next", NULL);
  g_assert_cmpstr (cd_canvas_get_description (canvas ()), !=, value);
}

/* Every icon-only button in the header bar, the tool and zoom columns and
 * the time bar has an accessible label and a tooltip. */
static void
check_icon_buttons (GtkWidget *widget,
                    guint     *n_checked)
{
  const char *icon = NULL;

  if (GTK_IS_MENU_BUTTON (widget))
    icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));
  else if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)))
    icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  if (icon != NULL)
    {
      g_test_message ("icon button %s: %s", icon, gtk_widget_get_tooltip_text (widget));
      g_assert_nonnull (gtk_widget_get_tooltip_text (widget));
      if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("the button with icon %s has no accessible label", icon);
      (*n_checked)++;
      if (GTK_IS_MENU_BUTTON (widget))
        return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    check_icon_buttons (c, n_checked);
}

static void
test_labels (void)
{
  static const char *areas[] = { "header_bar", "tool_box", "bottom_box", "progress_box" };
  guint n_checked = 0;

  for (guint k = 0; k < G_N_ELEMENTS (areas); k++)
    {
      GtkWidget *area = cd_test_find_by_id (GTK_WIDGET (window), areas[k]);
      if (area == NULL)
        g_error ("no widget “%s” in the window", areas[k]);
      check_icon_buttons (area, &n_checked);
    }
  /* header: new, open, save, undo, redo, menu, run; tools: 5; play */
  g_assert_cmpuint (n_checked, >=, 13);
  /* The zoom column has no id: find it by its buttons' actions. */
  {
    static const char *zoom[] = { "win.zoom-in", "win.zoom-out", "win.fit" };
    for (guint k = 0; k < G_N_ELEMENTS (zoom); k++)
      {
        GtkWidget *button = cd_test_find_button_for_action (GTK_WIDGET (window), zoom[k]);
        g_assert_nonnull (button);
        g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL));
      }
  }
}

/* Arrows move the focused government; one press (or one held burst up to
 * the release) is one undo step, as a drag is. */
static void
test_move_undo (void)
{
  double x0, y0, x1, y1, x2, y2;
  int i;

  cd_canvas_clear_selection (canvas ());
  cd_canvas_set_focus_node (canvas (), -1);
  canvas_action ("canvas.focus-next", NULL);
  canvas_action ("canvas.focus-next", NULL);
  i = cd_canvas_get_focus_node (canvas ());
  node_pos (i, &x0, &y0);

  canvas_action ("canvas.move-focused", g_variant_new ("(dd)", 8.0, 0.0));
  canvas_action ("canvas.move-focused", g_variant_new ("(dd)", 8.0, 0.0));
  release_arrow ();
  node_pos (i, &x1, &y1);
  g_assert_cmpfloat (x1, >, x0);
  g_assert_cmpfloat (y1, ==, y0);
  g_assert_cmpstr (cd_document_get_undo_label (document ()), ==, "Move Government");

  /* A second press after the release is a step of its own. */
  canvas_action ("canvas.move-focused", g_variant_new ("(dd)", 0.0, -48.0));
  release_arrow ();
  node_pos (i, &x2, &y2);
  g_assert_cmpfloat (y2, <, y1);
  g_assert_cmpfloat (x2, ==, x1);

  g_assert_true (cd_document_undo (document ()));
  node_pos (i, &x2, &y2);
  g_assert_cmpfloat (x2, ==, x1);
  g_assert_cmpfloat (y2, ==, y1);
  g_assert_true (cd_document_undo (document ()));
  node_pos (i, &x2, &y2);
  g_assert_cmpfloat (x2, ==, x0);
  g_assert_cmpfloat (y2, ==, y0);
  /* Undo does not lose the keyboard's place. */
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), ==, i);
}

/* Enter selects the focused government and the Selection panel shows it. */
static void
test_enter_selects (void)
{
  g_autoptr (GArray) sel = NULL;
  GtkWidget *side_stack = cd_test_find_by_id (GTK_WIDGET (window), "side_stack");
  int i;

  g_assert_nonnull (side_stack);
  gtk_stack_set_visible_child_name (GTK_STACK (side_stack), "parameters");
  cd_canvas_clear_selection (canvas ());
  canvas_action ("canvas.focus-next", NULL);
  i = cd_canvas_get_focus_node (canvas ());
  canvas_action ("canvas.activate-focused", NULL);
  sel = selected_nodes ();
  g_assert_cmpuint (sel->len, ==, 1);
  g_assert_cmpint ((int) g_array_index (sel, guint, 0), ==, i);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (side_stack)), ==, "selection");
  g_assert_nonnull (strstr (cd_canvas_get_description (canvas ()), "selected"));

  /* Shift+Enter on another adds it. */
  canvas_action ("canvas.focus-next", NULL);
  canvas_action ("canvas.extend-focused", NULL);
  g_clear_pointer (&sel, g_array_unref);
  sel = selected_nodes ();
  g_assert_cmpuint (sel->len, ==, 2);
}

/* Delete removes the selection in one undoable step; the focus stays on a
 * government nearby in the Tab order. */
static void
test_delete (void)
{
  guint n = model ()->nodes->len;
  g_autofree char *id = NULL;
  int i;

  cd_canvas_set_focus_node (canvas (), -1);
  canvas_action ("canvas.focus-next", NULL);
  canvas_action ("canvas.focus-next", NULL);
  canvas_action ("canvas.focus-next", NULL);
  i = cd_canvas_get_focus_node (canvas ());
  id = g_strdup (((CdNode *) g_ptr_array_index (model ()->nodes, i))->id);
  canvas_action ("canvas.activate-focused", NULL);
  canvas_action ("canvas.delete-selection", NULL);
  g_assert_cmpuint (model ()->nodes->len, ==, n - 1);
  g_assert_cmpint (cd_model_find_node (model (), id), ==, -1);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), >=, 0);

  /* Nothing selected: Delete deletes nothing. */
  canvas_action ("canvas.delete-selection", NULL);
  g_assert_cmpuint (model ()->nodes->len, ==, n - 1);

  g_assert_true (cd_document_undo (document ()));
  g_assert_cmpuint (model ()->nodes->len, ==, n);
  g_assert_cmpint (cd_model_find_node (model (), id), >=, 0);
}

/* Escape: first the half-made tie, then the tool, then the selection. */
static void
test_escape (void)
{
  g_autoptr (GArray) sel = NULL;
  guint n_edges = model ()->edges->len;

  cd_test_activate (window, "tool", g_variant_new_string ("partnership"));
  g_assert_cmpint (cd_canvas_get_tool (canvas ()), ==, CD_TOOL_ADD_PARTNERSHIP);
  /* Enter picks the source, Escape drops it without leaving the tool. */
  cd_canvas_set_focus_node (canvas (), 0);
  canvas_action ("canvas.activate-focused", NULL);
  canvas_action ("canvas.cancel", NULL);
  g_assert_cmpint (cd_canvas_get_tool (canvas ()), ==, CD_TOOL_ADD_PARTNERSHIP);
  canvas_action ("canvas.cancel", NULL);
  g_assert_cmpint (cd_canvas_get_tool (canvas ()), ==, CD_TOOL_SELECT);
  g_assert_cmpuint (model ()->edges->len, ==, n_edges);

  cd_canvas_select_node (canvas (), 0, FALSE);
  canvas_action ("canvas.cancel", NULL);
  sel = selected_nodes ();
  g_assert_cmpuint (sel->len, ==, 0);
}

/* With the add-partnership tool, Enter on two governments joins them. */
static void
test_connect_by_keyboard (void)
{
  guint n_edges = model ()->edges->len;
  int a, b;

  cd_test_activate (window, "tool", g_variant_new_string ("partnership"));
  /* A pair of neighbours in file order that are not partners yet. */
  for (a = (int) model ()->nodes->len - 1; a > 0; a--)
    {
      const CdNode *na = g_ptr_array_index (model ()->nodes, a - 1);
      const CdNode *nb = g_ptr_array_index (model ()->nodes, a);
      if (cd_model_find_edge (model (), CD_EDGE_PARTNERSHIP, na->id, nb->id) < 0)
        break;
    }
  g_assert_cmpint (a, >, 0);
  b = a;
  a = a - 1;
  cd_canvas_set_focus_node (canvas (), a);
  canvas_action ("canvas.activate-focused", NULL);
  cd_canvas_set_focus_node (canvas (), b);
  canvas_action ("canvas.activate-focused", NULL);
  if (model ()->edges->len != n_edges + 1)
    g_error ("no partnership was added: %s",
             cd_window_get_last_error (window) ? cd_window_get_last_error (window) : "");
  g_assert_true (cd_document_undo (document ()));
  g_assert_cmpuint (model ()->edges->len, ==, n_edges);
  canvas_action ("canvas.cancel", NULL);
  g_assert_cmpint (cd_canvas_get_tool (canvas ()), ==, CD_TOOL_SELECT);
}

static gboolean
is_entry_row_for (GtkWidget     *widget,
                  gconstpointer  field)
{
  return ADW_IS_ENTRY_ROW (widget)
         && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "field"), field) == 0;
}

static GtkWidget *
find_entry_row (GtkWidget  *widget,
                const char *field)
{
  return cd_test_find_widget_where (widget, is_entry_row_for, field);
}

/* Renaming the selected government's id in the inspector keeps it selected
 * (and keyboard-focused), under its new id. */
static void
test_rename_keeps_selection (void)
{
  GtkWidget *inspector = cd_test_find_by_id (GTK_WIDGET (window), "inspector");
  g_autoptr (GArray) sel = NULL;
  GtkWidget *row;
  int i = 1;

  g_assert_nonnull (inspector);
  cd_canvas_select_node (canvas (), i, FALSE);
  cd_canvas_set_focus_node (canvas (), i);
  row = find_entry_row (inspector, "id");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "renamed-by-keyboard-test");
  g_signal_emit_by_name (row, "apply");

  g_assert_cmpint (cd_model_find_node (model (), "renamed-by-keyboard-test"), ==, i);
  sel = selected_nodes ();
  g_assert_cmpuint (sel->len, ==, 1);
  g_assert_cmpint ((int) g_array_index (sel, guint, 0), ==, i);
  g_assert_cmpint (cd_canvas_get_focus_node (canvas ()), ==, i);
  /* The inspector still shows it, under the new id. */
  row = find_entry_row (inspector, "id");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "renamed-by-keyboard-test");

  /* Undoing the rename follows it back too. */
  g_assert_true (cd_document_undo (document ()));
  g_clear_pointer (&sel, g_array_unref);
  sel = selected_nodes ();
  g_assert_cmpuint (sel->len, ==, 1);
  g_assert_cmpint ((int) g_array_index (sel, guint, 0), ==, i);
}

/* Cancel on the progress strip stops a run of the national model: nothing
 * is delivered, the earlier result stays, marked out of date. */
static void
test_cancel_run (void)
{
  CdRunner *runner = cd_window_get_runner (window);
  GtkWidget *button = cd_test_find_button_for_action (GTK_WIDGET (window), "win.cancel-run");
  GtkWidget *outdated = cd_test_find_by_id (GTK_WIDGET (window), "outdated_box");
  GtkWidget *progress = cd_test_find_by_id (GTK_WIDGET (window), "progress_box");
  CdRun *before;
  guint delivered;
  CdModel *national;

  g_assert_nonnull (button);
  g_assert_nonnull (outdated);
  g_assert_nonnull (progress);
  cd_test_wait_for (runner_idle, NULL, "the example's run");
  before = cd_runner_get_run (runner);
  delivered = cd_runner_get_n_delivered (runner);
  g_assert_false (gtk_widget_get_visible (outdated));

  national = cd_generate_national (1);
  g_assert_cmpuint (national->nodes->len, >, 3000);
  cd_document_set_model (document (), national, NULL);
  g_assert_true (cd_runner_get_running (runner));
  g_assert_true (cd_runner_get_outdated (runner));
  /* Pressed at once, so that the run cannot have finished first however
   * fast the machine: "clicked" is what a click on it emits. */
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");

  g_assert_false (cd_runner_get_running (runner));
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_true (gtk_widget_get_visible (outdated));
  /* Whatever the worker does now, its result must never arrive. */
  for (guint k = 0; k < 200; k++)
    {
      cd_test_iterate (1);
      g_usleep (2000);
    }
  g_assert_cmpuint (cd_runner_get_n_delivered (runner), ==, delivered);
  g_assert_true (cd_runner_get_run (runner) == before);
  g_assert_true (cd_runner_get_outdated (runner));
  g_assert_true (cd_timeseries_view_get_trajectory (cd_window_get_timeseries (window))
                 == before->trajectory);

  /* Run again clears the mark once the new result is in. */
  cd_test_activate (window, "run", NULL);
  g_assert_false (gtk_widget_get_visible (outdated));
  cd_test_wait_for (runner_idle, NULL, "the national run");
  g_assert_cmpuint (cd_runner_get_n_delivered (runner), ==, delivered + 1);
  g_assert_false (cd_runner_get_outdated (runner));
  g_assert_false (gtk_widget_get_visible (outdated));
  g_assert_cmpuint (cd_runner_get_run (runner)->trajectory->n_nodes, ==, model ()->nodes->len);
}

static gboolean
is_group_titled (GtkWidget     *widget,
                 gconstpointer  title)
{
  g_autofree char *own = NULL;

  if (!GTK_IS_SHORTCUTS_GROUP (widget))
    return FALSE;
  g_object_get (widget, "title", &own, NULL);
  return g_strcmp0 (own, title) == 0;
}

/* The accelerators each shortcut in the shortcuts window shows (those given
 * by action name are looked up in the application), by title. */
static void
collect_shortcuts (GtkWidget  *widget,
                   GHashTable *by_title)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      char *title = NULL, *accel = NULL;

      g_object_get (widget, "title", &title, "accelerator", &accel, NULL);
      g_hash_table_replace (by_title, title, accel);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_shortcuts (c, by_title);
}

/* Does the canvas have a key binding for keyval with exactly mods? */
static gboolean
canvas_binds (guint           keyval,
              GdkModifierType mods)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas ()));

  for (guint k = 0; k < g_list_model_get_n_items (controllers); k++)
    {
      g_autoptr (GObject) controller = g_list_model_get_item (controllers, k);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return TRUE;
        }
    }
  return FALSE;
}

/* The shortcuts window lists the canvas keys, each of them really bound on
 * the canvas, and Present, the guide and Run with their keys. */
static void
test_shortcuts_window (void)
{
  GtkShortcutsWindow *overlay =
    gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_autoptr (GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) canvas_keys =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GtkWidget *group;
  GHashTableIter iter;
  gpointer title, accel;
  guint n_keys = 0;
  static const char *const wanted[][2] = {
    { "Focus the next government", "Tab" },
    { "Focus the previous government", "<Shift>Tab" },
    { "Move the focused government", "Left" },
    { "Move it in larger steps", "<Shift>Down" },
    { "Select the focused government, or apply the tool to it", "Return" },
    { "Delete the selected governments and ties", "Delete" },
    { "Cancel the tie being drawn, then the tool, then the selection", "Escape" },
  };

  g_assert_nonnull (overlay);
  collect_shortcuts (GTK_WIDGET (overlay), all);
  /* Every entry shows a key: an action without an accelerator would show
   * an empty row. */
  g_hash_table_iter_init (&iter, all);
  while (g_hash_table_iter_next (&iter, &title, &accel))
    if (accel == NULL || *(char *) accel == '\0')
      g_error ("the shortcut “%s” shows no key", (char *) title);
  g_assert_cmpstr (g_hash_table_lookup (all, "Presentation mode"), ==, "F5");
  g_assert_cmpstr (g_hash_table_lookup (all, "User guide"), ==, "F1");
  g_assert_cmpstr (g_hash_table_lookup (all, "Run again"), ==, "<Control>r");
  /* Every key the application binds to an action is listed (Ctrl+E,
   * Export Figure, was not). */
  {
    g_autoptr (GHashTable) shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    g_auto (GStrv) actions = gtk_application_list_action_descriptions (
      gtk_window_get_application (GTK_WINDOW (window)));

    g_hash_table_iter_init (&iter, all);
    while (g_hash_table_iter_next (&iter, &title, &accel))
      {
        g_auto (GStrv) keys = g_strsplit (accel, " ", -1);

        for (guint k = 0; keys[k] != NULL; k++)
          {
            guint keyval;
            GdkModifierType mods;

            if (gtk_accelerator_parse (keys[k], &keyval, &mods))
              g_hash_table_add (shown, gtk_accelerator_name (keyval, mods));
          }
      }
    for (guint a = 0; actions[a] != NULL; a++)
      {
        g_auto (GStrv) accels = gtk_application_get_accels_for_action (
          gtk_window_get_application (GTK_WINDOW (window)), actions[a]);
        gboolean listed = accels[0] == NULL;

        for (guint k = 0; accels[k] != NULL && !listed; k++)
          {
            guint keyval;
            GdkModifierType mods;
            g_autofree char *name = NULL;

            g_assert_true (gtk_accelerator_parse (accels[k], &keyval, &mods));
            name = gtk_accelerator_name (keyval, mods);
            listed = g_hash_table_contains (shown, name);
          }
        if (!listed)
          g_error ("the shortcuts window does not list %s (%s)", accels[0], actions[a]);
      }
  }

  group = cd_test_find_widget_where (GTK_WIDGET (overlay), is_group_titled,
                                     "Network, from the Keyboard");
  g_assert_nonnull (group);
  collect_shortcuts (group, canvas_keys);
  for (guint k = 0; k < G_N_ELEMENTS (wanted); k++)
    {
      const char *shown = g_hash_table_lookup (canvas_keys, wanted[k][0]);
      g_auto (GStrv) keys = NULL;

      if (shown == NULL)
        g_error ("the shortcuts window lacks “%s”", wanted[k][0]);
      keys = g_strsplit (shown, " ", -1);
      g_assert_true (g_strv_contains ((const char *const *) keys, wanted[k][1]));
    }
  /* What it shows is what the canvas does. */
  g_hash_table_iter_init (&iter, canvas_keys);
  while (g_hash_table_iter_next (&iter, &title, &accel))
    {
      g_auto (GStrv) keys = g_strsplit (accel, " ", -1);

      for (guint k = 0; keys[k] != NULL; k++)
        {
          guint keyval;
          GdkModifierType mods;

          if (!gtk_accelerator_parse (keys[k], &keyval, &mods))
            g_error ("“%s” shows a key GTK cannot parse: %s", (char *) title, keys[k]);
          if (!canvas_binds (keyval, mods))
            g_error ("“%s” shows %s, which the canvas does not bind", (char *) title, keys[k]);
          n_keys++;
        }
    }
  g_assert_cmpuint (n_keys, >=, 9);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The suite runs with GTK_A11Y=none (no accessibility bus); GTK's own
   * in-process "test" backend keeps the accessible roles and properties
   * this test reads, without a bus. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  if (!cd_test_init_gtk ("/app/keyboard"))
    return 1;
  /* The real application, for its accelerators and shortcuts window; not
   * unique, so it needs no session bus. */
  app = cd_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app))
                           | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = cd_test_window_new (GTK_APPLICATION (app), 1280, 800, NULL);

  g_test_add_func ("/app/keyboard/focus-order", test_focus_order);
  g_test_add_func ("/app/keyboard/accessible", test_accessible);
  g_test_add_func ("/app/keyboard/labels", test_labels);
  g_test_add_func ("/app/keyboard/move-undo", test_move_undo);
  g_test_add_func ("/app/keyboard/enter-selects", test_enter_selects);
  g_test_add_func ("/app/keyboard/delete", test_delete);
  g_test_add_func ("/app/keyboard/escape", test_escape);
  g_test_add_func ("/app/keyboard/connect", test_connect_by_keyboard);
  g_test_add_func ("/app/keyboard/rename-keeps-selection", test_rename_keeps_selection);
  g_test_add_func ("/app/keyboard/cancel-run", test_cancel_run);
  g_test_add_func ("/app/keyboard/shortcuts-window", test_shortcuts_window);
  status = g_test_run ();
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (app);
  return status;
}
