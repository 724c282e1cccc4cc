/* cd-plot.h — a small plotting toolkit and the charts built on it.
 *
 * Every chart in Coordyn (time series, sweeps, tornado, bifurcation, fan)
 * goes through CdPlot so they share tick rules (1-2-5 steps), fonts,
 * colours, legends and markers.  The chart renderers take plain arrays, so
 * analysis results can be drawn without this library knowing their structs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-model.h"
#include "cd-palette.h"
#include "cd-simulate.h"

G_BEGIN_DECLS

/* ---- Ticks -------------------------------------------------------------- */

/* "Nice" tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, about
 * `target` of them (at least 2 are returned).  out_lo and out_hi, when not
 * NULL, receive the range widened outward to whole steps.  A degenerate or
 * non-finite range is widened first.  Returns a GArray of double. */
GArray *cd_plot_nice_ticks   (double  lo,
                              double  hi,
                              guint   target,
                              double *out_lo,
                              double *out_hi);
/* The tick label for `value` with a step of `step`: just enough decimals,
 * "−" for minus, no "-0". */
char   *cd_plot_format_tick  (double  value,
                              double  step);

/* The title of a time axis: "time (days)" for the unit "days", "time"
 * when unit is NULL or empty.  The caller frees it. */
char   *cd_plot_time_title   (const char *unit);

/* ---- The plot object ---------------------------------------------------- */

typedef struct _CdPlot CdPlot;

/* A plot area inside (x, y, width, height) of cr; axes, titles and the
 * legend are laid out within it.  The plot keeps a reference to cr. */
CdPlot *cd_plot_new           (cairo_t             *cr,
                               double               x,
                               double               y,
                               double               width,
                               double               height,
                               const CdRenderStyle *style);
void    cd_plot_free          (CdPlot              *plot);

void    cd_plot_set_title     (CdPlot     *plot,
                               const char *title);
/* Data ranges; `nice` widens them to whole tick steps.  A secondary y axis
 * (right side) is used only once its range is set. */
void    cd_plot_set_x_range   (CdPlot *plot, double lo, double hi, gboolean nice);
void    cd_plot_set_y_range   (CdPlot *plot, double lo, double hi, gboolean nice);
void    cd_plot_set_y2_range  (CdPlot *plot, double lo, double hi, gboolean nice);
void    cd_plot_set_x_title   (CdPlot *plot, const char *title);
void    cd_plot_set_y_title   (CdPlot *plot, const char *title);
void    cd_plot_set_y2_title  (CdPlot *plot, const char *title);
/* Category labels on the y axis instead of numbers (bar charts): label i
 * sits at y = i. */
void    cd_plot_set_y_categories (CdPlot *plot, const char * const *labels, guint n);

/* Lays out the frame (measures tick labels and titles) and draws grid,
 * axes, ticks, titles.  Call after the ranges, before the series. */
void    cd_plot_draw_axes     (CdPlot *plot);

/* Data → pixels, after cd_plot_draw_axes. axis 0: left, 1: right. */
double  cd_plot_x_to_px       (const CdPlot *plot, double x);
double  cd_plot_y_to_px       (const CdPlot *plot, int axis, double y);
double  cd_plot_px_to_x       (const CdPlot *plot, double px);
/* The data area in pixels. */
void    cd_plot_get_area      (const CdPlot *plot, double *x, double *y, double *w, double *h);

typedef enum
{
  CD_LINE_SOLID,
  CD_LINE_DASHED,
  CD_LINE_DOTTED,
} CdLineDash;

/* A polyline; non-finite points break the line rather than being drawn. */
void    cd_plot_line          (CdPlot        *plot,
                               int            axis,
                               const double  *x,
                               const double  *y,
                               gsize          stride,  /* of y, in doubles; 0 or 1: packed */
                               guint          n,
                               CdColor        color,
                               double         width,
                               CdLineDash     dash);
/* The area between lo and hi (quantile fans, uncertainty bands). */
void    cd_plot_band          (CdPlot        *plot,
                               int            axis,
                               const double  *x,
                               const double  *lo,
                               const double  *hi,
                               guint          n,
                               CdColor        color);
/* Dots of radius r px (bifurcation points). */
void    cd_plot_points        (CdPlot        *plot,
                               const double  *x,
                               const double  *y,
                               guint          n,
                               CdColor        color,
                               double         r);
/* A vertical line at x with a label at its top (an event onset, an
 * intervention).  Labels that would collide are staggered. */
void    cd_plot_marker        (CdPlot        *plot,
                               double         x,
                               const char    *label,
                               CdColor        color,
                               CdLineDash     dash);
/* The current-time cursor, with its value printed on the x axis. */
void    cd_plot_cursor        (CdPlot        *plot,
                               double         x);

/* Legend entries are collected and drawn by cd_plot_draw_legend, in the
 * corner where the data leave the most room. */
typedef enum
{
  CD_LEGEND_LINE,
  CD_LEGEND_BAND,
  CD_LEGEND_POINT,
  CD_LEGEND_BOX,
} CdLegendKind;

/* The legend in rows of its own under the axes rather than in a corner
 * of the data (always so in a paper style).  Its entries must then be
 * added before cd_plot_draw_axes, which keeps their room. */
void    cd_plot_set_legend_below (CdPlot    *plot,
                                  gboolean   below);
void    cd_plot_add_legend    (CdPlot       *plot,
                               const char   *label,
                               CdColor       color,
                               CdLegendKind  kind,
                               CdLineDash    dash);
