/* cd-analysis-charts.c — the analysis page's charts (see cd-analysis-charts.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "cd-analysis-charts.h"
#include "cd-plot.h"

static void
fill_background (cairo_t             *cr,
                 int                  width,
                 int                  height,
                 const CdRenderStyle *style)
{
  cd_color_set_source (cr, cd_palette_background (style));
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

/* Nothing to draw: the tornado with no bars says so in the render
 * library's own words and style. */
static void
draw_empty (cairo_t             *cr,
            int                  width,
            int                  height,
            const CdRenderStyle *style)
{
  cd_render_tornado (cr, width, height, NULL, NULL, 0, 0, NULL, NULL, style);
}

/* A small text beside a bar, left-aligned at (x, y) and vertically
 * centred, on a backdrop of the background where it may lie over a bar or
 * a whisker; returns its width. */
static PangoLayout *
value_layout (cairo_t             *cr,
              const CdRenderStyle *style,
              const char          *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, style->font_family ? style->font_family : "Sans");
  pango_font_description_set_absolute_size (font, 10.5 * style->font_scale * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
draw_value_on (cairo_t             *cr,
               const CdRenderStyle *style,
               double               x,
               double               y,
               const char          *text,
               gboolean             backdrop)
{
  g_autoptr (PangoLayout) layout = value_layout (cr, style, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  if (backdrop)
    {
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (style), 0.85));
      cairo_rectangle (cr, x - 2, y - h / 2.0, w + 4, h);
      cairo_fill (cr);
    }
  cd_color_set_source (cr, cd_palette_foreground (style));
  cairo_move_to (cr, x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
  return w;
}

static double
draw_value (cairo_t             *cr,
            const CdRenderStyle *style,
            double               x,
            double               y,
            const char          *text)
{
  return draw_value_on (cr, style, x, y, text, FALSE);
}

void
cd_analysis_draw_node_bars (cairo_t             *cr,
                            int                  width,
                            int                  height,
                            const char          *title,
                            const char * const  *labels,
                            const double        *values,
                            guint                n,
                            const CdRenderStyle *style)
{
  g_autoptr (CdPlot) plot = NULL;
  g_autofree const char **reversed = NULL;
  double bh;

  if (n == 0)
    {
      draw_empty (cr, width, height, style);
      return;
    }
  fill_background (cr, width, height, style);
  /* Category i sits at y = i and y grows upward: the first government on top. */
  reversed = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    reversed[n - 1 - i] = labels[i];
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  cd_plot_set_title (plot, title);
  cd_plot_set_x_title (plot, _("coordination x (0–1)"));
  cd_plot_set_x_range (plot, 0, 1, FALSE);
  cd_plot_set_y_categories (plot, reversed, n);
  cd_plot_draw_axes (plot);
  bh = MIN (fabs (cd_plot_y_to_px (plot, 0, 0) - cd_plot_y_to_px (plot, 0, 1)) * 0.7, 28);
  for (guint i = 0; i < n; i++)
    {
      double v = isfinite (values[i]) ? CLAMP (values[i], 0, 1) : 0;
      double py = cd_plot_y_to_px (plot, 0, n - 1 - i);
      double p0 = cd_plot_x_to_px (plot, 0), p1 = cd_plot_x_to_px (plot, v);
      char text[32];

      cairo_rectangle (cr, p0, py - bh / 2, MAX (p1 - p0, 1), bh);
      cd_color_set_source (cr, cd_palette_coordination (v, style));
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_foreground (style), 0.5));
      cairo_set_line_width (cr, 0.8 * style->line_scale);
      cairo_stroke (cr);
      if (isfinite (values[i]))
        {
          g_snprintf (text, sizeof text, "%.3f", values[i]);
          /* Inside the bar when it is long, so the label never leaves the
           * plot; on a backdrop, as a high coordination's bar is dark. */
          if (v > 0.85)
            draw_value_on (cr, style, p1 - 44 * style->font_scale, py, text, TRUE);
          else
            draw_value (cr, style, p1 + 4, py, text);
        }
    }
}

#define HISTOGRAM_BINS 20

