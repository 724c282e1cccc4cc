/* cd-grid-chart.c — heat maps and line small multiples of an experiment
 * (see cd-grid-chart.h).
 *
 * Panels are laid out in the grid of columns and rows whose panels come
 * nearest a 4:3 shape, each one a CdPlot, so ticks, fonts and legends are
 * those of every other chart.  A heat map's cells are centred on their
 * values and meet halfway between neighbours, so a list of uneven values
 * reads on a true scale; one colour bar, on the right, serves every panel,
 * and every panel shares one value range so that colours compare across
 * them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-grid-chart.h"
#include "cd-plot.h"
#include "cd-render-private.h"

#define TEXT_FONT  12.0
#define PANEL_FONT 13.0
#define HEAD_FONT  15.0

/* A short label for a value: four significant digits, '.' in every locale. */
static char *
value_label (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    return g_strdup ("—");
  g_ascii_formatd (buf, sizeof buf, "%.4g", v == 0.0 ? 0.0 : v);
  return g_strdup (buf);
}

/* The order of values[0..n) from smallest to largest (stable). */
static guint *
ascending (const double *values,
           guint         n)
{
  guint *order = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    order[i] = i;
  /* n is small (the values of one parameter): insertion sort. */
  for (guint i = 1; i < n; i++)
    for (guint k = i; k > 0 && values[order[k - 1]] > values[order[k]]; k--)
      {
        guint t = order[k];
        order[k] = order[k - 1];
        order[k - 1] = t;
      }
  return order;
}

/* Edges of the cells of sorted values: n + 1 of them, halfway between
 * neighbours, the outer ones as far out as the next edge in. */
static double *
cell_edges (const double *values,
            const guint  *order,
            guint         n)
{
  double *edges = g_new (double, n + 1);

  if (n == 1)
    {
      double half = fabs (values[order[0]]) > 0 ? 0.5 * fabs (values[order[0]]) : 0.5;
      edges[0] = values[order[0]] - half;
      edges[1] = values[order[0]] + half;
      return edges;
    }
  for (guint k = 1; k < n; k++)
    edges[k] = 0.5 * (values[order[k - 1]] + values[order[k]]);
  edges[0] = values[order[0]] - (edges[1] - values[order[0]]);
  edges[n] = values[order[n - 1]] + (values[order[n - 1]] - edges[n - 1]);
  return edges;
}

static void
value_range (const CdGridChart *chart,
             double            *lo,
             double            *hi)
{
  if (chart->fix_range && chart->lo < chart->hi)
    {
      *lo = chart->lo;
      *hi = chart->hi;
      return;
    }
  *lo = G_MAXDOUBLE;
  *hi = -G_MAXDOUBLE;
  for (guint p = 0; p < chart->n_panels; p++)
    for (guint i = 0; i < chart->n_x * chart->n_y; i++)
      {
        double v = chart->panels[p].values[i];
        if (isfinite (v))
          {
            *lo = MIN (*lo, v);
            *hi = MAX (*hi, v);
          }
      }
  if (*lo > *hi)
    {
      *lo = 0;
      *hi = 1;
    }
  else if (*lo == *hi)
    {
      double pad = *lo != 0 ? 0.05 * fabs (*lo) : 0.5;
      *lo -= pad;
      *hi += pad;
    }
}

/* Columns for n panels in w × h: the layout whose panels are nearest 4:3,
 * none narrower than min_w while one column is not (an axis of tick
 * labels needs the room). */
static guint
layout_columns (guint  n,
                double w,
                double h,
                double min_w)
{
  guint best = 1, most = (guint) MAX (floor (w / min_w), 1);
  double best_score = G_MAXDOUBLE;

  for (guint c = 1; c <= MIN (n, most); c++)
    {
      guint rows = (n + c - 1) / c;
      double aspect = (w / c) / (h / rows);
      double score = fabs (log (aspect / (4.0 / 3.0)));
      if (score < best_score - 1e-9)
        {
          best = c;
          best_score = score;
        }
    }
  return best;
}

