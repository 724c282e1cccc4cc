/* cd-charts.c — the charts: time series of a run, line, tornado,
 * bifurcation and fan charts, all on the CdPlot toolkit.
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

static void
range_update (double *lo,
              double *hi,
              double  v)
{
  if (!isfinite (v))
    return;
  if (v < *lo)
    *lo = v;
  if (v > *hi)
    *hi = v;
}

/* ---- time series --------------------------------------------------------- */

void
cd_timeseries_spec_init (CdTimeseriesSpec *spec,
                         CdTimeseriesKind  kind)
{
  g_return_if_fail (spec != NULL);
  memset (spec, 0, sizeof *spec);
  spec->kind = kind;
  spec->show_events = TRUE;
  spec->show_interventions = TRUE;
  spec->show_legend = TRUE;
  spec->show_title = TRUE;
}

/* Why a spec cannot be drawn from this trajectory, or NULL. */
static const char *
timeseries_problem (const CdModel          *model,
                    const CdTrajectory     *traj,
                    const CdTimeseriesSpec *spec)
{
  if (traj == NULL || traj->n_samples == 0)
    return _("No results yet: run the simulation to see the time series.");
  switch (spec->kind)
    {
    case CD_TIMESERIES_MEAN_AND_LOSS:
      return NULL;
    case CD_TIMESERIES_NODES:
      if (spec->n_nodes == 0 || spec->nodes == NULL)
        return _("Select one or more governments to plot their coordination.");
      for (guint i = 0; i < spec->n_nodes; i++)
        if (spec->nodes[i] >= traj->n_nodes)
          return _("A selected government is not in these results: run the simulation again.");
      return NULL;
    case CD_TIMESERIES_FORCES:
      if (spec->n_nodes == 0 || spec->nodes == NULL)
        return _("Select a government to plot the forces on it.");
      if (spec->nodes[0] >= traj->n_nodes)
        return _("The selected government is not in these results: run the simulation again.");
      if (traj->gravity == NULL)
        return _("These results have no forces: run the simulation with forces kept.");
      return NULL;
    case CD_TIMESERIES_TRUST:
      if (traj->trust == NULL)
        return _("These results have no trust: run the simulation with trust kept.");
      if (spec->n_partnerships == 0 || spec->partnerships == NULL)
        return _("Select one or more partnerships to plot their trust.");
      for (guint i = 0; i < spec->n_partnerships; i++)
        if (spec->partnerships[i] >= traj->n_partnerships)
          return _("A selected partnership is not in these results: run the simulation again.");
      return NULL;
    default:
      return _("Unknown kind of time series.");
    }
  (void) model;
}

static const CdNode *
model_node (const CdModel *model,
            guint          i)
{
  if (model == NULL || i >= model->nodes->len)
    return NULL;
  return g_ptr_array_index (model->nodes, i);
}

static const CdEdge *
model_partnership (const CdModel *model,
                   guint          p)
{
  guint k = 0;

  if (model == NULL)
    return NULL;
  for (guint e = 0; e < model->edges->len; e++)
    {
      const CdEdge *edge = g_ptr_array_index (model->edges, e);
      if (edge->kind != CD_EDGE_PARTNERSHIP)
        continue;
      if (k == p)
        return edge;
      k++;
    }
  return NULL;
}

static const char *
node_name_by_id (const CdModel *model,
                 const char    *id)
{
  int i = model ? cd_model_find_node (model, id) : -1;
  return i >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, i)) : id;
}

/* Sets up title, axes and ranges of a time-series plot (shared by drawing
 * and by cd_timeseries_time_at so both agree on the layout). */
