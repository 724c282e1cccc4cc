/* cd-analysis-figure.c — the charts of the analyses (see cd-analysis-figure.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cd-analysis-figure.h"
#include "cd-plot.h"
#include "cd-render-private.h"

/* Values printed beside bars. */
#define VALUE_FONT 11.0

void
cd_analysis_figure_init (CdAnalysisFigure     *figure,
                         CdAnalysisFigureKind  kind,
                         const CdModel        *model)
{
  g_return_if_fail (figure != NULL);

  memset (figure, 0, sizeof *figure);
  figure->kind = kind;
  figure->model = model;
  figure->outcome = CD_ANALYSIS_OUTCOME_COORDINATION;
  figure->show_title = TRUE;
}

guint
cd_analysis_figure_default_equilibrium (const CdEquilibria *eqs)
{
  g_return_val_if_fail (eqs != NULL, 0);

  for (guint k = 0; k < eqs->equilibria->len; k++)
    if (((const CdEquilibrium *) g_ptr_array_index (eqs->equilibria, k))->stable)
      return k;
  return 0;
}

gboolean
cd_analysis_figure_ready (const CdAnalysisFigure *figure)
{
  g_return_val_if_fail (figure != NULL, FALSE);

  if (figure->model == NULL)
    return FALSE;
  switch (figure->kind)
    {
    case CD_ANALYSIS_FIGURE_EQUILIBRIUM:
      return figure->equilibria != NULL
             && figure->equilibrium < figure->equilibria->equilibria->len;
    case CD_ANALYSIS_FIGURE_SWEEP:
      return figure->sweep != NULL;
    case CD_ANALYSIS_FIGURE_TORNADO:
      return figure->tornado != NULL;
    case CD_ANALYSIS_FIGURE_SOBOL:
      return figure->sobol != NULL;
    case CD_ANALYSIS_FIGURE_MONTECARLO:
      return figure->montecarlo != NULL && figure->montecarlo->n_times > 0;
    case CD_ANALYSIS_FIGURE_SCENARIOS:
      return figure->outcomes != NULL && figure->curves != NULL
             && figure->curves->len == figure->outcomes->len;
    default:
      return FALSE;
    }
}

const char *
cd_analysis_scenario_label (const CdModel           *model,
                            const CdScenarioOutcome *outcome)
{
  const CdScenario *sc;

  g_return_val_if_fail (model != NULL && outcome != NULL, "");
  if (outcome->label != NULL)
    return outcome->label;
  if (outcome->index < 0 || (guint) outcome->index >= model->scenarios->len)
    return _("base model");
  sc = g_ptr_array_index (model->scenarios, outcome->index);
  return cd_localized_lookup (sc->names, sc->name);
}

static const char *
param_label (CdParam param)
{
  return _(cd_param_info (param)->label);
}

static const char *
title_of (const CdAnalysisFigure *figure,
          const char             *title)
{
  return figure->show_title ? title : NULL;
}

/* ---- Coordination of each government at an equilibrium ------------------- */

/* A bar per government needs about this many pixels (times the style's
 * font scale) to be told apart and labelled, as on the app's Analysis page;
 * with more governments than fit (the national model has 3,209, which
 * equilibria reach since issue 17), a histogram instead.  A figure for
 * print grows a row per government up to MAX_BAR_ROWS of them
 * (cd_analysis_figure_size), and beyond that is a histogram too. */
#define EQ_BAR_PX      14.0
#define MAX_BAR_ROWS   400
#define HISTOGRAM_BINS 20

/* The histogram's frame: titles, axes from 0 to `top` governments. */
static CdPlot *
histogram_plot (cairo_t             *cr,
                int                  width,
                int                  height,
                const char          *title,
                double               top,
                const CdRenderStyle *style)
{
  CdPlot *plot = cd_plot_new (cr, 0, 0, width, height, style);

  cd_plot_set_title (plot, title);
  cd_plot_set_x_title (plot, _("coordination x (0–1)"));
  cd_plot_set_y_title (plot, _("governments"));
  cd_plot_set_x_range (plot, 0, 1, FALSE);
  cd_plot_set_y_range (plot, 0, top, TRUE);
  cd_plot_draw_axes (plot);
  return plot;
}

/* How many governments coordinate how much: bins of 0.05 filled with the
 * coordination ramp, each bin's count over it, the mean marked. */
