/* cd-analysis-figure.h — the charts of the analyses, drawn from their results.
 *
 * The app's Analysis page and `coordyn-cli equilibria | sweep | sensitivity
 * | montecarlo | compare --figure` describe the chart they want as a
 * CdAnalysisFigure and draw it with cd_render_analysis_figure, so a chart
 * saved from the command line is the one on screen.  The results are the
 * engine's own structs; this library only reads them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "cd-analysis-compare.h"
#include "cd-analysis-equilibria.h"
#include "cd-analysis-montecarlo.h"
#include "cd-analysis-sensitivity.h"
#include "cd-analysis-sweep.h"
#include "cd-export.h"
#include "cd-figure.h"
#include "cd-palette.h"

G_BEGIN_DECLS

typedef enum
{
  CD_ANALYSIS_FIGURE_EQUILIBRIUM,   /* coordination of each government at one equilibrium */
  CD_ANALYSIS_FIGURE_SWEEP,         /* bifurcation diagram */
  CD_ANALYSIS_FIGURE_TORNADO,       /* one-at-a-time sensitivity */
  CD_ANALYSIS_FIGURE_SOBOL,         /* first-order and total Sobol indices */
  CD_ANALYSIS_FIGURE_MONTECARLO,    /* quantile bands over time, the base run, the events */
  CD_ANALYSIS_FIGURE_SCENARIOS,     /* mean coordination of each scenario over time */
} CdAnalysisFigureKind;

/* Which outcome a tornado, Sobol or Monte Carlo chart shows. */
typedef enum
{
  CD_ANALYSIS_OUTCOME_COORDINATION,  /* final (or, over time, mean) coordination */
  CD_ANALYSIS_OUTCOME_LOSS,          /* total (or cumulative) loss */
} CdAnalysisOutcome;

typedef struct
{
  CdAnalysisFigureKind  kind;
  const CdModel        *model;        /* the model analysed: names, events, time unit */
  CdAnalysisOutcome     outcome;
  gboolean              show_title;
  /* The results: the member of `kind`, the others NULL. */
  const CdEquilibria   *equilibria;
  guint                 equilibrium;  /* which of equilibria->equilibria */
  const CdSweep        *sweep;
  const CdTornado      *tornado;
  const CdSobol        *sobol;
  const CdMonteCarlo   *montecarlo;   /* run with bands */
  const GPtrArray      *outcomes;     /* of CdScenarioOutcome, base first */
  const GPtrArray      *curves;       /* of CdTrajectory, one per outcome */
} CdAnalysisFigure;

/* kind and model set, the title shown, coordination; no results yet. */
void         cd_analysis_figure_init     (CdAnalysisFigure        *figure,
                                          CdAnalysisFigureKind     kind,
                                          const CdModel           *model);

/* The equilibrium a chart of eqs shows first: the first stable one (where
 * the network can rest), else the first; 0 when there is none. */
guint        cd_analysis_figure_default_equilibrium (const CdEquilibria *eqs);

/* What a chart and a table call a scenario's run: "base model" or the
 * scenario's name in the user's language. */
const char  *cd_analysis_scenario_label  (const CdModel           *model,
                                          const CdScenarioOutcome *outcome);

/* Whether the figure has what it needs to be drawn. */
gboolean     cd_analysis_figure_ready    (const CdAnalysisFigure  *figure);

/* Draws the chart over (0, 0, width, height), background included. */
void         cd_render_analysis_figure   (cairo_t                 *cr,
                                          int                      width,
                                          int                      height,
                                          const CdAnalysisFigure  *figure,
                                          const CdRenderStyle     *style);

/* The size a preset gives this chart: CdFigureSize from cd-figure.h. */
void         cd_analysis_figure_size     (const CdAnalysisFigure  *figure,
                                          CdFigurePreset           preset,
                                          CdFigureSize            *size);

/* Writes the chart at `size` to path, atomically (see cd_export_to_file). */
gboolean     cd_analysis_figure_export   (const CdAnalysisFigure  *figure,
                                          const CdFigureSize      *size,
                                          CdExportFormat           format,
                                          const char              *path,
                                          GCancellable            *cancellable,
                                          GError                 **error);

G_END_DECLS