static void
draw_heatmap_panel (cairo_t             *cr,
                    const CdGridChart   *chart,
                    const CdGridPanel   *panel,
                    gboolean             x_title,
                    gboolean             y_title,
                    double               px,
                    double               py,
                    double               pw,
                    double               ph,
                    double               lo,
                    double               hi,
                    const CdRenderStyle *style)
{
  g_autoptr(CdPlot) plot = cd_plot_new (cr, px, py, pw, ph, style);
  g_autofree guint *ox = ascending (chart->x, chart->n_x);
  g_autofree guint *oy = ascending (chart->y, chart->n_y);
  g_autofree double *ex = cell_edges (chart->x, ox, chart->n_x);
  g_autofree double *ey = cell_edges (chart->y, oy, chart->n_y);
  double fs = style->font_scale;

  if (panel->title != NULL)
    cd_plot_set_title (plot, panel->title);
  if (x_title)
    cd_plot_set_x_title (plot, chart->x_title);
  if (y_title && chart->y_title != NULL)
    cd_plot_set_y_title (plot, chart->y_title);
  cd_plot_set_x_range (plot, ex[0], ex[chart->n_x], FALSE);
  cd_plot_set_y_range (plot, ey[0], ey[chart->n_y], FALSE);
  cd_plot_draw_axes (plot);

  for (guint j = 0; j < chart->n_y; j++)
    for (guint i = 0; i < chart->n_x; i++)
      {
        double v = panel->values[(gsize) oy[j] * chart->n_x + ox[i]];
        double x0 = cd_plot_x_to_px (plot, ex[i]), x1 = cd_plot_x_to_px (plot, ex[i + 1]);
        double y0 = cd_plot_y_to_px (plot, 0, ey[j + 1]), y1 = cd_plot_y_to_px (plot, 0, ey[j]);
        CdColor fill;

        if (!isfinite (v))
          {
            /* No value (time_to_half never reached): the background,
             * crossed out, so it cannot be read as the scale's low end. */
            cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
            cd_color_set_source (cr, cd_palette_background (style));
            cairo_fill (cr);
            cairo_move_to (cr, x0 + 2, y0 + 2);
            cairo_line_to (cr, x1 - 2, y1 - 2);
            cd_color_set_source (cr, cd_palette_muted (style));
            cairo_set_line_width (cr, 1.0 * style->line_scale);
            cairo_stroke (cr);
            continue;
          }
        fill = cd_palette_coordination ((v - lo) / (hi - lo), style);
        /* A hair's overlap hides seams between neighbouring cells. */
        cairo_rectangle (cr, x0 - 0.25, y0 - 0.25, x1 - x0 + 0.5, y1 - y0 + 0.5);
        cd_color_set_source (cr, fill);
        cairo_fill (cr);
        if (x1 - x0 >= 46 * fs && y1 - y0 >= 20 * fs)
          {
            g_autofree char *label = value_label (v);
            cd_render_text (cr, style, label, TEXT_FONT * 0.9, FALSE, 0.5 * (x0 + x1),
                            0.5 * (y0 + y1), CD_ANCHOR_CENTER, CD_ANCHOR_CENTER,
                            cd_palette_text_on (fill), NULL);
          }
      }
}

