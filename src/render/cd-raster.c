/* cd-raster.c — antialiased straight lines written straight into pixels.
 *
 * The zoomed-out national map has ~9,400 edges a pixel or two wide.  Cairo
 * strokes each one as a polygon through its general rasterizer, which cost
 * nearly all of a frame (issue 6.3).  Here each line is walked along its
 * major axis and, per step, the pixels across its width get their exact
 * coverage of the span — the same picture as a butt-capped stroke, at the
 * cost of touching only the pixels under the line.  Rectangles (glyph
 * bars), arrowheads and node sprites go the same way.  Into an image
 * target the pixels are written in place; otherwise (GTK's recording
 * surface) into one frame-sized layer painted over the target once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "cd-raster.h"

static inline guint32 *
pixel_at (const CdRaster *raster,
          int             i,
          int             j)
{
  return raster->data + (raster->origin + (gssize) j * raster->stride + i);
}

/* One spare layer per thread: a 1920×1080 surface costs as much to
 * allocate as a third of the edges cost to draw, and the canvas asks for
 * the same size frame after frame. */
static GPrivate spare_layer = G_PRIVATE_INIT ((GDestroyNotify) cairo_surface_destroy);

/* A layer filled with `fill` (a premultiplied pixel). */
static cairo_surface_t *
take_layer (int     width,
            int     height,
            guint32 fill)
{
  cairo_surface_t *s = g_private_get (&spare_layer);

  if (s != NULL && cairo_image_surface_get_width (s) == width
      && cairo_image_surface_get_height (s) == height
      && cairo_surface_get_reference_count (s) == 1)
    {
      g_private_set (&spare_layer, NULL);
      cairo_surface_set_device_scale (s, 1, 1);
    }
  else
    {
      s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      if (fill == 0 || cairo_surface_status (s) != CAIRO_STATUS_SUCCESS)
        return s;   /* new surfaces are clear */
    }
  cairo_surface_flush (s);
  if (fill == 0)
    memset (cairo_image_surface_get_data (s), 0,
            (gsize) cairo_image_surface_get_stride (s) * height);
  else
    {
      guint8 *data = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s);
      guint32 *first = (guint32 *) (gpointer) data;
      /* one row by hand, the others copied from it: a copy moves far
       * more bytes a cycle than the store loop */
      for (int i = 0; i < width; i++)
        first[i] = fill;
      for (int j = 1; j < height; j++)
        memcpy (data + (gsize) j * stride, first, sizeof (guint32) * width);
    }
  cairo_surface_mark_dirty (s);
  return s;
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

/* Whether (0, 0, width, height) of cr can be drawn straight into the
 * target's pixels: an ARGB32 image, user units at a whole device pixel
 * offset, and a clip that is one whole-pixel rectangle.  That saves
 * clearing a frame-sized layer and compositing it, a quarter of a
 * zoomed-out frame. */
