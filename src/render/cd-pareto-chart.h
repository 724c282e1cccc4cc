/* cd-pareto-chart.h — policy design's chart: the Pareto front of cost
 * against the objective (cd-analysis-optimize.h).
 *
 * Cost runs across, the objective up (total loss or final mean
 * coordination); the nondominated mixes are points joined as steps (the
 * best outcome a budget buys is that of the dearest mix it affords, so the
 * front is flat between two mixes and rises at the dearer one).  A target
 * is a dashed line when the chart shows coordination, and its cheapest mix
 * is ringed either way.  The app's Policy design page and `coordyn-cli
 * optimize --figure` draw it with this call, so the two are the same.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cd-analysis-optimize.h"
#include "cd-export.h"
#include "cd-figure.h"
#include "cd-palette.h"

G_BEGIN_DECLS

typedef struct
{
  const CdOptimize *optimize;
  gboolean          show_title;
  int               selected;      /* a front row drawn as chosen, or −1 */
} CdParetoChart;

void     cd_pareto_chart_init   (CdParetoChart       *chart,
                                 const CdOptimize    *optimize);

/* Draws the chart over (0, 0, width, height), background included. */
void     cd_render_pareto_chart (cairo_t             *cr,
                                 int                  width,
                                 int                  height,
                                 const CdParetoChart *chart,
                                 const CdRenderStyle *style);

/* The front row whose point is nearest (x, y) of a chart drawn at that
 * size and style, within `radius` pixels; −1 when none is. */
int      cd_pareto_chart_hit    (int                  width,
                                 int                  height,
                                 const CdParetoChart *chart,
                                 const CdRenderStyle *style,
                                 double               x,
                                 double               y,
                                 double               radius);

/* Writes the chart at `size` to path, atomically (cd_export_to_file). */
gboolean cd_pareto_chart_export (const CdParetoChart *chart,
                                 const CdFigureSize  *size,
                                 CdExportFormat       format,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GError             **error);

G_END_DECLS
