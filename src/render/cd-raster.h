/* cd-raster.h — antialiased lines, rectangles, triangles and sprites written
 * straight into pixels, for thousands of thin edges and small nodes on a
 * zoomed-out network (see cd-raster.c).
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
  cairo_surface_t *surface;   /* the layer, or the target itself when direct */
  guint32         *data;      /* pixel (i, j) is data[origin + j * stride + i] */
  gssize           origin;
  int              x0, y0;    /* the first pixel that may be written … */
  int              width, height;   /* … and one past the last, device pixels */
  int              stride;    /* in pixels */
  gboolean         direct;    /* drawing into the target's own pixels */
  gboolean         opaque;    /* the layer starts as the background, and replaces it */
  int              area_width, area_height;   /* user units, as begun */
  gboolean         filled;    /* cd_raster_begin_on painted the background */
  double           scale;     /* device pixels per user unit */
  double           r, g, b, a, line_width;  /* line_width in device pixels */
  guint32          premul;    /* the colour as a premultiplied ARGB32 pixel */
} CdRaster;

/* A small premultiplied image with, per row, the span that is not fully
 * transparent: most of a node's square is empty. */
typedef struct _CdRasterSprite CdRasterSprite;

/* Starts drawing over (0, 0, width, height) user units of cr.  Straight
 * into the target's pixels when it is an ARGB32 image under a
 * pixel-aligned scale and a rectangular clip; otherwise into a layer of
 * its own that cd_raster_end paints over cr.  FALSE (and nothing to end)
 * when cr can take neither: vector output, a rotated or skewed transform;
 * then draw with cairo as usual.  Between begin and end, draw nothing
 * with cairo on cr. */
gboolean cd_raster_begin     (CdRaster *raster,
                              cairo_t  *cr,
                              int       width,
                              int       height);
/* cd_raster_begin for an area to be filled with `background` (opaque)
 * first: a layer, if one is needed, starts as that colour and replaces
 * the area, which costs a copy where a blend would cost more; drawing in
 * place, the pixels are filled.  `filled` then says the background is
 * done; if not, fill it with cairo before drawing anything into the
 * raster (in place, cairo draws at once). */
gboolean cd_raster_begin_on  (CdRaster *raster,
                              cairo_t  *cr,
                              int       width,
                              int       height,
                              CdColor   background);
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
/* Takes a premultiplied ARGB32 image (device pixels) to composite many times. */
CdRasterSprite *cd_raster_sprite_new  (cairo_surface_t *image);
void            cd_raster_sprite_free (CdRasterSprite  *sprite);
/* Composites the sprite centred on (cx, cy), snapped to the nearest device
 * pixel. */
void     cd_raster_sprite    (CdRaster             *raster,
                              const CdRasterSprite *sprite,
                              double                cx,
                              double                cy);
/* A colour as a premultiplied ARGB32 pixel (components clamped to 0–1). */
guint32  cd_raster_premultiply (CdColor color);
/* Frees the layer this thread keeps for the next frame. */
void     cd_raster_drop_cache (void);
/* Paints the layer over cr (or marks the target's pixels changed) and ends. */
void     cd_raster_end       (CdRaster *raster);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdRasterSprite, cd_raster_sprite_free)

G_END_DECLS
