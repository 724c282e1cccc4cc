/* cd-plot.c — the plotting toolkit: axes with 1-2-5 ticks, series, bands,
 * markers, cursor and legends.  The charts live in cd-charts.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-plot.h"
#include "cd-plot-private.h"
#include "cd-render-private.h"

#define TICK_FONT   12.0
#define TITLE_FONT  13.0
#define HEAD_FONT   15.0
#define LEGEND_FONT 12.0

typedef struct
{
  char        *label;
  CdColor      color;
  CdLegendKind kind;
  CdLineDash   dash;
} LegendEntry;

typedef struct
{
  double lo, hi;
  gboolean set;
  double step;
  GArray *ticks;
  char *title;
} Axis;

struct _CdPlot
{
  cairo_t        *cr;
  CdRenderStyle   style;
  double          ox, oy, ow, oh;
  char           *title;
  Axis            x, y, y2;
  GPtrArray      *categories;
  double          ax, ay, aw, ah;   /* the data area */
  gboolean        laid_out;
  GArray         *legend;           /* of LegendEntry */
  GArray         *occupied;         /* sampled data points in px (pairs), for the legend */
  GArray         *labels;           /* marker labels' boxes (x, y, w, h), which it never covers */
  double          marker_rows[4];   /* right end of the last label in each row */
  gboolean        flat_titles;      /* y titles in a band above the area (short plots) */
  double          flat_y;           /* top of that band */
  /* On paper the legend goes in rows under the axes, never over the data:
   * the entries made before the layout, and where their rows start. */
  gboolean        legend_below;
  guint           below_entries;
  double          below_y;
  double          x_title_bottom;   /* where the x title's bottom edge goes */
};

/* ---- time axes ------------------------------------------------------------ */

char *
cd_plot_time_title (const char *unit)
{
  if (unit == NULL || *unit == '\0')
    return g_strdup (_("time"));
  /* Translators: a time axis's title; %s is the model's unit of time, as
   * its author wrote it (e.g. "days") */
  return g_strdup_printf (_("time (%s)"), unit);
}

const char *
cd_render_time_unit (const CdModel *model)
{
  /* the model file's simulation.time_unit */
  return model != NULL ? model->time_unit : NULL;
}

/* ---- ticks ---------------------------------------------------------------- */

static double
nice_step (double range,
           guint  target)
{
  double rough = range / MAX (target, 1);
  double mag = pow (10.0, floor (log10 (rough)));
  double residual = rough / mag;

  if (residual < 1.5)
    return mag;
  if (residual < 3.0)
    return 2 * mag;
  if (residual < 7.0)
    return 5 * mag;
  return 10 * mag;
}

static void
sanitize_range (double *lo,
                double *hi)
{
  if (!isfinite (*lo) || !isfinite (*hi))
    {
      if (isfinite (*lo))
        *hi = *lo + 1;
      else if (isfinite (*hi))
        *lo = *hi - 1;
      else
        *lo = 0, *hi = 1;
    }
  if (*hi < *lo)
    {
      double t = *lo;
      *lo = *hi;
      *hi = t;
    }
  if (*hi - *lo <= 1e-12 * MAX (fabs (*lo), fabs (*hi)) || *hi == *lo)
    {
      /* A constant series still deserves an axis around its value. */
      double pad = fabs (*lo) > 0 ? fabs (*lo) * 0.1 : 0.5;
      *lo -= pad;
      *hi += pad;
    }
}

GArray *
cd_plot_nice_ticks (double  lo,
                    double  hi,
                    guint   target,
                    double *out_lo,
                    double *out_hi)
{
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (double));
  double step, first, last;

  sanitize_range (&lo, &hi);
  step = nice_step (hi - lo, MAX (target, 2));
  /* A relative tolerance so 0.30000000000000004 counts as on the grid. */
  first = ceil (lo / step - 1e-9) * step;
  last = floor (hi / step + 1e-9) * step;
  for (int k = 0; first + k * step <= last + step * 1e-9 && k < 1000; k++)
    {
      double v = first + k * step;
      if (fabs (v) < step * 1e-9)
        v = 0.0;
      g_array_append_val (ticks, v);
    }
  if (ticks->len < 2)
    {
      /* Range narrower than one step: use its ends. */
      g_array_set_size (ticks, 0);
      g_array_append_val (ticks, lo);
      g_array_append_val (ticks, hi);
    }
  if (out_lo)
    *out_lo = MIN (floor (lo / step + 1e-9) * step, lo);
  if (out_hi)
    *out_hi = MAX (ceil (hi / step - 1e-9) * step, hi);
  return ticks;
}

char *
cd_plot_format_tick (double value,
                     double step)
{
  int decimals = 0;

  if (step > 0 && isfinite (step))
    decimals = (int) MAX (0, -floor (log10 (step) + 1e-9));
  if (fabs (value) >= 1e6 || (fabs (value) > 0 && fabs (value) < 1e-4 && decimals > 6))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_ascii_formatd (buf, sizeof buf, "%.3g", value);
      if (buf[0] == '-')
        return g_strconcat ("−", buf + 1, NULL);
      return g_strdup (buf);
    }
  return cd_render_format_value (value, decimals);
}

/* ---- plot object -------------------------------------------------------- */

static void
axis_clear (Axis *a)
{
  g_clear_pointer (&a->ticks, g_array_unref);
  g_clear_pointer (&a->title, g_free);
}

CdPlot *
cd_plot_new (cairo_t             *cr,
             double               x,
             double               y,
             double               width,
             double               height,
             const CdRenderStyle *style)
{
  CdPlot *plot = g_new0 (CdPlot, 1);

  g_return_val_if_fail (cr != NULL, NULL);
  plot->cr = cairo_reference (cr);
  plot->style = *cd_render_style_or_default (style);
  plot->ox = x;
  plot->oy = y;
  plot->ow = MAX (width, 10);
  plot->oh = MAX (height, 10);
  plot->x.lo = plot->y.lo = plot->y2.lo = 0;
  plot->x.hi = plot->y.hi = plot->y2.hi = 1;
  plot->legend = g_array_new (FALSE, FALSE, sizeof (LegendEntry));
  plot->occupied = g_array_new (FALSE, FALSE, sizeof (double));
  plot->labels = g_array_new (FALSE, FALSE, sizeof (double));
  return plot;
}

