/* cd-timeseries-view.h — the time-series chart of a run, with a hover
 * read-out and click/drag scrubbing of the shared time cursor.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cd-plot.h"
#include "cd-runner.h"

G_BEGIN_DECLS

#define CD_TYPE_TIMESERIES_VIEW (cd_timeseries_view_get_type ())
G_DECLARE_FINAL_TYPE (CdTimeseriesView, cd_timeseries_view, CD, TIMESERIES_VIEW, GtkWidget)

GtkWidget *cd_timeseries_view_new         (void);
void       cd_timeseries_view_set_run     (CdTimeseriesView *self,
                                           CdRun            *run);
void       cd_timeseries_view_set_kind    (CdTimeseriesView *self,
                                           CdTimeseriesKind  kind);
/* Governments (indices into the run's model) for NODES and FORCES, and
 * partnerships (indices among partnerships, file order) for TRUST. */
void       cd_timeseries_view_set_nodes   (CdTimeseriesView *self,
                                           const guint      *nodes,
                                           guint             n);
void       cd_timeseries_view_set_partnerships (CdTimeseriesView *self,
                                                const guint      *pairs,
                                                guint             n);
void       cd_timeseries_view_set_cursor  (CdTimeseriesView *self,
                                           double            t);

/* The chart's time axis as px = offset + scale · t, so strips drawn above
 * it (the timeline) line up; FALSE before there is a run to draw. */
gboolean   cd_timeseries_view_get_time_axis (CdTimeseriesView *self,
                                             double           *offset,
                                             double           *scale);

/* For tests only: the trajectory the chart is drawing, or NULL. */
const CdTrajectory *cd_timeseries_view_get_trajectory (CdTimeseriesView *self);
/* For tests that check what a person sees: draws the chart as shown and
 * gives its legend's box (x, y, w, h in widget coordinates) and the
 * curves' points it was placed among (x, y pairs, appended to points);
 * FALSE when no legend is drawn over the data (none, or in rows below). */
gboolean   cd_timeseries_view_measure_legend (CdTimeseriesView *self,
                                              double            legend[4],
                                              GArray           *points);

G_END_DECLS
