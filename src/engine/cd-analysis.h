/* cd-analysis.h — what every analysis shares: outcomes of a run, running many
 * parameter sets on one compiled system, quantiles.
 *
 * Analyses that vary only parameters (sensitivity, Sobol, Monte Carlo) compile
 * the model once and give each run its own copy of the pieces array: a
 * CdSystem is plain data, so a shallow copy with other pieces is a system
 * with other parameters.  The rule for interventions: the values a run
 * chooses replace the model's base values; interventions still apply on top
 * from their time on (an intervention that sets resistance.law at t = 10
 * masks a sampled law from t = 10).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cd-model.h"
#include "cd-simulate.h"
#include "cd-system.h"

G_BEGIN_DECLS

#define CD_ANALYSIS_ERROR (cd_analysis_error_quark ())

typedef enum
{
  CD_ANALYSIS_ERROR_INVALID,    /* the request does not make sense for this model */
  CD_ANALYSIS_ERROR_FAILED,     /* a run or a solver failed */
  CD_ANALYSIS_ERROR_TOO_LARGE,  /* beyond what this analysis handles */
} CdAnalysisError;

GQuark cd_analysis_error_quark (void);

/* What a run comes to, read from its samples. */
typedef struct
{
  double   final_mean;      /* mean coordination X at t_end */
  double   peak_mean;       /* largest X over the samples */
  double   t_peak;          /* first sample time where X is largest */
  gboolean reached_half;    /* whether X ever reached 0.5 */
  double   time_to_half;    /* first sample time with X ≥ 0.5; 0 unless reached_half */
  double   total_loss;      /* L at t_end */
} CdOutcome;

gboolean cd_outcome_of_system (const CdSystem *system,
                               CdOutcome      *out,
                               GCancellable   *cancellable,
                               GError        **error);

typedef struct _CdParamOverlay CdParamOverlay;

CdParamOverlay *cd_param_overlay_new          (const CdModel        *model,
                                               GError              **error);
void            cd_param_overlay_free         (CdParamOverlay       *overlay);
const CdSystem *cd_param_overlay_get_system   (const CdParamOverlay *overlay);
/* The model's base parameter values (before any intervention). */
const double   *cd_param_overlay_base_values  (const CdParamOverlay *overlay);
guint           cd_param_overlay_n_samples    (const CdParamOverlay *overlay);

/* The overlay's system with base parameters `values`: *view becomes a
 * shallow copy of it whose pieces are `pieces` (n_pieces of the overlay's
 * system, filled in here).  The view lives as long as the overlay and
 * `pieces` do. */
void            cd_param_overlay_view         (const CdParamOverlay *overlay,
                                               const double         *values,
                                               CdPiece              *pieces,
                                               CdSystem             *view);

/* One run with base parameters `values`; mean_series and loss_series, when
 * not NULL, receive n_samples values each. */
gboolean        cd_param_overlay_run          (const CdParamOverlay *overlay,
                                               const double         *values,
                                               CdOutcome            *out,
                                               double               *mean_series,
                                               double               *loss_series,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* Runs n_runs parameter sets (values: n_runs × CD_N_PARAMS, row-major) on
 * `threads` threads (0: every core).  Run i's results land in slot i, so the
 * output does not depend on the thread count.  Series arrays, when given,
 * hold n_runs × n_samples values.  progress is called from the calling
 * thread.  Stops at the first failure, naming the run. */
gboolean        cd_param_overlay_run_batch    (const CdParamOverlay *overlay,
                                               guint                 n_runs,
                                               const double         *values,
                                               guint                 threads,
                                               CdOutcome            *outcomes,
                                               double               *mean_series,
                                               double               *loss_series,
                                               CdProgressFunc        progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GError              **error);

/* The p-quantile (p in [0, 1]) of sorted data by linear interpolation
 * between order statistics (Hyndman–Fan type 7, numpy's default). */
double          cd_quantile_sorted            (const double         *sorted,
                                               gsize                 n,
                                               double                p);

/* Nudges a value into a parameter's valid range: [lower, upper] for bounded
 * ones; a positive parameter never reaches 0. */
double          cd_param_clamp                (CdParam               param,
                                               double                value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CdParamOverlay, cd_param_overlay_free)

G_END_DECLS
