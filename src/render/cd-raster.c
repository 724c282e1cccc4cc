/* cd-raster.c — antialiased straight lines written straight into pixels.
 *
 * The zoomed-out national map has ~9,400 edges a pixel or two wide.  Cairo
 * strokes each one as a polygon through its general rasterizer, which cost
 * nearly all of a frame (issue 6.3).  Here each line is walked along its
 * major axis and, per step, the pixels across its width get their exact
 * coverage of the span — the same picture as a butt-capped stroke, at the
 * cost of touching only the pixels under the line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-raster.h"

/* One spare layer per thread: a 1920×1080 surface costs as much to
 * allocate as a third of the edges cost to draw, and the canvas asks for
 * the same size frame after frame. */
static GPrivate spare_layer = G_PRIVATE_INIT ((GDestroyNotify) cairo_surface_destroy);

static cairo_surface_t *
take_layer (int width,
            int height)
{
  cairo_surface_t *s = g_private_get (&spare_layer);

  if (s != NULL && cairo_image_surface_get_width (s) == width
      && cairo_image_surface_get_height (s) == height
      && cairo_surface_get_reference_count (s) == 1)
    {
      g_private_set (&spare_layer, NULL);
      /* cleared, as a new surface would be */
      cairo_surface_flush (s);
      memset (cairo_image_surface_get_data (s), 0,
              (gsize) cairo_image_surface_get_stride (s) * height);
      cairo_surface_mark_dirty (s);
      cairo_surface_set_device_scale (s, 1, 1);
      return s;
    }
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
}

static void
give_back_layer (cairo_surface_t *s)
{
  /* a recording target may still hold it: then it is not ours to reuse */
  if (cairo_surface_get_reference_count (s) == 1)
    g_private_replace (&spare_layer, s);
  else
    cairo_surface_destroy (s);
}

gboolean
cd_raster_begin (CdRaster *raster,
                 cairo_t  *cr,
                 int       width,
                 int       height)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_surface_type_t type = cairo_surface_get_type (target);
  cairo_matrix_t m;
  double sx = 1, sy = 1;

  memset (raster, 0, sizeof *raster);
  /* Vector output (SVG, PDF) keeps real strokes. */
  if (type != CAIRO_SURFACE_TYPE_IMAGE && type != CAIRO_SURFACE_TYPE_RECORDING)
    return FALSE;
  cairo_get_matrix (cr, &m);
  if (m.xy != 0 || m.yx != 0 || m.xx <= 0 || m.yy <= 0)
    return FALSE;
  cairo_surface_get_device_scale (target, &sx, &sy);
  raster->scale = m.xx * sx;
  if (fabs (m.yy * sy - raster->scale) > 1e-9 || raster->scale > 4)
    return FALSE;
  raster->width = (int) ceil (width * raster->scale);
  raster->height = (int) ceil (height * raster->scale);
  if (raster->width <= 0 || raster->height <= 0)
    return FALSE;
  /* A layer of its own, painted over the target once: the same for an
   * image surface and for GTK's recording surface. */
  raster->surface = take_layer (raster->width, raster->height);
  if (cairo_surface_status (raster->surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (raster->surface);
      raster->surface = NULL;
      return FALSE;
    }
  cairo_surface_flush (raster->surface);
  raster->data = (guint32 *) cairo_image_surface_get_data (raster->surface);
  raster->stride = cairo_image_surface_get_stride (raster->surface) / 4;
  raster->cr = cr;
  return TRUE;
}

void
cd_raster_end (CdRaster *raster)
{
  if (raster->surface == NULL)
    return;
  cairo_surface_mark_dirty (raster->surface);
  cairo_surface_set_device_scale (raster->surface, raster->scale, raster->scale);
  cairo_save (raster->cr);
  cairo_set_source_surface (raster->cr, raster->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (raster->cr), CAIRO_FILTER_NEAREST);
  cairo_paint (raster->cr);
  cairo_restore (raster->cr);
  give_back_layer (raster->surface);
  raster->surface = NULL;
}