void
cd_plot_free (CdPlot *plot)
{
  if (plot == NULL)
    return;
  cairo_destroy (plot->cr);
  g_free (plot->title);
  axis_clear (&plot->x);
  axis_clear (&plot->y);
  axis_clear (&plot->y2);
  g_clear_pointer (&plot->categories, g_ptr_array_unref);
  for (guint i = 0; i < plot->legend->len; i++)
    g_free (g_array_index (plot->legend, LegendEntry, i).label);
  g_array_unref (plot->legend);
  g_array_unref (plot->occupied);
  g_array_unref (plot->labels);
  g_free (plot);
}

void
cd_plot_set_title (CdPlot     *plot,
                   const char *title)
{
  g_free (plot->title);
  plot->title = g_strdup (title);
}

static void
axis_set_range (Axis    *a,
                double   lo,
                double   hi,
                gboolean nice,
                guint    target)
{
  double nlo, nhi;

  g_clear_pointer (&a->ticks, g_array_unref);
  sanitize_range (&lo, &hi);
  a->ticks = cd_plot_nice_ticks (lo, hi, target, &nlo, &nhi);
  a->step = a->ticks->len >= 2 ? g_array_index (a->ticks, double, 1)
                                 - g_array_index (a->ticks, double, 0) : hi - lo;
  if (nice && (nlo != lo || nhi != hi))
    {
      /* Widened to whole steps: the ends are ticks too. */
      lo = nlo, hi = nhi;
      g_array_unref (a->ticks);
      a->ticks = cd_plot_nice_ticks (lo, hi, target, NULL, NULL);
      a->step = a->ticks->len >= 2 ? g_array_index (a->ticks, double, 1)
                                     - g_array_index (a->ticks, double, 0) : hi - lo;
    }
  a->lo = lo;
  a->hi = hi;
  a->set = TRUE;
  /* Ticks must lie within the range actually shown. */
  for (guint i = a->ticks->len; i-- > 0;)
    {
      double v = g_array_index (a->ticks, double, i);
      if (v < lo - 1e-9 * fabs (a->step) || v > hi + 1e-9 * fabs (a->step))
        g_array_remove_index (a->ticks, i);
    }
}

void
cd_plot_set_x_range (CdPlot *plot, double lo, double hi, gboolean nice)
{
  axis_set_range (&plot->x, lo, hi, nice, plot->ow > 500 ? 8 : 5);
}

void
cd_plot_set_y_range (CdPlot *plot, double lo, double hi, gboolean nice)
{
  axis_set_range (&plot->y, lo, hi, nice, plot->oh > 350 ? 6 : 4);
}

void
cd_plot_set_y2_range (CdPlot *plot, double lo, double hi, gboolean nice)
{
  axis_set_range (&plot->y2, lo, hi, nice, plot->oh > 350 ? 6 : 4);
}

void
cd_plot_set_x_title (CdPlot *plot, const char *title)
{
  g_free (plot->x.title);
  plot->x.title = g_strdup (title);
}

void
cd_plot_set_y_title (CdPlot *plot, const char *title)
{
  g_free (plot->y.title);
  plot->y.title = g_strdup (title);
}

void
cd_plot_set_y2_title (CdPlot *plot, const char *title)
{
  g_free (plot->y2.title);
  plot->y2.title = g_strdup (title);
}

void
cd_plot_set_y_categories (CdPlot             *plot,
                          const char * const *labels,
                          guint               n)
{
  g_clear_pointer (&plot->categories, g_ptr_array_unref);
  plot->categories = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (plot->categories, g_strdup (labels[i] ? labels[i] : ""));
  plot->y.lo = -0.5;
  plot->y.hi = n - 0.5;
  plot->y.set = TRUE;
}

static char *
axis_tick_label (const Axis *a,
                 guint       i)
{
  return cd_plot_format_tick (g_array_index (a->ticks, double, i), a->step);
}

static double
axis_label_width (CdPlot     *plot,
                  const Axis *a)
{
  double w = 0;

  if (a->ticks == NULL)
    return 0;
  for (guint i = 0; i < a->ticks->len; i++)
    {
      g_autofree char *s = axis_tick_label (a, i);
      w = MAX (w, cd_render_text_width (plot->cr, &plot->style, s, TICK_FONT, FALSE));
    }
  return w;
}

static double
text_height (CdPlot *plot,
             double  size)
{
  PangoLayout *layout = cd_render_layout (plot->cr, &plot->style, size, FALSE);
  double h;

  cd_render_layout_set (layout, "Ag", NULL, &h);
  g_object_unref (layout);
  return h;
}

guint
cd_plot_category_rows_that_fit (CdPlot *plot)
{
  double th;

  cd_plot_layout (plot);
  th = text_height (plot, TICK_FONT);
  return (guint) MAX (1.0, floor (plot->ah / (th * 1.05)));
}

/* Fewer ticks on an axis too short for its labels to stand apart: a short
 * strip of chart would otherwise print 0.0 … 1.0 on top of each other. */
static void
thin_ticks (Axis   *a,
            double  length,
            double  label_h)
{
  guint target;

  if (a->ticks == NULL || a->ticks->len < 3
      || length / (a->ticks->len - 1) >= label_h * 1.3)
    return;
  target = (guint) MAX (floor (length / (label_h * 1.6)), 1);
  g_array_unref (a->ticks);
  a->ticks = cd_plot_nice_ticks (a->lo, a->hi, target, NULL, NULL);
  while (a->ticks->len > 2 && length / (a->ticks->len - 1) < label_h * 1.3)
    {
      /* the nice step came out finer than asked: keep every other tick,
       * and always both ends of the axis when they are ticks */
      GArray *kept = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < a->ticks->len; i += 2)
        g_array_append_val (kept, g_array_index (a->ticks, double, i));
      g_array_unref (a->ticks);
      a->ticks = kept;
    }
  a->step = a->ticks->len >= 2 ? g_array_index (a->ticks, double, 1)
                                 - g_array_index (a->ticks, double, 0) : a->hi - a->lo;
}