static gboolean
begin_direct (CdRaster             *raster,
              cairo_t              *cr,
              cairo_surface_t      *target,
              const cairo_matrix_t *m,
              double                sx,
              double                sy,
              int                   width,
              int                   height)
{
  cairo_rectangle_list_t *clip;
  double dx, dy, ox, oy;
  int ix, iy, sw, sh, cx0, cy0, cx1, cy1;

  if (cairo_image_surface_get_format (target) != CAIRO_FORMAT_ARGB32)
    return FALSE;
  cairo_surface_get_device_offset (target, &dx, &dy);
  /* the device pixel of user (0, 0) */
  ox = m->x0 * sx + dx;
  oy = m->y0 * sy + dy;
  if (!isfinite (ox) || !isfinite (oy) || fabs (ox - round (ox)) > 1e-6
      || fabs (oy - round (oy)) > 1e-6 || fabs (ox) > 1e6 || fabs (oy) > 1e6)
    return FALSE;
  ix = (int) round (ox);
  iy = (int) round (oy);
  sw = cairo_image_surface_get_width (target);
  sh = cairo_image_surface_get_height (target);
  cx0 = 0, cy0 = 0, cx1 = sw, cy1 = sh;
  clip = cairo_copy_clip_rectangle_list (cr);
  if (clip->status != CAIRO_STATUS_SUCCESS || clip->num_rectangles > 1)
    {
      cairo_rectangle_list_destroy (clip);
      return FALSE;
    }
  if (clip->num_rectangles == 0)
    cx1 = cx0, cy1 = cy0;   /* all clipped away: nothing will show */
  else
    {
      const cairo_rectangle_t *r = &clip->rectangles[0];
      double d[4] = { r->x * raster->scale + ox, r->y * raster->scale + oy,
                      (r->x + r->width) * raster->scale + ox,
                      (r->y + r->height) * raster->scale + oy };
      for (int k = 0; k < 4; k++)
        if (!isfinite (d[k]) || fabs (d[k] - round (d[k])) > 1e-6)
          {
            /* a clip edge through pixels: cairo's antialiased clip */
            cairo_rectangle_list_destroy (clip);
            return FALSE;
          }
      cx0 = MAX (cx0, (int) CLAMP (round (d[0]), -1e6, 1e6));
      cy0 = MAX (cy0, (int) CLAMP (round (d[1]), -1e6, 1e6));
      cx1 = MIN (cx1, (int) CLAMP (round (d[2]), -1e6, 1e6));
      cy1 = MIN (cy1, (int) CLAMP (round (d[3]), -1e6, 1e6));
    }
  cairo_rectangle_list_destroy (clip);
  /* in the raster's coordinates (user units × scale) */
  raster->x0 = MAX (0, cx0 - ix);
  raster->y0 = MAX (0, cy0 - iy);
  raster->width = MIN ((int) ceil (width * raster->scale), cx1 - ix);
  raster->height = MIN ((int) ceil (height * raster->scale), cy1 - iy);
  if (raster->width < raster->x0)
    raster->width = raster->x0;
  if (raster->height < raster->y0)
    raster->height = raster->y0;
  cairo_surface_flush (target);
  raster->surface = target;
  raster->data = (guint32 *) cairo_image_surface_get_data (target);
  raster->stride = cairo_image_surface_get_stride (target) / 4;
  raster->origin = (gssize) iy * raster->stride + ix;
  raster->direct = TRUE;
  raster->cr = cr;
  return raster->data != NULL;
}

void
cd_raster_drop_cache (void)
{
  g_private_replace (&spare_layer, NULL);
}

guint32
cd_raster_premultiply (CdColor c)
{
  double a = CLAMP (c.a, 0, 1);
  return ((guint32) (a * 255 + 0.5) << 24) | ((guint32) (CLAMP (c.r, 0, 1) * a * 255 + 0.5) << 16)
         | ((guint32) (CLAMP (c.g, 0, 1) * a * 255 + 0.5) << 8)
         | (guint32) (CLAMP (c.b, 0, 1) * a * 255 + 0.5);
}

