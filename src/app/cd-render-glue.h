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

/* The frames of one widget drawn into cairo image surfaces of its size at
 * the display's pixel density, and handed to GTK as textures: the
 * renderer then writes pixels in place (no layer, no recording replayed),
 * and a 2× display gets 2× pixels rather than a layer scaled up. */
typedef struct _CdWidgetImage CdWidgetImage;

CdWidgetImage *cd_widget_image_new   (void);
void           cd_widget_image_free  (CdWidgetImage *image);
/* A cairo context over the whole widget (user units are the widget's
 * pixels, the device scale its scale factor).  The image may hold an
 * earlier frame: paint every pixel.  Where no image can be made (too
 * large for cairo, out of memory) the context draws into snapshot as
 * cd_widget_begin_cairo does.  NULL when the widget has no area. */
cairo_t       *cd_widget_image_begin (CdWidgetImage *image,
                                      GtkWidget     *widget,
                                      GtkSnapshot   *snapshot);
/* As cd_widget_image_begin, at `scale` device pixels a widget pixel rather
 * than the display's: 1 draws a quick frame on a 2× display (a quarter of
 * the pixels), which GTK scales up to the widget's size.  0 or a scale at
 * or above the display's is the display's. */
cairo_t       *cd_widget_image_begin_at (CdWidgetImage *image,
                                         GtkWidget     *widget,
                                         GtkSnapshot   *snapshot,
                                         int            scale);
/* The device pixels a widget pixel of the last frame begun (for tests):
 * 0 before the first. */
int            cd_widget_image_get_scale (CdWidgetImage *image);
/* Destroys cr and appends the image to snapshot over the widget. */
void           cd_widget_image_end   (CdWidgetImage *image,
                                      cairo_t       *cr,
                                      GtkSnapshot   *snapshot);

/* Redraws `widget` whenever the desktop switches between light and dark. */
void     cd_widget_follow_style (GtkWidget     *widget);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdWidgetImage, cd_widget_image_free)

G_END_DECLS