static void
timeseries_setup (CdPlot                 *plot,
                  const CdModel          *model,
                  const CdTrajectory     *traj,
                  const CdTimeseriesSpec *spec)
{
  guint n = traj->n_samples;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

  g_autofree char *time_title = cd_plot_time_title (cd_render_time_unit (model));

  cd_plot_set_x_range (plot, traj->t[0], n > 1 ? traj->t[n - 1] : traj->t[0] + 1, FALSE);
  cd_plot_set_x_title (plot, time_title);
  switch (spec->kind)
    {
    case CD_TIMESERIES_MEAN_AND_LOSS:
      cd_plot_set_title (plot, _("Mean coordination and cumulative loss"));
      cd_plot_set_y_range (plot, 0, 1, FALSE);
      cd_plot_set_y_title (plot, _("mean coordination x̄ (0–1)"));
      lo = 0, hi = 0;
      for (guint k = 0; k < n; k++)
        range_update (&lo, &hi, traj->loss[k]);
      cd_plot_set_y2_range (plot, 0, hi > 0 ? hi : 1, TRUE);
      cd_plot_set_y2_title (plot, _("cumulative loss"));
      break;
    case CD_TIMESERIES_NODES:
      cd_plot_set_title (plot, _("Coordination of selected governments"));
      cd_plot_set_y_range (plot, 0, 1, FALSE);
      cd_plot_set_y_title (plot, _("coordination x (0–1)"));
      break;
    case CD_TIMESERIES_FORCES:
      {
        guint i = spec->nodes[0], nn = traj->n_nodes;
        const CdNode *node = model_node (model, i);
        g_autofree char *title = g_strdup_printf (_("Forces on %s"),
                                                  node ? cd_node_display_name (node) : "?");
        lo = 0, hi = 0;
        for (guint k = 0; k < n; k++)
          {
            double g = traj->gravity[k * nn + i], p = traj->pressure[k * nn + i];
            double t = traj->thrust[k * nn + i], r = traj->resistance[k * nn + i];
            range_update (&lo, &hi, g);
            range_update (&lo, &hi, p);
            range_update (&lo, &hi, t);
            range_update (&lo, &hi, r);
            range_update (&lo, &hi, g + p + t - r);
          }
        cd_plot_set_title (plot, title);
        cd_plot_set_y_range (plot, lo, hi, TRUE);
        cd_plot_set_y_title (plot, _("force (net = G + P + T − R)"));
      }
      break;
    case CD_TIMESERIES_TRUST:
      cd_plot_set_title (plot, _("Trust of selected partnerships"));
      cd_plot_set_y_range (plot, 0, 1, FALSE);
      cd_plot_set_y_title (plot, _("trust τ (0–1)"));
      break;
    default:
      break;
    }
  if (!spec->show_title)
    cd_plot_set_title (plot, NULL);
}

/* Series i of a list of governments or partnerships: the palette has 7
 * colours, so later series are dashed to stay apart. */
static CdLineDash
series_dash (guint i)
{
  return i >= 7 ? CD_LINE_DASHED : CD_LINE_SOLID;
}

static void
timeseries_series (CdPlot              *plot,
                   guint                i,
                   const double        *t,
                   const double        *y,
                   gsize                stride,
                   guint                n,
                   const CdRenderStyle *style)
{
  cd_plot_line (plot, 0, t, y, stride, n, cd_palette_series (i, style), 2.0, series_dash (i));
}

static char *
partnership_label (const CdModel *model,
                   guint          p)
{
  const CdEdge *e = model_partnership (model, p);

  return e ? g_strdup_printf ("%s – %s", node_name_by_id (model, e->source),
                              node_name_by_id (model, e->target))
           : g_strdup ("?");
}

/* The legend's entries, made before the axes so that a legend set apart
 * from the data (on paper) has its room.  Of a list of governments or
 * partnerships only the first 12 get an entry, or the legend would cover
 * the plot. */
static void
timeseries_legend (CdPlot                 *plot,
                   const CdModel          *model,
                   const CdTimeseriesSpec *spec,
                   const CdRenderStyle    *style)
{
  switch (spec->kind)
    {
    case CD_TIMESERIES_MEAN_AND_LOSS:
      cd_plot_add_legend (plot, _("mean coordination x̄ (left)"), cd_palette_series (0, style),
                          CD_LEGEND_LINE, CD_LINE_SOLID);
      cd_plot_add_legend (plot, _("cumulative loss (right)"), cd_palette_muted (style),
                          CD_LEGEND_LINE, CD_LINE_DASHED);
      break;
    case CD_TIMESERIES_NODES:
      for (guint i = 0; i < spec->n_nodes && i < 12; i++)
        {
          const CdNode *nd = model_node (model, spec->nodes[i]);
          cd_plot_add_legend (plot, nd ? cd_node_display_name (nd) : "?",
                              cd_palette_series (i, style), CD_LEGEND_LINE, series_dash (i));
        }
      break;
    case CD_TIMESERIES_FORCES:
      for (guint f = 0; f < 4; f++)
        cd_plot_add_legend (plot, cd_force_label ((CdForce) f),
                            cd_palette_force ((CdForce) f, style), CD_LEGEND_LINE,
                            f == CD_FORCE_RESISTANCE ? CD_LINE_DASHED : CD_LINE_SOLID);
      cd_plot_add_legend (plot, cd_force_label (CD_FORCE_NET),
                          cd_palette_force (CD_FORCE_NET, style), CD_LEGEND_LINE,
                          CD_LINE_SOLID);
      break;
    case CD_TIMESERIES_TRUST:
      for (guint i = 0; i < spec->n_partnerships && i < 12; i++)
        {
          g_autofree char *label = partnership_label (model, spec->partnerships[i]);
          cd_plot_add_legend (plot, label, cd_palette_series (i, style), CD_LEGEND_LINE,
                              series_dash (i));
        }
      break;
    default:
      break;
    }
}