static gboolean
begin (CdRaster      *raster,
       cairo_t       *cr,
       int            width,
       int            height,
       const CdColor *background)
{
  cairo_surface_t *target = cairo_get_group_target (cr);
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
  if (type == CAIRO_SURFACE_TYPE_IMAGE
      && begin_direct (raster, cr, target, &m, sx, sy, width, height))
    {
      /* the background too, where the area ends on whole pixels (else
       * cairo's antialiased edge is the caller's to draw) */
      if (background != NULL && fabs (width * raster->scale - round (width * raster->scale)) < 1e-9
          && fabs (height * raster->scale - round (height * raster->scale)) < 1e-9)
        {
          guint32 fill = cd_raster_premultiply (*background);
          for (int j = raster->y0; j < raster->height; j++)
            {
              guint32 *row = pixel_at (raster, raster->x0, j);
              if (j == raster->y0)
                for (int i = 0; i < raster->width - raster->x0; i++)
                  row[i] = fill;
              else
                memcpy (row, pixel_at (raster, raster->x0, raster->y0),
                        sizeof (guint32) * (raster->width - raster->x0));
            }
          raster->filled = TRUE;
        }
      return TRUE;
    }
  raster->direct = FALSE;
  raster->x0 = raster->y0 = 0;
  raster->origin = 0;
  raster->width = (int) ceil (width * raster->scale);
  raster->height = (int) ceil (height * raster->scale);
  if (raster->width <= 0 || raster->height <= 0)
    return FALSE;
  /* A layer of its own, painted over the target once: the same for an
   * image surface and for GTK's recording surface. */
  raster->area_width = width;
  raster->area_height = height;
  raster->surface = take_layer (raster->width, raster->height,
                                background ? cd_raster_premultiply (*background) : 0);
  raster->opaque = raster->filled = background != NULL;
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

gboolean
cd_raster_begin (CdRaster *raster,
                 cairo_t  *cr,
                 int       width,
                 int       height)
{
  return begin (raster, cr, width, height, NULL);
}

gboolean
cd_raster_begin_on (CdRaster *raster,
                    cairo_t  *cr,
                    int       width,
                    int       height,
                    CdColor   background)
{
  /* only an opaque colour lets the layer replace what is under it */
  return begin (raster, cr, width, height, background.a >= 1 ? &background : NULL);
}

void
cd_raster_end (CdRaster *raster)
{
  if (raster->surface == NULL)
    return;
  if (raster->direct)
    {
      cairo_surface_mark_dirty (raster->surface);
      raster->surface = NULL;
      raster->data = NULL;
      return;
    }
  cairo_surface_mark_dirty (raster->surface);
  cairo_surface_set_device_scale (raster->surface, raster->scale, raster->scale);
  cairo_save (raster->cr);
  cairo_set_source_surface (raster->cr, raster->surface, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (raster->cr), CAIRO_FILTER_NEAREST);
  if (raster->opaque)
    {
      /* a copy rather than a blend, here and wherever the recording is
       * replayed; only over the layer's own area */
      cairo_rectangle (raster->cr, 0, 0, raster->area_width, raster->area_height);
      cairo_clip (raster->cr);
      cairo_set_operator (raster->cr, CAIRO_OPERATOR_SOURCE);
    }
  cairo_paint (raster->cr);
  cairo_restore (raster->cr);
  give_back_layer (raster->surface);
  raster->surface = NULL;
  raster->data = NULL;
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

/* A pixel's four bytes spread over 16-bit lanes of a 64-bit word, and
 * back: one multiplication then scales all four channels. */
#define LANES G_GUINT64_CONSTANT (0x00ff00ff00ff00ff)

static inline guint64
spread (guint32 p)
{
  guint64 x = p;
  return (x | (x << 24)) & LANES;
}

static inline guint32
gather (guint64 x)
{
  return (guint32) (x | (x >> 24));
}

/* Each lane times m/255, rounded. */
static inline guint64
lanes_scale (guint64 x,
             guint32 m)
{
  x = x * m + G_GUINT64_CONSTANT (0x0080008000800080);
  return ((x + ((x >> 8) & LANES)) >> 8) & LANES;
}

/* Source-over of a premultiplied pixel. */
static inline void
blend_premultiplied (guint32 *p,
                     guint32  s)
{
  guint32 sa = s >> 24;

  if (sa == 0)
    return;
  if (sa == 255)
    {
      *p = s;
      return;
    }
  *p = s + gather (lanes_scale (spread (*p), 255 - sa));
}

/* Each byte of a premultiplied pixel times m/255. */
static inline guint32
scale_pixel (guint32 s,
             guint32 m)
{
  return gather (lanes_scale (spread (s), m));
}

/* Source-over of the current colour at coverage m (0–255) onto pixel p, in
 * integers: this runs for every pixel under every line. */
static inline void
blend_coverage (const CdRaster *raster,
                guint32        *p,
                guint32         m)
{
  if (m >= 255)
    blend_premultiplied (p, raster->premul);
  else if (m > 0)
    blend_premultiplied (p, scale_pixel (raster->premul, m));
}

static inline void
blend (const CdRaster *raster,
       guint32        *p,
       double          c)
{
  blend_coverage (raster, p, (guint32) (CLAMP (c, 0, 1) * 255 + 0.5));
}

/* floor() for values well inside the int range, without the libm call */
static inline int
ifloor (double v)
{
  int i = (int) v;
  return i - (v < i);
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

/* One column (or row) of a line: pixels col + j × step for j in [lo, hi). */
typedef struct
{
  const CdRaster *raster;
  gssize          col, step;
  int             lo, hi;
} Span;

/* The line covers [top, bottom) of this column, over `frac` of its width. */
static inline void
span_general (const Span *sp,
              double      yc,
              double      half,
              double      frac)
{
  const CdRaster *raster = sp->raster;
  double top = yc - half, bot = yc + half, fa = frac * 255;
  int jt = ifloor (top), jb = ifloor (bot);

  if (jt == jb)
    {
      if (jt >= sp->lo && jt < sp->hi)
        blend_coverage (raster, raster->data + (sp->col + jt * sp->step),
                        (guint32) ((bot - top) * fa + 0.5));
      return;
    }
  if (jt >= sp->lo && jt < sp->hi)
    blend_coverage (raster, raster->data + (sp->col + jt * sp->step),
                    (guint32) ((jt + 1 - top) * fa + 0.5));
  {
    int j0 = MAX (jt + 1, sp->lo), j1 = MIN (jb, sp->hi);
    if (j0 < j1)
      {
        guint32 full = (guint32) (fa + 0.5);
        guint32 px = full >= 255 ? raster->premul : scale_pixel (raster->premul, full);
        for (int j = j0; j < j1; j++)
          blend_premultiplied (raster->data + (sp->col + j * sp->step), px);
      }
  }
  if (jb >= sp->lo && jb < sp->hi)
    blend_coverage (raster, raster->data + (sp->col + jb * sp->step),
                    (guint32) ((bot - jb) * fa + 0.5));
}

/* The same for a column the segment spans wholly, with top and bottom in
 * 16.16 fixed point: most columns of every line come here, and integer
 * shifts replace the floors and products of span_general. */
static inline void
span_fixed (const Span *sp,
            gint32      t16,
            gint32      b16)
{
  const CdRaster *raster = sp->raster;
  /* arithmetic shifts: floor for negative values too */
  int jt = t16 >> 16, jb = b16 >> 16;

  if (jt == jb)
    {
      if (jt >= sp->lo && jt < sp->hi)
        blend_coverage (raster, raster->data + (sp->col + jt * sp->step),
                        ((guint32) (b16 - t16) * 255 + 32768) >> 16);
      return;
    }
  if (jt >= sp->lo && jt < sp->hi)
    blend_coverage (raster, raster->data + (sp->col + jt * sp->step),
                    ((65536 - (guint32) (t16 & 0xffff)) * 255 + 32768) >> 16);
  {
    int j0 = MAX (jt + 1, sp->lo), j1 = MIN (jb, sp->hi);
    guint32 s = raster->premul, ia = 255 - (s >> 24);
    for (int j = j0; j < j1; j++)
      {
        guint32 *p = raster->data + (sp->col + j * sp->step);
        *p = s + gather (lanes_scale (spread (*p), ia));
      }
  }
  if (jb >= sp->lo && jb < sp->hi)
    blend_coverage (raster, raster->data + (sp->col + jb * sp->step),
                    ((guint32) (b16 & 0xffff) * 255 + 32768) >> 16);
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
  int lo_major, hi_major, lo_minor, hi_minor, i0, i1;
  gssize step_major, step_minor;

  if (raster->data == NULL || !(w > 0) || !(raster->a > 0))
    return;
  x0 *= s;
  y0 *= s;
  x1 *= s;
  y1 *= s;
  if (!isfinite (x0) || !isfinite (y0) || !isfinite (x1) || !isfinite (y1))
    return;
  if (!clip (&x0, &y0, &x1, &y1, raster->x0 - w, raster->y0 - w, raster->width + w,
             raster->height + w))
    return;
  dx = x1 - x0;
  dy = y1 - y0;
  len = sqrt (dx * dx + dy * dy);
  if (len < 1e-6)
    return;
  steep = fabs (dy) > fabs (dx);
  if (steep)
    {
      double t;
      t = x0, x0 = y0, y0 = t;
      t = x1, x1 = y1, y1 = t;
      t = dx, dx = dy, dy = t;
      lo_major = raster->y0, hi_major = raster->height;
      lo_minor = raster->x0, hi_minor = raster->width;
      step_major = raster->stride, step_minor = 1;
    }
  else
    {
      lo_major = raster->x0, hi_major = raster->width;
      lo_minor = raster->y0, hi_minor = raster->height;
      step_major = 1, step_minor = raster->stride;
    }
  if (x0 > x1)
    {
      double t;
      t = x0, x0 = x1, x1 = t;
      t = y0, y0 = y1, y1 = t;
      dx = -dx;
      dy = -dy;
    }
  slope = dy / dx;
  /* the width measured along the minor axis */
  half = 0.5 * w * len / fabs (dx);
  i0 = MAX (ifloor (x0), lo_major);
  i1 = MIN (ifloor (x1) + 1, hi_major) - 1;
  if (i0 > i1)
    return;
  {
    Span sp = { raster, 0, step_minor, lo_minor, hi_minor };
    /* columns wholly inside the segment, walked in 16.16 fixed point: the
     * ends' columns (and frames too large for it) take the general path */
    int in0 = MAX (ifloor (x0) + 1, i0), in1 = MIN (ifloor (x1) - 1, i1);
    gboolean fixed = MAX (raster->width, raster->height) + w + half < 16384 && in0 <= in1;

    for (int i = i0; i <= i1; i++)
      {
        double a, b;
        if (fixed && i == in0)
          {
            gint32 s16 = (gint32) floor (slope * 65536 + 0.5);
            gint32 h16 = (gint32) floor (2 * half * 65536 + 0.5);
            gint32 t16 = (gint32) floor ((y0 + slope * (in0 + 0.5 - x0) - half) * 65536 + 0.5);
            for (; i <= in1; i++, t16 += s16)
              {
                sp.col = raster->origin + (gssize) i * step_major;
                span_fixed (&sp, t16, t16 + h16);
              }
            if (i > i1)
              break;
          }
        /* the part of this column the segment spans (butt ends) */
        a = x0 > i ? x0 : i;
        b = x1 < i + 1 ? x1 : i + 1;
        if (b - a <= 0)
          continue;
        sp.col = raster->origin + (gssize) i * step_major;
        span_general (&sp, y0 + slope * ((a + b) * 0.5 - x0), half, b - a);
      }
  }
}

struct _CdRasterSprite
{
  int      width, height;
  guint32 *pixels;        /* width × height, premultiplied */
  int      row0, row1;    /* the rows with anything to show: [row0, row1) */
  int     *span;          /* per row: first visible pixel, first and one past the
                           * last of the longest opaque run, one past the last
                           * visible pixel */
};

CdRasterSprite *
cd_raster_sprite_new (cairo_surface_t *image)
{
  CdRasterSprite *sprite;
  const guint8 *src;
  int stride;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (cairo_surface_get_type (image) == CAIRO_SURFACE_TYPE_IMAGE, NULL);
  cairo_surface_flush (image);
  sprite = g_new0 (CdRasterSprite, 1);
  sprite->width = cairo_image_surface_get_width (image);
  sprite->height = cairo_image_surface_get_height (image);
  sprite->pixels = g_new0 (guint32, MAX (sprite->width * sprite->height, 1));
  sprite->span = g_new0 (int, 4 * MAX (sprite->height, 1));
  src = cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image);
  if (cairo_image_surface_get_format (image) != CAIRO_FORMAT_ARGB32 || src == NULL)
    return sprite;   /* nothing to show */
  for (int j = 0; j < sprite->height; j++)
    {
      guint32 *row = sprite->pixels + (gsize) j * sprite->width;
      int first = sprite->width, last = 0, run0 = 0, run1 = 0;
      memcpy (row, src + (gsize) j * stride, sizeof (guint32) * sprite->width);
      for (int i = 0; i < sprite->width; i++)
        if (row[i] != 0)
          {
            first = MIN (first, i);
            last = i + 1;
          }
      for (int i = 0; i < sprite->width;)
        {
          int k = i;
          while (k < sprite->width && row[k] >> 24 == 255)
            k++;
          if (k - i > run1 - run0)
            run0 = i, run1 = k;
          i = k + 1;
        }
      if (run1 <= run0)
        run0 = run1 = first;
      sprite->span[4 * j] = first;
      sprite->span[4 * j + 1] = run0;
      sprite->span[4 * j + 2] = run1;
      sprite->span[4 * j + 3] = MAX (last, run1);
      if (first < last)
        {
          if (sprite->row1 == 0)
            sprite->row0 = j;
          sprite->row1 = j + 1;
        }
    }
  return sprite;
}

void
cd_raster_sprite_free (CdRasterSprite *sprite)
{
  if (sprite == NULL)
    return;
  g_free (sprite->pixels);
  g_free (sprite->span);
  g_free (sprite);
}

void
cd_raster_sprite (CdRaster             *raster,
                  const CdRasterSprite *sprite,
                  double                cx,
                  double                cy)
{
  int x0, y0, w, h;

  if (raster->data == NULL || sprite == NULL || !isfinite (cx) || !isfinite (cy))
    return;
  w = sprite->width;
  h = sprite->height;
  cx = cx * raster->scale - w / 2.0 + 0.5;
  cy = cy * raster->scale - h / 2.0 + 0.5;
  if (cx < -1e6 || cx > 1e6 || cy < -1e6 || cy > 1e6)
    return;
  /* the sprite's centre on the nearest device pixel */
  x0 = ifloor (cx);
  y0 = ifloor (cy);
  /* only the rows with something in them: a sprite leaves room for rings
   * most nodes do not have */
  for (int j = MAX (sprite->row0, raster->y0 - y0); j < sprite->row1 && y0 + j < raster->height;
       j++)
    {
      const guint32 *srow = sprite->pixels + (gsize) j * w;
      const int *span = sprite->span + 4 * j;
      int a = MAX (span[0], raster->x0 - x0), b = MIN (span[3], raster->width - x0);
      int o0 = CLAMP (span[1], a, b), o1 = CLAMP (span[2], o0, b);
      guint32 *row;
      if (a >= b)
        continue;
      row = pixel_at (raster, x0 + a, y0 + j);
      /* the edges blended, the opaque middle copied */
      for (int i = a; i < o0; i++)
        blend_premultiplied (row + (i - a), srow[i]);
      if (o1 > o0)
        memcpy (row + (o0 - a), srow + o0, sizeof (guint32) * (o1 - o0));
      for (int i = o1; i < b; i++)
        blend_premultiplied (row + (i - a), srow[i]);
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
  double s = raster->scale, area, l0, l1, l2, sg;
  double ea[3], eb[3], ec[3];
  int i0, i1, j0, j1;

  if (raster->data == NULL || !(raster->a > 0))
    return;
  x0 *= s, y0 *= s, x1 *= s, y1 *= s, x2 *= s, y2 *= s;
  if (!isfinite (x0 + y0 + x1 + y1 + x2 + y2))
    return;
  area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  if (fabs (area) < 1e-9)
    return;
  i0 = (int) MAX (floor (MIN (x0, MIN (x1, x2))), raster->x0);
  i1 = (int) MIN (ceil (MAX (x0, MAX (x1, x2))), raster->width - 1);
  j0 = (int) MAX (floor (MIN (y0, MIN (y1, y2))), raster->y0);
  j1 = (int) MIN (ceil (MAX (y0, MAX (y1, y2))), raster->height - 1);
  if (i0 > i1 || j0 > j1 || i1 - i0 > 64 || j1 - j0 > 64)
    return;   /* off the layer; or not an arrowhead: never a large fill */
  /* each edge as a distance function d = a x + b y + c, positive inside */
  l0 = sqrt ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
  l1 = sqrt ((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1));
  l2 = sqrt ((x0 - x2) * (x0 - x2) + (y0 - y2) * (y0 - y2));
  sg = area > 0 ? 1 : -1;
  ea[0] = -sg * (y1 - y0) / l0, eb[0] = sg * (x1 - x0) / l0;
  ea[1] = -sg * (y2 - y1) / l1, eb[1] = sg * (x2 - x1) / l1;
  ea[2] = -sg * (y0 - y2) / l2, eb[2] = sg * (x0 - x2) / l2;
  ec[0] = -(ea[0] * x0 + eb[0] * y0);
  ec[1] = -(ea[1] * x1 + eb[1] * y1);
  ec[2] = -(ea[2] * x2 + eb[2] * y2);
  for (int j = j0; j <= j1; j++)
    {
      guint32 *row = pixel_at (raster, i0, j);
      double py = j + 0.5, lo = i0, hi = i1;
      int a, b;
      /* the columns where every edge's distance exceeds −0.71: the rest
       * of the row is outside */
      for (int k = 0; k < 3; k++)
        {
          double c = eb[k] * py + ec[k] + 0.71;   /* ea x + c ≥ 0, x = i + 0.5 */
          if (ea[k] > 1e-12)
            lo = MAX (lo, -c / ea[k] - 0.5);
          else if (ea[k] < -1e-12)
            hi = MIN (hi, -c / ea[k] - 0.5);
          else if (c < 0)
            hi = lo - 1;
        }
      if (hi < lo)
        continue;
      a = MAX (i0, (int) floor (lo));
      b = MIN (i1, (int) ceil (hi));
      for (int i = a; i <= b; i++)
        {
          double px = i + 0.5;
          double d0 = ea[0] * px + eb[0] * py + ec[0];
          double d1 = ea[1] * px + eb[1] * py + ec[1];
          double d2 = ea[2] * px + eb[2] * py + ec[2];
          double dmin = MIN (d0, MIN (d1, d2));

          /* a pixel wholly inside or wholly outside needs no more */
          if (dmin >= 0.71)
            {
              blend_premultiplied (row + (i - i0), raster->premul);
              continue;
            }
          if (dmin <= -0.71)
            continue;
          /* Each edge's coverage from its distance, multiplied: exact for
           * one edge across the pixel or two at right angles, and close at
           * the arrowheads' corners — 4.1/255 from cairo's own fill on
           * average and 32/255 at most, where 3×3 samples were 7.7 and 50. */
          blend (raster, row + (i - i0),
                 CLAMP (d0 + 0.5, 0, 1) * CLAMP (d1 + 0.5, 0, 1) * CLAMP (d2 + 0.5, 0, 1));
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
  i0 = (int) MAX (floor (x0), raster->x0);
  i1 = (int) MIN (ceil (x1), raster->width) - 1;
  j0 = (int) MAX (floor (y0), raster->y0);
  j1 = (int) MIN (ceil (y1), raster->height) - 1;
  for (int j = j0; j <= j1; j++)
    {
      double cy = MIN (y1, j + 1.0) - MAX (y0, (double) j);
      guint32 *row;
      guint32 src;
      if (cy <= 0.002 || i0 > i1)
        continue;
      row = pixel_at (raster, i0, j);
      /* the row's colour at its vertical coverage, once; only the two end
       * columns need their own */
      src = cy >= 0.998 ? raster->premul
                        : scale_pixel (raster->premul, (guint32) (MIN (cy, 1.0) * 255 + 0.5));
      /* the two end columns at their own coverage */
      for (int i = i0; i <= i1; i += MAX (i1 - i0, 1))
        {
          double cx = MIN (x1, i + 1.0) - MAX (x0, (double) i);
          if (cx >= 0.998)
            blend_premultiplied (row + (i - i0), src);
          else if (cx > 0.002)
            blend_premultiplied (row + (i - i0), scale_pixel (src, (guint32) (cx * 255 + 0.5)));
        }
      /* interior columns are covered fully: a store, or one blend
       * factor for the whole run */
      if (src >> 24 == 255)
        for (int i = i0 + 1; i < i1; i++)
          row[i - i0] = src;
      else if (src >> 24 > 0)
        {
          guint32 ia = 255 - (src >> 24);
          for (int i = i0 + 1; i < i1; i++)
            row[i - i0] = src + gather (lanes_scale (spread (row[i - i0]), ia));
        }
    }
}
