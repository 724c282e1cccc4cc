/* cd-pareto-chart.c — policy design's chart (see cd-pareto-chart.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cd-pareto-chart.h"
#include "cd-plot.h"
#include "cd-render-private.h"

#define LABEL_FONT 11.0

void
cd_pareto_chart_init (CdParetoChart    *chart,
                      const CdOptimize *optimize)
{
  g_return_if_fail (chart != NULL);
  chart->optimize = optimize;
  chart->show_title = TRUE;
  chart->selected = -1;
}

static double
objective_of (const CdOptimize *opt,
              const CdMix      *mix)
{
  return opt->objective == CD_OPTIMIZE_COORDINATION ? mix->final_mean : mix->total_loss;
}

/* The axes over the front (and the target, when it is drawn) and the
 * legend's entries, laid out and drawn for this size: what the drawing and
 * the hit test share. */
static CdPlot *
lay_out (cairo_t             *cr,
         int                  width,
         int                  height,
         const CdParetoChart *chart,
         const CdRenderStyle *style,
         gboolean            *target_line)
{
  const CdOptimize *opt = chart->optimize;
  gboolean coordination = opt->objective == CD_OPTIMIZE_COORDINATION;
  CdPlot *plot = cd_plot_new (cr, 0, 0, width, height, style);
  double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;

  for (guint r = 0; r < opt->front->len; r++)
    {
      const CdMix *m = &g_array_index (opt->front, CdMix, r);
      x_lo = MIN (x_lo, m->cost);
      x_hi = MAX (x_hi, m->cost);
      y_lo = MIN (y_lo, objective_of (opt, m));
      y_hi = MAX (y_hi, objective_of (opt, m));
    }
  if (opt->has_target)
    {
      x_lo = MIN (x_lo, opt->target_mix.cost);
      x_hi = MAX (x_hi, opt->target_mix.cost);
      y_lo = MIN (y_lo, objective_of (opt, &opt->target_mix));
      y_hi = MAX (y_hi, objective_of (opt, &opt->target_mix));
    }
  *target_line = opt->has_target && coordination;
  if (*target_line)
    {
      y_lo = MIN (y_lo, opt->target);
      y_hi = MAX (y_hi, opt->target);
    }
  /* Room around a single point or a flat front. */
  if (!(x_hi > x_lo))
    {
      x_lo -= 0.5;
      x_hi += 0.5;
    }
  if (!(y_hi > y_lo))
    {
      double pad = fabs (y_hi) > 0 ? 0.05 * fabs (y_hi) : 0.5;
      y_lo -= pad;
      y_hi += pad;
    }
  if (chart->show_title)
    cd_plot_set_title (plot, coordination
                       ? _("Policy design: cost against final mean coordination")
                       : _("Policy design: cost against total loss"));
  cd_plot_set_x_title (plot, _("cost of the mix (Σ cost per unit × value)"));
  cd_plot_set_y_title (plot, coordination ? _("final mean coordination x̄ (0–1)")
                                          : _("total loss at the end of the run"));
  cd_plot_set_x_range (plot, x_lo, x_hi, TRUE);
  cd_plot_set_y_range (plot, y_lo, y_hi, TRUE);
  /* before the axes: a legend below them takes its room there */
  cd_plot_add_legend (plot, _("nondominated mixes (best outcome for their cost)"),
                      cd_palette_series (0, style), CD_LEGEND_POINT, CD_LINE_SOLID);
  if (*target_line)
    cd_plot_add_legend (plot, _("target"), cd_palette_series (1, style), CD_LEGEND_LINE,
                        CD_LINE_DASHED);
  if (opt->has_target && opt->target_reached)
    cd_plot_add_legend (plot, _("cheapest mix reaching the target"), cd_palette_series (1, style),
                        CD_LEGEND_POINT, CD_LINE_SOLID);
  cd_plot_draw_axes (plot);
  return plot;
}