void
cd_analysis_draw_node_histogram (cairo_t             *cr,
                                 int                  width,
                                 int                  height,
                                 const char          *title,
                                 const double        *values,
                                 guint                n,
                                 const CdRenderStyle *style)
{
  g_autoptr (CdPlot) plot = NULL;
  guint count[HISTOGRAM_BINS] = { 0 }, most = 0, finite = 0;
  double sum = 0.0;
  g_autofree char *mean_text = NULL;

  if (n == 0)
    {
      draw_empty (cr, width, height, style);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      double v;
      guint bin;

      if (!isfinite (values[i]))
        continue;
      v = CLAMP (values[i], 0, 1);
      bin = MIN ((guint) (v * HISTOGRAM_BINS), HISTOGRAM_BINS - 1);
      count[bin]++;
      most = MAX (most, count[bin]);
      sum += v;
      finite++;
    }
  fill_background (cr, width, height, style);
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  cd_plot_set_title (plot, title);
  cd_plot_set_x_title (plot, _("coordination x (0–1)"));
  cd_plot_set_y_title (plot, _("governments"));
  cd_plot_set_x_range (plot, 0, 1, FALSE);
  /* room above the tallest bar for its count */
  cd_plot_set_y_range (plot, 0, MAX (most, 1) * 1.12, TRUE);
  cd_plot_draw_axes (plot);
  /* the mean first: the bars and their counts go over its line */
  if (finite > 0)
    {
      /* Translators: the mean coordination of the governments, marked on
       * the histogram of their coordination; %.3f is its value */
      mean_text = g_strdup_printf (_("mean %.3f"), sum / finite);
      cd_plot_marker (plot, sum / finite, mean_text, cd_palette_foreground (style),
                      CD_LINE_DASHED);
    }
  for (guint b = 0; b < HISTOGRAM_BINS; b++)
    {
      double lo = (double) b / HISTOGRAM_BINS, hi = (double) (b + 1) / HISTOGRAM_BINS;
      double px0 = cd_plot_x_to_px (plot, lo) + 1, px1 = cd_plot_x_to_px (plot, hi) - 1;
      double py0 = cd_plot_y_to_px (plot, 0, 0), py1 = cd_plot_y_to_px (plot, 0, count[b]);
      char text[16];
      g_autoptr (PangoLayout) layout = NULL;
      int w, h;

      if (count[b] == 0)
        continue;
      /* a bin of a few governments among thousands still shows */
      py1 = MIN (py1, py0 - 2);
      cairo_rectangle (cr, px0, py1, MAX (px1 - px0, 1), py0 - py1);
      cd_color_set_source (cr, cd_palette_coordination ((lo + hi) / 2, style));
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_foreground (style), 0.5));
      cairo_set_line_width (cr, 0.8 * style->line_scale);
      cairo_stroke (cr);
      g_snprintf (text, sizeof text, "%u", count[b]);
      /* the count centred over its bar */
      layout = value_layout (cr, style, text);
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_value_on (cr, style, (px0 + px1) / 2 - w / 2.0, py1 - h / 2.0 - 2, text, TRUE);
    }
}

/* ---- Sweep ---------------------------------------------------------------- */

typedef struct
{
  GArray *x;
  GArray *y;
  gboolean stable;
} Branch;

static void
branch_add (GArray   *branches,
            gboolean  stable)
{
  Branch b = { g_array_new (FALSE, FALSE, sizeof (double)),
               g_array_new (FALSE, FALSE, sizeof (double)), stable };
  g_array_append_val (branches, b);
}

static void
branch_clear (gpointer data)
{
  Branch *b = data;

  g_array_unref (b->x);
  g_array_unref (b->y);
}

static void
branch_push (GArray *branches,
             double  x,
             double  y)
{
  Branch *b = &g_array_index (branches, Branch, branches->len - 1);

  g_array_append_val (b->x, x);
  g_array_append_val (b->y, y);
}