static void
timeseries_markers (CdPlot                 *plot,
                    const CdModel          *model,
                    const CdTimeseriesSpec *spec,
                    const CdRenderStyle    *style)
{
  if (model == NULL)
    return;
  if (spec->show_events)
    for (guint e = 0; e < model->events->len; e++)
      {
        const CdEvent *ev = g_ptr_array_index (model->events, e);
        const char *name = cd_localized_lookup (ev->names, ev->name);
        cd_plot_marker (plot, ev->onset, (name && *name) ? name : _("emergency"),
                        cd_palette_event (style), CD_LINE_SOLID);
      }
  if (spec->show_interventions)
    for (guint i = 0; i < model->interventions->len; i++)
      {
        const CdIntervention *iv = g_ptr_array_index (model->interventions, i);
        g_autofree char *label = NULL;
        if (iv->settings->len == 1)
          {
            const CdSetting *s = &g_array_index (iv->settings, CdSetting, 0);
            g_autofree char *v = cd_render_format_value (s->value, 2);
            label = g_strdup_printf ("%s = %s", cd_param_info (s->param)->path, v);
          }
        else
          label = g_strdup (_("policy change"));
        cd_plot_marker (plot, iv->at, label, cd_palette_intervention (style), CD_LINE_DASHED);
      }
}