static void
draw_lines_panel (cairo_t             *cr,
                  const CdGridChart   *chart,
                  const CdGridPanel   *panel,
                  gboolean             legend,
                  gboolean             x_title,
                  gboolean             y_title,
                  double               px,
                  double               py,
                  double               pw,
                  double               ph,
                  double               lo,
                  double               hi,
                  const CdRenderStyle *style)
{
  g_autoptr(CdPlot) plot = cd_plot_new (cr, px, py, pw, ph, style);
  g_autofree guint *ox = ascending (chart->x, chart->n_x);
  g_autofree guint *oy = ascending (chart->y, chart->n_y);
  g_autofree double *xs = g_new (double, chart->n_x);
  g_autofree double *ys = g_new (double, chart->n_x);

  if (panel->title != NULL)
    cd_plot_set_title (plot, panel->title);
  if (x_title)
    cd_plot_set_x_title (plot, chart->x_title);
  if (y_title)
    cd_plot_set_y_title (plot, chart->value_title);
  cd_plot_set_x_range (plot, chart->x[ox[0]], chart->x[ox[chart->n_x - 1]], FALSE);
  cd_plot_set_y_range (plot, lo, hi, !chart->fix_range);
  cd_plot_draw_axes (plot);
  for (guint j = 0; j < chart->n_y; j++)
    {
      CdColor color = cd_palette_series (j, style);

      for (guint i = 0; i < chart->n_x; i++)
        {
          xs[i] = chart->x[ox[i]];
          ys[i] = panel->values[(gsize) oy[j] * chart->n_x + ox[i]];
        }
      cd_plot_line (plot, 0, xs, ys, 1, chart->n_x, color, 2.0, CD_LINE_SOLID);
      cd_plot_points (plot, xs, ys, chart->n_x, color, 3.0);
      if (legend && chart->y_title != NULL)
        {
          g_autofree char *v = value_label (chart->y[oy[j]]);
          g_autofree char *label = g_strdup_printf ("%s = %s", chart->y_title, v);
          cd_plot_add_legend (plot, label, color, CD_LEGEND_LINE, CD_LINE_SOLID);
        }
    }
  if (legend)
    cd_plot_draw_legend (plot);
}

/* The colour bar of a heat map in (x, y, w, h): the ramp from lo (bottom)
 * to hi, ticks on its right, the output's name turned along it. */
static void
draw_color_bar (cairo_t             *cr,
                const char          *title,
                double               x,
                double               y,
                double               w,
                double               h,
                double               lo,
                double               hi,
                const CdRenderStyle *style)
{
  g_autoptr(GArray) ticks = NULL;
  double bar = 14 * style->line_scale, step;
  const int n = 64;

  for (int k = 0; k < n; k++)
    {
      double t0 = (double) k / n, t1 = (double) (k + 1) / n;
      cairo_rectangle (cr, x, y + h * (1 - t1), bar, h * (t1 - t0) + 0.5);
      cd_color_set_source (cr, cd_palette_coordination (0.5 * (t0 + t1), style));
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x + 0.5, y + 0.5, bar - 1, h - 1);
  cd_color_set_source (cr, cd_palette_grid (style));
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);

  ticks = cd_plot_nice_ticks (lo, hi, 5, NULL, NULL);
  step = ticks->len > 1 ? g_array_index (ticks, double, 1) - g_array_index (ticks, double, 0)
                        : hi - lo;
  for (guint k = 0; k < ticks->len; k++)
    {
      double v = g_array_index (ticks, double, k), ty;
      g_autofree char *label = NULL;

      if (v < lo - 1e-12 * fabs (hi - lo) || v > hi + 1e-12 * fabs (hi - lo))
        continue;
      ty = y + h * (1 - (v - lo) / (hi - lo));
      /* A tick across the bar, not beside it: beside, it read as a minus. */
      cairo_move_to (cr, x, ty);
      cairo_line_to (cr, x + bar, ty);
      cd_color_set_source (cr, cd_palette_background (style));
      cairo_stroke (cr);
      label = cd_plot_format_tick (v, step);
      cd_render_text (cr, style, label, TEXT_FONT, FALSE, x + bar + 6, ty, CD_ANCHOR_START,
                      CD_ANCHOR_CENTER, cd_palette_foreground (style), NULL);
    }
  if (title != NULL)
    {
      cairo_save (cr);
      cairo_translate (cr, x + w, y + 0.5 * h);
      cairo_rotate (cr, -G_PI / 2);
      cd_render_text (cr, style, title, TEXT_FONT, FALSE, 0, 0, CD_ANCHOR_CENTER, CD_ANCHOR_END,
                      cd_palette_foreground (style), NULL);
      cairo_restore (cr);
    }
}

