/* cd-raster.h — antialiased straight lines written straight into pixels,
 * for thousands of thin edges on a zoomed-out network (see cd-raster.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <string.h>

#include "cd-palette.h"

G_BEGIN_DECLS

typedef struct
{
  cairo_t         *cr;
  cairo_surface_t *surface;   /* the layer lines are drawn into */
  guint32         *data;
  int              width, height, stride;   /* device pixels; stride in pixels */
  double           scale;     /* device pixels per user unit */
  double           r, g, b, a, line_width;  /* line_width in device pixels */
  guint32          premul;    /* the colour as a premultiplied ARGB32 pixel */
} CdRaster;

/* Starts a layer of width × height user units over cr.  FALSE (and nothing
 * to end) when cr cannot take one: vector output, a rotated or skewed
 * transform; then draw with cairo as usual. */
gboolean cd_raster_begin     (CdRaster *raster,
                              cairo_t  *cr,
                              int       width,
                              int       height);
/* Colour (alpha included) and width in user units for the next lines. */
void     cd_raster_set_color (CdRaster *raster,
                              CdColor   color,
                              double    width);
/* A butt-capped line in user units, clipped to the layer. */
void     cd_raster_line      (CdRaster *raster,
                              double    x0,
                              double    y0,
                              double    x1,
                              double    y1);
/* A filled axis-aligned rectangle in the current colour, edges antialiased. */
void     cd_raster_rect      (CdRaster *raster,
                              double    x,
                              double    y,
                              double    width,
                              double    height);
/* A small filled triangle (an arrowhead) in the current colour. */
void     cd_raster_triangle  (CdRaster *raster,
                              double    x0,
                              double    y0,
                              double    x1,
                              double    y1,
                              double    x2,
                              double    y2);
/* Composites a premultiplied ARGB32 image (in device pixels) centred on
 * (cx, cy), snapped to the nearest device pixel. */
void     cd_raster_sprite    (CdRaster        *raster,
                              cairo_surface_t *sprite,
                              double           cx,
                              double           cy);
/* Paints the layer over cr and frees it. */
void     cd_raster_end       (CdRaster *raster);

G_END_DECLS