/* An axis title no longer than `length`: in the title size when it fits,
 * else in the tick size, else shortened with "…". */
static PangoLayout *
axis_title_layout (CdPlot     *plot,
                   const char *text,
                   double      length,
                   gboolean    small)
{
  PangoLayout *layout = cd_render_layout (plot->cr, &plot->style, TITLE_FONT, FALSE);
  double w;

  cd_render_layout_set (layout, text, &w, NULL);
  if (w <= length && !small)
    return layout;
  g_object_unref (layout);
  layout = cd_render_layout (plot->cr, &plot->style, TICK_FONT, FALSE);
  pango_layout_set_width (layout, (int) (MAX (length, 1) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  cd_render_layout_set (layout, text, NULL, NULL);
  return layout;
}

static void legend_swatch (CdPlot *plot, const LegendEntry *e, double x, double y, double w,
                           double h);

/* The legend's entries in rows no wider than max_w from (x, y), each a
 * swatch and its label; draws only when `draw`.  Returns the height. */
static double
legend_flow (CdPlot   *plot,
             double    x,
             double    y,
             double    max_w,
             gboolean  draw)
{
  const CdRenderStyle *st = &plot->style;
  double fs = st->font_scale, sw = 18 * fs, gap = 14 * fs, row = 0, at_x = x, at_y = y;
  PangoLayout *layout = cd_render_layout (plot->cr, st, LEGEND_FONT, FALSE);

  cd_render_layout_set (layout, "Ag", NULL, &row);
  for (guint i = 0; i < plot->legend->len; i++)
    {
      const LegendEntry *e = &g_array_index (plot->legend, LegendEntry, i);
      double tw, w;

      cd_render_layout_set (layout, e->label, &tw, NULL);
      /* a label longer than a row is cut with "…" */
      tw = MIN (tw, max_w - sw - 4 * fs);
      w = sw + 4 * fs + tw;
      if (at_x > x && at_x + w > x + max_w)
        {
          at_x = x;
          at_y += row;
        }
      if (draw)
        {
          legend_swatch (plot, e, at_x, at_y, sw, row);
          pango_layout_set_width (layout, (int) (MAX (tw, 1) * PANGO_SCALE));
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          cd_render_layout_draw (plot->cr, layout, at_x + sw + 4 * fs, at_y, CD_ANCHOR_START,
                                 CD_ANCHOR_START, cd_palette_foreground (st));
          pango_layout_set_width (layout, -1);
          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
        }
      at_x += w + gap;
    }
  g_object_unref (layout);
  return at_y + row - y;
}

/* The x axis's title, centred under the area but free to use the whole
 * width (category labels may take much of it from the area in a narrow
 * figure); on paper a title too long for one line takes two. */
static PangoLayout *
x_title_layout (CdPlot *plot,
                double *height)
{
  double inner = plot->ow - 16 * plot->style.font_scale, w;
  PangoLayout *layout = axis_title_layout (plot, plot->x.title, inner, FALSE);

  cd_render_layout_set (layout, plot->x.title, &w, NULL);
  if (plot->style.paper && pango_layout_is_ellipsized (layout))
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -2);
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
    }
  cd_render_layout_set (layout, plot->x.title, NULL, height);
  return layout;
}

/* The gap between the x axis and its tick labels: the tick's length, but
 * at least half a label's height, since the bottom y label is centred on
 * the axis's corner, where the first (or, with a right axis, the last) x
 * label hangs: with large type the two met. */
static double
x_label_gap (const CdPlot *plot,
             double        label_h)
{
  return MAX (5 * plot->style.line_scale, label_h * 0.5 + 1);
}

/* How much of the width category labels may take: on paper, where a
 * column is narrow and a cut name is lost, more than on screen. */
static double
category_share (const CdPlot *plot)
{
  return plot->style.paper ? 0.55 : 0.35;
}

/* The title across the plot's width: one line, cut with "…"; on paper,
 * where a figure is narrow and its title is read, up to two lines.  Its
 * end keeps clear of the style's title_end_inset (the app's export button
 * over the corner), and a title too long for the rest then wraps to two
 * lines rather than lose its end. */
