/* cd-settings.h — the app's preferences: the one object that owns its
 * GSettings (schema io.github.coordyn.Coordyn, in data/) and binds the
 * keys to the properties that use them, as GNOME Console's KgxSettings
 * does.  No widget opens GSettings itself.
 *
 * The view preferences are properties of this object, bound to their keys
 * both ways: "live-rerun", "show-force-glyphs", "show-flow-arrows",
 * "presentation-font-scale", "last-export-dir" and "recent-files".  Bind
 * a widget's own property to them (g_object_bind_property) or read them;
 * setting one writes the key, and a change of the key by anyone shows here.
 *
 * A window's geometry is bound to it with cd_settings_bind_window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CD_TYPE_SETTINGS (cd_settings_get_type ())
G_DECLARE_FINAL_TYPE (CdSettings, cd_settings, CD, SETTINGS, GObject)

/* The process's one instance (transfer none). */
CdSettings         *cd_settings_get_default                 (void);

gboolean            cd_settings_get_live_rerun              (CdSettings  *self);
gboolean            cd_settings_get_show_force_glyphs       (CdSettings  *self);
gboolean            cd_settings_get_show_flow_arrows        (CdSettings  *self);
double              cd_settings_get_presentation_font_scale (CdSettings  *self);

/* The URI of the folder of the last export, or "" for none. */
const char         *cd_settings_get_last_export_dir         (CdSettings  *self);
void                cd_settings_set_last_export_dir         (CdSettings  *self,
                                                             const char  *uri);

/* The models opened most recently, newest first (URIs). */
const char * const *cd_settings_get_recent_files            (CdSettings  *self);
/* Puts uri first, once, keeping the ten newest. */
void                cd_settings_add_recent_file             (CdSettings  *self,
                                                             const char  *uri);

/* Restores window's size and maximized state from the settings and keeps
 * them there as the user changes them; and, if the window has them, its
 * int properties "sidebar-width" and "timeseries-height" (sizes outside
 * the keys' ranges, as while the window is laid out, are not written).
 * Each window reads the keys once: resizing one never resizes another. */
void                cd_settings_bind_window                 (CdSettings  *self,
                                                             GtkWindow   *window);

G_END_DECLS
