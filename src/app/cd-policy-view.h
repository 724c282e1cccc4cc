/* cd-policy-view.h — the Policy design page of the Analysis view: the
 * cheapest mix of policy levers (cd-analysis-optimize.h).  Up to three
 * levers, each a parameter with a cost per unit and a top; the objective
 * (total loss or final mean coordination) and optionally a target
 * coordination.  The search runs in the background with progress and
 * Cancel; the Pareto chart (cd-pareto-chart.h, the one coordyn-cli
 * optimize --figure draws) shows the front, a click on a point chooses its
 * mix, and the mix is applied as a new scenario in one undoable step.
 *
 * Actions (group "policy"): run, cancel, apply, export-csv.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cd-analysis-optimize.h"
#include "cd-chart-view.h"
#include "cd-document.h"

G_BEGIN_DECLS

/* Levers the page offers (the engine takes up to CD_OPTIMIZE_MAX_LEVERS;
 * the CLI is there for more). */
#define CD_POLICY_VIEW_ROWS 3

#define CD_TYPE_POLICY_VIEW (cd_policy_view_get_type ())
G_DECLARE_FINAL_TYPE (CdPolicyView, cd_policy_view, CD, POLICY_VIEW, AdwBin)

GtkWidget   *cd_policy_view_new          (CdDocument   *document);

/* Sets lever row `row`: param −1 leaves it unused; max NAN: the top of
 * the parameter's range. */
void         cd_policy_view_set_lever    (CdPolicyView *self,
                                          guint         row,
                                          int           param,
                                          double        cost,
                                          double        max);
/* objective: 0 total loss, 1 final mean coordination; target NAN: none. */
void         cd_policy_view_set_objective (CdPolicyView *self,
                                           guint         objective,
                                           double        target);

/* Starts from the model itself (−1) or scenario `scenario`. */
void         cd_policy_view_set_scenario (CdPolicyView *self,
                                          int           scenario);
/* Starts the search on screen; FALSE (with the reason on the status line)
 * when the settings cannot run. */
gboolean     cd_policy_view_run          (CdPolicyView *self);
void         cd_policy_view_cancel       (CdPolicyView *self);
/* Chooses front row `row` (as a click on its point does); −1: none. */
void         cd_policy_view_select       (CdPolicyView *self,
                                          int           row);
/* Adds the chosen mix to the model as a new scenario. */
gboolean     cd_policy_view_apply        (CdPolicyView *self);
/* The front as coordyn-cli optimize writes it, atomically. */
gboolean     cd_policy_view_save_csv     (CdPolicyView *self,
                                          const char   *path,
                                          GError      **error);

/* For tests only. */
gboolean     cd_policy_view_get_running  (CdPolicyView *self);
guint        cd_policy_view_get_n_finished (CdPolicyView *self);
/* The last front, or NULL. */
const CdOptimize *cd_policy_view_get_result (CdPolicyView *self);
int          cd_policy_view_get_selected (CdPolicyView *self);
const char  *cd_policy_view_get_status   (CdPolicyView *self);
const char  *cd_policy_view_get_mix_text (CdPolicyView *self);
CdChartView *cd_policy_view_get_chart    (CdPolicyView *self);
/* The front row at (x, y) of the chart widget, or −1. */
int          cd_policy_view_hit          (CdPolicyView *self,
                                          double        x,
                                          double        y);

G_END_DECLS