void    cd_plot_draw_legend   (CdPlot       *plot);
/* For tests: between begin and end, in the calling thread, the last
 * legend drawn in a corner of its data (x, y, w, h in legend) and the
 * points (x, y pairs, px) of the data it was placed among, appended to
 * points if not NULL.  Returns whether such a legend was drawn. */
void     cd_plot_probe_begin  (void);
gboolean cd_plot_probe_end    (double        legend[4],
                               GArray       *points);

/* Index of the sample whose x is nearest to `value` in the ascending array
 * x[0..n), for hover read-outs.  n must be > 0. */
guint   cd_plot_nearest_index (const double *x,
                               guint         n,
                               double        value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdPlot, cd_plot_free)

/* ---- Time series of a run ----------------------------------------------- */

typedef enum
{
  CD_TIMESERIES_MEAN_AND_LOSS,   /* x̄ (left axis) and cumulative loss (right axis) */
  CD_TIMESERIES_NODES,           /* x of the chosen governments */
  CD_TIMESERIES_FORCES,          /* the four forces and net of one government */
  CD_TIMESERIES_TRUST,           /* trust of the chosen partnerships */
} CdTimeseriesKind;

typedef struct
{
  CdTimeseriesKind kind;
  const guint     *nodes;           /* NODES: node indices; FORCES: nodes[0] */
  guint            n_nodes;
  const guint     *partnerships;    /* TRUST: partnership indices (file order) */
  guint            n_partnerships;
  gboolean         show_events;     /* onset markers for emergencies */
  gboolean         show_interventions;
  gboolean         show_legend;
  gboolean         show_title;
} CdTimeseriesSpec;

void    cd_timeseries_spec_init (CdTimeseriesSpec *spec, CdTimeseriesKind kind);

/* Draws the chart over (0, 0, width, height).  cursor_t < 0 hides the
 * cursor.  Missing data (no forces or trust in traj, a bad index) draws a
 * message saying what to run, never garbage. */
void    cd_render_timeseries  (cairo_t                *cr,
                               int                     width,
                               int                     height,
                               const CdModel          *model,
                               const CdTrajectory     *traj,
                               const CdTimeseriesSpec *spec,
                               double                  cursor_t,
                               const CdRenderStyle    *style);

/* The time under pixel column px for the chart cd_render_timeseries draws
 * at this size (clamped to the run), for hover read-outs and scrubbing. */
double  cd_timeseries_time_at (int                     width,
                               int                     height,
                               const CdModel          *model,
                               const CdTrajectory     *traj,
                               const CdTimeseriesSpec *spec,
                               const CdRenderStyle    *style,
                               double                  px);

/* ---- Generic charts ----------------------------------------------------- */

typedef struct
{
  const char *title;      /* may be NULL */
  const char *x_title;    /* with units, e.g. "time" */
  const char *y_title;
  const char *y2_title;   /* secondary axis, used by series with axis 1 */
  gboolean    fix_y;      /* use y_lo..y_hi instead of the data's range */
  double      y_lo, y_hi;
  gboolean    show_legend;
  gboolean    legend_below;  /* the legend in rows under the axes, never over the data
                              * (always so in a paper style) */
} CdChartSpec;

typedef struct
{
  const char    *label;    /* legend text; NULL: not in the legend */
  const double  *x;
  const double  *y;        /* or the band's lower edge */
  const double  *y_hi;     /* non-NULL: a band between y and y_hi */
  guint          n;
  CdColor        color;
  CdLineDash     dash;
  double         width;    /* px before style scaling; 0: 2 */
  int            axis;     /* 0 left, 1 right */
} CdSeries;

void cd_render_line_chart     (cairo_t             *cr,
                               int                  width,
                               int                  height,
                               const CdChartSpec   *chart,
                               const CdSeries      *series,
                               guint                n_series,
                               const CdRenderStyle *style);

/* Tornado chart of a one-at-a-time sensitivity analysis: one bar per
 * parameter from the output at −δ to the output at +δ around `base`,
 * ranked by swing (widest on top), −δ and +δ in two colours. */
typedef struct
{
  const char *label;
  double      low;         /* output with the parameter at −δ */
  double      high;        /* output with the parameter at +δ */
} CdTornadoChartBar;

void cd_render_tornado        (cairo_t             *cr,
                               int                  width,
                               int                  height,
                               const CdChartSpec   *chart,   /* x_title: the output */
                               const CdTornadoChartBar  *bars,
                               guint                n_bars,
                               double               base,
                               const char          *low_label,   /* e.g. "−10 %" */
                               const char          *high_label,
                               const CdRenderStyle *style);

/* Bifurcation diagram: equilibrium branches over a parameter, stable ones
 * solid, unstable dashed, tipping points (folds) marked and labelled. */
typedef struct
{
  const double *x;
  const double *y;
  guint         n;
  gboolean      stable;
} CdBranch;

typedef struct
{
  double      x;
  double      y;
  const char *label;       /* may be NULL */
} CdTippingPoint;

void cd_render_bifurcation    (cairo_t              *cr,
                               int                   width,
                               int                   height,
                               const CdChartSpec    *chart,
                               const CdBranch       *branches,
                               guint                 n_branches,
                               const CdTippingPoint *tips,
                               guint                 n_tips,
                               const CdRenderStyle  *style);

/* Fan chart of a Monte Carlo run: 5–95 % and 25–75 % bands and the median.
 * q05 … q95 are n values each at times t. */
void cd_render_fan_chart      (cairo_t             *cr,
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
                               const CdRenderStyle *style);

G_END_DECLS