void
cd_raster_set_color (CdRaster *raster,
                     CdColor   color,
                     double    width)
{
  raster->r = CLAMP (color.r, 0, 1);
  raster->g = CLAMP (color.g, 0, 1);
  raster->b = CLAMP (color.b, 0, 1);
  raster->a = CLAMP (color.a, 0, 1);
  raster->line_width = MAX (width * raster->scale, 0);
  {
    guint32 a = (guint32) (raster->a * 255 + 0.5);
    raster->premul = (a << 24) | ((guint32) (raster->r * raster->a * 255 + 0.5) << 16)
                     | ((guint32) (raster->g * raster->a * 255 + 0.5) << 8)
                     | (guint32) (raster->b * raster->a * 255 + 0.5);
  }
}

/* Source-over of a premultiplied pixel. */
static inline void
blend_premultiplied (guint32 *p,
                     guint32  s)
{
  guint32 sa = s >> 24, ia, d;

  if (sa == 0)
    return;
  if (sa == 255)
    {
      *p = s;
      return;
    }
  d = *p;
  ia = 255 - sa;
  /* two channels at a time, each ×ia/255 with rounding */
  {
    guint32 rb = (d & 0x00ff00ff) * ia + 0x00800080;
    guint32 ag = ((d >> 8) & 0x00ff00ff) * ia + 0x00800080;
    rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
    ag = (ag + ((ag >> 8) & 0x00ff00ff)) & 0xff00ff00;
    *p = s + rb + ag;
  }
}

/* Each byte of a premultiplied pixel times m/255. */
static inline guint32
scale_pixel (guint32 s,
             guint32 m)
{
  guint32 rb = (s & 0x00ff00ff) * m + 0x00800080;
  guint32 ag = ((s >> 8) & 0x00ff00ff) * m + 0x00800080;

  rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff;
  ag = (ag + ((ag >> 8) & 0x00ff00ff)) & 0xff00ff00;
  return rb | ag;
}

/* Source-over of the current colour at coverage c (0–1) onto pixel p, in
 * integers: this runs for every pixel under every line. */
static inline void
blend (const CdRaster *raster,
       guint32        *p,
       double          c)
{
  if (c >= 0.998)
    blend_premultiplied (p, raster->premul);
  else
    blend_premultiplied (p, scale_pixel (raster->premul, (guint32) (c * 255 + 0.5)));
}

/* Liang–Barsky: clips the segment to [lo, hi] boxes; FALSE if nothing is left. */
static gboolean
clip (double *x0, double *y0, double *x1, double *y1,
      double  xmin, double ymin, double xmax, double ymax)
{
  double t0 = 0, t1 = 1, dx = *x1 - *x0, dy = *y1 - *y0;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { *x0 - xmin, xmax - *x0, *y0 - ymin, ymax - *y0 };

  for (int k = 0; k < 4; k++)
    {
      if (p[k] == 0)
        {
          if (q[k] < 0)
            return FALSE;
          continue;
        }
      double t = q[k] / p[k];
      if (p[k] < 0)
        t0 = MAX (t0, t);
      else
        t1 = MIN (t1, t);
      if (t0 > t1)
        return FALSE;
    }
  *x1 = *x0 + t1 * dx;
  *y1 = *y0 + t1 * dy;
  *x0 = *x0 + t0 * dx;
  *y0 = *y0 + t0 * dy;
  return TRUE;
}