static void
draw_equilibrium_histogram (cairo_t                *cr,
                            int                     width,
                            int                     height,
                            const CdAnalysisFigure *figure,
                            const CdEquilibrium    *eq,
                            guint                   n,
                            const CdRenderStyle    *style)
{
  g_autoptr (CdPlot) plot = NULL;
  g_autofree char *title = NULL;
  g_autofree char *mean_text = NULL;
  guint count[HISTOGRAM_BINS] = { 0 }, most = 0, finite = 0;
  double sum = 0.0, top;

  for (guint i = 0; i < n; i++)
    {
      double v;
      guint bin;

      if (!isfinite (eq->y[i]))
        continue;
      v = CLAMP (eq->y[i], 0, 1);
      bin = MIN ((guint) (v * HISTOGRAM_BINS), HISTOGRAM_BINS - 1);
      count[bin]++;
      most = MAX (most, count[bin]);
      sum += v;
      finite++;
    }
  /* Translators: the title of a histogram of the governments'
   * coordination at one equilibrium; %d is its number in the table,
   * %s says whether it is stable, %u is the number of governments */
  title = g_strdup_printf (_("Equilibrium %d (%s), %u governments"),
                           (int) figure->equilibrium + 1,
                           eq->stable ? _("stable") : _("unstable"), n);
  /* Room above the tallest bar for its count and, over that, the mean's
   * label (the mean is mostly near the tallest bin): measured on the frame
   * laid out once into a group that is dropped, since the type takes more
   * of a small figure's height than of a large one's. */
  top = MAX (most, 1) * 1.12;
  {
    PangoLayout *layout = cd_render_layout (cr, style, VALUE_FONT, FALSE);
    double ax, ay, aw, ah, th, room;

    cairo_push_group (cr);
    plot = histogram_plot (cr, width, height, title_of (figure, title), top, style);
    cd_plot_get_area (plot, &ax, &ay, &aw, &ah);
    g_clear_pointer (&plot, cd_plot_free);
    cairo_pattern_destroy (cairo_pop_group (cr));
    cd_render_layout_set (layout, "0", NULL, &th);
    g_object_unref (layout);
    /* the count, 3 px under it, the label's row and 2 px over it */
    room = 2 * th + 8;
    if (ah > 3 * room)
      top = MAX (top, MAX (most, 1) * ah / (ah - room));
    else
      top = MAX (most, 1) * 3;
  }
  plot = histogram_plot (cr, width, height, title_of (figure, title), top, style);
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
      CdColor fill = cd_palette_coordination ((lo + hi) / 2, style);
      char text[16];

      if (count[b] == 0)
        continue;
      /* a bin of a few governments among thousands still shows */
      py1 = MIN (py1, py0 - 2);
      cairo_rectangle (cr, px0, py1, MAX (px1 - px0, 1), py0 - py1);
      cd_color_set_source (cr, fill);
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_foreground (style), 0.5));
      cairo_set_line_width (cr, 0.8 * style->line_scale);
      cairo_stroke (cr);
      g_snprintf (text, sizeof text, "%u", count[b]);
      /* the count centred over its bar, on a backdrop over the mean's line */
      {
        g_autoptr (PangoLayout) layout = cd_render_layout (cr, style, VALUE_FONT, FALSE);
        double w, h;

        cd_render_layout_set (layout, text, &w, &h);
        cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (style), 0.85));
        cairo_rectangle (cr, (px0 + px1) / 2 - w / 2 - 2, py1 - 3 - h, w + 4, h);
        cairo_fill (cr);
        cd_render_layout_draw (cr, layout, (px0 + px1) / 2, py1 - 3, CD_ANCHOR_CENTER,
                               CD_ANCHOR_END, cd_palette_foreground (style));
      }
    }
}