void
cd_analysis_draw_sweep (cairo_t                 *cr,
                        int                      width,
                        int                      height,
                        const char              *x_title,
                        const CdSweepChartPoint *points,
                        guint                    n,
                        const CdRenderStyle     *style)
{
  g_autoptr (GArray) branches = g_array_new (FALSE, FALSE, sizeof (Branch));
  g_autoptr (GArray) tips = g_array_new (FALSE, FALSE, sizeof (CdTippingPoint));
  g_autoptr (GPtrArray) tip_labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree CdBranch *out = NULL;
  CdChartSpec chart = { 0 };
  double lo_value = G_MAXDOUBLE, hi_value = -G_MAXDOUBLE, half;
  guint first_all, n_values = 0;

  g_array_set_clear_func (branches, branch_clear);

  /* Up and down: a branch runs until the state tips (or loses stability),
   * and the point it lands on starts the next one. */
  for (int dir = CD_SWEEP_CHART_UP; dir <= CD_SWEEP_CHART_DOWN; dir++)
    {
      gboolean open = FALSE, open_stable = TRUE;
      for (guint i = 0; i < n; i++)
        {
          const CdSweepChartPoint *p = &points[i];
          if ((int) p->direction != dir || !isfinite (p->value) || !isfinite (p->mean))
            continue;
          if (!open || p->tipping || p->stable != open_stable)
            {
              branch_add (branches, p->stable);
              open = TRUE;
              open_stable = p->stable;
            }
          branch_push (branches, p->value, p->mean);
          if (p->tipping)
            {
              CdTippingPoint tip = { p->value, p->mean, NULL };
              char value[32];
              g_snprintf (value, sizeof value, "%.3g", p->value);
              /* Translators: a tipping point met while the parameter rises
               * (↑) or falls (↓); %s is the parameter's value there */
              g_ptr_array_add (tip_labels, g_strdup_printf (dir == CD_SWEEP_CHART_UP
                                                              ? _("↑ tips at %s")
                                                              : _("↓ tips at %s"), value));
              tip.label = g_ptr_array_index (tip_labels, tip_labels->len - 1);
              g_array_append_val (tips, tip);
            }
        }
    }

  /* The multi-start search's equilibria, one line per branch the engine
   * linked them into (by state: see CdSweepPoint.branch).  Its stable
   * points show the attractors that continuation from the initial state
   * never reached (the other side of a bistable window). */
  first_all = branches->len;
  {
    g_autoptr (GHashTable) line_of = g_hash_table_new (NULL, NULL);
    double last_value = NAN;

    for (guint i = 0; i < n; i++)
      {
        const CdSweepChartPoint *p = &points[i];
        gpointer line;

        if (p->direction != CD_SWEEP_CHART_ALL || !isfinite (p->value) || !isfinite (p->mean))
          continue;
        if (!g_hash_table_lookup_extended (line_of, GUINT_TO_POINTER (p->branch), NULL, &line))
          {
            line = GUINT_TO_POINTER (branches->len);
            g_hash_table_insert (line_of, GUINT_TO_POINTER (p->branch), line);
            branch_add (branches, p->stable);
          }
        {
          Branch *br = &g_array_index (branches, Branch, GPOINTER_TO_UINT (line));
          g_array_append_val (br->x, p->value);
          g_array_append_val (br->y, p->mean);
        }
        if (p->value != last_value)
          n_values++;
        last_value = p->value;
        lo_value = MIN (lo_value, p->value);
        hi_value = MAX (hi_value, p->value);
      }
  }
  /* A lone point has no segment to draw: a short level stroke marks it. */
  half = n_values > 1 ? (hi_value - lo_value) / (n_values - 1) / 3 : 0.01;
  for (guint b = first_all; b < branches->len; b++)
    {
      Branch *br = &g_array_index (branches, Branch, b);
      if (br->x->len == 1)
        {
          double x = g_array_index (br->x, double, 0), y = g_array_index (br->y, double, 0);
          g_array_index (br->x, double, 0) = x - half;
          x += half;
          g_array_append_val (br->x, x);
          g_array_append_val (br->y, y);
        }
    }

  out = g_new0 (CdBranch, branches->len + 1);
  for (guint b = 0; b < branches->len; b++)
    {
      Branch *br = &g_array_index (branches, Branch, b);
      out[b].x = (const double *) (gpointer) br->x->data;
      out[b].y = (const double *) (gpointer) br->y->data;
      out[b].n = br->x->len;
      out[b].stable = br->stable;
    }
  chart.title = _("Equilibria along the sweep");
  chart.x_title = x_title;
  chart.y_title = _("mean coordination x̄ at equilibrium (0–1)");
  chart.fix_y = TRUE;
  chart.y_lo = 0;
  chart.y_hi = 1;
  chart.show_legend = TRUE;
  cd_render_bifurcation (cr, width, height, &chart, out, branches->len,
                         (const CdTippingPoint *) (gpointer) tips->data, tips->len, style);
}

/* ---- Sensitivity ---------------------------------------------------------- */