static PangoLayout *
title_layout (CdPlot *plot)
{
  PangoLayout *layout = cd_render_layout (plot->cr, &plot->style, HEAD_FONT, TRUE);
  double fs = plot->style.font_scale;

  pango_layout_set_width (layout, (int) (MAX (plot->ow - 8 * fs
                                              - MAX (8 * fs, plot->style.title_end_inset), 1)
                                         * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  if (plot->style.paper || plot->style.title_end_inset > 0)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_height (layout, -2);
    }
  cd_render_layout_set (layout, plot->title, NULL, NULL);
  return layout;
}

void
cd_plot_layout (CdPlot *plot)
{
  double fs = plot->style.font_scale;
  double pad = 8 * fs, tick = 5 * plot->style.line_scale;
  double th = text_height (plot, TICK_FONT), tt = text_height (plot, TITLE_FONT);
  double left = plot->ox + pad, right = plot->ox + plot->ow - pad;
  double top = plot->oy + pad, bottom = plot->oy + plot->oh - pad;

  if (!plot->x.set)
    cd_plot_set_x_range (plot, 0, 1, FALSE);
  if (!plot->y.set)
    cd_plot_set_y_range (plot, 0, 1, FALSE);
  /* The title has a band of its own; below it, room for half the top tick
   * label, which is centred on the top of the area. */
  if (plot->title)
    {
      PangoLayout *layout = title_layout (plot);
      double h;

      cd_render_layout_set (layout, plot->title, NULL, &h);
      top += h + pad * 0.5;
      g_object_unref (layout);
    }
  /* On paper (or when asked) the legend has rows of its own at the bottom. */
  plot->below_entries = 0;
  if ((plot->legend_below || plot->style.paper) && plot->legend->len > 0)
    {
      double lh = legend_flow (plot, plot->ox + pad, 0, plot->ow - 2 * pad, FALSE);

      plot->below_entries = plot->legend->len;
      plot->below_y = bottom - lh;
      bottom -= lh + pad * 0.5;
    }
  plot->x_title_bottom = bottom;
  /* A plot too short for its side titles to read along the axes (the app's
   * strip under the canvas) gets them level, in a band of their own above
   * the area: left title over the left axis, right title over the right. */
  {
    double est = bottom - (th + tick + 2) - (plot->x.title ? tt + pad * 0.25 : 0) - top - th;
    double wy = plot->y.title ? cd_render_text_width (plot->cr, &plot->style, plot->y.title,
                                                      TICK_FONT, FALSE) : 0;
    double wy2 = plot->y2.set && plot->y2.title
                 ? cd_render_text_width (plot->cr, &plot->style, plot->y2.title, TICK_FONT,
                                         FALSE) : 0;
    plot->flat_titles = (wy > est || wy2 > est) && !plot->categories;
    plot->flat_y = top;
    if (plot->flat_titles)
      top += tt + pad * 0.25;   /* the titles may be in the title size */
  }
  top += th * 0.5;
  if (plot->y.title && !plot->flat_titles)
    left += tt + pad * 0.5;
  if (plot->categories)
    {
      double w = 0;
      for (guint i = 0; i < plot->categories->len; i++)
        w = MAX (w, cd_render_text_width (plot->cr, &plot->style,
                                          g_ptr_array_index (plot->categories, i), TICK_FONT,
                                          FALSE));
      left += MIN (w, plot->ow * category_share (plot)) + tick + 2;
    }
  else
    left += axis_label_width (plot, &plot->y) + tick + 2;
  if (plot->y2.set)
    {
      right -= axis_label_width (plot, &plot->y2) + tick + 2;
      if (plot->y2.title && !plot->flat_titles)
        right -= tt + pad * 0.5;
    }
  else
    {
      /* Half the last x tick label may hang past the axis. */
      g_autofree char *s = plot->x.ticks && plot->x.ticks->len
                           ? axis_tick_label (&plot->x, plot->x.ticks->len - 1) : g_strdup ("");
      right -= cd_render_text_width (plot->cr, &plot->style, s, TICK_FONT, FALSE) * 0.5;
    }
  bottom -= th + x_label_gap (plot, th) + 2;
  if (plot->x.title)
    {
      double xh;

      g_object_unref (x_title_layout (plot, &xh));
      bottom -= MAX (xh, tt) + pad * 0.25;
    }

  plot->ax = left;
  plot->ay = top;
  plot->aw = MAX (right - left, 10);
  plot->ah = MAX (bottom - top, 10);
  plot->laid_out = TRUE;
  if (!plot->categories)
    {
      thin_ticks (&plot->y, plot->ah, th);
      if (plot->y2.set)
        thin_ticks (&plot->y2, plot->ah, th);
    }
  /* and along x, by the labels' widths: a narrow figure of a long range
   * printed "0.830.840.85…" in one run */
  thin_ticks (&plot->x, plot->aw, axis_label_width (plot, &plot->x) * 0.9 + th * 0.3);
}

double
cd_plot_x_to_px (const CdPlot *plot, double x)
{
  return plot->ax + (x - plot->x.lo) / (plot->x.hi - plot->x.lo) * plot->aw;
}

double
cd_plot_y_to_px (const CdPlot *plot, int axis, double y)
{
  const Axis *a = axis == 1 && plot->y2.set ? &plot->y2 : &plot->y;
  return plot->ay + plot->ah - (y - a->lo) / (a->hi - a->lo) * plot->ah;
}

double
cd_plot_px_to_x (const CdPlot *plot, double px)
{
  return plot->x.lo + (px - plot->ax) / plot->aw * (plot->x.hi - plot->x.lo);
}

void
cd_plot_get_area (const CdPlot *plot, double *x, double *y, double *w, double *h)
{
  if (x) *x = plot->ax;
  if (y) *y = plot->ay;
  if (w) *w = plot->aw;
  if (h) *h = plot->ah;
}

void
cd_plot_draw_axes (CdPlot *plot)
{
  cairo_t *cr = plot->cr;
  const CdRenderStyle *st = &plot->style;
  double lw = st->line_scale, tick = 5 * lw, th;
  CdColor fg = cd_palette_foreground (st), muted = cd_palette_muted (st);
  CdColor grid = cd_palette_grid (st);
  PangoLayout *layout;

  cd_plot_layout (plot);
  cairo_save (cr);

  /* grid */
  cairo_set_line_width (cr, 1.0 * lw);
  cd_color_set_source (cr, grid);
  for (guint i = 0; i < plot->x.ticks->len; i++)
    {
      double px = round (cd_plot_x_to_px (plot, g_array_index (plot->x.ticks, double, i))) + 0.5;
      cairo_move_to (cr, px, plot->ay);
      cairo_line_to (cr, px, plot->ay + plot->ah);
    }
  if (!plot->categories)
    for (guint i = 0; i < plot->y.ticks->len; i++)
      {
        double py = round (cd_plot_y_to_px (plot, 0, g_array_index (plot->y.ticks, double, i)))
                    + 0.5;
        cairo_move_to (cr, plot->ax, py);
        cairo_line_to (cr, plot->ax + plot->aw, py);
      }
  cairo_stroke (cr);

  /* frame: left and bottom axes (and right when a second axis is used) */
  cd_color_set_source (cr, st->high_contrast ? fg : muted);
  cairo_set_line_width (cr, 1.2 * lw);
  cairo_move_to (cr, plot->ax, plot->ay);
  cairo_line_to (cr, plot->ax, plot->ay + plot->ah);
  cairo_line_to (cr, plot->ax + plot->aw, plot->ay + plot->ah);
  if (plot->y2.set)
    cairo_line_to (cr, plot->ax + plot->aw, plot->ay);
  cairo_stroke (cr);

  layout = cd_render_layout (cr, st, TICK_FONT, FALSE);
  cd_render_layout_set (layout, "Ag", NULL, &th);
  for (guint i = 0; i < plot->x.ticks->len; i++)
    {
      g_autofree char *s = axis_tick_label (&plot->x, i);
      double px = cd_plot_x_to_px (plot, g_array_index (plot->x.ticks, double, i));
      cd_color_set_source (cr, muted);
      cairo_move_to (cr, px, plot->ay + plot->ah);
      cairo_line_to (cr, px, plot->ay + plot->ah + tick);
      cairo_stroke (cr);
      cd_render_layout_set (layout, s, NULL, NULL);
      cd_render_layout_draw (cr, layout, px, plot->ay + plot->ah + x_label_gap (plot, th) + 1,
                             CD_ANCHOR_CENTER,
                             CD_ANCHOR_START, fg);
    }
  if (plot->categories)
    {
      double maxw = plot->ow * category_share (plot);
      pango_layout_set_width (layout, (int) (maxw * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      for (guint i = 0; i < plot->categories->len; i++)
        {
          double py = cd_plot_y_to_px (plot, 0, i);
          double w;
          cd_render_layout_set (layout, g_ptr_array_index (plot->categories, i), &w, NULL);
          pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
          cd_render_layout_draw (cr, layout, plot->ax - tick - 2 - maxw, py, CD_ANCHOR_START,
                                 CD_ANCHOR_CENTER, fg);
        }
      pango_layout_set_width (layout, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
    }
  else
    for (guint i = 0; i < plot->y.ticks->len; i++)
      {
        g_autofree char *s = axis_tick_label (&plot->y, i);
        double py = cd_plot_y_to_px (plot, 0, g_array_index (plot->y.ticks, double, i));
        cd_color_set_source (cr, muted);
        cairo_move_to (cr, plot->ax - tick, py);
        cairo_line_to (cr, plot->ax, py);
        cairo_stroke (cr);
        cd_render_layout_set (layout, s, NULL, NULL);
        cd_render_layout_draw (cr, layout, plot->ax - tick - 2, py, CD_ANCHOR_END,
                               CD_ANCHOR_CENTER, fg);
      }
  if (plot->y2.set)
    for (guint i = 0; i < plot->y2.ticks->len; i++)
      {
        g_autofree char *s = axis_tick_label (&plot->y2, i);
        double py = cd_plot_y_to_px (plot, 1, g_array_index (plot->y2.ticks, double, i));
        double px = plot->ax + plot->aw;
        cd_color_set_source (cr, muted);
        cairo_move_to (cr, px, py);
        cairo_line_to (cr, px + tick, py);
        cairo_stroke (cr);
        cd_render_layout_set (layout, s, NULL, NULL);
        cd_render_layout_draw (cr, layout, px + tick + 2, py, CD_ANCHOR_START, CD_ANCHOR_CENTER,
                               fg);
      }
  g_object_unref (layout);

  /* titles */
  if (plot->title)
    {
      layout = title_layout (plot);
      cd_render_layout_draw (cr, layout, plot->ox + 8 * st->font_scale,
                             plot->oy + 8 * st->font_scale, CD_ANCHOR_START, CD_ANCHOR_START, fg);
      g_object_unref (layout);
    }
  if (plot->x.title)
    {
      double w, cx;
      PangoRectangle logical;

      layout = x_title_layout (plot, NULL);
      pango_layout_get_extents (layout, NULL, &logical);
      w = (double) logical.width / PANGO_SCALE;
      cx = CLAMP (plot->ax + plot->aw / 2, plot->ox + 8 * st->font_scale + w / 2,
                  plot->ox + plot->ow - 8 * st->font_scale - w / 2);
      /* (a wrapped, centred title's lines start right of the layout's origin) */
      cd_render_layout_draw (cr, layout, cx - w / 2 - (double) logical.x / PANGO_SCALE,
                             plot->x_title_bottom, CD_ANCHOR_START, CD_ANCHOR_END, fg);
      g_object_unref (layout);
    }
  if (plot->flat_titles)
    {
      /* level, in their band: each gets up to half the width (a lone one
       * the whole), and both the same size */
      gboolean pair = plot->y2.set && plot->y2.title;
      double half = pair ? plot->ow / 2 - 12 * st->font_scale : plot->ow - 16 * st->font_scale;
      gboolean small = FALSE;

      for (int k = 0; k < 2; k++)
        {
          const char *text = k == 0 ? plot->y.title : plot->y2.set ? plot->y2.title : NULL;
          small |= text != NULL && cd_render_text_width (cr, st, text, TITLE_FONT, FALSE) > half;
        }
      if (plot->y.title)
        {
          layout = axis_title_layout (plot, plot->y.title, half, small);
          cd_render_layout_draw (cr, layout, plot->ox + 8 * st->font_scale, plot->flat_y,
                                 CD_ANCHOR_START, CD_ANCHOR_START, fg);
          g_object_unref (layout);
        }
      if (plot->y2.set && plot->y2.title)
        {
          layout = axis_title_layout (plot, plot->y2.title, half, small);
          cd_render_layout_draw (cr, layout, plot->ox + plot->ow - 8 * st->font_scale,
                                 plot->flat_y, CD_ANCHOR_END, CD_ANCHOR_START, fg);
          g_object_unref (layout);
        }
    }
  /* Side titles read along the axis, centred on it and never longer than it,
   * so they cannot reach the title band or the x tick labels. */
  else if (plot->y.title)
    {
      layout = axis_title_layout (plot, plot->y.title, plot->ah, FALSE);
      cairo_save (cr);
      cairo_translate (cr, plot->ox + 8 * st->font_scale, plot->ay + plot->ah / 2);
      cairo_rotate (cr, -G_PI / 2);
      cd_render_layout_draw (cr, layout, 0, 0, CD_ANCHOR_CENTER, CD_ANCHOR_START, fg);
      cairo_restore (cr);
      g_object_unref (layout);
    }
  if (plot->y2.set && plot->y2.title && !plot->flat_titles)
    {
      layout = axis_title_layout (plot, plot->y2.title, plot->ah, FALSE);
      cairo_save (cr);
      cairo_translate (cr, plot->ox + plot->ow - 8 * st->font_scale, plot->ay + plot->ah / 2);
      cairo_rotate (cr, G_PI / 2);
      cd_render_layout_draw (cr, layout, 0, 0, CD_ANCHOR_CENTER, CD_ANCHOR_START, fg);
      cairo_restore (cr);
      g_object_unref (layout);
    }
  cairo_restore (cr);
}

static void
clip_to_area (CdPlot *plot)
{
  cairo_rectangle (plot->cr, plot->ax - 1, plot->ay - 1, plot->aw + 2, plot->ah + 2);
  cairo_clip (plot->cr);
}

static void
set_dash (cairo_t   *cr,
          CdLineDash dash,
          double     lw)
{
  double dashed[] = { 6 * lw, 4 * lw };
  double dotted[] = { 1 * lw, 3 * lw };

  switch (dash)
    {
    case CD_LINE_DASHED:
      cairo_set_dash (cr, dashed, 2, 0);
      break;
    case CD_LINE_DOTTED:
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_dash (cr, dotted, 2, 0);
      break;
    case CD_LINE_SOLID:
    default:
      cairo_set_dash (cr, NULL, 0, 0);
      break;
    }
}

static void
note_occupied (CdPlot *plot,
               double  px,
               double  py)
{
  /* Some thousands of points are plenty to find an empty place. */
  if (plot->occupied->len < 40000)
    {
      g_array_append_val (plot->occupied, px);
      g_array_append_val (plot->occupied, py);
    }
}

/* The points along a drawn segment every few pixels: a curve sampled at
 * its data points alone left its steep stretches (an event's jump) out,
 * and the legend went over them. */
static void
note_segment (CdPlot *plot,
              double  x0,
              double  y0,
              double  x1,
              double  y1)
{
  double l = hypot (x1 - x0, y1 - y0);
  int steps = (int) MIN (ceil (l / 3.0), 2000);

  for (int k = 1; k <= steps; k++)
    note_occupied (plot, x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps);
}

/* What the last legend drawn in this thread covered and the curves' points
 * it was placed among, for tests (cd_plot_probe_begin/end). */
typedef struct
{
  double  legend[4];
  GArray *points;
} PlotProbe;

static GPrivate plot_probe_key = G_PRIVATE_INIT (NULL);

void
cd_plot_probe_begin (void)
{
  PlotProbe *probe = g_private_get (&plot_probe_key);

  g_return_if_fail (probe == NULL);
  probe = g_new0 (PlotProbe, 1);
  probe->legend[2] = probe->legend[3] = -1;
  probe->points = g_array_new (FALSE, FALSE, sizeof (double));
  g_private_set (&plot_probe_key, probe);
}

gboolean
cd_plot_probe_end (double  legend[4],
                   GArray *points)
{
  PlotProbe *probe = g_private_get (&plot_probe_key);
  gboolean drawn;

  g_return_val_if_fail (probe != NULL, FALSE);
  g_private_set (&plot_probe_key, NULL);
  drawn = probe->legend[2] >= 0;
  if (legend != NULL)
    memcpy (legend, probe->legend, sizeof probe->legend);
  if (points != NULL)
    g_array_append_vals (points, probe->points->data, probe->points->len);
  g_array_unref (probe->points);
  g_free (probe);
  return drawn;
}

void
cd_plot_line (CdPlot       *plot,
              int           axis,
              const double *x,
              const double *y,
              gsize         stride,
              guint         n,
              CdColor       color,
              double        width,
              CdLineDash    dash)
{
  cairo_t *cr = plot->cr;
  gboolean pen_down = FALSE;
  guint every = MAX (1, n / 400);
  double last_x = 0, last_y = 0;

  g_return_if_fail (plot->laid_out);
  if (stride == 0)
    stride = 1;
  cairo_save (cr);
  clip_to_area (plot);
  for (guint i = 0; i < n; i++)
    {
      double vx = x[i], vy = y[i * stride];
      double px, py;
      if (!isfinite (vx) || !isfinite (vy))
        {
          pen_down = FALSE;
          continue;
        }
      px = cd_plot_x_to_px (plot, vx);
      py = cd_plot_y_to_px (plot, axis, vy);
      if (pen_down)
        {
          if (i % every == 0 || i + 1 == n)
            {
              note_segment (plot, last_x, last_y, px, py);
              last_x = px;
              last_y = py;
            }
          cairo_line_to (cr, px, py);
        }
      else
        {
          cairo_move_to (cr, px, py);
          note_occupied (plot, px, py);
          last_x = px;
          last_y = py;
        }
      pen_down = TRUE;
    }
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_width (cr, (width > 0 ? width : 2.0) * plot->style.line_scale);
  set_dash (cr, dash, plot->style.line_scale);
  cd_color_set_source (cr, color);
  cairo_stroke (cr);
  cairo_restore (cr);
}

void
cd_plot_band (CdPlot       *plot,
              int           axis,
              const double *x,
              const double *lo,
              const double *hi,
              guint         n,
              CdColor       color)
{
  cairo_t *cr = plot->cr;
  guint start = 0;

  g_return_if_fail (plot->laid_out);
  cairo_save (cr);
  clip_to_area (plot);
  /* Each finite run of samples is its own polygon. */
  while (start < n)
    {
      guint end;
      while (start < n && !(isfinite (x[start]) && isfinite (lo[start]) && isfinite (hi[start])))
        start++;
      end = start;
      while (end < n && isfinite (x[end]) && isfinite (lo[end]) && isfinite (hi[end]))
        end++;
      if (end > start)
        {
          for (guint i = start; i < end; i++)
            {
              double px = cd_plot_x_to_px (plot, x[i]), py = cd_plot_y_to_px (plot, axis, hi[i]);
              if (i == start)
                cairo_move_to (cr, px, py);
              else
                cairo_line_to (cr, px, py);
              if (i % MAX (1, n / 200) == 0)
                {
                  note_occupied (plot, px, py);
                  note_occupied (plot, px, cd_plot_y_to_px (plot, axis, lo[i]));
                }
            }
          for (guint i = end; i-- > start;)
            cairo_line_to (cr, cd_plot_x_to_px (plot, x[i]), cd_plot_y_to_px (plot, axis, lo[i]));
          cairo_close_path (cr);
        }
      start = end;
    }
  cd_color_set_source (cr, color);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
cd_plot_points (CdPlot       *plot,
                const double *x,
                const double *y,
                guint         n,
                CdColor       color,
                double        r)
{
  cairo_t *cr = plot->cr;

  g_return_if_fail (plot->laid_out);
  cairo_save (cr);
  clip_to_area (plot);
  r *= plot->style.line_scale;
  for (guint i = 0; i < n; i++)
    {
      double px, py;
      if (!isfinite (x[i]) || !isfinite (y[i]))
        continue;
      px = cd_plot_x_to_px (plot, x[i]);
      py = cd_plot_y_to_px (plot, 0, y[i]);
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
      note_occupied (plot, px, py);
    }
  cd_color_set_source (cr, color);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
cd_plot_marker (CdPlot     *plot,
                double      x,
                const char *label,
                CdColor     color,
                CdLineDash  dash)
{
  cairo_t *cr = plot->cr;
  double px;

  g_return_if_fail (plot->laid_out);
  if (!isfinite (x) || x < plot->x.lo || x > plot->x.hi)
    return;
  px = round (cd_plot_x_to_px (plot, x)) + 0.5;
  cairo_save (cr);
  cairo_set_line_width (cr, 1.5 * plot->style.line_scale);
  set_dash (cr, dash, plot->style.line_scale);
  cd_color_set_source (cr, color);
  cairo_move_to (cr, px, plot->ay);
  cairo_line_to (cr, px, plot->ay + plot->ah);
  cairo_stroke (cr);
  if (label && *label)
    {
      PangoLayout *layout = cd_render_layout (cr, &plot->style, TICK_FONT - 1, FALSE);
      double w, h, lx, ly;
      guint row = 0;

      cd_render_layout_set (layout, label, &w, &h);
      /* Stagger labels down a row while they would overlap the previous one. */
      while (row < G_N_ELEMENTS (plot->marker_rows) - 1 && plot->marker_rows[row] > px)
        row++;
      lx = px + 3;
      if (lx + w > plot->ax + plot->aw)
        lx = px - 3 - w;   /* flip to the left at the right edge */
      ly = plot->ay + 2 + row * (h + 1);
      /* Drawn over the data, the name goes where the fewest curves pass:
       * from that row down, on either side of its line, or at the foot of
       * the area (never over another marker's name). */
      if (plot->occupied->len > 0)
        {
          guint best = G_MAXUINT;
          double bx = lx, by = ly;

          for (guint k = 0; k < 2 * (G_N_ELEMENTS (plot->marker_rows) + 1); k++)
            {
              guint slot = k / 2, count = 0;
              double cx = k % 2 == 0 ? px + 3 : px - 3 - w, cy;

              if (slot < G_N_ELEMENTS (plot->marker_rows))
                cy = plot->ay + 2 + MAX (slot, row) * (h + 1);
              else
                /* a row up from the foot, which the time cursor's label takes */
                cy = plot->ay + plot->ah - 2 * h - 8;
              if (cx < plot->ax || cx + w > plot->ax + plot->aw || cy + h > plot->ay + plot->ah)
                continue;
              for (guint i = 0; i + 3 < plot->labels->len; i += 4)
                {
                  const double *b = &g_array_index (plot->labels, double, i);
                  if (b[0] < cx + w + 1 && cx - 1 < b[0] + b[2] && b[1] < cy + h && cy < b[1] + b[3])
                    count = G_MAXUINT - 1;
                }
              for (guint i = 0; count < G_MAXUINT - 1 && i + 1 < plot->occupied->len; i += 2)
                {
                  double ox = g_array_index (plot->occupied, double, i);
                  double oy = g_array_index (plot->occupied, double, i + 1);
                  count += ox >= cx - 1 && ox <= cx + w + 1 && oy >= cy && oy <= cy + h;
                }
              if (count < best)
                {
                  best = count;
                  bx = cx;
                  by = cy;
                }
            }
          lx = bx;
          ly = by;
        }
      if (ly < plot->ay + plot->ah / 2)
        plot->marker_rows[(guint) CLAMP (floor ((ly - plot->ay - 2) / (h + 1) + 0.5), 0,
                                         G_N_ELEMENTS (plot->marker_rows) - 1)] = lx + w + 6;
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (&plot->style), 0.8));
      cairo_rectangle (cr, lx - 1, ly, w + 2, h);
      cairo_fill (cr);
      cd_render_layout_draw (cr, layout, lx, ly, CD_ANCHOR_START, CD_ANCHOR_START, color);
      note_occupied (plot, lx, ly);
      note_occupied (plot, lx + w, ly + h);
      {
        double box[4] = { lx - 1, ly, w + 2, h };
        g_array_append_vals (plot->labels, box, 4);
      }
      g_object_unref (layout);
    }
  cairo_restore (cr);
}

void
cd_plot_cursor (CdPlot *plot,
                double  x)
{
  cairo_t *cr = plot->cr;
  CdColor fg = cd_palette_foreground (&plot->style), bg = cd_palette_background (&plot->style);
  PangoLayout *layout;
  g_autofree char *text = NULL;
  double px, w, h, bx;

  g_return_if_fail (plot->laid_out);
  if (!isfinite (x))
    return;
  x = CLAMP (x, plot->x.lo, plot->x.hi);
  px = cd_plot_x_to_px (plot, x);
  cairo_save (cr);
  cairo_set_line_width (cr, 1.5 * plot->style.line_scale);
  cd_color_set_source (cr, fg);
  cairo_move_to (cr, px, plot->ay);
  cairo_line_to (cr, px, plot->ay + plot->ah);
  cairo_stroke (cr);

  text = cd_plot_format_tick (x, plot->x.step / 10);
  layout = cd_render_layout (cr, &plot->style, TICK_FONT, TRUE);
  cd_render_layout_set (layout, text, &w, &h);
  bx = CLAMP (px - w / 2 - 3, plot->ax, plot->ax + plot->aw - w - 6);
  cd_color_set_source (cr, fg);
  cairo_rectangle (cr, bx, plot->ay + plot->ah - h - 4, w + 6, h + 2);
  cairo_fill (cr);
  cd_render_layout_draw (cr, layout, bx + 3, plot->ay + plot->ah - h - 3, CD_ANCHOR_START,
                         CD_ANCHOR_START, bg);
  g_object_unref (layout);
  cairo_restore (cr);
}

void
cd_plot_set_legend_below (CdPlot   *plot,
                          gboolean  below)
{
  plot->legend_below = below;
}

void
cd_plot_add_legend (CdPlot       *plot,
                    const char   *label,
                    CdColor       color,
                    CdLegendKind  kind,
                    CdLineDash    dash)
{
  LegendEntry e = { g_strdup (label ? label : ""), color, kind, dash };

  g_array_append_val (plot->legend, e);
}

static void
legend_swatch (CdPlot            *plot,
               const LegendEntry *e,
               double             x,
               double             y,
               double             w,
               double             h)
{
  cairo_t *cr = plot->cr;
  double lw = plot->style.line_scale;

  cd_color_set_source (cr, e->color);
  switch (e->kind)
    {
    case CD_LEGEND_BAND:
    case CD_LEGEND_BOX:
      cairo_rectangle (cr, x, y + h * 0.2, w, h * 0.6);
      cairo_fill (cr);
      break;
    case CD_LEGEND_POINT:
      cairo_arc (cr, x + w / 2, y + h / 2, 3.5 * lw, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case CD_LEGEND_LINE:
    default:
      cairo_save (cr);
      cairo_set_line_width (cr, 2.5 * lw);
      set_dash (cr, e->dash, lw);
      cairo_move_to (cr, x, y + h / 2);
      cairo_line_to (cr, x + w, y + h / 2);
      cairo_stroke (cr);
      cairo_restore (cr);
      break;
    }
}

void
cd_plot_draw_legend (CdPlot *plot)
{
  cairo_t *cr = plot->cr;
  const CdRenderStyle *st = &plot->style;
  PangoLayout *layout;
  double pad = 6 * st->font_scale, sw = 22 * st->font_scale;
  double tw = 0, th = 0, w, h, best_x = 0, best_y = 0;
  guint best = G_MAXUINT;

  g_return_if_fail (plot->laid_out);
  if (plot->legend->len == 0)
    return;
  if (plot->below_entries > 0)
    {
      /* the rows the layout kept under the axes */
      legend_flow (plot, plot->ox + 8 * st->font_scale, plot->below_y,
                   plot->ow - 16 * st->font_scale, TRUE);
      return;
    }
  layout = cd_render_layout (cr, st, LEGEND_FONT, FALSE);
  for (guint i = 0; i < plot->legend->len; i++)
    {
      double lw, lh;
      cd_render_layout_set (layout, g_array_index (plot->legend, LegendEntry, i).label, &lw, &lh);
      tw = MAX (tw, lw);
      th = MAX (th, lh);
    }
  tw = MIN (tw, plot->aw * 0.6);
  w = pad * 3 + sw + tw;
  h = pad * 2 + th * plot->legend->len;

  /* The place that hides the fewest data points: the corners first (ties:
   * top right first), then along the sides and across the middle, where
   * a chart whose curves fill every corner (rising from the bottom left
   * to the top right, one curve per axis) still leaves room. */
  {
    enum { NX = 7, NY = 5 };
    double cx[4 + NX * NY], cy[4 + NX * NY];
    guint nc = 0;
    double x0 = plot->ax + 4, x1 = plot->ax + plot->aw - w - 4;
    double y0 = plot->ay + 4, y1 = plot->ay + plot->ah - h - 4;

    cx[nc] = x1; cy[nc++] = y0;
    cx[nc] = x0; cy[nc++] = y0;
    cx[nc] = x1; cy[nc++] = y1;
    cx[nc] = x0; cy[nc++] = y1;
    for (int j = 0; j < NY && y1 > y0; j++)
      for (int k = 0; k < NX && x1 > x0; k++)
        {
          cx[nc] = x0 + (x1 - x0) * k / (NX - 1);
          cy[nc++] = y0 + (y1 - y0) * j / (NY - 1);
        }
    for (guint c = 0; c < nc; c++)
      {
        guint count = 0;
        for (guint i = 0; i + 1 < plot->occupied->len; i += 2)
          {
            double px = g_array_index (plot->occupied, double, i);
            double py = g_array_index (plot->occupied, double, i + 1);
            if (px >= cx[c] && px <= cx[c] + w && py >= cy[c] && py <= cy[c] + h)
              count++;
          }
        /* a marker's name is never hidden while another corner is free of names */
        for (guint i = 0; i + 3 < plot->labels->len; i += 4)
          {
            const double *b = &g_array_index (plot->labels, double, i);
            if (b[0] < cx[c] + w && cx[c] < b[0] + b[2] && b[1] < cy[c] + h && cy[c] < b[1] + b[3])
              count += 100000;
          }
        if (count < best)
          {
            best = count;
            best_x = cx[c];
            best_y = cy[c];
          }
      }
  }

  {
    PlotProbe *probe = g_private_get (&plot_probe_key);
    if (probe != NULL)
      {
        probe->legend[0] = best_x;
        probe->legend[1] = best_y;
        probe->legend[2] = w;
        probe->legend[3] = h;
        g_array_set_size (probe->points, 0);
        g_array_append_vals (probe->points, plot->occupied->data, plot->occupied->len);
      }
  }
  cairo_save (cr);
  cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (st), 0.9));
  cairo_rectangle (cr, best_x, best_y, w, h);
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 1.0 * st->line_scale);
  cd_color_set_source (cr, cd_palette_grid (st));
  if (st->high_contrast)
    cd_color_set_source (cr, cd_palette_foreground (st));
  cairo_stroke (cr);
  pango_layout_set_width (layout, (int) (tw * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint i = 0; i < plot->legend->len; i++)
    {
      const LegendEntry *e = &g_array_index (plot->legend, LegendEntry, i);
      double y = best_y + pad + i * th;
      legend_swatch (plot, e, best_x + pad, y, sw, th);
      cd_render_layout_set (layout, e->label, NULL, NULL);
      cd_render_layout_draw (cr, layout, best_x + pad * 2 + sw, y, CD_ANCHOR_START,
                             CD_ANCHOR_START, cd_palette_foreground (st));
    }
  cairo_restore (cr);
  g_object_unref (layout);
}

guint
cd_plot_nearest_index (const double *x,
                       guint         n,
                       double        value)
{
  guint lo = 0, hi;

  g_return_val_if_fail (n > 0, 0);
  if (!(value > x[0]))
    return 0;
  if (value >= x[n - 1])
    return n - 1;
  hi = n - 1;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      if (x[mid] <= value)
        lo = mid;
      else
        hi = mid;
    }
  return (value - x[lo] <= x[hi] - value) ? lo : hi;
}
