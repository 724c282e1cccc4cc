/* cd-window-actions.c — the window's actions (win.*), as GNOME Text
 * Editor's editor-window-actions.c has them: one table installed on the
 * class, each handler a few lines calling into the window.  The menus,
 * buttons, the canvas's context menu and the application's accelerators
 * name them; tests/app/test-window.c checks that every name they use is
 * here.
 *
 * The stateful ones are properties: the window's tool ("tool") and
 * playing ("playing"), installed on the class as property actions, and
 * the view preferences, which are CdSettings's properties, made actions
 * (GPropertyAction) in each window's action map under the same prefix.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cd-export-dialog.h"
#include "cd-fit-dialog.h"
#include "cd-window-private.h"

#define SELF(widget) CD_WINDOW (widget)

static void
action_new (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  cd_window_new_model (SELF (widget));
}

static void
action_open (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  cd_window_choose_file (SELF (widget));
}

static void
action_open_uri (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  cd_window_open_when_safe (SELF (widget), file);
}

static void
action_open_thesis (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  cd_window_open_thesis (SELF (widget), g_variant_get_uint32 (param));
}

static void
action_open_example (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  cd_window_open_example (SELF (widget), g_variant_get_string (param, NULL));
}

static void
action_upgrade_model (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  cd_window_upgrade_model (SELF (widget));
}

static void
action_apply_arrangement (GtkWidget  *widget,
                          const char *name,
                          GVariant   *param)
{
  cd_window_apply_arrangement (SELF (widget));
}

static void
action_compare_arrangements (GtkWidget  *widget,
                             const char *name,
                             GVariant   *param)
{
  cd_window_compare_arrangements (SELF (widget));
}

static void
action_import_network (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  cd_window_choose_network (SELF (widget));
}

static void
action_export_network (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  cd_window_choose_network_export (SELF (widget), g_str_equal (g_variant_get_string (param, NULL),
                                                               "csv"));
}

static void
action_fit_data (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  CdWindow *self = SELF (widget);

  gtk_window_present (GTK_WINDOW (cd_fit_dialog_new (GTK_WINDOW (self), self->document)));
}

static void
action_save (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  cd_window_save (SELF (widget));
}

static void
action_save_as (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  cd_window_save_as (SELF (widget));
}

/* A run that ends while the dialog is open may make the figure
 * exportable (or not): the dialog follows. */
static void
refresh_export_dialog (CdRunner       *runner,
                       GParamSpec     *pspec,
                       CdExportDialog *dialog)
{
  CdWindow *self = CD_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));

  if (self != NULL)
    cd_export_dialog_set_snapshot (dialog, cd_window_dup_export_snapshot (self));
}

