/* cd-render-glue.h — what every drawing widget needs to call src/render.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-render.h"

G_BEGIN_DECLS

/* The render style matching the desktop: dark when libadwaita is dark,
 * high contrast when the desktop asks for it. */
void     cd_widget_render_style (GtkWidget     *widget,
                                 CdRenderStyle *style);

/* Starts a cairo drawing over the whole widget; destroy it when done. */
cairo_t *cd_widget_begin_cairo  (GtkWidget     *widget,
                                 GtkSnapshot   *snapshot);

/* Redraws `widget` whenever the desktop switches between light and dark. */
void     cd_widget_follow_style (GtkWidget     *widget);

G_END_DECLS
