/* cd-analysis-charts.h — the analysis page's charts, from plain arrays.
 *
 * The render library draws bifurcation diagrams, tornadoes and fans from
 * its own structs; this turns analysis results (passed as plain arrays, so
 * this header needs neither the engine's analysis headers nor cd-plot.h,
 * whose CdTornadoBar names the engine's type too) into those charts, and
 * draws those the library does not have: bars of x per government (or
 * their histogram when there are too many for bars) and paired Sobol
 * bars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-palette.h"

G_BEGIN_DECLS

/* Horizontal bars of coordination x in [0, 1], one per government, filled
 * with the coordination ramp the canvas uses. */
void cd_analysis_draw_node_bars (cairo_t             *cr,
                                 int                  width,
                                 int                  height,
                                 const char          *title,
                                 const char * const  *labels,
                                 const double        *values,
                                 guint                n,
                                 const CdRenderStyle *style);

/* For more governments than bars fit: how many governments coordinate how
 * much, in bins of 0.05 filled with the same ramp, each bin's count above
 * it and the mean marked. */
void cd_analysis_draw_node_histogram (cairo_t             *cr,
                                      int                  width,
                                      int                  height,
                                      const char          *title,
                                      const double        *values,
                                      guint                n,
                                      const CdRenderStyle *style);

typedef enum
{
  CD_SWEEP_CHART_UP,
  CD_SWEEP_CHART_DOWN,
  CD_SWEEP_CHART_ALL,
} CdSweepChartDirection;

typedef struct
{
  double                value;
  CdSweepChartDirection direction;
  double                mean;
  gboolean              stable;
  gboolean              tipping;
  guint                 branch;    /* CdSweepPoint.branch */
} CdSweepChartPoint;

/* Bifurcation diagram: the up and down continuations as stable branches
 * (broken where they tip), the multi-start search's unstable equilibria
 * as dashed branches, tipping points circled and labelled with their
 * parameter value.  x_title names the parameter. */
void cd_analysis_draw_sweep     (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const char              *x_title,
                                 const CdSweepChartPoint *points,
                                 guint                    n,
                                 const CdRenderStyle     *style);

typedef struct
{
  const char *label;
  double      low;
  double      high;
} CdTornadoChartBar;

void cd_analysis_draw_tornado   (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const char              *title,
                                 const char              *x_title,
                                 const CdTornadoChartBar *bars,
                                 guint                    n,
                                 double                   base,
                                 double                   delta,
                                 const CdRenderStyle     *style);

/* First-order and total Sobol indices side by side per parameter, with
 * the half-widths of their 95 % intervals as whiskers when given. */
void cd_analysis_draw_sobol     (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const char              *title,
                                 const char * const      *labels,
                                 const double            *first,
                                 const double            *total,
                                 const double            *first_conf,  /* or NULL */
                                 const double            *total_conf,  /* or NULL */
                                 guint                    n,
                                 const CdRenderStyle     *style);

/* Fan of quantile bands over time: bands holds n × 5 values (5, 25, 50,
 * 75, 95 % at each time). */
void cd_analysis_draw_fan       (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const char              *title,
                                 const char              *y_title,
                                 const double            *t,
                                 const double            *bands,
                                 guint                    n,
                                 gboolean                 unit_range,
                                 CdColor                  color,
                                 const CdRenderStyle     *style);

/* Overlaid curves (scenarios), each with its legend label. */
void cd_analysis_draw_curves    (cairo_t                 *cr,
                                 int                      width,
                                 int                      height,
                                 const char              *title,
                                 const char              *y_title,
                                 const char * const      *labels,
                                 const double * const    *t,
                                 const double * const    *y,
                                 const guint             *n,
                                 guint                    n_curves,
                                 const CdRenderStyle     *style);

G_END_DECLS