static void
draw_equilibrium (cairo_t                *cr,
                  int                     width,
                  int                     height,
                  const CdAnalysisFigure *figure,
                  const CdRenderStyle    *style)
{
  const CdEquilibrium *eq = g_ptr_array_index (figure->equilibria->equilibria,
                                               figure->equilibrium);
  const CdSystem *sys = figure->equilibria->system;
  const CdModel *model = figure->model;
  g_autoptr (CdPlot) plot = NULL;
  g_autofree const char **reversed = NULL;
  g_autofree char *title = NULL;
  guint n = cd_system_get_n_nodes (sys);
  double bh;

  if (n == 0)
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }
  if (n > MAX_BAR_ROWS || n * EQ_BAR_PX * style->font_scale > height)
    {
      draw_equilibrium_histogram (cr, width, height, figure, eq, n, style);
      return;
    }
  /* Category i sits at y = i and y grows upward: the first government on top. */
  reversed = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      int k = cd_model_find_node (model, cd_system_get_node_ids (sys)[i]);
      reversed[n - 1 - i] = k >= 0 ? cd_node_display_name (g_ptr_array_index (model->nodes, k))
                                   : cd_system_get_node_ids (sys)[i];
    }
  /* Translators: %d is the equilibrium's number in the table; the second
   * %s says whether it is stable */
  title = g_strdup_printf (_("Equilibrium %d (%s): coordination of each government"),
                           (int) figure->equilibrium + 1,
                           eq->stable ? _("stable") : _("unstable"));
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  cd_plot_set_title (plot, title_of (figure, title));
  cd_plot_set_x_title (plot, _("coordination x (0–1)"));
  cd_plot_set_x_range (plot, 0, 1, FALSE);
  cd_plot_set_y_categories (plot, reversed, n);
  cd_plot_draw_axes (plot);
  bh = MIN (fabs (cd_plot_y_to_px (plot, 0, 0) - cd_plot_y_to_px (plot, 0, 1)) * 0.7,
            28 * style->line_scale);
  for (guint i = 0; i < n; i++)
    {
      double value = eq->y[i];
      double v = isfinite (value) ? CLAMP (value, 0, 1) : 0;
      double py = cd_plot_y_to_px (plot, 0, n - 1 - i);
      double p0 = cd_plot_x_to_px (plot, 0), p1 = cd_plot_x_to_px (plot, v);
      g_autofree char *text = NULL;

      cairo_rectangle (cr, p0, py - bh / 2, MAX (p1 - p0, 1), bh);
      cd_color_set_source (cr, cd_palette_coordination (v, style));
      cairo_fill_preserve (cr);
      cd_color_set_source (cr, cd_color_with_alpha (cd_palette_foreground (style), 0.5));
      cairo_set_line_width (cr, 0.8 * style->line_scale);
      cairo_stroke (cr);
      if (!isfinite (value))
        continue;
      text = cd_render_format_value (value, 3);
      {
        double w = cd_render_text_width (cr, style, text, VALUE_FONT, FALSE);

        /* Inside the bar when it is long, so the value never leaves the
         * plot: in the colour that reads on the bar's fill. */
        if (p1 + 4 + w > cd_plot_x_to_px (plot, 1))
          cd_render_text (cr, style, text, VALUE_FONT, FALSE, p1 - 4, py, CD_ANCHOR_END,
                          CD_ANCHOR_CENTER,
                          cd_palette_text_on (cd_palette_coordination (v, style)), NULL);
        else
          cd_render_text (cr, style, text, VALUE_FONT, FALSE, p1 + 4, py, CD_ANCHOR_START,
                          CD_ANCHOR_CENTER, cd_palette_foreground (style), NULL);
      }
    }
}

/* ---- Sweep ---------------------------------------------------------------- */