void
cd_render_timeseries (cairo_t                *cr,
                      int                     width,
                      int                     height,
                      const CdModel          *model,
                      const CdTrajectory     *traj,
                      const CdTimeseriesSpec *spec,
                      double                  cursor_t,
                      const CdRenderStyle    *style)
{
  g_autoptr(CdPlot) plot = NULL;
  const char *problem;
  guint n;

  g_return_if_fail (cr != NULL && spec != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  problem = timeseries_problem (model, traj, spec);
  if (problem != NULL)
    {
      cd_render_message (cr, width, height, problem, style);
      return;
    }
  n = traj->n_samples;
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  timeseries_setup (plot, model, traj, spec);
  if (spec->show_legend)
    timeseries_legend (plot, model, spec, style);
  cd_plot_draw_axes (plot);

  switch (spec->kind)
    {
    case CD_TIMESERIES_MEAN_AND_LOSS:
      {
        CdColor xc = cd_palette_series (0, style), lc = cd_palette_muted (style);
        cd_plot_line (plot, 1, traj->t, traj->loss, 1, n, lc, 2.0, CD_LINE_DASHED);
        cd_plot_line (plot, 0, traj->t, traj->mean_coordination, 1, n, xc, 2.5, CD_LINE_SOLID);
      }
      break;
    case CD_TIMESERIES_NODES:
      for (guint i = 0; i < spec->n_nodes; i++)
        timeseries_series (plot, i, traj->t, traj->x + spec->nodes[i], traj->n_nodes, n, style);
      break;
    case CD_TIMESERIES_FORCES:
      {
        guint node = spec->nodes[0], nn = traj->n_nodes;
        const double *arrays[4] = { traj->gravity, traj->pressure, traj->thrust,
                                    traj->resistance };
        g_autofree double *net = g_new (double, n);
        for (guint k = 0; k < n; k++)
          net[k] = traj->gravity[k * nn + node] + traj->pressure[k * nn + node]
                   + traj->thrust[k * nn + node] - traj->resistance[k * nn + node];
        /* zero line: the sign of the net force is what matters */
        {
          double zero_x[2] = { traj->t[0], traj->t[n - 1] }, zero_y[2] = { 0, 0 };
          cd_plot_line (plot, 0, zero_x, zero_y, 1, 2, cd_palette_muted (style), 1.0,
                        CD_LINE_SOLID);
        }
        for (guint f = 0; f < 4; f++)
          {
            CdColor c = cd_palette_force ((CdForce) f, style);
            cd_plot_line (plot, 0, traj->t, arrays[f] + node, nn, n, c, 2.0,
                          f == CD_FORCE_RESISTANCE ? CD_LINE_DASHED : CD_LINE_SOLID);
          }
        cd_plot_line (plot, 0, traj->t, net, 1, n, cd_palette_force (CD_FORCE_NET, style), 3.0,
                      CD_LINE_SOLID);
      }
      break;
    case CD_TIMESERIES_TRUST:
      for (guint i = 0; i < spec->n_partnerships; i++)
        timeseries_series (plot, i, traj->t, traj->trust + spec->partnerships[i],
                           traj->n_partnerships, n, style);
      break;
    default:
      break;
    }
  /* The events and policy changes over the curves, so that no curve
   * strikes through their names (each on its backdrop). */
  timeseries_markers (plot, model, spec, style);
  /* The cursor last: its time label must stay readable even where the
   * legend's corner reaches the cursor (at the end of a run, say). */
  if (spec->show_legend)
    cd_plot_draw_legend (plot);
  if (cursor_t >= 0)
    cd_plot_cursor (plot, cursor_t);
}

double
cd_timeseries_time_at (int                     width,
                       int                     height,
                       const CdModel          *model,
                       const CdTrajectory     *traj,
                       const CdTimeseriesSpec *spec,
                       const CdRenderStyle    *style,
                       double                  px)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double t;

  g_return_val_if_fail (spec != NULL, 0.0);
  if (traj == NULL || traj->n_samples == 0)
    return 0.0;
  if (timeseries_problem (model, traj, spec) != NULL)
    return CLAMP (traj->t[0] + px / MAX (width, 1) * (traj->t[traj->n_samples - 1] - traj->t[0]),
                  traj->t[0], traj->t[traj->n_samples - 1]);
  /* A 1×1 surface is enough for pango to measure the labels. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (surface);
  {
    g_autoptr(CdPlot) plot = cd_plot_new (cr, 0, 0, width, height, style);
    timeseries_setup (plot, model, traj, spec);
    if (spec->show_legend)
      timeseries_legend (plot, model, spec, cd_render_style_or_default (style));
    cd_plot_layout (plot);
    t = cd_plot_px_to_x (plot, px);
  }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return CLAMP (t, traj->t[0], traj->t[traj->n_samples - 1]);
}

/* ---- generic charts ---------------------------------------------------- */

static void
chart_frame (CdPlot            *plot,
             const CdChartSpec *chart)
{
  if (chart == NULL)
    return;
  if (chart->title)
    cd_plot_set_title (plot, chart->title);
  if (chart->x_title)
    cd_plot_set_x_title (plot, chart->x_title);
  if (chart->y_title)
    cd_plot_set_y_title (plot, chart->y_title);
  cd_plot_set_legend_below (plot, chart->legend_below);
}

/* The y axis over the chart's fixed range if it asks for one, else over
 * [lo, hi] (widened to nice ticks if `nice`). */
static void
chart_y_range (CdPlot            *plot,
               const CdChartSpec *chart,
               double             lo,
               double             hi,
               gboolean           nice)
{
  if (chart && chart->fix_y)
    cd_plot_set_y_range (plot, chart->y_lo, chart->y_hi, FALSE);
  else
    cd_plot_set_y_range (plot, lo, hi, nice);
}

/* Whether the chart draws its legend: only then are entries made, since on
 * paper an entry takes room under the axes. */
static gboolean
wants_legend (const CdChartSpec *chart)
{
  return chart == NULL || chart->show_legend;
}

void
cd_render_line_chart (cairo_t             *cr,
                      int                  width,
                      int                  height,
                      const CdChartSpec   *chart,
                      const CdSeries      *series,
                      guint                n_series,
                      const CdRenderStyle *style)
{
  g_autoptr(CdPlot) plot = NULL;
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE;
  double ylo[2] = { G_MAXDOUBLE, G_MAXDOUBLE }, yhi[2] = { -G_MAXDOUBLE, -G_MAXDOUBLE };
  gboolean any = FALSE, second = FALSE;

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  for (guint s = 0; s < n_series; s++)
    {
      int ax = series[s].axis == 1 ? 1 : 0;
      second |= ax == 1;
      for (guint i = 0; i < series[s].n; i++)
        {
          if (!isfinite (series[s].x[i]) || !isfinite (series[s].y[i]))
            continue;
          any = TRUE;
          range_update (&xlo, &xhi, series[s].x[i]);
          range_update (&ylo[ax], &yhi[ax], series[s].y[i]);
          if (series[s].y_hi)
            range_update (&ylo[ax], &yhi[ax], series[s].y_hi[i]);
        }
    }
  if (!any)
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  chart_frame (plot, chart);
  cd_plot_set_x_range (plot, xlo, xhi, FALSE);
  chart_y_range (plot, chart, ylo[0] <= yhi[0] ? ylo[0] : 0, ylo[0] <= yhi[0] ? yhi[0] : 1, TRUE);
  if (second)
    {
      cd_plot_set_y2_range (plot, ylo[1] <= yhi[1] ? ylo[1] : 0, ylo[1] <= yhi[1] ? yhi[1] : 1,
                            TRUE);
      if (chart && chart->y2_title)
        cd_plot_set_y2_title (plot, chart->y2_title);
    }
  /* the legend's entries before the axes (on paper it has rows of its own):
   * bands, then lines, as they are drawn */
  for (guint s = 0; s < n_series && wants_legend (chart); s++)
    if (series[s].y_hi && series[s].label)
      cd_plot_add_legend (plot, series[s].label, cd_color_with_alpha (series[s].color, 0.35),
                          CD_LEGEND_BAND, CD_LINE_SOLID);
  for (guint s = 0; s < n_series && wants_legend (chart); s++)
    if (!series[s].y_hi && series[s].label)
      cd_plot_add_legend (plot, series[s].label, series[s].color, CD_LEGEND_LINE,
                          series[s].dash);
  cd_plot_draw_axes (plot);
  /* bands under lines */
  for (guint s = 0; s < n_series; s++)
    if (series[s].y_hi)
      cd_plot_band (plot, series[s].axis == 1, series[s].x, series[s].y, series[s].y_hi,
                    series[s].n, cd_color_with_alpha (series[s].color, 0.25));
  for (guint s = 0; s < n_series; s++)
    if (!series[s].y_hi)
      cd_plot_line (plot, series[s].axis == 1, series[s].x, series[s].y, 1, series[s].n,
                    series[s].color, series[s].width, series[s].dash);
  if (wants_legend (chart))
    cd_plot_draw_legend (plot);
}

typedef struct
{
  const CdTornadoChartBar *bar;
  double              swing;
} RankedBar;

static int
compare_swing (gconstpointer a,
               gconstpointer b)
{
  double sa = ((const RankedBar *) a)->swing, sb = ((const RankedBar *) b)->swing;
  return (sa < sb) - (sa > sb);
}

void
cd_render_tornado (cairo_t             *cr,
                   int                  width,
                   int                  height,
                   const CdChartSpec   *chart,
                   const CdTornadoChartBar  *bars,
                   guint                n_bars,
                   double               base,
                   const char          *low_label,
                   const char          *high_label,
                   const CdRenderStyle *style)
{
  g_autoptr(CdPlot) plot = NULL;
  g_autofree RankedBar *ranked = NULL;
  g_autofree const char **labels = NULL;
  g_autofree char *more = NULL;
  guint rows, shown;
  /* Not force colours: sky blue and orange from Okabe–Ito. */
  CdColor low_c = { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0, 1 };
  CdColor high_c = { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0, 1 };
  double lo, hi, bh;

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  if (n_bars == 0 || !isfinite (base))
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }
  ranked = g_new (RankedBar, n_bars);
  lo = hi = base;
  for (guint i = 0; i < n_bars; i++)
    {
      ranked[i].bar = &bars[i];
      ranked[i].swing = isfinite (bars[i].high - bars[i].low) ? fabs (bars[i].high - bars[i].low)
                                                             : -1;
      range_update (&lo, &hi, bars[i].low);
      range_update (&lo, &hi, bars[i].high);
    }
  qsort (ranked, n_bars, sizeof *ranked, compare_swing);
  /* category i sits at y = i, and the plot's y grows upward: reverse so
   * the widest bar is on top */
  labels = g_new0 (const char *, n_bars);
  for (guint i = 0; i < n_bars; i++)
    labels[n_bars - 1 - i] = ranked[i].bar->label;

  plot = cd_plot_new (cr, 0, 0, width, height, style);
  chart_frame (plot, chart);
  cd_plot_set_y_title (plot, NULL);
  cd_plot_set_x_range (plot, lo, hi, TRUE);
  cd_plot_set_y_categories (plot, labels, n_bars);
  if (wants_legend (chart))
    {
      cd_plot_add_legend (plot, low_label ? low_label : _("parameter lowered"), low_c,
                          CD_LEGEND_BOX, CD_LINE_SOLID);
      cd_plot_add_legend (plot, high_label ? high_label : _("parameter raised"), high_c,
                          CD_LEGEND_BOX, CD_LINE_SOLID);
    }
  /* A chart too short for a row per parameter (the app's pane at
   * 1280 × 720) shows the widest swings and, in its bottom row, how many
   * it leaves out, rather than printing every name over its neighbours. */
  rows = cd_plot_category_rows_that_fit (plot);
  if (rows < n_bars)
    {
      guint omitted;

      shown = MAX (rows, 2) - 1;
      omitted = n_bars - shown;
      more = g_strdup_printf (ngettext ("+ %u with a smaller swing",
                                        "+ %u with smaller swings", omitted),
                              omitted);
      labels[0] = more;
      for (guint i = 0; i < shown; i++)
        labels[shown - i] = ranked[i].bar->label;
      rows = shown + 1;
      cd_plot_set_y_categories (plot, labels, rows);
    }
  else
    rows = shown = n_bars;
  cd_plot_draw_axes (plot);

  bh = MIN (fabs (cd_plot_y_to_px (plot, 0, 0) - cd_plot_y_to_px (plot, 0, 1)) * 0.7, 40);
  for (guint i = 0; i < shown; i++)
    {
      const CdTornadoChartBar *b = ranked[i].bar;
      double py = cd_plot_y_to_px (plot, 0, rows - 1 - i);
      double pb = cd_plot_x_to_px (plot, base);
      if (isfinite (b->low))
        {
          double pl = cd_plot_x_to_px (plot, b->low);
          cd_color_set_source (cr, low_c);
          cairo_rectangle (cr, MIN (pl, pb), py - bh / 2, fabs (pl - pb), bh);
          cairo_fill (cr);
        }
      if (isfinite (b->high))
        {
          double ph = cd_plot_x_to_px (plot, b->high);
          cd_color_set_source (cr, high_c);
          cairo_rectangle (cr, MIN (ph, pb), py - bh / 2, fabs (ph - pb), bh);
          cairo_fill (cr);
        }
    }
  {
    double bx = round (cd_plot_x_to_px (plot, base)) + 0.5;
    double ax, ay, aw, ah;
    cd_plot_get_area (plot, &ax, &ay, &aw, &ah);
    cairo_set_line_width (cr, 1.5 * style->line_scale);
    cd_color_set_source (cr, cd_palette_foreground (style));
    cairo_move_to (cr, bx, ay);
    cairo_line_to (cr, bx, ay + ah);
    cairo_stroke (cr);
  }
  if (wants_legend (chart))
    cd_plot_draw_legend (plot);
}

