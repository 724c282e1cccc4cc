/* cd-render-glue.c — desktop style to render style (see cd-render-glue.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "cd-render-glue.h"

void
cd_widget_render_style (GtkWidget     *widget,
                        CdRenderStyle *style)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  cd_render_style_init (style, adw_style_manager_get_dark (manager) ? CD_STYLE_DARK
                                                                     : CD_STYLE_NORMAL);
  style->high_contrast = adw_style_manager_get_high_contrast (manager);
}

cairo_t *
cd_widget_begin_cairo (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  return gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static void
on_dark_changed (AdwStyleManager *manager,
                 GParamSpec      *pspec,
                 GtkWidget       *widget)
{
  gtk_widget_queue_draw (widget);
}

void
cd_widget_follow_style (GtkWidget *widget)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_dark_changed), widget, 0);
  g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_dark_changed),
                           widget, 0);
}