void
cd_render_grid_chart (cairo_t             *cr,
                      int                  width,
                      int                  height,
                      const CdGridChart   *chart,
                      const CdRenderStyle *style)
{
  double fs, margin, top, bottom, right, lo, hi, area_w, area_h;
  guint cols, rows;

  g_return_if_fail (cr != NULL && chart != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  if (chart->n_panels == 0 || chart->n_x == 0 || chart->n_y == 0 || chart->x == NULL
      || chart->y == NULL)
    {
      cd_render_message (cr, width, height, _("No results to plot yet."), style);
      return;
    }
  fs = style->font_scale;
  margin = 6 * fs;
  top = margin;
  bottom = margin;
  right = 0;
  value_range (chart, &lo, &hi);

  if (chart->title != NULL)
    {
      double h = 0;
      cd_render_text (cr, style, chart->title, HEAD_FONT, TRUE, 0.5 * width, top,
                      CD_ANCHOR_CENTER, CD_ANCHOR_START, cd_palette_foreground (style), &h);
      top += h + 4 * fs;
    }
  if (chart->note != NULL)
    {
      double h = 0;
      cd_render_text (cr, style, chart->note, TEXT_FONT, FALSE, 0.5 * width, height - margin,
                      CD_ANCHOR_CENTER, CD_ANCHOR_END, cd_palette_muted (style), &h);
      bottom += h + 4 * fs;
    }
  if (chart->kind == CD_GRID_CHART_HEATMAP)
    {
      /* The bar, its tick labels and the output's name turned along it. */
      double label_w = 0;
      g_autoptr(GArray) ticks = cd_plot_nice_ticks (lo, hi, 5, NULL, NULL);
      double step = ticks->len > 1
                    ? g_array_index (ticks, double, 1) - g_array_index (ticks, double, 0)
                    : hi - lo;
      for (guint k = 0; k < ticks->len; k++)
        {
          g_autofree char *label = cd_plot_format_tick (g_array_index (ticks, double, k), step);
          label_w = MAX (label_w, cd_render_text_width (cr, style, label, TEXT_FONT, FALSE));
        }
      right = 14 * style->line_scale + 6 + label_w + 8 * fs + 18 * fs + margin;
    }

  area_w = MAX (width - right - margin, 10);
  area_h = MAX (height - top - bottom, 10);
  cols = layout_columns (chart->n_panels, area_w, area_h, 300 * fs);
  rows = (chart->n_panels + cols - 1) / cols;
  for (guint p = 0; p < chart->n_panels; p++)
    {
      double pw = area_w / cols, ph = area_h / rows;
      double px = margin + (p % cols) * pw, py = top + (p / cols) * ph;
      /* Small multiples share their axes: titles on the outer panels only
       * (the bottom one of each column, the first of each row). */
      gboolean x_title = p + cols >= chart->n_panels, y_title = p % cols == 0;

      if (chart->kind == CD_GRID_CHART_HEATMAP)
        draw_heatmap_panel (cr, chart, &chart->panels[p], x_title, y_title, px, py, pw, ph, lo,
                            hi, style);
      else
        draw_lines_panel (cr, chart, &chart->panels[p], p == 0, x_title, y_title, px, py, pw, ph,
                          lo, hi, style);
    }
  if (chart->kind == CD_GRID_CHART_HEATMAP)
    draw_color_bar (cr, chart->value_title, width - right + 8 * fs, top + 0.1 * area_h,
                    right - 8 * fs - margin, 0.8 * area_h, lo, hi, style);
}