void
cd_render_bifurcation (cairo_t              *cr,
                       int                   width,
                       int                   height,
                       const CdChartSpec    *chart,
                       const CdBranch       *branches,
                       guint                 n_branches,
                       const CdTippingPoint *tips,
                       guint                 n_tips,
                       const CdRenderStyle  *style)
{
  g_autoptr(CdPlot) plot = NULL;
  double xlo = G_MAXDOUBLE, xhi = -G_MAXDOUBLE, ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;
  CdColor stable_c, unstable_c, tip_c;
  gboolean any_stable = FALSE, any_unstable = FALSE;

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  stable_c = cd_palette_series (0, style);
  unstable_c = cd_palette_muted (style);
  tip_c = cd_palette_event (style);
  for (guint b = 0; b < n_branches; b++)
    for (guint i = 0; i < branches[b].n; i++)
      if (isfinite (branches[b].x[i]) && isfinite (branches[b].y[i]))
        {
          range_update (&xlo, &xhi, branches[b].x[i]);
          range_update (&ylo, &yhi, branches[b].y[i]);
        }
  if (xlo > xhi)
    {
      cd_render_message (cr, width, height, _("No equilibria to plot."), style);
      return;
    }
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  chart_frame (plot, chart);
  cd_plot_set_x_range (plot, xlo, xhi, FALSE);
  chart_y_range (plot, chart, MIN (ylo, 0), MAX (yhi, 1), FALSE);
  for (guint b = 0; b < n_branches; b++)
    {
      any_stable |= branches[b].stable;
      any_unstable |= !branches[b].stable;
    }
  if (any_stable && wants_legend (chart))
    cd_plot_add_legend (plot, _("stable equilibrium"), stable_c, CD_LEGEND_LINE, CD_LINE_SOLID);
  if (any_unstable && wants_legend (chart))
    cd_plot_add_legend (plot, _("unstable equilibrium"), unstable_c, CD_LEGEND_LINE,
                        CD_LINE_DASHED);
  if (n_tips > 0 && wants_legend (chart))
    cd_plot_add_legend (plot, _("tipping point"), tip_c, CD_LEGEND_POINT, CD_LINE_SOLID);
  cd_plot_draw_axes (plot);
  for (guint b = 0; b < n_branches; b++)
    {
      const CdBranch *br = &branches[b];
      cd_plot_line (plot, 0, br->x, br->y, 1, br->n, br->stable ? stable_c : unstable_c,
                    br->stable ? 3.0 : 2.0, br->stable ? CD_LINE_SOLID : CD_LINE_DASHED);
    }
  for (guint i = 0; i < n_tips; i++)
    {
      double px, py;
      if (!isfinite (tips[i].x) || !isfinite (tips[i].y))
        continue;
      px = cd_plot_x_to_px (plot, tips[i].x);
      py = cd_plot_y_to_px (plot, 0, tips[i].y);
      cairo_save (cr);
      cd_color_set_source (cr, tip_c);
      cairo_set_line_width (cr, 2 * style->line_scale);
      cairo_arc (cr, px, py, 6 * style->line_scale, 0, 2 * G_PI);
      cairo_stroke (cr);
      if (tips[i].label)
        cd_render_text (cr, style, tips[i].label, 12, TRUE, px + 9 * style->line_scale, py,
                        CD_ANCHOR_START, CD_ANCHOR_END, tip_c, NULL);
      cairo_restore (cr);
    }
  if (wants_legend (chart))
    cd_plot_draw_legend (plot);
}

