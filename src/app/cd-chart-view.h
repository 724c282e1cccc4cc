/* cd-chart-view.h — a widget that shows any chart drawn by a render callback,
 * with an export button (PNG, SVG or PDF) in its corner.
 *
 * The analysis page has many charts that differ only in what they draw, so
 * one widget holds the callback and does the rest: the desktop's light or
 * dark style, a placeholder before there is anything to draw, and export
 * through the same callback so a figure on file is the figure on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-palette.h"

G_BEGIN_DECLS

/* Draws the chart over (0, 0, width, height) in the given style. */
typedef void (*CdChartDrawFunc) (cairo_t             *cr,
                                 int                  width,
                                 int                  height,
                                 const CdRenderStyle *style,
                                 gpointer             user_data);

#define CD_TYPE_CHART_VIEW (cd_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (CdChartView, cd_chart_view, CD, CHART_VIEW, GtkWidget)

GtkWidget *cd_chart_view_new            (void);

void       cd_chart_view_set_draw_func  (CdChartView     *self,
                                         CdChartDrawFunc  draw,
                                         gpointer         user_data,
                                         GDestroyNotify   destroy);
/* Whether there is something to draw; until then the placeholder shows. */
void       cd_chart_view_set_ready      (CdChartView     *self,
                                         gboolean         ready);
gboolean   cd_chart_view_get_ready      (CdChartView     *self);
void       cd_chart_view_set_placeholder (CdChartView    *self,
                                          const char     *text);
/* The stem of the file name the export dialog suggests ("sweep"). */
void       cd_chart_view_set_file_stem  (CdChartView     *self,
                                         const char      *stem);

/* Writes the chart to path; the format comes from its extension (.png,
 * .svg, .pdf).  Files use the light style whatever the desktop's, since
 * they end up on paper and slides. */
gboolean   cd_chart_view_export_to_file (CdChartView     *self,
                                         const char      *path,
                                         GError         **error);
/* The same at a given size (logical units), PNG scale and style: a figure
 * preset's (cd_figure_preset_size, cd_analysis_figure_size). */
gboolean   cd_chart_view_export_sized   (CdChartView     *self,
                                         const char      *path,
                                         int              width,
                                         int              height,
                                         double           scale,
                                         CdStylePreset    style,
                                         GError         **error);
/* Asks for a file with a native dialog, then exports. */
void       cd_chart_view_export         (CdChartView     *self);

/* For tests only: how many times the chart was drawn with data. */
guint      cd_chart_view_get_n_draws    (CdChartView     *self);

G_END_DECLS
