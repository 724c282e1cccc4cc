/* cd-analysis-view-private.h — what the Analysis page's files share: the
 * analyses, a job (a request and its results), the view's fields, and what
 * each pane's file provides.
 *
 * cd-analysis-view.c runs the jobs and owns the page; each pane has a file
 * of its own, cd-analysis-view-<pane>.c, with its charts' draw functions
 * and show_<pane>, which puts a job's results on screen.  A pane to come
 * adds a kind, its file and its lines in show_results and setup_charts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gi18n.h>

#include "cd-analysis-compare.h"
#include "cd-analysis-equilibria.h"
#include "cd-analysis-metrics.h"
#include "cd-analysis-montecarlo.h"
#include "cd-analysis-sensitivity.h"
#include "cd-analysis-sweep.h"
#include "cd-analysis-view.h"
#include "cd-run-bar.h"
#include "cd-worker.h"

/* Monte Carlo on a model without "ranges": each parameter uniform within
 * this fraction of its range around its value, as the sensitivity page's
 * default δ. */
#define MC_DEFAULT_DELTA 0.1

G_BEGIN_DECLS

typedef enum
{
  KIND_EQUILIBRIA,
  KIND_SWEEP,
  KIND_SENSITIVITY,
  KIND_MONTECARLO,
  KIND_SCENARIOS,
  KIND_METRICS,
  N_KINDS
} Kind;

/* A request and, once done, its results.  Reference counted (g_atomic_rc_box):
 * the worker holds one reference, the view one while it runs and one while
 * it shows the results. */
typedef struct
{
  Kind      kind;
  CdModel  *model;             /* the copy the analysis ran on */
  CdWorker *worker;            /* that runs it (not a reference: it outlives the thread) */

  /* settings */
  double    at;
  CdParam   param;
  double    from, to;
  guint     steps;
  gboolean  all;
  double    delta;
  gboolean  sobol;
  guint     sobol_n;
  guint     runs;
  guint64   seed;
  gboolean  mc_around_values;  /* the model has no ranges: ±MC_DEFAULT_DELTA of each value */
  guint     threads;
  GStrv     scenarios;         /* NULL: none ticked */

  /* results */
  CdEquilibria *eqs;
  CdSweep      *sweep;
  CdTornado    *tornado;
  CdSobol      *sobol_result;
  CdMonteCarlo *mc;
  GPtrArray    *outcomes;      /* of CdScenarioOutcome, base first */
  GPtrArray    *curves;        /* of CdTrajectory (mean coordination over time) */
  CdMetrics    *metrics;
} Job;

struct _CdAnalysisView
{
  AdwBin          parent_instance;

  CdDocument     *document;
  Job            *running;
  CdWorker       *worker;        /* running it */
  guint           n_finished;
  gboolean        disposed;
  Job            *results[N_KINDS];
  gboolean        stale[N_KINDS];
  GListStore     *eq_store;
  GListStore     *scenario_store;
  GListStore     *metrics_store;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkStack       *pages;
  CdRunBar       *run_bar;
  GtkSpinButton  *eq_at;
  GtkColumnView  *eq_table;
  CdChartView    *eq_chart;
  GtkLabel       *eq_summary;
  GtkDropDown    *sweep_param;
  CdParam         sweep_list[CD_N_PARAMS];   /* the dropdown's parameters: the version's */
  guint           sweep_n;
  int             sweep_version;
  GtkSpinButton  *sweep_from;
  GtkSpinButton  *sweep_to;
  GtkSpinButton  *sweep_steps;
  GtkCheckButton *sweep_all;
  GtkSpinButton  *sweep_at;
  CdChartView    *sweep_chart;
  GtkLabel       *sweep_summary;
  GtkSpinButton  *sens_delta;
  GtkCheckButton *sens_sobol;
  GtkSpinButton  *sens_n;
  CdChartView    *tornado_mean;
  CdChartView    *tornado_loss;
  CdChartView    *sobol_mean;
  CdChartView    *sobol_loss;
  GtkLabel       *sens_summary;
  GtkSpinButton  *mc_runs;
  GtkSpinButton  *mc_seed;
  GtkSpinButton  *mc_threads;
  CdChartView    *fan_mean;
  CdChartView    *fan_loss;
  GtkLabel       *mc_summary;
  GtkWidget      *scenario_checks;
  CdChartView    *scenario_chart;
  GtkColumnView  *scenario_table;
  GtkLabel       *scenario_summary;
  GtkColumnView  *metrics_table;
  GtkLabel       *metrics_summary;
};

/* The mean and loss charts of one analysis share a draw function; each
 * owns the ChartData that says which of the two it is. */
typedef struct
{
  CdAnalysisView *self;
  gboolean        loss;
} ChartData;

/* A parameter's name in the user's language. */
static inline const char *
param_label (CdParam param)
{
  return _(cd_param_info (param)->label);
}

/* cd-analysis-view.c: a result's summary in label, and the status line
 * (done, or out of date). */
void cd_analysis_view_set_summary       (CdAnalysisView      *self,
                                         GtkLabel            *label,
                                         Kind                 kind,
                                         const char          *text);

/* The panes: draw functions (CdChartDrawFunc) and show_<pane>. */
void cd_analysis_view_draw_equilibrium  (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_on_eq_selected    (GtkSelectionModel   *model,
                                         guint                position,
                                         guint                n_items,
                                         CdAnalysisView      *self);
void cd_analysis_view_show_equilibria   (CdAnalysisView      *self,
                                         Job                 *job);
void cd_analysis_view_draw_sweep        (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_show_sweep        (CdAnalysisView      *self,
                                         Job                 *job);
void cd_analysis_view_draw_tornado      (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_draw_sobol        (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_show_sensitivity  (CdAnalysisView      *self,
                                         Job                 *job);
void cd_analysis_view_draw_fan          (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_show_montecarlo   (CdAnalysisView      *self,
                                         Job                 *job);
void cd_analysis_view_draw_scenarios    (cairo_t             *cr,
                                         int                  width,
                                         int                  height,
                                         const CdRenderStyle *style,
                                         gpointer             user_data);
void cd_analysis_view_show_scenarios    (CdAnalysisView      *self,
                                         Job                 *job);
void cd_analysis_view_show_metrics      (CdAnalysisView      *self,
                                         Job                 *job);

G_END_DECLS
