/* cd-grid-chart.h — an experiment's results as small multiples: a heat map
 * of an output over two varied parameters, or its lines over one (a line
 * per value of the second), one panel per scenario and per combination of
 * any further parameters.
 *
 * From plain arrays, like every chart here, so the app and a headless
 * export draw the same figure without this library knowing the engine's
 * experiment struct.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "cd-palette.h"

G_BEGIN_DECLS

typedef enum
{
  CD_GRID_CHART_HEATMAP,   /* cells over x × y, coloured by value, with a colour bar */
  CD_GRID_CHART_LINES,     /* value over x, one line per y */
} CdGridChartKind;

typedef struct
{
  const char   *title;     /* what the panel holds fixed ("institution, thrust.info = 1"); may be NULL */
  const double *values;    /* n_x × n_y: the value at x[i], y[j] is values[j · n_x + i]; NaN: none */
} CdGridPanel;

typedef struct
{
  CdGridChartKind    kind;
  const char        *title;        /* may be NULL */
  const char        *x_title;      /* the first varied parameter */
  const double      *x;            /* n_x values, in any order */
  guint              n_x;
  const char        *y_title;      /* the second (NULL, and n_y 1, when there is one) */
  const double      *y;            /* n_y values, in any order */
  guint              n_y;
  const char        *value_title;  /* the output */
  gboolean           fix_range;    /* colour or y axis over [lo, hi], not the data's range */
  double             lo;
  double             hi;
  const CdGridPanel *panels;
  guint              n_panels;
  const char        *note;         /* under the panels ("the first 12 of 30 panels"); may be NULL */
} CdGridChart;

/* Draws the chart over (0, 0, width, height).  Without panels or values it
 * draws a message saying so. */
void cd_render_grid_chart (cairo_t             *cr,
                           int                  width,
                           int                  height,
                           const CdGridChart   *chart,
                           const CdRenderStyle *style);

G_END_DECLS
