/* cd-analysis-view.h — the Analysis page: equilibria, sweeps with tipping
 * points, sensitivity, Monte Carlo, scenario comparison, network metrics.
 *
 * Each analysis runs in a worker thread on a copy of the document's model,
 * with a progress bar and a Cancel button; a new request cancels the one
 * running, so the page never freezes and never shows a stale answer as
 * new.  Results stay on screen after the model changes, with a note that
 * they are from an earlier version of it.
 *
 * Actions (group "analysis"): run (s: equilibria, sweep, sensitivity,
 * montecarlo, scenarios, metrics), cancel, export-csv (s).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-chart-view.h"
#include "cd-document.h"

G_BEGIN_DECLS

#define CD_TYPE_ANALYSIS_VIEW (cd_analysis_view_get_type ())
G_DECLARE_FINAL_TYPE (CdAnalysisView, cd_analysis_view, CD, ANALYSIS_VIEW, AdwBin)

GtkWidget   *cd_analysis_view_new          (CdDocument     *document);

/* Starts an analysis by name with the settings on screen; FALSE for an
 * unknown name. */
gboolean     cd_analysis_view_run          (CdAnalysisView *self,
                                            const char     *name);
void         cd_analysis_view_cancel       (CdAnalysisView *self);
/* Shows the Experiments page and returns it (a CdExperimentView). */
GtkWidget   *cd_analysis_view_show_experiments (CdAnalysisView *self);
/* Writes the results of analysis `name` as CSV (sensitivity with Sobol and
 * Monte Carlo with bands write a second file beside it, "-sobol" and
 * "-bands" before the extension). */
gboolean     cd_analysis_view_save_csv     (CdAnalysisView *self,
                                            const char     *name,
                                            const char     *path,
                                            GError        **error);

/* For tests only. */
gboolean     cd_analysis_view_get_running  (CdAnalysisView *self);
guint        cd_analysis_view_get_n_finished (CdAnalysisView *self);
/* The running analysis's progress, 0–1 (multi-stage ones in their stages'
 * shares); −1 when none runs or it reports no progress. */
double       cd_analysis_view_get_progress (CdAnalysisView *self);
const char  *cd_analysis_view_get_status   (CdAnalysisView *self);
/* Rows, points or bars of the last result of `name`; 0 without one. */
guint        cd_analysis_view_get_n_results (CdAnalysisView *self,
                                             const char     *name);
/* Charts: eq, sweep, tornado-mean, tornado-loss, sobol-mean, sobol-loss,
 * fan-mean, fan-loss, scenarios.  Tables: equilibria, scenarios, metrics.
 * Controls: eq-at, sweep-param, sweep-from, sweep-to, sweep-steps,
 * sweep-all, sens-delta, sens-sobol, sens-n, mc-runs, mc-seed, mc-threads. */
CdChartView *cd_analysis_view_get_chart    (CdAnalysisView *self,
                                            const char     *name);
GtkColumnView *cd_analysis_view_get_table  (CdAnalysisView *self,
                                            const char     *name);
GtkWidget   *cd_analysis_view_get_control  (CdAnalysisView *self,
                                            const char     *name);

G_END_DECLS