void
cd_analysis_draw_tornado (cairo_t                 *cr,
                          int                      width,
                          int                      height,
                          const char              *title,
                          const char              *x_title,
                          const CdTornadoChartBar *bars,
                          guint                    n,
                          double                   base,
                          double                   delta,
                          const CdRenderStyle     *style)
{
  g_autofree CdTornadoBar *out = g_new0 (CdTornadoBar, n + 1);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  CdChartSpec chart = { 0 };
  double strip;

  for (guint i = 0; i < n; i++)
    {
      out[i].label = bars[i].label;
      out[i].low = bars[i].low;
      out[i].high = bars[i].high;
    }
  /* Translators: the tornado's legend; %g is the share of the parameter's
   * range it was moved by, in percent */
  low = g_strdup_printf (_("parameter −%g %% of its range"), round (delta * 1000) / 10);
  high = g_strdup_printf (_("parameter +%g %% of its range"), round (delta * 1000) / 10);
  chart.title = title;
  chart.x_title = x_title;
  /* The library puts its legend in a corner of the plot, where a tornado's
   * widest bars are: it goes in a strip of its own below instead. */
  chart.show_legend = FALSE;
  strip = n > 0 ? 26 * style->font_scale : 0;
  cd_render_tornado (cr, width, MAX (height - strip, 1), &chart, out, n, base, low, high, style);
  if (strip > 0)
    {
      /* The colours cd_render_tornado uses (Okabe–Ito sky blue and orange). */
      CdColor low_c = { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0, 1 };
      CdColor high_c = { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0, 1 };
      double y = height - strip / 2, x = 12;

      cd_color_set_source (cr, cd_palette_background (style));
      cairo_rectangle (cr, 0, height - strip, width, strip);
      cairo_fill (cr);
      for (int k = 0; k < 2; k++)
        {
          cd_color_set_source (cr, k ? high_c : low_c);
          cairo_rectangle (cr, x, y - 6, 14, 12);
          cairo_fill (cr);
          x += 20 + draw_value (cr, style, x + 20, y, k ? high : low) + 24;
        }
    }
}

void
cd_analysis_draw_sobol (cairo_t             *cr,
                        int                  width,
                        int                  height,
                        const char          *title,
                        const char * const  *labels,
                        const double        *first,
                        const double        *total,
                        const double        *first_conf,
                        const double        *total_conf,
                        guint                n,
                        const CdRenderStyle *style)
{
  g_autoptr (CdPlot) plot = NULL;
  g_autofree const char **reversed = NULL;
  CdColor first_c = cd_palette_series (0, style), total_c = cd_palette_series (1, style);
  double hi = 1.0, row;

  if (n == 0)
    {
      draw_empty (cr, width, height, style);
      return;
    }
  fill_background (cr, width, height, style);
  reversed = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      reversed[n - 1 - i] = labels[i];
      /* Estimators overshoot 1 with a small N; beyond 1.2 a bar is cut at
       * the edge and its label still gives the estimate. */
      if (isfinite (first[i]))
        hi = MAX (hi, MIN (first[i] + (first_conf ? first_conf[i] : 0), 1.2));
      if (isfinite (total[i]))
        hi = MAX (hi, MIN (total[i] + (total_conf ? total_conf[i] : 0), 1.2));
    }
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  cd_plot_set_title (plot, title);
  cd_plot_set_x_title (plot, first_conf != NULL
                              /* xgettext:no-c-format */
                              ? _("share of the outcome's variance (0–1); whiskers: 95 % interval")
                              : _("share of the outcome's variance (0–1)"));
  cd_plot_set_x_range (plot, 0, hi, TRUE);
  cd_plot_set_y_categories (plot, reversed, n);
  cd_plot_draw_axes (plot);
  row = fabs (cd_plot_y_to_px (plot, 0, 0) - cd_plot_y_to_px (plot, 0, 1));
  for (guint i = 0; i < n; i++)
    {
      double py = cd_plot_y_to_px (plot, 0, n - 1 - i);
      double p0 = cd_plot_x_to_px (plot, 0);
      double bh = MIN (row * 0.36, 18);
      double v[2] = { first[i], total[i] };
      double conf[2] = { first_conf ? first_conf[i] : 0, total_conf ? total_conf[i] : 0 };
      CdColor c[2] = { first_c, total_c };

      for (int k = 0; k < 2; k++)
        {
          /* A slightly negative estimate is noise around 0: drawn as 0. */
          double x = isfinite (v[k]) ? CLAMP (v[k], 0, hi) : 0;
          double p1 = cd_plot_x_to_px (plot, x), end = p1;
          double top = k == 0 ? py - bh - 1 : py + 1;
          char text[32];

          cd_color_set_source (cr, c[k]);
          cairo_rectangle (cr, p0, top, MAX (p1 - p0, 1), bh);
          cairo_fill (cr);
          if (isfinite (v[k]) && isfinite (conf[k]) && conf[k] > 0)
            {
              /* the 95 % interval: a whisker through the bar's middle */
              double w0 = cd_plot_x_to_px (plot, CLAMP (v[k] - conf[k], 0, hi));
              double w1 = cd_plot_x_to_px (plot, CLAMP (v[k] + conf[k], 0, hi));
              double wy = top + bh / 2, cap = bh * 0.3;

              cairo_set_line_width (cr, 1.2 * style->line_scale);
              cd_color_set_source (cr, cd_palette_foreground (style));
              cairo_move_to (cr, w0, wy);
              cairo_line_to (cr, w1, wy);
              cairo_move_to (cr, w0, wy - cap);
              cairo_line_to (cr, w0, wy + cap);
              cairo_move_to (cr, w1, wy - cap);
              cairo_line_to (cr, w1, wy + cap);
              cairo_stroke (cr);
              end = MAX (end, w1);
            }
          if (isfinite (v[k]))
            {
              double ax, ay, aw, ah;

              g_snprintf (text, sizeof text, "%.2f", v[k]);
              cd_plot_get_area (plot, &ax, &ay, &aw, &ah);
              /* After the bar and its whisker; near the right edge, inside
               * the bar, on a backdrop (it may lie over the whisker). */
              if (end + 4 + 34 * style->font_scale <= ax + aw)
                draw_value (cr, style, end + 4, top + bh / 2, text);
              else
                draw_value_on (cr, style, MIN (p1, ax + aw) - 40 * style->font_scale,
                               top + bh / 2, text, TRUE);
            }
        }
    }
  cd_plot_add_legend (plot, _("first-order index Sᵢ (this lever alone)"), first_c,
                      CD_LEGEND_BOX, CD_LINE_SOLID);
  cd_plot_add_legend (plot, _("total index S_Tᵢ (with its interactions)"), total_c,
                      CD_LEGEND_BOX, CD_LINE_SOLID);
  cd_plot_draw_legend (plot);
}