void
cd_raster_line (CdRaster *raster,
                double    x0,
                double    y0,
                double    x1,
                double    y1)
{
  double s = raster->scale, w = raster->line_width, dx, dy, slope, half, len;
  gboolean steep;
  int n_major, n_minor, i0, i1;

  if (raster->data == NULL || !(w > 0) || !(raster->a > 0))
    return;
  x0 *= s;
  y0 *= s;
  x1 *= s;
  y1 *= s;
  if (!isfinite (x0) || !isfinite (y0) || !isfinite (x1) || !isfinite (y1))
    return;
  if (!clip (&x0, &y0, &x1, &y1, -w, -w, raster->width + w, raster->height + w))
    return;
  dx = x1 - x0;
  dy = y1 - y0;
  len = hypot (dx, dy);
  if (len < 1e-6)
    return;
  steep = fabs (dy) > fabs (dx);
  if (steep)
    {
      double t;
      t = x0, x0 = y0, y0 = t;
      t = x1, x1 = y1, y1 = t;
      t = dx, dx = dy, dy = t;
    }
  if (x0 > x1)
    {
      double t;
      t = x0, x0 = x1, x1 = t;
      t = y0, y0 = y1, y1 = t;
      dx = -dx;
      dy = -dy;
    }
  n_major = steep ? raster->height : raster->width;
  n_minor = steep ? raster->width : raster->height;
  slope = dy / dx;
  /* the width measured along the minor axis */
  half = 0.5 * w * len / fabs (dx);
  i0 = MAX ((int) floor (x0), 0);
  i1 = MIN ((int) ceil (x1), n_major) - 1;
  for (int i = i0; i <= i1; i++)
    {
      /* the part of this column the segment spans (butt ends) */
      double a = MAX (x0, i), b = MIN (x1, i + 1.0), frac = b - a, yc;
      int j0, j1;
      if (frac <= 0)
        continue;
      yc = y0 + slope * ((a + b) * 0.5 - x0);
      j0 = MAX ((int) floor (yc - half), 0);
      j1 = MIN ((int) floor (yc + half), n_minor - 1);
      for (int j = j0; j <= j1; j++)
        {
          double cov = (MIN (yc + half, j + 1.0) - MAX (yc - half, (double) j)) * frac;
          guint32 *p;
          if (cov <= 0.002)
            continue;
          p = steep ? raster->data + (gsize) i * raster->stride + j
                    : raster->data + (gsize) j * raster->stride + i;
          blend (raster, p, MIN (cov, 1.0));
        }
    }
}

void
cd_raster_sprite (CdRaster        *raster,
                  cairo_surface_t *sprite,
                  double           cx,
                  double           cy)
{
  int w, h, stride, x0, y0;
  const guint32 *src;

  if (raster->data == NULL || sprite == NULL || !isfinite (cx) || !isfinite (cy))
    return;
  w = cairo_image_surface_get_width (sprite);
  h = cairo_image_surface_get_height (sprite);
  stride = cairo_image_surface_get_stride (sprite) / 4;
  src = (const guint32 *) cairo_image_surface_get_data (sprite);
  /* the sprite's centre on the nearest device pixel */
  x0 = (int) floor (cx * raster->scale - w / 2.0 + 0.5);
  y0 = (int) floor (cy * raster->scale - h / 2.0 + 0.5);
  for (int j = MAX (0, -y0); j < h && y0 + j < raster->height; j++)
    {
      guint32 *row = raster->data + (gsize) (y0 + j) * raster->stride;
      const guint32 *srow = src + (gsize) j * stride;
      for (int i = MAX (0, -x0); i < w && x0 + i < raster->width; i++)
        blend_premultiplied (row + x0 + i, srow[i]);
    }
}