static void
action_export_figure (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  GtkWidget *dialog = cd_export_dialog_new (GTK_WINDOW (widget),
                                            cd_window_dup_export_snapshot (SELF (widget)));

  g_signal_connect_object (SELF (widget)->runner, "notify::running",
                           G_CALLBACK (refresh_export_dialog), dialog, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_export_csv (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  cd_export_dialog_choose_csv (GTK_WINDOW (widget), cd_window_dup_export_snapshot (SELF (widget)));
}

static void
action_undo (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  cd_window_undo (SELF (widget));
}

static void
action_redo (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  cd_document_redo (SELF (widget)->document);
}

static void
action_delete (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  if (!cd_canvas_delete_selection (SELF (widget)->canvas))
    cd_window_show_toast (SELF (widget), _("Select a government or a tie to delete"));
}

static void
action_select_all (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  cd_canvas_select_all (SELF (widget)->canvas);
}

static void
action_rename (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  CdCanvas *canvas = SELF (widget)->canvas;
  g_autoptr (GArray) nodes = cd_canvas_get_selected_nodes (canvas);

  if (nodes->len > 0)
    cd_canvas_rename_node (canvas, (int) g_array_index (nodes, guint, 0));
}

static void
action_add_government (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  CdLevel level;

  if (cd_level_from_string (g_variant_get_string (param, NULL), &level))
    cd_window_add_government (SELF (widget), level);
}

/* The add tool, placing a government of that level where the user clicks. */
static void
action_add_level (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  CdLevel level;

  if (!cd_level_from_string (g_variant_get_string (param, NULL), &level))
    return;
  cd_canvas_set_add_level (SELF (widget)->canvas, level);
  cd_window_set_tool (SELF (widget), CD_TOOL_ADD_NODE);
}

static void
action_connect (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  gboolean command = g_str_equal (g_variant_get_string (param, NULL), "command");

  cd_window_connect_selection (SELF (widget), command ? CD_EDGE_COMMAND : CD_EDGE_PARTNERSHIP);
}

static void
action_layout (GtkWidget  *widget,
               const char *name,
               GVariant   *param)
{
  const char *which = g_variant_get_string (param, NULL);

  cd_window_lay_out (SELF (widget), g_str_equal (which, "hierarchy") ? CD_LAYOUT_KIND_HIERARCHY
                                    : g_str_equal (which, "force") ? CD_LAYOUT_KIND_FORCE
                                    : CD_LAYOUT_KIND_AUTO);
}

static void
action_fit (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  cd_canvas_fit (SELF (widget)->canvas);
}

static void
action_zoom_in (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  cd_canvas_zoom (SELF (widget)->canvas, 1.25);
}

static void
action_zoom_out (GtkWidget  *widget,
                 const char *name,
                 GVariant   *param)
{
  cd_canvas_zoom (SELF (widget)->canvas, 0.8);
}

static void
action_run (GtkWidget  *widget,
            const char *name,
            GVariant   *param)
{
  cd_window_run (SELF (widget));
}

static void
action_cancel_run (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  cd_window_cancel_run (SELF (widget));
}

static void
action_fullscreen (GtkWidget  *widget,
                   const char *name,
                   GVariant   *param)
{
  if (gtk_window_is_fullscreen (GTK_WINDOW (widget)))
    gtk_window_unfullscreen (GTK_WINDOW (widget));
  else
    gtk_window_fullscreen (GTK_WINDOW (widget));
}

/* ((sd)): a parameter's path and its new value, e.g. ("resistance.law", 0.5). */
static void
action_set_parameter (GtkWidget  *widget,
                      const char *name,
                      GVariant   *param)
{
  const char *path;
  double value;

  g_variant_get (param, "(&sd)", &path, &value);
  cd_window_set_parameter (SELF (widget), path, value);
}

/* For panes and dialogs: a toast on this window. */
static void
action_show_message (GtkWidget  *widget,
                     const char *name,
                     GVariant   *param)
{
  cd_window_show_toast (SELF (widget), g_variant_get_string (param, NULL));
}

/* A number row's slider pressed or let go (cd-number-row.c). */
static void
action_slider_held (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  cd_window_set_slider_held (SELF (widget), g_variant_get_boolean (param));
}

/* The menu's "No Recent Models", which does nothing. */
static void
action_none (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
}

static const struct
{
  const char                  *name;
  const char                  *param_type;
  GtkWidgetActionActivateFunc  activate;
} actions[] = {
  { "win.new", NULL, action_new },
  { "win.open", NULL, action_open },
  { "win.open-uri", "s", action_open_uri },
  { "win.open-example", "s", action_open_example },
  { "win.open-thesis", "u", action_open_thesis },
  { "win.upgrade-model", NULL, action_upgrade_model },
  { "win.apply-arrangement", NULL, action_apply_arrangement },
  { "win.compare-arrangements", NULL, action_compare_arrangements },
  { "win.import-network", NULL, action_import_network },
  { "win.fit-data", NULL, action_fit_data },
  { "win.export-network", "s", action_export_network },
  { "win.save", NULL, action_save },
  { "win.save-as", NULL, action_save_as },
  { "win.export-figure", NULL, action_export_figure },
  { "win.export-csv", NULL, action_export_csv },
  { "win.undo", NULL, action_undo },
  { "win.redo", NULL, action_redo },
  { "win.delete", NULL, action_delete },
  { "win.select-all", NULL, action_select_all },
  { "win.rename", NULL, action_rename },
  { "win.add-government", "s", action_add_government },
  { "win.add-level", "s", action_add_level },
  { "win.connect", "s", action_connect },
  { "win.layout", "s", action_layout },
  { "win.fit", NULL, action_fit },
  { "win.zoom-in", NULL, action_zoom_in },
  { "win.zoom-out", NULL, action_zoom_out },
  { "win.run", NULL, action_run },
  { "win.cancel-run", NULL, action_cancel_run },
  { "win.fullscreen", NULL, action_fullscreen },
  { "win.set-parameter", "(sd)", action_set_parameter },
  { "win.show-message", "s", action_show_message },
  { "win.slider-held", "b", action_slider_held },
  { "win.none", NULL, action_none },
};

/* Action name and the window property it shows and sets. */
static const struct
{
  const char *name;
  const char *property;
} property_actions[] = {
  { "win.tool", "tool" },
  { "win.play", "playing" },
};

/* CdSettings's properties toggled from the menu (win.<name>). */
static const char *const setting_actions[] = {
  "show-force-glyphs", "show-flow-arrows", "live-rerun",
};

void
cd_window_class_actions_init (CdWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i].name, actions[i].param_type,
                                     actions[i].activate);
  for (guint i = 0; i < G_N_ELEMENTS (property_actions); i++)
    gtk_widget_class_install_property_action (widget_class, property_actions[i].name,
                                              property_actions[i].property);
}

void
cd_window_actions_init (CdWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_actions); i++)
    {
      g_autoptr (GPropertyAction) action = g_property_action_new (setting_actions[i],
                                                                  self->settings,
                                                                  setting_actions[i]);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
}

void
cd_window_update_actions (CdWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo",
                                 cd_document_can_undo (self->document));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.redo",
                                 cd_document_can_redo (self->document));
  /* Offered (menu, inspector) only while the open model is version 1. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upgrade-model",
                                 cd_document_get_model (self->document)->version == 1);
}