/* ---- Monte Carlo and scenarios -------------------------------------------- */

void
cd_analysis_draw_fan (cairo_t             *cr,
                      int                  width,
                      int                  height,
                      const char          *title,
                      const char          *y_title,
                      const double        *t,
                      const double        *bands,
                      guint                n,
                      gboolean             unit_range,
                      CdColor              color,
                      const CdRenderStyle *style)
{
  g_autofree double *q = g_new0 (double, 5 * (gsize) n + 1);
  CdChartSpec chart = { 0 };

  for (guint k = 0; k < n; k++)
    for (guint b = 0; b < 5; b++)
      {
        double v = bands[(gsize) k * 5 + b];
        q[(gsize) b * n + k] = isfinite (v) ? v : NAN;
      }
  chart.title = title;
  chart.x_title = _("time");
  chart.y_title = y_title;
  chart.show_legend = TRUE;
  chart.fix_y = unit_range;
  chart.y_lo = 0;
  chart.y_hi = 1;
  cd_render_fan_chart (cr, width, height, &chart, t, n, q, q + n, q + 2 * (gsize) n,
                       q + 3 * (gsize) n, q + 4 * (gsize) n, color, style);
}

void
cd_analysis_draw_curves (cairo_t              *cr,
                         int                   width,
                         int                   height,
                         const char           *title,
                         const char           *y_title,
                         const char * const   *labels,
                         const double * const *t,
                         const double * const *y,
                         const guint          *n,
                         guint                 n_curves,
                         const CdRenderStyle  *style)
{
  g_autofree CdSeries *series = g_new0 (CdSeries, n_curves + 1);
  CdChartSpec chart = { 0 };

  for (guint i = 0; i < n_curves; i++)
    {
      series[i].label = labels[i];
      series[i].x = t[i];
      series[i].y = y[i];
      series[i].n = n[i];
      series[i].color = cd_palette_series (i, style);
      /* The base run is the reference: solid; scenarios dashed after the
       * first colour cycle so they stay apart without colour. */
      series[i].dash = i == 0 ? CD_LINE_SOLID : (i % 2 ? CD_LINE_SOLID : CD_LINE_DASHED);
      series[i].width = i == 0 ? 3 : 2;
    }
  chart.title = title;
  chart.x_title = _("time");
  chart.y_title = y_title;
  chart.fix_y = TRUE;
  chart.y_lo = 0;
  chart.y_hi = 1;
  chart.show_legend = TRUE;
  cd_render_line_chart (cr, width, height, &chart, series, n_curves, style);
}