void
cd_raster_triangle (CdRaster *raster,
                    double    x0,
                    double    y0,
                    double    x1,
                    double    y1,
                    double    x2,
                    double    y2)
{
  double s = raster->scale, area;
  int i0, i1, j0, j1;

  if (raster->data == NULL || !(raster->a > 0))
    return;
  x0 *= s, y0 *= s, x1 *= s, y1 *= s, x2 *= s, y2 *= s;
  if (!isfinite (x0 + y0 + x1 + y1 + x2 + y2))
    return;
  area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (fabs (area) < 1e-9)
    return;
  i0 = MAX ((int) floor (MIN (x0, MIN (x1, x2))), 0);
  i1 = MIN ((int) ceil (MAX (x0, MAX (x1, x2))), raster->width - 1);
  j0 = MAX ((int) floor (MIN (y0, MIN (y1, y2))), 0);
  j1 = MIN ((int) ceil (MAX (y0, MAX (y1, y2))), raster->height - 1);
  if (i1 - i0 > 64 || j1 - j0 > 64)
    return;   /* arrowheads only: never a large fill */
  {
    /* edge lengths, to turn the edge functions into distances */
    double l0 = hypot (x1 - x0, y1 - y0), l1 = hypot (x2 - x1, y2 - y1);
    double l2 = hypot (x0 - x2, y0 - y2), sg = area > 0 ? 1 : -1;
    for (int j = j0; j <= j1; j++)
      for (int i = i0; i <= i1; i++)
        {
          double px = i + 0.5, py = j + 0.5;
          double d0 = sg * ((x1 - x0) * (py - y0) - (y1 - y0) * (px - x0)) / l0;
          double d1 = sg * ((x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)) / l1;
          double d2 = sg * ((x0 - x2) * (py - y2) - (y0 - y2) * (px - x2)) / l2;
          double dmin = MIN (d0, MIN (d1, d2));
          /* a pixel wholly inside or wholly outside needs no samples */
          if (dmin >= 0.71)
            blend (raster, raster->data + (gsize) j * raster->stride + i, 1.0);
          if (dmin >= 0.71 || dmin <= -0.71)
            continue;
          {
            int inside = 0;
            for (int sy = 0; sy < 3; sy++)
              for (int sx = 0; sx < 3; sx++)
                {
                  double qx = i + (sx + 0.5) / 3, qy = j + (sy + 0.5) / 3;
                  double e0 = (x1 - x0) * (qy - y0) - (y1 - y0) * (qx - x0);
                  double e1 = (x2 - x1) * (qy - y1) - (y2 - y1) * (qx - x1);
                  double e2 = (x0 - x2) * (qy - y2) - (y0 - y2) * (qx - x2);
                  if (area > 0 ? (e0 >= 0 && e1 >= 0 && e2 >= 0)
                               : (e0 <= 0 && e1 <= 0 && e2 <= 0))
                    inside++;
                }
            if (inside)
              blend (raster, raster->data + (gsize) j * raster->stride + i, inside / 9.0);
          }
        }
  }
}

void
cd_raster_rect (CdRaster *raster,
                double    x,
                double    y,
                double    width,
                double    height)
{
  double s = raster->scale, x0, y0, x1, y1;
  int i0, i1, j0, j1;

  if (raster->data == NULL || !(raster->a > 0) || !(width > 0) || !(height > 0))
    return;
  x0 = x * s, y0 = y * s, x1 = (x + width) * s, y1 = (y + height) * s;
  if (!isfinite (x0 + y0 + x1 + y1))
    return;
  i0 = MAX ((int) floor (x0), 0);
  i1 = MIN ((int) ceil (x1), raster->width) - 1;
  j0 = MAX ((int) floor (y0), 0);
  j1 = MIN ((int) ceil (y1), raster->height) - 1;
  for (int j = j0; j <= j1; j++)
    {
      double cy = MIN (y1, j + 1.0) - MAX (y0, (double) j);
      guint32 *row = raster->data + (gsize) j * raster->stride;
      guint32 src;
      if (cy <= 0.002)
        continue;
      /* the row's colour at its vertical coverage, once; only the two end
       * columns need their own */
      src = cy >= 0.998 ? raster->premul
                        : scale_pixel (raster->premul, (guint32) (MIN (cy, 1.0) * 255 + 0.5));
      for (int i = i0; i <= i1; i++)
        {
          double cx;
          if (i > i0 && i < i1)
            {
              /* interior columns are covered fully */
              blend_premultiplied (row + i, src);
              continue;
            }
          cx = MIN (x1, i + 1.0) - MAX (x0, (double) i);
          if (cx >= 0.998)
            blend_premultiplied (row + i, src);
          else if (cx > 0.002)
            blend_premultiplied (row + i, scale_pixel (src, (guint32) (cx * 255 + 0.5)));
        }
    }
}