void
cd_render_pareto_chart (cairo_t             *cr,
                        int                  width,
                        int                  height,
                        const CdParetoChart *chart,
                        const CdRenderStyle *style)
{
  const CdOptimize *opt;
  g_autoptr (CdPlot) plot = NULL;
  g_autofree double *xs = NULL, *ys = NULL;
  CdColor front_c, target_c, select_c;
  gboolean target_line;
  guint n, k = 0;

  g_return_if_fail (cr != NULL && chart != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  opt = chart->optimize;
  if (opt == NULL || opt->front == NULL || opt->front->len == 0)
    {
      cd_render_message (cr, width, height,
                         _("No front yet: choose levers and their costs, then run."), style);
      return;
    }
  n = opt->front->len;
  front_c = cd_palette_series (0, style);
  target_c = cd_palette_series (1, style);
  select_c = cd_palette_selection (style);

  plot = lay_out (cr, width, height, chart, style, &target_line);

  /* The front as steps: flat until the next mix, which then rises to its
   * outcome (a budget buys the best mix it affords). */
  xs = g_new (double, 2 * n);
  ys = g_new (double, 2 * n);
  for (guint r = 0; r < n; r++)
    {
      const CdMix *m = &g_array_index (opt->front, CdMix, r);
      if (r > 0)
        {
          xs[k] = m->cost;
          ys[k] = ys[k - 1];
          k++;
        }
      xs[k] = m->cost;
      ys[k++] = objective_of (opt, m);
    }
  cd_plot_line (plot, 0, xs, ys, 1, k, cd_color_with_alpha (front_c, 0.8), 1.5 * style->line_scale,
                CD_LINE_SOLID);
  for (guint r = 0; r < n; r++)
    {
      xs[r] = g_array_index (opt->front, CdMix, r).cost;
      ys[r] = objective_of (opt, &g_array_index (opt->front, CdMix, r));
    }
  cd_plot_points (plot, xs, ys, n, front_c, 2.6 * style->line_scale);

  if (target_line)
    {
      double ax, ay, aw, ah, py = cd_plot_y_to_px (plot, 0, opt->target);
      g_autofree char *label = NULL;
      g_autofree char *value = cd_render_format_value (opt->target, 3);
      static const double dash[] = { 6, 4 };

      cd_plot_get_area (plot, &ax, &ay, &aw, &ah);
      cairo_save (cr);
      cd_color_set_source (cr, target_c);
      cairo_set_line_width (cr, 1.5 * style->line_scale);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_move_to (cr, ax, py);
      cairo_line_to (cr, ax + aw, py);
      cairo_stroke (cr);
      cairo_restore (cr);
      /* Translators: the label of the target's line on the chart; %s is the target */
      label = g_strdup_printf (_("target %s"), value);
      cd_render_text (cr, style, label, LABEL_FONT, FALSE, ax + aw - 4, py - 3, CD_ANCHOR_END,
                      CD_ANCHOR_END, target_c, NULL);
    }
  if (opt->has_target && opt->target_reached)
    {
      double px = cd_plot_x_to_px (plot, opt->target_mix.cost);
      double py = cd_plot_y_to_px (plot, 0, objective_of (opt, &opt->target_mix));

      cairo_save (cr);
      cd_color_set_source (cr, target_c);
      cairo_set_line_width (cr, 2.0 * style->line_scale);
      cairo_arc (cr, px, py, 7 * style->line_scale, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  if (chart->selected >= 0 && (guint) chart->selected < n)
    {
      const CdMix *m = &g_array_index (opt->front, CdMix, chart->selected);
      double px = cd_plot_x_to_px (plot, m->cost);
      double py = cd_plot_y_to_px (plot, 0, objective_of (opt, m));

      cairo_save (cr);
      cd_color_set_source (cr, select_c);
      cairo_arc (cr, px, py, 5 * style->line_scale, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, cd_palette_foreground (style));
      cairo_set_line_width (cr, 1.5 * style->line_scale);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  cd_plot_draw_legend (plot);
}

int
cd_pareto_chart_hit (int                  width,
                     int                  height,
                     const CdParetoChart *chart,
                     const CdRenderStyle *style,
                     double               x,
                     double               y,
                     double               radius)
{
  const CdOptimize *opt;
  cairo_surface_t *surface;
  cairo_t *cr;
  CdPlot *plot;
  gboolean target_line;
  double best = radius * radius;
  int found = -1;

  g_return_val_if_fail (chart != NULL, -1);
  opt = chart->optimize;
  if (opt == NULL || opt->front == NULL || opt->front->len == 0)
    return -1;
  style = cd_render_style_or_default (style);
  /* The same layout as the drawing, on a surface that keeps nothing. */
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  plot = lay_out (cr, width, height, chart, style, &target_line);
  for (guint r = 0; r < opt->front->len; r++)
    {
      const CdMix *m = &g_array_index (opt->front, CdMix, r);
      double dx = cd_plot_x_to_px (plot, m->cost) - x;
      double dy = cd_plot_y_to_px (plot, 0, objective_of (opt, m)) - y;

      if (dx * dx + dy * dy <= best)
        {
          best = dx * dx + dy * dy;
          found = (int) r;
        }
    }
  cd_plot_free (plot);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return found;
}

typedef struct
{
  const CdParetoChart *chart;
  CdRenderStyle        style;
} ExportJob;

static void
draw_job (cairo_t  *cr,
          int       width,
          int       height,
          gpointer  data)
{
  ExportJob *job = data;

  cd_render_pareto_chart (cr, width, height, job->chart, &job->style);
}

gboolean
cd_pareto_chart_export (const CdParetoChart *chart,
                        const CdFigureSize  *size,
                        CdExportFormat       format,
                        const char          *path,
                        GCancellable        *cancellable,
                        GError             **error)
{
  ExportJob job;

  g_return_val_if_fail (chart != NULL && size != NULL && path != NULL, FALSE);
  if (chart->optimize == NULL || chart->optimize->front == NULL
      || chart->optimize->front->len == 0)
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("There is no chart to draw: the analysis has no results for it"));
      return FALSE;
    }
  job.chart = chart;
  cd_render_style_init (&job.style, size->style);
  return cd_export_to_file (format, path, size->width, size->height, size->scale, draw_job, &job,
                            cancellable, error);
}