void
cd_render_fan_chart (cairo_t             *cr,
                     int                  width,
                     int                  height,
                     const CdChartSpec   *chart,
                     const double        *t,
                     guint                n,
                     const double        *q05,
                     const double        *q25,
                     const double        *q50,
                     const double        *q75,
                     const double        *q95,
                     CdColor              color,
                     const CdRenderStyle *style)
{
  g_autoptr(CdPlot) plot = NULL;
  double ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE;

  g_return_if_fail (cr != NULL);
  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  for (guint i = 0; i < n; i++)
    {
      range_update (&ylo, &yhi, q05[i]);
      range_update (&ylo, &yhi, q95[i]);
      range_update (&ylo, &yhi, q50[i]);
    }
  if (n == 0 || ylo > yhi)
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  chart_frame (plot, chart);
  cd_plot_set_x_range (plot, t[0], n > 1 ? t[n - 1] : t[0] + 1, FALSE);
  chart_y_range (plot, chart, ylo, yhi, TRUE);
  if (wants_legend (chart))
    {
      cd_plot_add_legend (plot, _("5–95 % of runs"), cd_color_with_alpha (color, 0.2),
                          CD_LEGEND_BAND, CD_LINE_SOLID);
      cd_plot_add_legend (plot, _("25–75 % of runs"), cd_color_with_alpha (color, 0.45),
                          CD_LEGEND_BAND, CD_LINE_SOLID);
      cd_plot_add_legend (plot, _("median"), color, CD_LEGEND_LINE, CD_LINE_SOLID);
    }
  cd_plot_draw_axes (plot);
  cd_plot_band (plot, 0, t, q05, q95, n, cd_color_with_alpha (color, 0.2));
  cd_plot_band (plot, 0, t, q25, q75, n, cd_color_with_alpha (color, 0.4));
  cd_plot_line (plot, 0, t, q50, 1, n, color, 2.5, CD_LINE_SOLID);
  if (wants_legend (chart))
    cd_plot_draw_legend (plot);
}