typedef struct
{
  GArray  *x;
  GArray  *y;
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
branch_push (Branch *b,
             double  x,
             double  y)
{
  g_array_append_val (b->x, x);
  g_array_append_val (b->y, y);
}

static void
draw_sweep (cairo_t                *cr,
            int                     width,
            int                     height,
            const CdAnalysisFigure *figure,
            const CdRenderStyle    *style)
{
  GArray *points = figure->sweep->points;
  g_autoptr (GArray) branches = g_array_new (FALSE, FALSE, sizeof (Branch));
  g_autoptr (GArray) tips = g_array_new (FALSE, FALSE, sizeof (CdTippingPoint));
  g_autoptr (GPtrArray) tip_labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree CdBranch *out = NULL;
  g_autofree char *x_title = NULL;
  CdChartSpec chart = { 0 };
  double lo_value = G_MAXDOUBLE, hi_value = -G_MAXDOUBLE, half;
  guint first_all, n_values = 0;

  g_array_set_clear_func (branches, branch_clear);

  /* Up and down: a branch runs until the state tips (or loses stability),
   * and the point it lands on starts the next one. */
  for (int dir = CD_SWEEP_UP; dir <= CD_SWEEP_DOWN; dir++)
    {
      gboolean open = FALSE, open_stable = TRUE;
      for (guint i = 0; i < points->len; i++)
        {
          const CdSweepPoint *p = &g_array_index (points, CdSweepPoint, i);
          if ((int) p->direction != dir || !isfinite (p->value)
              || !isfinite (p->mean_coordination))
            continue;
          if (!open || p->tipping || p->stable != open_stable)
            {
              branch_add (branches, p->stable);
              open = TRUE;
              open_stable = p->stable;
            }
          branch_push (&g_array_index (branches, Branch, branches->len - 1), p->value,
                       p->mean_coordination);
          if (p->tipping)
            {
              CdTippingPoint tip = { p->value, p->mean_coordination, NULL };
              char value[32];
              g_snprintf (value, sizeof value, "%.3g", p->value);
              /* Translators: a tipping point met while the parameter rises
               * (↑) or falls (↓); %s is the parameter's value there */
              g_ptr_array_add (tip_labels, g_strdup_printf (dir == CD_SWEEP_UP
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

    for (guint i = 0; i < points->len; i++)
      {
        const CdSweepPoint *p = &g_array_index (points, CdSweepPoint, i);
        gpointer line;

        if (p->direction != CD_SWEEP_ALL || !isfinite (p->value)
            || !isfinite (p->mean_coordination))
          continue;
        if (!g_hash_table_lookup_extended (line_of, GUINT_TO_POINTER (p->branch), NULL, &line))
          {
            line = GUINT_TO_POINTER (branches->len);
            g_hash_table_insert (line_of, GUINT_TO_POINTER (p->branch), line);
            branch_add (branches, p->stable);
          }
        branch_push (&g_array_index (branches, Branch, GPOINTER_TO_UINT (line)), p->value,
                     p->mean_coordination);
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
          branch_push (br, x + half, y);
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
  /* Translators: the sweep's x axis: the parameter's label and its symbol */
  x_title = g_strdup_printf (_("%s (%s)"), param_label (figure->sweep->param),
                             cd_param_info (figure->sweep->param)->symbol);
  chart.title = title_of (figure, _("Equilibria along the sweep"));
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

static void
draw_tornado (cairo_t                *cr,
              int                     width,
              int                     height,
              const CdAnalysisFigure *figure,
              const CdRenderStyle    *style)
{
  const CdTornado *t = figure->tornado;
  gboolean loss = figure->outcome == CD_ANALYSIS_OUTCOME_LOSS;
  guint n = t->bars->len;
  g_autofree CdTornadoChartBar *bars = g_new0 (CdTornadoChartBar, n + 1);
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  CdChartSpec chart = { 0 };

  for (guint i = 0; i < n; i++)
    {
      const CdTornadoBar *b = &g_array_index (t->bars, CdTornadoBar, i);
      bars[i].label = param_label (b->param);
      bars[i].low = loss ? b->out_low.total_loss : b->out_low.final_mean;
      bars[i].high = loss ? b->out_high.total_loss : b->out_high.final_mean;
    }
  /* Translators: the tornado's legend; %g is the share of the parameter's
   * range it was moved by, in percent */
  low = g_strdup_printf (_("parameter −%g %% of its range"), round (t->delta * 1000) / 10);
  high = g_strdup_printf (_("parameter +%g %% of its range"), round (t->delta * 1000) / 10);
  chart.title = title_of (figure, loss ? _("Which lever moves the total loss")
                                       : _("Which lever moves final coordination"));
  chart.x_title = loss ? _("total loss at the end of the run")
                       : _("final mean coordination x̄ (0–1)");
  chart.show_legend = TRUE;
  /* The legend in rows of its own under the axes: in a corner it would
   * cover the widest bars, which are on top. */
  chart.legend_below = TRUE;
  /* cd_render_tornado ranks the bars itself (the engine's order is by the
   * swing of coordination, which the loss chart does not follow). */
  cd_render_tornado (cr, width, height, &chart, bars, n,
                     loss ? t->base.total_loss : t->base.final_mean, low, high, style);
}

static void
draw_sobol (cairo_t                *cr,
            int                     width,
            int                     height,
            const CdAnalysisFigure *figure,
            const CdRenderStyle    *style)
{
  const CdSobol *s = figure->sobol;
  gboolean loss = figure->outcome == CD_ANALYSIS_OUTCOME_LOSS;
  const double *first = loss ? s->first_loss : s->first_mean;
  const double *total = loss ? s->total_loss : s->total_mean;
  const double *first_conf = loss ? s->first_loss_conf : s->first_mean_conf;
  const double *total_conf = loss ? s->total_loss_conf : s->total_mean_conf;
  guint n = s->n_params;
  g_autoptr (CdPlot) plot = NULL;
  g_autofree const char **reversed = NULL;
  g_autofree char *title = NULL;
  CdColor first_c = cd_palette_series (0, style), total_c = cd_palette_series (1, style);
  double hi = 1.0, row;

  if (n == 0)
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }
  reversed = g_new0 (const char *, n);
  for (guint i = 0; i < n; i++)
    {
      reversed[n - 1 - i] = param_label (s->ranges[i].param);
      /* Estimators overshoot 1 with a small N; beyond 1.2 a bar is cut at
       * the edge and its label still gives the estimate. */
      if (isfinite (first[i]))
        hi = MAX (hi, MIN (first[i] + (first_conf ? first_conf[i] : 0), 1.2));
      if (isfinite (total[i]))
        hi = MAX (hi, MIN (total[i] + (total_conf ? total_conf[i] : 0), 1.2));
    }
  /* Translators: %u is the Sobol design's base sample size N, the second
   * the number of simulations it took */
  title = g_strdup_printf (loss ? _("Sobol indices of total loss (N = %u, %u runs)")
                                : _("Sobol indices of final coordination (N = %u, %u runs)"),
                           s->n_base, s->n_runs);
  plot = cd_plot_new (cr, 0, 0, width, height, style);
  cd_plot_set_title (plot, title_of (figure, title));
  cd_plot_set_x_title (plot, first_conf != NULL
                              /* xgettext:no-c-format */
                              ? _("share of the outcome's variance (0–1); whiskers: 95 % interval")
                              : _("share of the outcome's variance (0–1)"));
  cd_plot_set_x_range (plot, 0, hi, TRUE);
  cd_plot_set_y_categories (plot, reversed, n);
  /* under the axes: in a corner it would cover the top bars and their values */
  cd_plot_set_legend_below (plot, TRUE);
  cd_plot_add_legend (plot, _("first-order index Sᵢ (this lever alone)"), first_c,
                      CD_LEGEND_BOX, CD_LINE_SOLID);
  cd_plot_add_legend (plot, _("total index S_Tᵢ (with its interactions)"), total_c,
                      CD_LEGEND_BOX, CD_LINE_SOLID);
  cd_plot_draw_axes (plot);
  row = fabs (cd_plot_y_to_px (plot, 0, 0) - cd_plot_y_to_px (plot, 0, 1));
  for (guint i = 0; i < n; i++)
    {
      double py = cd_plot_y_to_px (plot, 0, n - 1 - i);
      double p0 = cd_plot_x_to_px (plot, 0);
      double bh = MIN (row * 0.36, 18 * style->line_scale);
      double v[2] = { first[i], total[i] };
      double conf[2] = { first_conf ? first_conf[i] : 0, total_conf ? total_conf[i] : 0 };
      CdColor c[2] = { first_c, total_c };

      for (int k = 0; k < 2; k++)
        {
          /* A slightly negative estimate is noise around 0: drawn as 0. */
          double x = isfinite (v[k]) ? CLAMP (v[k], 0, hi) : 0;
          double p1 = cd_plot_x_to_px (plot, x), end = p1;
          double top = k == 0 ? py - bh - 1 : py + 1;
          g_autofree char *text = NULL;

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
              double ax, ay, aw, ah, w, th;
              /* the pair's values, each centred on its bar, stand apart
               * even where bars are thinner than the type */
              double ty;

              /* "−0.01", never "-0.00" */
              text = cd_render_format_value (v[k], 2);
              cd_plot_get_area (plot, &ax, &ay, &aw, &ah);
              w = cd_render_text_width (cr, style, text, VALUE_FONT, FALSE);
              {
                PangoLayout *layout = cd_render_layout (cr, style, VALUE_FONT, FALSE);
                cd_render_layout_set (layout, text, NULL, &th);
                g_object_unref (layout);
              }
              ty = top + bh / 2 + (k == 0 ? -1 : 1) * MAX (0, (th - bh - 2) / 2 + 0.5);
              /* After the bar and its whisker; near the right edge, inside
               * the bar, on a backdrop (it may lie over the whisker). */
              if (end + 4 + w <= ax + aw)
                cd_render_text (cr, style, text, VALUE_FONT, FALSE, end + 4, ty,
                                CD_ANCHOR_START, CD_ANCHOR_CENTER, cd_palette_foreground (style),
                                NULL);
              else
                {
                  double tx = MIN (p1, ax + aw) - 4 - w;

                  cd_color_set_source (cr, cd_color_with_alpha (cd_palette_background (style),
                                                                0.85));
                  cairo_rectangle (cr, tx - 2, ty - th / 2, w + 4, th);
                  cairo_fill (cr);
                  cd_render_text (cr, style, text, VALUE_FONT, FALSE, tx, ty,
                                  CD_ANCHOR_START, CD_ANCHOR_CENTER,
                                  cd_palette_foreground (style), NULL);
                }
            }
        }
    }
  cd_plot_draw_legend (plot);
}

/* ---- Monte Carlo ---------------------------------------------------------- */

/* A note under a chart, across its width. */
static PangoLayout *
note_layout (cairo_t             *cr,
             const CdRenderStyle *style,
             int                  width,
             const char          *text)
{
  PangoLayout *layout = cd_render_layout (cr, style, VALUE_FONT, FALSE);
  double pad = 8 * style->font_scale;

  pango_layout_set_width (layout, (int) (MAX (width - 2 * pad, 1) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  cd_render_layout_set (layout, text, NULL, NULL);
  return layout;
}

static void
draw_montecarlo (cairo_t                *cr,
                 int                     width,
                 int                     height,
                 const CdAnalysisFigure *figure,
                 const CdRenderStyle    *style)
{
  const CdMonteCarlo *mc = figure->montecarlo;
  const CdModel *model = figure->model;
  gboolean loss = figure->outcome == CD_ANALYSIS_OUTCOME_LOSS;
  const double *bands = loss ? mc->band_loss : mc->band_mean;
  const double *base = loss ? mc->base_loss : mc->base_mean;
  CdColor color = loss ? cd_palette_event (style) : cd_palette_series (0, style);
  CdColor base_c = cd_palette_foreground (style);
  guint n = mc->n_times;
  g_autofree double *q = g_new0 (double, 5 * (gsize) n + 1);
  g_autofree char *title = NULL;
  g_autofree char *time_title = cd_plot_time_title (cd_render_time_unit (model));
  g_autofree char *note = NULL;
  g_autoptr (CdPlot) plot = NULL;
  double ylo = G_MAXDOUBLE, yhi = -G_MAXDOUBLE, height_left = height;

  for (guint k = 0; k < n; k++)
    for (guint b = 0; b < CD_MC_N_BANDS; b++)
      {
        double v = bands[(gsize) k * CD_MC_N_BANDS + b];
        q[(gsize) b * n + k] = isfinite (v) ? v : NAN;
        if (isfinite (v))
          {
            ylo = MIN (ylo, v);
            yhi = MAX (yhi, v);
          }
      }
  for (guint k = 0; base != NULL && k < n; k++)
    if (isfinite (base[k]))
      {
        ylo = MIN (ylo, base[k]);
        yhi = MAX (yhi, base[k]);
      }
  if (ylo > yhi)
    {
      cd_render_message (cr, width, height, _("No data to plot."), style);
      return;
    }

  /* A sampled range that leaves out its parameter's base value makes a band
   * that need not contain the base run: the figure says so under the plot,
   * where a reader of the figure alone will see it. */
  note = cd_montecarlo_excluded_note (mc);
  if (note != NULL)
    {
      PangoLayout *layout = note_layout (cr, style, width, note);
      double pad = 8 * style->font_scale, nh;

      cd_render_layout_set (layout, note, NULL, &nh);
      height_left = MAX (height - nh - pad, height * 0.5);
      cd_render_layout_draw (cr, layout, pad, height_left, CD_ANCHOR_START, CD_ANCHOR_START,
                             cd_palette_event (style));
      g_object_unref (layout);
    }

  /* Translators: %u is the number of Monte Carlo runs */
  title = g_strdup_printf (loss ? ngettext ("Cumulative loss over %u run",
                                            "Cumulative loss over %u runs", mc->n_runs)
                                : ngettext ("Mean coordination over %u run",
                                            "Mean coordination over %u runs", mc->n_runs),
                           mc->n_runs);
  plot = cd_plot_new (cr, 0, 0, width, height_left, style);
  cd_plot_set_title (plot, title_of (figure, title));
  cd_plot_set_x_title (plot, time_title);
  cd_plot_set_y_title (plot, loss ? _("cumulative loss") : _("mean coordination x̄ (0–1)"));
  cd_plot_set_x_range (plot, mc->t[0], n > 1 ? mc->t[n - 1] : mc->t[0] + 1, FALSE);
  if (loss)
    cd_plot_set_y_range (plot, ylo, yhi, TRUE);
  else
    cd_plot_set_y_range (plot, 0, 1, FALSE);
  cd_plot_add_legend (plot, _("5–95 % of runs"), cd_color_with_alpha (color, 0.2),
                      CD_LEGEND_BAND, CD_LINE_SOLID);
  cd_plot_add_legend (plot, _("25–75 % of runs"), cd_color_with_alpha (color, 0.45),
                      CD_LEGEND_BAND, CD_LINE_SOLID);
  cd_plot_add_legend (plot, _("median of runs"), color, CD_LEGEND_LINE, CD_LINE_SOLID);
  /* (the emergencies need no entry: each marker carries its name) */
  if (base != NULL)
    cd_plot_add_legend (plot, _("base run"), base_c, CD_LEGEND_LINE, CD_LINE_DASHED);
  cd_plot_draw_axes (plot);
  cd_plot_band (plot, 0, mc->t, q, q + 4 * (gsize) n, n, cd_color_with_alpha (color, 0.2));
  cd_plot_band (plot, 0, mc->t, q + (gsize) n, q + 3 * (gsize) n, n,
                cd_color_with_alpha (color, 0.4));
  cd_plot_line (plot, 0, mc->t, q + 2 * (gsize) n, 1, n, color, 2.5, CD_LINE_SOLID);
  if (base != NULL)
    cd_plot_line (plot, 0, mc->t, base, 1, n, base_c, 2.0, CD_LINE_DASHED);
  /* the emergencies over the data, so that no curve strikes through their
   * names (each on its backdrop) */
  for (guint e = 0; model != NULL && e < model->events->len; e++)
    {
      const CdEvent *ev = g_ptr_array_index (model->events, e);
      const char *name = cd_localized_lookup (ev->names, ev->name);
      cd_plot_marker (plot, ev->onset, (name && *name) ? name : _("emergency"),
                      cd_palette_event (style), CD_LINE_SOLID);
    }
  cd_plot_draw_legend (plot);
}

/* ---- Scenarios ------------------------------------------------------------ */

static void
draw_scenarios (cairo_t                *cr,
                int                     width,
                int                     height,
                const CdAnalysisFigure *figure,
                const CdRenderStyle    *style)
{
  guint k = figure->curves->len;
  g_autofree CdSeries *series = g_new0 (CdSeries, k + 1);
  g_autofree char *time_title = cd_plot_time_title (cd_render_time_unit (figure->model));
  CdChartSpec chart = { 0 };

  for (guint i = 0; i < k; i++)
    {
      const CdScenarioOutcome *so = g_ptr_array_index (figure->outcomes, i);
      const CdTrajectory *traj = g_ptr_array_index (figure->curves, i);

      series[i].label = cd_analysis_scenario_label (figure->model, so);
      series[i].x = traj->t;
      series[i].y = traj->mean_coordination;
      series[i].n = traj->n_samples;
      series[i].color = cd_palette_series (i, style);
      /* The base run is the reference: solid; scenarios dashed after the
       * first colour cycle so they stay apart without colour. */
      series[i].dash = i == 0 ? CD_LINE_SOLID : (i % 2 ? CD_LINE_SOLID : CD_LINE_DASHED);
      series[i].width = i == 0 ? 3 : 2;
    }
  chart.title = title_of (figure, _("Mean coordination by scenario"));
  chart.x_title = time_title;
  chart.y_title = _("mean coordination x̄ (0–1)");
  chart.fix_y = TRUE;
  chart.y_lo = 0;
  chart.y_hi = 1;
  chart.show_legend = TRUE;
  cd_render_line_chart (cr, width, height, &chart, series, k, style);
}

void
cd_render_analysis_figure (cairo_t                *cr,
                           int                     width,
                           int                     height,
                           const CdAnalysisFigure *figure,
                           const CdRenderStyle    *style)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (figure != NULL);

  style = cd_render_style_or_default (style);
  cd_render_fill_background (cr, width, height, style);
  if (!cd_analysis_figure_ready (figure))
    {
      cd_render_message (cr, width, height, _("No results to draw: run the analysis first."),
                         style);
      return;
    }
  switch (figure->kind)
    {
    case CD_ANALYSIS_FIGURE_EQUILIBRIUM:
      draw_equilibrium (cr, width, height, figure, style);
      break;
    case CD_ANALYSIS_FIGURE_SWEEP:
      draw_sweep (cr, width, height, figure, style);
      break;
    case CD_ANALYSIS_FIGURE_TORNADO:
      draw_tornado (cr, width, height, figure, style);
      break;
    case CD_ANALYSIS_FIGURE_SOBOL:
      draw_sobol (cr, width, height, figure, style);
      break;
    case CD_ANALYSIS_FIGURE_MONTECARLO:
      draw_montecarlo (cr, width, height, figure, style);
      break;
    case CD_ANALYSIS_FIGURE_SCENARIOS:
    default:
      draw_scenarios (cr, width, height, figure, style);
      break;
    }
}

void
cd_analysis_figure_size (const CdAnalysisFigure *figure,
                         CdFigurePreset          preset,
                         CdFigureSize           *size)
{
  g_return_if_fail (figure != NULL);
  g_return_if_fail (size != NULL);

  cd_figure_preset_size (preset, size);
  /* A bar per government or per parameter: in a column, rows that stay
   * readable, however many there are. */
  if (preset == CD_FIGURE_PRESET_COLUMN || preset == CD_FIGURE_PRESET_PAGE)
    {
      guint rows = 0;

      /* a row a little taller than the print style's type (8.4 pt ticks and
       * 7.7 pt values); a Sobol parameter has two bars and two values; and
       * room for the titles, the axis and the legend's rows */
      /* (beyond MAX_BAR_ROWS governments, a histogram: no rows) */
      if (figure->kind == CD_ANALYSIS_FIGURE_EQUILIBRIUM && figure->equilibria != NULL
          && cd_system_get_n_nodes (figure->equilibria->system) <= MAX_BAR_ROWS)
        rows = cd_system_get_n_nodes (figure->equilibria->system);
      else if (figure->kind == CD_ANALYSIS_FIGURE_TORNADO && figure->tornado != NULL)
        rows = figure->tornado->bars->len;
      else if (figure->kind == CD_ANALYSIS_FIGURE_SOBOL && figure->sobol != NULL)
        rows = figure->sobol->n_params * 2;
      if (rows > 0)
        size->height = MAX (size->height, (int) ceil (110 + rows * 12.0));
    }
  /* on a page, the note under a Monte Carlo chart comes on top of the
   * chart's height (a slide, or a size of one's own, is what it is) */
  if ((preset == CD_FIGURE_PRESET_COLUMN || preset == CD_FIGURE_PRESET_PAGE)
      && figure->kind == CD_ANALYSIS_FIGURE_MONTECARLO && figure->montecarlo != NULL)
    {
      g_autofree char *note = cd_montecarlo_excluded_note (figure->montecarlo);

      if (note != NULL)
        {
          cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                                     NULL);
          cairo_t *cr = cairo_create (surface);
          CdRenderStyle style;
          PangoLayout *layout;
          double h;

          cd_render_style_init (&style, size->style);
          layout = note_layout (cr, &style, size->width, note);
          cd_render_layout_set (layout, note, NULL, &h);
          size->height += (int) ceil (h + 8 * style.font_scale);
          g_object_unref (layout);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
        }
    }
  size->height = MIN (size->height, 20000);
}

typedef struct
{
  const CdAnalysisFigure *figure;
  CdRenderStyle           style;
} ExportJob;

static void
draw_job (cairo_t  *cr,
          int       width,
          int       height,
          gpointer  data)
{
  ExportJob *job = data;

  cd_render_analysis_figure (cr, width, height, job->figure, &job->style);
}

gboolean
cd_analysis_figure_export (const CdAnalysisFigure  *figure,
                           const CdFigureSize      *size,
                           CdExportFormat           format,
                           const char              *path,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  ExportJob job;

  g_return_val_if_fail (figure != NULL, FALSE);
  g_return_val_if_fail (size != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!cd_analysis_figure_ready (figure))
    {
      g_set_error (error, CD_EXPORT_ERROR, CD_EXPORT_ERROR_INVALID,
                   _("There is no chart to draw: the analysis has no results for it"));
      return FALSE;
    }
  job.figure = figure;
  cd_render_style_init (&job.style, size->style);
  return cd_export_to_file (format, path, size->width, size->height, size->scale, draw_job, &job,
                            cancellable, error);
}
