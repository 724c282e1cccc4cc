/* cd-experiment-view.h — the Experiments page of the Analysis view: a
 * BehaviorSpace-style full factorial on the open model (up to three
 * parameters on a from/to grid, under any of its scenarios) or from a spec
 * file, run in the background with progress and Cancel, its results as a
 * heat map over two parameters or lines over one, in small multiples, and
 * exported as the spec and the CSV that coordyn-cli experiment reads and
 * writes (docs/experiments.md), so a study set up here runs on a cluster.
 *
 * Actions (group "experiment"): run, cancel, open-spec, export-spec,
 * export-csv, clear-spec.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-chart-view.h"
#include "cd-document.h"

G_BEGIN_DECLS

/* Parameters the grid varies at most (a spec may vary more). */
#define CD_EXPERIMENT_VIEW_ROWS 3
/* Runs the page keeps in memory at most; larger studies are for the CLI. */
#define CD_EXPERIMENT_VIEW_MAX_RUNS 1000000u

#define CD_TYPE_EXPERIMENT_VIEW (cd_experiment_view_get_type ())
G_DECLARE_FINAL_TYPE (CdExperimentView, cd_experiment_view, CD, EXPERIMENT_VIEW, AdwBin)

GtkWidget   *cd_experiment_view_new        (CdDocument       *document);

/* Sets row `row` of the grid: param −1 leaves it unused. */
void         cd_experiment_view_set_vary   (CdExperimentView *self,
                                            guint             row,
                                            int               param,
                                            double            from,
                                            double            to,
                                            guint             steps);
/* Ticks the model itself (−1) or scenario `index`. */
void         cd_experiment_view_set_scenario (CdExperimentView *self,
                                              int               index,
                                              gboolean          ticked);
/* The runs the settings on screen ask for (0 when they ask for nothing). */
guint64      cd_experiment_view_get_n_planned (CdExperimentView *self);

/* Starts the experiment on screen; FALSE (with the reason on the status
 * line) when the settings cannot run. */
gboolean     cd_experiment_view_run        (CdExperimentView *self);
void         cd_experiment_view_cancel     (CdExperimentView *self);

/* Uses a spec file instead of the grid; NULL goes back to the grid. */
gboolean     cd_experiment_view_load_spec  (CdExperimentView *self,
                                            const char       *path,
                                            GError          **error);
/* The experiment on screen as a spec at path, naming the model relative to
 * it; the open model must be saved (the spec names its file). */
gboolean     cd_experiment_view_save_spec  (CdExperimentView *self,
                                            const char       *path,
                                            GError          **error);
/* The last results, as coordyn-cli experiment writes them. */
gboolean     cd_experiment_view_save_csv   (CdExperimentView *self,
                                            const char       *path,
                                            GError          **error);

/* For tests only. */
gboolean     cd_experiment_view_get_running  (CdExperimentView *self);
guint        cd_experiment_view_get_n_finished (CdExperimentView *self);
guint64      cd_experiment_view_get_n_results (CdExperimentView *self);
const char  *cd_experiment_view_get_status   (CdExperimentView *self);
CdChartView *cd_experiment_view_get_chart    (CdExperimentView *self);
/* "output" or "kind": the chart's choices. */
GtkDropDown *cd_experiment_view_get_choice   (CdExperimentView *self,
                                              const char       *name);

G_END_DECLS
